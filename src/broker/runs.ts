// Finding the running `fwguard run` sessions (for `fwguard approve`): one private directory per
// run under the run base, holding the socket and info.json. A directory whose process is gone
// (a run killed with SIGKILL cannot clean up) is removed here.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../engine.js';
import { checkPrivateDir, runBase, type RunInfo } from './protocol.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface FoundRuns {
  base: string;
  runs: RunInfo[];
  /** Directories skipped, and why (not private, unreadable). */
  skipped: { dir: string; why: string }[];
  /** Stale directories removed (their fwguard run is gone). */
  removed: string[];
}

export function findRuns(env: NodeJS.ProcessEnv): FoundRuns {
  const base = runBase(env, stateDir(env, env.HOME ?? ''));
  const out: FoundRuns = { base, runs: [], skipped: [], removed: [] };
  if (!existsSync(base)) return out;
  try {
    checkPrivateDir(base);
  } catch (e) {
    out.skipped.push({ dir: base, why: e instanceof Error ? e.message : String(e) });
    return out;
  }
  for (const name of readdirSync(base)) {
    const dir = join(base, name);
    try {
      checkPrivateDir(dir);
      const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8')) as RunInfo;
      if (!alive(info.pid)) {
        rmSync(dir, { recursive: true, force: true });
        out.removed.push(dir);
        continue;
      }
      if (info.socket !== join(dir, 's') || !existsSync(info.socket)) throw new Error('no socket');
      out.runs.push(info);
    } catch (e) {
      out.skipped.push({ dir, why: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
