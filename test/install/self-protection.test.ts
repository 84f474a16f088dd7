// Self-protection of the agents' hook settings (AGENTS-PROTOCOLS.md §10): an agent may not edit the
// files that register fwguard with it, nor start a child agent with its hooks switched off. Every
// line goes through the real pipeline (parser, readers, path facts, rules); the look-alikes — reads
// of the same files, similarly named files elsewhere, ordinary agent runs — must stay allowed.
import { describe, expect, it } from 'vitest';
import { decide, outcome } from '../helpers/decide.js';

const rules = (cmd: string) => decide(cmd).reasons.map((r) => r.rule);

describe('hook settings files are protected paths', () => {
  it.each([
    'echo x > .claude/settings.json',
    'echo x > .claude/settings.local.json',
    'echo x > ~/.claude/settings.json',
    'echo x > .gemini/settings.json',
    "sed -i 's/true/false/' .gemini/settings.json",
    'echo x > ~/.gemini/settings.json',
    'rm .github/hooks/fwguard.json',
    'echo x > ~/.copilot/hooks/a.json',
    "echo '{}' > .github/copilot/settings.json",
    "echo '{}' > .github/copilot/settings.local.json",
    'mv /tmp/x .cursor/hooks.json',
    "echo '{}' > ~/.cursor/hooks.json",
    "echo '{}' > ~/.codex/hooks.json",
    'echo x >> ~/.codex/config.toml',
    'echo x > .codex/hooks.json',
    'rm .opencode/plugins/fwguard.js',
    'rm .opencode/plugin/fwguard.js',
    "echo '{}' > opencode.json",
    "echo '{}' > opencode.jsonc",
    "echo '{}' > .opencode/opencode.json",
    'echo x > ~/.config/opencode/opencode.json',
  ])('%s → deny (fs.protected-path)', (cmd) => {
    expect(outcome(decide(cmd))).toBe('deny');
    expect(rules(cmd)).toContain('fs.protected-path');
  });

  it.each([
    'cat .claude/settings.json',
    'cat ~/.codex/hooks.json',
    'jq . .cursor/hooks.json',
    'echo x > docs/settings.json',
    'echo x > .github/workflows/ci.yml',
    "echo '{}' > src/opencode.json.bak",
    'echo x > notes/hooks.json',
    'echo x > .cursor/rules/a.mdc',
  ])('look-alike %s is not a protected-path write', (cmd) => {
    expect(rules(cmd)).not.toContain('fs.protected-path');
    expect(outcome(decide(cmd))).not.toBe('deny');
  });
});

describe('child agents started with their hooks off', () => {
  it.each([
    'OPENCODE_PURE=1 opencode run x',
    'opencode --pure run x',
    'codex -c features.hooks=false exec x',
    'codex --config features.codex_hooks=false exec x',
    'codex --disable hooks exec x',
    'codex --disable=codex_hooks exec x',
    "codex -c 'hooks={}' exec x",
    'codex --dangerously-bypass-hook-trust exec x',
    'GEMINI_CLI_SYSTEM_SETTINGS_PATH=/tmp/s.json gemini -p hi',
    'CODEX_HOME=/tmp/fresh codex exec x',
    'CLAUDE_CODE_SAFE_MODE=1 claude -p x',
    `claude --settings '{"disableAllHooks":true}' -p hi`,
  ])('%s → deny (guard.self-protection)', (cmd) => {
    expect(outcome(decide(cmd))).toBe('deny');
    expect(rules(cmd)).toContain('guard.self-protection');
  });

  it.each(['codex exec "list files"', 'codex -c model=o3 exec x', 'codex --disable web_search exec x', 'OPENCODE_PURE=0 opencode run x', 'opencode run "fix tests"', 'gemini -p hello'])(
    'look-alike %s is not self-protection',
    (cmd) => {
      expect(rules(cmd)).not.toContain('guard.self-protection');
    },
  );
});
