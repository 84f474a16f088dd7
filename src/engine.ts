// The decision pipeline for one proposal: parse → classify → facts → rules → Decision.
// One fail-closed boundary: any exception becomes deny (rule internal.error), never allow.
import { homedir, tmpdir } from 'node:os';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cosmiconfigSync } from 'cosmiconfig';
import type { Action, Decision, Proposal, ShellAnalysis } from './types.js';
import { analyzeShell } from './shell/index.js';
import { classify } from './actions/classify.js';
import { resolvePath } from './actions/reader.js';
import { evaluate, type EvalContext, type PolicyConfig } from './policy/evaluate.js';
import { buildPolicy, ConfigError, validateConfig, type FwguardConfig, type Layer } from './policy/config.js';
import { builtinPacks, packageRoot } from './policy/builtin.js';
import { nodeFacts } from './policy/facts-node.js';
import type { FactSource } from './policy/facts.js';
import { intentKey } from './session/state.js';
import type { EvaluateOptions, Evaluation } from './api.js';

/**
 * Commands larger than this are asked about without parsing (and never allowed). 256 KiB keeps
 * every decision bounded (a 200 KB line of real commands decides in ~15 ms; hostile 900 KB words
 * cost 100+ ms to read) while no agent-written command comes near it.
 */
export const MAX_COMMAND_BYTES = 256 * 1024;
/** Internal deadline for the shell walk: far below any hook timeout. */
export const ANALYSIS_BUDGET_MS = 250;

export interface LoadedPolicy {
  policy: PolicyConfig;
  projectRoot: string;
  configFiles: string[];
  raw: { file: string; config: FwguardConfig }[];
  /** What was ignored from an untrusted project config, for people (explain, check, trace). */
  notes?: string[];
}

/** The trust store: config file path → SHA-256 of the bytes the user trusted (`fwguard trust`). */
export function trustFile(states: string): string {
  return states + '/trust.json';
}

function sha256(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** Is this exact file content pinned as trusted? Any edit makes it untrusted again. */
export function isTrusted(states: string, file: string): boolean {
  try {
    const pins = JSON.parse(readFileSync(trustFile(states), 'utf8')) as Record<string, string>;
    const h = pins[file];
    return h !== undefined && h === sha256(file);
  } catch {
    return false;
  }
}

/** Pin a config file's current bytes as trusted (fwguard trust; fwguard init for the file it writes). */
export function trustConfig(states: string, file: string): string {
  const h = sha256(file);
  if (h === null) throw new Error(`cannot read ${file}`);
  let pins: Record<string, string> = {};
  try {
    pins = JSON.parse(readFileSync(trustFile(states), 'utf8')) as Record<string, string>;
  } catch {
    /* first pin */
  }
  pins[file] = h;
  mkdirSync(states, { recursive: true, mode: 0o700 });
  writeFileSync(trustFile(states) + '.tmp', JSON.stringify(pins, null, 2) + '\n', { mode: 0o600 });
  renameSync(trustFile(states) + '.tmp', trustFile(states));
  return h;
}

/** A managed policy must be root-owned and not writable by others, or it is an error (fail closed). */
function checkManagedOwnership(file: string, env: Record<string, string | undefined>): void {
  if (env.FWGUARD_MANAGED_DIR && env.FWGUARD_MANAGED_INSECURE_OK === '1') return; // tests only
  for (const p of [file, dirname(file)]) {
    const st = statSync(p);
    if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
      throw new ConfigError(file, `${p} must be owned by root and writable only by root (mode ${(st.mode & 0o777).toString(8)}, owner uid ${st.uid}); a managed policy anyone can edit is not a policy`);
    }
  }
}

const SEARCH_PLACES = [
  '.fwguardrc', '.fwguardrc.json', '.fwguardrc.yaml', '.fwguardrc.yml', '.fwguardrc.js', '.fwguardrc.cjs',
  'fwguard.config.js', 'fwguard.config.cjs', 'fwguard.config.json', 'fwguard.config.yaml', 'fwguard.config.yml',
  'package.json',
];

/** fwguard's state dir (trace, sessions, backups, trust pins): one definition, in src/audit. */
export { defaultStateDir as stateDir } from './audit/trace.js';
import { defaultStateDir as stateDir } from './audit/trace.js';

export function userConfigDir(env: Record<string, string | undefined>, home: string): string {
  return (env.XDG_CONFIG_HOME || home + '/.config') + '/fwguard';
}

/**
 * Find and load the config layers for cwd: user config (~/.config/fwguard/config.*) first, then
 * the nearest project config above cwd. Throws ConfigError on an invalid file.
 * The search reads each folder once (one readdir instead of a stat per candidate name); the
 * file found is loaded by cosmiconfig, the one config loader.
 */
export function loadPolicy(cwd: string, home: string, env: Record<string, string | undefined>, facts: FactSource): LoadedPolicy {
  const layers: Layer[] = [];
  const notes: string[] = [];
  // 1. The project config (nearest above cwd): only tightens unless the user trusted its bytes.
  const userDir = userConfigDir(env, home);
  const found = findProjectConfig(cwd, facts, userDir);
  let projectRoot: string;
  if (found) {
    const trusted = isTrusted(stateDir(env, home), found);
    layers.push({ file: found, config: validateConfig(loadFile(found), found), tier: 'project', tighten: !trusted });
    projectRoot = dirname(found);
  } else projectRoot = facts.gitTop(cwd) ?? cwd;
  // 2. The user's own config.
  const userNames = new Set(facts.readdir(userDir) ?? []);
  const userFile = ['config.yaml', 'config.yml', 'config.json', '.fwguardrc', '.fwguardrc.yaml', '.fwguardrc.yml', '.fwguardrc.json'].find((n) => userNames.has(n));
  if (userFile) {
    const f = `${userDir}/${userFile}`;
    layers.push({ file: f, config: validateConfig(loadFile(f), f), tier: 'user' });
  }
  // 3. A managed policy (an administrator's): last, so its verdicts win.
  const managedDir = env.FWGUARD_MANAGED_DIR ?? '/etc/fwguard';
  const managedName = ['policy.yaml', 'policy.yml', 'policy.json'].find((n) => (facts.readdir(managedDir) ?? []).includes(n));
  if (managedName) {
    const f = `${managedDir}/${managedName}`;
    checkManagedOwnership(f, env);
    layers.push({ file: f, config: validateConfig(loadFile(f), f), tier: 'managed' });
  }
  const policy = buildPolicy(builtinPacks(), layers, notes);
  return { policy, projectRoot, configFiles: layers.map((l) => l.file), raw: layers, notes };
}

/** The nearest `.fwguardrc*` / `fwguard.config.*` / package.json with a `fwguard` key above cwd. */
export function findProjectConfig(cwd: string, facts: FactSource, userDir: string): string | null {
  let dir = cwd;
  for (let guard = 0; guard < 256; guard++) {
    if (dir !== userDir) {
      const names = new Set(facts.readdir(dir) ?? []);
      for (const n of SEARCH_PLACES) {
        if (!names.has(n)) continue;
        const file = (dir === '/' ? '' : dir) + '/' + n;
        if (n !== 'package.json') return file;
        try {
          const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
          if (pkg && typeof pkg === 'object' && 'fwguard' in pkg) return file;
        } catch {
          /* an unreadable package.json holds no fwguard config */
        }
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

let explorer: ReturnType<typeof cosmiconfigSync> | undefined;

function loadFile(f: string): unknown {
  explorer ??= cosmiconfigSync('fwguard', { searchPlaces: SEARCH_PLACES, cache: false });
  try {
    return explorer.load(f)?.config;
  } catch (e) {
    throw new ConfigError(f, e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
}

/** A loaded policy kept by a long-lived caller (a broker, a benchmark), keyed by cwd. */
export interface PolicyCacheEntry {
  loaded: LoadedPolicy;
  /** mtimes of the config files it was built from, and when it was loaded. */
  stamps: number[];
  at: number;
}

/**
 * Reuse a loaded policy while its config files are unchanged; reload after a second anyway, so a
 * config file created since is found. A config error is never cached (it is thrown each time).
 */
export function cachedPolicy(cache: Map<string, PolicyCacheEntry>, cwd: string, home: string, env: Record<string, string | undefined>, facts: FactSource): LoadedPolicy {
  const now = Date.now();
  const hit = cache.get(cwd);
  if (hit && now - hit.at < 1000 && hit.loaded.configFiles.every((f, k) => mtime(f) === hit.stamps[k])) return hit.loaded;
  const loaded = loadPolicy(cwd, home, env, facts);
  cache.set(cwd, { loaded, stamps: loaded.configFiles.map(mtime), at: now });
  return loaded;
}

function mtime(f: string): number {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return -1;
  }
}

let osTmp: string | undefined;

export function tmpDirs(env: Record<string, string | undefined>): string[] {
  const dirs = new Set(['/tmp', '/var/tmp']);
  if (env.TMPDIR) dirs.add(env.TMPDIR.replace(/\/+$/, '') || '/tmp');
  // os.tmpdir() reads the process environment on every call; it does not change in a process.
  osTmp ??= tmpdir();
  dirs.add(osTmp);
  return [...dirs];
}

/** Turn a proposal into actions (shell proposals through the parser). */
export function proposalActions(p: Proposal, home: string, now: () => number, shellEnv: Record<string, string | undefined> = { HOME: home }): { actions: Action[]; analysis?: ShellAnalysis } {
  const env = { home };
  const cwdRef = (path: string) => resolvePath(path, { argv: [], dyn: [], glob: [], assignments: [], redirects: [], cwd: p.cwd, via: [], pos: 0, text: '' }, env);
  const missing = (what: string): Action => ({ type: 'parse.unknown', cmd: -1, program: p.tool ?? p.kind, issue: { kind: 'syntax', message: `the tool call has no ${what}` } });
  switch (p.kind) {
    case 'shell': {
      const cmd = p.command;
      if (typeof cmd !== 'string' || cmd.trim() === '') return { actions: [missing('command')] };
      if (Buffer.byteLength(cmd) > MAX_COMMAND_BYTES) {
        return { actions: [{ type: 'parse.unknown', cmd: -1, program: 'shell', issue: { kind: 'limit', message: `the command is larger than ${MAX_COMMAND_BYTES} bytes and was not parsed` } }] };
      }
      const start = now();
      const analysis = analyzeShell(cmd, { cwd: p.cwd, home, env: shellEnv, now, deadline: start + ANALYSIS_BUDGET_MS });
      const actions = classify(analysis, env);
      for (const issue of analysis.issues) actions.push({ type: 'parse.unknown', cmd: -1, program: 'shell', issue });
      return { actions, analysis };
    }
    case 'file.write':
    case 'file.edit':
      if (!p.path) return { actions: [missing('file path')] };
      return { actions: [{ type: 'file.write', cmd: -1, program: p.tool ?? p.kind, paths: [cwdRef(p.path)] }] };
    case 'file.read':
      if (!p.path) return { actions: [missing('file path')] };
      return { actions: [{ type: 'file.read', cmd: -1, program: p.tool ?? p.kind, paths: [cwdRef(p.path)] }] };
    case 'web.fetch':
      return { actions: [{ type: 'net.fetch', cmd: -1, program: p.tool ?? 'web', ...(p.url ? { url: p.url } : {}) }] };
    case 'tool': {
      // A tool fwguard has no model of: judged by the paths its input names.
      const paths = pathsInInput(p.input).map(cwdRef);
      return { actions: [{ type: 'tool', cmd: -1, program: p.tool ?? 'tool', name: p.tool ?? 'tool', paths }] };
    }
    default:
      return { actions: [missing('known kind')] };
  }
}

/** Strings in a tool's input that look like paths (absolute, ~, or ./…), bounded. */
function pathsInInput(input: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [input];
  let budget = 2000;
  while (stack.length && budget-- > 0 && out.length < 32) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (/^(\/|~\/|~$|\.\.?\/)/.test(v) && !v.includes('\n') && v.length < 4096) out.push(v);
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  return out;
}

/** The text that identifies what a proposal tries to do (for the loop breaker). */
export function intentOf(p: Proposal): string {
  return intentKey(p.kind === 'shell' ? (p.command ?? '') : `${p.tool ?? p.kind} ${p.path ?? p.url ?? JSON.stringify(p.input ?? '')}`);
}

export function internalErrorDecision(message: string): Decision {
  return { verdict: 'deny', opaque: false, reasons: [{ rule: 'internal.error', verdict: 'deny', message: `fwguard failed while deciding (${message}); the call is denied so nothing runs unchecked. Run \`fwguard doctor\`.`, source: 'internal' }], actions: [], risk: 'irreversible' };
}

export function configErrorDecision(err: ConfigError): Decision {
  return {
    verdict: 'deny',
    opaque: false,
    reasons: [{ rule: 'config.invalid', verdict: 'deny', message: `${err.file}: ${err.detail}. Until this config loads, every command is denied; fix the file (\`fwguard rules\` shows the error).`, source: err.file }],
    actions: [],
    risk: 'irreversible',
  };
}

export function evaluateProposalImpl(p: Proposal, opts: EvaluateOptions = {}): Evaluation {
  const t0 = performance.now();
  const env = opts.env ?? process.env;
  const home = opts.home ?? env.HOME ?? homedir();
  const facts = nodeFacts();
  let projectRoot = p.cwd;
  let configFiles: string[] = [];
  try {
    let loaded: LoadedPolicy;
    try {
      loaded = opts.policyOverride
        ? { policy: opts.policyOverride, projectRoot: facts.gitTop(p.cwd) ?? p.cwd, configFiles: [], raw: [] }
        : opts.policyCache
          ? cachedPolicy(opts.policyCache, p.cwd, home, env, facts)
          : loadPolicy(p.cwd, home, env, facts);
    } catch (e) {
      if (e instanceof ConfigError) {
        return { decision: configErrorDecision(e), projectRoot, configFiles: [e.file], configError: e.message, durationMs: performance.now() - t0 };
      }
      throw e;
    }
    projectRoot = loaded.projectRoot;
    configFiles = loaded.configFiles;
    const shellEnv = { HOME: home, USER: env.USER, LOGNAME: env.LOGNAME, TMPDIR: env.TMPDIR, SHELL: env.SHELL };
    const { actions, analysis } = proposalActions(p, home, () => performance.now(), shellEnv);
    const ctx: EvalContext = {
      facts,
      home,
      cwd: p.cwd,
      projectRoot,
      tmpDirs: tmpDirs(env),
      stateDir: stateDir(env, home),
      selfDir: packageRoot(),
      config: loaded.policy,
      ...(opts.session ? { session: opts.session } : opts.sessionFor ? { session: opts.sessionFor(loaded.policy.sessionTtlMs) } : {}),
      ...(opts.ci ? { ci: true } : {}),
      intent: intentOf(p),
    };
    const decision = evaluate(actions, ctx, analysis);
    if (loaded.policy.opaque === 'allow') decision.opaque = false;
    if (opts.ci && decision.verdict === 'ask' && loaded.policy.ciAsk !== 'ask') {
      decision.verdict = loaded.policy.ciAsk;
      decision.reasons.push({ rule: 'ci.ask', verdict: loaded.policy.ciAsk, message: `nobody can answer a prompt in CI, so ask resolves to ${loaded.policy.ciAsk} (config ci.ask)`, source: 'internal' });
    }
    return { decision, ...(analysis ? { analysis } : {}), projectRoot, configFiles, audit: loaded.policy.audit, loop: loaded.policy.loop, sessionTtlMs: loaded.policy.sessionTtlMs, ...(loaded.notes?.length ? { notes: loaded.notes } : {}), durationMs: performance.now() - t0 };
  } catch (e) {
    return { decision: internalErrorDecision(e instanceof Error ? e.message : String(e)), projectRoot, configFiles, durationMs: performance.now() - t0 };
  }
}
