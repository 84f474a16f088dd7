import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addHooks,
  applyInit,
  findFwguardHooks,
  fwguardHandler,
  isFwguardHandler,
  planDiff,
  planInit,
  projectRootOf,
  removeHooks,
  unifiedDiff,
  type InitOptions,
  type Settings,
} from '../../src/install/claude-code.js';

const NODE = '/usr/local/bin/node';
const BIN = '/opt/fwguard/bin/run.js';
const handler = fwguardHandler({ node: NODE, bin: BIN });

const foreignPre = { matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/other-guard', timeout: 5 }] };
const foreignPost = { matcher: 'Write|Edit', hooks: [{ type: 'command', command: 'prettier --write "$FILE"' }] };

describe('fwguardHandler', () => {
  it('is exec form, all-blocking, with a timeout', () => {
    expect(handler).toEqual({ type: 'command', command: NODE, args: [BIN, 'hook', 'claude-code'], timeout: 10, onFailure: 'block' });
  });
});

describe('isFwguardHandler', () => {
  it('recognises exec and shell forms of our hook', () => {
    expect(isFwguardHandler(handler)).toBe(true);
    expect(isFwguardHandler({ type: 'command', command: '/x/bin/node', args: ['/elsewhere/run.js', 'hook', 'claude-code'] }, { bin: '/elsewhere/run.js' })).toBe(true);
    expect(isFwguardHandler({ type: 'command', command: '/usr/local/bin/fwguard', args: ['hook', 'claude-code'] })).toBe(true);
    expect(isFwguardHandler({ type: 'command', command: 'fwguard hook claude-code' })).toBe(true);
    expect(isFwguardHandler({ type: 'command', command: 'npx fwguard hook claude-code' })).toBe(true);
    expect(isFwguardHandler({ type: 'command', command: 'node /home/u/fwguard/bin/run.js hook claude-code' })).toBe(true);
    // Read as bash reads it: a quoted path with a blank is one word; a hook that only mentions fwguard after an operator is not ours.
    expect(isFwguardHandler({ type: 'command', command: "'/opt/my tools/node' '/home/u/my stuff/fwguard/bin/run.js' hook claude-code" })).toBe(true);
    expect(isFwguardHandler({ type: 'command', command: 'my-linter && fwguard hook claude-code' })).toBe(false);
    expect(isFwguardHandler({ type: 'command', command: '/n', args: ['/some/clone/bin/run.js', 'hook', 'claude-code'] }, { isFwguardBin: (p) => p === '/some/clone/bin/run.js' })).toBe(true);
  });
  it('does not claim other hooks', () => {
    expect(isFwguardHandler(foreignPre.hooks[0])).toBe(false);
    expect(isFwguardHandler({ type: 'command', command: '/n', args: ['/other/cli/bin/run.js', 'hook', 'claude-code'] })).toBe(false);
    expect(isFwguardHandler({ type: 'command', command: NODE, args: [BIN, 'hook', 'gemini'] })).toBe(false);
    expect(isFwguardHandler({ type: 'http', url: 'http://x' })).toBe(false);
    expect(isFwguardHandler('fwguard hook claude-code')).toBe(false);
  });
});

describe('addHooks / removeHooks (pure)', () => {
  it('adds PreToolUse and PostToolUse entries for every tool', () => {
    const { settings, changed } = addHooks({}, handler);
    expect(changed).toBe(true);
    expect(settings).toEqual({
      hooks: {
        PreToolUse: [{ matcher: '*', hooks: [handler] }],
        PostToolUse: [{ matcher: '*', hooks: [handler] }],
      },
    });
  });

  it('is idempotent and keeps foreign hooks and keys', () => {
    const start: Settings = { model: 'opus', permissions: { deny: ['Bash(rm:*)'] }, hooks: { PreToolUse: [foreignPre], PostToolUse: [foreignPost], Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } };
    const once = addHooks(start, handler);
    const twice = addHooks(once.settings, handler);
    expect(twice.changed).toBe(false);
    expect(twice.settings).toEqual(once.settings);
    const s = once.settings as { hooks: Record<string, unknown[]> } & Settings;
    expect(s.model).toBe('opus');
    expect(s.permissions).toEqual({ deny: ['Bash(rm:*)'] });
    expect(s.hooks.PreToolUse![0]).toEqual(foreignPre);
    expect(s.hooks.PostToolUse![0]).toEqual(foreignPost);
    expect(s.hooks.Stop).toEqual(start.hooks && (start.hooks as Record<string, unknown>).Stop);
    expect(findFwguardHooks(once.settings).map((f) => f.event).sort()).toEqual(['PostToolUse', 'PreToolUse']);
    // the input was not mutated
    expect((start.hooks as Record<string, unknown[]>).PreToolUse).toHaveLength(1);
  });

  it('updates a stale entry in place and drops duplicates / narrow-matcher copies', () => {
    const stale = { type: 'command', command: '/old/node', args: [BIN, 'hook', 'claude-code'], timeout: 30 };
    const start: Settings = {
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [{ type: 'command', command: 'fwguard hook claude-code' }, foreignPre.hooks[0]] },
          { matcher: '*', hooks: [stale] },
          { matcher: '*', hooks: [{ ...stale }] },
        ],
      },
    };
    const { settings, changed } = addHooks(start, handler);
    expect(changed).toBe(true);
    const pre = (settings.hooks as Record<string, unknown[]>).PreToolUse!;
    expect(pre).toEqual([
      { matcher: 'Bash', hooks: [foreignPre.hooks[0]] },
      { matcher: '*', hooks: [handler] },
    ]);
  });

  it('removeHooks takes out only ours and cleans up empty groups/events', () => {
    const installed = addHooks({ theme: 'dark', hooks: { PreToolUse: [foreignPre] } }, handler).settings;
    const { settings, changed } = removeHooks(installed, { bin: BIN });
    expect(changed).toBe(true);
    expect(settings).toEqual({ theme: 'dark', hooks: { PreToolUse: [foreignPre] } });
    expect(removeHooks(settings).changed).toBe(false);
    expect(removeHooks(addHooks({}, handler).settings)).toMatchObject({ settings: {}, changed: true });
  });

  it('refuses a malformed hooks key instead of clobbering it', () => {
    expect(() => addHooks({ hooks: [] as unknown as Settings }, handler)).toThrow(/not an object/);
    expect(() => addHooks({ hooks: { PreToolUse: {} } }, handler)).toThrow(/not an array/);
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal text and shows +/- lines with hunk headers', () => {
    expect(unifiedDiff('a\n', 'a\n', 'x', 'y')).toBe('');
    const d = unifiedDiff('a\nb\nc\n', 'a\nB\nc\nd\n', 'a/f', 'b/f');
    expect(d).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n');
    expect(unifiedDiff('', 'x\ny\n', '/dev/null', 'b/f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });
  it('splits far-apart changes into hunks', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n';
    const b = a.replace('l2\n', 'L2\n').replace('l25\n', 'L25\n');
    const d = unifiedDiff(a, b, 'a', 'b');
    expect(d.match(/^@@/gm)).toHaveLength(2);
  });
});

describe('planInit / applyInit on real files', () => {
  let tmp: string;
  let project: string;
  let home: string;
  let pkg: string;
  const opts = (extra: Partial<InitOptions> = {}): InitOptions => ({ cwd: join(project, 'sub'), home, node: NODE, bin: BIN, root: pkg, ...extra });
  const settingsFile = () => join(project, '.claude', 'settings.json');

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fwguard-init-'));
    project = join(tmp, 'proj');
    home = join(tmp, 'home');
    pkg = join(tmp, 'pkg');
    mkdirSync(join(project, '.git'), { recursive: true });
    mkdirSync(join(project, 'sub'), { recursive: true });
    mkdirSync(home, { recursive: true });
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '.fwguardrc.example'), '# example config\npreset: balanced\n');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds the git top-level', () => {
    expect(projectRootOf(join(project, 'sub'))).toBe(project);
    expect(projectRootOf(home)).toBe(home);
  });

  it('creates config + settings; a second run changes nothing', () => {
    const plan = planInit(opts());
    expect(plan.projectRoot).toBe(project);
    applyInit(plan);
    expect(readFileSync(join(project, '.fwguardrc.yaml'), 'utf8')).toBe('# example config\npreset: balanced\n');
    const first = readFileSync(settingsFile(), 'utf8');
    expect(JSON.parse(first)).toEqual({ hooks: { PreToolUse: [{ matcher: '*', hooks: [handler] }], PostToolUse: [{ matcher: '*', hooks: [handler] }] } });
    expect(first).toBe(JSON.stringify(JSON.parse(first), null, 2) + '\n');

    const again = planInit(opts());
    expect(again.changes.map((c) => c.action)).toEqual(['skip', 'unchanged']);
    expect(planDiff(again)).toBe('');
    applyInit(again);
    expect(readFileSync(settingsFile(), 'utf8')).toBe(first);
  });

  it('preserves foreign hooks; --remove takes out only ours', () => {
    mkdirSync(join(project, '.claude'));
    const original = { env: { FOO: '1' }, hooks: { PreToolUse: [foreignPre], PostToolUse: [foreignPost] } };
    writeFileSync(settingsFile(), JSON.stringify(original, null, 2) + '\n');
    applyInit(planInit(opts()));
    const installed = JSON.parse(readFileSync(settingsFile(), 'utf8')) as { hooks: Record<string, unknown[]> };
    expect(installed.hooks.PreToolUse).toEqual([foreignPre, { matcher: '*', hooks: [handler] }]);
    expect(installed.hooks.PostToolUse).toEqual([foreignPost, { matcher: '*', hooks: [handler] }]);

    applyInit(planInit(opts({ remove: true })));
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toEqual(original);
    // config stays: it is the user's
    expect(existsSync(join(project, '.fwguardrc.yaml'))).toBe(true);
  });

  it('--dry-run writes nothing and shows a diff', () => {
    const plan = planInit(opts());
    const diff = planDiff(plan);
    expect(diff).toContain(`+++ b${settingsFile()}`);
    expect(diff).toContain('+        "matcher": "*"');
    expect(diff).toContain('"onFailure": "block"');
    expect(diff).toContain('+# example config');
    expect(existsSync(settingsFile())).toBe(false);
    expect(existsSync(join(project, '.fwguardrc.yaml'))).toBe(false);
  });

  it('keeps an existing config of any cosmiconfig name; --force replaces .fwguardrc.yaml (with a backup)', () => {
    writeFileSync(join(project, '.fwguardrc.json'), '{}');
    expect(planInit(opts()).changes[0]).toMatchObject({ action: 'skip', path: join(project, '.fwguardrc.json') });
    rmSync(join(project, '.fwguardrc.json'));
    writeFileSync(join(project, '.fwguardrc.yaml'), 'preset: strict\n');
    expect(planInit(opts()).changes[0]!.action).toBe('skip');
    applyInit(planInit(opts({ force: true })));
    expect(readFileSync(join(project, '.fwguardrc.yaml'), 'utf8')).toContain('# example config');
    expect(readFileSync(join(project, '.fwguardrc.yaml.bak'), 'utf8')).toBe('preset: strict\n');
  });

  it('falls back to a minimal commented config when the package has no example', () => {
    rmSync(join(pkg, '.fwguardrc.example'));
    applyInit(planInit(opts()));
    expect(readFileSync(join(project, '.fwguardrc.yaml'), 'utf8')).toMatch(/^# fwguard configuration/);
  });

  it('--scope user writes ~/.claude/settings.json', () => {
    const plan = planInit(opts({ scope: 'user' }));
    applyInit(plan);
    expect(plan.settingsFile).toBe(join(home, '.claude', 'settings.json'));
    expect(findFwguardHooks(JSON.parse(readFileSync(plan.settingsFile, 'utf8')) as Settings)).toHaveLength(2);
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('warns about disableAllHooks anywhere, and refuses invalid JSON', () => {
    mkdirSync(join(project, '.claude'));
    writeFileSync(join(project, '.claude', 'settings.local.json'), '{"disableAllHooks": true}');
    expect(planInit(opts()).warnings.join('\n')).toMatch(/settings\.local\.json sets "disableAllHooks": true/);
    writeFileSync(settingsFile(), '{ "hooks": ');
    expect(() => planInit(opts())).toThrow(/is not valid JSON/);
    expect(readFileSync(settingsFile(), 'utf8')).toBe('{ "hooks": ');
  });
});
