//! How a run of delimiter characters (`^^`, `~`, `==`, `**`) at one position reads:
//! as an opener, a closer, or either, by what stands before and after it, as
//! pymdownx's delimiter processor classifies runs (its "smart" variants keep
//! intraword runs literal; with `no_space`, runs of three, two and one are told apart).

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Start and end of a stashed element's placeholder, as Python-Markdown writes them.
pub(crate) const STX: char = '\u{2}';
pub(crate) const ETX: char = '\u{3}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Ambiguous,
    End,
    Start,
}

/// A classified run: its kind and its span in the text (in chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// What decides a run's reading for one delimiter character.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub token: char,
    pub smart: bool,
    /// Punctuation beside the run counts (CommonMark's flanking rules).
    pub punct: bool,
    /// Runs of three, two and one are classified apart (smart with `no_space`).
    pub sized: bool,
}

/// Unicode punctuation and symbols (`\p{P}\p{S}`).
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Punctuation | GeneralCategoryGroup::Symbol
    )
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

struct At<'a> {
    t: &'a [char],
    r: &'a Rules,
}

impl At<'_> {
    fn get(&self, i: usize) -> Option<char> {
        self.t.get(i).copied()
    }

    /// Python's `$`: the end of the text, or a newline that ends it.
    fn at_end(&self, i: usize) -> bool {
        i >= self.t.len() || (i + 1 == self.t.len() && self.t[i] == '\n')
    }

    /// `[\s token punct]` (punctuation only when the rules count it).
    fn blocking(&self, c: Option<char>) -> bool {
        c.is_some_and(|c| is_space(c) || c == self.r.token || (self.r.punct && is_punct(c)))
    }

    fn prev(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.get(j))
    }

    /// Before a smart run: after `_`, or not after a word character or the token.
    fn smart_start(&self, i: usize) -> bool {
        match self.prev(i) {
            None => true,
            Some(c) if self.r.token == '_' => !is_word(c),
            Some(c) => c == '_' || !(is_word(c) || c == self.r.token),
        }
    }

    /// After a smart run: before `_`, or not before a word character or the token.
    fn smart_end(&self, j: usize) -> bool {
        match self.get(j) {
            None => true,
            Some(c) if self.r.token == '_' => !is_word(c),
            Some(c) => c == '_' || !(is_word(c) || c == self.r.token),
        }
    }

    fn run_end(&self, i: usize) -> usize {
        let mut j = i;
        while self.get(j) == Some(self.r.token) {
            j += 1;
        }
        j
    }

    /// The run at `i` read with `len` tokens (`None`: as many as there are; `Some(n)`:
    /// exactly `n`, or at least 3 for `Some(3)`), with smart word checks when `smart`.
    fn classify(&self, i: usize, len: Option<usize>, smart: bool) -> Option<Run> {
        let full = self.run_end(i);
        let n = full - i;
        let j = match len {
            None if n >= 1 => full,
            Some(3) if n >= 3 => full,
            Some(k) if k < 3 && n >= k => i + k,
            _ => return None,
        };
        // Fixed sizes of one and two still require the run to end there unless noted.
        let exact = j == full;
        let prev = self.prev(i);
        let next = self.get(j);
        let tok = self.r.token;
        let s_ok = !smart || self.smart_start(i);
        let e_ok = !smart || self.smart_end(j);
        let punct_or = |c: Option<char>, extra: char| c.is_some_and(|c| is_punct(c) || c == extra);
        let run = |kind| {
            Some(Run {
                kind,
                start: i,
                end: j,
            })
        };
        // Ambiguous: flanked by neither space nor punctuation, or by punctuation (or
        // placeholders) on both sides.
        if exact
            && i > 0
            && !self.blocking(prev)
            && s_ok
            && e_ok
            && !self.blocking(next)
            && !self.at_end(j)
        {
            return run(Kind::Ambiguous);
        }
        if exact
            && i > 0
            && punct_or(prev, ETX)
            && prev != Some(tok)
            && punct_or(next, STX)
            && !self.at_end(j)
        {
            return run(Kind::Ambiguous);
        }
        // A closer: after something that is neither space nor punctuation.
        let single_end = len == Some(1);
        if i > 0 && !self.blocking(prev) && (single_end || (exact && e_ok)) {
            return run(Kind::End);
        }
        if exact
            && prev.is_some_and(is_punct)
            && prev != Some(tok)
            && (next.is_some_and(|c| is_space(c) || c == STX || is_punct(c)) || self.at_end(j))
        {
            return run(Kind::End);
        }
        // An opener: before something that is neither space nor punctuation.
        if exact && s_ok && !self.blocking(next) && !self.at_end(j) {
            return run(Kind::Start);
        }
        if exact
            && (i == 0 || prev.is_some_and(|c| is_space(c) || c == ETX || is_punct(c)))
            && prev != Some(tok)
            && next.is_some_and(is_punct)
        {
            return run(Kind::Start);
        }
        None
    }
}

/// How the run of `r.token` starting at `i` reads, if it reads as a delimiter at all.
pub(crate) fn classify(t: &[char], i: usize, r: &Rules) -> Option<Run> {
    let at = At { t, r };
    if t.get(i) != Some(&r.token) {
        return None;
    }
    if r.sized {
        // Three or more (no word checks), then exactly two, then one.
        at.classify(i, Some(3), false)
            .or_else(|| at.classify(i, Some(2), r.smart))
            .or_else(|| at.classify(i, Some(1), false))
    } else {
        at.classify(i, None, r.smart)
    }
}
