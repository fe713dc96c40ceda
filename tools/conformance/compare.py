"""Compares dcrsite's HTML for each recorded case with the HTML MkDocs makes of it, and
reports per extension how many cases pass, over every measured case and over the cases
dcrsite claims to render. With --floors, fails (exit 1) when an extension's rate is below
its floor (floors only go up: raise them as dcrsite gets better).

    python compare.py CASES.jsonl RESULTS.jsonl [--floors floors.json] [--show EXT]

Each case is one of:
- skipped: its configuration is a Python callable (or mkdocs.yml could not be made);
- not claimed: dcrsite warned, as it warns a user at mkdocs.yml, that an extension of the
  case ("Markdown extension `X` is not supported") or an option it sets ("option `Y` is
  not supported by dcrsite") is not rendered; the warning is dcrsite saying so;
- claimed: everything else, what dcrsite says it renders as MkDocs does.
floors.json holds a floor per extension on the rate over all measured cases and, under
"claimed", a floor on the rate over claimed cases; both are enforced. The extensions
dcrsite claims (the first line of RESULTS, written by the conformance example from
dcrsite's own answer) are marked in the table, and one with no claimed floor is named.
A second table lists what is not claimed, from the warnings.

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


NOT_CLAIMED = re.compile(
    r"Markdown extension `(?:markdown\.extensions\.)?([^`]+)`"
    r"(?:: option `([^`]+)` is not supported by dcrsite| is not supported;)"
)


def not_claimed(result):
    """What dcrsite warned it does not render for this case: `X` or `X: option Y`."""
    found = []
    for warning in result.get("warnings") or []:
        m = NOT_CLAIMED.search(warning)
        if m:
            found.append(f"{m[1]}: option {m[2]}" if m[2] else m[1])
    return found


def classify(case, result):
    """`skipped`, `not claimed` or `claimed` (see the module's text)."""
    if case.get("skip") or result.get("skip") or case.get("mkdocs_html") is None:
        return "skipped"
    return "not claimed" if not_claimed(result) else "claimed"


def passes(case, result):
    return normalise(case["mkdocs_html"]) == normalise(result.get("html"))


def new_row():
    return {"cases": 0, "skipped": 0, "not_claimed": 0, "passed": 0, "claimed": 0,
            "claimed_passed": 0, "uses": set()}


def short(name):
    return name.removeprefix("markdown.extensions.")


def tally(cases, results, show=None):
    """The table (extension → counts) and the cases each unrendered thing takes out."""
    table = collections.defaultdict(new_row)
    missing = collections.Counter()
    for i, case in enumerate(cases):
        ext, result = extension_of(case), results.get(i, {})
        row = table[ext]
        row["cases"] += 1
        row["uses"].update(map(short, case["extensions"]))
        kind = classify(case, result)
        if kind == "skipped":
            row["skipped"] += 1
            continue
        missing.update(set(not_claimed(result)))
        ok = passes(case, result)
        row["passed"] += ok
        row["not_claimed" if kind == "not claimed" else "claimed"] += 1
        row["claimed_passed"] += ok and kind == "claimed"
        if not ok and show == ext:
            show_failure(case, result)
    return table, missing


def show_failure(case, result):
    print(f"--- {case['test']} {case['extensions']} {json.dumps(case.get('configs'))}")
    for what in not_claimed(result):
        print(f"(not claimed: {what})")
    print(case["source"])
    print("--- expected (MkDocs)")
    print(case["mkdocs_html"])
    print("--- dcrsite")
    print(result.get("html"))


def rate(passed, measured):
    return 100.0 * passed / measured if measured else None


def rates(row):
    """(rate over all measured cases, rate over claimed cases); None where there are none."""
    measured = row["cases"] - row["skipped"]
    return rate(row["passed"], measured), rate(row["claimed_passed"], row["claimed"])


def claims(ext, row, claimed):
    """Whether dcrsite claims what a row tests: the extension it is named after (the
    blocks' test files have plural names), or every extension its cases enable (core
    Markdown enables none)."""
    return ext in claimed or ext.removesuffix("s") in claimed or row["uses"] <= claimed


def below_floors(table, floors):
    """A line for each rate below its floor, over all measured cases and over claimed ones."""
    failures = []
    for ext, row in sorted(table.items()):
        for floor, value, what in zip(
            (floors.get(ext), floors.get("claimed", {}).get(ext)),
            rates(row),
            ("of its measured cases", "of the cases dcrsite claims"),
        ):
            if isinstance(floor, (int, float)) and (value or 0.0) + 1e-9 < floor:
                failures.append(f"{ext}: {value or 0.0:.1f}% {what} pass, below its floor "
                                f"{floor:.1f}% in floors.json")
    return failures


def unfloored(table, floors, claimed):
    """Extensions dcrsite claims that have claimed cases but no claimed floor yet."""
    return [ext for ext, row in sorted(table.items())
            if claims(ext, row, claimed) and row["claimed"]
            and ext not in floors.get("claimed", {})]


def percent(value):
    return "     -" if value is None else f"{value:5.1f}%"


def print_table(table, floors, claimed):
    print(f"{'extension':32} {'claims':>6} {'cases':>5} {'skip':>4} {'unclaimed':>9} "
          f"{'passed':>9} {'rate':>6} {'claimed':>9} {'rate':>6}  floor (all/claimed)")
    for ext in sorted(table):
        row = table[ext]
        every, of_claimed = rates(row)
        measured = row["cases"] - row["skipped"]
        floor = floors.get(ext)
        claimed_floor = floors.get("claimed", {}).get(ext)
        marks = "/".join("-" if f is None else f"{f:.1f}" for f in (floor, claimed_floor))
        print(f"{ext:32} {'yes' if claims(ext, row, claimed) else 'no':>6} {row['cases']:5} "
              f"{row['skipped']:4} {row['not_claimed']:9} "
              f"{row['passed']:4}/{measured:<4} {percent(every)} "
              f"{row['claimed_passed']:4}/{row['claimed']:<4} {percent(of_claimed)}  {marks}")


def print_not_claimed(missing):
    print()
    print(f"{'not claimed (dcrsite warns it does not render it)':64} {'cases':>5}")
    for what, count in sorted(missing.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{what:64} {count:5}")


def load(cases_path, results_path):
    """The cases, the results by case number, and the extensions dcrsite claims."""
    with open(cases_path, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f]
    results, claimed = {}, set()
    with open(results_path, encoding="utf-8") as f:
        for record in map(json.loads, f):
            if "claimed" in record:
                claimed = set(record["claimed"])
            else:
                results[record["i"]] = record
    return cases, results, claimed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("results")
    ap.add_argument("--floors")
    ap.add_argument("--show", help="print the failing cases of this extension")
    ap.add_argument("--json", help="write the table as JSON here")
    args = ap.parse_args()
    cases, results, claimed = load(args.cases, args.results)
    table, missing = tally(cases, results, args.show)
    floors = {}
    if args.floors:
        with open(args.floors, encoding="utf-8") as f:
            floors = json.load(f)
    print_table(table, floors, claimed)
    print_not_claimed(missing)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(table, f, indent=1, sort_keys=True, default=sorted)
    for ext in unfloored(table, floors, claimed):
        print(f"note: dcrsite claims {ext} but floors.json has no claimed floor for it "
              "(add today's claimed rate, rounded down, under \"claimed\")")
    failures = below_floors(table, floors)
    for line in failures:
        print(line, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
