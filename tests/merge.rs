//! Several inputs of mixed formats combine into one library, and the same
//! work read twice merges: the reference dump with a BibTeX file that holds
//! one of its papers as the conference paper it became.

mod common;

use pubconv::write::OutputFormat;
use serde_json::Value;

fn combined(merge: bool) -> (Vec<Value>, pubconv::convert::Conversion) {
    let conversion = common::convert_fixtures(
        &["profile/sungjun-lim.txt", "bibtex/lim-cvpr.bib"],
        OutputFormat::CslJson,
        merge,
    );
    (
        serde_json::from_str(&conversion.output).unwrap(),
        conversion,
    )
}

#[test]
fn the_dump_and_the_conference_paper_become_one_work() {
    let (items, conversion) = combined(true);
    assert_eq!(items.len(), 10);
    let paper = items
        .iter()
        .find(|item| item["title"] == "Sufficient Invariant Learning for Distribution Shift")
        .unwrap();
    assert_eq!(
        paper["type"], "paper-conference",
        "the venue from BibTeX beats the arXiv category"
    );
    assert_eq!(paper["id"], "kim2025sufficient");
    assert_eq!(
        paper["author"].as_array().map(Vec::len),
        Some(6),
        "the full author list replaces the truncated one"
    );
    assert!(paper["custom"].get("authors-truncated").is_none());
    assert_eq!(paper["issued"]["date-parts"], serde_json::json!([[2025]]));
    assert_eq!(
        paper["submitted"]["date-parts"],
        serde_json::json!([[2022, 10, 24]]),
        "the dump's date is the preprint date"
    );
    assert!(
        paper["abstract"]
            .as_str()
            .unwrap()
            .starts_with("Learning robust models"),
        "the dump's abstract fills the gap"
    );
    assert_eq!(paper["categories"], serde_json::json!(["cs.LG"]));
    let note = conversion
        .diagnostics
        .iter()
        .find(|d| d.code == "merge::duplicate")
        .expect("the merge is reported");
    assert!(note.message.contains("same title"), "{}", note.message);
    assert_eq!(conversion.exit_status(), 0);
}

#[test]
fn no_merge_keeps_both() {
    let (items, conversion) = combined(false);
    assert_eq!(items.len(), 11);
    assert!(conversion
        .diagnostics
        .iter()
        .all(|d| d.code != "merge::duplicate"));
}
