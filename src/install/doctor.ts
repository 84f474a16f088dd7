// `fwguard doctor`: is the installed guard actually guarding?
// Finds fwguard's Claude Code hook entries, checks each can start, probes it with a known-bad call
// (`rm -rf ~` must be denied) and flags every setting that would make the guard fail open.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import {
  ALL_TOOLS,
  allSettingsPaths,
  binBelongsToFwguard,
  findFwguardHooks,
  projectRootOf,
  readSettings,
  type CommandHandler,
  type Settings,
} from './claude-code.js';
import { AGENT_IDS, compareVersion, detectAgent, entryProgram, entryScript, firstLine, installerFor, isExecutable, onPath, type AgentId, type Registration, type Where } from './agents.js';
import { runPluginProbe } from './opencode.js';
import { firstCommandWords } from '../shell/index.js';

export type Severity = 'error' | 'warn' | 'info' | 'ok';

export interface Finding {
  severity: Severity;
  /** Stable id, for --json consumers and tests. */
  id: string;
  message: string;
  /** What to do about it (absent for ok/info). */
  fix?: string;
  file?: string;
}

export interface ProbeResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  error?: string;
}

/** Runs a hook handler with `input` on stdin. Injected so tests can fake it. */
export type HandlerRunner = (handler: CommandHandler, input: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) => ProbeResult;

export interface DoctorOptions {
  cwd: string;
  home?: string;
  env?: NodeJS.ProcessEnv;
  run?: HandlerRunner;
  /** Reads `claude --version`; null when claude is not found. Injected for tests. */
  claudeVersion?: () => string | null;
}

export interface DoctorReport {
  projectRoot: string;
  files: { path: string; scope: string; exists: boolean; hooks: number }[];
  findings: Finding[];
  /** True when some finding means the guard would not block (fail open / not installed). */
  failsOpen: boolean;
}

/** The minimum Claude Code version that honours `onFailure: "block"`. */
export const ON_FAILURE_MIN = [2, 1, 295] as const;

export const defaultRunner: HandlerRunner = (handler, input, opts) => {
  const args = Array.isArray(handler.args) ? handler.args : [];
  const r = Array.isArray(handler.args)
    ? spawnSync(handler.command, args, { input, cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs, encoding: 'utf8' })
    : spawnSync(handler.command, { input, cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs, encoding: 'utf8', shell: true });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return {
    exitCode: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut,
    error: r.error && !timedOut ? r.error.message : undefined,
  };
};

export function defaultClaudeVersion(): string | null {
  const r = spawnSync('claude', ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (r.error || r.status !== 0) return null;
  return (r.stdout ?? '').trim();
}

/** Does `cmd` name an executable: an absolute/relative path that exists, or a name on PATH? */
export function resolveProgram(cmd: string, env: NodeJS.ProcessEnv): string | null {
  if (cmd.includes('/') || cmd.includes('\\')) return isExecutable(cmd) ? cmd : null;
  return onPath(cmd, env);
}

/** The probe input: a PreToolUse call for `rm -rf ~`, which every fwguard policy denies. */
import { agentProbeInput, probeInput } from './probe.js';
export { probeInput };

/** What a Claude Code PreToolUse hook result means: 'deny' | 'ask' | 'allow' | 'none' | 'error'. */
export function interpretHookResult(r: ProbeResult): { decision: 'deny' | 'ask' | 'allow' | 'none' | 'error'; reason: string } {
  if (r.timedOut) return { decision: 'error', reason: 'timed out' };
  if (r.error) return { decision: 'error', reason: r.error };
  if (r.exitCode === 2) return { decision: 'deny', reason: r.stderr.trim() || '(exit 2)' };
  const out = r.stdout.trim();
  let json: unknown;
  if (out.startsWith('{')) {
    try {
      json = JSON.parse(out);
    } catch {
      json = undefined;
    }
  }
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    const hso = o.hookSpecificOutput as Record<string, unknown> | undefined;
    const pd = hso?.permissionDecision;
    const reason = String(hso?.permissionDecisionReason ?? o.reason ?? '');
    if (pd === 'deny' || pd === 'ask' || pd === 'allow') return { decision: pd, reason };
    if (o.decision === 'block' || o.decision === 'deny') return { decision: 'deny', reason };
    if (o.decision === 'approve') return { decision: 'allow', reason };
  }
  if (r.exitCode === 0) return { decision: 'none', reason: out === '' ? '(no output)' : out.slice(0, 200) };
  return { decision: 'error', reason: `exit ${r.exitCode}: ${(r.stderr.trim().split('\n')[0] ?? '').slice(0, 300)}` };
}

function handlerText(h: CommandHandler): string {
  return [h.command, ...(Array.isArray(h.args) ? h.args : [])].map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
}

export function runDoctor(o: DoctorOptions): DoctorReport {
  const env = o.env ?? process.env;
  const home = o.home ?? env.HOME ?? homedir();
  const projectRoot = projectRootOf(o.cwd);
  const run = o.run ?? defaultRunner;
  const findings: Finding[] = [];
  const files: DoctorReport['files'] = [];
  const handlers: { handler: CommandHandler; file: string; event: string; matcher: string | undefined }[] = [];

  for (const { path, scope } of allSettingsPaths({ projectRoot, home })) {
    let settings: Settings;
    let exists: boolean;
    try {
      const f = readSettings(path);
      settings = f.settings;
      exists = f.exists;
    } catch (err) {
      findings.push({
        severity: 'error',
        id: 'settings.invalid',
        message: (err as Error).message,
        fix: 'Claude Code ignores a settings file it cannot parse, hooks included: fix the JSON.',
        file: path,
      });
      files.push({ path, scope, exists: true, hooks: 0 });
      continue;
    }
    const found = findFwguardHooks(settings, { isFwguardBin: binBelongsToFwguard });
    files.push({ path, scope, exists, hooks: found.length });
    if (settings.disableAllHooks === true) {
      findings.push({
        severity: 'error',
        id: 'settings.disableAllHooks',
        message: `${path} sets "disableAllHooks": true: Claude Code runs no hooks, so fwguard never sees a tool call`,
        fix: `remove "disableAllHooks" from ${path}`,
        file: path,
      });
    }
    for (const f of found) handlers.push({ handler: f.handler, file: path, event: f.event, matcher: f.matcher });
  }

  const pre = handlers.filter((h) => h.event === 'PreToolUse');
  if (pre.length === 0) {
    findings.push({
      severity: 'error',
      id: 'hook.missing',
      message: 'no fwguard PreToolUse hook is installed for this project or this user',
      fix: 'run `fwguard init` in the project (or `fwguard init --scope user` for every project)',
    });
  }
  if (!handlers.some((h) => h.event === 'PostToolUse') && pre.length > 0) {
    findings.push({
      severity: 'warn',
      id: 'hook.post-missing',
      message: 'no fwguard PostToolUse hook: decisions are judged, but results are not recorded',
      fix: 'run `fwguard init` again to add it',
    });
  }

  const probeDir = mkdtempSync(join(tmpdir(), 'fwguard-doctor-'));
  try {
    const seen = new Set<string>();
    for (const { handler, file, event, matcher } of handlers) {
      const where = `${event} hook in ${file}`;
      if (handler.onFailure !== 'block') {
        findings.push({
          severity: event === 'PreToolUse' ? 'error' : 'warn',
          id: 'hook.onFailure',
          message: `${where} has no "onFailure": "block": if it crashes, cannot start or times out, Claude Code runs the tool anyway`,
          fix: 'run `fwguard init` again (it rewrites the entry with "onFailure": "block")',
          file,
        });
      }
      if (matcher !== undefined && matcher !== '' && matcher !== ALL_TOOLS) {
        findings.push({
          severity: 'warn',
          id: 'hook.matcher',
          message: `${where} only sees tools matching ${JSON.stringify(matcher)}; other tools are not judged`,
          fix: 'run `fwguard init` again (matcher "*")',
          file,
        });
      }
      if (!Array.isArray(handler.args)) {
        findings.push({
          severity: 'warn',
          id: 'hook.shell-form',
          message: `${where} is registered in shell form; CLAUDE_CODE_SHELL_PREFIX wraps shell-form hooks`,
          fix: 'run `fwguard init` again to register it in exec form (command + args)',
          file,
        });
      }
      if (event !== 'PreToolUse') continue;
      const key = JSON.stringify(handler);
      if (seen.has(key)) continue;
      seen.add(key);

      // Can it start?
      const program = Array.isArray(handler.args) ? handler.command : (firstCommandWords(handler.command)[0] ?? '');
      const resolved = resolveProgram(program, env);
      if (resolved === null) {
        findings.push({
          severity: 'error',
          id: 'hook.command-missing',
          message: `${where}: ${program} is not an executable file${isAbsolute(program) ? '' : ' on PATH'}`,
          fix: 'run `fwguard init` again from the fwguard you want to use (it records the current node and fwguard paths)',
          file,
        });
        continue;
      }
      if (Array.isArray(handler.args)) {
        // Snapshot form: node --snapshot-blob <blob> hook claude-code; else node <bin/run.js> hook claude-code.
        const script = handler.args[0] === '--snapshot-blob' ? handler.args[1] : handler.args[0];
        if (script !== undefined && isAbsolute(script) && !existsSync(script)) {
          findings.push({
            severity: 'error',
            id: 'hook.script-missing',
            message: `${where}: ${script} does not exist (fwguard moved or was uninstalled)`,
            fix: 'reinstall fwguard, then run `fwguard init` again',
            file,
          });
          continue;
        }
      }

      // Does it deny a known-bad call? Run with an isolated state dir so the probe leaves no trace.
      const probeEnv: NodeJS.ProcessEnv = { ...env, FWGUARD_STATE_DIR: join(probeDir, 'state'), CLAUDE_PROJECT_DIR: projectRoot };
      const timeoutMs = Math.max(1000, (handler.timeout ?? 10) * 1000);
      const r = interpretHookResult(run(handler, probeInput(projectRoot), { cwd: projectRoot, env: probeEnv, timeoutMs }));
      if (r.decision === 'deny') {
        findings.push({ severity: 'ok', id: 'probe.deny', message: `${where}: runs, and denies \`rm -rf ~\` (${r.reason.split('\n')[0]})`, file });
      } else {
        findings.push({
          severity: 'error',
          id: 'probe.not-denied',
          message: `${where}: \`rm -rf ~\` was not denied (${r.decision}: ${r.reason})`,
          fix:
            r.decision === 'error'
              ? handler.args?.includes('--snapshot-blob')
                ? 'the hook starts from a V8 snapshot, which only loads in the node binary that built it (after a node upgrade it fails): run `fwguard init` again to rebuild it, or `fwguard init --no-snapshot`'
                : 'run the hook command by hand to see the error; `npm run build` in the fwguard folder if dist/ is missing'
              : 'check your .fwguardrc: a rule override lets `rm -rf ~` through',
          file,
        });
        continue;
      }
      // A guard that denies everything (e.g. an invalid config) is broken too, if not unsafe.
      const benign = interpretHookResult(run(handler, probeInput(projectRoot, 'ls'), { cwd: projectRoot, env: probeEnv, timeoutMs }));
      if (benign.decision === 'deny' || benign.decision === 'error') {
        findings.push({
          severity: 'warn',
          id: 'probe.benign-denied',
          message: `${where}: even \`ls\` is ${benign.decision === 'deny' ? 'denied' : 'failing'} (${benign.reason.split('\n')[0]})`,
          fix: 'run `fwguard rules` in the project to see the config error, and fix the config',
          file,
        });
      }
    }
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }

  // onFailure needs Claude Code >= 2.1.295; older clients ignore it and fail open.
  if (handlers.length > 0) {
    const v = (o.claudeVersion ?? defaultClaudeVersion)();
    if (v === null) {
      findings.push({ severity: 'info', id: 'claude.version-unknown', message: '`claude --version` did not run: cannot check that your Claude Code honours "onFailure": "block" (needs 2.1.295 or newer)' });
    } else {
      const cmp = compareVersion(v, ON_FAILURE_MIN);
      if (cmp !== null && cmp < 0) {
        findings.push({
          severity: 'error',
          id: 'claude.too-old',
          message: `Claude Code ${v} ignores "onFailure": "block": a crashed or timed-out hook lets the tool call through`,
          fix: 'update Claude Code to 2.1.295 or newer (`claude update`)',
        });
      } else if (cmp !== null) {
        findings.push({ severity: 'ok', id: 'claude.version', message: `Claude Code ${v} honours "onFailure": "block"` });
      }
    }
  }

  const failsOpen = findings.some((f) => f.severity === 'error');
  return { projectRoot, files, findings, failsOpen };
}

export { handlerText };

// ---------------------------------------------------------------------------------------------
// Every agent: `fwguard doctor [--agent …]`.

export interface AgentReport {
  agent: AgentId;
  label: string;
  /** Some fwguard registration was found for this agent. */
  installed: boolean;
  /** `<program> --version`, when the program is on PATH. */
  version: string | null;
  files: DoctorReport['files'];
  findings: Finding[];
  failsOpen: boolean;
}

export interface MultiDoctorReport {
  projectRoot: string;
  agents: AgentReport[];
  failsOpen: boolean;
}

export interface MultiDoctorOptions extends DoctorOptions {
  /** The agents to check; default every agent that has a fwguard registration (Claude Code when none has). */
  agents?: readonly AgentId[];
  /** `<program> --version` (never anything else: an agent must not be started for real). Injected for tests. */
  versionOf?: (program: string, env: NodeJS.ProcessEnv) => string | null;
}

/** Switches that keep an agent's `--version` from looking for updates or sending telemetry. */
const QUIET_ENV: NodeJS.ProcessEnv = {
  NO_UPDATE_NOTIFIER: '1',
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  DISABLE_AUTOUPDATER: '1',
  GEMINI_CLI_NO_RELAUNCH: '1',
  CI: '1',
};

export function defaultVersionOf(program: string, env: NodeJS.ProcessEnv): string | null {
  const exe = onPath(program, env);
  if (exe === null) return null;
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 5000, env: { ...env, ...QUIET_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return null;
  return (r.stdout ?? '').trim().split('\n')[0] ?? null;
}

/** Run one registration's command with `input` on stdin (exec form directly, a shell line via bash -c like the agents do). */
export function runRegistration(reg: Registration, input: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): ProbeResult {
  if (reg.probeEvent === 'plugin') return runPluginProbe(reg.file, input, opts);
  const c = reg.command;
  const [prog, args] = c.argv ? [c.argv[0] ?? '', c.argv.slice(1)] : [onPath('bash', opts.env) ?? '/bin/sh', ['-c', c.line ?? '']];
  const r = spawnSync(prog, args, { input, cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs, encoding: 'utf8' });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { exitCode: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut, ...(r.error && !timedOut ? { error: r.error.message } : {}) };
}

function claudeAsAgent(o: MultiDoctorOptions, explicit: boolean): AgentReport {
  let cached: string | null | undefined;
  const claudeVersion = () => (cached === undefined ? (cached = (o.claudeVersion ?? defaultClaudeVersion)()) : cached);
  const r = runDoctor({ ...o, claudeVersion });
  const installed = r.files.some((f) => f.hooks > 0);
  return { agent: 'claude-code', label: 'Claude Code', installed: installed || explicit, version: cached ?? null, files: r.files, findings: r.findings, failsOpen: r.failsOpen };
}

/** Check one agent other than Claude Code. */
function checkAgent(id: Exclude<AgentId, 'claude-code'>, w: Where, o: MultiDoctorOptions, probeDir: string): AgentReport {
  const inst = installerFor(id);
  const scan = inst.scan(w);
  const findings: Finding[] = [...scan.findings];
  const pre = scan.registrations.filter((r) => r.pre);
  // Registrations that are another agent's (Copilot running the Claude Code hook) count only where
  // the agent itself is here: a Claude-only user is not reported on Copilot.
  const installed = scan.registrations.some((r) => !r.via) || (scan.registrations.length > 0 && detectAgent(id, w) !== null);
  if (pre.length === 0) {
    findings.push({
      severity: 'error',
      id: 'hook.missing',
      message: `no fwguard ${id === 'opencode' ? 'plugin' : 'pre-tool hook'} is installed for ${inst.label} in this project or for this user`,
      fix: `run \`fwguard init --agent ${id}\``,
    });
  }
  const seen = new Set<string>();
  for (const reg of pre) {
    const key = JSON.stringify([reg.command, reg.probeEvent, reg.via ?? '']);
    if (seen.has(key)) continue;
    seen.add(key);
    const where = `${reg.via ?? `fwguard's ${reg.event} hook`} in ${reg.file}`;
    const consequence =
      reg.failure === 'blocks'
        ? `${inst.label} blocks every call until this is fixed`
        : `${inst.label} FAILS OPEN: it runs every tool unguarded (it has no fail-closed switch for this)`;
    const program = reg.command.argv ? reg.command.argv[0] : entryProgram(reg.command);
    if (reg.probeEvent !== 'plugin' && (program === undefined || resolveProgram(program, w.env) === null)) {
      findings.push({
        severity: 'error',
        id: 'hook.command-missing',
        message: `${where}: ${program ?? '(no program)'} is not an executable file${program && isAbsolute(program) ? '' : ' on PATH'}: ${consequence}`,
        fix: `run \`fwguard init --agent ${id === 'copilot' && reg.via ? 'claude-code' : id}\` again from the fwguard you want to use (it records the current node and fwguard paths)`,
        file: reg.file,
      });
      continue;
    }
    const script = reg.probeEvent === 'plugin' ? pluginScript(reg) : entryScript(reg.command);
    if (script !== undefined && isAbsolute(script) && !existsSync(script)) {
      findings.push({
        severity: 'error',
        id: 'hook.script-missing',
        message: `${where}: ${script} does not exist (fwguard moved or was uninstalled): ${consequence}`,
        fix: `reinstall fwguard, then run \`fwguard init --agent ${id === 'copilot' && reg.via ? 'claude-code' : id}\` again`,
        file: reg.file,
      });
      continue;
    }
    const env: NodeJS.ProcessEnv = { ...w.env, FWGUARD_STATE_DIR: join(probeDir, 'state'), CLAUDE_PROJECT_DIR: w.projectRoot, GEMINI_PROJECT_DIR: w.projectRoot };
    const timeoutMs = Math.max(1000, reg.timeoutMs ?? 10_000);
    const run = (cmd: string) => inst.interpret(runRegistration(reg, agentProbeInput(id, w.projectRoot, reg.probeEvent, cmd), { cwd: w.projectRoot, env, timeoutMs }));
    const bad = run('rm -rf ~');
    if (bad.decision !== 'deny') {
      findings.push({
        severity: 'error',
        id: 'probe.not-denied',
        message: `${where}: \`rm -rf ~\` in ${inst.label}'s own payload shape was not denied (${bad.decision}: ${bad.reason})`,
        fix: bad.decision === 'error' ? 'run the registered command by hand with that payload to see the error; `npm run build` in the fwguard folder if dist/ is missing' : 'check your .fwguardrc: a rule override lets `rm -rf ~` through',
        file: reg.file,
      });
      continue;
    }
    findings.push({ severity: 'ok', id: 'probe.deny', message: `${where}: runs, and denies \`rm -rf ~\` sent as ${inst.label} sends it (${firstLine(bad.reason, 160)})`, file: reg.file });
    const benign = run('ls');
    if (benign.decision === 'deny' || benign.decision === 'error') {
      findings.push({
        severity: 'warn',
        id: 'probe.benign-denied',
        message: `${where}: even \`ls\` is ${benign.decision === 'deny' ? 'denied' : 'failing'} (${firstLine(benign.reason)})`,
        fix: 'run `fwguard rules` in the project to see the config error, and fix the config',
        file: reg.file,
      });
    }
  }
  if (installed && !scan.registrations.some((r) => !r.pre) && id !== 'opencode') {
    findings.push({ severity: 'warn', id: 'hook.post-missing', message: `no fwguard post-tool hook for ${inst.label}: calls are judged, but what ran is not recorded in session memory`, fix: `run \`fwguard init --agent ${id}\` again` });
  }
  const version = (o.versionOf ?? defaultVersionOf)(inst.program, w.env);
  if (version === null) {
    findings.push({ severity: 'info', id: 'version-unknown', message: `\`${inst.program} --version\` did not run (not on PATH?): cannot check the ${inst.label} version` });
  } else {
    findings.push(...inst.versionFindings(version));
  }
  return { agent: id, label: inst.label, installed, version, files: scan.files, findings, failsOpen: findings.some((f) => f.severity === 'error') };
}

/** The fwguard script an OpenCode plugin copy names (its installed command's bin/run.js). */
function pluginScript(reg: Registration): string | undefined {
  const argv = reg.command.argv ?? [];
  const hi = argv.indexOf('hook');
  return argv.slice(1, hi === -1 ? argv.length : hi).find((a) => a.endsWith('.js'));
}

export function runDoctorAgents(o: MultiDoctorOptions): MultiDoctorReport {
  const env = o.env ?? process.env;
  const home = o.home ?? env.HOME ?? homedir();
  const projectRoot = projectRootOf(o.cwd);
  const w: Where = { projectRoot, home, env };
  const explicit = o.agents !== undefined;
  const ids = o.agents ?? AGENT_IDS;
  const probeDir = mkdtempSync(join(tmpdir(), 'fwguard-doctor-'));
  const agents: AgentReport[] = [];
  try {
    for (const id of ids) {
      const r = id === 'claude-code' ? claudeAsAgent({ ...o, env, home }, explicit) : checkAgent(id, w, { ...o, env, home }, probeDir);
      if (explicit || r.installed) agents.push(r);
    }
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
  // Nothing installed anywhere: report Claude Code's "not installed" (the guard is off).
  if (agents.length === 0) agents.push(claudeAsAgent({ ...o, env, home }, true));
  return { projectRoot, agents, failsOpen: agents.some((a) => a.failsOpen) };
}
