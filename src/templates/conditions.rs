//! Conditions are not escaped: `{% if x %}` with autoescaping makes Tera HTML-escape `x`
//! (a copy of the whole string) only to ask whether it is empty, and the theme tests
//! inline SVG icons of a few kilobytes that way on every page (3 % of a clean build of
//! docs.decred.org). Escaping never changes whether a string is empty, nor, applied to
//! both sides, whether two strings are equal, so marking those operands `safe` (which
//! Tera reads as "do not escape") changes no result.

use std::collections::HashMap;

use tera::ast::{Expr, ExprVal, FunctionCall, LogicOperator, Node};

/// Marks the operands of every `{% if %}`/`{% elif %}` condition in `nodes` that Tera
/// would escape for nothing. Run before the budget instrumentation, which takes Tera's
/// copies of macros and blocks anew from the tree.
pub(super) fn unescape(nodes: &mut [Node]) {
    for node in nodes {
        match node {
            Node::If(i, _) => {
                for (_, condition, body) in &mut i.conditions {
                    truth(condition);
                    unescape(body);
                }
                if let Some((_, body)) = &mut i.otherwise {
                    unescape(body);
                }
            }
            Node::Forloop(_, f, _) => {
                unescape(&mut f.body);
                if let Some(empty) = &mut f.empty_body {
                    unescape(empty);
                }
            }
            Node::MacroDefinition(_, m, _) => unescape(&mut m.body),
            Node::Block(_, b, _) => unescape(&mut b.body),
            Node::FilterSection(_, f, _) => unescape(&mut f.body),
            _ => {}
        }
    }
}

/// An expression of which only the truth counts.
fn truth(e: &mut Expr) {
    match &mut e.val {
        ExprVal::Ident(_) => mark_safe(e),
        ExprVal::Logic(l) => match l.operator {
            LogicOperator::And | LogicOperator::Or => {
                truth(&mut l.lhs);
                truth(&mut l.rhs);
            }
            // Both sides escaped or neither: only for plain names and quoted strings,
            // which Tera escapes alike (a filter or a function decides for itself).
            LogicOperator::Eq | LogicOperator::NotEq if plain(&l.lhs) && plain(&l.rhs) => {
                mark_safe(&mut l.lhs);
                mark_safe(&mut l.rhs);
            }
            _ => {}
        },
        _ => {}
    }
}

fn plain(e: &Expr) -> bool {
    e.filters.is_empty() && !e.negated && matches!(e.val, ExprVal::Ident(_) | ExprVal::String(_))
}

fn mark_safe(e: &mut Expr) {
    if !e.is_marked_safe() {
        e.filters.push(FunctionCall {
            name: "safe".to_string(),
            args: HashMap::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;

    static ESCAPES: AtomicUsize = AtomicUsize::new(0);

    fn counting_escape(s: &str) -> String {
        ESCAPES.fetch_add(1, Ordering::SeqCst);
        crate::icons::html_escape(s)
    }

    const TEMPLATE: &str = r#"{% if x %}x{% endif %}{% if not x %}!x{% endif %}
{%- if x == "<b>" %}eq{% elif x != y and z %}ne{% else %}else{% endif %}
{%- if x or y == z %}or{% endif %}{% if missing %}m{% endif %}
{%- for i in l %}{% if i %}[{{ i }}]{% endif %}{% endfor %}"#;

    fn tera(unescaped: bool) -> tera::Tera {
        let mut template = tera::Template::new("t.html", None, TEMPLATE).unwrap();
        if unescaped {
            super::unescape(&mut template.ast);
        }
        let mut tera = tera::Tera::default();
        tera.templates.insert("t.html".to_string(), template);
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(counting_escape);
        tera.build_inheritance_chains().unwrap();
        tera
    }

    #[test]
    fn conditions_mean_the_same_without_escaping_their_operands() {
        let (escaped, unescaped) = (tera(false), tera(true));
        let cases = [
            json!({"x": "<b>", "y": "&lt;b&gt;", "z": "&lt;b&gt;", "l": ["<i>", "", "a"]}),
            json!({"x": "", "y": "<", "z": "&lt;", "l": []}),
            json!({"x": "a&b", "y": "a&amp;b", "z": true, "l": [0, 1, null]}),
            json!({"x": 0, "y": 0.0, "z": "", "l": [[], {}]}),
        ];
        for case in cases {
            let context = tera::Context::from_value(case.clone()).unwrap();
            let expected = escaped.render("t.html", &context).unwrap();
            ESCAPES.store(0, Ordering::SeqCst);
            let got = unescaped.render("t.html", &context).unwrap();
            assert_eq!(got, expected, "{case}");
            // Only the printed `{{ i }}` strings are escaped.
            let printed = case["l"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i.as_str().is_some_and(|s| !s.is_empty()))
                .count();
            assert_eq!(ESCAPES.load(Ordering::SeqCst), printed, "{case}");
        }
    }
}
