#!/usr/bin/env bash
# Save-to-reload-event latency of `dcrsite serve`: median and p95 over 50 body edits, on
# the bundled site and on a generated 1,000-page site, then the warm start (start to the
# first 200) on a generated 10,000-page site (needs ../shared/bench beside the
# repository; skipped with a message otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS="${EDITS:-50}"
PAGES="${PAGES:-1000}"
cargo build --release --quiet --bin dcrsite --example serve_latency
BIN=target/release/dcrsite
PROBE=target/release/examples/serve_latency
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The bundled site, copied so the edits do not touch the repository.
mkdir -p "$WORK/bundled"
cp -r site.yaml content themes assets "$WORK/bundled/"
"$PROBE" "$BIN" "$WORK/bundled" content/contributing.md "$EDITS"

BENCH=../shared/bench
if [ ! -d "$BENCH" ]; then
  echo "skipping the $PAGES-page site: $BENCH is not present" >&2
  exit 0
fi
python3 "$BENCH/gen_corpus.py" --pages "$PAGES" --out "$WORK/gen" --tools mkdocs >/dev/null
python3 "$BENCH/dcrsite_layout.py" "$WORK/gen/mkdocs" . "$WORK/big" >/dev/null
# The layout copies this project's site.yaml, whose explicit `nav` names the bundled
# pages; the generated site has none of them, so navigation comes from its sections.
python3 - "$WORK/big/site.yaml" <<'PY'
import re, sys
p = sys.argv[1]
text = open(p).read()
text = re.sub(r"(?ms)^nav:\n(?:[ \t-].*\n)*", "", text)
# The project's languages would render every generated page once per language.
text = re.sub(r"(?m)^languages:\n(?:[ \t].*\n)*", "", text)
open(p, "w").write(text)
PY
PAGE="$(cd "$WORK/big" && find content -name '*.md' ! -name '_index.md' | sort | sed -n 500p)"
"$PROBE" "$BIN" "$WORK/big" "$PAGE" "$EDITS"

# Warm start on a 10,000-page site: from starting `serve` (its cache filled by a first
# start) to the first 200 for `/`.
python3 "$BENCH/gen_corpus.py" --pages 10000 --out "$WORK/gen10k" --tools mkdocs >/dev/null
python3 "$BENCH/dcrsite_layout.py" "$WORK/gen10k/mkdocs" . "$WORK/big10k" >/dev/null
cp "$WORK/big/site.yaml" "$WORK/big10k/site.yaml"
"$PROBE" start "$BIN" "$WORK/big10k" "${RUNS:-5}"
