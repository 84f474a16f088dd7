// Programs that run code: shells, interpreters, eval/source. The walker already parsed every
// string it could see (bash -c 'literal', heredocs fed to a shell); these readers report the code
// it could NOT see — a pipe into a shell, a dynamic -c, a script file — and inline interpreter code.
import type { Action, InlineEffect, PathRef, SimpleCommand } from '../types.js';
import { argPath, programName, resolvePath, type ReadEnv, type Reader } from './reader.js';
import { readerFor } from './index.js';
import { scanShellArgs } from '../shell/wrappers.js';
import { NETWORK_SOURCES } from '../util/path.js';
import { inlineEffects, inlineTargets } from './inline.js';


/** A pipe or descriptor path (`<(…)` becomes /dev/fd/63; `exec 3<<<…; source /dev/fd/3`). */
function isFdPath(p: string): boolean {
  return /^\/dev\/(fd\/\d+|stdin)$/.test(p) || /^\/proc\/(self|\d+)\/fd\/\d+$/.test(p);
}

function fedFrom(cmd: SimpleCommand): string[] {
  const names = [...(cmd.feeds ?? [])];
  if (cmd.stdin?.kind === 'pipe') for (const up of cmd.stdin.from) names.push(programName(up.argv[0] ?? ''), ...(up.feeds ?? []));
  return names;
}

/** Unseen code: from the network when any producer fetches, else merely dynamic. */
function unseen(cmd: SimpleCommand, index: number, what: string): Action {
  const net = fedFrom(cmd).find((n) => NETWORK_SOURCES.has(n));
  if (net) return { type: 'code.remote', cmd: index, program: programName(cmd.argv[0] ?? ''), source: `${net} output run by ${what}` };
  return { type: 'code.dynamic', cmd: index, program: programName(cmd.argv[0] ?? ''), how: `${what} runs code fwguard cannot see` };
}

function shell(cmd: SimpleCommand, index: number, env: ReadEnv): Action[] {
  const prog = programName(cmd.argv[0]!);
  const { command, readsStdin, index: i } = scanShellArgs(cmd.argv);
  if (command) {
    // A literal -c string was parsed by the walker; a dynamic one is unseen code.
    return cmd.dyn[i] ? [unseen(cmd, index, `${prog} -c with a dynamic string`)] : [];
  }
  if (readsStdin || i >= cmd.argv.length) {
    const s = cmd.stdin;
    if (!s) return [{ type: 'exec', cmd: index, program: prog, known: true, script: true }]; // an interactive shell
    if (s.kind === 'heredoc' || (s.kind === 'herestring' && !s.dynamic)) return []; // seen through by the walker
    if (s.kind === 'file') return [{ type: 'file.read', cmd: index, program: prog, paths: [resolvePath(s.path, cmd, env, s.dynamic)] }, { type: 'exec', cmd: index, program: prog, known: true, script: true }];
    return [unseen(cmd, index, `a pipe into ${prog}`)];
  }
  // bash script.sh: the script is opaque to fwguard; bash <(curl …) is code from the network.
  if (cmd.dyn[i] || isFdPath(cmd.argv[i]!)) return [unseen(cmd, index, `${prog} running a substituted script`)];
  return [{ type: 'file.read', cmd: index, program: prog, paths: [argPath(cmd, i, env)] }, { type: 'exec', cmd: index, program: prog, known: true, script: true }];
}

// ---------------------------------------------------------------------------------------------
// Inline interpreter code: effects from the APIs it calls (src/actions/inline.ts); the literal
// targets of its writes and deletes are judged as file writes (protected → deny, outside the
// write scope → ask), and a write whose target is computed is an unknown path (ask).

export { inlineEffects } from './inline.js';

function inline(cmd: SimpleCommand, index: number, env: ReadEnv, language: string, code: string): Action[] {
  const effects = inlineEffects(code, language);
  const program = programName(cmd.argv[0]!);
  const acts: Action[] = [{ type: 'code.inline', cmd: index, program, language, code: code.slice(0, 2000), effects }];
  if (effects.includes('write') || effects.includes('delete')) {
    const t = inlineTargets(code, language);
    const refs: PathRef[] = t.paths.map((p) => resolvePath(p, cmd, env));
    if (t.unknown) refs.push({ raw: `a path computed by the ${language} code`, abs: null, glob: false });
    if (refs.length) acts.push({ type: 'file.write', cmd: index, program, paths: refs, inline: true });
  }
  return acts;
}

interface InterpSpec {
  language: string;
  /** Flags whose value is inline code. */
  code: string[];
  /** Flags that take a (non-code) value. */
  value?: string[];
  /** `python -m pip …` style module runners → delegate to that program's reader. */
  module?: string;
}

const INTERP: Record<string, InterpSpec> = {
  python: { language: 'python', code: ['c'], value: ['W', 'X', 'Q'], module: 'm' },
  python2: { language: 'python', code: ['c'], value: ['W', 'X', 'Q'], module: 'm' },
  python3: { language: 'python', code: ['c'], value: ['W', 'X', 'Q'], module: 'm' },
  pypy3: { language: 'python', code: ['c'], module: 'm' },
  node: { language: 'javascript', code: ['e', 'eval', 'p', 'print'], value: ['r', 'require', 'import', 'loader', 'experimental-loader', 'input-type', 'conditions', 'C', 'title', 'env-file'] },
  nodejs: { language: 'javascript', code: ['e', 'eval', 'p', 'print'], value: ['r', 'require'] },
  deno: { language: 'javascript', code: [] },
  bun: { language: 'javascript', code: ['e', 'eval', 'p', 'print'] },
  perl: { language: 'perl', code: ['e', 'E'], value: ['I', 'M', 'm', 'x', 'l', '0', 'i'] },
  ruby: { language: 'ruby', code: ['e'], value: ['I', 'r', 'C', 'E', 'F'] },
  irb: { language: 'ruby', code: [] },
  php: { language: 'php', code: ['r'], value: ['d', 'c', 'f', 'z', 't'] },
  lua: { language: 'lua', code: ['e'], value: ['l'] },
  luajit: { language: 'lua', code: ['e'], value: ['l'] },
  Rscript: { language: 'r', code: ['e'] },
  pwsh: { language: 'powershell', code: ['c', 'command', 'Command', 'encodedcommand', 'EncodedCommand', 'e', 'ec'] },
  powershell: { language: 'powershell', code: ['c', 'command', 'Command', 'encodedcommand', 'EncodedCommand', 'e', 'ec'] },
  osascript: { language: 'applescript', code: ['e'] },
  tclsh: { language: 'tcl', code: [] },
};

/** `python3.12` → `python3`, `perl5.38.2` → `perl`: versioned interpreter names are the interpreter. */
export function interpreterName(prog: string): string | undefined {
  if (INTERP[prog]) return prog;
  const m = /^(python[23]?|pypy3?|perl|ruby|node|php|lua|luajit)[\d.]*$/.exec(prog);
  return m && INTERP[m[1]!] ? m[1] : m && /^python/.test(m[1]!) ? 'python3' : undefined;
}

function interpreter(cmd: SimpleCommand, index: number, env: ReadEnv): Action[] {
  const prog = interpreterName(programName(cmd.argv[0]!)) ?? programName(cmd.argv[0]!);
  const spec = INTERP[prog]!;
  // deno eval CODE / bun -e
  if (prog === 'deno') {
    if (cmd.argv[1] === 'eval') return cmd.dyn[2] ? [unseen(cmd, index, 'deno eval of a dynamic string')] : inline(cmd, index, env, spec.language, cmd.argv.slice(2).join(' '));
    return [{ type: 'exec', cmd: index, program: prog, known: true, script: true }];
  }
  if (prog === 'pwsh' || prog === 'powershell') return powershell(cmd, index, env);
  const codes: string[] = [];
  let dynamicCode = false;
  let operand: number | undefined;
  let perlInPlace = false;
  for (let i = 1; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    if (a === '--') {
      operand = i + 1 < cmd.argv.length ? i + 1 : undefined;
      break;
    }
    if (a === '-') {
      operand = i;
      break;
    }
    if (!a.startsWith('-')) {
      operand = i;
      break;
    }
    const name = a.replace(/^--?/, '');
    const eq = name.indexOf('=');
    const key = eq === -1 ? name : name.slice(0, eq);
    if (!a.startsWith('--') && a.length > 2) {
      // A short cluster: `-Ic'code'`, `-we'code'`, `-pi.bak`, `-lne code`. Walk it letter by letter:
      // a code flag takes the rest of the cluster (or the next word); perl's -i takes the rest as
      // a backup suffix; a value flag takes the rest (or the next word).
      let consumed = false;
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const rest = a.slice(j + 1);
        if (spec.code.includes(c)) {
          if (rest) codes.push(rest);
          else if (i + 1 < cmd.argv.length) {
            codes.push(cmd.argv[i + 1]!);
            if (cmd.dyn[i + 1]) dynamicCode = true;
            i++;
          }
          if (cmd.dyn[i]) dynamicCode = true;
          consumed = true;
          break;
        }
        if (prog === 'perl' && c === 'i') {
          perlInPlace = true;
          break;
        }
        if (spec.value?.includes(c)) {
          if (!rest) i++;
          break;
        }
      }
      if (consumed || a.length > 2) continue;
    }
    if (spec.code.includes(key)) {
      if (eq !== -1) codes.push(name.slice(eq + 1));
      else if (i + 1 < cmd.argv.length) {
        codes.push(cmd.argv[i + 1]!);
        if (cmd.dyn[i + 1]) dynamicCode = true;
        i++;
      }
      continue;
    }
    if (prog === 'perl' && key === 'i') perlInPlace = true;
    if (spec.module && key === spec.module) {
      const mod = cmd.argv[i + 1];
      if (mod === undefined) return [];
      // python -m pip install X → the pip reader; other modules run their own code.
      const r = readerFor(mod);
      if (r && ['pip', 'pip3', 'venv', 'http.server', 'json.tool'].includes(mod)) {
        if (mod === 'pip' || mod === 'pip3') return r({ ...cmd, argv: cmd.argv.slice(i + 1), dyn: cmd.dyn.slice(i + 1), glob: cmd.glob.slice(i + 1) }, index, env);
      }
      if (mod === 'http.server') return [{ type: 'net.send', cmd: index, program: prog, how: 'python -m http.server serves files over the network' }];
      if (mod === 'json.tool' || mod === 'venv' || mod === 'pytest' || mod === 'unittest') return mod === 'json.tool' ? [] : [{ type: 'exec', cmd: index, program: prog, known: true, script: true }];
      return [{ type: 'exec', cmd: index, program: prog, known: true, script: true }];
    }
    if (spec.value?.includes(key) && eq === -1 && a.length === key.length + 1) i++;
  }
  const acts: Action[] = [];
  if (dynamicCode) acts.push(unseen(cmd, index, `${prog} with dynamic inline code`));
  for (const c of codes) acts.push(...inline(cmd, index, env, spec.language, c));
  if (codes.length) {
    // perl -i -pe '…' files: the files are rewritten in place.
    if (perlInPlace && operand !== undefined) {
      acts.push({ type: 'file.write', cmd: index, program: prog, paths: cmd.argv.slice(operand).map((_, k) => argPath(cmd, operand! + k, env)), overwrite: true });
    } else if (operand !== undefined && cmd.argv[operand] !== '-') {
      acts.push({ type: 'file.read', cmd: index, program: prog, paths: cmd.argv.slice(operand).map((_, k) => argPath(cmd, operand! + k, env)) });
    }
    return acts;
  }
  if (dynamicCode) return acts;
  // No inline code: a script operand, or code on stdin.
  if (operand === undefined || cmd.argv[operand] === '-') {
    const s = cmd.stdin;
    if (!s) return [{ type: 'exec', cmd: index, program: prog, known: true, script: true }]; // a REPL
    if (s.kind === 'heredoc') return inline(cmd, index, env, spec.language, s.text);
    if (s.kind === 'herestring' && !s.dynamic) return inline(cmd, index, env, spec.language, s.text);
    if (s.kind === 'file') return [{ type: 'file.read', cmd: index, program: prog, paths: [resolvePath(s.path, cmd, env, s.dynamic)] }, { type: 'exec', cmd: index, program: prog, known: true, script: true }];
    return [unseen(cmd, index, `a pipe into ${prog}`)];
  }
  if (cmd.dyn[operand] || isFdPath(cmd.argv[operand]!)) return [unseen(cmd, index, `${prog} running a substituted script`)];
  return [{ type: 'file.read', cmd: index, program: prog, paths: [argPath(cmd, operand, env)] }, { type: 'exec', cmd: index, program: prog, known: true, script: true }];
}

/** pwsh/powershell: -Command CODE (or `-` from stdin), -EncodedCommand (opaque), -File SCRIPT. */
function powershell(cmd: SimpleCommand, index: number, env: ReadEnv): Action[] {
  const prog = programName(cmd.argv[0]!);
  const VALUE = new Set(['executionpolicy', 'ep', 'workingdirectory', 'wd', 'configurationname', 'custompipename', 'settingsfile', 'outputformat', 'of', 'inputformat', 'if', 'windowstyle', 'w', 'version', 'v']);
  for (let i = 1; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    const key = a.replace(/^[-/]+/, '').toLowerCase();
    if (!a.startsWith('-') && !a.startsWith('/')) {
      // A bare first operand is a script file (pwsh) or a command (powershell).
      return [{ type: 'file.read', cmd: index, program: prog, paths: [argPath(cmd, i, env)] }, { type: 'exec', cmd: index, program: prog, known: true, script: true }];
    }
    if (key === 'encodedcommand' || key === 'ec' || key === 'e' || key === 'enc') return [{ type: 'code.dynamic', cmd: index, program: prog, how: `${prog} -EncodedCommand runs base64 code fwguard does not read` }];
    if (key === 'command' || key === 'c') {
      const code = cmd.argv.slice(i + 1).join(' ');
      if (code === '-' || code === '') {
        const s = cmd.stdin;
        if (s && (s.kind === 'heredoc' || (s.kind === 'herestring' && !s.dynamic))) return inline(cmd, index, env, 'powershell', s.text);
        return [unseen(cmd, index, `a pipe into ${prog}`)];
      }
      if (cmd.dyn.slice(i + 1).some(Boolean)) return [unseen(cmd, index, `${prog} -Command with dynamic code`)];
      return inline(cmd, index, env, 'powershell', code);
    }
    if (key === 'file' || key === 'f') {
      if (i + 1 >= cmd.argv.length) return [];
      if (cmd.dyn[i + 1] || isFdPath(cmd.argv[i + 1]!)) return [unseen(cmd, index, `${prog} -File of a substituted script`)];
      return [{ type: 'file.read', cmd: index, program: prog, paths: [argPath(cmd, i + 1, env)] }, { type: 'exec', cmd: index, program: prog, known: true, script: true }];
    }
    if (VALUE.has(key)) i++;
  }
  // No command and no file: PowerShell reads its program from stdin.
  const st = cmd.stdin;
  if (st && (st.kind === 'heredoc' || (st.kind === 'herestring' && !st.dynamic))) return inline(cmd, index, env, 'powershell', st.text);
  if (st) return [unseen(cmd, index, `a pipe into ${prog}`)];
  return [{ type: 'exec', cmd: index, program: prog, known: true, script: true }];
}

/** awk programs can run commands (`system()`, `| "cmd"`) and write files (`> "file"`). */
const awk: Reader = (cmd, index, env) => {
  let i = 1;
  let program: string | undefined;
  let progIdx = -1;
  for (; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    if (a === '-f' || a === '--file') return [{ type: 'exec', cmd: index, program: 'awk', known: true, script: true }];
    if (a === '-F' || a === '-v') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    program = a;
    progIdx = i;
    break;
  }
  if (program === undefined) return [];
  const acts: Action[] = [];
  if (cmd.dyn[progIdx]) acts.push(unseen(cmd, index, 'awk with a dynamic program'));
  else if (/\bsystem\s*\(|\|\s*["']|["']\s*\|\s*getline/.test(program) || awkPrintWrites(program)) {
    const effects: InlineEffect[] = [];
    if (/\bsystem\s*\(|\|\s*["']|["']\s*\|\s*getline/.test(program)) effects.push('process');
    if (awkPrintWrites(program)) effects.push('write');
    acts.push({ type: 'code.inline', cmd: index, program: 'awk', language: 'awk', code: program.slice(0, 2000), effects });
  }
  const files = cmd.argv.slice(progIdx + 1).map((_, k) => progIdx + 1 + k).filter((k) => !/^\w+=/.test(cmd.argv[k]!));
  if (files.length) acts.push({ type: 'file.read', cmd: index, program: 'awk', paths: files.map((k) => argPath(cmd, k, env)) });
  return acts;
};

/**
 * `print … > "file"` in an awk program: a statement (up to `;` or `}`) with a `print` followed by
 * `>` and a quote. Linear: only the first `print` of each statement is looked from (the pattern
 * `\bprint[^;}]*>\s*["']` scanned to the end from every `print`: ~70 ms on 16 KB of `print `).
 */
function awkPrintWrites(program: string): boolean {
  for (const st of program.split(/[;}]/)) {
    const m = /\bprint/.exec(st);
    if (m && />\s*["']/.test(st.slice(m.index + 5))) return true;
  }
  return false;
}

const evalReader: Reader = (cmd, index) => [
  cmd.dyn.slice(1).some(Boolean)
    ? unseen(cmd, index, 'eval of a dynamic string')
    : { type: 'code.dynamic', cmd: index, program: 'eval', how: 'eval builds code at run time' },
];

/** source / . : runs a file in this shell. */
const source: Reader = (cmd, index, env) => {
  if (cmd.argv.length < 2) return [];
  if (cmd.dyn[1] || isFdPath(cmd.argv[1]!)) return [unseen(cmd, index, 'source of a substituted file')];
  return [{ type: 'file.read', cmd: index, program: 'source', paths: [argPath(cmd, 1, env)] }, { type: 'exec', cmd: index, program: 'source', known: true, script: true }];
};

export const readers: Record<string, Reader> = {
  ...Object.fromEntries(['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'ash', 'mksh', 'yash', 'rbash'].map((s) => [s, shell])),
  ...Object.fromEntries(Object.keys(INTERP).map((k) => [k, interpreter])),
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
  eval: evalReader,
  source,
  '.': source,
};
