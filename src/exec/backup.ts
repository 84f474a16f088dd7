// Bounded undo: before an allowed (or asked) action deletes or overwrites files git cannot restore
// (untracked, modified, ignored but not regenerable), copy exactly those paths into a backup store
// under the state dir, within caps; `fwguard undo` restores them.
// Layout: <state>/backups/<id>/manifest.json and <id>/files/<n> (one copy per entry, dirs whole).
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface BackupLimits {
  perActionBytes: number;
  totalBytes: number;
  ttlMs: number;
  /**
   * At most this many backups are kept (the oldest go first). Every backup lists the others to
   * prune them, so without a count cap a week of small overwrites made each hook call slower
   * (~7 ms per 1,000 backups; the 1,000,000-input fuzz run reached 5–10 s calls, past hook timeouts).
   */
  maxEntries?: number;
}

export const DEFAULT_LIMITS: BackupLimits = { perActionBytes: 50 * 1024 * 1024, totalBytes: 500 * 1024 * 1024, ttlMs: 7 * 24 * 3600 * 1000, maxEntries: 1000 };

export interface BackupEntry {
  path: string;
  kind: 'file' | 'dir';
  bytes: number;
  /** Where the copy is, relative to the backup folder. */
  copy: string;
  /** mtime of the original when it was backed up (restore refuses to overwrite newer changes). */
  mtimeMs: number;
}

export interface BackupManifest {
  id: string;
  time: number;
  session?: string;
  cwd: string;
  command: string;
  entries: BackupEntry[];
  bytes: number;
}

export interface BackupResult {
  id?: string;
  entries: BackupEntry[];
  /** Paths that could not be backed up (over the caps, unreadable): the decision must ask. */
  skipped: { path: string; why: string }[];
}

export function backupRoot(stateDir: string): string {
  return join(stateDir, 'backups');
}

/** Size of a path, not following links, skipping regenerable dirs; stops counting past `limit`. */
function sizeOf(path: string, regenerable: (name: string) => boolean, limit: number): number {
  let total = 0;
  const stack = [path];
  while (stack.length && total <= limit) {
    const p = stack.pop()!;
    const st = lstatSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!regenerable(e)) stack.push(join(p, e));
    } else total += st.size;
  }
  return total;
}

/**
 * Back up `paths` (absolute; existing). Evicts expired and, if needed, the oldest backups to stay
 * under the total cap. Never copies regenerable dirs found inside a directory.
 */
export function backup(stateDir: string, paths: string[], meta: { session?: string; cwd: string; command: string }, regenerable: (name: string) => boolean, limits: BackupLimits = DEFAULT_LIMITS, now = Date.now()): BackupResult {
  const root = backupRoot(stateDir);
  const entries: BackupEntry[] = [];
  const skipped: BackupResult['skipped'] = [];
  if (paths.length === 0) return { entries, skipped };
  // Sizes first, so an action over its cap copies nothing half-way.
  const sized: { path: string; bytes: number; dir: boolean }[] = [];
  let sum = 0;
  for (const p of paths) {
    try {
      const st = lstatSync(p);
      const bytes = sizeOf(p, regenerable, limits.perActionBytes + 1);
      sized.push({ path: p, bytes, dir: st.isDirectory() });
      sum += bytes;
    } catch (e) {
      skipped.push({ path: p, why: `unreadable (${(e as Error).message.split(':')[0]})` });
    }
  }
  if (sum > limits.perActionBytes) {
    return { entries, skipped: [...skipped, ...sized.map((x) => ({ path: x.path, why: `over the per-action backup cap (${mb(sum)} > ${mb(limits.perActionBytes)})` }))] };
  }
  prune(root, limits, now, sum);
  const id = `${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  const dir = join(root, id);
  const tmp = join(root, `.${id}.tmp`);
  mkdirSync(join(tmp, 'files'), { recursive: true, mode: 0o700 });
  sized.forEach((x, k) => {
    const copy = join('files', String(k));
    try {
      const st = lstatSync(x.path);
      cpSync(x.path, join(tmp, copy), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true, filter: (src) => src === x.path || !regenerable(src.slice(src.lastIndexOf('/') + 1)) });
      entries.push({ path: x.path, kind: x.dir ? 'dir' : 'file', bytes: x.bytes, copy, mtimeMs: st.mtimeMs });
    } catch (e) {
      skipped.push({ path: x.path, why: `copy failed (${(e as Error).message.split('\n')[0]})` });
    }
  });
  const manifest: BackupManifest = { id, time: now, ...(meta.session ? { session: meta.session } : {}), cwd: meta.cwd, command: meta.command.slice(0, 2000), entries, bytes: sum };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, dir);
  return { id, entries, skipped };
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function listBackups(stateDir: string): BackupManifest[] {
  const root = backupRoot(stateDir);
  if (!existsSync(root)) return [];
  const out: BackupManifest[] = [];
  for (const id of readdirSync(root)) {
    if (id.startsWith('.')) continue;
    try {
      out.push(JSON.parse(readFileSync(join(root, id, 'manifest.json'), 'utf8')) as BackupManifest);
    } catch {
      /* a half-written or foreign folder */
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** Drop expired backups, then the oldest until `incoming` more bytes fit under the total cap. */
function prune(root: string, limits: BackupLimits, now: number, incoming: number): void {
  if (!existsSync(root)) return;
  const all = listBackups(dirname(root));
  let total = all.reduce((n, m) => n + m.bytes, 0);
  // Oldest first; room is kept for the incoming one.
  let over = limits.maxEntries !== undefined ? all.length + 1 - limits.maxEntries : 0;
  for (const m of all) {
    if (now - m.time > limits.ttlMs || total + incoming > limits.totalBytes || over > 0) {
      rmSync(join(root, m.id), { recursive: true, force: true });
      total -= m.bytes;
      over--;
    }
  }
}

export interface RestoreResult {
  restored: string[];
  refused: { path: string; why: string }[];
}

/** Put a backup's files back. A path changed after the backup is refused unless `force`. */
export function restore(stateDir: string, id: string, force = false): RestoreResult {
  const dir = join(backupRoot(stateDir), id);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  const restored: string[] = [];
  const refused: RestoreResult['refused'] = [];
  for (const e of m.entries) {
    if (existsSync(e.path) && !force) {
      const st = statSync(e.path);
      if (st.mtimeMs > m.time) {
        refused.push({ path: e.path, why: 'changed after the backup (use --force to overwrite it)' });
        continue;
      }
    }
    if (existsSync(e.path)) rmSync(e.path, { recursive: true, force: true });
    mkdirSync(dirname(e.path), { recursive: true });
    cpSync(join(dir, e.copy), e.path, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    restored.push(e.path);
  }
  return { restored, refused };
}

export function purgeBackups(stateDir: string): number {
  const all = listBackups(stateDir);
  rmSync(backupRoot(stateDir), { recursive: true, force: true });
  return all.length;
}
