//! ORCID works JSON: the reference bulk reply to CSL-JSON (a snapshot read
//! and accepted by hand), a `/works` reply of several groups, and replies
//! written here in the shapes real ones take: null and partial dates,
//! accented names, contributors without a sequence, `part-of` ids, error
//! entries, records of the wrong shape, broken JSON, CRLF and minified
//! text, embedded citations that are BibTeX, HTML or nothing.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::model::{Person, Role, Variable, WorkType};
use pubconv::read::orcid::{read_orcid, WORK_TYPES};
use pubconv::read::{InputFormat, ReadOptions, Reading, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_orcid(
        Source {
            name: "works.json",
            text,
        },
        &ReadOptions::default(),
    )
}

fn bulk_fixture() -> String {
    std::fs::read_to_string(fixture("orcid/xu-bulk.json")).unwrap()
}

fn works_fixture() -> String {
    std::fs::read_to_string(fixture("orcid/works.json")).unwrap()
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

/// A bulk reply of the works given, each a JSON object's members.
fn bulk(works: &[&str]) -> String {
    let entries: Vec<String> = works
        .iter()
        .map(|work| format!("  {{\"work\": {{{work}}}}}"))
        .collect();
    format!("{{\"bulk\": [\n{}\n]}}\n", entries.join(",\n"))
}

fn title(value: &str) -> String {
    format!("\"title\": {{\"title\": {{\"value\": \"{value}\"}}, \"subtitle\": null, \"translated-title\": null}}")
}

fn contributor(name: &str, role: &str) -> String {
    format!(
        "{{\"contributor-orcid\": null, \"credit-name\": {{\"value\": \"{name}\"}}, \"contributor-email\": null, \
         \"contributor-attributes\": {{\"contributor-sequence\": null, \"contributor-role\": {role}}}}}"
    )
}

#[test]
fn the_reference_file_as_csl_json() {
    let conversion = convert_fixture(&fixture("orcid/xu-bulk.json"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert_eq!(conversion.written, 2);
    insta::assert_snapshot!("xu-bulk.csl.json", conversion.output);
}

#[test]
fn the_reference_file_read() {
    let text = bulk_fixture();
    let reading = read(&text);
    let works = &reading.library.works;
    assert_eq!(works.len(), 2);
    let first = &works[0];
    assert_eq!(first.kind, WorkType::JournalArticle);
    assert_eq!(
        first.title.as_ref().unwrap().raw_string(),
        "Cascade optical coherence tomography (C-OCT)"
    );
    assert_eq!(names(&first.authors), ["Di Xu", "Andres Garcia Coleto"]);
    assert_eq!(first.ids.doi.as_deref(), Some("10.1364/OE.394638"));
    // The URL is the DOI's link: no URL of its own.
    assert_eq!(first.ids.url, None);
    assert_eq!(first.date.unwrap().start.iso(), "2020-07-06");
    assert_eq!(first.extra["orcid-put-code"], "76065020");
    // Its embedded "BibTeX" is an HTML page: ignored, with a note.
    assert_eq!(reading.diagnostics.len(), 1, "{:?}", reading.diagnostics);
    let note = &reading.diagnostics[0];
    assert_eq!(note.severity, Severity::Note);
    assert_eq!(note.code, "orcid::citation-not-bibtex");
    assert!(note
        .message
        .starts_with("bulk[0].work.citation is an HTML page"));
    assert_eq!((note.line, note.column), (2, 11));
    // The second has no contributors: its embedded BibTeX gives the
    // authors, volume, issue, pages and publisher, but not the title,
    // the date or the DOI ORCID's own fields give.
    let second = &works[1];
    assert_eq!(
        names(&second.authors),
        [
            "Di Xu",
            "Zhenkun Wen",
            "Andres Garcia Coleto",
            "Michael Pomerantz",
            "John C. Lambropoulos",
            "Jannick P. Rolland"
        ]
    );
    assert_eq!(second.venue.volume.as_deref(), Some("29"));
    assert_eq!(second.venue.issue.as_deref(), Some("6"));
    assert_eq!(second.venue.pages.as_deref(), Some("8542"));
    assert_eq!(
        second.venue.publisher.as_deref(),
        Some("The Optical Society")
    );
    assert_eq!(second.ids.doi.as_deref(), Some("10.1364/OE.413844"));
    assert_eq!(second.date.unwrap().start.iso(), "2021-03-15");
    assert_eq!(second.key, None);
    // Offsets point at each work, for merge notes' file:line.
    for offset in &reading.offsets {
        assert!(text[*offset..].starts_with("{\"put-code\""));
    }
}

#[test]
fn a_works_reply_of_several_groups() {
    let reading = read(&works_fixture());
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let works = &reading.library.works;
    assert_eq!(works.len(), 3);
    let article = &works[0];
    // The first summary is the work; the other is the same work from
    // Scopus, whose put-code and identifiers are kept.
    assert_eq!(
        article.title.as_ref().unwrap().raw_string(),
        "Verification of cascade optical coherence tomography for freeform optics form metrology"
    );
    assert!(article.authors.is_empty());
    assert_eq!(article.extra["orcid-put-code"], "89975745");
    assert_eq!(article.extra["orcid-other-put-codes"], "101234567");
    assert_eq!(article.extra["orcid-other-ids"], "eid:2-s2.0-85102345678");
    assert_eq!(article.extra["orcid-owner"], "0000-0002-0613-2229");
    assert_eq!(
        article.extra["orcid-path"],
        "/0000-0002-0613-2229/work/89975745"
    );
    // The journal's ISSN is the article's, as CSL and BibTeX have it.
    assert_eq!(article.ids.issn.as_deref(), Some("1094-4087"));
    assert!(!article.extra.contains_key("orcid-part-of"));
    assert_eq!(article.date.unwrap().start.iso(), "2021-03-15");
    let preprint = &works[1];
    assert_eq!(preprint.kind, WorkType::Preprint);
    assert_eq!(
        preprint.title.as_ref().unwrap().raw_string(),
        "Óptica adaptativa para tomografía: un estudio de métodos"
    );
    assert_eq!(
        preprint.extra["orcid-translated-title"],
        "en: Adaptive optics for tomography"
    );
    assert_eq!(preprint.ids.arxiv.as_deref(), Some("2003.01234"));
    assert_eq!(preprint.ids.url, None, "the arXiv link is the id's");
    // A partial date: year and month.
    let date = preprint.date.unwrap().start;
    assert_eq!(
        (date.year, date.month.map(|m| m.number()), date.day),
        (2020, Some(3), None)
    );
    let chapter = &works[2];
    assert_eq!(chapter.kind, WorkType::Chapter);
    // A null date is no date; the book's ISBN is the chapter's ISBN.
    assert_eq!(chapter.date, None);
    assert_eq!(chapter.ids.isbn.as_deref(), Some("978-3-16-148410-0"));
    assert!(!chapter.extra.contains_key("orcid-part-of"));
    assert_eq!(
        chapter.venue.container_title.as_ref().unwrap().raw_string(),
        "Handbook of Optical Metrology"
    );
}

#[test]
fn told_from_its_content_and_other_json_is_not_claimed() {
    let single = format!("{{\"created-date\": {{\"value\": 1}}, \"put-code\": 5, \"type\": \"book\", {}, \"path\": \"/0000-0001-2345-6789/work/5\"}}", title("A Book"));
    for text in [bulk_fixture(), works_fixture(), single.clone()] {
        for path in [
            Some(Path::new("works.json")),
            Some(Path::new("works")),
            None,
        ] {
            assert_eq!(
                InputFormat::detect(path, &text),
                Some(InputFormat::Orcid),
                "{text}"
            );
        }
    }
    let csl = r#"[{"id": "a", "type": "book", "title": "A"}]"#;
    assert_eq!(
        InputFormat::detect(Some(Path::new("a.json")), csl),
        Some(InputFormat::CslJson)
    );
    let item = r#"{"id": "a", "type": "book", "title": "A"}"#;
    assert_eq!(InputFormat::detect(None, item), Some(InputFormat::CslJson));
    let package = r#"{"name": "x", "version": "1.0.0", "dependencies": {}}"#;
    assert_eq!(
        InputFormat::detect(Some(Path::new("package.json")), package),
        None
    );
    assert_eq!(InputFormat::from_name("ORCID"), Some(InputFormat::Orcid));
    // A single work read, its owner from its path.
    let reading = read(&single);
    assert_eq!(reading.library.works.len(), 1);
    let work = &reading.library.works[0];
    assert_eq!(work.kind, WorkType::Book);
    assert_eq!(work.extra["orcid-owner"], "0000-0001-2345-6789");
    // Given `--from orcid`, other JSON is named as such.
    for other in [csl, package] {
        let reading = read(other);
        assert!(reading.library.works.is_empty());
        assert_eq!(reading.diagnostics.len(), 1);
        assert_eq!(reading.diagnostics[0].code, "orcid::not-works");
        assert_eq!(reading.diagnostics[0].severity, Severity::Error);
    }
}

#[test]
fn contributors_without_a_sequence_keep_their_order_and_roles() {
    let people = [
        contributor("Zoë Ōtsuka", "\"author\""),
        contributor("José Müller", "null"),
        "{\"contributor-orcid\": {\"uri\": \"https://orcid.org/0000-0001-2345-6789\", \"path\": \"0000-0001-2345-6789\", \"host\": \"orcid.org\"}, \
         \"credit-name\": {\"value\": \"Ana María de la Cruz\"}, \"contributor-attributes\": null}"
            .to_owned(),
        contributor("Cruz, Pilar", "\"AUTHOR\""),
        contributor("Élodie Éditrice", "\"editor\""),
        contributor("Tomás Tradutor", "\"chair-or-translator\""),
        "{\"contributor-orcid\": null, \"credit-name\": null, \"contributor-attributes\": null}".to_owned(),
    ];
    let text = bulk(&[&format!(
        "\"put-code\": 1, {}, \"type\": \"edited-book\", \"contributors\": {{\"contributor\": [{}]}}",
        title("Über Graphen"),
        people.join(", ")
    )]);
    let reading = read(&text);
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let work = &reading.library.works[0];
    assert_eq!(
        names(&work.authors),
        [
            "Zoë Ōtsuka",
            "José Müller",
            "Ana María de la Cruz",
            "Pilar Cruz"
        ]
    );
    let Person::Personal(cruz) = &work.authors[2] else {
        panic!("a personal name")
    };
    assert_eq!(cruz.particle.as_deref(), Some("de la"));
    assert_eq!(work.authors[3].family_name(), "Cruz");
    assert_eq!(names(&work.editors), ["Élodie Éditrice"]);
    assert_eq!(
        names(&work.contributors[&Role::Contributor]),
        ["Tomás Tradutor"]
    );
    assert_eq!(
        work.extra["orcid-contributor-roles"],
        "Tomás Tradutor: chair-or-translator"
    );
    assert_eq!(
        work.extra["orcid-contributors"],
        "; ; 0000-0001-2345-6789; ; ; "
    );
}

#[test]
fn an_error_entry_is_a_warning_with_its_path_and_the_rest_is_read() {
    let text = "{\"bulk\": [\n  {\"work\": {\"put-code\": 1, \"title\": {\"title\": {\"value\": \"First\"}}}},\n  \
                {\"error\": {\"response-code\": 404, \"developer-message\": \"404 Not Found: no entity\", \
                \"user-message\": \"The resource was not found.\", \"error-code\": 9016}},\n  \
                {\"work\": {\"put-code\": 3, \"title\": {\"title\": {\"value\": \"Third\"}}}}\n]}";
    let reading = read(text);
    assert_eq!(reading.library.works.len(), 2);
    assert_eq!(reading.diagnostics.len(), 1);
    let warning = &reading.diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.code, "orcid::error-entry");
    assert!(
        warning.message.starts_with("bulk[1] is ORCID's error"),
        "{}",
        warning.message
    );
    assert!(
        warning
            .message
            .contains("The resource was not found. (404)")
            || warning
                .message
                .contains("(404): The resource was not found."),
        "{}",
        warning.message
    );
    assert_eq!((warning.line, warning.column), (3, 3));
}

#[test]
fn records_of_the_wrong_shape_cost_only_themselves() {
    let text = bulk(&[
        "\"put-code\": 1, \"type\": \"journal-article\"",
        &format!("\"put-code\": 2, {}", title("Kept")),
        "\"put-code\": 3, \"title\": {\"title\": {\"value\": 5}}",
        "\"put-code\": 4, \"title\": {\"title\": {\"value\": \"   \"}}",
    ]);
    let reading = read(&text);
    let works = &reading.library.works;
    assert_eq!(works.len(), 1);
    assert_eq!(works[0].title.as_ref().unwrap().raw_string(), "Kept");
    let found: Vec<(&str, usize, String)> = reading
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.message.clone()))
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "orcid::no-title");
    assert!(
        found[0].2.starts_with("bulk[0].work.title is missing"),
        "{found:?}"
    );
    assert_eq!(found[0].1, 2);
    assert_eq!(found[1].0, "orcid::bad-work");
    assert!(
        found[1]
            .2
            .starts_with("bulk[2].work has the wrong shape (invalid type: integer `5`"),
        "{found:?}"
    );
    assert_eq!(found[1].1, 4);
    // The column is the wrong value's, not the record's.
    assert_eq!(
        reading.diagnostics[1].column, 57,
        "{:?}",
        reading.diagnostics[1]
    );
    assert!(
        found[2].2.starts_with("bulk[3].work.title is missing"),
        "{found:?}"
    );
    assert!(reading
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

#[test]
fn broken_json_is_one_error_at_its_line_and_column() {
    let text = bulk_fixture().replacen(
        "\"journal-title\": {\"value\": \"Optics Express\"},",
        "\"journal-title\": {\"value\": \"Optics Express\"}",
        1,
    );
    let reading = read(&text);
    assert!(reading.library.works.is_empty());
    assert_eq!(reading.diagnostics.len(), 1);
    let error = &reading.diagnostics[0];
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.code, "orcid::bad-json");
    assert_eq!((error.line, error.column), (4, 49), "{error:?}");
    assert!(!error.message.contains("line 4"), "{}", error.message);
    // Through a conversion the file is refused with exit status 1.
    let conversion = convert_bytes("broken.json", text.into(), OutputFormat::Bibtex);
    assert_eq!(conversion.exit_status(), 1);
    assert!(conversion
        .diagnostics
        .iter()
        .any(|d| d.code == "orcid::bad-json" && d.line == 4));
    // Cut short: the end of the file.
    let cut = &bulk_fixture()[..600];
    let reading = read(cut);
    assert_eq!(reading.diagnostics[0].code, "orcid::bad-json");
    assert!(
        reading.diagnostics[0].message.contains("EOF"),
        "{}",
        reading.diagnostics[0].message
    );
}

#[test]
fn crlf_pretty_and_minified_read_the_same() {
    for text in [bulk_fixture(), works_fixture()] {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let minified = serde_json::to_string(&value).unwrap();
        let pretty = serde_json::to_string_pretty(&value)
            .unwrap()
            .replace('\n', "\r\n");
        let crlf = text.replace('\n', "\r\n");
        let with_bom = format!("\u{feff}{text}");
        let base = read(&text);
        for other in [minified, pretty, crlf, with_bom] {
            let reading = read(&other);
            assert_eq!(reading.library, base.library);
            assert_eq!(reading.diagnostics.len(), base.diagnostics.len());
            for offset in &reading.offsets {
                assert!(other[*offset..].starts_with('{'));
            }
        }
    }
}

#[test]
fn null_and_partial_dates() {
    let date = |json: &str| {
        let text = bulk(&[&format!(
            "\"put-code\": 1, {}, \"publication-date\": {json}",
            title("T")
        )]);
        let reading = read(&text);
        let work = reading.library.works[0].clone();
        (
            work.date.map(|d| d.start.iso()),
            work.extra.get("orcid-publication-date").cloned(),
            reading.diagnostics,
        )
    };
    assert_eq!(date("null").0, None);
    assert_eq!(
        date("{\"year\": null, \"month\": null, \"day\": null}").0,
        None
    );
    assert_eq!(
        date("{\"year\": {\"value\": \"2019\"}, \"month\": null, \"day\": null}")
            .0
            .as_deref(),
        Some("2019")
    );
    assert_eq!(
        date("{\"year\": {\"value\": \"2019\"}, \"month\": {\"value\": \"11\"}}")
            .0
            .as_deref(),
        Some("2019-11")
    );
    assert_eq!(date("{\"year\": {\"value\": \"2019\"}, \"month\": {\"value\": \"1\"}, \"day\": {\"value\": \"9\"}}").0.as_deref(), Some("2019-01-09"));
    // No 30 February: the year and month are read, the date kept.
    let (read_as, kept, diagnostics) = date("{\"year\": {\"value\": \"2023\"}, \"month\": {\"value\": \"02\"}, \"day\": {\"value\": \"30\"}}");
    assert_eq!(read_as.as_deref(), Some("2023-02"));
    assert_eq!(kept.as_deref(), Some("2023-02-30"));
    assert_eq!(diagnostics[0].code, "orcid::bad-date");
    assert!(
        diagnostics[0]
            .message
            .contains("February 2023 has only 28 days"),
        "{}",
        diagnostics[0].message
    );
    let (read_as, kept, _) =
        date("{\"year\": {\"value\": \"2023\"}, \"month\": {\"value\": \"13\"}, \"day\": null}");
    assert_eq!(
        (read_as.as_deref(), kept.as_deref()),
        (Some("2023"), Some("2023-13-"))
    );
    // A month without a year cannot be a date: kept as written.
    let (read_as, kept, diagnostics) =
        date("{\"year\": null, \"month\": {\"value\": \"05\"}, \"day\": null}");
    assert_eq!((read_as, kept.as_deref()), (None, Some("-05-")));
    assert!(
        diagnostics[0].message.contains("has no year"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn the_embedded_citation_fills_gaps_only_where_it_is_bibtex() {
    let citation = |value: &str| {
        format!(
            "\"put-code\": 1, {}, \"type\": \"conference-paper\", \"citation\": {{\"citation-type\": \"BIBTEX\", \"citation-value\": \"{value}\"}}, \
             \"publication-date\": {{\"year\": {{\"value\": \"2020\"}}, \"month\": null, \"day\": null}}",
            title("ORCID's Title")
        )
    };
    let good = citation("@inproceedings{k, title = {Their Title}, author = {M{\\\\\\\"u}ller, Jos{\\\\'e} and Ann Smith}, booktitle = {Proc. of X}, year = 2021, pages = {1--10}, location = {{Montr\\u00e9al, Canada}}}");
    let empty = citation("");
    let html = citation("<html><body>Moved</body></html>");
    let broken = citation("@article{k, title = {Unclosed");
    let text = bulk(&[&good, &empty, &html, &broken]);
    let reading = read(&text);
    let works = &reading.library.works;
    assert_eq!(works.len(), 4);
    let filled = &works[0];
    assert_eq!(filled.title.as_ref().unwrap().raw_string(), "ORCID's Title");
    assert_eq!(filled.kind, WorkType::ConferencePaper);
    assert_eq!(names(&filled.authors), ["José Müller", "Ann Smith"]);
    assert_eq!(filled.date.unwrap().start.iso(), "2020");
    assert_eq!(filled.venue.pages.as_deref(), Some("1–10"));
    assert_eq!(
        filled.venue.container_title.as_ref().unwrap().raw_string(),
        "Proc. of X"
    );
    assert_eq!(filled.venue.place.as_deref(), Some("Montréal, Canada"));
    for work in &works[1..] {
        assert!(work.authors.is_empty());
        assert_eq!(work.venue.container_title, None);
    }
    let notes: Vec<(usize, &str)> = reading
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0]
            .1
            .starts_with("bulk[2].work.citation is an HTML page"),
        "{notes:?}"
    );
    assert!(
        notes[1]
            .1
            .starts_with("bulk[3].work.citation is not one BibTeX entry"),
        "{notes:?}"
    );
    assert!(reading
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Note));
}

#[test]
fn every_orcid_type_has_a_type_and_unknown_ones_are_kept() {
    for &(name, kind, genre) in WORK_TYPES {
        let upper = name.to_ascii_uppercase().replace('-', "_");
        for written in [name.to_owned(), upper] {
            let text = bulk(&[&format!(
                "\"put-code\": 1, {}, \"type\": \"{written}\"",
                title("T")
            )]);
            let reading = read(&text);
            assert!(
                reading.diagnostics.is_empty(),
                "{name}: {:?}",
                reading.diagnostics
            );
            let work = &reading.library.works[0];
            assert_eq!(work.kind, kind, "{name}");
            assert_eq!(
                work.fields.get(&Variable::Genre).map(|g| g.raw_string()),
                genre.map(str::to_owned),
                "{name}"
            );
        }
    }
    let text = bulk(&[&format!(
        "\"put-code\": 1, {}, \"type\": \"hologram\"",
        title("T")
    )]);
    let reading = read(&text);
    let work = &reading.library.works[0];
    assert_eq!(work.kind, WorkType::Misc);
    assert_eq!(work.extra["orcid-type"], "hologram");
    assert_eq!(reading.diagnostics[0].code, "orcid::unknown-type");
    assert_eq!(reading.diagnostics[0].severity, Severity::Note);
}

#[test]
fn identifiers_by_relationship() {
    let ids = "\"external-ids\": {\"external-id\": [\
        {\"external-id-type\": \"doi\", \"external-id-value\": \"https://doi.org/10.1000/ABC\", \"external-id-relationship\": \"self\"},\
        {\"external-id-type\": \"doi\", \"external-id-value\": \"10.1000/published\", \"external-id-relationship\": \"version-of\"},\
        {\"external-id-type\": \"issn\", \"external-id-value\": \"0028-0836\", \"external-id-relationship\": \"part-of\"},\
        {\"external-id-type\": \"isbn\", \"external-id-value\": \"978-0-00-000000-2\", \"external-id-relationship\": \"PART_OF\"},\
        {\"external-id-type\": \"issn\", \"external-id-value\": \"1476-4687\", \"external-id-relationship\": \"part-of\"},\
        {\"external-id-type\": \"issn\", \"external-id-value\": \"0028-0836\", \"external-id-relationship\": \"part-of\"},\
        {\"external-id-type\": \"uri\", \"external-id-value\": \"https://www.nature.com\", \"external-id-relationship\": \"part-of\"},\
        {\"external-id-type\": \"pmid\", \"external-id-value\": \"12345678\", \"external-id-relationship\": \"self\"},\
        {\"external-id-type\": \"grant_number\", \"external-id-value\": \"EP/X000000/1\", \"external-id-relationship\": \"funded-by\"},\
        {\"external-id-type\": \"wosuid\", \"external-id-value\": \"WOS:000123\", \"external-id-relationship\": null}]}";
    let text = bulk(&[&format!(
        "\"put-code\": 1, {}, {ids}, \"url\": {{\"value\": \"https://example.org/paper\"}}",
        title("T")
    )]);
    let reading = read(&text);
    let work = &reading.library.works[0];
    assert_eq!(work.ids.doi.as_deref(), Some("10.1000/ABC"));
    // The container's ISSN and ISBN are what CSL and BibTeX call the
    // work's; a second ISSN has no place and is kept as it came.
    assert_eq!(work.ids.issn.as_deref(), Some("0028-0836"));
    assert_eq!(work.ids.isbn.as_deref(), Some("978-0-00-000000-2"));
    assert_eq!(work.ids.url.as_deref(), Some("https://example.org/paper"));
    assert_eq!(work.fields[&Variable::Pmid].raw_string(), "12345678");
    assert_eq!(work.extra["orcid-version-of"], "doi:10.1000/published");
    assert_eq!(
        work.extra["orcid-part-of"],
        "issn:1476-4687; uri:https://www.nature.com"
    );
    assert_eq!(work.extra["orcid-funded-by"], "grant-number:EP/X000000/1");
    assert_eq!(work.extra["orcid-other-ids"], "wosuid:WOS:000123");
}

#[test]
fn every_output_takes_it() {
    for path in ["orcid/xu-bulk.json", "orcid/works.json"] {
        for format in OutputFormat::ALL {
            let conversion = convert_fixture(&fixture(path), *format);
            assert_eq!(conversion.exit_status(), 0, "{path} {format:?}");
            assert!(conversion.written >= 2, "{path} {format:?}");
        }
    }
    let bibtex = convert_fixture(&fixture("orcid/works.json"), OutputFormat::Biblatex).output;
    assert!(bibtex.contains("@incollection{"), "{bibtex}");
    assert!(bibtex.contains("eprint = {2003.01234}"), "{bibtex}");
    let markdown = convert_fixture(&fixture("orcid/xu-bulk.json"), OutputFormat::Markdown).output;
    assert!(markdown.contains("Di Xu, Andres Garcia Coleto. Cascade optical coherence tomography (C-OCT). *Optics Express*"), "{markdown}");
}

#[test]
fn a_whole_record_names_its_person_and_its_groups_paths() {
    let works = works_fixture().replacen(
        "\"work-summary\": [\n        {\n          \"put-code\": 33445566,\n          \"title\": {\"title\": {\"value\": \"Freeform optics: a tutorial\"}",
        "\"work-summary\": [\n        {\n          \"put-code\": 33445566,\n          \"title\": {\"title\": null",
        1,
    );
    assert_ne!(works, works_fixture());
    let works = works.replace("/0000-0002-0613-2229/", "/0000-0003-1415-9269/");
    let record = format!(
        "{{\"orcid-identifier\": {{\"uri\": \"https://orcid.org/0000-0003-1415-9269\", \"path\": \"0000-0003-1415-9269\", \"host\": \"orcid.org\"}},\n\
         \"person\": {{\"name\": {{\"given-names\": {{\"value\": \"Zoë\"}}, \"family-name\": {{\"value\": \"Ōtsuka-Müller\"}}, \"credit-name\": null}}}},\n\
         \"activities-summary\": {{\"works\": {works}}}, \"path\": \"/0000-0003-1415-9269\"}}"
    );
    let reading = read(&record);
    assert_eq!(
        reading.library.profile.as_ref().unwrap().name,
        "Zoë Ōtsuka-Müller"
    );
    assert_eq!(reading.library.works.len(), 2);
    assert_eq!(
        reading.library.works[0].extra["orcid-owner"],
        "0000-0003-1415-9269"
    );
    assert_eq!(reading.diagnostics.len(), 1);
    assert!(
        reading.diagnostics[0]
            .message
            .starts_with("activities-summary.works.group[2].work-summary[0].title is missing"),
        "{}",
        reading.diagnostics[0].message
    );
    assert_eq!(
        InputFormat::detect(Some(Path::new("record.json")), &record),
        Some(InputFormat::Orcid)
    );
    // A CV is made of it.
    let markdown = convert_bytes("record.json", record.into_bytes(), OutputFormat::Markdown);
    assert_eq!(markdown.written, 2);
}
