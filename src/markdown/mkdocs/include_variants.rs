//! `markdown_include_variants` (the FastAPI family): a `{* docs_src/x/tutorial001_py310.py
//! ln[1:8] hl[3] *}` line becomes what that extension writes: the file in a
//! `//// tab | Python 3.10+` block (the lines `ln` asks for, `hl` marked), the whole file
//! in a "Full file preview" details block, and the file's other variants (`_py39`,
//! `_an`, … beside it, or in folders so named) in an "Other versions and variants" one.
//! The code itself comes in as mdx_include's `{!path!}` lines (see `includes`).

use std::path::Path;

const AN: &str = "_an";
const VERSIONS: [(&str, &str); 4] = [
    ("_py311", "Python 3.11+"),
    ("_py310", "Python 3.10+"),
    ("_py39", "Python 3.9+"),
    ("", "Python 3.8+"),
];

struct Variant {
    /// The path as the extension writes it (relative to the project, no `./`).
    path: String,
    title: String,
    /// `Some(true)` Annotated, `Some(false)` its non-Annotated twin, `None` neither.
    annotated: Option<bool>,
    version: usize,
}

/// The lines a `{* … *}` line becomes, or `None` when `text` is not one; `Err` says why
/// it cannot be expanded.
pub(super) fn block(text: &str, root: &Path) -> Option<Result<Vec<String>, String>> {
    let inner = text.strip_prefix("{*")?.strip_suffix("*}")?.trim_start();
    let (file, config) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    Some(expand(file, config, root))
}

fn expand(file: &str, config: &str, root: &Path) -> Result<Vec<String>, String> {
    let base = file.trim_start_matches("./").to_string();
    let ln = option(config, "ln")
        .map(|v| ranges(&v))
        .transpose()?
        .unwrap_or_default();
    let hl = option(config, "hl")
        .map(|v| ranges(&v))
        .transpose()?
        .unwrap_or_default();
    let title = option(config, "title").map(|t| t.trim_matches('"').to_string());
    let variants = variants_of(&base, root);
    let preferred = variants
        .iter()
        .find(|v| v.path == base)
        .ok_or_else(|| format!("no file `{base}` (nor variants of it)"))?;
    let length = std::fs::read_to_string(root.join(&preferred.path))
        .map_err(|e| format!("cannot read `{base}`: {e}"))?
        .lines()
        .count();
    let mut out = Vec::new();
    if ln != [(0, 0)] {
        let hl_shown = if ln.is_empty() {
            hl.clone()
        } else {
            shifted(&ln, &hl)
        };
        out.push(format!("//// tab | {}", preferred.title));
        out.push(fence(&hl_shown, title.as_deref()));
        out.extend(included_lines(&preferred.path, &ln, length));
        out.extend(["```", "", "////", ""].map(String::from));
    }
    if !ln.is_empty() {
        out.extend(["///// details | 👀 Full file preview", ""].map(String::from));
        out.push(format!("//// tab | {}", preferred.title));
        out.push(String::new());
        out.push(fence(&hl, title.as_deref()));
        out.push(format!("{{!{}!}}", preferred.path));
        out.extend(["```", "", "////", "", "/////", ""].map(String::from));
    }
    let others: Vec<&Variant> = sorted(&variants).filter(|v| v.path != base).collect();
    if !others.is_empty() {
        out.extend(["///// details | 🤓 Other versions and variants", ""].map(String::from));
        for v in others {
            out.push(format!("//// tab | {}", v.title));
            out.push(String::new());
            if v.annotated == Some(false) {
                out.extend(
                    [
                        "/// tip",
                        "",
                        "Prefer to use the `Annotated` version if possible.",
                        "",
                        "///",
                        "",
                    ]
                    .map(String::from),
                );
            }
            out.push(fence(&[], title.as_deref()));
            out.push(format!("{{!{}!}}", v.path));
            out.extend(["```", "////"].map(String::from));
        }
        out.extend(["", "/////", ""].map(String::from));
    }
    Ok(out)
}

/// The `{!path[ln:a-b]!}` lines of the shown part, with the "omitted" comments between.
fn included_lines(path: &str, ln: &[(usize, usize)], length: usize) -> Vec<String> {
    if ln.is_empty() {
        return vec![format!("{{!{path}!}}")];
    }
    let mut out = Vec::new();
    for (i, (a, b)) in ln.iter().enumerate() {
        if i == 0 && *a > 1 {
            out.extend(["# Code above omitted 👆", ""].map(String::from));
        }
        if i >= 1 {
            out.extend(["", "# Code here omitted 👈", ""].map(String::from));
        }
        out.push(format!("{{!{path}[ln:{a}-{b}]!}}"));
        if i == ln.len() - 1 && *b < length {
            out.extend(["", "# Code below omitted 👇"].map(String::from));
        }
    }
    out
}

/// `hl` lines numbered as they are shown: after the omitted parts and their comments.
fn shifted(ln: &[(usize, usize)], hl: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, &(a, b)) in ln.iter().enumerate() {
        if a > 1 {
            offset += if i == 0 { 2 } else { 3 };
        }
        for &(x, y) in hl.iter().filter(|&&(x, y)| x >= a && y <= b) {
            out.push((x + offset + 1 - a, y + offset + 1 - a));
        }
        offset += b - a + 1;
    }
    out
}

fn fence(hl: &[(usize, usize)], title: Option<&str>) -> String {
    let mut line = String::from("```python");
    if !hl.is_empty() {
        let spans: Vec<String> = hl
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            })
            .collect();
        line.push_str(&format!(" hl_lines=\"{}\"", spans.join(" ")));
    }
    if let Some(t) = title {
        line.push_str(&format!(" title=\"{t}\""));
    }
    line
}

/// The value of `name[…]` in the options.
fn option(config: &str, name: &str) -> Option<String> {
    let mut rest = config;
    while let Some(i) = rest.find('[') {
        let key = rest[..i]
            .rsplit(|c: char| !c.is_alphanumeric() && c != '_')
            .next()?;
        let end = i + rest[i..].find(']')?;
        if key == name {
            return Some(rest[i + 1..end].to_string());
        }
        rest = &rest[end + 1..];
    }
    None
}

/// `1:8,12,14:15` as sorted ranges.
fn ranges(value: &str) -> Result<Vec<(usize, usize)>, String> {
    let number = |s: &str| {
        s.trim()
            .parse::<usize>()
            .map_err(|_| format!("`{value}` is not a list of line numbers"))
    };
    let mut out = Vec::new();
    for part in value.trim().split(',') {
        out.push(match part.split_once(':') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(part)?, number(part)?),
        });
    }
    out.sort_unstable();
    Ok(out)
}

/// The variants beside `base` (file suffixes), or in folders so named when the file
/// alone has none, as the extension finds them.
fn variants_of(base: &str, root: &Path) -> Vec<Variant> {
    let (dir, file) = base.rsplit_once('/').unwrap_or(("", base));
    let stem = file.strip_suffix(".py").unwrap_or(file);
    let name = strip_suffixes(stem);
    let join = |d: &str, f: String| if d.is_empty() { f } else { format!("{d}/{f}") };
    let files = found(root, |suffix| join(dir, format!("{name}{suffix}.py")));
    if files.len() != 1 {
        return files;
    }
    let (parent, folder) = dir.rsplit_once('/').unwrap_or(("", dir));
    let fname = strip_suffixes(folder);
    let folders = found(root, |suffix| {
        join(&join(parent, format!("{fname}{suffix}")), file.to_string())
    });
    let file_default = files[0].version == 3 && files[0].annotated.is_none();
    let folder_default = folders
        .iter()
        .any(|v| v.version == 3 && v.annotated.is_none());
    if folders.len() > 1 || (folders.len() == 1 && file_default && !folder_default) {
        folders
    } else {
        files
    }
}

fn found(root: &Path, path: impl Fn(&str) -> String) -> Vec<Variant> {
    let mut out = Vec::new();
    for (version, (suffix, title)) in VERSIONS.iter().enumerate() {
        let an = path(&format!("{AN}{suffix}"));
        let plain = path(suffix);
        let exists = |p: &str| {
            super::reads::note(&root.join(p));
            root.join(p).is_file()
        };
        let v = |path: String, title: String, annotated| Variant {
            path,
            title,
            annotated,
            version,
        };
        if exists(&an) {
            out.push(v(an, title.to_string(), Some(true)));
            if exists(&plain) {
                out.push(v(plain, format!("{title} - non-Annotated"), Some(false)));
            }
        } else if exists(&plain) {
            out.push(v(plain, title.to_string(), None));
        }
    }
    out
}

/// Annotated first, then their non-Annotated twins, then the others; newest first.
fn sorted(variants: &[Variant]) -> impl Iterator<Item = &Variant> {
    [Some(true), Some(false), None]
        .into_iter()
        .flat_map(move |an| {
            (0..VERSIONS.len()).flat_map(move |version| {
                variants
                    .iter()
                    .filter(move |v| v.annotated == an && v.version == version)
            })
        })
}

fn strip_suffixes(name: &str) -> &str {
    for suffix in ["_an", "_py39", "_py310", "_py311"] {
        if let Some(rest) = name.strip_suffix(suffix) {
            return strip_suffixes(rest);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_include_becomes_tabs_and_details_as_the_extension_writes_them() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("docs_src/t");
        std::fs::create_dir_all(&src).unwrap();
        let code: String = (1..=10).map(|i| format!("line{i}\n")).collect();
        std::fs::write(src.join("tutorial001_py310.py"), &code).unwrap();
        std::fs::write(src.join("tutorial001.py"), &code).unwrap();
        let out = block(
            "{* ./docs_src/t/tutorial001_py310.py ln[3:4] hl[4] *}",
            dir.path(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(out[0], "//// tab | Python 3.10+");
        assert_eq!(out[1], "```python hl_lines=\"4\"");
        assert_eq!(out[2], "# Code above omitted 👆");
        assert_eq!(out[4], "{!docs_src/t/tutorial001_py310.py[ln:3-4]!}");
        assert_eq!(out[6], "# Code below omitted 👇");
        assert!(out.contains(&"///// details | 👀 Full file preview".to_string()));
        assert!(
            out.contains(&"//// tab | Python 3.8+".to_string()),
            "{out:?}"
        );
        assert!(out.contains(&"{!docs_src/t/tutorial001.py!}".to_string()));
        assert!(block("{* docs_src/none.py *}", dir.path())
            .unwrap()
            .is_err());
        assert!(block("not {* one *}", dir.path()).is_none());
    }
}
