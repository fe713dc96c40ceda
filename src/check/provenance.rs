//! Where a link in the built HTML was written: the Markdown file and position when the
//! author wrote it in content, else the template that rendered the page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostics::LineIndex;
use crate::layout::SiteLayout;
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
    /// The configuration file (`site.yaml` or `mkdocs.yml`), whose values templates show.
    pub config_file: &'a str,
    texts: Mutex<HashMap<String, Option<Arc<String>>>>,
}

impl<'a> Blame<'a> {
    pub fn new(
        root: &'a Path,
        base_path: &'a str,
        template_files: &'a [String],
        config_file: &'a str,
    ) -> Self {
        Blame {
            root,
            base_path,
            template_files,
            config_file,
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
            let order: Vec<&String> = std::iter::once(template)
                .chain(self.template_files.iter().filter(|t| *t != template))
                .collect();
            let in_template = |find: &dyn Fn(&str) -> Option<(usize, usize)>| {
                order.iter().find_map(|t| {
                    let (line, column) = self.text(t).and_then(|text| find(&text))?;
                    Some(Place {
                        file: t.to_string(),
                        line: Some(line),
                        column: Some(column),
                        from_template: true,
                    })
                })
            };
            // Written out in a template; else an attribute whose text around its `{{ … }}`
            // matches; else a value the template shows from the page's front matter or
            // the configuration; else the template, without a line.
            if let Some(place) = in_template(&|text| find_attr_value(text, &written))
                .or_else(|| in_template(&|text| find_attr_expression(text, &written)))
            {
                return place;
            }
            let from_front_matter = file
                .source
                .ends_with(".md")
                .then(|| self.value_in(&file.source, &written, true))
                .flatten();
            if let Some((line, column)) = from_front_matter {
                return Place {
                    file: file.source.clone(),
                    line: Some(line),
                    column: Some(column),
                    from_template: false,
                };
            }
            // A configuration value is shown on many pages, like a template's own link.
            if let Some((line, column)) = self.value_in(self.config_file, &written, false) {
                return Place {
                    file: self.config_file.to_string(),
                    line: Some(line),
                    column: Some(column),
                    from_template: true,
                };
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

    /// Line and column of `value` written as a YAML value in `file` (only in its front
    /// matter when `front_matter_only`).
    fn value_in(&self, file: &str, value: &str, front_matter_only: bool) -> Option<(usize, usize)> {
        let text = self.text(file)?;
        let region = if front_matter_only {
            front_matter_region(&text)
        } else {
            &text
        };
        find_value(region, value).map(|offset| LineIndex::new(&text).position(offset))
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

/// Line and column of a template attribute value that computes `url`: one holding a
/// `{{ … }}` whose literal text (what is not inside `{{ }}` or `{% %}`) is in `url` in the
/// same order, starting it and ending it where the value does. At least a few literal
/// characters must match, so `href="{{ x }}"` alone, which could be any link, never does.
fn find_attr_expression(text: &str, url: &str) -> Option<(usize, usize)> {
    for quote in ['"', '\''] {
        let opener = format!("={quote}");
        let mut from = 0;
        while let Some(i) = text[from..].find(&opener) {
            let start = from + i + opener.len();
            let Some(len) = text[start..].find(quote) else {
                break;
            };
            let value = &text[start..start + len];
            from = start + len;
            if value.contains("{{") && literal_pieces_match(value, url) {
                return Some(LineIndex::new(text).position(start));
            }
        }
    }
    None
}

/// Do the literal pieces of template attribute `value` appear in `url` in order, anchored
/// at the ends where `value` has no expression?
fn literal_pieces_match(value: &str, url: &str) -> bool {
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = value;
    loop {
        let next = [rest.find("{{"), rest.find("{%")]
            .into_iter()
            .flatten()
            .min();
        let Some(open) = next else {
            pieces.push(rest);
            break;
        };
        pieces.push(&rest[..open]);
        let close = if rest[open..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        match rest[open..].find(close) {
            Some(end) => rest = &rest[open + end + 2..],
            None => return false,
        }
    }
    if pieces.iter().map(|p| p.len()).sum::<usize>() < 3 {
        return false;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !url.starts_with(first) || !url.ends_with(last) || url.len() < first.len() + last.len() {
        return false;
    }
    let mut at = first.len();
    for piece in &pieces[1..pieces.len() - 1] {
        match url[at..].find(piece) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    at <= url.len() - last.len()
}

/// The front matter of a Markdown file's text with its `---` lines, as a prefix of the
/// text so offsets in it are offsets in the file (empty when there is none). Split as
/// pages are, by `content::front_matter::split`.
fn front_matter_region(text: &str) -> &str {
    let without_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    match crate::content::front_matter::split(without_bom) {
        Ok(split) if split.yaml.is_some() => &text[..text.len() - split.body.len()],
        _ => "",
    }
}

/// Byte offset of `value` written as a whole YAML value in `text` (after `: `, `- ` or
/// inside quotes), for a link a template shows from data.
fn find_value(text: &str, value: &str) -> Option<usize> {
    if value.len() < 2 {
        return None;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(value) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        let starts = matches!(before, Some(' ' | '"' | '\'' | '\t'));
        let ends = matches!(
            after,
            None | Some('\n' | '\r' | '"' | '\'' | ' ' | ',' | '}' | ']')
        );
        if starts && ends {
            return Some(at);
        }
        from = at + value.len();
    }
    None
}

/// Every template file of a site (site overrides first, then the theme), relative to the
/// root, for blaming template links on the file that holds them.
pub fn template_files(root: &Path, layout: &SiteLayout) -> Vec<String> {
    let mut files = Vec::new();
    for dir in layout.template_dirs() {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
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

    #[test]
    fn finds_the_attribute_that_computes_a_url() {
        let t = "<a href=\"{{ x }}\">\n  <a class=\"c\" href=\"{{ page.url }}#no-anchor\">";
        assert_eq!(find_attr_expression(t, "/a/#no-anchor"), Some((2, 22)));
        assert_eq!(
            find_attr_expression(t, "/a/#other"),
            None,
            "bare {{ x }} never matches"
        );
        let t = "<img src=\"/img/{{ name }}.svg\">";
        assert_eq!(find_attr_expression(t, "/img/Code.svg"), Some((1, 11)));
        assert_eq!(find_attr_expression(t, "/img/Code.png"), None);
        assert!(literal_pieces_match(
            "/p/{% if a %}x{% endif %}/q",
            "/p/x/q"
        ));
        assert!(!literal_pieces_match("/p/{{ a }}/q", "/p"));
    }

    #[test]
    fn finds_values_in_front_matter_only_there() {
        let md = "---\ntitle: A\nextra:\n  home: /gone/\n---\nBody mentions /gone/ too.\n";
        let fm = front_matter_region(md);
        assert_eq!(
            find_value(fm, "/gone/").map(|o| LineIndex::new(md).position(o)),
            Some((4, 9))
        );
        assert_eq!(
            find_value("url: /gone/x\n", "/gone/"),
            None,
            "a prefix is not the value"
        );
        assert_eq!(front_matter_region("no front matter /gone/"), "");
    }
}
