//! The MkDocs plugins real projects rely on, read from `mkdocs.yml`: `redirects`
//! (`redirect_maps`), content generators dcrsite cannot run (`mkdocstrings`, the
//! `mkdocs-click` extension), and the theme's `custom_dir`, whose files are the theme's
//! even when they sit inside `docs_dir`. `search` and the `extra` variables of `macros`
//! are read in `mkdocs.rs` with the rest of the site settings.

use serde_yaml::Value;

use super::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::mkdocs::Dialect;

/// What the plugins of an MkDocs project ask of the build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plugins {
    /// `redirects`' `redirect_maps`, in the order written.
    pub redirects: Vec<Redirect>,
    /// The theme's `custom_dir`, relative to the project root as written.
    pub custom_dir: Option<String>,
    /// `mike` deploys the site as one version beside others (`/dev/`, `/latest/`).
    pub versioned: bool,
}

/// One entry of `redirect_maps`: an old page (a Markdown path in `docs_dir`) and where
/// it now is (a Markdown path in `docs_dir`, maybe with `#fragment`, or a URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
}

impl Plugins {
    /// The old pages that redirect to the page at `content_path` (relative to
    /// `docs_dir`).
    pub fn redirects_to<'a>(&'a self, content_path: &'a str) -> impl Iterator<Item = &'a str> {
        self.redirects.iter().filter_map(move |r| {
            let page = r.to.split('#').next().unwrap_or("");
            (page == content_path).then_some(r.from.as_str())
        })
    }

    /// `custom_dir` relative to `docs_dir` when it lies inside it (`docs/overrides` with
    /// `docs_dir: docs` → `overrides`): those files are templates, not pages or files of
    /// the site.
    pub fn theme_dir_in(&self, docs_dir: &str) -> Option<String> {
        let dir = normal(self.custom_dir.as_deref()?);
        let docs = normal(docs_dir);
        let rest = if docs.is_empty() {
            dir.as_str()
        } else {
            dir.strip_prefix(&docs)?.strip_prefix('/')?
        };
        (!rest.is_empty()).then(|| rest.to_string())
    }
}

/// `./a/b/` → `a/b`.
fn normal(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the plugins' settings into `config` and `dialect`. Called once the Markdown
/// extensions are read: mkdocs-click's "not supported" warning is replaced by what
/// dcrsite does with its directives.
pub fn read(
    root: &Value,
    config: &mut Config,
    dialect: &mut Dialect,
    warnings: &mut Vec<Diagnostic>,
) {
    let plugins = entries(root.get("plugins"));
    let option = |name: &str| {
        plugins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, options)| options)
    };
    dialect.generated.mkdocstrings = option("mkdocstrings").is_some();
    config.plugins.versioned = option("mike").is_some();
    dialect.generated.click = entries(root.get("markdown_extensions"))
        .iter()
        .any(|(n, _)| n == "mkdocs-click" || n == "mkdocs_click");
    if dialect.generated.click {
        warnings.retain(|w| !w.message.starts_with("Markdown extension `mkdocs-click`"));
    }
    if let Some(Value::Mapping(map)) = option("redirects")
        .and_then(|o| o.get("redirect_maps"))
        .map(untag)
    {
        config.plugins.redirects = map
            .iter()
            .filter_map(|(from, to)| {
                Some(Redirect {
                    from: text(from)?,
                    to: text(to)?,
                })
            })
            .collect();
    }
    config.plugins.custom_dir = root
        .get("theme")
        .map(untag)
        .and_then(|t| t.get("custom_dir"))
        .and_then(text);
}

/// A list (`- name`, `- name: {options}`) or a mapping of names to options.
fn entries(value: Option<&Value>) -> Vec<(String, Value)> {
    let one = |v: &Value| match untag(v) {
        Value::String(s) => Some((s.clone(), Value::Null)),
        Value::Mapping(m) => m
            .iter()
            .next()
            .and_then(|(k, v)| Some((text(k)?, untag(v).clone()))),
        _ => None,
    };
    match value.map(untag) {
        Some(Value::Sequence(list)) => list.iter().filter_map(one).collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((text(k)?, untag(v).clone())))
            .collect(),
        _ => Vec::new(),
    }
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn text(v: &Value) -> Option<String> {
    match untag(v) {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(yaml: &str) -> (Config, Dialect, Vec<Diagnostic>) {
        let root: Value = serde_yaml::from_str(yaml).unwrap();
        let mut config = Config::default();
        let mut dialect = Dialect::default();
        let mut warnings = vec![Diagnostic::warning(
            "mkdocs.yml",
            "Markdown extension `mkdocs-click` is not supported; …",
        )];
        read(&root, &mut config, &mut dialect, &mut warnings);
        (config, dialect, warnings)
    }

    #[test]
    fn redirects_generators_and_custom_dir_from_a_plugin_mapping() {
        let (c, d, w) = read_text(
            "theme:\n  custom_dir: docs/.overrides\nplugins:\n  mkdocstrings:\n    default_handler: python\n  redirects:\n    redirect_maps:\n      old.md: new/page.md\n      gone.md: https://example.org/x\nmarkdown_extensions:\n  - mkdocs-click:\n",
        );
        assert!(d.generated.mkdocstrings && d.generated.click);
        assert!(!c.plugins.versioned, "no mike");
        assert!(w.is_empty(), "mkdocs-click is handled: {w:?}");
        let redirect = |from: &str, to: &str| Redirect {
            from: from.into(),
            to: to.into(),
        };
        assert_eq!(
            c.plugins.redirects,
            [
                redirect("old.md", "new/page.md"),
                redirect("gone.md", "https://example.org/x")
            ]
        );
        assert_eq!(
            c.plugins.redirects_to("new/page.md").collect::<Vec<_>>(),
            ["old.md"]
        );
        assert_eq!(
            c.plugins.theme_dir_in("docs").as_deref(),
            Some(".overrides")
        );
        assert_eq!(
            c.plugins.theme_dir_in("./docs/").as_deref(),
            Some(".overrides")
        );
        assert_eq!(c.plugins.theme_dir_in("src"), None);
    }

    #[test]
    fn plugins_as_a_list_and_nothing_without_them() {
        let (c, d, w) = read_text(
            "plugins:\n  - search\n  - mike\n  - redirects:\n      redirect_maps:\n        a.md: b.md#part\n",
        );
        assert!(!d.generated.mkdocstrings && !d.generated.click);
        assert!(c.plugins.versioned);
        assert_eq!(
            w.len(),
            1,
            "the warning about mkdocs-click stays without it"
        );
        assert_eq!(c.plugins.redirects_to("b.md").collect::<Vec<_>>(), ["a.md"]);
        let (c, _, _) = read_text("site_name: x\n");
        assert_eq!(c.plugins, Plugins::default());
    }
}
