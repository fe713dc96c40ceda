//! The repository's own site builds cleanly: every page, no warnings, icons everywhere.

use crate::common::*;

#[test]
fn bundled_site_builds_without_warnings() {
    let public = SiteTest::repo().build_to_temp(&[]);
    let run = &public.run;
    assert!(
        run.stderr.is_empty(),
        "the bundled site has no warnings:\n{}",
        run.stderr
    );
    // Every page in English and in Spanish (translated, or shown in English words).
    let pages = walkdir::WalkDir::new(repo_root().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !e.path().to_string_lossy().ends_with(".es.md"))
        .count();
    assert!(
        run.stdout
            .starts_with(&format!("Built {} pages", pages * 2)),
        "{}",
        run.stdout
    );
    let home = public.read("es/index.html");
    assert!(home.contains("<html lang=\"es\""));
    assert!(
        home.contains("Colaboradores de Decred"),
        "the translated home page"
    );
    assert!(public
        .read("es/contributing/index.html")
        .contains("class=\"dcr-fallback\""));

    for (page, icon) in [
        ("contributing/index.html", "Code"),
        ("contributor-compensation/index.html", "Compensation"),
        ("contributors/index.html", "Contributors"),
    ] {
        let html = public.read(page);
        let doc = Doc::parse(&html);
        let title = doc.one("h1").html();
        assert!(
            title.contains(&format!(r#"src="/img/dcr-icons/{icon}.svg" alt="""#)),
            "{page}: {title}"
        );
        if !page.starts_with("contributors/") {
            assert!(doc.count("h2[id]") >= 3, "{page} has sections");
        }
        assert!(html.contains(r#"class="dcr-icon""#));
    }
    let contributing = public.read("contributing/index.html");
    assert!(contributing.contains(r#"href="/contributor-compensation/"#));
    assert!(contributing.contains(r#"href="/contributors/""#));
    let compensation = public.read("contributor-compensation/index.html");
    assert!(
        compensation.contains("markdown-alert")
            && compensation.contains("footnote-definition")
            && compensation.contains("<table>")
    );
    let contributors = public.read("contributors/index.html");
    assert!(
        contributors.contains("dcr-badge"),
        "corporate-contractor badges"
    );
    assert!(
        contributors.contains("/avatar.svg\" alt=\""),
        "generated avatars"
    );
}
