// Field mapping details per agent that the captured calls do not exercise: directories a call runs
// in, many-file and many-URL tools, MCP tools, interactive shell input. Each is judged by the real
// engine; look-alikes that must pass sit beside what must be caught.
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/agents/index.js';
import { urlsIn } from '../../src/agents/gemini.js';
import { sandbox } from '../helpers/decide.js';
import { hook, loadFixture, withField } from './helpers.js';

const blocked = (r: ReturnType<typeof hook>) => r.exitCode === 2;

describe('Gemini CLI', () => {
  const shell = (input: Record<string, unknown>) => withField(loadFixture('gemini-0.61.0-run-shell-command.json'), ['tool_input'], input);
  const tool = (name: string, input: unknown) => ({ ...withField(loadFixture('gemini-0.61.0-read-file.json'), ['tool_name'], name), tool_input: input });
  it('run_shell_command dir_path is where the command runs: rm -rf . in / is denied, in the project it is not a critical delete', () => {
    expect(blocked(hook('gemini', shell({ command: 'rm -rf .', dir_path: '/' })))).toBe(true);
    const m = ADAPTERS.gemini!.read(shell({ command: 'ls', dir_path: 'src' }), '/');
    expect(m.mapped).toMatchObject({ proposal: { cwd: `${sandbox().project}/src` } });
  });
  it('read_many_files is judged by every path and pattern it names, relative ones included', () => {
    expect(blocked(hook('gemini', tool('read_many_files', { include: ['src/**/*.ts', '.env'] })))).toBe(true);
    expect(hook('gemini', tool('read_many_files', { include: ['src/**/*.ts', 'docs/*.md'] })).exitCode).toBe(0);
  });
  it('web_fetch finds the URLs in the free-text prompt', () => {
    expect(urlsIn('Summarise https://a.example/x, and http://b.example/y. Thanks')).toEqual(['https://a.example/x', 'http://b.example/y']);
    expect(ADAPTERS.gemini!.read(tool('web_fetch', { prompt: 'compare https://a.example/x with https://b.example/y' }), '/').mapped).toMatchObject({ proposal: { kind: 'shell', command: "curl -s -- 'https://a.example/x' 'https://b.example/y'" } });
    expect(ADAPTERS.gemini!.read(tool('web_fetch', { prompt: 'no url here' }), '/').mapped).toMatchObject({ proposal: { kind: 'web.fetch' } });
  });
  it('a prompt that merely mentions a dangerous command is a fetch, not a command', () => {
    expect(hook('gemini', tool('web_fetch', { prompt: 'explain what rm -rf ~ does: https://example.com/rm' })).exitCode).toBe(0);
  });
  it('an MCP tool naming a secret file is an ask, answered as a deny telling the model to ask', () => {
    const r = hook('gemini', tool('mcp_files_read', { path: '~/.ssh/id_rsa' }));
    expect(blocked(r)).toBe(true);
    expect(String(r.json?.reason)).toContain('ask the user');
    expect(hook('gemini', tool('mcp_files_read', { path: './README.md' })).exitCode).toBe(0);
  });
  it('free tools (write_todos, ask_user) pass without a decision', () => {
    expect(ADAPTERS.gemini!.read(tool('write_todos', { todos: [] }), '/').mapped.kind).toBe('free');
  });
});

describe('Copilot CLI', () => {
  const native = (toolName: string, toolArgs: unknown) => ({ ...loadFixture('copilot-1.0.102-bash.json'), toolName, toolArgs });
  it('write_bash (input typed into a running shell) is judged as the command it is', () => {
    expect(blocked(hook('copilot', native('write_bash', { sessionId: '1', input: 'rm -rf ~\n' })))).toBe(true);
    expect(hook('copilot', native('write_bash', { sessionId: '1', input: 'git status\n' })).exitCode).toBe(0);
  });
  it('powershell is judged through pwsh -Command', () => {
    expect(hook('copilot', native('powershell', { command: 'Remove-Item -Recurse -Force ~' })).json?.permissionDecision).toBe('ask');
  });
  it('str_replace_editor: view reads, create writes', () => {
    expect(ADAPTERS.copilot!.read(native('str_replace_editor', { command: 'view', path: 'a' }), '/').mapped).toMatchObject({ proposal: { kind: 'file.read' } });
    expect(blocked(hook('copilot', native('str_replace_editor', { command: 'create', path: '.fwguardrc', file_text: 'x' })))).toBe(true);
  });
  it('task and report_intent are free', () => {
    expect(ADAPTERS.copilot!.read(native('report_intent', { intent: 'x' }), '/').mapped.kind).toBe('free');
  });
});

describe('Copilot CLI events', () => {
  const pascal = (event: string) => ({ ...loadFixture('copilot-docs-claude-style-bash.json'), hook_event_name: event });
  it('Claude-style payloads with camelCase event names map to the right phase', () => {
    expect(ADAPTERS.copilot!.read(pascal('postToolUse'), '/').phase).toBe('post');
    expect(ADAPTERS.copilot!.read(pascal('PostToolUse'), '/').phase).toBe('post');
    expect(ADAPTERS.copilot!.read(pascal('preToolUse'), '/').phase).toBe('pre');
    expect(ADAPTERS.copilot!.read({ hook_event_name: 'sessionStart', cwd: '/' }, '/').phase).toBe('ignore');
  });
  it('a camelCase payload that also names its event is still read as camelCase', () => {
    const p = { ...loadFixture('copilot-1.0.102-bash.json'), hook_event_name: 'preToolUse' };
    expect(ADAPTERS.copilot!.read(p, '/').mapped).toMatchObject({ proposal: { kind: 'shell', tool: 'bash' } });
  });
});

describe('Codex', () => {
  it('shell calls under Codex\'s own tool names (older versions) are judged as the line they run', () => {
    const base = loadFixture('codex-0.169.0-bash.json');
    expect(blocked(hook('codex', { ...base, tool_name: 'shell', tool_input: { command: ['bash', '-lc', 'rm -rf ~'] } }))).toBe(true);
    expect(blocked(hook('codex', { ...base, tool_name: 'exec_command', tool_input: { cmd: 'git push --force origin main' } }))).toBe(true);
    expect(hook('codex', { ...base, tool_name: 'shell', tool_input: { command: ['git', 'status'] } }).exitCode).toBe(0);
    expect(blocked(hook('codex', { ...base, tool_name: 'shell_command', tool_input: { command: "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: .fwguardrc\n+x\n*** End Patch\nEOF" } }))).toBe(true);
  });
  it('MCP tools are judged by the paths they name', () => {
    const p = { ...loadFixture('codex-0.169.0-bash.json'), tool_name: 'mcp__fs__read_file', tool_input: { path: '~/.aws/credentials' } };
    expect(blocked(hook('codex', p))).toBe(true);
  });
  it('a subagent call (agent_id) keeps its id', () => {
    const p = { ...loadFixture('codex-0.169.0-bash.json'), agent_id: 'sub-7', agent_type: 'explorer' };
    expect(ADAPTERS.codex!.read(p, '/').mapped).toMatchObject({ proposal: { subagent: 'sub-7', agent: 'codex' } });
  });
});

describe('OpenCode', () => {
  const call = (tool: string, args: unknown) => ({ ...loadFixture('opencode-1.18.33-bash.json'), tool, args });
  it('multiedit into the agent config is denied; todowrite is free', () => {
    expect(blocked(hook('opencode', call('multiedit', { filePath: 'opencode.json', edits: [{ oldString: 'a', newString: 'b' }] })))).toBe(true);
    expect(ADAPTERS.opencode!.read(call('todowrite', { todos: [] }), '/').mapped.kind).toBe('free');
  });
  it('list of a secret directory asks (a deny telling the model to ask); of the project passes', () => {
    expect(blocked(hook('opencode', call('read', { filePath: '~/.ssh/id_rsa' })))).toBe(true);
    expect(hook('opencode', call('list', { path: sandbox().project })).exitCode).toBe(0);
  });
});
