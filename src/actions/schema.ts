// The action catalog as schemas: one zod schema per action type, with its reversibility class.
// Readers are tested against these (every action a reader returns must parse, unknown keys
// rejected), `fwguard explain --json` output follows them, and rules name these fields.
// Not on the hook path: the hook trusts its own readers; tests hold them to this contract.
import * as z from 'zod/mini';
import type { ActionType, Reversibility } from '../types.js';

const base = { cmd: z.number(), program: z.string() };
const pathRef = z.strictObject({ raw: z.string(), abs: z.nullable(z.string()), glob: z.boolean() });
const paths = z.array(pathRef);
const opt = <T extends z.ZodMiniType>(t: T) => z.optional(t);
const a = <T extends string, S extends Record<string, z.ZodMiniType>>(type: T, shape: S) => z.strictObject({ type: z.literal(type), ...base, ...shape });

export const ACTION_SCHEMAS = {
  'file.read': a('file.read', { paths }),
  'file.write': a('file.write', { paths, append: opt(z.boolean()), overwrite: opt(z.boolean()), redirect: opt(z.boolean()), inline: opt(z.boolean()) }),
  'file.delete': a('file.delete', { paths, recursive: z.boolean(), move: opt(z.boolean()), irreversible: opt(z.boolean()) }),
  'file.chmod': a('file.chmod', { paths, recursive: z.boolean(), mode: opt(z.string()), owner: opt(z.boolean()) }),
  'git.push': a('git.push', { remote: opt(z.string()), branches: z.array(z.string()), force: z.boolean(), mirror: z.boolean(), delete: z.boolean(), noVerify: z.boolean(), all: opt(z.boolean()), tags: opt(z.boolean()), dir: opt(z.string()) }),
  'git.discard': a('git.discard', { subcommand: z.string(), detail: opt(z.string()), dir: opt(z.string()) }),
  'git.rewrite': a('git.rewrite', { subcommand: z.string(), pushed: opt(z.boolean()), dir: opt(z.string()) }),
  'git.config': a('git.config', { key: z.string(), value: opt(z.string()), runsCode: z.boolean() }),
  'git.local': a('git.local', { subcommand: z.string(), noVerify: opt(z.boolean()) }),
  'git.read': a('git.read', { subcommand: z.string() }),
  'checks.skip': a('checks.skip', { how: z.string() }),
  'package.install': a('package.install', { manager: z.string(), global: z.boolean() }),
  'package.add': a('package.add', { manager: z.string(), packages: z.array(z.string()), global: z.boolean(), dev: opt(z.boolean()) }),
  'code.remote': a('code.remote', { source: z.string(), packages: opt(z.array(z.string())) }),
  deploy: a('deploy', { tool: z.string(), subcommand: z.string() }),
  'infra.read': a('infra.read', { tool: z.string(), subcommand: z.string() }),
  'net.fetch': a('net.fetch', { host: opt(z.string()), url: opt(z.string()) }),
  'net.send': a('net.send', { host: opt(z.string()), how: z.string() }),
  'db.mutate': a('db.mutate', { client: z.string(), statement: z.string() }),
  'priv.escalate': a('priv.escalate', { how: z.string() }),
  'proc.signal': a('proc.signal', { how: z.string(), target: opt(z.string()) }),
  'system.destroy': a('system.destroy', { how: z.string() }),
  'code.dynamic': a('code.dynamic', { how: z.string() }),
  'code.inline': a('code.inline', { language: z.string(), code: z.string(), effects: z.array(z.enum(['delete', 'write', 'process', 'network', 'read', 'dynamic'])) }),
  'guard.disable': a('guard.disable', { how: z.string() }),
  exec: a('exec', { known: z.boolean(), script: opt(z.boolean()) }),
  tool: a('tool', { name: z.string(), paths }),
  'parse.unknown': a('parse.unknown', { issue: z.strictObject({ message: z.string(), pos: opt(z.number()), kind: z.enum(['syntax', 'unsupported', 'limit', 'dynamic']) }) }),
} satisfies Record<ActionType, z.ZodMiniType>;

/**
 * Reversibility class of each action type before facts are known. `depends` types are settled per
 * action by the policy stage (evaluate.ts): a delete of a tracked, unmodified file is recoverable
 * (git restores it), of a regenerable dir reversible, of untracked work irreversible.
 */
export const REVERSIBILITY: Record<ActionType, Reversibility | 'depends'> = {
  'file.read': 'reversible',
  'file.write': 'depends',
  'file.delete': 'depends',
  'file.chmod': 'recoverable',
  'git.push': 'depends',
  'git.discard': 'irreversible',
  'git.rewrite': 'irreversible',
  'git.config': 'recoverable',
  'git.local': 'recoverable',
  'git.read': 'reversible',
  'checks.skip': 'recoverable',
  'package.install': 'recoverable',
  'package.add': 'recoverable',
  'code.remote': 'irreversible',
  deploy: 'irreversible',
  'infra.read': 'reversible',
  'net.fetch': 'reversible',
  'net.send': 'irreversible',
  'db.mutate': 'irreversible',
  'priv.escalate': 'depends',
  'proc.signal': 'recoverable',
  'system.destroy': 'irreversible',
  'code.dynamic': 'depends',
  'code.inline': 'depends',
  'guard.disable': 'irreversible',
  exec: 'depends',
  tool: 'depends',
  'parse.unknown': 'depends',
};

/** Parse an action against its schema; returns the error text, or null when it conforms. */
export function checkAction(action: unknown): string | null {
  const t = (action as { type?: unknown } | null)?.type;
  const schema = typeof t === 'string' ? (ACTION_SCHEMAS as Record<string, z.ZodMiniType>)[t] : undefined;
  if (!schema) return `unknown action type ${JSON.stringify(t)}`;
  const r = z.safeParse(schema, action);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.') || '(action)'}: ${i.code}${'keys' in i ? ' ' + JSON.stringify((i as { keys: string[] }).keys) : ''}`).join('; ');
}
