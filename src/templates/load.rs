//! Loading templates: the theme's files (or the built-in theme's), overridden by name by
//! the site's, each parsed alone (so every syntax error has its line), checked for
//! cycles, instrumented for the render budgets, and put in one Tera.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Tera;

use super::{budget, conditions, error_chain, fast_macros, graph, source};
use crate::assets::Manifest;
use crate::content::inside::Inside;
use crate::content::walk::display_path;
use crate::diagnostics::{suggest, Diagnostic, LineIndex};

/// Loads `themes/<theme>/templates/` then `templates/` (site overrides): the Tera that
/// renders them, and each template's file and text by name.
pub(super) fn load(
    root: &Path,
    theme: &str,
    manifest: &Manifest,
) -> Result<(Tera, Files), Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme);
    let built_in = crate::theme::use_built_in(root, theme);
    if !theme_dir.is_dir() && !built_in {
        return Err(vec![theme_not_found(root, theme)]);
    }
    let mut problems = Vec::new();
    let (files, theme_names) = read_all(root, theme, &theme_dir, built_in, &mut problems);
    let parsed = parse_all(&files, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let cycles = graph::cycles(&graph_entries(&parsed, &theme_names));
    if !cycles.is_empty() {
        return Err(cycles);
    }
    let mut tera = build_tera(parsed, manifest)?;
    let linked = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files());
    if let Err(e) = linked {
        return Err(vec![Diagnostic::error(
            display_path(&theme_dir.join("templates"), root),
            error_chain(&e),
        )
        .with_help(
            "check `{% extends %}`, `{% include %}` and `{% import %}` names",
        )]);
    }
    Ok((tera, files))
}

/// Template name → (file shown in messages, text).
pub(super) type Files = BTreeMap<String, (String, String)>;

/// A template parsed alone, with the tags its scan found.
struct Parsed<'f> {
    name: &'f str,
    shown: &'f str,
    text: &'f str,
    tags: Vec<source::Tag<'f>>,
    template: tera::Template,
}

/// The error for a theme with no folder: which themes there are, or the one meant.
fn theme_not_found(root: &Path, theme: &str) -> Diagnostic {
    let known = list_themes(root);
    let help = match suggest(theme, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None if known.is_empty() => "add the theme folder under themes/".to_string(),
        None => format!("themes found: {}", known.join(", ")),
    };
    Diagnostic::error(
        crate::config::CONFIG_FILE,
        format!("theme `{theme}` not found (no folder themes/{theme})"),
    )
    .at_line(None)
    .with_help(help)
}

/// Every template: the built-in theme's, the theme folder's, then the site's, each
/// replacing the one of the same name before it. Also returns the theme's names.
fn read_all(
    root: &Path,
    theme: &str,
    theme_dir: &Path,
    built_in: bool,
    problems: &mut Vec<Diagnostic>,
) -> (Files, BTreeSet<String>) {
    let mut files = Files::new();
    if built_in {
        for (name, bytes) in crate::theme::files("templates") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            files.insert(
                name.to_string(),
                (format!("themes/{theme}/templates/{name}"), text),
            );
        }
    }
    read_templates(root, &theme_dir.join("templates"), &mut files, problems);
    let theme_names = files.keys().cloned().collect();
    read_templates(root, &root.join("templates"), &mut files, problems);
    (files, theme_names)
}

/// Parses each template alone first, so every syntax error is reported with its line;
/// but first makes sure it does not nest deep enough to overflow the parser. Parsing is
/// most of loading the templates and each is parsed alone: they are parsed in parallel
/// (the problems still in the templates' order).
fn parse_all<'f>(files: &'f Files, problems: &mut Vec<Diagnostic>) -> Vec<Parsed<'f>> {
    let results: Vec<_> = files
        .par_iter()
        .map(|(name, (shown, text))| parse_one(name, shown, text))
        .collect();
    let mut parsed = Vec::new();
    for result in results {
        match result {
            Ok(template) => parsed.push(template),
            Err(problem) => problems.push(problem),
        }
    }
    parsed
}

/// One template parsed, or the error at its place.
fn parse_one<'f>(name: &'f str, shown: &'f str, text: &'f str) -> Result<Parsed<'f>, Diagnostic> {
    let tags = source::scan(text).map_err(|(offset, message)| {
        Diagnostic::error(shown, message)
            .at_position(Some(LineIndex::new(text).position(offset)))
            .with_help(format!(
                "use fewer levels (a macro or an include can take some); {}",
                "see \"Template limits\" in the README"
            ))
    })?;
    match tera::Template::new(name, None, text) {
        Ok(template) => Ok(Parsed {
            name,
            shown,
            text,
            tags,
            template,
        }),
        Err(e) => Err(template_error(shown, &e)),
    }
}

/// The templates as the cycle check sees them.
fn graph_entries<'p>(
    parsed: &'p [Parsed<'_>],
    theme_names: &BTreeSet<String>,
) -> BTreeMap<String, graph::Entry<'p>> {
    parsed
        .iter()
        .map(|p| {
            let entry = graph::Entry {
                shown: p.shown,
                text: p.text,
                tags: &p.tags,
                ast: &p.template.ast,
                overrides_theme: theme_names.contains(p.name) && !p.shown.starts_with("themes/"),
            };
            (p.name.to_string(), entry)
        })
        .collect()
}

/// One Tera holding every template, each counting against the budgets of [`budget`],
/// with dcrsite's escaping and functions.
fn build_tera(parsed: Vec<Parsed<'_>>, manifest: &Manifest) -> Result<Tera, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut instrument = budget::Instrument::default();
    let mut tera = Tera::default();
    for mut p in parsed {
        if fast_macros::applies(p.name, p.text) {
            fast_macros::substitute(&mut p.template);
        }
        conditions::unescape(&mut p.template.ast);
        if let Err(problem) = instrument.template(&mut p.template, p.shown, p.text, &p.tags) {
            problems.push(problem);
        }
        tera.templates.insert(p.name.to_string(), p.template);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default escaper also escapes `/`, which makes every URL unreadable
    // (`&#x2F;css&#x2F;…`) and hides root-relative URLs from the base-path rewrite.
    tera.set_escape_fn(crate::icons::html_escape);
    register_functions(&mut tera, manifest);
    fast_macros::register(&mut tera);
    instrument.register(&mut tera);
    Ok(tera)
}

fn list_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn read_templates(root: &Path, dir: &Path, files: &mut Files, problems: &mut Vec<Diagnostic>) {
    if !dir.is_dir() {
        return;
    }
    for entry in Inside::new(root).walk(dir, false) {
        let entry = match entry {
            Ok(e) => e,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = display_path(
            entry.path().strip_prefix(dir).unwrap_or(entry.path()),
            Path::new(""),
        );
        let shown = display_path(entry.path(), root);
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                files.insert(name, (shown, text));
            }
            Err(e) => problems.push(Diagnostic::error(
                shown,
                format!("cannot read template: {e}"),
            )),
        }
    }
}

fn register_functions(tera: &mut Tera, manifest: &Manifest) {
    let manifest = Arc::new(manifest.clone());
    tera.register_function(
        "asset_url",
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
                tera::Error::msg("asset_url needs `path`, e.g. asset_url(path=\"css/site.css\")")
            })?;
            match manifest.output_path(path) {
                Some(out) => Ok(tera::Value::String(format!("/{out}"))),
                None => {
                    let hint = suggest(path, manifest.names())
                        .map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_default();
                    Err(tera::Error::msg(format!(
                        "asset_url: no asset `{path}` in assets/ or the theme's static/{hint}"
                    )))
                }
            }
        },
    );
}

/// A syntax error: the template file, the line and column pest reports, and its words.
fn template_error(shown: &str, e: &tera::Error) -> Diagnostic {
    let text = error_chain(e);
    let position = text.split("--> ").nth(1).and_then(|rest| {
        let coords: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let (l, c) = coords.split_once(':')?;
        Some((l.parse().ok()?, c.parse().ok()?))
    });
    let summary = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('='))
        .map(|l| l.trim_start().trim_start_matches('=').trim().to_string())
        .unwrap_or_else(|| text.lines().next().unwrap_or("").to_string());
    let mut d = Diagnostic::error(shown, format!("template syntax error: {summary}"))
        .with_help("check the `{{ }}`/`{% %}` tags near this line");
    if let Some((l, c)) = position {
        d = d.at(l, c);
    }
    d
}
