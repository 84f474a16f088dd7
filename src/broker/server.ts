// The `fwguard run` broker: one per run, inside the `fwguard run` process. It owns the run's
// decisions (src/core/decide.ts with a policy cache, so config is not reloaded per call; file
// system and git facts are read fresh every call), the session state and the trace writer, and it
// holds asks for a person (this terminal, or a `fwguard approve` client) when one can answer.
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { decide, recordRan, traceAnswer } from '../core/decide.js';
import { stateDir, type PolicyCacheEntry } from '../engine.js';
import { describeProposal } from '../agents/adapter.js';
import type { Decision, Proposal, Reason } from '../types.js';
import { shellOutcome } from './shell.js';
import { ensurePrivateDir, lineReader, runBase, type Front, type PendingInfo, type PersonAnswer, type Request, type Response, type RunInfo } from './protocol.js';

/** One decision the broker answered, for the end-of-run summary and report. */
export interface DecisionRecord {
  time: string;
  front: Front;
  /** The command line, or the tool and what it names. */
  what: string;
  cwd: string;
  verdict: Decision['verdict'];
  /** Verdict before a person answered (ask), when one did. */
  asked?: boolean;
  person?: PersonAnswer['kind'];
  /** Rules behind the final verdict. */
  rules: string[];
  message: string;
}

/** Asks a person on this terminal (the Ink prompt); undefined when nobody is here. */
export type LocalAsker = (p: PendingInfo) => Promise<PersonAnswer>;

export interface BrokerOptions {
  env: NodeJS.ProcessEnv;
  /** Non-interactive: ask resolves per ci.ask; nothing is ever held for a person. */
  ci: boolean;
  agent: string;
  argv: string[];
  cwd: string;
  /** Seconds a held ask waits for a person before it is denied. */
  approveTimeoutS: number;
  /** This terminal can ask (the agent does not own it). */
  localAsk?: LocalAsker;
  /** Called for every deny, already formatted as one line (CI prints them on stderr). */
  onDeny?: (line: string, rec: DecisionRecord) => void;
}

export interface Broker {
  id: string;
  dir: string;
  socket: string;
  /** The agent's token (decide, ran, ping): goes into the agent's environment. */
  token: string;
  /** The approver's token (watch, list, answer): only in info.json. */
  approverToken: string;
  records: DecisionRecord[];
  /** Stop listening, answer every held ask with deny, remove the socket and its directory. */
  close(): Promise<void>;
  /** Last resort on process exit: remove the socket and its directory now. */
  closeSync(): void;
}

interface Held {
  info: PendingInfo;
  resolve: (a: PersonAnswer) => void;
}

const oneLine = (s: string, max = 240) => {
  const t = s.replace(/\s*\n\s*/g, ' ⏎ ');
  return t.length > max ? t.slice(0, max) + '…' : t;
};

export function denyLine(rec: DecisionRecord): string {
  return `fwguard: deny ${rec.rules[0] ?? 'fwguard'} (${rec.front}): ${oneLine(rec.what, 200)} — ${oneLine(rec.message, 300)}`;
}

/** A person's answer, as the Decision the asking front end renders. */
export function personDecision(d: Decision, a: PersonAnswer): Decision {
  if (a.kind === 'deny') {
    const message = a.timedOut
      ? 'Nobody answered the approval request in time, so fwguard denied it; do not retry, ask the user.'
      : a.message
        ? `A person denied this: ${a.message}`
        : 'A person denied this in fwguard; do not retry it, ask the user what to do instead.';
    return { ...d, verdict: 'deny', opaque: false, reasons: [{ rule: a.timedOut ? 'person.timeout' : 'person.deny', verdict: 'deny', message, source: 'internal' }, ...d.reasons] };
  }
  const how = a.kind === 'allow-once' ? 'once' : a.kind === 'allow-session' ? 'for this session' : 'always';
  const r: Reason = { rule: `person.${a.kind}`, verdict: 'allow', message: `A person approved this in fwguard (${how}).`, source: 'internal' };
  return { ...d, verdict: 'allow', opaque: false, reasons: [r, ...d.reasons.map((x) => ({ ...x, verdict: 'allow' as const }))] };
}

/** A response as the shims' perl client reads it (see Request.reply). */
function textReply(r: Response, front: Front): string {
  if (r.type === 'held') return `held ${r.waitMs}\n`;
  if (r.type === 'decision') {
    const o = shellOutcome(front, r.decision);
    return `${o.exitCode} ${o.stderr}\n`;
  }
  return `error ${r.type === 'error' ? r.error.replace(/\s+/g, ' ') : r.type}\n`;
}

export async function startBroker(opts: BrokerOptions): Promise<Broker> {
  const env = opts.env;
  const states = stateDir(env, env.HOME ?? '');
  const base = runBase(env, states);
  ensurePrivateDir(base);
  const id = randomBytes(6).toString('hex');
  const dir = join(base, id);
  ensurePrivateDir(dir);
  const socket = join(dir, 's');
  const token = randomBytes(24).toString('hex');
  const approverToken = randomBytes(24).toString('hex');
  const policyCache = new Map<string, PolicyCacheEntry>();
  const records: DecisionRecord[] = [];
  const held = new Map<number, Held>();
  const watchers = new Set<Socket>();
  let nextPending = 1;
  let localBusy: Promise<unknown> = Promise.resolve();
  const timeoutMs = Math.max(1, opts.approveTimeoutS) * 1000;

  const pendingList = (): PendingInfo[] => [...held.values()].map((h) => h.info);
  const pushPending = () => {
    const msg = JSON.stringify({ id: 0, type: 'pending', list: pendingList() } satisfies Response) + '\n';
    for (const w of watchers) w.write(msg);
  };

  const record = (front: Front, p: Proposal, d: Decision, extra: Partial<DecisionRecord> = {}) => {
    let shown = d.reasons.filter((r) => r.verdict === d.verdict);
    // An ask that CI turned into a deny: name the rule that asked, then ci.ask.
    if (d.verdict === 'deny' && shown.every((r) => r.rule === 'ci.ask')) shown = [...d.reasons.filter((r) => r.verdict === 'ask'), ...shown];
    const rec: DecisionRecord = {
      time: new Date().toISOString(),
      front,
      what: describeProposal(p) ?? p.kind,
      cwd: p.cwd,
      verdict: d.verdict,
      rules: [...new Set(shown.map((r) => r.rule))],
      message: shown.map((r) => r.message).slice(0, 2).join(' '),
      ...extra,
    };
    records.push(rec);
    if (rec.verdict === 'deny') opts.onDeny?.(denyLine(rec), rec);
  };

  /** Hold an ask for a person; resolves with their answer, or deny on timeout / shutdown. */
  const holdForPerson = (info: Omit<PendingInfo, 'pending' | 'since' | 'until'>, onCancel: (cancel: () => void) => void): Promise<PersonAnswer> =>
    new Promise((resolve) => {
      const pending = nextPending++;
      let settled = false;
      const settle = (a: PersonAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        held.delete(pending);
        pushPending();
        resolve(a);
      };
      const timer = setTimeout(() => settle({ kind: 'deny', timedOut: true }), timeoutMs);
      const full: PendingInfo = { ...info, pending, since: Date.now(), until: Date.now() + timeoutMs };
      held.set(pending, { info: full, resolve: settle });
      onCancel(() => settle({ kind: 'deny', message: 'the agent withdrew the request' }));
      if (watchers.size > 0) pushPending();
      else if (opts.localAsk) {
        const ask = opts.localAsk;
        // One prompt at a time on this terminal.
        localBusy = localBusy.then(async () => {
          if (settled) return;
          try {
            settle(await ask(full));
          } catch (e) {
            settle({ kind: 'deny', message: `the prompt failed: ${e instanceof Error ? e.message : String(e)}` });
          }
        });
      }
    });

  const canAskPerson = () => !opts.ci && (watchers.size > 0 || opts.localAsk !== undefined);

  const handle = async (conn: Socket, req: Request, send: (r: Response) => void, onClose: (f: () => void) => void): Promise<void> => {
    const approver = req.token === approverToken;
    if (!approver && req.token !== token) return send({ id: req.id, type: 'error', error: 'bad token' });
    if (!approver && (req.type === 'watch' || req.type === 'list' || req.type === 'answer')) {
      return send({ id: req.id, type: 'error', error: `"${req.type}" needs the approver's token (fwguard approve reads it from the run's info.json)` });
    }
    switch (req.type) {
      case 'ping':
        return send({ id: req.id, type: 'ok' });
      case 'ran':
        recordRan(req.proposal, req.tool, { env });
        return send({ id: req.id, type: 'ok' });
      case 'watch':
        watchers.add(conn);
        conn.on('close', () => {
          watchers.delete(conn);
        });
        // Asks already waiting for this terminal's prompt stay there; new ones go to the watcher.
        return send({ id: req.id, type: 'pending', list: pendingList() });
      case 'list':
        return send({ id: req.id, type: 'pending', list: pendingList() });
      case 'answer': {
        const h = held.get(req.pending);
        if (!h) return send({ id: req.id, type: 'error', error: `no pending request ${req.pending} (already answered or withdrawn)` });
        h.resolve(req.answer);
        return send({ id: req.id, type: 'ok' });
      }
      case 'decide': {
        const sendD = req.reply === 'text' ? (r: Response) => void (conn.destroyed || conn.write(textReply(r, req.front))) : send;
        const p: Proposal = { ...req.proposal, ...(req.proposal.agent ? {} : { agent: opts.agent }) };
        const { decision, evaluation, backupId } = decide(p, {
          env,
          // The prefix only enforces denies; in CI an ask (Claude Code's own wrapper line always
          // holds an `eval`) must not turn into a deny there: the hook already resolved it.
          ci: opts.ci && req.front !== 'prefix',
          policyCache,
          traceExtra: { event: req.event ?? (req.front === 'hook' ? 'PreToolUse' : 'shell'), tool: req.tool, agent: p.agent, front: req.front, broker: id },
        });
        const by = `broker ${id}`;
        const reply = (d: Decision, extra: Partial<DecisionRecord> = {}) => {
          record(req.front, p, d, extra);
          sendD({ id: req.id, type: 'decision', decision: d, ...(backupId ? { backupId } : {}), by });
          // A shim runs what is allowed right away and cannot report back (it execs the shell):
          // session memory learns what it does now, after the answer is on its way.
          if (req.front === 'shim' && d.verdict === 'allow' && p.session) setImmediate(() => recordRan(p, 'shell', { env }));
        };
        // Claude Code's shell prefix runs after its own hook (already recorded) and prompt: it
        // only enforces denies, and only its denies are news for the report.
        if (req.front === 'prefix') {
          if (decision.verdict === 'deny') record(req.front, p, decision);
          return sendD({ id: req.id, type: 'decision', decision, by });
        }
        if (decision.verdict !== 'ask') return reply(decision);
        if (!canAskPerson()) return reply(decision);
        sendD({ id: req.id, type: 'held', waitMs: timeoutMs });
        const answer = await holdForPerson({ proposal: p, decision, projectRoot: evaluation.projectRoot, front: req.front }, onClose);
        const final = personDecision(decision, answer);
        traceAnswer(p, final, final.verdict, evaluation, { event: 'approval', person: answer.kind, front: req.front, broker: id }, { env });
        return reply(final, { asked: true, person: answer.kind });
      }
      default:
        return send({ id: (req as { id?: number }).id ?? 0, type: 'error', error: `unknown request type` });
    }
  };

  const conns = new Set<Socket>();
  const server: Server = createServer((conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    const cancels: (() => void)[] = [];
    conn.on('close', () => {
      for (const c of cancels.splice(0)) c();
    });
    conn.on('error', () => {});
    const send = (r: Response) => {
      if (!conn.destroyed) conn.write(JSON.stringify(r) + '\n');
    };
    conn.on(
      'data',
      lineReader((v) => {
        const req = v as Request;
        if (!req || typeof req !== 'object' || typeof req.type !== 'string') return send({ id: 0, type: 'error', error: 'malformed request' });
        handle(conn, req, send, (c) => cancels.push(c)).catch((e: unknown) => {
          // Fail closed: the client turns an error into its own standalone decision (still fail closed).
          send({ id: req.id ?? 0, type: 'error', error: `broker error: ${e instanceof Error ? e.message : String(e)}` });
        });
      }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socket, 0o600);
  const info: RunInfo = { id, pid: process.pid, token: approverToken, socket, agent: opts.agent, argv: opts.argv, cwd: opts.cwd, started: new Date().toISOString(), ci: opts.ci };
  writeFileSync(join(dir, 'info.json'), JSON.stringify(info) + '\n', { mode: 0o600 });

  let closed = false;
  return {
    id,
    dir,
    socket,
    token,
    approverToken,
    records,
    closeSync: () => {
      closed = true;
      rmSync(dir, { recursive: true, force: true });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const h of [...held.values()]) h.resolve({ kind: 'deny', message: 'fwguard run is shutting down' });
      for (const c of conns) c.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Connections still open (an agent's hook mid-call) must not keep the run alive.
        setTimeout(resolve, 200).unref();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
