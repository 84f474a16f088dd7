// Word decoding: quote removal and the static part of expansion, without running anything.
// What cannot be known statically ($UNKNOWN, $(…), globs) is flagged, never guessed.
import type { ParsedScript, Word, WordPart } from 'unbash';

export interface Scope {
  /** Effective cwd; null once a dynamic `cd` made it unknowable. */
  cwd: string | null;
  /** Variables assigned literally earlier in the same shell (x=rm; $x). null value = dynamic. */
  vars: Map<string, string | null>;
}

/** Something nested inside a word that the walker must visit (`$(…)`, `<(…)`, backticks). */
export interface NestedScript {
  script: ParsedScript;
  via: string;
}

export interface Decoded {
  value: string;
  /** Holds an expansion fwguard cannot resolve statically. */
  dyn: boolean;
  /** Holds an unquoted glob the shell will expand. */
  glob: boolean;
  /** Brace expansion produced several words (bounded); otherwise undefined. */
  fields?: string[];
  /** Program names of commands substituted into this word (for `sh -c "$(curl …)"`). */
  substituted: string[];
  /** A variable assigned in this line was substituted (a command name held in one is dynamic code). */
  fromVar?: boolean;
  /** Some variable (assigned or from the environment) was substituted: its value splits into fields. */
  resolved?: boolean;
  /** Holds a process substitution (`<(…)`, `>(…)`), whose value is a /dev/fd path. */
  procSubst?: boolean;
}

/** Variables fwguard resolves from the environment; everything else is dynamic unless assigned. */
const ENV_VARS = new Set(['HOME', 'USER', 'LOGNAME', 'TMPDIR', 'SHELL']);

const MAX_BRACE_FIELDS = 256;

export interface DecodeEnv {
  env: Record<string, string | undefined>;
  home: string;
  nested: (n: NestedScript) => void;
}

function lookupVar(name: string, scope: Scope, denv: DecodeEnv, res?: Decoded): string | null {
  if (scope.vars.has(name)) {
    const v = scope.vars.get(name) ?? null;
    if (v !== null && res) res.fromVar = true;
    return v;
  }
  if (name === 'PWD') return scope.cwd;
  if (name === 'HOME') return denv.home;
  // Unset in the environment the agent's shell inherits → expands to nothing, as in bash.
  if (ENV_VARS.has(name)) return denv.env[name] ?? '';
  return null;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?', '\n': '\\\n' };

/** Length of the run of digits (base 16 or 8) at body[at…], at most `max` long. */
function digitRun(body: string, at: number, max: number, base: 8 | 16): number {
  let k = 0;
  for (; k < max && at + k < body.length; k++) {
    const c = body.charCodeAt(at + k);
    const ok = base === 8 ? c >= 48 && c <= 55 : (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!ok) break;
  }
  return k;
}

/**
 * Decode `$'…'` from its raw text (unbash's own value drops `\⏎` and `\x{HH}`). Linear, and
 * allocation-light: plain runs are copied as slices (255 KB of escapes took ~90 ms, and
 * `\x{` without a `}` searched to the end of the text every time, quadratic).
 */
export function decodeAnsiC(text: string): string {
  // text is $'…'
  const body = text.slice(2, text.endsWith("'") ? -1 : undefined);
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    const bs = body.indexOf('\\', i);
    if (bs === -1 || bs + 1 >= body.length) {
      out.push(body.slice(i));
      break;
    }
    if (bs > i) out.push(body.slice(i, bs));
    const n = body[bs + 1]!;
    i = bs + 2;
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out.push(simple); // `\⏎` stays literal
      continue;
    }
    switch (n) {
      case 'c': {
        const ch = body[i];
        if (ch !== undefined) {
          out.push(String.fromCharCode(ch.toUpperCase().charCodeAt(0) & 0x1f));
          i++;
        } else out.push('\\c');
        break;
      }
      case 'x': {
        if (body[i] === '{') {
          // At most 8 hex digits, then `}`: the search never runs past that.
          const k = digitRun(body, i + 1, 9, 16);
          if (k > 0 && k <= 8 && body[i + 1 + k] === '}') {
            out.push(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + k), 16) & 0x10ffff));
            i += k + 2;
          } else out.push('\\x');
          break;
        }
        const k = digitRun(body, i, 2, 16);
        if (k) {
          out.push(String.fromCharCode(parseInt(body.slice(i, i + k), 16)));
          i += k;
        } else out.push('\\x');
        break;
      }
      case 'u':
      case 'U': {
        const k = digitRun(body, i, n === 'u' ? 4 : 8, 16);
        if (k) {
          const cp = parseInt(body.slice(i, i + k), 16);
          out.push(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd');
          i += k;
        } else out.push('\\' + n);
        break;
      }
      default: {
        const k = digitRun(body, bs + 1, 3, 8);
        if (k) {
          out.push(String.fromCharCode(parseInt(body.slice(bs + 1, bs + 1 + k), 8) & 0xff));
          i = bs + 1 + k;
        } else out.push('\\' + n);
      }
    }
  }
  return out.join('');
}

/** Split the inside of `{a,b,{c,d}}` at top-level commas; null when it is not a brace list. */
function braceAlternatives(text: string): string[] | null {
  // Deeply nested braces are not expanded (bounded time): the word is then dynamic.
  let nest = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{' && ++nest > 16) return null;
    if (text[i] === '}') nest--;
  }
  const inner = text.slice(1, -1);
  const seq = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  if (seq) {
    const a = Number(seq[1]);
    const b = Number(seq[2]);
    const step = Math.abs(Number(seq[3] ?? 1)) || 1;
    const count = Math.floor(Math.abs(b - a) / step) + 1;
    if (count > MAX_BRACE_FIELDS) return null;
    const out: string[] = [];
    for (let k = 0, v = a; k < count; k++, v += a <= b ? step : -step) out.push(String(v));
    return out;
  }
  const chars = /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(inner);
  if (chars) {
    const a = chars[1]!.charCodeAt(0);
    const b = chars[2]!.charCodeAt(0);
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) out.push(String.fromCharCode(v));
    return out;
  }
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && i + 1 < inner.length) {
      cur += inner[++i]!;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  if (parts.length < 2) return null;
  // Nested braces inside an alternative expand too.
  const out: string[] = [];
  for (const p of parts) {
    const open = p.indexOf('{');
    const close = p.lastIndexOf('}');
    if (open !== -1 && close > open) {
      const alts = braceAlternatives(p.slice(open, close + 1));
      if (alts) {
        for (const a of alts) out.push(p.slice(0, open) + a + p.slice(close + 1));
        continue;
      }
      // An inner list over the limit: the whole expansion is unknown, never a literal path.
      if (/,|\.\./.test(p.slice(open + 1, close))) return null;
    }
    out.push(p);
  }
  return out.length > MAX_BRACE_FIELDS ? null : out;
}

/** Collect program names of a nested script, shallowly and bounded (for taint of `$(curl …)`). */
export function namesIn(script: ParsedScript | undefined, limit = 64): string[] {
  const names: string[] = [];
  if (!script) return names;
  const stack: unknown[] = [...script.commands];
  let budget = 512;
  while (stack.length && names.length < limit && budget-- > 0) {
    const n = stack.pop() as { type?: string; [k: string]: unknown } | undefined;
    if (!n || typeof n !== 'object') continue;
    switch (n.type) {
      case 'Statement':
        stack.push(n.command);
        break;
      case 'Pipeline':
      case 'AndOr':
        stack.push(...(n.commands as unknown[]));
        break;
      case 'Subshell':
      case 'BraceGroup':
        stack.push(...((n.body as { commands: unknown[] }).commands ?? []));
        break;
      case 'Command': {
        const w = n.name as Word | undefined;
        if (w) names.push(w.value.slice(w.value.lastIndexOf('/') + 1));
        break;
      }
      default:
        break;
    }
  }
  return names;
}

/**
 * Decode one word. Nested command/process substitutions are handed to `denv.nested` so the walker
 * visits them; their output is dynamic. Unquoted variable values are split into fields on
 * whitespace (an empty one vanishes), as bash does; `fields` is set whenever the word does not
 * give exactly its `value` as one argument.
 */
export function decodeWord(word: Word, scope: Scope, denv: DecodeEnv, tildeOk = true): Decoded {
  const res: Decoded = { value: '', dyn: false, glob: false, substituted: [] };
  if (!word.parts || word.parts.length === 0) {
    res.value = word.value;
    if (tildeOk && (word.text === '~' || word.text.startsWith('~/'))) res.value = denv.home + res.value.slice(1);
    return res;
  }
  // Segments: text plus whether bash would split it (an unquoted, resolved variable).
  const segs: { text: string; split: boolean }[] = [];
  // Brace fields are only built from the first brace on (a word of 64,000 parts and no brace
  // allocated one array per part).
  let braces: string[] | null = null;
  let sawBrace = false;
  const appendAll = (t: string) => {
    if (braces) braces = braces.length === 1 ? [braces[0] + t] : braces.map((f) => f + t);
  };
  for (const part of word.parts) {
    if (part.type === 'BraceExpansion') {
      if (!sawBrace) braces = [segs.map((x) => x.text).join('')];
      sawBrace = true;
      const alts = braceAlternatives(part.text);
      if (!alts) {
        res.dyn = true;
        appendAll(part.text);
        segs.push({ text: part.text, split: false });
        continue;
      }
      const clean = alts.map((a) => unquoteSimple(a, res));
      // An unquoted glob character inside an alternative (`~/{*,.*}`) globs after expansion.
      if (alts.some((a) => /^[^'"]*[*?[]/.test(a))) res.glob = true;
      if (braces && braces.length * clean.length <= MAX_BRACE_FIELDS) {
        const next: string[] = [];
        for (const f of braces) for (const a of clean) next.push(f + a);
        braces = next;
      } else {
        braces = null;
        res.dyn = true;
      }
      segs.push({ text: part.text, split: false });
      continue;
    }
    const before = res.resolved;
    res.resolved = false;
    const t = decodePart(part, scope, denv, res, false);
    const splittable = !!res.resolved && (part.type === 'SimpleExpansion' || part.type === 'ParameterExpansion');
    res.resolved = res.resolved || before;
    segs.push({ text: t, split: splittable });
    appendAll(t);
  }
  res.value = segs.map((x) => x.text).join('');
  // Tilde: only an unquoted `~` or `~/…` at the very start of the word expands (`~"/x"` stays).
  const first = word.parts[0];
  const tildeHere = tildeOk && first?.type === 'Literal' && (first.value.startsWith('~/') || (first.value === '~' && word.parts.length === 1));
  if (sawBrace) {
    if (braces) res.fields = braces.map((f) => (tildeOk && (f === '~' || f.startsWith('~/')) ? denv.home + f.slice(1) : f));
    if (tildeHere) res.value = denv.home + res.value.slice(1);
    return res;
  }
  if (tildeHere) {
    res.value = denv.home + res.value.slice(1);
    segs[0] = { text: denv.home + segs[0]!.text.slice(1), split: segs[0]!.split };
  }
  if (segs.some((x) => x.split)) {
    // Field splitting: only the unquoted variable parts split; the rest glues to its neighbours.
    const fields: string[] = [];
    let cur = '';
    let has = false; // the current field holds something that keeps it (even quoted-empty text)
    for (const x of segs) {
      if (!x.split) {
        cur += x.text;
        has = true;
        continue;
      }
      const pieces = x.text.split(/[ \t\n]+/);
      for (let k = 0; k < pieces.length; k++) {
        if (k > 0 && (has || cur !== '')) {
          fields.push(cur);
          cur = '';
          has = false;
        }
        cur += pieces[k]!;
        if (pieces[k] !== '') has = true;
      }
    }
    if (has || cur !== '') fields.push(cur);
    if (!(fields.length === 1 && fields[0] === res.value)) res.fields = fields;
  }
  return res;
}

/** Quote removal for a brace alternative (`"a b"`, `'1'`, `\,`); an expansion inside is dynamic. */
function unquoteSimple(text: string, res: Decoded): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return out + text.slice(i);
      out += text.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      if (close === -1) return out + text.slice(i);
      const inner = text.slice(i + 1, close);
      if (inner.includes('$') || inner.includes('`')) res.dyn = true;
      out += inner;
      i = close;
    } else if (c === '\\' && i + 1 < text.length) {
      out += text[++i]!;
    } else {
      if (c === '$' || c === '`') res.dyn = true;
      out += c;
    }
  }
  return out;
}

function decodePart(part: WordPart, scope: Scope, denv: DecodeEnv, res: Decoded, quoted: boolean): string {
  switch (part.type) {
    case 'Literal':
      return part.value;
    case 'SingleQuoted':
      return part.value;
    case 'AnsiCQuoted':
      return decodeAnsiC(part.text);
    case 'DoubleQuoted':
    case 'LocaleString': {
      let s = '';
      for (const p of part.parts) s += decodePart(p, scope, denv, res, true);
      return s;
    }
    case 'SimpleExpansion': {
      const name = part.text.slice(1);
      const v = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? lookupVar(name, scope, denv, res) : null;
      if (v === null) {
        res.dyn = true;
        return part.text;
      }
      res.resolved = true;
      return v;
    }
    case 'ParameterExpansion': {
      const op = part.operation;
      if (part.index) decodeWord(part.index, scope, denv, false); // ${a[$(…)]}
      // Visit substitutions hidden in operands (${x:-$(rm …)}, ${x/$(…)/y}).
      if (op) {
        for (const w of operandWords(op)) decodeWord(w, scope, denv, false);
      }
      if (!op && !part.prefix && !part.index) {
        const v = lookupVar(part.parameter, scope, denv, res);
        if (v !== null) {
          res.resolved = true;
          return v;
        }
      }
      res.dyn = true;
      return part.text;
    }
    case 'CommandExpansion':
      if (part.script) {
        denv.nested({ script: part.script, via: part.text.startsWith('`') ? '`…`' : '$()' });
        res.substituted.push(...namesIn(part.script));
      }
      res.dyn = true;
      return part.text;
    case 'ProcessSubstitution':
      if (part.script) {
        denv.nested({ script: part.script, via: part.operator + '()' });
        res.substituted.push(...namesIn(part.script));
      }
      // bash passes a pipe's path: the word is known, the data behind it is not (see `feeds`).
      res.procSubst = true;
      return '/dev/fd/63';
    case 'ArithmeticExpansion':
      visitArithmetic(part.expression, denv);
      res.dyn = true;
      return part.text;
    case 'Glob':
    case 'ExtendedGlob':
      if (!quoted) res.glob = true;
      return part.text;
    case 'BraceExpansion':
      return part.text;
    default: {
      // An unknown part type: never guess its value.
      res.dyn = true;
      return (part as { text?: string }).text ?? '';
    }
  }
}

function operandWords(op: NonNullable<Extract<WordPart, { type: 'ParameterExpansion' }>['operation']>): Word[] {
  switch (op.type) {
    case 'Default':
    case 'Remove':
    case 'Transform':
      return [op.operand];
    case 'Replace':
      return [op.pattern, op.replacement];
    case 'Slice':
      return op.length ? [op.offset, op.length] : [op.offset];
    case 'CaseModification':
      return op.operand ? [op.operand] : [];
    default:
      return [];
  }
}

export function visitArithmetic(expr: unknown, denv: DecodeEnv): void {
  const stack: unknown[] = [expr];
  let budget = 10_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop() as { type?: string; [k: string]: unknown } | undefined;
    if (!n || typeof n !== 'object') continue;
    if (n.type === 'ArithmeticCommandExpansion') {
      const s = n.script as ParsedScript | undefined;
      if (s) denv.nested({ script: s, via: '$(())' });
      continue;
    }
    for (const k of ['left', 'right', 'operand', 'test', 'consequent', 'alternate', 'expression']) {
      if (n[k]) stack.push(n[k]);
    }
    if (n.type === 'ArithmeticWord' && Array.isArray(n.parts)) {
      for (const p of n.parts as WordPart[]) {
        if (p.type === 'CommandExpansion' && p.script) denv.nested({ script: p.script, via: '$()' });
      }
    }
  }
}
