#!/usr/bin/env python3
"""Packs the open icon sets MkDocs Material's shortcodes name (`:material-check:`,
`:octicons-mark-github-16:`, `:fontawesome-brands-github:`, `:simple-github:`) into
src/icon_sets/SET.tsv.gz, one line per icon: `name<TAB>viewBox<TAB>inner SVG`, sorted.

    cd tools/icons && npm ci && python3 pack.py

Each SVG keeps its drawing and, for Font Awesome, its licence comment (CC BY 4.0 asks for
attribution); sizes, titles, roles and fills are dropped so the icon takes the text's
size and colour. gzip -9 with a fixed mtime, so a re-pack of the same versions is
byte-identical.
"""
import gzip
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
OUT = HERE.parent.parent / "src" / "icon_sets"

SETS = {
    "material": [("", MODULES / "@mdi/svg/svg")],
    "octicons": [("", MODULES / "@primer/octicons/build/svg")],
    "fontawesome": [(f"{style}/", MODULES / f"@fortawesome/fontawesome-free/svgs/{style}")
                    for style in ("brands", "regular", "solid")],
    "simple": [("", MODULES / "simple-icons/icons")],
}

SVG = re.compile(r"<svg\b([^>]*)>(.*)</svg>\s*$", re.S)
VIEWBOX = re.compile(r'viewBox="([^"]+)"')


def icon(path):
    text = path.read_text(encoding="utf-8")
    m = SVG.search(text)
    if not m:
        sys.exit(f"{path}: not an <svg>")
    box = VIEWBOX.search(m.group(1))
    if not box:
        sys.exit(f"{path}: no viewBox")
    inner = re.sub(r"<title>.*?</title>", "", m.group(2), flags=re.S)
    inner = inner.replace(' fill="currentColor"', "").replace("\n", "").strip()
    return box.group(1), inner


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, sources in SETS.items():
        lines = []
        for prefix, folder in sources:
            for svg in sorted(folder.glob("*.svg")):
                box, inner = icon(svg)
                lines.append(f"{prefix}{svg.stem}\t{box}\t{inner}")
        lines.sort()
        data = ("\n".join(lines) + "\n").encode()
        with open(OUT / f"{name}.tsv.gz", "wb") as f:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz:
                gz.write(data)
        print(f"{name}: {len(lines)} icons, {len(data)} bytes → {(OUT / f'{name}.tsv.gz').stat().st_size}")


if __name__ == "__main__":
    main()
