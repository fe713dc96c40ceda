#!/usr/bin/env python3
"""Differential check against MkDocs itself: for each project, build it with MkDocs (the
reference) and with dcrsite, then report

- URL paths (HTML pages) present in both, only in MkDocs', only in dcrsite's output;
- heading ids per page that MkDocs makes and dcrsite does not;
- raw dialect syntax left in dcrsite's visible text (`!!! note`, `/// tab`, `{: .x }`, …);
- every broken link `dcrsite check` reports, classified by whether its target exists in
  MkDocs' output (a false alarm) or not (a real finding).

    differential.py --mkdocs VENV/bin/mkdocs --dcrsite target/debug/dcrsite \
        --shared ../shared --work target/differential [--only NAME] [--json FILE]

Where MkDocs cannot load a project's plugins or hooks here, the reference is a copy with
them removed (tools/differential/projects.json says which, and the report repeats it).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent

# Dialect syntax that must never reach a reader as text (outside code).
RAW = [
    ("admonition", re.compile(r"(^|\n)\s*(!!!|\?\?\?\+?)\s*[a-z]")),
    ("tab", re.compile(r"(^|\n)\s*===\+?\s*\"")),
    ("blocks", re.compile(r"(^|\n)\s*///\s*[a-z]")),
    ("attr_list", re.compile(r"\{:?\s*[#.][\w-]+[^}]*\}")),
    ("snippet", re.compile(r"-{1,2}8<-{1,2}")),
    ("keys", re.compile(r"\+\+[\w-]+(\+[\w-]+)*\+\+")),
    ("mark", re.compile(r"==[^=\s][^=]*[^=\s]==")),
    ("icon", re.compile(r":(material|octicons|fontawesome|simple)-[\w-]+:")),
    ("variable", re.compile(r"\{\{\s*[\w.]+\s*\}\}")),
    ("critic", re.compile(r"\{(\+\+|--|~~|==|>>).*?(\+\+|--|~~|==|<<)\}")),
    ("toc marker", re.compile(r"\[TOC\]")),
    ("include", re.compile(r"\{[*!]\s*\S+.*?[*!]\}")),
    ("template", re.compile(r"\{%-?\s*(if|for|set|raw|include|macro|endif|endfor)\b.*?%\}")),
    ("footnote", re.compile(r"\[\^[^\]\s]+\]")),
    ("link", re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))+\)")),
    ("directive", re.compile(r"(^|\n)\s*::: +[\w.]+")),
]


class Page(HTMLParser):
    """Heading ids and visible text (outside code) of a page's article, and all ids."""

    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside <article>, 0 outside
        self.code = 0
        self.heading_ids = []
        self.ids = set()
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("name") and tag == "a":
            self.ids.add(a["name"])
        if tag == "article" and self.depth == 0:
            self.depth = 1
            return
        if self.depth and tag not in self.VOID:
            self.depth += 1
            if tag in ("code", "pre", "script", "style", "kbd"):
                self.code += 1
        if self.depth and tag in self.HEADINGS and a.get("id"):
            self.heading_ids.append(a["id"])

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            if tag in ("code", "pre", "script", "style", "kbd") and self.code:
                self.code -= 1

    def handle_data(self, data):
        if self.depth and not self.code:
            self.text.append(data)


def parse(path):
    p = Page()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return p


def pages(root, rendered_only=False):
    """URL path → file, for every HTML page of an output folder (404 and redirects aside).
    `rendered_only` keeps the pages MkDocs rendered (its generator tag), leaving out HTML
    files it copied from docs/ as they are (a theme override such as overrides/main.html
    is a static file to MkDocs, not a page)."""
    out = {}
    for f in sorted(root.rglob("*.html")):
        rel = f.relative_to(root).as_posix()
        if rel == "404.html" or "/assets/" in f"/{rel}":
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="refresh"' in text[:2000]:
            continue  # a redirect stub
        if rendered_only and 'name="generator" content="mkdocs-' not in text:
            continue
        out["/" + rel.removesuffix("index.html")] = f
    return out


def reference_copy(project, src, work, python):
    """A copy of the project for MkDocs, without what MkDocs cannot load here."""
    dst = work / "reference-src" / project["name"]
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=False, ignore=shutil.ignore_patterns(".git"))
    yml = dst / "mkdocs.yml"
    lines = yml.read_text().splitlines()
    for section, names in project.get("drop", {}).items():
        lines = drop_entries(lines, section or None, names)
    yml.write_text("\n".join(lines) + "\n")
    if project.get("icons_from"):
        add_icons(dst, package_dir(python, project["icons_from"]),
                  package_dir(python, "material"))
    return dst


def package_dir(python, name):
    """Where the venv's Python finds package `name`."""
    r = run([python, "-c", f"import os, {name}; print(os.path.dirname({name}.__file__))"])
    return Path(r.stdout.strip())


def add_icons(dst, package, material):
    """Icon sets only `package` (Zensical) ships, copied into the reference copy's
    custom_dir where Material's templates look for `.icons/`; an icon a page names that no
    set has gets an empty SVG (it only decorates the navigation)."""
    theirs = package / "templates" / ".icons"
    custom = dst / (read_key(dst / "mkdocs.yml", "custom_dir") or "overrides")
    ours = custom / ".icons"
    material = material / "templates" / ".icons"
    for s in theirs.iterdir():
        if not (material / s.name).exists():
            shutil.copytree(s, ours / s.name, dirs_exist_ok=True)
    named = re.compile(r"^\s*(?:-\s*)?icon:\s*([a-z]+/[\w-]+)\s*$", re.M)
    for f in list(dst.rglob("*.md")) + [dst / "mkdocs.yml"]:
        for icon in named.findall(f.read_text(errors="replace")):
            svg = ours / f"{icon}.svg"
            if (ours / icon.split("/")[0]).is_dir() and not svg.exists():
                svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>')


def read_key(yml, key):
    """A top-level or nested `key: value` of a YAML file, first one, as written."""
    m = re.search(rf"^\s*{key}:\s*(\S+)\s*$", yml.read_text(), re.M)
    return m.group(1).strip("'\"") if m else None


def drop_entries(lines, section, names):
    """Removes `name` entries (and their nested lines) from a top-level YAML section, or
    top-level keys when `section` is None; written as a list (`- name`) or a mapping."""
    out, skip, inside = [], None, section is None
    for line in lines:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if skip is not None:
            at, was_key = skip
            # A dropped entry's lines: deeper ones, blank ones, and a key's list items
            # written at the key's own indent (`watch:\n- src`).
            if not stripped or indent > at or (indent == at and was_key
                                                and stripped.startswith("- ")):
                continue
            skip = None
        if section is not None and indent == 0 and stripped and not stripped.startswith("#"):
            inside = stripped.startswith(f"{section}:")
        if inside and stripped:
            key = re.sub(r"^- ", "", stripped).split(":")[0].strip().strip("'\"")
            own = indent == 0 if section is None else indent > 0
            if own and key in names:
                skip = (indent, not stripped.startswith("- "))
                continue
        out.append(line)
    return out


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def build_reference(args, project, src, work):
    out = work / "mkdocs" / project["name"]
    copy = reference_copy(project, src, work, args.python)
    r = run([args.python, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=copy)
    if r.returncode != 0:
        return None, r.stderr.strip().splitlines()[-3:]
    return out, []


def build_dcrsite(args, src, work, name):
    out = work / "dcrsite" / name
    r = run([args.dcrsite, "build", "--root", str(src), "--output", str(out), "--force"])
    c = run([args.dcrsite, "check", "--root", str(src), "--format", "json"])
    try:
        report = json.loads(c.stdout)
    except json.JSONDecodeError:
        report = {"broken": [], "error": c.stderr.strip()[-500:]}
    return (out if r.returncode == 0 else None), r.stderr, report


def md_target(link, docs):
    """The output path of a `page.md#frag` link written in `link['source_file']`."""
    target = link["target"]
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None, None
    base = Path(link["source_file"]).parent
    path = unquote(parts.path)
    if not path:
        return link["source"], parts.fragment
    rel = os.path.normpath((base / path).as_posix())
    rel = rel.split(f"{docs}/", 1)[1] if rel.startswith(f"{docs}/") else rel
    if rel.endswith(".md"):
        stem = rel[:-3]
        if Path(stem).name in ("index", "README"):
            stem = str(Path(stem).parent)
        rel = "index.html" if stem in (".", "") else f"{stem}/index.html"
    return rel, parts.fragment


def page_target(link):
    """The output path of a URL link on the built page `link['source']`."""
    parts = urlsplit(link["target"])
    if parts.scheme or parts.netloc:
        return None, None
    base = Path(link["source"]).parent
    path = unquote(parts.path)
    rel = os.path.normpath((base / path).as_posix()) if path else link["source"]
    return rel.lstrip("/"), parts.fragment


def exists_in(ref, rel, fragment, cache):
    rel = rel.lstrip("./")
    f = ref / rel
    if f.is_dir():
        f = f / "index.html"
    if not f.is_file():
        return False
    if fragment and f.suffix == ".html":
        if f not in cache:
            cache[f] = parse(f).ids
        return fragment in cache[f]
    return True


def classify(broken, ref, docs):
    cache, alarms, real = {}, [], []
    for link in broken:
        where = f"{link['source_file']}:{link['line']}:{link['column']} `{link['target']}`"
        candidates = [page_target(link), md_target(link, docs)]
        found = any(rel is not None and exists_in(ref, rel, frag, cache)
                    for rel, frag in candidates)
        (alarms if found else real).append(where)
    return alarms, real


def raw_hits(text, reference=None):
    """The RAW kinds in `text`; with the reference page's text, only the kinds `text` has
    more of (what MkDocs shows as text too, such as an example in prose, is no leftover)."""
    out = []
    for name, rx in RAW:
        n = len(rx.findall(text))
        if n and (reference is None or n > len(rx.findall(reference))):
            out.append(name)
    return out


def allowed(rules, url, ident):
    """The reason a missing id or page is expected (projects.json `known`), or None."""
    for rule in rules:
        if re.fullmatch(rule.get("page", ".*"), url) and re.fullmatch(rule.get("id", ".*"), ident):
            return rule["why"]
    return None


def unknown_classes(unknown):
    """`dcrsite check`'s undecided links, counted by reason with names taken out."""
    counts = {}
    for u in unknown:
        why = re.sub(r"`[^`]*`", "…", u.get("reason", ""))
        why = re.sub(r"/[\w./-]*/", "/…/", why)
        counts[why] = counts.get(why, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def compare(project, ref, out, report, docs):
    known = project.get("known", {})
    r_all, r_pages, d_pages = pages(ref), pages(ref, rendered_only=True), pages(out)
    both = sorted(set(r_pages) & set(d_pages))
    missing_ids, excused, raw, pending = {}, {}, {}, {}
    for url in both:
        r, d = parse(r_pages[url]), parse(d_pages[url])
        for i in (i for i in r.heading_ids if i not in d.ids):
            why = allowed(known.get("missing_ids", []), url, i)
            (excused.setdefault(why, []) if why else missing_ids.setdefault(url, [])).append(i)
    for url, f in d_pages.items():
        ref_text = "".join(parse(r_pages[url]).text) if url in r_pages else None
        for kind in raw_hits("".join(parse(f).text), ref_text):
            why = allowed(known.get("raw", []), url, kind)
            if why:
                pending.setdefault(why, []).append(url)
            else:
                raw.setdefault(url, []).append(kind)
    alarms, real = classify(report.get("broken", []), ref, docs)
    only_m = sorted(set(r_pages) - set(d_pages))
    return {
        "project": project["name"],
        "reference_without": [f"{s}.{n}" if s else n
                              for s, names in project.get("drop", {}).items() for n in names],
        "pages": {"mkdocs": len(r_pages), "both": len(both),
                  "only_mkdocs": [u for u in only_m
                                  if not allowed(known.get("pages", []), u, "")],
                  "only_mkdocs_expected": [u for u in only_m
                                           if allowed(known.get("pages", []), u, "")],
                  "only_dcrsite": sorted(set(d_pages) - set(r_all)),
                  "static_html_only_mkdocs": sorted(set(r_all) - set(r_pages) - set(d_pages))},
        "heading_ids": {"mkdocs": sum(len(parse(r_pages[u]).heading_ids) for u in both),
                        "missing": sum(len(v) for v in missing_ids.values()),
                        "by_page": missing_ids, "expected_missing": excused},
        "raw_syntax": raw,
        "raw_pending": pending,
        "broken_links": {"false_alarms": alarms, "real": real},
        "unknown_links": unknown_classes(report.get("unknown", [])),
    }


def misses(res, targets):
    """How `res` falls short of the project's targets (empty when it meets them)."""
    out = []
    p, h = res["pages"], res["heading_ids"]
    if p["only_mkdocs"]:
        out.append(f"{len(p['only_mkdocs'])} of MkDocs' pages missing")
    if h["missing"] > targets.get("missing_ids", 0):
        out.append(f"{h['missing']} heading ids missing (target {targets.get('missing_ids', 0)})")
    if len(res["raw_syntax"]) > targets.get("raw_pages", 0):
        out.append(f"{len(res['raw_syntax'])} pages with raw syntax "
                   f"(target {targets.get('raw_pages', 0)})")
    if res["broken_links"]["false_alarms"]:
        out.append(f"{len(res['broken_links']['false_alarms'])} false alarms (target 0)")
    real, most = len(res["broken_links"]["real"]), targets.get("real_broken")
    if most is not None and real > most:
        out.append(f"{real} broken links (target at most {most})")
    return out


def summary(res):
    p, h, b = res["pages"], res["heading_ids"], res["broken_links"]
    lines = [f"== {res['project']}"]
    if res["reference_without"]:
        lines.append(f"   reference built without: {', '.join(res['reference_without'])}")
    lines.append(f"   pages: {p['both']}/{p['mkdocs']} of MkDocs' in both, "
                 f"{len(p['only_mkdocs'])} only in MkDocs' "
                 f"(+{len(p['only_mkdocs_expected'])} plugin-generated, listed), "
                 f"{len(p['only_dcrsite'])} only in dcrsite's; "
                 f"{len(p['static_html_only_mkdocs'])} static HTML files only MkDocs copies")
    excused = sum(len(v) for v in h["expected_missing"].values())
    lines.append(f"   heading ids: {h['mkdocs'] - h['missing'] - excused}/{h['mkdocs']} of "
                 f"MkDocs' present, {excused} reference artefacts (listed)")
    lines.append(f"   pages with raw dialect syntax: {len(res['raw_syntax'])}; pending "
                 f"(listed in projects.json): {sum(len(v) for v in res['raw_pending'].values())}")
    for why, urls in res["raw_pending"].items():
        lines.append(f"     pending ×{len(urls)}: {why[:150]}")
    lines.append(f"   broken links reported: {len(b['real'])} real (missing in MkDocs' output "
                 f"too), {len(b['false_alarms'])} false alarms; "
                 f"{sum(res['unknown_links'].values())} undecided (reported as unknown)")
    for why, n in res["unknown_links"].items():
        lines.append(f"     unknown ×{n}: {why[:150]}")
    return "\n".join(lines)


def detail(res, limit=8):
    out = []
    for url in res["pages"]["only_mkdocs"][:limit]:
        out.append(f"   only in MkDocs': {url}")
    for url in res["pages"]["only_dcrsite"][:limit]:
        out.append(f"   only in dcrsite's: {url}")
    for url, ids in list(res["heading_ids"]["by_page"].items())[:limit]:
        out.append(f"   ids missing on {url}: {', '.join(ids[:6])}")
    for why, ids in res["heading_ids"]["expected_missing"].items():
        out.append(f"   {len(ids)} ids expected missing: {why[:100]}")
    for url, hits in list(res["raw_syntax"].items())[:limit]:
        out.append(f"   raw syntax on {url}: {', '.join(hits)}")
    for where in res["broken_links"]["real"][:limit]:
        out.append(f"   broken (in MkDocs' build too): {where}")
    for where in res["broken_links"]["false_alarms"][:limit]:
        out.append(f"   false alarm: {where}")
    return "\n".join(out)


def one(args, project, shared, work):
    """The report of one project and how it misses its targets."""
    src = shared / "corpora" / project["path"]
    ref, why = build_reference(args, project, src, work)
    if ref is None:
        return {"project": project["name"], "reference_failed": why}, ["no reference build"]
    out, stderr, report = build_dcrsite(args, src, work, project["name"])
    if out is None:
        return {"project": project["name"], "dcrsite_failed": stderr[-800:]}, ["dcrsite failed"]
    docs = read_key(src / "mkdocs.yml", "docs_dir") or "docs"
    res = compare(project, ref, out, report, docs)
    return res, misses(res, project.get("targets", {}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True, help="the venv's Python with MkDocs")
    ap.add_argument("--dcrsite", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--only")
    ap.add_argument("--json")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    args.python, args.dcrsite = (str(Path(p).absolute()) for p in (args.python, args.dcrsite))
    shared, work = Path(args.shared).resolve(), Path(args.work).resolve()
    if not (shared / "corpora").is_dir():
        print(f"skipped: no corpora at {shared}/corpora (../shared is absent)")
        return 0
    projects = json.loads((HERE / "projects.json").read_text())["projects"]
    results, failed = [], []
    for project in projects:
        if args.only and project["name"] != args.only:
            continue
        res, missed = one(args, project, shared, work)
        results.append(res)
        print(summary(res) if "pages" in res else f"== {res}")
        if args.verbose and "pages" in res:
            print(detail(res))
        for m in missed:
            print(f"   MISSES TARGET: {m}")
        if missed:
            failed.append(project["name"])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if failed:
        print(f"differential: {', '.join(failed)} missed their targets "
              "(tools/differential/projects.json)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
