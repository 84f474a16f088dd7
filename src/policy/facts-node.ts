// The real FactSource: the file system and git. Git is spawned only when an action needs it
// (a delete or overwrite inside a work tree), never for reads or plain writes.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FactSource, FileInfo, GitState } from './facts.js';

const CONFIG_FILE = /^(\.fwguardrc(\.(json|ya?ml|js|cjs|mjs))?|fwguard\.config\.(json|ya?ml|js|cjs|mjs))$/;

export function nodeFacts(): FactSource {
  const statusCache = new Map<string, Map<string, string>>();

  const git = (top: string, args: string[]): string | null => {
    try {
      return execFileSync('git', ['-C', top, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000, maxBuffer: 32 * 1024 * 1024 });
    } catch {
      return null;
    }
  };

  return {
    realpath(abs) {
      let cur = abs;
      const rest: string[] = [];
      for (let guard = 0; guard < 4096; guard++) {
        try {
          // One realpath(3) call for the deepest existing ancestor (the JS fallback lstat()s
          // every component).
          const real = realpathSync.native(cur);
          return rest.length ? join(real, ...rest.reverse()) : real;
        } catch {
          if (cur === '/' || cur === '') return abs;
          rest.push(cur.slice(cur.lastIndexOf('/') + 1));
          cur = dirname(cur);
        }
      }
      return abs;
    },
    stat(abs): FileInfo {
      try {
        const s = statSync(abs);
        return { exists: true, dir: s.isDirectory() };
      } catch {
        return { exists: false, dir: false };
      }
    },
    readdir(abs) {
      try {
        return readdirSync(abs);
      } catch {
        return null;
      }
    },
    gitTop(abs) {
      let cur = abs;
      for (let guard = 0; guard < 256; guard++) {
        if (existsSync(join(cur, '.git'))) return cur;
        const up = dirname(cur);
        if (up === cur) return null;
        cur = up;
      }
      return null;
    },
    gitState(top, abs, regenerable): GitState {
      if (abs === top || abs.startsWith(top + '/')) {
        const rel = abs === top ? '.' : abs.slice(top.length + 1);
        let status = statusCache.get(top + '\0' + rel);
        if (!status) {
          const out = git(top, ['status', '--porcelain=v1', '-z', '--ignored=matching', '--untracked-files=all', '--', rel]);
          if (out === null) return 'unknown';
          status = new Map();
          const parts = out.split('\0');
          for (let i = 0; i < parts.length; i++) {
            const e = parts[i]!;
            if (e.length < 4) continue;
            const code = e.slice(0, 2);
            status.set(e.slice(3), code);
            if (code[0] === 'R' || code[0] === 'C') i++; // rename: the next entry is the source
          }
          statusCache.set(top + '\0' + rel, status);
        }
        let worst: GitState = 'none';
        const rank: Record<GitState, number> = { none: 0, clean: 1, ignored: 2, dirty: 3, untracked: 4, unknown: 5 };
        for (const [path, code] of status) {
          let s: GitState;
          if (code === '??') s = 'untracked';
          else if (code === '!!') {
            if (regenerable(join(top, path))) continue;
            s = 'ignored';
          } else s = 'dirty';
          if (rank[s] > rank[worst]) worst = s;
        }
        if (worst !== 'none') return worst;
        // Nothing untracked, modified or ignored below an existing path: what is there is tracked
        // and unmodified (an empty directory included), so git can restore it. One spawn, not two.
        return existsSync(abs) ? 'clean' : 'none';
      }
      return 'unknown';
    },
    currentBranch(top) {
      try {
        const head = readFileSync(gitDir(top) + '/HEAD', 'utf8').trim();
        return head.startsWith('ref: refs/heads/') ? head.slice('ref: refs/heads/'.length) : null;
      } catch {
        return null;
      }
    },
    headPushed(top) {
      const out = git(top, ['branch', '-r', '--contains', 'HEAD']);
      if (out === null) return undefined;
      return out.trim().length > 0;
    },
    remotes(top) {
      try {
        const cfg = readFileSync(gitDir(top) + '/config', 'utf8');
        // [ \t]*, not \s*: under /m, \s* ran over every following blank line from each line start (quadratic).
        return [...cfg.matchAll(/^[ \t]*\[remote "([^"]+)"\]/gm)].map((m) => m[1]!);
      } catch {
        return [];
      }
    },
    projectDependencies(root) {
      const deps = new Set<string>();
      try {
        const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
        for (const k of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
          for (const name of Object.keys(pkg[k] ?? {})) deps.add(name);
        }
      } catch {
        /* no package.json: no npm dependencies */
      }
      try {
        // Most projects have none: check first instead of paying for a thrown ENOENT.
        if (existsSync(join(root, 'requirements.txt'))) for (const line of readFileSync(join(root, 'requirements.txt'), 'utf8').split('\n')) {
          const m = /^\s*([A-Za-z0-9_.-]+)/.exec(line);
          if (m) deps.add(m[1]!.toLowerCase());
        }
      } catch {
        /* no requirements.txt */
      }
      return deps;
    },
    configFilesIn(dir) {
      try {
        return readdirSync(dir).filter((f) => CONFIG_FILE.test(f));
      } catch {
        return [];
      }
    },
  };
}

function gitDir(top: string): string {
  const dotgit = join(top, '.git');
  try {
    if (statSync(dotgit).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotgit, 'utf8'));
      if (m) return m[1]!.startsWith('/') ? m[1]! : join(top, m[1]!);
    }
  } catch {
    /* fall through */
  }
  return dotgit;
}
