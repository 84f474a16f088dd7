// The end-of-run report of `fwguard run` (issue 4 §5): decisions by verdict and every denied call
// with its rule, as a terminal summary, JSON, or Markdown (also appended to $GITHUB_STEP_SUMMARY).
import { appendFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { DecisionRecord } from '../broker/server.js';

export interface RunReport {
  agent: string;
  argv: string[];
  ci: boolean;
  broker: string;
  started: string;
  finished: string;
  exitCode: number;
  agentExit: { code: number | null; signal: string | null };
  counts: { allow: number; ask: number; deny: number; total: number };
  /** Asks a person answered (allow or deny). */
  answered: number;
  denied: { what: string; rule: string; message: string; front: string; cwd: string; time: string }[];
  asked: { what: string; rules: string[]; person?: string; verdict: string }[];
}

export function buildReport(records: DecisionRecord[], meta: Omit<RunReport, 'counts' | 'answered' | 'denied' | 'asked'>): RunReport {
  const counts = { allow: 0, ask: 0, deny: 0, total: records.length };
  for (const r of records) counts[r.verdict]++;
  return {
    ...meta,
    counts,
    answered: records.filter((r) => r.asked).length,
    denied: records.filter((r) => r.verdict === 'deny').map((r) => ({ what: r.what, rule: r.rules[0] ?? 'fwguard', message: r.message, front: r.front, cwd: r.cwd, time: r.time })),
    asked: records.filter((r) => r.asked || r.verdict === 'ask').map((r) => ({ what: r.what, rules: r.rules, ...(r.person ? { person: r.person } : {}), verdict: r.verdict })),
  };
}

const clip = (s: string, n: number) => {
  const t = s.replace(/\s*\n\s*/g, ' ⏎ ');
  return t.length > n ? t.slice(0, n) + '…' : t;
};

/** Lines for stderr at the end of the run. */
export function summaryText(r: RunReport): string {
  const lines = [`fwguard run: ${r.counts.total} decision${r.counts.total === 1 ? '' : 's'} — ${r.counts.allow} allow, ${r.counts.ask} ask, ${r.counts.deny} deny (agent exit ${r.agentExit.signal ?? r.agentExit.code}, fwguard exit ${r.exitCode})`];
  for (const d of r.denied) lines.push(`  deny  ${d.rule}  ${clip(d.what, 160)}`);
  return lines.join('\n') + '\n';
}

/** Markdown cells: no pipes or newlines, code in backticks that cannot break out. */
function cell(s: string, n = 200): string {
  return clip(s, n).replace(/\|/g, '\\|');
}
function code(s: string, n = 200): string {
  const t = cell(s, n).replace(/`/g, 'ˋ');
  return '`' + t + '`';
}

export function reportMarkdown(r: RunReport): string {
  const out = [
    `### fwguard run: ${r.counts.deny ? `${r.counts.deny} denied` : 'nothing denied'}`,
    '',
    `Agent \`${cell(r.argv.join(' '), 120).replace(/`/g, 'ˋ')}\` exited ${r.agentExit.signal ?? r.agentExit.code}; fwguard exited ${r.exitCode}${r.ci ? ' (CI mode: no prompts, ask resolved per ci.ask)' : ''}.`,
    '',
    '| verdict | decisions |',
    '|---|---:|',
    `| allow | ${r.counts.allow} |`,
    `| ask | ${r.counts.ask} |`,
    `| deny | ${r.counts.deny} |`,
    `| **total** | **${r.counts.total}** |`,
    '',
  ];
  if (r.denied.length) {
    out.push('#### Denied', '', '| command | rule | why |', '|---|---|---|');
    for (const d of r.denied) out.push(`| ${code(d.what)} | \`${cell(d.rule, 80)}\` | ${cell(d.message, 300)} |`);
    out.push('');
  }
  if (r.asked.length) {
    out.push('#### Asked', '', '| command | rules | outcome |', '|---|---|---|');
    for (const a of r.asked) out.push(`| ${code(a.what)} | ${a.rules.map((x) => '`' + cell(x, 80) + '`').join(', ')} | ${a.person ? `${a.person} (a person)` : a.verdict} |`);
    out.push('');
  }
  return out.join('\n');
}

export type ReportFormat = 'json' | 'md';

/** The format named by a --report file's extension; throws for anything else. */
export function reportFormat(file: string): ReportFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.md' || ext === '.markdown') return 'md';
  throw new Error(`--report ${file}: the file must end in .json or .md (got "${ext || 'no extension'}")`);
}

export function writeReport(file: string, r: RunReport): void {
  writeFileSync(file, reportFormat(file) === 'json' ? JSON.stringify(r, null, 2) + '\n' : reportMarkdown(r) + '\n');
}

/** GitHub Actions job summary: appended, never overwritten. */
export function appendStepSummary(path: string, r: RunReport): void {
  appendFileSync(path, reportMarkdown(r) + '\n');
}
