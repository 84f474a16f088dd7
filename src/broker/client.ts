// Client side of the broker protocol (node:net only: the hook bundle uses it).
// A hook or shim asks once and falls back to deciding alone when the broker does not answer in
// time; a held ask (a person is being asked) is waited for, and its silence is a deny.
import { createConnection, type Socket } from 'node:net';
import { checkSocketDir, lineReader, type Request, type Response } from './protocol.js';

type Outgoing = Request extends infer R ? (R extends { id: number; token: string } ? Omit<R, 'id' | 'token'> : never) : never;

export interface AskOptions {
  /** Connect + first answer deadline (ms). */
  deadlineMs: number;
  /** Upper bound on waiting for a held ask (the broker says how long; this caps it). */
  maxHeldMs?: number;
}

export type AskResult =
  | { kind: 'answer'; response: Extract<Response, { type: 'decision' | 'ok' | 'pending' }> }
  /** No broker, no answer in time, or a refused socket dir: decide alone. */
  | { kind: 'unavailable'; why: string }
  /** The broker held the ask for a person and then went silent, or said it failed: fail closed. */
  | { kind: 'failed'; why: string };

/** One request, one final answer. Never throws. */
export function askBroker(socket: string, token: string, req: Outgoing, opts: AskOptions): Promise<AskResult> {
  return new Promise((resolve) => {
    try {
      checkSocketDir(socket);
    } catch (e) {
      resolve({ kind: 'unavailable', why: `broker socket refused: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    let done = false;
    let held = false;
    const conn: Socket = createConnection(socket);
    const finish = (r: AskResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn.destroy();
      resolve(r);
    };
    let timer = setTimeout(() => finish({ kind: 'unavailable', why: `no broker answer within ${opts.deadlineMs} ms` }), opts.deadlineMs);
    conn.on('error', (e: NodeJS.ErrnoException) => {
      if (held) finish({ kind: 'failed', why: `the broker went away while a person was being asked (${e.code ?? e.message})` });
      else finish({ kind: 'unavailable', why: `broker unreachable (${e.code ?? e.message})` });
    });
    conn.on('close', () => {
      if (held) finish({ kind: 'failed', why: 'the broker went away while a person was being asked' });
      else finish({ kind: 'unavailable', why: 'the broker closed the connection without an answer' });
    });
    conn.on(
      'data',
      lineReader((v) => {
        const r = v as Response;
        if (r.type === 'held') {
          held = true;
          clearTimeout(timer);
          const wait = Math.min(r.waitMs + 5000, opts.maxHeldMs ?? 24 * 3600_000);
          timer = setTimeout(() => finish({ kind: 'failed', why: `nobody answered the approval request within ${Math.round(wait / 1000)} s` }), wait);
        } else if (r.type === 'error') {
          finish(held ? { kind: 'failed', why: r.error } : { kind: 'unavailable', why: `broker error: ${r.error}` });
        } else if (r.type === 'decision' || r.type === 'ok' || r.type === 'pending') {
          finish({ kind: 'answer', response: r });
        }
      }),
    );
    conn.write(JSON.stringify({ ...req, id: 1, token }) + '\n');
  });
}

/** A persistent connection (for `fwguard approve`, benchmarks and tests). */
export class BrokerConnection {
  private next = 1;
  private waiting = new Map<number, (r: Response) => void>();
  private closed = false;
  onPush: (r: Response) => void = () => {};
  onClose: () => void = () => {};

  private constructor(
    private readonly conn: Socket,
    private readonly token: string,
  ) {
    conn.on(
      'data',
      lineReader((v) => {
        const r = v as Response;
        const w = this.waiting.get(r.id);
        if (w && r.type !== 'held') {
          this.waiting.delete(r.id);
          w(r);
        } else if (!w) this.onPush(r);
      }),
    );
    const gone = () => {
      if (this.closed) return;
      this.closed = true;
      for (const w of this.waiting.values()) w({ id: 0, type: 'error', error: 'connection closed' });
      this.waiting.clear();
      this.onClose();
    };
    conn.on('close', gone);
    conn.on('error', gone);
  }

  static open(socket: string, token: string, timeoutMs = 2000): Promise<BrokerConnection> {
    checkSocketDir(socket);
    return new Promise((resolve, reject) => {
      const c = createConnection(socket);
      const t = setTimeout(() => {
        c.destroy();
        reject(new Error(`no broker at ${socket} within ${timeoutMs} ms`));
      }, timeoutMs);
      c.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
      c.once('connect', () => {
        clearTimeout(t);
        resolve(new BrokerConnection(c, token));
      });
    });
  }

  /** Send a request; resolves with its final answer (a held ask resolves when it is answered). */
  request(req: Outgoing): Promise<Response> {
    const id = this.next++;
    return new Promise((resolve) => {
      if (this.closed) return resolve({ id, type: 'error', error: 'connection closed' });
      this.waiting.set(id, resolve);
      this.conn.write(JSON.stringify({ ...req, id, token: this.token }) + '\n');
    });
  }

  close(): void {
    this.closed = true;
    this.conn.destroy();
  }
}
