//! pymdownx.magiclink's URL shorteners (`repo_url_shortener`, `social_url_shortener`):
//! a link whose text is its address, to an issue, pull request, discussion, commit,
//! comparison, repository or user of a known host, shows as magiclink's short form
//! (`user/repo#1`, `@user`) with its classes and title. The links are read with
//! magiclink's own patterns, one pair per provider.

use regex::{Captures, Regex};
use serde_yaml::Value;

use super::providers::{Kind, Provider, Providers};
use crate::icons::html_escape;

/// A provider's compiled patterns: links into repositories, and user or repository
/// pages (for X and Twitter, user pages only).
#[derive(Debug, Clone)]
struct Rule {
    provider: Provider,
    repo: Option<Regex>,
    user: Regex,
}

/// The shortener's settings and patterns.
#[derive(Debug, Clone)]
pub struct Shortener {
    rules: Vec<Rule>,
    /// The configured repository's and user's addresses (`…/user/repo/`, `…/user/`).
    base: String,
    base_user: String,
}

impl PartialEq for Shortener {
    fn eq(&self, other: &Shortener) -> bool {
        let key = |s: &Shortener| {
            let names: Vec<String> = s.rules.iter().map(|r| r.user.to_string()).collect();
            (names, s.base.clone(), s.base_user.clone())
        };
        key(self) == key(other)
    }
}

/// The host as a pattern: escaped, with an optional `www.` when the provider allows it.
fn host_pattern(p: &Provider) -> String {
    let escaped = regex::escape(&p.url);
    for scheme in ["https://", "http://"] {
        if let Some(rest) = escaped.strip_prefix(scheme).filter(|_| p.www) {
            let rest = rest.strip_prefix(r"www\.").unwrap_or(rest);
            return format!(r"{scheme}(?:w{{3}}\.)?{rest}");
        }
    }
    escaped
}

fn repo_pattern(kind: Kind, host: &str) -> Option<String> {
    let user = kind.user_pattern();
    let base = format!(r"(?P<base>{host}/(?P<user_repo>(?P<user>{user})/[^/]+))/");
    let tail = match kind {
        Kind::GitHub => concat!(
            r"(?:issues/(?P<issue>\d+)/?|pull/(?P<pull>\d+)/?|discussions/(?P<discuss>\d+)/?|",
            r"commit/(?P<commit>[\da-f]{7,40})/?|",
            r"compare/(?P<diff1>[\da-f]{7,40})\.{3}(?P<diff2>[\da-f]{7,40}))"
        ),
        Kind::Bitbucket => concat!(
            r"(?:issues/(?P<issue>\d+)(?:/[^/]+)?/?|",
            r"pull-requests/(?P<pull>\d+)(?:/[^/]+(?:/diff)?)?/?|",
            r"commits/commit/(?P<commit>[\da-f]{7,40})/?|",
            r"branches/commits/(?P<diff1>[\da-f]{7,40})(?:\.{2}|%0d)(?P<diff2>[\da-f]{7,40})\#diff)"
        ),
        Kind::GitLab => concat!(
            r"(?:-/)?(?:issues/(?P<issue>\d+)/?|merge_requests/(?P<pull>\d+)/?|",
            r"commit/(?P<commit>[\da-f]{8,40})/?|",
            r"compare/(?P<diff1>[\da-f]{8,40})\.{3}(?P<diff2>[\da-f]{8,40}))"
        ),
        Kind::X | Kind::Twitter => return None,
    };
    Some(format!("{base}{tail}"))
}

fn user_pattern(kind: Kind, host: &str) -> String {
    let user = kind.user_pattern();
    let repo = match kind {
        Kind::X | Kind::Twitter => return format!(r"(?P<base>{host}/(?P<user>{user}))"),
        Kind::Bitbucket => r"(?:/(?P<repo>[^/]+)/?)?",
        _ => r"(?:/(?P<repo>[^/]+))?",
    };
    format!(r"(?P<base>{host}/(?P<user_repo>(?P<user>{user}){repo}))")
}

fn whole(pattern: &str) -> Regex {
    Regex::new(&format!(r"(?i)^(?:{pattern})/?$")).expect("magiclink's link patterns compile")
}

impl Shortener {
    /// The shortener, or None when neither shortener option is on.
    pub fn read(options: &Value, providers: &Providers, default: &str) -> Option<Shortener> {
        let on = |k: &str| options.get(k).and_then(Value::as_bool).unwrap_or(false);
        let (repos, social) = (on("repo_url_shortener"), on("social_url_shortener"));
        if !repos && !social {
            return None;
        }
        // magiclink's order: the built-in hosts, then custom ones, then social ones.
        let builtin = |p: &&Provider| repos && !p.custom && !p.kind.is_social();
        let custom = |p: &&Provider| p.custom;
        let socials = |p: &&Provider| social && p.kind.is_social();
        let ordered = providers.0.iter().filter(builtin);
        let ordered = ordered.chain(providers.0.iter().filter(custom));
        let rules = ordered
            .chain(providers.0.iter().filter(socials))
            .map(|p| {
                let host = host_pattern(p);
                Rule {
                    provider: p.clone(),
                    repo: repo_pattern(p.kind, &host).map(|r| whole(&r)),
                    user: whole(&user_pattern(p.kind, &host)),
                }
            })
            .collect();
        let text = |k: &str| options.get(k).and_then(Value::as_str).unwrap_or("");
        let (user, repo) = (text("user"), text("repo"));
        let mut s = Shortener {
            rules,
            base: String::new(),
            base_user: String::new(),
        };
        if let Some(p) = providers.get(default).filter(|p| !p.kind.is_social()) {
            if !user.is_empty() && !repo.is_empty() {
                s.base = format!("{}/{user}/{repo}/", p.url);
                s.base_user = format!("{}/{user}/", p.url);
            }
        }
        Some(s)
    }

    /// The short link for `href`, or None when no provider's pattern reads it (or its
    /// user is one magiclink leaves alone).
    pub fn shorten(&self, href: &str) -> Option<String> {
        for rule in &self.rules {
            let repo = rule.repo.as_ref().and_then(|r| r.captures(href));
            let (m, repo_link) = match (repo, rule.user.captures(href)) {
                (Some(m), _) => (m, true),
                (None, Some(m)) => (m, false),
                (None, None) => continue,
            };
            let user = m.name("user").map_or("", |u| u.as_str()).to_lowercase();
            if rule.provider.kind.excluded().contains(&user.as_str()) {
                return None;
            }
            return Some(self.short(&rule.provider, &m, repo_link));
        }
        None
    }

    fn short(&self, p: &Provider, m: &Captures, repo_link: bool) -> String {
        let g = |k: &str| m.name(k).map(|v| v.as_str());
        let base = g("base").unwrap_or("");
        let my_repo = !self.base.is_empty() && format!("{base}/") == self.base;
        let my_user = my_repo || (!self.base_user.is_empty() && base.starts_with(&self.base_user));
        let user_repo = g("user_repo").or(g("user")).unwrap_or("");
        let owner = if my_repo {
            String::new()
        } else if my_user {
            user_repo.split('/').nth(1).unwrap_or("").to_string()
        } else {
            user_repo.to_string()
        };
        let size = if p.kind == Kind::GitLab { 8 } else { 7 };
        let cut = |h: &str| h[..size.min(h.len())].to_string();
        let at = if owner.is_empty() { "" } else { "@" };
        let (kind, title, text) = if !repo_link {
            if g("repo").is_some() {
                (
                    "repository",
                    format!("Repository: {user_repo}"),
                    user_repo.to_string(),
                )
            } else {
                (
                    "mention",
                    format!("User: {user_repo}"),
                    format!("@{user_repo}"),
                )
            }
        } else if let (Some(a), Some(b)) = (g("diff1"), g("diff2")) {
            let range = format!("{}...{}", cut(a), cut(b));
            let title = format!("Compare: {user_repo}@{range}");
            ("compare", title, format!("{owner}{at}{range}"))
        } else if let Some(h) = g("commit") {
            let title = format!("Commit: {user_repo}@{}", cut(h));
            ("commit", title, format!("{owner}{at}{}", cut(h)))
        } else {
            let (kind, label, icon, n) = match (g("pull"), g("discuss")) {
                (Some(n), _) => ("pull", "Pull Request", '!', n),
                (None, Some(n)) => ("discussion", "Discussion", '?', n),
                _ => ("issue", "Issue", '#', g("issue").unwrap_or("")),
            };
            let title = format!("{label}: {user_repo} #{n}");
            (kind, title, format!("{owner}{icon}{n}"))
        };
        let href = m.get(0).map_or("", |v| v.as_str());
        format!(
            "<a class=\"magiclink magiclink-{} magiclink-{kind}\" href=\"{}\" title=\"{} {}\">{}</a>",
            p.name,
            html_escape(href),
            html_escape(&p.label),
            html_escape(&title),
            html_escape(&text)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shortener(yml: &str) -> Shortener {
        let options: Value = serde_yaml::from_str(yml).unwrap();
        let providers = Providers::read(&options);
        let default = options
            .get("provider")
            .and_then(Value::as_str)
            .unwrap_or("github");
        Shortener::read(&options, &providers, default).unwrap()
    }

    /// Inputs of our own; the expected links are what pymdownx.magiclink 13.1.2 makes.
    #[test]
    fn links_shorten_as_magiclink_shortens_them() {
        let s = shortener(
            "repo_url_shortener: true\nsocial_url_shortener: true\nuser: me\nrepo: proj\ncustom:\n  forge: {host: 'https://forge.example', label: Forge, type: gitlab}\n",
        );
        let cases = [
            (
                "https://github.com/me/proj/issues/12",
                r#"<a class="magiclink magiclink-github magiclink-issue" href="https://github.com/me/proj/issues/12" title="GitHub Issue: me/proj #12">#12</a>"#,
            ),
            (
                "https://github.com/me/other/pull/3",
                r#"<a class="magiclink magiclink-github magiclink-pull" href="https://github.com/me/other/pull/3" title="GitHub Pull Request: me/other #3">other!3</a>"#,
            ),
            (
                "https://www.github.com/someone/thing/discussions/9/",
                r#"<a class="magiclink magiclink-github magiclink-discussion" href="https://www.github.com/someone/thing/discussions/9/" title="GitHub Discussion: someone/thing #9">someone/thing?9</a>"#,
            ),
            (
                "https://gitlab.com/a/b/-/commit/0123456789abcdef0123456789abcdef01234567",
                r#"<a class="magiclink magiclink-gitlab magiclink-commit" href="https://gitlab.com/a/b/-/commit/0123456789abcdef0123456789abcdef01234567" title="GitLab Commit: a/b@01234567">a/b@01234567</a>"#,
            ),
            (
                "https://bitbucket.org/a/b",
                r#"<a class="magiclink magiclink-bitbucket magiclink-repository" href="https://bitbucket.org/a/b" title="Bitbucket Repository: a/b">a/b</a>"#,
            ),
            (
                "https://forge.example/a/b/-/issues/4",
                r#"<a class="magiclink magiclink-forge magiclink-issue" href="https://forge.example/a/b/-/issues/4" title="Forge Issue: a/b #4">a/b#4</a>"#,
            ),
            (
                "https://x.com/someone",
                r#"<a class="magiclink magiclink-x magiclink-mention" href="https://x.com/someone" title="X User: someone">@someone</a>"#,
            ),
        ];
        for (href, want) in cases {
            assert_eq!(s.shorten(href).as_deref(), Some(want), "{href}");
        }
        for left in [
            "https://github.com/settings",
            "https://example.org/a/b",
            "https://x.com/home",
        ] {
            assert_eq!(s.shorten(left), None, "{left}");
        }
    }
}
