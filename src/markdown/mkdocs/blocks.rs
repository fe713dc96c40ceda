//! Indented blocks: admonitions (`!!!`), collapsible blocks (`???`, `???+`) and content
//! tabs (`===`) become HTML around their dedented Markdown bodies.

use super::{fence_closes, fence_open, indent_of, is_blank, Dialect, Line};
use crate::icons::html_escape;

enum Marker {
    /// `!!!` (open = None) or `???` / `???+` (open = Some).
    Box {
        classes: Vec<String>,
        title: Option<String>,
        details: Option<bool>,
    },
    Tab {
        title: String,
        /// `===!`: starts a new tab set.
        new_set: bool,
    },
}

fn parse_marker(t: &str, d: &Dialect) -> Option<Marker> {
    let (kind, rest) = if let Some(r) = t.strip_prefix("!!!").filter(|_| d.admonition) {
        ("!", r)
    } else if let Some(r) = t.strip_prefix("???+").filter(|_| d.details) {
        ("+", r)
    } else if let Some(r) = t.strip_prefix("???").filter(|_| d.details) {
        ("?", r)
    } else if let Some(r) = t.strip_prefix("===").filter(|_| d.tabbed) {
        ("=", r)
    } else {
        return None;
    };
    let (flag, rest) = match rest.chars().next() {
        Some(c @ ('!' | '+')) if kind == "=" => (Some(c), &rest[1..]),
        _ => (None, rest),
    };
    if !rest.starts_with(' ') {
        return None;
    }
    let rest = rest.trim();
    let (head, title) = match rest.find('"') {
        Some(q) => {
            let end = rest.rfind('"').filter(|&e| e > q)?;
            (&rest[..q], Some(rest[q + 1..end].to_string()))
        }
        None => (rest, None),
    };
    let classes: Vec<String> = head.split_whitespace().map(str::to_lowercase).collect();
    if kind == "=" {
        return classes.is_empty().then(|| Marker::Tab {
            title: title.unwrap_or_default(),
            new_set: flag == Some('!'),
        });
    }
    if classes.is_empty()
        || !classes.iter().all(|c| {
            c.chars()
                .all(|x| x.is_alphanumeric() || x == '-' || x == '_')
        })
    {
        return None;
    }
    Some(Marker::Box {
        title,
        details: match kind {
            "+" => Some(true),
            "?" => Some(false),
            _ => None,
        },
        classes,
    })
}

/// The indented body of a block whose marker is at `indent`: lines from `from` that are
/// blank or indented by four more. Returns the body (trailing blanks left out) and the
/// index after it.
fn collect_body(lines: &[Line], from: usize, indent: usize) -> (Vec<Line>, usize) {
    let mut end = from;
    let mut last_content = from;
    while end < lines.len() {
        let t = &lines[end].text;
        if is_blank(t) {
            end += 1;
        } else if indent_of(t) >= indent + 4 {
            end += 1;
            last_content = end;
        } else {
            break;
        }
    }
    let body = lines[from..last_content]
        .iter()
        .map(|l| {
            if is_blank(&l.text) {
                Line {
                    text: String::new(),
                    src: l.src,
                    shift: 0,
                }
            } else {
                Line {
                    text: format!("{}{}", &l.text[..indent], &l.text[indent + 4..]),
                    src: l.src,
                    shift: l.shift + 4,
                }
            }
        })
        .collect();
    (body, last_content)
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Deeper nesting than this is left as written (hostile input must not exhaust the stack).
const MAX_BLOCK_DEPTH: usize = 32;

/// Admonitions, collapsible blocks and tabs (nested ones too) as HTML around Markdown.
pub(super) fn blocks(
    lines: Vec<Line>,
    d: &Dialect,
    tab_sets: &mut usize,
    depth: usize,
) -> Vec<Line> {
    if depth > MAX_BLOCK_DEPTH {
        return lines;
    }
    let mut out: Vec<Line> = Vec::with_capacity(lines.len() + 8);
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let indent = indent_of(&line.text);
        let t = &line.text[indent..];
        if let Some(f) = fence_open(t) {
            out.push(line.clone());
            i += 1;
            while i < lines.len() {
                out.push(lines[i].clone());
                i += 1;
                if fence_closes(&lines[i - 1].text, f) {
                    break;
                }
            }
            continue;
        }
        let Some(marker) = parse_marker(t, d) else {
            out.push(line.clone());
            i += 1;
            continue;
        };
        let pad = " ".repeat(indent);
        let emit = |out: &mut Vec<Line>, text: String| out.push(line.derived(text));
        match marker {
            Marker::Box {
                classes,
                title,
                details,
            } => {
                let (body, next) = collect_body(&lines, i + 1, indent);
                let title = title.unwrap_or_else(|| title_case(&classes[0]));
                let classes = classes.join(" ");
                let (open, close) = match details {
                    None => {
                        let head = if title.is_empty() {
                            String::new()
                        } else {
                            format!(r#"<p class="admonition-title">{}</p>"#, html_escape(&title))
                        };
                        (
                            format!(r#"{pad}<div class="admonition {classes}">{head}"#),
                            format!("{pad}</div>"),
                        )
                    }
                    Some(open) => {
                        let summary = if title.is_empty() {
                            title_case(classes.split(' ').next().unwrap_or("Details"))
                        } else {
                            title
                        };
                        (
                            format!(
                                r#"{pad}<details class="{classes}"{}><summary>{}</summary>"#,
                                if open { " open" } else { "" },
                                html_escape(&summary)
                            ),
                            format!("{pad}</details>"),
                        )
                    }
                };
                emit(&mut out, open);
                emit(&mut out, String::new());
                out.extend(blocks(body, d, tab_sets, depth + 1));
                emit(&mut out, String::new());
                emit(&mut out, close);
                emit(&mut out, String::new());
                i = next;
            }
            Marker::Tab { title, .. } => {
                // The whole set: this tab and the `===` tabs that follow at this indent.
                let mut tabs = Vec::new();
                let (body, mut next) = collect_body(&lines, i + 1, indent);
                tabs.push((title, body));
                loop {
                    let mut j = next;
                    while j < lines.len() && is_blank(&lines[j].text) {
                        j += 1;
                    }
                    let Some(l) = lines.get(j).filter(|l| indent_of(&l.text) == indent) else {
                        break;
                    };
                    match parse_marker(&l.text[indent..], d) {
                        Some(Marker::Tab {
                            title,
                            new_set: false,
                        }) => {
                            let (body, after) = collect_body(&lines, j + 1, indent);
                            tabs.push((title, body));
                            next = after;
                        }
                        _ => break,
                    }
                }
                *tab_sets += 1;
                let n = *tab_sets;
                let mut head = format!(
                    r#"{pad}<div class="tabbed-set tabbed-alternate" data-tabs="{n}:{}">"#,
                    tabs.len()
                );
                for k in 1..=tabs.len() {
                    head.push_str(&format!(
                        r#"<input type="radio" name="__tabbed_{n}" id="__tabbed_{n}_{k}"{}>"#,
                        if k == 1 { " checked" } else { "" }
                    ));
                }
                head.push_str(r#"<div class="tabbed-labels">"#);
                for (k, (title, _)) in tabs.iter().enumerate() {
                    head.push_str(&format!(
                        r#"<label for="__tabbed_{n}_{}">{}</label>"#,
                        k + 1,
                        html_escape(title)
                    ));
                }
                head.push_str(r#"</div><div class="tabbed-content">"#);
                emit(&mut out, head);
                for (_, body) in tabs {
                    emit(&mut out, format!(r#"{pad}<div class="tabbed-block">"#));
                    emit(&mut out, String::new());
                    out.extend(blocks(body, d, tab_sets, depth + 1));
                    emit(&mut out, String::new());
                    emit(&mut out, format!("{pad}</div>"));
                }
                emit(&mut out, format!("{pad}</div></div>"));
                emit(&mut out, String::new());
                i = next;
            }
        }
    }
    out
}
