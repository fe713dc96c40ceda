//! Link pass: resolves every link and image destination through the site's
//! [`LinkResolver`], rewrites the ones that point at site content, warns about broken
//! ones, and records each with the place it was written.

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use super::{LinkRecord, LinkResolution, Positions, RenderOptions};
use crate::diagnostics::Diagnostic;

const BROKEN_HELP: &str =
    "fix the path, or link to an existing page (paths are relative to this file's folder)";

/// Rewrites the destination of a `Start(Link)` / `Start(Image)` event written at byte
/// `offset` of the body; every other event is returned unchanged.
pub(super) fn rewrite<'a>(
    event: Event<'a>,
    offset: usize,
    opts: &RenderOptions<'_>,
    positions: &Positions<'_>,
    links: &mut Vec<LinkRecord>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Event<'a> {
    let mut resolve_dest = |link_type, dest_url, is_image| {
        resolve(
            link_type,
            dest_url,
            is_image,
            offset,
            opts,
            positions,
            links,
            diagnostics,
        )
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            dest_url: resolve_dest(link_type, dest_url, false),
            link_type,
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            dest_url: resolve_dest(link_type, dest_url, true),
            link_type,
            title,
            id,
        }),
        other => other,
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve<'a>(
    link_type: LinkType,
    dest: CowStr<'a>,
    is_image: bool,
    offset: usize,
    opts: &RenderOptions<'_>,
    positions: &Positions<'_>,
    links: &mut Vec<LinkRecord>,
    diagnostics: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let (line, column) = positions.position(offset);
    // `<user@example.com>`: the HTML writer adds `mailto:`; nothing for the resolver.
    if link_type == LinkType::Email {
        links.push(LinkRecord {
            target: format!("mailto:{dest}"),
            written: dest.to_string(),
            line,
            column,
            is_image,
        });
        return dest;
    }
    let (target, out) = match opts.links.resolve(opts.content_path, &dest) {
        LinkResolution::Rewritten(url) => (url.clone(), CowStr::from(url)),
        LinkResolution::Unchanged => (dest.to_string(), dest.clone()),
        LinkResolution::Broken { cause } => {
            // A plugin that writes pages at build time may write this one: the checker
            // reports it as undecided, so it is no warning here.
            let pages_by = opts.mkdocs.and_then(|d| d.generated.pages.as_ref());
            if pages_by.is_none() || is_image {
                diagnostics.push(
                    Diagnostic::broken_link(opts.source_path, &dest, &cause)
                        .of_kind(cause.kind_for(&dest))
                        .at(line, column)
                        .with_help(BROKEN_HELP),
                );
            }
            (dest.to_string(), dest.clone())
        }
    };
    links.push(LinkRecord {
        target,
        written: dest.to_string(),
        line,
        column,
        is_image,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{opts_with, render_with, TestResolver};
    use crate::diagnostics::Severity;

    #[test]
    fn rewrites_keeps_and_reports_broken_links_with_positions() {
        let resolver = TestResolver;
        let md = "Intro line\n\nSee [the guide](guide.md#setup) and [site](https://example.com).\n\n  ![shot](missing.png) [top](#top)\n";
        let out = render_with(md, &opts_with(&resolver, 5));
        assert!(
            out.html
                .contains(r#"<a href="/guide/#setup">the guide</a>"#),
            "{}",
            out.html
        );
        assert!(out
            .html
            .contains(r#"<a href="https://example.com">site</a>"#));
        assert!(out.html.contains(r#"<img src="missing.png" alt="shot" />"#));
        assert!(out.html.contains(r##"<a href="#top">top</a>"##));

        let l = &out.links;
        assert_eq!(l.len(), 4, "{l:?}");
        assert_eq!(l[0].target, "/guide/#setup");
        assert_eq!(l[0].written, "guide.md#setup");
        assert_eq!((l[0].line, l[0].column), (8, 5));
        assert!(!l[0].is_image);
        assert_eq!(l[1].target, "https://example.com");
        assert_eq!((l[1].line, l[1].column), (8, 37));
        assert_eq!(l[2].target, "missing.png");
        assert!(l[2].is_image);
        assert_eq!((l[2].line, l[2].column), (10, 3));
        assert_eq!(l[3].target, "#top");

        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        let d = &out.diagnostics[0];
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.path, "content/page.md");
        assert_eq!((d.line, d.column), (Some(10), Some(3)));
        assert_eq!(
            d.message,
            "broken link `missing.png`: no page or file at content/missing.png"
        );
        assert!(d.is_broken_link());
        assert!(d.help.as_deref().unwrap().contains("relative to this file"));
    }

    #[test]
    fn reference_auto_and_email_links_are_recorded() {
        let resolver = TestResolver;
        let md = "[ref][r] <https://a.example/x> <me@example.com>\n\n[r]: guide.md\n";
        let out = render_with(md, &opts_with(&resolver, 0));
        assert!(
            out.html.contains(r#"<a href="/guide/">ref</a>"#),
            "{}",
            out.html
        );
        assert!(out
            .html
            .contains(r#"<a href="mailto:me@example.com">me@example.com</a>"#));
        let targets: Vec<_> = out.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(
            targets,
            ["/guide/", "https://a.example/x", "mailto:me@example.com"]
        );
        assert_eq!((out.links[1].line, out.links[1].column), (1, 10));
    }

    #[test]
    fn links_in_code_are_not_links() {
        let resolver = TestResolver;
        let md = "`[a](missing.png)`\n\n```\n[b](missing.png)\n```\n";
        let out = render_with(md, &opts_with(&resolver, 0));
        assert!(out.links.is_empty());
        assert!(out.diagnostics.is_empty());
    }
}
