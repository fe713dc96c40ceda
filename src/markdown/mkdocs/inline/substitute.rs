//! Text substitutions the way Python-Markdown's tree-level inline processors make
//! them (smartsymbols, smarty): each pattern in turn replaces every match in a text
//! node, left to right, with a placeholder, so later patterns see `STX … ETX` where an
//! earlier one matched (their look-arounds depend on it) and never match inside it.

use super::boundary::{ETX, STX};

/// What a match becomes: text, or HTML (smartsymbols' ordinals).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(String),
    Html(String),
}

/// A pattern's answer at a position: the length it matches and what it becomes.
pub(crate) type Match = Option<(usize, Vec<Piece>)>;

/// A text node being substituted: its characters and what each placeholder holds.
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub chars: Vec<char>,
    subs: Vec<Vec<Piece>>,
}

/// The marker inside a substitution placeholder (escapes hold digits, stashes `klzzwxh`).
const MARK: char = 's';

impl Node {
    pub(crate) fn new(text: &str) -> Node {
        Node {
            chars: text.chars().collect(),
            subs: Vec::new(),
        }
    }

    /// Applies `pattern` to every match, left to right.
    pub(crate) fn apply(&mut self, pattern: impl Fn(&[char], usize) -> Match) {
        let mut i = 0;
        while i < self.chars.len() {
            let Some((len, pieces)) = pattern(&self.chars, i) else {
                i += 1;
                continue;
            };
            let p: Vec<char> = format!("{STX}{MARK}{}{ETX}", self.subs.len())
                .chars()
                .collect();
            self.subs.push(pieces);
            let n = p.len();
            self.chars.splice(i..i + len, p);
            i += n;
        }
    }

    /// Keeps `chars[range]` as it is: no later pattern sees inside it.
    pub(crate) fn keep(&mut self, range: std::ops::Range<usize>) {
        let kept: String = self.chars[range.clone()].iter().collect();
        let p: Vec<char> = format!("{STX}{MARK}{}{ETX}", self.subs.len())
            .chars()
            .collect();
        self.subs.push(vec![Piece::Text(kept)]);
        self.chars.splice(range, p);
    }

    /// The node as text and HTML pieces, placeholders expanded.
    pub(crate) fn pieces(self) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        while i < self.chars.len() {
            if let Some((n, next)) = read(&self.chars, i) {
                for piece in &self.subs[n] {
                    match piece {
                        Piece::Text(t) => text.push_str(t),
                        Piece::Html(h) => {
                            if !text.is_empty() {
                                out.push(Piece::Text(std::mem::take(&mut text)));
                            }
                            out.push(Piece::Html(h.clone()));
                        }
                    }
                }
                i = next;
                continue;
            }
            // Up to the next placeholder's start, in one piece.
            let end = self.chars[i + 1..]
                .iter()
                .position(|&c| c == STX)
                .map_or(self.chars.len(), |k| i + 1 + k);
            text.extend(&self.chars[i..end]);
            i = end;
        }
        if !text.is_empty() {
            out.push(Piece::Text(text));
        }
        out
    }
}

/// A substitution placeholder at `chars[i]`: its number and where it ends.
fn read(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if chars.get(i) != Some(&STX) || chars.get(i + 1) != Some(&MARK) {
        return None;
    }
    let close = i + 2 + chars[i + 2..].iter().position(|&c| c == ETX)?;
    Some((super::tree::number(&chars[i + 2..close])?, close + 1))
}

/// Whether `chars[i..]` starts with `s`.
pub(crate) fn starts(chars: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, c)| chars.get(k) == Some(&c))
}

/// Python's `\w` (Unicode letters, digits and `_`).
pub(crate) fn word(c: Option<&char>) -> bool {
    c.is_some_and(|&c| c.is_alphanumeric() || c == '_')
}

/// Python's `\b` before `chars[i]`.
pub(crate) fn boundary(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).and_then(|j| chars.get(j));
    word(before) != word(chars.get(i))
}

pub(crate) fn space(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_whitespace())
}

pub(crate) fn digit(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

pub(crate) fn text(s: &str) -> Vec<Piece> {
    vec![Piece::Text(s.to_string())]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dash(chars: &[char], i: usize) -> Match {
        starts(chars, i, "--").then(|| (2, text("–")))
    }

    fn after_placeholder(chars: &[char], i: usize) -> Match {
        (chars[i] == 'x' && i > 0 && chars[i - 1] == ETX).then(|| (1, text("y")))
    }

    #[test]
    fn later_patterns_see_placeholders_not_the_text() {
        let mut node = Node::new("a --x -- b");
        node.apply(dash);
        node.apply(after_placeholder);
        assert_eq!(node.pieces(), text("a –y – b"));
    }
}
