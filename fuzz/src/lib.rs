//! What the fuzz targets share: read bytes as one format, write the result
//! in every format, and check that a second read → write changes nothing.

use pubconv::model::Library;
use pubconv::read::{decode, InputFormat, ReadOptions, Source};
use pubconv::write::{Options, OutputFormat};

fn read(format: InputFormat, text: &str) -> Library {
    let source = Source { name: "fuzz", text };
    format.read(source, &ReadOptions::default()).library
}

/// Reads `bytes` as `format` and writes what came out in every format.
pub fn read_and_write(format: InputFormat, bytes: &[u8]) {
    let (text, _) = decode(bytes, "fuzz");
    let library = read(format, &text);
    for output in OutputFormat::ALL {
        output.write(&library, &Options::default());
    }
}

/// One round-trip case: the first byte picks the input format and the
/// format written through, the rest is the input.
pub fn round_trip_case(bytes: &[u8]) {
    let Some((&choice, input)) = bytes.split_first() else {
        return;
    };
    let from = [
        InputFormat::Bibtex,
        InputFormat::CslJson,
        InputFormat::Profile,
    ];
    let through = [
        OutputFormat::Bibtex,
        OutputFormat::Biblatex,
        OutputFormat::CslJson,
    ];
    let from = from[usize::from(choice % 3)];
    let through = through[usize::from(choice / 3 % 3)];
    round_trip(from, through, input);
}

/// Reads `bytes` as `from`, then writes and reads the result as `through`
/// twice: the second reading must give the same model as the first. (The
/// first write may normalise; after that, writing and reading is a fixed
/// point, or a conversion would drift each time a file is converted.)
pub fn round_trip(from: InputFormat, through: OutputFormat, bytes: &[u8]) {
    let back = match through {
        OutputFormat::Bibtex | OutputFormat::Biblatex => InputFormat::Bibtex,
        OutputFormat::CslJson => InputFormat::CslJson,
        // CV sections are not read back.
        OutputFormat::Markdown | OutputFormat::Latex | OutputFormat::Html => return,
    };
    let (text, _) = decode(bytes, "fuzz");
    let options = Options::default();
    let first = through.write(&read(from, &text), &options);
    let once = read(back, &first);
    let second = through.write(&once, &options);
    let twice = read(back, &second);
    if once != twice {
        panic!(
            "{} → {} → {} drifts\n--- first write\n{first}\n--- second write\n{second}",
            from.name(),
            through.name(),
            back.name()
        );
    }
}

/// Streaming a file gives what reading it whole gives: the same output
/// (CSL-JSON, BibTeX, BibLaTeX or a CV section, as the first byte picks)
/// and the same number of entries skipped; and windows of any size (the
/// first byte picks one) find the blocks one parse of the whole finds.
/// Bytes that start as a JSON array does are read as CSL-JSON, the others
/// as BibTeX. One input in eight is also checked copied over several
/// windows ([`streaming_tiled`]).
pub fn streaming(bytes: &[u8]) {
    let first = bytes.first().copied().unwrap_or_default();
    if let Some((&chunk, text)) = bytes.split_first() {
        if let Ok(text) = std::str::from_utf8(text) {
            same_blocks_in_windows(text, usize::from(chunk % 64) + 1);
        }
    }
    let (request, extension) = streaming_request(bytes);
    if !file_streams_as_read_whole(bytes, &request, extension) {
        return;
    }
    several(bytes, &request, extension);
    if first % 8 == 0 {
        let _ = streaming_tiled(bytes);
        let _ = streaming_tiled_with_line_ends(bytes, b" ");
        let _ = streaming_tiled_with_line_ends(bytes, b"\r");
    }
}

/// BibTeX bytes copied one after another, a line apart, until they fill
/// several 64 kB windows, stream as they read whole: so the inputs reach
/// the path of large files (entries made on every core, some before the
/// first pass has ended and made again after it), with the same keys and
/// `@string`s again in later windows, and whatever a copy leaves open
/// running into the next one. False when they were not streamed.
pub fn streaming_tiled(bytes: &[u8]) -> bool {
    let (request, extension) = streaming_request(bytes);
    if extension != "bib" || bytes.is_empty() {
        return false;
    }
    const SEVERAL_WINDOWS: usize = 3 * 65_536;
    let mut tiled = Vec::with_capacity(SEVERAL_WINDOWS + bytes.len() + 1);
    while tiled.len() < SEVERAL_WINDOWS {
        tiled.extend_from_slice(bytes);
        tiled.push(b'\n');
    }
    file_streams_as_read_whole(&tiled, &request, extension)
}

/// [`streaming_tiled`] with every line end, and the one between copies,
/// made `line_end`: a space puts the copies on one line, as a file written
/// without line breaks; a carriage return ends lines as old Mac files do.
/// Either way no line starts an entry, and windows are cut within a line.
pub fn streaming_tiled_with_line_ends(bytes: &[u8], line_end: &[u8]) -> bool {
    let (request, extension) = streaming_request(bytes);
    if extension != "bib" || bytes.is_empty() {
        return false;
    }
    let mut lines = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&byte| byte == b'\n') {
        let line = &rest[..at];
        lines.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        lines.extend_from_slice(line_end);
        rest = &rest[at + 1..];
    }
    lines.extend_from_slice(rest);
    const SEVERAL_WINDOWS: usize = 3 * 65_536;
    let mut tiled = Vec::with_capacity(SEVERAL_WINDOWS + lines.len() + 1);
    while tiled.len() < SEVERAL_WINDOWS {
        tiled.extend_from_slice(&lines);
        tiled.extend_from_slice(line_end);
    }
    file_streams_as_read_whole(&tiled, &request, extension)
}

/// The conversion [`streaming`] checks, the first byte picking the
/// output, and the input's extension.
fn streaming_request(bytes: &[u8]) -> (pubconv::convert::Request, &'static str) {
    use pubconv::convert::Request;
    let first = bytes.first().copied().unwrap_or_default();
    let outputs = [
        OutputFormat::CslJson,
        OutputFormat::Bibtex,
        OutputFormat::Biblatex,
        OutputFormat::Markdown,
        OutputFormat::Latex,
        OutputFormat::Html,
    ];
    let json = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(bytes)
        .trim_ascii_start()
        .starts_with(b"[");
    let (from, extension) = match json {
        true => (InputFormat::CslJson, "json"),
        false => (InputFormat::Bibtex, "bib"),
    };
    let request = Request {
        from: Some(from),
        to: outputs[usize::from(first) % outputs.len()],
        read: ReadOptions::default(),
        write: Options::default(),
        merge: true,
        lookup: Default::default(),
    };
    (request, extension)
}

/// The bytes as a file, streamed, and read whole, from the file and from
/// memory: the same output and counts. False when the file is not
/// streamed (it is left to the whole reader).
fn file_streams_as_read_whole(
    bytes: &[u8],
    request: &pubconv::convert::Request,
    extension: &str,
) -> bool {
    use pubconv::convert::{convert, convert_streaming, Input};
    let path =
        std::env::temp_dir().join(format!("pubconv-fuzz-{}.{extension}", std::process::id()));
    std::fs::write(&path, bytes).expect("the temporary folder takes a file");
    let mut streamed_output = Vec::new();
    let streamed = convert_streaming(&path, "fuzz", request, &mut streamed_output, &mut |_| {})
        .expect("a file just written can be read");
    let _ = std::fs::remove_file(&path);
    let Some(streamed) = streamed else {
        return false;
    };
    let input = Input {
        name: "fuzz".into(),
        path: None,
        bytes: bytes.to_vec(),
    };
    let whole = convert(std::slice::from_ref(&input), request).expect("the format is given");
    assert_eq!(String::from_utf8_lossy(&streamed_output), whole.output);
    // The library writers give what the conversion's sink writes.
    let (library, _) = pubconv::convert::read_all(&[input], request).expect("the format is given");
    assert_eq!(request.to.write(&library, &request.write), whole.output);
    assert_eq!(streamed.skipped, whole.skipped);
    // The same text in memory (standard input) streams the same.
    let text = std::str::from_utf8(bytes).expect("a streamed file is UTF-8");
    let mut from_memory = Vec::new();
    let in_memory = pubconv::convert::convert_streaming_text(
        text,
        "fuzz",
        request,
        &mut from_memory,
        &mut |_| {},
    )
    .expect("memory cannot fail to be read")
    .expect("streamed as the file is");
    assert_eq!(from_memory, streamed_output);
    assert_eq!(
        (in_memory.written, in_memory.skipped),
        (streamed.written, streamed.skipped)
    );
    true
}

/// The bytes cut in two files at a line break and the first again, as
/// three inputs into one output: streamed together, the output and the
/// diagnostics of reading them whole.
fn several(bytes: &[u8], request: &pubconv::convert::Request, extension: &str) {
    use pubconv::convert::{convert, convert_streaming_several, Input};
    let cut = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &byte)| byte == b'\n')
        .map(|(at, _)| at + 1)
        .nth(usize::from(bytes.len() as u8 % 7))
        .unwrap_or(bytes.len());
    let parts = [&bytes[..cut], &bytes[cut..], &bytes[..cut]];
    let folder = std::env::temp_dir().join(format!("pubconv-fuzz-several-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("the temporary folder takes a folder");
    let mut paths = Vec::new();
    let mut inputs = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let path = folder.join(format!("{index}.{extension}"));
        std::fs::write(&path, part).expect("the temporary folder takes a file");
        inputs.push(Input {
            name: path.display().to_string(),
            path: Some(path.clone()),
            bytes: part.to_vec(),
        });
        paths.push(path);
    }
    let names: Vec<String> = paths
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let named: Vec<(&std::path::Path, &str)> = paths
        .iter()
        .map(|path| path.as_path())
        .zip(names.iter().map(String::as_str))
        .collect();
    let (mut out, mut diagnostics) = (Vec::new(), Vec::new());
    let streamed =
        convert_streaming_several(&named, request, &mut out, &mut |d| diagnostics.push(d))
            .expect("files just written can be read");
    let _ = std::fs::remove_dir_all(&folder);
    let Some(streamed) = streamed else {
        assert!(out.is_empty() && diagnostics.is_empty());
        return;
    };
    let whole = convert(&inputs, request).expect("the format is given");
    assert_eq!(String::from_utf8_lossy(&out), whole.output);
    assert_eq!(
        (streamed.written, streamed.skipped),
        (whole.written, whole.skipped)
    );
    let placed = |diagnostics: &[pubconv::diagnostic::Diagnostic]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} {}",
                    d.file, d.line, d.column, d.code, d.message
                )
            })
            .collect()
    };
    assert_eq!(placed(&diagnostics), placed(&whole.diagnostics));
}

/// Windows of `chunk` bytes on `text` find the blocks, fields and errors
/// one parse of the whole finds, at the same offsets.
pub fn same_blocks_in_windows(text: &str, chunk: usize) {
    use pubconv::read::bibtex::syntax;
    use pubconv::read::bibtex::windows::for_each_window;
    let whole = syntax::parse(text);
    let mut expected = describe(&whole, 0);
    let mut windowed = Vec::new();
    let read = for_each_window(text.as_bytes(), chunk, syntax::Fields::Kept, |window| {
        let base = usize::try_from(window.base()).unwrap_or(usize::MAX);
        windowed.extend(describe(&window.syntax, base));
        true
    });
    // Text that starts like UTF-16 is left to the whole reader.
    if pubconv::read::unmarked_utf16(text.as_bytes()).is_some() {
        return;
    }
    read.expect("UTF-8 text in memory reads");
    expected.sort();
    windowed.sort();
    assert_eq!(windowed, expected, "windows of {chunk} bytes on:\n{text}");
}

/// What a parse found, one line per block or error, offsets counted from
/// the start of the file (`base` is where the parsed text starts).
fn describe(parsed: &pubconv::read::bibtex::syntax::Syntax<'_>, base: usize) -> Vec<String> {
    use pubconv::read::bibtex::syntax::{Block, Piece, Value};
    let value = |value: &Value<'_>| -> Vec<String> {
        value
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => format!("{text:?}"),
                Piece::Macro { name, offset } => format!("{name}@{}", base + offset),
            })
            .collect()
    };
    let blocks = parsed.blocks.iter().map(|block| match block {
        Block::Entry(entry) => {
            let fields: Vec<String> = entry
                .fields
                .iter()
                .map(|field| {
                    format!(
                        "{}@{} {:?}",
                        field.name,
                        base + field.offset,
                        value(&field.value)
                    )
                })
                .collect();
            format!(
                "entry {} {} @{} {fields:?}",
                entry.kind,
                entry.key,
                base + entry.offset
            )
        }
        Block::String(string) => {
            format!(
                "string {} @{} {:?}",
                string.name,
                base + string.offset,
                value(&string.value)
            )
        }
        Block::Preamble(preamble) => format!("preamble {:?}", value(preamble)),
        Block::Comment => "comment".to_owned(),
    });
    let errors = parsed
        .errors
        .iter()
        .map(|error| format!("error @{} {}", base + error.offset, error.message));
    blocks.chain(errors).collect()
}
