// The shell stage: any bash line → every simple command it would run, with argv, assignments,
// redirections, effective cwd and the chain of constructs (`via`) it sits in.
// The walk is iterative (an explicit stack), so 10,000 nested `$(` cannot overflow the JS stack.
import type { Command, ParsedScript, Redirection, Word } from 'unbash';
import type { ParseIssue, RedirectInfo, ShellAnalysis, SimpleCommand, StdinSource } from '../types.js';
import { parseScript } from './parse.js';
import { decodeWord, namesIn, visitArithmetic, type DecodeEnv, type NestedScript, type Scope } from './words.js';
import { SHELLS, unwrapOnce } from './wrappers.js';
import { baseName, normalizeAbs } from '../util/path.js';

export interface AnalyzeOptions {
  cwd: string;
  home: string;
  env?: Record<string, string | undefined>;
  /** Stop and report a 'limit' issue after this many simple commands. */
  maxCommands?: number;
  /** Nesting of re-parsed strings (bash -c 'bash -c …'). */
  maxDepth?: number;
  /** Clock and deadline (ms); past it the walk stops with a 'limit' issue. Injected: no clock here. */
  now?: () => number;
  deadline?: number;
}

interface Ctx {
  scope: Scope;
  via: string[];
  remoteHost?: string;
  /** Re-parse depth (bash -c inside bash -c …). */
  depth: number;
  /** Offset of this script's text inside the outermost source (approximate for re-parsed strings). */
  base: number;
  /** Upstream commands when this node is a later pipeline component. */
  pipeFrom?: SimpleCommand[];
  /** Source text that positions in this script index (for messages). */
  source: string;
}

type Work = { node: unknown; ctx: Ctx };

/** `via` of a command find runs on every match, with `{}` replaced by the search roots. */
export const FIND_EACH = 'find -exec (every match)';

/** A `for` loop over more literal values than this is judged once, with the variable dynamic. */
const MAX_LOOP_VALUES = 16;

/** Realistic commands have a handful; 64,000 of them (255 KB) took ~40–80 ms to read. */
const MAX_PREFIX_ASSIGNMENTS = 1024;
/**
 * Quote, `$`, backtick and backslash characters in one word past which its parts are not read:
 * a 255 KB word of 64,000 alternating quoted segments took ~50–80 ms (most of it the parser
 * building the parts). Plain long words are cheap and stay read.
 */
const MAX_WORD_SPECIALS = 4096;
function tooManyParts(text: string): boolean {
  if (text.length <= MAX_WORD_SPECIALS) return false;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 39 || c === 34 || c === 36 || c === 96 || c === 92) && ++n > MAX_WORD_SPECIALS) return true;
  }
  return false;
}

/** `via` steps of syntactic nesting (not a string re-parsed as a script). */
const SUBST_VIA = new Set(['pipe', '&', '( )', '$()', '`…`', '<()', '>()', 'coproc', '$(())', '(( ))']);
const runner = (via: string[]): string => {
  for (let k = via.length - 1; k >= 0; k--) if (!SUBST_VIA.has(via[k]!) && !via[k]!.startsWith('function ')) return via[k]!;
  return 'a shell';
};


export function analyzeShell(source: string, opts: AnalyzeOptions): ShellAnalysis {
  const commands: SimpleCommand[] = [];
  const issues: ParseIssue[] = [];
  const maxCommands = opts.maxCommands ?? 5000;
  const maxDepth = opts.maxDepth ?? 32;
  const env = opts.env ?? {};
  const stack: Work[] = [];
  const rootScope: Scope = { cwd: opts.cwd, vars: new Map() };

  const pushScript = (script: ParsedScript, ctx: Ctx) => stack.push({ node: script, ctx });
  pushScript(parseScript(source), { scope: rootScope, via: [], depth: 0, base: 0, source });

  let steps = 0;
  while (stack.length > 0) {
    if (++steps % 256 === 0 && opts.now && opts.deadline !== undefined && opts.now() > opts.deadline) {
      issues.push({ kind: 'limit', message: 'analysis deadline passed before the whole line was read' });
      break;
    }
    if (commands.length >= maxCommands) {
      issues.push({ kind: 'limit', message: `more than ${maxCommands} commands in one line` });
      break;
    }
    const { node, ctx } = stack.pop()!;
    const n = node as { type: string; [k: string]: unknown };
    const nested: NestedScript[] = [];
    const denv: DecodeEnv = { env, home: opts.home, nested: (s) => nested.push(s) };
    const flushNested = (via: string, at: Ctx) => {
      // Substitutions run in a subshell: same cwd, a copy of the variables.
      for (let k = nested.length - 1; k >= 0; k--) {
        const s = nested[k]!;
        stack.push({ node: s.script, ctx: { ...at, scope: cloneScope(at.scope), via: [...at.via, s.via || via], pipeFrom: undefined } });
      }
      nested.length = 0;
    };

    switch (n.type) {
      case 'Script': {
        const script = n as unknown as ParsedScript;
        // In a string the line hands to a shell (`bash -c '…'`, `eval`, `watch`, a heredoc fed to sh),
        // say so: the line itself may be well formed while the string it runs is not.
        const where = ctx.depth > 0 ? ` (in the text run by ${runner(ctx.via)})` : '';
        for (const e of script.errors ?? []) issues.push({ kind: 'syntax', message: e.message + where, pos: ctx.base + e.pos });
        pushAll(stack, script.commands, ctx);
        break;
      }
      case 'Statement':
        // A backgrounded statement runs asynchronously (`bomb& bomb&`): recorded for fork-bomb detection.
        stack.push({ node: n.command, ctx: n.background ? { ...ctx, via: [...ctx.via, '&'] } : ctx });
        break;
      case 'AndOr':
        pushAll(stack, n.commands as unknown[], ctx);
        break;
      case 'Pipeline': {
        const comps = n.commands as { type: string }[];
        const multi = comps.length > 1;
        for (let k = comps.length - 1; k >= 0; k--) {
          // A stage reads what the stage before it writes; a few stages back are kept for flows
          // like `curl … | tee f | sh` (bounded: a 10,000-stage pipeline stays linear).
          const upstream = k > 0 ? comps.slice(Math.max(0, k - 3), k).flatMap((c) => shallowCommands(c, ctx, denvQuiet(env, opts.home))) : undefined;
          stack.push({
            node: comps[k],
            ctx: {
              ...ctx,
              scope: multi ? cloneScope(ctx.scope) : ctx.scope,
              via: k > 0 ? [...ctx.via, 'pipe'] : ctx.via,
              ...(upstream ? { pipeFrom: upstream } : {}),
            },
          });
        }
        break;
      }
      case 'Subshell':
        pushAll(stack, (n.body as { commands: unknown[] }).commands, { ...ctx, scope: cloneScope(ctx.scope), via: [...ctx.via, '( )'] });
        break;
      case 'BraceGroup':
        pushAll(stack, (n.body as { commands: unknown[] }).commands, ctx);
        break;
      case 'If': {
        const parts: unknown[] = [n.clause, n.then];
        for (const e of (n.elif as { clause: unknown; then: unknown }[]) ?? []) parts.push(e.clause, e.then);
        if (n.else) parts.push(n.else);
        pushLists(stack, parts, ctx);
        break;
      }
      case 'While':
        pushLists(stack, [n.clause, n.body], ctx);
        break;
      case 'For':
      case 'Select': {
        const values: string[] = [];
        let enumerable = true;
        for (const w of (n.wordlist as Word[] | undefined) ?? []) {
          const d = decodeWord(w, ctx.scope, denv);
          if (d.dyn || d.glob) enumerable = false;
          values.push(...(d.fields ?? [d.value]));
        }
        const name = (n.name as Word).value;
        flushNested('$()', ctx);
        if (enumerable && n.wordlist && values.length > 0 && values.length <= MAX_LOOP_VALUES) {
          // `for f in a .env; do cat "$f"; done`: judge the body once per value, as it will run.
          for (let k = values.length - 1; k >= 0; k--) {
            const scope = { cwd: ctx.scope.cwd, vars: new Map(ctx.scope.vars) };
            scope.vars.set(name, values[k]!);
            pushLists(stack, [n.body], { ...ctx, scope });
          }
        } else {
          ctx.scope.vars.set(name, null); // values fwguard cannot enumerate: the variable is dynamic
          pushLists(stack, [n.body], ctx);
        }
        break;
      }
      case 'ArithmeticFor':
        for (const e of [n.initialize, n.test, n.update]) if (e) visitArithmetic(e, denv);
        flushNested('$(())', ctx);
        pushLists(stack, [n.body], ctx);
        break;
      case 'Case': {
        decodeWord(n.word as Word, ctx.scope, denv);
        for (const item of n.items as { pattern: Word[]; body: unknown }[]) {
          for (const w of item.pattern) decodeWord(w, ctx.scope, denv);
        }
        flushNested('$()', ctx);
        pushLists(stack, (n.items as { body: unknown }[]).map((i) => i.body), ctx);
        break;
      }
      case 'TestCommand':
        visitTestWords(n.expression, (w) => decodeWord(w, ctx.scope, denv));
        flushNested('$()', ctx);
        break;
      case 'ArithmeticCommand':
        // `(( … ))` may hold `$(…)` or backticks.
        if (n.expression) {
          visitArithmetic(n.expression, denv);
          flushNested('$(())', ctx);
        } else if (typeof n.body === 'string' && /\$\(|`/.test(n.body)) {
          issues.push({ kind: 'unsupported', message: 'an arithmetic command fwguard could not read', pos: ctx.base + Number(n.pos ?? 0) });
        }
        break;
      case 'Function':
        // A definition: its body is judged as if it ran (a call site runs it, maybe many times).
        stack.push({ node: n.body, ctx: { ...ctx, via: [...ctx.via, `function ${(n.name as Word).value}`] } });
        break;
      case 'Coproc':
        stack.push({ node: n.body, ctx: { ...ctx, via: [...ctx.via, 'coproc'] } });
        break;
      case 'Redirected': {
        const redirects = decodeRedirects(n.redirects as Redirection[], ctx.scope, denv);
        if (redirects.list.length) commands.push(makeCommand([], [], [], [], redirects.list, ctx, n as unknown as { pos: number; end: number }, redirects.stdin));
        flushNested('$()', ctx);
        stack.push({ node: n.command, ctx });
        break;
      }
      case 'CompoundList':
        pushAll(stack, n.commands as unknown[], ctx);
        break;
      case 'Command':
        handleCommand(n as unknown as Command, ctx, denv, stack, commands, issues, maxDepth);
        flushNested('$()', ctx);
        break;
      default:
        issues.push({ kind: 'unsupported', message: `unknown shell construct ${String(n.type)}`, pos: ctx.base + Number((n as { pos?: number }).pos ?? 0) });
    }
  }
  return { commands, issues };
}

function handleCommand(
  node: Command,
  ctx: Ctx,
  denv: DecodeEnv,
  stack: Work[],
  out: SimpleCommand[],
  issues: ParseIssue[],
  maxDepth: number,
): void {
  const scope = ctx.scope;
  const assignments: SimpleCommand['assignments'] = [];
  let prefixSeen = 0;
  for (const p of node.prefix) {
    if (p.type !== 'Assignment') continue;
    if (++prefixSeen > MAX_PREFIX_ASSIGNMENTS) {
      // Not read (their values could hold substitutions): the line is asked about, never allowed.
      issues.push({ kind: 'limit', message: `more than ${MAX_PREFIX_ASSIGNMENTS} assignments before one command`, pos: ctx.base + node.pos });
      break;
    }
    if (p.index) decodeWord(p.index, scope, denv, false); // arr[$(…)]=x
    if (p.value.type === 'ArrayValue') {
      for (const el of p.value.elements) decodeWord(el, scope, denv);
      assignments.push({ name: p.name, value: '', dynamic: true });
      continue;
    }
    const d = decodeWord(p.value, scope, denv);
    assignments.push({ name: p.name, value: d.value, dynamic: d.dyn });
  }
  const redirects = decodeRedirects(node.redirects, scope, denv);

  const argv: string[] = [];
  const dyn: boolean[] = [];
  const glob: boolean[] = [];
  const substituted: string[] = [];
  let nameFromVar = false;
  const words: (Word | { type: 'Assignment'; text: string; name: string; value: unknown })[] = [];
  if (node.name) words.push(node.name);
  for (const s of node.suffix) if (s.type === 'Word' || s.type === 'Assignment') words.push(s as never);
  for (const w of words) {
    if (w.type === 'Assignment') {
      const a = w as unknown as { name: string; value: Word | { type: 'ArrayValue'; elements: Word[] } };
      if (a.value.type === 'ArrayValue') {
        for (const el of a.value.elements) decodeWord(el, scope, denv);
        argv.push(`${a.name}=`);
        dyn.push(true);
        glob.push(false);
      } else {
        const d = decodeWord(a.value, scope, denv);
        argv.push(`${a.name}=${d.value}`);
        dyn.push(d.dyn);
        glob.push(false);
      }
      continue;
    }
    if (tooManyParts((w as Word).text)) {
      // Reading its parts costs more than the time budget allows: unknown, and the line is asked about.
      issues.push({ kind: 'limit', message: `a word with more than ${MAX_WORD_SPECIALS} quotes and expansions`, pos: ctx.base + node.pos });
      argv.push((w as Word).text.slice(0, 64));
      dyn.push(true);
      glob.push(false);
      continue;
    }
    const d = decodeWord(w as Word, scope, denv);
    if (w === node.name && d.fromVar) nameFromVar = true;
    substituted.push(...d.substituted);
    if (d.fields) {
      for (const f of d.fields) {
        argv.push(f);
        dyn.push(d.dyn);
        glob.push(d.glob);
      }
    } else {
      argv.push(d.value);
      dyn.push(d.dyn);
      glob.push(d.glob);
    }
  }

  // A bare assignment (`x=rm`) sets a shell variable for what follows.
  if (argv.length === 0) {
    for (const a of assignments) scope.vars.set(a.name, a.dynamic ? null : a.value);
    if (redirects.list.length || redirects.stdin) out.push(makeCommand([], [], [], assignments, redirects.list, ctx, node, redirects.stdin));
    return;
  }

  const stdin: StdinSource | undefined = redirects.stdin ?? (ctx.pipeFrom ? { kind: 'pipe', from: ctx.pipeFrom } : undefined);
  const cmd = makeCommand(argv, dyn, glob, assignments, redirects.list, ctx, node, stdin);
  if (substituted.length) cmd.feeds = substituted;
  if (nameFromVar) cmd.nameFromVar = true;
  out.push(cmd);

  // cd / pushd change the cwd of what follows in the same shell.
  trackCd(cmd, scope, denv.home);

  // export X=1 / declare / readonly / local set variables too (dynamic when not static).
  const prog0 = baseName(argv[0]!);
  if (prog0 === 'export' || prog0 === 'declare' || prog0 === 'typeset' || prog0 === 'local' || prog0 === 'readonly') {
    for (let k = 1; k < argv.length; k++) {
      const eq = argv[k]!.indexOf('=');
      if (eq > 0) scope.vars.set(argv[k]!.slice(0, eq), dyn[k] ? null : argv[k]!.slice(eq + 1));
    }
  }
  if (prog0 === 'read' || prog0 === 'mapfile' || prog0 === 'readarray' || prog0 === 'getopts') {
    for (let k = 1; k < argv.length; k++) if (/^[A-Za-z_]\w*$/.test(argv[k]!)) scope.vars.set(argv[k]!, null);
  }
  if (prog0 === 'unset') for (let k = 1; k < argv.length; k++) scope.vars.delete(argv[k]!);

  // Wrappers: emit the inner command too (and the wrapper stays, for its own reader).
  const unwrapChain = (first: SimpleCommand) => {
    let cmd = first;
    let guard = 0;
    while (guard++ < 16) {
      const u = unwrapOnce(cmd.argv, cmd.dyn, cmd.cwd);
      if (!u) break;
      if (u.kind === 'argv') {
        let iargv = cmd.argv.slice(u.start, u.end);
        let idyn = cmd.dyn.slice(u.start, u.end);
        let iglob = cmd.glob.slice(u.start, u.end);
        if (u.placeholder !== undefined) {
          idyn = idyn.map((d, k) => d || iargv[k]!.includes(u.placeholder!));
        }
        if (iargv.length === 0) {
          iargv = ['echo'];
          idyn = [false];
          iglob = [false];
        }
        if (u.extraDyn) {
          iargv = [...iargv, '{xargs}'];
          idyn = [...idyn, true];
          iglob = [...iglob, false];
        }
        const inner: SimpleCommand = {
          ...cmd,
          argv: iargv,
          dyn: idyn,
          glob: iglob,
          assignments: [...cmd.assignments, ...(u.assignments ?? []).map((a) => ({ ...a, dynamic: false }))],
          cwd: u.cwd !== undefined ? u.cwd : cmd.cwd,
          via: [...cmd.via, u.via],
          // A wrapper's redirections belong to the wrapper; do not count them twice.
          redirects: [],
        };
        out.push(inner);
        cmd = inner;
        continue;
      }
      if (u.kind === 'string') {
        if (u.dynamic) break; // the shells reader reports code it cannot see
        if (ctx.depth + 1 > maxDepth) {
          issues.push({ kind: 'limit', message: `commands nested more than ${maxDepth} levels deep`, pos: ctx.base + node.pos });
          break;
        }
        const script = parseScript(u.text);
        stack.push({
          node: script,
          ctx: {
            scope: u.fresh ? { cwd: u.cwd !== undefined ? u.cwd : cmd.cwd, vars: new Map() } : { cwd: u.cwd !== undefined ? u.cwd : scope.cwd, vars: scope.vars },
            via: [...cmd.via, u.via],
            ...(u.remoteHost !== undefined ? { remoteHost: u.remoteHost } : ctx.remoteHost !== undefined ? { remoteHost: ctx.remoteHost } : {}),
            depth: ctx.depth + 1,
            base: ctx.base + node.pos,
            source: u.text,
          },
        });
        break;
      }
      if (u.kind === 'stdin') {
        // The program comes from stdin: a heredoc/herestring we can read, or a pipe.
        const text = stdinText(cmd.stdin);
        if (text !== null && ctx.depth + 1 <= maxDepth) {
          stack.push({
            node: parseScript(text),
            ctx: { scope: { cwd: cmd.cwd, vars: new Map() }, via: [...cmd.via, `${u.via} <stdin`], ...(ctx.remoteHost !== undefined ? { remoteHost: ctx.remoteHost } : {}), depth: ctx.depth + 1, base: ctx.base + node.pos, source: text },
          });
        }
        break;
      }
      break; // script: opaque, judged by the shells reader
    }
  };
  unwrapChain(cmd);

  // find -exec/-execdir/-ok/-okdir run a command per match: judged (and unwrapped: `find . -exec
  // sh -c '…' \;`) like any other command.
  if (prog0 === 'find') {
    for (const inner of findExecs(cmd)) {
      out.push(inner);
      unwrapChain(inner);
    }
  }
}

/** Text a shell would read as its program from stdin, when fwguard can see it. */
export function stdinText(stdin: StdinSource | undefined): string | null {
  if (!stdin) return null;
  if (stdin.kind === 'heredoc') return stdin.text;
  if (stdin.kind === 'herestring') return stdin.dynamic ? null : stdin.text;
  if (stdin.kind === 'pipe' && stdin.from.length === 1) {
    const up = stdin.from[0]!;
    const p = baseName(up.argv[0] ?? '');
    if ((p === 'echo' || p === 'printf') && !up.dyn.some(Boolean)) {
      const args = up.argv.slice(1).filter((a, k) => !(k === 0 && /^-[neE]+$/.test(a)));
      return p === 'printf' ? args[0]?.replace(/\\n/g, '\n') ?? '' : args.join(' ');
    }
    if (p === 'cat' && up.argv.length === 1 && up.stdin && up.stdin.kind !== 'pipe') return stdinText(up.stdin);
  }
  return null;
}

/**
 * The commands find runs. `{}` stands for each match; matches include the search roots themselves
 * (`find / -exec rm -rf {} +` runs `rm -rf /` first), so with literal roots `{}` becomes the roots:
 * a conservative reading (a -name/-type filter can only make the real set smaller).
 */
function findExecs(cmd: SimpleCommand): SimpleCommand[] {
  const found: SimpleCommand[] = [];
  const a = cmd.argv;
  const roots: number[] = [];
  for (let i = 1; i < a.length && !a[i]!.startsWith('-') && a[i] !== '(' && a[i] !== '!'; i++) roots.push(i);
  const staticRoots = roots.length > 0 && roots.every((i) => !cmd.dyn[i] && !cmd.glob[i]);
  for (let i = 1; i < a.length; i++) {
    if (a[i] === '-exec' || a[i] === '-execdir' || a[i] === '-ok' || a[i] === '-okdir') {
      const start = i + 1;
      let end = start;
      while (end < a.length && a[end] !== ';' && a[end] !== '+') end++;
      if (end > start) {
        const execdir = a[i]!.endsWith('dir');
        const argv: string[] = [];
        const dyn: boolean[] = [];
        const glob: boolean[] = [];
        for (let k = start; k < end; k++) {
          if (a[k] === '{}' && staticRoots && !execdir) {
            for (const r of roots) {
              argv.push(a[r]!);
              dyn.push(false);
              glob.push(false);
            }
          } else {
            argv.push(a[k]!);
            dyn.push((cmd.dyn[k] ?? false) || a[k]!.includes('{}'));
            glob.push(cmd.glob[k] ?? false);
          }
        }
        // With `{}` replaced by the roots, the command reaches every file below them: FIND_EACH
        // tells readers to treat it as recursive (`find . -exec chmod 000 {} +`).
        const substituted = staticRoots && !execdir && a.slice(start, end).includes('{}');
        found.push({ ...cmd, argv, dyn, glob, redirects: [], cwd: execdir ? null : cmd.cwd, via: [...cmd.via, substituted ? FIND_EACH : 'find -exec'] });
      }
      i = end;
    }
  }
  return found;
}

function trackCd(cmd: SimpleCommand, scope: Scope, home: string): void {
  const p = baseName(cmd.argv[0]!);
  if (p !== 'cd' && p !== 'pushd' && p !== 'popd') return;
  if (p === 'popd') {
    scope.cwd = null;
    return;
  }
  const args = cmd.argv.slice(1).filter((a, k) => !(a.startsWith('-') && a.length > 1 && !cmd.dyn[k + 1]));
  const k = cmd.argv.indexOf(args[0] ?? '\0');
  if (args.length === 0) {
    scope.cwd = p === 'cd' ? home : null;
    return;
  }
  const target = args[0]!;
  if ((k >= 0 && cmd.dyn[k]) || target === '-' || target.startsWith('+') || scope.cwd === null && !target.startsWith('/')) {
    scope.cwd = null;
    return;
  }
  const abs = target.startsWith('/') ? target : scope.cwd + '/' + target;
  scope.cwd = normalizeAbs(abs);
}


function makeCommand(
  argv: string[],
  dyn: boolean[],
  glob: boolean[],
  assignments: SimpleCommand['assignments'],
  redirects: RedirectInfo[],
  ctx: Ctx,
  node: { pos: number; end: number },
  stdin: StdinSource | undefined,
): SimpleCommand {
  return {
    argv,
    dyn,
    glob,
    assignments,
    redirects,
    ...(stdin ? { stdin } : {}),
    cwd: ctx.remoteHost !== undefined ? null : ctx.scope.cwd,
    via: ctx.via,
    ...(ctx.remoteHost !== undefined ? { remoteHost: ctx.remoteHost } : {}),
    pos: ctx.base + node.pos,
    text: ctx.source.slice(node.pos, node.end).slice(0, 400),
  };
}

function decodeRedirects(list: readonly Redirection[], scope: Scope, denv: DecodeEnv): { list: RedirectInfo[]; stdin?: StdinSource } {
  const out: RedirectInfo[] = [];
  let stdin: StdinSource | undefined;
  for (const r of list) {
    const fd = r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : undefined;
    if (r.type === 'HereDoc') {
      const quoted = r.delimiter?.quoted ?? false;
      if (!quoted && r.body.parts) {
        // Every expansion in an unquoted body runs: decode it as one word to visit them all.
        decodeWord({ type: 'Word', text: r.body.text, value: r.body.text, pos: r.body.pos, end: r.body.end, parts: r.body.parts }, scope, denv, false);
      }
      stdin = { kind: 'heredoc', text: r.body.text, quoted };
      out.push({ op: r.operator, ...(fd !== undefined ? { fd } : {}), target: r.body.text, dynamic: false });
      continue;
    }
    if (!r.target) continue;
    const d = decodeWord(r.target, scope, denv);
    if (r.type === 'HereString') {
      stdin = { kind: 'herestring', text: d.value, dynamic: d.dyn };
      out.push({ op: '<<<', ...(fd !== undefined ? { fd } : {}), target: d.value, dynamic: d.dyn });
      continue;
    }
    out.push({ op: r.operator, ...(fd !== undefined ? { fd } : {}), target: d.value, dynamic: d.dyn || d.glob });
    if (r.operator === '<' && (fd === undefined || fd === 0)) stdin = { kind: 'file', path: d.value, dynamic: d.dyn };
  }
  return stdin ? { list: out, stdin } : { list: out };
}

/** Simple commands of a pipeline component, argv only (for `echo … | psql`, `curl … | sh`). */
function shallowCommands(node: unknown, ctx: Ctx, denv: DecodeEnv): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const stack: unknown[] = [node];
  let budget = 64;
  while (stack.length && budget-- > 0) {
    const n = stack.pop() as { type: string; [k: string]: unknown } | undefined;
    if (!n) continue;
    if (n.type === 'Command') {
      const c = n as unknown as Command;
      const words = [c.name, ...c.suffix.filter((s) => s.type === 'Word')].filter(Boolean) as Word[];
      const ds = words.map((w) => decodeWord(w, ctx.scope, denv));
      const r = decodeRedirects(c.redirects, ctx.scope, denv);
      const sc = makeCommand(ds.map((d) => d.value), ds.map((d) => d.dyn), ds.map((d) => d.glob), [], r.list, ctx, c, r.stdin);
      const subs = ds.flatMap((d) => d.substituted);
      if (subs.length) sc.feeds = subs;
      out.push(sc);
    } else if (n.type === 'Subshell' || n.type === 'BraceGroup') {
      for (const st of ((n.body as { commands: { command: unknown }[] }).commands ?? []).slice().reverse()) stack.push(st.command);
    } else if (n.type === 'Pipeline' || n.type === 'AndOr') {
      for (const c of (n.commands as unknown[]).slice().reverse()) stack.push(c);
    } else if (n.type === 'Redirected') {
      stack.push(n.command);
    } else if (n.type === 'Statement') {
      stack.push(n.command);
    }
  }
  return out;
}

function denvQuiet(env: Record<string, string | undefined>, home: string): DecodeEnv {
  return { env, home, nested: () => undefined };
}

function visitTestWords(expr: unknown, fn: (w: Word) => void): void {
  const stack: unknown[] = [expr];
  let budget = 10_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop() as { type?: string; [k: string]: unknown } | undefined;
    if (!n || typeof n !== 'object') continue;
    if (n.type === 'Word') {
      fn(n as unknown as Word);
      continue;
    }
    for (const k of ['operand', 'left', 'right', 'expression']) if (n[k]) stack.push(n[k]);
    if (Array.isArray(n.operands)) stack.push(...(n.operands as unknown[]));
  }
}

function pushAll(stack: Work[], nodes: readonly unknown[], ctx: Ctx): void {
  for (let k = nodes.length - 1; k >= 0; k--) stack.push({ node: nodes[k], ctx });
}

function pushLists(stack: Work[], lists: unknown[], ctx: Ctx): void {
  for (let k = lists.length - 1; k >= 0; k--) {
    const l = lists[k] as { commands?: unknown[] } | undefined;
    if (l?.commands) pushAll(stack, l.commands, ctx);
  }
}

function cloneScope(s: Scope): Scope {
  return { cwd: s.cwd, vars: new Map(s.vars) };
}


export { SHELLS, namesIn };
