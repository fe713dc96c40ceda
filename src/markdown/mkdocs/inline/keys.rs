//! pymdownx.keys: `++ctrl+alt+del++` → `<span class="keys"><kbd class="key-control">Ctrl</kbd>
//! <span>+</span>…</span>`. Keys are names from its key map (or aliases), or quoted
//! text (`++ctrl+"Any"++`). A name it does not know leaves the whole `++…++` as text.

use pulldown_cmark::{CowStr, Event};
use serde_yaml::Value;

use super::keymap::{ALIASES, KEYS};
use super::magiclink::Found;
use super::tree::{read_placeholder, Placeholder};
use crate::icons::html_escape;

/// pymdownx.keys' options.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    pub separator: String,
    pub strict: bool,
    pub class: String,
    pub camel_case: bool,
    /// `key_map`: names added or relabelled.
    pub key_map: Vec<(String, String)>,
}

impl Keys {
    pub fn read(options: &Value) -> Keys {
        let text = |k: &str, d: &str| {
            options
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or(d)
                .to_string()
        };
        let flag = |k: &str| options.get(k).and_then(Value::as_bool).unwrap_or(false);
        let key_map = match options.get("key_map") {
            Some(Value::Mapping(m)) => m
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        Keys {
            separator: text("separator", "+"),
            strict: flag("strict"),
            class: text("class", "keys"),
            camel_case: flag("camel_case"),
            key_map,
        }
    }

    /// A key name's class and label, if known.
    fn lookup(&self, name: &str) -> Option<(String, String)> {
        let name = if self.camel_case {
            camel(name)
        } else {
            name.to_string()
        };
        let canonical = ALIASES
            .binary_search_by(|(a, _)| (*a).cmp(name.as_str()))
            .map_or(name.clone(), |k| ALIASES[k].1.to_string());
        let label = match self.key_map.iter().find(|(k, _)| *k == canonical) {
            Some((_, label)) => label.clone(),
            None => {
                let k = KEYS.binary_search_by(|(n, _)| (*n).cmp(canonical.as_str()));
                KEYS[k.ok()?].1.to_string()
            }
        };
        Some((canonical, label))
    }
}

/// `PgDn` → `pg-dn`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in name.chars() {
        if c.is_uppercase() && last.is_some_and(|l| l != '-') {
            out.push('-');
        }
        out.extend(c.to_lowercase());
        last = Some(c);
    }
    out
}

/// One key as written: a name, or quoted text (escaped characters as themselves).
enum Key {
    Name(String),
    Quoted(String),
}

/// The key written at `chars[i]` and where it ends.
fn key_at(chars: &[char], i: usize) -> Option<(Key, usize)> {
    let q = *chars.get(i)?;
    if q == '"' || q == '\'' {
        let mut text = String::new();
        let mut k = i + 1;
        loop {
            if let Some((Placeholder::Escaped(c), next)) = read_placeholder(chars, k) {
                text.push(c);
                k = next;
                continue;
            }
            match chars.get(k)? {
                c if *c == q => break,
                '\\' => {
                    text.push(*chars.get(k + 1)?);
                    k += 2;
                }
                c => {
                    text.push(*c);
                    k += 1;
                }
            }
        }
        return (!text.is_empty()).then(|| (Key::Quoted(text.trim().to_string()), k + 1));
    }
    let n = chars[i..]
        .iter()
        .take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '-')
        .count();
    (n > 0).then(|| (Key::Name(chars[i..i + n].iter().collect()), i + n))
}

/// The `++…++` at `chars[i]`: its keys and its end.
fn keys_at(chars: &[char], i: usize) -> Option<(Vec<Key>, usize)> {
    let plus = |k: usize| chars.get(k) == Some(&'+');
    if !(plus(i) && plus(i + 1)) {
        return None;
    }
    let mut keys = Vec::new();
    let mut k = i + 2;
    loop {
        let (key, end) = key_at(chars, k)?;
        keys.push(key);
        match (plus(end), plus(end + 1)) {
            (true, true) => return Some((keys, end + 2)),
            (true, false) => k = end + 1,
            _ => return None,
        }
    }
}

/// The next `++keys++` at or after `from`.
pub(crate) fn next_keys<'a>(o: &Keys, chars: &[char], from: usize, at: usize) -> Option<Found<'a>> {
    (from..chars.len()).find_map(|i| {
        let (keys, end) = keys_at(chars, i)?;
        let events = element(o, &keys, at)?;
        Some(Found {
            start: i,
            end,
            events,
        })
    })
}

fn element<'a>(o: &Keys, keys: &[Key], at: usize) -> Option<Vec<(Event<'a>, usize)>> {
    let outer = if o.strict { "kbd" } else { "span" };
    let class = if o.class.is_empty() {
        String::new()
    } else {
        format!(r#" class="{}""#, html_escape(&o.class))
    };
    let html = |s: String| (Event::InlineHtml(CowStr::from(s)), at);
    let mut out = vec![html(format!("<{outer}{class}>"))];
    for (n, key) in keys.iter().enumerate() {
        if n > 0 && !o.separator.is_empty() {
            out.push(html(format!("<span>{}</span>", html_escape(&o.separator))));
        }
        let (class, label) = match key {
            Key::Name(name) => {
                let (canonical, label) = o.lookup(name)?;
                (
                    format!(r#" class="key-{}""#, html_escape(&canonical)),
                    label,
                )
            }
            Key::Quoted(text) => (String::new(), text.clone()),
        };
        out.push(html(format!("<kbd{class}>")));
        out.push((Event::Text(CowStr::from(label)), at));
        out.push(html("</kbd>".to_string()));
    }
    out.push(html(format!("</{outer}>")));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(t: &str) -> Option<String> {
        let chars: Vec<char> = t.chars().collect();
        let found = next_keys(&Keys::read(&Value::Null), &chars, 0, 0)?;
        Some(
            found
                .events
                .into_iter()
                .map(|(e, _)| match e {
                    Event::InlineHtml(s) | Event::Text(s) => s.to_string(),
                    _ => String::new(),
                })
                .collect(),
        )
    }

    #[test]
    fn keys_names_aliases_and_quoted() {
        assert_eq!(
            html("++ctrl+alt+del++").as_deref(),
            Some(
                r#"<span class="keys"><kbd class="key-control">Ctrl</kbd><span>+</span><kbd class="key-alt">Alt</kbd><span>+</span><kbd class="key-delete">Del</kbd></span>"#
            )
        );
        assert_eq!(
            html(r#"++"a+b"+x++"#).as_deref(),
            Some(
                r#"<span class="keys"><kbd>a+b</kbd><span>+</span><kbd class="key-x">X</kbd></span>"#
            )
        );
        assert_eq!(html("++nosuchkey++"), None);
        assert_eq!(camel("PgDn"), "pg-dn");
    }
}
