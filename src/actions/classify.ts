// ShellAnalysis → typed actions: each simple command through its program's reader, plus what
// every command can do whatever the program (redirections, env assignments, a dynamic name).
import type { Action, ShellAnalysis, SimpleCommand } from '../types.js';
import { readerFor, registerReaders } from './index.js';
import { programName, resolvePath, type ReadEnv } from './reader.js';
import { readers as fsReaders } from './fs.js';
import { readers as codeReaders } from './code.js';
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

const HARMLESS_DEV = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty', '/dev/zero', '/dev/random', '/dev/urandom']);

function redirectActions(cmd: SimpleCommand, index: number, env: ReadEnv): Action[] {
  const out: Action[] = [];
  const program = programName(cmd.argv[0] ?? '') || '(redirect)';
  for (const r of cmd.redirects) {
    if (r.op === '<<' || r.op === '<<-' || r.op === '<<<') continue;
    if ((r.op === '>&' || r.op === '<&') && (/^\d+-?$/.test(r.target) || r.target === '-')) continue;
    const t = r.target;
    if (!r.dynamic && (HARMLESS_DEV.has(t) || /^\/dev\/fd\/\d+$/.test(t) || /^\/proc\/self\/fd\/\d+$/.test(t))) continue;
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

/** Fork bombs: a function that calls itself in a pipeline or in the background. */
function forkBomb(cmds: SimpleCommand[], cmd: SimpleCommand): boolean {
  const fn = cmd.via.find((v) => v.startsWith('function '));
  if (!fn) return false;
  const name = fn.slice('function '.length);
  if (cmd.argv[0] !== name) return false;
  return cmd.via.includes('pipe') || cmds.some((c) => c !== cmd && c.argv[0] === name && c.via.includes(fn) && c.via.includes('pipe'));
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
    const reader = readerFor(prog);
    if (reader) actions.push(...reader(cmd, i, env));
    else if (argv0.startsWith('./') || argv0.startsWith('../') || (argv0.includes('/') && !argv0.startsWith('/'))) {
      actions.push({ type: 'exec', cmd: i, program: argv0, known: false, script: true });
    } else actions.push({ type: 'exec', cmd: i, program: prog, known: false });
  }
  // Commands that run on another machine (ssh host CMD): only machine-level destruction and a
  // recursive delete of / or ~ are judged there; the rest is covered by the ssh send itself.
  return actions.flatMap((a): Action[] => {
    if (a.cmd < 0 || cmds[a.cmd]?.remoteHost === undefined) return [a];
    if (a.type === 'system.destroy') return [a];
    if (a.type === 'file.delete' && a.recursive && a.paths.some((p) => ['/', '/*', '~', '~/', '~/*'].includes(p.raw) || p.raw === env.home || p.raw === env.home + '/')) {
      return [{ type: 'system.destroy', cmd: a.cmd, program: a.program, how: `a recursive delete of ${a.paths[0]!.raw} on ${cmds[a.cmd]!.remoteHost}` }];
    }
    return [];
  });
}
