// Session state on disk: one JSON file per session under the state dir (a protected path).
// Hook processes may run in parallel (Claude Code runs hooks concurrently), so every update is a
// read-modify-write under an exclusive lock file, and every write is a temp file renamed into
// place: readers never see a torn file and no update is lost.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { emptySession, type SessionState } from './state.js';

export const DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;
const LOCK_STALE_MS = 5000;
const LOCK_WAIT_MS = 2000;

export function sessionDir(stateDir: string): string {
  return join(stateDir, 'sessions');
}

function fileOf(stateDir: string, id: string): string {
  return join(sessionDir(stateDir), createHash('sha256').update(id).digest('hex').slice(0, 40) + '.json');
}

/** The session's state, or undefined when there is none (or it expired, or it is unreadable). */
export function readSession(stateDir: string, id: string, now = Date.now(), ttlMs = DEFAULT_TTL_MS): SessionState | undefined {
  try {
    const s = JSON.parse(readFileSync(fileOf(stateDir, id), 'utf8')) as SessionState;
    if (s.v !== 1 || s.id !== id || now - s.updated > ttlMs) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function lock(path: string): () => void {
  const lockPath = path + '.lock';
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a killed process: take it over once it is clearly stale.
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS) {
          unlinkSync(lockPath);
          continue;
        }
      } catch {
        continue; // released meanwhile
      }
      if (Date.now() - start > LOCK_WAIT_MS) throw new Error(`session state is locked (${lockPath}); another fwguard process holds it`, { cause: e });
      sleep(Math.min(1 + attempt, 10));
    }
  }
}

/**
 * Update a session under its lock. `fn` gets the current state (a new one when there is none)
 * and returns the next. Occasionally sweeps sessions older than the TTL.
 */
export function updateSession(stateDir: string, id: string, fn: (s: SessionState) => SessionState, now = Date.now(), ttlMs = DEFAULT_TTL_MS): SessionState {
  const dir = sessionDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = fileOf(stateDir, id);
  const release = lock(path);
  try {
    const next = fn(readSession(stateDir, id, now, ttlMs) ?? emptySession(id, now));
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
    renameSync(tmp, path);
    if (Math.random() < 0.02) sweep(dir, now, ttlMs);
    return next;
  } finally {
    release();
  }
}

/** Remove a session's state (a person resetting the loop breaker: `fwguard session reset`). */
export function resetSession(stateDir: string, id: string): boolean {
  try {
    rmSync(fileOf(stateDir, id));
    return true;
  } catch {
    return false;
  }
}

function sweep(dir: string, now: number, ttlMs: number): void {
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      if (now - statSync(join(dir, f)).mtimeMs > ttlMs) rmSync(join(dir, f));
    } catch {
      /* raced with another sweep */
    }
  }
}
