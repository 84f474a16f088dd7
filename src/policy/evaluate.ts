// Evaluation: actions + facts + rules → Decision. Pure apart from the injected FactSource.
// Verdict = the strictest verdict of any rule that fired on any action (deny > ask > allow).
import type { Action, Decision, PathRef, Reason, Reversibility, ShellAnalysis, Verdict } from '../types.js';
import { RANK } from '../types.js';
import type { FactSource, GitState } from './facts.js';
import { compilePatterns, isUnder, matchAny } from './paths.js';
import { renderMessage, ruleMatches, type Rule } from './rules.js';
import { intentTargets, type SessionView } from '../session/state.js';
import { globMatch } from '../util/glob.js';
import { isSinkPath } from '../util/path.js';

export interface PolicyConfig {
  preset: 'balanced' | 'strict';
  /** Extra directories (absolute, ~ allowed) that count as write scope. */
  writeScope: string[];
  protect: string[];
  secrets: string[];
  regenerable: string[];
  protectedBranches: string[];
  rules: Rule[];
  ciAsk: 'deny' | 'ask' | 'allow';
  opaque: 'none' | 'allow';
  /** Per action type: at most `max` in `windowMs` per session, then ask (deny in CI). */
  budgets: Record<string, { max: number; windowMs: number; window: string }>;
  /** Loop breaker: trip after this many retries of one denied intent, or denials in a row. */
  loop: { sameRetries: number; consecutive: number };
  /** How long a session's memory lasts after its last call. */
  sessionTtlMs: number;
  /** Where the decision trace goes (default: the state dir) and whether it is written. */
  audit: { path?: string; enabled: boolean };
}

export interface EvalContext {
  facts: FactSource;
  home: string;
  cwd: string;
  projectRoot: string;
  tmpDirs: string[];
  /** fwguard's state dir (trace, sessions): protected. */
  stateDir: string;
  /** Where fwguard itself is installed: protected. */
  selfDir?: string;
  config: PolicyConfig;
  /** Session memory (labels, budgets, the loop breaker), when the agent reports a session. */
  session?: SessionView;
  /** Non-interactive: rules with a `ci` verdict use it. */
  ci?: boolean;
  now?: number;
  /** The proposal's text, for the loop breaker's "same denied intent". */
  intent?: string;
}

export interface PathFacts {
  raw: string;
  path: string;
  known: boolean;
  /** sink: a device or pipe that stores nothing (/dev/null, /dev/fd/N, /dev/stdout, /dev/tty). */
  scope: 'project' | 'temp' | 'outside' | 'unknown' | 'sink';
  protected: boolean;
  secret: boolean;
  regenerable: boolean;
  containsProtected: boolean;
  tempRoot: boolean;
  exists: boolean;
  dir: boolean;
  git: GitState;
}

const MAX_GLOB = 200;
/** A command that prints the environment (which holds tokens and keys): `env`, `printenv`, `set`, `export -p`. */
export function isEnvDump(argv: string[]): boolean {
  const p = argv[0]?.slice(argv[0].lastIndexOf('/') + 1);
  if (p === 'printenv') return true;
  if (p === 'env') return argv.slice(1).every((a) => a.startsWith('-') && !['-C', '-S', '-u', '--chdir', '--split-string', '--unset'].includes(a));
  if (p === 'set' || p === 'export' || p === 'declare' || p === 'typeset') return argv.length === 1 || (argv.length === 2 && /^-[px]+$/.test(argv[1]!));
  return false;
}


export function evaluate(actions: Action[], ctx: EvalContext, analysis?: ShellAnalysis): Decision {
  const reasons: Reason[] = [];
  const seen = new Set<string>();
  let verdict: Verdict = 'allow';
  let opaque = false;
  let risk: Reversibility = 'reversible';
  const w = new World(ctx);
  const byType = rulesByType(ctx.config);
  const views = actions.map((a) => w.view(a));
  // Data flow inside the line: a secret read (or an environment dump) anywhere in it.
  const secretReads = [...new Set(views.flatMap((v) => (v.type === 'file.read' || v.type === 'tool' ? (v.paths as PathFacts[]).filter((p) => p.secret).map((p) => p.raw) : [])))];
  const envDump = analysis?.commands.find((c) => isEnvDump(c.argv)) ?? (actions.some((a) => a.type === 'file.read' && a.paths.some((p) => /^\/proc\/[^/]+\/environ$/.test(p.abs ?? ''))) ? { argv: ['/proc/*/environ'] } : undefined);
  const lineSecret = secretReads[0] ?? (envDump ? `the output of ${envDump.argv[0]}` : undefined);
  const now = ctx.now ?? Date.now();
  const s = ctx.session;
  const retries = s && ctx.intent !== undefined ? s.retries(ctx.intent, intentTargets(actions)) : 0;
  const budgeted: string[] = [];
  const backup = new Set<string>();
  actions.forEach((a, k) => {
    const view = views[k]!;
    if ((a.type === 'file.delete' && !a.move) || (a.type === 'file.write' && a.overwrite && !a.append)) {
      for (const p of view.paths as PathFacts[]) {
        if (p.known && p.exists && !p.regenerable && !p.protected && (p.scope === 'project' || p.scope === 'outside') && p.git !== 'clean') backup.add(p.path);
      }
    }
    view.line = { secret: lineSecret !== undefined, ...(lineSecret ? { secretSource: lineSecret } : {}) };
    view.session = {
      secret: !!s?.secret,
      untrusted: !!s?.untrusted,
      tripped: !!s?.tripped,
      retried: retries > 0,
      ...(s?.secret ? { secretSource: s.secret.source } : {}),
      ...(s?.untrusted ? { untrustedSource: s.untrusted.source } : {}),
      ...(s?.tripped ? { trippedReason: s.tripped.reason } : {}),
    };
    view.secretSource = lineSecret ?? s?.secret?.source;
    view.untrustedSource = s?.untrusted?.source;
    view.trippedReason = s?.tripped?.reason;
    const budget = ctx.config.budgets[a.type];
    const counts = budget && !(a.type === 'file.delete' && (view.paths as PathFacts[]).every((p) => p.regenerable || p.scope === 'temp'));
    if (counts) budgeted.push(a.type);
    if (budget && counts && s) {
      const used = s.counts(a.type, budget.windowMs, now);
      view.budget = { exceeded: used >= budget.max };
      Object.assign(view, { budgetUsed: used, budgetMax: budget.max, budgetWindow: budget.window });
    }
    const approval = approvalOf(a, view, byType.get(a.type) ?? [], s);
    for (const r of byType.get(a.type) ?? []) {
      if (!ruleMatches(r, view)) continue;
      let message = renderMessage(r.message, view);
      const key = r.id + '\0' + message;
      if (seen.has(key)) continue;
      seen.add(key);
      let v = (ctx.ci && r.ci ? r.ci : r.verdict) as Verdict;
      if (v === 'ask' && approval && !r.locked && !NEVER_LIFTED.test(r.id) && (!approval.rules || approval.rules.includes(r.id))) {
        v = 'allow';
        message += ` (approved: ${approval.by})`;
      }
      reasons.push({ rule: r.id, message, source: r.source, verdict: v, ...(r.untilBackedUp ? { untilBackedUp: true } : {}), ...(r.dryRunFirst ? { dryRunFirst: true } : {}) });
      if (RANK[v] > RANK[verdict]) verdict = v;
    }
    if (a.type === 'exec' || a.type === 'code.inline' || a.type === 'tool') opaque = true;
    risk = worse(risk, reversibility(a, view));
  });
  reasons.sort((x, y) => RANK[y.verdict] - RANK[x.verdict]);
  const outsideReads = [...new Set(views.flatMap((v) => (v.type === 'file.read' ? (v.paths as PathFacts[]).filter((p) => p.known && p.scope === 'outside' && !p.secret).map((p) => p.raw) : [])))];
  return { verdict, opaque, reasons, actions, risk, flow: { secretReads, budgeted, backup: [...backup], outsideReads, ...(envDump ? { envDump: `the output of ${envDump.argv[0]}` } : {}) } };
}

/** Asks a person's session approval never lifts: the loop breaker, budgets, data flows. */
export const NEVER_LIFTED = /^(session|flow|ci|internal|config|undo)\./;

/**
 * A person's approval of one action, which lifts its asks (never a deny): an allow rule with
 * `overrides` that matches each of the action's paths (the prompt's `a`, written to the user
 * config), or an allowance in session memory (the prompt's `s`).
 */
function approvalOf(a: Action, view: Record<string, unknown>, rules: Rule[], s: SessionView | undefined): { by: string; rules?: string[] } | undefined {
  const paths = (view.paths as PathFacts[] | undefined) ?? [];
  for (const r of rules) {
    if (r.verdict !== 'allow' || !r.overrides?.length) continue;
    const covers = paths.length ? paths.every((p) => ruleMatches(r, { ...view, paths: [p] })) : ruleMatches(r, view);
    if (covers) return { by: `rule ${r.id}`, rules: r.overrides };
  }
  const al = s?.allowed?.(a.type, a.program, paths);
  return al ? { by: `allowed for this session: ${al.label}`, ...(al.rules ? { rules: al.rules } : {}) } : undefined;
}

function worse(a: Reversibility, b: Reversibility): Reversibility {
  const r = { reversible: 0, recoverable: 1, irreversible: 2 } as const;
  return r[a] >= r[b] ? a : b;
}

function reversibility(a: Action, view: Record<string, unknown>): Reversibility {
  switch (a.type) {
    case 'file.delete': {
      const ps = view.paths as PathFacts[];
      if (ps.every((p) => p.regenerable || !p.exists)) return 'reversible';
      if (a.move || ps.every((p) => p.git === 'clean')) return 'recoverable';
      return 'irreversible';
    }
    case 'file.write':
      return a.overwrite ? ((view.paths as PathFacts[]).some((p) => p.exists && p.git !== 'clean') ? 'irreversible' : 'recoverable') : 'reversible';
    case 'git.push':
      return a.force || a.delete || a.mirror ? 'irreversible' : 'recoverable';
    case 'git.discard':
    case 'git.rewrite':
    case 'deploy':
    case 'net.send':
    case 'db.mutate':
    case 'system.destroy':
    case 'code.remote':
      return 'irreversible';
    case 'package.add':
    case 'package.install':
    case 'file.chmod':
      return 'recoverable';
    default:
      return 'reversible';
  }
}

/** Facts about the world, computed once per path and only when an action needs them. */
class World {
  private readonly protect;
  private readonly secrets;
  private readonly regen: Set<string>;
  private readonly criticalBases: string[];
  private readonly secretBases: string[];
  private readonly cache = new Map<string, PathFacts>();
  private deps: Set<string> | undefined;

  constructor(private readonly ctx: EvalContext) {
    this.protect = compilePatterns(ctx.config.protect);
    this.secrets = compilePatterns(ctx.config.secrets);
    this.regen = new Set(ctx.config.regenerable);
    this.criticalBases = criticalBases(ctx);
    this.secretBases = secretBases(ctx);
  }

  view(a: Action): Record<string, unknown> {
    const v: Record<string, unknown> = { ...a };
    if ('paths' in a) v.paths = a.paths.flatMap((p) => this.pathFacts(p, a.type === 'file.delete' || (a.type === 'file.write' && !!a.overwrite)));
    const first = (v.paths as PathFacts[] | undefined)?.[0];
    if (first) v.path = first.raw === first.path || !first.known ? first.raw : `${first.raw} (${first.path})`;
    if (a.type === 'git.push') {
      const top = this.ctx.facts.gitTop(this.dirOf(a)) ?? this.ctx.projectRoot;
      const names = a.branches.map((b) => (b === 'HEAD' ? this.ctx.facts.currentBranch(top) ?? 'HEAD' : b.replace(/^refs\/heads\//, '')));
      const branches = names.map((name) => ({ name, protected: name === 'HEAD' || this.isProtectedBranch(name) }));
      if (a.all || a.mirror || branches.length === 0) branches.push({ name: a.mirror ? '(every ref, --mirror)' : '(every branch)', protected: true });
      v.branches = branches;
      v.branch = branches.map((b) => b.name).join(', ');
      // A push to a remote the repository does not have configured (a URL, a new name).
      v.remoteKnown = a.remote === undefined || this.ctx.facts.remotes(top).includes(a.remote);
    }
    if (a.type === 'git.rewrite' && a.pushed === undefined && (a.subcommand === 'rebase' || a.subcommand.startsWith('commit'))) {
      const top = this.ctx.facts.gitTop(this.dirOf(a));
      v.pushed = top ? this.ctx.facts.headPushed(top) : undefined;
    }
    if (a.type === 'code.remote') {
      const pk = a.packages ?? [];
      this.deps ??= this.ctx.facts.projectDependencies(this.ctx.projectRoot);
      v.dependency = pk.length > 0 && pk.every((p) => this.deps!.has(p) || this.deps!.has(p.toLowerCase()));
    }
    if (a.type === 'code.inline') v.effects = a.effects.length ? a.effects : ['none'];
    if (a.type === 'parse.unknown') v.issue = a.issue.message + (a.issue.pos !== undefined ? ` at offset ${a.issue.pos}` : '');
    if (a.type === 'package.add') v.packages = a.packages.length ? a.packages : [a.manager];
    return v;
  }

  private dirOf(a: Action): string {
    const d = (a as { dir?: string }).dir;
    return d ?? this.ctx.cwd;
  }

  private isProtectedBranch(name: string): boolean {
    return this.ctx.config.protectedBranches.some((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : p === name));
  }

  /** Facts of a path; a glob expands to what it matches (bounded). */
  pathFacts(ref: PathRef, needGit: boolean): PathFacts[] {
    if (ref.abs === null) return [this.unknown(ref.raw)];
    if (!ref.glob) return [this.facts(ref.raw, ref.abs, needGit)];
    const g = ref.abs;
    const firstGlob = g.search(/[*?[]/);
    const dir = g.slice(0, g.lastIndexOf('/', firstGlob)) || '/';
    const rest = g.slice(dir === '/' ? 1 : dir.length + 1);
    if (rest.includes('/') || rest.includes('**')) {
      // Deeper or recursive globs: judge the directory they search, as a whole — and the pattern
      // itself against the protected and secret lists (`cat /home/*/.ssh/id_rsa`).
      const f = this.facts(ref.raw, dir, needGit);
      const home = this.ctx.home;
      return [{ ...f, secret: f.secret || matchAny(this.secrets, g, home), protected: f.protected || matchAny(this.protect, g, home) }];
    }
    const entries = this.ctx.facts.readdir(dir);
    if (entries === null) return [this.facts(ref.raw, g, needGit)];
    const hits = entries.filter((e) => (rest.startsWith('.') || !e.startsWith('.')) && globMatch(rest, e));
    if (hits.length === 0) return [this.facts(ref.raw, g, needGit)];
    if (hits.length > MAX_GLOB) return [this.facts(ref.raw, dir, needGit)];
    return hits.map((h) => this.facts(ref.raw, (dir === '/' ? '' : dir) + '/' + h, needGit));
  }

  private unknown(raw: string): PathFacts {
    return { raw, path: raw, known: false, scope: 'unknown', protected: false, secret: false, regenerable: false, containsProtected: false, tempRoot: false, exists: false, dir: false, git: 'unknown' };
  }

  private facts(raw: string, abs: string, needGit: boolean): PathFacts {
    // A sink stores nothing; do not resolve it (/dev/fd/N is a link into /proc, which is protected).
    if (isSinkPath(abs)) return { raw, path: abs, known: true, scope: 'sink', protected: false, secret: false, regenerable: false, containsProtected: false, tempRoot: false, exists: true, dir: false, git: 'none' };
    const key = abs + (needGit ? '\0g' : '');
    const hit = this.cache.get(key);
    if (hit) return { ...hit, raw };
    const ctx = this.ctx;
    const real = ctx.facts.realpath(abs);
    const st = ctx.facts.stat(real);
    const inProject = isUnder(real, ctx.projectRoot) || isUnder(abs, ctx.projectRoot);
    const inTemp = ctx.tmpDirs.some((t) => isUnder(real, t));
    const inExtra = ctx.config.writeScope.some((d) => isUnder(real, d.startsWith('~/') ? ctx.home + d.slice(1) : d));
    const scope = isSinkPath(abs) ? 'sink' : inProject || inExtra ? 'project' : inTemp ? 'temp' : 'outside';
    const prot = matchAny(this.protect, real, ctx.home) || matchAny(this.protect, abs, ctx.home) || isUnder(real, ctx.stateDir) || (!!ctx.selfDir && isUnder(real, ctx.selfDir));
    // A directory that holds secret files (`tar c ~/.ssh`, `cp -r ~/.aws x`) is read with them.
    const secret = matchAny(this.secrets, real, ctx.home) || matchAny(this.secrets, abs, ctx.home) || this.secretBases.some((b) => isUnder(b, real));
    let regenerable = false;
    if (inProject || inTemp) {
      const base = inProject ? ctx.projectRoot : ctx.tmpDirs.find((t) => isUnder(real, t))!;
      const rel = real.startsWith(base) ? real.slice(base.length + 1) : abs.slice(base.length + 1);
      regenerable = rel.split('/').some((seg) => this.regen.has(seg));
    }
    const containsProtected = this.criticalBases.some((b) => isUnder(b, real) || isUnder(b, abs));
    const tempRoot = ctx.tmpDirs.includes(real);
    let git: GitState = 'unknown';
    // Git state only matters for what git could restore: not for regenerable dirs or temp files.
    if (needGit && st.exists && (inProject || inExtra) && !regenerable) {
      const top = ctx.facts.gitTop(st.dir ? real : real.slice(0, real.lastIndexOf('/')) || '/');
      git = top ? ctx.facts.gitState(top, real, (p) => this.isRegenerable(p, top)) : 'none';
    }
    const f: PathFacts = { raw, path: real, known: true, scope, protected: prot, secret, regenerable, containsProtected, tempRoot, exists: st.exists, dir: st.dir, git };
    this.cache.set(key, f);
    return f;
  }

  private isRegenerable(abs: string, top: string): boolean {
    return abs.slice(top.length + 1).split('/').some((seg) => this.regen.has(seg));
  }
}

const byTypeCache = new WeakMap<PolicyConfig, Map<string, Rule[]>>();

/** The active rules of a policy, indexed by the action types they match (built once per policy). */
function rulesByType(config: PolicyConfig): Map<string, Rule[]> {
  let m = byTypeCache.get(config);
  if (m) return m;
  m = new Map();
  for (const r of config.rules) {
    if (r.verdict === 'off' || (r.preset && r.preset !== config.preset)) continue;
    for (const t of ([] as string[]).concat(r.when.action)) {
      const list = m.get(t);
      if (list) list.push(r);
      else m.set(t, [r]);
    }
  }
  byTypeCache.set(config, m);
  return m;
}

const basesCache = new WeakMap<PolicyConfig, Map<string, string[]>>();

/**
 * What a recursive delete must never take with it: home, the project, fwguard's own state and
 * install, and every protected tree (project-relative patterns resolved in the project root).
 * Cached per policy, home and project.
 */
function criticalBases(ctx: EvalContext): string[] {
  return cachedBases(ctx, 'protect', () => {
    const bases = new Set<string>([ctx.home, ctx.projectRoot, ctx.stateDir]);
    if (ctx.selfDir) bases.add(ctx.selfDir);
    for (const p of ctx.config.protect) if (!p.startsWith('!')) bases.add(patternBase(p, ctx.home, ctx.projectRoot));
    return [...bases];
  });
}

/** Absolute secret locations (`~/.ssh`, `~/.aws/credentials`, …), for reads of a folder above them. */
function secretBases(ctx: EvalContext): string[] {
  return cachedBases(ctx, 'secrets', () => {
    const out = new Set<string>();
    for (const p of ctx.config.secrets) {
      if (p.startsWith('!') || !(p.startsWith('~/') || p.startsWith('/'))) continue; // name patterns have no location
      const q = patternBase(p, ctx.home, ctx.projectRoot);
      if (q !== ctx.home && q !== '/') out.add(q);
    }
    return [...out];
  });
}

/**
 * The folder a path pattern is rooted at: `~/.ssh/**` → $HOME/.ssh, `/lib*` → /, a relative
 * pattern (`.claude/settings*.json`) → inside the project root.
 */
function patternBase(p: string, home: string, projectRoot: string): string {
  let q = p.replace(/\/\*\*$/, '');
  if (q === '~') q = home;
  else if (q.startsWith('~/')) q = home + q.slice(1);
  else if (!q.startsWith('/')) q = projectRoot + '/' + q;
  if (/[*?[]/.test(q)) q = q.slice(0, q.search(/[*?[]/)).replace(/\/[^/]*$/, '') || '/';
  return q;
}

/** Bases depend on the policy, home, project, state dir and install: computed once per combination. */
function cachedBases(ctx: EvalContext, kind: string, make: () => string[]): string[] {
  let byKey = basesCache.get(ctx.config);
  if (!byKey) basesCache.set(ctx.config, (byKey = new Map()));
  const key = `${kind}\0${ctx.home}\0${ctx.projectRoot}\0${ctx.stateDir}\0${ctx.selfDir ?? ''}`;
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = make()));
  return hit;
}

