//! Does a fragment name a place on a page? One answer for the site's own pages and for
//! pages fetched from other sites, whose hosts may name places in ways of their own
//! (GitHub's line ranges and `user-content-` ids: see `external/github.rs`).

use std::collections::HashSet;

use super::resolve::decode;

/// How a host names places on its pages beyond an element's id.
#[derive(Debug)]
pub struct HostRules {
    /// The host as named in messages.
    pub name: &'static str,
    /// The hosts these rules are for.
    pub hosts: &'static [&'static str],
    pub rules: &'static [Rule],
}

/// One way a host names places beyond an element's id.
#[derive(Debug)]
pub enum Rule {
    /// Fragments this function accepts select something other than an element.
    Selects(fn(&str) -> bool),
    /// The host adds this prefix to the ids of the content it renders, and scrolls to
    /// `#prefix-x` for `#x`. A page with no id carrying it was drawn by script, so its
    /// ids are unknown.
    IdPrefix(&'static str),
}

/// What a browser knows: ids, and the fragments that need none.
pub const BROWSER: HostRules = HostRules {
    name: "a browser",
    hosts: &[],
    rules: &[],
};

/// Whether a fragment names a place on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Yes,
    No,
    /// The page's ids are not all in its HTML (drawn by script).
    CannotTell,
}

/// Whether `fragment` (as written in the URL) needs no element: as in a browser, the
/// empty fragment and `top` (any case) mean the top of the page, and a text directive
/// (`#:~:text=x`, `#id:~:text=x`) scrolls to text when it is found and is ignored when
/// not, so the link works either way.
pub fn needs_no_element(fragment: &str) -> bool {
    let decoded = decode(fragment);
    decoded.is_empty() || decoded.eq_ignore_ascii_case("top") || decoded.contains(":~:")
}

/// Does `fragment` (as written in the URL) name a place on a page whose ids are
/// `anchors` (`None`: no ids known), on a host with `host`'s rules? Ids are compared
/// exactly, after percent-decoding, as a browser does.
pub fn find(fragment: &str, anchors: Option<&HashSet<String>>, host: &HostRules) -> Found {
    let decoded = decode(fragment);
    let selects = |rule: &Rule| matches!(rule, Rule::Selects(accepts) if accepts(&decoded));
    if needs_no_element(fragment) || host.rules.iter().any(selects) {
        return Found::Yes;
    }
    let Some(anchors) = anchors else {
        return Found::No;
    };
    if anchors.contains(decoded.as_ref()) || anchors.contains(fragment) {
        return Found::Yes;
    }
    for rule in host.rules {
        let Rule::IdPrefix(prefix) = rule else {
            continue;
        };
        let bare = decoded.strip_prefix(prefix).unwrap_or(&decoded);
        if anchors.contains(&format!("{prefix}{bare}")) || anchors.contains(bare) {
            return Found::Yes;
        }
        if !anchors.iter().any(|a| a.starts_with(prefix)) {
            return Found::CannotTell;
        }
    }
    Found::No
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn as_a_browser_finds_them() {
        let ids = set(&["Sec", "a b"]);
        let found = |f: &str| find(f, Some(&ids), &BROWSER);
        for yes in [
            "",
            "top",
            "TOP",
            "Sec",
            "a%20b",
            ":~:text=x",
            "nope:~:text=x",
        ] {
            assert_eq!(found(yes), Found::Yes, "{yes}");
        }
        assert_eq!(found("sec"), Found::No);
        assert_eq!(find("Sec", None, &BROWSER), Found::No);
        assert_eq!(find("top", None, &BROWSER), Found::Yes);
    }

    const LINES: HostRules = HostRules {
        name: "Lines",
        hosts: &[],
        rules: &[Rule::Selects(|f| f.starts_with('L')), Rule::IdPrefix("p-")],
    };

    #[test]
    fn a_host_adds_selectors_and_an_id_prefix() {
        let rendered = set(&["p-install"]);
        assert_eq!(find("L3", Some(&set(&[])), &LINES), Found::Yes);
        assert_eq!(find("install", Some(&rendered), &LINES), Found::Yes);
        assert_eq!(find("p-install", Some(&rendered), &LINES), Found::Yes);
        assert_eq!(find("other", Some(&rendered), &LINES), Found::No);
        assert_eq!(find("other", Some(&set(&["x"])), &LINES), Found::CannotTell);
    }
}
