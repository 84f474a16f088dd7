// Hostile inputs for the bounded-time suite (issue 6 §5). Each case is either a shell line decided
// through the whole real pipeline (`decide`), or a direct call of a function that runs one of the
// regular expressions of src/ on its worst case.
//
// Sizes: linear-time paths get large inputs (lines over MAX_COMMAND_BYTES are asked about unparsed); inputs aimed at a regular
// expression that backtracks polynomially are sized so that a vulnerable pattern takes well over
// 50 ms yet still returns in seconds (a bigger input would only hang the suite: the time grows with
// the square, or a higher power, of the length).
//
// `bug` marks a case where fwguard was wrong (by POLICY.md / issue 6 §5) when the suite was written; it is
// now a regression test (all are fixed). Each `bug` string says what was wrong.
import { MAX_COMMAND_BYTES } from '../../src/engine.js';
import { redact } from '../../src/audit/trace.js';
import { inlineEffects } from '../../src/actions/code.js';
import { inlineTargets, MAX_INLINE } from '../../src/actions/inline.js';
import { destructiveMongo } from '../../src/actions/db.js';

export interface HostileCase {
  name: string;
  /** A shell line for `decide`, built lazily (some are ~1 MiB). */
  cmd?: () => string;
  /** Or a direct call of the function that holds the regular expression. */
  fn?: () => unknown;
  /** The line plants something catastrophic: the answer must never be allow, fast or not. */
  neverAllow?: boolean;
  /** Files to create in the sandbox project first (relative path → content). */
  files?: Record<string, string>;
  /** BUG: what fwguard gets wrong today (the test is skipped and asserts the right answer). */
  bug?: string;
}

const N = 10_000;
/** Lines over MAX_COMMAND_BYTES (256 KiB) are asked about unparsed; size cases sit just under it, so they are read. */
const CAP = MAX_COMMAND_BYTES;
const BIG = CAP - 1024;
/** Inline code over MAX_INLINE (32 KiB) is not read (dynamic); regex cases on it sit just under it. */
const fit = (unit: string, room = MAX_INLINE - 64) => unit.repeat(Math.floor(room / unit.length));
const MiB = 1024 * 1024;

/** One more level of a backtick substitution, escaped the way bash needs inside backticks. */
function backtickNest(depth: number, inner: string): string {
  let s = inner;
  for (let k = 0; k < depth; k++) s = 'echo `' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$/g, '\\$') + '`';
  return s;
}

/** `bash -c "…"` nested `depth` times, each level escaped for double quotes. */
function bashCNest(depth: number, inner: string): string {
  let s = inner;
  for (let k = 0; k < depth; k++) s = 'bash -c "' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$').replace(/`/g, '\\`') + '"';
  return s;
}

/** A heredoc line whose total size is `bytes` (ASCII). */
function heredoc(bytes: number, program = 'cat'): string {
  const head = `${program} <<'EOF'\n`;
  const tail = '\nEOF\n';
  const bodyLen = bytes - head.length - tail.length;
  const line = 'x'.repeat(79) + '\n';
  const body = line.repeat(Math.floor(bodyLen / line.length)) + 'y'.repeat(bodyLen % line.length);
  return head + body + tail;
}

export const HOSTILE: HostileCase[] = [
  // --- nesting ------------------------------------------------------------------------------
  { name: '$( nested 10,000 deep', cmd: () => 'echo ' + '$('.repeat(N) + 'x' + ')'.repeat(N) },
  { name: '$( nested 10,000 deep, rm -rf ~ inside', cmd: () => 'echo ' + '$('.repeat(N) + 'rm -rf ~' + ')'.repeat(N), neverAllow: true },
  { name: 'backticks 10,000 unescaped (sequential pairs)', cmd: () => 'echo ' + '`echo '.repeat(N) + 'x' + '`'.repeat(N) },
  // Properly escaped backtick nesting doubles its backslashes per level: 18 levels is ~0.5 MiB,
  // 19 would pass the 1 MiB cap (so 10,000 escaped levels cannot exist below the cap).
  { name: 'backticks nested 18 deep, escaped (~0.5 MiB)', cmd: () => backtickNest(18, 'rm -rf ~'), neverAllow: true },
  { name: '( subshells 10,000 deep', cmd: () => '('.repeat(N) + 'ls' + ')'.repeat(N) },
  { name: '{ groups; } 10,000 deep', cmd: () => '{ '.repeat(N) + 'ls' + '; }'.repeat(N) },
  { name: 'if … fi 10,000 deep', cmd: () => 'if true; then '.repeat(N) + 'ls' + '; fi'.repeat(N) },
  { name: '"$( in double quotes 10,000 deep', cmd: () => 'echo ' + '"$('.repeat(N) + 'x' + ')"'.repeat(N) },
  { name: '( subshells 10,000 deep, rm -rf ~ inside', cmd: () => '('.repeat(N) + 'rm -rf ~' + ')'.repeat(N), neverAllow: true },

  // --- size ---------------------------------------------------------------------------------
  { name: '100,000 ;-separated commands', cmd: () => 'ls;'.repeat(100_000) },
  { name: '100,000 ;-separated commands, rm -rf ~ last', cmd: () => 'ls;'.repeat(100_000) + 'rm -rf ~', neverAllow: true },
  { name: 'heredoc 1 byte under the 256 KiB command cap (cat)', cmd: () => heredoc(CAP - 1) },
  { name: 'heredoc 1 byte under the 256 KiB command cap (bash), rm -rf ~ first', cmd: () => heredoc(CAP - 1, 'bash').replace(/^(bash <<'EOF'\n)/, '$1rm -rf ~\n'), neverAllow: true },
  { name: 'heredoc 1 byte over the 256 KiB command cap', cmd: () => heredoc(CAP + 1), neverAllow: true },
  { name: 'heredoc of 1 MiB (cat)', cmd: () => heredoc(MiB), neverAllow: true },
  { name: 'heredoc of 1 MiB fed to bash', cmd: () => heredoc(MiB, 'bash'), neverAllow: true },
  { name: 'very long word (255 KB)', cmd: () => 'echo ' + 'a'.repeat(BIG) },
  { name: 'very long word (900 KB, over the cap)', cmd: () => 'echo ' + 'a'.repeat(900_000), neverAllow: true },
  { name: 'very long word as the program name (255 KB)', cmd: () => 'a'.repeat(BIG) + ' x' },
  { name: 'very long quoted path to rm -rf (255 KB)', cmd: () => `rm -rf "/tmp/${'a/'.repeat(BIG / 2)}"` },
  { name: '255 KB of leading a=b assignments, rm -rf ~', cmd: () => 'a=b '.repeat(BIG / 4) + 'rm -rf ~', neverAllow: true },
  {
    name: '255 KB of leading a=b assignments',
    cmd: () => 'a=b '.repeat(BIG / 4) + 'ls',
    bug: 'a 900 KB prefix of assignments on one command takes ~190 ms and still answers allow: one walker step, the deadline is never checked',
  },
  { name: '10,000 redirections on one command', cmd: () => 'echo x' + ' >/dev/null'.repeat(N) },
  { name: '10,000 redirections, the last into ~/.bashrc', cmd: () => 'echo x' + ' >/dev/null'.repeat(N) + ' >~/.bashrc', neverAllow: true },
  { name: '5,000 && chained cd', cmd: () => 'cd src &&'.repeat(5000) + ' ls' },
  { name: '5,000 && chained cd, then rm -rf ~', cmd: () => 'cd src &&'.repeat(5000) + ' rm -rf ~', neverAllow: true },
  { name: 'eval eval … 500 deep, rm -rf ~', cmd: () => 'eval '.repeat(500) + 'rm -rf ~', neverAllow: true },
  { name: "eval '…' quoted 12 deep, rm -rf ~", cmd: () => { let s = 'rm -rf ~'; for (let k = 0; k < 12; k++) s = "eval '" + s.replace(/'/g, "'\\''") + "'"; return s; }, neverAllow: true },
  {
    name: '10,000 pipes',
    cmd: () => 'cat x' + ' | cat'.repeat(N),
    bug: 'every pipeline component copies all upstream commands (quadratic): 1,000 pipes ~0.8 s, 3,000 ~8 s, 10,000 exhausts the heap (~4 GB) and kills the process — no answer at all',
  },
  {
    name: '300 pipes',
    cmd: () => 'cat x' + ' | cat'.repeat(300),
    bug: 'quadratic pipeline walk: 300 pipes take >100 ms and answer allow (no deadline inside one Pipeline step)',
  },
  { name: '100 pipes', cmd: () => 'cat x' + ' | cat'.repeat(100) },

  // --- quotes -------------------------------------------------------------------------------
  { name: `unbalanced "' alternating ×10,000`, cmd: () => 'echo ' + `"'`.repeat(N) },
  { name: 'balanced alternating quotes (255 KB word)', cmd: () => 'echo ' + `"a'"'b"'`.repeat(BIG / 8), bug: 'SLOW-LINEAR: a 900 KB word of alternating quoted segments takes ~300 ms and answers allow (no deadline outside the walker loop; 1 MiB cap is far above what 50 ms can read)' },
  { name: 'bash -c "…" nested 17 deep, escaped', cmd: () => bashCNest(17, 'rm -rf ~'), neverAllow: true },
  { name: "$'\\x{' ×87,000 with no } (255 KB)", cmd: () => "echo $'" + '\\x{'.repeat(Math.floor(BIG / 3)) + "'", bug: "words.ts decodeAnsiC searched for the } of every \\x{ to the end of the text (quadratic: ~150 ms at 255 KB, allow)" },
  { name: "$'\\x{' ×87,000 then one } (255 KB)", cmd: () => "echo $'" + '\\x{'.repeat(Math.floor(BIG / 3)) + "}'" },
  { name: "$'…' ANSI-C escapes (255 KB)", cmd: () => "echo $'" + '\\x41\\u0042\\101'.repeat(Math.floor(BIG / 15)) + "'", bug: "SLOW-LINEAR: 900 KB of $'\\\\x41…' escapes takes ~100 ms and answers allow" },

  // --- brace expansion ----------------------------------------------------------------------
  { name: 'brace range {1..99999999}', cmd: () => 'echo {1..99999999}' },
  { name: 'rm -rf {1..99999999} ~', cmd: () => 'rm -rf {1..99999999} ~', neverAllow: true },
  { name: 'brace product {a,b}×20', cmd: () => 'echo ' + '{a,b}'.repeat(20) },
  { name: 'rm -rf {a,b}×20~', cmd: () => 'rm -rf ' + '{a,b}'.repeat(20) + '~', neverAllow: true },
  { name: 'nested braces 200 deep', cmd: () => 'echo ' + '{a,'.repeat(200) + 'b' + '}'.repeat(200) },
  {
    name: 'nested braces 10,000 deep',
    cmd: () => 'echo ' + '{a,'.repeat(N) + 'b' + '}'.repeat(N),
    bug: 'braceAlternatives recurses once per level with quadratic slicing, outside the analysis deadline: ~3.3 s, then a stack overflow turns into internal.error deny (4,000 deep: ~0.4 s and allow)',
  },
  {
    name: 'rm -rf nested braces 257 deep ending in ~',
    cmd: () => 'rm -rf ' + '{a,'.repeat(257) + '~' + '}'.repeat(257),
    neverAllow: true,
    bug: 'an expansion over MAX_BRACE_FIELDS (256) at an inner level is kept as a literal word and judged as a project-relative path: rm -rf {a,{a,…,~}} (bash: rm -rf a … ~) answers allow',
  },

  // --- regular expressions of src/, each on its worst case -----------------------------------
  // src/audit/trace.ts redaction (runs on every trace record the hook writes).
  {
    name: 'redact: NAME=value, TOKEN×20,000 with no "="',
    fn: () => redact('TOKEN'.repeat(20_000)),
    bug: 'trace.ts `[A-Za-z0-9_]*(?:SECRET|TOKEN|…)[A-Za-z0-9_]*\\s*=` is quadratic on a long word of keywords without "=" (100 KB ~0.6 s)',
  },
  {
    name: 'redact: JSON "password…" key, "token×20,000 unterminated',
    fn: () => redact('"' + 'token'.repeat(20_000)),
    bug: 'trace.ts `"(?:[A-Za-z_-]*(?:password|…|token)[A-Za-z_-]*|…)"\\s*:` is quadratic on an unterminated quoted run of keywords (100 KB ~1.7 s)',
  },
  {
    name: 'redact: mysql -p, "mysql "×16,000',
    fn: () => redact('-p ' + 'mysql '.repeat(16_000)),
    bug: 'trace.ts `\\bmysql…\\b[^\\n;&|]*?\\s-p` scans to the end of the line from every "mysql" (quadratic; 100 KB ~0.7 s)',
  },
  {
    name: 'redact: URL userinfo, ://a.a.a.… (100 KB)',
    fn: () => redact('://' + 'a.'.repeat(50_000)),
    bug: 'trace.ts `\\b[a-z][a-z0-9+.-]*:\\/\\/` restarts at every word boundary of a dotted run and scans it to the end (quadratic; 100 KB ~2 s)',
  },
  { name: 'redact: _KEY=, "_KEY"×225,000', fn: () => redact('_KEY'.repeat(225_000)) },
  { name: 'redact: sk- token, 900 KB of "-"', fn: () => redact('sk-' + '-'.repeat(900_000) + '!') },
  { name: 'redact: PEM, BEGIN + 900 KB "A "', fn: () => redact('-----BEGIN ' + 'A '.repeat(450_000)) },
  { name: 'redact: PEM, BEGIN PRIVATE KEY + 900 KB, no END', fn: () => redact('-----BEGIN RSA PRIVATE KEY-----' + '-----END '.repeat(100_000)) },
  { name: 'redact: authorization + 900 KB spaces', fn: () => redact('authorization' + ' '.repeat(900_000) + 'x') },
  { name: 'redact: bearer + 900 KB spaces', fn: () => redact('bearer' + ' '.repeat(900_000) + '!') },
  { name: 'redact: cookie header + 900 KB spaces', fn: () => redact('cookie' + ' '.repeat(900_000) + 'x') },
  { name: 'redact: --password + 900 KB spaces', fn: () => redact('--password' + ' '.repeat(900_000) + '"') },
  { name: 'redact: a://b: + 900 KB, no @', fn: () => redact('a://b:' + 'c'.repeat(900_000)) },
  { name: 'redact: -u user + 900 KB, no ":"', fn: () => redact(' -u ' + 'a'.repeat(900_000)) },
  { name: 'redact: ghp_ + 900 KB', fn: () => redact('ghp_' + 'a'.repeat(900_000) + '-') },
  { name: 'redact: deep object of secret keys', fn: () => { let o: unknown = 'x'; for (let k = 0; k < 10_000; k++) o = { token: o, a: ['password=1'] }; return redact(o); } },

  // src/actions/inline.ts EFFECTS and targets (inline interpreter code). Code over MAX_INLINE
  // (32 KiB) is not read at all (it is dynamic: ask), so the regex cases sit just under it; the
  // 100–900 KB sizes these cases once had only ever measured the cap.
  {
    name: 'inlineEffects: open( ×6,500 (32 KiB)',
    fn: () => inlineEffects(fit('open(')),
    bug: 'code.ts EFFECTS write `open\\([^)]*,\\s*…` scans to the end from every "open(" (quadratic; 100 KB ~0.6 s; ~110 ms at 32 KiB until `[^()]*`)',
  },
  { name: 'inlineEffects: open(x, ×4,600 (32 KiB)', fn: () => inlineEffects(fit('open(x,')), bug: 'inline.ts COMMON_WRITE `[^)]*,` backtracked over every comma: ~150 ms at 32 KiB (now `[^()]*`)' },
  { name: 'inlineEffects: open( + spaces ×4,600 (32 KiB)', fn: () => inlineEffects(fit('open(  ')) },
  {
    name: 'inlineEffects: File.open( ×3,270 (32 KiB)',
    fn: () => inlineEffects(fit('File.open(')),
    bug: 'code.ts EFFECTS write `File\\.open\\([^)]*["\'][wa]` is quadratic on repeated "File.open(" (100 KB ~0.6 s; ~90 ms at 32 KiB until `[^()]*`)',
  },
  {
    name: 'inlineEffects: fopen( ×5,450 (32 KiB)',
    fn: () => inlineEffects(fit('fopen('), 'php'),
    bug: 'code.ts EFFECTS write `fopen\\([^)]*["\'][wax]` is quadratic on repeated "fopen(" (100 KB ~1 s; ~130 ms at 32 KiB until `[^()]*`)',
  },
  { name: 'inlineEffects: printprint… (32 KiB)', fn: () => inlineEffects(fit('print'), 'perl'), bug: 'inline.ts COMMON_WRITE `print(?:\\s*\\$?\\w+)?\\s*>` let \\w+ run from every "print" to the end: ~250 ms at 32 KiB (now `\\bprint`)' },
  { name: 'inlineEffects: print $a ×3,600 (32 KiB)', fn: () => inlineEffects(fit('print $a '), 'perl') },
  {
    name: 'inlineEffects: print + 32 KiB of spaces',
    fn: () => inlineEffects('print' + ' '.repeat(MAX_INLINE - 64) + 'x'),
    bug: 'code.ts EFFECTS write `print\\s*\\{?\\s*\\$?\\w*\\s*>`: three adjacent \\s* backtrack polynomially on a run of spaces (2 KB ~1 s; 900 KB never finishes)',
  },
  {
    name: 'python3 -c "print + 2,000 spaces" (decide)',
    cmd: () => `python3 -c "print${' '.repeat(2000)}x"`,
    bug: 'the print pattern through the pipeline: a 2 KB line takes ~1 s and answers allow; ~10 KB of spaces runs past the 10 s hook timeout',
  },
  { name: 'inlineEffects: one backtick + 32 KiB (perl)', fn: () => inlineEffects('`' + 'a'.repeat(MAX_INLINE - 64), 'perl'), bug: 'SLOW-LINEAR: EFFECTS process pattern on 900 KB after one backtick takes ~180 ms' },
  { name: 'inlineEffects: qx ×10,900 (32 KiB, perl)', fn: () => inlineEffects(fit('qx '), 'perl') },
  { name: 'inlineEffects: __import__( + 32 KiB spaces', fn: () => inlineEffects('__import__(' + ' '.repeat(MAX_INLINE - 64)), bug: 'SLOW-LINEAR: EFFECTS on 900 KB of spaces takes ~115 ms' },
  { name: 'inlineEffects: os.exec + 32 KiB word chars', fn: () => inlineEffects('os.exec' + 'a'.repeat(MAX_INLINE - 64)), bug: 'SLOW-LINEAR: EFFECTS on a 900 KB word takes ~80 ms' },
  { name: "inlineEffects: require( ×3,600 (32 KiB, javascript)", fn: () => inlineEffects(fit("require( '"), 'javascript') },
  { name: 'inlineEffects: over MAX_INLINE (900 KB) is dynamic, unread', fn: () => inlineEffects('open('.repeat(180_000)) },
  { name: 'inlineTargets: -a-a-a… (32 KiB), the call-name pattern', fn: () => inlineTargets(fit('-a'), 'python'), bug: 'inline.ts CALL `\\b([A-Za-z_][\\w-]*)\\s*\\(` restarted at every "-" and scanned to the end: ~0.5 s at 32 KiB (now a name is ≤ 64 characters)' },
  { name: 'inlineTargets: Remove-Item- ×2,700 (32 KiB, powershell)', fn: () => inlineTargets(fit('Remove-Item-'), 'powershell') },
  { name: "inlineTargets: open('a', ×3,600 (32 KiB)", fn: () => inlineTargets(fit("open('a', "), 'python') },
  {
    name: 'python3 -c with open( ×6,500 (decide, 32 KiB)',
    cmd: () => `python3 -c "${fit('open(')}"`,
    bug: 'the quadratic EFFECTS write pattern through the pipeline: 100 KB of inline code ~0.6 s, then allow; at 900 KB it runs ~50 s, past the hook timeout',
  },
  { name: 'python3 -c "open(x," ×4,600 (decide, 32 KiB)', cmd: () => `python3 -c "${fit('open(x,')}"` },
  { name: 'perl -e printprint… (decide, 32 KiB)', cmd: () => `perl -e '${fit('print')}'` },
  { name: 'node -e -a-a-a… (decide, 32 KiB)', cmd: () => `node -e '${fit('-a')}'` },
  { name: "python3 -c write + PATH_LITERAL on an unterminated quote (32 KiB)", cmd: () => `python3 -c "open('x','w');'${fit('a.-', MAX_INLINE - 100)}"`, bug: 'SLOW-LINEAR: 900 KB of inline code through EFFECTS/PATH_LITERAL takes ~400 ms and answers no opinion (allow): readers run with no deadline' },
  { name: 'python3 -c write + 5,000 path literals (32 KiB)', cmd: () => `python3 -c "open('x','w');${fit("'./a' ", MAX_INLINE - 100)}"` },

  // awk (code.ts).
  {
    name: "awk 'print ×16,000' (decide)",
    cmd: () => `awk '${'print '.repeat(16_000)}'`,
    bug: 'code.ts awk `\\bprint[^;}]*>\\s*["\']` scans to the end from every "print" (quadratic; 100 KB ~0.7 s, then allow)',
  },
  { name: "awk '| + 255 KB spaces' (decide)", cmd: () => `awk '|${' '.repeat(BIG)}x'` },

  // src/actions/db.ts (SQL splitting, printf formats, mongo JS).
  { name: 'psql -c with 52,000 DROP words (255 KB)', cmd: () => `psql -c "${'DROP '.repeat(BIG / 5)}"`, neverAllow: true },
  { name: 'psql -c with 87,000 $a$ dollar quotes (255 KB)', cmd: () => `psql -c '${'$a$'.repeat(BIG / 3)}'`, bug: 'SLOW-LINEAR: 900 KB of SQL dollar quotes takes ~120 ms and answers allow' },
  { name: "printf '%000…z' (255 KB) | psql", cmd: () => `printf '%${'0'.repeat(BIG)}z' | psql`, bug: 'SLOW-LINEAR: a 900 KB printf format piped to psql takes ~270 ms and answers allow' },
  { name: 'echo 255 KB of whitespace-separated words | psql', cmd: () => `echo '${'a \t'.repeat(BIG / 3)}' | psql`, bug: 'SLOW-LINEAR: 900 KB of SQL on stdin takes ~250 ms and answers allow' },
  {
    name: 'mongo: deleteMany( + 100 KB spaces',
    fn: () => destructiveMongo('db.c.deleteMany(' + ' '.repeat(100_000) + 'x'),
    bug: 'db.ts `\\.deleteMany\\s*\\(\\s*(\\{\\s*\\})?\\s*[,)]`: two adjacent \\s* are quadratic on a run of spaces (100 KB ~3 s)',
  },
  {
    name: 'mongo: remove( + 100 KB spaces',
    fn: () => destructiveMongo('db.c.remove(' + ' '.repeat(100_000) + 'x'),
    bug: 'db.ts `\\.remove\\s*\\(\\s*(\\{\\s*\\})?\\s*[,)]`: two adjacent \\s* are quadratic on a run of spaces (100 KB ~3 s)',
  },
  {
    name: 'mongosh --eval deleteMany( + 100 KB spaces (decide)',
    cmd: () => `mongosh --eval "db.c.deleteMany(${' '.repeat(100_000)}x"`,
    bug: 'the quadratic mongo pattern through the pipeline: ~3 s, then allow',
  },
  { name: 'mongo: updateMany({ + 900 KB spaces', fn: () => destructiveMongo('db.c.updateMany(' + ' '.repeat(450_000) + '{' + ' '.repeat(450_000) + 'x') },
  { name: 'mongo: dropDatabase + 900 KB spaces', fn: () => destructiveMongo('dropDatabase' + ' '.repeat(900_000) + 'x') },

  // src/actions/deploy.ts, git.ts, network.ts, system.ts, fs.ts.
  {
    name: 'docker build --output type=image,×18,000 (decide)',
    cmd: () => `docker build --output ${'type=image,'.repeat(18_000)} .`,
    bug: 'deploy.ts `type=(registry|image,.*push=true)` scans to the end from every "type=" (quadratic; 200 KB ~1 s, then allow)',
  },
  {
    name: 'git checkout x.aaaa…! (20 KB)',
    cmd: () => `git checkout x.${'a'.repeat(20_000)}!`,
    bug: 'git.ts looksLikePath `\\.[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*$` is quadratic on one long extension that does not end the word (20 KB ~175 ms, then allow; 900 KB ~6 min, past any hook timeout)',
  },
  { name: 'git checkout -- v1.1.1… (255 KB)', cmd: () => `git checkout -- v${'1.'.repeat(BIG / 2)}a` },
  { name: 'curl scheme + 255 KB', cmd: () => `curl ${'a'.repeat(BIG)}://x` },
  { name: 'curl -d 255 KB of = no @', cmd: () => `curl -d ${'='.repeat(BIG)} https://example.test` },
  { name: 'mail to a 255 KB address with >', cmd: () => `mail 'a<b>${'>'.repeat(BIG)}'` },
  { name: 'claude --settings "hooks" + 255 KB spaces', cmd: () => `claude --settings '"hooks"${' '.repeat(BIG)}:x'` },
  { name: 'claude --settings disableAllHooks + 255 KB spaces', cmd: () => `claude --settings 'disableAllHooks"${' '.repeat(BIG)}x'` },
  { name: 'chmod +rwx…(255 KB) file', cmd: () => `chmod +${'rwx'.repeat(BIG / 3)}! file` },
  { name: 'sed -iiii… (255 KB)', cmd: () => `sed -${'i'.repeat(BIG)} s/a/b/ x`, bug: 'SLOW-LINEAR: a 900 KB sed option cluster takes ~180 ms and answers allow' },

  // src/policy/evaluate.ts simpleGlob: a glob from the command line becomes a RegExp over a
  // directory listing. The agent can create the file it is matched against.
  {
    name: 'rm trap/*a*a*a*a*a*b against a 64-char name of a',
    files: { ['trap/' + 'a'.repeat(64)]: 'x\n' },
    cmd: () => 'rm trap/' + '*a'.repeat(5) + '*b',
    bug: 'evaluate.ts simpleGlob turns each * into .* with no bound: k stars against a name of n a\'s backtrack ~C(n,k) — k=5: ~1.7 s, k=6: ~12 s, k=8: hours; then allow',
  },
  { name: 'rm trap/*a*b against a 64-char name (2 stars)', files: { ['trap/' + 'a'.repeat(64)]: 'x\n' }, cmd: () => 'rm trap/*a*b' },

  // src/policy/facts-node.ts: the remotes of .git/config, read when a push is judged. Written last:
  // it replaces the sandbox repository's config (with an equivalent one).
  {
    name: 'git push with 200 KB of blank lines in .git/config',
    files: { '.git/config': '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n' + '\n'.repeat(200_000) + '[remote "origin"]\n\turl = https://x.test/r.git\n' },
    cmd: () => 'git push origin HEAD',
    bug: 'facts-node.ts remotes `^\\s*\\[remote` under /m ran \\s* over every following blank line from each line start: quadratic (~0.6 s at 32 KB)',
  },
];
