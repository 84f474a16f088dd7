// Running a preview command (`git push --dry-run`, `terraform plan`, …): argv only, never a
// shell, stdin closed, bounded time and output. The argv is built by src/exec/dryrun.ts from the
// parsed command, never taken from text.
import { spawn } from 'node:child_process';

export interface Ran {
  argv: string[];
  cwd: string;
  /** null when it did not start or was killed. */
  exitCode: number | null;
  /** stdout and stderr interleaved, capped. */
  output: string;
  timedOut?: boolean;
  /** Set when the program could not be started (not installed, …). */
  error?: string;
}

const MAX_OUTPUT = 64 * 1024;

export function runArgv(argv: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    let output = '';
    let truncated = false;
    let timedOut = false;
    const add = (b: Buffer) => {
      if (output.length >= MAX_OUTPUT) {
        truncated = true;
        return;
      }
      output += b.toString('utf8');
    };
    let child;
    try {
      child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    } catch (e) {
      resolve({ argv, cwd, exitCode: null, output: '', error: e instanceof Error ? e.message : String(e) });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ argv, cwd, exitCode: null, output, error: e.code === 'ENOENT' ? `${argv[0]} is not installed (not found on PATH)` : e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (truncated) output = output.slice(0, MAX_OUTPUT) + '\n… (output truncated)\n';
      resolve({ argv, cwd, exitCode: code, output, ...(timedOut ? { timedOut: true, error: `stopped after ${Math.round(timeoutMs / 1000)} s` } : {}) });
    });
  });
}


