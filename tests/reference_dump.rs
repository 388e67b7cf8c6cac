//! The reference profile dump in every output format, as snapshots each
//! read and accepted by hand, plus the facts a snapshot could hide.

mod common;

use common::{convert_fixture, fixture};
use pubconv::write::OutputFormat;

fn reference(to: OutputFormat) -> String {
    let conversion = convert_fixture(&fixture("profile/sungjun-lim.txt"), to);
    assert_eq!(conversion.written, 10, "the reference dump has 10 papers");
    assert_eq!(conversion.skipped, 0);
    assert_eq!(conversion.exit_status(), 0);
    conversion.output
}

#[test]
fn reference_as_bibtex() {
    let output = reference(OutputFormat::Bibtex);
    assert_eq!(output.matches("\n@misc{").count() + 1, 10);
    assert!(output.contains("@misc{kim2022sufficient,"));
    insta::assert_snapshot!("reference.bib", output);
}

#[test]
fn reference_as_biblatex() {
    let output = reference(OutputFormat::Biblatex);
    assert_eq!(output.matches("@online{").count(), 10);
    insta::assert_snapshot!("reference.biblatex.bib", output);
}

#[test]
fn reference_as_csl_json() {
    let output = reference(OutputFormat::CslJson);
    let items: serde_json::Value = serde_json::from_str(&output).expect("valid JSON");
    assert_eq!(items.as_array().map(Vec::len), Some(10));
    insta::assert_snapshot!("reference.csl.json", output);
}

#[test]
fn reference_as_markdown() {
    let output = reference(OutputFormat::Markdown);
    assert!(output.starts_with("## Publications\n"));
    insta::assert_snapshot!("reference.md", output);
}

#[test]
fn the_yearless_date_follows_as_of() {
    let conversion = convert_fixture(&fixture("profile/sungjun-lim.txt"), OutputFormat::Biblatex);
    assert!(conversion.output.contains("date = {2026-05-21}"));
    let note = conversion
        .diagnostics
        .iter()
        .find(|d| d.code == "profile::yearless-date")
        .expect("the resolved date is reported");
    assert_eq!((note.line, note.column), (19, 7));
    assert!(note.message.contains("2026-05-21"), "{}", note.message);
}
