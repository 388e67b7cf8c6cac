//! `--per-file DIR --site …`: each site's pages where the site looks for
//! them, front matter that parses as YAML with the keys the site needs,
//! and the same tree from run to run.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::fixture;
use yaml_rust2::{Yaml, YamlLoader};

/// What a key's value must be.
#[derive(Clone, Copy)]
enum Type {
    String,
    Strings,
}

/// Each site: the page files' pattern (as a check on the relative path),
/// the front matter keys it needs, and the page shown in a snapshot.
struct Layout {
    site: &'static str,
    is_page: fn(&str) -> bool,
    required: &'static [(&'static str, Type)],
    snapshot: &'static str,
}

const LAYOUTS: &[Layout] = &[
    Layout {
        site: "hugo-blox",
        is_page: |path| is_bundle(path, "content/publications/"),
        required: &[
            ("title", Type::String),
            ("authors", Type::Strings),
            ("date", Type::String),
            ("publication_types", Type::Strings),
        ],
        snapshot: "content/publications/kim2022sufficient/index.md",
    },
    Layout {
        site: "hugo-blox-legacy",
        is_page: |path| is_bundle(path, "content/publication/"),
        required: &[
            ("title", Type::String),
            ("authors", Type::Strings),
            ("date", Type::String),
            ("publication_types", Type::Strings),
        ],
        snapshot: "content/publication/lim2025conf/index.md",
    },
    Layout {
        site: "academicpages",
        is_page: |path| {
            let Some(name) = path.strip_prefix("_publications/") else {
                return false;
            };
            let date = name.get(..11).unwrap_or("");
            name.ends_with(".md")
                && date.ends_with('-')
                && date[..10].chars().filter(|c| *c == '-').count() == 2
                && !name.contains('/')
        },
        required: &[
            ("title", Type::String),
            ("collection", Type::String),
            ("permalink", Type::String),
            ("date", Type::String),
            ("venue", Type::String),
            ("citation", Type::String),
        ],
        snapshot: "_publications/2021-01-01-kovacs2021journal.md",
    },
];

/// `<folder><slug>/index.md` or its `cite.bib`, the slug lowercase ASCII.
fn is_bundle(path: &str, folder: &str) -> bool {
    let Some(rest) = path.strip_prefix(folder) else {
        return false;
    };
    let Some((slug, file)) = rest.split_once('/') else {
        return false;
    };
    let slug_ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    slug_ok && (file == "index.md" || file == "cite.bib")
}

/// Every file under `root`, by its path relative to it.
fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy();
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(name.replace('\\', "/"), text);
            }
        }
    }
    files
}

/// Writes the site's pages of the inputs into a fresh folder.
fn run(site: &str, inputs: &[&Path], root: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .arg("convert")
        .args(inputs)
        .args(["--to", "markdown", "--per-file"])
        .arg(root)
        .args(["--site", site])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{site}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn front_matter(path: &str, page: &str) -> Yaml {
    let rest = page
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{path}: no front matter"));
    let (front, _) = rest
        .split_once("\n---\n")
        .unwrap_or_else(|| panic!("{path}: front matter not closed"));
    let mut documents = YamlLoader::load_from_str(front)
        .unwrap_or_else(|error| panic!("{path}: not YAML: {error}\n{front}"));
    documents.remove(0)
}

#[test]
fn every_site_writes_its_schema_the_same_way_twice() {
    let inputs = [fixture("profile/sungjun-lim.txt"), fixture("bibtex/cv.bib")];
    let inputs: Vec<&Path> = inputs.iter().map(|path| path.as_path()).collect();
    for layout in LAYOUTS {
        let scratch = tempfile::tempdir().unwrap();
        let (first, second) = (scratch.path().join("a"), scratch.path().join("b"));
        run(layout.site, &inputs, &first);
        run(layout.site, &inputs, &second);
        let files = tree(&first);
        assert_eq!(files, tree(&second), "{}: two runs differ", layout.site);
        let pages: Vec<(&String, &String)> = files
            .iter()
            .filter(|(path, _)| path.ends_with(".md"))
            .collect();
        assert!(pages.len() > 5, "{}: {:?}", layout.site, files.keys());
        for (path, text) in &files {
            assert!(
                (layout.is_page)(path),
                "{}: {path} is not where the site looks",
                layout.site
            );
            if path.ends_with("cite.bib") {
                assert!(text.starts_with('@'), "{path}: {text}");
                continue;
            }
            let yaml = front_matter(path, text);
            for (key, kind) in layout.required {
                let value = &yaml[*key];
                let ok = match kind {
                    Type::String => value.as_str().is_some_and(|text| !text.is_empty()),
                    Type::Strings => value
                        .as_vec()
                        .is_some_and(|items| items.iter().all(|item| item.as_str().is_some())),
                };
                assert!(
                    ok,
                    "{}: {path}: `{key}` missing or mistyped:\n{text}",
                    layout.site
                );
            }
        }
        let page = files
            .get(layout.snapshot)
            .unwrap_or_else(|| panic!("{}: no {}", layout.site, layout.snapshot));
        insta::assert_snapshot!(layout.site, page);
    }
}

#[test]
fn hugo_blox_pages_name_the_owner_admin_and_carry_cite_bib() {
    let scratch = tempfile::tempdir().unwrap();
    let cv = fixture("bibtex/cv.bib");
    let output = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .arg("convert")
        .arg(&cv)
        .args(["--to", "markdown", "--highlight", "S. Lim", "--per-file"])
        .arg(scratch.path())
        .args(["--site", "hugo-blox"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let files = tree(scratch.path());
    let page = &files["content/publications/lim2024thesis/index.md"];
    let yaml = front_matter("lim2024thesis", page);
    assert_eq!(yaml["authors"][0].as_str(), Some("admin"));
    assert_eq!(yaml["publication_types"][0].as_str(), Some("thesis"));
    let bib = &files["content/publications/lim2024thesis/cite.bib"];
    assert!(bib.starts_with("@thesis{lim2024thesis,"), "{bib}");
    assert!(
        !bib.contains("+an"),
        "no owner annotations for visitors: {bib}"
    );
}

#[test]
fn site_needs_per_file() {
    let output = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .arg("convert")
        .arg(fixture("bibtex/cv.bib"))
        .args(["--to", "markdown", "--site", "academicpages"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--site lays out the files of --per-file"),
        "{stderr}"
    );
}

#[test]
fn hostile_input_still_makes_valid_front_matter() {
    let traps = fixture("bibtex/traps.bib");
    for layout in LAYOUTS {
        let scratch = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_pubconv"))
            .arg("convert")
            .arg(&traps)
            .args(["--to", "markdown", "--per-file"])
            .arg(scratch.path())
            .args(["--site", layout.site])
            .output()
            .unwrap();
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}: {}",
            layout.site,
            String::from_utf8_lossy(&output.stderr)
        );
        for (path, text) in tree(scratch.path()) {
            assert!((layout.is_page)(&path), "{}: {path}", layout.site);
            if path.ends_with(".md") {
                front_matter(&path, &text);
            }
        }
    }
}

/// Each page's citation is the style's, and a numbered style's label,
/// which numbers nothing on a page of one work, is left out.
#[test]
fn academicpages_citations_follow_the_citation_style() {
    let cases = [
        (
            "apa",
            "citation: \"Kovács-Müller, Z., &amp; Lim, S. (2021). A Journal Paper on BERT Probing.",
        ),
        (
            "ieee",
            "citation: \"Z. Kovács-Müller and S. Lim, “A Journal Paper on BERT Probing,”",
        ),
    ];
    for (style, citation) in cases {
        let dir = tempfile::tempdir().unwrap();
        let cv = common::fixture("bibtex/cv.bib");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pubconv"))
            .args([
                "convert",
                cv.to_str().unwrap(),
                "--to",
                "markdown",
                "--per-file",
            ])
            .arg(dir.path())
            .args(["--site", "academicpages", "--style", style])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pages: Vec<String> = std::fs::read_dir(dir.path().join("_publications"))
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
        assert!(
            pages.iter().any(|page| page.contains(citation)),
            "{pages:#?}"
        );
        assert!(
            pages.iter().all(|page| !page.contains("citation: \"[")),
            "{pages:#?}"
        );
    }
}
