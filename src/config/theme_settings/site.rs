//! `theme:` in `site.yaml`: the theme's name (`theme: decred`), or a mapping with the
//! name and the theme settings:
//!
//! ```yaml
//! theme:
//!   name: decred
//!   logo: /img/logo.svg          # or logo_icon: material/library
//!   favicon: /img/favicon.png
//!   palette:                     # the schemes the switch steps through
//!     - scheme: default
//!       media: "(prefers-color-scheme: light)"
//!       primary: indigo
//!       toggle: {name: Switch to dark mode, icon: material/weather-night}
//!     - scheme: slate
//!       media: "(prefers-color-scheme: dark)"
//!       toggle: {name: Switch to light mode, icon: material/weather-sunny}
//!   font: {text: Inter, code: JetBrains Mono}
//!   features: [navigation.tabs, navigation.top, toc.integrate, content.action.view]
//!   social:
//!     - {icon: fontawesome/brands/github, link: "https://github.com/o", name: GitHub}
//!   announce: "<strong>v2</strong> is out"
//! ```
//!
//! The settings mean what MkDocs' do. Unknown keys, features, colours and icons are
//! errors, as everything unknown in site.yaml is.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{icon, Scheme, Social, ThemeSettings};
use crate::diagnostics::Diagnostic;

const FILE: &str = "site.yaml";

/// The `theme:` value: a name alone, or a name with settings.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SiteTheme {
    pub name: String,
    pub settings: Option<Settings>,
}

impl Default for SiteTheme {
    fn default() -> Self {
        SiteTheme {
            name: "decred".to_string(),
            settings: None,
        }
    }
}

fn decred() -> String {
    "decred".to_string()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default = "decred")]
    name: String,
    logo: Option<String>,
    logo_icon: Option<String>,
    favicon: Option<String>,
    #[serde(default)]
    palette: Vec<PaletteEntry>,
    font: Option<Font>,
    #[serde(default)]
    features: Vec<String>,
    #[serde(default)]
    social: Vec<SocialEntry>,
    announce: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct PaletteEntry {
    #[serde(default = "default_scheme")]
    scheme: String,
    /// Whether the theme's dark colours go with it (else guessed from `media` / name).
    dark: Option<bool>,
    media: Option<String>,
    primary: Option<String>,
    accent: Option<String>,
    toggle: Option<Toggle>,
}

fn default_scheme() -> String {
    "default".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Toggle {
    name: Option<String>,
    icon: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Font {
    text: Option<String>,
    code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct SocialEntry {
    link: String,
    name: Option<String>,
    icon: Option<String>,
}

impl<'de> Deserialize<'de> for SiteTheme {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ThemeVisitor;
        impl<'de> Visitor<'de> for ThemeVisitor {
            type Value = SiteTheme;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a theme name, or a mapping with `name` and the theme's settings")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<SiteTheme, E> {
                Ok(SiteTheme {
                    name: name.to_string(),
                    settings: None,
                })
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<SiteTheme, M::Error> {
                let settings = Settings::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(SiteTheme {
                    name: settings.name.clone(),
                    settings: Some(settings),
                })
            }
        }
        deserializer.deserialize_any(ThemeVisitor)
    }
}

impl SiteTheme {
    /// The settings the theme shows, checked: an unknown feature, colour or icon is an
    /// error at its place in `text` (the site.yaml).
    pub fn settings(&self, text: &str) -> Result<ThemeSettings, Diagnostic> {
        let mut out = ThemeSettings::default();
        let Some(s) = &self.settings else {
            return Ok(out);
        };
        let error = |what: String, needle: &str, help: String| {
            let position = crate::yaml::find_value(text, needle)
                .map(|at| crate::diagnostics::LineIndex::new(text).position(at));
            Diagnostic::error(FILE, what)
                .at_position(position)
                .with_help(help)
        };
        let icon_of = |name: &str| {
            match icon(name) {
            Some(svg) => Ok(svg),
            None => Err(error(
                format!("icon `{name}` is in none of the icon sets"),
                name,
                "name an icon as `material/NAME`, `octicons/NAME`, `fontawesome/brands/NAME` or `simple/NAME`".to_string(),
            )),
        }
        };
        out.logo = s.logo.clone();
        out.favicon = s.favicon.clone();
        out.logo_icon = s.logo_icon.as_deref().map(icon_of).transpose()?;
        for feature in &s.features {
            if !out.features.enable(feature) {
                let near = crate::diagnostics::suggest(feature, super::Features::known());
                let help = near.map_or_else(
                    || "see the theme's features in README".to_string(),
                    |n| format!("did you mean `{n}`?"),
                );
                return Err(error(
                    format!("unknown theme feature `{feature}`"),
                    feature,
                    help,
                ));
            }
        }
        let mut palette = Vec::new();
        for entry in &s.palette {
            palette.push(scheme(entry, &icon_of, &error)?);
        }
        out.set_palette(palette);
        if let Some(font) = &s.font {
            out.font_text = font.text.clone();
            out.font_code = font.code.clone();
        }
        for entry in &s.social {
            out.social.push(Social {
                link: entry.link.clone(),
                name: entry
                    .name
                    .clone()
                    .unwrap_or_else(|| super::host_of(&entry.link).to_string()),
                icon_html: entry.icon.as_deref().map(icon_of).transpose()?,
            });
        }
        out.announce = s.announce.clone();
        Ok(out)
    }
}

type Checked<T> = Result<T, Diagnostic>;

fn scheme(
    entry: &PaletteEntry,
    icon_of: &dyn Fn(&str) -> Checked<String>,
    error: &dyn Fn(String, &str, String) -> Diagnostic,
) -> Checked<Scheme> {
    let colour = |name: &Option<String>| -> Checked<Option<String>> {
        let Some(written) = name else { return Ok(None) };
        let colour = written.trim().to_ascii_lowercase().replace(' ', "-");
        if !super::mkdocs::COLOURS.contains(&colour.as_str()) {
            return Err(error(
                format!("`{written}` is not a colour the decred theme knows"),
                written,
                format!("use one of {}", super::mkdocs::COLOURS.join(", ")),
            ));
        }
        Ok(Some(colour))
    };
    let dark = entry
        .dark
        .unwrap_or_else(|| Scheme::is_dark(&entry.scheme, entry.media.as_deref()));
    let default = if dark {
        Scheme::dark()
    } else {
        Scheme::light()
    };
    let toggle = entry.toggle.as_ref();
    Ok(Scheme {
        scheme: entry.scheme.clone(),
        dark,
        primary: colour(&entry.primary)?,
        accent: colour(&entry.accent)?,
        media: entry.media.clone(),
        toggle_name: toggle
            .and_then(|t| t.name.clone())
            .unwrap_or(default.toggle_name),
        toggle_icon: toggle
            .and_then(|t| t.icon.as_deref())
            .map(icon_of)
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn a_name_alone_or_a_mapping_of_settings() {
        let c = Config::parse("theme: decred\n").unwrap();
        assert_eq!(c.theme, "decred");
        assert_eq!(c.theme_settings, super::ThemeSettings::default());
        let c = Config::parse(concat!(
            "theme:\n  logo: /img/logo.svg\n  favicon: /img/f.png\n",
            "  palette:\n    - scheme: default\n      primary: indigo\n      toggle: {name: Dark please}\n",
            "    - scheme: slate\n      toggle: {name: Light please, icon: material/weather-sunny}\n",
            "  features: [navigation.tabs, navigation.top]\n",
            "  font: {text: Inter}\n",
            "  social:\n    - {icon: fontawesome/brands/github, link: \"https://github.com/o\"}\n",
            "  announce: Hello\n",
        ))
        .unwrap();
        assert_eq!(c.theme, "decred");
        let s = &c.theme_settings;
        assert_eq!(s.logo.as_deref(), Some("/img/logo.svg"));
        assert_eq!(s.favicon.as_deref(), Some("/img/f.png"));
        assert_eq!(s.palette.len(), 2);
        assert!(s.palette[1].dark && s.palette[1].toggle_icon.is_some());
        assert_eq!(s.toggle_to_dark, "Dark please");
        assert_eq!(s.toggle_to_light, "Light please");
        assert!(s.features.tabs && s.features.top);
        assert_eq!(s.font_text.as_deref(), Some("Inter"));
        assert_eq!(s.social[0].name, "github.com");
        assert_eq!(s.announce.as_deref(), Some("Hello"));
    }

    #[test]
    fn unknown_settings_features_colours_and_icons_are_errors_at_their_line() {
        let e = Config::parse("title: T\ntheme:\n  name: decred\n  logoo: x\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("unknown field `logoo`"), "{e}");
        let e = Config::parse("theme:\n  features:\n    - navigation.tab\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `navigation.tabs`?"));
        let e = Config::parse("theme:\n  palette:\n    - primary: indgo\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = Config::parse("theme:\n  logo_icon: material/nope-nope\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }
}
