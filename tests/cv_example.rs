//! BibLaTeX for LaTeX CVs: the owner's names annotated `highlight`, each
//! work's CV group among its keywords, and `docs/cv-example` (its
//! `publications.bib` up to date, both documents compiled with pdflatex and
//! biber, the owner in bold in the `.bbl` and the PDF). Also: no `.bib`
//! output names a `crossref` parent it does not hold.

mod common;

use std::path::Path;
use std::process::Command;

use common::latex::{self, Processor};
use pubconv::convert::{convert, Input, Request};
use pubconv::read::ReadOptions;
use pubconv::write::markdown::{self, GroupBy, Kind};
use pubconv::write::OutputFormat;

const EXAMPLE: &str = "docs/cv-example";

fn write(name: &str, bytes: &[u8], to: OutputFormat, highlight: &[&str]) -> String {
    let input = Input {
        name: name.to_owned(),
        path: Some(name.into()),
        bytes: bytes.to_vec(),
    };
    let request = Request {
        from: None,
        to,
        read: ReadOptions {
            as_of: common::AS_OF.parse().unwrap(),
        },
        write: pubconv::write::Options {
            markdown: markdown::Options {
                highlight: highlight.iter().map(|name| name.to_string()).collect(),
                ..Default::default()
            },
            ..Default::default()
        },
        merge: true,
        lookup: Default::default(),
    };
    convert(&[input], &request).unwrap().output
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(common::fixture(name)).unwrap()
}

/// The value of `field` in the entry `key` of a written `.bib`.
fn field<'b>(bib: &'b str, key: &str, field: &str) -> Option<&'b str> {
    let entry = bib.split("\n@").find(|entry| {
        entry
            .split_once('{')
            .is_some_and(|(_, rest)| rest.starts_with(&format!("{key},")))
    })?;
    let prefix = format!("  {field} = {{");
    entry
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .map(|value| value.trim_end_matches("},"))
}

#[test]
fn owner_is_annotated_in_each_list_and_works_are_filed_by_group() {
    let bib = br"@incollection{c,
  author = {Lim, Sungjun and Kim, Heedong and Lim, S.},
  editor = {Park, Subeen and Lim, Sungjun},
  title = {A Chapter},
  booktitle = {A Book},
  year = {2024},
  keywords = {learning, Chapter},
}
@article{a,
  author = {Kim, Heedong and Lim, Sungjun},
  author+an = {1=corresponding; 2=equal},
  title = {An Article},
  journal = {J},
  year = {2023},
  keywords = {learning},
}
@book{b,
  author = {Kim, Heedong},
  title = {A Book},
  publisher = {P},
  year = {2022},
}
";
    let out = write("cv.bib", bib, OutputFormat::Biblatex, &["S. Lim"]);
    assert_eq!(
        field(&out, "c", "author+an"),
        Some("1=highlight;3=highlight")
    );
    assert_eq!(field(&out, "c", "editor+an"), Some("2=highlight"));
    // The source's annotations are kept, the owner's added to them.
    assert_eq!(
        field(&out, "a", "author+an"),
        Some("1=corresponding;2=equal,highlight")
    );
    assert_eq!(out.matches("author+an").count(), 2, "{out}");
    // The group is added once, after the work's own keywords.
    assert_eq!(field(&out, "c", "keywords"), Some("learning, Chapter"));
    assert_eq!(field(&out, "a", "keywords"), Some("learning, article"));
    assert_eq!(field(&out, "b", "keywords"), Some("book"));
    assert_eq!(field(&out, "b", "author+an"), None);
    // The annotation follows its list.
    let a = out.find("@article{a,").unwrap();
    assert!(out[a..]
        .starts_with("@article{a,\n  author = {Kim, Heedong and Lim, Sungjun},\n  author+an = {"));

    // Read back and written again, nothing doubles.
    let again = write(
        "again.bib",
        out.as_bytes(),
        OutputFormat::Biblatex,
        &["S. Lim"],
    );
    assert_eq!(again, out);

    // Classic bibtex reads neither: its output is the works as they are.
    let classic = write("cv.bib", bib, OutputFormat::Bibtex, &["S. Lim"]);
    assert_eq!(classic.matches("+an").count(), 1, "{classic}");
    assert_eq!(field(&classic, "a", "keywords"), Some("learning"));
    assert_eq!(field(&classic, "b", "keywords"), None);

    // No owner, no CV fields.
    let plain = write("cv.bib", bib, OutputFormat::Biblatex, &[]);
    assert_eq!(field(&plain, "c", "author+an"), None);
    assert_eq!(field(&plain, "b", "keywords"), None);
}

/// The group keywords are the kinds Markdown's `--type` keeps: as many
/// works carry each as Markdown lists under it.
#[test]
fn group_keywords_are_markdown_kinds() {
    let bytes = fixture("bibtex/cv.bib");
    let bib = write("cv.bib", &bytes, OutputFormat::Biblatex, &["S. Lim"]);
    for name in Kind::NAMES {
        let kind: Kind = name.parse().unwrap();
        let input = Input {
            name: "cv.bib".to_owned(),
            path: Some("cv.bib".into()),
            bytes: bytes.clone(),
        };
        let request = Request {
            from: None,
            to: OutputFormat::Markdown,
            read: ReadOptions {
                as_of: common::AS_OF.parse().unwrap(),
            },
            write: pubconv::write::Options {
                markdown: markdown::Options {
                    types: vec![kind],
                    group_by: GroupBy::None,
                    ..Default::default()
                },
                ..Default::default()
            },
            merge: true,
            lookup: Default::default(),
        };
        let listed = convert(&[input], &request)
            .unwrap()
            .output
            .lines()
            .filter(|line| {
                line.split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
            })
            .count();
        let filed = bib
            .lines()
            .filter_map(|line| line.strip_prefix("  keywords = {"))
            .filter(|value| {
                value
                    .trim_end_matches("},")
                    .split(',')
                    .any(|keyword| keyword.trim() == *name)
            })
            .count();
        assert_eq!(filed, listed, "kind `{name}`:\n{bib}");
    }
}

#[test]
fn no_output_names_a_missing_crossref_parent() {
    let bib = br"@inproceedings{child,
  author = {Lim, Sungjun},
  title = {A Paper},
  booktitle = {Proceedings},
  year = {2024},
  crossref = {gone},
}
@inproceedings{kid,
  author = {Kim, Heedong},
  title = {Another Paper},
  crossref = {parent},
}
@proceedings{parent,
  title = {The Proceedings},
  booktitle = {The Proceedings},
  year = {2023},
}
";
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let out = write("crossref.bib", bib, to, &[]);
        let keys: Vec<&str> = out
            .lines()
            .filter_map(|line| line.strip_prefix('@')?.split_once('{'))
            .map(|(_, key)| key.trim_end_matches(','))
            .collect();
        for line in out.lines() {
            if let Some(parent) = line.trim().strip_prefix("crossref = {") {
                let parent = parent.trim_end_matches("},");
                assert!(keys.contains(&parent), "dangling crossref in:\n{out}");
            }
        }
        // The child of a missing parent is kept, from its own fields; the
        // child of a present one has the parent's.
        assert_eq!(field(&out, "child", "title"), Some("A Paper"), "{out}");
        assert_eq!(
            field(&out, "kid", "booktitle"),
            Some("The Proceedings"),
            "{out}"
        );
    }
}

#[test]
fn example_bib_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .args([
            "convert",
            "fixtures/profile/sungjun-lim.txt",
            "--to",
            "biblatex",
            "--as-of",
            "2026-11-27",
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success());
    let written = std::fs::read_to_string(root.join(EXAMPLE).join("publications.bib")).unwrap();
    assert!(
        String::from_utf8_lossy(&output.stdout) == written,
        "{EXAMPLE}/publications.bib is out of date: run `pubconv convert fixtures/profile/sungjun-lim.txt --to biblatex --as-of 2026-11-27 -o {EXAMPLE}/publications.bib`"
    );
}

#[test]
fn article_example_sets_the_owner_in_bold() {
    compile_example("article");
}

#[test]
fn moderncv_example_sets_the_owner_in_bold() {
    compile_example("moderncv");
}

/// Whether TeX finds `file` (a class or package), else says the test skips.
fn tex_has(file: &str) -> bool {
    let found = Command::new("kpsewhich")
        .arg(file)
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        if std::env::var_os("PUBCONV_REQUIRE_TOOLS").is_some_and(|v| v != "0") {
            panic!("TeX has no {file}, and PUBCONV_REQUIRE_TOOLS is set");
        }
        common::skipped(&format!(
            "TeX has no {file} (scripts/install-test-tools installs it)"
        ));
    }
    found
}

fn compile_example(document: &str) {
    let tools = latex::tools_for(Processor::Biber)
        && common::tool_available("pdffonts")
        && common::tool_available("pdftotext");
    // The article class comes with every TeX Live; moderncv with
    // Debian's texlive-latex-extra.
    let class = format!("{document}.cls");
    if !tools || !tex_has(&class) {
        return;
    }
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let directory = tempfile::tempdir().unwrap();
    let dir = directory.path();
    for file in [format!("{document}.tex"), "publications.bib".to_owned()] {
        std::fs::copy(example.join(&file), dir.join(&file)).unwrap();
    }
    let latex = ["-interaction=nonstopmode", "-halt-on-error", document];
    let steps: [(&str, &[&str]); 4] = [
        ("pdflatex", &latex),
        ("biber", &[document]),
        ("pdflatex", &latex),
        ("pdflatex", &latex),
    ];
    for (program, args) in steps {
        let (ok, log) = latex::run(dir, program, args);
        assert!(ok, "{document}: {program} failed:\n{log}");
    }
    let blg = std::fs::read_to_string(dir.join(format!("{document}.blg"))).unwrap();
    latex::assert_clean_log(&blg, Processor::Biber, document);

    // The owner is first of lim2026geometry's authors: biber passes the
    // annotation to biblatex.
    let bbl = std::fs::read_to_string(dir.join(format!("{document}.bbl"))).unwrap();
    let entry = bbl
        .split("\\entry{")
        .find(|e| e.starts_with("lim2026geometry}"))
        .unwrap();
    assert!(
        entry.contains("\\annotation{item}{author}{default}{1}{}{0}{highlight}"),
        "{document}: no annotation in the .bbl:\n{entry}"
    );
    let annotated = bbl.matches("{highlight}").count();
    let bib = std::fs::read_to_string(dir.join("publications.bib")).unwrap();
    assert_eq!(annotated, bib.matches("=highlight").count(), "{bbl}");

    // Computer Modern's bold at text size is the owner's name only: the
    // headings are larger (CMBX12) or not bold.
    let pdf = format!("{document}.pdf");
    let (ok, fonts) = latex::run(dir, "pdffonts", &[&pdf]);
    assert!(
        ok && fonts.contains("CMBX10"),
        "{document}: no bold text font:\n{fonts}"
    );
    let (ok, text) = latex::run(dir, "pdftotext", &[&pdf, "-"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("Sungjun Lim, Heedong Kim"),
        "{document}:\n{text}"
    );
}
