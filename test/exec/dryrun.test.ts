// Dry runs in real temp git repos: each preview shows what would happen, and the world is
// byte-for-byte unchanged afterwards (snapshots, remote refs, marker files of hooks and scripts).
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { dryRun, type PathEntry } from '../../src/exec/dryrun.js';
import { unifiedDiff } from '../../src/exec/diff.js';
import { git, put, snapshot, world, type World } from './repo.js';
import type { Decision } from '../../src/types.js';

const shell = (w: World, command: string, env: Record<string, string> = {}, cwd = w.project) => dryRun({ kind: 'shell', command, cwd }, cwd, { env: { ...w.env, ...env } });

/** A fake program on PATH that records its argv (one line per call) and prints it. */
function fake(w: World, name: string): { dir: string; calls: () => string[][] } {
  const dir = join(w.root, 'fakebin');
  const log = join(w.root, `${name}.calls`);
  put(join(dir, name), `#!/bin/sh\nprintf '%s\\0' "$@" >> '${log}'\nprintf '\\n' >> '${log}'\necho "fake ${name} $*"\n`);
  chmodSync(join(dir, name), 0o755);
  return {
    dir,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\0').filter((x, k, a) => k < a.length - 1 || x !== '')) : []),
  };
}

describe('rm', () => {
  it('lists what rm -rf would delete, with sizes and git status, and deletes nothing', async () => {
    const w = world();
    const before = snapshot(w.project);
    const r = await shell(w, 'rm -rf build src notes.md debug.log');
    expect(snapshot(w.project)).toEqual(before);
    const item = r.items[0]!;
    expect(item.kind).toBe('delete');
    const by = Object.fromEntries(item.entries!.map((e) => [e.path, e])) as Record<string, PathEntry>;
    expect(by['build/']).toMatchObject({ kind: 'dir', files: 2, dirs: 1, bytes: 16 + 2048, git: { ignored: 2 } });
    expect(by['src/']?.git).toEqual({ modified: 1, tracked: 1 });
    expect(by['notes.md']).toMatchObject({ kind: 'file', bytes: 9, git: 'untracked' });
    expect(by['debug.log']?.git).toBe('ignored');
    expect(r.summary).toContain('build/sub/chunk.js  2.0 KB  ignored');
    expect(r.summary).toContain('src/a.ts');
    expect(r.complete).toBe(true);
  });

  it('expands globs as bash would, and says what rm without -r leaves', async () => {
    const w = world();
    const r = await shell(w, 'rm src/*.ts build missing.txt');
    expect(r.items[0]!.entries!.map((e) => e.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(r.items[0]!.note).toMatch(/build\/? is a directory and rm without -r leaves it; missing.txt does not exist/);
  });

  it('follows cd in the line and never follows a symlink out of the tree', async () => {
    const w = world();
    const outside = join(w.root, 'outside');
    put(join(outside, 'precious.txt'), 'keep');
    spawnSync('ln', ['-s', outside, join(w.project, 'build', 'link')]);
    const r = await shell(w, 'cd build && rm -rf .');
    const e = r.items.find((i) => i.kind === 'delete')!.entries![0]!;
    expect(e.sample!.map((s) => s.path)).not.toContain('link/precious.txt');
    expect(existsSync(join(outside, 'precious.txt'))).toBe(true);
  });
});

describe('find -delete', () => {
  it('lists exactly what the expression would delete (-delete → -print in place); -exec/-fprint refused', async () => {
    const w = world();
    const before = snapshot(w.project);
    const r = await shell(w, "find . -name '*.log' -delete");
    expect(r.items[0]!.ran!.argv).toEqual(['find', '.', '-name', '*.log', '-print']);
    expect(r.items[0]!.ran!.output.trim().split('\n')).toEqual(['./debug.log']);
    const all = await shell(w, "find build -delete -name '*.js'");
    expect(all.items[0]!.ran!.output.trim().split('\n').sort()).toEqual(['build', 'build/out.js', 'build/sub', 'build/sub/chunk.js']);
    const marker = join(w.root, 'FIND_RAN');
    const ex = await shell(w, `find . -name x -fprint ${marker} -delete`);
    expect(ex.items.some((i) => /-fprint runs a program or writes a file/.test(i.title))).toBe(true);
    expect(existsSync(marker)).toBe(false);
    // find -exec rm {}: the rm's arguments come from find at run time, so neither part pretends to know.
    const fx = await shell(w, "find . -name '*.md' -exec rm {} \\;");
    expect(fx.items.map((i) => i.title)).toEqual(['no preview for find: -exec runs a program or writes a file', 'no preview for rm: its arguments come from another program at run time']);
    expect(fx.complete).toBe(false);
    expect(snapshot(w.project)).toEqual(before);
  });
});

describe('mv / cp / redirects: what would be overwritten', () => {
  it('mv onto an existing file, cp -r into an existing dir, > onto a file; nothing changes', async () => {
    const w = world();
    put(join(w.project, 'dst/src/a.ts'), 'old a\n');
    const before = snapshot(w.project);
    const mv = await shell(w, 'mv notes.md README.md');
    expect(mv.items[0]).toMatchObject({ kind: 'overwrite', title: expect.stringContaining('overwrite 1 existing path') });
    expect(mv.items[0]!.entries![0]).toMatchObject({ path: 'README.md', git: 'tracked' });
    const cp = await shell(w, 'cp -r src dst/');
    expect(cp.items[0]!.entries!.map((e) => e.path)).toEqual(['dst/src/a.ts']);
    const red = await shell(w, 'echo hi > notes.md');
    expect(red.items[0]).toMatchObject({ kind: 'overwrite', title: expect.stringMatching(/> would overwrite notes.md \(9 B, untracked\)/) });
    expect(red.complete).toBe(true);
    const none = await shell(w, 'cp README.md fresh.md');
    expect(none.items[0]!.title).toMatch(/overwrite nothing/);
    const keep = await shell(w, 'cp -n notes.md README.md');
    expect(keep.items[0]!.title).toMatch(/overwrites nothing/);
    expect(snapshot(w.project)).toEqual(before);
  });
});

describe('sed -i', () => {
  it('shows a unified diff, leaves the file (and no backup) behind', async () => {
    const w = world();
    const before = snapshot(w.project);
    const r = await shell(w, "sed -i.bak -e 's/10/20/' src/a.ts");
    expect(r.items[0]!.kind).toBe('diff');
    expect(r.items[0]!.diff).toBe('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-export const a = 10;\n+export const a = 20;\n');
    expect(r.items[0]!.note).toMatch(/src\/a.ts.bak/);
    expect(snapshot(w.project)).toEqual(before);
  });

  it('refuses a script that would write a file or run a command (sed --sandbox)', async () => {
    const w = world();
    const r = await shell(w, "sed -i 's/a/b/w pwned.txt' src/a.ts");
    expect(r.items[0]!.title).toMatch(/no diff for src\/a.ts: sed failed/);
    expect(existsSync(join(w.project, 'pwned.txt'))).toBe(false);
    const e = await shell(w, "sed -i '1e touch ran.txt' src/a.ts");
    expect(existsSync(join(w.project, 'ran.txt'))).toBe(false);
    expect(e.complete).toBe(false);
  });
});

describe('Write / Edit tool calls', () => {
  it('diffs a Write against the file, and a new file against /dev/null', async () => {
    const w = world();
    const r = await dryRun({ kind: 'file.write', tool: 'Write', path: 'README.md', content: '# app\nmore\n', cwd: w.project }, w.project);
    expect(r.items[0]!.diff).toBe('--- a/README.md\n+++ b/README.md\n@@ -1,1 +1,2 @@\n # app\n+more\n');
    const n = await dryRun({ kind: 'file.write', tool: 'Write', path: join(w.project, 'new.txt'), content: 'x\n', cwd: w.project }, w.project);
    expect(n.items[0]!.title).toBe('Write would create new.txt');
    expect(n.items[0]!.diff).toMatch(/^--- \/dev\/null\n\+\+\+ b\/new.txt/);
    expect(existsSync(join(w.project, 'new.txt'))).toBe(false);
    expect(readFileSync(join(w.project, 'README.md'), 'utf8')).toBe('# app\n');
  });

  it('applies an Edit (old_string → new_string) to a copy of the text', async () => {
    const w = world();
    const r = await dryRun({ kind: 'file.edit', tool: 'Edit', path: 'src/b.ts', content: 'b = 3', input: { old_string: 'b = 2', new_string: 'b = 3' }, cwd: w.project }, w.project);
    expect(r.items[0]!.diff).toContain('-export const b = 2;\n+export const b = 3;');
    const miss = await dryRun({ kind: 'file.edit', tool: 'Edit', path: 'src/b.ts', input: { old_string: 'nope', new_string: 'x' }, cwd: w.project }, w.project);
    expect(miss.items[0]!.note).toMatch(/not in the file/);
  });
});

describe('git', () => {
  function withRemote(w: World): string {
    const bare = join(w.root, 'remote.git');
    git(w.root, 'init', '-q', '--bare', bare);
    git(w.project, 'remote', 'add', 'origin', bare);
    return bare;
  }

  it('git push → git push --dry-run against a real bare remote: refs listed, remote unchanged, pre-push hook not run', async () => {
    const w = world();
    const bare = withRemote(w);
    const marker = join(w.root, 'HOOK_RAN');
    put(join(w.project, '.git/hooks/pre-push'), `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(join(w.project, '.git/hooks/pre-push'), 0o755);
    const r = await shell(w, 'git push origin main');
    expect(r.items[0]!.kind).toBe('ran');
    expect(r.items[0]!.ran!.argv).toEqual(expect.arrayContaining(['push', 'origin', 'main', '--dry-run', '--no-verify']));
    expect(r.items[0]!.ran!.output).toMatch(/\[new branch\]\s+main -> main/);
    expect(git(bare, 'for-each-ref')).toBe('');
    expect(existsSync(marker)).toBe(false);
    expect(r.complete).toBe(true);
  });

  it('refuses git push --receive-pack (a program to run) and a push under sudo', async () => {
    const w = world();
    withRemote(w);
    const marker = join(w.root, 'RP_RAN');
    const r = await shell(w, `git push --receive-pack='touch ${marker}; git-receive-pack' origin main`);
    expect(r.items[0]!.title).toMatch(/receive-pack/);
    expect(r.items[0]!.ran).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
    const s = await shell(w, 'sudo git push origin main');
    expect(s.items.find((i) => i.title.includes('raised privileges'))).toBeTruthy();
    // A remote helper (ext::, or any foo::url) would run a program: the preview's git refuses the transport.
    const ext = await shell(w, `git push 'ext::sh -c touch% ${marker}' main`);
    expect(ext.items[0]!.ran!.exitCode).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('git clean -fdx → git clean -n: lists, removes nothing', async () => {
    const w = world();
    const before = snapshot(w.project);
    const r = await shell(w, 'git clean -fdx');
    expect(r.items[0]!.ran!.argv).toEqual(expect.arrayContaining(['clean', '-dx', '--dry-run']));
    expect(r.items[0]!.ran!.argv).not.toContain('-fdx');
    expect(r.items[0]!.ran!.output).toMatch(/Would remove build\//);
    expect(r.items[0]!.ran!.output).toMatch(/Would remove notes.md/);
    expect(snapshot(w.project)).toEqual(before);
  });

  it('git checkout -- / restore / branch -D / stash drop → what would be lost, nothing changed', async () => {
    const w = world();
    git(w.project, 'switch', '-q', '-c', 'topic');
    put(join(w.project, 'topic.txt'), 't\n');
    git(w.project, 'add', 'topic.txt');
    git(w.project, 'commit', '-q', '-m', 'only on topic');
    git(w.project, 'switch', '-q', 'main');
    put(join(w.project, 'src/b.ts'), 'changed b\n');
    git(w.project, 'stash', 'push', '-q', '--', 'src/b.ts');
    const before = snapshot(w.project);
    const co = await shell(w, 'git checkout -- src/a.ts');
    expect(co.items[0]!.ran!.output).toMatch(/src\/a.ts \| 2/);
    const re = await shell(w, 'git restore src');
    expect(re.items[0]!.ran!.output).toMatch(/src\/a.ts \| 2/);
    const br = await shell(w, 'git branch -D topic');
    expect(br.items[0]!.ran!.output).toMatch(/only on topic/);
    const st = await shell(w, 'git stash drop');
    expect(st.items[0]!.ran!.output).toMatch(/src\/b.ts/);
    expect(snapshot(w.project)).toEqual(before);
    expect(git(w.project, 'branch', '--list', 'topic')).toMatch(/topic/);
    expect(git(w.project, 'stash', 'list')).toMatch(/stash@\{0\}/);
  });

  it('git reset --hard → the uncommitted changes it would discard', async () => {
    const w = world();
    const r = await shell(w, 'git reset --hard');
    expect(r.items[0]!.ran!.output).toMatch(/src\/a.ts \| 2/);
    expect(readFileSync(join(w.project, 'src/a.ts'), 'utf8')).toBe('export const a = 10;\n');
  });
});

describe('programs with their own preview mode', () => {
  it('npm publish → --dry-run --ignore-scripts: lifecycle scripts do not run, nothing is published', async () => {
    const w = world();
    const pkg = join(w.root, 'pkg');
    put(join(pkg, 'package.json'), JSON.stringify({ name: 'fwg-dry-pkg', version: '1.0.0', scripts: { prepack: 'touch PREPACK_RAN', prepublishOnly: 'touch PREPUBLISH_RAN' } }));
    put(join(pkg, 'index.js'), 'module.exports = 1;\n');
    // Offline: a registry nobody listens on; update-notifier off (it would otherwise wait on the network).
    const r = await shell(w, 'npm publish --registry http://127.0.0.1:9', { npm_config_cache: join(w.root, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_fetch_retries: '0' }, pkg);
    expect(r.items[0]!.ran!.argv).toEqual(expect.arrayContaining(['publish', '--dry-run', '--ignore-scripts']));
    expect(r.items[0]!.ran!.output).toMatch(/fwg-dry-pkg/);
    expect(existsSync(join(pkg, 'PREPACK_RAN'))).toBe(false);
    expect(existsSync(join(pkg, 'PREPUBLISH_RAN'))).toBe(false);
  });

  it('npm install X → --dry-run: no node_modules, package.json unchanged', async () => {
    const w = world();
    const pkg = join(w.root, 'app');
    put(join(pkg, 'package.json'), '{"name":"app","version":"1.0.0"}\n');
    put(join(pkg, 'dep/package.json'), '{"name":"dep","version":"1.0.0"}\n');
    const r = await shell(w, 'npm install ./dep --registry http://127.0.0.1:9', { npm_config_cache: join(w.root, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' }, pkg);
    expect(r.items[0]!.ran!.exitCode).toBe(0);
    expect(r.items[0]!.ran!.output).toMatch(/add dep 1\.0\.0/);
    expect(existsSync(join(pkg, 'node_modules'))).toBe(false);
    expect(readFileSync(join(pkg, 'package.json'), 'utf8')).toBe('{"name":"app","version":"1.0.0"}\n');
  });

  it('kubectl apply → --dry-run=server (the only call made)', async () => {
    const w = world();
    const k = fake(w, 'kubectl');
    const r = await shell(w, 'kubectl apply -f k8s/ --dry-run=client', { PATH: `${k.dir}:${w.env.PATH}` });
    expect(k.calls()).toEqual([['apply', '-f', 'k8s/', '--dry-run=server']]);
    expect(r.items[0]!.ran!.output).toContain('fake kubectl apply -f k8s/ --dry-run=server');
    const get = await shell(w, 'kubectl exec -it pod -- sh', { PATH: `${k.dir}:${w.env.PATH}` });
    expect(get.items[0]!.title).toMatch(/no safe preview for kubectl exec/);
    expect(k.calls()).toHaveLength(1);
  });

  it('terraform apply → terraform plan (real terraform, offline config): plan shown, no state written', async () => {
    const w = world();
    const tf = join(w.root, 'tf');
    put(join(tf, 'main.tf'), 'variable "greeting" {\n  default = "hello"\n}\nresource "terraform_data" "x" {\n  input = var.greeting\n}\n');
    const env = { TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' };
    const init = spawnSync('terraform', ['init', '-input=false', '-no-color'], { cwd: tf, env: { ...w.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    if (init.error || init.status !== 0) {
      // Visible in the test output: terraform missing or unable to init offline.
      console.warn(`terraform preview test skipped: ${init.error?.message ?? init.stderr}`);
      return;
    }
    const r = await shell(w, 'terraform apply -var greeting=bonjour -auto-approve', env, tf);
    expect(r.items[0]!.ran!.argv.slice(0, 2)).toEqual(['terraform', 'plan']);
    expect(r.items[0]!.ran!.output).toMatch(/input\s+=\s+"bonjour"/);
    expect(r.items[0]!.ran!.argv).not.toContain('-auto-approve');
    expect(r.items[0]!.ran!.output).toMatch(/Plan: 1 to add/);
    expect(existsSync(join(tf, 'terraform.tfstate'))).toBe(false);
    const d = await shell(w, 'terraform destroy -auto-approve', env, tf);
    expect(d.items[0]!.ran!.argv).toContain('-destroy');
  }, 120_000);

  it('helm → --dry-run; --post-renderer refused', async () => {
    const w = world();
    const h = fake(w, 'helm');
    const PATH = `${h.dir}:${w.env.PATH}`;
    await shell(w, 'helm upgrade --install web ./chart', { PATH });
    expect(h.calls()).toEqual([['upgrade', '--install', 'web', './chart', '--dry-run']]);
    const r = await shell(w, 'helm install web ./chart --post-renderer ./hack.sh', { PATH });
    expect(r.items[0]!.title).toMatch(/post-renderer/);
    expect(h.calls()).toHaveLength(1);
  });

  it('rsync → -n first; --rsync-path and a non-ssh -e refused', async () => {
    const w = world();
    const r = fake(w, 'rsync');
    const PATH = `${r.dir}:${w.env.PATH}`;
    await shell(w, 'rsync -av --delete src/ host:/srv/app/', { PATH });
    expect(r.calls()).toEqual([['--dry-run', '--itemize-changes', '-av', '--delete', 'src/', 'host:/srv/app/']]);
    const bad = await shell(w, "rsync -av --rsync-path='sudo rsync' src/ host:/x", { PATH });
    expect(bad.items[0]!.title).toMatch(/rsync-path/);
    const e = await shell(w, "rsync -e 'sh -c' src/ host:/x", { PATH });
    expect(e.items[0]!.title).toMatch(/other than ssh/);
    const proxy = await shell(w, "rsync -e 'ssh -o ProxyCommand=touch%x' src/ host:/x", { PATH });
    expect(proxy.items[0]!.title).toMatch(/run a local command/);
    expect(r.calls()).toHaveLength(1);
  });
});

describe('where no safe preview exists, it says so', () => {
  it('make, a script, a remote command: no preview, never run', async () => {
    const w = world();
    const marker = join(w.root, 'RAN');
    put(join(w.project, 'Makefile'), `all:\n\ttouch ${marker}\n`);
    const r = await shell(w, 'make');
    expect(r.items[0]!.title).toBe('no safe preview for make: fwguard cannot tell what it does without running it');
    expect(r.complete).toBe(false);
    expect(existsSync(marker)).toBe(false);
    const ssh = await shell(w, "ssh host 'git push origin main'");
    expect(ssh.items.some((i) => /over ssh|no safe preview/.test(i.title))).toBe(true);
  });

  it('reads need no preview; a denied line is never previewed', async () => {
    const w = world();
    const r = await shell(w, 'ls -la && cat README.md');
    expect(r.items[0]!.title).toBe('nothing to preview: the line only reads');
    const k = fake(w, 'kubectl');
    const deny: Decision = { verdict: 'deny', opaque: false, reasons: [], actions: [], risk: 'irreversible' };
    const d = await dryRun({ kind: 'shell', command: 'kubectl delete ns prod', cwd: w.project }, w.project, { env: { ...w.env, PATH: `${k.dir}:${w.env.PATH}` }, decision: deny });
    expect(d.items[0]!.title).toMatch(/denied/);
    expect(k.calls()).toEqual([]);
  });
});

describe('unifiedDiff', () => {
  it('hunks with context, separate hunks for distant changes, and equal texts give nothing', () => {
    const a = Array.from({ length: 20 }, (_, k) => `l${k}`).join('\n') + '\n';
    const b = a.replace('l2\n', 'L2\n').replace('l17\n', 'L17\n');
    const d = unifiedDiff(a, b, { from: 'a/f', to: 'b/f' });
    expect(d.match(/^@@/gm)).toHaveLength(2);
    expect(d).toContain('@@ -1,6 +1,6 @@\n l0\n l1\n-l2\n+L2\n l3');
    expect(unifiedDiff(a, a, { from: 'a', to: 'b' })).toBe('');
    expect(unifiedDiff('', 'x\n', { from: '/dev/null', to: 'b/f' })).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,1 @@\n+x\n');
  });
});

