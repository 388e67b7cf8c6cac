//! The answers under `fixtures/lookup/` that the lookup tests' server
//! sends: each read by pubconv's own reader of its service where there is
//! one (and the deliberately broken ones refused), every file accounted
//! for, and the arXiv feeds holding every work of the bundled profile dump
//! with the dump's title, date, category and first authors.

mod common;

use std::path::Path;

use common::http_server::lookup_fixture;
use common::lookup_routes::{arxiv_entries, arxiv_feed_files, fold};
use common::AS_OF;
use pubconv::diagnostic::Severity;
use pubconv::model::{Person, Work};
use pubconv::read::{InputFormat, ReadOptions, Reading, Source};

/// What a fixture must do when read.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Read by this reader into works, with no error.
    Reads(InputFormat),
    /// Refused by this reader with an error, without a panic.
    Refused(InputFormat),
    /// No pubconv reader: valid JSON, checked by its own test below.
    Json,
}

/// Every file under `fixtures/lookup/` (but the README) and what it must
/// do; the per-work arXiv feeds are added from the folder.
const FIXTURES: &[(&str, Expect)] = &[
    ("arxiv/error.xml", Expect::Refused(InputFormat::ArxivAtom)),
    (
        "arxiv/malformed.xml",
        Expect::Refused(InputFormat::ArxivAtom),
    ),
    (
        "crossref/work-blind-deconvolution.json",
        Expect::Reads(InputFormat::Crossref),
    ),
    (
        "crossref/work-cyclegan.json",
        Expect::Reads(InputFormat::Crossref),
    ),
    (
        "crossref/work-sufficient-invariant.json",
        Expect::Reads(InputFormat::Crossref),
    ),
    (
        "crossref/search-several.json",
        Expect::Reads(InputFormat::Crossref),
    ),
    (
        "crossref/search-reprint.json",
        Expect::Reads(InputFormat::Crossref),
    ),
    (
        "crossref/malformed.json",
        Expect::Refused(InputFormat::Crossref),
    ),
    (
        "openalex/work-blind-deconvolution.json",
        Expect::Reads(InputFormat::OpenAlex),
    ),
    (
        "openalex/work-cyclegan.json",
        Expect::Reads(InputFormat::OpenAlex),
    ),
    ("dblp/search-several.json", Expect::Json),
];

fn options() -> ReadOptions {
    ReadOptions {
        as_of: AS_OF.parse().expect("AS_OF is a date"),
    }
}

fn read(format: InputFormat, path: &Path) -> Reading {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    format.read(
        Source {
            name: &path.display().to_string(),
            text: &text,
        },
        &options(),
    )
}

fn errors(reading: &Reading) -> Vec<String> {
    reading
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(lookup_fixture(""))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The table above and the per-work feeds, as paths with expectations.
fn all_fixtures() -> Vec<(String, Expect)> {
    let mut all: Vec<(String, Expect)> = FIXTURES
        .iter()
        .map(|(name, expect)| (name.to_string(), *expect))
        .collect();
    for path in arxiv_feed_files() {
        let name = relative(&path);
        if !all.iter().any(|(known, _)| *known == name) {
            all.push((name, Expect::Reads(InputFormat::ArxivAtom)));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

#[test]
fn every_file_is_accounted_for() {
    let mut on_disk = Vec::new();
    let mut folders = vec![lookup_fixture("")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|name| name != "README.md") {
                on_disk.push(relative(&path));
            }
        }
    }
    on_disk.sort();
    let listed: Vec<String> = all_fixtures().into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        on_disk, listed,
        "add new fixtures to FIXTURES and the README"
    );
}

#[test]
fn every_file_is_in_the_readme_table() {
    let readme = std::fs::read_to_string(lookup_fixture("README.md")).unwrap();
    for (name, _) in all_fixtures() {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "fixtures/lookup/README.md has no row for `{name}`"
        );
    }
}

#[test]
fn every_fixture_reads_as_its_service_answers_or_is_refused() {
    for (name, expect) in all_fixtures() {
        let path = lookup_fixture(&name);
        match expect {
            Expect::Reads(format) => {
                let reading = read(format, &path);
                assert!(
                    errors(&reading).is_empty(),
                    "{name}: {:?}",
                    errors(&reading)
                );
                assert!(!reading.library.works.is_empty(), "{name}: no works");
                for work in &reading.library.works {
                    assert!(title(work).is_some(), "{name}: a work without a title");
                    assert!(!work.authors.is_empty(), "{name}: a work without authors");
                }
            }
            Expect::Refused(format) => {
                let reading = read(format, &path);
                assert!(
                    !errors(&reading).is_empty(),
                    "{name} was read without an error"
                );
            }
            Expect::Json => {
                let text = std::fs::read_to_string(&path).unwrap();
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
            }
        }
    }
    // Broken for any JSON reader, not only for pubconv's.
    let text = std::fs::read_to_string(lookup_fixture("crossref/malformed.json")).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
}

fn title(work: &Work) -> Option<String> {
    work.title.as_ref().map(|title| title.raw_string())
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(Person::display_name).collect()
}

#[test]
fn the_arxiv_feeds_hold_every_work_of_the_dump() {
    let dump = read(
        InputFormat::Profile,
        &common::fixture("profile/sungjun-lim.txt"),
    );
    assert!(errors(&dump).is_empty(), "{:?}", errors(&dump));
    assert_eq!(dump.library.works.len(), 10);
    let feeds: Vec<(String, Reading)> = arxiv_feed_files()
        .iter()
        .map(|path| (relative(path), read(InputFormat::ArxivAtom, path)))
        .collect();
    assert_eq!(feeds.len(), 10, "one feed per work of the dump");
    for work in &dump.library.works {
        let wanted = title(work).expect("the dump's works have titles");
        let found: Vec<(&String, &Work)> = feeds
            .iter()
            .flat_map(|(name, reading)| reading.library.works.iter().map(move |w| (name, w)))
            .filter(|(_, entry)| title(entry).as_deref() == Some(wanted.as_str()))
            .collect();
        let [(feed, entry)] = found[..] else {
            panic!("{wanted:?} is in {} feeds' entries, not one", found.len());
        };
        let dump_authors = names(&work.authors);
        assert_eq!(dump_authors.len(), 3, "{wanted}: the dump shows three");
        let entry_authors = names(&entry.authors);
        assert!(
            entry_authors.len() > 3 && entry_authors[..3] == dump_authors[..],
            "{feed}: {entry_authors:?} does not start with the dump's {dump_authors:?}"
        );
        let day = |w: &Work| w.date.as_ref().map(|date| date.start.iso());
        assert_eq!(day(entry), day(work), "{feed}: the date of {wanted:?}");
        let primary = |w: &Work| w.categories.first().map(|c| c.best().to_owned());
        assert_eq!(primary(entry), primary(work), "{feed}: the category");
        // The feed's other entry is a near miss: another title, other people.
        let reading = &feeds.iter().find(|(name, _)| name == feed).unwrap().1;
        assert_eq!(reading.library.works.len(), 2, "{feed}");
        for other in reading
            .library
            .works
            .iter()
            .filter(|w| title(w) != Some(wanted.clone()))
        {
            assert_ne!(fold(&title(other).unwrap()), fold(&wanted), "{feed}");
            assert!(
                names(&other.authors)
                    .iter()
                    .all(|n| !dump_authors.contains(n)),
                "{feed}: the other entry shares an author"
            );
        }
    }
}

#[test]
fn three_feeds_name_a_published_version_that_crossref_answers_for() {
    let mut with_doi = 0;
    for path in arxiv_feed_files() {
        let reading = read(InputFormat::ArxivAtom, &path);
        for work in &reading.library.works {
            let Some(doi) = work.ids.doi.as_deref() else {
                continue;
            };
            with_doi += 1;
            let crossref = std::fs::read_dir(lookup_fixture("crossref"))
                .unwrap()
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "json"))
                .filter_map(|path| std::fs::read_to_string(path).ok())
                .filter_map(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .find(|value| value["message"]["DOI"].as_str() == Some(doi));
            let crossref = crossref
                .unwrap_or_else(|| panic!("{}: no Crossref work for {doi}", relative(&path)));
            assert_eq!(
                fold(crossref["message"]["title"][0].as_str().unwrap()),
                fold(&title(work).unwrap()),
                "{doi}"
            );
            assert_eq!(
                crossref["message"]["author"].as_array().unwrap().len(),
                work.authors.len(),
                "{doi}: Crossref names everyone"
            );
        }
    }
    assert_eq!(with_doi, 3);
}

#[test]
fn the_crossref_searches_hold_one_right_candidate() {
    let several = read(
        InputFormat::Crossref,
        &lookup_fixture("crossref/search-several.json"),
    );
    let title = "Flat Posterior Does Matter For Bayesian Model Averaging";
    let right: Vec<&Work> = several
        .library
        .works
        .iter()
        .filter(|w| fold(&self::title(w).unwrap()) == fold(title))
        .filter(|w| names(&w.authors).iter().any(|n| n == "Sungjun Lim"))
        .filter(|w| {
            w.date
                .as_ref()
                .is_some_and(|d| (2023..=2025).contains(&d.start.year))
        })
        .collect();
    assert_eq!(several.library.works.len(), 3);
    assert_eq!(right.len(), 1);

    let reprint = std::fs::read_to_string(lookup_fixture("crossref/search-reprint.json")).unwrap();
    let reprint: serde_json::Value = serde_json::from_str(&reprint).unwrap();
    let items = reprint["message"]["items"].as_array().unwrap();
    let summary: Vec<(&str, &str)> = items
        .iter()
        .map(|item| {
            (
                item["type"].as_str().unwrap(),
                item["DOI"].as_str().unwrap(),
            )
        })
        .collect();
    // The re-deposit comes first, as it did in the search that was noted.
    assert_eq!(summary[0].0, "posted-content");
    assert_eq!(summary[1].0, "proceedings-article");
    assert_ne!(
        summary[0].1.split('/').next(),
        summary[1].1.split('/').next()
    );
}

#[test]
fn the_dblp_search_has_a_corr_and_a_conference_hit_and_a_lone_author_object() {
    let text = std::fs::read_to_string(lookup_fixture("dblp/search-several.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let hits = value["result"]["hits"]["hit"].as_array().unwrap();
    assert_eq!(
        value["result"]["hits"]["@total"].as_str(),
        Some(hits.len().to_string().as_str())
    );
    let venues: Vec<&str> = hits
        .iter()
        .map(|hit| hit["info"]["venue"].as_str().unwrap())
        .collect();
    assert!(venues.contains(&"CoRR") && venues.contains(&"Interspeech"));
    assert!(hits
        .iter()
        .any(|hit| hit["info"]["authors"]["author"].is_object()));
    assert!(hits
        .iter()
        .any(|hit| hit["info"]["authors"]["author"].is_array()));
}

#[test]
fn arxiv_entries_read_by_the_router_agree_with_pubconv() {
    for path in arxiv_feed_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let reading = read(InputFormat::ArxivAtom, &path);
        let routed = arxiv_entries(&text);
        assert_eq!(routed.len(), reading.library.works.len());
        for (entry, work) in routed.iter().zip(&reading.library.works) {
            assert_eq!(fold(&entry.title), fold(&title(work).unwrap()));
            assert_eq!(entry.authors, names(&work.authors));
            assert_eq!(Some(entry.base_id()), work.ids.arxiv.as_deref());
        }
    }
}
