//! Where a link in the built HTML was written: the Markdown file and position when the
//! author wrote it in content, else the template that rendered the page.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::diagnostics::LineIndex;
use crate::markdown::LinkRecord;
use crate::output::{Body, OutputFile};
use crate::templates::Templates;

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

impl Place {
    /// A place in the page's own source.
    fn own(file: &str, at: Option<(usize, usize)>) -> Place {
        Place {
            file: file.to_string(),
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            from_template: false,
        }
    }

    /// A place shared by many pages: a template, or the configuration.
    fn shared(file: &str, at: Option<(usize, usize)>) -> Place {
        Place {
            from_template: true,
            ..Place::own(file, at)
        }
    }
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
    /// Every template's file (relative to the root) and text as the pages were rendered
    /// with them, the site's own first.
    templates: Vec<(&'a str, &'a str)>,
    /// For each template file, the order to look for a link in: the templates it is made
    /// of first (so a link in `base.html` is found there, not in another template holding
    /// the same URL), then the rest.
    orders: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    /// The configuration (`site.yaml` or `mkdocs.yml`), whose values templates show.
    config: &'a Config,
    /// Markdown files read so far (raw HTML and front matter are searched in them).
    texts: Mutex<HashMap<String, Option<Arc<String>>>>,
}

impl<'a> Blame<'a> {
    pub fn new(
        root: &'a Path,
        base_path: &'a str,
        templates: &'a Templates,
        config: &'a Config,
    ) -> Self {
        let files = templates.files();
        let orders = files
            .iter()
            .map(|&(file, _)| {
                let used = templates.files_used_by(file);
                let order = used
                    .iter()
                    .filter_map(|u| files.iter().find(|(f, _)| f == u))
                    .chain(files.iter().filter(|(f, _)| !used.contains(f)))
                    .copied()
                    .collect();
                (file, order)
            })
            .collect();
        Blame {
            root,
            base_path,
            templates: files,
            orders,
            config,
            texts: Mutex::new(HashMap::new()),
        }
    }

    /// The text of a Markdown file of the site.
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
            return Place::own(&file.source, Some((r.line, r.column)));
        }
        // An HTML file copied from content/ as it is: its own lines are the source lines.
        if matches!(file.body, Body::Copy(_)) {
            return Place::own(&file.source, Some((link.line, link.column)));
        }
        let written = self.unprefixed(&link.raw);
        let markdown = (file.source.ends_with(".md"))
            .then(|| self.text(&file.source))
            .flatten();
        // Raw HTML in the Markdown file.
        if let Some(at) = markdown
            .as_deref()
            .and_then(|t| find_attr_value(t, &written))
        {
            return Place::own(&file.source, Some(at));
        }
        match &file.template {
            Some(template) => {
                let front_matter = || {
                    let at = value_in_front_matter(markdown.as_deref()?, &written)?;
                    Some(Place::own(&file.source, Some(at)))
                };
                self.place_in_template(template, &written)
                    .or_else(front_matter)
                    .or_else(|| self.place_in_config(&written))
                    .unwrap_or_else(|| Place::shared(template, None))
            }
            None => Place::own(&file.source, None),
        }
    }

    /// Where the templates that render with `template` write `url`: written out; else in
    /// an attribute whose text around its `{{ … }}` matches.
    fn place_in_template(&self, template: &str, url: &str) -> Option<Place> {
        let order = self.orders.get(template).unwrap_or(&self.templates);
        let in_template = |find: &dyn Fn(&str) -> Option<(usize, usize)>| {
            order
                .iter()
                .find_map(|(t, text)| Some(Place::shared(t, Some(find(text)?))))
        };
        in_template(&|text| find_attr_value(text, url))
            .or_else(|| in_template(&|text| find_attr_expression(text, url)))
    }

    /// Where the configuration writes `url`, a value a template shows. It is shown on many
    /// pages, like a template's own link.
    fn place_in_config(&self, url: &str) -> Option<Place> {
        let (file, at) = self.config.url_place(url)?;
        Some(Place::shared(file, Some(at)))
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

/// Line and column of `value` written as a YAML value in the front matter of a Markdown
/// file's `text`.
fn value_in_front_matter(text: &str, value: &str) -> Option<(usize, usize)> {
    crate::yaml::find_value(front_matter_region(text), value)
        .map(|offset| LineIndex::new(text).position(offset))
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

#[cfg(test)]
mod tests {
    use super::super::extract::Attr;
    use super::*;

    fn link(url: &str) -> HtmlLink {
        HtmlLink {
            raw: url.into(),
            url: url.into(),
            attr: Attr::Href,
            offset: 0,
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
    fn template_links_are_found_in_the_templates_as_loaded_nearest_first() {
        // No themes/ folder: the built-in theme renders, and its files are not on disk.
        let site = tempfile::tempdir().unwrap();
        let templates =
            Templates::load(site.path(), "decred", &crate::assets::Manifest::default()).unwrap();
        let config = Config::default();
        let blame = Blame::new(site.path(), "/", &templates, &config);
        let theme = "themes/decred/templates";
        let base = crate::theme::files("templates")
            .find(|(name, _)| *name == "base.html")
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap();
        let place_of = |template: &str, url: &str| {
            let mut page = OutputFile::generated(Vec::new(), "content/a.md");
            page.template = Some(format!("{theme}/{template}"));
            let p = blame.place(&page, &link(url), None);
            (p.file, p.line, p.column)
        };
        // `/` is written in 404.html too: a page rendered by page.html is made of
        // base.html, so the link is there.
        for url in ["#dcr-main", "/"] {
            let (line, column) = crate::diagnostics::position_of(&base, &format!("\"{url}\""))
                .map(|(l, c)| (l, c + 1))
                .unwrap();
            assert_eq!(
                place_of("page.html", url),
                (format!("{theme}/base.html"), Some(line), Some(column)),
                "{url}"
            );
        }
    }

    #[test]
    fn finds_values_in_front_matter_only_there() {
        let md = "---\ntitle: A\nextra:\n  home: /gone/\n---\nBody mentions /gone/ too.\n";
        let fm = front_matter_region(md);
        assert_eq!(
            crate::yaml::find_value(fm, "/gone/").map(|o| LineIndex::new(md).position(o)),
            Some((4, 9))
        );
        assert_eq!(front_matter_region("no front matter /gone/"), "");
    }
}
