// Drives one REAL agent client (installed from npm at the version pinned in clients.json) headless
// against the fake model, with fwguard registered as its hook, in a throwaway world:
//
//   <work>/home      the client's HOME (and XDG dirs, CODEX_HOME), with canary files
//   <work>/proj      a git repo on main, pushed to <work>/remote.git, then diverged locally
//   <work>/remote.git a real local bare remote (a force-push would move its main)
//   <work>/log       requests, tool results, recorded hook payloads, client stdout/stderr
//
// Only ever called inside the loopback-only namespace (assertLoopbackOnly runs before every
// client start). The client gets `env -i` plus the variables listed here: its throwaway HOME, the
// fake server's URL and dummy key, and every telemetry/update switch measured in
// ../shared/real-claude and ../shared/real-agents.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DnsLog, type Lookup } from './dns-log.js';
import { FakeModel, type Step, type ToolResult } from './fake-model.js';
import { assertLoopbackOnly } from './netns.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/run.js');
const PINS = JSON.parse(readFileSync(join(import.meta.dirname, 'clients.json'), 'utf8')) as Record<string, Pin>;
export const CACHE = process.env.FWGUARD_E2E_CACHE ?? join(ROOT, '.cache/e2e-clients');
export const OUT = process.env.FWGUARD_E2E_OUT ?? join(ROOT, '.cache/e2e-out');

export type AgentId = 'claude-code' | 'gemini' | 'codex' | 'opencode' | 'copilot';

interface Pin {
  package: string;
  version: string;
  bin: string;
  runWith?: string;
  knownLookups?: string[];
}

export function pin(agent: AgentId): Pin {
  const p = PINS[agent];
  if (!p) throw new Error(`test/e2e/clients.json pins no version for ${agent}`);
  return p;
}

export function clientBin(agent: AgentId): string {
  const p = pin(agent);
  return join(CACHE, `${agent}-${p.version}`, 'node_modules', p.bin);
}

/** What this checkout of fwguard offers, read from the real CLI (it changes while others work). */
export interface Support {
  /** `fwguard hook <agent>` has an adapter. */
  hook: boolean;
  /** `fwguard init --agent <agent>` exists. */
  init: boolean;
  /** `fwguard doctor --agent <agent>` exists. */
  doctor: boolean;
  /** OpenCode: the plugin module fwguard ships. */
  plugin?: string;
}

function helpText(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' } });
  return `${r.stdout}\n${r.stderr}`;
}

export function support(agent: AgentId): Support {
  const optionList = (text: string, flag: RegExp): string[] => {
    const m = flag.exec(text);
    return m ? m[1]!.split(/[,|\s]+/).filter(Boolean) : [];
  };
  const init = helpText(['init']);
  const doctor = helpText(['doctor']);
  // Ask the built hook itself (dist/hook.js): an id it has no adapter for is answered "unknown agent".
  const probe = spawnSync(process.execPath, [BIN, 'hook', agent], { input: '{}', encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), FWGUARD_TRACE: '0' } });
  const initIds = optionList(init, /--agent=<option>[\s\S]*?<options:\s*([^>]*)>/);
  const doctorIds = optionList(doctor, /--agent=<option>[\s\S]*?<options:\s*([^>]*)>/);
  const plugin = ['plugins/opencode/fwguard.js', 'plugins/opencode/fwguard.mjs'].map((p) => join(ROOT, p)).find((p) => existsSync(p));
  return {
    hook: !/unknown agent/.test(`${probe.stdout}${probe.stderr}`),
    init: initIds.includes(agent),
    doctor: doctorIds.includes(agent),
    ...(plugin ? { plugin } : {}),
  };
}

export interface World {
  work: string;
  home: string;
  project: string;
  remote: string;
  log: string;
  /** The remote's main before the run. */
  remoteMain: string;
  canaries: string[];
  draft: string;
  rc: string;
  rcBefore: string;
  env: Record<string, string>;
}

function git(cwd: string, env: Record<string, string>, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A fresh world: throwaway home with canaries, a project on main with a real bare remote. */
export function makeWorld(agent: AgentId, name: string): World {
  const work = mkdtempSync(join(tmpdir(), `fwguard-e2e-${agent}-${name}-`));
  const home = join(work, 'home');
  const project = join(work, 'proj');
  const remote = join(work, 'remote.git');
  const log = join(work, 'log');
  for (const d of [home, project, log, join(home, '.config'), join(home, '.cache'), join(home, '.local/share'), join(home, '.local/state')]) mkdirSync(d, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    SHELL: '/bin/bash',
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    USER: process.env.USER ?? 'root',
    NO_COLOR: '1',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_STATE_HOME: join(home, '.local/state'),
  };
  const canaries = [join(home, 'canary.txt'), join(home, 'Documents/thesis.md')];
  for (const c of canaries) {
    mkdirSync(dirname(c), { recursive: true });
    writeFileSync(c, `canary ${c}\n`);
  }
  const genv = { ...env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' };
  git(work, genv, 'init', '-q', '--bare', '-b', 'main', remote);
  git(project, genv, 'init', '-q', '-b', 'main');
  writeFileSync(join(project, 'README.md'), '# e2e project\n');
  git(project, genv, 'add', 'README.md');
  git(project, genv, 'commit', '-q', '-m', 'first');
  git(project, genv, 'remote', 'add', 'origin', remote);
  git(project, genv, 'push', '-q', 'origin', 'main');
  // Diverge: a force-push of main would now replace the remote's history.
  git(project, genv, 'commit', '-q', '--amend', '-m', 'rewritten locally');
  const remoteMain = git(remote, genv, 'rev-parse', 'main');
  const draft = join(project, 'draft.txt');
  writeFileSync(draft, 'untracked work git cannot restore\n');
  return { work, home, project, remote, log, remoteMain, canaries, draft, rc: join(project, '.fwguardrc.yaml'), rcBefore: '', env };
}

export function remoteMain(w: World): string {
  return git(w.remote, w.env, 'rev-parse', 'main');
}

/** Run the fwguard CLI of this checkout in the world (init, doctor). */
export function fwguard(w: World, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: w.project, env: w.env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function readJson(path: string): Record<string, unknown> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}
function writeJson(path: string, v: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(v, null, 2) + '\n');
}
type Hooks = Record<string, { matcher?: string; hooks: Record<string, unknown>[] }[]>;
function addHook(settings: Record<string, unknown>, event: string, matcher: string, handler: Record<string, unknown>): void {
  const hooks = (settings.hooks ??= {}) as Hooks;
  (hooks[event] ??= []).push({ matcher, hooks: [handler] });
}
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Registration {
  /** How fwguard got registered: `fwguard init --agent …` or the harness's stand-in. */
  via: string;
  /** The files holding the registration (copied to the log). */
  files: string[];
}

/**
 * Register fwguard with the agent the way a user would: `fwguard init --agent <id>` where this
 * checkout has it; else the harness writes what the installer will write (exec form where the
 * agent has one, absolute node + bin/run.js, pre and post events). Then the agent's offline and
 * no-telemetry switches, the fake provider, and the payload recorder beside fwguard.
 */
export function register(agent: AgentId, w: World, base: string, sup: Support, opts: { broken?: boolean; untrusted?: boolean } = {}): Registration {
  const record = join(w.log, 'hook-payloads.jsonl');
  const recorder = [process.execPath, join(import.meta.dirname, 'record-hook.mjs'), record];
  let via: string;
  const files: string[] = [];
  if (sup.init) {
    const r = fwguard(w, ['init', '--agent', agent]);
    if (r.code !== 0) throw new Error(`fwguard init --agent ${agent} failed (${r.code}): ${r.out}${r.err}`);
    via = `fwguard init --agent ${agent}`;
  } else {
    via = 'harness stand-in for `fwguard init --agent`';
    // The installer also writes the commented config; `fwguard init` (Claude Code) does exactly that.
    const r = fwguard(w, ['init', '--agent', 'claude-code', '--no-snapshot']);
    if (r.code !== 0) throw new Error(`fwguard init failed (${r.code}): ${r.out}${r.err}`);
    writeJson(join(w.project, '.claude/settings.json'), {}); // only the config was wanted here
  }
  const fw = [process.execPath, BIN, 'hook', agent];
  switch (agent) {
    case 'claude-code': {
      const f = join(w.project, '.claude/settings.json');
      const s = readJson(f);
      for (const ev of ['PreToolUse', 'PostToolUse', 'PostToolUseFailure']) addHook(s, ev, '*', { type: 'command', command: recorder[0], args: [...recorder.slice(1), ev], timeout: 10 });
      writeJson(f, s);
      files.push(f);
      break;
    }
    case 'gemini': {
      const user = join(w.home, '.gemini/settings.json');
      const s = readJson(user);
      Object.assign(s, {
        security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false },
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      });
      s.hooksConfig = { ...(s.hooksConfig as object | undefined), enabled: true };
      if (!sup.init) {
        for (const ev of ['BeforeTool', 'AfterTool']) addHook(s, ev, '.*', { type: 'command', name: 'fwguard', command: fw.map(shq).join(' '), timeout: 10_000 });
      }
      for (const ev of ['BeforeTool', 'AfterTool']) addHook(s, ev, '.*', { type: 'command', name: 'e2e-recorder', command: [...recorder, ev].map(shq).join(' '), timeout: 10_000 });
      writeJson(user, s);
      files.push(user, join(w.project, '.gemini/settings.json'));
      break;
    }
    case 'codex': {
      const dir = join(w.home, '.codex');
      mkdirSync(dir, { recursive: true });
      const toml = join(dir, 'config.toml');
      const prior = existsSync(toml) ? readFileSync(toml, 'utf8') : '';
      writeFileSync(
        toml,
        [
          'model = "fake-model"',
          'model_provider = "fake"',
          'check_for_update_on_startup = false',
          prior,
          '[model_providers.fake]',
          'name = "fake"',
          `base_url = "${base}/v1"`,
          'wire_api = "responses"',
          'env_key = "FAKE_API_KEY"',
          'request_max_retries = 0',
          'stream_max_retries = 0',
          '',
          '[analytics]',
          'enabled = false',
          '[feedback]',
          'enabled = false',
          '[otel]',
          'exporter = "none"',
          '',
        ].join('\n') + (/^\[features\]/m.test(prior) ? '' : '[features]\nplugins = false\nremote_plugin = false\napps = false\nin_app_updates = false\n'),
      );
      const hj = join(dir, 'hooks.json');
      const h = readJson(hj);
      if (!sup.init) {
        for (const ev of ['PreToolUse', 'PostToolUse']) addHook(h, ev, '*', { type: 'command', command: fw.map(shq).join(' '), timeout: 10 });
      }
      for (const ev of ['PreToolUse', 'PostToolUse']) addHook(h, ev, '*', { type: 'command', command: [...recorder, ev].map(shq).join(' '), timeout: 10 });
      writeJson(hj, h);
      files.push(toml, hj);
      break;
    }
    case 'copilot': {
      // User-level hook files: $COPILOT_HOME/hooks/*.json, exec form (AGENTS-PROTOCOLS §4).
      const dir = join(w.home, '.copilot/hooks');
      mkdirSync(dir, { recursive: true });
      const entry = (argv: string[]) => ({ type: 'command', exec: argv[0], args: argv.slice(1), timeoutSec: 10 });
      if (!sup.init) writeJson(join(dir, 'fwguard.json'), { version: 1, hooks: { preToolUse: [entry(fw)], postToolUse: [entry(fw)] } });
      // Measured (1.0.102): repo hooks (.github/hooks/*.json, where `init --agent copilot` writes by
      // default) are skipped silently unless the folder is trusted; a user trusts it at the first
      // interactive start. The harness records that trust the way Copilot does.
      if (!opts.untrusted) {
        const cfg = join(w.home, '.copilot/config.json');
        const c = readJson(cfg);
        c.trusted_folders = [...(Array.isArray(c.trusted_folders) ? (c.trusted_folders as string[]) : []), w.project];
        writeJson(cfg, c);
      }
      writeJson(join(dir, 'zz-e2e-recorder.json'), { version: 1, hooks: { preToolUse: [entry([...recorder, 'preToolUse'])], postToolUse: [entry([...recorder, 'postToolUse'])] } });
      files.push(dir, join(w.project, '.github/hooks'));
      break;
    }
    case 'opencode': {
      // OpenCode installs @opencode-ai/plugin into every config dir it loads and waits for it
      // (~70 s to fail offline); a satisfied package-lock + node_modules stub makes it skip that.
      for (const d of [join(w.home, '.config/opencode'), join(w.project, '.opencode')]) {
        mkdirSync(join(d, 'node_modules'), { recursive: true });
        writeJson(join(d, 'package.json'), { dependencies: { '@opencode-ai/plugin': '*' } });
        writeJson(join(d, 'package-lock.json'), { lockfileVersion: 3, packages: { '': { dependencies: { '@opencode-ai/plugin': '*' } } } });
      }
      const plugins = join(w.project, '.opencode/plugins');
      mkdirSync(plugins, { recursive: true });
      if (!sup.init && sup.plugin) copyFileSync(sup.plugin, join(plugins, 'fwguard.js'));
      copyFileSync(join(import.meta.dirname, 'record-plugin.js'), join(plugins, '00-e2e-recorder.js'));
      const cfg = join(w.project, 'opencode.json');
      const c = readJson(cfg);
      Object.assign(c, {
        model: 'fake/fake-model',
        small_model: 'fake/fake-model',
        autoupdate: false,
        share: 'disabled',
        provider: {
          fake: {
            npm: '@ai-sdk/openai-compatible',
            name: 'Fake',
            options: { baseURL: `${base}/v1`, apiKey: 'dummy-key-for-fake-model' },
            models: { 'fake-model': { name: 'Fake model', tool_call: true, limit: { context: 100000, output: 4096 } } },
          },
        },
        // The client alone would run everything (also outside the project), so every block is fwguard's.
        permission: { bash: 'allow', edit: 'allow', external_directory: 'allow' },
      });
      writeJson(cfg, c);
      files.push(cfg, plugins);
      break;
    }
  }
  if (opts.broken) breakInstall(agent, w);
  return { via, files };
}

/**
 * Simulate a broken install: the registered fwguard command no longer exists (checkout moved,
 * package uninstalled). Every path naming this checkout's bin/run.js (or its snapshot blob) in
 * the agent's hook files is pointed at the same files of a fwguard folder that does not exist
 * (still recognisably fwguard's, as a moved checkout would be).
 */
export const GONE_ROOT = '/opt/fwguard-e2e-gone/fwguard';
export const GONE = `${GONE_ROOT}/bin/run.js`;
function breakInstall(agent: AgentId, w: World): void {
  const files: Record<AgentId, string[]> = {
    'claude-code': [join(w.project, '.claude/settings.json')],
    gemini: [join(w.home, '.gemini/settings.json'), join(w.project, '.gemini/settings.json')],
    codex: [join(w.home, '.codex/hooks.json'), join(w.project, '.codex/hooks.json')],
    opencode: [join(w.project, '.opencode/plugins/fwguard.js'), join(w.home, '.config/opencode/plugins/fwguard.js'), join(w.project, 'opencode.json')],
    copilot: [join(w.home, '.copilot/hooks/fwguard.json'), join(w.project, '.github/hooks/fwguard.json')],
  };
  let hits = 0;
  for (const f of files[agent]) {
    if (!existsSync(f)) continue;
    const t = readFileSync(f, 'utf8');
    const n = t.split(BIN).join(GONE).split(join(ROOT, 'dist/hook.blob')).join(`${GONE_ROOT}/dist/hook.blob`);
    if (n !== t) hits++;
    writeFileSync(f, n);
  }
  // OpenCode without `init --agent opencode`: the plugin finds fwguard through $FWGUARD_BIN (set to GONE).
  if (!hits && agent !== 'opencode') throw new Error(`could not break the ${agent} install: no hook file names ${BIN}`);
}

export interface RunResult {
  agent: AgentId;
  version: string;
  world: World;
  registration: Registration;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  fake: FakeModel;
  results: ToolResult[];
  payloads: unknown[];
  trace: Record<string, unknown>[];
  /** Every name the client (or anything it started) looked up during the run. */
  dns: Lookup[];
}

const RUN_TIMEOUT = Number(process.env.FWGUARD_E2E_RUN_TIMEOUT ?? 150) * 1000;

/** Start the real client on `steps` in a fresh world and collect everything it did. */
export async function runAgent(agent: AgentId, name: string, sup: Support, opts: { steps: (w: World) => Step[]; broken?: boolean; untrusted?: boolean }): Promise<RunResult> {
  assertLoopbackOnly();
  const bin = clientBin(agent);
  if (!existsSync(bin)) throw new Error(`${agent} ${pin(agent).version} is not installed at ${bin}: run node scripts/e2e/install-clients.mjs (npm run test:e2e does)`);
  const w = makeWorld(agent, name);
  const fake = new FakeModel(opts.steps(w), 'Finished.');
  const base = await fake.start();
  const registration = register(agent, w, base, sup, opts);
  w.rcBefore = existsSync(w.rc) ? readFileSync(w.rc, 'utf8') : '';
  const env: Record<string, string> = { ...w.env };
  let cmd: string[];
  const prompt = 'do it';
  switch (agent) {
    case 'claude-code':
      Object.assign(env, {
        ANTHROPIC_BASE_URL: base, ANTHROPIC_API_KEY: 'dummy-key-for-fake-model',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1', DISABLE_AUTOUPDATER: '1', DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1', CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
        // bypassPermissions as root needs it; we are in a loopback-only sandbox, its purpose.
        IS_SANDBOX: '1',
      });
      // bypassPermissions: the client alone would run everything, so every block is fwguard's.
      cmd = [bin, '-p', prompt, '--output-format', 'json', '--permission-mode', 'bypassPermissions', '--debug-file', join(w.log, 'claude-debug.log')];
      break;
    case 'gemini':
      Object.assign(env, { GEMINI_API_KEY: 'dummy-key-for-fake-model', GOOGLE_GEMINI_BASE_URL: base });
      // yolo: the only headless mode that offers the shell tool without a policy (AGENTS-PROTOCOLS §12).
      cmd = [process.execPath, bin, '-p', prompt, '--approval-mode', 'yolo', '--output-format', 'json'];
      break;
    case 'codex':
      Object.assign(env, { CODEX_HOME: join(w.home, '.codex'), FAKE_API_KEY: 'dummy-key-for-fake-model', RUST_LOG: 'warn' });
      // Hooks are skipped silently unless trusted; the harness trusts them for the run (noted in the README).
      cmd = [bin, 'exec', '--json', '--dangerously-bypass-approvals-and-sandbox', '--dangerously-bypass-hook-trust', '-C', w.project, prompt];
      break;
    case 'copilot':
      Object.assign(env, {
        COPILOT_HOME: join(w.home, '.copilot'),
        // The binary unpacks its JS once per version; keep that next to the install, not per run.
        COPILOT_PKG_CACHE_HOME: join(dirname(bin), '..', '..', '..', 'pkg-cache'),
        COPILOT_CACHE_HOME: join(w.home, '.cache/copilot'),
        // BYOK ("Custom Model Providers", `copilot help providers`): no GitHub login needed.
        COPILOT_PROVIDER_BASE_URL: `${base}/v1`, COPILOT_PROVIDER_TYPE: 'openai', COPILOT_PROVIDER_API_KEY: 'dummy-key-for-fake-model',
        COPILOT_MODEL: 'fake-model', COPILOT_OFFLINE: '1', COPILOT_AUTO_UPDATE: 'false',
      });
      // --allow-all-tools: the client alone would run everything, so every block is fwguard's.
      cmd = [bin, '-p', prompt, '--allow-all-tools', '--allow-all-paths', '--no-ask-user', '--log-level', 'info', '--log-dir', join(w.log, 'copilot-logs')];
      break;
    case 'opencode':
      Object.assign(env, {
        // Without `init --agent opencode` the plugin is told where fwguard is by $FWGUARD_BIN.
        ...(sup.init ? {} : { FWGUARD_BIN: opts.broken ? GONE : BIN, FWGUARD_NODE: process.execPath }),
        FWGUARD_E2E_RECORD: join(w.log, 'hook-payloads.jsonl'),
        OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_SHARE: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1', OPENCODE_DISABLE_DEFAULT_PLUGINS: '1', OPENCODE_DISABLE_CLAUDE_CODE: '1',
      });
      cmd = [bin, 'run', '--print-logs', '--log-level', 'INFO', '--format', 'json', prompt];
      break;
  }
  writeFileSync(join(w.log, 'command.json'), JSON.stringify({ cmd, env, registration }, null, 2));
  const dns = new DnsLog();
  if (process.env.FWGUARD_E2E_DNS_LOG === '1' && !(await dns.start())) {
    await fake.stop();
    throw new Error('could not listen on 127.0.0.1:53 for the lookup logger (another run still holding it?)');
  }
  const t0 = performance.now();
  assertLoopbackOnly();
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: w.project, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL'); // the client and every hook it started
    } catch {
      /* already gone */
    }
  }, RUN_TIMEOUT);
  const exitCode = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
  clearTimeout(timer);
  try {
    process.kill(-child.pid!, 'SIGKILL'); // stragglers of the process group
  } catch {
    /* none left */
  }
  const ms = performance.now() - t0;
  await fake.stop();
  await dns.stop();
  writeFileSync(join(w.log, 'agent.out'), stdout);
  writeFileSync(join(w.log, 'agent.err'), stderr);
  const payloadFile = join(w.log, 'hook-payloads.jsonl');
  const recorded = existsSync(payloadFile)
    ? readFileSync(payloadFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event?: string; payload: unknown })
    : [];
  const payloads = recorded.map((x) => x.payload);
  const traceFile = join(w.home, '.local/state/fwguard/trace.jsonl');
  const trace = existsSync(traceFile) ? readFileSync(traceFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  writeFileSync(join(w.log, 'fake-model.json'), JSON.stringify({ requests: fake.requests, calls: fake.calls, results: fake.results, dns: dns.lookups }, null, 2));
  const result: RunResult = { agent, version: pin(agent).version, world: w, registration, exitCode, timedOut, ms, stdout, stderr, fake, results: fake.results, payloads, trace, dns: dns.lookups };
  savePayloads(result, name, recorded.map((x) => x.event));
  return result;
}

/** The payloads each real client sent to its hooks: fixtures for the adapters, one file per call. */
function savePayloads(r: RunResult, scenario: string, events: (string | undefined)[]): void {
  const dir = join(OUT, `${r.agent}-${r.version}`, 'payloads');
  mkdirSync(dir, { recursive: true });
  const scrub = (s: string) => s.split(r.world.work).join('<work>').split(ROOT).join('<fwguard>');
  r.payloads.forEach((p, i) => {
    const o = (p ?? {}) as Record<string, unknown>;
    const event = String(o.hook_event_name ?? events[i] ?? 'payload');
    const tool = String(o.tool_name ?? o.toolName ?? (typeof o.input === 'object' && o.input ? (o.input as Record<string, unknown>).tool : '') ?? '');
    writeFileSync(join(dir, `${scenario}-${String(i).padStart(2, '0')}-${event}${tool ? '-' + tool : ''}.json`.replace(/[^\w.-]/g, '_')), scrub(JSON.stringify(p, null, 2)) + '\n');
  });
  const logs = join(OUT, `${r.agent}-${r.version}`, 'runs', scenario);
  mkdirSync(logs, { recursive: true });
  for (const f of ['agent.out', 'agent.err', 'fake-model.json', 'command.json', 'hook-payloads.jsonl']) {
    const src = join(r.world.log, f);
    if (existsSync(src)) writeFileSync(join(logs, f), scrub(readFileSync(src, 'utf8')));
  }
  writeFileSync(join(logs, 'trace.jsonl'), scrub(r.trace.map((t) => JSON.stringify(t)).join('\n') + '\n'));
}

/** The run's logs are in OUT; its throwaway world goes, unless FWGUARD_E2E_KEEP=1. */
export function dispose(r: RunResult | undefined): void {
  if (r && process.env.FWGUARD_E2E_KEEP !== '1') rmSync(r.world.work, { recursive: true, force: true });
}

export function logsOf(r: RunResult, scenario: string): string {
  return join(OUT, `${r.agent}-${r.version}`, 'runs', scenario);
}

/** The fwguard trace record of the pre-tool decision for a command (or path) containing `needle`. */
export function traced(r: RunResult, needle: string): Record<string, unknown> | undefined {
  return r.trace.find((t) => JSON.stringify(t.proposal ?? {}).includes(needle) && t.verdict !== undefined);
}

// --- findings table ---------------------------------------------------------------------------
export interface Finding {
  agent: string;
  version: string;
  scenario: string;
  expected: string;
  observed: string;
  /** pending: not runnable in this checkout; recorded: an observation, not a pass/fail claim. */
  ok: boolean | 'pending' | 'recorded';
}
const FINDINGS = join(OUT, 'findings.jsonl');
export function finding(f: Finding): void {
  mkdirSync(OUT, { recursive: true });
  appendFileSync(FINDINGS, JSON.stringify(f) + '\n');
}
export function findingsFile(): string {
  return FINDINGS;
}
