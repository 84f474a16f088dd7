import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { runExamples } from '../src/api.js';
import { EXIT, FwCommand, errorMessage, paint, printJson, useColor } from './_shared.js';

export default class Test extends FwCommand {
  static override summary = "Run every rule's examples and your config's tests.";

  static override description = `Each rule carries examples (command lines it must match, and look-alikes it must not); your .fwguardrc can add tests of its own. This runs them all against the policy in force.

Exit codes: 0 all pass; 1 some example failed (each is printed); 3 the config is invalid.`;

  static override examples = ['<%= config.bin %> test', '<%= config.bin %> test --json'];

  static override flags = {
    json: Flags.boolean({ description: 'Print results as JSON.' }),
    cwd: Flags.string({ description: 'Load the config as seen from this folder.', helpValue: 'DIR' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Test);
    let res;
    try {
      res = runExamples(resolve(flags.cwd ?? process.cwd()));
    } catch (err) {
      this.error(`could not run the examples: ${errorMessage(err)}`, { exit: EXIT.usage });
    }
    const failed = res.results.filter((r) => !r.ok);
    if (flags.json) {
      printJson({ passed: res.results.length - failed.length, failed: failed.length, ...res });
    } else {
      const p = paint(useColor(false));
      for (const f of failed) {
        const want = f.expected === 'match' ? 'should match' : 'should not match';
        this.log(`${p.red('FAIL')} ${p.cyan(f.rule)} ${want}: ${f.command}`);
        this.log(p.dim(`     ${f.source}${f.detail ? ` — ${f.detail}` : ''}`));
      }
      const summary = `${res.results.length} examples, ${failed.length} failed`;
      this.log(failed.length > 0 ? p.red(summary) : p.green(summary));
    }
    if (res.configError !== undefined) {
      process.stderr.write(`config error: ${res.configError}\n`);
      process.exitCode = EXIT.usage;
    } else if (failed.length > 0) {
      process.exitCode = 1;
    }
  }
}
