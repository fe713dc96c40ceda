//! Builds with material from `../shared` (read at test time, never copied into the repo):
//! the seed page as MkDocs users wrote it, and the contributors page with real portraits.
//! Each test skips, with a message, where `../shared` is absent.

use crate::common::*;

#[test]
fn seed_page_builds_with_raw_icons_and_its_dead_link_warned() {
    let Some(shared) = shared_dir() else { return };
    let seed = read(&shared.join("seed/contributing.md"));
    let site = SiteTest::repo_without_content()
        .file("content/contributing.md", &seed)
        .build();
    let run = site.last();
    let html = site.read("public/contributing/index.html");
    assert!(
        html.contains("<title>Contributing to Decred ·"),
        "title from the first heading, words only"
    );
    assert!(
        html.contains(r#"<h1 class="dcr-title"><img class="dcr-icon" src="/img/dcr-icons/Code.svg" /> Contributing to Decred</h1>"#),
        "raw icon markup intact in the title"
    );
    assert!(html.contains(r#"<img class="dcr-icon" src="/img/dcr-icons/Introductions.svg" /> Becoming a paid Contractor"#));
    for icon in ["Code", "Introductions"] {
        assert!(
            site.join(&format!("public/img/dcr-icons/{icon}.svg"))
                .is_file(),
            "our icon set has {icon}"
        );
    }
    // The warning names the line and column where the dead link is written.
    let (line, column) = seed
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("[Contributor Compensation](advanced/contributor-compensation)")
                .map(|c| (i + 1, c + 1))
        })
        .expect("the seed has the dead link");
    let expected = format!("content/contributing.md:{line}:{column}: warning: broken link `advanced/contributor-compensation`");
    assert!(
        run.stderr.contains(&expected),
        "missing `{expected}` in:\n{}",
        run.stderr
    );
}

#[test]
fn contributors_page_with_real_portraits() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpora/decred-contributors");
    let people: Vec<serde_yaml::Value> =
        serde_yaml::from_str(&read(&corpus.join("people.yml"))).unwrap();
    let site = SiteTest::repo_without_content()
        .file(
            "content/contributors/_index.md",
            "---\ntitle: Contributors\nicon: Contributors\ntemplate: contributors.html\n---\n",
        )
        .file("content/_index.md", "# Home\n");
    let dir = site.join("content/contributors");
    let mut names = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let name = person["name"].as_str().unwrap();
        let portrait = person["avatar_image"].as_str().unwrap();
        std::fs::copy(corpus.join("portraits").join(portrait), dir.join(portrait)).unwrap();
        let group = person["group"].as_str().unwrap();
        let role = person["title"].as_str().unwrap_or("Contributor");
        let page = format!(
            "---\ntitle: {}\nrole: {}\ngroup: {group}\nportrait: {portrait}\n---\n",
            serde_json::to_string(name).unwrap(),
            serde_json::to_string(role).unwrap()
        );
        std::fs::write(dir.join(format!("person-{i}.md")), page).unwrap();
        names.push((name.to_string(), portrait.to_string()));
    }
    let site = site.build();
    let html = site.read("public/contributors/index.html");
    assert_eq!(
        Doc::parse(&html).count(r#"li[class="dcr-person"]"#),
        people.len()
    );
    for (name, portrait) in &names {
        let escaped = name
            .replace('&', "&amp;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;");
        let img = format!(r#"src="/contributors/{portrait}" alt="{escaped}""#);
        assert!(html.contains(&img), "missing portrait {img}");
        assert!(site.join("public/contributors").join(portrait).is_file());
    }
    assert!(
        !html.contains("avatar.svg"),
        "nobody needs a generated avatar"
    );
}

#[test]
fn bundled_site_lists_every_contributor_of_people_yml() {
    let Some(shared) = shared_dir() else { return };
    let people: Vec<serde_yaml::Value> = serde_yaml::from_str(&read(
        &shared.join("corpora/decred-contributors/people.yml"),
    ))
    .unwrap();
    let html = SiteTest::repo()
        .build_to_temp(&[])
        .read("contributors/index.html");
    assert_eq!(
        Doc::parse(&html).count(r#"li[class="dcr-person"]"#),
        people.len()
    );
    for person in &people {
        let name = person["name"].as_str().unwrap().replace('\'', "&#39;");
        assert!(
            html.contains(&format!(r#"alt="{name}""#)),
            "{name} is on the page"
        );
    }
}
