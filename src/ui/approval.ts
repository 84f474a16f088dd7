// What a person's broader approvals mean, as data (no Ink here):
//   `s` → a session allowance: each asking action's type in a scope relative to the project
//         (`rm under drafts/**`), stored in session memory;
//   `a` → an allow rule with `overrides` appended to the USER config (never a project file),
//         validated with the config schema before it is written.
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { defaultLoadersSync } from 'cosmiconfig';
import { userConfigDir } from '../engine.js';
import { buildPolicy, validateConfig, type FwguardConfig } from '../policy/config.js';
import { builtinPacks } from '../policy/builtin.js';
import { NEVER_LIFTED } from '../policy/evaluate.js';
import type { Allowance } from '../session/state.js';
import type { Action, Decision } from '../types.js';

/** The session scope the `s` key offers, shown to the person before it is stored. */
export interface SessionAllowance {
  entries: Allowance[];
  /** "rm under drafts/**" */
  label: string;
}

/** Action types whose asks a person can scope (the rest have nothing to scope by). */
const UNSCOPABLE = new Set(['parse.unknown', 'code.dynamic', 'code.inline', 'exec', 'tool', 'guard.disable', 'system.destroy']);
const QUIET = new Set(['file.read', 'git.read', 'infra.read', 'net.fetch', 'git.local', 'package.install']);

/** The actions of a decision that a session or "always" approval would be about. */
function askingActions(d: Decision): Action[] {
  return d.actions.filter((a) => !QUIET.has(a.type) && !(a.type === 'exec' && a.known));
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A literal path as a glob (`*`, `?`, `[`, `\` in names match only themselves). */
export function globEscape(s: string): string {
  return s.replace(/[*?[\\]/g, '\\$&');
}

/** The scope one path gives: a directory covers everything below it (`dir/**`), a file itself. */
function scopeOf(abs: string, root: string): string | null {
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) return null;
  return isDir(abs) ? `${globEscape(rel)}/**` : globEscape(rel);
}

function verbOf(a: Action): string {
  return a.type === 'file.delete' ? (a.move ? 'mv' : a.program || 'delete') : a.program || a.type;
}

/**
 * The `s` pattern for a decision, or why there is none (a path outside the project or unknown,
 * code fwguard cannot scope, a denied line).
 */
export function proposeSessionAllowance(d: Decision, projectRoot: string): SessionAllowance | { unavailable: string } {
  if (d.verdict === 'deny') return { unavailable: 'a denied line cannot be allowed' };
  const entries: Allowance[] = [];
  const labels: string[] = [];
  for (const a of askingActions(d)) {
    if (UNSCOPABLE.has(a.type)) return { unavailable: `${a.type} (${a.program}) cannot be scoped to a pattern` };
    if ('paths' in a && a.paths.length) {
      for (const p of a.paths) {
        if (p.abs === null) return { unavailable: `${p.raw} is not known before the command runs` };
        const glob = scopeOf(p.abs, projectRoot);
        if (glob === null) return { unavailable: `${p.raw} is outside the project (${projectRoot})` };
        if (entries.some((e) => e.action === a.type && e.glob === glob)) continue;
        entries.push({ action: a.type, root: projectRoot, glob, label: '' });
        labels.push(`${verbOf(a)} ${glob.endsWith('/**') ? 'under' : 'of'} ${glob}`);
      }
    } else {
      const program = a.program.slice(a.program.lastIndexOf('/') + 1);
      if (!program) return { unavailable: `${a.type} names no program` };
      if (entries.some((e) => e.action === a.type && e.program === program)) continue;
      entries.push({ action: a.type, program, label: '' });
      labels.push(`any ${a.type} by ${program}`);
    }
  }
  if (!entries.length) return { unavailable: 'nothing in this line can be scoped' };
  // Only the asks the person saw are approved: a later call in the same scope that asks for
  // another reason (a global install, a path outside the project through a link) still asks.
  const rules = [...new Set(d.reasons.filter((r) => r.verdict === 'ask' && !NEVER_LIFTED.test(r.rule)).map((r) => r.rule))];
  if (!rules.length) return { unavailable: 'the ask comes from session memory (loop breaker, budget or data flow), which an approval cannot lift' };
  const label = labels.join(', ');
  return { entries: entries.map((e) => ({ ...e, label, rules })), label };
}

// ---------------------------------------------------------------------------------------------
// `a`: an allow rule in the user config

export interface AlwaysRule {
  /** The rule as written (one per action type). */
  rules: NonNullable<FwguardConfig['rules']>;
  label: string;
}

/** The allow rules `a` would write: the asking actions' scopes as absolute globs, lifting the ask rules that fired. */
export function proposeAlwaysRule(d: Decision, projectRoot: string, now = new Date()): AlwaysRule | { unavailable: string } {
  const scoped = proposeSessionAllowance(d, projectRoot);
  if ('unavailable' in scoped) return scoped;
  const overrides = [...new Set(d.reasons.filter((r) => r.verdict === 'ask' && !NEVER_LIFTED.test(r.rule)).map((r) => r.rule))];
  if (!overrides.length) return { unavailable: 'the ask comes from session memory (loop breaker, budget or data flow), which a rule cannot lift' };
  const byType = new Map<string, Allowance[]>();
  for (const e of scoped.entries) byType.set(e.action, [...(byType.get(e.action) ?? []), e]);
  const day = now.toISOString().slice(0, 10);
  const rules: NonNullable<FwguardConfig['rules']> = [];
  const labels: string[] = [];
  for (const [type, es] of byType) {
    const withPaths = es.filter((e) => e.glob !== undefined);
    const progs = es.filter((e) => e.program !== undefined).map((e) => e.program!);
    const globs = withPaths.map((e) => `${globEscape(e.root!)}/${e.glob}`);
    for (const g of globs.length ? globs : [undefined]) {
      const when: Record<string, unknown> & { action: string } = { action: type };
      if (g !== undefined) when.paths = { path: { glob: g } };
      else if (progs.length) when.program = progs.length === 1 ? progs[0] : progs;
      const text = g ?? progs.join(', ');
      const id = `user.always.${type.replace(/\./g, '-')}-${createHash('sha256').update(JSON.stringify(when)).digest('hex').slice(0, 8)}`;
      rules.push({ id, when, verdict: 'allow', overrides, message: `Allowed always by the user in the fwguard prompt on ${day}: ${type} of ${text}.` });
      labels.push(`${type} ${g ? `of ${g}` : `by ${text}`}`);
    }
  }
  return { rules, label: `${labels.join(', ')} (lifts ${overrides.join(', ')})` };
}

/** The user config file `a` writes to (an existing one, else config.yaml, created). */
export function userConfigFile(env: NodeJS.ProcessEnv): { file: string; exists: boolean } {
  const dir = userConfigDir(env, env.HOME ?? homedir());
  for (const n of ['config.yaml', 'config.yml', 'config.json', '.fwguardrc', '.fwguardrc.yaml', '.fwguardrc.yml', '.fwguardrc.json']) {
    const f = join(dir, n);
    if (existsSync(f)) return { file: f, exists: true };
  }
  return { file: join(dir, 'config.yaml'), exists: false };
}

function parse(file: string, text: string): unknown {
  if (text.trim() === '') return {};
  if (file.endsWith('.json') || (file.endsWith('.fwguardrc') && text.trim().startsWith('{'))) return JSON.parse(text);
  return defaultLoadersSync['.yaml'](file, text);
}

/**
 * Append rules to the user config and return the file. The new text is parsed back and
 * validated (schema and policy build) before it replaces the file; an existing file that does
 * not validate is left alone (an error). JSON files are rewritten; YAML gets the rules appended as
 * flow-style items (JSON is valid YAML), so comments stay.
 */
export function appendUserRules(env: NodeJS.ProcessEnv, add: NonNullable<FwguardConfig['rules']>): string {
  const { file } = userConfigFile(env);
  mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true, mode: 0o700 });
  // Two prompts answering `a` at once (exec in one terminal, approve in another) must not lose a rule.
  const lock = file + '.lock';
  const start = Date.now();
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) unlinkSync(lock); // left by a killed process
      } catch {
        /* released meanwhile */
      }
      if (Date.now() - start > 3000) throw new Error(`${lock} is held by another fwguard process; try again`, { cause: e });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return appendLocked(env, add);
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
}

function appendLocked(env: NodeJS.ProcessEnv, add: NonNullable<FwguardConfig['rules']>): string {
  const { file, exists } = userConfigFile(env);
  if (exists && lstatSync(file).isSymbolicLink()) throw new Error(`${file} is a symbolic link; fwguard writes only a regular user config file`);
  const before = exists ? readFileSync(file, 'utf8') : '';
  const old = validateConfig(parse(file, before), file);
  const oldRules = old.rules ?? [];
  const fresh = add.filter((r) => !oldRules.some((o) => o.id === r.id));
  if (!fresh.length) return file;
  let after: string;
  if (file.endsWith('.json') || (exists && before.trim().startsWith('{'))) {
    after = JSON.stringify({ ...old, rules: [...oldRules, ...fresh] }, null, 2) + '\n';
  } else {
    const items = fresh.map((r) => `  - ${JSON.stringify(r)}`).join('\n');
    const lines = before.split('\n');
    const at = lines.findIndex((l) => /^rules:\s*(#.*)?$/.test(l));
    if (!exists || before.trim() === '') {
      after = `# fwguard user config (~/.config/fwguard). Rules below were added by "always allow" in the fwguard prompt.\n# Every key is described in .fwguardrc.example of the fwguard package.\nrules:\n${items}\n`;
    } else if (at === -1) {
      if (/^rules\s*:/m.test(before)) throw new Error(`${file} has its "rules" in a form fwguard does not edit (flow style); add the rule by hand:\n${items}`);
      after = before.replace(/\n*$/, '\n') + `rules:\n${items}\n`;
    } else {
      // The rules block ends at the next top-level key (a line starting with a non-space, non-comment character).
      let end = at + 1;
      while (end < lines.length && (lines[end] === '' || /^\s|^#/.test(lines[end]!) || lines[end]!.startsWith('-'))) end++;
      while (end > at + 1 && lines[end - 1]!.trim() === '') end--;
      const indent = /^(\s*)-/.exec(lines.slice(at + 1, end).find((l) => /^\s*-/.test(l)) ?? '')?.[1] ?? '  ';
      const block = fresh.map((r) => `${indent}- ${JSON.stringify(r)}`);
      after = [...lines.slice(0, end), ...block, ...lines.slice(end)].join('\n');
      if (!after.endsWith('\n')) after += '\n';
    }
  }
  // Validate what would be written, exactly as fwguard will load it.
  const next = validateConfig(parse(file, after), file);
  const ids = (next.rules ?? []).map((r) => r.id);
  if (ids.length !== oldRules.length + fresh.length || !fresh.every((r) => ids.includes(r.id))) {
    throw new Error(`appending to ${file} did not give the expected rules (found ${ids.length}); the file is unchanged — add the rule by hand`);
  }
  buildPolicy(builtinPacks(), [{ file, config: next, tier: 'user' }]);
  const dir = file.slice(0, file.lastIndexOf('/'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, after, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}
