import { Args, Flags } from '@oclif/core';
import { readTraceLine, type TraceRecord } from '../../src/audit/trace.js';
import { FwCommand, paint, printJson, useColor, verdictText, type Paint } from '../_shared.js';
import { fileFlag, tracePathOf } from './_common.js';

/** Fields printed in their own sections; anything else is listed under "extra". */
const KNOWN = new Set(['prev', 'time', 'session', 'agent', 'cwd', 'projectRoot', 'proposal', 'actions', 'verdict', 'opaque', 'rules', 'reasons', 'durationMs']);

function indent(text: string, by: string): string {
  return text.replace(/\n/g, '\n' + by);
}

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function renderRecord(line: number, r: TraceRecord, p: Paint): string[] {
  const out: string[] = [];
  out.push(`${p.bold('#' + line)}  ${verdictText(r.verdict, p, r.opaque === true)}  ${String(r.time)}`);
  const field = (label: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') out.push(`  ${p.dim(label.padEnd(9))} ${indent(value(v), '            ')}`);
  };
  field('session', r.session);
  field('agent', r.agent);
  field('project', r.projectRoot);
  field('cwd', r.cwd);
  field('duration', typeof r.durationMs === 'number' ? `${r.durationMs} ms` : undefined);
  out.push('', p.bold('proposal'));
  const prop = (r.proposal ?? {}) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(prop)) {
    if (['cwd', 'session', 'agent'].includes(k) && v === (r as Record<string, unknown>)[k]) continue;
    field(k, v);
  }
  const reasons = Array.isArray(r.reasons) ? r.reasons : [];
  out.push('', p.bold(`reasons (${reasons.length})`));
  if (reasons.length === 0) out.push(`  ${p.dim('none: no rule had an opinion')}`);
  for (const x of reasons) {
    const v = x?.verdict ?? 'allow';
    out.push(`  ${verdictText(v, p)}${' '.repeat(Math.max(0, 5 - v.length))} ${p.cyan(String(x?.rule))}: ${x?.message}`);
  }
  const actions = Array.isArray(r.actions) ? r.actions : [];
  out.push('', p.bold(`actions (${actions.length})`));
  for (const a of actions) {
    const { type, ...rest } = (a ?? {}) as unknown as Record<string, unknown>;
    const attrs = Object.entries(rest)
      .filter(([, v]) => v !== false && v !== undefined && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => (v === true ? k : `${k}=${JSON.stringify(v)}`));
    out.push(`  ${p.cyan(String(type))}${attrs.length ? ' ' + attrs.join(' ') : ''}`);
  }
  const extras = Object.entries(r).filter(([k]) => !KNOWN.has(k));
  if (extras.length > 0) {
    out.push('', p.bold('extra'));
    for (const [k, v] of extras) field(k, v);
  }
  out.push('', `${p.dim('prev')}      ${p.dim(String(r.prev ?? '(none: not chained)'))}`);
  return out;
}

export default class LogShow extends FwCommand {
  static override summary = 'Print one decision of the trace in full.';

  static override description = 'ID is the decision\'s line number in the trace file: `fwguard log` and `fwguard log stats` print it as #ID.';

  static override examples = [
    { description: 'Decision #42 of the default trace.', command: '<%= config.bin %> log show 42' },
    { description: 'As JSON, from another file.', command: '<%= config.bin %> log show 42 --file ./trace.jsonl --json' },
  ];

  static override args = {
    id: Args.integer({ description: 'The decision id (its line number in the trace, as `fwguard log` prints it: #ID).', required: true, min: 1 }),
  };

  static override flags = {
    file: fileFlag,
    json: Flags.boolean({ description: 'Print the record exactly as stored, as JSON.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LogShow);
    const path = tracePathOf(flags.file);
    const r = readTraceLine(path, args.id);
    if (r === null) {
      process.exitCode = 1;
      this.logToStderr(`No decision #${args.id} in ${path} (no such line, or it is not a record: try ${this.config.bin} log verify).`);
      return;
    }
    if (flags.json) {
      printJson(r);
      return;
    }
    for (const l of renderRecord(args.id, r, paint(useColor(false)))) this.log(l);
  }
}
