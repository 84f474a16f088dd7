// `fwguard run -- <agent> [args…]`: start the run's broker, spawn the agent with its shell routed
// through fwguard, pass signals on, and return the agent's exit status. The broker lives in this
// process, so when the agent is gone and the broker closed, nothing of the run is left: its socket
// and private directory are removed on every way out (exit, signal, error).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { startBroker, type Broker, type DecisionRecord, type LocalAsker } from '../broker/server.js';
import { ENV } from '../broker/protocol.js';
import { findRuns } from '../broker/runs.js';
import { binPath, packageRoot } from '../install/claude-code.js';
import { snapshotStatus } from '../install/snapshot.js';
import { which, wire, type Wiring } from './wiring.js';

export interface RunOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  ci: boolean;
  approveTimeoutS: number;
  /** Ask held requests on this terminal (the agent does not read it). */
  localAsk?: LocalAsker;
  /** stdin for the agent: 'inherit' normally, 'ignore' when this terminal answers prompts. */
  stdin?: 'inherit' | 'ignore';
  onDeny?: (line: string, rec: DecisionRecord) => void;
  /** Called once the broker listens and the agent is spawned (tests, verbose output). */
  onStart?: (info: { broker: Broker; wiring: Wiring; pid: number | undefined }) => void;
  /** Use the startup snapshot for hooks and shims when it is usable (default true). */
  snapshot?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  records: DecisionRecord[];
  brokerId: string;
  started: string;
}

export class RunError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const FORWARD: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

export async function runAgent(o: RunOptions): Promise<RunResult> {
  const [prog] = o.argv;
  if (!prog) throw new RunError('give the agent to run after --, e.g. fwguard run -- claude', 3);
  const root = packageRoot();
  const shimDir = join(root, 'bin', 'shims');
  const exe = which(prog, o.env.PATH, shimDir);
  if (!exe) throw new RunError(`cannot find the agent "${prog}" on PATH`, 127);
  const snap = o.snapshot === false ? undefined : snapshotStatus(root, process.execPath);
  const paths = { node: process.execPath, bin: binPath(root), shimDir, ...(snap?.usable ? { blob: snap.blob } : {}) };
  const wiring = wire(o.argv, o.env, paths, { hookTimeoutS: o.approveTimeoutS + 30 });
  const started = new Date().toISOString();
  // Directories of earlier runs that were killed (SIGKILL cannot clean up) go first.
  try {
    findRuns(o.env);
  } catch {
    // only housekeeping
  }
  let broker: Broker;
  try {
    broker = await startBroker({
    env: o.env,
    ci: o.ci,
    agent: wiring.kind === 'claude-code' ? 'claude-code' : prog,
    argv: o.argv,
    cwd: o.cwd,
    approveTimeoutS: o.approveTimeoutS,
    ...(o.localAsk ? { localAsk: o.localAsk } : {}),
    ...(o.onDeny ? { onDeny: o.onDeny } : {}),
    });
  } catch (e) {
    throw new RunError(`could not start the broker: ${e instanceof Error ? e.message : String(e)}`, 125);
  }
  // From here on every way out closes the broker (socket and directory removed).
  const cleanupSync = () => broker.closeSync();
  process.once('exit', cleanupSync);
  let child: ChildProcess;
  try {
    child = spawn(exe, wiring.args, {
      cwd: o.cwd,
      stdio: [o.stdin ?? 'inherit', 'inherit', 'inherit'],
      argv0: prog,
      env: {
        ...o.env,
        ...wiring.env,
        [ENV.socket]: broker.socket,
        [ENV.token]: broker.token,
        [ENV.session]: o.env[ENV.session] || `run-${broker.id}`,
        [ENV.agent]: wiring.kind === 'claude-code' ? 'claude-code' : prog,
        ...(o.ci ? { FWGUARD_CI: '1' } : {}),
      },
    });
  } catch (e) {
    await broker.close();
    process.off('exit', cleanupSync);
    throw new RunError(`could not start ${prog}: ${e instanceof Error ? e.message : String(e)}`, 126);
  }
  // Signals sent to fwguard go to the agent. A Ctrl-C typed at the terminal already reached the
  // agent (same foreground process group), so SIGINT is only passed on when stdin is no terminal.
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of FORWARD) {
    const h = () => {
      if (sig === 'SIGINT' && process.stdin.isTTY) return;
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  o.onStart?.({ broker, wiring, pid: child.pid });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  for (const [sig, h] of handlers) process.off(sig, h);
  await broker.close();
  process.off('exit', cleanupSync);
  if (exit.error) throw new RunError(`could not start ${prog}: ${exit.error.message}`, (exit.error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126);
  return { code: exit.code, signal: exit.signal, records: broker.records, brokerId: broker.id, started };
}

/** The shell convention for a status: the code, or 128 + the signal number. */
export function statusCode(r: { code: number | null; signal: NodeJS.Signals | null }): number {
  if (r.signal) return 128 + (constants.signals[r.signal] ?? 0);
  return r.code ?? 1;
}
