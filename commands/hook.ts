import { Args, Command } from '@oclif/core';

export default class Hook extends Command {
  static override summary = "The agent's pre-tool hook: reads the tool call as JSON on stdin, answers allow / ask / deny.";

  static override description = `Not for typing by hand: \`fwguard init\` registers it with your agent. It reads the agent's hook JSON on stdin and answers in the agent's own protocol (Claude Code: hookSpecificOutput.permissionDecision, or exit 2 to block). Malformed input or an internal error blocks (exit 2): fwguard fails closed.

This path never loads the command framework: bin/run.js hands \`fwguard hook …\` straight to the bundled dist/hook.js, so every tool call pays as little start-up as possible.`;

  static override examples = [
    "echo '{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf ~\"},\"cwd\":\"/tmp\",\"hook_event_name\":\"PreToolUse\"}' | <%= config.bin %> hook claude-code",
  ];

  static override args = {
    agent: Args.string({ description: 'The agent protocol to speak.', required: true, options: ['claude-code'] }),
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
