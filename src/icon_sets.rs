//! The open icon sets MkDocs Material's shortcodes and theme settings name, inside the
//! binary: Material Design Icons (`material/…`), Octicons (`octicons/…`), Font Awesome
//! Free (`fontawesome/{brands,regular,solid}/…`) and Simple Icons (`simple/…`).
//!
//! `tools/icons/pack.py` packs each set from its npm package into
//! `src/icon_sets/SET.tsv.gz` (one sorted line per icon: name, viewBox, inner SVG); about
//! 3.4 MB for 14,584 icons. A set is unpacked the first time a page names one of its
//! icons, so sites that use none pay nothing at run time.

use std::io::Read;
use std::sync::OnceLock;

/// Packed sets: (prefix, gzip of the TSV).
const PACKED: [(&str, &[u8]); 4] = [
    ("material", include_bytes!("icon_sets/material.tsv.gz")),
    ("octicons", include_bytes!("icon_sets/octicons.tsv.gz")),
    (
        "fontawesome",
        include_bytes!("icon_sets/fontawesome.tsv.gz"),
    ),
    ("simple", include_bytes!("icon_sets/simple.tsv.gz")),
];

/// One unpacked set: its text and each line's span, in name order.
struct Set {
    text: String,
    lines: Vec<(usize, usize)>,
}

impl Set {
    fn unpack(gz: &[u8]) -> Set {
        let mut text = String::new();
        // The data is ours, packed at build time and covered by a test: it unpacks.
        flate2::read::GzDecoder::new(gz)
            .read_to_string(&mut text)
            .expect("packed icon set");
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            lines.push((start, start + line.trim_end_matches('\n').len()));
            start += line.len();
        }
        Set { text, lines }
    }

    /// The icon's (viewBox, inner SVG).
    fn get(&self, name: &str) -> Option<(&str, &str)> {
        let line = |&(a, b): &(usize, usize)| &self.text[a..b];
        let i = self
            .lines
            .binary_search_by(|span| line(span).split('\t').next().unwrap_or("").cmp(name))
            .ok()?;
        let mut fields = line(&self.lines[i]).splitn(3, '\t').skip(1);
        Some((fields.next()?, fields.next()?))
    }
}

fn set(index: usize) -> &'static Set {
    static SETS: [OnceLock<Set>; 4] = [const { OnceLock::new() }; 4];
    SETS[index].get_or_init(|| Set::unpack(PACKED[index].1))
}

/// The inline SVG of an icon named as theme settings name it (`material/check`,
/// `fontawesome/brands/github`), wrapped as Material's `to_svg` wraps it; `None` for a
/// name no set has.
pub fn svg(name: &str) -> Option<String> {
    let (prefix, rest) = name.split_once('/')?;
    let index = PACKED.iter().position(|(p, _)| *p == prefix)?;
    let (view_box, inner) = set(index).get(rest)?;
    Some(format!(
        r#"<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">{inner}</svg></span>"#
    ))
}

/// The icon name a shortcode means (`material-check` → `material/check`,
/// `fontawesome-brands-github` → `fontawesome/brands/github`), if it is an icon shortcode.
pub fn shortcode_name(code: &str) -> Option<String> {
    let (prefix, rest) = code.split_once('-')?;
    PACKED.iter().find(|(p, _)| *p == prefix)?;
    if prefix == "fontawesome" {
        let (style, icon) = rest.split_once('-')?;
        return Some(format!("fontawesome/{style}/{icon}"));
    }
    Some(format!("{prefix}/{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_unpacks_and_finds_icons_by_name() {
        let check = svg("material/check").unwrap();
        assert!(check.starts_with(r#"<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d=""#), "{check}");
        assert!(svg("octicons/mark-github-16")
            .unwrap()
            .contains(r#"viewBox="0 0 16 16""#));
        let github = svg("fontawesome/brands/github").unwrap();
        assert!(
            github.contains("Font Awesome Free"),
            "the licence comment travels with it"
        );
        assert!(!svg("simple/github").unwrap().contains("<title>"));
        for (i, (prefix, _)) in PACKED.iter().enumerate() {
            let s = set(i);
            assert!(s.lines.len() > 500, "{prefix}: {}", s.lines.len());
            let names: Vec<_> = s
                .lines
                .iter()
                .map(|&(a, b)| s.text[a..b].split('\t').next().unwrap())
                .collect();
            assert!(
                names.windows(2).all(|w| w[0] < w[1]),
                "{prefix} is sorted and unique"
            );
        }
        assert_eq!(svg("material/no-such-icon"), None);
        assert_eq!(svg("nosuchset/check"), None);
        assert_eq!(svg("material"), None);
    }

    #[test]
    fn shortcodes_name_icons() {
        let cases = [
            ("material-check", Some("material/check")),
            ("octicons-mark-github-16", Some("octicons/mark-github-16")),
            (
                "fontawesome-brands-github",
                Some("fontawesome/brands/github"),
            ),
            ("simple-github", Some("simple/github")),
            ("smile", None),
            ("twemoji-smile", None),
        ];
        for (code, name) in cases {
            assert_eq!(shortcode_name(code).as_deref(), name, "{code}");
        }
    }
}
