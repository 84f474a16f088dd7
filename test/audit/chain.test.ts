// The trace's hash chain, its append lock and verifyTrace, on real files with real processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendTrace,
  GENESIS,
  lineHash,
  makeTraceRecord,
  readTrace,
  readTraceEntries,
  readTraceLine,
  verifyTrace,
  type TraceRecord,
} from '../../src/audit/trace.js';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwguard-chain-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh trace path in its own directory. */
function fresh(): string {
  const d = join(dir, `t${n++}`);
  mkdirSync(d);
  return join(d, 'trace.jsonl');
}

function rec(command: string, extra: Record<string, unknown> = {}): TraceRecord {
  return makeTraceRecord({
    proposal: { kind: 'shell', command, cwd: '/p', session: 's1', agent: 'claude-code' },
    verdict: 'deny',
    opaque: false,
    actions: [],
    reasons: [{ rule: 'r.one', message: 'no', verdict: 'deny' }],
    durationMs: 1,
    time: new Date('2026-01-02T03:04:05.000Z'),
    extra,
  });
}

/** A trace of `count` records cmd1..cmdN; returns its path and lines. */
function trace(count: number): { path: string; lines: string[] } {
  const path = fresh();
  for (let i = 1; i <= count; i++) appendTrace(rec(`cmd${i}`), path);
  return { path, lines: readFileSync(path, 'utf8').split('\n').slice(0, -1) };
}

const write = (path: string, lines: string[]) => writeFileSync(path, lines.map((l) => l + '\n').join(''));

describe('hash chain', () => {
  it('each record carries the hash of the line before it (GENESIS first); no own hash', () => {
    const { path, lines } = trace(5);
    expect(lines).toHaveLength(5);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]!.prev).toBe(GENESIS);
    expect(GENESIS).toBe('0'.repeat(64));
    for (let i = 1; i < lines.length; i++) expect(parsed[i]!.prev).toBe(lineHash(lines[i - 1]!));
    for (const p of parsed) expect(Object.keys(p)[0]).toBe('prev'); // first field: visible to a reader
    for (const p of parsed) expect(p).not.toHaveProperty('hash');
    expect(verifyTrace(path)).toEqual({ ok: true, records: 5, head: lineHash(lines[4]!), exists: true });
    // The reader API is unchanged.
    expect(readTrace(path).map((r) => r.proposal.command)).toEqual(['cmd1', 'cmd2', 'cmd3', 'cmd4', 'cmd5']);
  });

  it('a caller-supplied prev is ignored; the chain is appendTrace\'s to set', () => {
    const path = fresh();
    appendTrace(rec('a', { prev: 'f'.repeat(64) }), path);
    appendTrace(rec('b', { prev: 'nonsense' }), path);
    expect(verifyTrace(path).ok).toBe(true);
    expect(readTraceLine(path, 1)!.prev).toBe(GENESIS);
  });

  it('chains across lines longer than the 64 KB tail window', () => {
    const path = fresh();
    appendTrace(rec('small'), path);
    appendTrace(rec('big ' + 'x'.repeat(200_000)), path);
    appendTrace(rec('after big'), path);
    appendTrace(rec('huge ' + 'y'.repeat(1_100_000)), path); // also longer than the reader's 1 MB chunk
    appendTrace(rec('last'), path);
    expect(verifyTrace(path)).toMatchObject({ ok: true, records: 5 });
    expect(readTraceEntries(path).map((e) => [e.line, e.record.proposal.command!.slice(0, 5)])).toEqual([
      [1, 'small'],
      [2, 'big x'],
      [3, 'after'],
      [4, 'huge '],
      [5, 'last'],
    ]);
  });

  it('missing and empty files verify (nothing to break)', () => {
    expect(verifyTrace(join(dir, 'missing.jsonl'))).toEqual({ ok: true, records: 0, head: GENESIS, exists: false });
    const empty = fresh();
    writeFileSync(empty, '');
    expect(verifyTrace(empty)).toEqual({ ok: true, records: 0, head: GENESIS, exists: true });
  });
});

describe('verifyTrace finds tampering at the right line', () => {
  it('an edited middle line: the chain breaks at the next line, which names the edited one', () => {
    const { path, lines } = trace(10);
    lines[4] = lines[4]!.replace('"verdict":"deny"', '"verdict":"allow"'); // line 5
    write(path, lines);
    const r = verifyTrace(path);
    expect(r.ok).toBe(false);
    expect(r.records).toBe(10);
    expect(r.firstBad!.line).toBe(6);
    expect(r.firstBad!.reason).toContain('line 5 was edited');
  });

  it('an edited prev field is caught on that very line', () => {
    const { path, lines } = trace(6);
    lines[2] = lines[2]!.replace(/"prev":"[0-9a-f]{64}"/, `"prev":"${'a'.repeat(64)}"`);
    write(path, lines);
    expect(verifyTrace(path).firstBad).toEqual({ line: 3, reason: expect.stringContaining('line 3 does not follow line 2') as unknown as string });
  });

  it('a deleted line: the line that took its place', () => {
    const { path, lines } = trace(10);
    lines.splice(3, 1); // delete line 4
    write(path, lines);
    const r = verifyTrace(path);
    expect(r).toMatchObject({ ok: false, records: 9 });
    expect(r.firstBad!.line).toBe(4);
    expect(r.firstBad!.reason).toMatch(/does not follow line 3.*deleted/);
  });

  it('deleting the first line (or truncating the front) breaks line 1', () => {
    const { path, lines } = trace(4);
    write(path, lines.slice(2));
    const r = verifyTrace(path);
    expect(r.firstBad!.line).toBe(1);
    expect(r.firstBad!.reason).toContain('deleted');
  });

  it('two swapped lines: the first of them, named as reordered', () => {
    const { path, lines } = trace(10);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!]; // swap lines 3 and 4
    write(path, lines);
    const r = verifyTrace(path);
    expect(r.firstBad!.line).toBe(3);
    expect(r.firstBad!.reason).toBe('line 3 belongs after line 4: records were reordered or moved');
  });

  it('an inserted forgery with a correct prev: the line after it says which was inserted', () => {
    const { path, lines } = trace(6);
    const forged = `{"prev":"${lineHash(lines[2]!)}","time":"2026-01-02T03:04:05.000Z","verdict":"allow","proposal":{"kind":"shell","command":"innocent","cwd":"/"}}`;
    lines.splice(3, 0, forged); // new line 4
    write(path, lines);
    const r = verifyTrace(path);
    expect(r.firstBad!.line).toBe(5);
    expect(r.firstBad!.reason).toBe('line 5 follows line 3, so line 4 was inserted (or moved here)');
  });

  it('an inserted line without a chain, a blank line, a junk line: that line', () => {
    for (const [insert, reason] of [
      ['{"time":"x","verdict":"allow"}', /no prev hash/],
      ['', /empty line/],
      ['not json', /not a JSON record/],
    ] as const) {
      const { path, lines } = trace(5);
      lines.splice(2, 0, insert);
      write(path, lines);
      const r = verifyTrace(path);
      expect(r.firstBad!.line, insert).toBe(3);
      expect(r.firstBad!.reason).toMatch(reason);
    }
  });

  it('a torn last line is reported as such; the next append ends it and keeps chaining', () => {
    const { path } = trace(3);
    appendFileSync(path, '{"prev":"abc","time":"2026-01-0'); // a write cut short
    const r = verifyTrace(path);
    expect(r).toMatchObject({ ok: false, records: 4 });
    expect(r.firstBad!.line).toBe(4);
    expect(r.firstBad!.reason).toMatch(/^torn last line/);
    appendTrace(rec('after the crash'), path);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(6); // 5 lines + the final ''
    expect(lines[3]).toBe('{"prev":"abc","time":"2026-01-0');
    expect((JSON.parse(lines[4]!) as TraceRecord).prev).toBe(lineHash(lines[3]!));
    expect(verifyTrace(path).firstBad).toEqual({ line: 4, reason: 'not a JSON record (a torn write, or the file was edited)' });
    expect(readTrace(path).map((x) => x.proposal.command)).toEqual(['cmd1', 'cmd2', 'cmd3', 'after the crash']);
  });

  it('a valid last record without its newline is torn too', () => {
    const { path } = trace(3);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, -1));
    expect(verifyTrace(path).firstBad).toMatchObject({ line: 3, reason: expect.stringMatching(/^torn last line/) as unknown as string });
  });
});

// ---------------------------------------------------------------------------------------------
// Real processes: a bundle of the current source (esbuild, a devDependency), so this runs on a
// fresh clone without a build and never tests a stale dist/.

let bundle: string;
function child(name: string, body: string): string {
  bundle ??= (() => {
    const out = join(dir, 'trace.bundle.mjs');
    buildSync({ entryPoints: [join(import.meta.dirname, '../../src/audit/trace.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
    return out;
  })();
  const file = join(dir, name);
  writeFileSync(file, `import { appendTrace, makeTraceRecord } from ${JSON.stringify(bundle)};\n${body}`);
  return file;
}

function exited(p: ChildProcess, label: string): Promise<number | null> {
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('exit', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(code) : reject(new Error(`${label} exit ${code} ${signal}: ${err}`))));
  });
}

const APPENDER = `const [path, id, n] = process.argv.slice(2);
for (let i = 0; i < Number(n); i++) {
  appendTrace(makeTraceRecord({ proposal: { kind: 'shell', command: 'echo ' + id + ':' + i, cwd: '/', session: 'p' + id }, verdict: 'allow', opaque: false, actions: [], reasons: [], durationMs: 0 }), path);
}
`;

describe('concurrent appends (real processes)', () => {
  it('16 processes × 1,000 appends: nothing lost, per-process order kept, chain valid', async () => {
    const script = child('appender.mjs', APPENDER);
    const path = fresh();
    const procs = 16;
    const per = 1000;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: procs }, (_, id) =>
        exited(spawn(process.execPath, [script, path, String(id), String(per)], { stdio: ['ignore', 'ignore', 'pipe'] }), `appender ${id}`),
      ),
    );
    const ms = Date.now() - t0;
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(procs * per);
    const next = new Array<number>(procs).fill(0);
    for (const line of lines) {
      const [id, i] = String((JSON.parse(line) as TraceRecord).proposal.command).slice(5).split(':').map(Number);
      expect(i).toBe(next[id!]); // each process's records appear once, in its order
      next[id!]!++;
    }
    expect(next).toEqual(new Array<number>(procs).fill(per));
    expect(verifyTrace(path)).toMatchObject({ ok: true, records: procs * per });
    expect(readdirSync(join(path, '..')).sort()).toEqual(['trace.jsonl']); // lock released, nothing stale left
    console.log(`16×1000 concurrent appends: ${ms} ms (${((ms * 1000) / (procs * per)).toFixed(0)} µs per append, wall clock incl. process start-up)`);
    expect(ms).toBeLessThan(45_000);
  }, 60_000);

  it('appenders killed with SIGKILL (possibly holding the lock) do not stall or break the others', async () => {
    // Victims append forever and say so after their first record; they die mid-loop.
    const forever = child(
      'forever.mjs',
      APPENDER.replace('i < Number(n)', 'true').replace('path);\n}', "path);\n  if (i === 0) process.stdout.write('go');\n}"),
    );
    const script = child('appender2.mjs', APPENDER);
    const path = fresh();
    const victims = Array.from({ length: 3 }, (_, k) => spawn(process.execPath, [forever, path, String(100 + k), '0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const victimsDone = victims.map((p, k) => exited(p, `victim ${k}`));
    await Promise.all(victims.map((p) => new Promise<void>((resolve) => p.stdout!.once('data', () => resolve()))));
    const survivors = Array.from({ length: 3 }, (_, id) => exited(spawn(process.execPath, [script, path, String(id), '400'], { stdio: ['ignore', 'ignore', 'pipe'] }), `survivor ${id}`));
    // Kill the victims at staggered moments while everyone appends.
    for (const p of victims) {
      await new Promise((r) => setTimeout(r, 100));
      p.kill('SIGKILL');
    }
    await Promise.all([...survivors, ...victimsDone]);
    const r = verifyTrace(path);
    expect(r.ok, JSON.stringify(r.firstBad)).toBe(true);
    const cmds = readTrace(path).map((x) => String(x.proposal.command));
    for (let id = 0; id < 3; id++) expect(cmds.filter((c) => c.startsWith(`echo ${id}:`))).toHaveLength(400);
    expect(cmds.some((c) => c.startsWith('echo 10'))).toBe(true); // the victims did append before dying
  }, 60_000);
});

describe('the append lock', () => {
  it('waits for a live holder, then appends; leaves no lock behind', async () => {
    const path = fresh();
    appendTrace(rec('before'), path);
    const lock = path + '.lock';
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(lock)}, process.pid + ' ' + require('os').hostname() + ' ' + Date.now() + ' x', { flag: 'wx' });
         process.stdout.write('locked'); setTimeout(() => fs.unlinkSync(${JSON.stringify(lock)}), 600);`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const done = exited(holder, 'holder');
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const t0 = Date.now();
    appendTrace(rec('after'), path);
    const waited = Date.now() - t0;
    await done;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(5_000);
    expect(verifyTrace(path)).toMatchObject({ ok: true, records: 2 });
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock whose holder is dead at once', () => {
    const path = fresh();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(path + '.lock', `${dead} ${hostname()} ${Date.now()} zz`);
    const t0 = Date.now();
    appendTrace(rec('x'), path);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(verifyTrace(path)).toMatchObject({ ok: true, records: 1 });
    expect(readdirSync(join(path, '..'))).toEqual(['trace.jsonl']);
  });

  it('breaks a lock older than 5 s even when its pid is alive (a hung holder, or pid reuse)', () => {
    const path = fresh();
    writeFileSync(path + '.lock', `${process.pid} ${hostname()} 0 old`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path + '.lock', old, old);
    const t0 = Date.now();
    appendTrace(rec('x'), path);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(readdirSync(join(path, '..'))).toEqual(['trace.jsonl']);
  });

  it('per-append cost (single process) stays small', () => {
    const path = fresh();
    for (let i = 0; i < 50; i++) appendTrace(rec(`warm ${i}`), path);
    const count = 2000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) appendTrace(rec(`cmd ${i} ` + 'z'.repeat(400)), path);
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / count;
    console.log(`appendTrace: ${us.toFixed(1)} µs per append (lock + tail read + hash + write), ${count} appends`);
    expect(us).toBeLessThan(2_000);
    expect(verifyTrace(path)).toMatchObject({ ok: true, records: count + 50 });
  });
});
