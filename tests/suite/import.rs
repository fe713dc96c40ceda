//! `dcrsite import contributors`: Hugo's people.yml and companies.yml as a contributors
//! section. The real data is read from `../shared` at test time (skipped, with a message,
//! where it is absent); the error cases use small files of their own.

use crate::common::*;

/// `dcrsite import contributors` on the corpus' files into `site`'s contributors folder.
pub fn import_shared_contributors(site: &SiteTest) -> Option<Run> {
    let corpus = shared_dir()?.join("corpora/decred-contributors");
    let path = |p: &str| corpus.join(p).to_str().unwrap().to_string();
    let into = site.join("content/contributors");
    Some(dcrsite(&[
        "import",
        "contributors",
        &path("people.yml"),
        "--companies",
        &path("companies.yml"),
        "--portraits",
        &path("portraits"),
        "--into",
        into.to_str().unwrap(),
    ]))
}

#[test]
fn the_real_people_yml_becomes_a_contributors_section_once() {
    let site = SiteTest::init("site");
    let Some(run) = import_shared_contributors(&site) else {
        return;
    };
    run.expect_success()
        .expect_stdout_contains("Imported 51 people")
        .expect_stdout_contains("Added companies to");
    let site = site.build();
    let html = site.read("public/contributors/index.html");
    let doc = Doc::parse(&html);
    assert_eq!(doc.count(r#"li[class="dcr-person"]"#), 51);
    assert!(!html.contains("avatar.svg"), "every portrait was found");
    assert!(site.exists("public/contributors/dave-collins.svg"));
    assert!(site.exists("public/img/companies/team_company_zero.svg"));
    site.run(["check"]).expect_success();
    // Again: nothing written, nothing kept, the same site.
    let again = import_shared_contributors(&site).unwrap();
    again
        .expect_success()
        .expect_stdout_contains("0 files written, 102 unchanged, 0 kept")
        .expect_stdout_contains("declares every company already");
}

#[test]
fn changed_pages_are_kept_unless_forced_and_bad_entries_named_by_line() {
    let site = SiteTest::init("site")
        .file(
            "hugo/people.yml",
            "-\n  name: Ann Lee\n  group: design\n-\n  name: Bo\n  group: desgin\n",
        )
        .file("content/contributors/ann-lee.md", "---\ntitle: Mine\n---\n");
    let people = site.join("hugo/people.yml");
    let into = site.join("content/contributors");
    let args = [
        "import",
        "contributors",
        people.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ];
    let run = dcrsite(&args);
    run.expect_code(1)
        .expect_stderr_contains("people.yml:6:10: error: unknown group `desgin`")
        .expect_stderr_contains("did you mean `design`?")
        .expect_stderr_contains("ann-lee.md: warning: already exists with other contents: kept");
    assert_eq!(
        site.read("content/contributors/ann-lee.md"),
        "---\ntitle: Mine\n---\n"
    );
    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    dcrsite(&forced).expect_code(1);
    assert!(site
        .read("content/contributors/ann-lee.md")
        .contains("group: design"));
}
