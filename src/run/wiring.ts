// How `fwguard run` routes each agent's shell through fwguard (issue 4 §2).
//  - Claude Code: PreToolUse/PostToolUse hooks for this run only (`--settings <json>`, which sits
//    above user/project/local settings and merges hooks, with "disableAllHooks": false so a project
//    file cannot switch ours off), plus CLAUDE_CODE_SHELL_PREFIX → bin/shims/claude-shell-prefix,
//    which judges the whole shell invocation again and runs it with the real bash
//    (AGENTS-PROTOCOLS.md §0.6, §0.8, §1.6). The user's files are never touched.
//  - Any other agent: SHELL and a PATH prefix pointing at bin/shims/{bash,sh,zsh}.
import { findOnPath } from '../util/which.js';
import { basename, delimiter, join, resolve } from 'node:path';
import { fwguardHandler } from '../install/claude-code.js';

export type AgentKind = 'claude-code' | 'shell';

export interface Wiring {
  kind: AgentKind;
  /** Arguments for the agent (ours first, then the user's). */
  args: string[];
  /** Environment added for the agent. */
  env: Record<string, string>;
  /** One line for the person: how this agent is guarded. */
  how: string;
}

export interface FwguardPaths {
  node: string;
  bin: string;
  /** A startup snapshot blob proven usable with `node`, when there is one. */
  blob?: string;
  shimDir: string;
}

/** First executable `name` on `path`, skipping `skip` (the shim dir); a name with a slash as is. */
export function which(name: string, path: string | undefined, skip?: string): string | undefined {
  return name.includes('/') ? resolve(name) : findOnPath(name, path, skip);
}

export function agentKind(program: string): AgentKind {
  const b = basename(program);
  return b === 'claude' || b === 'claude-code' ? 'claude-code' : 'shell';
}

/** Agent invocations that never read the terminal, so `fwguard run` may ask on it. */
export function isHeadless(argv: string[]): boolean {
  const [prog = '', ...rest] = argv;
  const b = basename(prog);
  if (b === 'claude') return rest.includes('-p') || rest.includes('--print');
  if (b === 'gemini') return rest.includes('-p') || rest.includes('--prompt');
  if (b === 'codex') return rest[0] === 'exec' || rest[0] === 'e';
  if (b === 'opencode') return rest[0] === 'run';
  return false;
}

/** The Claude Code settings passed with --settings for this run only. */
export function claudeSettings(paths: FwguardPaths, hookTimeoutS: number): Record<string, unknown> {
  const handler = fwguardHandler({ node: paths.node, bin: paths.bin, ...(paths.blob ? { blob: paths.blob } : {}), timeout: hookTimeoutS });
  const group = [{ matcher: '*', hooks: [handler] }];
  return { disableAllHooks: false, hooks: { PreToolUse: group, PostToolUse: group } };
}

export function wire(argv: string[], env: NodeJS.ProcessEnv, paths: FwguardPaths, opts: { hookTimeoutS: number }): Wiring {
  const [prog = '', ...rest] = argv;
  const common: Record<string, string> = {
    FWGUARD_NODE: paths.node,
    FWGUARD_BIN: paths.bin,
    FWGUARD_SHIM_DIR: paths.shimDir,
    ...(paths.blob ? { FWGUARD_HOOK_BLOB: paths.blob } : {}),
  };
  // The real shells, resolved once on the user's PATH (never the shims).
  for (const sh of ['bash', 'sh', 'zsh']) {
    const real = which(sh, env.PATH, paths.shimDir);
    if (real) common[`FWGUARD_REAL_${sh.toUpperCase()}`] = real;
  }
  if (agentKind(prog) === 'claude-code') {
    return {
      kind: 'claude-code',
      args: ['--settings', JSON.stringify(claudeSettings(paths, opts.hookTimeoutS)), ...rest],
      env: { ...common, CLAUDE_CODE_SHELL_PREFIX: join(paths.shimDir, 'claude-shell-prefix') },
      how: 'Claude Code: fwguard hooks via --settings (this run only) and CLAUDE_CODE_SHELL_PREFIX',
    };
  }
  const shell = common.FWGUARD_REAL_BASH ? 'bash' : 'sh';
  return {
    kind: 'shell',
    args: rest,
    env: { ...common, SHELL: join(paths.shimDir, shell), PATH: [paths.shimDir, env.PATH ?? ''].filter(Boolean).join(delimiter) },
    how: `shell shims: SHELL=${join(paths.shimDir, shell)}, PATH starts with ${paths.shimDir}`,
  };
}
