//! pymdownx.magiclink's repository shorthands (`repo_url_shorthand: true`): `@user`,
//! `@user/repo`, `user/repo#1`, `repo!2`, `user/repo@<40-hex commit>` (and `...<commit>`
//! comparisons), `github:user/repo#1` for another provider and, when `user` and `repo` are
//! set, `#1`, `!1`, `?1` and bare commit hashes, as links to GitHub, GitLab or Bitbucket
//! with magiclink's classes, titles and shortened texts. Each match is tried at one
//! position in the order magiclink registers its patterns.

use pulldown_cmark::{CowStr, Event};
use serde_yaml::Value;

use super::magiclink::Found;
use super::providers::{Kind, Provider, Providers};
use crate::icons::html_escape;

/// The shorthand options: the default provider, user and repository, the providers
/// known, and which shorthands are on.
#[derive(Debug, Clone, PartialEq)]
pub struct Shorthand {
    pub provider: Provider,
    pub user: String,
    pub repo: String,
    pub providers: Providers,
    /// `repo_url_shorthand`: repositories, references and `github:user` mentions.
    pub repos: bool,
    /// `social_url_shorthand`: `@x:user` (and the deprecated `@twitter:user`).
    pub social: bool,
}

impl Shorthand {
    /// The options, or None when neither shorthand option is on.
    pub fn read(options: &Value) -> Option<Shorthand> {
        let on = |k: &str| options.get(k).and_then(Value::as_bool).unwrap_or(false);
        let (repos, social) = (on("repo_url_shorthand"), on("social_url_shorthand"));
        if !repos && !social {
            return None;
        }
        let text = |k: &str| {
            options
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let providers = Providers::read(options);
        let provider = providers
            .get(&text("provider"))
            .or_else(|| providers.get("github"))?
            .clone();
        Some(Shorthand {
            provider,
            user: text("user"),
            repo: text("repo"),
            providers,
            repos,
            social,
        })
    }

    /// Whether the default provider is a social one (no repository shorthands).
    fn is_social(&self) -> bool {
        self.provider.kind.is_social()
    }
}

/// Whether `chars` may hold a shorthand: an `@`, `#`, `!` or `?`, or 40 hex digits in a
/// row (a commit), so that text without one costs one scan.
pub(crate) fn may_hold(chars: &[char]) -> bool {
    let mut hex = 0;
    chars.iter().any(|&c| {
        hex = if c.is_ascii_hexdigit() { hex + 1 } else { 0 };
        hex >= 40 || matches!(c, '@' | '#' | '!' | '?')
    })
}

/// The next shorthand in `chars` at or after `from`.
pub(crate) fn next<'a>(s: &Shorthand, chars: &[char], from: usize, at: usize) -> Option<Found<'a>> {
    (from..chars.len()).find_map(|i| {
        let (end, html) = if chars[i] == '@' {
            mention(s, chars, i)?
        } else {
            reference(s, chars, i).or_else(|| micro(s, chars, i))?
        };
        let events = vec![(Event::InlineHtml(CowStr::from(html)), at)];
        Some(Found {
            start: i,
            end,
            events,
        })
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Python's `\b` between `chars[i - 1]` and `chars[i]`.
fn boundary(chars: &[char], i: usize) -> bool {
    let w = |k: Option<&char>| k.is_some_and(|&c| is_word(c));
    w(i.checked_sub(1).and_then(|k| chars.get(k))) != w(chars.get(i))
}

/// Lengths of the user names of a provider of `kind` starting at `i`, longest first.
fn users(kind: Kind, chars: &[char], i: usize) -> Vec<usize> {
    if kind.is_social() {
        let run = chars[i..].iter().take_while(|&&c| is_word(c)).count();
        return (1..=run.min(15)).rev().collect();
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    let run = chars[i..].iter().take_while(|&&c| ok(c)).count();
    let valid = |n: usize| {
        let name = &chars[i..i + n];
        let (first, last) = (name[0], name[n - 1]);
        let inner = name.iter().all(|&c| c != '.' || kind == Kind::GitLab);
        match kind {
            Kind::GitLab => n <= 39 && first != '-' && last != '.',
            Kind::Bitbucket => n <= 39 && !name.contains(&'.'),
            _ => n <= 39 && first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() && inner,
        }
    };
    (1..=run).rev().filter(|&n| valid(n)).collect()
}

/// A `provider:` prefix at `i` naming a repository host (with `repo_url_shorthand`) or,
/// when `social` allows, X or Twitter: the provider and where the user starts.
fn provider_prefix<'s>(
    s: &'s Shorthand,
    chars: &[char],
    i: usize,
    social: bool,
) -> Option<(&'s Provider, usize)> {
    s.providers.0.iter().find_map(|p| {
        let allowed = if p.kind.is_social() { social } else { s.repos };
        let n = p.name.chars().count();
        let word: String = chars.get(i..i + n + 1)?.iter().collect();
        (allowed && word == format!("{}:", p.name)).then_some((p, i + n + 1))
    })
}

/// A repository name at `i` followed by a word boundary: its lengths, longest first.
fn repos(chars: &[char], i: usize) -> Vec<usize> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
    let run = chars[i..].iter().take_while(|&&c| ok(c)).count().min(100);
    (1..=run)
        .rev()
        .filter(|&n| chars[i + n - 1].is_ascii_alphanumeric() && boundary(chars, i + n))
        .collect()
}

/// `@user/repo` or `@user` at `i` (an `@`).
fn mention(s: &Shorthand, chars: &[char], i: usize) -> Option<(usize, String)> {
    if i > 0 && chars[i - 1].is_ascii_alphabetic() {
        return None;
    }
    let prefix = provider_prefix(s, chars, i + 1, s.social);
    let (provider, u) = prefix.unwrap_or((&s.provider, i + 1));
    let names = users(provider.kind, chars, u);
    let repos_here = s.repos && !provider.kind.is_social() && (prefix.is_some() || !s.is_social());
    for &n in &names {
        if !repos_here || chars.get(u + n) != Some(&'/') || !boundary(chars, u + n) {
            continue;
        }
        if let Some(&r) = repos(chars, u + n + 1).first() {
            let user: String = chars[u..u + n].iter().collect();
            let repo: String = chars[u + n + 1..u + n + 1 + r].iter().collect();
            let title = format!("{} Repository: {user}/{repo}", provider.label);
            let href = format!("{}/{user}/{repo}", provider.url);
            let html = anchor(
                &provider.name,
                "repository",
                &href,
                &title,
                &format!("{user}/{repo}"),
            );
            return Some((u + n + 1 + r, html));
        }
    }
    let n = *names.iter().find(|&&n| boundary(chars, u + n))?;
    let user: String = chars[u..u + n].iter().collect();
    let title = format!("{} User: {user}", provider.label);
    let href = format!("{}/{user}", provider.url);
    Some((
        u + n,
        anchor(
            &provider.name,
            "mention",
            &href,
            &title,
            &format!("@{user}"),
        ),
    ))
}

/// `provider:user/repo`, `user/repo` or `repo` at `i`, then `#1`, `!1`, `?1` or `@commit`.
fn reference(s: &Shorthand, chars: &[char], i: usize) -> Option<(usize, String)> {
    if !s.repos || (i > 0 && (chars[i - 1] == '@' || chars[i - 1] == '/')) {
        return None;
    }
    let mut owners = Vec::new();
    if boundary(chars, i) {
        let prefix = provider_prefix(s, chars, i, false);
        let (provider, u) = match prefix {
            Some(found) => found,
            None if s.is_social() => return None,
            None => (&s.provider, i),
        };
        for n in users(provider.kind, chars, u) {
            if chars.get(u + n) == Some(&'/') && boundary(chars, u + n) {
                let user: String = chars[u..u + n].iter().collect();
                owners.push((provider, user, u + n + 1));
            }
        }
    }
    if !s.is_social() {
        owners.push((&s.provider, s.user.clone(), i));
    }
    owners.into_iter().find_map(|(provider, user, r)| {
        if user.is_empty() {
            return None;
        }
        // The longest repository name followed by a reference is the match; a kind the
        // provider has not (`?1` outside GitHub) keeps the matched text as text.
        let (n, end, kind) = repos_then_ref(chars, r).into_iter().next()?;
        let repo: String = chars[r..r + n].iter().collect();
        let mine = (user == s.user && *provider == s.provider, repo == s.repo);
        let html = link(provider, &user, &repo, (mine.0, mine.0 && mine.1), &kind);
        let text = || html_escape(&chars[i..end].iter().collect::<String>());
        Some((end, html.unwrap_or_else(text)))
    })
}

/// Repository names at `r` (any length) each followed by a reference: its length, end
/// and what it refers to.
fn repos_then_ref(chars: &[char], r: usize) -> Vec<(usize, usize, Ref)> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
    let run = chars[r..].iter().take_while(|&&c| ok(c)).count().min(100);
    (1..=run)
        .rev()
        .filter(|&n| chars[r + n - 1].is_ascii_alphanumeric())
        .filter_map(|n| {
            let (end, kind) = issue(chars, r + n).or_else(|| commit(chars, r + n, true))?;
            Some((n, end, kind))
        })
        .collect()
}

/// What a shorthand refers to.
enum Ref {
    Issue(char, String),
    Commit(String),
    Compare(String, String),
}

/// `#1`, `!1` or `?1` at `i`, ending at a word boundary.
fn issue(chars: &[char], i: usize) -> Option<(usize, Ref)> {
    let sign = *chars.get(i).filter(|c| "#!?".contains(**c))?;
    let digits = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || chars[i + 1] == '0' || !boundary(chars, i + 1 + digits) {
        return None;
    }
    let number = chars[i + 1..i + 1 + digits].iter().collect();
    Some((i + 1 + digits, Ref::Issue(sign, number)))
}

/// `@<40 hex>` (or the hash alone when `at` is false), optionally `...<40 hex>`.
fn commit(chars: &[char], i: usize, at: bool) -> Option<(usize, Ref)> {
    let start = if at {
        (chars.get(i) == Some(&'@')).then_some(i + 1)?
    } else {
        i
    };
    let hash = |k: usize| -> Option<String> {
        let h = chars.get(k..k + 40)?;
        h.iter()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(c))
            .then(|| h.iter().collect())
    };
    let first = hash(start)?;
    let dots = start + 40;
    if chars.get(dots..dots + 3) == Some(&['.', '.', '.']) {
        if let Some(second) = hash(dots + 3).filter(|_| boundary(chars, dots + 43)) {
            return Some((dots + 43, Ref::Compare(first, second)));
        }
    }
    boundary(chars, dots).then_some((dots, Ref::Commit(first)))
}

/// `#1`, `!1`, `?1`, a commit or a comparison of the configured repository at `i`.
fn micro(s: &Shorthand, chars: &[char], i: usize) -> Option<(usize, String)> {
    if !s.repos || s.is_social() || s.user.is_empty() || s.repo.is_empty() {
        return None;
    }
    let (end, kind) = if "#!?".contains(chars[i]) {
        if i > 0 && chars[i - 1].is_ascii_alphabetic() {
            return None;
        }
        issue(chars, i)?
    } else {
        let after_ok = i == 0 || (chars[i - 1] != '@' && chars[i - 1] != '/');
        if !after_ok || !boundary(chars, i) {
            return None;
        }
        commit(chars, i, false)?
    };
    Some((
        end,
        link(&s.provider, &s.user, &s.repo, (true, true), &kind)?,
    ))
}

/// The link for a reference; `mine`: (the user is the configured one, the repository
/// too), which shortens the text. None for a discussion outside GitHub.
fn link(p: &Provider, user: &str, repo: &str, mine: (bool, bool), kind: &Ref) -> Option<String> {
    let base = format!("{}/{user}/{repo}", p.url);
    let owner = match mine {
        (_, true) => String::new(),
        (true, false) => repo.to_string(),
        _ => format!("{user}/{repo}"),
    };
    let size = if p.kind == Kind::GitLab { 8 } else { 7 };
    let short = |h: &str| h[..size].to_string();
    let at = if owner.is_empty() { "" } else { "@" };
    let (class, href, title, text) = match kind {
        Ref::Issue(sign, n) => {
            let (class, label, path) = match (sign, p.kind) {
                ('#', Kind::GitLab) => ("issue", "Issue", "-/issues"),
                ('#', _) => ("issue", "Issue", "issues"),
                ('!', Kind::GitLab) => ("pull", "Pull Request", "-/merge_requests"),
                ('!', Kind::Bitbucket) => ("pull", "Pull Request", "pull-requests"),
                ('!', _) => ("pull", "Pull Request", "pull"),
                ('?', Kind::GitHub) => ("discussion", "Discussion", "discussions"),
                _ => return None,
            };
            let title = format!("{label}: {user}/{repo} #{n}");
            (
                class,
                format!("{base}/{path}/{n}"),
                title,
                format!("{owner}{sign}{n}"),
            )
        }
        Ref::Commit(h) => {
            let path = match p.kind {
                Kind::GitLab => "-/commit",
                Kind::Bitbucket => "commits/commit",
                _ => "commit",
            };
            let title = format!("Commit: {user}/{repo}@{}", short(h));
            (
                "commit",
                format!("{base}/{path}/{h}"),
                title,
                format!("{owner}{at}{}", short(h)),
            )
        }
        Ref::Compare(a, b) => {
            let href = match p.kind {
                Kind::GitLab => format!("{base}/-/compare/{a}...{b}"),
                Kind::Bitbucket => format!("{base}/branches/commits/{a}..{b}#diff"),
                _ => format!("{base}/compare/{a}...{b}"),
            };
            let range = format!("{}...{}", short(a), short(b));
            let title = format!("Compare: {user}/{repo}@{range}");
            ("compare", href, title, format!("{owner}{at}{range}"))
        }
    };
    let title = format!("{} {title}", p.label);
    Some(anchor(&p.name, class, &href, &title, &text))
}

fn anchor(provider: &str, kind: &str, href: &str, title: &str, text: &str) -> String {
    format!(
        "<a class=\"magiclink magiclink-{provider} magiclink-{kind}\" href=\"{}\" title=\"{}\">{}</a>",
        html_escape(href),
        html_escape(title),
        html_escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(s: &Shorthand, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(f) = next(s, &chars, from, 0) {
            if let Event::InlineHtml(h) = &f.events[0].0 {
                out.push(h.to_string());
            }
            from = f.end;
        }
        out
    }

    #[test]
    fn mentions_repositories_and_references() {
        let options = "repo_url_shorthand: true\nuser: facelessuser\nrepo: pymdown-extensions\n";
        let s = Shorthand::read(&serde_yaml::from_str(options).unwrap()).unwrap();
        let got = render(
            &s,
            "@someone, @someone/repo, other/repo#2, repo!3, #4, ?5 and gitlab:u/r#6",
        );
        let texts: Vec<&str> = got
            .iter()
            .map(|h| &h[h.find("\">").unwrap() + 2..])
            .collect();
        assert_eq!(
            texts,
            [
                "@someone</a>",
                "someone/repo</a>",
                "other/repo#2</a>",
                "repo!3</a>",
                "#4</a>",
                "?5</a>",
                "u/r#6</a>"
            ]
        );
        assert!(got[2].contains("href=\"https://github.com/other/repo/issues/2\""));
        assert!(got[6].contains("href=\"https://gitlab.com/u/r/-/issues/6\""));
        // Not after a letter, nor without a user and repository for the short forms.
        let bare = Shorthand {
            user: String::new(),
            ..s
        };
        assert!(render(&bare, "a#4 and #4 and x@y").is_empty());
    }

    /// Inputs of our own; the expected links are what pymdownx.magiclink 13.1.2 makes.
    #[test]
    fn social_and_custom_providers_link_as_magiclink_links_them() {
        let cases = [
            (
                "repo_url_shorthand: true\nsocial_url_shorthand: true\nuser: me\nrepo: proj\nprovider: forge\ncustom:\n  forge: {host: 'https://forge.example', label: Forge, type: gitlab}\n",
                "@x:someone, @forge:u/r, @bob, gitlab:u/r?3, u/r!4, #5 and github:a/b#6",
                vec![
                    r#"<a class="magiclink magiclink-x magiclink-mention" href="https://x.com/someone" title="X User: someone">@someone</a>"#,
                    r#"<a class="magiclink magiclink-forge magiclink-repository" href="https://forge.example/u/r" title="Forge Repository: u/r">u/r</a>"#,
                    r#"<a class="magiclink magiclink-forge magiclink-mention" href="https://forge.example/bob" title="Forge User: bob">@bob</a>"#,
                    "gitlab:u/r?3",
                    r#"<a class="magiclink magiclink-forge magiclink-pull" href="https://forge.example/u/r/-/merge_requests/4" title="Forge Pull Request: u/r #4">u/r!4</a>"#,
                    r#"<a class="magiclink magiclink-forge magiclink-issue" href="https://forge.example/me/proj/-/issues/5" title="Forge Issue: me/proj #5">#5</a>"#,
                    r#"<a class="magiclink magiclink-github magiclink-issue" href="https://github.com/a/b/issues/6" title="GitHub Issue: a/b #6">a/b#6</a>"#,
                ],
            ),
            (
                "repo_url_shorthand: true\nsocial_url_shorthand: true\nprovider: x\nuser: me\nrepo: proj\n",
                "@someone, @a/b, a/b#1, #5, @github:a/b",
                vec![
                    r#"<a class="magiclink magiclink-x magiclink-mention" href="https://x.com/someone" title="X User: someone">@someone</a>"#,
                    r#"<a class="magiclink magiclink-x magiclink-mention" href="https://x.com/a" title="X User: a">@a</a>"#,
                    r#"<a class="magiclink magiclink-github magiclink-repository" href="https://github.com/a/b" title="GitHub Repository: a/b">a/b</a>"#,
                ],
            ),
        ];
        for (options, text, want) in cases {
            let s = Shorthand::read(&serde_yaml::from_str(options).unwrap()).unwrap();
            assert_eq!(render(&s, text), want, "{text}");
        }
    }
}
