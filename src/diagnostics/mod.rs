//! Diagnostics: every problem the pipeline finds, with the place an author fixes it.
//!
//! A build collects all diagnostics instead of stopping at the first, so an author
//! sees every bad front matter, unknown icon and dead link in one run.

use std::fmt;

use serde::Serialize;

mod link;
pub mod report;

pub use link::LinkCause;

/// How bad a problem is: errors fail the build, warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What a problem is, for code that treats some problems apart from the others; people
/// read the message. A kind is added when code needs to tell it apart, so nothing ever
/// recognises a problem by its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A link or image to a page, file or anchor of the site that is not there. The
    /// Markdown renderer finds some as it renders; the checker finds them all.
    BrokenLink,
    /// A broken link whose page exists but has no element with the link's id.
    BrokenAnchor,
    /// A broken link written as an absolute path (`/guide/`).
    BrokenAbsoluteLink,
    /// A broken relative link whose last part has no extension (`guide/`, `setup`):
    /// MkDocs calls it unrecognized, as it cannot name a file.
    UnrecognizedLink,
    /// A page an explicit `nav` of an MkDocs project leaves out.
    NotInNav,
    /// A `nav` entry of an MkDocs project naming a page that is not there.
    NavNotFound,
    /// Every other problem: shown to the author, never handled apart by code.
    Other,
}

/// One problem at one place: `path:line:column: error: message` plus a hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Not in `check --format json`: its findings say what is wrong in their own fields.
    #[serde(skip)]
    pub kind: Kind,
    /// Path relative to the site root, with `/` separators (`content/a.md`).
    pub path: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind: Kind::Other,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// A link to `target` that leads nowhere in the site, written at `path`: a warning,
    /// since the site still builds. `reason` says what is missing.
    /// Its kind is [`Kind::BrokenLink`] until set from the cause ([`LinkCause::kind_for`]).
    pub fn broken_link(path: impl Into<String>, target: &str, reason: impl fmt::Display) -> Self {
        Diagnostic {
            kind: Kind::BrokenLink,
            ..Diagnostic::warning(path, format!("broken link `{target}`: {reason}"))
        }
    }

    /// Any broken link of the site, whatever its kind.
    pub fn is_broken_link(&self) -> bool {
        matches!(
            self.kind,
            Kind::BrokenLink
                | Kind::BrokenAnchor
                | Kind::BrokenAbsoluteLink
                | Kind::UnrecognizedLink
        )
    }

    /// The diagnostic with its kind set.
    pub fn of_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// Places the diagnostic at a line and column, when known.
    pub fn at_position(mut self, position: Option<(usize, usize)>) -> Self {
        self.line = position.map(|(l, _)| l);
        self.column = position.map(|(_, c)| c);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column` (parts that are unknown are left out).
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.path, l, c),
            (Some(l), None) => format!("{}:{}", self.path, l),
            _ => self.path.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.location(), kind, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by place so output is deterministic whatever order threads found them.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
    // Identical diagnostics (one template error hit by many pages) are reported by callers once.
}

/// The closest known name to `wrong`, for "did you mean" hints.
pub fn suggest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(&wrong_lower, &k.to_lowercase()), k))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

/// The words between `quote` characters in a library's message, in order
/// (``unknown field `titel`, expected one of `title`, …`` → `titel`, `title`, …).
pub fn quoted(message: &str, quote: char) -> impl Iterator<Item = &str> {
    message.split(quote).skip(1).step_by(2)
}

/// The 1-based line and column (in characters) where `needle` first appears in `text`.
pub fn position_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    // Counted up to the match only: a whole LineIndex of the text per call made the
    // navigation (one call per entry of mkdocs.yml's `nav`) quadratic in its length.
    let offset = text.find(needle)?;
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count();
    Some((line + 1, before[line_start..].chars().count() + 1))
}

/// Maps byte offsets of a text to 1-based line and column (in characters).
///
/// Each position costs a binary search and at most two stretches of [`STRIDE`] bytes,
/// however long the line: a minified page is one line of megabytes, and counting its
/// characters from the line start for each link made checking it quadratic.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// `chars_at[k]`: characters that start before byte `k * STRIDE`.
    chars_at: Vec<usize>,
}

/// Bytes between two entries of `LineIndex::chars_at`.
const STRIDE: usize = 64;

/// The first byte of a character (not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_at = Vec::with_capacity(text.len() / STRIDE + 2);
        let mut count = 0;
        for chunk in text.as_bytes().chunks(STRIDE) {
            chars_at.push(count);
            count += chunk.iter().filter(|&&b| starts_char(b)).count();
        }
        chars_at.push(count);
        LineIndex {
            text,
            line_starts,
            chars_at,
        }
    }

    /// The text being indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Line and column of `offset` (clamped to the text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let (line, [at_start, at_offset]) = self.scan(offset);
        let chars_before = |read: std::ops::Range<usize>| {
            self.chars_at[read.start / STRIDE]
                + self.text.as_bytes()[read]
                    .iter()
                    .filter(|&&b| starts_char(b))
                    .count()
        };
        let column = chars_before(at_offset) - chars_before(at_start);
        (line + 1, column + 1)
    }

    /// The 0-based line of `offset` and the bytes `position` reads to count its column:
    /// from the stride boundary before the line start to it, and from the one before
    /// `offset` to it.
    fn scan(&self, offset: usize) -> (usize, [std::ops::Range<usize>; 2]) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let from_stride = |to: usize| to / STRIDE * STRIDE..to;
        (line, [from_stride(start), from_stride(offset)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_of_agrees_with_line_index() {
        let text = "a: 1\nnav:\n  - Héllo: x.md\r\n  - 日本: y.md\n\nlast";
        for needle in ["a:", "nav", "x.md", "y.md", "last", "\n", "日本", "1\nnav"] {
            let offset = text.find(needle).unwrap();
            let expected = LineIndex::new(text).position(offset);
            assert_eq!(position_of(text, needle), Some(expected), "{needle:?}");
        }
        assert_eq!(position_of(text, "x.md"), Some((3, 12)));
        assert_eq!(position_of(text, "absent"), None);
        assert_eq!(position_of(text, ""), None);
    }

    #[test]
    fn quoted_words() {
        let words: Vec<&str> = quoted("unknown field `a`, expected `b` or `c`", '`').collect();
        assert_eq!(words, ["a", "b", "c"]);
        // What follows an unclosed quote counts too.
        assert_eq!(
            quoted("in 'x.html' and 'y", '\'').collect::<Vec<_>>(),
            ["x.html", "y"]
        );
        assert_eq!(quoted("none", '`').next(), None);
    }

    #[test]
    fn formats_location_message_and_help() {
        let d = Diagnostic::error("content/a.md", "unknown icon `Cod`")
            .at(3, 7)
            .with_help("did you mean `Code`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: unknown icon `Cod`\n  help: did you mean `Code`?"
        );
    }

    #[test]
    fn a_broken_link_is_a_warning_known_by_its_kind() {
        let missing = |p: &str| LinkCause::NoSuchFile { path: p.into() };
        let d = Diagnostic::broken_link("content/a.md", "b.md", missing("content/b.md"));
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.is_broken_link());
        assert_eq!(
            d.message,
            "broken link `b.md`: no page or file at content/b.md"
        );
        // The same words written by hand are not a broken link: code never reads wording.
        assert!(!Diagnostic::warning("content/a.md", d.message.clone()).is_broken_link());
        // Kinds as MkDocs' `validation.links` tells broken links apart.
        let kind = |target: &str, cause: &LinkCause| {
            let d = Diagnostic::broken_link("content/a.md", target, cause)
                .of_kind(cause.kind_for(target));
            assert!(d.is_broken_link());
            d.kind
        };
        let anchor = LinkCause::NoSuchAnchor {
            id: "x".into(),
            page: "/b/".into(),
        };
        assert_eq!(kind("b.md", &missing("content/b.md")), Kind::BrokenLink);
        assert_eq!(kind("b.md#x", &anchor), Kind::BrokenAnchor);
        assert_eq!(kind("/b/", &missing("/b/")), Kind::BrokenAbsoluteLink);
        assert_eq!(
            kind("guide/", &missing("content/guide")),
            Kind::UnrecognizedLink
        );
        assert_eq!(
            kind("setup#x", &missing("content/setup")),
            Kind::UnrecognizedLink
        );
        assert_eq!(
            kind("../a.png", &missing("content/a.png")),
            Kind::BrokenLink
        );
    }

    #[test]
    fn suggests_nearest_name_or_nothing() {
        let known = ["title", "weight", "template"];
        assert_eq!(suggest("titel", known), Some("title"));
        assert_eq!(suggest("wieght", known), Some("weight"));
        assert_eq!(suggest("zzzzzz", known), None);
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\nçd\nef";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(5), (2, 2)); // after the two-byte 'ç'
        assert_eq!(idx.position(7), (3, 1));
    }

    /// Line and column counted the slow, obvious way.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = before[start..]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (line, column)
    }

    #[test]
    fn line_index_is_exact_on_long_lines_with_wide_characters() {
        let mut text = String::new();
        for i in 0..5_000 {
            // Lines of a few thousand bytes, mixing one- to four-byte characters.
            text.push_str(["<a href=x>", "é", "€", "𝄞", "ab"][i % 5]);
            if i % 1_500 == 1_499 {
                text.push('\n');
            }
            if i % 997 == 0 {
                text.push_str(&"ç".repeat(300));
            }
        }
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(idx.position(offset), naive(&text, offset), "at {offset}");
        }
    }

    /// A minified page is one long line: finding a column must not read the line from its
    /// start each time (100,000 links on one line made `check --html` quadratic).
    #[test]
    fn line_index_reads_a_bounded_stretch_per_position() {
        let text = "<a href=\"x\">é</a>".repeat(100_000);
        let idx = LineIndex::new(&text);
        for offset in [0, 17, text.len() / 2, text.len() - 3, text.len()] {
            let (line, read) = idx.scan(offset);
            assert_eq!(line, 0);
            let bytes: usize = read.iter().map(|r| r.len()).sum();
            assert!(
                bytes <= 2 * STRIDE,
                "{bytes} bytes read for offset {offset}"
            );
        }
    }
}
