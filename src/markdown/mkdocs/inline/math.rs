//! pymdownx.arithmatex's markup for the math the parser finds (`$…$`, `$$…$$`): by
//! default MathJax 2's `<script type="math/tex">` (with a preview), with `generic: true`
//! the TeX wrapped in `\(…\)` / `\[…\]` (or `tex_inline_wrap` / `tex_block_wrap`) for
//! any client-side renderer. `$$…$$` alone in a paragraph is a block (`<div>`); inside
//! text it is, as in pymdownx, a `$` around inline math.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde_yaml::Value;

use super::magiclink::Found;
use super::run::Events;
use super::tree::{read_placeholder, Placeholder};
use crate::icons::html_escape;

/// arithmatex's output options.
#[derive(Debug, Clone, PartialEq)]
pub struct Arithmatex {
    pub generic: bool,
    pub preview: bool,
    pub inline_wrap: (String, String),
    pub block_wrap: (String, String),
    pub inline_tag: String,
    pub block_tag: String,
}

impl Default for Arithmatex {
    fn default() -> Arithmatex {
        Arithmatex {
            generic: false,
            preview: true,
            inline_wrap: (r"\(".into(), r"\)".into()),
            block_wrap: (r"\[".into(), r"\]".into()),
            inline_tag: "span".into(),
            block_tag: "div".into(),
        }
    }
}

fn pair(v: Option<&Value>, default: (String, String)) -> (String, String) {
    match v.and_then(Value::as_sequence).map(Vec::as_slice) {
        Some([a, b]) => match (a.as_str(), b.as_str()) {
            (Some(a), Some(b)) => (a.to_string(), b.to_string()),
            _ => default,
        },
        _ => default,
    }
}

impl Arithmatex {
    pub fn read(options: &Value) -> Arithmatex {
        let d = Arithmatex::default();
        let flag = |k: &str, d: bool| options.get(k).and_then(Value::as_bool).unwrap_or(d);
        let text = |k: &str, d: String| {
            options
                .get(k)
                .and_then(Value::as_str)
                .map_or(d, str::to_string)
        };
        Arithmatex {
            generic: flag("generic", d.generic),
            preview: flag("preview", d.preview),
            inline_wrap: pair(options.get("tex_inline_wrap"), d.inline_wrap),
            block_wrap: pair(options.get("tex_block_wrap"), d.block_wrap),
            inline_tag: text("inline_tag", d.inline_tag),
            block_tag: text("block_tag", d.block_tag),
        }
    }

    fn inline(&self, m: &str) -> String {
        let (tag, m) = (&self.inline_tag, html_escape(m));
        if self.generic {
            let (open, close) = &self.inline_wrap;
            return format!(r#"<{tag} class="arithmatex">{open}{m}{close}</{tag}>"#);
        }
        let preview = if self.preview {
            format!(r#"<span class="MathJax_Preview">{m}</span>"#)
        } else {
            String::new()
        };
        format!(
            r#"<{tag} class="arithmatex">{preview}<script type="math/tex">{m}</script></{tag}>"#
        )
    }

    fn block(&self, m: &str) -> String {
        let (tag, m) = (&self.block_tag, html_escape(m));
        if self.generic {
            let (open, close) = &self.block_wrap;
            return format!("<{tag} class=\"arithmatex\">{open}{m}{close}</{tag}>\n");
        }
        let preview = if self.preview {
            format!("<div class=\"MathJax_Preview\">{m}</div>\n")
        } else {
            String::new()
        };
        format!(
            "<{tag} class=\"arithmatex\">\n{preview}<script type=\"math/tex; mode=display\">{m}</script>\n</{tag}>\n"
        )
    }
}

/// The math events of `events` as arithmatex writes them.
pub(crate) fn math<'a>(events: Events<'a>, a: &Arithmatex) -> Events<'a> {
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let at = events[i].1;
        match &events[i..] {
            [(Event::Start(Tag::Paragraph), _), (Event::DisplayMath(m), _), (Event::End(TagEnd::Paragraph), _), ..] =>
            {
                out.push((Event::Html(CowStr::from(a.block(m))), at));
                i += 3;
                continue;
            }
            [(Event::InlineMath(m), _), ..] => {
                out.push((Event::InlineHtml(CowStr::from(a.inline(m))), at));
            }
            [(Event::DisplayMath(m), _), next, ..] if alone_in_item(out.last(), next) => {
                out.push((Event::Html(CowStr::from(a.block(m))), at));
            }
            [(Event::DisplayMath(m), _), ..] => {
                let html = format!("${}$", a.inline(m));
                out.push((Event::InlineHtml(CowStr::from(html)), at));
            }
            _ => out.push(events[i].clone()),
        }
        i += 1;
    }
    out
}

/// The source text of `chars`: escaped characters back as `\c` (Python-Markdown's
/// arithmatex reads math before escapes are applied). None when an atom (code, a link)
/// is inside.
fn raw(chars: &[char]) -> Option<String> {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        match read_placeholder(chars, i) {
            Some((Placeholder::Escaped(c), next)) => {
                out.push('\\');
                out.push(c);
                i = next;
            }
            Some((Placeholder::Stash(_), _)) => return None,
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    Some(out)
}

/// Whether `chars[i..]` starts with the escaped character `c` (`\(` in the source).
fn escaped_at(chars: &[char], i: usize, c: char) -> Option<usize> {
    match read_placeholder(chars, i) {
        Some((Placeholder::Escaped(e), next)) if e == c => Some(next),
        _ => None,
    }
}

/// The next `\(…\)` (arithmatex's `round` inline syntax) at or after `from`.
pub(crate) fn next_round<'a>(
    a: &Arithmatex,
    chars: &[char],
    from: usize,
    at: usize,
) -> Option<Found<'a>> {
    let mut i = from;
    while i < chars.len() {
        let Some(body) = escaped_at(chars, i, '(') else {
            i += 1;
            continue;
        };
        let close = (body..chars.len()).find(|&k| escaped_at(chars, k, ')').is_some());
        if let Some(end) = close.filter(|&e| e > body) {
            if let Some(m) = raw(&chars[body..end]) {
                let stop = escaped_at(chars, end, ')').unwrap_or(end);
                let html = CowStr::from(a.inline(&m));
                return Some(Found {
                    start: i,
                    end: stop,
                    events: vec![(Event::InlineHtml(html), at)],
                });
            }
        }
        i = body;
    }
    None
}

/// The math of a block that is all `\[…\]` or `\begin{env}…\end{env}` (arithmatex's
/// `square` and `begin` block syntax), as the display math the parser gives `$$…$$`.
pub(crate) fn whole_block(chars: &[char]) -> Option<String> {
    let n = chars.len() - chars.iter().rev().take_while(|c| **c == ' ').count();
    let chars = &chars[..n];
    if let Some(body) = escaped_at(chars, 0, '[') {
        let end = (body..chars.len())
            .rev()
            .find(|&k| escaped_at(chars, k, ']').is_some())?;
        return (escaped_at(chars, end, ']')? == chars.len() && end > body)
            .then(|| raw(&chars[body..end]))
            .flatten();
    }
    let text = raw(chars)?;
    let env = text.strip_prefix("\\begin{")?;
    let name = &env[..env.find('}')?];
    let ok = |c: char| c.is_ascii_lowercase();
    let plain = name.strip_suffix('*').unwrap_or(name);
    let closing = format!("\\end{{{name}}}");
    let inner = text.strip_suffix(&closing)?;
    // The closing `\end` must not be an escaped backslash followed by `end`.
    let slashes = inner.chars().rev().take_while(|&c| c == '\\').count();
    let long = inner.len() > 7 + name.len();
    (!plain.is_empty() && plain.chars().all(ok) && slashes % 2 == 0 && long).then_some(text)
}

/// Whether math between `before` and `after` is all of a tight list item's text (a
/// block there, as Python-Markdown parses an item's text as blocks).
fn alone_in_item(before: Option<&(Event<'_>, usize)>, after: &(Event<'_>, usize)) -> bool {
    matches!(before, Some((Event::Start(Tag::Item), _)))
        && matches!(
            after.0,
            Event::End(TagEnd::Item) | Event::Start(Tag::List(_))
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(src: &str, options: &str) -> String {
        let a = Arithmatex::read(&serde_yaml::from_str(options).unwrap());
        let events: Events = Parser::new_ext(src, Options::ENABLE_MATH)
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
        let mut out = String::new();
        html::push_html(&mut out, math(events, &a).into_iter().map(|(e, _)| e));
        out.trim_end().to_string()
    }

    /// Inputs of our own; the expected HTML is pymdownx.arithmatex 13.1.2's.
    #[test]
    fn math_is_written_as_arithmatex_writes_it() {
        let cases = [
            (
                "$a<b$",
                "{}",
                r#"<p><span class="arithmatex"><span class="MathJax_Preview">a&lt;b</span><script type="math/tex">a&lt;b</script></span></p>"#,
            ),
            (
                "$x$",
                "{generic: true, tex_inline_wrap: ['\\begin{math}', '\\end{math}']}",
                r#"<p><span class="arithmatex">\begin{math}x\end{math}</span></p>"#,
            ),
            (
                "$$\nx\n$$",
                "{generic: true}",
                "<div class=\"arithmatex\">\\[\nx\n\\]</div>",
            ),
            (
                "$$x$$",
                "{preview: false}",
                "<div class=\"arithmatex\">\n<script type=\"math/tex; mode=display\">x</script>\n</div>",
            ),
            (
                "- $$x$$\n- b",
                "{generic: true}",
                "<ul>\n<li><div class=\"arithmatex\">\\[x\\]</div>\n</li>\n<li>b</li>\n</ul>",
            ),
            (
                "a $$x$$ b",
                "{generic: true}",
                r#"<p>a $<span class="arithmatex">\(x\)</span>$ b</p>"#,
            ),
        ];
        for (src, options, want) in cases {
            assert_eq!(render(src, options), want, "{src} {options}");
        }
    }

    /// Source text as the inline pass holds it: backslash escapes as placeholders.
    fn held(src: &str) -> Vec<char> {
        let mut out = Vec::new();
        let mut it = src.chars().peekable();
        while let Some(c) = it.next() {
            match it.peek() {
                Some(&n) if c == '\\' && n.is_ascii_punctuation() => {
                    out.extend(crate::markdown::mkdocs::inline::tree::escaped(n));
                    it.next();
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// Inputs of our own; the math found is what pymdownx.arithmatex 13.1.2 finds.
    #[test]
    fn round_inline_and_square_and_begin_blocks() {
        let a = Arithmatex {
            generic: true,
            ..Arithmatex::default()
        };
        let chars = held(r"a \(x \{ y \} \) b \\(no\)");
        let f = next_round(&a, &chars, 0, 0).unwrap();
        match &f.events[0].0 {
            Event::InlineHtml(h) => {
                assert_eq!(&**h, r#"<span class="arithmatex">\(x \{ y \} \)</span>"#)
            }
            e => panic!("{e:?}"),
        }
        assert!(
            next_round(&a, &chars, f.end, 0).is_none(),
            "an escaped backslash before ( is no math"
        );
        let blocks = [
            (r"\[x\]  ", Some("x")),
            (
                r"\begin{align*}x \\ y\end{align*}",
                Some(r"\begin{align*}x \\ y\end{align*}"),
            ),
            (r"\begin{align}3+2\\end{align}", None),
            (
                r"\begin{align}3+2\\\end{align}",
                Some(r"\begin{align}3+2\\\end{align}"),
            ),
            (r"\[x\] and more", None),
        ];
        for (src, want) in blocks {
            assert_eq!(whole_block(&held(src)).as_deref(), want, "{src}");
        }
    }
}
