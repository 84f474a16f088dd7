// Differential parsing at scale (issue 6 §2): 10,000 lines generated from the fuzz grammar
// (test/fuzz/grammar.ts, fixed seed), fwguard's walker against mvdan/sh, with the normalisations
// of compare.ts. Lines mvdan cannot parse are skipped (the grammar aims at valid bash, but mvdan
// is stricter on a few forms). Agreement must stay ≥ 99.5 %; the remaining disagreements are not
// yet triaged one by one (issue 6 §2 stays open for that): the test prints the first few.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { grammarLine } from '../fuzz/grammar.js';
import { compareLine } from './compare.js';

const N = Number(process.env.FWGUARD_DIFF_N ?? 10_000);

describe('differential at scale: generated lines', () => {
  it(`fwguard and mvdan/sh find the same commands in ${N} generated lines`, () => {
    const lines = fc.sample(grammarLine, { seed: 20261124, numRuns: N });
    let compared = 0;
    let mvdanRejected = 0;
    const bad: string[] = [];
    for (const line of lines) {
      const c = compareLine(line);
      if (c.mvdan === null) {
        mvdanRejected++;
        continue;
      }
      compared++;
      if (!c.agree) bad.push(c.report);
    }
    console.log(`[differential/generated] ${compared - bad.length} of ${compared} agree (${mvdanRejected} lines mvdan rejected, of ${N})`);
    if (bad.length) console.log(bad.slice(0, 3).join('\n\n'));
    expect(bad.length / compared).toBeLessThan(0.005);
    expect(compared).toBeGreaterThan(N * 0.9);
  }, 120_000);
});
