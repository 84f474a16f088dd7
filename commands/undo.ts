import { Args, Flags } from '@oclif/core';
import { homedir } from 'node:os';
import { stateDir } from '../src/engine.js';
import { listBackups, purgeBackups, restore } from '../src/exec/backup.js';
import { EXIT, FwCommand, printJson } from './_shared.js';

export default class Undo extends FwCommand {
  static override summary = 'Restore files an agent deleted or overwrote (from fwguard’s backups).';

  static override description = `Before an allowed (or asked) call deletes or overwrites files git cannot restore (untracked, modified, ignored but not regenerable), fwguard copies exactly those paths into a backup store in its state dir: at most 50 MB per call and 500 MB in all, kept 7 days, oldest evicted first. What could not be backed up makes the call ask.

Without an ID, lists the backups (newest last). With an ID, restores its files; a file changed after the backup is not overwritten unless you pass --force. --purge deletes every backup (an agent running it is denied).`;

  static override examples = ['<%= config.bin %> undo', '<%= config.bin %> undo 20261124T093012-a1b2c3', '<%= config.bin %> undo 20261124T093012-a1b2c3 --force'];

  static override args = { id: Args.string({ description: 'The backup to restore (see the list).' }) };
  static override flags = {
    list: Flags.boolean({ description: 'List the backups (the default without an ID).' }),
    force: Flags.boolean({ description: 'Overwrite files that changed after the backup.' }),
    purge: Flags.boolean({ description: 'Delete every backup.' }),
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Undo);
    const states = stateDir(process.env, process.env.HOME || homedir());
    if (flags.purge) {
      const n = purgeBackups(states);
      if (flags.json) printJson({ purged: n });
      else this.log(`Deleted ${n} backup${n === 1 ? '' : 's'}.`);
      return;
    }
    if (!args.id || flags.list) {
      const all = listBackups(states);
      if (flags.json) return printJson(all);
      if (!all.length) return this.log('No backups.');
      for (const m of all) {
        this.log(`${m.id}  ${new Date(m.time).toISOString()}  ${(m.bytes / 1024).toFixed(1)} KB  ${m.entries.length} path${m.entries.length === 1 ? '' : 's'}  ${m.command.replace(/\s+/g, ' ').slice(0, 80)}`);
        for (const e of m.entries.slice(0, 5)) this.log(`    ${e.kind === 'dir' ? 'dir ' : 'file'} ${e.path}`);
      }
      return;
    }
    let r;
    try {
      r = restore(states, args.id, flags.force);
    } catch (e) {
      this.error(`no backup ${args.id} (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); run \`fwguard undo\` for the list`, { exit: EXIT.usage });
    }
    if (flags.json) printJson(r);
    else {
      for (const p of r.restored) this.log(`restored  ${p}`);
      for (const x of r.refused) this.log(`kept      ${x.path}: ${x.why}`);
    }
    if (r.refused.length) this.exit(EXIT.ask);
  }
}
