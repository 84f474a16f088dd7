import { Flags } from '@oclif/core';
import ciInfo from 'ci-info';
import { isCI } from '../src/core/decide.js';
import { runAgent, RunError, statusCode } from '../src/run/run.js';
import { isHeadless } from '../src/run/wiring.js';
import { appendStepSummary, buildReport, reportFormat, summaryText, writeReport } from '../src/report/report.js';
import type { LocalAsker } from '../src/broker/server.js';
import { EXIT, FwCommand, errorMessage } from './_shared.js';

/** `--fail-on-deny` with an agent that exited 0 but had calls denied. */
export const EXIT_DENIED = 4;

export default class Run extends FwCommand {
  static override summary = 'Run a coding agent with its shell routed through fwguard.';

  static override description = `Starts a broker for this run (a Unix socket in a private 0700 directory) that decides every call the agent's hooks and shells ask about, with the policy loaded once, then starts the agent with its shell routed through it.

claude: fwguard's PreToolUse/PostToolUse hooks are added for this run only (--settings, with "disableAllHooks": false; your settings files are not touched), and CLAUDE_CODE_SHELL_PREFIX judges each shell invocation again before bash runs it.

Any other agent: SHELL and a PATH prefix point at fwguard's bash/sh/zsh shims. "<shell> -c CMD" and "-lc CMD" are judged first (refused: the reason on stderr, exit 126). Any other use of a shell (interactive, a script file, commands on stdin) runs unjudged, and a program that runs /bin/sh by absolute path, or starts programs without a shell, is not seen.

An ask is put to a person when one can answer: on this terminal when the agent does not use it (--approve-here; on by default for claude -p, gemini -p, codex exec and opencode run), or in a second terminal running \`fwguard approve\`. Otherwise hooks hand it to the agent's own prompt and shims refuse it. Nobody answering within --approve-timeout is a deny.

CI mode (--ci, FWGUARD_CI, or a CI that ci-info detects): nothing waits for a person, ask resolves as the config's ci.ask says (default deny), every deny is printed as one line on stderr, a summary is printed at the end, and the Markdown summary is appended to $GITHUB_STEP_SUMMARY when it is set.

Exit code: the agent's (128+N when signal N ended it); 127 the agent was not found; 125 the broker could not start (for example a run directory other users can write); 3 usage; ${EXIT_DENIED} with --fail-on-deny when the agent exited 0 but fwguard denied something. SIGTERM, SIGHUP, SIGQUIT, and SIGINT unless typed at this terminal (which already reached the agent), are passed to the agent.`;

  static override usage = 'run [--ci] [--approve-timeout S] [--report FILE] [--fail-on-deny] [--approve-here] -- <agent> [args…]';

  static override examples = [
    { description: 'Claude Code, interactive (approve asks in its own prompt or in `fwguard approve`)', command: '<%= config.bin %> run -- claude' },
    { description: 'A headless Claude Code run; asks are put to you on this terminal', command: "<%= config.bin %> run -- claude -p 'fix the failing test'" },
    { description: 'Any agent that runs commands with $SHELL -c or bash -c', command: '<%= config.bin %> run -- aider --yes' },
    { description: 'In CI: no prompts, a report, and a failing job when anything was denied', command: "<%= config.bin %> run --ci --report fwguard-report.md --fail-on-deny -- claude -p 'update deps'" },
  ];

  static override strict = false;

  static override flags = {
    ci: Flags.boolean({ description: 'Non-interactive: never wait for a person; ask resolves as ci.ask says (default deny).' }),
    'approve-timeout': Flags.integer({ description: 'Seconds a held ask waits for a person before it is denied.', default: 120, min: 1, helpValue: 'S' }),
    report: Flags.string({ description: 'Write the run report to FILE (.json or .md).', helpValue: 'FILE' }),
    'fail-on-deny': Flags.boolean({ description: `Exit ${EXIT_DENIED} when the agent exited 0 but fwguard denied something.` }),
    'approve-here': Flags.boolean({ description: 'Ask held requests on this terminal (the agent must not read it). Default: on for known headless invocations.', allowNo: true }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Run);
    const agentArgv = argv.map(String);
    if (agentArgv.length === 0) this.error('give the agent to run after --, e.g. fwguard run -- claude', { exit: EXIT.usage });
    if (flags.report) {
      try {
        reportFormat(flags.report);
      } catch (e) {
        this.error(errorMessage(e), { exit: EXIT.usage });
      }
    }
    const env = process.env;
    const ci = flags.ci || isCI(env) || ciInfo.isCI;
    let localAsk: LocalAsker | undefined;
    const here = flags['approve-here'] ?? isHeadless(agentArgv);
    if (here && !ci) {
      const ui = await import('../src/ui/ask.js');
      if (ui.canPrompt(env, process.stdin, process.stdout)) {
        localAsk = async (p) => ui.askPerson({ proposal: p.proposal, decision: p.decision, projectRoot: p.projectRoot }, { timeoutMs: flags['approve-timeout'] * 1000, env });
      } else if (flags['approve-here']) {
        process.stderr.write('fwguard run: --approve-here needs a terminal on stdin and stdout; asks go to `fwguard approve` or the agent instead.\n');
      }
    }
    let result;
    try {
      result = await runAgent({
        argv: agentArgv,
        env,
        cwd: process.cwd(),
        ci,
        approveTimeoutS: flags['approve-timeout'],
        ...(localAsk ? { localAsk, stdin: 'ignore' as const } : {}),
        ...(ci ? { onDeny: (line: string) => void process.stderr.write(line + '\n') } : {}),
      });
    } catch (e) {
      if (e instanceof RunError) this.error(`fwguard run: ${e.message}`, { exit: e.exitCode });
      throw e;
    }
    let code = statusCode(result);
    const denies = result.records.filter((r) => r.verdict === 'deny').length;
    if (flags['fail-on-deny'] && code === 0 && denies > 0) code = EXIT_DENIED;
    const report = buildReport(result.records, {
      agent: agentArgv[0]!,
      argv: agentArgv,
      ci,
      broker: result.brokerId,
      started: result.started,
      finished: new Date().toISOString(),
      exitCode: code,
      agentExit: { code: result.code, signal: result.signal },
    });
    if (ci) process.stderr.write(summaryText(report));
    try {
      if (flags.report) writeReport(flags.report, report);
      if (env.GITHUB_STEP_SUMMARY) appendStepSummary(env.GITHUB_STEP_SUMMARY, report);
    } catch (e) {
      process.stderr.write(`fwguard run: could not write the report: ${errorMessage(e)}\n`);
      if (code === 0) code = EXIT.usage;
    }
    process.exitCode = code;
  }
}
