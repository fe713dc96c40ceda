//! `{{ name }}` replaced by values from mkdocs.yml's `extra`, everywhere in the page as
//! markdownextradata does (it renders the whole Markdown as a Jinja template), code blocks
//! included: docs.decred.org's download commands in fenced code need `{{ cliversion }}`.
//! An unknown name is left as written; outside code it is also a warning, while inside code
//! `{{ x }}` is as likely an example of some other template language as a mistake.

use super::{fence_closes, fence_open, Dialect, Line, Where};
use crate::diagnostics::Diagnostic;

/// `{{ name }}` → the value of `name` in `extra`, in code blocks too.
pub(super) fn substitute_variables(
    lines: &mut [Line],
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut fence: Option<(char, usize)> = None;
    for line in lines.iter_mut() {
        let t = line.text.trim_start();
        let in_code = match fence {
            Some(f) if fence_closes(t, f) => {
                fence = None;
                continue;
            }
            Some(_) => true,
            None => {
                fence = fence_open(t);
                if fence.is_some() {
                    continue;
                }
                false
            }
        };
        if !line.text.contains("{{") {
            continue;
        }
        let mut out = String::with_capacity(line.text.len());
        let mut rest = line.text.as_str();
        let mut consumed = 0;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let inner = rest[start + 2..start + len].trim();
            out.push_str(&rest[..start]);
            let is_name = !inner.is_empty()
                && inner
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
            match is_name.then(|| lookup(&d.variables, inner)).flatten() {
                Some(value) => out.push_str(&value),
                None => {
                    if is_name && !in_code {
                        let (l, c) = at.at(line, line.text[..consumed + start].chars().count() + 1);
                        diagnostics.push(
                            Diagnostic::warning(
                                at.source_path,
                                format!("unknown variable `{inner}`"),
                            )
                            .at(l, c)
                            .with_help("define it under `extra:` in mkdocs.yml"),
                        );
                    }
                    out.push_str(&rest[start..start + len + 2]);
                }
            }
            consumed += start + len + 2;
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        line.text = out;
    }
}

/// The value of `a.b` (also written `extra.a.b` or `config.extra.a.b`) as text.
fn lookup(vars: &serde_json::Value, name: &str) -> Option<String> {
    let name = name
        .strip_prefix("config.extra.")
        .or_else(|| name.strip_prefix("extra."))
        .unwrap_or(name);
    let mut v = vars;
    for part in name.split('.') {
        v = v.get(part)?;
    }
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        _ => None,
    }
}
