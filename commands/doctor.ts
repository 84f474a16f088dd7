import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { AGENT_IDS, isAgentId, type AgentId } from '../src/install/agents.js';
import { runDoctorAgents, type Severity } from '../src/install/doctor.js';
import { FwCommand, paint, printJson, useColor } from './_shared.js';

export default class Doctor extends FwCommand {
  static override summary = 'Check that each installed guard runs, denies a known-bad call and cannot fail open.';

  static override description = `For each agent fwguard is registered with (or each --agent named): finds fwguard's entries in the agent's hook files, checks that the registered command resolves and runs, feeds it \`rm -rf ~\` in that agent's own payload shape and checks that the agent would see a deny. Flags every setting that switches the hook off (Claude Code "disableAllHooks", Gemini hooksConfig.enabled: false or hooksConfig.disabled naming fwguard, Copilot "disableAllHooks", Codex [features] hooks = false and an untrusted hook, Cursor entries without "failClosed": true, OpenCode plugins that do not load), reads \`<agent> --version\` when the agent is on PATH (only --version: no agent is started) and says whether it is new enough for its fail-closed switch, and says what to do about each finding.

A hook command that no longer exists is reported as blocking every call for agents that fail closed, and as FAILING OPEN for those that do not.

Exit codes: 0 every guard holds; 1 some guard would fail open or is not installed.`;

  static override examples = [
    { description: 'Every agent fwguard is installed in', command: '<%= config.bin %> doctor' },
    { description: 'Just Codex, as JSON', command: '<%= config.bin %> doctor --agent codex --json' },
    { description: 'Check Gemini and Cursor even if nothing is installed yet', command: '<%= config.bin %> doctor --agent gemini --agent cursor' },
  ];

  static override flags = {
    agent: Flags.string({ description: 'The agent(s) to check (default: every agent with a fwguard registration); repeat for several.', options: [...AGENT_IDS, 'all'], multiple: true }),
    json: Flags.boolean({ description: 'Print the findings as JSON.' }),
    cwd: Flags.string({ description: 'Project folder (default: the current folder).', helpValue: 'DIR' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const asked = flags.agent;
    const agents: readonly AgentId[] | undefined = asked === undefined ? undefined : asked.includes('all') ? AGENT_IDS : asked.filter(isAgentId);
    const report = runDoctorAgents({ cwd: resolve(flags.cwd ?? process.cwd()), ...(agents ? { agents } : {}) });
    if (flags.json) {
      printJson({ ...report, findings: report.agents.flatMap((a) => a.findings.map((f) => ({ agent: a.agent, ...f }))) });
    } else {
      const p = paint(useColor(false));
      const mark: Record<Severity, string> = { ok: p.green('ok   '), info: p.dim('info '), warn: p.yellow('warn '), error: p.red('FAIL ') };
      this.log(`project ${report.projectRoot}`);
      for (const a of report.agents) {
        this.log('');
        this.log(p.bold(a.label) + p.dim(` (${a.agent})${a.version ? `  ${a.version}` : ''}`) + (a.failsOpen ? p.red('  — would NOT hold') : p.green('  — holds')));
        for (const f of a.files) {
          const state = f.exists ? `${f.hooks} fwguard entr${f.hooks === 1 ? 'y' : 'ies'}` : 'absent';
          this.log(p.dim(`  ${state.padEnd(18)}  ${f.path}`));
        }
        for (const f of a.findings) {
          this.log(`${mark[f.severity]}${f.message}`);
          if (f.fix) this.log(`     → ${f.fix}`);
        }
      }
      this.log(report.failsOpen ? p.red('\nThe guard would NOT hold: fix the FAIL lines above.') : p.green('\nThe guard holds.'));
    }
    process.exitCode = report.failsOpen ? 1 : 0;
  }
}
