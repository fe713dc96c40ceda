//! The reader-facing theme settings: logo, favicon, colour schemes and their switch,
//! fonts, the optional page features, social links, an announcement, and where "edit
//! this page" points. An MkDocs project writes them under `theme:` (and `extra.social`,
//! `repo_url`, `edit_uri`), read by `mkdocs`; a `site.yaml` site under its own `theme:`
//! mapping, read by `site`. Both end in the one `ThemeSettings` the templates see.

mod features;
pub mod mkdocs;
pub mod site;

use serde::Serialize;

pub use features::Features;
pub use mkdocs::from_mkdocs;

/// The switch's accessible labels, as MkDocs Material's default palette toggles read.
const TO_DARK: &str = "Switch to dark mode";
const TO_LIGHT: &str = "Switch to light mode";

/// One colour scheme the switch steps through (an entry of MkDocs' `palette`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheme {
    /// The scheme's name, set as `data-md-color-scheme`: the theme's `default` (light)
    /// or `slate` (dark), or one the site's CSS defines (`dcrdocs-light`).
    pub scheme: String,
    /// Whether the theme's own colours under it are the dark ones.
    pub dark: bool,
    /// Colour names (`indigo`, `deep-purple`), set as `data-md-color-primary` / `-accent`.
    pub primary: Option<String>,
    pub accent: Option<String>,
    /// The media query that picks this scheme until the reader uses the switch.
    pub media: Option<String>,
    /// The switch's label while this scheme shows (it names what a click does).
    pub toggle_name: String,
    /// The switch's icon (inline SVG) while this scheme shows; the theme's own if none.
    pub toggle_icon: Option<String>,
}

impl Scheme {
    fn light() -> Self {
        Scheme {
            scheme: "default".to_string(),
            dark: false,
            primary: None,
            accent: None,
            media: Some("(prefers-color-scheme: light)".to_string()),
            toggle_name: TO_DARK.to_string(),
            toggle_icon: None,
        }
    }

    fn dark() -> Self {
        Scheme {
            scheme: "slate".to_string(),
            dark: true,
            media: Some("(prefers-color-scheme: dark)".to_string()),
            toggle_name: TO_LIGHT.to_string(),
            ..Scheme::light()
        }
    }

    /// Whether a scheme named `name` under `media` is a dark one: its media query asks
    /// for dark, or, without one, it is `slate` or named dark (`dcrdocs-dark`).
    fn is_dark(name: &str, media: Option<&str>) -> bool {
        match media {
            Some(media) => media.contains("dark"),
            None => name == "slate" || name.contains("dark"),
        }
    }
}

/// A link in the footer's row of social icons (MkDocs' `extra.social`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Social {
    pub link: String,
    /// The accessible name: the entry's `name`, else the link's host.
    pub name: String,
    /// Inline SVG of the entry's icon, if its set has it.
    pub icon_html: Option<String>,
}

/// What the theme shows beyond the pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeSettings {
    /// The light/dark switch's label while a light scheme shows (it offers dark).
    pub toggle_to_dark: String,
    /// Its label while a dark scheme shows.
    pub toggle_to_light: String,
    /// The logo as written: site-root-relative path or full URL.
    pub logo: Option<String>,
    /// The logo as an icon of the packed sets (`icon.logo`), inline SVG.
    pub logo_icon: Option<String>,
    /// The favicon as written: site-root-relative path or full URL.
    pub favicon: Option<String>,
    /// The schemes the switch steps through, in order (never empty).
    pub palette: Vec<Scheme>,
    /// Font families named for text and code (`font.text` / `font.code`), put before
    /// the theme's system stacks; nothing is fetched.
    pub font_text: Option<String>,
    pub font_code: Option<String>,
    pub features: Features,
    pub social: Vec<Social>,
    /// The icon before the repository link (`icon.repo`), inline SVG.
    pub repo_icon: Option<String>,
    /// HTML shown in a bar above the header on every page.
    pub announce: Option<String>,
    /// The URL a page's source path is appended to for "edit this page".
    #[serde(skip)]
    pub edit_base: Option<String>,
}

impl Default for ThemeSettings {
    fn default() -> Self {
        ThemeSettings {
            toggle_to_dark: TO_DARK.to_string(),
            toggle_to_light: TO_LIGHT.to_string(),
            logo: None,
            logo_icon: None,
            favicon: None,
            palette: vec![Scheme::light(), Scheme::dark()],
            font_text: None,
            font_code: None,
            features: Features::default(),
            social: Vec::new(),
            repo_icon: None,
            announce: None,
            edit_base: None,
        }
    }
}

impl ThemeSettings {
    /// Sets the palette, and the switch's two labels from it: each entry's toggle names
    /// what clicking does while that entry's scheme shows.
    fn set_palette(&mut self, palette: Vec<Scheme>) {
        if palette.is_empty() {
            return;
        }
        for scheme in &palette {
            if scheme.dark {
                self.toggle_to_light = scheme.toggle_name.clone();
            } else {
                self.toggle_to_dark = scheme.toggle_name.clone();
            }
        }
        self.palette = palette;
    }

    /// The CSS that puts the named fonts first (none when no font is named).
    pub fn font_css(&self) -> Option<String> {
        let family = |name: &Option<String>| name.as_deref().map(css_family);
        let (text, code) = (family(&self.font_text), family(&self.font_code));
        if text.is_none() && code.is_none() {
            return None;
        }
        let mut css = String::from(":root{");
        if let Some(text) = text {
            css.push_str(&format!("--dcr-font:{text},var(--dcr-font-system);"));
        }
        if let Some(code) = code {
            css.push_str(&format!("--dcr-mono:{code},var(--dcr-mono-system);"));
        }
        css.push('}');
        Some(css)
    }
}

/// A path as the theme settings write it (`img/logo.svg`, from the pages' folder) as a
/// root-relative URL; full URLs are kept.
pub fn site_url(path: &str) -> String {
    if path.contains("://") || path.starts_with("//") || path.starts_with("data:") {
        return path.to_string();
    }
    format!("/{}", path.trim_start_matches("./").trim_start_matches('/'))
}

/// A font family name as a CSS string: quoted, with nothing that could end the string,
/// the declaration or the `<style>` element.
fn css_family(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | '<' | '>' | ';' | '{' | '}') && !c.is_control())
        .collect();
    format!("\"{}\"", clean.trim())
}

/// An icon of the packed sets by the name a theme setting gives (`material/library`).
fn icon(name: &str) -> Option<String> {
    crate::icon_sets::svg(name)
}

/// The host of a URL, for a social link without a name.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.strip_prefix("www.").unwrap_or(host)
}

/// MkDocs' edit link prefix: `edit_uri` joined to `repo_url`; without `edit_uri`,
/// MkDocs' default for the host (`edit/master/docs/` on GitHub and GitLab,
/// `src/default/docs/` on Bitbucket, none elsewhere). An empty `edit_uri` turns it off.
pub fn edit_base(repo_url: Option<&str>, edit_uri: Option<&str>) -> Option<String> {
    let host = repo_url.map(|u| full_host(u).to_ascii_lowercase());
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
        let origin_end = repo.find("://").map_or(0, |s| s + 3) + full_host(repo).len();
        format!("{}/{path}", &repo[..origin_end])
    } else if edit_uri.starts_with(['?', '#']) {
        format!("{repo}{edit_uri}")
    } else {
        format!("{}/{edit_uri}", repo.trim_end_matches('/'))
    })
}

fn full_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn font_names_cannot_break_out_of_the_style_element() {
        let settings = ThemeSettings {
            font_text: Some("Inter</style><script>".to_string()),
            font_code: Some("Fira \"Code\";}".to_string()),
            ..ThemeSettings::default()
        };
        assert_eq!(
            settings.font_css().unwrap(),
            ":root{--dcr-font:\"Inter/stylescript\",var(--dcr-font-system);--dcr-mono:\"Fira Code\",var(--dcr-mono-system);}"
        );
        assert_eq!(ThemeSettings::default().font_css(), None);
    }
}
