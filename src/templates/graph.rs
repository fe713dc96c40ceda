//! Templates that include, import or extend themselves, directly or through others.
//! Tera follows such a chain until the stack overflows (includes, imports) or loops
//! (some extends chains), so the chains are checked before Tera sees the templates.

use std::collections::{BTreeMap, BTreeSet};

use tera::ast::Node;

use super::source::Tag;
use crate::diagnostics::{Diagnostic, LineIndex};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Extends,
    Includes,
    Imports,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Extends => "extends",
            Kind::Includes => "include",
            Kind::Imports => "import",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Kind::Extends => "extends",
            Kind::Includes => "includes",
            Kind::Imports => "imports",
        }
    }
}

/// One template as the check sees it.
pub(super) struct Entry<'a> {
    pub shown: &'a str,
    pub text: &'a str,
    pub tags: &'a [Tag<'a>],
    pub ast: &'a [Node],
    /// A site template that replaces the theme's template of the same name.
    pub overrides_theme: bool,
}

/// One error per chain that leads a template back to itself, at the tag that starts it.
pub(super) fn cycles(templates: &BTreeMap<String, Entry>) -> Vec<Diagnostic> {
    let edges: BTreeMap<&str, Vec<(&str, Kind)>> = templates
        .iter()
        .map(|(name, entry)| {
            let mut out = Vec::new();
            references(entry.ast, &mut |target, kind| {
                let target = target.iter().find(|t| templates.contains_key(t.as_str()));
                if let Some((key, _)) = target.and_then(|t| templates.get_key_value(t.as_str())) {
                    out.push((key.as_str(), kind));
                }
            });
            (name.as_str(), out)
        })
        .collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut problems = Vec::new();
    for &root in edges.keys() {
        if done.contains(root) {
            continue;
        }
        // Depth-first, without recursion: (template, index of its next edge).
        let mut path: Vec<(&str, usize)> = vec![(root, 0)];
        while let Some(top) = path.last_mut() {
            let node = top.0;
            let Some(&(target, _)) = edges[node].get(top.1) else {
                done.insert(node);
                path.pop();
                continue;
            };
            top.1 += 1;
            if let Some(at) = path.iter().position(|(n, _)| *n == target) {
                let chain: Vec<(&str, Kind)> = path[at..]
                    .iter()
                    .map(|(n, i)| (*n, edges[n][i - 1].1))
                    .collect();
                problems.push(cycle_error(templates, &chain));
            } else if !done.contains(target) {
                path.push((target, 0));
            }
        }
    }
    problems
}

/// Calls `found` with the names of every `extends`, `include` (all names of a list, in
/// order) and `import` in `nodes`, in document order.
fn references(nodes: &[Node], found: &mut dyn FnMut(&[String], Kind)) {
    for node in nodes {
        match node {
            Node::Extends(_, name) => found(std::slice::from_ref(name), Kind::Extends),
            Node::Include(_, names, _) => found(names, Kind::Includes),
            Node::ImportMacro(_, name, _) => found(std::slice::from_ref(name), Kind::Imports),
            Node::MacroDefinition(_, m, _) => references(&m.body, found),
            Node::Block(_, b, _) => references(&b.body, found),
            Node::FilterSection(_, f, _) => references(&f.body, found),
            Node::Forloop(_, f, _) => {
                references(&f.body, found);
                if let Some(empty) = &f.empty_body {
                    references(empty, found);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    references(body, found);
                }
                if let Some((_, body)) = &i.otherwise {
                    references(body, found);
                }
            }
            _ => {}
        }
    }
}

/// `chain`: each template of the cycle with the kind of its step to the next one.
fn cycle_error(templates: &BTreeMap<String, Entry>, chain: &[(&str, Kind)]) -> Diagnostic {
    let (first, kind) = chain[0];
    let next = chain.get(1).map_or(first, |(n, _)| *n);
    let entry = &templates[first];
    let verb = if chain.iter().all(|(_, k)| *k == kind) {
        kind.verb()
    } else {
        "refers to"
    };
    let names: Vec<&str> = chain.iter().map(|(n, _)| *n).chain([first]).collect();
    let position = entry
        .tags
        .iter()
        .find(|t| t.keyword() == kind.keyword() && t.quotes(next))
        .map(|t| LineIndex::new(entry.text).position(t.offset));
    let help = if chain.len() == 1 && entry.overrides_theme {
        format!(
            "{} replaces the theme's `{first}`, so naming `{first}` here means this file \
             again; copy what you need from the theme's template into this one, or put \
             your part in a template with another name",
            entry.shown
        )
    } else {
        "a template cannot include, import or extend itself, directly or through other \
         templates; remove one of the tags of this chain"
            .to_string()
    };
    Diagnostic::error(
        entry.shown,
        format!("template `{first}` {verb} itself: {}", names.join(" → ")),
    )
    .at_position(position)
    .with_help(help)
}
