// Fuzzing properties over the whole decision path (test/fuzz/properties.ts; grammar in
// test/fuzz/grammar.ts), through the real sandbox project of test/helpers/decide.ts, with a
// fixed seed and few runs so CI stays fast. `npm run fuzz -- --runs N --seed S` runs the same
// properties at scale against the build.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runHook } from '../../src/hook/main.js';
import { decide, envFor, sandbox } from '../helpers/decide.js';
import { catastropheArb, grammarLine, listArb, placementArb, programLedList, repoRoot, WRAPPINGS } from './grammar.js';
import {
  failClosedProperty,
  KNOWN_ISSUES,
  plantingProperty,
  plantingSeedProperty,
  spellingProperty,
  wrappingProperty,
  type Pipeline,
} from './properties.js';

const SEED = 42;
const box = sandbox();

const pipe: Pipeline = {
  decide: (command) => decide(command),
  // The engine's environment exactly (its trace goes to the sandbox HOME's state dir): a different
  // FWGUARD_STATE_DIR would move the protected state dir and change decisions.
  hook: (stdinText) => runHook('claude-code', stdinText, envFor(box)),
  project: box.project,
};

const run = (p: fc.IProperty<[unknown]>, numRuns: number) => fc.assert(p, { seed: SEED, numRuns });

describe(`fuzz properties (fast-check, seed ${SEED})`, () => {
  it('fail-closed boundary: any line gives a Decision, and the hook exits 0 or 2 and answers what the engine decided', () => {
    run(failClosedProperty(pipe), 120);
  });

  it('planting never yields allow: a catastrophic command anywhere a shell runs it, around a generated line, is never allowed (deny for the deny class)', () => {
    run(plantingProperty(pipe), 150);
  });

  it('planting before a seed line, or a mutated one, is never allowed', () => {
    run(plantingSeedProperty(pipe), 80);
  });

  it("wrapping never loosens: bash -c 'X', sudo X, (X), { X; }, X & are at least as strict as X", () => {
    run(wrappingProperty(pipe), 70);
  });

  it('equivalent spellings agree: rm / \\rm / /bin/rm / r\'\'m / "rm" with -rf / -r -f / -fr / --recursive --force', () => {
    run(spellingProperty(pipe), 60);
  });

  // The properties reason about what a shell would run, so the lines must be bash: a syntax error
  // would make "never allow" or "never looser" claims about a line no shell runs.
  it.skipIf(spawnSync('bash', ['-c', 'true']).status !== 0)('the grammar, its plantings and its wrappings are valid bash (bash -n)', () => {
    const lines = [
      ...fc.sample(grammarLine, { seed: SEED, numRuns: 40 }),
      ...fc.sample(fc.tuple(catastropheArb, placementArb, listArb(1)).map(([p, pl, x]) => pl.build(p, x)), { seed: SEED, numRuns: 40 }),
      ...fc.sample(fc.tuple(programLedList, fc.constantFrom(...WRAPPINGS)).map(([x, w]) => w.build(x)), { seed: SEED, numRuns: 30 }),
    ];
    const bad = lines.filter((l) => {
      const r = spawnSync('bash', ['-n', '-c', l], { encoding: 'utf8' });
      return r.status !== 0 || r.stderr !== '';
    });
    expect(bad).toEqual([]);
  });

  it('every known issue the properties step over is a named regression test in found.test.ts', () => {
    const found = readFileSync(`${repoRoot()}/test/fuzz/found.test.ts`, 'utf8');
    // As written in the source: a backslash in a test name is doubled inside its string literal.
    for (const k of KNOWN_ISSUES) expect([k.id, k.id.replace(/\\/g, '\\\\')].some((s) => found.includes(s)), k.id).toBe(true);
  });
});
