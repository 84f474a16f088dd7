// Shell-style glob matching (`*`, `?`, `[…]`) for names and rule conditions.

/**
 * Match a shell glob (`*`, `?`, `[…]`) against a string (`*` spans any characters), in linear time with one
 * backtrack point (a RegExp with many `.*` backtracks exponentially on hostile names).
 */
export function globMatch(g: string, name: string): boolean {
  let gi = 0;
  let ni = 0;
  let starG = -1;
  let starN = 0;
  while (ni < name.length) {
    const c = g[gi];
    if (c === '*') {
      starG = gi++;
      starN = ni;
      continue;
    }
    if (c !== undefined && c !== '*') {
      const m = matchOne(g, gi, name[ni]!);
      if (m > 0) {
        gi += m;
        ni++;
        continue;
      }
    }
    if (starG === -1) return false;
    gi = starG + 1;
    ni = ++starN;
  }
  while (g[gi] === '*') gi++;
  return gi === g.length;
}

/** Length of the pattern token at gi if it matches ch (0 when it does not). */
function matchOne(g: string, gi: number, ch: string): number {
  const c = g[gi]!;
  if (c === '?') return 1;
  if (c === '[') {
    const close = g.indexOf(']', gi + 2);
    if (close === -1) return ch === '[' ? 1 : 0;
    let body = g.slice(gi + 1, close);
    const neg = body.startsWith('!') || body.startsWith('^');
    if (neg) body = body.slice(1);
    let hit = false;
    for (let k = 0; k < body.length; k++) {
      if (body[k + 1] === '-' && k + 2 < body.length) {
        if (ch >= body[k]! && ch <= body[k + 2]!) hit = true;
        k += 2;
      } else if (body[k] === ch) hit = true;
    }
    return hit !== neg ? close - gi + 1 : 0;
  }
  if (c === '\\' && gi + 1 < g.length) return g[gi + 1] === ch ? 2 : 0;
  return c === ch ? 1 : 0;
}
