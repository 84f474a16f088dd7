// Bounded undo through the real hook and the real CLI: what an allowed call is about to destroy
// (and git cannot restore) is copied first; `fwguard undo ID` puts it back byte for byte.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sandbox } from '../helpers/decide.js';
import { backup, DEFAULT_LIMITS, listBackups } from '../../src/exec/backup.js';

const BIN = new URL('../../bin/run.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/hook.js', import.meta.url));

function hook(cwd: string, home: string, state: string, command: string) {
  const r = spawnSync(process.execPath, [BIN, 'hook', 'claude-code'], {
    input: JSON.stringify({ session_id: 'u1', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } }),
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: home, FWGUARD_STATE_DIR: state },
    encoding: 'utf8',
  });
  let d = 'none';
  try {
    d = JSON.parse(r.stdout).hookSpecificOutput.permissionDecision;
  } catch {
    /* no opinion */
  }
  return r.status === 2 ? 'deny' : d;
}

describe.skipIf(!built)('bounded undo', () => {
  it('overwriting an untracked file is allowed once backed up, and undo restores it byte-identical', () => {
    const b = sandbox();
    const state = mkdtempSync(join(b.root, 'undo-'));
    const file = join(b.project, 'notes-undo.bin');
    const bytes = randomBytes(4096);
    writeFileSync(file, bytes);
    // POLICY: overwrite an untracked file → ask; allow once fwguard has backed it up.
    expect(hook(b.project, b.home, state, 'echo gone > notes-undo.bin')).toBe('allow');
    writeFileSync(file, 'gone\n'); // what the command would have done
    const [m] = listBackups(state);
    expect(m?.entries.map((e) => e.path)).toEqual([file]);
    const r = spawnSync(process.execPath, [BIN, 'undo', m!.id, '--force'], { env: { ...process.env, HOME: b.home, FWGUARD_STATE_DIR: state }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    rmSync(file);
  });
  it('deleting an untracked directory (asked) is backed up whole, regenerable subdirs left out', () => {
    const b = sandbox();
    const state = mkdtempSync(join(b.root, 'undo-'));
    const dir = join(b.project, 'scratchpad');
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'A');
    writeFileSync(join(dir, 'node_modules', 'x', 'big.js'), 'x'.repeat(10_000));
    expect(hook(b.project, b.home, state, 'rm -rf scratchpad')).toBe('ask');
    const [m] = listBackups(state);
    expect(m?.entries[0]?.kind).toBe('dir');
    rmSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [BIN, 'undo', m!.id], { env: { ...process.env, HOME: b.home, FWGUARD_STATE_DIR: state }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    rmSync(dir, { recursive: true });
  });
  it('undo refuses to overwrite a file changed after the backup, unless --force', () => {
    const b = sandbox();
    const state = mkdtempSync(join(b.root, 'undo-'));
    const file = join(b.project, 'later.txt');
    writeFileSync(file, 'v1');
    const r = backup(state, [file], { cwd: b.project, command: 'rm later.txt' }, () => false, DEFAULT_LIMITS, Date.now() - 60_000);
    writeFileSync(file, 'v2 (newer work)');
    const refuse = spawnSync(process.execPath, [BIN, 'undo', r.id!], { env: { ...process.env, HOME: b.home, FWGUARD_STATE_DIR: state }, encoding: 'utf8' });
    expect(refuse.status).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('v2 (newer work)');
    rmSync(file);
  });
  it('respects the per-action and total caps (oldest evicted first); over the cap the call asks', () => {
    const b = sandbox();
    const state = mkdtempSync(join(b.root, 'caps-'));
    const big = join(b.root, 'big.bin');
    writeFileSync(big, Buffer.alloc(3000));
    const limits = { perActionBytes: 2000, totalBytes: 5000, ttlMs: DEFAULT_LIMITS.ttlMs };
    const over = backup(state, [big], { cwd: b.root, command: 'rm big.bin' }, () => false, limits);
    expect(over.id).toBeUndefined();
    expect(over.skipped[0]!.why).toContain('per-action');
    const small = join(b.root, 'small.bin');
    writeFileSync(small, Buffer.alloc(1500));
    const ids = [1, 2, 3, 4].map((k) => backup(state, [small], { cwd: b.root, command: `rm small.bin #${k}` }, () => false, limits, Date.now() + k).id);
    const left = listBackups(state).map((m) => m.id);
    expect(left.length).toBe(3);
    expect(left).not.toContain(ids[0]);
    expect(left).toContain(ids[3]);
    // Through the hook, an overwrite that cannot be backed up stays ask.
    const huge = join(b.project, 'huge-untracked.bin');
    writeFileSync(huge, Buffer.alloc(60 * 1024 * 1024));
    expect(hook(b.project, b.home, mkdtempSync(join(b.root, 'h-')), 'echo x > huge-untracked.bin')).toBe('ask');
    rmSync(huge);
  });
  it('the agent cannot purge backups', () => {
    const b = sandbox();
    expect(hook(b.project, b.home, mkdtempSync(join(b.root, 'p-')), 'fwguard undo --purge')).toBe('deny');
  });
});
