#!/bin/bash
# test/run/real-claude.sh [fwguard run flags…]
# The real Claude Code CLI under `fwguard run`, offline: ../shared/real-claude/run-real-claude.sh
# starts the client and a scripted fake model inside a network namespace with only loopback (it
# refuses to run otherwise). Here its CLAUDE_BIN is a wrapper that drops the harness's own
# --settings and starts the real binary through `fwguard run [flags] --`, so what runs is exactly
# fwguard's wiring: --settings hooks, CLAUDE_CODE_SHELL_PREFIX, the broker.
# Three steps: an allowed touch (must run), a write to ~/.bashrc (deny), `kill -0 1 && touch` (ask:
# acts as deny in -p). Prints the harness's step lines, the trace (front, verdict, rule) and the
# run report.
#   CLAUDE_REAL   the claude native binary (default: the e2e cache of this repo, 2.1.330)
#   HARNESS       run-real-claude.sh (default: /work/shared/real-claude/run-real-claude.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLAUDE_REAL=${CLAUDE_REAL:-$ROOT/.cache/e2e-clients/claude-code-2.1.330/node_modules/@anthropic-ai/claude-code-linux-x64/claude}
HARNESS=${HARNESS:-/work/shared/real-claude/run-real-claude.sh}
[ -x "$CLAUDE_REAL" ] || { echo "real-claude: no claude binary at $CLAUDE_REAL (set CLAUDE_REAL)" >&2; exit 4; }
[ -f "$HARNESS" ] || { echo "real-claude: no harness at $HARNESS (set HARNESS)" >&2; exit 4; }
T=$(mktemp -d /tmp/fwg-realcc.XXXXXX)
mkdir -p -m 700 "$T/state" "$T/run"
mkdir -p "$T/bin"
# The binary must be called claude for `fwguard run` to wire it as Claude Code.
ln -s "$CLAUDE_REAL" "$T/bin/claude"
printf '%s\n' "$@" > "$T/flags"
cat > "$T/claude-wrapper" <<WRAP
#!/bin/bash
args=()
while [ \$# -gt 0 ]; do
  if [ "\$1" = --settings ]; then shift 2; continue; fi
  args+=("\$1"); shift
done
mapfile -t flags < "$T/flags"
export FWGUARD_STATE_DIR="$T/state" FWGUARD_RUN_DIR="$T/run"
exec node "$ROOT/bin/run.js" run "\${flags[@]}" --report "$T/report.json" -- "$T/bin/claude" "\${args[@]}"
WRAP
chmod +x "$T/claude-wrapper"
sed -i '/^$/d' "$T/flags"
cat > "$T/scenario.json" <<'SCEN'
{
  "name": "fwguard-run",
  "steps": [
    {"tool": "Bash", "input": {"command": "touch ${PROJECT}/MARKER_1", "description": "allowed"}, "marker": "${PROJECT}/MARKER_1"},
    {"tool": "Bash", "input": {"command": "echo pwned >> ~/.bashrc && touch ${PROJECT}/MARKER_2", "description": "denied"}, "marker": "${PROJECT}/MARKER_2"},
    {"tool": "Bash", "input": {"command": "kill -0 1 && touch ${PROJECT}/MARKER_3", "description": "asked"}, "marker": "${PROJECT}/MARKER_3"}
  ],
  "final": "Finished."
}
SCEN
CLAUDE_BIN="$T/claude-wrapper" HOOK_CMD=none RECORD=0 RUN_TIMEOUT=${RUN_TIMEOUT:-90} bash "$HARNESS" none "$T/scenario.json"
echo "--- trace (front verdict rules: command)"
node -e '
  const fs = require("fs");
  for (const l of fs.readFileSync(process.argv[1], "utf8").trim().split("\n")) {
    const r = JSON.parse(l);
    console.log(`${r.front} ${r.verdict} ${r.rules.join(",") || "-"}: ${String(r.proposal.command).slice(0, 160)}`);
  }' "$T/state/trace.jsonl"
echo "--- report"
node -e 'const r = require(process.argv[1]); console.log(JSON.stringify({ ci: r.ci, counts: r.counts, exitCode: r.exitCode, denied: r.denied.map((d) => d.rule) }))' "$T/report.json"
echo "--- leftovers in the run dir: $(ls -A "$T/run" | wc -l)"
rm -rf "$T"
