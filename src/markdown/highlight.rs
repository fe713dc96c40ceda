//! Syntax highlighting with syntect, as CSS classes (`hl-*`), so one stylesheet serves
//! the light and the dark theme.
//!
//! The syntax and theme sets are loaded once per process (lazily, on first use) and
//! shared by every render thread.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::contrast;
use crate::icons::html_escape;

mod memo;

/// The class style of highlighted spans and of the stylesheet: `<span class="hl-source hl-rust">`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn theme_set() -> &'static ThemeSet {
    static THEMES: OnceLock<ThemeSet> = OnceLock::new();
    THEMES.get_or_init(ThemeSet::load_defaults)
}

/// Starts loading the syntax and theme sets on a thread of their own, once per process,
/// so that a build's serial start (configuration, content, templates), which leaves the
/// other core idle, pays for them rather than the first page with code: a render thread
/// that needs them meanwhile waits for that load instead of making its own.
pub(crate) fn load_in_background() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // Without a thread (the system refused one), the first use loads them as before.
        let _ = std::thread::Builder::new().spawn(|| {
            theme_set();
            syntax_set();
        });
    });
}

/// Loaded once per process and shared by all render threads.
///
/// Cheap to construct: the syntax and theme sets are process-wide statics.
#[derive(Debug, Clone, Copy)]
pub struct Highlighter {
    _private: (),
}

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter { _private: () }
    }

    /// The stylesheet for the light and dark themes: each theme's rules for its system
    /// scheme (inside `@media`) unless the reader chose the other with the theme's switch
    /// (`data-scheme` on the root element), and again for that choice.
    ///
    /// Each theme is scoped to its own scheme so no light rule leaks into dark mode, code
    /// blocks take the theme's background, and every colour is adjusted until it reads at
    /// 4.5:1 against that background (WCAG AA), since few editor themes meet it.
    pub fn css(&self, light_theme: &str, dark_theme: &str) -> Result<String, String> {
        let light = theme_css(light_theme)?;
        let dark = theme_css(dark_theme)?;
        let mut css = String::with_capacity(2 * (light.len() + dark.len()) + 256);
        css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
        css.push_str(&scoped(&light, r#":root:not([data-scheme="dark"])"#));
        css.push_str("}\n@media (prefers-color-scheme: dark) {\n");
        css.push_str(&scoped(&dark, r#":root:not([data-scheme="light"])"#));
        css.push_str("}\n");
        css.push_str(&scoped(&light, r#":root[data-scheme="light"]"#));
        css.push_str(&scoped(&dark, r#":root[data-scheme="dark"]"#));
        Ok(css)
    }

    /// The HTML for a code block: `<pre class="highlight"><code class="language-LANG">…</code></pre>`.
    ///
    /// Highlighted with `hl-` classes when `lang` is a known syntax token; otherwise (no
    /// language, unknown language, or any highlighting failure) the code is escaped plain.
    pub fn code_block(&self, lang: Option<&str>, code: &str) -> String {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let mut out = String::with_capacity(code.len() * 2 + 64);
        out.push_str(r#"<pre class="highlight"><code"#);
        if let Some(lang) = lang {
            out.push_str(r#" class="language-"#);
            out.push_str(&html_escape(lang));
            out.push('"');
        }
        out.push('>');
        match lang.and_then(|l| highlight(l, code)) {
            Some(html) => out.push_str(&html),
            None => out.push_str(&html_escape(code)),
        }
        out.push_str("</code></pre>\n");
        out
    }

    /// The HTML of each line of `code` (without its newline), highlighted when `lang` is a
    /// known syntax and escaped plain otherwise. Every line closes the spans it opens and
    /// reopens those still open from the line before, so lines can be wrapped one by one
    /// (highlighted lines, line numbers, line anchors).
    pub fn lines(&self, lang: Option<&str>, code: &str) -> Vec<String> {
        let plain = || code.lines().map(html_escape).collect();
        let Some(syntax) = lang
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .and_then(|l| syntax_set().find_syntax_by_token(l))
        else {
            return plain();
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut state = ParseState::new(syntax);
            let mut stack = ScopeStack::new();
            let mut open: Vec<String> = Vec::new();
            let mut out = Vec::new();
            for line in LinesWithEndings::from(code) {
                let ops = memo::parse_line(&mut state, line, syntax_set()).ok()?;
                let (html, _) =
                    line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
                out.push(balanced_line(&mut open, &html));
            }
            Some(out)
        }))
        .ok()
        .flatten()
        .unwrap_or_else(plain)
    }
}

/// One line's spans, with the spans `open` before it reopened first and every span still
/// open after it closed; `open` becomes the spans open after the line. The line's newline
/// is dropped.
fn balanced_line(open: &mut Vec<String>, html: &str) -> String {
    let mut line = open.concat();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let gt = rest[lt..].find('>').map_or(rest.len(), |g| lt + g + 1);
        let tag = &rest[lt..gt];
        if tag.starts_with("</") {
            open.pop();
        } else {
            open.push(tag.to_string());
        }
        line.push_str(&rest[..gt]);
        rest = &rest[gt..];
    }
    line.push_str(rest);
    if let Some(nl) = line.rfind('\n') {
        line.remove(nl);
    }
    line.push_str(&"</span>".repeat(open.len()));
    line
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

fn theme_css(name: &str) -> Result<String, String> {
    let themes = theme_set();
    let Some(theme) = themes.themes.get(name) else {
        let known: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
        return Err(format!(
            "unknown highlight theme `{name}`; known themes: {}",
            known.join(", ")
        ));
    };
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE)
        .map_err(|e| format!("cannot write CSS for highlight theme `{name}`: {e}"))?;
    let background = theme
        .settings
        .background
        .map(|c| [c.r, c.g, c.b])
        .unwrap_or([255, 255, 255]);
    let foreground = theme
        .settings
        .foreground
        .map(|c| [c.r, c.g, c.b])
        .unwrap_or([0, 0, 0]);
    let mut out = format!(
        "pre.highlight, .highlight pre {{\n background-color: {};\n color: {};\n}}\n",
        hex(background),
        hex(contrast::readable(foreground, background))
    );
    out.push_str(&contrast::fix_colours(&css, background));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// `css` (plain rules and comments, as syntect writes them) with every selector put
/// under `scope`, so a theme applies only in its scheme.
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    loop {
        let rest_trimmed = rest.trim_start();
        if let Some(comment) = rest_trimmed.strip_prefix("/*") {
            let end = comment.find("*/").map_or(comment.len(), |e| e + 2);
            rest = &comment[end..];
            continue;
        }
        let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) else {
            break;
        };
        if close < open {
            break;
        }
        let selectors: Vec<String> = rest[..open]
            .split(',')
            .map(|s| format!("{scope} {}", s.trim()))
            .collect();
        out.push_str(&selectors.join(",\n"));
        out.push_str(" {");
        out.push_str(&rest[open + 1..=close]);
        out.push('\n');
        rest = &rest[close + 1..];
    }
    out
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Highlighted inner HTML of `code` in language `lang`, or `None` when the language is
/// unknown or highlighting fails.
pub(crate) fn highlight(lang: &str, code: &str) -> Option<String> {
    let syntaxes = syntax_set();
    let syntax = syntaxes.find_syntax_by_token(lang)?;
    // syntect reports regex failures as errors; a panic inside it must not take the
    // build down either, so fall back to plain code in both cases.
    // What syntect's `ClassedHTMLGenerator` does, with the line parses from `memo`.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut open_spans = 0isize;
        let mut html = String::with_capacity(code.len() * 4);
        for line in LinesWithEndings::from(code) {
            let ops = memo::parse_line(&mut state, line, syntaxes).ok()?;
            let (spans, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
            open_spans += delta;
            html.push_str(&spans);
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Some(html)
    }))
    .ok()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighter_is_sync_and_send() {
        fn assert_sync<T: Sync + Send>() {}
        assert_sync::<Highlighter>();
    }

    #[test]
    fn rust_block_gets_hl_spans() {
        let html = Highlighter::new().code_block(Some("rust"), "fn main() {}\n");
        assert!(html.starts_with(r#"<pre class="highlight"><code class="language-rust">"#));
        assert!(html.contains(r#"<span class="hl-"#), "{html}");
        assert!(html.ends_with("</code></pre>\n"));
    }

    /// syntect's own HTML generator, which `highlight` replaces to use the memo.
    fn reference(lang: &str, code: &str) -> String {
        let syntax = syntax_set().find_syntax_by_token(lang).unwrap();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            syntax_set(),
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    /// Lines parsed from the memo (the same line in the same state, within a block and
    /// across blocks) give syntect's HTML byte for byte, and a line met in another state
    /// (`}` inside a string, after a comment opened) is parsed anew.
    #[test]
    fn memo_gives_the_same_html_as_syntect() {
        let blocks = [
            ("rust", "fn a() {\n    x();\n}\n\nfn b() {\n    x();\n}\nlet s = \"\n}\n\";\n/*\n}\n*/\n}\n"),
            ("go", "package main\n\nimport (\n\t\"fmt\"\n)\n\nfunc main() {\n\tfmt.Println(1)\n}\n"),
            ("bash", "echo \"$HOME\"\ncat <<EOF\necho \"$HOME\"\nEOF\necho \"$HOME\"\n"),
            ("json", "{\n  \"a\": [1, 2],\n  \"b\": \"}\"\n}\n"),
            ("python", "s = \'\'\'\nx = 1\n\'\'\'\nx = 1\n"),
        ];
        let before = memo::hits();
        for round in 0..3 {
            for (lang, code) in blocks {
                assert_eq!(
                    highlight(lang, code).unwrap(),
                    reference(lang, code),
                    "{lang}, round {round}"
                );
            }
        }
        assert!(memo::hits() > before, "the memo was not used");
    }

    #[test]
    fn lines_are_balanced_one_by_one() {
        let lines = Highlighter::new().lines(Some("python"), "s = '''a\nb''' < 1\n");
        assert_eq!(lines.len(), 2);
        for line in &lines {
            let opened = line.matches("<span").count();
            assert_eq!(opened, line.matches("</span>").count(), "{line}");
            assert!(!line.contains('\n'));
        }
        assert_eq!(text_of(&lines[1]), "b''' < 1");
        assert_eq!(
            Highlighter::new().lines(None, "a<\n\nb"),
            ["a&lt;", "", "b"]
        );
    }

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let html = Highlighter::new().code_block(Some("nosuchlang"), "a < b\n");
        assert_eq!(
            html,
            "<pre class=\"highlight\"><code class=\"language-nosuchlang\">a &lt; b\n</code></pre>\n"
        );
    }

    #[test]
    fn no_language_is_plain() {
        let html = Highlighter::new().code_block(None, "x & y");
        assert_eq!(
            html,
            "<pre class=\"highlight\"><code>x &amp; y</code></pre>\n"
        );
    }

    /// The text of highlighted HTML: tags dropped, the escapes `html_escape` and syntect
    /// write decoded.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find('>').expect("a closed tag");
            rest = &rest[open + close + 1..];
        }
        text.push_str(rest);
        [
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", "\""),
            ("&#39;", "'"),
            ("&#x27;", "'"),
        ]
        .iter()
        .fold(text, |t, (from, to)| t.replace(from, to))
        .replace("&amp;", "&")
    }

    /// Unterminated strings, comments and heredocs, a NUL and a lone CR: each language
    /// gives a whole block holding exactly the code, highlighted or plain.
    #[test]
    fn weird_code_does_not_panic() {
        let h = Highlighter::new();
        for lang in ["rust", "html", "python", "js", "c", "sh"] {
            for code in ["\"unterminated /* <<<EOF \u{0}\r\n\t'''", ""] {
                let html = h.code_block(Some(lang), code);
                let open = format!(r#"<pre class="highlight"><code class="language-{lang}">"#);
                let inner = html
                    .strip_prefix(&open)
                    .and_then(|rest| rest.strip_suffix("</code></pre>\n"))
                    .unwrap_or_else(|| panic!("{lang}: not one code block: {html:?}"));
                assert_eq!(text_of(inner), code, "{lang}: the code changed: {html:?}");
            }
        }
    }

    #[test]
    fn css_for_both_default_themes() {
        let css = Highlighter::new()
            .css("InspiredGitHub", "base16-ocean.dark")
            .unwrap();
        assert!(css.contains(".hl-"), "{css}");
        let media = css.find("@media (prefers-color-scheme: dark) {").unwrap();
        assert!(css[..media].contains(".hl-"));
        assert!(css[media..].contains(".hl-"));
        assert!(css.trim_end().ends_with('}'));
        // The reader's choice of scheme overrides the system's, for both themes.
        for scope in [
            r#":root:not([data-scheme="dark"]) .hl-"#,
            r#":root:not([data-scheme="light"]) .hl-"#,
            r#":root[data-scheme="light"] .hl-"#,
            r#":root[data-scheme="dark"] .hl-"#,
        ] {
            assert!(css.contains(scope), "{scope} missing");
        }
        let unscoped = css
            .lines()
            .filter(|l| l.starts_with('.') || l.starts_with("pre."))
            .count();
        assert_eq!(unscoped, 0, "every selector is scoped: {css}");
    }

    #[test]
    fn scoping_keeps_rules_and_drops_comments() {
        let css = "/* theme */\n.a, .b {\n color: red;\n}\npre.highlight {\n x: y;\n}\n";
        assert_eq!(
            scoped(css, ":root[s]"),
            ":root[s] .a,\n:root[s] .b {\n color: red;\n}\n:root[s] pre.highlight {\n x: y;\n}\n"
        );
    }

    #[test]
    fn css_unknown_theme_names_known_ones() {
        let err = Highlighter::new()
            .css("NoSuchTheme", "base16-ocean.dark")
            .unwrap_err();
        assert!(err.contains("NoSuchTheme"));
        assert!(err.contains("InspiredGitHub"));
        assert!(Highlighter::new()
            .css("InspiredGitHub", "nope")
            .unwrap_err()
            .contains("base16-ocean.dark"));
    }
}
