//! The event pass: what Python-Markdown's inline patterns and pymdownx's inline
//! extensions do, on pulldown-cmark's events. One file a job:
//!
//! - `walk` finds the runs of inline content, `run` turns them into text with
//!   placeholders (as Python-Markdown's inline processors see it) and back;
//! - `boundary`, `delimiters`, `pair`, `build`, `tree`: paired delimiters (caret,
//!   tilde, mark) as pymdownx's delimiter processor pairs them;
//! - `shortcodes`: icon shortcodes; `attributes`: attr_list; `math`: arithmatex.

use pulldown_cmark::CowStr;
use serde_yaml::Value;

use super::Dialect;

mod attributes;
mod boundary;
mod build;
mod delimiters;
mod emoji;
mod hilite;
mod keymap;
mod keys;
mod magiclink;
mod math;
mod pair;
mod progressbar;
mod providers;
mod run;
mod shortcodes;
mod shortener;
mod shorthand;
mod smarty;
mod substitute;
pub(super) mod symbols;
mod tasklist;
mod tree;
mod walk;

use delimiters::Spec;
pub(crate) use emoji::Note;
pub(super) use hilite::{Highlight, InlineHilite};
pub(super) use keys::Keys;
pub(super) use magiclink::MagicLink;
pub(super) use progressbar::ProgressBar;
use pulldown_cmark::Event;
use run::{flatten, Events, Run};
pub(super) use smarty::Smarty;
use substitute::{Node, Piece};
pub(super) use symbols::Symbols;

/// Options of the inline extensions (the `markdown_extensions` entries' settings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// pymdownx.caret's `^^ins^^` and `^sup^`.
    pub caret: Pair,
    /// pymdownx.tilde's `~~del~~` and `~sub~`.
    pub tilde: Pair,
    /// pymdownx.mark (`==mark==`): on, and its `smart_mark`.
    pub mark: Option<bool>,
    /// pymdownx.betterem: `*` and `_` paired like the other delimiters.
    pub betterem: Option<BetterEm>,
    /// pymdownx.smartsymbols: the symbols on.
    pub symbols: Option<Symbols>,
    /// smarty (Python-Markdown's, not pulldown-cmark's smart punctuation).
    pub smarty: Option<Smarty>,
    /// pymdownx.magiclink (bare URLs and e-mail addresses).
    pub magiclink: Option<MagicLink>,
    /// pymdownx.keys (`++ctrl+alt+del++`).
    pub keys: Option<Keys>,
    /// pymdownx.progressbar (`[=85% "label"]`).
    pub progressbar: Option<ProgressBar>,
    /// pymdownx.inlinehilite, and pymdownx.highlight's options it uses.
    pub inlinehilite: Option<InlineHilite>,
    pub highlight: Highlight,
    /// pymdownx.arithmatex's output options.
    pub arithmatex: math::Arithmatex,
    /// pymdownx.emoji's `to_alt` options.
    pub emoji: emoji::EmojiAlt,
    /// pymdownx.tasklist's markup for task items.
    pub tasklist: Option<tasklist::Tasklist>,
}

/// pymdownx.betterem's options: `smart_enable` (for `*`, for `_`) and `punctuation`.
#[derive(Debug, Clone, PartialEq)]
pub struct BetterEm {
    pub smart_star: bool,
    pub smart_under: bool,
    pub punctuation: bool,
}

impl BetterEm {
    fn read(options: &Value) -> BetterEm {
        let smart = options
            .get("smart_enable")
            .and_then(Value::as_str)
            .unwrap_or("underscore");
        BetterEm {
            smart_star: matches!(smart, "all" | "asterisk"),
            smart_under: matches!(smart, "all" | "underscore"),
            punctuation: flag(options, "punctuation", true),
        }
    }

    fn specs(&self) -> [Spec; 2] {
        let spec = |token, smart| Spec {
            token,
            tags: ("strong", "em"),
            two_tags: true,
            double: false,
            smart,
            punct: self.punctuation,
            no_space: false,
        };
        [spec('*', self.smart_star), spec('_', self.smart_under)]
    }
}

/// The options pymdownx.caret and pymdownx.tilde share.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// `smart_insert` / `smart_delete`.
    pub smart: bool,
    /// `insert` / `delete`: the doubled form.
    pub double: bool,
    /// `superscript` / `subscript`: the single form.
    pub single: bool,
    pub no_space: bool,
    pub punctuation: bool,
}

impl Default for Pair {
    fn default() -> Self {
        Pair {
            smart: false,
            double: true,
            single: true,
            no_space: true,
            punctuation: false,
        }
    }
}

impl Pair {
    fn read(options: &Value, smart: &str, double: &str, single: &str) -> Pair {
        let d = Pair::default();
        Pair {
            smart: flag(options, smart, d.smart),
            double: flag(options, double, d.double),
            single: flag(options, single, d.single),
            no_space: flag(options, "no_space", d.no_space),
            punctuation: flag(options, "punctuation", d.punctuation),
        }
    }

    /// The delimiter for `token` with tags (doubled, single), if either form is on.
    fn spec(&self, token: char, tags: (&'static str, &'static str)) -> Option<Spec> {
        let base = Spec {
            token,
            tags,
            two_tags: true,
            double: false,
            smart: self.smart,
            punct: self.punctuation,
            no_space: self.no_space,
        };
        match (self.double, self.single) {
            (true, true) => Some(base),
            (true, false) => Some(Spec {
                tags: (tags.0, tags.0),
                two_tags: false,
                double: true,
                punct: true,
                ..base
            }),
            (false, true) => Some(Spec {
                tags: (tags.1, tags.1),
                two_tags: false,
                ..base
            }),
            (false, false) => None,
        }
    }

    /// `\ ` is an escaped space (the single form with `no_space`).
    fn escapes_space(&self) -> bool {
        self.single && self.no_space
    }
}

fn flag(options: &Value, key: &str, default: bool) -> bool {
    match options.get(key) {
        Some(Value::Bool(b)) => *b,
        _ => default,
    }
}

/// Reads the options of inline extension `name` into `d`; false when `name` is not
/// one of this module's.
pub(crate) fn configure(d: &mut Dialect, name: &str, options: &Value) -> bool {
    match name {
        "pymdownx.caret" => {
            d.caret = true;
            d.inline.caret = Pair::read(options, "smart_insert", "insert", "superscript");
        }
        "pymdownx.tilde" => {
            d.tilde = true;
            d.inline.tilde = Pair::read(options, "smart_delete", "delete", "subscript");
        }
        "pymdownx.mark" => d.inline.mark = Some(flag(options, "smart_mark", false)),
        "pymdownx.betterem" => d.inline.betterem = Some(BetterEm::read(options)),
        "pymdownx.smartsymbols" => d.inline.symbols = Some(Symbols::read(options)),
        "smarty" => d.inline.smarty = Some(Smarty::read(options)),
        "pymdownx.magiclink" => d.inline.magiclink = Some(MagicLink::read(options)),
        "pymdownx.keys" => d.inline.keys = Some(Keys::read(options)),
        "pymdownx.progressbar" => d.inline.progressbar = Some(ProgressBar::read(options)),
        "pymdownx.inlinehilite" => d.inline.inlinehilite = Some(InlineHilite::read(options)),
        "pymdownx.highlight" => d.inline.highlight = Highlight::read(options),
        "pymdownx.arithmatex" => {
            d.math = true;
            d.inline.arithmatex = math::Arithmatex::read(options);
        }
        "pymdownx.emoji" => {
            d.emoji = true;
            d.inline.emoji = emoji::EmojiAlt::read(options);
        }
        "pymdownx.tasklist" => d.inline.tasklist = Some(tasklist::Tasklist::read(options)),
        _ => return false,
    }
    true
}

/// The delimiters `d` pairs, in pymdownx's order.
fn specs(d: &Dialect) -> Vec<Spec> {
    let mut specs = Vec::new();
    if let Some(b) = &d.inline.betterem {
        specs.extend(b.specs());
    }
    if d.caret {
        specs.extend(d.inline.caret.spec('^', ("ins", "sup")));
    }
    if d.tilde {
        specs.extend(d.inline.tilde.spec('~', ("del", "sub")));
    }
    if let Some(smart) = d.inline.mark {
        specs.push(Spec {
            token: '=',
            tags: ("mark", "mark"),
            two_tags: false,
            double: true,
            smart,
            punct: true,
            no_space: false,
        });
    }
    specs
}

/// The event pass (see the module comment). `events` come from the parser with their
/// byte offsets into `src`, the text they were parsed from; links are resolved.
/// Problems found on the way (unknown emoji) go to `notes`.
pub(crate) fn events<'a>(
    events: Events<'a>,
    d: &Dialect,
    src: &str,
    notes: &mut Vec<Note>,
) -> Events<'a> {
    let specs = specs(d);
    let escape_space =
        (d.caret && d.inline.caret.escapes_space()) || (d.tilde && d.inline.tilde.escapes_space());
    let how = walk::How {
        escape_space,
        emphasis_as_text: d.inline.betterem.is_some(),
    };
    let mut process = |run| process(run, &specs, d, notes);
    let mut events = walk::runs(events, src, how, &mut process);
    if let Some(m) = &d.inline.magiclink {
        events = magiclink::shorten_links(events, m);
    }
    if d.math {
        events = math::math(events, &d.inline.arithmatex);
    }
    let events = attributes::attributes(events, d);
    match &d.inline.tasklist {
        Some(t) => tasklist::tasklist(events, t),
        None => events,
    }
}

/// One run through the inline processors, back as events.
fn process<'a>(run: Run<'a>, specs: &[Spec], d: &Dialect, notes: &mut Vec<Note>) -> Events<'a> {
    let o = &d.inline;
    let Run {
        chars,
        mut atoms,
        offset,
        in_link,
        offsets,
    } = run;
    if d.emoji {
        emoji::unknown(&o.emoji, &chars, &offsets, notes);
    }
    let chars = patterns(d, chars, &mut atoms, offset, in_link);
    let (chars, arena) = if specs.is_empty() {
        (chars, tree::Arena::default())
    } else {
        delimiters::apply(specs, chars, atoms.len())
    };
    let mut atoms: Vec<Option<Events<'a>>> = atoms.into_iter().map(Some).collect();
    let mut out = Vec::new();
    let mut text = |t: String, tail: bool, out: &mut Events<'a>, at: usize| {
        text_node(o, d.attr_list, t, tail, out, at)
    };
    flatten(
        &chars, &mut atoms, &arena, offset, &mut text, &mut out, false,
    );
    out
}

/// Python-Markdown's inline patterns that run before the delimiters (keys, magiclink,
/// emoji by priority): each match becomes an atom's placeholder.
fn patterns<'a>(
    d: &Dialect,
    mut chars: Vec<char>,
    atoms: &mut Vec<Events<'a>>,
    at: usize,
    in_link: bool,
) -> Vec<char> {
    if let Some(hilite) = &d.inline.inlinehilite {
        for atom in atoms.iter_mut() {
            if let [(Event::Code(code), _)] = atom.as_mut_slice() {
                if let Some(html) = hilite.code(&d.inline.highlight, code) {
                    atom[0].0 = html;
                }
            }
        }
    }
    // arithmatex's patterns come first (priority 189.9, before everything but code).
    if d.math {
        let a = &d.inline.arithmatex;
        if let Some(m) = math::whole_block(&chars) {
            atoms.push(vec![(Event::DisplayMath(CowStr::from(m)), at)]);
            return tree::placeholder(atoms.len() - 1);
        }
        stash_all(&mut chars, atoms, |c, from| {
            math::next_round(a, c, from, at)
        });
    }
    if let Some(k) = &d.inline.keys {
        stash_all(&mut chars, atoms, |c, from| keys::next_keys(k, c, from, at));
    }
    if let Some(p) = &d.inline.progressbar {
        stash_all(&mut chars, atoms, |c, from| {
            progressbar::next_bar(p, c, from, at)
        });
    }
    if let Some(m) = d.inline.magiclink.as_ref().filter(|_| !in_link) {
        stash_all(&mut chars, atoms, |c, from| {
            magiclink::next_url(m, c, from, at)
        });
        stash_all(&mut chars, atoms, |c, from| {
            magiclink::next_mail(c, from, at)
        });
        if let Some(s) = m.shorthand.as_ref().filter(|_| shorthand::may_hold(&chars)) {
            stash_all(&mut chars, atoms, |c, from| shorthand::next(s, c, from, at));
        }
    }
    if d.emoji {
        let alt = &d.inline.emoji;
        stash_all(&mut chars, atoms, |c, from| {
            emoji::next_emoji(alt, c, from, at)
        });
    }
    chars
}

/// Replaces every match `next` finds, left to right, with a placeholder for its events.
fn stash_all<'a>(
    chars: &mut Vec<char>,
    atoms: &mut Vec<Events<'a>>,
    next: impl Fn(&[char], usize) -> Option<magiclink::Found<'a>>,
) {
    let mut from = 0;
    while let Some(found) = next(chars, from) {
        let p = tree::placeholder(atoms.len());
        atoms.push(found.events);
        from = found.start + p.len();
        chars.splice(found.start..found.end, p);
    }
}

/// One text node through the tree processors (smartsymbols, then smarty), back as
/// events: escaped characters as themselves, line ends as soft breaks.
fn text_node<'a>(
    o: &Options,
    attr_list: bool,
    t: String,
    tail: bool,
    out: &mut Events<'a>,
    at: usize,
) {
    let kept = match attr_list && (o.symbols.is_some() || o.smarty.is_some()) {
        true => super::attrs::candidates(&t, tail),
        false => Vec::new(),
    };
    // Most text nodes hold nothing smarty would change (and no attribute list to
    // keep from it): they stay as they are, without the per-character node.
    let untouched = kept.is_empty()
        && o.symbols.is_none()
        && o.smarty.as_ref().is_none_or(|s| !s.may_touch(&t));
    let pieces = if untouched {
        vec![Piece::Text(t)]
    } else {
        let mut node = Node::new(&t);
        for range in kept {
            let chars = |b: usize| t[..b].chars().count();
            node.keep(chars(range.start)..chars(range.end));
        }
        if let Some(symbols) = &o.symbols {
            symbols.apply(&mut node);
        }
        if let Some(smarty) = &o.smarty {
            smarty.apply(&mut node);
        }
        node.pieces()
    };
    for piece in pieces {
        match piece {
            Piece::Html(h) => out.push((Event::InlineHtml(CowStr::from(h)), at)),
            Piece::Text(t) => push_lines(tree::unescape_owned(t), out, at),
        }
    }
}

/// `t`'s lines as text events with soft breaks between them. Most text is one line:
/// its string becomes the event as it is, without a copy.
fn push_lines<'a>(t: String, out: &mut Events<'a>, at: usize) {
    if !t.contains('\n') {
        if !t.is_empty() {
            shortcodes::push_with_shortcodes(out, CowStr::from(t), at);
        }
        return;
    }
    for (i, line) in t.split('\n').enumerate() {
        if i > 0 {
            out.push((Event::SoftBreak, at));
        }
        if !line.is_empty() {
            shortcodes::push_with_shortcodes(out, CowStr::from(line.to_string()), at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML of `md` in an MkDocs project listing `exts` (with `options` as YAML).
    pub(crate) fn render(md: &str, exts: &[&str], options: &str) -> String {
        let mut d = Dialect {
            enabled: true,
            ..Dialect::default()
        };
        let options: Value = serde_yaml::from_str(options).expect("YAML options");
        for ext in exts {
            let o = options.get(*ext).cloned().unwrap_or(Value::Null);
            assert!(configure(&mut d, ext, &o), "{ext} is an inline extension");
        }
        crate::markdown::tests::render_dialect(md, &d, 0).html
    }

    #[test]
    fn caret_and_tilde_in_all_forms() {
        let both = ["pymdownx.caret", "pymdownx.tilde"];
        assert_eq!(
            render("Water is H~2~O, e=mc^2^, ^^new^^ and ~~old~~.", &both, "{}"),
            "<p>Water is H<sub>2</sub>O, e=mc<sup>2</sup>, <ins>new</ins> and <del>old</del>.</p>\n"
        );
        assert_eq!(
            render("a^b\\ c^ and ~x y~ stay", &both, "{}"),
            "<p>a<sup>b c</sup> and ~x y~ stay</p>\n",
            "an escaped space is allowed, a plain one is not"
        );
        assert_eq!(
            render("^^^both^^^ ~~~both~~~", &both, "{}"),
            "<p><sup><ins>both</ins></sup> <sub><del>both</del></sub></p>\n"
        );
        assert_eq!(
            render("\\^\\^not\\^\\^ `^^code^^`", &both, "{}"),
            "<p>^^not^^ <code>^^code^^</code></p>\n"
        );
        assert_eq!(
            render("*em ^^ins^^* [^^link^^](x)", &both, "{}"),
            "<p><em>em <ins>ins</ins></em> <a href=\"x\"><ins>link</ins></a></p>\n"
        );
    }

    #[test]
    fn betterem_pairs_stars_and_underscores_itself() {
        assert_eq!(
            render(
                "***bold italic** italic* and snake_case_name",
                &["pymdownx.betterem"],
                "{}"
            ),
            "<p><em><strong>bold italic</strong> italic</em> and snake_case_name</p>\n"
        );
        assert_eq!(
            render(
                "**bold*and bold***",
                &["pymdownx.betterem"],
                "pymdownx.betterem: {smart_enable: all}"
            ),
            "<p><strong>bold*and bold</strong>*</p>\n"
        );
    }

    #[test]
    fn emoji_are_characters_and_unknown_names_are_warned_at_their_line() {
        let d = Dialect {
            enabled: true,
            emoji: true,
            ..Dialect::default()
        };
        let md = "Hi :smile:\nand `:nope:` x :nope: y\n";
        let out = crate::markdown::tests::render_dialect(md, &d, 2);
        assert_eq!(
            out.html,
            "<p>Hi 😄\nand <code>:nope:</code> x :nope: y</p>\n"
        );
        let lines: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("content/page.md:4:16: warning: unknown emoji shortcode `:nope:`"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn smarty_symbols_and_bare_links() {
        let exts = ["smarty", "pymdownx.smartsymbols", "pymdownx.magiclink"];
        assert_eq!(
            render("\"Go\" -- it's (c) 1st <-- see www.a.com/x_(y)).", &exts, "{}"),
            "<p>“Go” – it’s © 1<sup>st</sup> ← see <a href=\"http://www.a.com/x_(y)\">www.a.com/x_(y)</a>).</p>\n"
        );
        assert_eq!(
            render("\\\"not\\\" [www.a.com](x) a@b.org", &exts, "{}"),
            "<p>\"not\" <a href=\"x\">www.a.com</a> <a href=\"mailto:a@b.org\">a@b.org</a></p>\n"
        );
    }

    #[test]
    fn attribute_lists_are_read_before_smarty() {
        let mut d = Dialect {
            enabled: true,
            attr_list: true,
            ..Dialect::default()
        };
        assert!(configure(&mut d, "smarty", &Value::Null));
        let html = |md: &str| crate::markdown::tests::render_dialect(md, &d, 0).html;
        let md =
            "A [link](http://x.org){: title=\"A -- title\"} and \"q\" --\n{: data-x=\"it's\" }\n";
        assert_eq!(
            html(md),
            "<p data-x=\"it&#39;s\">A <a href=\"http://x.org\" title=\"A -- title\">link</a> and “q” –</p>\n"
        );
        assert_eq!(
            html("range _{0, ..., n}_{: .m }\n"),
            "<p>range <em class=\"m\">{0, …, n}</em></p>\n",
            "an element's own text is no attribute list: smarty reads it"
        );
    }

    #[test]
    fn an_unclosed_fence_is_text_for_tilde() {
        assert_eq!(
            render(
                "~~~a~~b~~c ~ d~~",
                &["pymdownx.tilde"],
                "pymdownx.tilde: {smart_delete: true}"
            ),
            "<p><del><sub>a</sub><sub>b</sub>~c ~ d</del></p>\n"
        );
    }

    #[test]
    fn without_the_extensions_tildes_and_carets_stay() {
        assert_eq!(render("~~no~~ ^no^", &[], "{}"), "<p>~~no~~ ^no^</p>\n");
    }

    #[test]
    fn mark_plain_and_smart() {
        assert_eq!(
            render("Say ==this== and ==not == that", &["pymdownx.mark"], "{}"),
            "<p>Say <mark>this</mark> and ==not == that</p>\n"
        );
        assert_eq!(
            render(
                "in==side==word and ==smart==",
                &["pymdownx.mark"],
                "pymdownx.mark: {smart_mark: true}"
            ),
            "<p>in==side==word and <mark>smart</mark></p>\n"
        );
    }
}
