//! The open icon sets MkDocs Material's shortcodes and theme settings name, inside the
//! binary: Material Design Icons (`material/…`), Octicons (`octicons/…`), Font Awesome
//! Free (`fontawesome/{brands,regular,solid}/…`) and Simple Icons (`simple/…`).
//!
//! `tools/icons/pack.py` packs each set from its npm package into
//! `src/icon_sets/SET.tsv.gz` (sorted lines: name, viewBox, inner SVG; about 3.6 MB for
//! 14,584 icons) as one gzip member per 32 icons, listed in `SET.index` (each member's
//! first name and length). Looking an icon up inflates the one member that can hold it:
//! a site naming a few icons pays a few kilobytes, not the 4.7 MB of a whole set.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Mutex, OnceLock};

/// Packed sets: (prefix, gzip members, their index).
const PACKED: [(&str, &[u8], &str); 4] = [
    (
        "material",
        include_bytes!("icon_sets/material.tsv.gz"),
        include_str!("icon_sets/material.index"),
    ),
    (
        "octicons",
        include_bytes!("icon_sets/octicons.tsv.gz"),
        include_str!("icon_sets/octicons.index"),
    ),
    (
        "fontawesome",
        include_bytes!("icon_sets/fontawesome.tsv.gz"),
        include_str!("icon_sets/fontawesome.index"),
    ),
    (
        "simple",
        include_bytes!("icon_sets/simple.tsv.gz"),
        include_str!("icon_sets/simple.index"),
    ),
];

/// One member of a set: the first icon name it holds and its bytes.
struct Member {
    first: &'static str,
    gz: &'static [u8],
}

/// A set's members in name order, read from its index.
fn members(index: usize) -> &'static [Member] {
    static SETS: [OnceLock<Vec<Member>>; 4] = [const { OnceLock::new() }; 4];
    SETS[index].get_or_init(|| {
        let (_, packed, listing) = PACKED[index];
        let mut at = 0;
        let mut out = Vec::new();
        for line in listing.lines() {
            // The index is ours, written beside the data by pack.py and covered by a test.
            let (first, len) = line.split_once('\t').expect("packed icon index line");
            let len: usize = len.parse().expect("packed icon member length");
            out.push(Member {
                first,
                gz: &packed[at..at + len],
            });
            at += len;
        }
        out
    })
}

/// The text of member `m` of set `index`, inflated once and kept (the same few icons are
/// named on every page).
fn member_text(index: usize, m: usize) -> std::sync::Arc<str> {
    type Inflated = HashMap<(usize, usize), std::sync::Arc<str>>;
    static INFLATED: OnceLock<Mutex<Inflated>> = OnceLock::new();
    let cache = INFLATED.get_or_init(Default::default);
    if let Some(text) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(index, m))
    {
        return text.clone();
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(members(index)[m].gz)
        .read_to_string(&mut text)
        .expect("packed icon set member");
    let text: std::sync::Arc<str> = text.into();
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry((index, m)).or_insert(text).clone()
}

/// The icon's (viewBox, inner SVG) in set `index`.
fn lookup(index: usize, name: &str) -> Option<(String, String)> {
    let all = members(index);
    // The last member whose first name is not after `name` is the only one that can hold it.
    let m = all
        .partition_point(|member| member.first <= name)
        .checked_sub(1)?;
    let text = member_text(index, m);
    let line = text.lines().find(|l| l.split('\t').next() == Some(name))?;
    let mut fields = line.splitn(3, '\t').skip(1);
    Some((fields.next()?.to_string(), fields.next()?.to_string()))
}

/// The inline SVG of an icon named as theme settings name it (`material/check`,
/// `fontawesome/brands/github`), wrapped as Material's `to_svg` wraps it; `None` for a
/// name no set has.
pub fn svg(name: &str) -> Option<String> {
    let (prefix, rest) = name.split_once('/')?;
    let index = PACKED.iter().position(|(p, _, _)| *p == prefix)?;
    let (view_box, inner) = lookup(index, rest)?;
    Some(format!(
        r#"<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">{inner}</svg></span>"#
    ))
}

/// The icon name a shortcode means (`material-check` → `material/check`,
/// `fontawesome-brands-github` → `fontawesome/brands/github`), if it is an icon shortcode.
pub fn shortcode_name(code: &str) -> Option<String> {
    let (prefix, rest) = code.split_once('-')?;
    PACKED.iter().find(|(p, _, _)| *p == prefix)?;
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
        for (i, (prefix, _, _)) in PACKED.iter().enumerate() {
            // Every member inflates, holds the names from its first up to the next
            // member's first, in order: so the lookup's choice of member is right.
            let all = members(i);
            assert!(all.len() > 20, "{prefix}: {} members", all.len());
            let mut names = Vec::new();
            for (m, member) in all.iter().enumerate() {
                let text = member_text(i, m);
                let first = text.lines().next().unwrap().split('\t').next().unwrap();
                assert_eq!(first, member.first, "{prefix} member {m}");
                names.extend(
                    text.lines()
                        .map(|l| l.split('\t').next().unwrap().to_string()),
                );
            }
            assert!(names.len() > 500, "{prefix}: {}", names.len());
            assert!(
                names.windows(2).all(|w| w[0] < w[1]),
                "{prefix} is sorted and unique"
            );
            let last = names.last().unwrap();
            assert!(lookup(i, last).is_some(), "{prefix}: the last icon {last}");
            assert!(lookup(i, &names[0]).is_some(), "{prefix}: the first icon");
        }
        assert_eq!(svg("material/aaa-before-every-icon"), None);
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
