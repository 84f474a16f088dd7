#!/usr/bin/env node
// fwguard's executable.
// `fwguard hook <agent>` is the hot path (it runs before every agent tool call): it loads only the
// self-contained bundle dist/hook.js, never oclif. Everything else goes through oclif.
// On the hook path a failure must block, so it exits 2 (exit 1 does NOT block in Claude Code).
// (`fwguard hook --help` is for a person, so it goes to oclif.)

const [sub, agent] = process.argv.slice(2);
if (sub === 'hook' && agent !== '--help' && agent !== '-h') {
  const { existsSync } = await import('node:fs');
  const hookUrl = new URL('../dist/hook.js', import.meta.url);
  if (!existsSync(hookUrl)) {
    process.stderr.write(
      'fwguard is not built (dist/hook.js is missing): run npm install / npm run build in ' +
        new URL('..', import.meta.url).pathname +
        '. Blocking this tool call until it is.\n',
    );
    process.exit(2);
  }
  // Safety net: an error that escapes the hook must block (exit 2), never fail open (exit 1).
  const die = (err) => {
    process.stderr.write(`fwguard hook failed: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(2);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  try {
    await import(hookUrl.href);
  } catch (err) {
    process.stderr.write(`fwguard hook failed to load: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(2);
  }
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
