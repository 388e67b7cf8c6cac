//! Helpers the integration tests share.
#![allow(dead_code)]

pub mod compare;
pub mod http_server;
pub mod latex;
pub mod lookup_routes;

use std::path::{Path, PathBuf};

use pubconv::convert::{convert, Conversion, Input, Request};
use pubconv::read::ReadOptions;
use pubconv::write::OutputFormat;

/// Every `.bib` file under `folder`, at any depth, sorted; none when the
/// folder is absent.
pub fn bib_files(folder: &Path) -> Vec<PathBuf> {
    files_named(folder, "bib")
}

/// Every file with this extension under `folder`, at any depth, sorted;
/// none when the folder is absent.
pub fn files_named(folder: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(listing) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in listing.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The capture date the fixtures are converted as of, so that yearless
/// dates resolve the same way every day.
pub const AS_OF: &str = "2026-11-27";

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// Every profile dump under `fixtures/profile/` that converts cleanly.
pub fn clean_profile_fixtures() -> Vec<PathBuf> {
    ["profile/sungjun-lim.txt", "profile/variations.txt"]
        .iter()
        .map(|name| fixture(name))
        .collect()
}

/// Every fixture whose output real consumers must accept: the clean dumps,
/// the Scholar paste, the DBLP files (person XML, BibTeX and search
/// replies), the ORCID bulk reply, the OpenAlex
/// and Semantic Scholar pages, the arXiv and Crossref files and the BibTeX
/// files (the broken entry in `traps.bib`
/// is left out of the output, so the output must still compile).
pub fn output_fixtures() -> Vec<PathBuf> {
    let mut fixtures = clean_profile_fixtures();
    fixtures.extend(
        [
            "scholar/leek.txt",
            "dblp/xu.xml",
            "dblp/xu.bib",
            // Not `dblp/search-variations.json`: a hit without authors,
            // which BibTeX's styles cannot sort.
            "dblp/search.json",
            // Not `orcid/works.json`: summaries have no authors, and
            // BibTeX's styles warn that they cannot sort a work without
            // an author or a `key`.
            "orcid/xu-bulk.json",
            "openalex/works.json",
            "semantic-scholar/papers.json",
            "arxiv/bradley.xml",
            "arxiv/variations.xml",
            "crossref/work.json",
            "crossref/list.json",
            "bibtex/cv.bib",
            "bibtex/traps.bib",
        ]
        .iter()
        .map(|name| fixture(name)),
    );
    fixtures
}

/// Fixtures read together as one conversion's inputs, named as given.
pub fn convert_fixtures(names: &[&str], to: OutputFormat, merge: bool) -> Conversion {
    let inputs: Vec<Input> = names
        .iter()
        .map(|name| {
            let path = fixture(name);
            Input {
                name: name.to_string(),
                bytes: std::fs::read(&path).unwrap(),
                path: Some(path),
            }
        })
        .collect();
    let request = Request {
        from: None,
        to,
        read: ReadOptions {
            as_of: AS_OF.parse().expect("AS_OF is a date"),
        },
        write: Default::default(),
        merge,
        lookup: Default::default(),
    };
    convert(&inputs, &request).unwrap()
}

pub fn convert_bytes(name: &str, bytes: Vec<u8>, to: OutputFormat) -> Conversion {
    let input = Input {
        name: name.to_owned(),
        path: Some(PathBuf::from(name)),
        bytes,
    };
    let request = Request {
        from: None,
        to,
        read: ReadOptions {
            as_of: AS_OF.parse().expect("AS_OF is a date"),
        },
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    convert(&[input], &request).expect("the input's format is recognised")
}

pub fn convert_fixture(path: &Path, to: OutputFormat) -> Conversion {
    let bytes = std::fs::read(path).expect("fixture is readable");
    convert_bytes(&path.display().to_string(), bytes, to)
}

/// A `.bib` file's text read as BibTeX (whatever its name) and written as
/// CSL-JSON items, for the tests that compare with peers' expected items.
pub fn bibtex_to_csl_items(name: &str, bytes: Vec<u8>) -> Vec<serde_json::Value> {
    let input = Input {
        name: name.to_owned(),
        path: None,
        bytes,
    };
    let request = Request {
        from: Some(pubconv::read::InputFormat::Bibtex),
        to: OutputFormat::CslJson,
        read: ReadOptions::default(),
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    let conversion = convert(&[input], &request).expect("the format is given");
    serde_json::from_str(&conversion.output).expect("pubconv writes valid JSON")
}

/// Whether a check that needs an external tool must run: set
/// `PUBCONV_REQUIRE_TOOLS=1` (CI does) to make a missing tool a failure.
pub fn tool_available(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        if std::env::var_os("PUBCONV_REQUIRE_TOOLS").is_some_and(|v| v != "0") {
            panic!("{tool} is not on PATH, and PUBCONV_REQUIRE_TOOLS is set");
        }
        skipped(&format!(
            "{tool} is not on PATH (scripts/install-test-tools installs it)"
        ));
    }
    found
}

/// `../shared/corpus/<part>`, the real-world files written by other
/// projects that some tests read; `None` (the test then says it skipped
/// itself) when the folder is absent. Set `PUBCONV_REQUIRE_CORPUS=1` (CI
/// does) to make an absent folder a failure.
pub fn corpus(part: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(part);
    if path.exists() {
        return Some(path);
    }
    let shown = Path::new("../shared/corpus").join(part);
    if std::env::var_os("PUBCONV_REQUIRE_CORPUS").is_some_and(|v| v != "0") {
        panic!(
            "{} is absent, and PUBCONV_REQUIRE_CORPUS is set",
            shown.display()
        );
    }
    skipped(&format!(
        "{} is absent (the project's shared folder, beside the checkout)",
        shown.display()
    ));
    None
}

/// Says that a check was skipped, and why, where every `cargo test` run
/// shows it: written to standard error directly, past the test harness's
/// capture of `eprintln!`.
pub fn skipped(reason: &str) {
    use std::io::Write as _;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {reason}");
}

/// The INPUT blocks of citeproc's test files.
pub fn citeproc_inputs(corpus: &Path) -> Vec<(String, String)> {
    let mut inputs = Vec::new();
    for folder in ["csl", "extra", "overrides"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(folder)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let Some((_, rest)) = text.split_once(" INPUT =") else {
                continue;
            };
            let rest = rest.split_once('\n').map_or("", |(_, rest)| rest);
            let Some((input, _)) = rest.split_once("<<====") else {
                continue;
            };
            inputs.push((path.display().to_string(), input.to_owned()));
        }
    }
    inputs
}

/// One row of the loss table of `docs/formats.md`: the outputs it is
/// about, its example input, and the warning it expects (code and a
/// fragment of the message), if any.
pub struct LossRow {
    pub outputs: Vec<OutputFormat>,
    pub example: Option<String>,
    pub warning: Option<(String, String)>,
    pub line: String,
}

/// The rows of the loss table of `docs/formats.md`.
pub fn loss_table() -> Vec<LossRow> {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/formats.md"))
            .expect("docs/formats.md is readable");
    let table = page
        .split_once("<!-- loss table -->")
        .and_then(|(_, rest)| rest.split_once("<!-- end of loss table -->"))
        .map(|(table, _)| table)
        .expect("docs/formats.md has the loss table between its markers");
    let code = |cell: &str| -> Option<String> {
        let start = cell.find('`')? + 1;
        let end = cell.rfind('`')?;
        (end > start).then(|| cell[start..end].to_owned())
    };
    table
        .lines()
        .filter(|line| {
            line.starts_with("| ") && !line.starts_with("| output") && !line.starts_with("| ---")
        })
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let outputs = cells[0]
                .split(", ")
                .filter_map(|name| match name {
                    "BibTeX" => Some(OutputFormat::Bibtex),
                    "BibLaTeX" => Some(OutputFormat::Biblatex),
                    "CSL-JSON" => Some(OutputFormat::CslJson),
                    "Markdown" => Some(OutputFormat::Markdown),
                    _ => None,
                })
                .collect();
            let warning = cells[4].split_once("`: \"").map(|(code, fragment)| {
                (
                    code.trim_start_matches('`').to_owned(),
                    fragment.trim_end_matches('"').to_owned(),
                )
            });
            LossRow {
                outputs,
                example: code(cells[2]),
                warning,
                line: line.to_owned(),
            }
        })
        .collect()
}
