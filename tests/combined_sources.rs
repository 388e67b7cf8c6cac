//! One researcher's list from three sources (a Google Scholar paste,
//! DBLP's person XML and ORCID's works) read together: the same paper from
//! several sources is one work, the richest record leading, each merge
//! reported; whatever the order the files are given in.

mod common;

use pubconv::convert::Conversion;
use pubconv::write::OutputFormat;
use serde_json::Value;

const SOURCES: [&str; 3] = ["combined/scholar.txt", "dblp/xu.xml", "combined/orcid.json"];

fn combined(files: &[&str], to: OutputFormat) -> Conversion {
    common::convert_fixtures(files, to, true)
}

fn items(files: &[&str]) -> Vec<Value> {
    serde_json::from_str(&combined(files, OutputFormat::CslJson).output).unwrap()
}

fn by_title<'a>(items: &'a [Value], start: &str) -> &'a Value {
    let found: Vec<&Value> = items
        .iter()
        .filter(|item| {
            item["title"]
                .as_str()
                .is_some_and(|title| title.to_lowercase().starts_with(&start.to_lowercase()))
        })
        .collect();
    assert_eq!(found.len(), 1, "one work titled {start}: {items:#?}");
    found[0]
}

fn names(item: &Value) -> Vec<String> {
    item["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| {
            format!(
                "{} {}",
                name["given"].as_str().unwrap_or(""),
                name["family"]
            )
        })
        .map(|name| name.replace('"', ""))
        .collect()
}

#[test]
fn three_sources_make_one_list() {
    let conversion = combined(&SOURCES, OutputFormat::CslJson);
    assert_eq!(conversion.exit_status(), 0, "{:?}", conversion.diagnostics);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).unwrap();
    // Four Scholar rows, two DBLP records, three ORCID works: five works.
    assert_eq!(items.len(), 5, "{items:#?}");
    let merges: Vec<&str> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == "merge::duplicate")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(merges.len(), 4, "{merges:#?}");

    // In all three: DBLP's and ORCID's DOI, the full journal name, the
    // names in full, the published year, Scholar's cited-by count.
    let clipped = by_title(&items, "Correction of clipped pixels");
    assert_eq!(clipped["DOI"], "10.1109/TVCG.2010.63");
    assert_eq!(
        clipped["container-title"],
        "IEEE Transactions on Visualization and Computer Graphics"
    );
    assert_eq!(
        names(clipped),
        ["Di Xu", "Colin Doutre", "Panos Nasiopoulos"]
    );
    assert_eq!(clipped["issued"]["date-parts"][0][0], 2011);
    assert_eq!(clipped["custom"]["citations"], "98");

    // Scholar's truncated preprint and ORCID's published version: the
    // journal article leads with its eight authors, the preprint's year
    // and arXiv id are kept.
    let saturated = by_title(&items, "Saturated-pixel enhancement");
    assert_eq!(saturated["type"], "article-journal");
    assert_eq!(
        saturated["container-title"],
        "Journal of Visual Communication and Image Representation"
    );
    assert_eq!(names(saturated).len(), 8);
    assert_eq!(names(saturated)[4], "Andrés García Coleto");
    assert_eq!(saturated["submitted"]["date-parts"][0][0], 2010);
    assert_eq!(saturated["number"], "arXiv:1005.1234");

    // Scholar's venue cut short loses to DBLP's record.
    let forests = by_title(&items, "Random forests based view generation");
    assert_eq!(forests["type"], "paper-conference");
    assert_eq!(names(forests)[0], "Mahsa T. Pourazad");
    assert_eq!(forests["DOI"], "10.1109/ICTAI.2012.57");

    // One source only: kept as that source says.
    assert_eq!(
        by_title(&items, "A study of depth maps")["type"],
        "article-journal"
    );
    assert_eq!(
        by_title(&items, "Dépth perception")["type"],
        "paper-conference"
    );
}

#[test]
fn the_order_of_the_files_does_not_change_the_works() {
    let summary = |files: &[&str]| {
        let mut works: Vec<(String, String, usize, Value)> = items(files)
            .iter()
            .map(|item| {
                (
                    item["title"].as_str().unwrap().to_lowercase(),
                    item["type"].as_str().unwrap().to_owned(),
                    names(item).len(),
                    item["DOI"].clone(),
                )
            })
            .collect();
        works.sort_by(|a, b| a.0.cmp(&b.0));
        works
    };
    let reference = summary(&SOURCES);
    for order in [
        ["combined/orcid.json", "dblp/xu.xml", "combined/scholar.txt"],
        ["dblp/xu.xml", "combined/scholar.txt", "combined/orcid.json"],
    ] {
        assert_eq!(summary(&order), reference, "{order:?}");
    }
}

#[test]
fn the_markdown_cv_bolds_the_owner_once_per_work() {
    let conversion = combined(&SOURCES, OutputFormat::Markdown);
    let markdown = &conversion.output;
    let entries: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(entries.len(), 5, "{markdown}");
    for entry in entries {
        assert_eq!(entry.matches("**").count(), 2, "{entry}");
    }
    assert!(markdown.contains("**Di Xu**"), "{markdown}");
}
