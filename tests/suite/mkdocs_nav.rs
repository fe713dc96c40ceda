//! An MkDocs project without `nav:`: its navigation and previous/next links follow the
//! order MkDocs 1.6.1 derives from the files (checked against MkDocs itself on the same
//! files: index first, then the folder's files by name, then its folders as sections).

use crate::common::*;

/// The files, in the order MkDocs 1.6.1 lists them without a `nav:`.
const MKDOCS_ORDER: [(&str, &str); 11] = [
    ("index.md", "/"),
    ("Beta.md", "/Beta/"),
    ("_under.md", "/_under/"),
    ("alpha.md", "/alpha/"),
    ("z.md", "/z/"),
    ("about/README.md", "/about/"),
    ("about/start.md", "/about/start/"),
    ("about/deep/x.md", "/about/deep/x/"),
    ("b-guide/index.md", "/b-guide/"),
    ("b-guide/a.md", "/b-guide/a/"),
    ("zeta/one.md", "/zeta/one/"),
];

#[test]
fn previous_and_next_follow_the_order_mkdocs_derives_from_the_files() {
    let mut files = vec![("mkdocs.yml", "site_name: Order\n")];
    let texts: Vec<String> = MKDOCS_ORDER
        .iter()
        .map(|(path, _)| format!("# Page {path}\n\nText.\n"))
        .collect();
    // Written in another order than MkDocs', so the order cannot come from the writing.
    for k in (0..MKDOCS_ORDER.len()).rev() {
        files.push((MKDOCS_ORDER[k].0, texts[k].as_str()));
    }
    let files: Vec<(String, &str)> = files
        .into_iter()
        .map(|(p, t)| match p {
            "mkdocs.yml" => (p.to_string(), t),
            _ => (format!("docs/{p}"), t),
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let public = SiteTest::from_files(&files).build_to_temp(&[]);
    for (k, (_, url)) in MKDOCS_ORDER.iter().enumerate() {
        let doc = Doc::parse(&public.read(&format!("{}index.html", &url[1..])));
        let link = |rel: &str| {
            let found = doc.all(&format!(r#"a[rel="{rel}"]"#));
            found
                .first()
                .map(|a| a.value().attr("href").unwrap().to_string())
        };
        let previous = k.checked_sub(1).map(|p| MKDOCS_ORDER[p].1.to_string());
        let next = MKDOCS_ORDER.get(k + 1).map(|n| n.1.to_string());
        assert_eq!(link("prev"), previous, "{url}: previous");
        assert_eq!(link("next"), next, "{url}: next");
    }
    // The navigation lists the home page first, then the same order.
    let home = Doc::parse(&public.read("index.html"));
    let top: Vec<String> = home
        .all(".dcr-nav__list--d0 > li > a.dcr-nav__link")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        top,
        [
            "/",
            "/Beta/",
            "/_under/",
            "/alpha/",
            "/z/",
            "/about/",
            "/b-guide/",
            "/zeta/one/"
        ]
    );
}
