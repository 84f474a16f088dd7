// bin/run.js dispatch: `hook` goes straight to dist/hook.js (no oclif), failing closed (exit 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fwguard-bin-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of bin/run.js in a fake package whose dist/hook.js we control. */
function fakePackage(name: string, hook?: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(join(repo, 'bin', 'run.js'), join(root, 'bin', 'run.js'));
  writeFileSync(join(root, 'package.json'), '{"name":"fwguard","type":"module"}');
  if (hook !== undefined) {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'hook.js'), hook);
  }
  return join(root, 'bin', 'run.js');
}

const run = (bin: string, args: string[], input = '') => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 20_000 });

describe('bin/run.js hook dispatch', () => {
  it('not built → exit 2 with a clear message', () => {
    const r = run(fakePackage('unbuilt'), ['hook', 'claude-code'], '{}');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/fwguard is not built.*npm install \/ npm run build/s);
  });

  // The fake package has no node_modules anywhere above it: had bin/run.js touched @oclif/core on
  // the hook path, the import would fail. So a clean run proves oclif is not loaded.
  it('runs dist/hook.js without loading oclif, passing argv and stdin', () => {
    const hook = `import { readFileSync } from 'node:fs';
process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), stdin: readFileSync(0, 'utf8') }));`;
    const bin = fakePackage('built', hook);
    const r = run(bin, ['hook', 'claude-code'], '{"x":1}');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ argv: ['hook', 'claude-code'], stdin: '{"x":1}' });
    // …while any other command does need oclif (and so fails in this bare copy).
    expect(run(bin, ['--help']).status).not.toBe(0);
  });

  it('a throwing or rejecting hook module exits 2, never 1', () => {
    expect(run(fakePackage('throws', "throw new Error('boom');"), ['hook', 'claude-code']).status).toBe(2);
    expect(run(fakePackage('rejects', "setTimeout(() => Promise.reject(new Error('late')), 1);"), ['hook', 'claude-code']).status).toBe(2);
    expect(run(fakePackage('syntax', 'this is not js'), ['hook', 'claude-code']).status).toBe(2);
  });
});

describe.skipIf(!existsSync(join(repo, 'dist', 'commands', 'check.js')))('bin/run.js oclif commands (built)', () => {
  it('--help lists the commands', () => {
    const r = run(join(repo, 'bin', 'run.js'), ['--help']);
    expect(r.status).toBe(0);
    for (const c of ['check', 'explain', 'init', 'doctor', 'rules', 'test', 'log', 'hook']) expect(r.stdout).toContain(c);
  });
  it('usage errors exit 3', () => {
    expect(run(join(repo, 'bin', 'run.js'), ['check', '--no-such-flag', '--', 'ls']).status).toBe(3);
  });
});
