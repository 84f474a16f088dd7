// Helpers of the `fwguard log` commands (not a command: oclif's glob skips files starting with `_`).
import { Flags } from '@oclif/core';
import { parseSince, VERDICTS, type TraceFilter } from '../../src/audit/review.js';
import { defaultTracePath } from '../../src/audit/trace.js';

export const fileFlag = Flags.string({
  description: 'The trace file (default: $FWGUARD_STATE_DIR/trace.jsonl, else $XDG_STATE_HOME/fwguard/trace.jsonl, else ~/.local/state/fwguard/trace.jsonl).',
  helpValue: 'PATH',
});

/** The filters `fwguard log` and `fwguard log stats` share. */
export const filterFlags = {
  verdict: Flags.string({
    description: 'Only decisions with this verdict (repeat the flag or give a comma list).',
    options: [...VERDICTS],
    multiple: true,
    delimiter: ',',
    helpValue: 'deny|ask|allow',
  }),
  session: Flags.string({ description: 'Only decisions of this agent session.', helpValue: 'ID' }),
  since: Flags.string({ description: 'Only decisions since then: a duration ago (45s, 30m, 2h, 1d, 1w) or an ISO date/time (2026-11-24T10:00:00Z).', helpValue: 'DURATION|ISO' }),
  rule: Flags.string({ description: 'Only decisions a rule took part in: its id, or a prefix ending in * (fs.delete.*).', helpValue: 'ID' }),
  project: Flags.string({ description: 'Only decisions in this project (its root, or the cwd, is DIR or inside it).', helpValue: 'DIR' }),
  file: fileFlag,
};

export function tracePathOf(file: string | undefined): string {
  return file ?? defaultTracePath(process.env);
}

/** The filter from the flags, or an error message for a bad --since. */
export function filterOf(flags: { verdict?: string[]; session?: string; since?: string; rule?: string; project?: string }): TraceFilter | string {
  const f: TraceFilter = {};
  if (flags.verdict !== undefined && flags.verdict.length > 0) f.verdicts = flags.verdict;
  if (flags.session !== undefined) f.session = flags.session;
  if (flags.rule !== undefined) f.rule = flags.rule;
  if (flags.project !== undefined) f.project = flags.project;
  if (flags.since !== undefined) {
    const t = parseSince(flags.since);
    if (t === null) return `--since ${flags.since}: expected a duration (45s, 30m, 2h, 1d, 1w) or an ISO date/time (2026-11-24T10:00:00Z)`;
    f.since = t;
  }
  return f;
}

export function isFiltering(f: TraceFilter): boolean {
  return Object.keys(f).length > 0;
}

/** `#12` padded to the widest id shown. */
export function idText(line: number, width: number): string {
  return ('#' + line).padStart(width + 1);
}
