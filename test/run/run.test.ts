// `fwguard run -- <agent>` end to end with real processes: the real CLI, its in-process broker, the
// shell shims, and a fake agent that runs commands through `$SHELL -c` and `bash -c` on PATH.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, alive, built, fwRun, fwRunAsync, runDirEntries, traceRecords, until, world } from './helpers.js';

describe.skipIf(!built)('fwguard run with the shell shims (a fake agent, real processes)', () => {
  it('runs an allowed command both ways: the effect is on disk and the broker decided it', () => {
    const w = world();
    const r = fwRun(w, [], ['shell:echo one > out1.txt', 'bash:echo two > out2.txt', "shell:echo 'rm -rf ~' > note.txt"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.steps.map((s) => s.status)).toEqual([0, 0, 0]);
    expect(readFileSync(join(w.project, 'out1.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(w.project, 'out2.txt'), 'utf8')).toBe('two\n');
    // A look-alike: the text of a dangerous command, written to a file, is not that command.
    expect(readFileSync(join(w.project, 'note.txt'), 'utf8')).toBe('rm -rf ~\n');
    const shim = traceRecords(w).filter((t) => t.front === 'shim');
    expect(shim.map((t) => (t.proposal as { command: string }).command)).toEqual(['echo one > out1.txt', 'echo two > out2.txt', "echo 'rm -rf ~' > note.txt"]);
    for (const t of shim) expect(t.broker).toMatch(/^[0-9a-f]{12}$/);
    // Nothing of the run is left behind.
    expect(runDirEntries(w)).toEqual([]);
  });

  it('refuses a denied command both ways with the reason on stderr and exit 126; nothing reaches the disk', () => {
    const w = world();
    const before = readFileSync(join(w.home, '.bashrc'), 'utf8');
    const r = fwRun(w, [], ['shell:echo pwned >> ~/.bashrc', 'bash:echo pwned >> ~/.bashrc; touch ran.txt']);
    expect(r.code).toBe(0);
    for (const s of r.steps) {
      expect(s.status).toBe(126);
      expect(s.stderr).toMatch(/^fwguard: denied: \[fwguard fs\.protected-path\]/);
    }
    expect(readFileSync(join(w.home, '.bashrc'), 'utf8')).toBe(before);
    expect(existsSync(join(w.project, 'ran.txt'))).toBe(false);
  });

  it('without a person to answer, a shim refuses an ask (and says so)', () => {
    const w = world();
    const r = fwRun(w, ['--no-approve-here'], ['bash:kill -0 $$ && echo yes > approved.txt']);
    expect(r.steps[0]!.status).toBe(126);
    expect(r.steps[0]!.stderr).toMatch(/sys\.signal.*needs a person's approval and nobody could answer/s);
    expect(existsSync(join(w.project, 'approved.txt'))).toBe(false);
  });

  it('covers -lc, option clusters, --login and -- ; passes a script file through unjudged (documented limit)', () => {
    const w = world();
    writeFileSync(join(w.project, 'script.sh'), 'echo pwned >> ~/.bashrc\n');
    const before = readFileSync(join(w.home, '.bashrc'), 'utf8');
    const agent = `
const { spawnSync } = require('node:child_process');
const runs = [['sh', ['-ec', 'echo ok > sh-ok.txt']], ['bash', ['-lc', 'echo pwned >> ~/.bashrc']], ['bash', ['-e', '-o', 'pipefail', '-c', 'echo pwned >> ~/.bashrc']],
  ['bash', ['--login', '-c', 'echo pwned >> ~/.bashrc']], ['sh', ['-c', '--', 'echo pwned >> ~/.bashrc']], ['bash', ['script.sh']]];
for (const [p, a] of runs) console.log(JSON.stringify({ how: p, cmd: a.join(' '), status: spawnSync(p, a, { encoding: 'utf8' }).status }));`;
    writeFileSync(w.agent.replace(/\.mjs$/, '.cjs'), agent);
    const r = fwRun({ ...w, agent: w.agent.replace(/\.mjs$/, '.cjs') }, [], []);
    expect(r.steps.map((s) => s.status)).toEqual([0, 126, 126, 126, 126, 0]);
    expect(existsSync(join(w.project, 'sh-ok.txt'))).toBe(true);
    // The script file ran through the real bash unjudged: this is the shims' documented limit.
    expect(readFileSync(join(w.home, '.bashrc'), 'utf8')).toBe(before + 'pwned\n');
  });

  it('session memory learns what a shim ran (the run is one session): a download marks it untrusted', () => {
    const w = world();
    const r = fwRun(w, [], ['bash:curl -s http://127.0.0.1:9/x -o page.html; true']);
    expect(r.steps[0]!.status).toBe(0);
    const dir = join(w.state, 'sessions');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const s = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as { id: string; labels: Record<string, { source: string }> };
    expect(s.id).toMatch(/^run-[0-9a-f]{12}$/);
    expect(s.labels.untrusted?.source).toBe('content from http://127.0.0.1:9/x');
  });

  it("exits with the agent's exit code", () => {
    const w = world();
    expect(fwRun(w, [], [], { FAKE_EXIT: '7' }).code).toBe(7);
    expect(fwRun(w, [], [], { FAKE_EXIT: '0' }).code).toBe(0);
    expect(runDirEntries(w)).toEqual([]);
  });

  it('passes SIGTERM to the agent, exits with its status, and leaves no socket or process behind', async () => {
    const w = world();
    const fw = fwRunAsync(w, [], [process.execPath, w.agent], { FAKE_WAIT: '1', FAKE_TRAP: '1' });
    let out = '';
    fw.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ready'), 15_000, 'the agent to start');
    expect(runDirEntries(w)).toHaveLength(1);
    const agentPid = Number(readFileSync(join(w.project, 'agent.pid'), 'utf8'));
    const code = new Promise<number | null>((r) => fw.once('exit', (c) => r(c)));
    fw.kill('SIGTERM');
    expect(await code).toBe(42);
    expect(readFileSync(join(w.project, 'trapped.txt'), 'utf8')).toBe('SIGTERM');
    expect(alive(agentPid)).toBe(false);
    expect(runDirEntries(w)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGHUP', 'SIGTERM'] as const)('an agent killed by %s: fwguard exits 128+N, no socket dir, no orphan', async (sig) => {
    const w = world();
    const fw = fwRunAsync(w, [], [process.execPath, w.agent], { FAKE_WAIT: '1' });
    let out = '';
    fw.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ready'), 15_000, 'the agent to start');
    const agentPid = Number(readFileSync(join(w.project, 'agent.pid'), 'utf8'));
    const code = new Promise<number | null>((r) => fw.once('exit', (c) => r(c)));
    fw.kill(sig);
    const n = { SIGINT: 2, SIGHUP: 1, SIGTERM: 15 }[sig];
    expect(await code).toBe(128 + n);
    await until(() => !alive(agentPid), 5000, 'the agent to be gone');
    expect(runDirEntries(w)).toEqual([]);
  });

  it('removes what a killed (SIGKILL) earlier run left behind', () => {
    const w = world();
    const stale = join(w.runDir, 'cccccccccccc');
    mkdirSync(stale, { mode: 0o700 });
    writeFileSync(join(stale, 'info.json'), JSON.stringify({ id: 'cccccccccccc', pid: 2 ** 22 + 4242, token: 't', socket: join(stale, 's'), agent: 'x', argv: ['x'], cwd: '/', started: '', ci: false }));
    expect(fwRun(w, [], []).code).toBe(0);
    expect(runDirEntries(w)).toEqual([]);
  });

  it('refuses a run dir other users can write, before starting the agent', () => {
    const w = world();
    chmodSync(w.runDir, 0o777);
    const r = fwRun(w, [], ['bash:touch started.txt']);
    expect(r.code).toBe(125);
    expect(r.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(/accessible to other users \(mode 777\)/);
    expect(existsSync(join(w.project, 'started.txt'))).toBe(false);
  });

  it('a missing agent is exit 127 with a clear error', () => {
    const w = world();
    const r = spawnSync(process.execPath, [BIN, 'run', '--', 'no-such-agent-xyz'], { cwd: w.project, env: { PATH: process.env.PATH ?? '', HOME: w.home, FWGUARD_STATE_DIR: w.state, FWGUARD_RUN_DIR: w.runDir }, encoding: 'utf8' });
    expect(r.status).toBe(127);
    expect(r.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(/cannot find the agent "no-such-agent-xyz"/);
  });
});

describe.skipIf(!built)('fwguard run --ci: no prompts, one line per deny, a summary and reports', () => {
  it('resolves ask to deny, prints each deny, writes .json, .md and $GITHUB_STEP_SUMMARY', () => {
    const w = world();
    const summary = join(w.root, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const json = join(w.root, 'report.json');
    const md = join(w.root, 'report.md');
    const steps = ['bash:echo ok > ci-ok.txt', 'shell:kill -0 $$ && echo yes > approved.txt', 'bash:echo pwned >> ~/.bashrc'];
    const r = fwRun(w, ['--ci', '--report', json], steps, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, r.stderr).toBe(0);
    expect(r.steps.map((s) => s.status)).toEqual([0, 126, 126]);
    expect(existsSync(join(w.project, 'approved.txt'))).toBe(false);
    const denyLines = r.stderr.split('\n').filter((l) => l.startsWith('fwguard: deny '));
    expect(denyLines).toHaveLength(2);
    expect(denyLines[0]).toMatch(/^fwguard: deny sys\.signal \(shim\): kill -0 \$\$ && echo yes > approved\.txt — /);
    expect(denyLines[1]).toMatch(/^fwguard: deny fs\.protected-path \(shim\): echo pwned >> ~\/\.bashrc — /);
    expect(r.stderr).toMatch(/fwguard run: 3 decisions — 1 allow, 0 ask, 2 deny \(agent exit 0, fwguard exit 0\)/);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as { ci: boolean; counts: unknown; denied: { what: string; rule: string }[]; exitCode: number };
    expect(rep.ci).toBe(true);
    expect(rep.counts).toEqual({ allow: 1, ask: 0, deny: 2, total: 3 });
    expect(rep.denied.map((d) => [d.what, d.rule])).toEqual([
      ['kill -0 $$ && echo yes > approved.txt', 'sys.signal'],
      ['echo pwned >> ~/.bashrc', 'fs.protected-path'],
    ]);
    const s = readFileSync(summary, 'utf8');
    expect(s.startsWith('# earlier step\n### fwguard run: 2 denied')).toBe(true);
    expect(s).toContain('| deny | 2 |');
    expect(s).toContain('| `echo pwned >> ~/.bashrc` | `fs.protected-path` |');
    // The same run with a Markdown report.
    const r2 = fwRun(w, ['--ci', '--report', md], ['bash:echo pwned >> ~/.bashrc']);
    expect(r2.code).toBe(0);
    const m = readFileSync(md, 'utf8');
    expect(m).toMatch(/^### fwguard run: 1 denied/);
    expect(m).toContain('| allow | 0 |');
    expect(m).toContain('#### Denied');
  });

  it('FWGUARD_CI and CI=true turn CI mode on like --ci', () => {
    const w = world();
    for (const env of [{ FWGUARD_CI: '1' }, { CI: 'true' }, { GITHUB_ACTIONS: 'true' }]) {
      const r = fwRun(w, [], ['bash:kill -0 $$'], env);
      expect(r.steps[0]!.status, JSON.stringify(env)).toBe(126);
      expect(r.stderr).toMatch(/^fwguard: deny sys\.signal/m);
    }
  });

  it('--fail-on-deny: exit 4 when the agent succeeded but something was denied; the agent code otherwise', () => {
    const w = world();
    expect(fwRun(w, ['--ci', '--fail-on-deny'], ['bash:echo pwned >> ~/.bashrc']).code).toBe(4);
    expect(fwRun(w, ['--ci', '--fail-on-deny'], ['bash:echo fine > fine.txt']).code).toBe(0);
    expect(fwRun(w, ['--ci', '--fail-on-deny'], ['bash:echo pwned >> ~/.bashrc'], { FAKE_EXIT: '9' }).code).toBe(9);
    expect(fwRun(w, ['--ci'], ['bash:echo pwned >> ~/.bashrc']).code).toBe(0);
  });

  it('rejects a --report file that is neither .json nor .md before starting the agent', () => {
    const w = world();
    const r = fwRun(w, ['--ci', '--report', join(w.root, 'r.txt')], ['bash:touch started.txt']);
    expect(r.code).toBe(3);
    expect(r.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(/must end in \.json or \.md/);
    expect(existsSync(join(w.project, 'started.txt'))).toBe(false);
  });
});
