"""Records the Markdown test cases of Python-Markdown's and pymdown-extensions' own test
suites as JSON lines: each call the suites make to `Markdown(...).convert(source)`, with
its extensions, their configuration and the HTML the reference implementation produced
(the suites assert it equals their expected output, so a passing test's case is its
expectation), and the HTML MkDocs makes of the same source (MkDocs always adds `toc`,
`tables` and `fenced_code`; dcrsite renders as MkDocs does, so that is what it is
compared with).

Run it with the reference installed in the same environment:

    python extract.py OUT.jsonl SDIST_DIR [SDIST_DIR ...]

where each SDIST_DIR is an unpacked source distribution (its `tests/` folder is run with
pytest). Nothing of the suites is stored in this repository; CI downloads the pinned
source distributions and extracts the cases each run.
"""

import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import markdown
import pytest

CURRENT = {"test": None, "suite_dir": None}
CASES = []

_init = markdown.Markdown.__init__
_convert = markdown.Markdown.convert


def dotted_name(fn):
    """`markdown.extensions.toc.slugify_unicode` for a function of Python-Markdown or
    pymdown-extensions importable by that name (what a mkdocs.yml writes as
    `!!python/name:…`, and a renderer can know by name), else None. A function of the
    test suite itself (`tests.…custom_format`) is a user's own Python code: such a case is
    skipped, as any case configured with a callable."""
    module, name = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
    if not module or "<" in name or module.split(".")[0] not in ("markdown", "pymdownx"):
        return None
    try:
        found = importlib.import_module(module)
        for part in name.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return f"{module}.{name}" if found is fn else None


def plain(value):
    """The value as JSON, or None when it holds something only Python has (a callable
    not importable by name, an extension object): such a case cannot be given to another
    implementation. A function importable by name is given as `!!python/name:NAME`, as a
    mkdocs.yml writes it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if callable(value) and not isinstance(value, type):
        name = dotted_name(value)
        return f"!!python/name:{name}" if name else None
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value)) else items
    if isinstance(value, dict):
        items = {str(k): plain(v) for k, v in value.items()}
        if any(items[str(k)] is None and v is not None for k, v in value.items()):
            return None
        return items
    return None


def suite_relative(value):
    """`value` with absolute paths inside the suite's folder made relative to it (the
    snippets tests' `base_path`), so a case names the same files wherever the suite is
    unpacked: the renderer reads them from the suite's folder as a project root."""
    base = CURRENT["suite_dir"]
    if isinstance(value, str) and base and value.startswith(base + os.sep):
        return os.path.relpath(value, base)
    if isinstance(value, list):
        return [suite_relative(v) for v in value]
    if isinstance(value, dict):
        return {k: suite_relative(v) for k, v in value.items()}
    return value


def captured(value, number):
    """`value` with paths inside temporary folders (the snippets tests write their files
    to one and delete it when the test ends) pointing at a copy taken now, when the
    reference reads them: `_captured/NUMBER/tmpXXXX/...` inside the suite's folder,
    which `suite_relative` then makes relative. A path that does not exist now (a base
    path the test means to be missing) keeps not existing in the copy."""
    tmp = os.path.realpath(tempfile.gettempdir()) + os.sep
    if isinstance(value, str) and os.path.realpath(value).startswith(tmp):
        top = os.path.realpath(value)[len(tmp):].split(os.sep)[0]
        copy = os.path.join(CURRENT["suite_dir"], "_captured", str(number), top)
        if not os.path.exists(copy) and os.path.isdir(tmp + top):
            shutil.copytree(tmp + top, copy)
        return os.path.join(copy, os.path.realpath(value)[len(tmp) + len(top) + 1:])
    if isinstance(value, list):
        return [captured(v, number) for v in value]
    if isinstance(value, dict):
        return {k: captured(v, number) for k, v in value.items()}
    return value


def by_name(extensions, configs):
    """Extension objects (`TocExtension(permalink=True)`) as the name and options a
    mkdocs.yml gives (`markdown.extensions.toc: {permalink: true}`): only the options that
    differ from the extension's defaults."""
    names, configs = [], dict(configs)
    for ext in extensions:
        name = type(ext).__module__
        if name.startswith(("markdown.extensions.", "pymdownx.")):
            try:
                defaults = type(ext)().getConfigs()
            except Exception:
                names.append(ext)
                continue
            given = {k: v for k, v in ext.getConfigs().items() if defaults.get(k) != v}
            names.append(name)
            if given:
                configs[name] = {**configs.get(name, {}), **given}
        else:
            names.append(ext)
    return names, configs


def init(self, *args, **kwargs):
    names, configs = by_name(kwargs.get("extensions", []), kwargs.get("extension_configs", {}))
    self._recorded = {
        "extensions": names,
        "extension_configs": configs,
        "output_format": kwargs.get("output_format", "xhtml"),
        "tab_length": kwargs.get("tab_length", 4),
    }
    _init(self, *args, **kwargs)


# MkDocs always adds these to a project's `markdown_extensions`, before the project's own
# (mkdocs/config/defaults.py: builtins + extensions), so a later superfences replaces
# fenced_code's block processor as it does in a real MkDocs build.
MKDOCS_DEFAULTS = ["toc", "tables", "fenced_code"]


def as_mkdocs(rec, source):
    """The HTML MkDocs would make of `source`: the same extensions plus MkDocs' own."""
    names = list(rec["extensions"])
    short = {n.replace("markdown.extensions.", "") for n in names if isinstance(n, str)}
    names = [n for n in MKDOCS_DEFAULTS if n not in short] + names
    md = markdown.Markdown.__new__(markdown.Markdown)
    _init(md, extensions=names, extension_configs=rec["extension_configs"],
          tab_length=rec["tab_length"])
    try:
        return _convert(md, source)
    except Exception as e:  # an extension at odds with MkDocs' defaults
        return None


def convert(self, source):
    html = _convert(self, source)
    rec = getattr(self, "_recorded", None)
    if rec is not None and CURRENT["test"] is not None:
        names = rec["extensions"]
        configs = rec["extension_configs"]
        portable = all(isinstance(n, str) for n in names) and plain(configs) is not None
        CASES.append(
            {
                "test": CURRENT["test"],
                "extensions": [n if isinstance(n, str) else type(n).__name__ for n in names],
                "configs": suite_relative(captured(plain(configs), len(CASES)))
                if portable else None,
                "skip": None if portable else "configuration is a Python object or callable",
                "tab_length": rec["tab_length"],
                "source": source,
                "html": html,
                "mkdocs_html": as_mkdocs(rec, source) if portable else None,
            }
        )
    return html


class Recorder:
    """A pytest plugin naming the test that runs, so each case says where it came from."""

    def pytest_runtest_setup(self, item):
        CURRENT["test"] = item.nodeid

    def pytest_runtest_teardown(self, item):
        CURRENT["test"] = None


def record_suite(out_path, d):
    """Runs one suite's tests (in this process: each suite has a `tests` package of its
    own, so each gets a process) and appends its cases to `out_path`."""
    markdown.Markdown.__init__ = init
    markdown.Markdown.convert = convert
    os.chdir(d)
    CURRENT["suite_dir"] = d
    shutil.rmtree(os.path.join(d, "_captured"), ignore_errors=True)
    sys.path.insert(0, d)
    # Python-Markdown has a class named TestSuite that pytest notes it cannot collect.
    pytest.main(["-q", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestCollectionWarning",
                 "--continue-on-collection-errors", "tests"],
                plugins=[Recorder()])
    suite = os.path.basename(os.path.normpath(d))
    with open(out_path, "a", encoding="utf-8") as out:
        for case in CASES:
            case["suite"] = suite
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{suite}: {len(CASES)} cases", file=sys.stderr)


def main(out_path, dirs):
    open(out_path, "w").close()
    for d in dirs:
        subprocess.run([sys.executable, __file__, "--suite", out_path, d], check=True)


if __name__ == "__main__":
    if sys.argv[1] == "--suite":
        record_suite(os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]))
    else:
        main(os.path.abspath(sys.argv[1]), [os.path.abspath(d) for d in sys.argv[2:]])
