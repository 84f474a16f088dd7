// Real temp worlds for the exec, dry-run and prompt tests: a HOME, a state dir, and a git project
// holding tracked, modified, untracked and ignored files (and a regenerable build/ dir).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

export const BIN = new URL('../../bin/run.js', import.meta.url).pathname;

export interface World {
  root: string;
  home: string;
  project: string;
  state: string;
  /** Environment for a fwguard process in this world (no CI variables, no colour). */
  env: Record<string, string>;
}

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function put(file: string, content: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.test', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
}

export function world(): World {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'fwg-exec-')));
  made.push(root);
  const home = join(root, 'home');
  const project = join(home, 'project');
  const state = join(root, 'state');
  mkdirSync(project, { recursive: true });
  mkdirSync(state, { recursive: true });
  put(join(project, 'README.md'), '# app\n');
  put(join(project, 'src/a.ts'), 'export const a = 1;\n');
  put(join(project, 'src/b.ts'), 'export const b = 2;\n');
  put(join(project, '.gitignore'), 'build\n*.log\n');
  git(project, 'init', '-q', '-b', 'main');
  git(project, 'add', '-A');
  git(project, 'commit', '-q', '-m', 'init');
  put(join(project, 'src/a.ts'), 'export const a = 10;\n'); // modified
  put(join(project, 'notes.md'), 'my notes\n'); // untracked
  put(join(project, 'debug.log'), 'log line\n'); // ignored
  put(join(project, 'build/out.js'), 'console.log(1);\n'); // ignored, regenerable
  put(join(project, 'build/sub/chunk.js'), 'x'.repeat(2048));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    FWGUARD_STATE_DIR: state,
    XDG_CONFIG_HOME: join(home, '.config'),
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LANG: 'C.UTF-8',
  };
  return { root, home, project, state, env };
}

/** Every path below dir with its size and content hash stand-in (bytes), to prove nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[p + '/'] = 'dir';
        if (e.name !== '.git') walk(p);
      } else out[p] = `${statSync(p).size}:${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}
