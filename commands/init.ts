import { Flags } from '@oclif/core';
import { homedir } from 'node:os';
import { applyInit, planDiff } from '../src/install/claude-code.js';
import { AGENT_IDS, isAgentId, planAgents, type AgentId, type MultiInitPlan } from '../src/install/agents.js';
import { stateDir, trustConfig } from '../src/engine.js';
import { EXIT, FwCommand, errorMessage, paint, printJson, useColor } from './_shared.js';

export default class Init extends FwCommand {
  static override summary = "Install fwguard's hook into your coding agents and write a commented .fwguardrc.yaml.";

  static override description = `Writes .fwguardrc.yaml at the project root (the git top-level, else the current folder) unless a config already exists, and registers fwguard with each agent named by --agent (default claude-code), in the agent's own hook file:

  claude-code  .claude/settings.json (user: ~/.claude/settings.json)      PreToolUse + PostToolUse, exec form, "onFailure": "block", timeout 10 s
  gemini       .gemini/settings.json (user: ~/.gemini/settings.json)      BeforeTool + AfterTool, timeout 10000 ms
  copilot      .github/hooks/fwguard.json (user: ~/.copilot/hooks/)       preToolUse + postToolUse, timeoutSec 10
  codex        ~/.codex/hooks.json (project: .codex/hooks.json)           PreToolUse + PostToolUse, timeout 10 s
  cursor       .cursor/hooks.json (user: ~/.cursor/hooks.json)            preToolUse, beforeShellExecution, beforeReadFile, beforeMCPExecution (+ postToolUse), "failClosed": true, timeout 10 s
  opencode     .opencode/plugins/fwguard.js (user: ~/.config/opencode/plugins/)   a plugin whose tool.execute.before throws to block

Every registration covers every tool and names the absolute node and fwguard paths. Agents that only run a shell string get the paths quoted; Gemini's and Codex's command lines end in a fallback that turns "fwguard could not start" into a block, because neither has a fail-closed switch.

--agent all installs into every agent whose config folder exists here or whose program is on PATH, and says which it skipped. Copilot CLI also runs the hooks in .claude/settings.json: when fwguard's Claude Code hook is there, the project's Copilot registration is skipped so no call is judged twice. Codex skips a new hook until you trust it in its /hooks menu: init says so, and doctor checks it.

Other hooks and settings are left untouched. Running init twice changes nothing; --remove takes only fwguard's entries out again.`;

  static override examples = [
    { description: 'Guard this project in Claude Code', command: '<%= config.bin %> init' },
    { description: 'See what would change, write nothing', command: '<%= config.bin %> init --agent gemini --dry-run' },
    { description: 'Every agent installed on this machine', command: '<%= config.bin %> init --agent all' },
    { description: 'Codex (user hooks file) and Cursor', command: '<%= config.bin %> init --agent codex --agent cursor' },
    { description: 'Guard every project of this user in Claude Code', command: '<%= config.bin %> init --scope user' },
    { description: "Take fwguard's hooks out of every agent again", command: '<%= config.bin %> init --agent all --remove' },
  ];

  static override flags = {
    agent: Flags.string({ description: 'The agent(s) to install into; repeat the flag for several.', options: [...AGENT_IDS, 'all'], default: ['claude-code'], multiple: true }),
    scope: Flags.string({ description: "project: the project's hook file; user: the user's (default: project, except codex: user).", options: ['project', 'user'] }),
    'dry-run': Flags.boolean({ description: 'Print the changes as a diff and write nothing.' }),
    remove: Flags.boolean({ description: "Remove fwguard's hooks (other hooks and your config stay)." }),
    force: Flags.boolean({ description: 'Replace an existing .fwguardrc.yaml with the commented template (the old one is kept as .fwguardrc.yaml.bak).' }),
    snapshot: Flags.boolean({ description: "Start Claude Code's hook from its V8 startup snapshot when it works with this node (faster); --no-snapshot always uses bin/run.js.", default: true, allowNo: true }),
    cwd: Flags.string({ description: 'Project folder (default: the current folder).', helpValue: 'DIR', hidden: true }),
    json: Flags.boolean({ description: 'Print the plan as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    const home = process.env.HOME || homedir();
    const asked = flags.agent;
    const agents: readonly AgentId[] | 'all' = asked.includes('all') ? 'all' : asked.filter(isAgentId);
    let plan: MultiInitPlan;
    try {
      plan = planAgents({
        cwd: flags.cwd ?? process.cwd(),
        home,
        env: process.env,
        agents,
        ...(flags.scope ? { scope: flags.scope as 'project' | 'user' } : {}),
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
          if ((c.action === 'create' || c.action === 'update') && /\.fwguardrc(\.[a-z]+)?$/.test(c.path)) trustConfig(stateDir(process.env, home), c.path);
        }
      } catch (err) {
        this.error(`could not write: ${errorMessage(err)}`, { exit: EXIT.usage });
      }
    }
    const warnings = plan.agents.flatMap((a) => a.warnings.filter((w) => w !== ''));
    if (flags.json) {
      printJson({
        dryRun: dry,
        projectRoot: plan.projectRoot,
        agents: plan.agents.map((a) => ({ agent: a.agent, scope: a.scope, file: a.file, skipped: a.skipped ?? null, changes: a.changes.map(({ path, action, notes }) => ({ path, action, notes })), warnings: a.warnings.filter((w) => w !== ''), todo: a.todo })),
        notDetected: plan.notDetected,
        changes: plan.changes.map(({ path, action, notes }) => ({ path, action, notes })),
        warnings,
      });
      return;
    }
    const p = paint(useColor(false));
    if (dry) {
      const diff = planDiff(plan);
      process.stdout.write(diff === '' ? 'Nothing to change.\n' : diff);
    }
    const verbs = { create: dry ? 'would create' : 'created', update: dry ? 'would update' : 'updated', unchanged: 'unchanged', skip: 'kept', delete: dry ? 'would delete' : 'deleted' } as const;
    const line = (c: MultiInitPlan['changes'][number]) => {
      const colour = c.action === 'unchanged' || c.action === 'skip' ? p.dim : p.green;
      this.log(`${colour(verbs[c.action].padEnd(12))} ${c.path}${c.notes.length > 0 ? p.dim(` — ${c.notes.join('; ')}`) : ''}`);
    };
    if (plan.config) line(plan.config);
    for (const a of plan.agents) {
      this.log(p.bold(`${a.agent}`) + p.dim(` (${a.scope})`));
      if (a.skipped) this.log(`  ${p.yellow('skipped')}      ${a.skipped}`);
      for (const c of a.changes) line(c);
      for (const w of a.warnings) if (w !== '') process.stderr.write(`${p.yellow('warning:')} [${a.agent}] ${w}\n`);
      for (const t of a.todo) this.log(`  ${p.yellow('to do:')} ${t}`);
    }
    for (const n of plan.notDetected) this.log(p.dim(`skipped ${n.agent}: ${n.why}`));
    if (plan.agents.length === 0) this.log('No agent found here: name one with --agent (see --help).');
    if (!dry && !flags.remove && plan.agents.length > 0) {
      this.log(`\nNext: run ${p.bold(`fwguard doctor${agents === 'all' ? '' : agents.map((a) => ` --agent ${a}`).join('')}`)} to check each hook runs and denies a known-bad call.`);
    }
  }
}
