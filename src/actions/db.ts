// Database clients: find destructive statements in the SQL / commands / JS they are given
// (options, operands, or stdin that fwguard can read) and report them as db.mutate.
// Everything else (SELECT, INSERT, scoped UPDATE/DELETE, interactive use) returns no action.
import type { Action, PathRef, SimpleCommand } from '../types.js';
import { actionBase, pathFrom, programName, resolvePath, scanArgs, type ActionBase, type ReadEnv, type Reader } from './reader.js';

type Base = ActionBase;
const base = actionBase;
const pathAt = pathFrom;


/** One-line form of a statement for messages. */
function shown(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim().replace(/;$/, '').trim();
  return one.length > 200 ? one.slice(0, 197) + '...' : one;
}

// ---------------------------------------------------------------------------------------------
// Reading stdin

function unescapeC(s: string): string {
  return s.replace(/\\(n|t|r|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}

/** What an upstream pipe command prints, when fwguard can tell (echo, printf, cat of a heredoc). */
function printed(c: SimpleCommand): string {
  const prog = programName(c.argv[0] ?? '');
  const args = c.argv.slice(1);
  if (prog === 'echo') {
    let interpret = false;
    while (args.length && /^-[neE]+$/.test(args[0]!)) {
      if (args[0]!.includes('e')) interpret = true;
      args.shift();
    }
    const text = args.join(' ');
    return interpret ? unescapeC(text) : text;
  }
  if (prog === 'printf') {
    if (args[0] === '--') args.shift();
    if (args[0] === '-v') args.splice(0, 2);
    const fmt = args.shift() ?? '';
    let k = 0;
    const text = fmt.replace(/%[-+ #0-9.]*[sdbqiuxXfgec%]/g, (m) => (m === '%%' ? '%' : (args[k++] ?? '')));
    const rest = args.slice(k).join(' ');
    return unescapeC(rest ? text + ' ' + rest : text);
  }
  if (prog === 'cat' && (args.length === 0 || (args.length === 1 && args[0] === '-'))) return stdinText(c) ?? '';
  return '';
}

/** The text a command reads on stdin, as far as it is visible; null when there is none to read. */
export function stdinText(cmd: SimpleCommand): string | null {
  const s = cmd.stdin;
  if (!s) return null;
  switch (s.kind) {
    case 'heredoc':
    case 'herestring':
      return s.text;
    case 'pipe':
      return s.from.map(printed).join('\n');
    case 'file':
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// SQL

interface Statement {
  /** Original text. */
  text: string;
  /** Text with literals blanked and comments removed, for keyword tests. */
  clean: string;
  /** Bodies of dollar-quoted strings (`DO $$ … $$` runs them). */
  bodies: string[];
}

interface SplitSql {
  statements: Statement[];
  /** Client meta-commands: psql/mysql `\x …` lines, sqlite `.x …` lines. */
  meta: string[];
}

/**
 * Split SQL on `;` outside quotes and comments. Strings ('…', "…", `…`, $tag$…$tag$) are
 * blanked in `clean`; `--` and `/* *\/` comments (and `#` for MySQL) are dropped.
 */
export function splitSql(sql: string, opts: { hashComments?: boolean; dotCommands?: boolean } = {}): SplitSql {
  const statements: Statement[] = [];
  const meta: string[] = [];
  let start = 0;
  let clean = '';
  let bodies: string[] = [];
  /** `clean` holds only blanks so far: the statement has not started. */
  let blank = true;
  const flush = (end: number) => {
    const text = sql.slice(start, end);
    if (!blank || bodies.length) statements.push({ text, clean, bodies });
    clean = '';
    bodies = [];
    blank = true;
    start = end + 1;
  };
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === '\\' && c !== '`') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      clean += c === "'" ? "''" : c + 'x' + c;
      blank = false;
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '#' && opts.hashComments) {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      clean += ' ';
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      bodies.push(sql.slice(i + tag.length, end === -1 ? n : end));
      clean += "''";
      blank = false;
      i = end === -1 ? n : end + tag.length;
    } else if (c === '\\' && sql[i + 1] !== undefined && /[a-zA-Z!?]/.test(sql[i + 1]!)) {
      // psql / mysql meta-command: runs to the end of the line.
      const end = sql.indexOf('\n', i);
      meta.push(sql.slice(i, end === -1 ? n : end).trim());
      i = end === -1 ? n : end;
    } else if (c === '.' && opts.dotCommands && blank && atLineStart(sql, i)) {
      const end = sql.indexOf('\n', i);
      meta.push(sql.slice(i, end === -1 ? n : end).trim());
      i = end === -1 ? n : end;
      start = i;
    } else if (c === ';') {
      flush(i);
      i++;
    } else {
      clean += c;
      if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') blank = false;
      i++;
    }
  }
  flush(n);
  return { statements, meta };
}

/** Only blanks between the previous newline (or the start) and `i`. */
function atLineStart(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const ch = text[j];
    if (ch === '\n') return true;
    if (ch !== ' ' && ch !== '\t' && ch !== '\r') return false;
  }
  return true;
}

/** Keywords at parenthesis depth 0, upper-cased. */
function topWords(clean: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const m of clean.matchAll(/[A-Za-z_][A-Za-z0-9_$]*|[()]/g)) {
    const t = m[0];
    if (t === '(') depth++;
    else if (t === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out.push(t.toUpperCase());
  }
  return out;
}

const MAIN_VERBS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE']);
/** `ALTER TABLE … ALTER COLUMN c DROP DEFAULT` and the like lose no data. */
const HARMLESS_DROP = new Set(['DEFAULT', 'NOT', 'IDENTITY', 'EXPRESSION']);

function isDestructive(clean: string): boolean {
  let w = topWords(clean);
  // A PL/pgSQL block (`BEGIN DROP TABLE x; END`) opens with BEGIN; a transaction's BEGIN stands alone.
  if (w[0] === 'BEGIN' && w.length > 1 && !['TRANSACTION', 'WORK', 'ISOLATION', 'READ', 'DEFERRED', 'IMMEDIATE', 'EXCLUSIVE'].includes(w[1]!)) w = w.slice(1);
  if (w[0] === 'WITH') {
    const k = w.findIndex((x, i) => i > 0 && MAIN_VERBS.has(x));
    if (k === -1) return false;
    w = w.slice(k);
  }
  const first = w[0];
  if (first === 'DROP' || first === 'TRUNCATE') return true;
  if (first === 'DELETE' || first === 'UPDATE') return !w.includes('WHERE');
  if (first === 'ALTER' && w[1] === 'TABLE') {
    return w.some((x, i) => x === 'DROP' && !HARMLESS_DROP.has(w[i + 1] ?? ''));
  }
  return false;
}

/** Destructive statements in an SQL text (DROP, TRUNCATE, DELETE/UPDATE without WHERE, ALTER TABLE … DROP). */
export function destructiveSql(sql: string, opts: { hashComments?: boolean; dotCommands?: boolean } = {}): string[] {
  const found: string[] = [];
  for (const st of splitSql(sql, opts).statements) {
    if (isDestructive(st.clean)) found.push(shown(st.text));
    // DO $$ … $$ runs its body now.
    else if (topWords(st.clean)[0] === 'DO') for (const body of st.bodies) found.push(...destructiveSql(body, opts));
  }
  return found;
}

interface SqlFindings {
  mutate: string[];
  reads: string[];
  shell: string[];
}

/** SQL longer than this is not read (linear, but ~60 ms at 255 KB): it counts as a possible mutation. */
const MAX_SQL = 64 * 1024;

function scanSql(sql: string, opts: { hashComments?: boolean; dotCommands?: boolean }): SqlFindings {
  if (sql.length > MAX_SQL) return { mutate: [`(${sql.length} characters of SQL, over ${MAX_SQL}: not read)`], reads: [], shell: [] };
  const split = splitSql(sql, opts);
  const f: SqlFindings = { mutate: destructiveSql(sql, opts), reads: [], shell: [] };
  for (const m of split.meta) {
    const word = m.split(/\s+/);
    const head = word[0] ?? '';
    if (head === '\\!' || head.startsWith('\\!') || head === '.shell' || head === '.system') f.shell.push(m);
    else if (['\\i', '\\ir', '\\include', '\\include_relative', '.read', '\\.', 'source'].includes(head) && word[1]) f.reads.push(word[1].replace(/^['"]|['"]$/g, ''));
  }
  return f;
}

function findingsToActions(cmd: SimpleCommand, b: Base, client: string, f: SqlFindings, env: ReadEnv): Action[] {
  const out: Action[] = [];
  for (const statement of f.mutate) out.push({ ...b, type: 'db.mutate', client, statement });
  if (f.reads.length) out.push({ ...b, type: 'file.read', paths: f.reads.map((p) => resolvePath(p, cmd, env)) });
  for (const s of f.shell) out.push({ ...b, type: 'code.dynamic', how: `${client} ${s.split(/\s+/)[0]}` });
  return out;
}

function merge(a: SqlFindings, c: SqlFindings): SqlFindings {
  return { mutate: [...a.mutate, ...c.mutate], reads: [...a.reads, ...c.reads], shell: [...a.shell, ...c.shell] };
}

const EMPTY: SqlFindings = { mutate: [], reads: [], shell: [] };

// ---------------------------------------------------------------------------------------------
// psql

const PSQL_VALUE = new Set([...'cdfhpUvoLPFRT'.split(''), 'command', 'dbname', 'file', 'host', 'port', 'username', 'set', 'variable', 'output', 'log-file', 'pset', 'field-separator', 'record-separator', 'table-attr']);

const psql: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scanArgs(cmd.argv, PSQL_VALUE);
  let f = EMPTY;
  const reads: PathRef[] = [];
  const writes: PathRef[] = [];
  let stdinUsed = true;
  for (const o of s.opts) {
    if (o.name === 'c' || o.name === 'command') {
      f = merge(f, scanSql(o.value, {}));
      stdinUsed = false;
    } else if (o.name === 'f' || o.name === 'file') {
      // The script's content is not visible here: reported as a read only.
      if (o.value !== '-') {
        reads.push(pathAt(cmd, o.value, o.at, env));
        stdinUsed = false;
      }
    } else if (o.name === 'o' || o.name === 'output' || o.name === 'L' || o.name === 'log-file') {
      writes.push(pathAt(cmd, o.value, o.at, env));
    }
  }
  const input = stdinUsed ? stdinText(cmd) : null;
  if (input !== null) f = merge(f, scanSql(input, {}));
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  out.push(...findingsToActions(cmd, b, 'psql', f, env));
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes });
  return out;
};

// ---------------------------------------------------------------------------------------------
// mysql / mariadb

const MYSQL_VALUE = new Set([
  ...'euhPDSO'.split(''),
  'execute', 'user', 'host', 'port', 'database', 'socket', 'default-character-set', 'defaults-file',
  'defaults-extra-file', 'login-path', 'tee', 'pager', 'prompt', 'init-command', 'ssl-ca', 'ssl-cert',
  'ssl-key', 'ssl-mode', 'protocol', 'delimiter', 'plugin-dir', 'default-auth', 'connect-timeout',
  'max-allowed-packet', 'net-buffer-length', 'bind-address', 'character-sets-dir',
]);

const mysql: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const client = programName(cmd.argv[0] ?? '');
  const s = scanArgs(cmd.argv, MYSQL_VALUE, { attachedOnly: new Set(['p']) });
  const sqlOpts = { hashComments: true };
  let f = EMPTY;
  let executes = false;
  const reads: PathRef[] = [];
  const writes: PathRef[] = [];
  for (const o of s.opts) {
    if (o.name === 'e' || o.name === 'execute') {
      f = merge(f, scanSql(o.value, sqlOpts));
      executes = true;
    } else if (o.name === 'init-command') f = merge(f, scanSql(o.value, sqlOpts));
    else if (o.name === 'tee') writes.push(pathAt(cmd, o.value, o.at, env));
    else if (o.name === 'defaults-file' || o.name === 'defaults-extra-file') reads.push(pathAt(cmd, o.value, o.at, env));
  }
  const input = executes ? null : stdinText(cmd);
  if (input !== null) f = merge(f, scanSql(input, sqlOpts));
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  out.push(...findingsToActions(cmd, b, client, f, env));
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes, append: true });
  return out;
};

// ---------------------------------------------------------------------------------------------
// sqlite3: `sqlite3 [options] DB [SQL…]`; options are single-dash words.

const SQLITE_VALUE = new Set(['cmd', 'init', 'separator', 'nullvalue', 'newline', 'mmap', 'pagecache', 'lookaside', 'heap', 'vfs', 'maxsize', 'escape', 'nonce', 'screenwidth']);

const sqlite3: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const sqlOpts = { dotCommands: true };
  const operands: number[] = [];
  let f = EMPTY;
  const reads: PathRef[] = [];
  for (let i = 1; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    if (operands.length === 0 && a.startsWith('-') && a.length > 1) {
      const name = a.replace(/^--?/, '');
      if (name === 'A' || name === 'archive') return [];
      if (SQLITE_VALUE.has(name)) {
        const v = cmd.argv[++i] ?? '';
        if (name === 'cmd') f = merge(f, scanSql(v, sqlOpts));
        if (name === 'init') reads.push(pathAt(cmd, v, i, env));
      }
      continue;
    }
    operands.push(i);
  }
  const sqlWords = operands.slice(1);
  for (const at of sqlWords) f = merge(f, scanSql(cmd.argv[at] ?? '', sqlOpts));
  if (sqlWords.length === 0) {
    const input = stdinText(cmd);
    if (input !== null) f = merge(f, scanSql(input, sqlOpts));
  }
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  out.push(...findingsToActions(cmd, b, 'sqlite3', f, env));
  return out;
};

// ---------------------------------------------------------------------------------------------
// redis-cli: FLUSHALL / FLUSHDB as arguments or as lines of stdin.

const REDIS_VALUE = new Set([
  ...'hpsaurindD'.split(''),
  'user', 'pass', 'askpass', 'cacert', 'cacertdir', 'cert', 'key', 'sni', 'tls-ciphers',
  'tls-ciphersuites', 'rdb', 'functions-rdb', 'eval', 'pattern', 'quoted-pattern', 'count',
  'memkeys-samples', 'cluster', 'lru-test', 'intrinsic-latency', 'pipe-timeout', 'show-pushes',
]);

const REDIS_FLUSH = new Set(['FLUSHALL', 'FLUSHDB']);

function redisFlushes(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const words = line.trim().replace(/^["']|["']$/g, '').split(/\s+/);
    const head = (words[0] ?? '').replace(/["']/g, '').toUpperCase();
    if (REDIS_FLUSH.has(head)) out.push([head, ...words.slice(1)].join(' '));
  }
  return out;
}

const redisCli: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scanArgs(cmd.argv, REDIS_VALUE);
  const out: Action[] = [];
  const evalFile = s.opts.find((o) => o.name === 'eval');
  if (evalFile) out.push({ ...b, type: 'file.read', paths: [pathAt(cmd, evalFile.value, evalFile.at, env)] });
  let words = s.operands.map((at) => cmd.argv[at] ?? '');
  // `--cluster call host:port CMD…` runs CMD on every node.
  const cluster = s.opts.find((o) => o.name === 'cluster');
  if (cluster) words = cluster.value.toLowerCase() === 'call' ? words.slice(1) : [];
  let found: string[] = [];
  if (words.length) found = redisFlushes([words.join(' ')]);
  else if (!s.opts.some((o) => o.name === 'x')) {
    const input = stdinText(cmd);
    if (input !== null) found = redisFlushes(input.split(/\r?\n/));
  }
  for (const statement of found) out.push({ ...b, type: 'db.mutate', client: 'redis-cli', statement });
  return out;
};

// ---------------------------------------------------------------------------------------------
// mongo / mongosh: JavaScript from --eval, stdin; .js files are reads.

const MONGO_VALUE = new Set([
  'eval', 'f', 'file', 'host', 'port', 'u', 'username', 'p', 'password', 'authenticationDatabase',
  'authenticationMechanism', 'tlsCAFile', 'tlsCertificateKeyFile', 'tlsCertificateKeyFilePassword',
  'tlsCRLFile', 'apiVersion', 'gssapiServiceName', 'sslCAFile', 'sslPEMKeyFile', 'sslPEMKeyPassword',
  'awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken', 'keyVaultNamespace', 'kmsURL',
]);

const MONGO_DESTRUCTIVE = [
  /\bdropDatabase\s*[(:]/,
  /\.drop\s*\(/,
  /\.deleteMany\s*\((?:\s*\{\s*\})?\s*[,)]/,
  /\.remove\s*\((?:\s*\{\s*\})?\s*[,)]/,
  /\.updateMany\s*\(\s*\{\s*\}\s*,/,
];

/** Destructive calls in mongo shell JavaScript: dropDatabase(), .drop(), deleteMany({}), remove({}), updateMany({}, …). */
export function destructiveMongo(js: string): string[] {
  const out: string[] = [];
  for (const stmt of js.split(/[;\n]/)) {
    if (MONGO_DESTRUCTIVE.some((re) => re.test(stmt))) out.push(shown(stmt));
  }
  return out;
}

const mongo: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const client = programName(cmd.argv[0] ?? '');
  const s = scanArgs(cmd.argv, MONGO_VALUE);
  const found: string[] = [];
  const reads: PathRef[] = [];
  let evaluates = false;
  for (const o of s.opts) {
    if (o.name === 'eval') {
      found.push(...destructiveMongo(o.value));
      evaluates = true;
    } else if (o.name === 'f' || o.name === 'file') reads.push(pathAt(cmd, o.value, o.at, env));
  }
  for (const at of s.operands) {
    if (/\.js$/i.test(cmd.argv[at] ?? '')) {
      reads.push(pathAt(cmd, cmd.argv[at] ?? '', at, env));
      evaluates = true;
    }
  }
  if (!evaluates && reads.length === 0) {
    const input = stdinText(cmd);
    if (input !== null) found.push(...destructiveMongo(input));
  }
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  for (const statement of found) out.push({ ...b, type: 'db.mutate', client, statement });
  return out;
};

export const readers: Record<string, Reader> = {
  psql,
  mysql,
  mariadb: mysql,
  sqlite3,
  'redis-cli': redisCli,
  mongo,
  mongosh: mongo,
};
