// A scripted stand-in for the four model APIs the real agent clients speak, on 127.0.0.1 only.
// It never thinks: on the agent's k-th main-loop request it answers with step k's tool call, and
// after the last step with the scenario's final text. The step is the number of the server's own
// call ids (`fwg_<step>_…`) already in the conversation, so retries and side queries do not
// advance it. Every tool result the client sends back for a scripted call is kept: that is what
// "the model was told".
//
//   Anthropic Messages   POST …/v1/messages            (Claude Code; SSE or JSON)
//   Gemini API           POST …/models/<m>:streamGenerateContent?alt=sse | :generateContent | :countTokens
//   OpenAI Responses     POST …/responses              (Codex; SSE or JSON)
//   Chat Completions     POST …/chat/completions       (OpenCode via @ai-sdk/openai-compatible)
//
// A request that offers no tools is a side query (titles, routing): it gets "OK", or the smallest
// object its JSON schema accepts when it asks for JSON (Gemini's router parses it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted tool call. `shell` picks the client's own shell tool; `tool` names a tool exactly. */
export type Step =
  | { shell: string; description?: string }
  | { tool: string; input: Record<string, unknown> };

export interface ToolResult {
  step: number;
  callId: string;
  tool: string;
  content: string;
  isError: boolean;
}

export interface CallLog {
  step: number;
  api: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface RequestLog {
  method: string;
  path: string;
  api: string;
  kind: 'main' | 'side' | 'other' | 'unknown';
  nTools?: number;
  model?: string;
  ua?: string;
}

const ID = 'fwg_';
type Json = Record<string, unknown>;

/** The shell tool of each client, with its argument shape (measured: real-agents README). */
const SHELL_TOOLS: [string, (s: { shell: string; description?: string }) => Json][] = [
  ['Bash', (s) => ({ command: s.shell, description: s.description ?? 'run a command' })], // Claude Code
  ['run_shell_command', (s) => ({ command: s.shell, description: s.description ?? 'run a command' })], // Gemini CLI
  ['exec_command', (s) => ({ cmd: s.shell })], // Codex ≥ 0.16x (unified exec)
  ['shell_command', (s) => ({ command: s.shell })], // older Codex
  ['bash', (s) => ({ command: s.shell, description: s.description ?? 'run a command' })], // OpenCode
];

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
function stepOf(id: unknown): number | undefined {
  const m = /^fwg_(\d+)_/.exec(String(id ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** The smallest value a JSON schema accepts (enough for side queries that want JSON). */
function fill(schema: unknown, depth = 0): unknown {
  if (!isObj(schema) || depth > 8) return null;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const t = String(Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? (schema.properties ? 'object' : ''))).toLowerCase();
  if (t === 'object') return Object.fromEntries(Object.entries(isObj(schema.properties) ? schema.properties : {}).map(([k, v]) => [k, fill(v, depth + 1)]));
  if (t === 'array') return [];
  if (t === 'string') return 'fake';
  if (t === 'number' || t === 'integer') return 1;
  if (t === 'boolean') return false;
  return null;
}

export class FakeModel {
  readonly requests: RequestLog[] = [];
  readonly calls: CallLog[] = [];
  readonly results: ToolResult[] = [];
  private readonly seen = new Set<string>();
  private server: Server | undefined;
  private seq = 0;

  constructor(
    private readonly steps: Step[],
    private readonly finalText = 'Done.',
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((ok, fail) => {
      this.server!.once('error', fail);
      this.server!.listen(0, '127.0.0.1', () => ok());
    });
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }

  /** What the client sent back for the call of `step` (undefined: never sent back). */
  resultOf(step: number): ToolResult | undefined {
    return this.results.find((r) => r.step === step);
  }

  private record(r: ToolResult): void {
    const key = `${r.step}:${r.callId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.results.push(r);
  }

  private callFor(k: number, names: string[], api: string): { id: string; name: string; args: Json } {
    const step = this.steps[k]!;
    let name: string;
    let args: Json;
    if ('tool' in step) {
      name = step.tool;
      args = step.input;
    } else {
      const found = SHELL_TOOLS.find(([n]) => names.includes(n));
      if (!found) throw new Error(`fake-model: no known shell tool among [${names.join(', ')}]`);
      name = found[0];
      args = found[1](step);
    }
    if (!this.calls.some((c) => c.step === k)) this.calls.push({ step: k, api, tool: name, args });
    return { id: `${ID}${k}_${++this.seq}`, name, args };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Json | undefined;
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : undefined;
        body = isObj(parsed) ? parsed : undefined;
      } catch {
        body = undefined;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const p = url.pathname;
      const log: RequestLog = { method: req.method ?? '', path: p, api: 'none', kind: 'unknown', ...(req.headers['user-agent'] ? { ua: String(req.headers['user-agent']) } : {}) };
      if (body && typeof body.model === 'string') log.model = body.model;
      this.requests.push(log);
      try {
        const gm = /\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/.exec(p);
        if (req.method === 'POST' && body && p.endsWith('/messages/count_tokens')) {
          Object.assign(log, { api: 'anthropic', kind: 'other' });
          return json(res, 200, { input_tokens: 100 });
        }
        if (req.method === 'POST' && body && /\/v1\/messages$/.test(p)) return this.anthropic(body, res, log);
        if (req.method === 'POST' && body && gm) return this.gemini(body, gm[2]!, url, res, log);
        if (req.method === 'POST' && body && /\/responses$/.test(p)) return this.responses(body, res, log);
        if (req.method === 'POST' && body && /\/chat\/completions$/.test(p)) return this.chat(body, res, log);
        if (req.method === 'GET' && /\/models$/.test(p)) {
          Object.assign(log, { api: 'models', kind: 'other' });
          return json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
        }
        json(res, 404, { error: { code: 404, message: `fake-model: no route ${req.method} ${p}`, type: 'not_found_error' } });
      } catch (e) {
        json(res, 500, { error: { code: 500, message: `fake-model: ${e instanceof Error ? e.message : String(e)}`, type: 'api_error' } });
      }
    });
  }

  // --- Anthropic Messages (Claude Code) -------------------------------------------------------
  private anthropic(body: Json, res: ServerResponse, log: RequestLog): void {
    log.api = 'anthropic';
    const tools = Array.isArray(body.tools) ? body.tools.filter(isObj).map((t) => String(t.name)) : [];
    log.nTools = tools.length;
    let used = 0;
    const names = new Map<string, string>();
    for (const m of Array.isArray(body.messages) ? body.messages.filter(isObj) : []) {
      for (const b of Array.isArray(m.content) ? m.content.filter(isObj) : []) {
        if (m.role === 'assistant' && b.type === 'tool_use' && stepOf(b.id) !== undefined) {
          used++;
          names.set(String(b.id), String(b.name));
        }
        if (m.role === 'user' && b.type === 'tool_result' && names.has(String(b.tool_use_id))) {
          const c = Array.isArray(b.content) ? b.content.filter(isObj).map((x) => (x.type === 'text' ? String(x.text) : `[${String(x.type)}]`)).join('\n') : text(b.content);
          this.record({ step: stepOf(b.tool_use_id)!, callId: String(b.tool_use_id), tool: names.get(String(b.tool_use_id))!, content: c, isError: b.is_error === true });
        }
      }
    }
    let content: Json[];
    let stop: string;
    if (tools.length && used < this.steps.length) {
      const c = this.callFor(used, tools, 'anthropic');
      content = [{ type: 'tool_use', id: c.id, name: c.name, input: c.args }];
      stop = 'tool_use';
      log.kind = 'main';
    } else {
      content = [{ type: 'text', text: tools.length ? this.finalText : 'OK' }];
      stop = 'end_turn';
      log.kind = tools.length ? 'main' : 'side';
    }
    const msg = {
      id: `msg_fwg_${this.seq}`, type: 'message', role: 'assistant', model: String(body.model ?? 'claude-fake'), content,
      stop_reason: stop, stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    if (body.stream !== true) return json(res, 200, msg);
    sse(res);
    const ev = (type: string, data: Json) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    ev('message_start', { message: { ...msg, content: [], stop_reason: null } });
    content.forEach((b, index) => {
      if (b.type === 'text') {
        ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
        ev('content_block_delta', { index, delta: { type: 'text_delta', text: b.text } });
      } else {
        ev('content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
        ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) } });
      }
      ev('content_block_stop', { index });
    });
    ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 20 } });
    ev('message_stop', {});
    res.end();
  }

  // --- Gemini API (Gemini CLI) ----------------------------------------------------------------
  private gemini(body: Json, op: string, url: URL, res: ServerResponse, log: RequestLog): void {
    log.api = 'gemini';
    if (op === 'countTokens') {
      log.kind = 'other';
      return json(res, 200, { totalTokens: 100 });
    }
    const tools: string[] = [];
    for (const t of Array.isArray(body.tools) ? body.tools.filter(isObj) : []) {
      for (const f of Array.isArray(t.functionDeclarations) ? t.functionDeclarations.filter(isObj) : []) tools.push(String(f.name));
    }
    log.nTools = tools.length;
    let used = 0;
    let order = 0;
    for (const c of Array.isArray(body.contents) ? body.contents.filter(isObj) : []) {
      for (const part of Array.isArray(c.parts) ? c.parts.filter(isObj) : []) {
        if (c.role === 'model' && isObj(part.functionCall)) used++;
        if (isObj(part.functionResponse)) {
          const fr = part.functionResponse;
          const step = stepOf(fr.id) ?? order;
          order++;
          const content = text(fr.response);
          this.record({ step, callId: String(fr.id ?? `#${step}`), tool: String(fr.name), content, isError: /"error"/.test(content) });
        }
      }
    }
    const gen = isObj(body.generationConfig) ? body.generationConfig : {};
    let parts: Json[];
    if (tools.length && used < this.steps.length) {
      const c = this.callFor(used, tools, 'gemini');
      parts = [{ functionCall: { id: c.id, name: c.name, args: c.args } }];
      log.kind = 'main';
    } else if (tools.length) {
      parts = [{ text: this.finalText }];
      log.kind = 'main';
    } else {
      const schema = gen.responseJsonSchema ?? gen.responseSchema;
      parts = [{ text: gen.responseMimeType === 'application/json' || schema ? JSON.stringify(fill(schema) ?? {}) : 'OK' }];
      log.kind = 'side';
    }
    const reply = {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
      modelVersion: 'fake-model',
      responseId: `resp_fwg_${this.seq}`,
    };
    if (op === 'streamGenerateContent') {
      if (url.searchParams.get('alt') === 'sse') {
        sse(res);
        res.end(`data: ${JSON.stringify(reply)}\n\n`);
        return;
      }
      return json(res, 200, [reply]);
    }
    json(res, 200, reply);
  }

  // --- OpenAI Responses (Codex) ---------------------------------------------------------------
  private responses(body: Json, res: ServerResponse, log: RequestLog): void {
    log.api = 'responses';
    const tools = (Array.isArray(body.tools) ? body.tools.filter(isObj) : []).map((t) => String(t.name ?? t.type));
    log.nTools = tools.length;
    let used = 0;
    const names = new Map<string, string>();
    for (const it of Array.isArray(body.input) ? body.input.filter(isObj) : []) {
      if ((it.type === 'function_call' || it.type === 'custom_tool_call') && stepOf(it.call_id) !== undefined) {
        used++;
        names.set(String(it.call_id), String(it.name));
      }
      if ((it.type === 'function_call_output' || it.type === 'custom_tool_call_output') && names.has(String(it.call_id))) {
        const out = it.output;
        const content = Array.isArray(out) ? out.filter(isObj).map((o) => String(o.text ?? JSON.stringify(o))).join('\n') : text(out);
        this.record({ step: stepOf(it.call_id)!, callId: String(it.call_id), tool: names.get(String(it.call_id))!, content, isError: false });
      }
    }
    const output: Json[] = [];
    const message = (t: string): Json => ({
      type: 'message', id: `msg_fwg_${this.seq}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: t, annotations: [] }],
    });
    if (tools.length && used < this.steps.length) {
      const c = this.callFor(used, tools, 'responses');
      output.push({ type: 'function_call', id: `fc_fwg_${this.seq}`, call_id: c.id, name: c.name, arguments: JSON.stringify(c.args), status: 'completed' });
      log.kind = 'main';
    } else if (tools.length) {
      output.push(message(this.finalText));
      log.kind = 'main';
    } else {
      const f = isObj(body.text) && isObj(body.text.format) ? body.text.format : undefined;
      output.push(message(f?.type === 'json_schema' ? JSON.stringify(fill(f.schema) ?? {}) : 'OK'));
      log.kind = 'side';
    }
    const obj = (status: string, out: Json[]) => ({
      id: `resp_fwg_${this.seq}`, object: 'response', created_at: Math.floor(Date.now() / 1000), status, model: String(body.model ?? 'fake-model'), output: out,
      usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 },
    });
    if (body.stream !== true) return json(res, 200, obj('completed', output));
    sse(res);
    let n = 0;
    const ev = (type: string, data: Json) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`);
    ev('response.created', { response: obj('in_progress', []) });
    output.forEach((item, i) => {
      if (item.type === 'message') {
        const t = (item.content as Json[])[0]!;
        ev('response.output_item.added', { output_index: i, item: { ...item, status: 'in_progress', content: [] } });
        ev('response.content_part.added', { output_index: i, item_id: item.id, content_index: 0, part: { ...t, text: '' } });
        ev('response.output_text.delta', { output_index: i, item_id: item.id, content_index: 0, delta: t.text });
        ev('response.output_text.done', { output_index: i, item_id: item.id, content_index: 0, text: t.text });
        ev('response.content_part.done', { output_index: i, item_id: item.id, content_index: 0, part: t });
      } else {
        ev('response.output_item.added', { output_index: i, item: { ...item, arguments: '', status: 'in_progress' } });
        ev('response.function_call_arguments.delta', { output_index: i, item_id: item.id, delta: item.arguments });
        ev('response.function_call_arguments.done', { output_index: i, item_id: item.id, arguments: item.arguments });
      }
      ev('response.output_item.done', { output_index: i, item });
    });
    ev('response.completed', { response: obj('completed', output) });
    res.end();
  }

  // --- Chat Completions (OpenCode) ------------------------------------------------------------
  private chat(body: Json, res: ServerResponse, log: RequestLog): void {
    log.api = 'chat';
    const tools = (Array.isArray(body.tools) ? body.tools.filter(isObj) : []).map((t) => String((isObj(t.function) ? t.function.name : undefined) ?? t.name));
    log.nTools = tools.length;
    let used = 0;
    const names = new Map<string, string>();
    for (const m of Array.isArray(body.messages) ? body.messages.filter(isObj) : []) {
      if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
        for (const tc of m.tool_calls.filter(isObj)) {
          if (stepOf(tc.id) !== undefined) {
            used++;
            names.set(String(tc.id), String(isObj(tc.function) ? tc.function.name : ''));
          }
        }
      }
      if (m.role === 'tool' && names.has(String(m.tool_call_id))) {
        const c = Array.isArray(m.content) ? m.content.filter(isObj).map((x) => String(x.text ?? JSON.stringify(x))).join('\n') : text(m.content);
        this.record({ step: stepOf(m.tool_call_id)!, callId: String(m.tool_call_id), tool: names.get(String(m.tool_call_id))!, content: c, isError: false });
      }
    }
    let reply: { text: string | null; calls: Json[] };
    if (tools.length && used < this.steps.length) {
      const c = this.callFor(used, tools, 'chat');
      reply = { text: null, calls: [{ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }] };
      log.kind = 'main';
    } else {
      const rf = isObj(body.response_format) ? body.response_format : undefined;
      const wantsJson = rf !== undefined && rf.type !== 'text';
      const schema = wantsJson && isObj(rf.json_schema) ? rf.json_schema.schema : undefined;
      reply = { text: tools.length ? this.finalText : wantsJson ? JSON.stringify(fill(schema) ?? {}) : 'OK', calls: [] };
      log.kind = tools.length ? 'main' : 'side';
    }
    const finish = reply.calls.length ? 'tool_calls' : 'stop';
    const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
    const base = { id: `chatcmpl-fwg-${this.seq}`, created: Math.floor(Date.now() / 1000), model: String(body.model ?? 'fake-model') };
    if (body.stream !== true) {
      return json(res, 200, {
        ...base, object: 'chat.completion', usage,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text, ...(reply.calls.length ? { tool_calls: reply.calls } : {}) }, finish_reason: finish }],
      });
    }
    sse(res);
    const chunk = (choices: Json[], extra: Json = {}) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    if (reply.text) chunk([{ index: 0, delta: { content: reply.text }, finish_reason: null }]);
    reply.calls.forEach((tc, i) => chunk([{ index: 0, delta: { tool_calls: [{ index: i, ...tc }] }, finish_reason: null }]));
    chunk([{ index: 0, delta: {}, finish_reason: finish }]);
    if (isObj(body.stream_options) && body.stream_options.include_usage) chunk([], { usage });
    res.end('data: [DONE]\n\n');
  }
}

function json(res: ServerResponse, status: number, obj: unknown): void {
  const b = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) });
  res.end(b);
}

function sse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
}
