#!/usr/bin/env node
// Installs the real agent clients pinned in test/e2e/clients.json from the npm registry into
// .cache/e2e-clients/<agent>-<version>/ (ignored by git), once: a folder that already holds the
// pinned binary is kept. npm is the only thing here that reaches the network; the clients
// themselves are only ever started inside a loopback-only namespace (scripts/e2e/netns.sh).
//
//   node scripts/e2e/install-clients.mjs            # every pinned client
//   node scripts/e2e/install-clients.mjs codex      # just one
//   node scripts/e2e/install-clients.mjs --list     # where each one is (or would be)
//
// Notes: the version is always named explicitly (on Node 20 a bare @anthropic-ai/claude-code
// silently resolves to 2.1.197, the last release whose "engines" accepts Node 20);
// --ignore-scripts skips postinstall steps that only copy a native binary we run directly;
// --engine-strict=false turns the Node-version mismatch into a warning.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PINS = JSON.parse(readFileSync(join(ROOT, 'test/e2e/clients.json'), 'utf8'));
const CACHE = process.env.FWGUARD_E2E_CACHE ?? join(ROOT, '.cache/e2e-clients');

const agents = Object.keys(PINS).filter((k) => !k.startsWith('$'));
const args = process.argv.slice(2);
const list = args.includes('--list');
const wanted = args.filter((a) => !a.startsWith('--'));
for (const a of wanted) {
  if (!agents.includes(a)) {
    console.error(`install-clients: unknown agent "${a}" (pinned: ${agents.join(', ')})`);
    process.exit(2);
  }
}

let failed = 0;
for (const agent of wanted.length ? wanted : agents) {
  const pin = PINS[agent];
  const dir = join(CACHE, `${agent}-${pin.version}`);
  const bin = join(dir, 'node_modules', pin.bin);
  if (list) {
    console.log(`${agent}\t${pin.package}@${pin.version}\t${existsSync(bin) ? bin : '(not installed)'}`);
    continue;
  }
  if (existsSync(bin)) {
    console.log(`${agent}: ${pin.package}@${pin.version} already in ${dir}`);
    continue;
  }
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // A package.json of our own keeps npm from walking up into the fwguard checkout.
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: `e2e-${agent}`, private: true }) + '\n');
  const t0 = Date.now();
  console.log(`${agent}: npm install ${pin.package}@${pin.version} …`);
  const r = spawnSync(
    'npm',
    ['install', '--prefix', tmp, '--ignore-scripts', '--engine-strict=false', '--no-audit', '--no-fund',
      '--loglevel=error', `${pin.package}@${pin.version}`],
    { stdio: 'inherit' },
  );
  if (r.status !== 0 || !existsSync(join(tmp, 'node_modules', pin.bin))) {
    console.error(`install-clients: ${agent}: npm install failed or ${pin.bin} is missing (optional platform package skipped?)`);
    rmSync(tmp, { recursive: true, force: true });
    failed++;
    continue;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  console.log(`${agent}: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${dir}`);
}
process.exit(failed ? 1 : 0);
