// Agent payloads through the real engine: runHook (the function the hook process runs) with a
// sandbox HOME and git project (test/helpers/decide.ts), and fixtures captured from the real clients.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/decide.js';
import { runHook } from '../../src/hook/main.js';
import type { HookResult } from '../../src/agents/adapter.js';

export const FIXTURES = new URL('../fixtures/agents/', import.meta.url).pathname;

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
}

/** The agent id a fixture belongs to (file names are <agent>-<version|docs>-<what>.json). */
export function agentOf(name: string): string {
  return name.startsWith('claude-code-') ? 'claude-code' : name.split('-')[0]!;
}

/** The project dir the payload was captured in (its cwd, Cursor's workspace root, or the harness's proj dir). */
function capturedProject(text: string, j: Record<string, unknown>): string | undefined {
  if (typeof j.cwd === 'string') return j.cwd;
  if (Array.isArray(j.workspace_roots) && typeof j.workspace_roots[0] === 'string') return j.workspace_roots[0];
  return /\/tmp\/[\w.-]+\/\w+\/proj/.exec(text)?.[0];
}

/**
 * A fixture as its agent would send it from the sandbox project: the capture's project dir is
 * replaced by the sandbox's, nothing else changes. OpenCode fixtures are what the plugin's
 * `tool.execute.before/after` received ({input, output}); they become what plugins/opencode/fwguard.js
 * sends to `fwguard hook opencode`.
 */
export function loadFixture(name: string, project = sandbox().project): Record<string, unknown> {
  let text = readFileSync(join(FIXTURES, name), 'utf8');
  const proj = capturedProject(text, JSON.parse(text) as Record<string, unknown>);
  if (proj) text = text.split(proj).join(project);
  const j = JSON.parse(text) as Record<string, unknown>;
  if (agentOf(name) === 'opencode') {
    const input = j.input as Record<string, unknown>;
    const output = j.output as Record<string, unknown> | undefined;
    return { hook_event_name: j.hook_event_name, tool: input.tool, sessionID: input.sessionID, callID: input.callID, args: output?.args ?? input.args, cwd: project };
  }
  return j;
}

export function hookEnv(extra: Record<string, string> = {}): Record<string, string> {
  const b = sandbox();
  return { HOME: b.home, PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: join(b.home, '.config'), FWGUARD_STATE_DIR: mkdtempSync(join(b.root, 'state-')), ...extra };
}

/** Run the hook function for one agent with a payload (object → JSON, string as is). */
export function hook(agent: string, payload: unknown, env: Record<string, string> = hookEnv()): HookResult & { json: Record<string, unknown> | undefined } {
  const r = runHook(agent, typeof payload === 'string' ? payload : JSON.stringify(payload), env);
  let json: Record<string, unknown> | undefined;
  try {
    json = r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

/** Deep-set a value in a copy of a payload: with(p, ['tool_input', 'command'], 'rm -rf ~'). */
export function withField(p: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(p);
  let o: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[path[path.length - 1]!] = value;
  return copy;
}
