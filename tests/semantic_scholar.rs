//! Semantic Scholar Graph API papers JSON: the reference author-papers
//! page to CSL-JSON (a snapshot read and accepted by hand), and files
//! written here in the shapes the API's answers take: a batch answer with
//! `null` for an unknown id, one paper, an author with their papers, null
//! values everywhere, accented names, several publication types, DOI and
//! page forms, the BibTeX it offers (never read), records of the wrong
//! shape, JSON of another kind and broken JSON.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::model::{Person, Variable, WorkType};
use pubconv::read::{
    semantic_scholar::read_semantic_scholar, InputFormat, ReadOptions, Reading, Source,
};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_semantic_scholar(
        Source {
            name: "papers.json",
            text,
        },
        &ReadOptions::default(),
    )
}

fn papers() -> String {
    std::fs::read_to_string(fixture("semantic-scholar/papers.json")).unwrap()
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

/// An author-papers page holding the papers given (JSON objects).
fn page(papers: &[&str]) -> String {
    format!("{{\"offset\":0,\"data\":[\n{}\n]}}\n", papers.join(",\n"))
}

#[test]
fn the_reference_page_as_csl_json() {
    let conversion = convert_fixture(
        &fixture("semantic-scholar/papers.json"),
        OutputFormat::CslJson,
    );
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert_eq!(conversion.written, 4);
    insta::assert_snapshot!("semantic-scholar-papers.csl.json", conversion.output);
}

#[test]
fn the_reference_page_read() {
    let text = papers();
    let reading = read(&text);
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let works = &reading.library.works;
    assert_eq!(works.len(), 4);

    let paper = &works[0];
    // `JournalArticle` and `Conference`, at a conference venue.
    assert_eq!(paper.kind, WorkType::ConferencePaper);
    assert_eq!(
        paper.extra["s2-publication-types"],
        "JournalArticle, Conference"
    );
    assert_eq!(
        paper.ids.doi.as_deref(),
        Some("10.18653/v1/2020.acl-main.447")
    );
    assert_eq!(paper.venue.pages.as_deref(), Some("84–91"));
    assert_eq!(paper.date.unwrap().start.iso(), "2018-06-01");
    assert_eq!(paper.extra["dblp"], "conf/acl/LoWNKW20");
    assert_eq!(paper.extra["acl"], "2020.acl-main.447");
    assert_eq!(paper.extra["mag"], "3015453090");
    assert_eq!(paper.extra["s2-corpus-id"], "215416146");
    assert_eq!(paper.extra["citations"], "453");
    assert_eq!(paper.extra["s2-author-ids"], "145585097; 3458736; 1741101");
    assert_eq!(
        paper.ids.url.as_deref(),
        Some("https://aclanthology.org/N18-3011.pdf")
    );
    // Its BibTeX is not read: nothing of it is anywhere in the work.
    assert!(!format!("{paper:?}").contains("Ammar2018ConstructionOT"));

    let preprint = &works[1];
    assert_eq!(preprint.kind, WorkType::Preprint);
    assert_eq!(preprint.ids.arxiv.as_deref(), Some("2106.15928"));
    assert_eq!(preprint.venue.container_title, None);
    assert_eq!(preprint.venue.volume, None);
    assert_eq!(names(&preprint.authors), ["Zoë Kovács-Müller", "J. Ñúñez"]);
    assert_eq!(preprint.extra["s2-author-ids"], "2110000001; ");

    let review = &works[2];
    assert_eq!(review.kind, WorkType::JournalArticle);
    assert_eq!(
        review.extra["s2-publication-types"],
        "Review, JournalArticle"
    );
    assert_eq!(review.venue.volume.as_deref(), Some("131"));
    assert_eq!(review.venue.pages.as_deref(), Some("104123"));
    assert_eq!(review.fields[&Variable::Pmid].raw_string(), "35700001");
    assert_eq!(review.fields[&Variable::Pmcid].raw_string(), "PMC9200001");
    assert_eq!(review.date.unwrap().start.iso(), "2022");
    // An empty open-access URL, and a DOI: the S2 page is no link of its own.
    assert_eq!(review.ids.url, None);
    assert!(works[3]
        .ids
        .url
        .as_deref()
        .unwrap()
        .starts_with("https://www.semanticscholar.org/"));

    let bare = &works[3];
    assert_eq!(bare.kind, WorkType::Misc);
    assert_eq!(names(&bare.authors), ["Mei-Ling Chou"]);
    // No author has an id: none kept.
    assert!(!bare.extra.contains_key("s2-author-ids"));
    assert_eq!(bare.venue.container_title, None);

    for offset in &reading.offsets {
        assert!(text[*offset..].starts_with("{\n      \"paperId\""));
    }
}

#[test]
fn a_batch_answer_with_an_unknown_id() {
    let text = std::fs::read_to_string(fixture("semantic-scholar/batch.json")).unwrap();
    let reading = read(&text);
    assert_eq!(reading.library.works.len(), 2);
    assert_eq!(reading.diagnostics.len(), 1, "{:?}", reading.diagnostics);
    let warning = &reading.diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.code, "semantic-scholar::no-paper");
    assert!(
        warning.message.starts_with("`[1]`: "),
        "{}",
        warning.message
    );
    assert_eq!((warning.line, warning.column), (13, 3));
    let works = &reading.library.works;
    // Pages with spaces around the dash.
    assert_eq!(works[0].venue.pages.as_deref(), Some("84–91"));
    assert_eq!(works[0].kind, WorkType::ConferencePaper);
    // No types, only on arXiv: a preprint.
    assert_eq!(works[1].kind, WorkType::Preprint);
    assert_eq!(works[1].ids.arxiv.as_deref(), Some("2106.15928"));
    let conversion = convert_fixture(
        &fixture("semantic-scholar/batch.json"),
        OutputFormat::CslJson,
    );
    assert_eq!(conversion.written, 2);
    assert_eq!(conversion.exit_status(), 0);
}

#[test]
fn one_paper_and_an_author_with_papers() {
    let reading = read(r#"{"paperId":"abc","title":"One Paper","year":2020}"#);
    assert_eq!(reading.library.works.len(), 1);
    assert_eq!(reading.library.works[0].date.unwrap().start.iso(), "2020");
    let reading = read(
        r#"{"authorId":"1741101","name":"Oren Etzioni","papers":[{"paperId":"abc","title":"One Paper","authors":[{"authorId":"1741101","name":"Oren Etzioni"}]}]}"#,
    );
    assert_eq!(reading.library.works.len(), 1);
    assert_eq!(
        reading.library.profile.as_ref().unwrap().name,
        "Oren Etzioni"
    );
}

#[test]
fn told_from_its_content_before_csl_json() {
    for name in [
        "semantic-scholar/papers.json",
        "semantic-scholar/batch.json",
    ] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        for path in [
            Some(Path::new("papers.json")),
            Some(Path::new("papers")),
            None,
        ] {
            assert_eq!(
                InputFormat::detect(path, &text),
                Some(InputFormat::SemanticScholar),
                "{name}"
            );
        }
    }
    let empty = r#"{"total":0,"offset":0,"data":[]}"#;
    assert_eq!(
        InputFormat::detect(Some(Path::new("p.json")), empty),
        Some(InputFormat::SemanticScholar)
    );
    assert_eq!(
        InputFormat::from_name("semantic-scholar"),
        Some(InputFormat::SemanticScholar)
    );
}

#[test]
fn null_values_everywhere_are_absent_values() {
    let paper = r#"{"paperId":null,"corpusId":null,"externalIds":null,"url":null,"title":"Only a Title",
        "abstract":null,"venue":null,"publicationVenue":null,"year":null,"publicationDate":null,"journal":null,
        "authors":[null,{"authorId":null,"name":null}],"publicationTypes":null,"citationCount":null,
        "isOpenAccess":null,"openAccessPdf":null,"citationStyles":null}"#;
    let reading = read(&page(&[paper]));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let work = &reading.library.works[0];
    assert_eq!(work.title.as_ref().unwrap().raw_string(), "Only a Title");
    assert!(work.authors.is_empty());
    assert_eq!(work.kind, WorkType::Misc);
    assert_eq!(work.date, None);
    assert!(work.extra.is_empty(), "{:?}", work.extra);
    let reading = read(&page(&[r#"{"paperId":"x","title":null}"#]));
    assert!(reading.library.works.is_empty());
    assert!(reading.diagnostics[0].message.contains("no title"));
}

#[test]
fn several_publication_types_pick_one_and_keep_the_list() {
    for (types, venue_type, expected) in [
        (
            r#"["JournalArticle","Conference"]"#,
            "null",
            WorkType::ConferencePaper,
        ),
        (
            r#"["JournalArticle","Conference"]"#,
            r#""journal""#,
            WorkType::JournalArticle,
        ),
        (r#"["Review"]"#, "null", WorkType::JournalArticle),
        (r#"["Book","BookSection"]"#, "null", WorkType::Chapter),
        (r#"["Dataset"]"#, "null", WorkType::Dataset),
        (r#"["Conference"]"#, "null", WorkType::ConferencePaper),
    ] {
        let paper = format!(
            r#"{{"paperId":"x","title":"T","publicationTypes":{types},"publicationVenue":{{"name":"V","type":{venue_type}}}}}"#
        );
        let reading = read(&paper);
        assert_eq!(
            reading.library.works[0].kind, expected,
            "{types} {venue_type}"
        );
    }
    let reading = read(r#"{"paperId":"x","title":"T","publicationTypes":["Hologram"]}"#);
    assert!(reading.diagnostics[0].message.contains("`Hologram`"));
    assert_eq!(
        reading.library.works[0].extra["s2-publication-types"],
        "Hologram"
    );
}

#[test]
fn doi_forms_and_odd_pages() {
    for doi in [
        "10.1234/ABC.5",
        "https://doi.org/10.1234/abc.5",
        " 10.1234/abc.5",
    ] {
        let paper = format!(r#"{{"paperId":"x","title":"T","externalIds":{{"DOI":"{doi}"}}}}"#);
        assert_eq!(
            read(&paper).library.works[0].ids.doi.as_deref(),
            Some("10.1234/abc.5"),
            "{doi}"
        );
    }
    for (pages, expected) in [(" 12 -34", "12–34"), ("12 - 34 ", "12–34"), ("\t7\n", "7")] {
        let paper = format!(
            r#"{{"paperId":"x","title":"T","journal":{{"name":"J","pages":{}}}}}"#,
            serde_json::to_string(pages).unwrap()
        );
        assert_eq!(
            read(&paper).library.works[0].venue.pages.as_deref(),
            Some(expected)
        );
    }
}

#[test]
fn accented_and_escaped_names() {
    let reading = read(&page(&[
        r#"{"paperId":"x","title":"\u00c9tude","authors":[{"authorId":"1","name":"Jos\u00e9 \u00c1ngel Garc\u00eda"},{"authorId":"2","name":"Ana María de la Cruz"}]}"#,
    ]));
    let work = &reading.library.works[0];
    assert_eq!(work.title.as_ref().unwrap().raw_string(), "Étude");
    assert_eq!(
        names(&work.authors),
        ["José Ángel García", "Ana María de la Cruz"]
    );
}

#[test]
fn a_record_of_the_wrong_shape_costs_itself_and_is_named_by_its_path() {
    let reading = read(&page(&[
        r#"{"paperId":"a","title":"First"}"#,
        r#"{"paperId":"b","title":"Second","year":"2020"}"#,
        r#"{"paperId":"c","title":"Third","authors":[{"name":"A"},{"name":{"first":"B"}}]}"#,
        r#"7"#,
        r#"null"#,
    ]));
    assert_eq!(reading.library.works.len(), 1);
    let messages: Vec<&str> = reading
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(
        messages[0].starts_with("`data[1].year` is not what"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("`data[2].authors[1].name`"),
        "{}",
        messages[1]
    );
    assert!(messages[2].starts_with("`data[3]`"), "{}", messages[2]);
    assert!(messages[3].starts_with("`data[4]`: "), "{}", messages[3]);
    assert_eq!(reading.diagnostics[0].line, 3);
}

#[test]
fn json_of_another_kind_is_named() {
    let openalex = std::fs::read_to_string(fixture("openalex/work.json")).unwrap();
    for (text, kind) in [
        (openalex.as_str(), "OpenAlex works JSON"),
        (
            r#"[{"id":"a","type":"article-journal","title":"T"}]"#,
            "CSL-JSON",
        ),
        (
            r#"{"message":"Too Many Requests","code":"429"}"#,
            "`code`, `message`",
        ),
        ("\"text\"", "JSON of another kind"),
    ] {
        let reading = read(text);
        assert!(reading.library.works.is_empty());
        assert_eq!(reading.diagnostics.len(), 1, "{text}");
        let error = &reading.diagnostics[0];
        assert_eq!(error.code, "semantic-scholar::not-semantic-scholar");
        assert!(error.message.contains(kind), "{}", error.message);
    }
}

#[test]
fn broken_json_is_one_error_with_its_line_and_column() {
    let reading = read("{\"data\": [\n  {\"paperId\": \"x\", \"title\": \"T\"\n  ]}");
    assert_eq!(reading.diagnostics.len(), 1);
    let error = &reading.diagnostics[0];
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.code, "semantic-scholar::json");
    assert_eq!((error.line, error.column), (3, 3));
    let reading = read("");
    assert_eq!(reading.diagnostics[0].code, "semantic-scholar::json");
}

#[test]
fn every_output_takes_it() {
    let bytes = std::fs::read(fixture("semantic-scholar/papers.json")).unwrap();
    for to in OutputFormat::ALL {
        let conversion = convert_bytes("papers.json", bytes.clone(), *to);
        assert_eq!(conversion.written, 4, "{to:?}");
    }
    // The BibTeX written is the model's, not S2's.
    let bibtex = convert_bytes("papers.json", bytes, OutputFormat::Bibtex).output;
    assert!(!bibtex.contains("@['"), "{bibtex}");
    assert!(bibtex.contains("@inproceedings{"), "{bibtex}");
}

#[test]
fn many_broken_papers_are_each_named_and_read_quickly() {
    let broken = r#"{"paperId":"x","title":"T","year":"2020"}"#;
    let text = page(&vec![broken; 60]);
    let reading = read(&text);
    assert_eq!(reading.diagnostics.len(), 60);
    // The first ones name the value, the rest (past the search's budget)
    // the paper.
    assert!(reading.diagnostics[0].message.starts_with("`data[0].year`"));
    assert!(reading.diagnostics[59]
        .message
        .starts_with("`data[59]` is not"));
}

#[test]
fn a_byte_order_mark_moves_no_column() {
    let reading = read("\u{feff}{\"data\": [}");
    let error = &reading.diagnostics[0];
    assert_eq!((error.line, error.column), (1, 12));
    let reading = read("\u{feff}{\"data\": [{\"paperId\": \"x\", \"title\": \"T\"}]}");
    assert_eq!(reading.library.works.len(), 1);
    // A byte offset: the mark is three bytes.
    assert_eq!(reading.offsets, [13]);
}
