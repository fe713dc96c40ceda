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


def pages(root):
    """URL path → file, for every HTML page of an output folder (404 and redirects aside)."""
    out = {}
    for f in sorted(root.rglob("*.html")):
        rel = f.relative_to(root).as_posix()
        if rel == "404.html" or "/assets/" in f"/{rel}":
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="refresh"' in text[:2000]:
            continue  # a redirect stub
        out["/" + rel.removesuffix("index.html")] = f
    return out


def reference_copy(project, src, work):
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
    return dst


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
    copy = reference_copy(project, src, work)
    r = run([args.mkdocs, "build", "-q", "-d", str(out)], cwd=copy)
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


def compare(project, ref, out, report, docs):
    r_pages, d_pages = pages(ref), pages(out)
    both = sorted(set(r_pages) & set(d_pages))
    missing_ids, raw = {}, {}
    for url in both:
        r, d = parse(r_pages[url]), parse(d_pages[url])
        gone = [i for i in r.heading_ids if i not in d.ids]
        if gone:
            missing_ids[url] = gone
    for url, f in d_pages.items():
        text = "".join(parse(f).text)
        hits = [name for name, rx in RAW if rx.search(text)]
        if hits:
            raw[url] = hits
    alarms, real = classify(report.get("broken", []), ref, docs)
    ref_ids = sum(len(parse(r_pages[u]).heading_ids) for u in both)
    return {
        "project": project["name"],
        "reference_without": [f"{s}.{n}" if s else n
                              for s, names in project.get("drop", {}).items() for n in names],
        "pages": {"both": len(both), "only_mkdocs": sorted(set(r_pages) - set(d_pages)),
                  "only_dcrsite": sorted(set(d_pages) - set(r_pages))},
        "heading_ids": {"mkdocs": ref_ids,
                        "missing": sum(len(v) for v in missing_ids.values()),
                        "by_page": missing_ids},
        "raw_syntax": raw,
        "broken_links": {"false_alarms": alarms, "real": real},
        "unknown_links": len(report.get("unknown", [])),
    }


def summary(res):
    p, h, b = res["pages"], res["heading_ids"], res["broken_links"]
    lines = [f"== {res['project']}"]
    if res["reference_without"]:
        lines.append(f"   reference built without: {', '.join(res['reference_without'])}")
    lines.append(f"   pages: {p['both']} in both, {len(p['only_mkdocs'])} only in MkDocs', "
                 f"{len(p['only_dcrsite'])} only in dcrsite's")
    lines.append(f"   heading ids: {h['mkdocs'] - h['missing']}/{h['mkdocs']} of MkDocs' present")
    lines.append(f"   pages with raw dialect syntax: {len(res['raw_syntax'])}")
    lines.append(f"   broken links reported: {len(b['real'])} real (missing in MkDocs' output "
                 f"too), {len(b['false_alarms'])} false alarms; "
                 f"{res['unknown_links']} undecided (reported as unknown)")
    return "\n".join(lines)


def detail(res, limit=8):
    out = []
    for url in res["pages"]["only_mkdocs"][:limit]:
        out.append(f"   only in MkDocs': {url}")
    for url, ids in list(res["heading_ids"]["by_page"].items())[:limit]:
        out.append(f"   ids missing on {url}: {', '.join(ids[:6])}")
    for url, hits in list(res["raw_syntax"].items())[:limit]:
        out.append(f"   raw syntax on {url}: {', '.join(hits)}")
    for where in res["broken_links"]["false_alarms"][:limit]:
        out.append(f"   false alarm: {where}")
    return "\n".join(out)


def dcrsite_only(args, project, src, work):
    """What can be said without a reference: raw syntax left, links reported broken."""
    out, stderr, report = build_dcrsite(args, src, work, project["name"])
    lines = [f"== {project['name']}", f"   no reference: {project['no_reference']}"]
    if out is None:
        return "\n".join(lines + [f"   dcrsite failed:\n{stderr[-800:]}"])
    raw = [u for u, f in pages(out).items()
           if any(rx.search("".join(parse(f).text)) for _, rx in RAW)]
    lines.append(f"   pages: {len(pages(out))}; with raw dialect syntax: {len(raw)}")
    lines.append(f"   broken links reported: {len(report.get('broken', []))} (unclassified); "
                 f"{len(report.get('unknown', []))} undecided")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mkdocs", required=True)
    ap.add_argument("--dcrsite", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--only")
    ap.add_argument("--json")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    args.mkdocs, args.dcrsite = (str(Path(p).resolve()) for p in (args.mkdocs, args.dcrsite))
    shared, work = Path(args.shared).resolve(), Path(args.work).resolve()
    if not (shared / "corpora").is_dir():
        print(f"skipped: no corpora at {shared}/corpora (../shared is absent)")
        return 0
    projects = json.loads((HERE / "projects.json").read_text())["projects"]
    results = []
    for project in projects:
        if args.only and project["name"] != args.only:
            continue
        src = shared / "corpora" / project["path"]
        if project.get("no_reference"):
            print(dcrsite_only(args, project, src, work))
            continue
        ref, why = build_reference(args, project, src, work)
        if ref is None:
            print(f"== {project['name']}\n   no reference: MkDocs failed: {' | '.join(why)}")
            continue
        out, stderr, report = build_dcrsite(args, src, work, project["name"])
        if out is None:
            print(f"== {project['name']}\n   dcrsite failed:\n{stderr[-800:]}")
            results.append({"project": project["name"], "dcrsite_failed": stderr[-800:]})
            continue
        docs = next((l.split(":", 1)[1].strip().strip("'\"") for l in
                     (src / "mkdocs.yml").read_text().splitlines()
                     if l.startswith("docs_dir:")), "docs")
        res = compare(project, ref, out, report, docs)
        results.append(res)
        print(summary(res))
        if args.verbose:
            print(detail(res))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
