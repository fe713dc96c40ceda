//! The options of each Markdown extension dcrsite renders that it honours. An option of
//! one of these extensions not in its row (or set to a value dcrsite does not follow)
//! is a warning at its line in mkdocs.yml, naming the extension and the option: never a
//! silent difference from what MkDocs would show.

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, LineIndex};

/// Extension → the options it honours. Extensions not listed are not checked here
/// (unknown ones get their own warning; `pymdownx.blocks.*` read their options apart).
const HONOURED: &[(&str, &[&str])] = &[
    ("abbr", &["glossary"]),
    ("admonition", &[]),
    ("attr_list", &[]),
    ("def_list", &[]),
    (
        "footnotes",
        &[
            "PLACE_MARKER",
            "UNIQUE_IDS",
            "BACKLINK_TEXT",
            "SUPERSCRIPT_TEXT",
            "BACKLINK_TITLE",
            "SEPARATOR",
            "USE_DEFINITION_ORDER",
        ],
    ),
    ("md_in_html", &[]),
    ("meta", &[]),
    ("tables", &["use_align_attribute"]),
    ("sane_lists", &[]),
    ("fenced_code", &["lang_prefix"]),
    // The content caches change nothing shown; encodings are read as UTF-8 (`| enc` too).
    (
        "mdx_include",
        &[
            "base_path",
            "allow_local",
            "allow_remote",
            "truncate_on_failure",
            "recurs_local",
            "recurs_remote",
            "allow_circular_inclusion",
            "recursive_relative_path",
            "line_slice_separator",
            "content_cache_local",
            "content_cache_remote",
            "content_cache_clean_local",
            "content_cache_clean_remote",
        ],
    ),
    (
        "smarty",
        &[
            "smart_angled_quotes",
            "smart_dashes",
            "smart_ellipses",
            "smart_quotes",
            "substitutions",
        ],
    ),
    (
        "toc",
        &[
            "permalink",
            "separator",
            "slugify",
            "permalink_class",
            "permalink_title",
            "permalink_leading",
            "anchorlink",
            "anchorlink_class",
            "baselevel",
            "toc_depth",
            "marker",
            "title",
            "title_class",
            "toc_class",
        ],
    ),
    (
        "pymdownx.arithmatex",
        &[
            "generic",
            "preview",
            "tex_inline_wrap",
            "tex_block_wrap",
            "inline_tag",
            "block_tag",
        ],
    ),
    ("pymdownx.betterem", &["smart_enable"]),
    ("pymdownx.caret", &["smart_insert", "insert", "superscript"]),
    ("pymdownx.critic", &["mode"]),
    ("pymdownx.details", &[]),
    // dcrsite draws emoji as characters (pymdownx's `to_alt`) and icons from its packed
    // sets (Material's `to_svg`); other generators are warned by `emoji_generator`.
    // `title` only labels images, which `to_alt` does not write.
    (
        "pymdownx.emoji",
        &[
            "emoji_index",
            "emoji_generator",
            "alt",
            "remove_variation_selector",
            "title",
        ],
    ),
    (
        "pymdownx.highlight",
        &[
            "use_pygments",
            "css_class",
            "linenums",
            "linenums_style",
            "linenums_special",
            "anchor_linenums",
            "line_anchors",
            "line_spans",
            "language_prefix",
            "code_attr_on_pre",
            "pygments_lang_class",
        ],
    ),
    ("pymdownx.inlinehilite", &["css_class", "style_plain_text"]),
    (
        "pymdownx.keys",
        &["camel_case", "class", "key_map", "separator", "strict"],
    ),
    (
        "pymdownx.magiclink",
        &[
            "hide_protocol",
            "repo_url_shorthand",
            "social_url_shorthand",
            "repo_url_shortener",
            "social_url_shortener",
            "provider",
            "user",
            "repo",
            "custom",
        ],
    ),
    ("pymdownx.mark", &["smart_mark"]),
    (
        "pymdownx.progressbar",
        &["level_class", "progress_increment", "add_classes"],
    ),
    ("pymdownx.saneheaders", &[]),
    (
        "pymdownx.smartsymbols",
        &crate::markdown::mkdocs::SMARTSYMBOLS,
    ),
    (
        "pymdownx.snippets",
        &[
            "base_path",
            "check_paths",
            "auto_append",
            "dedent_subsections",
        ],
    ),
    ("pymdownx.superfences", &["custom_fences"]),
    (
        "pymdownx.tabbed",
        &[
            "alternate_style",
            "slugify",
            "separator",
            "combine_header_slug",
        ],
    ),
    (
        "pymdownx.tasklist",
        &["custom_checkbox", "clickable_checkbox"],
    ),
    ("pymdownx.tilde", &["smart_delete", "delete", "subscript"]),
];

/// Options whose value is what dcrsite does anyway (`guess_lang: false`).
const DEFAULTS_MATCHED: &[(&str, &str, bool)] = &[("pymdownx.highlight", "guess_lang", false)];

/// The warnings for extension `name` (its short name) given `options`, each at the
/// option's line in `text` (the mkdocs.yml).
pub(super) fn unhonoured(name: &str, options: &Value, text: &str) -> Vec<Diagnostic> {
    let Some((_, honoured)) = HONOURED.iter().find(|(n, _)| *n == name) else {
        return Vec::new();
    };
    let mut out: Vec<Diagnostic> = (name == "pymdownx.emoji")
        .then(|| emoji_generator(options, text))
        .flatten()
        .into_iter()
        .collect();
    let Value::Mapping(map) = options else {
        return out;
    };
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        let matched = DEFAULTS_MATCHED
            .iter()
            .any(|(n, k, v)| *n == name && *k == key && value.as_bool() == Some(*v));
        if honoured.contains(&key) || matched {
            continue;
        }
        let message = format!(
            "Markdown extension `{name}`: option `{key}` is not supported by dcrsite; the page renders as if it were not set"
        );
        out.push(
            Diagnostic::warning(super::mkdocs::MKDOCS_FILE, message)
                .at_position(option_position(text, name, key)),
        );
    }
    out
}

/// Generators dcrsite writes as MkDocs does: the emoji character and Material's icons.
const EMOJI_GENERATORS: &[&str] = &[
    "pymdownx.emoji.to_alt",
    "material.extensions.emoji.to_svg",
    "zensical.extensions.emoji.to_svg",
];

/// pymdownx.emoji's generator, when it is one dcrsite refuses by design: pymdownx's
/// default `to_png` and its `to_svg`, `to_png_sprite`, `to_svg_sprite` write `<img>`s
/// loaded from a CDN (or a sprite sheet the project ships); dcrsite loads nothing from
/// another host and writes the character, as `to_alt` does. serde_yaml drops the
/// `!!python/name:` tag, so the function is read from the line.
fn emoji_generator(options: &Value, text: &str) -> Option<Diagnostic> {
    let name = "pymdownx.emoji";
    let (written, at) = if options.get("emoji_generator").is_some() {
        let at = option_position(text, name, "emoji_generator");
        let path = python_name(text, name, "emoji_generator")?;
        if EMOJI_GENERATORS.contains(&path.as_str()) {
            return None;
        }
        (format!("`{path}`"), at)
    } else {
        let at = text.find(name).map(|k| LineIndex::new(text).position(k));
        ("`pymdownx.emoji.to_png` (its default)".to_string(), at)
    };
    let message = format!(
        "Markdown extension `{name}`: option `emoji_generator` is not supported by dcrsite with the value {written}, which writes emoji as images loaded from a CDN or a sprite sheet; dcrsite writes each emoji as its character (as `pymdownx.emoji.to_alt` does) and loads nothing from another host"
    );
    let help = "set `emoji_generator: !!python/name:pymdownx.emoji.to_alt` (or Material's `material.extensions.emoji.to_svg`) so that MkDocs shows what dcrsite shows";
    Some(
        Diagnostic::warning(super::mkdocs::MKDOCS_FILE, message)
            .with_help(help)
            .at_position(at),
    )
}

/// The function option `key` of extension `name` names (`key: !!python/name:PATH`, or
/// PATH alone), read from the line: serde_yaml drops the tag and leaves an empty string.
pub(super) fn python_name(text: &str, name: &str, key: &str) -> Option<String> {
    python_names(text, name, key).into_iter().next()
}

/// Every value of option `key` in extension `name`'s entry, in the order written, read
/// from the lines (`key: !!python/name:PATH` gives PATH): the `format` of each of
/// superfences' `custom_fences`, which serde_yaml gives as empty strings.
pub(super) fn python_names(text: &str, name: &str, key: &str) -> Vec<String> {
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
    let mut lines = text.lines();
    let Some(ext) = lines.find(|l| {
        l.trim_start_matches([' ', '-'])
            .starts_with(&format!("{name}:"))
    }) else {
        return Vec::new();
    };
    let level = indent(ext);
    lines
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take_while(|l| indent(l) > level)
        .filter_map(|l| {
            l.trim_start_matches([' ', '-'])
                .strip_prefix(&format!("{key}:"))
        })
        .map(|v| {
            let v = v.trim();
            let v = v.strip_prefix("!!python/name:").unwrap_or(v);
            v.split_whitespace().next().unwrap_or("").to_string()
        })
        .collect()
}

/// Where `key:` is written under the extension's entry (the first after its name).
fn option_position(text: &str, name: &str, key: &str) -> Option<(usize, usize)> {
    let ext = text.find(&format!("{name}:"))?;
    let at = ext + text[ext..].find(&format!("{key}:"))?;
    Some(LineIndex::new(text).position(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_names_are_read_from_the_lines() {
        let yml = "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n  - pymdownx.superfences:\n      custom_fences:\n        - name: a\n          class: a\n          format: !!python/name:pymdownx.superfences.fence_div_format\n        - name: b\n          format: !!python/name:pymdownx.superfences.fence_code_format\n  - toc:\n      format: x\n";
        assert_eq!(
            python_name(yml, "pymdownx.emoji", "emoji_index").as_deref(),
            Some("material.extensions.emoji.twemoji")
        );
        assert_eq!(
            python_names(yml, "pymdownx.superfences", "format"),
            [
                "pymdownx.superfences.fence_div_format",
                "pymdownx.superfences.fence_code_format"
            ]
        );
        assert_eq!(python_name(yml, "pymdownx.emoji", "format"), None);
    }

    #[test]
    fn an_option_dcrsite_ignores_is_one_warning_at_its_line() {
        let yml = "markdown_extensions:\n  - toc:\n      permalink: true\n  - pymdownx.magiclink:\n      hide_protocol: true\n      normalize_issue_symbols: true\n  - pymdownx.highlight:\n      guess_lang: false\n";
        let root: Value = serde_yaml::from_str(yml).unwrap();
        let exts = root["markdown_extensions"].as_sequence().unwrap();
        let mut all = Vec::new();
        for e in exts {
            let (name, options) = e.as_mapping().unwrap().iter().next().unwrap();
            all.extend(unhonoured(name.as_str().unwrap(), options, yml));
        }
        let lines: Vec<String> = all.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("mkdocs.yml:6:7: warning: Markdown extension `pymdownx.magiclink`: option `normalize_issue_symbols` is not supported"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn emoji_generators_loading_images_are_warned_by_design() {
        let warned = |yml: &str| -> Vec<String> {
            let root: Value = serde_yaml::from_str(yml).unwrap();
            let e = &root["markdown_extensions"][0];
            let (name, options) = match e {
                Value::Mapping(m) => {
                    let (k, v) = m.iter().next().unwrap();
                    (k.as_str().unwrap().to_string(), v.clone())
                }
                v => (v.as_str().unwrap().to_string(), Value::Null),
            };
            unhonoured(&name, &options, yml)
                .iter()
                .map(|d| d.to_string())
                .collect()
        };
        let alt = "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:pymdownx.emoji.to_alt\n      alt: short\n";
        assert!(warned(alt).is_empty(), "{:?}", warned(alt));
        let material = "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n";
        assert!(warned(material).is_empty(), "{:?}", warned(material));
        let png = "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:pymdownx.emoji.to_png_sprite\n";
        let w = warned(png);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("mkdocs.yml:3:7: warning: Markdown extension `pymdownx.emoji`: option `emoji_generator` is not supported by dcrsite with the value `pymdownx.emoji.to_png_sprite`, which writes emoji as images"), "{}", w[0]);
        let bare = "markdown_extensions:\n  - pymdownx.emoji\n";
        let w = warned(bare);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("mkdocs.yml:2:5: warning: Markdown extension `pymdownx.emoji`: option `emoji_generator` is not supported by dcrsite with the value `pymdownx.emoji.to_png` (its default)"), "{}", w[0]);
    }
}
