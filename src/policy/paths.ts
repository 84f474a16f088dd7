// Path classes from POLICY.md: protected paths, secret files, regenerable dirs, write scope.
// Patterns are globs over absolute, normalised paths; `~/` means the home directory; a pattern
// without a leading `/` or `~` matches at any depth. `!pattern` excludes.
import { Minimatch } from 'minimatch';

export const DEFAULT_PROTECT = [
  '/', '/etc', '/etc/**', '/usr', '/usr/**', '/bin', '/bin/**', '/sbin', '/sbin/**', '/lib*', '/lib*/**', '/boot', '/boot/**',
  '/sys', '/sys/**', '/proc', '/proc/**', '/dev', '/dev/**', '!/dev/null', '!/dev/stdout', '!/dev/stderr', '!/dev/tty', '!/dev/fd/**',
  '/var', '/var/**', '!/var/tmp', '!/var/tmp/**',
  '~', '~/.ssh', '~/.ssh/**', '~/.aws', '~/.aws/**', '~/.gnupg', '~/.gnupg/**', '~/.kube', '~/.kube/**', '~/.config/gcloud', '~/.config/gcloud/**',
  '~/.bashrc', '~/.zshrc', '~/.profile', '~/.bash_profile', '~/.bash_login', '~/.zprofile', '~/.zshenv', '~/.config/fish/config.fish',
  '.fwguardrc', '.fwguardrc.*', 'fwguard.config.*', '~/.config/fwguard', '~/.config/fwguard/**',
  '.git', '.git/**',
  '.claude/settings*.json', '~/.claude/settings*.json', '.gemini/settings.json', '~/.gemini/settings.json', '.cursor/hooks.json', '~/.cursor/hooks.json',
  '.github/hooks', '.github/hooks/**', '~/.copilot', '~/.copilot/**', '.codex', '.codex/**', '~/.codex', '~/.codex/**',
  '.opencode/plugins', '.opencode/plugins/**', '~/.config/opencode', '~/.config/opencode/**',
  '.opencode/plugin', '.opencode/plugin/**', 'opencode.json', 'opencode.jsonc', '.github/copilot/settings.json', '.github/copilot/settings.local.json',
];

export const DEFAULT_SECRETS = [
  '.env', '.env.*', '!.env.example', '!.env.sample', '!.env.template', '*.pem', '*.key', 'id_rsa*', 'id_ed25519*', 'id_ecdsa*', 'id_dsa*',
  '~/.ssh/**', '~/.aws/credentials', '~/.netrc', '~/.npmrc', '~/.pypirc', '~/.docker/config.json', '~/.kube/config', '~/.git-credentials',
  '*.p12', '*.pfx', '.pgpass', '.envrc', '~/.config/gh/hosts.yml', '~/.config/gcloud/**', '~/.azure/**', '~/.cargo/credentials*',
  '~/.gnupg/**', '~/.terraform.d/credentials*', '~/.vault-token',
];

export const DEFAULT_REGENERABLE = ['node_modules', 'dist', 'build', 'out', '.next', '.nuxt', 'target', 'coverage', '__pycache__', '.pytest_cache', '.cache', '.turbo', '.parcel-cache'];

export const DEFAULT_PROTECTED_BRANCHES = ['main', 'master', 'trunk', 'production', 'prod', 'release/*'];

interface Compiled {
  include: RegExp[];
  exclude: RegExp[];
}

const cache = new Map<string, Compiled>();
const byArray = new WeakMap<readonly string[], Compiled>();

/**
 * Paths under the home directory are matched as `/~HOME~/…`, so compiled patterns do not depend
 * on the user's home and stay valid in the hook's startup snapshot (compiling them is a large
 * part of a cold decision).
 */
const HOME_TOKEN = '/~HOME~';

/** Compile a pattern list (`~` means the home directory, whichever it is at match time). */
export function compilePatterns(patterns: readonly string[]): Compiled {
  const same = byArray.get(patterns);
  if (same) return same;
  const key = patterns.join('\0');
  let c = cache.get(key);
  if (c) {
    byArray.set(patterns, c);
    return c;
  }
  c = { include: [], exclude: [] };
  for (const raw of patterns) {
    const neg = raw.startsWith('!');
    let p = neg ? raw.slice(1) : raw;
    if (p === '~') p = HOME_TOKEN;
    else if (p.startsWith('~/')) p = HOME_TOKEN + p.slice(1);
    else if (!p.startsWith('/')) p = '**/' + p;
    // One RegExp per pattern (minimatch's own translation): testing it is far cheaper than
    // Minimatch#match, which splits the path on every call.
    const re = new Minimatch(p, { dot: true, nocomment: true, nonegate: true }).makeRe();
    if (re) (neg ? c.exclude : c.include).push(re);
  }
  cache.set(key, c);
  byArray.set(patterns, c);
  return c;
}

export function matchAny(c: Compiled, abs: string, home: string): boolean {
  const p = home !== '/' && (abs === home || abs.startsWith(home + '/')) ? HOME_TOKEN + abs.slice(home.length) : abs;
  if (!c.include.some((re) => re.test(p))) return false;
  return !c.exclude.some((re) => re.test(p));
}

export function isUnder(abs: string, dir: string): boolean {
  return abs === dir || abs.startsWith(dir === '/' ? '/' : dir + '/');
}
