// Editing an agent's JSON hook file: adding, replacing and removing fwguard's own entries, and
// finding them again. Pure (settings object in, new settings object out) and import-free, so the
// Claude Code installer (claude-code.ts, which `fwguard run` loads too) and the other agents'
// installers (agents.ts) share one copy without loading each other.
// INVARIANT: only entries `isOurs` recognises are added, replaced or removed; other hooks and every
// other key of the file are carried through unchanged.
// Two shapes exist:
//   nested (Claude Code, Gemini CLI, Codex): hooks[event] = [{matcher, hooks: [handler…]}…]
//   flat (Copilot CLI, Cursor):              hooks[event] = [handler…]  (+ "version": 1)
import type { Settings } from './claude-code.js';

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface HookEdit {
  settings: Settings;
  changed: boolean;
  /** One line per change, for the user. */
  notes: string[];
}

export interface NestedOptions {
  events: readonly string[];
  /** The matcher fwguard's group uses (covers every tool). */
  matcher: string;
  /** Matchers that count as "every tool" (an existing group with one of them is reused). */
  coversAll: (m: unknown) => boolean;
  isOurs: (h: unknown) => boolean;
}

function hooksObject(settings: Settings, file: string): Record<string, unknown> {
  if (settings.hooks !== undefined && !isObject(settings.hooks)) {
    throw new Error(`"hooks" in ${file} is not an object; fix or remove it, then run fwguard init again`);
  }
  return (settings.hooks ?? {}) as Record<string, unknown>;
}

function eventList(hooks: Record<string, unknown>, event: string, file: string): unknown[] {
  const existing = hooks[event];
  if (existing !== undefined && !Array.isArray(existing)) {
    throw new Error(`"hooks.${event}" in ${file} is not an array; fix it, then run fwguard init again`);
  }
  return (existing ?? []) as unknown[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * In one list of handlers: when `keep`, the first fwguard entry stays (made equal to `want`); every
 * other fwguard entry is taken out, each noted as `dropped`. Edits `list` in place.
 */
function settleOurs(list: unknown[], want: unknown, o: { isOurs: (h: unknown) => boolean; keep: boolean; event: string; dropped: string }, notes: string[]): { kept: boolean; changed: boolean } {
  let kept = false;
  let changed = false;
  for (let i = 0; i < list.length; i++) {
    if (!o.isOurs(list[i])) continue;
    if (o.keep && !kept) {
      kept = true;
      if (same(list[i], want)) continue;
      list[i] = structuredClone(want);
      notes.push(`updated fwguard's ${o.event} hook`);
    } else {
      list.splice(i--, 1);
      notes.push(o.dropped);
    }
    changed = true;
  }
  return { kept, changed };
}

/** Exactly one fwguard handler per event, equal to `handlers[event]`, in a group that sees every tool. */
export function addNested(input: Settings, handlers: Record<string, unknown>, o: NestedOptions, file: string): HookEdit {
  const settings = structuredClone(input);
  const hooks = hooksObject(settings, file);
  const notes: string[] = [];
  let changed = false;
  for (const event of o.events) {
    const want = handlers[event];
    const groups = eventList(hooks, event, file);
    let kept = false;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      if (!isObject(g) || !Array.isArray(g.hooks)) continue;
      const all = o.coversAll(g.matcher);
      const dropped = all ? `removed a duplicate fwguard ${event} hook` : `removed fwguard's ${event} hook from matcher ${JSON.stringify(g.matcher)} (it must see every tool)`;
      const r = settleOurs(g.hooks, want, { isOurs: o.isOurs, keep: all && !kept, event, dropped }, notes);
      kept ||= r.kept;
      changed ||= r.changed;
      // An update never empties a group: only one that lost entries can be left empty.
      if (r.changed && g.hooks.length === 0) groups.splice(gi--, 1);
    }
    if (!kept) {
      groups.push({ matcher: o.matcher, hooks: [structuredClone(want)] });
      notes.push(`added fwguard's ${event} hook (matcher ${JSON.stringify(o.matcher)})`);
      changed = true;
    }
    hooks[event] = groups;
  }
  if (changed) settings.hooks = hooks;
  return { settings: changed ? settings : structuredClone(input), changed, notes };
}

/** Exactly one fwguard entry per event in a flat hooks file, equal to `handlers[event]`. */
export function addFlat(input: Settings, handlers: Record<string, unknown>, events: readonly string[], isOurs: (h: unknown) => boolean, file: string): HookEdit {
  const settings = structuredClone(input);
  const hooks = hooksObject(settings, file);
  const notes: string[] = [];
  let changed = false;
  if (settings.version === undefined) {
    settings.version = 1;
    changed = true;
  }
  for (const event of events) {
    const want = handlers[event];
    const list = eventList(hooks, event, file);
    const r = settleOurs(list, want, { isOurs, keep: true, event, dropped: `removed a duplicate fwguard ${event} hook` }, notes);
    changed ||= r.changed;
    if (!r.kept) {
      list.push(structuredClone(want));
      notes.push(`added fwguard's ${event} hook`);
      changed = true;
    }
    hooks[event] = list;
  }
  if (changed) settings.hooks = hooks;
  return { settings: changed ? settings : structuredClone(input), changed, notes };
}

/**
 * Take fwguard's entries out of every event's list (`strip` edits one list in place and says how
 * many it took) and drop the events, then "hooks", left empty. `counted`: the note says how many.
 */
function removeFromEvents(input: Settings, strip: (list: unknown[]) => number, counted: boolean): HookEdit {
  const settings = structuredClone(input);
  const notes: string[] = [];
  if (!isObject(settings.hooks)) return { settings, changed: false, notes };
  const hooks = settings.hooks;
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    const removed = strip(list);
    if (removed === 0) continue;
    notes.push(`removed fwguard's ${event} hook${counted && removed > 1 ? ` (${removed} entries)` : ''}`);
    if (list.length === 0) delete hooks[event];
  }
  const changed = notes.length > 0;
  if (changed && Object.keys(hooks).length === 0) delete settings.hooks;
  return { settings: changed ? settings : structuredClone(input), changed, notes };
}

/** Take every fwguard handler out of a nested hooks file; drop groups and events left empty. */
export function removeNested(input: Settings, isOurs: (h: unknown) => boolean): HookEdit {
  return removeFromEvents(
    input,
    (groups) => {
      let removed = 0;
      for (let gi = 0; gi < groups.length; gi++) {
        const g = groups[gi];
        if (!isObject(g) || !Array.isArray(g.hooks)) continue;
        const rest = (g.hooks as unknown[]).filter((h) => !isOurs(h));
        if (rest.length === g.hooks.length) continue;
        removed += g.hooks.length - rest.length;
        g.hooks = rest;
        if (rest.length === 0) groups.splice(gi--, 1);
      }
      return removed;
    },
    true,
  );
}

/** Take every fwguard entry out of a flat hooks file; drop events left empty. */
export function removeFlat(input: Settings, isOurs: (h: unknown) => boolean): HookEdit {
  return removeFromEvents(
    input,
    (list) => {
      const before = list.length;
      for (let i = 0; i < list.length; i++) if (isOurs(list[i])) list.splice(i--, 1);
      return before - list.length;
    },
    false,
  );
}

/** One hook entry found in a file. */
export interface FoundEntry {
  event: string;
  matcher?: unknown;
  handler: Record<string, unknown>;
  /** Position, for keys that name it (Codex trust: `<file>:<event>:<group>:<index>`). */
  group: number;
  index: number;
}

export function findNested(settings: Settings, isOurs: (h: unknown) => boolean): FoundEntry[] {
  const out: FoundEntry[] = [];
  if (!isObject(settings.hooks)) return out;
  for (const [event, groups] of Object.entries(settings.hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((g, gi) => {
      if (!isObject(g) || !Array.isArray(g.hooks)) return;
      g.hooks.forEach((h, hi) => {
        if (isOurs(h)) out.push({ event, matcher: g.matcher, handler: h as Record<string, unknown>, group: gi, index: hi });
      });
    });
  }
  return out;
}

export function findFlat(settings: Settings, isOurs: (h: unknown) => boolean): FoundEntry[] {
  const out: FoundEntry[] = [];
  if (!isObject(settings.hooks)) return out;
  for (const [event, list] of Object.entries(settings.hooks)) {
    if (!Array.isArray(list)) continue;
    list.forEach((h, i) => {
      if (isOurs(h)) out.push({ event, matcher: isObject(h) ? h.matcher : undefined, handler: h as Record<string, unknown>, group: 0, index: i });
    });
  }
  return out;
}
