// Config discovery, layering and validation, on real files: the nearest config above the cwd wins
// and sets the project root; a user config sits below it; an invalid file denies everything.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { evaluateProposalImpl, stateDir, trustConfig } from '../../src/engine.js';

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
    // Untrusted: turning a rule off is loosening, so it is ignored and said.
    const ev = judge(w, 'p/sub', 'curl -d x=1 https://example.test');
    expect(ev.projectRoot).toBe(join(w.root, 'p'));
    expect(ev.decision.verdict).toBe('ask');
    expect(ev.notes?.join(' ')).toContain('not trusted');
    trustConfig(stateDir(w.env, w.home), join(w.root, 'p/package.json'));
    expect(judge(w, 'p/sub', 'curl -d x=1 https://example.test').decision.verdict).toBe('allow');
  });
  it('tiers: project < user < managed; an untrusted project config only tightens', () => {
    const w = world({
      'home/.config/fwguard/config.yaml': 'rules:\n  - id: pkg.add-dependency\n    verdict: deny\n  - id: net.send\n    verdict: allow\n',
      'proj/.fwguardrc.json': JSON.stringify({ rules: [{ id: 'net.send', verdict: 'deny' }, { id: 'deploy.change-state', verdict: 'allow' }], scope: { write: ['~/elsewhere'] }, ci: { ask: 'allow' } }),
    });
    // The user tier sits above the project tier.
    expect(judge(w, 'proj', 'npm install left-pad').decision.verdict).toBe('deny');
    expect(judge(w, 'proj', 'curl -d x=1 https://example.test').decision.verdict).toBe('allow');
    // The untrusted project's loosening entries are ignored…
    const ev = judge(w, 'proj', 'terraform apply');
    expect(ev.decision.verdict).toBe('ask');
    expect(ev.notes?.some((n) => n.includes('deploy.change-state'))).toBe(true);
    expect(ev.notes?.some((n) => n.includes('scope.write'))).toBe(true);
    expect(evaluateProposalImpl({ kind: 'shell', command: 'terraform apply', cwd: join(w.root, 'proj') }, { home: w.home, env: w.env, ci: true }).decision.verdict).toBe('deny');
    // …until the user trusts exactly these bytes; an edit un-trusts them.
    const file = join(w.root, 'proj/.fwguardrc.json');
    trustConfig(stateDir(w.env, w.home), file);
    expect(judge(w, 'proj', 'terraform apply').decision.verdict).toBe('allow');
    writeFileSync(file, JSON.stringify({ rules: [{ id: 'deploy.change-state', verdict: 'allow' }], agents: { opaque: 'allow' } }));
    expect(judge(w, 'proj', 'terraform apply').decision.verdict).toBe('ask');
  });
  it('a managed policy wins over every lower tier, and must be root-owned', () => {
    const w = world({
      'managed/policy.yaml': 'rules:\n  - id: net.send\n    verdict: deny\n',
      'home/.config/fwguard/config.yaml': 'rules:\n  - id: net.send\n    verdict: allow\n',
    });
    const env = { ...w.env, FWGUARD_MANAGED_DIR: join(w.root, 'managed') };
    // Not root-owned (or writable by others) → a config error: deny, naming the file.
    const insecure = evaluateProposalImpl({ kind: 'shell', command: 'ls', cwd: w.root }, { home: w.home, env: { ...env } });
    if (process.getuid?.() !== 0) {
      expect(insecure.decision.verdict).toBe('deny');
      expect(insecure.decision.reasons[0]!.message).toContain('owned by root');
    }
    const ok = evaluateProposalImpl({ kind: 'shell', command: 'curl -d x=1 https://example.test', cwd: w.root }, { home: w.home, env: { ...env, FWGUARD_MANAGED_INSECURE_OK: '1' } });
    expect(ok.decision.verdict).toBe('deny');
  });
  it('adds a user rule in the built-in vocabulary (a new deny rule tightens: no trust needed)', () => {
    const w = world({ '.fwguardrc.yaml': 'rules:\n  - id: team.no-kubectl-apply\n    when: { action: deploy, tool: kubectl }\n    verdict: deny\n    message: "kubectl changes go through CI; open a PR instead."\n' });
    const d = judge(w, '.', 'kubectl apply -f k8s/').decision;
    expect(d.verdict).toBe('deny');
    expect(d.reasons[0]!.rule).toBe('team.no-kubectl-apply');
    expect(judge(w, '.', 'helm upgrade x ./c').decision.verdict).toBe('ask');
  });
  it('extra protected paths and write scope', () => {
    const w = world({ 'proj/.fwguardrc.yaml': 'protect: ["infra/prod/**"]\nscope:\n  write: ["~/scratch"]\n' });
    trustConfig(stateDir(w.env, w.home), join(w.root, 'proj/.fwguardrc.yaml'));
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
    trustConfig(stateDir(w.env, w.home), join(w.root, 'b/.fwguardrc.yaml'));
    expect(evaluateProposalImpl({ kind: 'shell', command: 'npm i left-pad', cwd: join(w.root, 'a') }, { home: w.home, env: w.env, ci: true }).decision.verdict).toBe('deny');
    expect(evaluateProposalImpl({ kind: 'shell', command: 'npm i left-pad', cwd: join(w.root, 'b') }, { home: w.home, env: w.env, ci: true }).decision.verdict).toBe('allow');
  });
  it('strict preset asks about unknown programs', () => {
    const w = world({ '.fwguardrc.yaml': 'preset: strict\n' });
    expect(judge(w, '.', 'some-unknown-tool').decision.verdict).toBe('ask');
  });
});
