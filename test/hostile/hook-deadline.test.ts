// The worst hostile inputs through the REAL hook process: an answer (exit 0 or 2) within 2 s of
// wall time, and never allow. A hook that runs past the agent's timeout lets the command through.
import { describe, expect, it } from 'vitest';
import { built, bash } from '../bypass/hook-run.js';
import { sandbox } from '../helpers/decide.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const WALL_MS = 2000;
const N = 10_000;

function bounded(command: string) {
  const r = bash(command);
  expect(r.code === 0 || r.code === 2, `exit ${r.code} signal ${r.signal}: ${r.stderr.slice(0, 300)}`).toBe(true);
  expect(r.decision, r.stdout.slice(0, 300)).not.toBe('allow');
  expect(r.ms, `hook took ${r.ms.toFixed(0)} ms`).toBeLessThanOrEqual(WALL_MS);
  console.log(`hook: ${command.slice(0, 40)}… (${(command.length / 1024).toFixed(0)} KB) → exit ${r.code}, ${r.decision}, ${r.ms.toFixed(0)} ms`);
}

describe.skipIf(!built)('hook process: worst hostile inputs answer within 2 s, never allow', () => {
  // The three slowest inputs that fwguard does bound today (each ~0.3–0.6 s in-process, fail closed).
  it('$( nested 10,000 deep, rm -rf ~ inside', () => bounded('echo ' + '$('.repeat(N) + 'rm -rf ~' + ')'.repeat(N)));
  it('"$( in double quotes 10,000 deep', () => bounded('echo ' + '"$('.repeat(N) + 'x' + ')"'.repeat(N)));
  it('5,000 && chained cd, then rm -rf ~', () => bounded('cd src &&'.repeat(5000) + ' rm -rf ~'));

  // The worst inputs found (all once unbounded, now fixed):
  // 10,000 pipes: the pipeline walk was quadratic and exhausted the heap.
  it('10,000 pipes', () => bounded('cat x' + ' | cat'.repeat(N)));
  // Glob matching backtracked exponentially: `rm trap/*a*a*a*a*a*a*b` against a 64-char name of
  // a's took ~12 s. (A second file that the glob does match makes the answer ask, not allow.)
  it('rm trap/*a×6*b against a 64-char name', () => {
    const dir = join(sandbox().project, 'trap');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a'.repeat(64)), 'x\n');
    writeFileSync(join(dir, 'aaaaaab'), 'x\n');
    bounded('rm trap/' + '*a'.repeat(6) + '*b');
  });
  // The inline-code `print … >` pattern backtracked on 10 KB of spaces.
  it('python3 -c "print + 10,000 spaces"', () => bounded(`python3 -c "print${' '.repeat(10_000)}x"`));
});
