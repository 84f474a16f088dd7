import { Flags } from '@oclif/core';
import { defaultTracePath, readTrace, type TraceRecord } from '../src/audit/trace.js';
import { EXIT, FwCommand, paint, useColor, verdictText } from './_shared.js';

/** `2h`, `30m`, `7d`, `45s` → ms; else an ISO date. */
export function parseSince(s: string, now = Date.now()): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(s.trim());
  if (m) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return now - Number(m[1]) * unit;
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

function what(r: TraceRecord): string {
  const p = r.proposal as TraceRecord['proposal'] | undefined;
  if (!p) return '';
  const text = p.command ?? p.path ?? p.url ?? p.tool ?? '';
  const oneLine = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return oneLine.length > 160 ? oneLine.slice(0, 157) + '…' : oneLine;
}

export default class Log extends FwCommand {
  static override summary = 'Show the decision trace (newest last).';

  static override description = `Every decision the hook makes is appended to a JSONL trace with secrets redacted: ${'$'}FWGUARD_STATE_DIR/trace.jsonl, else ${'$'}XDG_STATE_HOME/fwguard/trace.jsonl, else ~/.local/state/fwguard/trace.jsonl (or audit.path in your config: pass it with --file).`;

  static override examples = [
    '<%= config.bin %> log',
    '<%= config.bin %> log --limit 100 --verdict deny',
    '<%= config.bin %> log --since 2h --json',
  ];

  static override flags = {
    json: Flags.boolean({ description: 'Print records as JSON lines (one per line).' }),
    limit: Flags.integer({ description: 'Show at most N records (the newest).', default: 20, min: 0 }),
    verdict: Flags.string({ description: 'Only records with this verdict.', options: ['allow', 'ask', 'deny'], multiple: true }),
    session: Flags.string({ description: 'Only records of this agent session.' }),
    since: Flags.string({ description: 'Only records newer than this: 30m, 2h, 7d or an ISO date.' }),
    file: Flags.string({ description: 'Read this trace file instead of the default.', helpValue: 'PATH' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Log);
    const path = flags.file ?? defaultTracePath(process.env);
    let since: number | null = null;
    if (flags.since !== undefined) {
      since = parseSince(flags.since);
      if (since === null) this.error(`--since ${flags.since}: expected 30m, 2h, 7d or an ISO date`, { exit: EXIT.usage });
    }
    const filtering = flags.verdict !== undefined || flags.session !== undefined || since !== null;
    let records = readTrace(path, filtering ? {} : { limit: flags.limit });
    if (filtering) {
      records = records.filter(
        (r) =>
          (flags.verdict === undefined || flags.verdict.includes(r.verdict)) &&
          (flags.session === undefined || r.session === flags.session) &&
          (since === null || Date.parse(r.time) >= since),
      );
      if (records.length > flags.limit) records = records.slice(records.length - flags.limit);
    }
    if (flags.json) {
      for (const r of records) process.stdout.write(JSON.stringify(r) + '\n');
      return;
    }
    if (records.length === 0) {
      this.log(`No decisions recorded${filtering ? ' that match' : ''} (${path}).`);
      return;
    }
    const p = paint(useColor(false));
    for (const r of records) {
      const verdict = verdictText(r.verdict, p, false) + ' '.repeat(Math.max(0, 5 - String(r.verdict).length));
      const tag = r.opaque && r.verdict === 'allow' ? p.dim(' opaque') : '';
      this.log(`${p.dim(r.time)} ${verdict}${tag} ${p.dim(r.agent ?? '-')} ${what(r)}`);
      for (const reason of r.reasons ?? []) if (reason.verdict !== 'allow') this.log(`    ${p.cyan(reason.rule)}: ${reason.message}`);
    }
  }
}
