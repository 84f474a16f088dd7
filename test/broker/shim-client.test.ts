// The shims' perl client (bin/shims/fwguard-broker-client.pl) against a real broker: it must say
// exactly what the node decision step says, carry any command text intact, and on every kind of
// trouble either hand over to the node step (which decides alone) or refuse — never run unjudged.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startBroker, type Broker } from '../../src/broker/server.js';
import { createSandbox } from '../../src/policy/sandbox.js';
import { BIN, built } from '../run/helpers.js';

const hasPerl = spawnSync('perl', ['-MSocket', '-e', '1']).status === 0;
const SHIMS = new URL('../../bin/shims', import.meta.url).pathname;
const box = createSandbox();
const runDir = mkdtempSync('/tmp/fwg-pl-');
const state = join(box.root, 'state');
mkdirSync(state, { mode: 0o700 });
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  rmSync(box.root, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

let b: Broker;
async function broker(): Promise<Broker> {
  b ??= await startBroker({ env: { HOME: box.home, PATH: process.env.PATH, FWGUARD_STATE_DIR: state, FWGUARD_RUN_DIR: runDir }, ci: false, agent: 'fake', argv: ['fake'], cwd: box.project, approveTimeoutS: 30 });
  closers.push(() => b.close());
  return b;
}

/** A socket that is not a broker; closing it also drops its connections. */
async function fakeServer(socket: string, onConn: (c: import('node:net').Socket) => void): Promise<void> {
  const conns = new Set<import('node:net').Socket>();
  const server = createServer((c) => {
    conns.add(c);
    c.on('error', () => {});
    c.on('close', () => conns.delete(c));
    onConn(c);
  });
  await new Promise<void>((r) => server.listen(socket, r));
  closers.push(
    () =>
      new Promise((r) => {
        for (const c of conns) c.destroy();
        server.close(r);
      }),
  );
}

const realBash = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

/** `<shims>/bash -c CMD` with the env `fwguard run` gives an agent. */
function shim(cmd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(join(SHIMS, 'bash'), ['-c', cmd], {
      cwd: box.project,
      env: { PATH: process.env.PATH ?? '', HOME: box.home, FWGUARD_STATE_DIR: join(box.root, 'state-alone'), FWGUARD_NODE: process.execPath, FWGUARD_BIN: BIN, FWGUARD_SHIM_DIR: SHIMS, FWGUARD_REAL_BASH: realBash, ...env },
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!built || !hasPerl)('the shims’ perl client', () => {
  it('answers without node: with FWGUARD_NODE unusable the broker’s allow and deny still arrive', async () => {
    const br = await broker();
    const env = { FWGUARD_BROKER: br.socket, FWGUARD_BROKER_TOKEN: br.token, FWGUARD_NODE: '/nonexistent/node' };
    const ok = await shim('echo fast', env);
    expect(ok).toMatchObject({ code: 0, stdout: 'fast\n' });
    const no = await shim('echo pwned >> ~/.bashrc', env);
    expect(no.code).toBe(126);
    expect(no.stderr).toMatch(/^fwguard: denied: \[fwguard fs\.protected-path\]/);
    // The node path is what the perl client falls back to: without node it refuses (fail closed).
    const viaNode = await shim('echo fast', { ...env, FWGUARD_SHIM_PERL: '0' });
    expect(viaNode.code).toBe(126);
    expect(viaNode.stderr).toMatch(/no decision could be made \(exit 127\)/);
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).toBe('x\n');
  });

  it('says exactly what the node decision step says', async () => {
    const br = await broker();
    const env = { FWGUARD_BROKER: br.socket, FWGUARD_BROKER_TOKEN: br.token };
    for (const cmd of ['git push -f origin main', 'kill -0 1', 'echo pwned >> ~/.bashrc']) {
      const perl = await shim(cmd, env);
      const node = await shim(cmd, { ...env, FWGUARD_SHIM_PERL: '0' });
      expect(perl.code, cmd).toBe(126);
      expect(perl.stderr, cmd).toBe(node.stderr);
    }
  });

  it('carries quotes, backslashes, tabs, newlines and non-ASCII text intact to the broker', async () => {
    const br = await broker();
    const cmd = `printf '%s|' "a\\"b" 'c\\d' "tab\there" 'line1\nline2' "é ✓ \u0001"`;
    const r = await shim(cmd, { FWGUARD_BROKER: br.socket, FWGUARD_BROKER_TOKEN: br.token, FWGUARD_NODE: '/nonexistent/node' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('a"b|c\\d|tab\there|line1\nline2|é ✓ \u0001|');
    expect(br.records.at(-1)!.what).toBe(cmd);
  });

  it('a wrong token, a socket dir others can enter, or no broker: the node step decides alone (still denies)', async () => {
    const br = await broker();
    const open = join(runDir, 'open');
    mkdirSync(open, { mode: 0o755 });
    await fakeServer(join(open, 's'), (c) => c.end('0 \n'));
    for (const env of [
      { FWGUARD_BROKER: br.socket, FWGUARD_BROKER_TOKEN: 'wrong' },
      { FWGUARD_BROKER: join(open, 's'), FWGUARD_BROKER_TOKEN: 'x' },
      { FWGUARD_BROKER: join(runDir, 'none', 's'), FWGUARD_BROKER_TOKEN: 'x' },
    ]) {
      const r = await shim('echo pwned >> ~/.bashrc', env);
      expect(r.code, JSON.stringify(env)).toBe(126);
      expect(r.stderr).toMatch(/^fwguard: denied: \[fwguard fs\.protected-path\]/);
      // …and with no node to fall back to, nothing runs.
      const r2 = await shim('echo ran > ran.txt', { ...env, FWGUARD_NODE: '/nonexistent/node' });
      expect(r2.code).toBe(126);
    }
  });

  it('a broker that never answers: after the deadline the node step decides alone (and still denies)', async () => {
    const dir = join(runDir, 'mute');
    mkdirSync(dir, { mode: 0o700 });
    await fakeServer(join(dir, 's'), () => {});
    const t = Date.now();
    const r = await shim('echo pwned >> ~/.bashrc', { FWGUARD_BROKER: join(dir, 's'), FWGUARD_BROKER_TOKEN: 'x', FWGUARD_BROKER_DEADLINE_MS: '300' });
    expect(r.code).toBe(126);
    expect(r.stderr).toMatch(/^fwguard: denied: \[fwguard fs\.protected-path\]/);
    expect(Date.now() - t).toBeLessThan(8000);
  });

  it('a broker that holds the ask and then vanishes: refused (exit 126), not handed to the node step', async () => {
    const dir = join(runDir, 'held');
    mkdirSync(dir, { mode: 0o700 });
    await fakeServer(join(dir, 's'), (c) =>
      c.once('data', () => {
        c.write('held 60000\n');
        setTimeout(() => c.destroy(), 100);
      }),
    );
    const r = await shim('ls', { FWGUARD_BROKER: join(dir, 's'), FWGUARD_BROKER_TOKEN: 'x' });
    expect(r.code).toBe(126);
    expect(r.stderr).toMatch(/broker went away while a person was being asked/);
  });
});
