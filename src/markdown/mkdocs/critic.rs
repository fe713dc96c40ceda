//! pymdownx.critic: CriticMarkup (`{++ins++}`, `{--del--}`, `{~~old~>new~~}`,
//! `{==mark==}`, `{>>comment<<}`) as a pre-pass on the page's text, as the extension's
//! preprocessor does it: marks are found left to right (they do not nest) and become
//! HTML tags around their Markdown (`view`), or are resolved (`accept`, `reject`). A
//! tag alone in its paragraph is a block (`class="critic block"`), as its postprocessor
//! writes it.

use serde_yaml::Value;

use super::Line;

/// pymdownx.critic's `mode`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Critic {
    View,
    Accept,
    Reject,
}

impl Critic {
    pub(super) fn read(options: &Value) -> Critic {
        match options.get("mode").and_then(Value::as_str) {
            Some("accept") => Critic::Accept,
            Some("reject") => Critic::Reject,
            _ => Critic::View,
        }
    }
}

const KINDS: [&str; 5] = ["++", "--", "==", ">>", "~~"];

fn closer(kind: &str) -> &'static str {
    match kind {
        "++" => "++}",
        "--" => "--}",
        "==" => "==}",
        ">>" => "<<}",
        _ => "~~}",
    }
}

/// A mark: where it starts and ends in the text, its kind, text and (`~~`) new text.
struct Mark<'t> {
    start: usize,
    end: usize,
    kind: &'static str,
    text: &'t str,
    sub: &'t str,
}

/// The marks of `text`, as `find_critics` finds them (an opener whose closer is missing
/// makes every later opener of its kind dead: linear time on unclosed input).
fn marks(text: &str) -> Vec<Mark<'_>> {
    let mut out = Vec::new();
    let mut dead: Vec<&str> = Vec::new();
    let mut pos = 0;
    while let Some(i) = text[pos..].find('{') {
        let start = pos + i;
        let Some(kind) = KINDS.into_iter().find(|k| text[start + 1..].starts_with(k)) else {
            pos = start + 1;
            continue;
        };
        pos = start + 3;
        if dead.contains(&kind) {
            continue;
        }
        let found = if kind == "~~" {
            text[pos..].find("~>").and_then(|m| {
                let mid = pos + m;
                let close = mid + 2 + text[mid + 2..].find("~~}")?;
                Some((&text[pos..mid], &text[mid + 2..close], close + 3))
            })
        } else {
            let close = text[pos..].find(closer(kind)).map(|c| pos + c);
            close.map(|c| (&text[pos..c], "", c + 3))
        };
        match found {
            Some((t, sub, end)) => {
                out.push(Mark {
                    start,
                    end,
                    kind,
                    text: t,
                    sub,
                });
                pos = end;
            }
            None => {
                dead.push(kind);
                if dead.len() == KINDS.len() {
                    break;
                }
            }
        }
    }
    out
}

/// Generated tags are wrapped in these until blocks are told apart (see `blocks`).
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{4}';

fn tag(html: &str) -> String {
    format!("{OPEN}{html}{CLOSE}")
}

/// Only line ends, at least two: the mark spans a paragraph break.
fn is_break(t: &str) -> bool {
    t.len() >= 2 && t.chars().all(|c| c == '\n')
}

fn view(m: &Mark<'_>) -> String {
    let pair = |name: &str, t: &str| {
        if is_break(t) && name != "mark" {
            let html = tag(&format!(r#"<{name} class="critic break">&nbsp;</{name}>"#));
            return if name == "ins" {
                format!("\n\n{html}\n\n")
            } else {
                html
            };
        }
        format!(
            "{}{t}{}",
            tag(&format!(r#"<{name} class="critic">"#)),
            tag(&format!("</{name}>"))
        )
    };
    match m.kind {
        "++" => pair("ins", m.text),
        "--" => pair("del", m.text),
        "==" => pair("mark", m.text),
        "~~" => pair("del", m.text) + &pair("ins", m.sub),
        _ => tag(&format!(
            r#"<span class="critic comment">{}</span>"#,
            escape(m.text)
        )),
    }
}

/// A comment's text as HTML that no Markdown reads: punctuation as character references.
fn escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 16);
    for c in t.chars() {
        match c {
            '\n' => out.push(' '),
            c if c.is_ascii_punctuation() => out.push_str(&format!("&#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn resolve(m: &Mark<'_>, accept: bool) -> String {
    match (m.kind, accept) {
        ("++", true) | ("--", false) | ("==", _) => m.text.to_string(),
        ("~~", true) => m.sub.to_string(),
        ("~~", false) => m.text.to_string(),
        _ => String::new(),
    }
}

/// The pass (see the module comment).
pub(super) fn apply(lines: Vec<Line>, mode: Critic) -> Vec<Line> {
    let has_marks = lines
        .iter()
        .any(|l| KINDS.iter().any(|k| l.text.contains(&format!("{{{k}"))));
    if !has_marks {
        return lines;
    }
    let text = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // The input line each byte offset is on.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_at = |at: usize| starts.partition_point(|&s| s <= at) - 1;
    let mut out = String::with_capacity(text.len() + 64);
    // Per output line: the input line it maps to.
    let mut map = vec![0];
    let copy = |out: &mut String, map: &mut Vec<usize>, s: &str, from: usize, own: bool| {
        for (i, c) in s.char_indices() {
            out.push(c);
            if c == '\n' {
                map.push(if own {
                    line_at(from + i + 1)
                } else {
                    line_at(from)
                });
            }
        }
    };
    let mut last = 0;
    for m in marks(&text) {
        copy(&mut out, &mut map, &text[last..m.start], last, true);
        let made = match mode {
            Critic::View => view(&m),
            Critic::Accept => resolve(&m, true),
            Critic::Reject => resolve(&m, false),
        };
        copy(&mut out, &mut map, &made, m.start, false);
        last = m.end;
    }
    copy(&mut out, &mut map, &text[last..], last, true);
    let texts: Vec<&str> = out.split('\n').collect();
    let mut result = Vec::with_capacity(texts.len());
    for i in 0..texts.len() {
        for part in blocks(&texts, i).split('\n') {
            result.push(lines[map[i]].derived(part.to_string()));
        }
    }
    result
}

/// Line `i` with its generated tags unwrapped; tags alone in their paragraph get the
/// `block` class (`break` ones excepted).
fn blocks(texts: &[&str], i: usize) -> String {
    let t = texts[i];
    if !t.contains(OPEN) {
        return t.to_string();
    }
    let blank = |j: Option<usize>| {
        j.and_then(|j| texts.get(j))
            .is_none_or(|l| l.trim().is_empty())
    };
    let alone = t.starts_with(OPEN)
        && t.ends_with(CLOSE)
        && t.split(CLOSE).all(|p| p.is_empty() || p.starts_with(OPEN))
        && blank(i.checked_sub(1))
        && blank(Some(i + 1));
    let mut s = t.replace([OPEN, CLOSE], "");
    if alone {
        s = s.replace(r#" class="critic">"#, r#" class="critic block">"#);
        // A tag alone on its line starts a raw HTML block (no `<p>` around it, as the
        // extension's postprocessor takes it out); one with content after it does not.
        if let Some(end) = s.find('>').filter(|&e| e + 1 < s.len()) {
            s.insert(end + 1, '\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, mode: Critic) -> String {
        let lines = apply(Line::numbered(text), mode);
        lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn marks_in_view_accept_and_reject() {
        let md = "a {++new++} {--old--} {~~x~>y~~} {==hi==}{>>*note*<<} {++open";
        assert_eq!(
            run(md, Critic::View),
            "a <ins class=\"critic\">new</ins> <del class=\"critic\">old</del> \
             <del class=\"critic\">x</del><ins class=\"critic\">y</ins> \
             <mark class=\"critic\">hi</mark><span class=\"critic comment\">&#42;note&#42;</span> {++open"
        );
        assert_eq!(run(md, Critic::Accept), "a new  y hi {++open");
        assert_eq!(run(md, Critic::Reject), "a  old x hi {++open");
    }

    #[test]
    fn a_mark_around_blocks_is_a_block() {
        assert_eq!(
            run("{--\n\n* a\n\n--}\n", Critic::View),
            "<del class=\"critic block\">\n\n* a\n\n</del>\n"
        );
        assert_eq!(
            run("a\n\n{++\n\n++}\n\nb", Critic::View),
            "a\n\n\n\n<ins class=\"critic break\">\n&nbsp;</ins>\n\n\n\nb"
        );
        assert_eq!(
            run("a{~~\n\n~>  ~~}b", Critic::View),
            "a<del class=\"critic break\">&nbsp;</del><ins class=\"critic\">  </ins>b"
        );
    }
}
