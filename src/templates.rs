//! Tera templates: the theme's `templates/`, overridden by name by the site's
//! `templates/`. Loaded and parsed once per build (by [`load`]); errors name the template
//! file and line.
//! A template may not include, import or extend itself, and a render stays within the
//! budgets of [`budget`]; templates read no files and only `DCRSITE_*` environment
//! variables.

pub mod budget;
mod conditions;
mod fast_macros;
mod graph;
mod load;
mod source;

use std::collections::HashMap;
use std::path::Path;

use tera::Tera;

use crate::assets::Manifest;
use crate::diagnostics::{quoted, Diagnostic};

pub struct Templates {
    tera: Tera,
    /// Template name → (file shown in messages, source text).
    sources: HashMap<String, (String, String)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<&str> = self.files().into_iter().map(|(shown, _)| shown).collect();
        f.debug_struct("Templates").field("files", &files).finish()
    }
}

impl Templates {
    /// Loads `themes/<theme>/templates/` then `templates/` (site overrides).
    pub fn load(
        root: &Path,
        theme: &str,
        manifest: &Manifest,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let (tera, files) = load::load(root, theme, manifest)?;
        Ok(Templates {
            tera,
            sources: files.into_iter().collect(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The file a template was read from, relative to the site root.
    pub fn file_of(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|(shown, _)| shown.as_str())
    }

    /// The templates whose output depends on any of `changed` (themselves included),
    /// through `extends`, `include` and `import`, followed transitively: what a change to
    /// `changed` makes stale.
    pub fn dependents(&self, changed: &[String]) -> std::collections::BTreeSet<String> {
        let references: HashMap<&str, Vec<String>> = self
            .sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), referenced_templates(text)))
            .collect();
        let mut affected: std::collections::BTreeSet<String> = changed.iter().cloned().collect();
        loop {
            let before = affected.len();
            for (name, refs) in &references {
                if !affected.contains(*name) && refs.iter().any(|r| affected.contains(r)) {
                    affected.insert(name.to_string());
                }
            }
            if affected.len() == before {
                return affected;
            }
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Every template as loaded: its file (relative to the site root) and its text, the
    /// site's own templates before the theme's, each group by file name. The checker
    /// looks for links in these rather than on disk: a built-in theme has no files there,
    /// and a file changed since the build would not be what was rendered.
    pub fn files(&self) -> Vec<(&str, &str)> {
        let mut files: Vec<(&str, &str)> = self
            .sources
            .values()
            .map(|(shown, text)| (shown.as_str(), text.as_str()))
            .collect();
        files.sort_by_key(|(shown, _)| (shown.starts_with("themes/"), *shown));
        files
    }

    /// The files of the templates that render with the template in `file`: its own, then
    /// those it extends, includes or imports, nearest first, followed transitively.
    pub fn files_used_by(&self, file: &str) -> Vec<&str> {
        let Some(start) = self.sources.iter().find(|(_, (shown, _))| shown == file) else {
            return Vec::new();
        };
        let mut queue = std::collections::VecDeque::from([start]);
        let mut seen = std::collections::HashSet::from([start.0.as_str()]);
        let mut files = Vec::new();
        while let Some((_, (shown, text))) = queue.pop_front() {
            files.push(shown.as_str());
            for name in referenced_templates(text) {
                if let Some((name, source)) = self.sources.get_key_value(&name) {
                    if seen.insert(name.as_str()) {
                        queue.push_back((name, source));
                    }
                }
            }
        }
        files
    }

    /// Renders `name`; a failure names the template file and, where it can be found,
    /// the line of the variable or function that failed. The render stays within the
    /// budgets of [`budget`], on a stack large enough for them.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        budget::begin();
        let mut out = PageWriter::default();
        let result = stacker::maybe_grow(budget::STACK_RED_ZONE, budget::STACK_SIZE, || {
            self.tera.render_to(name, context, &mut out)
        });
        let failure = budget::end();
        match (result, failure) {
            (Ok(()), _) => String::from_utf8(out.page).map_err(|_| {
                Diagnostic::error(
                    self.file_of(name).unwrap_or(name),
                    "rendered text is not UTF-8",
                )
            }),
            (Err(_), Some(budget::Failure::At(d))) => Err(d),
            (
                Err(e),
                Some(budget::Failure::Near {
                    needle,
                    message,
                    help,
                }),
            ) => {
                let (shown, text) = self.culprit(name, &e);
                let position = crate::diagnostics::position_of(&text, &needle);
                Err(Diagnostic::error(shown, message)
                    .at_position(position)
                    .with_help(help))
            }
            (Err(_), None) if out.full => Err(Diagnostic::error(
                self.file_of(name).unwrap_or(name),
                format!(
                    "`{name}` renders more than {} MiB for this page",
                    budget::MAX_BYTES >> 20
                ),
            )
            .with_help("see \"Template limits\" in the README")),
            (Err(e), None) => Err(self.render_error(name, &e)),
        }
    }

    /// The file and text of the innermost template named in a Tera error: where the
    /// problem is.
    fn culprit(&self, name: &str, e: &tera::Error) -> (String, String) {
        let message = error_chain(e);
        let culprit = quoted(&message, '\'')
            .filter(|n| self.sources.contains_key(*n))
            .last()
            .unwrap_or(name);
        self.sources.get(culprit).cloned().unwrap_or_default()
    }

    fn render_error(&self, name: &str, e: &tera::Error) -> Diagnostic {
        let message = error_chain(e);
        let (shown, text) = self.culprit(name, e);
        // The first name between backticks is the variable or function that failed; its
        // use in the template is the place to show.
        let needle = quoted(&message, '`').next().map(String::from);
        let position = needle
            .as_deref()
            .and_then(|needle| crate::diagnostics::position_of(&text, needle));
        // Tera says "Failed to render 'page.html': Variable `x` not found in context while
        // rendering 'page.html'"; the file is already in the position, so say the problem.
        let message = match (&needle, message.contains("not found in context")) {
            (Some(variable), true) => format!("template variable `{variable}` is not defined"),
            _ => message,
        };
        Diagnostic::error(shown, message)
            .at_position(position)
            .with_help("fix the template, or define the value before using it (`{% if x %}` for optional values)")
    }
}

/// The page being rendered, refused past [`budget::MAX_BYTES`].
#[derive(Default)]
struct PageWriter {
    page: Vec<u8>,
    full: bool,
}

impl std::io::Write for PageWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if (self.page.len() + buf.len()) as u64 > budget::MAX_BYTES {
            self.full = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        self.page.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The template names a template's `{% extends %}`, `{% include %}` and `{% import %}`
/// tags name (every quoted string in those tags, so `include ["a.html", "b.html"]` counts).
fn referenced_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let Some((inner, _)) = tag.split_once("%}") else {
            continue;
        };
        let inner = inner.trim_start_matches('-').trim_start();
        if !["extends", "include", "import"]
            .iter()
            .any(|k| inner.starts_with(k))
        {
            continue;
        }
        for quote in ['"', '\''] {
            names.extend(inner.split(quote).skip(1).step_by(2).map(str::to_string));
        }
    }
    names
}

/// The whole cause chain of a Tera error in one line.
fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in templates {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn site_templates_override_theme_templates() {
        let dir = site(&[
            ("themes/t/templates/page.html", "theme {{ x }}"),
            ("themes/t/templates/base.html", "base"),
            ("templates/page.html", "site {{ x }}"),
        ]);
        let t = Templates::load(dir.path(), "t", &Manifest::default()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "1");
        assert_eq!(t.render("page.html", &ctx).unwrap(), "site 1");
        assert!(t.has("base.html"));
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let dir = site(&[("themes/t/templates/page.html", "a\n{{ x + }}\nb\n")]);
        let errs = Templates::load(dir.path(), "t", &Manifest::default())
            .err()
            .unwrap();
        assert_eq!(errs[0].path, "themes/t/templates/page.html");
        assert_eq!(errs[0].line, Some(2), "{}", errs[0]);
    }

    #[test]
    fn undefined_variable_names_template_line() {
        let dir = site(&[("themes/t/templates/page.html", "ok\n{{ page.missing }}\n")]);
        let t = Templates::load(dir.path(), "t", &Manifest::default()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        let err = t.render("page.html", &ctx).unwrap_err();
        assert_eq!(err.path, "themes/t/templates/page.html");
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.contains("page.missing"), "{err}");
    }

    #[test]
    fn dependents_follow_extends_include_and_import() {
        let dir = site(&[
            (
                "themes/t/templates/base.html",
                "{% import 'macros.html' as m %}{% block b %}{% endblock b %}",
            ),
            (
                "themes/t/templates/macros.html",
                "{% macro x() %}{% endmacro x %}",
            ),
            (
                "themes/t/templates/page.html",
                "{% extends \"base.html\" %}{% block b %}p{% endblock b %}",
            ),
            (
                "themes/t/templates/section.html",
                "{%- include \"partials/cards.html\" -%}",
            ),
            ("themes/t/templates/partials/cards.html", "cards"),
        ]);
        let t = Templates::load(dir.path(), "t", &Manifest::default()).unwrap();
        let names = |changed: &str| {
            t.dependents(&[changed.to_string()])
                .into_iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(names("page.html"), ["page.html"]);
        assert_eq!(
            names("partials/cards.html"),
            ["partials/cards.html", "section.html"]
        );
        assert_eq!(
            names("macros.html"),
            ["base.html", "macros.html", "page.html"]
        );
    }

    /// (what, files, `file:line:column`, words of the message)
    type LoadCase<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a [&'a str]);
    /// (what, page.html, other templates, `file:line` where known, words of the message)
    type RenderCase<'a> = (
        &'a str,
        String,
        Vec<(&'a str, &'a str)>,
        &'a str,
        Vec<&'a str>,
    );

    /// Loads the templates of a site made of `files`, with the theme `t`.
    fn load(files: &[(&str, &str)]) -> Result<Templates, Vec<Diagnostic>> {
        let dir = site(files);
        Templates::load(dir.path(), "t", &Manifest::default())
    }

    /// Renders `page.html` of a site made of `files` with an empty context.
    fn render_page(files: &[(&str, &str)]) -> Result<String, Diagnostic> {
        let t = load(files).map_err(|e| e.into_iter().next().unwrap())?;
        t.render("page.html", &tera::Context::new())
    }

    /// Templates that include, import or extend themselves: (what, files, where the
    /// error is, words of its message).
    const CYCLES: &[LoadCase] = &[
            (
                "a site template includes the theme template it replaces",
                &[
                    ("themes/t/templates/page.html", "theme"),
                    ("templates/page.html", "{% include \"page.html\" %}\n"),
                ],
                "templates/page.html:1:1",
                &["template `page.html` includes itself: page.html → page.html"],
            ),
            (
                "two templates include each other",
                &[
                    ("themes/t/templates/page.html", "{% include \"a.html\" %}"),
                    ("themes/t/templates/a.html", "x\n  {%- include 'b.html' %}"),
                    ("themes/t/templates/b.html", "{% include \"a.html\" %}"),
                ],
                "themes/t/templates/a.html:2:3",
                &["template `a.html` includes itself: a.html → b.html → a.html"],
            ),
            (
                "the first existing name of an include list",
                &[(
                    "themes/t/templates/page.html",
                    "{% include [\"gone.html\", \"page.html\"] ignore missing %}",
                )],
                "themes/t/templates/page.html:1:1",
                &["page.html → page.html"],
            ),
            (
                "an include inside a block and a loop",
                &[(
                    "themes/t/templates/page.html",
                    "{% block b %}{% for i in [1] %}\n{% if true %}{% include \"page.html\" %}{% endif %}{% endfor %}{% endblock b %}",
                )],
                "themes/t/templates/page.html:2:14",
                &["includes itself"],
            ),
            (
                "macro files importing each other",
                &[
                    ("themes/t/templates/page.html", "{% import \"m1.html\" as m1 %}{{ m1::x() }}"),
                    ("themes/t/templates/m1.html", "{% import \"m2.html\" as m2 %}{% macro x() %}1{% endmacro x %}"),
                    ("themes/t/templates/m2.html", "{% import \"m1.html\" as m1 %}{% macro y() %}2{% endmacro y %}"),
                ],
                "themes/t/templates/m1.html:1:1",
                &["template `m1.html` imports itself: m1.html → m2.html → m1.html"],
            ),
            (
                "a macro file importing itself",
                &[
                    ("themes/t/templates/page.html", "{% import \"m.html\" as m %}{{ m::x() }}"),
                    ("themes/t/templates/m.html", "{% import \"m.html\" as again %}{% macro x() %}1{% endmacro x %}"),
                ],
                "themes/t/templates/m.html:1:1",
                &["template `m.html` imports itself: m.html → m.html"],
            ),
            (
                "an extends cycle that does not return to the first template",
                &[
                    ("themes/t/templates/page.html", "{% extends \"b.html\" %}"),
                    ("themes/t/templates/b.html", "{% extends \"c.html\" %}"),
                    ("themes/t/templates/c.html", "\n{% extends \"b.html\" %}"),
                ],
                "themes/t/templates/b.html:1:1",
                &["template `b.html` extends itself: b.html → c.html → b.html"],
            ),
            (
                "a template extending itself",
                &[("themes/t/templates/page.html", "{% extends \"page.html\" %}")],
                "themes/t/templates/page.html:1:1",
                &["extends itself: page.html → page.html"],
            ),
            (
                "include then import back",
                &[
                    ("themes/t/templates/page.html", "{% include \"p.html\" %}"),
                    ("themes/t/templates/p.html", "{% import \"page.html\" as x %}"),
                ],
                "themes/t/templates/p.html:1:1",
                &["template `p.html` refers to itself: p.html → page.html → p.html"],
            ),
    ];

    #[test]
    fn include_import_and_extends_cycles_are_errors_naming_the_chain() {
        let mut failures = Vec::new();
        for (what, files, at, words) in CYCLES {
            let errs = match load(files) {
                Ok(_) => {
                    failures.push(format!("{what}: loaded without error"));
                    continue;
                }
                Err(errs) => errs,
            };
            let shown = errs[0].to_string();
            if !shown.starts_with(&format!("{at}: error: "))
                || words.iter().any(|w| !shown.contains(w))
                || errs[0].help.is_none()
            {
                failures.push(format!("{what}: {shown}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn a_site_template_including_its_theme_namesake_gets_help_about_overriding() {
        let errs = load(&[
            ("themes/t/templates/page.html", "theme"),
            ("templates/page.html", "{% include \"page.html\" %}\n"),
        ])
        .err()
        .unwrap();
        let help = errs[0].help.as_deref().unwrap();
        assert!(help.contains("replaces the theme's `page.html`"), "{help}");
    }

    /// Templates that run past the call, nesting and loop budgets: (what, page.html,
    /// other templates, `file:line` where known, words of the message).
    fn call_and_loop_cases() -> Vec<RenderCase<'static>> {
        let fan_out = "{% macro f(n) %}{% if n > 0 %}{{ self::f(n=n - 1) }}{{ self::f(n=n - 1) }}{% endif %}{% endmacro f %}";
        vec![
        (
            "a macro calling itself without end",
            "{% macro f() %}x{{ self::f() }}{% endmacro f %}\n{{ self::f() }}".into(),
            vec![],
            "themes/t/templates/page.html:1:1",
            vec!["macro `f` calls nest more than 64 deep", "f → f → f"],
        ),
        (
            "macros in two files calling each other",
            "{% import \"m.html\" as m %}{{ m::a() }}".into(),
            vec![(
                "themes/t/templates/m.html",
                "{% macro a() %}{{ self::b() }}{% endmacro a %}\n{% macro b() %}{{ self::a() }}{% endmacro b %}",
            )],
            "themes/t/templates/m.html:",
            vec!["nest more than 64 deep", "a → b → a"],
        ),
        (
            "a macro that fans out exponentially",
            format!("{fan_out}\n{{{{ self::f(n=40) }}}}"),
            vec![],
            "themes/t/templates/page.html:1:1",
            vec!["macro `f` runs past the budget of 100000 macro calls and includes"],
        ),
        (
            "range(end=1e9)",
            "{% for i in range(end=1000000000) %}{{ i }}{% endfor %}".into(),
            vec![],
            "themes/t/templates/page.html:1:13",
            vec!["`range`", "1000000000", "100000"],
        ),
        (
            "range with step_by=0",
            "{% for i in range(end=10, step_by=0) %}{{ i }}{% endfor %}".into(),
            vec![],
            "themes/t/templates/page.html:1:13",
            vec!["`range`", "step_by"],
        ),
        (
            "nested loops of 10^10 iterations",
            "{% for i in range(end=100000) %}\n{% for j in range(end=100000) %}{% endfor %}{% endfor %}".into(),
            vec![],
            "themes/t/templates/page.html:2:1",
            vec!["this loop runs past the budget of 1000000 loop iterations"],
        ),
        ]
    }

    /// Templates that make values past the size budget, read the environment outside
    /// `DCRSITE_*` or overflow math, as [`call_and_loop_cases`].
    fn size_env_and_math_cases() -> Vec<RenderCase<'static>> {
        vec![
        (
            "a string doubled in a loop",
            "{% set s = \"x\" %}{% for i in range(end=100) %}\n{% set_global s = s ~ s %}{% endfor %}{{ s | length }}".into(),
            vec![],
            "themes/t/templates/page.html:2:",
            vec!["MiB"],
        ),
        (
            "a list nested in itself in a loop",
            "{% set a = [1] %}{% for i in range(end=100000) %}{% set_global a = [a] %}{% endfor %}".into(),
            vec![],
            "themes/t/templates/page.html:1:",
            vec!["nested"],
        ),
        (
            "replace growing a string by its own length twice",
            format!(
                "{{% set s = \"{}\" %}}\n{{{{ s | replace(from=\"a\", to=s) | replace(from=\"a\", to=s) | length }}}}",
                "a".repeat(2000)
            ),
            vec![],
            "themes/t/templates/page.html:2:",
            vec!["`replace`", "MiB"],
        ),
        (
            "a macro writing the same large value many times",
            "{% macro big(s) %}{% for i in range(end=100000) %}{{ s }}{% endfor %}{% endmacro big %}\n{% set s = \"0123456789\" %}{% for i in range(end=20) %}{% set_global s = s ~ s %}{% endfor %}{% set out = self::big(s=s) %}{{ out | length }}".into(),
            vec![],
            "themes/t/templates/page.html:",
            vec!["MiB"],
        ),
        (
            "get_env of a variable outside DCRSITE_*",
            "x {{ get_env(name=\"HOME\") }}".into(),
            vec![],
            "themes/t/templates/page.html:1:6",
            vec!["`HOME`", "DCRSITE_"],
        ),
        (
            "get_env with a default of a variable outside DCRSITE_*",
            "{{ get_env(name=\"PATH\", default=\"\") }}".into(),
            vec![],
            "themes/t/templates/page.html:1:4",
            vec!["`PATH`", "DCRSITE_"],
        ),
        (
            "a remainder that overflows",
            "{{ (0 - 9223372036854775807 - 1) % (0 - 1) }}".into(),
            vec![],
            "themes/t/templates/page.html:",
            vec!["%"],
        ),
        ]
    }

    #[test]
    fn runaway_templates_are_errors_within_the_budgets() {
        let cases = [call_and_loop_cases(), size_env_and_math_cases()].concat();
        let mut failures = Vec::new();
        for (what, text, others, at, words) in &cases {
            let mut files = vec![("themes/t/templates/page.html", text.as_str())];
            files.extend(others.iter().copied());
            let started = std::time::Instant::now();
            match render_page(&files) {
                Ok(out) => failures.push(format!(
                    "{what}: rendered {} bytes without error",
                    out.len()
                )),
                Err(e) => {
                    let shown = e.to_string();
                    if !shown.starts_with(at)
                        || !shown.contains(": error: ")
                        || words.iter().any(|w| !shown.contains(w))
                        || e.help.is_none()
                    {
                        failures.push(format!("{what}: {shown}"));
                    }
                }
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "{what} took {:?}",
                started.elapsed()
            );
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn templates_within_the_budgets_render() {
        std::env::set_var("DCRSITE_TEMPLATE_TEST", "from the environment");
        let text = "{% macro tree(n) %}{% if n > 0 %}({{ self::tree(n=n - 1) }}){% endif %}{% endmacro tree %}\
            {{ self::tree(n=60) | length }}|\
            {% for i in range(end=100000) %}{% endfor %}{{ range(end=100000) | length }}|\
            {{ range(start=0, end=10, step_by=3) | join(sep=\",\") }}|\
            {{ get_env(name=\"DCRSITE_TEMPLATE_TEST\") }}|{{ get_env(name=\"DCRSITE_NOT_SET\", default=\"d\") }}|\
            {{ 7 % 3 }} {{ 7.5 % 2 }} {{ 10 / 4 }} {{ 3 * 4 }} {{ 2 - 5 }}|\
            {% set s = \"ab\" %}{% for i in range(end=10) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}|\
            {{ \"<a>\" }}{{ \"<b>\" | safe }}{{ \"a,b\" | split(pat=\",\") | join(sep=\"-\") }}{{ \"x\" | replace(from=\"x\", to=\"yy\") }}";
        let out = render_page(&[("themes/t/templates/page.html", text)]).unwrap();
        assert_eq!(
            out,
            "120|100000|0,3,6,9|from the environment|d|1 1.5 2.5 12 -3|2048|&lt;a&gt;<b>a-byy"
        );
    }

    #[test]
    fn templates_nested_too_deep_are_refused_before_parsing() {
        let ifs = format!(
            "{}x{}",
            "{% if true %}".repeat(600),
            "{% endif %}".repeat(600)
        );
        let parens = format!("\n{{{{ {}1{} }}}}", "(".repeat(1000), ")".repeat(1000));
        for text in [ifs, parens] {
            let errs = load(&[("themes/t/templates/page.html", &text)])
                .err()
                .unwrap();
            let shown = errs[0].to_string();
            assert!(
                shown.starts_with("themes/t/templates/page.html:") && shown.contains("nest"),
                "{shown}"
            );
        }
    }

    #[test]
    fn names_reserved_for_the_budget_checks_are_refused() {
        let errs = load(&[(
            "themes/t/templates/page.html",
            "ok\n{{ __dcrsite_leave() }}",
        )])
        .err()
        .unwrap();
        assert!(
            errs[0]
                .to_string()
                .starts_with("themes/t/templates/page.html:2:4: error:"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn missing_theme_is_reported() {
        let dir = site(&[("themes/decred/templates/page.html", "")]);
        let errs = Templates::load(dir.path(), "decrd", &Manifest::default())
            .err()
            .unwrap();
        assert!(errs[0].help.as_deref().unwrap().contains("`decred`"));
    }
}
