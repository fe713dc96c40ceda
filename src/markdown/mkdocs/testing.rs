//! Helpers the dialect's unit tests share: a dialect read from mkdocs.yml text, and the
//! check of a shape table (sources with the HTML the reference makes of them).

use super::Dialect;

/// The dialect a project whose mkdocs.yml is `yml` renders with; the file must read
/// without warnings (a test's options are meant to be taken).
pub(crate) fn dialect_from_yml(yml: &str) -> Dialect {
    let (config, warnings) = crate::config::mkdocs::parse(yml).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    config.mkdocs.unwrap().dialect
}

/// White space collapsed, and dropped next to tags; code blocks' highlight class and
/// headings' ids (the reference ran without `toc`) dropped.
pub(crate) fn normalized(html: &str) -> String {
    let collapsed = html.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = collapsed
        .replace("> ", ">")
        .replace(" <", "<")
        .replace(r#"<pre class="highlight">"#, "<pre>");
    while let Some(at) = out.find(" id=\"") {
        let end = out[at + 5..].find('"').map_or(out.len(), |e| at + 6 + e);
        out.replace_range(at..end, "");
    }
    out
}

/// Each shape (what it is, the HTML rendered, the reference's) compared `normalized`;
/// fails naming every shape that differs, not only the first.
pub(crate) fn assert_shapes<'e>(shapes: impl ExactSizeIterator<Item = (String, String, &'e str)>) {
    let total = shapes.len();
    let wrong: Vec<String> = shapes
        .filter(|(_, got, expected)| normalized(got) != normalized(expected))
        .map(|(what, got, expected)| {
            format!(
                "{what}\n  expected {}\n  got      {}",
                normalized(expected),
                normalized(&got)
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {total} shapes differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
