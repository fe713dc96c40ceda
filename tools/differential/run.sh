#!/usr/bin/env bash
# Differential check against MkDocs itself: builds every project of
# tools/differential/projects.json with MkDocs (pinned, in a venv it makes) and with
# dcrsite, and reports per project the pages in both, MkDocs' heading ids dcrsite lacks,
# raw dialect syntax left on pages, and the broken links dcrsite reports, split into real
# ones and false alarms (targets MkDocs' build has).
#
#   tools/differential/run.sh [--only NAME] [--verbose]     (from the repository root)
#
# Work files go to target/differential/ (the venv, reference copies, both builds,
# report.json). Skips, with a message, where ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d ../shared/corpora ]; then
  echo "differential: skipped, ../shared/corpora is absent"
  exit 0
fi
work=target/differential
mkdir -p "$work"
[ -x "$work/venv/bin/python" ] || python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check \
  "mkdocs==1.6.1" "mkdocs-material==9.7.7" "pymdown-extensions==13.1.2" \
  "mkdocs-markdownextradata-plugin==0.2.6" "mdx-include==1.4.2" \
  "markdown-include-variants==0.0.8" "zensical==0.0.73" "mkdocs-click==0.9.0"
cargo build --quiet --locked
python3 tools/differential/differential.py --python "$work/venv/bin/python" \
  --dcrsite target/debug/dcrsite --shared ../shared --work "$work" \
  --json "$work/report.json" "$@"
