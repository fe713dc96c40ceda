//! From regions to elements, and the calls Python-Markdown makes (see `delimiters.rs`):
//! all regions of one pairing pass are built at once and handed out one per call.

use super::delimiters::Processor;
use super::pair::Outcome;
use super::tree::Text;

impl Processor {
    /// Python-Markdown's inline loop for this one processor: a call at each token; an
    /// element replaces its span with a placeholder, after its children's tails have
    /// been through the processor in turn.
    pub(super) fn handle_inline(&mut self, text: Text) -> Vec<char> {
        let Text {
            chars: mut data,
            mut evaluated,
        } = text;
        let mut start = 0;
        while let Some(pos) = (start..data.len()).find(|&i| self.is_token(data[i])) {
            let (el, s, e) = self.handle_match(pos, &data, evaluated);
            let Some(el) = el.filter(|_| s <= e && e <= data.len()) else {
                start = e.max(pos + 1);
                continue;
            };
            let children = self.arena.els[el].children.clone();
            for child in children {
                if let Some(tail) = self.arena.els[child].tail.take() {
                    let done = if tail.chars.is_empty() {
                        tail
                    } else {
                        Text::plain(self.handle_inline(tail))
                    };
                    self.arena.els[child].tail = Some(done);
                }
            }
            let placeholder = self.arena.stash(Ok(el));
            let after = s + placeholder.len();
            data.splice(s..e, placeholder);
            evaluated = false;
            start = after;
        }
        data
    }

    /// The next built element, moved by how far the text has shifted since.
    pub(super) fn cached(&mut self, pos: Option<usize>) -> Outcome {
        let (el, start, end, anchor) = self.cache[self.cache_index];
        let offset = pos.map_or(0, |p| p as isize - self.cache_pos as isize);
        self.cache_index += 1;
        if self.cache_index < self.cache.len() {
            self.cache_pos = anchor;
        } else {
            self.reset();
        }
        let s = (start as isize + offset).max(0) as usize;
        let e = (end as isize + offset).max(0) as usize;
        (Some(el), s, e)
    }

    /// Builds the elements of all regions found, and where each next call will land.
    pub(super) fn build_cache(&mut self, data: &[char]) {
        let mut index = 0;
        let mut position = 0;
        while index < self.regions.len() {
            let (el, count) = self.build_element(data, index);
            let (start, end) = (self.regions[index].0, self.regions[index].3);
            let anchor = if data.get(end).is_some_and(|&c| self.is_token(c)) {
                end
            } else {
                position += self.positions[position.min(self.positions.len())..]
                    .partition_point(|&p| p < end);
                self.positions.get(position).copied().unwrap_or(end)
            };
            self.cache.push((el, start, end, anchor));
            index += count.max(1);
        }
        self.regions.clear();
        self.positions.clear();
        self.cache_index = 0;
    }

    /// The element of region `start` with the regions nested in it; how many it took.
    fn build_element(&mut self, data: &[char], start: usize) -> (usize, usize) {
        let slice = |a: usize, b: usize| data.get(a..b.max(a)).unwrap_or_default().to_vec();
        let evaluated = |chars: Vec<char>| Text {
            chars,
            evaluated: true,
        };
        let regions = self.regions.clone();
        let mut outer: Vec<usize> = Vec::new();
        let mut outer_r = Vec::new();
        let (mut last, mut previous) = (usize::MAX, regions[start]);
        let mut idx = 0;
        for (n, i) in (start..regions.len()).enumerate() {
            idx = n + 1;
            let r = regions[i];
            if r.0 >= regions[start].3 {
                idx -= 1;
                break;
            }
            let tag = if r.5 == 2 { r.4 .0 } else { r.4 .1 };
            let el1 = self.arena.new_el(tag);
            if idx > 1 {
                let els = &mut self.arena.els;
                if els[last].text.is_none() {
                    let to = if previous.2 < r.0 { previous.2 } else { r.0 };
                    els[last].text = Some(Text::plain(slice(previous.1, to)));
                }
                let top = *outer.last().expect("an outer element");
                let top_r: (usize, usize, usize, usize, _, _) =
                    *outer_r.last().expect("its region");
                if last != top && els[last].tail.is_none() {
                    if r.0 < top_r.3 {
                        els[last].tail = Some(evaluated(slice(previous.3, r.0)));
                    } else {
                        els[last].tail = Some(evaluated(slice(previous.3, top_r.2)));
                        els[top].tail = Some(evaluated(slice(top_r.3, r.0)));
                    }
                }
            }
            if outer.is_empty() {
                outer.push(el1);
                outer_r.push(r);
            } else {
                while outer_r.len() > 1 && r.3 > outer_r.last().expect("outer").3 {
                    outer.pop();
                    outer_r.pop();
                }
                let parent = *outer.last().expect("outer");
                self.arena.els[parent].children.push(el1);
                if i + 1 < regions.len() && r.3 > regions[i + 1].3 {
                    outer.push(el1);
                    outer_r.push(r);
                }
            }
            last = el1;
            previous = r;
        }
        let root = outer[0];
        while let Some(top) = outer.pop() {
            let top_r = outer_r.pop().expect("paired with outer");
            let els = &mut self.arena.els;
            if els[last].text.is_none() {
                els[last].text = Some(Text::plain(slice(previous.1, previous.2)));
            }
            if els[last].tail.is_none() && last != top {
                els[last].tail = Some(evaluated(slice(previous.3, top_r.2)));
            }
            last = top;
            previous = top_r;
        }
        (root, idx)
    }
}
