#!/usr/bin/env bash
# npm run test:e2e — fwguard against the REAL agent clients (Claude Code, Gemini CLI, Codex,
# OpenCode at the versions pinned in test/e2e/clients.json).
#
#   1. installs the pinned clients from the npm registry into .cache/e2e-clients/ (once; the only
#      step that uses the network),
#   2. runs the e2e vitest suite (vitest.e2e.config.ts) inside a private network namespace with
#      only loopback (scripts/e2e/netns.sh), where each client talks to a fake model on 127.0.0.1.
#
# Extra arguments go to vitest (e.g. `npm run test:e2e -- test/e2e/codex.e2e.ts`).
# FWGUARD_E2E=0 skips the whole suite, and says so; nothing else skips it. If a namespace cannot
# be created on this machine the run FAILS (it never passes without having run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ "${FWGUARD_E2E:-1}" = 0 ]; then
  echo "fwguard e2e: SKIPPED on request (FWGUARD_E2E=0): no real agent client was tested." >&2
  exit 0
fi
[ -f dist/hook.js ] || { echo "fwguard e2e: dist/hook.js missing: run npm run build first" >&2; exit 1; }
node scripts/e2e/install-clients.mjs
exec scripts/e2e/netns.sh node node_modules/vitest/vitest.mjs run -c vitest.e2e.config.ts "$@"
