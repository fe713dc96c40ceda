//! A memo of syntect's line parses. Parsing a line (its regex searches) is most of a
//! build's highlighting time, and code blocks repeat lines: `}`, blank lines, imports,
//! `package main`, a command every page runs. A line's parse depends only on the line and
//! the parser's state before it (`ParseState::parse_line` reads nothing else), so a parse
//! seen before is reused with its resulting state: the HTML is the same byte for byte.
//!
//! One memo per thread (no lock on the render threads). A line is remembered only when it
//! comes a second time, and both sets are bounded, so unique lines (most of a big site's)
//! cost a hash each and the memo stays a few MiB however big the site.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxSet};

/// Longer lines are parsed every time: they seldom repeat, and each would hold its bytes.
const MAX_LINE: usize = 200;
/// Hashes of lines seen once, waiting for a second sighting.
const MAX_SEEN: usize = 1 << 16;
/// Parses kept per thread.
const MAX_KEPT: usize = 1 << 13;
/// Parses kept of one line (from different states: a `}` closes many things).
const MAX_STATES: usize = 8;

type Ops = Vec<(usize, ScopeStackOp)>;

/// One parse of a line: the state it started from, what it found, the state it left.
struct Parse {
    before: ParseState,
    ops: Ops,
    after: ParseState,
}

#[derive(Default)]
struct Memo {
    hasher: RandomState,
    seen: HashSet<u64>,
    kept: HashMap<String, Vec<Parse>>,
    kept_count: usize,
    #[cfg(test)]
    hits: usize,
}

impl Memo {
    fn find(&mut self, state: &ParseState, line: &str) -> Option<(Ops, ParseState)> {
        let parse = self.kept.get(line)?.iter().find(|p| p.before == *state)?;
        let found = (parse.ops.clone(), parse.after.clone());
        #[cfg(test)]
        {
            self.hits += 1;
        }
        Some(found)
    }

    fn remember(&mut self, line: &str, before: ParseState, ops: &Ops, after: &ParseState) {
        if self.kept_count >= MAX_KEPT {
            return;
        }
        // The first sighting records a hash only: most lines never come again.
        let hash = self.hasher.hash_one(line);
        if !self.seen.contains(&hash) {
            if self.seen.len() < MAX_SEEN {
                self.seen.insert(hash);
            }
            return;
        }
        let parses = self.kept.entry(line.to_string()).or_default();
        if parses.len() >= MAX_STATES {
            return;
        }
        self.kept_count += 1;
        parses.push(Parse {
            before,
            ops: ops.clone(),
            after: after.clone(),
        });
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// `state.parse_line(line, syntaxes)`, from the memo when this thread parsed the same line
/// from the same state before. `syntaxes` must be the one set every parse uses (the
/// process-wide one): a state's contexts are indexes into it.
pub(super) fn parse_line(
    state: &mut ParseState,
    line: &str,
    syntaxes: &SyntaxSet,
) -> Result<Ops, ParsingError> {
    if line.len() > MAX_LINE {
        return state.parse_line(line, syntaxes);
    }
    if let Some((ops, after)) = MEMO.with(|m| m.borrow_mut().find(state, line)) {
        *state = after;
        return Ok(ops);
    }
    // The memo is not borrowed while syntect parses: a panic there (caught by the
    // caller) leaves it usable.
    let before = state.clone();
    let ops = state.parse_line(line, syntaxes)?;
    MEMO.with(|m| m.borrow_mut().remember(line, before, &ops, state));
    Ok(ops)
}

/// How many parses this thread took from the memo.
#[cfg(test)]
pub(super) fn hits() -> usize {
    MEMO.with(|m| m.borrow().hits)
}
