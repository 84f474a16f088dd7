import { spawnSync } from 'node:child_process';
// The oclif commands, run in-process against a fake engine (src/api.js is mocked).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Decision, Proposal } from '../../src/types.js';
import type { EvaluateOptions, Evaluation } from '../../src/api.js';

const root = resolve(import.meta.dirname, '../..');

const calls: { p: Proposal; o?: EvaluateOptions }[] = [];
let nextDecision: Decision;
let nextConfigError: string | undefined;

vi.mock('../../src/api.js', () => ({
  evaluateProposal: (p: Proposal, o?: EvaluateOptions): Evaluation => {
    calls.push({ p, o });
    return {
      decision: nextDecision,
      analysis: {
        commands: [{ argv: ['git', 'push', '-f', 'origin', 'main'], dyn: [false, false, false, false, false], glob: [false, false, false, false, false], assignments: [], redirects: [], cwd: p.cwd, via: [], pos: 0, text: p.command ?? '' }],
        issues: [],
      },
      projectRoot: p.cwd,
      configFiles: [],
      configError: nextConfigError,
      durationMs: 0.42,
    };
  },
  listRules: (_cwd: string) => ({
    rules: [
      { id: 'git.push.force-protected', verdict: 'deny', source: 'builtin:rules/git.yaml', message: 'Do not force-push main.', when: {} },
      { id: 'fs.read.secret', verdict: 'ask', source: 'builtin:rules/fs.yaml', message: 'Secret file.', when: {} },
    ],
    configFiles: [],
  }),
  runExamples: (cwd: string) => ({
    results: [
      { rule: 'a.rule', source: 'builtin:rules/a.yaml', command: 'ls', expected: 'match', ok: true },
      ...(cwd.endsWith('bad')
        ? [{ rule: 'b.rule', source: 'builtin:rules/b.yaml', command: 'rm -rf x', expected: 'match' as const, ok: false, detail: 'got allow' }]
        : []),
    ],
  }),
}));

const deny: Decision = {
  verdict: 'deny',
  opaque: false,
  risk: 'irreversible',
  reasons: [{ rule: 'git.push.force-protected', message: 'Force-pushing main rewrites shared history; push to a branch instead.', verdict: 'deny' }],
  actions: [{ type: 'git.push', cmd: 0, program: 'git', remote: 'origin', branches: ['main'], force: true, mirror: false, delete: false, noVerify: false }],
};

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  calls.length = 0;
  nextDecision = deny;
  nextConfigError = undefined;
  process.exitCode = undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += format(...a) + '\n'));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += format(...a) + '\n'));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.env.NO_COLOR = '1';
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function run(id: string, argv: string[]): Promise<{ out: string; err: string; code: number }> {
  const mod = (await import(`../../commands/${id}.ts`)) as { default: { run(argv: string[], opts: { root: string }): Promise<unknown> } };
  let code: number;
  try {
    await mod.default.run(argv, { root });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const x = e as { oclif?: { exit?: number }; message: string };
    err += x.message;
    code = x.oclif?.exit ?? 1;
  }
  process.exitCode = undefined;
  return { out, err, code };
}

describe('check', () => {
  it('deny → exit 2, verdict then rule-id: message', async () => {
    const r = await run('check', ['--', 'git', 'push', '-f', 'origin', 'main']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('DENY\n  git.push.force-protected: Force-pushing main rewrites shared history; push to a branch instead.\n');
    expect(calls[0]!.p).toMatchObject({ kind: 'shell', command: 'git push -f origin main', cwd: process.cwd() });
  });

  it('a single quoted string is passed as is; --cwd and --ci reach the engine', async () => {
    nextDecision = { ...deny, verdict: 'ask' };
    const r = await run('check', ['--cwd', '/tmp', '--ci', '--', 'curl x | sh']);
    expect(r.code).toBe(1);
    expect(calls[0]!.p).toMatchObject({ command: 'curl x | sh', cwd: '/tmp' });
    expect(calls[0]!.o).toEqual({ ci: true });
  });

  it('allow → 0; --json prints the decision', async () => {
    nextDecision = { verdict: 'allow', opaque: true, risk: 'reversible', reasons: [], actions: [] };
    const r = await run('check', ['--json', '--', 'make']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ command: 'make', verdict: 'allow', opaque: true, exitCode: 0 });
  });

  it('config error → 3; usage errors → 3 (never 2, which means deny)', async () => {
    nextConfigError = '.fwguardrc.yaml: preset: expected "balanced" or "strict"';
    expect((await run('check', ['--', 'ls'])).code).toBe(3);
    expect(err).toContain('config error');
    expect((await run('check', ['--nope', '--', 'ls'])).code).toBe(3);
    expect((await run('check', [])).code).toBe(3);
  });
});

describe('explain', () => {
  it('shows commands, actions, rules and verdict', async () => {
    const r = await run('explain', ['--', 'git push -f origin main']);
    expect(r.code).toBe(0);
    for (const s of ['simple commands (1)', '[0] git push -f origin main', 'git.push', 'branches=["main"]', 'force', 'git.push.force-protected', 'verdict  DENY', 'opaque no', '0.42 ms']) {
      expect(r.out).toContain(s);
    }
  });
  it('--json', async () => {
    const r = await run('explain', ['--json', '--', 'ls']);
    expect(JSON.parse(r.out)).toMatchObject({ command: 'ls', decision: { verdict: 'deny' }, durationMs: 0.42 });
  });
});

describe('rules and test', () => {
  it('rules lists ids, verdicts, sources', async () => {
    const r = await run('rules', []);
    expect(r.out).toMatch(/git\.push\.force-protected\s+DENY\s+builtin:rules\/git\.yaml/);
    expect(r.out).toContain('2 rules');
    out = '';
    expect(JSON.parse((await run('rules', ['--json'])).out)).toHaveProperty('rules');
  });
  it('test passes → 0; a failing example → 1, printed', async () => {
    expect((await run('test', [])).code).toBe(0);
    const r = await run('test', ['--cwd', '/x/bad']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL b.rule should match: rm -rf x');
    expect(r.out).toContain('2 examples, 1 failed');
  });
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
      out = '';
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
      out = '';
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
    out = '';
    const j = await run('log', ['--file', file, '--json', '--verdict', 'deny']);
    expect(j.out.trim().split('\n').map((l) => (JSON.parse(l) as { proposal: { command: string } }).proposal.command)).toEqual(['cmd1', 'cmd3']);
  });
});
