//! The Markdown CV section with each option, on the reference dump and on
//! a BibTeX CV (`fixtures/bibtex/cv.bib`: journal, conference, thesis,
//! book and preprint, accented names, an owner hidden behind "and
//! others"). Each output is a reviewed snapshot and is read back by a
//! CommonMark parser, which must find only headings and list items with no
//! raw HTML.

mod common;

use pubconv::convert::{convert, Input, Request};
use pubconv::read::ReadOptions;
use pubconv::write::markdown::{GroupBy, Kind, Numbering, Options, Order};
use pubconv::write::OutputFormat;

fn markdown(fixture: &str, options: Options) -> String {
    let path = common::fixture(fixture);
    let input = Input {
        name: fixture.to_owned(),
        path: Some(path.clone()),
        bytes: std::fs::read(path).unwrap(),
    };
    let request = Request {
        from: None,
        to: OutputFormat::Markdown,
        read: ReadOptions {
            as_of: common::AS_OF.parse().unwrap(),
        },
        write: pubconv::write::Options {
            markdown: options,
            ..Default::default()
        },
        merge: true,
        lookup: Default::default(),
    };
    convert(&[input], &request).unwrap().output
}

/// The items and headings a CommonMark reader finds; no raw HTML, no list
/// inside an item.
fn read_back(markdown: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let (mut headings, mut items) = (Vec::new(), Vec::new());
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Item) => current = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            Event::End(TagEnd::Item) => items.extend(current.take()),
            Event::Start(Tag::List(_)) => {
                assert!(current.is_none(), "a list inside an item:\n{markdown}")
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(current) = current.as_mut() {
                    current.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => panic!("raw HTML `{html}`:\n{markdown}"),
            _ => {}
        }
    }
    (headings, items)
}

fn owner() -> Vec<String> {
    vec!["S. Lim".to_owned()]
}

/// Every option, each on its own, by a name for its snapshot.
fn variants() -> Vec<(&'static str, Options)> {
    let base = Options::default;
    vec![
        ("default", base()),
        (
            "group-by-type",
            Options {
                group_by: GroupBy::Type,
                ..base()
            },
        ),
        (
            "group-by-none",
            Options {
                group_by: GroupBy::None,
                ..base()
            },
        ),
        (
            "order-oldest",
            Options {
                order: Order::Oldest,
                ..base()
            },
        ),
        (
            "numbering-reverse",
            Options {
                numbering: Numbering::Reverse,
                ..base()
            },
        ),
        (
            "numbering-none",
            Options {
                numbering: Numbering::None,
                ..base()
            },
        ),
        (
            "since-until",
            Options {
                since: Some(2022),
                until: Some(2025),
                ..base()
            },
        ),
        (
            "type",
            Options {
                types: vec![Kind::Article, Kind::Preprint],
                ..base()
            },
        ),
        (
            "selected",
            Options {
                selected: vec![
                    "lim2019blind".into(),
                    "kovacs2021journal".into(),
                    "lim2024thesis".into(),
                ],
                ..base()
            },
        ),
        (
            "heading",
            Options {
                heading: "Selected *Papers* & Preprints".into(),
                ..base()
            },
        ),
        (
            "max-authors",
            Options {
                max_authors: Some(1),
                ..base()
            },
        ),
        (
            "highlight",
            Options {
                highlight: vec!["Kovacs-Muller, Zoe".into(), "Z. Kovács-Müller".into()],
                ..base()
            },
        ),
    ]
}

#[test]
fn every_option_on_the_reference_dump_and_a_bibtex_cv() {
    for (fixture, prefix) in [("profile/sungjun-lim.txt", "dump"), ("bibtex/cv.bib", "cv")] {
        for (name, mut options) in variants() {
            if prefix == "cv" && options.highlight.is_empty() {
                options.highlight = owner();
            }
            let output = markdown(fixture, options);
            let (headings, items) = read_back(&output);
            assert!(
                !headings.is_empty() && !items.is_empty(),
                "{prefix}-{name}:\n{output}"
            );
            assert!(
                !output.contains("\\emph") && !output.contains("{\\"),
                "no LaTeX left:\n{output}"
            );
            insta::assert_snapshot!(format!("{prefix}-{name}"), output);
        }
    }
}

#[test]
fn every_option_on_csl_json_input() {
    for (name, mut options) in variants() {
        if options.highlight.is_empty() {
            options.highlight = vec!["van Beethoven, L.".into()];
        }
        let output = markdown("csl/zotero.json", options);
        let (headings, items) = read_back(&output);
        assert!(!headings.is_empty(), "csl-{name}:\n{output}");
        if matches!(
            name,
            "default" | "group-by-none" | "numbering-none" | "highlight"
        ) {
            assert_eq!(items.len(), 5, "csl-{name}:\n{output}");
        }
    }
    let output = markdown(
        "csl/zotero.json",
        Options {
            highlight: vec!["L. Beethoven".into()],
            ..Options::default()
        },
    );
    assert!(output.contains("**Ludwig van Beethoven**"), "{output}");
    insta::assert_snapshot!("csl-default", output);
}

#[test]
fn the_owner_is_bold_in_any_spelling_and_never_hidden() {
    let output = markdown(
        "bibtex/cv.bib",
        Options {
            highlight: owner(),
            ..Options::default()
        },
    );
    let (_, items) = read_back(&output);
    assert!(
        output.contains("Zoë Kovács-Müller, **Sungjun Lim**."),
        "{output}"
    );
    assert!(
        output.contains("Taero Kim, Subeen Park, Yonghan Jung, et al. (incl. **Sungjun Lim**)."),
        "{output}"
    );
    assert_eq!(
        items.iter().filter(|item| item.contains("Lim")).count(),
        4,
        "all but Doe's book: {items:#?}"
    );
    let cut = markdown(
        "profile/sungjun-lim.txt",
        Options {
            max_authors: Some(1),
            ..Options::default()
        },
    );
    assert_eq!(
        cut.matches("Sungjun Lim").count(),
        10,
        "the owner is visible in every item:\n{cut}"
    );
}

#[test]
fn reverse_numbering_counts_down_across_groups() {
    let output = markdown(
        "profile/sungjun-lim.txt",
        Options {
            numbering: Numbering::Reverse,
            ..Options::default()
        },
    );
    let (_, items) = read_back(&output);
    let numbers: Vec<usize> = items
        .iter()
        .map(|item| {
            item.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, (1..=10).rev().collect::<Vec<_>>());
}

#[test]
fn items_read_back_as_the_data_says() {
    let output = markdown(
        "bibtex/cv.bib",
        Options {
            highlight: owner(),
            ..Options::default()
        },
    );
    let (headings, items) = read_back(&output);
    assert_eq!(
        headings,
        ["Publications", "2025", "2024", "2022", "2021", "2020"]
    );
    assert_eq!(
        items[3],
        "Zoë Kovács-Müller, Sungjun Lim. A Journal Paper on BERT Probing. Journal of Machine Learning Research 22(4), 1–30, 2021. doi:10.5555/jmlr.2021.1"
    );
    assert_eq!(
        items[1],
        "Sungjun Lim. Robust Learning under Distribution Shift. PhD thesis, Korea Advanced Institute of Science and Technology, 2024."
    );
}
