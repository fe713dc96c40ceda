//! Python-Markdown's `smarty`: dashes, angled quotes, quotes and ellipses in text
//! nodes, pattern by pattern in its order (see `substitute`). Its own rules, not
//! CommonMark's smart punctuation: `'` after a word closes, `"` before a word opens.

use serde_yaml::Value;

use super::boundary::{ETX, STX};
use super::substitute::{space, starts, word, Node, Piece};

/// smarty's options.
#[derive(Debug, Clone, PartialEq)]
pub struct Smarty {
    pub quotes: bool,
    pub angled_quotes: bool,
    pub dashes: bool,
    pub ellipses: bool,
    /// `substitutions`: HTML in place of the default character, by name.
    pub substitutions: Vec<(String, String)>,
}

impl Smarty {
    pub fn read(options: &Value) -> Smarty {
        let flag = |k: &str, d: bool| options.get(k).and_then(Value::as_bool).unwrap_or(d);
        let substitutions = match options.get("substitutions") {
            Some(Value::Mapping(m)) => m
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        Smarty {
            quotes: flag("smart_quotes", true),
            angled_quotes: flag("smart_angled_quotes", false),
            dashes: flag("smart_dashes", true),
            ellipses: flag("smart_ellipses", true),
            substitutions,
        }
    }

    /// What the substitution `name` writes.
    fn piece(&self, name: &str) -> Piece {
        match self.substitutions.iter().find(|(k, _)| k == name) {
            Some((_, html)) => Piece::Html(html.clone()),
            None => Piece::Text(default(name).to_string()),
        }
    }

    /// Whether any rule may match in `text`: each needs a quote, `--`, `<<`, `>>` or
    /// `...` (a sentence's full stop or a word's hyphen is not enough).
    pub(crate) fn may_touch(&self, text: &str) -> bool {
        // One pass over the bytes (all these characters are ASCII).
        let b = text.as_bytes();
        let next = |i: usize| b.get(i + 1).copied();
        b.iter().enumerate().any(|(i, &c)| match c {
            b'\'' | b'"' => self.quotes,
            b'-' => self.dashes && next(i) == Some(b'-'),
            b'<' | b'>' => self.angled_quotes && next(i) == Some(c),
            b'.' => self.ellipses && b[i..].starts_with(b"..."),
            _ => false,
        })
    }

    /// Applies smarty's patterns to `node`, highest priority first.
    pub(crate) fn apply(&self, node: &mut Node) {
        // Most text has none of the characters a rule starts from: skip those rules
        // (each is a pass over the node).
        let has = |set: &[char]| node.chars.iter().any(|c| set.contains(c));
        let mut patterns: Vec<(Start, Rule)> = Vec::new();
        if self.dashes && has(&['-']) {
            patterns.extend([(Start::Is('-'), em_dash as Rule), (Start::Is('-'), en_dash)]);
        }
        if self.angled_quotes && has(&['<', '>']) {
            patterns.extend([
                (Start::Is('<'), left_angle as Rule),
                (Start::Is('>'), right_angle),
            ]);
        }
        if self.quotes {
            // Each quote rule matches only where its quote is: a node with one kind of
            // quote skips the other kind's rules (and those of both).
            let single = has(&['\'']);
            let double = has(&['"']);
            let wanted = |q: Quotes| match q {
                Quotes::Single => single,
                Quotes::Double => double,
                Quotes::Both => single && double,
            };
            patterns.extend(QUOTES.iter().filter(|r| wanted(r.0)).map(|r| (r.1, r.2)));
        }
        if self.ellipses && has(&['.']) {
            patterns.push((Start::Is('.'), ellipsis));
        }
        for (start, rule) in patterns {
            node.apply(|chars, i| {
                // Most characters start no match: the rule's first character is
                // checked inline, the rule itself only called where it may match.
                if !start.at(chars[i]) {
                    return None;
                }
                let (len, toks) = rule(chars, i)?;
                let pieces = toks
                    .into_iter()
                    .map(|t| match t {
                        Tok::Sub(name) => self.piece(name),
                        Tok::Keep(c) => Piece::Text(c.to_string()),
                    })
                    .collect();
                Some((len, pieces))
            });
        }
    }
}

/// What a rule's match becomes: a named substitution or a character it keeps.
#[derive(Debug, Clone, Copy)]
enum Tok {
    Sub(&'static str),
    Keep(char),
}

type Rule = fn(&[char], usize) -> Option<(usize, Vec<Tok>)>;

/// The characters a rule's match may start with (every rule checks its own first
/// character too; this only saves calling it elsewhere).
/// (A value, not a function: it is asked of every character in each pass.)
#[derive(Debug, Clone, Copy)]
enum Start {
    Is(char),
    /// `is_lead`.
    Lead,
}

impl Start {
    fn at(self, c: char) -> bool {
        match self {
            Start::Is(s) => c == s,
            Start::Lead => is_lead(c),
        }
    }
}

/// `opening`'s lead: a space or a dash before the quote.
fn is_lead(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '–' | '—')
}

fn default(name: &str) -> &'static str {
    match name {
        "mdash" => "—",
        "ndash" => "–",
        "ellipsis" => "…",
        "left-angle-quote" => "«",
        "right-angle-quote" => "»",
        "left-single-quote" => "‘",
        "right-single-quote" => "’",
        "left-double-quote" => "“",
        _ => "”",
    }
}

const PUNCT: &str = "!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~";

fn punct(c: Option<&char>) -> bool {
    c.is_some_and(|c| PUNCT.contains(*c))
}

/// smarty's `closeClass`: what a closing quote may follow.
fn closer(chars: &[char], i: usize) -> bool {
    i.checked_sub(1)
        .and_then(|j| chars.get(j))
        .is_some_and(|c| !" \t\r\n[{(-".contains(*c) && *c != STX && *c != ETX)
}

fn before(chars: &[char], i: usize) -> Option<&char> {
    i.checked_sub(1).and_then(|j| chars.get(j))
}

fn dashes(chars: &[char], i: usize, n: usize, name: &'static str) -> Option<(usize, Vec<Tok>)> {
    let run = (0..n).all(|k| chars.get(i + k) == Some(&'-'));
    (run && before(chars, i) != Some(&'-') && chars.get(i + n) != Some(&'-'))
        .then(|| (n, vec![Tok::Sub(name)]))
}

fn em_dash(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    dashes(chars, i, 3, "mdash")
}

fn en_dash(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    dashes(chars, i, 2, "ndash")
}

fn left_angle(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    starts(chars, i, "<<").then(|| (2, vec![Tok::Sub("left-angle-quote")]))
}

fn right_angle(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    starts(chars, i, ">>").then(|| (2, vec![Tok::Sub("right-angle-quote")]))
}

fn ellipsis(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    (starts(chars, i, "...") && before(chars, i) != Some(&'.') && chars.get(i + 3) != Some(&'.'))
        .then(|| (3, vec![Tok::Sub("ellipsis")]))
}

const LS: &str = "left-single-quote";
const RS: &str = "right-single-quote";
const LD: &str = "left-double-quote";
const RD: &str = "right-double-quote";

/// The quotes a rule's match holds (it matches nowhere else).
#[derive(Debug, Clone, Copy)]
enum Quotes {
    Single,
    Double,
    Both,
}

/// The quote rules in smarty's order.
const QUOTES: [(Quotes, Start, Rule); 15] = {
    use Quotes::{Both, Double, Single};
    use Start::{Is, Lead};
    [
        (Single, Is('\''), |c, i| quote_start(c, i, '\'', RS)),
        (Double, Is('"'), |c, i| quote_start(c, i, '"', RD)),
        (Both, Is('"'), |c, i| {
            when(starts(c, i, "\"'") && word(c.get(i + 2)), &[LD, LS])
        }),
        (Both, Is('\''), |c, i| {
            when(starts(c, i, "'\"") && word(c.get(i + 2)), &[LS, LD])
        }),
        (Both, Is('\''), |c, i| {
            when(starts(c, i, "'\"") && closer(c, i), &[RS, RD])
        }),
        (Both, Is('"'), |c, i| {
            when(starts(c, i, "\"'") && closer(c, i), &[RD, RS])
        }),
        (Single, Is('\''), decade),
        (Single, Lead, |c, i| opening(c, i, '\'', LS)),
        (Single, Is('\''), closing_single),
        (Single, Is('\''), closing_single_before),
        (Single, Is('\''), |c, i| when(c[i] == '\'', &[LS])),
        (Double, Lead, |c, i| opening(c, i, '"', LD)),
        (Double, Is('"'), |c, i| {
            when(c[i] == '"' && space(c.get(i + 1)), &[RD])
        }),
        (Double, Is('"'), |c, i| {
            when(c[i] == '"' && closer(c, i), &[RD])
        }),
        (Double, Is('"'), |c, i| when(c[i] == '"', &[LD])),
    ]
};
/// The quotes at `i` become `names` when `cond` holds.
fn when(cond: bool, names: &[&'static str]) -> Option<(usize, Vec<Tok>)> {
    cond.then(|| (names.len(), names.iter().map(|n| Tok::Sub(n)).collect()))
}

/// `^'(?=punct\B)`: a quote opening the text before punctuation closes.
fn quote_start(chars: &[char], i: usize, q: char, name: &'static str) -> Option<(usize, Vec<Tok>)> {
    let p = chars.get(i + 1);
    let not_boundary = word(p) == word(chars.get(i + 2));
    (i == 0 && chars[i] == q && punct(p) && not_boundary).then(|| (1, vec![Tok::Sub(name)]))
}

/// `(?<!\w)'(?=\d{2}s)`: the decade in `'80s`.
fn decade(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    let digits = |k: usize| chars.get(i + k).is_some_and(char::is_ascii_digit);
    (chars[i] == '\''
        && !word(before(chars, i))
        && digits(1)
        && digits(2)
        && chars.get(i + 3) == Some(&'s'))
    .then(|| (1, vec![Tok::Sub(RS)]))
}

/// `(\s|--|–|—)q(?=\w)`: a quote after a space or dash, before a word, opens.
fn opening(chars: &[char], i: usize, q: char, name: &'static str) -> Option<(usize, Vec<Tok>)> {
    let lead: usize = if starts(chars, i, "--") {
        2
    } else if chars
        .get(i)
        .is_some_and(|c| c.is_whitespace() || "–—".contains(*c))
    {
        1
    } else {
        return None;
    };
    if chars.get(i + lead) != Some(&q) || !word(chars.get(i + lead + 1)) {
        return None;
    }
    let mut toks: Vec<Tok> = chars[i..i + lead].iter().map(|&c| Tok::Keep(c)).collect();
    toks.push(Tok::Sub(name));
    Some((lead + 1, toks))
}

/// `(?<=closeClass)'(?!\s|s\b|\d)`.
fn closing_single(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    let next = chars.get(i + 1);
    let s_word = next == Some(&'s') && !word(chars.get(i + 2));
    (chars[i] == '\'' && closer(chars, i) && !space(next) && !s_word && !digit_at(next))
        .then(|| (1, vec![Tok::Sub(RS)]))
}

/// `'(\s|s\b)`: the quote closes, what follows stays.
fn closing_single_before(chars: &[char], i: usize) -> Option<(usize, Vec<Tok>)> {
    let next = chars.get(i + 1)?;
    let ok = next.is_whitespace() || (*next == 's' && !word(chars.get(i + 2)));
    (chars[i] == '\'' && ok).then(|| (2, vec![Tok::Sub(RS), Tok::Keep(*next)]))
}

fn digit_at(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_numeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smart(text: &str) -> String {
        let mut node = Node::new(text);
        Smarty::read(&Value::Null).apply(&mut node);
        node.pieces()
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Html(t) => t,
            })
            .collect()
    }

    #[test]
    fn smarty_quotes_dashes_and_ellipses() {
        assert_eq!(smart("\"Quote\" -- it's... '80s"), "“Quote” – it’s… ’80s");
        assert_eq!(smart("a---b ---- c"), "a—b ---- c");
        assert_eq!(smart("'Hello,' he said"), "‘Hello,’ he said");
        assert_eq!(smart("the 'quoted' word's"), "the ‘quoted’ word’s");
    }

    #[test]
    fn opening_quotes_after_a_dash_or_space_and_text_left_alone() {
        // `opening` starts at its lead (a space or a dash), not at the quote.
        assert_eq!(smart("a –'b' c —\"d\" e --'f'"), "a –‘b’ c —“d” e –‘f’");
        let smarty = Smarty::read(&Value::Null);
        for text in [
            "plain words, no marks",
            "a:b (c) [d] e!",
            "Self-hosted. End.",
            "a<b>c",
        ] {
            assert!(!smarty.may_touch(text), "{text}");
            assert_eq!(smart(text), text);
        }
        assert!(smarty.may_touch("it's") && smarty.may_touch("a -- b"));
        assert!(smarty.may_touch("wait...") && smarty.may_touch("\"q\""));
    }
}
