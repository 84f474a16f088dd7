// What the agent init/doctor tests share: a fresh temp folder holding a real git project and an
// empty HOME, and a writer for the JSON (or text) files they plant in it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

/** `<tmp>/proj` (a `git init`ed repository) and `<tmp>/home` (empty), under a new temp folder. */
export function tempProject(prefix: string): { tmp: string; project: string; home: string } {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const project = join(tmp, 'proj');
  const home = join(tmp, 'home');
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  spawnSync('git', ['init', '-q', project]);
  return { tmp, project, home };
}

/** Write `v` to `p` (a string as is, anything else as 2-space JSON), creating its folder. */
export function write(p: string, v: unknown): void {
  mkdirSync(resolve(p, '..'), { recursive: true });
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v, null, 2) + '\n');
}
