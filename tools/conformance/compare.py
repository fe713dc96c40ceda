"""Compares dcrsite's HTML for each recorded case with the HTML MkDocs makes of it, and
reports the pass rate per extension. With --floors, fails (exit 1) when an extension
dcrsite claims passes fewer cases than its floor (floors only go up: raise them as
dcrsite gets better).

    python compare.py CASES.jsonl RESULTS.jsonl [--floors floors.json] [--show EXT]

HTML is compared normalised: tags with their attributes sorted, text with white space
collapsed, white space between tags dropped, and code blocks by their text alone
(dcrsite highlights with syntect, the reference with Pygments: the markup of colours
differs by design, the code must not).
"""

import argparse
import collections
import html.parser
import json
import re
import sys

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"}


class Normaliser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.in_pre = 0
        self.pre_text = []

    def handle_starttag(self, tag, attrs):
        if self.in_pre:
            if tag == "pre":
                self.in_pre += 1
            return
        if tag == "pre":
            self.in_pre = 1
            self.pre_text = []
            self.tokens.append(("pre",))
            return
        self.tokens.append(("<", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.in_pre:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.in_pre:
            if tag == "pre":
                self.in_pre -= 1
                if self.in_pre == 0:
                    self.tokens.append(("code", "".join(self.pre_text).strip("\n")))
            return
        if tag in VOID:
            return
        self.tokens.append((">", tag))

    def handle_data(self, data):
        if self.in_pre:
            self.pre_text.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if text.strip():
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
