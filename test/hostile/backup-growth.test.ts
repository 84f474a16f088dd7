// Bounded time over a session's history (issue 6 §5, found by the 1,000,000-input fuzz run): every
// backup lists the backups kept so far to prune them, so their number must be capped, or an agent
// that overwrites small untracked files again and again (each overwrite is allowed once backed up)
// makes every later backing-up hook call slower — in the fuzz run's shared sandbox, 5–10 s per call,
// past the hook timeout that several agents treat as allow. Real files in a real temp state dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backup, DEFAULT_LIMITS, listBackups } from '../../src/exec/backup.js';

const dir = mkdtempSync(join(tmpdir(), 'fwguard-backup-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backups are capped by count, so a backing-up call stays cheap', () => {
  it('keeps at most maxEntries backups, dropping the oldest first', () => {
    const file = join(dir, 'notes.txt');
    const state = join(dir, 'state');
    const limits = { ...DEFAULT_LIMITS, maxEntries: 40 };
    const ids: string[] = [];
    for (let k = 0; k < 100; k++) {
      writeFileSync(file, `version ${k}\n`);
      const r = backup(state, [file], { cwd: dir, command: 'echo x > notes.txt' }, () => false, limits, 1_800_000_000_000 + k * 1000);
      ids.push(r.id!);
    }
    const kept = listBackups(state).map((m) => m.id);
    expect(kept.length).toBe(40);
    expect(kept).toEqual(ids.slice(-40)); // the newest 40, the latest one included
  });

  it('the default cap keeps the per-call listing small (≤ 1,000 manifests)', () => {
    expect(DEFAULT_LIMITS.maxEntries).toBeDefined();
    expect(DEFAULT_LIMITS.maxEntries!).toBeLessThanOrEqual(1000);
  });

  it('without a count cap the same history is all kept (the test can fail)', () => {
    const file = join(dir, 'other.txt');
    const state = join(dir, 'state-uncapped');
    const { maxEntries: _drop, ...uncapped } = DEFAULT_LIMITS;
    for (let k = 0; k < 60; k++) {
      writeFileSync(file, `v${k}\n`);
      backup(state, [file], { cwd: dir, command: 'echo x > other.txt' }, () => false, uncapped, 1_800_000_000_000 + k * 1000);
    }
    expect(listBackups(state).length).toBe(60);
  });
});
