// The Codex patch format (also OpenCode's apply_patch tool): `*** Begin Patch`, then per file
// `*** Add File: P` (+lines), `*** Delete File: P`, `*** Update File: P` (optional `*** Move to: Q`,
// then @@ chunks of ' '/'-'/'+' lines), `*** End Patch`. Codex hands the hook the raw text in
// tool_input.command, sometimes still wrapped in the shell form `apply_patch <<'EOF' … EOF`.
// Anything this parser does not recognise is an error: the caller fails closed.
import type { Proposal } from '../types.js';
import type { Mapped } from './adapter.js';
import { quoteAlways } from '../util/quote.js';

export type PatchOp =
  | { op: 'add'; path: string; content: string }
  | { op: 'update'; path: string; moveTo?: string; added: string }
  | { op: 'delete'; path: string };

export type PatchParse = { ok: true; ops: PatchOp[]; cwd?: string } | { ok: false; reason: string };

const MAX_PATCH_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 500;

/** `apply_patch <<'EOF'` / `applypatch <<EOF`, optionally after `cd DIR &&`. */
const WRAPPER = /^\s*(?:cd\s+('[^']*'|"[^"]*"|[^\s;&|'"]+)\s*&&\s*)?(?:apply_patch|applypatch)\s*(?:<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2)?\s*$/;

/** Does this shell command invoke Codex's apply_patch (which Codex applies itself, not a shell)? */
export function isApplyPatchInvocation(command: string): boolean {
  const first = command.split('\n', 1)[0] ?? '';
  return /^\s*(?:cd\s+\S+\s*&&\s*)?(?:apply_patch|applypatch)(?:\s|$)/.test(first);
}

export function parsePatch(text: string): PatchParse {
  if (Buffer.byteLength(text) > MAX_PATCH_BYTES) return { ok: false, reason: `the patch is larger than ${MAX_PATCH_BYTES} bytes and was not parsed` };
  let lines = text.replace(/\r\n/g, '\n').split('\n');
  let cwd: string | undefined;
  // The shell form: a wrapper line, the patch as a heredoc body, the terminator.
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first >= 0 && !lines[first]!.trim().startsWith('***')) {
    const m = WRAPPER.exec(lines[first]!);
    if (!m) return { ok: false, reason: 'the patch text does not start with "*** Begin Patch" or an apply_patch heredoc' };
    if (m[1]) cwd = m[1].replace(/^['"]|['"]$/g, '');
    const term = m[3];
    lines = lines.slice(first + 1);
    if (term) {
      const end = lines.findIndex((l) => l === term || (l.trim() === term));
      if (end < 0) return { ok: false, reason: `the apply_patch heredoc has no terminator ${term}` };
      if (lines.slice(end + 1).some((l) => l.trim() !== '')) return { ok: false, reason: 'the apply_patch command has more after its heredoc' };
      lines = lines.slice(0, end);
    }
  }
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines[0]?.trim() !== '*** Begin Patch') return { ok: false, reason: 'the patch does not start with "*** Begin Patch"' };
  if (lines[lines.length - 1]?.trim() !== '*** End Patch') return { ok: false, reason: 'the patch does not end with "*** End Patch"' };
  const body = lines.slice(1, -1);
  const ops: PatchOp[] = [];
  const header = (l: string) => /^\*\*\* (Add|Delete|Update) File: /.test(l);
  const pathOf = (l: string, prefix: string): string | undefined => {
    const p = l.slice(prefix.length).trim();
    return p === '' || p.includes('\0') ? undefined : p;
  };
  let i = 0;
  while (i < body.length) {
    const line = body[i]!;
    if (line.startsWith('*** Add File: ')) {
      const path = pathOf(line, '*** Add File: ');
      if (!path) return { ok: false, reason: `line ${i + 2}: Add File without a path` };
      const content: string[] = [];
      i++;
      while (i < body.length && !header(body[i]!)) {
        const l = body[i]!;
        if (!l.startsWith('+')) return { ok: false, reason: `line ${i + 2}: a line of an added file must start with "+"` };
        content.push(l.slice(1));
        i++;
      }
      ops.push({ op: 'add', path, content: content.length ? content.join('\n') + '\n' : '' });
    } else if (line.startsWith('*** Delete File: ')) {
      const path = pathOf(line, '*** Delete File: ');
      if (!path) return { ok: false, reason: `line ${i + 2}: Delete File without a path` };
      ops.push({ op: 'delete', path });
      i++;
    } else if (line.startsWith('*** Update File: ')) {
      const path = pathOf(line, '*** Update File: ');
      if (!path) return { ok: false, reason: `line ${i + 2}: Update File without a path` };
      i++;
      let moveTo: string | undefined;
      if (i < body.length && body[i]!.startsWith('*** Move to: ')) {
        moveTo = pathOf(body[i]!, '*** Move to: ');
        if (!moveTo) return { ok: false, reason: `line ${i + 2}: Move to without a path` };
        i++;
      }
      const added: string[] = [];
      let changes = 0;
      while (i < body.length && !header(body[i]!)) {
        const l = body[i]!;
        if (l.startsWith('+')) {
          added.push(l.slice(1));
          changes++;
        } else if (l.startsWith('-')) changes++;
        else if (!(l.startsWith('@@') || l.startsWith(' ') || l === '' || l === '*** End of File')) {
          return { ok: false, reason: `line ${i + 2}: unexpected line in the update of ${path}` };
        }
        i++;
      }
      if (!changes && !moveTo) return { ok: false, reason: `the update of ${path} changes nothing` };
      ops.push({ op: 'update', path, ...(moveTo ? { moveTo } : {}), added: added.join('\n') });
    } else if (line.trim() === '') {
      i++;
    } else {
      return { ok: false, reason: `line ${i + 2}: expected "*** Add File:", "*** Update File:" or "*** Delete File:"` };
    }
    if (ops.length > MAX_FILES) return { ok: false, reason: `the patch names more than ${MAX_FILES} files` };
  }
  if (!ops.length) return { ok: false, reason: 'the patch changes no file' };
  return { ok: true, ops, ...(cwd ? { cwd } : {}) };
}


/**
 * A parsed patch → one Proposal. One added or updated file is exactly a file tool call (the same
 * proposal as Claude Code's Write/Edit). Anything else (several files, deletes, moves) becomes the
 * equivalent shell line, judged command by command with the strictest verdict winning:
 * add `: > P` (creates or overwrites), update `: >> P` (changes in place), move `mv -- P Q`,
 * delete `rm -- P`. The line is synthetic: it names what the patch does, it never runs.
 */
export function patchToMapped(text: string, base: Omit<Proposal, 'kind'>, tool: string): Mapped {
  const parsed = parsePatch(text);
  if (!parsed.ok) return { kind: 'malformed', reason: `${tool}: ${parsed.reason}` };
  const { ops } = parsed;
  const cwd = parsed.cwd ? (parsed.cwd.startsWith('/') ? parsed.cwd : `${base.cwd.replace(/\/+$/, '')}/${parsed.cwd}`) : base.cwd;
  const b = { ...base, cwd, tool };
  if (ops.length === 1) {
    const op = ops[0]!;
    if (op.op === 'add') return { kind: 'proposal', proposal: { ...b, kind: 'file.write', path: op.path, content: op.content } };
    if (op.op === 'update' && !op.moveTo) return { kind: 'proposal', proposal: { ...b, kind: 'file.edit', path: op.path, content: op.added } };
  }
  const parts: string[] = [];
  for (const op of ops) {
    if (op.op === 'add') parts.push(`: > ${quoteAlways(op.path)}`);
    else if (op.op === 'delete') parts.push(`rm -- ${quoteAlways(op.path)}`);
    else {
      parts.push(`: >> ${quoteAlways(op.path)}`);
      if (op.moveTo) parts.push(`mv -- ${quoteAlways(op.path)} ${quoteAlways(op.moveTo)}`);
    }
  }
  return { kind: 'proposal', proposal: { ...b, kind: 'shell', command: parts.join('\n') } };
}
