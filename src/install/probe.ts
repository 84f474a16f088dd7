// The known-bad call that `doctor` and the snapshot check feed an installed hook: it must deny.

/** A Claude Code PreToolUse payload for `command` (default `rm -rf ~`) in `cwd`. */
export function probeInput(cwd: string, command = 'rm -rf ~'): string {
  return JSON.stringify({
    session_id: 'fwguard-doctor',
    transcript_path: '',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'fwguard doctor probe' },
    tool_use_id: 'fwguard-doctor-probe',
  });
}

/**
 * The same known-bad call in the payload shape of each agent's pre-tool hook (doctor sends it to
 * the registered command). `event` picks among an agent's shapes (Copilot: camelCase `preToolUse`
 * or the Claude-style `PreToolUse` it uses for .claude/settings.json hooks; Cursor: `preToolUse`
 * or `beforeShellExecution`).
 */
export function agentProbeInput(agent: string, cwd: string, event: string, command = 'rm -rf ~'): string {
  switch (agent) {
    case 'gemini':
      return JSON.stringify({ session_id: 'fwguard-doctor', transcript_path: '', cwd, hook_event_name: event, timestamp: new Date(0).toISOString(), tool_name: 'run_shell_command', tool_input: { command, description: 'fwguard doctor probe' } });
    case 'codex':
      return JSON.stringify({ session_id: 'fwguard-doctor', turn_id: 'fwguard-doctor', transcript_path: null, cwd, hook_event_name: event, model: 'fwguard-doctor', permission_mode: 'default', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'fwguard-doctor-probe' });
    case 'copilot':
      return event === 'PreToolUse'
        ? JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 'fwguard-doctor', timestamp: new Date(0).toISOString(), cwd, tool_name: 'Bash', tool_input: { command } })
        : // toolArgs as an object, as Copilot CLI 1.0.102 sends it (older docs show a JSON string).
          JSON.stringify({ sessionId: 'fwguard-doctor', timestamp: 0, cwd, toolName: 'bash', toolArgs: { command, description: 'fwguard doctor probe' } });
    case 'cursor': {
      const common = { conversation_id: 'fwguard-doctor', generation_id: 'fwguard-doctor', workspace_roots: [cwd], cursor_version: 'fwguard-doctor' };
      return event === 'beforeShellExecution'
        ? JSON.stringify({ ...common, hook_event_name: 'beforeShellExecution', command, cwd })
        : JSON.stringify({ ...common, hook_event_name: 'preToolUse', tool_name: 'Shell', tool_input: { command, cwd } });
    }
    case 'opencode':
      return JSON.stringify({ hook_event_name: 'tool.execute.before', tool: 'bash', sessionID: 'fwguard-doctor', callID: 'fwguard-doctor-probe', args: { command, description: 'fwguard doctor probe' }, cwd });
    default:
      return probeInput(cwd, command);
  }
}
