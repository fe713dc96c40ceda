//! The pairing steps of the delimiter processor (see `delimiters.rs`): from an opener,
//! runs are read left to right; closers consume openers on their character's stack.

use super::boundary::{Kind, Run, ETX};
use super::delimiters::{rule_of_3, Entry, Processor};

/// What one call at a token gives: an element (arena index) to put at `start..end`,
/// or `None` to step past `start..end`.
pub(crate) type Outcome = (Option<usize>, usize, usize);

/// The state of the run being read in the pairing loop.
struct Cursor {
    di: usize,
    m: Run,
    start: usize,
    end: usize,
    current: usize,
    last: usize,
    is_start: bool,
    is_end: bool,
    is_amb: bool,
}

enum Step {
    /// Go on to the next step for this run.
    Next,
    /// Go on with the next run.
    Skip,
    /// Stop pairing.
    Stop,
}

impl Processor {
    /// A call at the token at `pos` (Python-Markdown's `handleMatch`).
    pub(super) fn handle_match(&mut self, pos: usize, data: &[char], evaluated: bool) -> Outcome {
        let remainder = self.remainder.take();
        let out = self.match_at(pos, data, evaluated, remainder);
        if let (Some(_), _, end) = out {
            // The rest of a closing run the element did not use follows its placeholder,
            // which hides what preceded the run: remember that for the next call.
            if end > 0 && end < data.len() && data[end] == data[end - 1] {
                let mut run = end - 1;
                while run > 0 && data[run - 1] == data[end] {
                    run -= 1;
                }
                if run > 0 {
                    self.remainder = Some((data[end], data[run - 1]));
                }
            }
        }
        out
    }

    fn match_at(
        &mut self,
        pos: usize,
        data: &[char],
        evaluated: bool,
        remainder: Option<(char, char)>,
    ) -> Outcome {
        if !self.cache.is_empty() && evaluated {
            let (s, e) = Processor::bad(data, pos);
            return (None, s, e);
        }
        if !self.cache.is_empty() {
            return self.cached(Some(pos));
        }
        let m2 = match remainder {
            Some((tok, prev)) if pos > 0 && data[pos - 1] == ETX && data[pos] == tok => {
                let mut text = data.to_vec();
                text[pos - 1] = prev;
                self.boundary(&text, pos)
            }
            _ => self.boundary(data, pos),
        };
        let m2 = match m2 {
            Some(m) if m.kind != Kind::End => m,
            Some(m) => return (None, m.start, m.end),
            None => {
                let (s, e) = Processor::bad(data, pos);
                return (None, s, e);
            }
        };
        let di = self.index_of(data[pos]);
        let l = m2.end - m2.start;
        if self.delims[di].double && l < 2 {
            return (None, pos, pos + 1);
        }
        let is_amb = m2.kind != Kind::Start;
        self.delims[di]
            .stack
            .push((m2.start, m2.start + l, is_amb, l, l));
        self.delims[di].track(l, 1);
        self.pair_from(data, m2.end);
        self.finish(data, pos)
    }

    /// Pairs runs after `end` until no stack holds an opener or no run is left.
    fn pair_from(&mut self, data: &[char], mut end: usize) {
        while self.any_stack() {
            let Some(m) = self.search(data, end) else {
                break;
            };
            end = m.end;
            let di = self.index_of(data[m.start]);
            let is_start = m.kind != Kind::End;
            let is_end = !is_start || m.kind != Kind::Start;
            let mut c = Cursor {
                di,
                m,
                start: m.start,
                end: m.end,
                current: m.end - m.start,
                last: self.delims[di].stack.last().map_or(0, |e| e.4),
                is_start,
                is_end,
                is_amb: is_start && is_end,
            };
            self.rule_of_three(data, &mut c);
            self.close_equal_or_longer(data, &mut c);
            match self.close_shorter(data, &mut c) {
                Step::Stop => break,
                Step::Skip => continue,
                Step::Next => {}
            }
            if let Step::Stop = self.open(data, &mut c) {
                break;
            }
        }
    }

    /// An ambiguous closer the rule of three keeps from the top opener may still pair
    /// with an equal one deeper in the stack: drop the openers above it.
    fn rule_of_three(&mut self, _data: &[char], c: &mut Cursor) {
        let token = self.delims[c.di].rules.token;
        let stack = &self.delims[c.di].stack;
        let Some(top) = stack.last() else { return };
        if !(c.is_amb && c.current != c.last && rule_of_3(top.3, c.current)) {
            return;
        }
        let key = (token, c.current);
        let mut lowest = 0;
        if let Some(&(depth, entry)) = self.searched.get(&key) {
            if depth < stack.len() && depth > 0 && stack[depth - 1] == entry {
                lowest = depth;
            }
        }
        let len = stack.len();
        let found = (lowest..len.saturating_sub(1))
            .rev()
            .find(|&i| stack[i].4 == c.current && !rule_of_3(stack[i].3, c.current));
        match found {
            Some(i) => {
                while self.delims[c.di].stack.len() > i + 1 {
                    let e = self.delims[c.di].stack.pop().expect("above i");
                    self.delims[c.di].track(e.4, -1);
                }
                c.last = c.current;
            }
            None if len > 1 => {
                let entry = self.delims[c.di].stack[len - 2];
                self.searched.insert(key, (len - 1, entry));
            }
            None => {}
        }
    }

    /// A closer at least as long as the top opener consumes openers until it is used up.
    fn close_equal_or_longer(&mut self, data: &[char], c: &mut Cursor) {
        let Some(&furthest) = self.delims[c.di].stack.last() else {
            return;
        };
        let fits = (c.current > c.last && (!c.is_amb || !rule_of_3(furthest.3, c.current)))
            || c.current == c.last
            || c.current >= 3;
        if !(c.is_end && fits) {
            return;
        }
        c.is_start = false;
        let original = c.current;
        while !self.delims[c.di].stack.is_empty() && c.current > 0 && c.last <= c.current {
            let Some(opener) = self.usable_opener(data, c) else {
                if self.others_stacked(c.di) {
                    self.delims[c.di].reset();
                    continue;
                }
                self.delims[c.di].stack.push(furthest);
                break;
            };
            self.consume(c, opener);
            if self.delims[c.di].stack.is_empty() {
                if self.others_stacked(c.di) {
                    self.delims[c.di].reset();
                    continue;
                }
                c.is_end = false;
                break;
            }
            c.last = self.delims[c.di].stack.last().map_or(0, |e| e.4);
        }
        if original >= 3 && c.current > 0 && c.is_amb {
            // What is left of a long ambiguous run opens anew.
            let entry = (
                c.m.start + (original - c.current),
                c.end,
                false,
                original,
                c.current,
            );
            self.delims[c.di].stack.push(entry);
            self.delims[c.di].track(c.current, 1);
            c.is_end = false;
        } else {
            let top = self.delims[c.di].stack.last().map_or(0, |e| e.4);
            c.is_end = c.current > 0 && top > 0 && c.last > c.current;
            if self.delims[c.di].stack.is_empty() {
                c.is_end = false;
            }
        }
    }

    /// Pops the opener the closer pairs with; under "no space", one whose content has
    /// white space is passed over for a deeper one. `None`: nothing usable.
    fn usable_opener(&mut self, data: &[char], c: &mut Cursor) -> Option<Entry> {
        let mut opener = self.delims[c.di].stack.pop()?;
        if !self.delims[c.di].no_space {
            return Some(opener);
        }
        loop {
            let d = &self.delims[c.di];
            let strict = d.space_track != 0 || d.single || c.current == 1;
            let okay = !(strict && self.check_space(data, opener.1, c.start));
            self.delims[c.di].track(opener.4, -1);
            if okay {
                return Some(opener);
            }
            match self.delims[c.di].stack.pop() {
                Some(next) => {
                    opener = next;
                    c.last = opener.4;
                }
                None => return None,
            }
        }
    }

    /// Pairs the closer with `opener`: a region of the largest size both allow.
    fn consume(&mut self, c: &mut Cursor, opener: Entry) {
        let d = &self.delims[c.di];
        let size = opener.4.min(d.max_size);
        let double = d.double;
        self.add_region(
            c.di,
            opener.1 - size,
            opener.1,
            c.start,
            c.start + size,
            size,
        );
        c.start += size;
        c.current -= size;
        if size < opener.4 && (!double || opener.4 - size != 1) {
            let new = opener.4 - size;
            let entry = (opener.0, opener.1 - size, opener.2, opener.3, new);
            self.delims[c.di].stack.push(entry);
            self.delims[c.di].track(new, 1);
        }
    }

    /// A closer shorter than the top opener takes part of it (`***strong**`, `**em*`).
    fn close_shorter(&mut self, data: &[char], c: &mut Cursor) -> Step {
        if self.delims[c.di].stack.is_empty()
            || !c.is_end
            || (c.last < 3 && c.is_amb)
            || c.last <= c.current
        {
            return Step::Next;
        }
        let mut opener = self.delims[c.di].stack.pop().expect("not empty");
        while !self.delims[c.di].stack.is_empty() && opener.4 != 3 && opener.2 {
            self.delims[c.di].track(opener.4, -1);
            opener = self.delims[c.di].stack.pop().expect("not empty");
            c.last = opener.4;
        }
        if opener.2 && opener.4 != 3 {
            if self.others_stacked(c.di) {
                self.delims[c.di].reset();
                return Step::Skip;
            }
            return Step::Stop;
        }
        let d = &self.delims[c.di];
        if d.no_space && (c.current == 1 || d.single) && self.check_space(data, opener.1, c.start) {
            self.delims[c.di].stack.push(opener);
            return Step::Next;
        }
        self.delims[c.di].track(opener.4, -1);
        c.is_start = false;
        let (ds, mut de) = (opener.0, opener.1);
        let (double, max) = (self.delims[c.di].double, self.delims[c.di].max_size);
        while c.current > 0 && (!double || c.current != 1) {
            let size = c.current.min(max);
            let new = c.last.saturating_sub(size);
            self.add_region(c.di, ds + new, de, c.start, c.start + size, size);
            c.start += size;
            c.current -= size;
            c.last = c.last.saturating_sub(size);
            de = de.saturating_sub(size);
        }
        if c.last > 0 && (!double || c.last > 1) {
            self.delims[c.di]
                .stack
                .push((ds, de, false, opener.3, c.last));
            self.delims[c.di].track(c.last, 1);
        }
        Step::Next
    }

    /// A run that can open is pushed, unless "no space" already rules out its pair.
    fn open(&mut self, data: &[char], c: &mut Cursor) -> Step {
        let d = &self.delims[c.di];
        if !c.is_start || (d.double && c.current == 1) {
            return Step::Next;
        }
        if d.no_space && (d.space_track != 0 || d.single) {
            if let Some(&top) = d.stack.last() {
                let (strict, single) = (d.space_track > 1 || d.singles != 0, d.single);
                if self.check_space(data, top.1, c.start) {
                    if strict || single {
                        if !self.others_stacked(c.di) {
                            return Step::Stop;
                        }
                        self.delims[c.di].reset();
                    }
                    return Step::Skip;
                }
            }
        }
        let entry = (c.start, c.end, c.is_amb, c.current, c.current);
        self.delims[c.di].stack.push(entry);
        self.delims[c.di].track(c.current, 1);
        Step::Next
    }

    /// After pairing: the elements for the regions found, or a span to step past.
    fn finish(&mut self, data: &[char], pos: usize) -> Outcome {
        let mut left: Vec<Entry> = Vec::new();
        for d in &self.delims {
            left.extend(d.stack.iter().copied());
        }
        self.stack.extend(left);
        self.stack.sort_by_key(|e| e.0);
        if !self.regions.is_empty() {
            self.regions.sort_by_key(|r| r.0);
            self.build_cache(data);
            return self.cached(None);
        }
        let end = match self.stack.last() {
            Some(e) if self.stack.len() > 1 => e.1,
            _ => pos + 1,
        };
        self.reset();
        (None, pos, end.max(pos + 1))
    }
}
