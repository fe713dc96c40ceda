//! Where a link in the built HTML was written: the Markdown file and position when the
//! author wrote it in content, else the template that rendered the page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostics::LineIndex;
use crate::markdown::LinkRecord;
use crate::output::{Body, OutputFile};

use super::extract::HtmlLink;
use super::resolve::decode;

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// True when the link comes from a template (shared by many pages).
    pub from_template: bool,
}

/// Pairs each HTML link of a page with the Markdown link record it was rendered from.
///
/// Records are in document order and every one of them is somewhere in the HTML, in the
/// same order, among links the template added before (head, navigation) and after
/// (footer). The template may also hold the very same URL (a nav entry to the page a
/// paragraph links to), so among the alignments that match the most records, the one
/// whose matches lie closest together is taken: the content is one contiguous block.
pub fn align(html: &[HtmlLink], records: &[LinkRecord], base_path: &str) -> Vec<Option<usize>> {
    let mut best: Vec<Option<usize>> = vec![None; html.len()];
    if records.is_empty() || html.is_empty() {
        return best;
    }
    let wanted: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            let plain = decode(&r.target).into_owned();
            let prefixed = match crate::output::prefix::prefix_url(&r.target, base_path) {
                Some(p) if base_path != "/" => decode(&p).into_owned(),
                _ => plain.clone(),
            };
            (plain, prefixed)
        })
        .collect();
    let seen: Vec<String> = html.iter().map(|l| decode(&l.url).into_owned()).collect();
    let matches = |i: usize, j: usize| seen[i] == wanted[j].0 || seen[i] == wanted[j].1;

    let mut best_score = (0usize, usize::MAX);
    // Bounded work on huge pages: try at most this many starting points.
    let starts: Vec<usize> = (0..html.len())
        .filter(|&i| {
            records
                .iter()
                .take(4)
                .enumerate()
                .any(|(j, _)| matches(i, j))
        })
        .take(256)
        .collect();
    for start in starts {
        let mut assign = vec![None; html.len()];
        let mut j = 0;
        let (mut first, mut last, mut count) = (None, 0, 0);
        for (i, slot) in assign.iter_mut().enumerate().skip(start) {
            if j >= records.len() {
                break;
            }
            // A record missing from the HTML (say, a link in a heading the template
            // moved) must not stall the rest: look a few records ahead.
            if let Some(k) = (j..records.len().min(j + 4)).find(|&k| matches(i, k)) {
                *slot = Some(k);
                j = k + 1;
                first.get_or_insert(i);
                last = i;
                count += 1;
            }
        }
        let span = first.map(|f| last - f).unwrap_or(usize::MAX);
        if count > best_score.0 || (count == best_score.0 && span < best_score.1) {
            best_score = (count, span);
            best = assign;
        }
    }
    best
}

/// Finds where a link not written as Markdown comes from: raw HTML in the Markdown file,
/// a template (searched for the URL as written), or the file itself.
pub struct Blame<'a> {
    pub root: &'a Path,
    pub base_path: &'a str,
    /// Template files (relative to the root) in search order after the page's own.
    pub template_files: &'a [String],
    texts: Mutex<HashMap<String, Option<Arc<String>>>>,
}

impl<'a> Blame<'a> {
    pub fn new(root: &'a Path, base_path: &'a str, template_files: &'a [String]) -> Self {
        Blame {
            root,
            base_path,
            template_files,
            texts: Mutex::new(HashMap::new()),
        }
    }

    fn text(&self, rel: &str) -> Option<Arc<String>> {
        let mut cache = self.texts.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(rel.to_string())
            .or_insert_with(|| {
                std::fs::read_to_string(self.root.join(rel))
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    }

    /// The place of `link` on a page rendered from `file`; `record` is its Markdown record.
    pub fn place(&self, file: &OutputFile, link: &HtmlLink, record: Option<&LinkRecord>) -> Place {
        if let Some(r) = record {
            return Place {
                file: file.source.clone(),
                line: Some(r.line),
                column: Some(r.column),
                from_template: false,
            };
        }
        // An HTML file copied from content/ as it is: its own lines are the source lines.
        if matches!(file.body, Body::Copy(_)) {
            return Place {
                file: file.source.clone(),
                line: Some(link.line),
                column: Some(link.column),
                from_template: false,
            };
        }
        let written = self.unprefixed(&link.raw);
        if file.source.ends_with(".md") {
            if let Some((line, column)) = self
                .text(&file.source)
                .and_then(|t| find_attr_value(&t, &written))
            {
                return Place {
                    file: file.source.clone(),
                    line: Some(line),
                    column: Some(column),
                    from_template: false,
                };
            }
        }
        if let Some(template) = &file.template {
            let order = std::iter::once(template)
                .chain(self.template_files.iter().filter(|t| *t != template));
            for t in order {
                if let Some((line, column)) = self
                    .text(t)
                    .and_then(|text| find_attr_value(&text, &written))
                {
                    return Place {
                        file: t.clone(),
                        line: Some(line),
                        column: Some(column),
                        from_template: true,
                    };
                }
            }
            return Place {
                file: template.clone(),
                line: None,
                column: None,
                from_template: true,
            };
        }
        Place {
            file: file.source.clone(),
            line: None,
            column: None,
            from_template: false,
        }
    }

    /// The URL as the template or Markdown wrote it, before the base path was added.
    fn unprefixed(&self, raw: &str) -> String {
        if self.base_path != "/" {
            if let Some(rest) = raw.strip_prefix(self.base_path.trim_end_matches('/')) {
                if rest.starts_with('/') {
                    return rest.to_string();
                }
            }
        }
        raw.to_string()
    }
}

/// Line and column of `value` written as a quoted attribute value (`="value"`/`='value'`).
fn find_attr_value(text: &str, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    for quote in ['"', '\''] {
        let needle = format!("{quote}{value}{quote}");
        if let Some(i) = text.find(&needle) {
            return Some(LineIndex::new(text).position(i + 1));
        }
    }
    None
}

/// Every template file of a site (site overrides first, then the theme), relative to the
/// root, for blaming template links on the file that holds them.
pub fn template_files(root: &Path, theme: &str) -> Vec<String> {
    let mut files = Vec::new();
    for dir in [
        root.join("templates"),
        root.join("themes").join(theme).join("templates"),
    ] {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        found.sort();
        files.extend(
            found
                .iter()
                .map(|p| crate::content::walk::display_path(p, root)),
        );
    }
    files
}

#[cfg(test)]
mod tests {
    use super::super::extract::Attr;
    use super::*;

    fn link(url: &str) -> HtmlLink {
        HtmlLink {
            raw: url.into(),
            url: url.into(),
            attr: Attr::Href,
            line: 1,
            column: 1,
        }
    }

    fn record(target: &str, line: usize) -> LinkRecord {
        LinkRecord {
            target: target.into(),
            written: target.into(),
            line,
            column: 1,
            is_image: false,
        }
    }

    #[test]
    fn aligns_content_links_not_the_nav_twin() {
        // nav: /, /guide/, /other/; content: /guide/, x; footer: /guide/
        let html: Vec<HtmlLink> = ["/", "/guide/", "/other/", "/guide/", "x", "/guide/"]
            .into_iter()
            .map(link)
            .collect();
        let records = [record("/guide/", 5), record("x", 6)];
        let a = align(&html, &records, "/");
        assert_eq!(a, [None, None, None, Some(0), Some(1), None]);
    }

    #[test]
    fn aligns_under_a_base_path_and_with_encoding() {
        let html: Vec<HtmlLink> = ["/docs/a/", "caf%C3%A9.png"]
            .into_iter()
            .map(link)
            .collect();
        let records = [record("/a/", 1), record("café.png", 2)];
        assert_eq!(align(&html, &records, "/docs/"), [Some(0), Some(1)]);
    }

    #[test]
    fn finds_attribute_values() {
        assert_eq!(
            find_attr_value("a\n <a href=\"/x/\">", "/x/"),
            Some((2, 11))
        );
        assert_eq!(find_attr_value("href=/x/", "/x/"), None);
    }
}
