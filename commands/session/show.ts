import { Args, Flags } from '@oclif/core';
import { homedir } from 'node:os';
import { stateDir } from '../../src/engine.js';
import { readSession } from '../../src/session/store.js';
import { EXIT, FwCommand, printJson } from '../_shared.js';

export default class SessionShow extends FwCommand {
  static override summary = "Show what fwguard remembers about an agent session.";

  static override description = 'Labels (secrets read, untrusted content seen), the loop breaker, recent denials and budget use of one agent session.';

  static override examples = ['<%= config.bin %> session show 4f0c2a9e-…', '<%= config.bin %> session show 4f0c2a9e-… --json'];

  static override args = { id: Args.string({ description: 'The agent session id.', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the state as JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SessionShow);
    const s = readSession(stateDir(process.env, process.env.HOME || homedir()), args.id);
    if (!s) {
      if (flags.json) printJson({ session: args.id, state: null });
      else this.log(`Session ${args.id}: no state recorded (or expired).`);
      this.exit(EXIT.ask);
    }
    if (flags.json) return printJson(s);
    const counts = new Map<string, number>();
    for (const e of s.events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    this.log(`session   ${s.id}`);
    this.log(`updated   ${new Date(s.updated).toISOString()}`);
    this.log(`secret    ${s.labels.secret ? `yes, from ${s.labels.secret.source}` : 'no'}`);
    this.log(`untrusted ${s.labels.untrusted ? `yes, from ${s.labels.untrusted.source}` : 'no'}`);
    this.log(`breaker   ${s.tripped ? `TRIPPED: ${s.tripped.reason} (fwguard session reset ${s.id})` : `ok (${s.consecutiveDenials} denials in a row)`}`);
    this.log(`actions   ${[...counts].map(([t, n]) => `${t} ${n}`).join(', ') || 'none recorded'}`);
    for (const d of s.denials.slice(-5)) this.log(`denied    ${new Date(d.at).toISOString()}  ${d.key.slice(0, 100)}`);
  }
}
