// Network programs: HTTP clients, remote copy, raw sockets, remote shells, mail.
// They describe what crosses the wire (net.fetch / net.send, with the host) and which local files
// are read to be sent or written with what came back. Judging is left to the rules.
import type { Action, PathRef, SimpleCommand } from '../types.js';
import { actionBase, execKnown, expandLongPrefixes, programName, resolvePath, scanArgs, type ActionBase, type Opt, type ReadEnv, type Reader } from './reader.js';

type Base = ActionBase;
type Scanned = ReturnType<typeof scanArgs>;
const scan = (argv: string[], withValue: ReadonlySet<string>, start = 1, stopAtFirstOperand = false): Scanned => scanArgs(argv, withValue, { start, stopAtFirstOperand });
const base = actionBase;
const known = execKnown;
const send = (b: Base, how: string, host?: string): Action => (host === undefined ? { ...b, type: 'net.send', how } : { ...b, type: 'net.send', host, how });

function pathAt(cmd: SimpleCommand, raw: string, at: number, env: ReadEnv): PathRef {
  return resolvePath(raw, cmd, env, cmd.dyn[at] ?? false, cmd.glob[at] ?? false);
}

/**
 * The host of a URL or remote operand: scheme, userinfo, port and path are stripped.
 * `https://u:p@Example.com:8443/x` → `example.com`; `deploy@web1:/srv` → `web1`; `[::1]:22` → `::1`.
 */
export function hostOf(word: string): string | undefined {
  let s = word.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) s = s.slice(scheme[0].length);
  s = s.split(/[/?#]/)[0] ?? '';
  const at = s.lastIndexOf('@');
  if (at !== -1) s = s.slice(at + 1);
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    s = end === -1 ? s.slice(1) : s.slice(1, end);
  } else {
    const colon = s.indexOf(':');
    if (colon !== -1) s = s.slice(0, colon);
  }
  return s ? s.toLowerCase() : undefined;
}

/**
 * The host of an scp/rsync/sftp operand when it names another machine, else undefined:
 * `host:path`, `user@host:path`, `host::module`, `rsync://host/…`, `scp://…`, `sftp://…`.
 * A colon after a slash is a local file name (`./a:b`), as scp itself reads it.
 */
export function remoteHost(word: string): string | undefined {
  if (/^(rsync|scp|sftp|ssh):\/\//i.test(word)) return hostOf(word);
  const colon = word.indexOf(':');
  if (colon <= 0) return undefined;
  if (word.slice(0, colon).includes('/')) return undefined;
  return hostOf(word.slice(0, colon));
}

/** Last path segment of a URL, what `curl -O` / `wget` name the saved file. */
function urlBasename(url: string): string | undefined {
  const noScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const path = noScheme.split(/[?#]/)[0] ?? '';
  const slash = path.indexOf('/');
  if (slash === -1) return undefined;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last || undefined;
}

const SENDING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---------------------------------------------------------------------------------------------
// curl

const CURL_VALUE = new Set([
  ...'AbcCdDEeFHKmoPQrTtuUwxXYyz'.split(''),
  'data', 'data-ascii', 'data-binary', 'data-raw', 'data-urlencode', 'json', 'form', 'form-string',
  'upload-file', 'request', 'output', 'output-dir', 'header', 'user', 'user-agent', 'cookie',
  'cookie-jar', 'continue-at', 'dump-header', 'cert', 'key', 'cacert', 'capath', 'referer',
  'config', 'max-time', 'connect-timeout', 'proxy', 'proxy-user', 'write-out', 'range', 'url',
  'retry', 'retry-delay', 'retry-max-time', 'limit-rate', 'resolve', 'connect-to', 'interface',
  'trace', 'trace-ascii', 'stderr', 'netrc-file', 'oauth2-bearer', 'max-filesize', 'speed-limit',
  'speed-time', 'time-cond', 'ftp-port', 'quote', 'telnet-option', 'aws-sigv4', 'variable',
  'mail-from', 'mail-rcpt', 'mail-auth', 'unix-socket', 'abstract-unix-socket', 'pass',
  'cert-type', 'key-type', 'ciphers', 'dns-servers', 'doh-url', 'max-redirs', 'preproxy',
  'proxy-header', 'request-target', 'expect100-timeout', 'happy-eyeballs-timeout-ms', 'hostpubmd5',
  'hostpubsha256', 'local-port', 'login-options', 'sasl-authzid', 'socks4', 'socks4a', 'socks5',
  'socks5-hostname', 'tls-max', 'etag-save', 'etag-compare', 'keepalive-time', 'retry-connrefused',
]);

/** The file a curl data argument names: `@file` (`-d`, `--json`), `name@file` (`--data-urlencode`). */
function curlDataFile(name: string, value: string): string | undefined {
  if (name === 'data-raw' || name === 'form-string') return undefined;
  if (name === 'F' || name === 'form') {
    const eq = value.indexOf('=');
    const content = eq === -1 ? value : value.slice(eq + 1);
    if (content.startsWith('@') || content.startsWith('<')) return content.slice(1).split(';')[0];
    return undefined;
  }
  if (name === 'data-urlencode') {
    const m = /^[^=@]*@/.exec(value);
    return m ? value.slice(m[0].length) : undefined;
  }
  return value.startsWith('@') ? value.slice(1) : undefined;
}

const CURL_DATA = new Set(['d', 'data', 'data-ascii', 'data-binary', 'data-raw', 'data-urlencode', 'json', 'F', 'form', 'form-string']);

const curl: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, CURL_VALUE);
  const reads: PathRef[] = [];
  const writes: PathRef[] = [];
  const urls: number[] = [...s.operands];
  let sending = false;
  let config = false;
  let remoteName = false;
  let outDir: Opt | undefined;
  for (const o of s.opts) {
    const n = o.name;
    if (CURL_DATA.has(n)) {
      // Even with -G (data moved into the query string) the data still leaves the machine.
      sending = true;
      const f = curlDataFile(n, o.value);
      if (f && f !== '-') reads.push(pathAt(cmd, f, o.at, env));
    } else if (n === 'T' || n === 'upload-file') {
      sending = true;
      if (o.value !== '-' && o.value !== '.') reads.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'X' || n === 'request') {
      if (SENDING_METHODS.has(o.value.toUpperCase())) sending = true;
    } else if (n === 'mail-rcpt') {
      sending = true;
    } else if (n === 'url') {
      urls.push(o.at);
    } else if (n === 'o' || n === 'output' || n === 'D' || n === 'dump-header' || n === 'c' || n === 'cookie-jar') {
      if (o.value !== '-' && o.value !== '') writes.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'O' || n === 'remote-name' || n === 'remote-name-all') {
      remoteName = true;
    } else if (n === 'output-dir') {
      outDir = o;
    } else if (n === 'K' || n === 'config') {
      config = true;
      if (o.value !== '-') reads.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'b' || n === 'cookie') {
      if (o.value && !o.value.includes('=')) reads.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'netrc-file') {
      reads.push(pathAt(cmd, o.value, o.at, env));
    }
  }
  urls.sort((x, y) => x - y);
  const out: Action[] = [];
  const netUrls: number[] = [];
  for (const u of urls) {
    const word = cmd.argv[u] ?? '';
    // file:// reads a local file; nothing goes over the network.
    if (!cmd.dyn[u] && /^file:\/\//i.test(word)) reads.push(resolvePath(word.replace(/^file:\/\/[^/]*/i, '') || '/', cmd, env));
    else netUrls.push(u);
  }
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  for (const u of netUrls) {
    const word = cmd.argv[u] ?? '';
    const dyn = cmd.dyn[u] ?? false;
    const host = dyn ? undefined : hostOf(word);
    if (sending) out.push(send(b, 'curl', host));
    else out.push(dyn ? { ...b, type: 'net.fetch' } : { ...b, type: 'net.fetch', host, url: word });
    if (remoteName) {
      const name = dyn ? undefined : urlBasename(word);
      const dir = outDir ? pathAt(cmd, outDir.value, outDir.at, env) : resolvePath('.', cmd, env);
      if (name === undefined) writes.push(dir);
      else writes.push(outDir ? resolvePath(outDir.value.replace(/\/$/, '') + '/' + name, cmd, env, cmd.dyn[outDir.at] ?? false) : resolvePath(name, cmd, env));
    }
  }
  if (netUrls.length === 0 && (sending || config)) out.push(send(b, 'curl'));
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes, overwrite: true });
  return out.length ? out : [known(b)];
};

// ---------------------------------------------------------------------------------------------
// wget

const WGET_VALUE = new Set([
  ...'OoaPiUetTwlARDXIBQ'.split(''),
  'output-document', 'output-file', 'append-output', 'directory-prefix', 'input-file', 'user-agent',
  'header', 'post-data', 'post-file', 'body-data', 'body-file', 'method', 'execute', 'tries',
  'timeout', 'wait', 'level', 'accept', 'reject', 'domains', 'exclude-domains',
  'exclude-directories', 'include-directories', 'base', 'user', 'password', 'http-user',
  'http-password', 'ftp-user', 'ftp-password', 'proxy-user', 'proxy-password', 'config',
  'load-cookies', 'save-cookies', 'quota', 'limit-rate', 'referer', 'ca-certificate',
  'ca-directory', 'certificate', 'private-key', 'bind-address', 'dns-timeout', 'connect-timeout',
  'read-timeout', 'waitretry', 'restrict-file-names', 'default-page', 'cut-dirs', 'local-encoding',
  'remote-encoding', 'accept-regex', 'reject-regex', 'regex-type', 'progress', 'secure-protocol',
  'certificate-type', 'private-key-type', 'crl-file', 'pinnedpubkey', 'hsts-file', 'warc-file',
  'warc-header', 'warc-max-size', 'use-askpass', 'report-speed',
]);

/** wget's own long flags (no value) that the reader looks at, for prefix expansion. */
const WGET_FLAGS = ['spider', 'recursive', 'mirror', 'page-requisites', 'no-clobber', 'continue', 'timestamping', 'delete-after', 'convert-links', 'no-verbose', 'quiet', 'verbose', 'server-response', 'no-check-certificate', 'content-disposition'];

const wget: Reader = (rawCmd, index, env) => {
  const cmd = { ...rawCmd, argv: expandLongPrefixes(rawCmd.argv, [...[...WGET_VALUE].filter((n) => n.length > 1), ...WGET_FLAGS]) };
  const b = base(cmd, index);
  const s = scan(cmd.argv, WGET_VALUE);
  const reads: PathRef[] = [];
  const writes: PathRef[] = [];
  let sending = false;
  let output: Opt | undefined;
  let prefix: Opt | undefined;
  let recursive = false;
  let spider = false;
  let inputFile = false;
  for (const o of s.opts) {
    const n = o.name;
    if (n === 'post-data' || n === 'body-data') sending = true;
    else if (n === 'post-file' || n === 'body-file') {
      sending = true;
      reads.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'method') {
      if (SENDING_METHODS.has(o.value.toUpperCase())) sending = true;
    } else if (n === 'O' || n === 'output-document') output = o;
    else if (n === 'P' || n === 'directory-prefix') prefix = o;
    else if (n === 'o' || n === 'output-file' || n === 'a' || n === 'append-output' || n === 'save-cookies') {
      writes.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'i' || n === 'input-file') {
      inputFile = true;
      if (o.value !== '-') reads.push(pathAt(cmd, o.value, o.at, env));
    } else if (n === 'config' || n === 'load-cookies') reads.push(pathAt(cmd, o.value, o.at, env));
    else if (n === 'r' || n === 'recursive' || n === 'm' || n === 'mirror') recursive = true;
    else if (n === 'spider') spider = true;
  }
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  for (const u of s.operands) {
    const word = cmd.argv[u] ?? '';
    const dyn = cmd.dyn[u] ?? false;
    const host = dyn ? undefined : hostOf(word);
    if (sending) out.push(send(b, 'wget', host));
    else out.push(dyn ? { ...b, type: 'net.fetch' } : { ...b, type: 'net.fetch', host, url: word });
  }
  if (s.operands.length === 0 && inputFile) out.push(sending ? send(b, 'wget') : { ...b, type: 'net.fetch' });
  if (out.length === 0) return [known(b)];
  const dirWord = prefix ? prefix.value : '.';
  const dirDyn = prefix ? (cmd.dyn[prefix.at] ?? false) : false;
  if (output) {
    // `-O -` writes to stdout.
    if (output.value !== '-') out.push({ ...b, type: 'file.write', paths: [pathAt(cmd, output.value, output.at, env)], overwrite: true });
  } else if (!spider) {
    const saved: PathRef[] = [];
    const dir = resolvePath(dirWord, cmd, env, dirDyn);
    if (recursive || s.operands.length === 0) saved.push(dir);
    else {
      for (const u of s.operands) {
        const word = cmd.argv[u] ?? '';
        const name = cmd.dyn[u] ? undefined : (urlBasename(word) ?? 'index.html');
        saved.push(name === undefined ? dir : resolvePath(dirWord.replace(/\/$/, '') + '/' + name, cmd, env, dirDyn));
      }
    }
    // wget never clobbers without -O: a second download becomes `name.1`.
    writes.push(...saved);
  }
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes });
  return out;
};

// ---------------------------------------------------------------------------------------------
// scp, rsync, sftp, ftp

/** Remote copy: remote operands are sends; local sources are reads; a local destination is a write. */
function copyActions(cmd: SimpleCommand, b: Base, how: string, operands: number[], env: ReadEnv): Action[] {
  const out: Action[] = [];
  const hosts: (string | undefined)[] = [];
  const reads: PathRef[] = [];
  const writes: PathRef[] = [];
  operands.forEach((at, k) => {
    const word = cmd.argv[at] ?? '';
    const host = remoteHost(word);
    const isDest = k === operands.length - 1 && operands.length > 1;
    if (host !== undefined) {
      if (!hosts.includes(host)) hosts.push(host);
      return;
    }
    const p = pathAt(cmd, word, at, env);
    if (isDest) writes.push(p);
    else reads.push(p);
  });
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  for (const h of hosts) out.push(send(b, how, h));
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes, overwrite: true });
  return out;
}

const SCP_VALUE = new Set('cFiJloPSDX'.split(''));

const scp: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, SCP_VALUE);
  // -i names the identity used to log in, not data being sent: not reported as a read.
  const out = copyActions(cmd, b, 'scp', s.operands, env);
  return out.length ? out : [known(b)];
};

const RSYNC_VALUE = new Set([
  ...'efBTM'.split(''),
  'rsh', 'rsync-path', 'exclude', 'include', 'exclude-from', 'include-from', 'files-from', 'filter',
  'password-file', 'port', 'log-file', 'bwlimit', 'timeout', 'block-size', 'backup-dir', 'suffix',
  'temp-dir', 'compare-dest', 'copy-dest', 'link-dest', 'chmod', 'chown', 'usermap', 'groupmap',
  'remote-option', 'max-size', 'min-size', 'partial-dir', 'out-format', 'log-file-format', 'info',
  'debug', 'iconv', 'address', 'sockopts', 'protocol', 'checksum-choice', 'compress-choice',
  'compress-level', 'skip-compress', 'stop-after', 'stop-at', 'modify-window', 'max-delete',
  'write-batch', 'read-batch', 'only-write-batch', 'outbuf', 'contimeout', 'max-alloc',
]);

const rsync: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, RSYNC_VALUE);
  const out = copyActions(cmd, b, 'rsync', s.operands, env);
  const extraReads: PathRef[] = [];
  let del = false;
  let removeSources = false;
  let recursive = false;
  for (const o of s.opts) {
    if (['files-from', 'exclude-from', 'include-from', 'password-file'].includes(o.name) && o.value !== '-') {
      extraReads.push(pathAt(cmd, o.value, o.at, env));
    }
    if (o.name.startsWith('delete') || o.name === 'del') del = true;
    if (o.name === 'remove-source-files') removeSources = true;
    if (o.name === 'r' || o.name === 'a' || o.name === 'recursive' || o.name === 'archive') recursive = true;
  }
  if (extraReads.length) out.unshift({ ...b, type: 'file.read', paths: extraReads });
  // --delete removes files in a local destination that the source lacks.
  const last = s.operands[s.operands.length - 1];
  if (del && s.operands.length > 1 && last !== undefined && remoteHost(cmd.argv[last] ?? '') === undefined) {
    out.push({ ...b, type: 'file.delete', paths: [pathAt(cmd, cmd.argv[last] ?? '', last, env)], recursive: true });
  }
  if (removeSources) {
    const srcs = s.operands.slice(0, -1).filter((at) => remoteHost(cmd.argv[at] ?? '') === undefined);
    if (srcs.length) out.push({ ...b, type: 'file.delete', paths: srcs.map((at) => pathAt(cmd, cmd.argv[at] ?? '', at, env)), recursive });
  }
  return out.length ? out : [known(b)];
};

const SFTP_VALUE = new Set('BbcDFiJloPRSsX'.split(''));

const sftp: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, SFTP_VALUE);
  const out: Action[] = [];
  const batch = s.opts.find((o) => o.name === 'b');
  if (batch && batch.value !== '-') out.push({ ...b, type: 'file.read', paths: [pathAt(cmd, batch.value, batch.at, env)] });
  const dest = s.operands[0];
  if (dest === undefined) return out.length ? out : [known(b)];
  out.push(send(b, 'sftp', cmd.dyn[dest] ? undefined : hostOf(cmd.argv[dest] ?? '')));
  return out;
};

const FTP_VALUE = new Set(['P', 'o', 'u', 'T', 'r', 's', 'q']);

const ftp: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, FTP_VALUE);
  const upload = s.opts.find((o) => o.name === 'u');
  if (upload) {
    // tnftp `-u URL file…`: uploads the files.
    const files = s.operands.map((at) => pathAt(cmd, cmd.argv[at] ?? '', at, env));
    const out: Action[] = [];
    if (files.length) out.push({ ...b, type: 'file.read', paths: files });
    out.push(send(b, 'ftp', hostOf(upload.value)));
    return out;
  }
  const first = s.operands[0];
  if (first === undefined) return [send(b, 'ftp')];
  return [send(b, 'ftp', cmd.dyn[first] ? undefined : hostOf(cmd.argv[first] ?? ''))];
};

// ---------------------------------------------------------------------------------------------
// Raw sockets and remote shells: any mode is a send.

const NC_VALUE = new Set([
  ...'IiMmOPpqsTVWwXxecodgG'.split(''),
  'sh-exec', 'lua-exec', 'exec', 'proxy', 'proxy-type', 'proxy-auth', 'proxy-dns', 'allow',
  'allowfile', 'deny', 'denyfile', 'source-port', 'source', 'wait', 'idle-timeout', 'delay',
  'output', 'hex-dump', 'max-conns', 'ssl-cert', 'ssl-key', 'ssl-trustfile', 'ssl-ciphers',
  'ssl-servername', 'ssl-alpn',
]);

const netcat: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const prog = programName(cmd.argv[0] ?? '');
  const s = scan(cmd.argv, NC_VALUE);
  const runs = s.opts.some((o) => ['e', 'c', 'exec', 'sh-exec', 'lua-exec'].includes(o.name));
  const listen = s.opts.some((o) => o.name === 'l' || o.name === 'listen');
  const how = runs ? `${prog} -e` : listen ? `${prog} -l` : prog;
  const writes: PathRef[] = [];
  for (const o of s.opts) {
    // ncat: -o/--output and -x/--hex-dump log the session to a file.
    if (prog === 'ncat' && ['o', 'output', 'x', 'hex-dump'].includes(o.name)) writes.push(pathAt(cmd, o.value, o.at, env));
  }
  const hostAt = listen ? undefined : s.operands.find((at) => !/^\d+(-\d+)?$/.test(cmd.argv[at] ?? ''));
  const host = hostAt === undefined || cmd.dyn[hostAt] ? undefined : hostOf(cmd.argv[hostAt] ?? '');
  const out: Action[] = [send(b, how, host)];
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes });
  return out;
};

const SOCAT_VALUE = new Set(['-b', '-t', '-T', '-L', '-W', '-lf', '-lp', '-lh']);
const SOCAT_NET = /^(tcp[46]?|udp[46]?|sctp[46]?|dccp[46]?|openssl|ssl|dtls|tcp-connect|udp-connect|udp-sendto|udp-datagram|socks4a?|socks5):/i;
const SOCAT_PROXY = /^(proxy|socks4a?|socks5):/i;
const SOCAT_FILE = /^(file|open|gopen|create|pipe):/i;

const socat: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const addrs: number[] = [];
  for (let i = 1; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    if (SOCAT_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !a.startsWith('-,') && !a.includes(':')) continue;
    addrs.push(i);
  }
  const hosts: string[] = [];
  const reads: PathRef[] = [];
  const writes: PathRef[] = [];
  for (const at of addrs) {
    const a = (cmd.argv[at] ?? '').split(',')[0] ?? '';
    if (SOCAT_NET.test(a)) {
      const parts = a.split(':');
      // PROXY:proxyhost:host:port and SOCKS4:sockshost:host:port name the target third.
      const h = SOCAT_PROXY.test(a) ? parts[2] : parts[1];
      if (h && !/^\d+$/.test(h) && !hosts.includes(h.toLowerCase())) hosts.push(h.toLowerCase());
    } else if (SOCAT_FILE.test(a)) {
      const p = a.slice(a.indexOf(':') + 1);
      if (/^create:/i.test(a)) writes.push(resolvePath(p, cmd, env, cmd.dyn[at] ?? false));
      else reads.push(resolvePath(p, cmd, env, cmd.dyn[at] ?? false));
    } else if (a.startsWith('/') || a.startsWith('./') || a.startsWith('~')) {
      reads.push(resolvePath(a, cmd, env, cmd.dyn[at] ?? false));
    }
  }
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  if (hosts.length) for (const h of hosts) out.push(send(b, 'socat', h));
  else out.push(send(b, 'socat'));
  if (writes.length) out.push({ ...b, type: 'file.write', paths: writes });
  return out;
};

const TELNET_VALUE = new Set(['l', 'n', 'e', 'b', 'X', 'k']);

const telnet: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, TELNET_VALUE);
  const first = s.operands[0];
  return [send(b, 'telnet', first === undefined || cmd.dyn[first] ? undefined : hostOf(cmd.argv[first] ?? ''))];
};

const SSH_VALUE = new Set('bBcDEeFIiJLlmOoPpQRSWw'.split(''));

/** `ssh host [cmd]`: the session is a send; the remote command is parsed by the shell walker. */
const ssh: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, SSH_VALUE, 1, true);
  const dest = s.operands[0];
  if (dest === undefined) return [known(b)];
  return [send(b, 'ssh', cmd.dyn[dest] ? undefined : hostOf(cmd.argv[dest] ?? ''))];
};

// ---------------------------------------------------------------------------------------------
// Mail

const MAIL_VALUE = new Set(['s', 'c', 'b', 'r', 'a', 'A', 'S', 'q', 'subject', 'cc', 'bcc', 'attach', 'append', 'return-address', 'from', 'content-type', 'E', 'exec']);

const mail: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const prog = programName(cmd.argv[0] ?? '');
  const s = scan(cmd.argv, MAIL_VALUE);
  // `mail` without recipients, or `-f`, reads a mailbox.
  if (s.opts.some((o) => o.name === 'f' || o.name === 'file') || s.operands.length === 0) return [known(b)];
  const reads: PathRef[] = [];
  for (const o of s.opts) {
    if (o.name === 'A' || o.name === 'attach' || o.name === 'q') reads.push(pathAt(cmd, o.value, o.at, env));
    // mailx/s-nail `-a file` attaches; GNU mailutils `-a 'Name: value'` adds a header.
    else if (o.name === 'a' && !/^[\w-]+:/.test(o.value)) reads.push(pathAt(cmd, o.value, o.at, env));
  }
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  out.push(send(b, prog, recipientHost(cmd, s.operands)));
  return out;
};

function recipientHost(cmd: SimpleCommand, operands: number[]): string | undefined {
  for (const at of operands) {
    const w = cmd.argv[at] ?? '';
    const atSign = w.lastIndexOf('@');
    if (atSign !== -1 && !cmd.dyn[at]) return w.slice(atSign + 1).replace(/>.*$/, '').toLowerCase() || undefined;
  }
  return undefined;
}

const SENDMAIL_VALUE = new Set(['f', 'F', 'B', 'N', 'R', 'V', 'X', 'C', 'O', 'o', 'r', 'L', 'h', 'p', 'q']);

const sendmail: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const s = scan(cmd.argv, SENDMAIL_VALUE);
  const out: Action[] = [];
  const log = s.opts.find((o) => o.name === 'X');
  out.push(send(b, 'sendmail', recipientHost(cmd, s.operands)));
  if (log) out.push({ ...b, type: 'file.write', paths: [pathAt(cmd, log.value, log.at, env)], append: true });
  return out;
};

// ---------------------------------------------------------------------------------------------
// HTTPie and xh: `http [METHOD] URL [items]`; data items make the default method POST.

const HTTPIE_VALUE = new Set([
  'a', 'auth', 'A', 'auth-type', 'o', 'output', 'session', 'session-read-only', 'verify', 'cert',
  'cert-key', 'cert-key-pass', 'proxy', 'timeout', 'max-redirects', 'p', 'print', 'P',
  'history-print', 'pretty', 's', 'style', 'format-options', 'boundary', 'raw', 'response-charset',
  'response-mime', 'ssl', 'ciphers', 'default-scheme', 'bearer', 'resolve', 'interface', 'max-headers',
]);

const HTTP_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'CONNECT']);
const ITEM_SEPS = [':=@', '==', ':=', '=@', '@', '=', ':'];

/** The separator of an HTTPie request item (`a=b` data, `a:=1` json, `f@x` file, `q==v` query, `H:v` header). */
export function httpieItemKind(item: string): string | undefined {
  for (let i = 0; i < item.length; i++) {
    if (item[i] === '\\') {
      i++;
      continue;
    }
    for (const sep of ITEM_SEPS) if (item.startsWith(sep, i)) return sep;
  }
  return undefined;
}

const httpie: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const prog = programName(cmd.argv[0] ?? '');
  const s = scan(cmd.argv, HTTPIE_VALUE);
  if (s.opts.some((o) => o.name === 'offline')) return [known(b)];
  let k = 0;
  let method: string | undefined;
  const first = s.operands[0];
  if (first !== undefined && s.operands.length > 1 && HTTP_METHODS.has((cmd.argv[first] ?? '').toUpperCase())) {
    method = (cmd.argv[first] ?? '').toUpperCase();
    k = 1;
  }
  const urlAt = s.operands[k];
  if (urlAt === undefined) return [known(b)];
  const url = cmd.argv[urlAt] ?? '';
  let sending = (method !== undefined && SENDING_METHODS.has(method)) || s.opts.some((o) => o.name === 'raw');
  const reads: PathRef[] = [];
  for (const at of s.operands.slice(k + 1)) {
    const item = cmd.argv[at] ?? '';
    const sep = httpieItemKind(item);
    if (sep === undefined || sep === '==' || sep === ':') continue;
    sending = true;
    if (sep.endsWith('@')) {
      const file = item.slice(item.indexOf(sep) + sep.length);
      reads.push(pathAt(cmd, file, at, env));
    }
  }
  const host = cmd.dyn[urlAt] ? undefined : url.startsWith(':') ? 'localhost' : hostOf(url);
  const out: Action[] = [];
  if (reads.length) out.push({ ...b, type: 'file.read', paths: reads });
  if (sending) out.push(send(b, prog, host));
  else out.push(cmd.dyn[urlAt] ? { ...b, type: 'net.fetch' } : { ...b, type: 'net.fetch', host, url });
  const outFile = s.opts.find((o) => o.name === 'o' || o.name === 'output');
  if (outFile) out.push({ ...b, type: 'file.write', paths: [pathAt(cmd, outFile.value, outFile.at, env)], overwrite: true });
  else if (s.opts.some((o) => o.name === 'd' || o.name === 'download')) {
    const name = cmd.dyn[urlAt] ? undefined : urlBasename(url);
    out.push({ ...b, type: 'file.write', paths: [resolvePath(name ?? '.', cmd, env)] });
  }
  return out;
};

export const readers: Record<string, Reader> = {
  curl,
  wget,
  scp,
  rsync,
  sftp,
  ftp,
  nc: netcat,
  ncat: netcat,
  netcat,
  socat,
  telnet,
  ssh,
  mail,
  mailx: mail,
  sendmail,
  http: httpie,
  https: httpie,
  xh: httpie,
  xhs: httpie,
};
