// The hook's startup snapshot (dist/hook.blob): is it usable with this node binary, and (re)build
// it when it is not. A blob only loads in the node binary that built it, so `init` checks it by
// running it on a known-bad call before registering the snapshot form of the hook.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeInput } from './probe.js';

export interface SnapshotMeta {
  node: string;
  execPath: string;
  arch: string;
  platform: string;
}

export interface SnapshotStatus {
  blob: string;
  usable: boolean;
  /** Why it is not usable (missing, built by another node, failed the probe). */
  reason?: string;
}

export function blobPath(root: string): string {
  return join(root, 'dist', 'hook.blob');
}

function readMeta(root: string): SnapshotMeta | null {
  try {
    return JSON.parse(readFileSync(join(root, 'dist', 'hook.blob.json'), 'utf8')) as SnapshotMeta;
  } catch {
    return null;
  }
}

/** Run the snapshot hook on `rm -rf ~`: usable only when it denies (exit 2). */
export function probeSnapshot(node: string, blob: string): { ok: boolean; detail: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fwguard-probe-'));
  try {
    const input = probeInput(dir);
    const r = spawnSync(node, ['--snapshot-blob', blob, 'hook', 'claude-code'], {
      input,
      cwd: dir,
      encoding: 'utf8',
      timeout: 10_000,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, FWGUARD_STATE_DIR: join(dir, 'state') },
    });
    if (r.status === 2) return { ok: true, detail: 'denied the probe' };
    return { ok: false, detail: `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout || '').trim().split('\n')[0] ?? ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function snapshotStatus(root: string, node: string = process.execPath): SnapshotStatus {
  const blob = blobPath(root);
  if (!existsSync(blob)) return { blob, usable: false, reason: 'not built' };
  const meta = readMeta(root);
  if (!meta || meta.execPath !== node || (node === process.execPath && meta.node !== process.version)) {
    return { blob, usable: false, reason: `built for ${meta ? `${meta.execPath} ${meta.node}` : 'an unknown node'}, not ${node}${node === process.execPath ? ` ${process.version}` : ''}` };
  }
  const p = probeSnapshot(node, blob);
  return p.ok ? { blob, usable: true } : { blob, usable: false, reason: `probe failed (${p.detail})` };
}

/** (Re)build dist/hook.blob with `node` from dist/hook-snapshot.cjs (written by the build). */
export function buildSnapshot(root: string, node: string = process.execPath): { ok: boolean; detail: string } {
  const entry = join(root, 'dist', 'hook-snapshot.cjs');
  if (!existsSync(entry)) return { ok: false, detail: 'dist/hook-snapshot.cjs is missing (run npm run build)' };
  const blob = blobPath(root);
  // Renamed into place: a hook running now loads the old blob or the new one, never half a file.
  const tmp = `${blob}.${process.pid}.tmp`;
  const r = spawnSync(node, ['--snapshot-blob', tmp, '--build-snapshot', entry], { cwd: join(root, 'dist'), encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) renameSync(tmp, blob);
  else rmSync(tmp, { force: true });
  if (r.status !== 0) return { ok: false, detail: (r.stderr || r.error?.message || `exit ${r.status}`).split('\n').filter((l) => l && !/Warning|may still work|issue tracker|trace-warnings/.test(l)).slice(0, 2).join(' ') };
  const version = node === process.execPath ? process.version : spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const meta: SnapshotMeta = { node: version, execPath: node, arch: process.arch, platform: process.platform };
  writeFileSync(join(root, 'dist', 'hook.blob.json'), JSON.stringify(meta) + '\n');
  return { ok: true, detail: `built for ${node} ${version}` };
}

/** The blob to register, building it if needed; undefined (with a reason) when it cannot be used. */
export function ensureSnapshot(root: string, node: string = process.execPath): { blob?: string; note: string } {
  let st = snapshotStatus(root, node);
  if (st.usable) return { blob: st.blob, note: 'hook runs from its startup snapshot (dist/hook.blob)' };
  const built = buildSnapshot(root, node);
  if (built.ok) {
    st = snapshotStatus(root, node);
    if (st.usable) return { blob: st.blob, note: `hook snapshot rebuilt (${built.detail})` };
  }
  return { note: `hook runs from dist/hook.js (no usable snapshot: ${st.reason ?? built.detail})` };
}
