// Every POLICY.md row, through the real parser and a real sandbox project: what it must catch and
// the look-alikes it must let through. Cases are data: test/fixtures/policy.jsonl.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decide, outcome } from '../helpers/decide.js';

interface Case {
  cmd: string;
  expect: 'allow' | 'none' | 'pass' | 'ask' | 'deny' | 'block';
  rules?: string[];
  why: string;
  cwd?: string;
}

const KEYS = new Set(['cmd', 'expect', 'rules', 'why', 'cwd']);
const cases: Case[] = readFileSync(new URL('../fixtures/policy.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => {
    const c = JSON.parse(l) as Case;
    for (const k of Object.keys(c)) if (!KEYS.has(k)) throw new Error(`unknown key ${k} in ${l}`);
    return c;
  });

describe('POLICY.md rows', () => {
  it.each(cases.map((c) => [`${c.expect}: ${c.cmd.replace(/\n/g, '⏎')} (${c.why})`, c] as const))('%s', (_name, c) => {
    const d = decide(c.cmd, c.cwd ? { cwd: c.cwd } : {});
    const got = outcome(d);
    const ok =
      c.expect === 'pass' ? got === 'allow' || got === 'none' : c.expect === 'block' ? got === 'ask' || got === 'deny' : got === c.expect;
    expect(ok, `${c.cmd} → ${got} [${d.reasons.map((r) => r.rule + ': ' + r.message).join(' | ')}]`).toBe(true);
    for (const r of c.rules ?? []) expect(d.reasons.map((x) => x.rule)).toContain(r);
  });
});
