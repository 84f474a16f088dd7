// A person's broader approvals, through the real engine on real files: `s` (session allowances
// in session memory) and `a` (an allow rule with `overrides` in the user config), and the
// `dryRunFirst` rule field. Approvals lift matching asks only: never a deny, never another scope.
import { describe, expect, it, vi, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { decide } from '../../src/core/decide.js';
import { evaluateProposalImpl } from '../../src/engine.js';
import { readSession, updateSession } from '../../src/session/store.js';
import { recordAllowance } from '../../src/session/state.js';
import { appendUserRules, proposeAlwaysRule, proposeSessionAllowance, userConfigFile } from '../../src/ui/approval.js';
import { askPerson, canPrompt } from '../../src/ui/ask.js';
import { highlight } from '../../src/ui/highlight.js';
import { put, world, type World } from '../exec/repo.js';

// Ink renders nothing interactive while this process has CI set (is-in-ci), and canPrompt refuses
// then: these tests draw the prompt, so the runner's own CI=true (CI runs npm test with it) is
// hidden from them. What CI does to the prompt is tested with explicit CI envs below and in tmux.
beforeAll(() => {
  vi.stubEnv('CI', '0');
  vi.stubEnv('CONTINUOUS_INTEGRATION', '0');
});
afterAll(() => vi.unstubAllEnvs());

const judge = (w: World, command: string, session?: string) => decide({ kind: 'shell', command, cwd: w.project, ...(session ? { session } : {}) }, { env: w.env, ci: false, backup: false, trace: false });

function draftsWorld(): World {
  const w = world();
  put(join(w.project, 'drafts/a.md'), 'a');
  put(join(w.project, 'drafts/deep/b.md'), 'b');
  put(join(w.project, 'scratch/c.md'), 'c');
  return w;
}

describe('session allowances (the prompt\'s s)', () => {
  it('proposes a scope relative to the project: a directory covers what is below it, a file itself', () => {
    const w = draftsWorld();
    const d = judge(w, 'rm -rf drafts notes.md').decision;
    expect(d.verdict).toBe('ask');
    const offer = proposeSessionAllowance(d, w.project);
    expect(offer).toMatchObject({ label: 'rm under drafts/**, rm of notes.md' });
    expect(proposeSessionAllowance(judge(w, `rm -rf ${w.home}/elsewhere`).decision, w.project)).toMatchObject({ unavailable: expect.stringMatching(/outside the project/) });
    expect(proposeSessionAllowance(judge(w, 'rm -rf "$X"').decision, w.project)).toMatchObject({ unavailable: expect.stringMatching(/not known/) });
    expect(proposeSessionAllowance(judge(w, 'eval "$CMD"').decision, w.project)).toMatchObject({ unavailable: expect.stringMatching(/cannot be scoped/) });
  });

  it('turns matching asks into allow for that session only; other scopes, sessions and denies are untouched', () => {
    const w = draftsWorld();
    const offer = proposeSessionAllowance(judge(w, 'rm -rf drafts').decision, w.project);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    updateSession(w.state, 's1', (s) => offer.entries.reduce((acc, e) => recordAllowance(acc, e, Date.now()), s));
    const same = judge(w, 'rm -rf drafts/deep', 's1').decision;
    expect(same.verdict).toBe('allow');
    expect(same.reasons.find((r) => r.rule === 'fs.delete-unsaved-work')?.message).toMatch(/approved: allowed for this session: rm under drafts\/\*\*/);
    expect(judge(w, 'rm -rf drafts', 's1').decision.verdict).toBe('allow');
    // Look-alikes that must still ask: another scope, a sibling whose name starts the same, another session, no session.
    expect(judge(w, 'rm -rf scratch', 's1').decision.verdict).toBe('ask');
    put(join(w.project, 'drafts-old/x.md'), 'x');
    expect(judge(w, 'rm -rf drafts-old', 's1').decision.verdict).toBe('ask');
    expect(judge(w, 'rm -rf drafts drafts-old', 's1').decision.verdict).toBe('ask');
    expect(judge(w, 'rm -rf drafts/deep', 's2').decision.verdict).toBe('ask');
    expect(judge(w, 'rm -rf drafts/deep').decision.verdict).toBe('ask');
    // Another action type on the same scope is not covered.
    expect(judge(w, 'echo x > drafts/a.md', 's1').decision.verdict).toBe('ask');
    // A deny is never lifted: protected paths stay denied even inside an allowed scope.
    updateSession(w.state, 's1', (s) => recordAllowance(s, { action: 'file.write', root: w.project, glob: '.git/**', label: 'write under .git/**' }, Date.now()));
    expect(judge(w, 'touch .git/hooks/pre-commit', 's1').decision.verdict).toBe('deny');
  });

  it('names with glob characters are scoped literally', () => {
    const w = draftsWorld();
    put(join(w.project, 'a[1].md'), 'x');
    put(join(w.project, 'a1.md'), 'y');
    const offer = proposeSessionAllowance(judge(w, "rm 'a[1].md'").decision, w.project);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    updateSession(w.state, 'gl', (s) => offer.entries.reduce((acc, e) => recordAllowance(acc, e, Date.now()), s));
    expect(judge(w, "rm 'a[1].md'", 'gl').decision.verdict).toBe('allow');
    expect(judge(w, 'rm a1.md', 'gl').decision.verdict).toBe('ask');
  });

  it('actions without paths are scoped by program and by the asks seen: any package.add by npm, not by pip, not global', () => {
    const w = draftsWorld();
    const offer = proposeSessionAllowance(judge(w, 'npm install left-pad').decision, w.project);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    expect(offer.label).toBe('any package.add by npm');
    updateSession(w.state, 'pk', (s) => offer.entries.reduce((acc, e) => recordAllowance(acc, e, Date.now()), s));
    expect(judge(w, 'npm install is-odd', 'pk').decision.verdict).toBe('allow');
    expect(judge(w, 'pip install requests', 'pk').decision.verdict).toBe('ask');
    // The person approved the ask they saw (a new dependency), not a global install.
    expect(judge(w, 'npm install -g is-odd', 'pk').decision.verdict).toBe('ask');
  });

  it('never lifts the loop breaker (session memory asks stay asks)', () => {
    const w = draftsWorld();
    updateSession(w.state, 's3', (s) => ({ ...recordAllowance(s, { action: 'file.delete', root: w.project, glob: 'drafts/**', label: 'rm under drafts/**' }, Date.now()), tripped: { at: Date.now(), reason: 'test' } }));
    const d = judge(w, 'rm -rf drafts', 's3').decision;
    expect(d.verdict).toBe('ask');
    expect(d.reasons.some((r) => r.rule === 'session.loop-breaker' && r.verdict === 'ask')).toBe(true);
  });
});

describe('always allow (the prompt\'s a): a rule in the user config', () => {
  it('creates the user config with a validated rule that lifts exactly that scope', () => {
    const w = draftsWorld();
    const offer = proposeAlwaysRule(judge(w, 'rm -rf drafts').decision, w.project);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    expect(offer.rules[0]).toMatchObject({ verdict: 'allow', overrides: ['fs.delete-unsaved-work'], when: { action: 'file.delete', paths: { path: { glob: `${w.project}/drafts/**` } } } });
    const file = appendUserRules(w.env, offer.rules);
    expect(file).toBe(join(w.home, '.config/fwguard/config.yaml'));
    expect(existsSync(join(w.project, '.fwguardrc.yaml'))).toBe(false);
    const ev = (c: string) => evaluateProposalImpl({ kind: 'shell', command: c, cwd: w.project }, { env: w.env }).decision;
    expect(ev('rm -rf drafts').verdict).toBe('allow');
    expect(ev('rm -rf drafts/deep').verdict).toBe('allow');
    expect(ev('rm -rf drafts').reasons.map((r) => r.rule)).toContain(offer.rules[0]!.id);
    expect(ev('rm -rf scratch').verdict).toBe('ask');
    expect(ev('rm -rf drafts scratch').verdict).toBe('ask');
    // Idempotent: the same rule is not appended twice.
    appendUserRules(w.env, offer.rules);
    expect(readFileSync(file, 'utf8').match(/user\.always\./g)).toHaveLength(1);
  });

  it('concurrent appends from several processes lose no rule (lock file)', async () => {
    const w = draftsWorld();
    const { spawn } = await import('node:child_process');
    const src = new URL('../../src/ui/approval.ts', import.meta.url).pathname;
    const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
    const runs = Array.from({ length: 6 }, (_, k) =>
      new Promise<number | null>((res) => {
        const code = `import { appendUserRules } from ${JSON.stringify(src)}; appendUserRules(process.env, [{ id: 'user.t${k}', when: { action: 'deploy' }, verdict: 'allow', message: 'm' }]);`;
        spawn(tsx, ['-e', code], { env: { ...w.env, PATH: process.env.PATH ?? '' }, stdio: 'ignore' }).on('exit', res);
      }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0, 0, 0]);
    const ids = (readFileSync(userConfigFile(w.env).file, 'utf8').match(/user\.t\d/g) ?? []).sort();
    expect(ids).toEqual(['user.t0', 'user.t1', 'user.t2', 'user.t3', 'user.t4', 'user.t5']);
  }, 60_000);

  it('appends to an existing YAML config keeping its comments, and to a JSON config', () => {
    const w = draftsWorld();
    const yaml = join(w.home, '.config/fwguard/config.yaml');
    put(yaml, '# my settings\nci:\n  ask: deny\nrules:\n  # keep me\n  - id: team.no-x\n    when: { action: deploy }\n    verdict: deny\n    message: no deploys\nbudgets:\n  deploy: { max: 2, window: 1h }\n');
    const offer = proposeAlwaysRule(judge(w, 'rm -rf drafts').decision, w.project);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    appendUserRules(w.env, offer.rules);
    const text = readFileSync(yaml, 'utf8');
    expect(text).toContain('# keep me');
    expect(text).toContain('budgets:\n  deploy: { max: 2, window: 1h }');
    expect(evaluateProposalImpl({ kind: 'shell', command: 'rm -rf drafts', cwd: w.project }, { env: w.env }).decision.verdict).toBe('allow');
    expect(evaluateProposalImpl({ kind: 'shell', command: 'kubectl apply -f x', cwd: w.project }, { env: w.env }).decision.verdict).toBe('deny');

    const w2 = draftsWorld();
    const json = join(w2.home, '.config/fwguard/config.json');
    put(json, '{"ci":{"ask":"deny"}}');
    const o2 = proposeAlwaysRule(judge(w2, 'rm -rf drafts').decision, w2.project);
    if ('unavailable' in o2) throw new Error(o2.unavailable);
    appendUserRules(w2.env, o2.rules);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ ci: { ask: 'deny' }, rules: [{ verdict: 'allow' }] });
  });

  it('refuses to touch a user config that does not validate, and never lifts a deny', () => {
    const w = draftsWorld();
    const offer = proposeAlwaysRule(judge(w, 'rm -rf drafts').decision, w.project);
    if ('unavailable' in offer) throw new Error(offer.unavailable);
    const bad = join(w.home, '.config/fwguard/config.yaml');
    put(bad, 'rules:\n  - id: x\n    verdict: block\n');
    expect(() => appendUserRules(w.env, offer.rules)).toThrow(/rules\[0\]\.verdict/);
    expect(readFileSync(bad, 'utf8')).toBe('rules:\n  - id: x\n    verdict: block\n');
    expect(proposeAlwaysRule(judge(w, 'touch .git/hooks/x').decision, w.project)).toMatchObject({ unavailable: expect.any(String) });
    // A hand-written overrides rule cannot lift a deny either.
    writeFileSync(bad, `rules:\n  - id: me.lift\n    when: { action: file.write, paths: { path: { glob: "${w.project}/.git/**" } } }\n    verdict: allow\n    overrides: [fs.protected-path]\n    message: test\n`);
    expect(evaluateProposalImpl({ kind: 'shell', command: 'touch .git/hooks/x', cwd: w.project }, { env: w.env }).decision.verdict).toBe('deny');
  });

  it('a managed policy\'s ask is never lifted by a person\'s approvals (user rule or session)', () => {
    const w = draftsWorld();
    const managed = join(w.root, 'managed');
    put(join(managed, 'policy.yaml'), 'rules:\n  - id: fs.delete-unsaved-work\n    verdict: ask\n');
    const env = { ...w.env, FWGUARD_MANAGED_DIR: managed, FWGUARD_MANAGED_INSECURE_OK: '1' };
    const d = decide({ kind: 'shell', command: 'rm -rf drafts', cwd: w.project, session: 'm1' }, { env, ci: false, backup: false, trace: false }).decision;
    const offer = proposeAlwaysRule(d, w.project);
    const session = proposeSessionAllowance(d, w.project);
    if ('unavailable' in offer || 'unavailable' in session) throw new Error('no offer');
    appendUserRules(env, offer.rules);
    updateSession(w.state, 'm1', (s) => session.entries.reduce((acc, e) => recordAllowance(acc, e, Date.now()), s));
    expect(decide({ kind: 'shell', command: 'rm -rf drafts', cwd: w.project, session: 'm1' }, { env, ci: false, backup: false, trace: false }).decision.verdict).toBe('ask');
    // The same approvals without the managed policy do lift it.
    expect(decide({ kind: 'shell', command: 'rm -rf drafts', cwd: w.project, session: 'm1' }, { env: w.env, ci: false, backup: false, trace: false }).decision.verdict).toBe('allow');
  });

  it('an untrusted project config cannot use overrides (it would loosen the policy)', () => {
    const w = draftsWorld();
    put(join(w.project, '.fwguardrc.yaml'), `rules:\n  - id: proj.lift\n    when: { action: file.delete }\n    verdict: allow\n    overrides: [fs.delete-unsaved-work]\n    message: lifted\n`);
    const ev = evaluateProposalImpl({ kind: 'shell', command: 'rm -rf drafts', cwd: w.project }, { env: w.env });
    expect(ev.decision.verdict).toBe('ask');
    expect(ev.notes?.join('\n')).toMatch(/proj\.lift \(overrides fs\.delete-unsaved-work\)/);
  });
});

describe('dryRunFirst', () => {
  it('is carried from a config rule into the decision reasons', () => {
    const w = draftsWorld();
    put(join(w.home, '.config/fwguard/config.yaml'), 'rules:\n  - id: fs.delete-unsaved-work\n    verdict: ask\n    dryRunFirst: true\n  - id: me.push-ask\n    when: { action: git.push }\n    verdict: ask\n    dryRunFirst: true\n    message: preview pushes\n');
    const d = evaluateProposalImpl({ kind: 'shell', command: 'rm -rf drafts && git push origin main', cwd: w.project }, { env: w.env }).decision;
    expect(d.reasons.filter((r) => r.dryRunFirst).map((r) => r.rule).sort()).toEqual(['fs.delete-unsaved-work', 'me.push-ask']);
    expect(evaluateProposalImpl({ kind: 'shell', command: 'rm -rf build', cwd: w.project }, { env: w.env }).decision.reasons.some((r) => r.dryRunFirst)).toBe(false);
  });
});

describe('canPrompt / askPerson without a person', () => {
  it('never prompts under CI, --ci or without a terminal, and askPerson then denies', async () => {
    const w = draftsWorld();
    const tty = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined }) as unknown as NodeJS.ReadStream;
    const out = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    expect(canPrompt({ TERM: 'xterm' }, tty, out)).toBe(true);
    expect(canPrompt({ TERM: 'xterm', CI: 'true' }, tty, out)).toBe(false);
    expect(canPrompt({ TERM: 'xterm', FWGUARD_CI: '1' }, tty, out)).toBe(false);
    // This process under CI: Ink would draw nothing, so no prompt even if FWGUARD_CI=0 says otherwise.
    vi.stubEnv('CI', 'true');
    expect(canPrompt({ TERM: 'xterm', FWGUARD_CI: '0' }, tty, out)).toBe(false);
    vi.stubEnv('CI', '0');
    expect(canPrompt({ TERM: 'xterm' }, tty, out, { ci: true })).toBe(false);
    expect(canPrompt({ TERM: 'xterm' }, new PassThrough() as unknown as NodeJS.ReadStream, out)).toBe(false);
    expect(canPrompt({ TERM: 'dumb' }, tty, out)).toBe(false);
    const d = judge(w, 'rm -rf drafts');
    const a = await askPerson({ proposal: { kind: 'shell', command: 'rm -rf drafts', cwd: w.project }, decision: d.decision, projectRoot: w.project }, { env: { ...w.env, CI: 'true' }, stdin: tty, stdout: out });
    expect(a.kind).toBe('deny');
    expect(existsSync(join(w.project, 'drafts/a.md'))).toBe(true);
    expect(readSession(w.state, 'none')).toBeUndefined();
    expect(userConfigFile(w.env).exists).toBe(false);
  });
});

describe('highlight', () => {
  it('styles programs, options, strings, variables and operators, and loses no text', () => {
    const line = `FOO=1 sudo rm -rf "$DIR/x" && git push -f origin 'main' | tee log # done`;
    const t = highlight(line);
    expect(t.map((x) => x.text).join('')).toBe(line);
    const style = (text: string) => t.find((x) => x.text === text)?.style;
    expect(style('sudo')).toBe('program');
    expect(style('rm')).toBe('program');
    expect(style('git')).toBe('program');
    expect(style('tee')).toBe('program');
    expect(style('-rf')).toBe('option');
    expect(style("'main'")).toBe('string');
    expect(style('&&')).toBe('operator');
    expect(style('origin')).toBe('plain');
    expect(style('# done')).toBe('comment');
  });
});
