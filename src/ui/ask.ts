// Asking a person about an `ask` verdict: the one prompt API for every front end (`fwguard exec`,
// the `fwguard run` broker, `fwguard approve`). Kept tiny: Ink and React are loaded only when a
// prompt is actually shown (`await import('./prompt.js')`), never on import.
import ciInfo from 'ci-info';
import { isCI } from '../core/decide.js';
import { stateDir } from '../engine.js';
import { updateSession, readSession } from '../session/store.js';
import { recordAllowance } from '../session/state.js';
import type { Decision, Proposal } from '../types.js';
import type { DryRunResult } from '../exec/dryrun.js';
import { appendUserRules, proposeAlwaysRule, proposeSessionAllowance, userConfigFile, type SessionAllowance } from './approval.js';

export type { SessionAllowance } from './approval.js';

export interface AskRequest {
  proposal: Proposal;
  decision: Decision;
  projectRoot: string;
  /** Session memory to show: taint labels and budget use ("file.delete 12/100 per 1h"). */
  session?: { labels?: string[]; budgets?: string[] };
  /** Already run (a rule says dryRunFirst): the prompt opens with it. */
  dryRun?: DryRunResult;
  /** The undo backup decide() took before this call (`fwguard undo <id>` restores it). */
  backupId?: string;
}

export type AskAnswer =
  | { kind: 'allow-once' }
  | { kind: 'allow-session'; pattern: SessionAllowance }
  | { kind: 'allow-always'; rule: string /* id of the rule written to the user config */ }
  | { kind: 'deny'; message?: string; timedOut?: boolean };

export interface AskOptions {
  /** Default 120000; then the answer is deny (timedOut). */
  timeoutMs?: number;
  stdin?: NodeJS.ReadStream;
  /** Where the prompt is drawn (a terminal). */
  stdout?: NodeJS.WriteStream;
  /** Run the dry run for `d` (default: src/exec/dryrun.ts on the proposal). */
  dryRun?: () => Promise<DryRunResult>;
  /** For the state dir (session allowances) and the user config dir. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

const inkInCi = (e: NodeJS.ProcessEnv) => ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => k in e && e[k] !== '0' && e[k] !== 'false');

/** Can a person answer here? Never under CI (ci-info, CI, FWGUARD_CI, --ci), never without a terminal on both ends. */
export function canPrompt(env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream | undefined, stdout: NodeJS.WriteStream | undefined, opts: { ci?: boolean } = {}): boolean {
  if (opts.ci || isCI(env)) return false;
  if (env === process.env && ciInfo.isCI) return false;
  // Ink draws nothing until exit when this process has CI / CONTINUOUS_INTEGRATION set (is-in-ci,
  // read once from process.env): a person would face a blank screen until the timeout denied.
  if (inkInCi(process.env)) return false;
  if (env.TERM === 'dumb') return false;
  return stdin?.isTTY === true && stdout?.isTTY === true && typeof stdin.setRawMode === 'function';
}

/**
 * Show the approval prompt and wait for the person's answer. `s` and `a` are persisted here
 * before the answer is returned (the allowance in session memory, the rule in the user config);
 * when that fails the answer is deny with the reason — never a silent allow.
 */
export async function askPerson(req: AskRequest, opts: AskOptions = {}): Promise<AskAnswer> {
  const env = opts.env ?? process.env;
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  if (!canPrompt(env, stdin, stdout)) return { kind: 'deny', message: 'nobody can answer a prompt here (no terminal, or CI)' };
  const runDry =
    opts.dryRun ??
    (async () => {
      const { dryRun } = await import('../exec/dryrun.js');
      return dryRun(req.proposal, req.proposal.cwd, { env, decision: req.decision });
    });
  let first = req.dryRun;
  if (!first && req.decision.reasons.some((r) => r.dryRunFirst && r.verdict === 'ask')) {
    try {
      first = await runDry();
    } catch (e) {
      first = { items: [], summary: `the dry run failed: ${e instanceof Error ? e.message : String(e)}`, complete: false };
    }
  }
  const sessionOffer = req.proposal.session ? proposeSessionAllowance(req.decision, req.projectRoot) : { unavailable: 'no session id (set FWGUARD_SESSION to allow for a session)' };
  const alwaysOffer = proposeAlwaysRule(req.decision, req.projectRoot);
  let showPrompt: typeof import('./prompt.js').showPrompt;
  try {
    ({ showPrompt } = await import('./prompt.js'));
  } catch (e) {
    return { kind: 'deny', message: `the approval prompt could not be loaded (${e instanceof Error ? e.message : String(e)})` };
  }
  const answer = await showPrompt({
    req,
    ...(first ? { dryRun: first } : {}),
    sessionOffer,
    alwaysOffer,
    alwaysFile: userConfigFile(env).file,
    timeoutMs: opts.timeoutMs ?? 120_000,
    stdin,
    stdout,
    runDry,
    persist: async (a) => persist(a, req, env),
  });
  return answer;
}

/** Store `s` / `a`; throws with a reason a person can act on. */
function persist(a: AskAnswer, req: AskRequest, env: NodeJS.ProcessEnv): AskAnswer {
  if (a.kind === 'allow-session') {
    const sid = req.proposal.session;
    if (!sid) throw new Error('no session id to remember the allowance in');
    const dir = stateDir(env, env.HOME ?? '');
    const now = Date.now();
    updateSession(dir, sid, (s) => a.pattern.entries.reduce((acc, e) => recordAllowance(acc, e, now), s), now);
    if (!readSession(dir, sid, now)?.allowances?.length) throw new Error('the allowance was not stored');
    return a;
  }
  if (a.kind === 'allow-always') {
    const offer = proposeAlwaysRule(req.decision, req.projectRoot);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    appendUserRules(env, offer.rules);
    return { kind: 'allow-always', rule: offer.rules.map((r) => r.id).join(', ') };
  }
  return a;
}
