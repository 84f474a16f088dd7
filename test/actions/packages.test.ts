import { describe, it, expect } from 'vitest';
import { readers, npmName, npmSpecKind, pyName, pySpecKind, createPackage } from '../../src/actions/packages.js';
import type { Action, SimpleCommand } from '../../src/types.js';
import { sc, ENV } from '../helpers/sc.js';

function read(argv: string[], over: Partial<SimpleCommand> = {}): Action[] {
  const reader = readers[argv[0]!];
  if (!reader) throw new Error(`no reader for ${argv[0]}`);
  return reader(sc(argv, over), 0, ENV);
}
const one = (argv: string[], over: Partial<SimpleCommand> = {}): Action => {
  const as = read(argv, over);
  expect(as).toHaveLength(1);
  return as[0]!;
};
const types = (as: Action[]) => as.map((a) => a.type);
const b = (program: string) => ({ cmd: 0, program });
const SCRIPT = { type: 'exec', known: true, script: true };
const KNOWN = { type: 'exec', known: true };

describe('spec helpers', () => {
  it('strips versions and keeps scopes', () => {
    expect(npmName('vitest@3')).toBe('vitest');
    expect(npmName('@scope/pkg@1.2.0')).toBe('@scope/pkg');
    expect(npmName('@scope/pkg')).toBe('@scope/pkg');
    expect(pyName('ruff==0.4.1')).toBe('ruff');
    expect(pyName('black[jupyter]>=24')).toBe('black');
    expect(pyName('ruff@0.4')).toBe('ruff');
  });
  it('tells registry, url and local specs apart', () => {
    expect(npmSpecKind('lodash')).toBe('registry');
    expect(npmSpecKind('github:user/repo')).toBe('url');
    expect(npmSpecKind('user/repo')).toBe('url');
    expect(npmSpecKind('https://x.io/p.tgz')).toBe('url');
    expect(npmSpecKind('./packages/a')).toBe('local');
    expect(pySpecKind('git+https://github.com/x/y')).toBe('url');
    expect(pySpecKind('.')).toBe('local');
    expect(pySpecKind('requests')).toBe('registry');
  });
  it('create-* names', () => {
    expect(createPackage('vite@latest')).toBe('create-vite');
    expect(createPackage('@scope')).toBe('@scope/create');
    expect(createPackage('@scope/app')).toBe('@scope/create-app');
  });
});

describe('npm', () => {
  it('npm ci / bare npm install / npm i are lockfile installs', () => {
    expect(one(['npm', 'ci'])).toEqual({ ...b('npm'), type: 'package.install', manager: 'npm', global: false });
    expect(one(['npm', 'install'])).toMatchObject({ type: 'package.install', global: false });
    expect(one(['npm', 'i', '--legacy-peer-deps'])).toMatchObject({ type: 'package.install' });
  });
  it('npm i X / install -D X add dependencies', () => {
    expect(one(['npm', 'i', 'lodash'])).toEqual({ ...b('npm'), type: 'package.add', manager: 'npm', packages: ['lodash'], global: false, dev: false });
    expect(one(['npm', 'install', '-D', 'vitest', '@types/node'])).toMatchObject({ type: 'package.add', packages: ['vitest', '@types/node'], dev: true });
    expect(one(['npm', 'add', 'react'])).toMatchObject({ type: 'package.add', packages: ['react'] });
  });
  it('global installs', () => {
    expect(one(['npm', 'i', '-g', 'typescript'])).toMatchObject({ type: 'package.add', global: true });
    expect(one(['npm', '--global', 'install', 'x'])).toMatchObject({ type: 'package.add', global: true });
    expect(one(['npm', 'install', '--location=global', 'x'])).toMatchObject({ global: true });
  });
  it('git / url specs are remote code', () => {
    expect(one(['npm', 'i', 'github:evil/pkg'])).toEqual({ ...b('npm'), type: 'code.remote', source: 'url', packages: ['github:evil/pkg'] });
    expect(one(['npm', 'i', 'https://x.io/p.tgz'])).toMatchObject({ type: 'code.remote', source: 'url' });
  });
  it('npm i ./local is an install', () => {
    expect(one(['npm', 'i', './packages/a'])).toMatchObject({ type: 'package.install' });
  });
  it('uninstall edits the manifest: package.install', () => {
    expect(one(['npm', 'uninstall', 'lodash'])).toMatchObject({ type: 'package.install', manager: 'npm' });
    expect(one(['npm', 'rm', '-g', 'x'])).toMatchObject({ type: 'package.install', global: true });
  });
  it('update pulls versions the lockfile did not pin', () => {
    expect(one(['npm', 'update', 'react'])).toMatchObject({ type: 'package.add', packages: ['react'] });
  });
  it('npm exec / x are remote code', () => {
    expect(one(['npm', 'exec', 'vitest@3', '--', 'run'])).toEqual({ ...b('npm'), type: 'code.remote', source: 'npm', packages: ['vitest'] });
    expect(one(['npm', 'exec', '--package=@scope/tool', '--', 'tool'])).toMatchObject({ packages: ['@scope/tool'] });
  });
  it('npm init X runs create-X; bare npm init writes package.json', () => {
    expect(one(['npm', 'init', 'vite@latest', 'my-app'])).toMatchObject({ type: 'code.remote', packages: ['create-vite'] });
    expect(one(['npm', 'create', 'next-app'])).toMatchObject({ type: 'code.remote', packages: ['create-next-app'] });
    expect(one(['npm', 'init', '-y'])).toMatchObject({ type: 'file.write' });
  });
  it('scripts are opaque exec', () => {
    expect(one(['npm', 'run', 'build'])).toEqual({ ...b('npm'), ...SCRIPT });
    expect(one(['npm', 'test'])).toMatchObject(SCRIPT);
    expect(one(['npm', 'start'])).toMatchObject(SCRIPT);
    expect(one(['npm', '--prefix', 'web', 'run', 'lint'])).toMatchObject(SCRIPT);
    expect(one(['npm', '-w', 'api', 't'])).toMatchObject(SCRIPT);
  });
  it('read-only commands are known', () => {
    for (const argv of [['npm', 'ls'], ['npm', 'view', 'react', 'version'], ['npm', 'outdated'], ['npm', '--version'], ['npm', '--help'], ['npm', 'audit'], ['npm', 'whoami']]) {
      expect(read(argv)).toEqual([{ ...b('npm'), ...KNOWN }]);
    }
  });
  it('publish is a deploy; --dry-run is not', () => {
    expect(one(['npm', 'publish', '--access', 'public'])).toEqual({ ...b('npm'), type: 'deploy', tool: 'npm', subcommand: 'publish' });
    expect(one(['npm', 'publish', '--dry-run'])).toMatchObject(KNOWN);
    expect(one(['npm', 'unpublish', 'x@1'])).toMatchObject({ type: 'deploy', subcommand: 'unpublish' });
  });
  it('npm config set writes ~/.npmrc', () => {
    const a = one(['npm', 'config', 'set', 'registry', 'https://evil']);
    expect(a).toMatchObject({ type: 'file.write' });
    expect(a.type === 'file.write' && a.paths[0]?.abs).toBe('/home/u/.npmrc');
    expect(one(['npm', 'config', 'get', 'registry'])).toMatchObject(KNOWN);
  });
});

describe('npx / bunx', () => {
  it('npx X is remote code with the bare package name', () => {
    expect(one(['npx', 'vitest'])).toEqual({ ...b('npx'), type: 'code.remote', source: 'npm', packages: ['vitest'] });
    expect(one(['npx', '-y', 'create-react-app@5', 'app'])).toMatchObject({ packages: ['create-react-app'] });
    expect(one(['npx', '@biomejs/biome@1.8', 'check'])).toMatchObject({ packages: ['@biomejs/biome'] });
    expect(one(['npx', '-p', 'typescript', 'tsc', '--noEmit'])).toMatchObject({ packages: ['typescript'] });
    expect(one(['bunx', 'prettier', '--write', '.'])).toMatchObject({ type: 'code.remote', packages: ['prettier'] });
  });
  it('flags after the package belong to the package', () => {
    expect(one(['npx', 'eslint', '-p', 'x'])).toMatchObject({ packages: ['eslint'] });
  });
  it('npx of a github repo is url; of a local path is a script', () => {
    expect(one(['npx', 'github:user/tool'])).toMatchObject({ type: 'code.remote', source: 'url' });
    expect(one(['npx', './bin/cli.js'])).toMatchObject(SCRIPT);
  });
});

describe('pnpm / yarn / bun', () => {
  it('installs', () => {
    expect(one(['pnpm', 'install'])).toMatchObject({ type: 'package.install', manager: 'pnpm' });
    expect(one(['pnpm', 'i', '--frozen-lockfile'])).toMatchObject({ type: 'package.install' });
    expect(one(['yarn'])).toMatchObject({ type: 'package.install', manager: 'yarn' });
    expect(one(['yarn', 'install', '--immutable'])).toMatchObject({ type: 'package.install' });
    expect(one(['bun', 'install'])).toMatchObject({ type: 'package.install', manager: 'bun' });
  });
  it('adds', () => {
    expect(one(['pnpm', 'add', '-D', 'tsx'])).toMatchObject({ type: 'package.add', packages: ['tsx'], dev: true });
    expect(one(['pnpm', '--filter', 'web', 'add', 'zod'])).toMatchObject({ type: 'package.add', packages: ['zod'] });
    expect(one(['pnpm', 'add', '-g', 'turbo'])).toMatchObject({ type: 'package.add', global: true });
    expect(one(['yarn', 'add', 'react', '--dev'])).toMatchObject({ type: 'package.add', dev: true });
    expect(one(['yarn', 'global', 'add', 'serve'])).toMatchObject({ type: 'package.add', global: true, packages: ['serve'] });
    expect(one(['bun', 'add', '-d', 'vitest'])).toMatchObject({ type: 'package.add', dev: true });
  });
  it('dlx and create are remote code', () => {
    expect(one(['pnpm', 'dlx', 'create-vite@5', 'app'])).toMatchObject({ type: 'code.remote', packages: ['create-vite'] });
    expect(one(['yarn', 'dlx', 'cowsay'])).toMatchObject({ type: 'code.remote', packages: ['cowsay'] });
    expect(one(['pnpm', 'create', 'astro'])).toMatchObject({ type: 'code.remote', packages: ['create-astro'] });
    expect(one(['bun', 'x', 'tsc'])).toMatchObject({ type: 'code.remote', packages: ['tsc'] });
  });
  it('pnpm exec, scripts and yarn <script> are project scripts', () => {
    expect(one(['pnpm', 'exec', 'vitest'])).toMatchObject(SCRIPT);
    expect(one(['pnpm', 'build'])).toMatchObject(SCRIPT);
    expect(one(['pnpm', '-C', 'app', 'test'])).toMatchObject(SCRIPT);
    expect(one(['yarn', 'lint'])).toMatchObject(SCRIPT);
    expect(one(['yarn', 'run', 'dev'])).toMatchObject(SCRIPT);
    expect(one(['bun', 'run', 'dev'])).toMatchObject(SCRIPT);
    expect(one(['bun', 'test'])).toMatchObject(SCRIPT);
  });
  it('yarn workspace NAME add X is an add', () => {
    expect(one(['yarn', 'workspace', 'web', 'add', 'zod'])).toMatchObject({ type: 'package.add', packages: ['zod'] });
  });
  it('publish', () => {
    expect(one(['pnpm', 'publish'])).toMatchObject({ type: 'deploy', tool: 'pnpm', subcommand: 'publish' });
    expect(one(['yarn', 'npm', 'publish'])).toMatchObject({ type: 'deploy', tool: 'yarn', subcommand: 'publish' });
  });
  it('read-only', () => {
    expect(one(['pnpm', 'ls'])).toMatchObject(KNOWN);
    expect(one(['yarn', 'why', 'react'])).toMatchObject(KNOWN);
    expect(one(['bun', '--version'])).toMatchObject(KNOWN);
  });
  it('bun -e is not understood here', () => {
    expect(one(['bun', '-e', 'console.log(1)'])).toEqual({ ...b('bun'), type: 'exec', known: false });
  });
});

describe('pip / pipx / uv / uvx / poetry / twine', () => {
  it('pip install -r / -e . / . are installs', () => {
    expect(one(['pip', 'install', '-r', 'requirements.txt'])).toEqual({ ...b('pip'), type: 'package.install', manager: 'pip', global: false });
    expect(one(['pip', 'install', '-e', '.'])).toMatchObject({ type: 'package.install' });
    expect(one(['pip3', 'install', '.'])).toMatchObject({ type: 'package.install' });
  });
  it('pip install X adds; --user and sudo are global', () => {
    expect(one(['pip', 'install', 'requests==2.31'])).toEqual({ ...b('pip'), type: 'package.add', manager: 'pip', packages: ['requests==2.31'], global: false });
    expect(one(['pip', 'install', '--user', 'black'])).toMatchObject({ global: true });
    expect(one(['pip', 'install', 'black'], { via: ['sudo'] })).toMatchObject({ global: true });
    expect(one(['pip', 'install', '-i', 'https://pypi.org/simple', 'flask'])).toMatchObject({ packages: ['flask'] });
  });
  it('pip install of a URL / VCS spec is remote code', () => {
    expect(one(['pip', 'install', 'git+https://github.com/x/y'])).toEqual({ ...b('pip'), type: 'code.remote', source: 'url', packages: ['git+https://github.com/x/y'] });
    expect(one(['pip', 'install', 'https://x.io/pkg.tar.gz'])).toMatchObject({ type: 'code.remote', source: 'url' });
  });
  it('pip read-only', () => {
    expect(one(['pip', 'list'])).toMatchObject(KNOWN);
    expect(one(['pip', 'show', 'requests'])).toMatchObject(KNOWN);
    expect(one(['pip', '--version'])).toMatchObject(KNOWN);
  });
  it('pipx install is global; pipx run is remote', () => {
    expect(one(['pipx', 'install', 'poetry'])).toMatchObject({ type: 'package.add', packages: ['poetry'], global: true });
    expect(one(['pipx', 'run', 'cowsay', 'hi'])).toMatchObject({ type: 'code.remote', source: 'pypi', packages: ['cowsay'] });
  });
  it('uv sync / add / pip install / run --with / tool install', () => {
    expect(one(['uv', 'sync'])).toMatchObject({ type: 'package.install', manager: 'uv' });
    expect(one(['uv', 'add', 'httpx'])).toMatchObject({ type: 'package.add', packages: ['httpx'] });
    expect(one(['uv', 'add', '--dev', 'pytest'])).toMatchObject({ dev: true });
    expect(one(['uv', 'pip', 'install', 'numpy'])).toMatchObject({ type: 'package.add', manager: 'uv', packages: ['numpy'] });
    expect(one(['uv', 'pip', 'install', '-r', 'requirements.txt'])).toMatchObject({ type: 'package.install' });
    expect(one(['uv', 'run', 'pytest'])).toMatchObject(SCRIPT);
    expect(types(read(['uv', 'run', '--with', 'rich', 'python', 'x.py']))).toEqual(['code.remote', 'exec']);
    expect(one(['uv', 'tool', 'install', 'ruff'])).toMatchObject({ type: 'package.add', global: true });
    expect(one(['uv', 'tool', 'run', 'ruff', 'check'])).toMatchObject({ type: 'code.remote', packages: ['ruff'] });
  });
  it('uvx', () => {
    expect(one(['uvx', 'ruff@0.4', 'check'])).toEqual({ ...b('uvx'), type: 'code.remote', source: 'pypi', packages: ['ruff'] });
    expect(one(['uvx', '--from', 'httpie', 'http', 'x.io'])).toMatchObject({ packages: ['httpie'] });
    expect(one(['uvx', '--python', '3.12', 'black', '.'])).toMatchObject({ packages: ['black'] });
  });
  it('poetry', () => {
    expect(one(['poetry', 'install'])).toMatchObject({ type: 'package.install', manager: 'poetry' });
    expect(one(['poetry', 'add', 'requests'])).toMatchObject({ type: 'package.add', packages: ['requests'], dev: false });
    expect(one(['poetry', 'add', '-G', 'dev', 'pytest'])).toMatchObject({ dev: true });
    expect(one(['poetry', 'publish'])).toMatchObject({ type: 'deploy', tool: 'poetry', subcommand: 'publish' });
    expect(one(['poetry', 'run', 'pytest'])).toMatchObject(SCRIPT);
  });
  it('twine upload publishes', () => {
    expect(one(['twine', 'upload', 'dist/*'])).toMatchObject({ type: 'deploy', tool: 'twine', subcommand: 'publish' });
    expect(one(['twine', 'check', 'dist/*'])).toMatchObject(KNOWN);
  });
});

describe('cargo / go', () => {
  it('cargo build / fetch are installs; test / run are scripts', () => {
    expect(one(['cargo', 'build', '--release'])).toMatchObject({ type: 'package.install', manager: 'cargo' });
    expect(one(['cargo', '+nightly', 'fetch'])).toMatchObject({ type: 'package.install' });
    expect(one(['cargo', 'test'])).toMatchObject(SCRIPT);
    expect(one(['cargo', 'run', '--', 'arg'])).toMatchObject(SCRIPT);
  });
  it('cargo add / install / publish', () => {
    expect(one(['cargo', 'add', 'serde', '--features', 'derive'])).toMatchObject({ type: 'package.add', packages: ['serde'], global: false });
    expect(one(['cargo', 'install', 'ripgrep'])).toMatchObject({ type: 'package.add', packages: ['ripgrep'], global: true });
    expect(one(['cargo', 'install', '--path', '.'])).toMatchObject({ type: 'package.install', global: true });
    expect(types(read(['cargo', 'install', '--git', 'https://github.com/x/y']))).toEqual(['code.remote', 'package.add']);
    expect(one(['cargo', 'publish'])).toMatchObject({ type: 'deploy', tool: 'cargo', subcommand: 'publish' });
    expect(one(['cargo', 'tree'])).toMatchObject(KNOWN);
  });
  it('go build / mod download / mod tidy are installs', () => {
    expect(one(['go', 'build', '-o', 'bin/app', './cmd/app'])).toMatchObject({ type: 'package.install', manager: 'go' });
    expect(one(['go', 'mod', 'download'])).toMatchObject({ type: 'package.install' });
    expect(one(['go', 'mod', 'tidy'])).toMatchObject({ type: 'package.install' });
  });
  it('go get / install pkg@v / run pkg@v', () => {
    expect(one(['go', 'get', 'github.com/x/y@v1.2.0'])).toMatchObject({ type: 'package.add', packages: ['github.com/x/y'], global: false });
    expect(one(['go', 'install', 'golang.org/x/tools/gopls@latest'])).toMatchObject({ type: 'package.add', global: true });
    expect(one(['go', 'install', './cmd/app'])).toMatchObject({ type: 'package.install', global: true });
    expect(one(['go', 'run', 'github.com/x/tool@latest'])).toMatchObject({ type: 'code.remote', source: 'go', packages: ['github.com/x/tool'] });
    expect(one(['go', 'run', '.'])).toMatchObject(SCRIPT);
    expect(one(['go', 'test', './...'])).toMatchObject(SCRIPT);
    expect(one(['go', 'version'])).toMatchObject(KNOWN);
  });
});

describe('gem / bundle / apt / brew / make', () => {
  it('gem', () => {
    expect(one(['gem', 'install', 'rails'])).toMatchObject({ type: 'package.add', packages: ['rails'] });
    expect(one(['gem', 'push', 'x-1.0.gem'])).toMatchObject({ type: 'deploy', tool: 'gem', subcommand: 'publish' });
    expect(one(['gem', 'list'])).toMatchObject(KNOWN);
  });
  it('bundle', () => {
    expect(one(['bundle', 'install'])).toMatchObject({ type: 'package.install', manager: 'bundle' });
    expect(one(['bundle'])).toMatchObject({ type: 'package.install' });
    expect(one(['bundle', 'add', 'pry'])).toMatchObject({ type: 'package.add', packages: ['pry'] });
    expect(one(['bundle', 'exec', 'rspec'])).toMatchObject(SCRIPT);
  });
  it('apt / apt-get changes are global adds', () => {
    expect(one(['apt-get', 'install', '-y', 'curl'])).toEqual({ ...b('apt-get'), type: 'package.add', manager: 'apt-get', packages: ['curl'], global: true });
    expect(one(['apt', 'update'])).toMatchObject({ type: 'package.add', packages: [], global: true });
    expect(one(['apt-get', '-o', 'Dpkg::Options::=--force-confnew', 'purge', 'nginx'])).toMatchObject({ packages: ['nginx'] });
    expect(one(['apt', 'list', '--installed'])).toMatchObject(KNOWN);
  });
  it('brew', () => {
    expect(one(['brew', 'install', 'jq'])).toMatchObject({ type: 'package.add', packages: ['jq'], global: true });
    expect(one(['brew', 'install', '--cask', 'firefox'])).toMatchObject({ packages: ['firefox'] });
    expect(one(['brew', 'list'])).toMatchObject(KNOWN);
  });
  it('make runs recipes; make -n only prints them', () => {
    expect(one(['make', 'build'])).toMatchObject(SCRIPT);
    expect(one(['make', '-C', 'sub', 'test'])).toMatchObject(SCRIPT);
    expect(one(['make', '-n', 'deploy'])).toMatchObject(KNOWN);
  });
});
