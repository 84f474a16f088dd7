// Agent id → adapter. The ids are those of `fwguard hook <id>` and `fwguard init --agent <id>`.
import type { AgentAdapter } from './adapter.js';
import { claudeCode } from './claude-code.js';
import { codex } from './codex.js';
import { copilot } from './copilot.js';
import { cursor } from './cursor.js';
import { gemini } from './gemini.js';
import { opencode } from './opencode.js';

export const ADAPTERS: Readonly<Record<string, AgentAdapter>> = {
  'claude-code': claudeCode,
  gemini,
  copilot,
  codex,
  cursor,
  opencode,
};

export const AGENT_IDS = Object.keys(ADAPTERS);
