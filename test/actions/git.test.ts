import { describe, it, expect } from 'vitest';
import { readers } from '../../src/actions/git.js';
import type { Action, ActionOf, ActionType } from '../../src/types.js';
import { sc, ENV } from '../helpers/sc.js';

const readGit = readers.git!;

/** Run the reader on `git <args>`: a string is split on spaces, an array is taken as argv. */
function run(args: string | string[], over: Parameters<typeof sc>[1] = {}): Action[] {
  const rest = typeof args === 'string' ? args.split(' ').filter(Boolean) : args;
  return readGit(sc(['git', ...rest], over), 3, ENV);
}
const types = (args: string | string[]) => run(args).map((a) => a.type);
const acts = (args: string | string[]) => run(args);
function one<T extends ActionType>(type: T, args: string | string[]): ActionOf<T> {
  const found = run(args).filter((a): a is ActionOf<T> => a.type === type);
  expect(found, `${type} in git ${String(args)}`).toHaveLength(1);
  return found[0]!;
}
const none = (type: ActionType, args: string | string[]) => expect(types(args), `git ${String(args)}`).not.toContain(type);

describe('git reader: shape', () => {
  it('copies the command index and names git as the program', () => {
    for (const a of run('push -f origin main')) {
      expect(a.cmd).toBe(3);
      expect(a.program).toBe('git');
    }
  });

  it('reports a dynamic subcommand as dynamic code', () => {
    expect(one('code.dynamic', '$X').how).toBe('git with a dynamic subcommand');
    expect(one('code.dynamic', '-C app $SUB').how).toBe('git with a dynamic subcommand');
  });

  it('reads bare git, --version and `<sub> --help` as reads', () => {
    expect(types('')).toEqual(['git.read']);
    expect(types('--version')).toEqual(['git.read']);
    expect(types('push --help')).toEqual(['git.read']);
  });

  it('reports an unknown subcommand (an alias, a plugin) as local work under its own name', () => {
    expect(one('git.local', 'frobnicate x').subcommand).toBe('frobnicate');
    expect(one('git.local', 'co main').subcommand).toBe('co');
  });

  it('does not treat an inherited Object property name as a subcommand', () => {
    expect(one('git.local', 'constructor').subcommand).toBe('constructor');
  });
});

describe('git reader: global options', () => {
  it('moves the repository with -C, relative to the cwd, cumulatively', () => {
    expect(one('git.push', '-C app push origin +HEAD:main').dir).toBe('/home/u/proj/app');
    expect(one('git.push', '-C app -C ../lib push').dir).toBe('/home/u/proj/lib');
    expect(one('git.discard', '-C /srv/repo reset --hard').dir).toBe('/srv/repo');
  });

  it('leaves dir unknown when -C is dynamic or the cwd is unknown', () => {
    expect(one('git.push', '-C $D push').dir).toBeUndefined();
    expect(run('push', { cwd: null }).find((a) => a.type === 'git.push')).not.toHaveProperty('dir');
  });

  it('skips --no-pager, -p, -P, --bare, --git-dir, --work-tree, --namespace before the subcommand', () => {
    expect(one('git.read', '--no-pager log').subcommand).toBe('log');
    expect(one('git.read', '-P -p --bare --literal-pathspecs status').subcommand).toBe('status');
    expect(one('git.read', '--namespace foo --git-dir x/.git status').subcommand).toBe('status');
    expect(one('git.discard', '--work-tree=/srv/site --git-dir=/srv/site.git checkout -- .').dir).toBe('/srv/site');
    expect(one('git.rewrite', '--git-dir /srv/r.git rebase main').dir).toBe('/srv/r.git');
  });

  it('reports -c of a code-running key, and ignores harmless -c', () => {
    const c = one('git.config', ['-c', 'core.hooksPath=/dev/null', 'commit', '-m', 'x']);
    expect(c).toMatchObject({ key: 'core.hookspath', value: '/dev/null', runsCode: true });
    expect(one('git.config', ['-c', 'core.sshCommand=ssh -i k', 'fetch']).runsCode).toBe(true);
    expect(one('git.config', ['-c', 'alias.x=!sh -c "id"', 'x']).runsCode).toBe(true);
    none('git.config', ['-c', 'color.ui=always', 'status']);
    none('git.config', ['-c', 'alias.st=status', 'st']);
    none('git.config', ['-c', 'user.name=Bot', 'commit', '-m', 'x']);
    // The subcommand itself is still read.
    expect(types(['-c', 'core.pager=cat', 'log'])).toEqual(['git.config', 'git.read']);
  });

  it('reports a -c with a dynamic key as running code, key as written', () => {
    expect(one('git.config', ['-c', '$K=v', 'status'])).toMatchObject({ key: '$K', runsCode: true });
  });

  it('treats --exec-path=<dir> as running unseen programs, bare --exec-path as a read', () => {
    expect(types('--exec-path=/tmp/evil status')).toContain('code.dynamic');
    expect(types('--exec-path')).toEqual(['git.read']);
  });

  it('reports --config-env of a code-running key', () => {
    expect(one('git.config', '--config-env=core.editor=EDITOR commit').runsCode).toBe(true);
    none('git.config', '--config-env=user.name=NAME commit');
  });

  it('reports an unknown global option as local work (git refuses to run it)', () => {
    expect(types('--frob status')).toEqual(['git.local']);
  });
});

describe('git reader: committed file contents and invocation-local config', () => {
  it('reads a committed file named as rev:path (the content of .env, even from history)', () => {
    const a = acts('show HEAD:README.md');
    expect(a.map((x) => x.type)).toEqual(['git.read', 'file.read']);
    expect((a[1] as { paths: { abs: string }[] }).paths[0]!.abs).toBe('/home/u/proj/README.md');
    expect(types('cat-file blob HEAD:.env')).toContain('file.read');
    expect(types('log --oneline main..feature')).toEqual(['git.read']);
  });
  it('runs a -c alias expansion as the command it stands for', () => {
    expect(types(['-c', 'alias.wipe=reset --hard', 'wipe'])).toContain('git.discard');
    expect(types(['-c', 'alias.st=status', 'st'])).toEqual(['git.read']);
  });
  it('git clean deletes only when forced, interactive, or clean.requireForce is off (last wins)', () => {
    expect(types('clean')).toEqual(['git.read']);
    expect(types('clean -f --no-force')).toEqual(['git.read']);
    expect(types('clean -fd')).toEqual(['git.discard']);
    expect(types('-c clean.requireForce=false clean')).toEqual(['git.discard']);
    expect(types('-c clean.requireForce=false -c clean.requireForce=true clean')).toEqual(['git.read']);
  });
  it('gc prunes recent work only with an expiry shorter than the default', () => {
    expect(types('gc --prune=now')).toEqual(['git.discard']);
    expect(types('-c gc.pruneExpire=now gc')).toEqual(['git.discard']);
    expect(types('gc --prune=2.weeks.ago')).toEqual(['git.local']);
  });
});

describe('git reader: reads', () => {
  it.each([
    ['status', 'status'],
    ['log --oneline -5', 'log'],
    ['diff HEAD~1 -- src', 'diff'],
    ['show HEAD --stat', 'show'],
    ['blame src/a.ts', 'blame'],
    ['branch', 'branch'],
    ['branch -a', 'branch'],
    ['branch --list feat/*', 'branch'],
    ['branch --contains abc123', 'branch'],
    ['branch --show-current', 'branch'],
    ['tag', 'tag'],
    ['tag -l v1.*', 'tag'],
    ['remote -v', 'remote'],
    ['remote get-url origin', 'remote get-url'],
    ['rev-parse --abbrev-ref HEAD', 'rev-parse'],
    ['ls-files', 'ls-files'],
    ['describe --tags', 'describe'],
    ['shortlog -sn', 'shortlog'],
    ['reflog', 'reflog'],
    ['reflog show main', 'reflog'],
    ['grep -n TODO', 'grep'],
    ['config --get user.email', 'config'],
    ['config --list', 'config'],
    ['config -l --show-origin', 'config'],
    ['config get user.name', 'config'],
    ['config user.name', 'config'],
    ['stash list', 'stash list'],
    ['stash show -p stash@{1}', 'stash show'],
    ['worktree list', 'worktree list'],
    ['clean -n -d', 'clean --dry-run'],
    ['clean --dry-run -fdx', 'clean --dry-run'],
    ['push --dry-run origin main', 'push --dry-run'],
    ['push -n -f origin main', 'push --dry-run'],
    ['commit --dry-run', 'commit --dry-run'],
    ['submodule status', 'submodule status'],
    ['apply --check fix.patch', 'apply --check'],
  ])('git %s → git.read %s', (args, subcommand) => {
    expect(run(args)).toEqual([{ type: 'git.read', cmd: 3, program: 'git', subcommand }]);
  });

  it('reading a code-running config key is only a read', () => {
    expect(types('config --get core.hooksPath')).toEqual(['git.read']);
    expect(types('config --global core.hooksPath')).toEqual(['git.read']);
  });

  it('fetch reads the remote and fetches from the network', () => {
    expect(types('fetch origin')).toEqual(['git.read', 'net.fetch']);
    expect(one('net.fetch', 'fetch https://github.com/o/r.git main')).toMatchObject({ host: 'github.com', url: 'https://github.com/o/r.git' });
    expect(one('net.fetch', 'fetch git@gitlab.com:o/r.git').host).toBe('gitlab.com');
    expect(types('fetch ../other-repo')).toEqual(['git.read']); // a local path is not the network
  });

  it('a forced fetch into a local branch is a discard, into a remote-tracking ref is not', () => {
    expect(one('git.discard', 'fetch origin +main:main').detail).toContain('main');
    none('git.discard', 'fetch origin +main:refs/remotes/origin/main');
    none('git.discard', 'fetch origin main:main');
  });

  it('log/diff --output=<file> also writes that file', () => {
    expect(one('file.write', 'diff --output=/tmp/d.patch').paths[0]!.abs).toBe('/tmp/d.patch');
  });
});

describe('git reader: local work', () => {
  it.each([
    ['add -A', 'add'],
    ['commit -m wip', 'commit'],
    ['switch -c feat/x', 'switch'],
    ['switch main', 'switch'],
    ['checkout -b feat/x', 'checkout -b'],
    ['checkout -B feat/x origin/main', 'checkout -B'],
    ['checkout main', 'checkout'],
    ['checkout feat/login', 'checkout'],
    ['checkout release/1.2', 'checkout'],
    ['checkout -', 'checkout'],
    ['merge feat/x', 'merge'],
    ['cherry-pick abc123', 'cherry-pick'],
    ['cherry-pick -n abc123', 'cherry-pick'],
    ['stash', 'stash push'],
    ['stash -u', 'stash push'],
    ['stash push -m drop', 'stash push'],
    ['stash save wip', 'stash push'],
    ['stash pop', 'stash pop'],
    ['stash apply stash@{2}', 'stash apply'],
    ['tag v1.2.0', 'tag'],
    ['tag -a v1 -m release', 'tag'],
    ['tag -d v1', 'tag -d'],
    ['branch feat/new', 'branch'],
    ['branch -d feat/done', 'branch -d'],
    ['branch --delete feat/done', 'branch -d'],
    ['branch -M main', 'branch -m'],
    ['branch -u origin/main', 'branch --set-upstream-to'],
    ['mv a.ts b.ts', 'mv'],
    ['rm src/old.ts', 'rm'],
    ['rm -r --cached dist', 'rm'],
    ['rm -f --cached .env', 'rm'],
    ['init', 'init'],
    ['revert HEAD', 'revert'],
    ['am 0001.patch', 'am'],
    ['apply fix.patch', 'apply'],
    ['worktree prune', 'worktree prune'],
    ['worktree remove ../wt', 'worktree remove'],
    ['notes add -m hi', 'notes add'],
    ['bisect start', 'bisect start'],
    ['reset HEAD~1', 'reset'],
    ['reset --soft HEAD~1', 'reset'],
    ['reset --keep HEAD~1', 'reset'],
    ['reset -- src/a.ts', 'reset'],
    ['restore --staged src/a.ts', 'restore --staged'],
    ['restore -S .', 'restore --staged'],
    ['rebase --continue', 'rebase --continue'],
    ['rebase --abort', 'rebase --abort'],
    ['gc', 'gc'],
    ['gc --aggressive', 'gc'],
    ['submodule deinit sub', 'submodule deinit'],
    ['remote add upstream https://github.com/o/r', 'remote add'],
    ['remote set-url origin git@github.com:o/r.git', 'remote set-url'],
  ])('git %s → git.local %s', (args, subcommand) => {
    const acts = run(args);
    expect(acts.filter((a) => a.type === 'git.local')).toEqual([{ type: 'git.local', cmd: 3, program: 'git', subcommand }]);
    expect(acts.map((a) => a.type)).not.toContain('git.discard');
    expect(acts.map((a) => a.type)).not.toContain('git.rewrite');
    expect(acts.map((a) => a.type)).not.toContain('checks.skip');
  });

  it('clone is local work, a network fetch, and a write of the new directory', () => {
    const acts = run('clone https://github.com/o/repo.git');
    expect(acts.map((a) => a.type)).toEqual(['git.local', 'net.fetch', 'file.write']);
    expect(one('file.write', 'clone https://github.com/o/repo.git').paths[0]!.abs).toBe('/home/u/proj/repo');
    expect(one('file.write', 'clone --bare git@github.com:o/repo.git').paths[0]!.abs).toBe('/home/u/proj/repo.git');
    expect(one('file.write', 'clone https://github.com/o/repo.git /etc/x').paths[0]!.abs).toBe('/etc/x');
    expect(one('net.fetch', 'clone https://github.com/o/repo.git').host).toBe('github.com');
  });

  it('pull is local work plus a network fetch; pull --rebase is not a rewrite', () => {
    expect(types('pull')).toEqual(['git.local', 'net.fetch']);
    expect(types('pull --rebase origin main')).toEqual(['git.local', 'net.fetch']);
    expect(types('pull -r')).toEqual(['git.local', 'net.fetch']);
  });

  it('worktree add writes the new worktree directory', () => {
    expect(one('file.write', 'worktree add ../wt -b feat').paths[0]!.abs).toBe('/home/u/wt');
  });
});

describe('git reader: skipping checks', () => {
  it.each([
    ['commit --no-verify -m x', 'git commit --no-verify'],
    ['commit -n -m x', 'git commit --no-verify'],
    ['commit -anm x', 'git commit --no-verify'],
    ['commit --no-ver -m x', 'git commit --no-verify'], // git accepts unambiguous abbreviations
    ['push --no-verify origin feat', 'git push --no-verify'],
    ['merge --no-verify feat', 'git merge --no-verify'],
    ['rebase --no-verify main', 'git rebase --no-verify'],
    ['pull --no-verify', 'git pull --no-verify'],
    ['am -n 0001.patch', 'git am --no-verify'],
  ])('git %s → checks.skip', (args, how) => {
    expect(one('checks.skip', args).how).toBe(how);
  });

  it('marks the local action noVerify', () => {
    expect(one('git.local', 'commit -n -m x').noVerify).toBe(true);
    expect(one('git.push', 'push --no-verify').noVerify).toBe(true);
  });

  it.each([
    [['commit', '-m', '--no-verify']], // the message, not the flag
    [['commit', '-m', '-n']],
    [['commit', '--message=--no-verify']],
    [['commit', '-F', '-n']],
    [['merge', '-n', 'feat']], // -n is --no-stat for merge
    [['rebase', '-n', 'main']], // and for rebase
    [['pull', '-n']],
    [['push', '-n', 'origin', 'main']], // -n is --dry-run for push
    [['cherry-pick', '-n', 'abc']], // --no-commit
    [['commit', '-m', 'x', '--', '--no-verify']], // a pathspec
  ])('git %j is not a skip', (args) => {
    none('checks.skip', args);
  });
});

describe('git reader: discarding work', () => {
  it.each([
    ['reset --hard', 'reset'],
    ['reset --hard origin/main', 'reset'],
    ['reset --ha HEAD~2', 'reset'], // abbreviation of --hard
    ['checkout -- src/a.ts', 'checkout'],
    ['checkout .', 'checkout'],
    ['checkout HEAD -- .', 'checkout'],
    ['checkout main src/a.ts', 'checkout'],
    ['checkout src/app.ts', 'checkout'],
    ['checkout ./src', 'checkout'],
    ['checkout .env', 'checkout'],
    ['checkout Makefile', 'checkout'],
    ['checkout -f main', 'checkout'],
    ['checkout --force', 'checkout'],
    ['checkout --theirs src/a.ts', 'checkout'],
    ['checkout -p', 'checkout'],
    ['restore src/a.ts', 'restore'],
    ['restore .', 'restore'],
    ['restore --worktree src/a.ts', 'restore'],
    ['restore -SW src/a.ts', 'restore'],
    ['restore --source=HEAD~3 --staged --worktree .', 'restore'],
    ['clean -f', 'clean'],
    ['clean -fdx', 'clean'],
    ['clean --force -d', 'clean'],
    ['clean -df', 'clean'],
    ['clean -i', 'clean'],
    ['stash drop', 'stash drop'],
    ['stash drop stash@{1}', 'stash drop'],
    ['stash clear', 'stash clear'],
    ['branch -D feat/x', 'branch -D'],
    ['branch --delete --force feat/x', 'branch -D'],
    ['branch -d -f feat/x', 'branch -D'],
    ['branch -df feat/x', 'branch -D'],
    ['reflog expire --expire=now --all', 'reflog'],
    ['reflog delete HEAD@{1}', 'reflog'],
    ['gc --prune=now', 'gc'],
    ['gc --prune=all', 'gc'],
    ['prune', 'prune'],
    ['switch --discard-changes main', 'switch'],
    ['switch -f main', 'switch'],
    ['rm -f src/a.ts', 'rm'],
    ['worktree remove --force ../wt', 'worktree remove'],
    ['update-ref -d refs/heads/main', 'update-ref'],
    ['submodule deinit -f --all', 'submodule deinit'],
  ])('git %s → git.discard %s', (args, subcommand) => {
    const d = one('git.discard', args);
    expect(d.subcommand).toBe(subcommand);
    expect(d.dir).toBe('/home/u/proj');
    expect(typeof d.detail).toBe('string');
  });

  it('says what is discarded', () => {
    expect(one('git.discard', 'checkout -- a.ts b.ts').detail).toBe('checkout -- a.ts b.ts');
    expect(one('git.discard', 'stash drop stash@{1}').detail).toBe('stash drop stash@{1}');
    expect(one('git.discard', 'branch -D feat/x').detail).toBe('branch -D feat/x');
    expect(one('git.discard', 'clean -fdx').detail).toBe('clean -fdx');
  });

  it.each([
    'clean -n',
    'clean --dry-run -f',
    'branch -d feat/x',
    'reset --soft HEAD~1',
    'reset --mixed',
    'reset --merge ORIG_HEAD',
    'checkout main',
    'checkout feat/login',
    'checkout -b fix/app.ts',
    'restore --staged src/a.ts',
    'stash',
    'stash pop',
    'gc',
    'gc --prune',
    'reflog',
    'rm src/a.ts',
    'rm -f --cached src/a.ts',
    'prune --dry-run',
    'switch -c feat',
    'worktree remove ../wt',
    'push -f origin feat',
  ])('git %s is not a discard', (args) => {
    none('git.discard', args);
  });
});

describe('git reader: history rewrite', () => {
  it.each([
    ['filter-branch --tree-filter "rm x" HEAD', 'filter-branch'],
    ['filter-repo --path secrets --invert-paths', 'filter-repo'],
    ['commit --amend --no-edit', 'commit --amend'],
    ['commit --amen -m x', 'commit --amend'],
    ['rebase main', 'rebase'],
    ['rebase -i HEAD~3', 'rebase'],
    ['rebase --root', 'rebase'],
    ['rebase --onto main feat~2 feat', 'rebase'],
    ['replace abc def', 'replace'],
    ['update-ref refs/heads/main abc123', 'update-ref'],
  ])('git %s → git.rewrite %s', (args, subcommand) => {
    const r = one('git.rewrite', args);
    expect(r.subcommand).toBe(subcommand);
    expect(r.dir).toBe('/home/u/proj');
    expect(r).not.toHaveProperty('pushed'); // the policy stage decides that
  });

  it('commit --amend with --no-verify is both a rewrite and a skip', () => {
    expect(types('commit --amend -n')).toEqual(['git.rewrite', 'checks.skip']);
  });

  it('rebase --exec runs a shell command the guard does not see', () => {
    expect(types(['rebase', '-x', 'npm test', 'main'])).toEqual(['git.rewrite', 'code.dynamic']);
  });

  it.each(['commit -m amend', 'pull --rebase', 'rebase --continue', 'replace -l', 'cherry-pick abc'])('git %s is not a rewrite', (args) => {
    none('git.rewrite', args);
  });
});

describe('git reader: config', () => {
  it.each([
    [['config', 'core.hooksPath', '.githooks'], 'core.hookspath', '.githooks'],
    [['config', '--global', 'core.fsmonitor', 'true'], 'core.fsmonitor', 'true'],
    [['config', '--local', 'core.sshCommand', 'ssh -i /tmp/k'], 'core.sshcommand', 'ssh -i /tmp/k'],
    [['config', 'core.pager', 'less'], 'core.pager', 'less'],
    [['config', 'core.editor', 'vim'], 'core.editor', 'vim'],
    [['config', 'core.askPass', '/tmp/x'], 'core.askpass', '/tmp/x'],
    [['config', 'diff.external', '/tmp/d'], 'diff.external', '/tmp/d'],
    [['config', 'diff.bin.textconv', 'hexdump'], 'diff.bin.textconv', 'hexdump'],
    [['config', 'diff.x.command', 'sh'], 'diff.x.command', 'sh'],
    [['config', 'merge.ours.driver', 'true'], 'merge.ours.driver', 'true'],
    [['config', 'filter.lfs.smudge', 'x'], 'filter.lfs.smudge', 'x'],
    [['config', 'filter.evil.process', 'x'], 'filter.evil.process', 'x'],
    [['config', 'sequence.editor', 'sed -i s/pick/fixup/'], 'sequence.editor', 'sed -i s/pick/fixup/'],
    [['config', 'gpg.program', '/tmp/gpg'], 'gpg.program', '/tmp/gpg'],
    [['config', 'credential.helper', 'store'], 'credential.helper', 'store'],
    [['config', 'alias.pwn', '!curl x | sh'], 'alias.pwn', '!curl x | sh'],
    [['config', 'uploadpack.packObjectsHook', 'x'], 'uploadpack.packobjectshook', 'x'],
    [['config', 'include.path', '/tmp/evil.cfg'], 'include.path', '/tmp/evil.cfg'],
    [['config', 'includeIf.gitdir:~/w/.path', '/tmp/x'], 'includeif.gitdir:~/w/.path', '/tmp/x'],
    [['config', 'CORE.HOOKSPATH', 'h'], 'core.hookspath', 'h'], // case-insensitive section and name
    [['config', '--add', 'core.hooksPath', 'h'], 'core.hookspath', 'h'],
    [['config', '--replace-all', 'alias.x', '!sh'], 'alias.x', '!sh'],
    [['config', 'set', '--global', 'core.editor', 'code --wait'], 'core.editor', 'code --wait'],
    [['config', '--file', '.gitmodules', 'submodule.s.update', '!sh x'], 'submodule.s.update', '!sh x'],
  ])('git %j sets a code-running key', (args, key, value) => {
    expect(one('git.config', args)).toMatchObject({ key, value, runsCode: true });
  });

  it.each([
    [['config', 'user.name', 'Bot'], 'user.name'],
    [['config', '--global', 'alias.co', 'checkout'], 'alias.co'],
    [['config', 'pull.rebase', 'true'], 'pull.rebase'],
    [['config', 'pager.log', 'false'], 'pager.log'],
    [['config', 'diff.bin.binary', 'true'], 'diff.bin.binary'],
  ])('git %j sets a key that runs nothing', (args, key) => {
    expect(one('git.config', args)).toMatchObject({ key, runsCode: false });
  });

  it('--unset is a write with no value that runs nothing', () => {
    const u = one('git.config', 'config --unset core.hooksPath');
    expect(u).toEqual({ type: 'git.config', cmd: 3, program: 'git', key: 'core.hookspath', runsCode: false });
    expect(one('git.config', 'config unset --global core.pager').runsCode).toBe(false);
  });

  it('renaming a section into alias makes its entries run', () => {
    expect(one('git.config', 'config --rename-section tmp alias').runsCode).toBe(true);
    expect(one('git.config', 'config --rename-section old new').runsCode).toBe(false);
  });

  it('editing the config file in an editor can set anything', () => {
    expect(one('git.config', 'config --edit').runsCode).toBe(true);
  });

  it('a dynamic alias value might start with !', () => {
    expect(one('git.config', ['config', 'alias.x', '$CMD']).runsCode).toBe(true);
  });

  it('--file also writes that file', () => {
    expect(one('file.write', ['config', '-f', '/home/u/.bashrc', 'a.b', 'c']).paths[0]!.abs).toBe('/home/u/.bashrc');
  });

  it('clone --config and --template plant config in the new repository', () => {
    expect(one('git.config', ['clone', '-c', 'core.fsmonitor=/tmp/x', 'https://h/r']).runsCode).toBe(true);
    expect(one('git.config', 'clone --template=/tmp/tpl https://h/r').key).toBe('init.templatedir');
    expect(one('git.config', 'init --template /tmp/tpl').runsCode).toBe(true);
  });
});

describe('git reader: push', () => {
  const push = (args: string) => one('git.push', args);

  it('pushes the current branch when no refspec is given', () => {
    expect(push('push')).toMatchObject({ branches: ['HEAD'], force: false, mirror: false, delete: false, noVerify: false, dir: '/home/u/proj' });
    expect(push('push')).not.toHaveProperty('remote');
    expect(push('push origin')).toMatchObject({ remote: 'origin', branches: ['HEAD'] });
    expect(push('push -u origin')).toMatchObject({ remote: 'origin', branches: ['HEAD'] });
  });

  it('resolves refspecs to the destination branch', () => {
    expect(push('push origin main').branches).toEqual(['main']);
    expect(push('push origin HEAD:main').branches).toEqual(['main']);
    expect(push('push origin refs/heads/main').branches).toEqual(['main']);
    expect(push('push origin feat:refs/heads/main').branches).toEqual(['main']);
    expect(push('push origin HEAD').branches).toEqual(['HEAD']);
    expect(push('push origin @').branches).toEqual(['HEAD']);
    expect(push('push origin a b:c').branches).toEqual(['a', 'c']);
    expect(push('push -u origin feat/x').branches).toEqual(['feat/x']);
  });

  it('keeps tag refs as tags', () => {
    expect(push('push origin refs/tags/v1').branches).toEqual(['refs/tags/v1']);
    expect(push('push origin tag v1').branches).toEqual(['refs/tags/v1']);
  });

  it('is not a force push without a force flag or +', () => {
    expect(push('push origin feature').force).toBe(false);
    expect(push('push -u origin main').force).toBe(false);
    expect(push('push origin main --follow-tags').force).toBe(false);
  });

  it.each([
    'push -f origin main',
    'push --force origin main',
    'push --force-with-lease origin main',
    'push --force-with-lease=main:abc origin main',
    'push --force-if-includes --force-with-lease origin main',
    'push origin +main',
    'push origin +HEAD:main',
    'push -uf origin main',
    'push origin main --force',
    'push --force-w origin main', // abbreviation of --force-with-lease
  ])('git %s is a force push to main', (args) => {
    expect(push(args)).toMatchObject({ force: true, branches: ['main'] });
  });

  it('reports deletion', () => {
    expect(push('push origin :feat')).toMatchObject({ delete: true, branches: ['feat'] });
    expect(push('push origin --delete feat')).toMatchObject({ delete: true, branches: ['feat'] });
    expect(push('push -d origin main')).toMatchObject({ delete: true, branches: ['main'] });
    expect(push('push origin :refs/tags/v1')).toMatchObject({ delete: true, branches: ['refs/tags/v1'] });
    expect(push('push origin feat').delete).toBe(false);
  });

  it('reports --mirror, --all, --tags', () => {
    expect(push('push --mirror backup')).toMatchObject({ mirror: true, force: true, delete: true, branches: [] });
    expect(push('push --all origin')).toMatchObject({ all: true, branches: [] });
    expect(push('push --branches origin')).toMatchObject({ all: true, branches: [] });
    expect(push('push --tags origin')).toMatchObject({ tags: true, branches: [] });
    expect(push('push origin main')).not.toHaveProperty('all');
  });

  it('treats a dynamic or wildcard refspec as possibly any branch', () => {
    expect(push('push origin $BRANCH')).toMatchObject({ all: true, branches: ['$BRANCH'] });
    expect(push('push origin refs/heads/*:refs/heads/*')).toMatchObject({ all: true, branches: ['*'] });
  });

  it('reads --repo and skips option values', () => {
    expect(push('push --repo=upstream')).toMatchObject({ remote: 'upstream', branches: ['HEAD'] });
    expect(push('push -o ci.skip origin feat')).toMatchObject({ remote: 'origin', branches: ['feat'] });
    expect(push('push --push-option main origin feat').branches).toEqual(['feat']);
  });

  it('-C app push origin +HEAD:main (the STYLE example)', () => {
    expect(one('git.push', '-C app push origin +HEAD:main')).toEqual({
      type: 'git.push', cmd: 3, program: 'git', remote: 'origin', branches: ['main'], force: true, mirror: false, delete: false, noVerify: false, dir: '/home/u/proj/app',
    });
  });

  it('--receive-pack and ext:: URLs run programs', () => {
    expect(types(['push', '--receive-pack=sh -c id', '/tmp/r'])).toContain('code.dynamic');
    expect(types(['clone', 'ext::sh -c id'])).toContain('code.dynamic');
    expect(types(['fetch', '--upload-pack', 'evil', 'origin'])).toContain('code.dynamic');
  });
});

describe('git reader: code it runs', () => {
  it('submodule foreach, bisect run, grep -O<prog>, difftool -x run commands', () => {
    expect(types(['submodule', 'foreach', 'rm -rf .'])).toContain('code.dynamic');
    expect(types(['bisect', 'run', 'npm', 'test'])).toContain('code.dynamic');
    expect(types('grep -Ovim TODO')).toContain('code.dynamic');
    expect(types(['difftool', '-x', 'sh -c id'])).toContain('code.dynamic');
    expect(types('grep -O TODO')).not.toContain('code.dynamic');
  });

  it('send-email sends over the network', () => {
    expect(types('send-email 0001.patch')).toContain('net.send');
  });
});
