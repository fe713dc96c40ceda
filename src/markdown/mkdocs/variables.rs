//! `{{ name }}` replaced by values from mkdocs.yml's `extra` (as markdownextradata does),
//! outside fenced code.

use super::{fence_closes, fence_open, Dialect, Line, Where};
use crate::diagnostics::Diagnostic;

/// `{{ name }}` → the value of `name` in `extra`, outside fenced code.
pub(super) fn substitute_variables(
    lines: &mut [Line],
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut fence: Option<(char, usize)> = None;
    for line in lines.iter_mut() {
        let t = line.text.trim_start();
        if let Some(f) = fence {
            if fence_closes(t, f) {
                fence = None;
            }
            continue;
        }
        if let Some(f) = fence_open(t) {
            fence = Some(f);
            continue;
        }
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
                    if is_name {
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
