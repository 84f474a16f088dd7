// Known bypass classes (issue 6 §4), one named test each, through the REAL hook process
// (node bin/run.js hook claude-code) against the sandbox of test/helpers/decide.ts.
// Answers: 'allow' (explicit), 'none' (exit 0, no output: no opinion), 'ask', 'deny' (exit 2).
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/decide.js';
import { createSandbox, type Sandbox } from '../../src/policy/sandbox.js';
import { bash, built, pre, runHook, type HookResult } from './hook-run.js';

const answered = (r: HookResult) => {
  expect(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr.slice(0, 300)}`).toBe(true);
  return r.decision;
};
const isDeny = (cmd: string) => expect(answered(bash(cmd)), cmd).toBe('deny');
const isAsk = (cmd: string) => expect(answered(bash(cmd)), cmd).toBe('ask');
const askOrDeny = (cmd: string) => expect(['ask', 'deny'], cmd).toContain(answered(bash(cmd)));

describe.skipIf(!built)('bypass classes through the real hook', () => {
  it('nested $( at depth 10,000 answers (never allow)', () => {
    const r = bash('echo ' + '$('.repeat(10_000) + 'rm -rf ~' + ')'.repeat(10_000));
    expect(['ask', 'deny']).toContain(answered(r));
  });

  it('leading assignments do not hide the command: FOO=1 rm -rf ~ and friends', () => {
    for (const cmd of ['FOO=1 rm -rf ~', 'A=1 B=2 C=3 rm -rf ~', 'FOO=$(id) rm -rf ~', 'PATH=/tmp rm -rf ~', 'HOME=/tmp rm -rf ~', 'LC_ALL=C IFS=x rm -rf /']) isDeny(cmd);
  });

  it('stdin-fed clients: echo DROP TABLE | psql, echo FLUSHALL | redis-cli → ask', () => {
    isAsk("echo 'DROP TABLE users' | psql");
    isAsk('echo FLUSHALL | redis-cli');
  });

  it('stdin-fed interpreter: python3 - <<EOF shutil.rmtree("/") EOF → never allow', () => {
    askOrDeny("python3 - <<EOF\nimport shutil; shutil.rmtree('/')\nEOF");
  });

  it('bash < script.sh (the script holds rm -rf ~): opaque, never an explicit allow', () => {
    writeFileSync(join(sandbox().project, 'script.sh'), 'rm -rf ~\n');
    const d = answered(bash('bash < script.sh'));
    // POLICY: a script fwguard cannot see into is opaque → no opinion. Today: 'none'.
    expect(d).not.toBe('allow');
    expect(['none', 'ask', 'deny']).toContain(d);
  });

  it('redirects riding on an allowed command: echo x > ~/.bashrc, cat a > /etc/hosts → deny', () => {
    isDeny('echo x > ~/.bashrc');
    isDeny('cat a > /etc/hosts');
    isDeny('ls >> ~/.ssh/authorized_keys');
  });

  it('path spellings: /etc/../etc/passwd, //etc/hosts, $HOME/./.ssh, ./../ climbing out', () => {
    isDeny('echo x > /etc/../etc/passwd');
    isDeny('echo x > //etc/hosts');
    isDeny('rm -rf //etc');
    isDeny('echo x > $HOME/./.ssh/id_rsa');
    isDeny('echo x > ./../.bashrc'); // the project is ~/project: ./../.bashrc is ~/.bashrc
    isDeny('rm -rf ./../../'); // a parent of the project root
    isAsk('echo x > ./../../x'); // outside write scope, not protected
    // ~root: a home fwguard does not resolve → asked about, never allowed.
    askOrDeny('echo x > ~root/.bashrc');
    askOrDeny('rm -rf ~root');
  });

  describe('symlink inside the project pointing at ~/.ssh (fresh sandbox)', () => {
    let box: Sandbox | undefined;
    afterAll(() => {
      if (box) rmSync(box.root, { recursive: true, force: true });
    });
    it('echo x > link/authorized_keys → deny', () => {
      box = createSandbox();
      symlinkSync(join(box.home, '.ssh'), join(box.project, 'link'));
      expect(answered(bash('echo x > link/authorized_keys', {}, box))).toBe('deny');
      expect(answered(bash('rm -rf link/', {}, box))).toBe('deny');
      expect(answered(runHook(pre('Write', { file_path: join(box.project, 'link/authorized_keys'), content: 'x' }, {}, box), { box }))).toBe('deny');
    });
  });

  it('cd games: cd / && rm -rf *, cd ~; rm -rf ., pushd / && rm -rf * → deny', () => {
    isDeny('cd / && rm -rf *');
    isDeny('cd ~; rm -rf .');
    isDeny('pushd / && rm -rf *');
    isDeny('cd .. && cd .. && rm -rf *');
  });

  it('tool switching: Write ~/.bashrc is denied, and so is the same write through Bash', () => {
    const b = sandbox();
    expect(answered(runHook(pre('Write', { file_path: join(b.home, '.bashrc'), content: 'x' })))).toBe('deny');
    expect(answered(runHook(pre('Edit', { file_path: join(b.home, '.bashrc'), old_string: 'x', new_string: 'y' })))).toBe('deny');
    for (const cmd of [
      'echo x | tee ~/.bashrc',
      'tee -a ~/.bashrc < /dev/null',
      `python3 -c "open('${b.home}/.bashrc','w').write('x')"`,
      'sed -i s/a/b/ ~/.bashrc',
      'cp README.md ~/.bashrc',
      'cp x ~/.bashrc',
      'mv notes.txt ~/.bashrc',
    ]) askOrDeny(cmd);
  });

  it('a subagent call (agent_id, agent_type) is judged exactly like the main agent', () => {
    const cmds = ['rm -rf ~', 'git status', 'npm test', 'npm install left-pad', 'echo x > ~/.bashrc'];
    const main = cmds.map((c) => answered(bash(c)));
    const sub = cmds.map((c) => answered(bash(c, { agent_id: 'sub-7', agent_type: 'general-purpose' })));
    expect(sub).toEqual(main);
    expect(main).toEqual(['deny', 'allow', 'none', 'ask', 'deny']);
  });

  it('Unicode look-alike program names never resolve to the real rm rule', () => {
    // POLICY: a program no reader knows is opaque → no opinion ('none'). Issue 6 §4 suggests ask
    // for a non-ASCII program name; POLICY.md does not (yet) say so. Asserting today's answer.
    for (const cmd of ['ｒｍ -rf ~', 'r\u200bm -rf ~', '\u200brm -rf ~', 'rm\u00a0-rf ~']) {
      const r = bash(cmd);
      expect(answered(r), JSON.stringify(cmd)).toBe('none');
      expect(r.stderr).not.toContain('fs.delete');
    }
  });

  it('a zero-width character in the path argument does not make ~ look safe', () => {
    // `~\u200b/` is the home of a user named "\u200b" (none): bash leaves it literal. fwguard
    // cannot tell what it deletes → ask (never allow).
    isAsk('rm -rf ~\u200b/');
    isAsk('rm -rf ~\u200b');
    askOrDeny('rm -rf ~/\u200b'); // a file in ~ itself: outside write scope
    askOrDeny('rm -rf ~/.ssh\u200b/..');
  });
});
