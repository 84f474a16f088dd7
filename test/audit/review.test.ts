import { describe, expect, it } from 'vitest';
import { parseSince, summarize, traceFilter, traceStats } from '../../src/audit/review.js';
import { makeTraceRecord, type TraceEntry, type TraceRecord } from '../../src/audit/trace.js';
import type { Action, Verdict } from '../../src/types.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

function rec(o: { command: string; verdict: Verdict; session?: string; rules?: string[]; project?: string; cwd?: string; hoursAgo?: number; actions?: string[] }): TraceRecord {
  return makeTraceRecord({
    proposal: { kind: 'shell', command: o.command, cwd: o.cwd ?? o.project ?? '/', ...(o.session ? { session: o.session } : {}) },
    verdict: o.verdict,
    opaque: false,
    actions: (o.actions ?? []).map((type) => ({ type }) as unknown as Action),
    reasons: (o.rules ?? []).map((rule) => ({ rule, message: 'm', verdict: o.verdict })),
    durationMs: 1,
    ...(o.project ? { projectRoot: o.project } : {}),
    time: new Date(NOW - (o.hoursAgo ?? 0) * 3600e3),
  });
}

describe('parseSince', () => {
  it('durations ago and ISO dates; null for anything else', () => {
    expect(parseSince('2h', NOW)).toBe(NOW - 2 * 3600e3);
    expect(parseSince('1d', NOW)).toBe(NOW - 86400e3);
    expect(parseSince('30m', NOW)).toBe(NOW - 30 * 60e3);
    expect(parseSince('45s', NOW)).toBe(NOW - 45e3);
    expect(parseSince('1w', NOW)).toBe(NOW - 7 * 86400e3);
    expect(parseSince('1.5h', NOW)).toBe(NOW - 1.5 * 3600e3);
    expect(parseSince('2026-11-24T10:00:00Z', NOW)).toBe(Date.parse('2026-11-24T10:00:00Z'));
    expect(parseSince('2026-11-24', NOW)).toBe(Date.parse('2026-11-24'));
    for (const bad of ['', 'yesterday', '2x', '1', 'May', '2026-13-45']) expect(parseSince(bad, NOW), bad).toBeNull();
  });
});

describe('traceFilter', () => {
  const a = rec({ command: 'rm -rf ~', verdict: 'deny', session: 's1', rules: ['fs.delete.home'], project: '/work/app', hoursAgo: 3 });
  const b = rec({ command: 'cat .env', verdict: 'ask', session: 's2', rules: ['fs.read.secret'], project: '/work/app/sub', hoursAgo: 1 });
  const c = rec({ command: 'ls', verdict: 'allow', session: 's1', cwd: '/work/other' });
  const pick = (f: Parameters<typeof traceFilter>[0]) => [a, b, c].filter(traceFilter(f)).map((r) => r.proposal.command);
  it('each condition, and their conjunction', () => {
    expect(pick({})).toEqual(['rm -rf ~', 'cat .env', 'ls']);
    expect(pick({ verdicts: ['deny', 'ask'] })).toEqual(['rm -rf ~', 'cat .env']);
    expect(pick({ session: 's1' })).toEqual(['rm -rf ~', 'ls']);
    expect(pick({ since: NOW - 2 * 3600e3 })).toEqual(['cat .env', 'ls']);
    expect(pick({ rule: 'fs.read.secret' })).toEqual(['cat .env']);
    expect(pick({ rule: 'fs.*' })).toEqual(['rm -rf ~', 'cat .env']);
    expect(pick({ rule: 'fs.read' })).toEqual([]); // exact unless it ends in *
    expect(pick({ project: '/work/app' })).toEqual(['rm -rf ~', 'cat .env']);
    expect(pick({ project: '/work/app/' })).toEqual(['rm -rf ~', 'cat .env']);
    expect(pick({ project: '/work/ap' })).toEqual([]); // a prefix of a name is not a parent
    expect(pick({ project: '/work/other' })).toEqual(['ls']); // no project root: the cwd counts
    expect(pick({ session: 's1', verdicts: ['deny'], project: '/work' })).toEqual(['rm -rf ~']);
  });
});

describe('summarize', () => {
  it('one line, shortened', () => {
    expect(summarize(rec({ command: 'a\n  b', verdict: 'allow' }))).toBe('a ⏎ b');
    expect(summarize(rec({ command: 'x'.repeat(500), verdict: 'allow' }), 20)).toHaveLength(20);
  });
  it('a long run of blanks is cut before the whitespace regex (which is quadratic on it)', () => {
    const r = { proposal: { kind: 'shell', command: 'a' + ' '.repeat(200_000) + 'b', cwd: '/' } } as unknown as TraceRecord;
    const t0 = performance.now();
    expect(summarize(r)).toHaveLength(160);
    expect(performance.now() - t0).toBeLessThan(50);
  });
});

describe('traceStats', () => {
  it('counts by verdict, rule, action type and session; top denied / asked with their newest id', () => {
    const list: TraceRecord[] = [
      rec({ command: 'rm -rf ~', verdict: 'deny', session: 's1', rules: ['fs.delete.home'], actions: ['fs.delete', 'fs.delete'] }),
      rec({ command: 'ls', verdict: 'allow', session: 's1', actions: ['fs.list'] }),
      rec({ command: 'rm -rf ~', verdict: 'deny', session: 's2', rules: ['fs.delete.home'], actions: ['fs.delete'] }),
      rec({ command: 'cat .env', verdict: 'ask', rules: ['fs.read.secret'], actions: ['fs.read'] }),
      rec({ command: 'git push -f', verdict: 'deny', session: 's2', rules: ['git.push.force'], actions: ['git.push'] }),
    ];
    const entries: TraceEntry[] = list.map((record, i) => ({ line: i + 1, record }));
    const s = traceStats(entries);
    expect(s.records).toBe(5);
    expect(s.byVerdict).toEqual({ allow: 1, ask: 1, deny: 3 });
    expect(s.byRule).toEqual([
      { key: 'fs.delete.home', count: 2 },
      { key: 'fs.read.secret', count: 1 },
      { key: 'git.push.force', count: 1 },
    ]);
    expect(s.byAction).toEqual([
      { key: 'fs.delete', count: 2 }, // once per decision, not per action
      { key: 'fs.list', count: 1 },
      { key: 'fs.read', count: 1 },
      { key: 'git.push', count: 1 },
    ]);
    expect(s.bySession).toEqual([
      { key: 's1', count: 2 },
      { key: 's2', count: 2 },
      { key: '(none)', count: 1 },
    ]);
    expect(s.topDenied).toEqual([
      { what: 'rm -rf ~', count: 2, last: 3, rules: ['fs.delete.home'] },
      { what: 'git push -f', count: 1, last: 5, rules: ['git.push.force'] },
    ]);
    expect(s.topAsked).toEqual([{ what: 'cat .env', count: 1, last: 4, rules: ['fs.read.secret'] }]);
    expect(traceStats(entries, 1).topDenied).toHaveLength(1);
    expect(traceStats([])).toMatchObject({ records: 0, byVerdict: { allow: 0, ask: 0, deny: 0 }, topDenied: [] });
  });
});
