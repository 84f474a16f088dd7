// The broker and the hook's fast path, with real processes: the real hook (node bin/run.js hook
// claude-code → dist/hook.js) talking to a real broker (startBroker, in this process) over its
// Unix socket, and what happens when the broker is missing, silent, lying about its directory or
// gone mid-ask: the hook decides alone or fails closed, never allows by default.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { startBroker, type Broker } from '../../src/broker/server.js';
import { BrokerConnection } from '../../src/broker/client.js';
import type { PendingInfo, Response } from '../../src/broker/protocol.js';
import { createSandbox } from '../../src/policy/sandbox.js';
import { BIN, built } from '../run/helpers.js';

const box = createSandbox();
const runDir = mkdtempSync('/tmp/fwg-brk-');
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0)) await c();
  rmSync(box.root, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

let n = 0;
function stateDir(): string {
  const d = join(box.root, `state-${++n}`);
  mkdirSync(d, { recursive: true, mode: 0o700 });
  return d;
}

async function broker(opts: { approveTimeoutS?: number; home?: string } = {}): Promise<{ b: Broker; state: string }> {
  const state = stateDir();
  const b = await startBroker({ env: { HOME: opts.home ?? box.home, PATH: process.env.PATH, FWGUARD_STATE_DIR: state, FWGUARD_RUN_DIR: runDir }, ci: false, agent: 'claude-code', argv: ['claude'], cwd: box.project, approveTimeoutS: opts.approveTimeoutS ?? 30 });
  cleanup.push(() => b.close());
  return { b, state };
}

interface HookOut {
  code: number | null;
  stdout: string;
  stderr: string;
  decision: string;
  ms: number;
}

/** The real hook process, asynchronously (the broker answers from this same event loop). */
function hook(payload: object, env: Record<string, string>, args = ['hook', 'claude-code']): Promise<HookOut> {
  return new Promise((resolve) => {
    const t = Date.now();
    const c = spawn(process.execPath, [BIN, ...args], { cwd: box.project, env: { PATH: process.env.PATH ?? '', HOME: box.home, ...env } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (code) => {
      let decision: string;
      try {
        decision = (JSON.parse(stdout) as { hookSpecificOutput?: { permissionDecision?: string } }).hookSpecificOutput?.permissionDecision ?? 'none';
      } catch {
        decision = stdout.trim() ? 'garbage' : 'none';
      }
      if (code === 2) decision = 'deny';
      resolve({ code, stdout, stderr, decision, ms: Date.now() - t });
    });
    c.stdin.end(JSON.stringify(payload));
  });
}

const bash = (command: string, event = 'PreToolUse') => ({ session_id: 's-broker', cwd: box.project, hook_event_name: event, tool_name: 'Bash', tool_input: { command } });

function trace(state: string): Record<string, unknown>[] {
  const f = join(state, 'trace.jsonl');
  return existsSync(f)
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
}

/** A socket that is not a broker: it accepts and then does what `behave` says. */
async function fakeServer(dir: string, behave: (write: (s: string) => void, end: () => void) => void): Promise<{ socket: string; connections: () => number }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socket = join(dir, 's');
  let count = 0;
  const server: Server = createServer((c) => {
    count++;
    c.on('error', () => {});
    c.once('data', () => behave((s) => c.write(s), () => c.destroy()));
  });
  await new Promise<void>((r) => server.listen(socket, r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { socket, connections: () => count };
}

describe.skipIf(!built)('the hook under fwguard run asks the broker', () => {
  it('gets its decision from the broker: the record is in the broker’s trace, not the hook’s', async () => {
    const { b, state } = await broker();
    const hookState = stateDir();
    const env = { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: b.token, FWGUARD_STATE_DIR: hookState };
    const deny = await hook(bash('rm -rf ~'), env);
    expect(deny.code).toBe(2);
    expect(deny.stderr).toMatch(/fs\.delete-recursive-critical/);
    const allow = await hook(bash('git status'), env);
    expect(allow.code).toBe(0);
    expect(allow.decision).toBe('allow');
    const t = trace(state);
    expect(t.map((r) => [(r.proposal as { command: string }).command, r.verdict, r.front, r.broker])).toEqual([
      ['rm -rf ~', 'deny', 'hook', b.id],
      ['git status', 'allow', 'hook', b.id],
    ]);
    expect(trace(hookState)).toEqual([]);
    expect(b.records.map((r) => r.verdict)).toEqual(['deny', 'allow']);
  });

  it('PostToolUse goes to the broker, which updates the session state', async () => {
    const { b, state } = await broker();
    const hookState = stateDir();
    const r = await hook(bash('cat .env', 'PostToolUse'), { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: b.token, FWGUARD_STATE_DIR: hookState });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(join(state, 'sessions'))).toBe(true);
    expect(existsSync(join(hookState, 'sessions'))).toBe(false);
  });

  it('a wrong token is refused by the broker; the hook decides alone and still denies', async () => {
    const { b, state } = await broker();
    const hookState = stateDir();
    const r = await hook(bash('rm -rf ~'), { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: 'not-the-token', FWGUARD_STATE_DIR: hookState });
    expect(r.code).toBe(2);
    expect(trace(state)).toEqual([]);
    expect(trace(hookState).map((x) => [x.verdict, x.broker])).toEqual([['deny', 'unavailable']]);
  });
});

describe.skipIf(!built)('broker down or untrustworthy: the hook and the shims still fail closed', () => {
  it('no broker at the socket: the hook decides alone (deny stays deny, allow stays allow)', async () => {
    const env = { FWGUARD_BROKER: join(runDir, 'gone', 's'), FWGUARD_BROKER_TOKEN: 'x', FWGUARD_STATE_DIR: stateDir() };
    mkdirSync(join(runDir, 'gone'), { mode: 0o700, recursive: true });
    expect((await hook(bash('rm -rf ~'), env)).decision).toBe('deny');
    expect((await hook(bash('git status'), env)).decision).toBe('allow');
    expect((await hook(bash('git push -f origin main'), env)).decision).toBe('deny');
  });

  it('a socket in a directory other users can enter is never contacted', async () => {
    const dir = join(runDir, 'open');
    const fake = await fakeServer(dir, (write) => write(JSON.stringify({ id: 1, type: 'decision', decision: { verdict: 'allow', opaque: false, reasons: [], actions: [], risk: 'reversible' }, by: 'evil' }) + '\n'));
    chmodSync(dir, 0o755);
    const r = await hook(bash('rm -rf ~'), { FWGUARD_BROKER: fake.socket, FWGUARD_BROKER_TOKEN: 'x', FWGUARD_STATE_DIR: stateDir() });
    expect(r.decision).toBe('deny');
    expect(fake.connections()).toBe(0);
    // The same fake in a private dir would be believed: that is what the 0700 check is for.
    chmodSync(dir, 0o700);
    expect((await hook(bash('rm -rf ~'), { FWGUARD_BROKER: fake.socket, FWGUARD_BROKER_TOKEN: 'x', FWGUARD_STATE_DIR: stateDir() })).decision).toBe('allow');
    expect(fake.connections()).toBe(1);
  });

  it('a broker that never answers: after the deadline the hook decides alone', async () => {
    const fake = await fakeServer(join(runDir, 'mute'), () => {});
    const r = await hook(bash('rm -rf ~'), { FWGUARD_BROKER: fake.socket, FWGUARD_BROKER_TOKEN: 'x', FWGUARD_STATE_DIR: stateDir(), FWGUARD_BROKER_DEADLINE_MS: '300' });
    expect(r.decision).toBe('deny');
    expect(fake.connections()).toBe(1);
    expect(r.ms).toBeLessThan(5000);
  });

  it('a broker that holds an ask for a person and then goes away: deny, even for a harmless call', async () => {
    const fake = await fakeServer(join(runDir, 'held'), (write, end) => {
      write(JSON.stringify({ id: 1, type: 'held', waitMs: 60_000 }) + '\n');
      setTimeout(end, 100);
    });
    const r = await hook(bash('git status'), { FWGUARD_BROKER: fake.socket, FWGUARD_BROKER_TOKEN: 'x', FWGUARD_STATE_DIR: stateDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broker went away while a person was being asked/);
  });

  it('the shim decision step with the broker down: deny → 126 with the reason, allow → 0', async () => {
    const env = { FWGUARD_BROKER: join(runDir, 'gone', 's'), FWGUARD_BROKER_TOKEN: 'x', FWGUARD_STATE_DIR: stateDir() };
    const d = await hook({}, env, ['hook', '--shell', 'shim', 'rm -rf ~']);
    expect(d.code).toBe(126);
    expect(d.stderr).toMatch(/^fwguard: denied: \[fwguard /);
    expect((await hook({}, env, ['hook', '--shell', 'shim', 'ls -la'])).code).toBe(0);
    // An ask with nobody to answer is refused by a shim, and passed by Claude Code's prefix (its hook asked).
    expect((await hook({}, env, ['hook', '--shell', 'shim', 'kill -0 1'])).code).toBe(126);
    expect((await hook({}, env, ['hook', '--shell', 'prefix', 'kill -0 1'])).code).toBe(0);
    expect((await hook({}, env, ['hook', '--shell', 'prefix', 'rm -rf ~'])).code).toBe(126);
  });
});

describe.skipIf(!built)('held asks: a connected approver answers (the protocol under fwguard approve)', () => {
  async function watcher(b: Broker): Promise<{ conn: BrokerConnection; next: () => Promise<PendingInfo> }> {
    const conn = await BrokerConnection.open(b.socket, b.approverToken);
    cleanup.push(() => conn.close());
    const seen: PendingInfo[] = [];
    let wake = () => {};
    conn.onPush = (r: Response) => {
      if (r.type !== 'pending') return;
      for (const p of r.list) {
        if (seen.some((s) => s.pending === p.pending)) continue;
        seen.push(p);
        wake();
      }
    };
    expect((await conn.request({ type: 'watch' })).type).toBe('pending');
    let taken = 0;
    const next = async () => {
      while (seen.length <= taken) await new Promise<void>((r) => (wake = r));
      return seen[taken++]!;
    };
    return { conn, next };
  }

  it('allow-once: the hook answers an explicit allow; deny with a message: the agent gets the message', async () => {
    const { b, state } = await broker();
    const { conn, next } = await watcher(b);
    const env = { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: b.token, FWGUARD_STATE_DIR: stateDir() };
    const pending = hook(bash('kill -0 1'), env);
    const p = await next();
    expect(p.proposal.command).toBe('kill -0 1');
    expect(p.decision.verdict).toBe('ask');
    expect((await conn.request({ type: 'answer', pending: p.pending, answer: { kind: 'allow-once' } })).type).toBe('ok');
    const r = await pending;
    expect(r.decision).toBe('allow');
    const denied = hook(bash('kill -0 2'), env);
    const p2 = await next();
    await conn.request({ type: 'answer', pending: p2.pending, answer: { kind: 'deny', message: 'use systemctl instead' } });
    const r2 = await denied;
    expect(r2.decision).toBe('deny');
    expect(r2.stdout + r2.stderr).toMatch(/person\.deny.*use systemctl instead/);
    expect(trace(state).filter((t) => t.event === 'approval').map((t) => [t.person, t.verdict])).toEqual([
      ['allow-once', 'allow'],
      ['deny', 'deny'],
    ]);
    expect(b.records.map((r) => [r.verdict, r.person])).toEqual([
      ['allow', 'allow-once'],
      ['deny', 'deny'],
    ]);
  });

  it('the person’s answer goes to the trace the user configured (audit.path), beside the ask it answers', async () => {
    const home = join(box.root, `home-audit-${++n}`);
    const custom = join(box.root, `custom-trace-${n}.jsonl`);
    mkdirSync(join(home, '.config/fwguard'), { recursive: true });
    writeFileSync(join(home, '.config/fwguard/config.yaml'), `audit:\n  path: ${custom}\n`);
    const { b, state } = await broker({ home });
    const { conn, next } = await watcher(b);
    const pending = hook(bash('kill -0 3'), { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: b.token, FWGUARD_STATE_DIR: stateDir() });
    const p = await next();
    await conn.request({ type: 'answer', pending: p.pending, answer: { kind: 'allow-once' } });
    expect((await pending).decision).toBe('allow');
    const lines = readFileSync(custom, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((t) => t.event)).toEqual(expect.arrayContaining(['approval']));
    expect(trace(state).filter((t) => t.event === 'approval')).toEqual([]);
  });

  it('the agent’s own token cannot list, watch or answer held asks', async () => {
    const { b } = await broker();
    const conn = await BrokerConnection.open(b.socket, b.token);
    cleanup.push(() => conn.close());
    for (const req of [{ type: 'watch' as const }, { type: 'list' as const }, { type: 'answer' as const, pending: 1, answer: { kind: 'allow-once' as const } }]) {
      const r = await conn.request(req);
      expect(r.type === 'error' && r.error).toMatch(/needs the approver's token/);
    }
    expect((await conn.request({ type: 'ping' })).type).toBe('ok');
  });

  it('nobody answers within the approve timeout: deny (person.timeout)', async () => {
    const { b } = await broker({ approveTimeoutS: 1 });
    await watcher(b);
    const r = await hook(bash('kill -0 1'), { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: b.token, FWGUARD_STATE_DIR: stateDir() });
    expect(r.decision).toBe('deny');
    expect(r.stdout + r.stderr).toMatch(/person\.timeout/);
  });

  it('with no approver connected an ask goes back to the agent’s own prompt', async () => {
    const { b } = await broker();
    const r = await hook(bash('kill -0 1'), { FWGUARD_BROKER: b.socket, FWGUARD_BROKER_TOKEN: b.token, FWGUARD_STATE_DIR: stateDir() });
    expect(r.decision).toBe('ask');
  });

  it('closing the broker removes its socket and directory', async () => {
    const { b } = await broker();
    expect(existsSync(b.socket)).toBe(true);
    await b.close();
    expect(existsSync(b.dir)).toBe(false);
  });
});
