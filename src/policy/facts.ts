// Facts the policy needs about the world (files, git), behind an interface so evaluation stays
// pure and tests can run against real temp repos through the Node implementation (facts-node.ts).

export type GitState = 'clean' | 'dirty' | 'untracked' | 'ignored' | 'none' | 'unknown';

export interface FileInfo {
  exists: boolean;
  dir: boolean;
}

export interface FactSource {
  /** Resolve symlinks of the deepest existing ancestor; the rest of the path is kept as written. */
  realpath(abs: string): string;
  stat(abs: string): FileInfo;
  /** Entries of a directory, or null when it cannot be read. Bounded by the caller. */
  readdir(abs: string): string[] | null;
  /** Top-level of the git work tree holding abs, or null (found without spawning git). */
  gitTop(abs: string): string | null;
  /** Git state of a path (for a directory: the worst state of anything below it). */
  gitState(top: string, abs: string, regenerable: (abs: string) => boolean): GitState;
  /** The checked-out branch of a work tree (from .git/HEAD), or null when detached/unknown. */
  currentBranch(top: string): string | null;
  /** Is the current HEAD commit already on a remote-tracking branch? undefined when unknown. */
  headPushed(top: string): boolean | undefined;
  /** Names of the remotes configured in the repo. */
  remotes(top: string): string[];
  /** Packages the project depends on (package.json deps/devDeps, requirements, …). */
  projectDependencies(root: string): Set<string>;
  /** Names of `.fwguardrc*` / `fwguard.config.*` files in dir. */
  configFilesIn(dir: string): string[];
}
