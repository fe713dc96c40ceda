"""Compares dcrsite's HTML for each recorded case with the HTML MkDocs makes of it, and
reports the pass rate per extension. With --floors, fails (exit 1) when an extension
dcrsite claims passes fewer cases than its floor (floors only go up: raise them as
dcrsite gets better).

    python compare.py CASES.jsonl RESULTS.jsonl [--floors floors.json] [--show EXT]

HTML is compared normalised: tags with their attributes sorted, text with white space
collapsed, white space between tags dropped. Inside `<pre>` text is kept exactly and so
is every tag that carries meaning (line numbers, `hll` highlighted lines, line spans and
anchors with ids, annotations); only the highlighter's token `<span>`s are dropped: dcrsite
highlights with syntect (`hl-…` classes), the reference with Pygments (`kn`, `nn`, `w`,
`gp`, … and an empty `<span></span>` first), so token markup can never match and says
nothing about whether the block is right. The `<pre>` tag's own attributes are not
compared (fenced_code's `<pre>` and the highlighter's wrapper differ there by design).
Inline `<code>` (inlinehilite's highlighted code) drops token `<span>`s the same way; its
text is compared as other text is, white space collapsed.
"""

import argparse
import collections
import html.parser
import json
import re
import sys

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"}


# Pygments' token classes: one to three characters (`k`, `kn`, `s2`, `c1`); `hll` and the
# line-number classes carry meaning and are kept.
PYGMENTS_TOKEN = re.compile(r"^[A-Za-z][a-z0-9]{0,2}$")
MEANINGFUL_CLASSES = {"hll", "linenos", "normal", "special", "filename"}


def is_token_span(tag, attrs):
    """A highlighter's token `<span>`: no attributes, or a class made of token classes only."""
    if tag != "span":
        return False
    attrs = dict(attrs)
    if not attrs:
        return True
    if set(attrs) != {"class"}:
        return False
    classes = (attrs["class"] or "").split()
    return all(
        c.startswith("hl-") or (PYGMENTS_TOKEN.match(c) and c not in MEANINGFUL_CLASSES)
        for c in classes
    )


class Normaliser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.in_pre = 0
        self.pre_text = []
        # Inside an inline `<code>`: whether each open `<span>` is a token span.
        self.in_code = 0
        self.code_spans = []

    def handle_starttag(self, tag, attrs):
        if self.in_pre:
            self.pre_tag(tag, attrs)
            return
        if tag == "pre":
            self.in_pre = 1
            self.pre_text = []
            self.pre_spans = []
            self.tokens.append(("pre",))
            return
        if tag == "code":
            self.in_code += 1
        elif self.in_code and tag == "span":
            self.code_spans.append(is_token_span(tag, attrs))
            if self.code_spans[-1]:
                return
        self.tokens.append(("<", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def pre_tag(self, tag, attrs):
        """A tag inside `<pre>`: kept, unless it is a token span (its end tag dropped too)."""
        if tag == "pre":
            self.in_pre += 1
            self.pre_text.append(("pre",))
            return
        if tag == "span":
            self.pre_spans.append(is_token_span(tag, attrs))
            if self.pre_spans[-1]:
                return
        self.pre_text.append(("<", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.in_pre:
            if tag == "pre":
                self.in_pre -= 1
                if self.in_pre == 0:
                    self.tokens.append(("code", tuple(self.pre_pieces())))
                    return
            if tag == "span" and self.pre_spans and self.pre_spans.pop():
                return
            if tag not in VOID:
                self.pre_text.append((">", tag))
            return
        if tag in VOID:
            return
        if tag == "code" and self.in_code:
            self.in_code -= 1
            self.code_spans = []
        elif self.in_code and tag == "span" and self.code_spans and self.code_spans.pop():
            return
        self.tokens.append((">", tag))

    def pre_pieces(self):
        """The block's text and kept tags, adjacent text joined; newlines at the code's ends
        trimmed (whether the last line ends in one is not compared, as before)."""
        out = []
        for piece in self.pre_text:
            if isinstance(piece, str) and out and isinstance(out[-1], str):
                out[-1] += piece
            else:
                out.append(piece)
        code_ends = {("pre",), ("<", "code"), (">", "code")}
        for i, piece in enumerate(out):
            if not isinstance(piece, str):
                continue
            if i == 0 or out[i - 1][:2] in code_ends:
                piece = piece.lstrip("\n")
            if i == len(out) - 1 or out[i + 1][:2] in code_ends:
                piece = piece.rstrip("\n")
            out[i] = piece
        return [p for p in out if p != ""]

    def handle_data(self, data):
        if self.in_pre:
            self.pre_text.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        # In inline code a token span may hold only a space between two words.
        if text.strip() or (self.in_code and text):
            self.tokens.append(("t", text))

    def handle_comment(self, data):
        pass


def normalise(text):
    p = Normaliser()
    p.feed(text or "")
    p.close()
    # Text split across entities or tags' neighbours: join adjacent text, trim at tags.
    out = []
    for tok in p.tokens:
        if tok[0] == "t" and out and out[-1][0] == "t":
            out[-1] = ("t", out[-1][1] + tok[1])
        else:
            out.append(tok)
    return [("t", t[1].strip()) if t[0] == "t" else t for t in out if t[0] != "t" or t[1].strip()]


SUITE_EXTENSION = [
    # (test path pattern, extension)
    (r"tests/test_syntax/extensions/test_code_hilite\.py", "codehilite"),
    (r"tests/test_syntax/extensions/test_legacy_(attrs|em)\.py", "legacy_\\1"),
    (r"tests/test_syntax/extensions/test_(\w+)\.py", "\\1"),
    (r"tests/test_syntax/(blocks|inline)/", "core"),
    (r"tests/test_extensions/test_blocks/test_(\w+)\.py", "pymdownx.blocks.\\1"),
    (r"tests/test_extensions/test_striphmtl\.py", "pymdownx.striphtml"),
    (r"tests/test_extensions/test_tabbed_alternate\.py", "pymdownx.tabbed"),
    (r"tests/test_extensions/test_(\w+)\.py", "pymdownx.\\1"),
]


def extension_of(case):
    """The extension a case tests: its test file's, or the one it enables."""
    test = case["test"]
    for pattern, name in SUITE_EXTENSION:
        m = re.match(pattern, test)
        if m:
            return m.expand(name)
    if "test_apis.py" in test or "tests/test_extensions.py" in test:
        return "api"
    exts = [e.replace("markdown.extensions.", "") for e in case["extensions"]]
    return exts[0] if exts else "core"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("results")
    ap.add_argument("--floors")
    ap.add_argument("--show", help="print the failing cases of this extension")
    ap.add_argument("--json", help="write the table as JSON here")
    args = ap.parse_args()

    with open(args.cases, encoding="utf-8") as f:
        cases = [json.loads(l) for l in f]
    with open(args.results, encoding="utf-8") as f:
        results = {r["i"]: r for r in map(json.loads, f)}

    table = collections.defaultdict(lambda: {"cases": 0, "passed": 0, "skipped": 0})
    for i, case in enumerate(cases):
        ext = extension_of(case)
        row = table[ext]
        row["cases"] += 1
        result = results.get(i, {})
        expected = case.get("mkdocs_html")
        if case.get("skip") or result.get("skip") or expected is None:
            row["skipped"] += 1
            continue
        if normalise(expected) == normalise(result.get("html")):
            row["passed"] += 1
        elif args.show == ext:
            print(f"--- {case['test']} {case['extensions']} {json.dumps(case.get('configs'))}")
            print(case["source"])
            print("--- expected (MkDocs)")
            print(expected)
            print("--- dcrsite")
            print(result.get("html"))

    floors = {}
    if args.floors:
        with open(args.floors, encoding="utf-8") as f:
            floors = json.load(f)
    print(f"{'extension':32} {'cases':>6} {'skipped':>8} {'passed':>7} {'rate':>7}  floor")
    failures = []
    for ext in sorted(table):
        row = table[ext]
        run = row["cases"] - row["skipped"]
        rate = 100.0 * row["passed"] / run if run else 0.0
        floor = floors.get(ext)
        mark = "" if floor is None else f"{floor:.1f}"
        if isinstance(floor, (int, float)) and rate + 1e-9 < floor:
            failures.append(f"{ext}: {rate:.1f}% is below its floor {floor:.1f}%")
            mark += "  BELOW"
        print(f"{ext:32} {row['cases']:6} {row['skipped']:8} {row['passed']:7} {rate:6.1f}%  {mark}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(table, f, indent=1, sort_keys=True)
    for line in failures:
        print(line, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
