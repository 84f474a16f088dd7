// A small real world for rule examples: a fake HOME with credentials, and a git project with
// tracked, modified, untracked and ignored files. Examples are judged against it, never run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Sandbox {
  root: string;
  home: string;
  project: string;
}

const FILES: Record<string, string> = {
  'README.md': '# app\n', 'LICENSE': 'MIT\n', 'package.json': JSON.stringify({ name: 'app', dependencies: { lodash: '4' }, devDependencies: { vitest: '3' }, scripts: { test: 'vitest' } }),
  'src/index.ts': 'export {}\n', 'src/util.ts': 'export const a = 1;\n', 'src/lib/format.ts': 'export {}\n', 'docs/faq.md': '# faq\n', 'docs/guide.md': '# guide\n',
  'scripts/build.sh': 'echo build\n', '.env.example': 'A=\n', '.gitignore': 'node_modules\ndist\nbuild\n.next\ncoverage\ncerts\n.env\n.env.*\n!.env.example\n', 'tsconfig.json': '{}\n',
  '.claude/settings.json': '{}\n',
};

/**
 * Where the sandbox goes: not under a temp dir (temp dirs are write scope, which would make every
 * "outside the project" example land inside it), so under the user's cache dir.
 */
export function createSandbox(base = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fwguard')): Sandbox {
  mkdirSync(base, { recursive: true });
  const root = realpathSync(mkdtempSync(join(base, 'examples-')));
  const home = join(root, 'home/user');
  const project = join(home, 'project');
  const put = (p: string, c: string) => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, c);
  };
  for (const f of ['.ssh/id_rsa', '.ssh/known_hosts', '.aws/credentials', '.bashrc', '.npmrc', 'Documents/notes.txt', 'other-project/README.md']) put(join(home, f), 'x\n');
  for (const [f, c] of Object.entries(FILES)) put(join(project, f), c);
  const git = (...args: string[]) => execFileSync('git', ['-C', project, ...args], { stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: home } });
  git('init', '-q', '-b', 'feature/login');
  git('-c', 'user.email=t@example.test', '-c', 'user.name=t', 'add', '-A');
  git('-c', 'user.email=t@example.test', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  put(join(project, 'src/util.ts'), 'export const a = 2;\n');
  for (const f of ['notes.txt', 'draft.md', '.env', '.env.local', 'certs/dev.key', 'node_modules/lodash/index.js', 'dist/bundle.js', 'build/out.js', '.next/cache/x']) put(join(project, f), 'x\n');
  return { root, home, project };
}

export { tmpdir };
