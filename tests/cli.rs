//! The `pubconv` binary as scripts use it: inputs, standard streams, the
//! output file and exit statuses.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::fixture;

fn pubconv(args: &[&str], stdin: Option<&[u8]>) -> Output {
    pubconv_in(Path::new("."), args, stdin)
}

fn pubconv_in(directory: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .current_dir(directory)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn reference() -> String {
    fixture("profile/sungjun-lim.txt").display().to_string()
}

#[test]
fn converts_a_file_to_standard_output() {
    let output = pubconv(
        &[
            "convert",
            &reference(),
            "--to",
            "markdown",
            "--as-of",
            common::AS_OF,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).starts_with("## Publications\n\n### 2026\n\n1. **Sungjun Lim**"));
    assert!(
        text(&output.stderr).contains(":19:7: note: `LGMay 21` has no year: read as 2026-05-21")
    );
}

#[test]
fn reads_standard_input_and_detects_the_format() {
    let dump = std::fs::read(fixture("profile/sungjun-lim.txt")).unwrap();
    for args in [
        &["convert", "--to", "bibtex"][..],
        &["convert", "-", "--to", "bibtex"],
    ] {
        let output = pubconv(args, Some(&dump));
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout).matches("@misc{").count(), 10);
    }
}

#[test]
fn writes_the_output_file_with_dash_o() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("cv.json");
    let target_name = target.display().to_string();
    let output = pubconv(
        &[
            "convert",
            &reference(),
            "--to",
            "csl-json",
            "-o",
            &target_name,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(written.as_array().map(Vec::len), Some(10));
    let leftovers = std::fs::read_dir(directory.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn skipped_entries_give_exit_status_1_with_their_location() {
    let broken = fixture("profile/broken.txt").display().to_string();
    let output = pubconv(&["convert", &broken, "--to", "bibtex"], None);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("broken.txt:8:7: error: February 2023 has only 28 days"),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken.txt:15:1: error: expected a month name"),
        "{stderr}"
    );
    assert!(stderr.contains("2 entries skipped, 1 written"), "{stderr}");
    assert!(text(&output.stdout).contains("A Good Paper"));
}

#[test]
fn nothing_is_written_when_nothing_can_be_done() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("out.bib");
    let target_name = target.display().to_string();
    let missing = directory.path().join("missing.txt").display().to_string();
    let unknown = directory.path().join("notes.dat");
    std::fs::write(&unknown, "just some notes\nnothing bibliographic\n").unwrap();
    let unknown = unknown.display().to_string();
    for (input, complaint) in [
        (&missing, "cannot read"),
        (&unknown, "cannot tell what format"),
    ] {
        let output = pubconv(
            &["convert", input, "--to", "bibtex", "-o", &target_name],
            None,
        );
        assert_eq!(output.status.code(), Some(2), "{input}");
        assert!(
            text(&output.stderr).contains(complaint),
            "{}",
            text(&output.stderr)
        );
        assert!(!target.exists(), "no output file after exit 2");
    }
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["convert", "x.txt", "--to", "docx"][..],
        &[
            "convert",
            "x.txt",
            "--to",
            "bibtex",
            "--as-of",
            "2026-02-30",
        ],
        &["convert", "x.txt", "--to", "bibtex", "--as-of", "2026-02"],
        &["convert", "x.txt"],
    ] {
        let output = pubconv(args, None);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn key_patterns_and_ascii_output() {
    let output = pubconv(
        &[
            "convert",
            &reference(),
            "--to",
            "bibtex",
            "--as-of",
            common::AS_OF,
            "--ascii",
            "--key-pattern",
            "{Auth}:{year}",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let bib = text(&output.stdout);
    assert!(bib.is_ascii());
    assert!(
        bib.contains("@misc{Kim:2022,") && bib.contains("@misc{Lim:2019a,"),
        "{bib}"
    );
    let bad = pubconv(
        &[
            "convert",
            &reference(),
            "--to",
            "bibtex",
            "--key-pattern",
            "{nope}",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("{auth}"));
}

#[test]
fn per_file_writes_one_markdown_file_per_work_with_front_matter() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("publications");
    let target_name = target.display().to_string();
    let cv = fixture("bibtex/cv.bib").display().to_string();
    let args = [
        "convert",
        cv.as_str(),
        "--to",
        "markdown",
        "--per-file",
        target_name.as_str(),
        "--highlight",
        "S. Lim",
    ];
    for _ in 0..2 {
        let output = pubconv(&args, None);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    }
    let mut names: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "doe2020book.md",
            "kim2022sufficient.md",
            "kovacs2021journal.md",
            "lim2024thesis.md",
            "lim2025conf.md"
        ]
    );
    let page = std::fs::read_to_string(target.join("kovacs2021journal.md")).unwrap();
    let (front, body) = page
        .trim_start_matches("---\n")
        .split_once("---\n")
        .unwrap();
    let yaml = &yaml_rust2::YamlLoader::load_from_str(front).unwrap()[0];
    assert_eq!(
        yaml["title"].as_str(),
        Some("A Journal Paper on BERT Probing")
    );
    assert_eq!(yaml["doi"].as_str(), Some("10.5555/jmlr.2021.1"));
    assert_eq!(yaml["authors"][0].as_str(), Some("Zoë Kovács-Müller"));
    assert!(
        body.contains("Zoë Kovács-Müller, **Sungjun Lim**."),
        "{body}"
    );
    let wrong = pubconv(
        &[
            "convert",
            cv.as_str(),
            "--to",
            "bibtex",
            "--per-file",
            target_name.as_str(),
        ],
        None,
    );
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn check_reports_without_writing() {
    let broken = fixture("profile/broken.txt").display().to_string();
    let output = pubconv(&["check", &broken], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("broken.txt:8:7: error:"), "{stderr}");
    assert!(
        stderr.contains(" 8 | LGFeb 30, 2023\n   |       ^"),
        "the offending line and a caret: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour when stderr is not a terminal"
    );
    let clean = pubconv(
        &["check", &fixture("bibtex/cv.bib").display().to_string()],
        None,
    );
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn json_diagnostics_parse_back() {
    let traps = fixture("bibtex/traps.bib").display().to_string();
    let output = pubconv(&["check", &traps, "--message-format", "json"], None);
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: Vec<serde_json::Value> = text(&output.stderr)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(error["line"], 32);
    assert_eq!(error["column"], 19);
    assert_eq!(error["code"], "bibtex::syntax");
    assert_eq!(error["key"], "broken2022");
    assert!(error["file"].as_str().unwrap().ends_with("traps.bib"));
    assert!(diagnostics
        .iter()
        .any(|d| d["severity"] == "warning" && d["key"] == "cycleB"));
}

#[test]
fn strict_turns_warnings_into_failure_and_quiet_keeps_errors_only() {
    let variations = fixture("profile/variations.txt").display().to_string();
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("out.bib").display().to_string();
    let strict = pubconv(
        &[
            "convert",
            &variations,
            "--to",
            "bibtex",
            "--strict",
            "-o",
            &target,
        ],
        None,
    );
    assert_eq!(
        strict.status.code(),
        Some(1),
        "the dump warns about its `CV` field"
    );
    assert!(
        !Path::new(&target).exists(),
        "nothing written under --strict"
    );
    let quiet = pubconv(
        &[
            "convert",
            &variations,
            "--to",
            "bibtex",
            "--quiet",
            "--as-of",
            common::AS_OF,
        ],
        None,
    );
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet.stderr));
}

#[test]
fn out_dir_writes_one_output_per_input() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("converted");
    let target_name = target.display().to_string();
    let inputs = [
        fixture("bibtex/cv.bib"),
        fixture("csl/zotero.json"),
        fixture("profile/broken.txt"),
    ];
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["convert"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(["--to", "csl-json", "--out-dir", &target_name]);
    let output = pubconv(&args, None);
    assert_eq!(output.status.code(), Some(1), "broken.txt skips two papers");
    for (name, items) in [("cv.json", 5), ("zotero.json", 5), ("broken.json", 1)] {
        let written: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(target.join(name)).unwrap()).unwrap();
        assert_eq!(written.len(), items, "{name}");
    }
}

#[test]
fn out_dir_converts_each_input_on_its_own() {
    let directory = tempfile::tempdir().unwrap();
    let folder = directory.path();
    // Accents, CRLF and an entry with an error, beside a file that is no
    // list at all.
    std::fs::write(
        folder.join("théses.bib"),
        "@phdthesis{one,\r\n  author = {Åsa Öberg},\r\n  title = {Über Flüsse},\r\n  school = {Uppsala},\r\n  year = 2020\r\n}\r\n@article{two, title = {Cut\r\n",
    )
    .unwrap();
    std::fs::write(folder.join("picture.bib"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let zotero = fixture("csl/zotero.json").display().to_string();
    for to in ["csl-json", "biblatex", "markdown"] {
        let target = folder.join(to);
        let target_name = target.display().to_string();
        let args = [
            "convert",
            "théses.bib",
            "picture.bib",
            &zotero,
            "--to",
            to,
            "--out-dir",
            &target_name,
        ];
        let output = pubconv_in(folder, &args, None);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{to}: picture.bib is no list"
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains("picture.bib"), "{stderr}");
        assert!(stderr.contains("théses.bib:7"), "{stderr}");
        let extension = match to {
            "csl-json" => "json",
            "biblatex" => "bib",
            _ => "md",
        };
        assert!(!target.join(format!("picture.{extension}")).exists());
        // Each output is what converting its input alone gives.
        for input in ["théses.bib", zotero.as_str()] {
            let stem = Path::new(input).file_stem().unwrap().to_str().unwrap();
            let alone = pubconv_in(folder, &["convert", input, "--to", to], None);
            let written = std::fs::read(target.join(format!("{stem}.{extension}"))).unwrap();
            assert_eq!(text(&written), text(&alone.stdout), "{to}: {input}");
        }
    }
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = pubconv(&["completions", shell], None);
        assert_eq!(output.status.code(), Some(0));
        assert!(text(&output.stdout).contains("pubconv"), "{shell}");
    }
    let man = text(&pubconv(&["man"], None).stdout);
    assert!(man.contains(".TH pubconv 1") && man.contains("convert"));
}

#[test]
fn a_config_file_sets_defaults_the_command_line_overrides() {
    let directory = tempfile::tempdir().unwrap();
    let config =
        "to = \"markdown\"\nhighlight = [\"S. Lim\"]\ngroup-by = \"type\"\nmax-authors = 1\n";
    std::fs::write(directory.path().join("pubconv.toml"), config).unwrap();
    let cv = fixture("bibtex/cv.bib").display().to_string();
    let output = pubconv_in(directory.path(), &["convert", &cv], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let markdown = text(&output.stdout);
    assert!(
        markdown.contains("### Journal Articles") && markdown.contains("**Sungjun Lim**, et al."),
        "{markdown}"
    );
    let overridden =
        text(&pubconv_in(directory.path(), &["convert", &cv, "--to", "bibtex"], None).stdout);
    assert!(
        overridden.starts_with("@article{kovacs2021journal,"),
        "{overridden}"
    );
    std::fs::write(
        directory.path().join("other.toml"),
        "to = \"bibtex\"\ncolour = true\n",
    )
    .unwrap();
    let bad = pubconv_in(
        directory.path(),
        &["convert", &cv, "--config", "other.toml"],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("unknown key(s) colour"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn a_failed_write_leaves_no_temporary_file() {
    // An output path that is a directory: the temporary file is written,
    // the rename fails, and the temporary file must go.
    let directory = tempfile::tempdir().unwrap();
    let taken = directory.path().join("taken.bib");
    std::fs::create_dir(&taken).unwrap();
    let target = taken.display().to_string();
    let output = pubconv(
        &["convert", &reference(), "--to", "bibtex", "-o", &target],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let names: Vec<_> = std::fs::read_dir(directory.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["taken.bib"], "no temporary file is left");
}

#[test]
fn a_device_as_output_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let output = pubconv(
        &["convert", &reference(), "--to", "bibtex", "-o", "/dev/null"],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let kind = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is still the null device");
}

#[test]
fn a_write_into_a_read_only_directory_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().unwrap();
    let locked = directory.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes anywhere; the check means something only for other users.
    let probe = locked.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        common::skipped("running as root, to whom a read-only directory is writable");
        return;
    }
    let target = locked.join("out.bib").display().to_string();
    let output = pubconv(
        &["convert", &reference(), "--to", "bibtex", "-o", &target],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("cannot write"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_dir(&locked).unwrap().count(),
        0,
        "no partial or temporary file"
    );
}

#[test]
fn help_shows_an_example_per_output_format() {
    for args in [&["--help"][..], &["convert", "--help"]] {
        let help = text(&pubconv(args, None).stdout);
        for format in ["bibtex", "biblatex", "csl-json", "markdown"] {
            assert!(
                help.contains(&format!("--to {format}")),
                "{args:?} lacks {format}:\n{help}"
            );
        }
        assert!(help.contains("Exit status"));
    }
}

/// A single `.bib` file to CSL-JSON is streamed: the same contract as any
/// conversion (located errors, exit status, atomic output, --strict).
#[test]
fn a_streamed_bibtex_file_reports_skips_and_writes_atomically() {
    let directory = tempfile::tempdir().unwrap();
    let bib = directory.path().join("refs.bib");
    std::fs::write(
        &bib,
        "@article{good, title = {Good}, year = 2020, journal = undefinedmacro}\n\
         @misc{broken, title = {Broken} year = 2021}\n\
         @book{later, title = {Later}, crossref = {good}}\n",
    )
    .unwrap();
    let bib = bib.display().to_string();
    let target = directory.path().join("refs.json");
    let target_name = target.display().to_string();
    let output = pubconv(
        &["convert", &bib, "--to", "csl-json", "-o", &target_name],
        None,
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refs.bib:2:31: error: expected `,` or `}`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("refs.bib:1:55: warning: `undefinedmacro`"),
        "{stderr}"
    );
    assert!(stderr.contains("1 entry skipped, 2 written"), "{stderr}");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(written.as_array().map(Vec::len), Some(2));
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 2);

    let to_stdout = pubconv(&["convert", &bib, "--to", "csl-json", "--quiet"], None);
    assert_eq!(to_stdout.status.code(), Some(1));
    assert_eq!(to_stdout.stdout, std::fs::read(&target).unwrap());

    std::fs::remove_file(&target).unwrap();
    let strict = pubconv(
        &[
            "convert",
            &bib,
            "--to",
            "csl-json",
            "--strict",
            "-o",
            &target_name,
        ],
        None,
    );
    assert_eq!(strict.status.code(), Some(1));
    assert!(text(&strict.stderr).contains("--strict: nothing written"));
    assert_eq!(
        std::fs::read_dir(directory.path()).unwrap().count(),
        1,
        "no output and no temporary file under --strict"
    );
}

/// A numbered style's label gives way to the CV's own number in every CV
/// output, whichever way it counts; with `--numbering none` it leads.
#[test]
fn a_numbered_styles_labels_give_way_to_the_cvs_numbers() {
    let bib = "@article{a,\r\n  author = {Zoë Kovács},\r\n  title = {Première},\r\n  \
               journal = {J},\r\n  year = 2021\r\n}\r\n@book{b,\r\n  author = {Ōno, Hiroshi},\r\n  \
               title = {Second},\r\n  publisher = {P},\r\n  year = 2020\r\n}\r\n";
    for numbering in ["forward", "reverse", "none"] {
        for to in ["markdown", "latex", "html"] {
            let args = [
                "convert",
                "--from",
                "bibtex",
                "--to",
                to,
                "--style",
                "ieee",
                "--numbering",
                numbering,
            ];
            let output = pubconv(&args, Some(bib.as_bytes()));
            assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
            let out = text(&output.stdout);
            for author in ["Z. Kovács", "H. Ōno"] {
                let line = out.lines().find(|line| line.contains(author)).unwrap();
                let before = &line[..line.find(author).unwrap()];
                let numbers = before
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|run| !run.is_empty())
                    .count();
                match numbering {
                    "none" => assert_eq!(numbers, 1, "{to}: {line}"),
                    _ => assert!(numbers <= 1, "{to} {numbering}: {line}"),
                }
            }
        }
    }
}

/// A style that cannot be loaded or set ends the run before anything is
/// read, saying what exists; `--locale` needs `--style`.
#[test]
fn a_style_that_cannot_load_is_a_usage_error() {
    let bib = "tests/../fixtures/bibtex/cv.bib";
    let cases: [(&[&str], &str); 4] = [
        (&["--style", "apaa"], "unknown style `apaa`"),
        (
            &["--style", "no/such.csl"],
            "no/such.csl: cannot read the style",
        ),
        (
            &["--style", "apa", "--locale", "xx-YY"],
            "unknown locale `xx-YY`",
        ),
        (&["--locale", "de-DE"], "--style"),
    ];
    for (options, message) in cases {
        let mut args = vec!["convert", bib, "--to", "markdown"];
        args.extend_from_slice(options);
        let output = pubconv(&args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    // A style whose macros call themselves or whose elements nest
    // thousands deep (hayagriva would overflow its stack), or that has no
    // bibliography, is refused as it loads.
    let folder = tempfile::tempdir().unwrap();
    let style = |macros: &str, bibliography: &str| {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Boucle</title><id>b</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  {macros}
  <citation><layout><text variable="title"/></layout></citation>
  {bibliography}
</style>"#
        )
    };
    let bibliography = r#"<bibliography><layout><text macro="auteur"/></layout></bibliography>"#;
    let files = [
        (
            "boucle.csl",
            style(
                r#"<macro name="auteur"><text macro="éditeur"/></macro><macro name="éditeur"><text macro="auteur"/></macro>"#,
                bibliography,
            ),
            "the macro `auteur` calls itself (auteur → éditeur → auteur)",
        ),
        (
            "citations-only.csl",
            style(
                r#"<macro name="auteur"><text variable="title"/></macro>"#,
                "",
            ),
            "the style has no <bibliography>",
        ),
        (
            "nested.csl",
            style(
                r#"<macro name="auteur"><text variable="title"/></macro>"#,
                &format!(
                    "<bibliography><layout>{}<text macro=\"auteur\"/>{}</layout></bibliography>",
                    "<group>".repeat(50_000),
                    "</group>".repeat(50_000)
                ),
            ),
            "line 6: elements nested more than 100 deep",
        ),
    ];
    for (name, xml, message) in files {
        let path = folder.path().join(name);
        std::fs::write(&path, xml).unwrap();
        let path = path.display().to_string();
        let args = ["convert", bib, "--to", "markdown", "--style", &path];
        let output = pubconv(&args, None);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(&format!("{path}: {message}")), "{stderr}");
        assert!(output.stdout.is_empty(), "{name}");
    }
    // A style loads, and a style with a CSL-JSON output is an error as
    // every Markdown option is.
    let ok = pubconv(
        &["convert", bib, "--to", "markdown", "--style", "ieee"],
        None,
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let json = pubconv(
        &["convert", bib, "--to", "csl-json", "--style", "ieee"],
        None,
    );
    assert_eq!(json.status.code(), Some(2));
}
