// Inline interpreter code (`python -c`, `node -e`, `perl -e`, …): what it does, from the APIs it
// calls. fwguard has no parser for these languages, so this is a lexical reading, made honest by
// two rules: comments are removed and string contents blanked before API names are matched (an API
// named in a string or a comment is not a call), and a write or delete names its target only when
// the target is a string literal in that call (otherwise the target is unknown, and rules ask).
import type { InlineEffect } from '../types.js';

export interface Lexed {
  /** The code with comments blanked and string contents replaced by spaces (same length). */
  skeleton: string;
  strings: { value: string; start: number; end: number }[];
}

interface Syntax {
  line: string[];
  block: [string, string][];
  /** Line-start blocks (`=pod … =cut`, `=begin … =end`). */
  lineBlock?: [RegExp, RegExp][];
  quotes: string[];
  /** Long strings: [open, close]. */
  long?: [string, string][];
}

const SYNTAX: Record<string, Syntax> = {
  python: { line: ['#'], block: [], quotes: ["'", '"'], long: [["'''", "'''"], ['"""', '"""']] },
  javascript: { line: ['//'], block: [['/*', '*/']], quotes: ["'", '"', '`'] },
  perl: { line: ['#'], block: [], lineBlock: [[/^=[a-z]/m, /^=cut\b.*$/m]], quotes: ["'", '"'] },
  ruby: { line: ['#'], block: [], lineBlock: [[/^=begin\b/m, /^=end\b.*$/m]], quotes: ["'", '"'], long: [['%q{', '}'], ['%Q{', '}'], ['%q(', ')'], ['%Q(', ')']] },
  lua: { line: ['--'], block: [['--[[', ']]']], quotes: ["'", '"'], long: [['[[', ']]']] },
  powershell: { line: ['#'], block: [['<#', '#>']], quotes: ["'", '"'] },
  php: { line: ['//', '#'], block: [['/*', '*/']], quotes: ["'", '"'] },
  r: { line: ['#'], block: [], quotes: ["'", '"'] },
  applescript: { line: ['--'], block: [['(*', '*)']], quotes: ['"'] },
  awk: { line: ['#'], block: [], quotes: ['"'] },
  tcl: { line: ['#'], block: [], quotes: ['"'] },
};

/** Blank comments and string contents; collect the string literals. Linear time. */
export function lex(code: string, language: string): Lexed {
  const syn = SYNTAX[language] ?? SYNTAX.python!;
  const out = code.split('');
  const strings: Lexed['strings'] = [];
  const blank = (a: number, b: number) => {
    for (let k = a; k < b && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Line-start block comments first (they are delimited by whole lines).
  for (const [open, close] of syn.lineBlock ?? []) {
    let from = 0;
    for (let guard = 0; guard < 1000; guard++) {
      open.lastIndex = 0;
      const m = open.exec(code.slice(from));
      if (!m) break;
      const a = from + m.index;
      const c = close.exec(code.slice(a + m[0].length));
      const b = c ? a + m[0].length + c.index + c[0].length : code.length;
      blank(a, b);
      from = b;
    }
  }
  let i = 0;
  outer: while (i < code.length) {
    if (out[i] === ' ' && code[i] !== ' ') {
      i++; // already blanked by a line block
      continue;
    }
    for (const [open, close] of syn.block) {
      if (code.startsWith(open, i)) {
        const end = code.indexOf(close, i + open.length);
        const b = end === -1 ? code.length : end + close.length;
        blank(i, b);
        i = b;
        continue outer;
      }
    }
    for (const l of syn.line) {
      if (code.startsWith(l, i)) {
        const end = code.indexOf('\n', i);
        const b = end === -1 ? code.length : end;
        blank(i, b);
        i = b;
        continue outer;
      }
    }
    for (const [open, close] of syn.long ?? []) {
      if (code.startsWith(open, i)) {
        const end = code.indexOf(close, i + open.length);
        const b = end === -1 ? code.length : end + close.length;
        strings.push({ value: code.slice(i + open.length, end === -1 ? code.length : end), start: i, end: b });
        blank(i + open.length, end === -1 ? code.length : end);
        i = b;
        continue outer;
      }
    }
    const c = code[i]!;
    if (syn.quotes.includes(c)) {
      let j = i + 1;
      let value = '';
      while (j < code.length && code[j] !== c) {
        if (code[j] === '\\' && j + 1 < code.length) {
          value += code[j + 1];
          j += 2;
          continue;
        }
        value += code[j];
        j++;
      }
      strings.push({ value, start: i, end: Math.min(j + 1, code.length) });
      blank(i + 1, j);
      i = j + 1;
      continue;
    }
    i++;
  }
  return { skeleton: out.join(''), strings };
}

const COMMON_DELETE = /\b(os\.(remove|unlink|rmdir|removedirs|RemoveAll)|shutil\.rmtree|rmtree|remove_tree|rimraf|rmSync|rmdirSync|unlinkSync|fs\.(promises\.)?(rm|rmdir|unlink)|FileUtils\.(rm|rm_r|rm_rf|rm_f|remove|remove_dir|remove_entry)|File\.(delete|unlink)|Dir\.(rmdir|delete|unlink)|Remove-Item|\bunlink\b|\brmdir\b|\.unlink\s*\(|\.rmdir\s*\(|truncate\s*\()/;
// `[^()]*` (not `[^)]*`) and `\bprint`: each match attempt stops at the next parenthesis or word, so
// the pattern is linear on repeated `open(`, `open(x,`, `print` (it was quadratic: ~150 ms at 32 KB).
const COMMON_WRITE = /(\bopen\s*\([^()]*,\s*(f?["'] *[wax+]|mode\s*=)|write_text|write_bytes|\.touch\s*\(|writeFile|appendFile|createWriteStream|fs\.(write|rename|copyFile|mkdir|symlink|link|chmod|chown|cp)|renameSync|copyFileSync|mkdirSync|symlinkSync|linkSync|chmodSync|chownSync|cpSync|File\.(write|open\s*\([^()]*["'][wa]|rename|symlink|link|chmod|chown)|IO\.write|FileUtils\.(cp|mv|ln|ln_s|mkdir|mkdir_p|touch|chmod|install)|os\.(rename|replace|chmod|chown|lchown|symlink|link|makedirs|mkdir|truncate)|shutil\.(move|copy|copy2|copyfile|copytree|chown)|file_put_contents|fopen\s*\([^()]*["'][wax]|Set-Content|Add-Content|Out-File|New-Item|Copy-Item|Move-Item|\bprint(?:\s*\{)?(?:\s*\$?\w+)?\s*>|\bopen\s*\(\s*\w+\s*,\s*["']?[>+])/;
const COMMON_PROCESS = /(subprocess|os\.(system|popen|exec\w*|spawn\w*|kill|killpg|fork)|child_process|\bexecSync\b|\bspawnSync\b|\bexecFile\w*|\bspawn\s*\(|\bsystem\s*\(|\bpopen\b|Popen|process\.kill|Process\.(kill|spawn)|Runtime\.getRuntime|\bkill\s*\(|Start-Process|Invoke-Expression|\biex\b|do shell script|pty\.spawn|\bexec\s*\(|Bun\.spawn|Deno\.(run|Command))/;
const BACKTICK_RUNS = /`[^`]*`|\bqx\s*[({[/]/;
const COMMON_NETWORK = /(urllib|requests\.|http\.client|httpx|aiohttp|\bsocket\b|\bfetch\s*\(|https?\.(request|get)|net\.(connect|createConnection)|axios|XMLHttpRequest|LWP|Net::HTTP|HTTP::Tiny|IO::Socket|curl_|fsockopen|smtplib|ftplib|paramiko|WebSocket|Invoke-WebRequest|Invoke-RestMethod|open-uri|URI\.open|dgram|tls\.connect)/;
const JS_PROCESS_MODULE = /\b(require|import)\s*\(\s*["'`](node:)?(child_process|worker_threads|cluster)["'`]|\bfrom\s+["'](node:)?child_process["']/;
const JS_NET_MODULE = /\b(require|import)\s*\(\s*["'`](node:)?(http|https|http2|net|dgram|tls)["'`]|\bfrom\s+["'](node:)?(http|https|http2|net|dgram|tls)["']/;
const DYNAMIC: Record<string, RegExp> = {
  python: /\b(eval|exec|compile)\s*\(/,
  javascript: /\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|\bvm\.(run|Script)/,
  perl: /\beval\s*["'$]|\beval\s*\(\s*["'$]/,
  ruby: /\b(eval|instance_eval|class_eval|module_eval)\b|\.send\s*\(/,
  php: /\beval\s*\(|\bassert\s*\(/,
  lua: /\b(load|loadstring|dofile)\s*\(/,
  powershell: /Invoke-Expression|\biex\b|\[ScriptBlock\]::Create|-EncodedCommand/i,
};

/** Effects of inline code, from the API names in its skeleton (comments and strings removed). */
/** Inline code longer than this is not read (its patterns would cost too much): it is dynamic. */
export const MAX_INLINE = 32 * 1024;

export function inlineEffects(code: string, language = 'python'): InlineEffect[] {
  if (code.length > MAX_INLINE) return ['dynamic'];
  const { skeleton } = lex(code, language);
  const out: InlineEffect[] = [];
  if (COMMON_DELETE.test(skeleton)) out.push('delete');
  // Write detection needs the mode strings (`open(p, 'w')`): match on the code with comments
  // removed but strings kept for the mode argument only.
  if (COMMON_WRITE.test(withStrings(code, skeleton, language))) out.push('write');
  // Module names are strings (`require("child_process")`): look for loads on the code with strings.
  const loads = language === 'javascript' ? withStrings(code, skeleton, language) : '';
  if (COMMON_PROCESS.test(skeleton) || ((language === 'perl' || language === 'ruby' || language === 'php') && BACKTICK_RUNS.test(skeleton)) || JS_PROCESS_MODULE.test(loads)) out.push('process');
  if (COMMON_NETWORK.test(skeleton) || JS_NET_MODULE.test(loads)) out.push('network');
  if (DYNAMIC[language]?.test(skeleton)) out.push('dynamic');
  return out;
}

/** The code with comments removed but strings kept (for patterns that look at mode strings). */
function withStrings(code: string, _skeleton: string, language: string): string {
  const { skeleton, strings } = lex(code, language);
  const chars = skeleton.split('');
  for (const s of strings) for (let k = s.start; k < s.end; k++) chars[k] = code[k]!;
  return chars.join('');
}

/** APIs whose target is the last string argument (copy/move/link/rename: the destination). */
const LAST_ARG = /^(copy|copy2|copyfile|copytree|move|rename|replace|link|symlink|renameSync|copyFileSync|symlinkSync|linkSync|cpSync|cp|mv|ln|ln_s|install|Copy-Item|Move-Item)$/;
/** Method calls whose receiver is the target: Path("x").write_text(…), Path("x").unlink(). */
const RECEIVER = /^(write_text|write_bytes|touch|unlink|rmdir|mkdir|chmod)$/;
// A name is at most 64 characters: unbounded, `-a-a-a…` (32 KB) took ~0.5 s, every `-` restarting the scan.
const CALL = /\b([A-Za-z_][\w-]{0,63})\s*\(/g;
const TARGET_API = /^(open|write_text|write_bytes|touch|writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|rename|renameSync|copyFile|copyFileSync|mkdir|mkdirSync|makedirs|symlink|symlinkSync|link|linkSync|chmod|chmodSync|chown|chownSync|lchown|cp|cpSync|replace|copy|copy2|copyfile|copytree|move|file_put_contents|fopen|remove|unlink|unlinkSync|rmdir|rmdirSync|removedirs|rmtree|rm|rmSync|rm_r|rm_rf|rm_f|remove_dir|remove_entry|remove_tree|delete|truncate|mv|ln|ln_s|install|mkdir_p|RemoveAll|Remove-Item|Set-Content|Add-Content|Out-File|New-Item|Copy-Item|Move-Item)$/;

/**
 * The literal targets of write/delete calls. `unknown` is true when such a call has no literal
 * target fwguard can read (a variable, a computed path): the caller then reports an unknown path.
 */
export function inlineTargets(code: string, language: string): { paths: string[]; unknown: boolean } {
  if (code.length > MAX_INLINE) return { paths: [], unknown: true };
  const { skeleton, strings } = lex(code, language);
  const paths: string[] = [];
  let unknown = false;
  CALL.lastIndex = 0;
  for (let m = CALL.exec(skeleton); m; m = CALL.exec(skeleton)) {
    const api = m[1]!;
    if (!TARGET_API.test(api)) continue;
    const open = m.index + m[0].length - 1;
    const close = matchParen(skeleton, open);
    const inside = strings.filter((s) => s.start > open && s.end <= close);
    // open() only writes with a write mode; other open() calls read.
    if (api === 'open' || api === 'fopen') {
      const mode = inside[1]?.value ?? '';
      if (!/[wax+]/.test(mode) && !/\bmode\s*=/.test(skeleton.slice(open, close))) continue;
    }
    let target: string | undefined;
    if (RECEIVER.test(api) && skeleton[m.index - 1] === '.') {
      const stmtStart = Math.max(skeleton.lastIndexOf(';', m.index), skeleton.lastIndexOf('\n', m.index));
      const before = strings.filter((s) => s.end <= m!.index && s.start > stmtStart);
      target = before.at(-1)?.value ?? (api === 'chmod' || api === 'mkdir' ? inside[0]?.value : undefined);
    } else if (LAST_ARG.test(api)) target = inside.at(-1)?.value;
    else target = inside[0]?.value;
    if (target !== undefined && target !== '') paths.push(target);
    // Changing modes or making directories with a computed path is not a write of content.
    else if (!/^(chmod|chmodSync|chown|chownSync|lchown|mkdir|mkdirSync|makedirs|mkdir_p)$/.test(api)) unknown = true;
    if (paths.length >= 16) break;
  }
  // Perl and Ruby builtins without parentheses: `unlink "f"`, `File.delete "f"`, `rename "a", "b"`.
  if (language === 'perl' || language === 'ruby') {
    const BARE = /\b(unlink|rmdir|mkdir|rename|chmod|truncate|delete|rm_rf|rm_r|rm)\s+(?=["'])/g;
    for (let m = BARE.exec(skeleton); m; m = BARE.exec(skeleton)) {
      const stmtEnd = skeleton.indexOf(';', m.index);
      const args = strings.filter((st) => st.start >= m!.index + m![0].length && (stmtEnd === -1 || st.end <= stmtEnd + 1));
      const t = m[1] === 'rename' ? args.at(-1) : m[1] === 'chmod' ? args.at(-1) : args[0];
      if (t?.value) paths.push(t.value);
    }
    if (paths.length > 0) unknown = false;
  }
  return { paths, unknown };
}

function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let k = open; k < s.length; k++) {
    if (s[k] === '(') depth++;
    else if (s[k] === ')' && --depth === 0) return k;
  }
  return s.length;
}
