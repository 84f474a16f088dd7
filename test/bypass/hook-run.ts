// Spawning the real hook process (node bin/run.js hook claude-code → dist/hook.js), the way
// test/hook/hook-process.test.ts does, with the sandbox of test/helpers/decide.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sandbox } from '../helpers/decide.js';
import type { Sandbox } from '../../src/policy/sandbox.js';

export const BIN = new URL('../../bin/run.js', import.meta.url).pathname;
export const built = existsSync(new URL('../../dist/hook.js', import.meta.url));

export interface HookResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** allow / ask / deny from the JSON answer, 'none' for exit 0 without output. */
  decision: string | undefined;
  stderr: string;
  stdout: string;
  ms: number;
}

export function runHook(stdin: string, opts: { box?: Sandbox; cwd?: string; timeout?: number; env?: Record<string, string> } = {}): HookResult {
  const b = opts.box ?? sandbox();
  const state = mkdtempSync(join(b.root, 'state-'));
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'hook', 'claude-code'], {
    input: stdin,
    cwd: opts.cwd ?? b.project,
    env: { PATH: process.env.PATH ?? '', HOME: b.home, FWGUARD_STATE_DIR: state, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeout ?? 15_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  let decision: string | undefined;
  try {
    decision = (JSON.parse(r.stdout) as { hookSpecificOutput?: { permissionDecision?: string } }).hookSpecificOutput?.permissionDecision;
  } catch {
    decision = r.stdout.trim() === '' ? 'none' : 'garbage';
  }
  // Exit 2 blocks the call whatever stdout says.
  if (r.status === 2) decision = 'deny';
  return { code: r.status, signal: r.signal, decision, stderr: r.stderr, stdout: r.stdout, ms };
}

/** A PreToolUse payload as Claude Code sends it. */
export function pre(toolName: string, toolInput: unknown, extra: Record<string, unknown> = {}, box?: Sandbox): string {
  const b = box ?? sandbox();
  return JSON.stringify({ session_id: 's-bypass', cwd: b.project, hook_event_name: 'PreToolUse', permission_mode: 'default', tool_name: toolName, tool_input: toolInput, ...extra });
}

export const bash = (command: string, extra: Record<string, unknown> = {}, box?: Sandbox) => runHook(pre('Bash', { command }, extra, box), box ? { box } : {});
