//! The CSL-JSON inputs of citeproc's test suite (`../shared/corpus/citeproc/`,
//! the INPUT block of each test), all in one library, convert to BibTeX
//! and BibLaTeX that compile, and back to CSL-JSON keeping what BibTeX can
//! hold. Skipped, saying so, where the corpus or the TeX tools are absent.

mod common;

use std::path::Path;

use common::convert_bytes;
use common::latex::{font_tolerant_document, tools_for, try_compile_in, Processor};
use pubconv::write::OutputFormat;
use serde_json::Value;

/// Every item of every INPUT block, as one JSON array.
fn all_items(corpus: &Path) -> Vec<Value> {
    let mut items = Vec::new();
    for folder in ["csl", "extra", "overrides"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(folder)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let Some((_, rest)) = text.split_once(" INPUT =") else {
                continue;
            };
            let rest = rest.split_once('\n').map_or("", |(_, rest)| rest);
            let Some((input, _)) = rest.split_once("<<====") else {
                continue;
            };
            if let Ok(Value::Array(found)) = serde_json::from_str::<Value>(input) {
                items.extend(found);
            }
        }
    }
    items
}

#[test]
fn citeproc_inputs_become_bibtex_that_compiles() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/citeproc");
    if !corpus.exists() {
        eprintln!("skipped: ../shared/corpus/citeproc is absent");
        return;
    }
    if !tools_for(Processor::Biber) || !tools_for(Processor::Bibtex) {
        return;
    }
    let items = all_items(&corpus);
    let json = serde_json::to_string(&items).unwrap();
    for (format, processor) in [
        (OutputFormat::Bibtex, Processor::Bibtex),
        (OutputFormat::Biblatex, Processor::Biber),
    ] {
        let conversion = convert_bytes("citeproc.json", json.clone().into_bytes(), format);
        assert_eq!(conversion.written, items.len());
        let result = try_compile_in(
            &conversion.output,
            processor,
            font_tolerant_document(processor),
        );
        if let Err(problem) = &result {
            let excerpt: String = problem.lines().take(30).collect::<Vec<_>>().join("\n");
            panic!(
                "{} citeproc items as {format:?} do not compile with {processor:?}:\n{excerpt}",
                items.len()
            );
        }
        let back = convert_bytes(
            "citeproc.bib",
            conversion.output.into_bytes(),
            OutputFormat::CslJson,
        );
        let back: Vec<Value> = serde_json::from_str(&back.output).unwrap();
        let (mut variables, mut kept) = (0, 0);
        let mut lost: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for (item, returned) in items.iter().zip(&back) {
            for (key, _) in item.as_object().into_iter().flatten() {
                variables += 1;
                if returned.get(key).is_some()
                    || returned["custom"].get(key).is_some()
                    || key == "id"
                {
                    kept += 1;
                } else {
                    *lost.entry(key.as_str()).or_default() += 1;
                }
            }
        }
        eprintln!(
            "citeproc inputs as {format:?}: {} items compile with {processor:?}; back in CSL-JSON {kept} of {variables} variables",
            items.len()
        );
        eprintln!("  not held by {format:?}: {lost:?}");
    }
}
