import { Args, Flags } from '@oclif/core';
import { homedir } from 'node:os';
import { stateDir } from '../../src/engine.js';
import { resetSession } from '../../src/session/store.js';
import { EXIT, FwCommand, printJson } from '../_shared.js';

export default class SessionReset extends FwCommand {
  static override summary = "Forget a session's memory: labels, budgets and the loop breaker.";

  static override description = `When an agent keeps retrying denied actions, fwguard's loop breaker makes every further change in that session ask. A person resets it here (an agent that runs this command is denied). Budgets and the secret/untrusted labels of the session are cleared too.

The session id is the agent's (Claude Code's session_id); \`fwguard log\` shows it.`;

  static override examples = ['<%= config.bin %> session reset 4f0c2a9e-…'];

  static override args = { id: Args.string({ description: 'The agent session id.', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the result as JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SessionReset);
    const dir = stateDir(process.env, process.env.HOME || homedir());
    const removed = resetSession(dir, args.id);
    if (flags.json) printJson({ session: args.id, reset: removed });
    else this.log(removed ? `Session ${args.id}: memory cleared.` : `Session ${args.id}: no state recorded (nothing to reset).`);
    if (!removed) this.exit(EXIT.ask);
  }
}
