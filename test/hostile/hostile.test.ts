// Bounded time on hostile input (issue 6 §5): every case is decided in-process (the real pipeline:
// evaluateProposalImpl through `decide`, against a real sandbox project) in ≤ 50 ms, or fails
// closed — ask/deny, by an internal deadline far below the hook timeout. A blown deadline is never
// allow. Cases whose input plants something catastrophic must never be allow at any speed.
// The cases live in ./cases.ts; a table of every case and its median time is printed at the end.
import { afterAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decide, outcome, sandbox } from '../helpers/decide.js';
import { ANALYSIS_BUDGET_MS } from '../../src/engine.js';
import { HOSTILE, type HostileCase } from './cases.js';

const BUDGET_MS = 50;
/** A fail-closed answer must still come from a deadline: far below the 10 s hook timeout. */
const FAIL_CLOSED_CEILING_MS = 4 * ANALYSIS_BUDGET_MS;

interface Row {
  name: string;
  ms: number | null;
  answer: string;
  status: string;
}
const rows: Row[] = [];

function median3(run: () => unknown, n = 3): { ms: number; last: unknown } {
  const times: number[] = [];
  let last: unknown;
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    last = run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(n / 2)]!, last };
}

/** Median of 3; when that is over budget, median of 9 (one busy moment of a shared machine is not a verdict). */
function timed(run: () => unknown, over: (r: { ms: number; last: unknown }) => boolean): { ms: number; last: unknown } {
  const first = median3(run);
  return over(first) ? median3(run, 9) : first;
}

function prepare(c: HostileCase): void {
  const b = sandbox();
  for (const [rel, text] of Object.entries(c.files ?? {})) {
    const p = join(b.project, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

function check(c: HostileCase): void {
  prepare(c);
  if (c.cmd) {
    const cmd = c.cmd();
    decide('true'); // warm the policy and the sandbox's git facts: time the hostile line alone
    const slowAllow = (r: { ms: number; last: unknown }) => r.ms > BUDGET_MS && !['ask', 'deny'].includes(outcome(r.last as ReturnType<typeof decide>));
    const { ms, last } = timed(() => decide(cmd), slowAllow);
    const answer = outcome(last as ReturnType<typeof decide>);
    const failedClosed = answer === 'ask' || answer === 'deny';
    rows.push({ name: c.name, ms, answer, status: ms <= BUDGET_MS ? 'fast' : failedClosed ? 'failed closed' : 'SLOW' });
    if (c.neverAllow) expect(failedClosed, `${c.name}: planted a catastrophic command, answered ${answer}`).toBe(true);
    if (ms > BUDGET_MS) {
      expect(failedClosed, `${c.name}: ${ms.toFixed(1)} ms (> ${BUDGET_MS} ms) and answered ${answer}`).toBe(true);
      expect(ms, `${c.name}: failed closed, but only after ${ms.toFixed(1)} ms`).toBeLessThanOrEqual(FAIL_CLOSED_CEILING_MS);
    }
    return;
  }
  const { ms } = timed(c.fn!, (r) => r.ms > BUDGET_MS);
  rows.push({ name: c.name, ms, answer: '(function)', status: ms <= BUDGET_MS ? 'fast' : 'SLOW' });
  expect(ms, `${c.name}: ${ms.toFixed(1)} ms`).toBeLessThanOrEqual(BUDGET_MS);
}

describe('hostile inputs: decided in ≤ 50 ms in-process, or failed closed', () => {
  afterAll(() => {
    const ran = rows.filter((r) => r.ms !== null).sort((a, b) => b.ms! - a.ms!);
    const table = [...ran].map((r) => ({ case: r.name, ms: r.ms === null ? '-' : Number(r.ms.toFixed(1)), answer: r.answer, status: r.status }));
    console.log(`hostile inputs (median of 3, of 9 when over budget; budget ${BUDGET_MS} ms, fail-closed ceiling ${FAIL_CLOSED_CEILING_MS} ms)`);
    console.table(table);
    if (ran[0]) console.log(`slowest case that ran: ${ran[0].name} — ${ran[0].ms!.toFixed(1)} ms (${ran[0].answer})`);
  });

  for (const c of HOSTILE) {
    // A case with a `bug:` note was a bug when the suite was written (fixed since); it stays as a regression.
    it(c.bug ? `${c.name} (fixed: ${c.bug.slice(0, 60)})` : c.name, () => check(c), 60_000);
  }
});
