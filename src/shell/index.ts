export { analyzeShell, stdinText, FIND_EACH, type AnalyzeOptions } from './walk.js';
export { decodeAnsiC } from './words.js';
export { SHELLS } from './wrappers.js';

import { analyzeShell as analyze } from './walk.js';

/**
 * The words of a line's first simple command, as bash splits them (`'/a b/node' x hook gemini || …`
 * → ['/a b/node', 'x', 'hook', 'gemini']). For installers and doctor reading a registered hook
 * command; a line bash would not parse falls back to splitting on blanks.
 */
export function firstCommandWords(line: string, home = ''): string[] {
  const a = analyze(line, { cwd: '/', home, maxCommands: 64 });
  if (a.issues.some((i) => i.kind === 'syntax')) return line.trim().split(/\s+/);
  let first: (typeof a.commands)[number] | undefined;
  for (const c of a.commands) if (c.via.length === 0 && (first === undefined || c.pos < first.pos)) first = c;
  return first?.argv ?? [];
}
