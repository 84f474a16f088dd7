// The `fwguard run` broker protocol: newline-delimited JSON over a Unix socket in a private
// (0700, owned by this user) directory. Shared by the broker, the hook's fast path and `fwguard
// approve`, so it stays light: node built-ins only (it is part of the hook bundle).
//
// Authentication is minimal and layered: the socket lives in a directory only this user can
// enter (checked by the broker when it creates it and by every client before it connects), and
// every request carries a per-run token. There are two: the agent's (env FWGUARD_BROKER_TOKEN,
// inherited by its hooks and shims) may only ask for decisions; the approver's (only in info.json,
// mode 0600 in that directory, never in the agent's environment) may also list and answer held
// asks, so an agent cannot approve its own request with the token it was given.
import { lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Decision, Proposal } from '../types.js';

/** Environment the agent (and everything it starts) inherits from `fwguard run`. */
export const ENV = {
  socket: 'FWGUARD_BROKER',
  token: 'FWGUARD_BROKER_TOKEN',
  session: 'FWGUARD_SESSION',
  agent: 'FWGUARD_AGENT',
  /** Milliseconds a hook or shim waits for the broker's first answer before deciding alone. */
  deadline: 'FWGUARD_BROKER_DEADLINE_MS',
} as const;

export const DEFAULT_DEADLINE_MS = 2000;

/** Who asks: an agent hook, a shell shim, Claude Code's shell prefix, or a test client. */
export type Front = 'hook' | 'shim' | 'prefix' | 'client';

export type Request =
  | {
      type: 'decide';
      id: number;
      token: string;
      proposal: Proposal;
      front: Front;
      /** The agent's event and tool name, for the trace. */
      event?: string;
      tool?: string;
      /**
       * 'text': answer in lines a tiny client can read (the shims' perl client): `held <ms>` while
       * a person is asked, then `<exit code> <stderr line>` (0 = run it, 126 = refused).
       */
      reply?: 'text';
    }
  | { type: 'ran'; id: number; token: string; proposal: Proposal; tool?: string }
  /** `fwguard approve`: stream the pending asks of this run. */
  | { type: 'watch'; id: number; token: string }
  /** The pending asks now, without taking them over (`fwguard approve --list`). */
  | { type: 'list'; id: number; token: string }
  | { type: 'answer'; id: number; token: string; pending: number; answer: PersonAnswer }
  | { type: 'ping'; id: number; token: string };

/** What a person answered (the Ink prompt's AskAnswer, reduced to what the broker acts on). */
export type PersonAnswer =
  | { kind: 'allow-once' }
  | { kind: 'allow-session'; pattern?: unknown }
  | { kind: 'allow-always'; rule?: string }
  | { kind: 'deny'; message?: string; timedOut?: boolean };

export interface PendingInfo {
  pending: number;
  proposal: Proposal;
  decision: Decision;
  projectRoot: string;
  front: Front;
  since: number;
  /** When the broker denies it unanswered (epoch ms). */
  until: number;
}

export type Response =
  | { id: number; type: 'decision'; decision: Decision; backupId?: string; by: string }
  /** The ask is held for a person (this terminal or `fwguard approve`): wait up to waitMs more. */
  | { id: number; type: 'held'; waitMs: number }
  | { id: number; type: 'ok' }
  | { id: number; type: 'pending'; list: PendingInfo[] }
  | { id: number; type: 'error'; error: string };

/** Written next to the socket: what `fwguard approve` needs to find and reach the run. */
export interface RunInfo {
  id: string;
  pid: number;
  /** The approver's token (watch, list, answer). */
  token: string;
  socket: string;
  agent: string;
  argv: string[];
  cwd: string;
  started: string;
  ci: boolean;
}

/** The longest socket path that fits sockaddr_un on Linux and macOS, with a margin. */
export const MAX_SOCKET_PATH = 100;

/**
 * Where run directories live: $FWGUARD_RUN_DIR, else $XDG_RUNTIME_DIR/fwguard (per-user, tmpfs),
 * else <state dir>/run; when that is too long for a socket path, /tmp/fwguard-<uid>.
 */
export function runBase(env: NodeJS.ProcessEnv, stateDir: string): string {
  if (env.FWGUARD_RUN_DIR) return env.FWGUARD_RUN_DIR;
  const base = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'fwguard') : join(stateDir, 'run');
  // <base>/<12-char id>/s
  if (base.length + 16 <= MAX_SOCKET_PATH) return base;
  return join('/tmp', `fwguard-${process.getuid?.() ?? 'user'}`);
}

/**
 * Refuse a directory someone else could use to plant or read a socket: it must be a real
 * directory (not a symlink), owned by this user, with no group/other permissions.
 */
export function checkPrivateDir(dir: string): void {
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory (a symlink or file is refused)`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new Error(`${dir} is owned by uid ${st.uid}, not by you (uid ${uid}); refusing to use it`);
  if ((st.mode & 0o077) !== 0) throw new Error(`${dir} is accessible to other users (mode ${(st.mode & 0o777).toString(8)}); it must be 0700`);
}

/** Create (mode 0700) or reuse a private directory; throws when an existing one is not private. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
}

/** A client's check before trusting a socket: its directory must be private. */
export function checkSocketDir(socket: string): void {
  checkPrivateDir(dirname(socket));
}

/** Split a byte stream into JSON lines. */
export function lineReader(onLine: (value: unknown) => void): (chunk: Buffer | string) => void {
  let buf = '';
  return (chunk) => {
    buf += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = { type: 'error', error: 'not JSON' };
      }
      onLine(v);
    }
  };
}
