//! Where a removed page went: the new page whose title and words are most alike, and the
//! line that makes the old URL redirect to it.

use super::pages::Published;

/// A new page proposed as the old one's successor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Proposal {
    /// The new page's URL key.
    pub page: String,
    /// The file to edit: the page's Markdown, or mkdocs.yml.
    pub file: String,
    /// The line to add there.
    pub line: String,
    /// How alike the two pages are, in percent.
    pub similarity: u8,
}

/// Below this, no page is alike enough to propose.
const MIN_SCORE: f64 = 0.5;

/// How alike an old page and a new one are: their titles (or, from a sitemap with only
/// URLs, their last URL parts) and the words they share.
fn score(old: &Published, new: &Published) -> f64 {
    let title = |p: &Published| {
        if p.title.is_empty() {
            last_part(&p.key).replace(['-', '_'], " ")
        } else {
            p.title.to_lowercase()
        }
    };
    let titles = strsim::jaro_winkler(&title(old), &title(new));
    if old.words.is_empty() {
        return titles;
    }
    let shared = old.words.intersection(&new.words).count() as f64;
    let all = old.words.union(&new.words).count().max(1) as f64;
    0.5 * titles + 0.5 * shared / all
}

fn last_part(key: &str) -> &str {
    let key = key.trim_end_matches('/');
    let last = key.rsplit('/').next().unwrap_or(key);
    last.strip_suffix(".html").unwrap_or(last)
}

/// The proposal for `old`, a removed page, among the new pages (redirects left out).
/// `docs_dir` (an MkDocs project's, `docs/`) says the alias goes into mkdocs.yml's
/// `redirect_maps`, which names pages from there.
pub(super) fn propose(
    old: &Published,
    new: &[Published],
    docs_dir: Option<&str>,
) -> Option<Proposal> {
    let (best, score) = new
        .iter()
        .filter(|n| n.redirect.is_none() && n.source.is_some())
        .map(|n| (n, score(old, n)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.key.cmp(&a.0.key)))?;
    if score < MIN_SCORE {
        return None;
    }
    let source = best.source.clone()?;
    let (file, line) = if let Some(docs) = docs_dir {
        let from = markdown_path_of(&old.key);
        let to = source.strip_prefix(docs).unwrap_or(&source);
        (
            crate::config::mkdocs::MKDOCS_FILE.to_string(),
            format!("'{from}': '{to}'"),
        )
    } else {
        (source, format!("aliases: [/{}]", old.key))
    };
    Some(Proposal {
        page: best.key.clone(),
        file,
        line,
        similarity: (score * 100.0).round().clamp(0.0, 100.0) as u8,
    })
}

/// The Markdown path MkDocs built an old URL from, as `redirect_maps` names it:
/// `guide/setup/` → `guide/setup.md`, `` → `index.md`, `a.html` → `a.md`.
fn markdown_path_of(key: &str) -> String {
    match key.strip_suffix('/') {
        Some("") => "index.md".to_string(),
        Some(dir) => format!("{dir}.md"),
        None if key.is_empty() => "index.md".to_string(),
        None => format!("{}.md", key.strip_suffix(".html").unwrap_or(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(key: &str, title: &str, words: &str, source: Option<&str>) -> Published {
        Published {
            key: key.into(),
            title: title.into(),
            words: words.split(' ').map(String::from).collect(),
            source: source.map(String::from),
            ..Published::default()
        }
    }

    #[test]
    fn proposes_the_most_alike_page() {
        let old = page("guide/setup/", "Setup", "install wallet run node", None);
        let new = [
            page("", "Home", "welcome read", Some("content/_index.md")),
            page(
                "guide/install/setup/",
                "Setup",
                "install wallet run node",
                Some("content/guide/install/setup.md"),
            ),
            page(
                "guide/other/",
                "Settings",
                "colours fonts",
                Some("content/guide/other.md"),
            ),
        ];
        let p = propose(&old, &new, None).unwrap();
        assert_eq!(p.file, "content/guide/install/setup.md");
        assert_eq!(p.line, "aliases: [/guide/setup/]");
        assert_eq!(p.similarity, 100);
        let new_docs = new.clone().map(|mut p| {
            p.source = p.source.map(|s| s.replace("content/", "docs/"));
            p
        });
        let p = propose(&old, &new_docs, Some("docs/")).unwrap();
        assert_eq!(
            (p.file.as_str(), p.line.as_str()),
            ("mkdocs.yml", "'guide/setup.md': 'guide/install/setup.md'")
        );
        // Nothing alike: no proposal.
        let lone = page("zzz/", "Quarterly tax forms", "fiscal", None);
        assert_eq!(propose(&lone, &new[..1], None), None);
    }
}
