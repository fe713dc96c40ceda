//! Heading pass: ids (explicit `{#id}` or slugs, deduplicated), `{icon=Name}` icons,
//! permalink anchors, the page title (a leading `#` heading) and the table of contents.
//!
//! A heading's inline events are buffered between its start and end (its id depends on
//! its whole text); everything else streams through.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use unicode_normalization::char::is_combining_mark;

use super::text::Words;
use super::{Positions, RenderOptions, Title, TocEntry};
use crate::diagnostics::Diagnostic;
use crate::icons::html_escape;
use crate::markdown::mkdocs::toc::TocMarkup;

/// The id of a heading whose text has no letters or digits.
const EMPTY_SLUG: &str = "section";

/// Turns heading text into an id: lowercase letters and digits (Unicode included), words
/// joined by single `-`, other punctuation dropped; `section` when nothing is left.
/// Combining marks stay with the letter they modify.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if is_combining_mark(c) && !pending_dash && !slug.is_empty() {
            // Part of the letter before it (Devanagari vowel signs, decomposed accents).
            slug.push(c);
        } else if c.is_whitespace() || c == '-' {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str(EMPTY_SLUG);
    }
    slug
}

/// The `<img …>` tag of a legacy raw-HTML icon (`<img class="dcr-icon" src=…>`), as
/// written, when `html` is an `img` tag whose classes include `icon_class`.
pub(super) fn legacy_icon<'h>(html: &'h str, icon_class: &str) -> Option<&'h str> {
    let tag = html.trim();
    let is_img = tag.get(..4).is_some_and(|t| t.eq_ignore_ascii_case("<img"));
    if icon_class.is_empty() || !is_img {
        return None;
    }
    let mut rest = &tag[4..];
    if !rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>') {
        return None;
    }
    // Walk the attributes: name[=value], values quoted with ' or " or unquoted. Every
    // round consumes a name or an `=`, so the loop ends.
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return None;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let mut value = "";
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start_matches(|c: char| c.is_ascii_whitespace());
            if let Some(quote) = after_eq.chars().next().filter(|&c| c == '"' || c == '\'') {
                let inner = &after_eq[1..];
                let end = inner.find(quote).unwrap_or(inner.len());
                value = &inner[..end];
                rest = inner.get(end + 1..).unwrap_or("");
            } else {
                let end = after_eq
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(after_eq.len());
                value = &after_eq[..end];
                rest = &after_eq[end..];
            }
        }
        if name.eq_ignore_ascii_case("class") {
            return value
                .split_ascii_whitespace()
                .any(|class| class == icon_class)
                .then_some(tag);
        }
    }
}

/// A heading between its start and end events.
struct OpenHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<CowStr<'a>>,
    /// Other attributes (attr_list's `{ key=value }`), `icon` taken out.
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    /// The rendered `{icon=…}` icon.
    icon_html: Option<String>,
    /// The first legacy raw `<img class="ICON-CLASS" …>` in the heading.
    legacy_icon: Option<String>,
    is_title: bool,
    /// Body line and column of the heading, for diagnostics.
    position: (usize, usize),
    events: Vec<Event<'a>>,
    text: Words,
    image_depth: usize,
}

/// State of the heading pass over one page.
pub(super) struct Headings<'a> {
    /// Ids given in the page (`{#id}`), reserved so generated ids never clash with them.
    explicit_ids: HashSet<String>,
    /// Every id handed out so far.
    used: HashSet<String>,
    /// For each slug, the last numeric suffix tried, so deduplication stays linear.
    suffixes: HashMap<String, usize>,
    open: Option<OpenHeading<'a>>,
    toc: Vec<TocEntry>,
    title: Option<Title>,
    /// MkDocs pages: ids as Python-Markdown's `toc` makes them (`slug`, `slug_1`, …,
    /// the title counted), so existing `page.md#anchor` links keep working.
    python_ids: Option<&'a super::slugs::TocIds>,
    /// The anchor link written at the end of each heading.
    permalink: Permalink,
    /// MkDocs pages: `toc`'s options for the headings' markup.
    markup: Option<&'a TocMarkup>,
}

/// The link to a heading written inside it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Permalink {
    /// The theme's `#` link (sites of dcrsite's own).
    Theme,
    /// Python-Markdown's `toc` with `permalink` set: its markup, with this text.
    Toc(String),
    /// MkDocs pages without `permalink`: none, as MkDocs writes none.
    None,
}

impl Permalink {
    /// The permalink an MkDocs dialect asks for, or the theme's on other sites.
    pub(super) fn of(dialect: Option<&super::mkdocs::Dialect>) -> Permalink {
        match dialect {
            None => Permalink::Theme,
            Some(d) if d.toc_permalink => Permalink::Toc(
                d.toc_permalink_text
                    .clone()
                    .unwrap_or_else(|| "&para;".into()),
            ),
            Some(_) => Permalink::None,
        }
    }

    fn html(&self, id: &str, markup: Option<&TocMarkup>) -> Option<String> {
        let escaped = html_escape(id);
        match self {
            Permalink::Theme => Some(format!(
                r##"<a class="headerlink" href="#{escaped}" aria-label="Link to this section">#</a>"##
            )),
            Permalink::Toc(text) => Some(match markup {
                Some(m) => m.permalink(id, text),
                None => format!(
                    r##"<a class="headerlink" href="#{escaped}" title="Permanent link">{text}</a>"##
                ),
            }),
            Permalink::None => None,
        }
    }

    /// Whether `toc`'s `permalink_leading` puts it before the heading's words.
    fn leading(&self, markup: Option<&TocMarkup>) -> bool {
        matches!(self, Permalink::Toc(_)) && markup.is_some_and(|m| m.permalink_leading)
    }
}

impl<'a> Headings<'a> {
    pub(super) fn new(
        explicit_ids: HashSet<String>,
        python_ids: Option<&'a super::slugs::TocIds>,
        permalink: Permalink,
        markup: Option<&'a TocMarkup>,
    ) -> Self {
        Headings {
            python_ids,
            permalink,
            markup,
            explicit_ids,
            used: HashSet::new(),
            suffixes: HashMap::new(),
            open: None,
            toc: Vec::new(),
            title: None,
        }
    }

    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// A heading starts (at byte `offset` of the body); `is_title` when it is the
    /// document's leading `#` heading.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn start(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        is_title: bool,
        offset: usize,
        opts: &RenderOptions<'_>,
        positions: &Positions<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let position = positions.position(offset);
        let mut icon_html = None;
        if let Some((_, value)) = attrs.iter().find(|(key, _)| key.as_ref() == "icon") {
            match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                Some(name) => match opts.icons.render(name) {
                    Ok(html) => icon_html = Some(html),
                    Err(mut d) => {
                        d.path = opts.source_path.to_string();
                        let (line, column) = positions.position_on_line(offset, "icon=");
                        diagnostics.push(d.at(line, column));
                    }
                },
                None => diagnostics.push(
                    Diagnostic::error(opts.source_path, "heading attribute `icon` has no name")
                        .at(position.0, position.1)
                        .with_help(
                            "write `{icon=Name}`, where Name is an SVG file in the icon folder",
                        ),
                ),
            }
        }
        self.open = Some(OpenHeading {
            level,
            explicit_id: id.filter(|id| !id.is_empty()).map(|id| id.to_string()),
            classes,
            attrs: attrs
                .into_iter()
                .filter(|(k, _)| k.as_ref() != "icon")
                .collect(),
            icon_html,
            legacy_icon: None,
            // `baselevel` makes the leading `#` another level: MkDocs sees no h1 title.
            is_title: is_title && self.markup.is_none_or(|m| m.level(1) == 1),
            position,
            events: Vec::new(),
            text: Words::default(),
            image_depth: 0,
        });
    }

    /// An event inside the open heading.
    pub(super) fn push(&mut self, event: Event<'a>, icon_class: &str) {
        let Some(h) = self.open.as_mut() else {
            return;
        };
        match &event {
            Event::Text(t) | Event::Code(t) if h.image_depth == 0 => h.text.push(t),
            Event::SoftBreak | Event::HardBreak => h.text.space(),
            Event::InlineHtml(html) | Event::Html(html) if h.legacy_icon.is_none() => {
                if let Some(tag) = legacy_icon(html, icon_class) {
                    h.legacy_icon = Some(tag.to_string());
                }
            }
            Event::Start(Tag::Image { .. }) => h.image_depth += 1,
            Event::End(TagEnd::Image) => h.image_depth = h.image_depth.saturating_sub(1),
            _ => {}
        }
        h.events.push(event);
    }

    /// The open heading ends: writes it to `out` (or keeps it as the title) and adds
    /// its words to `plain`.
    pub(super) fn end(
        &mut self,
        out: &mut Vec<Event<'a>>,
        plain: &mut Words,
        opts: &RenderOptions<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let Some(mut h) = self.open.take() else {
            return;
        };
        let text = std::mem::take(&mut h.text).finish();
        if h.is_title {
            return self.keep_title(h, text);
        }
        let id = self.heading_id(&h, &text, opts, diagnostics);
        plain.space();
        plain.push(&text);
        plain.space();
        let label = self.python_ids.and_then(|_| toc_label(&mut h.attrs));
        let level = self
            .markup
            .map_or(h.level as u8, |m| m.level(h.level as u8));
        h.level = HeadingLevel::try_from(level as usize).unwrap_or(h.level);
        // The TOC shows the heading's icon, or else the legacy `<img>` it holds.
        let toc_icon = h.icon_html.clone().or_else(|| h.legacy_icon.take());
        write_heading(out, h, &id, &self.permalink, self.markup);
        if self.markup.is_none_or(|m| m.lists(level)) {
            self.toc.push(TocEntry {
                level,
                id,
                text: label.unwrap_or(text),
                icon_html: toc_icon,
                children: Vec::new(),
            });
        }
    }

    /// The document's leading `#` heading, kept as its title.
    fn keep_title(&mut self, mut h: OpenHeading<'a>, text: String) {
        // MkDocs gives the leading `#` heading its id like any other (links to
        // `page.md#title` work); other sites' titles have none, as before.
        let id = self.python_ids.map(|toc| {
            let id = h.explicit_id.clone().unwrap_or_else(|| toc.slug(&text));
            self.unique(id)
        });
        let mut html = String::with_capacity(text.len() * 2);
        if self.python_ids.is_some() {
            toc_label(&mut h.attrs); // the title is not in the table of contents
        }
        let events = std::mem::take(&mut h.events);
        let link = id
            .as_ref()
            .and_then(|id| self.permalink.html(id, self.markup));
        let leading = self.permalink.leading(self.markup);
        if let Some(link) = link.as_ref().filter(|_| leading) {
            html.push_str(link);
        }
        let anchor = id.as_ref().zip(self.markup.filter(|m| m.anchorlink));
        if let Some((id, m)) = anchor {
            html.push_str(&m.anchor_open(id));
        }
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if anchor.is_some() {
            html.push_str("</a>");
        }
        if let Some(link) = link.as_ref().filter(|_| !leading) {
            html.push_str(link);
        }
        let mut attrs = String::new();
        if !h.classes.is_empty() {
            attrs = format!(
                r#" class="{}""#,
                crate::icons::html_escape(&h.classes.join(" "))
            );
        }
        for (k, v) in &h.attrs {
            attrs.push(' ');
            attrs.push_str(k);
            if let Some(v) = v {
                attrs.push_str(&format!(r#"="{}""#, crate::icons::html_escape(v)));
            }
        }
        self.title = Some(Title {
            attrs,
            text,
            html: html.trim().to_string(),
            icon_html: h.icon_html,
            id,
        });
    }

    /// The heading's id: the one written (warned about when another heading has it),
    /// else one made from its words that no other heading has.
    fn heading_id(
        &mut self,
        h: &OpenHeading<'a>,
        text: &str,
        opts: &RenderOptions<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> String {
        let Some(id) = &h.explicit_id else {
            return match self.python_ids {
                Some(toc) => self.unique(toc.slug(text)),
                None => self.unique(slugify(text)),
            };
        };
        if !self.used.insert(id.clone()) {
            diagnostics.push(
                Diagnostic::warning(opts.source_path, format!("duplicate heading id `{id}`"))
                    .at(h.position.0, h.position.1)
                    .with_help("give each heading on the page a different `{#id}`"),
            );
        }
        id.clone()
    }

    /// `base`, or `base-1`, `base-2`, … whichever is first unused (explicit ids included).
    fn unique(&mut self, base: String) -> String {
        let sep = if self.python_ids.is_some() { '_' } else { '-' };
        if !base.is_empty() && !self.used.contains(&base) && !self.explicit_ids.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let n = self.suffixes.entry(base.clone()).or_insert(0);
        loop {
            *n += 1;
            let candidate = format!("{base}{sep}{n}");
            if !self.used.contains(&candidate) && !self.explicit_ids.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
    }

    /// The title (when the page starts with `#`) and the nested table of contents.
    pub(super) fn finish(self) -> (Option<Title>, Vec<TocEntry>) {
        (self.title, nest(self.toc))
    }
}

/// attr_list's `data-toc-label`, taken out of the heading's attributes: the words the
/// table of contents shows for it (tags dropped, as Python-Markdown's `toc` does).
fn toc_label(attrs: &mut Vec<(CowStr<'_>, Option<CowStr<'_>>)>) -> Option<String> {
    let at = attrs
        .iter()
        .position(|(k, _)| k.as_ref() == "data-toc-label")?;
    let value = attrs
        .remove(at)
        .1
        .map(|v| v.to_string())
        .unwrap_or_default();
    let mut words = String::with_capacity(value.len());
    let mut in_tag = false;
    for c in value.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => words.push(c),
            _ => {}
        }
    }
    Some(crate::check::extract::decode_entities(words.trim()))
}

/// Writes heading `h` with its `id`, its icon before its words and a link to itself after
/// (before them with `permalink_leading`; the words a link too with `anchorlink`).
fn write_heading<'a>(
    out: &mut Vec<Event<'a>>,
    h: OpenHeading<'a>,
    id: &str,
    permalink: &Permalink,
    markup: Option<&TocMarkup>,
) {
    out.reserve(h.events.len() + 6);
    out.push(Event::Start(Tag::Heading {
        level: h.level,
        id: Some(CowStr::from(id.to_string())),
        classes: h.classes,
        attrs: h.attrs,
    }));
    let link = permalink.html(id, markup);
    let leading = permalink.leading(markup);
    if let Some(link) = link.as_ref().filter(|_| leading) {
        out.push(Event::Html(CowStr::from(link.clone())));
    }
    let anchor = markup.filter(|m| m.anchorlink);
    if let Some(m) = anchor {
        out.push(Event::InlineHtml(CowStr::from(m.anchor_open(id))));
    }
    if let Some(icon) = &h.icon_html {
        let mut icon_space = String::with_capacity(icon.len() + 1);
        icon_space.push_str(icon);
        icon_space.push(' ');
        out.push(Event::Html(CowStr::from(icon_space)));
    }
    out.extend(h.events);
    if anchor.is_some() {
        out.push(Event::InlineHtml(CowStr::from("</a>")));
    }
    if let Some(link) = link.filter(|_| !leading) {
        out.push(Event::Html(CowStr::from(link)));
    }
    out.push(Event::End(TagEnd::Heading(h.level)));
}

/// Nests a flat list of headings: each goes under the nearest preceding shallower one.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    // Open entries, shallowest first; each is a child of the one before it.
    let mut stack: Vec<TocEntry> = Vec::new();
    fn close(stack: &mut Vec<TocEntry>, roots: &mut Vec<TocEntry>) {
        if let Some(done) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    }
    for entry in flat {
        while stack.last().is_some_and(|top| top.level >= entry.level) {
            close(&mut stack, &mut roots);
        }
        stack.push(entry);
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::super::tests::{opts_with, render_plain, render_with, TestResolver};
    use super::*;
    use crate::diagnostics::Severity;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Über  straße -- 2 "), "über-straße-2");
        assert_eq!(slugify("a_b.c"), "abc");
        assert_eq!(slugify("--- !!! ---"), "section");
        assert_eq!(slugify(""), "section");
        assert_eq!(slugify("日本語 の 見出し"), "日本語-の-見出し");
        assert_eq!(slugify("हिन्दी भाषा"), "हिन्दी-भाषा");
        assert_eq!(slugify("Cafe\u{301} -\u{301}x"), "cafe\u{301}-x");
    }

    #[test]
    fn ids_are_slugged_deduplicated_and_explicit_ids_honoured() {
        let md =
            "## Foo\n\n## Foo\n\n## Foo\n\n## Other {#foo-3 .wide}\n\n## Foo\n\n## Bar! *baz*\n";
        let out = render_plain(md);
        let ids: Vec<_> = out.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["foo", "foo-1", "foo-2", "foo-3", "foo-4", "bar-baz"]);
        assert!(out.html.contains(
            r##"<h2 id="foo-3" class="wide">Other<a class="headerlink" href="#foo-3" aria-label="Link to this section">#</a></h2>"##
        ), "{}", out.html);
        assert!(out.html.contains(
            r##"<h2 id="bar-baz">Bar! <em>baz</em><a class="headerlink" href="#bar-baz" aria-label="Link to this section">#</a></h2>"##
        ), "{}", out.html);
    }

    #[test]
    fn generated_ids_avoid_later_explicit_ids() {
        let out = render_plain("## Setup\n\n## Install {#setup}\n");
        let ids: Vec<_> = out.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["setup-1", "setup"]);
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn duplicate_explicit_ids_warn() {
        let out = render_plain("## A {#x}\n\n## B {#x}\n");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].severity, Severity::Warning);
        assert_eq!(out.diagnostics[0].line, Some(3));
    }

    #[test]
    fn heading_icon_is_inserted_and_unknown_icon_reported_at_file_position() {
        let resolver = TestResolver;
        let md = "Intro\n\n## Write code {icon=Code}\n\nText\n\n### Oops {icon=Cod}\n";
        let out = render_with(md, &opts_with(&resolver, 4));
        assert!(
            out.html.contains(
                r##"<h2 id="write-code"><img class="dcr-icon" src="/img/dcr-icons/Code.svg" alt=""> Write code<a class="headerlink" href="#write-code""##
            ),
            "{}",
            out.html
        );
        assert_eq!(
            out.toc[0].icon_html.as_deref(),
            Some(r#"<img class="dcr-icon" src="/img/dcr-icons/Code.svg" alt="">"#)
        );
        assert_eq!(out.toc[0].text, "Write code");
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        let d = &out.diagnostics[0];
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.path, "content/page.md");
        assert_eq!(d.message, "unknown icon `Cod`");
        assert_eq!((d.line, d.column), (Some(11), Some(11)), "at `icon=`");
        assert!(d.help.as_deref().unwrap().contains("did you mean `Code`"));
        // The heading still renders, without an icon.
        assert!(out.html.contains(r#"<h3 id="oops">Oops<a"#), "{}", out.html);
    }

    #[test]
    fn title_is_extracted_with_raw_icon_kept_in_html_only() {
        let md = "# <img class=\"dcr-icon\" src=\"/img/dcr-icons/Code.svg\" /> Code &amp; *more*\n\nBody.\n\n## Next\n";
        let out = render_plain(md);
        let title = out.title.unwrap();
        assert_eq!(title.text, "Code & more");
        assert_eq!(
            title.html,
            r#"<img class="dcr-icon" src="/img/dcr-icons/Code.svg" /> Code &amp; <em>more</em>"#
        );
        assert_eq!(title.icon_html, None);
        assert!(!out.html.contains("<h1"));
        assert!(!out.html.contains("dcr-icon"));
        assert_eq!(out.toc.len(), 1);
        assert_eq!(out.toc[0].text, "Next");
        assert_eq!(out.plain_text, "Body. Next");
    }

    #[test]
    fn title_icon_attribute_goes_to_icon_html() {
        let out = render_plain("# Getting started {icon=Introductions #ignored}\n");
        let title = out.title.unwrap();
        assert_eq!(title.text, "Getting started");
        assert_eq!(title.html, "Getting started");
        assert_eq!(
            title.icon_html.as_deref(),
            Some(r#"<img class="dcr-icon" src="/img/dcr-icons/Introductions.svg" alt="">"#)
        );
        assert_eq!(out.html, "");
    }

    #[test]
    fn mkdocs_title_gets_its_id_first_and_other_sites_none() {
        let dialect = crate::markdown::mkdocs::Dialect {
            enabled: true,
            // `{#start}` is attr_list's (text without it, as in MkDocs).
            attr_list: true,
            ..Default::default()
        };
        let opts = RenderOptions {
            mkdocs: Some(&dialect),
            ..opts_with(&TestResolver, 0)
        };
        let out = render_with("# Setup\n\n## Setup\n\n# Other\n", &opts);
        assert_eq!(out.title.unwrap().id.as_deref(), Some("setup"));
        let ids: Vec<_> = out.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            ["setup_1", "other"],
            "as Python-Markdown's toc numbers them"
        );
        let out = render_with("# Setup {#start}\n", &opts);
        assert_eq!(out.title.unwrap().id.as_deref(), Some("start"));
        assert_eq!(render_plain("# Setup\n").title.unwrap().id, None);
    }

    #[test]
    fn permalinks_as_toc_writes_them_on_mkdocs_pages_and_the_themes_elsewhere() {
        let render_mkdocs = |permalink: bool, text: Option<&str>| {
            let dialect = crate::markdown::mkdocs::Dialect {
                enabled: true,
                toc_permalink: permalink,
                toc_permalink_text: text.map(str::to_string),
                ..Default::default()
            };
            let opts = RenderOptions {
                mkdocs: Some(&dialect),
                ..opts_with(&TestResolver, 0)
            };
            render_with("## C\n", &opts).html
        };
        assert_eq!(
            render_mkdocs(false, None),
            "<h2 id=\"c\">C</h2>\n",
            "no permalink option, none"
        );
        assert_eq!(
            render_mkdocs(true, None),
            "<h2 id=\"c\">C<a class=\"headerlink\" href=\"#c\" title=\"Permanent link\">&para;</a></h2>\n"
        );
        assert!(render_mkdocs(true, Some("#")).contains(r##"title="Permanent link">#</a>"##));
        assert!(render_plain("## C\n")
            .html
            .contains(r##"aria-label="Link to this section">#</a>"##));
    }

    #[test]
    fn toc_options_shape_the_headings_as_python_markdown_does() {
        let render_mkdocs = |toc: crate::markdown::mkdocs::toc::TocMarkup, md: &str| {
            let dialect = crate::markdown::mkdocs::Dialect {
                enabled: true,
                toc_permalink: true,
                toc,
                ..Default::default()
            };
            let opts = RenderOptions {
                mkdocs: Some(&dialect),
                ..opts_with(&TestResolver, 0)
            };
            let out = render_with(md, &opts);
            (out.html, out.title, out.toc)
        };
        let markup = crate::markdown::mkdocs::toc::TocMarkup {
            anchorlink: true,
            permalink_leading: true,
            permalink_class: "pl".into(),
            permalink_title: String::new(),
            ..Default::default()
        };
        let (html, title, _) = render_mkdocs(markup, "# T\n\n## C *d*\n");
        assert_eq!(
            html,
            "<h2 id=\"c-d\"><a class=\"pl\" href=\"#c-d\">&para;</a><a class=\"toclink\" href=\"#c-d\">C <em>d</em></a></h2>\n"
        );
        assert_eq!(
            title.unwrap().html,
            r##"<a class="pl" href="#t">&para;</a><a class="toclink" href="#t">T</a>"##,
            "the title's words get the same links"
        );
        let markup = crate::markdown::mkdocs::toc::TocMarkup {
            baselevel: 2,
            depth: (3, 4),
            ..Default::default()
        };
        let (html, title, toc) = render_mkdocs(markup, "# A\n\n## B\n\n### C\n\n#### D\n");
        assert!(title.is_none(), "with baselevel 2 there is no h1: {html}");
        assert!(html.starts_with(r#"<h2 id="a">A<a"#), "{html}");
        assert!(html.contains(r#"<h5 id="d">D<a"#), "{html}");
        let listed: Vec<_> = toc.iter().map(|e| (e.level, e.id.as_str())).collect();
        assert_eq!(listed, [(3, "b")], "toc_depth 3-4 lists h3 and h4 only");
        assert_eq!(toc[0].children[0].id, "c");
    }

    #[test]
    fn late_h1_is_not_the_title() {
        let out = render_plain("Intro\n\n# Big\n\n## Small\n");
        assert!(out.title.is_none());
        assert!(out.html.contains(r#"<h1 id="big">Big<a"#), "{}", out.html);
        assert_eq!(out.toc.len(), 1);
        assert_eq!(out.toc[0].level, 1);
        assert_eq!(out.toc[0].children[0].id, "small");
    }

    #[test]
    fn toc_nests_by_level_with_legacy_icons() {
        let md = "# Title\n\n## A <img class=\"x dcr-icon\" src=\"/i/A.svg\">\n\n#### A.deep\n\n### A.b\n\n## B <span>bold</span>\n\n### B.a\n";
        let out = render_plain(md);
        let toc = &out.toc;
        assert_eq!(toc.len(), 2, "{toc:#?}");
        assert_eq!(toc[0].text, "A");
        assert_eq!(
            toc[0].icon_html.as_deref(),
            Some(r#"<img class="x dcr-icon" src="/i/A.svg">"#)
        );
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[0].children[0].id, "adeep");
        assert_eq!(toc[0].children[0].level, 4);
        assert_eq!(toc[0].children[1].id, "ab");
        assert_eq!(toc[1].text, "B bold");
        assert_eq!(toc[1].icon_html, None);
        assert_eq!(toc[1].children[0].text, "B.a");
    }

    #[test]
    fn legacy_icon_detection() {
        let t = r#"<img class="dcr-icon" src="/x.svg" />"#;
        assert_eq!(legacy_icon(t, "dcr-icon"), Some(t));
        assert!(legacy_icon("<IMG src=x CLASS='a dcr-icon'>", "dcr-icon").is_some());
        assert!(legacy_icon("<img class=dcr-icon>", "dcr-icon").is_some());
        assert_eq!(legacy_icon(r#"<img class="dcr-icons">"#, "dcr-icon"), None);
        assert_eq!(legacy_icon(r#"<imgx class="dcr-icon">"#, "dcr-icon"), None);
        assert_eq!(legacy_icon(r#"<span class="dcr-icon">"#, "dcr-icon"), None);
        assert_eq!(legacy_icon(r#"<img class="dcr-icon">"#, ""), None);
        for weird in [
            "<img",
            "<img =",
            "<img a=\"",
            "<img ==== class",
            "<imgé",
            "<img/ / />",
        ] {
            assert_eq!(legacy_icon(weird, "dcr-icon"), None);
        }
    }
}
