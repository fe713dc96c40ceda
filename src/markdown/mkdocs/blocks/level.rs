//! A level's text as Python-Markdown's HTML extractor reads it: the level's lines joined
//! (raw blocks are found in the whole text, across lines), which kind of level it is,
//! and how far text read whole as text runs.

use super::htmlscan::{comment_end, extent, is_block_level, start_tag, Extent};
use super::mdhtml::scan;
use super::Line;

/// Which level raw HTML is read in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in super::super) enum Level {
    /// The page: html.parser's raw blocks (`htmlscan`).
    Page,
    /// The body of an element with `markdown`, where tags are read by md_in_html's rules
    /// (`mdhtml::scan`); `fresh` when it starts right after the element's start tag.
    MdBody { fresh: bool },
}

/// An element kept as written in an md_in_html body (see `Joined::md_element`).
pub(super) struct MdElement {
    pub end: usize,
    /// The end tag to write when the text has none.
    pub end_tag: Option<String>,
    /// The start tags of the elements nested in it, whose `markdown` attributes go.
    pub opened: Vec<(usize, usize)>,
}

/// A level's lines joined by new lines, and where each line starts.
/// What follows markup on its line (`Joined::after`).
pub(super) enum After {
    /// Nothing but white space: the line to read next.
    Line(usize),
    /// Text from byte `pos` (past the white space) to the line's end `eol`; `next` is the
    /// line after it.
    Tail { pos: usize, eol: usize, next: usize },
}

pub(in super::super) struct Joined {
    pub(super) text: String,
    pub(super) starts: Vec<usize>,
    pub(super) level: Level,
    /// The text before this byte was read as text, not markup, however its lines start:
    /// html.parser reads a comment opened inside a line of text whole, as text, so the
    /// lines up to its close start no raw block (see `read_as_text`).
    text_to: usize,
}

impl Joined {
    pub(super) fn new(lines: &[Line], level: Level) -> Joined {
        let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(lines.len());
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                text.push('\n');
            }
            starts.push(text.len());
            text.push_str(&l.text);
        }
        Joined {
            text,
            starts,
            level,
            text_to: 0,
        }
    }

    /// What the markup at `pos` (a line's start) is. In an md_in_html body an element
    /// ends by md_in_html's rules: a `<p>` closed by the next block, a block-level tag
    /// after text being text.
    pub(super) fn extent(&self, pos: usize) -> Extent {
        match self.md_element(pos) {
            Some(e) => Extent::Raw(e.end),
            None => extent(&self.text, pos),
        }
    }

    /// In an md_in_html body, the element (kept as written) starting at `pos`.
    pub(super) fn md_element(&self, pos: usize) -> Option<MdElement> {
        if self.level == Level::Page {
            return None;
        }
        let tag = start_tag(&self.text, pos)
            .filter(|t| is_block_level(&t.name) && !t.self_closing && t.name != "hr")?;
        let mut opened = Vec::new();
        let (close, end) = scan::close_noting(&self.text, &tag, &mut opened);
        Some(MdElement {
            end,
            // Closed by the next element or never: html.parser's tree writes the end tag.
            end_tag: (close == end).then(|| format!("</{}>", tag.name)),
            opened,
        })
    }

    /// Whether markup in `tail`, right after the markup starting at line `i`, may be a
    /// block too: on the page always; in an md_in_html body only while its element has
    /// had no text (its first line, the markup back to back).
    pub(super) fn tail_may_open(&self, i: usize, tail: &str) -> bool {
        match self.level {
            Level::Page => true,
            Level::MdBody { fresh } => fresh && i == 0 && tail.starts_with('<'),
        }
    }

    /// Whether byte `pos` is inside text read whole as text (see `text_to`).
    pub(super) fn in_text(&self, pos: usize) -> bool {
        pos < self.text_to
    }

    /// The line holding byte `pos` was read as text from `pos` on: a comment opened
    /// there and closed on a later line makes the text up to its close text too.
    pub(super) fn read_as_text(&mut self, pos: usize) {
        let eol = self.line_end(pos);
        let mut p = pos.max(self.text_to);
        while p < eol {
            let Some(k) = crate::markdown::find::find(&self.text[p..eol], "<!--") else {
                return;
            };
            // Unclosed, it is text, and so is every later one (none has a close).
            let Some(end) = comment_end(&self.text, p + k) else {
                return;
            };
            self.text_to = self.text_to.max(end);
            p = end;
        }
    }

    /// What follows on its line the markup that ends at byte `end`.
    pub(super) fn after(&self, end: usize) -> After {
        if self.text[..end].ends_with('\n') {
            // Closed by an element starting the next line, read as a line of its own.
            return After::Line(self.line_of(end));
        }
        let eol = self.line_end(end);
        let tail = &self.text[end..eol];
        let next = self.line_of(eol) + 1;
        if tail.trim().is_empty() {
            return After::Line(next);
        }
        let pos = end + tail.len() - tail.trim_start().len();
        After::Tail { pos, eol, next }
    }

    /// The line holding byte `pos`.
    pub(super) fn line_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    /// The end of the line holding byte `pos`.
    pub(super) fn line_end(&self, pos: usize) -> usize {
        self.text[pos..]
            .find('\n')
            .map_or(self.text.len(), |k| pos + k)
    }
}
