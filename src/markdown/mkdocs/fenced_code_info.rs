//! A fence's info string read as Python-Markdown's `fenced_code` reads it (MkDocs always
//! loads it; with pymdownx.superfences loaded, `fence_info` reads fences instead):
//! ```` ```lang ````, ```` ```.lang hl_lines="1 2" ```` or ```` ```{ .lang #id key=value } ````
//! with attr_list's scanner. Anything else after the fence makes the line no fence.

use super::attrs::{sanitize, scan, Entry};
use super::fence_info::FenceInfo;

/// Parses `info`; `None` when fenced_code's `FENCED_BLOCK_RE` does not match the line, or
/// its `{…}` leaves an unreadable rest (a mismatched `}`): the line is then no fence.
/// `attrs` holds what fenced_code writes on `<code>` when attr_list is on: the names
/// sanitised, `hl_lines` as Python prints the list; none when `use_pygments` is true.
pub(crate) fn parse(info: &str) -> Option<FenceInfo> {
    let info = info.trim_start_matches(' ');
    match info.strip_prefix('{').and_then(|i| i.strip_suffix('}')) {
        Some(inside) => braces(inside),
        None => plain(info),
    }
}

/// `\.?(?P<lang>[\w#.+-]*)[ ]*(hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?`.
fn plain(info: &str) -> Option<FenceInfo> {
    let rest = info.strip_prefix('.').unwrap_or(info);
    let lang_end = rest
        .find(|c: char| !(c.is_alphanumeric() || "_#.+-".contains(c)))
        .unwrap_or(rest.len());
    let mut fence = FenceInfo {
        lang: rest[..lang_end].to_string(),
        ..FenceInfo::default()
    };
    let rest = rest[lang_end..].trim_start_matches(' ');
    if rest.is_empty() {
        return Some(fence);
    }
    let value = rest.strip_prefix("hl_lines=")?.trim_end_matches(' ');
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let lines = value[1..].strip_suffix(quote)?;
    fence.attrs.push(("hl_lines".into(), hl_lines(lines)));
    Some(fence)
}

/// `{…}`: attr_list's entries, as fenced_code's `handle_attrs` sorts them.
fn braces(inside: &str) -> Option<FenceInfo> {
    let (entries, rest) = scan(inside);
    if !rest.is_empty() {
        return None;
    }
    let mut fence = FenceInfo::default();
    let mut config: Vec<Entry> = Vec::new();
    for (key, value) in entries {
        // A valueless attribute is a flag, its own value.
        let value = value.unwrap_or_else(|| key.clone());
        match key.as_str() {
            "id" => fence.id = value,
            "." => fence.classes.push(value),
            _ => {
                let value = if key == "hl_lines" {
                    hl_lines(&value)
                } else {
                    value
                };
                // A dict: a repeated key keeps its first place, takes the last value.
                match config.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = Some(value),
                    None => config.push((key, Some(value))),
                }
            }
        }
    }
    if !fence.classes.is_empty() {
        fence.lang = fence.classes.remove(0);
    }
    let pygments = config.iter().any(|(k, v)| k == "use_pygments" && truthy(v));
    if !pygments {
        fence.attrs = config
            .into_iter()
            .filter(|(k, _)| k != "use_pygments")
            .map(|(k, v)| (sanitize(&k), v.unwrap_or_default()))
            .collect();
    }
    Some(fence)
}

/// `parseBoolValue(v, fail_on_errors=False)` is true: only for `true`, `yes`, `y`, `on`
/// and `1`, in any case. (fenced_code reads `linenums`, `guess_lang` and `noclasses` as
/// booleans too, then fails writing them as attributes; only `use_pygments` matters.)
fn truthy(value: &Option<String>) -> bool {
    let v = value.as_deref().unwrap_or("").to_lowercase();
    matches!(v.as_str(), "true" | "yes" | "y" | "on" | "1")
}

/// `parse_hl_lines` printed as Python prints the list: `"1 3"` → `[1, 3]`, `[]` when a
/// part is no number.
fn hl_lines(value: &str) -> String {
    let nums: Option<Vec<i64>> = value.split_whitespace().map(|n| n.parse().ok()).collect();
    let nums: Vec<String> = nums
        .unwrap_or_default()
        .iter()
        .map(i64::to_string)
        .collect();
    format!("[{}]", nums.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Info strings and what Python-Markdown 3.11.3's fenced_code (with attr_list) makes
    /// of them: (lang, id, classes, attributes), or `None` for no fence.
    #[test]
    fn read_as_fenced_code_reads_them() {
        type Want<'a> = Option<(&'a str, &'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>)>;
        let cases: [(&str, Want); 11] = [
            ("python", Some(("python", "", vec![], vec![]))),
            (
                ".py hl_lines=\"1\"",
                Some(("py", "", vec![], vec![("hl_lines", "[1]")])),
            ),
            ("python foo", None),
            ("{.py} x", None),
            (
                "{ .py .x #i flag }",
                Some(("py", "i", vec!["x"], vec![("flag", "flag")])),
            ),
            (
                "{ .python hl_lines=\"1 2\" }",
                Some(("python", "", vec![], vec![("hl_lines", "[1, 2]")])),
            ),
            (
                "{ .python x><svg/onload=alert(1) }",
                Some(("python", "", vec![], vec![("x_svg_onload", "alert(1)")])),
            ),
            (
                "{ .\"weird #\"foo bar=\">baz }",
                Some(("\"weird", "\"foo", vec![], vec![("bar", "\">baz")])),
            ),
            ("{ data-test=\"{}\" } }", None),
            (
                "{ .python foo=bar use_pygments=True }",
                Some(("python", "", vec![], vec![])),
            ),
            (
                "{ .python use_pygments=no a=b }",
                Some(("python", "", vec![], vec![("a", "b")])),
            ),
        ];
        for (info, want) in cases {
            let got = parse(info).map(|f| (f.lang, f.id, f.classes, f.attrs));
            let want = want.map(|(l, i, c, a)| {
                let c: Vec<String> = c.iter().map(|s| s.to_string()).collect();
                (l.to_string(), i.to_string(), c, pairs(&a))
            });
            assert_eq!(got, want, "{info}");
        }
    }
}
