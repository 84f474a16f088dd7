// Path helpers shared by the shell stage and the readers (pure string work, no file system).

/** Normalise an absolute POSIX path: collapse `//`, `.` and `..` (never above `/`). */
export function normalizeAbs(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** The program name as the shell runs it: basename of argv[0] (`/usr/bin/rm` → `rm`). */
export function baseName(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash === -1 ? p : p.slice(slash + 1);
}
