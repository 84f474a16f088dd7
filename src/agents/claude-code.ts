// Claude Code adapter: PreToolUse/PostToolUse JSON ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §1 and §12 (measured in Claude Code 2.1.330): a deny must be exit 2
// (stderr is the reason) or JSON permissionDecision "deny"; exit 1, a crash or a timeout do NOT block.
import type { Decision } from '../types.js';
import { internalReason, reasonText, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';

export type { HookResult, Mapped } from './adapter.js';

export interface HookPayload {
  session_id?: unknown;
  cwd?: unknown;
  hook_event_name?: unknown;
  tool_name?: unknown;
  tool_input?: unknown;
  permission_mode?: unknown;
  agent_id?: unknown;
  agent_type?: unknown;
}

/** Tools that run nothing and touch no file: the agent may use them freely. */
const NO_SIDE_EFFECTS = new Set([
  'TodoWrite', 'TodoRead', 'Task', 'Agent', 'ExitPlanMode', 'EnterPlanMode', 'AskUserQuestion', 'BashOutput', 'TaskOutput',
  'ListMcpResourcesTool', 'ReadMcpResourceTool', 'SlashCommand', 'Skill', 'KillShell', 'KillBash', 'TaskCreate', 'TaskUpdate', 'TaskList', 'TaskGet', 'ToolSearch',
]);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Map a PreToolUse payload to a Proposal. Malformed input never maps to an allow. */
export function toProposal(payload: unknown, fallbackCwd: string): Mapped {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { kind: 'malformed', reason: 'the hook input is not a JSON object' };
  const p = payload as HookPayload;
  const tool = str(p.tool_name);
  if (!tool) return { kind: 'malformed', reason: 'the hook input has no tool_name' };
  const cwd = str(p.cwd) ?? fallbackCwd;
  const base = {
    cwd,
    agent: 'claude-code',
    ...(str(p.session_id) ? { session: str(p.session_id)! } : {}),
    ...(str(p.agent_id) ? { subagent: str(p.agent_id)! } : {}),
  };
  if (NO_SIDE_EFFECTS.has(tool)) return { kind: 'free' };
  const input = p.tool_input;
  const obj = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  // A known tool without its input object is malformed; decide ask (never allow) downstream.
  const field = (k: string) => (obj ? obj[k] : undefined);
  switch (tool) {
    case 'Bash':
    case 'Monitor': {
      const command = field('command');
      return { kind: 'proposal', proposal: { ...base, kind: 'shell', tool, ...(typeof command === 'string' ? { command } : {}) } };
    }
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit': {
      const path = str(field('file_path')) ?? str(field('notebook_path'));
      const content = str(field('content')) ?? str(field('new_string'));
      return { kind: 'proposal', proposal: { ...base, kind: tool === 'Write' ? 'file.write' : 'file.edit', tool, ...(path ? { path } : {}), ...(content !== undefined ? { content } : {}) } };
    }
    case 'Read': {
      const path = str(field('file_path'));
      return { kind: 'proposal', proposal: { ...base, kind: 'file.read', tool, ...(path ? { path } : {}) } };
    }
    case 'Glob':
    case 'Grep': {
      if (!obj) return { kind: 'proposal', proposal: { ...base, kind: 'file.read', tool } };
      // Glob lists names; Grep reads contents. Both are reads of the directory or file they name.
      const path = str(field('path')) ?? cwd;
      return { kind: 'proposal', proposal: { ...base, kind: 'file.read', tool, path } };
    }
    case 'WebFetch':
    case 'WebSearch': {
      const url = str(field('url')) ?? str(field('query'));
      return { kind: 'proposal', proposal: { ...base, kind: 'web.fetch', tool, ...(url ? { url } : {}) } };
    }
    default:
      // MCP tools and tools fwguard does not know (PowerShell included, until it has a parser):
      // judged by the paths their input names.
      return { kind: 'proposal', proposal: { ...base, kind: 'tool', tool, input } };
  }
}


/** Decision → what Claude Code reads. Allow of opaque code is "no opinion" unless the config opts in. */
export function toHookResult(d: Decision, opaqueAllow: boolean): HookResult {
  const out = (decision: 'allow' | 'ask' | 'deny', reason: string) =>
    JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } });
  if (d.verdict === 'deny') {
    const reason = reasonText(d);
    // exit 2 blocks even if stdout were mangled; the JSON carries the same reason.
    return { stdout: out('deny', reason), stderr: reason + '\n', exitCode: 2 };
  }
  if (d.verdict === 'ask') return { stdout: out('ask', reasonText(d)), stderr: '', exitCode: 0 };
  if (d.opaque && !opaqueAllow) return { stdout: '', stderr: '', exitCode: 0 };
  return { stdout: out('allow', 'fwguard: every action of this call is understood and allowed by policy'), stderr: '', exitCode: 0 };
}

export function failClosed(message: string): HookResult {
  const reason = internalReason(message);
  return { stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }), stderr: reason + '\n', exitCode: 2 };
}

export const claudeCode: AgentAdapter = {
  id: 'claude-code',
  read(payload, fallbackCwd): HookInput {
    const p = (payload !== null && typeof payload === 'object' ? payload : {}) as HookPayload;
    const event = str(p.hook_event_name);
    const phase = event === 'PostToolUse' ? 'post' : event === 'PostToolUseFailure' ? 'ignore' : 'pre';
    return { phase, mapped: toProposal(payload, fallbackCwd), ...(str(p.tool_name) ? { toolName: str(p.tool_name)! } : {}), event: event ?? 'PreToolUse' };
  },
  render: (d, o) => toHookResult(d, o.opaqueAllow),
  failClosed,
};
