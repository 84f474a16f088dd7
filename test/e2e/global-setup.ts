// Runs once around the e2e suite: refuses to start outside a loopback-only namespace, requires a
// built fwguard, starts a fresh findings file, and prints the findings table at the end.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLoopbackOnly } from './netns.js';
import { findingsFile, OUT, ROOT, type Finding } from './harness.js';

export function setup(): void {
  assertLoopbackOnly();
  if (!existsSync(join(ROOT, 'dist/hook.js'))) throw new Error('fwguard is not built (dist/hook.js missing): run `npm run build` first');
  mkdirSync(OUT, { recursive: true });
  rmSync(findingsFile(), { force: true });
}

export function teardown(): void {
  const f = findingsFile();
  const rows = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finding) : [];
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const lines = [
    '',
    '## fwguard e2e findings (real clients, loopback-only namespace)',
    '',
    '| agent | version | scenario | expected | observed | result |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.agent} | ${r.version} | ${cell(r.scenario)} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.ok === 'pending' ? 'PENDING' : r.ok === 'recorded' ? 'recorded' : r.ok ? 'ok' : '**FAIL**'} |`),
    '',
    `(table: ${f.replace(/jsonl$/, 'md')}; payloads the clients sent to their hooks: ${OUT}/<agent>-<version>/payloads/)`,
    '',
  ];
  const text = lines.join('\n');
  process.stdout.write(text);
  writeFileSync(f.replace(/jsonl$/, 'md'), text);
}
