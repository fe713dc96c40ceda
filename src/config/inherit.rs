//! MkDocs' `INHERIT: parent.yml`: the parent configuration is read (itself perhaps
//! inheriting) and the child is merged over it as MkDocs does (mergedeep's replace
//! strategy): mappings merge key by key, recursively; anything else in the child replaces
//! the parent's value. The FastAPI family keeps `markdown_extensions` as a mapping in
//! `mkdocs.env.yml` for exactly this.

use std::path::Path;

use serde_yaml::Value;

use crate::content::inside::Inside;
use crate::diagnostics::Diagnostic;

/// How many parents a chain may have: real projects use one; a cycle stops here too.
const MAX_CHAIN: usize = 8;

/// Each file an `INHERIT` chain read: its path relative to the root and its text,
/// nearest parent first (for placing values that come from one of them).
pub(crate) type Parents = Vec<(String, String)>;

/// `child` (read from `file`, a path relative to `root`) merged over its `INHERIT` chain,
/// and the parent files read.
pub(crate) fn resolve(
    root: &Path,
    file: &str,
    child: Value,
) -> Result<(Value, Parents), Diagnostic> {
    let mut chain = vec![file.to_string()];
    let mut parents = Parents::new();
    let mut merged = child;
    while let Some(parent) = take_inherit(&mut merged, chain.last().unwrap())? {
        let from = chain.last().unwrap().clone();
        let rel = relative_to(&from, &parent);
        if chain.contains(&rel) || chain.len() > MAX_CHAIN {
            return Err(Diagnostic::error(
                &from,
                format!("INHERIT cycle: {} → {rel}", chain.join(" → ")),
            )
            .at_position(key_in(root, &from))
            .with_help("remove `INHERIT` from one of these files"));
        }
        let (parent_value, text) = read(root, &from, &rel)?;
        merged = merge(parent_value, merged);
        parents.push((rel.clone(), text));
        chain.push(rel);
    }
    Ok((merged, parents))
}

/// Removes and returns the `INHERIT` value of a configuration.
fn take_inherit(config: &mut Value, file: &str) -> Result<Option<String>, Diagnostic> {
    let Some(map) = config.as_mapping_mut() else {
        return Ok(None);
    };
    match map.remove("INHERIT") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Diagnostic::error(file, "INHERIT must name a file")
            .with_help("write the parent configuration's path, as in `INHERIT: base.yml`")),
    }
}

/// `parent` as written in `from`, as a path relative to the project root.
fn relative_to(from: &str, parent: &str) -> String {
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = Vec::new();
    for part in dir.join(parent).components() {
        match part {
            // Past the root stays `..`, for `Inside` to refuse.
            std::path::Component::ParentDir => match parts.last().map(String::as_str) {
                Some(p) if p != ".." => drop(parts.pop()),
                _ => parts.push("..".to_string()),
            },
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// Reads and parses the parent file, which must lie inside the project; also returns its
/// text.
fn read(root: &Path, from: &str, rel: &str) -> Result<(Value, String), Diagnostic> {
    let path = root.join(rel);
    Inside::new(root)
        .check(&path)
        .map_err(|outside| outside.diagnostic())?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(
            from,
            format!("INHERIT names `{rel}`, which cannot be read: {e}"),
        )
        .at_position(key_in(root, from))
        .with_help("give the parent configuration's path relative to this file")
    })?;
    let text = text.trim_start_matches('\u{feff}').to_string();
    Ok((crate::yaml::parse(&text, rel, 0)?, text))
}

/// Where `INHERIT` is written in `file` (for messages).
fn key_in(root: &Path, file: &str) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    crate::yaml::key_position(&text, "INHERIT")
}

/// `child` over `parent`: mappings merge recursively, other values replace.
fn merge(parent: Value, child: Value) -> Value {
    match (parent, child) {
        (Value::Mapping(mut p), Value::Mapping(c)) => {
            // A key the parent has keeps its place (Python dicts keep insertion order).
            for (k, v) in c {
                match p.get_mut(&k) {
                    Some(old) => *old = merge(std::mem::take(old), v),
                    None => drop(p.insert(k, v)),
                }
            }
            Value::Mapping(p)
        }
        (Value::Tagged(p), Value::Mapping(c)) => merge(p.value, Value::Mapping(c)),
        (_, child) => child,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn mappings_merge_and_other_values_replace() {
        let parent = yaml("a: 1\nexts:\n  toc: {permalink: true}\n  abbr:\nlist: [1, 2]\n");
        let child = yaml("exts:\n  toc: {title: T}\n  tables:\nlist: [3]\nb: 2\n");
        let m = merge(parent, child);
        assert_eq!(m["a"], 1);
        assert_eq!(m["b"], 2);
        assert_eq!(m["list"], yaml("[3]"), "lists are replaced, not joined");
        assert_eq!(m["exts"]["toc"], yaml("{permalink: true, title: T}"));
        let keys: Vec<_> = m["exts"].as_mapping().unwrap().keys().cloned().collect();
        assert_eq!(keys, [yaml("toc"), yaml("abbr"), yaml("tables")]);
    }

    #[test]
    fn a_chain_is_read_relative_to_each_file_and_cycles_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cfg")).unwrap();
        std::fs::write(
            dir.path().join("cfg/base.yml"),
            "x: base\ny: base\nz: base\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("cfg/mid.yml"),
            "INHERIT: base.yml\ny: mid\n",
        )
        .unwrap();
        let child = yaml("INHERIT: cfg/mid.yml\nz: child\n");
        let (m, parents) = resolve(dir.path(), "mkdocs.yml", child).unwrap();
        let files: Vec<&str> = parents.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(files, ["cfg/mid.yml", "cfg/base.yml"], "nearest first");
        assert_eq!(
            (m["x"].as_str(), m["y"].as_str(), m["z"].as_str()),
            (Some("base"), Some("mid"), Some("child"))
        );
        assert!(m.get("INHERIT").is_none());

        std::fs::write(dir.path().join("mkdocs.yml"), "INHERIT: loop.yml\n").unwrap();
        std::fs::write(dir.path().join("loop.yml"), "INHERIT: mkdocs.yml\n").unwrap();
        let e = resolve(dir.path(), "mkdocs.yml", yaml("INHERIT: loop.yml\n")).unwrap_err();
        assert!(
            e.message
                .contains("INHERIT cycle: mkdocs.yml → loop.yml → mkdocs.yml"),
            "{e}"
        );

        let e = resolve(dir.path(), "mkdocs.yml", yaml("INHERIT: nope.yml\n")).unwrap_err();
        assert!(
            e.message.contains("`nope.yml`, which cannot be read"),
            "{e}"
        );
    }

    #[test]
    fn a_parent_outside_the_project_is_refused() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("site");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(outer.path().join("secret.yml"), "site_name: s\n").unwrap();
        let e = resolve(&root, "mkdocs.yml", yaml("INHERIT: ../secret.yml\n")).unwrap_err();
        assert!(e.to_string().contains("outside"), "{e}");
    }
}
