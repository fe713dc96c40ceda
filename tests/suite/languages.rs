//! Multilingual sites: the real decred contributors imported from Hugo's data and built
//! in three languages (the issue's "It must show"), and the rules of translations and
//! fallbacks on a small site of their own.

use crate::common::*;
use crate::import::import_shared_contributors;

const LANGUAGES: &str = "languages:\n  - {code: en, name: English, default: true}\n  - {code: es, name: Español}\n  - {code: de, name: Deutsch}\n";

/// Every `<link rel=alternate>` and switcher link of the page at `rel` leads to a built
/// page; returns the hreflang codes of the alternates.
fn alternates_resolve(site: &SiteTest, rel: &str) -> Vec<String> {
    let html = site.read(rel);
    let doc = Doc::parse(&html);
    let mut codes = Vec::new();
    for link in doc.all(r#"link[rel="alternate"]"#) {
        let href = link.value().attr("href").unwrap().to_string();
        assert!(exists_page(site, &href), "{rel}: alternate {href}");
        codes.push(link.value().attr("hreflang").unwrap().to_string());
    }
    for a in doc.all(".dcr-languages__list a") {
        let href = a.value().attr("href").unwrap().to_string();
        assert!(exists_page(site, &href), "{rel}: switcher {href}");
    }
    codes
}

fn exists_page(site: &SiteTest, href: &str) -> bool {
    let path = href.trim_start_matches('/');
    site.exists(&format!("public/{path}index.html"))
}

#[test]
fn the_decred_contributors_in_three_languages() {
    let site = SiteTest::init("site");
    let Some(run) = import_shared_contributors(&site) else {
        return;
    };
    run.expect_success();
    let site = translate_contributors(site);
    assert!(
        !site.last().stderr.contains("warning"),
        "{}",
        site.last().stderr
    );
    for labels in [
        Labels {
            prefix: "",
            code: "en",
            development: "Development",
            all: "All",
            badge: "Contractor via Company Zero LLC",
        },
        Labels {
            prefix: "es/",
            code: "es",
            development: "Desarrollo",
            all: "Todos",
            badge: "Contratista a través de Company Zero LLC",
        },
        Labels {
            prefix: "de/",
            code: "de",
            development: "Entwicklung",
            all: "Alle",
            badge: "Auftragnehmer über Company Zero LLC",
        },
    ] {
        contributors_in_language(&site, &labels);
    }
    // The portraits are the real ones, once, beside the default language's pages.
    let portraits = std::fs::read_dir(site.join("public/contributors"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "svg"))
        .count();
    assert_eq!(portraits, 51);
    alternates_and_fallbacks(&site);
    // The sitemaps name the translations; check finds every link of every language.
    let sitemap = site.read("public/es/sitemap.xml");
    assert!(
        sitemap.contains(r#"hreflang="de" href="/de/contributors/""#),
        "{sitemap}"
    );
    site.run(["check"]).expect_success();
}

/// The imported contributors' site in English, Spanish and German: the section's index
/// translated in both, one person's page in Spanish; built.
fn translate_contributors(site: SiteTest) -> SiteTest {
    site.append("site.yaml", LANGUAGES)
        .file(
            "content/contributors/_index.es.md",
            "---\ntitle: Colaboradores\n---\n\nQuienes trabajan hoy en Decred.\n",
        )
        .file(
            "content/contributors/_index.de.md",
            "---\ntitle: Mitwirkende\n---\n\nWer heute an Decred arbeitet.\n",
        )
        .file(
            "content/contributors/dave-collins.es.md",
            "---\ntitle: Dave Collins\nrole: Desarrollador principal\n---\n",
        )
        .build()
}

/// What the contributors' pages say in one language, and where they are.
struct Labels {
    /// Where the language's pages are, under `public/`.
    prefix: &'static str,
    code: &'static str,
    /// The filter of the development team, and of everyone.
    development: &'static str,
    all: &'static str,
    /// Dave Collins' badge.
    badge: &'static str,
}

/// The grid of 51 people in the language of `l`, its filters and badges, a page per
/// person, and the language's search index.
fn contributors_in_language(site: &SiteTest, l: &Labels) {
    let (prefix, code) = (l.prefix, l.code);
    let grid = site.read(&format!("public/{prefix}contributors/index.html"));
    let doc = Doc::parse(&grid);
    assert_eq!(doc.count(r#"li[class="dcr-person"]"#), 51, "{code}");
    assert!(grid.contains(&format!("<html lang=\"{code}\"")), "{code}");
    assert!(
        grid.contains(&format!(">{} <span", l.development)),
        "{code}: filter"
    );
    assert!(
        grid.contains(&format!(">{} <span", l.all)),
        "{code}: filter"
    );
    assert!(grid.contains(l.badge), "{code}: badge");
    assert!(!grid.contains("avatar.svg"), "{code}: real portraits");
    let people = std::fs::read_dir(site.join(&format!("public/{prefix}contributors")))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .count();
    assert_eq!(people, 51, "{code}: a page per person");
    let index = site.read(&format!("public/{prefix}search-index.json"));
    assert!(
        index.contains(&format!("\"/{prefix}contributors/dave-collins/\"")),
        "{code}"
    );
    let person = site.read(&format!(
        "public/{prefix}contributors/josh-rickmar/index.html"
    ));
    assert!(person.contains(&format!("<html lang=\"{code}\"")), "{code}");
}

/// Alternates: the translated pages name each other; a fallback page only the default,
/// marked as a fallback with the default's page as canonical.
fn alternates_and_fallbacks(site: &SiteTest) {
    let mut codes = alternates_resolve(site, "public/es/contributors/index.html");
    codes.sort();
    assert_eq!(codes, ["de", "en", "es", "x-default"]);
    let codes = alternates_resolve(site, "public/de/contributors/dave-collins/index.html");
    assert_eq!(codes, ["en", "x-default", "es"]);
    let dave_es = site.read("public/es/contributors/dave-collins/index.html");
    assert!(
        dave_es.contains("Desarrollador principal"),
        "front matter override"
    );
    let josh_de = site.read("public/de/contributors/josh-rickmar/index.html");
    assert!(
        josh_de.contains("class=\"dcr-fallback\""),
        "marked as a fallback"
    );
    assert!(josh_de.contains(r#"<link rel="canonical" href="/contributors/josh-rickmar/">"#));
}

#[test]
fn translations_fallbacks_and_their_links() {
    let site = SiteTest::init("site")
        .append("site.yaml", LANGUAGES)
        .file(
            "content/guide/_index.es.md",
            "---\ntitle: Guía\nweight: 5\n---\n\nLee [la página](writing-pages.md) y [la otra](../only.md).\n",
        )
        .file("content/only.es.md", "---\ntitle: Solo en español\n---\n\nTexto.\n")
        .build();
    let stderr = &site.last().stderr;
    // A translation keeps its page's structure: `weight` is said to be ignored, at its line.
    assert!(
        stderr.contains(
            "content/guide/_index.es.md:3:9: warning: `weight` of a translation is ignored"
        ),
        "{stderr}"
    );
    let guide = site.doc("public/es/guide/index.html");
    let links: Vec<String> = guide
        .all(".dcr-content a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links, ["/es/guide/writing-pages/", "/es/only/"]);
    // The untranslated page is there in Spanish, in English words, marked.
    let page = site.read("public/es/guide/writing-pages/index.html");
    assert!(page.contains("class=\"dcr-fallback\""));
    assert!(page.contains("<html lang=\"es\""));
    // A page only in Spanish: not in the other languages; their switcher link is the home.
    assert!(site.exists("public/es/only/index.html"));
    assert!(!site.exists("public/only/index.html"));
    assert!(!site.exists("public/de/only/index.html"));
    alternates_resolve(&site, "public/es/only/index.html");
    for rel in ["public/index.html", "public/de/guide/index.html"] {
        alternates_resolve(&site, rel);
    }
    // check reports per language (each language has its own 404 page, counted).
    site.run(["check"])
        .expect_success()
        .expect_stdout_contains("(en 4 pages, es 5 pages, de 4 pages)");
    // The untranslated page is in the Spanish search index, marked as English words;
    // the translated ones are not marked.
    let index: serde_json::Value =
        serde_json::from_str(&site.read("public/es/search-index.json")).unwrap();
    let marks: Vec<(String, Option<String>)> = index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["u"].as_str().unwrap().to_string(),
                p["l"].as_str().map(String::from),
            )
        })
        .collect();
    assert!(
        marks.contains(&("/es/guide/writing-pages/".into(), Some("en".into()))),
        "{marks:?}"
    );
    assert!(marks.contains(&("/es/guide/".into(), None)), "{marks:?}");
    assert!(marks.contains(&("/es/only/".into(), None)), "{marks:?}");
    let default = site.read("public/search-index.json");
    assert!(
        !default.contains("\"l\":"),
        "the default language's index has no marks"
    );
}

#[test]
fn the_404_page_in_every_language() {
    let site = SiteTest::init("site")
        .append("site.yaml", LANGUAGES)
        .file(
            "content/guide/_index.es.md",
            "---\ntitle: Guía\n---\n\nTexto.\n",
        )
        .build();
    for (prefix, code, title, home) in [
        ("", "en", "Page not found", "/"),
        ("es/", "es", "Página no encontrada", "/es/"),
        ("de/", "de", "Seite nicht gefunden", "/de/"),
    ] {
        let doc = site.doc(&format!("public/{prefix}404.html"));
        assert!(
            doc.source().contains(&format!("<html lang=\"{code}\"")),
            "{code}"
        );
        assert_eq!(doc.text("h1.dcr-title"), title, "{code}");
        assert!(doc.one("title").inner_html().starts_with(title), "{code}");
        assert_eq!(doc.attr("a.dcr-button", "href"), home, "{code}");
        // The language's own navigation: its section titles, its URLs.
        let nav: Vec<String> = doc
            .all(".dcr-nav a")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert!(!nav.is_empty(), "{code}: navigation");
        assert!(nav.iter().all(|h| h.starts_with(home)), "{code}: {nav:?}");
    }
    assert!(site.doc("public/es/404.html").source().contains(">Guía<"));
    // serve answers a missing URL under /es/ with the Spanish page, elsewhere the default.
    let server = site.serve(&[]);
    for (url, title) in [
        ("/es/no/such/page/", "Página no encontrada"),
        ("/de/nope", "Seite nicht gefunden"),
        ("/no/such/page/", "Page not found"),
        ("/esx/nope/", "Page not found"),
    ] {
        let missing = server.get(url);
        assert_eq!(missing.status, 404, "{url}");
        assert!(missing.text().contains(title), "{url}");
    }
}

#[test]
fn an_undeclared_language_suffix_is_a_warning_at_the_file() {
    let site = SiteTest::init("site")
        .append("site.yaml", LANGUAGES)
        .file(
            "content/guide/start.pt.md",
            "---\ntitle: Começar\n---\n\nTexto.\n",
        )
        .file(
            "content/guide/start.pt-BR.md",
            "---\ntitle: Começar\n---\n\nTexto.\n",
        )
        .file("content/v1.2.md", "---\ntitle: Version 1.2\n---\n\nText.\n")
        .file(
            "content/setup.old.md",
            "---\ntitle: Old setup\n---\n\nText.\n",
        )
        .build();
    let stderr = &site.last().stderr;
    for (file, code) in [("start.pt.md", "pt"), ("start.pt-BR.md", "pt-BR")] {
        let line = format!("content/guide/{file}: warning: `{file}` has the language suffix `{code}`, which is not one of the site's languages (en, es, de)");
        assert_eq!(
            stderr.matches(&line).count(),
            1,
            "once, not per language: {stderr}"
        );
        assert!(
            stderr.contains(&format!("add `{code}` to `languages:`")),
            "{stderr}"
        );
    }
    assert_eq!(stderr.matches("language suffix").count(), 2, "{stderr}");
    // Still built (a warning, not an error), as the ordinary pages they are.
    assert!(site.exists("public/guide/start.pt/index.html"));
    assert!(site.exists("public/v1.2/index.html"));
    // Declared, the same file is a translation and nothing is said.
    let site = site
        .remove("content/guide/start.pt-BR.md")
        .append("site.yaml", "  - {code: pt, name: Português}\n")
        .build();
    assert!(
        !site.last().stderr.contains("language suffix"),
        "{}",
        site.last().stderr
    );
    assert!(site.exists("public/pt/guide/start/index.html"));
}
