import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { listRules } from '../src/api.js';
import { EXIT, FwCommand, errorMessage, paint, printJson, useColor, verdictText } from './_shared.js';

export default class Rules extends FwCommand {
  static override summary = 'List the rules in force: ids, verdicts and where each comes from.';

  static override description = `Lists the built-in rules and those from your config files, after your overrides (a rule whose verdict you changed shows the new verdict; "off" means disabled).

Exit code 3 when the config is invalid (the guard then denies everything until it is fixed).`;

  static override examples = ['<%= config.bin %> rules', '<%= config.bin %> rules --json | jq ".rules[].id"'];

  static override flags = {
    json: Flags.boolean({ description: 'Print rules as JSON.' }),
    cwd: Flags.string({ description: 'Load the config as seen from this folder.', helpValue: 'DIR' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Rules);
    let res;
    try {
      res = listRules(resolve(flags.cwd ?? process.cwd()));
    } catch (err) {
      this.error(`could not load the rules: ${errorMessage(err)}`, { exit: EXIT.usage });
    }
    if (flags.json) {
      printJson(res);
    } else {
      const p = paint(useColor(false));
      this.log(p.dim(`config: ${res.configFiles.length > 0 ? res.configFiles.join(', ') : '(none: built-in balanced policy)'}`));
      const width = Math.min(48, Math.max(0, ...res.rules.map((r) => r.id.length)));
      for (const r of res.rules) {
        this.log(`${r.id.padEnd(width)}  ${verdictText(r.verdict, p)}${' '.repeat(5 - r.verdict.length)}  ${p.dim(r.source)}`);
        if (r.message) this.log(`${' '.repeat(width)}  ${p.dim(r.message)}`);
      }
      this.log(p.dim(`${res.rules.length} rules`));
    }
    if (res.configError !== undefined) {
      process.stderr.write(`config error: ${res.configError}\n`);
      process.exitCode = EXIT.usage;
    }
  }
}
