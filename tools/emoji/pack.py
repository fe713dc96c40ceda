#!/usr/bin/env python3
"""Packs pymdownx.emoji's three emoji indexes (`emojione`, its default; `twemoji`, which
Material for MkDocs uses; `gemoji`) into src/emoji_indexes.tsv.gz: one line per
shortcode any index knows, `name<TAB>emojione<TAB>twemoji<TAB>gemoji`, each column the
code points pymdownx writes for it in that index (its `unicode_alt`, else `unicode`, as
hex joined by `-`; aliases resolved), empty when the index does not know the name. The
indexes disagree (`:airplane:` is U+2708 U+FE0F in emojione, U+2708 alone in twemoji) and
name different sets of emoji, so a page renders as its index renders it.

Run it with the pinned pymdown-extensions installed (the conformance venv has it):

    python pack.py

gzip -9 with a fixed mtime, so a re-pack of the same version is byte-identical.
"""
import gzip
from pathlib import Path

from pymdownx import emoji1_db, gemoji_db, twemoji_db
import pymdownx.__meta__ as meta

OUT = Path(__file__).resolve().parent.parent.parent / "src" / "emoji_indexes.tsv.gz"
INDEXES = (emoji1_db, twemoji_db, gemoji_db)


def table(db):
    """Shortcode (without colons) → code points, aliases included."""
    out = {name[1:-1]: e.get("unicode_alt", e["unicode"]) for name, e in db.emoji.items()}
    for alias, target in db.aliases.items():
        out[alias[1:-1]] = out[target[1:-1]]
    return out


def main():
    tables = [table(db) for db in INDEXES]
    names = sorted(set().union(*tables))
    lines = ["\t".join([n] + [t.get(n, "") for t in tables]) for n in names]
    data = ("\n".join(lines) + "\n").encode()
    OUT.write_bytes(gzip.compress(data, 9, mtime=0))
    print(f"pymdown-extensions {meta.__version__}: {len(names)} shortcodes, "
          f"{len(data)} bytes, {OUT.stat().st_size} packed")


if __name__ == "__main__":
    main()
