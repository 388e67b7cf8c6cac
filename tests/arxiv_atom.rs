//! arXiv API Atom feeds: the recorded entry to CSL-JSON (a snapshot read
//! and accepted by hand), and feeds written here in the shapes real ones
//! take: several entries with accents, TeX and affiliations, old-style ids
//! and collaborations, CRLF line ends, missing fields, the error feed,
//! the empty feed, a page of more results, another kind of file and
//! broken XML.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::model::{Inline, Person, Variable, WorkType};
use pubconv::read::{arxiv_atom::read_arxiv, InputFormat, ReadOptions, Reading, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_arxiv(
        Source {
            name: "query.xml",
            text,
        },
        &ReadOptions::default(),
    )
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("arxiv/{name}"))).unwrap()
}

/// A feed holding the entries given, its namespaces on the root as
/// arXiv's API declares them now.
fn feed(total: usize, entries: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n\
         <id>https://arxiv.org/api/abc</id>\n\
         <opensearch:totalResults>{total}</opensearch:totalResults>\n\
         <opensearch:startIndex>0</opensearch:startIndex>\n\
         {entries}</feed>\n"
    )
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

#[test]
fn the_recorded_entry_as_csl_json() {
    let conversion = convert_fixture(&fixture("arxiv/bradley.xml"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert!(
        conversion.diagnostics.is_empty(),
        "{:?}",
        conversion.diagnostics
    );
    insta::assert_snapshot!("bradley.csl.json", conversion.output);
}

#[test]
fn the_recorded_entry_read() {
    let reading = read(&fixture_text("bradley.xml"));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let [work] = reading.library.works.as_slice() else {
        panic!("one work");
    };
    assert_eq!(work.kind, WorkType::Preprint);
    assert_eq!(work.ids.arxiv.as_deref(), Some("0707.3536"));
    assert_eq!(work.extra["arxiv-version"], "v1");
    assert_eq!(work.ids.doi.as_deref(), Some("10.1007/s00357-008-9009-5"));
    assert_eq!(work.date.unwrap().start.iso(), "2007-07-24");
    // The journal reference stays text: no invented journal or volume.
    assert_eq!(
        work.fields[&Variable::Note].raw_string(),
        "J. Classif. 25, 27-42 (2008)"
    );
    assert!(work.venue.container_title.is_none() && work.venue.volume.is_none());
    assert_eq!(work.extra["arxiv-comment"], "13 pages, 8 figures");
    assert_eq!(work.categories[0].arxiv.as_deref(), Some("stat.ML"));
    // Same day for v1 and the version returned: nothing to keep.
    assert!(!work.extra.contains_key("arxiv-updated"));
    // The abstract's lines are one paragraph, its `$p$` math.
    let summary = work.abstract_text.as_ref().unwrap();
    assert!(summary.inlines.contains(&Inline::Math("p".into())));
    assert!(summary.raw_string().starts_with("Dendrograms used"));
    assert!(!summary.raw_string().contains('\n'));
    assert_eq!(names(&work.authors), ["Patrick Erik Bradley"]);
}

#[test]
fn several_entries_with_accents_tex_and_affiliations() {
    let reading = read(&fixture_text("variations.xml"));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let works = &reading.library.works;
    assert_eq!(works.len(), 3);
    let first = &works[0];
    let title = first.title.as_ref().unwrap();
    assert_eq!(
        title.raw_string(),
        "Sparse Sums of the Möbius Function for \\alpha-Stable Processes: a Note on Tight Bounds"
    );
    assert!(title.inlines.contains(&Inline::Math("\\alpha".into())));
    assert_eq!(
        names(&first.authors),
        [
            "José Müller",
            "Zoë Kovács-Müller",
            "Ludwig van Beethoven Jr."
        ]
    );
    assert_eq!(
        first.extra["affiliations"],
        "José Müller: Universität Zürich; ETH Zürich"
    );
    assert_eq!(first.extra["arxiv-version"], "v3");
    assert_eq!(first.extra["arxiv-updated"], "2024-06-02");
    assert_eq!(first.date.unwrap().start.iso(), "2024-03-02");
    // The primary class first, then the others, an ACM code as written.
    let classes: Vec<&str> = first.categories.iter().map(|c| c.best()).collect();
    assert_eq!(classes, ["stat.ML", "cs.LG", "I.2.6"]);
    assert_eq!(first.categories[2].arxiv, None);
    // The abstract and PDF links are the id's; the code link is not.
    assert_eq!(
        first.extra["arxiv-links"],
        "https://github.com/zkovacs/sparse-sums"
    );
    assert_eq!(first.ids.doi, None);

    let old = &works[1];
    assert_eq!(old.ids.arxiv.as_deref(), Some("hep-ex/0307015"));
    assert_eq!(old.authors, [Person::Literal("H1 Collaboration".into())]);
    assert_eq!(old.ids.doi.as_deref(), Some("10.1140/epjc/s2003-01326-x"));
    assert!(!old.extra.contains_key("arxiv-links"));

    let bare = &works[2];
    assert_eq!(
        bare.title.as_ref().unwrap().raw_string(),
        "Ñandú: Søren's Łódź Dataset"
    );
    assert!(bare.abstract_text.is_none());
    assert_eq!(bare.categories.len(), 1);
    // Each work's offset is its entry's.
    let text = fixture_text("variations.xml");
    for offset in &reading.offsets {
        assert!(text[*offset..].starts_with("<entry>"));
    }
}

#[test]
fn crlf_line_ends_read_the_same() {
    let lf = fixture_text("variations.xml");
    let crlf = lf.replace('\n', "\r\n");
    let (a, b) = (read(&lf), read(&crlf));
    assert_eq!(a.library, b.library);
    assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
    assert!(crlf[b.offsets[2]..].starts_with("<entry>"));
}

#[test]
fn the_error_feed_is_an_error_not_a_work() {
    let reading = read(&fixture_text("error.xml"));
    assert!(reading.library.works.is_empty());
    let [error] = reading.diagnostics.as_slice() else {
        panic!("one diagnostic: {:?}", reading.diagnostics);
    };
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.code, "arxiv::api-error");
    assert!(
        error.message.contains("incorrect id format for 1234.12345"),
        "{}",
        error.message
    );
    assert_eq!((error.line, error.column), (10, 3));
    let conversion = convert_fixture(&fixture("arxiv/error.xml"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 1);
}

#[test]
fn the_empty_feed_is_an_empty_list() {
    let text = fixture_text("empty.xml");
    let reading = read(&text);
    assert!(reading.library.works.is_empty());
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    assert_eq!(
        InputFormat::detect(None, &text),
        Some(InputFormat::ArxivAtom)
    );
}

#[test]
fn a_page_of_more_results_says_so() {
    let entry = "<entry><id>http://arxiv.org/abs/2101.00001v1</id><title>T</title><published>2021-01-01T00:00:00Z</published></entry>\n";
    let reading = read(&feed(40, entry));
    assert_eq!(reading.library.works.len(), 1);
    let [note] = reading.diagnostics.as_slice() else {
        panic!("{:?}", reading.diagnostics);
    };
    assert_eq!(note.severity, Severity::Note);
    assert!(
        note.message.contains("results 1 to 1 of the 40"),
        "{}",
        note.message
    );
}

#[test]
fn entries_missing_fields_are_read_or_skipped_with_a_warning() {
    let entries = "<entry><id>http://arxiv.org/abs/2101.00001v2</id><title>  </title></entry>\n\
                   <entry><title>No id</title></entry>\n\
                   <entry><id>http://arxiv.org/abs/2101.00002v1</id><title>Only a title</title>\
                   <published>2021-13-45</published><author><name></name></author><author><name>Ana Silva</name></author></entry>\n";
    let reading = read(&feed(3, entries));
    let [work] = reading.library.works.as_slice() else {
        panic!("{:?}", reading.library.works);
    };
    assert_eq!(work.ids.arxiv.as_deref(), Some("2101.00002"));
    assert_eq!(work.date, None);
    assert_eq!(names(&work.authors), ["Ana Silva"]);
    let codes: Vec<(&str, usize)> = reading
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(
        codes,
        [
            ("arxiv::no-title", 6),
            ("arxiv::no-id", 7),
            ("arxiv::no-author-name", 8),
            ("arxiv::bad-date", 8)
        ]
    );
    assert!(reading
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

#[test]
fn broken_xml_is_one_error_with_its_line_and_column() {
    let text = feed(
        1,
        "<entry><id>http://arxiv.org/abs/2101.00001v1</id>\n<title>T</titel></entry>\n",
    );
    let reading = read(&text);
    assert!(reading.library.works.is_empty());
    let [error] = reading.diagnostics.as_slice() else {
        panic!("{:?}", reading.diagnostics);
    };
    assert_eq!(error.code, "arxiv::bad-xml");
    assert_eq!((error.line, error.column), (7, 9), "{error:?}");
    assert_eq!(
        error.source_line.as_deref(),
        Some("<title>T</titel></entry>")
    );
    assert!(!error.message.contains("7:9"), "{}", error.message);
    let conversion = convert_bytes("broken.xml", text.into(), OutputFormat::Bibtex);
    assert_eq!(conversion.exit_status(), 1);
    assert!(conversion
        .diagnostics
        .iter()
        .any(|d| d.code == "arxiv::bad-xml" && d.line == 7));
}

#[test]
fn told_from_its_content_and_other_kinds_are_named() {
    let text = fixture_text("bradley.xml");
    for path in [
        Some(Path::new("query.xml")),
        Some(Path::new("query.atom")),
        Some(Path::new("query")),
        None,
    ] {
        assert_eq!(
            InputFormat::detect(path, &text),
            Some(InputFormat::ArxivAtom)
        );
    }
    assert_eq!(
        InputFormat::from_name("arxiv"),
        Some(InputFormat::ArxivAtom)
    );
    // DBLP's XML is DBLP's, and read as arXiv's it is named what it is.
    let dblp = std::fs::read_to_string(fixture("dblp/xu.xml")).unwrap();
    assert_eq!(InputFormat::detect(None, &dblp), Some(InputFormat::Dblp));
    let reading = read(&dblp);
    assert_eq!(reading.diagnostics[0].code, "arxiv::not-arxiv");
    assert!(reading.diagnostics[0].message.contains("<dblpperson>"));
    // Another Atom feed is not claimed.
    let blog = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:blog</id></feed>\n";
    assert_eq!(InputFormat::detect(Some(Path::new("blog.xml")), blog), None);
}

#[test]
fn every_output_takes_it() {
    let bytes = fixture_text("variations.xml").into_bytes();
    for format in OutputFormat::ALL {
        let conversion = convert_bytes("query.xml", bytes.clone(), *format);
        assert_eq!(conversion.written, 3, "{format:?}");
        assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    }
    let bibtex = convert_bytes("query.xml", bytes, OutputFormat::Biblatex).output;
    assert!(bibtex.contains("eprint = {hep-ex/0307015}"), "{bibtex}");
    assert!(
        bibtex.contains("note = {Eur.Phys.J. C31 (2003) 17-29}"),
        "{bibtex}"
    );
}
