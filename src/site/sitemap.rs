//! `sitemap.xml` and `robots.txt` for the finished Output. A multilingual site has a
//! sitemap per language (`/es/sitemap.xml`), each page with its `hreflang` alternates,
//! and robots.txt names them all.

use super::{insert, languages};
use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::Diagnostic;
use crate::icons::html_escape;
use crate::output::{Output, OutputFile};

pub(super) fn add_sitemap_and_robots(
    output: &mut Output,
    config: &Config,
    content: &Content,
    problems: &mut Vec<Diagnostic>,
) {
    add_sitemap(output, config, content, problems);
    if output.get("robots.txt").is_none() {
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        let mut codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        if codes.is_empty() {
            codes.push(&config.language);
        }
        for code in codes {
            let mut one = config.clone();
            one.language = code.to_string();
            let path = languages::sitemap_path(&one);
            robots.push_str(&format!("Sitemap: {}{path}\n", config.base_url));
        }
        insert(
            output,
            "robots.txt".into(),
            OutputFile::generated(robots.into_bytes(), "generated: robots.txt"),
            problems,
        );
    }
}

/// The sitemap of the language `config` is built in. Pages shown in the default
/// language's words for want of a translation are left out: the default language's
/// sitemap has them.
pub(super) fn add_sitemap(
    output: &mut Output,
    config: &Config,
    content: &Content,
    problems: &mut Vec<Diagnostic>,
) {
    let multilingual = !config.languages.is_empty();
    let mut pages: Vec<_> = content.pages.iter().filter(|p| !p.fallback).collect();
    pages.sort_unstable_by(|a, b| a.url.cmp(&b.url));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if multilingual {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    let full = |url: &str| {
        html_escape(&format!(
            "{}{}",
            config.base_url,
            url.trim_start_matches('/')
        ))
    };
    for page in pages {
        xml.push_str(&format!("  <url><loc>{}</loc>", full(&page.url)));
        let links = languages::links(config, content, page);
        let alternates: Vec<_> = links.iter().filter(|l| l.translated).collect();
        // A page in one language only has no alternates to name.
        for link in alternates.iter().filter(|_| alternates.len() > 1) {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                html_escape(&link.code),
                full(&link.url)
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    insert(
        output,
        languages::sitemap_path(config),
        OutputFile::generated(xml.into_bytes(), "generated: sitemap"),
        problems,
    );
}
