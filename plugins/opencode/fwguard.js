// fwguard for OpenCode (V1 plugin API): every tool call is judged by `fwguard hook opencode` before
// it runs. `tool.execute.before` throws to block (the message reaches the model); it also throws
// when fwguard cannot be run or answers something it does not understand: this plugin fails closed.
// `tool.execute.after` tells fwguard the call ran (session memory). `shell.env` puts
// $FWGUARD_SHIMS first on PATH for the shells OpenCode starts.
//
// Plain JavaScript, no dependencies: OpenCode loads it from .opencode/plugins/ or
// ~/.config/opencode/plugins/. Which fwguard runs: $FWGUARD_BIN (an executable, or a .js file run
// with $FWGUARD_NODE or `node`), else the command `fwguard init --agent opencode` writes between
// the markers below (absolute paths, program first).
import { spawn } from 'node:child_process';

const INSTALLED_COMMAND = /* fwguard:command */ [] /* /fwguard:command */;

/** fwguard's own timeout for one decision; OpenCode has none, so a hung hook must not hang it. */
const TIMEOUT_MS = Number(process.env.FWGUARD_HOOK_TIMEOUT_MS) || 30_000;

function fwguardCommand() {
  const bin = process.env.FWGUARD_BIN;
  if (bin) return bin.endsWith('.js') || bin.endsWith('.mjs') ? [process.env.FWGUARD_NODE || 'node', bin] : [bin];
  if (Array.isArray(INSTALLED_COMMAND) && INSTALLED_COMMAND.length) return INSTALLED_COMMAND;
  return undefined;
}

/** Run `fwguard hook opencode` with the payload on stdin → {code, stdout, stderr}. Rejects when it cannot run. */
function runHook(payload, cwd) {
  // The broker: under `fwguard run`, $FWGUARD_BROKER (+ $FWGUARD_BROKER_TOKEN) name the run's
  // broker socket. The hook process inherits this environment and asks the broker itself (it
  // decides alone when no broker answers), so the plugin needs no socket code of its own. A plugin
  // that talked to the socket directly would save the process start-up; that is the place for it.
  const cmd = fwguardCommand();
  if (!cmd) return Promise.reject(new Error('no fwguard command: set FWGUARD_BIN or run `fwguard init --agent opencode`'));
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd[0], [...cmd.slice(1), 'hook', 'opencode'], { cwd, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(e);
      return;
    }
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fwguard did not answer within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(payload));
  });
}

const blocked = (why) => new Error(`[fwguard internal.error] ${why}; the call is blocked so nothing runs unchecked. Run \`fwguard doctor\`.`);

/** The verdict for one call: resolves for allow / no opinion, throws (blocks) otherwise. */
async function judge(payload, cwd) {
  let r;
  try {
    r = await runHook(payload, cwd);
  } catch (e) {
    throw blocked(`fwguard could not be run (${e && e.message ? e.message : String(e)})`);
  }
  let answer;
  try {
    answer = JSON.parse(r.stdout.trim().split('\n').pop() || '');
  } catch {
    answer = undefined;
  }
  if (r.code === 0 && answer && (answer.decision === 'allow' || answer.decision === 'none')) return answer.decision;
  if (answer && answer.decision === 'deny' && typeof answer.reason === 'string') throw new Error(answer.reason);
  throw blocked(`fwguard exited ${r.code} without a verdict${r.stderr.trim() ? `: ${r.stderr.trim().slice(0, 500)}` : ''}`);
}

export const FwguardPlugin = async (ctx) => {
  const cwd = (ctx && (ctx.directory || ctx.worktree)) || process.cwd();
  return {
    'tool.execute.before': async (input, output) => {
      await judge({ hook_event_name: 'tool.execute.before', tool: input.tool, sessionID: input.sessionID, callID: input.callID, args: output ? output.args : undefined, cwd }, cwd);
    },
    'tool.execute.after': async (input) => {
      // Session memory only; never blocks and never fails the tool that already ran.
      try {
        await runHook({ hook_event_name: 'tool.execute.after', tool: input.tool, sessionID: input.sessionID, callID: input.callID, args: input.args, cwd }, cwd);
      } catch {
        /* nothing to undo */
      }
    },
    'shell.env': async (_input, output) => {
      const shims = process.env.FWGUARD_SHIMS;
      if (!shims || !output) return;
      output.env = output.env || {};
      const path = output.env.PATH ?? process.env.PATH ?? '';
      if (!path.split(':').includes(shims)) output.env.PATH = path ? `${shims}:${path}` : shims;
    },
  };
};
