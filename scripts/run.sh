#!/usr/bin/env bash
# The Action's last step: runs `dcrsite COMMAND --root ROOT` with the chosen format and the
# extra arguments; its exit code (1 for broken links) fails the job.
set -euo pipefail

command="${DCRSITE_COMMAND:-check}"
case "$command" in
  check | build) ;;
  *) echo "dcrsite action: command must be check or build, not '$command'" >&2; exit 2 ;;
esac

args=("$command" --root "${DCRSITE_ROOT:-.}")
if [ "$command" = check ]; then args+=(--format "${DCRSITE_FORMAT:-github}"); fi
# Extra arguments split as a shell would split words (no globbing, no expansion).
if [ -n "${DCRSITE_ARGS:-}" ]; then
  read -r -a extra <<<"$DCRSITE_ARGS"
  args+=("${extra[@]}")
fi

echo "dcrsite ${args[*]}" >&2
if [ -n "${DCRSITE_OUTPUT:-}" ]; then
  status=0
  dcrsite "${args[@]}" >"$DCRSITE_OUTPUT" || status=$?
  echo "report written to $DCRSITE_OUTPUT" >&2
  exit "$status"
fi
exec dcrsite "${args[@]}"
