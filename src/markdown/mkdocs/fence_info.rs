//! A fence's info string read as pymdownx.superfences reads it: ```` ```lang key="v" ````,
//! ```` ```lang {.class #id key="v"} ```` or ```` ```{.lang #id .class key="v"} ````.

/// What a fence's info string asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FenceInfo {
    pub lang: String,
    pub id: String,
    pub classes: Vec<String>,
    /// `key="value"` pairs that are not options (attributes, kept with `attr_list`).
    pub attrs: Vec<(String, String)>,
    pub title: Option<String>,
    /// `title_mode="html"`: the title is HTML, not text.
    pub title_html: bool,
    /// The options as written (a JavaScript highlighter gets them as attributes).
    pub options: Vec<(String, String)>,
    /// Options were written outside braces (refused without Pygments).
    pub loose: bool,
    /// `linenums="start [step [special]]"`.
    pub linenums: Option<(usize, usize, usize)>,
    /// 1-based lines of the block to highlight.
    pub hl_lines: Vec<usize>,
}

/// Parses `info`; `None` when superfences would refuse the fence (an unknown option
/// outside braces, a bad option value, unbalanced braces or quotes).
pub(crate) fn parse(info: &str) -> Option<FenceInfo> {
    let info = info.trim();
    let mut fence = FenceInfo::default();
    let (head, braces) = match info.find('{') {
        Some(open) => {
            let inner = info[open + 1..].strip_suffix('}')?;
            (&info[..open], Some(inner))
        }
        None => (info, None),
    };
    let mut words = tokens(head)?.into_iter();
    if let Some(Token::Word(first)) = words.clone().next() {
        if braces.is_none() || !head.trim().is_empty() {
            fence.lang = first;
            words.next();
        }
    }
    for token in words {
        match token {
            Token::Pair(k, v) => {
                option(&mut fence, &k, &v).then_some(())?;
                fence.loose = true;
            }
            Token::Word(_) => return None,
        }
    }
    if let Some(inner) = braces {
        for token in tokens(inner)? {
            match token {
                Token::Word(w) if w.starts_with('.') && w.len() > 1 => {
                    if fence.lang.is_empty() && fence.classes.is_empty() && head.trim().is_empty() {
                        fence.lang = w[1..].to_string();
                    } else {
                        fence.classes.push(w[1..].to_string());
                    }
                }
                Token::Word(w) if w.starts_with('#') && w.len() > 1 => fence.id = w[1..].into(),
                // attr_list's valueless attribute: `linenos` is `linenos="linenos"`.
                Token::Word(w) if w.chars().all(|c| c.is_alphanumeric() || "_-".contains(c)) => {
                    fence.attrs.push((w.clone(), w))
                }
                Token::Word(_) => return None,
                Token::Pair(k, v) => {
                    if !option(&mut fence, &k, &v) {
                        if matches!(k.as_str(), "hl_lines" | "linenums" | "title" | "title_mode") {
                            return None;
                        }
                        fence.attrs.push((k, v));
                    }
                }
            }
        }
    }
    Some(fence)
}

/// Applies one `key="value"` option; false when `key` is no option or its value is bad.
fn option(fence: &mut FenceInfo, key: &str, value: &str) -> bool {
    match key {
        "title" => fence.title = Some(value.to_string()),
        "title_mode" => fence.title_html = value == "html",
        "linenums" => {
            let nums: Option<Vec<usize>> =
                value.split_whitespace().map(|n| n.parse().ok()).collect();
            match nums.as_deref() {
                Some([start, rest @ ..]) if rest.len() <= 2 => {
                    let step = rest.first().copied().unwrap_or(1).max(1);
                    let special = rest.get(1).copied().unwrap_or(0);
                    fence.linenums = (*start > 0).then_some((*start, step, special));
                }
                _ => return false,
            }
        }
        "hl_lines" => {
            for part in value.split_whitespace() {
                let (a, b) = part.split_once('-').unwrap_or((part, part));
                let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                    return false;
                };
                fence.hl_lines.extend(a..=b.max(a));
            }
        }
        _ => return false,
    }
    fence.options.push((key.to_string(), value.to_string()));
    true
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Pair(String, String),
}

/// White-space separated words and `key="value"` / `key='value'` / `key=value` pairs.
fn tokens(s: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        match rest.find('=').filter(|&eq| eq < end) {
            Some(eq) => {
                let key = &rest[..eq];
                let after = &rest[eq + 1..];
                let (value, len) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let close = after[1..].find(q)?;
                        (&after[1..1 + close], close + 2)
                    }
                    _ => {
                        let e = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..e], e)
                    }
                };
                if key.is_empty()
                    || !key
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_-:".contains(c))
                {
                    return None;
                }
                out.push(Token::Pair(key.to_string(), value.to_string()));
                rest = after[len..].trim_start();
            }
            None => {
                out.push(Token::Word(rest[..end].to_string()));
                rest = rest[end..].trim_start();
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms() {
        let f = parse(r#"python title="a b.py" linenums="2 3 4" hl_lines="1 3-4""#).unwrap();
        assert_eq!(f.lang, "python");
        assert_eq!(f.title.as_deref(), Some("a b.py"));
        assert_eq!(f.linenums, Some((2, 3, 4)));
        assert_eq!(f.hl_lines, vec![1, 3, 4]);
        let f = parse(r#"{.py #x .more data-a="1" linenums="1"}"#).unwrap();
        assert_eq!((f.lang.as_str(), f.id.as_str()), ("py", "x"));
        assert_eq!(f.classes, vec!["more"]);
        assert_eq!(f.attrs, vec![("data-a".to_string(), "1".to_string())]);
        assert_eq!(f.linenums, Some((1, 1, 0)));
        let f = parse("py {.more}").unwrap();
        assert_eq!((f.lang.as_str(), f.classes.len()), ("py", 1));
        assert_eq!(parse("").unwrap(), FenceInfo::default());
    }

    #[test]
    fn refused_as_superfences_refuses() {
        assert_eq!(parse(r#"python option="bad""#), None);
        assert_eq!(parse(r#"python linenums="x""#), None);
        assert_eq!(parse("python extra"), None);
        assert_eq!(parse(r#"python title="open"#), None);
    }
}
