//! pymdownx.magiclink's providers: the built-in hosts (GitHub, GitLab, Bitbucket, X and
//! the deprecated Twitter) and the `custom:` ones a project adds (`name: {host, label,
//! type, www}`), each with its kind, whose paths and user-name rules it follows.

use serde_yaml::Value;

/// The kind of host: how its links are made and its user names read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    GitHub,
    GitLab,
    Bitbucket,
    X,
    Twitter,
}

impl Kind {
    fn named(name: &str) -> Option<Kind> {
        Some(match name {
            "github" => Kind::GitHub,
            "gitlab" => Kind::GitLab,
            "bitbucket" => Kind::Bitbucket,
            "x" => Kind::X,
            "twitter" => Kind::Twitter,
            _ => return None,
        })
    }

    /// The social kinds: mentions only, no repositories.
    pub fn is_social(self) -> bool {
        matches!(self, Kind::X | Kind::Twitter)
    }

    /// The kind's user-name pattern (magiclink's `RE_*_USER`).
    pub fn user_pattern(self) -> &'static str {
        match self {
            Kind::GitHub => r"[a-zA-Z\d](?:[-a-zA-Z\d_]{0,37}[a-zA-Z\d])?",
            Kind::GitLab => r"[\.a-zA-Z\d_](?:[-a-zA-Z\d_\.]{0,37}[-a-zA-Z\d_])?",
            Kind::Bitbucket => r"[-a-zA-Z\d_]{1,39}",
            Kind::X | Kind::Twitter => r"\w{1,15}",
        }
    }

    /// User names never shortened (magiclink's `shortener_user_exclude` defaults).
    pub fn excluded(self) -> &'static [&'static str] {
        match self {
            Kind::Bitbucket => &["dashboard", "account", "plans", "support", "repo"],
            Kind::GitHub => &[
                "marketplace",
                "notifications",
                "issues",
                "pull",
                "sponsors",
                "settings",
                "support",
            ],
            Kind::GitLab => &["dashboard", "-", "explore", "help", "projects"],
            Kind::X | Kind::Twitter => &["i", "messages", "bookmarks", "home"],
        }
    }
}

/// One provider: its name (the `magiclink-NAME` class), kind, address and label.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub name: String,
    pub kind: Kind,
    /// Lower case, without a trailing slash.
    pub url: String,
    pub label: String,
    /// Whether `www.` may precede the host in a link to shorten.
    pub www: bool,
    /// A `custom:` provider (tried after the built-in ones when shortening).
    pub custom: bool,
}

fn provider(name: &str, kind: Kind, url: &str, label: &str, custom: bool) -> Provider {
    Provider {
        name: name.to_string(),
        kind,
        url: url.to_lowercase().trim_end_matches('/').to_string(),
        label: label.to_string(),
        www: true,
        custom,
    }
}

/// The providers a page's magiclink knows, built-in first.
#[derive(Debug, Clone, PartialEq)]
pub struct Providers(pub Vec<Provider>);

impl Default for Providers {
    fn default() -> Providers {
        Providers(vec![
            provider(
                "twitter",
                Kind::Twitter,
                "https://twitter.com",
                "Twitter",
                false,
            ),
            provider("x", Kind::X, "https://x.com", "X", false),
            provider(
                "gitlab",
                Kind::GitLab,
                "https://gitlab.com",
                "GitLab",
                false,
            ),
            provider(
                "bitbucket",
                Kind::Bitbucket,
                "https://bitbucket.org",
                "Bitbucket",
                false,
            ),
            provider(
                "github",
                Kind::GitHub,
                "https://github.com",
                "GitHub",
                false,
            ),
        ])
    }
}

impl Providers {
    /// The built-in providers plus magiclink's `custom` option. A custom name that is
    /// not letters and digits, reuses a built-in name or lacks a host, label or known
    /// type is left out (magiclink refuses the first; the option warning names it).
    pub fn read(options: &Value) -> Providers {
        let mut all = Providers::default();
        let Some(Value::Mapping(custom)) = options.get("custom") else {
            return all;
        };
        for (name, entry) in custom {
            let Some(name) = name.as_str() else { continue };
            let text = |k: &str| entry.get(k).and_then(Value::as_str);
            let kind = text("type")
                .and_then(Kind::named)
                .filter(|k| !k.is_social());
            let ok_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
            let (Some(kind), Some(host), Some(label)) = (kind, text("host"), text("label")) else {
                continue;
            };
            if ok_name && all.get(name).is_none() {
                let mut p = provider(name, kind, host, label, true);
                p.www = entry.get("www").and_then(Value::as_bool).unwrap_or(true);
                all.0.push(p);
            }
        }
        all
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.0.iter().find(|p| p.name == name)
    }

    /// The repository hosts (`github:`, `gitlab:`, `bitbucket:` and custom ones).
    pub fn git(&self) -> impl Iterator<Item = &Provider> {
        self.0.iter().filter(|p| !p.kind.is_social())
    }
}
