//! Heading ids the way Python-Markdown's `toc` extension makes them, with each `slugify`
//! function MkDocs projects configure, so links written as `page.md#anchor` against an
//! MkDocs build keep finding their heading.
//!
//! Python's `\w` (what these functions keep) is a letter or number in Unicode's general
//! categories (L*, N*) or `_`; `str.lower()` is Rust's `to_lowercase` (final sigma
//! included).

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Which `slugify` a project's `toc` extension uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slugify {
    /// `markdown.extensions.toc.slugify` (the default): ASCII only, after NFKD.
    Ascii,
    /// `markdown.extensions.toc.slugify_unicode`: the same, keeping non-ASCII words.
    Unicode,
    /// `pymdownx.slugs.slugify(case=…, percent_encode=…, normalize=…)` and its older
    /// named forms (`uslugify`, `gfm`, …).
    Pymdownx {
        case: Case,
        percent_encode: bool,
        normalize: Normalize,
    },
}

/// pymdownx's `case` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    None,
    Lower,
    /// Only `A`–`Z` lowered (GitHub's ids).
    LowerAscii,
    /// Unicode case folding; lowercasing stands in for it (they differ for a handful of
    /// letters such as `ß`).
    Fold,
}

/// pymdownx's `normalize` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalize {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
}

/// The toc configuration that makes ids: the function and the `separator` option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocIds {
    pub slugify: Slugify,
    pub separator: String,
}

impl Default for TocIds {
    fn default() -> Self {
        TocIds {
            slugify: Slugify::Ascii,
            separator: "-".to_string(),
        }
    }
}

impl Slugify {
    /// The function named by a Python path (`pymdownx.slugs.uslugify`), or `None` when
    /// dcrsite does not know it. `kwargs` are the options of
    /// `!!python/object/apply:pymdownx.slugs.slugify {kwds: {…}}`.
    pub fn from_python(path: &str, kwargs: &dyn Fn(&str) -> Option<String>) -> Option<Slugify> {
        let pymdownx = |case, percent_encode| Slugify::Pymdownx {
            case,
            percent_encode,
            normalize: Normalize::Nfc,
        };
        Some(match path {
            "markdown.extensions.toc.slugify" => Slugify::Ascii,
            "markdown.extensions.toc.slugify_unicode" => Slugify::Unicode,
            "pymdownx.slugs.uslugify" => pymdownx(Case::Lower, false),
            "pymdownx.slugs.uslugify_encoded" => pymdownx(Case::Lower, true),
            "pymdownx.slugs.uslugify_cased" => pymdownx(Case::None, false),
            "pymdownx.slugs.uslugify_cased_encoded" => pymdownx(Case::None, true),
            "pymdownx.slugs.gfm" => pymdownx(Case::LowerAscii, false),
            "pymdownx.slugs.gfm_encoded" => pymdownx(Case::LowerAscii, true),
            "pymdownx.slugs.slugify" => Slugify::Pymdownx {
                case: match kwargs("case").as_deref() {
                    None | Some("none") => Case::None,
                    Some("lower") => Case::Lower,
                    Some("lower-ascii" | "lower_ascii") => Case::LowerAscii,
                    Some("fold") => Case::Fold,
                    Some(_) => return None,
                },
                percent_encode: kwargs("percent_encode").as_deref() == Some("true"),
                normalize: match kwargs("normalize").as_deref() {
                    None | Some("NFC") => Normalize::Nfc,
                    Some("NFD") => Normalize::Nfd,
                    Some("NFKC") => Normalize::Nfkc,
                    Some("NFKD") => Normalize::Nfkd,
                    Some(_) => return None,
                },
            },
            _ => return None,
        })
    }
}

impl TocIds {
    /// The id Python-Markdown gives a heading with this text (before de-duplication).
    pub fn slug(&self, text: &str) -> String {
        let sep = self.separator.as_str();
        match &self.slugify {
            Slugify::Ascii => {
                toc_slugify(&text.nfkd().filter(char::is_ascii).collect::<String>(), sep)
            }
            Slugify::Unicode => toc_slugify(text, sep),
            Slugify::Pymdownx {
                case,
                percent_encode,
                normalize,
            } => pymdownx_slugify(text, sep, *case, *percent_encode, *normalize),
        }
    }
}

/// Python's `\w`.
fn is_word(c: char) -> bool {
    c == '_'
        || matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
        )
}

/// Python-Markdown's `slugify`: keep word characters, whitespace and `-`; trim; lower;
/// every run of whitespace and separator characters becomes one separator.
fn toc_slugify(text: &str, sep: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| is_word(c) || c.is_whitespace() || c == '-')
        .collect();
    let lower = kept.trim().to_lowercase();
    let is_run = |c: char| c.is_whitespace() || sep.contains(c);
    let mut slug = String::with_capacity(lower.len());
    let mut in_run = false;
    for c in lower.chars() {
        if is_run(c) {
            if !in_run {
                slug.push_str(sep);
            }
            in_run = true;
        } else {
            slug.push(c);
            in_run = false;
        }
    }
    slug
}

/// pymdownx's slugify: normalise, drop HTML tags, trim, apply the case, keep word
/// characters, `-` and spaces, then each space becomes the separator (runs are kept, as
/// GitHub does).
fn pymdownx_slugify(
    text: &str,
    sep: &str,
    case: Case,
    percent_encode: bool,
    normalize: Normalize,
) -> String {
    let normal: String = match normalize {
        Normalize::Nfc => text.nfc().collect(),
        Normalize::Nfd => text.nfd().collect(),
        Normalize::Nfkc => text.nfkc().collect(),
        Normalize::Nfkd => text.nfkd().collect(),
    };
    let untagged = strip_tags(&normal);
    let trimmed = untagged.trim();
    let cased = match case {
        Case::None => trimmed.to_string(),
        Case::Lower | Case::Fold => trimmed.to_lowercase(),
        Case::LowerAscii => trimmed.to_ascii_lowercase(),
    };
    let mut slug = String::with_capacity(cased.len());
    for c in cased.chars() {
        if c == ' ' {
            slug.push_str(sep);
        } else if is_word(c) || c == '-' {
            slug.push(c);
        }
    }
    if percent_encode {
        // Python's `urllib.parse.quote`: letters, digits and `_.-~/` stay.
        const QUOTE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'_')
            .remove(b'.')
            .remove(b'-')
            .remove(b'~')
            .remove(b'/');
        slug = percent_encoding::utf8_percent_encode(&slug, QUOTE).to_string();
    }
    slug
}

/// Removes what pymdownx's `RE_TAGS` (`</?[^>]*>`) matches: each `<` up to the next `>`.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(slugify: Slugify) -> TocIds {
        TocIds {
            slugify,
            separator: "-".into(),
        }
    }

    fn named(path: &str) -> Slugify {
        Slugify::from_python(path, &|_| None).unwrap()
    }

    // Expected values are what Python-Markdown 3.x and pymdown-extensions 10.x produce.
    #[test]
    fn default_toc_slugify_is_ascii() {
        let d = TocIds::default();
        assert_eq!(d.slug("What is Decred?"), "what-is-decred");
        assert_eq!(d.slug(" Step 1 - Do_it: now "), "step-1-do_it-now");
        assert_eq!(d.slug("Café’s naïve"), "cafes-naive");
        assert_eq!(d.slug("A/B"), "ab");
        assert_eq!(d.slug("日本語"), "");
        let underscore = TocIds {
            separator: "_".into(),
            ..TocIds::default()
        };
        assert_eq!(underscore.slug("a - b  c"), "a_-_b_c");
    }

    #[test]
    fn slugify_unicode_keeps_letters_of_every_script() {
        let u = ids(named("markdown.extensions.toc.slugify_unicode"));
        assert_eq!(u.slug("Über Straße -- 2"), "über-straße-2");
        assert_eq!(u.slug("日本語 の 見出し"), "日本語-の-見出し");
        // Devanagari vowel signs are marks (Mc/Mn), not `\w` in Python.
        assert_eq!(u.slug("हिन्दी भाषा"), "हनद-भष");
    }

    #[test]
    fn pymdownx_slugs() {
        let lower = ids(named("pymdownx.slugs.uslugify"));
        assert_eq!(
            lower.slug("Testing unicode-slugs_headers ±♠Ωℑ"),
            "testing-unicode-slugs_headers-ωℑ"
        );
        assert_eq!(
            lower.slug("a  <code>b</code>"),
            "a--b",
            "each space is a separator"
        );
        let cased = ids(named("pymdownx.slugs.uslugify_cased"));
        assert_eq!(cased.slug("Hello Ωmega"), "Hello-Ωmega");
        let gfm = ids(named("pymdownx.slugs.gfm"));
        assert_eq!(gfm.slug("ABC Ωmega"), "abc-Ωmega");
        let encoded = ids(named("pymdownx.slugs.uslugify_encoded"));
        assert_eq!(encoded.slug("Tête à tête"), "t%C3%AAte-%C3%A0-t%C3%AAte");
        let kwargs = |k: &str| (k == "case").then(|| "lower".to_string());
        assert_eq!(
            Slugify::from_python("pymdownx.slugs.slugify", &kwargs),
            Some(Slugify::Pymdownx {
                case: Case::Lower,
                percent_encode: false,
                normalize: Normalize::Nfc
            })
        );
        assert_eq!(Slugify::from_python("my.own.slugify", &|_| None), None);
    }

    #[test]
    fn tags_are_stripped_like_re_tags() {
        assert_eq!(strip_tags("a <b>c</b> d"), "a c d");
        assert_eq!(strip_tags("1 < 2 <> x"), "1  x");
        assert_eq!(strip_tags("a < b"), "a < b");
    }
}
