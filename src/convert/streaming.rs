//! One file converted as it is read ([`convert_streaming`]): the format's
//! reader hands works on a window at a time, and a [`Sink`] takes them:
//! CSL-JSON rendered side by side, `.bib` entries written in order, a CV
//! section's items drafted side by side and written at the end.

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::sync::Arc;

use super::{nothing_written, Request};
use crate::diagnostic::{Diagnostic, Severity};
use crate::key::KeyAssigner;
use crate::model::Work;
use crate::read::bibtex::stream::{self, Bytes, EntryAt, Outline};
use crate::read::bibtex::windows::WindowError;
use crate::read::{self, InputFormat};
use crate::write::{self, OutputFormat};

/// What [`convert_streaming`] did.
#[derive(Debug, Clone, Copy)]
pub struct Streamed {
    /// Works written to the output.
    pub written: usize,
    /// Entries that could not be converted, each with an error diagnostic.
    pub skipped: usize,
}

impl Streamed {
    /// 0 when everything converted, 1 when some entries were skipped or
    /// nothing was written.
    pub fn exit_status(&self) -> i32 {
        i32::from(self.skipped > 0 || self.written == 0)
    }
}

/// Converts one file as it reads it, in memory bounded by its largest
/// entry and a small record per entry, when it can: a UTF-8 BibTeX file
/// to CSL-JSON (works rendered side by side, see
/// [`OutputFormat::stream_writer`]), BibTeX or BibLaTeX (works written in
/// order after the file's `@string`s). The output is the same as
/// [`convert`](super::convert)'s; diagnostics go to `report` as they are found, those of
/// the entries in file order after those of the file's syntax.
///
/// `Ok(None)`, with nothing written or reported, when the file cannot be
/// streamed: then read it whole and [`convert`](super::convert) it.
pub fn convert_streaming(
    path: &Path,
    name: &str,
    request: &Request,
    out: &mut dyn Write,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<Option<Streamed>> {
    stream(Bytes::File(path), name, request, out, report)
}

/// [`convert_streaming`] of a text already in memory (standard input):
/// the memory it takes beyond the text is bounded as for a file.
pub fn convert_streaming_text(
    text: &str,
    name: &str,
    request: &Request,
    out: &mut dyn Write,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<Option<Streamed>> {
    stream(Bytes::Text(text), name, request, out, report)
}

fn stream(
    bytes: Bytes<'_>,
    name: &str,
    request: &Request,
    out: &mut dyn Write,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<Option<Streamed>> {
    let dialect = match request.to {
        OutputFormat::Bibtex => Some(write::bibtex::Dialect::Bibtex),
        OutputFormat::Biblatex => Some(write::bibtex::Dialect::Biblatex),
        _ => None,
    };
    // A CV section is sorted and grouped: each work is drafted where it is
    // read (chosen or not, its item spelt), and the section written at
    // the end. (A citation style renders the list as a whole: read whole.)
    let drafter = request
        .to
        .section_writer()
        .filter(|_| request.write.style.is_none())
        .map(|writer| {
            let highlight = request.write.markdown.highlight.clone();
            let drafter = write::cv::Drafter::new(&request.write, writer.spell_item, highlight);
            (drafter, writer.write)
        });
    let mut sink = match (request.to.stream_writer(), dialect, &drafter) {
        (Some(writer), _, _) => Sink::SideBySide(writer),
        (None, Some(dialect), _) => Sink::InOrder {
            dialect,
            opened: false,
            after: false,
        },
        (None, None, Some((drafter, write))) => Sink::Section {
            collector: write::cv::Collector::new(drafter, None),
            write: *write,
        },
        (None, None, None) => return Ok(None),
    };
    // A file that cannot be opened is left to the whole reading, which
    // says so as it says for every input.
    let format = match streamed_format(bytes, request.from) {
        Ok(Some(format)) => format,
        _ => return Ok(None),
    };

    let mut skipped = 0;
    // The reading and the writing both report, in file order.
    let report = std::cell::RefCell::new(report);
    // Works rendered side by side: a work whose own key no other work
    // has keeps it, so it is rendered there and then, after the works
    // rendered before it in its window. The few others (a repeated or
    // missing key) get their key here, in order.
    let render = match &sink {
        Sink::SideBySide(writer) => Some((writer.render, writer.separator)),
        Sink::InOrder { .. } | Sink::Section { .. } => None,
    };
    // A `.bib` entry is written with the file's `@string`s, known when the
    // first pass ends: from then on, side by side with the file's writer.
    // One read before is drafted as if the file had none, and the draft
    // is the entry if it has none.
    let bib = std::sync::OnceLock::new();
    let bib_writer = |dialect, outline: &Outline| -> &write::bibtex::Writer {
        bib.get_or_init(|| {
            let owner = request.write.markdown.highlight.clone();
            write::bibtex::Writer::new(dialect, &request.write, owner, &outline.strings)
        })
    };
    let no_strings = dialect.map(|dialect| {
        let owner = request.write.markdown.highlight.clone();
        write::bibtex::Writer::new(dialect, &request.write, owner, &[])
    });
    // Buffers already written out, for later windows: memory touched once
    // is cheaper to write than fresh memory.
    let spare = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
    let take_spare = || {
        let spare = spare.lock().ok().and_then(|mut spare| spare.pop());
        spare.unwrap_or_default()
    };
    let make = |work: Work,
                unique_key: Option<String>,
                at: EntryAt,
                outline: Option<&Outline>,
                last: Option<&mut Made>| {
        if let Some((drafter, _)) = &drafter {
            return Some(match drafter.draft(&work, unique_key.as_deref()) {
                Some(draft) => Made::Drafted(draft),
                None => Made::Entry(Box::new(Entry {
                    work,
                    unique_key,
                    at,
                    draft: None,
                })),
            });
        }
        let Some((render, separator)) = render else {
            if let (Some(dialect), Some(outline), Some(key)) = (dialect, outline, &unique_key) {
                let mut fresh = None;
                let entries = match last {
                    Some(Made::Entries(entries)) => {
                        entries.text.push('\n');
                        entries
                    }
                    // A spare buffer is empty, so it is text.
                    _ => fresh.insert(Entries {
                        text: String::from_utf8(take_spare()).unwrap_or_default(),
                        ..Entries::default()
                    }),
                };
                entries.add(bib_writer(dialect, outline), &work, key, at);
                return fresh.map(Made::Entries);
            }
            let draft = no_strings.as_ref().filter(|_| outline.is_none());
            let draft = draft.zip(unique_key.as_ref()).map(|(draft, key)| {
                let (mut text, mut lost) = (String::new(), Vec::new());
                draft.entry(&work, key, false, &mut text, &mut lost);
                (text, lost)
            });
            return Some(Made::Entry(Box::new(Entry {
                work,
                unique_key,
                at,
                draft,
            })));
        };
        match (unique_key, last) {
            (Some(key), Some(Made::Rendered(rendered))) => {
                rendered.bytes.extend_from_slice(separator);
                render(&work, key, &mut rendered.bytes);
                rendered.works += 1;
                None
            }
            (Some(key), _) => {
                let mut bytes = take_spare();
                render(&work, key, &mut bytes);
                Some(Made::Rendered(Rendered::new(bytes, 1)))
            }
            // Rare: a work whose key is another's too waits for its key.
            (None, _) => Some(Made::Work(Box::new(work))),
        }
    };
    let mut keys = None;
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let mut written = 0;
    let mut failure = None;
    let mut each = |made: Made, outline: &Arc<Outline>| {
        let mut key_of = |work: &Work, unique_key: Option<String>| {
            unique_key.unwrap_or_else(|| {
                let keys = keys.get_or_insert_with(|| {
                    let outline = outline.clone();
                    let own = move |folded: &str| outline.works_with_key(folded);
                    KeyAssigner::new(&request.write.key_pattern, Box::new(own))
                });
                keys.next(work)
            })
        };
        let rendered = match (made, &mut sink) {
            (Made::Drafted(draft), Sink::Section { collector, .. }) => {
                collector.add_draft(draft);
                return;
            }
            (Made::Entry(entry), Sink::Section { collector, .. }) => {
                let key = key_of(&entry.work, entry.unique_key);
                collector.add(&entry.work, &key);
                return;
            }
            (Made::Rendered(rendered), _) => rendered,
            (
                Made::Entries(entries),
                Sink::InOrder {
                    dialect,
                    opened,
                    after,
                },
            ) => {
                let writer = bib_writer(*dialect, outline);
                let mut lost = Vec::new();
                let before = start_entry(writer, outline, opened, after, &mut lost);
                let mut report = report.borrow_mut();
                lost.into_iter().for_each(&mut *report);
                for (at, diagnostic) in entries.lost {
                    report(place(diagnostic, name, outline.line(at)));
                }
                Rendered {
                    before,
                    bytes: entries.text.into_bytes(),
                    works: entries.works,
                }
            }
            (Made::Work(work), Sink::SideBySide(writer)) => {
                let mut bytes = Vec::new();
                (writer.render)(&work, key_of(&work, None), &mut bytes);
                Rendered::new(bytes, 1)
            }
            (
                Made::Entry(entry),
                Sink::InOrder {
                    dialect,
                    opened,
                    after,
                },
            ) => {
                let Entry {
                    work,
                    unique_key,
                    at,
                    draft,
                } = *entry;
                let writer = bib_writer(*dialect, outline);
                let mut lost = Vec::new();
                let before = start_entry(writer, outline, opened, after, &mut lost);
                let (text, entry_lost) = match draft {
                    Some(draft) if outline.strings.is_empty() => draft,
                    _ => {
                        let key = key_of(&work, unique_key);
                        let (mut text, mut lost) = (String::new(), Vec::new());
                        writer.entry(&work, &key, false, &mut text, &mut lost);
                        (text, lost)
                    }
                };
                let line = outline.line(at);
                for diagnostic in lost.into_iter().chain(entry_lost) {
                    (report.borrow_mut())(place(diagnostic, name, line));
                }
                Rendered {
                    before,
                    bytes: text.into_bytes(),
                    works: 1,
                }
            }
            (Made::Work(_), Sink::InOrder { .. } | Sink::Section { .. })
            | (Made::Entry(_), Sink::SideBySide(_))
            | (Made::Drafted(_), Sink::SideBySide(_) | Sink::InOrder { .. })
            | (Made::Entries(_), Sink::SideBySide(_) | Sink::Section { .. }) => {
                unreachable!("`make` hands on what the sink takes")
            }
        };
        written += rendered.works;
        let pushed = match &mut sink {
            Sink::SideBySide(writer) => writer.push(&mut out, &rendered.bytes),
            Sink::InOrder { .. } | Sink::Section { .. } => out
                .write_all(&rendered.before)
                .and_then(|()| out.write_all(&rendered.bytes)),
        };
        if let Err(error) = pushed {
            failure.get_or_insert(error);
        }
        // One grown far past the usual room (a huge entry) is let go:
        // memory stays bounded by the largest entry, not a multiple.
        let mut bytes = rendered.bytes;
        let usual = (RENDERED_CAPACITY / 4..=2 * RENDERED_CAPACITY).contains(&bytes.capacity());
        if let (true, Ok(mut spare)) = (usual, spare.lock()) {
            if spare.len() < SPARE_BUFFERS {
                bytes.clear();
                spare.push(bytes);
            }
        }
    };
    let mut reported = |diagnostic: Diagnostic| {
        skipped += usize::from(diagnostic.severity == Severity::Error);
        (report.borrow_mut())(diagnostic);
    };
    // A list that marks its owner (`\underline{Ada Lovelace}`) streams
    // where the output has no use for the owner; the others need the
    // owner from the first work on, and read such a list whole.
    let owner_marks = matches!(request.to, OutputFormat::CslJson | OutputFormat::Bibtex);
    let (mut owner, mut entries_marked) = (None, 0);
    let read = match format {
        InputFormat::CslJson => {
            read::csl::stream::works_of(bytes, name, &make, &mut each, &mut reported)
        }
        _ => {
            let input = stream::Input {
                bytes,
                name,
                owner_marks,
            };
            let mut marked = |mark: stream::Marked| {
                entries_marked += 1;
                owner.get_or_insert(mark);
            };
            stream::works_of(input, &make, &mut each, &mut marked, &mut reported)
        }
    };
    let report = report.into_inner();
    let outline = match read {
        Err(WindowError::NotUtf8(_) | WindowError::ReadWhole) => return Ok(None),
        Err(WindowError::Io(error)) => return Err(error),
        Ok(outline) => outline,
    };
    if let Some(error) = failure {
        return Err(error);
    }
    if let Some(first) = owner {
        report(read::bibtex::marked_owner(first, entries_marked).1);
    }
    match sink {
        Sink::SideBySide(writer) => writer.finish(&mut out)?,
        // A file without works still has its preambles and strings.
        Sink::InOrder {
            dialect,
            opened: false,
            ..
        } => {
            if let Some(outline) = outline {
                let mut lost = Vec::new();
                let header = bib_writer(dialect, &outline).header(&outline.preambles, &mut lost);
                out.write_all(header.as_bytes())?;
                lost.into_iter().for_each(&mut *report);
            }
        }
        Sink::InOrder { .. } => {}
        Sink::Section { collector, write } => {
            // Said before the section, as when the file is read whole.
            let (read, shown) = collector.counts();
            if shown == 0 {
                report(nothing_written(read, skipped, request));
            }
            // Written group by group: the section's texts are not copied
            // into one more text.
            let mut text = IoText {
                out: &mut out,
                error: None,
            };
            if write(&collector.section(), &request.write, &mut text).is_err() {
                return Err(text
                    .error
                    .unwrap_or_else(|| std::io::Error::other("formatting failed")));
            }
            out.flush()?;
            return Ok(Some(Streamed {
                written: shown,
                skipped,
            }));
        }
    }
    out.flush()?;
    if written == 0 {
        report(nothing_written(0, skipped, request));
    }
    Ok(Some(Streamed { written, skipped }))
}

/// Where streamed works go.
enum Sink<'d, 'r> {
    /// Rendered side by side, joined by fixed text.
    SideBySide(write::StreamWriter),
    /// Written one by one, in order, after the file's `@string`s.
    InOrder {
        dialect: write::bibtex::Dialect,
        /// Whether the `@preamble`s and `@string`s were written.
        opened: bool,
        /// Whether anything was written yet.
        after: bool,
    },
    /// Gathered into a CV section, written at the end.
    Section {
        collector: write::cv::Collector<'d, 'r>,
        write: write::WriteSection,
    },
}

/// What goes before an entry's `.bib` text: the file's
/// `@preamble`s and `@string`s before the first, a blank line between two.
fn start_entry(
    writer: &write::bibtex::Writer,
    outline: &Outline,
    opened: &mut bool,
    after: &mut bool,
    lost: &mut Vec<Diagnostic>,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    if !*opened {
        let header = writer.header(&outline.preambles, lost);
        bytes.extend_from_slice(header.as_bytes());
        *after = !header.is_empty();
        *opened = true;
    }
    if *after {
        bytes.push(b'\n');
    }
    *after = true;
    bytes
}

/// Works as the second pass hands them on.
enum Made {
    Rendered(Rendered),
    /// Still to get its key.
    Work(Box<Work>),
    /// To be written in order, or to get its key first.
    Entry(Box<Entry>),
    /// Ready for a CV section.
    Drafted(write::cv::Draft),
    /// Entries of a file without `@string`s, one after another.
    Entries(Entries),
}

/// A work to be written in order: its own key if no other work has it,
/// where it is read, and its entry as drafted side by side (for a file
/// without `@string`s), with what the entry could not hold.
struct Entry {
    work: Work,
    unique_key: Option<String>,
    at: EntryAt,
    draft: Option<(String, Vec<Diagnostic>)>,
}

/// `.bib` entries written one after another, with what they could not
/// hold and where each entry is.
#[derive(Default)]
struct Entries {
    text: String,
    works: usize,
    lost: Vec<(EntryAt, Diagnostic)>,
}

impl Entries {
    fn add(&mut self, writer: &write::bibtex::Writer, work: &Work, key: &str, at: EntryAt) {
        let mut lost = Vec::new();
        writer.entry(work, key, false, &mut self.text, &mut lost);
        self.lost
            .extend(lost.into_iter().map(|diagnostic| (at, diagnostic)));
        self.works += 1;
    }
}

/// What the `.bib` writer said of an entry, placed at the entry's line
/// (what it said of the preamble and strings, or of a parent read from
/// elsewhere, is placed already).
fn place(diagnostic: Diagnostic, name: &str, line: usize) -> Diagnostic {
    let placed = !diagnostic.file.is_empty() || diagnostic.key.as_deref() == Some("");
    match placed {
        true => diagnostic,
        false => diagnostic.at(name, line, usize::from(line > 0)),
    }
}

/// Text written to an output as it comes, keeping the output's error
/// (which `fmt::Write` cannot carry).
struct IoText<'o> {
    out: &'o mut dyn Write,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for IoText<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.out.write_all(text.as_bytes()).map_err(|error| {
            self.error.get_or_insert(error);
            std::fmt::Error
        })
    }
}

/// Works rendered one after another, joined as the output joins them;
/// in a `.bib` output, after what goes before them.
struct Rendered {
    before: Vec<u8>,
    bytes: Vec<u8>,
    works: usize,
}

impl Rendered {
    fn new(bytes: Vec<u8>, works: usize) -> Rendered {
        Rendered {
            before: Vec::new(),
            bytes,
            works,
        }
    }
}

/// About the room a window's rendered works take: a 64 kB window of
/// BibTeX is about 100 kB of CSL-JSON. Written buffers of about this room
/// are used again (memory touched once is cheaper to write than fresh
/// memory); a fresh one starts empty and grows, since a window whose
/// works are broken up (by a diagnostic, a repeated key) starts several.
const RENDERED_CAPACITY: usize = 160 << 10;

/// How many written buffers (of a quarter to twice [`RENDERED_CAPACITY`])
/// wait to be used again.
const SPARE_BUFFERS: usize = 8;

/// The format the file is to be read in, if it is one read as it is
/// streamed (BibTeX, CSL-JSON): as `--from` says, else as its name and
/// first lines suggest. Not a file that is not text: the whole reading
/// refuses it, saying what it is.
fn streamed_format(
    bytes: Bytes<'_>,
    from: Option<InputFormat>,
) -> std::io::Result<Option<InputFormat>> {
    let path = match bytes {
        Bytes::File(path) => Some(path),
        Bytes::Text(_) => None,
    };
    let mut file = bytes.open()?;
    // A first look, at the first lines: a `.bib` file whose first entry is
    // there is settled without reading (and copying) more. BibTeX is told
    // by a line that starts an entry, which a longer look still has, so
    // the answer is the one the whole look gives.
    let mut head = Vec::with_capacity(FORMAT_LOOK);
    (&mut file).take(FIRST_LOOK).read_to_end(&mut head)?;
    if read::binary_kind(&head).is_some() {
        return Ok(None);
    }
    let streamed = |format: Option<InputFormat>| {
        format.filter(|format| matches!(format, InputFormat::Bibtex | InputFormat::CslJson))
    };
    if from.is_some() {
        return Ok(streamed(from));
    }
    let start = String::from_utf8_lossy(&head);
    if InputFormat::named_and_recognized(path, &start) == Some(InputFormat::Bibtex) {
        return Ok(Some(InputFormat::Bibtex));
    }
    file.take(FORMAT_LOOK as u64 - FIRST_LOOK)
        .read_to_end(&mut head)?;
    let text = String::from_utf8_lossy(&head);
    Ok(streamed(InputFormat::detect(path, &text)))
}

/// How much of a file's start tells its format.
const FORMAT_LOOK: usize = 1 << 16;

/// How much of it is looked at first.
const FIRST_LOOK: u64 = read::TEXT_LOOK as u64;
