//! Google Scholar profile pages copied as text: the reference paste to
//! CSL-JSON (a snapshot read and accepted by hand), and pastes written
//! here in the shapes real ones take: accented names, CRLF line ends or
//! carriage returns alone, empty cells, the narrow layout, cut venues,
//! merged counts, rows with no header, and broken rows among good ones.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::{Diagnostic, Severity};
use pubconv::model::{Person, WorkType};
use pubconv::read::{scholar::read_scholar, InputFormat, ReadOptions, Reading, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_scholar(
        Source {
            name: "paste.txt",
            text,
        },
        &ReadOptions::default(),
    )
}

fn leek() -> String {
    std::fs::read_to_string(fixture("scholar/leek.txt")).unwrap()
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

fn titles(reading: &Reading) -> Vec<String> {
    reading
        .library
        .works
        .iter()
        .map(|work| work.title.as_ref().unwrap().raw_string())
        .collect()
}

fn with_code<'a>(reading: &'a Reading, code: &str) -> Vec<&'a Diagnostic> {
    reading
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

#[test]
fn the_reference_paste_as_csl_json() {
    let conversion = convert_fixture(&fixture("scholar/leek.txt"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0);
    assert_eq!(conversion.written, 4);
    insta::assert_snapshot!("leek.csl.json", conversion.output);
}

#[test]
fn the_reference_paste_read() {
    let reading = read(&leek());
    let profile = reading
        .library
        .profile
        .as_ref()
        .expect("the header names the owner");
    assert_eq!(profile.name, "Jeffrey T. Leek");
    assert_eq!(profile.metrics.citations, Some(4631));
    assert_eq!(profile.metrics.h_index, Some(24));
    let works = &reading.library.works;
    assert_eq!(
        titles(&reading),
        [
            "Tackling the widespread and critical impact of batch effects in high-throughput data",
            "Significance analysis of time course microarray experiments",
            "An estimate of the science-wise false discovery rate and application to the top medical literature",
            "Statistics: P values are just the tip of the iceberg",
        ]
    );
    assert!(works[0].authors_truncated && !works[1].authors_truncated);
    assert_eq!(
        names(&works[0].authors),
        [
            "JT Leek",
            "RB Scharpf",
            "HC Bravo",
            "D Simcha",
            "B Langmead",
            "WE Johnson"
        ]
    );
    let kinds: Vec<WorkType> = works.iter().map(|work| work.kind).collect();
    assert_eq!(kinds, [WorkType::JournalArticle; 4], "PNAS is a journal");
    assert_eq!(
        works[1]
            .extra
            .get("scholar-venue-truncated")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(works[2].venue.pages.as_deref(), Some("kxt007"));
    assert_eq!(works[0].venue.pages.as_deref(), Some("733–739"));
    assert_eq!(
        works[3].extra.get("citations").map(String::as_str),
        Some("64")
    );
    assert_eq!(works[3].date.map(|d| d.edtf()).as_deref(), Some("2015"));

    // Each work's offset is its title's line.
    let text = leek();
    for (work, &offset) in works.iter().zip(&reading.offsets) {
        let title = work.title.as_ref().unwrap().raw_string();
        assert!(text[offset..].starts_with(&title), "{title}");
    }
    assert_eq!(reading.offsets.len(), works.len());

    let guessed = with_code(&reading, "scholar::guessed-type");
    assert_eq!(guessed.len(), 1, "said once per file");
    assert!(
        guessed[0].message.contains("all 4 works"),
        "{}",
        guessed[0].message
    );
    assert!(
        guessed[0].message.contains("4 journal articles"),
        "{}",
        guessed[0].message
    );
    let cut = with_code(&reading, "scholar::truncated-venue");
    assert_eq!(cut.len(), 1);
    assert_eq!((cut[0].line, cut[0].column), (18, 73));
    assert!(reading
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Note));
}

#[test]
fn the_owner_is_bold_in_the_markdown_cv() {
    let markdown = convert_fixture(&fixture("scholar/leek.txt"), OutputFormat::Markdown).output;
    assert!(markdown.contains("**JT Leek**, RB Scharpf"), "{markdown}");
    assert!(markdown.contains("LR Jager, **JT Leek**."), "{markdown}");
    assert!(!markdown.contains("**JD Storey**"), "{markdown}");
}

#[test]
fn every_output_takes_a_paste() {
    let bytes = std::fs::read(fixture("scholar/leek.txt")).unwrap();
    for to in OutputFormat::ALL {
        let conversion = convert_bytes("leek.txt", bytes.clone(), *to);
        assert_eq!(conversion.written, 4, "{to:?}");
        assert!(conversion.output.contains("Biostatistics"), "{to:?}");
    }
    let bibtex = convert_bytes("leek.txt", bytes, OutputFormat::Bibtex).output;
    assert!(
        bibtex.contains("author = {Leek, JT and Peng, RD},"),
        "{bibtex}"
    );
    assert!(bibtex.contains("citations = {64},"), "{bibtex}");
    assert!(bibtex.contains("and others},"), "{bibtex}");
}

#[test]
fn told_from_its_content() {
    let paste = leek();
    for path in [Some(Path::new("leek.txt")), Some(Path::new("leek")), None] {
        assert_eq!(
            InputFormat::detect(path, &paste),
            Some(InputFormat::ScholarPaste),
            "{path:?}"
        );
    }
    let rows_only = "A title\nJT Leek, RD Peng\nNature 520 (7549), 612\t64\t2015\n";
    assert_eq!(
        InputFormat::detect(None, rows_only),
        Some(InputFormat::ScholarPaste)
    );
    // The other formats' fixtures are told as before.
    for (name, format) in [
        ("profile/sungjun-lim.txt", InputFormat::Profile),
        ("profile/variations.txt", InputFormat::Profile),
        ("profile/broken.txt", InputFormat::Profile),
        ("bibtex/cv.bib", InputFormat::Bibtex),
        ("bibtex/traps.bib", InputFormat::Bibtex),
        ("bibtex/lim-cvpr.bib", InputFormat::Bibtex),
        ("csl/zotero.json", InputFormat::CslJson),
    ] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        assert_eq!(InputFormat::detect(None, &text), Some(format), "{name}");
        let path = fixture(name);
        assert_eq!(
            InputFormat::detect(Some(&path), &text),
            Some(format),
            "{name}"
        );
    }
    assert_eq!(
        InputFormat::from_name("Scholar-Paste"),
        Some(InputFormat::ScholarPaste)
    );
}

#[test]
fn accented_names_keep_their_initials() {
    let paste = "Titre d'un article\nÉ Durand, J Müller, M van der Laan\nRevue française 3 (2), 10-20\t5\t2019\n";
    let reading = read(paste);
    let work = &reading.library.works[0];
    assert_eq!(
        names(&work.authors),
        ["É Durand", "J Müller", "M van der Laan"]
    );
    let Person::Personal(durand) = &work.authors[0] else {
        panic!("a personal name")
    };
    assert_eq!(
        (durand.given.as_deref(), durand.family.as_str()),
        (Some("É"), "Durand")
    );
    let Person::Personal(laan) = &work.authors[2] else {
        panic!("a personal name")
    };
    assert_eq!(laan.particle.as_deref(), Some("van der"));
    let json = convert_bytes("fr.txt", paste.into(), OutputFormat::CslJson).output;
    assert!(json.contains("\"given\": \"É\""), "{json}");
    assert!(
        json.contains("\"container-title\": \"Revue française\""),
        "{json}"
    );
}

#[test]
fn crlf_and_a_byte_order_mark_read_the_same() {
    let plain = read(&leek());
    let windows = format!("\u{feff}{}", leek().replace('\n', "\r\n"));
    let windows = read(&windows);
    assert_eq!(windows.library, plain.library);
    assert_eq!(windows.library.works.len(), 4);
}

/// A carriage return alone ends a line as a line feed does: the same
/// works and problems, on the same lines, and the paste still told one.
#[test]
fn lone_carriage_returns_end_lines_too() {
    let places = |reading: &Reading| {
        let diagnostics = reading.diagnostics.iter();
        diagnostics
            .map(|d| (d.line, d.column, d.message.clone()))
            .collect::<Vec<_>>()
    };
    let broken = format!("{}A row cut short\n", leek());
    let plain = read(&broken);
    assert!(
        !places(&plain).is_empty(),
        "the sample has problems to place"
    );
    let mac = broken.replace('\n', "\r");
    assert_eq!(read(&mac).library, plain.library);
    assert_eq!(places(&read(&mac)), places(&plain));
    assert_eq!(
        InputFormat::detect(Some(Path::new("paste.txt")), &mac),
        Some(InputFormat::ScholarPaste)
    );
}

#[test]
fn empty_cells_give_no_date_and_no_count() {
    let paste = "A paper without a year\nJT Leek\nSome journal 3, 1-2\t\t\nNo venue at all\nRD Peng\n\t\t\n";
    let reading = read(paste);
    let works = &reading.library.works;
    assert_eq!(works.len(), 2, "{:?}", reading.diagnostics);
    assert!(works.iter().all(|work| work.date.is_none()));
    assert!(works
        .iter()
        .all(|work| !work.extra.contains_key("citations")));
    assert_eq!(
        works[0]
            .venue
            .container_title
            .as_ref()
            .map(|t| t.raw_string())
            .as_deref(),
        Some("Some journal")
    );
    assert!(works[1].venue.container_title.is_none());
    assert!(!reading
        .diagnostics
        .iter()
        .any(|d| d.severity > Severity::Note));
}

#[test]
fn the_narrow_layout_glues_the_year_to_the_venue() {
    let paste = "Statistics: P values are just the tip of the iceberg\nJT Leek, RD Peng\nNature 520 (7549), 612, 2015\nAn estimate of the science-wise false discovery rate\nLR Jager, JT Leek\nBiostatistics, kxt007, 2013\n";
    let reading = read(paste);
    let works = &reading.library.works;
    assert_eq!(works.len(), 2);
    assert_eq!(works[0].date.map(|d| d.edtf()).as_deref(), Some("2015"));
    assert_eq!(works[0].venue.pages.as_deref(), Some("612"));
    assert_eq!(works[0].venue.issue.as_deref(), Some("7549"));
    assert_eq!(works[1].date.map(|d| d.edtf()).as_deref(), Some("2013"));
    assert_eq!(works[1].venue.pages.as_deref(), Some("kxt007"));
    assert!(!works[0].extra.contains_key("citations"));
}

#[test]
fn a_cut_venue_is_kept_as_it_stands_and_said() {
    let paste = "Title1–20\tCited by\tYear\nA chapter\nA Holzinger, P Kieseberg, E Weippl, AM Tjoa\nMachine Learning and Knowledge Extraction: Second IFIP TC 5, TC 8/WG 8.4, 8\u{a0}…\t12\t2018\n";
    let reading = read(paste);
    let work = &reading.library.works[0];
    assert_eq!(
        work.venue.container_title.as_ref().unwrap().raw_string(),
        "Machine Learning and Knowledge Extraction: Second IFIP TC 5, TC 8/WG 8.4, 8"
    );
    assert!(work.venue.volume.is_none() && work.venue.pages.is_none());
    assert_eq!(
        work.extra
            .get("scholar-venue-truncated")
            .map(String::as_str),
        Some("true")
    );
    let notes = with_code(&reading, "scholar::truncated-venue");
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].file.as_str(), notes[0].line, notes[0].column),
        ("paste.txt", 4, 77)
    );
    assert!(
        reading.library.profile.is_none(),
        "no header but the table's"
    );
}

#[test]
fn a_merged_count_keeps_its_star_apart() {
    let paste = "Synaptic protein\nM Zeng, Y Shang, Y Araki, T Guo, RL Huganir, M Zhang\nCell 166 (5), 1163-1175. e12\t245*\t2016\n";
    let work = &read(paste).library.works[0];
    assert_eq!(work.extra.get("citations").map(String::as_str), Some("245"));
    assert_eq!(
        work.extra.get("citations-merged").map(String::as_str),
        Some("true")
    );
    assert_eq!(work.venue.pages.as_deref(), Some("1163–1175. e12"));
}

#[test]
fn a_paste_of_rows_only_has_no_owner() {
    let paste = "Deep learning\nY LeCun, Y Bengio, G Hinton\nNature 521 (7553), 436-444\t80000\t2015\nAttention is all you need\nA Vaswani, N Shazeer, N Parmar, J Uszkoreit, L Jones, AN Gomez, ...\narXiv preprint arXiv:1706.03762\t100000\t2017\nDeep residual learning for image recognition\nK He, X Zhang, S Ren, J Sun\nProceedings of the IEEE conference on computer vision and pattern recognition, 770-778\t200000\t2016\n";
    let reading = read(paste);
    assert!(reading.library.profile.is_none());
    let works = &reading.library.works;
    assert_eq!(works.len(), 3);
    let kinds: Vec<WorkType> = works.iter().map(|work| work.kind).collect();
    assert_eq!(
        kinds,
        [
            WorkType::JournalArticle,
            WorkType::Preprint,
            WorkType::ConferencePaper
        ]
    );
    assert_eq!(works[1].ids.arxiv.as_deref(), Some("1706.03762"));
    assert!(works[1].venue.container_title.is_none());
    let guessed = with_code(&reading, "scholar::guessed-type");
    assert!(
        guessed[0]
            .message
            .contains("1 journal article, 1 conference paper, 1 preprint"),
        "{}",
        guessed[0].message
    );
    let json = convert_bytes("rows.txt", paste.into(), OutputFormat::CslJson).output;
    assert!(json.contains("\"number\": \"arXiv:1706.03762\""), "{json}");
    assert!(json.contains("\"type\": \"paper-conference\""), "{json}");
}

#[test]
fn a_broken_row_costs_only_itself() {
    let text = leek();
    let mut lines: Vec<&str> = text.lines().collect();
    // The third row loses its author line.
    let authors = lines
        .iter()
        .position(|l| *l == "LR Jager, JT Leek")
        .unwrap();
    lines.remove(authors);
    let paste = lines.join("\n");
    let reading = read(&paste);
    assert_eq!(
        titles(&reading),
        [
            "Tackling the widespread and critical impact of batch effects in high-throughput data",
            "Significance analysis of time course microarray experiments",
            "Statistics: P values are just the tip of the iceberg",
        ]
    );
    let errors: Vec<&Diagnostic> = reading
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "scholar::missing-authors");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line, errors[0].column),
        ("paste.txt", 19, 1)
    );
    assert!(errors[0]
        .message
        .contains("An estimate of the science-wise"));
    let rendered = errors[0].render(false);
    assert!(rendered.starts_with("paste.txt:19:1: error:"), "{rendered}");

    let conversion = convert_bytes("broken.txt", paste.into(), OutputFormat::CslJson);
    assert_eq!(
        (
            conversion.written,
            conversion.skipped,
            conversion.exit_status()
        ),
        (3, 1, 1)
    );
}

#[test]
fn a_stray_line_and_a_cut_end_are_reported_each_once() {
    let paste = "A title with nothing after it\nDeep learning\nY LeCun, Y Bengio, G Hinton\nNature 521 (7553), 436-444\t80000\t2015\nA last title\nJT Leek\n";
    let reading = read(paste);
    assert_eq!(titles(&reading), ["Deep learning"]);
    let errors = with_code(&reading, "scholar::unreadable-row");
    let places: Vec<(usize, usize)> = errors.iter().map(|d| (d.line, d.column)).collect();
    assert_eq!(places, [(1, 1), (5, 1)]);
}

#[test]
fn a_broken_row_in_the_narrow_layout_costs_only_itself() {
    let paste = "First\nJT Leek\nNature 520 (7549), 612, 2015\nNo authors here\nBiostatistics, kxt007, 2013\nThird\nRD Peng, JT Leek\nJAMA 3, 2010\n";
    let reading = read(paste);
    assert_eq!(titles(&reading), ["First", "Third"]);
    let errors: Vec<&Diagnostic> = reading
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].line, errors[0].code),
        (4, "scholar::missing-authors")
    );
}

#[test]
fn an_author_line_that_reads_as_no_names_is_reported() {
    let paste = "Title\nThis line: not names (but a sentence)\nNature 1, 2\t3\t2001\n";
    let reading = read(paste);
    assert!(reading.library.works.is_empty());
    let errors = with_code(&reading, "scholar::bad-authors");
    assert_eq!((errors[0].line, errors[0].column), (2, 1));
}

#[test]
fn a_whole_page_with_its_links_and_footer() {
    let paste = "Google Scholar\nSign in\nJane É. Müller\nFollow\nUniversity of Somewhere\nVerified email at x.edu - Homepage\nMachine Learning\tStatistics\nTitle\nSort\tCited by\tYear\nDeep residual learning\nK He, X Zhang, S Ren, J Sun, JÉ Müller\n2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR), 770-778\t200000\t2016\nA book\nJÉ Müller\nSpringer\t12\t\nShow more\nDates and citation counts are estimated and are determined automatically by a computer program.\nHelp\tPrivacy\tTerms\n";
    let reading = read(paste);
    assert_eq!(
        reading.library.profile.as_ref().map(|p| p.name.as_str()),
        Some("Jane É. Müller")
    );
    assert_eq!(titles(&reading), ["Deep residual learning", "A book"]);
    assert!(
        !reading
            .diagnostics
            .iter()
            .any(|d| d.severity > Severity::Note),
        "{:?}",
        reading.diagnostics
    );
    let work = &reading.library.works[0];
    assert_eq!(
        work.venue
            .container_title
            .as_ref()
            .map(|t| t.raw_string())
            .as_deref(),
        Some("2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"),
        "a conference's abbreviation is no issue"
    );
    assert!(work.venue.issue.is_none());
    let markdown = convert_bytes("page.txt", paste.into(), OutputFormat::Markdown).output;
    assert!(markdown.contains("J Sun, **JÉ Müller**."), "{markdown}");
}

#[test]
fn a_narrow_row_without_its_venue_line_costs_only_itself() {
    let paste = "First\nJT Leek\nSecond\nRD Peng, JT Leek\nNature 520 (7549), 612, 2015\nThird\nJT Leek\nSome journal 3\nA Study\nJT Leek\nOther journal 4\n";
    let reading = read(paste);
    assert_eq!(titles(&reading), ["Second", "Third", "A Study"]);
    let venues: Vec<String> = reading
        .library
        .works
        .iter()
        .map(|work| work.venue.container_title.as_ref().unwrap().raw_string())
        .collect();
    // A venue without a year that is followed by a short title reading
    // as names is still a venue.
    assert_eq!(venues, ["Nature", "Some journal", "Other journal"]);
    let errors = with_code(&reading, "scholar::unreadable-row");
    assert_eq!(errors.len(), 1, "{:?}", reading.diagnostics);
    assert_eq!(errors[0].line, 1);
}
