// OpenAI Codex: PreToolUse / PostToolUse command hooks in $CODEX_HOME/hooks.json (user; CODEX_HOME
// defaults to ~/.codex) or <repo>/.codex/hooks.json (project: only loaded when Codex trusts the
// project). AGENTS-PROTOCOLS.md §5 and §12 (measured in 0.169.0): JSON deny, legacy
// {"decision":"block"} and exit 2 with stderr block; everything else (exit 1, a missing command, a
// timeout, ask, a bare allow) lets the call through, and a hook nobody trusted in `/hooks` is
// skipped silently. Trust is kept in config.toml as [hooks.state."<file>:<event>:<group>:<index>"]
// trusted_hash = "sha256:…", so doctor can tell an untrusted fwguard hook from a trusted one
// (checked against Codex 0.169.0's own `hooks/list` in a loopback-only namespace: no entry →
// "untrusted", the current hash → "trusted", another hash → "modified", also skipped; the hash
// itself is Codex's and is not recomputed here). Codex runs the command line through a shell: the
// `|| … exit 2` fallback blocked every call with fwguard gone (e2e, 0.169.0).
import { join } from 'node:path';
import type { Scope } from './claude-code.js';
import { readSettings } from './claude-code.js';
import type { Finding, ProbeResult } from './doctor.js';
import {
  addNested,
  compareVersion,
  coversAllTools,
  decisionWord,
  failClosedShellLine,
  findNested,
  firstLine,
  hasFailClosedFallback,
  hookArgv,
  isObject,
  jsonChange,
  lastJson,
  leadingWords,
  readForDoctor,
  readText,
  removeNested,
  shellLine,
  wordsRunHook,
  type AgentInstaller,
  type AgentPlan,
  type DoctorScan,
  type PlanOptions,
  type ProbeVerdict,
  type Where,
} from './agents.js';

const EVENTS = ['PreToolUse', 'PostToolUse'] as const;
/** Seconds (Codex's default is 600). */
export const CODEX_TIMEOUT_S = 10;
/** Hooks are on by default from this version; older ones need [features] hooks = true. */
export const CODEX_HOOKS_DEFAULT_ON = [0, 124, 0] as const;

export function isCodexFwguard(h: unknown): boolean {
  if (!isObject(h) || h.type !== 'command' || typeof h.command !== 'string') return false;
  return wordsRunHook(leadingWords(h.command), 'codex');
}

export function codexHome(w: Where): string {
  return w.env.CODEX_HOME || join(w.home, '.codex');
}

function hooksFile(scope: Scope, w: Where): string {
  return scope === 'user' ? join(codexHome(w), 'hooks.json') : join(w.projectRoot, '.codex', 'hooks.json');
}

function handler(event: string, argv: readonly string[]): Record<string, unknown> {
  // Only the pre event blocks; a post hook that cannot run has nothing left to stop.
  return { type: 'command', command: event === 'PreToolUse' ? failClosedShellLine(argv) : shellLine(argv), timeout: CODEX_TIMEOUT_S, statusMessage: 'fwguard' };
}

// ---------------------------------------------------------------------------------------------
// config.toml, read just enough: [section] headers and `key = value` lines.

export interface TomlSection {
  header: string;
  values: Map<string, string>;
}

export function tomlSections(text: string): TomlSection[] {
  const out: TomlSection[] = [{ header: '', values: new Map() }];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const h = /^\[\[?(.+?)\]\]?$/.exec(line);
    if (h) {
      out.push({ header: h[1]!.trim(), values: new Map() });
      continue;
    }
    const kv = /^("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (kv) out[out.length - 1]!.values.set(kv[1]!.replace(/^["']|["']$/g, ''), kv[2]!.replace(/\s+#.*$/, '').trim());
  }
  return out;
}

/** The trust state key Codex uses for a hook: `<hooks file>:<snake_event>:<group>:<index>`. */
export function trustKey(file: string, event: string, group: number, index: number): string {
  const snake = event.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return `${file}:${snake}:${group}:${index}`;
}

function sectionFor(sections: TomlSection[], name: string, key: string): TomlSection | undefined {
  const wanted = [`${name}.${JSON.stringify(key)}`, `${name}.'${key}'`];
  return sections.find((s) => wanted.includes(s.header.replace(/\s*\.\s*/g, '.')));
}

function featureFindings(sections: TomlSection[], path: string): Finding[] {
  const out: Finding[] = [];
  const features = sections.find((s) => s.header === 'features');
  for (const k of ['hooks', 'codex_hooks']) {
    if (features?.values.get(k) === 'false') {
      out.push({ severity: 'error', id: 'codex.hooks-disabled', message: `${path} sets [features] ${k} = false: Codex runs no hooks, fwguard included`, fix: `remove "${k} = false" from [features] in ${path}`, file: path });
    }
  }
  return out;
}

function plan(o: PlanOptions): AgentPlan {
  const file = hooksFile(o.scope, o.where);
  const f = readSettings(file);
  const argv = hookArgv(o.cmd, 'codex');
  const edit = o.remove
    ? removeNested(f.settings, isCodexFwguard)
    : addNested(f.settings, Object.fromEntries(EVENTS.map((e) => [e, handler(e, argv)])), { events: EVENTS, matcher: '', coversAll: coversAllTools, isOurs: isCodexFwguard }, file);
  edit.notes = edit.notes.map((n) => n.replace(' (matcher "")', ' (no matcher: every tool)'));
  // An omitted matcher is what "every tool" looks like in Codex's own examples: drop the empty one.
  if (edit.changed && isObject(edit.settings.hooks)) {
    for (const ev of EVENTS) {
      const groups = (edit.settings.hooks as Record<string, unknown>)[ev];
      if (Array.isArray(groups)) for (const g of groups) if (isObject(g) && g.matcher === '' && g.hooks instanceof Array && g.hooks.some(isCodexFwguard)) delete g.matcher;
    }
  }
  const warnings: string[] = [];
  const todo: string[] = [];
  if (!o.remove) {
    const cfg = join(codexHome(o.where), 'config.toml');
    const text = readText(cfg);
    if (text !== null) warnings.push(...featureFindings(tomlSections(text), cfg).map((x) => x.message));
    if (edit.changed) {
      todo.push(
        `Codex skips a new or changed hook, silently, until you trust it: start \`codex\`, type /hooks and trust fwguard's PreToolUse and PostToolUse entries from ${file}. Then run \`fwguard doctor --agent codex\`.`,
      );
    }
    if (o.scope === 'project') {
      todo.push(`Codex only loads ${file} when it trusts this project: accept the trust prompt when you start codex here (or use --scope user).`);
    }
  }
  return { agent: 'codex', scope: o.scope, file, changes: [jsonChange(file, f.exists, f.text, edit)], warnings, todo };
}

function scan(w: Where): DoctorScan {
  const findings: Finding[] = [];
  const out: DoctorScan = { files: [], registrations: [], findings };
  const cfg = join(codexHome(w), 'config.toml');
  const cfgText = readText(cfg);
  const sections = cfgText === null ? [] : tomlSections(cfgText);
  findings.push(...featureFindings(sections, cfg));
  for (const scope of ['project', 'user'] as const) {
    const path = hooksFile(scope, w);
    const { settings, exists } = readForDoctor(path, 'codex', findings);
    const found = findNested(settings, isCodexFwguard);
    out.files.push({ path, scope, exists, hooks: found.length });
    if (found.length > 0 && scope === 'project') {
      const p = sectionFor(sections, 'projects', w.projectRoot);
      if (p?.values.get('trust_level') !== '"trusted"') {
        findings.push({
          severity: 'error',
          id: 'codex.project-untrusted',
          message: `${path} is only loaded when Codex trusts ${w.projectRoot}, and ${cfg} does not mark it trusted`,
          fix: 'start codex in the project and accept the trust prompt, or run `fwguard init --agent codex --scope user`',
          file: path,
        });
      }
    }
    for (const f of found) {
      const cmd = String(f.handler.command);
      out.registrations.push({
        agent: 'codex',
        file: path,
        event: f.event,
        pre: f.event === 'PreToolUse',
        command: { line: cmd },
        timeoutMs: (typeof f.handler.timeout === 'number' ? f.handler.timeout : 600) * 1000,
        probeEvent: 'PreToolUse',
        failure: hasFailClosedFallback(cmd) ? 'blocks' : 'fails-open',
      });
      // An omitted matcher matches every tool (shell, apply_patch, MCP tools).
      if (!coversAllTools(f.matcher)) {
        findings.push({ severity: 'warn', id: 'codex.matcher', message: `fwguard's ${f.event} hook in ${path} only sees tools matching ${JSON.stringify(f.matcher)}`, fix: 'run `fwguard init --agent codex` again (no matcher: every tool)', file: path });
      }
      const key = trustKey(path, f.event, f.group, f.index);
      const state = sectionFor(sections, 'hooks.state', key);
      if (!state?.values.has('trusted_hash')) {
        findings.push({
          severity: f.event === 'PreToolUse' ? 'error' : 'warn',
          id: 'codex.hook-untrusted',
          message: `fwguard's ${f.event} hook in ${path} is not trusted (no [hooks.state."${key}"] trusted_hash in ${cfg}): Codex skips it silently`,
          fix: 'start `codex`, type /hooks and trust the fwguard entries (automation in a sandbox may pass --dangerously-bypass-hook-trust instead)',
          file: path,
        });
      } else if (state.values.get('enabled') === 'false') {
        findings.push({ severity: 'error', id: 'codex.hook-disabled', message: `fwguard's ${f.event} hook is switched off in ${cfg} ([hooks.state."${key}"] enabled = false)`, fix: 'enable it again in /hooks', file: cfg });
      } else {
        findings.push({ severity: 'info', id: 'codex.hook-trusted', message: `fwguard's ${f.event} hook in ${path} has a trust entry (Codex re-checks its hash: after changing the entry, trust it again)` });
      }
    }
  }
  return out;
}

/** Codex blocks on a JSON deny / legacy block, or exit 2 with stderr; ask and bare allow are ignored. */
function interpret(r: ProbeResult): ProbeVerdict {
  if (r.timedOut) return { decision: 'error', reason: 'timed out (Codex lets the call through)' };
  if (r.error) return { decision: 'error', reason: r.error };
  const j = lastJson(r.stdout);
  if (j) {
    const hso = isObject(j.hookSpecificOutput) ? j.hookSpecificOutput : undefined;
    const pd = hso ? decisionWord(hso.permissionDecision) : undefined;
    if (pd === 'deny') return { decision: 'deny', reason: String(hso?.permissionDecisionReason ?? '') };
    if (j.decision === 'block') return { decision: 'deny', reason: String(j.reason ?? '') };
    if (pd) return { decision: pd, reason: `${pd} (Codex ignores it: the call proceeds)` };
  }
  if (r.exitCode === 2) return r.stderr.trim() ? { decision: 'deny', reason: firstLine(r.stderr) } : { decision: 'error', reason: 'exit 2 with empty stderr (Codex lets the call through)' };
  if (r.exitCode === 0) return { decision: 'none', reason: r.stdout.trim() ? firstLine(r.stdout) : '(no output)' };
  return { decision: 'error', reason: `exit ${r.exitCode} (Codex lets the call through): ${firstLine(r.stderr)}` };
}

export const codexInstaller: AgentInstaller = {
  id: 'codex',
  label: 'Codex CLI',
  program: 'codex',
  // The project layer needs project trust on top of hook trust: the user file is the dependable one.
  defaultScope: 'user',
  file: hooksFile,
  signs: (w) => [
    { dir: codexHome(w), why: `${codexHome(w)} exists` },
    { dir: join(w.projectRoot, '.codex'), why: '.codex/ in the project' },
  ],
  plan,
  scan,
  interpret,
  versionFindings(v) {
    const cmp = compareVersion(v, CODEX_HOOKS_DEFAULT_ON);
    const out: Finding[] = [
      { severity: 'info', id: 'codex.version', message: `Codex ${v}: it has no fail-closed switch; fwguard's command line turns "could not run" into a block, a hook timeout still lets the call through` },
    ];
    if (cmp !== null && cmp < 0) {
      out.push({ severity: 'warn', id: 'codex.too-old', message: `Codex ${v} predates hooks-on-by-default (0.124.0): hooks run only with [features] codex_hooks = true in config.toml`, fix: 'update Codex, or add codex_hooks = true under [features] in ~/.codex/config.toml' });
    }
    return out;
  },
};
