// One decision path for every front end (agent hooks, `fwguard exec`, the `fwguard run` broker):
// proposal → evaluation (policy, session view) → loop-breaker memory → bounded undo → trace.
// Nothing here talks to an agent or a terminal; callers render the Decision their own way.
// Kept free of heavy imports: it is part of the hook bundle.
import { performance } from 'node:perf_hooks';
import { evaluateProposalImpl, intentOf, stateDir } from '../engine.js';
import { readSession, updateSession } from '../session/store.js';
import { backup } from '../exec/backup.js';
import { DEFAULT_REGENERABLE } from '../policy/paths.js';
import { intentTargets, labelsFrom, recordDenial, recordRun, viewOf } from '../session/state.js';
import { RANK, type Decision, type Proposal } from '../types.js';
import type { Evaluation, EvaluateOptions } from '../api.js';
import { appendTrace, defaultTracePath, makeTraceRecord } from '../audit/trace.js';

const REGENERABLE_NAMES = new Set(DEFAULT_REGENERABLE);

export type Env = NodeJS.ProcessEnv;

/** CI / non-interactive mode from the environment (`FWGUARD_CI` wins over `CI`). */
export function isCI(env: Env): boolean {
  const v = env.FWGUARD_CI ?? env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The configured trace path (`~` expanded), else the state dir's trace. */
export function tracePath(configured: string | undefined, env: Env): string {
  if (!configured) return defaultTracePath(env);
  const home = env.HOME ?? '';
  return configured === '~' || configured.startsWith('~/') ? home + configured.slice(1) : configured;
}

export interface DecideOptions {
  env?: Env;
  /** Non-interactive: ask resolves per `ci.ask`. Default: isCI(env). */
  ci?: boolean;
  /** Extra fields for the trace record (event, tool, front end, …). */
  traceExtra?: Record<string, unknown>;
  /** Long-lived callers (the broker) keep loaded policies here. */
  policyCache?: EvaluateOptions['policyCache'];
  /** Take backups before destructive allowed/asked calls (default: unless FWGUARD_BACKUP=0). */
  backup?: boolean;
  /** Write the trace record (default: unless FWGUARD_TRACE=0 or audit.enabled is false). */
  trace?: boolean;
  /** Called with stderr-worthy warnings (state or trace could not be written). Default: process.stderr. */
  warn?: (message: string) => void;
}

export interface Decided {
  decision: Decision;
  evaluation: Evaluation;
  /** The backup taken before the call, when there was one (`fwguard undo <id>`). */
  backupId?: string;
  durationMs: number;
}

const defaultWarn = (m: string) => {
  process.stderr.write(`fwguard: ${m}\n`);
};

/** Decide one proposal with every side effect the decision path owns (session, undo, trace). */
export function decide(p: Proposal, opts: DecideOptions = {}): Decided {
  const t0 = performance.now();
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? defaultWarn;
  const home = env.HOME ?? '';
  const states = stateDir(env, home);
  const sid = p.session;
  const ev = evaluateProposalImpl(p, {
    env,
    ci: opts.ci ?? isCI(env),
    ...(opts.policyCache ? { policyCache: opts.policyCache } : {}),
    ...(sid ? { sessionFor: (ttl: number) => viewOf(readSession(states, sid, Date.now(), ttl)) } : {}),
  });
  const d: Decision = ev.decision;
  if (sid && d.verdict === 'deny' && !ev.configError) {
    try {
      const limits = ev.loop ?? { sameRetries: 3, consecutive: 5 };
      updateSession(states, sid, (s) => recordDenial(s, intentOf(p), intentTargets(d.actions), Date.now(), limits), Date.now(), ev.sessionTtlMs);
    } catch (e) {
      warn(`could not record the denial in the session state: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // Bounded undo: copy what git cannot restore before an allowed (or asked) call destroys it.
  let backupId: string | undefined;
  const toBackup = d.flow?.backup ?? [];
  if (toBackup.length && d.verdict !== 'deny' && (opts.backup ?? env.FWGUARD_BACKUP !== '0')) {
    try {
      const r = backup(states, toBackup, { ...(sid ? { session: sid } : {}), cwd: p.cwd, command: p.command ?? p.path ?? '' }, (n) => REGENERABLE_NAMES.has(n));
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
  if (opts.trace ?? (env.FWGUARD_TRACE !== '0' && ev.audit?.enabled !== false)) {
    try {
      appendTrace(
        makeTraceRecord({
          proposal: p,
          verdict: d.verdict,
          opaque: d.opaque,
          actions: d.actions,
          reasons: d.reasons,
          durationMs: performance.now() - t0,
          projectRoot: ev.projectRoot,
          extra: { ...opts.traceExtra, risk: d.risk, ...(backupId ? { backup: backupId } : {}), ...(ev.configError ? { configError: ev.configError } : {}), ...(ev.notes ? { notes: ev.notes } : {}) },
        }),
        tracePath(ev.audit?.path, env),
      );
    } catch (e) {
      // The decision stands; a trace that cannot be written is reported, not silently dropped.
      warn(`could not write the decision trace: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { decision: d, evaluation: ev, ...(backupId ? { backupId } : {}), durationMs: performance.now() - t0 };
}

/**
 * A person's answer to an ask, written to the trace beside the ask it answers, under the same trace
 * settings (audit.path, audit.enabled, FWGUARD_TRACE) as the decision. Never throws.
 */
export function traceAnswer(p: Proposal, d: Decision, verdict: Decision['verdict'], evaluation: Evaluation, extra: Record<string, unknown>, opts: { env?: Env; warn?: (m: string) => void } = {}): void {
  const env = opts.env ?? process.env;
  if (env.FWGUARD_TRACE === '0' || evaluation.audit?.enabled === false) return;
  try {
    appendTrace(
      makeTraceRecord({ proposal: p, verdict, opaque: d.opaque, actions: d.actions, reasons: d.reasons, durationMs: 0, projectRoot: evaluation.projectRoot, extra }),
      tracePath(evaluation.audit?.path, env),
    );
  } catch (e) {
    (opts.warn ?? defaultWarn)(`could not write the person's answer to the decision trace: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A call ran (PostToolUse or after `fwguard exec`): session memory learns its labels and budget events. Never throws. */
export function recordRan(p: Proposal, toolName: string | undefined, opts: { env?: Env; warn?: (m: string) => void } = {}): void {
  if (!p.session) return;
  const env = opts.env ?? process.env;
  try {
    const ev = evaluateProposalImpl(p, { env });
    const flow = ev.decision.flow ?? { secretReads: [], budgeted: [] };
    const now = Date.now();
    const labels = labelsFrom(ev.decision, toolName, flow.secretReads, now);
    updateSession(stateDir(env, env.HOME ?? ''), p.session, (s) => recordRun(s, labels, flow.budgeted, now), now, ev.sessionTtlMs);
  } catch (e) {
    (opts.warn ?? defaultWarn)(`could not update the session state: ${e instanceof Error ? e.message : String(e)}`);
  }
}
