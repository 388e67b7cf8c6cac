//! A `.bib` file read one window at a time, so that a file of any size is
//! parsed in memory bounded by its largest entry.
//!
//! A window is cut at a line that starts an entry, where the syntax layer
//! guarantees no block before it reads past it ([`syntax::parse_part`]).
//! A file where no such line comes for a window's length (one written on
//! a single line, or with carriage returns alone ending its lines) is cut
//! within the line instead, before a block that the blocks before it
//! were read whole up to ([`syntax::parse_before_last_block`]); a
//! window's text then starts with a little of the line before its first
//! block, for quotes. Each window's blocks are handed out with the
//! window's text, then the window is dropped. Text must be UTF-8 (a
//! byte-order mark is skipped; what [`decode`](crate::read::decode) takes
//! for UTF-16 is refused): anything else is refused before the window
//! holding it is handed out, so the caller can read the file whole
//! instead, with its fallbacks.

use std::io::Read;

use super::syntax::{self, Fields, Syntax};
use crate::read::lines::Anchor;

/// One window: its text, where it starts in the file, and its blocks.
pub struct Window<'a> {
    /// The window's text; the blocks' offsets are relative to it. It
    /// starts `start.lead` bytes before its first block.
    pub text: &'a str,
    /// Where its blocks start.
    pub start: Start,
    /// Byte offset in the file where the window's blocks end: the next
    /// window starts there. (`text` may run on past it.)
    pub end: u64,
    pub syntax: Syntax<'a>,
}

impl Window<'_> {
    /// Byte offset of `text` in the file.
    pub fn base(&self) -> u64 {
        self.start.base()
    }
}

/// Where a window's blocks start: at a line that starts an entry, or, in
/// a file where none comes for long (one on a single line), at the `@`
/// of a block within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// Its byte offset in the file.
    pub offset: u64,
    /// Its 1-based line, and column in characters.
    pub line: usize,
    pub column: usize,
    /// How many bytes before it are read with it (those on its line, at
    /// most [`LEAD`]): a problem near it is quoted with the text before
    /// it, as when the file is read whole.
    pub lead: usize,
}

impl Start {
    /// The start of a file.
    pub const FILE: Start = Start {
        offset: 0,
        line: 1,
        column: 1,
        lead: 0,
    };

    /// Byte offset in the file of the text read from here: the lead's.
    pub fn base(self) -> u64 {
        self.offset - self.lead as u64
    }

    /// Where this text's line and column are known: at its first block.
    pub fn anchor(self) -> Anchor {
        Anchor {
            at: self.lead,
            line: self.line,
            column: self.column,
        }
    }

    /// The start at byte `at` of `text`, whose byte `from` is this one.
    pub fn moved_to(self, text: &str, from: usize, at: usize) -> Start {
        let bytes = &text.as_bytes()[from..at];
        let column = match memchr::memrchr(b'\n', bytes) {
            Some(newline) => text[from + newline + 1..at].chars().count() + 1,
            None => self.column + text[from..at].chars().count(),
        };
        Start {
            offset: self.offset + (at - from) as u64,
            line: self.line + memchr::memchr_iter(b'\n', bytes).count(),
            column,
            lead: lead_before(text, at),
        }
    }
}

/// The most bytes read before a window's first block, to be quoted: as
/// many as the characters a quote shows before the place it is about
/// can take.
pub const LEAD: usize = 4 * (crate::diagnostic::QUOTED + 1);

/// How many bytes before `at` of `text` are read with what follows: back
/// to the start of its line, at most [`LEAD`], from a character's start.
pub fn lead_before(text: &str, at: usize) -> usize {
    let floor = at.saturating_sub(LEAD);
    let mut start = memchr::memrchr(b'\n', &text.as_bytes()[floor..at])
        .map_or(floor, |newline| floor + newline + 1);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    at - start
}

#[derive(Debug)]
pub enum WindowError {
    Io(std::io::Error),
    /// The bytes at this offset are not UTF-8.
    NotUtf8(u64),
    /// The file is not in a shape read a window at a time (a CSL-JSON
    /// file that is not one array, or not well-formed JSON, which the
    /// whole reading reports as such): nothing was handed on.
    ReadWhole,
}

/// Reads `reader` `chunk` bytes at a time, calling `each` with every
/// window in order until it returns false or the input ends; entries come
/// with their fields as `fields` says. A window
/// grows past `chunk` only for an entry (or `@comment`) longer than it.
pub fn for_each_window(
    reader: impl Read,
    chunk: usize,
    fields: Fields,
    each: impl FnMut(Window<'_>) -> bool,
) -> Result<(), WindowError> {
    for_each_window_of(reader, Stretch::WHOLE, chunk, fields, each).map(|_| ())
}

/// A stretch of a file read on its own: the whole file, or the part from
/// a line that starts an entry to another, so that parts of a large file
/// can be read side by side.
#[derive(Debug, Clone, Copy)]
pub struct Stretch {
    /// Where it starts: the file's start, or the `@` of a line that starts
    /// an entry (its lead the blanks before it), with the number its line
    /// is given.
    pub start: Start,
    /// Where the next stretch starts, the `@` of a line that starts an
    /// entry; `None` for the end of the file.
    pub until: Option<u64>,
}

impl Stretch {
    pub const WHOLE: Stretch = Stretch {
        start: Start::FILE,
        until: None,
    };
}

/// How the reading of a stretch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// At the stretch's `until`, which is on this line: no block before
    /// it runs on past it.
    AtUntil { line: usize },
    /// At the end of the file: the stretch had no `until`, or a
    /// `@comment` open across it made the reading go on.
    AtEnd,
    /// `each` wanted no more.
    Stopped,
}

/// [`for_each_window`] on a stretch of a file; `reader` starts at the
/// stretch's start, less its lead.
pub fn for_each_window_of(
    reader: impl Read,
    stretch: Stretch,
    chunk: usize,
    fields: Fields,
    mut each: impl FnMut(Window<'_>) -> bool,
) -> Result<Ended, WindowError> {
    let mut input = Input {
        reader,
        pending: Vec::new(),
        read: stretch.start.base(),
        at_end: false,
        // Only a file's start is looked at for its encoding.
        started: stretch.start.base() > 0,
        skipped: 0,
        scratch: Vec::new(),
    };
    // The buffer holds the next window's lead, then its text.
    let mut buffer = String::new();
    let mut start = stretch.start;
    let mut until = stretch.until;
    loop {
        let from = start.lead;
        if buffer.len() < from + chunk && !input.at_end {
            input.fill(&mut buffer, chunk)?;
        }
        // A byte-order mark skipped at the file's start moves the first
        // block on.
        if start.offset < input.skipped {
            start.offset = input.skipped;
        }
        let base = start.base();
        // Where the stretch ends, once it is in the buffer. (One inside a
        // character, in a file changed since the cut was found, is never
        // reached: the reading goes on to the end.)
        let cut = until
            .and_then(|until| usize::try_from(until.checked_sub(base)?).ok())
            .filter(|&cut| cut >= from && buffer.is_char_boundary(cut));
        if cut == Some(from) {
            return Ok(Ended::AtUntil { line: start.line });
        }
        // A window grows by as much as it holds, so that a long entry or
        // `@comment` costs time in proportion to its length.
        let grown = buffer.len().max(chunk);
        let at_end = input.at_end && cut.is_none();
        let (syntax, resume) = match (cut, input.at_end) {
            (Some(cut), _) => syntax::parse_part(&buffer, from, cut, false, fields),
            (None, true) => syntax::parse_part(&buffer, from, buffer.len(), true, fields),
            (None, false) => match syntax::last_entry_line(&buffer[from..]) {
                Some(limit) => syntax::parse_part(&buffer, from, from + limit, false, fields),
                // No line starts an entry for as long as a window: a file
                // on one line (or with its lines ended by carriage returns
                // alone). The window is cut within the line.
                None if buffer.len() - from >= chunk => {
                    syntax::parse_before_last_block(&buffer, from, fields)
                }
                // One entry and no end in sight yet: the window grows.
                None => {
                    input.fill(&mut buffer, grown)?;
                    continue;
                }
            },
        };
        if cut.is_some_and(|cut| resume < cut) {
            // A `@comment` runs on past the stretch's end: so does the
            // reading, to the end of the file.
            until = None;
            continue;
        }
        if resume == from && !at_end {
            // A `@comment` (or, within a line, a block) runs past the
            // window: it grows.
            drop(syntax);
            input.fill(&mut buffer, grown)?;
            continue;
        }
        let go_on = each(Window {
            text: &buffer,
            start,
            end: base + resume as u64,
            syntax,
        });
        if !go_on {
            return Ok(Ended::Stopped);
        }
        if at_end && resume >= buffer.len() {
            return Ok(Ended::AtEnd);
        }
        start = start.moved_to(&buffer, from, resume);
        buffer.drain(..resume - start.lead);
    }
}

/// The block `reader` starts with (it is read from an entry's `@`, at
/// byte `start` of the file), with its fields: read `chunk` bytes at a
/// time until the next line that starts an entry, or the end of the file,
/// or in a file on one line the next block read whole, so that only this
/// block is parsed. `each` gets it as a window's first.
pub fn first_block<T>(
    reader: impl Read,
    start: u64,
    chunk: usize,
    each: impl FnOnce(Window<'_>) -> T,
) -> Result<T, WindowError> {
    let mut input = Input {
        reader,
        pending: Vec::new(),
        read: start,
        at_end: false,
        started: true,
        skipped: 0,
        scratch: Vec::new(),
    };
    let mut buffer = String::new();
    let mut size = chunk;
    loop {
        input.fill(&mut buffer, size)?;
        let fields = Fields::Kept;
        let found = match input.at_end {
            true => Some(syntax::parse_part(&buffer, 0, buffer.len(), true, fields)),
            false => match syntax::first_entry_line(&buffer) {
                Some(limit) => Some(syntax::parse_part(&buffer, 0, limit, false, fields)),
                None => match syntax::parse_before_last_block(&buffer, 0, fields) {
                    (syntax, resume @ 1..) => Some((syntax, resume)),
                    _ => None,
                },
            },
        };
        if let Some((syntax, resume)) = found {
            return Ok(each(Window {
                text: &buffer,
                start: Start {
                    offset: start,
                    ..Start::FILE
                },
                end: start + resume as u64,
                syntax,
            }));
        }
        // A long entry costs time in proportion to its length.
        size = buffer.len();
    }
}

struct Input<R> {
    reader: R,
    /// The bytes of a character split by the end of the last chunk.
    pending: Vec<u8>,
    /// Bytes read so far.
    read: u64,
    at_end: bool,
    started: bool,
    /// Bytes skipped at the start (a byte-order mark).
    skipped: u64,
    /// Room for the bytes read, kept from one read to the next.
    scratch: Vec<u8>,
}

impl<R: Read> Input<R> {
    /// Appends up to `size` more bytes to `buffer`.
    fn fill(&mut self, buffer: &mut String, size: usize) -> Result<(), WindowError> {
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        bytes.append(&mut self.pending);
        let wanted = bytes.len() + size;
        // Read straight into the spare room, made once: no zeroing, no
        // copies as it grows, and the same memory each time.
        bytes.reserve(size);
        let mut taken = (&mut self.reader).take(size as u64);
        loop {
            match taken.read_to_end(&mut bytes) {
                Ok(_) => break,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(WindowError::Io(error)),
            }
        }
        self.at_end = bytes.len() < wanted;
        let mut text = &bytes[..];
        if !self.started {
            self.started = true;
            if crate::read::unmarked_utf16(text).is_some() {
                return Err(WindowError::NotUtf8(0));
            }
            if let Some(rest) = text.strip_prefix(b"\xEF\xBB\xBF") {
                text = rest;
                self.skipped = 3;
            }
        }
        let offset = self.read;
        let (valid, rest) = match std::str::from_utf8(text) {
            Ok(valid) => (valid, &[][..]),
            // A character cut by the chunk's end is finished next time.
            Err(error) if error.error_len().is_none() && !self.at_end => {
                let (valid, rest) = text.split_at(error.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
            Err(error) => return Err(WindowError::NotUtf8(offset + error.valid_up_to() as u64)),
        };
        buffer.push_str(valid);
        self.read += valid.len() as u64;
        self.pending.extend_from_slice(rest);
        self.scratch = bytes;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks' offsets in the file, each window's first line, and how
    /// the reading ended.
    fn read(text: &str, until: Option<u64>) -> (Vec<(u64, usize)>, Ended) {
        let mut seen = Vec::new();
        let stretch = Stretch {
            until,
            ..Stretch::WHOLE
        };
        let ended = for_each_window_of(text.as_bytes(), stretch, 64, Fields::Skipped, |window| {
            for block in &window.syntax.blocks {
                if let syntax::Block::Entry(entry) = block {
                    seen.push((window.base() + entry.offset as u64, window.start.line));
                }
            }
            true
        })
        .unwrap();
        (seen, ended)
    }

    #[test]
    fn a_stretch_ends_at_its_cut_or_reads_on_to_the_end() {
        let entry = |n: usize| format!("@misc{{k{n}, title = {{Ünïcödé {n}}}}}\r\n");
        let text: String = (0..40).map(entry).collect();
        let (whole, ended) = read(&text, None);
        assert_eq!(ended, Ended::AtEnd);
        assert_eq!(whole.len(), 40);
        // At a line that starts an entry: the blocks before it, with the
        // same lines, and the line it is on.
        let nth = |pattern: &str, n: usize| text.match_indices(pattern).nth(n).unwrap().0;
        let (before, ended) = read(&text, Some(nth("@misc", 25) as u64));
        assert_eq!(before, whole[..25]);
        assert_eq!(ended, Ended::AtUntil { line: 26 });
        // Inside a character (a file changed under the reading): read on
        // to the end, as a whole reading does.
        for n in [0, 20, 39] {
            let (blocks, ended) = read(&text, Some(nth("ï", n) as u64 + 1));
            assert_eq!(ended, Ended::AtEnd);
            assert_eq!(blocks, whole);
        }
    }

    #[test]
    fn a_file_on_one_line_is_cut_within_it_into_windows_of_bounded_size() {
        let entry =
            |n: usize| format!("@misc{{k{n}, title = {{Ünïcödé {n}}}, note = {{50\\% {{x}}}}}}");
        for line_end in [" ", "\r", "\t\t"] {
            let text: String = (0..2_000).map(entry).collect::<Vec<_>>().join(line_end);
            let mut windows = Vec::new();
            let mut blocks = Vec::new();
            for_each_window(text.as_bytes(), 1_024, Fields::Kept, |window| {
                let from = window.start.lead;
                let length = (window.end - window.start.offset) as usize;
                windows.push((window.text.len(), from, length));
                let base = window.base() as usize;
                blocks.extend(window.syntax.blocks.into_iter().map(|block| match block {
                    syntax::Block::Entry(entry) => (base + entry.offset, entry.fields.len()),
                    _ => (0, 0),
                }));
                // The text before its first block on its line is read along,
                // as much as a quote shows.
                let before = &text[..window.start.offset as usize];
                assert_eq!(window.text[..from], before[before.len() - from..]);
                assert!(from == before.len() || from + 3 >= LEAD);
                let column = before.chars().count() + 1;
                assert_eq!((window.start.line, window.start.column), (1, column));
                true
            })
            .unwrap();
            let whole: Vec<_> = syntax::parse(&text)
                .blocks
                .into_iter()
                .map(|block| match block {
                    syntax::Block::Entry(entry) => (entry.offset, entry.fields.len()),
                    _ => (0, 0),
                })
                .collect();
            assert_eq!(blocks, whole);
            assert!(windows.len() > 50);
            assert!(windows.iter().all(|&(size, _, _)| size <= 2_048 + LEAD));
        }
    }
}
