//! The elements the delimiter processor builds, Python-Markdown's way: each element
//! has text, children and a tail (text after it inside its parent); placeholders in
//! the text (`STX klzzwxh:NNNN ETX`) stand for stashed elements and atoms.

use super::boundary::{ETX, STX};

/// Text of an element or tail; `evaluated` marks tails the processor already paired
/// (pymdownx skips those while it still holds elements for the same text).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Text {
    pub chars: Vec<char>,
    pub evaluated: bool,
}

impl Text {
    pub(super) fn plain(chars: Vec<char>) -> Text {
        Text {
            chars,
            evaluated: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct El {
    pub tag: &'static str,
    pub text: Option<Text>,
    pub children: Vec<usize>,
    pub tail: Option<Text>,
}

/// Elements by index, and the stash placeholders point into.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    pub els: Vec<El>,
    /// Per placeholder number: an element (`Ok`) or an atom of the run (`Err`).
    pub stash: Vec<Result<usize, usize>>,
}

impl Arena {
    pub(super) fn new_el(&mut self, tag: &'static str) -> usize {
        self.els.push(El {
            tag,
            ..El::default()
        });
        self.els.len() - 1
    }

    /// The placeholder for a stashed element or atom.
    pub(super) fn stash(&mut self, what: Result<usize, usize>) -> Vec<char> {
        self.stash.push(what);
        placeholder(self.stash.len() - 1)
    }
}

/// `STX klzzwxh:NNNN ETX`, as long as Python-Markdown's (offsets depend on it).
pub(crate) fn placeholder(n: usize) -> Vec<char> {
    let mut p = Vec::with_capacity(14);
    push_placeholder(n, &mut p);
    p
}

/// `placeholder(n)` appended to `out` (no string made on the way: runs hold many); its
/// length back.
pub(crate) fn push_placeholder(n: usize, out: &mut Vec<char>) -> usize {
    let start = out.len();
    out.push(STX);
    out.extend(STASH);
    push_digits(n, 4, out);
    out.push(ETX);
    out.len() - start
}

/// `n` in decimal, zero-padded to `width` digits, as `format!("{n:0width$}")` writes it.
fn push_digits(n: usize, width: usize, out: &mut Vec<char>) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    let mut m = n;
    loop {
        k -= 1;
        digits[k] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    let len = digits.len() - k;
    out.extend(std::iter::repeat_n('0', width.saturating_sub(len)));
    out.extend(digits[k..].iter().map(|&d| char::from(d)));
}

/// What starts at `chars[i]` when it is a placeholder: its stash number or escaped
/// character, and where it ends.
pub(crate) fn read_placeholder(chars: &[char], i: usize) -> Option<(Placeholder, usize)> {
    if chars.get(i) != Some(&STX) {
        return None;
    }
    let close = i + 1 + chars[i + 1..].iter().position(|&c| c == ETX)?;
    let inner = &chars[i + 1..close];
    let what = match inner.strip_prefix(&STASH[..]) {
        Some(n) => Placeholder::Stash(number(n)?),
        None => Placeholder::Escaped(char::from_u32(number(inner)?)?),
    };
    Some((what, close + 1))
}

/// The marker of a stash placeholder's number.
const STASH: [char; 8] = ['k', 'l', 'z', 'z', 'w', 'x', 'h', ':'];

/// `digits` parsed as Rust parses a number from a string. Placeholders hold plain
/// digits, read here without building a string (this runs for every placeholder);
/// anything else takes the string way.
pub(crate) fn number<T>(digits: &[char]) -> Option<T>
where
    T: std::str::FromStr + From<u8> + std::ops::Mul<Output = T> + std::ops::Add<Output = T> + Copy,
{
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(char::is_ascii_digit) {
        return digits.iter().collect::<String>().parse().ok();
    }
    let ten = T::from(10);
    Some(
        digits
            .iter()
            .fold(T::from(0), |n, &d| n * ten + T::from(d as u8 - b'0')),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholder {
    Stash(usize),
    Escaped(char),
}

/// The placeholder for an escaped character, as Python-Markdown's escape pattern
/// writes it (`STX 94 ETX` for `\^`).
pub(crate) fn escaped(c: char) -> Vec<char> {
    let mut p = Vec::with_capacity(9);
    p.push(STX);
    push_digits(c as usize, 1, &mut p);
    p.push(ETX);
    p
}

/// `text` with escaped-character placeholders back as the characters.
pub(crate) fn unescape(text: &str) -> String {
    if !text.contains(STX) {
        return text.to_string();
    }
    unescape_placeholders(text)
}

/// `unescape`, keeping `text` itself when it holds no placeholder.
pub(crate) fn unescape_owned(text: String) -> String {
    match text.contains(STX) {
        true => unescape_placeholders(&text),
        false => text,
    }
}

fn unescape_placeholders(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match read_placeholder(&chars, i) {
            Some((Placeholder::Escaped(c), next)) => {
                out.push(c);
                i = next;
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_python_markdowns_and_read_back() {
        for n in [0, 7, 42, 999, 1000, 9999, 10000, 123456] {
            let p = placeholder(n);
            let want: Vec<char> = format!("{STX}klzzwxh:{n:04}{ETX}").chars().collect();
            assert_eq!(p, want);
            assert_eq!(
                read_placeholder(&p, 0),
                Some((Placeholder::Stash(n), p.len()))
            );
        }
        for c in ['^', '\\', ' ', 'é', '😀'] {
            let p = escaped(c);
            let want: Vec<char> = format!("{STX}{}{ETX}", c as u32).chars().collect();
            assert_eq!(p, want);
            assert_eq!(
                read_placeholder(&p, 0),
                Some((Placeholder::Escaped(c), p.len()))
            );
        }
        let odd: Vec<char> = format!("{STX}klzzwxh:+12{ETX}").chars().collect();
        assert_eq!(
            read_placeholder(&odd, 0),
            Some((Placeholder::Stash(12), odd.len()))
        );
        let huge: Vec<char> = format!("{STX}99999999999{ETX}").chars().collect();
        assert_eq!(read_placeholder(&huge, 0), None, "no such character");
    }
}
