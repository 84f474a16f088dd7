import { Flags } from '@oclif/core';
import { BrokerConnection } from '../src/broker/client.js';
import { findRuns } from '../src/broker/runs.js';
import type { PendingInfo, Response, RunInfo } from '../src/broker/protocol.js';
import { describeProposal } from '../src/agents/adapter.js';
import { EXIT, FwCommand, errorMessage, printJson } from './_shared.js';

interface Item {
  run: RunInfo;
  conn: BrokerConnection;
  info: PendingInfo;
}

export default class Approve extends FwCommand {
  static override summary = 'Answer the pending asks of running `fwguard run` sessions from a second terminal.';

  static override description = `For agents that own their terminal (an interactive claude, aider, …): run this in another terminal. It finds every \`fwguard run\` of yours (their private socket directories), and while it is connected, asks that a person could answer are held and shown here one at a time with fwguard's approval prompt (y once · s session · a always · n deny · m deny with a message · d dry run). An ask nobody answers within the run's --approve-timeout is denied.

With --list it prints the runs and their pending requests once, without prompting (--json for data).`;

  static override examples = [
    { description: 'Answer asks as they come (Ctrl-C to stop)', command: '<%= config.bin %> approve' },
    { description: 'What is running and waiting, as JSON', command: '<%= config.bin %> approve --list --json' },
  ];

  static override flags = {
    list: Flags.boolean({ description: 'Print the runs and their pending requests, then exit.' }),
    json: Flags.boolean({ description: 'With --list: print JSON.' }),
    run: Flags.string({ description: 'Only this run (its id, as --list shows).', helpValue: 'ID' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Approve);
    const env = process.env;
    if (flags.list) return this.list(flags.json, flags.run);
    const ui = await import('../src/ui/ask.js');
    if (!ui.canPrompt(env, process.stdin, process.stdout)) {
      this.error('fwguard approve needs a terminal (and no CI) to ask you; use --list to see what is pending.', { exit: EXIT.usage });
    }
    const conns = new Map<string, BrokerConnection>();
    const queue: Item[] = [];
    const seen = new Set<string>();
    let wake: () => void = () => {};
    const enqueue = (run: RunInfo, conn: BrokerConnection, list: PendingInfo[]) => {
      for (const info of list) {
        const key = `${run.id}:${info.pending}`;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push({ run, conn, info });
      }
      // Drop what is no longer pending (answered elsewhere, withdrawn, timed out).
      const live = new Set(list.map((i) => `${run.id}:${i.pending}`));
      for (let k = queue.length - 1; k >= 0; k--) if (queue[k]!.run.id === run.id && !live.has(`${run.id}:${queue[k]!.info.pending}`)) queue.splice(k, 1);
      wake();
    };
    const scan = async () => {
      for (const run of findRuns(env).runs) {
        if (conns.has(run.id) || (flags.run && run.id !== flags.run)) continue;
        try {
          const conn = await BrokerConnection.open(run.socket, run.token);
          conns.set(run.id, conn);
          process.stderr.write(`fwguard approve: watching run ${run.id} (${run.argv.join(' ').slice(0, 80)}, pid ${run.pid})\n`);
          conn.onPush = (r: Response) => {
            if (r.type === 'pending') enqueue(run, conn, r.list);
          };
          conn.onClose = () => {
            conns.delete(run.id);
            process.stderr.write(`fwguard approve: run ${run.id} ended\n`);
          };
          const first = await conn.request({ type: 'watch' });
          if (first.type === 'pending') enqueue(run, conn, first.list);
        } catch (e) {
          process.stderr.write(`fwguard approve: cannot reach run ${run.id}: ${errorMessage(e)}\n`);
        }
      }
    };
    await scan();
    if (conns.size === 0) process.stderr.write('fwguard approve: no `fwguard run` is running yet; waiting for one (Ctrl-C to stop).\n');
    const timer = setInterval(() => void scan(), 1000);
    try {
      for (;;) {
        const item = queue.shift();
        if (!item) {
          await new Promise<void>((r) => {
            wake = r;
          });
          continue;
        }
        const { info } = item;
        process.stderr.write(`\nfwguard approve: run ${item.run.id} asks about: ${describeProposal(info.proposal) ?? info.proposal.kind}\n`);
        const answer = await ui.askPerson({ proposal: info.proposal, decision: info.decision, projectRoot: info.projectRoot }, { env, timeoutMs: Math.max(1000, info.until - Date.now()) });
        const r = await item.conn.request({ type: 'answer', pending: info.pending, answer });
        process.stderr.write(r.type === 'ok' ? `fwguard approve: ${answer.kind} sent\n` : `fwguard approve: not sent: ${r.type === 'error' ? r.error : r.type}\n`);
      }
    } finally {
      clearInterval(timer);
      for (const c of conns.values()) c.close();
    }
  }

  private async list(json: boolean, only?: string): Promise<void> {
    const found = findRuns(process.env);
    const runs: { run: RunInfo; pending: PendingInfo[]; error?: string }[] = [];
    for (const run of found.runs) {
      if (only && run.id !== only) continue;
      try {
        const conn = await BrokerConnection.open(run.socket, run.token);
        // A list-only peek must not take asks away from the run's own prompt: list, not watch.
        const r = await conn.request({ type: 'list' });
        conn.close();
        runs.push({ run, pending: r.type === 'pending' ? r.list : [] });
      } catch (e) {
        runs.push({ run, pending: [], error: errorMessage(e) });
      }
    }
    if (json) {
      printJson({ base: found.base, runs: runs.map((r) => ({ id: r.run.id, pid: r.run.pid, agent: r.run.agent, argv: r.run.argv, cwd: r.run.cwd, started: r.run.started, ci: r.run.ci, pending: r.pending.map((p) => ({ pending: p.pending, what: describeProposal(p.proposal), verdict: p.decision.verdict, rules: p.decision.reasons.map((x) => x.rule), since: new Date(p.since).toISOString() })), ...(r.error ? { error: r.error } : {}) })), skipped: found.skipped });
      return;
    }
    if (runs.length === 0) this.log(`no fwguard run is running (looked in ${found.base})`);
    for (const r of runs) {
      this.log(`run ${r.run.id}  pid ${r.run.pid}  ${r.run.argv.join(' ')}  (since ${r.run.started}${r.run.ci ? ', CI' : ''})`);
      if (r.error) this.log(`  unreachable: ${r.error}`);
      for (const p of r.pending) this.log(`  #${p.pending}  ${describeProposal(p.proposal) ?? p.proposal.kind}  [${p.decision.reasons.map((x) => x.rule).join(', ')}]`);
      if (!r.error && r.pending.length === 0) this.log('  nothing pending');
    }
    for (const s of found.skipped) process.stderr.write(`skipped ${s.dir}: ${s.why}\n`);
  }
}
