// The git reader: turns one `git …` invocation into typed actions (git.read, git.local,
// git.discard, git.rewrite, git.config, git.push, checks.skip, net.fetch, …).
// It knows git's command line (global options, `-c`, refspecs, option abbreviations); whether a
// branch is protected, or a rewritten commit was pushed, is for the policy stage to find out.
// INVARIANT: readers are pure and never return a verdict (see ./reader.ts).
import type { Action, ActionOf, SimpleCommand } from '../types.js';
import { resolvePath, type ReadEnv, type Reader } from './reader.js';

// ---------------------------------------------------------------------------------------------
// Option parsing

/** How one git subcommand reads its options. */
interface OptSpec {
  /** Options that take a value, short letters and long names (`-m msg`, `--message=msg`). */
  value?: readonly string[];
  /** Short options whose value is optional and only ever attached (`-S<keyid>`, `-n5`). */
  attached?: readonly string[];
  /**
   * Long options the subcommand knows. git's parse-options accepts any unambiguous prefix
   * (`git commit --no-ver` is `--no-verify`, `git reset --ha` is `--hard`), so a word that is
   * the prefix of exactly one of these is read as that option. A partial list only errs on the
   * side of seeing an option git would have rejected as ambiguous.
   */
  long?: readonly string[];
}

interface GitArgs {
  /** Option name (long names expanded) → values ('' for flags). */
  opts: Map<string, string[]>;
  /** argv indices of the operands before a `--`. */
  operands: number[];
  /** argv indices of the words after a `--` (pathspecs, for the commands that take them). */
  paths: number[];
  /** A `--` was present. */
  dashdash: boolean;
}

function expandLong(name: string, long: readonly string[] | undefined): string {
  if (!long || long.includes(name)) return name;
  const hits = long.filter((l) => l.startsWith(name));
  return hits.length === 1 ? hits[0]! : name;
}

/**
 * Like reader.ts `parseArgs`, plus two things git needs: long-option abbreviations, and knowing
 * which words came after `--` (for checkout/restore/reset that is what makes them pathspecs).
 * Options and operands may be interleaved, as with git's parse-options.
 */
function parseGit(argv: readonly string[], start: number, spec: OptSpec = {}): GitArgs {
  const value = new Set(spec.value ?? []);
  const attached = new Set(spec.attached ?? []);
  const opts = new Map<string, string[]>();
  const operands: number[] = [];
  const paths: number[] = [];
  const add = (k: string, v: string) => {
    const list = opts.get(k);
    if (list) list.push(v);
    else opts.set(k, [v]);
  };
  let i = start;
  let dashdash = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      dashdash = true;
      for (i++; i < argv.length; i++) paths.push(i);
      break;
    }
    if (a === '--end-of-options') {
      // Ends option parsing but, unlike `--`, does not turn revisions into pathspecs.
      for (i++; i < argv.length; i++) operands.push(i);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = expandLong(eq === -1 ? a.slice(2) : a.slice(2, eq), spec.long);
      if (eq !== -1) add(name, a.slice(eq + 1));
      else if (value.has(name) && i + 1 < argv.length) add(name, argv[++i]!);
      else add(name, '');
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const rest = a.slice(j + 1);
        if (value.has(c)) {
          if (rest) add(c, rest);
          else if (i + 1 < argv.length) add(c, argv[++i]!);
          else add(c, '');
          break;
        }
        if (attached.has(c)) {
          add(c, rest);
          break;
        }
        add(c, '');
      }
    } else {
      operands.push(i); // includes a lone `-` (`git checkout -`)
    }
  }
  return { opts, operands, paths, dashdash };
}

const has = (p: GitArgs, ...names: string[]) => names.some((n) => p.opts.has(n));
const vals = (p: GitArgs, ...names: string[]) => names.flatMap((n) => p.opts.get(n) ?? []);

// ---------------------------------------------------------------------------------------------
// Context and action builders

/** One git invocation after its global options. */
interface Git {
  /** The command, with `cwd` moved by `-C` (null when a `-C` was dynamic). */
  cmd: SimpleCommand;
  index: number;
  env: ReadEnv;
  /** The subcommand name as written. */
  sub: string;
  /** argv index of the first word after the subcommand. */
  at: number;
  /** The repository's directory (absolute), when it can be known statically. */
  dir?: string;
  /** `-c key=value` settings of this invocation (canonical key → the last value). */
  config: Map<string, string>;
}

type Handler = (g: Git) => Action[];

const base = (g: Git) => ({ cmd: g.index, program: 'git' });
const withDir = (g: Git) => (g.dir === undefined ? {} : { dir: g.dir });

const read = (g: Git, subcommand = g.sub): Action => ({ ...base(g), type: 'git.read', subcommand });
const local = (g: Git, subcommand = g.sub, noVerify = false): Action =>
  noVerify ? { ...base(g), type: 'git.local', subcommand, noVerify } : { ...base(g), type: 'git.local', subcommand };
const discard = (g: Git, subcommand: string, detail: string): Action => ({ ...base(g), type: 'git.discard', subcommand, detail, ...withDir(g) });
const rewrite = (g: Git, subcommand: string): Action => ({ ...base(g), type: 'git.rewrite', subcommand, ...withDir(g) });
const skip = (g: Git, how: string): Action => ({ ...base(g), type: 'checks.skip', how });
const dynamic = (g: Git, how: string): Action => ({ ...base(g), type: 'code.dynamic', how });

const word = (g: Git, i: number) => g.cmd.argv[i] ?? '';
const isDyn = (g: Git, i: number) => g.cmd.dyn[i] ?? false;
const words = (g: Git, idx: number[]) => idx.map((i) => word(g, i));
const parse = (g: Git, spec?: OptSpec) => parseGit(g.cmd.argv, g.at, spec);

// ---------------------------------------------------------------------------------------------
// Remotes and URLs

/**
 * Where a repository argument points. A remote name (`origin`) or a local path gives no URL;
 * `https://host/…`, `ssh://…` and scp-like `user@host:path` do.
 */
function remoteUrl(repo: string): { url: string; host?: string } | undefined {
  const scheme = repo.indexOf('://');
  if (scheme > 0) {
    if (repo.startsWith('file://')) return undefined;
    const rest = repo.slice(scheme + 3);
    const hostPart = rest.split('/')[0] ?? '';
    const host = hostPart.slice(hostPart.lastIndexOf('@') + 1).replace(/:\d*$/, '');
    return host ? { url: repo, host } : { url: repo };
  }
  // scp-like syntax: a colon before any slash (`git@github.com:org/repo.git`).
  const colon = repo.indexOf(':');
  const slash = repo.indexOf('/');
  if (colon > 0 && (slash === -1 || colon < slash) && !repo.startsWith('ext::') && !repo.startsWith('fd::')) {
    const hostPart = repo.slice(0, colon);
    return { url: repo, host: hostPart.slice(hostPart.lastIndexOf('@') + 1) };
  }
  return undefined;
}

/** A fetch from `repo` (a URL, a remote name, or undefined for the default remote). */
function netFetch(g: Git, repo: string | undefined, dyn = false): Action[] {
  if (repo === undefined || dyn) return [{ ...base(g), type: 'net.fetch' }];
  const u = remoteUrl(repo);
  if (u) return [{ ...base(g), type: 'net.fetch', ...u }];
  // A local path is not a network fetch; anything else is a remote name.
  if (/^(\/|\.\.?(\/|$)|~|file:\/\/)/.test(repo)) return [];
  return [{ ...base(g), type: 'net.fetch' }];
}

/**
 * Transport options that make git run a program of the caller's choice (on the remote side,
 * which for a local or ssh remote can be this machine), and the `ext::` transport, which runs
 * a shell command.
 */
function transportCode(g: Git, p: GitArgs, repos: string[], extra: string[] = []): Action[] {
  const out: Action[] = [];
  for (const o of ['upload-pack', 'receive-pack', 'exec', ...extra]) {
    if (has(p, o)) out.push(dynamic(g, `git ${g.sub} ${o.length === 1 ? '-' : '--'}${o} runs a chosen program`));
  }
  if (repos.some((r) => r.startsWith('ext::'))) out.push(dynamic(g, `git ${g.sub} with an ext:: URL runs a command`));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Configuration keys

/** `Section.sub.sec.Name` → section and name lowercased, subsection kept (git's canonical form). */
function splitKey(key: string): { section: string; sub?: string; name: string } {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first === -1) return { section: key.toLowerCase(), name: '' };
  const section = key.slice(0, first).toLowerCase();
  const name = key.slice(last + 1).toLowerCase();
  return first === last ? { section, name } : { section, sub: key.slice(first + 1, last), name };
}

function canonicalKey(key: string): string {
  const k = splitKey(key);
  if (!k.name) return k.section;
  return k.sub === undefined ? `${k.section}.${k.name}` : `${k.section}.${k.sub}.${k.name}`;
}

/** `section.name` keys (no subsection) whose value is a program or shell command git runs. */
const CODE_KEYS = new Set([
  'core.hookspath', // hooks: code git runs on commit, push, checkout…
  'core.fsmonitor', // a program run on nearly every command
  'core.sshcommand',
  'core.pager',
  'core.editor',
  'core.askpass',
  'core.gitproxy',
  'core.alternaterefscommand',
  'diff.external',
  'sequence.editor',
  'gpg.program',
  'credential.helper',
  'uploadpack.packobjectshook',
  'interactive.difffilter',
  'init.templatedir', // a template dir can hold hooks copied into new repos
  'include.path', // pulls in another config file, which may set any of these
  'web.browser',
  'sendemail.smtpserver', // may name a sendmail-like program
  'sendemail.tocmd',
  'sendemail.cccmd',
  'sendemail.sendmailcmd',
]);

/** `section.<sub>.name` keys whose value is a command; '*' means every name in the section. */
const CODE_SUBKEYS: Record<string, readonly string[]> = {
  diff: ['textconv', 'command'],
  merge: ['driver'],
  filter: ['*'], // clean, smudge, process: run on checkout and add
  mergetool: ['cmd'],
  difftool: ['cmd'],
  gpg: ['program', 'defaultkeycommand'],
  credential: ['helper'],
  includeif: ['path'],
  browser: ['cmd', 'path'],
  man: ['cmd', 'path'],
  guitool: ['cmd'],
  trailer: ['command', 'cmd'],
  hook: ['command'], // config-based hooks (git 2.54+)
  remote: ['uploadpack', 'receivepack'],
};

/** Sections in which a renamed section can start running code (`--rename-section x alias`). */
const CODE_SECTIONS = new Set(['core', 'diff', 'merge', 'filter', 'mergetool', 'difftool', 'gpg', 'credential', 'include', 'includeif', 'browser', 'man', 'guitool', 'trailer', 'hook', 'remote', 'alias', 'pager', 'sequence', 'uploadpack', 'interactive', 'init', 'sendemail', 'web', 'submodule', 'protocol']);

const BOOLEAN = new Set(['true', 'false', 'yes', 'no', 'on', 'off', '1', '0', '']);

/**
 * Does setting `key` (to `value`) make git run code later? An unknown key or value is assumed
 * to: the guard cannot see what it would be.
 */
function configRunsCode(key: string, value: string | undefined, keyDynamic: boolean, valueDynamic: boolean): boolean {
  if (keyDynamic) return true;
  const k = splitKey(key);
  const startsShell = () => valueDynamic || (value ?? '').trimStart().startsWith('!');
  if (k.sub === undefined) {
    if (CODE_KEYS.has(`${k.section}.${k.name}`)) return true;
    if (k.section === 'alias') return startsShell(); // `!cmd` aliases run a shell
    if (k.section === 'pager') return valueDynamic || !BOOLEAN.has((value ?? '').toLowerCase()); // pager.<cmd>=<program>
    if (k.section === 'protocol' && k.name === 'allow') return valueDynamic || (value ?? '').toLowerCase() === 'always';
    return false;
  }
  if (k.section === 'submodule' && k.name === 'update') return startsShell(); // `!cmd` update mode
  if (k.section === 'protocol' && k.sub.toLowerCase() === 'ext' && k.name === 'allow') return valueDynamic || (value ?? '').toLowerCase() !== 'never';
  if (k.section === 'alias') return startsShell(); // `alias.a.b` is still an alias
  const names = CODE_SUBKEYS[k.section];
  return names !== undefined && (names.includes('*') || names.includes(k.name));
}

/** A `key=value` word (`git -c`, `git clone -c`): a git.config action. */
function configAssignment(g: Git, text: string, dyn: boolean): Action {
  const eq = text.indexOf('=');
  const key = eq === -1 ? text : text.slice(0, eq);
  const value = eq === -1 ? undefined : text.slice(eq + 1);
  // The word is dynamic as a whole; only a `$`/backtick in the key part makes the key unknown.
  const keyDynamic = dyn && /[$`]/.test(key);
  const runsCode = configRunsCode(key, value, keyDynamic, dyn);
  const shown = keyDynamic ? key : canonicalKey(key); // an unresolved key is reported as written
  return value === undefined ? { ...base(g), type: 'git.config', key: shown, runsCode } : { ...base(g), type: 'git.config', key: shown, value, runsCode };
}

// ---------------------------------------------------------------------------------------------
// Refspecs

/** `refs/heads/main` → `main`; `@` → `HEAD`; other refs (tags, Gerrit `refs/for/…`) as written. */
function shortRef(ref: string): string {
  if (ref === '@') return 'HEAD';
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

// ---------------------------------------------------------------------------------------------
// Subcommands

const PUSH: OptSpec = {
  value: ['repo', 'o', 'push-option', 'receive-pack', 'exec'],
  long: ['all', 'branches', 'mirror', 'delete', 'tags', 'follow-tags', 'no-follow-tags', 'dry-run', 'porcelain', 'force', 'no-force', 'force-with-lease', 'no-force-with-lease', 'force-if-includes', 'no-force-if-includes', 'repo', 'set-upstream', 'thin', 'no-thin', 'receive-pack', 'exec', 'verify', 'no-verify', 'quiet', 'verbose', 'progress', 'no-progress', 'prune', 'no-prune', 'atomic', 'no-atomic', 'push-option', 'signed', 'no-signed', 'recurse-submodules', 'no-recurse-submodules', 'ipv4', 'ipv6'],
};

const push: Handler = (g) => {
  const p = parse(g, PUSH);
  const ops = [...p.operands, ...p.paths];
  const out = transportCode(g, p, words(g, ops.slice(0, 1)));
  // A dry run contacts the remote but changes nothing there.
  if (has(p, 'n', 'dry-run')) return [...out, read(g, 'push --dry-run')];

  const noVerify = has(p, 'no-verify');
  const mirror = has(p, 'mirror');
  let force = has(p, 'f', 'force', 'force-with-lease', 'force-if-includes') || mirror; // --mirror force-updates every ref
  const deleteFlag = has(p, 'd', 'delete');
  let del = deleteFlag || has(p, 'prune') || mirror; // --prune and --mirror delete remote refs missing here
  let all = has(p, 'all', 'branches');
  const tags = has(p, 'tags');

  const remote = ops.length ? word(g, ops[0]!) : vals(p, 'repo').at(-1);
  const branches: string[] = [];
  const specs = ops.slice(1);
  for (let j = 0; j < specs.length; j++) {
    const i = specs[j]!;
    let s = word(g, i);
    if (isDyn(g, i)) {
      // `git push origin "$BRANCH"`: any branch at all could be meant.
      branches.push(s);
      all = true;
      continue;
    }
    if (s === 'tag' && j + 1 < specs.length) {
      branches.push(`refs/tags/${word(g, specs[++j]!)}`); // `push origin tag v1`
      continue;
    }
    if (s.startsWith('+')) {
      force = true;
      s = s.slice(1);
    }
    let dst = s;
    const colon = s.indexOf(':'); // ref names cannot hold ':', so the first one splits src:dst
    if (colon !== -1) {
      const src = s.slice(0, colon);
      dst = s.slice(colon + 1) || src; // `main:` is `main:main`
      if (src === '') del = true; // `:branch` deletes it on the remote
    }
    dst = shortRef(dst);
    if (dst.includes('*')) all = true; // a pattern refspec can reach every branch
    branches.push(dst);
  }
  // No refspec: git pushes the current branch (push.default), which the policy resolves from HEAD.
  // `--tags` alone pushes only tags; `--delete` without refs is an error.
  if (specs.length === 0 && !all && !mirror && !tags && !deleteFlag) branches.push('HEAD');

  const action: ActionOf<'git.push'> = { ...base(g), type: 'git.push', branches, force, mirror, delete: del, noVerify, ...withDir(g) };
  if (remote !== undefined) action.remote = remote;
  if (all) action.all = true;
  if (tags) action.tags = true;
  out.push(action);
  if (noVerify) out.push(skip(g, 'git push --no-verify'));
  return out;
};

const FETCH: OptSpec = {
  value: ['upload-pack', 'depth', 'deepen', 'shallow-since', 'shallow-exclude', 'j', 'jobs', 'o', 'server-option', 'negotiation-tip', 'refmap', 'filter', 'recurse-submodules-default', 'submodule-prefix'],
  long: ['all', 'append', 'atomic', 'depth', 'deepen', 'shallow-since', 'shallow-exclude', 'unshallow', 'update-shallow', 'negotiation-tip', 'negotiate-only', 'dry-run', 'porcelain', 'write-fetch-head', 'no-write-fetch-head', 'force', 'keep', 'multiple', 'auto-maintenance', 'no-auto-maintenance', 'auto-gc', 'no-auto-gc', 'write-commit-graph', 'no-write-commit-graph', 'prefetch', 'prune', 'prune-tags', 'no-tags', 'refetch', 'refmap', 'tags', 'recurse-submodules', 'no-recurse-submodules', 'jobs', 'set-upstream', 'submodule-prefix', 'recurse-submodules-default', 'update-head-ok', 'upload-pack', 'quiet', 'verbose', 'progress', 'no-progress', 'server-option', 'show-forced-updates', 'no-show-forced-updates', 'ipv4', 'ipv6', 'filter', 'stdin'],
};

const fetch: Handler = (g) => {
  const p = parse(g, FETCH);
  const ops = [...p.operands, ...p.paths];
  const repo = ops[0];
  const out = [...transportCode(g, p, words(g, ops.slice(0, 1))), read(g, 'fetch')];
  out.push(...netFetch(g, repo === undefined ? undefined : word(g, repo), repo !== undefined && isDyn(g, repo)));
  // `git fetch origin +main:main` force-moves a local branch: commits only it held are dropped.
  if (!has(p, 'multiple')) {
    for (const i of ops.slice(1)) {
      const s = word(g, i);
      const colon = s.indexOf(':');
      if (!s.startsWith('+') || colon === -1) continue;
      const dst = s.slice(colon + 1);
      if (dst && !dst.startsWith('refs/remotes/') && !dst.startsWith('refs/tags/')) out.push(discard(g, 'fetch', `force-updates local branch ${shortRef(dst)}`));
    }
  }
  return out;
};

const PULL: OptSpec = {
  value: ['s', 'strategy', 'X', 'strategy-option', 'upload-pack', 'depth', 'deepen', 'shallow-since', 'shallow-exclude', 'j', 'jobs', 'o', 'server-option', 'negotiation-tip'],
  attached: ['S'],
  long: ['verify', 'no-verify', 'rebase', 'no-rebase', 'ff', 'no-ff', 'ff-only', 'commit', 'no-commit', 'edit', 'no-edit', 'squash', 'no-squash', 'stat', 'no-stat', 'log', 'no-log', 'signoff', 'no-signoff', 'strategy', 'strategy-option', 'autostash', 'no-autostash', 'all', 'append', 'depth', 'deepen', 'unshallow', 'upload-pack', 'tags', 'no-tags', 'prune', 'force', 'quiet', 'verbose', 'progress', 'recurse-submodules', 'no-recurse-submodules', 'set-upstream', 'verify-signatures', 'no-verify-signatures', 'allow-unrelated-histories', 'cleanup', 'gpg-sign', 'no-gpg-sign', 'ipv4', 'ipv6', 'dry-run', 'jobs', 'server-option'],
};

const pull: Handler = (g) => {
  const p = parse(g, PULL);
  const ops = [...p.operands, ...p.paths];
  const repo = ops[0];
  // `pull --rebase` replays only local commits onto the fetched ones: not counted as a rewrite.
  // For pull, `-n` is --no-stat, not --no-verify.
  const noVerify = has(p, 'no-verify');
  const out = [...transportCode(g, p, words(g, ops.slice(0, 1))), local(g, 'pull', noVerify)];
  out.push(...netFetch(g, repo === undefined ? undefined : word(g, repo), repo !== undefined && isDyn(g, repo)));
  if (noVerify) out.push(skip(g, 'git pull --no-verify'));
  return out;
};

const CLONE: OptSpec = {
  value: ['o', 'origin', 'b', 'branch', 'u', 'upload-pack', 'reference', 'reference-if-able', 'separate-git-dir', 'depth', 'shallow-since', 'shallow-exclude', 'c', 'config', 'j', 'jobs', 'template', 'filter', 'server-option', 'bundle-uri', 'ref-format', 'revision'],
  long: ['local', 'no-local', 'no-hardlinks', 'shared', 'reference', 'reference-if-able', 'dissociate', 'quiet', 'verbose', 'progress', 'server-option', 'no-checkout', 'reject-shallow', 'no-reject-shallow', 'bare', 'sparse', 'filter', 'also-filter-submodules', 'mirror', 'origin', 'branch', 'revision', 'upload-pack', 'template', 'config', 'depth', 'shallow-since', 'shallow-exclude', 'single-branch', 'no-single-branch', 'tags', 'no-tags', 'recurse-submodules', 'shallow-submodules', 'no-shallow-submodules', 'remote-submodules', 'no-remote-submodules', 'separate-git-dir', 'ref-format', 'jobs', 'bundle-uri'],
};

/** The directory `git clone URL` creates: the last path part without `.git`. */
function cloneDirName(repo: string, bare: boolean): string {
  let s = repo.replace(/\/+$/, '').replace(/\/\.git$/, '');
  s = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')) + 1);
  s = s.replace(/\.(git|bundle)$/, '');
  return bare ? `${s}.git` : s;
}

const clone: Handler = (g) => {
  const p = parse(g, CLONE);
  const ops = [...p.operands, ...p.paths];
  const repo = ops[0];
  const out: Action[] = [...transportCode(g, p, words(g, ops.slice(0, 1)), ['u']), local(g, 'clone')];
  if (repo !== undefined) out.push(...netFetch(g, word(g, repo), isDyn(g, repo)));
  // Config and templates given to clone are written into the new repository.
  for (const c of vals(p, 'c', 'config')) out.push(configAssignment(g, c, /[$`]/.test(c)));
  for (const t of vals(p, 'template')) out.push({ ...base(g), type: 'git.config', key: 'init.templatedir', value: t, runsCode: true });
  const dest = ops[1];
  if (dest !== undefined) out.push({ ...base(g), type: 'file.write', paths: [resolvePath(word(g, dest), g.cmd, g.env, isDyn(g, dest))] });
  else if (repo !== undefined && !isDyn(g, repo)) {
    const name = cloneDirName(word(g, repo), has(p, 'bare', 'mirror'));
    if (name) out.push({ ...base(g), type: 'file.write', paths: [resolvePath(name, g.cmd, g.env)] });
  }
  return out;
};

const init: Handler = (g) => {
  const p = parse(g, { value: ['template', 'separate-git-dir', 'object-format', 'ref-format', 'b', 'initial-branch'] });
  const out: Action[] = [local(g, 'init')];
  // `git init DIR` creates DIR (and DIR/.git).
  for (const i of p.operands.slice(0, 1)) out.push({ ...base(g), type: 'file.write', paths: [resolvePath(g.cmd.argv[i]!, g.cmd, g.env, g.cmd.dyn[i] ?? false)] });
  for (const t of vals(p, 'template')) out.push({ ...base(g), type: 'git.config', key: 'init.templatedir', value: t, runsCode: true });
  return out;
};

const COMMIT: OptSpec = {
  value: ['m', 'message', 'F', 'file', 'C', 'reuse-message', 'c', 'reedit-message', 'fixup', 'squash', 'author', 'date', 't', 'template', 'cleanup', 'trailer', 'pathspec-from-file'],
  attached: ['S', 'u'],
  long: ['all', 'patch', 'reuse-message', 'reedit-message', 'fixup', 'squash', 'reset-author', 'short', 'branch', 'porcelain', 'long', 'null', 'file', 'author', 'date', 'message', 'template', 'signoff', 'no-signoff', 'trailer', 'no-verify', 'verify', 'allow-empty', 'allow-empty-message', 'cleanup', 'edit', 'no-edit', 'amend', 'no-post-rewrite', 'include', 'only', 'pathspec-from-file', 'pathspec-file-nul', 'untracked-files', 'verbose', 'quiet', 'dry-run', 'status', 'no-status', 'gpg-sign', 'no-gpg-sign', 'interactive'],
};

const commit: Handler = (g) => {
  const p = parse(g, COMMIT);
  if (has(p, 'dry-run')) return [read(g, 'commit --dry-run')];
  const noVerify = has(p, 'n', 'no-verify');
  // --amend replaces the tip commit: a rewrite, which matters once that commit was pushed.
  const out: Action[] = [has(p, 'amend') ? rewrite(g, 'commit --amend') : local(g, 'commit', noVerify)];
  if (noVerify) out.push(skip(g, 'git commit --no-verify'));
  return out;
};

const MERGE: OptSpec = {
  value: ['m', 'F', 'file', 's', 'strategy', 'X', 'strategy-option', 'cleanup', 'into-name'],
  attached: ['S'],
  long: ['commit', 'no-commit', 'edit', 'no-edit', 'cleanup', 'ff', 'no-ff', 'ff-only', 'gpg-sign', 'no-gpg-sign', 'log', 'no-log', 'signoff', 'no-signoff', 'stat', 'no-stat', 'compact-summary', 'squash', 'no-squash', 'verify', 'no-verify', 'strategy', 'strategy-option', 'verify-signatures', 'no-verify-signatures', 'quiet', 'verbose', 'progress', 'no-progress', 'autostash', 'no-autostash', 'allow-unrelated-histories', 'rerere-autoupdate', 'no-rerere-autoupdate', 'overwrite-ignore', 'no-overwrite-ignore', 'abort', 'quit', 'continue', 'file', 'into-name'],
};

const merge: Handler = (g) => {
  const p = parse(g, MERGE);
  const noVerify = has(p, 'no-verify'); // for merge, `-n` is --no-stat
  return noVerify ? [local(g, 'merge', true), skip(g, 'git merge --no-verify')] : [local(g, 'merge')];
};

const REBASE: OptSpec = {
  value: ['onto', 'x', 'exec', 's', 'strategy', 'X', 'strategy-option', 'empty', 'whitespace'],
  attached: ['S', 'C'],
  long: ['onto', 'keep-base', 'continue', 'abort', 'quit', 'apply', 'empty', 'keep-empty', 'no-keep-empty', 'reapply-cherry-picks', 'no-reapply-cherry-picks', 'allow-empty-message', 'skip', 'edit-todo', 'show-current-patch', 'merge', 'strategy', 'strategy-option', 'rerere-autoupdate', 'no-rerere-autoupdate', 'gpg-sign', 'no-gpg-sign', 'quiet', 'verbose', 'stat', 'no-stat', 'no-verify', 'verify', 'force-rebase', 'no-ff', 'fork-point', 'no-fork-point', 'ignore-whitespace', 'whitespace', 'committer-date-is-author-date', 'ignore-date', 'reset-author-date', 'signoff', 'interactive', 'rebase-merges', 'no-rebase-merges', 'update-refs', 'no-update-refs', 'exec', 'root', 'autosquash', 'no-autosquash', 'autostash', 'no-autostash', 'reschedule-failed-exec', 'no-reschedule-failed-exec'],
};

const rebase: Handler = (g) => {
  const p = parse(g, REBASE);
  // Controlling a rebase already under way: the rewrite was judged when it started.
  for (const ctl of ['continue', 'abort', 'quit', 'skip', 'edit-todo']) if (has(p, ctl)) return [local(g, `rebase --${ctl}`)];
  if (has(p, 'show-current-patch')) return [read(g, 'rebase --show-current-patch')];
  const out: Action[] = [rewrite(g, 'rebase')];
  // --exec runs a shell command after each commit; the guard does not see into it.
  if (has(p, 'x', 'exec')) out.push(dynamic(g, 'git rebase --exec runs a shell command'));
  if (has(p, 'no-verify')) out.push(skip(g, 'git rebase --no-verify')); // `-n` is --no-stat here
  return out;
};

const am: Handler = (g) => {
  const p = parse(g, { attached: ['S'], value: ['p', 'C', 'whitespace', 'exclude', 'include', 'directory', 'patch-format', 'resolvemsg', 'quoted-cr', 'empty'], long: ['no-verify', 'verify', 'abort', 'continue', 'skip', 'quit'] });
  const noVerify = has(p, 'n', 'no-verify');
  return noVerify ? [local(g, 'am', true), skip(g, 'git am --no-verify')] : [local(g, 'am')];
};

const apply: Handler = (g) => {
  const p = parse(g, { value: ['p', 'C', 'exclude', 'include', 'directory', 'whitespace'], long: ['stat', 'numstat', 'summary', 'check', 'apply', 'index', 'cached', 'intent-to-add', '3way', 'reverse', 'reject', 'unsafe-paths', 'allow-empty'] });
  // --stat/--numstat/--summary/--check only report, unless --apply is also given.
  if (has(p, 'stat', 'numstat', 'summary', 'check') && !has(p, 'apply')) return [read(g, 'apply --check')];
  return [local(g, 'apply')];
};

/** A single checkout/reset operand that names files rather than a branch. */
const PATHLIKE_NAMES = new Set(['Makefile', 'Dockerfile', 'Gemfile', 'Rakefile', 'Procfile', 'Jenkinsfile', 'Vagrantfile', 'LICENSE', 'README', 'CHANGELOG', 'NOTICE', 'AUTHORS']);

function looksLikePath(g: Git, i: number): boolean {
  const w = word(g, i);
  if (g.cmd.glob[i]) return true;
  if (w === '.' || w === '..' || w.startsWith('./') || w.startsWith('../') || w.startsWith('/') || w.startsWith(':(') || w.startsWith(':/') || w.endsWith('/')) return true;
  const base = w.slice(w.lastIndexOf('/') + 1);
  if (PATHLIKE_NAMES.has(base)) return true;
  if (base.startsWith('.') && base.length > 1) return true; // dotfiles: .env, .gitignore
  // `src/app.ts`, `package.json`: a file extension holding a letter. Version-like branch names
  // (`release/1.2`) have digits only. A branch named `fix.typo` is misread: the cost is a prompt.
  return /\.[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*$/.test(base) && !/^v?\d+(\.\d+)*/.test(base);
}

const CHECKOUT: OptSpec = {
  value: ['b', 'B', 'orphan', 'pathspec-from-file', 'conflict'],
  long: ['quiet', 'progress', 'no-progress', 'force', 'ours', 'theirs', 'track', 'no-track', 'guess', 'no-guess', 'detach', 'orphan', 'ignore-skip-worktree-bits', 'merge', 'conflict', 'patch', 'ignore-other-worktrees', 'overwrite-ignore', 'no-overwrite-ignore', 'recurse-submodules', 'no-recurse-submodules', 'overlay', 'no-overlay', 'pathspec-from-file', 'pathspec-file-nul'],
};

const checkout: Handler = (g) => {
  const p = parse(g, CHECKOUT);
  // --force throws away local changes when switching; path forms overwrite the named files.
  if (has(p, 'f', 'force')) return [discard(g, 'checkout', 'checkout --force discards local changes')];
  if (p.paths.length) return [discard(g, 'checkout', `checkout -- ${words(g, p.paths).join(' ')}`)];
  if (has(p, 'pathspec-from-file')) return [discard(g, 'checkout', 'checkout --pathspec-from-file')];
  if (has(p, 'ours', 'theirs', 'p', 'patch')) return [discard(g, 'checkout', `checkout ${has(p, 'p', 'patch') ? '--patch' : '--ours/--theirs'} ${words(g, p.operands).join(' ')}`.trim())];
  if (has(p, 'b', 'B', 'orphan')) return [local(g, has(p, 'B') ? 'checkout -B' : 'checkout -b')];
  // `checkout <tree-ish> <path>…`: a branch switch takes one operand, so two or more are paths.
  if (p.operands.length >= 2) return [discard(g, 'checkout', `checkout ${words(g, p.operands).join(' ')}`)];
  const only = p.operands[0];
  if (only !== undefined && looksLikePath(g, only)) return [discard(g, 'checkout', `checkout ${word(g, only)}`)];
  return [local(g, 'checkout')];
};

const switchCmd: Handler = (g) => {
  const p = parse(g, { value: ['c', 'C', 'create', 'force-create', 'orphan', 'conflict'], long: ['create', 'force-create', 'guess', 'no-guess', 'force', 'discard-changes', 'merge', 'conflict', 'quiet', 'progress', 'no-progress', 'track', 'no-track', 'detach', 'orphan', 'ignore-other-worktrees', 'recurse-submodules', 'no-recurse-submodules'] });
  if (has(p, 'f', 'force', 'discard-changes')) return [discard(g, 'switch', 'switch --discard-changes')];
  return [local(g, 'switch')];
};

const restore: Handler = (g) => {
  const p = parse(g, { value: ['s', 'source', 'pathspec-from-file', 'conflict'], long: ['source', 'patch', 'worktree', 'staged', 'quiet', 'progress', 'no-progress', 'ours', 'theirs', 'merge', 'conflict', 'ignore-unmerged', 'ignore-skip-worktree-bits', 'recurse-submodules', 'no-recurse-submodules', 'overlay', 'no-overlay', 'pathspec-from-file', 'pathspec-file-nul'] });
  // restore writes the worktree unless only --staged is given (then it just unstages).
  const worktree = has(p, 'W', 'worktree') || !has(p, 'S', 'staged');
  if (!worktree) return [local(g, 'restore --staged')];
  return [discard(g, 'restore', `restore ${words(g, [...p.operands, ...p.paths]).join(' ')}`.trim())];
};

const reset: Handler = (g) => {
  const p = parse(g, { value: ['pathspec-from-file'], long: ['soft', 'mixed', 'hard', 'merge', 'keep', 'patch', 'quiet', 'no-quiet', 'refresh', 'no-refresh', 'recurse-submodules', 'no-recurse-submodules', 'intent-to-add', 'pathspec-from-file', 'pathspec-file-nul'] });
  // Only --hard overwrites uncommitted changes; --merge and --keep refuse to.
  if (has(p, 'hard')) return [discard(g, 'reset', `reset --hard ${words(g, p.operands).join(' ')}`.trim())];
  if (has(p, 'p', 'patch')) return [local(g, 'reset --patch')];
  return [local(g, 'reset')];
};

const clean: Handler = (g) => {
  const p = parse(g, { value: ['e', 'exclude'], long: ['dry-run', 'force', 'interactive', 'quiet', 'exclude'] });
  if (has(p, 'n', 'dry-run')) return [read(g, 'clean --dry-run')];
  // git cleans only when forced (-f, the last of -f/--no-force wins), interactively, or when
  // clean.requireForce is false (`-c clean.requireForce=false`, the last -c wins; a repo or user
  // config that sets it cannot be seen here). Otherwise it refuses and deletes nothing.
  const flags = g.cmd.argv.slice(g.at).filter((a) => a.startsWith('-'));
  const forceFlags = flags.filter((a) => /^-[a-zA-Z]*f/.test(a) && !a.startsWith('--') || a === '--force' || a === '--no-force');
  const forced = forceFlags.length > 0 && forceFlags.at(-1) !== '--no-force';
  const requireForceOff = /^(false|no|off|0)$/i.test(g.config.get('clean.requireforce') ?? 'true');
  if (!forced && !has(p, 'i', 'interactive') && !requireForceOff) return [read(g, 'clean (refused without -f)')];
  return [discard(g, 'clean', `clean ${flags.join(' ')}`.trim())];
};

const stash: Handler = (g) => {
  const p = parse(g, { value: ['m', 'message', 'pathspec-from-file'] });
  const verb = p.operands.length ? word(g, p.operands[0]!) : 'push'; // `git stash -u` is a push
  switch (verb) {
    case 'list':
    case 'show':
      return [read(g, `stash ${verb}`)];
    case 'drop':
      return [discard(g, 'stash drop', `stash drop ${p.operands[1] === undefined ? 'stash@{0}' : word(g, p.operands[1])}`)];
    case 'clear':
      return [discard(g, 'stash clear', 'stash clear drops every stash')];
    case 'save':
      return [local(g, 'stash push')];
    default:
      return [local(g, `stash ${verb}`)];
  }
};

const BRANCH: OptSpec = {
  value: ['u', 'set-upstream-to', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at', 'sort', 'format'],
  long: ['delete', 'force', 'move', 'copy', 'list', 'all', 'remotes', 'verbose', 'quiet', 'track', 'no-track', 'set-upstream-to', 'unset-upstream', 'edit-description', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at', 'sort', 'format', 'column', 'no-column', 'color', 'no-color', 'abbrev', 'no-abbrev', 'show-current', 'create-reflog', 'recurse-submodules', 'ignore-case', 'omit-empty'],
};

const branch: Handler = (g) => {
  const p = parse(g, BRANCH);
  const names = words(g, p.operands).join(' ');
  // -D, or -d with --force, deletes a branch even when its commits are merged nowhere.
  if (has(p, 'D') || (has(p, 'd', 'delete') && has(p, 'f', 'force'))) return [discard(g, 'branch -D', `branch -D ${names}`.trim())];
  if (has(p, 'd', 'delete')) return [local(g, 'branch -d')];
  if (has(p, 'm', 'M', 'move')) return [local(g, 'branch -m')];
  if (has(p, 'c', 'C', 'copy')) return [local(g, 'branch -c')];
  if (has(p, 'u', 'set-upstream-to', 'unset-upstream', 'edit-description')) return [local(g, 'branch --set-upstream-to')];
  const listing = has(p, 'l', 'list', 'a', 'all', 'r', 'remotes', 'v', 'verbose', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at', 'show-current', 'format', 'sort');
  if (listing || p.operands.length === 0) return [read(g, 'branch')];
  return [local(g, 'branch')]; // create
};

const tag: Handler = (g) => {
  const p = parse(g, { value: ['m', 'message', 'F', 'file', 'u', 'local-user', 'contains', 'no-contains', 'points-at', 'merged', 'no-merged', 'sort', 'format', 'cleanup', 'trailer'], attached: ['n'], long: ['annotate', 'sign', 'no-sign', 'local-user', 'force', 'delete', 'verify', 'list', 'message', 'file', 'trailer', 'edit', 'cleanup', 'create-reflog', 'column', 'no-column', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at', 'sort', 'format', 'color', 'ignore-case', 'omit-empty'] });
  if (has(p, 'd', 'delete')) return [local(g, 'tag -d')];
  const listing = has(p, 'l', 'list', 'n', 'contains', 'no-contains', 'points-at', 'merged', 'no-merged', 'sort', 'format', 'v', 'verify');
  if (listing || p.operands.length === 0) return [read(g, 'tag')];
  return [local(g, 'tag')];
};

const rm: Handler = (g) => {
  const p = parse(g, { value: ['pathspec-from-file'], long: ['force', 'dry-run', 'cached', 'ignore-unmatch', 'sparse', 'quiet', 'pathspec-from-file', 'pathspec-file-nul'] });
  if (has(p, 'n', 'dry-run')) return [read(g, 'rm --dry-run')];
  // `git rm` refuses to drop uncommitted changes unless forced; --cached leaves the files.
  if (has(p, 'f', 'force') && !has(p, 'cached')) return [discard(g, 'rm', `rm --force ${words(g, [...p.operands, ...p.paths]).join(' ')}`.trim())];
  return [local(g, 'rm')];
};

/** Reading config: --get*, --list, `get`/`list`, or a key with no value. */
const CONFIG: OptSpec = {
  value: ['f', 'file', 'blob', 'type', 'default', 'comment', 'value', 'url'],
  long: ['global', 'system', 'local', 'worktree', 'file', 'blob', 'get', 'get-all', 'get-regexp', 'get-urlmatch', 'get-color', 'get-colorbool', 'add', 'replace-all', 'unset', 'unset-all', 'rename-section', 'remove-section', 'list', 'edit', 'type', 'bool', 'int', 'bool-or-int', 'path', 'expiry-date', 'no-type', 'null', 'name-only', 'includes', 'no-includes', 'show-origin', 'show-scope', 'default', 'comment', 'fixed-value', 'value', 'url', 'all', 'append', 'regexp'],
};

const CONFIG_VERBS = new Set(['list', 'get', 'set', 'unset', 'rename-section', 'remove-section', 'edit']);

const config: Handler = (g) => {
  const p = parse(g, CONFIG);
  let ops = p.operands;
  // git 2.46+ `git config <verb>`; a bare word with no dot is never a key, so no clash.
  const verb = ops.length && CONFIG_VERBS.has(word(g, ops[0]!)) ? word(g, ops[0]!) : undefined;
  if (verb) ops = ops.slice(1);
  const file = vals(p, 'f', 'file').at(-1);
  const fileWrite = (): Action[] => (file === undefined ? [] : [{ ...base(g), type: 'file.write', paths: [resolvePath(file, g.cmd, g.env, /[$`]/.test(file))] }]);
  const cfg = (i: number | undefined, runsCode: (key: string) => boolean, valueAt?: number): Action[] => {
    if (i === undefined) return [read(g, 'config')]; // no key: git prints usage
    const key = word(g, i);
    const a: ActionOf<'git.config'> = { ...base(g), type: 'git.config', key: isDyn(g, i) ? key : canonicalKey(key), runsCode: isDyn(g, i) || runsCode(key) };
    if (valueAt !== undefined) a.value = word(g, valueAt);
    return [a, ...fileWrite()];
  };

  if (verb === 'list' || verb === 'get' || has(p, 'l', 'list', 'get', 'get-all', 'get-regexp', 'get-urlmatch', 'get-color', 'get-colorbool')) return [read(g, 'config')];
  // An editor on the config file can set anything.
  if (verb === 'edit' || has(p, 'e', 'edit')) return [{ ...base(g), type: 'git.config', key: '*', runsCode: true }, ...fileWrite()];
  if (verb === 'unset' || has(p, 'unset', 'unset-all')) return cfg(ops[0], () => false);
  if (verb === 'remove-section' || has(p, 'remove-section')) return cfg(ops[0], () => false);
  if (verb === 'rename-section' || has(p, 'rename-section')) {
    // Renaming `[x]` to `[alias]` turns its entries into aliases: judge by the new name.
    return cfg(ops[1], (k) => CODE_SECTIONS.has(splitKey(k).section));
  }
  const key = ops[0];
  const value = ops[1];
  if (key === undefined || value === undefined) return [read(g, 'config')]; // `git config user.name` prints it
  return cfg(key, (k) => configRunsCode(k, word(g, value), false, isDyn(g, value)), value);
};

const remote: Handler = (g) => {
  const p = parse(g, { value: ['t', 'm', 'push'] });
  const verb = p.operands.length ? word(g, p.operands[0]!) : undefined;
  const args = words(g, p.operands.slice(1));
  switch (verb) {
    case undefined:
    case 'show':
    case 'get-url':
      return [read(g, verb ? `remote ${verb}` : 'remote')];
    case 'update':
      return [read(g, 'remote update'), ...netFetch(g, undefined)];
    case 'prune':
      return [local(g, 'remote prune'), ...netFetch(g, undefined)];
    case 'add': {
      const out: Action[] = [local(g, 'remote add'), ...transportCode(g, p, args)];
      if (has(p, 'f', 'fetch')) out.push(...netFetch(g, args[1]));
      return out;
    }
    default:
      return [local(g, `remote ${verb}`), ...transportCode(g, p, args)];
  }
};

const reflog: Handler = (g) => {
  const p = parse(g, { value: ['expire', 'expire-unreachable'] });
  const verb = p.operands.length ? word(g, p.operands[0]!) : 'show';
  // expire/delete/drop remove the entries that make dropped commits recoverable.
  if (verb === 'expire' || verb === 'delete' || verb === 'drop') return [discard(g, 'reflog', `reflog ${verb}`)];
  return [read(g, 'reflog')];
};

const gc: Handler = (g) => {
  const p = parse(g, { long: ['aggressive', 'auto', 'prune', 'no-prune', 'quiet', 'force', 'keep-largest-pack', 'detach', 'no-detach', 'cruft', 'no-cruft', 'max-cruft-size'] });
  // The default prune age is two weeks; an explicit date (`now`, `all`, …) deletes recent unreachable commits.
  // Only an expiry shorter than git's two-week default loses recent work (`now`, `all`, `1.hour.ago`).
  const prune = [...vals(p, 'prune').filter((v) => v !== ''), ...(g.config.has('gc.pruneexpire') ? [g.config.get('gc.pruneexpire')!] : [])];
  const recent = (v: string) => (/^(now|all|never|0)$/i.test(v) ? v.toLowerCase() !== 'never' : /second|minute|hour|day/i.test(v) && !/weeks?|months?|years?/i.test(v));
  const last = prune.at(-1);
  // --no-prune (after any --prune) turns pruning off for this run.
  const after = g.cmd.argv.slice(g.at);
  let lastPrune = -1;
  after.forEach((a, k) => {
    if (a.startsWith('--prune')) lastPrune = k;
  });
  const noPrune = after.lastIndexOf('--no-prune') > lastPrune;
  if (last !== undefined && recent(last) && !noPrune) return [discard(g, 'gc', `gc --prune=${last}`)];
  return [local(g, 'gc')];
};

const prune: Handler = (g) => {
  const p = parse(g, { value: ['expire'], long: ['dry-run', 'verbose', 'progress', 'expire'] });
  if (has(p, 'n', 'dry-run')) return [read(g, 'prune --dry-run')];
  return [discard(g, 'prune', 'prune deletes unreachable objects')]; // no --expire: all of them
};

const worktree: Handler = (g) => {
  const p = parse(g, { value: ['b', 'B', 'reason', 'expire'] });
  const verb = p.operands.length ? word(g, p.operands[0]!) : undefined;
  if (verb === undefined || verb === 'list') return [read(g, 'worktree list')];
  if (verb === 'add') {
    const where = p.operands[1];
    const out: Action[] = [local(g, 'worktree add')];
    if (where !== undefined) out.push({ ...base(g), type: 'file.write', paths: [resolvePath(word(g, where), g.cmd, g.env, isDyn(g, where))] });
    return out;
  }
  // remove --force deletes a worktree that still has uncommitted changes.
  if (verb === 'remove' && has(p, 'f', 'force')) return [discard(g, 'worktree remove', `worktree remove --force ${words(g, p.operands.slice(1)).join(' ')}`.trim())];
  return [local(g, `worktree ${verb}`)];
};

const submodule: Handler = (g) => {
  const p = parse(g, { value: ['b', 'branch', 'name', 'reference', 'depth', 'j', 'jobs', 'filter', 'n', 'summary-limit'] });
  const verb = p.operands.length ? word(g, p.operands[0]!) : 'status';
  switch (verb) {
    case 'status':
    case 'summary':
      return [read(g, `submodule ${verb}`)];
    case 'foreach':
      return [dynamic(g, 'git submodule foreach runs a shell command')];
    case 'update':
    case 'add': {
      const out: Action[] = [local(g, `submodule ${verb}`), ...netFetch(g, undefined)];
      if (verb === 'update' && has(p, 'f', 'force')) out.push(discard(g, 'submodule update', 'submodule update --force discards local changes'));
      return out;
    }
    case 'deinit':
      return has(p, 'f', 'force') ? [discard(g, 'submodule deinit', 'submodule deinit --force')] : [local(g, 'submodule deinit')];
    default:
      return [local(g, `submodule ${verb}`)];
  }
};

const notes: Handler = (g) => {
  const p = parse(g, { value: ['ref', 'm', 'F', 'c', 'C', 's', 'strategy'] });
  const verb = p.operands.length ? word(g, p.operands[0]!) : 'list';
  return verb === 'list' || verb === 'show' || verb === 'get-ref' ? [read(g, `notes ${verb}`)] : [local(g, `notes ${verb}`)];
};

const bisect: Handler = (g) => {
  const verb = word(g, g.at);
  if (verb === 'run') return [local(g, 'bisect run'), dynamic(g, 'git bisect run runs a command at each step')];
  if (verb === 'log' || verb === 'view' || verb === 'visualize') return [read(g, `bisect ${verb}`)];
  return [local(g, verb ? `bisect ${verb}` : 'bisect')];
};

const replace: Handler = (g) => {
  const p = parse(g, { value: ['format'] });
  if (has(p, 'l', 'list') || p.operands.length === 0) return [read(g, 'replace --list')];
  return [rewrite(g, 'replace')]; // makes history read as something else
};

const updateRef: Handler = (g) => {
  const p = parse(g, { value: ['m', 'create-reflog'] });
  if (has(p, 'd')) return [discard(g, 'update-ref', `update-ref -d ${words(g, p.operands).join(' ')}`.trim())];
  return [rewrite(g, 'update-ref')]; // can move any branch to any commit
};

const checkoutIndex: Handler = (g) => {
  const p = parse(g, { value: ['prefix', 'stage'] });
  return has(p, 'f', 'force') ? [discard(g, 'checkout-index', 'checkout-index --force')] : [local(g, 'checkout-index')];
};

const grep: Handler = (g) => {
  const p = parse(g, { value: ['e', 'f', 'A', 'B', 'C', 'max-depth', 'threads', 'max-count', 'm'], attached: ['O'] });
  // -O<prog> / --open-files-in-pager=<prog> runs that program on the matching files.
  if (vals(p, 'O', 'open-files-in-pager').some((v) => v !== '')) return [read(g, 'grep'), dynamic(g, 'git grep --open-files-in-pager runs a program')];
  return [read(g, 'grep')];
};

const difftool: Handler = (g) => {
  const p = parse(g, { value: ['t', 'tool', 'x', 'extcmd'], long: ['extcmd', 'tool', 'dir-diff', 'no-prompt', 'prompt', 'gui', 'trust-exit-code', 'tool-help', 'symlinks', 'no-symlinks'] });
  return has(p, 'x', 'extcmd') ? [local(g, 'difftool'), dynamic(g, 'git difftool --extcmd runs a command')] : [local(g, 'difftool')];
};

const lsRemote: Handler = (g) => {
  const p = parse(g, { value: ['upload-pack', 'o', 'server-option', 'sort'] });
  const repo = p.operands[0];
  return [...transportCode(g, p, words(g, p.operands.slice(0, 1))), read(g, 'ls-remote'), ...netFetch(g, repo === undefined ? undefined : word(g, repo), repo !== undefined && isDyn(g, repo))];
};

const archive: Handler = (g) => {
  const p = parse(g, { value: ['o', 'output', 'remote', 'exec', 'format', 'prefix', 'add-file', 'add-virtual-file', 'mtime'] });
  const out: Action[] = [...transportCode(g, p, vals(p, 'remote')), read(g, 'archive')];
  const remoteRepo = vals(p, 'remote').at(-1);
  if (remoteRepo !== undefined) out.push(...netFetch(g, remoteRepo));
  const o = vals(p, 'o', 'output').at(-1);
  if (o !== undefined) out.push({ ...base(g), type: 'file.write', paths: [resolvePath(o, g.cmd, g.env, /[$`]/.test(o))] });
  return out;
};

const sendEmail: Handler = (g) => [local(g, 'send-email'), { ...base(g), type: 'net.send', how: 'git send-email' }];

/** Subcommands that only read the repository (some also contact a remote, handled above). */
const READ_ONLY = new Set([
  'status', 'log', 'diff', 'show', 'blame', 'annotate', 'rev-parse', 'rev-list', 'ls-files', 'ls-tree', 'describe', 'shortlog',
  'cat-file', 'whatchanged', 'show-ref', 'show-branch', 'for-each-ref', 'name-rev', 'merge-base', 'cherry', 'diff-tree',
  'diff-files', 'diff-index', 'range-diff', 'var', 'check-ignore', 'check-attr', 'check-ref-format', 'check-mailmap',
  'count-objects', 'fsck', 'verify-commit', 'verify-tag', 'verify-pack', 'version', 'help', 'request-pull', 'get-tar-commit-id',
  'patch-id', 'show-index', 'stripspace', 'fmt-merge-msg', 'column', 'diff-pairs', 'last-modified',
]);

/** log/diff/show can write their output to a file with `--output=<file>`. */
const readOnly: Handler = (g) => {
  const p = parse(g, { value: ['output'] });
  const out: Action[] = [read(g)];
  // `git show HEAD:.env`, `git cat-file -p HEAD:.ssh/id_rsa`: the content of a committed file.
  for (const i of p.operands) {
    const w = g.cmd.argv[i]!;
    const colon = w.indexOf(':');
    if (colon <= 0 || w.includes('::') || /^[a-z+]+:\/\//.test(w) || g.cmd.dyn[i]) continue;
    const path = w.slice(colon + 1);
    if (!path) continue;
    const rel = path.startsWith('./') || path.startsWith('../') ? path : path.replace(/^\/+/, '');
    const baseDir = path.startsWith('./') || path.startsWith('../') ? g.cmd.cwd : (g.dir ?? g.cmd.cwd);
    out.push({ ...base(g), type: 'file.read', paths: [resolvePath(rel, { ...g.cmd, cwd: baseDir }, g.env)] });
  }
  for (const o of vals(p, 'output')) if (o) out.push({ ...base(g), type: 'file.write', paths: [resolvePath(o, g.cmd, g.env, /[$`]/.test(o))] });
  return out;
};

const SUBCOMMANDS = new Map<string, Handler>([
  ['push', push],
  ['fetch', fetch],
  ['pull', pull],
  ['clone', clone],
  ['init', init],
  ['commit', commit],
  ['merge', merge],
  ['rebase', rebase],
  ['am', am],
  ['apply', apply],
  ['checkout', checkout],
  ['switch', switchCmd],
  ['restore', restore],
  ['reset', reset],
  ['clean', clean],
  ['stash', stash],
  ['branch', branch],
  ['tag', tag],
  ['rm', rm],
  ['config', config],
  ['remote', remote],
  ['reflog', reflog],
  ['gc', gc],
  ['prune', prune],
  ['worktree', worktree],
  ['submodule', submodule],
  ['notes', notes],
  ['bisect', bisect],
  ['replace', replace],
  ['update-ref', updateRef],
  ['checkout-index', checkoutIndex],
  ['grep', grep],
  ['difftool', difftool],
  ['ls-remote', lsRemote],
  ['archive', archive],
  ['send-email', sendEmail],
  ['filter-branch', (g) => [rewrite(g, 'filter-branch')]],
  ['filter-repo', (g) => [rewrite(g, 'filter-repo')]],
]);

// ---------------------------------------------------------------------------------------------
// Global options

/** Global flags that change nothing the policy cares about. */
const GLOBAL_FLAGS = new Set([
  '-p', '--paginate', '-P', '--no-pager', '--bare', '--no-replace-objects', '--no-lazy-fetch', '--no-optional-locks',
  '--no-advice', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs',
]);
/** Global options that print something and exit without running a subcommand. */
const GLOBAL_EXITS = new Set(['--version', '-v', '--help', '-h', '--exec-path', '--html-path', '--man-path', '--info-path']);
/** Global options that take a value, attached (`--git-dir=x`) or as the next word. */
const GLOBAL_VALUED = new Set(['--git-dir', '--work-tree', '--namespace', '--super-prefix', '--attr-source', '--config-env']);

/** Built-in commands handled by the generic local path (an alias of the same name is ignored). */
const BUILTIN_PORCELAIN = new Set(['add', 'commit', 'mv', 'rm', 'cherry-pick', 'revert', 'format-patch', 'am', 'apply', 'bisect', 'notes', 'worktree', 'submodule', 'switch', 'restore', 'merge', 'rebase', 'tag', 'branch', 'checkout', 'reset', 'stash', 'archive', 'bundle', 'maintenance', 'sparse-checkout', 'range-diff', 'request-pull', 'send-email']);

const readGit: Reader = (cmd, index, env) => readGitAt(cmd, index, env, 0);

function readGitAt(cmd: SimpleCommand, index: number, env: ReadEnv, depth: number): Action[] {
  const argv = cmd.argv;
  const out: Action[] = [];
  let cwd: string | null = cmd.cwd;
  let gitDir: string | null | undefined;
  let workTree: string | null | undefined;
  // Resolved against the cwd as moved so far by -C, as git does.
  const abs = (p: string, dyn: boolean) => resolvePath(p, { ...cmd, cwd }, env, dyn).abs;
  // Global -c settings only become actions once the git context exists (below).
  const settings: { text: string; dyn: boolean }[] = [];
  const envSettings: string[] = [];

  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (cmd.dyn[i]) break; // a dynamic word here is taken for the subcommand
    if (a === '-C') {
      const d = argv[++i];
      if (d === undefined) break;
      if (d !== '') cwd = abs(d, cmd.dyn[i] ?? false); // `-C ''` is a no-op in git
      continue;
    }
    if (a === '-c') {
      const kv = argv[++i];
      if (kv !== undefined) settings.push({ text: kv, dyn: cmd.dyn[i] ?? false });
      continue;
    }
    if (GLOBAL_FLAGS.has(a)) continue;
    if (a.startsWith('--exec-path=')) {
      // git looks for its own sub-programs (git-status, …) in this directory and runs them.
      out.push({ cmd: index, program: 'git', type: 'code.dynamic', how: 'git --exec-path runs programs from a chosen directory' });
      continue;
    }
    if (GLOBAL_EXITS.has(a) || a.startsWith('--list-cmds=')) return [...out, { cmd: index, program: 'git', type: 'git.read', subcommand: a }];
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    if (GLOBAL_VALUED.has(name)) {
      const v = eq === -1 ? argv[++i] : a.slice(eq + 1);
      const vDyn = eq === -1 ? (cmd.dyn[i] ?? false) : false;
      if (v === undefined) break;
      if (name === '--git-dir') gitDir = abs(v, vDyn);
      else if (name === '--work-tree') workTree = abs(v, vDyn);
      else if (name === '--config-env') envSettings.push(v.includes('=') ? v.slice(0, v.indexOf('=')) : v); // key=ENVVAR
      continue;
    }
    if (a.startsWith('-')) {
      // git rejects an unknown global option and runs nothing; report it as an unknown local action.
      return [...out, { cmd: index, program: 'git', type: 'git.local', subcommand: a }];
    }
    break;
  }

  // The repository the command works on: --work-tree, else --git-dir, else the cwd after -C.
  const repo = workTree !== undefined ? workTree : gitDir !== undefined ? gitDir : cwd;
  const config = new Map<string, string>();
  for (const st of settings) {
    const eq = st.text.indexOf('=');
    config.set(canonicalKey(eq === -1 ? st.text : st.text.slice(0, eq)).toLowerCase(), eq === -1 ? 'true' : st.text.slice(eq + 1));
  }
  const g: Git = { cmd: { ...cmd, cwd }, index, env, sub: argv[i] ?? '', at: i + 1, config };
  if (repo !== null) g.dir = repo;

  // -c applies to this one invocation, but a code-running key runs its code right now.
  for (const s of settings) {
    const c = configAssignment(g, s.text, s.dyn);
    if (c.type === 'git.config' && c.runsCode) out.push(c);
  }
  // --config-env=<key>=<ENVVAR>: the value comes from the environment, unseen.
  for (const key of envSettings) if (configRunsCode(key, undefined, false, true)) out.push({ ...base(g), type: 'git.config', key: canonicalKey(key), runsCode: true });

  if (i >= argv.length) return [...out, read(g, 'help')]; // bare `git` prints usage
  if (cmd.dyn[i]) return [...out, dynamic(g, 'git with a dynamic subcommand')];
  // `git <sub> --help` is turned into `git help <sub>` by git itself.
  if (argv[i + 1] === '--help') return [...out, read(g, 'help')];

  // `git -c alias.wipe='reset --hard' wipe`: an alias defined for this invocation runs its
  // expansion (a `!` alias already is git.config runsCode above).
  const alias = config.get(`alias.${g.sub.toLowerCase()}`);
  // git ignores an alias that shadows a built-in command (`alias.status=reset --hard`).
  if (alias !== undefined && !alias.startsWith('!') && depth < 4 && !SUBCOMMANDS.has(g.sub) && !READ_ONLY.has(g.sub) && !BUILTIN_PORCELAIN.has(g.sub)) {
    const words = alias.split(/\s+/).filter(Boolean);
    const before = argv.slice(0, i);
    const after = argv.slice(i + 1);
    const expanded: SimpleCommand = { ...cmd, argv: [...before, ...words, ...after], dyn: [...cmd.dyn.slice(0, i), ...words.map(() => false), ...cmd.dyn.slice(i + 1)], glob: [...cmd.glob.slice(0, i), ...words.map(() => false), ...cmd.glob.slice(i + 1)] };
    return [...out.filter((a) => a.type === 'git.config'), ...readGitAt(expanded, index, env, depth + 1).filter((a) => a.type !== 'git.config')];
  }
  const handler = SUBCOMMANDS.get(g.sub);
  if (handler) return [...out, ...handler(g)];
  if (READ_ONLY.has(g.sub)) return [...out, ...readOnly(g)];
  // Porcelain such as add, mv, cherry-pick, revert, format-patch, and aliases: local work.
  return [...out, local(g)];
}

export const readers: Record<string, Reader> = { git: readGit };
