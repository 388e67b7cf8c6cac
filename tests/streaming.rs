//! Streaming gives what reading whole gives: the same blocks from windows
//! of any size, and the same output, counts and diagnostics for every
//! `.bib` file in the fixtures and the shared corpus, streamed from the
//! file or from its text in memory.

use std::path::Path;

mod common;

// The fuzz targets' checks; the window check and the tiled one are used
// here.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use pubconv::convert::{convert, convert_streaming, convert_streaming_text, Input, Request};
use pubconv::diagnostic::Diagnostic;
use pubconv::read::{InputFormat, ReadOptions};
use pubconv::write::{Options, OutputFormat};

const TRICKY: &str = r#"
@String{acm = "ACM"}
@comment{ jabref-meta: {nested {braces}}
@misc{ghost, title = {Ghost}}
}
@article(paren, title = "A \"quoted\" {brace}", journal = acm # " Press",)
@misc{broken, title = {never closed
@misc{after, note = {an @ sign
@someone said}, year = 2020}
%@misc{commented, title = {x}}
@misc{
@proceedings{nokey, title = {The entry above has no key}}
@comment{never closed either
@book{last, title = {Last}, crossref = {after}}
  @inbook{indented, crossref = {last}}
"#;

#[test]
fn windows_of_any_size_find_the_blocks_a_whole_parse_finds() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bibtex");
    let mut texts: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|file| std::fs::read_to_string(file.unwrap().path()).unwrap())
        .collect();
    texts.push(TRICKY.to_owned());
    texts.push(TRICKY.replace('\n', "\r\n"));
    // On one line, and with carriage returns alone ending lines: windows
    // are cut within a line.
    let lines: Vec<String> = texts
        .iter()
        .flat_map(|text| [text.replace('\n', " "), text.replace('\n', "\r")])
        .collect();
    texts.extend(lines);
    for text in &texts {
        for chunk in [1, 2, 3, 7, 16, 61, 100, 1000, 1 << 20] {
            checks::same_blocks_in_windows(text, chunk);
        }
    }
}

#[test]
fn a_file_not_in_utf8_is_left_to_the_whole_reader() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("latin1.bib");
    std::fs::write(&path, b"@misc{a, title = {Caf\xe9}}\n").unwrap();
    let mut out = Vec::new();
    let streamed =
        convert_streaming(&path, "latin1.bib", &request(), &mut out, &mut |_| {}).unwrap();
    assert!(streamed.is_none());
    assert!(out.is_empty());
}

#[test]
fn a_file_is_streamed_when_its_start_reads_as_bibtex() {
    let folder = tempfile::tempdir().unwrap();
    let entry = "@misc{a, title = {A}}\n";
    let comment = |bytes: usize| "% a comment line, not an entry\n".repeat(bytes / 31 + 1);
    let cases = [
        ("first.bib", entry.to_owned()),
        ("late.bib", comment(10_000) + entry),
        // The first entry's line cut by the end of a first look.
        ("cut.bib", comment(4_070) + "@misc{cut, title = {Cut}}\n"),
        ("too-late.bib", comment(70_000) + entry),
        ("named-otherwise.txt", entry.to_owned()),
        ("named-otherwise-late.txt", comment(10_000) + entry),
        ("refs.json", entry.to_owned()),
    ];
    for (name, text) in cases {
        let path = folder.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let start = &text.as_bytes()[..text.len().min(1 << 16)];
        let detected = InputFormat::detect(Some(&path), &String::from_utf8_lossy(start));
        let mut out = Vec::new();
        let streamed = convert_streaming(&path, name, &request(), &mut out, &mut |_| {}).unwrap();
        assert_eq!(
            streamed.is_some(),
            detected == Some(InputFormat::Bibtex),
            "{name}"
        );
    }
}

/// Small files copied one after another over several windows (the fuzz
/// check [`checks::streaming_tiled`]) stream as they read whole: the
/// same keys and `@string`s again in later windows, parents before and
/// after their children, and what a copy leaves open running into the
/// next. The first byte picks the output: each is written once.
#[test]
fn small_files_copied_over_several_windows_stream_as_read_whole() {
    let cases = [
        // '\n': LaTeX.
        TRICKY.to_owned(),
        // ' ': BibLaTeX; CRLF, accents, a parent after its child.
        " @string{j = \"Journal of Ümlauts\"}\r\n@article{a, author = {Çelik, Ayşe and Ñúñez, José}, title = {Über {DNA}}, journal = j # \" B\", year = 2021}\r\n@inproceedings{b, crossref = {c}, author = {Doe, J.}, pages = {1--2}}\r\n@proceedings{c, title = {Proc}, year = 2020, month = mar}\r\n".to_owned(),
        // '\t': Markdown; an entry never closed takes in every copy after.
        "\t@misc{first, title = {First}, year = 1999}\n@misc{open, title = {never closed\n".to_owned(),
        // '\r': BibTeX; a comment never closed.
        "\r\n@misc{x, title = {X}, year = 2000}\n@comment{open comment\n@misc{y, title = {Y}}\n".to_owned(),
        // '\x0c': CSL-JSON; no key, no fields, a key given twice in a copy.
        "\x0c@misc{, title = {No key}}\n@book{}\n@misc{twice, year = 2001}\n@misc{twice, year = 2002}\n".to_owned(),
        // 'A': HTML; a line of text before the first entry.
        "A line before\n@misc{k, title = {K}, note = {Ünïcödé}, author = {Lim, Sungjun}, year = 2026}\n".to_owned(),
    ];
    for text in cases {
        assert!(
            checks::streaming_tiled(text.as_bytes()),
            "not streamed: {text:?}"
        );
        // On one line, and with lines ended by carriage returns alone.
        for line_end in [&b" "[..], b"\r"] {
            assert!(
                checks::streaming_tiled_with_line_ends(text.as_bytes(), line_end),
                "not streamed: {text:?} {line_end:?}"
            );
        }
    }
}

#[test]
fn entries_on_long_lines_stream_as_read_whole() {
    // Each entry one line of about 3 kB, with a type name of 1,100
    // letters, and every third one left open: a window ends in a line
    // longer than what is read past it at first, and an open value must
    // see that line start an entry to stop there, as read whole.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("long-lines.bib");
    let kind = "a".repeat(1_100);
    let mut text = String::new();
    for n in 0..200 {
        let words = format!("word{n} ").repeat(250);
        let close = if n % 3 == 0 { "" } else { "}}" };
        text += &format!("@{kind}{{key{n}, title = {{Title {n}}}, note = {{{words}{close}\n");
    }
    std::fs::write(&path, &text).unwrap();
    let input = Input {
        name: "long-lines.bib".into(),
        path: Some(path.clone()),
        bytes: text.into_bytes(),
    };
    let whole = convert(&[input], &request()).unwrap();
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let streamed = convert_streaming(&path, "long-lines.bib", &request(), &mut out, &mut |d| {
        diagnostics.push(d)
    })
    .unwrap()
    .unwrap();
    assert_eq!(streamed.written, 133);
    assert_eq!(streamed.skipped, 67);
    assert_eq!(
        (streamed.written, streamed.skipped),
        (whole.written, whole.skipped)
    );
    assert_eq!(String::from_utf8(out).unwrap(), whole.output);
    let mut expected: Vec<String> = whole.diagnostics.iter().map(what).collect();
    let mut got: Vec<String> = diagnostics.iter().map(what).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
}

/// The outputs a file streams to: CSL-JSON rendered side by side, `.bib`
/// in order, CV sections gathered and written at the end.
const STREAMED: [OutputFormat; 6] = [
    OutputFormat::CslJson,
    OutputFormat::Bibtex,
    OutputFormat::Biblatex,
    OutputFormat::Markdown,
    OutputFormat::Latex,
    OutputFormat::Html,
];

fn request() -> Request {
    request_to(OutputFormat::CslJson)
}

fn request_to(to: OutputFormat) -> Request {
    Request {
        from: None,
        to,
        read: ReadOptions::default(),
        write: Options::default(),
        merge: true,
        lookup: Default::default(),
    }
}

/// Each diagnostic with its place and the text it quotes, in order.
fn placed(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut placed: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {:?} {}",
                d.file,
                d.line,
                d.column,
                what(d),
                d.source_line,
                d.caret
            )
        })
        .collect();
    placed.sort();
    placed
}

/// A diagnostic without its place: inherited fields are reported at the
/// entry when streaming (the parent's text is not at hand).
fn what(diagnostic: &pubconv::diagnostic::Diagnostic) -> String {
    format!(
        "{:?} {} {}",
        diagnostic.severity, diagnostic.code, diagnostic.message
    )
}

#[test]
fn streaming_converts_every_file_as_reading_it_whole_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = common::bib_files(&root.join("fixtures"));
    if let Some(corpus) = common::corpus("") {
        files.extend(common::bib_files(&corpus));
    }
    files.sort();
    for to in STREAMED {
        let request = request_to(to);
        let (mut streamed_files, mut whole_only) = (0, 0);
        for path in &files {
            match streams_as_read_whole(path, &request) {
                true => streamed_files += 1,
                false => whole_only += 1,
            }
        }
        eprintln!(
            "{}: {streamed_files} files streamed with the same output and diagnostics; {whole_only} not UTF-8, read whole",
            to.name()
        );
        assert!(streamed_files > 0);
    }
}

/// Converts the file streamed and read whole and checks both give the
/// same output, counts and diagnostics; false when it is not streamed
/// (or does not convert at all).
fn streams_as_read_whole(path: &Path, request: &Request) -> bool {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).unwrap();
    let input = Input {
        name: name.clone(),
        path: Some(path.to_path_buf()),
        bytes: bytes.clone(),
    };
    let Ok(whole) = convert(std::slice::from_ref(&input), request) else {
        return false;
    };
    // The library writers give what the conversion writes.
    let (library, _) = pubconv::convert::read_all(&[input], request).unwrap();
    assert_eq!(
        request.to.write(&library, &request.write),
        whole.output,
        "{}: {name}",
        request.to.name()
    );
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let streamed =
        convert_streaming(path, &name, request, &mut out, &mut |d| diagnostics.push(d)).unwrap();
    let Some(streamed) = streamed else {
        return false;
    };
    let to = request.to.name();
    // The same text in memory (standard input, its format named as the
    // file's name tells it) streams just the same, to each diagnostic's
    // place and order.
    let text = std::str::from_utf8(&bytes).expect("a streamed file is UTF-8");
    let named = Request {
        from: request.from.or(InputFormat::detect(Some(path), text)),
        ..request.clone()
    };
    let (mut from_memory, mut memory_diagnostics) = (Vec::new(), Vec::new());
    let in_memory = convert_streaming_text(text, &name, &named, &mut from_memory, &mut |d| {
        memory_diagnostics.push(d)
    })
    .unwrap()
    .expect("streamed as the file is");
    assert_eq!(from_memory, out, "{to}: {name}");
    assert_eq!(
        (in_memory.written, in_memory.skipped),
        (streamed.written, streamed.skipped)
    );
    assert_eq!(
        format!("{memory_diagnostics:?}"),
        format!("{diagnostics:?}"),
        "{to}: {name}"
    );
    assert_eq!(
        String::from_utf8(out).unwrap(),
        whole.output,
        "{to}: {name}"
    );
    assert_eq!(streamed.written, whole.written, "{to}: {name}");
    assert_eq!(streamed.skipped, whole.skipped, "{to}: {name}");
    let mut expected: Vec<String> = whole.diagnostics.iter().map(what).collect();
    let mut got: Vec<String> = diagnostics.iter().map(what).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "{to}: {name}");
    // CSL-JSON items are read in place: each diagnostic at the same place.
    if request.from == Some(InputFormat::CslJson) || name.ends_with(".json") {
        assert_eq!(
            placed(&diagnostics),
            placed(&whole.diagnostics),
            "{to}: {name}"
        );
    }
    // Each is about a place in the file, but those about the output
    // as a whole (nothing was written) or its preamble and strings.
    let placed =
        |d: &Diagnostic| d.line > 0 || d.code == "output::empty" || d.key.as_deref() == Some("");
    assert!(diagnostics.iter().all(placed), "{to}: {name}");
    let lines = |diagnostics: &[Diagnostic]| {
        let mut lines: Vec<(String, usize)> = diagnostics
            .iter()
            .filter(|d| d.code == "lost")
            .map(|d| (d.message.clone(), d.line))
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(
        lines(&diagnostics),
        lines(&whole.diagnostics),
        "{to}: {name}"
    );
    true
}

#[test]
fn strings_defined_again_stream_as_read_whole() {
    // Bibliographies pasted together, each with its `@string`s, the last
    // giving one a new value in another case, over many windows: the
    // output has each name once, with its last value, and every entry
    // (read before or after the first pass ends) as read whole.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("pasted.bib");
    let mut text = String::new();
    for copy in 0..4 {
        let (name, value) = match copy {
            3 => ("JCS", "Journal of Computer Science"),
            _ => ("jcs", "J. Comp. Sci."),
        };
        text += &format!("@string{{{name} = {{{value}}}}}\r\n@string{{ieee{copy} = {{IEEE}}}}\r\n");
        for n in 0..600 {
            let note = format!("Über Zählung {n}. ").repeat(8);
            text += &format!(
                "@article{{k{copy}-{n},\r\n  title = {{Paper {n}}},\r\n  journal = jcs,\r\n  publisher = {{IEEE}},\r\n  note = {{{note}}},\r\n  year = {}\r\n}}\r\n",
                1990 + n % 30
            );
        }
    }
    std::fs::write(&path, &text).unwrap();
    assert!(text.len() > 8 * 65_536, "several windows");
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        assert!(streams_as_read_whole(&path, &request_to(to)));
    }
    let mut out = Vec::new();
    let request = request_to(OutputFormat::Bibtex);
    convert_streaming(&path, "pasted.bib", &request, &mut out, &mut |_| {})
        .unwrap()
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("@string{").count(), 5, "{}", &out[..400]);
    assert!(out.contains("@string{jcs = {Journal of Computer Science}}"));
    assert!(!out.contains("J. Comp. Sci."));
    assert_eq!(out.matches("journal = jcs,").count(), 2400);
    // The `@string`s last, after many windows of entries that use none,
    // made before the first pass found them: those are made again, their
    // values written with the `@string`s.
    let late = folder.path().join("late.bib");
    let (entries, strings) = text.split_at(text.rfind("@string{JCS").unwrap());
    let strings = strings.split_inclusive("\r\n").take(2).collect::<String>();
    let entries = entries
        .replace("@string{", "@comment{")
        .replace("journal = jcs", "journal = {J}");
    std::fs::write(&late, entries + &strings).unwrap();
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        assert!(streams_as_read_whole(&late, &request_to(to)));
    }
    let mut out = Vec::new();
    convert_streaming(&late, "late.bib", &request, &mut out, &mut |_| {})
        .unwrap()
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("publisher = ieee3,").count(), 1800);
}

#[test]
fn csl_json_streams_as_read_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = common::files_named(&root.join("fixtures"), "json");
    if let Some(corpus) = common::corpus("") {
        files.extend(common::files_named(&corpus, "json"));
    }
    // Arrays in other shapes: on one line, with CRLF line ends and a
    // byte-order mark, with broken and repeated items.
    let folder = tempfile::tempdir().unwrap();
    let mut arrays = vec![
        r#"[{"id": "a", "type": "book", "title": "A"}, {"id": "a", "title": 5}, {"id": "b"}, 7, {"id": "b", "id": "c", "type": "book"}, {}, {"id": "A", "type": "book"}]"#.to_owned(),
        // A key another item has too, but that item is no work: the key
        // stays the work's own, as read whole.
        r#"[{"id": "k", "author": "not a list"}, {"id": "k", "type": "book", "title": "K"}, {"citation-key": "k2", "id": 5}, {"id": "k2", "type": "book"}]"#.to_owned(),
        "[\n]".to_owned(),
        // Windows read while the first pass still runs, one of them with
        // a key a later window's work has too.
        many_items(4000, 37, 3900),
    ];
    let handwritten = arrays.len();
    let mut made = Vec::new();
    if let Some(citeproc) = common::corpus("citeproc") {
        arrays.extend(
            common::citeproc_inputs(&citeproc)
                .into_iter()
                .map(|(_, text)| text),
        );
    }
    for (n, text) in arrays.iter().enumerate() {
        let Ok(items) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let pretty = serde_json::to_string_pretty(&items).unwrap();
        let variants = [
            text.clone(),
            items.to_string(),
            format!("\u{feff}{}\r\n", pretty.replace('\n', "\r\n")),
        ];
        for (v, variant) in variants.into_iter().enumerate() {
            let path = folder.path().join(format!("{n}-{v}.json"));
            std::fs::write(&path, variant).unwrap();
            if n < handwritten {
                made.push(path.clone());
            }
            files.push(path);
        }
    }
    for to in STREAMED {
        let request = request_to(to);
        for path in &made {
            assert!(streams_as_read_whole(path, &request), "{}", path.display());
        }
        let streamed = files
            .iter()
            .filter(|path| streams_as_read_whole(path, &request))
            .count();
        eprintln!(
            "{}: {streamed} of {} JSON files streamed as read whole",
            to.name(),
            files.len()
        );
        // The fixtures' other JSON files are services' replies, read
        // whole; the corpus is mostly CSL-JSON arrays.
        if common::corpus("").is_some() {
            assert!(streamed > files.len() / 2);
        }
    }
}

/// A CSL-JSON array of `count` items of about 200 bytes, a line each,
/// in which item `again` has item `first`'s key. Every third item has a
/// type CSL does not know, warned at its start, and every fifth its title
/// twice, warned at its end: on one line, the warnings quote the items
/// beside them, across the windows' edges.
fn many_items(count: usize, first: usize, again: usize) -> String {
    let items: Vec<String> = (0..count)
        .map(|n| {
            let key = if n == again { first } else { n };
            let kind = if n % 3 == 0 { "no-such-type" } else { "article-journal" };
            let again = if n % 5 == 0 { r#", "title": "Titre répété""# } else { "" };
            format!(
                r#"{{"id": "k{key}", "type": "{kind}", "title": "Título número {n} of a list long enough to fill several windows", "author": [{{"family": "Ørsted", "given": "H. C."}}], "issued": {{"date-parts": [[{}]]}}{again}}}"#,
                1900 + n % 120
            )
        })
        .collect();
    format!("[\n{}\n]\n", items.join(",\n"))
}

#[test]
fn a_byte_order_mark_does_not_shift_the_parents_read_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("bom.bib");
    let text = "\u{feff}@inproceedings{child, crossref = {parent}, title = {Part}}\n\
                @proceedings{parent, title = {The Book}, year = 2000, publisher = {P}}\n";
    std::fs::write(&path, text).unwrap();
    let mut out = Vec::new();
    let streamed = convert_streaming(&path, "bom.bib", &request(), &mut out, &mut |_| {})
        .unwrap()
        .unwrap();
    let input = Input {
        name: "bom.bib".into(),
        path: Some(path.clone()),
        bytes: text.as_bytes().to_vec(),
    };
    let whole = convert(&[input], &request()).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out, whole.output);
    assert_eq!(streamed.written, 2);
    assert!(out.contains(r#""container-title": "The Book""#), "{out}");
}

/// An unclosed `@comment` at the top holds the first window open to the
/// end of the file; the second pass still reads it in pieces, and gets
/// what reading the file whole gets.
#[test]
fn a_window_held_open_by_a_comment_streams_in_pieces() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("open-comment.bib");
    let mut text = String::from("@comment{never closed\n@string{pub = {Publisher}}\n");
    for n in 0..30_000 {
        text.push_str(&format!(
            "@misc{{k{n}, title = {{Title {n}}}, publisher = pub}}\n"
        ));
        if n % 7_000 == 0 {
            text.push_str(&format!(
                "  @inbook{{child{n}, crossref = {{k{}}}}}\n@misc{{k1, title = {{Again}}}}\n",
                n + 5
            ));
        }
    }
    std::fs::write(&path, &text).unwrap();
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let streamed = convert_streaming(&path, "open.bib", &request(), &mut out, &mut |d| {
        diagnostics.push(what(&d))
    })
    .unwrap()
    .unwrap();
    let input = Input {
        name: "open.bib".into(),
        path: None,
        bytes: text.into_bytes(),
    };
    let whole = convert(&[input], &request()).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), whole.output);
    assert_eq!(streamed.written, whole.written);
    let mut expected: Vec<String> = whole.diagnostics.iter().map(what).collect();
    expected.sort();
    diagnostics.sort();
    assert_eq!(diagnostics, expected);
    assert_eq!(streamed.written, 30_000 + 5 + 5);
}

/// A list that marks its owner (`\underline{…}` around a name) streams to
/// every output. Where the output needs the owner from the first work on
/// (BibLaTeX's annotations, a CV's bold), the file is read for its marks
/// first: the output and the note naming the owner are those of reading
/// whole. Marks elsewhere name no owner.
#[test]
fn a_list_that_marks_its_owner_streams_with_its_owner() {
    let folder = tempfile::tempdir().unwrap();
    // Past the first window (64 kB).
    let filler: String = (0..700)
        .map(|n| {
            format!("@misc{{m{n}, title = {{\\emph{{Filler}} {n}}}, author = {{Roe, Max and Lovelace, Ada}}, year = {}}}\n", 1990 + n % 30)
        })
        .collect();
    let cases = [
        ("underlined.bib", "@article{a, author = {\\underline{Ada Lovelace} and Charles Babbage}, title = {Notes}}\n", true),
        ("late-bold.bib", "@article{b, author = {Babbage, Charles and {\\bf Lovelace, Ada}}, title = {More}}\n", true),
        ("by-string.bib", "@string{me = {\\textbf{Ada Lovelace}}}\n@article{c, author = me # { and Charles Babbage}, title = {T}}\n", true),
        ("accented.bib", "@article{e, author = {Babbage, Charles and \\underline{Lov{\\'e}lace, {\\AA}da}},\r\n  title = {Accents}}\r\n", true),
        ("in-a-title.bib", "@article{d, author = {Ada Lovelace}, title = {\\underline{Notes} on \\textbf{it}}}\n", false),
    ];
    let mut styled = request_to(OutputFormat::Markdown);
    let apa = pubconv::style::Choice::parse("apa");
    let style = pubconv::style::CitationStyle::load(&apa, None).unwrap();
    styled.write.style = Some(std::sync::Arc::new(style));
    for (name, entry, marks) in cases {
        // The entry after many others, past the first window, and once
        // more before them.
        for (order, text) in [
            ("last", format!("{filler}{entry}")),
            ("first", format!("{entry}{filler}")),
        ] {
            let name = format!("{order}-{name}");
            let path = folder.path().join(&name);
            std::fs::write(&path, &text).unwrap();
            let requests = STREAMED
                .map(request_to)
                .into_iter()
                // A citation style renders the list whole: one case is enough.
                .chain((name == "last-underlined.bib").then(|| styled.clone()));
            for request in requests {
                let to = request.to.name();
                let mut notes = Vec::new();
                let streamed =
                    convert_streaming(&path, &name, &request, &mut Vec::new(), &mut |d| {
                        notes.extend((d.code == "bibtex::owner").then_some(d))
                    })
                    .unwrap();
                assert!(streamed.is_some(), "{to}: {name}");
                assert!(streams_as_read_whole(&path, &request), "{to}: {name}");
                // The note on the owner, where reading whole puts it.
                let input = Input {
                    name: name.clone(),
                    path: Some(path.clone()),
                    bytes: text.clone().into_bytes(),
                };
                let whole = convert(&[input], &request).unwrap();
                let place =
                    |d: &Diagnostic| (d.line, d.column, d.message.clone(), d.source_line.clone());
                let expected: Vec<_> = whole
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == "bibtex::owner")
                    .map(place)
                    .collect();
                assert_eq!(expected.len(), usize::from(marks), "{to}: {name}");
                assert_eq!(
                    notes.iter().map(place).collect::<Vec<_>>(),
                    expected,
                    "{to}: {name}"
                );
            }
        }
    }
}

/// CV sections streamed with the options that choose, order, group and
/// number works, and an owner first named after a work whose list was cut
/// short before them: the same section as read whole.
#[test]
fn cv_sections_stream_with_every_layout_option() {
    use pubconv::write::markdown::{GroupBy, Kind, Numbering, Order};
    let folder = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "@article{cut, author = {Roe, Max and others}, title = {Cut Short}, journal = {J}, year = 2021}\n\
         @inproceedings{named, author = {Lovelace, Ada and Babbage, Charles}, title = {Named}, booktitle = {Proc.}, year = 2020}\n\
         @misc{undated, author = {Lovelace, A. and Roe, Max}, title = {No Date}}\n\
         @phdthesis{thesis, author = {Lovelace, Ada}, title = {Th{\\'e}se}, school = {U}, year = 2019}\n\
         @article{same-year, author = {Babbage, Charles and Lovelace, Ada and Roe, Max and Doe, Jane}, title = {Same Year}, journal = {J}, year = 2021}\n",
    );
    for n in 0..200 {
        text += &format!(
            "@article{{w{n}, author = {{Doe, Jane and Lovelace, Ada}}, title = {{Work {n}}}, journal = {{J}}, year = {}}}\n",
            2000 + n % 23
        );
    }
    let path = folder.path().join("cv.bib");
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    type Layout = Box<dyn Fn(&mut Request)>;
    let layouts: Vec<Layout> = vec![
        Box::new(|_| {}),
        Box::new(|r| r.write.markdown.highlight = vec!["Ada Lovelace".into()]),
        Box::new(|r| {
            r.write.markdown.highlight = vec!["Lovelace, A.".into()];
            r.write.markdown.group_by = GroupBy::Type;
            r.write.markdown.order = Order::Oldest;
            r.write.markdown.numbering = Numbering::Forward;
            r.write.markdown.max_authors = Some(1);
        }),
        Box::new(|r| {
            r.write.markdown.group_by = GroupBy::None;
            r.write.markdown.numbering = Numbering::None;
            r.write.markdown.since = Some(2010);
            r.write.markdown.until = Some(2021);
            r.write.markdown.types = vec![Kind::Article, Kind::Thesis];
            r.write.standalone = true;
        }),
        Box::new(|r| r.write.markdown.selected = vec!["cut".into(), "thesis".into()]),
        // A citation style renders the list as a whole.
        Box::new(|r| {
            let apa = pubconv::style::Choice::parse("apa");
            let style = pubconv::style::CitationStyle::load(&apa, None).unwrap();
            r.write.style = Some(std::sync::Arc::new(style));
            r.write.markdown.highlight = vec!["Ada Lovelace".into()];
        }),
        // Nothing chosen: the warning names the filter.
        Box::new(|r| r.write.markdown.since = Some(2100)),
    ];
    for to in [
        OutputFormat::Markdown,
        OutputFormat::Latex,
        OutputFormat::Html,
    ] {
        for (n, layout) in layouts.iter().enumerate() {
            let mut request = request_to(to);
            layout(&mut request);
            if request.write.standalone && to == OutputFormat::Markdown {
                request.write.standalone = false;
            }
            assert!(
                streams_as_read_whole(&path, &request),
                "{} layout {n}",
                to.name()
            );
        }
    }
    // The owner named after the cut list is in its item.
    let mut request = request_to(OutputFormat::Markdown);
    request.write.markdown.highlight = vec!["Ada Lovelace".into()];
    let mut out = Vec::new();
    convert_streaming(&path, "cv.bib", &request, &mut out, &mut |_| {}).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("Max Roe, et al. (incl. **Ada Lovelace**)"),
        "{out}"
    );
}

/// An output that takes so many bytes, then fails as a full disk does.
struct FillsUp(usize);

impl std::io::Write for FillsUp {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.0 {
            0 => Err(std::io::Error::other("no space left")),
            room => {
                let taken = room.min(bytes.len());
                self.0 -= taken;
                Ok(taken)
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn an_output_that_fails_stops_the_conversion_with_its_error() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bibtex/cv.bib");
    for to in STREAMED {
        let mut whole = Vec::new();
        convert_streaming(&path, "cv.bib", &request_to(to), &mut whole, &mut |_| {})
            .unwrap()
            .unwrap();
        for room in [0, whole.len() / 2, whole.len() - 1] {
            let mut out = FillsUp(room);
            let result = convert_streaming(&path, "cv.bib", &request_to(to), &mut out, &mut |_| {});
            let error = result.expect_err(&format!("{} with room for {room}", to.name()));
            assert_eq!(error.to_string(), "no space left", "{}", to.name());
        }
    }
}

/// Entries left open, so that the one before each window's end runs into
/// the line that starts the next window: read from the file or from its
/// text in memory, each ends there, with the same error.
#[test]
fn entries_left_open_at_window_ends_stream_as_read_whole() {
    let folder = tempfile::tempdir().unwrap();
    for (name, line_end) in [("open-lf.bib", "\n"), ("open-crlf.bib", "\r\n")] {
        let text: String = (0..3000)
            .map(|n| format!("@misc{{k{n}, title = {{Ünclosed {n}{line_end}  @misc{{x{n}, note = {{n}}}}{line_end}"))
            .collect();
        let path = folder.path().join(name);
        std::fs::write(&path, &text).unwrap();
        for to in STREAMED {
            assert!(streams_as_read_whole(&path, &request_to(to)), "{name}");
        }
    }
}

/// Converts the files streamed together and read whole and checks both
/// give the same output, counts and diagnostics, in order and place; how
/// many works were merged, `None` when they are not streamed together.
fn several_stream_as_read_whole(paths: &[&Path], request: &Request) -> Option<usize> {
    let names: Vec<String> = paths
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let inputs: Vec<Input> = paths
        .iter()
        .zip(&names)
        .map(|(path, name)| Input {
            name: name.clone(),
            path: Some(path.to_path_buf()),
            bytes: std::fs::read(path).unwrap(),
        })
        .collect();
    let whole = convert(&inputs, request).ok()?;
    let named: Vec<(&Path, &str)> = paths
        .iter()
        .copied()
        .zip(names.iter().map(String::as_str))
        .collect();
    let (mut out, mut diagnostics) = (Vec::new(), Vec::new());
    let streamed =
        pubconv::convert::convert_streaming_several(&named, request, &mut out, &mut |d| {
            diagnostics.push(d)
        })
        .unwrap();
    let Some(streamed) = streamed else {
        assert!(out.is_empty() && diagnostics.is_empty());
        return None;
    };
    let what = format!(
        "{} of {names:?}, merge {}",
        request.to.name(),
        request.merge
    );
    assert_eq!(String::from_utf8(out).unwrap(), whole.output, "{what}");
    assert_eq!(
        (streamed.written, streamed.skipped),
        (whole.written, whole.skipped),
        "{what}"
    );
    let placed = |diagnostics: &[Diagnostic]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, what_of(d)))
            .collect()
    };
    assert_eq!(placed(&diagnostics), placed(&whole.diagnostics), "{what}");
    let merged = diagnostics
        .iter()
        .filter(|d| d.code == "merge::duplicate")
        .count();
    Some(merged)
}

fn what_of(diagnostic: &Diagnostic) -> String {
    what(diagnostic)
}

#[test]
fn several_inputs_stream_together_as_read_whole() {
    let folder = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    // Three lists of one researcher, with the same works told by DOI,
    // arXiv id or title; keys that repeat across files; @strings of one
    // name with different values; a work that joins the others only
    // through one merged before it; accents and CRLF.
    let a = folder.path().join("a.bib");
    std::fs::write(
        &a,
        "@preamble{\"\\newcommand{\\noop}[1]{}\"}\r\n@string{j = {Journal of Things}}\r\n\
         @article{doe2020, author = {Doe, Jane and Öberg, Åsa}, title = {Rivers of Sand}, journal = j, year = 2020}\r\n\
         @article{same, author = {Roe, Max}, title = {Only Here}, journal = j, year = 2019, doi = {10.1/only}}\r\n\
         @misc{pre, author = {Doe, J.}, title = {Preprinted}, year = 2021, eprint = {2101.00001}, archiveprefix = {arXiv}}\r\n\
         @misc{broken, title = {never closed\r\n",
    )
    .unwrap();
    let b = folder.path().join("b.json");
    std::fs::write(
        &b,
        r#"[
  {"id": "doe2020", "type": "article-journal", "title": "Rivers of sand", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2021]]}, "DOI": "10.5/rivers", "container-title": "Journal of Things"},
  {"id": "other", "type": "article-journal", "title": "Another Name", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2021]]}, "DOI": "10.5/rivers"},
  {"id": "pre2", "type": "article-journal", "title": "Preprinted at last", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2022]]}, "number": "arXiv:2101.00001v2", "container-title": "J. Sand"},
  {"id": "same", "type": "book", "title": "Same Key, Other Work", "issued": {"date-parts": [[2018]]}},
  {"type": "book", "title": "No Key"}
]
"#,
    )
    .unwrap();
    let c = folder.path().join("c.bib");
    std::fs::write(
        &c,
        "@string{j = {J. Things}}\n\
         @article{x, author = {Doe, Jane}, title = {Another name}, journal = j, year = 2021, doi = {10.5/RIVERS}}\n\
         @book{same, title = {Same Key Again}, year = 2017}\n",
    )
    .unwrap();
    let cv = root.join("bibtex/cv.bib");
    let traps = root.join("bibtex/traps.bib");
    let zotero = root.join("csl/zotero.json");
    // Files without works: empty, strings alone, an empty array.
    let empty = folder.path().join("empty.bib");
    std::fs::write(&empty, "").unwrap();
    let strings = folder.path().join("strings.bib");
    std::fs::write(
        &strings,
        "@preamble{\"\\def\\x{}\"}\n@string{j = {Other}}\n",
    )
    .unwrap();
    let none = folder.path().join("none.json");
    std::fs::write(&none, "[]\n").unwrap();
    // Lists that mark their owners, one each: the first read leads, the
    // other is said to be left.
    let ada = folder.path().join("ada.bib");
    std::fs::write(
        &ada,
        "@article{m1, author = {Doe, Jane and \\underline{Lovelace, Ada}}, title = {Rivers of Sand}, year = 2020}\n",
    )
    .unwrap();
    let max = folder.path().join("max.bib");
    std::fs::write(
        &max,
        "@misc{m2, author = {Babbage, Charles and \\textbf{R{\\\"o}e, Max}}, title = {Only here}, year = 2019, doi = {10.1/only}}\r\n",
    )
    .unwrap();
    // With how many works merge: by title; by DOI through the work merged
    // just before (its title is another); by arXiv id; by DOI in another
    // case. Read the other way round, the first title is no longer the
    // merged work's, and that work stays apart.
    let combos: Vec<(Vec<&Path>, usize)> = vec![
        (vec![&a, &b, &c], 4),
        (vec![&c, &b, &a], 3),
        (vec![&a, &a], 3),
        (vec![&cv, &zotero, &traps], 0),
        (vec![&cv, &cv], 5),
        (vec![&empty, &strings, &none], 0),
        (vec![&strings, &a, &empty, &b], 3),
        (vec![&a, &ada, &max], 2),
        (vec![&max, &b, &ada], 1),
    ];
    for (paths, merging) in &combos {
        for to in STREAMED {
            for merge in [true, false] {
                let request = Request {
                    merge,
                    ..request_to(to)
                };
                let merged = several_stream_as_read_whole(paths, &request)
                    .unwrap_or_else(|| panic!("{paths:?} streamed together"));
                let expected = if merge { *merging } else { 0 };
                assert_eq!(merged, expected, "{paths:?}, merge {merge}");
            }
        }
    }
}

#[test]
fn corpus_files_stream_together_as_read_whole() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    // Each small file beside the next, and every tenth beside itself (all
    // its works merge), to CSL-JSON, BibLaTeX and Markdown.
    let files: Vec<_> = common::bib_files(&corpus)
        .into_iter()
        .filter(|path| std::fs::metadata(path).is_ok_and(|m| m.len() < 200_000))
        .collect();
    let mut together = 0;
    for (index, pair) in files.chunks(2).enumerate() {
        let mut paths: Vec<&Path> = pair.iter().map(|path| path.as_path()).collect();
        if index % 10 == 0 {
            paths.push(pair[0].as_path());
        }
        for to in [
            OutputFormat::CslJson,
            OutputFormat::Biblatex,
            OutputFormat::Markdown,
        ] {
            together +=
                usize::from(several_stream_as_read_whole(&paths, &request_to(to)).is_some());
        }
    }
    eprintln!("{together} conversions of corpus files streamed together");
    assert!(together > files.len());
}

/// A file written without line breaks (or with lines ended by carriage
/// returns alone) is read in windows cut within its line: it streams as
/// it reads whole, to each diagnostic's place and the text it quotes,
/// also for problems just after a cut, where the text before is quoted.
#[test]
fn a_file_on_one_line_streams_as_read_whole_to_each_place() {
    let entry = |n: usize| {
        let problem = match n % 5 {
            // Kept TeX commands are warned about, with a quote.
            0 => r"\Unknown{x}",
            // A key given twice.
            1 => "",
            2 => "Ünïcödé ☃ ",
            3 => r"50\% of",
            _ => "plain",
        };
        let key = match n % 7 {
            1 => "twice".to_owned(),
            _ => format!("k{n}"),
        };
        format!(
            "@article{{{key}, author = {{Çelik, Ayşe and Doe, J.}}, title = {{{problem} title {n}}}, journal = jn, year = {}}}",
            1990 + n % 30
        )
    };
    let body: Vec<String> = (0..3_000).map(entry).collect();
    let folder = tempfile::tempdir().unwrap();
    for line_end in [" ", "\r", "  \t"] {
        let text = format!(
            "@string{{jn = \"Journal of Ümlauts\"}}{line_end}{}{line_end}an @ sign in a note{line_end}@misc{{last, title = {{Last}}}}",
            body.join(line_end)
        );
        assert!(
            text.len() > 4 * 65_536 && !text.contains('\n'),
            "{}",
            text.len()
        );
        let path = folder.path().join("one-line.bib");
        std::fs::write(&path, &text).unwrap();
        for to in [OutputFormat::CslJson, OutputFormat::Bibtex] {
            let request = request_to(to);
            let input = Input {
                name: "one-line.bib".into(),
                path: Some(path.clone()),
                bytes: text.clone().into_bytes(),
            };
            let whole = convert(&[input], &request).unwrap();
            let (mut out, mut diagnostics) = (Vec::new(), Vec::new());
            let streamed = convert_streaming(&path, "one-line.bib", &request, &mut out, &mut |d| {
                diagnostics.push(d)
            })
            .unwrap()
            .expect("a file on one line streams");
            assert_eq!(streamed.written, 3_001);
            assert_eq!(
                (streamed.written, streamed.skipped),
                (whole.written, whole.skipped)
            );
            assert_eq!(String::from_utf8(out).unwrap(), whole.output);
            assert!(diagnostics.len() > 600, "{}", diagnostics.len());
            assert_eq!(
                placed(&diagnostics),
                placed(&whole.diagnostics),
                "{line_end:?}"
            );
            // Both readings cut the line into windows: each place and
            // quote is checked against the text itself too.
            let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            for diagnostic in diagnostics.iter().filter(|d| d.source_line.is_some()) {
                assert_eq!(diagnostic.line, 1);
                let offset = starts[diagnostic.column - 1];
                let expected = diagnostic.clone().quote(&text, offset);
                assert_eq!(
                    (&diagnostic.source_line, diagnostic.caret),
                    (&expected.source_line, expected.caret),
                    "{line_end:?} {diagnostic:?}"
                );
            }
        }
    }
}
