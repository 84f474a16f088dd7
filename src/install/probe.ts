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
