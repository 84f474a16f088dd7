// Agent id → adapter. The ids are those of `fwguard hook <id>` and `fwguard init --agent <id>`.
import type { AgentAdapter } from './adapter.js';
import { claudeCode } from './claude-code.js';

export const ADAPTERS: Readonly<Record<string, AgentAdapter>> = {
  'claude-code': claudeCode,
};

export const AGENT_IDS = Object.keys(ADAPTERS);
