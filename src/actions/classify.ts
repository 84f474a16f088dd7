// ShellAnalysis → typed actions: each simple command through its program's reader, plus what
// every command can do whatever the program (redirections, env assignments, a dynamic name).
import type { Action, PathRef, ShellAnalysis, SimpleCommand } from '../types.js';
import { readerFor, registerReaders } from './index.js';
import { parseArgs, programName, resolvePath, type ReadEnv } from './reader.js';
import { isSinkPath, NETWORK_SOURCES } from '../util/path.js';
import { readers as fsReaders } from './fs.js';
import { interpreterName, readers as codeReaders } from './code.js';
import { destroyByPrefix, envActions, readers as systemReaders } from './system.js';
import { readers as gitReaders } from './git.js';
import { readers as networkReaders } from './network.js';
import { readers as dbReaders } from './db.js';
import { readers as packageReaders } from './packages.js';
import { readers as deployReaders } from './deploy.js';

// Later families win on a name clash: system (sudo → priv) and code (shells) are most specific.
registerReaders(fsReaders);
registerReaders(networkReaders);
registerReaders(dbReaders);
registerReaders(packageReaders);
registerReaders(deployReaders);
registerReaders(gitReaders);
registerReaders(codeReaders);
registerReaders(systemReaders);


function redirectActions(cmd: SimpleCommand, index: number, env: ReadEnv): Action[] {
  const out: Action[] = [];
  const program = programName(cmd.argv[0] ?? '') || '(redirect)';
  for (const r of cmd.redirects) {
    if (r.op === '<<' || r.op === '<<-' || r.op === '<<<') continue;
    if ((r.op === '>&' || r.op === '<&') && (/^\d+-?$/.test(r.target) || r.target === '-')) continue;
    const t = r.target;
    if (!r.dynamic && isSinkPath(t)) continue;
    const m = /^\/dev\/(tcp|udp)\/([^/]+)\//.exec(t);
    if (m) {
      out.push({ type: 'net.send', cmd: index, program, how: `a redirect into /dev/${m[1]}`, host: m[2]! });
      continue;
    }
    const ref = resolvePath(t, cmd, env, r.dynamic, false);
    if (r.op === '<') out.push({ type: 'file.read', cmd: index, program, paths: [ref] });
    else if (r.op === '>>' || r.op === '&>>') out.push({ type: 'file.write', cmd: index, program, paths: [ref], append: true, redirect: true });
    else out.push({ type: 'file.write', cmd: index, program, paths: [ref], overwrite: r.op !== '<>', redirect: true });
  }
  return out;
}

const PLAIN_NAME = /^[\x21-\x7e]+$/;
const MAX_WORD = 16 * 1024;

/** Fork bombs: a function that calls itself in a pipeline or in the background. */
function forkBomb(cmds: SimpleCommand[], cmd: SimpleCommand): boolean {
  const fn = [...cmd.via].reverse().find((v) => v.startsWith('function '));
  if (!fn) return false;
  const name = fn.slice('function '.length);
  if (cmd.argv[0] !== name) return false;
  const async = (c: SimpleCommand) => c.via.includes('pipe') || c.via.includes('&');
  return async(cmd) || cmds.some((c) => c !== cmd && c.argv[0] === name && c.via.includes(fn) && async(c));
}

/** Programs whose output is decoded from text fwguard did not read (network sources: util/path.ts). */
const DECODERS = new Set(['base64', 'base32', 'xxd', 'uudecode', 'openssl', 'gunzip', 'zcat', 'unzip']);
const COPIERS = new Set(['cp', 'mv', 'install', 'ln', 'dd', 'rsync']);

/**
 * Data flow inside one command line, judged at once (no session needed):
 *  - a file written from the network (`curl -o f`, `curl … | tee f`, `curl … > f`) or decoded
 *    from text fwguard did not read (`base64 -d > f`), copied on (`mv`, `cp`, `ln`, `dd`, …) and
 *    then executed (`./f`, `bash f`, `source f`, `python f`) is code from the network;
 *  - a link made in the line (`ln -s ~/.aws/credentials a && cat a`) stands for its target: later
 *    reads and writes of the link are judged on the target too.
 */
function lineFlows(cmds: SimpleCommand[], actions: Action[], env: ReadEnv): Action[] {
  const extra: Action[] = [];
  const fetched = new Map<string, string>(); // abs → how it got there
  const links = new Map<string, string>(); // link abs → target abs
  const byCmd = new Map<number, Action[]>();
  for (const a of actions) {
    const list = byCmd.get(a.cmd);
    if (list) list.push(a);
    else byCmd.set(a.cmd, [a]);
  }
  const absOf = (refs: PathRef[] | undefined) => (refs ?? []).map((r) => r.abs).filter((x): x is string => x !== null);
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i]!;
    const acts = byCmd.get(i) ?? [];
    const prog = programName(cmd.argv[0] ?? '');
    const upstream = cmd.stdin?.kind === 'pipe' ? cmd.stdin.from.map((u) => programName(u.argv[0] ?? '')) : [];
    const source = NETWORK_SOURCES.has(prog) ? `${prog} output` : upstream.find((u) => NETWORK_SOURCES.has(u)) ? `${upstream.find((u) => NETWORK_SOURCES.has(u))} output` : DECODERS.has(prog) || upstream.some((u) => DECODERS.has(u)) ? 'decoded data' : undefined;
    const reads = acts.flatMap((a) => (a.type === 'file.read' || (a.type === 'file.delete' && a.move) ? absOf(a.paths) : []));
    const writes = acts.flatMap((a) => (a.type === 'file.write' ? absOf(a.paths) : []));
    // Links made in the line: `ln [-s] TARGET LINK` (a relative -s target is relative to the link).
    if (prog === 'ln' && writes.length === 1) {
      const ops = parseArgs(cmd.argv, new Set(['t', 'target-directory', 'S', 'suffix'])).operands;
      const t = ops[0];
      if (t !== undefined && ops.length === 2 && !cmd.dyn[t]) {
        const symbolic = cmd.argv.some((a) => a === '-s' || a === '--symbolic' || /^-[a-zA-Z]*s/.test(a));
        const raw = cmd.argv[t]!;
        const base = symbolic && !raw.startsWith('/') && !raw.startsWith('~') ? { ...cmd, cwd: writes[0]!.slice(0, writes[0]!.lastIndexOf('/')) || '/' } : cmd;
        const target = resolvePath(raw, base, env).abs;
        if (target) links.set(writes[0]!, target);
      }
    }
    // Taint: written from a network or decoder source, or copied from a tainted file.
    if (source) for (const w of writes) fetched.set(w, source);
    else if (COPIERS.has(prog)) {
      const from = reads.find((r) => fetched.has(r)) ?? (prog === 'ln' && writes[0] && fetched.has(links.get(writes[0]) ?? '') ? links.get(writes[0]) : undefined);
      if (from) for (const w of writes) fetched.set(w, fetched.get(from)!);
    }
    // Executed files: a path as the program, or the script a shell/interpreter/source reads.
    const runs: string[] = [];
    if (cmd.argv[0]?.includes('/') && !cmd.dyn[0]) {
      const r = resolvePath(cmd.argv[0], cmd, env);
      if (r.abs) runs.push(r.abs);
    }
    if (acts.some((a) => a.type === 'exec' && a.script)) runs.push(...reads);
    const hit = runs.find((r) => fetched.has(r) || (links.has(r) && fetched.has(links.get(r)!)));
    if (hit) {
      const how = fetched.get(hit) ?? fetched.get(links.get(hit)!)!;
      extra.push(how === 'decoded data'
        ? { type: 'code.dynamic', cmd: i, program: prog, how: `${cmd.argv[0]} runs ${hit}, written from decoded data earlier in this command line` }
        : { type: 'code.remote', cmd: i, program: prog, source: `${hit}, written from ${how} earlier in this command line` });
    }
    // Links stand for their targets (in later commands: making the link writes only the link).
    for (const a of acts) {
      if (!('paths' in a) || links.size === 0 || prog === 'ln') continue;
      const added = a.paths.flatMap((p) => (p.abs && links.has(p.abs) ? [{ raw: `${p.raw} (a link to ${links.get(p.abs)})`, abs: links.get(p.abs)!, glob: false }] : []));
      if (added.length) extra.push({ ...a, paths: added } as Action);
    }
  }
  return extra;
}

export function classify(analysis: ShellAnalysis, env: ReadEnv): Action[] {
  const actions: Action[] = [];
  const cmds = analysis.commands;
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i]!;
    actions.push(...redirectActions(cmd, i, env), ...envActions(cmd, i));
    if (cmd.argv.length === 0) continue;
    const argv0 = cmd.argv[0]!;
    if (cmd.dyn[0]) {
      actions.push({ type: 'code.dynamic', cmd: i, program: argv0, how: `the program name ${argv0} is computed at run time` });
      continue;
    }
    if (cmd.nameFromVar) actions.push({ type: 'code.dynamic', cmd: i, program: argv0, how: `the program name comes from a variable (${argv0})` });
    const prog = programName(argv0);
    if (!PLAIN_NAME.test(prog)) {
      // A look-alike name (`ｒｍ`, `r\u200bm`) is not the program it imitates: the shell would look up
      // that exact name. POLICY.md: any other program → allow (opaque, no opinion).
      actions.push({ type: 'exec', cmd: i, program: prog, known: false });
      continue;
    }
    if (forkBomb(cmds, cmd)) {
      actions.push({ type: 'system.destroy', cmd: i, program: prog, how: `function ${prog} calls itself in a pipeline (a fork bomb)` });
      continue;
    }
    const destroy = destroyByPrefix(prog);
    if (destroy) {
      actions.push({ type: 'system.destroy', cmd: i, program: prog, how: destroy });
      continue;
    }
    // A single word this long is not read by the per-program readers (their patterns would cost
    // too much on hostile input): the command is asked about instead.
    if (cmd.argv.some((w) => w.length > MAX_WORD) && !['echo', 'printf', 'true', ':'].includes(prog)) {
      actions.push({ type: 'parse.unknown', cmd: i, program: prog, issue: { kind: 'limit', message: `an argument of ${prog} is longer than ${MAX_WORD / 1024} KiB and was not read` } });
      continue;
    }
    const versioned = interpreterName(prog);
    const reader = readerFor(prog) ?? (versioned ? readerFor(versioned) : undefined);
    if (reader) actions.push(...reader(cmd, i, env));
    else if (argv0.startsWith('./') || argv0.startsWith('../') || (argv0.includes('/') && !argv0.startsWith('/'))) {
      actions.push({ type: 'exec', cmd: i, program: argv0, known: false, script: true });
    } else actions.push({ type: 'exec', cmd: i, program: prog, known: false });
  }
  actions.push(...lineFlows(cmds, actions, env));
  // Commands that run on another machine (ssh host CMD): only machine-level destruction and a
  // recursive delete of / or ~ are judged there; the rest is covered by the ssh send itself.
  return actions.flatMap((a): Action[] => {
    if (a.cmd < 0 || cmds[a.cmd]?.remoteHost === undefined) return [a];
    if (a.type === 'system.destroy') return [a];
    if (a.type === 'file.chmod' && a.recursive && a.paths.some((p) => p.raw === '/' || p.abs === '/')) {
      return [{ type: 'system.destroy', cmd: a.cmd, program: a.program, how: `a recursive chmod of / on ${cmds[a.cmd]!.remoteHost}` }];
    }
    if (a.type === 'file.delete' && a.recursive && a.paths.some((p) => ['/', '/*', '~', '~/', '~/*'].includes(p.raw) || p.raw === env.home || p.raw === env.home + '/')) {
      return [{ type: 'system.destroy', cmd: a.cmd, program: a.program, how: `a recursive delete of ${a.paths[0]!.raw} on ${cmds[a.cmd]!.remoteHost}` }];
    }
    return [];
  });
}
