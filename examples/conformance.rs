//! Renders the cases `tools/conformance/extract.py` recorded from Python-Markdown's and
//! pymdown-extensions' test suites with dcrsite's MkDocs dialect, as a project listing
//! the case's extensions in `markdown_extensions` would get them. Writes one JSON line
//! per case (`{"i": N, "html": …, "warnings": […]}`, or `"skip"` with the reason) for
//! `tools/conformance/compare.py`, which compares them with the reference's HTML. The
//! first line, `{"claimed": […]}`, names the extensions of the cases dcrsite claims to
//! render (`config::mkdocs::claims_extension`, the answer its warnings follow), so the
//! report's claimed/not-claimed split is dcrsite's own, never a list kept by hand.
//!
//!     cargo run --release --example conformance -- cases.jsonl results.jsonl

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use dcrsite::content::urls::ContentIndex;
use dcrsite::icons::IconSet;
use dcrsite::markdown::{render, Highlighter, RenderOptions};
use serde_json::{json, Value};

/// The `mkdocs.yml` of a project using the case's extensions with their options.
fn mkdocs_yml(case: &Value) -> Option<String> {
    let configs = case.get("configs").filter(|c| !c.is_null())?;
    let mut list = Vec::new();
    for name in case.get("extensions")?.as_array()? {
        let name = name.as_str()?;
        let options = configs.get(name).cloned().unwrap_or(Value::Null);
        list.push(json!({ name: options }));
    }
    let project = json!({"site_name": "conformance", "markdown_extensions": list});
    serde_yaml::to_string(&project)
        .ok()
        .map(|yml| python_names(&yml))
}

/// extract.py gives a function importable by name (a `slugify`) as the string
/// `!!python/name:NAME`; a mkdocs.yml writes it as that tag, unquoted.
fn python_names(yml: &str) -> String {
    yml.replace("'!!python/name:", "!!python/name:")
        .lines()
        .map(|l| match l.find("!!python/name:") {
            Some(_) if l.ends_with('\'') => &l[..l.len() - 1],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The folder a case's relative paths (snippets' `base_path`) start from: its suite's
/// unpacked source distribution, beside the cases file (`sdists/SUITE`, as run.sh
/// unpacks them; extract.py records the paths relative to it).
fn suite_root(cases: &std::path::Path, case: &Value) -> std::path::PathBuf {
    let suite = case["suite"].as_str().unwrap_or_default();
    cases
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("sdists")
        .join(suite)
}

fn render_case(
    case: &Value,
    root: std::path::PathBuf,
    highlighter: &Highlighter,
    icons: &IconSet,
) -> Value {
    let Some(yml) = mkdocs_yml(case) else {
        return json!({"skip": "configuration is a Python object or callable"});
    };
    let (config, warnings) = match dcrsite::config::mkdocs::parse(&yml) {
        Ok(parsed) => parsed,
        Err(d) => return json!({"skip": format!("mkdocs.yml refused: {}", d.message)}),
    };
    let Some(project) = config.mkdocs.as_ref() else {
        return json!({"skip": "not read as an MkDocs project"});
    };
    let mut dialect = project.dialect.clone();
    dialect.root = root;
    let source = case["source"].as_str().unwrap_or_default();
    let index = ContentIndex::default();
    let opts = RenderOptions {
        source_path: "docs/case.md",
        content_path: "case.md",
        line_offset: 0,
        icons,
        links: &index,
        highlighter,
        smart_punctuation: config.markdown.smart_punctuation,
        mkdocs: Some(&dialect),
    };
    let rendered = render(source, &opts);
    // dcrsite lifts a leading `# Title` out of the body for the page's header; MkDocs
    // leaves it in the content, so it goes back in for the comparison.
    let title = rendered
        .title
        .as_ref()
        .map(|t| {
            let id =
                t.id.as_ref()
                    .map(|i| format!(r#" id="{i}""#))
                    .unwrap_or_default();
            format!("<h1{id}{}>{}</h1>\n", t.attrs, t.html)
        })
        .unwrap_or_default();
    let notes: Vec<String> = warnings
        .iter()
        .chain(&rendered.diagnostics)
        .map(|d| d.message.clone())
        .collect();
    json!({"html": format!("{title}{}", rendered.html), "warnings": notes})
}

/// The extensions the cases use that dcrsite claims to render, sorted.
fn claimed(cases: &[Value]) -> Vec<String> {
    let names: std::collections::BTreeSet<&str> = cases
        .iter()
        .filter_map(|c| c["extensions"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .map(|n| n.strip_prefix("markdown.extensions.").unwrap_or(n))
        .collect();
    names
        .into_iter()
        .filter(|n| dcrsite::config::mkdocs::claims_extension(n))
        .map(str::to_string)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cases, results] = args.as_slice() else {
        eprintln!("usage: conformance CASES.jsonl RESULTS.jsonl");
        std::process::exit(2);
    };
    let input = std::fs::File::open(cases).unwrap_or_else(|e| {
        eprintln!("cannot read {cases}: {e} (run tools/conformance/extract.py first)");
        std::process::exit(2);
    });
    let mut out = std::io::BufWriter::new(std::fs::File::create(results).unwrap_or_else(|e| {
        eprintln!("cannot write {results}: {e}");
        std::process::exit(2);
    }));
    let cases_list: Vec<Value> = std::io::BufReader::new(input)
        .lines()
        .map(|line| serde_json::from_str(&line.expect("read a case")).expect("a JSON case"))
        .collect();
    writeln!(out, "{}", json!({ "claimed": claimed(&cases_list) })).expect("write");
    let highlighter = Highlighter::new();
    let icons = IconSet::from_parts(BTreeMap::new(), "/img/icons", "dcr-icon", false);
    for (i, case) in cases_list.iter().enumerate() {
        let root = suite_root(std::path::Path::new(cases), case);
        let mut result = render_case(case, root, &highlighter, &icons);
        result["i"] = json!(i);
        writeln!(out, "{result}").expect("write a result");
    }
}
