import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyInit, fwguardHandler, planInit, type CommandHandler } from '../../src/install/claude-code.js';
import { interpretHookResult, probeInput, runDoctor, type HandlerRunner, type ProbeResult } from '../../src/install/doctor.js';

const repo = resolve(import.meta.dirname, '../..');
const hookBundle = join(repo, 'dist', 'hook.js');
/** The real bundle, not the `export {}` placeholder the skeleton ships before the engine lands. */
const haveRealHook = existsSync(hookBundle) && statSync(hookBundle).size > 1024;

const denyJson = JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'fs.delete.home: no' } });
const result = (p: Partial<ProbeResult>): ProbeResult => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, ...p });

describe('interpretHookResult', () => {
  it('reads Claude Code semantics', () => {
    expect(interpretHookResult(result({ exitCode: 2, stderr: 'blocked' })).decision).toBe('deny');
    expect(interpretHookResult(result({ stdout: denyJson })).decision).toBe('deny');
    expect(interpretHookResult(result({ stdout: '{"decision":"block","reason":"r"}' })).decision).toBe('deny');
    expect(interpretHookResult(result({ stdout: denyJson.replace('deny', 'ask') })).decision).toBe('ask');
    expect(interpretHookResult(result({ stdout: '' })).decision).toBe('none');
    expect(interpretHookResult(result({ exitCode: 1, stderr: 'boom' })).decision).toBe('error');
    expect(interpretHookResult(result({ exitCode: 1, stdout: denyJson })).decision).toBe('deny');
    expect(interpretHookResult(result({ exitCode: null, timedOut: true })).decision).toBe('error');
  });
  it('probe input is a PreToolUse Bash call', () => {
    expect(JSON.parse(probeInput('/p'))).toMatchObject({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf ~' }, cwd: '/p' });
  });
});

describe('runDoctor', () => {
  let tmp: string;
  let project: string;
  let home: string;
  let bin: string;
  const claude = (v: string | null) => () => v;
  const env = () => ({ PATH: process.env.PATH ?? '', HOME: home });
  const fakeRunner =
    (answer: (cmd: string) => ProbeResult): HandlerRunner =>
    (_h: CommandHandler, input: string) =>
      answer((JSON.parse(input) as { tool_input: { command: string } }).tool_input.command);
  const denying = fakeRunner((cmd) => (cmd === 'rm -rf ~' ? result({ stdout: denyJson }) : result({})));

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fwguard-doctor-'));
    project = join(tmp, 'proj');
    home = join(tmp, 'home');
    mkdirSync(join(project, '.git'), { recursive: true });
    mkdirSync(home, { recursive: true });
    // A stand-in fwguard install: bin/run.js must exist for the "can it start" check.
    bin = join(tmp, 'fwguard', 'bin', 'run.js');
    mkdirSync(join(tmp, 'fwguard', 'bin'), { recursive: true });
    writeFileSync(bin, '');
    writeFileSync(join(tmp, 'fwguard', 'package.json'), '{"name":"fwguard"}');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const install = (extra: object = {}) =>
    applyInit(planInit({ cwd: project, home, node: process.execPath, bin, root: join(tmp, 'fwguard'), ...extra }));
  const ids = (r: ReturnType<typeof runDoctor>) => r.findings.map((f) => `${f.severity}:${f.id}`);

  it('not installed → fails open with a fix', () => {
    const r = runDoctor({ cwd: project, home, env: env(), run: denying, claudeVersion: claude('2.1.330 (Claude Code)') });
    expect(r.failsOpen).toBe(true);
    expect(ids(r)).toContain('error:hook.missing');
    expect(r.findings.find((f) => f.id === 'hook.missing')!.fix).toMatch(/fwguard init/);
  });

  it('a healthy install passes', () => {
    install();
    const r = runDoctor({ cwd: project, home, env: env(), run: denying, claudeVersion: claude('2.1.330 (Claude Code)') });
    expect(ids(r)).toEqual(['ok:probe.deny', 'ok:claude.version']);
    expect(r.failsOpen).toBe(false);
    expect(r.files.find((f) => f.scope === 'project')).toMatchObject({ exists: true, hooks: 2 });
  });

  it('flags a hook that lets rm -rf ~ through', () => {
    install();
    const r = runDoctor({ cwd: project, home, env: env(), run: fakeRunner(() => result({})), claudeVersion: claude('2.1.330') });
    expect(ids(r)).toContain('error:probe.not-denied');
    expect(r.failsOpen).toBe(true);
  });

  it('flags a hook that denies everything (e.g. invalid config) as a warning', () => {
    install();
    const r = runDoctor({ cwd: project, home, env: env(), run: fakeRunner(() => result({ exitCode: 2, stderr: 'config error' })), claudeVersion: claude('2.1.330') });
    expect(ids(r)).toEqual(['ok:probe.deny', 'warn:probe.benign-denied', 'ok:claude.version']);
    expect(r.failsOpen).toBe(false);
  });

  it('flags missing onFailure, disableAllHooks, a narrow matcher, a missing program and an old Claude Code', () => {
    const h = { ...fwguardHandler({ node: join(tmp, 'no-such-node'), bin }), onFailure: undefined };
    mkdirSync(join(project, '.claude'), { recursive: true });
    writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [h] }] } }));
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ disableAllHooks: true }));
    const r = runDoctor({ cwd: project, home, env: env(), run: denying, claudeVersion: claude('2.1.200 (Claude Code)') });
    const got = ids(r);
    for (const id of ['error:settings.disableAllHooks', 'error:hook.onFailure', 'warn:hook.matcher', 'error:hook.command-missing', 'error:claude.too-old', 'warn:hook.post-missing']) {
      expect(got).toContain(id);
    }
    expect(r.failsOpen).toBe(true);
    for (const f of r.findings.filter((x) => x.severity === 'error' || x.severity === 'warn')) expect(f.fix).toBeTruthy();
  });

  it('flags a settings file that is not JSON', () => {
    install();
    writeFileSync(join(project, '.claude', 'settings.local.json'), '{nope');
    const r = runDoctor({ cwd: project, home, env: env(), run: denying, claudeVersion: claude('2.1.330') });
    expect(ids(r)).toContain('error:settings.invalid');
  });

  it.skipIf(!haveRealHook)('end to end: init in a temp git repo, the installed hook denies rm -rf ~', () => {
    applyInit(planInit({ cwd: project, home }));
    const r = runDoctor({ cwd: project, home, env: { ...process.env, HOME: home }, claudeVersion: claude('2.1.330') });
    expect(ids(r)).toContain('ok:probe.deny');
    expect(r.failsOpen).toBe(false);
  });
});
