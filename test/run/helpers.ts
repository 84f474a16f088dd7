// Real processes for the `fwguard run` tests: a sandbox HOME and git project (src/policy/sandbox),
// a private run dir, and a small fake agent (a node script) that runs commands the two ways agents
// do: `$SHELL -c CMD` and `bash -c CMD` found on PATH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/policy/sandbox.js';

export const BIN = new URL('../../bin/run.js', import.meta.url).pathname;
export const built = existsSync(new URL('../../dist/hook.js', import.meta.url)) && existsSync(new URL('../../dist/commands/run.js', import.meta.url));

export interface World extends Sandbox {
  state: string;
  runDir: string;
  agent: string;
  trace: string;
}

const worlds: World[] = [];
afterAll(() => {
  for (const w of worlds.splice(0)) {
    rmSync(w.root, { recursive: true, force: true });
    rmSync(w.runDir, { recursive: true, force: true });
  }
});

/**
 * The fake agent: argv is a list of `shell:CMD` / `bash:CMD` steps; each result is printed as a
 * JSON line. FAKE_EXIT sets its exit code; FAKE_WAIT=1 makes it print "ready" and wait for a
 * signal (FAKE_TRAP=1: exit 42 on SIGTERM after writing trapped.txt). FAKE_LOG: also append the
 * results to that file (when stdout is a terminal).
 */
const AGENT = `
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
for (const step of process.argv.slice(2)) {
  const i = step.indexOf(':');
  const how = step.slice(0, i), cmd = step.slice(i + 1);
  const prog = how === 'shell' ? process.env.SHELL : how;
  const args = how === 'script' ? [cmd] : ['-c', cmd];
  const r = spawnSync(prog, args, { encoding: 'utf8' });
  const line = JSON.stringify({ how, cmd, status: r.status, stderr: r.stderr, stdout: r.stdout });
  console.log(line);
  if (process.env.FAKE_LOG) appendFileSync(process.env.FAKE_LOG, line + '\\n');
}
if (process.env.FAKE_WAIT) {
  if (process.env.FAKE_TRAP) process.on('SIGTERM', () => { writeFileSync('trapped.txt', 'SIGTERM'); process.exit(42); });
  writeFileSync('agent.pid', String(process.pid));
  console.log('ready');
  setInterval(() => {}, 1000);
} else process.exit(Number(process.env.FAKE_EXIT ?? 0));
`;

export function world(): World {
  const b = createSandbox();
  const state = join(b.root, 'state');
  mkdirSync(state, { recursive: true, mode: 0o700 });
  // Socket paths must be short: a private dir under /tmp, like $XDG_RUNTIME_DIR would be.
  const runDir = mkdtempSync('/tmp/fwg-run-');
  const agent = join(b.root, 'fake-agent.mjs');
  writeFileSync(agent, AGENT);
  const w = { ...b, state, runDir, agent, trace: join(state, 'trace.jsonl') };
  worlds.push(w);
  return w;
}

/** A clean environment: no CI variables unless asked for, the sandbox HOME, private dirs. */
export function envFor(w: World, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: w.home, FWGUARD_STATE_DIR: w.state, FWGUARD_RUN_DIR: w.runDir, NO_COLOR: '1', ...extra };
}

export interface Step {
  how: string;
  cmd: string;
  status: number | null;
  stderr: string;
  stdout: string;
}

export interface RunOut {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  steps: Step[];
}

export function steps(stdout: string): Step[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Step);
}

/** `fwguard run [flags] -- node fake-agent.mjs steps…` in the project. */
export function fwRun(w: World, flags: string[], agentSteps: string[], env: Record<string, string> = {}): RunOut {
  const r = spawnSync(process.execPath, [BIN, 'run', ...flags, '--', process.execPath, w.agent, ...agentSteps], { cwd: w.project, env: envFor(w, env), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, steps: steps(r.stdout) };
}

export function fwRunAsync(w: World, flags: string[], argv: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, 'run', ...flags, '--', ...argv], { cwd: w.project, env: envFor(w, env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function traceRecords(w: World): Record<string, unknown>[] {
  if (!existsSync(w.trace)) return [];
  return readFileSync(w.trace, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function runDirEntries(w: World): string[] {
  return existsSync(w.runDir) ? readdirSync(w.runDir) : [];
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
