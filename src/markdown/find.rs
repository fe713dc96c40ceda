//! Substring search for the dialect's per-line and per-text checks. `str::find` with a
//! string builds a two-way searcher on every call, which costs more than the search
//! itself on a short line; these look for the needle's first character (a memchr) and
//! compare from there. Same answers as `str::find`.

/// `hay.find(needle)`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let Some(first) = needle.chars().next() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(i) = hay[from..].find(first) {
        let at = from + i;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + first.len_utf8();
    }
    None
}

/// `hay.contains(needle)`.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_str_find() {
        let hays = [
            "",
            "a",
            "<!-- x",
            "a <b <!-- c",
            "ü<!--",
            "httphttps://x",
            "8<8<-",
        ];
        let needles = ["", "<!--", "https://", "http://", "8<-", "a", "ü<"];
        for hay in hays {
            for needle in needles {
                assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
                assert_eq!(contains(hay, needle), hay.contains(needle));
            }
        }
    }
}
