// Filesystem programs: what they delete, write, read or chmod. Paths are resolved against the
// command's effective cwd; facts (tracked? protected? exists?) come later, in the policy stage.
import type { Action, PathRef, SimpleCommand } from '../types.js';
import { FIND_EACH } from '../shell/walk.js';
import { argPath, expandLongPrefixes, has, optValues, parseArgs, resolvePath, type ReadEnv, type Reader } from './reader.js';

const paths = (cmd: SimpleCommand, idx: number[], env: ReadEnv): PathRef[] => idx.map((i) => argPath(cmd, i, env));

/** find runs this command on every match below its roots (FIND_EACH): as good as recursive. */
const everyMatch = (cmd: SimpleCommand) => cmd.via.at(-1) === FIND_EACH;

const rm: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['interactive']));
  if (p.operands.length === 0) return [];
  return [{ type: 'file.delete', cmd: index, program: 'rm', paths: paths(cmd, p.operands, env), recursive: has(p, 'r', 'R', 'recursive') || everyMatch(cmd) }];
};

const rmdir: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv);
  return p.operands.length ? [{ type: 'file.delete', cmd: index, program: 'rmdir', paths: paths(cmd, p.operands, env), recursive: false }] : [];
};

const unlink: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv);
  return p.operands.length ? [{ type: 'file.delete', cmd: index, program: 'unlink', paths: paths(cmd, p.operands, env), recursive: false }] : [];
};

/** cp/mv/install/ln: sources and destination, honouring -t DIR and -T. */
function srcDst(cmd: SimpleCommand, env: ReadEnv, valueOpts: string[]): { src: PathRef[]; dst: PathRef[]; p: ReturnType<typeof parseArgs> } {
  const p = parseArgs(cmd.argv, new Set(['t', 'target-directory', 'S', 'suffix', 'm', 'mode', 'o', 'owner', 'g', 'group', 'backup', ...valueOpts]));
  const target = optValues(p, 't', 'target-directory')[0];
  if (target !== undefined) {
    return { src: paths(cmd, p.operands, env), dst: [resolvePath(target, cmd, env)], p };
  }
  const ops = p.operands;
  if (ops.length < 2) return { src: paths(cmd, ops, env), dst: [], p };
  return { src: paths(cmd, ops.slice(0, -1), env), dst: [argPath(cmd, ops[ops.length - 1]!, env)], p };
}

const cp: Reader = (cmd, index, env) => {
  const { src, dst } = srcDst(cmd, env, []);
  const out: Action[] = [];
  if (src.length) out.push({ type: 'file.read', cmd: index, program: 'cp', paths: src });
  if (dst.length) out.push({ type: 'file.write', cmd: index, program: 'cp', paths: dst, overwrite: true });
  return out;
};

const mv: Reader = (cmd, index, env) => {
  const { src, dst } = srcDst(cmd, env, []);
  const out: Action[] = [];
  // The source disappears from where it was: a delete that keeps the content (move: true).
  if (src.length) out.push({ type: 'file.delete', cmd: index, program: 'mv', paths: src, recursive: true, move: true });
  if (dst.length) out.push({ type: 'file.write', cmd: index, program: 'mv', paths: dst, overwrite: true });
  return out;
};

const install: Reader = (cmd, index, env) => {
  const p0 = parseArgs(cmd.argv, new Set(['t', 'target-directory', 'm', 'mode', 'o', 'owner', 'g', 'group', 'S', 'suffix']));
  if (has(p0, 'd', 'directory')) return [{ type: 'file.write', cmd: index, program: 'install', paths: paths(cmd, p0.operands, env) }];
  const { src, dst } = srcDst(cmd, env, []);
  const out: Action[] = [];
  if (src.length) out.push({ type: 'file.read', cmd: index, program: 'install', paths: src });
  if (dst.length) out.push({ type: 'file.write', cmd: index, program: 'install', paths: dst, overwrite: true });
  return out;
};

const ln: Reader = (cmd, index, env) => {
  const { dst, src } = srcDst(cmd, env, []);
  // `ln -s TARGET` (one operand) links into the cwd.
  const where = dst.length ? dst : src.length === 1 && cmd.cwd ? [resolvePath(src[0]!.raw.split('/').pop() ?? '', cmd, env)] : [];
  return where.length ? [{ type: 'file.write', cmd: index, program: 'ln', paths: where, overwrite: true }] : [];
};

function chmodLike(program: string): Reader {
  return (cmd, index, env) => {
    const p = parseArgs(cmd.argv, new Set(['reference', 'from']));
    // chmod accepts modes like -w / -x that look like options: treat a leading `-[rwxXst]+` as the mode.
    let ops = p.operands;
    let mode: string | undefined;
    const reference = optValues(p, 'reference')[0];
    if (reference === undefined) {
      const symbolic = cmd.argv.slice(1).find((a) => /^[-+=][rwxXstugo]+$/.test(a) && program === 'chmod');
      if (symbolic) mode = symbolic;
      else {
        mode = cmd.argv[ops[0] ?? -1];
        ops = ops.slice(1);
      }
    }
    if (!ops.length) return [];
    return [
      {
        type: 'file.chmod',
        cmd: index,
        program,
        paths: paths(cmd, ops, env),
        recursive: has(p, 'R', 'recursive') || everyMatch(cmd),
        ...(mode !== undefined ? { mode } : {}),
        owner: program !== 'chmod',
      },
    ];
  };
}

const touch: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['r', 'reference', 'd', 'date', 't']));
  return p.operands.length ? [{ type: 'file.write', cmd: index, program: 'touch', paths: paths(cmd, p.operands, env) }] : [];
};

const mkdir: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['m', 'mode', 'context']));
  return p.operands.length ? [{ type: 'file.write', cmd: index, program: 'mkdir', paths: paths(cmd, p.operands, env) }] : [];
};

const tee: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['output-error']));
  const append = has(p, 'a', 'append');
  const ops = p.operands.filter((i) => cmd.argv[i] !== '-');
  return ops.length ? [{ type: 'file.write', cmd: index, program: 'tee', paths: paths(cmd, ops, env), append, overwrite: !append }] : [];
};

const truncate: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['s', 'size', 'r', 'reference', 'o', 'io-blocks']));
  return p.operands.length ? [{ type: 'file.write', cmd: index, program: 'truncate', paths: paths(cmd, p.operands, env), overwrite: true }] : [];
};

const DEVICE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|md|dm-|mapper\/|loop|zd|nbd)/;

const dd: Reader = (cmd, index, env) => {
  const out: Action[] = [];
  for (let i = 1; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    const eq = a.indexOf('=');
    if (eq === -1) continue;
    const key = a.slice(0, eq);
    const val = a.slice(eq + 1);
    const ref = resolvePath(val, cmd, env, cmd.dyn[i] ?? false);
    if (key === 'if') out.push({ type: 'file.read', cmd: index, program: 'dd', paths: [ref] });
    if (key === 'of') {
      if (DEVICE.test(ref.abs ?? val)) out.push({ type: 'system.destroy', cmd: index, program: 'dd', how: `dd of=${val} overwrites a block device` });
      out.push({ type: 'file.write', cmd: index, program: 'dd', paths: [ref], overwrite: true });
    }
  }
  return out;
};

const shred: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['n', 'iterations', 's', 'size', 'random-source']));
  const ps = paths(cmd, p.operands, env);
  const out: Action[] = [];
  if (ps.some((x) => DEVICE.test(x.abs ?? x.raw))) out.push({ type: 'system.destroy', cmd: index, program: 'shred', how: 'shred of a block device' });
  if (ps.length) out.push({ type: 'file.delete', cmd: index, program: 'shred', paths: ps, recursive: false, irreversible: true });
  return out;
};

/** sed: -i edits files in place (a write); otherwise it reads them. */
const sed: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['e', 'expression', 'f', 'file', 'l', 'line-length']));
  const inPlace = cmd.argv.slice(1).some((a) => a === '-i' || a.startsWith('--in-place') || /^-[a-zA-Z]*i/.test(a) && !a.startsWith('--'));
  const scriptGiven = has(p, 'e', 'expression', 'f', 'file');
  const files = scriptGiven ? p.operands : p.operands.slice(1);
  // `-i.bak`: the suffix is glued to -i, parseArgs took it as flags; a separate word after -i is not
  // a suffix in GNU sed, so operands stay right.
  const fileArgs = files.filter((i) => cmd.argv[i] !== '-');
  if (!fileArgs.length) return [];
  if (inPlace) return [{ type: 'file.write', cmd: index, program: 'sed', paths: paths(cmd, fileArgs, env), overwrite: true }];
  return [{ type: 'file.read', cmd: index, program: 'sed', paths: paths(cmd, fileArgs, env) }];
};

/** find: reads its roots; -delete deletes below them; -fprint* write a file. -exec is unwrapped by the walker. */
const find: Reader = (cmd, index, env) => {
  const roots: number[] = [];
  let i = 1;
  while (i < cmd.argv.length && ['-H', '-L', '-P', '-O0', '-O1', '-O2', '-O3', '-D'].includes(cmd.argv[i]!)) i += cmd.argv[i] === '-D' ? 2 : 1;
  for (; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    if (a.startsWith('-') || a === '(' || a === '!' || a === ',') break;
    roots.push(i);
  }
  const rootRefs = roots.length ? paths(cmd, roots, env) : cmd.cwd ? [resolvePath('.', cmd, env)] : [{ raw: '.', abs: null, glob: false }];
  // find lists names (metadata); what it runs on each match (-exec) is judged as its own command.
  const out: Action[] = [];
  if (cmd.argv.includes('-delete')) {
    out.push({
      type: 'file.delete',
      cmd: index,
      program: 'find',
      paths: rootRefs.map((r) => ({ raw: r.raw.replace(/\/$/, '') + '/**', abs: r.abs === null ? null : r.abs === '/' ? '/**' : r.abs + '/**', glob: true })),
      recursive: true,
    });
  }
  for (let k = 1; k < cmd.argv.length - 1; k++) {
    if (/^-fprint(0|f)?$/.test(cmd.argv[k]!) || cmd.argv[k] === '-fls') {
      out.push({ type: 'file.write', cmd: index, program: 'find', paths: [argPath(cmd, k + 1, env)], overwrite: true });
    }
  }
  return out;
};

/** Programs that only read their file operands. `skipFirst`: the first operand is a pattern/program. */
function reads(program: string, valueOpts: string[] = [], skipFirst = false, scriptOpts: string[] = []): Reader {
  const vset = new Set([...valueOpts, ...scriptOpts]);
  return (cmd, index, env) => {
    const p = parseArgs(cmd.argv, vset);
    const given = scriptOpts.length > 0 && has(p, ...scriptOpts);
    let ops = skipFirst && !given ? p.operands.slice(1) : p.operands;
    ops = ops.filter((i) => cmd.argv[i] !== '-');
    const out: Action[] = [];
    if (ops.length) out.push({ type: 'file.read', cmd: index, program, paths: paths(cmd, ops, env) });
    // grep -f FILE / --exclude-from FILE, jq --from-file, date -f FILE read that file too.
    const files = optValues(p, 'f', 'file', 'from-file', 'rawfile', 'slurpfile', 'exclude-from', 'ignore-file').filter(Boolean);
    if (files.length && ['grep', 'egrep', 'fgrep', 'zgrep', 'jq', 'rg'].includes(program)) {
      out.push({ type: 'file.read', cmd: index, program, paths: files.map((f) => resolvePath(f, cmd, env)) });
    }
    return out;
  };
}

/** ls, stat, du, tree, file, realpath, readlink: names, sizes and types, not contents. */
const metadata: Reader = () => [];

/** mkfifo / mknod create the paths they name. */
function makes(program: string, value: string[]): Reader {
  return (cmd, index, env) => {
    const p = parseArgs(cmd.argv, new Set(value));
    const ops = program === 'mknod' ? p.operands.slice(0, 1) : p.operands;
    return ops.length ? [{ type: 'file.write', cmd: index, program, paths: paths(cmd, ops, env) }] : [];
  };
}

/** tar: -x writes into -C DIR (or the cwd), -c writes the -f archive; operands are read. */
const TAR_LONG = ['file', 'directory', 'exclude', 'files-from', 'exclude-from', 'use-compress-program', 'format', 'blocking-factor', 'listed-incremental', 'transform', 'xform', 'owner', 'group', 'mode', 'mtime', 'strip-components', 'extract', 'get', 'create', 'append', 'update', 'list', 'delete', 'diff', 'compare', 'concatenate', 'catenate', 'to-command', 'rsh-command', 'checkpoint-action', 'info-script', 'new-volume-script'];

const tar: Reader = (cmd, index, env) => {
  // The first word may be a bundle of letters without a dash (`tar xzf a.tgz`); long options may
  // be abbreviated (`--cr` is --create).
  const argv = expandLongPrefixes([...cmd.argv], TAR_LONG);
  if (argv[1] && /^[A-Za-z]+$/.test(argv[1]) && !argv[1].startsWith('-')) argv[1] = '-' + argv[1];
  const p = parseArgs(argv, new Set(['f', 'file', 'C', 'directory', 'exclude', 'T', 'files-from', 'X', 'exclude-from', 'use-compress-program', 'I', 'H', 'format', 'b', 'blocking-factor', 'g', 'listed-incremental', 'transform', 'xform', 'owner', 'group', 'mode', 'mtime', 'strip-components']));
  const archive = optValues(p, 'f', 'file')[0];
  const dir = optValues(p, 'C', 'directory').at(-1);
  const out: Action[] = [];
  // `-f host:path` is an archive on another machine (through rsh/ssh): a network send.
  const remote = archive !== undefined && /^[^/]*:/.test(archive) && !has(p, 'force-local');
  if (remote) out.push({ type: 'net.send', cmd: index, program: 'tar', how: 'tar to a remote archive', host: archive.slice(0, archive.indexOf(':')).replace(/^.*@/, '') });
  if (has(p, 'to-command', 'rsh-command', 'checkpoint-action', 'info-script', 'new-volume-script')) out.push({ type: 'code.dynamic', cmd: index, program: 'tar', how: 'tar runs a command of its choosing' });
  if (has(p, 'x', 'extract', 'get')) {
    if (archive && archive !== '-') out.push({ type: 'file.read', cmd: index, program: 'tar', paths: [resolvePath(archive, cmd, env)] });
    out.push({ type: 'file.write', cmd: index, program: 'tar', paths: [dir !== undefined ? resolvePath(dir, cmd, env) : resolvePath('.', cmd, env)], overwrite: true });
  } else if (has(p, 'c', 'create', 'r', 'append', 'u', 'update')) {
    if (p.operands.length) out.push({ type: 'file.read', cmd: index, program: 'tar', paths: paths(cmd, p.operands, env) });
    if (archive && archive !== '-' && !remote) out.push({ type: 'file.write', cmd: index, program: 'tar', paths: [resolvePath(archive, cmd, env)], overwrite: true });
  } else if (archive && archive !== '-') out.push({ type: 'file.read', cmd: index, program: 'tar', paths: [resolvePath(archive, cmd, env)] });
  if (has(p, 'I', 'use-compress-program')) out.push({ type: 'code.dynamic', cmd: index, program: 'tar', how: 'tar -I runs a program of its choosing' });
  return out;
};

/** unzip ARCHIVE [-d DIR]: reads the archive, writes into DIR (or the cwd). -l/-t only list. */
const unzip: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['d', 'x']));
  if (!p.operands.length) return [];
  const out: Action[] = [{ type: 'file.read', cmd: index, program: 'unzip', paths: paths(cmd, p.operands.slice(0, 1), env) }];
  if (!has(p, 'l', 'v', 't', 'Z')) out.push({ type: 'file.write', cmd: index, program: 'unzip', paths: [resolvePath(optValues(p, 'd')[0] ?? '.', cmd, env)], overwrite: true });
  return out;
};

/** patch [FILE] [PATCHFILE]: writes FILE (or -o OUT); without FILE, the files the patch names (unknown). */
const patch: Reader = (cmd, index, env) => {
  const p = parseArgs(cmd.argv, new Set(['i', 'input', 'o', 'output', 'p', 'strip', 'd', 'directory', 'B', 'prefix', 'r', 'reject-file', 'D', 'ifdef', 'F', 'fuzz', 'V', 'version-control', 'z', 'suffix']));
  const out: Action[] = [];
  const input = optValues(p, 'i', 'input')[0] ?? (p.operands[1] !== undefined ? cmd.argv[p.operands[1]] : undefined);
  if (input && input !== '-') out.push({ type: 'file.read', cmd: index, program: 'patch', paths: [resolvePath(input, cmd, env)] });
  const o = optValues(p, 'o', 'output')[0];
  const target = o ?? (p.operands[0] !== undefined ? cmd.argv[p.operands[0]] : undefined);
  out.push({ type: 'file.write', cmd: index, program: 'patch', paths: [target !== undefined ? resolvePath(target, cmd, env) : { raw: 'the files the patch names', abs: null, glob: false }], overwrite: true });
  return out;
};

const GREP_VALUE = ['e', 'regexp', 'f', 'file', 'exclude-from', 'm', 'max-count', 'A', 'B', 'C', 'context', 'after-context', 'before-context', 'include', 'exclude', 'exclude-dir', 'label', 'color', 'colour', 'd', 'D', 'devices', 'directories', 'binary-files'];
const RG_VALUE = ['e', 'regexp', 'f', 'file', 'ignore-file', 'g', 'glob', 't', 'type', 'T', 'type-not', 'm', 'max-count', 'A', 'B', 'C', 'j', 'threads', 'M', 'max-columns', 'r', 'replace', 'max-depth', 'd', 'sort', 'sortr', 'color', 'colors', 'iglob', 'E', 'encoding', 'pre', 'pre-glob'];

/** Programs with no effect beyond printing (or only reading what their operands name). */
const NO_EFFECT = [
  'echo', 'printf', 'true', 'false', ':', 'pwd', 'date', 'whoami', 'id', 'uname', 'hostname', 'which', 'type', 'hash',
  'ps', 'pgrep', 'pidof', 'top', 'htop', 'uptime', 'free', 'sleep', 'test', '[', 'basename', 'dirname', 'seq', 'yes', 'tr',
  'cd', 'pushd', 'popd', 'export', 'unset', 'set', 'shopt', 'alias', 'unalias', 'history', 'man', 'help', 'info', 'clear',
  'df', 'lsblk', 'lscpu', 'nproc', 'locale', 'tput', 'stty', 'tty', 'groups', 'users', 'w', 'who', 'last', 'env', 'printenv',
  'wait', 'jobs', 'fg', 'bg', 'read', 'local', 'declare', 'typeset', 'readonly', 'return', 'exit', 'break', 'continue',
  'shift', 'getopts', 'let', 'trap', 'umask', 'ulimit', 'times', 'caller', 'compgen', 'complete', 'dirs', 'disown', 'logout',
  'mapfile', 'readarray', 'enable', 'expr', 'bc', 'dc', 'factor', 'cal', 'ncal', 'arch', 'getconf', 'lsof', 'netstat', 'ss',
  'ip', 'ifconfig', 'dig', 'nslookup', 'host', 'ping', 'traceroute', 'whois', 'mktemp', 'column', 'numfmt', 'rev', 'shuf',
  'uuidgen', 'tsort', 'vmstat', 'iostat', 'lsmod', 'dmesg', 'journalctl',
];

/** Build, test and lint tools: they run the project's own code or config, so fwguard cannot vouch for them. */
const PROJECT_TOOLS = [
  'tsc', 'eslint', 'prettier', 'vitest', 'jest', 'mocha', 'tsx', 'ts-node', 'vite', 'webpack', 'rollup', 'esbuild', 'pytest',
  'ruff', 'black', 'mypy', 'flake8', 'isort', 'pylint', 'shellcheck', 'shfmt', 'gofmt', 'rustfmt', 'bats', 'make', 'gmake',
  'cmake', 'ninja', 'just', 'task', 'tox', 'nox', 'gradle', 'gradlew', 'mvn', 'ant', 'rake', 'bazel', 'turbo', 'nx', 'lerna',
];
const projectTool: Reader = (cmd, index) => [{ type: 'exec', cmd: index, program: cmd.argv[0]!, known: true, script: true }];

const READERS_ONLY: Record<string, Reader> = {
  cat: reads('cat'), tac: reads('tac'), head: reads('head', ['n', 'c', 'lines', 'bytes']), tail: reads('tail', ['n', 'c', 'lines', 'bytes', 's', 'sleep-interval', 'pid']),
  less: reads('less'), more: reads('more'), bat: reads('bat', ['l', 'language', 'r', 'line-range', 'style', 'theme', 'm', 'map-syntax']), batcat: reads('batcat'),
  nl: reads('nl'), od: reads('od'), xxd: reads('xxd'), hexdump: reads('hexdump'), strings: reads('strings'), wc: reads('wc'),
  sort: reads('sort', ['k', 'key', 't', 'field-separator', 'o', 'output', 'S', 'buffer-size', 'T']), uniq: reads('uniq'), cut: reads('cut', ['d', 'f', 'c', 'b', 'delimiter', 'fields']),
  paste: reads('paste', ['d']), diff: reads('diff'), cmp: reads('cmp'), comm: reads('comm'), file: metadata, stat: metadata,
  base64: reads('base64'), md5sum: reads('md5sum'), sha1sum: reads('sha1sum'), sha256sum: reads('sha256sum'), sha512sum: reads('sha512sum'), shasum: reads('shasum', ['a']),
  grep: reads('grep', GREP_VALUE, true, ['e', 'regexp', 'f', 'file']), egrep: reads('egrep', GREP_VALUE, true, ['e', 'regexp', 'f', 'file']), fgrep: reads('fgrep', GREP_VALUE, true, ['e', 'regexp', 'f', 'file']),
  zgrep: reads('zgrep', GREP_VALUE, true, ['e', 'f']), rg: reads('rg', RG_VALUE, true, ['e', 'regexp', 'f', 'file']), ag: reads('ag', ['G', 'ignore'], true), ack: reads('ack', [], true),
  jq: reads('jq', ['arg', 'argjson', 'slurpfile', 'rawfile', 'indent', 'L', 'f', 'from-file'], true, ['f', 'from-file']),
  yq: reads('yq', [], true), fold: reads('fold', ['w']), fmt: reads('fmt', ['w']), iconv: reads('iconv', ['f', 't', 'o']), expand: reads('expand'), unexpand: reads('unexpand'),
  ls: metadata, tree: metadata, du: metadata, realpath: metadata, readlink: metadata,
  zcat: reads('zcat'), gunzip: reads('gunzip'), unzip, tar, mkfifo: makes('mkfifo', ['m', 'mode', 'Z', 'context']), mknod: makes('mknod', ['m', 'mode']), patch,
  xmllint: reads('xmllint'), column: reads('column', ['t', 's', 'o', 'c']), vim: reads('vim'), vi: reads('vi'), nano: reads('nano'), code: reads('code'),
};

export const readers: Record<string, Reader> = {
  rm, rmdir, unlink, cp, mv, install, ln,
  chmod: chmodLike('chmod'), chown: chmodLike('chown'), chgrp: chmodLike('chgrp'),
  touch, mkdir, tee, truncate, dd, shred, sed, gsed: sed, find,
  ...READERS_ONLY,
  ...Object.fromEntries(NO_EFFECT.map((n) => [n, (() => []) as Reader])),
  date: (cmd, index, env) => {
    // date -f FILE reads dates from FILE (and prints its lines back); -r FILE stats it.
    const p = parseArgs(cmd.argv, new Set(['d', 'date', 'f', 'file', 'r', 'reference', 's', 'set']));
    const files = optValues(p, 'f', 'file').filter((f) => f && f !== '-');
    return files.length ? [{ type: 'file.read', cmd: index, program: 'date', paths: files.map((f) => resolvePath(f, cmd, env)) }] : [];
  },
  ...Object.fromEntries(PROJECT_TOOLS.map((n) => [n, projectTool])),
  // Wrappers: the walker judges the command they run; the wrapper itself does nothing more.
  ...Object.fromEntries(['command', 'builtin', 'nohup', 'nice', 'ionice', 'timeout', 'time', 'stdbuf', 'setsid', 'exec', 'xargs', 'watch', 'flock'].map((n) => [n, (() => []) as Reader])),
};
