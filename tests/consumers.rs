//! Real consumers read every output of the fixtures: pdflatex with bibtex
//! and with biber compile the `.bib` files, the official CSL schema
//! validates the CSL-JSON, and a CommonMark parser reads the Markdown.
//!
//! The TeX tools are looked up on PATH; without them these checks print
//! that they were skipped, unless `PUBCONV_REQUIRE_TOOLS=1` (set by
//! `.ci/run`) makes that a failure.

mod common;

use std::path::Path;
use std::process::Command;

use common::latex::{assert_clean_log, compile, tools_for, Processor};
use common::{clean_profile_fixtures, convert_fixture, output_fixtures, tool_available};
use pubconv::write::OutputFormat;

#[test]
fn bibtex_output_compiles_with_bibtex_and_biber() {
    for processor in [Processor::Bibtex, Processor::Biber] {
        if !tools_for(processor) {
            return;
        }
        for path in output_fixtures() {
            let bib = convert_fixture(&path, OutputFormat::Bibtex).output;
            let label = format!("{} as BibTeX, with {processor:?}", path.display());
            let log = compile(&bib, processor, &label);
            assert_clean_log(&log, processor, &label);
        }
    }
}

#[test]
fn ascii_bibtex_output_compiles_with_bibtex() {
    if !tools_for(Processor::Bibtex) {
        return;
    }
    for path in output_fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let mut conversion = common::convert_bytes(&name, bytes, OutputFormat::Bibtex);
        conversion.output = pubconv::tex::to_ascii(&conversion.output);
        assert!(
            conversion.output.is_ascii(),
            "{name}: --ascii output is ASCII"
        );
        let label = format!("{name} as ASCII BibTeX, with bibtex");
        let log = compile(&conversion.output, Processor::Bibtex, &label);
        assert_clean_log(&log, Processor::Bibtex, &label);
    }
}

#[test]
fn biblatex_output_compiles_with_biber() {
    if !tools_for(Processor::Biber) {
        return;
    }
    for path in output_fixtures() {
        let bib = convert_fixture(&path, OutputFormat::Biblatex).output;
        let label = format!("{} as BibLaTeX, with biber", path.display());
        let log = compile(&bib, Processor::Biber, &label);
        assert_clean_log(&log, Processor::Biber, &label);
    }
}

#[test]
fn csl_json_output_is_valid_against_the_csl_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/csl-data.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the CSL schema compiles");
    let mut fixtures = output_fixtures();
    fixtures.push(common::fixture("profile/broken.txt"));
    for path in fixtures {
        let json = convert_fixture(&path, OutputFormat::CslJson).output;
        let items: serde_json::Value = serde_json::from_str(&json).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&items)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert!(!items.as_array().unwrap().is_empty());
    }
}

/// pandoc's citeproc renders every fixture's CSL-JSON in every CSL style of
/// the shared corpus without a warning.
#[test]
fn csl_json_output_renders_with_pandoc_citeproc() {
    let Some(styles) = common::corpus("csl-styles") else {
        return;
    };
    if !tool_available("pandoc") {
        return;
    }
    let mut styles: Vec<_> = std::fs::read_dir(&styles)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    styles.sort();
    let directory = tempfile::tempdir().unwrap();
    for path in output_fixtures() {
        let json = convert_fixture(&path, OutputFormat::CslJson).output;
        let items = directory.path().join("items.json");
        std::fs::write(&items, &json).unwrap();
        let document = directory.path().join("doc.md");
        std::fs::write(&document, "---\nnocite: \"[@*]\"\n---\n").unwrap();
        for style in &styles {
            let output = Command::new("pandoc")
                .arg(&document)
                .args(["--citeproc", "-t", "plain", "--bibliography"])
                .arg(&items)
                .arg("--csl")
                .arg(style)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let label = format!("{} in {}", path.display(), style.display());
            assert!(output.status.success(), "{label}: pandoc failed: {stderr}");
            assert!(stderr.trim().is_empty(), "{label}: pandoc warned: {stderr}");
            let rendered = String::from_utf8_lossy(&output.stdout);
            let items: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
            let first_title = items[0]["title"].as_str().unwrap_or_default();
            let first_word = first_title.split_whitespace().next().unwrap_or_default();
            assert!(
                rendered.contains(first_word),
                "{label}: `{first_word}` not rendered:\n{rendered}"
            );
        }
    }
}

/// The plain text of each list item, as a CommonMark reader sees it.
fn list_items(markdown: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut items = Vec::new();
    let mut headings = Vec::new();
    let mut current: Option<String> = None;
    let mut heading: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Item) => current = Some(String::new()),
            Event::End(TagEnd::Item) => items.extend(current.take()),
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Start(Tag::List(Some(_)) | Tag::List(None)) if current.is_some() => {
                panic!("a list nested inside an item:\n{markdown}")
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(buffer) = current.as_mut().or(heading.as_mut()) {
                    buffer.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("raw HTML `{html}` in:\n{markdown}")
            }
            _ => {}
        }
    }
    (headings, items)
}

#[test]
fn markdown_output_reads_back_as_written() {
    for path in clean_profile_fixtures() {
        let conversion = convert_fixture(&path, OutputFormat::Markdown);
        let (headings, items) = list_items(&conversion.output);
        assert_eq!(items.len(), conversion.written, "{}", path.display());
        assert_eq!(headings[0], "Publications");
        let years: Vec<i32> = headings[1..].iter().map(|h| h.parse().unwrap()).collect();
        assert!(
            years.windows(2).all(|pair| pair[0] > pair[1]),
            "newest first: {years:?}"
        );
    }
    let (_, items) = list_items(
        &convert_fixture(
            &common::fixture("profile/variations.txt"),
            OutputFormat::Markdown,
        )
        .output,
    );
    assert_eq!(
        items[0],
        "Jean-Luc Picard, José Ñúñez, Ludwig van Beethoven. Self-Attention_in <HTML> & [Brackets]: 2. A *Marked* Title. arXiv preprint (cs.CL), January 2, 2026."
    );
    assert_eq!(
        items[1],
        "Zoë Kovács-Müller. Sharp Bounds for ℓ₁-Regularised Learning & the 50% Rule. arXiv preprint (cs.LG), December 30, 2025."
    );
}
