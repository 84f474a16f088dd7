import { Flags } from '@oclif/core';
import { homedir } from 'node:os';
import { applyInit, planDiff, planInit, type InitPlan } from '../src/install/claude-code.js';
import { stateDir, trustConfig } from '../src/engine.js';
import { EXIT, FwCommand, errorMessage, paint, printJson, useColor } from './_shared.js';

export default class Init extends FwCommand {
  static override summary = "Install fwguard's hook into Claude Code and write a commented .fwguardrc.yaml.";

  static override description = `Writes .fwguardrc.yaml at the project root (the git top-level, else the current folder) unless a config already exists, and merges fwguard's PreToolUse and PostToolUse hooks into .claude/settings.json (--scope project, the default) or ~/.claude/settings.json (--scope user).

The hook is registered in exec form (the absolute node and fwguard paths, no shell) for every tool (matcher "*"), with "onFailure": "block": if fwguard cannot start, crashes or times out, Claude Code blocks the call instead of running it unguarded (Claude Code 2.1.295 or newer; run "fwguard doctor" to check).

Other hooks and settings are left untouched. Running init twice changes nothing; --remove takes fwguard's entries out again.`;

  static override examples = [
    { description: 'Guard this project', command: '<%= config.bin %> init' },
    { description: 'See what would change, write nothing', command: '<%= config.bin %> init --dry-run' },
    { description: 'Guard every project of this user', command: '<%= config.bin %> init --scope user' },
    { description: "Take fwguard's hooks out again", command: '<%= config.bin %> init --remove' },
  ];

  static override flags = {
    agent: Flags.string({ description: 'The agent to install into.', options: ['claude-code'], default: 'claude-code' }),
    scope: Flags.string({ description: 'project: .claude/settings.json; user: ~/.claude/settings.json.', options: ['project', 'user'], default: 'project' }),
    'dry-run': Flags.boolean({ description: 'Print the changes as a diff and write nothing.' }),
    remove: Flags.boolean({ description: "Remove fwguard's hooks (other hooks and your config stay)." }),
    force: Flags.boolean({ description: 'Replace an existing .fwguardrc.yaml with the commented template (the old one is kept as .fwguardrc.yaml.bak).' }),
    snapshot: Flags.boolean({ description: 'Start the hook from its V8 startup snapshot when it works with this node (faster); --no-snapshot always uses bin/run.js.', default: true, allowNo: true }),
    cwd: Flags.string({ description: 'Project folder (default: the current folder).', helpValue: 'DIR', hidden: true }),
    json: Flags.boolean({ description: 'Print the plan as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    let plan: InitPlan;
    try {
      plan = planInit({
        cwd: flags.cwd ?? process.cwd(),
        home: process.env.HOME || homedir(),
        scope: flags.scope as 'project' | 'user',
        remove: flags.remove,
        force: flags.force,
        snapshot: flags.snapshot,
      });
    } catch (err) {
      this.error(errorMessage(err), { exit: EXIT.usage });
    }
    const dry = flags['dry-run'];
    if (!dry) {
      try {
        applyInit(plan);
        // The config init writes is the user's own: pin it as trusted (an edit un-trusts it).
        for (const c of plan.changes) {
          if ((c.action === 'create' || c.action === 'update') && /\.fwguardrc(\.[a-z]+)?$/.test(c.path)) trustConfig(stateDir(process.env, process.env.HOME || homedir()), c.path);
        }
      } catch (err) {
        this.error(`could not write: ${errorMessage(err)}`, { exit: EXIT.usage });
      }
    }
    if (flags.json) {
      printJson({
        dryRun: dry,
        projectRoot: plan.projectRoot,
        settingsFile: plan.settingsFile,
        handler: plan.handler,
        changes: plan.changes.map(({ path, action, notes }) => ({ path, action, notes })),
        warnings: plan.warnings,
      });
      return;
    }
    const p = paint(useColor(false));
    if (dry) {
      const diff = planDiff(plan);
      process.stdout.write(diff === '' ? 'Nothing to change.\n' : diff);
    }
    for (const c of plan.changes) {
      const verb = { create: dry ? 'would create' : 'created', update: dry ? 'would update' : 'updated', unchanged: 'unchanged', skip: 'kept' }[c.action];
      const colour = c.action === 'create' || c.action === 'update' ? p.green : p.dim;
      this.log(`${colour(verb.padEnd(12))} ${c.path}${c.notes.length > 0 ? p.dim(` — ${c.notes.join('; ')}`) : ''}`);
    }
    for (const w of plan.warnings) process.stderr.write(`${p.yellow('warning:')} ${w}\n`);
    if (!dry && !flags.remove) {
      this.log(`\nNext: run ${p.bold('fwguard doctor')} to check the hook runs and denies a known-bad call.`);
    }
  }
}
