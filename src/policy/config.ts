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
});

export type FwguardConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Validate raw config data; throws ConfigError naming each bad key. */
export function validateConfig(data: unknown, file: string): FwguardConfig {
  const r = configSchema.safeParse(data ?? {});
  if (r.success) return r.data;
  const first = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
  throw new ConfigError(file, first);
}

export interface BuiltinPack {
  file: string;
  rules: Omit<Rule, 'source'>[];
}

/** Build the effective policy from built-in packs and config layers (lowest first). */
export function buildPolicy(packs: BuiltinPack[], layers: { file: string; config: FwguardConfig }[]): PolicyConfig {
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
  };
  for (const { file, config } of layers) {
    if (config.preset) policy.preset = config.preset;
    if (config.scope?.write) policy.writeScope.push(...config.scope.write);
    if (config.protect) policy.protect.push(...config.protect);
    if (config.secrets) policy.secrets.push(...config.secrets);
    if (config.regenerable) policy.regenerable.push(...config.regenerable);
    if (config.branches?.protected) policy.protectedBranches = [...config.branches.protected];
    if (config.ci?.ask) policy.ciAsk = config.ci.ask;
    if (config.agents?.opaque) policy.opaque = config.agents.opaque;
    for (const r of config.rules ?? []) {
      const existing = rules.get(r.id);
      if (r.when) {
        if (!r.message) throw new ConfigError(file, `rules: rule ${r.id} needs a message (one sentence telling the agent what to do instead)`);
        rules.set(r.id, { id: r.id, when: r.when as Rule['when'], verdict: r.verdict, message: r.message, ...(r.preset ? { preset: r.preset } : {}), ...(r.examples ? { examples: r.examples } : {}), source: file });
      } else if (existing) {
        rules.set(r.id, { ...existing, verdict: r.verdict, ...(r.message ? { message: r.message } : {}), source: `${existing.source} (verdict from ${file})` });
      } else {
        throw new ConfigError(file, `rules: ${r.id} is not a built-in rule id and has no "when" (run \`fwguard rules\` for the ids)`);
      }
    }
  }
  policy.rules = [...rules.values()];
  return policy;
}
