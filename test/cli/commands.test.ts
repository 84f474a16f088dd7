// The oclif commands, run in-process against the real engine and a real sandbox project.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureOutput, root, runCommand } from '../helpers/cli.js';
import { sandbox } from '../helpers/decide.js';

const io = captureOutput();

async function run(id: string, argv: string[]): Promise<{ out: string; err: string; code: number }> {
  const mod = (await import(`../../commands/${id}.ts`)) as { default: { run(argv: string[], opts: { root: string }): Promise<unknown> } };
  return runCommand(io, mod.default, argv);
}

describe('check', () => {
  it('deny → exit 2, verdict then rule-id: message', async () => {
    const r = await run('check', ['--cwd', sandbox().project, '--', 'git', 'push', '-f', 'origin', 'main']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^DENY\n {2}git\.push-force-protected: Force-pushing main rewrites a protected branch's shared history/);
  });

  it('a single quoted string is judged as one line; --ci turns ask into deny', async () => {
    expect((await run('check', ['--cwd', sandbox().project, '--', 'npm install left-pad && ls'])).code).toBe(1);
    expect((await run('check', ['--cwd', sandbox().project, '--ci', '--', 'npm install left-pad && ls'])).code).toBe(2);
  });

  it('allow → 0; --json prints the decision', async () => {
    const r = await run('check', ['--cwd', sandbox().project, '--json', '--', 'make']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ command: 'make', verdict: 'allow', opaque: true, exitCode: 0 });
  });

  it('config error → 3 with the problem on stderr; usage errors → 3 (never 2, which means deny)', async () => {
    const dir = mkdtempSync(join(sandbox().root, 'badcfg-'));
    writeFileSync(join(dir, '.fwguardrc.yaml'), 'preset: paranoid\n');
    const r = await run('check', ['--cwd', dir, '--', 'ls']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('config error');
    expect(r.err).toContain('preset');
    expect((await run('check', ['--nope', '--', 'ls'])).code).toBe(3);
    expect((await run('check', [])).code).toBe(3);
  });
});

describe('explain', () => {
  it('shows commands, actions, rules and verdict', async () => {
    const r = await run('explain', ['--cwd', sandbox().project, '--', 'git push -f origin main']);
    expect(r.code).toBe(0);
    for (const s of ['simple commands (1)', '[0] git push -f origin main', 'git.push', 'branches=["main"]', 'force', 'git.push-force-protected', 'verdict  DENY', 'opaque no']) {
      expect(r.out).toContain(s);
    }
  });
  it('--json', async () => {
    const r = await run('explain', ['--cwd', sandbox().project, '--json', '--', 'ls']);
    expect(JSON.parse(r.out)).toMatchObject({ command: 'ls', decision: { verdict: 'allow' } });
  });
});

describe('rules and test', () => {
  it('rules lists ids, verdicts, sources', async () => {
    const r = await run('rules', ['--cwd', sandbox().project]);
    expect(r.out).toMatch(/git\.push-force-protected\s+DENY\s+builtin:rules\/git\.yaml/);
    expect(r.out).toMatch(/\d+ rules/);
    expect(JSON.parse((await run('rules', ['--cwd', sandbox().project, '--json'])).out)).toHaveProperty('rules');
  });
  it('test passes → 0; a failing test of the config → 1, printed', async () => {
    const dir = mkdtempSync(join(sandbox().root, 'tests-'));
    expect((await run('test', ['--cwd', dir])).code).toBe(0);
    writeFileSync(join(dir, '.fwguardrc.yaml'), 'tests:\n  - { command: "ls", expect: deny }\n');
    const r = await run('test', ['--cwd', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL .*: ls/);
    expect(r.out).toMatch(/\d+ examples, 1 failed/);
  }, 30_000);
});

describe('init and log (real files)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fwguard-cli-'));
    mkdirSync(join(tmp, 'proj', '.git'), { recursive: true });
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('init --dry-run prints a diff and writes nothing; init writes; init --remove undoes', async () => {
    const project = join(tmp, 'proj');
    const home = process.env.HOME;
    process.env.HOME = join(tmp, 'home');
    try {
      const dry = await run('init', ['--cwd', project, '--dry-run']);
      expect(dry.out).toContain('"onFailure": "block"');
      expect(dry.out).toContain('would create');
      expect(() => readFileSync(join(project, '.claude', 'settings.json'))).toThrow();
      await run('init', ['--cwd', project]);
      const settings = JSON.parse(readFileSync(join(project, '.claude', 'settings.json'), 'utf8')) as { hooks: { PreToolUse: { hooks: { args: string[]; command: string }[] }[] } };
      const h = settings.hooks.PreToolUse[0]!.hooks[0]!;
      expect(h.command).toBe(process.execPath);
      // The startup-snapshot form when the build made a usable blob, else bin/run.js.
      const snapshotForm = ['--snapshot-blob', join(root, 'dist', 'hook.blob'), 'hook', 'claude-code'];
      const binForm = [join(root, 'bin', 'run.js'), 'hook', 'claude-code'];
      expect([JSON.stringify(snapshotForm), JSON.stringify(binForm)]).toContain(JSON.stringify(h.args));
      // Acceptance: the installed command, fed a PreToolUse call for rm -rf ~, denies (exit 2).
      const probe = spawnSync(h.command, h.args, {
        input: JSON.stringify({ session_id: 't', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf ~' } }),
        cwd: project,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: join(tmp, 'home'), FWGUARD_STATE_DIR: join(tmp, 'state') },
      });
      expect(probe.status, probe.stderr).toBe(2);
      expect(probe.stderr).toContain('fs.delete-recursive-critical');
      await run('init', ['--cwd', project, '--remove']);
      expect(JSON.parse(readFileSync(join(project, '.claude', 'settings.json'), 'utf8'))).toEqual({});
    } finally {
      process.env.HOME = home;
    }
  });

  it('log prints newest last and honours --limit / --json / --verdict', async () => {
    const { appendTrace, makeTraceRecord } = await import('../../src/audit/trace.js');
    const file = join(tmp, 'trace.jsonl');
    for (const [i, v] of (['allow', 'deny', 'ask', 'deny'] as const).entries()) {
      appendTrace(makeTraceRecord({ proposal: { kind: 'shell', command: `cmd${i}`, cwd: '/' }, verdict: v, opaque: false, actions: [], reasons: [{ rule: `r${i}`, message: 'm', verdict: v }], durationMs: 1 }), file);
    }
    const r = await run('log', ['--file', file, '--limit', '2']);
    expect(r.out.indexOf('cmd2')).toBeLessThan(r.out.indexOf('cmd3'));
    expect(r.out).not.toContain('cmd1');
    const j = await run('log', ['--file', file, '--json', '--verdict', 'deny']);
    expect(j.out.trim().split('\n').map((l) => (JSON.parse(l) as { proposal: { command: string } }).proposal.command)).toEqual(['cmd1', 'cmd3']);
  });
});
