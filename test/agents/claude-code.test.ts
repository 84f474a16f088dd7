// Claude Code, the reference adapter: the tools beyond Bash/Write/Read that 2.1.330 sends
// (PowerShell, Monitor, NotebookEdit, Agent) and subagent payloads (agent_id, agent_type), from the
// real captures where the client sent them.
import { describe, expect, it } from 'vitest';
import { claudeCode } from '../../src/agents/claude-code.js';
import { hook, loadFixture, withField } from './helpers.js';

const decision = (r: ReturnType<typeof hook>) => (r.exitCode === 2 ? 'deny' : (((r.json?.hookSpecificOutput ?? {}) as Record<string, unknown>).permissionDecision as string | undefined) ?? 'none');
const bashFixture = () => loadFixture('claude-code-2.1.330-bash.json');
const call = (tool: string, input: unknown, extra: Record<string, unknown> = {}) => ({ ...withField(bashFixture(), ['tool_name'], tool), tool_input: input, ...extra });

describe('Claude Code: PowerShell is judged as the pwsh -Command it is, never allowed blindly', () => {
  it('maps to a shell proposal running pwsh -Command with the command quoted', () => {
    const m = claudeCode.read(call('PowerShell', { command: "Remove-Item -Recurse -Force 'C:\\x'" }), '/');
    expect(m.mapped).toMatchObject({ kind: 'proposal', proposal: { kind: 'shell', tool: 'PowerShell', command: "pwsh -NoProfile -Command 'Remove-Item -Recurse -Force '\\''C:\\x'\\'''" } });
  });
  it('a recursive delete of home asks; a read-only listing is no opinion (never an explicit allow)', () => {
    expect(decision(hook('claude-code', call('PowerShell', { command: 'Remove-Item -Recurse -Force ~' })))).toBe('ask');
    expect(decision(hook('claude-code', call('PowerShell', { command: 'Get-ChildItem' })))).toBe('none');
  });
  it('shell syntax inside a PowerShell command cannot escape the quoting', () => {
    expect(decision(hook('claude-code', call('PowerShell', { command: "'; rm -rf ~; '" })))).not.toBe('allow');
  });
  it('without a command it is not allowed', () => {
    expect(['ask', 'deny']).toContain(decision(hook('claude-code', call('PowerShell', {}))));
  });
});

describe('Claude Code: Monitor runs a command under Bash rules', () => {
  it('the captured Monitor call passes; rm -rf ~ in it is denied', () => {
    expect(decision(hook('claude-code', loadFixture('claude-code-2.1.330-monitor.json')))).toBe('allow');
    expect(decision(hook('claude-code', withField(loadFixture('claude-code-2.1.330-monitor.json'), ['tool_input', 'command'], 'rm -rf ~')))).toBe('deny');
  });
});

describe('Claude Code: NotebookEdit is a file edit of notebook_path', () => {
  it('the captured edit passes; an edit of the agent hook settings is denied', () => {
    expect(decision(hook('claude-code', loadFixture('claude-code-2.1.330-notebookedit.json')))).toBe('allow');
    const r = hook('claude-code', withField(loadFixture('claude-code-2.1.330-notebookedit.json'), ['tool_input', 'notebook_path'], '.claude/settings.json'));
    expect(decision(r)).toBe('deny');
    expect(r.stderr).toContain('fs.protected-path');
  });
  it('carries new_source as the content', () => {
    expect(claudeCode.read(loadFixture('claude-code-2.1.330-notebookedit.json'), '/').mapped).toMatchObject({ proposal: { content: 'print(2)' } });
  });
});

describe('Claude Code: Agent and subagents', () => {
  it('Agent itself runs nothing (its subagent\'s calls are each hooked, as measured in 2.1.330)', () => {
    expect(claudeCode.read(loadFixture('claude-code-2.1.330-agent.json'), '/').mapped.kind).toBe('free');
  });
  it('a subagent call (agent_id, agent_type) carries the subagent id and is judged like the main agent', () => {
    const sub = loadFixture('claude-code-2.1.330-subagent-bash.json');
    expect(sub.agent_id).toBeTruthy();
    expect(sub.agent_type).toBe('general-purpose');
    expect(claudeCode.read(sub, '/').mapped).toMatchObject({ proposal: { subagent: sub.agent_id } });
    expect(decision(hook('claude-code', withField(sub, ['tool_input', 'command'], 'git push --force origin main')))).toBe('deny');
  });
});

describe('Claude Code: events', () => {
  it('PostToolUse is session memory, lifecycle events are no-ops, a missing event is a pre-tool call', () => {
    expect(claudeCode.read(loadFixture('claude-code-2.1.330-post-monitor.json'), '/').phase).toBe('post');
    for (const e of ['SessionStart', 'Stop', 'SubagentStop', 'UserPromptSubmit', 'PostToolUseFailure']) expect(claudeCode.read({ hook_event_name: e }, '/').phase).toBe('ignore');
    const { hook_event_name: _e, ...noEvent } = bashFixture();
    expect(claudeCode.read(noEvent, '/').phase).toBe('pre');
  });
  it('Cursor and Copilot tool aliases reaching the Claude hook are understood (Shell, Delete, apply_patch)', () => {
    expect(decision(hook('claude-code', call('Shell', { command: 'rm -rf ~' })))).toBe('deny');
    expect(decision(hook('claude-code', call('Delete', { file_path: 'notes.txt' })))).toBe('ask');
    expect(decision(hook('claude-code', call('apply_patch', { command: '*** Begin Patch\n*** Add File: .fwguardrc\n+x\n*** End Patch' })))).toBe('deny');
  });
});

describe('Claude Code Edit: the preview shows what the edit replaces', () => {
  it('old_string rides along, so the diff has the removed line as well as the added one', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { previewFileTool } = await import('../../src/exec/dryrun.js');
    const dir = mkdtempSync(join(tmpdir(), 'fwg-edit-'));
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'one\ntwo\nthree\n');
    const m = claudeCode.read(call('Edit', { file_path: file, old_string: 'two', new_string: 'TWO' }, { cwd: dir }), dir);
    if (m.mapped.kind !== 'proposal') throw new Error('not a proposal');
    const item = previewFileTool(m.mapped.proposal, dir);
    expect(item.diff).toContain('-two');
    expect(item.diff).toContain('+TWO');
  });
});
