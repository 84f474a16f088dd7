// `fwguard rules` and `fwguard test`: list the effective rules, and check every rule's examples
// (and the config's own `tests:`) against a real sandbox project.
import { rmSync } from 'node:fs';
import type { ExampleResult, RuleInfo } from '../api.js';
import { evaluateProposalImpl, loadPolicy } from '../engine.js';
import { nodeFacts } from './facts-node.js';
import { ConfigError } from './config.js';
import { createSandbox } from './sandbox.js';

export function listRules(cwd: string, env: Record<string, string | undefined> = process.env): { rules: RuleInfo[]; configFiles: string[]; configError?: string } {
  try {
    const home = env.HOME ?? '/';
    const loaded = loadPolicy(cwd, home, env, nodeFacts());
    return {
      rules: loaded.policy.rules.map((r) => ({ id: r.id, verdict: r.verdict, source: r.source, message: r.message, when: r.when })),
      configFiles: loaded.configFiles,
    };
  } catch (e) {
    if (e instanceof ConfigError) return { rules: [], configFiles: [e.file], configError: e.message };
    throw e;
  }
}

export function runExamples(cwd: string, env: Record<string, string | undefined> = process.env): { results: ExampleResult[]; configError?: string } {
  const home = env.HOME ?? '/';
  let loaded;
  try {
    loaded = loadPolicy(cwd, home, env, nodeFacts());
  } catch (e) {
    if (e instanceof ConfigError) return { results: [], configError: e.message };
    throw e;
  }
  const box = createSandbox();
  const results: ExampleResult[] = [];
  try {
    const sandboxEnv = { HOME: box.home, PATH: env.PATH, XDG_CONFIG_HOME: box.home + '/.config-none' };
    for (const r of loaded.policy.rules) {
      if (r.verdict === 'off') continue;
      for (const [expected, list] of [['match', r.examples?.match ?? []], ['noMatch', r.examples?.noMatch ?? []]] as const) {
        for (const command of list) {
          const ev = evaluateProposalImpl({ kind: 'shell', command, cwd: box.project }, { home: box.home, env: sandboxEnv, policyOverride: loaded.policy });
          const fired = ev.decision.reasons.some((x) => x.rule === r.id);
          const ok = expected === 'match' ? fired : !fired;
          results.push({ rule: r.id, source: r.source, command, expected, ok, ...(ok ? {} : { detail: `got ${ev.decision.verdict} from [${ev.decision.reasons.map((x) => x.rule).join(', ') || 'no rule'}]` }) });
        }
      }
    }
    for (const layer of loaded.raw) {
      for (const t of layer.config.tests ?? []) {
        const ev = evaluateProposalImpl({ kind: 'shell', command: t.command, cwd: t.cwd ?? cwd }, { home, env });
        const ok = ev.decision.verdict === t.expect;
        results.push({ rule: `tests (${layer.file})`, source: layer.file, command: t.command, expected: 'match', ok, ...(ok ? {} : { detail: `expected ${t.expect}, got ${ev.decision.verdict} [${ev.decision.reasons.map((x) => x.rule).join(', ')}]` }) });
      }
    }
  } finally {
    rmSync(box.root, { recursive: true, force: true });
  }
  return { results };
}
