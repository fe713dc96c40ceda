//! Which namespace the tokenizer reads in (HTML, SVG or MathML), as lol_html's tree
//! builder simulator tracks it: it decides whether `<style>` or `<script>` starts raw text
//! and whether `<![CDATA[` opens a CDATA section.

use html5gum::State;

use super::Tag;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Namespace {
    Html,
    Svg,
    MathMl,
}

/// The stack of namespaces entered; HTML at the bottom.
pub(super) struct Namespaces {
    stack: Vec<Namespace>,
}

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces {
            stack: vec![Namespace::Html],
        }
    }
}

/// HTML start tags that end foreign content (the standard's "breakout" list).
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

fn svg_html_point(name: &str) -> bool {
    matches!(name, "desc" | "title" | "foreignobject")
}

fn mathml_text_point(name: &str) -> bool {
    matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext")
}

/// How text after the start tag `name`, in HTML, is read.
fn text_state(name: &str) -> Option<State> {
    match name {
        "textarea" | "title" => Some(State::RcData),
        "plaintext" => Some(State::PlainText),
        "script" => Some(State::ScriptData),
        "style" | "iframe" | "xmp" | "noembed" | "noframes" | "noscript" => Some(State::RawText),
        _ => None,
    }
}

impl Namespaces {
    fn current(&self) -> Namespace {
        self.stack.last().copied().unwrap_or(Namespace::Html)
    }

    /// In SVG or MathML, where `<![CDATA[` opens a CDATA section.
    pub(super) fn foreign(&self) -> bool {
        self.current() != Namespace::Html
    }

    fn leave(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// Follows the start tag `tag`; returns the state its content is read in.
    pub(super) fn start_tag(&mut self, tag: &Tag<'_>, self_closing: bool) -> Option<State> {
        let name = tag.name;
        match (name, self.current()) {
            ("svg", _) => self.stack.push(Namespace::Svg),
            ("math", _) => self.stack.push(Namespace::MathMl),
            (_, Namespace::Html) => return text_state(name),
            _ if BREAKOUT.contains(&name) => self.leave(),
            (_, ns) if self.html_point(ns, name) && !self_closing => {
                self.stack.push(Namespace::Html);
            }
            ("font", _)
                if ["color", "size", "face"]
                    .iter()
                    .any(|a| tag.attribute(a).is_some()) =>
            {
                self.leave();
            }
            ("annotation-xml", Namespace::MathMl) if !self_closing && html_encoding(tag) => {
                self.stack.push(Namespace::Html);
            }
            _ => {}
        }
        None
    }

    fn html_point(&self, ns: Namespace, name: &str) -> bool {
        ns == Namespace::Svg && svg_html_point(name)
            || ns == Namespace::MathMl && mathml_text_point(name)
    }

    /// Follows the end tag `name`.
    pub(super) fn end_tag(&mut self, name: &[u8]) {
        if self.stack.len() == 1 {
            return; // In HTML with nothing foreign around it: no end tag leaves anything.
        }
        let name = std::str::from_utf8(name).unwrap_or_default();
        let below = self.stack.len().checked_sub(2).map(|i| self.stack[i]);
        let leaves = match self.current() {
            Namespace::Html => match below {
                Some(Namespace::MathMl) => mathml_text_point(name) || name == "annotation-xml",
                Some(Namespace::Svg) => svg_html_point(name),
                _ => false,
            },
            Namespace::Svg => matches!(name, "svg" | "p" | "br"),
            Namespace::MathMl => matches!(name, "math" | "p" | "br"),
        };
        if leaves {
            self.leave();
        }
    }
}

/// An `<annotation-xml>` whose `encoding` says its content is HTML.
fn html_encoding(tag: &Tag<'_>) -> bool {
    tag.attribute("encoding").is_some_and(|e| {
        e.eq_ignore_ascii_case("text/html") || e.eq_ignore_ascii_case("application/xhtml+xml")
    })
}
