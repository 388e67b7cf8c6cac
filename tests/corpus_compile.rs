//! A sample of real `.bib` files from `../shared/corpus/` (biblatex's
//! examples, JabRef's and Better BibTeX's test files) converted BibTeX →
//! BibTeX and BibLaTeX → BibLaTeX: the output compiles wherever the input
//! compiled, and converting the output again gives the same bytes.
//! Skipped, saying so, where the corpus or the TeX tools are absent.
//! `PUBCONV_COMPILE_ALL=1` checks every `.bib` file of the corpus.

mod common;

use std::path::{Path, PathBuf};

use common::convert_bytes;
use common::latex::{tools_for, try_compile, Processor};
use pubconv::write::OutputFormat;

/// The files to compile: a sample, or every `.bib` file of the corpus
/// with `PUBCONV_COMPILE_ALL=1` (an hour's work, too long for every run).
fn sample(corpus: &Path) -> Vec<PathBuf> {
    if std::env::var_os("PUBCONV_COMPILE_ALL").is_some_and(|v| v != "0") {
        return common::bib_files(corpus);
    }
    let mut files = vec![corpus.join("biblatex/biblatex-examples.bib")];
    for (folder, count) in [
        ("jabref/testbib", 6),
        ("bibtex-tidy/bibliographies/better-bibtex", 12),
        ("python-bibtexparser/v1", 6),
    ] {
        let Ok(entries) = std::fs::read_dir(corpus.join(folder)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "bib"))
            .collect();
        paths.sort();
        files.extend(paths.into_iter().take(count));
    }
    files.retain(|path| path.exists());
    files
}

#[test]
fn real_files_compile_after_conversion_and_convert_stably() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    if !tools_for(Processor::Biber) || !tools_for(Processor::Bibtex) {
        return;
    }
    let files = sample(&corpus);
    let (mut compiled_in, mut compiled_out, mut failures, mut unstable) =
        (0, 0, Vec::new(), Vec::new());
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path
            .strip_prefix(&corpus)
            .unwrap_or(path)
            .display()
            .to_string();
        let (input, _) = pubconv::read::decode(&bytes, &name);
        for (format, processor) in [
            (OutputFormat::Biblatex, Processor::Biber),
            (OutputFormat::Bibtex, Processor::Bibtex),
        ] {
            let output = convert_bytes(&name, bytes.clone(), format).output;
            let again = convert_bytes("output.bib", output.clone().into_bytes(), format).output;
            if again != output {
                unstable.push(format!("{name} as {format:?}"));
            }
            if try_compile(&input, processor).is_err() {
                continue;
            }
            compiled_in += 1;
            match try_compile(&output, processor) {
                Ok(_) => compiled_out += 1,
                Err(problem) => failures.push(format!(
                    "{name} as {format:?} with {processor:?}: {}",
                    problem.lines().take(3).collect::<Vec<_>>().join(" | ")
                )),
            }
        }
    }
    eprintln!(
        "corpus sample: {} files; {compiled_in} input compiles, {compiled_out} of their outputs compile; {} conversions unstable",
        files.len(),
        unstable.len()
    );
    for line in failures.iter().chain(&unstable) {
        eprintln!("  {line}");
    }
    assert!(files.len() >= 20);
    assert!(
        failures.is_empty(),
        "every output compiles where its input did"
    );
    assert!(
        unstable.is_empty(),
        "converting the output again gives the same bytes"
    );
}
