//! Python-Markdown's list model, written so that pulldown-cmark reads the same lists.
//!
//! Python-Markdown (`blockprocessors.py`) reads lists differently from CommonMark: an item's
//! content is what follows its marker and, after a blank line, blocks indented by four
//! spaces (`tab_length`) per level; an item indented by up to three spaces is a sibling,
//! by four to seven a nested item; `*`, `-`, `+` and `1.` items all continue one list
//! (unless `sane_lists`); `1)` is no marker; ordered lists never carry `start` (unless
//! `sane_lists`); and tight or loose is decided per item: a blank line before an item
//! makes it and the item before it loose.
//!
//! This pass walks the page as Python-Markdown's block parser does (its list, list-indent
//! and code processors; other blocks are opaque) and writes every line back at the column
//! its container has in CommonMark: markers become `-   ` or `1.  ` (content four columns
//! in), content lines go to their item's content column plus what Python-Markdown leaves
//! of their indentation, and lines it reads as text that CommonMark would read as a list
//! item are escaped. It returns, per paragraph written in an item, its output line and
//! whether it is a `<p>` (Python-Markdown leaves an item's text bare in a tight list: the
//! paragraphs read in its "list" state); `items` applies that to pulldown-cmark's events.

use super::paragraph_lines::list_marker;
use super::{fence_closes, fence_open, indent_of, is_blank, Line};
use fenced::{fenced, Fenced};

mod fenced;
pub(crate) mod items;
mod quote;

/// The paragraphs the pass wrote in items: the output line each starts at and whether
/// Python-Markdown wraps it in `<p>`.
pub(crate) type Looseness = Vec<(usize, bool)>;

/// An item's paragraphs in `Walk::paras`: its text (a bare first paragraph), its last.
#[derive(Debug, Clone, Copy, Default)]
struct ItemParas {
    text: Option<usize>,
    last: Option<usize>,
}

/// Deeper nesting is written as it stands (hostile input must not exhaust the stack).
const MAX_DEPTH: usize = 64;

/// Python-Markdown's parser state, as far as lists look at it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    None,
    /// Inside a tight list's item: a paragraph is the item's text.
    List,
    /// The first item of a block continuing a list.
    LooseList,
    /// A block the list-indent processor just dedented (it does not run again on it).
    Detabbed,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Container,
    /// `ordered`, and for items their index in `Walk::items`.
    List(bool),
    Item(usize),
    /// A block quote (its content's column): a quote block after it continues it.
    Quote,
    Other,
}

/// A node of the tree Python-Markdown builds, as much of it as the list rules look at.
struct Node {
    kind: Kind,
    /// The column content starts at: a container's, or for a list its items' markers.
    col: usize,
    last: Option<usize>,
}

/// A line as Python-Markdown sees it at some depth: line `i` from byte `start`.
#[derive(Debug, Clone, Copy)]
struct P {
    i: usize,
    start: usize,
}

/// What `Walk::step` left of a block: nothing, the lines from an index, or those
/// dedented by four spaces.
enum Rest {
    None,
    From(usize),
    Dedented(usize),
}

/// A list item marker: ordered, its number, where the content starts.
#[derive(Debug, Clone, Copy)]
struct Marker {
    ordered: bool,
    number: u64,
    content: usize,
}

/// An item of a list block: its lines (the first without its marker) and marker (None
/// for a nested item, whose lines keep their indentation).
struct ItemLines {
    lines: Vec<P>,
    marker: Option<Marker>,
}

struct Walk<'a> {
    lines: &'a [Line],
    out: Vec<Line>,
    nodes: Vec<Node>,
    /// Per item, its paragraphs in `paras`.
    items: Vec<ItemParas>,
    paras: Looseness,
    /// The marker (and indentation) of an item whose first line is not written yet.
    pending: Option<String>,
    /// The columns of the `>` markers of the quotes the lines being written are in.
    quotes: Vec<usize>,
    sane: bool,
    depth: usize,
}

/// `lines` with their lists written for pulldown-cmark, and each item's looseness.
pub(super) fn normalize(lines: Vec<Line>, sane: bool) -> (Vec<Line>, Looseness) {
    if !lines
        .iter()
        .any(|l| commonmark_marker_escape(quote::unquoted(&l.text)).is_some())
    {
        return (lines, Vec::new());
    }
    let mut w = Walk {
        lines: &lines,
        out: Vec::with_capacity(lines.len()),
        nodes: vec![Node {
            kind: Kind::Container,
            col: 0,
            last: None,
        }],
        items: Vec::new(),
        paras: Vec::new(),
        pending: None,
        quotes: Vec::new(),
        sane,
        depth: 0,
    };
    w.chunk();
    let Walk { out, paras, .. } = w;
    (out, paras)
}

impl<'a> Walk<'a> {
    fn text(&self, p: P) -> &'a str {
        &self.lines[p.i].text[p.start..]
    }

    /// The page: blocks between blank lines (a fence's blank lines are inside it).
    fn chunk(&mut self) {
        let page: Vec<P> = (0..self.lines.len()).map(|i| P { i, start: 0 }).collect();
        self.chunk_lines(0, &page);
    }

    /// Lines of `parent` (the page, a quote) parted into blocks at blank lines.
    fn chunk_lines(&mut self, parent: usize, lines: &[P]) {
        let mut block = Vec::new();
        for (p, t, at) in fenced(self.lines, lines) {
            if at == Fenced::Outside && is_blank(t) {
                self.block(parent, &std::mem::take(&mut block), State::None);
                self.blank(p);
            } else {
                block.push(p);
            }
        }
        self.block(parent, &block, State::None);
    }

    fn node(&mut self, kind: Kind, col: usize) -> usize {
        self.nodes.push(Node {
            kind,
            col,
            last: None,
        });
        self.nodes.len() - 1
    }

    fn last_list(&self, n: usize) -> Option<usize> {
        let last = self.nodes[n].last?;
        matches!(self.nodes[last].kind, Kind::List(_)).then_some(last)
    }

    fn is_item(&self, n: usize) -> bool {
        matches!(self.nodes[n].kind, Kind::Item(_))
    }

    /// The item's text goes into a `<p>` (and, with `tail`, a bare last paragraph: a list
    /// continued after a blank line does that to its last item).
    fn set_loose(&mut self, item: usize, tail: bool) {
        if let Kind::Item(k) = self.nodes[item].kind {
            let ItemParas { text, last } = self.items[k];
            for p in [text, last.filter(|_| tail)].into_iter().flatten() {
                self.paras[p].1 = true;
            }
        }
    }

    /// One block (lines without a blank line between them) with `parent` as parent, as
    /// Python-Markdown's processors take it, a part at a time (see `step`).
    fn block(&mut self, parent: usize, b: &[P], state: State) {
        let mut lines = b.to_vec();
        let mut at = 0;
        while at < lines.len() {
            match self.step(parent, &lines[at..], state) {
                Rest::None => break,
                Rest::From(n) => at += n,
                Rest::Dedented(n) => {
                    lines = self.detab(&lines[at + n..], 4);
                    at = 0;
                }
            }
        }
    }

    /// The processors in Python-Markdown's order: list-indent, code, headings and rules
    /// (which part the block), lists, then anything else as it stands. Returns what is
    /// left of `b` for the next step.
    fn step(&mut self, parent: usize, b: &[P], state: State) -> Rest {
        let first = self.text(b[0]);
        let indent = indent_of(first);
        if self.depth > MAX_DEPTH {
            self.opaque(parent, b, None);
        } else if indent >= 4
            && state != State::Detabbed
            && (self.is_item(parent) || self.last_list(parent).is_some())
        {
            self.list_indent(parent, b, state);
        } else if indent >= 4 {
            let n = b
                .iter()
                .take_while(|&&p| indent_of(self.text(p)) >= 4 || is_blank(self.text(p)))
                .count();
            self.opaque(parent, &b[..n], None);
            return Rest::From(n);
        } else if let Some(j) = self.split_at(b) {
            if j > 0 {
                self.block(parent, &b[..j], state);
            }
            self.opaque(parent, &b[j..=j], None);
            if state == State::LooseList && self.text(b[j]).starts_with('#') {
                // Python-Markdown's #1443: lines after a heading in a loose item.
                return Rest::Dedented(j + 1);
            }
            return Rest::From(j + 1);
        } else {
            match (marker(first, None, self.sane), self.quote_at(b)) {
                (Some(m), _) => self.list(parent, b, m.ordered),
                (None, Some(j)) if self.quote_reads_alike(&b[j..]) => {
                    if j > 0 {
                        self.opaque(parent, &b[..j], Some(state));
                    }
                    self.quote(parent, &b[j..]);
                }
                _ => self.opaque(parent, b, Some(state)),
            }
        }
        Rest::None
    }

    /// A line Python-Markdown splits a block at: a `#` heading or a rule (not in a fence).
    fn split_at(&self, b: &[P]) -> Option<usize> {
        fenced(self.lines, b).position(|(_, t, at)| {
            at == Fenced::Outside && (t.starts_with('#') || is_python_markdown_rule(t))
        })
    }

    /// `OListProcessor.run`: a block starting with an item of an `ordered` list.
    fn list(&mut self, parent: usize, b: &[P], ordered: bool) {
        let items = self.get_items(b, ordered);
        let sibling = self.nodes[parent].last;
        let mut rest = &items[..];
        let list = match sibling.map(|s| (s, self.nodes[s].kind)) {
            Some((s, Kind::List(o))) if !self.sane || o == ordered => {
                // A blank line before: the last item and this block's first are loose.
                if let Some(li) = self.nodes[s].last {
                    self.set_loose(li, true);
                }
                let li = self.new_item(s, items[0].marker);
                self.descend(li, &items[0].lines, State::LooseList);
                rest = &items[1..];
                s
            }
            _ if matches!(self.nodes[parent].kind, Kind::List(_)) => parent,
            _ => {
                let col = self.nodes[parent].col;
                let list = self.node(Kind::List(ordered), col);
                self.nodes[parent].last = Some(list);
                list
            }
        };
        for item in rest {
            match (item.marker, self.nodes[list].last) {
                (None, Some(li)) => self.descend(li, &item.lines, State::List),
                (marker, _) => {
                    let li = self.new_item(list, marker);
                    self.descend(li, &item.lines, State::List);
                }
            }
        }
    }

    fn descend(&mut self, parent: usize, b: &[P], state: State) {
        self.depth += 1;
        self.block(parent, b, state);
        self.depth -= 1;
    }

    /// `get_items`: the block's lines parted into items.
    fn get_items(&self, b: &[P], ordered: bool) -> Vec<ItemLines> {
        let mut items: Vec<ItemLines> = Vec::new();
        for (p, t, at) in fenced(self.lines, b) {
            let in_fence = at == Fenced::Inside;
            let child = (!in_fence)
                .then(|| marker(t, Some(ordered), self.sane))
                .flatten();
            let nested = !in_fence
                && (4..8).contains(&indent_of(t))
                && marker(t.trim_start(), None, false).is_some();
            match items.last_mut() {
                _ if child.is_some() => items.push(ItemLines {
                    lines: vec![P {
                        i: p.i,
                        start: p.start + child.map_or(0, |m| m.content),
                    }],
                    marker: child,
                }),
                Some(last) if nested && last.marker.is_some() => items.push(ItemLines {
                    lines: vec![p],
                    marker: None,
                }),
                Some(last) => last.lines.push(p),
                None => items.push(ItemLines {
                    lines: vec![p],
                    marker: None,
                }),
            }
        }
        items
    }

    /// A new item of `list`: its marker waits for its first line.
    fn new_item(&mut self, list: usize, marker: Option<Marker>) -> usize {
        let col = self.nodes[list].col;
        let first = self.nodes[list].last.is_none();
        // The list's kind, whatever the marker (`* a` then `1. b` is one `<ul>`).
        let mark = match (self.nodes[list].kind, marker) {
            (Kind::List(true), Some(m)) if self.sane && first => format!("{}.", m.number),
            (Kind::List(true), _) => "1.".to_string(),
            _ => "-".to_string(),
        };
        let width = (mark.len() + 1).max(4);
        let prefix = format!("{}{mark:<width$}", " ".repeat(col));
        self.pending = Some(match self.pending.take() {
            Some(outer) if outer.len() <= col => format!("{outer}{}", &prefix[outer.len()..]),
            _ => prefix,
        });
        let k = self.items.len();
        self.items.push(ItemParas::default());
        let li = self.node(Kind::Item(k), col + width);
        self.nodes[list].last = Some(li);
        li
    }

    /// `ListIndentProcessor.run`: a block indented by four spaces or more after a list.
    fn list_indent(&mut self, parent: usize, b: &[P], state: State) {
        let indent_level = indent_of(self.text(b[0])) / 4;
        let mut level = usize::from(state == State::List);
        let mut at = parent;
        while indent_level > level {
            let Some(child) = self.nodes[at].last else {
                break;
            };
            match self.nodes[child].kind {
                Kind::List(_) => level += 1,
                Kind::Item(_) => {}
                _ => break,
            }
            at = child;
        }
        let detabbed = self.detab(b, 4 * level);
        let target = if self.is_item(parent) {
            self.last_list(parent).unwrap_or(parent)
        } else if self.is_item(at) {
            // Python-Markdown's own quirk: the item keeps its text out of a `<p>`.
            at
        } else if let Some(li) = self.nodes[at].last.filter(|_| at != parent) {
            self.set_loose(li, false);
            li
        } else {
            return self.opaque(parent, b, None);
        };
        self.descend(target, &detabbed, State::Detabbed);
    }

    /// `looseDetab`: `cut` spaces off the lines that start with as many.
    fn detab(&self, b: &[P], cut: usize) -> Vec<P> {
        b.iter()
            .map(|&p| match indent_of(self.text(p)) >= cut {
                true => P {
                    i: p.i,
                    start: p.start + cut,
                },
                false => p,
            })
            .collect()
    }

    /// Lines written as they stand at `parent`'s column. `text`: the state a text block
    /// was read in; in a paragraph, list markers Python-Markdown reads as text are escaped.
    fn opaque(&mut self, parent: usize, b: &[P], text: Option<State>) {
        let col = self.nodes[parent].col;
        let paragraph = text.is_some()
            && b.first().is_some_and(|&p| {
                let t = self.text(p).trim_start();
                indent_of(self.text(p)) < 4
                    && !t.starts_with(['<', '>', '|'])
                    && fence_open(t).is_none()
            });
        if let (true, Kind::Item(k)) = (paragraph, self.nodes[parent].kind) {
            // In a tight list the item's text (or a tail after a heading) is bare.
            let bare = text == Some(State::List);
            self.paras.push((self.out.len(), !bare));
            let at = Some(self.paras.len() - 1);
            if bare {
                if self.nodes[parent].last.is_none() {
                    self.items[k].text = at;
                }
                self.items[k].last = at;
            }
        }
        for (p, t, at) in fenced(self.lines, b) {
            let escape = (paragraph && at == Fenced::Outside)
                .then(|| commonmark_marker_escape(t))
                .flatten();
            self.emit(col, p, escape);
        }
        if matches!(
            self.nodes[parent].kind,
            Kind::Container | Kind::Item(_) | Kind::Quote
        ) {
            let other = self.node(Kind::Other, col);
            self.nodes[parent].last = Some(other);
        }
    }

    /// Writes `p` at column `col` (after the marker of an item waiting for its first
    /// line), a backslash at byte `escape` of its text.
    fn emit(&mut self, col: usize, p: P, escape: Option<usize>) {
        let line = &self.lines[p.i];
        let mut text = self.pending.take().unwrap_or_default();
        let pad = col.saturating_sub(text.len());
        text.extend(std::iter::repeat_n(' ', pad));
        self.mark_quotes(&mut text);
        let t = &line.text[p.start..];
        match escape {
            Some(at) => {
                text.push_str(&t[..at]);
                text.push('\\');
                text.push_str(&t[at..]);
            }
            None => text.push_str(t),
        }
        let shift =
            line.shift + (line.text.len() - t.len()) as isize - (text.len() - t.len()) as isize;
        self.out.push(Line {
            text,
            src: line.src,
            shift,
        });
    }
}

/// The list item marker `t` starts with as Python-Markdown reads one: up to three spaces,
/// `*`, `-`, `+` or digits and `.`, then spaces. `kind`: the list a line continues (None:
/// a block's first line); with `sane` lists only items of its kind continue it.
fn marker(t: &str, kind: Option<bool>, sane: bool) -> Option<Marker> {
    let indent = indent_of(t);
    if indent > 3 {
        return None;
    }
    let body = &t[indent..];
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (ordered, width) = match body.as_bytes().get(digits)? {
        b'.' if digits > 0 => (true, digits + 1),
        b'*' | b'-' | b'+' if digits == 0 => (false, 1),
        _ => return None,
    };
    if sane && kind.is_some_and(|k| k != ordered) {
        return None;
    }
    // Python-Markdown expands tabs first: `*\tx` is an item too.
    let after = &body[width..];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    (spaces > 0).then(|| Marker {
        ordered,
        number: body[..digits].parse().unwrap_or(1),
        content: indent + width + spaces,
    })
}

/// A rule Python-Markdown splits a block at (its `HRProcessor`): three or more `-`, `_`
/// or `*` with at most two spaces between them, indented by up to three spaces. Stricter
/// than CommonMark's thematic break (`paragraph_lines::is_thematic_break`): this pass
/// must part a block exactly where Python-Markdown does, and `*   *   *` is no rule to it.
fn is_python_markdown_rule(t: &str) -> bool {
    if indent_of(t) > 3 {
        return false;
    }
    let t = t.trim();
    let Some(c) = t.chars().next().filter(|c| matches!(c, '-' | '_' | '*')) else {
        return false;
    };
    t.chars().filter(|&x| x == c).count() >= 3
        && t.chars().all(|x| x == c || x == ' ')
        && !t.contains("   ")
}

/// Where a backslash makes text of a line CommonMark would start a list item with
/// (`* x`, `1) x`, a lone `-`): before the bullet, or before the `.` or `)`.
fn commonmark_marker_escape(t: &str) -> Option<usize> {
    let indent = indent_of(t);
    if indent > 3 {
        return None;
    }
    // The bullet, or the `.`/`)` after the digits, is the marker's last character.
    list_marker(&t[indent..]).map(|width| indent + width - 1)
}

#[cfg(test)]
mod tests;
