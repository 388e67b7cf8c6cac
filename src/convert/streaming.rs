//! One file converted as it is read ([`convert_streaming`]): the format's
//! reader hands works on a window at a time, each made ready for the
//! output side by side ([`Prepare`]), and the [`Sink`] takes them in file
//! order.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use super::sink::{Made, Prepare, Sink};
use super::Request;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Profile, Work};
use crate::read::bibtex::stream::{self, Bytes, EntryAt, Outline};
use crate::read::bibtex::windows::WindowError;
use crate::read::{self, InputFormat};
use crate::write::OutputFormat;

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

/// Converts one BibTeX or CSL-JSON file as it reads it, in memory bounded
/// by its largest entry and a small record per entry (for a CV section,
/// also its items' text; for a citation style, the works). The output is
/// the same as [`convert`](super::convert)'s, written by the same
/// writing half; diagnostics go to `report` as they are found, in file order.
///
/// A list that marks its owner (`\underline{Ada Lovelace}`) is read for
/// its marks first, where the output needs the owner from the first work
/// on.
///
/// `Ok(None)`, with nothing written or reported, when the file cannot be
/// streamed (another format, not UTF-8): then read it whole and
/// [`convert`](super::convert) it.
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
    // A file that cannot be opened is left to the whole reading, which
    // says so as it says for every input.
    let format = match streamed_format(bytes, request.from) {
        Ok(Some(format)) => format,
        _ => return Ok(None),
    };
    let streamed = match convert_read(bytes, name, format, request, None, out, report) {
        // A list that marks its owner (`\underline{Ada Lovelace}`), for an
        // output that needs the owner from the first work on (BibLaTeX
        // marks them, a CV sets them in bold): nothing was written or
        // reported. The file is read once for its marks alone, then
        // converted with its owner known.
        Err(WindowError::ReadWhole) if format == InputFormat::Bibtex => {
            match read::bibtex::owner_of(bytes, name) {
                Ok(Some(owner)) => {
                    convert_read(bytes, name, format, request, Some(&owner), out, report)
                }
                Ok(None) => Err(WindowError::ReadWhole),
                Err(error) => Err(error),
            }
        }
        streamed => streamed,
    };
    match streamed {
        Ok(streamed) => Ok(Some(streamed)),
        Err(WindowError::NotUtf8(_) | WindowError::ReadWhole) => Ok(None),
        Err(WindowError::Io(error)) => Err(error),
    }
}

/// Converts the file, a list owned by `owner` if it marks one; a list
/// that marks its owner is refused (`ReadWhole`) when no owner is given
/// and the output needs it, with nothing written or reported.
fn convert_read(
    bytes: Bytes<'_>,
    name: &str,
    format: InputFormat,
    request: &Request,
    owner: Option<&Profile>,
    out: &mut dyn Write,
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Streamed, WindowError> {
    let prepare = Prepare::new(request, owner).looking_up();
    let mut sink = Sink::new(&prepare, out);
    let mut skipped = 0;
    // The reading and the writing both report, in file order.
    let report = std::cell::RefCell::new(report);
    let make = |work, unique_key, at, outline: Option<&Outline>, last: Option<&mut Made>| {
        prepare.make(work, unique_key, at, outline, last)
    };
    let mut each = |made: Made, outline: &Arc<Outline>| {
        let locate = |at: EntryAt| (name, outline.line(at));
        sink.take(made, outline, &locate, &mut *report.borrow_mut());
    };
    let mut reported = |diagnostic: Diagnostic| {
        skipped += usize::from(diagnostic.severity == Severity::Error);
        (report.borrow_mut())(diagnostic);
    };
    // Marks are read where the output has no use for the owner, or where
    // the owner is known.
    let owner_marks =
        owner.is_some() || matches!(request.to, OutputFormat::CslJson | OutputFormat::Bibtex);
    let (mut marking, mut entries_marked) = (None, 0);
    let outline = match format {
        InputFormat::CslJson => {
            read::csl::stream::works_of(bytes, name, &make, &mut each, &mut reported)
        }
        _ => {
            let input = stream::Input {
                bytes,
                name,
                owner_marks,
                written_with_strings: prepare.writes_with_strings(),
            };
            let mut marked = |mark: stream::Marked| {
                entries_marked += 1;
                marking.get_or_insert(mark);
            };
            stream::works_of(input, &make, &mut each, &mut marked, &mut reported)
        }
    }?;
    let report = report.into_inner();
    if let Some(first) = marking {
        report(read::bibtex::marked_owner(first, entries_marked).1);
    }
    let written = sink
        .finish(outline.as_deref(), skipped, report)
        .map_err(WindowError::Io)?;
    Ok(Streamed { written, skipped })
}

/// Reads a BibTeX or CSL-JSON file as [`stream::works`] does, each entry
/// that marks the list's owner calling `marked`.
pub(super) fn read_works<T: Send>(
    bytes: Bytes<'_>,
    name: &str,
    format: InputFormat,
    make: &stream::Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
    marked: &mut dyn FnMut(stream::Marked),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    match format {
        InputFormat::CslJson => read::csl::stream::works_of(bytes, name, make, each, report),
        _ => {
            let input = stream::Input {
                bytes,
                name,
                owner_marks: true,
                written_with_strings: false,
            };
            stream::works_of(input, make, each, marked, report)
        }
    }
}

/// Works [`read_works`] read, read again alone by their offsets (as
/// [`EntryAt`] gives them), their problems not reported again.
pub(super) enum WorksAt<'a> {
    Bibtex(stream::EntriesAt<'a>),
    CslJson(read::csl::stream::ItemsAt<'a>),
}

impl<'a> WorksAt<'a> {
    /// For an input read with [`read_works`], which gave `outline`.
    pub(super) fn new(
        bytes: Bytes<'a>,
        name: &'a str,
        format: InputFormat,
        outline: &'a Outline,
    ) -> Self {
        match format {
            InputFormat::CslJson => WorksAt::CslJson(read::csl::stream::ItemsAt::new(bytes, name)),
            _ => {
                let input = stream::Input {
                    bytes,
                    name,
                    owner_marks: true,
                    written_with_strings: false,
                };
                WorksAt::Bibtex(stream::EntriesAt::new(input, outline))
            }
        }
    }

    /// The work at `offset`; `None` for an entry that is no work.
    pub(super) fn work(&mut self, offset: u64) -> Result<Option<Work>, WindowError> {
        match self {
            WorksAt::Bibtex(entries) => entries.work(offset),
            WorksAt::CslJson(items) => items.work(offset),
        }
    }
}

/// The format the file is to be read in, if it is one read as it is
/// streamed (BibTeX, CSL-JSON): as `--from` says, else as its name and
/// first lines suggest. Not a file that is not text: the whole reading
/// refuses it, saying what it is.
pub(super) fn streamed_format(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::bibtex::syntax::tests::collect_files;

    /// Each work [`read_works`] reads, read again alone where it says the
    /// work is: the same work.
    fn reads_again_as_read(bytes: Bytes<'_>, format: InputFormat) -> usize {
        let make =
            |work: Work, _, at: EntryAt, _: Option<&Outline>, last: Option<&mut Vec<_>>| match last
            {
                Some(works) => {
                    works.push((at.offset(), work));
                    None
                }
                None => Some(vec![(at.offset(), work)]),
            };
        let mut works = Vec::new();
        let mut each = |made: Vec<(u64, Work)>, _: &Arc<Outline>| works.extend(made);
        let read = read_works(
            bytes,
            "test",
            format,
            &make,
            &mut each,
            &mut |_| {},
            &mut |_| {},
        );
        let Ok(Some(outline)) = read else {
            return 0;
        };
        let mut again = WorksAt::new(bytes, "test", format, &outline);
        for (offset, work) in &works {
            let again = again.work(*offset).unwrap();
            assert_eq!(again.as_ref(), Some(work), "at {offset}");
        }
        works.len()
    }

    #[test]
    fn a_work_read_again_alone_is_the_work_read() {
        let texts = [
            // Parents, `@string`s defined later, accents, CRLF, a BOM, an
            // entry left open, two entries on one line, `@xdata`.
            "\u{feff}@string{j = {Jöurnal}}\r\n@article{a, crossref = {p}, author = {Ödön Ñame}, journal = j # { X}}\r\n\
             @misc{open, title = {never closed\r\n@book{p, title = {Parent}, publisher = pub, xdata = {x}}\r\n\
             @xdata{x, year = 2001}\r\n@misc{b, title = {B}} @misc{c, title = {C}, note = {ç}}\r\n\
             @string{pub = {Pub}}\r\n",
            "@misc{only, title = {Only}}",
        ];
        // A parent and a work longer than what is read of them at first,
        // accents across where that ends, with no line after them that
        // starts an entry.
        let long = format!(
            "@misc{{child, crossref = {{parent}}}}\n@proceedings{{parent, title = {{{}}}}}\n\
             @misc{{last, note = {{{}}}}}",
            "é ".repeat(3000),
            "ü".repeat(5000)
        );
        for (text, works) in texts.into_iter().chain([long.as_str()]).zip([4, 1, 3]) {
            assert_eq!(
                reads_again_as_read(Bytes::Text(text), InputFormat::Bibtex),
                works
            );
        }
        let items = "[\r\n  {\"id\": \"a\", \"type\": \"book\", \"title\": \"Ä {[\\\"\"},\r\n  \
             {\"type\": \"report\"}, {\"id\": \"c\", \"title\": \"C\"}\r\n]";
        assert_eq!(
            reads_again_as_read(Bytes::Text(items), InputFormat::CslJson),
            3
        );
    }

    #[test]
    fn every_work_of_the_fixtures_and_corpus_read_again_alone_is_the_work_read() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = root.join("../shared/corpus");
        // The fixtures hold some twenty works; the corpus, tens of thousands.
        let least = match corpus.is_dir() {
            true => 10_000,
            false => {
                eprintln!("{} is absent: only the fixtures are read", corpus.display());
                20
            }
        };
        let mut read = 0;
        for (extension, format) in [("bib", InputFormat::Bibtex), ("json", InputFormat::CslJson)] {
            let mut files = Vec::new();
            for dir in [root.join("fixtures"), corpus.clone()] {
                collect_files(&dir, extension, &mut files);
            }
            for file in files {
                read += reads_again_as_read(Bytes::File(&file), format);
            }
        }
        assert!(read >= least, "{read} works read again");
    }
}
