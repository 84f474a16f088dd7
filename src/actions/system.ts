// Privilege, processes, machine-level destruction, and the agent switching off its own guard.
import type { Action, SimpleCommand } from '../types.js';
import { parseArgs, programName, type Reader } from './reader.js';

const priv: Reader = (cmd, index) => [{ type: 'priv.escalate', cmd: index, program: programName(cmd.argv[0]!), how: programName(cmd.argv[0]!) }];

const signal: Reader = (cmd, index) => {
  const prog = programName(cmd.argv[0]!);
  // kill -9 -1 signals every process the user may signal: the whole session goes.
  if (prog === 'kill' && cmd.argv.slice(1).some((a) => a === '-1') && cmd.argv.length > 2) {
    return [{ type: 'system.destroy', cmd: index, program: prog, how: 'kill -1 signals every process' }];
  }
  if (prog === 'kill' && (cmd.argv[1] === '-l' || cmd.argv[1] === '-L')) return [];
  return [{ type: 'proc.signal', cmd: index, program: prog, how: prog, ...(cmd.argv.length > 1 ? { target: cmd.argv[cmd.argv.length - 1]! } : {}) }];
};

const destroy = (what: string): Reader => (cmd, index) => [{ type: 'system.destroy', cmd: index, program: programName(cmd.argv[0]!), how: what }];

const crontab: Reader = (cmd, index) => {
  const p = parseArgs(cmd.argv, new Set(['u']));
  if (p.opts.has('l')) return [];
  if (p.opts.has('r') || p.opts.has('e') || p.operands.length > 0) return [{ type: 'proc.signal', cmd: index, program: 'crontab', how: 'crontab changes scheduled jobs' }];
  return [];
};

const SYSTEMCTL_CHANGE = new Set(['stop', 'disable', 'enable', 'restart', 'mask', 'kill', 'start', 'reload', 'isolate', 'daemon-reload', 'set-default', 'edit']);
const SYSTEMCTL_DESTROY = new Set(['reboot', 'poweroff', 'halt', 'kexec', 'emergency', 'rescue', 'suspend', 'hibernate']);

const systemctl: Reader = (cmd, index) => {
  const sub = cmd.argv.slice(1).find((a) => !a.startsWith('-'));
  if (!sub) return [];
  if (SYSTEMCTL_DESTROY.has(sub)) return [{ type: 'system.destroy', cmd: index, program: 'systemctl', how: `systemctl ${sub}` }];
  if (SYSTEMCTL_CHANGE.has(sub)) return [{ type: 'proc.signal', cmd: index, program: 'systemctl', how: `systemctl ${sub}`, target: cmd.argv[cmd.argv.length - 1]! }];
  return [];
};

const service: Reader = (cmd, index) => {
  const verb = cmd.argv[2];
  if (verb && ['stop', 'restart', 'start', 'reload', 'force-reload'].includes(verb)) return [{ type: 'proc.signal', cmd: index, program: 'service', how: `service ${verb}`, target: cmd.argv[1]! }];
  return [];
};

const init: Reader = (cmd, index) => (['0', '6', 'S', 's', '1'].includes(cmd.argv[1] ?? '') ? [{ type: 'system.destroy', cmd: index, program: 'init', how: `init ${cmd.argv[1]}` }] : []);

const zfs: Reader = (cmd, index) => (cmd.argv[1] === 'destroy' ? [{ type: 'system.destroy', cmd: index, program: programName(cmd.argv[0]!), how: `${programName(cmd.argv[0]!)} destroy` }] : []);

const cryptsetup: Reader = (cmd, index) =>
  cmd.argv.some((a) => a === 'luksFormat' || a === 'erase' || a === 'luksErase' || a === 'reencrypt') ? [{ type: 'system.destroy', cmd: index, program: 'cryptsetup', how: 'cryptsetup wipes a device' }] : [];

const mdadm: Reader = (cmd, index) => (cmd.argv.includes('--zero-superblock') ? [{ type: 'system.destroy', cmd: index, program: 'mdadm', how: 'mdadm --zero-superblock' }] : []);

// ---------------------------------------------------------------------------------------------
// The agent switching off its own guard.

function settingsDisableHooks(v: string): boolean {
  return /disableAllHooks"?\s*:\s*true/.test(v) || /"hooks"\s*:\s*\{\s*\}/.test(v);
}

const claude: Reader = (cmd, index) => {
  const out: Action[] = [];
  const a = cmd.argv;
  for (let i = 1; i < a.length; i++) {
    const w = a[i]!;
    if (['--bare', '--safe-mode', '--dangerously-skip-permissions', '--allow-dangerously-skip-permissions'].includes(w)) {
      out.push({ type: 'guard.disable', cmd: index, program: 'claude', how: `claude ${w}` });
    }
    if (w === '--permission-mode' && a[i + 1] === 'bypassPermissions') out.push({ type: 'guard.disable', cmd: index, program: 'claude', how: 'claude --permission-mode bypassPermissions' });
    if ((w === '--settings' || w.startsWith('--settings=')) && settingsDisableHooks(w.startsWith('--settings=') ? w.slice(11) : (a[i + 1] ?? ''))) {
      out.push({ type: 'guard.disable', cmd: index, program: 'claude', how: 'claude --settings that switches hooks off' });
    }
    if (w === '--setting-sources' || w.startsWith('--setting-sources=')) out.push({ type: 'guard.disable', cmd: index, program: 'claude', how: 'claude --setting-sources drops the settings that hold the hook' });
  }
  return out;
};

const agentFlags = (flags: string[]): Reader => (cmd, index) =>
  cmd.argv.slice(1).filter((w) => flags.includes(w)).map((w) => ({ type: 'guard.disable', cmd: index, program: programName(cmd.argv[0]!), how: `${programName(cmd.argv[0]!)} ${w}` }) as Action);

/** codex: its bypass flags, and `-c features.hooks=false` / `--disable hooks` / `-c hooks…` that switch hooks off. */
const codex: Reader = (cmd, index, env) => {
  const out = agentFlags(['--dangerously-bypass-approvals-and-sandbox', '--dangerously-bypass-hook-trust', '--yolo'])(cmd, index, env);
  const a = cmd.argv;
  for (let i = 1; i < a.length; i++) {
    const w = a[i]!;
    const cfg = w === '-c' || w === '--config' ? a[i + 1] : w.startsWith('--config=') ? w.slice(9) : w.startsWith('-c') && w.length > 2 ? w.slice(2) : undefined;
    const feature = w === '--disable' ? a[i + 1] : w.startsWith('--disable=') ? w.slice(10) : undefined;
    if ((cfg !== undefined && /^\s*(features\.(codex_)?hooks\s*=\s*false|hooks\b)/.test(cfg)) || (feature !== undefined && /^(codex_)?hooks$/.test(feature))) {
      out.push({ type: 'guard.disable', cmd: index, program: 'codex', how: `codex ${w}${cfg !== undefined && w.length <= 8 ? ` ${cfg}` : feature !== undefined && w === '--disable' ? ` ${feature}` : ''} switches Codex hooks off` });
    }
  }
  return out;
};

const fwguard: Reader = (cmd, index) => {
  const sub = cmd.argv[1];
  const rest = cmd.argv.slice(2);
  if (sub === 'trust') return [{ type: 'guard.disable', cmd: index, program: 'fwguard', how: 'fwguard trust (only a person may trust a config)' }];
  if (sub === 'init' && rest.includes('--remove')) return [{ type: 'guard.disable', cmd: index, program: 'fwguard', how: 'fwguard init --remove' }];
  if (sub === 'undo' && rest.includes('--purge')) return [{ type: 'guard.disable', cmd: index, program: 'fwguard', how: 'fwguard undo --purge' }];
  if (sub === 'session' && rest[0] === 'reset') return [{ type: 'guard.disable', cmd: index, program: 'fwguard', how: 'fwguard session reset (only a person may reset the loop breaker)' }];
  return [];
};

/** Environment assignments that switch off hooks or checks, on any command (`FOO=1 cmd`). */
export function envActions(cmd: SimpleCommand, index: number): Action[] {
  const out: Action[] = [];
  const prog = programName(cmd.argv[0] ?? '');
  const pairs = [...cmd.assignments.map((a) => [a.name, a.value] as const)];
  if (prog === 'export' || prog === 'env' || prog === 'declare') {
    for (const w of cmd.argv.slice(1)) {
      const eq = w.indexOf('=');
      if (eq > 0) pairs.push([w.slice(0, eq), w.slice(eq + 1)]);
      // `FWGUARD_BROKER=…; export FWGUARD_BROKER`: exporting one of fwguard's own names by itself.
      else if (w.startsWith('FWGUARD_')) pairs.push([w, '']);
    }
  }
  for (const [name, value] of pairs) {
    if ((name === 'CLAUDE_CODE_SAFE_MODE' || name === 'CLAUDE_CODE_SIMPLE') && value !== '' && value !== '0') {
      out.push({ type: 'guard.disable', cmd: index, program: prog, how: `${name}=${value} switches Claude Code's hooks off` });
    }
    if (['CODEX_HOME', 'COPILOT_HOME', 'XDG_CONFIG_HOME', 'CLAUDE_CONFIG_DIR', 'GEMINI_CLI_HOME', 'OPENCODE_CONFIG_DIR', 'CURSOR_CONFIG_DIR', 'GEMINI_CLI_SYSTEM_SETTINGS_PATH', 'OPENCODE_CONFIG'].includes(name)) {
      out.push({ type: 'guard.disable', cmd: index, program: prog, how: `${name}=… points an agent at settings without fwguard's hook` });
    }
    if (name === 'PLUGINS' && value === 'off') out.push({ type: 'guard.disable', cmd: index, program: prog, how: 'PLUGINS=off switches agent plugins off' });
    if (name === 'OPENCODE_PURE' && value !== '' && value !== '0') out.push({ type: 'guard.disable', cmd: index, program: prog, how: 'OPENCODE_PURE switches OpenCode plugins off' });
    // Every FWGUARD_* variable steers fwguard itself (its broker socket, state and trace, CI mode,
    // session id, the real shells behind the shims): under `fwguard run` a command that sets one
    // could point later shims at a broker the agent runs, or start a fresh session memory.
    if (name.startsWith('FWGUARD_')) {
      out.push({ type: 'guard.disable', cmd: index, program: prog, how: `${name}=… changes fwguard's own settings` });
    }
    if (name === 'HUSKY' && value === '0') out.push({ type: 'checks.skip', cmd: index, program: prog, how: 'HUSKY=0 skips the git hooks' });
    if (name === 'SKIP' && value !== '') out.push({ type: 'checks.skip', cmd: index, program: prog, how: `SKIP=${value} skips pre-commit hooks` });
    if (name === 'PRE_COMMIT_ALLOW_NO_CONFIG' || name === 'GIT_HOOKS_PATH') out.push({ type: 'checks.skip', cmd: index, program: prog, how: `${name} changes which checks run` });
  }
  return out;
}

export const readers: Record<string, Reader> = {
  sudo: priv, su: priv, doas: priv, pkexec: priv, sudoedit: priv,
  kill: signal, pkill: signal, killall: signal, skill: signal, xkill: signal,
  crontab, systemctl, service, init, telinit: init,
  zfs, zpool: zfs, cryptsetup, mdadm,
  fdisk: destroy('fdisk partitions a disk'), sfdisk: destroy('sfdisk partitions a disk'), cfdisk: destroy('cfdisk partitions a disk'),
  parted: destroy('parted partitions a disk'), gdisk: destroy('gdisk partitions a disk'), sgdisk: destroy('sgdisk partitions a disk'), wipefs: destroy('wipefs erases filesystem signatures'),
  lvremove: destroy('lvremove destroys a logical volume'), vgremove: destroy('vgremove destroys a volume group'), pvremove: destroy('pvremove destroys a physical volume'),
  shutdown: destroy('shutdown'), reboot: destroy('reboot'), halt: destroy('halt'), poweroff: destroy('poweroff'),
  claude, opencode: agentFlags(['--pure']), codex,
  gemini: agentFlags(['--yolo', '-y']), 'cursor-agent': agentFlags(['--force', '-f']), copilot: agentFlags(['--allow-all-tools', '--yolo']),
  fwguard,
};

/** mkfs, mkfs.ext4, mkfs.vfat, mke2fs, mkswap…: matched by prefix, not by name. */
export function destroyByPrefix(prog: string): string | null {
  if (prog.startsWith('mkfs') || prog === 'mke2fs' || prog === 'mkswap' || prog.startsWith('mkdosfs') || prog === 'newfs') return `${prog} formats a device`;
  return null;
}
