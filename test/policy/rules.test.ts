// The rule condition language (rules.ts `matches`) and the one glob matcher it shares with path
// expansion (util/glob.ts).
import { describe, expect, it } from 'vitest';
import { matches } from '../../src/policy/rules.js';
import { globMatch } from '../../src/util/glob.js';

describe('rule conditions', () => {
  it('scalars, lists, not, nested objects, arrays of objects', () => {
    expect(matches('git.push', 'git.push')).toBe(true);
    expect(matches('deploy', ['git.push', 'deploy'])).toBe(true);
    expect(matches(undefined, { not: true })).toBe(true);
    expect(matches(true, { not: true })).toBe(false);
    expect(matches([{ scope: 'outside', secret: false }, { scope: 'project' }], { scope: 'outside' })).toBe(true);
    expect(matches([{ scope: 'project' }], { scope: 'outside' })).toBe(false);
  });
  it('{glob} matches strings with * ? and [..]', () => {
    expect(matches('kubectl', { glob: 'kube*' })).toBe(true);
    expect(matches(['prod-eu', 'dev'], { glob: 'prod-??' })).toBe(true);
    expect(matches('release/1.2', { glob: 'release/*' })).toBe(true);
    expect(matches('main', { glob: 'ma[!i]n' })).toBe(false);
    expect(matches('staging', { glob: 'prod*' })).toBe(false);
  });
  it('the glob matcher stays linear on hostile input', () => {
    const t = performance.now();
    expect(globMatch('*a'.repeat(30) + '*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
