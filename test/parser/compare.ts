// Differential oracle for the shell walker: the simple commands fwguard finds in a line, against
// the CallExprs an independent bash parser (mvdan/sh, GopherJS build `mvdan-sh`) finds in it.
//
// Both sides are reduced to a list of argv lists. A word that holds an expansion ($VAR, ${…},
// $(…), `…`, $((…)), <(…)) becomes DYN. Normalisations, each applied to one side only because
// that side models something the other does not:
//
//   fwguard side
//   - only commands whose `via` is made of syntactic nesting (pipe, subshell, $(), backticks,
//     process substitution, function bodies, coproc, arithmetic): the commands fwguard adds by
//     unwrapping (sudo, env, xargs, find -exec, …) or by re-parsing strings (bash -c, eval, ssh,
//     su -c, watch, heredocs fed to a shell) are not calls to mvdan, so they are left out;
//   - commands with an empty argv (a bare redirection, an assignment-only command with a
//     redirection, a redirected compound command) are left out;
//   - the synthetic `: "…"` command fwguard builds for the body of `(( … ))` is left out (the
//     commands substituted inside it are kept);
//   - argv[i] is DYN when fwguard marks dyn[i].
//
//   mvdan side
//   - quote removal is done here (mvdan keeps Lit values raw): backslashes outside quotes,
//     the four escapable characters inside "…", ANSI-C decoding of $'…';
//   - `declare/export/local/readonly/typeset/nameref` (DeclClause) and `let` (LetClause) are
//     rebuilt as the argv a shell passes to the builtin (`let`'s expressions become DYN);
//   - brace expansion (`a{b,c}`, `{1..3}`) is done here: bash expands it, mvdan keeps one word;
//   - a leading `~` / `~/` in an unquoted literal becomes HOME, as bash does (fwguard does too);
//   - `time` right after `|` / `|&` is a plain word in bash (the keyword is only recognised at the
//     start of a pipeline, so `a | time b` runs /usr/bin/time with argv `time b`; proven against
//     bash in differential.test.ts), where mvdan parses a TimeClause: the simple command it opens
//     gets `time` (and `-p`) back in front of its argv.
//
//   syntax errors: only those of the line itself count; an error inside a string the line hands to
//   a shell (`sh -c '…'`, `watch`, a heredoc fed to bash) is one mvdan never sees, since it does not
//   parse strings (fwguard labels those "(in the text run by …)").
//
// Matching: a mvdan word DYN matches any run of fwguard words, none included (fwguard legitimately
// resolves $HOME, $PWD, $USER and literal assignments such as `x=rm; $x`, and splits unquoted
// values into fields as bash does); a fwguard DYN only matches a mvdan DYN
// (fwguard saying "unknowable" about a plain literal is a disagreement); literals must be equal.
// Every command of each side must correspond to one of the other (loops over literal values are
// unrolled by fwguard, so counts may differ).
import { createRequire } from 'node:module';
import { analyzeShell } from '../../src/shell/index.js';

export const DYN = '<dyn>';
export const HOME = '/home/u';
const OPTS = { cwd: '/home/u/proj', home: HOME, env: { HOME } };

/** A GopherJS-externalised mvdan node: plain JS object with Go field names. */
interface MvNode {
  [k: string]: unknown;
}
interface MvPos {
  Offset(): number;
}
interface MvSyntax {
  NewParser(): { Parse(src: string, name: string): MvNode };
  Walk(node: MvNode, fn: (n: MvNode | null) => boolean): void;
  NodeType(n: MvNode): string;
}

const require = createRequire(import.meta.url);
const syntax = (require('mvdan-sh') as { syntax: MvSyntax }).syntax;

/** mvdan's BinCmdOperator values for `|` and `|&` (syntax/tokens.go; checked in differential.test.ts). */
export const PIPE = 12;
export const PIPE_ALL = 13;
const offset = (n: MvNode): number => (n.Pos as () => MvPos)().Offset();
const arr = (v: unknown): MvNode[] => (Array.isArray(v) ? (v as MvNode[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const type = (n: MvNode): string => syntax.NodeType(n);

// ---------------------------------------------------------------------------------------------
// mvdan side

/** One character of a word after quote removal; `q` = quoted (never shell syntax). */
interface Ch {
  c: string;
  q: boolean;
}
interface MvWord {
  chars: Ch[];
  dyn: boolean;
}
const PLACEHOLDER = '\u0000';

/** Backslash removal inside "…": only before $ ` " \ and newline. */
function unescapeDouble(s: string): string {
  return s.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

/** ANSI-C quoting ($'…'), written from the bash manual (QUOTING › ANSI-C Quoting). */
export function ansiC(body: string): string {
  let out = '';
  const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1]!;
    if (n in simple) {
      out += simple[n];
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^[0-7]{1,3}/.exec(body.slice(i + 1)))) {
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length;
    } else if (n === 'x' && (m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 2)))) {
      out += String.fromCharCode(parseInt(m[0], 16));
      i += 1 + m[0].length;
    } else if (n === 'u' && (m = /^[0-9a-fA-F]{1,4}/.exec(body.slice(i + 2)))) {
      out += String.fromCodePoint(parseInt(m[0], 16));
      i += 1 + m[0].length;
    } else if (n === 'U' && (m = /^[0-9a-fA-F]{1,8}/.exec(body.slice(i + 2)))) {
      out += String.fromCodePoint(Math.min(parseInt(m[0], 16), 0x10ffff));
      i += 1 + m[0].length;
    } else if (n === 'c' && i + 2 < body.length) {
      out += String.fromCharCode(body[i + 2]!.toUpperCase().charCodeAt(0) & 0x1f);
      i += 2;
    } else {
      out += c; // unknown escape: the backslash stays
    }
  }
  return out;
}

const quoted = (s: string): Ch[] => [...s].map((c) => ({ c, q: true }));

/** Quote removal over mvdan word parts, keeping which characters were quoted. */
function wordChars(parts: MvNode[], src: string, inDouble: boolean, w: MvWord): void {
  for (const p of parts) {
    switch (type(p)) {
      case 'Lit': {
        const v = str(p.Value);
        if (inDouble) {
          w.chars.push(...quoted(unescapeDouble(v)));
          break;
        }
        // Unquoted: `\⏎` vanishes, `\c` is a quoted c.
        for (let i = 0; i < v.length; i++) {
          if (v[i] === '\\' && i + 1 < v.length) {
            if (v[i + 1] !== '\n') w.chars.push({ c: v[i + 1]!, q: true });
            i++;
          } else w.chars.push({ c: v[i]!, q: false });
        }
        break;
      }
      case 'SglQuoted':
        w.chars.push(...quoted(p.Dollar ? ansiC(str(p.Value)) : str(p.Value)));
        break;
      case 'DblQuoted':
        wordChars(arr(p.Parts), src, true, w);
        break;
      case 'ExtGlob': {
        // @(a|b) etc.: a pattern, literal text for this comparison (like * and ?).
        const pos = (p.Pos as () => MvPos)().Offset();
        const end = (p.End as () => MvPos)().Offset();
        w.chars.push(...quoted(src.slice(pos, end)));
        break;
      }
      default:
        // ParamExp, CmdSubst, ArithmExp, ProcSubst, …: the whole word becomes DYN.
        w.dyn = true;
        w.chars.push({ c: PLACEHOLDER, q: true });
    }
  }
}

/** The alternatives of a brace body (unquoted commas split), or null when bash leaves it alone. */
function braceAlts(inner: Ch[]): Ch[][] | null {
  const text = inner.map((c) => c.c).join('');
  const plain = inner.every((c) => !c.q);
  const num = plain ? /^(-?\d+)\.\.(-?\d+)$/.exec(text) : null;
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    const out: Ch[][] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) out.push(quoted(String(v)));
    return out;
  }
  const chr = plain ? /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(text) : null;
  if (chr) {
    const a = chr[1]!.charCodeAt(0);
    const b = chr[2]!.charCodeAt(0);
    const out: Ch[][] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) out.push(quoted(String.fromCharCode(v)));
    return out;
  }
  const parts: Ch[][] = [];
  let depth = 0;
  let cur: Ch[] = [];
  for (const ch of inner) {
    if (!ch.q && ch.c === '{') depth++;
    if (!ch.q && ch.c === '}') depth--;
    if (!ch.q && ch.c === ',' && depth === 0) {
      parts.push(cur);
      cur = [];
    } else cur.push(ch);
  }
  parts.push(cur);
  return parts.length >= 2 ? parts : null;
}

/** Brace expansion: only unquoted braces and commas are syntax, as in bash. */
function braceExpand(chars: Ch[], budget = 256): Ch[][] {
  for (let i = 0; i < chars.length; i++) {
    if (chars[i]!.q || chars[i]!.c !== '{') continue;
    let depth = 0;
    let j = i;
    for (; j < chars.length; j++) {
      const ch = chars[j]!;
      if (ch.q) continue;
      if (ch.c === '{') depth++;
      else if (ch.c === '}' && --depth === 0) break;
    }
    if (j >= chars.length) continue;
    const alts = braceAlts(chars.slice(i + 1, j));
    if (!alts) continue;
    const out: Ch[][] = [];
    for (const a of alts) {
      out.push(...braceExpand([...chars.slice(0, i), ...a, ...chars.slice(j + 1)], budget));
      if (out.length > budget) return [chars];
    }
    return out;
  }
  return [chars];
}

/** Tilde expansion of a leading unquoted `~` that ends the word or precedes an unquoted `/`. */
function tilde(chars: Ch[]): string {
  const text = chars.map((c) => c.c).join('');
  const lead = chars[0];
  const next = chars[1];
  if (lead && !lead.q && lead.c === '~' && (!next || (!next.q && next.c === '/'))) return HOME + text.slice(1);
  return text;
}

function mvWords(word: MvNode, src: string): string[] {
  const w: MvWord = { chars: [], dyn: false };
  wordChars(arr(word.Parts), src, false, w);
  return braceExpand(w.chars).map((chars) => (w.dyn ? DYN : tilde(chars)));
}

/** Value of an assignment (`a=b`): no brace expansion; a leading `~` is expanded. */
function mvAssignValue(word: MvNode | null | undefined, src: string): string {
  if (!word) return '';
  const w: MvWord = { chars: [], dyn: false };
  wordChars(arr(word.Parts), src, false, w);
  return w.dyn ? DYN : tilde(w.chars);
}

export type Argv = string[];

export function mvdanCommands(src: string): { commands: Argv[] } | { error: string } {
  let file: MvNode;
  try {
    file = syntax.NewParser().Parse(src, 'line.sh');
  } catch (e) {
    const err = e as { Error?: () => string };
    return { error: typeof err?.Error === 'function' ? err.Error() : String(e) };
  }
  const out: Argv[] = [];
  // Offsets of simple commands that bash runs through /usr/bin/time (see the header), with the
  // words to put back in front; a TimeClause there with no command at all is `time` alone.
  const timed = new Map<number, string[]>();
  const visit = (n: MvNode | null): boolean => {
    if (!n) return true;
    switch (type(n)) {
      case 'BinaryCmd': {
        const y = (n.Y as MvNode | null)?.Cmd as MvNode | null;
        if ((n.Op === PIPE || n.Op === PIPE_ALL) && y && type(y) === 'TimeClause') {
          const words = y.PosixFormat ? ['time', '-p'] : ['time'];
          let first = (y.Stmt as MvNode | null)?.Cmd as MvNode | null;
          // `a | time b | c` is TimeClause{b | c} to mvdan: time belongs to b.
          while (first && type(first) === 'BinaryCmd' && (first.Op === PIPE || first.Op === PIPE_ALL)) first = (first.X as MvNode).Cmd as MvNode;
          if (!first) out.push(words);
          else if (type(first) === 'CallExpr') timed.set(offset(first), words);
        }
        break;
      }
      case 'ParamExp': {
        // mvdan's Walk does not descend into ${x:OFFSET:LENGTH}; bash runs substitutions there.
        const slice = n.Slice as MvNode | null;
        if (slice?.Offset) syntax.Walk(slice.Offset as MvNode, visit);
        if (slice?.Length) syntax.Walk(slice.Length as MvNode, visit);
        break;
      }
      case 'CallExpr': {
        const argv = [...(timed.get(offset(n)) ?? []), ...arr(n.Args).flatMap((w) => mvWords(w, src))];
        if (argv.length) out.push(argv);
        break;
      }
      case 'DeclClause': {
        const argv: string[] = [str((n.Variant as MvNode).Value)];
        for (const a of arr(n.Args)) {
          const name = a.Name ? str((a.Name as MvNode).Value) : '';
          if (a.Naked) {
            if (name) argv.push(name);
            else if (a.Value) argv.push(...mvWords(a.Value as MvNode, src));
            continue;
          }
          const op = a.Append ? '+=' : '=';
          if (a.Array || a.Index) {
            argv.push(DYN);
            continue;
          }
          const v = mvAssignValue(a.Value as MvNode | null, src);
          argv.push(v === DYN ? DYN : name + op + v);
        }
        out.push(argv);
        break;
      }
      case 'LetClause':
        out.push(['let', ...arr(n.Exprs).map(() => DYN)]);
        break;
      default:
        break;
    }
    return true;
  };
  syntax.Walk(file, visit);
  return { commands: out };
}

// ---------------------------------------------------------------------------------------------
// fwguard side

/** How the walker labels a syntax error in a string the line hands to a shell (src/shell/walk.ts). */
const NESTED_TEXT = / \(in the text run by [^)]*\)$/;
const SYNTACTIC_VIA = new Set(['pipe', '&', '( )', '$()', '`…`', '<()', '>()', 'coproc', '$(())', '(( ))']);

export function fwguardCommands(src: string): { commands: Argv[]; syntaxErrors: string[] } {
  const a = analyzeShell(src, OPTS);
  const commands: Argv[] = [];
  for (const c of a.commands) {
    if (c.argv.length === 0) continue;
    if (!c.via.every((v) => SYNTACTIC_VIA.has(v) || v.startsWith('function '))) continue;
    if (c.via.at(-1) === '(( ))' && c.argv[0] === ':') continue; // synthetic `: "body"`
    commands.push(c.argv.map((w, i) => (c.dyn[i] ? DYN : w)));
  }
  return { commands, syntaxErrors: a.issues.filter((i) => i.kind === 'syntax' && !NESTED_TEXT.test(i.message)).map((i) => i.message) };
}

// ---------------------------------------------------------------------------------------------
// comparison

/**
 * A mvdan DYN word matches any run of fwguard words, including none: fwguard resolves literal
 * variables and splits their unquoted values into fields as bash does (`x="rm -rf"; $x a` runs
 * `rm -rf a`; an unset unquoted `$USER` vanishes), which mvdan, not expanding, cannot show.
 */
function compatible(mv: Argv, fw: Argv): boolean {
  // memo[i][j]: mv[i..] matches fw[j..]
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * 4096 + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let ok: boolean;
    if (i === mv.length) ok = j === fw.length;
    else if (mv[i] === DYN) {
      ok = false;
      for (let k = j; k <= fw.length && !ok; k++) ok = go(i + 1, k);
    } else ok = j < fw.length && fw[j] !== DYN && fw[j] === mv[i] && go(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

/**
 * Every command of each side must correspond to at least one of the other side. (Not one to one:
 * fwguard judges a `for` loop over literal values once per value, so its body's commands repeat.)
 * Returns the indices on each side that correspond to nothing.
 */
function match(mv: Argv[], fw: Argv[]): { mvLeft: number[]; fwLeft: number[] } {
  return {
    mvLeft: mv.map((_, i) => i).filter((i) => !fw.some((f) => compatible(mv[i]!, f))),
    fwLeft: fw.map((_, j) => j).filter((j) => !mv.some((m) => compatible(m, fw[j]!))),
  };
}

export interface Comparison {
  line: string;
  agree: boolean;
  mvdan: Argv[] | null;
  fwguard: Argv[];
  /** Human-readable account of the disagreement (empty when they agree). */
  report: string;
}

const show = (argvs: Argv[]) => (argvs.length ? argvs.map((a) => '    ' + JSON.stringify(a)).join('\n') : '    (none)');

export function compareLine(line: string): Comparison {
  const mv = mvdanCommands(line);
  const fw = fwguardCommands(line);
  if ('error' in mv) {
    return { line, agree: false, mvdan: null, fwguard: fw.commands, report: `mvdan cannot parse it: ${mv.error}\n  fwguard:\n${show(fw.commands)}` };
  }
  const { mvLeft, fwLeft } = match(mv.commands, fw.commands);
  const problems: string[] = [];
  if (fw.syntaxErrors.length) problems.push(`fwguard reports a syntax error mvdan does not: ${fw.syntaxErrors.join('; ')}`);
  if (mvLeft.length) problems.push(`only mvdan finds:\n${show(mvLeft.map((i) => mv.commands[i]!))}`);
  if (fwLeft.length) problems.push(`only fwguard finds:\n${show(fwLeft.map((j) => fw.commands[j]!))}`);
  const agree = problems.length === 0;
  const report = agree ? '' : `${JSON.stringify(line)}\n  ${problems.join('\n  ')}\n  mvdan (all):\n${show(mv.commands)}\n  fwguard (all):\n${show(fw.commands)}`;
  return { line, agree, mvdan: mv.commands, fwguard: fw.commands, report };
}

// ---------------------------------------------------------------------------------------------
// corpus and known-differences files

/**
 * corpus.txt: one command line per line. Lines starting with `#` and blank lines are ignored.
 * A multi-line entry (heredocs, scripts) starts with a line `>>>` and ends with a line `<<<`;
 * the lines between are joined with newlines, verbatim.
 */
export function parseCorpus(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '>>>') {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== '<<<') body.push(lines[i]!);
      if (i >= lines.length) throw new Error('corpus: unterminated >>> block');
      out.push(body.join('\n'));
      continue;
    }
    if (l.trim() === '' || l.startsWith('#')) continue;
    out.push(l);
  }
  return out;
}

/** known-differences.md: every fenced block opened with ````skip holds one corpus entry verbatim. */
export function parseKnown(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '````skip') continue;
    const body: string[] = [];
    while (++i < lines.length && lines[i] !== '````') body.push(lines[i]!);
    out.push(body.join('\n'));
  }
  return out;
}

/**
 * known-differences.md, generated lines: every fenced block opened with ````generated holds one
 * line of test/parser/generated.test.ts's corpus as a JSON string (the lines hold tabs, newlines
 * and trailing blanks that a verbatim block would not keep safely).
 */
export function parseKnownGenerated(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '````generated') continue;
    const body: string[] = [];
    while (++i < lines.length && lines[i] !== '````') body.push(lines[i]!);
    const v: unknown = JSON.parse(body.join('\n'));
    if (typeof v !== 'string') throw new Error(`known-differences.md: a generated block must hold one JSON string, got ${body.join(' ')}`);
    out.push(v);
  }
  return out;
}
