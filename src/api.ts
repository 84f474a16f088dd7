// The engine's public face, used by the hook entry, the oclif commands and the tests.
import type { Decision, ShellAnalysis } from './types.js';

export interface EvaluateOptions {
  /** Defaults to os.homedir() / $HOME. */
  home?: string;
  /** Environment used to resolve $VARS and CI detection; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Non-interactive: `ask` resolves per `ci.ask` (default deny). */
  ci?: boolean;
  /** Use this policy instead of loading config (rule examples are judged against the caller's policy). */
  policyOverride?: import('./policy/evaluate.js').PolicyConfig;
  /** Session memory for this proposal's session (the hook reads it from the state dir). */
  session?: import('./session/state.js').SessionView;
  /** Or: produce the session view once the policy (and its session.ttl) is known. */
  sessionFor?: (ttlMs: number) => import('./session/state.js').SessionView;
  /** Keep loaded policies here between calls (long-lived callers); see engine.ts cachedPolicy. */
  policyCache?: Map<string, import('./engine.js').PolicyCacheEntry>;
}

export interface Evaluation {
  decision: Decision;
  /** For shell proposals: the simple commands found. */
  analysis?: ShellAnalysis;
  projectRoot: string;
  /** Config files that were loaded, lowest tier first. */
  configFiles: string[];
  /** A config error, when there was one (the decision is then deny). */
  configError?: string;
  /** The trace settings of the policy that decided (absent on a config error: trace by default). */
  audit?: { path?: string; enabled: boolean };
  /** Config entries that were ignored (an untrusted project config may only tighten). */
  notes?: string[];
  /** How long session memory lasts under the policy that decided. */
  sessionTtlMs?: number;
  /** The loop-breaker limits of the policy that decided. */
  loop?: { sameRetries: number; consecutive: number };
  durationMs: number;
}

export interface RuleInfo {
  id: string;
  verdict: 'allow' | 'ask' | 'deny' | 'off';
  source: string;
  message: string;
  when: unknown;
}

export interface ExampleResult {
  rule: string;
  source: string;
  command: string;
  expected: 'match' | 'noMatch';
  ok: boolean;
  detail?: string;
}

export { evaluateProposalImpl as evaluateProposal } from './engine.js';
export { listRules, runExamples } from './policy/examples.js';
