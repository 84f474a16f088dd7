// Finding programs the way a shell's PATH lookup does (regular files this process may execute).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** A regular file this process may execute. */
export function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in the directories of `path`, skipping the directory `skip`. */
export function findOnPath(name: string, path: string | undefined, skip?: string): string | undefined {
  for (const d of (path ?? '').split(delimiter)) {
    if (!d || (skip !== undefined && resolve(d) === resolve(skip))) continue;
    const p = join(d, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}
