//! Every `.bib` file under `../shared/corpus/` goes through the BibTeX
//! reader and every writer without a panic, and no entry is lost
//! silently: entries in the file = works written + entries reported as
//! errors. Skipped, saying so, where the shared corpus is absent.

mod common;

use pubconv::read::{decode, InputFormat, ReadOptions, Source};
use pubconv::write::OutputFormat;

/// Entries as a plain scan sees them: each `@type{` or `@type(` not in a
/// `%` comment or a `@comment` block, whose type is not `string`,
/// `preamble`, `comment` or `xdata`.
fn count_entries(text: &str) -> usize {
    let mut count = 0;
    let mut skip_to = 0;
    for (at, _) in text.match_indices('@') {
        if at < skip_to || percent_before(text, at) || text[..at].ends_with('\\') {
            continue;
        }
        let rest = &text[at + 1..];
        let kind: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let after = rest[kind.len()..].trim_start();
        if kind.is_empty() || !after.starts_with(['{', '(']) {
            continue;
        }
        match kind.to_ascii_lowercase().as_str() {
            "comment" => skip_to = comment_end(text, at + 1 + (rest.len() - after.len())),
            "string" | "preamble" | "xdata" => {}
            _ => count += 1,
        }
    }
    count
}

fn percent_before(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[line_start..at].contains('%')
}

/// Where a `@comment` whose delimiter opens at `open` ends: its matching
/// brace, or, never closed, the next line starting with `@`.
fn comment_end(text: &str, open: usize) -> usize {
    let mut depth = 0i64;
    for (index, c) in text[open..].char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => {
                depth -= 1;
                if depth == 0 {
                    return open + index;
                }
            }
            _ => {}
        }
    }
    text[open..]
        .match_indices(['\n', '\r'])
        .map(|(index, _)| open + index + 1)
        .find(|&line| {
            text[line..]
                .trim_start_matches([' ', '\t'])
                .starts_with('@')
        })
        .unwrap_or(text.len())
}

#[test]
fn every_corpus_bib_converts_and_accounts_for_every_entry() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    let files = common::bib_files(&corpus);
    let options = ReadOptions::default();
    let (mut entries_in, mut written, mut reported, mut mismatches) = (0, 0, 0, Vec::new());
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        let (text, _) = decode(&bytes, &name);
        let reading = InputFormat::Bibtex.read(
            Source {
                name: &name,
                text: &text,
            },
            &options,
        );
        for format in OutputFormat::ALL {
            let _ = format.write(&reading.library, &Default::default());
        }
        // Errors in @string and @preamble blocks cost no entry.
        let errors = reading
            .diagnostics
            .iter()
            .filter(|d| d.code == "bibtex::syntax")
            .count();
        let expected = count_entries(&text);
        entries_in += expected;
        written += reading.library.works.len();
        reported += errors;
        if expected != reading.library.works.len() + errors {
            mismatches.push(format!(
                "{}: {expected} entries, {} written, {errors} reported",
                path.strip_prefix(&corpus).unwrap_or(path).display(),
                reading.library.works.len()
            ));
        }
    }
    eprintln!(
        "corpus: {} files, {entries_in} entries: {written} written, {reported} reported as errors",
        files.len()
    );
    for mismatch in &mismatches {
        eprintln!("  not accounted for: {mismatch}");
    }
    assert!(
        files.len() > 1000,
        "the corpus holds over a thousand .bib files"
    );
    assert!(
        mismatches.is_empty(),
        "{} files do not account for every entry",
        mismatches.len()
    );
}
