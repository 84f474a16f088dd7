import { Args, Command } from '@oclif/core';
import { AGENT_IDS } from '../src/agents/index.js';

export default class Hook extends Command {
  static override summary = "The agent's pre-tool hook: reads the tool call as JSON on stdin, answers allow / ask / deny.";

  static override description = `Not for typing by hand: \`fwguard init\` registers it with your agent. It reads the agent's hook JSON on stdin and answers in the agent's own protocol:

  claude-code  PreToolUse/PostToolUse; hookSpecificOutput.permissionDecision, exit 2 + stderr to deny
  gemini       BeforeTool/AfterTool; top-level {"decision":"deny","reason"} + exit 2 (never "ask": a headless run would hang)
  copilot      preToolUse/postToolUse (camelCase toolName/toolArgs) or PreToolUse (Claude style); permissionDecision, exit 2 to deny
  codex        PreToolUse/PostToolUse; permissionDecision "deny" + exit 2 (Codex ignores ask and a bare allow, so ask is a deny telling the model to ask you)
  cursor       preToolUse, beforeShellExecution, beforeReadFile, beforeMCPExecution; {"permission",...} + exit 2 to deny
  opencode     spoken by the plugin plugins/opencode/fwguard.js (tool.execute.before throws to block)

A deny reason names the fwguard rule. Malformed input, a payload of no known shape or an internal error blocks (exit 2): fwguard fails closed.

This path never loads the command framework: bin/run.js hands \`fwguard hook …\` straight to the bundled dist/hook.js, so every tool call pays as little start-up as possible.`;

  static override examples = [
    "echo '{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf ~\"},\"cwd\":\"/tmp\",\"hook_event_name\":\"PreToolUse\"}' | <%= config.bin %> hook claude-code",
    "echo '{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"run_shell_command\",\"tool_input\":{\"command\":\"git push --force origin main\"},\"cwd\":\"/tmp\"}' | <%= config.bin %> hook gemini",
    "echo '{\"hook_event_name\":\"beforeShellExecution\",\"command\":\"rm -rf ~\",\"cwd\":\"/tmp\"}' | <%= config.bin %> hook cursor",
  ];

  static override args = {
    agent: Args.string({ description: 'The agent protocol to speak.', required: true, options: AGENT_IDS }),
  };

  async run(): Promise<void> {
    // Only reached when something runs this command through oclif instead of bin/run.js:
    // run the same bundle, so the behaviour is identical.
    await this.parse(Hook);
    const bundle = new URL('../hook.js', import.meta.url).href;
    try {
      await import(bundle);
    } catch (err) {
      process.stderr.write(`fwguard is not built or the hook failed to load (${String(err)}): run npm install / npm run build\n`);
      process.exit(2);
    }
  }
}
