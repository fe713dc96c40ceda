//! pymdownx.progressbar: `[=85% "Label"]{: .class }` or `[== 3/4]` as Python's pattern
//! reads it (a percentage up to 100 or a fraction, an optional quoted label, an optional
//! attribute list for the bar), written as its `<div class="progress …">`.

use pulldown_cmark::{CowStr, Event};
use serde_yaml::Value;

use super::magiclink::Found;
use crate::icons::html_escape;
use crate::markdown::mkdocs::attrs::{inline_match, scan, Attrs};

/// The extension's options.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressBar {
    pub level_class: bool,
    pub increment: f64,
    pub add_classes: String,
}

impl ProgressBar {
    pub(super) fn read(options: &Value) -> ProgressBar {
        ProgressBar {
            level_class: options
                .get("level_class")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            increment: options
                .get("progress_increment")
                .and_then(Value::as_f64)
                .filter(|&i| i > 0.0)
                .unwrap_or(20.0),
            add_classes: options
                .get("add_classes")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        }
    }
}

/// A cursor over the run's characters.
struct Cur<'c> {
    c: &'c [char],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }
    fn eat(&mut self, want: char) -> bool {
        let ok = self.peek() == Some(want);
        self.i += ok as usize;
        ok
    }
    fn spaces(&mut self) -> usize {
        let from = self.i;
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
        self.i - from
    }
    fn digits(&mut self) -> usize {
        let from = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - from
    }
    /// `\d+(\.\d+)?` as a number.
    fn number(&mut self) -> Option<f64> {
        let from = self.i;
        if self.digits() == 0 {
            return None;
        }
        let before_dot = self.i;
        if !(self.eat('.') && self.digits() > 0) {
            self.i = before_dot;
        }
        self.c[from..self.i].iter().collect::<String>().parse().ok()
    }
}

/// `100(\.0+)?%` or `[1-9]?[0-9](\.\d+)?%` at the cursor.
fn percent(cur: &mut Cur<'_>) -> Option<f64> {
    let from = cur.i;
    let n = cur.number()?;
    let text: String = cur.c[from..cur.i].iter().collect();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let ok = if int == "100" {
        frac.chars().all(|c| c == '0')
    } else {
        int.len() <= 2 && !(int.len() == 2 && int.starts_with('0'))
    };
    (ok && cur.eat('%')).then_some(n).or_else(|| {
        cur.i = from;
        None
    })
}

/// ` "label"` (the first matching quote that `\s*]` follows), its text.
fn label(cur: &mut Cur<'_>) -> Option<String> {
    let from = cur.i;
    if cur.spaces() > 0 {
        if let Some(q) = cur.peek().filter(|&q| q == '"' || q == '\'') {
            let open = cur.i;
            for j in open + 1..cur.c.len() {
                if cur.c[j] == '\n' {
                    break;
                }
                if cur.c[j] == q {
                    let mut after = Cur { c: cur.c, i: j + 1 };
                    after.spaces();
                    if after.peek() == Some(']') {
                        cur.i = j + 1;
                        return Some(cur.c[open + 1..j].iter().collect());
                    }
                }
            }
        }
    }
    cur.i = from;
    None
}

/// The bar at `chars[i]`: its value, label, attribute list and end.
fn bar_at(chars: &[char], i: usize) -> Option<(f64, String, Option<String>, usize)> {
    let mut cur = Cur { c: chars, i };
    if !(cur.eat('[') && cur.eat('=')) {
        return None;
    }
    while cur.eat('=') {}
    cur.spaces();
    let value = match percent(&mut cur) {
        Some(p) => p,
        None => {
            let num = cur.number()?;
            cur.spaces();
            if !cur.eat('/') {
                return None;
            }
            cur.spaces();
            let den = cur.number()?;
            if den == 0.0 {
                0.0
            } else {
                num / den * 100.0
            }
        }
    };
    let label = label(&mut cur).unwrap_or_default();
    cur.spaces();
    if !cur.eat(']') {
        return None;
    }
    let mut list = None;
    if cur.peek() == Some('{') {
        if let Some(close) = chars[cur.i..].iter().position(|&c| c == '}') {
            list = Some(chars[cur.i..=cur.i + close].iter().collect());
            cur.i += close + 1;
        }
    }
    Some((value.min(100.0), label, list, cur.i))
}

fn html(o: &ProgressBar, value: f64, label: &str, list: Option<&str>) -> String {
    let mut classes: Vec<String> = std::iter::once("progress".to_string())
        .chain(o.add_classes.split_whitespace().map(str::to_string))
        .collect();
    if o.level_class {
        classes.push(format!(
            "progress-{}plus",
            (value - value % o.increment) as i64
        ));
    }
    classes.sort();
    classes.dedup();
    let mut attrs = Attrs::default();
    attrs.set("class", Some(classes.join(" ")));
    if let Some((inside, _)) = list.and_then(inline_match) {
        attrs.assign(scan(inside).0);
    }
    format!(
        "<div{}>\n<div class=\"progress-bar\" style=\"width:{value:.2}%\">\n<p class=\"progress-label\">{}</p>\n</div>\n</div>",
        attrs.html(),
        html_escape(label)
    )
}

/// The next progress bar in `chars` at or after `from`.
pub(crate) fn next_bar<'a>(
    o: &ProgressBar,
    chars: &[char],
    from: usize,
    at: usize,
) -> Option<Found<'a>> {
    (from..chars.len())
        .filter(|&i| chars[i] == '[')
        .find_map(|i| {
            let (value, label, list, end) = bar_at(chars, i)?;
            let html = html(o, value, &label, list.as_deref());
            Some(Found {
                start: i,
                end,
                events: vec![(Event::InlineHtml(CowStr::from(html)), at)],
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        let o = ProgressBar::read(&Value::Null);
        next_bar(&o, &chars, 0, 0).map(|f| match &f.events[0].0 {
            Event::InlineHtml(h) => h.replace('\n', ""),
            _ => unreachable!(),
        })
    }

    #[test]
    fn bars_as_pymdownx_reads_them() {
        assert_eq!(
            first(r#"a [=45% "Half 'way'"]{: .gloss} b"#).as_deref(),
            Some(
                r#"<div class="progress progress-40plus gloss"><div class="progress-bar" style="width:45.00%"><p class="progress-label">Half &#39;way&#39;</p></div></div>"#
            )
        );
        assert!(first("[== 3/0]").unwrap().contains("width:0.00%"));
        assert!(first("[= 300/100]").unwrap().contains("progress-100plus"));
        assert_eq!(first("[=101%]"), None);
        assert_eq!(first("[=05%]"), None);
        assert_eq!(first("[link](x)"), None);
    }
}
