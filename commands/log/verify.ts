import { Flags } from '@oclif/core';
import { verifyTrace } from '../../src/audit/trace.js';
import { FwCommand, paint, printJson, useColor } from '../_shared.js';
import { fileFlag, tracePathOf } from './_common.js';

export default class LogVerify extends FwCommand {
  static override summary = "Check the trace's hash chain: exit 0 when intact, 1 when broken.";

  static override description = `Every record carries the SHA-256 of the line before it (the first one 64 zeros). verify walks the file and reports the first line that is not a record, has no prev hash, or does not follow the line before it: an edited, deleted, inserted or reordered record, or a torn last line (a write cut short).

The chain cannot show an edit of the newest record, or a wholesale rewrite of the file by someone who recomputes every hash: keep the head hash verify prints somewhere else (a ticket, a commit, a log server) to detect those.`;

  static override examples = [
    { description: 'Verify the default trace.', command: '<%= config.bin %> log verify' },
    { description: 'Verify a copy, as JSON ({ok, records, head, firstBad}).', command: '<%= config.bin %> log verify --file ./trace-copy.jsonl --json' },
  ];

  static override flags = {
    file: fileFlag,
    json: Flags.boolean({ description: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(LogVerify);
    const path = tracePathOf(flags.file);
    const r = verifyTrace(path);
    process.exitCode = r.ok ? 0 : 1;
    if (flags.json) {
      printJson({ path, ...r });
      return;
    }
    const p = paint(useColor(false));
    if (!r.exists) {
      this.log(`No trace at ${path}: nothing to verify.`);
      return;
    }
    if (r.ok) {
      this.log(`${p.bold(p.green('OK'))} ${path}: ${r.records} record${r.records === 1 ? '' : 's'}, chain intact.`);
      this.log(`${p.dim('head')} ${r.head}`);
      return;
    }
    const bad = r.firstBad!;
    this.log(`${p.bold(p.red('BROKEN'))} ${path}: line ${bad.line} of ${r.records}: ${bad.reason}.`);
    this.log('');
    this.log('What to do:');
    // A line is vouched for by the next line's prev: lines up to bad-2 are; bad-1 is not.
    if (bad.line > 2) this.log(`  - Lines 1–${bad.line - 2} are intact (each is vouched for by the next); from line ${bad.line - 1} on, trust nothing.`);
    else this.log('  - No record of this file is vouched for.');
    this.log(`  - Inspect around it: ${this.config.bin} log show ${Math.max(1, bad.line - 1)}, ${this.config.bin} log show ${bad.line}.`);
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    this.log(`  - Keep the file as evidence and start a new chain: mv ${q(path)} ${q(`${path}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`)}`);
    this.log('    (otherwise new decisions keep chaining onto the broken file; after the move the next decision starts a fresh chain).');
    this.log('  - Find out who could write the file: fwguard protects its state dir from the agent, not from you or other programs.');
  }
}
