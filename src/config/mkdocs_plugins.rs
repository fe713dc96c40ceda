//! The MkDocs plugins real projects rely on, read from `mkdocs.yml`: `redirects`
//! (`redirect_maps`), content generators dcrsite cannot run (`mkdocstrings`, the
//! `mkdocs-click` extension), Material's `blog` and `tags`, `mike`, and the theme's `custom_dir`, whose files are the theme's
//! even when they sit inside `docs_dir`. `search` and the `extra` variables of `macros`
//! are read in `mkdocs.rs` with the rest of the site settings.

use serde_yaml::Value;

use super::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::mkdocs::Dialect;
use crate::markdown::slugs::{Slugify, TocIds};

/// What the plugins of an MkDocs project ask of the build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plugins {
    /// `redirects`' `redirect_maps`, in the order written.
    pub redirects: Vec<Redirect>,
    /// The theme's `custom_dir`, relative to the project root as written.
    pub custom_dir: Option<String>,
    /// `mike` deploys the site as one version beside others (`/dev/`, `/latest/`).
    pub versioned: bool,
    /// The plugin that writes pages at build time, which dcrsite cannot run (`gen-files`).
    pub pages_by: Option<String>,
    /// Material's `blog` plugin.
    pub blog: Option<Blog>,
    /// Material's `tags` plugin: front-matter `tags` are shown and indexed.
    pub tags: bool,
}

/// Material's `blog` plugin: posts under `post_dir` get dated URLs, and the blog's index
/// page lists them with their excerpts.
#[derive(Debug, Clone, PartialEq)]
pub struct Blog {
    /// `blog_dir`: the blog's folder in `docs_dir` (its `index.md` lists the posts).
    pub dir: String,
    /// `post_dir` with `{blog}` replaced: where the posts are, in `docs_dir`.
    pub post_dir: String,
    /// `post_url_format`: `{date}/{slug}` by default (`{file}` and `{categories}` too).
    pub url_format: String,
    /// `post_url_date_format`, in Babel's notation: `yyyy/MM/dd` by default.
    pub date_format: String,
    /// `post_slugify` and `post_slugify_separator`: how a title becomes a slug.
    pub slug: TocIds,
    /// `post_excerpt_separator`: the end of a post's excerpt.
    pub excerpt_separator: String,
    /// `categories_slugify` and its separator: how a category becomes a URL part.
    pub category_slug: TocIds,
}

impl Blog {
    /// Whether the page at `content_path` (in `docs_dir`) is a post.
    pub fn is_post(&self, content_path: &str) -> bool {
        content_path
            .strip_prefix(self.post_dir.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The blog's index page, in `docs_dir`.
    pub fn index(&self) -> String {
        if self.dir.is_empty() {
            "index.md".to_string()
        } else {
            format!("{}/index.md", self.dir)
        }
    }

    /// Whether the page at `content_path` is the index or a post (whose change redoes the
    /// index's list).
    pub fn owns(&self, content_path: &str) -> bool {
        self.is_post(content_path) || content_path == self.index()
    }
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
    /// `docs_dir`) itself, not to a place on it (`new.md#part`).
    pub fn redirects_to<'a>(&'a self, content_path: &'a str) -> impl Iterator<Item = &'a str> {
        self.redirects
            .iter()
            .filter(move |r| r.to == content_path)
            .map(|r| r.from.as_str())
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

/// Reads the plugins' settings (`source` is mkdocs.yml's text) into `config` and `dialect`. Called once the Markdown
/// extensions are read: mkdocs-click's "not supported" warning is replaced by what
/// dcrsite does with its directives.
pub fn read(
    root: &Value,
    source: &str,
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
    config.plugins.pages_by = ["gen-files"]
        .into_iter()
        .find(|name| option(name).is_some())
        .map(String::from);
    dialect.generated.pages = config.plugins.pages_by.clone();
    config.plugins.tags = option("tags").or_else(|| option("material/tags")).is_some();
    config.plugins.blog = option("blog")
        .or_else(|| option("material/blog"))
        .map(|o| blog(o, source, &dialect.toc_ids));
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

/// The blog plugin's settings, its defaults where not given (`toc_ids`: the toc
/// extension's, which `post_slugify` defaults to).
fn blog(options: &Value, source: &str, toc_ids: &TocIds) -> Blog {
    let get = |k: &str, default: &str| {
        options
            .get(k)
            .and_then(text)
            .unwrap_or_else(|| default.to_string())
    };
    let dir = normal(&get("blog_dir", "blog"));
    let post_dir = normal(&get("post_dir", "{blog}/posts").replace("{blog}", &dir));
    let slugify = |key: &str| {
        options
            .get(key)
            .and_then(|v| python_slugify(source, key, v))
            .unwrap_or_else(|| toc_ids.slugify.clone())
    };
    Blog {
        dir,
        post_dir,
        url_format: get("post_url_format", "{date}/{slug}"),
        date_format: get("post_url_date_format", "yyyy/MM/dd"),
        slug: TocIds {
            slugify: slugify("post_slugify"),
            separator: get("post_slugify_separator", "-"),
        },
        excerpt_separator: get("post_excerpt_separator", "<!-- more -->"),
        category_slug: TocIds {
            slugify: slugify("categories_slugify"),
            separator: get("categories_slugify_separator", "-"),
        },
    }
}

/// `KEY: !!python/name:module.function` or `!!python/object/apply:module.function
/// {kwds: {…}}`, as a slugify function dcrsite knows. The YAML reader drops `!!` tags, so
/// the function is read from the line in `source` (mkdocs.yml); `value` gives its `kwds`.
fn python_slugify(source: &str, key: &str, value: &Value) -> Option<Slugify> {
    let written = source
        .lines()
        .map(str::trim_start)
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))?
        .trim();
    let path = ["!!python/object/apply:", "!!python/name:"]
        .iter()
        .find_map(|tag| written.strip_prefix(tag))?
        .split(|c: char| c.is_whitespace() || c == '{')
        .next()?;
    let kwds = untag(value).get("kwds").map(untag);
    let kwarg = |k: &str| match kwds.and_then(|m| m.get(k)).map(untag) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    };
    Slugify::from_python(path, &kwarg)
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
        read(&root, yaml, &mut config, &mut dialect, &mut warnings);
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
    fn blog_settings_with_their_defaults_and_a_python_slugify() {
        let (c, _, _) = read_text("plugins:\n  - material/blog\n");
        let blog = c.plugins.blog.unwrap();
        assert_eq!(
            (blog.dir.as_str(), blog.post_dir.as_str()),
            ("blog", "blog/posts")
        );
        assert_eq!(blog.url_format, "{date}/{slug}");
        assert_eq!(blog.date_format, "yyyy/MM/dd");
        assert_eq!(blog.slug, TocIds::default());
        assert!(blog.is_post("blog/posts/a.md") && !blog.is_post("blog/postsx/a.md"));
        assert!(blog.owns("blog/index.md") && !blog.owns("index.md"));
        let (c, _, _) = read_text(
            "plugins:\n  blog:\n    blog_dir: news/\n    post_slugify: !!python/object/apply:pymdownx.slugs.slugify\n      kwds:\n        case: lower\n    post_slugify_separator: _\n",
        );
        let blog = c.plugins.blog.unwrap();
        assert_eq!(blog.post_dir, "news/posts");
        assert_eq!(blog.index(), "news/index.md");
        assert_eq!(blog.slug.slug("Hatch v1.10 Ωmega"), "hatch_v110_ωmega");
    }

    #[test]
    fn plugins_as_a_list_and_nothing_without_them() {
        let (c, d, w) = read_text(
            "plugins:\n  - search\n  - mike\n  - redirects:\n      redirect_maps:\n        a.md: b.md\n        c.md: b.md#part\n",
        );
        assert!(!d.generated.mkdocstrings && !d.generated.click);
        assert!(c.plugins.versioned);
        assert_eq!(c.plugins.pages_by, None);
        assert!(!c.plugins.tags);
        assert_eq!(
            w.len(),
            1,
            "the warning about mkdocs-click stays without it"
        );
        assert_eq!(c.plugins.redirects_to("b.md").collect::<Vec<_>>(), ["a.md"]);
        let (c, _, _) = read_text("site_name: x\n");
        assert_eq!(c.plugins, Plugins::default());
        let (c, _, _) =
            read_text("plugins:\n  - material/tags\n  - gen-files:\n      scripts: [gen.py]\n");
        assert!(c.plugins.tags);
        assert_eq!(c.plugins.pages_by.as_deref(), Some("gen-files"));
    }
}
