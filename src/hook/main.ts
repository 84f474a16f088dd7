// The hook entry: `fwguard hook <agent>` (bundled to dist/hook.js; bin/run.js imports it without
// loading oclif). One fail-closed boundary: anything that goes wrong exits 2 with a reason.
import { readFileSync } from 'node:fs';
import { ADAPTERS, AGENT_IDS } from '../agents/index.js';
import { failClosed as claudeFailClosed } from '../agents/claude-code.js';
import type { HookResult } from '../agents/adapter.js';
import { decide, isCI, recordRan } from '../core/decide.js';

export type { HookResult } from '../agents/adapter.js';

export function runHook(agent: string, stdinText: string, env: NodeJS.ProcessEnv = process.env): HookResult {
  const adapter = ADAPTERS[agent];
  // An unknown agent id: answer in the one deny form every command-hook agent honours (exit 2 +
  // stderr; Claude-style JSON on stdout).
  if (!adapter) return claudeFailClosed(`unknown agent "${agent}" (supported: ${AGENT_IDS.join(', ')})`);
  let payload: unknown;
  try {
    payload = JSON.parse(stdinText);
  } catch {
    return adapter.failClosed(stdinText.trim() === '' ? 'the hook got no input on stdin' : 'the hook input is not valid JSON');
  }
  const input = adapter.read(payload, process.cwd());
  const { mapped } = input;
  if (input.phase === 'ignore') return { stdout: '', stderr: '', exitCode: 0 };
  if (input.phase === 'post') {
    // The call ran: session memory learns what it did (labels, budget events). Never blocks.
    if (mapped.kind === 'proposal') recordRan(mapped.proposal, input.toolName, { env });
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  if (mapped.kind === 'malformed') return adapter.failClosed(mapped.reason);
  const ci = isCI(env);
  const opts = { opaqueAllow: env.FWGUARD_OPAQUE === 'allow', ci };
  if (mapped.kind === 'free') return adapter.render({ verdict: 'allow', opaque: false, reasons: [], actions: [], risk: 'reversible' }, opts);
  const { decision } = decide(mapped.proposal, { env, ci, traceExtra: { event: input.event ?? 'PreToolUse', tool: input.toolName, agent: adapter.id } });
  return adapter.render(decision, opts);
}

export function main(): void {
  let result: HookResult;
  const agent = process.argv[process.argv.indexOf('hook') + 1] ?? 'claude-code';
  try {
    result = runHook(agent, readFileSync(0, 'utf8'));
  } catch (e) {
    const message = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    result = (ADAPTERS[agent] ?? { failClosed: claudeFailClosed }).failClosed(message);
  }
  if (result.stdout) process.stdout.write(result.stdout + '\n');
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

// Run when loaded as the hook (dist/hook.js via bin/run.js); not while a snapshot is being built.
if (process.argv.includes('hook') && !process.execArgv.includes('--build-snapshot')) main();
