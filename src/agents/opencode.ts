// OpenCode adapter: what plugins/opencode/fwguard.js sends from `tool.execute.before` / `.after`
// ⇄ Proposal / Decision. The plugin is the agent-facing half (it throws to block, AGENTS-PROTOCOLS
// §6 and §12, measured in OpenCode 1.18.33); this side speaks a small protocol of our own:
//   in:  {hook_event_name: "tool.execute.before"|"tool.execute.after", tool, sessionID, callID, args, cwd}
//   out: {"decision":"allow"|"none"|"deny","reason"?}; exit 2 on deny (the plugin also throws on any
//        other non-zero exit, on unparsable output and when fwguard cannot be started).
// OpenCode cannot ask from a plugin (`opencode run` auto-rejects an ask and ends the run), so an ask
// is a deny that tells the model to ask the user.
import type { Decision } from '../types.js';
import { askAsDenyText, asRecord, internalReason, proposalOf, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { patchToMapped } from './apply-patch.js';
import { claudeStyleProposal } from './claude-code.js';

/** OpenCode tools that run nothing and touch no file. */
const FREE = new Set(['task', 'todowrite', 'todoread', 'skill', 'question', 'plan_enter', 'plan_exit', 'invalid']);


function resolveDir(cwd: string, dir: string | undefined): string {
  if (!dir) return cwd;
  return dir.startsWith('/') ? dir : `${cwd.replace(/\/+$/, '')}/${dir}`;
}

export function mapOpenCode(payload: unknown, fallbackCwd: string): Mapped {
  const p = asRecord(payload);
  if (!p) return { kind: 'malformed', reason: 'the hook input is not a JSON object' };
  const tool = str(p.tool);
  if (!tool) return { kind: 'malformed', reason: 'the hook input has no tool' };
  const cwd = str(p.cwd) ?? fallbackCwd;
  const base = { cwd, agent: 'opencode', tool, ...(str(p.sessionID) ? { session: str(p.sessionID)! } : {}) };
  if (FREE.has(tool)) return { kind: 'free' };
  const a = asRecord(p.args);
  const f = (k: string) => (a ? a[k] : undefined);
  switch (tool) {
    case 'bash': {
      const command = str(f('command'));
      return { kind: 'proposal', proposal: { ...base, cwd: resolveDir(cwd, str(f('workdir'))), kind: 'shell', ...(command !== undefined ? { command } : {}) } };
    }
    case 'write':
    case 'edit':
    case 'multiedit': {
      const path = str(f('filePath'));
      const edits = Array.isArray(f('edits')) ? (f('edits') as unknown[]).map((e) => str(asRecord(e)?.newString)).filter((x): x is string => x !== undefined) : [];
      const content = str(f('content')) ?? str(f('newString')) ?? (edits.length ? edits.join('\n') : undefined);
      return { kind: 'proposal', proposal: { ...base, kind: tool === 'write' ? 'file.write' : 'file.edit', ...(path ? { path } : {}), ...(content !== undefined ? { content } : {}) } };
    }
    case 'read': {
      const path = str(f('filePath'));
      return { kind: 'proposal', proposal: { ...base, kind: 'file.read', ...(path ? { path } : {}) } };
    }
    case 'glob':
    case 'grep':
    case 'list': {
      if (!a) return { kind: 'proposal', proposal: { ...base, kind: 'file.read' } };
      return { kind: 'proposal', proposal: { ...base, kind: 'file.read', path: str(f('path')) ?? cwd } };
    }
    case 'webfetch':
    case 'websearch':
    case 'codesearch': {
      const url = str(f('url')) ?? str(f('query'));
      return { kind: 'proposal', proposal: { ...base, kind: 'web.fetch', ...(url ? { url } : {}) } };
    }
    case 'apply_patch':
    case 'patch': {
      const text = str(f('patchText')) ?? str(f('patch'));
      if (text === undefined) return { kind: 'malformed', reason: `${tool} without patchText` };
      return patchToMapped(text, base, tool);
    }
    case 'batch':
      // The batch tool runs other tools without firing their hooks (anomalyco/opencode#5894).
      return { kind: 'malformed', reason: 'batch runs several tools that fwguard cannot judge one by one here; call the tools one at a time' };
    default:
      // Claude-named tools from compatible plugins, MCP tools (<server>_<tool>) and tools fwguard
      // does not know: Claude names map as in Claude Code, the rest is judged by the paths it names.
      return claudeStyleProposal(tool, p.args, base);
  }
}

function deny(reason: string): HookResult {
  return { stdout: JSON.stringify({ decision: 'deny', reason }), stderr: reason + '\n', exitCode: 2 };
}

export const opencode: AgentAdapter = {
  id: 'opencode',
  read(payload, fallbackCwd): HookInput {
    const p = asRecord(payload) ?? {};
    const event = str(p.hook_event_name) ?? 'tool.execute.before';
    const toolName = str(p.tool);
    if (event !== 'tool.execute.before' && event !== 'tool.execute.after') {
      return { phase: 'pre', mapped: { kind: 'malformed', reason: `unknown OpenCode hook event "${event}"` }, event };
    }
    const mapped = mapOpenCode(payload, fallbackCwd);
    return { phase: event === 'tool.execute.after' ? 'post' : 'pre', mapped, ...(toolName ? { toolName } : {}), event };
  },
  render(d: Decision, o): HookResult {
    if (d.verdict === 'deny') return deny(reasonText(d));
    if (d.verdict === 'ask') return deny(askAsDenyText(d, proposalOf(o), 'OpenCode'));
    if (d.opaque && !o.opaqueAllow) return { stdout: JSON.stringify({ decision: 'none' }), stderr: '', exitCode: 0 };
    return { stdout: JSON.stringify({ decision: 'allow' }), stderr: '', exitCode: 0 };
  },
  failClosed: (message) => deny(internalReason(message)),
};
