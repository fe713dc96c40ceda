//! pymdownx.emoji's `:smile:` shortcodes, written as the emoji character (dcrsite
//! links no image CDN). Names and characters come from the index the project names
//! (`emoji_index`: emojione by default, twemoji as Material sets it, gemoji), packed in
//! `crate::emoji_indexes`. A shortcode that names no emoji stays text, as in pymdownx,
//! but is warned about: it is almost always a typo that would otherwise show as
//! `:nope:` on the page.

use pulldown_cmark::{CowStr, Event};
use serde_yaml::Value;

use super::magiclink::Found;
use crate::emoji_indexes::{self, EmojiIndex};

/// A note about the page: where in the source, what.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Note {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// What `to_alt` writes for an emoji: pymdownx.emoji's `alt` (`unicode` and
/// `html_entity` are the same character; `short` the shortcode),
/// `remove_variation_selector`, and the `emoji_index` names are read in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EmojiAlt {
    pub short: bool,
    pub remove_variation_selector: bool,
    pub index: EmojiIndex,
}

impl EmojiAlt {
    pub fn read(options: &Value) -> EmojiAlt {
        EmojiAlt {
            short: options.get("alt").and_then(Value::as_str) == Some("short"),
            remove_variation_selector: options
                .get("remove_variation_selector")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            index: options
                .get("emoji_index")
                .and_then(Value::as_str)
                .and_then(EmojiIndex::named)
                .unwrap_or_default(),
        }
    }

    /// The emoji `:name:` is in the project's index.
    fn emoji(&self, name: &str) -> Option<&'static str> {
        emoji_indexes::get(self.index, name)
    }

    fn text(&self, name: &str, emoji: &'static str) -> CowStr<'static> {
        if self.short {
            CowStr::from(format!(":{name}:"))
        } else if self.remove_variation_selector && emoji.contains('\u{fe0f}') {
            CowStr::from(emoji.replace('\u{fe0f}', ""))
        } else {
            CowStr::Borrowed(emoji)
        }
    }
}

/// The `:name:` at `chars[i]`, pymdownx's `:[+\-\w]+:`: the name and the end.
fn shortcode(chars: &[char], i: usize) -> Option<(String, usize)> {
    if chars[i] != ':' {
        return None;
    }
    let n = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_alphanumeric() || "_+-".contains(**c))
        .count();
    let end = i + 1 + n;
    (n > 0 && chars.get(end) == Some(&':')).then(|| (chars[i + 1..end].iter().collect(), end + 1))
}

/// Icon sets' shortcodes (`:material-check:`, `:fontawesome-brands-github:`), as
/// Material's emoji index names them.
fn is_icon(name: &str) -> bool {
    super::shortcodes::is_icon_name(name)
}

/// The inline SVG of an icon shortcode, from the icon sets inside the binary.
fn icon_svg(name: &str) -> Option<String> {
    crate::icon_sets::svg(&crate::icon_sets::shortcode_name(name)?)
}

/// The next known emoji shortcode at or after `from`.
pub(crate) fn next_emoji<'a>(
    alt: &EmojiAlt,
    chars: &[char],
    from: usize,
    at: usize,
) -> Option<Found<'a>> {
    let mut i = from;
    while i < chars.len() {
        // Only a colon starts a shortcode: find the next one without a call a char.
        match chars[i..].iter().position(|&c| c == ':') {
            Some(k) => i += k,
            None => return None,
        }
        let Some((name, end)) = shortcode(chars, i) else {
            i += 1;
            continue;
        };
        if let Some(svg) = icon_svg(&name) {
            let events = vec![(Event::InlineHtml(CowStr::from(svg)), at)];
            return Some(Found {
                start: i,
                end,
                events,
            });
        }
        if let Some(emoji) = alt.emoji(&name) {
            let events = vec![(Event::Text(alt.text(&name, emoji)), at)];
            return Some(Found {
                start: i,
                end,
                events,
            });
        }
        // The closing colon may open the next shortcode (`:nope:smile:`).
        i = end - 1;
    }
    None
}

/// Notes for the shortcodes in `chars` that name no emoji; `offsets` has each char's
/// byte offset in the page.
pub(crate) fn unknown(alt: &EmojiAlt, chars: &[char], offsets: &[usize], notes: &mut Vec<Note>) {
    let mut i = 0;
    while i < chars.len() {
        match chars[i..].iter().position(|&c| c == ':') {
            Some(k) => i += k,
            None => return,
        }
        let Some((name, end)) = shortcode(chars, i) else {
            i += 1;
            continue;
        };
        let offset = offsets.get(i).copied().unwrap_or(0);
        if is_icon(&name) {
            // `:fa-…:` is fontawesome_markdown's, which `shortcodes` handles.
            if crate::icon_sets::shortcode_name(&name).is_some() && icon_svg(&name).is_none() {
                notes.push(icon_note(&name, offset));
            }
        } else if alt.emoji(&name).is_none() && looks_meant(chars, i, end, &name) {
            notes.push(note(alt.index, &name, offset));
        }
        i = end - 1;
    }
}

/// Whether `:name:` reads as a shortcode rather than a time (`10:30:45`) or a path
/// (`std:vec:x`): a letter in it and no word character right outside it.
fn looks_meant(chars: &[char], i: usize, end: usize, name: &str) -> bool {
    let outside = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == ':');
    name.chars().any(char::is_alphabetic)
        && !outside(i.checked_sub(1).and_then(|k| chars.get(k)))
        && !outside(chars.get(end))
}

fn note(index: EmojiIndex, name: &str, offset: usize) -> Note {
    let close: Vec<&str> = suggestions(index, name);
    let help = if close.is_empty() {
        "check the name against the emoji list (GitHub's shortcodes), or write `\\:` to keep the colon".to_string()
    } else {
        format!("did you mean `:{}:`?", close.join(":`, `:"))
    };
    Note {
        offset,
        message: format!("unknown emoji shortcode `:{name}:`; it is left as text"),
        help,
    }
}

fn icon_note(name: &str, offset: usize) -> Note {
    Note {
        offset,
        message: format!("unknown icon shortcode `:{name}:`; it is left as text"),
        help: "check the name in the icon set (Material Design Icons, Octicons, Font Awesome Free, Simple Icons), written as `:material-check:`, `:fontawesome-brands-github:`".to_string(),
    }
}

/// Known shortcodes close to `name` (by edit distance), best first.
fn suggestions(index: EmojiIndex, name: &str) -> Vec<&'static str> {
    let mut close: Vec<(usize, &'static str)> = emoji_indexes::names(index)
        .map(|s| (strsim::levenshtein(name, s), s))
        .filter(|(d, _)| *d <= 2)
        .collect();
    close.sort();
    close.into_iter().take(3).map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str) -> (Vec<String>, Vec<Note>) {
        let chars: Vec<char> = t.chars().collect();
        let offsets: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
        let mut notes = Vec::new();
        unknown(&EmojiAlt::default(), &chars, &offsets, &mut notes);
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(f) = next_emoji(&EmojiAlt::default(), &chars, from, 0) {
            if let Event::Text(s) = &f.events[0].0 {
                found.push(s.to_string());
            }
            from = f.end;
        }
        (found, notes)
    }

    #[test]
    fn icon_shortcodes_are_inline_svg_and_unknown_icons_noted() {
        let t = "a :material-check: b :octicons-nope-16: c";
        let chars: Vec<char> = t.chars().collect();
        let offsets: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
        let found = next_emoji(&EmojiAlt::default(), &chars, 0, 0).unwrap();
        match &found.events[0].0 {
            Event::InlineHtml(h) => assert!(h.starts_with(r#"<span class="twemoji"><svg"#), "{h}"),
            e => panic!("{e:?}"),
        }
        assert!(
            next_emoji(&EmojiAlt::default(), &chars, found.end, 0).is_none(),
            "an unknown icon stays text"
        );
        let mut notes = Vec::new();
        unknown(&EmojiAlt::default(), &chars, &offsets, &mut notes);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].offset, 21);
        assert!(notes[0]
            .message
            .contains("unknown icon shortcode `:octicons-nope-16:`"));
    }

    #[test]
    fn known_names_are_characters_unknown_ones_are_noted() {
        let (found, notes) = run("a :smile: b :nope: at 10:30:45 :+1:");
        assert_eq!(found, ["😄", "👍"]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].offset, 12);
        assert_eq!(
            notes[0].message,
            "unknown emoji shortcode `:nope:`; it is left as text"
        );
        let (_, notes) = run(":smiel:");
        assert!(notes[0].help.contains("`:smile:`"), "{:?}", notes[0].help);
    }

    /// Inputs of our own; the text is what pymdownx.emoji 13.1.2's `to_alt` writes.
    #[test]
    fn alt_short_and_remove_variation_selector() {
        let cases = [
            (
                "{alt: short}",
                ":airplane: :smile:",
                vec![":airplane:", ":smile:"],
            ),
            (
                "{remove_variation_selector: true}",
                ":airplane: :smile:",
                vec!["\u{2708}", "😄"],
            ),
            ("{}", ":airplane:", vec!["\u{2708}\u{fe0f}"]),
            // Each index its own characters and names (`:accordion:` is not emojione's).
            (
                "{emoji_index: pymdownx.emoji.twemoji}",
                ":airplane: :a: :accordion:",
                vec!["\u{2708}", "\u{1f170}", "\u{1fa97}"],
            ),
            (
                "{emoji_index: pymdownx.emoji.gemoji}",
                ":a: :accordion:",
                vec!["\u{1f170}\u{fe0f}", "\u{1fa97}"],
            ),
            ("{}", ":a: :accordion:", vec!["\u{1f170}"]),
        ];
        for (options, text, want) in cases {
            let alt = EmojiAlt::read(&serde_yaml::from_str(options).unwrap());
            let chars: Vec<char> = text.chars().collect();
            let mut got = Vec::new();
            let mut from = 0;
            while let Some(f) = next_emoji(&alt, &chars, from, 0) {
                if let Event::Text(s) = &f.events[0].0 {
                    got.push(s.to_string());
                }
                from = f.end;
            }
            assert_eq!(got, want, "{options}");
        }
    }
}
