// Claude Code adapter: PreToolUse/PostToolUse JSON ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §1 and §12 (measured in Claude Code 2.1.330): a deny must be exit 2
// (stderr is the reason) or JSON permissionDecision "deny"; exit 1, a crash or a timeout do NOT block.
import type { Decision, Proposal } from '../types.js';
import { asRecord, internalReason, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { patchToMapped } from './apply-patch.js';
import { quoteAlways } from '../util/quote.js';

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

/**
 * Events that are not tool calls: nothing to decide. Compared case-insensitively, since Copilot
 * sends the camelCase spellings of the same events (and some of its own) to the same hooks.
 */
const LIFECYCLE = new Set(
  [
    'PostToolUseFailure', 'SessionStart', 'SessionEnd', 'UserPromptSubmit', 'Stop', 'StopFailure', 'SubagentStart', 'SubagentStop',
    'Notification', 'PreCompact', 'PostCompact', 'PermissionRequest', 'PermissionDenied', 'TaskCompleted', 'TeammateIdle', 'Interrupt', 'Setup',
    'userPromptSubmitted', 'userPromptTransformed', 'agentStop', 'errorOccurred',
  ].map((e) => e.toLowerCase()),
);

/**
 * One tool call in Claude's tool vocabulary → Mapped. Shared by every agent whose hook payload is
 * Claude-shaped (Claude Code, Codex, Copilot's PascalCase style, Cursor's preToolUse), so the
 * aliases the others use (Cursor `Shell`/`Delete`/`StrReplace`, …) are understood here too.
 * `base` carries cwd, agent, session and subagent.
 */
export function claudeStyleProposal(tool: string, input: unknown, base: Omit<Proposal, 'kind'>): Mapped {
  if (NO_SIDE_EFFECTS.has(tool)) return { kind: 'free' };
  const obj = asRecord(input);
  // A known tool without its input object is malformed; decide ask (never allow) downstream.
  const field = (k: string) => (obj ? obj[k] : undefined);
  const cwd = base.cwd;
  switch (tool) {
    case 'Bash':
    case 'Monitor':
    case 'Shell': {
      // Cursor's Shell may name its own directory.
      const command = field('command');
      const dir = str(field('cwd')) ?? str(field('working_directory'));
      return { kind: 'proposal', proposal: { ...base, ...(dir ? { cwd: dir } : {}), kind: 'shell', tool, ...(typeof command === 'string' ? { command } : {}) } };
    }
    case 'PowerShell': {
      // Judged as the pwsh -Command it is: the PowerShell reader sees its deletes, writes,
      // downloads and dynamic code; what it cannot see into is opaque (no opinion), never allowed.
      const command = field('command');
      return { kind: 'proposal', proposal: { ...base, kind: 'shell', tool, ...(typeof command === 'string' ? { command: `pwsh -NoProfile -Command ${quoteAlways(command)}` } : {}) } };
    }
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
    case 'StrReplace':
    case 'TabWrite': {
      const path = str(field('file_path')) ?? str(field('notebook_path')) ?? str(field('path'));
      const edits = Array.isArray(field('edits')) ? (field('edits') as unknown[]).map((e) => str(asRecord(e)?.new_string)).filter((x): x is string => x !== undefined) : [];
      const content = str(field('content')) ?? str(field('new_string')) ?? str(field('new_source')) ?? (edits.length ? edits.join('\n') : undefined);
      // The tool input rides along for edits, so a preview can show what the edit replaces (old_string), not only the new text.
      return { kind: 'proposal', proposal: { ...base, kind: tool === 'Write' ? 'file.write' : 'file.edit', tool, ...(path ? { path } : {}), ...(content !== undefined ? { content } : {}), ...(tool !== 'Write' && obj ? { input: obj } : {}) } };
    }
    case 'Delete': {
      // Cursor's file delete: judged as the `rm` it is.
      const path = str(field('file_path')) ?? str(field('path'));
      return { kind: 'proposal', proposal: { ...base, kind: 'shell', tool, ...(path ? { command: `rm -- ${quoteAlways(path)}` } : {}) } };
    }
    case 'Read': {
      const path = str(field('file_path')) ?? str(field('path'));
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
    case 'apply_patch': {
      // Codex (and Copilot's PascalCase mapping of it): the raw patch text in `command`.
      const text = str(field('command')) ?? str(field('input')) ?? str(field('patch')) ?? (typeof input === 'string' ? input : undefined);
      if (text === undefined) return { kind: 'malformed', reason: 'apply_patch without its patch text' };
      return patchToMapped(text, base, tool);
    }
    default:
      // MCP tools and tools fwguard does not know: judged by the paths their input names.
      return { kind: 'proposal', proposal: { ...base, kind: 'tool', tool, input } };
  }
}

/** Map a PreToolUse payload to a Proposal. Malformed input never maps to an allow. */
export function toProposal(payload: unknown, fallbackCwd: string, agent = 'claude-code'): Mapped {
  const p = asRecord(payload) as HookPayload | undefined;
  if (!p) return { kind: 'malformed', reason: 'the hook input is not a JSON object' };
  const tool = str(p.tool_name);
  if (!tool) return { kind: 'malformed', reason: 'the hook input has no tool_name' };
  const cwd = str(p.cwd) ?? fallbackCwd;
  const base = {
    cwd,
    agent,
    ...(str(p.session_id) ? { session: str(p.session_id)! } : {}),
    ...(str(p.agent_id) ? { subagent: str(p.agent_id)! } : {}),
  };
  return claudeStyleProposal(tool, p.tool_input, base);
}

/** Claude-style event name → phase. A missing event is a pre-tool call (older clients). */
export function claudePhase(event: string | undefined): HookInput['phase'] {
  const e = event?.toLowerCase();
  if (e === undefined || e === 'pretooluse') return 'pre';
  if (e === 'posttooluse') return 'post';
  if (LIFECYCLE.has(e)) return 'ignore';
  return 'pre';
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
    const p = (asRecord(payload) ?? {}) as HookPayload;
    const event = str(p.hook_event_name);
    const phase = claudePhase(event);
    return { phase, mapped: toProposal(payload, fallbackCwd), ...(str(p.tool_name) ? { toolName: str(p.tool_name)! } : {}), event: event ?? 'PreToolUse' };
  },
  render: (d, o) => toHookResult(d, o.opaqueAllow),
  failClosed,
};
