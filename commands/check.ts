import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { evaluateProposal } from '../src/api.js';
import type { Proposal } from '../src/types.js';
import { EXIT, FwCommand, commandLine, errorMessage, paint, printJson, reasonLine, useColor, verdictText } from './_shared.js';

export default class Check extends FwCommand {
  static override summary = 'Judge one command line: allow, ask or deny.';

  static override description = `Parses the command line the way bash would, turns every program it runs into typed actions, and applies your policy (.fwguardrc plus the built-in rules).

Exit codes:
  0  allow
  1  ask (a person should decide)
  2  deny
  3  usage or config error (the guard would deny while the config is invalid)

With --ci (or CI=true) nobody can be asked, so "ask" resolves as your config's ci.ask says (default deny).`;

  static override usage = 'check [--json] [--cwd DIR] [--ci] -- <command…>';

  static override examples = [
    { description: 'A forced push to a protected branch', command: "<%= config.bin %> check -- git push -f origin main" },
    { description: 'Quote a line that holds pipes or ;', command: "<%= config.bin %> check -- 'curl https://x.sh | sh'" },
    { description: 'Machine-readable, as judged in another folder', command: '<%= config.bin %> check --json --cwd ../app -- rm -rf dist' },
  ];

  static override strict = false;

  static override flags = {
    json: Flags.boolean({ description: 'Print the decision as JSON.' }),
    cwd: Flags.string({ description: 'Judge the command as if run in this folder.', helpValue: 'DIR' }),
    ci: Flags.boolean({ description: 'Non-interactive: resolve "ask" as ci.ask says (default deny).' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Check);
    const command = commandLine(argv);
    if (command.trim() === '') this.error('give the command line to judge after --, e.g. fwguard check -- git status', { exit: EXIT.usage });
    const cwd = resolve(flags.cwd ?? process.cwd());
    const proposal: Proposal = { kind: 'shell', command, cwd, agent: 'cli' };
    let ev;
    try {
      ev = evaluateProposal(proposal, flags.ci ? { ci: true } : {});
    } catch (err) {
      this.error(`fwguard could not judge the command: ${errorMessage(err)}`, { exit: EXIT.usage });
    }
    const d = ev.decision;
    const code = ev.configError !== undefined ? EXIT.usage : EXIT[d.verdict];
    if (flags.json) {
      printJson({
        command,
        cwd,
        verdict: d.verdict,
        opaque: d.opaque,
        risk: d.risk,
        reasons: d.reasons,
        actions: d.actions,
        projectRoot: ev.projectRoot,
        configFiles: ev.configFiles,
        notes: ev.notes ?? [],
        ...(ev.configError !== undefined ? { configError: ev.configError } : {}),
        durationMs: ev.durationMs,
        exitCode: code,
      });
    } else {
      const p = paint(useColor(false));
      this.log(verdictText(d.verdict, p, d.opaque));
      for (const r of d.reasons) this.log(`  ${reasonLine(r, p)}`);
      if (ev.configError !== undefined) process.stderr.write(`config error: ${ev.configError}\n`);
    }
    process.exitCode = code;
  }
}
