// The prompt rendered in-process on stand-in terminal streams (the tmux test covers the real
// terminal): a Write shows its unified diff, taint labels and budgets show, keys resolve answers.
import { describe, expect, it, vi, beforeAll, afterAll } from 'vitest';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { askPerson } from '../../src/ui/ask.js';
import { decide } from '../../src/core/decide.js';
import { put, world } from '../exec/repo.js';

// Ink renders nothing interactive while this process has CI set (is-in-ci), and canPrompt refuses
// then: these tests draw the prompt, so the runner's own CI=true (CI runs npm test with it) is
// hidden from them. What CI does to the prompt is tested with explicit CI envs below and in tmux.
beforeAll(() => {
  vi.stubEnv('CI', '0');
  vi.stubEnv('CONTINUOUS_INTEGRATION', '0');
});
afterAll(() => vi.unstubAllEnvs());

function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin }) as unknown as NodeJS.ReadStream & PassThrough;
  let screen = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 }) as unknown as NodeJS.WriteStream & PassThrough;
  stdout.on('data', (b: Buffer) => (screen += b.toString('utf8')));
  // eslint-disable-next-line no-control-regex
  return { stdin, stdout, screen: () => screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') };
}

const until = async (f: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return f();
};

describe('prompt rendering', () => {
  it('a Write outside the project shows its diff, the taint labels and budgets; n denies', async () => {
    const w = world();
    const target = join(w.root, 'outside/conf.txt');
    put(target, 'a\nb\nc\n');
    const proposal = { kind: 'file.write' as const, tool: 'Write', path: target, content: 'a\nB\nc\n', cwd: w.project, agent: 'claude-code' };
    // Everything here is under /tmp (write scope): a user rule makes writes ask.
    put(join(w.home, '.config/fwguard/config.yaml'), 'rules:\n  - { id: me.ask-writes, when: { action: file.write }, verdict: ask, message: writes ask here }\n');
    const d = decide(proposal, { env: w.env, trace: false, backup: false }).decision;
    expect(d.verdict).toBe('ask');
    const t = terminal();
    const answer = askPerson(
      { proposal, decision: d, projectRoot: w.project, session: { labels: ['secret (a read of .env)'], budgets: ['file.delete: 3 in the last hour'] } },
      { stdin: t.stdin, stdout: t.stdout, env: { ...w.env, TERM: 'xterm' }, timeoutMs: 10_000 },
    );
    expect(await until(() => /\[y\] allow once/.test(t.screen()))).toBe(true);
    const s = t.screen();
    expect(s).toMatch(/Write .*conf\.txt/);
    expect(s).toMatch(/│ -b +│\n│ \+B +│/);
    expect(s).toMatch(/--- \/.*outside\/conf\.txt/);
    expect(s).toMatch(/me\.ask-writes \(ask\)/);
    expect(s).toMatch(/taint secret \(a read of \.env\)/);
    expect(s).toMatch(/budget file\.delete: 3 in the last hour/);
    t.stdin.write('n');
    expect(await answer).toEqual({ kind: 'deny' });
  });

  it('s without a session id is refused in place (no allowance stored), and y still allows once', async () => {
    const w = world();
    put(join(w.project, 'drafts/x.md'), 'x');
    const proposal = { kind: 'shell' as const, command: 'rm -rf drafts', cwd: w.project };
    const d = decide(proposal, { env: w.env, trace: false, backup: false }).decision;
    const t = terminal();
    const answer = askPerson({ proposal, decision: d, projectRoot: w.project }, { stdin: t.stdin, stdout: t.stdout, env: { ...w.env, TERM: 'xterm' }, timeoutMs: 10_000 });
    await until(() => /\[y\] allow once/.test(t.screen()));
    t.stdin.write('s');
    expect(await until(() => /s is not available: no session id/.test(t.screen()))).toBe(true);
    t.stdin.write('y');
    expect(await answer).toEqual({ kind: 'allow-once' });
  });
});
