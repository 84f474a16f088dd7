// Program name → reader. Each family lives in its own file and exports `readers`.
import type { Reader } from './reader.js';

const registry = new Map<string, Reader>();

export function registerReaders(readers: Record<string, Reader>): void {
  for (const [name, r] of Object.entries(readers)) registry.set(name, r);
}

export function readerFor(program: string): Reader | undefined {
  return registry.get(program);
}

export function knownPrograms(): string[] {
  return [...registry.keys()].sort();
}
