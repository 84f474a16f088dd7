// Decisions through the whole real pipeline (unbash parser, readers, real files and git).
import { afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { createSandbox, type Sandbox } from '../../src/policy/sandbox.js';
import { evaluateProposalImpl } from '../../src/engine.js';
import type { Decision, Proposal } from '../../src/types.js';

let box: Sandbox | undefined;

export function sandbox(): Sandbox {
  if (!box) {
    box = createSandbox();
    afterAll(() => {
      if (box) rmSync(box.root, { recursive: true, force: true });
      box = undefined;
    });
  }
  return box;
}

export function envFor(b: Sandbox): Record<string, string | undefined> {
  return { HOME: b.home, PATH: process.env.PATH, XDG_CONFIG_HOME: b.home + '/.config' };
}

export function decide(command: string, opts: { cwd?: string; ci?: boolean } = {}): Decision {
  const b = sandbox();
  const cwd = opts.cwd ? opts.cwd.replace('{HOME}', b.home).replace('{PROJECT}', b.project) : b.project;
  return evaluateProposalImpl({ kind: 'shell', command, cwd }, { home: b.home, env: envFor(b), ...(opts.ci ? { ci: true } : {}) }).decision;
}

export function decideProposal(p: Omit<Proposal, 'cwd'> & { cwd?: string }): Decision {
  const b = sandbox();
  const fix = (s?: string) => s?.replace('{HOME}', b.home).replace('{PROJECT}', b.project);
  return evaluateProposalImpl({ ...p, cwd: fix(p.cwd) ?? b.project, ...(p.path ? { path: fix(p.path)! } : {}) } as Proposal, { home: b.home, env: envFor(b) }).decision;
}

/** allow / ask / deny, with "none" for an allowed opaque line (what an agent would see). */
export function outcome(d: Decision): 'allow' | 'none' | 'ask' | 'deny' {
  if (d.verdict === 'allow' && d.opaque) return 'none';
  return d.verdict;
}
