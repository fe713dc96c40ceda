//! Icon shortcodes (`:material-check:`, `:fa-cloud:`) in text: pymdownx.emoji with
//! Material's icon sets, and the older `fontawesome_markdown`.

use pulldown_cmark::{CowStr, Event};

use super::run::Events;
use crate::icons::html_escape;

/// Icon shortcode prefixes: pymdownx.emoji with Material's icon sets, and the older
/// `fontawesome_markdown` (`:fa-cloud:`).
const ICON_PREFIXES: &[&str] = &["fa-", "material-", "fontawesome-", "octicons-", "simple-"];

/// Whether `name` is an icon set's (`material-check`), not an emoji's.
pub(crate) fn is_icon_name(name: &str) -> bool {
    ICON_PREFIXES
        .iter()
        .any(|p| name.starts_with(p) && name.len() > p.len())
}

/// The `fontawesome_markdown` shortcode (`:fa-cloud:`) starting at the start of `s`: its
/// name. (The icon sets' own shortcodes are pymdownx.emoji's, in `emoji`.)
fn shortcode(s: &str) -> Option<&str> {
    let rest = s.strip_prefix(':')?;
    let end = rest.find(':')?;
    let name = &rest[..end];
    (name.len() > 3
        && name.starts_with("fa-")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    .then_some(name)
}

/// `:fa-cloud:` as Font Awesome's icon (solid, regular or brands, the first that has
/// the name); a name none has (Font Awesome 4's, renamed since) degrades to an empty,
/// hidden element rather than to `:fa-cloud:` in the text (and in heading ids, which
/// MkDocs computes without it).
fn fa_icon(name: &str) -> String {
    let icon = &name[3..];
    ["solid", "regular", "brands"]
        .iter()
        .find_map(|style| crate::icon_sets::svg(&format!("fontawesome/{style}/{icon}")))
        .unwrap_or_else(|| {
            format!(
                r#"<span class="dcr-shortcode-icon {}" aria-hidden="true"></span>"#,
                html_escape(name)
            )
        })
}

/// Text with `fontawesome_markdown`'s shortcodes turned into icons.
pub(crate) fn push_with_shortcodes<'a>(out: &mut Events<'a>, t: CowStr<'a>, offset: usize) {
    let mut rest: &str = &t;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    let mut text = String::new();
    while let Some(i) = rest.find(':') {
        match shortcode(&rest[i..]) {
            Some(name) => {
                text.push_str(&rest[..i]);
                if !text.is_empty() {
                    pieces.push(Event::Text(CowStr::from(std::mem::take(&mut text))));
                }
                pieces.push(Event::InlineHtml(CowStr::from(fa_icon(name))));
                rest = &rest[i + name.len() + 2..];
            }
            None => {
                text.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    if pieces.is_empty() {
        out.push((Event::Text(t), offset));
        return;
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Event::Text(CowStr::from(text)));
    }
    out.extend(pieces.into_iter().map(|e| (e, offset)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fontawesome_markdown_shortcodes_are_icons_or_hidden() {
        let mut out = Vec::new();
        push_with_shortcodes(
            &mut out,
            CowStr::from("a :fa-cloud: b :not-icon: :fa-gittip: :material-x:"),
            0,
        );
        let kinds: Vec<String> = out
            .iter()
            .map(|(e, _)| match e {
                Event::Text(t) => format!("T{t}"),
                Event::InlineHtml(h) if h.starts_with(r#"<span class="twemoji"><svg"#) => {
                    "SVG".into()
                }
                Event::InlineHtml(h) => format!("H{h}"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "Ta ".to_string(),
                "SVG".into(),
                "T b :not-icon: ".into(),
                r#"H<span class="dcr-shortcode-icon fa-gittip" aria-hidden="true"></span>"#.into(),
                "T :material-x:".into(),
            ],
            "Font Awesome 4's renamed icons hide; pymdownx.emoji's names are not this pass's"
        );
    }
}
