// OpenAI Codex CLI adapter: Claude-shaped PreToolUse/PostToolUse JSON ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §5 and §12 (measured in Codex 0.169.0): shell calls reach the hook as
// `Bash {command}` (the model's exec_command); apply_patch as raw patch text in tool_input.command.
// A deny blocks as JSON permissionDecision "deny" or exit 2 + stderr; a bare allow and "ask" are
// ignored (the call runs), so an ask is answered as a deny that tells the model to ask the user.
import type { Decision, Proposal } from '../types.js';
import { askAsDenyText, asRecord, internalReason, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { isApplyPatchInvocation, patchToMapped } from './apply-patch.js';
import { claudePhase, toProposal, type HookPayload } from './claude-code.js';

let last: Proposal | undefined;

function deny(reason: string): HookResult {
  const json = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } };
  // Both channels: Codex blocks on the JSON deny and on exit 2 with text on stderr (the stderr text
  // is what the model is shown when both are present).
  return { stdout: JSON.stringify(json), stderr: reason + '\n', exitCode: 2 };
}

export function mapCodex(payload: unknown, fallbackCwd: string): Mapped {
  const p = asRecord(payload) as HookPayload | undefined;
  const input = asRecord(p?.tool_input);
  const command = str(input?.command);
  // `apply_patch <<'EOF' …` through the shell tool is applied by Codex itself, not by a shell:
  // judge the files it changes, not an unknown program.
  if (p && str(p.tool_name) === 'Bash' && command !== undefined && isApplyPatchInvocation(command)) {
    const mapped = toProposal(payload, fallbackCwd, 'codex');
    if (mapped.kind !== 'proposal') return mapped;
    const { kind: _k, command: _c, tool: _t, ...base } = mapped.proposal;
    return patchToMapped(command, base, 'apply_patch');
  }
  return toProposal(payload, fallbackCwd, 'codex');
}

export const codex: AgentAdapter = {
  id: 'codex',
  read(payload, fallbackCwd): HookInput {
    const p = (asRecord(payload) ?? {}) as HookPayload;
    const event = str(p.hook_event_name);
    const mapped = mapCodex(payload, fallbackCwd);
    last = mapped.kind === 'proposal' ? mapped.proposal : undefined;
    return { phase: claudePhase(event), mapped, ...(str(p.tool_name) ? { toolName: str(p.tool_name)! } : {}), event: event ?? 'PreToolUse' };
  },
  render(d: Decision, o): HookResult {
    if (d.verdict === 'deny') return deny(reasonText(d));
    if (d.verdict === 'ask') return deny(askAsDenyText(d, o.proposal ?? last, 'Codex'));
    // Codex rejects a bare allow as unsupported: an allow is no output at all.
    return { stdout: '', stderr: '', exitCode: 0 };
  },
  failClosed: (message) => deny(internalReason(message)),
};
