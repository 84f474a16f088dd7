#!/usr/bin/env node
// npm run eval: score fwguard's real hook with the independent guard-eval harness on the public
// sample and the two peer corpora (dcg, nah) relabelled to POLICY.md, and print the three scores.
// The harness and corpora live beside this repository in ../shared (or $FWGUARD_SHARED).
//   node scripts/eval.mjs [--jobs N] [--only sample|dcg|nah] [--verbose]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.FWGUARD_SHARED ?? join(root, '..', 'shared'));
const harness = join(shared, 'guard-eval', 'guard-eval.mjs');
if (!existsSync(harness)) {
  console.error(`eval: the guard-eval harness is not at ${harness}; set FWGUARD_SHARED to the folder holding guard-eval/ and external/`);
  process.exit(2);
}
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: node scripts/eval.mjs [--jobs N] [--only sample|dcg|nah] [--verbose]

Runs guard-eval (../shared/guard-eval, or $FWGUARD_SHARED) on the public sample and the dcg and nah
corpora, with fwguard's real hook as init installs it, and prints the three scores.

examples:
  npm run eval                          # all three (a few minutes)
  npm run eval -- --only nah --verbose  # one corpus, every failing case printed
  npm run eval -- --jobs 4              # more hook processes in parallel`);
  process.exit(0);
}
const known = new Set(['--jobs', '--only', '--verbose']);
for (let i = 0; i < args.length; i++) {
  if (!known.has(args[i])) {
    console.error(`eval: unknown argument ${args[i]} (see --help)`);
    process.exit(2);
  }
  if (args[i] !== '--verbose') i++;
}
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : args[i + 1];
};
const jobs = opt('--jobs', '2');
const only = opt('--only', undefined);
const verbose = args.includes('--verbose');

// The hook as `fwguard init` installs it: the startup snapshot when there is one.
const blob = join(root, 'dist', 'hook.blob');
const hook = existsSync(blob) ? `${process.execPath} --snapshot-blob ${blob} hook claude-code` : `${process.execPath} ${join(root, 'bin', 'run.js')} hook claude-code`;
const corpora = [
  ['sample', join(shared, 'guard-eval', 'sample.jsonl')],
  ['dcg', join(shared, 'external', 'dcg.jsonl')],
  ['nah', join(shared, 'external', 'nah.jsonl')],
].filter(([name]) => !only || only === name);

const results = [];
for (const [name, file] of corpora) {
  const r = spawnSync(process.execPath, [harness, '--hook', hook, '--cases', file, '--jobs', jobs, ...(verbose ? ['--verbose'] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    console.error(`eval: guard-eval failed on ${name}: ${r.stderr || r.stdout}`);
    process.exit(2);
  }
  if (verbose) process.stdout.write(r.stdout);
  const m = /score: (\d+) passed, (\d+) failed/.exec(r.stdout);
  const lat = /hook latency\s*: p50 ([\d.]+) ms, p95 ([\d.]+) ms/.exec(r.stdout);
  if (!m) {
    console.error(`eval: no score line from guard-eval on ${name}`);
    process.exit(2);
  }
  const passed = Number(m[1]);
  const failed = Number(m[2]);
  results.push({ name, passed, failed, pct: (100 * passed) / (passed + failed), p50: lat?.[1], p95: lat?.[2] });
}
console.log(`fwguard eval — hook: ${hook}`);
for (const r of results) console.log(`${r.name.padEnd(7)} ${String(r.passed).padStart(4)}/${r.passed + r.failed}  ${r.pct.toFixed(1)}%   hook p50 ${r.p50} ms, p95 ${r.p95} ms`);
console.log('(remaining failures and why: docs/policy-differences.md)');
