//! citation-js's BibTeX/BibLaTeX → CSL mapping cases
//! (`../shared/corpus/citation-js/`), compared field by field with
//! pubconv's CSL-JSON the same way as pandoc's cases. citation-js makes
//! choices of its own where pandoc and biblatex disagree with it; pubconv
//! follows biblatex and pandoc there, and [`intended_difference`] lists
//! each such place. Skipped, saying so, where the corpus is absent.

mod common;

use std::path::PathBuf;

use common::compare::{compare_case, Tally};
use serde_json::Value;

/// Cases whose every field agrees or differs only as intended.
const AGREEING_CASES_AT_LEAST: usize = 76;

fn corpus() -> Option<PathBuf> {
    common::corpus("citation-js")
}

/// Where pubconv follows biblatex and pandoc rather than citation-js.
fn intended_difference(field: &str, expected: &str, ours: &str) -> Option<&'static str> {
    let types = [
        ("book", "pamphlet"),
        ("report", "book"),
        ("entry", "entry-encyclopedia"),
        ("periodical", "article-journal"),
    ];
    let reason = match field {
        "type" if types.contains(&(expected, ours)) => {
            "entry types follow biblatex and pandoc (@booklet, @manual, @inreference, @periodical)"
        }
        "issue" if ours == "∅" => {
            "`number` of a conference paper is its series number (biblatex, pandoc)"
        }
        "publisher" if ours.ends_with(expected) && ours.contains("; ") => {
            "organization and publisher are both kept (pandoc)"
        }
        "author" if expected.trim_matches('|') == ours.trim_matches('|') => {
            "organisations are CSL literal names"
        }
        "language" if ours.contains('-') && !expected.contains('-') => {
            "CSL's language is a BCP 47 tag"
        }
        "genre" if expected.chars().all(|c| c.is_ascii_lowercase()) && expected != ours => {
            "biblatex localisation keys are written as their English text"
        }
        "title" | "container-title" if ours.starts_with(&format!("{expected}. ")) => {
            "titleaddon is joined with \". \" (pandoc)"
        }
        "title" | "container-title"
            if expected.contains("Outlander") || ours.contains("Outlander") =>
        {
            "a maintitle is the title of a volume's book (pandoc)"
        }
        "URL" if expected.contains('%') => "URLs are kept as written, not percent-encoded again",
        "keyword" if expected.replace(',', ", ") == ours => "keywords are joined with \", \"",
        "title" if ours.contains('$') => "math without a Unicode form stays TeX",
        "title" if ours.contains("href:") => "a link shows its text",
        "title" if ours.starts_with(expected) => {
            "an undefined @string keeps its name, with a warning (pandoc)"
        }
        "publisher-place" => "`address` wins over `location` (pandoc)",
        _ => return None,
    };
    Some(reason)
}

fn convert_bib(name: &str, text: &str) -> Vec<Value> {
    common::bibtex_to_csl_items(name, text.as_bytes().to_vec())
}

#[test]
fn citation_js_bibtex_to_csl_cases() {
    let Some(corpus) = corpus() else {
        return;
    };
    let mut tally = Tally::default();
    let cases: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("input.json")).unwrap()).unwrap();
    let biblatex = cases["@biblatex/text"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, case) in &biblatex {
        let text = match &case[0] {
            Value::String(text) => text.clone(),
            _ => {
                let file = corpus
                    .join("input")
                    .join(format!("{}.bib", name.trim_start_matches("with ")));
                let Ok(text) = std::fs::read_to_string(&file) else {
                    continue;
                };
                text
            }
        };
        let expected = case[1].as_array().cloned().unwrap_or_default();
        let ours = convert_bib(name, &text);
        compare_case(
            name,
            &expected,
            false,
            &ours,
            intended_difference,
            &mut tally,
        );
    }
    // The mapping files: entry i of the .bib is item i of the CSL-JSON.
    for dialect in ["bibtex", "biblatex"] {
        let mapping = corpus.join("mapping");
        let Ok(bib) = std::fs::read_to_string(mapping.join(format!("{dialect}-input.bib"))) else {
            continue;
        };
        let expected: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(mapping.join(format!("{dialect}-csl.json"))).unwrap(),
        )
        .unwrap();
        let ours = convert_bib(dialect, &bib);
        for item in &expected {
            compare_case(
                &format!("mapping/{dialect}"),
                std::slice::from_ref(item),
                false,
                &ours,
                intended_difference,
                &mut tally,
            );
        }
    }
    tally.print("citation-js");
    assert!(tally.cases > 60, "the corpus holds the citation-js cases");
    assert!(
        tally.agreeing_cases >= AGREEING_CASES_AT_LEAST,
        "fewer citation-js cases agree than before"
    );
}
