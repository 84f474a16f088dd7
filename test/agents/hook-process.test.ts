// A few calls per agent through the real built hook process (node bin/run.js hook <agent> →
// dist/hook.js), the way each client runs it: stdin JSON in, the agent's answer and exit code out.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/decide.js';
import { loadFixture, withField } from './helpers.js';

const BIN = new URL('../../bin/run.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/hook.js', import.meta.url));

function run(agent: string, stdin: string) {
  const b = sandbox();
  const r = spawnSync(process.execPath, [BIN, 'hook', agent], {
    input: stdin,
    cwd: b.project,
    env: { PATH: process.env.PATH ?? '', HOME: b.home, FWGUARD_STATE_DIR: mkdtempSync(join(b.root, 'state-')) },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

const CASES: { agent: string; fixture: string; field: string[]; deny: string; allow: string; allowOut: RegExp; denyOut: RegExp }[] = [
  { agent: 'gemini', fixture: 'gemini-0.61.0-run-shell-command.json', field: ['tool_input', 'command'], deny: 'git push --force origin main', allow: 'git status', allowOut: /^\{"decision":"allow"\}$/, denyOut: /^\{"decision":"deny","reason":"\[fwguard git\./ },
  { agent: 'codex', fixture: 'codex-0.169.0-bash.json', field: ['tool_input', 'command'], deny: 'rm -rf ~', allow: 'git status', allowOut: /^$/, denyOut: /"permissionDecision":"deny"/ },
  { agent: 'copilot', fixture: 'copilot-1.0.102-bash.json', field: ['toolArgs', 'command'], deny: 'rm -rf ~', allow: 'git status', allowOut: /^\{"permissionDecision":"allow"/, denyOut: /^\{"permissionDecision":"deny"/ },
  { agent: 'cursor', fixture: 'cursor-docs-beforeshellexecution.json', field: ['command'], deny: 'rm -rf ~', allow: 'git status', allowOut: /^\{"permission":"allow"\}$/, denyOut: /^\{"permission":"deny","user_message":"\[fwguard / },
  { agent: 'opencode', fixture: 'opencode-1.18.33-bash.json', field: ['args', 'command'], deny: 'rm -rf ~', allow: 'git status', allowOut: /^\{"decision":"allow"\}$/, denyOut: /^\{"decision":"deny"/ },
  { agent: 'claude-code', fixture: 'claude-code-2.1.330-subagent-bash.json', field: ['tool_input', 'command'], deny: 'rm -rf ~', allow: 'git status', allowOut: /"permissionDecision":"allow"/, denyOut: /"permissionDecision":"deny"/ },
];

describe.skipIf(!built)('hook process per agent (dist/hook.js)', () => {
  for (const c of CASES) {
    it(`${c.agent}: deny exits 2 with the reason on stderr; an understood call passes`, () => {
      const deny = run(c.agent, JSON.stringify(withField(loadFixture(c.fixture), c.field, c.deny)));
      expect(deny.code).toBe(2);
      expect(deny.stdout).toMatch(c.denyOut);
      expect(deny.stderr).toMatch(/\[fwguard [\w.-]+\]/);
      const allow = run(c.agent, JSON.stringify(withField(loadFixture(c.fixture), c.field, c.allow)));
      expect(allow.code).toBe(0);
      expect(allow.stdout).toMatch(c.allowOut);
    });
    it(`${c.agent}: garbage on stdin blocks`, () => {
      const r = run(c.agent, '{"half":');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('internal.error');
    });
  }
});
