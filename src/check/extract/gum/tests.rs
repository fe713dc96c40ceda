//! html5gum and lol_html read the same tags.

use super::super::{parse, parse_with_lol_html, Document};
use super::*;

fn same(a: &Document, b: &Document) -> bool {
    a.links == b.links && a.anchors == b.anchors && a.base == b.base && a.generated == b.generated
}

/// Reads `html` both ways; `fast` says whether html5gum must take it (not lol_html).
fn agree(html: &str, fast: bool) {
    assert_eq!(
        start_tags(html, |_| {}).is_ok(),
        fast,
        "html5gum reader on {html:?}"
    );
    for want_links in [true, false] {
        let ours = parse(html.as_bytes(), want_links).unwrap();
        let theirs = parse_with_lol_html(html.as_bytes(), want_links).unwrap();
        assert!(
            same(&ours, &theirs),
            "{html:?}\nhtml5gum: {ours:?}\nlol_html: {theirs:?}"
        );
    }
}

#[test]
fn tags_and_attributes_as_lol_html_reads_them() {
    for html in [
        "<!DOCTYPE html><html><head><base HREF='/b/'><title>a <a href=x> b</title></head>",
        "<A Href=\"/x\" ID=top NAME=n>t</A><a href=/y/>y</a><img src=a.png srcset=\"b.png 2x, c.png 3x\">",
        "<a href = \"/sp aced\" id='q\"uote' data-x>x</a><a href=\"/one\" href=\"/two\">dup</a>",
        "<a href=\"/a\"id=\"glued\"/><a/href=/slash><a =weird href=/w>w</a><a href='>'>gt</a>",
        "<meta http-equiv=\"Refresh\" content=\"0; url='/there/'\"><link rel=x href=/l.css>",
        "<p>1 < 2 and a<b and <3 and </> and </ x> and <?php x ?> and <!bogus> and <!-></p><a href=/after>",
        "<!-- <a href=/commented> --><a href=/real><!----><!-- a -- b --><a id=\"after-comments\">",
        "<script>var s = '<a href=/in-script>'; if (a</b) {}</script  ><a href=/after-script>",
        "<style>a[href='</x>'] {}</STYLE><textarea><a href=/in-textarea></textarea><a href=/t>",
        "<script type=\"application/json\">{\"a\": \"</scripts>\"}</script><a href=/s2>",
        "<noscript><a href=/ns></noscript><iframe src=/f><a href=/in-frame></iframe><xmp><a id=x></xmp>",
        "<video src=v.mp4 poster=p.png></video><object data=o.svg></object><a href=\"&amp;&#x41;\">",
        "<a href=/é id=é>é</a>\n\n  <a\nhref=/multi\nline>x</a><title/><a href=/after-title></title>",
        "<a href=/unterminated-comment><!-- never closed <a href=/no>",
        "<div id=one></div><div id=two/><br/><a href=/end>",
        "",
        "no tags at all",
    ] {
        agree(html, true);
    }
}

#[test]
fn foreign_content_comments_and_odd_endings_as_lol_html_reads_them() {
    for html in [
        "<svg><style><a href=/in-svg-style></style></svg><a href=/x>",
        "<math><mi><a href=/m></a></mi></math>",
        "<svg><title><style><a href=/raw-in-title></style></title><style><a id=in-svg></style></svg>",
        "<svg><foreignObject><script><a href=/raw></script></foreignObject><![CDATA[<a href=/cdata>]]></svg>",
        "<math><annotation-xml encoding=\"text/html\"><style><a href=/h></style></annotation-xml></math>",
        "<svg><p><style><a href=/after-breakout></style><svg><font color=red><style><a id=f></style>",
        "<math><mtext/><style><a href=/m2></style></math><![CDATA[<a href=/html-cdata>]]>",
        "<plaintext><a href=/p>",
        "<script><!-- <script></script> --></script><a href=/s>",
        "<!--><a href=/abrupt>",
        "<!-- a --!><a href=/bang>",
        "<a href=/cut",
        "<a href='/unclosed>",
        "<a href=/cr\r\n>\r\n<a href=/after-crlf id=x\r\ny>",
        "<a href=/nul\0 id=\"a\0b\">",
    ] {
        agree(html, true);
    }
}

#[test]
fn what_html5gum_leaves_to_lol_html() {
    for html in [
        "<select><option><script>x</script></select>",
        "<frameset><noframes><a href=/f></noframes></frameset>",
    ] {
        agree(html, false);
    }
}

/// Every page the test sites build reads the same both ways, and through html5gum.
#[test]
fn built_pages_read_the_same_both_ways() {
    use crate::site::{render_site, BuildOptions};
    let sites = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites");
    let mut pages = 0;
    for site in std::fs::read_dir(sites).unwrap() {
        let root = site.unwrap().path();
        let options = BuildOptions {
            root,
            ..BuildOptions::default()
        };
        let Ok(rendered) = render_site(&options) else {
            continue;
        };
        for (_, file) in rendered.output.pages() {
            let html = file.body.read().unwrap();
            let html = std::str::from_utf8(&html).unwrap();
            agree(html, true);
            pages += 1;
        }
    }
    assert!(pages > 10, "only {pages} pages");
}
