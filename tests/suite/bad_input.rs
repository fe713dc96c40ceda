//! Bad input, table-driven: every broken site gets a clear `file:line` message and the
//! documented exit code; inputs that look odd but are fine (BOM, CRLF, YAML 1.1 words,
//! huge pages) build. Nothing may panic (checked by `common::dcrsite`).

use std::path::Path;

use crate::common::*;

const CONFIG: &str = "title: T\nicons:\n  dir: img/icons\n  class: dcr-icon\n";
const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"></svg>\n";

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    /// Extra preparation of the site folder (symlinks, permissions, output files).
    setup: fn(&Path),
    /// Extra arguments; `{root}` and `{home}` are replaced.
    args: Vec<&'static str>,
    code: i32,
    /// Substrings of stderr (for failures) or of the built page named first (for successes).
    expect: Vec<&'static str>,
    /// Substrings of stderr for successes (warnings).
    warn: Vec<&'static str>,
}

fn case(
    name: &'static str,
    files: &[(&'static str, &str)],
    code: i32,
    expect: &[&'static str],
) -> Case {
    Case {
        name,
        files: files
            .iter()
            .map(|(p, t)| (*p, t.as_bytes().to_vec()))
            .collect(),
        setup: |_| {},
        args: Vec::new(),
        code,
        expect: expect.to_vec(),
        warn: Vec::new(),
    }
}

/// An MkDocs project (`mkdocs.yml`, no `site.yaml`).
fn mkdocs_case(
    name: &'static str,
    files: &[(&'static str, &str)],
    code: i32,
    expect: &[&'static str],
) -> Case {
    Case {
        setup: |root| std::fs::remove_file(root.join("site.yaml")).unwrap(),
        ..case(name, files, code, expect)
    }
}

/// Snippets read from `parts/`, for the MkDocs cases.
const MKDOCS_SNIPPETS: &str =
    "site_name: M\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: parts\n";

/// How long one case may run: the inputs that used to hang fail instead of hanging.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

fn no_setup(_: &Path) {}

fn cases() -> Vec<Case> {
    let big_page = {
        let mut s = String::from("---\ntitle: Big\n---\n");
        let para = "A long paragraph of words that repeats to make a very large page. ";
        while s.len() < 10 * 1024 * 1024 {
            s.push_str(para);
            s.push_str("\n\n");
        }
        s
    };
    let deep = format!(
        "---\ntitle: Deep\n---\n{}# Deep heading\n",
        "> - ".repeat(10_000)
    );
    let mut all = vec![
        case(
            "front matter not closed",
            &[("content/a.md", "---\ntitle: A\n\nbody\n")],
            1,
            &["content/a.md:1:1: error: front matter is not closed"],
        ),
        case(
            "tab indentation",
            &[("content/a.md", "---\naliases:\n\t- /x/\n---\n")],
            1,
            &["content/a.md:3:", "tabs"],
        ),
        case(
            "duplicate key",
            &[("content/a.md", "---\ntitle: A\ntitle: B\n---\n")],
            1,
            &["content/a.md:3:", "duplicate"],
        ),
        case(
            "weight not a number",
            &[("content/a.md", "---\nweight: heavy\n---\n")],
            1,
            &[
                "content/a.md:2:9: error: invalid YAML: invalid type",
                "weight",
            ],
        ),
        case(
            "draft not a boolean",
            &[("content/a.md", "---\ndraft: maybe\n---\n")],
            1,
            &[
                "content/a.md:2:8: error: invalid YAML: invalid type",
                "draft",
            ],
        ),
        case(
            "aliases not a list",
            &[("content/a.md", "---\naliases: 5\n---\n")],
            1,
            &[
                "content/a.md:2:10: error: invalid YAML: invalid type",
                "aliases",
            ],
        ),
        case(
            "unknown front matter field",
            &[("content/a.md", "---\ntitel: A\n---\n")],
            1,
            &[
                "content/a.md:2:1: error: unknown field `titel`",
                "did you mean `title`?",
            ],
        ),
        case(
            "title: no stays a word",
            &[("content/a.md", "---\ntitle: no\n---\nx\n")],
            0,
            &["a/index.html", "<title>no · T</title>"],
        ),
        case(
            "title: on stays a word",
            &[("content/a.md", "---\ntitle: on\n---\nx\n")],
            0,
            &["a/index.html", "<title>on · T</title>"],
        ),
        case(
            "slug that looks like a date",
            &[(
                "content/a.md",
                "---\ntitle: Dated\nslug: 2024-01-01\n---\nx\n",
            )],
            0,
            &["2024-01-01/index.html", "<title>Dated · T</title>"],
        ),
        case(
            "unknown site.yaml key",
            &[("site.yaml", "title: T\nthem: decred\n")],
            1,
            &[
                "site.yaml:2:1: error: unknown field `them`",
                "did you mean `theme`?",
            ],
        ),
        case(
            "empty file",
            &[("content/a.md", "")],
            0,
            &["a/index.html", "<title>A · T</title>"],
        ),
        case(
            "only front matter",
            &[("content/a.md", "---\ntitle: Only\n---\n")],
            0,
            &["a/index.html", "<title>Only · T</title>"],
        ),
        case(
            "UTF-8 BOM",
            &[("content/a.md", "\u{feff}---\ntitle: Bom\n---\nbody\n")],
            0,
            &["a/index.html", "<title>Bom · T</title>"],
        ),
        case(
            "CRLF line endings",
            &[(
                "content/a.md",
                "---\r\ntitle: Crlf\r\n---\r\n## Part\r\n\r\ntext\r\n",
            )],
            0,
            &[
                "a/index.html",
                "<title>Crlf · T</title>",
                "<h2 id=\"part\">",
            ],
        ),
        case(
            "10 MB page",
            &[],
            0,
            &["big/index.html", "<title>Big · T</title>"],
        ),
        case(
            "10,000 levels of nesting",
            &[],
            0,
            &["deep/index.html", "Deep heading"],
        ),
        case(
            "unknown icon",
            &[("content/a.md", "---\nicon: Cdoe\n---\n")],
            1,
            &[
                "content/a.md:2:7: error: unknown icon `Cdoe`",
                "did you mean `Code`?",
            ],
        ),
        case(
            "icon folder missing",
            &[
                ("site.yaml", "title: T\nicons:\n  dir: img/nothing-here\n"),
                ("content/a.md", "---\nicon: Code\n---\n"),
            ],
            1,
            &[
                "content/a.md:2:7: error: unknown icon `Code`",
                "icon set is empty",
            ],
        ),
        case(
            "missing template",
            &[("content/a.md", "---\ntemplate: nope.html\n---\n")],
            1,
            &["content/a.md:2:11: error: template `nope.html` not found"],
        ),
        case(
            "Tera syntax error",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "<p>\n{{ page.title \n"),
            ],
            1,
            &["templates/page.html:", "template syntax error"],
        ),
        case(
            "undefined template variable",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "<p>\n{{ page.nothing }}\n"),
            ],
            1,
            &[
                "templates/page.html:2:4: error: template variable `page.nothing` is not defined",
                "page.nothing",
            ],
        ),
        case(
            "template including itself",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "{% include \"page.html\" %}\n"),
            ],
            1,
            &[
                "templates/page.html:1:1: error: template `page.html` includes itself: page.html → page.html",
                "replaces the theme's `page.html`",
            ],
        ),
        case(
            "templates including each other",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "{% include \"a.html\" %}"),
                ("templates/a.html", "a\n{% include \"b.html\" %}"),
                ("templates/b.html", "{% include \"a.html\" %}"),
            ],
            1,
            &["templates/a.html:2:1: error: template `a.html` includes itself: a.html → b.html → a.html"],
        ),
        case(
            "macro files importing each other",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "{% import \"m1.html\" as m %}{{ m::x() }}"),
                ("templates/m1.html", "{% import \"m2.html\" as m2 %}{% macro x() %}1{% endmacro x %}"),
                ("templates/m2.html", "{% import \"m1.html\" as m1 %}"),
            ],
            1,
            &["templates/m1.html:1:1: error: template `m1.html` imports itself: m1.html → m2.html → m1.html"],
        ),
        case(
            "macro recursing without end",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "{% import \"m.html\" as m %}{{ m::f() }}"),
                ("templates/m.html", "\n{% macro f() %}{{ self::f() }}{% endmacro f %}"),
            ],
            1,
            &["templates/m.html:2:1: error: macro `f` calls nest more than 64 deep: page.html → f → f"],
        ),
        case(
            "template range of a billion numbers",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "<p>\n{% for i in range(end=1000000000) %}{{ i }}{% endfor %}"),
            ],
            1,
            &["templates/page.html:2:13: error: `range`", "100000"],
        ),
        case(
            "template string doubled in a loop",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "{% set s = \"x\" %}\n{% for i in range(end=200) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}"),
            ],
            1,
            &["templates/page.html:2:", "64 MiB"],
        ),
        case(
            "template reading an environment variable",
            &[
                ("content/a.md", "x"),
                ("templates/page.html", "<p>\n{{ get_env(name=\"HOME\") }}"),
            ],
            1,
            &["templates/page.html:2:4: error: `get_env` cannot read `HOME`", "DCRSITE_"],
        ),
        case(
            "same URL: a.md and a/_index.md",
            &[("content/a.md", "x"), ("content/a/_index.md", "y")],
            1,
            &["collides with content/a.md", "/a/"],
        ),
        case(
            "same URL: names differing in case",
            &[("content/Guide.md", "x"), ("content/guide.md", "y")],
            1,
            &["collides with content/Guide.md"],
        ),
        case(
            "same URL: Unicode normalisation",
            &[
                ("content/caf\u{e9}.md", "x"),
                ("content/cafe\u{301}.md", "y"),
            ],
            1,
            &["collides with"],
        ),
        case(
            "alias collides with a page",
            &[
                ("content/a.md", "x"),
                ("content/b.md", "---\naliases: [/a/]\n---\n"),
            ],
            1,
            &["output file a/index.html is also written by"],
        ),
        case(
            "non-UTF-8 bytes",
            &[],
            1,
            &["content/a.md:2:3: error: file is not valid UTF-8"],
        ),
        case(
            "missing site.yaml",
            &[],
            1,
            &["site.yaml: error: cannot read site.yaml", "--root"],
        ),
        case("root that does not exist", &[], 1, &["does not exist"]),
        case(
            "bad base_url",
            &[("site.yaml", "title: T\nbase_url: example.org\n")],
            1,
            &["site.yaml:2:11: error: base_url `example.org`"],
        ),
        case(
            "unknown contributor group",
            &[
                ("content/p/_index.md", "x"),
                ("content/p/x.md", "---\ntitle: X\ngroup: desing\n---\n"),
            ],
            1,
            &[
                "content/p/x.md:3:8: error: unknown contributor group `desing`",
                "did you mean `design`?",
            ],
        ),
        case(
            "unknown company",
            &[
                ("content/p/_index.md", "x"),
                (
                    "content/p/x.md",
                    "---\ntitle: X\ngroup: design\ncompany: acme\n---\n",
                ),
            ],
            1,
            &["content/p/x.md:4:10: error: unknown company `acme`"],
        ),
        case(
            "nav entries naming a missing page, with neither page nor title, with an unknown icon",
            &[
                (
                    "site.yaml",
                    "title: T\nnav:\n  - page: guid.md\n  - url: /x/\n  - page: guide.md\n    icon: Cdoe\n",
                ),
                ("content/guide.md", "---\ntitle: G\n---\nx\n"),
            ],
            1,
            &[
                "site.yaml:3:11: error: nav entry names page `guid.md`, which is not in content/",
                "did you mean `guide.md`?",
                "site.yaml:4:10: error: a nav entry needs either `page`, or `title` with `url` or `children`",
                "site.yaml:6:11: error: unknown icon `Cdoe`",
            ],
        ),
        case(
            "missing theme",
            &[("site.yaml", "title: T\ntheme: decrd\n")],
            1,
            &[
                "site.yaml:2:8: error: theme `decrd` not found",
                "did you mean `decred`?",
            ],
        ),
    ];
    for c in &mut all {
        match c.name {
            "10 MB page" => c
                .files
                .push(("content/big.md", big_page.clone().into_bytes())),
            "10,000 levels of nesting" => {
                c.files.push(("content/deep.md", deep.clone().into_bytes()))
            }
            "non-UTF-8 bytes" => c.files.push(("content/a.md", b"ok\nab\xc3(\n".to_vec())),
            "missing site.yaml" => {
                c.setup = |root| std::fs::remove_file(root.join("site.yaml")).unwrap()
            }
            "root that does not exist" => c.args = vec!["--root", "{root}/nope"],
            _ => {}
        }
    }
    all.extend(file_system_cases());
    all.extend(outside_cases());
    all.extend(yaml_depth_cases());
    all.extend(snippet_cases());
    all.extend(docs_dir_cases());
    all
}

/// A file's text made at run time, for the tables of static strings.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// YAML nested without end, in every file dcrsite reads YAML from: refused at its line
/// before the parser (whose time grows with the square of the nesting) sees it.
fn yaml_depth_cases() -> Vec<Case> {
    let brackets = "[".repeat(100_000);
    let braces = "{a: ".repeat(100_000);
    let dashes = "- ".repeat(100_000);
    vec![
        case(
            "front matter nested 100,000 levels",
            &[(
                "content/a.md",
                leak(format!("---\ntitle: {brackets}\n---\nx\n")),
            )],
            1,
            &[
                "content/a.md:2:71: error: YAML nests more than 64 levels deep",
                "help:",
            ],
        ),
        case(
            "site.yaml nested 100,000 levels",
            &[(
                "site.yaml",
                leak(format!("title: T\nextra:\n  x: {braces}\n")),
            )],
            1,
            &["site.yaml:3:", "YAML nests more than 64 levels deep"],
        ),
        case(
            "site.yaml nested 100,000 block levels",
            &[(
                "site.yaml",
                leak(format!("title: T\nextra:\n  {dashes}x\n")),
            )],
            1,
            &["site.yaml:3:", "YAML nests more than 64 levels deep"],
        ),
        mkdocs_case(
            "mkdocs.yml nested 100,000 levels",
            &[
                (
                    "mkdocs.yml",
                    leak(format!("site_name: M\nextra: {brackets}\n")),
                ),
                ("docs/index.md", "x"),
            ],
            1,
            &["mkdocs.yml:2:", "YAML nests more than 64 levels deep"],
        ),
        mkdocs_case(
            "MkDocs front matter nested 100,000 levels",
            &[
                ("mkdocs.yml", "site_name: M\n"),
                (
                    "docs/index.md",
                    leak(format!("---\ntitle: x\nhide: {brackets}\n---\nx\n")),
                ),
            ],
            1,
            &["docs/index.md:3:", "YAML nests more than 64 levels deep"],
        ),
    ]
}

/// Snippets that include themselves, each other, or multiply: a cycle is warned about at
/// its line and skipped, as pymdownx skips it; multiplying stops at a budget. None hangs.
fn snippet_cases() -> Vec<Case> {
    let eight = |name: &str| leak(format!("--8<-- \"{name}\"\n").repeat(8));
    let mut cases = vec![
        mkdocs_case(
            "snippet that includes itself eight times",
            &[
                ("mkdocs.yml", MKDOCS_SNIPPETS),
                ("docs/index.md", "# Home\n\n--8<-- \"a.md\"\n"),
                (
                    "parts/a.md",
                    leak(format!("Snippet text.\n{}", eight("a.md"))),
                ),
            ],
            0,
            &["index.html", "Snippet text."],
        ),
        mkdocs_case(
            "snippets that include each other",
            &[
                ("mkdocs.yml", MKDOCS_SNIPPETS),
                ("docs/index.md", "# Home\n\n--8<-- \"a.md\"\n"),
                ("parts/a.md", leak(format!("Text of a.\n{}", eight("b.md")))),
                ("parts/b.md", leak(format!("Text of b.\n{}", eight("a.md")))),
            ],
            0,
            &["index.html", "Text of a.", "Text of b."],
        ),
        mkdocs_case(
            "snippets that multiply without a cycle",
            &[
                ("mkdocs.yml", MKDOCS_SNIPPETS),
                ("docs/index.md", "# Home\n\n--8<-- \"f0.md\"\n"),
                ("parts/f0.md", eight("f1.md")),
                ("parts/f1.md", eight("f2.md")),
                ("parts/f2.md", eight("f3.md")),
                ("parts/f3.md", eight("f4.md")),
                ("parts/f4.md", eight("f5.md")),
                ("parts/f5.md", eight("f6.md")),
                ("parts/f6.md", "Leaf.\n"),
            ],
            1,
            &[
                "parts/f",
                "error: more than 10000 snippet includes in docs/index.md",
                "docs/index.md:3 → parts/f0.md:1 → ",
            ],
        ),
    ];
    for c in &mut cases {
        match c.name {
            "snippet that includes itself eight times" => {
                c.warn = vec![
                    "parts/a.md:2:1: warning: snippet include cycle: docs/index.md:3 → parts/a.md:2 → parts/a.md",
                    "parts/a.md:9:1: warning: snippet include cycle",
                ]
            }
            "snippets that include each other" => {
                c.warn = vec![
                    "parts/b.md:2:1: warning: snippet include cycle: docs/index.md:3 → parts/a.md:2 → parts/b.md:2 → parts/a.md",
                ]
            }
            _ => {}
        }
    }
    cases
}

/// MkDocs' `docs_dir` must be a folder inside the project, as `mkdocs build` requires.
fn docs_dir_cases() -> Vec<Case> {
    let docs_dir = |name: &'static str, value: &'static str, expect: &[&'static str]| {
        let yaml = leak(format!("site_name: M\ndocs_dir: {value}\n"));
        mkdocs_case(
            name,
            &[("mkdocs.yml", yaml), ("docs/index.md", "x")],
            1,
            expect,
        )
    };
    let mut cases = vec![
        docs_dir(
            "docs_dir missing",
            "nope",
            &[
                "mkdocs.yml:2:11: error: docs_dir `nope` is not a folder",
                "help:",
            ],
        ),
        docs_dir(
            "docs_dir names a file",
            "docs/index.md",
            &["mkdocs.yml:2:11: error: docs_dir `docs/index.md` is not a folder"],
        ),
        docs_dir(
            "docs_dir outside the project",
            "../elsewhere",
            &["mkdocs.yml:2:11: error: docs_dir `../elsewhere` is outside the project"],
        ),
        docs_dir(
            "docs_dir absolute outside the project",
            "/",
            &["mkdocs.yml:2:11: error: docs_dir `/` is outside the project"],
        ),
        docs_dir(
            "docs_dir is the project folder",
            ".",
            &["mkdocs.yml:2:11: error: docs_dir `.` is the project folder itself"],
        ),
        docs_dir(
            "docs_dir not a string",
            "[a, b]",
            &["mkdocs.yml:2:11: error: docs_dir must be a folder name"],
        ),
        mkdocs_case(
            "default docs_dir missing",
            &[("mkdocs.yml", "site_name: M\n"), ("pages/index.md", "x")],
            1,
            &["mkdocs.yml: error: docs_dir `docs` is not a folder"],
        ),
        docs_dir(
            "docs_dir symlinked outside the project",
            "linked",
            &["mkdocs.yml:2:11: error: docs_dir `linked` is outside the project"],
        ),
    ];
    for c in &mut cases {
        match c.name {
            #[cfg(unix)]
            "docs_dir symlinked outside the project" => {
                c.setup = |root| {
                    std::fs::remove_file(root.join("site.yaml")).unwrap();
                    let outside = root.parent().unwrap().join(format!(
                        "{}-docs",
                        root.file_name().unwrap().to_string_lossy()
                    ));
                    std::fs::create_dir_all(&outside).unwrap();
                    std::fs::write(outside.join("index.md"), "secret").unwrap();
                    std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
                }
            }
            _ => {}
        }
    }
    cases
}

/// Cases that need links, permissions or output folders rather than file contents.
fn file_system_cases() -> Vec<Case> {
    let mut cases = vec![
        case(
            "symlink loop",
            &[("content/a.md", "x")],
            1,
            &["symlink loop"],
        ),
        case(
            "symlink outside the site",
            &[("content/a.md", "x")],
            1,
            &["content/outside.md: error: symlink points outside the site root"],
        ),
        case(
            "unreadable file (dangling link)",
            &[("content/a.md", "x")],
            1,
            &["content/gone.md"],
        ),
        case(
            "output is a file",
            &[("content/a.md", "x")],
            1,
            &["refusing to write the site here: a file with that name exists"],
        ),
        case(
            "output inside content/",
            &[("content/a.md", "x")],
            1,
            &["refusing to write the site here: it is inside the source folder `content/`"],
        ),
        case(
            "output is a theme folder",
            &[("content/a.md", "x")],
            1,
            &["inside the source folder `themes/`"],
        ),
        case(
            "output is the site root",
            &[("content/a.md", "x")],
            1,
            &["it is the site root or contains it"],
        ),
        case(
            "output is /",
            &[("content/a.md", "x")],
            1,
            &["it is the file system root"],
        ),
        case(
            "output is the home folder",
            &[("content/a.md", "x")],
            1,
            &["it is your home folder"],
        ),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        for c in &mut cases {
            match c.name {
                "symlink loop" => {
                    c.setup =
                        |root| symlink(root.join("content"), root.join("content/loop")).unwrap()
                }
                "symlink outside the site" => {
                    c.setup = |root| {
                        let outside = root.parent().unwrap().join(format!(
                            "{}-outside.md",
                            root.file_name().unwrap().to_string_lossy()
                        ));
                        std::fs::write(&outside, "secret").unwrap();
                        symlink(&outside, root.join("content/outside.md")).unwrap();
                    }
                }
                "unreadable file (dangling link)" => {
                    c.setup = |root| {
                        symlink(root.join("nowhere.md"), root.join("content/gone.md")).unwrap()
                    }
                }
                "output is a file" => {
                    c.setup = |root| std::fs::write(root.join("out"), "x").unwrap();
                    c.args = vec!["--output", "{root}/out"];
                }
                "output inside content/" => c.args = vec!["--output", "{root}/content/public"],
                "output is a theme folder" => c.args = vec!["--output", "{root}/themes/decred"],
                "output is the site root" => c.args = vec!["--output", "{root}"],
                "output is /" => c.args = vec!["--output", "/"],
                "output is the home folder" => c.args = vec!["--output", "{home}"],
                _ => {}
            }
        }
    }
    let _ = no_setup;
    cases
}

/// The folder beside a site that its outside links point into; removed after each case.
fn outside(root: &Path) -> std::path::PathBuf {
    let name = root.file_name().unwrap().to_string_lossy();
    root.parent().unwrap().join(format!("{name}-outside"))
}

/// Links `at` (relative to the site root) to a file outside the site holding a secret.
#[cfg(unix)]
fn link_file_outside(root: &Path, at: &str) {
    let target = outside(root).join(Path::new(at).file_name().unwrap());
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, "# secret\n").unwrap();
    let link = root.join(at);
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, link).unwrap();
}

/// Links folder `at` (relative to the site root) to a folder outside the site holding a
/// page, a template, a snippet and a plain file.
#[cfg(unix)]
fn link_folder_outside(root: &Path, at: &str) {
    let target = outside(root).join(Path::new(at).file_name().unwrap());
    std::fs::create_dir_all(&target).unwrap();
    for name in ["secret.md", "secret.html", "secret.txt", "snip.md"] {
        std::fs::write(target.join(name), "# secret\n").unwrap();
    }
    let link = root.join(at);
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, link).unwrap();
}

/// Moves folder `at` of the site outside it and leaves a link in its place.
#[cfg(unix)]
fn move_folder_outside(root: &Path, at: &str) {
    let target = outside(root).join(Path::new(at).file_name().unwrap());
    std::fs::create_dir_all(outside(root)).unwrap();
    std::fs::rename(root.join(at), &target).unwrap();
    std::os::unix::fs::symlink(&target, root.join(at)).unwrap();
}

const MKDOCS_YML: &str = "site_name: T\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: parts\n      check_paths: true\n";

/// An MkDocs project (no site.yaml) whose home page includes `snippet` (unless empty).
#[cfg(unix)]
fn mkdocs_project(root: &Path, snippet: &str) {
    std::fs::remove_file(root.join("site.yaml")).unwrap();
    std::fs::write(root.join("mkdocs.yml"), MKDOCS_YML).unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::create_dir_all(root.join("parts")).unwrap();
    let include = if snippet.is_empty() {
        String::new()
    } else {
        format!("--8<-- \"{snippet}\"\n")
    };
    std::fs::write(root.join("docs/index.md"), format!("# Home\n\n{include}")).unwrap();
}

#[cfg(unix)]
type OutsideRow = (&'static str, &'static str, fn(&Path));

/// Nothing from outside the site reaches the output: for every walker, a file and a
/// folder linked to outside the site root are errors at the link, and the build fails.
fn outside_cases() -> Vec<Case> {
    #[cfg(unix)]
    {
        // (case, what stderr must say, how to lay the link)
        let rows: [OutsideRow; 17] = [
            (
                "outside: content folder",
                "content/shared: error: symlink points outside the site root",
                |r| link_folder_outside(r, "content/shared"),
            ),
            (
                "outside: the content folder itself",
                "content: error: symlink points outside the site root",
                |r| move_folder_outside(r, "content"),
            ),
            (
                "outside: asset file",
                "assets/secret.txt: error: symlink points outside the site root",
                |r| link_file_outside(r, "assets/secret.txt"),
            ),
            (
                "outside: asset folder",
                "assets/shared: error: symlink points outside the site root",
                |r| link_folder_outside(r, "assets/shared"),
            ),
            (
                "outside: icon folder",
                "assets/img/icons: error: symlink points outside the site root",
                |r| move_folder_outside(r, "assets/img/icons"),
            ),
            (
                "outside: theme static file",
                "themes/decred/static/secret.txt: error: symlink points outside the site root",
                |r| link_file_outside(r, "themes/decred/static/secret.txt"),
            ),
            (
                "outside: theme static folder",
                "themes/decred/static/shared: error: symlink points outside the site root",
                |r| link_folder_outside(r, "themes/decred/static/shared"),
            ),
            (
                "outside: the theme folder itself",
                "themes/decred: error: symlink points outside the site root",
                |r| move_folder_outside(r, "themes/decred"),
            ),
            (
                "outside: theme template file",
                "themes/decred/templates/secret.html: error: symlink points outside the site root",
                |r| link_file_outside(r, "themes/decred/templates/secret.html"),
            ),
            (
                "outside: theme template folder",
                "themes/decred/templates/shared: error: symlink points outside the site root",
                |r| link_folder_outside(r, "themes/decred/templates/shared"),
            ),
            (
                "outside: site template file",
                "templates/secret.html: error: symlink points outside the site root",
                |r| link_file_outside(r, "templates/secret.html"),
            ),
            (
                "outside: site template folder",
                "templates/shared: error: symlink points outside the site root",
                |r| link_folder_outside(r, "templates/shared"),
            ),
            (
                "outside: snippet file",
                "parts/snip.md: symlink points outside the site root",
                |r| {
                    mkdocs_project(r, "snip.md");
                    link_file_outside(r, "parts/snip.md");
                },
            ),
            (
                "outside: snippet folder",
                "parts/shared: symlink points outside the site root",
                |r| {
                    mkdocs_project(r, "shared/snip.md");
                    link_folder_outside(r, "parts/shared");
                },
            ),
            (
                "outside: docs_dir extra file",
                "docs/secret.txt: error: symlink points outside the site root",
                |r| {
                    mkdocs_project(r, "");
                    link_file_outside(r, "docs/secret.txt");
                },
            ),
            (
                "outside: docs_dir folder",
                "docs/shared: error: symlink points outside the site root",
                |r| {
                    mkdocs_project(r, "");
                    link_folder_outside(r, "docs/shared");
                },
            ),
            (
                "outside: the docs_dir itself",
                "mkdocs.yml: error: docs_dir `docs` is outside the project",
                |r| {
                    mkdocs_project(r, "");
                    std::fs::write(r.join("docs/index.md"), "# Home\n").unwrap();
                    move_folder_outside(r, "docs");
                },
            ),
        ];
        rows.into_iter()
            .map(|(name, expect, setup)| {
                let mut c = case(name, &[("content/a.md", "x")], 1, &[]);
                c.expect = vec![expect];
                c.setup = setup;
                c
            })
            .collect()
    }
    #[cfg(not(unix))]
    Vec::new()
}

/// A site of the table's base files (`site.yaml`, one icon) with `files` written over
/// them, the theme, and `setup` run on it.
fn case_site(files: &[(&str, Vec<u8>)], setup: fn(&Path)) -> SiteTest {
    let base = [
        ("site.yaml", CONFIG.as_bytes().to_vec()),
        ("assets/img/icons/Code.svg", ICON.as_bytes().to_vec()),
    ];
    base.iter()
        .filter(|(p, _)| !files.iter().any(|(q, _)| q == p))
        .chain(files)
        .fold(SiteTest::new(), |site, (p, bytes)| site.file(p, bytes))
        .theme()
        .setup(setup)
}

/// `check` loads the site as `build` does: the same rows are errors at the same paths
/// (exit 2: a site with errors cannot be checked).
#[test]
fn outside_the_site_is_an_error_in_check_too() {
    let mut failures = Vec::new();
    for c in outside_cases() {
        let site = case_site(&[("content/a.md", b"x".to_vec())], c.setup);
        let run = site.run(["check"]);
        let _ = std::fs::remove_dir_all(outside(site.path()));
        let missing: Vec<_> = c
            .expect
            .iter()
            .filter(|w| !run.stderr.contains(*w))
            .collect();
        if run.code != 2 || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {}, lacks {missing:?}\n{}",
                c.name, run.code, run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Removes what a case's setup put beside the site, outside it (`SITE-outside.md`).
fn remove_beside(site: &Path) {
    let (Some(parent), Some(name)) = (site.parent(), site.file_name()) else {
        return;
    };
    let prefix = format!("{}-", name.to_string_lossy());
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
}

/// Builds the case's site (`{root}` and `{home}` in its arguments replaced; its own
/// `--root` first replaces the site's), within `LIMIT`.
fn run_case(c: &Case, site: &SiteTest, home: &str) -> Option<Run> {
    let root = site.path().to_str().unwrap().to_string();
    let mut args = vec!["build".to_string(), "--root".to_string(), root.clone()];
    let extra: Vec<String> = c
        .args
        .iter()
        .map(|a| a.replace("{root}", &root).replace("{home}", home))
        .collect();
    if extra.first().map(String::as_str) == Some("--root") {
        args.truncate(1);
    }
    args.extend(extra);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    dcrsite_within(&arg_refs, LIMIT)
}

/// What the run did that the case does not expect.
fn problems(c: &Case, run: &Run, site: &SiteTest) -> Vec<String> {
    let mut problems = Vec::new();
    if run.code != c.code {
        problems.push(format!("exit {} (expected {})", run.code, c.code));
    }
    if c.code == 0 {
        let (page, words) = c.expect.split_first().unwrap();
        // An MkDocs project builds into `site/`, as `mkdocs build` does.
        let mkdocs = site.join("mkdocs.yml").is_file() && !site.join("site.yaml").is_file();
        let output = if mkdocs { "site" } else { "public" };
        let html = std::fs::read_to_string(site.join(output).join(page));
        match html {
            Ok(html) => problems.extend(
                words
                    .iter()
                    .filter(|w| !html.contains(*w))
                    .map(|w| format!("page lacks `{w}`")),
            ),
            Err(e) => problems.push(format!("no {page}: {e}")),
        }
        problems.extend(
            c.warn
                .iter()
                .filter(|w| !run.stderr.contains(*w))
                .map(|w| format!("stderr lacks `{w}`")),
        );
    } else {
        problems.extend(
            c.expect
                .iter()
                .filter(|w| !run.stderr.contains(*w))
                .map(|w| format!("stderr lacks `{w}`")),
        );
        if !run.stderr.lines().any(|l| l.contains(": error: ")) {
            problems.push("no `path: error:` line".into());
        }
    }
    problems
}

#[test]
fn bad_input_table() {
    let cases = cases();
    assert!(
        cases.iter().filter(|c| c.code != 0).count() >= 30,
        "at least 30 broken sites"
    );
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let mut failures = Vec::new();
    for c in &cases {
        let site = case_site(&c.files, c.setup);
        let run = run_case(c, &site, &home);
        remove_beside(site.path());
        let Some(run) = run else {
            failures.push(format!("{}: did not finish within {LIMIT:?}", c.name));
            println!("| {} | hang | |", c.name);
            continue;
        };
        let problems = problems(c, &run, &site);
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n{}",
                c.name,
                problems.join("; "),
                run.stderr.lines().take(6).collect::<Vec<_>>().join("\n")
            ));
        }
        // Print the table the issue note wants: case → exit code → first line.
        println!(
            "| {} | {} | {} |",
            c.name,
            run.code,
            run.stderr
                .lines()
                .next()
                .unwrap_or(run.stdout.lines().next().unwrap_or(""))
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
