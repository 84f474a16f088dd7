import { Flags } from '@oclif/core';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { findProjectConfig, isTrusted, stateDir, trustConfig, userConfigDir } from '../src/engine.js';
import { nodeFacts } from '../src/policy/facts-node.js';
import { EXIT, FwCommand, printJson } from './_shared.js';

export default class Trust extends FwCommand {
  static override summary = "Trust this project's fwguard config, so it may loosen the policy too.";

  static override description = `A project's .fwguardrc can come from anyone who can commit to the repository, so until you trust it, it may only make the policy stricter: entries that would loosen it (a rule turned to allow or off, extra write scope, ci.ask: allow, …) are ignored, and \`fwguard explain\` says which.

\`fwguard trust\` pins the SHA-256 of the config file's current bytes in your state dir. Any later edit makes it untrusted again. An agent cannot run this command (the guard denies it): trusting is a person's decision.`;

  static override examples = ['<%= config.bin %> trust', '<%= config.bin %> trust --file ../other/.fwguardrc.yaml', '<%= config.bin %> trust --check'];

  static override flags = {
    file: Flags.string({ description: 'The config file (default: the one that applies in the current folder).', helpValue: 'PATH' }),
    check: Flags.boolean({ description: 'Only report whether it is trusted (exit 0 yes, 1 no).' }),
    json: Flags.boolean({ description: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Trust);
    const env = process.env;
    const home = env.HOME || homedir();
    const file = flags.file ? resolve(flags.file) : findProjectConfig(process.cwd(), nodeFacts(), userConfigDir(env, home));
    if (!file || !existsSync(file)) this.error('no project config found here (looked for .fwguardrc* and fwguard.config.* above this folder); pass --file', { exit: EXIT.usage });
    const states = stateDir(env, home);
    if (flags.check) {
      const ok = isTrusted(states, file);
      if (flags.json) printJson({ file, trusted: ok });
      else this.log(`${file}: ${ok ? 'trusted' : 'not trusted (it may only tighten the policy)'}`);
      if (!ok) this.exit(EXIT.ask);
      return;
    }
    const hash = trustConfig(states, file);
    if (flags.json) printJson({ file, trusted: true, sha256: hash });
    else this.log(`Trusted ${file} (sha256 ${hash.slice(0, 16)}…). Any edit makes it untrusted again.`);
  }
}
