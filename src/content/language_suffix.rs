//! A Markdown file named like a translation (`guide.pt.md`) in a multilingual site that
//! does not declare the language: built as an ordinary page at `guide.pt/`, which is
//! almost never what its author meant, so it is said once, at the file.
//!
//! What counts as a language suffix: an ISO 639-1 code (two letters, from the standard's
//! list, so `setup.old.md` or `notes.md.md` are not taken for one), optionally with a
//! region (`pt-BR`, `es-419`). Three-letter codes are not guessed at (`old`, `new`,
//! `bak` are three letters too); a site declaring one in `languages:` gets its
//! translations all the same.

use super::languages::LanguageView;
use super::walk::{FileKind, SourceFile};
use crate::diagnostics::Diagnostic;

/// The ISO 639-1 codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca \
ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv \
ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks \
ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr \
nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss \
st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Whether `suffix` reads as a language code: `pt`, `pt-BR`, `pt_BR`, `es-419`.
pub(crate) fn is_language_code(suffix: &str) -> bool {
    let (language, region) = match suffix.split_once(['-', '_']) {
        Some((l, r)) => (l, Some(r)),
        None => (suffix, None),
    };
    let region_ok = region.is_none_or(|r| {
        r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic())
            || r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit())
    });
    language.len() == 2 && region_ok && ISO_639_1.split(' ').any(|c| c == language)
}

/// A warning for each Markdown file whose suffix is a language code the site does not
/// declare. `dir` is the content folder, as the site's paths name it.
pub(super) fn undeclared(files: &[SourceFile], view: &LanguageView, dir: &str) -> Vec<Diagnostic> {
    let declared: Vec<&str> = std::iter::once(view.code.as_str())
        .chain(view.translated.iter().map(String::as_str))
        .collect();
    files
        .iter()
        .filter(|f| f.kind == FileKind::Markdown)
        .filter_map(|f| {
            let stem = f.content_path.strip_suffix(".md")?;
            let (name, suffix) = stem.rsplit_once('.')?;
            if name.is_empty() || name.ends_with('/') || declared.contains(&suffix) {
                return None;
            }
            is_language_code(suffix).then(|| warning(dir, &f.content_path, suffix, &declared))
        })
        .collect()
}

fn warning(dir: &str, content_path: &str, suffix: &str, declared: &[&str]) -> Diagnostic {
    let name = content_path.rsplit('/').next().unwrap_or(content_path);
    Diagnostic::warning(
        format!("{dir}/{content_path}"),
        format!(
            "`{name}` has the language suffix `{suffix}`, which is not one of the site's languages ({}): it is built as an ordinary page, not a translation",
            declared.join(", ")
        ),
    )
    .with_help(format!(
        "add `{suffix}` to `languages:` in site.yaml, or rename the file if `.{suffix}` is not a language"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_and_names_that_only_look_like_them() {
        for code in ["pt", "de", "zh", "pt-BR", "zh_TW", "es-419", "en-gb"] {
            assert!(is_language_code(code), "{code}");
        }
        for other in [
            "old", "bak", "2", "v1", "md", "js", "draft", "", "pt-", "pt-BRA", "xx", "PT", "eng",
            "es-41",
        ] {
            assert!(!is_language_code(other), "{other}");
        }
    }

    fn view() -> LanguageView {
        LanguageView {
            code: "en".into(),
            default: true,
            translated: vec!["es".into()],
        }
    }

    fn files(paths: &[&str]) -> Vec<SourceFile> {
        paths
            .iter()
            .map(|p| SourceFile {
                content_path: p.to_string(),
                abs_path: p.into(),
                kind: FileKind::Markdown,
            })
            .collect()
    }

    #[test]
    fn only_undeclared_language_suffixes_are_warned() {
        let files = files(&[
            "guide.pt.md",
            "a/b.pt-BR.md",
            "guide.es.md",
            "guide.en.md",
            "v1.2.md",
            "setup.old.md",
            ".de.md",
            "a/.de.md",
            "plain.md",
        ]);
        let warned: Vec<String> = undeclared(&files, &view(), "content")
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(warned, ["content/guide.pt.md", "content/a/b.pt-BR.md"]);
        let d = &undeclared(&files, &view(), "content")[0];
        assert!(
            d.message.contains("`pt`") && d.message.contains("(en, es)"),
            "{}",
            d.message
        );
        assert!(d
            .help
            .as_deref()
            .unwrap()
            .contains("add `pt` to `languages:`"));
    }
}
