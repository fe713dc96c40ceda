//! Plugins and hooks of an MkDocs project that dcrsite does not run: each is warned about
//! once, at its line in mkdocs.yml (or the file it `INHERIT`s that names it), so the
//! author knows what the built site lacks.

use serde_yaml::Value;

use super::mkdocs::MKDOCS_FILE;
use crate::diagnostics::Diagnostic;

/// Plugins whose effect dcrsite renders itself: `search` (its own index and box), the
/// two that render pages as templates with `extra` (`markdownextradata`, `macros`), and
/// those of `mkdocs_plugins`: Material's `blog` and `tags`, `redirects`.
/// Extend it as dcrsite learns to render more.
pub const RENDERED_PLUGINS: &[&str] = &[
    "search",
    "markdownextradata",
    "macros",
    "blog",
    "tags",
    "redirects",
];

/// The options dcrsite follows of each plugin it renders (`enabled` for all); any other
/// option of theirs is one warning, since what it asks for is not done.
const HONOURED_OPTIONS: &[(&str, &[&str])] = &[
    ("search", &[]),
    ("markdownextradata", &[]),
    ("macros", &[]),
    (
        "blog",
        &[
            "blog_dir",
            "post_dir",
            "post_url_format",
            "post_url_date_format",
            "post_slugify",
            "post_slugify_separator",
            "post_excerpt_separator",
            "categories_slugify",
            "categories_slugify_separator",
        ],
    ),
    ("tags", &[]),
    ("redirects", &["redirect_maps"]),
];

/// A warning for each option of rendered plugin `name` (`short` without `material/`)
/// that dcrsite does not follow, at the option's line.
fn unhonoured_options(
    files: &[(&str, &str)],
    name: &str,
    short: &str,
    options: &Value,
) -> Vec<Diagnostic> {
    let honoured = HONOURED_OPTIONS
        .iter()
        .find(|(plugin, _)| *plugin == short)
        .map_or(&[][..], |(_, keys)| *keys);
    let Some(Value::Mapping(map)) = Some(super::mkdocs::untag(options)) else {
        return Vec::new();
    };
    let help = if honoured.is_empty() {
        format!("dcrsite honours no option of `{name}` but `enabled`; remove the option to silence this")
    } else {
        format!(
            "dcrsite honours these options of `{name}`: {}; remove the option to silence this",
            honoured.join(", ")
        )
    };
    map.keys()
        .filter_map(Value::as_str)
        .filter(|key| *key != "enabled" && !honoured.contains(key))
        .map(|key| {
            let message = format!(
                "plugin `{name}` option `{key}` is not honoured by dcrsite; the site is built as if it were not set"
            );
            option_placed(files, name, key, message).with_help(help.clone())
        })
        .collect()
}

/// A warning at option `key` of plugin `name`: the line under the plugin's entry (indented
/// deeper than it) that writes `key:`, in the nearest file that has it.
fn option_placed(files: &[(&str, &str)], name: &str, key: &str, message: String) -> Diagnostic {
    let found = files.iter().find_map(|(file, text)| {
        let (line, column) = entry_in(text, "plugins", name)?;
        let under_entry = |l: &&str| {
            let body = l.trim_start();
            body.is_empty() || body.starts_with('#') || l.len() - body.len() >= column
        };
        let lines = text.lines().skip(line).take_while(under_entry);
        let position = lines.enumerate().find_map(|(i, l)| {
            let body = l.trim_start();
            let rest = body.strip_prefix(key)?;
            rest.starts_with(':')
                .then(|| (line + i + 1, l.len() - body.len() + 1))
        })?;
        Some((*file, position))
    });
    match found {
        Some((file, position)) => Diagnostic::warning(file, message).at_position(Some(position)),
        None => placed(files, "plugins", name, message),
    }
}

/// One warning for each plugin not in [`RENDERED_PLUGINS`] and each `hooks:` file. A
/// plugin switched off (`enabled: false`, often `!ENV [VAR, false]`) is not run by MkDocs
/// either: no warning.
/// `files` are mkdocs.yml and the files it inherits, nearest first: `(path, text)`.
pub(crate) fn unrendered(root: &Value, files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut seen: Vec<String> = Vec::new();
    let mut warnings = Vec::new();
    for (name, options) in plugin_entries(root) {
        if matches!(options.get("enabled"), Some(Value::Bool(false))) {
            continue;
        }
        // Material's own plugins may be written `material/search`.
        let short = name.strip_prefix("material/").unwrap_or(&name);
        if seen.contains(&name) {
            continue;
        }
        if RENDERED_PLUGINS.contains(&short) {
            warnings.extend(unhonoured_options(files, &name, short, &options));
            seen.push(name);
            continue;
        }
        warnings.push(
            placed(
                files,
                "plugins",
                &name,
                format!("plugin `{name}` is not run by dcrsite; the site is built without it"),
            )
            .with_help(
                "what it adds to the pages is missing; remove it from `plugins` to silence this",
            ),
        );
        seen.push(name);
    }
    let hooks = match root.get("hooks") {
        Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(one)) => vec![one.as_str()],
        _ => Vec::new(),
    };
    for hook in hooks {
        warnings.push(
            placed(
                files,
                "hooks",
                hook,
                format!("hook `{hook}` is not run: dcrsite runs no Python; the site is built without it"),
            )
            .with_help("what the hook changes in the pages is missing; remove it from `hooks` to silence this"),
        );
    }
    warnings
}

/// Line and column of entry `name` of top-level key `section`: `- name`, `- name:`
/// or `name:`, looked for only in that section (a value elsewhere may be the same word).
/// A warning at entry `name` of `section` in the nearest file that writes it.
fn placed(files: &[(&str, &str)], section: &str, name: &str, message: String) -> Diagnostic {
    let found = files
        .iter()
        .find_map(|(file, text)| Some((*file, entry_in(text, section, name)?)));
    match found {
        Some((file, position)) => Diagnostic::warning(file, message).at_position(Some(position)),
        None => Diagnostic::warning(MKDOCS_FILE, message),
    }
}

/// `plugins:` as a list (`- name`, `- name: {options}`) or a mapping, with options.
fn plugin_entries(root: &Value) -> Vec<(String, Value)> {
    let entry = |k: &Value, v: &Value| Some((k.as_str()?.to_string(), v.clone()));
    match root.get("plugins") {
        Some(Value::Sequence(list)) => list
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some((s.clone(), Value::Null)),
                Value::Mapping(m) => m.iter().next().and_then(|(k, v)| entry(k, v)),
                _ => None,
            })
            .collect(),
        Some(Value::Mapping(map)) => map.iter().filter_map(|(k, v)| entry(k, v)).collect(),
        _ => Vec::new(),
    }
}

fn entry_in(text: &str, section: &str, name: &str) -> Option<(usize, usize)> {
    let (start, _) = crate::yaml::key_position(text, section)?;
    let lines = text.lines().enumerate().skip(start);
    // The section ends at the next top-level key.
    let mut section_lines = lines.take_while(|(_, line)| {
        !line.starts_with(|c: char| !c.is_whitespace() && c != '-' && c != '#')
    });
    section_lines.find_map(|(i, line)| {
        let body = line.trim_start().trim_start_matches("- ");
        let rest = body.strip_prefix(name)?;
        (rest.is_empty() || rest.starts_with(':')).then(|| (i + 1, line.len() - body.len() + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str) -> Vec<Diagnostic> {
        let (_, w) = super::super::mkdocs::parse(text).unwrap();
        w
    }

    #[test]
    fn a_plugin_from_an_inherited_file_is_placed_there() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.yml"),
            "site_name: B\nplugins:\n  search: {}\n  minify: {}\n",
        )
        .unwrap();
        let text = "INHERIT: base.yml\nplugins:\n  social: {}\n";
        let (_, w) = super::super::mkdocs::parse_project(dir.path(), text).unwrap();
        let found: Vec<(&str, Option<usize>)> =
            w.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert_eq!(
            found,
            [("base.yml", Some(4)), ("mkdocs.yml", Some(3))],
            "{w:?}"
        );
    }

    #[test]
    fn each_plugin_not_rendered_and_each_hook_once_at_its_line() {
        let w = warnings("site_name: x\nplugins:\n  - search\n  - macros\n  - material/search\n  - minify\n  - social:\n      cards: false\n  - minify\n  - tags\n  - material/blog\nhooks:\n  - hooks/a.py\n");
        let found: Vec<(String, Option<usize>, Option<usize>)> = w
            .iter()
            .map(|d| (d.message.clone(), d.line, d.column))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].0.contains("plugin `minify`"));
        assert_eq!((found[0].1, found[0].2), (Some(6), Some(5)));
        assert!(found[1].0.contains("plugin `social`"));
        assert_eq!((found[1].1, found[1].2), (Some(7), Some(5)));
        assert!(found[2].0.contains("hook `hooks/a.py`"));
        assert_eq!((found[2].1, found[2].2), (Some(13), Some(5)));
    }

    #[test]
    fn plugins_as_a_mapping_are_placed_too() {
        let w =
            warnings("site_name: x\nplugins:\n  search: {}\n  mkdocstrings:\n    handlers: {}\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].line, w[0].column), (Some(4), Some(3)));
    }

    #[test]
    fn options_of_rendered_plugins_not_honoured_are_one_warning_each_at_their_line() {
        let w = warnings(
            "site_name: x\nplugins:\n  - search:\n      lang: en\n      separator: '[\\s]+'\n  - material/blog:\n      blog_dir: news\n      post_excerpt: required\n  - redirects:\n      redirect_maps: {}\n",
        );
        let found: Vec<(String, Option<usize>, Option<usize>)> = w
            .iter()
            .map(|d| (d.message.clone(), d.line, d.column))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].0.contains("`search` option `lang`"), "{found:?}");
        assert_eq!((found[0].1, found[0].2), (Some(4), Some(7)));
        assert!(found[1].0.contains("`search` option `separator`"));
        assert_eq!((found[1].1, found[1].2), (Some(5), Some(7)));
        assert!(found[2].0.contains("`material/blog` option `post_excerpt`"));
        assert_eq!((found[2].1, found[2].2), (Some(8), Some(7)));
        assert!(
            w.iter().all(|d| d
                .help
                .as_deref()
                .is_some_and(|h| h.contains("blog_dir") || h.contains("honours no option"))),
            "{w:?}"
        );
    }
}
