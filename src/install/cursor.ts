// Cursor (IDE 2.x and cursor-agent): flat command hooks in .cursor/hooks.json (project) or
// ~/.cursor/hooks.json (user). AGENTS-PROTOCOLS.md §3 (secondary sources; Cursor cannot be run
// here): exit 2 or {"permission":"deny"} blocks; a crash, invalid output or a timeout lets the call
// through unless the entry has "failClosed": true, which fwguard always sets on its pre events.
// Registered on preToolUse (every tool) and on the older specific events (shell, file read, MCP),
// because the CLI emits fewer events than the IDE; postToolUse feeds session memory.
import { join } from 'node:path';
import type { Scope } from './claude-code.js';
import { readSettings } from './claude-code.js';
import type { Finding, ProbeResult } from './doctor.js';
import { claudeHookInProject } from './copilot.js';
import {
  addFlat,
  decisionWord,
  findFlat,
  firstLine,
  hookArgv,
  isObject,
  jsonChange,
  lastJson,
  leadingWords,
  readForDoctor,
  removeFlat,
  shellLine,
  wordsRunHook,
  type AgentInstaller,
  type AgentPlan,
  type DoctorScan,
  type PlanOptions,
  type ProbeVerdict,
  type Where,
} from './agents.js';

export const CURSOR_PRE_EVENTS = ['preToolUse', 'beforeShellExecution', 'beforeReadFile', 'beforeMCPExecution'] as const;
const EVENTS = [...CURSOR_PRE_EVENTS, 'postToolUse'] as const;
/** Seconds. */
export const CURSOR_TIMEOUT_S = 10;

export function isCursorFwguard(h: unknown): boolean {
  if (!isObject(h) || typeof h.command !== 'string') return false;
  return wordsRunHook(leadingWords(h.command), 'cursor');
}

function hooksFile(scope: Scope, w: Where): string {
  return scope === 'user' ? join(w.home, '.cursor', 'hooks.json') : join(w.projectRoot, '.cursor', 'hooks.json');
}

function handler(line: string, pre: boolean): Record<string, unknown> {
  return pre ? { command: line, timeout: CURSOR_TIMEOUT_S, failClosed: true } : { command: line, timeout: CURSOR_TIMEOUT_S };
}

function plan(o: PlanOptions): AgentPlan {
  const file = hooksFile(o.scope, o.where);
  const f = readSettings(file);
  const warnings: string[] = [];
  const line = shellLine(hookArgv(o.cmd, 'cursor'));
  const handlers = Object.fromEntries(EVENTS.map((e) => [e, handler(line, e !== 'postToolUse')]));
  const edit = o.remove ? removeFlat(f.settings, isCursorFwguard) : addFlat(f.settings, handlers, EVENTS, isCursorFwguard, file);
  if (!o.remove) {
    const claude = claudeHookInProject(o.where);
    if (claude) {
      warnings.push(
        `fwguard's Claude Code hook is in ${claude}, and Cursor can load Claude Code hooks (third-party hooks setting): if that is on, turn it off — only Cursor's own entry has "failClosed": true, and with both every call is judged twice`,
      );
    }
  }
  return { agent: 'cursor', scope: o.scope, file, changes: [jsonChange(file, f.exists, f.text, edit)], warnings, todo: [] };
}

function scan(w: Where): DoctorScan {
  const findings: Finding[] = [];
  const out: DoctorScan = { files: [], registrations: [], findings };
  for (const scope of ['project', 'user'] as const) {
    const path = hooksFile(scope, w);
    const { settings, exists } = readForDoctor(path, 'cursor', findings);
    const found = findFlat(settings, isCursorFwguard);
    out.files.push({ path, scope, exists, hooks: found.length });
    if (found.length > 0 && settings.version !== 1) {
      findings.push({ severity: 'warn', id: 'cursor.version-key', message: `${path} has no "version": 1`, fix: 'run `fwguard init --agent cursor` again', file: path });
    }
    for (const f of found) {
      const pre = (CURSOR_PRE_EVENTS as readonly string[]).includes(f.event);
      const closed = f.handler.failClosed === true;
      out.registrations.push({
        agent: 'cursor',
        file: path,
        event: f.event,
        pre,
        command: { line: String(f.handler.command) },
        timeoutMs: typeof f.handler.timeout === 'number' ? f.handler.timeout * 1000 : undefined,
        probeEvent: f.event === 'beforeShellExecution' ? 'beforeShellExecution' : 'preToolUse',
        failure: closed ? 'blocks' : 'fails-open',
      });
      if (pre && !closed) {
        findings.push({
          severity: 'error',
          id: 'cursor.failClosed',
          message: `fwguard's ${f.event} hook in ${path} has no "failClosed": true: if fwguard crashes, cannot start or times out, Cursor runs the tool anyway`,
          fix: 'run `fwguard init --agent cursor` again (it sets "failClosed": true)',
          file: path,
        });
      }
      if (f.matcher !== undefined && f.matcher !== '*' && f.matcher !== '.*') {
        findings.push({ severity: 'warn', id: 'cursor.matcher', message: `fwguard's ${f.event} hook in ${path} only sees tools matching ${JSON.stringify(f.matcher)}`, fix: 'run `fwguard init --agent cursor` again (no matcher)', file: path });
      }
    }
    const events = new Set(found.map((f) => f.event));
    if (found.length > 0 && !events.has('preToolUse')) {
      findings.push({ severity: 'warn', id: 'cursor.preToolUse-missing', message: `${path} registers fwguard without preToolUse: tools other than shell, read and MCP are not judged`, fix: 'run `fwguard init --agent cursor` again', file: path });
    }
  }
  return out;
}

/** Cursor blocks on exit 2 or {"permission":"deny"}; with failClosed, on any failure too. */
function interpret(r: ProbeResult): ProbeVerdict {
  if (r.timedOut) return { decision: 'error', reason: 'timed out' };
  if (r.error) return { decision: 'error', reason: r.error };
  const j = lastJson(r.stdout);
  const d = j ? decisionWord(j.permission) : undefined;
  if (d) return { decision: d, reason: String(j?.agent_message ?? j?.user_message ?? '') };
  if (r.exitCode === 2) return { decision: 'deny', reason: firstLine(r.stderr) || '(exit 2)' };
  if (r.exitCode === 0) return { decision: 'none', reason: r.stdout.trim() ? firstLine(r.stdout) : '(no output)' };
  return { decision: 'error', reason: `exit ${r.exitCode}: ${firstLine(r.stderr)}` };
}

export const cursorInstaller: AgentInstaller = {
  id: 'cursor',
  label: 'Cursor',
  program: 'cursor-agent',
  defaultScope: 'project',
  file: hooksFile,
  signs: (w) => [
    { dir: join(w.projectRoot, '.cursor'), why: '.cursor/ in the project' },
    { dir: join(w.home, '.cursor'), why: '~/.cursor exists' },
  ],
  plan,
  scan,
  interpret,
  versionFindings(v) {
    return [{ severity: 'info', id: 'cursor.version', message: `Cursor ${v}: fwguard relies on "failClosed": true (which version introduced it is not documented; older clients ignore it and fail open)` }];
  },
};
