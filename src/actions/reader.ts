// The contract between the shell stage and the program readers.
// INVARIANT: readers are pure: no fs, no child_process, no clock. They describe; rules judge.
import type { Action, PathRef, SimpleCommand } from '../types.js';

/** Facts a reader may use that are not in the command itself. */
export interface ReadEnv {
  /** The user's home directory (absolute). */
  home: string;
}

/** Turns one simple command into typed actions. `index` is the command's index, copy it to `cmd`. */
export type Reader = (cmd: SimpleCommand, index: number, env: ReadEnv) => Action[];

export { normalizeAbs } from '../util/path.js';
import { normalizeAbs } from '../util/path.js';

/**
 * Resolve a path word of `cmd` against its effective cwd.
 * `~` and `~/x` expand to `env.home`; `~user` is unknown (abs null). A dynamic word or an unknown
 * cwd with a relative path gives abs null: rules treat that as "could be anywhere".
 */
export function resolvePath(raw: string, cmd: SimpleCommand, env: ReadEnv, dynamic = false, glob = false): PathRef {
  if (dynamic) return { raw, abs: null, glob };
  let p = raw;
  if (p === '~' || p.startsWith('~/')) p = env.home + p.slice(1);
  else if (p.startsWith('~')) return { raw, abs: null, glob };
  if (!p.startsWith('/')) {
    if (cmd.cwd === null) return { raw, abs: null, glob };
    p = cmd.cwd + '/' + p;
  }
  return { raw, abs: normalizeAbs(p), glob };
}

/** resolvePath for argv[i] of cmd, carrying its dynamic/glob flags. */
export function argPath(cmd: SimpleCommand, i: number, env: ReadEnv): PathRef {
  return pathFrom(cmd, cmd.argv[i] ?? '', i, env);
}

/** resolvePath for a value taken from the word argv[at] (e.g. the `F` of `-oF`), with that word's flags. */
export function pathFrom(cmd: SimpleCommand, raw: string, at: number, env: ReadEnv): PathRef {
  return resolvePath(raw, cmd, env, cmd.dyn[at] ?? false, cmd.glob[at] ?? false);
}

/** The fields every action of one command shares. */
export interface ActionBase {
  cmd: number;
  program: string;
}

export const actionBase = (cmd: SimpleCommand, index: number): ActionBase => ({ cmd: index, program: cmd.argv[0] ?? '' });
/** A program fwguard knows that has no effect worth a rule (a listing, a version query). */
export const execKnown = (b: ActionBase): Action => ({ ...b, type: 'exec', known: true });
/** A program that runs project code fwguard cannot see (npm test, make): opaque. */
export const execScript = (b: ActionBase): Action => ({ ...b, type: 'exec', known: true, script: true });
/** A sub-command fwguard has no model of (a plugin, an extension): opaque and unknown. */
export const execUnknown = (b: ActionBase): Action => ({ ...b, type: 'exec', known: false });

/** An option found in argv, with the index of the word that holds its value. */
export interface Opt {
  name: string;
  value: string;
  at: number;
}

export interface ScanOptions {
  start?: number;
  /** Stop option parsing at the first operand (`ssh host cmd -x`: -x is the remote command's). */
  stopAtFirstOperand?: boolean;
  /** Short options that take a value only when it is glued on (mysql `-pSECRET`; a bare `-p` prompts). */
  attachedOnly?: ReadonlySet<string>;
}

/**
 * Split argv into options and operands the way most GNU tools read them: `--` ends options;
 * `-abc` is a cluster; options in `withValue` consume the next word (or an attached value:
 * `-ofile`, `--out=file`). Options are kept in order, each with the index of its value's word
 * (its dyn/glob flags matter for paths).
 */
export function scanArgs(argv: string[], withValue: ReadonlySet<string> = new Set(), o: ScanOptions = {}): { opts: Opt[]; operands: number[] } {
  const opts: Opt[] = [];
  const operands: number[] = [];
  const attachedOnly = o.attachedOnly ?? new Set<string>();
  let i = o.start ?? 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (eq !== -1) opts.push({ name, value: a.slice(eq + 1), at: i });
      else if (withValue.has(name) && i + 1 < argv.length) opts.push({ name, value: argv[++i]!, at: i });
      else opts.push({ name, value: '', at: i });
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const rest = a.slice(j + 1);
        if (attachedOnly.has(c)) {
          opts.push({ name: c, value: rest, at: i });
          break;
        }
        if (withValue.has(c)) {
          if (rest) opts.push({ name: c, value: rest, at: i });
          else if (i + 1 < argv.length) opts.push({ name: c, value: argv[++i]!, at: i });
          else opts.push({ name: c, value: '', at: i });
          break;
        }
        opts.push({ name: c, value: '', at: i });
      }
    } else {
      operands.push(i);
      if (o.stopAtFirstOperand) {
        i++;
        break;
      }
    }
  }
  for (; i < argv.length; i++) operands.push(i);
  return { opts, operands };
}

/** scanArgs with the options gathered by name. */
export interface ParsedArgs {
  /** Option name (without dashes) → values (empty string for flags). Short clusters are split. */
  opts: Map<string, string[]>;
  /** Indices into argv of the operands. */
  operands: number[];
}

export function parseArgs(argv: string[], withValue: ReadonlySet<string> = new Set(), start = 1, stopAtFirstOperand = false): ParsedArgs {
  const s = scanArgs(argv, withValue, { start, stopAtFirstOperand });
  const opts = new Map<string, string[]>();
  for (const o of s.opts) {
    const list = opts.get(o.name);
    if (list) list.push(o.value);
    else opts.set(o.name, [o.value]);
  }
  return { opts, operands: s.operands };
}

/**
 * getopt_long accepts any unambiguous prefix of a long option (`wget --post-f=.env` is
 * `--post-file`). Rewrite such prefixes to the full name so readers see what the program sees.
 */
export function expandLongPrefixes(argv: string[], longNames: readonly string[]): string[] {
  return argv.map((a, i) => {
    if (i === 0 || !a.startsWith('--') || a === '--') return a;
    const eq = a.indexOf('=');
    const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
    if (longNames.includes(name)) return a;
    const hits = longNames.filter((n) => n.startsWith(name));
    return hits.length === 1 ? `--${hits[0]}${eq === -1 ? '' : a.slice(eq)}` : a;
  });
}

export function has(p: ParsedArgs, ...names: string[]): boolean {
  return names.some((n) => p.opts.has(n));
}

export function optValues(p: ParsedArgs, ...names: string[]): string[] {
  return names.flatMap((n) => p.opts.get(n) ?? []);
}

/** The program name as the shell runs it: basename of argv[0] (`/usr/bin/rm` → `rm`). */
export { baseName as programName } from '../util/path.js';
