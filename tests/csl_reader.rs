//! The CSL-JSON reader: pubconv's own CSL-JSON reads back to the same
//! bytes and the same BibTeX, and the inputs of citeproc's test suite
//! (`../shared/corpus/citeproc/`, skipped where absent) come back with
//! every variable and valid against the CSL schema.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::write::OutputFormat;
use serde_json::Value;

#[test]
fn pubconvs_own_csl_json_reads_back_unchanged() {
    let fixtures = [
        "profile/sungjun-lim.txt",
        "profile/variations.txt",
        "bibtex/cv.bib",
        "bibtex/traps.bib",
        "csl/zotero.json",
    ];
    for name in fixtures {
        let json = convert_fixture(&fixture(name), OutputFormat::CslJson).output;
        let again = convert_bytes(
            "items.json",
            json.clone().into_bytes(),
            OutputFormat::CslJson,
        );
        assert_eq!(again.skipped, 0);
        assert_eq!(again.output, json, "{name}: CSL-JSON → CSL-JSON");
        // CSL-JSON holds all a CV's BibTeX says (math turns into Unicode,
        // which traps.bib has, so it is left out here).
        if name == "bibtex/cv.bib" || name.starts_with("profile/sungjun") {
            let direct = convert_fixture(&fixture(name), OutputFormat::Bibtex).output;
            let via_csl =
                convert_bytes("items.json", json.into_bytes(), OutputFormat::Bibtex).output;
            assert_eq!(via_csl, direct, "{name}: → CSL-JSON → BibTeX");
        }
    }
}

#[test]
fn a_broken_item_costs_only_itself() {
    let json = r#"[{"id": "a", "type": "book", "title": "A"}, {"id": "b", "author": "not a list"}, {"id": "c", "type": "map", "title": "C <i>x</i>", "issued": {"literal": "13th century"}, "unknown-variable": 3}]"#;
    let conversion = convert_bytes(
        "items.json",
        json.as_bytes().to_vec(),
        OutputFormat::CslJson,
    );
    assert_eq!((conversion.written, conversion.skipped), (2, 1));
    let error = conversion
        .diagnostics
        .iter()
        .find(|d| d.code == "csl::item")
        .unwrap();
    // Where the item goes wrong, counted in the file: serde_json stops at
    // the end of the value that is not what CSL wants.
    let bad_value = r#""not a list""#;
    assert_eq!(
        (error.line, error.column),
        (1, json.find(bad_value).unwrap() + bad_value.len())
    );
    assert!(!error.message.contains(" at line "), "{}", error.message);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).unwrap();
    assert_eq!(
        items[1]["type"], "map",
        "a CSL type the model has no name for survives"
    );
    assert_eq!(items[1]["title"], "C <i>x</i>");
    assert_eq!(
        items[1]["issued"],
        serde_json::json!({"literal": "13th century"})
    );
    assert_eq!(items[1]["custom"]["unknown-variable"], "3");
}

#[test]
fn citeproc_inputs_keep_every_variable_and_validate() {
    let Some(corpus) = common::corpus("citeproc") else {
        return;
    };
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/csl-data.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (mut files, mut items_in, mut variables_in, mut lost, mut invalid, mut unread) =
        (0, 0, 0, Vec::new(), Vec::new(), 0);
    for (name, input) in common::citeproc_inputs(&corpus) {
        let Ok(Value::Array(expected)) = serde_json::from_str::<Value>(&input) else {
            continue;
        };
        files += 1;
        let conversion = convert_bytes(&name, input.into_bytes(), OutputFormat::CslJson);
        unread += conversion.skipped;
        let ours: Vec<Value> = serde_json::from_str(&conversion.output).unwrap();
        if validator
            .iter_errors(&Value::Array(ours.clone()))
            .next()
            .is_some()
        {
            invalid.push(name.clone());
        }
        for (index, item) in expected.iter().enumerate() {
            items_in += 1;
            let Some(object) = item.as_object() else {
                continue;
            };
            let Some(our_item) = ours.get(index) else {
                lost.push(format!("{name}: item {index}"));
                continue;
            };
            for key in object.keys() {
                variables_in += 1;
                // An alias citeproc-js reads comes back as the variable
                // it stands for.
                let canonical = pubconv::vocab::csl::ALIASES
                    .iter()
                    .find(|(alias, _)| alias == key)
                    .map_or(key.as_str(), |(_, name)| name);
                let kept = our_item.get(canonical).is_some()
                    || our_item["custom"].get(key).is_some()
                    || key == "id";
                if !kept {
                    lost.push(format!("{name}: item {index} `{key}`"));
                }
            }
        }
    }
    eprintln!(
        "citeproc inputs: {files} files, {items_in} items, {variables_in} variables; {} lost, {unread} items unreadable, {} outputs invalid",
        lost.len(),
        invalid.len()
    );
    for line in lost.iter().chain(&invalid).take(40) {
        eprintln!("  {line}");
    }
    assert!(files > 800);
    assert!(
        invalid.is_empty(),
        "every output validates against the CSL schema"
    );
    assert!(
        lost.len() * 1000 <= variables_in,
        "at most one variable in a thousand is lost"
    );
}

#[test]
fn a_dollar_that_opens_no_math_leaves_later_math_alone() {
    use pubconv::model::Inline;
    use pubconv::read::{InputFormat, ReadOptions, Source};
    let text = r#"[{"id": "a", "type": "article", "title": "Costs $5 and $x^2$ or $3"}]"#;
    let source = Source {
        name: "a.json",
        text,
    };
    let library = InputFormat::CslJson
        .read(source, &ReadOptions::default())
        .library;
    let title = library.works[0].title.as_ref().unwrap();
    assert_eq!(
        title.inlines,
        vec![
            Inline::Plain("Costs $5 and ".into()),
            Inline::Math("x^2".into()),
            Inline::Plain(" or $3".into()),
        ]
    );
}
