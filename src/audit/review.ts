// Reviewing the decision trace: the filters of `fwguard log` and the counts of `fwguard log stats`.
import { isAbsolute, relative, resolve } from 'node:path';
import type { Verdict } from '../types.js';
import type { TraceEntry, TraceRecord } from './trace.js';

export const VERDICTS: readonly Verdict[] = ['allow', 'ask', 'deny'];

/** `45s`, `30m`, `2h`, `1d`, `1w` ago, or an ISO date/time → epoch ms; null when neither. */
export function parseSince(s: string, now = Date.now()): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(s.trim());
  if (m) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return now - Number(m[1]) * unit;
  }
  // Only date-like text: Date.parse accepts odd things ("1", "May") that are surely typos here.
  if (!/^\d{4}-\d{2}-\d{2}/.test(s.trim())) return null;
  const t = Date.parse(s.trim());
  return Number.isNaN(t) ? null : t;
}

export interface TraceFilter {
  verdicts?: readonly string[];
  session?: string;
  /** Epoch ms: records at or after this time. */
  since?: number;
  /** A rule id, or a prefix ending in `*` (`fs.delete.*`). */
  rule?: string;
  /** A directory: records whose project root (else cwd) is it or inside it. */
  project?: string;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The predicate for a filter (all given conditions must hold). */
export function traceFilter(f: TraceFilter): (r: TraceRecord) => boolean {
  const project = f.project === undefined ? undefined : resolve(f.project);
  const rule = f.rule;
  const ruleMatch =
    rule === undefined ? undefined : rule.endsWith('*') ? (id: string) => id.startsWith(rule.slice(0, -1)) : (id: string) => id === rule;
  return (r) => {
    if (f.verdicts !== undefined && f.verdicts.length > 0 && !f.verdicts.includes(r.verdict)) return false;
    if (f.session !== undefined && r.session !== f.session) return false;
    if (f.since !== undefined) {
      const t = Date.parse(r.time);
      if (Number.isNaN(t) || t < f.since) return false;
    }
    if (ruleMatch !== undefined) {
      const ids = [...(Array.isArray(r.rules) ? r.rules : []), ...(Array.isArray(r.reasons) ? r.reasons.map((x) => x?.rule) : [])];
      if (!ids.some((id) => typeof id === 'string' && ruleMatch(id))) return false;
    }
    if (project !== undefined) {
      const root = typeof r.projectRoot === 'string' && r.projectRoot !== '' ? r.projectRoot : r.cwd;
      if (typeof root !== 'string' || !inside(project, root)) return false;
    }
    return true;
  };
}

/** What a decision was about, on one line: the command, path, URL or tool. */
export function summarize(r: TraceRecord, max = 160): string {
  const p = r.proposal as TraceRecord['proposal'] | undefined;
  if (!p || typeof p !== 'object') return '';
  // Cut before the whitespace regex: on a long run of blanks it is quadratic, and only `max` characters are shown.
  const text = String(p.command ?? p.path ?? p.url ?? p.tool ?? '').slice(0, max * 4);
  const oneLine = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}

export interface CountRow {
  key: string;
  count: number;
}

export interface TopRow {
  what: string;
  count: number;
  /** Line number of the newest such decision (for `fwguard log show`). */
  last: number;
  rules: string[];
}

export interface TraceStats {
  records: number;
  first?: string;
  last?: string;
  byVerdict: Record<string, number>;
  byRule: CountRow[];
  byAction: CountRow[];
  bySession: CountRow[];
  topDenied: TopRow[];
  topAsked: TopRow[];
}

function rows(m: Map<string, number>): CountRow[] {
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** Counts by verdict, rule, action type and session, and the most frequent denied / asked proposals. */
export function traceStats(entries: readonly TraceEntry[], top = 10): TraceStats {
  const byVerdict: Record<string, number> = { allow: 0, ask: 0, deny: 0 };
  const byRule = new Map<string, number>();
  const byAction = new Map<string, number>();
  const bySession = new Map<string, number>();
  const denied = new Map<string, TopRow>();
  const asked = new Map<string, TopRow>();
  let first: string | undefined;
  let last: string | undefined;
  for (const { line, record: r } of entries) {
    const verdict = String(r.verdict);
    byVerdict[verdict] = (byVerdict[verdict] ?? 0) + 1;
    const rules = Array.isArray(r.rules) ? r.rules.filter((x): x is string => typeof x === 'string') : [];
    for (const id of new Set(rules)) bump(byRule, id);
    const types = new Set<string>();
    for (const a of Array.isArray(r.actions) ? r.actions : []) {
      const t = (a as { type?: unknown } | null)?.type;
      if (typeof t === 'string') types.add(t);
    }
    for (const t of types) bump(byAction, t);
    bump(bySession, typeof r.session === 'string' && r.session !== '' ? r.session : '(none)');
    if (typeof r.time === 'string') {
      if (first === undefined || r.time < first) first = r.time;
      if (last === undefined || r.time > last) last = r.time;
    }
    const target = verdict === 'deny' ? denied : verdict === 'ask' ? asked : undefined;
    if (target !== undefined) {
      const what = summarize(r, 120);
      const row = target.get(what);
      if (row === undefined) target.set(what, { what, count: 1, last: line, rules: [...new Set(rules)] });
      else {
        row.count++;
        row.last = line;
        for (const id of rules) if (!row.rules.includes(id)) row.rules.push(id);
      }
    }
  }
  const topOf = (m: Map<string, TopRow>) => [...m.values()].sort((a, b) => b.count - a.count || b.last - a.last).slice(0, top);
  return {
    records: entries.length,
    ...(first !== undefined ? { first } : {}),
    ...(last !== undefined ? { last } : {}),
    byVerdict,
    byRule: rows(byRule),
    byAction: rows(byAction),
    bySession: rows(bySession),
    topDenied: topOf(denied),
    topAsked: topOf(asked),
  };
}
