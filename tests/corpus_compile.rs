//! A sample of real `.bib` files from `../shared/corpus/` (biblatex's
//! examples, JabRef's and Better BibTeX's test files) converted BibTeX →
//! BibTeX and BibLaTeX → BibLaTeX: the output compiles wherever the input
//! compiled, and converting the output again gives the same bytes.
//! Skipped, saying so, where the corpus or the TeX tools are absent.
//! `PUBCONV_COMPILE_ALL=1` checks every `.bib` file of the corpus.

mod common;

use std::path::{Path, PathBuf};

use common::convert_bytes;
use common::latex::{tools_for, try_compile_quickly, Processor};
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

/// What one file gave: inputs and outputs compiled, and what failed.
#[derive(Default)]
struct Outcome {
    compiled_in: usize,
    compiled_out: usize,
    failures: Vec<String>,
    unstable: Vec<String>,
}

/// Converts one file to both dialects and compiles input and output.
fn check_file(corpus: &Path, path: &Path) -> Outcome {
    let mut outcome = Outcome::default();
    let bytes = std::fs::read(path).unwrap();
    let name = path
        .strip_prefix(corpus)
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
            outcome.unstable.push(format!("{name} as {format:?}"));
        }
        if try_compile_quickly(&input, processor).is_err() {
            continue;
        }
        outcome.compiled_in += 1;
        match try_compile_quickly(&output, processor) {
            Ok(_) => outcome.compiled_out += 1,
            Err(problem) => outcome.failures.push(format!(
                "{name} as {format:?} with {processor:?}: {}",
                problem.lines().take(3).collect::<Vec<_>>().join(" | ")
            )),
        }
    }
    outcome
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
    // Files are taken in turn by one worker a core: TeX runs are slow.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut outcome = Outcome::default();
                    loop {
                        let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = files.get(at) else {
                            return outcome;
                        };
                        let one = check_file(&corpus, path);
                        // Said as each file ends (seen with --nocapture), so
                        // that a run of hours can be judged while it runs.
                        let shown = path.strip_prefix(&corpus).unwrap_or(path);
                        eprintln!(
                            "[{}/{}] {}: {} of {} compiling inputs compile after conversion",
                            at + 1,
                            files.len(),
                            shown.display(),
                            one.compiled_out,
                            one.compiled_in
                        );
                        for line in one.failures.iter().chain(&one.unstable) {
                            eprintln!("  {line}");
                        }
                        outcome.compiled_in += one.compiled_in;
                        outcome.compiled_out += one.compiled_out;
                        outcome.failures.extend(one.failures);
                        outcome.unstable.extend(one.unstable);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    let compiled_in: usize = outcomes.iter().map(|o| o.compiled_in).sum();
    let compiled_out: usize = outcomes.iter().map(|o| o.compiled_out).sum();
    let mut failures: Vec<&String> = outcomes.iter().flat_map(|o| &o.failures).collect();
    let mut unstable: Vec<&String> = outcomes.iter().flat_map(|o| &o.unstable).collect();
    failures.sort();
    unstable.sort();
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
