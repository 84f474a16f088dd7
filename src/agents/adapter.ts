// The contract every agent adapter (src/agents/<id>.ts) fulfils. An adapter is thin: it maps the
// agent's hook payload to a Proposal and renders a Decision in the agent's own protocol
// (AGENTS-PROTOCOLS.md; POLICY.md "How a verdict reaches the agent"). It never decides anything.
import type { Decision, Proposal } from '../types.js';

export type Mapped = { kind: 'proposal'; proposal: Proposal } | { kind: 'free' } | { kind: 'malformed'; reason: string };

/** What the hook process prints and how it exits. Exit codes are only ever 0 or 2. */
export interface HookResult {
  stdout: string;
  stderr: string;
  exitCode: 0 | 2;
}

export interface HookInput {
  /** pre: decide before the tool runs; post: the tool ran (session memory); ignore: no-op, no output. */
  phase: 'pre' | 'post' | 'ignore';
  mapped: Mapped;
  /** The agent's own tool name, for the trace and session labels. */
  toolName?: string;
  /** The agent's event name, for the trace. */
  event?: string;
}

export interface RenderOptions {
  /** The user opted in to explicit allows for opaque code (FWGUARD_OPAQUE=allow). */
  opaqueAllow: boolean;
  /** Non-interactive run (CI, or a headless agent that cannot ask). */
  ci: boolean;
  /** What read() made of the call this answers (adapters that turn ask into deny name its command and event). */
  input: HookInput;
}

/** The proposal a render answers, when read() mapped one. */
export function proposalOf(o: RenderOptions): Proposal | undefined {
  return o.input.mapped.kind === 'proposal' ? o.input.mapped.proposal : undefined;
}

export interface AgentAdapter {
  /** The id used by `fwguard hook <id>` and `fwguard init --agent <id>`. */
  id: string;
  /** Map one parsed hook payload. Anything that matches no known shape → phase pre, malformed. */
  read(payload: unknown, fallbackCwd: string): HookInput;
  /** Decision → the agent's protocol. */
  render(d: Decision, opts: RenderOptions): HookResult;
  /** An error on the decision path → a deny the agent honours. */
  failClosed(message: string): HookResult;
}

export function internalReason(message: string): string {
  return `[fwguard internal.error] ${message}; the call is blocked so nothing runs unchecked. Run \`fwguard doctor\`.`;
}

/** What the user would be asked to approve: the command line, or the tool and what it names. */
export function describeProposal(p: Proposal | undefined): string | undefined {
  if (!p) return undefined;
  const one = (s: string) => (s.length > 500 ? s.slice(0, 500) + '…' : s);
  if (p.kind === 'shell' && p.command) return one(p.command);
  const what = p.path ?? p.url;
  if (what) return one(`${p.tool ?? p.kind} ${what}`);
  return p.tool ? one(`${p.tool} ${JSON.stringify(p.input ?? {})}`) : undefined;
}

/**
 * For agents that cannot ask from a hook (Gemini headless hangs, Codex ignores ask, OpenCode's
 * plugin can only throw): the ask becomes a deny whose reason tells the model to ask the user,
 * with the exact call to propose.
 */
export function askAsDenyText(d: Decision, p: Proposal | undefined, agent: string): string {
  const what = describeProposal(p);
  return (
    `${reasonText(d)} This needs the user's approval, and ${agent} cannot ask from a hook, so fwguard blocked it. ` +
    `Do not retry or work around it: stop and ask the user whether to run it${what ? `, proposing exactly: ${what}` : ''}. ` +
    `If they agree, they can run it themselves or allow it in their fwguard config.`
  );
}

/** A plain JSON object, or undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The reasons of the deciding verdict, as one line for the model. */
export function reasonText(d: Decision): string {
  // An ask that ci.ask turned into a deny: the model also needs the reason it was an ask.
  const ciAsk = d.verdict !== 'ask' && d.reasons.some((r) => r.rule === 'ci.ask');
  const shown = d.reasons.filter((r) => r.verdict === d.verdict || (ciAsk && r.verdict === 'ask'));
  const list = (shown.length ? shown : d.reasons).slice(0, 4);
  return list.map((r) => `[fwguard ${r.rule}] ${r.message}`).join(' ') || 'fwguard';
}

/**
 * A deny for a caller whose protocol fwguard does not know (an unknown `fwguard hook <id>`):
 * stdout `{"decision":"block","reason":R}`, R on stderr, exit 2. Measured in the real clients
 * (AGENTS-PROTOCOLS.md §12), this one form blocks in Claude Code, Gemini CLI and Codex alike;
 * Claude-style hookSpecificOutput alone would let Gemini run the call.
 */
export function universalDeny(message: string): HookResult {
  const reason = internalReason(message);
  return { stdout: JSON.stringify({ decision: 'block', reason }), stderr: reason + '\n', exitCode: 2 };
}
