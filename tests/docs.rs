//! The documentation is held to the program: every `sh` example in the
//! README and the guide is run, the output shown under an example must be
//! what it prints, the set-up commands are the ones CI runs, the options
//! the guide documents are the ones `--help` lists, and no page is longer
//! or staler than it should be.
//!
//! A fenced block's info string says what it is:
//! - `sh`: an example, run with `sh -e` in a scratch folder holding a copy
//!   of `fixtures/`, with this build's `pubconv` first on `PATH`; the blocks
//!   of one page run in order, in one folder, so a later one may use what
//!   an earlier one wrote. It must exit 0 (an example of a failure says
//!   `|| echo "exit status $?"`).
//! - `sh setup`: installs or tests (`apt-get`, `cargo install`, `cargo
//!   test`), so it is not run here; each of its commands must be one that
//!   `.ci/run` runs on every build.
//! - any language followed by `output`: text that the `sh` block before it
//!   prints (standard output and error together), as a whole run of lines.

use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fenced code block: the line its fence is on, its info string, its text.
struct Block {
    line: usize,
    info: String,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Block {
                    line: markdown[..range.start].matches('\n').count() + 1,
                    info: info.to_string(),
                    text: String::new(),
                });
            }
            Event::Text(text) => {
                if let Some(block) = &mut open {
                    block.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => found.extend(open.take()),
            _ => {}
        }
    }
    found
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repository().join(relative))
        .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"))
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `PATH` with this build's `pubconv` first, as `cargo install` would put it.
fn path_with_pubconv() -> std::ffi::OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_pubconv"));
    let mut folders = vec![binary.parent().unwrap().to_path_buf()];
    folders.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(folders).unwrap()
}

/// A block's commands: lines continued by `\` joined, comments left out.
fn commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        if current.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                commands.push(std::mem::take(&mut current));
            }
        }
    }
    commands
}

/// Whether `command`'s words appear, in order, among `line`'s.
fn is_part_of(command: &str, line: &str) -> bool {
    let mut words = line.split_whitespace();
    command
        .split_whitespace()
        .all(|word| words.any(|other| other == word))
}

/// Runs the page's examples; returns every mismatch, one line each.
fn check_examples(page: &str) -> Vec<String> {
    let markdown = read(page);
    let ci = read(".ci/run");
    let scratch = tempfile::tempdir().unwrap();
    copy_folder(
        &repository().join("fixtures"),
        &scratch.path().join("fixtures"),
    );
    let mut problems = Vec::new();
    let mut last_output: Option<String> = None;
    let mut examples = 0;
    for block in blocks(&markdown) {
        let words: Vec<&str> = block.info.split_whitespace().collect();
        let place = format!("{page}:{}", block.line);
        match words[..] {
            ["sh"] => {
                examples += 1;
                let output = Command::new("sh")
                    .arg("-ec")
                    .arg(format!("exec 2>&1\n{}", block.text))
                    .current_dir(scratch.path())
                    .env("PATH", path_with_pubconv())
                    .env("NO_COLOR", "1")
                    .env("LC_ALL", "C")
                    .stdin(std::process::Stdio::null())
                    .output()
                    .unwrap();
                let printed = String::from_utf8_lossy(&output.stdout).into_owned();
                if !output.status.success() {
                    problems.push(format!(
                        "{place}: the example failed ({}):\n{}\n--- it printed:\n{printed}",
                        output.status,
                        block.text.trim_end()
                    ));
                }
                last_output = Some(printed);
            }
            ["sh", "setup"] => {
                last_output = None;
                for command in commands(&block.text) {
                    let command = command.strip_prefix("sudo ").unwrap_or(&command);
                    if !ci.lines().any(|line| is_part_of(command, line)) {
                        problems.push(format!(
                            "{place}: `{command}` is not run by .ci/run, so nothing checks it"
                        ));
                    }
                }
            }
            [_, "output"] => {
                let Some(printed) = last_output.take() else {
                    problems.push(format!("{place}: an output block follows no `sh` example"));
                    continue;
                };
                let trimmed = |text: &str| -> String {
                    text.lines()
                        .map(str::trim_end)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let (expected, printed) = (trimmed(&block.text), trimmed(&printed));
                if !printed.contains(&expected) {
                    problems.push(format!(
                        "{place}: the example before does not print this:\n{expected}\n--- it printed:\n{printed}"
                    ));
                }
            }
            ["sh", ..] => problems.push(format!("{place}: unknown block kind `{}`", block.info)),
            _ => last_output = None,
        }
    }
    assert!(examples > 0, "{page} has no `sh` example");
    problems
}

#[test]
fn readme_examples_run_and_print_what_it_shows() {
    let problems = check_examples("README.md");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn guide_examples_run_and_print_what_it_shows() {
    let problems = check_examples("docs/guide.md");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_example_runner_catches_failures_and_wrong_output() {
    assert_eq!(
        commands("# a comment\napt-get install \\\n  a b\n\ncargo test  # all of them\n"),
        ["apt-get install a b", "cargo test"]
    );
    assert!(is_part_of(
        "cargo install --path .",
        "retry_probe cargo install --locked --path . --root x"
    ));
    assert!(!is_part_of(
        "cargo install --path .",
        "cargo install --root x"
    ));
    let found = blocks("text\n\n```sh\npubconv --version\n```\n\n```text output\nx\n```\n");
    let lines: Vec<usize> = found.iter().map(|block| block.line).collect();
    assert_eq!(lines, [3, 7]);
    assert_eq!(found[1].info, "text output");
}

/// The README is the first screen, not the manual.
#[test]
fn readme_is_short_and_links_the_docs() {
    let readme = read("README.md");
    assert!(
        readme.len() < 10_000,
        "README.md is {} bytes; move detail to docs/",
        readme.len()
    );
    for page in ["guide", "formats", "performance", "architecture"] {
        let link = format!("docs/{page}.md");
        assert!(readme.contains(&link), "README.md does not link {link}");
    }
}

fn pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_owned(), "fuzz/README.md".to_owned()];
    let mut docs: Vec<String> = std::fs::read_dir(repository().join("docs"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// Relative links point at files that exist; the pages speak of the
/// program, not of how it was made.
#[test]
fn pages_link_to_what_exists_and_tell_no_history() {
    let mut problems = Vec::new();
    for page in pages() {
        let markdown = read(&page);
        let folder = Path::new(&page).parent().unwrap();
        for (event, range) in Parser::new(&markdown).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let target = dest_url.split('#').next().unwrap_or_default();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            if !repository().join(folder).join(target).exists() {
                let line = markdown[..range.start].matches('\n').count() + 1;
                problems.push(format!("{page}:{line}: link to missing {target}"));
            }
        }
        for (number, line) in markdown.lines().enumerate() {
            let lower = line.to_lowercase();
            let issue_number = lower.match_indices("issue").any(|(at, _)| {
                lower[at + 5..]
                    .trim_start_matches([' ', '#'])
                    .starts_with(|c: char| c.is_ascii_digit())
            });
            if issue_number || lower.contains("session") {
                problems.push(format!("{page}:{}: {line}", number + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The long options `pubconv [COMMAND] --help` lists (but --help and
/// --version, which every command has).
fn help_options(command: &[&str]) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_pubconv"))
        .args(command)
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut options: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim_start)
        .filter_map(|line| {
            let line = line
                .strip_prefix('-')
                .filter(|rest| !rest.starts_with('-'))
                .map_or(line, |rest| {
                    rest.split_once(", ").map_or(rest, |(_, long)| long)
                });
            let name = line.strip_prefix("--")?;
            let name: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (name != "help" && name != "version").then(|| format!("--{name}"))
        })
        .collect();
    options.sort();
    options.dedup();
    options
}

/// The long options in the first column of the tables in the guide's
/// section `heading` (a `##` heading; its `###` subsections included).
fn guide_options(guide: &str, heading: &str) -> Vec<String> {
    let mut options = Vec::new();
    let (mut in_heading, mut title) = (false, String::new());
    let (mut in_section, mut seen_section) = (false, false);
    let (mut cell, mut first_cell) = (0, String::new());
    for event in Parser::new_ext(guide, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                in_heading = true;
                title.clear();
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                in_heading = false;
                in_section = title == heading;
                seen_section |= in_section;
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => cell = 0,
            Event::Start(Tag::TableCell) => {
                cell += 1;
                first_cell.clear();
            }
            Event::End(TagEnd::TableCell) if cell == 1 && in_section => {
                options.extend(long_options(&first_cell));
            }
            Event::Text(text) | Event::Code(text) => {
                if in_heading {
                    title.push_str(&text);
                } else if cell == 1 {
                    first_cell.push_str(&text);
                }
            }
            _ => {}
        }
    }
    assert!(seen_section, "docs/guide.md has no section `## {heading}`");
    options.sort();
    options.dedup();
    options
}

/// The `--name`s in a text, but --help and --version.
fn long_options(text: &str) -> Vec<String> {
    text.match_indices("--")
        .filter_map(|(at, _)| {
            let name: String = text[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let real = name.starts_with(|c: char| c.is_ascii_alphanumeric());
            (real && name != "help" && name != "version").then(|| format!("--{name}"))
        })
        .collect()
}

#[test]
fn the_guide_documents_every_option_help_lists() {
    let guide = read("docs/guide.md");
    for (command, heading) in [
        (&[][..], "Options of every command"),
        (&["convert"][..], "pubconv convert"),
        (&["check"][..], "pubconv check"),
    ] {
        let mut listed = help_options(command);
        if !command.is_empty() {
            // The global options, documented once.
            listed.retain(|option| !help_options(&[]).contains(option));
        }
        assert_eq!(
            guide_options(&guide, heading),
            listed,
            "docs/guide.md `## {heading}` against `pubconv {} --help`",
            command.join(" ")
        );
    }
    // `lookup` takes convert's options, and its section says so.
    for subcommand in [
        "convert",
        "lookup",
        "check",
        "formats",
        "completions",
        "man",
    ] {
        assert!(
            guide.contains(&format!("\n## pubconv {subcommand}")),
            "docs/guide.md has no section for `pubconv {subcommand}`"
        );
    }
}
