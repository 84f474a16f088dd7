// Gemini CLI adapter: BeforeTool/AfterTool JSON ⇄ Proposal / Decision.
// Protocol: AGENTS-PROTOCOLS.md §2 and §12 (measured in Gemini CLI 0.61.0): only a top-level
// `{"decision":"deny","reason":…}` or exit 2 with text blocks; Claude-style hookSpecificOutput is
// ignored; exit 1 allows; a hook answering "ask" hangs a headless run, so an ask is answered as a
// deny that tells the model to ask the user.
import type { Decision } from '../types.js';
import { askAsDenyText, asRecord, internalReason, proposalOf, reasonText, str, type AgentAdapter, type HookInput, type HookResult, type Mapped } from './adapter.js';
import { quoteAlways } from '../util/quote.js';


/** Gemini's tools that run nothing and touch no file. */
const FREE = new Set(['write_todos', 'ask_user', 'enter_plan_mode', 'exit_plan_mode', 'activate_skill', 'get_internal_docs', 'complete_task']);

const LIFECYCLE = new Set(['BeforeAgent', 'AfterAgent', 'BeforeModel', 'AfterModel', 'BeforeToolSelection', 'SessionStart', 'SessionEnd', 'Notification', 'PreCompress']);

/** The URLs written into web_fetch's free-text prompt (Gemini fetches up to 20 of them). */
export function urlsIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"'`)\]]+/gi)) out.add(m[0].replace(/[.,;:!?]+$/, ''));
  return [...out];
}

/** A relative pattern or path as a path the engine recognises (`./x`), absolute and ~ kept. */
const asPath = (s: string) => (s.startsWith('/') || s.startsWith('~') || s.startsWith('./') || s.startsWith('../') ? s : `./${s}`);

function resolveDir(cwd: string, dir: string | undefined): string {
  if (!dir) return cwd;
  return dir.startsWith('/') ? dir : `${cwd.replace(/\/+$/, '')}/${dir}`;
}

export function mapGemini(payload: unknown, fallbackCwd: string): Mapped {
  const p = asRecord(payload);
  if (!p) return { kind: 'malformed', reason: 'the hook input is not a JSON object' };
  const tool = str(p.tool_name);
  if (!tool) return { kind: 'malformed', reason: 'the hook input has no tool_name' };
  const cwd = str(p.cwd) ?? fallbackCwd;
  const base = { cwd, agent: 'gemini', tool, ...(str(p.session_id) ? { session: str(p.session_id)! } : {}) };
  if (FREE.has(tool)) return { kind: 'free' };
  const input = asRecord(p.tool_input);
  const f = (k: string) => (input ? input[k] : undefined);
  switch (tool) {
    case 'run_shell_command': {
      const command = str(f('command'));
      return { kind: 'proposal', proposal: { ...base, cwd: resolveDir(cwd, str(f('dir_path')) ?? str(f('directory'))), kind: 'shell', ...(command !== undefined ? { command } : {}) } };
    }
    case 'write_file':
    case 'replace': {
      const path = str(f('file_path')) ?? str(f('absolute_path'));
      const content = str(f('content')) ?? str(f('new_string'));
      return { kind: 'proposal', proposal: { ...base, kind: tool === 'write_file' ? 'file.write' : 'file.edit', ...(path ? { path } : {}), ...(content !== undefined ? { content } : {}) } };
    }
    case 'read_file': {
      const path = str(f('file_path')) ?? str(f('absolute_path'));
      return { kind: 'proposal', proposal: { ...base, kind: 'file.read', ...(path ? { path } : {}) } };
    }
    case 'list_directory':
    case 'glob':
    case 'grep_search':
    case 'search_file_content': {
      if (!input) return { kind: 'proposal', proposal: { ...base, kind: 'file.read' } };
      const dir = str(f('dir_path')) ?? str(f('path')) ?? (tool === 'list_directory' ? undefined : cwd);
      return { kind: 'proposal', proposal: { ...base, kind: 'file.read', ...(dir ? { path: dir } : {}) } };
    }
    case 'read_many_files': {
      // Many files by pattern: judged by every path and pattern it names, relative ones included.
      const list = (k: string) => (Array.isArray(f(k)) ? (f(k) as unknown[]).filter((x): x is string => typeof x === 'string') : []);
      const paths = [...list('include'), ...list('paths')].map(asPath);
      if (!paths.length) return { kind: 'proposal', proposal: { ...base, kind: 'file.read' } };
      return { kind: 'proposal', proposal: { ...base, kind: 'tool', input: { paths } } };
    }
    case 'web_fetch': {
      const urls = urlsIn(str(f('prompt')) ?? str(f('url')) ?? '');
      if (urls.length <= 1) return { kind: 'proposal', proposal: { ...base, kind: 'web.fetch', ...(urls[0] ? { url: urls[0] } : {}) } };
      // Several URLs: judged as the fetch of each, strictest wins.
      return { kind: 'proposal', proposal: { ...base, kind: 'shell', command: `curl -s -- ${urls.map(quoteAlways).join(' ')}` } };
    }
    case 'google_web_search': {
      const query = str(f('query'));
      return { kind: 'proposal', proposal: { ...base, kind: 'web.fetch', ...(query ? { url: query } : {}) } };
    }
    default:
      // MCP tools (mcp_<server>_<tool>), save_memory and tools fwguard does not know: judged by the
      // paths their input names.
      return { kind: 'proposal', proposal: { ...base, kind: 'tool', input: p.tool_input } };
  }
}

function deny(reason: string): HookResult {
  // The JSON is what Gemini reads; exit 2 with the reason on stderr blocks too if stdout were lost.
  return { stdout: JSON.stringify({ decision: 'deny', reason }), stderr: reason + '\n', exitCode: 2 };
}

export const gemini: AgentAdapter = {
  id: 'gemini',
  read(payload, fallbackCwd): HookInput {
    const p = asRecord(payload) ?? {};
    const event = str(p.hook_event_name);
    const toolName = str(p.tool_name);
    const base = { ...(toolName ? { toolName } : {}), event: event ?? 'BeforeTool' };
    if (event !== undefined && LIFECYCLE.has(event)) return { phase: 'ignore', mapped: { kind: 'free' }, ...base };
    if (event !== undefined && event !== 'BeforeTool' && event !== 'AfterTool') {
      return { phase: 'pre', mapped: { kind: 'malformed', reason: `unknown Gemini hook event "${event}"` }, ...base };
    }
    const mapped = mapGemini(payload, fallbackCwd);
    return { phase: event === 'AfterTool' ? 'post' : 'pre', mapped, ...base };
  },
  render(d: Decision, o): HookResult {
    if (d.verdict === 'deny') return deny(reasonText(d));
    if (d.verdict === 'ask') return deny(askAsDenyText(d, proposalOf(o), 'Gemini CLI'));
    if (d.opaque && !o.opaqueAllow) return { stdout: '', stderr: '', exitCode: 0 };
    return { stdout: JSON.stringify({ decision: 'allow' }), stderr: '', exitCode: 0 };
  },
  failClosed: (message) => deny(internalReason(message)),
};
