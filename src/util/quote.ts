// Quoting words back into POSIX shell text (never parsing: that is src/shell's job). Import-free,
// so the hook bundle can use it; commands that may load more use shell-quote's quote().

/** A word in single quotes, `'` written as `'\''`. */
export function quoteAlways(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A word as a person would type it: bare when it holds only safe characters, else single-quoted. */
export function quoteWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : quoteAlways(w);
}
