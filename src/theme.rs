//! The decred theme built into the binary, used when the site has no
//! `themes/<name>/` folder of its own (MkDocs projects have none).

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The name of the built-in theme.
pub(crate) const BUILT_IN: &str = "decred";

/// The built-in theme's files under `sub` ([`TEMPLATES`](crate::layout::TEMPLATES) or
/// [`STATIC`](crate::layout::STATIC)): (path below `sub`, bytes).
pub(crate) fn files(sub: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    embedded::FILES.iter().filter_map(move |(path, bytes)| {
        path.strip_prefix(sub)
            .and_then(|p| p.strip_prefix('/'))
            .map(|p| (p, *bytes))
    })
}

/// Whether `theme` is to be taken from the binary for the site at `root`.
pub(crate) fn use_built_in(root: &std::path::Path, theme: &str) -> bool {
    theme == BUILT_IN && !root.join(crate::layout::THEMES).join(theme).is_dir()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_theme_is_embedded() {
        assert!(super::files("templates").any(|(p, _)| p == "base.html"));
        assert!(super::files("static").any(|(p, _)| p == "css/decred.css"));
    }

    /// The body of the first rule whose selector line is `selector`.
    fn rule<'a>(css: &'a str, selector: &str) -> Vec<&'a str> {
        let start = css.find(&format!("{selector} {{\n")).expect(selector) + selector.len() + 3;
        let end = start + css[start..].find('}').unwrap();
        let mut lines: Vec<&str> = css[start..end].lines().map(str::trim).collect();
        lines.retain(|l| !l.is_empty() && !l.starts_with("color-scheme"));
        lines
    }

    /// decred.css writes the dark palette twice (for the system's scheme and for the
    /// reader's choice); the two must not drift apart.
    #[test]
    fn both_dark_palettes_are_the_same() {
        let (_, css) = super::files("static")
            .find(|(p, _)| *p == "css/decred.css")
            .unwrap();
        let css = std::str::from_utf8(css).unwrap();
        let system = rule(css, r#"  :root:not([data-scheme="light"])"#);
        let chosen = rule(css, r#":root[data-scheme="dark"]"#);
        assert!(system.len() > 20, "{system:?}");
        assert_eq!(system, chosen);
    }
}
