//! Material's `blog` plugin: a post (a page under `post_dir`) is served at a URL made
//! from its `date` and title (`blog/2024/05/02/hatch-v1100/` by default), and the blog's
//! index page lists the posts, newest first, each with its excerpt (what comes before
//! `<!-- more -->`) and a link to read on.

use crate::config::mkdocs_plugins::Blog;
use crate::content::{Content, Page};
use crate::diagnostics::Diagnostic;
use crate::icons::html_escape;
use crate::markdown::slugs::TocIds;

/// A post's date, from its front matter: `date: 2024-05-02` (a time may follow) or
/// `date: {created: 2024-05-02}`.
fn post_date(page: &Page) -> Option<(u32, u32, u32)> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(&page.yaml).ok()?;
    let date = yaml.get("date")?;
    let date = date.get("created").unwrap_or(date);
    let text = match date {
        serde_yaml::Value::String(s) => s.clone(),
        _ => return None,
    };
    let mut parts = text.get(..10)?.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// A front-matter string value of the page.
fn front_text(page: &Page, key: &str) -> Option<String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(&page.yaml).ok()?;
    yaml.get(key)?.as_str().map(str::to_string)
}

/// The post's `categories` (a list of names).
fn post_categories(page: &Page) -> Vec<String> {
    let Ok(yaml) = serde_yaml::from_str::<serde_yaml::Value>(&page.yaml) else {
        return Vec::new();
    };
    match yaml.get("categories") {
        Some(serde_yaml::Value::Sequence(list)) => list
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The post's title: its front matter's, or its first `# ` heading.
fn post_title(page: &Page) -> Option<String> {
    page.front.title.clone().or_else(|| {
        page.body
            .text()
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| t.trim().to_string())
    })
}

/// The date in Babel's notation (`yyyy/MM/dd`): runs of `y`, `M` and `d` are the year,
/// month and day, padded to the run's length; other characters stay.
fn format_date(format: &str, (y, m, d): (u32, u32, u32)) -> String {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        let value = match c {
            'y' if run == 2 => Some(y % 100),
            'y' => Some(y),
            'M' => Some(m),
            'd' => Some(d),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&format!("{v:0run$}")),
            None => out.extend(&chars[i..i + run]),
        }
        i += run;
    }
    out
}

/// The output folder of a post (`blog/2024/05/02/hatch-v1100`), or `None` when the page
/// is not a post or has no usable date (`list_posts` warns about it).
pub(crate) fn post_dir(blog: &Blog, page: &Page) -> Option<String> {
    if !blog.is_post(&page.content_path) {
        return None;
    }
    let date = post_date(page)?;
    let slug = front_text(page, "slug").unwrap_or_else(|| {
        let title = post_title(page).unwrap_or_default();
        blog.slug.slug(&title)
    });
    let file = page.content_path.rsplit('/').next().unwrap_or("");
    let path = blog
        .url_format
        .replace("{date}", &format_date(&blog.date_format, date))
        .replace("{slug}", &slug)
        .replace("{file}", file.strip_suffix(".md").unwrap_or(file));
    let parts: Vec<&str> = blog
        .dir
        .split('/')
        .chain(path.split('/'))
        .filter(|p| !p.is_empty())
        .collect();
    Some(parts.join("/"))
}

/// Which posts a listing page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Listing {
    All,
    Year(u32),
    /// A category, by its slug.
    Category(String),
}

/// What a page of the blog lists, by its place in `docs_dir`: the index all posts, the
/// archive page of a year (`blog/archive/2024.md`, made by [`archive_and_category_pages`])
/// its posts, a category page (`blog/category/release.md`) the posts in it.
fn listing_of(blog: &Blog, content_path: &str) -> Option<Listing> {
    if content_path == blog.index() {
        return Some(Listing::All);
    }
    let rest = content_path
        .strip_prefix(blog.dir.as_str())
        .map(|r| r.trim_start_matches('/'))?
        .strip_suffix(".md")?;
    if let Some(year) = rest.strip_prefix("archive/") {
        return year.parse().ok().map(Listing::Year);
    }
    rest.strip_prefix("category/")
        .map(|slug| Listing::Category(slug.to_string()))
}

/// Pages the blog lists itself, which are not expected in `nav`: posts, archive and
/// category pages.
pub(crate) fn outside_nav(blog: &Blog, content_path: &str) -> bool {
    blog.is_post(content_path)
        || matches!(
            listing_of(blog, content_path),
            Some(Listing::Year(_) | Listing::Category(_))
        )
}

/// The archive page of each year and the page of each category that posts have, as
/// Material's blog makes them (`blog/archive/2024/`, `blog/category/release/`): pages
/// without a file, placed in `docs_dir` at `blog/archive/2024.md` and
/// `blog/category/release.md` so the blog's other pages are their parents.
pub(crate) fn archive_and_category_pages(blog: &Blog, pages: &[Page], docs_dir: &str) -> Vec<Page> {
    let mut made: std::collections::BTreeMap<String, String> = Default::default();
    for page in pages.iter().filter(|p| blog.is_post(&p.content_path)) {
        let Some((year, _, _)) = post_date(page) else {
            continue;
        };
        made.entry(format!("archive/{year}"))
            .or_insert(year.to_string());
        for name in post_categories(page) {
            let slug = blog.category_slug.slug(&name);
            made.entry(format!("category/{slug}")).or_insert(name);
        }
    }
    made.into_iter()
        .filter(|(rest, _)| {
            !pages
                .iter()
                .any(|p| p.content_path == blog_path(blog, rest) + ".md")
        })
        .map(|(rest, title)| {
            let path = blog_path(blog, &rest);
            let mut page = crate::content::generated_page(&format!("{path}.md"), docs_dir, &path);
            page.front.title = Some(title);
            page
        })
        .collect()
}

/// `rest` inside the blog's folder.
fn blog_path(blog: &Blog, rest: &str) -> String {
    if blog.dir.is_empty() {
        rest.to_string()
    } else {
        format!("{}/{rest}", blog.dir)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Warnings about posts, each with the post's index in the content.
type PostWarnings = Vec<(usize, Diagnostic)>;

/// One post on the index: its place in the content and its date.
struct Listed {
    page: usize,
    date: (u32, u32, u32),
    /// Category slugs.
    categories: Vec<String>,
}

impl Listed {
    fn on(&self, listing: &Listing) -> bool {
        match listing {
            Listing::All => true,
            Listing::Year(y) => self.date.0 == *y,
            Listing::Category(slug) => self.categories.contains(slug),
        }
    }
}

/// The posts, newest first, and a warning for each post without a usable `date` (with
/// the post's index in the content).
fn posts(blog: &Blog, content: &Content) -> (Vec<Listed>, PostWarnings) {
    let mut listed = Vec::new();
    let mut problems = Vec::new();
    for (i, page) in content.pages.iter().enumerate() {
        if !blog.is_post(&page.content_path) {
            continue;
        }
        match post_date(page) {
            Some(date) => listed.push(Listed {
                page: i,
                date,
                categories: post_categories(page)
                    .iter()
                    .map(|c| blog.category_slug.slug(c))
                    .collect(),
            }),
            None => problems.push((
                i,
                Diagnostic::warning(&page.source_path, "blog post without a usable `date`")
                    .at_position(page.key_position("date").or(Some((1, 1))))
                    .with_help("write its date in the front matter, as `date: 2024-05-02`"),
            )),
        }
    }
    listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.page.cmp(&b.page)));
    (listed, problems)
}

/// What the blog adds to the rendered site: for each page that lists posts (the index,
/// archive and category pages), the list to append to its HTML (`html_of(i)` gives page
/// `i`'s rendered HTML and title HTML); and warnings about posts, each with the post's
/// index.
pub(super) fn lists<'h>(
    blog: &Blog,
    content: &Content,
    site: &ListSite<'_>,
    html_of: impl Fn(usize) -> Rendered<'h>,
) -> (Vec<(usize, String)>, PostWarnings) {
    let (listed, problems) = posts(blog, content);
    let lists = content
        .pages
        .iter()
        .enumerate()
        .filter_map(|(at, page)| Some((at, listing_of(blog, &page.content_path)?)))
        .map(|(at, listing)| {
            let shown = listed.iter().filter(|p| p.on(&listing));
            let items: String = shown
                .map(|post| list_item(blog, content, site, post, html_of(post.page)))
                .collect();
            (
                at,
                format!("\n<div class=\"dcrsite-blog-posts\">\n{items}</div>\n"),
            )
        })
        .collect();
    (lists, problems)
}

/// What a list needs of the site: where it is served, and how headings get ids.
pub(super) struct ListSite<'a> {
    pub base_path: &'a str,
    pub toc_ids: &'a TocIds,
}

/// A rendered post: its HTML (without the title), its title's HTML and words.
pub(super) struct Rendered<'h> {
    pub html: &'h str,
    pub title_html: &'h str,
    pub title: &'h str,
}

/// One post in a list: date, linked title (its id made as the toc extension makes a
/// heading's, as MkDocs' list has it), excerpt, and a link to read on.
fn list_item(
    blog: &Blog,
    content: &Content,
    site: &ListSite<'_>,
    post: &Listed,
    rendered: Rendered<'_>,
) -> String {
    let page = &content.pages[post.page];
    let href = format!("{}{}", site.base_path, page.url.trim_start_matches('/'));
    let href = html_escape(&href);
    let id = html_escape(&site.toc_ids.slug(rendered.title));
    let (html, title) = (rendered.html, rendered.title_html);
    let (y, m, d) = post.date;
    let excerpt = html.split(&blog.excerpt_separator).next().unwrap_or(html);
    format!(
        "<article class=\"dcrsite-blog-post\">\n<p class=\"dcrsite-blog-date\"><time datetime=\"{y:04}-{m:02}-{d:02}\">{} {d}, {y}</time></p>\n<h2 id=\"{id}\"><a href=\"{href}\">{title}</a></h2>\n{excerpt}\n<p><a href=\"{href}\">Continue reading</a></p>\n</article>\n",
        MONTHS[m as usize - 1]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_pages_list_posts() {
        let blog = Blog {
            dir: "blog".into(),
            post_dir: "blog/posts".into(),
            url_format: "{date}/{slug}".into(),
            date_format: "yyyy/MM/dd".into(),
            slug: Default::default(),
            excerpt_separator: "<!-- more -->".into(),
            category_slug: Default::default(),
        };
        assert_eq!(listing_of(&blog, "blog/index.md"), Some(Listing::All));
        assert_eq!(
            listing_of(&blog, "blog/archive/2024.md"),
            Some(Listing::Year(2024))
        );
        assert_eq!(
            listing_of(&blog, "blog/category/release.md"),
            Some(Listing::Category("release".into()))
        );
        assert_eq!(listing_of(&blog, "blog/archive/x.md"), None);
        assert_eq!(listing_of(&blog, "guide.md"), None);
        assert!(
            outside_nav(&blog, "blog/posts/a.md") && outside_nav(&blog, "blog/archive/2024.md")
        );
        assert!(!outside_nav(&blog, "blog/index.md"));
    }

    #[test]
    fn dates_in_babel_notation() {
        assert_eq!(format_date("yyyy/MM/dd", (2024, 5, 2)), "2024/05/02");
        assert_eq!(format_date("yy-M-d", (2024, 5, 2)), "24-5-2");
        assert_eq!(format_date("yyyy", (2024, 5, 2)), "2024");
    }
}
