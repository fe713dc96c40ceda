//! The reader-facing theme settings of an MkDocs project: the colour `palette` (which
//! scheme is light, which dark, and the switch's labels), the `logo` (the preview image
//! of a shared link when a page names none) and where "edit this page" points
//! (`repo_url` + `edit_uri`, with MkDocs' defaults). `site.yaml` sites set the same
//! through `edit_url` and the theme's defaults.

use serde_yaml::Value;

/// The switch's accessible labels, as MkDocs Material's default palette toggles read.
pub(crate) const TO_DARK: &str = "Switch to dark mode";
pub(crate) const TO_LIGHT: &str = "Switch to light mode";

/// What the theme shows beyond the pages, from `mkdocs.yml` (defaults for `site.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeSettings {
    /// The light/dark switch's label while the light scheme shows (it offers dark).
    pub toggle_to_dark: String,
    /// Its label while the dark scheme shows.
    pub toggle_to_light: String,
    /// Site-root-relative path or full URL of the logo (`theme.logo`).
    pub logo: Option<String>,
    /// The URL a page's source path is appended to for "edit this page".
    pub edit_base: Option<String>,
}

impl Default for ThemeSettings {
    fn default() -> Self {
        ThemeSettings {
            toggle_to_dark: TO_DARK.to_string(),
            toggle_to_light: TO_LIGHT.to_string(),
            logo: None,
            edit_base: None,
        }
    }
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match untag(v?) {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The settings of the whole `mkdocs.yml` (its YAML, tags allowed).
pub fn from_mkdocs(root: &Value) -> ThemeSettings {
    let root = untag(root);
    let theme = root.get("theme").map(untag);
    let mut settings = ThemeSettings {
        logo: text(theme.and_then(|t| t.get("logo"))),
        edit_base: edit_base(
            text(root.get("repo_url")).as_deref(),
            text(root.get("edit_uri")).as_deref(),
        ),
        ..ThemeSettings::default()
    };
    let palette = theme.and_then(|t| t.get("palette")).map(untag);
    let entries: Vec<&Value> = match palette {
        Some(Value::Sequence(list)) => list.iter().map(untag).collect(),
        Some(one @ Value::Mapping(_)) => vec![one],
        _ => Vec::new(),
    };
    for entry in entries {
        let Some(name) = text(entry.get("toggle").and_then(|t| t.get("name"))) else {
            continue;
        };
        // Each entry's toggle names what clicking does while that entry's scheme shows.
        if is_dark(entry) {
            settings.toggle_to_light = name;
        } else {
            settings.toggle_to_dark = name;
        }
    }
    settings
}

/// Whether a palette entry is the dark one: its `media` asks for dark, or, without a
/// media query, its scheme is Material's `slate` or is named dark (`dcrdocs-dark`).
fn is_dark(entry: &Value) -> bool {
    if let Some(media) = text(entry.get("media")) {
        return media.contains("dark");
    }
    text(entry.get("scheme")).is_some_and(|s| s == "slate" || s.contains("dark"))
}

/// MkDocs' edit link prefix: `edit_uri` joined to `repo_url`; without `edit_uri`,
/// MkDocs' default for the host (`edit/master/docs/` on GitHub and GitLab,
/// `src/default/docs/` on Bitbucket, none elsewhere). An empty `edit_uri` turns it off.
pub fn edit_base(repo_url: Option<&str>, edit_uri: Option<&str>) -> Option<String> {
    let host = repo_url.map(|u| host_of(u).to_ascii_lowercase());
    let edit_uri = match (edit_uri, host.as_deref()) {
        (Some(uri), _) => uri.to_string(),
        (None, Some("github.com" | "gitlab.com")) => "edit/master/docs/".to_string(),
        (None, Some("bitbucket.org")) => "src/default/docs/".to_string(),
        (None, _) => return None,
    };
    if edit_uri.is_empty() {
        return None;
    }
    let edit_uri = if edit_uri.ends_with('/') {
        edit_uri
    } else {
        format!("{edit_uri}/")
    };
    if edit_uri.contains("://") {
        return Some(edit_uri);
    }
    let repo = repo_url?;
    Some(if let Some(path) = edit_uri.strip_prefix('/') {
        // Like urljoin: a root-relative edit_uri replaces the repository's path.
        let origin_end = repo.find("://").map_or(0, |s| s + 3) + host_of(repo).len();
        format!("{}/{path}", &repo[..origin_end])
    } else if edit_uri.starts_with(['?', '#']) {
        format!("{repo}{edit_uri}")
    } else {
        format!("{}/{edit_uri}", repo.trim_end_matches('/'))
    })
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(yaml: &str) -> ThemeSettings {
        from_mkdocs(&serde_yaml::from_str(yaml).unwrap())
    }

    #[test]
    fn toggle_names_come_from_the_palette_entries() {
        let s = settings(
            "theme:\n  palette:\n  - media: \"(prefers-color-scheme: light)\"\n    scheme: dcrdocs-light\n    toggle:\n      name: Go dark\n  - media: \"(prefers-color-scheme: dark)\"\n    scheme: dcrdocs-dark\n    toggle:\n      name: Go light\n",
        );
        assert_eq!(s.toggle_to_dark, "Go dark");
        assert_eq!(s.toggle_to_light, "Go light");
        let s = settings("theme:\n  palette:\n    scheme: slate\n    toggle: {name: Lights on}\n");
        assert_eq!(s.toggle_to_light, "Lights on");
        assert_eq!(s.toggle_to_dark, TO_DARK);
        assert_eq!(settings("theme: material\n"), ThemeSettings::default());
    }

    #[test]
    fn edit_links_follow_mkdocs_defaults() {
        let gh = Some("https://github.com/decred/dcrdocs");
        assert_eq!(
            edit_base(gh, None).as_deref(),
            Some("https://github.com/decred/dcrdocs/edit/master/docs/")
        );
        assert_eq!(
            edit_base(gh, Some("edit/main/site/docs")).as_deref(),
            Some("https://github.com/decred/dcrdocs/edit/main/site/docs/")
        );
        assert_eq!(
            edit_base(gh, Some("/other/repo/blob/x/")).as_deref(),
            Some("https://github.com/other/repo/blob/x/")
        );
        assert_eq!(edit_base(gh, Some("")), None);
        assert_eq!(
            edit_base(Some("https://bitbucket.org/a/b/"), None).as_deref(),
            Some("https://bitbucket.org/a/b/src/default/docs/")
        );
        assert_eq!(edit_base(Some("https://example.org/git/a"), None), None);
        assert_eq!(
            edit_base(None, Some("https://example.org/edit/")).as_deref(),
            Some("https://example.org/edit/")
        );
        assert_eq!(edit_base(None, None), None);
    }
}
