//! `markdown_extensions` entries for the block extensions of the MkDocs dialect
//! (`def_list`, `abbr`, `md_in_html`, `pymdownx.blocks.*`, …) and their options.

use serde_yaml::Value;

use crate::markdown::mkdocs::{BlockKind, BlockType, Dialect};

use super::{string, untag};

/// The default types of `pymdownx.blocks.admonition` and `pymdownx.blocks.details`.
const ADMONITION_TYPES: &[&str] = &[
    "note",
    "attention",
    "caution",
    "danger",
    "error",
    "tip",
    "hint",
    "warning",
    "important",
];

/// Enables the block extension `name` with `options`; false when it is none of them.
pub(super) fn enable(d: &mut Dialect, name: &str, options: &Value) -> bool {
    let b = &mut d.blocks;
    let flag = |key: &str| matches!(options.get(key).map(untag), Some(Value::Bool(true)));
    match name {
        "def_list" => b.def_list = true,
        "sane_lists" => b.sane_lists = true,
        "abbr" => {
            b.abbr = true;
            if let Some(Value::Mapping(glossary)) = options.get("glossary").map(untag) {
                b.abbr_glossary = glossary
                    .iter()
                    .filter_map(|(k, v)| Some((string(Some(k))?, string(Some(v))?)))
                    .collect();
            }
        }
        "md_in_html" => b.md_in_html = true,
        "tables" => b.tables_align_attribute = flag("use_align_attribute"),
        "pymdownx.saneheaders" => b.saneheaders = true,
        "pymdownx.tabbed" => {
            d.tabbed = true;
            b.tabbed_alternate = flag("alternate_style");
        }
        "pymdownx.quotes" => {
            b.separate_quotes = true;
            return false;
        }
        "pymdownx.snippets" => {
            if let Some(Value::Sequence(files)) = options.get("auto_append").map(untag) {
                b.snippet_auto_append = files.iter().filter_map(|f| string(Some(f))).collect();
            }
            return false;
        }
        "pymdownx.blocks.admonition" => add_types(b, BlockKind::Admonition, "admonition", options),
        "pymdownx.blocks.details" => add_types(b, BlockKind::Details, "details", options),
        "pymdownx.blocks.tab" => {
            b.generic.tab_alternate = flag("alternate_style");
            add(b, "tab", BlockKind::Tab, None, None);
        }
        "pymdownx.blocks.html" => {
            if let Some(Value::Sequence(tags)) = options.get("custom").map(untag) {
                b.generic.html_custom = tags
                    .iter()
                    .filter_map(|t| {
                        let mode = string(t.get("mode")).unwrap_or_else(|| "auto".into());
                        Some((string(t.get("tag"))?.to_lowercase(), mode.to_lowercase()))
                    })
                    .collect();
            }
            add(b, "html", BlockKind::Html, None, None);
        }
        "pymdownx.blocks.definition" => add(b, "define", BlockKind::Definition, None, None),
        _ => return false,
    }
    true
}

fn add(
    b: &mut crate::markdown::mkdocs::Extensions,
    name: &str,
    kind: BlockKind,
    class: Option<String>,
    title: Option<String>,
) {
    b.generic.types.retain(|t| t.name != name);
    b.generic.types.push(BlockType {
        name: name.to_string(),
        kind,
        class,
        title,
    });
}

/// The generic `admonition` / `details` block and one per configured type (a name, or a
/// `{name, class, title}` mapping).
fn add_types(
    b: &mut crate::markdown::mkdocs::Extensions,
    kind: BlockKind,
    generic: &str,
    options: &Value,
) {
    add(b, generic, kind, None, None);
    match options.get("types").map(untag) {
        Some(Value::Sequence(types)) => {
            for t in types {
                match untag(t) {
                    Value::Mapping(_) => {
                        let Some(name) = string(t.get("name")) else {
                            continue;
                        };
                        add(
                            b,
                            &name,
                            kind,
                            string(t.get("class")),
                            string(t.get("title")),
                        );
                    }
                    other => {
                        if let Some(name) = string(Some(other)) {
                            add(b, &name, kind, None, None);
                        }
                    }
                }
            }
        }
        _ if kind == BlockKind::Admonition => {
            for name in ADMONITION_TYPES {
                add(b, name, kind, None, None);
            }
        }
        _ => {}
    }
}
