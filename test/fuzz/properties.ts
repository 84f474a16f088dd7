// The fuzzing properties, written once against an abstract pipeline so the same code runs in
// vitest (test/fuzz/properties.test.ts, against src/) and in `npm run fuzz` (scripts/fuzz.mjs,
// bundled on the fly, against dist/). A property failure is an Error whose message says which
// invariant broke and with what verdicts; fast-check shrinks the input before reporting it.
import fc from 'fast-check';
import type { Decision } from '../../src/types.js';
import {
  anyLineArb,
  catastropheArb,
  lineFragArb,
  listArb,
  mutatedSeedArb,
  placementArb,
  prefixPlacementArb,
  programLedList,
  render,
  RM_FLAGS,
  RM_NAMES,
  RM_TARGETS,
  seedArb,
  WRAPPINGS,
  type Catastrophe,
  type Frag,
  type Placement,
  type Wrapping,
} from './grammar.js';

/** What the agent sees: allow (explicit), none (allowed but opaque: no opinion), ask, deny. */
export type Outcome = 'allow' | 'none' | 'ask' | 'deny';
/** Strictness: an explicit allow makes the agent skip its own prompt, so it is looser than none. */
export const RANK: Record<Outcome, number> = { allow: 0, none: 1, ask: 2, deny: 3 };
const VERDICT_RANK = { allow: 0, ask: 1, deny: 2 } as const;

export function outcomeOf(d: Decision): Outcome {
  return d.verdict === 'allow' && d.opaque ? 'none' : d.verdict;
}

export interface Pipeline {
  /** The whole decision path for a shell proposal in the sandbox project (never throws, or it is a bug). */
  decide(command: string): Decision;
  /** The Claude Code hook, in-process: stdin text in, stdout/stderr/exit code out. */
  hook(stdinText: string): { stdout: string; stderr: string; exitCode: number };
  /** The sandbox project (the payload's cwd). */
  readonly project: string;
}

// ---------------------------------------------------------------------------------------------
// Known failures: counterexamples already recorded as (skipped) regression tests in
// test/fuzz/found.test.ts. A violation that matches one is counted, not thrown, so the properties
// keep exploring everything else. Remove the entry when its regression test is un-skipped.

export interface KnownIssue {
  /** The name of its regression test in test/fuzz/found.test.ts. */
  id: string;
  matches: (v: Violation) => boolean;
}
export type Violation =
  | { kind: 'planting'; p: Catastrophe; placement: string; line: string; got: Outcome }
  | { kind: 'wrapping'; wrapping: string; plain: string; wrapped: string; from: Outcome; to: Outcome }
  | { kind: 'spelling'; a: string; b: string; target: string; oa: Outcome; ob: Outcome };

// Every issue the fuzzer found so far is fixed (test/fuzz/found.test.ts); add new ones here while open.
export const KNOWN_ISSUES: KnownIssue[] = [];

/** How often each known issue was hit (reported by `npm run fuzz`). */
export const knownHits = new Map<string, number>();

function known(v: Violation): boolean {
  const k = KNOWN_ISSUES.find((i) => i.matches(v));
  if (k) knownHits.set(k.id, (knownHits.get(k.id) ?? 0) + 1);
  return k !== undefined;
}

/**
 * The analysis stopped at its internal deadline or command limit: fail-closed by design (ask, never
 * allow), so a property may not demand deny, or an order between two lines, from such a decision.
 * Happens only on a loaded machine; the planted line is still checked to be not allowed.
 */
export function hitLimit(d: Decision): boolean {
  return d.actions.some((a) => a.type === 'parse.unknown' && a.issue.kind === 'limit');
}

const show = (d: Decision) => `${outcomeOf(d)} [${d.reasons.map((r) => r.rule).join(', ')}]`;

// ---------------------------------------------------------------------------------------------
// 1. Fail-closed boundary

/** Hook payload shapes: the Bash tool, and the same text where other tools put a path. */
export const PAYLOAD_SHAPES = ['bash', 'bash', 'bash', 'bash-session', 'monitor', 'write', 'read', 'mcp', 'no-input', 'command-not-string'] as const;
export type PayloadShape = (typeof PAYLOAD_SHAPES)[number];

export function payloadFor(shape: PayloadShape, line: string, cwd: string): unknown {
  // No session_id but in 'bash-session': session memory (denials, loop breaker) is state kept
  // across calls, so only a session-less call must answer exactly what the engine decided.
  const base = { hook_event_name: 'PreToolUse', cwd };
  switch (shape) {
    case 'bash':
      return { ...base, tool_name: 'Bash', tool_input: { command: line } };
    case 'bash-session':
      return { ...base, session_id: 'fuzz', tool_name: 'Bash', tool_input: { command: line } };
    case 'monitor':
      return { ...base, tool_name: 'Monitor', tool_input: { command: line } };
    case 'write':
      return { ...base, tool_name: 'Write', tool_input: { file_path: line, content: line } };
    case 'read':
      return { ...base, tool_name: 'Read', tool_input: { file_path: line } };
    case 'mcp':
      return { ...base, tool_name: 'mcp__fuzz__run', tool_input: { path: line, args: [line] } };
    case 'no-input':
      return { ...base, tool_name: 'Bash' };
    case 'command-not-string':
      return { ...base, tool_name: 'Bash', tool_input: { command: [line] } };
  }
}

function checkDecision(d: unknown): asserts d is Decision {
  const x = d as Decision;
  if (!x || !['allow', 'ask', 'deny'].includes(x.verdict) || typeof x.opaque !== 'boolean' || !Array.isArray(x.reasons) || !Array.isArray(x.actions)) {
    throw new Error(`not a Decision: ${JSON.stringify(d)?.slice(0, 300)}`);
  }
}

/** What the hook must answer for an engine decision (Claude Code adapter, opaque → no output). */
function expectedHook(o: Outcome): { exitCode: number; decision: string | null } {
  if (o === 'deny') return { exitCode: 2, decision: 'deny' };
  if (o === 'ask') return { exitCode: 0, decision: 'ask' };
  if (o === 'none') return { exitCode: 0, decision: null };
  return { exitCode: 0, decision: 'allow' };
}

export function failClosedCheck(pipe: Pipeline, line: string, shape: PayloadShape): void {
  const d = pipe.decide(line);
  checkDecision(d);
  const r = pipe.hook(JSON.stringify(payloadFor(shape, line, pipe.project)));
  if (r.exitCode !== 0 && r.exitCode !== 2) throw new Error(`hook exited ${r.exitCode} (only 0 and 2 are allowed)`);
  if (r.stdout !== '') {
    let parsed: { hookSpecificOutput?: { permissionDecision?: string } };
    try {
      parsed = JSON.parse(r.stdout) as typeof parsed;
    } catch {
      throw new Error(`hook stdout is not JSON: ${r.stdout.slice(0, 200)}`);
    }
    const pd = parsed.hookSpecificOutput?.permissionDecision;
    if (r.exitCode === 2 && pd !== 'deny') throw new Error(`hook exited 2 but answered ${pd}`);
  }
  if (shape === 'bash') {
    // Same line, same sandbox, no session: the hook must answer what the engine decided — or, where
    // the only asks are `untilBackedUp` rules (POLICY.md: overwriting an untracked file asks "until
    // fwguard has backed it up"), what it decides once the hook has made the backup. The engine
    // alone makes no backups. (Found by the 1,000,000-input run: 697 false alarms on `> notes.txt`.)
    const wants = [expectedHook(outcomeOf(d))];
    const kept = d.reasons.filter((x) => !x.untilBackedUp);
    if (kept.length < d.reasons.length) {
      const v = kept.reduce<Decision['verdict']>((acc, x) => (VERDICT_RANK[x.verdict] > VERDICT_RANK[acc] ? x.verdict : acc), 'allow');
      wants.push(expectedHook(v === 'allow' && d.opaque ? 'none' : v));
    }
    const pd = r.stdout ? (JSON.parse(r.stdout) as { hookSpecificOutput?: { permissionDecision?: string } }).hookSpecificOutput?.permissionDecision ?? null : null;
    if (!wants.some((want) => r.exitCode === want.exitCode && pd === want.decision)) {
      throw new Error(`engine decided ${show(d)} but the hook answered exit ${r.exitCode} / ${pd ?? 'no output'}`);
    }
  }
}

export const failClosedArb = fc.tuple(anyLineArb(), fc.constantFrom(...PAYLOAD_SHAPES));

export function failClosedProperty(pipe: Pipeline) {
  return fc.property(failClosedArb, ([line, shape]) => failClosedCheck(pipe, line, shape));
}

// ---------------------------------------------------------------------------------------------
// 2. Planting never yields allow

export function plantingCheck(pipe: Pipeline, p: Catastrophe, pl: Placement, line: string, strict: boolean): void {
  const d = pipe.decide(line);
  const wantDeny = strict && p.klass === 'deny' && !pl.dynamic && !hitLimit(d);
  const bad = d.verdict === 'allow' || (wantDeny && d.verdict !== 'deny');
  if (bad && known({ kind: 'planting', p, placement: pl.name, line, got: outcomeOf(d) })) return;
  if (d.verdict === 'allow') throw new Error(`planted "${p.text}" (${pl.name}) was allowed: ${show(d)}`);
  if (wantDeny && d.verdict !== 'deny') throw new Error(`planted "${p.text}" (${pl.name}) got ${show(d)}, want deny`);
}

/** P placed around a generated (valid) line X: never allow; deny for the deny-class unless dynamic. */
export const plantingArb = fc.tuple(catastropheArb, placementArb, listArb(1));
export function plantingProperty(pipe: Pipeline) {
  return fc.property(plantingArb, ([p, pl, x]) => plantingCheck(pipe, p, pl, pl.build(p, x), true));
}

/** P placed before a seed line or a mutated one (any text, maybe invalid): never allow. */
export const plantingSeedArb = fc.tuple(catastropheArb, prefixPlacementArb, fc.oneof(seedArb(), mutatedSeedArb()));
export function plantingSeedProperty(pipe: Pipeline) {
  return fc.property(plantingSeedArb, ([p, pl, s]) => plantingCheck(pipe, p, pl, pl.build(p, { t: s, hd: [], lead: 'other' }), false));
}

// ---------------------------------------------------------------------------------------------
// 3. Wrapping never loosens

export function wrappingCheck(pipe: Pipeline, x: Frag, w: Wrapping): void {
  const plain = render(x);
  const wrapped = w.build(x);
  const a = pipe.decide(plain);
  const b = pipe.decide(wrapped);
  if (hitLimit(b) && b.verdict !== 'allow') return;
  if (RANK[outcomeOf(b)] < RANK[outcomeOf(a)] && known({ kind: 'wrapping', wrapping: w.name, plain, wrapped, from: outcomeOf(a), to: outcomeOf(b) })) return;
  if (VERDICT_RANK[b.verdict] < VERDICT_RANK[a.verdict]) throw new Error(`${w.name} loosened ${show(a)} to ${show(b)}`);
  if (RANK[outcomeOf(b)] < RANK[outcomeOf(a)]) throw new Error(`${w.name} turned no-opinion into an explicit allow: ${show(a)} → ${show(b)}`);
}

const NON_SUDO = WRAPPINGS.filter((w) => !w.needsProgram);
export const wrappingArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(lineFragArb, fc.constantFrom(...NON_SUDO)) },
  { weight: 1, arbitrary: fc.tuple(programLedList, fc.constantFrom(...WRAPPINGS)) },
);
export function wrappingProperty(pipe: Pipeline) {
  return fc.property(wrappingArb, ([x, w]) => wrappingCheck(pipe, x, w));
}

// ---------------------------------------------------------------------------------------------
// 4. Equivalent spellings agree

export function spellingCheck(pipe: Pipeline, target: string, a: [string, string], b: [string, string]): void {
  const la = `${a[0]} ${a[1]} ${target}`;
  const lb = `${b[0]} ${b[1]} ${target}`;
  const da = pipe.decide(la);
  const db = pipe.decide(lb);
  if (outcomeOf(da) !== outcomeOf(db) && known({ kind: 'spelling', a: `${a[0]} ${a[1]}`, b: `${b[0]} ${b[1]}`, target, oa: outcomeOf(da), ob: outcomeOf(db) })) return;
  if (outcomeOf(da) !== outcomeOf(db)) throw new Error(`"${la}" → ${show(da)} but "${lb}" → ${show(db)}`);
}

const spelling = fc.tuple(fc.constantFrom(...RM_NAMES), fc.constantFrom(...RM_FLAGS));
export const spellingArb = fc.tuple(fc.constantFrom(...RM_TARGETS), spelling, spelling);
export function spellingProperty(pipe: Pipeline) {
  return fc.property(spellingArb, ([t, a, b]) => spellingCheck(pipe, t, a, b));
}

/** Every property, with the share of inputs `npm run fuzz` gives it. */
export const PROPERTIES = [
  { name: 'fail-closed boundary', make: failClosedProperty, share: 0.35 },
  { name: 'planting never yields allow', make: plantingProperty, share: 0.25 },
  { name: 'planting before seed lines never yields allow', make: plantingSeedProperty, share: 0.1 },
  { name: 'wrapping never loosens', make: wrappingProperty, share: 0.2 },
  { name: 'equivalent spellings agree', make: spellingProperty, share: 0.1 },
] as const;
