//! OpenAlex works JSON: the reference list page to CSL-JSON (a snapshot
//! read and accepted by hand), and files written here in the shapes the
//! API's answers take: a single work against the same work in a list page,
//! null values everywhere, accented names and escapes, authorships cut at
//! 100, DOI forms, records of the wrong shape, JSON of another kind, broken
//! JSON and CRLF line ends.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::convert::{convert, Input, Request};
use pubconv::diagnostic::Severity;
use pubconv::model::{Person, WorkType};
use pubconv::read::{openalex::read_openalex, InputFormat, ReadOptions, Reading, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_openalex(
        Source {
            name: "works.json",
            text,
        },
        &ReadOptions::default(),
    )
}

fn works() -> String {
    std::fs::read_to_string(fixture("openalex/works.json")).unwrap()
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

/// A list page holding the works given (JSON objects).
fn page(works: &[&str]) -> String {
    format!(
        "{{\"meta\":{{\"count\":{},\"db_response_time_ms\":20,\"page\":1,\"per_page\":25}},\n\"results\":[\n{}\n]}}\n",
        works.len(),
        works.join(",\n")
    )
}

#[test]
fn the_reference_page_as_csl_json() {
    let conversion = convert_fixture(&fixture("openalex/works.json"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert_eq!(conversion.written, 3);
    insta::assert_snapshot!("openalex-works.csl.json", conversion.output);
}

#[test]
fn the_reference_page_read() {
    let text = works();
    let reading = read(&text);
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let works = &reading.library.works;
    assert_eq!(works.len(), 3);

    let article = &works[0];
    assert_eq!(article.kind, WorkType::JournalArticle);
    // `Pastina, D.` is printed family name first: OpenAlex's display name
    // is read instead.
    assert_eq!(names(&article.authors), ["Hui Ma", "Débora Pastina"]);
    assert!(!article.authors_truncated);
    assert_eq!(
        article.ids.doi.as_deref(),
        Some("10.1109/taes.2017.2739900")
    );
    assert_eq!(article.ids.issn.as_deref(), Some("0018-9251"));
    // The open copy in the repository is the URL; the DOI's resolver is not.
    assert_eq!(
        article.ids.url.as_deref(),
        Some("http://hdl.handle.net/11573/1023254")
    );
    assert_eq!(
        article.venue.container_title.as_ref().unwrap().raw_string(),
        "IEEE Transactions on Aerospace and Electronic Systems"
    );
    assert_eq!(article.venue.volume.as_deref(), Some("54"));
    assert_eq!(article.venue.issue.as_deref(), Some("1"));
    assert_eq!(article.venue.pages.as_deref(), Some("115–130"));
    assert_eq!(article.date.unwrap().start.iso(), "2017-08-14");
    assert_eq!(article.extra["citations"], "6");
    assert_eq!(article.extra["mag"], "2747458887");
    assert_eq!(
        article.extra["openalex"],
        "https://openalex.org/W2747458887"
    );
    assert_eq!(article.extra["openalex-version"], "publishedVersion");
    assert_eq!(article.extra["orcids"], "0000-0002-2502-3933; ");
    assert!(article
        .abstract_text
        .as_ref()
        .unwrap()
        .raw_string()
        .starts_with("This paper studies maritime moving target indication"));

    let preprint = &works[1];
    assert_eq!(preprint.kind, WorkType::Preprint);
    assert_eq!(preprint.ids.arxiv.as_deref(), Some("2403.01234"));
    // The repository is no venue.
    assert_eq!(preprint.venue.container_title, None);
    assert_eq!(preprint.abstract_text, None);
    assert_eq!(preprint.venue.pages, None);
    assert_eq!(
        names(&preprint.authors),
        ["Zoë Kovács-Müller", "Sang-Eun Lee"]
    );

    let paper = &works[2];
    assert_eq!(paper.kind, WorkType::ConferencePaper);
    assert!(paper.authors_truncated);
    assert_eq!(paper.extra["mag"], "4385012345");
    assert_eq!(
        paper.fields[&pubconv::model::Variable::Pmid].raw_string(),
        "37000042"
    );
    assert_eq!(paper.ids.url, None);

    for (offset, id) in reading
        .offsets
        .iter()
        .zip(["W2747458887", "W4300000001", "W4300000002"])
    {
        assert!(text[*offset..].starts_with('{'));
        assert!(text[*offset..*offset + 80].contains(id), "{id}");
    }
}

#[test]
fn a_single_work_reads_as_the_same_work_in_a_list() {
    let single = std::fs::read_to_string(fixture("openalex/work.json")).unwrap();
    let one = read(&single);
    let list = read(&works());
    assert!(one.diagnostics.is_empty(), "{:?}", one.diagnostics);
    assert_eq!(one.library.works.len(), 1);
    assert_eq!(one.library.works[0], list.library.works[0]);
    assert_eq!(one.offsets, [0]);
}

#[test]
fn told_from_its_content_before_csl_json() {
    for name in ["openalex/works.json", "openalex/work.json"] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        for path in [
            Some(Path::new("works.json")),
            Some(Path::new("works")),
            None,
        ] {
            assert_eq!(
                InputFormat::detect(path, &text),
                Some(InputFormat::OpenAlex),
                "{name}"
            );
        }
    }
    // CSL-JSON stays CSL-JSON.
    let csl = std::fs::read_to_string(fixture("csl/zotero.json")).unwrap();
    assert_eq!(
        InputFormat::detect(Some(Path::new("zotero.json")), &csl),
        Some(InputFormat::CslJson)
    );
    assert_eq!(
        InputFormat::detect(Some(Path::new("empty.json")), "[]"),
        Some(InputFormat::CslJson)
    );
    assert_eq!(
        InputFormat::from_name("OpenAlex"),
        Some(InputFormat::OpenAlex)
    );
    let conversion = convert_fixture(&fixture("openalex/work.json"), OutputFormat::CslJson);
    assert_eq!(conversion.written, 1);
}

#[test]
fn null_values_everywhere_are_absent_values() {
    let work = r#"{"id":"https://openalex.org/W1","doi":null,"title":null,"display_name":"Only a Name",
        "publication_year":null,"publication_date":null,"ids":null,"language":null,"primary_location":null,
        "best_oa_location":null,"locations":[null],"type":null,"type_crossref":null,
        "authorships":[null,{"author":null,"raw_author_name":null},{"author":{"display_name":null},"raw_author_name":"Ana Ruiz"}],
        "is_authors_truncated":null,"biblio":{"volume":null,"issue":null,"first_page":"e17","last_page":null},
        "cited_by_count":null,"abstract_inverted_index":null,"is_retracted":null}"#;
    let reading = read(&page(&[work]));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let work = &reading.library.works[0];
    assert_eq!(work.title.as_ref().unwrap().raw_string(), "Only a Name");
    assert_eq!(names(&work.authors), ["Ana Ruiz"]);
    assert_eq!(work.kind, WorkType::Misc);
    assert_eq!(work.date, None);
    assert_eq!(work.venue.pages.as_deref(), Some("e17"));
    assert_eq!(work.extra.keys().collect::<Vec<_>>(), ["openalex"]);
}

#[test]
fn a_work_without_a_title_is_skipped_with_a_warning() {
    let reading = read(&page(&[
        r#"{"id":"https://openalex.org/W1","title":null,"display_name":"  "}"#,
        r#"{"id":"https://openalex.org/W2","title":"Kept"}"#,
    ]));
    assert_eq!(reading.library.works.len(), 1);
    assert_eq!(reading.diagnostics.len(), 1);
    assert_eq!(reading.diagnostics[0].severity, Severity::Warning);
    assert!(reading.diagnostics[0]
        .message
        .starts_with("results[0]: this work has no title"));
    assert_eq!(reading.diagnostics[0].line, 3);
}

#[test]
fn accented_names_and_escaped_words() {
    let work = r#"{"id":"https://openalex.org/W1","title":"\u00c9tude des r\u00e9seaux",
        "authorships":[{"author":{"display_name":"Jos\u00e9 \u00c1ngel Garc\u00eda"},"raw_author_name":"José Ángel García"},
                       {"author":{"display_name":"Ana María de la Cruz"},"raw_author_name":"de la Cruz, A. M."},
                       {"author":{"display_name":"Zoë Ōtsuka"},"raw_author_name":null}],
        "abstract_inverted_index":{"r\u00e9seaux":[2],"\u00c9tude":[0],"des":[1],"\"quoted\"":[3]}}"#;
    let reading = read(work);
    let work = &reading.library.works[0];
    assert_eq!(
        work.title.as_ref().unwrap().raw_string(),
        "Étude des réseaux"
    );
    assert_eq!(
        names(&work.authors),
        ["José Ángel García", "Ana María de la Cruz", "Zoë Ōtsuka"]
    );
    let Person::Personal(cruz) = &work.authors[1] else {
        panic!("a personal name")
    };
    assert_eq!(cruz.particle.as_deref(), Some("de la"));
    assert_eq!(
        work.abstract_text.as_ref().unwrap().raw_string(),
        "Étude des réseaux \"quoted\""
    );
}

fn authorships(count: usize) -> String {
    let one = r#"{"author":{"display_name":"Ann Lee"},"raw_author_name":"Ann Lee"}"#;
    vec![one; count].join(",")
}

#[test]
fn authorships_cut_at_one_hundred_are_a_truncated_list() {
    let flagged = format!(
        r#"{{"id":"https://openalex.org/W1","title":"Flagged","authorships":[{}],"is_authors_truncated":true}}"#,
        authorships(3)
    );
    let hundred = format!(
        r#"{{"id":"https://openalex.org/W2","title":"Unflagged","authorships":[{}]}}"#,
        authorships(100)
    );
    let ninety_nine = format!(
        r#"{{"id":"https://openalex.org/W3","title":"Fewer","authorships":[{}]}}"#,
        authorships(99)
    );
    let reading = read(&page(&[&flagged, &hundred, &ninety_nine]));
    let works = &reading.library.works;
    assert!(works[0].authors_truncated);
    assert!(works[1].authors_truncated);
    assert!(!works[2].authors_truncated);
    // Only the guess is said.
    assert_eq!(reading.diagnostics.len(), 1, "{:?}", reading.diagnostics);
    assert_eq!(reading.diagnostics[0].severity, Severity::Note);
    assert!(reading.diagnostics[0]
        .message
        .contains("exactly 100 authors"));
    // The single-work endpoint is never cut.
    let single = read(&hundred);
    assert!(!single.library.works[0].authors_truncated);
    assert!(single.diagnostics.is_empty());
    // CSL-JSON says so.
    let output = convert_bytes(
        "w.json",
        page(&[&flagged]).into_bytes(),
        OutputFormat::CslJson,
    )
    .output;
    assert!(output.contains("\"authors-truncated\": true"), "{output}");
}

#[test]
fn doi_forms_become_one_bare_lower_case_doi() {
    for doi in [
        "https://doi.org/10.1234/AbC.5",
        "http://dx.doi.org/10.1234/abc.5",
        "doi:10.1234/ABC.5",
        "10.1234/abc.5",
        " https://doi.org/10.1234/abc.5 ",
    ] {
        let work = format!(r#"{{"id":"https://openalex.org/W1","title":"T","doi":"{doi}"}}"#);
        let reading = read(&work);
        assert_eq!(
            reading.library.works[0].ids.doi.as_deref(),
            Some("10.1234/abc.5"),
            "{doi}"
        );
    }
    let arxiv = read(
        r#"{"id":"https://openalex.org/W1","title":"T","doi":"https://doi.org/10.48550/arXiv.2101.00001"}"#,
    );
    assert_eq!(
        arxiv.library.works[0].ids.arxiv.as_deref(),
        Some("2101.00001")
    );
}

#[test]
fn a_published_venue_in_another_location_is_the_venue() {
    let work = r#"{"id":"https://openalex.org/W1","title":"T","type":"article",
        "primary_location":{"landing_page_url":"https://arxiv.org/abs/2101.00001v2","source":{"display_name":"arXiv (Cornell University)","type":"repository"}},
        "locations":[{"landing_page_url":"https://doi.org/10.1/x","source":{"display_name":"Journal of Things","type":"journal","issn_l":"1234-5678"}}]}"#;
    let work = &read(work).library.works[0];
    assert_eq!(work.kind, WorkType::JournalArticle);
    assert_eq!(
        work.venue.container_title.as_ref().unwrap().raw_string(),
        "Journal of Things"
    );
    assert_eq!(work.ids.arxiv.as_deref(), Some("2101.00001v2"));
    // Article only in a repository: a preprint.
    let only = r#"{"id":"https://openalex.org/W1","title":"T","type":"article",
        "primary_location":{"source":{"display_name":"Zenodo","type":"repository"}}}"#;
    assert_eq!(read(only).library.works[0].kind, WorkType::Preprint);
}

#[test]
fn types_are_read_through_one_table() {
    for (kind, crossref, expected, kept) in [
        ("book-chapter", "book-chapter", WorkType::Chapter, false),
        ("dataset", "dataset", WorkType::Dataset, false),
        ("dissertation", "dissertation", WorkType::Thesis, false),
        ("book", "monograph", WorkType::Book, false),
        ("review", "journal-article", WorkType::JournalArticle, true),
        (
            "editorial",
            "journal-article",
            WorkType::JournalArticle,
            true,
        ),
        ("paratext", "other", WorkType::Misc, true),
        (
            "article",
            "proceedings-article",
            WorkType::ConferencePaper,
            false,
        ),
    ] {
        let work = format!(
            r#"{{"id":"https://openalex.org/W1","title":"T","type":"{kind}","type_crossref":"{crossref}"}}"#
        );
        let reading = read(&work);
        let work = &reading.library.works[0];
        assert_eq!(work.kind, expected, "{kind}");
        assert_eq!(work.extra.contains_key("openalex-type"), kept, "{kind}");
    }
    let reading = read(r#"{"id":"https://openalex.org/W1","title":"T","type":"hologram"}"#);
    assert_eq!(reading.library.works[0].kind, WorkType::Misc);
    assert!(reading.diagnostics[0].message.contains("`hologram`"));
}

#[test]
fn a_record_of_the_wrong_shape_costs_itself_and_is_named_by_its_path() {
    let text = page(&[
        r#"{"id":"https://openalex.org/W1","title":"First"}"#,
        r#"{"id":"https://openalex.org/W2","title":42}"#,
        r#"{"id":"https://openalex.org/W3","title":"Third","authorships":[{"author":{"display_name":"A B"}},{"author":"C D"}]}"#,
        r#""a string""#,
        r#"{"id":"https://openalex.org/W5","title":"Fifth","abstract_inverted_index":{"a":[-1]}}"#,
    ]);
    let reading = read(&text);
    let titles: Vec<String> = reading
        .library
        .works
        .iter()
        .map(|work| work.title.as_ref().unwrap().raw_string())
        .collect();
    assert_eq!(titles, ["First"]);
    let messages: Vec<&str> = reading
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(
        messages[0].starts_with("`results[1].title` is not what"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("invalid type: integer `42`, expected"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("`results[2].authorships[1].author`"),
        "{}",
        messages[1]
    );
    assert!(messages[2].starts_with("`results[3]`"), "{}", messages[2]);
    assert!(
        messages[3].starts_with("`results[4].abstract_inverted_index.a"),
        "{}",
        messages[3]
    );
    for diagnostic in &reading.diagnostics {
        assert_eq!(diagnostic.severity, Severity::Warning);
    }
    // At the value, in the file.
    assert_eq!(reading.diagnostics[0].line, 4);
    assert_eq!(reading.diagnostics[0].column, 42);
}

#[test]
fn json_of_another_kind_is_named() {
    for (text, kind) in [
        (
            r#"{"offset":0,"data":[{"paperId":"abc","title":"T"}]}"#,
            "Semantic Scholar",
        ),
        (
            r#"[{"id":"a","type":"article-journal","title":"T"}]"#,
            "CSL-JSON",
        ),
        (
            r#"{"id":"https://openalex.org/A5083661553","display_name":"Hui Ma","works_count":3}"#,
            "an OpenAlex author",
        ),
        (
            r#"{"orcid-identifier":{"path":"0000"}}"#,
            "`orcid-identifier`",
        ),
        ("42", "JSON of another kind"),
    ] {
        let reading = read(text);
        assert!(reading.library.works.is_empty());
        assert_eq!(reading.diagnostics.len(), 1, "{text}");
        let error = &reading.diagnostics[0];
        assert_eq!(error.severity, Severity::Error);
        assert_eq!(error.code, "openalex::not-openalex");
        assert!(error.message.contains(kind), "{}", error.message);
    }
}

#[test]
fn broken_json_is_one_error_with_its_line_and_column() {
    let text = works();
    // Cut inside the second work.
    let cut = &text[..text.find("Sparse").unwrap()];
    let reading = read(&format!("{cut}\"}}}}"));
    assert!(reading.library.works.is_empty());
    assert_eq!(reading.diagnostics.len(), 1);
    let error = &reading.diagnostics[0];
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.code, "openalex::json");
    assert!(
        error.message.starts_with("the file is not valid JSON"),
        "{}",
        error.message
    );
    assert_eq!(error.line, cut.lines().count());
    let reading = read("{\"results\": [\n  {\"title\": \"x\",}\n]}");
    assert_eq!(
        (reading.diagnostics[0].line, reading.diagnostics[0].column),
        (2, 17)
    );
}

#[test]
fn crlf_line_ends_read_the_same() {
    let lf = works();
    let crlf = lf.replace('\n', "\r\n");
    let (a, b) = (read(&lf), read(&crlf));
    assert_eq!(a.library, b.library);
    assert!(b.diagnostics.is_empty());
}

#[test]
fn every_output_takes_it() {
    let bytes = std::fs::read(fixture("openalex/works.json")).unwrap();
    for to in OutputFormat::ALL {
        let conversion = convert_bytes("works.json", bytes.clone(), *to);
        assert_eq!(conversion.written, 3, "{to:?}");
    }
}

#[test]
fn refused_by_name_when_given_as_openalex() {
    let input = Input {
        name: "zotero.json".into(),
        path: Some("zotero.json".into()),
        bytes: std::fs::read(fixture("csl/zotero.json")).unwrap(),
    };
    let request = Request {
        from: Some(InputFormat::OpenAlex),
        to: OutputFormat::CslJson,
        read: ReadOptions::default(),
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    let conversion = convert(&[input], &request).unwrap();
    assert_eq!(conversion.written, 0);
    assert!(
        conversion
            .diagnostics
            .iter()
            .any(|d| d.message.contains("CSL-JSON")),
        "{:?}",
        conversion.diagnostics
    );
}

#[test]
fn a_page_of_authors_is_not_works() {
    let authors = r#"{"meta":{"count":1,"db_response_time_ms":9},"results":[{"id":"https://openalex.org/A5083661553","display_name":"Hui Ma","works_count":3}]}"#;
    assert_eq!(
        InputFormat::detect(Some(Path::new("a.json")), authors),
        None
    );
    let reading = read(authors);
    assert!(reading.library.works.is_empty());
    assert!(
        reading.diagnostics[0]
            .message
            .contains("an OpenAlex author, not a work"),
        "{:?}",
        reading.diagnostics
    );
}

#[test]
fn long_accented_text_is_looked_at_without_splitting_a_character() {
    let title = "é".repeat(40_000);
    // The look at the start ends inside an `é`.
    let text = format!(r#"{{"id":"https://openalex.org/W1","authorships":[],"title": "{title}"}}"#);
    assert!(!text.is_char_boundary(1 << 16));
    assert!(!pubconv::read::openalex::recognizes(&format!(
        "[\"{title}\"]"
    )));
    assert_eq!(read(&text).library.works.len(), 1);
    assert_eq!(
        InputFormat::detect(None, &text),
        Some(InputFormat::OpenAlex)
    );
    let late = format!(r#"{{"id":"https://openalex.org/W1","title":"{title}","authorships":[]}}"#);
    assert_eq!(read(&late).library.works.len(), 1);
}
