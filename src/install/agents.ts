// The per-agent installers behind `fwguard init --agent <id>` and `fwguard doctor --agent <id>`,
// and what they share: recognising fwguard's own hook entries, merging them into an agent's hook
// file without touching anything else, and the command line each agent runs.
// INVARIANT: an installer only ever adds, replaces or removes entries it recognises as fwguard's;
// other hooks and every other key of the file are carried through unchanged.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { quote as shellQuote } from 'shell-quote';
import { findOnPath } from '../util/which.js';
import { firstCommandWords } from '../shell/index.js';
import {
  binBelongsToFwguard,
  binPath,
  looksLikeFwguardBin,
  packageRoot,
  planConfig,
  planInit,
  projectRootOf,
  readSettings,
  type FileChange,
  type Scope,
  type Settings,
} from './claude-code.js';
import { findFlat, isObject } from './hook-file.js';
import type { Finding, ProbeResult } from './doctor.js';
import { codexInstaller } from './codex.js';
import { copilotInstaller, isCopilotFwguard } from './copilot.js';
import { cursorInstaller } from './cursor.js';
import { geminiInstaller } from './gemini.js';
import { opencodeInstaller } from './opencode.js';

// The hook-file editors and jsonChange live beside the Claude Code installer, which uses them too.
export { addFlat, addNested, findFlat, findNested, isObject, removeFlat, removeNested, type FoundEntry, type HookEdit, type NestedOptions } from './hook-file.js';
export { jsonChange } from './claude-code.js';

export type AgentId = 'claude-code' | 'gemini' | 'copilot' | 'codex' | 'cursor' | 'opencode';

/** Every agent `init`/`doctor` know, in the order they are reported. */
export const AGENT_IDS: readonly AgentId[] = ['claude-code', 'gemini', 'copilot', 'codex', 'cursor', 'opencode'];

export interface Where {
  projectRoot: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** How fwguard itself is started: the absolute node binary and bin/run.js. */
export interface FwguardCommand {
  node: string;
  bin: string;
}

/** The argv that runs fwguard's hook for `agent`. */
export function hookArgv(cmd: FwguardCommand, agent: AgentId): string[] {
  return [cmd.node, cmd.bin, 'hook', agent];
}

/** The argv as one shell word list, each word quoted only where the shell needs it. */
export function shellLine(argv: readonly string[]): string {
  return shellQuote([...argv]);
}

/**
 * For agents that run a shell string and fail open when the hook exits with anything but 2 (Gemini:
 * exit 1 allows; Codex: everything but exit 2 with text allows): if fwguard cannot start (node or
 * bin/run.js gone, a crash), the shell answers exit 2 with a reason on stderr, which both agents
 * treat as a block. fwguard's own exit 2 (a deny) passes through with its own reason.
 */
export function failClosedShellLine(argv: readonly string[]): string {
  return `${shellLine(argv)} || { s=$?; [ "$s" -eq 2 ] || echo "fwguard: the hook could not run (exit $s), so this call is blocked; run fwguard doctor" >&2; exit 2; }`;
}

/** Does a registered shell line carry failClosedShellLine's `|| … exit 2` fallback? Without it a missing bin/run.js makes node exit 1, which those agents allow. */
export function hasFailClosedFallback(line: string): boolean {
  return /\|\|[^|]*exit 2/.test(line);
}

/** Matchers that mean "every tool" in Gemini CLI and Codex (an omitted matcher included). */
export const coversAllTools = (m: unknown) => m === undefined || m === '' || m === '*' || m === '.*';

/** The leading plain words of a shell command line (its first simple command, read by the real bash parser). */
export function leadingWords(line: string): string[] {
  return firstCommandWords(line, process.env.HOME ?? '');
}

/** A word that names fwguard's executable (by shape, or because its package.json says fwguard). */
export function isFwguardProgram(word: string, bin?: string): boolean {
  return (bin !== undefined && word === bin) || looksLikeFwguardBin(word) || binBelongsToFwguard(word);
}

/**
 * Does this word list run `fwguard … hook <agent>`? Besides a word that is fwguard's executable, a
 * `…/bin/run.js` directly before `hook <agent>` counts: that is an fwguard entry whose checkout
 * moved or was uninstalled, which doctor must still find (and flag) rather than call "not installed".
 */
export function wordsRunHook(words: readonly string[], agent: AgentId, bin?: string): boolean {
  const hi = words.indexOf('hook');
  if (hi === -1 || words[hi + 1] !== agent) return false;
  if (hi > 0 && /(^|[\\/])bin[\\/]run\.js$/.test(words[hi - 1]!)) return true;
  return words.slice(0, hi).some((w) => isFwguardProgram(w, bin));
}

/** The program and arguments a hook entry runs, whichever field the agent uses for them. */
export interface EntryCommand {
  /** Exec form (no shell): program + args. */
  argv?: string[];
  /** Shell form: the command line. */
  line?: string;
}

export function entryWords(c: EntryCommand): string[] {
  return c.argv ?? (c.line !== undefined ? leadingWords(c.line) : []);
}

/** The program the entry starts (argv[0], or the first word of the shell line). */
export function entryProgram(c: EntryCommand): string | undefined {
  return entryWords(c)[0];
}

/** The fwguard script the entry names (the word before `hook` that is fwguard's bin), if any. */
export function entryScript(c: EntryCommand, bin?: string): string | undefined {
  const w = entryWords(c);
  const hi = w.indexOf('hook');
  if (hi > 1 && /(^|[\\/])bin[\\/]run\.js$/.test(w[hi - 1]!)) return w[hi - 1];
  return w.slice(0, hi === -1 ? w.length : hi).find((x) => x !== w[0] && isFwguardProgram(x, bin));
}

/** Read a JSON settings file for doctor: a parse error becomes a finding instead of a throw. */
export function readForDoctor(path: string, agent: AgentId, findings: Finding[]): { settings: Settings; exists: boolean } {
  try {
    const f = readSettings(path);
    return { settings: f.settings, exists: f.exists };
  } catch (err) {
    findings.push({ severity: 'error', id: `${agent}.settings-invalid`, message: (err as Error).message, fix: 'the agent ignores a file it cannot parse, hooks included: fix the JSON', file: path });
    return { settings: {}, exists: true };
  }
}

// ---------------------------------------------------------------------------------------------
// Detection and programs.

export { isExecutable } from '../util/which.js';

/** The executable `name` on PATH, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  return findOnPath(name, env.PATH) ?? null;
}

/** A sign that an agent is used here: a folder, or a file, that exists. */
export type Sign = { dir: string; why: string } | { file: string; why: string };

/** Why the agent counts as present: the first sign that holds, else `program` on PATH; null when none does. */
export function detectBy(w: Where, program: string, signs: readonly Sign[]): string | null {
  for (const s of signs) if ('dir' in s ? isDir(s.dir) : readText(s.file) !== null) return s.why;
  return onPath(program, w.env) ? `\`${program}\` is on PATH` : null;
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A JSON file that may start with `// comment` lines (Copilot CLI writes its config so); null when missing or unreadable. */
export function readJsonc(p: string): Record<string, unknown> | null {
  const text = readText(p);
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

export function readText(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/** "a.b.c" → [a,b,c]; compare with a minimum; null when no version number is found. */
export function compareVersion(v: string, min: readonly number[]): number | null {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) return null;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (let i = 0; i < 3; i++) {
    const d = parts[i]! - (min[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export { existsSync };

// ---------------------------------------------------------------------------------------------
// The installer contract each src/install/<agent>.ts fulfils.

export interface PlanOptions {
  scope: Scope;
  where: Where;
  cmd: FwguardCommand;
  remove: boolean;
  /** fwguard's package root (where plugins/ lives); default this package's. */
  root?: string;
}

export interface AgentPlan {
  agent: AgentId;
  scope: Scope;
  /** The file fwguard's registration lives in. */
  file: string;
  changes: FileChange[];
  warnings: string[];
  /** Set when nothing is registered on purpose (e.g. another registration already covers it). */
  skipped?: string;
  /** Steps the user must still take by hand (e.g. Codex hook trust). */
  todo: string[];
}

/** An installed fwguard registration, as doctor sees it. */
export interface Registration {
  agent: AgentId;
  file: string;
  event: string;
  /** Decides before the tool runs (as opposed to recording after it ran). */
  pre: boolean;
  command: EntryCommand;
  /** ms, as the agent will apply it (undefined: the agent's default). */
  timeoutMs?: number;
  /** The payload shape the probe sends (an event name the adapter knows). */
  probeEvent: string;
  /** How this registration behaves when fwguard cannot run. */
  failure: 'blocks' | 'fails-open';
  /** Extra text for findings about this registration. */
  via?: string;
}

export interface DoctorScan {
  files: { path: string; scope: string; exists: boolean; hooks: number }[];
  registrations: Registration[];
  findings: Finding[];
}

export interface ProbeVerdict {
  decision: 'deny' | 'ask' | 'allow' | 'none' | 'error';
  reason: string;
}

export interface AgentInstaller {
  id: AgentId;
  label: string;
  /** The agent's executable, for `--version`. */
  program: string;
  defaultScope: Scope;
  /** Where fwguard's registration goes for a scope. */
  file(scope: Scope, w: Where): string;
  /** Config folders/files whose presence means the agent is used here, in the order reported (else `program` on PATH: see detectAgent). */
  signs(w: Where): Sign[];
  plan(o: PlanOptions): AgentPlan;
  /** Every registration of fwguard for this agent, and every setting that switches it off. */
  scan(w: Where): DoctorScan;
  /** What this agent makes of a hook's output. */
  interpret(r: ProbeResult): ProbeVerdict;
  /** Findings about the agent's version (fail-closed switch support, plugin API). */
  versionFindings(version: string): Finding[];
}

/** Normalise a decision word from a JSON answer. */
export function decisionWord(v: unknown): ProbeVerdict['decision'] | undefined {
  if (v === 'deny' || v === 'block') return 'deny';
  if (v === 'ask') return 'ask';
  if (v === 'allow' || v === 'approve') return 'allow';
  return undefined;
}

/** The last JSON object line of a hook's stdout, or undefined. */
export function lastJson(stdout: string): Record<string, unknown> | undefined {
  const out = stdout.trim();
  const candidates = [out, out.split('\n').pop() ?? ''];
  for (const c of candidates) {
    if (!c.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(c);
      if (isObject(v)) return v;
    } catch {
      // try the next
    }
  }
  return undefined;
}

export function firstLine(s: string, max = 300): string {
  const line = s.trim().split('\n')[0] ?? '';
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

// ---------------------------------------------------------------------------------------------
// The registry. A function, not a table: the installers import this module's helpers, so a table
// built while this module loads could meet them half-initialised.

/** The installer for an agent other than Claude Code (whose installer is claude-code.ts's planInit). */
export function installerFor(id: Exclude<AgentId, 'claude-code'>): AgentInstaller {
  switch (id) {
    case 'gemini':
      return geminiInstaller;
    case 'copilot':
      return copilotInstaller;
    case 'codex':
      return codexInstaller;
    case 'cursor':
      return cursorInstaller;
    case 'opencode':
      return opencodeInstaller;
  }
}

export function isAgentId(s: string): s is AgentId {
  return (AGENT_IDS as readonly string[]).includes(s);
}

/** Why Claude Code counts as present here, or null. */
export function detectClaude(w: Where): string | null {
  return detectBy(w, 'claude', [
    { dir: join(w.projectRoot, '.claude'), why: '.claude/ in the project' },
    { dir: join(w.home, '.claude'), why: '~/.claude exists' },
  ]);
}

/** Why this agent counts as present here (a config folder, the program on PATH), or null. */
export function detectAgent(id: AgentId, w: Where): string | null {
  if (id === 'claude-code') return detectClaude(w);
  const inst = installerFor(id);
  return detectBy(w, inst.program, inst.signs(w));
}

// ---------------------------------------------------------------------------------------------
// `fwguard init --agent …`: one plan for one agent, a list of agents, or every detected one.

export interface MultiInitOptions {
  cwd: string;
  home: string;
  env: NodeJS.ProcessEnv;
  /** The agents asked for; 'all' = every agent detected here. */
  agents: readonly AgentId[] | 'all';
  /** Default: each agent's own default scope. */
  scope?: Scope;
  remove?: boolean;
  force?: boolean;
  snapshot?: boolean;
  node?: string;
  bin?: string;
  root?: string;
}

export interface MultiInitPlan {
  projectRoot: string;
  /** The .fwguardrc.yaml change (absent on --remove). */
  config?: FileChange;
  agents: AgentPlan[];
  /** Agents `all` left out, and why. */
  notDetected: { agent: AgentId; why: string }[];
  /** Every change, config first, for apply and the diff. */
  changes: FileChange[];
}

export function planAgents(o: MultiInitOptions): MultiInitPlan {
  const projectRoot = projectRootOf(o.cwd);
  const where: Where = { projectRoot, home: o.home, env: o.env };
  const root = o.root ?? packageRoot();
  const cmd: FwguardCommand = { node: o.node ?? process.execPath, bin: o.bin ?? binPath(root) };
  const notDetected: MultiInitPlan['notDetected'] = [];
  let ids: AgentId[];
  if (o.agents === 'all') {
    ids = [];
    for (const id of AGENT_IDS) {
      const why = detectAgent(id, where);
      // --remove takes fwguard out wherever it is; installing needs the agent to be here.
      if (why !== null || o.remove) ids.push(id);
      else notDetected.push({ agent: id, why: 'no config folder and not on PATH' });
    }
  } else {
    ids = [...new Set(o.agents)];
  }
  const out: MultiInitPlan = { projectRoot, agents: [], notDetected, changes: [] };
  if (!o.remove && ids.length > 0) {
    out.config = planConfig(projectRoot, root, o.force === true);
    out.changes.push(out.config);
  }
  for (const id of ids) {
    let p: AgentPlan;
    if (id === 'claude-code') {
      const scope = o.scope ?? 'project';
      const c = planInit({ cwd: o.cwd, home: o.home, scope, remove: o.remove, force: o.force, snapshot: o.snapshot, node: cmd.node, bin: cmd.bin, root, withConfig: false });
      p = { agent: id, scope, file: c.settingsFile, changes: c.changes, warnings: [...c.warnings], todo: [] };
      if (!o.remove && scope === 'project') {
        const cop = join(projectRoot, '.github', 'hooks', 'fwguard.json');
        let ours = false;
        try {
          ours = findFlat(readSettings(cop).settings, isCopilotFwguard).length > 0;
        } catch {
          // unreadable: doctor reports it
        }
        if (ours) {
          p.warnings.push(`Copilot CLI runs the Claude Code hook of .claude/settings.json as well as fwguard's Copilot hook in ${cop}: run \`fwguard init --agent copilot\` again to drop the second one`);
        }
      }
    } else {
      const inst = installerFor(id);
      p = inst.plan({ scope: o.scope ?? inst.defaultScope, where, cmd, remove: o.remove === true, root });
    }
    out.agents.push(p);
    out.changes.push(...p.changes);
  }
  return out;
}
