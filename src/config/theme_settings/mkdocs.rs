//! The theme settings of an MkDocs project: its `theme:` mapping (`logo`, `icon`,
//! `favicon`, `palette`, `font`, `language`, `features`), `extra.social`, and
//! `repo_url` / `edit_uri`. Options the decred theme does not know are one warning each,
//! at their line in mkdocs.yml.

use std::path::Path;

use serde_yaml::Value;

use super::{icon, Scheme, Social, ThemeSettings};
use crate::config::mkdocs::untag;
use crate::diagnostics::{Diagnostic, LineIndex};

const FILE: &str = "mkdocs.yml";

/// `theme:` keys the decred theme reads.
const HONOURED: &[&str] = &[
    "name",
    "language",
    "logo",
    "icon",
    "favicon",
    "palette",
    "font",
    "features",
    "custom_dir",
];

/// `theme:` keys of MkDocs' and Material's themes that change nothing in the decred
/// theme's pages (template folders, locale details, highlight.js, the built-in themes'
/// navigation options): accepted without a warning.
const WITHOUT_EFFECT: &[&str] = &[
    "static_templates",
    "locale",
    "direction",
    "highlightjs",
    "hljs_languages",
    "hljs_style",
    "navigation_depth",
    "nav_style",
    "shortcuts",
    "analytics",
    "user_color_mode_toggle",
    "color_mode",
    "include_homepage_in_sidebar",
    "prev_next_buttons_location",
    "titles_only",
    "sticky_navigation",
    "collapse_navigation",
    "include_sidebar",
    "logo_only",
    "style_nav_header_background",
];

/// Material's colour names (`deep purple` is written with a space or a dash).
pub(super) const COLOURS: &[&str] = &[
    "red",
    "pink",
    "purple",
    "deep-purple",
    "indigo",
    "blue",
    "light-blue",
    "cyan",
    "teal",
    "green",
    "light-green",
    "lime",
    "yellow",
    "amber",
    "orange",
    "deep-orange",
    "brown",
    "grey",
    "blue-grey",
    "black",
    "white",
    "custom",
];

fn string(v: Option<&Value>) -> Option<String> {
    match untag(v?) {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Finds the places of theme settings in mkdocs.yml: the first `needle` after `theme:`.
struct Places<'a> {
    text: &'a str,
    theme_at: usize,
}

impl<'a> Places<'a> {
    fn new(text: &'a str) -> Self {
        let theme_at = if text.starts_with("theme:") {
            0
        } else {
            text.find("\ntheme:").map_or(0, |i| i + 1)
        };
        Places { text, theme_at }
    }

    fn warn(&self, needle: &str, message: String) -> Diagnostic {
        self.warn_after(self.theme_at, needle, message)
    }

    fn warn_after(&self, from: usize, needle: &str, message: String) -> Diagnostic {
        let at = whole_word(&self.text[from..], needle).map(|i| from + i);
        let position = at.map(|at| LineIndex::new(self.text).position(at));
        Diagnostic::warning(FILE, message).at_position(position)
    }
}

/// Where `needle` is written as a whole (not the start of a longer name).
fn whole_word(text: &str, needle: &str) -> Option<usize> {
    let part_of_name = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '/');
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let at = from + i;
        if !text[at + needle.len()..].starts_with(part_of_name) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// The settings of the whole `mkdocs.yml` (its YAML, tags allowed; `text` for places).
pub fn from_mkdocs(root: &Value, text: &str, warnings: &mut Vec<Diagnostic>) -> ThemeSettings {
    let root = untag(root);
    let places = Places::new(text);
    let mut settings = ThemeSettings {
        edit_base: super::edit_base(
            string(root.get("repo_url")).as_deref(),
            string(root.get("edit_uri")).as_deref(),
        ),
        ..ThemeSettings::default()
    };
    settings.social = social(root, &places, warnings);
    let Some(Value::Mapping(theme)) = root.get("theme").map(untag) else {
        return settings;
    };
    for key in theme.keys().filter_map(|k| k.as_str()) {
        if !HONOURED.contains(&key) && !WITHOUT_EFFECT.contains(&key) {
            let known = HONOURED.iter().chain(WITHOUT_EFFECT).copied();
            let message = format!("theme option `{key}` is unknown to the decred theme; ignored");
            warnings.push(hint(places.warn(&format!("{key}:"), message), key, known));
        }
    }
    let theme = Value::Mapping(theme.clone());
    settings.logo = string(theme.get("logo"));
    settings.favicon = string(theme.get("favicon"));
    read_icons(&theme, &places, &mut settings, warnings);
    if let Some(palette) = theme.get("palette").map(untag) {
        let schemes = palette_of(palette, &places, warnings);
        settings.set_palette(schemes);
    }
    if let Some(font) = theme.get("font").map(untag).filter(|f| f.is_mapping()) {
        settings.font_text = string(font.get("text"));
        settings.font_code = string(font.get("code"));
    }
    if let Some(Value::Sequence(features)) = theme.get("features").map(untag) {
        for name in features.iter().filter_map(|f| string(Some(f))) {
            if !settings.features.enable(&name) {
                let message =
                    format!("theme feature `{name}` is unknown to the decred theme; ignored");
                let warning = places.warn(&format!("- {name}"), message);
                warnings.push(hint(warning, &name, super::Features::known()));
            }
        }
    }
    settings
}

/// The language a project's `theme.language` sets for `<html lang>`, if any.
pub fn language(root: &Value) -> Option<String> {
    string(untag(root).get("theme").map(untag)?.get("language"))
}

/// `icon.logo` (the logo as an icon, when `logo` names no image) and `icon.repo`.
fn read_icons(
    theme: &Value,
    places: &Places,
    settings: &mut ThemeSettings,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(icons) = theme.get("icon").map(untag) else {
        return;
    };
    let mut named = |key: &str| {
        let name = string(icons.get(key))?;
        let svg = icon(&name);
        if svg.is_none() {
            warnings.push(places.warn(&name, unknown_icon(&name)));
        }
        svg
    };
    settings.logo_icon = named("logo");
    settings.repo_icon = named("repo");
}

/// Adds "did you mean" to a warning about `wrong` when a known name is near it.
fn hint<'a>(
    warning: Diagnostic,
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    match crate::diagnostics::suggest(wrong, known) {
        Some(near) => warning.with_help(format!("did you mean `{near}`?")),
        None => warning,
    }
}

fn unknown_icon(name: &str) -> String {
    format!("icon `{name}` is in none of the icon sets (material/, octicons/, fontawesome/, simple/); it is left out")
}

/// The palette's schemes, in order: one mapping, or a list of them.
fn palette_of(palette: &Value, places: &Places, warnings: &mut Vec<Diagnostic>) -> Vec<Scheme> {
    let entries: Vec<&Value> = match palette {
        Value::Sequence(list) => list.iter().map(untag).collect(),
        one @ Value::Mapping(_) => vec![one],
        _ => Vec::new(),
    };
    let palette_at = places.text[places.theme_at..]
        .find("palette:")
        .map_or(places.theme_at, |i| places.theme_at + i);
    entries
        .into_iter()
        .map(|entry| scheme_of(entry, places, palette_at, warnings))
        .collect()
}

fn scheme_of(entry: &Value, places: &Places, at: usize, warnings: &mut Vec<Diagnostic>) -> Scheme {
    let media = string(entry.get("media"));
    let name = string(entry.get("scheme")).unwrap_or_else(|| "default".to_string());
    let dark = Scheme::is_dark(&name, media.as_deref());
    let toggle = entry.get("toggle").map(untag);
    let mut colour = |key: &str| {
        let written = string(entry.get(key))?;
        let colour = written.trim().to_ascii_lowercase().replace(' ', "-");
        if !COLOURS.contains(&colour.as_str()) {
            let message = format!("palette {key} `{written}` is not a colour the decred theme knows; the scheme's own colour is kept");
            let warning = places.warn_after(at, &written, message);
            warnings.push(hint(warning, &colour, COLOURS.iter().copied()));
        }
        Some(colour)
    };
    let (primary, accent) = (colour("primary"), colour("accent"));
    let toggle_icon = toggle.and_then(|t| string(t.get("icon"))).and_then(|name| {
        let svg = icon(&name);
        if svg.is_none() {
            warnings.push(places.warn_after(at, &name, unknown_icon(&name)));
        }
        svg
    });
    let default = if dark {
        Scheme::dark()
    } else {
        Scheme::light()
    };
    Scheme {
        scheme: name,
        dark,
        primary,
        accent,
        media,
        toggle_name: toggle
            .and_then(|t| string(t.get("name")))
            .unwrap_or(default.toggle_name),
        toggle_icon,
    }
}

/// `extra.social`: the footer's icon links.
fn social(root: &Value, places: &Places, warnings: &mut Vec<Diagnostic>) -> Vec<Social> {
    let Some(Value::Sequence(list)) = root
        .get("extra")
        .map(untag)
        .and_then(|e| e.get("social"))
        .map(untag)
    else {
        return Vec::new();
    };
    list.iter()
        .map(untag)
        .filter_map(|entry| {
            let link = string(entry.get("link"))?;
            let icon_html = string(entry.get("icon")).and_then(|name| {
                let svg = icon(&name);
                if svg.is_none() {
                    warnings.push(places.warn_after(0, &name, unknown_icon(&name)));
                }
                svg
            });
            let name =
                string(entry.get("name")).unwrap_or_else(|| super::host_of(&link).to_string());
            Some(Social {
                link,
                name,
                icon_html,
            })
        })
        .collect()
}

/// The `announce` block of the project's `custom_dir/main.html` (Material's way to
/// announce), as its HTML; Jinja inside it is not run, so a block that uses any is
/// warned about and left out.
pub fn announce(dir: &Path, root: &Value, warnings: &mut Vec<Diagnostic>) -> Option<String> {
    let custom_dir = string(untag(root).get("theme").map(untag)?.get("custom_dir"))?;
    let file = format!("{}/main.html", custom_dir.trim_end_matches('/'));
    let html = std::fs::read_to_string(dir.join(&file)).ok()?;
    let start = html.find("{% block announce %}")? + "{% block announce %}".len();
    let end = start + html[start..].find("{% endblock")?;
    let inner = html[..end][start..].trim();
    if inner.contains("{{") || inner.contains("{%") {
        let line = html[..start].lines().count();
        warnings.push(
            Diagnostic::warning(file, "the announce block uses Jinja, which dcrsite does not run; no announcement is shown")
                .at_line(Some(line))
                .with_help("write the announcement as plain HTML"),
        );
        return None;
    }
    (!inner.is_empty()).then(|| inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> (ThemeSettings, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let s = from_mkdocs(&serde_yaml::from_str(yaml).unwrap(), yaml, &mut warnings);
        (s, warnings)
    }

    #[test]
    fn toggle_names_come_from_the_palette_entries() {
        let (s, w) = read(
            "theme:\n  palette:\n  - media: \"(prefers-color-scheme: light)\"\n    scheme: dcrdocs-light\n    toggle:\n      name: Go dark\n  - media: \"(prefers-color-scheme: dark)\"\n    scheme: dcrdocs-dark\n    toggle:\n      name: Go light\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.toggle_to_dark, "Go dark");
        assert_eq!(s.toggle_to_light, "Go light");
        assert_eq!(s.palette.len(), 2);
        assert_eq!(s.palette[1].scheme, "dcrdocs-dark");
        assert!(s.palette[1].dark && !s.palette[0].dark);
        let (s, _) = read("theme:\n  palette:\n    scheme: slate\n    toggle: {name: Lights on}\n");
        assert_eq!(s.toggle_to_light, "Lights on");
        assert_eq!(s.toggle_to_dark, super::super::TO_DARK);
        assert_eq!(s.palette.len(), 1);
        assert_eq!(read("theme: material\n").0, ThemeSettings::default());
    }

    #[test]
    fn colours_icons_fonts_and_features_are_read() {
        let (s, w) = read(concat!(
            "site_name: x\ntheme:\n  name: material\n  logo: img/logo.svg\n  favicon: img/fav.png\n",
            "  icon:\n    logo: material/library\n    repo: octicons/mark-github-16\n",
            "  font:\n    text: Inter\n    code: JetBrains Mono\n",
            "  palette:\n    - scheme: default\n      primary: deep purple\n      accent: Amber\n",
            "  features:\n    - navigation.tabs\n    - toc.integrate\n    - navigation.instant\n",
            "extra:\n  social:\n    - icon: fontawesome/brands/github\n      link: https://github.com/x\n    - link: https://www.example.org/y\n",
        ));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.logo.as_deref(), Some("img/logo.svg"));
        assert_eq!(s.favicon.as_deref(), Some("img/fav.png"));
        assert!(s.logo_icon.unwrap().contains("<svg"));
        assert!(s.repo_icon.unwrap().contains("<svg"));
        assert_eq!(s.palette[0].primary.as_deref(), Some("deep-purple"));
        assert_eq!(s.palette[0].accent.as_deref(), Some("amber"));
        assert_eq!(s.font_text.as_deref(), Some("Inter"));
        assert_eq!(s.font_code.as_deref(), Some("JetBrains Mono"));
        assert!(s.features.tabs && s.features.toc_integrate && !s.features.top);
        assert_eq!(s.social.len(), 2);
        assert!(s.social[0].icon_html.as_deref().unwrap().contains("<svg"));
        assert_eq!(s.social[1].name, "example.org");
    }

    #[test]
    fn unknown_options_features_colours_and_icons_are_one_warning_at_their_line() {
        let (_, w) = read(concat!(
            "site_name: x\ntheme:\n  name: material\n  palete: []\n",
            "  icon:\n    logo: material/no-such-icon\n",
            "  palette:\n    primary: indgo\n",
            "  features:\n    - navigation.tab\n    - navigation.top\n",
        ));
        let found: Vec<(Option<usize>, &str)> =
            w.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(w.len(), 4, "{found:?}");
        assert_eq!(w[0].line, Some(4));
        assert!(w[0].message.contains("`palete`"));
        assert_eq!(w[0].help.as_deref(), Some("did you mean `palette`?"));
        assert_eq!(w[1].line, Some(6));
        assert!(w[1].message.contains("material/no-such-icon"));
        assert_eq!(w[2].line, Some(8));
        assert!(w[2].message.contains("indgo"));
        assert_eq!(w[3].line, Some(10));
        assert!(w[3].message.contains("navigation.tab`"));
        assert_eq!(
            w[3].help.as_deref(),
            Some("did you mean `navigation.tabs`?")
        );
    }
}
