// The run report: what the JSON and Markdown say, and Markdown that a hostile command line cannot break.
import { describe, expect, it } from 'vitest';
import { buildReport, reportFormat, reportMarkdown, summaryText } from '../../src/report/report.js';
import type { DecisionRecord } from '../../src/broker/server.js';

const rec = (verdict: DecisionRecord['verdict'], what: string, rules: string[], extra: Partial<DecisionRecord> = {}): DecisionRecord => ({ time: '2026-11-24T12:00:00.000Z', front: 'shim', what, cwd: '/p', verdict, rules, message: `because ${rules[0] ?? ''}`, ...extra });
const meta = { agent: 'node', argv: ['node', 'agent.mjs'], ci: true, broker: 'abc', started: 's', finished: 'f', exitCode: 0, agentExit: { code: 0, signal: null } };

describe('run report', () => {
  it('counts verdicts and lists each deny with its rule, and each ask with its outcome', () => {
    const r = buildReport([rec('allow', 'ls', []), rec('deny', 'rm -rf ~', ['fs.delete-recursive-critical']), rec('allow', 'kill 1', ['person.allow-once'], { asked: true, person: 'allow-once' }), rec('ask', 'npm publish', ['deploy.change-state'])], meta);
    expect(r.counts).toEqual({ allow: 2, ask: 1, deny: 1, total: 4 });
    expect(r.answered).toBe(1);
    expect(r.denied).toEqual([expect.objectContaining({ what: 'rm -rf ~', rule: 'fs.delete-recursive-critical' })]);
    expect(r.asked.map((a) => [a.what, a.person ?? a.verdict])).toEqual([
      ['kill 1', 'allow-once'],
      ['npm publish', 'ask'],
    ]);
    expect(summaryText(r)).toBe('fwguard run: 4 decisions — 2 allow, 1 ask, 1 deny (agent exit 0, fwguard exit 0)\n  deny  fs.delete-recursive-critical  rm -rf ~\n');
  });

  it('keeps pipes, backticks and newlines of a command inside its table cell', () => {
    const md = reportMarkdown(buildReport([rec('deny', 'a | b `c`\n| x | y |', ['r.one'])], meta));
    const row = md.split('\n').find((l) => l.includes('r.one'))!;
    expect(row).toBe('| `a \\| b ˋcˋ ⏎ \\| x \\| y \\|` | `r.one` | because r.one |');
    expect(md.split('\n').filter((l) => l.startsWith('| `')).length).toBe(1);
  });

  it('says nothing was denied when nothing was', () => {
    expect(reportMarkdown(buildReport([rec('allow', 'ls', [])], meta))).toMatch(/^### fwguard run: nothing denied\n/);
  });

  it('accepts .json and .md report files and names anything else', () => {
    expect(reportFormat('r.json')).toBe('json');
    expect(reportFormat('out/R.MD')).toBe('md');
    expect(() => reportFormat('r.txt')).toThrow(/must end in \.json or \.md \(got "\.txt"\)/);
    expect(() => reportFormat('report')).toThrow(/got "no extension"/);
  });
});
