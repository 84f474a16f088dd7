// Every regular expression on the decision path, fed its worst case (issue 6 §5). The hand-written
// cases in cases.ts attack the patterns known to be risky through the functions that run them;
// this test makes sure no pattern is missed, including ones added later: it finds every regex
// literal in the decision-path sources with the TypeScript parser, and runs each on generic hostile
// strings built from its own text (each literal word and character of the pattern repeated, alone,
// with blanks, or after one word followed by a long run of one filler: the shapes that make a
// backtracking engine go quadratic or worse).
//
// A pattern slower than a few milliseconds on an attack (20 characters to 16 KiB, see STEPS) is
// superlinear (a linear one takes well under a millisecond on 16 KiB). It must then be listed in BOUNDED below with why it cannot see an input that
// large, and the name of the hostile case (cases.ts) that attacks it through the real entry point.
// A dynamic `new RegExp(…)` cannot be audited here: it fails the test unless listed the same way.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HOSTILE } from './cases.js';

const root = new URL('../../', import.meta.url).pathname;
/** What a hook call runs (commands/ and src/install are not on the decision path). */
const DECISION_PATH = ['src/shell', 'src/actions', 'src/policy', 'src/audit', 'src/util', 'src/core', 'src/agents', 'src/hook', 'src/engine.ts'];
/**
 * Attack sizes, each with the time over which a pattern counts as superlinear. Small sizes first:
 * an exponential pattern is caught at 20 characters instead of hanging the suite at 16 KiB.
 */
const STEPS: { size: number; slowMs: number }[] = [
  { size: 20, slowMs: 2 },
  { size: 200, slowMs: 5 },
  { size: 2048, slowMs: 10 },
  { size: 16 * 1024, slowMs: 15 },
  // Lines reach 256 KiB (MAX_COMMAND_BYTES): a mild quadratic passes at 16 KiB and not here.
  { size: 128 * 1024, slowMs: 40 },
];

/** Superlinear patterns whose input is bounded before they run. Keyed by the start of the pattern's source. */
const REDACT = 'trace.ts redaction: redactString cuts every string to MAX_REDACT (8 KiB) before the patterns run';
const BOUNDED: { source: string; why: string; hostileCase: string }[] = [
  { source: '(\\bmysql(?:dump|admin', why: REDACT, hostileCase: 'redact: mysql -p, "mysql "×16,000' },
  { source: '(\\b[a-z][a-z0-9+.-]*:\\/\\/', why: REDACT, hostileCase: 'redact: URL userinfo, ://a.a.a.… (100 KB)' },
  { source: '((?:x-api-key|api-key', why: REDACT, hostileCase: 'redact: cookie header + 900 KB spaces' },
  { source: '(\\b(?:[A-Za-z0-9_]*_KEY', why: REDACT, hostileCase: 'redact: _KEY=, "_KEY"×225,000' },
  { source: '(\\bbearer\\s+)', why: REDACT, hostileCase: 'redact: bearer + 900 KB spaces' },
  { source: '((?:proxy-)?authorization', why: REDACT, hostileCase: 'redact: authorization + 900 KB spaces' },
  { source: '(--(?:password|passwd', why: REDACT, hostileCase: 'redact: --password + 900 KB spaces' },
  {
    source: '\\b([A-Za-z_][\\w-]{0,63})\\s*\\(',
    why: 'inline.ts CALL: linear but up to 64 steps a character on `-a-a-a…`; inline code over MAX_INLINE (32 KiB) is never read',
    hostileCase: 'inlineTargets: -a-a-a… (32 KiB), the call-name pattern',
  },
  {
    source: '\\s*\\n\\s*',
    why: 'audit/review.ts summarize (one-line form of a command for `fwguard log`): runs in the log viewer, never in a hook call',
    hostileCase: '',
  },
];

function sources(): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  };
  for (const d of DECISION_PATH) walk(join(root, d));
  return out;
}

interface Found {
  where: string;
  re: RegExp;
}

function findRegexes(): { literals: Found[]; dynamic: string[] } {
  const literals: Found[] = [];
  const dynamic: string[] = [];
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = (n: ts.Node) => `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const visit = (n: ts.Node): void => {
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const lit = n.getText(sf);
        const slash = lit.lastIndexOf('/');
        literals.push({ where: where(n), re: new RegExp(lit.slice(1, slash), lit.slice(slash + 1)) });
      } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') dynamic.push(where(n));
      else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') dynamic.push(where(n));
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}

/** Runs of literal text in a pattern (`open\\(` → `open(`), character classes left out. */
function literalRuns(src: string): string[] {
  const out: string[] = [];
  let cur = '';
  const cut = () => {
    if (cur.length >= 2) out.push(cur);
    cur = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (/[dwsbDWSBnrtux0-9pPk]/.test(n)) cut();
      else cur += n;
    } else if (c === '[') {
      cut();
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
    } else if ('^$|?*+(){}.'.includes(c)) cut();
    else cur += c;
  }
  cut();
  return out;
}

/** Hostile strings of about `size` characters built from the pattern's own text. */
function attacks(re: RegExp, size: number): string[] {
  const src = re.source;
  const words = src.match(/[A-Za-z0-9_]{2,}/g) ?? [];
  const escaped = (src.match(/\\[^dwsbDWSBnrtux0-9]/g) ?? []).map((m) => m[1]!);
  const literal = src.replace(/\\./g, '').match(/[^A-Za-z0-9\s^$|?*+()[\]{}\\]/g) ?? [];
  const atoms = [...new Set([...literalRuns(src).slice(0, 24), ...words.slice(0, 24), ...escaped, ...literal, ' ', '\t', '\n', 'a', '0', '-', '.', '/', '=', ',', '"', "'", '(', ')', '{', '$', 'a-', 'a.', 'a '])];
  const rep = (u: string) => u.repeat(Math.max(1, Math.floor(size / u.length)));
  const out: string[] = [];
  for (const a of atoms) out.push(rep(a), rep(a + ' '));
  for (const w of [...literalRuns(src).slice(0, 12), ...words.slice(0, 12)]) for (const f of [' ', 'a', '.', '-', '0', '=', '\n', '"']) out.push(w + rep(f));
  return out;
}

function run(re: RegExp, s: string, slowMs: number): number {
  let best = Infinity;
  for (let k = 0; k < 2; k++) {
    re.lastIndex = 0;
    const t = performance.now();
    if (re.global) s.replace(re, '');
    else re.test(s);
    best = Math.min(best, performance.now() - t);
    if (best <= slowMs) break; // only a slow run is worth a second look (noise on a busy machine)
  }
  return best;
}

/** The first attack (smallest size first) on which the pattern is slow, or null. */
function slowOn(re: RegExp): { s: string; ms: number } | null {
  for (const { size, slowMs } of STEPS) {
    for (const s of attacks(re, size)) {
      const ms = run(re, s, slowMs);
      if (ms > slowMs) return { s, ms };
    }
  }
  return null;
}

describe('every regular expression on the decision path, on its worst case', () => {
  const { literals, dynamic } = findRegexes();

  it('finds the decision path\'s regex literals (the audit is not vacuous)', () => {
    expect(literals.length).toBeGreaterThan(150);
    expect(literals.some((f) => f.where.startsWith('src/actions/inline.ts'))).toBe(true);
  });

  it('has no dynamic RegExp (it cannot be audited here)', () => {
    expect(dynamic, 'a `new RegExp(…)` on the decision path: bound its input and list it, or write it as a literal').toEqual([]);
  });

  it('is linear on hostile strings, or listed in BOUNDED with a hostile case through its entry point', () => {
    const slow: string[] = [];
    const usedBounded = new Set<string>();
    for (const { where, re } of literals) {
      const hit = slowOn(re);
      if (!hit) continue;
      const b = BOUNDED.find((x) => re.source.startsWith(x.source));
      if (b) usedBounded.add(b.source);
      else slow.push(`${where} /${re.source.slice(0, 100)}/${re.flags}: ${hit.ms.toFixed(0)} ms on ${JSON.stringify(hit.s.slice(0, 24))}… (${hit.s.length} chars)`);
    }
    expect(slow, 'superlinear patterns: make them linear, or bound their input and list them in BOUNDED').toEqual([]);
    // Each listed pattern names a hostile case that exists (the real entry point is attacked too).
    const names = new Set(HOSTILE.map((c) => c.name));
    for (const b of BOUNDED) if (b.hostileCase) expect(names.has(b.hostileCase), `BOUNDED names a missing hostile case: ${b.hostileCase}`).toBe(true);
    console.log(`[regex audit] ${literals.length} regex literals on the decision path; ${usedBounded.size} superlinear ones bounded before they run: ${[...usedBounded].join('  ')}`);
  }, 300_000);

  it('can catch a superlinear pattern (the attack generator finds the classic shapes)', () => {
    // Exponential, then quadratic shapes (each once on the decision path: see cases.ts).
    for (const re of [/^(a+)+b/, /\s*\n\s*/g, /^\s*\[x\]/gm, /\b([A-Za-z_][\w-]*)\s*\(/g, /open\([^)]*,\s*'w'/]) {
      expect(slowOn(re), re.source).not.toBeNull();
    }
    // Look-alikes: their linear rewrites pass.
    for (const re of [/\n[ \t]*/g, /^[ \t]*\[x\]/gm, /(?<![\w-])([A-Za-z_][\w-]*)\s*\(/g, /open\([^()]*,\s*'w'/]) {
      expect(slowOn(re), re.source).toBeNull();
    }
  });
});
