import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { runDoctor, type Severity } from '../src/install/doctor.js';
import { FwCommand, paint, printJson, useColor } from './_shared.js';

export default class Doctor extends FwCommand {
  static override summary = 'Check that the installed guard runs, denies a known-bad call and cannot fail open.';

  static override description = `Finds fwguard's hook entries in .claude/settings.json, .claude/settings.local.json and ~/.claude/settings.json, checks that each command resolves and runs, feeds it a PreToolUse call for \`rm -rf ~\` and checks that it is denied. Flags a missing "onFailure": "block", "disableAllHooks": true in any settings file, and a Claude Code too old to honour onFailure, and says what to do about each.

Exit codes: 0 the guard holds; 1 the guard would fail open (or is not installed).`;

  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json'];

  static override flags = {
    json: Flags.boolean({ description: 'Print the findings as JSON.' }),
    cwd: Flags.string({ description: 'Project folder (default: the current folder).', helpValue: 'DIR' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const report = runDoctor({ cwd: resolve(flags.cwd ?? process.cwd()) });
    if (flags.json) {
      printJson(report);
    } else {
      const p = paint(useColor(false));
      const mark: Record<Severity, string> = { ok: p.green('ok   '), info: p.dim('info '), warn: p.yellow('warn '), error: p.red('FAIL ') };
      this.log(`project ${report.projectRoot}`);
      for (const f of report.files) {
        const state = f.exists ? `${f.hooks} fwguard hook${f.hooks === 1 ? '' : 's'}` : 'absent';
        this.log(p.dim(`  ${state.padEnd(16)}  ${f.path}`));
      }
      for (const f of report.findings) {
        this.log(`${mark[f.severity]}${f.message}`);
        if (f.fix) this.log(`     → ${f.fix}`);
      }
      this.log(report.failsOpen ? p.red('\nThe guard would NOT hold: fix the FAIL lines above.') : p.green('\nThe guard holds.'));
    }
    process.exitCode = report.failsOpen ? 1 : 0;
  }
}
