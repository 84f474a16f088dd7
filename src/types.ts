// Core types shared by every stage of the pipeline:
//   proposal → shell parse → SimpleCommand[] → readers → Action[] → facts → rules → Decision.
// INVARIANT: readers (src/actions) never return a verdict; rules (rules/*.yaml) never parse text.

export type Verdict = 'allow' | 'ask' | 'deny';
export const RANK: Readonly<Record<Verdict, number>> = { allow: 0, ask: 1, deny: 2 };
export function stricter(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

/** How bad it is if the action turns out to be wrong. */
export type Reversibility = 'reversible' | 'recoverable' | 'irreversible';

/** What an agent wants to do, normalised by an adapter (src/agents). */
export interface Proposal {
  kind: 'shell' | 'file.write' | 'file.edit' | 'file.read' | 'web.fetch' | 'tool';
  /** shell: the command line. */
  command?: string;
  /** file.*: the path the tool names (absolute or relative to cwd). */
  path?: string;
  /** file.write / file.edit: new content, when the tool carries it (used for dry-run diffs). */
  content?: string;
  /** web.fetch: the URL (or search query). */
  url?: string;
  /** tool: the agent's tool name and its raw input, for tools fwguard has no model of. */
  tool?: string;
  input?: unknown;
  cwd: string;
  session?: string;
  agent?: string;
  /** Sub-agent id, when the agent reports one (Claude Code `agent_id`). */
  subagent?: string;
}

/** A redirection of one simple command. */
export interface RedirectInfo {
  op: string; // > >> >| &> &>> < <> >& <& <<< << <<-
  fd?: number;
  /** Target word after expansion where static; for heredocs, the body. */
  target: string;
  /** The target could not be determined statically (holds $VAR, $(…), …). */
  dynamic: boolean;
}

/** What feeds a command's standard input. */
export type StdinSource =
  | { kind: 'pipe'; from: SimpleCommand[] }
  | { kind: 'heredoc'; text: string; quoted: boolean }
  | { kind: 'herestring'; text: string; dynamic: boolean }
  | { kind: 'file'; path: string; dynamic: boolean };

/** One program invocation found anywhere in a command line. */
export interface SimpleCommand {
  /** Words after quote removal and static expansion (~, $HOME, literal assignments). */
  argv: string[];
  /** argv[i] holds an expansion fwguard cannot resolve statically. */
  dyn: boolean[];
  /** argv[i] holds an unquoted glob character (*, ?, [) that the shell will expand. */
  glob: boolean[];
  /** Environment assignments before the program name (`FOO=1 cmd`). */
  assignments: { name: string; value: string; dynamic: boolean }[];
  redirects: RedirectInfo[];
  stdin?: StdinSource;
  /** Effective working directory, or null when a dynamic `cd` made it unknowable. */
  cwd: string | null;
  /** Constructs this command sits inside, outermost first: 'sudo', 'bash -c', '$()', 'pipe', 'ssh', … */
  via: string[];
  /** Set when the command runs on another machine (inside `ssh host CMD`). */
  remoteHost?: string;
  /** Offset of the command in the (outermost) source text. */
  pos: number;
  /** Source text of the command, for messages. */
  text: string;
  /** Programs whose output is substituted into this command's words (`sh -c "$(curl …)"`). */
  feeds?: string[];
  /** The program name came from a shell variable (`x=rm; $x …`): dynamic code even when resolved. */
  nameFromVar?: boolean;
}

export interface ParseIssue {
  message: string;
  /** Offset into the source, when known. */
  pos?: number;
  /** What kind of trouble: a syntax error, a construct fwguard does not model, a limit hit. */
  kind: 'syntax' | 'unsupported' | 'limit' | 'dynamic';
}

export interface ShellAnalysis {
  commands: SimpleCommand[];
  issues: ParseIssue[];
}

// ---------------------------------------------------------------------------------------------
// Actions

/** A path as a reader saw it; resolved further (symlinks, facts) by the policy stage. */
export interface PathRef {
  /** As written. */
  raw: string;
  /** Absolute, normalised (no `..`, `~` expanded); null when it cannot be known statically. */
  abs: string | null;
  /** The word holds unquoted glob characters. */
  glob: boolean;
}

interface ActionBase {
  /** Index of the SimpleCommand it came from (in ShellAnalysis.commands), or -1 for a tool call. */
  cmd: number;
  /** The program that produced it (argv[0]), for messages. */
  program: string;
}

export type Action =
  | (ActionBase & { type: 'file.read'; paths: PathRef[] })
  | (ActionBase & { type: 'file.write'; paths: PathRef[]; append?: boolean; overwrite?: boolean; redirect?: boolean; inline?: boolean })
  | (ActionBase & { type: 'file.delete'; paths: PathRef[]; recursive: boolean; move?: boolean; irreversible?: boolean })
  | (ActionBase & { type: 'file.chmod'; paths: PathRef[]; recursive: boolean; mode?: string; owner?: boolean })
  | (ActionBase & { type: 'git.push'; remote?: string; branches: string[]; force: boolean; mirror: boolean; delete: boolean; noVerify: boolean; all?: boolean; tags?: boolean; dir?: string })
  | (ActionBase & { type: 'git.discard'; subcommand: string; detail?: string; dir?: string })
  | (ActionBase & { type: 'git.rewrite'; subcommand: string; pushed?: boolean; dir?: string })
  | (ActionBase & { type: 'git.config'; key: string; value?: string; runsCode: boolean })
  | (ActionBase & { type: 'git.local'; subcommand: string; noVerify?: boolean })
  | (ActionBase & { type: 'git.read'; subcommand: string })
  | (ActionBase & { type: 'checks.skip'; how: string })
  | (ActionBase & { type: 'package.install'; manager: string; global: boolean })
  | (ActionBase & { type: 'package.add'; manager: string; packages: string[]; global: boolean; dev?: boolean })
  | (ActionBase & { type: 'code.remote'; source: string; packages?: string[] })
  | (ActionBase & { type: 'deploy'; tool: string; subcommand: string })
  | (ActionBase & { type: 'infra.read'; tool: string; subcommand: string })
  | (ActionBase & { type: 'net.fetch'; host?: string; url?: string })
  | (ActionBase & { type: 'net.send'; host?: string; how: string })
  | (ActionBase & { type: 'db.mutate'; client: string; statement: string })
  | (ActionBase & { type: 'priv.escalate'; how: string })
  | (ActionBase & { type: 'proc.signal'; how: string; target?: string })
  | (ActionBase & { type: 'system.destroy'; how: string })
  | (ActionBase & { type: 'code.dynamic'; how: string })
  | (ActionBase & { type: 'code.inline'; language: string; code: string; effects: InlineEffect[] })
  | (ActionBase & { type: 'guard.disable'; how: string })
  | (ActionBase & { type: 'exec'; known: boolean; script?: boolean })
  | (ActionBase & { type: 'tool'; name: string; paths: PathRef[] })
  | (ActionBase & { type: 'parse.unknown'; issue: ParseIssue });

export type ActionType = Action['type'];
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

/** What inline interpreter code does, as far as a reader can tell. */
export type InlineEffect = 'delete' | 'write' | 'process' | 'network' | 'read' | 'dynamic';

// ---------------------------------------------------------------------------------------------
// Decisions

export interface Reason {
  rule: string;
  message: string;
  /** Where the rule came from: 'builtin:rules/git.yaml', '/home/u/proj/.fwguardrc', 'internal'. */
  source?: string;
  verdict: Verdict;
  /** From a rule whose reason is lifted once the paths are backed up (the hook does the backup). */
  untilBackedUp?: boolean;
  /** From a rule marked `dryRunFirst`: a prompt opens with the dry run already shown. */
  dryRunFirst?: boolean;
}

export interface Decision {
  verdict: Verdict;
  /** True when an allowed line runs code fwguard cannot see into: adapters answer "no opinion". */
  opaque: boolean;
  reasons: Reason[];
  actions: Action[];
  risk: Reversibility;
  /** What the call does that session memory records once it has run (src/session). */
  flow?: {
    /** Secret files it reads. */
    secretReads: string[];
    /** Action types that count against budgets (deletes of regenerable or temp paths do not). */
    budgeted: string[];
    /** Existing paths it deletes or overwrites that git cannot restore: back them up first. */
    backup: string[];
    /** Files outside the project it reads (content from elsewhere: the session becomes untrusted). */
    outsideReads?: string[];
    /** It prints the environment (`env`, `printenv`, `set`, /proc/N/environ): what it names, e.g. "the output of printenv". */
    envDump?: string;
  };
}
