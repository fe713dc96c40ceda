//! `site.theme`: the theme settings as templates use them, with the URLs made
//! root-relative (the engine adds the site's path prefix to those) and the palette ready
//! for the script that applies the reader's scheme before the first paint.

use serde::Serialize;

use crate::config::theme_settings::{site_url, Features, Scheme, Social, ThemeSettings};

#[derive(Serialize)]
pub(super) struct SerializingTheme<'a> {
    /// The logo image's URL, or null.
    logo_url: Option<String>,
    /// The logo as an inline SVG icon, when the settings name an icon instead.
    logo_icon: Option<&'a str>,
    /// The favicon's URL (the theme's own when the site names none) and its MIME type.
    favicon_url: Option<String>,
    favicon_type: Option<&'static str>,
    palette: &'a [Scheme],
    /// The palette as JSON, safe inside `<script>`.
    palette_json: String,
    /// CSS putting the named fonts first, or null.
    font_css: Option<String>,
    features: &'a Features,
    social: &'a [Social],
    repo_icon: Option<&'a str>,
    announce: Option<&'a str>,
    /// A class for the content besides `dcr-content`: `md-typeset` on MkDocs projects,
    /// so their `extra_css` (written against that class) styles the pages' text.
    content_class: Option<&'static str>,
}

impl<'a> SerializingTheme<'a> {
    pub(super) fn new(settings: &'a ThemeSettings, mkdocs: bool) -> Self {
        let favicon = settings.favicon.as_deref();
        SerializingTheme {
            logo_url: settings.logo.as_deref().map(site_url),
            logo_icon: settings.logo_icon.as_deref(),
            favicon_url: favicon.map(site_url),
            favicon_type: favicon.and_then(mime_type),
            palette: &settings.palette,
            palette_json: palette_json(&settings.palette),
            font_css: settings.font_css(),
            features: &settings.features,
            social: &settings.social,
            repo_icon: settings.repo_icon.as_deref(),
            announce: settings.announce.as_deref(),
            content_class: mkdocs.then_some("md-typeset"),
        }
    }
}

/// The MIME type browsers are told for a favicon, by its extension.
fn mime_type(path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => return None,
    })
}

/// What the head script needs of each scheme: name, dark or not, colours, media query.
fn palette_json(palette: &[Scheme]) -> String {
    let entries: Vec<serde_json::Value> = palette
        .iter()
        .map(|s| {
            serde_json::json!({
                "scheme": s.scheme,
                "dark": s.dark,
                "primary": s.primary,
                "accent": s.accent,
                "media": s.media,
            })
        })
        .collect();
    // `<` escaped, so no value can close the script element.
    serde_json::Value::Array(entries)
        .to_string()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_types_and_the_palette_script_data() {
        assert_eq!(site_url("img/logo.svg"), "/img/logo.svg");
        assert_eq!(site_url("/img/logo.svg"), "/img/logo.svg");
        assert_eq!(site_url("https://x.org/l.png"), "https://x.org/l.png");
        assert_eq!(mime_type("img/favicon.ico?v=s3ss"), Some("image/x-icon"));
        assert_eq!(mime_type("f.PNG"), Some("image/png"));
        assert_eq!(mime_type("favicon"), None);
        let mut settings = ThemeSettings::default();
        settings.palette[0].scheme = "</script>".to_string();
        let json = SerializingTheme::new(&settings, false).palette_json;
        assert!(!json.contains("</"), "{json}");
        assert!(json.contains("\"dark\":true"), "{json}");
    }
}
