//! The lines a level writes, what its last block was (a definition list takes its terms
//! from the paragraph before it, and goes on after another list), and the writer of the
//! HTML around block bodies.
//!
//! HTML is written so pulldown-cmark reads it as HTML blocks: each run starts on its
//! own line with a tag CommonMark knows as a block (or a lone tag) and ends at a blank
//! line; Markdown between runs is read as Markdown. A title or term is a paragraph of its
//! own after a run ending in the `TIGHT` marker, which the event pass unwraps.

use super::super::markers::{INLINE, TIGHT};
use super::super::Line;

/// A definition list written last: where its `</dl>` line is, and whether its last
/// definition held blocks (a definition after it is then loose too).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct OpenList {
    pub close: usize,
    pub last_loose: bool,
}

/// The block written last at this level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Last {
    Nothing,
    /// A paragraph: its lines, and the definition list before it, if that came just before.
    Paragraph {
        start: usize,
        end: usize,
        list_before: Option<OpenList>,
    },
    DefList(OpenList),
    Other,
}

/// Copied lines not yet ended by a blank line or a block.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    start: usize,
    paragraph: bool,
    /// `last` when the chunk started.
    before: Last,
}

pub(in super::super) struct Out {
    pub lines: Vec<Line>,
    chunk: Option<Chunk>,
    pub last: Last,
}

impl Out {
    pub(super) fn with_capacity(n: usize) -> Out {
        Out {
            lines: Vec::with_capacity(n),
            chunk: None,
            last: Last::Nothing,
        }
    }

    pub(super) fn finish(mut self) -> Vec<Line> {
        self.end_chunk();
        self.lines
    }

    /// A line copied as it is.
    pub(super) fn copy(&mut self, line: &Line) {
        if self.chunk.is_none() {
            self.chunk = Some(Chunk {
                start: self.lines.len(),
                paragraph: starts_paragraph(&line.text),
                before: self.last,
            });
        }
        self.lines.push(line.clone());
    }

    pub(super) fn blank(&mut self, line: &Line) {
        self.end_chunk();
        self.lines.push(line.derived(String::new()));
    }

    /// A block that is not a paragraph starts: the lines before it are done.
    pub(super) fn other(&mut self) {
        self.end_chunk();
        self.last = Last::Other;
    }

    fn end_chunk(&mut self) {
        if let Some(c) = self.chunk.take() {
            self.last = if c.paragraph {
                Last::Paragraph {
                    start: c.start,
                    end: self.lines.len(),
                    list_before: match c.before {
                        Last::DefList(l) => Some(l),
                        _ => None,
                    },
                }
            } else {
                Last::Other
            };
        }
    }

    /// The lines of the paragraph being copied (terms of a definition that follows), taken
    /// out, and the definition list before them, if any.
    pub(super) fn take_open_paragraph(&mut self) -> Option<(Vec<Line>, Option<OpenList>)> {
        let c = self.chunk.filter(|c| c.paragraph)?;
        self.chunk = None;
        let list = match c.before {
            Last::DefList(l) => Some(l),
            _ => None,
        };
        Some((self.lines.split_off(c.start), list))
    }

    /// The paragraph written last, before blank lines, taken out (the terms of a loose
    /// definition), and the definition list before it.
    pub(super) fn take_last_paragraph(&mut self) -> Option<(Vec<Line>, Option<OpenList>)> {
        if self.chunk.is_some() {
            return None;
        }
        let Last::Paragraph {
            start,
            end,
            list_before,
        } = self.last
        else {
            return None;
        };
        let mut para = self.lines.split_off(start);
        para.truncate(end - start);
        self.last = Last::Other;
        Some((para, list_before))
    }

    /// Reopens the definition list `list` (written last): its `</dl>` and what follows go.
    pub(super) fn reopen(&mut self, list: OpenList) {
        self.chunk = None;
        self.lines.truncate(list.close);
    }

    /// The definition list written last, when nothing but blank lines came after it.
    pub(super) fn open_list(&self) -> Option<OpenList> {
        match (self.chunk, self.last) {
            (None, Last::DefList(l)) => Some(l),
            _ => None,
        }
    }

    /// HTML for a block that starts at `origin`'s line, indented by `pad` columns.
    pub(super) fn html<'o>(&'o mut self, origin: &'o Line, pad: usize) -> Html<'o> {
        self.other();
        Html {
            out: self,
            origin,
            pad: " ".repeat(pad),
            run: String::new(),
        }
    }
}

/// Whether a chunk starting with `text` is a paragraph (not a heading, list, quote,
/// table row, HTML or rule).
fn starts_paragraph(text: &str) -> bool {
    let t = text.trim_start();
    let first = t.chars().next().unwrap_or(' ');
    if matches!(first, '#' | '>' | '<' | '|') {
        return false;
    }
    if super::list_content_column(text).is_some() || is_rule(t) {
        return false;
    }
    true
}

/// `---`, `* * *`, `___`: a thematic break.
pub(super) fn is_rule(t: &str) -> bool {
    let t = t.trim();
    let Some(c) = t.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    t.chars().all(|x| x == c || x == ' ') && t.chars().filter(|&x| x == c).count() >= 3
}

/// Tag names that start an HTML block whatever follows the tag on its line: some of
/// CommonMark's sixth kind, as pulldown-cmark reads the text this writer leaves. It
/// answers how pulldown-cmark reads a run of tags, so it is not Python-Markdown's list
/// (`htmlscan::BLOCK_LEVEL`). Every name here must be of the sixth kind; one missing only
/// costs a split (`Html::flush` puts a lone first tag on its own line, which starts a
/// block of the seventh kind), so the list holds the tags the writer emits and the
/// common block tags rather than all of the sixth kind.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "ul",
];

/// Whether `run` starts with a tag that starts an HTML block whatever follows it.
fn starts_block_tag(run: &str) -> bool {
    let name = run
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str())
}

/// The HTML around a block: runs of tags, Markdown bodies and inline titles between.
pub(in super::super) struct Html<'o> {
    out: &'o mut Out,
    origin: &'o Line,
    pad: String,
    run: String,
}

impl Html<'_> {
    /// Tags added to the current run.
    pub(super) fn tag(&mut self, html: &str) -> &mut Self {
        self.run.push_str(html);
        self
    }

    /// Ends the current run (split so that it starts an HTML block).
    fn flush(&mut self, marker: &str) {
        if self.run.is_empty() && marker.is_empty() {
            return;
        }
        let mut run = std::mem::take(&mut self.run);
        run.push_str(marker);
        if !starts_block_tag(&run) {
            // A lone tag on its line starts an HTML block too.
            if let Some(end) = run.find('>').filter(|&e| e + 1 < run.len()) {
                let rest = run.split_off(end + 1);
                self.push(run);
                run = rest;
            }
        }
        self.push(run);
    }

    fn push(&mut self, text: String) {
        let line = self.origin.derived(format!("{}{text}", self.pad));
        self.out.lines.push(line);
    }

    fn blank(&mut self) {
        self.out.lines.push(self.origin.derived(String::new()));
    }

    /// `text` (from column `column` of the origin line, 1-based) as inline Markdown:
    /// a paragraph of its own that the event pass unwraps.
    pub(super) fn inline(&mut self, text: &str, column: usize) -> &mut Self {
        let origin = self.origin.clone();
        self.inline_at(&origin, text, column)
    }

    /// `inline` for text on another line than the block's first (a later tab's title).
    pub(super) fn inline_at(&mut self, origin: &Line, text: &str, column: usize) -> &mut Self {
        if text.trim().is_empty() {
            return self;
        }
        self.flush(TIGHT);
        self.blank();
        let mut line = origin.derived(format!("{}{}", self.pad, escape_block_start(text)));
        line.shift = origin.shift + column as isize - 1 - self.pad.len() as isize;
        self.out.lines.push(line);
        self.blank();
        self
    }

    /// A line of Markdown of its own (a heading in a title).
    pub(super) fn markdown_line(&mut self, text: &str) -> &mut Self {
        self.flush("");
        self.blank();
        self.push(text.to_string());
        self.blank();
        self
    }

    /// A Markdown body (already rewritten, at column 0), placed at the block's indentation.
    /// `tight`: its first paragraph is unwrapped (a tight definition).
    pub(super) fn body(&mut self, body: Vec<Line>, tight: bool) -> &mut Self {
        self.flush(if tight { TIGHT } else { "" });
        self.blank();
        let pad = self.pad.len();
        self.out.lines.extend(super::indent_by(body, pad));
        self.blank();
        self
    }

    /// A Markdown body whose paragraphs are inline content (no `<p>`).
    pub(super) fn body_inline(&mut self, body: Vec<Line>) -> &mut Self {
        self.flush(INLINE);
        self.blank();
        let pad = self.pad.len();
        // Its lines are text: none starts a block.
        let body = fences_as_code_spans(body)
            .into_iter()
            .map(|mut l| {
                if !l.text.trim().is_empty() {
                    l.text = escape_block_start(&l.text);
                }
                l
            })
            .collect();
        self.out.lines.extend(super::indent_by(body, pad));
        self.blank();
        self
    }

    /// Ends the block's HTML (a blank line after it).
    pub(super) fn end(&mut self) {
        self.flush("");
        self.blank();
        self.out.last = Last::Other;
    }

    /// Ends the block's HTML with `tag` on a line of its own (a list's `</dl>`, which a
    /// definition after it takes out again); returns that line's index.
    pub(super) fn close_with(&mut self, tag: &str) -> usize {
        self.flush("");
        let at = self.out.lines.len();
        self.run.push_str(tag);
        self.end();
        at
    }
}

/// Inline text that must not start a block once on a line of its own: a list marker,
/// quote, heading, rule or table is escaped.
/// Inline content reads a backtick fence as Python-Markdown's inline code reads it: a
/// run of backticks, then text up to the same run, stripped (```` ```py\ncode\n``` ````
/// is `<code>py\ncode</code>`). Each such pair of lines becomes inline `<code>` with its
/// text escaped (HTML, and every ASCII punctuation for CommonMark), so no line of it
/// starts a block or is read as Markdown.
fn fences_as_code_spans(mut body: Vec<Line>) -> Vec<Line> {
    let run = |t: &str| t.len() - t.trim_start_matches('`').len();
    let mut i = 0;
    while i < body.len() {
        let open = body[i].text.trim();
        let n = run(open);
        let close = (n >= 3 && !open[n..].contains('`'))
            .then(|| (i + 1..body.len()).find(|&j| body[j].text.trim() == &open[..n]))
            .flatten();
        let Some(close) = close else {
            i += 1;
            continue;
        };
        let inner: Vec<&str> = std::iter::once(&open[n..])
            .chain(body[i + 1..close].iter().map(|l| l.text.as_str()))
            .collect();
        let code = inner.join("\n");
        let mut lines = code.trim().split('\n').map(code_text).collect::<Vec<_>>();
        if let Some(first) = lines.first_mut() {
            first.insert_str(0, "<code>");
        }
        if let Some(last) = lines.last_mut() {
            last.push_str("</code>");
        }
        let first = body[i].clone();
        let written: Vec<Line> = lines.into_iter().map(|t| first.derived(t)).collect();
        let count = written.len();
        body.splice(i..=close, written);
        i += count;
    }
    body
}

/// A line of inline code's text, escaped so CommonMark writes it as it stands.
fn code_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.trim_start().chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) fn escape_block_start(text: &str) -> String {
    let t = text.trim();
    let first = t.chars().next().unwrap_or(' ');
    let spaced = t[first.len_utf8()..].starts_with([' ', '\t']) || t.len() == first.len_utf8();
    let escape = match first {
        '#' | '>' | '|' | '=' => true,
        // `: ` starts a definition (def_list); `:name:` is a shortcode and stays one.
        ':' => spaced,
        '-' | '+' | '*' => spaced || is_rule(t),
        '_' => is_rule(t),
        '`' | '~' => t.starts_with("```") || t.starts_with("~~~"),
        c if c.is_ascii_digit() => {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
            if rest.starts_with(['.', ')']) {
                let n = t.len() - rest.len();
                return format!("{}\\{}", &t[..n], &t[n..]);
            }
            false
        }
        _ => false,
    };
    if escape {
        format!("\\{t}")
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, src: usize) -> Line {
        Line {
            text: text.to_string(),
            src,
            shift: 0,
        }
    }

    /// pymdown-extensions 13.1.2, `/// html | span` holding a fence: `<span><code>python
    /// import foo &lt;a&gt; *x*</code> Other content</span>` (superfences on).
    #[test]
    fn an_inline_body_reads_fences_as_inline_code() {
        let body = [
            "```python",
            "import foo <a> *x*",
            "```",
            "",
            "Other ``` content",
        ];
        let body = body
            .iter()
            .enumerate()
            .map(|(i, t)| line(t, i + 1))
            .collect();
        let texts: Vec<String> = fences_as_code_spans(body)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(
            texts,
            [
                "<code>python",
                "import foo &lt;a&gt; \\*x\\*</code>",
                "",
                "Other ``` content"
            ]
        );
    }

    #[test]
    fn runs_start_html_blocks_and_titles_are_tight_paragraphs() {
        let mut out = Out::with_capacity(8);
        let origin = line("=== \"A *b*\"", 3);
        out.html(&origin, 2)
            .tag("<div class=\"x\"><label>")
            .inline("A *b*", 6)
            .tag("</label><div>")
            .end();
        let texts: Vec<&str> = out.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "  <div class=\"x\"><label><!--dcr:tight-->",
                "",
                "  A *b*",
                "",
                "  </label>",
                "  <div>",
                ""
            ]
        );
        assert_eq!(out.lines[2].shift, 3, "column 3 is the title's column 6");
        assert!(out.lines.iter().all(|l| l.src == 3));
    }

    #[test]
    fn block_starts_in_titles_are_escaped() {
        assert_eq!(escape_block_start("- y *z*"), "\\- y *z*");
        assert_eq!(escape_block_start("*z* y"), "*z* y");
        assert_eq!(escape_block_start("1. first"), "1\\. first");
        assert_eq!(escape_block_start("### x"), "\\### x");
        assert_eq!(escape_block_start(": a definition"), "\\: a definition");
        assert_eq!(
            escape_block_start(":octicons-file-code-16: pyproject.toml"),
            ":octicons-file-code-16: pyproject.toml",
            "a shortcode at the start of a tab label stays a shortcode"
        );
    }

    #[test]
    fn paragraphs_and_lists_are_remembered() {
        let mut out = Out::with_capacity(8);
        out.copy(&line("term", 1));
        out.blank(&line("", 2));
        let (terms, list) = out.take_last_paragraph().unwrap();
        assert_eq!((terms.len(), list), (1, None));
        out.copy(&line("# heading", 3));
        assert!(out.take_open_paragraph().is_none());
    }
}
