//! GitHub's ways of naming places on its pages, beyond an element's id.

use crate::check::fragment::{HostRules, Rule};

pub(super) const GITHUB: HostRules = HostRules {
    name: "GitHub",
    hosts: &["github.com", "www.github.com"],
    rules: &[
        // `#L10`, `#L10-L20`, `#L10C5-L12C3` select lines of a file view.
        Rule::Selects(is_line_range),
        // Rendered Markdown's ids carry `user-content-`, and `#x` scrolls to
        // `#user-content-x`; much of the rest of GitHub is drawn by JavaScript.
        Rule::IdPrefix("user-content-"),
    ],
};

/// `L10`, `L10-L20`, `L10C5-L12C3`.
fn is_line_range(fragment: &str) -> bool {
    fragment.split('-').all(|part| {
        let Some(rest) = part.strip_prefix('L') else {
            return false;
        };
        let (line, col) = rest.split_once('C').unwrap_or((rest, "1"));
        !line.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && !col.is_empty()
            && col.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_anchors() {
        assert!(is_line_range("L1"));
        assert!(is_line_range("L10-L20"));
        assert!(is_line_range("L3C2-L4C9"));
        assert!(!is_line_range("L"));
        assert!(!is_line_range("Lx"));
        assert!(!is_line_range("install"));
    }
}
