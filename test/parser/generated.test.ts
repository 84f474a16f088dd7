// Differential parsing at scale (issue 6 §2): 10,000 lines generated from the fuzz grammar
// (test/fuzz/grammar.ts, fixed seed), fwguard's walker against mvdan/sh, with the normalisations
// of compare.ts. Lines mvdan cannot parse are skipped (the grammar aims at valid bash, but mvdan
// is stricter on a few forms).
//
// No percentage: every disagreement is triaged. A line that disagrees must be listed, as a JSON
// string in a ````generated block of known-differences.md, with the reason and fwguard's verdict
// (asserted in known-differences.test.ts); any other disagreement fails the build. A listed line
// that agrees again, or that the generator no longer produces, fails too (delete it then).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { grammarLine } from '../fuzz/grammar.js';
import { compareLine, parseKnownGenerated } from './compare.js';

const DEFAULT_N = 10_000;
const N = Number(process.env.FWGUARD_DIFF_N ?? DEFAULT_N);
const known = parseKnownGenerated(readFileSync(new URL('./known-differences.md', import.meta.url), 'utf8'));

describe('differential at scale: generated lines', () => {
  it(`fwguard and mvdan/sh find the same commands in ${N} generated lines, but for the listed ones`, () => {
    const lines = fc.sample(grammarLine, { seed: 20261124, numRuns: N });
    let compared = 0;
    let mvdanRejected = 0;
    const unlisted: string[] = [];
    const listedSeen = new Set<string>();
    for (const line of lines) {
      const c = compareLine(line);
      if (c.mvdan === null) {
        mvdanRejected++;
        continue;
      }
      compared++;
      if (known.includes(line)) {
        listedSeen.add(line);
        expect(c.agree, `listed in known-differences.md but agrees now (delete it there): ${JSON.stringify(line)}`).toBe(false);
      } else if (!c.agree) unlisted.push(c.report);
    }
    console.log(
      `[differential/generated] ${compared - listedSeen.size - unlisted.length} of ${compared} agree, ${listedSeen.size} known differences (${mvdanRejected} lines mvdan rejected, of ${N})`,
    );
    if (unlisted.length) {
      throw new Error(
        `${unlisted.length} generated line(s) disagree and are not in known-differences.md:\n\n${unlisted.join('\n\n')}\n\nFix the walker, or list the line (as a JSON string in a \`\`\`\`generated block) with the reason and the verdict.`,
      );
    }
    if (N === DEFAULT_N) {
      const stale = known.filter((k) => !listedSeen.has(k));
      expect(stale, 'known-differences.md lists generated lines the generator no longer produces').toEqual([]);
    }
    expect(compared).toBeGreaterThan(N * 0.9);
  }, 120_000);
});
