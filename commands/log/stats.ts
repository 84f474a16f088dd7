import { Flags } from '@oclif/core';
import { traceFilter, traceStats, type CountRow, type TopRow } from '../../src/audit/review.js';
import { readTraceEntries } from '../../src/audit/trace.js';
import { EXIT, FwCommand, paint, printJson, useColor, type Paint } from '../_shared.js';
import { filterFlags, filterOf, isFiltering, tracePathOf } from './_common.js';

export default class LogStats extends FwCommand {
  static override summary = 'Count decisions by verdict, rule, action type and session; list the top denied and asked commands.';

  static override description =
    'Review denials and escalations as seriously as test results: a rule that fires all day is either catching a real habit of the agent or is too loose. Each top entry names the id of its newest decision for `fwguard log show`.';

  static override examples = [
    { description: 'Everything in the trace.', command: '<%= config.bin %> log stats' },
    { description: 'The last day, as JSON.', command: '<%= config.bin %> log stats --since 1d --json' },
    { description: 'One project.', command: '<%= config.bin %> log stats --project ~/src/app' },
  ];

  static override flags = {
    ...filterFlags,
    json: Flags.boolean({ description: 'Print the counts as JSON.' }),
    top: Flags.integer({ description: 'How many top denied / asked commands (and rows per table) to show.', default: 10, min: 1, helpValue: 'N' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(LogStats);
    const path = tracePathOf(flags.file);
    const filter = filterOf(flags);
    if (typeof filter === 'string') this.error(filter, { exit: EXIT.usage });
    const entries = readTraceEntries(path, isFiltering(filter) ? { filter: traceFilter(filter) } : {});
    const s = traceStats(entries, flags.top);
    if (flags.json) {
      printJson({ path, ...s });
      return;
    }
    if (s.records === 0) {
      this.log(`No decisions recorded${isFiltering(filter) ? ' that match' : ''} (${path}).`);
      return;
    }
    const p = paint(useColor(false));
    const n = (x: number) => x.toLocaleString('en-US');
    this.log(`${p.bold(n(s.records))} decision${s.records === 1 ? '' : 's'}${s.first ? ` from ${s.first} to ${s.last}` : ''} ${p.dim(`(${path})`)}`);
    const v = s.byVerdict;
    this.log(`  ${p.bold(p.red('deny'))} ${n(v.deny ?? 0)}   ${p.bold(p.yellow('ask'))} ${n(v.ask ?? 0)}   ${p.bold(p.green('allow'))} ${n(v.allow ?? 0)}`);
    this.top('Top denied', s.topDenied, p);
    this.top('Top asked', s.topAsked, p);
    this.table('By rule', s.byRule, flags.top, p);
    this.table('By action type', s.byAction, flags.top, p);
    this.table('By session', s.bySession, flags.top, p);
  }

  private top(title: string, rows: TopRow[], p: Paint): void {
    this.log('');
    this.log(p.bold(title));
    if (rows.length === 0) {
      this.log(`  ${p.dim('none')}`);
      return;
    }
    const w = String(rows[0]!.count).length;
    const idw = Math.max(...rows.map((r) => String(r.last).length)) + 1;
    for (const r of rows) {
      this.log(`  ${String(r.count).padStart(w)}×  ${p.dim(('#' + r.last).padEnd(idw))}  ${r.what}${r.rules.length ? '  ' + p.cyan(r.rules.join(', ')) : ''}`);
    }
  }

  private table(title: string, rows: CountRow[], max: number, p: Paint): void {
    this.log('');
    this.log(p.bold(title));
    if (rows.length === 0) {
      this.log(`  ${p.dim('none')}`);
      return;
    }
    const shown = rows.slice(0, max);
    const kw = Math.max(...shown.map((r) => r.key.length));
    const cw = Math.max(...shown.map((r) => String(r.count).length));
    for (const r of shown) this.log(`  ${r.key.padEnd(kw)}  ${String(r.count).padStart(cw)}`);
    if (rows.length > max) this.log(`  ${p.dim(`… ${rows.length - max} more`)}`);
  }
}
