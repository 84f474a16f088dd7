// OpenAI Codex CLI adapter: Claude-shaped PreToolUse/PostToolUse JSON ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §5 and §12 (measured in Codex 0.169.0): shell calls reach the hook as
// `Bash {command}` (the model's exec_command); apply_patch as raw patch text in tool_input.command.
// A deny blocks as JSON permissionDecision "deny" or exit 2 + stderr; a bare allow and "ask" are
// ignored (the call runs), so an ask is answered as a deny that tells the model to ask the user.
import type { Decision } from '../types.js';
import { askAsDenyText, asRecord, internalReason, proposalOf, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { isApplyPatchInvocation, patchToMapped } from './apply-patch.js';
import { quoteAlways } from '../util/quote.js';
import { claudePhase, toProposal, type HookPayload } from './claude-code.js';


function deny(reason: string): HookResult {
  const json = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } };
  // Both channels: Codex blocks on the JSON deny and on exit 2 with text on stderr (the stderr text
  // is what the model is shown when both are present).
  return { stdout: JSON.stringify(json), stderr: reason + '\n', exitCode: 2 };
}

/** Codex's own shell tool names, should a version hand them to the hook instead of `Bash`. */
const SHELL_TOOLS = new Set(['shell', 'local_shell', 'shell_command', 'exec_command', 'container.exec']);

/** The command line of a shell call: {command: "…"}, {cmd: "…"} or an argv array quoted back into a line. */
function commandLine(input: Record<string, unknown> | undefined): string | undefined {
  const raw = input?.command ?? input?.cmd;
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw) && raw.length && raw.every((w) => typeof w === 'string')) return (raw as string[]).map(quoteAlways).join(' ');
  return undefined;
}

export function mapCodex(payload: unknown, fallbackCwd: string): Mapped {
  const p = asRecord(payload) as HookPayload | undefined;
  const tool = str(p?.tool_name);
  if (!p || !tool || (tool !== 'Bash' && !SHELL_TOOLS.has(tool))) return toProposal(payload, fallbackCwd, 'codex');
  const command = commandLine(asRecord(p.tool_input));
  const mapped = toProposal({ ...p, tool_name: 'Bash', tool_input: command !== undefined ? { command } : {} }, fallbackCwd, 'codex');
  if (mapped.kind !== 'proposal') return mapped;
  const { kind: _kind, command: _command, tool: _tool, ...base } = mapped.proposal;
  // `apply_patch <<'EOF' …` through the shell tool is applied by Codex itself, not by a shell:
  // judge the files it changes, not an unknown program.
  if (command !== undefined && isApplyPatchInvocation(command)) return patchToMapped(command, base, 'apply_patch');
  return { kind: 'proposal', proposal: { ...mapped.proposal, tool } };
}

export const codex: AgentAdapter = {
  id: 'codex',
  read(payload, fallbackCwd): HookInput {
    const p = (asRecord(payload) ?? {}) as HookPayload;
    const event = str(p.hook_event_name);
    const mapped = mapCodex(payload, fallbackCwd);
    return { phase: claudePhase(event), mapped, ...(str(p.tool_name) ? { toolName: str(p.tool_name)! } : {}), event: event ?? 'PreToolUse' };
  },
  render(d: Decision, o): HookResult {
    if (d.verdict === 'deny') return deny(reasonText(d));
    if (d.verdict === 'ask') return deny(askAsDenyText(d, proposalOf(o), 'Codex'));
    // Codex rejects a bare allow as unsupported: an allow is no output at all.
    return { stdout: '', stderr: '', exitCode: 0 };
  },
  failClosed: (message) => deny(internalReason(message)),
};
