// The built-in rule packs. A build inlines them as JSON (no YAML parsing on the hook path);
// from source (tests, tsx) they are read from rules/*.yaml with cosmiconfig's own YAML loader, the
// one that reads users' configs (one YAML parser for rules and configs, one copy in the bundle).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultLoadersSync } from 'cosmiconfig';
import type { BuiltinPack } from './config.js';

declare const __FWGUARD_BUILTIN_RULES__: BuiltinPack[] | undefined;

let packs: BuiltinPack[] | undefined;

export function builtinPacks(): BuiltinPack[] {
  if (packs) return packs;
  if (typeof __FWGUARD_BUILTIN_RULES__ !== 'undefined') {
    packs = __FWGUARD_BUILTIN_RULES__;
    return packs;
  }
  packs = loadPacksFrom(packageRoot() + '/rules');
  return packs;
}

export function loadPacksFrom(dir: string): BuiltinPack[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => ({ file: `rules/${f}`, rules: defaultLoadersSync['.yaml'](`${dir}/${f}`, readFileSync(`${dir}/${f}`, 'utf8')) as BuiltinPack['rules'] }));
}

let root: string | undefined;

/** The fwguard package root (the folder holding package.json), from this module's location. */
export function packageRoot(): string {
  root ??= findPackageRoot();
  return root;
}

function findPackageRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // src/policy/ (source), dist/src/policy/ (tsc), dist/ (bundle)
  for (const up of ['../..', '../../..', '..']) {
    const dir = fileURLToPath(new URL(up + '/', 'file://' + here));
    try {
      const pkg = JSON.parse(readFileSync(dir + 'package.json', 'utf8')) as { name?: string };
      if (pkg.name === 'fwguard') return dir.replace(/\/$/, '');
    } catch {
      /* keep looking */
    }
  }
  return here;
}
