// plugins/opencode/fwguard.js, loaded as OpenCode loads it (a V1 plugin module) and driven with the
// payloads OpenCode 1.18.33 handed the recorder plugin: it spawns the real `fwguard hook opencode`
// (bin/run.js → dist/hook.js), throws to block and fails closed when fwguard cannot be run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/decide.js';
import { loadFixture } from './helpers.js';

const BIN = new URL('../../bin/run.js', import.meta.url).pathname;
const PLUGIN = new URL('../../plugins/opencode/fwguard.js', import.meta.url).href;
const built = existsSync(new URL('../../dist/hook.js', import.meta.url));

type Hooks = Record<string, (input: Record<string, unknown>, output: Record<string, unknown>) => Promise<void>>;
const saved: Record<string, string | undefined> = {};
const setEnv = (k: string, v: string | undefined) => {
  if (!(k in saved)) saved[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
};

/** The captured before-call as OpenCode passes it to the plugin: (input, output). */
function captured(name: string, args?: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const p = loadFixture(name);
  return [{ tool: p.tool, sessionID: p.sessionID, callID: p.callID }, { args: args ?? p.args }];
}

describe.skipIf(!built)('OpenCode plugin (real hook process)', () => {
  let hooks: Hooks;
  let exports: string[];
  beforeAll(async () => {
    const b = sandbox();
    setEnv('HOME', b.home);
    setEnv('FWGUARD_STATE_DIR', mkdtempSync(join(b.root, 'state-')));
    setEnv('FWGUARD_BIN', BIN);
    setEnv('FWGUARD_SHIMS', undefined);
    // Interactive mode whatever the runner's CI says: an ask must reach the model as "ask the user" (CI turns it into a ci.ask deny).
    setEnv('FWGUARD_CI', '0');
    const mod = (await import(PLUGIN)) as Record<string, unknown>;
    exports = Object.keys(mod);
    hooks = (await (mod.FwguardPlugin as (ctx: unknown) => Promise<Hooks>)({ directory: b.project, worktree: b.project })) as Hooks;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('exports exactly one plugin function (OpenCode calls every exported function as a plugin)', () => {
    expect(exports).toEqual(['FwguardPlugin']);
  });
  it('the captured bash call runs (resolves)', async () => {
    await expect(hooks['tool.execute.before']!(...captured('opencode-1.18.33-bash.json'))).resolves.toBeUndefined();
  });
  it('rm -rf ~ throws with the rule (the message reaches the model)', async () => {
    await expect(hooks['tool.execute.before']!(...captured('opencode-1.18.33-bash.json', { command: 'rm -rf ~' }))).rejects.toThrow(/fs\.delete-recursive-critical/);
  });
  it('a write into .fwguardrc throws; an ask throws telling the model to ask the user', async () => {
    await expect(hooks['tool.execute.before']!(...captured('opencode-1.18.33-write.json', { filePath: '.fwguardrc', content: 'rules: []' }))).rejects.toThrow(/fs\.protected-path/);
    await expect(hooks['tool.execute.before']!(...captured('opencode-1.18.33-bash.json', { command: 'npm install left-pad' }))).rejects.toThrow(/ask the user.*npm install left-pad/);
  });
  it('under `fwguard run` with no broker answering, the spawned hook decides alone: still blocked', async () => {
    setEnv('FWGUARD_BROKER', join(sandbox().root, 'no-broker.sock'));
    setEnv('FWGUARD_BROKER_TOKEN', 'x');
    try {
      await expect(hooks['tool.execute.before']!(...captured('opencode-1.18.33-bash.json', { command: 'rm -rf ~' }))).rejects.toThrow(/fs\.delete-recursive-critical/);
      await expect(hooks['tool.execute.before']!(...captured('opencode-1.18.33-bash.json'))).resolves.toBeUndefined();
    } finally {
      setEnv('FWGUARD_BROKER', undefined);
      setEnv('FWGUARD_BROKER_TOKEN', undefined);
    }
  });
  it('tool.execute.after never throws', async () => {
    const p = loadFixture('opencode-1.18.33-after-bash.json');
    await expect(hooks['tool.execute.after']!({ tool: p.tool, sessionID: p.sessionID, callID: p.callID, args: p.args }, {})).resolves.toBeUndefined();
  });
  it('fails closed: a missing fwguard, a fwguard that answers garbage or exits 1 all throw', async () => {
    const [i, o] = captured('opencode-1.18.33-bash.json');
    for (const bin of ['/nonexistent/fwguard', '/bin/echo', '/bin/false']) {
      setEnv('FWGUARD_BIN', bin);
      await expect(hooks['tool.execute.before']!(i, o)).rejects.toThrow(/\[fwguard internal\.error\]/);
    }
    setEnv('FWGUARD_BIN', BIN);
  });
  it('shell.env puts $FWGUARD_SHIMS first on PATH, once; nothing without it', async () => {
    const out: { env: Record<string, string> } = { env: { PATH: '/usr/bin' } };
    await hooks['shell.env']!({ cwd: '/' }, out);
    expect(out.env.PATH).toBe('/usr/bin');
    setEnv('FWGUARD_SHIMS', '/opt/fwguard/shims');
    await hooks['shell.env']!({ cwd: '/' }, out);
    await hooks['shell.env']!({ cwd: '/' }, out);
    expect(out.env.PATH).toBe('/opt/fwguard/shims:/usr/bin');
    setEnv('FWGUARD_SHIMS', undefined);
  });
});
