//! Material's code annotations: a `(1)` in a comment of a code block followed by an
//! ordered list becomes a link to the list's first item (`# (1)!` drops the rest of the
//! comment). Material does this in the browser; dcrsite does it in the page, so the
//! markers work without JavaScript and the list stays where the author wrote it, readable.
//! On when `content.code.annotate` is listed in `theme.features`, or for a block with the
//! `annotate` class (`` ``` { .yaml .annotate } ``).
//!
//! The markup is Material's (`md-annotation`, `md-annotation__index`,
//! `data-md-annotation-id`), as phrasing content (a span, not an aside) because it sits in
//! `<code>`; anchors are `__code_K_annotation_N`, K counting the page's code blocks from 0
//! as Material's ids do.

/// The page's HTML with the annotation markers of every annotated code block linked to
/// their list items. `all`: `content.code.annotate` is on.
pub(crate) fn apply(html: &str, all: bool) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    let mut from = 0;
    while let Some(at) = html[from..].find("<div class=\"").map(|i| i + from) {
        from = at + 1;
        let Some(block) = annotated_block(html, at, all) else {
            continue;
        };
        let code = html[..at].matches("<pre").count();
        let (body, used) = mark(&html[at..block.end], code, block.items);
        if used.is_empty() {
            continue;
        }
        out.push_str(&html[done..at]);
        out.push_str(&body);
        out.push_str(&html[block.end..block.list]);
        out.push_str(&item_ids(&html[block.list..block.list_end], code, &used));
        done = block.list_end;
        from = done;
    }
    out.push_str(&html[done..]);
    out
}

/// A highlighted block followed by an ordered list: where the block ends, where the list
/// starts and ends, and how many items it has.
struct Block {
    end: usize,
    list: usize,
    list_end: usize,
    items: usize,
}

fn annotated_block(html: &str, at: usize, all: bool) -> Option<Block> {
    let rest = &html[at + 12..];
    let classes = &rest[..rest.find('"')?];
    let has = |c: &str| classes.split_ascii_whitespace().any(|x| x == c);
    if !has("highlight") || !(all || has("annotate")) {
        return None;
    }
    let end = closing(html, at, "div")?;
    let list = end + (html[end..].len() - html[end..].trim_start().len());
    if !html[list..].starts_with("<ol>") {
        return None;
    }
    let list_end = closing(html, list, "ol")?;
    let items = top_level(&html[list..list_end], "<li").count();
    Some(Block {
        end,
        list,
        list_end,
        items,
    })
}

/// The end of the element `name` opened at `at` (just after its closing tag).
fn closing(html: &str, at: usize, name: &str) -> Option<usize> {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut i = at;
    loop {
        let next_open = html[i..].find(&open).map(|k| k + i);
        let next_close = html[i..].find(&close).map(|k| k + i)?;
        match next_open.filter(|&o| o < next_close) {
            Some(o) => {
                depth += 1;
                i = o + open.len();
            }
            None => {
                depth -= 1;
                i = next_close + close.len();
                if depth == 0 {
                    return Some(i);
                }
            }
        }
    }
}

/// Offsets of `tag` in a list's HTML that belong to the list itself, not a nested list.
fn top_level<'a>(list: &'a str, tag: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut depth = 0i32;
    // Bytes, not `str` slices: a list's text has characters of several bytes (emoji).
    let bytes = list.as_bytes();
    (0..list.len()).filter(move |&i| {
        let s = &bytes[i..];
        if s.starts_with(b"<ol") || s.starts_with(b"<ul") {
            depth += 1;
        } else if s.starts_with(b"</ol>") || s.starts_with(b"</ul>") {
            depth -= 1;
        }
        depth == 1 && s.starts_with(tag.as_bytes())
    })
}

/// Whether a span with these classes is a comment (syntect's scopes, or Pygments' classes
/// Material looks in).
fn is_comment(attrs: &str) -> bool {
    let Some(at) = attrs.find("class=\"") else {
        return false;
    };
    let classes = &attrs[at + 7..];
    classes[..classes.find('"').unwrap_or(classes.len())]
        .split_ascii_whitespace()
        .any(|c| matches!(c, "hl-comment" | "c" | "c1" | "cm"))
}

/// The block's HTML with its markers replaced, and the numbers used.
fn mark(block: &str, code: usize, items: usize) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(block.len() + 128);
    let mut used = Vec::new();
    // Open spans: whether each is a comment; where the outermost comment's text starts.
    let mut spans: Vec<bool> = Vec::new();
    let mut comment_start: Option<usize> = None;
    let mut dropping = false;
    let mut i = 0;
    while i < block.len() {
        let s = &block[i..];
        if s.starts_with('<') {
            let end = s.find('>').map_or(s.len(), |k| k + 1);
            let tag = &s[..end];
            if let Some(attrs) = tag.strip_prefix("<span") {
                let comment = is_comment(attrs);
                let outermost = comment && !spans.iter().any(|&c| c);
                spans.push(comment);
                if !dropping {
                    out.push_str(tag);
                }
                if outermost {
                    comment_start = Some(out.len());
                }
            } else if tag == "</span>" {
                spans.pop();
                if !spans.iter().any(|&c| c) {
                    comment_start = None;
                    dropping = false;
                }
                if !dropping {
                    out.push_str(tag);
                }
            } else if !dropping {
                out.push_str(tag);
            }
            i += end;
            continue;
        }
        let end = s.find('<').unwrap_or(s.len());
        let text = &s[..end];
        i += end;
        if dropping {
            continue;
        }
        match comment_start {
            Some(start) => {
                if let Some(bang) = text_markers(text, items, code, &mut out, &mut used) {
                    out.truncate(start);
                    out.push_str(&marker(code, bang));
                    dropping = true;
                }
            }
            None => out.push_str(text),
        }
    }
    (out, used)
}

/// Writes `text` with its `(N)` markers (N an item of the list) replaced; a `(N)!` stops
/// there and is returned, its comment to be replaced by the marker alone.
fn text_markers(
    text: &str,
    items: usize,
    code: usize,
    out: &mut String,
    used: &mut Vec<usize>,
) -> Option<usize> {
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = after[..digits]
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=items).contains(n));
        let (Some(n), true) = (n, after[digits..].starts_with(')')) else {
            out.push_str(&rest[..open + 1]);
            rest = after;
            continue;
        };
        used.push(n);
        if after[digits + 1..].starts_with('!') {
            return Some(n);
        }
        out.push_str(&rest[..open]);
        out.push_str(&marker(code, n));
        rest = &after[digits + 1..];
    }
    out.push_str(rest);
    None
}

fn marker(code: usize, n: usize) -> String {
    format!(
        "<span class=\"md-annotation\"><a class=\"md-annotation__index\" \
         href=\"#__code_{code}_annotation_{n}\"><span data-md-annotation-id=\"{n}\">{n}</span></a></span>"
    )
}

/// The list with an id on each item a marker links to.
fn item_ids(list: &str, code: usize, used: &[usize]) -> String {
    let mut out = String::with_capacity(list.len() + 64);
    let mut done = 0;
    for (k, at) in top_level(list, "<li").enumerate() {
        let n = k + 1;
        if used.contains(&n) && list[at..].starts_with("<li>") {
            out.push_str(&list[done..at]);
            out.push_str(&format!("<li id=\"__code_{code}_annotation_{n}\">"));
            done = at + 4;
        }
    }
    out.push_str(&list[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "<div class=\"highlight\"><pre><span></span><code>a: 1 \
        <span class=\"hl-comment\"><span class=\"hl-punctuation\">#</span> (1)!</span>\n\
        b: 2 <span class=\"hl-comment\"><span class=\"hl-punctuation\">#</span> see (2) and (3)</span>\n\
        </code></pre></div>\n<ol>\n<li>one</li>\n<li>two<ol><li>inner</li></ol></li>\n</ol>\n";

    #[test]
    fn markers_link_to_the_list_items_they_name() {
        let html = apply(BLOCK, true);
        assert!(html.contains(
            "a: 1 <span class=\"hl-comment\"><span class=\"md-annotation\"><a class=\"md-annotation__index\" \
             href=\"#__code_0_annotation_1\"><span data-md-annotation-id=\"1\">1</span></a></span></span>\n"
        ), "{html}");
        assert!(
            html.contains("</span> see <span class=\"md-annotation\">"),
            "{html}"
        );
        // (3) names no item: it stays text.
        assert!(html.contains("</span></a></span> and (3)</span>"), "{html}");
        assert!(
            html.contains("<li id=\"__code_0_annotation_1\">one</li>"),
            "{html}"
        );
        assert!(
            html.contains("<li id=\"__code_0_annotation_2\">two<ol><li>inner"),
            "{html}"
        );
    }

    #[test]
    fn list_items_with_characters_of_several_bytes() {
        // sqlmodel's annotation lists have emoji (a str slice inside one panicked).
        let html = apply(&BLOCK.replace("<li>one</li>", "<li>one ✨ 💯</li>"), true);
        assert!(
            html.contains("<li id=\"__code_0_annotation_1\">one ✨ 💯</li>"),
            "{html}"
        );
    }

    #[test]
    fn off_without_the_feature_or_the_class_and_without_a_list() {
        assert_eq!(apply(BLOCK, false), BLOCK);
        let classed = BLOCK.replace("\"highlight\"", "\"annotate highlight\"");
        assert_ne!(apply(&classed, false), classed);
        let no_list = BLOCK.replace("<ol>", "<ul>").replace("</ol>", "</ul>");
        assert_eq!(apply(&no_list, true), no_list);
    }
}
