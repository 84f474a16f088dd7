// Cursor adapter (IDE 2.x and cursor-agent): hooks.json events ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §3 (secondary sources; Cursor cannot be run here, so this is built
// from the documented shapes). Events: beforeShellExecution {command, cwd} at the top level,
// beforeReadFile {file_path, content}, beforeMCPExecution {tool_name, tool_input (a JSON string or
// an object), url|command}, preToolUse {tool_name, tool_input} with Cursor's tool names (Shell,
// Write, Delete, Read, StrReplace, …); common fields conversation_id, workspace_roots.
// Output {"permission":"allow"|"deny"|"ask","user_message","agent_message"}; exit 2 = deny.
// beforeReadFile answers allow or deny only, so an ask there is a deny that tells the model to ask.
import type { Decision } from '../types.js';
import { askAsDenyText, asRecord, internalReason, proposalOf, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { claudeStyleProposal } from './claude-code.js';

const POST = new Set(['postToolUse', 'afterShellExecution', 'afterMCPExecution', 'afterFileEdit']);
const LIFECYCLE = new Set([
  'sessionStart', 'sessionEnd', 'postToolUseFailure', 'subagentStart', 'subagentStop', 'beforeSubmitPrompt', 'preCompact', 'stop',
  'afterAgentResponse', 'afterAgentThought', 'beforeTabFileRead', 'afterTabFileEdit', 'workspaceOpen',
]);


function objectOrJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

export function readCursor(payload: unknown, fallbackCwd: string): HookInput {
  const p = asRecord(payload);
  if (!p) return { phase: 'pre', mapped: { kind: 'malformed', reason: 'the hook input is not a JSON object' } };
  const event = str(p.hook_event_name);
  if (!event) return { phase: 'pre', mapped: { kind: 'malformed', reason: 'the hook input has no hook_event_name' } };
  if (LIFECYCLE.has(event)) return { phase: 'ignore', mapped: { kind: 'free' }, event };
  const roots = Array.isArray(p.workspace_roots) ? p.workspace_roots.filter((x): x is string => typeof x === 'string') : [];
  const cwd = str(p.cwd) ?? roots[0] ?? fallbackCwd;
  const session = str(p.conversation_id) ?? str(p.session_id);
  const base = { cwd, agent: 'cursor', ...(session ? { session } : {}) };
  const phase: HookInput['phase'] = POST.has(event) ? 'post' : 'pre';
  let mapped: Mapped;
  let toolName: string | undefined;
  switch (event) {
    case 'beforeShellExecution':
    case 'afterShellExecution': {
      toolName = 'Shell';
      const command = str(p.command);
      mapped = { kind: 'proposal', proposal: { ...base, kind: 'shell', tool: toolName, ...(command !== undefined ? { command } : {}) } };
      break;
    }
    case 'beforeReadFile': {
      toolName = 'Read';
      const path = str(p.file_path);
      mapped = { kind: 'proposal', proposal: { ...base, kind: 'file.read', tool: toolName, ...(path ? { path } : {}) } };
      break;
    }
    case 'afterFileEdit': {
      toolName = 'Edit';
      const path = str(p.file_path);
      mapped = { kind: 'proposal', proposal: { ...base, kind: 'file.edit', tool: toolName, ...(path ? { path } : {}) } };
      break;
    }
    case 'beforeMCPExecution':
    case 'afterMCPExecution': {
      toolName = str(p.tool_name);
      if (!toolName) return { phase, mapped: { kind: 'malformed', reason: `${event} without tool_name` }, event };
      const server = str(p.url) ?? str(p.command);
      mapped = { kind: 'proposal', proposal: { ...base, kind: 'tool', tool: toolName, input: { input: objectOrJson(p.tool_input), ...(server ? { server } : {}) } } };
      break;
    }
    case 'preToolUse':
    case 'postToolUse': {
      toolName = str(p.tool_name);
      if (!toolName) return { phase, mapped: { kind: 'malformed', reason: `${event} without tool_name` }, event };
      mapped = claudeStyleProposal(toolName, objectOrJson(p.tool_input), base);
      break;
    }
    default:
      return { phase: 'pre', mapped: { kind: 'malformed', reason: `unknown Cursor hook event "${event}"` }, event };
  }
  return { phase, mapped, ...(toolName ? { toolName } : {}), event };
}

function answer(permission: 'allow' | 'deny' | 'ask', message?: string): string {
  return JSON.stringify({ permission, ...(message ? { user_message: message, agent_message: message } : {}) });
}

function deny(reason: string): HookResult {
  return { stdout: answer('deny', reason), stderr: reason + '\n', exitCode: 2 };
}

export const cursor: AgentAdapter = {
  id: 'cursor',
  read(payload, fallbackCwd): HookInput {
    const r = readCursor(payload, fallbackCwd);
    return r;
  },
  render(d: Decision, o): HookResult {
    if (d.verdict === 'deny') return deny(reasonText(d));
    if (d.verdict === 'ask') {
      if (o.input.event === 'beforeReadFile') return deny(askAsDenyText(d, proposalOf(o), 'Cursor (beforeReadFile)'));
      return { stdout: answer('ask', reasonText(d)), stderr: '', exitCode: 0 };
    }
    // No opinion: an object without a permission (Cursor's own rules decide).
    if (d.opaque && !o.opaqueAllow) return { stdout: '{}', stderr: '', exitCode: 0 };
    return { stdout: answer('allow'), stderr: '', exitCode: 0 };
  },
  failClosed: (message) => deny(internalReason(message)),
};
