// The Ink approval prompt (issue 4 §3). Loaded only by src/ui/ask.ts, only when a person is at a
// terminal. Shows what would run and why fwguard asks; keys: y allow once · s allow for this
// session (scoped pattern shown first) · a always (a rule in the user config) · n deny · m deny
// with a message · d dry run first. No answer before the timeout → deny.
import { useEffect, useState } from 'react';
import { Box, Text, render, useApp, useInput } from 'ink';
import { relative } from 'node:path';
import type { Action, Decision } from '../types.js';
import type { AskAnswer, AskRequest } from './ask.js';
import type { AlwaysRule, SessionAllowance } from './approval.js';
import { previewFileTool, type DryRunResult } from '../exec/dryrun.js';
import { highlight, type Style } from './highlight.js';

type Offer<T> = T | { unavailable: string };

export interface PromptInput {
  req: AskRequest;
  dryRun?: DryRunResult;
  sessionOffer: Offer<SessionAllowance>;
  alwaysOffer: Offer<AlwaysRule>;
  /** The user config file `a` writes to. */
  alwaysFile: string;
  timeoutMs: number;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  runDry: () => Promise<DryRunResult>;
  /** Store an `s` / `a` answer; returns the answer to give back, throws when it cannot. */
  persist: (a: AskAnswer) => Promise<AskAnswer>;
}

type Mode = 'main' | 'confirm-session' | 'confirm-always' | 'message' | 'dry-running' | 'saving' | 'done';

const STYLE_COLOR: Record<Style, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  program: { color: 'cyan', bold: true },
  option: { color: 'yellow' },
  string: { color: 'green' },
  variable: { color: 'magenta' },
  operator: { color: 'red', bold: true },
  comment: { dimColor: true },
  plain: {},
};

const MAX_DIFF_LINES = 16;
const MAX_DRY_LINES = 18;

function rel(abs: string | null, raw: string, root: string): string {
  if (abs === null) return `${raw} (unknown until it runs)`;
  const r = relative(root, abs);
  return r === '' ? '. (the project root)' : r.startsWith('..') ? abs : r;
}

/** One typed action, its targets relative to the project. */
export function actionLine(a: Action, root: string): string {
  const extra: string[] = [];
  if ('paths' in a && a.paths.length) extra.push(a.paths.map((p) => rel(p.abs, p.raw, root)).join(', '));
  switch (a.type) {
    case 'file.delete':
      if (a.recursive) extra.push('recursive');
      if (a.move) extra.push('moved away');
      break;
    case 'file.write':
      if (a.overwrite) extra.push('overwrites');
      if (a.append) extra.push('appends');
      break;
    case 'git.push':
      extra.push(`${a.remote ?? '(default remote)'} ${a.branches.join(', ') || '(default branch)'}`);
      if (a.force) extra.push('force');
      if (a.delete) extra.push('deletes a remote branch');
      break;
    case 'package.add':
      extra.push(`${a.manager}: ${a.packages.join(', ')}${a.global ? ' (global)' : ''}`);
      break;
    case 'deploy':
    case 'infra.read':
      extra.push(`${a.tool} ${a.subcommand}`);
      break;
    case 'net.send':
    case 'net.fetch':
      if ('host' in a && a.host) extra.push(a.host);
      break;
    case 'db.mutate':
      extra.push(`${a.client}: ${a.statement}`);
      break;
    case 'code.remote':
      extra.push(a.source);
      break;
    case 'code.dynamic':
    case 'priv.escalate':
    case 'system.destroy':
    case 'guard.disable':
    case 'checks.skip':
      extra.push(a.how);
      break;
    case 'git.discard':
    case 'git.rewrite':
      extra.push(a.subcommand);
      break;
    case 'parse.unknown':
      extra.push(a.issue.message);
      break;
  }
  return `${a.type}${a.program && a.type !== 'parse.unknown' ? ` (${a.program})` : ''}${extra.length ? ': ' + extra.join(' · ') : ''}`;
}

const RISK_TEXT: Record<Decision['risk'], string> = {
  reversible: 'reversible',
  recoverable: 'recoverable (git or the package manager can restore it)',
  irreversible: 'IRREVERSIBLE: cannot be undone',
};

function DiffLines({ text, max }: { text: string; max: number }) {
  const lines = text.trimEnd().split('\n');
  return (
    <Box flexDirection="column">
      {lines.slice(0, max).map((l, k) => (
        <Text key={k} wrap="truncate-end" {...(l.startsWith('+') ? { color: 'green' } : l.startsWith('-') ? { color: 'red' } : l.startsWith('@@') ? { color: 'cyan' } : {})}>
          {l}
        </Text>
      ))}
      {lines.length > max ? <Text dimColor>… {lines.length - max} more lines</Text> : null}
    </Box>
  );
}

function Prompt({ input, onDone }: { input: PromptInput; onDone: (a: AskAnswer) => void }) {
  const { req, sessionOffer, alwaysOffer, timeoutMs } = input;
  const { exit } = useApp();
  const [mode, setMode] = useState<Mode>('main');
  const [dry, setDry] = useState<DryRunResult | undefined>(input.dryRun);
  const [message, setMessage] = useState('');
  const [flash, setFlash] = useState<string | undefined>();
  const [deadline, setDeadline] = useState(() => Date.now() + timeoutMs);
  const [now, setNow] = useState(() => Date.now());
  const [final, setFinal] = useState<{ answer: AskAnswer; text: string } | undefined>();

  const finish = (answer: AskAnswer, text: string) => {
    setFinal({ answer, text });
    setMode('done');
  };

  useEffect(() => {
    if (!final) return;
    onDone(final.answer);
    // Let the last frame render, then unmount.
    const t = setTimeout(() => exit(), 20);
    return () => clearTimeout(t);
  }, [final]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    // The clock stops while a dry run or a save is under way (each is bounded on its own).
    if (mode !== 'done' && mode !== 'saving' && mode !== 'dry-running' && now >= deadline) finish({ kind: 'deny', timedOut: true, message: `no answer within ${Math.round(timeoutMs / 1000)} s` }, `denied: no answer within ${Math.round(timeoutMs / 1000)} s`);
  }, [now, deadline, mode]);

  const save = (a: AskAnswer, text: string) => {
    setMode('saving');
    input.persist(a).then(
      (stored) => finish(stored, text),
      (e: unknown) => finish({ kind: 'deny', message: `fwguard could not store your approval (${e instanceof Error ? e.message : String(e)}), so the call is denied` }, `denied: could not store the approval (${e instanceof Error ? e.message : String(e)})`),
    );
  };

  useInput((ch, key) => {
    if (mode === 'done' || mode === 'saving' || mode === 'dry-running') return;
    setDeadline(Date.now() + timeoutMs); // a person is there: restart the clock
    setFlash(undefined);
    if (key.ctrl && ch === 'c') return finish({ kind: 'deny', message: 'interrupted (Ctrl-C)' }, 'denied (Ctrl-C)');
    if (mode === 'message') {
      if (key.escape) return setMode('main');
      if (key.return) return finish({ kind: 'deny', ...(message.trim() ? { message: message.trim() } : {}) }, `denied with message: ${message.trim() || '(none)'}`);
      if (key.backspace || key.delete) return setMessage((m) => m.slice(0, -1));
      if (ch && !key.ctrl && !key.meta) setMessage((m) => (m + ch).slice(0, 500));
      return;
    }
    if (mode === 'confirm-session' || mode === 'confirm-always') {
      if (ch === 'y' || key.return) {
        if (mode === 'confirm-session' && !('unavailable' in sessionOffer)) return save({ kind: 'allow-session', pattern: sessionOffer }, `allowed for this session: ${sessionOffer.label}`);
        if (mode === 'confirm-always' && !('unavailable' in alwaysOffer)) return save({ kind: 'allow-always', rule: alwaysOffer.rules.map((r) => r.id).join(', ') }, `allowed always: ${alwaysOffer.label}`);
      }
      if (ch === 'n' || key.escape) setMode('main');
      return;
    }
    switch (ch) {
      case 'y':
        return finish({ kind: 'allow-once' }, 'allowed once');
      case 'n':
        return finish({ kind: 'deny' }, 'denied');
      case 'm':
        return setMode('message');
      case 's':
        if ('unavailable' in sessionOffer) return setFlash(`s is not available: ${sessionOffer.unavailable}`);
        return setMode('confirm-session');
      case 'a':
        if ('unavailable' in alwaysOffer) return setFlash(`a is not available: ${alwaysOffer.unavailable}`);
        return setMode('confirm-always');
      case 'd':
        setMode('dry-running');
        input.runDry().then(
          (r) => {
            setDry(r);
            setMode('main');
            setDeadline(Date.now() + timeoutMs);
          },
          (e: unknown) => {
            setDry({ items: [], summary: `the dry run failed: ${e instanceof Error ? e.message : String(e)}`, complete: false });
            setMode('main');
          },
        );
        return;
    }
    if (key.escape) finish({ kind: 'deny' }, 'denied');
  });

  const p = req.proposal;
  const d = req.decision;
  const root = req.projectRoot;
  const line = p.kind === 'shell' ? (p.command ?? '') : `${p.tool ?? p.kind} ${p.path ?? p.url ?? ''}`.trim();
  const fileDiff = (p.kind === 'file.write' || p.kind === 'file.edit') && p.path ? previewFileTool(p, p.cwd) : undefined;
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  const shownReasons = d.reasons.filter((r) => r.verdict !== 'allow').slice(0, 6);
  const dryLines = dry ? dry.summary.split('\n') : [];

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={mode === 'done' ? 'gray' : 'yellow'} paddingX={1}>
      <Text>
        <Text bold color="yellow">fwguard: approval needed</Text>
        <Text dimColor>  {d.verdict.toUpperCase()} · {p.agent ?? 'agent'}{p.session ? ` · session ${p.session}` : ''} · {root}</Text>
      </Text>
      <Box marginTop={1}>
        <Text wrap="wrap">
          <Text dimColor>$ </Text>
          {p.kind === 'shell' ? highlight(line).map((t, k) => (
            <Text key={k} {...STYLE_COLOR[t.style]}>
              {t.text}
            </Text>
          )) : <Text bold>{line}</Text>}
        </Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>actions</Text>
        {d.actions.filter((a) => a.type !== 'exec' || !a.known).slice(0, 8).map((a, k) => (
          <Text key={k} wrap="wrap">  • {actionLine(a, root)}</Text>
        ))}
        <Text>
          <Text bold>risk </Text>
          <Text color={d.risk === 'irreversible' ? 'red' : d.risk === 'recoverable' ? 'yellow' : 'green'}>{RISK_TEXT[d.risk]}</Text>
          {req.backupId ? <Text dimColor> (backed up first: fwguard undo {req.backupId} restores it)</Text> : null}
        </Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>why</Text>
        {shownReasons.map((r, k) => (
          <Text key={k} wrap="wrap">
            {'  '}
            <Text color="cyan">{r.rule}</Text>
            <Text dimColor> ({r.verdict}) </Text>
            {r.message}
          </Text>
        ))}
      </Box>
      {req.session && (req.session.labels?.length || req.session.budgets?.length) ? (
        <Box flexDirection="column" marginTop={1}>
          {req.session.labels?.length ? <Text wrap="wrap"><Text bold>taint </Text>{req.session.labels.join(' · ')}</Text> : null}
          {req.session.budgets?.length ? <Text wrap="wrap"><Text bold>budget </Text>{req.session.budgets.join(' · ')}</Text> : null}
        </Box>
      ) : null}
      {fileDiff?.diff ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>diff</Text>
          <DiffLines text={fileDiff.diff} max={MAX_DIFF_LINES} />
        </Box>
      ) : null}
      {mode === 'dry-running' ? <Text color="cyan">running the dry run…</Text> : null}
      {dry ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>dry run{dry.complete ? '' : ' (partial: some parts have no safe preview)'}</Text>
          <DiffLines text={dryLines.join('\n')} max={MAX_DRY_LINES} />
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {mode === 'main' ? (
          <>
            <Text wrap="wrap">
              <Text bold color="green">[y]</Text> allow once  <Text bold color={'unavailable' in sessionOffer ? 'gray' : 'green'}>[s]</Text> allow for this session
              {'  '}<Text bold color={'unavailable' in alwaysOffer ? 'gray' : 'green'}>[a]</Text> always allow  <Text bold color="red">[n]</Text> deny  <Text bold color="red">[m]</Text> deny with a message  <Text bold color="cyan">[d]</Text> dry run
            </Text>
            <Text dimColor>no answer in {left} s → deny</Text>
          </>
        ) : null}
        {mode === 'confirm-session' && !('unavailable' in sessionOffer) ? (
          <Text wrap="wrap">
            Allow for the rest of this session: <Text bold>{sessionOffer.label}</Text>? <Text bold color="green">[y]</Text> yes  <Text bold>[esc]</Text> back
          </Text>
        ) : null}
        {mode === 'confirm-always' && !('unavailable' in alwaysOffer) ? (
          <Text wrap="wrap">
            Always allow <Text bold>{alwaysOffer.label}</Text>, written to {input.alwaysFile}? <Text bold color="green">[y]</Text> yes  <Text bold>[esc]</Text> back
          </Text>
        ) : null}
        {mode === 'message' ? (
          <Text wrap="wrap">
            Message for the agent (enter to deny with it, esc to go back): <Text color="cyan">{message}</Text>
            <Text inverse> </Text>
          </Text>
        ) : null}
        {mode === 'saving' ? <Text color="cyan">saving…</Text> : null}
        {flash ? <Text color="yellow" wrap="wrap">{flash}</Text> : null}
        {final ? <Text bold color={final.answer.kind === 'deny' ? 'red' : 'green'}>→ {final.text}</Text> : null}
      </Box>
    </Box>
  );
}

/** Render the prompt until the person answers (or the time runs out). */
export async function showPrompt(input: PromptInput): Promise<AskAnswer> {
  let answer: AskAnswer = { kind: 'deny', message: 'the prompt closed without an answer' };
  const inst = render(<Prompt input={input} onDone={(a) => (answer = a)} />, { stdin: input.stdin, stdout: input.stdout, exitOnCtrlC: false, patchConsole: false });
  await inst.waitUntilExit();
  return answer;
}
