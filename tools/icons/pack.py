#!/usr/bin/env python3
"""Packs the open icon sets MkDocs Material's shortcodes name (`:material-check:`,
`:octicons-mark-github-16:`, `:fontawesome-brands-github:`, `:simple-github:`) into
src/icon_sets/SET.tsv.gz, one line per icon: `name<TAB>viewBox<TAB>inner SVG`, sorted,
written as one gzip member per CHUNK lines (still one valid .gz: `zcat` gives the whole
list), with src/icon_sets/SET.index: per member its first icon's name and its length in
bytes. A page naming one icon then inflates one member (a few kB), not the set (up to
4.7 MB, which took a tenth of a small site's build).

    cd tools/icons && npm ci && python3 pack.py

Each SVG keeps its drawing and, for Font Awesome, its licence comment (CC BY 4.0 asks for
attribution); sizes, titles, roles and fills are dropped so the icon takes the text's
size and colour. gzip -9 with a fixed mtime, so a re-pack of the same versions is
byte-identical.

    python3 pack.py --repack    re-chunks the packed sets already in src/icon_sets
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
        write_set(name, sorted(lines))


# Icons per gzip member: 32 costs 6 % more bytes than one member and inflates ~100 kB at most.
CHUNK = 32


def write_set(name, lines):
    """SET.tsv.gz as gzip members of CHUNK lines each, and SET.index naming them."""
    packed, index = bytearray(), []
    for start in range(0, len(lines), CHUNK):
        chunk = lines[start:start + CHUNK]
        member = gzip.compress(("\n".join(chunk) + "\n").encode(), compresslevel=9, mtime=0)
        index.append(f"{chunk[0].split(chr(9))[0]}\t{len(member)}\n")
        packed += member
    (OUT / f"{name}.tsv.gz").write_bytes(packed)
    (OUT / f"{name}.index").write_text("".join(index), encoding="utf-8")
    print(f"{name}: {len(lines)} icons in {len(index)} members, {len(packed)} bytes")


def repack():
    for name in SETS:
        text = gzip.decompress((OUT / f"{name}.tsv.gz").read_bytes()).decode()
        write_set(name, sorted(text.splitlines()))


if __name__ == "__main__":
    repack() if sys.argv[1:] == ["--repack"] else main()
