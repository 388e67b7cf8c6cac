//! What the command promises a script and a careful user: it never
//! destroys a file it was not asked to write, never exits 0 on nothing,
//! ignores no option silently, tells formats as its readers read them, and
//! follows pandoc's conventions. Each test runs the exact command in a
//! scratch folder.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::fixture;

/// Runs pubconv in `folder`, with no config file but the folder's.
fn run(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .current_dir(folder)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch folder holding copies of the fixtures named, under their
/// own names.
fn scratch(fixtures: &[&str]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for relative in fixtures {
        let name = Path::new(relative).file_name().unwrap();
        std::fs::copy(fixture(relative), folder.path().join(name)).unwrap();
    }
    folder
}

fn assert_status(output: &Output, status: i32, what: &str) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(status), "{what}: {stderr}");
    stderr
}

// --- outputs are safe ------------------------------------------------------

#[test]
fn out_dir_refuses_two_inputs_of_one_name() {
    let folder = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(folder.path().join(sub)).unwrap();
        std::fs::copy(
            fixture("bibtex/cv.bib"),
            folder.path().join(sub).join("refs.bib"),
        )
        .unwrap();
    }
    let output = run(
        folder.path(),
        &[
            "convert",
            "a/refs.bib",
            "b/refs.bib",
            "--to",
            "bibtex",
            "--out-dir",
            "out",
        ],
    );
    let stderr = assert_status(&output, 2, "same names");
    assert!(
        stderr.contains("a/refs.bib and b/refs.bib would both be written to out/refs.bib"),
        "{stderr}"
    );
    assert!(
        !folder.path().join("out").exists(),
        "nothing made, not even the folder"
    );
}

#[test]
fn no_output_replaces_an_input() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let before = std::fs::read(folder.path().join("cv.bib")).unwrap();
    for args in [
        &["convert", "cv.bib", "--to", "bibtex", "--out-dir", "."][..],
        &["convert", "cv.bib", "--to", "csl-json", "-o", "cv.bib"],
        &["convert", "cv.bib", "--to", "csl-json", "-o", "./cv.bib"],
    ] {
        let output = run(folder.path(), args);
        let stderr = assert_status(&output, 2, &args.join(" "));
        assert!(stderr.contains("would write over the input"), "{stderr}");
        assert_eq!(std::fs::read(folder.path().join("cv.bib")).unwrap(), before);
    }
}

#[cfg(unix)]
#[test]
fn a_replaced_output_keeps_its_mode_and_its_link() {
    use std::os::unix::fs::PermissionsExt;
    let folder = scratch(&["bibtex/cv.bib"]);
    let private = folder.path().join("private.json");
    std::fs::write(&private, "[]").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("private.json", folder.path().join("link.json")).unwrap();
    for target in ["private.json", "link.json"] {
        let output = run(folder.path(), &["convert", "cv.bib", "-o", target]);
        assert_status(&output, 0, target);
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{target}");
    }
    let link = std::fs::symlink_metadata(folder.path().join("link.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert!(std::fs::read_to_string(&private)
        .unwrap()
        .contains("kovacs2021journal"));
}

#[test]
fn a_read_only_output_is_refused() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let locked = folder.path().join("locked.json");
    std::fs::write(&locked, "[]").unwrap();
    let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&locked, permissions).unwrap();
    let output = run(folder.path(), &["convert", "cv.bib", "-o", "locked.json"]);
    let stderr = assert_status(&output, 2, "read-only");
    assert!(
        stderr.contains("cannot write locked.json: the file is read-only"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), "[]");
}

#[test]
fn a_missing_output_directory_is_named_before_anything_is_read() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let output = run(
        folder.path(),
        &["convert", "cv.bib", "-o", "nowhere/cv.json"],
    );
    let stderr = assert_status(&output, 2, "missing directory");
    assert_eq!(
        stderr,
        "pubconv: error: cannot write nowhere/cv.json: the directory nowhere does not exist; create it first\n"
    );
}

#[test]
fn dash_o_dash_is_standard_output() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let output = run(
        folder.path(),
        &["convert", "cv.bib", "--to", "bibtex", "-o", "-"],
    );
    assert_status(&output, 0, "-o -");
    assert!(text(&output.stdout).starts_with("@article{kovacs2021journal,"));
    assert!(!folder.path().join("-").exists());
}

// --- exits say what happened -----------------------------------------------

/// Runs pubconv with its standard output a pipe closed before it writes.
fn run_into_closed_pipe(folder: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .current_dir(folder)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn every_command_takes_a_closed_pipe_as_the_end_of_its_output() {
    let folder = scratch(&["bibtex/cv.bib", "profile/sungjun-lim.txt"]);
    for args in [
        &["convert", "cv.bib", "--to", "csl-json"][..],
        &["convert", "cv.bib", "--to", "bibtex"],
        &[
            "convert",
            "sungjun-lim.txt",
            "--to",
            "markdown",
            "--as-of",
            "2026-11-27",
            "--quiet",
        ],
        &["completions", "bash"],
        &["completions", "zsh"],
        &["man"],
        &["formats"],
        &["--help"],
        &["convert", "--help"],
    ] {
        let output = run_into_closed_pipe(folder.path(), args);
        let stderr = assert_status(&output, 0, &args.join(" "));
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    // check writes to stderr only: a closed stdout changes nothing.
    let output = run_into_closed_pipe(folder.path(), &["check", "cv.bib"]);
    assert_status(&output, 0, "check");
}

#[test]
fn an_empty_result_exits_1_and_says_why() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "convert",
                "cv.bib",
                "--to",
                "markdown",
                "--selected",
                "nosuchkey",
            ],
            "warning: nothing was written: none of the 5 works read matched --selected nosuchkey",
        ),
        (
            &[
                "convert", "cv.bib", "--to", "markdown", "--since", "2025", "--until", "2024",
            ],
            "none of the 5 works read matched --since 2025 --until 2024",
        ),
        (
            &[
                "convert",
                "cv.bib",
                "--to",
                "markdown",
                "--per-file",
                "site",
                "--type",
                "report",
            ],
            "none of the 5 works read matched --type report",
        ),
    ];
    for (args, message) in cases {
        let output = run(folder.path(), args);
        let stderr = assert_status(&output, 1, &args.join(" "));
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    std::fs::write(
        folder.path().join("garbage.txt"),
        "lorem ipsum\ndolor sit amet\n",
    )
    .unwrap();
    let output = run(
        folder.path(),
        &[
            "convert",
            "garbage.txt",
            "--from",
            "profile",
            "--to",
            "csl-json",
            "--quiet",
        ],
    );
    assert_status(&output, 1, "garbage");
    std::fs::write(folder.path().join("empty.bib"), "% nothing yet\n").unwrap();
    for to in ["csl-json", "bibtex"] {
        let output = run(folder.path(), &["convert", "empty.bib", "--to", to]);
        let stderr = assert_status(&output, 1, "empty .bib");
        assert!(
            stderr.contains("nothing was written: the inputs hold no works"),
            "{stderr}"
        );
    }
}

#[test]
fn a_file_that_is_not_text_is_refused_as_such() {
    let folder = tempfile::tempdir().unwrap();
    let pdf =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x02stream\n";
    std::fs::write(folder.path().join("paper.pdf"), pdf).unwrap();
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    binary[0] = b'x';
    std::fs::write(folder.path().join("data.bib"), &binary).unwrap();
    for (args, kind) in [
        (
            &["convert", "paper.pdf", "--to", "bibtex"][..],
            "a PDF file",
        ),
        (
            &[
                "convert",
                "paper.pdf",
                "--from",
                "profile",
                "--to",
                "bibtex",
            ],
            "a PDF file",
        ),
        (&["convert", "data.bib", "--to", "csl-json"], "binary data"),
        (&["check", "data.bib", "--from", "bibtex"], "binary data"),
    ] {
        let output = run(folder.path(), args);
        let stderr = assert_status(&output, 2, &args.join(" "));
        assert!(
            stderr.contains(&format!("error: this input is {kind}")),
            "{stderr}"
        );
        assert!(stderr.lines().count() <= 3, "no line per byte: {stderr}");
        assert!(
            !stderr.contains('\u{fffd}') && !stderr.contains('\0'),
            "{stderr}"
        );
    }
}

// --- no option is ignored silently ---------------------------------------------

#[test]
fn options_that_change_nothing_are_refused() {
    let folder = scratch(&["bibtex/cv.bib"]);
    for (args, message) in [
        (
            &[
                "convert",
                "cv.bib",
                "--to",
                "markdown",
                "--per-file",
                "site",
                "-o",
                "f.md",
            ][..],
            "cannot be used with",
        ),
        (
            &[
                "convert",
                "cv.bib",
                "--to",
                "bibtex",
                "--highlight",
                "S. Lim",
            ],
            "--highlight changes CV output (markdown, latex, html) and BibLaTeX only, and this run writes bibtex",
        ),
        (
            &["convert", "cv.bib", "--to", "csl-json", "--group-by=type"],
            "--group-by changes CV output",
        ),
        (
            &["convert", "cv.bib", "--to", "markdown", "--standalone"],
            "--standalone changes LaTeX and HTML output only, and this run writes markdown",
        ),
        (
            &["convert", "cv.bib", "--to", "latex", "--per-file", "out"],
            "--per-file writes Markdown files only, and this run writes latex",
        ),
        (
            &["convert", "cv.bib", "--to", "csl-json", "--ascii"],
            "--ascii changes BibTeX, BibLaTeX and LaTeX output only",
        ),
        (
            &[
                "convert",
                "cv.bib",
                "--to",
                "bibtex",
                "--bib-format",
                "bibtex",
                "-o",
                "x.bib",
            ],
            "--bib-format chooses the format of a `.bib` output",
        ),
    ] {
        let output = run(folder.path(), args);
        let stderr = assert_status(&output, 2, &args.join(" "));
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!folder.path().join("f.md").exists() && !folder.path().join("x.bib").exists());
    }
    // Defaults from a config file are not typed options: they apply
    // where they can, quietly.
    std::fs::write(
        folder.path().join("pubconv.toml"),
        "highlight = [\"S. Lim\"]\nascii = true\n",
    )
    .unwrap();
    let output = run(folder.path(), &["convert", "cv.bib", "--to", "csl-json"]);
    assert_status(&output, 0, "config defaults");
    // A folder of Markdown pages is a CV run's default: a run that writes
    // another format writes that, and no pages.
    let pages = folder.path().join("pages");
    std::fs::write(folder.path().join("pubconv.toml"), "per-file = \"pages\"\n").unwrap();
    for to in ["csl-json", "bibtex", "html"] {
        let output = run(folder.path(), &["convert", "cv.bib", "--to", to]);
        assert_status(&output, 0, to);
        assert!(!output.stdout.is_empty() && !pages.exists(), "{to}");
    }
    let output = run(folder.path(), &["convert", "cv.bib", "--to", "markdown"]);
    assert_status(&output, 0, "per-file from the config");
    assert!(output.stdout.is_empty() && pages.join("kovacs2021journal.md").is_file());
}

// --- detection matches the readers ---------------------------------------------

#[test]
fn the_extension_decides_unless_the_content_says_otherwise() {
    let folder = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(folder.path().join(name), text).unwrap();
    write("empty.bib", "");
    write(
        "comments.bib",
        "% my references, to be filled in\n@comment{nothing here}\n",
    );
    write(
        "items.json",
        "[{\"title\": \"No id\", \"author\": [{\"family\": \"Doe\", \"given\": \"Jo\"}]}]",
    );
    write("bib-in-txt.txt", "@article{a, title = {T}, year = 2020}\n");
    for (name, status) in [
        ("empty.bib", 1),
        ("comments.bib", 1),
        ("items.json", 0),
        ("bib-in-txt.txt", 0),
    ] {
        let output = run(folder.path(), &["convert", name, "--to", "csl-json"]);
        let stderr = assert_status(&output, status, name);
        assert!(!stderr.contains("cannot tell"), "{name}: {stderr}");
    }
    write(
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\", \"dependencies\": {}}",
    );
    write("notes", "");
    write("readme", "Some notes\nabout nothing in particular.\n");
    for (name, says) in [
        ("package.json", "it is JSON, but not CSL-JSON (an object with the keys `dependencies`, `name`, `version`)"),
        ("notes", "it is empty"),
        ("readme", "it is text in none of the formats pubconv reads"),
    ] {
        let output = run(folder.path(), &["convert", name, "--to", "csl-json"]);
        let stderr = assert_status(&output, 2, name);
        let expected = format!("{name}: error: cannot tell what format this input is in: {says}");
        assert!(stderr.starts_with(&expected), "{stderr}");
        assert!(!stderr.contains("pubconv: error"), "one error, said once: {stderr}");
    }
}

// --- pandoc's conventions --------------------------------------------------------

#[test]
fn short_options_case_and_the_output_extension_name_formats() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let output = run(
        folder.path(),
        &["convert", "-f", "BibTeX", "-t", "CSL-JSON", "cv.bib"],
    );
    assert_status(&output, 0, "-f -t");
    assert!(text(&output.stdout).starts_with("[\n"));
    for (target, extra, starts) in [
        ("out.json", &[][..], "[\n"),
        ("out.bib", &[][..], "@article{kovacs2021journal,\n  author = {Kovács-Müller, Zoë and Lim, Sungjun},\n  title = {A Journal Paper on {BERT} Probing},\n  journaltitle"),
        ("classic.bib", &["--bib-format", "bibtex"][..], "@article{kovacs2021journal,\n  author = {Kovács-Müller, Zoë and Lim, Sungjun},\n  title = {A Journal Paper on {BERT} Probing},\n  journal ="),
        ("out.md", &[][..], "## Publications\n"),
        ("out.tex", &[][..], "\\providecommand\\href[2]{#2}\n\\section*{Publications}\n"),
        ("out.html", &["--standalone"][..], "<!DOCTYPE html>\n"),
    ] {
        let mut args = vec!["convert", "cv.bib", "-o", target];
        args.extend(extra);
        let output = run(folder.path(), &args);
        assert_status(&output, 0, target);
        let written = std::fs::read_to_string(folder.path().join(target)).unwrap();
        assert!(written.starts_with(starts), "{target}: {written}");
    }
    let output = run(folder.path(), &["convert", "cv.bib", "-o", "cv.txt"]);
    let stderr = assert_status(&output, 2, ".txt");
    assert!(
        stderr.contains("cannot tell the output format from `.txt`: give --to"),
        "{stderr}"
    );
    let output = run(folder.path(), &["convert", "cv.bib"]);
    let stderr = assert_status(&output, 2, "no --to");
    assert!(
        stderr.contains("give the output format with --to"),
        "{stderr}"
    );
    let output = run(
        folder.path(),
        &["convert", "cv.bib", "--to", "csl-json", "-o", "odd.bib"],
    );
    let stderr = assert_status(&output, 0, "disagreeing extension");
    assert!(
        stderr.contains(
            "warning: writing csl-json to a `.bib` file, which usually holds biblatex or bibtex"
        ),
        "{stderr}"
    );
}

#[test]
fn formats_lists_what_is_read_and_written() {
    let output = run(Path::new("."), &["formats"]);
    let listed = text(&output.stdout);
    for name in ["bibtex", "csl-json", "profile", "biblatex", "markdown"] {
        assert!(listed.contains(&format!("  {name} ")), "{listed}");
    }
    assert!(listed.contains("Input formats") && listed.contains("Output formats"));
}

// --- the config file and the man page ---------------------------------------------

#[test]
fn the_config_takes_every_long_option_and_never_stops_help() {
    let folder = scratch(&["bibtex/cv.bib"]);
    let config = "out-dir = \"converted\"\nto = \"csl-json\"\nno-merge = true\n";
    std::fs::write(folder.path().join("pubconv.toml"), config).unwrap();
    let output = run(folder.path(), &["convert", "cv.bib"]);
    assert_status(&output, 0, "out-dir from the config");
    assert!(folder.path().join("converted/cv.json").is_file());
    std::fs::write(folder.path().join("pubconv.toml"), "output = \"all.bib\"\n").unwrap();
    let output = run(folder.path(), &["convert", "cv.bib"]);
    assert_status(&output, 0, "output from the config");
    assert!(folder.path().join("all.bib").is_file());

    std::fs::write(folder.path().join("pubconv.toml"), "to = [broken\n").unwrap();
    for args in [
        &["--help"][..],
        &["convert", "--help"],
        &["--version"],
        &["completions", "bash"],
        &["man"],
        &["formats"],
    ] {
        let output = run(folder.path(), args);
        assert_status(&output, 0, &args.join(" "));
    }
    let output = run(folder.path(), &["convert", "cv.bib"]);
    let stderr = assert_status(&output, 2, "broken config");
    assert!(
        stderr.starts_with("pubconv: error: pubconv.toml: "),
        "{stderr}"
    );
}

#[test]
fn the_man_page_covers_every_command() {
    let page = text(&run(Path::new("."), &["man"]).stdout);
    for section in [
        "PUBCONV CONVERT",
        "PUBCONV CHECK",
        "PUBCONV FORMATS",
        "PUBCONV COMPLETIONS",
        "PUBCONV MAN",
    ] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    assert!(page.contains("\\-\\-highlight") && page.contains("\\-\\-message\\-format"));
    let folder = tempfile::tempdir().unwrap();
    let output = run(folder.path(), &["man", "pages"]);
    assert_status(&output, 0, "man DIR");
    for name in ["pubconv.1", "pubconv-convert.1", "pubconv-check.1"] {
        assert!(folder.path().join("pages").join(name).is_file(), "{name}");
    }
}

// --- messages ------------------------------------------------------------------

#[test]
fn the_as_of_hint_only_when_as_of_was_not_given() {
    let folder = scratch(&["profile/sungjun-lim.txt"]);
    let given = run(
        folder.path(),
        &["check", "sungjun-lim.txt", "--as-of", "2026-11-27"],
    );
    let stderr = assert_status(&given, 0, "as-of given");
    assert!(
        stderr.contains("has no year") && !stderr.contains("pass --as-of"),
        "{stderr}"
    );
}

// --- dates CSL-JSON holds as text ----------------------------------------------

#[test]
fn unread_csl_dates_become_a_year_or_a_note_and_are_reported() {
    let folder = tempfile::tempdir().unwrap();
    let items = r#"[
  {"id": "spring", "type": "book", "title": "A", "issued": {"raw": "Spring 2020"}},
  {"id": "century", "type": "book", "title": "B", "issued": {"literal": "13th century"}, "note": "Facsimile"},
  {"id": "words", "type": "book", "title": "C", "issued": {"date-parts": [["twenty"]]}}
]"#;
    std::fs::write(folder.path().join("dates.json"), items).unwrap();
    let output = run(folder.path(), &["convert", "dates.json", "--to", "bibtex"]);
    let stderr = assert_status(&output, 0, "unread dates");
    let bib = text(&output.stdout);
    assert!(!bib.contains("{\""), "no JSON in the BibTeX: {bib}");
    assert!(
        bib.contains("@book{spring,\n  title = {A},\n  year = {2020},"),
        "{bib}"
    );
    assert!(bib.contains("note = {Facsimile; 13th century},"), "{bib}");
    assert!(bib.contains("note = {twenty},"), "{bib}");
    for expected in [
        "warning: the date `issued` of `spring` is `Spring 2020`, which BibTeX cannot read as a date: written as the year 2020",
        "the date `issued` of `century` is `13th century`, which BibTeX cannot read as a date: written in `note`",
        "the date `issued` of `words` is `twenty`",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    let output = run(
        folder.path(),
        &[
            "convert",
            "dates.json",
            "--to",
            "biblatex",
            "--message-format",
            "json",
        ],
    );
    let stderr = assert_status(&output, 0, "biblatex");
    assert!(text(&output.stdout).contains("  date = {2020},"));
    let codes: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(codes.len(), 3, "{stderr}");
    assert!(codes.iter().all(|diagnostic| diagnostic["code"] == "lost"));
    assert_eq!(codes[0]["key"], "spring");
    let strict = run(
        folder.path(),
        &[
            "convert",
            "dates.json",
            "--to",
            "bibtex",
            "--strict",
            "-o",
            "out.bib",
        ],
    );
    assert_status(&strict, 1, "--strict");
    assert!(!folder.path().join("out.bib").exists());
}

#[test]
fn a_csl_item_error_has_one_position_counted_in_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let items = "[\n  {\"id\": \"a\", \"type\": \"book\", \"title\": \"Fine\"},\n  {\n    \"id\": \"b\",\n    \"type\": \"book\",\n    \"author\": \"Jane Doe\"\n  }\n]\n";
    std::fs::write(folder.path().join("items.json"), items).unwrap();
    let output = run(folder.path(), &["check", "items.json"]);
    let stderr = assert_status(&output, 1, "bad item");
    let first = stderr.lines().next().unwrap();
    assert!(first.starts_with("items.json:6:"), "{first}");
    assert!(!first.contains(" at line "), "one position only: {first}");
    assert!(
        stderr.contains("6 |     \"author\": \"Jane Doe\""),
        "{stderr}"
    );
}
