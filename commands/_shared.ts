// Helpers shared by the oclif commands (not a command: oclif's glob skips files starting with `_`).
import { Command, Errors } from '@oclif/core';
import type { Reason, Verdict } from '../src/types.js';

/** Exit codes of `check` (and the convention for other commands). */
export const EXIT = { allow: 0, ask: 1, deny: 2, usage: 3 } as const;

/** Colour only for a terminal, and never with NO_COLOR or --json. */
export function useColor(json = false, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (json) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

export function paint(on: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22), cyan: wrap(36, 39) };
}

export function verdictText(v: Verdict | 'off', p: Paint, opaque = false): string {
  const label = v.toUpperCase() + (v === 'allow' && opaque ? ' (opaque: no opinion)' : '');
  if (v === 'deny') return p.bold(p.red(label));
  if (v === 'ask') return p.bold(p.yellow(label));
  if (v === 'off') return p.dim(label);
  return p.bold(p.green(label));
}

export function reasonLine(r: Reason, p: Paint): string {
  return `${p.cyan(r.rule)}: ${r.message}`;
}

/** The command line from oclif's argv: one quoted string stays as is, several words are joined. */
export function commandLine(argv: unknown[]): string {
  return argv.map(String).join(' ');
}

/** JSON for stdout, 2-space, newline-terminated. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * Base class: usage errors (bad flags, missing arguments) exit 3, not oclif's 2, because 2 means
 * "deny" for `check`. Errors that already chose an exit code keep it.
 */
export abstract class FwCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    const isExit = err instanceof Errors.ExitError;
    if (!isExit && (err.oclif?.exit === 2 || err.oclif?.exit === undefined)) {
      err.oclif = { ...(err.oclif ?? {}), exit: EXIT.usage };
    }
    return super.catch(err as Parameters<Command['catch']>[0]);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
