//! Profile dumps other than the reference, in the same shape: accented and
//! hyphenated names, one author, no abstract, yearless dates on both sides
//! of `--as-of`, spaced and separated metrics, TeX and Markdown specials,
//! CRLF or carriage returns alone ending lines, a byte-order mark, and
//! broken blocks among good ones.

mod common;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::model::Person;
use pubconv::read::{profile::read_profile, InputFormat, ReadOptions, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> pubconv::read::Reading {
    let options = ReadOptions {
        as_of: common::AS_OF.parse().unwrap(),
    };
    read_profile(
        Source {
            name: "test.txt",
            text,
        },
        &options,
    )
}

fn variations() -> String {
    std::fs::read_to_string(fixture("profile/variations.txt")).unwrap()
}

#[test]
fn header_metrics_with_spaces_separators_and_an_ambiguous_field() {
    let reading = read(&variations());
    let profile = reading.library.profile.expect("the dump has a profile");
    assert_eq!(profile.name, "Zoë Kovács-Müller");
    assert_eq!(profile.metrics.h_index, Some(12));
    assert_eq!(profile.metrics.citations, Some(1204));
    assert_eq!(profile.metrics.papers, Some(3));
    assert_eq!(profile.metrics.novelty_percent, Some(61));
    assert_eq!(profile.metrics.ai_score, Some(70));
    let field = profile.primary_field.expect("CV is kept");
    assert_eq!((field.code.as_str(), field.arxiv), ("CV", None));
    assert!(reading
        .diagnostics
        .iter()
        .any(|d| d.code == "profile::category" && d.message.contains("cs.CV, math.CV")));
}

#[test]
fn papers_with_accents_single_author_and_no_abstract() {
    let works = read(&variations()).library.works;
    assert_eq!(works.len(), 4);
    let names =
        |i: usize| -> Vec<String> { works[i].authors.iter().map(Person::display_name).collect() };
    assert_eq!(names(0), ["Zoë Kovács-Müller"]);
    assert!(!works[0].authors_truncated);
    assert_eq!(
        names(1),
        ["Jean-Luc Picard", "José Ñúñez", "Ludwig van Beethoven"]
    );
    let Person::Personal(beethoven) = &works[1].authors[2] else {
        panic!("a personal name")
    };
    assert_eq!(beethoven.particle.as_deref(), Some("van"));
    assert!(
        works[2].abstract_text.is_none(),
        "the third paper has no abstract"
    );
    assert!(works[2].authors_truncated);
    assert_eq!(works[2].categories[0].arxiv.as_deref(), Some("stat.ML"));
}

#[test]
fn yearless_dates_resolve_on_both_sides_of_as_of() {
    let works = read(&variations()).library.works;
    // Dec 30 is after 2026-11-27, so it lies in 2025; Jan 2 lies in 2026.
    assert_eq!(
        works[0].date.map(|d| d.edtf()).as_deref(),
        Some("2025-12-30")
    );
    assert_eq!(
        works[1].date.map(|d| d.edtf()).as_deref(),
        Some("2026-01-02")
    );
    assert_eq!(
        works[2].date.map(|d| d.edtf()).as_deref(),
        Some("2024-02-29")
    );
}

#[test]
fn a_yearless_29_february_takes_the_last_leap_year() {
    let dump = "Jane Doe\n\n1 Paper\n\nLGFeb 29\nLeap\n\nJane Doe\n";
    let works = read(dump).library.works;
    assert_eq!(
        works[0].date.map(|d| d.edtf()).as_deref(),
        Some("2024-02-29")
    );
}

#[test]
fn crlf_bom_and_trailing_spaces_read_the_same() {
    let plain = read(&variations()).library;
    let windows = format!("\u{feff}{}", variations().replace('\n', "  \r\n"));
    assert_eq!(read(&windows).library, plain);
}

/// A carriage return alone ends a line as a line feed does (as old Mac OS
/// files end lines): the same works, each problem on the same line and
/// column, and the file still told a profile dump.
#[test]
fn lone_carriage_returns_end_lines_too() {
    let places = |reading: &pubconv::read::Reading| {
        let diagnostics = reading.diagnostics.iter();
        diagnostics
            .map(|d| (d.line, d.column, d.message.clone()))
            .collect::<Vec<_>>()
    };
    let plain = read(&variations());
    assert!(
        !places(&plain).is_empty(),
        "the sample has problems to place"
    );
    let mac = variations().replace('\n', "\r");
    assert_eq!(read(&mac).library, plain.library);
    assert_eq!(places(&read(&mac)), places(&plain));
    let path = std::path::Path::new("profile.txt");
    assert_eq!(
        InputFormat::detect(Some(path), &mac),
        Some(InputFormat::Profile)
    );
}

#[test]
fn tex_and_markdown_specials_render_per_format() {
    let path = fixture("profile/variations.txt");
    let bib = convert_fixture(&path, OutputFormat::Bibtex).output;
    assert!(
        bib.contains(
            r"title = {Sharp Bounds for {$\ell_1$}-Regularised Learning \& the 50\% Rule},"
        ),
        "{bib}"
    );
    assert!(
        bib.contains(r"title = {Self-Attention\_in <{HTML}> \& [Brackets]: 2. A *Marked* Title},"),
        "{bib}"
    );
    assert!(
        bib.contains(r"costs \textasciitilde{} \$5 per query"),
        "{bib}"
    );

    let json = convert_fixture(&path, OutputFormat::CslJson).output;
    assert!(
        json.contains("Sharp Bounds for ℓ₁-Regularised Learning & the 50% Rule"),
        "{json}"
    );
    assert!(
        json.contains("We prove that β ≤ 1 suffices, using a <i>sharp</i> analysis"),
        "{json}"
    );

    let markdown = convert_fixture(&path, OutputFormat::Markdown).output;
    assert!(
        markdown.contains(r"Self-Attention\_in \<HTML\> \& \[Brackets\]: 2. A \*Marked\* Title.")
    );
}

#[test]
fn the_owner_is_bold_even_when_hidden_behind_et_al() {
    let markdown =
        convert_fixture(&fixture("profile/variations.txt"), OutputFormat::Markdown).output;
    assert!(
        markdown.contains("1. Jean-Luc Picard, José Ñúñez, Ludwig van Beethoven. Self-Attention")
    );
    assert!(markdown.contains("2. **Zoë Kovács-Müller**. Sharp Bounds"));
    assert!(markdown.contains("Ana María de la Cruz, **Zoe Kovacs-Muller**, et al."));
    assert!(markdown
        .contains("Ann Person, Bob Person, Carla Person, et al. (incl. **Zoë Kovács-Müller**)."));
}

#[test]
fn broken_blocks_cost_only_themselves() {
    let conversion = convert_fixture(&fixture("profile/broken.txt"), OutputFormat::Bibtex);
    assert_eq!(conversion.written, 1);
    assert_eq!(conversion.skipped, 2);
    assert_eq!(conversion.exit_status(), 1);
    assert!(conversion.output.contains("title = {A Good Paper}"));
    let errors: Vec<_> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].0, errors[0].1), (8, 7));
    assert!(errors[0].2.contains("day 30 does not exist"));
    assert_eq!((errors[1].0, errors[1].1), (15, 1));
    assert!(errors[1].2.contains("expected a month name"));
    let count = conversion
        .diagnostics
        .iter()
        .find(|d| d.code == "profile::paper-count");
    assert!(count.is_some_and(|d| d.message.contains("announces 4 papers but 3")));
}

#[test]
fn a_yearless_impossible_date_is_an_error_for_that_paper() {
    let dump = "Jane Doe\n\nLGFeb 30\nNope\n\nJane Doe\n\nLGMar 1\nYes\n\nJane Doe\n";
    let reading = read(dump);
    assert_eq!(reading.library.works.len(), 1);
    let error = reading
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .unwrap();
    assert_eq!((error.line, error.column), (3, 7));
    assert!(
        error
            .to_string()
            .starts_with("test.txt:3:7: error: February 30 is not a date"),
        "{error}"
    );
}

#[test]
fn a_missing_author_line_is_reported_and_the_paper_kept() {
    let dump = "Jane Doe\n\nLGMar 1, 2020\nA Title\n\nWe study things, and find that they are hard to study.\n";
    let reading = read(dump);
    assert_eq!(reading.library.works.len(), 1);
    assert!(reading.library.works[0].authors.is_empty());
    assert!(reading.library.works[0].abstract_text.is_some());
    let warning = reading
        .diagnostics
        .iter()
        .find(|d| d.code == "profile::missing-authors")
        .unwrap();
    assert_eq!(warning.line, 6);
}

#[test]
fn a_dump_without_profile_header_still_converts() {
    let dump = "LGMar 1, 2020\nA Title\nJane Doe, John Roe\n";
    let conversion = convert_bytes("-", dump.as_bytes().to_vec(), OutputFormat::Bibtex);
    assert_eq!(conversion.written, 1);
    assert!(conversion
        .output
        .contains("author = {Doe, Jane and Roe, John}"));
}
