// Wrappers: programs that run another command. fwguard sees through them (POLICY.md, end).
// Each spec says which of the wrapper's own options take a value, so `sudo -u root rm` finds `rm`
// and `timeout -s KILL 5 rm` skips the signal and the duration.
import { baseName } from '../util/path.js';
import { quoteWord } from '../util/quote.js';

export type Unwrapped =
  /** The inner command is argv[start..] (plus `extraDyn`: xargs/find append unknown words). */
  | { kind: 'argv'; via: string; start: number; end?: number; cwd?: string | null; extraDyn?: boolean; placeholder?: string; assignments?: { name: string; value: string }[] }
  /** The inner command is a shell string to parse (bash -c, su -c, ssh host CMD, eval, watch). */
  | { kind: 'string'; via: string; text: string; dynamic: boolean; remoteHost?: string; cwd?: string | null; fresh: boolean }
  /** A shell that reads its program from stdin (`| sh`, `bash <<EOF`, `bash -s`). */
  | { kind: 'stdin'; via: string }
  /** A shell that runs a script file (`bash script.sh`): opaque. */
  | { kind: 'script'; via: string; index: number };

interface OptSpec {
  /** Options (short letters and long names) that take a value. */
  value: string[];
  /** Long options that take a value only when written with `=` are just flags otherwise. */
}

const SPECS: Record<string, OptSpec> = {
  sudo: { value: ['u', 'g', 'h', 'p', 'C', 'D', 'R', 'T', 'U', 'r', 't', 'user', 'group', 'host', 'prompt', 'chdir', 'chroot', 'close-from', 'command-timeout', 'other-user', 'role', 'type'] },
  doas: { value: ['u', 'C'] },
  pkexec: { value: ['user'] },
  nice: { value: ['n', 'adjustment'] },
  ionice: { value: ['c', 'n', 'p', 'P', 'u', 'class', 'classdata'] },
  timeout: { value: ['s', 'k', 'signal', 'kill-after'] },
  stdbuf: { value: ['i', 'o', 'e', 'input', 'output', 'error'] },
  time: { value: ['f', 'o', 'format', 'output'] },
  nohup: { value: [] },
  setsid: { value: [] },
  chroot: { value: ['userspec', 'groups'] },
  unshare: { value: ['S', 'G', 'R', 'w', 'setuid', 'setgid', 'root', 'wd', 'propagation', 'map-user', 'map-group', 'map-users', 'map-groups'] },
  'systemd-run': { value: ['u', 'p', 'E', 'M', 'H', 'G', 'unit', 'property', 'description', 'slice', 'setenv', 'machine', 'host', 'working-directory', 'uid', 'gid', 'nice', 'on-active', 'on-calendar', 'timer-property', 'service-type'] },
  flock: { value: ['w', 'E', 'timeout', 'conflict-exit-code'] },
  xargs: { value: ['I', 'L', 'n', 'P', 'd', 'E', 's', 'a', 'replace', 'max-lines', 'max-args', 'max-procs', 'delimiter', 'eof', 'max-chars', 'arg-file', 'process-slot-var'] },
  exec: { value: ['a'] },
  watch: { value: ['n', 'd', 'interval', 'differences', 'q', 'equexit'] },
  env: { value: ['u', 'C', 'S', 'unset', 'chdir', 'split-string', 'P'] },
  builtin: { value: [] },
  command: { value: [] },
  ssh: { value: ['b', 'B', 'c', 'D', 'E', 'e', 'F', 'I', 'i', 'J', 'L', 'l', 'm', 'O', 'o', 'P', 'p', 'Q', 'R', 'S', 'W', 'w'] },
  su: { value: ['c', 's', 'g', 'G', 'w', 'command', 'shell', 'group', 'supp-group', 'whitelist-environment', 'session-command'] },
};

export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'ash', 'mksh', 'yash', 'rbash']);

interface Skipped {
  /** Index of the first operand. */
  at: number;
  opts: Map<string, string>;
}

/** Skip the wrapper's own options; stop at the first operand (the command) or after `--`. */
function skipOptions(argv: string[], spec: OptSpec, from = 1): Skipped {
  const opts = new Map<string, string>();
  let i = from;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return { at: i + 1, opts };
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (eq !== -1) opts.set(name, a.slice(eq + 1));
      else if (spec.value.includes(name)) opts.set(name, argv[++i] ?? '');
      else opts.set(name, '');
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (spec.value.includes(c)) {
          const rest = a.slice(j + 1);
          opts.set(c, rest || (argv[++i] ?? ''));
          break;
        }
        opts.set(c, '');
      }
      continue;
    }
    break;
  }
  return { at: i, opts };
}

const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** `NAME=value` words before the command (`sudo FOO=1 cmd`, `env A=1 B=2 cmd`). */
function leadingAssignments(argv: string[], from: number): { at: number; assignments: { name: string; value: string }[] } {
  let at = from;
  const assignments: { name: string; value: string }[] = [];
  while (at < argv.length && ASSIGN.test(argv[at]!)) {
    const eq = argv[at]!.indexOf('=');
    assignments.push({ name: argv[at]!.slice(0, eq), value: argv[at]!.slice(eq + 1) });
    at++;
  }
  return { at, assignments };
}

/**
 * Recognise a wrapper invocation. `dyn` marks argv words that are not static.
 * Returns null for a program that is not a wrapper (or a wrapper used without a command).
 */
export function unwrapOnce(argv: string[], dyn: boolean[], cwd: string | null): Unwrapped | null {
  const prog = baseName(argv[0] ?? '');
  switch (prog) {
    case 'sudo': {
      const s = skipOptions(argv, SPECS.sudo!);
      if (s.opts.has('e') || s.opts.has('edit') || s.opts.has('l') || s.opts.has('list') || s.opts.has('v') || s.opts.has('validate') || s.opts.has('k') || s.opts.has('K')) return null;
      const { at, assignments } = leadingAssignments(argv, s.at);
      if (at >= argv.length) return null; // `sudo -i` / `sudo -s`: an interactive root shell
      const dir = s.opts.get('D') ?? s.opts.get('chdir');
      return { kind: 'argv', via: 'sudo', start: at, assignments, ...(dir !== undefined ? { cwd: resolveDir(dir, cwd) } : {}) };
    }
    case 'doas':
    case 'pkexec':
    case 'nohup':
    case 'setsid':
    case 'builtin':
    case 'stdbuf':
    case 'ionice':
    case 'unshare':
    case 'systemd-run': {
      const s = skipOptions(argv, SPECS[prog]!);
      if (s.at >= argv.length) return null;
      const dir = prog === 'systemd-run' ? s.opts.get('working-directory') : undefined;
      return { kind: 'argv', via: prog, start: s.at, ...(dir !== undefined ? { cwd: resolveDir(dir, cwd) } : {}) };
    }
    case 'command': {
      const s = skipOptions(argv, SPECS.command!);
      if (s.opts.has('v') || s.opts.has('V') || s.at >= argv.length) return null; // lookup, not exec
      return { kind: 'argv', via: 'command', start: s.at };
    }
    case 'exec': {
      const s = skipOptions(argv, SPECS.exec!);
      if (s.at >= argv.length) return null;
      return { kind: 'argv', via: 'exec', start: s.at };
    }
    case 'nice': {
      // `nice -10 cmd` (old form) and `nice -n 10 cmd`.
      let from = 1;
      if (/^-\d+$/.test(argv[1] ?? '')) from = 2;
      const s = skipOptions(argv, SPECS.nice!, from);
      if (s.at >= argv.length) return null;
      return { kind: 'argv', via: 'nice', start: s.at };
    }
    case 'timeout': {
      const s = skipOptions(argv, SPECS.timeout!);
      const at = s.at + 1; // the duration
      if (at >= argv.length) return null;
      return { kind: 'argv', via: 'timeout', start: at };
    }
    case 'time': {
      const s = skipOptions(argv, SPECS.time!);
      if (s.at >= argv.length) return null;
      return { kind: 'argv', via: 'time', start: s.at };
    }
    case 'chroot': {
      const s = skipOptions(argv, SPECS.chroot!);
      const at = s.at + 1; // the new root
      if (at >= argv.length) return { kind: 'string', via: 'chroot', text: 'sh -i', dynamic: false, cwd: null, fresh: true };
      return { kind: 'argv', via: 'chroot', start: at, cwd: null };
    }
    case 'flock': {
      const s = skipOptions(argv, SPECS.flock!);
      const cmdText = s.opts.get('c') ?? s.opts.get('command');
      if (cmdText !== undefined) return { kind: 'string', via: 'flock -c', text: cmdText, dynamic: false, fresh: true };
      const at = s.at + 1; // the lock file
      if (at >= argv.length) return null;
      if (argv[at] === '-c' && at + 1 < argv.length) {
        return { kind: 'string', via: 'flock -c', text: argv[at + 1]!, dynamic: dyn[at + 1] ?? false, fresh: true };
      }
      return { kind: 'argv', via: 'flock', start: at };
    }
    case 'xargs': {
      const s = skipOptions(argv, SPECS.xargs!);
      const placeholder = s.opts.get('I') ?? s.opts.get('replace') ?? (s.opts.has('i') ? '{}' : undefined);
      if (s.at >= argv.length) return { kind: 'argv', via: 'xargs', start: argv.length, extraDyn: true }; // xargs → echo
      return { kind: 'argv', via: 'xargs', start: s.at, extraDyn: placeholder === undefined, ...(placeholder !== undefined ? { placeholder } : {}) };
    }
    case 'env': {
      const s = skipOptions(argv, SPECS.env!);
      const split = s.opts.get('S') ?? s.opts.get('split-string');
      const { at, assignments } = leadingAssignments(argv, s.at);
      const dir = s.opts.get('C') ?? s.opts.get('chdir');
      const newCwd = dir !== undefined ? { cwd: resolveDir(dir, cwd) } : {};
      if (split !== undefined) {
        const rest = argv.slice(at).map(quoteWord).join(' ');
        return { kind: 'string', via: 'env -S', text: split + (rest ? ' ' + rest : ''), dynamic: false, fresh: false, ...newCwd };
      }
      if (at >= argv.length) return null; // prints the environment
      return { kind: 'argv', via: 'env', start: at, assignments, ...newCwd };
    }
    case 'watch': {
      const s = skipOptions(argv, SPECS.watch!);
      if (s.at >= argv.length) return null;
      if (s.opts.has('x') || s.opts.has('exec')) return { kind: 'argv', via: 'watch', start: s.at };
      return { kind: 'string', via: 'watch', text: argv.slice(s.at).join(' '), dynamic: argv.slice(s.at).some((_, k) => dyn[s.at + k]), fresh: true };
    }
    case 'su': {
      // `su [opts] [-] [user] [opts]`: options may follow the user name (`su root -c CMD`).
      let s = skipOptions(argv, SPECS.su!);
      let c = s.opts.get('c') ?? s.opts.get('command') ?? s.opts.get('session-command');
      while (c === undefined && s.at < argv.length) {
        s = skipOptions(argv, SPECS.su!, s.at + 1);
        c = s.opts.get('c') ?? s.opts.get('command') ?? s.opts.get('session-command');
      }
      if (c === undefined) return null; // an interactive login: priv.escalate only
      const ci = argv.indexOf(c);
      return { kind: 'string', via: 'su -c', text: c, dynamic: ci >= 0 ? (dyn[ci] ?? false) : false, fresh: true, cwd: null };
    }
    case 'ssh': {
      const s = skipOptions(argv, SPECS.ssh!);
      const host = argv[s.at];
      if (host === undefined || s.at + 1 >= argv.length) return null; // interactive login
      const words = argv.slice(s.at + 1);
      return {
        kind: 'string',
        via: 'ssh',
        text: words.join(' '),
        dynamic: words.some((_, k) => dyn[s.at + 1 + k]),
        remoteHost: host.includes('@') ? host.slice(host.indexOf('@') + 1) : host,
        fresh: true,
        cwd: null,
      };
    }
    case 'eval': {
      const words = argv.slice(1);
      if (words.length === 0) return null;
      return { kind: 'string', via: 'eval', text: words.join(' '), dynamic: words.some((_, k) => dyn[1 + k]), fresh: false };
    }
    case 'busybox': {
      if (argv.length < 2) return null;
      return { kind: 'argv', via: 'busybox', start: 1 };
    }
    default:
      break;
  }
  if (SHELLS.has(prog)) return unwrapShell(argv, dyn, prog);
  return null;
}

/** How a shell invocation gets its program: `-c STR`, a script operand, or stdin (`-s`, none). */
export interface ShellArgs {
  command: boolean;
  readsStdin: boolean;
  /** Index of the -c string, or of the script operand; argv.length when there is none. */
  index: number;
}

export function scanShellArgs(argv: string[]): ShellArgs {
  let i = 1;
  let command = false;
  let readsStdin = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if ((a.startsWith('-') || a.startsWith('+')) && a.length > 1) {
      if (a.startsWith('--')) {
        if (a === '--rcfile' || a === '--init-file') i++;
        continue;
      }
      if (a.slice(1).includes('c')) command = true;
      if (a.slice(1).includes('s')) readsStdin = true;
      if (/[oO]/.test(a.slice(1))) i++; // -o option
      continue;
    }
    break;
  }
  return { command, readsStdin, index: i };
}

/** `bash -c STR`, `bash -lc STR`, `bash script.sh`, `bash -s`, `bash` (stdin). */
function unwrapShell(argv: string[], dyn: boolean[], prog: string): Unwrapped | null {
  const { command, readsStdin, index: i } = scanShellArgs(argv);
  if (command) {
    if (i >= argv.length) return null;
    return { kind: 'string', via: `${prog} -c`, text: argv[i]!, dynamic: dyn[i] ?? false, fresh: true };
  }
  if (readsStdin || i >= argv.length) return { kind: 'stdin', via: prog };
  return { kind: 'script', via: prog, index: i };
}


function resolveDir(dir: string, cwd: string | null): string | null {
  if (dir.startsWith('/')) return dir;
  if (cwd === null) return null;
  return cwd + '/' + dir;
}

