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

/** Decode `$'…'` from its raw text (unbash's own value drops `\⏎` and `\x{HH}`). */
export function decodeAnsiC(text: string): string {
  // text is $'…'
  const body = text.slice(2, text.endsWith("'") ? -1 : undefined);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i]!;
    switch (n) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'e': case 'E': out += '\x1b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case '?': out += '?'; break;
      case '\n': out += '\\\n'; break; // stays literal
      case 'c': {
        const ch = body[i + 1];
        if (ch !== undefined) {
          out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) & 0x1f);
          i++;
        } else out += '\\c';
        break;
      }
      case 'x': {
        if (body[i + 1] === '{') {
          const close = body.indexOf('}', i + 2);
          const hex = close === -1 ? '' : body.slice(i + 2, close);
          if (/^[0-9a-fA-F]+$/.test(hex)) {
            out += String.fromCodePoint(parseInt(hex, 16) & 0x10ffff);
            i = close;
            break;
          }
          out += '\\x';
          break;
        }
        const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1, i + 3));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += '\\x';
        break;
      }
      case 'u':
      case 'U': {
        const max = n === 'u' ? 4 : 8;
        const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(body.slice(i + 1, i + 1 + max));
        if (m) {
          const cp = parseInt(m[0], 16);
          out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
          i += m[0].length;
        } else out += '\\' + n;
        break;
      }
      default: {
        if (n >= '0' && n <= '7') {
          const m = /^[0-7]{1,3}/.exec(body.slice(i, i + 3))!;
          out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
          i += m[0].length - 1;
        } else out += '\\' + n;
      }
    }
  }
  return out;
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
  let braces: string[] | null = [''];
  let sawBrace = false;
  const appendAll = (t: string) => {
    if (braces) braces = braces.map((f) => f + t);
  };
  for (const part of word.parts) {
    if (part.type === 'BraceExpansion') {
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
