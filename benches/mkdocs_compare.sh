#!/usr/bin/env bash
# Benchmark (not a test): `dcrsite build` against `mkdocs build` on the current decred
# documentation (../shared/corpora/dcrdocs, an unmodified MkDocs Material project), on
# the same machine, side by side.
#
#   benches/mkdocs_compare.sh [RUNS]        (default 5 runs each; medians are printed)
#
# Installs mkdocs-material==9.7.0 and mkdocs-markdownextradata-plugin==0.2.6 into a
# virtualenv under /tmp (VENV=… to choose another) with pip, the first time. Both tools
# write into temporary folders; the corpus is only read.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
runs=${1:-5}
corpus=$repo/../shared/corpora/dcrdocs
[ -f "$corpus/mkdocs.yml" ] || { echo "skipping: $corpus is not present" >&2; exit 0; }
venv=${VENV:-/tmp/dcrsite-mkdocs-venv}

if [ ! -x "$venv/bin/mkdocs" ]; then
  echo "installing MkDocs Material into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "mkdocs-material==9.7.0" "mkdocs-markdownextradata-plugin==0.2.6"
fi
cargo build --release --quiet
bin=$repo/target/release/dcrsite
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

dcr=$(median dcrsite "$bin" build --root "$work/project" --output "$work/dcrsite-out")
# pymdownx.snippets reads `base_path` relative to the working directory: run MkDocs
# from the project folder, as its authors do.
mk=$(median mkdocs env -C "$work/project" "$venv/bin/mkdocs" build --quiet --site-dir "$work/mkdocs-out")
pages=$(find "$work/project/docs" -name '*.md' | wc -l)
printf '%-28s %10s\n' "tool ($pages pages, $runs runs)" "median s"
printf '%-28s %10s\n' "dcrsite build" "$dcr"
printf '%-28s %10s\n' "mkdocs build (Material)" "$mk"
printf '%-28s %10s\n' "output size dcrsite" "$(du -sh "$work/dcrsite-out" | cut -f1)"
printf '%-28s %10s\n' "output size mkdocs" "$(du -sh "$work/mkdocs-out" | cut -f1)"
echo "dcrsite is $(echo "$mk / $dcr" | bc -l | xargs printf '%.1f')x faster"
