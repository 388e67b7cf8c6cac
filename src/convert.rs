//! One conversion: inputs read, combined into one library, completed from
//! web services when asked (`lookup`), written in one output format; or
//! one file converted as it is read ([`convert_streaming`]). Both write
//! through the same sink (`sink`), work by work. The binary calls this;
//! scripts using the library can too.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Library, Profile};
use crate::read::bibtex::stream::{EntryAt, Outline};
use crate::read::{self, InputFormat, ReadOptions, Source};
use crate::write::{self, OutputFormat};

mod several;
mod sink;
mod streaming;
pub use several::convert_streaming_several;
pub use streaming::{convert_streaming, convert_streaming_text, Streamed};

/// One input as the user named it, with its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// `-` for standard input.
    pub name: String,
    /// The path, if it is a file (used to guess the format).
    pub path: Option<PathBuf>,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Request {
    /// `None` guesses each input's format from its name and content.
    pub from: Option<InputFormat>,
    pub to: OutputFormat,
    pub read: ReadOptions,
    pub write: write::Options,
    /// Merge the same work read from several inputs into one.
    pub merge: bool,
    /// The services to complete works from; by default none, and no
    /// network.
    pub lookup: crate::lookup::Options,
}

/// A finished conversion.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub output: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Works written to the output.
    pub written: usize,
    /// Entries that could not be converted, each with an error diagnostic.
    pub skipped: usize,
}

impl Conversion {
    /// 0 when everything converted, 1 when some entries were skipped or
    /// nothing was written.
    pub fn exit_status(&self) -> i32 {
        i32::from(self.skipped > 0 || self.written == 0)
    }
}

/// Reads every input and writes them as one library. Fails, with nothing
/// written, only when an input's format cannot be told.
pub fn convert(inputs: &[Input], request: &Request) -> Result<Conversion, Diagnostic> {
    convert_with_progress(inputs, request, &mut |_: &Input| {})
}

/// [`convert`], calling `input_read` as each input is read, for a progress bar
/// (lookups tell theirs through [`crate::lookup::Options::progress`]).
pub fn convert_with_progress(
    inputs: &[Input],
    request: &Request,
    input_read: &mut dyn FnMut(&Input),
) -> Result<Conversion, Diagnostic> {
    let (library, mut diagnostics, origins) = read_located(inputs, request, input_read)?;
    let skipped = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .count();
    let mut output = Vec::new();
    let mut report = |diagnostic| diagnostics.push(diagnostic);
    let written = write_library(
        library,
        &origins,
        inputs,
        request,
        skipped,
        &mut output,
        &mut report,
    )
    .map_err(|error| {
        Diagnostic::new(Severity::Error, "output::failed", error.to_string())
            .hint("report this as a bug in pubconv")
    })?;
    // Every writer writes UTF-8.
    let output = String::from_utf8(output)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    Ok(Conversion {
        output,
        written,
        diagnostics,
        skipped,
    })
}

/// Writes a library read whole through the same [`sink::Sink`] a stream
/// goes through, each work placed where `origins` say it was read;
/// `skipped` entries had errors. Returns how many works were written.
fn write_library(
    mut library: Library,
    origins: &[Origin],
    inputs: &[Input],
    request: &Request,
    skipped: usize,
    out: &mut dyn std::io::Write,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<usize> {
    let keys = crate::key::citation_keys(&library.works, &request.write.key_pattern);
    let works = std::mem::take(&mut library.works);
    let outline = std::sync::Arc::new(Outline::of_list(
        std::mem::take(&mut library.preambles),
        std::mem::take(&mut library.strings),
        Vec::new(),
    ));
    let prepare = sink::Prepare::new(request, library.profile.as_ref());
    let mut sink = sink::Sink::new(&prepare, out);
    let locate = |at: EntryAt| match origins.get(at.offset() as usize) {
        Some(&(input, line)) => (inputs.get(input).map_or("", |input| &input.name[..]), line),
        None => ("", 0),
    };
    // Each work is made next to the one before where the output can
    // join them, a few hundred at a time, as a stream's window is.
    let mut pending = None;
    for (index, (work, key)) in works.into_iter().zip(keys).enumerate() {
        let at = EntryAt::new(0, index as u64);
        let next_to = pending.as_mut().filter(|_| index % 256 != 0);
        if let Some(made) = prepare.make(work, Some(key), at, Some(&outline), next_to) {
            if let Some(before) = pending.replace(made) {
                sink.take(before, &outline, &locate, report);
            }
        }
    }
    if let Some(last) = pending {
        sink.take(last, &outline, &locate, report);
    }
    sink.finish(Some(&outline), skipped, report)
}

/// The warning for an output without a work, saying why: every entry had
/// an error, the inputs held none, or the options chose none of them.
pub fn nothing_written(read: usize, skipped: usize, request: &Request) -> Diagnostic {
    let (message, hint) = if read > 0 {
        let filters = request.write.markdown.filters().join(" ");
        (
            format!("nothing was written: none of the {read} works read matched {filters}"),
            "widen or drop those options",
        )
    } else if skipped > 0 {
        (
            "nothing was written: every entry had an error (see above)".to_owned(),
            "fix the entries the errors name",
        )
    } else {
        (
            "nothing was written: the inputs hold no works".to_owned(),
            "check that these are the files you meant, and their format (--from)",
        )
    };
    Diagnostic::new(Severity::Warning, "output::empty", message).hint(hint)
}

/// Reads every input into one library, completed from web services when
/// the request asks, with what the readers and the lookups reported.
/// Fails only when an input's format cannot be told.
pub fn read_all(
    inputs: &[Input],
    request: &Request,
) -> Result<(Library, Vec<Diagnostic>), Diagnostic> {
    read_all_with_progress(inputs, request, &mut |_: &Input| {})
}

/// [`read_all`], calling `input_read` as each input is read.
pub fn read_all_with_progress(
    inputs: &[Input],
    request: &Request,
    input_read: &mut dyn FnMut(&Input),
) -> Result<(Library, Vec<Diagnostic>), Diagnostic> {
    read_located(inputs, request, input_read)
        .map(|(library, diagnostics, _)| (library, diagnostics))
}

/// Where a work was read: the index of its input, and its line there (0
/// where the reader does not say).
type Origin = (usize, usize);

/// [`read_all_with_progress`], with where each work was read.
fn read_located(
    inputs: &[Input],
    request: &Request,
    input_read: &mut dyn FnMut(&Input),
) -> Result<(Library, Vec<Diagnostic>, Vec<Origin>), Diagnostic> {
    let mut library = Library::default();
    let mut diagnostics = Vec::new();
    let mut origins = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        if let Some(kind) = read::binary_kind(&input.bytes) {
            return Err(Diagnostic::new(
                Severity::Error,
                "input::not-text",
                format!("this input is {kind}, not a publication list"),
            )
            .at(&input.name, 0, 0)
            .hint(format!(
                "pubconv reads text: {}; export the list in one of them",
                format_names()
            )));
        }
        let (text, decoding) = read::decode(&input.bytes, &input.name);
        diagnostics.extend(decoding);
        let format = match request.from {
            Some(format) => format,
            None => InputFormat::detect(input.path.as_deref(), &text).ok_or_else(|| {
                Diagnostic::new(
                    Severity::Error,
                    "input::unknown-format",
                    format!(
                        "cannot tell what format this input is in: {}",
                        read::describe(&text)
                    ),
                )
                .at(&input.name, 0, 0)
                .hint(format!("name it with --from ({})", format_names()))
            })?,
        };
        // JSON that is plainly something else (an API's reply, a
        // package.json) is no list of works, whatever --from says.
        if format == InputFormat::CslJson {
            if let Some(keys) =
                read::csl::other_json_keys(text.trim_start_matches('\u{feff}').trim())
            {
                let what = match keys.as_str() {
                    "" => "an empty object".to_owned(),
                    keys => format!("an object with the keys {keys}"),
                };
                return Err(Diagnostic::new(
                    Severity::Error,
                    "input::not-csl",
                    format!("this input is JSON, but not CSL-JSON: {what}, not CSL items"),
                )
                .at(&input.name, 0, 0)
                .hint("CSL-JSON is an array of items (objects with an `id` and a `type`), as Zotero and pandoc export them"));
            }
        }
        let source = Source {
            name: &input.name,
            text: &text,
        };
        let reading = format.read(source, &request.read);
        diagnostics.extend(reading.diagnostics);
        // Where each work is, for the notes on works merged.
        let works = reading.library.works.len();
        if reading.offsets.len() == works {
            let lines = read::LineIndex::new(&text);
            origins.extend(
                reading
                    .offsets
                    .iter()
                    .map(|&offset| (index, lines.line(offset))),
            );
        } else {
            origins.extend(std::iter::repeat_n((index, 0), works));
        }
        merge(&mut library, reading.library, &input.name, &mut diagnostics);
        input_read(input);
    }
    if request.merge {
        let names: Vec<String> = inputs.iter().map(|input| input.name.clone()).collect();
        diagnostics.extend(crate::merge::merge_duplicates(
            &mut library.works,
            &mut origins,
            &names,
        ));
    }
    diagnostics.extend(crate::lookup::complete(&mut library.works, &request.lookup));
    Ok((library, diagnostics, origins))
}

/// Adds one input's library to the combined one.
fn merge(into: &mut Library, from: Library, name: &str, diagnostics: &mut Vec<Diagnostic>) {
    into.works.extend(from.works);
    into.preambles.extend(from.preambles);
    into.strings.extend(from.strings);
    lead_profile(&mut into.profile, from.profile, name, diagnostics);
}

/// Only one profile can lead a CV section: the first one read. Another
/// of someone else, read from input `name`, is said to be left.
fn lead_profile(
    lead: &mut Option<Profile>,
    other: Option<Profile>,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match (lead.as_ref(), other) {
        (None, other) => *lead = other,
        (Some(kept), Some(other)) if kept.name != other.name => diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "input::second-profile",
                format!(
                    "this profile is of {}, but {} was read first and is the one the output names",
                    other.name, kept.name
                ),
            )
            .at(name, 0, 0),
        ),
        _ => {}
    }
}

fn format_names() -> String {
    InputFormat::ALL
        .iter()
        .map(|format| format.name())
        .collect::<Vec<_>>()
        .join(", ")
}
