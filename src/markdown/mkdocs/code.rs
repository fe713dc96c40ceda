//! Code blocks on MkDocs pages, written as pymdownx.highlight writes them (so Material's
//! and MkDocs' stylesheets and scripts find their structure) with syntect's tokens inside:
//! `<div class="highlight">`, an optional `<span class="filename">`, the line-number
//! table or inline numbers, `hll` spans for `hl_lines`, line spans; superfences' fence
//! options and custom fences (a `mermaid` fence kept as a diagram for the browser).
//! Without pymdownx.highlight / superfences, fenced_code's `<pre><code class="language-…">`.

use serde_yaml::Value;

use super::fence_info::{self, FenceInfo};
use super::fenced_code_info;
use super::Dialect;
use crate::icons::html_escape;
use crate::markdown::Highlighter;

/// How line numbers are written (`linenums_style`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum LinenumsStyle {
    #[default]
    Table,
    /// Pygments' inline numbers: `<span class="linenos">1</span>`.
    Inline,
    /// Numbers in `data-linenos`, drawn by CSS so copying code leaves them out.
    PymdownxInline,
}

/// A custom fence of superfences: its name, the class it gets, and whether it is written
/// as `<pre class><code>` (`fence_code_format`) or `<div class>` (`fence_div_format`).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomFence {
    pub name: String,
    pub class: String,
    pub div: bool,
}

/// The options of pymdownx.highlight and superfences a project set.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeOptions {
    /// pymdownx.highlight or superfences is on: blocks get pymdownx's structure.
    pub highlight: bool,
    /// superfences is on: its fence options are read.
    pub superfences: bool,
    /// pymdownx.highlight itself is on: it highlights indented blocks too (superfences
    /// alone leaves them to Python-Markdown's plain `<pre><code>`).
    pub indented: bool,
    pub css_class: String,
    /// Every block numbered (`linenums: true`).
    pub linenums: Option<bool>,
    pub linenums_style: LinenumsStyle,
    pub linenums_special: usize,
    /// `line_spans`: each line in `<span id="PREFIX-BLOCK-LINE">`; empty is off.
    pub line_spans: String,
    pub anchor_linenums: bool,
    /// `line_anchors`: an `<a id="PREFIX-BLOCK-LINE">` before each line; empty is off.
    pub line_anchors: String,
    /// `pygments_lang_class`: the wrapper gets `language-LANG`.
    pub lang_class: bool,
    /// `use_pygments: false`: plain `<pre><code class="language-LANG">` for a
    /// JavaScript highlighter.
    pub plain: bool,
    pub language_prefix: String,
    /// fenced_code's own `lang_prefix` (for blocks pymdownx.highlight leaves to it).
    pub fenced_lang_prefix: String,
    pub code_attr_on_pre: bool,
    pub custom_fences: Vec<CustomFence>,
    /// Material's `content.code.annotate` feature: every block's `(1)` comment markers
    /// link to the list after it (see `annotations`), not only `.annotate` blocks'.
    pub annotate: bool,
}

impl Default for CodeOptions {
    fn default() -> Self {
        CodeOptions {
            highlight: false,
            superfences: false,
            indented: false,
            css_class: "highlight".into(),
            linenums: None,
            linenums_style: LinenumsStyle::Table,
            linenums_special: 0,
            line_spans: String::new(),
            anchor_linenums: false,
            line_anchors: String::new(),
            lang_class: false,
            plain: false,
            language_prefix: "language-".into(),
            fenced_lang_prefix: "language-".into(),
            code_attr_on_pre: false,
            custom_fences: Vec::new(),
            annotate: false,
        }
    }
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn text(v: &Value) -> Option<String> {
    match untag(v) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `pymdownx.highlight` in `markdown_extensions`, with its options.
pub(crate) fn highlight_options(d: &mut Dialect, options: &Value) {
    let o = &mut d.code;
    o.highlight = true;
    o.indented = true;
    let get = |key: &str| options.get(key).map(untag);
    if let Some(v) = get("css_class").and_then(text) {
        o.css_class = v;
    }
    if let Some(Value::Bool(b)) = get("linenums") {
        o.linenums = Some(*b);
    }
    o.plain = matches!(get("use_pygments"), Some(Value::Bool(false)));
    if let Some(v) = get("language_prefix").and_then(text) {
        o.language_prefix = v;
    }
    o.code_attr_on_pre = matches!(get("code_attr_on_pre"), Some(Value::Bool(true)));
    o.linenums_style = match get("linenums_style").and_then(text).as_deref() {
        Some("inline") => LinenumsStyle::Inline,
        Some("pymdownx-inline") => LinenumsStyle::PymdownxInline,
        _ => LinenumsStyle::Table,
    };
    if let Some(Value::Number(n)) = get("linenums_special") {
        o.linenums_special = n.as_u64().unwrap_or(0) as usize;
    }
    o.line_spans = get("line_spans").and_then(text).unwrap_or_default();
    o.line_anchors = get("line_anchors").and_then(text).unwrap_or_default();
    o.anchor_linenums = matches!(get("anchor_linenums"), Some(Value::Bool(true)));
    o.lang_class = matches!(get("pygments_lang_class"), Some(Value::Bool(true)));
}

/// Python-Markdown's `fenced_code`, with its `lang_prefix`.
pub(crate) fn fenced_code_options(d: &mut Dialect, options: &Value) {
    if let Some(v) = options.get("lang_prefix").and_then(text) {
        d.code.fenced_lang_prefix = v;
    }
}

/// `pymdownx.superfences`, with its `custom_fences`.
pub(crate) fn superfences_options(d: &mut Dialect, options: &Value) {
    d.code.highlight = true;
    d.code.superfences = true;
    let Some(Value::Sequence(fences)) = options.get("custom_fences").map(untag) else {
        return;
    };
    for fence in fences {
        let field = |k: &str| fence.get(k).and_then(text);
        if let (Some(name), Some(class)) = (field("name"), field("class")) {
            let div = field("format").is_some_and(|f| f.ends_with("fence_div_format"));
            d.code.custom_fences.push(CustomFence { name, class, div });
        }
    }
}

/// A code block of an MkDocs page; `info` is a fenced block's info string (`None` for an
/// indented block), `index` counts the page's highlighted blocks (for line ids).
pub(crate) fn block(
    d: &Dialect,
    info: Option<&str>,
    code: &str,
    highlighter: &Highlighter,
    index: &mut usize,
) -> String {
    let o = &d.code;
    if let Some(info) = info.filter(|_| !o.superfences) {
        // Without superfences, fences are fenced_code's whatever pymdownx.highlight says;
        // a line it refuses is text, its backticks a code span when closed.
        return match fenced_code_info::parse(info) {
            Some(fence) => fenced_code(&fence, code, highlighter, d),
            None => refused(info, code),
        };
    }
    let fence = match info {
        None => FenceInfo::default(),
        Some(info) => match fence_info::parse(info) {
            Some(f) => f,
            // superfences leaves a fence it refuses to Python-Markdown: inline code.
            None => return refused(info, code),
        },
    };
    if let Some(custom) = o.custom_fences.iter().find(|c| c.name == fence.lang) {
        return custom_fence(custom, &fence, code, d.attr_list);
    }
    if !o.highlight || (info.is_none() && !o.indented) {
        return fenced_code(&fence, code, highlighter, d);
    }
    if o.plain {
        return match info {
            Some(info) if fence.loose => refused(info, code),
            _ => for_javascript(o, &fence, code, d.attr_list),
        };
    }
    let html = Block::new(o, &fence, code, highlighter, *index, d.attr_list).html();
    *index += 1;
    html
}

/// A fence superfences refuses: its text as inline code in a paragraph.
fn refused(info: &str, code: &str) -> String {
    let body = code.strip_suffix('\n').unwrap_or(code);
    format!(
        "<p><code>{}\n{}</code></p>\n",
        html_escape(info.trim()),
        html_escape(body)
    )
}

/// A custom fence as superfences' `fence_div_format` / `fence_code_format` write it: the
/// fence's id, its class then the block's classes, and with attr_list its attributes.
fn custom_fence(custom: &CustomFence, fence: &FenceInfo, code: &str, attr_list: bool) -> String {
    let body = html_escape(code.strip_suffix('\n').unwrap_or(code));
    let mut attrs = String::new();
    if !fence.id.is_empty() {
        attrs.push_str(&format!(" id=\"{}\"", html_escape(&fence.id)));
    }
    let classes: Vec<&str> = std::iter::once(custom.class.as_str())
        .chain(fence.classes.iter().map(String::as_str))
        .collect();
    attrs.push_str(&format!(" class=\"{}\"", html_escape(&classes.join(" "))));
    for (k, v) in fence.attrs.iter().filter(|_| attr_list) {
        attrs.push_str(&format!(" {}=\"{}\"", html_escape(k), html_escape(v)));
    }
    if custom.div {
        format!("<div{attrs}>{body}</div>\n")
    } else {
        format!("<pre{attrs}><code>{body}</code></pre>\n")
    }
}

/// fenced_code's `<pre id class><code class="language-LANG" attrs>`, highlighted.
fn fenced_code(fence: &FenceInfo, code: &str, highlighter: &Highlighter, d: &Dialect) -> String {
    let attr_list = d.attr_list;
    let mut out = String::from("<pre");
    if !fence.id.is_empty() {
        out.push_str(&format!(" id=\"{}\"", html_escape(&fence.id)));
    }
    let mut classes = fence.classes.clone();
    classes.push("highlight".into());
    out.push_str(&format!(
        " class=\"{}\"><code",
        html_escape(&classes.join(" "))
    ));
    // fenced_code reads ```` ``` .python ```` as ```` ``` python ````.
    let lang = fence.lang.strip_prefix('.').unwrap_or(&fence.lang);
    if !lang.is_empty() {
        let prefix = &d.code.fenced_lang_prefix;
        out.push_str(&format!(
            " class=\"{}{}\"",
            html_escape(prefix),
            html_escape(lang)
        ));
    }
    // Attributes only with attr_list (`fenced_code_info` left out `use_pygments`).
    for (k, v) in fence.attrs.iter().filter(|_| attr_list) {
        out.push_str(&format!(" {}=\"{}\"", html_escape(k), html_escape(v)));
    }
    out.push('>');
    for line in highlighter.lines(Some(lang).filter(|l| !l.is_empty()), code) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("</code></pre>\n");
    out
}

/// `use_pygments: false`: `<pre class><code id class attrs>` with the code plain, as a
/// JavaScript highlighter expects it (or everything on `<pre>` with `code_attr_on_pre`).
fn for_javascript(o: &CodeOptions, fence: &FenceInfo, code: &str, attr_list: bool) -> String {
    let mut classes = fence.classes.clone();
    if !fence.lang.is_empty() {
        classes.insert(0, format!("{}{}", o.language_prefix, fence.lang));
    }
    if o.code_attr_on_pre && !o.css_class.is_empty() {
        classes.push(o.css_class.clone());
    }
    let mut attrs = String::new();
    if !fence.id.is_empty() {
        attrs.push_str(&format!(" id=\"{}\"", html_escape(&fence.id)));
    }
    if !classes.is_empty() {
        attrs.push_str(&format!(" class=\"{}\"", html_escape(&classes.join(" "))));
    }
    let extra = fence.options.iter().chain(&fence.attrs);
    for (k, v) in extra.filter(|_| attr_list) {
        attrs.push_str(&format!(" {}=\"{}\"", html_escape(k), html_escape(v)));
    }
    let body = html_escape(code.trim_end_matches('\n'));
    if o.code_attr_on_pre {
        return format!("<pre{attrs}><code>{body}</code></pre>\n");
    }
    let pre_class = if o.css_class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", html_escape(&o.css_class))
    };
    format!("<pre{pre_class}><code{attrs}>{body}</code></pre>\n")
}

/// One block in pymdownx.highlight's structure.
struct Block<'a> {
    o: &'a CodeOptions,
    fence: &'a FenceInfo,
    lines: Vec<String>,
    /// The block's part of line ids: its id, or its number on the page.
    key: String,
    /// `(start, step, special)` when numbered.
    linenums: Option<(usize, usize, usize)>,
    attrs: bool,
}

impl<'a> Block<'a> {
    fn new(
        o: &'a CodeOptions,
        fence: &'a FenceInfo,
        code: &str,
        highlighter: &Highlighter,
        index: usize,
        attrs: bool,
    ) -> Block<'a> {
        // Pygments' `stripnl`: blank lines at either end are not code.
        let code = code.trim_matches('\n');
        let lang = Some(fence.lang.as_str()).filter(|l| !l.is_empty());
        // `linenums: false` turns numbers off everywhere; `true` numbers every block.
        let linenums = match o.linenums {
            Some(false) => None,
            Some(true) => fence.linenums.or(Some((1, 1, 0))),
            None => fence.linenums,
        }
        .filter(|_| {
            !fence
                .options
                .iter()
                .any(|(k, v)| k == "linenums" && v.trim() == "0")
        })
        .map(|(a, b, c)| (a, b, if c == 0 { o.linenums_special } else { c }));
        Block {
            o,
            fence,
            lines: highlighter.lines(lang, code),
            key: if fence.id.is_empty() {
                index.to_string()
            } else {
                fence.id.clone()
            },
            linenums,
            attrs,
        }
    }

    fn html(&self) -> String {
        let mut out = self.wrapper_open();
        let title = self
            .fence
            .title
            .as_deref()
            .map(|t| match self.fence.title_html {
                true => t.to_string(),
                false => html_escape(t),
            });
        match self
            .linenums
            .filter(|_| self.o.linenums_style == LinenumsStyle::Table)
        {
            Some(nums) => {
                out.push_str(&format!("<table class=\"{}table\"><tr>", self.o.css_class));
                if let Some(t) = title {
                    out.push_str(&format!(
                        "<th colspan=\"2\" class=\"filename\"><span class=\"filename\">{t}</span></th></tr><tr>"
                    ));
                }
                out.push_str("<td class=\"linenos\"><div class=\"linenodiv\"><pre><span></span>");
                out.push_str(&self.number_column(nums));
                out.push_str("</pre></div></td><td class=\"code\"><div>");
                out.push_str(&self.pre());
                out.push_str("</div></td></tr></table>");
            }
            None => {
                if let Some(t) = title {
                    out.push_str(&format!("<span class=\"filename\">{t}</span>"));
                }
                out.push_str(&self.pre());
            }
        }
        out.push_str("</div>\n");
        out
    }

    /// `<div id class attrs>`: the fence's id, its classes, the language's and the
    /// highlighter's class, and its attributes when `attr_list` keeps them.
    fn wrapper_open(&self) -> String {
        let mut out = String::from("<div");
        if !self.fence.id.is_empty() {
            out.push_str(&format!(" id=\"{}\"", html_escape(&self.fence.id)));
        }
        let mut classes = self.fence.classes.clone();
        if self.o.lang_class && !self.fence.lang.is_empty() {
            classes.push(format!("language-{}", self.fence.lang));
        }
        if !self.o.css_class.is_empty() {
            classes.push(self.o.css_class.clone());
        }
        if !classes.is_empty() {
            out.push_str(&format!(" class=\"{}\"", html_escape(&classes.join(" "))));
        }
        if self.attrs {
            // With Pygments only `data-` attributes reach the wrapper, as in superfences.
            for (k, v) in self
                .fence
                .attrs
                .iter()
                .filter(|(k, _)| k.starts_with("data-"))
            {
                out.push_str(&format!(" {}=\"{}\"", html_escape(k), html_escape(v)));
            }
        }
        out.push('>');
        out
    }

    /// The numbers of the table's first column, padded to one width as Pygments does.
    fn number_column(&self, (start, step, special): (usize, usize, usize)) -> String {
        let last = start + self.lines.len().max(1) - 1;
        let width = last.to_string().len();
        let mut out = Vec::new();
        for n in start..=last {
            let shown = if (n - start).is_multiple_of(step) || n == start {
                format!("{n:>width$}")
            } else {
                " ".repeat(width)
            };
            let shown = self.linked(n, shown);
            let class = if special > 0 && n.is_multiple_of(special) {
                "special"
            } else {
                "normal"
            };
            out.push(format!("<span class=\"{class}\">{shown}</span>"));
        }
        out.join("\n")
    }

    /// `<pre><span></span><code>` and the lines, each with its number, anchor, line span
    /// and highlight as the options ask.
    fn pre(&self) -> String {
        let mut out = String::from("<pre><span></span><code>");
        for (i, line) in self.lines.iter().enumerate() {
            out.push_str(&self.line(i, line));
        }
        out.push_str("</code></pre>");
        out
    }

    fn line(&self, i: usize, line: &str) -> String {
        let n = self.linenums.map_or(i + 1, |(start, ..)| start + i);
        let mut body = format!("{line}\n");
        if self.fence.hl_lines.contains(&(i + 1)) {
            body = format!("<span class=\"hll\">{body}</span>");
        }
        let mut prefix = String::new();
        if let Some(id) = self.anchor(n) {
            prefix.push_str(&format!("<a id=\"{id}\" name=\"{id}\""));
            if self.o.anchor_linenums && self.linenums.is_none() {
                prefix.push_str(&format!(" href=\"#{id}\""));
            }
            prefix.push_str("></a>");
        }
        prefix.push_str(&self.inline_number(n));
        let mut html = format!("{prefix}{body}");
        if !self.o.line_spans.is_empty() {
            html = format!(
                "<span id=\"{}-{}-{n}\">{html}</span>",
                self.o.line_spans, self.key
            );
        }
        html
    }

    /// The id of line `n`'s anchor, when lines get anchors.
    fn anchor(&self, n: usize) -> Option<String> {
        let prefix = match (self.o.line_anchors.as_str(), self.o.anchor_linenums) {
            ("", true) => "__codelineno",
            ("", false) => return None,
            (p, _) => p,
        };
        Some(format!("{prefix}-{}-{n}", self.key))
    }

    /// A line number linked to its line's anchor with `anchor_linenums`.
    fn linked(&self, n: usize, number: String) -> String {
        match self.anchor(n).filter(|_| self.o.anchor_linenums) {
            Some(id) => format!("<a href=\"#{id}\">{number}</a>"),
            None => number,
        }
    }

    /// The number before a line in the inline styles.
    fn inline_number(&self, n: usize) -> String {
        let Some((start, step, special)) = self.linenums else {
            return String::new();
        };
        let last = start + self.lines.len().max(1) - 1;
        let width = last.to_string().len();
        let shown = (n - start).is_multiple_of(step);
        let special = special > 0 && n.is_multiple_of(special);
        let class = if special {
            "linenos special"
        } else {
            "linenos"
        };
        match self.o.linenums_style {
            LinenumsStyle::Table => String::new(),
            LinenumsStyle::PymdownxInline => {
                let num = if shown {
                    format!("{n:>width$} ")
                } else {
                    " ".repeat(width + 1)
                };
                let span = format!("<span class=\"{class}\" data-linenos=\"{num}\"></span>");
                self.linked(n, span)
            }
            LinenumsStyle::Inline => {
                let num = if shown {
                    format!("{n:>width$}")
                } else {
                    " ".repeat(width)
                };
                self.linked(n, format!("<span class=\"{class}\">{num}</span>"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::mkdocs::testing::dialect_from_yml;

    #[test]
    fn options_and_custom_fences_from_mkdocs_yml() {
        let d = dialect_from_yml(
            "site_name: x\nmarkdown_extensions:\n  - pymdownx.highlight:\n      anchor_linenums: true\n      line_spans: __span\n      pygments_lang_class: true\n  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n          class: mermaid\n          format: !!python/name:pymdownx.superfences.fence_code_format\n",
        );
        assert!(d.code.highlight && d.code.superfences && d.code.anchor_linenums);
        assert_eq!(d.code.line_spans, "__span");
        let mermaid = CustomFence {
            name: "mermaid".into(),
            class: "mermaid".into(),
            div: false,
        };
        assert_eq!(d.code.custom_fences, vec![mermaid]);
        let mut n = 0;
        let h = Highlighter::new();
        let html = block(&d, Some("mermaid"), "graph TD\n", &h, &mut n);
        assert_eq!(html, "<pre class=\"mermaid\"><code>graph TD</code></pre>\n");
        let html = block(&d, Some("python"), "x\n", &h, &mut n);
        let start = r##"<div class="language-python highlight"><pre><span></span><code><span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>"##;
        assert!(html.starts_with(start), "{html}");
        assert_eq!(n, 1, "the next block's ids count on");
    }

    #[test]
    fn without_highlight_fenced_code_markup() {
        let d = dialect_from_yml("site_name: x\nmarkdown_extensions:\n  - attr_list\n");
        let mut n = 0;
        let html = block(
            &d,
            Some("{ .py #a k=v }"),
            "x\n",
            &Highlighter::new(),
            &mut n,
        );
        assert!(
            html.starts_with(r#"<pre id="a" class="highlight"><code class="language-py" k="v">"#),
            "{html}"
        );
    }

    /// pymdown-extensions 13.1.2: a custom fence's braces give its id, classes and (with
    /// attr_list) attributes; the format is read from the `!!python/name:` line.
    #[test]
    fn custom_fences_take_the_braces_attributes() {
        let yml = "site_name: x\nmarkdown_extensions:\n  - attr_list\n  - pymdownx.superfences:\n      custom_fences:\n        - name: test\n          class: test\n          format: !!python/name:pymdownx.superfences.fence_div_format\n        - name: test2\n          class: test2\n          format: !!python/name:pymdownx.superfences.fence_code_format\n";
        let d = dialect_from_yml(yml);
        let mut n = 0;
        let cases = [
            ("test", "<div class=\"test\">x</div>\n"),
            (
                "{.test .class #id data-x=1}",
                "<div id=\"id\" class=\"test class\" data-x=\"1\">x</div>\n",
            ),
            (
                "test2 {.a #b x=1}",
                "<pre id=\"b\" class=\"test2 a\" x=\"1\"><code>x</code></pre>\n",
            ),
        ];
        for (info, want) in cases {
            assert_eq!(
                block(&d, Some(info), "x\n", &Highlighter::new(), &mut n),
                want,
                "{info}"
            );
        }
    }

    /// Python-Markdown 3.11.3 with fenced_code and pymdownx.highlight (no superfences)
    /// writes fences plain (`<pre><code class="language-python">`) and only indented
    /// blocks in pymdownx.highlight's `<div class="highlight">`.
    #[test]
    fn highlight_without_superfences_leaves_fences_to_fenced_code() {
        let d = dialect_from_yml("site_name: x\nmarkdown_extensions:\n  - pymdownx.highlight\n");
        let mut n = 0;
        let html = block(&d, Some("python"), "x\n", &Highlighter::new(), &mut n);
        assert!(
            html.starts_with(r#"<pre class="highlight"><code class="language-python">"#),
            "{html}"
        );
        let html = block(&d, None, "x\n", &Highlighter::new(), &mut n);
        assert!(
            html.starts_with(r#"<div class="highlight"><pre>"#),
            "{html}"
        );
    }

    #[test]
    fn indented_blocks_are_highlighted_only_by_pymdownx_highlight() {
        let h = Highlighter::new();
        let mut n = 0;
        let fences =
            dialect_from_yml("site_name: x\nmarkdown_extensions:\n  - pymdownx.superfences\n");
        let html = block(&fences, None, "x <b>\n", &h, &mut n);
        assert_eq!(
            html,
            "<pre class=\"highlight\"><code>x &lt;b&gt;\n</code></pre>\n"
        );
        assert!(
            block(&fences, Some(""), "x\n", &h, &mut n).starts_with("<div class=\"highlight\">")
        );
        let both = dialect_from_yml(
            "site_name: x\nmarkdown_extensions:\n  - pymdownx.highlight\n  - pymdownx.superfences\n",
        );
        let html = block(&both, None, "x\n", &h, &mut n);
        assert!(html.starts_with("<div class=\"highlight\">"), "{html}");
    }

    /// fenced_code's `lang_prefix` (Python-Markdown 3.11.3 writes `class="lang-py"` and,
    /// with an empty prefix, `class="py"`).
    #[test]
    fn fenced_code_lang_prefix() {
        let h = Highlighter::new();
        let mut n = 0;
        for (prefix, want) in [
            ("lang-", r#"<code class="lang-py">"#),
            ("''", r#"<code class="py">"#),
        ] {
            let yml = format!("site_name: x\nmarkdown_extensions:\n  - fenced_code:\n      lang_prefix: {prefix}\n");
            let html = block(&dialect_from_yml(&yml), Some("py"), "x\n", &h, &mut n);
            assert!(html.contains(want), "{prefix}: {html}");
        }
    }
}
