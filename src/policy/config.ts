// Configuration: found with cosmiconfig (module `fwguard`), validated with zod, merged over the
// built-in policy. A config that does not load is an error that names file, key and expectation;
// the caller then denies every decision (fail closed).
// zod/mini: the same validation with a fraction of the code, because this runs on the hook path.
import * as z from 'zod/mini';
import type { Rule } from './rules.js';
import type { PolicyConfig } from './evaluate.js';
import { DEFAULT_PROTECT, DEFAULT_PROTECTED_BRANCHES, DEFAULT_REGENERABLE, DEFAULT_SECRETS } from './paths.js';

const verdict = z.enum(['allow', 'ask', 'deny']);
const strings = z.optional(z.array(z.string()));

const ruleSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9][\w.-]*$/i, 'a dotted id such as team.no-prod-db')),
  when: z.optional(z.looseObject({ action: z.union([z.string(), z.array(z.string()).check(z.minLength(1))]) })),
  verdict: z.union([verdict, z.literal('off')]),
  ci: z.optional(verdict),
  untilBackedUp: z.optional(z.boolean()),
  /** An ask from this rule opens the approval prompt with the dry run already run. */
  dryRunFirst: z.optional(z.boolean()),
  /** Allow rules only: the ask rules it lifts for the actions it matches (never a deny). */
  overrides: z.optional(z.array(z.string()).check(z.minLength(1))),
  message: z.optional(z.string().check(z.minLength(1))),
  preset: z.optional(z.enum(['balanced', 'strict'])),
  examples: z.optional(z.strictObject({ match: strings, noMatch: strings })),
});

export const configSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Rule preset: balanced (default) or strict (unknown programs ask). */
  preset: z.optional(z.enum(['balanced', 'strict'])),
  /** Extra directories that count as write scope. */
  scope: z.optional(z.strictObject({ write: strings })),
  /** Extra protected path globs (deny writes/deletes). Prefix ! to exclude. */
  protect: strings,
  /** Extra secret-file globs (reads ask). */
  secrets: strings,
  /** Extra directory names that are safe to delete. */
  regenerable: strings,
  branches: z.optional(z.strictObject({ protected: strings })),
  /** New rules, or {id, verdict} to change a built-in rule (verdict: off disables it). */
  rules: z.optional(z.array(ruleSchema)),
  ci: z.optional(z.strictObject({ ask: z.optional(z.enum(['deny', 'ask', 'allow'])) })),
  agents: z.optional(z.strictObject({ opaque: z.optional(z.enum(['none', 'allow'])) })),
  audit: z.optional(z.strictObject({ path: z.optional(z.string()), enabled: z.optional(z.boolean()) })),
  tests: z.optional(z.array(z.strictObject({ command: z.string(), expect: verdict, cwd: z.optional(z.string()) }))),
  /** Per action type: `{max, window}` (window like 1h), or "off". */
  budgets: z.optional(z.record(z.string(), z.union([z.literal('off'), z.strictObject({ max: z.number().check(z.int(), z.minimum(0)), window: z.string() })]))),
  /** Loop breaker: retries of one denied intent, and denials in a row, before every change asks. */
  loop: z.optional(z.strictObject({ sameRetries: z.optional(z.number().check(z.int(), z.minimum(1))), consecutive: z.optional(z.number().check(z.int(), z.minimum(1))) })),
  /** How long a session's memory lasts after its last call (default 7d). */
  session: z.optional(z.strictObject({ ttl: z.optional(z.string()) })),
  /** Data flow: which actions count as sinks for secrets, and the verdicts (interactive, CI). */
  flow: z.optional(z.strictObject({ sinks: z.optional(z.array(z.string())), verdict: z.optional(z.enum(['ask', 'deny'])), ci: z.optional(z.enum(['ask', 'deny'])) })),
});

export type FwguardConfig = z.infer<typeof configSchema>;

/** Budgets on by default: the actions a runaway agent does too many of. */
export const DEFAULT_BUDGETS: Record<string, { max: number; window: string; windowMs: number }> = {
  'file.delete': { max: 100, window: '1h', windowMs: 3600_000 },
  'package.add': { max: 20, window: '1h', windowMs: 3600_000 },
  'net.send': { max: 30, window: '1h', windowMs: 3600_000 },
  deploy: { max: 10, window: '1h', windowMs: 3600_000 },
  'git.push': { max: 20, window: '1h', windowMs: 3600_000 },
};

/** `30s`, `15m`, `2h`, `1d` → milliseconds. */
export function parseDuration(text: string, file: string, key: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new ConfigError(file, `${key}: expected a duration such as 30m, 2h or 1d, got ${JSON.stringify(text)}`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Validate raw config data; throws ConfigError naming each bad key, what was expected and what was found. */
export function validateConfig(data: unknown, file: string): FwguardConfig {
  const r = z.safeParse(configSchema, data ?? {});
  if (r.success) return r.data;
  const msgs = r.error.issues.slice(0, 5).map((i) => describeIssue(i as unknown as ZodIssueLike, data));
  throw new ConfigError(file, msgs.join('; '));
}

interface ZodIssueLike {
  code: string;
  path: (string | number | symbol)[];
  expected?: string;
  values?: unknown[];
  keys?: string[];
  minimum?: number | bigint;
  format?: string;
  pattern?: string;
  message?: string;
  errors?: ZodIssueLike[][];
}

/** `rules[3].verdict: expected one of "allow", "ask", "deny", "off", got "block"` (STYLE.md #9). */
function describeIssue(i: ZodIssueLike, data: unknown): string {
  const path = i.path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
  let got: unknown = data;
  for (const k of i.path) got = got !== null && typeof got === 'object' ? (got as Record<string | number, unknown>)[k as string] : undefined;
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60) ?? String(got);
  const where = path || '(top level)';
  switch (i.code) {
    case 'unrecognized_keys':
      return `${where}: unknown key${(i.keys?.length ?? 0) > 1 ? 's' : ''} ${(i.keys ?? []).map((k) => `"${k}"`).join(', ')} (see .fwguardrc.example for the keys)`;
    case 'invalid_value':
      return `${where}: expected one of ${(i.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${shown}`;
    case 'invalid_type':
      return `${where}: expected ${i.expected ?? 'another type'}, got ${shown}`;
    case 'invalid_union': {
      // Report the branch that got furthest: for a verdict that is the enum of allowed values.
      const inner = (i.errors ?? []).flat().filter((e) => e.code === 'invalid_value' && e.path.length === 0);
      if (inner.length) return describeIssue({ code: 'invalid_value', path: i.path, values: inner.flatMap((e) => e.values ?? []) }, data);
      return `${where}: not a valid value, got ${shown}`;
    }
    case 'too_small':
      return `${where}: must not be empty`;
    case 'invalid_format':
      return `${where}: ${shown} is not a valid ${i.format === 'regex' ? 'id' : i.format ?? 'value'}${i.message && i.message !== 'Invalid input' ? ` (${i.message})` : ''}`;
    default:
      return `${where}: ${i.message ?? 'invalid'}, got ${shown}`;
  }
}

export interface BuiltinPack {
  file: string;
  rules: Omit<Rule, 'source'>[];
}

/** Build the effective policy from built-in packs and config layers (lowest first). */
/** A config layer. `tighten`: an untrusted project config, which may only make the policy stricter. */
export interface Layer {
  file: string;
  config: FwguardConfig;
  tier: 'project' | 'user' | 'managed';
  /** Loosening entries are ignored (and reported in `notes`). */
  tighten?: boolean;
}

const RANK_OF: Record<string, number> = { off: -1, allow: 0, ask: 1, deny: 2 };

/**
 * Build the effective policy from built-in packs and config layers, lowest tier first:
 * built-in → project → user → managed. A project config the user has not trusted (`fwguard
 * trust`) only tightens: what would loosen the policy is skipped and said in `notes`. A rule a
 * managed policy sets to deny stays deny whatever a lower tier says (managed is applied last).
 */
export function buildPolicy(packs: BuiltinPack[], layers: Layer[] | { file: string; config: FwguardConfig }[], notes: string[] = []): PolicyConfig {
  const rules = new Map<string, Rule>();
  for (const p of packs) for (const r of p.rules) rules.set(r.id, { ...r, source: `builtin:${p.file}` });
  const policy: PolicyConfig = {
    preset: 'balanced',
    writeScope: [],
    protect: [...DEFAULT_PROTECT],
    secrets: [...DEFAULT_SECRETS],
    regenerable: [...DEFAULT_REGENERABLE],
    protectedBranches: [...DEFAULT_PROTECTED_BRANCHES],
    rules: [],
    ciAsk: 'deny',
    opaque: 'none',
    audit: { enabled: true },
    budgets: { ...DEFAULT_BUDGETS },
    loop: { sameRetries: 3, consecutive: 5 },
    sessionTtlMs: 7 * 86_400_000,
  };
  const FLOW_RULES = ['flow.exfiltration-line', 'flow.exfiltration-session'];
  for (const layer of layers) {
    const { file, config } = layer;
    const tighten = 'tighten' in layer && layer.tighten === true;
    // What an administrator's managed policy says, a person's approvals (overrides, session) do not lift.
    const locked = 'tier' in layer && layer.tier === 'managed' ? { locked: true } : {};
    const skip = (what: string) => notes.push(`${file} is not trusted, so "${what}" (which would loosen the policy) is ignored; run \`fwguard trust\` in that project if you wrote it.`);
    if (config.preset) {
      if (tighten && config.preset === 'balanced' && policy.preset === 'strict') skip('preset: balanced');
      else policy.preset = config.preset;
    }
    if (config.scope?.write?.length) {
      if (tighten) skip('scope.write');
      else policy.writeScope.push(...config.scope.write);
    }
    if (config.protect) policy.protect.push(...config.protect.filter((p) => !(tighten && p.startsWith('!'))));
    if (config.secrets) policy.secrets.push(...config.secrets.filter((p) => !(tighten && p.startsWith('!'))));
    if (config.regenerable?.length) {
      if (tighten) skip('regenerable');
      else policy.regenerable.push(...config.regenerable);
    }
    if (config.branches?.protected) {
      if (tighten) policy.protectedBranches = [...new Set([...policy.protectedBranches, ...config.branches.protected])];
      else policy.protectedBranches = [...config.branches.protected];
    }
    if (config.ci?.ask) {
      if (tighten && RANK_OF[config.ci.ask]! < RANK_OF[policy.ciAsk]!) skip(`ci.ask: ${config.ci.ask}`);
      else policy.ciAsk = config.ci.ask;
    }
    if (config.agents?.opaque) {
      if (tighten && config.agents.opaque === 'allow') skip('agents.opaque: allow');
      else policy.opaque = config.agents.opaque;
    }
    for (const [type, b] of Object.entries(config.budgets ?? {})) {
      const cur = policy.budgets[type];
      if (b === 'off') {
        if (tighten) skip(`budgets.${type}: off`);
        else delete policy.budgets[type];
        continue;
      }
      const next = { max: b.max, window: b.window, windowMs: parseDuration(b.window, file, `budgets.${type}.window`) };
      if (tighten && cur && next.max / next.windowMs > cur.max / cur.windowMs) skip(`budgets.${type}`);
      else policy.budgets[type] = next;
    }
    if (config.loop?.sameRetries !== undefined) {
      if (tighten && config.loop.sameRetries > policy.loop.sameRetries) skip('loop.sameRetries');
      else policy.loop.sameRetries = config.loop.sameRetries;
    }
    if (config.loop?.consecutive !== undefined) {
      if (tighten && config.loop.consecutive > policy.loop.consecutive) skip('loop.consecutive');
      else policy.loop.consecutive = config.loop.consecutive;
    }
    if (config.audit?.path) {
      if (tighten) skip('audit.path');
      else {
        policy.audit.path = config.audit.path;
        policy.protect.push(config.audit.path, config.audit.path + '.lock'); // the agent must not edit, truncate or stall its own trace
      }
    }
    if (config.session?.ttl) policy.sessionTtlMs = parseDuration(config.session.ttl, file, 'session.ttl');
    if (config.flow) {
      // flow: maps onto the flow.* rules (their sinks and verdicts), so `fwguard rules` shows it.
      for (const id of FLOW_RULES) {
        const r = rules.get(id);
        if (!r) continue;
        const sinks = config.flow.sinks;
        const next: Rule = { ...r, source: `${r.source} (flow from ${file})` };
        if (sinks) next.when = { ...r.when, action: tighten ? [...new Set([...([] as string[]).concat(r.when.action), ...sinks])] : sinks };
        if (config.flow.verdict) {
          if (tighten && RANK_OF[config.flow.verdict]! < RANK_OF[r.verdict]!) skip('flow.verdict');
          else next.verdict = config.flow.verdict;
        }
        if (config.flow.ci) {
          if (tighten && RANK_OF[config.flow.ci]! < RANK_OF[r.ci ?? 'deny']!) skip('flow.ci');
          else next.ci = config.flow.ci;
        }
        rules.set(id, next);
      }
    }
    if (config.audit?.enabled !== undefined) {
      if (tighten && !config.audit.enabled) skip('audit.enabled: false');
      else policy.audit.enabled = config.audit.enabled;
    }
    for (const r of config.rules ?? []) {
      const existing = rules.get(r.id);
      if (r.when) {
        if (!r.message) throw new ConfigError(file, `rules: rule ${r.id} needs a message (one sentence telling the agent what to do instead)`);
        if (tighten && existing && RANK_OF[r.verdict]! < RANK_OF[existing.verdict]!) {
          skip(`rules: ${r.id} (replacing a built-in rule with a looser one)`);
          continue;
        }
        if (r.overrides && r.verdict !== 'allow') throw new ConfigError(file, `rules: rule ${r.id} has "overrides", which only an allow rule may have (it lifts the ask rules it names)`);
        if (tighten && r.overrides) {
          skip(`rules: ${r.id} (overrides ${r.overrides.join(', ')})`);
          continue;
        }
        rules.set(r.id, { id: r.id, when: r.when as Rule['when'], verdict: r.verdict, message: r.message, ...(r.ci ? { ci: r.ci } : {}), ...(r.untilBackedUp ? { untilBackedUp: true } : {}), ...(r.dryRunFirst ? { dryRunFirst: true } : {}), ...(r.overrides ? { overrides: r.overrides } : {}), ...(r.preset ? { preset: r.preset } : {}), ...(r.examples ? { examples: r.examples } : {}), ...locked, source: file });
      } else if (existing) {
        if (tighten && RANK_OF[r.verdict]! < RANK_OF[existing.verdict]!) {
          skip(`rules: ${r.id}: ${r.verdict}`);
          continue;
        }
        if (r.overrides) throw new ConfigError(file, `rules: ${r.id}: "overrides" needs a "when" (the actions the allow rule covers)`);
        rules.set(r.id, { ...existing, verdict: r.verdict, ...(r.message ? { message: r.message } : {}), ...(r.dryRunFirst !== undefined ? { dryRunFirst: r.dryRunFirst } : {}), ...locked, source: `${existing.source} (verdict from ${file})` });
      } else {
        throw new ConfigError(file, `rules: ${r.id} is not a built-in rule id and has no "when" (run \`fwguard rules\` for the ids)`);
      }
    }
  }
  policy.rules = [...rules.values()];
  return policy;
}
