// An ask answered by a person, for real: `fwguard run --approve-here` and `fwguard approve` run in
// tmux (their own terminals); the test reads the screen (capture-pane) and presses keys (send-keys).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, built, envFor, fwRunAsync, runDirEntries, steps, until, world, type World } from './helpers.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasPrompt = existsSync(new URL('../../dist/src/ui/prompt.js', import.meta.url));
const L = `fwguard-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', L, ...args], { encoding: 'utf8' });
afterAll(() => {
  spawnSync('tmux', ['-L', L, 'kill-server']);
});

/** Start `argv` in a new tmux session with a clean environment; its output also goes to a log. */
function inTmux(name: string, w: World, argv: string[], log: string): void {
  const env = Object.entries({ ...envFor(w), TERM: 'xterm-256color', FAKE_LOG: log }).map(([k, v]) => `${k}=${v}`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `cd ${q(w.project)} && env -i ${env.map(q).join(' ')} ${argv.map(q).join(' ')}; echo EXIT=$? >> ${q(log)}; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '140', '-y', '45', 'bash', '-c', cmd);
}
const screen = (name: string) => tmux('capture-pane', '-t', name, '-p');
const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

const why = [!built && 'fwguard is not built', !hasTmux && 'tmux is missing', !hasPrompt && 'the prompt (dist/src/ui/prompt.js) is not built'].filter(Boolean).join(', ');
describe.skipIf(why !== '')(`an ask answered in tmux${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  it('fwguard run --approve-here: y runs the command, n refuses it with the person’s deny', { timeout: 90_000 }, async () => {
    const w = world();
    const log = join(w.root, 'run.log');
    inTmux('here', w, [process.execPath, BIN, 'run', '--approve-here', '--', process.execPath, w.agent, 'shell:kill -0 $$ && echo yes > approved.txt', 'bash:kill -0 $$ && echo no > refused.txt'], log);
    await until(() => /approval needed/.test(screen('here')) && screen('here').includes('approved.txt'), 20_000, 'the first prompt');
    const s = screen('here');
    expect(s).toContain('$ kill -0 $$ && echo yes > approved.txt');
    expect(s).toMatch(/sys\.signal/);
    expect(s).toMatch(/\[y\] allow once/);
    tmux('send-keys', '-t', 'here', 'y');
    await until(() => screen('here').includes('refused.txt'), 20_000, 'the second prompt');
    tmux('send-keys', '-t', 'here', 'n');
    await until(() => /EXIT=\d+/.test(read(log)), 20_000, 'fwguard run to end');
    expect(read(log)).toMatch(/EXIT=0/);
    const st = steps(read(log));
    expect(st.map((x) => x.status)).toEqual([0, 126]);
    expect(st[1]!.stderr).toMatch(/person\.deny/);
    expect(readFileSync(join(w.project, 'approved.txt'), 'utf8')).toBe('yes\n');
    expect(existsSync(join(w.project, 'refused.txt'))).toBe(false);
    expect(runDirEntries(w)).toEqual([]);
  });

  it('fwguard approve in a second terminal answers the ask of an agent that owns its own', { timeout: 90_000 }, async () => {
    const w = world();
    const log = join(w.root, 'approve.log');
    inTmux('approver', w, [process.execPath, BIN, 'approve'], log);
    await until(() => /no `fwguard run` is running yet/.test(screen('approver')), 20_000, 'fwguard approve to start');
    // The agent waits a moment so that approve has found the run before it asks.
    const fw = fwRunAsync(w, ['--no-approve-here'], [process.execPath, w.agent, 'bash:sleep 3', 'bash:kill -0 $$ && echo yes > via-approve.txt']);
    let out = '';
    fw.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const code = new Promise<number | null>((r) => fw.once('exit', (c) => r(c)));
    await until(() => /approval needed/.test(screen('approver')) && screen('approver').includes('$ kill -0 $$ && echo yes > via-approve.txt'), 25_000, 'the prompt in fwguard approve');
    expect(screen('approver')).toMatch(/sys\.signal/);
    tmux('send-keys', '-t', 'approver', 'y');
    expect(await code).toBe(0);
    expect(steps(out).map((x) => x.status)).toEqual([0, 0]);
    expect(readFileSync(join(w.project, 'via-approve.txt'), 'utf8')).toBe('yes\n');
    await until(() => /allow-once sent/.test(screen('approver')), 10_000, 'approve to confirm');
  });
});
