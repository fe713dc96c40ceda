//! Tera templates: the theme's `templates/`, overridden by name by the site's
//! `templates/`. Loaded and parsed once per build; errors name the template file and line.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use tera::Tera;

use crate::assets::Manifest;
use crate::content::inside::Inside;
use crate::content::walk::display_path;
use crate::diagnostics::{quoted, suggest, Diagnostic};

pub struct Templates {
    tera: Tera,
    /// Template name → (file shown in messages, source text).
    sources: HashMap<String, (String, String)>,
}

impl Templates {
    /// Loads `themes/<theme>/templates/` then `templates/` (site overrides).
    pub fn load(
        root: &Path,
        theme: &str,
        manifest: &Manifest,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let theme_dir = root.join("themes").join(theme);
        let built_in = crate::theme::use_built_in(root, theme);
        if !theme_dir.is_dir() && !built_in {
            let known = list_themes(root);
            let help = match suggest(theme, known.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => "add the theme folder under themes/".to_string(),
                None => format!("themes found: {}", known.join(", ")),
            };
            return Err(vec![Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("theme `{theme}` not found (no folder themes/{theme})"),
            )
            .at_line(None)
            .with_help(help)]);
        }
        let mut files: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut problems = Vec::new();
        if built_in {
            for (name, bytes) in crate::theme::files("templates") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                files.insert(
                    name.to_string(),
                    (format!("themes/{theme}/templates/{name}"), text),
                );
            }
        }
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            read_templates(root, &dir, &mut files, &mut problems);
        }
        let mut parsed = Vec::new();
        for (name, (shown, text)) in &files {
            // Parse each template alone first, so every syntax error is reported with its line.
            match tera::Template::new(name, None, text) {
                Ok(_) => parsed.push((name.clone(), text.clone())),
                Err(e) => problems.push(template_error(shown, &e)),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also escapes `/`, which makes every URL unreadable
        // (`&#x2F;css&#x2F;…`) and hides root-relative URLs from the base-path rewrite.
        tera.set_escape_fn(crate::icons::html_escape);
        register_functions(&mut tera, manifest);
        if let Err(e) = tera.add_raw_templates(parsed) {
            return Err(vec![Diagnostic::error(
                display_path(&theme_dir.join("templates"), root),
                error_chain(&e),
            )
            .with_help(
                "check `{% extends %}`, `{% include %}` and `{% import %}` names",
            )]);
        }
        Ok(Templates {
            tera,
            sources: files.into_iter().collect(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The file a template was read from, relative to the site root.
    pub fn file_of(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|(shown, _)| shown.as_str())
    }

    /// The templates whose output depends on any of `changed` (themselves included),
    /// through `extends`, `include` and `import`, followed transitively: what a change to
    /// `changed` makes stale.
    pub fn dependents(&self, changed: &[String]) -> std::collections::BTreeSet<String> {
        let references: HashMap<&str, Vec<String>> = self
            .sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), referenced_templates(text)))
            .collect();
        let mut affected: std::collections::BTreeSet<String> = changed.iter().cloned().collect();
        loop {
            let before = affected.len();
            for (name, refs) in &references {
                if !affected.contains(*name) && refs.iter().any(|r| affected.contains(r)) {
                    affected.insert(name.to_string());
                }
            }
            if affected.len() == before {
                return affected;
            }
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Renders `name`; a failure names the template file and, where it can be found,
    /// the line of the variable or function that failed.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.render_error(name, &e))
    }

    fn render_error(&self, name: &str, e: &tera::Error) -> Diagnostic {
        let message = error_chain(e);
        // The innermost template named in the chain is where the problem is.
        let culprit = quoted(&message, '\'')
            .filter(|n| self.sources.contains_key(*n))
            .last()
            .unwrap_or(name);
        let (shown, text) = self.sources.get(culprit).cloned().unwrap_or_default();
        // The first name between backticks is the variable or function that failed; its
        // use in the template is the place to show.
        let needle = quoted(&message, '`').next().map(String::from);
        let position = needle
            .as_deref()
            .and_then(|needle| crate::diagnostics::position_of(&text, needle));
        // Tera says "Failed to render 'page.html': Variable `x` not found in context while
        // rendering 'page.html'"; the file is already in the position, so say the problem.
        let message = match (&needle, message.contains("not found in context")) {
            (Some(variable), true) => format!("template variable `{variable}` is not defined"),
            _ => message,
        };
        Diagnostic::error(shown, message)
            .at_position(position)
            .with_help("fix the template, or define the value before using it (`{% if x %}` for optional values)")
    }
}

/// The template names a template's `{% extends %}`, `{% include %}` and `{% import %}`
/// tags name (every quoted string in those tags, so `include ["a.html", "b.html"]` counts).
fn referenced_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let Some((inner, _)) = tag.split_once("%}") else {
            continue;
        };
        let inner = inner.trim_start_matches('-').trim_start();
        if !["extends", "include", "import"]
            .iter()
            .any(|k| inner.starts_with(k))
        {
            continue;
        }
        for quote in ['"', '\''] {
            names.extend(inner.split(quote).skip(1).step_by(2).map(str::to_string));
        }
    }
    names
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

fn read_templates(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, (String, String)>,
    problems: &mut Vec<Diagnostic>,
) {
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

/// The whole cause chain of a Tera error in one line.
fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in templates {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn site_templates_override_theme_templates() {
        let dir = site(&[
            ("themes/t/templates/page.html", "theme {{ x }}"),
            ("themes/t/templates/base.html", "base"),
            ("templates/page.html", "site {{ x }}"),
        ]);
        let t = Templates::load(dir.path(), "t", &Manifest::default()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "1");
        assert_eq!(t.render("page.html", &ctx).unwrap(), "site 1");
        assert!(t.has("base.html"));
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let dir = site(&[("themes/t/templates/page.html", "a\n{{ x + }}\nb\n")]);
        let errs = Templates::load(dir.path(), "t", &Manifest::default())
            .err()
            .unwrap();
        assert_eq!(errs[0].path, "themes/t/templates/page.html");
        assert_eq!(errs[0].line, Some(2), "{}", errs[0]);
    }

    #[test]
    fn undefined_variable_names_template_line() {
        let dir = site(&[("themes/t/templates/page.html", "ok\n{{ page.missing }}\n")]);
        let t = Templates::load(dir.path(), "t", &Manifest::default()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        let err = t.render("page.html", &ctx).unwrap_err();
        assert_eq!(err.path, "themes/t/templates/page.html");
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.contains("page.missing"), "{err}");
    }

    #[test]
    fn dependents_follow_extends_include_and_import() {
        let dir = site(&[
            (
                "themes/t/templates/base.html",
                "{% import 'macros.html' as m %}{% block b %}{% endblock b %}",
            ),
            (
                "themes/t/templates/macros.html",
                "{% macro x() %}{% endmacro x %}",
            ),
            (
                "themes/t/templates/page.html",
                "{% extends \"base.html\" %}{% block b %}p{% endblock b %}",
            ),
            (
                "themes/t/templates/section.html",
                "{%- include \"partials/cards.html\" -%}",
            ),
            ("themes/t/templates/partials/cards.html", "cards"),
        ]);
        let t = Templates::load(dir.path(), "t", &Manifest::default()).unwrap();
        let names = |changed: &str| {
            t.dependents(&[changed.to_string()])
                .into_iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(names("page.html"), ["page.html"]);
        assert_eq!(
            names("partials/cards.html"),
            ["partials/cards.html", "section.html"]
        );
        assert_eq!(
            names("macros.html"),
            ["base.html", "macros.html", "page.html"]
        );
    }

    #[test]
    fn missing_theme_is_reported() {
        let dir = site(&[("themes/decred/templates/page.html", "")]);
        let errs = Templates::load(dir.path(), "decrd", &Manifest::default())
            .err()
            .unwrap();
        assert!(errs[0].help.as_deref().unwrap().contains("`decred`"));
    }
}
