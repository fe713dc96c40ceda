//! Contributors: pages whose front matter describes a person, shown as a portrait grid
//! by their section, with group filters and corporate-contractor badges.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::front_matter::PersonLink;
use crate::content::Page;
use crate::diagnostics::{suggest, Diagnostic};
use crate::icons::html_escape;
use crate::markdown::{LinkResolution, LinkResolver};

/// The groups, in the order the filter buttons show them.
pub(crate) const GROUPS: &[(&str, &str)] = &[
    ("development", "Development"),
    ("design", "Design"),
    ("community", "Community"),
    ("marketing", "Marketing"),
    ("strategy", "Strategy"),
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct CompanyBadge {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
    pub logo_url: Option<String>,
}

/// A person as templates see them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Person {
    pub name: String,
    pub url: String,
    pub role: String,
    pub group: String,
    pub group_label: String,
    pub portrait_url: String,
    /// True when `portrait_url` is our generated initials avatar.
    pub portrait_generated: bool,
    pub company: Option<CompanyBadge>,
    pub links: Vec<PersonLink>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct GroupCount {
    pub id: &'static str,
    /// In the language of the page (as its people's `group_label`).
    pub label: String,
    pub count: usize,
}

/// Is this page a person (any person field set)?
pub(crate) fn is_person(page: &Page) -> bool {
    let f = &page.front;
    f.role.is_some() || f.group.is_some() || f.portrait.is_some() || f.company.is_some()
}

/// Builds the person of a page, checking group, company and portrait.
/// Returns the person and, when it has no portrait, the avatar SVG to write beside it.
pub(crate) fn person(
    page: &Page,
    name: &str,
    config: &Config,
    links: &dyn LinkResolver,
) -> Result<(Person, Option<String>), Vec<Diagnostic>> {
    let f = &page.front;
    let mut problems = Vec::new();
    let group = f.group.clone().unwrap_or_default().to_lowercase();
    let group_label = group_label(page, &group, &mut problems);
    // The theme's catalogue names the group in the page's language.
    let group_label = config
        .strings
        .get(&format!("group_{group}"))
        .cloned()
        .unwrap_or(group_label);
    let company = company(page, config, &mut problems);
    let (portrait_url, avatar) = portrait(page, name, links, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let person = Person {
        name: name.to_string(),
        url: page.url.clone(),
        role: f.role.clone().unwrap_or_default(),
        group,
        group_label,
        portrait_generated: avatar.is_some(),
        portrait_url,
        company,
        links: f.links.clone(),
    };
    Ok((person, avatar))
}

/// The label of the page's `group` (lowercased in `group`); an unknown group is a
/// problem, and its label empty.
fn group_label(page: &Page, group: &str, problems: &mut Vec<Diagnostic>) -> String {
    if let Some((_, label)) = GROUPS.iter().find(|(id, _)| *id == group) {
        return label.to_string();
    }
    let ids = GROUPS.iter().map(|(id, _)| *id);
    let help = match suggest(group, ids.clone()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("use one of: {}", ids.collect::<Vec<_>>().join(", ")),
    };
    let written = page.front.group.as_deref().unwrap_or("");
    problems.push(
        page.key_error("group", format!("unknown contributor group `{written}`"))
            .with_help(help),
    );
    String::new()
}

/// The badge of the page's `company`, which site.yaml must declare.
fn company(page: &Page, config: &Config, problems: &mut Vec<Diagnostic>) -> Option<CompanyBadge> {
    let id = page.front.company.as_ref()?;
    if let Some(c) = config.companies.get(id) {
        return Some(CompanyBadge {
            id: id.clone(),
            name: c.name.clone(),
            url: c.url.clone(),
            logo_url: c.logo.clone(),
        });
    }
    let help = match suggest(id, config.companies.keys().map(String::as_str)) {
        Some(near) => {
            format!("did you mean `{near}`? Companies are declared under `companies` in site.yaml")
        }
        None => "declare the company under `companies` in site.yaml".to_string(),
    };
    problems.push(
        page.key_error("company", format!("unknown company `{id}`"))
            .with_help(help),
    );
    None
}

/// The portrait's URL; when the page has none, the URL of an initials avatar and the
/// avatar's SVG to write there.
fn portrait(
    page: &Page,
    name: &str,
    links: &dyn LinkResolver,
    problems: &mut Vec<Diagnostic>,
) -> (String, Option<String>) {
    let Some(p) = &page.front.portrait else {
        return (
            crate::content::urls::file_url(&page.avatar_output()),
            Some(initials_avatar(name)),
        );
    };
    match links.resolve(&page.content_path, p) {
        LinkResolution::Rewritten(url) => (url, None),
        LinkResolution::Unchanged => (p.clone(), None),
        LinkResolution::Broken { cause } => {
            problems.push(
                page.key_error("portrait", format!("portrait `{p}` not found: {cause}"))
                    .with_help("put the image next to the page (or under assets/ and use a /path), or remove `portrait` to get an initials avatar"),
            );
            (p.clone(), None)
        }
    }
}

/// Counts per group, in the fixed group order.
pub(crate) fn group_counts(people: &[Person]) -> Vec<GroupCount> {
    GROUPS
        .iter()
        .map(|(id, label)| {
            let of_group = people.iter().filter(|p| p.group == *id);
            GroupCount {
                id,
                label: of_group
                    .clone()
                    .next()
                    .map_or_else(|| label.to_string(), |p| p.group_label.clone()),
                count: of_group.count(),
            }
        })
        .collect()
}

/// Up to two initials: first letters of the first and last words.
pub(crate) fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphanumeric))
        .collect();
    let first = |w: &str| {
        w.chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default()
    };
    match words.as_slice() {
        [] => "?".to_string(),
        [one] => first(one),
        [a, .., b] => format!("{}{}", first(a), first(b)),
    }
}

/// Background colours for avatars: Decred's navy and blue family, each with white text
/// above 4.5:1 contrast.
const AVATAR_COLOURS: &[&str] = &[
    "#091440", "#2970FF", "#1A3A8F", "#0B5E4A", "#3D2A8C", "#7A2A5E",
];

/// A deterministic SVG avatar with the person's initials.
pub(crate) fn initials_avatar(name: &str) -> String {
    let hash = name
        .bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    let colour = AVATAR_COLOURS[hash as usize % AVATAR_COLOURS.len()];
    let text = html_escape(&initials(name));
    let label = html_escape(name);
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96" role="img" aria-label="{label}">"##,
            r##"<rect width="96" height="96" fill="{colour}"/>"##,
            r##"<circle cx="78" cy="18" r="10" fill="#2ED6A1"/>"##,
            r##"<text x="48" y="49" fill="#FFFFFF" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" "##,
            r##"font-size="36" font-weight="600" text-anchor="middle" dominant-baseline="central">{text}</text></svg>"##,
            "\n"
        ),
        label = label,
        colour = colour,
        text = text
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Dave Collins"), "DC");
        assert_eq!(initials("Alex Yocom-Piatt"), "AY");
        assert_eq!(initials("Mr. Black"), "MB");
        assert_eq!(initials("cleo"), "C");
        assert_eq!(initials("Jean-Luc de la Tour"), "JT");
        assert_eq!(initials(""), "?");
    }

    #[test]
    fn avatar_is_deterministic_and_labelled() {
        let a = initials_avatar("Dave Collins");
        assert_eq!(a, initials_avatar("Dave Collins"));
        assert!(a.contains(r#"aria-label="Dave Collins""#));
        assert!(a.contains(">DC</text>"));
    }
}
