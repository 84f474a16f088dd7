// Every committed payload (captured from the real clients: <agent>-<version>-…; built from the
// documented shapes for what the clients here did not send, and for Cursor, which cannot run
// here: <agent>-docs-…) maps to the Proposal it
// stands for. A fixture without a row here fails the suite, so none is committed untested.
import { describe, expect, it } from 'vitest';
import { ADAPTERS, AGENT_IDS } from '../../src/agents/index.js';
import { sandbox } from '../helpers/decide.js';
import { agentOf, fixtureNames, hook, loadFixture } from './helpers.js';

type Expect = { phase: 'pre' | 'post' | 'ignore'; mapped: 'proposal' | 'free' | 'malformed'; kind?: string; tool?: string; command?: string; path?: string; url?: string; session?: boolean; subagent?: boolean; verdict?: string };

// {P} is the sandbox project. `verdict` is what the agent sees through the real engine (exit code
// and output checked per agent in verdicts.test.ts): allow = explicit allow, none = no opinion.
const TABLE: Record<string, Expect> = {
  'claude-code-2.1.330-bash.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Bash', command: 'touch {P}/MARKER_1', session: true, verdict: 'allow' },
  'claude-code-2.1.330-monitor.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Monitor', command: 'echo monitored', verdict: 'allow' },
  'claude-code-2.1.330-post-monitor.json': { phase: 'post', mapped: 'proposal', kind: 'shell', tool: 'Monitor' },
  'claude-code-2.1.330-agent.json': { phase: 'pre', mapped: 'free', verdict: 'allow' },
  'claude-code-2.1.330-subagent-bash.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Bash', subagent: true, verdict: 'allow' },
  'claude-code-2.1.330-write.json': { phase: 'pre', mapped: 'proposal', kind: 'file.write', tool: 'Write', path: '{P}/nb.ipynb', verdict: 'allow' },
  'claude-code-2.1.330-read.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'Read', path: '{P}/nb.ipynb', verdict: 'allow' },
  'claude-code-2.1.330-notebookedit.json': { phase: 'pre', mapped: 'proposal', kind: 'file.edit', tool: 'NotebookEdit', path: '{P}/nb.ipynb', verdict: 'allow' },
  'gemini-0.61.0-run-shell-command.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'run_shell_command', command: 'touch {P}/MARKER_1', session: true, verdict: 'allow' },
  'gemini-0.61.0-aftertool-run-shell-command.json': { phase: 'post', mapped: 'proposal', kind: 'shell' },
  'gemini-0.61.0-write-file.json': { phase: 'pre', mapped: 'proposal', kind: 'file.write', path: '{P}/a.txt', verdict: 'allow' },
  'gemini-0.61.0-replace.json': { phase: 'pre', mapped: 'proposal', kind: 'file.edit', path: '{P}/a.txt', verdict: 'allow' },
  'gemini-0.61.0-read-file.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', path: '{P}/a.txt', verdict: 'allow' },
  'gemini-0.61.0-list-directory.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', path: '{P}', verdict: 'allow' },
  'gemini-0.61.0-glob.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', path: '{P}', verdict: 'allow' },
  'gemini-0.61.0-grep-search.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', path: '{P}', verdict: 'allow' },
  'gemini-0.61.0-web-fetch.json': { phase: 'pre', mapped: 'proposal', kind: 'web.fetch', url: 'http://127.0.0.1:9/page', verdict: 'allow' },
  'codex-0.169.0-bash.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Bash', command: 'touch {P}/MARKER_1', session: true, verdict: 'none' },
  'codex-0.169.0-post-bash.json': { phase: 'post', mapped: 'proposal', kind: 'shell' },
  'codex-0.169.0-apply-patch-add.json': { phase: 'pre', mapped: 'proposal', kind: 'file.write', tool: 'apply_patch', path: 'hello.txt', verdict: 'none' },
  'codex-0.169.0-apply-patch-update-add.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'apply_patch', command: ": >> 'hello.txt'\n: > 'two.txt'", verdict: 'none' },
  'codex-docs-apply-patch-tool.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'apply_patch', command: ": >> 'src/util.ts'\nrm -- 'docs/faq.md'", verdict: 'none' },
  'copilot-1.0.102-bash.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'bash', command: 'touch {P}/MARKER_1', session: true, verdict: 'allow' },
  'copilot-1.0.102-post-bash.json': { phase: 'post', mapped: 'proposal', kind: 'shell', tool: 'bash', session: true },
  'copilot-1.0.102-create.json': { phase: 'pre', mapped: 'proposal', kind: 'file.write', tool: 'create', path: '{P}/a.txt', session: true, verdict: 'allow' },
  'copilot-1.0.102-view.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'view', path: '{P}/a.txt', verdict: 'allow' },
  'copilot-1.0.102-edit.json': { phase: 'pre', mapped: 'proposal', kind: 'file.edit', tool: 'edit', path: '{P}/a.txt', verdict: 'allow' },
  'copilot-1.0.102-glob.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'glob', path: '{P}', verdict: 'allow' },
  'copilot-1.0.102-grep.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'grep', path: '{P}', verdict: 'allow' },
  'copilot-1.0.102-web-fetch.json': { phase: 'pre', mapped: 'proposal', kind: 'web.fetch', tool: 'web_fetch', url: 'http://127.0.0.1:9/page', verdict: 'allow' },
  'copilot-docs-pretooluse-bash-string-args.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'bash', command: 'touch {P}/MARKER_1', verdict: 'allow' },
  'copilot-docs-claude-style-bash.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Bash', command: 'touch {P}/MARKER_1', session: true, verdict: 'allow' },
  'cursor-docs-beforeshellexecution.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Shell', command: 'touch {P}/MARKER_1', session: true, verdict: 'allow' },
  'cursor-docs-aftershellexecution.json': { phase: 'post', mapped: 'proposal', kind: 'shell' },
  'cursor-docs-beforereadfile.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'Read', path: '{P}/README.md', verdict: 'allow' },
  'cursor-docs-beforemcpexecution.json': { phase: 'pre', mapped: 'proposal', kind: 'tool', tool: 'database_query', verdict: 'none' },
  'cursor-docs-pretooluse-shell.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Shell', command: 'touch {P}/MARKER_1', verdict: 'allow' },
  'cursor-docs-pretooluse-write.json': { phase: 'pre', mapped: 'proposal', kind: 'file.write', tool: 'Write', path: '{P}/notes-new.txt', verdict: 'allow' },
  'cursor-docs-pretooluse-delete.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'Delete', command: "rm -- '{P}/notes.txt'", verdict: 'ask' },
  'opencode-1.18.33-bash.json': { phase: 'pre', mapped: 'proposal', kind: 'shell', tool: 'bash', command: 'touch {P}/MARKER_1', session: true, verdict: 'allow' },
  'opencode-1.18.33-after-bash.json': { phase: 'post', mapped: 'proposal', kind: 'shell', tool: 'bash' },
  'opencode-1.18.33-write.json': { phase: 'pre', mapped: 'proposal', kind: 'file.write', tool: 'write', path: '{P}/a.txt', verdict: 'allow' },
  'opencode-1.18.33-read.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'read', path: '{P}/a.txt', verdict: 'allow' },
  'opencode-1.18.33-edit.json': { phase: 'pre', mapped: 'proposal', kind: 'file.edit', tool: 'edit', path: '{P}/a.txt', verdict: 'allow' },
  'opencode-1.18.33-glob.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'glob', path: '{P}', verdict: 'allow' },
  'opencode-1.18.33-grep.json': { phase: 'pre', mapped: 'proposal', kind: 'file.read', tool: 'grep', path: '{P}', verdict: 'allow' },
  'opencode-1.18.33-webfetch.json': { phase: 'pre', mapped: 'proposal', kind: 'web.fetch', tool: 'webfetch', url: 'http://127.0.0.1:9/page', verdict: 'allow' },
};

/** What an agent sees: allow / none (no opinion) / ask / deny, per its protocol. */
function seen(agent: string, r: ReturnType<typeof hook>): string {
  if (r.exitCode === 2) return 'deny';
  const j = r.json;
  if (!j) return 'none';
  const v = (j.permissionDecision ?? (j.hookSpecificOutput as Record<string, unknown> | undefined)?.permissionDecision ?? j.permission ?? j.decision) as string | undefined;
  if (agent === 'cursor' && v === undefined) return 'none';
  return v ?? 'garbage';
}

describe('agent fixtures', () => {
  it('the registry has the six agents of issue 7', () => {
    expect(AGENT_IDS.sort()).toEqual(['claude-code', 'codex', 'copilot', 'cursor', 'gemini', 'opencode']);
  });

  it('every fixture has a row, every row a fixture, and each name carries the client version or "docs"', () => {
    expect(fixtureNames()).toEqual(Object.keys(TABLE).sort());
    for (const f of fixtureNames()) expect(f).toMatch(/^(claude-code|gemini|copilot|codex|cursor|opencode)-(\d+\.\d+\.\d+|docs)-[a-z0-9-]+\.json$/);
    // Real captures exist for every agent whose client runs here.
    for (const a of ['claude-code', 'gemini', 'codex', 'opencode', 'copilot']) expect(fixtureNames().some((f) => f.startsWith(`${a}-`) && /\d+\.\d+\.\d+/.test(f))).toBe(true);
  });

  const P = sandbox().project;
  const fill = (s: string) => s.split('{P}').join(P);
  for (const [name, e] of Object.entries(TABLE)) {
    it(`${name} → ${e.phase} ${e.kind ?? e.mapped}${e.verdict ? ` → ${e.verdict}` : ''}`, () => {
      const agent = agentOf(name);
      const payload = loadFixture(name, P);
      const input = ADAPTERS[agent]!.read(payload, '/nonexistent-fallback');
      expect(input.phase).toBe(e.phase);
      expect(input.mapped.kind).toBe(e.mapped);
      if (input.mapped.kind === 'proposal') {
        const p = input.mapped.proposal;
        expect(p.agent).toBe(agent);
        expect(p.cwd).toBe(P);
        if (e.kind) expect(p.kind).toBe(e.kind);
        if (e.tool) expect(p.tool).toBe(e.tool);
        if (e.command) expect(p.command).toBe(fill(e.command));
        if (e.path) expect(p.path).toBe(fill(e.path));
        if (e.url) expect(p.url).toBe(e.url);
        if (e.session) expect(p.session).toBeTruthy();
        if (e.subagent) expect(p.subagent).toBeTruthy();
      }
      if (e.verdict) expect(seen(agent, hook(agent, payload))).toBe(e.verdict);
      else expect(hook(agent, payload)).toMatchObject({ stdout: '', exitCode: 0 });
    });
  }
});
