// `fwguard run -- claude` without the real client: a stand-in `claude` executable that does what
// Claude Code does with the two things fwguard gives it (AGENTS-PROTOCOLS.md §0.6, §0.8, §1.6):
// it runs the PreToolUse/PostToolUse command hooks from `--settings` (exec form, JSON on stdin,
// exit 2 or permissionDecision deny blocks, ask acts as deny in -p), and runs each allowed Bash
// command as `$CLAUDE_CODE_SHELL_PREFIX "<whole shell invocation>"`.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, built, envFor, runDirEntries, traceRecords, world } from './helpers.js';

const FAKE_CLAUDE = `#!/usr/bin/env node
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const argv = process.argv.slice(2);
const i = argv.indexOf('--settings');
const settings = JSON.parse(argv[i + 1]);
fs.writeFileSync('settings-seen.json', JSON.stringify(settings));
fs.writeFileSync('prefix-seen.txt', process.env.CLAUDE_CODE_SHELL_PREFIX || '');
const shq = (s) => "'" + s.replace(/'/g, "'\\\\''") + "'";
function runHooks(event, command) {
  const payload = JSON.stringify({ session_id: 'cc-1', cwd: process.cwd(), hook_event_name: event, permission_mode: 'default', tool_name: 'Bash', tool_input: { command } });
  let verdict = 'none', reason = '';
  for (const group of settings.hooks[event] || []) for (const h of group.hooks) {
    const r = spawnSync(h.command, h.args, { input: payload, encoding: 'utf8', timeout: h.timeout * 1000 });
    let d;
    try { d = JSON.parse(r.stdout).hookSpecificOutput?.permissionDecision; } catch {}
    if (r.status === 2 || d === 'deny') { verdict = 'deny'; reason = r.stderr; }
    else if (d === 'ask' && verdict !== 'deny') verdict = 'ask';
    else if (d === 'allow' && verdict === 'none') verdict = 'allow';
  }
  return { verdict, reason };
}
for (const step of argv.slice(i + 2).filter((a) => a !== '-p')) {
  const raw = step.startsWith('raw:');
  const cmd = raw ? step.slice(4) : step;
  const pre = raw ? { verdict: 'skipped' } : runHooks('PreToolUse', cmd);
  let ran = null;
  if (pre.verdict !== 'deny' && pre.verdict !== 'ask') {
    // The invocation Claude Code assembles (as measured in 2.1.330): one argument, re-run with bash -c "$1".
    const invocation = 'source /tmp/snapshot-bash-1.sh 2>/dev/null || true && eval ' + shq(cmd) + ' < /dev/null && pwd -P >| /tmp/claude-fake-cwd';
    const r = spawnSync(process.env.CLAUDE_CODE_SHELL_PREFIX, [invocation], { encoding: 'utf8' });
    ran = { status: r.status, stderr: r.stderr };
    if (!raw) runHooks('PostToolUse', cmd);
  }
  console.log(JSON.stringify({ cmd, hook: pre.verdict, ran }));
}
`;

describe.skipIf(!built)('fwguard run -- claude (a stand-in claude executable)', () => {
  it('injects the hooks for this run only and a shell prefix; both decide through the broker', () => {
    const w = world();
    const claude = join(w.root, 'bin', 'claude');
    mkdirSync(join(w.root, 'bin'), { recursive: true });
    writeFileSync(claude, FAKE_CLAUDE);
    chmodSync(claude, 0o755);
    const userSettings = readFileSync(join(w.project, '.claude/settings.json'), 'utf8');
    const r = spawnSync(process.execPath, [BIN, 'run', '--no-approve-here', '--', claude, '-p', 'echo one > c1.txt', 'echo pwned >> ~/.bashrc', 'kill -0 1', 'raw:echo pwned >> ~/.bashrc', 'raw:echo two > c2.txt'], {
      cwd: w.project,
      env: envFor(w),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { cmd: string; hook: string; ran: { status: number; stderr: string } | null });
    expect(out.map((o) => [o.cmd, o.hook, o.ran?.status ?? null])).toEqual([
      ['echo one > c1.txt', 'allow', 0],
      ['echo pwned >> ~/.bashrc', 'deny', null],
      ['kill -0 1', 'ask', null],
      // Hooks bypassed (say a tool the hook does not see): the prefix still refuses a deny.
      ['echo pwned >> ~/.bashrc', 'skipped', 126],
      ['echo two > c2.txt', 'skipped', 0],
    ]);
    expect(out[3]!.ran!.stderr).toMatch(/^fwguard: denied: \[fwguard fs\.protected-path\]/);
    expect(readFileSync(join(w.project, 'c1.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(w.project, 'c2.txt'), 'utf8')).toBe('two\n');
    expect(readFileSync(join(w.home, '.bashrc'), 'utf8')).toBe('x\n');
    // The settings: exec form at this fwguard, fail closed, not switchable off by project files.
    const s = JSON.parse(readFileSync(join(w.project, 'settings-seen.json'), 'utf8')) as { disableAllHooks: boolean; hooks: Record<string, { matcher: string; hooks: { type: string; command: string; args: string[]; onFailure: string; timeout: number }[] }[]> };
    expect(s.disableAllHooks).toBe(false);
    for (const ev of ['PreToolUse', 'PostToolUse']) {
      const h = s.hooks[ev]![0]!.hooks[0]!;
      expect(s.hooks[ev]![0]!.matcher).toBe('*');
      expect(h).toMatchObject({ type: 'command', command: process.execPath, onFailure: 'block', timeout: 150 });
      expect(h.args.slice(-2)).toEqual(['hook', 'claude-code']);
    }
    expect(readFileSync(join(w.project, 'prefix-seen.txt'), 'utf8')).toMatch(/bin\/shims\/claude-shell-prefix$/);
    // The user's settings file is untouched.
    expect(readFileSync(join(w.project, '.claude/settings.json'), 'utf8')).toBe(userSettings);
    // Every decision went through the run's broker: hooks and prefix alike.
    const t = traceRecords(w);
    const fronts = t.map((x) => `${x.front}:${x.verdict}`);
    expect(fronts.filter((f) => f.startsWith('hook:'))).toEqual(['hook:allow', 'hook:deny', 'hook:ask']);
    expect(fronts.filter((f) => f.startsWith('prefix:'))).toEqual(['prefix:ask', 'prefix:deny', 'prefix:ask']);
    const ids = new Set(t.filter((x) => x.event !== undefined && x.front !== undefined).map((x) => x.broker));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{12}$/);
    expect(existsSync(join(w.project, 'approved.txt'))).toBe(false);
    expect(runDirEntries(w)).toEqual([]);
  });
});

describe.skipIf(!built)('fwguard run --ci -- claude', () => {
  it('the prefix still runs what the hook allowed (the eval in Claude Code’s wrapper line is no CI deny)', () => {
    const w = world();
    const claude = join(w.root, 'bin', 'claude');
    mkdirSync(join(w.root, 'bin'), { recursive: true });
    writeFileSync(claude, FAKE_CLAUDE);
    chmodSync(claude, 0o755);
    const r = spawnSync(process.execPath, [BIN, 'run', '--ci', '--', claude, '-p', 'echo one > ci1.txt', 'kill -0 1', 'raw:echo pwned >> ~/.bashrc'], { cwd: w.project, env: envFor(w), encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { cmd: string; hook: string; ran: { status: number } | null });
    expect(out.map((o) => [o.cmd, o.hook, o.ran?.status ?? null])).toEqual([
      ['echo one > ci1.txt', 'allow', 0],
      ['kill -0 1', 'deny', null],
      ['echo pwned >> ~/.bashrc', 'skipped', 126],
    ]);
    expect(readFileSync(join(w.project, 'ci1.txt'), 'utf8')).toBe('one\n');
    expect(r.stderr).toMatch(/^fwguard: deny sys\.signal \(hook\): kill -0 1/m);
    expect(r.stderr).toMatch(/^fwguard: deny fs\.protected-path \(prefix\): source .*eval 'echo pwned >> ~\/\.bashrc'/m);
    expect(r.stderr).not.toMatch(/deny code\.dynamic/);
  });
});
