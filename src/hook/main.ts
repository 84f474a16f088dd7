// The hook entry: `fwguard hook <agent>` (bundled to dist/hook.js; bin/run.js imports it without
// loading oclif). One fail-closed boundary: anything that goes wrong exits 2 with a reason.
//
// Under `fwguard run` (env FWGUARD_BROKER names the run's socket) the decision is asked of the
// run's broker, which has the policy loaded already; when no broker answers within a short
// deadline the hook decides alone exactly as without `fwguard run` (still fail closed).
// `fwguard hook --shell <shim|prefix> <command>` is the decision step of the shell shims
// (bin/shims): exit 0 = run it, 126 = refused (reason on stderr).
import { readFileSync } from 'node:fs';
import { ADAPTERS, AGENT_IDS } from '../agents/index.js';
import { universalDeny, type AgentAdapter, type HookInput, type HookResult } from '../agents/adapter.js';
import { shellOutcome } from '../broker/shell.js';
import { decide, isCI, recordRan, type Env } from '../core/decide.js';
import { askBroker } from '../broker/client.js';
import { DEFAULT_DEADLINE_MS, ENV, type Front } from '../broker/protocol.js';
import type { Decision, Proposal } from '../types.js';
import { quoteWord } from '../util/quote.js';

export type { HookResult } from '../agents/adapter.js';

const FREE: Decision = { verdict: 'allow', opaque: false, reasons: [], actions: [], risk: 'reversible' };

type Prepared = { done: HookResult } | { adapter: AgentAdapter; input: HookInput; proposal?: Proposal; ci: boolean; opaqueAllow: boolean };

/** Parse and map the payload; `done` when no decision is needed (or the input is unusable). */
function prepare(agent: string, stdinText: string, env: Env): Prepared {
  const adapter = ADAPTERS[agent];
  // An unknown agent id: answer in the one deny form every command-hook agent honours (exit 2 +
  // stderr + a top-level {"decision":"block"}; see universalDeny).
  if (!adapter) return { done: universalDeny(`unknown agent "${agent}" (supported: ${AGENT_IDS.join(', ')})`) };
  let payload: unknown;
  try {
    payload = JSON.parse(stdinText);
  } catch {
    return { done: adapter.failClosed(stdinText.trim() === '' ? 'the hook got no input on stdin' : 'the hook input is not valid JSON') };
  }
  const input = adapter.read(payload, process.cwd());
  const { mapped } = input;
  if (input.phase === 'ignore') return { done: { stdout: '', stderr: '', exitCode: 0 } };
  const ci = isCI(env);
  const opts = { adapter, input, ci, opaqueAllow: env.FWGUARD_OPAQUE === 'allow' };
  if (input.phase === 'post') return mapped.kind === 'proposal' ? { ...opts, proposal: mapped.proposal } : { done: { stdout: '', stderr: '', exitCode: 0 } };
  if (mapped.kind === 'malformed') return { done: adapter.failClosed(mapped.reason) };
  if (mapped.kind === 'free') return { done: adapter.render(FREE, { opaqueAllow: opts.opaqueAllow, ci, input }) };
  return { ...opts, proposal: mapped.proposal };
}

export function runHook(agent: string, stdinText: string, env: NodeJS.ProcessEnv = process.env): HookResult {
  const prep = prepare(agent, stdinText, env);
  if ('done' in prep) return prep.done;
  const { input, proposal } = prep;
  if (input.phase === 'post') {
    // The call ran: session memory learns what it did (labels, budget events). Never blocks.
    if (proposal) recordRan(proposal, input.toolName, { env });
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  return decideHere(prep, proposal!, env);
}

/** Decide in this process (no broker, or none answered) and answer in the agent's protocol. */
function decideHere(prep: Exclude<Prepared, { done: HookResult }>, p: Proposal, env: Env, traceExtra: Record<string, unknown> = {}): HookResult {
  const { adapter, input } = prep;
  const { decision } = decide(p, { env, ci: prep.ci, traceExtra: { event: input.event ?? 'PreToolUse', tool: input.toolName, agent: adapter.id, ...traceExtra } });
  return adapter.render(decision, { opaqueAllow: prep.opaqueAllow, ci: prep.ci, input });
}

function deadline(env: Env): number {
  const n = Number(env[ENV.deadline]);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_DEADLINE_MS;
}

/** The hook under `fwguard run`: the broker decides; no answer in time → decide alone. */
export async function runHookViaBroker(agent: string, stdinText: string, env: NodeJS.ProcessEnv = process.env): Promise<HookResult> {
  const socket = env[ENV.socket];
  if (!socket) return runHook(agent, stdinText, env);
  const prep = prepare(agent, stdinText, env);
  if ('done' in prep) return prep.done;
  const { adapter, input, proposal } = prep;
  const token = env[ENV.token] ?? '';
  const p = proposal!;
  if (input.phase === 'post') {
    const r = await askBroker(socket, token, { type: 'ran', proposal: p, ...(input.toolName ? { tool: input.toolName } : {}) }, { deadlineMs: deadline(env) });
    if (r.kind !== 'answer') recordRan(p, input.toolName, { env });
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  const r = await askBroker(socket, token, { type: 'decide', proposal: p, front: 'hook', event: input.event ?? 'PreToolUse', ...(input.toolName ? { tool: input.toolName } : {}) }, { deadlineMs: deadline(env) });
  if (r.kind === 'failed') return adapter.failClosed(r.why);
  if (r.kind === 'answer' && r.response.type === 'decision') return adapter.render(r.response.decision, { opaqueAllow: prep.opaqueAllow, ci: prep.ci, input });
  return decideHere(prep, p, env, { broker: 'unavailable' });
}


/** What a shell shim or Claude Code's shell prefix does with a command line: 0 run it, 126 refuse. */
export async function runShellDecision(front: Front, words: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ exitCode: 0 | 126; stderr: string }> {
  const command = words.length === 1 ? words[0]! : words.map(quoteWord).join(' '); // the prefix may get the invocation as argv
  const session = env[ENV.session];
  const p: Proposal = { kind: 'shell', command, cwd: process.cwd(), agent: env[ENV.agent] || 'shell', ...(session ? { session } : {}) };
  let d: Decision | undefined;
  const socket = env[ENV.socket];
  if (socket) {
    const r = await askBroker(socket, env[ENV.token] ?? '', { type: 'decide', proposal: p, front }, { deadlineMs: deadline(env) });
    if (r.kind === 'failed') return { exitCode: 126, stderr: `fwguard: blocked: ${r.why}; the command was not run.\n` };
    if (r.kind === 'answer' && r.response.type === 'decision') d = r.response.decision;
  }
  // The prefix only enforces denies (the hook resolved any ask, CI included): never CI there.
  d ??= decide(p, { env, ci: front !== 'prefix' && isCI(env), traceExtra: { event: 'shell', front, ...(socket ? { broker: 'unavailable' } : {}) } }).decision;
  const out = shellOutcome(front, d);
  return { exitCode: out.exitCode, stderr: out.stderr ? out.stderr + '\n' : '' };
}

export async function main(): Promise<void> {
  const at = process.argv.indexOf('hook');
  const agent = process.argv[at + 1] ?? 'claude-code';
  if (agent === '--shell') {
    const front = process.argv[at + 2] === 'prefix' ? 'prefix' : 'shim';
    let out: { exitCode: number; stderr: string };
    try {
      out = await runShellDecision(front, process.argv.slice(at + 3));
    } catch (e) {
      out = { exitCode: 126, stderr: `fwguard: blocked: unexpected error (${e instanceof Error ? e.message : String(e)}); the command was not run.\n` };
    }
    if (out.stderr) process.stderr.write(out.stderr);
    process.exitCode = out.exitCode;
    return;
  }
  let result: HookResult;
  try {
    const stdin = readFileSync(0, 'utf8');
    result = process.env[ENV.socket] ? await runHookViaBroker(agent, stdin) : runHook(agent, stdin);
  } catch (e) {
    const message = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    result = (ADAPTERS[agent] ?? { failClosed: universalDeny }).failClosed(message);
  }
  if (result.stdout) process.stdout.write(result.stdout + '\n');
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

// Run when loaded as the hook (dist/hook.js via bin/run.js); not while a snapshot is being built.
if (process.argv.includes('hook') && !process.execArgv.includes('--build-snapshot')) void main();
