//! DBLP's publication search JSON: the reference reply to CSL-JSON (a
//! snapshot read and accepted by hand), and replies written here in the
//! shapes the search answers with: one author as an object, `ee` and
//! `venue` as lists, character references and accents, missing fields,
//! an editorship, a thesis, data, a hit without a title and one of the
//! wrong shape, no hits at all, an error status, more hits than sent,
//! broken JSON and JSON of another kind. The mapping is the person XML
//! reader's, so a hit is compared with what that reader makes too.

mod common;

use common::{convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::model::{Person, Variable, WorkType};
use pubconv::read::{
    dblp::read_dblp, dblp_search::read_dblp_search, InputFormat, ReadOptions, Reading, Source,
};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_dblp_search(
        Source {
            name: "search.json",
            text,
        },
        &ReadOptions::default(),
    )
}

fn read_fixture(name: &str) -> (String, Reading) {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let reading = read(&text);
    (text, reading)
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

/// A reply holding the hits given (`info` objects).
fn reply(total: usize, infos: &[&str]) -> String {
    let hits: Vec<String> = infos
        .iter()
        .map(|info| format!("{{\"@score\":\"1\",\"info\":{info},\"url\":\"URL#1\"}}"))
        .collect();
    format!(
        "{{\"result\":{{\"query\":\"q\",\"status\":{{\"@code\":\"200\",\"text\":\"OK\"}},\n\"hits\":{{\"@total\":\"{total}\",\"@sent\":\"{}\",\"@first\":\"0\",\"hit\":[\n{}\n]}}}}}}\n",
        infos.len(),
        hits.join(",\n")
    )
}

#[test]
fn the_reference_reply_as_csl_json() {
    let conversion = convert_fixture(&fixture("dblp/search.json"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert!(
        conversion.diagnostics.is_empty(),
        "{:?}",
        conversion.diagnostics
    );
    assert_eq!(conversion.written, 3);
    insta::assert_snapshot!("dblp-search.csl.json", conversion.output);
}

#[test]
fn the_reference_reply_read() {
    let (text, reading) = read_fixture("dblp/search.json");
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let works = &reading.library.works;
    assert_eq!(works.len(), 3);

    let paper = &works[0];
    assert_eq!(paper.kind, WorkType::ConferencePaper);
    assert_eq!(
        paper.key.as_deref(),
        Some("DBLP:conf/nips/VaswaniSPUJGKP17")
    );
    assert_eq!(
        paper.title.as_ref().unwrap().raw_string(),
        "Attention is All you Need"
    );
    assert_eq!(paper.authors.len(), 8);
    assert_eq!(paper.authors[0].display_name(), "Ashish Vaswani");
    assert_eq!(paper.authors[5].display_name(), "Aidan N. Gomez");
    assert!(paper.extra["dblp-pids"].starts_with("43/5974; 34/6208; "));
    assert_eq!(
        paper.venue.container_title.as_ref().unwrap().raw_string(),
        "NIPS"
    );
    assert_eq!(paper.venue.pages.as_deref(), Some("5998–6008"));
    assert_eq!(paper.date.unwrap().start.iso(), "2017");
    assert!(paper
        .ids
        .url
        .as_deref()
        .unwrap()
        .starts_with("https://proceedings.neurips.cc/"));
    assert_eq!(
        paper.extra["dblp-url"],
        "https://dblp.org/rec/conf/nips/VaswaniSPUJGKP17"
    );
    assert_eq!(paper.extra["open-access"], "true");

    // CoRR: an arXiv preprint, with no journal and no volume.
    let preprint = &works[1];
    assert_eq!(preprint.kind, WorkType::Preprint);
    assert_eq!(preprint.ids.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(preprint.venue.container_title, None);
    assert_eq!(preprint.venue.volume, None);
    assert_eq!(preprint.ids.url, None);

    let article = &works[2];
    assert_eq!(article.kind, WorkType::JournalArticle);
    assert_eq!(names(&article.authors), ["Marta Oliveira", "Wei Xu"]);
    assert_eq!(article.ids.doi.as_deref(), Some("10.5555/TMLR.2024.03"));
    assert_eq!(article.venue.volume.as_deref(), Some("2024"));
    assert_eq!(article.venue.issue.as_deref(), Some("3"));
    // A title ending in `?` keeps it.
    assert_eq!(
        article.title.as_ref().unwrap().raw_string(),
        "Is Attention All You Need for Tabular Data?"
    );
    // The DOI link is the DOI: no URL of its own.
    assert_eq!(article.ids.url, None);

    for offset in &reading.offsets {
        assert!(text[*offset..].starts_with("{\"@score\""));
    }
}

#[test]
fn the_format_is_told_from_the_content_and_csl_json_does_not_claim_it() {
    for name in [
        "dblp/search.json",
        "dblp/search-variations.json",
        "dblp/search-empty.json",
        "dblp/search-error.json",
    ] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let path = std::path::Path::new("reply.json");
        assert_eq!(
            InputFormat::detect(Some(path), &text),
            Some(InputFormat::DblpSearch),
            "{name}"
        );
        assert_eq!(
            InputFormat::detect(None, &text),
            Some(InputFormat::DblpSearch),
            "{name}"
        );
    }
    assert_eq!(
        InputFormat::from_name("dblp-search"),
        Some(InputFormat::DblpSearch)
    );
}

#[test]
fn the_variations_read() {
    let (_, reading) = read_fixture("dblp/search-variations.json");
    let works = &reading.library.works;
    let titles: Vec<String> = works
        .iter()
        .map(|work| work.title.as_ref().unwrap().raw_string())
        .collect();
    assert_eq!(
        titles,
        [
            "Über Graphen & Bäume: Message Passing with k-hop Neighbourhoods",
            "Scaling Graph Transformers to Billion-Edge Graphs",
            "Graph Learning: Proceedings of the Workshop on Graph Learning 2021",
            "Neural Message Passing for Molecules",
            "Graph Neural Networks: A Survey",
            "GraphBench: Benchmark Graphs for Message Passing (Dataset)",
        ]
    );

    // One author as an object; two venues and two links as lists.
    let paper = &works[0];
    assert_eq!(names(&paper.authors), ["Wei Xu"]);
    assert_eq!(paper.extra["dblp-pids"], "19/1893-1");
    assert_eq!(
        paper.venue.container_title.as_ref().unwrap().raw_string(),
        "ICML"
    );
    assert_eq!(paper.ids.arxiv.as_deref(), Some("2301.00001v2"));
    assert_eq!(
        paper.ids.url.as_deref(),
        Some("https://proceedings.mlr.press/v202/xu23a.html")
    );
    // `<i>k</i>` is emphasis, as in the XML.
    assert!(format!("{:?}", paper.title).contains("Emphasis"));

    // CoRR with an arXiv DOI; accents; a person without a pid.
    let preprint = &works[1];
    assert_eq!(preprint.kind, WorkType::Preprint);
    assert_eq!(preprint.ids.arxiv.as_deref(), Some("2210.13533"));
    assert_eq!(
        names(&preprint.authors),
        ["Zoë Kovács-Müller", "Wei Xu", "J. Ñúñez"]
    );
    assert_eq!(preprint.extra["dblp-pids"], "245/0001; 19/1893-1; ");

    // An editorship: its people are its editors.
    let proceedings = &works[2];
    assert_eq!(proceedings.kind, WorkType::Proceedings);
    assert!(proceedings.authors.is_empty());
    assert_eq!(names(&proceedings.editors), ["Wei Xu", "Anna Schmidt"]);
    assert_eq!(proceedings.venue.publisher.as_deref(), Some("Springer"));

    // A thesis, told by its key; the Wikidata link is no URL.
    let thesis = &works[3];
    assert_eq!(thesis.kind, WorkType::Thesis);
    assert_eq!(thesis.fields[&Variable::Genre].raw_string(), "PhD thesis");
    assert_eq!(
        thesis.ids.url.as_deref(),
        Some("https://mediatum.ub.tum.de/1000001")
    );

    // Nothing but a title and a type.
    let bare = &works[4];
    assert_eq!(bare.kind, WorkType::JournalArticle);
    assert!(bare.authors.is_empty());
    assert_eq!(bare.date, None);
    assert!(!bare.extra.contains_key("dblp-pids"));

    let data = &works[5];
    assert_eq!(data.kind, WorkType::Dataset);
    assert_eq!(data.date.unwrap().start.iso(), "2024");

    // More hits than sent: a note, at `hits`; the hit without a title
    // and the one with a list for a title: warnings naming them.
    let codes: Vec<(&str, Severity)> = reading
        .diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.code, diagnostic.severity))
        .collect();
    assert_eq!(
        codes,
        [
            ("dblp-search::more-results", Severity::Note),
            ("dblp-search::no-title", Severity::Warning),
            ("dblp-search::record", Severity::Warning),
        ],
        "{:?}",
        reading.diagnostics
    );
    let no_title = &reading.diagnostics[1];
    assert!(no_title.message.contains("`result.hits.hit[5]`"));
    assert_eq!(no_title.key.as_deref(), Some("DBLP:conf/kdd/Xu20"));
    let wrong = &reading.diagnostics[2];
    assert!(
        wrong.message.starts_with("`result.hits.hit[7].info.title`"),
        "{}",
        wrong.message
    );
    let more = &reading.diagnostics[0];
    assert!(
        more.message.contains("hits 1 to 8 of the 214"),
        "{}",
        more.message
    );
    assert_eq!((wrong.line, wrong.column), (116, 22));
}

#[test]
fn a_hit_reads_as_the_same_record_in_dblps_xml() {
    let xml = "<dblp><inproceedings key=\"conf/x/Xu20\"><author pid=\"1/2-1\">Wei Xu 0001</author><author pid=\"3/4\">Ana Silva</author><title>On <i>k</i>-SAT &amp; More.</title><pages>1-9</pages><year>2020</year><booktitle>SAT</booktitle><number>7</number><ee>https://doi.org/10.1/X</ee><ee>https://example.org/x</ee><url>https://dblp.org/rec/conf/x/Xu20</url></inproceedings></dblp>";
    let search = reply(
        1,
        &[
            r#"{"authors":{"author":[{"@pid":"1/2-1","text":"Wei Xu 0001"},{"@pid":"3/4","text":"Ana Silva"}]},"title":"On <i>k</i>-SAT &amp; More.","pages":"1-9","year":"2020","venue":"SAT","number":"7","type":"Conference and Workshop Papers","key":"conf/x/Xu20","ee":["https://doi.org/10.1/X","https://example.org/x"],"url":"https://dblp.org/rec/conf/x/Xu20"}"#,
        ],
    );
    let from_xml = read_dblp(
        Source {
            name: "x.xml",
            text: xml,
        },
        &ReadOptions::default(),
    );
    let from_search = read(&search);
    assert!(
        from_search.diagnostics.is_empty(),
        "{:?}",
        from_search.diagnostics
    );
    assert_eq!(from_xml.library.works, from_search.library.works);
}

#[test]
fn no_hits_is_an_empty_list_without_a_word() {
    let (_, reading) = read_fixture("dblp/search-empty.json");
    assert!(reading.library.works.is_empty());
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
}

#[test]
fn an_error_status_is_one_error_naming_it() {
    let (_, reading) = read_fixture("dblp/search-error.json");
    assert!(reading.library.works.is_empty());
    assert_eq!(reading.diagnostics.len(), 1, "{:?}", reading.diagnostics);
    let error = &reading.diagnostics[0];
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.code, "dblp-search::api-error");
    assert!(
        error.message.contains("`result.status`"),
        "{}",
        error.message
    );
    assert!(
        error.message.ends_with("400 Bad Request: empty query"),
        "{}",
        error.message
    );
    assert_eq!((error.line, error.column), (3, 10));
}

#[test]
fn one_hit_as_an_object_and_a_later_page() {
    let text = r#"{"result":{"status":{"@code":200},"hits":{"@total":"12","@sent":"1","@first":"10","hit":{"info":{"title":"Only.","type":"Journal Articles"}}}}}"#;
    let reading = read(text);
    assert_eq!(reading.library.works.len(), 1);
    assert_eq!(reading.diagnostics.len(), 1);
    assert!(
        reading.diagnostics[0]
            .message
            .starts_with("the reply holds hits 11 to 11 of the 12 DBLP found"),
        "{}",
        reading.diagnostics[0].message
    );
}

#[test]
fn an_unknown_type_is_a_work_of_no_kind_with_a_warning() {
    let reading = read(&reply(
        1,
        &[r#"{"title":"T.","type":"Holograms","key":"h/1"}"#],
    ));
    assert_eq!(reading.library.works[0].kind, WorkType::Misc);
    assert_eq!(reading.diagnostics[0].code, "dblp-search::unknown-type");
}

#[test]
fn broken_json_is_one_error_with_its_line_and_column() {
    let text = "{\"result\":{\"hits\":{\n  \"hit\": [\n  {\"info\": {\"title\": \"T.\"}},,\n";
    let reading = read(text);
    assert!(reading.library.works.is_empty());
    assert_eq!(reading.diagnostics.len(), 1);
    let error = &reading.diagnostics[0];
    assert_eq!(error.code, "dblp-search::json");
    assert_eq!((error.line, error.column), (3, 29));
}

#[test]
fn json_of_another_kind_is_refused_as_what_it_is() {
    for (text, kind) in [
        (r#"[{"id":"a","type":"book","title":"T"}]"#, "CSL-JSON"),
        (r#"{"result":"nothing"}"#, "`result`"),
        ("\"text\"", "JSON of another kind"),
    ] {
        let reading = read(text);
        assert!(reading.library.works.is_empty());
        assert_eq!(reading.diagnostics.len(), 1, "{text}");
        let error = &reading.diagnostics[0];
        assert_eq!(error.severity, Severity::Error);
        assert!(error.message.contains(kind), "{}", error.message);
    }
}

#[test]
fn every_output_is_written_from_the_variations() {
    for to in [
        OutputFormat::Bibtex,
        OutputFormat::Biblatex,
        OutputFormat::CslJson,
        OutputFormat::Markdown,
    ] {
        let conversion = convert_fixture(&fixture("dblp/search-variations.json"), to);
        assert_eq!(conversion.written, 6, "{to:?}");
    }
}
