// `fwguard init --agent <id>` for every agent, on real files in a temp HOME and a temp git project:
// the registration each agent gets (asserted field by field), idempotence, merging beside foreign
// hooks, --remove taking only fwguard's entries out, and double-registration detection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { applyInit } from '../../src/install/claude-code.js';
import { failClosedShellLine, planAgents, shellLine, type AgentId, type MultiInitOptions } from '../../src/install/agents.js';
import { installedCommand } from '../../src/install/opencode.js';
import { tomlSections, trustKey } from '../../src/install/codex.js';
import { tempProject, write } from './sandbox.js';

const repo = resolve(import.meta.dirname, '../..');
const BIN = join(repo, 'bin', 'run.js');
const NODE = process.execPath;

let tmp: string;
let project: string;
let home: string;

beforeEach(() => {
  ({ tmp, project, home } = tempProject('fwguard-agents-init-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const opts = (agents: MultiInitOptions['agents'], extra: Partial<MultiInitOptions> = {}): MultiInitOptions => ({
  cwd: project,
  home,
  env: { PATH: '/nonexistent', HOME: home },
  agents,
  node: NODE,
  bin: BIN,
  root: repo,
  snapshot: false,
  ...extra,
});
const init = (agents: MultiInitOptions['agents'], extra: Partial<MultiInitOptions> = {}) => {
  const plan = planAgents(opts(agents, extra));
  applyInit(plan);
  return plan;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of JSON written by the code under test
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, any>;

const argv = (agent: AgentId) => [NODE, BIN, 'hook', agent];

describe('the registration each agent gets', () => {
  it('gemini: BeforeTool + AfterTool, every tool, ms timeout, a pre command that blocks when fwguard cannot start', () => {
    const plan = init(['gemini']);
    const file = join(project, '.gemini', 'settings.json');
    expect(plan.agents[0]).toMatchObject({ agent: 'gemini', scope: 'project', file });
    const s = json(file);
    expect(s.hooks.BeforeTool).toEqual([
      { matcher: '*', hooks: [{ type: 'command', name: 'fwguard', command: failClosedShellLine(argv('gemini')), timeout: 10000, description: expect.any(String) }] },
    ]);
    expect(s.hooks.AfterTool[0].hooks[0]).toMatchObject({ type: 'command', name: 'fwguard', command: shellLine(argv('gemini')), timeout: 10000 });
    expect(existsSync(join(project, '.fwguardrc.yaml'))).toBe(true);
  });

  it('codex: user hooks.json by default, no matcher (every tool), seconds, and the trust step spelled out', () => {
    const plan = init(['codex']);
    const file = join(home, '.codex', 'hooks.json');
    expect(plan.agents[0]).toMatchObject({ agent: 'codex', scope: 'user', file });
    expect(plan.agents[0]!.todo.join(' ')).toMatch(/\/hooks/);
    const s = json(file);
    expect(s.hooks.PreToolUse).toEqual([{ hooks: [{ type: 'command', command: failClosedShellLine(argv('codex')), timeout: 10, statusMessage: 'fwguard' }] }]);
    expect(s.hooks.PostToolUse).toEqual([{ hooks: [{ type: 'command', command: shellLine(argv('codex')), timeout: 10, statusMessage: 'fwguard' }] }]);
  });

  it('codex --scope project also says the project itself must be trusted; CODEX_HOME moves the user file', () => {
    const p = planAgents(opts(['codex'], { scope: 'project' }));
    expect(p.agents[0]!.file).toBe(join(project, '.codex', 'hooks.json'));
    expect(p.agents[0]!.todo.join(' ')).toMatch(/trusts this project/);
    const q = planAgents(opts(['codex'], { env: { HOME: home, CODEX_HOME: join(tmp, 'ch') } }));
    expect(q.agents[0]!.file).toBe(join(tmp, 'ch', 'hooks.json'));
  });

  it('copilot: its own file in .github/hooks, version 1, exec form, no matcher', () => {
    init(['copilot']);
    const s = json(join(project, '.github', 'hooks', 'fwguard.json'));
    const entry = { type: 'command', exec: NODE, args: [BIN, 'hook', 'copilot'], timeoutSec: 10 };
    expect(s).toEqual({ version: 1, hooks: { preToolUse: [entry], postToolUse: [entry] } });
    init(['copilot'], { scope: 'user' });
    expect(existsSync(join(home, '.copilot', 'hooks', 'fwguard.json'))).toBe(true);
  });

  it('copilot: an earlier shell-form (bash) fwguard entry is upgraded in place to the exec form', () => {
    const file = join(project, '.github', 'hooks', 'fwguard.json');
    write(file, { version: 1, hooks: { preToolUse: [{ type: 'command', bash: shellLine(argv('copilot')), timeoutSec: 30 }] } });
    init(['copilot']);
    expect(json(file).hooks.preToolUse).toEqual([{ type: 'command', exec: NODE, args: [BIN, 'hook', 'copilot'], timeoutSec: 10 }]);
  });

  it('copilot: the folder-trust step is spelled out until Copilot trusts the project', () => {
    expect(planAgents(opts(['copilot'])).agents[0]!.todo.join(' ')).toMatch(/skips this repository's hooks until the folder is trusted/);
    write(join(home, '.copilot', 'config.json'), { trusted_folders: [project] });
    expect(planAgents(opts(['copilot'])).agents[0]!.todo).toEqual([]);
    expect(planAgents(opts(['copilot'], { scope: 'user' })).agents[0]!.todo).toEqual([]);
  });

  it('cursor: flat entries on every pre event with failClosed, and postToolUse', () => {
    init(['cursor']);
    const s = json(join(project, '.cursor', 'hooks.json'));
    expect(s.version).toBe(1);
    for (const ev of ['preToolUse', 'beforeShellExecution', 'beforeReadFile', 'beforeMCPExecution']) {
      expect(s.hooks[ev]).toEqual([{ command: shellLine(argv('cursor')), timeout: 10, failClosed: true }]);
    }
    expect(s.hooks.postToolUse).toEqual([{ command: shellLine(argv('cursor')), timeout: 10 }]);
  });

  it('opencode: a copy of the plugin with the absolute node and bin written between its markers', () => {
    init(['opencode']);
    const file = join(project, '.opencode', 'plugins', 'fwguard.js');
    const text = readFileSync(file, 'utf8');
    expect(installedCommand(text)).toEqual([NODE, BIN]);
    expect(text).toContain("'tool.execute.before'");
    // User scope honours XDG_CONFIG_HOME.
    const p = planAgents(opts(['opencode'], { scope: 'user', env: { HOME: home, XDG_CONFIG_HOME: join(tmp, 'xdg') } }));
    expect(p.agents[0]!.file).toBe(join(tmp, 'xdg', 'opencode', 'plugins', 'fwguard.js'));
  });

  it('opencode refuses to overwrite a foreign fwguard.js', () => {
    write(join(project, '.opencode', 'plugins', 'fwguard.js'), 'export const Mine = async () => ({})\n');
    expect(() => planAgents(opts(['opencode']))).toThrow(/not fwguard's plugin/);
  });

  it('paths with spaces and quotes are quoted for the shell, and the quoted line runs fwguard', () => {
    const odd = join(tmp, "it's a dir", 'fwguard');
    mkdirSync(join(odd, 'bin'), { recursive: true });
    write(join(odd, 'package.json'), { name: 'fwguard' });
    write(join(odd, 'bin', 'run.js'), 'process.stdout.write(JSON.stringify(process.argv.slice(2)))\n');
    init(['gemini'], { bin: join(odd, 'bin', 'run.js') });
    const line = json(join(project, '.gemini', 'settings.json')).hooks.AfterTool[0].hooks[0].command as string;
    const r = spawnSync('bash', ['-c', line], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual(['hook', 'gemini']);
  });
});

describe('merge, idempotence, remove', () => {
  const foreignNested = { type: 'command', command: '/usr/local/bin/lint-hook', timeout: 5 };
  const cases: { agent: AgentId; file: () => string; seed: () => Record<string, unknown> }[] = [
    { agent: 'gemini', file: () => join(project, '.gemini', 'settings.json'), seed: () => ({ ui: { theme: 'dark' }, hooks: { BeforeTool: [{ matcher: 'write_file', hooks: [foreignNested] }] } }) },
    { agent: 'codex', file: () => join(home, '.codex', 'hooks.json'), seed: () => ({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [foreignNested] }], Stop: [{ hooks: [foreignNested] }] } }) },
    { agent: 'copilot', file: () => join(project, '.github', 'hooks', 'fwguard.json'), seed: () => ({ version: 1, hooks: { preToolUse: [{ type: 'command', bash: './audit.sh' }], sessionStart: [{ type: 'command', bash: 'echo hi' }] } }) },
    { agent: 'cursor', file: () => join(project, '.cursor', 'hooks.json'), seed: () => ({ version: 1, hooks: { beforeShellExecution: [{ command: './check.sh' }], stop: [{ command: './stop.sh' }] } }) },
  ];

  it.each(cases)('$agent: foreign hooks kept, second run unchanged, --remove restores the file exactly', ({ agent, file, seed }) => {
    write(file(), seed());
    const before = readFileSync(file(), 'utf8');
    const first = init([agent]);
    expect(first.agents[0]!.changes[0]!.action).toBe('update');
    const after = readFileSync(file(), 'utf8');
    // Every foreign entry is still there.
    for (const needle of ['lint-hook', './audit.sh', 'echo hi', './check.sh', './stop.sh', '"theme": "dark"']) {
      if (before.includes(needle)) expect(after).toContain(needle);
    }
    const second = planAgents(opts([agent]));
    expect(second.agents[0]!.changes.map((c) => c.action)).toEqual(['unchanged']);
    init([agent], { remove: true });
    expect(json(file())).toEqual(JSON.parse(before));
  });

  it('a stale fwguard entry (old node path) is replaced in place, a duplicate removed', () => {
    const file = join(project, '.cursor', 'hooks.json');
    const old = { command: `/old/node ${BIN} hook cursor`, timeout: 60 };
    write(file, { version: 1, hooks: { preToolUse: [old, { command: './mine.sh' }, old] } });
    const p = init(['cursor']);
    const pre = json(file).hooks.preToolUse;
    expect(pre).toEqual([{ command: shellLine(argv('cursor')), timeout: 10, failClosed: true }, { command: './mine.sh' }]);
    expect(p.agents[0]!.changes[0]!.notes.join(' ')).toMatch(/updated.*duplicate/);
  });

  it('gemini: an explicit hooksConfig.enabled false in the file written is turned back on', () => {
    const file = join(project, '.gemini', 'settings.json');
    write(file, { hooksConfig: { enabled: false } });
    init(['gemini']);
    expect(json(file).hooksConfig.enabled).toBe(true);
  });

  it('gemini: project scope warns while Gemini does not trust the folder, and not once it does', () => {
    expect(planAgents(opts(['gemini'])).agents[0]!.warnings.join(' ')).toMatch(/not yet trusted by Gemini/);
    write(join(home, '.gemini', 'trustedFolders.json'), { [project]: 'TRUST_FOLDER' });
    expect(planAgents(opts(['gemini'])).agents[0]!.warnings.join(' ')).not.toMatch(/trusted/);
  });

  it('gemini: hooksConfig.enabled false in the user file is warned about', () => {
    write(join(home, '.gemini', 'settings.json'), { hooksConfig: { enabled: false } });
    const p = planAgents(opts(['gemini']));
    expect(p.agents[0]!.warnings.join('\n')).toMatch(/hooksConfig\.enabled: false/);
  });

  it('opencode --remove deletes only fwguard\'s plugin file', () => {
    init(['opencode']);
    write(join(project, '.opencode', 'plugins', 'other.js'), 'export const X = async () => ({})\n');
    const p = init(['opencode'], { remove: true });
    expect(p.agents[0]!.changes.map((c) => c.action)).toEqual(['delete']);
    expect(existsSync(join(project, '.opencode', 'plugins', 'fwguard.js'))).toBe(false);
    expect(existsSync(join(project, '.opencode', 'plugins', 'other.js'))).toBe(true);
  });

  it('a hooks file that is not an object is an error naming the file, and nothing is written', () => {
    write(join(project, '.cursor', 'hooks.json'), { version: 1, hooks: [] });
    expect(() => planAgents(opts(['cursor']))).toThrow(/\.cursor\/hooks\.json/);
  });
});

describe('double registration', () => {
  it('copilot is not registered in a project whose .claude/settings.json already has fwguard (Copilot runs that hook)', () => {
    init(['claude-code']);
    const p = init(['copilot']);
    expect(p.agents[0]!.skipped).toMatch(/Claude Code hook/);
    expect(existsSync(join(project, '.github', 'hooks', 'fwguard.json'))).toBe(false);
  });

  it('an earlier Copilot registration is taken out when the Claude Code hook now covers Copilot', () => {
    init(['copilot']);
    init(['claude-code']);
    const p = init(['copilot']);
    expect(p.agents[0]!.skipped).toBeDefined();
    expect(json(join(project, '.github', 'hooks', 'fwguard.json')).hooks).toBeUndefined();
  });

  it('installing the Claude Code hook where fwguard\'s Copilot hook already is warns how to drop the second one', () => {
    init(['copilot']);
    const p = init(['claude-code']);
    expect(p.agents[0]!.warnings.join(' ')).toMatch(/fwguard init --agent copilot/);
    write(join(project, '.github', 'hooks', 'fwguard.json'), { version: 1, hooks: { preToolUse: [{ type: 'command', bash: './copilot-audit.sh' }] } });
    expect(planAgents(opts(['claude-code'])).agents[0]!.warnings.join(' ')).not.toMatch(/fwguard init --agent copilot/);
  });

  it('look-alike: a foreign Claude hook does not stop the Copilot registration', () => {
    write(join(project, '.claude', 'settings.json'), { hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: '/usr/bin/other-guard' }] }] } });
    const p = init(['copilot']);
    expect(p.agents[0]!.skipped).toBeUndefined();
    expect(json(join(project, '.github', 'hooks', 'fwguard.json')).hooks.preToolUse).toHaveLength(1);
  });

  it('copilot at user scope is still written, with a warning about this project', () => {
    init(['claude-code']);
    const p = init(['copilot'], { scope: 'user' });
    expect(p.agents[0]!.skipped).toBeUndefined();
    expect(p.agents[0]!.warnings.join(' ')).toMatch(/judged twice/);
  });

  it('cursor is registered (only its own entry fails closed) with a warning about Claude hook loading', () => {
    init(['claude-code']);
    const p = init(['cursor']);
    expect(p.agents[0]!.warnings.join(' ')).toMatch(/third-party hooks/);
    expect(existsSync(join(project, '.cursor', 'hooks.json'))).toBe(true);
  });
});

describe('--agent all', () => {
  it('installs where a config folder exists and says which agents it skipped and why', () => {
    mkdirSync(join(home, '.gemini'), { recursive: true });
    mkdirSync(join(project, '.cursor'), { recursive: true });
    const p = init('all');
    expect(p.agents.map((a) => a.agent)).toEqual(['gemini', 'cursor']);
    expect(p.notDetected.map((n) => n.agent)).toEqual(['claude-code', 'copilot', 'codex', 'opencode']);
    expect(p.notDetected[0]!.why).toMatch(/no config folder/);
  });

  it('detects an agent by its program on PATH', () => {
    const binDir = join(tmp, 'pathbin');
    mkdirSync(binDir);
    write(join(binDir, 'codex'), '#!/bin/sh\nexit 0\n');
    spawnSync('chmod', ['+x', join(binDir, 'codex')]);
    const p = planAgents(opts('all', { env: { HOME: home, PATH: binDir } }));
    expect(p.agents.map((a) => a.agent)).toEqual(['codex']);
  });

  it('all --remove takes fwguard out of every agent and leaves the config', () => {
    init(['gemini', 'codex', 'cursor', 'opencode']);
    init('all', { remove: true });
    expect(json(join(project, '.gemini', 'settings.json'))).toEqual({});
    expect(json(join(home, '.codex', 'hooks.json'))).toEqual({});
    expect(json(join(project, '.cursor', 'hooks.json'))).toEqual({ version: 1 });
    expect(existsSync(join(project, '.opencode', 'plugins', 'fwguard.js'))).toBe(false);
    expect(existsSync(join(project, '.fwguardrc.yaml'))).toBe(true);
  });
});

describe('codex config.toml reading', () => {
  it('finds trust entries by the key Codex writes', () => {
    const file = '/h/.codex/hooks.json';
    const key = trustKey(file, 'PreToolUse', 0, 0);
    expect(key).toBe('/h/.codex/hooks.json:pre_tool_use:0:0');
    const s = tomlSections(`model = "x"\n[features]\nhooks = false # off\n[hooks.state."${key}"]\ntrusted_hash = "sha256:ab"\n`);
    expect(s.find((x) => x.header === 'features')!.values.get('hooks')).toBe('false');
    expect(s.find((x) => x.header === `hooks.state."${key}"`)!.values.get('trusted_hash')).toBe('"sha256:ab"');
  });
});
