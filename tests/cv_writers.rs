//! The LaTeX and HTML CV sections, checked by their consumers: every
//! output fixture as a `--standalone` LaTeX document compiles with
//! pdflatex without an error or a warning, and its PDF's text holds every
//! title; every fixture as HTML parses without an error in an HTML5
//! parser, and chromium renders the bundled dump's page. Reviewed
//! snapshots of the bundled profile dump, and variations: accented names,
//! TeX and HTML specials in titles, math, CRLF input.

mod common;

use std::path::Path;

use pubconv::convert::{convert, Input, Request};
use pubconv::read::ReadOptions;
use pubconv::write::markdown::Numbering;
use pubconv::write::OutputFormat;

fn write(name: &str, bytes: Vec<u8>, to: OutputFormat, options: pubconv::write::Options) -> String {
    let input = Input {
        name: name.to_owned(),
        path: Some(name.into()),
        bytes,
    };
    let request = Request {
        from: None,
        to,
        read: ReadOptions {
            as_of: common::AS_OF.parse().unwrap(),
        },
        write: options,
        merge: true,
        lookup: Default::default(),
    };
    convert(&[input], &request).unwrap().output
}

fn standalone() -> pubconv::write::Options {
    pubconv::write::Options {
        standalone: true,
        ..Default::default()
    }
}

fn fixture_output(path: &Path, to: OutputFormat) -> String {
    let bytes = std::fs::read(path).unwrap();
    write(&path.display().to_string(), bytes, to, standalone())
}

/// Every title of a fixture, as its CSL-JSON has it, without markup.
fn titles(path: &Path) -> Vec<String> {
    let items = common::convert_fixture(path, OutputFormat::CslJson).output;
    let items: serde_json::Value = serde_json::from_str(&items).unwrap();
    items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["title"].as_str().map(str::to_owned))
        .collect()
}

/// Letters and digits only, lowercase, in compatibility form (`ℓ₁` as
/// `l1`): what survives line breaks, hyphenation, ligatures, math and
/// markup alike.
fn letters(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    strip_tags(text)
        .nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// CSL-JSON's `<i>…</i>` markup and the commands of TeX math left out.
fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => while chars.next_if(|c| c.is_ascii_alphabetic()).is_some() {},
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Compiles a LaTeX document; the log, and the PDF's text.
fn pdflatex(tex: &str, label: &str) -> (String, String) {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("cv.tex"), tex).unwrap();
    let (ok, output) = common::latex::run(
        directory.path(),
        "pdflatex",
        &["-interaction=nonstopmode", "-halt-on-error", "cv.tex"],
    );
    let log = std::fs::read_to_string(directory.path().join("cv.log")).unwrap_or(output);
    assert!(ok, "{label}: pdflatex failed:\n{log}\n{tex}");
    let (ok, text) = common::latex::run(directory.path(), "pdftotext", &["cv.pdf", "-"]);
    assert!(ok, "{label}: pdftotext failed: {text}");
    (log, text)
}

/// The log's warnings, font substitutions included: none is expected.
fn warnings(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("Warning"))
        .collect()
}

#[test]
fn latex_of_every_fixture_compiles_and_shows_its_titles() {
    if !common::tool_available("pdflatex") || !common::tool_available("pdftotext") {
        return;
    }
    for path in common::output_fixtures() {
        let label = path.display().to_string();
        let tex = fixture_output(&path, OutputFormat::Latex);
        let (log, text) = pdflatex(&tex, &label);
        assert!(warnings(&log).is_empty(), "{label}: {:?}", warnings(&log));
        let text = letters(&text);
        for title in titles(&path) {
            assert!(
                text.contains(&letters(&title)),
                "{label}: `{title}` is not in the PDF"
            );
        }
    }
}

/// The parse errors an HTML5 parser reports for a page.
fn html_errors(page: &str) -> Vec<String> {
    use html5ever::tendril::TendrilSink;
    use html5ever::tree_builder::TreeBuilderOpts;
    use html5ever::ParseOpts;
    let options = ParseOpts {
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let dom = html5ever::parse_document(markup5ever_rcdom::RcDom::default(), options)
        .from_utf8()
        .read_from(&mut page.as_bytes())
        .unwrap();
    let errors = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    errors
}

#[test]
fn html_of_every_fixture_parses_without_errors() {
    for path in common::output_fixtures() {
        let label = path.display().to_string();
        let page = fixture_output(&path, OutputFormat::Html);
        assert_eq!(html_errors(&page), Vec::<String>::new(), "{label}:\n{page}");
        // The fragment, in the smallest page that holds it.
        let bytes = std::fs::read(&path).unwrap();
        let fragment = write(&label, bytes, OutputFormat::Html, Default::default());
        let page = format!("<!DOCTYPE html>\n<title>t</title>\n{fragment}");
        assert_eq!(html_errors(&page), Vec::<String>::new(), "{label}:\n{page}");
    }
}

/// Width and height from a PNG's header (the IHDR chunk comes first).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let number = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (number(16), number(20))
}

#[test]
fn chromium_renders_the_page() {
    if !common::tool_available("chromium") {
        return;
    }
    let directory = tempfile::tempdir().unwrap();
    let page = fixture_output(
        &common::fixture("profile/sungjun-lim.txt"),
        OutputFormat::Html,
    );
    let html = directory.path().join("cv.html");
    std::fs::write(&html, page).unwrap();
    let png = directory.path().join("cv.png");
    let mut args = vec![
        "--headless".to_owned(),
        "--disable-gpu".to_owned(),
        format!("--screenshot={}", png.display()),
        "--window-size=1000,1400".to_owned(),
        format!("file://{}", html.display()),
    ];
    // Chromium's sandbox refuses to run as root, as CI's containers do.
    if std::env::var("USER").is_ok_and(|user| user == "root") || is_root() {
        args.insert(0, "--no-sandbox".to_owned());
    }
    let output = std::process::Command::new("chromium")
        .args(&args)
        .output()
        .unwrap();
    let png = std::fs::read(&png).unwrap_or_else(|_| {
        panic!(
            "chromium wrote no screenshot: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(png_size(&png), (1000, 1400));
    assert!(png.len() > 10_000, "an empty-looking screenshot");
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"0\n"))
}

#[test]
fn bundled_dump_snapshots() {
    let path = common::fixture("profile/sungjun-lim.txt");
    let bytes = std::fs::read(&path).unwrap();
    for (to, name) in [
        (OutputFormat::Latex, "dump.tex"),
        (OutputFormat::Html, "dump.html"),
    ] {
        let output = write("sungjun-lim.txt", bytes.clone(), to, Default::default());
        insta::assert_snapshot!(name, output);
    }
    let reverse = pubconv::write::Options {
        markdown: pubconv::write::markdown::Options {
            numbering: Numbering::Reverse,
            ..Default::default()
        },
        ..Default::default()
    };
    for (to, name) in [
        (OutputFormat::Latex, "dump-reverse.tex"),
        (OutputFormat::Html, "dump-reverse.html"),
    ] {
        let output = write("sungjun-lim.txt", bytes.clone(), to, reverse.clone());
        insta::assert_snapshot!(name, output);
    }
}

/// A BibTeX file with what each output must escape, accents, math, and
/// CRLF line ends.
const VARIATIONS: &str = "@article{a,\r\n  author = {M{\\\"u}ller, J{\\'o}zsef and Dvo{\\v r}{\\'a}k, Anton{\\'\\i}n},\r\n  title = {Profits \\& Losses: 5\\% of \\$10 for snake\\_case},\r\n  journal = {J. Econ. \\& Stat.},\r\n  year = {2024},\r\n  url = {https://example.org/a_b?x=1&y=50%25#top},\r\n}\r\n@inproceedings{b,\r\n  author = {Pérez, Ana},\r\n  title = {On $p$-adic $\\mathcal{L}$-functions <and> \"quotes\"},\r\n  booktitle = {Proc. ~ of ^ tilde},\r\n  year = {2023},\r\n}\r\n";

#[test]
fn variations_escape_and_compile() {
    let options = pubconv::write::Options {
        markdown: pubconv::write::markdown::Options {
            highlight: vec!["J. Müller".to_owned()],
            ..Default::default()
        },
        standalone: true,
        ..Default::default()
    };
    let ascii = pubconv::write::Options {
        ascii: true,
        ..options.clone()
    };
    let tex = write(
        "v.bib",
        VARIATIONS.into(),
        OutputFormat::Latex,
        options.clone(),
    );
    let tex_ascii = write("v.bib", VARIATIONS.into(), OutputFormat::Latex, ascii);
    let html = write("v.bib", VARIATIONS.into(), OutputFormat::Html, options);
    insta::assert_snapshot!("variations.tex", tex);
    insta::assert_snapshot!("variations-ascii.tex", tex_ascii);
    insta::assert_snapshot!("variations.html", html);
    assert!(tex_ascii.is_ascii(), "{tex_ascii}");
    assert!(!tex.contains('\r') && !html.contains('\r'));
    assert_eq!(html_errors(&html), Vec::<String>::new());
    if !common::tool_available("pdflatex") || !common::tool_available("pdftotext") {
        return;
    }
    for (tex, label) in [(&tex, "utf-8"), (&tex_ascii, "ascii")] {
        let (log, text) = pdflatex(tex, label);
        assert!(warnings(&log).is_empty(), "{label}: {:?}", warnings(&log));
        let text = letters(&text);
        for title in [
            "Profits & Losses: 5% of $10 for snake_case",
            "Müller",
            "Antonín",
        ] {
            assert!(text.contains(&letters(title)), "{label}: {title} missing");
        }
    }
}

#[test]
fn a_citation_style_formats_every_cv_output_with_the_owner_in_bold() {
    let cv = common::fixture("bibtex/cv.bib");
    for (to, bold) in [
        ("markdown", "**Lim, S.**"),
        ("latex", "\\textbf{Lim, S.}"),
        ("html", "<strong>Lim, S.</strong>"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pubconv"))
            .args([
                "convert",
                cv.to_str().unwrap(),
                "--to",
                to,
                "--style",
                "apa",
            ])
            .args(["--highlight", "S. Lim", "--numbering", "none"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(bold), "{to}: {text}");
        assert!(
            text.contains("(2021). A Journal Paper on BERT Probing."),
            "{to}: {text}"
        );
    }
}
