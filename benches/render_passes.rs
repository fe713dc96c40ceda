//! Micro-benchmarks of the hot paths: the Markdown render passes (one typical page, with
//! and without code) and link resolution, so regressions show up in `cargo bench`.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dcrsite::content::urls::ContentIndex;
use dcrsite::icons::IconSet;
use dcrsite::markdown::{render, Highlighter, LinkResolver, RenderOptions};

/// A documentation page like the benchmark corpus's: headings with icons, lists, a table,
/// links, and optionally two highlighted code blocks.
fn page(with_code: bool) -> String {
    let mut md = String::from(
        "# Setting up a wallet {icon=Code}\n\nIntro paragraph with *emphasis* and `code`.\n\n",
    );
    for i in 0..6 {
        md.push_str(&format!("## Section {i} {{icon=Code}}\n\n"));
        md.push_str("Some prose that explains a thing in a few sentences, with a [link](../other/page.md#section-2) and [another](sibling.md).\n\n");
        md.push_str("- first item\n- second item with **bold**\n- third\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n");
    }
    if with_code {
        md.push_str("```rust\nfn main() {\n    let x = vec![1, 2, 3];\n    println!(\"{:?}\", x.iter().map(|v| v * 2).collect::<Vec<_>>());\n}\n```\n\n");
        md.push_str("```bash\nfor f in *.md; do\n  echo \"$f\" | tr a-z A-Z\ndone\n```\n");
    }
    md
}

fn fixtures() -> (IconSet, ContentIndex) {
    let mut icons = BTreeMap::new();
    icons.insert("Code".to_string(), None);
    let icons = IconSet::from_parts(icons, "/img/icons", "dcr-icon", false);
    let mut index = ContentIndex::default();
    for i in 0..2000 {
        index.insert(
            format!("sec{}/page{i}.md", i % 20),
            format!("/sec{}/page{i}/", i % 20),
        );
    }
    index.insert("guide/other/page.md".into(), "/guide/other/page/".into());
    index.insert("guide/x/sibling.md".into(), "/guide/x/sibling/".into());
    (icons, index)
}

fn markdown(c: &mut Criterion) {
    let (icons, index) = fixtures();
    let highlighter = Highlighter::new();
    let opts = RenderOptions {
        source_path: "content/guide/x/page.md",
        content_path: "guide/x/page.md",
        line_offset: 4,
        icons: &icons,
        links: &index,
        highlighter: &highlighter,
        smart_punctuation: true,
        mkdocs: None,
    };
    let mut group = c.benchmark_group("markdown");
    for (name, with_code) in [("page_without_code", false), ("page_with_code", true)] {
        let text = page(with_code);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| render(black_box(&text), &opts)));
    }
    group.finish();
}

fn links(c: &mut Criterion) {
    let (_, index) = fixtures();
    c.bench_function("resolve_relative_link", |b| {
        b.iter(|| {
            index.resolve(
                black_box("guide/x/page.md"),
                black_box("../other/page.md#section-2"),
            )
        })
    });
    c.bench_function("resolve_broken_link", |b| {
        b.iter(|| index.resolve(black_box("guide/x/page.md"), black_box("missing/page")))
    });
}

criterion_group!(benches, markdown, links);
criterion_main!(benches);
