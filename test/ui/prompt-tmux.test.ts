// The approval prompt, driven for real: `fwguard exec` on an ask-level line in a real temp git
// repo, inside a tmux pane (a real terminal), keys sent with send-keys, the screen read with
// capture-pane. Each test asserts what is on screen and what the answer did on disk.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, put, world, type World } from '../exec/repo.js';

const tmuxVersion = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
const hasTmux = tmuxVersion.status === 0;
const built = existsSync(new URL('../../dist/commands/exec.js', import.meta.url));
const why = !hasTmux ? 'tmux is not installed' : !built ? 'fwguard is not built (dist/commands/exec.js missing): npm run build' : '';
if (why) console.warn(`test/ui/prompt-tmux.test.ts skipped: ${why}`);

const SOCKET = `fwg-prompt-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
afterAll(() => {
  tmux('kill-server');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;

interface Pane {
  name: string;
  exitFile: string;
  screen(): string;
  waitFor(re: RegExp, ms?: number): Promise<string>;
  keys(...k: string[]): void;
  exit(ms?: number): Promise<number>;
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Start `fwguard exec ARGS` in a fresh 120x40 tmux pane, in the world's project, with a clean environment. */
function start(w: World, args: string[], env: Record<string, string> = {}): Pane {
  const name = `p${++n}`;
  const exitFile = join(w.root, `${name}.exit`);
  const vars = { ...w.env, TERM: 'xterm-256color', ...env };
  const script = join(w.root, `${name}.sh`);
  writeFileSync(
    script,
    `cd ${shq(w.project)}\n` +
      `env -i ${Object.entries(vars).map(([k, v]) => `${k}=${shq(v)}`).join(' ')} ${shq(process.execPath)} ${shq(BIN)} exec ${args.map(shq).join(' ')}\n` +
      `code=$?\necho "EXIT=$code"\necho $code > ${shq(exitFile)}\nsleep 60\n`,
  );
  const r = tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', name, `sh ${shq(script)}`);
  if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  const screen = () => tmux('capture-pane', '-p', '-t', name).stdout;
  return {
    name,
    exitFile,
    screen,
    async waitFor(re, ms = 15_000) {
      const end = Date.now() + ms;
      let s = '';
      while (Date.now() < end) {
        s = screen();
        if (re.test(s)) return s;
        await sleep(100);
      }
      throw new Error(`screen never matched ${re}:\n${s}`);
    },
    keys(...k) {
      tmux('send-keys', '-t', name, ...k);
    },
    async exit(ms = 15_000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (existsSync(exitFile)) {
          const t = readFileSync(exitFile, 'utf8').trim();
          if (t) return Number(t);
        }
        await sleep(100);
      }
      throw new Error(`fwguard exec did not exit:\n${screen()}`);
    },
  };
}

/** A project with untracked work in drafts/ and scratch/ (rm -rf of either asks). */
function drafts(): World {
  const w = world();
  put(join(w.project, 'drafts/idea.md'), 'an idea\n');
  put(join(w.project, 'drafts/deep/more.md'), 'more\n');
  put(join(w.project, 'scratch/s.md'), 's\n');
  return w;
}

/** Run fwguard exec without a terminal (an ask would be exit 126). */
function noTty(w: World, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, 'exec', ...args], { cwd: w.project, env: { ...w.env, ...env }, encoding: 'utf8', timeout: 30_000 });
}

const PROMPT = /\[y\] allow once/;

describe.skipIf(!!why)(`approval prompt in tmux${why ? ` (skipped: ${why})` : ''}`, () => {
  it('shows the command, the typed action relative to the project, the rule id, the risk and every key; n denies (126, nothing ran)', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts']);
    const s = await p.waitFor(PROMPT);
    expect(s).toMatch(/fwguard: approval needed/);
    expect(s).toMatch(/\$ rm -rf drafts/);
    expect(s).toMatch(/file\.delete \(rm\): drafts · recursive/);
    expect(s).toMatch(/fs\.delete-unsaved-work \(ask\)/);
    expect(s).toMatch(/risk IRREVERSIBLE/);
    expect(s.replace(/[│\s]+/g, ' ')).toMatch(/\[y\] allow once \[s\] allow for this session \[a\] always allow \[n\] deny \[m\] deny with a message \[d\] dry run/);
    expect(s).toMatch(/no answer in 1[0-9]{2} s → deny/);
    p.keys('n');
    expect(await p.exit()).toBe(126);
    expect(await p.waitFor(/→ denied/)).toMatch(/not run: you denied it/);
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
  });

  it('y allows once: the command runs (drafts gone), exit 0; the next identical call asks again', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts'], { FWGUARD_SESSION: 'y-sess' });
    await p.waitFor(PROMPT);
    p.keys('y');
    expect(await p.exit()).toBe(0);
    expect(await p.waitFor(/→ allowed once/)).toBeTruthy();
    expect(existsSync(join(w.project, 'drafts'))).toBe(false);
    put(join(w.project, 'drafts/again.md'), 'x');
    expect(noTty(w, ['--', 'rm', '-rf', 'drafts'], { FWGUARD_SESSION: 'y-sess' }).status).toBe(126);
  });

  it('m denies with a typed message, which is passed back (stderr, trace)', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts']);
    await p.waitFor(PROMPT);
    p.keys('m');
    await p.waitFor(/Message for the agent/);
    p.keys('-l', 'keep drafts; archive them instead');
    await p.waitFor(/keep drafts; archive them instead/);
    p.keys('Enter');
    expect(await p.exit()).toBe(126);
    expect(await p.waitFor(/not run: you denied it: keep drafts; archive them instead/)).toBeTruthy();
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
    const trace = readFileSync(join(w.state, 'trace.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(trace.at(-1)).toMatchObject({ event: 'exec.answer', verdict: 'deny', answer: 'deny', message: 'keep drafts; archive them instead' });
  });

  it('s shows the scoped pattern before confirming; then the same scope runs with no prompt in that session only', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts/deep'], { FWGUARD_SESSION: 's-sess' });
    await p.waitFor(PROMPT);
    p.keys('s');
    const confirm = await p.waitFor(/Allow for the rest of this session/);
    expect(confirm).toMatch(/rm under drafts\/deep\/\*\*\?/);
    p.keys('y');
    expect(await p.exit()).toBe(0);
    expect(existsSync(join(w.project, 'drafts/deep'))).toBe(false);
    // The same scope again, in the same session, without a terminal: runs (an ask would be 126).
    put(join(w.project, 'drafts/deep/new.md'), 'new');
    const again = noTty(w, ['--', 'rm', '-rf', 'drafts/deep'], { FWGUARD_SESSION: 's-sess' });
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(join(w.project, 'drafts/deep'))).toBe(false);
    // Look-alikes: a wider scope, another scope, another session all still ask.
    expect(noTty(w, ['--', 'rm', '-rf', 'drafts'], { FWGUARD_SESSION: 's-sess' }).status).toBe(126);
    expect(noTty(w, ['--', 'rm', '-rf', 'scratch'], { FWGUARD_SESSION: 's-sess' }).status).toBe(126);
    put(join(w.project, 'drafts/deep/new.md'), 'new');
    expect(noTty(w, ['--', 'rm', '-rf', 'drafts/deep'], { FWGUARD_SESSION: 'other' }).status).toBe(126);
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
  });

  it('d runs the dry run in the prompt, then asks again', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts']);
    await p.waitFor(PROMPT);
    p.keys('d');
    const s = await p.waitFor(/rm would delete 1 path \(2 files, 13 B\)/);
    expect(s).toMatch(/drafts\/idea\.md\s+8 B\s+untracked/);
    expect(s).toMatch(PROMPT);
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
    p.keys('n');
    expect(await p.exit()).toBe(126);
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
  });

  it('no answer before --approve-timeout → deny (126), nothing ran', async () => {
    const w = drafts();
    const t0 = Date.now();
    const p = start(w, ['--approve-timeout', '2', '--', 'rm', '-rf', 'drafts']);
    await p.waitFor(PROMPT);
    expect(await p.exit(20_000)).toBe(126);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(await p.waitFor(/not run: no answer within 2 s/)).toMatch(/→ denied: no answer within 2 s/);
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
  });

  it('a writes a validated allow rule to the USER config (created), never a project file; later sessions run that scope', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts']);
    await p.waitFor(PROMPT);
    p.keys('a');
    const confirm = await p.waitFor(/Always allow/);
    expect(confirm.replace(/[│\s]+/g, ' ')).toContain(`written to ${w.home}/.config/fwguard/config.yaml`);
    p.keys('y');
    expect(await p.exit()).toBe(0);
    expect(existsSync(join(w.project, 'drafts'))).toBe(false);
    const cfg = readFileSync(join(w.home, '.config/fwguard/config.yaml'), 'utf8');
    expect(cfg).toMatch(/"overrides":\["fs\.delete-unsaved-work"\]/);
    expect(cfg).toContain(`"glob":"${w.project}/drafts/**"`);
    expect(spawnSync('git', ['status', '--porcelain', '--', '.fwguardrc*', 'fwguard.config.*'], { cwd: w.project, encoding: 'utf8' }).stdout).toBe('');
    put(join(w.project, 'drafts/later.md'), 'later');
    expect(noTty(w, ['--', 'rm', '-rf', 'drafts']).status).toBe(0);
    expect(noTty(w, ['--', 'rm', '-rf', 'scratch']).status).toBe(126);
  });

  it('a rule with dryRunFirst opens the prompt with the preview already run', async () => {
    const w = drafts();
    put(join(w.home, '.config/fwguard/config.yaml'), 'rules:\n  - id: fs.delete-unsaved-work\n    verdict: ask\n    dryRunFirst: true\n');
    const p = start(w, ['--', 'rm', '-rf', 'drafts']);
    const s = await p.waitFor(PROMPT);
    expect(s).toMatch(/dry run/);
    expect(s).toMatch(/rm would delete 1 path/);
    p.keys('n');
    expect(await p.exit()).toBe(126);
  });

  it('under CI=true nothing is rendered even on a terminal: ask → deny, 126', async () => {
    const w = drafts();
    const p = start(w, ['--', 'rm', '-rf', 'drafts'], { CI: 'true' });
    expect(await p.exit()).toBe(126);
    const s = await p.waitFor(/EXIT=126/);
    expect(s).not.toMatch(/approval needed|\[y\] allow once/);
    expect(s).toMatch(/ci\.ask/);
    expect(existsSync(join(w.project, 'drafts/idea.md'))).toBe(true);
    const forced = start(w, ['--ci', '--', 'rm', '-rf', 'drafts']);
    expect(await forced.exit()).toBe(126);
    expect(forced.screen()).not.toMatch(/approval needed/);
  });
});
