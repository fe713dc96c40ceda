//! Definition lists, most in list items, with the HTML Python-Markdown 3.11.3 makes of them
//! (asked of the reference, `markdown.markdown(src, extensions=['def_list'])`).

use crate::markdown::mkdocs::testing::assert_shapes;
use crate::markdown::mkdocs::Dialect;

/// (source, the reference's HTML)
const SHAPES: &[(&str, &str)] = &[
    ("- a\n\n    term\n    : def", "<ul>\n<li>\n<p>a</p>\n<dl>\n<dt>term</dt>\n<dd>def</dd>\n</dl>\n</li>\n</ul>"),
    ("- a\n\n    term\n     : def\n     more\n\n        para", "<ul>\n<li>\n<p>a</p>\n<dl>\n<dt>term</dt>\n<dd>def\n more</dd>\n</dl>\n<pre><code>para\n</code></pre>\n</li>\n</ul>"),
    ("1. a\n\n    term\n\n    :   def\n\n        - x", "<ol>\n<li>\n<p>a</p>\n<dl>\n<dt>term</dt>\n<dd>\n<p>def</p>\n</dd>\n</dl>\n<pre><code>- x\n</code></pre>\n</li>\n</ol>"),
    ("- a\n    - b\n\n        term\n        :   def\n        lazy?", "<ul>\n<li>a<ul>\n<li>\n<p>b</p>\n<dl>\n<dt>term</dt>\n<dd>def\nlazy?</dd>\n</dl>\n</li>\n</ul>\n</li>\n</ul>"),
    ("* a\n\n    t\n    : d\n    : e\n\n    t2\n    : f", "<ul>\n<li>\n<p>a</p>\n<dl>\n<dt>t</dt>\n<dd>d</dd>\n<dd>e</dd>\n<dt>t2</dt>\n<dd>f</dd>\n</dl>\n</li>\n</ul>"),
    ("- a\n\n        term\n        : def", "<ul>\n<li>a<pre><code>term\n: def\n</code></pre>\n</li>\n</ul>"),
    ("- a\n- b\n\n    t\n    :   d\n\n        x\n\n- c", "<ul>\n<li>a</li>\n<li>\n<p>b</p>\n<dl>\n<dt>t</dt>\n<dd>d</dd>\n</dl>\n<pre><code>x\n</code></pre>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>"),
    ("term\n\n:   d\n\n    - a\n\n        t\n\n        :   e\n\n            para", "<dl>\n<dt>term</dt>\n<dd>\n<p>d</p>\n<ul>\n<li>\n<p>a</p>\n<dl>\n<dt>t</dt>\n<dd>\n<p>e</p>\n<p>para</p>\n</dd>\n</dl>\n</li>\n</ul>\n</dd>\n</dl>"),
    ("- a\n\n    t\n\n    :   d\n\n    para", "<ul>\n<li>\n<p>a</p>\n<dl>\n<dt>t</dt>\n<dd>\n<p>d</p>\n</dd>\n</dl>\n<p>para</p>\n</li>\n</ul>"),
    ("text\n    - b\n\n        t\n        : d", "<p>text\n    - b</p>\n<pre><code>    t\n    : d\n</code></pre>"),
    ("turducken\n\n:   this is a definition for term. it has\n    multiple lines in the first paragraph.\n\n    1.  ordered list\n\n        - nested list\n\n            term\n\n            :   definition\n\n                -   item 1 paragraph 1\n\n                    item 1 paragraph 2", "<dl>\n<dt>turducken</dt>\n<dd>\n<p>this is a definition for term. it has\nmultiple lines in the first paragraph.</p>\n<ol>\n<li>\n<p>ordered list</p>\n<ul>\n<li>\n<p>nested list</p>\n<dl>\n<dt>term</dt>\n<dd>\n<p>definition</p>\n<ul>\n<li>\n<p>item 1 paragraph 1</p>\n<p>item 1 paragraph 2</p>\n</li>\n</ul>\n</dd>\n</dl>\n</li>\n</ul>\n</li>\n</ol>\n</dd>\n</dl>"),
    ("- a\n\n    term\n    :   def  \n        more", "<ul>\n<li>\n<p>a</p>\n<dl>\n<dt>term</dt>\n<dd>def<br />\nmore</dd>\n</dl>\n</li>\n</ul>"),
    ("term\n:   def  \n    more", "<dl>\n<dt>term</dt>\n<dd>def<br />\nmore</dd>\n</dl>"),
];

#[test]
fn definitions_in_list_items_render_as_python_markdown_renders_them() {
    let mut d = Dialect {
        enabled: true,
        ..Dialect::default()
    };
    d.blocks.def_list = true;
    assert_shapes(SHAPES.iter().map(|&(src, expected)| {
        let got = crate::markdown::tests::render_dialect(src, &d, 0).html;
        (format!("{src:?}"), got, expected)
    }));
}
