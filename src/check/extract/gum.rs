//! Reads start tags with html5gum, the WHATWG tokenizer, through an emitter that keeps
//! only what the check reads (tag names, attribute names, where values are written) and
//! drops text, comments and doctypes without copying them. The tokenizer has no tree
//! builder; `Namespaces` follows the one lol_html simulates, so both read `<style>` in SVG,
//! CDATA in MathML and `<script>` in HTML alike.

use std::convert::Infallible;

use html5gum::{Emitter, Error, State, Tokenizer};

mod namespaces;

use namespaces::Namespaces;

/// One start tag: its lowercase name, its attributes, and where it starts.
pub(super) struct Tag<'a> {
    html: &'a str,
    /// The tag name, ASCII-lowercased by the tokenizer.
    pub(super) name: &'a str,
    attrs: &'a [Attribute],
    /// The lowercased attribute names, each a range of this buffer.
    names: &'a [u8],
    /// Byte offset of the `<`.
    pub(super) offset: usize,
}

/// An attribute: its name in `Tag::names`, its value as written in the page.
#[derive(Clone, Copy)]
struct Attribute {
    name: (usize, usize),
    value: (usize, usize),
}

impl Tag<'_> {
    /// The value of the first attribute named `name` (lowercase), as written.
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| self.names[a.name.0..a.name.1].eq_ignore_ascii_case(name.as_bytes()))
            .map(|a| &self.html[a.value.0..a.value.1])
    }
}

/// lol_html refuses some pages (a text element such as `<script>` in `<select>` or after
/// `<frameset>`: its streaming parser cannot tell how to read what follows); pages that
/// hold those elements are left to it so both readers agree on every page.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unsupported;

/// Calls `found` with every start tag of `html`, in document order.
pub(super) fn start_tags(html: &str, found: impl FnMut(&Tag<'_>)) -> Result<(), Unsupported> {
    let mut refused = false;
    let reader = Reader {
        html,
        found,
        refused: &mut refused,
        position: 0,
        tag_start: 0,
        is_start: false,
        self_closing: false,
        name: Vec::new(),
        last_start: Vec::new(),
        names: Vec::new(),
        attrs: Vec::new(),
        namespaces: Namespaces::default(),
    };
    let Ok(()) = Tokenizer::new_with_emitter(html.as_bytes(), reader).finish();
    if refused {
        return Err(Unsupported);
    }
    Ok(())
}

/// The emitter: the tag being read, and where the tokenizer is in the page.
struct Reader<'a, 'r, F> {
    html: &'a str,
    found: F,
    refused: &'r mut bool,
    /// Bytes of `html` the tokenizer has read.
    position: usize,
    tag_start: usize,
    is_start: bool,
    self_closing: bool,
    name: Vec<u8>,
    /// The last start tag's name, which a raw text element's end tag must repeat.
    last_start: Vec<u8>,
    names: Vec<u8>,
    attrs: Vec<Attribute>,
    namespaces: Namespaces,
}

impl<F: FnMut(&Tag<'_>)> Reader<'_, '_, F> {
    fn start_tag(&mut self) -> Option<State> {
        let name = std::str::from_utf8(&self.name).unwrap_or_default();
        if matches!(name, "select" | "frameset") {
            *self.refused = true;
        }
        let tag = Tag {
            html: self.html,
            name,
            attrs: &self.attrs,
            names: &self.names,
            offset: self.tag_start,
        };
        (self.found)(&tag);
        let state = self.namespaces.start_tag(&tag, self.self_closing);
        self.last_start.clear();
        self.last_start.extend_from_slice(&self.name);
        state
    }
}

impl<F: FnMut(&Tag<'_>)> Emitter for Reader<'_, '_, F> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start.clear();
        self.last_start
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }
    fn emit_eof(&mut self) {}
    fn emit_error(&mut self, _: Error) {}
    fn should_emit_errors(&mut self) -> bool {
        false
    }
    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }
    fn emit_string(&mut self, _: &[u8]) {}
    fn start_open_tag(&mut self) {
        self.tag_start = self.position.saturating_sub(1);
    }
    fn init_start_tag(&mut self) {
        self.init_tag(true);
    }
    fn init_end_tag(&mut self) {
        self.init_tag(false);
    }
    fn init_comment(&mut self) {}
    fn emit_current_tag(&mut self) -> Option<State> {
        if self.is_start {
            self.start_tag()
        } else {
            self.namespaces.end_tag(&self.name);
            None
        }
    }
    fn emit_current_comment(&mut self) {}
    fn emit_current_doctype(&mut self) {}
    fn set_self_closing(&mut self) {
        self.self_closing = true;
    }
    fn set_force_quirks(&mut self) {}
    fn push_tag_name(&mut self, s: &[u8]) {
        self.name.extend_from_slice(s);
    }
    fn push_comment(&mut self, _: &[u8]) {}
    fn push_doctype_name(&mut self, _: &[u8]) {}
    fn init_doctype(&mut self) {}
    fn init_attribute(&mut self) {
        let at = self.names.len();
        self.attrs.push(Attribute {
            name: (at, at),
            value: (0, 0),
        });
    }
    fn init_attribute_value(&mut self) {
        if let Some(a) = self.attrs.last_mut() {
            a.value = (self.position, self.position);
        }
    }
    fn push_attribute_name(&mut self, s: &[u8]) {
        self.names.extend_from_slice(s);
        if let Some(a) = self.attrs.last_mut() {
            a.name.1 = self.names.len();
        }
    }
    fn push_attribute_value(&mut self, _: &[u8]) {
        if let Some(a) = self.attrs.last_mut() {
            a.value.1 = self.position;
        }
    }
    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.is_start && !self.last_start.is_empty() && self.name == self.last_start
    }
    fn adjusted_current_node_present_but_not_in_html_namespace(&mut self) -> bool {
        self.namespaces.foreign()
    }
    fn move_position(&mut self, offset: isize) {
        self.position = self.position.saturating_add_signed(offset);
    }
}

impl<F> Reader<'_, '_, F> {
    fn init_tag(&mut self, start: bool) {
        self.is_start = start;
        self.self_closing = false;
        self.name.clear();
        self.names.clear();
        self.attrs.clear();
    }
}

#[cfg(test)]
mod tests;
