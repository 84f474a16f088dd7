// `fwguard doctor` for every agent, against real installs in a temp HOME and git project: the
// registered commands are run for real (`fwguard hook <id>` through bin/run.js and dist/hook.js)
// with `rm -rf ~` in each agent's own payload shape; broken installs, switched-off settings and
// hooks that do not deny are each caught, and the healthy look-alikes pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { applyInit } from '../../src/install/claude-code.js';
import { planAgents, shellLine, type AgentId, type MultiInitOptions } from '../../src/install/agents.js';
import { defaultVersionOf, runDoctorAgents, type MultiDoctorOptions } from '../../src/install/doctor.js';
import { trustKey } from '../../src/install/codex.js';
import { tempProject, write } from './sandbox.js';

const repo = resolve(import.meta.dirname, '../..');
const BIN = join(repo, 'bin', 'run.js');
const NODE = process.execPath;
const GONE = '/nonexistent/fwguard/bin/run.js';
const hookBundle = join(repo, 'dist', 'hook.js');
const built = existsSync(hookBundle) && statSync(hookBundle).size > 1024 && readFileSync(hookBundle, 'utf8').includes('tool.execute.before');

let tmp: string;
let project: string;
let home: string;

beforeEach(() => {
  ({ tmp, project, home } = tempProject('fwguard-agents-doctor-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const env = () => ({ PATH: process.env.PATH ?? '', HOME: home });
const init = (agents: AgentId[], extra: Partial<MultiInitOptions> = {}) =>
  applyInit(planAgents({ cwd: project, home, env: env(), agents, node: NODE, bin: BIN, root: repo, snapshot: false, ...extra }));
const doctor = (agents?: AgentId[], extra: Partial<MultiDoctorOptions> = {}) =>
  runDoctorAgents({ cwd: project, home, env: env(), claudeVersion: () => null, versionOf: () => null, ...(agents ? { agents } : {}), ...extra });
const ids = (r: ReturnType<typeof doctor>, agent: AgentId) => r.agents.find((a) => a.agent === agent)!.findings.map((f) => `${f.severity}:${f.id}`);
const finding = (r: ReturnType<typeof doctor>, agent: AgentId, id: string) => r.agents.find((a) => a.agent === agent)!.findings.find((f) => f.id === id);
const replaceIn = (p: string, from: string, to: string) => writeFileSync(p, readFileSync(p, 'utf8').split(from).join(to));
/** Trust fwguard's Codex entries the way Codex's /hooks menu records it. */
const trustCodex = (file: string) =>
  write(join(home, '.codex', 'config.toml'), ['PreToolUse', 'PostToolUse'].map((e) => `[hooks.state."${trustKey(file, e, 0, 0)}"]\ntrusted_hash = "sha256:00"\n`).join('\n'));

/** Trust the project the way Copilot CLI records it ($COPILOT_HOME/config.json trusted_folders). */
const trustCopilot = (dirs: string[] = [project]) => write(join(home, '.copilot', 'config.json'), { trusted_folders: dirs });

describe.skipIf(!built)('healthy installs: the real hook denies rm -rf ~ in each agent\'s payload shape', () => {
  it.each(['gemini', 'copilot', 'cursor', 'opencode'] as const)('%s holds', (agent) => {
    init([agent]);
    trustCopilot();
    const r = doctor([agent]);
    const a = r.agents[0]!;
    expect(a.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(ids(r, agent)).toContain('ok:probe.deny');
    expect(a.failsOpen).toBe(false);
    expect(r.failsOpen).toBe(false);
  });

  it('cursor: both payload shapes it sends (preToolUse and beforeShellExecution) are probed', () => {
    init(['cursor']);
    const msgs = doctor(['cursor']).agents[0]!.findings.filter((f) => f.id === 'probe.deny').map((f) => f.message);
    expect(msgs.some((m) => m.includes('preToolUse'))).toBe(true);
    expect(msgs.some((m) => m.includes('beforeShellExecution'))).toBe(true);
  });

  it('codex holds once its hooks are trusted, and not before (Codex skips an untrusted hook silently)', () => {
    init(['codex']);
    const file = join(home, '.codex', 'hooks.json');
    const before = doctor(['codex']);
    expect(ids(before, 'codex')).toContain('error:codex.hook-untrusted');
    expect(ids(before, 'codex')).toContain('ok:probe.deny');
    expect(before.failsOpen).toBe(true);
    trustCodex(file);
    const after = doctor(['codex']);
    expect(ids(after, 'codex')).not.toContain('error:codex.hook-untrusted');
    expect(after.failsOpen).toBe(false);
  });

  it('copilot through the Claude Code hook: the Claude hook is probed with Copilot\'s Claude-style payload', () => {
    init(['claude-code']);
    init(['copilot']); // skipped: the Claude hook covers Copilot
    trustCopilot();
    const r = doctor(['copilot']);
    const ok = finding(r, 'copilot', 'probe.deny');
    expect(ok?.message).toMatch(/Claude Code hook, which Copilot CLI runs/);
    expect(r.failsOpen).toBe(false);
  });

  it('copilot: a folder Copilot has not trusted skips the repository hooks (measured in 1.0.102) → fails open; trusting it or a parent fixes it', () => {
    init(['copilot']);
    expect(ids(doctor(['copilot']), 'copilot')).toContain('error:copilot.folder-untrusted');
    trustCopilot([project + '-other']); // look-alike: a sibling whose name starts the same
    expect(ids(doctor(['copilot']), 'copilot')).toContain('error:copilot.folder-untrusted');
    trustCopilot([tmp]);
    expect(doctor(['copilot']).failsOpen).toBe(false);
    // The file as Copilot CLI 1.0.102 rewrites it: comment lines, camelCase key.
    write(join(home, '.copilot', 'config.json'), `// User settings belong in settings.json.\n// This file is managed automatically.\n${JSON.stringify({ trustedFolders: [project], firstLaunchAt: '2026-03-11T00:00:00.000Z' }, null, 2)}\n`);
    expect(doctor(['copilot']).failsOpen).toBe(false);
    // A user-scope registration is not a repository hook.
    rmSync(join(project, '.github'), { recursive: true });
    rmSync(join(home, '.copilot', 'config.json'));
    init(['copilot'], { scope: 'user' });
    expect(ids(doctor(['copilot']), 'copilot')).not.toContain('error:copilot.folder-untrusted');
  });

  it('copilot registered twice in one project is flagged', () => {
    init(['copilot']);
    init(['claude-code']);
    expect(ids(doctor(['copilot']), 'copilot')).toContain('warn:copilot.double');
  });

  it('without --agent, doctor reports the agents that are installed, and only those', () => {
    init(['gemini', 'cursor']);
    expect(doctor().agents.map((a) => a.agent)).toEqual(['gemini', 'cursor']);
  });

  it('a Claude-only install is not reported as Copilot (which would run that hook) unless Copilot is here', () => {
    init(['claude-code']);
    expect(doctor().agents.map((a) => a.agent)).toEqual(['claude-code']);
    mkdirSync(join(home, '.copilot'), { recursive: true });
    expect(doctor().agents.map((a) => a.agent)).toEqual(['claude-code', 'copilot']);
  });
});

describe('not installed', () => {
  it.each(['gemini', 'copilot', 'codex', 'cursor', 'opencode'] as const)('%s named but not installed → fails open with the init command as fix', (agent) => {
    const r = doctor([agent]);
    const f = finding(r, agent, 'hook.missing')!;
    expect(f.severity).toBe('error');
    expect(f.fix).toContain(`fwguard init --agent ${agent}`);
    expect(r.failsOpen).toBe(true);
  });

  it('nothing installed anywhere → the Claude Code report says so', () => {
    const r = doctor();
    expect(r.agents.map((a) => a.agent)).toEqual(['claude-code']);
    expect(ids(r, 'claude-code')).toContain('error:hook.missing');
  });
});

describe('hook command missing on disk', () => {
  it('gemini/codex: fwguard gone → flagged; the installed line really blocks (exit 2 with text), unlike a bare line (exit 1: Gemini and Codex allow)', () => {
    init(['gemini', 'codex']);
    const gfile = join(project, '.gemini', 'settings.json');
    replaceIn(gfile, BIN, GONE);
    const r = doctor(['gemini']);
    const f = finding(r, 'gemini', 'hook.script-missing')!;
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/blocks every call/);
    // What Gemini (bash -c) and Codex would see from the installed line:
    const line = (JSON.parse(readFileSync(gfile, 'utf8')) as { hooks: { BeforeTool: { hooks: { command: string }[] }[] } }).hooks.BeforeTool[0]!.hooks[0]!.command;
    const installed = spawnSync('bash', ['-c', line], { input: '{}', encoding: 'utf8' });
    expect(installed.status).toBe(2);
    expect(installed.stderr).toMatch(/fwguard: the hook could not run/);
    const bare = spawnSync('bash', ['-c', shellLine([NODE, GONE, 'hook', 'gemini'])], { input: '{}', encoding: 'utf8' });
    expect(bare.status).toBe(1);
  });

  it('a checkout that moved away (bin/run.js gone, folder not named fwguard) is still found and flagged, for each agent', () => {
    init(['gemini', 'codex', 'cursor', 'copilot']);
    const files = [join(project, '.gemini', 'settings.json'), join(home, '.codex', 'hooks.json'), join(project, '.cursor', 'hooks.json'), join(project, '.github', 'hooks', 'fwguard.json')];
    for (const f of files) replaceIn(f, BIN, '/opt/old-checkout/bin/run.js');
    const r = doctor(['gemini', 'codex', 'cursor', 'copilot']);
    for (const a of r.agents) {
      expect(a.findings.map((f) => f.id), a.agent).toContain('hook.script-missing');
      expect(a.findings.map((f) => f.id), a.agent).not.toContain('hook.missing');
    }
  });

  it('claude-code in the snapshot form: a vanished hook.blob is named as the missing file', () => {
    write(join(project, '.claude', 'settings.json'), {
      hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: NODE, args: ['--snapshot-blob', '/opt/gone/fwguard/dist/hook.blob', 'hook', 'claude-code'], timeout: 10, onFailure: 'block' }] }] },
    });
    const f = finding(doctor(['claude-code']), 'claude-code', 'hook.script-missing')!;
    expect(f.message).toContain('/opt/gone/fwguard/dist/hook.blob');
  });

  it('gemini: a hand-written entry without the fallback is reported as FAILING OPEN', () => {
    write(join(project, '.gemini', 'settings.json'), { hooks: { BeforeTool: [{ matcher: '*', hooks: [{ type: 'command', command: shellLine([NODE, GONE, 'hook', 'gemini']) }] }] } });
    const f = finding(doctor(['gemini']), 'gemini', 'hook.script-missing')!;
    expect(f.message).toMatch(/FAILS OPEN/);
  });

  it('cursor: an entry without failClosed is an error of its own, and a missing fwguard behind it fails open', () => {
    write(join(project, '.cursor', 'hooks.json'), { version: 1, hooks: { preToolUse: [{ command: shellLine([NODE, GONE, 'hook', 'cursor']) }] } });
    const r = doctor(['cursor']);
    expect(ids(r, 'cursor')).toEqual(expect.arrayContaining(['error:cursor.failClosed', 'error:hook.script-missing']));
    expect(finding(r, 'cursor', 'hook.script-missing')!.message).toMatch(/FAILS OPEN/);
  });

  it('copilot: the node binary gone → command-missing (Copilot blocks every call)', () => {
    init(['copilot'], { node: '/nonexistent/node' });
    const f = finding(doctor(['copilot']), 'copilot', 'hook.command-missing')!;
    expect(f.message).toMatch(/blocks every call/);
  });

  it('opencode: the plugin names a fwguard that is gone → it blocks every call (reported as an error)', () => {
    init(['opencode'], { bin: GONE });
    const r = doctor(['opencode']);
    expect(ids(r, 'opencode')).toContain('error:hook.script-missing');
  });
});

describe.skipIf(!built)('hooks that are switched off', () => {
  it('gemini: hooksConfig.enabled false in another settings file', () => {
    init(['gemini']);
    write(join(home, '.gemini', 'settings.json'), { hooksConfig: { enabled: false } });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('error:gemini.hooks-disabled');
  });

  it('gemini: hooksConfig.disabled naming fwguard; look-alike: naming another hook', () => {
    init(['gemini']);
    write(join(home, '.gemini', 'settings.json'), { hooksConfig: { disabled: ['fwguard'] } });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('error:gemini.hook-disabled-by-name');
    write(join(home, '.gemini', 'settings.json'), { hooksConfig: { disabled: ['lint-hook'] } });
    expect(doctor(['gemini']).failsOpen).toBe(false);
  });

  it('gemini: the system settings file named by GEMINI_CLI_SYSTEM_SETTINGS_PATH is read too', () => {
    init(['gemini']);
    const sys = join(tmp, 'system.json');
    write(sys, { hooksConfig: { enabled: false } });
    const r = doctor(['gemini'], { env: { ...env(), GEMINI_CLI_SYSTEM_SETTINGS_PATH: sys } });
    expect(finding(r, 'gemini', 'gemini.hooks-disabled')!.file).toBe(sys);
  });

  it('gemini: folder trust (on by default, as in 0.61.0): not yet trusted → warn; DO_NOT_TRUST → fails open; TRUST_PARENT / TRUST_FOLDER / trust off → fine', () => {
    init(['gemini']);
    const trusted = join(home, '.gemini', 'trustedFolders.json');
    expect(ids(doctor(['gemini']), 'gemini')).toContain('warn:gemini.folder-trust-unknown');
    write(trusted, { [project]: 'DO_NOT_TRUST' });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('error:gemini.folder-untrusted');
    // The longest matching rule wins: a trusted parent does not override the project's DO_NOT_TRUST.
    write(trusted, { [tmp]: 'TRUST_FOLDER', [project]: 'DO_NOT_TRUST' });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('error:gemini.folder-untrusted');
    write(trusted, { [join(project, 'sub')]: 'TRUST_PARENT' });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('ok:gemini.folder-trust');
    write(trusted, { [tmp]: 'TRUST_FOLDER' });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('ok:gemini.folder-trust');
    // Look-alike: a sibling folder whose name starts like the project's is not a parent.
    write(trusted, { [project + '-other']: 'TRUST_FOLDER' });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('warn:gemini.folder-trust-unknown');
    expect(ids(doctor(['gemini'], { env: { ...env(), GEMINI_CLI_TRUST_WORKSPACE: 'false' } }), 'gemini')).toContain('error:gemini.folder-untrusted');
    write(join(home, '.gemini', 'settings.json'), { security: { folderTrust: { enabled: false } } });
    expect(ids(doctor(['gemini']), 'gemini')).toContain('info:gemini.folder-trust');
  });

  it('copilot: disableAllHooks in .github/copilot/settings.json', () => {
    init(['copilot']);
    write(join(project, '.github', 'copilot', 'settings.json'), { disableAllHooks: true });
    expect(ids(doctor(['copilot']), 'copilot')).toContain('error:copilot.hooks-disabled');
  });

  it('codex: [features] hooks = false; a trusted entry switched off; a project file in an untrusted project', () => {
    init(['codex']);
    const file = join(home, '.codex', 'hooks.json');
    trustCodex(file);
    const cfg = join(home, '.codex', 'config.toml');
    writeFileSync(cfg, readFileSync(cfg, 'utf8') + '\n[features]\nhooks = false\n');
    expect(ids(doctor(['codex']), 'codex')).toContain('error:codex.hooks-disabled');
    writeFileSync(cfg, `[hooks.state."${trustKey(file, 'PreToolUse', 0, 0)}"]\ntrusted_hash = "sha256:00"\nenabled = false\n`);
    expect(ids(doctor(['codex']), 'codex')).toContain('error:codex.hook-disabled');
    rmSync(file);
    init(['codex'], { scope: 'project' });
    expect(ids(doctor(['codex']), 'codex')).toContain('error:codex.project-untrusted');
  });

  it('opencode: OPENCODE_PURE in the environment', () => {
    init(['opencode']);
    expect(ids(doctor(['opencode'], { env: { ...env(), OPENCODE_PURE: '1' } }), 'opencode')).toContain('error:opencode.pure');
  });

  it('opencode: a plugin copy that does not load (OpenCode would skip it and fail open)', () => {
    init(['opencode']);
    const file = join(project, '.opencode', 'plugins', 'fwguard.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace("'tool.execute.before': async", "'tool.execute.before': async async"));
    const f = finding(doctor(['opencode']), 'opencode', 'probe.not-denied')!;
    expect(f.message).toMatch(/does not load/);
  });
});

describe('a hook that does not deny', () => {
  // A stand-in fwguard package whose hook answers "no opinion" to everything.
  const fakeFwguard = (body: string) => {
    const root = join(tmp, 'fake', 'fwguard');
    write(join(root, 'package.json'), { name: 'fwguard' });
    write(join(root, 'bin', 'run.js'), body);
    return join(root, 'bin', 'run.js');
  };

  it.each(['gemini', 'codex', 'cursor', 'copilot'] as const)('%s: a hook that allows rm -rf ~ is an error', (agent) => {
    init([agent], { bin: fakeFwguard('process.stdin.resume(); process.stdin.on("end", () => process.exit(0));\n') });
    const f = finding(doctor([agent]), agent, 'probe.not-denied')!;
    expect(f.severity).toBe('error');
  });

  it('codex: an "ask" answer is not a deny (Codex ignores ask and runs the call)', () => {
    init(['codex'], {
      bin: fakeFwguard(
        'process.stdin.resume(); process.stdin.on("end", () => { process.stdout.write(JSON.stringify({hookSpecificOutput:{hookEventName:"PreToolUse",permissionDecision:"ask"}})); });\n',
      ),
    });
    expect(finding(doctor(['codex']), 'codex', 'probe.not-denied')!.message).toMatch(/ask/);
  });

  it('gemini: a Claude-style deny is not a deny for Gemini (it only reads the top-level decision)', () => {
    init(['gemini'], {
      bin: fakeFwguard(
        'process.stdin.resume(); process.stdin.on("end", () => { process.stdout.write(JSON.stringify({hookSpecificOutput:{hookEventName:"PreToolUse",permissionDecision:"deny"}})); });\n',
      ),
    });
    expect(finding(doctor(['gemini']), 'gemini', 'probe.not-denied')).toBeDefined();
  });

  it('look-alike: a stand-in that answers Gemini\'s own deny passes', () => {
    const denyRm = 'let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => { if (JSON.parse(s).tool_input.command.startsWith("rm")) { process.stdout.write(JSON.stringify({ decision: "deny", reason: "no" })); process.exit(2); } });\n';
    init(['gemini'], { bin: fakeFwguard(denyRm) });
    const r = doctor(['gemini']);
    expect(ids(r, 'gemini')).toContain('ok:probe.deny');
    expect(r.failsOpen).toBe(false);
  });
});

describe('agent versions', () => {
  it('only ever runs `<agent> --version`, and reads the answer', () => {
    const binDir = join(tmp, 'pathbin');
    mkdirSync(binDir);
    const log = join(tmp, 'args.log');
    write(join(binDir, 'opencode'), `#!/bin/sh\necho "$@" >> ${log}\necho 1.18.33\n`);
    chmodSync(join(binDir, 'opencode'), 0o755);
    expect(defaultVersionOf('opencode', { PATH: binDir })).toBe('1.18.33');
    expect(readFileSync(log, 'utf8')).toBe('--version\n');
    expect(defaultVersionOf('gemini', { PATH: binDir })).toBeNull();
  });

  it('OpenCode 2.x does not load V1 plugins → error; 1.x → info', () => {
    init(['opencode']);
    expect(ids(doctor(['opencode'], { versionOf: () => '2.0.1' }), 'opencode')).toContain('error:opencode.v2');
    expect(ids(doctor(['opencode'], { versionOf: () => '1.18.33' }), 'opencode')).toContain('info:opencode.version');
  });

  it('Codex older than 0.124.0 needs the hooks feature flag', () => {
    init(['codex']);
    expect(ids(doctor(['codex'], { versionOf: () => 'codex-cli 0.100.0' }), 'codex')).toContain('warn:codex.too-old');
    expect(ids(doctor(['codex'], { versionOf: () => 'codex-cli 0.169.0' }), 'codex')).not.toContain('warn:codex.too-old');
  });
});
