//! Bad input, table-driven: every broken site gets a clear `file:line` message and the
//! documented exit code; inputs that look odd but are fine (BOM, CRLF, YAML 1.1 words,
//! huge pages) build. Nothing may panic (checked by `common::dcrsite`).

mod common;

use std::path::Path;

use common::*;

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
    }
}

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
    all
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
        let mut files: Vec<(&str, Vec<u8>)> = vec![
            ("site.yaml", CONFIG.as_bytes().to_vec()),
            ("assets/img/icons/Code.svg", ICON.as_bytes().to_vec()),
        ];
        for (p, bytes) in &c.files {
            files.retain(|(q, _)| q != p);
            files.push((p, bytes.clone()));
        }
        let site = tempfile::tempdir().unwrap();
        for (p, bytes) in &files {
            let path = site.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        with_theme(site.path());
        (c.setup)(site.path());
        let root = site.path().to_str().unwrap().to_string();
        let mut args = vec!["build".to_string(), "--root".to_string(), root.clone()];
        let extra: Vec<String> = c
            .args
            .iter()
            .map(|a| a.replace("{root}", &root).replace("{home}", &home))
            .collect();
        if extra.first().map(String::as_str) == Some("--root") {
            args.truncate(1);
        }
        args.extend(extra);
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = dcrsite(&arg_refs);
        let mut problems = Vec::new();
        if run.code != c.code {
            problems.push(format!("exit {} (expected {})", run.code, c.code));
        }
        if c.code == 0 {
            let (page, words) = c.expect.split_first().unwrap();
            let html = std::fs::read_to_string(site.path().join("public").join(page));
            match html {
                Ok(html) => problems.extend(
                    words
                        .iter()
                        .filter(|w| !html.contains(*w))
                        .map(|w| format!("page lacks `{w}`")),
                ),
                Err(e) => problems.push(format!("no {page}: {e}")),
            }
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
