//! pandoc's own BibLaTeX/BibTeX → CSL test cases (`../shared/corpus/pandoc/`),
//! compared field by field with pubconv's CSL-JSON.
//!
//! Every field of pandoc's expected output is classified as agreeing, as an
//! intended difference (listed in [`intended_difference`], the one place
//! they are decided), or as differing. The test prints the counts and the
//! differing fields, and fails if fewer cases agree than last measured.
//! It is skipped, saying so, where the shared corpus is absent.

mod common;

use std::path::{Path, PathBuf};

use common::compare::{compare_case, yaml_to_json, Tally};

use serde_json::Value;

/// Cases whose every field agrees or differs only as intended; raise it as
/// pubconv improves.
const AGREEING_CASES_AT_LEAST: usize = 127;

fn corpus() -> Option<PathBuf> {
    common::corpus("pandoc")
}

/// Why pubconv deliberately writes a field differently from pandoc.
fn intended_difference(field: &str, expected: &str, ours: &str) -> Option<&'static str> {
    const CASED: &[&str] = &[
        "title",
        "title-short",
        "collection-title",
        "volume-title",
        "container-title",
        "event-title",
        "original-title",
    ];
    if CASED.contains(&field) && expected.to_lowercase() == ours.to_lowercase() {
        return Some("pandoc sentence-cases titles; pubconv keeps them as written");
    }
    if field == "title-short" && ours == "∅" {
        return Some("pandoc derives a short title from the title's colon; pubconv writes only one the source gave");
    }
    if field == "type" && expected.is_empty() && ours == "document" {
        return Some("pandoc leaves @misc untyped; pubconv writes CSL's `document`");
    }
    if field == "publisher" && expected.replace("; ", " and ") == ours {
        return Some(
            "pubconv joins a BibLaTeX list of publishers with \"and\", as biblatex prints it; pandoc with \"; \"",
        );
    }
    if field == "title" && expected.contains('$') && !ours.contains('$') {
        return Some("pubconv writes simple math as Unicode; pandoc keeps TeX");
    }
    None
}

#[test]
fn pandoc_biblatex_to_csl_cases() {
    let Some(corpus) = corpus() else {
        return;
    };
    let cases = std::fs::read_to_string(corpus.join("cases.tsv")).unwrap();
    let mut tally = Tally::default();
    for row in cases.lines().skip(1) {
        let columns: Vec<&str> = row.split('\t').collect();
        let [input, expected, from, to, ..] = columns[..] else {
            continue;
        };
        if !matches!(from, "biblatex" | "bibtex") || !matches!(to, "csl-yaml" | "csl-json") {
            continue;
        }
        let expected_items = expected_items(&corpus.join(expected), to);
        let ours = our_items(&corpus.join(input));
        compare_case(
            input,
            &expected_items,
            to == "csl-yaml",
            &ours,
            intended_difference,
            &mut tally,
        );
    }
    tally.print("pandoc");
    assert!(
        tally.cases >= 130,
        "the corpus lists the BibLaTeX → CSL cases"
    );
    assert!(
        tally.agreeing_cases >= AGREEING_CASES_AT_LEAST,
        "fewer pandoc cases agree than before: {}",
        tally.agreeing_cases
    );
}

/// `markdown`: the expected strings are pandoc Markdown (the YAML cases),
/// not CSL's HTML-like markup.
fn our_items(bib: &Path) -> Vec<Value> {
    common::bibtex_to_csl_items(&bib.display().to_string(), std::fs::read(bib).unwrap())
}

fn expected_items(path: &Path, format: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    if format == "csl-json" {
        return serde_json::from_str(&text).unwrap();
    }
    let documents = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let json = yaml_to_json(&documents[0]);
    json["references"].as_array().cloned().unwrap_or_default()
}
