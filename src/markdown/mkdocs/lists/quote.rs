//! Block quotes in the list pass: Python-Markdown's `BlockQuoteProcessor` takes the block
//! from its first `>` line on, strips the markers (a line without one is lazy, in the
//! quote), and reads the rest as a chunk of its own, added to a quote just before it. So
//! lists inside quotes follow the same model as outside; the lines are written back with
//! their `>` markers at the quote's column.

use super::{fence_open, fenced, indent_of, Fenced, Kind, Walk, P};

/// `t` without the `>` markers (and one space after each) of the quotes it is in.
pub(super) fn unquoted(mut t: &str) -> &str {
    loop {
        let indent = indent_of(t);
        match t[indent..].strip_prefix('>') {
            Some(rest) if indent <= 3 => t = rest.strip_prefix(' ').unwrap_or(rest),
            _ => return t,
        }
    }
}

impl Walk<'_> {
    /// The first line of `b` that starts a quote (`>` after up to three spaces), outside
    /// fences.
    pub(super) fn quote_at(&self, b: &[P]) -> Option<usize> {
        // A line starting with `>` opens no fence: it is `Outside` whatever follows.
        fenced(self.lines, b).position(|(_, t, at)| {
            at == Fenced::Outside && indent_of(t) <= 3 && t.trim_start().starts_with('>')
        })
    }

    /// Whether the quote `b` may be written back with its markers: a fence in a quote with
    /// lazy lines (no `>`) is left as it stands, as superfences and CommonMark each read
    /// such lines their own way.
    pub(super) fn quote_reads_alike(&self, b: &[P]) -> bool {
        let lazy = b.iter().any(|&p| {
            let t = self.text(p);
            !(indent_of(t) <= 3 && t.trim_start().starts_with('>'))
        });
        !lazy
            || !b
                .iter()
                .any(|&p| fence_open(unquoted(self.text(p)).trim_start()).is_some())
    }

    /// The quote `b` (from its first `>` line) in `parent`, continuing a quote before it.
    pub(super) fn quote(&mut self, parent: usize, b: &[P]) {
        let col = self.nodes[parent].col;
        let q = match self.nodes[parent].last {
            Some(s) if self.nodes[s].kind == Kind::Quote => s,
            _ => {
                let q = self.node(Kind::Quote, col + 2);
                self.nodes[parent].last = Some(q);
                q
            }
        };
        let cleaned: Vec<P> = b.iter().map(|&p| self.clean(p)).collect();
        self.quotes.push(col);
        self.depth += 1;
        self.chunk_lines(q, &cleaned);
        self.depth -= 1;
        self.quotes.pop();
    }

    /// `BlockQuoteProcessor.clean`: the line without its `>` and one space after it.
    fn clean(&self, p: P) -> P {
        let t = self.text(p);
        let indent = indent_of(t);
        match t[indent..].strip_prefix('>') {
            Some(rest) if indent <= 3 => {
                let space = usize::from(rest.starts_with(' '));
                P {
                    i: p.i,
                    start: p.start + indent + 1 + space,
                }
            }
            _ => p,
        }
    }

    /// A blank line of the level being written: in a quote, its markers alone.
    pub(super) fn blank(&mut self, p: P) {
        match self.quotes.last() {
            None => self.out.push(self.lines[p.i].clone()),
            Some(&q) => {
                let mut text = " ".repeat(q + 1);
                self.mark_quotes(&mut text);
                self.out.push(self.lines[p.i].derived(text));
            }
        }
    }

    /// Puts the quotes' `>` markers into `text` (the indentation a line is written at).
    pub(super) fn mark_quotes(&self, text: &mut String) {
        for &q in &self.quotes {
            if text.as_bytes().get(q) == Some(&b' ') {
                text.replace_range(q..=q, ">");
            }
        }
    }
}
