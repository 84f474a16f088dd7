// Session memory: what the agent's earlier tool calls in this session did, as far as it matters
// for judging the next one. Pure data and pure updates; src/session/store.ts does the I/O.
import type { Action, Decision } from '../types.js';
import { globMatch } from '../util/glob.js';

export interface Label {
  /** What put the label on the session, for messages: "Read of .env", "curl https://x". */
  source: string;
  at: number;
}

export interface SessionState {
  v: 1;
  id: string;
  created: number;
  updated: number;
  labels: { secret?: Label; untrusted?: Label };
  /** Actions that ran, for budgets (type, time), newest last, bounded. */
  events: { type: string; at: number }[];
  /** Denied intents (normalised proposal text and the targets of its actions), newest last, bounded. */
  denials: { key: string; targets: string[]; at: number }[];
  /** Denials since the last tool call that ran. */
  consecutiveDenials: number;
  /** Set by the loop breaker: every further non-read action asks until a person resets it. */
  tripped?: { at: number; reason: string };
  /** What a person allowed for the rest of this session (the approval prompt's `s`). */
  allowances?: Allowance[];
}

/**
 * A person's "allow for this session": one action type in one scope. Matching asks of that
 * action become allow for this session only; a deny never does.
 */
export interface Allowance {
  /** Action type, e.g. `file.delete`. */
  action: string;
  /** The project root `glob` is relative to. */
  root?: string;
  /** Every path of the action must match, relative to `root` (`build/**` also covers `build`). */
  glob?: string;
  /** For actions without paths (deploy, package.add, …): the program, e.g. `kubectl`. */
  program?: string;
  /** How a person reads it: "rm under build/**". */
  label: string;
  /** The ask rules the person saw and approved; another rule's ask is not lifted (absent: any liftable ask). */
  rules?: string[];
  at?: number;
}

export const MAX_ALLOWANCES = 100;

/** Does an allowance cover an action of `type` by `program` on these (resolved, absolute) paths? */
export function allowanceCovers(al: Allowance, type: string, program: string, paths: { path: string; known: boolean }[]): boolean {
  if (al.action !== type) return false;
  if (al.glob !== undefined) {
    if (!al.root || paths.length === 0) return false;
    const root = al.root.replace(/\/+$/, '');
    return paths.every((p) => {
      if (!p.known || !(p.path === root || p.path.startsWith(root + '/'))) return false;
      const rel = p.path.slice(root.length + 1);
      if (rel === '' || rel.split('/').includes('..')) return false;
      return globMatch(al.glob!, rel) || (al.glob!.endsWith('/**') && rel === al.glob!.slice(0, -3));
    });
  }
  if (al.program !== undefined) return paths.length === 0 && program.slice(program.lastIndexOf('/') + 1) === al.program;
  return false;
}

/** Add a person's allowance (deduplicated, bounded). */
export function recordAllowance(s: SessionState, al: Allowance, now: number): SessionState {
  const same = (x: Allowance) => x.action === al.action && x.root === al.root && x.glob === al.glob && x.program === al.program && String(x.rules) === String(al.rules);
  const allowances = [...(s.allowances ?? []).filter((x) => !same(x)), { ...al, at: now }].slice(-MAX_ALLOWANCES);
  return { ...s, updated: now, allowances };
}

export const MAX_EVENTS = 5000;
export const MAX_DENIALS = 200;

export function emptySession(id: string, now: number): SessionState {
  return { v: 1, id, created: now, updated: now, labels: {}, events: [], denials: [], consecutiveDenials: 0 };
}

/** What evaluation needs to know about the session (a view, not the state). */
export interface SessionView {
  secret?: Label;
  untrusted?: Label;
  tripped?: { reason: string };
  /** Count of each budgeted action type in each configured window. */
  counts(type: string, windowMs: number, now: number): number;
  /** How many earlier denials had this key or one of these targets. */
  retries(key: string, targets: string[]): number;
  /** The label of a person's allowance that covers this action, if any. */
  allowed?(type: string, program: string, paths: { path: string; known: boolean }[]): Pick<Allowance, 'label' | 'rules'> | undefined;
}

export function viewOf(s: SessionState | undefined): SessionView {
  return {
    ...(s?.labels.secret ? { secret: s.labels.secret } : {}),
    ...(s?.labels.untrusted ? { untrusted: s.labels.untrusted } : {}),
    ...(s?.tripped ? { tripped: { reason: s.tripped.reason } } : {}),
    counts: (type, windowMs, now) => (s ? s.events.filter((e) => e.type === type && now - e.at <= windowMs).length : 0),
    retries: (key, targets) => (s ? s.denials.filter((d) => d.key === key || d.targets.some((t) => targets.includes(t))).length : 0),
    allowed: (type, program, paths) => s?.allowances?.find((al) => allowanceCovers(al, type, program, paths)),
  };
}

/** A proposal's intent key: its text with whitespace folded. */
export function intentKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 2000);
}

/** The concrete targets of a decision's actions (for "the same denied intent by another route"). */
export function intentTargets(actions: Action[]): string[] {
  const out = new Set<string>();
  for (const a of actions) {
    if (a.type === 'file.delete' || a.type === 'file.write' || a.type === 'file.chmod') for (const p of a.paths) if (p.abs) out.add(`${a.type === 'file.delete' ? 'delete' : 'write'}:${p.abs}`);
    if (a.type === 'git.push') for (const b of a.branches) out.add(`push:${a.remote ?? ''}:${b}`);
  }
  return [...out];
}

export interface LoopLimits {
  sameRetries: number;
  consecutive: number;
}

/** Record a deny; trip the loop breaker when the agent keeps trying. */
export function recordDenial(s: SessionState, key: string, targets: string[], now: number, limits: LoopLimits): SessionState {
  const same = s.denials.filter((d) => d.key === key || d.targets.some((t) => targets.includes(t))).length + 1;
  const denials = [...s.denials, { key, targets, at: now }].slice(-MAX_DENIALS);
  const consecutiveDenials = s.consecutiveDenials + 1;
  let tripped = s.tripped;
  if (!tripped && same >= limits.sameRetries) tripped = { at: now, reason: `the same denied action was tried ${same} times` };
  if (!tripped && consecutiveDenials >= limits.consecutive) tripped = { at: now, reason: `${consecutiveDenials} denials in a row` };
  return { ...s, updated: now, denials, consecutiveDenials, ...(tripped ? { tripped } : {}) };
}

/** Labels a tool call that ran puts on the session, from its decision's actions and facts. */
export function labelsFrom(d: Decision, toolName: string | undefined, secretPaths: string[], now: number): Partial<SessionState['labels']> {
  const out: Partial<SessionState['labels']> = {};
  if (secretPaths.length) out.secret = { source: `a read of ${secretPaths[0]}`, at: now };
  // The environment holds tokens and keys: a call that printed it put them in the model's context.
  else if (d.flow?.envDump) out.secret = { source: d.flow.envDump, at: now };
  for (const a of d.actions) {
    if (a.type === 'net.fetch') out.untrusted ??= { source: a.url ? `content from ${a.url}` : `${a.program} output`, at: now };
  }
  if (toolName === 'WebFetch' || toolName === 'WebSearch') out.untrusted ??= { source: `${toolName} results`, at: now };
  const outside = d.flow?.outsideReads?.[0];
  if (outside) out.untrusted ??= { source: `a read of ${outside} (outside the project)`, at: now };
  return out;
}

/** A tool call ran: clear the denial streak, add labels and budget events. */
export function recordRun(s: SessionState, labels: Partial<SessionState['labels']>, budgeted: string[], now: number): SessionState {
  const events = [...s.events, ...budgeted.map((type) => ({ type, at: now }))].slice(-MAX_EVENTS);
  return {
    ...s,
    updated: now,
    consecutiveDenials: 0,
    labels: { ...(s.labels.secret ?? labels.secret ? { secret: s.labels.secret ?? labels.secret } : {}), ...(s.labels.untrusted ?? labels.untrusted ? { untrusted: s.labels.untrusted ?? labels.untrusted } : {}) },
    events,
  };
}
