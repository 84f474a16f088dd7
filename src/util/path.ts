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

/**
 * A device or pipe that stores nothing: writing to it (or reading it) touches no file.
 * /dev/fd/N and /proc/self/fd/N are the pipes of `<(…)`/`>(…)` and of the caller's descriptors.
 */
export function isSinkPath(p: string): boolean {
  return /^\/dev\/(null|zero|random|urandom|stdout|stderr|stdin|tty|fd\/\d+)$/.test(p) || /^\/proc\/self\/fd\/\d+$/.test(p);
}

/** Programs whose output is data from the network (for taint: `curl … | sh`, `curl -o f; bash f`). */
export const NETWORK_SOURCES: ReadonlySet<string> = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh', 'nc', 'ncat', 'netcat', 'socat', 'scp', 'rsync', 'ftp', 'sftp', 'lynx', 'links']);
