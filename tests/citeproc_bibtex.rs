//! The CSL-JSON inputs of citeproc's test suite (`../shared/corpus/citeproc/`,
//! the INPUT block of each test), all in one library, convert to BibTeX
//! and BibLaTeX that compile, and back to CSL-JSON keeping what BibTeX can
//! hold. Skipped, saying so, where the corpus or the TeX tools are absent.

mod common;

use common::convert_bytes;
use common::latex::{font_tolerant_document, tools_for, try_compile_in, Processor};
use pubconv::write::OutputFormat;
use serde_json::Value;

#[test]
fn citeproc_inputs_become_bibtex_that_compiles() {
    let Some(corpus) = common::corpus("citeproc") else {
        return;
    };
    if !tools_for(Processor::Biber) || !tools_for(Processor::Bibtex) {
        return;
    }
    let items: Vec<Value> = common::citeproc_inputs(&corpus)
        .into_iter()
        .filter_map(|(_, input)| serde_json::from_str::<Vec<Value>>(&input).ok())
        .flatten()
        .collect();
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
