import { Flags } from '@oclif/core';
import ciInfo from 'ci-info';
import { constants } from 'node:os';
import { decide, isCI, recordRan, traceAnswer, type Decided } from '../src/core/decide.js';
import { stateDir } from '../src/engine.js';
import { readSession } from '../src/session/store.js';
import { quoteWord } from '../src/util/quote.js';
import type { Decision, Proposal } from '../src/types.js';
import { EXIT, FwCommand, errorMessage, paint, printJson, reasonLine, useColor, verdictText } from './_shared.js';

/** The exit code of a line that did not run (denied, or an ask nobody answered): bash's "cannot execute". */
const NOT_RUN = 126;

export default class Exec extends FwCommand {
  static override summary = 'Run one command line through the firewall: allowed lines run, asks go to you, denied lines never run.';

  static override description = `Judges the line exactly as the agent hook would (same policy, session memory, undo backups and trace), then:
  allow  runs it with bash in this folder and environment, streaming its output; fwguard exits with its exit code
  ask    shows the approval prompt when you are at a terminal (keys: y allow once, s allow for this session,
         a always allow (a rule in your user config), n deny, m deny with a message, d dry run first);
         with no terminal, CI=true or --ci it is not run (exit 126)
  deny   not run: the reason on stderr, exit 126

--dry-run shows what the line would do without doing it (files rm would delete with sizes and git status,
what mv/cp/> would overwrite, sed -i as a diff, git push --dry-run, git clean -n, rsync -n, npm --dry-run,
kubectl --dry-run=server, terraform plan, helm --dry-run) and says so where no safe preview exists.
A denied line is never previewed.

Several words after -- are run as that exact argv (each word quoted); one word is a command line.
The session comes from FWGUARD_SESSION (needed for "allow for this session").

Exit codes: the command's own; 126 not run (denied, or nobody could answer); 3 usage error.`;

  static override usage = ['exec [--dry-run] [--json] [--ci] [--approve-timeout S] -- <command…>', 'exec [--dry-run] [--json] [--ci] [--approve-timeout S] -c "<command line>"'];

  static override examples = [
    { description: 'Run a build through the firewall', command: '<%= config.bin %> exec -- npm run build' },
    { description: 'A line with pipes or && goes in one quoted word, or with -c', command: '<%= config.bin %> exec -c "git add -A && git commit -m wip"' },
    { description: 'See what would be deleted, without deleting anything', command: '<%= config.bin %> exec --dry-run -- rm -rf build' },
    { description: 'Preview a push (git push --dry-run) as JSON', command: '<%= config.bin %> exec --dry-run --json -- git push origin feature/x' },
    { description: 'Remember "allow for this session" across calls', command: 'FWGUARD_SESSION=$$ <%= config.bin %> exec -- rm -rf scratch' },
  ];

  static override strict = false;

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what the line would do, without running it (exit 0, or 126 when denied).' }),
    json: Flags.boolean({ description: 'Print the decision (and the dry run) as JSON on stdout.' }),
    ci: Flags.boolean({ description: 'Non-interactive: never prompt; ask resolves as ci.ask says (default deny).' }),
    'approve-timeout': Flags.integer({ description: 'Seconds to wait for an answer at the prompt, then deny.', default: 120, min: 1, helpValue: 'S' }),
    command: Flags.string({ char: 'c', description: 'The command line to run (instead of words after --).', helpValue: 'LINE' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Exec);
    const words = argv.map(String);
    if (flags.command !== undefined && words.length) this.error('give the command either with -c "<line>" or after --, not both', { exit: EXIT.usage });
    const command = flags.command ?? (words.length === 1 ? words[0]! : words.map(quoteWord).join(' '));
    if (command.trim() === '') this.error('give the command line to run after --, e.g. fwguard exec -- npm test', { exit: EXIT.usage });
    const env = process.env;
    const cwd = process.cwd();
    const ci = flags.ci || isCI(env) || ciInfo.isCI;
    const session = env.FWGUARD_SESSION?.trim();
    const proposal: Proposal = { kind: 'shell', command, cwd, agent: 'exec', tool: 'Bash', ...(session ? { session } : {}) };
    const p = paint(useColor(flags.json, process.stderr));

    let decided: Decided;
    try {
      decided = decide(proposal, { env, ci, backup: !flags['dry-run'], traceExtra: { event: flags['dry-run'] ? 'exec.dry-run' : 'exec', tool: 'Bash', agent: 'exec' } });
    } catch (e) {
      // decide() fails closed itself; this is the last boundary.
      process.stderr.write(`fwguard: not run: fwguard failed while deciding (${errorMessage(e)}); nothing ran.\n`);
      process.exitCode = NOT_RUN;
      return;
    }
    const d = decided.decision;
    const base = { command, cwd, verdict: d.verdict, opaque: d.opaque, risk: d.risk, reasons: d.reasons, actions: d.actions, projectRoot: decided.evaluation.projectRoot, ...(decided.backupId ? { backup: decided.backupId } : {}) };

    if (flags['dry-run']) {
      if (d.verdict === 'deny') {
        if (flags.json) printJson({ ...base, preview: null, exitCode: NOT_RUN });
        this.denied(d, p, 'denied, so fwguard does not preview it either');
        process.exitCode = NOT_RUN;
        return;
      }
      const { dryRun } = await import('../src/exec/dryrun.js');
      const preview = await dryRun(proposal, cwd, { env, decision: d });
      if (flags.json) printJson({ ...base, preview, exitCode: 0 });
      else {
        process.stdout.write(`${verdictText(d.verdict, p, d.opaque)} ${command}  (dry run: nothing was run)\n`);
        for (const r of d.reasons.filter((x) => x.verdict !== 'allow')) process.stdout.write(`  ${reasonLine(r, p)}\n`);
        process.stdout.write(preview.summary + '\n');
        if (!preview.complete) process.stdout.write('(partial: some parts of the line have no safe preview)\n');
      }
      return;
    }

    if (d.verdict === 'deny') {
      if (flags.json) printJson({ ...base, ran: false, exitCode: NOT_RUN });
      this.denied(d, p, 'denied');
      process.exitCode = NOT_RUN;
      return;
    }

    let answer: string | undefined;
    if (d.verdict === 'ask') {
      const { canPrompt, askPerson } = await import('../src/ui/ask.js');
      const screen = process.stderr.isTTY ? process.stderr : process.stdout;
      if (!canPrompt(env, process.stdin, screen, { ci })) {
        const why = ci ? 'this is a non-interactive (CI) run' : 'there is no terminal to ask you on';
        if (flags.json) printJson({ ...base, ran: false, exitCode: NOT_RUN, answer: 'none' });
        this.denied(d, p, `needs a person's approval and ${why}; run it in a terminal, or change the rule in your config`);
        process.exitCode = NOT_RUN;
        return;
      }
      let a: Awaited<ReturnType<typeof askPerson>>;
      try {
        a = await askPerson(
          { proposal, decision: d, projectRoot: decided.evaluation.projectRoot, session: sessionSummary(env, session, d), ...(decided.backupId ? { backupId: decided.backupId } : {}) },
          { timeoutMs: flags['approve-timeout'] * 1000, stdin: process.stdin, stdout: screen, env },
        );
      } catch (e) {
        // The prompt failing is a deny, never a run.
        a = { kind: 'deny', message: `the approval prompt failed (${errorMessage(e)})` };
      }
      process.stdin.pause();
      answer = a.kind;
      traceAnswer(proposal, d, a.kind === 'deny' ? 'deny' : 'allow', decided.evaluation, { event: 'exec.answer', agent: 'exec', answer: a.kind, ...(a.kind === 'deny' && a.message ? { message: a.message } : {}), ...(a.kind === 'deny' && a.timedOut ? { timedOut: true } : {}), ...(a.kind === 'allow-session' ? { pattern: a.pattern.label } : {}), ...(a.kind === 'allow-always' ? { rule: a.rule } : {}) });
      if (a.kind === 'deny') {
        if (flags.json) printJson({ ...base, ran: false, answer: a.kind, ...(a.message ? { message: a.message } : {}), exitCode: NOT_RUN });
        process.stderr.write(`fwguard: not run: ${a.timedOut ? `no answer within ${flags['approve-timeout']} s` : 'you denied it'}${a.message && !a.timedOut ? `: ${a.message}` : ''}\n`);
        process.exitCode = NOT_RUN;
        return;
      }
    }
    if (flags.json) printJson({ ...base, ran: true, ...(answer ? { answer } : {}) });
    process.exitCode = await this.runLine(command, cwd, env);
    recordRan(proposal, 'Bash', { env });
  }

  private denied(d: Decision, p: ReturnType<typeof paint>, what: string): void {
    process.stderr.write(`fwguard: not run (${what}): ${verdictText(d.verdict, p)}\n`);
    for (const r of d.reasons.filter((x) => x.verdict === d.verdict)) process.stderr.write(`  ${reasonLine(r, p)}\n`);
  }


  /** Run the line with bash, output streamed; returns its exit code (128+N when killed by signal N). */
  private async runLine(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
    const { execa } = await import('execa');
    const child = execa('bash', ['-c', command], { cwd, env, extendEnv: false, stdio: 'inherit', reject: false });
    // Ctrl-C reaches the command through the terminal; fwguard waits for it and reports its status.
    // A signal sent to fwguard alone is passed on.
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    try {
      const r = await child;
      if (typeof r.exitCode === 'number') return r.exitCode;
      if (r.signal) return 128 + (constants.signals[r.signal as keyof typeof constants.signals] ?? 1);
      if (r.failed) process.stderr.write(`fwguard: could not run bash: ${r.shortMessage ?? r.message}\n`);
      return 127;
    } finally {
      for (const [s, h] of handlers) process.off(s, h);
    }
  }
}

/** Taint labels and budget use of the session, for the prompt. */
function sessionSummary(env: NodeJS.ProcessEnv, session: string | undefined, d: Decision): { labels?: string[]; budgets?: string[] } | undefined {
  if (!session) return undefined;
  try {
    const s = readSession(stateDir(env, env.HOME ?? ''), session);
    if (!s) return undefined;
    const labels = [s.labels.secret ? `secret (${s.labels.secret.source})` : '', s.labels.untrusted ? `untrusted (${s.labels.untrusted.source})` : '', s.tripped ? `loop breaker tripped (${s.tripped.reason})` : ''].filter(Boolean);
    const hour = Date.now() - 3600_000;
    const budgets = [...new Set(d.flow?.budgeted ?? [])].map((t) => `${t}: ${s.events.filter((e) => e.type === t && e.at >= hour).length} in the last hour`);
    return { labels, budgets };
  } catch {
    return undefined;
  }
}
