//! The fuzz harnesses: one `run` per target, fed arbitrary bytes. The fuzz targets
//! (`fuzz_targets/*.rs`) call them, and `tests/suite/fuzz_regressions.rs` in the
//! repository root includes this file to replay every crashing input ever found on each
//! `cargo test`. Nothing here panics on any input except a failed invariant check.

pub mod front_matter {
    //! Front matter: splitting a Markdown file and parsing its YAML, as `content::load` does
    //! for each page (BOM removed, YAML errors placed in the file, slug turned into a URL).

    use dcrsite::content::front_matter::{split, FrontMatter};
    use dcrsite::content::urls;

    pub fn run(data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let parts = match split(text) {
            Ok(parts) => parts,
            Err(d) => {
                let _ = d.to_string();
                return;
            }
        };
        // The parts are slices of the text, in order.
        assert!(text.ends_with(parts.body));
        if let Some(yaml) = parts.yaml {
            assert!(text.len() >= yaml.len() + parts.body.len());
        }
        let Some(yaml) = parts.yaml else { return };
        match dcrsite::yaml::parse::<FrontMatter>(yaml, "content/fuzz.md", parts.yaml_line_offset) {
            Ok(front) => {
                for key in ["title", "slug", "weight", "icon"] {
                    let _ = dcrsite::yaml::key_position(yaml, key);
                }
                let slug = front.slug.as_deref();
                for path in ["fuzz.md", "a/fuzz.md", "a/_index.md", "_index.md"] {
                    let _ = urls::dir_url(&urls::page_dir(path, slug));
                }
            }
            Err(d) => {
                let _ = d.to_string();
            }
        }
    }
}

pub mod markdown {
    //! The Markdown render passes: heading ids and the table of contents, `{icon=…}` icons,
    //! relative link rewriting against the content index, alerts, code highlighting.
    //!
    //! The first byte chooses options (inlined icons, smart punctuation, the linking file);
    //! the rest is the Markdown body.

    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use dcrsite::content::urls::ContentIndex;
    use dcrsite::icons::IconSet;
    use dcrsite::markdown::mkdocs::{BlockKind, BlockType, Dialect, Extensions, GenericBlocks};
    use dcrsite::markdown::slugs::{Case, Normalize, Slugify, TocIds};
    use dcrsite::markdown::{render, Highlighter, RenderOptions, TocEntry};

    struct Fixtures {
        icons_img: IconSet,
        icons_inline: IconSet,
        index: ContentIndex,
        highlighter: Highlighter,
        /// The MkDocs dialect with every extension on, snippets read from a folder
        /// holding one plain snippet and one that includes itself.
        dialect: Dialect,
        dialect_unicode_ids: Dialect,
    }

    fn mkdocs_dialect() -> Dialect {
        // One fixed folder: every process writes the same two files into it.
        let root = std::env::temp_dir().join("dcrsite-fuzz-snippets");
        let _ = std::fs::create_dir_all(root.join("s"));
        let _ = std::fs::write(
            root.join("s/a.md"),
            "!!! note \"{{ v }}\"\n    from a snippet [x](guide.md)\n",
        );
        let _ = std::fs::write(root.join("s/self.md"), "--8<-- \"self.md\"\n");
        Dialect {
            enabled: true,
            admonition: true,
            details: true,
            tabbed: true,
            attr_list: true,
            tilde: true,
            caret: true,
            math: true,
            emoji: true,
            snippets: true,
            snippet_check_paths: true,
            snippet_base: vec!["s".to_string()],
            toc_permalink: true,
            toc_ids: TocIds::default(),
            variables: serde_json::json!({"v": "1.2", "n": {"m": 3}}),
            root,
            generated: dcrsite::markdown::mkdocs::generated::Generators {
                mkdocstrings: true,
                click: true,
                pages: None,
            },
            // pymdownx.highlight's structure, with superfences' options read.
            code: dcrsite::markdown::mkdocs::code::CodeOptions {
                highlight: true,
                superfences: true,
                ..Default::default()
            },
            blocks: all_blocks(),
            ..Dialect::default()
        }
    }

    /// Every block extension, `pymdownx.blocks.*` included.
    fn all_blocks() -> Extensions {
        let kinds = [
            ("admonition", BlockKind::Admonition),
            ("note", BlockKind::Admonition),
            ("details", BlockKind::Details),
            ("tab", BlockKind::Tab),
            ("html", BlockKind::Html),
            ("define", BlockKind::Definition),
        ];
        let types = kinds
            .into_iter()
            .map(|(name, kind)| BlockType {
                name: name.to_string(),
                kind,
                class: None,
                title: None,
            })
            .collect();
        Extensions {
            def_list: true,
            abbr: true,
            abbr_glossary: vec![("HTML".to_string(), "Hyper Text".to_string())],
            tables_align_attribute: true,
            md_in_html: true,
            saneheaders: false,
            sane_lists: false,
            tabbed_alternate: true,
            snippet_auto_append: vec!["a.md".to_string()],
            separate_quotes: false,
            generic: GenericBlocks {
                types,
                tab_alternate: true,
                html_custom: vec![("custom".to_string(), "block".to_string())],
            },
        }
    }

    fn fixtures() -> &'static Fixtures {
        static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
        FIXTURES.get_or_init(|| {
            let names = ["Code", "Introductions", "Wallet", "a b", "<x>"];
            let img: BTreeMap<String, Option<String>> =
                names.iter().map(|n| (n.to_string(), None)).collect();
            let inline: BTreeMap<String, Option<String>> = names
                .iter()
                .map(|n| {
                    let svg =
                        r#"<?xml version="1.0"?><svg viewBox="0 0 1 1"><path d="M0 0"/></svg>"#;
                    (n.to_string(), Some(svg.to_string()))
                })
                .collect();
            let mut index = ContentIndex::default();
            for (path, url) in [
                ("_index.md", "/"),
                ("guide.md", "/guide/"),
                ("a/_index.md", "/a/"),
                ("a/b.md", "/a/b/"),
                ("a/img/x y.png", "/a/img/x%20y.png"),
                ("café/index.md", "/caf%C3%A9/"),
            ] {
                index.insert(path.to_string(), url.to_string());
            }
            Fixtures {
                icons_img: IconSet::from_parts(img, "/img/icons/", "dcr-icon", false),
                icons_inline: IconSet::from_parts(inline, "/img/icons", "dcr-icon", true),
                index,
                highlighter: Highlighter::new(),
                dialect: mkdocs_dialect(),
                dialect_unicode_ids: Dialect {
                    toc_ids: TocIds {
                        slugify: Slugify::Pymdownx {
                            case: Case::Fold,
                            percent_encode: true,
                            normalize: Normalize::Nfkd,
                        },
                        separator: "_".to_string(),
                    },
                    ..mkdocs_dialect()
                },
            }
        })
    }

    fn check_toc(entries: &[TocEntry], depth: usize) {
        assert!(depth < 16, "the TOC nests deeper than heading levels allow");
        for e in entries {
            assert!((1..=6).contains(&e.level));
            check_toc(&e.children, depth + 1);
        }
    }

    pub fn run(data: &[u8]) {
        let Some((&flags, rest)) = data.split_first() else {
            return;
        };
        let f = fixtures();
        let markdown = String::from_utf8_lossy(rest);
        let (source_path, content_path) = if flags & 4 == 0 {
            ("content/a/b.md", "a/b.md")
        } else {
            ("content/guide.md", "guide.md")
        };
        // Bit 7: the MkDocs dialect (bit 1 then picks the heading-id function instead of
        // smart punctuation); bits 3–6: lines before the body.
        let line_offset = usize::from((flags >> 3) & 0xF);
        let dialect = match (flags & 0x80 != 0, flags & 2 != 0) {
            (false, _) => None,
            (true, false) => Some(&f.dialect),
            (true, true) => Some(&f.dialect_unicode_ids),
        };
        let opts = RenderOptions {
            source_path,
            content_path,
            line_offset,
            icons: if flags & 1 == 0 {
                &f.icons_img
            } else {
                &f.icons_inline
            },
            links: &f.index,
            highlighter: &f.highlighter,
            smart_punctuation: flags & 2 != 0,
            mkdocs: dialect,
        };
        let out = render(&markdown, &opts);
        check_toc(&out.toc, 0);
        for d in &out.diagnostics {
            let _ = d.to_string();
        }
        let lines = markdown.lines().count() + line_offset + 1;
        for link in &out.links {
            assert!(link.line >= 1 && link.line <= lines + 1, "{link:?}");
        }
    }
}

pub mod check_links {
    //! The checker's HTML side: extracting links, anchors and `<base href>` from a document
    //! (lol_html), resolving each link as a browser and a static host would, checking
    //! fragments, and pairing HTML links with Markdown link records (provenance).
    //!
    //! The first byte chooses the base path, the site URL and the page's own file name; the
    //! rest is the HTML document.

    use std::collections::{HashMap, HashSet};

    use dcrsite::check::extract::{self, decode_entities, refresh_target, srcset_urls};
    use dcrsite::check::fragment;
    use dcrsite::check::provenance::align;
    use dcrsite::check::resolve::{self, Resolved, Site};
    use dcrsite::markdown::LinkRecord;
    use url::Url;

    const FILES: &[&str] = &[
        "index.html",
        "a/index.html",
        "a/b c.png",
        "café/index.html",
        "x.html",
        "docs/index.html",
        "img/logo.svg",
    ];

    pub fn run(data: &[u8]) {
        let Some((&flags, html)) = data.split_first() else {
            return;
        };
        let page = match flags & 3 {
            0 => "index.html",
            1 => "a/index.html",
            2 => "café/index.html",
            _ => "x.html",
        };
        let base_path = if flags & 4 == 0 { "/" } else { "/docs/" };
        let base_url = match (flags >> 3) & 3 {
            0 => None,
            1 => Url::parse("https://example.org/").ok(),
            2 => Url::parse("https://example.org/docs/").ok(),
            _ => Url::parse("http://127.0.0.1:8080/docs/").ok(),
        };

        // Anchors only, as for external pages.
        let _ = extract::parse(html, false);
        let Ok(doc) = extract::parse(html, true) else {
            return;
        };
        let mut files: HashSet<String> = FILES.iter().map(|f| f.to_string()).collect();
        files.insert(page.to_string());
        let mut anchors = HashMap::new();
        anchors.insert(page.to_string(), doc.anchors.clone());
        anchors.insert("a/index.html".to_string(), doc.anchors.clone());
        let site = Site {
            files: &files,
            base_path: base_path.to_string(),
            base_url,
            unbuilt: resolve::Unbuilt {
                versioned: true,
                pages_by: None,
            },
        };
        let base = site.document_base(page, &doc);
        for link in &doc.links {
            assert!(link.line >= 1 && link.column >= 1, "{link:?}");
            match site.resolve(&base, &link.url) {
                Resolved::Broken { kind, cause } => {
                    let _ = (kind.as_str(), cause.to_string());
                }
                Resolved::External(url) => {
                    let _ = url.as_str();
                }
                Resolved::Fragment(target) => {
                    let _ = target.verdict(anchors.get(&target.file), doc.generated.as_deref());
                }
                Resolved::Skip | Resolved::Ok => {}
            }
            let _ = resolve::kind_of_path(&link.url);
            let _ = resolve::decode(&link.raw);
        }
        for anchor in &doc.anchors {
            let found = fragment::find(anchor, Some(&doc.anchors), &fragment::BROWSER);
            assert_eq!(found, fragment::Found::Yes);
        }

        // Markdown records for every other link, as if written in content.
        let records: Vec<LinkRecord> = doc
            .links
            .iter()
            .step_by(2)
            .map(|l| LinkRecord {
                target: l.raw.clone(),
                written: l.raw.clone(),
                line: l.line,
                column: l.column,
                is_image: false,
            })
            .collect();
        let pairs = align(&doc.links, &records, base_path);
        assert_eq!(pairs.len(), doc.links.len());
        let mut last = None;
        for r in pairs.into_iter().flatten() {
            assert!(r < records.len());
            assert!(last.is_none_or(|l| r > l), "records are matched in order");
            last = Some(r);
        }

        // The attribute-level helpers on the raw text.
        let text = String::from_utf8_lossy(html);
        let _ = srcset_urls(&text);
        let _ = refresh_target(&text);
        let _ = decode_entities(&text);
    }
}
