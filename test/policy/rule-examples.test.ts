// Every built-in rule's examples (rules/*.yaml) are checked on every test run, like `fwguard test`:
// `match` lines must fire the rule, `noMatch` near-misses must not.
import { describe, expect, it } from 'vitest';
import { runExamples, listRules } from '../../src/policy/examples.js';

describe('built-in rule packs', () => {
  const cwd = new URL('../..', import.meta.url).pathname;
  const env = { HOME: '/nonexistent-home', PATH: process.env.PATH };
  it('every rule has a unique id, a message and a verdict', () => {
    const { rules, configError } = listRules(cwd, env);
    expect(configError).toBeUndefined();
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rules) {
      expect(r.message.length, r.id).toBeGreaterThan(20);
      expect(['allow', 'ask', 'deny', 'off']).toContain(r.verdict);
    }
  });
  it('every example matches (or does not match) its rule', () => {
    const { results, configError } = runExamples(cwd, env);
    expect(configError).toBeUndefined();
    expect(results.length).toBeGreaterThan(150);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.rule} ${r.expected}: ${r.command} — ${r.detail}`);
    expect(failed).toEqual([]);
  });
});
