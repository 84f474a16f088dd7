#!/usr/bin/env node
// Build step after `tsc`: bundles the hook hot path and precompiles the built-in rule packs.
//   1. src/hook/main.ts → dist/hook.js: one self-contained ESM file (no oclif, Ink, React, execa),
//      so `fwguard hook <agent>` starts as close to a bare `node` as possible.
//   2. rules/*.yaml → dist/rules.json ([{ file, rules }]), so the hook never parses YAML for built-ins.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultLoadersSync } from 'cosmiconfig';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

/** Packages that must never reach the hook bundle (start-up cost; hooks have no terminal). */
const FORBIDDEN = [/(^|\/)node_modules\/(@oclif|oclif|ink|react|react-dom|react-reconciler|execa|typescript)\//];

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// 2. Built-in rule packs.
const rulesDir = join(root, 'rules');
const packs = [];
if (existsSync(rulesDir)) {
  const files = readdirSync(rulesDir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  for (const f of files) {
    const text = readFileSync(join(rulesDir, f), 'utf8');
    let doc;
    try {
      doc = f.endsWith('.json') ? JSON.parse(text) : defaultLoadersSync['.yaml'](join(rulesDir, f), text);
    } catch (err) {
      fail(`rules/${f}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A pack is either a list of rules or a mapping with a `rules` list.
    const rules = Array.isArray(doc) ? doc : doc && Array.isArray(doc.rules) ? doc.rules : null;
    if (rules === null) fail(`rules/${f}: expected a list of rules or a mapping with a "rules" list`);
    packs.push({ file: `rules/${f}`, rules });
  }
}
// ---------------------------------------------------------------------------------------------
// 1. The hook bundle.
const entry = join(root, 'src/hook/main.ts');
if (!existsSync(entry)) fail(`missing ${relative(root, entry)}`);

const result = await build({
  entryPoints: [entry],
  outfile: join(dist, 'hook.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // cosmiconfig only requires `typescript` to load a .ts config file; never bundle a compiler.
  external: ['typescript'],
  // The built-in rule packs are inlined: the hook never reads or parses YAML for them.
  define: { __FWGUARD_BUILTIN_RULES__: JSON.stringify(packs) },
  // Bundled CommonJS (cosmiconfig, …) calls require() for node built-ins: give ESM a real one.
  banner: {
    js: "import{createRequire as __fwgReq}from'node:module';const require=__fwgReq(import.meta.url);",
  },
}).catch(() => fail('bundling src/hook/main.ts failed (errors above)'));

const inputs = Object.keys(result.metafile.inputs);
const bad = inputs.filter((p) => FORBIDDEN.some((re) => re.test(p.replace(/\\/g, '/'))));
if (bad.length > 0) {
  const pkgs = new Map();
  for (const p of bad) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p.replace(/\\/g, '/'));
    const name = m ? m[1] : p;
    pkgs.set(name, (pkgs.get(name) ?? 0) + 1);
  }
  const list = [...pkgs].map(([name, n]) => `${name} (${n} files)`).join(', ');
  fail(`the hook bundle (src/hook/main.ts) pulls in ${list}; the hot path must not load oclif, Ink, React, execa or a compiler — import those only from commands/`);
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);

writeFileSync(join(dist, 'rules.json'), JSON.stringify(packs) + '\n');

const ruleCount = packs.reduce((n, p) => n + p.rules.length, 0);
console.log(
  `build: dist/hook.js ${(bytes / 1024).toFixed(1)} KiB (${inputs.length} inputs); ` +
    `dist/rules.json ${packs.length} packs, ${ruleCount} rules`,
);

// ---------------------------------------------------------------------------------------------
// 4. The hook's V8 startup snapshot (dist/hook.blob): the hook with its modules already loaded
//    and warmed, for the exact node binary that runs this build. Optional: without it the hook
//    runs from dist/hook.js. `fwguard init` rebuilds it when the node binary changed.
{
  const { spawnSync } = await import('node:child_process');
  const entry = join(dist, 'hook-snapshot.cjs');
  await build({
    entryPoints: [join(root, 'src/hook/snapshot.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['typescript'],
    define: { __FWGUARD_BUILTIN_RULES__: JSON.stringify(packs), 'import.meta.url': '__fwgImportMetaUrl' },
    banner: { js: 'var __fwgImportMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
  });
  const blob = join(dist, 'hook.blob');
  // Written beside and renamed into place: a hook started during a build or an upgrade loads the
  // old blob or the new one, never half a file (which crashed node with exit 134 — not a block).
  const tmpBlob = `${blob}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, ['--snapshot-blob', tmpBlob, '--build-snapshot', entry], { cwd: dist, encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) renameSync(tmpBlob, blob);
  else rmSync(tmpBlob, { force: true });
  if (r.status === 0) {
    writeFileSync(join(dist, 'hook.blob.json'), JSON.stringify({ node: process.version, execPath: process.execPath, arch: process.arch, platform: process.platform }) + '\n');
    console.log(`build: dist/hook.blob for node ${process.version} (${process.execPath})`);
  } else {
    console.warn(`build: no hook snapshot (the hook runs from dist/hook.js): ${(r.stderr || r.error?.message || '').split('\n').filter((l) => l && !/Warning|may still work|issue tracker|trace-warnings/.test(l)).slice(0, 3).join(' ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. The JSON Schema of .fwguardrc, generated from the zod schema, so editors can complete it.
{
  const { configSchema } = await import(new URL('../dist/src/policy/config.js', import.meta.url).href);
  const { toJSONSchema } = await import('zod/v4/core');
  const schema = { $id: 'https://fwguard.dev/fwguardrc.schema.json', title: 'fwguard configuration (.fwguardrc)', ...toJSONSchema(configSchema, { io: 'input' }) };
  mkdirSync(join(root, 'schema'), { recursive: true });
  writeFileSync(join(root, 'schema/fwguardrc.schema.json'), JSON.stringify(schema, null, 2) + '\n');
}
