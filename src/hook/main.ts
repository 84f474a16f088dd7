// The hook entry: `fwguard hook <agent>` (bundled to dist/hook.js; bin/run.js imports it without
// loading oclif). One fail-closed boundary: anything that goes wrong exits 2 with a reason.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { evaluateProposalImpl, intentOf, stateDir } from '../engine.js';
import { readSession, updateSession } from '../session/store.js';
import { backup } from '../exec/backup.js';
import { DEFAULT_REGENERABLE } from '../policy/paths.js';

const REGENERABLE_NAMES = new Set(DEFAULT_REGENERABLE);
import { intentTargets, labelsFrom, recordDenial, recordRun, viewOf } from '../session/state.js';
import { failClosed, toHookResult, toProposal, type HookResult } from '../agents/claude-code.js';
import { RANK, type Decision, type Proposal } from '../types.js';
import { appendTrace, defaultTracePath, makeTraceRecord } from '../audit/trace.js';

/** The configured trace path (`~` expanded), else the state dir's trace. */
function tracePath(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  if (!configured) return defaultTracePath(env);
  const home = env.HOME ?? '';
  return configured === '~' || configured.startsWith('~/') ? home + configured.slice(1) : configured;
}

/** PostToolUse: the labels and budget events of a call that ran go into the session state. */
function recordRanCall(p: Proposal, states: string, env: NodeJS.ProcessEnv, toolName: string | undefined): void {
  try {
    const ev = evaluateProposalImpl(p, { env });
    const flow = ev.decision.flow ?? { secretReads: [], budgeted: [] };
    const now = Date.now();
    const labels = labelsFrom(ev.decision, toolName, flow.secretReads, now);
    updateSession(states, p.session!, (s) => recordRun(s, labels, flow.budgeted, now), now, ev.sessionTtlMs);
  } catch (e) {
    process.stderr.write(`fwguard: could not update the session state: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.FWGUARD_CI ?? env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function runHook(agent: string, stdinText: string, env: NodeJS.ProcessEnv = process.env): HookResult {
  const t0 = performance.now();
  if (agent !== 'claude-code') return failClosed(`unknown agent "${agent}" (supported: claude-code)`);
  let payload: unknown;
  try {
    payload = JSON.parse(stdinText);
  } catch {
    return failClosed(stdinText.trim() === '' ? 'the hook got no input on stdin' : 'the hook input is not valid JSON');
  }
  const event = (payload as { hook_event_name?: unknown } | null)?.hook_event_name;
  const mapped = toProposal(payload, process.cwd());
  const home = env.HOME ?? '';
  const states = stateDir(env, home);
  if (event === 'PostToolUse' || event === 'PostToolUseFailure') {
    // The call ran: session memory learns what it did (labels, budget events). Never blocks.
    if (event === 'PostToolUse' && mapped.kind === 'proposal' && mapped.proposal.session) recordRanCall(mapped.proposal, states, env, (payload as { tool_name?: string }).tool_name);
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  if (mapped.kind === 'malformed') return failClosed(mapped.reason);
  if (mapped.kind === 'free') return toHookResult({ verdict: 'allow', opaque: false, reasons: [], actions: [], risk: 'reversible' }, false);
  const sid = mapped.proposal.session;
  const ev = evaluateProposalImpl(mapped.proposal, { env, ci: isCI(env), ...(sid ? { sessionFor: (ttl: number) => viewOf(readSession(states, sid, Date.now(), ttl)) } : {}) });
  const d: Decision = ev.decision;
  if (sid && d.verdict === 'deny' && !ev.configError) {
    try {
      const limits = ev.loop ?? { sameRetries: 3, consecutive: 5 };
      updateSession(states, sid, (s) => recordDenial(s, intentOf(mapped.proposal), intentTargets(d.actions), Date.now(), limits), Date.now(), ev.sessionTtlMs);
    } catch (e) {
      process.stderr.write(`fwguard: could not record the denial in the session state: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  // Bounded undo: copy what git cannot restore before an allowed (or asked) call destroys it.
  let backupId: string | undefined;
  const toBackup = d.flow?.backup ?? [];
  if (toBackup.length && d.verdict !== 'deny' && env.FWGUARD_BACKUP !== '0') {
    try {
      const r = backup(states, toBackup, { ...(sid ? { session: sid } : {}), cwd: mapped.proposal.cwd, command: mapped.proposal.command ?? mapped.proposal.path ?? '' }, (n) => REGENERABLE_NAMES.has(n));
      backupId = r.id;
      // Rules marked `untilBackedUp` (POLICY.md: overwriting an untracked file asks, "allow once
      // fwguard has backed it up") no longer hold with the copy safe.
      if (!r.skipped.length && r.id) {
        d.reasons = d.reasons.filter((x) => !x.untilBackedUp);
        d.verdict = d.reasons.reduce<Decision['verdict']>((v, x) => (RANK[x.verdict] > RANK[v] ? x.verdict : v), 'allow');
      }
      if (r.skipped.length) {
        const why = r.skipped.map((x) => `${x.path}: ${x.why}`).slice(0, 3).join('; ');
        d.reasons.push({ rule: 'undo.no-backup', verdict: 'ask', message: `fwguard could not back up what this call deletes or overwrites (${why}), so it cannot be undone; ask the user.`, source: 'internal' });
        if (d.verdict === 'allow') d.verdict = 'ask';
      }
    } catch (e) {
      d.reasons.push({ rule: 'undo.no-backup', verdict: 'ask', message: `fwguard could not back up what this call deletes or overwrites (${e instanceof Error ? e.message : String(e)}); ask the user.`, source: 'internal' });
      if (d.verdict === 'allow') d.verdict = 'ask';
    }
  }
  try {
    if (env.FWGUARD_TRACE !== '0' && ev.audit?.enabled !== false) {
      appendTrace(
        makeTraceRecord({
          proposal: mapped.proposal,
          verdict: d.verdict,
          opaque: d.opaque,
          actions: d.actions,
          reasons: d.reasons,
          durationMs: performance.now() - t0,
          projectRoot: ev.projectRoot,
          extra: { event: event ?? 'PreToolUse', tool: (payload as { tool_name?: unknown }).tool_name, risk: d.risk, ...(backupId ? { backup: backupId } : {}), ...(ev.configError ? { configError: ev.configError } : {}), ...(ev.notes ? { notes: ev.notes } : {}) },
        }),
        tracePath(ev.audit?.path, env),
      );
    }
  } catch (e) {
    // The decision stands; a trace that cannot be written is reported, not silently dropped.
    process.stderr.write(`fwguard: could not write the decision trace: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  return toHookResult(d, env.FWGUARD_OPAQUE === 'allow');
}

export function main(): void {
  let result: HookResult;
  try {
    const agent = process.argv[process.argv.indexOf('hook') + 1] ?? 'claude-code';
    result = runHook(agent, readFileSync(0, 'utf8'));
  } catch (e) {
    result = failClosed(`unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (result.stdout) process.stdout.write(result.stdout + '\n');
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

// Run when loaded as the hook (dist/hook.js via bin/run.js); not while a snapshot is being built.
if (process.argv.includes('hook') && !process.execArgv.includes('--build-snapshot')) main();
