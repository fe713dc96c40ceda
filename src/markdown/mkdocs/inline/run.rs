//! Runs: the inline content of one container (paragraph, heading, cell, link text,
//! emphasis …) as Python-Markdown's inline processors see it: text in which escaped
//! characters, code, raw HTML and already-built elements are placeholders. Built from
//! pulldown-cmark's events, and turned back into events once the processors ran.

use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown::mkdocs::fences::is_fence_escape;

use super::boundary::{ETX, STX};
use super::tree::{escaped, push_placeholder, read_placeholder, Arena, Placeholder};

pub(crate) type Events<'a> = Vec<(Event<'a>, usize)>;

/// One container's inline content.
#[derive(Debug, Default)]
pub(crate) struct Run<'a> {
    pub chars: Vec<char>,
    /// Per char of `chars` before any processor ran: its byte offset in the source.
    pub offsets: Vec<usize>,
    /// What placeholder `n` stands for: the events it was made of.
    pub atoms: Vec<Events<'a>>,
    /// Where the container starts (for events made from its text).
    pub offset: usize,
    /// The container is a link or inside one (no links are made in it).
    pub in_link: bool,
}

impl<'a> Run<'a> {
    pub(super) fn new(offset: usize) -> Self {
        Run {
            offset,
            ..Run::default()
        }
    }

    /// Appends `events` as one placeholder.
    pub(super) fn push_atom(&mut self, events: Events<'a>, offset: usize) {
        let len = push_placeholder(self.atoms.len(), &mut self.chars);
        self.offsets.extend(std::iter::repeat_n(offset, len));
        self.atoms.push(events);
    }

    /// Delimiter characters the parser had read as emphasis.
    pub(super) fn push_delimiters(&mut self, c: char, n: usize, offset: usize) {
        for _ in 0..n {
            self.push_char(c, offset);
        }
    }

    pub(super) fn push_newline(&mut self, offset: usize) {
        self.push_char('\n', offset);
    }

    fn push_char(&mut self, c: char, offset: usize) {
        self.chars.push(c);
        self.offsets.push(offset);
    }

    fn push_escaped(&mut self, c: char, offset: usize) {
        let p = escaped(c);
        self.offsets.extend(std::iter::repeat_n(offset, p.len()));
        self.chars.extend(p);
    }

    /// Appends a text event: its characters, with backslash-escaped ones (and `\ ` when
    /// `escape_space`) as placeholders; text that is not the source's (an entity, smart
    /// punctuation) is an atom, as Python-Markdown stashes entities.
    pub(super) fn push_text(&mut self, t: CowStr<'a>, at: usize, src: &str, escape_space: bool) {
        let mut rest: &str = &t;
        let mut at = at;
        let escaped = escaped_at(src, at) && !is_fence_escape(src, at);
        if escaped && rest.starts_with(|c: char| c.is_ascii_punctuation()) {
            let c = rest.chars().next().expect("not empty");
            self.push_escaped(c, at);
            rest = &rest[1..];
            at += 1;
        }
        if rest.is_empty() {
            return;
        }
        if !src.get(at..).is_some_and(|s| s.starts_with(rest)) {
            self.push_atom(vec![(Event::Text(CowStr::from(rest.to_string())), at)], at);
            return;
        }
        if !(escape_space && rest.contains('\\')) {
            // No `\ ` to read: the characters as they are, in bulk (room for them first:
            // a run grows by many such pieces).
            self.chars.reserve(rest.len());
            self.offsets.reserve(rest.len());
            self.chars.extend(rest.chars());
            self.offsets
                .extend(rest.char_indices().map(|(i, _)| at + i));
            return;
        }
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_is_space = chars.peek().is_some_and(|&(_, n)| n == ' ');
            if c == '\\' && next_is_space && escape_space && !escaped_at(src, at + i) {
                chars.next();
                self.push_escaped(' ', at + i);
            } else {
                self.push_char(c, at + i);
            }
        }
    }
}

/// Whether the character at `at` in `src` follows an odd number of backslashes.
fn escaped_at(src: &str, at: usize) -> bool {
    let before = src.as_bytes().get(..at).unwrap_or_default();
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Tags that hold inline content and come back out of a run as they went in.
pub(crate) fn is_inline_tag(tag: &Tag<'_>) -> bool {
    is_inline_end(&tag.to_end())
}

/// The markdown renderer's own rule for tags inside a line of text.
pub(crate) fn is_inline_end(end: &TagEnd) -> bool {
    crate::markdown::second_pass::is_inline(*end)
}

/// Events leaves of inline content that stay whole (placeholders in a run).
pub(crate) fn is_inline_leaf(e: &Event<'_>) -> bool {
    matches!(
        e,
        Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::HardBreak
    )
}

/// What gets each text node: its text, whether it follows an element (is a tail, where
/// attr_list looks), the output and the offset.
pub(crate) type TextFn<'t, 'a> = dyn FnMut(String, bool, &mut Events<'a>, usize) + 't;

/// Writes text with placeholders back as events: atoms as they were, elements of
/// `arena` as HTML around their content; `text` gets each stretch of plain text, a text
/// node as Python-Markdown's tree processors (smartsymbols, smarty) see it: escaped
/// characters still placeholders, line ends `\n`. `after`: `chars` follow an element.
pub(crate) fn flatten<'a>(
    chars: &[char],
    atoms: &mut [Option<Events<'a>>],
    arena: &Arena,
    offset: usize,
    text: &mut TextFn<'_, 'a>,
    out: &mut Events<'a>,
    mut after: bool,
) {
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((what, next)) = read_placeholder(chars, i) {
            match what {
                // Kept for the text processors (smarty must not read `\"` as a
                // quote); `text` writes them as the characters.
                Placeholder::Escaped(c) => {
                    let _ = write!(plain, "{STX}{}{ETX}", c as u32);
                }
                Placeholder::Stash(n) => {
                    flush(&mut plain, after, text, out, offset);
                    after = true;
                    match arena.stash.get(n) {
                        Some(Ok(el)) => element(*el, atoms, arena, offset, text, out),
                        Some(Err(a)) => take_atom(atoms, *a, out),
                        None => take_atom(atoms, n, out),
                    }
                }
            }
            i = next;
            continue;
        }
        // Up to the next placeholder's start, in one piece.
        let end = chars[i + 1..]
            .iter()
            .position(|&c| c == STX)
            .map_or(chars.len(), |k| i + 1 + k);
        plain.extend(&chars[i..end]);
        i = end;
    }
    flush(&mut plain, after, text, out, offset);
}

fn take_atom<'a>(atoms: &mut [Option<Events<'a>>], n: usize, out: &mut Events<'a>) {
    if let Some(evs) = atoms.get_mut(n).and_then(Option::take) {
        out.extend(evs);
    }
}

fn flush<'a>(
    plain: &mut String,
    after: bool,
    text: &mut TextFn<'_, 'a>,
    out: &mut Events<'a>,
    offset: usize,
) {
    if !plain.is_empty() {
        text(std::mem::take(plain), after, out, offset);
    }
}

fn element<'a>(
    el: usize,
    atoms: &mut [Option<Events<'a>>],
    arena: &Arena,
    offset: usize,
    text: &mut TextFn<'_, 'a>,
    out: &mut Events<'a>,
) {
    let e = &arena.els[el];
    let (open, close) = tag_events(e.tag);
    out.push((open, offset));
    if let Some(t) = &e.text {
        flatten(&t.chars, atoms, arena, offset, text, out, false);
    }
    for &child in &e.children {
        element(child, atoms, arena, offset, text, out);
        if let Some(t) = &arena.els[child].tail {
            flatten(&t.chars, atoms, arena, offset, text, out, true);
        }
    }
    out.push((close, offset));
}

/// The events that open and close an element of `tag`.
fn tag_events(tag: &'static str) -> (Event<'static>, Event<'static>) {
    let pair = |t: Tag<'static>| {
        let end = t.to_end();
        (Event::Start(t), Event::End(end))
    };
    match tag {
        "em" => pair(Tag::Emphasis),
        "strong" => pair(Tag::Strong),
        "del" => pair(Tag::Strikethrough),
        "sup" => pair(Tag::Superscript),
        "sub" => pair(Tag::Subscript),
        _ => (
            Event::InlineHtml(CowStr::from(format!("<{tag}>"))),
            Event::InlineHtml(CowStr::from(format!("</{tag}>"))),
        ),
    }
}
