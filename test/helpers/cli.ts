// Run oclif commands in-process and capture what they print (stdout, stderr, console).
import { afterEach, beforeEach, vi } from 'vitest';
import { resolve } from 'node:path';
import { format } from 'node:util';

export const root = resolve(import.meta.dirname, '../..');

export interface Io {
  out: string;
  err: string;
}

/** Capture output around every test of the file (NO_COLOR set); returns the live buffers. */
export function captureOutput(): Io {
  const io: Io = { out: '', err: '' };
  const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
  beforeEach(() => {
    io.out = '';
    io.err = '';
    process.exitCode = undefined;
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((io.out += String(s)), true));
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (io.out += format(...a) + '\n'));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (io.err += format(...a) + '\n'));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((io.err += String(s)), true));
    process.env.NO_COLOR = '1';
    delete process.env.FORCE_COLOR;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  return io;
}

type Runnable = { run(argv: string[], opts: { root: string }): Promise<unknown> };

/** Run a command class; resets the buffers first and returns them with the exit code. */
export async function runCommand(io: Io, cmd: Runnable, argv: string[]): Promise<{ out: string; err: string; code: number }> {
  io.out = '';
  io.err = '';
  let code: number;
  try {
    await cmd.run(argv, { root });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const x = e as { oclif?: { exit?: number }; message: string };
    io.err += x.message;
    code = x.oclif?.exit ?? 1;
  }
  process.exitCode = undefined;
  return { out: io.out, err: io.err, code };
}
