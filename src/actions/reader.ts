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

/** Normalise an absolute POSIX path: collapse `//`, `.` and `..` (never above `/`). */
export function normalizeAbs(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

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
  return resolvePath(cmd.argv[i] ?? '', cmd, env, cmd.dyn[i] ?? false, cmd.glob[i] ?? false);
}

/**
 * Split argv[1..] into options and operands the way most GNU tools read them:
 * `--` ends options; `-abc` is a cluster; options listed in `withValue` consume the next word
 * (or an attached value: `-ofile`, `--out=file`).
 */
export interface ParsedArgs {
  /** Option name (without dashes) → values (empty string for flags). Short clusters are split. */
  opts: Map<string, string[]>;
  /** Indices into argv of the operands. */
  operands: number[];
}

export function parseArgs(argv: string[], withValue: ReadonlySet<string> = new Set(), start = 1, stopAtFirstOperand = false): ParsedArgs {
  const opts = new Map<string, string[]>();
  const operands: number[] = [];
  const add = (k: string, v: string) => {
    const list = opts.get(k);
    if (list) list.push(v);
    else opts.set(k, [v]);
  };
  let i = start;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (eq !== -1) add(name, a.slice(eq + 1));
      else if (withValue.has(name) && i + 1 < argv.length) add(name, argv[++i]!);
      else add(name, '');
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (withValue.has(c)) {
          const rest = a.slice(j + 1);
          if (rest) add(c, rest);
          else if (i + 1 < argv.length) add(c, argv[++i]!);
          else add(c, '');
          break;
        }
        add(c, '');
      }
    } else {
      operands.push(i);
      if (stopAtFirstOperand) {
        i++;
        break;
      }
    }
  }
  for (; i < argv.length; i++) operands.push(i);
  return { opts, operands };
}

export function has(p: ParsedArgs, ...names: string[]): boolean {
  return names.some((n) => p.opts.has(n));
}

export function optValues(p: ParsedArgs, ...names: string[]): string[] {
  return names.flatMap((n) => p.opts.get(n) ?? []);
}

/** The program name as the shell runs it: basename of argv[0] (`/usr/bin/rm` → `rm`). */
export function programName(argv0: string): string {
  const slash = argv0.lastIndexOf('/');
  return slash === -1 ? argv0 : argv0.slice(slash + 1);
}
