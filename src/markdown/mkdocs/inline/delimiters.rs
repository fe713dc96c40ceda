//! Paired delimiters (`^^ins^^`, `^sup^`, `~~del~~`, `~sub~`, `==mark==`, and `*`/`_`
//! under betterem) as pymdownx pairs them: one pass over a run of text finds openers
//! and closers on a stack per character, with CommonMark's rule of three and pymdownx's
//! "no space" rule for `^sup^`/`~sub~`; the regions found become nested elements.
//! `pair.rs` holds the pairing steps, `build.rs` turns regions into elements.

use std::collections::HashMap;

use super::boundary::{classify, Kind, Rules, Run};
use super::tree::{Arena, Text};

/// One delimiter character and how it pairs (a pymdownx extension's options).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spec {
    pub token: char,
    /// The tag for a pair of two, and for a pair of one (the same when only one exists).
    pub tags: (&'static str, &'static str),
    /// Both tags exist.
    pub two_tags: bool,
    /// With one tag: it needs doubled tokens (`==mark==`).
    pub double: bool,
    pub smart: bool,
    pub punct: bool,
    pub no_space: bool,
}

/// An unpaired run: start, end, ambiguous, original length, current length.
pub(crate) type Entry = (usize, usize, bool, usize, usize);

/// A found pair: opener span, closer span, tags, size.
pub(crate) type Region = (
    usize,
    usize,
    usize,
    usize,
    (&'static str, &'static str),
    usize,
);

#[derive(Debug)]
pub(crate) struct Delim {
    pub rules: Rules,
    pub tags: (&'static str, &'static str),
    pub double: bool,
    pub single: bool,
    pub no_space: bool,
    pub max_size: usize,
    pub stack: Vec<Entry>,
    pub space_track: i64,
    pub singles: i64,
}

impl Delim {
    fn new(s: &Spec) -> Delim {
        let double = !s.two_tags && s.double;
        let single = !s.two_tags && !s.double;
        let no_space = s.no_space && !double;
        Delim {
            rules: Rules {
                token: s.token,
                smart: s.smart,
                punct: s.punct,
                sized: s.smart && no_space,
            },
            tags: s.tags,
            double,
            single,
            no_space,
            max_size: if !s.two_tags && !s.double { 1 } else { 2 },
            stack: Vec::new(),
            space_track: 0,
            singles: 0,
        }
    }

    pub(super) fn reset(&mut self) {
        self.stack.clear();
        self.space_track = 0;
        self.singles = 0;
    }

    pub(super) fn track(&mut self, length: usize, by: i64) {
        if self.no_space && !self.single {
            if length == 1 {
                self.singles += by;
            }
            if length != 2 {
                self.space_track += by;
            }
        }
    }
}

/// The processor's state for one run of text (see the module comment).
#[derive(Debug)]
pub(crate) struct Processor {
    pub delims: Vec<Delim>,
    pub regions: Vec<Region>,
    /// Built elements not yet handed out: element, start, end, where the next call lands.
    pub cache: Vec<(usize, usize, usize, usize)>,
    pub cache_index: usize,
    pub cache_pos: usize,
    pub stack: Vec<Entry>,
    pub positions: Vec<usize>,
    pub searched: HashMap<(char, usize), (usize, Entry)>,
    pub contains_space: [isize; 2],
    pub contains_non_space: [isize; 2],
    pub remainder: Option<(char, char)>,
    pub arena: Arena,
}

impl Processor {
    pub(super) fn new(specs: &[Spec]) -> Processor {
        Processor {
            delims: specs.iter().map(Delim::new).collect(),
            regions: Vec::new(),
            cache: Vec::new(),
            cache_index: 0,
            cache_pos: 0,
            stack: Vec::new(),
            positions: Vec::new(),
            searched: HashMap::new(),
            contains_space: [-1, -1],
            contains_non_space: [-1, -1],
            remainder: None,
            arena: Arena::default(),
        }
    }

    pub(super) fn is_token(&self, c: char) -> bool {
        self.delims.iter().any(|d| d.rules.token == c)
    }

    pub(super) fn index_of(&self, c: char) -> usize {
        self.delims
            .iter()
            .position(|d| d.rules.token == c)
            .unwrap_or(0)
    }

    pub(super) fn reset(&mut self) {
        for d in &mut self.delims {
            d.reset();
        }
        self.regions.clear();
        self.cache.clear();
        self.stack.clear();
        self.positions.clear();
        self.searched.clear();
        self.cache_index = 0;
        self.cache_pos = 0;
        self.contains_space = [-1, -1];
        self.contains_non_space = [-1, -1];
        self.remainder = None;
    }

    pub(super) fn any_stack(&self) -> bool {
        self.delims.iter().any(|d| !d.stack.is_empty())
    }

    pub(super) fn others_stacked(&self, di: usize) -> bool {
        self.delims
            .iter()
            .enumerate()
            .any(|(i, d)| i != di && !d.stack.is_empty())
    }

    pub(super) fn boundary(&self, data: &[char], i: usize) -> Option<Run> {
        let c = *data.get(i)?;
        self.delims
            .iter()
            .filter(|d| d.rules.token == c)
            .find_map(|d| classify(data, i, &d.rules))
    }

    /// The run of tokens at `i`, as a span (to step over one that pairs with nothing).
    pub(super) fn bad(data: &[char], i: usize) -> (usize, usize) {
        let c = data[i];
        let mut j = i;
        while j < data.len() && data[j] == c {
            j += 1;
        }
        (i, j)
    }

    /// The next run after `start` that can take part in pairing; every token passed
    /// is remembered (Python-Markdown will call back at each).
    pub(super) fn search(&mut self, data: &[char], start: usize) -> Option<Run> {
        for i in start..data.len() {
            if self.is_token(data[i]) {
                self.positions.push(i);
                if let Some(m) = self.boundary(data, i) {
                    let di = self.index_of(data[i]);
                    if self.delims[di].stack.is_empty() && m.kind == Kind::End {
                        continue;
                    }
                    return Some(m);
                }
            }
        }
        None
    }

    pub(super) fn add_region(
        &mut self,
        di: usize,
        a: usize,
        b: usize,
        c: usize,
        d: usize,
        size: usize,
    ) {
        let tags = self.delims[di].tags;
        self.regions.push((a, b, c, d, tags, size));
        // Unpaired runs inside the new region can no longer pair.
        for other in &mut self.delims {
            while let Some(&top) = other.stack.last() {
                let p = top.0;
                if a <= p && p < d {
                    other.stack.pop();
                    other.track(top.4, -1);
                    continue;
                }
                break;
            }
        }
    }

    /// Whether `data[s..e]` holds white space, with pymdownx's memory of spans already
    /// found with and without it (a span overlapping one is taken to be alike).
    pub(super) fn check_space(&mut self, data: &[char], s: usize, e: usize) -> bool {
        let s = s as isize;
        let last = e as isize - 1;
        let [p1, p2] = self.contains_space;
        if s.max(p1) <= last.min(p2) {
            self.grow_space(s, last);
            return true;
        }
        let [p3, p4] = self.contains_non_space;
        if s.max(p3) <= last.min(p4) {
            if p3 == -1 || s < p4 {
                self.contains_non_space[0] = s;
            }
            if p4 == -1 || last > p4 {
                self.contains_non_space[1] = last;
            }
            return false;
        }
        let has_space = data
            .get(s as usize..e.min(data.len()))
            .is_some_and(|t| t.iter().any(|c| c.is_whitespace()));
        if has_space {
            self.grow_space(s, last);
        } else {
            if p3 == -1 || s < p3 {
                self.contains_non_space[0] = s;
            }
            if p4 == -1 || last > p4 {
                self.contains_non_space[1] = last;
            }
        }
        has_space
    }

    fn grow_space(&mut self, s: isize, last: isize) {
        let [p1, p2] = self.contains_space;
        if p1 == -1 || s < p1 {
            self.contains_space[0] = s;
        }
        if p2 == -1 || last > p2 {
            self.contains_space[1] = last;
        }
    }
}

/// CommonMark's rule of three, on the runs' original lengths.
pub(crate) fn rule_of_3(opener: usize, closer: usize) -> bool {
    (opener + closer).is_multiple_of(3) && !(opener.is_multiple_of(3) && closer.is_multiple_of(3))
}

/// Runs `specs`' delimiters over `data` (placeholders for atoms included) the way
/// Python-Markdown applies an inline processor; returns the text with placeholders
/// for the elements, which live in the returned arena.
pub(crate) fn apply(specs: &[Spec], data: Vec<char>, atoms: usize) -> (Vec<char>, Arena) {
    // Atoms keep their placeholder numbers: the stash starts with them.
    let stash = (0..atoms).map(Err).collect();
    // Most runs hold no token character: the processor would find no call to make and
    // hand the text back as it is (without it being set up per run).
    if !data.iter().any(|&c| specs.iter().any(|s| s.token == c)) {
        let arena = Arena {
            stash,
            ..Arena::default()
        };
        return (data, arena);
    }
    let mut p = Processor::new(specs);
    p.arena.stash = stash;
    let out = p.handle_inline(Text::plain(data));
    (out, p.arena)
}
