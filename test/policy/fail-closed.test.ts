// The engine's one fail-closed boundary: an exception anywhere in the pipeline is a deny.
import { describe, expect, it } from 'vitest';
import { registerReaders } from '../../src/actions/index.js';
import { decide } from '../helpers/decide.js';
import '../../src/actions/classify.js';

describe('fail closed', () => {
  it('a reader that throws yields deny with rule internal.error', () => {
    registerReaders({ 'explode-reader': () => { throw new Error('boom'); } });
    const d = decide('explode-reader --now');
    expect(d.verdict).toBe('deny');
    expect(d.reasons[0]!.rule).toBe('internal.error');
    expect(d.reasons[0]!.message).toContain('boom');
  });
  it('10,000 nested $( stays bounded and never allows', () => {
    const line = 'echo ' + '$('.repeat(10_000) + 'rm -rf ~' + ')'.repeat(10_000);
    const t = performance.now();
    const d = decide(line);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(d.verdict).not.toBe('allow');
  });
  it('100,000 ;-separated commands fail closed (limit) rather than allow', () => {
    const d = decide(Array(100_000).fill('true').join(';'));
    expect(d.verdict).not.toBe('allow');
  });
});
