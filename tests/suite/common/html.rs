//! DOM queries on built pages (`scraper`): tests select the element they mean with a CSS
//! selector instead of slicing the HTML text between two strings.
//!
//! `Element::html` serialises the element again: attributes in the order they were
//! written (scraper's `deterministic` feature), text escaped as HTML5 does (`&amp;`,
//! `&lt;`, `&gt;`; `'` and `"` plain in text), boolean attributes as `checked=""`.

use scraper::{ElementRef, Html, Selector};

/// A parsed HTML document.
pub struct Doc {
    html: Html,
    /// The text it was parsed from, for failure messages.
    source: String,
}

/// A CSS selector; panics on a malformed one (a mistake in the test).
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e:?}"))
}

impl Doc {
    pub fn parse(text: &str) -> Doc {
        Doc {
            html: Html::parse_document(text),
            source: text.to_string(),
        }
    }

    /// The first element matching `css`; panics (showing the page) when none does.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        self.html
            .select(&selector(css))
            .next()
            .unwrap_or_else(|| panic!("no `{css}` in:\n{}", self.source))
    }

    /// Every element matching `css`, in document order.
    pub fn all(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.html.select(&selector(css)).count()
    }

    /// The value of attribute `name` of the first element matching `css`.
    pub fn attr(&self, css: &str, name: &str) -> String {
        let element = self.one(css);
        element
            .attr(name)
            .unwrap_or_else(|| panic!("`{css}` has no `{name}`: {}", element.html()))
            .to_string()
    }

    /// The text of the first element matching `css`.
    pub fn text(&self, css: &str) -> String {
        text(self.one(css))
    }

    /// Every element of the document.
    pub fn elements(&self) -> Vec<ElementRef<'_>> {
        self.all("*")
    }

    pub fn source(&self) -> &str {
        &self.source
    }
}

/// The text inside an element, tags removed and character references decoded.
pub fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// Queries inside one element. As in the browser's `element.querySelectorAll`, the
/// selector is matched against the whole document (`ol a` also finds an `a` whose `ol`
/// is outside the element): anchor it with `:scope > …` where that matters.
pub trait Within<'a> {
    /// The first descendant matching `css`; panics (showing the element) when none does.
    fn one(&self, css: &str) -> ElementRef<'a>;
    /// Every descendant matching `css`, in document order.
    fn all(&self, css: &str) -> Vec<ElementRef<'a>>;
}

impl<'a> Within<'a> for ElementRef<'a> {
    fn one(&self, css: &str) -> ElementRef<'a> {
        self.select(&selector(css))
            .next()
            .unwrap_or_else(|| panic!("no `{css}` in:\n{}", self.html()))
    }

    fn all(&self, css: &str) -> Vec<ElementRef<'a>> {
        self.select(&selector(css)).collect()
    }
}
