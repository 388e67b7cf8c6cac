//! The BibTeX reader for files of any size: works come out one at a time,
//! and memory is bounded by the largest entry and its `crossref`/`xdata`
//! family, plus a small record per entry, not by the file's text.
//!
//! It reads the file twice, a window at a time
//! ([`windows`](super::windows)). The first pass gathers what any entry
//! may need from anywhere in the file: the `@string`s (entries see all of
//! them, also later ones) and, for every entry, its key (as 64-bit
//! hashes), offset and line: 32 bytes an entry, so that duplicate keys are
//! found and parents fetched by seeking. The second pass reads the same
//! windows again, several side by side, and turns each entry into a work
//! exactly as [`read_bibtex`](super::read_bibtex) does, the entry's parents
//! read back from the file by offset.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::OnceLock;

use super::inherit;
use super::syntax::{self, Block, Fields};
use super::windows::{for_each_window, Window, WindowError};
use super::{Macros, RawEntry, RawField, Reader};
use crate::diagnostic::Diagnostic;
use crate::model::Work;

/// What the first pass found: everything but the entries themselves.
pub struct Outline {
    macros: Macros<'static>,
    /// Every entry's key, sorted by hash, then by offset.
    keys: Vec<KeyRecord>,
    /// Hashes of the keys the works will cite by (BibTeX-safe, lower
    /// case), sorted.
    cite_keys: Vec<u64>,
    /// Where the first pass cut the file: the second reads the same
    /// windows, several side by side.
    windows: Vec<Span>,
    /// The file's length.
    length: u64,
}

/// A window of the file: its bytes and the line it starts on.
#[derive(Clone, Copy)]
struct Span {
    start: u64,
    end: u64,
    first_line: usize,
}

#[derive(Clone, Copy)]
struct KeyRecord {
    /// Of the key in lower case (BibTeX compares keys so).
    hash: u64,
    offset: u64,
    line: u32,
}

impl Outline {
    /// The first entry with this key, if any.
    fn first(&self, key: &str) -> Option<KeyRecord> {
        let hash = key_hash(key);
        let at = self.keys.partition_point(|record| record.hash < hash);
        self.keys
            .get(at)
            .filter(|record| record.hash == hash)
            .copied()
    }

    /// How many works have this own key (made BibTeX-safe, as
    /// [`crate::key`] has it; in any case, as keys are compared).
    pub fn works_with_key(&self, key: &str) -> usize {
        let hash = key_hash(key);
        let from = self.cite_keys.partition_point(|&other| other < hash);
        self.cite_keys[from..]
            .iter()
            .take_while(|&&other| other == hash)
            .count()
    }
}

fn key_hash(key: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    // Most keys are short ASCII: folded on the stack.
    let mut folded = [0u8; 64];
    match key.len() <= folded.len() && key.is_ascii() {
        true => {
            let folded = &mut folded[..key.len()];
            folded.copy_from_slice(key.as_bytes());
            folded.make_ascii_lowercase();
            hasher.write(folded);
        }
        false => hasher.write(key.to_lowercase().as_bytes()),
    }
    hasher.finish()
}

/// The first pass. Reports syntax errors and `@string` problems.
pub fn outline(
    path: &Path,
    name: &str,
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Outline, WindowError> {
    let file = File::open(path).map_err(WindowError::Io)?;
    let mut macros = Macros::new();
    let mut outline = Outline {
        macros: Macros::new(),
        keys: Vec::new(),
        cite_keys: Vec::new(),
        windows: Vec::new(),
        length: 0,
    };
    for_each_window(BufReader::new(file), WINDOW, Fields::Skipped, |window| {
        outline.windows.extend(spans(&window));
        outline.length = window.end;
        let lines = OnceLock::new();
        let mut reader = Reader::new(name, window.text, window.first_line, &lines);
        reader.report_syntax_errors(&window.syntax.errors);
        for block in &window.syntax.blocks {
            match block {
                Block::String(definition) => {
                    let value = reader.expand(&definition.value, &macros).into_owned();
                    macros.insert(definition.name, Cow::Owned(value));
                }
                // Read for what it reports: no streamed format writes it.
                Block::Preamble(value) => {
                    reader.expand(value, &macros);
                }
                Block::Entry(entry) => {
                    let hash = key_hash(entry.key);
                    outline.keys.push(KeyRecord {
                        hash,
                        offset: window.base + entry.offset as u64,
                        line: reader.line(entry.offset) as u32,
                    });
                    let cited = crate::key::safe(entry.key);
                    if !entry.kind.eq_ignore_ascii_case("xdata") && !cited.is_empty() {
                        let same = cited == entry.key;
                        outline
                            .cite_keys
                            .push(if same { hash } else { key_hash(&cited) });
                    }
                }
                Block::Comment => {}
            }
        }
        reader.diagnostics.into_iter().for_each(&mut *report);
        true
    })?;
    outline
        .keys
        .sort_by_key(|record| (record.hash, record.offset));
    outline.cite_keys.sort_unstable();
    outline.macros = macros;
    Ok(outline)
}

/// The second pass: turns every work into a `T` with `make` and calls
/// `each` with them in file order. The first pass's windows are read
/// again, several side by side ([`crate::parallel`]).
pub fn works<T: Send>(
    path: &Path,
    name: &str,
    outline: &Outline,
    make: &(dyn Fn(Work) -> T + Sync),
    each: &mut dyn FnMut(T),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<(), WindowError> {
    let mut result = Ok(());
    crate::parallel::map_in_order(
        &outline.windows,
        |&span| window_works(path, name, outline, span, make),
        |events| match events {
            Ok(events) => {
                for event in events {
                    match event {
                        Event::Made(made) => each(made),
                        Event::Reported(diagnostic) => report(diagnostic),
                    }
                }
                true
            }
            Err(error) => {
                result = Err(error);
                false
            }
        },
    );
    result
}

/// What the second pass found in a window, in order.
enum Event<T> {
    Made(T),
    Reported(Diagnostic),
}

/// The works of one window, with what was reported on the way.
fn window_works<T>(
    path: &Path,
    name: &str,
    outline: &Outline,
    span: Span,
    make: &(dyn Fn(Work) -> T + Sync),
) -> Result<Vec<Event<T>>, WindowError> {
    let text = read_span(path, span, outline.length)?;
    let limit = usize::try_from(span.end - span.start).unwrap_or(usize::MAX);
    // The span ends where the first pass found a block to start, so no
    // block before it runs on: the span reads as a text of its own.
    let (syntax, _) = syntax::parse_part(&text, limit, true, Fields::Kept);
    let mut parents = Parents::new(path, name, outline)?;
    let lines = OnceLock::new();
    let mut events = Vec::new();
    for block in syntax.blocks {
        let Block::Entry(entry) = block else {
            continue;
        };
        let mut reader = Reader::new(name, &text, span.first_line, &lines);
        let offset = span.start + entry.offset as u64;
        if let Some(first) = outline.first(entry.key).filter(|f| f.offset != offset) {
            reader.report_duplicate(entry.key, first.line as usize, entry.offset);
        }
        let raw = reader.raw_entry(entry, &outline.macros);
        let resolved = parents.family(raw, offset)?;
        for message in resolved.problems {
            reader.report_inheritance(&resolved.entry, message);
        }
        let work = (resolved.entry.kind != "xdata").then(|| reader.work(&resolved.entry));
        events.extend(reader.diagnostics.into_iter().map(Event::Reported));
        events.extend(work.map(|work| Event::Made(make(work))));
    }
    Ok(events)
}

/// The spans the second pass reads a window in: the window itself, or,
/// when it grew long (a long `@comment` that never closed holds it open),
/// pieces of it cut where an entry starts a line, so that the second pass
/// holds no more of it at once.
fn spans(window: &Window<'_>) -> Vec<Span> {
    let whole = Span {
        start: window.base,
        end: window.end,
        first_line: window.first_line,
    };
    let length = usize::try_from(window.end - window.base).unwrap_or(usize::MAX);
    if length <= 4 * WINDOW {
        return vec![whole];
    }
    let text = window.text.as_bytes();
    let starts_line = |at: usize| {
        let before = &text[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        before[line_start..]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
    };
    let mut spans = Vec::new();
    let (mut from, mut first_line) = (0usize, window.first_line);
    for block in &window.syntax.blocks {
        let Block::Entry(entry) = block else {
            continue;
        };
        if entry.offset >= from + WINDOW && entry.offset < length && starts_line(entry.offset) {
            spans.push(Span {
                start: window.base + from as u64,
                end: window.base + entry.offset as u64,
                first_line,
            });
            first_line += memchr::memchr_iter(b'\n', &text[from..entry.offset]).count();
            from = entry.offset;
        }
    }
    spans.push(Span {
        start: window.base + from as u64,
        end: window.end,
        first_line,
    });
    spans
}

/// A window's text as the first pass saw it: its bytes and the rest of
/// the line after it, where the next entry starts (the syntax layer looks
/// at that line to end a value that runs into it).
fn read_span(path: &Path, span: Span, length: u64) -> Result<String, WindowError> {
    let mut file = File::open(path).map_err(WindowError::Io)?;
    file.seek(SeekFrom::Start(span.start))
        .map_err(WindowError::Io)?;
    let size = span.end - span.start;
    // Room for the span and the rest of its last line, so that it is read
    // in one go.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1024);
    file.by_ref()
        .take(size)
        .read_to_end(&mut bytes)
        .map_err(WindowError::Io)?;
    if span.end < length {
        let mut rest = BufReader::new(file.take(length - span.end));
        rest.read_until(b'\n', &mut bytes)
            .map_err(WindowError::Io)?;
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = span.start + error.utf8_error().valid_up_to() as u64;
        WindowError::NotUtf8(offset)
    })
}

/// An entry with what it inherited, and the problems doing so.
struct Resolved<'t> {
    entry: RawEntry<'t>,
    problems: Vec<String>,
}

/// Entries fetched from the file by offset as parents, with a few kept
/// for the next child that shares them.
struct Parents<'o> {
    file: File,
    name: String,
    outline: &'o Outline,
    cache: HashMap<u64, RawEntry<'static>>,
}

/// How much of the file a window holds at least: large enough that
/// windows are few, small enough not to matter.
const WINDOW: usize = 1 << 16;

/// A parent is read with a small window: most entries are short.
const PARENT_WINDOW: usize = 1 << 14;

/// How many parents are kept: enough for the children near each other in
/// a file, few enough to stay small.
const CACHED_PARENTS: usize = 256;

impl<'o> Parents<'o> {
    fn new(path: &Path, name: &str, outline: &'o Outline) -> Result<Self, WindowError> {
        Ok(Parents {
            file: File::open(path).map_err(WindowError::Io)?,
            name: name.to_owned(),
            outline,
            cache: HashMap::new(),
        })
    }

    /// Resolves `entry`'s inheritance as the whole-file reader does:
    /// within its family, fetched from the file.
    fn family<'t>(
        &mut self,
        entry: RawEntry<'t>,
        offset: u64,
    ) -> Result<Resolved<'t>, WindowError> {
        if inherit::parent_keys(&entry).next().is_none() {
            return Ok(Resolved {
                entry,
                problems: Vec::new(),
            });
        }
        let mut fetched: HashMap<u64, RawEntry<'t>> = HashMap::new();
        let mut failure = None;
        let outline = self.outline;
        let members = inherit::family(
            offset,
            |key| outline.first(key).map(|record| record.offset),
            |at| {
                if at == offset {
                    return inherit::parent_keys(&entry).collect();
                }
                match self.fetch(at) {
                    Ok(parent) => {
                        let keys = inherit::parent_keys(&parent).collect();
                        fetched.insert(at, parent);
                        keys
                    }
                    Err(error) => {
                        failure.get_or_insert(error);
                        Vec::new()
                    }
                }
            },
        );
        if let Some(error) = failure {
            return Err(error);
        }
        let own = members.iter().position(|&at| at == offset).unwrap_or(0);
        let mut entry = Some(entry);
        let family = members
            .iter()
            .filter_map(|at| match *at == offset {
                true => entry.take(),
                false => fetched.remove(at),
            })
            .collect();
        let (mut entry, problems) = inherit::resolve_in_family(family, own);
        // What was inherited is reported at the entry: its parent's text
        // is not at hand.
        for field in &mut entry.fields {
            if field.offset == FETCHED {
                field.offset = entry.offset;
            }
        }
        Ok(Resolved { entry, problems })
    }

    /// The entry at `offset`, read from the file (problems in it are
    /// reported where it is read as an entry of its own).
    fn fetch<'t>(&mut self, offset: u64) -> Result<RawEntry<'t>, WindowError> {
        if let Some(entry) = self.cache.get(&offset) {
            return Ok(entry.clone());
        }
        self.file
            .seek(SeekFrom::Start(offset))
            .map_err(WindowError::Io)?;
        let mut found = None;
        let name = self.name.clone();
        let macros = &self.outline.macros;
        for_each_window(
            BufReader::new(&mut self.file),
            PARENT_WINDOW,
            Fields::Kept,
            |window| {
                let lines = OnceLock::new();
                let mut reader = Reader::new(&name, window.text, 1, &lines);
                if let Some(Block::Entry(entry)) = window.syntax.blocks.into_iter().next() {
                    found = Some(owned(reader.raw_entry(entry, macros)));
                }
                false
            },
        )?;
        let entry = found.ok_or(WindowError::Io(std::io::Error::other(
            "the file changed while it was read",
        )))?;
        if self.cache.len() >= CACHED_PARENTS {
            self.cache.clear();
        }
        self.cache.insert(offset, entry.clone());
        Ok(entry)
    }
}

/// The offset of a field read from a parent elsewhere in the file.
const FETCHED: usize = usize::MAX;

/// The entry owning its text, its fields marked as fetched.
fn owned(entry: RawEntry<'_>) -> RawEntry<'static> {
    RawEntry {
        kind: entry.kind,
        biblatex: entry.biblatex,
        key: entry.key.into_owned().into(),
        fields: entry
            .fields
            .into_iter()
            .map(|field| RawField {
                name: field.name.into_owned().into(),
                value: field.value.into_owned().into(),
                offset: FETCHED,
            })
            .collect(),
        offset: FETCHED,
    }
}
