// `fwguard approve --list`: finds the running `fwguard run` sessions through their private socket
// directories, lists what they hold, and cleans up after a run that could not (SIGKILL).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, built, envFor, fwRunAsync, until, world, type World } from './helpers.js';

const approveList = (w: World) => spawnSync(process.execPath, [BIN, 'approve', '--list', '--json'], { cwd: w.project, env: envFor(w), encoding: 'utf8' });

describe.skipIf(!built)('fwguard approve --list', () => {
  it('lists a running fwguard run (argv, pid, nothing pending) and nothing once it ended', async () => {
    const w = world();
    const fw = fwRunAsync(w, [], [process.execPath, w.agent], { FAKE_WAIT: '1' });
    let out = '';
    fw.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ready'), 15_000, 'the agent to start');
    const r = approveList(w);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { runs: { id: string; pid: number; argv: string[]; pending: unknown[] }[] };
    expect(j.runs).toHaveLength(1);
    expect(j.runs[0]!.pid).toBe(fw.pid);
    expect(j.runs[0]!.argv).toEqual([process.execPath, w.agent]);
    expect(j.runs[0]!.pending).toEqual([]);
    const done = new Promise((res) => fw.once('exit', res));
    fw.kill('SIGTERM');
    await done;
    expect((JSON.parse(approveList(w).stdout) as { runs: unknown[] }).runs).toEqual([]);
  });

  it('removes the directory of a run whose process is gone, and skips one that is not private', () => {
    const w = world();
    const stale = join(w.runDir, 'aaaaaaaaaaaa');
    mkdirSync(stale, { mode: 0o700 });
    writeFileSync(join(stale, 'info.json'), JSON.stringify({ id: 'aaaaaaaaaaaa', pid: 2 ** 22 + 12345, token: 't', socket: join(stale, 's'), agent: 'x', argv: ['x'], cwd: '/', started: '', ci: false }));
    const open = join(w.runDir, 'bbbbbbbbbbbb');
    mkdirSync(open, { mode: 0o755 });
    const r = approveList(w);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { runs: unknown[]; skipped: { dir: string; why: string }[] };
    expect(j.runs).toEqual([]);
    expect(existsSync(stale)).toBe(false);
    expect(j.skipped).toEqual([{ dir: open, why: expect.stringMatching(/accessible to other users/) as unknown as string }]);
    expect(readFileSync(join(w.home, '.bashrc'), 'utf8')).toBe('x\n');
  });

  it('without a terminal, fwguard approve says to use --list (exit 3)', () => {
    const w = world();
    const r = spawnSync(process.execPath, [BIN, 'approve'], { cwd: w.project, env: envFor(w), encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(/needs a terminal .*use --list/);
  });
});
