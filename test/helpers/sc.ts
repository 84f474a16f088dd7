// Build a SimpleCommand by hand for reader unit tests (readers take argv, not text).
// Tests of verdicts go through the real parser instead.
import type { SimpleCommand } from '../../src/types.js';

export function sc(argv: string[], over: Partial<SimpleCommand> = {}): SimpleCommand {
  return {
    argv,
    dyn: argv.map((a) => a.includes('$')),
    glob: argv.map((a) => /[*?[]/.test(a)),
    assignments: [],
    redirects: [],
    cwd: '/home/u/proj',
    via: [],
    pos: 0,
    text: argv.join(' '),
    ...over,
  };
}

export const ENV = { home: '/home/u' };
