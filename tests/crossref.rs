//! Crossref REST API JSON: one work and a page of works to CSL-JSON
//! (snapshots read and accepted by hand), and records written here in the
//! shapes real ones take: accents, CRLF, missing and null fields, partial
//! and `[[null]]` dates, JATS with markup and broken JATS, records of the
//! wrong shape, error answers, other kinds of file and broken JSON.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::model::{DateVariable, Inline, Person, Style, Variable, WorkType};
use pubconv::read::{crossref::read_crossref, InputFormat, ReadOptions, Reading, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_crossref(
        Source {
            name: "works.json",
            text,
        },
        &ReadOptions::default(),
    )
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("crossref/{name}"))).unwrap()
}

/// `/works/{doi}`'s answer around one work's keys (after `DOI` and
/// `indexed`, which every work has).
fn answer(keys: &str) -> String {
    format!(
        "{{\"status\":\"ok\",\"message-type\":\"work\",\"message-version\":\"1.0.0\",\"message\":{{\n\
         \"indexed\":{{\"date-parts\":[[2026,1,1]]}},\"DOI\":\"10.5555/x\",\"type\":\"journal-article\",\n\
         {keys}}}}}\n"
    )
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

#[test]
fn one_work_as_csl_json() {
    let conversion = convert_fixture(&fixture("crossref/work.json"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert!(
        conversion.diagnostics.is_empty(),
        "{:?}",
        conversion.diagnostics
    );
    insta::assert_snapshot!("crossref-work.csl.json", conversion.output);
}

#[test]
fn a_page_of_works_as_csl_json() {
    let conversion = convert_fixture(&fixture("crossref/list.json"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert_eq!(conversion.written, 4);
    insta::assert_snapshot!("crossref-list.csl.json", conversion.output);
}

#[test]
fn one_work_read() {
    let reading = read(&fixture_text("work.json"));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let [work] = reading.library.works.as_slice() else {
        panic!("one work");
    };
    assert_eq!(work.kind, WorkType::JournalArticle);
    // A journal's date is the issue's (print), the online one kept apart.
    assert_eq!(work.date.unwrap().start.iso(), "2008-06");
    assert_eq!(
        work.dates[&DateVariable::AvailableDate].start.iso(),
        "2008-03-12"
    );
    assert_eq!(
        names(&work.authors),
        ["Patrick Erik Bradley", "Zoë Kovács-Müller"]
    );
    assert_eq!(
        work.extra["author-orcids"],
        "https://orcid.org/0000-0002-9136-2401; "
    );
    assert_eq!(work.extra["citations"], "17");
    assert_eq!(work.extra["has-preprint"], "10.48550/arXiv.0707.3536");
    assert_eq!(
        work.extra["license"],
        "https://www.springernature.com/gp/researchers/terms-of-use"
    );
    assert_eq!(work.ids.issn.as_deref(), Some("0176-4268"));
    assert_eq!(work.extra["other-issns"], "1432-1343");
    // The URL is the DOI's link: the DOI says it.
    assert_eq!(work.ids.url, None);
    assert_eq!(work.venue.pages.as_deref(), Some("27–42"));
    assert_eq!(
        work.fields[&Variable::ContainerTitleShort].raw_string(),
        "J Classif"
    );
    let summary = work.abstract_text.as_ref().unwrap();
    assert!(summary.inlines.contains(&Inline::Styled(
        Style::Emphasis,
        vec![Inline::Plain("p".into())]
    )));
    assert!(summary.inlines.contains(&Inline::Styled(
        Style::Superscript,
        vec![Inline::Plain("−3".into())]
    )));
    assert!(!summary.raw_string().contains("Abstract"));
    assert!(summary.raw_string().ends_with("< 100."));
}

#[test]
fn a_page_read() {
    let reading = read(&fixture_text("list.json"));
    let works = &reading.library.works;
    assert_eq!(works.len(), 4);
    let [paper, preprint, chapter, dataset] = works.as_slice() else {
        unreachable!()
    };
    assert_eq!(paper.kind, WorkType::ConferencePaper);
    assert_eq!(paper.date.unwrap().start.iso(), "2020");
    assert_eq!(paper.fields[&Variable::EventPlace].raw_string(), "Online");
    assert_eq!(paper.extra["citations"], "4294");

    assert_eq!(preprint.kind, WorkType::Preprint);
    assert_eq!(preprint.date.unwrap().start.iso(), "2025-08-23");
    assert_eq!(
        preprint.title.as_ref().unwrap().inlines,
        [
            Inline::Plain("Grid Cells & Place Cells in ".into()),
            Inline::Styled(Style::Emphasis, vec![Inline::Plain("Mus musculus".into())]),
            Inline::Plain(": A Replication".into()),
        ]
    );
    assert_eq!(
        preprint.authors[1],
        Person::Literal("The ENCODE Project Consortium".into())
    );
    assert_eq!(
        preprint.extra["is-preprint-of"],
        "10.1038/s41586-026-01234-5"
    );
    assert_eq!(
        preprint
            .venue
            .container_title
            .as_ref()
            .unwrap()
            .raw_string(),
        "bioRxiv"
    );

    // A `[[null]]` print date is none: `issued` gives the year.
    assert_eq!(chapter.kind, WorkType::Chapter);
    assert_eq!(chapter.date.unwrap().start.iso(), "2020");
    assert_eq!(names(&chapter.editors), ["Andrea Vedaldi", "Horst Bischof"]);
    assert_eq!(
        chapter.venue.container_title.as_ref().unwrap().raw_string(),
        "Computer Vision – ECCV 2020"
    );
    assert_eq!(
        chapter.fields[&Variable::CollectionTitle].raw_string(),
        "Lecture Notes in Computer Science"
    );
    assert_eq!(chapter.fields[&Variable::Language].raw_string(), "fr");
    assert_eq!(
        chapter.title.as_ref().unwrap().raw_string(),
        "Étude des réseaux: l’apprentissage sans étiquettes"
    );

    // No publication date at all: the deposit date is kept, not used.
    assert_eq!(dataset.kind, WorkType::Dataset);
    assert_eq!(dataset.date, None);
    assert_eq!(dataset.extra["crossref-created"], "2019-03-02");
    assert_eq!(
        dataset.ids.url.as_deref(),
        Some("https://zenodo.org/record/1234567")
    );

    // The nameless second author of the chapter, and the page's count.
    let codes: Vec<&str> = reading.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["crossref::more-results", "crossref::nameless-person"]
    );
    let text = fixture_text("list.json");
    for offset in &reading.offsets {
        assert!(text[*offset..].starts_with('{'));
    }
}

#[test]
fn traps_cost_their_record_only() {
    let reading = read(&fixture_text("traps.json"));
    assert_eq!(reading.library.works.len(), 2);
    let found: Vec<(&str, usize, Severity)> = reading
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("crossref::bad-abstract", 9, Severity::Warning),
            ("crossref::bad-date", 158, Severity::Warning),
            ("crossref::no-title", 219, Severity::Warning),
            ("crossref::bad-record", 257, Severity::Warning),
        ]
    );
    let messages: Vec<&str> = reading
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages[1].contains("message.items[1].created"),
        "{}",
        messages[1]
    );
    assert!(
        messages[3].starts_with("message.items[3] is not shaped"),
        "{}",
        messages[3]
    );
    // Broken JATS is kept as written, markup and all.
    let summary = reading.library.works[0].abstract_text.as_ref().unwrap();
    assert!(summary.raw_string().contains("<jats:bold>and below"));
    assert!(
        !reading.diagnostics[0].message.contains("1:"),
        "{}",
        messages[0]
    );
}

#[test]
fn partial_and_null_dates() {
    for (dates, expected) in [
        (r#""published-print":{"date-parts":[[2019]]}"#, Some("2019")),
        (
            r#""published-print":{"date-parts":[[2019,7]]}"#,
            Some("2019-07"),
        ),
        (
            r#""published-print":{"date-parts":[[null]]},"issued":{"date-parts":[[2018,2,28]]}"#,
            Some("2018-02-28"),
        ),
        (r#""issued":{"date-parts":[[null]]}"#, None),
        (r#""issued":{"date-parts":[]}"#, None),
        (
            r#""issued":{"date-parts":[["2017","03"]]}"#,
            Some("2017-03"),
        ),
        (r#""issued":{"date-parts":[[2017,13]]}"#, Some("2017")),
    ] {
        let reading = read(&answer(&format!("\"title\":[\"T\"],{dates}")));
        let work = &reading.library.works[0];
        assert_eq!(
            work.date.map(|date| date.start.iso()).as_deref(),
            expected,
            "{dates}"
        );
    }
}

#[test]
fn the_date_chosen_depends_on_the_kind() {
    let dates = r#""published-print":{"date-parts":[[2021,5]]},"published-online":{"date-parts":[[2020,11,2]]},"issued":{"date-parts":[[2020,11,2]]},"posted":{"date-parts":[[2019,1,3]]}"#;
    for (kind, expected) in [
        ("journal-article", "2021-05"),
        ("proceedings-article", "2020-11-02"),
        ("posted-content", "2019-01-03"),
    ] {
        let text = answer(&format!("\"title\":[\"T\"],{dates}")).replace("journal-article", kind);
        let work = &read(&text).library.works[0];
        assert_eq!(work.date.unwrap().start.iso(), expected, "{kind}");
    }
}

#[test]
fn types_map_by_one_table() {
    for (kind, subtype, expected) in [
        ("journal-article", None, WorkType::JournalArticle),
        ("proceedings-article", None, WorkType::ConferencePaper),
        ("posted-content", Some("preprint"), WorkType::Preprint),
        ("posted-content", Some("working_paper"), WorkType::Report),
        ("book-chapter", None, WorkType::Chapter),
        ("book", None, WorkType::Book),
        ("dissertation", None, WorkType::Thesis),
        ("report", None, WorkType::Report),
        ("dataset", None, WorkType::Dataset),
        // Crossref's content-negotiated "CSL" names.
        ("article-journal", None, WorkType::JournalArticle),
        ("hologram", None, WorkType::Misc),
    ] {
        let subtype = subtype.map_or(String::new(), |s| format!(",\"subtype\":\"{s}\""));
        let text = answer(&format!("\"title\":[\"T\"]{subtype}")).replace("journal-article", kind);
        let reading = read(&text);
        assert_eq!(reading.library.works[0].kind, expected, "{kind}");
        if kind == "hologram" {
            assert_eq!(reading.library.works[0].extra["crossref-type"], "hologram");
            assert_eq!(reading.diagnostics[0].code, "crossref::unknown-type");
        }
    }
}

#[test]
fn missing_and_null_fields() {
    let reading = read(&answer(
        r#""title":"A Lone String Title","container-title":null,"author":[{"family":"Silva","given":null,"ORCID":"0000-0002-1825-009x"},{"name":"World Health Organization"}],"volume":null,"page":null,"abstract":null,"relation":{},"license":[]"#,
    ));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let work = &reading.library.works[0];
    assert_eq!(
        work.title.as_ref().unwrap().raw_string(),
        "A Lone String Title"
    );
    assert_eq!(names(&work.authors), ["Silva", "World Health Organization"]);
    assert_eq!(
        work.extra["author-orcids"],
        "https://orcid.org/0000-0002-1825-009X; "
    );
    assert!(work.venue.container_title.is_none() && work.abstract_text.is_none());
    assert_eq!(work.date, None);
}

#[test]
fn crlf_line_ends_read_the_same() {
    let lf = fixture_text("list.json");
    let crlf = lf.replace('\n', "\r\n");
    let (a, b) = (read(&lf), read(&crlf));
    assert_eq!(a.library, b.library);
    let lines = |reading: &Reading| {
        reading
            .diagnostics
            .iter()
            .map(|d| d.line)
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&a), lines(&b));
}

#[test]
fn bare_works_and_arrays_of_them() {
    let page: serde_json::Value = serde_json::from_str(&fixture_text("list.json")).unwrap();
    let items = &page["message"]["items"];
    let array = read(&serde_json::to_string_pretty(items).unwrap());
    assert_eq!(array.library.works.len(), 4);
    let bare = read(&serde_json::to_string(&items[0]).unwrap());
    assert_eq!(bare.library.works.len(), 1);
    assert!(bare.diagnostics.is_empty(), "{:?}", bare.diagnostics);
    let nameless = array
        .diagnostics
        .iter()
        .find(|d| d.code == "crossref::nameless-person");
    assert!(nameless.unwrap().message.starts_with("[2].author[1]"));
}

#[test]
fn error_answers_and_other_kinds_are_named() {
    let cases = [
        (
            r#"{"status":"failed","message-type":"validation-failure","message":[{"type":"parameter-not-allowed","value":"x","message":"This route does not support x"}]}"#,
            "crossref::api-error",
            "This route does not support x",
        ),
        (
            r#"{"status":"ok","message-type":"member","message-version":"1.0.0","message":{"id":311}}"#,
            "crossref::not-works",
            "`member`",
        ),
        (
            r#"[{"id":"a","type":"article-journal","title":"T"}]"#,
            "crossref::not-crossref",
            "CSL-JSON",
        ),
    ];
    for (text, code, says) in cases {
        let reading = read(text);
        assert!(reading.library.works.is_empty());
        let [error] = reading.diagnostics.as_slice() else {
            panic!("{:?}", reading.diagnostics);
        };
        assert_eq!((error.code, error.severity), (code, Severity::Error));
        assert!(error.message.contains(says), "{}", error.message);
    }
}

#[test]
fn broken_json_is_one_error_with_its_line_and_column() {
    let text = fixture_text("list.json");
    let cut = &text[..text.find("\"BART").unwrap() + 10];
    let reading = read(cut);
    assert!(reading.library.works.is_empty());
    let [error] = reading.diagnostics.as_slice() else {
        panic!("{:?}", reading.diagnostics);
    };
    assert_eq!(error.code, "crossref::bad-json");
    let line = cut.lines().count();
    assert_eq!(error.line, line, "{error:?}");
    assert!(!error.message.contains("line"), "{}", error.message);
    // Still told as Crossref's, so the error is the reader's.
    assert_eq!(
        InputFormat::detect(Some(Path::new("cut.json")), cut),
        Some(InputFormat::Crossref)
    );
    let conversion = convert_bytes("cut.json", cut.into(), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 1);
    assert!(conversion
        .diagnostics
        .iter()
        .any(|d| d.code == "crossref::bad-json"));
}

#[test]
fn told_before_csl_json_and_csl_json_stays_csl() {
    for name in ["work.json", "list.json", "traps.json"] {
        let text = fixture_text(name);
        for path in [Some(Path::new("x.json")), Some(Path::new("x")), None] {
            assert_eq!(
                InputFormat::detect(path, &text),
                Some(InputFormat::Crossref),
                "{name}"
            );
        }
    }
    let zotero = std::fs::read_to_string(fixture("csl/zotero.json")).unwrap();
    assert_eq!(
        InputFormat::detect(Some(Path::new("zotero.json")), &zotero),
        Some(InputFormat::CslJson)
    );
    assert_eq!(
        InputFormat::from_name("crossref"),
        Some(InputFormat::Crossref)
    );
}

#[test]
fn every_output_takes_it() {
    let bytes = fixture_text("list.json").into_bytes();
    for format in OutputFormat::ALL {
        let conversion = convert_bytes("works.json", bytes.clone(), *format);
        assert_eq!(conversion.written, 4, "{format:?}");
    }
    let bibtex = convert_bytes("works.json", bytes, OutputFormat::Biblatex).output;
    assert!(bibtex.contains("citations = {4294}"), "{bibtex}");
}
