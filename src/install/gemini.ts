// Gemini CLI: BeforeTool / AfterTool command hooks in .gemini/settings.json (project) or
// ~/.gemini/settings.json (user). AGENTS-PROTOCOLS.md §2 and §12 (measured in 0.61.0):
// hooks run through `bash -c`; a top-level {"decision":"deny"} or exit 2 with text blocks; exit 1
// and a silent exit 2 allow; a timeout allows. Gemini has no fail-closed switch, so the command
// line ends in a shell fallback that turns "fwguard could not run" into exit 2 with a reason.
import { dirname, join } from 'node:path';
import type { Scope, Settings } from './claude-code.js';
import { readSettings } from './claude-code.js';
import type { Finding, ProbeResult } from './doctor.js';
import {
  addNested,
  coversAllTools,
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
  removeNested,
  shellLine,
  wordsRunHook,
  decisionWord,
  type AgentInstaller,
  type AgentPlan,
  type DoctorScan,
  type PlanOptions,
  type ProbeVerdict,
  type Where,
} from './agents.js';

const EVENTS = ['BeforeTool', 'AfterTool'] as const;
/** Gemini's timeout is in milliseconds (default 60 000). */
export const GEMINI_TIMEOUT_MS = 10_000;
/** The `name` of fwguard's entry: what `hooksConfig.disabled` would list to switch it off. */
export const GEMINI_HOOK_NAME = 'fwguard';

export function isGeminiFwguard(h: unknown): boolean {
  if (!isObject(h) || h.type !== 'command' || typeof h.command !== 'string') return false;
  return wordsRunHook(leadingWords(h.command), 'gemini');
}

function settingsFile(scope: Scope, w: Where): string {
  return scope === 'user' ? join(w.home, '.gemini', 'settings.json') : join(w.projectRoot, '.gemini', 'settings.json');
}

/** Every settings file Gemini merges, system first (system settings override the others). */
function allFiles(w: Where): { path: string; scope: string }[] {
  const system = w.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || '/etc/gemini-cli/settings.json';
  return [
    { path: system, scope: 'system' },
    { path: settingsFile('project', w), scope: 'project' },
    { path: settingsFile('user', w), scope: 'user' },
  ];
}

function handler(event: string, argv: readonly string[]): Record<string, unknown> {
  // Only the pre event blocks; a post hook that cannot run has nothing left to stop.
  return event === 'BeforeTool'
    ? { type: 'command', name: GEMINI_HOOK_NAME, command: failClosedShellLine(argv), timeout: GEMINI_TIMEOUT_MS, description: 'fwguard: judge every tool call before it runs' }
    : { type: 'command', name: GEMINI_HOOK_NAME, command: shellLine(argv), timeout: GEMINI_TIMEOUT_MS, description: 'fwguard: record what ran (session memory)' };
}

function plan(o: PlanOptions): AgentPlan {
  const file = settingsFile(o.scope, o.where);
  const f = readSettings(file);
  const warnings: string[] = [];
  const argv = hookArgv(o.cmd, 'gemini');
  let edit = o.remove
    ? removeNested(f.settings, isGeminiFwguard)
    : addNested(f.settings, Object.fromEntries(EVENTS.map((e) => [e, handler(e, argv)])), { events: EVENTS, matcher: '*', coversAll: coversAllTools, isOurs: isGeminiFwguard }, file);
  if (!o.remove) {
    // hooksConfig.enabled defaults to true; an explicit false in the file we write is ours to fix.
    const hc = edit.settings.hooksConfig;
    if (isObject(hc) && hc.enabled === false) {
      const s = structuredClone(edit.settings);
      (s.hooksConfig as Record<string, unknown>).enabled = true;
      edit = { settings: s, changed: true, notes: [...edit.notes, 'set hooksConfig.enabled to true (it switched every hook off)'] };
    }
    for (const { path, scope } of allFiles(o.where)) {
      if (path === file) continue;
      let s: Settings;
      try {
        s = readSettings(path).settings;
      } catch (err) {
        warnings.push((err as Error).message);
        continue;
      }
      warnings.push(...switchOffs(s, path, scope).map((x) => x.message));
    }
    if (o.scope === 'project') {
      const t = folderTrust(o.where, file);
      if (t.severity === 'warn' || t.severity === 'error') warnings.push(`${t.message}; ${t.fix ?? ''}`);
    }
  }
  return { agent: 'gemini', scope: o.scope, file, changes: [jsonChange(file, f.exists, f.text, edit)], warnings, todo: [] };
}

/** Settings that switch fwguard's Gemini hook off. */
function switchOffs(s: Settings, path: string, scope: string): Finding[] {
  const out: Finding[] = [];
  const hc = s.hooksConfig;
  if (isObject(hc) && hc.enabled === false) {
    out.push({ severity: 'error', id: 'gemini.hooks-disabled', message: `${path} (${scope}) sets hooksConfig.enabled: false: Gemini runs no hooks, fwguard included`, fix: `remove hooksConfig.enabled from ${path}`, file: path });
  }
  if (isObject(hc) && Array.isArray(hc.disabled) && hc.disabled.some((n) => n === GEMINI_HOOK_NAME || (typeof n === 'string' && wordsRunHook(leadingWords(n), 'gemini')))) {
    out.push({ severity: 'error', id: 'gemini.hook-disabled-by-name', message: `${path} (${scope}) lists fwguard in hooksConfig.disabled: Gemini skips fwguard's hook`, fix: `take "${GEMINI_HOOK_NAME}" out of hooksConfig.disabled in ${path}`, file: path });
  }
  return out;
}

function scan(w: Where): DoctorScan {
  const findings: Finding[] = [];
  const out: DoctorScan = { files: [], registrations: [], findings };
  for (const { path, scope } of allFiles(w)) {
    const { settings, exists } = readForDoctor(path, 'gemini', findings);
    const found = findNested(settings, isGeminiFwguard);
    out.files.push({ path, scope, exists, hooks: found.length });
    findings.push(...switchOffs(settings, path, scope));
    for (const f of found) {
      const cmd = String(f.handler.command);
      out.registrations.push({
        agent: 'gemini',
        file: path,
        event: f.event,
        pre: f.event === 'BeforeTool',
        command: { line: cmd },
        timeoutMs: typeof f.handler.timeout === 'number' ? f.handler.timeout : 60_000,
        probeEvent: 'BeforeTool',
        failure: hasFailClosedFallback(cmd) ? 'blocks' : 'fails-open',
      });
      if (!coversAllTools(f.matcher)) {
        findings.push({ severity: 'warn', id: 'gemini.matcher', message: `fwguard's ${f.event} hook in ${path} only sees tools matching ${JSON.stringify(f.matcher)}`, fix: 'run `fwguard init --agent gemini` again (matcher "*")', file: path });
      }
    }
    if (scope === 'project' && found.length > 0) findings.push(folderTrust(w, path));
  }
  return out;
}

/**
 * Gemini ignores .gemini/settings.json in a folder it does not trust. As in Gemini CLI 0.61.0's
 * checkPathTrust: GEMINI_CLI_TRUST_WORKSPACE / GEMINI_RESTRICTED_MODE decide first; folder trust is
 * ON unless security.folderTrust.enabled is false (user or system settings); then the longest
 * matching rule of ~/.gemini/trustedFolders.json ({"<path>": "TRUST_FOLDER" | "TRUST_PARENT" |
 * "DO_NOT_TRUST"}, TRUST_PARENT meaning the rule's parent folder) decides; no rule: Gemini asks at
 * the next interactive start (a headless run refuses to start).
 */
export function folderTrust(w: Where, path: string): Finding {
  const env = w.env;
  const untrustedFix = 'trust the folder in Gemini (its trust dialog, or /permissions), or run `fwguard init --agent gemini --scope user`';
  if (env.GEMINI_RESTRICTED_MODE === 'true' || env.GEMINI_CLI_TRUST_WORKSPACE === 'false') {
    return { severity: 'error', id: 'gemini.folder-untrusted', message: `GEMINI_RESTRICTED_MODE / GEMINI_CLI_TRUST_WORKSPACE=false in this environment: Gemini ignores ${path}, fwguard's hook included`, fix: untrustedFix, file: path };
  }
  if (env.GEMINI_CLI_TRUST_WORKSPACE === 'true') return { severity: 'ok', id: 'gemini.folder-trust', message: `GEMINI_CLI_TRUST_WORKSPACE=true: Gemini reads ${path}` };
  const off = allFiles(w).some(({ path: p, scope }) => {
    if (scope === 'project') return false;
    try {
      const sec = readSettings(p).settings.security;
      return isObject(sec) && isObject(sec.folderTrust) && sec.folderTrust.enabled === false;
    } catch {
      return false;
    }
  });
  if (off) return { severity: 'info', id: 'gemini.folder-trust', message: `folder trust is off (security.folderTrust.enabled: false): Gemini reads ${path}` };
  let rules: Record<string, unknown> = {};
  try {
    rules = readSettings(env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || join(w.home, '.gemini', 'trustedFolders.json')).settings;
  } catch {
    // unreadable: Gemini itself refuses to start then
  }
  const under = (dir: string) => w.projectRoot === dir || w.projectRoot.startsWith(dir.endsWith('/') ? dir : dir + '/');
  let best = -1;
  let level: unknown;
  for (const [rule, v] of Object.entries(rules)) {
    const base = v === 'TRUST_PARENT' ? dirname(rule) : rule;
    if (under(base) && rule.length > best) {
      best = rule.length;
      level = v;
    }
  }
  if (level === 'TRUST_FOLDER' || level === 'TRUST_PARENT') return { severity: 'ok', id: 'gemini.folder-trust', message: `${w.projectRoot} is a trusted folder: Gemini reads ${path}` };
  if (level === 'DO_NOT_TRUST') {
    return { severity: 'error', id: 'gemini.folder-untrusted', message: `${w.projectRoot} is marked DO_NOT_TRUST in Gemini's trustedFolders.json: Gemini ignores ${path}, fwguard's hook included`, fix: untrustedFix, file: path };
  }
  return {
    severity: 'warn',
    id: 'gemini.folder-trust-unknown',
    message: `${w.projectRoot} is not yet trusted by Gemini (folder trust is on by default): Gemini asks at the next interactive start, and reads ${path} only if you trust it`,
    fix: untrustedFix,
    file: path,
  };
}

/** Gemini reads stdout JSON whatever the exit code; else exit ≥ 2 with text blocks; exit 1 allows. */
function interpret(r: ProbeResult): ProbeVerdict {
  if (r.timedOut) return { decision: 'error', reason: 'timed out (Gemini lets the call through)' };
  if (r.error) return { decision: 'error', reason: r.error };
  const j = lastJson(r.stdout);
  const d = j ? decisionWord(j.decision) : undefined;
  if (d) return { decision: d, reason: String(j?.reason ?? '') };
  const text = (r.stdout.trim() || r.stderr.trim());
  if ((r.exitCode ?? 0) >= 2) return text ? { decision: 'deny', reason: firstLine(text) } : { decision: 'error', reason: `exit ${r.exitCode} with no output (Gemini lets the call through)` };
  if (r.exitCode === 0) return { decision: 'none', reason: text ? firstLine(text) : '(no output)' };
  return { decision: 'error', reason: `exit ${r.exitCode} (Gemini lets the call through): ${firstLine(r.stderr)}` };
}

export const geminiInstaller: AgentInstaller = {
  id: 'gemini',
  label: 'Gemini CLI',
  program: 'gemini',
  defaultScope: 'project',
  file: settingsFile,
  signs: (w) => [
    { dir: join(w.projectRoot, '.gemini'), why: '.gemini/ in the project' },
    { dir: join(w.home, '.gemini'), why: '~/.gemini exists' },
  ],
  plan,
  scan,
  interpret,
  versionFindings(v) {
    return [{ severity: 'info', id: 'gemini.version', message: `Gemini CLI ${v}: it has no fail-closed switch; fwguard's command line turns "could not run" into a block, a hook timeout still lets the call through` }];
  },
};
