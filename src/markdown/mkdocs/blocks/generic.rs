//! `pymdownx.blocks` (`/// name | argument`, indented YAML options, a body, `///`): the
//! block types a project enabled, the reading of their syntax, and the HTML of each kind.

use serde_yaml::Value;

use super::out::Out;
use super::{dedent, fence_closes, fence_open, indent_of, is_blank, walk, Ctx, Line};
use crate::icons::html_escape;

/// What a generic block makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Admonition,
    Details,
    Tab,
    Html,
    Definition,
}

/// A block name (`/// note`) and what it makes, with its default class and title.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockType {
    pub name: String,
    pub kind: BlockKind,
    pub class: Option<String>,
    pub title: Option<String>,
}

/// The `pymdownx.blocks.*` extensions a project enabled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GenericBlocks {
    pub types: Vec<BlockType>,
    /// `pymdownx.blocks.tab`'s `alternate_style`.
    pub tab_alternate: bool,
    /// `pymdownx.blocks.html`'s `custom`: tags and their Markdown mode.
    pub html_custom: Vec<(String, String)>,
}

/// A start line read: the fence length, the name and the argument (after `|`).
#[derive(Debug, PartialEq)]
struct Start<'t> {
    fence: usize,
    name: String,
    /// The argument and its byte column in the line.
    arg: Option<(&'t str, usize)>,
}

fn parse_start(t: &str) -> Option<Start<'_>> {
    let fence = t.len() - t.trim_start_matches('/').len();
    if fence < 3 {
        return None;
    }
    let rest = t[fence..].trim_start_matches(' ');
    let name_len = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
            .len();
    if name_len == 0 {
        return None;
    }
    let name = rest[..name_len].to_lowercase();
    let after = rest[name_len..].trim_start_matches(' ');
    let arg = if let Some(a) = after.strip_prefix('|') {
        let trimmed = a.trim_start_matches(' ');
        Some((trimmed.trim_end(), t.len() - trimmed.len()))
    } else if after.trim().is_empty() {
        None
    } else {
        return None;
    };
    Some(Start { fence, name, arg })
}

/// Whether `t` ends a block of fence length `fence`.
fn is_end(t: &str, fence: usize) -> bool {
    let t = t.trim_end();
    let n = t.len() - t.trim_start_matches('/').len();
    n == fence && t.len() == n
}

/// The index of the line ending the block whose body starts at `from` (fenced code
/// skipped, nested blocks of the same fence length paired), or None: it runs to the end.
fn find_end(lines: &[Line], from: usize, fence: usize, cx: &Ctx<'_>) -> Option<usize> {
    let mut depth = 0;
    let mut i = from;
    while i < lines.len() {
        let t = lines[i].text.trim_start();
        if let Some(f) = fence_open(t) {
            i += 1;
            while i < lines.len() && !fence_closes(&lines[i].text, f) {
                i += 1;
            }
        } else if is_end(t, fence) {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        } else if parse_start(t).is_some_and(|s| s.fence == fence && type_of(cx, &s.name).is_some())
        {
            depth += 1;
        }
        i += 1;
    }
    None
}

fn type_of<'c>(cx: &'c Ctx<'_>, name: &str) -> Option<&'c BlockType> {
    cx.d.blocks.generic.types.iter().find(|t| t.name == name)
}

/// Options a block accepts, read from its YAML header.
#[derive(Debug, Default)]
struct Options {
    atype: Option<String>,
    open: bool,
    new: bool,
    select: bool,
    markdown: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, String)>,
}

fn is_identifier(s: &str) -> bool {
    let first = s.chars().next();
    first.is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The header's options, or None when one is unknown to `kind` or not valid.
fn read_options(header: &str, kind: BlockKind) -> Option<Options> {
    let mut o = Options::default();
    if header.trim().is_empty() {
        return Some(o);
    }
    let map = match serde_yaml::from_str::<Value>(header).ok()? {
        Value::Null => return Some(o),
        Value::Mapping(m) => m,
        _ => return None,
    };
    for (k, v) in map {
        let key = scalar(&k)?;
        match (key.as_str(), kind) {
            ("attrs", _) => read_attrs(&v, &mut o)?,
            ("type", BlockKind::Admonition | BlockKind::Details) => {
                o.atype = Some(scalar(&v).filter(|s| is_identifier(s))?)
            }
            ("open", BlockKind::Details) => o.open = v.as_bool()?,
            ("new", BlockKind::Tab) => o.new = v.as_bool()?,
            ("select", BlockKind::Tab) => o.select = v.as_bool()?,
            ("markdown", BlockKind::Html) => {
                let m = scalar(&v)?.to_lowercase();
                ["auto", "block", "inline", "raw", "html"]
                    .contains(&m.as_str())
                    .then_some(())?;
                o.markdown = Some(m);
            }
            _ => return None,
        }
    }
    Some(o)
}

fn read_attrs(v: &Value, o: &mut Options) -> Option<()> {
    let Value::Mapping(m) = v else { return None };
    for (k, v) in m {
        let key = scalar(k)?;
        if !is_identifier(&key) {
            return None;
        }
        match (key.to_lowercase().as_str(), v) {
            ("class", Value::Sequence(items)) => {
                o.classes.extend(items.iter().filter_map(scalar));
            }
            ("class", v) => o
                .classes
                .extend(scalar(v)?.split_whitespace().map(str::to_string)),
            (_, v) => o.attrs.push((key, scalar(v).unwrap_or_default())),
        }
    }
    Some(())
}

/// A generic block starting at line `i`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    if cx.d.blocks.generic.types.is_empty() {
        return None;
    }
    let (block, next) = read_block(lines, i, cx)?;
    let written = match block.bt.kind {
        BlockKind::Admonition | BlockKind::Details => block.boxed(cx, out),
        BlockKind::Tab => return tab_set(lines, block, next, cx, out),
        BlockKind::Html => block.html(cx, out),
        BlockKind::Definition => block.define(cx, out),
    };
    written.then_some(next)
}

/// The block starting at line `i` (start line, options, body up to its end) and the
/// index after it; None when the line starts none or its options are not valid.
fn read_block<'l>(lines: &'l [Line], i: usize, cx: &Ctx<'_>) -> Option<(Block<'l>, usize)> {
    let line = &lines[i];
    let indent = indent_of(&line.text);
    let start = parse_start(&line.text[indent..])?;
    let bt = type_of(cx, &start.name)?.clone();
    // The header: the lines right after, indented by four more.
    let mut body_from = i + 1;
    while body_from < lines.len()
        && !is_blank(&lines[body_from].text)
        && indent_of(&lines[body_from].text) >= indent + 4
    {
        body_from += 1;
    }
    let header: Vec<&str> = lines[i + 1..body_from]
        .iter()
        .map(|l| &l.text[indent + 4..])
        .collect();
    let options = read_options(&header.join("\n"), bt.kind)?;
    let arg = start.arg.map(|(a, at)| (a.to_string(), at + 1));
    // Tabs and HTML blocks need an argument; a definition list takes none.
    let needs_arg = matches!(bt.kind, BlockKind::Tab | BlockKind::Html);
    if needs_arg && arg.as_ref().is_none_or(|(a, _)| a.is_empty())
        || bt.kind == BlockKind::Definition && arg.is_some()
    {
        return None;
    }
    let end = find_end(lines, body_from, start.fence, cx);
    let body = lines[body_from..end.unwrap_or(lines.len())]
        .iter()
        .map(|l| dedent(l, indent))
        .collect();
    let next = end.map_or(lines.len(), |e| e + 1);
    let block = Block {
        line,
        indent,
        bt,
        options,
        arg,
        body,
    };
    Some((block, next))
}

/// A set of `/// tab` blocks: `first` and the tab blocks after it (blank lines between),
/// up to one with `new: true`.
fn tab_set(
    lines: &[Line],
    first: Block<'_>,
    mut next: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    first.arg.as_ref()?;
    cx.block_tab_sets += 1;
    let n = cx.block_tab_sets;
    let indent = first.indent;
    let mut tabs = vec![first.into_tab(cx)];
    loop {
        let mut j = next;
        while j < lines.len() && is_blank(&lines[j].text) {
            j += 1;
        }
        let Some((b, after)) = (j < lines.len() && indent_of(&lines[j].text) == indent)
            .then(|| read_block(lines, j, cx))
            .flatten()
        else {
            break;
        };
        if b.bt.kind != BlockKind::Tab || b.options.new || b.arg.is_none() {
            break;
        }
        tabs.push(b.into_tab(cx));
        next = after;
    }
    let alternate = cx.d.blocks.generic.tab_alternate;
    super::tabbed::write_set(out, indent, n, tabs, alternate);
    Some(next)
}

/// A generic block read.
struct Block<'l> {
    line: &'l Line,
    indent: usize,
    bt: BlockType,
    options: Options,
    /// The argument and its column (1-based) in the start line.
    arg: Option<(String, usize)>,
    body: Vec<Line>,
}

fn attrs_html(classes: &[String], attrs: &[(String, String)]) -> String {
    let mut s = String::new();
    if !classes.is_empty() {
        s.push_str(&format!(r#" class="{}""#, html_escape(&classes.join(" "))));
    }
    for (k, v) in attrs {
        s.push_str(&format!(r#" {k}="{}""#, html_escape(v)));
    }
    s
}

impl Block<'_> {
    /// A tab block as a tab of its set (its argument is the title).
    fn into_tab(self, cx: &mut Ctx<'_>) -> super::tabbed::Tab {
        let (title, title_col) = self.arg.unwrap_or_default();
        super::tabbed::Tab {
            origin: self.line.clone(),
            title,
            title_col,
            select: self.options.select,
            body: walk(self.body, cx),
        }
    }

    /// The type's class and default title: from the `type` option for the generic
    /// `admonition` / `details`, else from the type.
    fn class_and_title(&self) -> (Option<String>, Option<String>) {
        let generic = matches!(self.bt.name.as_str(), "admonition" | "details");
        let atype = if generic {
            self.options.atype.clone()
        } else {
            Some(self.bt.name.clone())
        };
        let Some(atype) = atype.filter(|a| !a.is_empty()) else {
            return (None, None);
        };
        let class = if generic {
            atype.clone()
        } else {
            self.bt.class.clone().unwrap_or(atype.clone())
        };
        let title = self
            .bt
            .title
            .clone()
            .filter(|_| !generic)
            .unwrap_or_else(|| {
                super::title_case(
                    &class
                        .split(['_', '-'])
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            });
        let class = (atype != "admonition").then_some(class);
        (class, Some(title))
    }

    /// An admonition or a details block.
    fn boxed(self, cx: &mut Ctx<'_>, out: &mut Out) -> bool {
        let (class, def_title) = self.class_and_title();
        let title = match &self.arg {
            None => def_title.map(|t| (t, 0)),
            Some((a, _)) if a.is_empty() => None,
            Some((a, c)) => Some((a.clone(), *c)),
        };
        let details = self.bt.kind == BlockKind::Details;
        let mut classes: Vec<String> = if details {
            vec![]
        } else {
            vec!["admonition".into()]
        };
        classes.extend(class);
        classes.extend(self.options.classes.iter().cloned());
        let attrs = attrs_html(&classes, &self.options.attrs);
        let body = walk(self.body, cx);
        let saneheaders = cx.d.blocks.saneheaders;
        let mut html = out.html(self.line, self.indent);
        if details {
            let open = if self.options.open {
                r#" open="open""#
            } else {
                ""
            };
            html.tag(&format!("<details{attrs}{open}>"));
        } else {
            html.tag(&format!("<div{attrs}>"));
        }
        if let Some((t, col)) = title {
            let heading = super::admonition::heading(&t, saneheaders);
            match (details, heading) {
                (true, Some(h)) => html.tag("<summary>").markdown_line(&h).tag("</summary>"),
                (true, None) => html.tag("<summary>").inline(&t, col).tag("</summary>"),
                (false, Some(h)) => {
                    html.markdown_line(&format!("{h} {}", super::super::markers::TITLE_HEADING))
                }
                (false, None) => html
                    .tag(r#"<p class="admonition-title">"#)
                    .inline(&t, col)
                    .tag("</p>"),
            };
        }
        html.body(body, false)
            .tag(if details { "</details>" } else { "</div>" })
            .end();
        true
    }

    /// `/// html | tag.class#id[attr=value]`.
    fn html(self, cx: &mut Ctx<'_>, out: &mut Out) -> bool {
        let Some((tag, mut classes, mut attrs)) = self.arg.as_ref().and_then(|(a, _)| selector(a))
        else {
            return false;
        };
        classes.extend(self.options.classes.iter().cloned());
        attrs.extend(self.options.attrs.iter().cloned());
        let open = format!("<{tag}{}>", attrs_html(&classes, &attrs));
        let close = format!("</{tag}>");
        let custom =
            cx.d.blocks
                .generic
                .html_custom
                .iter()
                .find(|(t, _)| *t == tag);
        let auto = custom.map_or("auto", |(_, m)| m.as_str());
        let mode = match self.options.markdown.as_deref().unwrap_or(auto) {
            "auto" if matches!(tag.as_str(), "script" | "style") => "html",
            "auto" if RAW_TAGS.contains(&tag.as_str()) => "raw",
            "auto" if BLOCK_TAGS.contains(&tag.as_str()) => "block",
            "auto" => "inline",
            m => m,
        };
        match mode {
            "raw" | "html" => write_raw(out, self.line, &open, &close, self.body, mode == "raw"),
            _ => {
                let outer = std::mem::replace(&mut cx.inline_body, mode == "inline");
                let body = walk(self.body, cx);
                cx.inline_body = outer;
                let mut html = out.html(self.line, self.indent);
                html.tag(&open);
                if mode == "inline" {
                    html.body_inline(body);
                } else {
                    html.body(body, false);
                }
                html.tag(&close);
                if mode == "inline" {
                    html.tag(super::super::markers::INLINE_END);
                }
                html.end();
            }
        }
        true
    }

    /// `/// define`: paragraphs become terms, list items definitions.
    fn define(self, cx: &mut Ctx<'_>, out: &mut Out) -> bool {
        if self.arg.is_some() {
            return false;
        }
        let attrs = attrs_html(&self.options.classes, &self.options.attrs);
        let body = walk(self.body, cx);
        let mut html = out.html(self.line, self.indent);
        html.tag(&format!("<dl{attrs}>"))
            .tag(super::super::markers::DEFINE);
        html.body(body, false)
            .tag("</dl>")
            .tag(super::super::markers::DEFINE_END)
            .end();
        true
    }
}

/// Tags whose content is read as blocks (pymdownx.blocks' `block_tags`); other tags'
/// content is inline, but for the raw ones.
const BLOCK_TAGS: &[&str] = &[
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "colgroup",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "group",
    "header",
    "hgroup",
    "html",
    "iframe",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "ol",
    "output",
    "progress",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "video",
];

/// Tags whose content is kept as written (HTML-escaped but for `script` and `style`).
const RAW_TAGS: &[&str] = &[
    "canvas", "code", "math", "option", "pre", "script", "style", "textarea",
];

/// A raw block: its body kept as written (HTML-escaped for `raw`).
fn write_raw(out: &mut Out, origin: &Line, open: &str, close: &str, body: Vec<Line>, escape: bool) {
    use super::super::markers::{BLANK, RAW_OPEN};
    out.other();
    out.lines.push(origin.derived(RAW_OPEN.to_string()));
    // Blank lines before the body go, and the indentation its lines share.
    let first = body
        .iter()
        .position(|l| !is_blank(&l.text))
        .unwrap_or(body.len());
    let body = &body[first..];
    let common = body
        .iter()
        .filter(|l| !is_blank(&l.text))
        .map(|l| indent_of(&l.text))
        .min()
        .unwrap_or(0);
    let mut text: Vec<String> = body
        .iter()
        .map(|l| {
            let t = l.text.get(common..).unwrap_or("");
            if escape {
                html_escape(t)
            } else {
                t.to_string()
            }
        })
        .collect();
    while text.last().is_some_and(|t| t.trim().is_empty()) {
        text.pop();
    }
    let n = text.len();
    for (k, t) in text.into_iter().enumerate() {
        let mut t = if t.trim().is_empty() {
            BLANK.to_string()
        } else {
            t
        };
        if k == 0 {
            t = format!("{open}{t}");
        }
        if k + 1 == n {
            t.push_str(close);
        }
        out.lines.push(body[k].derived(t));
    }
    if n == 0 {
        out.lines.push(origin.derived(format!("{open}{close}")));
    }
    out.lines.push(origin.derived(String::new()));
    out.other();
}

/// HTML attributes (name, value) other than `class`, in order.
type Attrs = Vec<(String, String)>;

/// `tag.class#id[name=value name2]`: the tag, its classes and other attributes.
fn selector(s: &str) -> Option<(String, Vec<String>, Attrs)> {
    let tag_len = s.len()
        - s.trim_start_matches(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
            .len();
    let tag = s[..tag_len].to_lowercase();
    if tag.is_empty() || !tag.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let (mut classes, mut attrs) = (Vec::new(), Vec::new());
    let mut rest = &s[tag_len..];
    while let Some(c) = rest.chars().next() {
        let ident = |r: &str| {
            r.len()
                - r.trim_start_matches(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
                    .len()
        };
        match c {
            '.' | '#' => {
                let n = ident(&rest[1..]);
                if n == 0 {
                    return None;
                }
                let name = rest[1..1 + n].to_string();
                if c == '.' {
                    classes.push(name);
                } else {
                    attrs.push(("id".to_string(), name));
                }
                rest = &rest[1 + n..];
            }
            '[' => {
                let end = rest.find(']')?;
                read_bracket(&rest[1..end], &mut classes, &mut attrs)?;
                rest = &rest[end + 1..];
            }
            _ => return None,
        }
    }
    // pymdownx.blocks.html writes the selector's classes sorted (repeats kept).
    classes.sort();
    Some((tag, classes, attrs))
}

/// `name1 name2=value name3="string value"` inside `[…]`.
fn read_bracket(
    s: &str,
    classes: &mut Vec<String>,
    attrs: &mut Vec<(String, String)>,
) -> Option<()> {
    let mut rest = s.trim();
    while !rest.is_empty() {
        let n = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | ':'))
                .len();
        if n == 0 {
            return None;
        }
        let name = rest[..n].to_string();
        rest = &rest[n..];
        let value = if let Some(r) = rest.strip_prefix('=') {
            let (v, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = r[1..].find(q)? + 1;
                    (r[1..end].to_string(), &r[end + 1..])
                }
                _ => {
                    let end = r.find(' ').unwrap_or(r.len());
                    (r[..end].to_string(), &r[end..])
                }
            };
            rest = after;
            v
        } else {
            name.clone()
        };
        if name.eq_ignore_ascii_case("class") {
            classes.extend(value.split_whitespace().map(str::to_string));
        } else {
            attrs.push((name, value));
        }
        rest = rest.trim_start();
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_lines() {
        let s = parse_start("//// admonition | A *title*").unwrap();
        assert_eq!(
            (s.fence, s.name.as_str(), s.arg),
            (4, "admonition", Some(("A *title*", 18)))
        );
        assert_eq!(parse_start("/// note").unwrap().arg, None);
        assert_eq!(parse_start("/// html |").unwrap().arg, Some(("", 10)));
        assert!(parse_start("// note").is_none());
        assert!(parse_start("/// note x").is_none());
        assert!(is_end("///  ", 3) && !is_end("////", 3));
    }

    #[test]
    fn options_known_to_the_kind_only() {
        let o = read_options(
            "type: note\nattrs: {class: a b, id: x}",
            BlockKind::Admonition,
        )
        .unwrap();
        assert_eq!((o.atype.as_deref(), o.classes.len()), (Some("note"), 2));
        assert!(read_options("open: true", BlockKind::Admonition).is_none());
        assert!(read_options("bad()", BlockKind::Definition).is_none());
        assert!(read_options("attrs: {'+': v}", BlockKind::Admonition).is_none());
        assert!(read_options("# attrs: {class: test}", BlockKind::Html).is_some());
    }

    #[test]
    fn html_selectors() {
        let (tag, classes, attrs) = selector(r#"div.a.b#i[n1 n2=v n3="s v" class=c]"#).unwrap();
        assert_eq!(
            (tag.as_str(), classes),
            ("div", vec!["a".to_string(), "b".into(), "c".into()])
        );
        assert_eq!(attrs[0], ("id".to_string(), "i".to_string()));
        assert_eq!(attrs[3], ("n3".to_string(), "s v".to_string()));
        // pymdownx sorts the selector's classes (repeats kept); the `attrs` option's follow.
        let (_, classes, _) = selector("div.zeta.alpha[class=c].zeta").unwrap();
        assert_eq!(classes, ["alpha", "c", "zeta", "zeta"]);
        assert!(selector("div.+").is_none());
        assert!(selector("3tag").is_none());
    }

    /// pymdown-extensions 13.1.2: a `markdown: inline` body's raw HTML is kept as
    /// written, `markdown` attribute and all, even with md_in_html.
    #[test]
    fn an_inline_body_keeps_its_raw_html() {
        let yml = "site_name: x\nmarkdown_extensions:\n  - pymdownx.blocks.html\n  - md_in_html\n";
        let d = crate::markdown::mkdocs::testing::dialect_from_yml(yml);
        let md = "/// html | div\n    markdown: inline\n\n<div markdown=\"block\">\n**content**\n</div>\n\n**content**\n///\n";
        let html = crate::markdown::tests::render_dialect(md, &d, 0).html;
        assert_eq!(
            html.replace('\n', ""),
            "<div><div markdown=\"block\">**content**</div><strong>content</strong></div>"
        );
    }
}
