//! DBLP person XML: the reference file to CSL-JSON (a snapshot read and
//! accepted by hand), and files written here in the shapes real ones
//! take: accented homonyms, CRLF line ends, records missing fields, CoRR
//! preprints, title markup, several links, broken XML and an empty person.

mod common;

use std::path::Path;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::convert::{convert, Input, Request};
use pubconv::diagnostic::Severity;
use pubconv::model::{Inline, Person, Style, WorkType};
use pubconv::read::{dblp::read_dblp, InputFormat, ReadOptions, Reading, Source};
use pubconv::write::OutputFormat;

fn read(text: &str) -> Reading {
    read_dblp(
        Source {
            name: "person.xml",
            text,
        },
        &ReadOptions::default(),
    )
}

fn xu() -> String {
    std::fs::read_to_string(fixture("dblp/xu.xml")).unwrap()
}

/// A person file holding the records given.
fn person(records: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<dblpperson name=\"José Müller 0002\" pid=\"12/3456-2\" n=\"1\">\n\
         <person key=\"homepages/12/3456-2\" mdate=\"2024-01-01\"><author pid=\"12/3456-2\">José Müller 0002</author></person>\n\
         {records}</dblpperson>\n"
    )
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

#[test]
fn the_reference_file_as_csl_json() {
    let conversion = convert_fixture(&fixture("dblp/xu.xml"), OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    assert_eq!(conversion.written, 2);
    insta::assert_snapshot!("xu.csl.json", conversion.output);
}

#[test]
fn the_reference_file_read() {
    let text = xu();
    let reading = read(&text);
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    assert_eq!(reading.library.profile.as_ref().unwrap().name, "Di Xu");
    let works = &reading.library.works;
    assert_eq!(works.len(), 2);
    let paper = &works[0];
    assert_eq!(paper.kind, WorkType::ConferencePaper);
    assert_eq!(paper.key.as_deref(), Some("DBLP:conf/ictai/PourazadXN12"));
    assert_eq!(
        paper.title.as_ref().unwrap().raw_string(),
        "Random Forests Based View Generation for Multiview TV"
    );
    assert_eq!(
        names(&paper.authors),
        ["Mahsa T. Pourazad", "Di Xu", "Panos Nasiopoulos"]
    );
    assert_eq!(paper.extra["dblp-pids"], "55/6295; 95/7448-1; 55/3871");
    assert_eq!(
        paper.extra["dblp-url"],
        "db/conf/ictai/ictai2012.html#PourazadXN12"
    );
    assert_eq!(paper.ids.doi.as_deref(), Some("10.1109/ICTAI.2012.57"));
    // The other link is a mirror of the DOI: no URL of its own.
    assert_eq!(paper.ids.url, None);
    assert_eq!(paper.venue.pages.as_deref(), Some("367–372"));
    let article = &works[1];
    assert_eq!(article.kind, WorkType::JournalArticle);
    assert_eq!(article.venue.volume.as_deref(), Some("17"));
    assert_eq!(article.venue.issue.as_deref(), Some("3"));
    assert_eq!(
        article.venue.container_title.as_ref().unwrap().raw_string(),
        "IEEE Trans. Vis. Comput. Graph."
    );
    assert_eq!(article.date.unwrap().start.year, 2011);
    // Offsets point at each record, for merge notes' file:line.
    for offset in &reading.offsets {
        assert!(
            text[*offset..].starts_with("<inproceedings")
                || text[*offset..].starts_with("<article")
        );
    }
    assert_eq!(reading.offsets.len(), 2);
}

#[test]
fn the_owner_is_bold_in_the_markdown_cv() {
    let markdown = convert_fixture(&fixture("dblp/xu.xml"), OutputFormat::Markdown).output;
    assert!(markdown.contains("**Di Xu**"), "{markdown}");
    assert!(!markdown.contains("0001"), "{markdown}");
}

#[test]
fn told_from_its_content_and_other_xml_is_not_claimed() {
    let text = xu();
    for path in [Some(Path::new("xu.xml")), Some(Path::new("xu")), None] {
        assert_eq!(InputFormat::detect(path, &text), Some(InputFormat::Dblp));
    }
    assert_eq!(
        InputFormat::named_and_recognized(Some(Path::new("xu.xml")), &text),
        Some(InputFormat::Dblp)
    );
    let atom = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>\n";
    assert_eq!(InputFormat::detect(Some(Path::new("feed.xml")), atom), None);
    let input = Input {
        name: "feed.xml".into(),
        path: Some("feed.xml".into()),
        bytes: atom.into(),
    };
    let request = Request {
        from: None,
        to: OutputFormat::CslJson,
        read: ReadOptions::default(),
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    let error = convert(&[input], &request).expect_err("an Atom feed is not read as DBLP");
    assert!(error.message.contains("XML, but not"), "{}", error.message);
    assert_eq!(InputFormat::from_name("DBLP"), Some(InputFormat::Dblp));
}

#[test]
fn accented_homonyms_lose_their_number() {
    let reading = read(&person(
        "<r><article key=\"journals/x/MullerS24\" mdate=\"2024-01-01\">\
         <author pid=\"12/3456-2\">José Müller 0002</author>\
         <author pid=\"7/8\" orcid=\"0000-0001-2345-6789\">Ana María de la Cruz</author>\
         <author>Zoë Ōtsuka</author>\
         <title>Über Graphen.</title><year>2024</year><journal>J. X</journal></article></r>\n",
    ));
    assert_eq!(
        reading.library.profile.as_ref().unwrap().name,
        "José Müller"
    );
    let work = &reading.library.works[0];
    assert_eq!(
        names(&work.authors),
        ["José Müller", "Ana María de la Cruz", "Zoë Ōtsuka"]
    );
    let Person::Personal(cruz) = &work.authors[1] else {
        panic!("a personal name")
    };
    assert_eq!(cruz.family, "Cruz");
    assert_eq!(cruz.particle.as_deref(), Some("de la"));
    // The third author has no pid: its place stays, empty.
    assert_eq!(work.extra["dblp-pids"], "12/3456-2; 7/8; ");
}

#[test]
fn crlf_line_ends_read_the_same() {
    let lf = xu();
    let crlf = lf.replace('\n', "\r\n");
    let (a, b) = (read(&lf), read(&crlf));
    assert_eq!(a.library, b.library);
    assert!(b.diagnostics.is_empty());
    assert!(crlf[b.offsets[1]..].starts_with("<article"));
}

#[test]
fn a_record_missing_year_and_pages_is_read_and_one_missing_its_title_is_skipped() {
    let text = person(
        "<r><article key=\"a/1\"><author>A B</author><title>No Year.</title><journal>J</journal></article></r>\n\
         <r><article key=\"a/2\"><author>A B</author><year>2020</year></article></r>\n\
         <r><article key=\"a/3\"><title>Third.</title><year>2021</year></article></r>\n",
    );
    let reading = read(&text);
    let works = &reading.library.works;
    assert_eq!(works.len(), 2);
    assert_eq!(works[0].date, None);
    assert_eq!(works[0].venue.pages, None);
    assert_eq!(works[1].title.as_ref().unwrap().raw_string(), "Third");
    assert_eq!(reading.diagnostics.len(), 1, "{:?}", reading.diagnostics);
    let warning = &reading.diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.code, "dblp::no-title");
    assert_eq!(warning.line, 5);
    assert_eq!(warning.key.as_deref(), Some("DBLP:a/2"));
}

#[test]
fn a_corr_record_is_an_arxiv_preprint() {
    let reading = read(&person(
        "<r><article key=\"journals/corr/abs-2002-05202\" publtype=\"informal\">\
         <author pid=\"1\">Noam Shazeer</author><title>GLU Variants Improve Transformer.</title>\
         <year>2020</year><volume>abs/2002.05202</volume><journal>CoRR</journal>\
         <ee type=\"oa\">https://arxiv.org/abs/2002.05202</ee>\
         <url>db/journals/corr/corr2002.html#abs-2002-05202</url></article></r>\n\
         <r><article key=\"journals/corr/abs-2303-01179\" publtype=\"informal\">\
         <title>Another.</title><year>2023</year><journal>CoRR</journal><volume>abs/2303.01179</volume>\
         <ee>https://doi.org/10.48550/ARXIV.2303.01179</ee></article></r>\n",
    ));
    let works = &reading.library.works;
    assert_eq!(works[0].kind, WorkType::Preprint);
    assert_eq!(works[0].ids.arxiv.as_deref(), Some("2002.05202"));
    assert_eq!(works[0].venue.volume, None);
    assert_eq!(works[0].venue.container_title, None);
    assert_eq!(
        works[1].ids.doi.as_deref(),
        Some("10.48550/ARXIV.2303.01179")
    );
    assert_eq!(works[1].ids.arxiv.as_deref(), Some("2303.01179"));
    let csl = convert_bytes("p.xml", person(CORR).into(), OutputFormat::CslJson).output;
    assert!(csl.contains("\"type\": \"article\""), "{csl}");
    assert!(csl.contains("arXiv:2002.05202"), "{csl}");
    assert!(!csl.contains("CoRR"), "{csl}");
}

const CORR: &str =
    "<r><article key=\"journals/corr/abs-2002-05202\" publtype=\"informal\"><title>GLU.</title>\
     <year>2020</year><volume>abs/2002.05202</volume><journal>CoRR</journal></article></r>\n";

#[test]
fn title_markup_becomes_rich_text() {
    let reading = read(&person(
        "<r><inproceedings key=\"c/1\"><title>Learning <i>k</i>-Means on CO<sub>2</sub> Data\n  at <sup>13</sup>C.</title>\
         <booktitle>ICML</booktitle><year>2019</year></inproceedings></r>\n",
    ));
    let title = reading.library.works[0].title.clone().unwrap();
    assert_eq!(title.raw_string(), "Learning k-Means on CO2 Data at 13C");
    assert!(title.inlines.contains(&Inline::Styled(
        Style::Emphasis,
        vec![Inline::Plain("k".into())]
    )));
    assert!(title.inlines.contains(&Inline::Styled(
        Style::Subscript,
        vec![Inline::Plain("2".into())]
    )));
    let csl = convert_bytes(
        "c.xml",
        person(
            "<r><inproceedings key=\"c/1\"><title>CO<sub>2</sub> and <i>x</i>.</title><year>2019</year></inproceedings></r>\n",
        )
        .into(),
        OutputFormat::CslJson,
    );
    assert!(
        csl.output.contains("CO<sub>2</sub> and <i>x</i>\""),
        "{}",
        csl.output
    );
}

#[test]
fn several_links_give_a_doi_an_arxiv_id_and_one_url() {
    let reading = read(&person(
        "<r><article key=\"j/1\"><title>T.</title><year>2022</year>\
         <ee>https://www.wikidata.org/entity/Q1</ee>\
         <ee>https://arxiv.org/abs/2201.00001</ee>\
         <ee>https://doi.org/10.1145/1234.5678</ee>\
         <ee>https://doi.org/10.9999/second</ee>\
         <ee>https://dl.acm.org/doi/10.1145/1234.5678</ee>\
         <ee>https://example.org/paper.pdf</ee></article></r>\n",
    ));
    let ids = &reading.library.works[0].ids;
    assert_eq!(ids.doi.as_deref(), Some("10.1145/1234.5678"));
    assert_eq!(ids.arxiv.as_deref(), Some("2201.00001"));
    assert_eq!(ids.url.as_deref(), Some("https://example.org/paper.pdf"));
}

#[test]
fn broken_xml_is_one_error_with_its_line_and_column() {
    let text = person("<r><article key=\"a\"><title>T.</title>\n<year>2020</yaer></article></r>\n");
    let reading = read(&text);
    assert!(reading.library.works.is_empty());
    assert_eq!(reading.diagnostics.len(), 1);
    let error = &reading.diagnostics[0];
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.code, "dblp::bad-xml");
    assert_eq!((error.line, error.column), (5, 11), "{error:?}");
    assert_eq!(error.file, "person.xml");
    // The position is said once, by the diagnostic, not again in its text.
    assert!(error.message.contains("'yaer'"), "{}", error.message);
    assert!(!error.message.contains("5:11"), "{}", error.message);
    // Through a conversion the file is refused with exit status 1.
    let conversion = convert_bytes("broken.xml", text.into(), OutputFormat::Bibtex);
    assert_eq!(conversion.exit_status(), 1);
    assert!(conversion
        .diagnostics
        .iter()
        .any(|d| d.code == "dblp::bad-xml" && d.line == 5));
}

#[test]
fn an_empty_person_is_an_empty_library_with_its_owner() {
    for text in [
        "<?xml version=\"1.0\"?>\n<dblpperson name=\"Di Xu 0001\" pid=\"95/7448-1\" n=\"0\">\n</dblpperson>\n",
        "<dblpperson name=\"Di Xu 0001\"/>",
    ] {
        let reading = read(text);
        assert!(reading.library.works.is_empty());
        assert!(reading.diagnostics.is_empty());
        assert_eq!(reading.library.profile.as_ref().unwrap().name, "Di Xu");
    }
}

#[test]
fn every_output_takes_it() {
    let text = person(
        "<r><phdthesis key=\"phd/x\"><author>José Müller 0002</author><title>A <i>Thesis</i>.</title>\
         <school>TU München</school><year>2019</year></phdthesis></r>\n\
         <r><article key=\"journals/corr/abs-2002-05202\" publtype=\"informal\"><author>José Müller 0002</author>\
         <title>Pre &amp; Print.</title><year>2020</year><journal>CoRR</journal><volume>abs/2002.05202</volume></article></r>\n",
    );
    for format in OutputFormat::ALL {
        let conversion = convert_bytes("p.xml", text.clone().into_bytes(), *format);
        assert_eq!(conversion.written, 2, "{format:?}");
        assert!(!conversion.output.contains("0002"), "{}", conversion.output);
    }
    let bibtex = convert_bytes("p.xml", text.into(), OutputFormat::Bibtex).output;
    assert!(bibtex.contains("@phdthesis{DBLP:phd/x,"), "{bibtex}");
    assert!(bibtex.contains("school = {TU München}"), "{bibtex}");
}

#[test]
fn a_merge_note_points_at_the_record_line() {
    let bib = "@article{xu2011,\n  author = {Xu, Di},\n  title = {Correction of Clipped Pixels in Color Images},\n  year = 2011,\n  doi = {10.1109/TVCG.2010.63},\n}\n";
    let inputs =
        [("xu.xml", xu().into_bytes()), ("same.bib", bib.into())].map(|(name, bytes)| Input {
            name: name.into(),
            path: Some(name.into()),
            bytes,
        });
    let request = Request {
        from: None,
        to: OutputFormat::CslJson,
        read: ReadOptions::default(),
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    let conversion = convert(&inputs, &request).unwrap();
    assert_eq!(conversion.written, 2);
    // The article's record starts on line 25 of the file.
    assert!(
        conversion
            .diagnostics
            .iter()
            .any(|d| d.message.contains("(xu.xml:25)")),
        "{:?}",
        conversion.diagnostics
    );
}

/// DBLP's BibTeX gives a conference paper its full `booktitle` and a
/// `crossref` to proceedings it leaves out of the file: the dangling
/// crossref is left out of every output with a note (a `\nocite{*}` CV
/// would print the stray proceedings), the booktitle stays. A crossref
/// to a parent that is there is inherited as before; one to a missing
/// parent the entry needed is a warning.
#[test]
fn dblp_bibtex_drops_a_crossref_to_a_missing_parent_with_a_note() {
    let conversion = convert_fixture(&fixture("dblp/xu.bib"), OutputFormat::Bibtex);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    let bibtex = &conversion.output;
    assert!(!bibtex.contains("crossref"), "{bibtex}");
    assert!(
        bibtex.contains("booktitle = {{IEEE} 24th International Conference on Tools with Artificial Intelligence, {ICTAI} 2012, Athens, Greece, November 7-9, 2012},"),
        "{bibtex}"
    );
    let notes: Vec<_> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("crossref `DBLP:conf/ictai/2012`"))
        .collect();
    assert_eq!(notes.len(), 1, "{:?}", conversion.diagnostics);
    assert_eq!(notes[0].severity, Severity::Note);
    assert_eq!(notes[0].line, 1);
    assert!(notes[0].message.contains("left out of the output"));

    // Variations: CRLF, an accented author, a missing parent the entry
    // needed (no booktitle of its own), and a parent that is there.
    let bib = "@inproceedings{DBLP:conf/x/MullerL20,\r\n  author = {Zoë Müller and Sang-Eun Lee},\r\n  title = {Ünïcode Things},\r\n  year = {2020},\r\n  crossref = {DBLP:conf/x/2020}\r\n}\r\n\
@inproceedings{DBLP:conf/y/A21, author = {Ana Álvarez}, title = {Inherited}, crossref = {DBLP:conf/y/2021}}\n\
@proceedings{DBLP:conf/y/2021, title = {Proceedings of Y 2021}, year = {2021}, publisher = {ACM}}\n";
    let conversion = convert_bytes("variations.bib", bib.into(), OutputFormat::Bibtex);
    let needed: Vec<_> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("DBLP:conf/x/2020"))
        .collect();
    assert_eq!(needed.len(), 1, "{:?}", conversion.diagnostics);
    assert_eq!(needed[0].severity, Severity::Warning);
    assert!(needed[0].message.contains("nothing was inherited"));
    assert!(
        !conversion.output.contains("crossref"),
        "{}",
        conversion.output
    );
    assert!(
        conversion
            .output
            .contains("booktitle = {Proceedings of Y 2021},"),
        "{}",
        conversion.output
    );
    assert!(conversion
        .diagnostics
        .iter()
        .all(|d| !d.message.contains("DBLP:conf/y/2021")));
}

/// Each record is parsed on its own: one that is not well-formed costs
/// itself only, reported where it breaks; a file cut short keeps the
/// records before the cut and says so; entities a document type declares
/// are read in every record.
#[test]
fn a_broken_record_costs_only_itself() {
    let text = person(
        "<r><article key=\"a\"><title>Good one.</title><year>2020</year></article></r>\n\
         <r><article key=\"b\"><title>Broken &amp one.</title>\n<year>2021</year></article></r>\n\
         <r><article key=\"c\"><title>Ünïcode after.</title><year>2022</year></article></r>\n",
    );
    let reading = read(&text);
    let titles: Vec<String> = reading
        .library
        .works
        .iter()
        .map(|work| work.title.as_ref().unwrap().raw_string())
        .collect();
    assert_eq!(titles, ["Good one", "Ünïcode after"]);
    assert_eq!(reading.diagnostics.len(), 1, "{:?}", reading.diagnostics);
    let error = &reading.diagnostics[0];
    assert_eq!((error.code, error.line), ("dblp::bad-xml", 5));
    assert!(text[reading.offsets[1]..].starts_with("<article key=\"c\""));

    let cut = &text[..text.find("<r><article key=\"c\"").unwrap()];
    let reading = read(cut);
    assert_eq!(reading.library.works.len(), 1);
    let last = reading.diagnostics.last().unwrap();
    assert!(last.message.contains("</dblpperson>"), "{last:?}");

    let declared = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\r\n<!DOCTYPE dblp [\r\n<!ENTITY uuml \"&#252;\">\r\n]>\r\n<dblp>\r\n<article key=\"journals/x/M20\"><author>J&uuml;rgen M&uuml;ller</author><title>&Uuml;ber Dinge.</title><year>2020</year></article>\r\n</dblp>\r\n";
    let reading = read(&declared.replace("&Uuml;", "&uuml;"));
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    let work = &reading.library.works[0];
    assert_eq!(work.title.as_ref().unwrap().raw_string(), "über Dinge");
    assert_eq!(names(&work.authors), ["Jürgen Müller"]);
    // An entity it does not declare is reported on the record's line.
    let reading = read(declared);
    assert!(reading.library.works.is_empty());
    assert_eq!(reading.diagnostics[0].line, 6, "{:?}", reading.diagnostics);
}
