#!/usr/bin/env bash
# Benchmark (not a test): `dcrsite build` against `mkdocs build` (MkDocs Material 9.7.0)
# and Zensical 0.0.73 (its successor, with a build cache) on the current decred
# documentation (../shared/corpora/dcrdocs, an unmodified MkDocs Material project), on
# the same machine, side by side: clean builds, and builds from each tool's cache with
# nothing changed.
#
#   benches/mkdocs_compare.sh [RUNS]        (default 5 runs each; medians are printed)
#   DCRSITE=target/release/dcrsite benches/mkdocs_compare.sh 1   (no cargo build)
#
# The peers come from benches/peers.sh (a virtualenv under target/, made the first
# time). Every tool builds a copy of the project in a temporary folder; the corpus is
# only read.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
runs=${1:-5}
corpus=$repo/../shared/corpora/dcrdocs
[ -f "$corpus/mkdocs.yml" ] || { echo "skipping: $corpus is not present" >&2; exit 0; }
venv=$(benches/peers.sh)
# DCRSITE=path measures that binary instead of building this checkout's.
bin=${DCRSITE:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=$repo/target/release/dcrsite
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# MkDocs writes its output beside mkdocs.yml unless told; give both tools the same
# kind of place. A copy of the project keeps mkdocs' caches out of ../shared.
cp -r "$corpus" "$work/project"

# Median wall-clock seconds of a command over $runs runs (after one warm-up run, so
# both tools start with the files in the page cache).
median() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; exit 1; }
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/$name.log" 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f\n", m}'
}

dcrsite=("$bin" build --root "$work/project" --output "$work/dcrsite-out")
# Clean: no cache and no previous output (whose unchanged files a build links).
dcr=$(median dcrsite-clean bash -c 'rm -rf "$0/project/.dcrsite-cache" "$0/dcrsite-out" && "$@"' "$work" "${dcrsite[@]}")
dcr_cached=$(median dcrsite-cached "${dcrsite[@]}")
# pymdownx.snippets reads `base_path` relative to the working directory: run MkDocs
# from the project folder, as its authors do.
mk=$(median mkdocs env -C "$work/project" "$venv/bin/mkdocs" build --quiet --site-dir "$work/mkdocs-out")
zen=$(median zensical-clean env -C "$work/project" "$venv/bin/zensical" build --clean)
zen_cached=$(median zensical-cached env -C "$work/project" "$venv/bin/zensical" build)
pages=$(find "$work/project/docs" -name '*.md' | wc -l)
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.1f×'; }
echo "dcrdocs, $pages pages, $runs runs each (medians); load average $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| build | median wall | dcrsite clean is faster by |"
echo "|---|---:|---:|"
echo "| dcrsite clean | $dcr s | |"
echo "| dcrsite from its cache, unchanged | $dcr_cached s | |"
echo "| mkdocs build (Material 9.7.0) | $mk s | $(ratio "$mk" "$dcr") |"
echo "| zensical build --clean (0.0.73) | $zen s | $(ratio "$zen" "$dcr") |"
echo "| zensical build from its cache, unchanged | $zen_cached s | $(ratio "$zen_cached" "$dcr") (cached vs cached: $(ratio "$zen_cached" "$dcr_cached")) |"
echo
echo "output size: dcrsite $(du -sh "$work/dcrsite-out" | cut -f1), mkdocs $(du -sh "$work/mkdocs-out" | cut -f1), zensical $(du -sh "$work/project/site" | cut -f1)"
