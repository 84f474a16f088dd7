// GitHub Copilot CLI adapter: preToolUse/postToolUse JSON ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §4 (Copilot's hooks reference; Copilot CLI cannot be run here, so
// this is built from the documented shapes). Two payload styles:
// - camelCase (`preToolUse` entries): {sessionId?, timestamp, cwd, toolName, toolArgs} with the
//   native tool names (bash, powershell, create, edit, str_replace_editor, view, glob, grep,
//   web_fetch, …); toolArgs is a JSON string in the older docs, an object in the newer ones.
//   postToolUse adds toolResult.
// - PascalCase (`PreToolUse`, also what Copilot sends to hooks it reads from .claude/settings.json):
//   Claude's snake_case payload with Claude tool names.
// Output {"permissionDecision","permissionDecisionReason"}; a preToolUse command hook that exits
// non-zero denies, so a deny also exits 2 with the reason on stderr.
import type { Decision, Proposal } from '../types.js';
import { asRecord, internalReason, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { patchToMapped } from './apply-patch.js';
import { quoteAlways } from '../util/quote.js';
import { claudePhase, claudeStyleProposal, toProposal } from './claude-code.js';

/** Copilot's native tools that run nothing and touch no file. */
const FREE = new Set(['task', 'ask_user', 'report_intent', 'think', 'update_todo', 'read_bash', 'stop_bash', 'list_bash', 'read_powershell', 'stop_powershell', 'list_powershell', 'fetch_copilot_cli_documentation', 'skill']);

function mapNative(tool: string, args: unknown, base: Omit<Proposal, 'kind'>): Mapped {
  if (FREE.has(tool)) return { kind: 'free' };
  const a = asRecord(args);
  const f = (k: string) => (a ? a[k] : undefined);
  const b = { ...base, tool };
  switch (tool) {
    case 'bash':
    case 'shell':
    case 'write_bash': {
      // write_bash types input into a running shell session: judged as the command it is.
      const command = str(f('command')) ?? str(f('input'));
      return { kind: 'proposal', proposal: { ...b, kind: 'shell', ...(command !== undefined ? { command } : {}) } };
    }
    case 'powershell':
    case 'write_powershell': {
      const command = str(f('command')) ?? str(f('input'));
      return { kind: 'proposal', proposal: { ...b, kind: 'shell', ...(command !== undefined ? { command: `pwsh -NoProfile -Command ${quoteAlways(command)}` } : {}) } };
    }
    case 'create':
    case 'edit':
    case 'str_replace':
    case 'insert':
    case 'str_replace_editor': {
      const sub = str(f('command'));
      const path = str(f('path')) ?? str(f('file_path'));
      if (tool === 'str_replace_editor' && sub === 'view') return { kind: 'proposal', proposal: { ...b, kind: 'file.read', ...(path ? { path } : {}) } };
      const content = str(f('file_text')) ?? str(f('new_str')) ?? str(f('content'));
      const write = tool === 'create' || sub === 'create';
      return { kind: 'proposal', proposal: { ...b, kind: write ? 'file.write' : 'file.edit', ...(path ? { path } : {}), ...(content !== undefined ? { content } : {}) } };
    }
    case 'view':
    case 'read': {
      const path = str(f('path')) ?? str(f('file_path'));
      return { kind: 'proposal', proposal: { ...b, kind: 'file.read', ...(path ? { path } : {}) } };
    }
    case 'glob':
    case 'grep':
    case 'rg': {
      if (!a) return { kind: 'proposal', proposal: { ...b, kind: 'file.read' } };
      return { kind: 'proposal', proposal: { ...b, kind: 'file.read', path: str(f('path')) ?? base.cwd } };
    }
    case 'web_fetch':
    case 'web_search': {
      const url = str(f('url')) ?? str(f('query'));
      return { kind: 'proposal', proposal: { ...b, kind: 'web.fetch', ...(url ? { url } : {}) } };
    }
    case 'apply_patch': {
      const text = typeof args === 'string' ? args : (str(f('input')) ?? str(f('patch')) ?? str(f('command')));
      if (text === undefined) return { kind: 'malformed', reason: 'apply_patch without its patch text' };
      return patchToMapped(text, base, tool);
    }
    default:
      // A Claude tool name (some Copilot builds use them in camelCase payloads too), else an MCP or
      // unknown tool judged by the paths its input names.
      return claudeStyleProposal(tool, args, base);
  }
}

/** toolArgs: an object, or the same as a JSON string. */
function parseArgs(v: unknown): { ok: true; args: unknown } | { ok: false } {
  if (typeof v !== 'string') return { ok: true, args: v };
  try {
    return { ok: true, args: JSON.parse(v) as unknown };
  } catch {
    return { ok: false };
  }
}

export function readCopilot(payload: unknown, fallbackCwd: string): HookInput {
  const p = asRecord(payload);
  if (!p) return { phase: 'pre', mapped: { kind: 'malformed', reason: 'the hook input is not a JSON object' } };
  const named = str(p.hook_event_name) ?? str(p.hookEventName);
  // PascalCase / Claude style (snake_case fields, Claude tool names).
  if (str(p.toolName) === undefined && (str(p.tool_name) !== undefined || named !== undefined)) {
    const event = named ?? 'PreToolUse';
    return { phase: claudePhase(event), mapped: toProposal(payload, fallbackCwd, 'copilot'), ...(str(p.tool_name) ? { toolName: str(p.tool_name)! } : {}), event };
  }
  // camelCase: Copilot 1.0.102 sends no event name; a post-tool call is the one with toolResult.
  const tool = str(p.toolName);
  if (!tool) return { phase: 'pre', mapped: { kind: 'malformed', reason: 'the hook input has neither toolName nor tool_name' }, event: 'preToolUse' };
  const post = p.toolResult !== undefined || named === 'postToolUse' || named === 'PostToolUse';
  const event = post ? 'postToolUse' : 'preToolUse';
  const parsed = parseArgs(p.toolArgs);
  if (!parsed.ok) return { phase: post ? 'post' : 'pre', mapped: { kind: 'malformed', reason: `${tool}: toolArgs is a string that is not JSON` }, toolName: tool, event };
  const cwd = str(p.cwd) ?? fallbackCwd;
  const session = str(p.sessionId) ?? str(p.session_id);
  const base = { cwd, agent: 'copilot', ...(session ? { session } : {}) };
  return { phase: post ? 'post' : 'pre', mapped: mapNative(tool, parsed.args, base), toolName: tool, event };
}

function deny(reason: string): HookResult {
  // The flat form is Copilot's; the nested Claude form rides along for payloads read from
  // .claude/settings.json. Any non-zero exit denies a preToolUse command hook, so exit 2 too.
  const json = { permissionDecision: 'deny', permissionDecisionReason: reason, hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } };
  return { stdout: JSON.stringify(json), stderr: reason + '\n', exitCode: 2 };
}

export const copilot: AgentAdapter = {
  id: 'copilot',
  read: readCopilot,
  render(d: Decision, o): HookResult {
    if (d.verdict === 'deny') return deny(reasonText(d));
    const answer = (decision: 'allow' | 'ask', reason: string) =>
      JSON.stringify({ permissionDecision: decision, permissionDecisionReason: reason, hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } });
    // Copilot asks in its own prompt (a cloud agent treats ask as deny, which is what ci.ask does too).
    if (d.verdict === 'ask') return { stdout: answer('ask', reasonText(d)), stderr: '', exitCode: 0 };
    if (d.opaque && !o.opaqueAllow) return { stdout: '', stderr: '', exitCode: 0 };
    return { stdout: answer('allow', 'fwguard: every action of this call is understood and allowed by policy'), stderr: '', exitCode: 0 };
  },
  failClosed: (message) => deny(internalReason(message)),
};
