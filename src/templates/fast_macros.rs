//! The decred theme's `nav_list` and `toc_list` macros, rendered by Rust code when the
//! site's `macros.html` is the theme's own, unchanged.
//!
//! Every page renders the whole (pruned) navigation through a recursive macro that looks
//! up a dozen fields per entry, and each Tera lookup of `item.x` costs two allocations
//! per dotted segment: on docs.decred.org that was a tenth of a clean build's CPU. The
//! macros keep their names and arguments, so templates calling them are untouched; only
//! their bodies become one filter here, on their list, writing the same bytes. A site whose
//! `macros.html` differs in any byte (its own, or an edited copy of the theme's) keeps the
//! macros as written. `tests::the_filters_write_what_the_macros_write` holds the two
//! to the same output.

use std::collections::HashMap;

use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

use crate::icons::html_escape;

const NAV_LIST: &str = "__dcrsite_nav_list";
const TOC_LIST: &str = "__dcrsite_toc_list";
/// The template holding the macros, as the theme names it.
const MACROS: &str = "macros.html";

/// Whether the template `name` with `text` is the built-in theme's `macros.html`.
pub(super) fn applies(name: &str, text: &str) -> bool {
    name == MACROS
        && crate::theme::files(crate::layout::TEMPLATES)
            .any(|(path, bytes)| path == MACROS && bytes == text.as_bytes())
}

/// Replaces the bodies of the `nav_list` and `toc_list` macros of `template` with a
/// filter on their list writing the same output.
///
/// A filter rather than a function: Tera hands a filter the value it filters by
/// reference, but clones every argument of a call, and the list is the page's whole
/// navigation (cloning it, then dropping the clone, cost more than writing it).
pub(super) fn substitute(template: &mut tera::Template) {
    for node in &mut template.ast {
        let Node::MacroDefinition(_, m, _) = node else {
            continue;
        };
        let (filter, list, args): (&str, &str, &[&str]) = match m.name.as_str() {
            "nav_list" => (NAV_LIST, "items", &["t", "depth", "toc"]),
            "toc_list" => (TOC_LIST, "entries", &[]),
            _ => continue,
        };
        let args = args
            .iter()
            .map(|a| (a.to_string(), Expr::new(ExprVal::Ident(a.to_string()))))
            .collect();
        let mut call = Expr::new(ExprVal::Ident(list.to_string()));
        call.filters.push(FunctionCall {
            name: filter.to_string(),
            args,
        });
        // The filter writes HTML: not to be escaped again.
        call.filters.push(FunctionCall {
            name: "safe".to_string(),
            args: HashMap::new(),
        });
        m.body = vec![Node::VariableBlock(WS::default(), call)];
        // Tera renders macros from its copies next to the tree.
        template.macros.insert(m.name.clone(), m.clone());
    }
}

/// Registers the filters [`substitute`] calls.
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter(NAV_LIST, Safe(nav_list_filter));
    tera.register_filter(TOC_LIST, Safe(toc_list_filter));
}

/// A filter whose output is HTML, which Tera must not escape.
struct Safe(fn(&Value, &HashMap<String, Value>) -> tera::Result<Value>);

impl tera::Filter for Safe {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        (self.0)(value, args)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn nav_list_filter(items: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let arg = |name: &str| args.get(name).unwrap_or(&Value::Null);
    let (zero, no_toc) = (Value::from(0), Value::Bool(false));
    let depth = match arg("depth") {
        Value::Null => &zero,
        d => d,
    };
    let toc = match arg("toc") {
        Value::Null => &no_toc,
        t => t,
    };
    let mut out = String::new();
    nav_list(&mut out, items, arg("t"), depth, toc)?;
    Ok(Value::String(out))
}

fn toc_list_filter(entries: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let mut out = String::new();
    toc_list(&mut out, entries)?;
    Ok(Value::String(out))
}

/// macros.html's `nav_list`, byte for byte.
fn nav_list(out: &mut String, items: &Value, t: &Value, depth: &Value, toc: &Value) -> R {
    out.push_str("<ul class=\"dcr-nav__list dcr-nav__list--d");
    render(out, depth);
    out.push_str("\">");
    for item in list(items, "items")? {
        let flag = |name: &str| truthy(item.get(name));
        out.push_str("\n  <li class=\"dcr-nav__item");
        for (name, class) in [
            ("is_active", " is-active"),
            ("is_current", " is-current"),
            ("is_more", " is-more"),
        ] {
            if flag(name) {
                out.push_str(class);
            }
        }
        out.push_str("\">\n    <a class=\"dcr-nav__link\" href=\"");
        print(out, field(item, "item", "url")?);
        out.push('"');
        if flag("is_current") {
            out.push_str(" aria-current=\"page\"");
        }
        if flag("is_external") {
            out.push_str(" rel=\"noopener\"");
        }
        out.push('>');
        icon(out, item);
        out.push_str("<span class=\"dcr-nav__text\">");
        print(out, field(item, "item", "title")?);
        out.push_str("</span>");
        if flag("is_external") {
            out.push_str("<span class=\"dcr-ext\" aria-hidden=\"true\">↗</span><span class=\"dcr-sr-only\"> ");
            print(out, field(t, "t", "external_site")?);
            out.push_str("</span>");
        }
        out.push_str("</a>");
        if truthy(Some(toc)) && flag("is_current") {
            out.push_str("\n    <div class=\"dcr-toc-integrated\" role=\"group\" aria-label=\"");
            print(out, field(t, "t", "on_this_page")?);
            out.push_str("\">\n      ");
            toc_list(out, toc)?;
            out.push_str("\n    </div>");
        }
        let children = field(item, "item", "children")?;
        if length(children)? > 0 {
            out.push_str("\n    ");
            nav_list(out, children, t, &plus_one(depth)?, toc)?;
        }
        out.push_str("\n  </li>");
    }
    out.push_str("\n</ul>");
    Ok(())
}

/// macros.html's `toc_list`, byte for byte.
fn toc_list(out: &mut String, entries: &Value) -> R {
    out.push_str("<ol class=\"dcr-toc__list\">");
    for e in list(entries, "entries")? {
        out.push_str("\n  <li><a class=\"dcr-toc__link dcr-toc__link--h");
        print(out, field(e, "e", "level")?);
        out.push_str("\" href=\"#");
        print(out, field(e, "e", "id")?);
        out.push_str("\">");
        icon(out, e);
        print(out, field(e, "e", "text")?);
        out.push_str("</a>");
        let children = field(e, "e", "children")?;
        if length(children)? > 0 {
            out.push_str("\n    ");
            toc_list(out, children)?;
        }
        out.push_str("\n  </li>");
    }
    out.push_str("\n</ol>");
    Ok(())
}

type R = tera::Result<()>;

/// `{% if x.icon_html %}{{ x.icon_html | safe }} {% endif %}`
fn icon(out: &mut String, item: &Value) {
    let icon = item.get("icon_html");
    if truthy(icon) {
        render(out, icon.unwrap_or(&Value::Null));
        out.push(' ');
    }
}

/// What a `{% for x in value %}` goes through (the macros only loop over lists).
fn list<'v>(value: &'v Value, name: &str) -> tera::Result<&'v [Value]> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(tera::Error::msg(format!(
            "Tried to iterate on variable `{name}`, but it isn't an array"
        ))),
    }
}

/// `{{ owner.name }}` must be defined, as Tera's strict mode wants.
fn field<'v>(owner: &'v Value, owner_name: &str, name: &str) -> tera::Result<&'v Value> {
    owner.get(name).ok_or_else(|| {
        tera::Error::msg(format!(
            "Variable `{owner_name}.{name}` not found in context while rendering '{MACROS}'"
        ))
    })
}

/// Tera's `length` filter.
fn length(value: &Value) -> tera::Result<usize> {
    match value {
        Value::Array(a) => Ok(a.len()),
        Value::Object(o) => Ok(o.len()),
        Value::String(s) => Ok(s.chars().count()),
        _ => Err(tera::Error::msg(
            "Filter `length` was used on a value that isn't an array, an object, or a string.",
        )),
    }
}

/// `depth + 1`, as Tera's arithmetic makes it.
fn plus_one(depth: &Value) -> tera::Result<Value> {
    match depth {
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n
            .as_i64()
            .and_then(|i| i.checked_add(1))
            .map(Value::from)
            .unwrap_or_else(|| Value::from(n.as_u64().unwrap_or(u64::MAX).saturating_add(1)))),
        Value::Number(n) => Ok(tera::Number::from_f64(n.as_f64().unwrap_or(0.0) + 1.0)
            .map_or(Value::Null, Value::Number)),
        _ => Err(tera::Error::msg("`depth` must be a number")),
    }
}

/// Tera's truthiness; an undefined value is false in an `{% if %}`.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i != 0,
            (_, Some(u)) => u != 0,
            _ => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        },
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// `{{ value }}` with autoescaping: strings escaped, anything else as Tera writes it.
fn print(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(&html_escape(s)),
        other => render(out, other),
    }
}

/// A value as Tera writes it, unescaped.
fn render(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, f) => out.push_str(&f.unwrap_or(0.0).to_string()),
        },
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => {}
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(out, item);
            }
            out.push(']');
        }
        Value::Object(_) => out.push_str("[object]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PAGE: &str = r#"{% import "macros.html" as m %}{{ m::nav_list(items=nav, depth=0, toc=toc, t=t) }}
{{ m::nav_list(items=nav, t=t) }}
{{ m::nav_list(items=nav, depth=1.5, toc=toc, t=t) }}
{% if toc %}{{ m::toc_list(entries=toc) }}{% endif %}"#;

    fn builtin_macros() -> String {
        let (_, bytes) = crate::theme::files(crate::layout::TEMPLATES)
            .find(|(path, _)| *path == MACROS)
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// A Tera as the build makes it (escaping, filters), with or without the filters
    /// standing in for the macros.
    fn tera(fast: bool) -> Tera {
        let text = builtin_macros();
        let mut macros = tera::Template::new(MACROS, None, &text).unwrap();
        if fast {
            substitute(&mut macros);
        }
        let mut tera = Tera::default();
        tera.templates.insert(MACROS.to_string(), macros);
        let page = tera::Template::new("page.html", None, PAGE).unwrap();
        tera.templates.insert("page.html".to_string(), page);
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(html_escape);
        register(&mut tera);
        tera.build_inheritance_chains().unwrap();
        tera.check_macro_files().unwrap();
        tera
    }

    fn item(title: &str, flags: &[&str], children: Value) -> Value {
        let mut item = json!({
            "title": title,
            "url": format!("/{}/", title.to_lowercase()),
            "icon_html": "",
            "is_current": false,
            "is_active": false,
            "is_external": false,
            "is_more": false,
            "children": children,
        });
        for flag in flags {
            item[*flag] = match *flag {
                "icon_html" => json!("<svg class=\"i\"></svg>"),
                _ => json!(true),
            };
        }
        item
    }

    fn render(tera: &Tera, nav: &Value, toc: &Value) -> tera::Result<String> {
        let mut context = tera::Context::new();
        context.insert("nav", nav);
        context.insert("toc", toc);
        context.insert(
            "t",
            &json!({"external_site": "(other <site>)", "on_this_page": "On \"this\" page"}),
        );
        tera.render("page.html", &context)
    }

    #[test]
    fn the_filters_write_what_the_macros_write() {
        let toc = json!([
            {"level": 2, "id": "a", "text": "A & b", "icon_html": "", "children": [
                {"level": 3, "id": "a-1", "text": "Deeper", "icon_html": "<i></i>", "children": []}
            ]},
            {"level": 2, "id": "c", "text": "C's", "icon_html": "", "children": []}
        ]);
        let deep = item(
            "Section",
            &["is_active"],
            json!([
                item("Current <page>", &["is_active", "is_current"], json!([])),
                item("Sibling", &["icon_html"], json!([])),
                item("12 more", &["is_more"], json!([])),
            ]),
        );
        let navs = [
            json!([]),
            json!([item("Home", &[], json!([])), deep.clone()]),
            json!([
                item("External", &["is_external", "icon_html"], json!([])),
                item("Top", &["is_current", "is_active"], json!([deep])),
            ]),
        ];
        let (slow, fast) = (tera(false), tera(true));
        for nav in &navs {
            for toc in [toc.clone(), json!([]), json!(false)] {
                let expected = render(&slow, nav, &toc).unwrap();
                assert_eq!(render(&fast, nav, &toc).unwrap(), expected, "{nav} {toc}");
            }
        }
        // An entry the macro cannot print fails either way.
        let broken = json!([{"title": "No URL", "children": []}]);
        assert!(render(&slow, &broken, &json!([])).is_err());
        assert!(render(&fast, &broken, &json!([])).is_err());
    }

    #[test]
    fn only_the_themes_own_macros_are_replaced() {
        let text = builtin_macros();
        assert!(applies(MACROS, &text));
        assert!(!applies("other.html", &text));
        assert!(!applies(MACROS, &text.replace("dcr-nav__text", "my-text")));
    }
}
