#!/usr/bin/env node
// `npm run fuzz -- --runs N --seed S` (after `npm run build`): the fuzzing properties of
// test/fuzz/properties.ts, outside vitest and at scale, in-process against the built code.
//
//   - test/fuzz/properties.ts (and the grammar it uses) is bundled on the fly with esbuild into
//     node_modules/.cache/fwguard-fuzz/, its imports of src/ rewritten to dist/src/, so the
//     properties are the very ones vitest runs and the code under test is the build;
//   - one sandbox project (a fake HOME and a git repository, src/policy/sandbox.ts) is created
//     once and shared by worker threads (default: one per CPU, at most 4);
//   - N inputs are shared between the properties (their `share`) and the workers; each worker
//     runs its part in chunks of fast-check runs with seeds derived from S, so a run is
//     reproducible for a given N, S and worker count. A failure is shrunk (the first
//     --max-shrunk per property), recorded, and the property goes on with the next chunk;
//   - the engine is called as a long-lived caller would (a policy cache); the hook is called
//     as the hook is (no cache), with its trace off (FWGUARD_TRACE=0) unless --trace;
//   - git answers are memoized per argument list inside each worker (--no-git-cache to turn that
//     off): nothing is ever run, so the sandbox repository never changes and `git status` gives
//     the same answer every time, and spawning git was 90 % of the time. The decision code is
//     unchanged; the slowest-decision figure then leaves out repeated git spawns.
//
// Prints: inputs run, rate, failures (with the shrunk counterexample and the seed/path to replay
// it), hits of known issues (already regression tests in test/fuzz/found.test.ts), and the
// slowest single decision with its input. Exit code 1 when a property failed.
//
// Properties take turns chunk by chunk, so a run stopped by --minutes (a time limit: each worker
// stops before its next chunk once it has passed) has covered every property in proportion; the
// report then says it stopped early and how many inputs ran.
//
// Usage: node scripts/fuzz.mjs [--runs N] [--seed S] [--workers W] [--property SUBSTRING]
//                              [--max-shrunk K] [--chunk C] [--minutes M] [--trace] [--no-git-cache] [--json]
import childProcess from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { srcToDist } from './src-to-dist.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(root, 'node_modules/.cache/fwguard-fuzz/properties.mjs');

if (isMainThread) await main();
else await worker();

// ---------------------------------------------------------------------------------------------
// Main thread: arguments, bundle, sandbox, workers, report.

function parseArgs(argv) {
  const o = { runs: 10000, seed: 42, workers: Math.min(availableParallelism(), 4), property: '', maxShrunk: 5, chunk: 2000, minutes: 0, trace: false, gitCache: true, json: false };
  const num = (name, v, min) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) die(`${name} needs an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--runs') o.runs = num('--runs', value(), 1);
    else if (flag === '--seed') o.seed = num('--seed', value(), -2147483648);
    else if (flag === '--workers') o.workers = num('--workers', value(), 1);
    else if (flag === '--property') o.property = value() ?? '';
    else if (flag === '--max-shrunk') o.maxShrunk = num('--max-shrunk', value(), 0);
    else if (flag === '--chunk') o.chunk = num('--chunk', value(), 1);
    else if (flag === '--minutes') o.minutes = num('--minutes', value(), 1);
    else if (flag === '--trace') o.trace = true;
    else if (flag === '--no-git-cache') o.gitCache = false;
    else if (flag === '--json') o.json = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node scripts/fuzz.mjs [--runs N] [--seed S] [--workers W] [--property SUBSTRING] [--max-shrunk K] [--chunk C] [--minutes M] [--trace] [--no-git-cache] [--json]\n\nexamples:\n  npm run fuzz                                      # 10,000 inputs, seed 42\n  npm run fuzz -- --runs 1000000 --seed 7           # the long run (minutes on 2 cores)\n  npm run fuzz -- --runs 1000000 --minutes 60       # stop after an hour, report what ran\n  npm run fuzz -- --property planting --runs 50000  # one property');
      process.exit(0);
    } else die(`unknown argument ${a} (see --help)`);
  }
  return o;
}

function die(message) {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

/** Bundle test/fuzz/properties.ts with its src/ imports pointing at dist/src/. */
async function bundle() {
  const { build } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const toDist = srcToDist(root);
  await build({
    entryPoints: [join(root, 'test/fuzz/properties.ts')],
    outfile: BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [toDist],
    logLevel: 'error',
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  for (const f of ['dist/src/engine.js', 'dist/src/hook/main.js', 'dist/src/policy/sandbox.js', 'dist/src/shell/index.js']) {
    if (!existsSync(join(root, f))) die(`${f} is missing: run \`npm run build\` first`);
  }
  const log = (s) => process.stderr.write(s);
  await bundle();
  const { PROPERTIES } = await import(pathToFileURL(BUNDLE).href);
  const props = PROPERTIES.map((p, index) => ({ index, name: p.name, share: p.share })).filter((p) => p.name.includes(o.property));
  if (!props.length) die(`no property matches ${JSON.stringify(o.property)}`);
  const shareSum = props.reduce((s, p) => s + p.share, 0);
  // Inputs per property (rounded so they add up to N), then per worker.
  let left = o.runs;
  const plan = props.map((p, k) => {
    const n = k === props.length - 1 ? left : Math.round((o.runs * p.share) / shareSum);
    left -= n;
    return { ...p, runs: n };
  });
  const workers = Math.max(1, Math.min(o.workers, o.runs));
  const { createSandbox } = await import(pathToFileURL(join(root, 'dist/src/policy/sandbox.js')).href);
  const box = createSandbox();
  log(`fuzz: ${o.runs} inputs, seed ${o.seed}, ${workers} worker(s), sandbox ${box.root}\n`);
  for (const p of plan) log(`  ${p.runs.toString().padStart(9)}  ${p.name}\n`);

  const t0 = performance.now();
  o.stopAt = o.minutes ? Date.now() + o.minutes * 60_000 : 0;
  const progress = new Array(workers).fill(0);
  const results = [];
  let lastLog = t0;
  try {
    await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const share = plan.map((p) => ({ ...p, runs: Math.floor(p.runs / workers) + (w < p.runs % workers ? 1 : 0) }));
        return new Promise((res, rej) => {
          const wk = new Worker(fileURLToPath(import.meta.url), { workerData: { w, plan: share, seed: o.seed, box, opts: o } });
          wk.on('message', (m) => {
            if (m.type === 'progress') {
              progress[w] = m.done;
              const now = performance.now();
              if (now - lastLog > 10000) {
                lastLog = now;
                const done = progress.reduce((s, x) => s + x, 0);
                const rate = done / ((now - t0) / 1000);
                log(`  … ${done}/${o.runs} inputs, ${rate.toFixed(0)}/s, ETA ${((o.runs - done) / rate / 60).toFixed(1)} min\n`);
              }
            } else if (m.type === 'done') {
              results.push(m);
              res();
            }
          });
          wk.on('error', rej);
          wk.on('exit', (code) => (code === 0 ? res() : rej(new Error(`worker ${w} exited with ${code}`))));
        });
      }),
    );
  } finally {
    rmSync(box.root, { recursive: true, force: true });
  }
  const secs = (performance.now() - t0) / 1000;
  report(o, plan, results, secs, workers);
}

function report(o, plan, results, secs, workers) {
  const inputs = results.reduce((s, r) => s + r.inputs, 0);
  const decisions = results.reduce((s, r) => s + r.decisions, 0);
  const failures = results.flatMap((r) => r.failures);
  const internal = results.map((r) => r.internal).reduce((a, b) => ({ count: a.count + b.count, example: a.example || b.example, message: a.message || b.message }), { count: 0, example: '', message: '' });
  const slowest = results.map((r) => r.slowest).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, input: '' });
  const known = new Map();
  for (const r of results) for (const [id, n] of r.known) known.set(id, (known.get(id) ?? 0) + n);
  const perProperty = plan.map((p) => ({
    name: p.name,
    inputs: results.reduce((s, r) => s + (r.perProperty[p.index]?.inputs ?? 0), 0),
    failures: failures.filter((f) => f.property === p.name).length,
  }));
  const stopped = inputs < o.runs;
  const summary = {
    inputs,
    requested: o.runs,
    stoppedByTimeLimit: stopped,
    seed: o.seed,
    workers,
    seconds: Number(secs.toFixed(1)),
    inputsPerSecond: Number((inputs / secs).toFixed(0)),
    decisions,
    decisionsPerSecond: Number((decisions / secs).toFixed(0)),
    perProperty,
    failures,
    knownIssueHits: Object.fromEntries(known),
    internalErrors: internal,
    slowestDecision: { ms: Number(slowest.ms.toFixed(2)), kind: slowest.kind, input: slowest.input },
  };
  if (o.json) {
    console.log(JSON.stringify(summary, null, 2));
  } else {
    const out = [];
    if (stopped) out.push(`stopped by --minutes ${o.minutes}: ${inputs} of ${o.runs} inputs ran (every property in proportion)`);
    out.push(`inputs run: ${inputs} in ${secs.toFixed(1)} s (${summary.inputsPerSecond} inputs/s, ${decisions} decisions, ${summary.decisionsPerSecond} decisions/s, ${workers} worker(s), seed ${o.seed})`);
    for (const p of perProperty) out.push(`  ${p.inputs.toString().padStart(9)}  ${p.name}${p.failures ? `  — ${p.failures} failure(s)` : ''}`);
    out.push(`failures: ${failures.length}`);
    for (const f of failures) {
      out.push(`  [${f.property}] ${f.error}`);
      out.push(`    counterexample${f.shrunk ? ` (shrunk ${f.numShrinks}×)` : ' (not shrunk)'}: ${f.counterexample}`);
      out.push(`    replay: seed ${f.seed}, path "${f.path}"`);
    }
    out.push(`known issues hit (skipped regressions in test/fuzz/found.test.ts): ${known.size ? '' : 'none'}`);
    for (const [id, n] of known) out.push(`  ${n.toString().padStart(7)}×  ${id}`);
    out.push(`internal errors caught by the fail-closed boundary: ${internal.count}${internal.count ? ` — first on ${JSON.stringify(internal.example.slice(0, 300))}: ${internal.message.slice(0, 300)}` : ''}`);
    out.push(`slowest decision: ${slowest.ms.toFixed(2)} ms (${slowest.kind}) on ${JSON.stringify(slowest.input.length > 300 ? slowest.input.slice(0, 300) + '…' : slowest.input)}${slowest.input.length > 300 ? ` (${slowest.input.length} chars)` : ''}`);
    console.log(out.join('\n'));
  }
  process.exitCode = failures.length ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Worker: run its share of each property.

/** A 32-bit seed for (run seed, property, worker, chunk). */
function mix(...xs) {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h ^= x | 0;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 15;
  }
  return h | 0;
}

/** Memoize `git …` calls made with execFileSync (the engine's only child process). */
function memoizeGit() {
  const real = childProcess.execFileSync;
  const memo = new Map();
  childProcess.execFileSync = function (file, args, options) {
    if (file !== 'git' || !Array.isArray(args)) return real.call(this, file, args, options);
    const key = JSON.stringify([args, options?.encoding ?? null]);
    let hit = memo.get(key);
    if (!hit) {
      try {
        hit = { ok: real.call(this, file, args, options) };
      } catch (e) {
        hit = { err: e };
      }
      memo.set(key, hit);
    }
    if (hit.err) throw hit.err;
    return hit.ok;
  };
  syncBuiltinESMExports();
}

async function worker() {
  const { w, plan, seed, box, opts } = workerData;
  if (opts.gitCache) memoizeGit();
  const fc = (await import('fast-check')).default;
  const { evaluateProposalImpl } = await import(pathToFileURL(join(root, 'dist/src/engine.js')).href);
  const { runHook } = await import(pathToFileURL(join(root, 'dist/src/hook/main.js')).href);
  const P = await import(pathToFileURL(BUNDLE).href);

  const env = { HOME: box.home, PATH: process.env.PATH, XDG_CONFIG_HOME: box.home + '/.config' };
  // The same environment as the engine's (FWGUARD_STATE_DIR would move the protected state dir
  // and change decisions); the trace, when on, goes to the sandbox HOME's state dir.
  const hookEnv = { ...env, ...(opts.trace ? {} : { FWGUARD_TRACE: '0' }) };
  const policyCache = new Map();
  let decisions = 0;
  let slowest = { ms: 0, input: '', kind: '' };
  const timed = (kind, input, f) => {
    const t = performance.now();
    const r = f();
    const ms = performance.now() - t;
    decisions++;
    if (ms > slowest.ms) slowest = { ms, input, kind };
    return r;
  };
  // Internal errors are caught by the fail-closed boundary (deny), so no property fails on them,
  // but each one is a crash in the pipeline: counted and reported with an example.
  const internal = { count: 0, example: '', message: '' };
  const noteInternal = (input, message) => {
    if (internal.count++ === 0) Object.assign(internal, { example: input, message });
  };
  const pipe = {
    decide: (command) => {
      const d = timed('engine', command, () => evaluateProposalImpl({ kind: 'shell', command, cwd: box.project }, { home: box.home, env, policyCache }).decision);
      const r = d?.reasons?.find((x) => x.rule === 'internal.error');
      if (r) noteInternal(command, r.message);
      return d;
    },
    hook: (stdin) => {
      const r = timed('hook', stdin, () => runHook('claude-code', stdin, hookEnv));
      if (r?.stderr?.includes('internal.error')) noteInternal(stdin, r.stderr.trim());
      return r;
    },
    project: box.project,
  };

  // Warm up (module init, JIT, first config load) so the slowest-decision figure is steady state.
  for (let k = 0; k < 3; k++) {
    for (const line of ['ls -la', 'rm -rf ~', 'git status && npm test', "bash -c 'echo $(date)' | tee out.txt", 'cat <<EOF\nx\nEOF']) {
      pipe.decide(line);
      for (const shape of P.PAYLOAD_SHAPES) pipe.hook(JSON.stringify(P.payloadFor(shape, line, box.project)));
    }
  }
  decisions = 0;
  slowest = { ms: 0, input: '', kind: '' };
  internal.count = 0;

  let done = 0;
  const failures = [];
  const perProperty = {};
  // Properties take turns, one chunk each, until all are done or the time limit passes.
  const turns = plan.map((p) => ({ p, prop: P.PROPERTIES[p.index].make(pipe), left: p.runs, chunk: 0, shrunk: 0 }));
  for (const t of turns) perProperty[t.p.index] = { inputs: 0 };
  for (;;) {
    const open = turns.filter((t) => t.left > 0);
    if (!open.length || (opts.stopAt && Date.now() > opts.stopAt)) break;
    for (const t of open) {
      if (opts.stopAt && Date.now() > opts.stopAt) break;
      const { p, prop } = t;
      const n = Math.min(t.left, opts.chunk);
      const s = mix(seed, p.index, w, t.chunk++);
      const shrink = t.shrunk < opts.maxShrunk;
      const r = fc.check(prop, { numRuns: n, seed: s, endOnFailure: !shrink });
      const ran = r.failed ? r.numRuns : n;
      t.left -= ran;
      done += ran;
      perProperty[p.index].inputs += ran;
      if (r.failed) {
        if (shrink) t.shrunk++;
        const err = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance ?? r.error);
        failures.push({
          property: p.name,
          error: err.split('\n')[0].slice(0, 2000),
          counterexample: JSON.stringify(r.counterexample, (_k, v) => (typeof v === 'function' ? undefined : v)).slice(0, 4000),
          shrunk: shrink,
          numShrinks: r.numShrinks,
          seed: s,
          path: r.counterexamplePath ?? '',
        });
      }
      parentPort.postMessage({ type: 'progress', done });
    }
  }
  parentPort.postMessage({ type: 'done', inputs: done, decisions, failures, slowest, perProperty, known: [...P.knownHits], internal });
}
