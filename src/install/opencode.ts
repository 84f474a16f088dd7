// OpenCode (V1 plugin API): fwguard's plugin module (plugins/opencode/fwguard.js) copied into
// .opencode/plugins/ (project) or $XDG_CONFIG_HOME/opencode/plugins/ (user, default
// ~/.config/opencode), with the absolute node + bin/run.js written between its
// `/* fwguard:command */` markers. AGENTS-PROTOCOLS.md §6 and §12 (measured in 1.18.33): a throw
// in tool.execute.before blocks; the plugin throws when fwguard cannot run (fail closed), but a
// plugin that fails to load is skipped silently (fail open) — doctor imports the installed copy
// and runs its tool.execute.before on a known-bad call to prove it loads and blocks.
// A copy, not a reference: the plugin keeps working (and keeps blocking) if the fwguard checkout
// moves, instead of failing to import, which OpenCode would treat as "no plugin".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, type Scope } from './claude-code.js';
import type { Finding, ProbeResult } from './doctor.js';
import {
  compareVersion,
  decisionWord,
  firstLine,
  lastJson,
  readText,
  type AgentInstaller,
  type AgentPlan,
  type DoctorScan,
  type PlanOptions,
  type ProbeVerdict,
  type Where,
} from './agents.js';

export const PLUGIN_NAME = 'fwguard.js';
const MARKER = /\/\* fwguard:command \*\/([\s\S]*?)\/\* \/fwguard:command \*\//;

export function opencodeConfigDir(w: Where): string {
  return join(w.env.XDG_CONFIG_HOME || join(w.home, '.config'), 'opencode');
}

function pluginFile(scope: Scope, w: Where): string {
  return scope === 'user' ? join(opencodeConfigDir(w), 'plugins', PLUGIN_NAME) : join(w.projectRoot, '.opencode', 'plugins', PLUGIN_NAME);
}

/** Every place OpenCode loads file plugins from (the singular `plugin/` is the older spelling). */
function pluginFiles(w: Where): { path: string; scope: string }[] {
  return [
    { path: pluginFile('project', w), scope: 'project' },
    { path: join(w.projectRoot, '.opencode', 'plugin', PLUGIN_NAME), scope: 'project' },
    { path: pluginFile('user', w), scope: 'user' },
    { path: join(opencodeConfigDir(w), 'plugin', PLUGIN_NAME), scope: 'user' },
  ];
}

/** fwguard's plugin source, shipped in the package. */
export function pluginSource(root: string = packageRoot()): string {
  const p = join(root, 'plugins', 'opencode', PLUGIN_NAME);
  const text = readText(p);
  if (text === null) throw new Error(`fwguard's OpenCode plugin is missing (${p}); reinstall fwguard`);
  if (!MARKER.test(text)) throw new Error(`${p} has no /* fwguard:command */ marker; reinstall fwguard`);
  return text;
}

/** Is this file text fwguard's plugin? */
export function isFwguardPlugin(text: string): boolean {
  return MARKER.test(text) && /fwguard/.test(text);
}

/** The command written into an installed plugin (program first), or [] when none. */
export function installedCommand(text: string): string[] {
  const m = MARKER.exec(text);
  if (!m) return [];
  try {
    const v: unknown = JSON.parse(m[1]!.trim());
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function renderPlugin(source: string, argv: readonly string[]): string {
  return source.replace(MARKER, `/* fwguard:command */ ${JSON.stringify(argv)} /* /fwguard:command */`);
}

function plan(o: PlanOptions & { root?: string }): AgentPlan {
  const file = pluginFile(o.scope, o.where);
  const before = readText(file);
  const exists = before !== null;
  if (exists && !isFwguardPlugin(before)) {
    throw new Error(`${file} exists and is not fwguard's plugin; move it away, then run fwguard init again`);
  }
  const warnings: string[] = [];
  if (o.remove) {
    return {
      agent: 'opencode',
      scope: o.scope,
      file,
      changes: exists ? [{ path: file, before, after: '', action: 'delete', notes: ["removed fwguard's plugin"] }] : [],
      warnings,
      todo: [],
    };
  }
  const after = renderPlugin(pluginSource(o.root), [o.cmd.node, o.cmd.bin]);
  const action = !exists ? 'create' : before === after ? 'unchanged' : 'update';
  const notes = action === 'create' ? ["added fwguard's plugin (tool.execute.before blocks by throwing)"] : action === 'update' ? ["updated fwguard's plugin"] : [];
  const cfg = [join(o.where.projectRoot, 'opencode.json'), join(o.where.projectRoot, 'opencode.jsonc')].find((p) => readText(p) !== null);
  if (cfg && /"permission"[\s\S]*"bash"\s*:\s*"deny"/.test(readText(cfg) ?? '')) {
    warnings.push(`${cfg} denies the bash tool outright: OpenCode then hides it, and fwguard's plugin never sees shell calls (nothing runs either)`);
  }
  warnings.push('OpenCode skips a plugin that fails to load without a word, and `opencode --pure` / OPENCODE_PURE=1 load none: run `fwguard doctor --agent opencode` after OpenCode upgrades.');
  return { agent: 'opencode', scope: o.scope, file, changes: [{ path: file, before: before ?? '', after, action, notes }], warnings, todo: [] };
}

/** Imports a plugin copy in a child node and calls its tool.execute.before with the payload on stdin. */
const PLUGIN_PROBE = `
import { pathToFileURL } from 'node:url';
let raw = '';
for await (const c of process.stdin) raw += c;
const p = JSON.parse(raw);
const say = (o) => { process.stdout.write(JSON.stringify(o) + '\\n'); };
let hooks;
try {
  const m = await import(pathToFileURL(process.env.FWGUARD_PLUGIN_PROBE).href);
  const factory = [m.default, ...Object.values(m)].find((v) => typeof v === 'function');
  if (!factory) { say({ decision: 'load-error', reason: 'the module exports no plugin function' }); process.exit(0); }
  hooks = await factory({ directory: p.cwd, worktree: p.cwd, project: {}, client: {}, serverUrl: undefined, $: undefined }, {});
} catch (e) { say({ decision: 'load-error', reason: String(e && e.message || e) }); process.exit(0); }
const before = hooks && hooks['tool.execute.before'];
if (typeof before !== 'function') { say({ decision: 'load-error', reason: 'the plugin has no tool.execute.before' }); process.exit(0); }
try {
  await before({ tool: p.tool, sessionID: p.sessionID, callID: p.callID }, { args: p.args });
  say({ decision: 'none', reason: 'tool.execute.before returned (the call would run)' });
} catch (e) { say({ decision: 'deny', reason: String(e && e.message || e) }); }
`;

/** Run an installed plugin copy on a payload (see PLUGIN_PROBE); the copy is a .mjs so node loads it as ESM. */
export function runPluginProbe(file: string, input: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; node?: string }): ProbeResult {
  const dir = mkdtempSync(join(tmpdir(), 'fwguard-plugin-'));
  try {
    const copy = join(dir, 'fwguard-plugin.mjs');
    writeFileSync(copy, readFileSync(file, 'utf8'));
    const r = spawnSync(opts.node ?? process.execPath, ['--input-type=module', '-e', PLUGIN_PROBE], {
      input,
      cwd: opts.cwd,
      env: { ...opts.env, FWGUARD_PLUGIN_PROBE: copy },
      timeout: opts.timeoutMs,
      encoding: 'utf8',
    });
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    return { exitCode: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut, ...(r.error && !timedOut ? { error: r.error.message } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function scan(w: Where): DoctorScan {
  const findings: Finding[] = [];
  const out: DoctorScan = { files: [], registrations: [], findings };
  for (const { path, scope } of pluginFiles(w)) {
    const text = readText(path);
    const ours = text !== null && isFwguardPlugin(text);
    if (text !== null || path === pluginFile(scope as Scope, w)) out.files.push({ path, scope, exists: text !== null, hooks: ours ? 1 : 0 });
    if (!ours) continue;
    const cmd = installedCommand(text);
    if (cmd.length === 0) {
      findings.push({ severity: w.env.FWGUARD_BIN ? 'warn' : 'error', id: 'opencode.no-command', message: `${path} names no fwguard command (and relies on $FWGUARD_BIN${w.env.FWGUARD_BIN ? '' : ', which is not set'}): it blocks every call`, fix: 'run `fwguard init --agent opencode` again', file: path });
    }
    out.registrations.push({
      agent: 'opencode',
      file: path,
      event: 'tool.execute.before',
      pre: true,
      command: { argv: [...cmd, 'hook', 'opencode'] },
      probeEvent: 'plugin',
      failure: 'blocks',
    });
  }
  if (w.env.OPENCODE_PURE && w.env.OPENCODE_PURE !== '0') {
    findings.push({ severity: 'error', id: 'opencode.pure', message: 'OPENCODE_PURE is set in this environment: OpenCode loads no plugins, fwguard included', fix: 'unset OPENCODE_PURE' });
  }
  return out;
}

/** What the plugin probe (or `fwguard hook opencode` itself) answered. */
function interpret(r: ProbeResult): ProbeVerdict {
  if (r.timedOut) return { decision: 'error', reason: 'timed out (OpenCode has no hook timeout: the session would hang)' };
  if (r.error) return { decision: 'error', reason: r.error };
  const j = lastJson(r.stdout);
  if (j?.decision === 'load-error') return { decision: 'error', reason: `the plugin does not load: ${String(j.reason)} (OpenCode would skip it and run every tool unguarded)` };
  if (j?.decision === 'deny' && /^\[fwguard internal\.error\]/.test(String(j.reason))) return { decision: 'error', reason: `${String(j.reason)} (it blocks every call)` };
  const d = j ? (decisionWord(j.decision) ?? (j.decision === 'none' ? 'none' : undefined)) : undefined;
  if (d) return { decision: d, reason: String(j?.reason ?? '') };
  return { decision: 'error', reason: `exit ${r.exitCode}: ${firstLine(r.stderr) || firstLine(r.stdout)}` };
}

export const opencodeInstaller: AgentInstaller = {
  id: 'opencode',
  label: 'OpenCode',
  program: 'opencode',
  defaultScope: 'project',
  file: pluginFile,
  signs: (w) => [
    { dir: join(w.projectRoot, '.opencode'), why: '.opencode/ in the project' },
    { file: join(w.projectRoot, 'opencode.json'), why: 'opencode.json in the project' },
    { dir: opencodeConfigDir(w), why: `${opencodeConfigDir(w)} exists` },
  ],
  plan,
  scan,
  interpret,
  versionFindings(v) {
    const cmp = compareVersion(v, [2, 0, 0]);
    if (cmp !== null && cmp >= 0) {
      return [{ severity: 'error', id: 'opencode.v2', message: `OpenCode ${v} does not load V1 plugins: fwguard's plugin never runs`, fix: 'use OpenCode 1.x until fwguard ships a V2 plugin, or run it under `fwguard run -- opencode`' }];
    }
    return [{ severity: 'info', id: 'opencode.version', message: `OpenCode ${v}: the plugin blocks by throwing; it throws when fwguard cannot run` }];
  },
};
