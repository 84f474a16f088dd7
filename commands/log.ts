import { Flags } from '@oclif/core';
import { summarize, traceFilter } from '../src/audit/review.js';
import { readTraceEntries } from '../src/audit/trace.js';
import { EXIT, FwCommand, paint, useColor, verdictText } from './_shared.js';
import { filterFlags, filterOf, idText, isFiltering, tracePathOf } from './log/_common.js';

export { parseSince } from '../src/audit/review.js';

export default class Log extends FwCommand {
  static override summary = 'Show the decision trace (newest last); `log show`, `log stats` and `log verify` review it.';

  static override description = `Every decision the hook makes is appended to a JSONL trace with secrets redacted: ${'$'}FWGUARD_STATE_DIR/trace.jsonl, else ${'$'}XDG_STATE_HOME/fwguard/trace.jsonl, else ~/.local/state/fwguard/trace.jsonl (or audit.path in your config: pass it with --file).

Each line starts with the decision's id (#N, its line number in the file): \`fwguard log show N\` prints that decision in full. Each record carries the SHA-256 of the line before it, so \`fwguard log verify\` finds any edited, deleted, inserted or reordered record.`;

  static override examples = [
    { description: 'The newest 20 decisions.', command: '<%= config.bin %> log' },
    { description: 'Denials and escalations of the last two hours.', command: '<%= config.bin %> log --since 2h --verdict deny,ask' },
    { description: 'One session, one project, as JSON lines.', command: '<%= config.bin %> log --session 4f1c… --project ~/src/app --json' },
    { description: 'Everything a family of rules decided, newest 100.', command: "<%= config.bin %> log --rule 'fs.delete.*' --limit 100" },
    { description: 'Decisions since a point in time.', command: '<%= config.bin %> log --since 2026-11-24T10:00:00Z' },
  ];

  static override flags = {
    ...filterFlags,
    json: Flags.boolean({ description: 'Print the records as JSON lines, each with its id as "line".' }),
    limit: Flags.integer({ description: 'Show at most N decisions (the newest; 0 for all).', default: 20, min: 0, helpValue: 'N' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Log);
    const path = tracePathOf(flags.file);
    const filter = filterOf(flags);
    if (typeof filter === 'string') this.error(filter, { exit: EXIT.usage });
    const filtering = isFiltering(filter);
    const entries = readTraceEntries(path, {
      ...(filtering ? { filter: traceFilter(filter) } : {}),
      ...(flags.limit > 0 ? { limit: flags.limit } : {}),
    });
    if (flags.json) {
      for (const e of entries) process.stdout.write(JSON.stringify({ line: e.line, ...e.record }) + '\n');
      return;
    }
    if (entries.length === 0) {
      this.log(`No decisions recorded${filtering ? ' that match' : ''} (${path}).`);
      return;
    }
    const p = paint(useColor(false));
    const width = String(entries.at(-1)!.line).length;
    for (const { line, record: r } of entries) {
      const verdict = verdictText(r.verdict, p, false) + ' '.repeat(Math.max(0, 5 - String(r.verdict).length));
      const tag = r.opaque && r.verdict === 'allow' ? p.dim(' opaque') : '';
      this.log(`${p.dim(idText(line, width))} ${p.dim(String(r.time))} ${verdict}${tag} ${p.dim(String(r.agent ?? '-'))} ${summarize(r)}`);
      for (const reason of Array.isArray(r.reasons) ? r.reasons : []) {
        if (reason?.verdict !== 'allow') this.log(`${' '.repeat(width + 4)}${p.cyan(String(reason?.rule))}: ${reason?.message}`);
      }
    }
  }
}
