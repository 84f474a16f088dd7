// `fwguard init --agent …` and `fwguard doctor --agent …` as commands (oclif, in-process), on a
// temp HOME and git project: dry runs write nothing, --json is data, exit codes say fail-open.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Init from '../../commands/init.js';
import Doctor from '../../commands/doctor.js';
import { captureOutput, runCommand } from '../helpers/cli.js';
import { tempProject } from './sandbox.js';

const io = captureOutput();
let tmp: string;
let project: string;
let savedHome: string | undefined;

beforeEach(() => {
  let home: string;
  ({ tmp, project, home } = tempProject('fwguard-agents-cli-'));
  savedHome = process.env.HOME;
  process.env.HOME = home;
});
afterEach(() => {
  process.env.HOME = savedHome;
  rmSync(tmp, { recursive: true, force: true });
});

const init = (...argv: string[]) => runCommand(io, Init, ['--cwd', project, '--no-snapshot', ...argv]);
const doctor = (...argv: string[]) => runCommand(io, Doctor, ['--cwd', project, ...argv]);

describe('fwguard init --agent', () => {
  it('--dry-run prints a unified diff per file and writes nothing', async () => {
    const r = await init('--agent', 'gemini', '--agent', 'cursor', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`+++ b${join(project, '.gemini', 'settings.json')}`);
    expect(r.out).toContain('"failClosed": true');
    expect(r.out).toContain('would create');
    expect(existsSync(join(project, '.gemini'))).toBe(false);
    expect(existsSync(join(project, '.cursor'))).toBe(false);
    expect(existsSync(join(project, '.fwguardrc.yaml'))).toBe(false);
  });

  it('writes, then says unchanged; --remove --dry-run shows the removal and keeps the file', async () => {
    const first = await init('--agent', 'codex');
    expect(first.out).toMatch(/to do: Codex skips a new or changed hook, silently, until you trust it/);
    const file = join(tmp, 'home', '.codex', 'hooks.json');
    const written = readFileSync(file, 'utf8');
    const again = await init('--agent', 'codex');
    expect(again.out).toMatch(/unchanged\s+.*hooks\.json/);
    expect(again.out).not.toMatch(/to do:/);
    const dry = await init('--agent', 'codex', '--remove', '--dry-run');
    expect(dry.out).toMatch(/^-.*hook codex/m);
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('--json is the plan as data, with skipped agents and to-do steps', async () => {
    mkdirSync(join(project, '.opencode'), { recursive: true });
    const r = await init('--agent', 'all', '--json');
    const j = JSON.parse(r.out) as { agents: { agent: string; file: string; changes: { action: string }[] }[]; notDetected: { agent: string; why: string }[] };
    expect(j.agents.map((a) => a.agent)).toEqual(['opencode']);
    expect(j.agents[0]!.changes[0]!.action).toBe('create');
    expect(j.notDetected.map((n) => n.agent)).toContain('gemini');
  });

  it('--agent all with nothing detected says so and writes nothing', async () => {
    const r = await init('--agent', 'all');
    expect(r.out).toMatch(/No agent found here/);
    expect(r.out).toMatch(/skipped gemini: no config folder/);
    expect(existsSync(join(project, '.fwguardrc.yaml'))).toBe(false);
  });

  it('an unknown agent is a usage error (exit 3)', async () => {
    expect((await init('--agent', 'vim')).code).toBe(3);
  });

  it('--help lists every agent and shows examples', async () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/run.js'), 'init', '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    for (const a of ['claude-code', 'gemini', 'copilot', 'codex', 'cursor', 'opencode', 'all']) expect(r.stdout).toContain(a);
    expect(r.stdout).toContain('EXAMPLES');
  });
});

describe('fwguard doctor --agent', () => {
  it('not installed → exit 1, --json names the finding and the agent', async () => {
    const r = await doctor('--agent', 'gemini', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { failsOpen: boolean; findings: { agent: string; id: string; fix?: string }[] };
    expect(j.failsOpen).toBe(true);
    expect(j.findings).toContainEqual(expect.objectContaining({ agent: 'gemini', id: 'hook.missing', fix: 'run `fwguard init --agent gemini`' }));
  });

  it('a healthy install → exit 0 and a readable report', async () => {
    await init('--agent', 'cursor');
    const r = await doctor('--agent', 'cursor');
    expect(r.out).toMatch(/Cursor \(cursor\).*holds/);
    expect(r.out).toMatch(/ok {3}fwguard's preToolUse hook/);
    expect(r.code).toBe(0);
  });
});
