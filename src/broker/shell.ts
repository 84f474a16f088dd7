// What a shell shim or Claude Code's shell prefix does with a decision: 0 = run it, 126 = refuse
// (the reason on stderr). Shared by the node decision step (src/hook/main.ts) and the broker's
// text replies to the shims' perl client, so both say exactly the same thing.
import { reasonText } from '../agents/adapter.js';
import type { Decision } from '../types.js';
import type { Front } from './protocol.js';

export interface ShellOutcome {
  exitCode: 0 | 126;
  /** One line (no newline inside), or ''. */
  stderr: string;
}

export function shellOutcome(front: Front, d: Decision): ShellOutcome {
  if (d.verdict === 'allow') return { exitCode: 0, stderr: '' };
  // The prefix runs after Claude Code's own hook and prompt answered any ask: it enforces denies.
  if (d.verdict === 'ask' && front === 'prefix') return { exitCode: 0, stderr: '' };
  const why = reasonText(d).replace(/\s*\n\s*/g, ' ');
  if (d.verdict === 'ask') {
    return {
      exitCode: 126,
      stderr: `fwguard: blocked: ${why} This needs a person's approval and nobody could answer here (no \`fwguard approve\` connected, or CI). Do not work around it: ask the user to approve it or run it themselves.`,
    };
  }
  return { exitCode: 126, stderr: `fwguard: denied: ${why}` };
}
