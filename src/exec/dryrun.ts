// Dry runs: what a command line would do, shown without doing it (issue 4 §4).
//   - computed here, never by running the command: rm (what would go, sizes, git status),
//     mv/cp and `>` redirects (what would be overwritten), Write/Edit tool calls (a diff);
//   - `sed -i`: sed runs WITHOUT -i, in --sandbox mode (no w/r/e commands), on one file at a
//     time, its output diffed against the file;
//   - programs with their own preview mode run ONLY that mode, from an argv built here: git push
//     --dry-run (hooks off), git clean -n, rsync -n, npm --dry-run --ignore-scripts, kubectl
//     --dry-run=server, terraform plan, helm --dry-run.
// INVARIANT: nothing here runs the original command, a shell, or a program with raised privileges;
// a line whose verdict is deny is never previewed.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { homedir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyzeShell } from '../shell/index.js';
import { unwrapOnce } from '../shell/wrappers.js';
import { classify } from '../actions/classify.js';
import { globMatch } from '../util/glob.js';
import type { Action, Decision, Proposal, ShellAnalysis, SimpleCommand } from '../types.js';
import { unifiedDiff } from './diff.js';
import { runArgv, type Ran } from './preview-run.js';
import { quoteWord } from '../util/quote.js';

export type GitStatus = 'tracked' | 'modified' | 'untracked' | 'ignored' | 'none' | 'unknown';

/** One path a preview is about (a file or directory that would be deleted or overwritten). */
export interface PathEntry {
  /** As shown: relative to the command's directory when below it, else absolute. */
  path: string;
  abs: string;
  kind: 'file' | 'dir' | 'link' | 'other' | 'missing';
  /** Bytes (a directory: every file below it). */
  bytes: number;
  /** A directory: files and subdirectories below it. */
  files?: number;
  dirs?: number;
  /** A file: its git status; a directory: how many of its files have each status. */
  git: GitStatus | Partial<Record<GitStatus, number>>;
  /** A directory: the first files below it, with size and git status. */
  sample?: { path: string; bytes: number; git: GitStatus }[];
  /** The walk stopped early (too many entries). */
  truncated?: boolean;
}

export interface DryRunItem {
  /** The simple command (or tool call) this is about. */
  command: string;
  kind: 'delete' | 'overwrite' | 'diff' | 'ran' | 'none';
  /** One line: what would happen. */
  title: string;
  entries?: PathEntry[];
  diff?: string;
  ran?: Ran;
  /** Why there is no preview, or a caveat about the one shown. */
  note?: string;
}

export interface DryRunResult {
  items: DryRunItem[];
  /** Printable, multi-line. */
  summary: string;
  /** Every part of the line that changes something had a preview. */
  complete: boolean;
}

export interface DryRunOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Per preview command. Default 60 s. */
  timeoutMs?: number;
  /** The decision for the line: a deny is never previewed. */
  decision?: Decision;
}

const WALK_LIMIT = 20_000;
const SAMPLE = 20;
const MAX_DIFF_FILE = 2 * 1024 * 1024;
/** Action types that change nothing (a command made only of these needs no preview). */
const READ_ONLY = new Set(['file.read', 'git.read', 'infra.read', 'net.fetch']);
const PRIVILEGED = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0']);

/** Preview a proposal (or an already-parsed shell line) in `cwd`. Never throws for a bad line. */
export async function dryRun(input: Proposal | ShellAnalysis, cwd: string, opts: DryRunOptions = {}): Promise<DryRunResult> {
  if (opts.decision?.verdict === 'deny') {
    return finish([{ command: 'commands' in input ? commandText(input) : (input.command ?? input.path ?? ''), kind: 'none', title: 'no preview: the line is denied, and fwguard never previews a denied line', note: 'denied' }]);
  }
  const env = opts.env ?? process.env;
  const home = opts.home ?? env.HOME ?? homedir();
  const ctx: Ctx = { env, home, timeoutMs: opts.timeoutMs ?? 60_000 };
  if ('commands' in input) return finish(await previewShell(input, ctx));
  const p = input;
  switch (p.kind) {
    case 'shell': {
      if (!p.command?.trim()) return finish([{ command: '', kind: 'none', title: 'no preview: the command is empty' }]);
      const t = performance.now();
      const analysis = analyzeShell(p.command, { cwd: p.cwd || cwd, home, env: { HOME: home }, now: () => performance.now(), deadline: t + 250 });
      if (analysis.issues.length) {
        const why = analysis.issues.map((i) => i.message).slice(0, 2).join('; ');
        return finish([{ command: p.command, kind: 'none', title: `no preview: fwguard could not read the whole line (${why})` }]);
      }
      return finish(await previewShell(analysis, ctx));
    }
    case 'file.write':
    case 'file.edit':
      return finish([previewFileTool(p, cwd)]);
    case 'file.read':
      return finish([{ command: `${p.tool ?? 'Read'} ${p.path ?? ''}`, kind: 'none', title: 'nothing to preview: a read changes nothing' }]);
    default:
      return finish([{ command: p.tool ?? p.kind, kind: 'none', title: `no safe preview exists for ${p.tool ?? p.kind}: fwguard cannot tell what it does without doing it` }]);
  }
}

interface Ctx {
  env: NodeJS.ProcessEnv;
  home: string;
  timeoutMs: number;
}

function commandText(a: ShellAnalysis): string {
  return a.commands.filter((c) => c.via.length === 0).map((c) => c.text).join('; ');
}

async function previewShell(analysis: ShellAnalysis, ctx: Ctx): Promise<DryRunItem[]> {
  const actions = classify(analysis, { home: ctx.home });
  const items: DryRunItem[] = [];
  for (let i = 0; i < analysis.commands.length; i++) {
    const c = analysis.commands[i]!;
    const mine = actions.filter((a) => a.cmd === i);
    const item = await previewCommand(c, mine, ctx);
    if (item) items.push(...item);
  }
  if (!items.length) items.push({ command: commandText(analysis), kind: 'none', title: 'nothing to preview: the line only reads' });
  return items;
}

function isWrapper(c: SimpleCommand): boolean {
  try {
    return unwrapOnce(c.argv, c.dyn, c.cwd) !== null;
  } catch {
    return false;
  }
}

async function previewCommand(c: SimpleCommand, actions: Action[], ctx: Ctx): Promise<DryRunItem[] | null> {
  const out: DryRunItem[] = [];
  const prog = basename(c.argv[0] ?? '');
  // Redirections that overwrite an existing file, whatever the program.
  if (c.cwd !== null) {
    for (const r of c.redirects) {
      if (!['>', '>|', '&>'].includes(r.op) || r.dynamic || r.target.startsWith('/dev/')) continue;
      const abs = resolve(c.cwd, r.target);
      const e = await entryOf(abs, c.cwd, false);
      if (e.kind !== 'missing') out.push({ command: c.text, kind: 'overwrite', title: `${r.op} would overwrite ${e.path} (${bytes(e.bytes)}, ${gitText(e.git)})`, entries: [e] });
    }
  }
  if (isWrapper(c) || prog === 'cd' || prog === '') return out.length ? out : null;
  // Redirections were covered above; known programs without effects need no preview.
  const needs = actions.some((a) => !READ_ONLY.has(a.type) && !(a.type === 'exec' && a.known && !a.script) && !(a.type === 'file.write' && a.redirect));
  const special = PREVIEWERS[prog];
  if (!special) {
    if (!needs) return out.length ? out : null;
    out.push({ command: c.text, kind: 'none', title: `no safe preview for ${prog}: fwguard cannot tell what it does without running it` });
    return out;
  }
  const why = refuse(c, special.runs);
  if (why) {
    out.push({ command: c.text, kind: 'none', title: `no preview for ${prog}: ${why}` });
    return out;
  }
  if (c.cwd === null) {
    out.push({ command: c.text, kind: 'none', title: `no preview for ${prog}: its working directory cannot be known (a cd to a variable)` });
    return out;
  }
  try {
    const items = await special.preview(c, ctx);
    out.push(...items);
  } catch (e) {
    out.push({ command: c.text, kind: 'none', title: `no preview for ${prog}: ${e instanceof Error ? e.message : String(e)}` });
  }
  return out;
}

/** Why this command gets no preview (`runs`: the preview runs a program), or null. */
function refuse(c: SimpleCommand, runs: boolean): string | null {
  if (c.remoteHost) return `it runs on ${c.remoteHost} (over ssh)`;
  if (runs && c.via.some((v) => PRIVILEGED.has(v.split(' ')[0]!))) return 'it runs with raised privileges, and fwguard never previews with them';
  if (c.via.some((v) => /xargs|find|\$\(|`/.test(v))) return 'its arguments come from another program at run time';
  if (c.dyn.some(Boolean)) return 'it holds values fwguard cannot know before it runs ($VAR, $(…))';
  return null;
}

interface Previewer {
  /** Runs a program (as opposed to computing the preview here). */
  runs: boolean;
  preview(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]>;
}

const PREVIEWERS: Record<string, Previewer> = {
  rm: { runs: false, preview: previewRm },
  mv: { runs: false, preview: (c) => previewCopy(c, 'mv') },
  cp: { runs: false, preview: (c) => previewCopy(c, 'cp') },
  sed: { runs: true, preview: previewSed },
  git: { runs: true, preview: previewGit },
  rsync: { runs: true, preview: previewRsync },
  npm: { runs: true, preview: previewNpm },
  kubectl: { runs: true, preview: previewKubectl },
  terraform: { runs: true, preview: previewTerraform },
  helm: { runs: true, preview: previewHelm },
  find: { runs: true, preview: previewFind },
};

// ---------------------------------------------------------------------------------------------
// rm

/** Split `-rf` clusters into letters; long options stay whole. Stops at `--`. */
function options(argv: string[], withValue: Set<string> = new Set()): { flags: string[]; operands: string[] } {
  const flags: string[] = [];
  const operands: string[] = [];
  let done = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (done || a === '-' || !a.startsWith('-')) operands.push(a);
    else if (a === '--') done = true;
    else if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0]!;
      flags.push('--' + name);
      if (withValue.has(name) && !a.includes('=')) i++;
    } else {
      for (let k = 1; k < a.length; k++) {
        flags.push('-' + a[k]);
        if (withValue.has(a[k]!)) {
          if (k === a.length - 1) i++;
          break;
        }
      }
    }
  }
  return { flags, operands };
}

/** Expand an operand's glob in its last segment, as bash would (no match: the word itself). */
function expand(word: string, isGlob: boolean, cwd: string): string[] {
  const abs = resolve(cwd, word);
  if (!isGlob || !/[*?[]/.test(basename(abs))) return [abs];
  const dir = dirname(abs);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [abs];
  }
  const pat = basename(abs);
  const hits = names.filter((n) => (pat.startsWith('.') || !n.startsWith('.')) && globMatch(pat, n)).sort();
  return hits.length ? hits.map((n) => join(dir, n)) : [abs];
}

async function previewRm(c: SimpleCommand): Promise<DryRunItem[]> {
  const cwd = c.cwd!;
  const { flags, operands } = options(c.argv);
  const recursive = flags.some((f) => f === '-r' || f === '-R' || f === '--recursive');
  const emptyDirs = flags.some((f) => f === '-d' || f === '--dir');
  const words = c.argv.slice(1);
  const targets: string[] = [];
  for (const op of operands) {
    const k = words.indexOf(op);
    if (c.dyn[k + 1]) return [{ command: c.text, kind: 'none', title: `no preview for rm: ${op} holds a value fwguard cannot know before it runs` }];
    targets.push(...expand(op, c.glob[k + 1] ?? false, cwd));
  }
  if (!targets.length) return [{ command: c.text, kind: 'none', title: 'rm names no files: nothing would be deleted' }];
  const entries: PathEntry[] = [];
  const notes: string[] = [];
  for (const t of targets) {
    const e = await entryOf(t, cwd, recursive);
    if (e.kind === 'missing') {
      notes.push(`${e.path} does not exist`);
      continue;
    }
    if (e.kind === 'dir' && !recursive && !(emptyDirs && e.files === 0 && e.dirs === 0)) {
      notes.push(`${e.path} is a directory and rm without -r leaves it`);
      continue;
    }
    entries.push(e);
  }
  const files = entries.reduce((n, e) => n + (e.kind === 'dir' ? e.files ?? 0 : 1), 0);
  const total = entries.reduce((n, e) => n + e.bytes, 0);
  const title = entries.length
    ? `rm would delete ${entries.length} path${entries.length === 1 ? '' : 's'} (${files} file${files === 1 ? '' : 's'}, ${bytes(total)})`
    : 'rm would delete nothing';
  return [{ command: c.text, kind: 'delete', title, entries, ...(notes.length ? { note: notes.join('; ') } : {}) }];
}

// ---------------------------------------------------------------------------------------------
// mv / cp: what would be overwritten

async function previewCopy(c: SimpleCommand, prog: 'mv' | 'cp'): Promise<DryRunItem[]> {
  const cwd = c.cwd!;
  const withValue = new Set(['t', 'target-directory', 'S', 'suffix', 'backup']);
  const { flags, operands } = options(c.argv, withValue);
  if (c.dyn.some(Boolean)) return [{ command: c.text, kind: 'none', title: `no preview for ${prog}: it holds values fwguard cannot know before it runs` }];
  const words = c.argv.slice(1);
  const expanded = operands.flatMap((op) => {
    const k = words.indexOf(op);
    return expand(op, c.glob[k + 1] ?? false, cwd);
  });
  let targetDir: string | undefined;
  const tIdx = c.argv.findIndex((a) => a === '-t' || a.startsWith('--target-directory'));
  if (tIdx > 0) {
    const a = c.argv[tIdx]!;
    targetDir = resolve(cwd, a.includes('=') ? a.slice(a.indexOf('=') + 1) : c.argv[tIdx + 1] ?? '.');
  }
  const noClobber = flags.some((f) => f === '-n' || f === '--no-clobber') || (prog === 'cp' && flags.includes('--update=none'));
  const noTargetDir = flags.some((f) => f === '-T' || f === '--no-target-directory');
  let sources = expanded;
  let dest: string | undefined = targetDir;
  if (!dest) {
    if (expanded.length < 2) return [{ command: c.text, kind: 'none', title: `${prog} names no destination: nothing would change` }];
    dest = expanded[expanded.length - 1]!;
    sources = expanded.slice(0, -1);
  }
  const destIsDir = !noTargetDir && isDir(dest);
  const recursive = prog === 'mv' || flags.some((f) => ['-r', '-R', '-a', '--recursive', '--archive'].includes(f));
  const over: PathEntry[] = [];
  for (const s of sources) {
    const target = destIsDir ? join(dest, basename(s)) : dest;
    if (!exists(target)) continue;
    if (isDir(s) && isDir(target) && recursive && prog === 'cp') {
      // cp -r into an existing directory: the files of the source that already exist there.
      for (const rel of walkFiles(s, WALK_LIMIT)) {
        const t = join(target, rel);
        if (exists(t)) over.push(await entryOf(t, cwd, false));
      }
    } else over.push(await entryOf(target, cwd, false));
  }
  const verb = prog === 'mv' ? 'mv' : 'cp';
  if (noClobber) return [{ command: c.text, kind: 'overwrite', title: `${verb} -n overwrites nothing${over.length ? ` (${over.length} existing path${over.length === 1 ? '' : 's'} kept)` : ''}`, entries: [] }];
  const backup = flags.some((f) => f === '-b' || f === '--backup');
  return [
    {
      command: c.text,
      kind: 'overwrite',
      title: over.length ? `${verb} would overwrite ${over.length} existing path${over.length === 1 ? '' : 's'} (${bytes(over.reduce((n, e) => n + e.bytes, 0))})` : `${verb} would overwrite nothing (no destination exists yet)`,
      entries: over,
      ...(backup ? { note: `${verb} -b keeps a backup (~) of each overwritten file` } : prog === 'mv' ? { note: `the source${sources.length === 1 ? '' : 's'} would leave ${sources.map((s) => display(s, cwd)).join(', ')}` } : {}),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// sed -i: run without -i, sandboxed, one file at a time, and diff

async function previewSed(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const cwd = c.cwd!;
  const withValue = new Set(['e', 'f', 'l', 'expression', 'file', 'line-length']);
  const kept: string[] = [];
  const files: string[] = [];
  let script: string | undefined;
  let hasScriptOpt = false;
  let inPlace = false;
  let suffix = '';
  let done = false;
  for (let i = 1; i < c.argv.length; i++) {
    const a = c.argv[i]!;
    if (done || a === '-' || !a.startsWith('-')) {
      if (!hasScriptOpt && script === undefined) script = a;
      else files.push(a);
      continue;
    }
    if (a === '--') {
      done = true;
      continue;
    }
    if (a.startsWith('--in-place')) {
      inPlace = true;
      suffix = a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
      continue;
    }
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0]!;
      if (name === 'expression' || name === 'file') hasScriptOpt = true;
      kept.push(a);
      if (withValue.has(name) && !a.includes('=')) kept.push(c.argv[++i] ?? '');
      continue;
    }
    // A short cluster: -i[SUFFIX] takes the rest of the word as its suffix; -e/-f/-l take a value.
    let letters = '';
    for (let k = 1; k < a.length; k++) {
      const ch = a[k]!;
      if (ch === 'i') {
        inPlace = true;
        suffix = a.slice(k + 1);
        break;
      }
      letters += ch;
      if (withValue.has(ch)) {
        if (ch === 'e' || ch === 'f') hasScriptOpt = true;
        const rest = a.slice(k + 1);
        kept.push('-' + letters + rest);
        letters = '';
        if (rest === '') kept.push(c.argv[++i] ?? '');
        break;
      }
    }
    if (letters) kept.push('-' + letters);
  }
  if (!inPlace) return [{ command: c.text, kind: 'none', title: 'sed without -i writes only to its output: nothing to preview' }];
  if (!files.length) return [{ command: c.text, kind: 'none', title: 'sed -i names no files: nothing would change' }];
  const items: DryRunItem[] = [];
  for (const f of files.flatMap((w) => expand(w, /[*?[]/.test(w), cwd))) {
    const shown = display(f, cwd);
    let before: string;
    try {
      if (statSync(f).size > MAX_DIFF_FILE) {
        items.push({ command: c.text, kind: 'none', title: `no diff for ${shown}: larger than ${bytes(MAX_DIFF_FILE)}` });
        continue;
      }
      before = readFileSync(f, 'utf8');
    } catch (e) {
      items.push({ command: c.text, kind: 'none', title: `no diff for ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message}` });
      continue;
    }
    // --sandbox rejects the w, W, r, R and e commands (and s///w, s///e): the preview cannot write or run anything.
    const argv = ['sed', '--sandbox', ...kept, ...(hasScriptOpt ? [] : [script ?? '']), '--', f];
    const ran = await runArgv(argv, cwd, ctx.env, ctx.timeoutMs);
    if (ran.exitCode !== 0) {
      items.push({ command: c.text, kind: 'none', title: `no diff for ${shown}: sed failed (${ran.error ?? ran.output.trim().split('\n')[0]})`, ran, note: 'sed runs sandboxed for a preview: scripts that write files (w) or run commands (e) are refused' });
      continue;
    }
    const diff = unifiedDiff(before, ran.output, { from: `a/${shown}`, to: `b/${shown}` });
    items.push({ command: c.text, kind: 'diff', title: diff ? `sed -i would change ${shown}` : `sed -i would leave ${shown} unchanged`, diff, ...(suffix ? { note: `a backup ${shown}${suffix} would be written` } : {}) });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Programs with their own preview mode

/** Insert options before a `--` (or at the end). Later options win in these programs' parsers. */
function withBefore(rest: string[], add: string[]): string[] {
  const k = rest.indexOf('--');
  return k === -1 ? [...rest, ...add] : [...rest.slice(0, k), ...add, ...rest.slice(k)];
}

async function ranItem(c: SimpleCommand, argv: string[], ctx: Ctx, what: string, note?: string): Promise<DryRunItem> {
  const ran = await runArgv(argv, c.cwd!, ctx.env, ctx.timeoutMs);
  const shown = argv.map(quoteWord).join(' ');
  const ok = ran.exitCode === 0;
  const title = ran.error && ran.exitCode === null ? `no preview: ${ran.error}` : `${what}: ran \`${shown}\`${ok ? '' : ` (exit ${ran.exitCode ?? 'killed'})`}`;
  return { command: c.text, kind: ran.exitCode === null && ran.error ? 'none' : 'ran', title, ran, ...(note ? { note } : {}) };
}

const GIT_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

async function previewGit(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  // Global options: keep only where the repository is; drop -c (it can run code), and turn hooks off.
  const keep: string[] = [];
  let dropped = false;
  let i = 1;
  for (; i < c.argv.length; i++) {
    const a = c.argv[i]!;
    if (!a.startsWith('-')) break;
    const name = a.split('=')[0]!;
    if (a === '-C' || name === '--git-dir' || name === '--work-tree') {
      keep.push(a);
      if (!a.includes('=')) keep.push(c.argv[++i] ?? '');
    } else if (GIT_VALUE.has(name)) {
      dropped = true;
      if (!a.includes('=')) i++;
    } else if (a !== '--no-pager' && a !== '-P') dropped = true;
  }
  const sub = c.argv[i];
  const rest = c.argv.slice(i + 1);
  // Hooks off, no fsmonitor program, and only the built-in transports (a remote helper
  // `foo::url` or `ext::cmd` would run a program).
  const protocols = ['file', 'git', 'http', 'https', 'ssh'].flatMap((p) => ['-c', `protocol.${p}.allow=always`]);
  const safe = ['git', ...keep, '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'protocol.allow=never', ...protocols];
  const note = dropped ? 'git options before the subcommand (-c …) were left out of the preview' : undefined;
  switch (sub) {
    case 'push': {
      if (rest.some((a) => /^--(receive-pack|exec)\b/.test(a))) return [{ command: c.text, kind: 'none', title: 'no preview for git push: --receive-pack/--exec names a program to run, and a preview never runs one' }];
      return [await ranItem(c, [...safe, 'push', ...withBefore(rest, ['--dry-run', '--no-verify', '--recurse-submodules=no'])], ctx, 'git push would update these refs', note)];
    }
    case 'clean': {
      const cleaned: string[] = [];
      let afterDashes = false;
      for (let k = 0; k < rest.length; k++) {
        const a = rest[k]!;
        if (afterDashes || a === '--') {
          afterDashes = true;
          cleaned.push(a);
        } else if (a === '--force' || a === '--interactive' || a === '--dry-run') continue;
        else if (/^-[^-]/.test(a)) {
          // A cluster: drop f, i, n; -e takes the rest of the word (or the next word).
          let kept = '';
          for (let j = 1; j < a.length; j++) {
            const ch = a[j]!;
            if (ch === 'e') {
              kept += a.slice(j);
              if (j === a.length - 1) {
                cleaned.push('-' + kept, rest[++k] ?? '');
                kept = '';
              }
              break;
            }
            if (!'fin'.includes(ch)) kept += ch;
          }
          if (kept) cleaned.push('-' + kept);
        } else cleaned.push(a);
      }
      return [await ranItem(c, [...safe, 'clean', ...withBefore(cleaned, ['--dry-run'])], ctx, 'git clean would remove', note)];
    }
    case 'reset':
      if (rest.includes('--hard')) return [await ranItem(c, [...safe, '--no-pager', 'diff', '--no-ext-diff', '--no-textconv', '--stat', 'HEAD'], ctx, 'git reset --hard would discard these uncommitted changes (untracked files stay)', note)];
      break;
    case 'checkout':
    case 'restore': {
      // Discarding worktree changes: `checkout -- paths`, `checkout .`, `restore paths` (not --staged alone).
      const dd = rest.indexOf('--');
      const paths = dd !== -1 ? rest.slice(dd + 1) : sub === 'restore' || rest.length === 1 ? rest.filter((a) => !a.startsWith('-')) : [];
      const stagedOnly = sub === 'restore' && (rest.includes('--staged') || rest.includes('-S')) && !rest.includes('--worktree') && !rest.includes('-W');
      if (paths.length && !stagedOnly && !rest.some((a) => /^(-s|--source)/.test(a))) {
        return [await ranItem(c, [...safe, '--no-pager', 'diff', '--no-ext-diff', '--no-textconv', '--stat', '--', ...paths], ctx, `git ${sub} would discard these uncommitted changes`, note)];
      }
      break;
    }
    case 'branch': {
      const k = rest.findIndex((a) => a === '-D' || (a === '-d' && rest.includes('--force')) || a === '--delete');
      const names = k === -1 ? [] : rest.slice(k + 1).filter((a) => !a.startsWith('-'));
      if (names.length === 1) {
        const name = names[0]!;
        return [await ranItem(c, [...safe, '--no-pager', 'log', '--oneline', '-n', '50', `refs/heads/${name}`, '--not', `--exclude=${name}`, '--branches', '--remotes', '--'], ctx, `git branch -D ${name} would leave these commits on no other branch`, note)];
      }
      break;
    }
    case 'stash': {
      const what = rest[0];
      if (what === 'drop') return [await ranItem(c, [...safe, '--no-pager', 'stash', 'show', '--no-ext-diff', '--no-textconv', '--stat', '--include-untracked', ...rest.slice(1).filter((a) => !a.startsWith('-'))], ctx, 'git stash drop would delete this stash', note)];
      if (what === 'clear') return [await ranItem(c, [...safe, '--no-pager', 'stash', 'list'], ctx, 'git stash clear would delete every stash', note)];
      break;
    }
  }
  return [{ command: c.text, kind: 'none', title: `no safe preview for git ${sub ?? ''}`.trimEnd() + ': git has no dry run for it' }];
}

async function previewRsync(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const args = c.argv.slice(1);
  const bad = args.find((a) => /^--(rsync-path|log-file|write-batch|only-write-batch|daemon|config)\b/.test(a));
  if (bad) return [{ command: c.text, kind: 'none', title: `no preview for rsync: ${bad.split('=')[0]} makes rsync run or write something even with -n` }];
  const rsh = args.findIndex((a) => a === '-e' || a.startsWith('--rsh'));
  if (rsh !== -1) {
    const v = args[rsh]!.includes('=') ? args[rsh]!.slice(args[rsh]!.indexOf('=') + 1) : args[rsh + 1] ?? '';
    if (basename(v.trim().split(/\s+/)[0] ?? '') !== 'ssh') return [{ command: c.text, kind: 'none', title: `no preview for rsync: -e ${v} names a program other than ssh` }];
    if (/(Proxy|Local|KnownHosts)Command|PermitLocalCommand|Match/i.test(v)) return [{ command: c.text, kind: 'none', title: 'no preview for rsync: its ssh options run a local command' }];
  }
  return [await ranItem(c, ['rsync', '--dry-run', '--itemize-changes', ...args], ctx, 'rsync would transfer or delete')];
}

const NPM_PREVIEW = new Set(['publish', 'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'uninstall', 'un', 'remove', 'rm', 'r', 'unlink', 'update', 'up', 'upgrade', 'udpate', 'dedupe', 'prune']);

async function previewNpm(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const sub = c.argv.slice(1).find((a) => !a.startsWith('-'));
  if (!sub || !NPM_PREVIEW.has(sub)) return [{ command: c.text, kind: 'none', title: `no safe preview for npm ${sub ?? ''}`.trimEnd() + ': npm has no dry run for it' }];
  // --ignore-scripts: a dry run of publish would otherwise still run prepack/prepare scripts.
  return [await ranItem(c, ['npm', ...withBefore(c.argv.slice(1), ['--dry-run', '--ignore-scripts'])], ctx, `npm ${sub} would`)];
}

const KUBECTL_PREVIEW = new Set(['apply', 'create', 'delete', 'patch', 'replace', 'scale', 'label', 'annotate', 'set', 'expose', 'run', 'autoscale', 'drain', 'cordon', 'uncordon', 'taint', 'rollout']);

async function previewKubectl(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const args = c.argv.slice(1);
  const sub = firstOperand(args, new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token']));
  if (!sub || !KUBECTL_PREVIEW.has(sub)) return [{ command: c.text, kind: 'none', title: `no safe preview for kubectl ${sub ?? ''}`.trimEnd() + ': it has no server-side dry run' }];
  const cleaned = args.filter((a) => !a.startsWith('--dry-run'));
  return [await ranItem(c, ['kubectl', ...withBefore(cleaned, ['--dry-run=server'])], ctx, `kubectl ${sub} (server-side dry run)`)];
}

function firstOperand(args: string[], withValue: Set<string>): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return a;
    if (withValue.has(a)) i++;
  }
  return undefined;
}

async function previewTerraform(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const args = c.argv.slice(1);
  const k = args.findIndex((a) => !a.startsWith('-'));
  const sub = args[k];
  const globals = args.slice(0, k === -1 ? 0 : k).filter((a) => a.startsWith('-chdir='));
  const rest = args.slice(k + 1);
  if (sub !== 'apply' && sub !== 'destroy') return [{ command: c.text, kind: 'none', title: `no safe preview for terraform ${sub ?? ''}`.trimEnd() + (sub === 'plan' ? ': plan is itself the preview' : ': it has no dry run') }];
  // Options written `-var x=1` take the next word; the first other operand is a saved plan.
  const TF_VALUE = new Set(['-var', '-var-file', '-target', '-replace', '-parallelism', '-lock-timeout', '-state', '-state-out', '-backup']);
  const planFile = rest.find((a, k) => !a.startsWith('-') && !TF_VALUE.has(rest[k - 1] ?? ''));
  const note = 'terraform plan refreshes state in memory and runs providers\' reads (and external data sources); it changes no infrastructure';
  if (planFile) return [await ranItem(c, ['terraform', ...globals, 'show', '-no-color', planFile], ctx, `terraform apply ${planFile} would apply this saved plan`)];
  const opts = rest.filter((a) => !/^-(auto-approve|input|lock|replace-all)\b/.test(a) && a !== '-destroy');
  return [await ranItem(c, ['terraform', ...globals, 'plan', '-input=false', '-lock=false', '-no-color', ...(sub === 'destroy' ? ['-destroy'] : []), ...opts], ctx, `terraform ${sub} would`, note)];
}

const HELM_PREVIEW = new Set(['install', 'upgrade', 'uninstall', 'delete', 'del', 'un', 'rollback']);

async function previewHelm(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const args = c.argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  if (!sub || !HELM_PREVIEW.has(sub)) return [{ command: c.text, kind: 'none', title: `no safe preview for helm ${sub ?? ''}`.trimEnd() + ': it has no dry run' }];
  if (args.some((a) => a.startsWith('--post-renderer'))) return [{ command: c.text, kind: 'none', title: 'no preview for helm: --post-renderer runs a program even in a dry run' }];
  return [await ranItem(c, ['helm', ...withBefore(args.filter((a) => !a.startsWith('--dry-run')), ['--dry-run'])], ctx, `helm ${sub} would`)];
}

/** Primaries that run a program or write a file: a find holding one is never run for a preview. */
const FIND_ACTS = new Set(['-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls']);

async function previewFind(c: SimpleCommand, ctx: Ctx): Promise<DryRunItem[]> {
  const args = c.argv.slice(1);
  const act = args.find((a) => FIND_ACTS.has(a));
  if (act) return [{ command: c.text, kind: 'none', title: `no preview for find: ${act} runs a program or writes a file` }];
  if (!args.includes('-delete')) return [{ command: c.text, kind: 'none', title: 'nothing to preview: find without -delete only lists' }];
  // -delete replaced by -print in place: the same expression lists exactly what it would delete.
  return [await ranItem(c, ['find', ...args.map((a) => (a === '-delete' ? '-print' : a))], ctx, 'find -delete would delete')];
}

// ---------------------------------------------------------------------------------------------
// Write / Edit tool calls

/** The diff a Write/Edit tool call would make (also shown in the approval prompt). */
export function previewFileTool(p: Proposal, cwd: string): DryRunItem {
  const tool = p.tool ?? (p.kind === 'file.write' ? 'Write' : 'Edit');
  if (!p.path) return { command: tool, kind: 'none', title: `no preview: the ${tool} call names no file` };
  const base = p.cwd || cwd;
  const abs = isAbsolute(p.path) ? p.path : resolve(base, p.path);
  const shown = display(abs, base);
  let before = '';
  let existed = true;
  try {
    if (statSync(abs).size > MAX_DIFF_FILE) return { command: `${tool} ${shown}`, kind: 'none', title: `no diff for ${shown}: larger than ${bytes(MAX_DIFF_FILE)}` };
    before = readFileSync(abs, 'utf8');
  } catch {
    existed = false;
  }
  const input = (p.input && typeof p.input === 'object' ? p.input : {}) as Record<string, unknown>;
  let after: string | undefined;
  let note: string | undefined;
  if (p.kind === 'file.write') after = p.content ?? (typeof input.content === 'string' ? input.content : undefined);
  else if (typeof input.old_string === 'string' && typeof input.new_string === 'string') {
    const old = input.old_string;
    if (!before.includes(old)) note = 'the text to replace is not in the file: the edit would fail';
    after = input.replace_all === true ? before.split(old).join(input.new_string) : before.replace(old, () => input.new_string as string);
  } else if (p.content !== undefined) {
    return { command: `${tool} ${shown}`, kind: 'diff', title: `${tool} would put this text into ${shown} (the call does not say what it replaces)`, diff: p.content.split('\n').map((l) => '+' + l).join('\n') + '\n' };
  }
  if (after === undefined) return { command: `${tool} ${shown}`, kind: 'none', title: `no diff for ${shown}: the ${tool} call carries no content` };
  const label = (side: string) => (shown.startsWith('/') ? shown : `${side}/${shown}`);
  const diff = unifiedDiff(before, after, { from: existed ? label('a') : '/dev/null', to: label('b') });
  return { command: `${tool} ${shown}`, kind: 'diff', title: existed ? (diff ? `${tool} would change ${shown}` : `${tool} would leave ${shown} unchanged`) : `${tool} would create ${shown}`, diff, ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------------------------------------
// File-system facts (never following symlinks: rm does not)

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function display(abs: string, cwd: string): string {
  const r = relative(cwd, abs);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? abs : r;
}

/** Files below a directory (relative paths), bounded. */
function walkFiles(dir: string, limit: number): string[] {
  const out: string[] = [];
  const stack = [''];
  while (stack.length && out.length < limit) {
    const rel = stack.pop()!;
    let ents;
    try {
      ents = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of ents) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) stack.push(r);
      else out.push(r);
    }
  }
  return out;
}

async function entryOf(abs: string, cwd: string, recursive: boolean): Promise<PathEntry> {
  const path = display(abs, cwd);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return { path, abs, kind: 'missing', bytes: 0, git: 'unknown' };
  }
  const status = await gitStatusOf(abs, st.isDirectory());
  if (!st.isDirectory()) return { path, abs, kind: st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other', bytes: st.isFile() ? st.size : 0, git: status.of(abs) };
  let files = 0;
  let dirs = 0;
  let total = 0;
  let truncated = false;
  const counts: Partial<Record<GitStatus, number>> = {};
  const sample: PathEntry['sample'] = [];
  const stack = [abs];
  let seen = 0;
  while (stack.length && recursive) {
    const d = stack.pop()!;
    let ents;
    try {
      ents = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    ents.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const e of ents) {
      if (++seen > WALK_LIMIT) {
        truncated = true;
        break;
      }
      const p = join(d, e.name);
      if (e.isDirectory()) {
        dirs++;
        stack.push(p);
        continue;
      }
      files++;
      let size = 0;
      try {
        size = e.isFile() ? lstatSync(p).size : 0;
      } catch {
        /* gone meanwhile */
      }
      total += size;
      const g = status.of(p);
      counts[g] = (counts[g] ?? 0) + 1;
      if (sample.length < SAMPLE) sample.push({ path: display(p, cwd), bytes: size, git: g });
    }
    if (truncated) break;
  }
  if (!recursive) {
    try {
      const n = readdirSync(abs).length;
      files = n; // rough, for "rm -d of a non-empty dir"
    } catch {
      /* unreadable */
    }
  }
  return { path: path.endsWith('/') ? path : path + '/', abs, kind: 'dir', bytes: total, files, dirs, git: counts, sample, ...(truncated ? { truncated: true } : {}) };
}

interface StatusLookup {
  of(abs: string): GitStatus;
}

function gitOut(args: string[], cwd: string): Promise<string | null> {
  return new Promise((res) => {
    import('node:child_process').then(({ execFile }) => {
      execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (err, stdout) => res(err ? null : stdout));
    }, () => res(null));
  });
}

/** The git status of every file at or below `abs` (two read-only git calls). */
async function gitStatusOf(abs: string, isDirectory: boolean): Promise<StatusLookup> {
  const dir = isDirectory ? abs : dirname(abs);
  const top = (await gitOut(['rev-parse', '--show-toplevel'], dir))?.trim();
  if (!top) return { of: () => 'none' };
  const rel = relative(top, abs) || '.';
  const spec = `:(literal)${rel}`;
  const [status, tracked] = await Promise.all([
    gitOut(['-c', 'core.fsmonitor=false', 'status', '--porcelain=v1', '-z', '--ignored', '--untracked-files=all', '--', spec], top),
    gitOut(['ls-files', '-z', '--', spec], top),
  ]);
  if (status === null || tracked === null) return { of: () => 'unknown' };
  const map = new Map<string, GitStatus>();
  const parts = status.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const e = parts[i]!;
    if (e.length < 4) continue;
    const code = e.slice(0, 2);
    const p = e.slice(3);
    map.set(p, code === '??' ? 'untracked' : code === '!!' ? 'ignored' : 'modified');
    if (code[0] === 'R' || code[0] === 'C') i++; // the rename's source follows
  }
  const trackedSet = new Set(tracked.split('\0').filter(Boolean));
  return {
    of(p: string): GitStatus {
      const r = relative(top, p);
      const hit = map.get(r);
      if (hit) return hit;
      if (trackedSet.has(r)) return 'tracked';
      // An ignored or untracked directory is listed once, with a trailing slash.
      for (let d = dirname(r); d !== '.' && d !== '/' && d !== ''; d = dirname(d)) {
        const up = map.get(d + '/');
        if (up) return up;
      }
      return 'unknown';
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Text

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

export function gitText(g: PathEntry['git']): string {
  if (typeof g === 'string') return g === 'none' ? 'not in git' : g;
  const parts = (Object.entries(g) as [GitStatus, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k === 'none' ? 'not in git' : k}`);
  return parts.length ? parts.join(', ') : 'empty';
}

function finish(items: DryRunItem[]): DryRunResult {
  const complete = !items.some((i) => /^no (safe )?(preview|diff)/.test(i.title) || (i.ran && i.ran.exitCode !== 0));
  return { items, summary: summarize(items), complete };
}

/** The printable summary of a dry run. */
export function summarize(items: DryRunItem[]): string {
  const lines: string[] = [];
  for (const it of items) {
    lines.push(`${it.command ? `$ ${it.command}\n  ` : ''}${it.title}`);
    for (const e of it.entries ?? []) {
      const size = e.kind === 'dir' ? `${e.files ?? 0} files, ${e.dirs ?? 0} dirs, ${bytes(e.bytes)}` : bytes(e.bytes);
      lines.push(`    ${e.path}  ${size}  ${gitText(e.git)}${e.truncated ? ' (walk stopped early: more below)' : ''}`);
      for (const s of e.sample ?? []) lines.push(`      ${s.path}  ${bytes(s.bytes)}  ${gitText(s.git)}`);
      if (e.kind === 'dir' && (e.files ?? 0) > (e.sample?.length ?? 0)) lines.push(`      … and ${(e.files ?? 0) - (e.sample?.length ?? 0)} more files`);
    }
    if (it.diff) lines.push(...it.diff.trimEnd().split('\n').map((l) => '    ' + l));
    if (it.ran?.output.trim()) lines.push(...it.ran.output.trimEnd().split('\n').slice(0, 60).map((l) => '    | ' + l));
    if (it.note) lines.push(`  note: ${it.note}`);
  }
  return lines.join('\n');
}
