// Installing fwguard's hook into Claude Code settings (`fwguard init`), and finding it again
// (`fwguard init --remove`, `fwguard doctor`).
// The settings logic is pure (settings object in, settings object out); the fs wrapper at the end
// is small and only reads/writes the files named.
// INVARIANT: hooks that are not fwguard's, and every other settings key, are left exactly as found.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addNested, findNested, isObject, removeNested, type HookEdit } from './hook-file.js';
import { ensureSnapshot } from './snapshot.js';
import { firstCommandWords } from '../shell/index.js';

export type Scope = 'project' | 'user';

/** The hook events fwguard registers for Claude Code. */
export const EVENTS = ['PreToolUse', 'PostToolUse'] as const;
export type HookEvent = (typeof EVENTS)[number];

/** Matcher for every tool, so tools fwguard does not know are judged too. */
export const ALL_TOOLS = '*';

/** Seconds before Claude Code gives up on the hook (then `onFailure: "block"` blocks the call). */
export const DEFAULT_TIMEOUT = 10;

export interface CommandHandler {
  type: 'command';
  command: string;
  args?: string[];
  timeout?: number;
  onFailure?: string;
  [key: string]: unknown;
}

export interface MatcherGroup {
  matcher?: string;
  hooks: unknown[];
  [key: string]: unknown;
}

/** A Claude Code settings object; only `hooks` is interpreted, the rest is carried through. */
export type Settings = Record<string, unknown>;

/**
 * The exec-form handler `init` writes: no shell, so CLAUDE_CODE_SHELL_PREFIX cannot wrap it.
 * With `blob`, node starts from the hook's startup snapshot (much faster than loading bin/run.js).
 */
export function fwguardHandler(opts: { node: string; bin: string; blob?: string; timeout?: number }): CommandHandler {
  return {
    type: 'command',
    command: opts.node,
    args: opts.blob ? ['--snapshot-blob', opts.blob, 'hook', 'claude-code'] : [opts.bin, 'hook', 'claude-code'],
    timeout: opts.timeout ?? DEFAULT_TIMEOUT,
    onFailure: 'block',
  };
}

/** A path that names fwguard's executable: `…/fwguard/bin/run.js`, `fwguard`, `fwguard.cmd`. */
export function looksLikeFwguardBin(p: string): boolean {
  const norm = p.replace(/\\/g, '/');
  if (/(^|\/)fwguard\/(bin\/run\.js|dist\/hook\.blob)$/.test(norm)) return true;
  return /^fwguard(\.cmd|\.exe|\.js)?$/i.test(basename(norm));
}

export interface RecogniseOptions {
  /** The bin/run.js of the running fwguard: an entry naming it is ours. */
  bin?: string;
  /** Extra test for a bin path (e.g. "its package.json says fwguard"); impure, so injected. */
  isFwguardBin?: (path: string) => boolean;
}

/**
 * Is this hook handler fwguard's Claude Code hook?
 * Exec form: `args` holds 'hook' and 'claude-code', and the program (or args[0] when the program is
 * node) is fwguard's bin. Shell form: the command text runs `fwguard … hook claude-code`.
 */
export function isFwguardHandler(h: unknown, opts: RecogniseOptions = {}): boolean {
  if (!isObject(h) || h.type !== 'command' || typeof h.command !== 'string') return false;
  const isOurs = (p: string): boolean =>
    (opts.bin !== undefined && p === opts.bin) || looksLikeFwguardBin(p) || (opts.isFwguardBin?.(p) ?? false);
  if (Array.isArray(h.args)) {
    const args = h.args.filter((a): a is string => typeof a === 'string');
    const hi = args.indexOf('hook');
    if (hi === -1 || args[hi + 1] !== 'claude-code') return false;
    if (isOurs(h.command)) return true;
    return args.slice(0, hi).some(isOurs);
  }
  // Shell form: `fwguard hook claude-code`, `npx fwguard hook claude-code`, `node …/bin/run.js hook claude-code`.
  const words = firstCommandWords(h.command);
  const hi = words.indexOf('hook');
  if (hi === -1 || words[hi + 1] !== 'claude-code') return false;
  return words.slice(0, hi).some(isOurs);
}

export interface FoundHook {
  event: string;
  matcher: string | undefined;
  handler: CommandHandler;
  /** Indexes into settings.hooks[event] and its group's hooks. */
  group: number;
  index: number;
}

/** Every fwguard handler in the settings, for any event. */
export function findFwguardHooks(settings: Settings, opts: RecogniseOptions = {}): FoundHook[] {
  return findNested(settings, (h) => isFwguardHandler(h, opts)).map((f) => ({
    ...f,
    matcher: typeof f.matcher === 'string' ? f.matcher : undefined,
    handler: f.handler as CommandHandler,
  }));
}

export type EditResult = HookEdit;

/** A group with one of these matchers sees every tool. */
const coversAllTools = (m: unknown) => m === undefined || m === '' || m === ALL_TOOLS;

/**
 * Ensure exactly one fwguard handler per event in `events`, equal to `handler`, in a group whose
 * matcher covers every tool. A stale fwguard handler (another node path, no onFailure…) is replaced
 * where it stands; duplicates are removed. Nothing else is touched. Returns a new object.
 */
export function addHooks(
  input: Settings,
  handler: CommandHandler,
  opts: RecogniseOptions & { events?: readonly string[] } = {},
): EditResult {
  const events = opts.events ?? EVENTS;
  const recog: RecogniseOptions = { bin: opts.bin ?? handler.args?.[0], isFwguardBin: opts.isFwguardBin };
  const handlers = Object.fromEntries(events.map((e) => [e, handler]));
  return addNested(input, handlers, { events, matcher: ALL_TOOLS, coversAll: coversAllTools, isOurs: (h) => isFwguardHandler(h, recog) }, 'the settings file');
}

/** Take every fwguard handler out; drop groups and events that only held fwguard. Returns a new object. */
export function removeHooks(input: Settings, opts: RecogniseOptions = {}): EditResult {
  return removeNested(input, (h) => isFwguardHandler(h, opts));
}

/** Settings JSON as Claude Code writes it: 2-space indent, trailing newline. */
export function formatSettings(settings: Settings): string {
  return JSON.stringify(settings, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// A small unified diff (line based, LCS), for --dry-run.

export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) return '';
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  type Op = { tag: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) {
    a.forEach((line, i) => ops.push({ tag: '-', line, ai: i, bi: 0 }));
    b.forEach((line, j) => ops.push({ tag: '+', line, ai: n, bi: j }));
  } else {
    // lcs[i][j] = LCS length of a[i..] and b[j..]
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      const row = lcs[i]!;
      const next = lcs[i + 1]!;
      for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? next[j + 1]! + 1 : Math.max(next[j]!, row[j + 1]!);
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) {
        ops.push({ tag: ' ', line: a[i]!, ai: i, bi: j });
        i++;
        j++;
      } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        ops.push({ tag: '-', line: a[i]!, ai: i, bi: j });
        i++;
      } else {
        ops.push({ tag: '+', line: b[j]!, ai: i, bi: j });
        j++;
      }
    }
  }
  // Group changes closer than 2*context into one hunk, with `context` lines around.
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  const changedAt = ops.flatMap((o, idx) => (o.tag === ' ' ? [] : [idx]));
  let c = 0;
  while (c < changedAt.length) {
    let last = changedAt[c]!;
    const firstChange = last;
    while (c + 1 < changedAt.length && changedAt[c + 1]! - last <= 2 * context + 1) last = changedAt[++c]!;
    c++;
    const hunk = ops.slice(Math.max(0, firstChange - context), Math.min(ops.length, last + context + 1));
    const first = hunk[0]!;
    const aCount = hunk.filter((o) => o.tag !== '+').length;
    const bCount = hunk.filter((o) => o.tag !== '-').length;
    const aStart = aCount === 0 ? first.ai : first.ai + 1;
    const bStart = bCount === 0 ? first.bi : first.bi + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(o.tag + o.line);
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Locations

/** The git top-level above `cwd` (a `.git` dir or file), found without spawning git; else `cwd`. */
export function projectRootOf(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(cwd);
    dir = up;
  }
}

export function settingsPath(scope: Scope, where: { projectRoot: string; home: string }): string {
  return scope === 'user' ? join(where.home, '.claude', 'settings.json') : join(where.projectRoot, '.claude', 'settings.json');
}

/** Every Claude Code settings file that can hold (or switch off) hooks for this project. */
export function allSettingsPaths(where: { projectRoot: string; home: string }): { path: string; scope: string }[] {
  return [
    { path: join(where.projectRoot, '.claude', 'settings.json'), scope: 'project' },
    { path: join(where.projectRoot, '.claude', 'settings.local.json'), scope: 'local' },
    { path: join(where.home, '.claude', 'settings.json'), scope: 'user' },
    { path: join(where.home, '.claude', 'settings.local.json'), scope: 'user-local' },
  ];
}

/** The fwguard package root (the folder holding its package.json), from this module's location. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        const name = (JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }).name;
        if (name === 'fwguard') return dir;
      } catch {
        // keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find fwguard's package.json above ${from}`);
    dir = up;
  }
}

/** Absolute path of fwguard's bin/run.js (symlinks resolved, so the entry survives `npm link`). */
export function binPath(root: string = packageRoot()): string {
  const p = join(root, 'bin', 'run.js');
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** True when `<p>/../../package.json` (p = …/bin/run.js) names the fwguard package. */
export function binBelongsToFwguard(p: string): boolean {
  const norm = p.replace(/\\/g, '/');
  if (!norm.endsWith('/bin/run.js') && !norm.endsWith('/dist/hook.blob')) return false;
  try {
    const pj = JSON.parse(readFileSync(join(dirname(dirname(p)), 'package.json'), 'utf8')) as { name?: unknown };
    return pj.name === 'fwguard';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// File I/O

export interface SettingsFile {
  path: string;
  exists: boolean;
  /** The raw text ('' when missing). */
  text: string;
  settings: Settings;
}

/** Read a settings file; a missing file is `{}`. Invalid JSON is an error naming the file. */
export function readSettings(path: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, text: '', settings: {} };
    throw err;
  }
  if (text.trim() === '') return { path, exists: true, text, settings: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); fix it by hand, then run the command again`, { cause: err });
  }
  if (!isObject(parsed)) throw new Error(`${path} does not hold a JSON object; fix it by hand, then run the command again`);
  return { path, exists: true, text, settings: parsed };
}

export function writeSettings(path: string, settings: Settings): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatSettings(settings));
}

// ---------------------------------------------------------------------------------------------
// The whole `init` plan: what to write where. Pure apart from reading the files it names.

/** File names cosmiconfig (module "fwguard") finds in a folder. */
export const CONFIG_NAMES = [
  '.fwguardrc',
  '.fwguardrc.json',
  '.fwguardrc.yaml',
  '.fwguardrc.yml',
  '.fwguardrc.js',
  '.fwguardrc.cjs',
  '.fwguardrc.mjs',
  '.fwguardrc.ts',
  '.config/fwguardrc',
  '.config/fwguardrc.json',
  '.config/fwguardrc.yaml',
  '.config/fwguardrc.yml',
  '.config/fwguardrc.js',
  '.config/fwguardrc.cjs',
  '.config/fwguardrc.mjs',
  'fwguard.config.js',
  'fwguard.config.cjs',
  'fwguard.config.mjs',
  'fwguard.config.ts',
];

/** The config file already in `dir`, if any (package.json#fwguard counts). */
export function existingConfig(dir: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const p = join(dir, name);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  const pj = join(dir, 'package.json');
  if (existsSync(pj)) {
    try {
      const json = JSON.parse(readFileSync(pj, 'utf8')) as Record<string, unknown>;
      if (json.fwguard !== undefined) return `${pj}#fwguard`;
    } catch {
      // not ours to judge
    }
  }
  return undefined;
}

export const MINIMAL_CONFIG = `# fwguard configuration (https://github.com/fwguard/fwguard)
# With no keys at all you get the "balanced" policy described in POLICY.md.
# Every key is optional; run \`fwguard rules\` to list rule ids, \`fwguard test\` to check examples.

# preset: balanced          # or: strict (asks before running programs fwguard does not know)

# scope:
#   write: []               # extra folders (globs) where writes are allowed without asking

# protect: []               # extra paths that may never be written or deleted
# secrets: []               # extra files whose reading needs a person's OK

# branches:
#   protected: [main, master, trunk, production, prod, 'release/*']

# rules:                    # add rules, or change a built-in rule's verdict by id
#   - id: git.push.protected
#     verdict: deny

# ci:
#   ask: deny               # what "ask" becomes with nobody to ask (CI, --ci)

# audit:
#   path: ~/.local/state/fwguard/trace.jsonl
`;

/** The template for a new config: the package's .fwguardrc.example, else a minimal commented file. */
export function configTemplate(root: string = packageRoot()): string {
  try {
    return readFileSync(join(root, '.fwguardrc.example'), 'utf8');
  } catch {
    return MINIMAL_CONFIG;
  }
}

export interface FileChange {
  path: string;
  before: string;
  after: string;
  /** What happens, for the user: 'create', 'update', 'unchanged', 'skip', 'delete' (a file only fwguard wrote). */
  action: 'create' | 'update' | 'unchanged' | 'skip' | 'delete';
  notes: string[];
}

/** A planned change of one JSON file from an edit (create / update / unchanged). */
export function jsonChange(path: string, exists: boolean, before: string, edit: EditResult): FileChange {
  const after = edit.changed ? formatSettings(edit.settings) : before;
  return { path, before, after, action: !edit.changed ? 'unchanged' : exists ? 'update' : 'create', notes: edit.notes };
}

export interface InitOptions {
  cwd: string;
  home?: string;
  scope?: Scope;
  remove?: boolean;
  force?: boolean;
  /** Absolute node binary; default process.execPath. */
  node?: string;
  /** Absolute bin/run.js; default this package's. */
  bin?: string;
  /** Register the startup-snapshot form when usable (default true); false: always bin/run.js. */
  snapshot?: boolean;
  /** Package root for the config template; default this package's. */
  root?: string;
  timeout?: number;
  /** Plan the .fwguardrc.yaml too (default true; the multi-agent init plans it once itself). */
  withConfig?: boolean;
}

/** The project's fwguard config: create the commented template, keep what exists (--force: replace it). */
export function planConfig(projectRoot: string, root: string, force: boolean): FileChange {
  const cfgPath = join(projectRoot, '.fwguardrc.yaml');
  const found = existingConfig(projectRoot);
  const template = configTemplate(root);
  if (found === undefined) return { path: cfgPath, before: '', after: template, action: 'create', notes: ['commented config (balanced preset)'] };
  if (force && found === cfgPath) {
    const before = readFileSync(cfgPath, 'utf8');
    return {
      path: cfgPath,
      before,
      after: template,
      action: before === template ? 'unchanged' : 'update',
      notes: before === template ? [] : ['replaced with the commented template (--force); the old file is saved as .fwguardrc.yaml.bak'],
    };
  }
  return { path: found, before: '', after: '', action: 'skip', notes: ['a config already exists; left as is'] };
}

export interface InitPlan {
  projectRoot: string;
  settingsFile: string;
  changes: FileChange[];
  handler: CommandHandler;
  /** Warnings to show (e.g. disableAllHooks somewhere). */
  warnings: string[];
}

export function planInit(o: InitOptions): InitPlan {
  const home = o.home ?? process.env.HOME ?? homedir();
  const projectRoot = projectRootOf(o.cwd);
  const scope = o.scope ?? 'project';
  const root = o.root ?? packageRoot();
  const bin = o.bin ?? binPath(root);
  const node = o.node ?? process.execPath;
  const snap = o.remove || o.snapshot === false ? { note: '' } : ensureSnapshot(root, node);
  const handler = fwguardHandler({ node, bin, ...(snap.blob ? { blob: snap.blob } : {}), timeout: o.timeout });
  const recog: RecogniseOptions = { bin, isFwguardBin: binBelongsToFwguard };
  const sPath = settingsPath(scope, { projectRoot, home });
  const changes: FileChange[] = [];
  const warnings: string[] = [];
  if (!o.remove && o.snapshot !== false && !snap.blob) warnings.push(snap.note);

  // 1. The config file (never on --remove: the user's policy stays theirs).
  if (!o.remove && o.withConfig !== false) changes.push(planConfig(projectRoot, root, o.force === true));

  // 2. The settings file.
  const file = readSettings(sPath);
  const edit = o.remove ? removeHooks(file.settings, recog) : addHooks(file.settings, handler, recog);
  changes.push(jsonChange(sPath, file.exists, file.text, edit));

  // 3. Anything that would switch the hook off.
  if (!o.remove) {
    for (const { path } of allSettingsPaths({ projectRoot, home })) {
      try {
        const s = path === sPath ? edit.settings : readSettings(path).settings;
        if (s.disableAllHooks === true) {
          warnings.push(`${path} sets "disableAllHooks": true, which switches every hook off, fwguard included: remove that key`);
        }
      } catch (err) {
        warnings.push((err as Error).message);
      }
    }
  }
  return { projectRoot, settingsFile: sPath, changes, handler, warnings };
}

/** Write the planned changes (skips 'unchanged' and 'skip'). */
export function applyInit(plan: { changes: FileChange[] }): void {
  for (const c of plan.changes) {
    if (c.action === 'delete') {
      rmSync(c.path, { force: true });
      continue;
    }
    if (c.action !== 'create' && c.action !== 'update') continue;
    mkdirSync(dirname(c.path), { recursive: true });
    if (c.action === 'update' && c.path.endsWith('.fwguardrc.yaml')) writeFileSync(c.path + '.bak', c.before);
    writeFileSync(c.path, c.after);
  }
}

/** The dry-run output: a unified diff per file that would change. */
export function planDiff(plan: { changes: FileChange[] }): string {
  return plan.changes
    .filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete')
    .map((c) => unifiedDiff(c.before, c.after, c.action === 'create' ? '/dev/null' : `a${c.path}`, c.action === 'delete' ? '/dev/null' : `b${c.path}`))
    .join('');
}
