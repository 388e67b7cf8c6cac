//! A `.bib` file read one window at a time, so that a file of any size is
//! parsed in memory bounded by its largest entry.
//!
//! A window is cut at a line that starts an entry, where the syntax layer
//! guarantees no block before it reads past it ([`syntax::parse_part`]);
//! each window's blocks are handed out with the window's text, then the
//! window is dropped. Text must be UTF-8 (a byte-order mark is skipped;
//! what [`decode`](crate::read::decode) takes for UTF-16 is refused):
//! anything else is refused before the window holding it is handed out,
//! so the caller can read the file whole instead, with its fallbacks.

use std::io::Read;

use super::syntax::{self, Fields, Syntax};

/// One window: its text, where it starts in the file, and its blocks.
pub struct Window<'a> {
    /// The window's text; the blocks' offsets are relative to it.
    pub text: &'a str,
    /// Byte offset of `text` in the file.
    pub base: u64,
    /// Byte offset in the file where the window's blocks end: the next
    /// window starts there. (`text` may run on past it.)
    pub end: u64,
    /// 1-based line number of `text`'s first line.
    pub first_line: usize,
    pub syntax: Syntax<'a>,
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
    /// Byte offset of its start: 0, or the `@` of a line that starts an
    /// entry.
    pub start: u64,
    /// The number its first line is given.
    pub first_line: usize,
    /// Where the next stretch starts, the `@` of a line that starts an
    /// entry; `None` for the end of the file.
    pub until: Option<u64>,
}

impl Stretch {
    pub const WHOLE: Stretch = Stretch {
        start: 0,
        first_line: 1,
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
/// stretch's start.
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
        read: stretch.start,
        at_end: false,
        // Only a file's start is looked at for its encoding.
        started: stretch.start > 0,
        skipped: 0,
        scratch: Vec::new(),
    };
    let mut buffer = String::new();
    let mut base = stretch.start;
    let mut first_line = stretch.first_line;
    let mut until = stretch.until;
    loop {
        if buffer.len() < chunk && !input.at_end {
            input.fill(&mut buffer, chunk)?;
        }
        // Where the stretch ends, once it is in the buffer. (One inside a
        // character, in a file changed since the cut was found, is never
        // reached: the reading goes on to the end.)
        let cut = until
            .and_then(|until| usize::try_from(until.checked_sub(base + input.skipped)?).ok())
            .filter(|&cut| buffer.is_char_boundary(cut));
        if cut == Some(0) {
            return Ok(Ended::AtUntil { line: first_line });
        }
        // A window grows by as much as it holds, so that a long entry or
        // `@comment` costs time in proportion to its length.
        let grown = buffer.len().max(chunk);
        let limit = match (cut, input.at_end) {
            (Some(cut), _) => cut,
            (None, true) => buffer.len(),
            (None, false) => match syntax::last_entry_line(&buffer) {
                Some(limit) => limit,
                // One entry and no end in sight yet: the window grows.
                None => {
                    input.fill(&mut buffer, grown)?;
                    continue;
                }
            },
        };
        let at_end = input.at_end && cut.is_none();
        let (syntax, resume) = syntax::parse_part(&buffer, limit, at_end, fields);
        if cut.is_some() && resume < limit {
            // A `@comment` runs on past the stretch's end: so does the
            // reading, to the end of the file.
            until = None;
            continue;
        }
        if resume == 0 && !at_end {
            // A `@comment` runs past the window: it grows.
            drop(syntax);
            input.fill(&mut buffer, grown)?;
            continue;
        }
        let go_on = each(Window {
            text: &buffer,
            base: base + input.skipped,
            end: base + input.skipped + resume as u64,
            first_line,
            syntax,
        });
        if !go_on {
            return Ok(Ended::Stopped);
        }
        if at_end && resume >= buffer.len() {
            return Ok(Ended::AtEnd);
        }
        first_line += memchr::memchr_iter(b'\n', &buffer.as_bytes()[..resume]).count();
        base += resume as u64;
        buffer.drain(..resume);
    }
}

/// The block `reader` starts with (it is read from an entry's `@`, at
/// byte `start` of the file), with its fields: read `chunk` bytes at a
/// time until the next line that starts an entry, or the end of the file,
/// so that only this block is parsed. `each` gets it as a window's first.
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
        let limit = match input.at_end {
            true => Some(buffer.len()),
            false => syntax::first_entry_line(&buffer),
        };
        if let Some(limit) = limit {
            let (syntax, resume) = syntax::parse_part(&buffer, limit, input.at_end, Fields::Kept);
            return Ok(each(Window {
                text: &buffer,
                base: start,
                end: start + resume as u64,
                first_line: 1,
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
                    seen.push((window.base + entry.offset as u64, window.first_line));
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
}
