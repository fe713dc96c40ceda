#!/usr/bin/env bash
# Conformance against the reference implementation: records the cases of Python-Markdown's
# and pymdown-extensions' own test suites (pinned source distributions from PyPI), renders
# each with dcrsite's MkDocs dialect and compares the HTML with MkDocs'. Fails when an
# extension's pass rate is below its floor in floors.json.
#
#   tools/conformance/run.sh [--show EXTENSION]     (from the repository root)
#
# Work files go to target/conformance/ (the venv, the unpacked suites, cases, results).
set -euo pipefail
cd "$(dirname "$0")/../.."
MARKDOWN=3.11.3
PYMDOWNX=13.1.2
work=target/conformance
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
fi
py="$work/venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check \
  "markdown==$MARKDOWN" "pymdown-extensions==$PYMDOWNX" pytest pyyaml pygments
for pkg in "markdown==$MARKDOWN" "pymdown-extensions==$PYMDOWNX"; do
  "$py" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: "$pkg" -d "$work/sdists"
done
for sdist in "$work"/sdists/*.tar.gz; do
  tar xzf "$sdist" -C "$work/sdists"
done
cases="$work/cases.jsonl"
results="$work/results.jsonl"
"$py" tools/conformance/extract.py "$cases" \
  "$work/sdists/markdown-$MARKDOWN" "$work/sdists/pymdown_extensions-$PYMDOWNX" \
  > "$work/extract.log" 2>&1 || { tail -20 "$work/extract.log"; exit 1; }
cargo run --quiet --locked --example conformance -- "$cases" "$results"
python3 tools/conformance/compare.py "$cases" "$results" --floors tools/conformance/floors.json "$@"
