// The decision trace: one JSON line per decision, appended to a file the agent may not touch
// (POLICY.md lists fwguard's state dir as a protected path).
// INVARIANT: one decision = one write(2) on an O_APPEND descriptor, under the trace's append lock,
// so concurrent hook processes never interleave lines and the hash chain stays linear; secrets
// are redacted before anything reaches the disk.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Action, Proposal, Reason, Verdict } from '../types.js';

export interface TraceRecord {
  /** SHA-256 hex of the previous line of the file as written (GENESIS for the first); set by appendTrace. */
  prev?: string;
  /** ISO-8601 time of the decision. */
  time: string;
  session?: string;
  agent?: string;
  cwd: string;
  projectRoot?: string;
  proposal: Proposal;
  actions: Action[];
  verdict: Verdict;
  opaque: boolean;
  /** Ids of the rules that produced the reasons. */
  rules: string[];
  reasons: Reason[];
  durationMs: number;
  /** Free-form extras (hook event, tool name, config error, …). */
  [extra: string]: unknown;
}

type Env = Record<string, string | undefined>;

/** $FWGUARD_STATE_DIR, else $XDG_STATE_HOME/fwguard, else ~/.local/state/fwguard. */
export function defaultStateDir(env: Env = process.env, home: string = env.HOME || homedir()): string {
  if (env.FWGUARD_STATE_DIR) return env.FWGUARD_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'fwguard');
  return join(home, '.local', 'state', 'fwguard');
}

/** Where the trace lives unless the config says otherwise (`audit.path`). */
export function defaultTracePath(env: Env = process.env, home?: string): string {
  return join(defaultStateDir(env, home), 'trace.jsonl');
}

// ---------------------------------------------------------------------------------------------
// Redaction

const MASK = '[REDACTED]';

/** Each pattern keeps group 1 (the label) and masks the rest of the match. */
const PATTERNS: { re: RegExp; keep: boolean }[] = [
  // Authorization / Proxy-Authorization header values (Bearer, Basic, token, anything).
  { re: /((?:proxy-)?authorization\s*[:=]\s*)(?:"[^"\n]*"|'[^'\n]*'|(?:bearer|basic|token|digest)\s+[^\s"'`]+|[^\s"'`,;]+)/gi, keep: true },
  // Bearer tokens anywhere.
  { re: /(\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, keep: true },
  // Other credential-carrying headers.
  { re: /((?:x-api-key|api-key|x-auth-token|private-token|cookie|x-amz-security-token)\s*:\s*)[^\n"'`]+/gi, keep: true },
  // NAME=value where NAME holds SECRET / TOKEN / PASSWORD / PASSWD / CREDENTIAL(S).
  {
    // The lookahead (implied by the rest) keeps it linear: without it, a long word of keywords and
    // no `=` was quadratic (8 KiB of TOKEN: ~50–100 ms).
    re: /(\b(?=[A-Za-z0-9_]*\s*=)[A-Za-z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?)[A-Za-z0-9_]*\s*=\s*)(?:"[^"\n]*"|'[^'\n]*'|[^\s"'`;&|)]+)/gi,
    keep: true,
  },
  // NAME=value where NAME ends in _KEY / APIKEY / ACCESSKEY (not every word ending in "key").
  {
    re: /(\b(?:[A-Za-z0-9_]*_KEY|[A-Za-z0-9_]*(?:API|ACCESS|PRIVATE|SECRET|AUTH)_?KEY)\s*=\s*)(?:"[^"\n]*"|'[^'\n]*'|[^\s"'`;&|)]+)/gi,
    keep: true,
  },
  // JSON-ish "password": "…", "token": "…", "secret": "…", "apiKey": "…"
  {
    // Same: the key is a closed run of [A-Za-z_-] (an unterminated "tokentoken… was quadratic).
    re: /("(?=[A-Za-z_-]*")(?:[A-Za-z_-]*(?:password|passwd|secret|token)[A-Za-z_-]*|api[_-]?key|access[_-]?key|private[_-]?key)"\s*:\s*)"[^"\n]*"/gi,
    keep: true,
  },
  // --password=x, --password x, --token x, --api-key x, --secret x
  { re: /(--(?:password|passwd|token|api-key|apikey|secret|auth-token|access-token)(?:=|\s+))[^\s"'`;&|]+/gi, keep: true },
  // mysql/mysqldump -pPASSWORD (attached form only; `-p` alone prompts).
  { re: /(\bmysql(?:dump|admin|import|sh)?\b[^\n;&|]*?\s-p)[^\s"'`;&|]+/g, keep: true },
  // URL userinfo passwords: scheme://user:pass@host
  { re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'`]*:)[^\s/@"'`]+(?=@)/gi, keep: true },
  // curl -u user:pass / --user user:pass
  { re: /((?:\s-u|--user)(?:=|\s+)[^\s:"'`]+:)[^\s"'`;&|]+/g, keep: true },
  // AWS access key ids.
  { re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, keep: false },
  // GitHub tokens.
  { re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, keep: false },
  // GitLab, Slack, npm, OpenAI/Anthropic-style, Stripe, Google API keys.
  { re: /\b(?:glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|npm_[A-Za-z0-9]{36}|sk-(?:ant-)?[A-Za-z0-9_-]{20,}|[rs]k_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35})\b/g, keep: false },
  // PEM private key blocks.
  { re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, keep: false },
];

/**
 * Every pattern above needs one of these substrings; a string without any is returned as it is.
 * (Most trace strings are short paths and commands: this keeps redaction off the hook's bill.)
 */
const TRIGGER = /author|bearer|key|secret|token|passw|credential|cookie|-p|-u|:\/\/|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat|glpat|xox|npm_|sk-|_live_|AIza|BEGIN/i;

const MAX_REDACT = 8 * 1024;

/** Mask obvious secrets in one string. */
export function redactString(s: string): string {
  // A very long string is cut before the patterns run on it (they are not all linear).
  if (s.length > MAX_REDACT) s = s.slice(0, MAX_REDACT) + `…[${s.length - MAX_REDACT} more characters not kept]`;
  if (!TRIGGER.test(s)) return s;
  let out = s;
  for (const { re, keep } of PATTERNS) {
    re.lastIndex = 0;
    out = keep ? out.replace(re, (_m, label: string) => label + MASK) : out.replace(re, MASK);
  }
  return out;
}

/** Object keys whose values are secrets whatever they look like. */
const SECRET_KEY = /^(?:authorization|proxy-authorization|password|passwd|secret|token|api[_-]?key|access[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key|cookie)$|(?:SECRET|TOKEN|PASSWORD)/i;

/** Deep copy of `value` with obvious secrets masked (strings, and values under secret-named keys). */
export function redact<T>(value: T): T {
  return redactAny(value, 0) as T;
}

function redactAny(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 64) return '[TOO DEEP]';
  if (Array.isArray(value)) return value.map((v) => redactAny(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && v !== '' && SECRET_KEY.test(k)) out[k] = MASK;
    else out[k] = redactAny(v, depth + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hash chain
//
// Every line is one record whose `prev` is the SHA-256 (hex) of the previous line's bytes exactly
// as written, without its newline; the first record of a file has prev = GENESIS. No record
// stores its own hash: the next record's prev proves it. So editing, deleting, inserting or
// reordering any line but the newest breaks the chain at a line `verifyTrace` names. (Whoever can
// rewrite the whole file can also recompute the whole chain: to detect that, or an edit of the
// newest line, keep the head hash `verifyTrace` reports somewhere else.)

/** `prev` of the first record of a file. */
export const GENESIS = '0'.repeat(64);

/** SHA-256 hex of one line's bytes (without its newline). */
export function lineHash(line: Buffer | string): string {
  return createHash('sha256').update(line).digest('hex');
}

/** How much of the file's end one append reads to find the last line (more only for longer lines). */
const TAIL_BYTES = 64 * 1024;

let tailBuf: Buffer | undefined;

/** Read exactly buf.length bytes at `pos` (short reads are retried). */
function preadFull(fd: number, buf: Buffer, pos: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, pos + off);
    if (n === 0) throw new Error('trace file shrank while being read');
    off += n;
  }
}

/**
 * The hash of the file's last line, read from its tail only. `torn`: the file does not end with a
 * newline (a cut-short write or a hand edit), so a new record must first end that line.
 */
function tailState(fd: number, size: number): { prev: string; torn: boolean } {
  if (size === 0) return { prev: GENESIS, torn: false };
  let window = Math.min(TAIL_BYTES, size);
  for (;;) {
    const start = size - window;
    // The usual 64 KB buffer is reused (created lazily: no module state in the hook snapshot).
    const buf = window <= TAIL_BYTES ? (tailBuf ??= Buffer.allocUnsafe(TAIL_BYTES)).subarray(0, window) : Buffer.allocUnsafe(window);
    preadFull(fd, buf, start);
    const torn = buf[window - 1] !== 0x0a;
    const end = torn ? window : window - 1;
    // (lastIndexOf with a negative offset would search from the end: guard end === 0.)
    const nl = end > 0 ? buf.lastIndexOf(0x0a, end - 1) : -1;
    if (nl >= 0 || start === 0) return { prev: lineHash(buf.subarray(nl + 1, end)), torn };
    window = Math.min(size, window * 4);
  }
}

// ---------------------------------------------------------------------------------------------
// The append lock
//
// prev depends on the current last line, so "read the last line, write ours" must not interleave
// with another appender. The lock is a file created with O_CREAT|O_EXCL (`<trace>.lock`) holding
// "<pid> <host> <ms> <nonce>"; a waiter spins with a growing, jittered sleep. A lock whose holder
// is dead (same host, pid gone) or that is older than LOCK_STALE_MS is broken: renamed aside to a
// unique name (only one breaker can win that rename), checked to be the very lock judged stale,
// then removed. Release removes the lock only if it is still ours.

const LOCK_STALE_MS = 5_000;
const LOCK_TIMEOUT_MS = 15_000;

let sleepCell: Int32Array | undefined;
/** Synchronous sleep (the hook is synchronous). Created lazily: no module state in the hook snapshot. */
function sleepMs(ms: number): void {
  sleepCell ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleepCell, 0, 0, ms);
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === 'EPERM'; // exists, owned by someone else
  }
}

/** Stale: the holder (on this host) is dead, or the lock's mtime is more than LOCK_STALE_MS away. */
function lockIsStale(content: string, mtimeMs: number, now: number): boolean {
  if (Math.abs(now - mtimeMs) > LOCK_STALE_MS) return true;
  const [pidText, host] = content.split(' ');
  const pid = Number(pidText);
  return host === hostname() && Number.isInteger(pid) && pid > 0 && !pidAlive(pid);
}

function readLock(lockPath: string): { content: string; ino: number; mtimeMs: number } | null {
  try {
    const st = statSync(lockPath);
    return { content: readFileSync(lockPath, 'utf8'), ino: st.ino, mtimeMs: st.mtimeMs };
  } catch {
    return null; // gone (released) in between: just retry
  }
}

/** Break the lock if it is stale. Returns true when it did (or the lock vanished meanwhile). */
function breakIfStale(lockPath: string): boolean {
  const seen = readLock(lockPath);
  if (seen === null) return true;
  if (!lockIsStale(seen.content, seen.mtimeMs, Date.now())) return false;
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return true; // another waiter broke it first
  }
  const moved = readLock(aside);
  if (moved !== null && (moved.ino !== seen.ino || moved.content !== seen.content)) {
    // Between our look and the rename the stale lock was replaced by a live one: put it back
    // (link fails if the path was taken again meanwhile; then the live holder keeps going).
    try {
      linkSync(aside, lockPath);
    } catch {
      // nothing better to do
    }
  }
  rmSync(aside, { force: true });
  return true;
}

/** Take `<path>.lock`; returns the release function. Throws after LOCK_TIMEOUT_MS. */
function lockTrace(path: string): () => void {
  const lockPath = path + '.lock';
  const token = `${process.pid} ${hostname()} ${Date.now()} ${Math.random().toString(36).slice(2, 10)}`;
  const t0 = Date.now();
  let delay = 0.05;
  let waits = 0;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err;
    }
    if (fd !== undefined) {
      let ino: number;
      try {
        writeSync(fd, token);
        ino = fstatSync(fd).ino;
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          if (statSync(lockPath).ino === ino) unlinkSync(lockPath);
        } catch {
          // already broken as stale by someone else: nothing of ours to remove
        }
      };
    }
    waits++;
    // A holder needs microseconds; look for a dead or hung one once waiting is no longer cheap.
    if (waits % 16 === 0 && breakIfStale(lockPath)) continue;
    if (Date.now() - t0 > LOCK_TIMEOUT_MS) {
      throw new Error(`could not lock the trace within ${LOCK_TIMEOUT_MS / 1000} s: ${lockPath} is held (remove it if no fwguard process is running)`);
    }
    sleepMs(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 1.5, 4);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Append one record (redacted, chained to the file's last line) as one line. Creates the
 * directory 0700 and the file 0600. Throws on I/O errors: the caller decides whether a failed
 * trace write matters.
 */
export function appendTrace(record: TraceRecord, path: string = defaultTracePath()): void {
  // `prev` is ours to set: a caller's is dropped. It goes first so a reader sees the chain.
  const { prev: _ignored, ...body } = redact(record);
  const json = JSON.stringify(body);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const release = lockTrace(path);
  try {
    const fd = openSync(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o600);
    try {
      // Tighten a file someone created with a looser mode (never loosen).
      const st = fstatSync(fd);
      if ((st.mode & 0o077) !== 0 && process.platform !== 'win32') fchmodSync(fd, st.mode & 0o700);
      const { prev, torn } = tailState(fd, st.size);
      // A torn last line is ended first (and stays in the chain: verifyTrace reports it).
      const buf = Buffer.from(`${torn ? '\n' : ''}{"prev":"${prev}"${json === '{}' ? '' : ',' + json.slice(1)}\n`, 'utf8');
      // One write(2) on O_APPEND, under the lock.
      let off = writeSync(fd, buf, 0, buf.length);
      // A short write is practically impossible on a regular file; finish it rather than lose data.
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    } finally {
      closeSync(fd);
    }
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Call `fn` for every line of the file (1-based numbers; `terminated` is false only for a last
 * line without a newline), reading it in chunks. Returns false when the file does not exist.
 * `fn` returning false stops the walk.
 */
export function forEachTraceLine(path: string, fn: (line: Buffer, no: number, terminated: boolean) => boolean | void): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw err;
  }
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let no = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      let data = n === chunk.length ? chunk : chunk.subarray(0, n);
      if (carry.length > 0) data = Buffer.concat([carry, data]);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
        if (fn(data.subarray(start, nl), ++no, true) === false) return true;
        start = nl + 1;
      }
      // Copy: `chunk` is reused by the next read.
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) fn(carry, ++no, false);
    return true;
  } finally {
    closeSync(fd);
  }
}

function parseRecord(line: Buffer | string): TraceRecord | null {
  try {
    const rec: unknown = JSON.parse(typeof line === 'string' ? line : line.toString('utf8'));
    return rec !== null && typeof rec === 'object' && !Array.isArray(rec) ? (rec as TraceRecord) : null;
  } catch {
    return null;
  }
}

export interface ReadTraceOptions {
  /** Keep only the newest N records (the result stays oldest first). */
  limit?: number;
}

/** A record and its line number in the trace file: the id `fwguard log show` takes. */
export interface TraceEntry {
  line: number;
  record: TraceRecord;
}

/**
 * Read trace records with their line numbers, oldest first. Missing file → []. A torn or corrupt
 * line (a crash mid-write, a hand edit) is skipped, never fatal (`verifyTrace` reports it).
 * `filter` runs before `limit`.
 */
export function readTraceEntries(
  path: string = defaultTracePath(),
  opts: ReadTraceOptions & { filter?: (r: TraceRecord) => boolean } = {},
): TraceEntry[] {
  const out: TraceEntry[] = [];
  forEachTraceLine(path, (buf, line) => {
    if (buf.length === 0) return;
    const record = parseRecord(buf);
    if (record !== null && (opts.filter === undefined || opts.filter(record))) out.push({ line, record });
  });
  const limit = opts.limit;
  if (limit !== undefined && limit >= 0 && out.length > limit) return out.slice(out.length - limit);
  return out;
}

/**
 * Read trace records, oldest first. Missing file → []. A torn or corrupt line (a crash mid-write,
 * a hand edit) is skipped, never fatal.
 */
export function readTrace(path: string = defaultTracePath(), opts: ReadTraceOptions = {}): TraceRecord[] {
  return readTraceEntries(path, opts).map((e) => e.record);
}

/** The record on line `line` (1-based), or null when that line is missing or not a record. */
export function readTraceLine(path: string, line: number): TraceRecord | null {
  let found: TraceRecord | null = null;
  forEachTraceLine(path, (buf, no) => {
    if (no < line) return;
    found = parseRecord(buf);
    return false;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Verifying

export interface VerifyResult {
  ok: boolean;
  /** Lines in the file (each should be one record). */
  records: number;
  /** SHA-256 of the last line: the chain's head. Kept elsewhere, it also protects the newest record. */
  head: string;
  /** Whether the file exists. */
  exists: boolean;
  /** The first line that does not verify, and why. */
  firstBad?: { line: number; reason: string };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Check the hash chain of a trace file: every line a JSON record whose prev is the hash of the
 * line before (GENESIS for line 1), and a newline at the end. Streams the file.
 */
export function verifyTrace(path: string = defaultTracePath()): VerifyResult {
  let expected = GENESIS;
  let records = 0;
  let bad: { line: number; reason: string; prev?: string } | undefined;
  const exists = forEachTraceLine(path, (buf, no, terminated) => {
    records = no;
    const hash = lineHash(buf);
    if (bad === undefined) {
      if (!terminated) {
        bad = { line: no, reason: 'torn last line: the file does not end with a newline (a write was cut short by a crash or a full disk, or the file was edited)' };
      } else {
        const rec = parseRecord(buf);
        const prev = rec?.prev;
        if (rec === null) bad = { line: no, reason: buf.length === 0 ? 'empty line (inserted, or the file was edited)' : 'not a JSON record (a torn write, or the file was edited)' };
        else if (typeof prev !== 'string' || !HEX64.test(prev)) bad = { line: no, reason: 'no prev hash (written before the trace was chained, or edited)' };
        else if (prev !== expected) bad = { line: no, reason: '', prev };
      }
    }
    expected = hash;
  });
  const head = records === 0 ? GENESIS : expected;
  if (bad === undefined) return { ok: true, records, head, exists };
  if (bad.prev !== undefined) bad.reason = explainBreak(path, bad.line, bad.prev);
  return { ok: false, records, head, exists, firstBad: { line: bad.line, reason: bad.reason } };
}

/** Why line `no` (whose prev is `prev`) does not follow line no-1: look for the line it does follow. */
function explainBreak(path: string, no: number, prev: string): string {
  let follows = 0;
  forEachTraceLine(path, (buf, j) => {
    if (lineHash(buf) !== prev) return;
    follows = j;
    return false;
  });
  if (follows > no - 1) return `line ${no} belongs after line ${follows}: records were reordered or moved`;
  if (follows > 0) {
    const span = follows + 1 === no - 1 ? `line ${no - 1} was` : `lines ${follows + 1}–${no - 1} were`;
    return `line ${no} follows line ${follows}, so ${span} inserted (or moved here)`;
  }
  if (no === 1) return 'the first line does not start the chain (its prev is not 000…0): records before it were deleted';
  return `line ${no} does not follow line ${no - 1}: line ${no - 1} was edited, or records between them were deleted`;
}

/** Build a record from the pieces the hook / CLI have at hand. */
export function makeTraceRecord(input: {
  proposal: Proposal;
  verdict: Verdict;
  opaque: boolean;
  actions: Action[];
  reasons: Reason[];
  durationMs: number;
  projectRoot?: string;
  time?: Date;
  extra?: Record<string, unknown>;
}): TraceRecord {
  return {
    time: (input.time ?? new Date()).toISOString(),
    session: input.proposal.session,
    agent: input.proposal.agent,
    cwd: input.proposal.cwd,
    projectRoot: input.projectRoot,
    proposal: input.proposal,
    actions: input.actions,
    verdict: input.verdict,
    opaque: input.opaque,
    rules: [...new Set(input.reasons.map((r) => r.rule))],
    reasons: input.reasons,
    durationMs: Math.round(input.durationMs * 1000) / 1000,
    ...input.extra,
  };
}
