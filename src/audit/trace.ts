// The decision trace: one JSON line per decision, appended to a file the agent may not touch
// (POLICY.md lists fwguard's state dir as a protected path).
// INVARIANT: one decision = one write(2) on an O_APPEND descriptor, so concurrent hook processes
// never interleave lines; secrets are redacted before anything reaches the disk.
import { closeSync, fstatSync, fchmodSync, mkdirSync, openSync, readFileSync, writeSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Action, Proposal, Reason, Verdict } from '../types.js';

export interface TraceRecord {
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
    re: /(\b[A-Za-z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?)[A-Za-z0-9_]*\s*=\s*)(?:"[^"\n]*"|'[^'\n]*'|[^\s"'`;&|)]+)/gi,
    keep: true,
  },
  // NAME=value where NAME ends in _KEY / APIKEY / ACCESSKEY (not every word ending in "key").
  {
    re: /(\b(?:[A-Za-z0-9_]*_KEY|[A-Za-z0-9_]*(?:API|ACCESS|PRIVATE|SECRET|AUTH)_?KEY)\s*=\s*)(?:"[^"\n]*"|'[^'\n]*'|[^\s"'`;&|)]+)/gi,
    keep: true,
  },
  // JSON-ish "password": "…", "token": "…", "secret": "…", "apiKey": "…"
  {
    re: /("(?:[A-Za-z_-]*(?:password|passwd|secret|token)[A-Za-z_-]*|api[_-]?key|access[_-]?key|private[_-]?key)"\s*:\s*)"[^"\n]*"/gi,
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

/** Mask obvious secrets in one string. */
export function redactString(s: string): string {
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
// Writing and reading

/**
 * Append one record (redacted) as one line. Creates the directory 0700 and the file 0600.
 * Throws on I/O errors: the caller decides whether a failed trace write matters.
 */
export function appendTrace(record: TraceRecord, path: string = defaultTracePath()): void {
  const line = JSON.stringify(redact(record)) + '\n';
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
  try {
    // Tighten a file someone created with a looser mode (never loosen).
    const st = fstatSync(fd);
    if ((st.mode & 0o077) !== 0 && process.platform !== 'win32') fchmodSync(fd, st.mode & 0o700);
    const buf = Buffer.from(line, 'utf8');
    // One write(2) on O_APPEND: atomic with respect to other appenders on local file systems.
    let off = writeSync(fd, buf, 0, buf.length);
    // A short write is practically impossible on a regular file; finish it rather than lose data.
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}

export interface ReadTraceOptions {
  /** Keep only the newest N records (the result stays oldest first). */
  limit?: number;
}

/**
 * Read trace records, oldest first. Missing file → []. A torn or corrupt line (a crash mid-write,
 * a hand edit) is skipped, never fatal.
 */
export function readTrace(path: string = defaultTracePath(), opts: ReadTraceOptions = {}): TraceRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records: TraceRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const rec: unknown = JSON.parse(line);
      if (rec !== null && typeof rec === 'object' && !Array.isArray(rec)) records.push(rec as TraceRecord);
    } catch {
      // torn/corrupt line: skip
    }
  }
  const limit = opts.limit;
  if (limit !== undefined && limit >= 0 && records.length > limit) return records.slice(records.length - limit);
  return records;
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
