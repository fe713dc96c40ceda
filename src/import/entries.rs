//! Hugo's `people.yml` entries as contributor pages: which fields map to which front
//! matter, and which entries cannot be converted (reported at their line).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde_yaml::Value;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::contributors::GROUPS;
use crate::diagnostics::{suggest, Diagnostic};

/// The fields of a `people.yml` entry that are read; any other is reported and ignored.
const KNOWN_FIELDS: &[&str] = &[
    "name",
    "title",
    "group",
    "company_id",
    "avatar_image",
    "twitter_alias",
    "github_alias",
];

/// One person, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PersonPage {
    /// The page's file name without `.md`, from the name (`Ana Chávez` → `ana-chavez`).
    pub slug: String,
    /// The page's text: front matter only, as the contributors section reads it.
    pub text: String,
    /// The portrait to copy beside the page, and the name it gets there.
    pub portrait: Option<(PathBuf, String)>,
}

/// Where the entries come from, for messages and portraits.
pub(super) struct Source<'a> {
    /// The people file as the user named it.
    pub shown: &'a str,
    pub text: &'a str,
    pub portraits: Option<&'a Path>,
    /// Company ids `companies.yml` declares, when it was given.
    pub companies: Option<&'a BTreeSet<String>>,
}

/// The entries of the people file: pages for those that convert, and every problem
/// (errors for entries left out, warnings for fields ignored).
pub(super) fn convert(source: &Source, entries: &[Value]) -> (Vec<PersonPage>, Vec<Diagnostic>) {
    let lines = item_lines(source.text);
    let mut pages: Vec<PersonPage> = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        // The entry's lines: from its `-` to the next one's.
        let start = lines.get(i).copied().unwrap_or(1);
        let end = lines.get(i + 1).copied().unwrap_or(usize::MAX);
        let at = Entry { source, start, end };
        match at.person(entry, &mut problems) {
            Some(mut page) => {
                page.slug = unique_slug(&page.slug, &pages);
                if let Some((_, name)) = &mut page.portrait {
                    *name = portrait_name(&page.slug, name);
                    page.text = page.text.replace(PORTRAIT_PLACEHOLDER, name);
                }
                pages.push(page);
            }
            None => continue,
        }
    }
    (pages, problems)
}

/// Stands for the portrait's file name until the page's slug is final.
const PORTRAIT_PLACEHOLDER: &str = "\u{0}portrait\u{0}";

/// One entry of the file, at lines `start..end`.
struct Entry<'a> {
    source: &'a Source<'a>,
    start: usize,
    end: usize,
}

impl Entry<'_> {
    /// The line and column of `key`'s value in this entry, else the entry's line.
    fn position(&self, key: &str) -> (usize, usize) {
        let lines = self.source.text.lines().enumerate();
        let found = lines
            .skip(self.start - 1)
            .take(self.end.saturating_sub(self.start))
            .find_map(|(i, line)| {
                let rest = line.trim_start_matches([' ', '-']);
                let after = rest.strip_prefix(key)?.trim_start().strip_prefix(':')?;
                let value_at = line.len() - after.trim_start().len();
                let column = line[..value_at].chars().count() + 1;
                Some((i + 1, column))
            });
        found.unwrap_or((self.start, 1))
    }

    fn error(&self, key: &str, message: String) -> Diagnostic {
        let (line, column) = self.position(key);
        Diagnostic::error(self.source.shown, message).at(line, column)
    }

    fn warning(&self, key: &str, message: String) -> Diagnostic {
        let (line, column) = self.position(key);
        Diagnostic::warning(self.source.shown, message).at(line, column)
    }

    /// The page of this entry, or `None` (with the reason among `problems`).
    fn person(&self, entry: &Value, problems: &mut Vec<Diagnostic>) -> Option<PersonPage> {
        let Some(map) = entry.as_mapping() else {
            problems.push(
                self.error("", "entry is not a mapping of fields".into())
                    .with_help("write each person as `- name: …` with `group:`, `title:` …"),
            );
            return None;
        };
        for key in map.keys() {
            let key = key.as_str().unwrap_or("?");
            if !KNOWN_FIELDS.contains(&key) {
                problems.push(
                    self.warning(key, format!("field `{key}` is not imported"))
                        .with_help(format!("fields read: {}", KNOWN_FIELDS.join(", "))),
                );
            }
        }
        let text = |key: &str| entry.get(key).and_then(scalar);
        let Some(name) = text("name").filter(|n| !n.trim().is_empty()) else {
            problems.push(
                self.error("name", "entry has no `name`: it is left out".into())
                    .with_help("give the person a `name:`"),
            );
            return None;
        };
        let group = self.group(text("group"), problems)?;
        let company = self.company(text("company_id"), problems)?;
        let portrait = self.portrait(text("avatar_image"), problems);
        let mut links = Vec::new();
        if let Some(alias) = text("twitter_alias") {
            links.push(("Twitter", format!("https://twitter.com/{alias}")));
        }
        if let Some(alias) = text("github_alias") {
            links.push(("GitHub", format!("https://github.com/{alias}")));
        }
        let role = text("title");
        let fields = Fields {
            name: &name,
            role: role.as_deref(),
            group: &group,
            company: company.as_deref(),
            portrait: portrait.is_some(),
            links: &links,
        };
        Some(PersonPage {
            slug: slug(&name),
            text: fields.page(),
            portrait,
        })
    }

    /// The entry's group, one of the contributors section's.
    fn group(&self, group: Option<String>, problems: &mut Vec<Diagnostic>) -> Option<String> {
        let ids = GROUPS.iter().map(|(id, _)| *id);
        let Some(written) = group else {
            problems.push(
                self.error("name", "entry has no `group`: it is left out".into())
                    .with_help(format!("add `group:` with one of: {}", join(ids))),
            );
            return None;
        };
        let lower = written.to_lowercase();
        if ids.clone().any(|id| id == lower) {
            return Some(lower);
        }
        let help = match suggest(&lower, ids.clone()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", join(ids)),
        };
        problems.push(
            self.error(
                "group",
                format!("unknown group `{written}`: the entry is left out"),
            )
            .with_help(help),
        );
        None
    }

    /// The entry's company, which `companies.yml` must declare when it was given.
    /// `Some(None)` for no company; `None` when the entry is left out.
    fn company(
        &self,
        id: Option<String>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Option<String>> {
        let (Some(id), Some(known)) = (&id, self.source.companies) else {
            return Some(id);
        };
        if known.contains(id) {
            return Some(Some(id.clone()));
        }
        let help = match suggest(id, known.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "declare it in the companies file, or remove `company_id`".to_string(),
        };
        problems.push(
            self.error(
                "company_id",
                format!("company `{id}` is not in the companies file: the entry is left out"),
            )
            .with_help(help),
        );
        None
    }

    /// The portrait file to copy, when there is one to find; a missing one is a warning
    /// (the person gets an initials avatar).
    fn portrait(
        &self,
        image: Option<String>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<(PathBuf, String)> {
        let image = image?;
        let dir = self.source.portraits?;
        let safe = Path::new(&image)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        let file = dir.join(&image);
        if safe && file.is_file() {
            return Some((file, image));
        }
        problems.push(
            self.warning(
                "avatar_image",
                format!(
                    "portrait `{image}` is not in {}: the page gets an initials avatar",
                    dir.display()
                ),
            )
            .with_help("pass --portraits with the folder holding the images"),
        );
        None
    }
}

/// What a page's front matter says.
struct Fields<'a> {
    name: &'a str,
    role: Option<&'a str>,
    group: &'a str,
    company: Option<&'a str>,
    portrait: bool,
    links: &'a [(&'a str, String)],
}

impl Fields<'_> {
    fn page(&self) -> String {
        let mut text = format!("---\ntitle: {}\n", quote(self.name));
        if let Some(role) = self.role {
            text.push_str(&format!("role: {}\n", quote(role)));
        }
        text.push_str(&format!("group: {}\n", self.group));
        if let Some(company) = self.company {
            text.push_str(&format!("company: {}\n", quote(company)));
        }
        if self.portrait {
            text.push_str(&format!("portrait: {PORTRAIT_PLACEHOLDER}\n"));
        }
        if !self.links.is_empty() {
            text.push_str("links:\n");
            for (name, url) in self.links {
                text.push_str(&format!("  - name: {name}\n    url: {}\n", quote(url)));
            }
        }
        text.push_str("---\n");
        text
    }
}

/// A YAML double-quoted scalar (JSON's escapes are YAML's).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn join<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

/// A string or number field as text.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A file name from a person's name: lowercase ASCII letters and digits, accents
/// dropped, everything else a single dash (`Mr. Black` → `mr-black`).
pub(super) fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "person".to_string()
    } else {
        slug.to_string()
    }
}

/// `slug`, or `slug-2`, `slug-3`… when an earlier page took it.
fn unique_slug(slug: &str, pages: &[PersonPage]) -> String {
    let taken = |s: &str| pages.iter().any(|p| p.slug == s);
    if !taken(slug) {
        return slug.to_string();
    }
    (2..)
        .map(|n| format!("{slug}-{n}"))
        .find(|s| !taken(s))
        .unwrap_or_default()
}

/// The portrait's name beside the page: the page's slug with the image's extension.
fn portrait_name(slug: &str, image: &str) -> String {
    match Path::new(image).extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{slug}.{}", ext.to_lowercase()),
        None => slug.to_string(),
    }
}

/// The 1-based line of each item of a top-level block sequence (`-` in column one).
pub(super) fn item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let mut chars = line.chars();
            chars.next() == Some('-') && chars.next().is_none_or(char::is_whitespace)
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, companies: Option<&BTreeSet<String>>) -> (Vec<PersonPage>, Vec<String>) {
        let entries: Vec<Value> = serde_yaml::from_str(text).unwrap();
        let source = Source {
            shown: "people.yml",
            text,
            portraits: None,
            companies,
        };
        let (pages, problems) = convert(&source, &entries);
        (pages, problems.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn slugs_drop_accents_and_punctuation() {
        assert_eq!(slug("Ana Chávez"), "ana-chavez");
        assert_eq!(slug("Mr. Black"), "mr-black");
        assert_eq!(slug("Jean-Luc  de la Tour"), "jean-luc-de-la-tour");
        assert_eq!(slug("???"), "person");
    }

    #[test]
    fn an_entry_becomes_front_matter_the_contributors_section_reads() {
        let (pages, problems) = run(
            "-\n  name: \"Dave Collins\"\n  title: Lead Developer\n  group: Development\n  company_id: c0\n  twitter_alias: davecgh\n",
            None,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(pages[0].slug, "dave-collins");
        let front: crate::content::FrontMatter = serde_yaml::from_str(
            crate::content::front_matter::split(&pages[0].text)
                .unwrap()
                .yaml
                .unwrap(),
        )
        .unwrap();
        assert_eq!(front.title.as_deref(), Some("Dave Collins"));
        assert_eq!(front.role.as_deref(), Some("Lead Developer"));
        assert_eq!(front.group.as_deref(), Some("development"));
        assert_eq!(front.company.as_deref(), Some("c0"));
        assert_eq!(front.links[0].url, "https://twitter.com/davecgh");
    }

    #[test]
    fn entries_that_cannot_convert_are_reported_at_their_line() {
        let known: BTreeSet<String> = ["c0".to_string()].into();
        let text = "-\n  name: A\n  group: development\n-\n  group: design\n-\n  name: C\n  group: desing\n-\n  name: D\n  group: design\n  company_id: c1\n  shoe_size: 9\n- just text\n";
        let (pages, problems) = run(text, Some(&known));
        assert_eq!(pages.len(), 1);
        let expected = [
            "people.yml:4:1: error: entry has no `name`: it is left out",
            "people.yml:8:10: error: unknown group `desing`: the entry is left out",
            "people.yml:13:14: warning: field `shoe_size` is not imported",
            "people.yml:12:15: error: company `c1` is not in the companies file: the entry is left out",
            "people.yml:14:1: error: entry is not a mapping of fields",
        ];
        for e in expected {
            assert!(
                problems.iter().any(|p| p.starts_with(e)),
                "{e} in {problems:#?}"
            );
        }
    }

    #[test]
    fn same_names_get_numbered_pages() {
        let (pages, _) = run(
            "- {name: Ann, group: design}\n- {name: Ann, group: design}\n",
            None,
        );
        let slugs: Vec<_> = pages.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["ann", "ann-2"]);
    }
}
