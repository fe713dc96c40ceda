//! pymdownx.smartsymbols: `(tm)` → ™, `-->` → →, `1/2` → ½, `1st` → 1<sup>st</sup> …
//! in text nodes, before smarty (so `<--` is an arrow, not a dash).

use serde_yaml::Value;

use super::substitute::{boundary, digit, starts, text, word, Match, Node, Piece};

/// The symbols switched on, in pymdownx's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbols(Vec<&'static str>);

pub(crate) const ALL: [&str; 9] = [
    "trademark",
    "copyright",
    "registered",
    "plusminus",
    "arrows",
    "notequal",
    "fractions",
    "ordinal_numbers",
    "care_of",
];

impl Symbols {
    pub fn read(options: &Value) -> Symbols {
        let on = |k: &&str| options.get(*k).and_then(Value::as_bool).unwrap_or(true);
        Symbols(ALL.iter().copied().filter(on).collect())
    }

    pub(crate) fn apply(&self, node: &mut Node) {
        for name in &self.0 {
            let pattern: fn(&[char], usize) -> Match = match *name {
                "trademark" => |c, i| literal(c, i, "(tm)", "™"),
                "copyright" => |c, i| literal(c, i, "(c)", "©"),
                "registered" => |c, i| literal(c, i, "(r)", "®"),
                "plusminus" => |c, i| literal(c, i, "+/-", "±"),
                "arrows" => arrow,
                "notequal" => |c, i| literal(c, i, "=/=", "≠"),
                "fractions" => fraction,
                "ordinal_numbers" => ordinal,
                _ => care_of,
            };
            node.apply(pattern);
        }
    }
}

fn literal(chars: &[char], i: usize, what: &str, to: &str) -> Match {
    starts(chars, i, what).then(|| (what.chars().count(), text(to)))
}

/// `<-->`, `-->` (not after `-`), `<--` (not before `-`).
fn arrow(chars: &[char], i: usize) -> Match {
    if starts(chars, i, "<-->") {
        return Some((4, text("↔")));
    }
    let after_dash = i > 0 && chars[i - 1] == '-';
    if starts(chars, i, "-->") && !after_dash {
        return Some((3, text("→")));
    }
    (starts(chars, i, "<--") && chars.get(i + 3) != Some(&'-')).then(|| (3, text("←")))
}

const FRACTIONS: [(&str, &str); 15] = [
    ("1/4", "¼"),
    ("1/2", "½"),
    ("3/4", "¾"),
    ("1/3", "⅓"),
    ("2/3", "⅔"),
    ("1/5", "⅕"),
    ("2/5", "⅖"),
    ("3/5", "⅗"),
    ("4/5", "⅘"),
    ("1/6", "⅙"),
    ("5/6", "⅚"),
    ("1/8", "⅛"),
    ("3/8", "⅜"),
    ("5/8", "⅝"),
    ("7/8", "⅞"),
];

fn fraction(chars: &[char], i: usize) -> Match {
    if (i > 0 && digit(chars.get(i - 1))) || digit(chars.get(i + 3)) {
        return None;
    }
    let (_, to) = FRACTIONS.iter().find(|(f, _)| starts(chars, i, f))?;
    Some((3, text(to)))
}

/// `1st`, `22nd`, `13th` … as a whole word: the number, then the suffix raised.
fn ordinal(chars: &[char], i: usize) -> Match {
    if !boundary(chars, i) {
        return None;
    }
    let n = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || (n > 1 && chars[i] == '0') || word(chars.get(i + n + 2)) {
        return None;
    }
    let suffix: String = chars.get(i + n..i + n + 2)?.iter().collect();
    let last = chars[i + n - 1];
    let teen = n > 1 && chars[i + n - 2] == '1';
    let ok = match suffix.as_str() {
        "th" => !matches!(last, '1'..='3') || teen,
        "st" => last == '1',
        "nd" => last == '2',
        "rd" => last == '3',
        _ => false,
    };
    let number: String = chars[i..i + n].iter().collect();
    ok.then(|| {
        let html = format!("<sup>{suffix}</sup>");
        (n + 2, vec![Piece::Text(number), Piece::Html(html)])
    })
}

/// `c/o` as a word.
fn care_of(chars: &[char], i: usize) -> Match {
    (starts(chars, i, "c/o") && boundary(chars, i) && boundary(chars, i + 3))
        .then(|| (3, text("℅")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbols(t: &str) -> Vec<Piece> {
        let mut node = Node::new(t);
        Symbols::read(&Value::Null).apply(&mut node);
        node.pieces()
    }

    #[test]
    fn symbols_arrows_fractions_and_ordinals() {
        assert_eq!(
            symbols("(tm) (c) (r) +/- =/= c/o <--> --> <-- 1/2 11/2"),
            text("™ © ® ± ≠ ℅ ↔ → ← ½ 11/2")
        );
        let sup = |s: &str| Piece::Html(format!("<sup>{s}</sup>"));
        assert_eq!(
            symbols("1st 12th 2th"),
            vec![
                Piece::Text("1".into()),
                sup("st"),
                Piece::Text(" 12".into()),
                sup("th"),
                Piece::Text(" 2th".into())
            ]
        );
    }
}
