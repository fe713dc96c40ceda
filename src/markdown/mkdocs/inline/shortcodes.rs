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

/// The icon shortcode (`:material-check:`) starting at the start of `s`: its name.
fn shortcode(s: &str) -> Option<&str> {
    let rest = s.strip_prefix(':')?;
    let end = rest.find(':')?;
    let name = &rest[..end];
    (ICON_PREFIXES
        .iter()
        .any(|p| name.starts_with(p) && name.len() > p.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    .then_some(name)
}

/// Text with icon shortcodes turned into empty, hidden icon elements: dcrsite ships
/// none of those icon fonts, so they degrade to nothing visible rather than to
/// `:fa-cloud:` in the text (and in heading ids, which MkDocs computes without them).
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
                pieces.push(Event::InlineHtml(CowStr::from(format!(
                    r#"<span class="dcr-shortcode-icon {}" aria-hidden="true"></span>"#,
                    html_escape(name)
                ))));
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
    fn icon_shortcodes_degrade_to_hidden_icons() {
        let mut out = Vec::new();
        push_with_shortcodes(
            &mut out,
            CowStr::from("a :fa-cloud: b :not-icon: :material-x:"),
            0,
        );
        let kinds: Vec<String> = out
            .iter()
            .map(|(e, _)| match e {
                Event::Text(t) => format!("T{t}"),
                Event::InlineHtml(h) => format!("H{h}"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "Ta ".to_string(),
                r#"H<span class="dcr-shortcode-icon fa-cloud" aria-hidden="true"></span>"#.into(),
                "T b :not-icon: ".into(),
                r#"H<span class="dcr-shortcode-icon material-x" aria-hidden="true"></span>"#.into(),
            ]
        );
    }
}
