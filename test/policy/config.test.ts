// Config discovery, layering and validation, on real files: the nearest config above the cwd wins
// and sets the project root; a user config sits below it; an invalid file denies everything.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { evaluateProposalImpl } from '../../src/engine.js';

const base = mkdtempSync(join(homedir(), '.cache', 'fwguard-config-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function world(files: Record<string, string>) {
  const root = mkdtempSync(join(base, 'w-'));
  for (const [f, c] of Object.entries(files)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), c);
  }
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  return { root, home, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } };
}

const judge = (w: ReturnType<typeof world>, cwd: string, command: string) =>
  evaluateProposalImpl({ kind: 'shell', command, cwd: join(w.root, cwd) }, { home: w.home, env: w.env });

describe('config', () => {
  it('finds the nearest .fwguardrc.yaml above the cwd; its folder is the project root', () => {
    const w = world({ 'app/.fwguardrc.yaml': 'rules:\n  - id: deploy.change-state\n    verdict: deny\n', 'app/src/x.ts': '' });
    const ev = judge(w, 'app/src', 'terraform apply');
    expect(ev.projectRoot).toBe(join(w.root, 'app'));
    expect(ev.decision.verdict).toBe('deny');
    expect(ev.configFiles).toEqual([join(w.root, 'app/.fwguardrc.yaml')]);
  });
  it('reads package.json#fwguard, and skips a package.json without the key', () => {
    const w = world({ 'p/package.json': JSON.stringify({ name: 'p', fwguard: { rules: [{ id: 'net.send', verdict: 'off' }] } }), 'p/sub/package.json': '{"name":"sub"}' });
    const ev = judge(w, 'p/sub', 'curl -d x=1 https://example.test');
    expect(ev.decision.verdict).toBe('allow');
    expect(ev.projectRoot).toBe(join(w.root, 'p'));
  });
  it('layers the user config below the project config', () => {
    const w = world({ 'home/.config/fwguard/config.yaml': 'rules:\n  - id: pkg.add-dependency\n    verdict: deny\n  - id: net.send\n    verdict: deny\n', 'proj/.fwguardrc.json': JSON.stringify({ rules: [{ id: 'net.send', verdict: 'ask' }] }) });
    expect(judge(w, 'proj', 'npm install left-pad').decision.verdict).toBe('deny');
    expect(judge(w, 'proj', 'curl -d x=1 https://example.test').decision.verdict).toBe('ask');
  });
  it('adds a user rule in the built-in vocabulary', () => {
    const w = world({ '.fwguardrc.yaml': 'rules:\n  - id: team.no-kubectl-apply\n    when: { action: deploy, tool: kubectl }\n    verdict: deny\n    message: "kubectl changes go through CI; open a PR instead."\n' });
    const d = judge(w, '.', 'kubectl apply -f k8s/').decision;
    expect(d.verdict).toBe('deny');
    expect(d.reasons[0]!.rule).toBe('team.no-kubectl-apply');
    expect(judge(w, '.', 'helm upgrade x ./c').decision.verdict).toBe('ask');
  });
  it('extra protected paths and write scope', () => {
    const w = world({ 'proj/.fwguardrc.yaml': 'protect: ["infra/prod/**"]\nscope:\n  write: ["~/scratch"]\n' });
    expect(judge(w, 'proj', 'echo x > infra/prod/main.tf').decision.verdict).toBe('deny');
    expect(judge(w, 'proj', 'echo x > ~/scratch/a.txt').decision.verdict).toBe('allow');
    expect(judge(w, 'proj', 'echo x > ~/elsewhere.txt').decision.verdict).toBe('ask');
  });
  it.each([
    ['.fwguardrc.yaml', 'rules:\n  - id: git.push-protected\n    verdict: block\n', 'rules[0].verdict: expected one of "allow", "ask", "deny", "off", got "block"'],
    ['.fwguardrc.json', '{"preset": "paranoid"}', 'preset'],
    ['.fwguardrc.json', '{"rulez": []}', 'unknown key "rulez"'],
    ['.fwguardrc.yaml', 'rules: [\n', '.fwguardrc.yaml'],
    ['.fwguardrc.yaml', 'rules:\n  - id: no.such-rule\n    verdict: deny\n', 'not a built-in rule id'],
    ['.fwguardrc.yaml', 'rules:\n  - id: x.y\n    when: { action: deploy }\n    verdict: deny\n', 'needs a message'],
  ])('an invalid %s denies every command and names the problem (%s)', (file, content, needle) => {
    const w = world({ [file]: content });
    const ev = judge(w, '.', 'ls');
    expect(ev.decision.verdict).toBe('deny');
    expect(ev.decision.reasons[0]!.rule).toBe('config.invalid');
    expect(ev.decision.reasons[0]!.message).toContain(needle);
    expect(ev.configError).toBeDefined();
  });
  it('CI turns ask into deny per ci.ask, and ci.ask: allow lets it through', () => {
    const w = world({ 'a/.fwguardrc.yaml': 'preset: balanced\n', 'b/.fwguardrc.yaml': 'ci:\n  ask: allow\n' });
    expect(evaluateProposalImpl({ kind: 'shell', command: 'npm i left-pad', cwd: join(w.root, 'a') }, { home: w.home, env: w.env, ci: true }).decision.verdict).toBe('deny');
    expect(evaluateProposalImpl({ kind: 'shell', command: 'npm i left-pad', cwd: join(w.root, 'b') }, { home: w.home, env: w.env, ci: true }).decision.verdict).toBe('allow');
  });
  it('strict preset asks about unknown programs', () => {
    const w = world({ '.fwguardrc.yaml': 'preset: strict\n' });
    expect(judge(w, '.', 'some-unknown-tool').decision.verdict).toBe('ask');
  });
});
