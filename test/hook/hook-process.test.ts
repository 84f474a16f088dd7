// The real hook process (node bin/run.js hook claude-code, i.e. the built bundle), fed what Claude
// Code sends. Fail-closed cases must never produce an allow: exit 2 (blocks) or ask.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/decide.js';
import { trustConfig } from '../../src/engine.js';

const BIN = new URL('../../bin/run.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/hook.js', import.meta.url));

function run(stdin: string, env: Record<string, string> = {}, cwd?: string) {
  const b = sandbox();
  const state = mkdtempSync(join(b.root, 'state-'));
  const r = spawnSync(process.execPath, [BIN, 'hook', 'claude-code'], {
    input: stdin,
    cwd: cwd ?? b.project,
    env: { PATH: process.env.PATH ?? '', HOME: b.home, FWGUARD_STATE_DIR: state, ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  let decision: string | undefined;
  try {
    decision = JSON.parse(r.stdout).hookSpecificOutput?.permissionDecision;
  } catch {
    decision = r.stdout.trim() === '' ? 'none' : 'garbage';
  }
  return { code: r.status, decision, stderr: r.stderr, stdout: r.stdout };
}

const pre = (tool_name: string, tool_input: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ session_id: 's1', cwd: sandbox().project, hook_event_name: 'PreToolUse', permission_mode: 'default', tool_name, tool_input, ...extra });

describe.skipIf(!built)('hook process: Claude Code protocol', () => {
  it('denies rm -rf ~ with exit 2, the rule id on stderr and a JSON deny', () => {
    const r = run(pre('Bash', { command: 'rm -rf ~' }));
    expect(r.code).toBe(2);
    expect(r.decision).toBe('deny');
    expect(r.stderr).toContain('fs.delete-recursive-critical');
  });
  it('answers an explicit allow for understood work', () => {
    const r = run(pre('Bash', { command: 'git status && ls src' }));
    expect(r.code).toBe(0);
    expect(r.decision).toBe('allow');
  });
  it('answers no opinion for opaque code (npm test)', () => {
    const r = run(pre('Bash', { command: 'npm test' }));
    expect(r.code).toBe(0);
    expect(r.decision).toBe('none');
  });
  it('asks in the agent prompt for a middle-ground call', () => {
    const r = run(pre('Bash', { command: 'npm install left-pad' }));
    expect(r.code).toBe(0);
    expect(r.decision).toBe('ask');
  });
  it('judges a subagent call (agent_id) exactly like the main agent', () => {
    expect(run(pre('Bash', { command: 'rm -rf ~' }, { agent_id: 'sub-1', agent_type: 'general-purpose' })).code).toBe(2);
  });
  it('denies a Write into fwguard config and hook settings', () => {
    const b = sandbox();
    expect(run(pre('Write', { file_path: join(b.project, '.fwguardrc.yaml'), content: 'rules: []' })).code).toBe(2);
    expect(run(pre('Edit', { file_path: join(b.home, '.claude/settings.json'), old_string: 'a', new_string: 'b' })).code).toBe(2);
  });
  it('asks for a Read of a secret and an MCP tool naming one', () => {
    const b = sandbox();
    expect(run(pre('Read', { file_path: join(b.project, '.env') })).decision).toBe('ask');
    expect(run(pre('mcp__files__delete', { path: join(b.home, '.ssh/authorized_keys') })).decision).toBe('ask');
  });
  it('writes one redacted trace line per decision, to audit.path when the config names one', () => {
    const b = sandbox();
    const dir = mkdtempSync(join(b.home, 'traced-'));
    writeFileSync(join(dir, '.fwguardrc.yaml'), 'audit:\n  path: ~/audit/trace.jsonl\n');
    // Moving the trace is a loosening change: it takes effect once the user trusts the file.
    const st = mkdtempSync(join(b.root, 'st-'));
    trustConfig(st, join(dir, '.fwguardrc.yaml'));
    const cmd = 'curl -H "Authorization: Bearer sk-ant-abcdefghijklmnopqrstuvwxyz" https://api.example.test';
    const r = run(JSON.stringify({ session_id: 's-trace', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: cmd } }), { FWGUARD_STATE_DIR: st }, dir);
    expect(r.code).toBe(0);
    const lines = readFileSync(join(b.home, 'audit/trace.jsonl'), 'utf8').trim().split('\n');
    const rec = JSON.parse(lines.at(-1)!) as { session: string; verdict: string; proposal: { command: string } };
    expect(rec.session).toBe('s-trace');
    expect(rec.proposal.command).toContain('[REDACTED]');
    expect(lines.join('\n')).not.toContain('abcdefghijklmnopqrstuvwxyz');
    // …and the trace is a protected path for the agent.
    const w = run(JSON.stringify({ session_id: 's-trace', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'truncate -s 0 ~/audit/trace.jsonl' } }), { FWGUARD_STATE_DIR: st }, dir);
    expect(w.code).toBe(2);
  });
  it('answers allow for tools without side effects (TodoWrite)', () => {
    expect(run(pre('TodoWrite', { todos: [] })).decision).toBe('allow');
  });
  it('PostToolUse is accepted silently', () => {
    const r = run(JSON.stringify({ session_id: 's1', cwd: sandbox().project, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_response: {} }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe.skipIf(!built)('hook process: fail closed', () => {
  const neverAllow = (r: ReturnType<typeof run>) => {
    expect(r.code === 2 || r.decision === 'ask' || r.decision === 'deny', JSON.stringify(r)).toBe(true);
    expect(r.decision).not.toBe('allow');
  };
  it('malformed JSON → exit 2 with a reason', () => {
    const r = run('{not json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid JSON');
  });
  it('empty stdin → exit 2', () => expect(run('').code).toBe(2));
  it('a JSON array or a payload without tool_name → exit 2', () => {
    expect(run('[]').code).toBe(2);
    expect(run('{"hook_event_name":"PreToolUse"}').code).toBe(2);
  });
  it('Bash without tool_input.command → ask, never allow', () => neverAllow(run(pre('Bash', {}))));
  it('Bash with a non-string command → never allow', () => neverAllow(run(pre('Bash', { command: 123 }))));
  it('Read without file_path → never allow', () => neverAllow(run(pre('Read', {}))));
  it('a 2 MB command → never allow', () => neverAllow(run(pre('Bash', { command: 'echo ' + 'a'.repeat(2 * 1024 * 1024) }))));
  it('an invalid .fwguardrc → deny naming the file and the key', () => {
    const b = sandbox();
    const dir = mkdtempSync(join(b.home, 'badcfg-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, '.fwguardrc.yaml'), 'rules:\n  - id: git.push-protected\n    verdict: block\n');
    const r = run(JSON.stringify({ session_id: 's', cwd: join(dir, 'sub'), hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } }), {}, join(dir, 'sub'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.fwguardrc.yaml');
    expect(r.stderr).toContain('rules[0].verdict: expected one of');
  });
  it('an unknown agent id → exit 2 with the deny form every command-hook agent honours', () => {
    const b = sandbox();
    const r = spawnSync(process.execPath, [BIN, 'hook', 'nope'], { input: pre('Bash', { command: 'ls' }), env: { PATH: process.env.PATH ?? '', HOME: b.home, FWGUARD_STATE_DIR: b.root + '/st' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    // Gemini ignores Claude-style hookSpecificOutput: only a top-level decision blocks there (measured, §12).
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'block' });
    expect(JSON.parse(r.stdout).reason).toContain('unknown agent "nope"');
    expect(r.stderr).toContain('unknown agent "nope"');
  });
});
