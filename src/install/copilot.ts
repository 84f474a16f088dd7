// GitHub Copilot CLI: preToolUse / postToolUse command hooks in .github/hooks/fwguard.json
// (project) or $COPILOT_HOME/hooks/fwguard.json (user; COPILOT_HOME defaults to ~/.copilot).
// AGENTS-PROTOCOLS.md §4: a preToolUse command hook that crashes or exits non-zero denies (the
// fail-closed behaviour is built in); a timeout lets the call through (default 30 s).
// Copilot CLI also runs the hooks of the repository's .claude/settings.json (Claude payloads and
// tool names): when fwguard's Claude Code hook is there, a Copilot registration in the same project
// would judge every call twice, so the project install is skipped and doctor probes the Claude
// Code hook with Copilot's Claude-style payload instead.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { allSettingsPaths, findFwguardHooks, binBelongsToFwguard, readSettings, type FoundHook, type Scope } from './claude-code.js';
import type { Finding, ProbeResult } from './doctor.js';
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
  readJsonc,
  removeFlat,
  wordsRunHook,
  type AgentInstaller,
  type AgentPlan,
  type DoctorScan,
  type PlanOptions,
  type ProbeVerdict,
  type Where,
} from './agents.js';

const EVENTS = ['preToolUse', 'postToolUse'] as const;
/** Seconds (Copilot's default is 30, and a timeout lets the call through). */
export const COPILOT_TIMEOUT_S = 10;

export function isCopilotFwguard(h: unknown): boolean {
  if (!isObject(h) || h.type !== 'command') return false;
  if (typeof h.exec === 'string' && Array.isArray(h.args)) return wordsRunHook([h.exec, ...h.args.map(String)], 'copilot');
  const line = typeof h.bash === 'string' ? h.bash : typeof h.command === 'string' ? h.command : undefined;
  return line !== undefined && wordsRunHook(leadingWords(line), 'copilot');
}

export function copilotHome(w: Where): string {
  return w.env.COPILOT_HOME || join(w.home, '.copilot');
}

function hooksDir(scope: Scope, w: Where): string {
  return scope === 'user' ? join(copilotHome(w), 'hooks') : join(w.projectRoot, '.github', 'hooks');
}

function hooksFile(scope: Scope, w: Where): string {
  return join(hooksDir(scope, w), 'fwguard.json');
}

/**
 * Exec form (`exec` + `args`: no shell, no quoting), as the Copilot CLI hooks reference documents and
 * as 1.0.102 runs it (measured by the e2e harness's recorder entries). An older Copilot that only
 * knows `bash`/`powershell` would drop this entry; `fwguard init` upgrades an earlier `bash` entry.
 */
function handler(argv: readonly string[]): Record<string, unknown> {
  return { type: 'command', exec: argv[0], args: argv.slice(1), timeoutSec: COPILOT_TIMEOUT_S };
}

/** fwguard's Claude Code hooks in this project's .claude settings files, which Copilot CLI runs too. */
function claudeHooksInProject(w: Where): { path: string; found: FoundHook[] }[] {
  const out: { path: string; found: FoundHook[] }[] = [];
  for (const { path, scope } of allSettingsPaths({ projectRoot: w.projectRoot, home: w.home })) {
    if (scope !== 'project' && scope !== 'local') continue;
    try {
      out.push({ path, found: findFwguardHooks(readSettings(path).settings, { isFwguardBin: binBelongsToFwguard }) });
    } catch {
      // an unreadable file is doctor's business (its Claude Code check reports it)
    }
  }
  return out;
}

/** The .claude settings file holding fwguard's Claude Code PreToolUse hook in this project, if any. */
export function claudeHookInProject(w: Where): string | undefined {
  return claudeHooksInProject(w).find((c) => c.found.some((f) => f.event === 'PreToolUse'))?.path;
}

/**
 * Copilot CLI skips the repository's hooks (.github/hooks, .claude/settings.json) in a folder it has
 * not trusted — measured in 1.0.102: `copilot -p` then runs every tool unguarded. Trust is kept in
 * $COPILOT_HOME/config.json, which 1.0.102 rewrites as `// comment` lines + JSON with
 * "trustedFolders" (an older "trusted_folders" is migrated); a trusted folder covers its subfolders.
 */
export function copilotTrustsProject(w: Where): boolean {
  const cfg = readJsonc(join(copilotHome(w), 'config.json'));
  if (cfg === null) return false;
  const list = [cfg.trustedFolders, cfg.trusted_folders].flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
  return list.some((d) => {
    const dir = d.replace(/\/+$/, '') || '/';
    return w.projectRoot === dir || w.projectRoot.startsWith(dir === '/' ? '/' : dir + '/');
  });
}

const TRUST_FIX = 'start `copilot` in this folder and trust it permanently ("remember"), or run `fwguard init --agent copilot --scope user`';

function plan(o: PlanOptions): AgentPlan {
  const file = hooksFile(o.scope, o.where);
  const f = readSettings(file);
  const warnings: string[] = [];
  const claude = claudeHookInProject(o.where);
  let skipped: string | undefined;
  let edit;
  if (o.remove) {
    edit = removeFlat(f.settings, isCopilotFwguard);
  } else if (claude && o.scope === 'project') {
    skipped = `Copilot CLI already runs fwguard's Claude Code hook from ${claude} (it reads .claude/settings.json); a second registration would judge every call twice`;
    edit = removeFlat(f.settings, isCopilotFwguard);
    if (edit.changed) edit.notes.push('(the Claude Code hook covers Copilot here)');
  } else {
    const argv = hookArgv(o.cmd, 'copilot');
    edit = addFlat(f.settings, Object.fromEntries(EVENTS.map((e) => [e, handler(argv)])), EVENTS, isCopilotFwguard, file);
    if (claude) warnings.push(`Copilot CLI also runs fwguard's Claude Code hook from ${claude}: in that project every call is judged twice (harmless, but slower); \`fwguard init --agent copilot --remove --scope user\` if you only use it there`);
  }
  if (!o.remove) {
    for (const d of disableFindings(o.where)) warnings.push(d.message);
  }
  const changes = f.exists || edit.changed ? [jsonChange(file, f.exists, f.text, edit)] : [];
  const todo: string[] = [];
  if (!o.remove && o.scope === 'project' && !copilotTrustsProject(o.where)) {
    todo.push(`Copilot CLI skips this repository's hooks until the folder is trusted (\`copilot -p\` then runs every tool unguarded): ${TRUST_FIX}.`);
  }
  return { agent: 'copilot', scope: o.scope, file, changes, warnings, todo, ...(skipped ? { skipped } : {}) };
}

/** Settings files whose "disableAllHooks": true switches Copilot's hooks off. */
function disableFindings(w: Where): Finding[] {
  const out: Finding[] = [];
  const files = [
    join(w.projectRoot, '.github', 'copilot', 'settings.json'),
    join(w.projectRoot, '.github', 'copilot', 'settings.local.json'),
    join(copilotHome(w), 'settings.json'),
    ...jsonFiles(hooksDir('project', w)),
    ...jsonFiles(hooksDir('user', w)),
  ];
  for (const path of files) {
    const s = readJsonc(path);
    if (s?.disableAllHooks === true) {
      out.push({ severity: 'error', id: 'copilot.hooks-disabled', message: `${path} sets "disableAllHooks": true: Copilot CLI skips its hooks, fwguard included`, fix: `remove "disableAllHooks" from ${path}`, file: path });
    }
  }
  return out;
}

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

function scan(w: Where): DoctorScan {
  const findings: Finding[] = [...disableFindings(w)];
  const out: DoctorScan = { files: [], registrations: [], findings };
  for (const scope of ['project', 'user'] as const) {
    const files = jsonFiles(hooksDir(scope, w));
    if (!files.includes(hooksFile(scope, w))) files.push(hooksFile(scope, w));
    for (const path of files) {
      const { settings, exists } = readForDoctor(path, 'copilot', findings);
      const found = findFlat(settings, isCopilotFwguard);
      if (exists || path === hooksFile(scope, w)) out.files.push({ path, scope, exists, hooks: found.length });
      for (const f of found) {
        const h = f.handler;
        out.registrations.push({
          agent: 'copilot',
          file: path,
          event: f.event,
          pre: f.event === 'preToolUse' || f.event === 'PreToolUse',
          command: typeof h.exec === 'string' && Array.isArray(h.args) ? { argv: [h.exec, ...h.args.map(String)] } : { line: String(h.bash ?? h.command) },
          timeoutMs: (typeof h.timeoutSec === 'number' ? h.timeoutSec : 30) * 1000,
          probeEvent: 'preToolUse',
          failure: 'blocks',
        });
        if (h.matcher !== undefined && h.matcher !== '.*' && h.matcher !== '*') {
          findings.push({ severity: 'warn', id: 'copilot.matcher', message: `fwguard's ${f.event} hook in ${path} only sees tools matching ${JSON.stringify(h.matcher)}`, fix: 'run `fwguard init --agent copilot` again (no matcher: every tool)', file: path });
        }
      }
    }
  }
  // The Claude Code hook in this repository runs in Copilot CLI too, with Claude-style payloads.
  for (const { path, found } of claudeHooksInProject(w)) {
    for (const f of found) {
      const h = f.handler;
      out.registrations.push({
        agent: 'copilot',
        file: path,
        event: f.event,
        pre: f.event === 'PreToolUse',
        command: Array.isArray(h.args) ? { argv: [h.command, ...h.args] } : { line: h.command },
        timeoutMs: 30_000,
        probeEvent: 'PreToolUse',
        failure: 'blocks',
        via: "fwguard's Claude Code hook, which Copilot CLI runs from .claude/settings",
      });
    }
  }
  const pres = out.registrations.filter((r) => r.pre);
  const inRepo = pres.filter((r) => r.file.startsWith(w.projectRoot + '/'));
  if (inRepo.length > 0 && !copilotTrustsProject(w)) {
    findings.push({
      severity: 'error',
      id: 'copilot.folder-untrusted',
      message: `${w.projectRoot} is not in trusted_folders of ${join(copilotHome(w), 'config.json')}: Copilot CLI skips the repository's hooks (${inRepo.map((r) => r.file.slice(w.projectRoot.length + 1)).filter((v, i, a) => a.indexOf(v) === i).join(', ')}) — \`copilot -p\` runs every tool unguarded; an interactive start asks first`,
      fix: TRUST_FIX,
    });
  }
  if (pres.some((r) => r.via) && pres.some((r) => !r.via && r.file.startsWith(w.projectRoot))) {
    findings.push({ severity: 'warn', id: 'copilot.double', message: 'Copilot CLI runs both fwguard\'s Copilot hook and its Claude Code hook in this project: every call is judged twice (session budgets count twice)', fix: 'run `fwguard init --agent copilot --remove` (the Claude Code hook covers Copilot)' });
  }
  return out;
}

/** Copilot denies on any non-zero exit of a preToolUse command hook, or a JSON deny; a timeout allows. */
function interpret(r: ProbeResult): ProbeVerdict {
  if (r.timedOut) return { decision: 'error', reason: 'timed out (Copilot CLI lets the call through)' };
  if (r.error) return { decision: 'error', reason: r.error };
  if (r.exitCode !== 0) return { decision: 'deny', reason: firstLine(r.stderr) || `exit ${r.exitCode}` };
  const j = lastJson(r.stdout);
  const hso = j && isObject(j.hookSpecificOutput) ? j.hookSpecificOutput : undefined;
  const d = j ? (decisionWord(j.permissionDecision) ?? decisionWord(hso?.permissionDecision)) : undefined;
  if (d) return { decision: d, reason: String(j?.permissionDecisionReason ?? hso?.permissionDecisionReason ?? '') };
  return { decision: 'none', reason: r.stdout.trim() ? firstLine(r.stdout) : '(no output)' };
}

export const copilotInstaller: AgentInstaller = {
  id: 'copilot',
  label: 'GitHub Copilot CLI',
  program: 'copilot',
  defaultScope: 'project',
  file: hooksFile,
  signs: (w) => [
    { dir: join(w.projectRoot, '.github', 'hooks'), why: '.github/hooks/ in the project' },
    { dir: copilotHome(w), why: `${copilotHome(w)} exists` },
  ],
  plan,
  scan,
  interpret,
  versionFindings(v) {
    return [{ severity: 'info', id: 'copilot.version', message: `Copilot CLI ${v}: a preToolUse hook that crashes or cannot start denies; a timeout lets the call through` }];
  },
};
