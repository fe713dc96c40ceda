//! Substring search for the dialect's per-line and per-text checks. std's `contains`
//! scans for a short needle with SIMD; its `find` sets up a two-way searcher on every
//! call, which costs more than the search itself on a short line. Most lines and texts
//! hold no match: `find` asks `contains` first, and searches only when there is one.

/// `hay.find(needle)`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    if !hay.contains(needle) {
        return None;
    }
    hay.find(needle)
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
            }
        }
    }
}
