// `fwguard exec` as a real process (node bin/run.js exec …) in real temp git repos, without a
// terminal: what is allowed runs (effect on disk, exit code passed through), what is denied or
// needs a person never runs (exit 126, the reason on stderr). The prompt itself: test/ui/prompt-tmux.test.ts.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSession } from '../../src/session/store.js';
import { BIN, put, snapshot, world, type World } from './repo.js';

const built = existsSync(new URL('../../dist/commands/exec.js', import.meta.url));

function fw(w: World, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'exec', ...args], { cwd: w.project, env: { ...w.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function traceLines(w: World): Record<string, unknown>[] {
  const f = join(w.state, 'trace.jsonl');
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

describe.skipIf(!built)('fwguard exec', () => {
  it('runs an allowed line with bash in the caller\'s cwd and env, streams its output, exits with its code', () => {
    const w = world();
    const r = fw(w, ['-c', 'echo "$GREETING from $(pwd)" && touch made.txt && exit 3'], { GREETING: 'hello' });
    expect(r.out).toBe(`hello from ${w.project}\n`);
    expect(r.code).toBe(3);
    expect(existsSync(join(w.project, 'made.txt'))).toBe(true);
    expect(traceLines(w).at(-1)).toMatchObject({ verdict: 'allow', event: 'exec', agent: 'exec' });
  });

  it('several words after -- run as that exact argv (quoted), one word is a command line', () => {
    const w = world();
    expect(fw(w, ['--', 'printf', '%s|', 'a b', '$HOME', ';', 'x']).out).toBe('a b|$HOME|;|x|');
    expect(fw(w, ['--', 'echo one; echo two']).out).toBe('one\ntwo\n');
  });

  it('a denied line never runs: reason and rule id on stderr, exit 126', () => {
    const w = world();
    const before = snapshot(w.project);
    const r = fw(w, ['--', 'touch .git/hooks/pre-commit']);
    expect(r.code).toBe(126);
    expect(r.err).toMatch(/not run \(denied\)/);
    expect(r.err).toMatch(/fs\.protected-path/);
    expect(existsSync(join(w.project, '.git/hooks/pre-commit'))).toBe(false);
    expect(snapshot(w.project)).toEqual(before);
  });

  it('an ask without a terminal is not run (exit 126), and never shows the prompt', () => {
    const w = world();
    const r = fw(w, ['--', 'rm', 'notes.md']);
    expect(r.code).toBe(126);
    expect(r.err).toMatch(/needs a person's approval and there is no terminal/);
    expect(r.err).toMatch(/fs\.delete-unsaved-work/);
    expect(r.out + r.err).not.toMatch(/approval needed|\[y\] allow once/);
    expect(existsSync(join(w.project, 'notes.md'))).toBe(true);
  });

  it('under CI=true an ask resolves to deny (ci.ask) without rendering anything', () => {
    const w = world();
    const r = fw(w, ['--', 'rm', 'notes.md'], { CI: 'true' });
    expect(r.code).toBe(126);
    expect(r.err).toMatch(/ci\.ask/);
    expect(r.out + r.err).not.toMatch(/approval needed|\[y\] allow once/);
    expect(existsSync(join(w.project, 'notes.md'))).toBe(true);
    const forced = fw(w, ['--ci', '--', 'rm', 'notes.md']);
    expect(forced.code).toBe(126);
    expect(existsSync(join(w.project, 'notes.md'))).toBe(true);
  });

  it('acceptance: exec --dry-run -- rm -rf build lists the files and deletes nothing', () => {
    const w = world();
    const before = snapshot(w.project);
    const r = fw(w, ['--dry-run', '--', 'rm', '-rf', 'build']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dry run: nothing was run/);
    expect(r.out).toMatch(/rm would delete 1 path \(2 files, 2\.0 KB\)/);
    expect(r.out).toMatch(/build\/out\.js\s+16 B\s+ignored/);
    expect(r.out).toMatch(/build\/sub\/chunk\.js\s+2\.0 KB\s+ignored/);
    expect(snapshot(w.project)).toEqual(before);
    expect(existsSync(join(w.project, 'build/out.js'))).toBe(true);
  });

  it('--dry-run --json prints the decision and the preview; a denied line gets no preview (126)', () => {
    const w = world();
    const r = fw(w, ['--dry-run', '--json', '--', 'rm -rf notes.md src']);
    const j = JSON.parse(r.out) as { verdict: string; preview: { items: { kind: string; entries: { path: string; git: unknown }[] }[] } };
    expect(j.verdict).toBe('ask');
    expect(j.preview.items[0]!.entries.map((e) => [e.path, e.git])).toEqual([['notes.md', 'untracked'], ['src/', { modified: 1, tracked: 1 }]]);
    expect(existsSync(join(w.project, 'notes.md'))).toBe(true);
    const d = fw(w, ['--dry-run', '--json', '--', 'rm -rf .git']);
    expect(d.code).toBe(126);
    expect(JSON.parse(d.out)).toMatchObject({ verdict: 'deny', preview: null });
  });

  it('--json on a run prints the decision before the output', () => {
    const w = world();
    const r = fw(w, ['--json', '--', 'echo hi']);
    const first = r.out.slice(0, r.out.lastIndexOf('}') + 1);
    expect(JSON.parse(first)).toMatchObject({ verdict: 'allow', ran: true, command: 'echo hi' });
    expect(r.out.endsWith('hi\n')).toBe(true);
  });

  it('what ran is recorded in session memory (recordRan): a fetch marks the session untrusted', () => {
    const w = world();
    // Nothing listens on port 9: curl fails fast (exit 7), and it still ran.
    expect(fw(w, ['--', 'curl', '-s', 'http://127.0.0.1:9/x'], { FWGUARD_SESSION: 'sess-rr' }).code).toBe(7);
    expect(readSession(w.state, 'sess-rr')?.labels.untrusted?.source).toMatch(/127\.0\.0\.1:9/);
    expect(fw(w, ['--', 'curl', '-s', 'http://127.0.0.1:9/x']).code).toBe(7);
    expect(readSession(w.state, 'other')).toBeUndefined();
  });

  it('a signal sent to fwguard reaches the command; fwguard exits 128+N and leaves no process behind', async () => {
    const w = world();
    const child = spawn(process.execPath, [BIN, 'exec', '-c', 'touch started && exec sleep 31.7'], { cwd: w.project, env: w.env, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    for (let k = 0; k < 100 && !existsSync(join(w.project, 'started')); k++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(join(w.project, 'started'))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(spawnSync('pgrep', ['-f', 'sleep 31.7']).status).toBe(1);
  });

  it('an invalid config fails closed: nothing runs, the error is named (126)', () => {
    const w = world();
    put(join(w.home, '.config/fwguard/config.yaml'), 'rules:\n  - id: x\n    verdict: block\n');
    const r = fw(w, ['--', 'touch', 'ran.txt']);
    expect(r.code).toBe(126);
    expect(r.err).toMatch(/config\.invalid/);
    expect(r.err).toMatch(/rules\[0\]\.verdict/);
    expect(existsSync(join(w.project, 'ran.txt'))).toBe(false);
  });

  it('usage errors exit 3 with a hint', () => {
    const w = world();
    const r = fw(w, []);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/give the command line to run/);
    expect(fw(w, ['-c', 'ls', '--', 'ls']).code).toBe(3);
  });

  it('--help shows the keys and examples', () => {
    const r = spawnSync(process.execPath, [BIN, 'exec', '--help'], { encoding: 'utf8' });
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/y allow once, s allow for this session, a always allow .* n deny, m deny with a message, d dry run first/);
    expect(r.stdout).toMatch(/exec --dry-run -- rm -rf build/);
  });
});

