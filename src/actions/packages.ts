// Package managers and project script runners.
// What they describe:
//   package.install  installing what the lockfile / manifest already names (and removals, below)
//   package.add      a new or newer dependency, or any global / system package change
//   code.remote      running a package fetched for the occasion (npx, dlx, uvx, `go run x@v`, a URL)
//   deploy           publishing (npm publish, cargo publish, gem push, twine upload, …)
//   exec             project scripts (script: true, opaque) and read-only queries (known only)
// Removing a dependency (`npm uninstall X`, `pip uninstall X`, `cargo remove X`) is reported as
// package.install: it only edits the manifest / environment in scope and brings in no new code.
// Updating (`npm update`, `cargo update`, `poetry update`) is package.add: it brings in versions the
// lockfile did not pin. `code.remote.source` is the registry ('npm', 'pypi', 'go') or 'url' for
// git/URL specs.
import type { Action, SimpleCommand } from '../types.js';
import { actionBase, execKnown, execScript, execUnknown, has, optValues, parseArgs, programName, resolvePath, type ActionBase, type ParsedArgs, type Reader } from './reader.js';

type Base = ActionBase;
const base = actionBase;
const known = execKnown;
const script = execScript;
const unknown = execUnknown;
const install = (b: Base, manager: string, global = false): Action => ({ ...b, type: 'package.install', manager, global });
const publish = (b: Base, tool: string, subcommand = 'publish'): Action => ({ ...b, type: 'deploy', tool, subcommand });
function add(b: Base, manager: string, packages: string[], global: boolean, dev?: boolean): Action {
  return dev === undefined ? { ...b, type: 'package.add', manager, packages, global } : { ...b, type: 'package.add', manager, packages, global, dev };
}

const HELP = new Set(['help', '--help', '-h', '--version', '-v', '-V', 'version']);

/** Operand words of a parse. */
const words = (argv: string[], p: ParsedArgs): string[] => p.operands.map((i) => argv[i] ?? '');

/** The word at the first operand and the index where it sits, after global options. */
function subcommand(argv: string[], globalValue: ReadonlySet<string>, start = 1): { sub?: string; at: number; globals: ParsedArgs } {
  const globals = parseArgs(argv, globalValue, start, true);
  const at = globals.operands[0];
  if (at === undefined) return { at: argv.length, globals };
  return { sub: argv[at], at, globals };
}

// ---------------------------------------------------------------------------------------------
// Package specs

export type SpecKind = 'registry' | 'url' | 'local';

/** Where an npm-style spec comes from: `x@1`/`@s/x` registry; git/http/`owner/repo` url; paths local. */
export function npmSpecKind(spec: string): SpecKind {
  if (/^(https?|git(\+[a-z]+)?|ssh):/i.test(spec) || /^(github|gitlab|bitbucket|gist):/i.test(spec) || /^git@/.test(spec)) return 'url';
  if (/^(file:|\.{0,2}\/|~)/.test(spec) || spec === '.' || spec === '..' || /\.(tgz|tar\.gz)$/.test(spec)) return 'local';
  // npm reads `owner/repo` (no leading @) as a GitHub repository.
  if (!spec.startsWith('@') && /^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec)) return 'url';
  return 'registry';
}

/** Package name without version: `vitest@3` → `vitest`, `@scope/pkg@1` → `@scope/pkg`. */
export function npmName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** Python spec kind: VCS / URL, local path or archive, or a registry requirement. */
export function pySpecKind(spec: string): SpecKind {
  if (spec.includes('://') || /^git\+/.test(spec)) return 'url';
  if (/^(\.{1,2}(\/|$)|\/|~)/.test(spec) || /\.(whl|tar\.gz|zip|tgz)$/.test(spec)) return 'local';
  return 'registry';
}

/** `ruff==0.1`, `ruff[all]>=1`, `ruff@0.4` → `ruff`. */
export function pyName(spec: string): string {
  return spec.split(/[[=<>!~;@ ]/)[0] || spec;
}

/**
 * npx-style runners: the packages come from a registry (code.remote with its name), a URL
 * (code.remote source 'url'), or are local paths (a project script).
 */
function runRemote(b: Base, specs: string[], registry: string, kind: (s: string) => SpecKind, name: (s: string) => string): Action[] {
  const reg = specs.filter((s) => kind(s) === 'registry').map(name);
  const urls = specs.filter((s) => kind(s) === 'url');
  const out: Action[] = [];
  if (reg.length) out.push({ ...b, type: 'code.remote', source: registry, packages: reg });
  if (urls.length) out.push({ ...b, type: 'code.remote', source: 'url', packages: urls });
  if (!out.length) out.push(script(b));
  return out;
}

/** Adding specs: URL/git specs are remote code; registry names are new dependencies; local paths install. */
function addSpecs(b: Base, manager: string, specs: string[], global: boolean, dev: boolean | undefined, kind: (s: string) => SpecKind): Action[] {
  const reg = specs.filter((s) => kind(s) === 'registry');
  const urls = specs.filter((s) => kind(s) === 'url');
  const local = specs.filter((s) => kind(s) === 'local');
  const out: Action[] = [];
  if (reg.length) out.push(add(b, manager, reg, global, dev));
  if (urls.length) out.push({ ...b, type: 'code.remote', source: 'url', packages: urls });
  if (local.length && !reg.length && !urls.length) out.push(install(b, manager, global));
  return out;
}

/** `npm init X` / `create X` run the `create-X` package (`@s` → `@s/create`, `@s/x` → `@s/create-x`). */
export function createPackage(spec: string): string {
  const name = npmName(spec);
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    return slash === -1 ? `${name}/create` : `${name.slice(0, slash)}/create-${name.slice(slash + 1)}`;
  }
  return name.startsWith('create-') ? name : `create-${name}`;
}

// ---------------------------------------------------------------------------------------------
// npm

const NPM_GLOBAL_VALUE = new Set(['prefix', 'C', 'registry', 'cache', 'userconfig', 'globalconfig', 'w', 'workspace', 'loglevel', 'location', 'script-shell', 'node-options', 'otp']);
const NPM_VALUE = new Set([...NPM_GLOBAL_VALUE, 'tag', 'access', 'omit', 'include', 'install-strategy', 'before', 'auth-type', 'scope', 'save-prefix', 'package', 'call', 'c']);

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);
const NPM_CI = new Set(['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean']);
const NPM_INSTALL_TEST = new Set(['install-test', 'it', 'install-ci-test', 'cit']);
const NPM_UNINSTALL = new Set(['uninstall', 'unlink', 'remove', 'rm', 'r', 'un']);
const NPM_UPDATE = new Set(['update', 'up', 'upgrade', 'udpate']);
const NPM_RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const NPM_LIFECYCLE = new Set(['test', 'tst', 't', 'start', 'stop', 'restart', 'rebuild', 'rb', 'pack']);
const NPM_READ = new Set([
  'ls', 'list', 'la', 'll', 'view', 'v', 'info', 'show', 'outdated', 'search', 's', 'se', 'find',
  'help', 'help-search', 'doctor', 'ping', 'whoami', 'root', 'prefix', 'bin', 'fund', 'query',
  'explain', 'why', 'sbom', 'diff', 'docs', 'home', 'bugs', 'repo', 'completion', 'login', 'logout',
  'adduser', 'cache', 'get', 'team', 'org', 'profile', 'token', 'star', 'unstar', 'stars', 'shrinkwrap',
]);

function npmGlobal(...ps: ParsedArgs[]): boolean {
  return ps.some((p) => has(p, 'g', 'global') || optValues(p, 'location').includes('global'));
}

const npm: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at, globals } = subcommand(argv, NPM_GLOBAL_VALUE);
  if (sub === undefined) return [known(b)];
  const p = parseArgs(argv, NPM_VALUE, at + 1);
  const ops = words(argv, p);
  const global = npmGlobal(globals, p);
  const dev = has(p, 'D', 'save-dev', 'dev');
  if (NPM_INSTALL.has(sub)) {
    if (ops.length === 0) return [install(b, 'npm', global)];
    return addSpecs(b, 'npm', ops, global, dev, npmSpecKind);
  }
  if (NPM_CI.has(sub)) return [install(b, 'npm', false)];
  if (NPM_INSTALL_TEST.has(sub)) return [install(b, 'npm', false), script(b)];
  if (NPM_UNINSTALL.has(sub) || sub === 'prune' || sub === 'dedupe' || sub === 'ddp') return [install(b, 'npm', global)];
  if (NPM_UPDATE.has(sub)) return [add(b, 'npm', ops, global)];
  if (sub === 'link' || sub === 'ln') return ops.length ? [add(b, 'npm', ops, false)] : [install(b, 'npm', true)];
  if (sub === 'exec' || sub === 'x') {
    const e = parseArgs(argv, NPM_VALUE, at + 1, true);
    const pkgs = optValues(e, 'package');
    const first = e.operands[0];
    if (pkgs.length === 0 && (has(e, 'call', 'c') || first === undefined)) return [script(b)];
    return runRemote(b, pkgs.length ? pkgs : [argv[first!] ?? ''], 'npm', npmSpecKind, npmName);
  }
  if (sub === 'init' || sub === 'create' || sub === 'innit') {
    const first = ops[0];
    if (first === undefined) return [{ ...b, type: 'file.write', paths: [resolvePath('package.json', cmd, env)] }];
    return runRemote(b, [first], 'npm', npmSpecKind, createPackage);
  }
  if (NPM_RUN.has(sub)) return ops.length ? [script(b)] : [known(b)];
  if (NPM_LIFECYCLE.has(sub)) return [script(b)];
  if (sub === 'version') return ops.length ? [script(b)] : [known(b)];
  if (sub === 'audit') return ops[0] === 'fix' ? [add(b, 'npm', [], false)] : [known(b)];
  if (sub === 'publish' || sub === 'unpublish' || sub === 'deprecate') return has(p, 'dry-run') ? [known(b)] : [publish(b, 'npm', sub)];
  if (sub === 'dist-tag' || sub === 'owner' || sub === 'access') {
    const action = ops[0] ?? '';
    return ['add', 'rm', 'remove', 'grant', 'revoke', 'set'].includes(action) ? [publish(b, 'npm', `${sub} ${action}`)] : [known(b)];
  }
  if (sub === 'config' || sub === 'c' || sub === 'set') {
    const action = sub === 'set' ? 'set' : (ops[0] ?? '');
    if (['set', 'delete', 'edit', 'fix'].includes(action)) {
      const loc = optValues(p, 'location')[0];
      const file = loc === 'project' ? '.npmrc' : '~/.npmrc';
      return [{ ...b, type: 'file.write', paths: [resolvePath(file, cmd, env)] }];
    }
    return [known(b)];
  }
  if (sub === 'pkg') {
    const action = ops[0] ?? '';
    return ['set', 'delete', 'fix'].includes(action) ? [{ ...b, type: 'file.write', paths: [resolvePath('package.json', cmd, env)] }] : [known(b)];
  }
  if (NPM_READ.has(sub) || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

// npx / bunx: `npx [opts] pkg[@v] [args]`; `-p pkg` names the package, `-c 'cmd'` runs a string.
const NPX_VALUE = new Set(['p', 'package', 'c', 'call', 'registry', 'cache', 'userconfig', 'node-options', 'n', 'node-arg', 'shell', 'w', 'workspace', 'script-shell']);

function npxLike(registryName: string): Reader {
  return (cmd, index) => {
    const b = base(cmd, index);
    const p = parseArgs(cmd.argv, NPX_VALUE, 1, true);
    const pkgs = optValues(p, 'p', 'package');
    const first = p.operands[0];
    if (pkgs.length === 0 && first === undefined) return has(p, 'c', 'call') ? [script(b)] : [known(b)];
    if (pkgs.length === 0 && has(p, 'c', 'call')) return [script(b)];
    return runRemote(b, pkgs.length ? pkgs : [cmd.argv[first!] ?? ''], registryName, npmSpecKind, npmName);
  };
}

// ---------------------------------------------------------------------------------------------
// pnpm

const PNPM_GLOBAL_VALUE = new Set(['C', 'dir', 'filter', 'F', 'filter-prod', 'workspace-concurrency', 'reporter', 'loglevel', 'store-dir', 'virtual-store-dir', 'modules-dir', 'lockfile-dir', 'test-pattern', 'changed-files-ignore-pattern', 'resume-from']);
const PNPM_VALUE = new Set([...PNPM_GLOBAL_VALUE, 'package', 'tag', 'access', 'otp', 'publish-branch', 'config-dir']);
const PNPM_READ = new Set(['ls', 'list', 'll', 'la', 'why', 'outdated', 'licenses', 'root', 'bin', 'store', 'view', 'info', 'show', 'v', 'help', 'config', 'c', 'doctor', 'server', 'setup', 'completion', 'cat-file', 'cat-index', 'find-hash', 'login', 'logout', 'whoami', 'search']);

const pnpm: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at, globals } = subcommand(argv, PNPM_GLOBAL_VALUE);
  if (sub === undefined) return [known(b)];
  const p = parseArgs(argv, PNPM_VALUE, at + 1);
  const ops = words(argv, p);
  const global = has(globals, 'g', 'global') || has(p, 'g', 'global');
  const dev = has(p, 'D', 'save-dev');
  switch (sub) {
    case 'install':
    case 'i':
    case 'add':
      if (ops.length === 0) return [install(b, 'pnpm', global)];
      return addSpecs(b, 'pnpm', ops, global, dev, npmSpecKind);
    case 'ci':
    case 'fetch':
    case 'import':
    case 'prune':
    case 'dedupe':
    case 'remove':
    case 'rm':
    case 'uninstall':
    case 'un':
    case 'uni':
    case 'link':
    case 'ln':
    case 'unlink':
      return [install(b, 'pnpm', global)];
    case 'install-test':
    case 'it':
      return [install(b, 'pnpm'), script(b)];
    case 'update':
    case 'up':
    case 'upgrade':
      return [add(b, 'pnpm', ops, global)];
    case 'dlx': {
      const e = parseArgs(argv, PNPM_VALUE, at + 1, true);
      const pkgs = optValues(e, 'package');
      const first = e.operands[0];
      if (pkgs.length === 0 && first === undefined) return [known(b)];
      return runRemote(b, pkgs.length ? pkgs : [argv[first!] ?? ''], 'npm', npmSpecKind, npmName);
    }
    case 'create':
      return ops[0] === undefined ? [known(b)] : runRemote(b, [ops[0]], 'npm', npmSpecKind, createPackage);
    case 'publish':
      return has(p, 'dry-run') ? [known(b)] : [publish(b, 'pnpm')];
    case 'audit':
      return has(p, 'fix') ? [add(b, 'pnpm', [], false)] : [known(b)];
    case 'self-update':
      return [add(b, 'pnpm', ['pnpm'], true)];
    case 'env':
      return ops[0] === 'use' || ops[0] === 'add' ? [add(b, 'pnpm', ops.slice(1).map((v) => `node@${v}`), true)] : [known(b)];
  }
  if (PNPM_READ.has(sub) || HELP.has(sub)) return [known(b)];
  // exec, run, test, start, and `pnpm <script>`: the project's own code.
  return [script(b)];
};

// ---------------------------------------------------------------------------------------------
// yarn (classic and berry)

const YARN_GLOBAL_VALUE = new Set(['cwd', 'modules-folder', 'cache-folder', 'mutex', 'network-timeout', 'registry', 'global-folder', 'link-folder', 'use-yarnrc', 'network-concurrency', 'otp']);
const YARN_VALUE = new Set([...YARN_GLOBAL_VALUE, 'p', 'package', 'tag', 'access', 'new-version']);
const YARN_READ = new Set(['list', 'info', 'why', 'outdated', 'audit', 'licenses', 'help', 'bin', 'cache', 'config', 'owner', 'explain', 'constraints', 'login', 'logout', 'search', 'check', 'dir']);

const yarn: Reader = (cmd, index, env) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at, globals } = subcommand(argv, YARN_GLOBAL_VALUE);
  if (sub === undefined) return has(globals, 'v', 'version', 'h', 'help') ? [known(b)] : [install(b, 'yarn')];
  const p = parseArgs(argv, YARN_VALUE, at + 1);
  const ops = words(argv, p);
  const dev = has(p, 'D', 'dev');
  switch (sub) {
    case 'install':
      return ops.length ? addSpecs(b, 'yarn', ops, false, dev, npmSpecKind) : [install(b, 'yarn')];
    case 'add':
      return ops.length ? addSpecs(b, 'yarn', ops, false, dev, npmSpecKind) : [install(b, 'yarn')];
    case 'remove':
    case 'dedupe':
    case 'link':
    case 'unlink':
    case 'prune':
      return [install(b, 'yarn')];
    case 'up':
    case 'upgrade':
    case 'upgrade-interactive':
      return [add(b, 'yarn', ops, false)];
    case 'global': {
      const action = ops[0] ?? '';
      if (action === 'add') return addSpecs(b, 'yarn', ops.slice(1), true, undefined, npmSpecKind);
      if (action === 'upgrade' || action === 'upgrade-interactive') return [add(b, 'yarn', ops.slice(1), true)];
      if (action === 'remove') return [install(b, 'yarn', true)];
      return [known(b)];
    }
    case 'dlx': {
      const e = parseArgs(argv, YARN_VALUE, at + 1, true);
      const pkgs = optValues(e, 'p', 'package');
      const first = e.operands[0];
      if (pkgs.length === 0 && first === undefined) return [known(b)];
      return runRemote(b, pkgs.length ? pkgs : [argv[first!] ?? ''], 'npm', npmSpecKind, npmName);
    }
    case 'create':
      return ops[0] === undefined ? [known(b)] : runRemote(b, [ops[0]], 'npm', npmSpecKind, createPackage);
    case 'publish':
      return [publish(b, 'yarn')];
    case 'npm': {
      const action = ops[0] ?? '';
      if (action === 'publish') return [publish(b, 'yarn')];
      if (action === 'tag' && ['add', 'remove'].includes(ops[1] ?? '')) return [publish(b, 'yarn', `npm tag ${ops[1]}`)];
      return [known(b)];
    }
    case 'workspace': {
      // `yarn workspace <name> <command…>`: the command is read as if run by yarn itself.
      const rest = argv.slice(at + 2);
      return yarn({ ...cmd, argv: [argv[0] ?? 'yarn', ...rest], dyn: [false, ...cmd.dyn.slice(at + 2)], glob: [false, ...cmd.glob.slice(at + 2)] }, index, env);
    }
    case 'workspaces': {
      const action = ops[0] ?? '';
      if (action === 'focus') return [install(b, 'yarn')];
      if (action === 'foreach' || action === 'run') return [script(b)];
      return [known(b)];
    }
    case 'plugin':
      return ops[0] === 'import' && ops[1] ? [add(b, 'yarn', [ops[1]], false)] : [known(b)];
  }
  if (YARN_READ.has(sub) || HELP.has(sub)) return [known(b)];
  // run, test, start, exec, node, and `yarn <script>`.
  return [script(b)];
};

// ---------------------------------------------------------------------------------------------
// bun / bunx

const BUN_GLOBAL_VALUE = new Set(['cwd', 'config', 'c', 'env-file', 'preload', 'r', 'tsconfig-override', 'conditions', 'main-fields', 'extension-order', 'port']);

const bun: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at, globals } = subcommand(argv, BUN_GLOBAL_VALUE);
  // Inline code (`bun -e`) belongs to the interpreter reader; unknown here, never understood.
  if (has(globals, 'e', 'eval', 'p', 'print')) return [unknown(b)];
  if (sub === undefined) return [known(b)];
  const p = parseArgs(argv, BUN_GLOBAL_VALUE, at + 1);
  const ops = words(argv, p);
  const global = has(p, 'g', 'global');
  const dev = has(p, 'd', 'D', 'dev', 'development');
  switch (sub) {
    case 'install':
    case 'i':
    case 'add':
    case 'a':
      return ops.length ? addSpecs(b, 'bun', ops, global, dev, npmSpecKind) : [install(b, 'bun', global)];
    case 'remove':
    case 'rm':
    case 'link':
    case 'unlink':
      return [install(b, 'bun', global)];
    case 'update':
      return [add(b, 'bun', ops, global)];
    case 'x': {
      const e = parseArgs(argv, new Set(['p', 'package']), at + 1, true);
      const pkgs = optValues(e, 'p', 'package');
      const first = e.operands[0];
      if (pkgs.length === 0 && first === undefined) return [known(b)];
      return runRemote(b, pkgs.length ? pkgs : [argv[first!] ?? ''], 'npm', npmSpecKind, npmName);
    }
    case 'create':
    case 'c':
      return ops[0] === undefined ? [known(b)] : runRemote(b, [ops[0]], 'npm', npmSpecKind, createPackage);
    case 'publish':
      return has(p, 'dry-run') ? [known(b)] : [publish(b, 'bun')];
    case 'upgrade':
      return [add(b, 'bun', ['bun'], true)];
    case 'pm':
      return ops[0] === 'trust' ? [script(b)] : [known(b)];
    case 'build':
    case 'init':
    case 'outdated':
    case 'info':
    case 'why':
    case 'audit':
    case 'patch':
    case 'completions':
      return [known(b)];
  }
  if (HELP.has(sub)) return [known(b)];
  // run, test, repl, `bun file.ts`, `bun <script>`.
  return [script(b)];
};

// ---------------------------------------------------------------------------------------------
// pip / pip3 (and `uv pip`)

const PIP_GLOBAL_VALUE = new Set(['python', 'log', 'proxy', 'retries', 'timeout', 'exists-action', 'trusted-host', 'cert', 'client-cert', 'cache-dir', 'use-feature', 'use-deprecated', 'progress-bar', 'root-user-action', 'keyring-provider', 'resume-retries', 'log-file']);
const PIP_INSTALL_VALUE = new Set([
  ...PIP_GLOBAL_VALUE, 'r', 'requirement', 'e', 'editable', 'c', 'constraint', 'i', 'index-url',
  'extra-index-url', 'f', 'find-links', 't', 'target', 'prefix', 'root', 'src', 'upgrade-strategy',
  'python-version', 'platform', 'implementation', 'abi', 'only-binary', 'no-binary', 'report', 'C',
  'config-settings', 'global-option', 'install-option', 'group', 'p', 'index', 'default-index',
  'override', 'overrides', 'exclude-newer', 'resolution', 'prerelease', 'index-strategy', 'link-mode',
]);
const PIP_READ = new Set(['list', 'show', 'freeze', 'check', 'config', 'help', 'search', 'index', 'inspect', 'debug', 'hash', 'cache', 'completion', 'download', 'tree', 'compile']);

/** `pip install …` / `uv pip install …` from argv[start] (after `install`). */
function pipInstall(cmd: SimpleCommand, b: Base, manager: string, start: number, sudo: boolean): Action[] {
  const p = parseArgs(cmd.argv, PIP_INSTALL_VALUE, start);
  const specs = [...words(cmd.argv, p), ...optValues(p, 'e', 'editable')];
  const fromFiles = has(p, 'r', 'requirement');
  const global = sudo || has(p, 'user', 'break-system-packages', 'system', 'prefix', 'root');
  const out: Action[] = [];
  if (fromFiles) out.push(install(b, manager, global));
  const rest = addSpecs(b, manager, specs, global, undefined, pySpecKind);
  // `pip install .` / `-e .`: the project itself.
  for (const a of rest) if (!(fromFiles && a.type === 'package.install')) out.push(a);
  return out.length ? out : [install(b, manager, global)];
}

const pip: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at } = subcommand(argv, PIP_GLOBAL_VALUE);
  const sudo = cmd.via.some((v) => v === 'sudo' || v === 'doas');
  if (sub === undefined) return [known(b)];
  switch (sub) {
    case 'install':
      return pipInstall(cmd, b, 'pip', at + 1, sudo);
    case 'uninstall':
      return [install(b, 'pip', sudo)];
    case 'wheel':
      return [script(b)];
  }
  if (PIP_READ.has(sub) || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

// ---------------------------------------------------------------------------------------------
// pipx, uv, uvx, poetry

const PIPX_VALUE = new Set(['spec', 'python', 'pip-args', 'index-url', 'suffix', 'backend', 'global']);

const pipx: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at } = subcommand(argv, PIPX_VALUE);
  if (sub === undefined) return [known(b)];
  if (sub === 'run') {
    const e = parseArgs(argv, PIPX_VALUE, at + 1, true);
    const spec = optValues(e, 'spec')[0];
    const first = e.operands[0];
    if (spec === undefined && first === undefined) return [known(b)];
    return runRemote(b, [spec ?? argv[first!] ?? ''], 'pypi', pySpecKind, pyName);
  }
  const p = parseArgs(argv, PIPX_VALUE, at + 1);
  const ops = words(argv, p);
  switch (sub) {
    case 'install':
      return addSpecs(b, 'pipx', ops, true, undefined, pySpecKind);
    case 'inject':
      return addSpecs(b, 'pipx', ops.slice(1), true, undefined, pySpecKind);
    case 'upgrade':
    case 'upgrade-all':
    case 'reinstall':
    case 'reinstall-all':
    case 'upgrade-shared':
      return [add(b, 'pipx', ops, true)];
    case 'uninstall':
    case 'uninstall-all':
    case 'uninject':
      return [install(b, 'pipx', true)];
    case 'list':
    case 'environment':
    case 'completions':
    case 'interpreter':
      return [known(b)];
  }
  if (HELP.has(sub)) return [known(b)];
  // ensurepath edits shell start-up files; runpip runs pip in a venv: not modelled.
  return [unknown(b)];
};

const UV_GLOBAL_VALUE = new Set(['directory', 'project', 'cache-dir', 'config-file', 'color', 'allow-insecure-host']);
const UV_VALUE = new Set([
  ...UV_GLOBAL_VALUE, 'with', 'with-editable', 'with-requirements', 'python', 'p', 'package', 'extra',
  'group', 'env-file', 'index', 'index-url', 'extra-index-url', 'default-index', 'find-links', 'f',
  'from', 'optional', 'bounds', 'branch', 'tag', 'rev', 'script', 'only-group', 'no-group',
  'python-preference', 'index-strategy', 'keyring-provider', 'resolution', 'prerelease',
  'exclude-newer', 'link-mode', 'r', 'requirements', 'c', 'constraints', 'marker', 'm', 'token',
  'username', 'password', 'publish-url', 'check-url', 'out-dir', 'o',
]);

/** `uvx` / `uv tool run`: `--from spec` names the package, `--with x` adds more. */
function uvxRun(cmd: SimpleCommand, b: Base, start: number): Action[] {
  const p = parseArgs(cmd.argv, UV_VALUE, start, true);
  const from = optValues(p, 'from');
  const first = p.operands[0];
  const specs = [...(from.length ? from : first !== undefined ? [cmd.argv[first] ?? ''] : []), ...optValues(p, 'with').flatMap((w) => w.split(','))];
  if (specs.length === 0) return [known(b)];
  return runRemote(b, specs, 'pypi', pySpecKind, pyName);
}

const uv: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at } = subcommand(argv, UV_GLOBAL_VALUE);
  if (sub === undefined) return [known(b)];
  const p = parseArgs(argv, UV_VALUE, at + 1);
  const ops = words(argv, p);
  const next = ops[0] ?? '';
  const global = has(p, 'system');
  switch (sub) {
    case 'sync':
    case 'lock':
    case 'remove':
      return [install(b, 'uv')];
    case 'add': {
      const dev = has(p, 'dev') || optValues(p, 'group').length > 0;
      const fromFiles = has(p, 'r', 'requirements');
      const out = addSpecs(b, 'uv', ops, false, dev, pySpecKind);
      if (fromFiles) out.unshift(install(b, 'uv'));
      return out.length ? out : [install(b, 'uv')];
    }
    case 'pip': {
      const pipAt = p.operands[0];
      if (next === 'install') return pipInstall(cmd, b, 'uv', (pipAt ?? at) + 1, global);
      if (next === 'uninstall' || next === 'sync') return [install(b, 'uv', global)];
      return [known(b)];
    }
    case 'run': {
      const r = parseArgs(argv, UV_VALUE, at + 1, true);
      const withs = optValues(r, 'with').flatMap((w) => w.split(','));
      return withs.length ? [...runRemote(b, withs, 'pypi', pySpecKind, pyName), script(b)] : [script(b)];
    }
    case 'tool': {
      const toolAt = p.operands[0];
      if (next === 'run') return uvxRun(cmd, b, (toolAt ?? at) + 1);
      if (next === 'install') return addSpecs(b, 'uv', [...ops.slice(1), ...optValues(p, 'with')], true, undefined, pySpecKind);
      if (next === 'upgrade') return [add(b, 'uv', ops.slice(1), true)];
      if (next === 'uninstall') return [install(b, 'uv', true)];
      if (next === 'list' || next === 'dir') return [known(b)];
      return [unknown(b)];
    }
    case 'python':
      if (next === 'install' || next === 'upgrade') return [add(b, 'uv', ops.length > 1 ? ops.slice(1).map((v) => `python@${v}`) : ['python'], true)];
      if (next === 'uninstall') return [install(b, 'uv', true)];
      return [known(b)];
    case 'self':
      return next === 'update' ? [add(b, 'uv', ['uv'], true)] : [known(b)];
    case 'publish':
      return has(p, 'dry-run') ? [known(b)] : [publish(b, 'uv')];
    case 'build':
      return [script(b)];
    case 'init':
    case 'venv':
    case 'tree':
    case 'export':
    case 'cache':
    case 'format':
    case 'generate-shell-completion':
      return [known(b)];
  }
  if (HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

const uvx: Reader = (cmd, index) => uvxRun(cmd, base(cmd, index), 1);

const POETRY_GLOBAL_VALUE = new Set(['C', 'directory', 'P', 'project']);
const POETRY_VALUE = new Set([...POETRY_GLOBAL_VALUE, 'G', 'group', 'E', 'extras', 'source', 'python', 'platform', 'markers', 'r', 'repository', 'u', 'username', 'p', 'password', 'cert', 'client-cert', 'with', 'without', 'only', 'o', 'output', 'f', 'format']);

const poetry: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  const { sub, at } = subcommand(argv, POETRY_GLOBAL_VALUE);
  if (sub === undefined) return [known(b)];
  const p = parseArgs(argv, POETRY_VALUE, at + 1);
  const ops = words(argv, p);
  switch (sub) {
    case 'install':
    case 'sync':
    case 'lock':
    case 'remove':
      return [install(b, 'poetry')];
    case 'add': {
      const group = optValues(p, 'G', 'group')[0];
      const dev = has(p, 'D', 'dev') || (group !== undefined && group !== 'main');
      const out = addSpecs(b, 'poetry', ops, false, dev, pySpecKind);
      return out.length ? out : [install(b, 'poetry')];
    }
    case 'update':
    case 'up':
      return [add(b, 'poetry', ops, false)];
    case 'publish':
      return has(p, 'dry-run') ? [known(b)] : [publish(b, 'poetry')];
    case 'run':
    case 'build':
      return [script(b)];
    case 'self': {
      const action = ops[0] ?? '';
      if (action === 'add' || action === 'install') return addSpecs(b, 'poetry', ops.slice(1), true, undefined, pySpecKind);
      if (action === 'update') return [add(b, 'poetry', ['poetry'], true)];
      if (action === 'remove') return [install(b, 'poetry', true)];
      return [known(b)];
    }
  }
  if (['shell', 'show', 'check', 'env', 'config', 'about', 'list', 'search', 'debug', 'source', 'init', 'new', 'export', 'cache'].includes(sub) || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

// twine: `twine upload dist/*` publishes to PyPI.
const twine: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { sub } = subcommand(cmd.argv, new Set(['r', 'repository', 'repository-url', 'u', 'username', 'p', 'password', 'config-file', 'cert', 'client-cert', 'c', 'comment', 'i', 'identity', 'sign-with']));
  return sub === 'upload' || sub === 'register' ? [publish(b, 'twine', 'publish')] : [known(b)];
};

// ---------------------------------------------------------------------------------------------
// cargo

const CARGO_GLOBAL_VALUE = new Set(['C', 'config', 'Z', 'color']);
const CARGO_VALUE = new Set([
  ...CARGO_GLOBAL_VALUE, 'version', 'vers', 'git', 'branch', 'tag', 'rev', 'path', 'root', 'index',
  'registry', 'features', 'F', 'j', 'jobs', 'profile', 'target', 'target-dir', 'bin', 'example',
  'p', 'package', 'manifest-path', 'rename', 'token', 'precise', 'message-format', 'test', 'bench',
  'exclude', 'lockfile-path',
]);
const CARGO_READ = new Set(['tree', 'metadata', 'search', 'version', 'help', 'pkgid', 'locate-project', 'read-manifest', 'verify-project', 'info', 'report', 'fmt', 'clean', 'new', 'init', 'package', 'config', 'login', 'logout', 'vendor']);

const cargo: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  // `cargo +nightly build`: the toolchain comes first.
  const start = argv[1]?.startsWith('+') ? 2 : 1;
  const { sub, at } = subcommand(argv, CARGO_GLOBAL_VALUE, start);
  if (sub === undefined) return [known(b)];
  const p = parseArgs(argv, CARGO_VALUE, at + 1);
  const ops = words(argv, p);
  const git = optValues(p, 'git');
  switch (sub) {
    case 'build':
    case 'b':
    case 'check':
    case 'c':
    case 'fetch':
    case 'doc':
    case 'd':
    case 'clippy':
    case 'generate-lockfile':
    case 'remove':
    case 'rm':
      return [install(b, 'cargo')];
    case 'test':
    case 't':
    case 'run':
    case 'r':
    case 'bench':
    case 'fix':
      return [script(b)];
    case 'add': {
      if (git.length) return [{ ...b, type: 'code.remote', source: 'url', packages: git }];
      const dev = has(p, 'dev', 'build');
      const path = optValues(p, 'path');
      if (path.length && ops.length === 0) return [install(b, 'cargo')];
      return [add(b, 'cargo', ops, false, dev)];
    }
    case 'install': {
      if (git.length) return [{ ...b, type: 'code.remote', source: 'url', packages: git }, add(b, 'cargo', ops.length ? ops : git, true)];
      if (ops.length === 0) return [install(b, 'cargo', true)];
      return [add(b, 'cargo', ops, true)];
    }
    case 'uninstall':
      return [install(b, 'cargo', true)];
    case 'update':
      return [add(b, 'cargo', optValues(p, 'p', 'package'), false)];
    case 'publish':
      return has(p, 'dry-run', 'n') ? [known(b)] : [publish(b, 'cargo')];
    case 'yank':
      return [publish(b, 'cargo', 'yank')];
    case 'owner':
      return has(p, 'a', 'add', 'r', 'remove') ? [publish(b, 'cargo', 'owner')] : [known(b)];
  }
  if (CARGO_READ.has(sub) || HELP.has(sub)) return [known(b)];
  // `cargo foo` runs a cargo-foo plugin.
  return [unknown(b)];
};

// ---------------------------------------------------------------------------------------------
// go: flags are single-dash words (`-ldflags x`, `-o=out`).

const GO_VALUE = new Set([
  'o', 'ldflags', 'gcflags', 'asmflags', 'gccgoflags', 'tags', 'p', 'mod', 'modfile', 'overlay',
  'pkgdir', 'exec', 'run', 'bench', 'count', 'timeout', 'coverprofile', 'covermode', 'coverpkg',
  'toolexec', 'buildmode', 'compiler', 'installsuffix', 'pgo', 'cpu', 'parallel', 'C', 'skip',
  'benchtime', 'cpuprofile', 'memprofile', 'blockprofile', 'mutexprofile', 'trace', 'outputdir',
  'json', 'f', 'fuzz', 'fuzztime', 'shuffle', 'reldir',
]);

function goOperands(argv: string[], start: number): string[] {
  const out: string[] = [];
  for (let i = start; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-')) {
      const name = a.replace(/^--?/, '');
      if (!name.includes('=') && GO_VALUE.has(name)) i++;
      continue;
    }
    out.push(a);
    // `go run pkg args…`: what follows the package belongs to the program.
  }
  return out;
}

const go: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const argv = cmd.argv;
  let at = 1;
  while (at < argv.length && argv[at]!.startsWith('-')) at += argv[at] === '-C' ? 2 : 1;
  const sub = argv[at];
  if (sub === undefined) return [known(b)];
  const ops = goOperands(argv, at + 1);
  const next = ops[0] ?? '';
  switch (sub) {
    case 'build':
      return [install(b, 'go')];
    case 'mod':
      return ['download', 'tidy', 'vendor', 'verify'].includes(next) ? [install(b, 'go')] : [known(b)];
    case 'work':
      return ['sync', 'vendor'].includes(next) ? [install(b, 'go')] : [known(b)];
    case 'get':
      return ops.length ? [add(b, 'go', ops.map((o) => o.split('@')[0] ?? o), false)] : [install(b, 'go')];
    case 'install': {
      // `go install pkg@version` fetches the module: a global add. Without a version it builds local code.
      const remote = ops.filter((o) => o.includes('@'));
      return remote.length ? [add(b, 'go', remote.map((o) => o.split('@')[0] ?? o), true)] : [install(b, 'go', true)];
    }
    case 'run': {
      const target = next;
      if (target.includes('@')) return [{ ...b, type: 'code.remote', source: 'go', packages: [target.split('@')[0] ?? target] }];
      return [script(b)];
    }
    case 'test':
    case 'generate':
    case 'tool':
      return [script(b)];
    case 'version':
    case 'env':
    case 'list':
    case 'doc':
    case 'help':
    case 'fmt':
    case 'vet':
    case 'clean':
    case 'bug':
    case 'telemetry':
    case 'fix':
      return [known(b)];
  }
  return [unknown(b)];
};

// ---------------------------------------------------------------------------------------------
// gem, bundle

const GEM_VALUE = new Set(['v', 'version', 'i', 'install-dir', 'n', 'bindir', 's', 'source', 'platform', 'P', 'trust-policy', 'g', 'file', 'build-root', 'k', 'key', 'host', 'otp']);

const gem: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { sub, at } = subcommand(cmd.argv, GEM_VALUE);
  if (sub === undefined) return [known(b)];
  const p = parseArgs(cmd.argv, GEM_VALUE, at + 1);
  const ops = words(cmd.argv, p);
  // Gems install into the Ruby environment, outside the project: always global.
  switch (sub) {
    case 'install':
    case 'i':
      return ops.length ? [add(b, 'gem', ops, true)] : [install(b, 'gem', true)];
    case 'update':
      return [add(b, 'gem', ops, true)];
    case 'uninstall':
    case 'cleanup':
      return [install(b, 'gem', true)];
    case 'push':
      return [publish(b, 'gem')];
    case 'yank':
    case 'owner':
      return [publish(b, 'gem', sub)];
  }
  if (['list', 'search', 'info', 'env', 'environment', 'which', 'contents', 'specification', 'query', 'dependency', 'outdated', 'build', 'cert', 'sources', 'signin', 'signout', 'fetch', 'open', 'stale', 'lock', 'check'].includes(sub) || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

const BUNDLE_VALUE = new Set(['gemfile', 'path', 'jobs', 'j', 'retry', 'without', 'with', 'binstubs', 'standalone', 'trust-policy', 'version', 'v', 'group', 'g', 'source', 's', 'git', 'branch', 'ref', 'github', 'require']);

const bundle: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { sub, at } = subcommand(cmd.argv, BUNDLE_VALUE);
  if (sub === undefined || sub === 'install' || sub === 'i' || sub === 'lock' || sub === 'cache' || sub === 'package' || sub === 'remove') return [install(b, 'bundle')];
  const p = parseArgs(cmd.argv, BUNDLE_VALUE, at + 1);
  const ops = words(cmd.argv, p);
  switch (sub) {
    case 'add': {
      const git = optValues(p, 'git', 'github');
      if (git.length) return [{ ...b, type: 'code.remote', source: 'url', packages: git }];
      const group = optValues(p, 'group', 'g')[0];
      return [add(b, 'bundle', ops, false, group !== undefined && /development|test/.test(group))];
    }
    case 'update':
      return [add(b, 'bundle', ops, false)];
    case 'exec':
    case 'console':
      return [script(b)];
  }
  if (['list', 'show', 'info', 'outdated', 'check', 'config', 'doctor', 'platform', 'licenses', 'viz', 'init', 'gem', 'binstubs', 'open', 'clean', 'pristine', 'plugin'].includes(sub) || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

// ---------------------------------------------------------------------------------------------
// System package managers: every change is global.

const APT_VALUE = new Set(['o', 'c', 't', 'a', 'target-release', 'option', 'config-file', 'host-architecture']);
const APT_CHANGE = new Set(['install', 'reinstall', 'remove', 'purge', 'autoremove', 'autopurge', 'update', 'upgrade', 'full-upgrade', 'dist-upgrade', 'build-dep', 'satisfy', 'markauto', 'unmarkauto']);

const apt: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const manager = programName(cmd.argv[0] ?? 'apt');
  const { sub, at } = subcommand(cmd.argv, APT_VALUE);
  if (sub === undefined) return [known(b)];
  if (APT_CHANGE.has(sub)) {
    const p = parseArgs(cmd.argv, APT_VALUE, at + 1);
    return [add(b, manager, words(cmd.argv, p), true)];
  }
  if (['list', 'search', 'show', 'policy', 'depends', 'rdepends', 'changelog', 'download', 'source', 'help', 'moo', 'check', 'clean', 'autoclean', 'showsrc'].includes(sub) || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

const BREW_CHANGE = new Set(['install', 'reinstall', 'upgrade', 'uninstall', 'remove', 'rm', 'update', 'tap', 'untap', 'link', 'ln', 'unlink', 'pin', 'unpin', 'cleanup', 'autoremove', 'migrate']);

const brew: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const { sub, at } = subcommand(cmd.argv, new Set());
  if (sub === undefined) return [known(b)];
  const p = parseArgs(cmd.argv, new Set(['appdir', 'fontdir', 'language']), at + 1);
  const ops = words(cmd.argv, p);
  if (BREW_CHANGE.has(sub)) return [add(b, 'brew', ops, true)];
  if (sub === 'bundle') return ops[0] === undefined || ops[0] === 'install' ? [install(b, 'brew', true)] : [known(b)];
  if (sub === 'services') return [known(b)];
  if (['list', 'ls', 'info', 'abv', 'search', 'outdated', 'deps', 'uses', 'config', 'doctor', 'home', 'desc', 'leaves', 'cat', 'log', 'commands', 'shellenv', 'formulae', 'casks', 'tap-info', 'missing', 'options', 'fetch'].includes(sub) || sub.startsWith('--') || HELP.has(sub)) return [known(b)];
  return [unknown(b)];
};

// ---------------------------------------------------------------------------------------------
// make: a project script runner (listed here with the other script runners).

const MAKE_VALUE = new Set(['f', 'file', 'makefile', 'C', 'directory', 'I', 'include-dir', 'o', 'old-file', 'W', 'what-if', 'new-file', 'assume-new', 'l', 'load-average']);

const make: Reader = (cmd, index) => {
  const b = base(cmd, index);
  const p = parseArgs(cmd.argv, MAKE_VALUE);
  // -n / -q print or test recipes without running them (bar `+` lines, which GNU make still runs).
  if (has(p, 'n', 'just-print', 'dry-run', 'recon', 'q', 'question', 'version', 'help', 'v', 'h')) return [known(b)];
  return [script(b)];
};

export const readers: Record<string, Reader> = {
  npm,
  npx: npxLike('npm'),
  bunx: npxLike('npm'),
  pnpm,
  yarn,
  bun,
  pip,
  pip3: pip,
  pipx,
  uv,
  uvx,
  poetry,
  twine,
  cargo,
  go,
  gem,
  bundle,
  bundler: bundle,
  apt,
  'apt-get': apt,
  brew,
  make,
  gmake: make,
};
