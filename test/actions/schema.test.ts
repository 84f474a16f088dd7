// Every action the readers produce conforms to the action catalog (src/actions/schema.ts): run
// the 1,366-line parser corpus and the POLICY fixtures through the real parser and classifier.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeShell } from '../../src/shell/index.js';
import { classify } from '../../src/actions/classify.js';
import { ACTION_SCHEMAS, REVERSIBILITY, checkAction } from '../../src/actions/schema.js';
import { parseCorpus } from '../parser/compare.js';

const corpus = parseCorpus(readFileSync(new URL('../parser/corpus.txt', import.meta.url), 'utf8'));
const fixtures = readFileSync(new URL('../fixtures/policy.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => (JSON.parse(l) as { cmd: string }).cmd);

describe('action catalog', () => {
  it('has a schema and a reversibility class for every action type', () => {
    expect(Object.keys(REVERSIBILITY).sort()).toEqual(Object.keys(ACTION_SCHEMAS).sort());
  });
  it('every action produced from the corpus and the fixtures conforms to its schema', () => {
    const bad: string[] = [];
    const types = new Set<string>();
    for (const line of [...corpus, ...fixtures]) {
      const actions = classify(analyzeShell(line, { cwd: '/home/u/proj', home: '/home/u', env: { HOME: '/home/u' } }), { home: '/home/u' });
      for (const a of actions) {
        types.add(a.type);
        const err = checkAction(a);
        if (err) bad.push(`${line.slice(0, 80)} → ${a.type}: ${err}`);
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    // The corpus exercises most of the catalog; a type no line produces would hide a schema drift.
    expect(types.size).toBeGreaterThanOrEqual(20);
  });
  it('rejects unknown keys and wrong types', () => {
    expect(checkAction({ type: 'file.read', cmd: 0, program: 'cat', paths: [], extra: 1 })).toContain('unrecognized_keys');
    expect(checkAction({ type: 'git.push', cmd: 0, program: 'git', branches: 'main', force: false, mirror: false, delete: false, noVerify: false })).toContain('branches');
    expect(checkAction({ type: 'nope' })).toContain('unknown action type');
  });
});
