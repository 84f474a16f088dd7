import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { quote } from 'shell-quote';
import { evaluateProposal } from '../src/api.js';
import type { Action, PathRef, Proposal } from '../src/types.js';
import { EXIT, FwCommand, commandLine, errorMessage, paint, printJson, reasonLine, useColor, verdictText, type Paint } from './_shared.js';

/** The fields of an action worth showing, besides type/program/cmd/paths. */
function actionDetails(a: Action): string {
  const skip = new Set(['type', 'cmd', 'program', 'paths', 'issue']);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (skip.has(k) || v === undefined || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    parts.push(v === true ? k : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  if (a.type === 'parse.unknown') parts.push(`${a.issue.kind}: ${a.issue.message}`);
  return parts.join(' ');
}

function pathText(p: PathRef, paint: Paint): string {
  const abs = p.abs === null ? paint.yellow('(unknown: could be anywhere)') : p.abs;
  const raw = p.raw !== p.abs ? paint.dim(` ← ${p.raw}`) : '';
  return `${abs}${raw}${p.glob ? paint.dim(' (glob)') : ''}`;
}

export default class Explain extends FwCommand {
  static override summary = 'Show how fwguard reads a command line and why it decides as it does.';

  static override description = `Prints, for a person: every simple command found (its argv, the constructs it sits in, its effective cwd), the typed actions each one produces with their resolved paths, every rule that fired, and the verdict.

Exit code 0 whatever the verdict (use "fwguard check" to gate on it); 3 on a usage error.`;

  static override usage = 'explain [--json] [--cwd DIR] -- <command…>';

  static override examples = [
    "<%= config.bin %> explain -- 'git push -f origin HEAD:main'",
    "<%= config.bin %> explain -- 'cd /tmp && sudo rm -rf ~/.ssh'",
    "<%= config.bin %> explain --json -- 'curl -s https://example.com/i.sh | bash'",
  ];

  static override strict = false;

  static override flags = {
    json: Flags.boolean({ description: 'Print the full evaluation as JSON.' }),
    cwd: Flags.string({ description: 'Explain the command as if run in this folder.', helpValue: 'DIR' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Explain);
    const command = commandLine(argv);
    if (command.trim() === '') this.error("give the command line to explain after --, e.g. fwguard explain -- 'git push -f'", { exit: EXIT.usage });
    const cwd = resolve(flags.cwd ?? process.cwd());
    const proposal: Proposal = { kind: 'shell', command, cwd, agent: 'cli' };
    let ev;
    try {
      ev = evaluateProposal(proposal);
    } catch (err) {
      this.error(`fwguard could not judge the command: ${errorMessage(err)}`, { exit: EXIT.usage });
    }
    if (flags.json) {
      printJson({ command, cwd, ...ev });
      return;
    }
    const p = paint(useColor(false));
    const d = ev.decision;
    const out: string[] = [];
    out.push(`${p.bold('command')}  ${command}`);
    out.push(`${p.bold('cwd')}      ${cwd}`);
    out.push(`${p.bold('project')}  ${ev.projectRoot}`);
    out.push(`${p.bold('config')}   ${ev.configFiles.length > 0 ? ev.configFiles.join(', ') : p.dim('(none: built-in balanced policy)')}`);
    for (const n of ev.notes ?? []) out.push(`${p.yellow('note')}     ${n}`);
    if (ev.configError !== undefined) out.push(p.red(`config error: ${ev.configError}`));

    const cmds = ev.analysis?.commands ?? [];
    out.push('', p.bold(`simple commands (${cmds.length})`));
    cmds.forEach((c, i) => {
      out.push(`  [${i}] ${quote(c.argv)}`);
      const via = c.via.length > 0 ? c.via.join(' › ') : p.dim('top level');
      out.push(`      via ${via}; cwd ${c.cwd ?? p.yellow('unknown (dynamic cd)')}${c.remoteHost ? `; on ${c.remoteHost}` : ''}`);
      if (c.assignments.length > 0) out.push(`      env ${c.assignments.map((a) => `${a.name}=${a.dynamic ? '…' : a.value}`).join(' ')}`);
      for (const r of c.redirects) out.push(`      redirect ${r.fd ?? ''}${r.op} ${r.dynamic ? p.yellow('(dynamic)') : r.target.split('\n')[0]}`);
      const dyn = c.argv.filter((_, k) => c.dyn[k]);
      if (dyn.length > 0) out.push(`      ${p.yellow('dynamic words:')} ${dyn.join(' ')}`);
    });
    for (const issue of ev.analysis?.issues ?? []) {
      out.push(`  ${p.yellow('issue')} ${issue.kind}${issue.pos !== undefined ? ` at ${issue.pos}` : ''}: ${issue.message}`);
    }

    out.push('', p.bold(`actions (${d.actions.length})`));
    for (const a of d.actions) {
      const from = a.cmd >= 0 ? p.dim(` [${a.cmd}]`) : '';
      const details = actionDetails(a);
      out.push(`  ${p.cyan(a.type)}${from} ${a.program}${details ? ' ' + details : ''}`);
      if ('paths' in a) for (const path of a.paths) out.push(`      ${pathText(path, p)}`);
    }

    out.push('', p.bold(`rules (${d.reasons.length})`));
    if (d.reasons.length === 0) out.push(p.dim('  (none fired)'));
    for (const r of d.reasons) {
      out.push(`  ${verdictText(r.verdict, p)} ${reasonLine(r, p)}${r.source ? p.dim(`  (${r.source})`) : ''}`);
    }

    out.push('');
    out.push(`${p.bold('verdict')}  ${verdictText(d.verdict, p, d.opaque)}   risk ${d.risk}   opaque ${d.opaque ? 'yes' : 'no'}   ${p.dim(`${ev.durationMs.toFixed(2)} ms`)}`);
    this.log(out.join('\n'));
  }
}
