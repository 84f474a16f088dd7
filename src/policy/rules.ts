// Rules are data: `when` tests fields of an action's view (the action plus computed facts).
// Matching is structural; there are no regexes over command text here.
import type { Verdict } from '../types.js';
import { globMatch } from '../util/glob.js';

export interface Rule {
  id: string;
  when: Record<string, unknown> & { action: string | string[] };
  verdict: Verdict | 'off';
  /** The verdict in non-interactive runs (CI), when it differs (e.g. exfiltration: deny). */
  ci?: Verdict;
  /** The reason no longer holds once fwguard has backed up the paths (POLICY: overwrite rows). */
  untilBackedUp?: boolean;
  /** An ask from this rule opens the approval prompt with the dry run already run (issue 4 §4). */
  dryRunFirst?: boolean;
  /**
   * An allow rule that lifts these ask rules for the actions it matches (every path of the
   * action must match): how "always allow" (the prompt's `a`) narrows an ask without turning
   * the whole rule off. Never lifts a deny.
   */
  overrides?: string[];
  /** Set (or defined) by a managed policy: a person's approvals never lift it. */
  locked?: boolean;
  message: string;
  /** Only active in this preset (e.g. 'strict'). */
  preset?: string;
  examples?: { match?: string[]; noMatch?: string[] };
  /** Where it was defined: `builtin:rules/git.yaml` or a config file path. */
  source: string;
}

/**
 * Does `actual` satisfy `cond`?
 *  - scalar: equality (an array actual: any element equal)
 *  - array: one of (an array actual: any element in the list)
 *  - { not: c }: negation; { glob: p }: string glob (`*` any run, `?` one char; `dir/**` also matches `dir`)
 *  - object: every key matches the same-named field (an array actual: any element matches all)
 */
export function matches(actual: unknown, cond: unknown): boolean {
  if (cond !== null && typeof cond === 'object' && !Array.isArray(cond)) {
    const c = cond as Record<string, unknown>;
    if ('not' in c && Object.keys(c).length === 1) return !matches(actual, c.not);
    if ('glob' in c && Object.keys(c).length === 1) {
      const g = String(c.glob);
      const one = (s: string) => globMatch(g, s) || (g.endsWith('/**') && s === g.slice(0, -3));
      return Array.isArray(actual) ? actual.some((a) => one(String(a))) : one(String(actual ?? ''));
    }
    if (Array.isArray(actual)) return actual.some((el) => matches(el, cond));
    if (actual === null || typeof actual !== 'object') return false;
    const obj = actual as Record<string, unknown>;
    for (const [k, v] of Object.entries(c)) if (!matches(obj[k], v)) return false;
    return true;
  }
  if (Array.isArray(cond)) {
    if (Array.isArray(actual)) return actual.some((a) => cond.includes(a));
    return cond.includes(actual);
  }
  if (Array.isArray(actual)) return actual.includes(cond);
  return actual === cond;
}

export function ruleMatches(rule: Rule, view: Record<string, unknown>): boolean {
  const { action, ...rest } = rule.when;
  const types = Array.isArray(action) ? action : [action];
  if (!types.includes(view.type as string)) return false;
  for (const [k, v] of Object.entries(rest)) if (!matches(view[k], v)) return false;
  return true;
}


/** Fill `{field}` placeholders of a rule message from the view. */
export function renderMessage(template: string, view: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = view[key];
    if (v === undefined || v === null) return key === 'host' ? '' : whole;
    if (key === 'host') return ` to ${String(v)}`;
    if (Array.isArray(v)) return v.join(', ');
    return String(v);
  });
}
