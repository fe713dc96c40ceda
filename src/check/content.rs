//! Content checks, at the Markdown `file:line:column` an author fixes: skipped heading
//! levels, images without alt text, empty links, pages without a title, two pages with
//! one title, and URLs left as plain text. Each is off, a warning or an error by the
//! site's settings ([`ContentChecks`]); an error fails the check like a broken link.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::content_checks::{CheckLevel, ContentChecks};
use crate::diagnostics::Severity;
use crate::markdown::facts::{Fact, FactKind};

/// What the content checks know of one page.
#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    /// The Markdown file, relative to the site root.
    pub source_path: String,
    /// The title the page is shown with.
    pub title: String,
    /// The author gave the page its title (front matter, a leading `# heading`, or a
    /// `nav` entry); not when dcrsite made it up from the file name.
    pub title_written: bool,
    /// Where in the page the title is written (front matter `title:` or the leading
    /// `# heading`).
    pub title_at: Option<(usize, usize)>,
    /// The home page, whose title may be the site's.
    pub is_home: bool,
    pub facts: Vec<Fact>,
}

/// One content check; its id names it in every output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContentCheck {
    SkippedHeadingLevel,
    ImageWithoutAlt,
    EmptyLink,
    PageWithoutTitle,
    DuplicateTitle,
    BareUrl,
}

impl ContentCheck {
    pub const ALL: [ContentCheck; 6] = [
        ContentCheck::SkippedHeadingLevel,
        ContentCheck::ImageWithoutAlt,
        ContentCheck::EmptyLink,
        ContentCheck::PageWithoutTitle,
        ContentCheck::DuplicateTitle,
        ContentCheck::BareUrl,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ContentCheck::SkippedHeadingLevel => "skipped-heading-level",
            ContentCheck::ImageWithoutAlt => "image-without-alt",
            ContentCheck::EmptyLink => "empty-link",
            ContentCheck::PageWithoutTitle => "page-without-title",
            ContentCheck::DuplicateTitle => "duplicate-title",
            ContentCheck::BareUrl => "bare-url",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            ContentCheck::SkippedHeadingLevel => {
                "A heading more than one level below the heading before it."
            }
            ContentCheck::ImageWithoutAlt => "An image without alt text.",
            ContentCheck::EmptyLink => "A link without text or without a URL.",
            ContentCheck::PageWithoutTitle => "A page with neither a title nor a leading heading.",
            ContentCheck::DuplicateTitle => "A page with the title of another page.",
            ContentCheck::BareUrl => "A URL left as plain text where a link was meant.",
        }
    }

    /// The setting's level.
    fn level(self, levels: &ContentChecks) -> CheckLevel {
        match self {
            ContentCheck::SkippedHeadingLevel => levels.heading_levels,
            ContentCheck::ImageWithoutAlt => levels.image_alt,
            ContentCheck::EmptyLink => levels.empty_links,
            ContentCheck::PageWithoutTitle => levels.page_title,
            ContentCheck::DuplicateTitle => levels.duplicate_titles,
            ContentCheck::BareUrl => levels.bare_urls,
        }
    }
}

/// One content problem at its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentFinding {
    pub check: ContentCheck,
    pub severity: Severity,
    pub source_file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// Runs the content checks that are not off over every page, in page and line order.
pub fn check_content(pages: &[PageFacts], levels: &ContentChecks) -> Vec<ContentFinding> {
    let mut found: Vec<ContentFinding> = Vec::new();
    for page in pages {
        page_findings(page, &mut found);
    }
    duplicate_titles(pages, &mut found);
    let mut kept: Vec<ContentFinding> = found
        .into_iter()
        .filter_map(|mut f| {
            f.severity = match f.check.level(levels) {
                CheckLevel::Off => return None,
                CheckLevel::Warning => Severity::Warning,
                CheckLevel::Error => Severity::Error,
            };
            Some(f)
        })
        .collect();
    kept.sort_by(|a, b| {
        (&a.source_file, a.line, a.column, a.check).cmp(&(
            &b.source_file,
            b.line,
            b.column,
            b.check,
        ))
    });
    kept
}

fn finding(
    check: ContentCheck,
    page: &PageFacts,
    at: Option<(usize, usize)>,
    message: String,
    help: String,
) -> ContentFinding {
    ContentFinding {
        check,
        severity: Severity::Warning,
        source_file: page.source_path.clone(),
        line: at.map(|(l, _)| l),
        column: at.map(|(_, c)| c),
        message,
        help,
    }
}

/// The checks of one page's own facts.
fn page_findings(page: &PageFacts, found: &mut Vec<ContentFinding>) {
    if !page.title_written && !page.is_home {
        found.push(finding(
            ContentCheck::PageWithoutTitle,
            page,
            Some((1, 1)),
            format!("page has no title (it is shown as `{}`)", page.title),
            "start the page with a `# Title` heading, or set `title:` in its front matter".into(),
        ));
    }
    // The page title is the `<h1>`, whether written as a heading or in front matter.
    let mut previous = 1u8;
    for fact in &page.facts {
        let at = Some((fact.line, fact.column));
        let (check, message, help) = match &fact.what {
            FactKind::Heading(level) => {
                let skipped = *level > previous + 1;
                let before = previous;
                previous = *level;
                if !skipped {
                    continue;
                }
                (
                    ContentCheck::SkippedHeadingLevel,
                    format!("heading level {level} follows level {before}: level {} is skipped", before + 1),
                    format!("make it a level {} heading (`{}`), or add the level between", before + 1, "#".repeat(before as usize + 1)),
                )
            }
            FactKind::ImageWithoutAlt(url) => (
                ContentCheck::ImageWithoutAlt,
                format!("image `{url}` has no alt text"),
                "say what the image shows: `![a short description](…)`, or `alt=\"\"` on an `<img>` that is only decoration".into(),
            ),
            FactKind::EmptyLink { text, url } if url.trim().is_empty() => (
                ContentCheck::EmptyLink,
                format!("link `{text}` has no URL"),
                "write the link's target between the parentheses, or remove the brackets".into(),
            ),
            FactKind::EmptyLink { url, .. } => (
                ContentCheck::EmptyLink,
                format!("link to `{url}` has no text"),
                "write what the link leads to between the brackets: `[words](…)`".into(),
            ),
            FactKind::BareUrl(url) => (
                ContentCheck::BareUrl,
                format!("URL `{url}` is plain text, not a link"),
                format!("write `<{url}>`, or `[words]({url})`"),
            ),
        };
        found.push(finding(check, page, at, message, help));
    }
}

/// Each page whose title an earlier page (by path) already has, at its title.
fn duplicate_titles(pages: &[PageFacts], found: &mut Vec<ContentFinding>) {
    let mut by_title: BTreeMap<String, Vec<&PageFacts>> = BTreeMap::new();
    for page in pages.iter().filter(|p| p.title_written) {
        let key = page.title.trim().to_lowercase();
        if !key.is_empty() {
            by_title.entry(key).or_default().push(page);
        }
    }
    for mut group in by_title.into_values().filter(|g| g.len() > 1) {
        group.sort_by(|a, b| a.source_path.cmp(&b.source_path));
        let first = group[0];
        for page in &group[1..] {
            found.push(finding(
                ContentCheck::DuplicateTitle,
                page,
                page.title_at,
                format!("title `{}` is also the title of {}", page.title, first.source_path),
                "give each page a title that tells it apart in the navigation, search and browser tabs".into(),
            ));
        }
    }
}
