//! List shapes with the HTML Python-Markdown 3.11.3 makes of them (asked of the reference,
//! `markdown.markdown(src)` or with `extensions=['sane_lists']`).

use super::super::testing::assert_shapes;
use super::super::Dialect;

/// (source, sane_lists, the reference's HTML)
const SHAPES: &[(&str, bool, &str)] = &[
    ("* a\n* b", false, "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("* a\n\n* b", false, "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"),
    ("1. a\n2. b\n\n3. c\n4. d", false, "<ol>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n<li>d</li>\n</ol>"),
    ("3. a\n4. b", false, "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
    ("* a\n1. b\n- c", false, "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>"),
    ("* a\n\n1. b", false, "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"),
    ("- a\n  - b\n   - c\n    - d", false, "<ul>\n<li>a</li>\n<li>b</li>\n<li>c<ul>\n<li>d</li>\n</ul>\n</li>\n</ul>"),
    ("- a\n    - b\n        - c\n- d", false, "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ul>"),
    ("* a\n    * b\n\n    * c", false, "<ul>\n<li>\n<p>a</p>\n<ul>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</li>\n</ul>"),
    ("* a\n    * b\n        * c\n\n        * d", false, "<ul>\n<li>a<ul>\n<li>\n<p>b</p>\n<ul>\n<li>\n<p>c</p>\n</li>\n<li>\n<p>d</p>\n</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>"),
    ("* a\n\n    b\n* c", false, "<ul>\n<li>\n<p>a</p>\n<p>b\n* c</p>\n</li>\n</ul>"),
    ("* a\n\n    b\n\n* c", false, "<ul>\n<li>\n<p>a</p>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>"),
    ("* a\n\n        code", false, "<ul>\n<li>a<pre><code>code\n</code></pre>\n</li>\n</ul>"),
    ("* a\n\n    * b\n* c", false, "<ul>\n<li>\n<p>a</p>\n<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n</ul>"),
    ("* A list item with a code block\n\n        Some *code*\n\n* Another", false, "<ul>\n<li>\n<p>A list item with a code block</p>\n<pre><code>Some *code*\n</code></pre>\n</li>\n<li>\n<p>Another</p>\n</li>\n</ul>"),
    ("1. a\n\n    para\n\n2. b", false, "<ol>\n<li>\n<p>a</p>\n<p>para</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ol>"),
    ("10. a\n11. b\n    * c", false, "<ol>\n<li>a</li>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ol>"),
    ("* a\ncontinued\n* b", false, "<ul>\n<li>a\ncontinued</li>\n<li>b</li>\n</ul>"),
    ("- a\n  continued\n- b", false, "<ul>\n<li>a\n  continued</li>\n<li>b</li>\n</ul>"),
    ("* a\n    1) b", false, "<ul>\n<li>a\n    1) b</li>\n</ul>"),
    ("1) a\n2) b", false, "<p>1) a\n2) b</p>"),
    ("para\n\n* a\n\npara", false, "<p>para</p>\n<ul>\n<li>a</li>\n</ul>\n<p>para</p>"),
    ("* a\n\npara\n\n* b", false, "<ul>\n<li>a</li>\n</ul>\n<p>para</p>\n<ul>\n<li>b</li>\n</ul>"),
    ("-   wide\n-   wider\n\n    more", false, "<ul>\n<li>wide</li>\n<li>\n<p>wider</p>\n<p>more</p>\n</li>\n</ul>"),
    ("* a\n  * b\n  * c", false, "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>"),
    ("1. a\n   1. b\n   2. c", false, "<ol>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ol>"),
    ("1. a\n    1. b\n    2. c\n2. d", false, "<ol>\n<li>a<ol>\n<li>b</li>\n<li>c</li>\n</ol>\n</li>\n<li>d</li>\n</ol>"),
    ("* a\n\n    > quote\n\n* b", false, "<ul>\n<li>\n<p>a</p>\n<blockquote>\n<p>quote</p>\n</blockquote>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"),
    ("* a\n\n\n* b", false, "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"),
    ("- a\n\n  b", false, "<ul>\n<li>a</li>\n</ul>\n<p>b</p>"),
    ("1. a\n\n   b", false, "<ol>\n<li>a</li>\n</ol>\n<p>b</p>"),
    ("* a\n    * b\n    c", false, "<ul>\n<li>a<ul>\n<li>b\nc</li>\n</ul>\n</li>\n</ul>"),
    ("* a\n\n    * b\n\n    * c\n\n* d", false, "<ul>\n<li>\n<p>a</p>\n<ul>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</li>\n<li>\n<p>d</p>\n</li>\n</ul>"),
    ("Text:\n\n- a\n- b\n\nMore text.", false, "<p>Text:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>More text.</p>"),
    ("- a\n- b\n\n- c\n- d\n\n- e", false, "<ul>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n<li>\n<p>d</p>\n</li>\n<li>\n<p>e</p>\n</li>\n</ul>"),
    ("* one\n\n    two\n\n    three", false, "<ul>\n<li>\n<p>one</p>\n<p>two</p>\n<p>three</p>\n</li>\n</ul>"),
    ("1. a\n* b\n\n2. c", false, "<ol>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ol>"),
    ("- a\n\n        - b", false, "<ul>\n<li>a<pre><code>- b\n</code></pre>\n</li>\n</ul>"),
    ("1. a\n* b", true, "<ol>\n<li>a\n* b</li>\n</ol>"),
    ("3. a\n4. b", true, "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>"),
    ("* a\n\n1. b", true, "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>"),
    ("1. a\n2. b\n\n* c", true, "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n<ul>\n<li>c</li>\n</ul>"),
    ("- ### List 1\n    Entry 1.1\n\n- ### List 2\n    Entry 2.1", false, "<ul>\n<li>\n<h3>List 1</h3>\n<p>Entry 1.1</p>\n</li>\n<li>\n<h3>List 2</h3>\n<p>Entry 2.1</p>\n</li>\n</ul>"),
    ("*\tone\n*\ttwo\n\n*\tthree", false, "<ul>\n<li>one</li>\n<li>\n<p>two</p>\n</li>\n<li>\n<p>three</p>\n</li>\n</ul>"),
    ("1.\tFirst\n\n\tmore\n2.\tSecond", false, "<ol>\n<li>\n<p>First</p>\n<p>more\n2.  Second</p>\n</li>\n</ol>"),
    ("* # Header\nLine 2\n* b", false, "<ul>\n<li>\n<h1>Header</h1>\nLine 2</li>\n<li>b</li>\n</ul>"),
    ("* a\n* * *\n* b", false, "<ul>\n<li>a</li>\n</ul>\n<hr />\n<ul>\n<li>b</li>\n</ul>"),
    ("- a\n- b\n---\n- c", false, "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<hr />\n<ul>\n<li>c</li>\n</ul>"),
    // In quotes, as outside them (CommonMark would make `a` loose).
    ("> * a\n> * b\n>\n> * c", false, "<blockquote>\n<ul>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</blockquote>"),
    ("> > * a\n> > * b\n> >\n> > * c\n> para", false, "<blockquote>\n<blockquote>\n<ul>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c\npara</p>\n</li>\n</ul>\n</blockquote>\n</blockquote>"),
    ("> * a\n* b", false, "<blockquote>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</blockquote>"),
    ("* x\n\n    > * a\n    > * b\n    >\n    > * c", false, "<ul>\n<li>\n<p>x</p>\n<blockquote>\n<ul>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</blockquote>\n</li>\n</ul>"),
    ("> * a\n\n> * b", false, "<blockquote>\n<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n</blockquote>"),
    ("> text\n> * a\n>\n> * b", false, "<blockquote>\n<p>text\n* a</p>\n<ul>\n<li>b</li>\n</ul>\n</blockquote>"),
    ("* a\n\n> * b\n>\n> * c\n\n* d", false, "<ul>\n<li>a</li>\n</ul>\n<blockquote>\n<ul>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</blockquote>\n<ul>\n<li>d</li>\n</ul>"),
    ("> - a\n>     - b\n>\n>     para", false, "<blockquote>\n<ul>\n<li>\n<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n<p>para</p>\n</li>\n</ul>\n</blockquote>"),
];

fn render(src: &str, sane: bool) -> String {
    let mut d = Dialect {
        enabled: true,
        ..Dialect::default()
    };
    d.blocks.sane_lists = sane;
    crate::markdown::tests::render_dialect(src, &d, 0).html
}

#[test]
fn list_shapes_render_as_python_markdown_renders_them() {
    assert_shapes(SHAPES.iter().map(|&(src, sane, expected)| {
        let what = format!("{src:?} (sane_lists: {sane})");
        (what, render(src, sane), expected)
    }));
}

#[test]
fn item_lines_keep_their_source_columns() {
    let lines = super::super::Line::numbered("10. a\n\n    * b [x](y)");
    let (out, items) = super::normalize(lines, false);
    let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["1.  a", "", "    -   b [x](y)"]);
    assert_eq!(items, [(0, true), (2, false)], "`a` is loose, `b` tight");
    // `b` was at column 6 (0-based), it is now at 8.
    assert_eq!(out[2].shift, -2);
    assert_eq!(out[0].shift, 0);
}

/// Hostile pages: deep nesting (past `MAX_DEPTH`, the rest is written as it stands) and a
/// block parted at every other line run in a small stack (as on a worker thread).
#[test]
fn hostile_lists_do_not_exhaust_the_stack() {
    let deep: String = (0..300)
        .map(|i| format!("{}* a\n", " ".repeat(i * 4)))
        .collect();
    let headings = format!("* a\n\n* b\n{}", "# h\n    x\n".repeat(20_000));
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            for text in [deep, headings] {
                let lines = super::super::Line::numbered(&text);
                let n = lines.len();
                let (out, _) = super::normalize(lines, false);
                assert_eq!(out.len(), n);
            }
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}
