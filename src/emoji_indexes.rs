//! pymdownx.emoji's emoji indexes inside the binary: `emojione` (its default), `twemoji`
//! (Material for MkDocs' choice) and `gemoji`. They name different emoji and write some
//! differently (`:airplane:` is U+2708 U+FE0F in emojione, U+2708 alone in twemoji), so a
//! page's shortcodes are read in the index its `mkdocs.yml` names.
//!
//! `tools/emoji/pack.py` packs the three from pymdown-extensions into
//! `src/emoji_indexes.tsv.gz` (about 50 kB): one line per shortcode, `name`, then per
//! index the code points in hex joined by `-` (empty where the index lacks the name).

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

const PACKED: &[u8] = include_bytes!("emoji_indexes.tsv.gz");

/// Which index a page's shortcodes are read in (pymdownx.emoji's `emoji_index`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EmojiIndex {
    #[default]
    Emojione,
    Twemoji,
    Gemoji,
}

impl EmojiIndex {
    /// The index an `emoji_index` value names (`!!python/name:pymdownx.emoji.twemoji`,
    /// `material.extensions.emoji.twemoji`), by its last dotted part; `None` for a
    /// function of the project's own.
    pub fn named(value: &str) -> Option<EmojiIndex> {
        match value.rsplit('.').next()? {
            "emojione" => Some(EmojiIndex::Emojione),
            "twemoji" => Some(EmojiIndex::Twemoji),
            "gemoji" => Some(EmojiIndex::Gemoji),
            _ => None,
        }
    }

    fn column(self) -> usize {
        self as usize
    }
}

/// The emoji each index writes for one shortcode (`None` where it lacks the name).
type Columns = [Option<Box<str>>; 3];

/// Shortcode → its columns.
type Table = HashMap<Box<str>, Columns>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(PACKED)
            .read_to_string(&mut text)
            .expect("packed emoji indexes");
        text.lines().filter_map(entry).collect()
    })
}

/// One packed line: the name and its three columns decoded to characters.
fn entry(line: &str) -> Option<(Box<str>, Columns)> {
    let mut fields = line.split('\t');
    let name = fields.next()?;
    let mut columns: Columns = Default::default();
    for (column, hex) in columns.iter_mut().zip(fields) {
        *column = hex
            .split('-')
            .map(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32))
            .collect::<Option<String>>()
            .filter(|s| !s.is_empty())
            .map(String::into_boxed_str);
    }
    Some((name.into(), columns))
}

/// The emoji `index` writes for `:name:`, `None` when it does not know the name.
pub fn get(index: EmojiIndex, name: &str) -> Option<&'static str> {
    table().get(name)?[index.column()].as_deref()
}

/// Every shortcode `index` knows (for suggestions), in no particular order.
pub fn names(index: EmojiIndex) -> impl Iterator<Item = &'static str> {
    table()
        .iter()
        .filter(move |(_, columns)| columns[index.column()].is_some())
        .map(|(name, _)| &**name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What pymdownx.emoji 13.1.2's `to_alt` writes in each index.
    #[test]
    fn each_index_writes_its_own_emoji() {
        let cases = [
            (
                "airplane",
                ["\u{2708}\u{fe0f}", "\u{2708}", "\u{2708}\u{fe0f}"],
            ),
            ("a", ["\u{1f170}", "\u{1f170}", "\u{1f170}\u{fe0f}"]),
            ("+1", ["👍", "👍", "👍"]),
        ];
        let all = [
            EmojiIndex::Emojione,
            EmojiIndex::Twemoji,
            EmojiIndex::Gemoji,
        ];
        for (name, want) in cases {
            for (index, want) in all.iter().zip(want) {
                assert_eq!(get(*index, name), Some(want), "{name} in {index:?}");
            }
        }
        assert_eq!(get(EmojiIndex::Twemoji, "accordion"), Some("\u{1fa97}"));
        assert_eq!(
            get(EmojiIndex::Emojione, "accordion"),
            None,
            "not in emojione"
        );
        assert_eq!(get(EmojiIndex::Twemoji, "no_such_emoji"), None);
        assert!(names(EmojiIndex::Twemoji).count() > 6000);
    }

    #[test]
    fn emoji_index_values_name_an_index() {
        let cases = [
            ("pymdownx.emoji.twemoji", Some(EmojiIndex::Twemoji)),
            (
                "material.extensions.emoji.twemoji",
                Some(EmojiIndex::Twemoji),
            ),
            ("pymdownx.emoji.gemoji", Some(EmojiIndex::Gemoji)),
            ("pymdownx.emoji.emojione", Some(EmojiIndex::Emojione)),
            ("my.own.index", None),
        ];
        for (value, want) in cases {
            assert_eq!(EmojiIndex::named(value), want, "{value}");
        }
    }
}
