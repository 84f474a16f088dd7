// The one module that imports the bash parser, so it can be swapped.
// unbash never throws: it returns a best-effort tree plus `errors` (nested scripts carry their own).
import { parse } from 'unbash';
import type { ParsedScript } from 'unbash';

export function parseScript(source: string): ParsedScript {
  return parse(source);
}
