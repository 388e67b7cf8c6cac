//! The CSL-JSON reader for files of any size: works come out one at a
//! time, and memory is bounded by a window of the file and a small record
//! per item, not by the file's text.
//!
//! It reads the file twice. The first pass scans the array's structure,
//! item by item, and notes what any work needs from the others: each
//! item's own key (as a 64-bit hash), offset and line, so that a work
//! knows whether another has its key. An object whose end is in the
//! bytes at hand is read by serde_json, every value skipped but its
//! key's, which tells where it ends and that it is JSON at all; any other
//! item is followed a byte at a time, then read. It also cuts the file
//! into windows at line breaks between items (after an item, on a line as
//! long as a window: an array written on one line), each with where its
//! items are and the column it starts at. The second pass reads the
//! windows again, several side by side as the first hands them on, and
//! reads each item exactly as [`read_csl`](super::read_csl) does; works
//! made before the first pass has ended take their keys to be their own
//! alone, which is checked once it has.
//!
//! Only what the whole reading would read item by item is streamed: one
//! well-formed JSON array in UTF-8. Anything else (one item alone, broken
//! JSON, which the whole reading reports for the file as a whole) is left
//! to it before anything is handed on.

use std::fmt;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{read_item, Scalar};
use crate::diagnostic::{Diagnostic, QUOTED};
use crate::key::key_hash;
use crate::model::Work;
use crate::parallel::{Relay, Started, StopRelayWhenPanicking};
use crate::read::bibtex::stream::{Bytes, EntryAt, KeyRecord, Make, Opened, Outline, NO_KEY};
use crate::read::bibtex::windows::WindowError;
use crate::read::LineIndex;

/// Reads the file in two passes and calls `each`, in file order, with
/// what `make` turned the works into; `make` gets the work's own key when
/// no other work has it, and what it made of the work before in the same
/// window, to add this one to (then it returns `None`). The outline is
/// returned at the end (`None` if `each` asked to stop).
/// `WindowError::ReadWhole`: the file is to be read whole, and nothing
/// was handed on or reported.
pub fn works<T: Send>(
    path: &Path,
    name: &str,
    make: &Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    works_of(Bytes::File(path), name, make, each, report)
}

/// [`works`] of a file or a text in memory.
pub(crate) fn works_of<T: Send>(
    bytes: Bytes<'_>,
    name: &str,
    make: &Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    let passed = Passed::default();
    let first_pass = || {
        let _stop = StopRelayWhenPanicking(&passed);
        let outcome = first_pass(bytes, &passed);
        passed.end(outcome.as_ref().ok().cloned().flatten());
        outcome
    };
    // A file of one window is read on this thread, one pass after the
    // other: threads would not pay for themselves. A larger one is read
    // by the second pass as the first passes its windows.
    let small = bytes.len().is_ok_and(|length| length <= WINDOW);
    let threads = match small {
        true => 1,
        false => crate::parallel::available_threads(),
    };
    std::thread::scope(|scope| {
        let first = Started::new(scope, !small, first_pass);
        let mut result = Ok(());
        crate::parallel::map_in_order_from(
            // A window's list of items is let go once read.
            |index| passed.take(index),
            threads,
            AHEAD.max(2 * threads),
            |window| {
                let read = second_pass(bytes, name, &passed, &window, make);
                (window, read)
            },
            |(window, read)| {
                // Nothing is handed on before the first pass has ended
                // well: until then, the file may yet be read whole.
                let Some(Some(outline)) = passed.outcome() else {
                    return false;
                };
                let read = match read {
                    Ok(works) if works.holds(&outline) => Ok(works),
                    // A key taken for one work's alone is another's too.
                    Ok(_) => second_pass(bytes, name, &passed, &window, make),
                    Err(error) => Err(error),
                };
                match read {
                    Ok(works) => {
                        for event in works.events {
                            match event {
                                Event::Made(made) => each(made, &outline),
                                Event::Reported(diagnostic) => report(diagnostic),
                            }
                        }
                        true
                    }
                    Err(error) => {
                        result = Err(error);
                        false
                    }
                }
            },
        );
        // A first pass still running is no longer wanted.
        passed.stop();
        result.and(first.join())
    })
}

/// What the first pass hands the second: the windows as it passes them,
/// then the outline (`None` if it failed or was stopped).
type Passed = Relay<Span, Option<Arc<Outline>>>;

/// How many windows the second pass may read ahead of those handed on:
/// while the first pass runs, the works of some 4 MB of the file are made
/// and held, waiting for its outline.
const AHEAD: usize = 16;

/// The size a window grows to before it is cut at the next line break
/// between items or, on a line as long, after the next item.
const WINDOW: u64 = 1 << 18;

/// How much of the file the first pass reads at a time.
const CHUNK: usize = 1 << 20;

/// A stretch of the file that starts between items, at a line's start or,
/// on a long line (an array written on one line), after an item; and
/// where its items are in it, as the first pass found them.
#[derive(Debug, Clone, Default)]
struct Span {
    start: u64,
    end: u64,
    /// 1-based line and column of `start`.
    first_line: usize,
    first_column: usize,
    /// Its last line runs on into the next span.
    runs_on: bool,
    /// Where each item starts and ends, from `start`: 8 bytes an item,
    /// held from when the first pass passes the window until the second
    /// reads it (the first pass runs ahead: on a 1 GB file, some 15 MB).
    items: Arc<[(u32, u32)]>,
}

/// The first pass: the array's items, their keys and the windows, each
/// window handed to the second pass once passed. Gives the outline;
/// `None` if the second pass wanted no more.
fn first_pass(bytes: Bytes<'_>, passed: &Passed) -> Result<Option<Arc<Outline>>, WindowError> {
    let mut file = bytes.open().map_err(WindowError::Io)?;
    let mut scanner = Scanner::new(Expect::Open, 1);
    let mut stopped = false;
    // Where the window being passed starts, its line and column, and its
    // items.
    let (mut window, mut first_line, mut first_column) = (0, 1, 1);
    let mut window_items = Vec::new();
    let mut characters = LineCharacters::default();
    // Room for as many items as the file may hold (room never written to
    // takes no memory from the system): grown a doubling at a time, the
    // list would be copied, old and new held at once.
    let expected = bytes
        .len()
        .map_or(0, |length| length / BYTES_AN_ITEM_AT_LEAST);
    let mut items = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).min(MAX_EXPECTED));
    // Items whose key the cheap look cannot settle, read again in full.
    let mut unsettled = Vec::new();
    let (mut buffer, mut base) = (Vec::with_capacity(CHUNK), 0u64);
    loop {
        let scanned = buffer.len();
        let read = (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut buffer)
            .map_err(WindowError::Io)?;
        if read == 0 {
            break;
        }
        let mut broken = false;
        scanner.scan(&buffer[scanned..], base + scanned as u64, &mut |found| {
            match found {
                Found::Item {
                    start,
                    end,
                    line,
                    last_line,
                    last_line_start,
                    key,
                } => {
                    // An item of 4 GB: read whole, which says what it can
                    // of it.
                    let from_window = |at: u64| u32::try_from(at - window).ok();
                    let Some(range) = from_window(start).zip(from_window(end)) else {
                        broken = true;
                        return false;
                    };
                    window_items.push(range);
                    let bytes = &buffer[(start - base) as usize..(end - base) as usize];
                    let mut item = Item {
                        hash: NO_KEY,
                        start,
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                        length: range.1 - range.0,
                    };
                    match key.unwrap_or_else(|| own_key(bytes)) {
                        Key::Settled(hash) => item.hash = hash.unwrap_or(NO_KEY),
                        Key::Unsettled => unsettled.push(items.len()),
                        Key::Broken => broken = true,
                    }
                    items.push(item);
                    if end - window >= WINDOW && end - last_line_start >= WINDOW {
                        let column = characters.up_to(last_line_start, end, &buffer, base) + 1;
                        stopped = !passed.publish(Span {
                            start: window,
                            end,
                            first_line,
                            first_column,
                            runs_on: true,
                            items: std::mem::take(&mut window_items).into(),
                        });
                        (window, first_line, first_column) = (end, last_line, column);
                    }
                }
                Found::LineStart { at, line } => {
                    if at - window >= WINDOW {
                        stopped = !passed.publish(Span {
                            start: window,
                            end: at,
                            first_line,
                            first_column,
                            runs_on: false,
                            items: std::mem::take(&mut window_items).into(),
                        });
                        (window, first_line, first_column) = (at, line, 1);
                    }
                }
            }
            !broken && !stopped
        });
        if stopped {
            return Ok(None);
        }
        if broken || scanner.broken {
            return Err(WindowError::ReadWhole);
        }
        // Keep the item being scanned, if any; the rest is read.
        let keep = scanner
            .open_item_start()
            .unwrap_or(base + buffer.len() as u64);
        characters.up_to(scanner.line_start, keep, &buffer, base);
        buffer.drain(..(keep - base) as usize);
        base = keep;
    }
    if !scanner.ended() {
        return Err(WindowError::ReadWhole);
    }
    let last = Span {
        start: window,
        end: base + buffer.len() as u64,
        first_line,
        first_column,
        runs_on: false,
        items: window_items.into(),
    };
    if !passed.publish(last) {
        return Ok(None);
    }
    settle(&mut file, &mut items, unsettled)?;
    // Made in place: the records take the items' room.
    let works = items
        .into_iter()
        .filter(|item| item.hash != NOT_A_WORK)
        .map(|item| KeyRecord {
            hash: item.hash,
            offset: item.start,
            line: item.line,
            cited: item.hash != NO_KEY,
        })
        .collect();
    Ok(Some(Arc::new(Outline::of_works(works))))
}

/// The characters of the line being read, counted before the bytes are
/// let go, for the column of a window cut within it. Most lines end
/// before they are let go: a line a chunk is counted, unless lines are
/// long.
#[derive(Default)]
struct LineCharacters {
    line_start: u64,
    counted_to: u64,
    characters: usize,
}

impl LineCharacters {
    /// How many characters the line that starts at `line_start` has up to
    /// `at`; the bytes from the last count on are `buffer`'s, from `base`.
    fn up_to(&mut self, line_start: u64, at: u64, buffer: &[u8], base: u64) -> usize {
        if line_start != self.line_start {
            *self = LineCharacters {
                line_start,
                counted_to: line_start,
                characters: 0,
            };
        }
        let from = self.counted_to.max(base);
        if at > from {
            let bytes = &buffer[(from - base) as usize..(at - base) as usize];
            // A character is a byte that does not continue one.
            self.characters += bytes.iter().filter(|&&byte| (byte as i8) >= -64).count();
            self.counted_to = at;
        }
        self.characters
    }
}

/// An item as the first pass records it, in as little room as a
/// [`KeyRecord`].
struct Item {
    /// Its own key's hash ([`NO_KEY`] if it has none); [`NOT_A_WORK`]
    /// once read in full and found to be none.
    hash: u64,
    start: u64,
    line: u32,
    length: u32,
}

/// Fewer bytes than a work's item takes (`{"id":"a","type":"book"}`, a
/// comma and a line break), for the room made at the start (a file of
/// smaller items grows the list); and the most items room is made for
/// then.
const BYTES_AN_ITEM_AT_LEAST: u64 = 16;
const MAX_EXPECTED: usize = 1 << 24;

/// Marks an item read in full that is no work.
const NOT_A_WORK: u64 = u64::MAX;

/// What the cheap look at an item says of its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// The hash of its key (BibTeX-safe), if it has one.
    Settled(Option<u64>),
    /// The item is to be read in full to know.
    Unsettled,
    /// Not JSON at all: the whole reading says so.
    Broken,
}

/// An item's own key as the first pass reads it: every other value is
/// skipped unread. `id` and `citation-key` are read as [`super::Item`]
/// reads them; an object that has either twice is left to the full
/// reading, which says which counts.
struct PeekedKey(Key);

impl<'de> Deserialize<'de> for PeekedKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PeekedKey, D::Error> {
        deserializer.deserialize_map(PeekedKeyVisitor)
    }
}

struct PeekedKeyVisitor;

impl<'de> Visitor<'de> for PeekedKeyVisitor {
    type Value = PeekedKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a CSL item (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PeekedKey, A::Error> {
        let (mut id, mut citation_key) = (None, None);
        let mut twice = false;
        while let Some(member) = map.next_key()? {
            let slot = match member {
                Member::Id => &mut id,
                Member::CitationKey => &mut citation_key,
                Member::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            twice |= slot.is_some();
            *slot = Some(map.next_value::<Option<Scalar>>()?);
        }
        let citation_key = match citation_key.flatten() {
            Some(Scalar::Text(key)) => Some(key),
            // A number or a flag is no citation key to the full reading.
            Some(_) => return Ok(PeekedKey(Key::Unsettled)),
            None => None,
        };
        if twice {
            return Ok(PeekedKey(Key::Unsettled));
        }
        let key = citation_key.or(super::text(id.flatten()));
        let key = key.map(|key| crate::key::safe(&key).into_owned());
        let hash = key.filter(|key| !key.is_empty()).map(|key| key_hash(&key));
        Ok(PeekedKey(Key::Settled(hash)))
    }
}

/// A key of an item, as [`PeekedKey`] tells them apart.
enum Member {
    Id,
    CitationKey,
    Other,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Member, D::Error> {
        // As bytes: a key is not checked to be UTF-8 on its own, as the
        // whole item is once read.
        deserializer.deserialize_bytes(MemberVisitor)
    }
}

struct MemberVisitor;

impl Visitor<'_> for MemberVisitor {
    type Value = Member;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a key")
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Member, E> {
        Ok(match key {
            b"id" => Member::Id,
            b"citation-key" => Member::CitationKey,
            _ => Member::Other,
        })
    }
}

/// What a look at the text from an item's start on says of the item.
enum Peek {
    /// It is `length` bytes long, and its key is `key`.
    Whole { length: usize, key: Key },
    /// The text ends within the item, or the item is not an object, or it
    /// holds a key's value of another type: only a scan of its structure
    /// tells where it ends.
    Unsure,
    /// It is not JSON, or not UTF-8.
    Broken,
}

/// Reads the item that `bytes` starts with just enough to know its key,
/// and where it ends.
fn peek(bytes: &[u8]) -> Peek {
    let mut items = serde_json::Deserializer::from_slice(bytes).into_iter::<PeekedKey>();
    match items.next() {
        Some(Ok(PeekedKey(key))) => {
            let length = items.byte_offset();
            // Strings skipped unread were not checked.
            match std::str::from_utf8(&bytes[..length]) {
                Ok(_) => Peek::Whole { length, key },
                Err(_) => Peek::Broken,
            }
        }
        Some(Err(error)) if error.is_syntax() => Peek::Broken,
        _ => Peek::Unsure,
    }
}

/// The key of the item that is all of `bytes`, read cheaply.
fn own_key(bytes: &[u8]) -> Key {
    match peek(bytes) {
        Peek::Whole { length, key } if length == bytes.len() => key,
        Peek::Whole { .. } | Peek::Broken => Key::Broken,
        // Not an object, or a value of another type: the full reading
        // tells.
        Peek::Unsure => match std::str::from_utf8(bytes).map(serde_json::from_str::<IgnoredAny>) {
            Ok(Ok(_)) => Key::Unsettled,
            _ => Key::Broken,
        },
    }
}

/// Reads in full the items whose key the cheap look left open, then
/// those whose key another item has too (one of them may be no work,
/// which the full reading alone tells), so that each key counts the works
/// that have it, as in the whole reading. Leaves the items in order of
/// hash.
fn settle(
    file: &mut Opened<'_>,
    items: &mut [Item],
    unsettled: Vec<usize>,
) -> Result<(), WindowError> {
    let mut read_again = |item: &mut Item| -> Result<(), WindowError> {
        let text = read_span(file, item.start, item.start + u64::from(item.length))?;
        item.hash = match read_item(&text, 0, &mut |_, _| {}) {
            None => NOT_A_WORK,
            Some(work) => crate::key::own_key(&work).map_or(NO_KEY, |key| key_hash(&key)),
        };
        Ok(())
    };
    for index in unsettled {
        read_again(&mut items[index])?;
    }
    items.sort_unstable_by_key(|item| (item.hash, item.start));
    let mut changed = false;
    for shared in items.chunk_by_mut(|a, b| a.hash == b.hash) {
        let keyed = !matches!(shared[0].hash, NO_KEY | NOT_A_WORK);
        if keyed && shared.len() > 1 {
            for item in shared {
                read_again(item)?;
            }
            changed = true;
        }
    }
    if changed {
        items.sort_unstable_by_key(|item| (item.hash, item.start));
    }
    Ok(())
}

/// The file's text from `start` to `end`.
fn read_span(file: &mut Opened<'_>, start: u64, end: u64) -> Result<String, WindowError> {
    file.seek(SeekFrom::Start(start)).map_err(WindowError::Io)?;
    let mut bytes = Vec::with_capacity((end - start) as usize);
    file.take(end - start)
        .read_to_end(&mut bytes)
        .map_err(WindowError::Io)?;
    String::from_utf8(bytes)
        .map_err(|error| WindowError::NotUtf8(start + error.utf8_error().valid_up_to() as u64))
}

/// The text the second pass reads a span in, and where the span starts in
/// it. Where the span starts or ends within a line, it comes with as much
/// of the line beyond as a diagnostic may quote: [`QUOTED`] characters and
/// one more, of up to 4 bytes each.
fn span_text(file: &mut Opened<'_>, span: &Span) -> Result<(String, usize), WindowError> {
    let context = 4 * (QUOTED as u64 + 1);
    // Three bytes more: a character the edge cuts is left out.
    let lead = match span.first_column > 1 {
        true => span.start.min(context + 3),
        false => 0,
    };
    let tail = if span.runs_on { context + 3 } else { 0 };
    let (from, to) = (span.start - lead, span.end + tail);
    if lead + tail == 0 {
        return Ok((read_span(file, from, to)?, 0));
    }
    file.seek(SeekFrom::Start(from)).map_err(WindowError::Io)?;
    let mut bytes = Vec::with_capacity((to - from) as usize);
    file.take(to - from)
        .read_to_end(&mut bytes)
        .map_err(WindowError::Io)?;
    let within = (span.end - from) as usize;
    if bytes.len() < within {
        return Err(WindowError::NotUtf8(span.end));
    }
    let continues = |byte: &&u8| (**byte as i8) < -64;
    let cut = bytes[..lead as usize].iter().take_while(continues).count();
    let end = match std::str::from_utf8(&bytes[within..]) {
        Ok(_) => bytes.len(),
        Err(error) if error.error_len().is_none() => within + error.valid_up_to(),
        Err(_) => return Err(WindowError::NotUtf8(span.end)),
    };
    bytes.truncate(end);
    bytes.drain(..cut);
    let text = String::from_utf8(bytes).map_err(|_| WindowError::NotUtf8(span.start))?;
    let lead = lead as usize - cut;
    if !text.is_char_boundary(lead) || !text.is_char_boundary(within - cut) {
        return Err(WindowError::NotUtf8(span.start));
    }
    Ok((text, lead))
}

/// What the second pass found in a window, in order.
enum Event<T> {
    Made(T),
    Reported(Diagnostic),
}

/// The works of one window, each read as the whole reading reads it.
fn second_pass<T>(
    bytes: Bytes<'_>,
    name: &str,
    passed: &Passed,
    span: &Span,
    make: &Make<'_, T>,
) -> Result<WindowWorks<T>, WindowError> {
    // Before the first pass has ended, each work with a key is taken to
    // be the only one with it, and that is checked once it has.
    let outline = passed.outcome_now();
    let outline = match &outline {
        Some(Some(outline)) => Some(outline.as_ref()),
        // The first pass failed: that is what is reported.
        Some(None) => return Ok(WindowWorks::default()),
        None => None,
    };
    let mut file = bytes.open().map_err(WindowError::Io)?;
    let changed = || {
        let message = format!("{name} changed while it was read");
        WindowError::Io(std::io::Error::other(message))
    };
    let (text, lead) = span_text(&mut file, span).map_err(|error| match error {
        WindowError::NotUtf8(_) => changed(),
        error => error,
    })?;
    let lines = LineIndex::within(&text, lead, span.first_line, span.first_column);
    let mut works = WindowWorks {
        events: Vec::new(),
        assumed: outline.is_none().then(Vec::new),
    };
    // What `make` needs of the outline before it is known is the file's
    // `@string`s, of which a CSL-JSON file has none.
    let no_strings = outline.is_none().then(|| Outline::of_works(Vec::new()));
    let made_with = outline.or(no_strings.as_ref());
    let events = &mut works.events;
    for range in span
        .items
        .iter()
        .map(|&(start, end)| lead + start as usize..lead + end as usize)
    {
        let mut report = |diagnostic: Diagnostic, offset: usize| {
            events.push(Event::Reported(lines.place(diagnostic, name, offset)));
        };
        // The places are the first pass's: a file changed since may not
        // have them.
        let Some(item) = text.get(range.clone()) else {
            return Err(changed());
        };
        let Some(work) = read_item(item, range.start, &mut report) else {
            continue;
        };
        let hash = crate::key::own_key(&work).map(|key| key_hash(&key));
        let unique = match (outline, hash) {
            (Some(outline), Some(hash)) => outline.cited_once(hash),
            (None, Some(hash)) => {
                works
                    .assumed
                    .iter_mut()
                    .for_each(|assumed| assumed.push(hash));
                true
            }
            (_, None) => false,
        };
        let unique_key = unique.then(|| crate::key::own_key(&work)).flatten();
        let at = EntryAt::new(
            hash.unwrap_or(NO_KEY),
            span.start + (range.start - lead) as u64,
        );
        let last = match events.last_mut() {
            Some(Event::Made(last)) => Some(last),
            _ => None,
        };
        if let Some(made) = make(work, unique_key, at, made_with, last) {
            events.push(Event::Made(made));
        }
    }
    Ok(works)
}

/// A window's works, and, if they were made before the first pass ended,
/// the hashes of the keys taken to be each one work's alone.
struct WindowWorks<T> {
    events: Vec<Event<T>>,
    assumed: Option<Vec<u64>>,
}

impl<T> Default for WindowWorks<T> {
    fn default() -> Self {
        WindowWorks {
            events: Vec::new(),
            assumed: None,
        }
    }
}

impl<T> WindowWorks<T> {
    /// Whether the works are as the outline would have them made.
    fn holds(&self, outline: &Outline) -> bool {
        self.assumed
            .iter()
            .flatten()
            .all(|&hash| outline.cited_once(hash))
    }
}

/// Items read again from the file by offset.
pub(crate) struct ItemsAt<'a> {
    bytes: Bytes<'a>,
    name: &'a str,
    /// Opened for the first item.
    file: Option<Opened<'a>>,
}

impl<'a> ItemsAt<'a> {
    pub(crate) fn new(bytes: Bytes<'a>, name: &'a str) -> Self {
        ItemsAt {
            bytes,
            name,
            file: None,
        }
    }

    /// The work of the item at `offset`, read again alone as the second
    /// pass reads it, its problems not reported again.
    pub(crate) fn work(&mut self, offset: u64) -> Result<Option<Work>, WindowError> {
        let name = self.name;
        let changed = || {
            let message = format!("{name} changed while it was read");
            WindowError::Io(std::io::Error::other(message))
        };
        let file = self.bytes.at(&mut self.file, offset)?;
        let mut scanner = Scanner::new(Expect::Item, 1);
        let (mut text, mut end) = (Vec::new(), None);
        while end.is_none() {
            let base = offset + text.len() as u64;
            let read = file
                .take(ITEM_CHUNK)
                .read_to_end(&mut text)
                .map_err(WindowError::Io)?;
            if read == 0 {
                return Err(changed());
            }
            scanner.scan(&text[text.len() - read..], base, &mut |found| match found {
                Found::Item { end: at, .. } => {
                    end = Some(at);
                    false
                }
                Found::LineStart { .. } => true,
            });
        }
        text.truncate(end.map_or(0, |end| end - offset) as usize);
        let text = String::from_utf8(text).map_err(|_| changed())?;
        Ok(read_item(&text, 0, &mut |_, _| {}))
    }
}

/// How much of an item read again is read at a time.
const ITEM_CHUNK: u64 = 1 << 12;

/// Where the scanner is in the array's grammar, between items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The `[`, after a byte-order mark and white space.
    Open,
    /// An item, or the `]` of an empty array.
    FirstItem,
    /// An item, after a comma.
    Item,
    /// A comma, or the `]`.
    CommaOrClose,
    /// White space alone: the array is closed.
    End,
}

/// What the scanner hands on.
enum Found {
    /// An item's JSON text, from `start` to `end`, starting on `line` and
    /// ending on `last_line`, which starts at `last_line_start`.
    Item {
        start: u64,
        end: u64,
        line: usize,
        last_line: usize,
        last_line_start: u64,
        /// Its own key, if the scan read it; otherwise it is read from
        /// the item's text with [`own_key`].
        key: Option<Key>,
    },
    /// A line that starts between items, at `at`.
    LineStart { at: u64, line: usize },
}

/// An item being scanned.
#[derive(Debug, Clone, Copy)]
struct Open {
    start: u64,
    line: usize,
    /// Objects and arrays open in it.
    depth: u32,
    in_string: bool,
    /// The last byte seen was a backslash in a string.
    escaped: bool,
    /// A number, `true`, `false` or `null`, ended by what follows it.
    scalar: bool,
    /// Where the last line end its last stretch of bytes held is in it.
    newline: Option<usize>,
}

/// Follows the array's structure a stretch of bytes at a time: enough to
/// tell where each item starts and ends (strings, nesting) and that the
/// array is well formed between items. An item is checked by reading its
/// key ([`peek`] and [`own_key`]).
struct Scanner {
    expect: Expect,
    item: Option<Open>,
    line: usize,
    /// Where the line being scanned starts.
    line_start: u64,
    broken: bool,
}

impl Scanner {
    fn new(expect: Expect, line: usize) -> Scanner {
        Scanner {
            expect,
            item: None,
            line,
            line_start: 0,
            broken: false,
        }
    }

    /// Where the item still being scanned starts, if one is.
    fn open_item_start(&self) -> Option<u64> {
        self.item.map(|item| item.start)
    }

    /// Whether the array was closed and nothing but white space followed.
    fn ended(&self) -> bool {
        self.expect == Expect::End && self.item.is_none() && !self.broken
    }

    /// Scans `bytes`, found at `base` in the file, handing on what it
    /// finds until `found` returns false; sets `broken` at bytes the
    /// array's grammar does not allow.
    fn scan(&mut self, bytes: &[u8], base: u64, found: &mut dyn FnMut(Found) -> bool) {
        let mut at = 0;
        while at < bytes.len() {
            if let Some(mut item) = self.item {
                let (end, ended) = item.scan(&bytes[at..], &mut self.line);
                if let Some(newline) = item.newline.take() {
                    self.line_start = base + (at + newline) as u64 + 1;
                }
                at += end;
                match ended {
                    false => self.item = Some(item),
                    true => {
                        self.item = None;
                        self.expect = Expect::CommaOrClose;
                        let item = Found::Item {
                            start: item.start,
                            end: base + at as u64,
                            line: item.line,
                            last_line: self.line,
                            last_line_start: self.line_start,
                            key: None,
                        };
                        if !found(item) {
                            return;
                        }
                    }
                }
                continue;
            }
            let byte = bytes[at];
            at += 1;
            match (byte, self.expect) {
                (b' ' | b'\t' | b'\r', _) => {}
                (b'\n', _) => {
                    self.line += 1;
                    self.line_start = base + at as u64;
                    let start = Found::LineStart {
                        at: base + at as u64,
                        line: self.line,
                    };
                    if !found(start) {
                        return;
                    }
                }
                (b'[', Expect::Open) => self.expect = Expect::FirstItem,
                // A byte-order mark, where a file may have one.
                (_, Expect::Open) if BOM.get((base + at as u64 - 1) as usize) == Some(&byte) => {}
                (b']', Expect::FirstItem | Expect::CommaOrClose) => self.expect = Expect::End,
                (b',', Expect::CommaOrClose) => self.expect = Expect::Item,
                (_, Expect::FirstItem | Expect::Item) if starts_value(byte) => {
                    let start = at - 1;
                    // Nearly every item is an object whose end is in the
                    // bytes at hand: read, it tells its key and its end.
                    let peeked = match byte {
                        b'{' => peek(&bytes[start..]),
                        _ => Peek::Unsure,
                    };
                    if let Peek::Whole { length, key } = peeked {
                        let line = self.line;
                        let item = &bytes[start..start + length];
                        if let Some(last) = memchr::memrchr(b'\n', item) {
                            self.line += memchr::memchr_iter(b'\n', item).count();
                            self.line_start = base + (start + last) as u64 + 1;
                        }
                        at = start + length;
                        self.expect = Expect::CommaOrClose;
                        let item = Found::Item {
                            start: base + start as u64,
                            end: base + at as u64,
                            line,
                            last_line: self.line,
                            last_line_start: self.line_start,
                            key: Some(key),
                        };
                        if !found(item) {
                            return;
                        }
                        continue;
                    }
                    self.item = Some(Open {
                        start: base + at as u64 - 1,
                        line: self.line,
                        depth: u32::from(matches!(byte, b'{' | b'[')),
                        in_string: byte == b'"',
                        escaped: false,
                        scalar: !matches!(byte, b'{' | b'[' | b'"'),
                        newline: None,
                    });
                }
                _ => {
                    self.broken = true;
                    return;
                }
            }
        }
    }
}

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Whether a JSON value can start with this byte.
fn starts_value(byte: u8) -> bool {
    matches!(
        byte,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    )
}

impl Open {
    /// Scans on in `bytes`: how far, and whether the item ended there.
    fn scan(&mut self, bytes: &[u8], line: &mut usize) -> (usize, bool) {
        let mut at = 0;
        while at < bytes.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    at += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &bytes[at..]) {
                    None => return (bytes.len(), false),
                    Some(found) => {
                        at += found + 1;
                        match bytes[at - 1] {
                            b'\\' => self.escaped = true,
                            _ => {
                                self.in_string = false;
                                if self.depth == 0 {
                                    return (at, true);
                                }
                            }
                        }
                    }
                }
                continue;
            }
            let byte = bytes[at];
            if self.scalar {
                if matches!(byte, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                    return (at, true);
                }
                at += 1;
                continue;
            }
            at += 1;
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return (at, true);
                    }
                }
                b'\n' => {
                    *line += 1;
                    self.newline = Some(at - 1);
                }
                _ => {}
            }
        }
        (at, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items and line starts a scan finds, as text.
    fn scan(text: &str, pieces: usize) -> (Vec<String>, bool) {
        let mut scanner = Scanner::new(Expect::Open, 1);
        let mut found = Vec::new();
        let bytes = text.as_bytes();
        let size = bytes.len().div_ceil(pieces).max(1);
        for (index, piece) in bytes.chunks(size).enumerate() {
            scanner.scan(piece, (index * size) as u64, &mut |what| {
                found.push(match what {
                    Found::Item {
                        start, end, line, ..
                    } => {
                        format!("{line}:{}", &text[start as usize..end as usize])
                    }
                    Found::LineStart { at, line, .. } => format!("line {line} at {at}"),
                });
                true
            });
        }
        (found, scanner.ended())
    }

    #[test]
    fn items_are_found_whatever_the_pieces_the_bytes_come_in() {
        let text = "\u{feff}[\n {\"id\": \"a\\\"}\", \"x\": [1, {\"y\": \"]\"}]},\n 5, \"s\\\\\", null\r\n]\n";
        for pieces in 1..text.len() {
            let (found, ended) = scan(text, pieces);
            assert!(ended, "{pieces}: {found:?}");
            assert_eq!(
                found,
                [
                    "line 2 at 5",
                    "2:{\"id\": \"a\\\"}\", \"x\": [1, {\"y\": \"]\"}]}",
                    "line 3 at 44",
                    "3:5",
                    "3:\"s\\\\\"",
                    "3:null",
                    "line 4 at 61",
                    "line 5 at 63",
                ],
                "{pieces}"
            );
        }
    }

    /// The key a look at an item finds is the full reading's, or the look
    /// leaves it to that; and the scan finds it alike however the bytes
    /// come in.
    #[test]
    fn keys_looked_at_are_the_full_readings() {
        let hash = |key: &str| Key::Settled(Some(key_hash(key)));
        let shapes: [(&[u8], Key); 19] = [
            (br#"{"id": "a", "title": "t"}"#, hash("a")),
            (br#"{"title": "t", "id": 5}"#, hash("5")),
            (br#"{"id": -1.5e3, "type": "book"}"#, hash("-1500.0")),
            (br#"{"id": true, "type": "book"}"#, hash("true")),
            (
                br#"{"id": null, "citation-key": "k", "type": "book"}"#,
                hash("k"),
            ),
            (
                r#"{"citation-key": "Ünï x", "id": "a"}"#.as_bytes(),
                hash(&crate::key::safe("Ünï x")),
            ),
            (
                br#"{"i\u0064": "esc", "x": [1, {"id": "no"}]}"#,
                hash("esc"),
            ),
            (
                br#"{"custom": {"id": "inner"}, "title": "t"}"#,
                Key::Settled(None),
            ),
            (br#"{"id": "", "title": "t"}"#, Key::Settled(None)),
            (br#"{"id": "a", "id": "b"}"#, Key::Unsettled),
            (br#"{"id": null, "id": "b"}"#, Key::Unsettled),
            (br#"{"citation-key": 3, "id": "a"}"#, Key::Unsettled),
            (br#"{"id": {"x": 1}, "title": "t"}"#, Key::Unsettled),
            (br#"[1, 2]"#, Key::Unsettled),
            (br#""text""#, Key::Unsettled),
            (br#"{"id": "a" "b"}"#, Key::Broken),
            (b"{\"id\": \"\xff\"}", Key::Broken),
            (b"{\"title\": \"\xff\", \"id\": \"a\"}", Key::Broken),
            (br#"{"id": "a", "x": tru}"#, Key::Broken),
        ];
        for (item, key) in shapes {
            let shown = String::from_utf8_lossy(item);
            assert_eq!(own_key(item), key, "{shown}");
            if let Key::Settled(hash) = key {
                let text = std::str::from_utf8(item).unwrap();
                let work = read_item(text, 0, &mut |_, _| {});
                let full = work.as_ref().and_then(crate::key::own_key);
                assert_eq!(full.map(|key| key_hash(&key)), hash, "{shown}");
            }
        }
        let whole: Vec<&[u8]> = shapes
            .iter()
            .filter(|(_, key)| *key != Key::Broken)
            .map(|(item, _)| *item)
            .collect();
        let text = format!(
            "[\r\n{}\n]",
            String::from_utf8(whole.join(&b",\n "[..])).unwrap()
        );
        let bytes = text.as_bytes();
        let expected: Vec<Key> = shapes
            .iter()
            .map(|&(_, key)| key)
            .filter(|&key| key != Key::Broken)
            .collect();
        for pieces in [1, 2, 3, 7, 50, bytes.len()] {
            let (keys, lines, ended) = keys_scanned(bytes, bytes.len().div_ceil(pieces));
            assert!(ended, "{pieces}");
            assert_eq!(keys, expected, "{pieces}");
            assert_eq!(
                lines,
                (2..2 + expected.len()).collect::<Vec<_>>(),
                "{pieces}"
            );
        }
    }

    /// Scans `text` handed over `size` bytes at a time, keeping the bytes
    /// of an item still open as the first pass does: each item's key, as
    /// the scan read it or as read from the item once found, and its line.
    fn keys_scanned(text: &[u8], size: usize) -> (Vec<Key>, Vec<usize>, bool) {
        let mut scanner = Scanner::new(Expect::Open, 1);
        let (mut keys, mut lines) = (Vec::new(), Vec::new());
        let (mut buffer, mut base) = (Vec::new(), 0);
        for piece in text.chunks(size.max(1)) {
            let scanned = buffer.len();
            buffer.extend_from_slice(piece);
            scanner.scan(&buffer[scanned..], (base + scanned) as u64, &mut |found| {
                if let Found::Item {
                    start,
                    end,
                    line,
                    key,
                    ..
                } = found
                {
                    let item = &buffer[start as usize - base..end as usize - base];
                    keys.push(key.unwrap_or_else(|| own_key(item)));
                    lines.push(line);
                }
                true
            });
            let keep = scanner
                .open_item_start()
                .map_or(base + buffer.len(), |at| at as usize);
            buffer.drain(..keep - base);
            base = keep;
        }
        (keys, lines, scanner.ended())
    }

    /// An array of items made of `members` (each a key, a value and the
    /// blank after it, chosen by number), and the items' texts.
    fn array_of(items: &[Vec<(usize, usize, usize)>]) -> (String, Vec<String>) {
        const KEYS: [&str; 6] = ["id", "citation-key", "title", "custom", "i\\u0064", "note"];
        const VALUES: [&str; 12] = [
            r#""a""#,
            r#""Ünï x""#,
            r#""q\"}{,\\""#,
            r#""\u00e9\n😀""#,
            "5",
            "-1.5e3",
            "true",
            "null",
            r#"{"id": "inner", "x": [1, "]"]}"#,
            r#"[1, "a", {}]"#,
            r#""""#,
            r#""k{n}""#,
        ];
        const BLANKS: [&str; 4] = ["", " ", "\n", "\r\n  "];
        let texts: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(n, members)| {
                let members: Vec<String> = members
                    .iter()
                    .map(|&(key, value, blank)| {
                        let value = VALUES[value].replace("{n}", &n.to_string());
                        format!(
                            "\"{}\":{}{value}{}",
                            KEYS[key], BLANKS[blank], BLANKS[blank]
                        )
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            })
            .collect();
        (format!("[\n{}\n]\n", texts.join(",\n ")), texts)
    }

    proptest::proptest! {
        /// Whatever pieces the bytes come in, the scan finds the same items
        /// with the same keys and lines; each key the look settles is the
        /// full reading's.
        #[test]
        fn keys_are_found_alike_whatever_the_pieces(
            items in proptest::collection::vec(
                proptest::collection::vec((0usize..6, 0usize..12, 0usize..4), 0..6),
                1..8,
            ),
            size in 1usize..96,
        ) {
            let (text, texts) = array_of(&items);
            let whole = keys_scanned(text.as_bytes(), text.len());
            proptest::prop_assert!(whole.2);
            proptest::prop_assert_eq!(&keys_scanned(text.as_bytes(), size), &whole);
            for (item, &key) in texts.iter().zip(&whole.0) {
                proptest::prop_assert_eq!(own_key(item.as_bytes()), key);
                // (An item that is no work counts for its key all the same.)
                if let (Key::Settled(hash), Some(work)) = (key, read_item(item, 0, &mut |_, _| {})) {
                    let full = crate::key::own_key(&work).map(|key| key_hash(&key));
                    proptest::prop_assert_eq!(full, hash, "{}", item);
                }
            }
        }
    }

    #[test]
    fn a_broken_array_is_left_to_the_whole_reading() {
        for text in [
            "{\"id\": 1}",
            "[{\"id\": 1} {\"id\": 2}]",
            "[{\"id\": 1},]",
            "[{\"id\": 1}",
            "[{\"id\": 1}] x",
            "[,]",
        ] {
            let (_, ended) = scan(text, 1);
            assert!(!ended, "{text}");
        }
        assert!(scan("[]", 1).1);
        assert!(scan(" [ ] ", 2).1);
    }

    /// The keys a window's works were made with: read before the first
    /// pass ended, and after.
    #[test]
    fn works_made_before_the_outline_are_checked_against_it() {
        let make: &Make<'_, Option<String>> = &|_, key, _, _, _| Some(key);
        for (text, shared) in [
            (
                r#"[{"id": "a"}, {"id": "Ünï"}, {"citation-key": "c", "id": "a"}]"#,
                false,
            ),
            (
                "[\r\n{\"id\": \"a\"},\r\n{\"id\": \"b\"},\r\n{\"id\": \"a\"}\r\n]",
                true,
            ),
            (
                r#"[{"id": "a"}, {"title": "no key"}, {"id": "x", "type": "book"}, {"id": "x"}]"#,
                true,
            ),
        ] {
            let bytes = Bytes::Text(text);
            let keys = |works: WindowWorks<Option<String>>| -> Vec<Option<String>> {
                let made = works.events.into_iter().filter_map(|event| match event {
                    Event::Made(key) => Some(key),
                    Event::Reported(_) => None,
                });
                made.collect()
            };
            // The first pass's one window, the whole text.
            let ended = Passed::default();
            let outline = first_pass(bytes, &ended).unwrap().unwrap();
            let span = ended.found(0).unwrap();
            assert_eq!((span.start, span.end), (0, text.len() as u64));
            let running = Passed::default();
            let early = second_pass(bytes, "t.json", &running, &span, make).unwrap();
            assert!(early.assumed.is_some(), "{text}");
            ended.end(Some(outline.clone()));
            assert_eq!(early.holds(&outline), !shared, "{text}");
            let late = second_pass(bytes, "t.json", &ended, &span, make).unwrap();
            assert!(late.assumed.is_none() && late.holds(&outline));
            if !shared {
                assert_eq!(keys(early), keys(late), "{text}");
            } else {
                assert_ne!(keys(early), keys(late), "{text}");
            }
        }
    }

    /// An array on one line is cut into windows after items, each knowing
    /// the column it starts at; the second pass reads each with enough of
    /// the line around it to quote as the whole reading does.
    #[test]
    fn an_array_on_one_line_is_cut_after_items() {
        let items: Vec<String> = (0..20_000)
            .map(|n| format!(r#"{{"id": "s{n}", "title": "😀é{n}"}}"#))
            .collect();
        let text = format!("\u{feff}[{}]", items.join(", "));
        let passed = Passed::default();
        let outline = first_pass(Bytes::Text(&text), &passed).unwrap();
        passed.end(outline);
        let whole = LineIndex::new(&text);
        let mut spans = Vec::new();
        while let Some(span) = passed.found(spans.len()) {
            spans.push(span);
        }
        assert!(spans.len() >= 3, "{}", spans.len());
        for (span, next) in spans.iter().zip(&spans[1..]) {
            assert_eq!(span.end, next.start);
            assert!(span.runs_on);
            let at = usize::try_from(next.start).unwrap();
            assert!(text[..at].ends_with('}'));
            assert_eq!(whole.line_column(at), (next.first_line, next.first_column));
        }
        for span in &spans {
            let mut file = Bytes::Text(&text).open().unwrap();
            let (read, lead) = span_text(&mut file, span).unwrap();
            let start = usize::try_from(span.start).unwrap();
            let end = usize::try_from(span.end).unwrap();
            assert_eq!(&read[lead..lead + end - start], &text[start..end]);
            // The line's characters around the span, as far as quoted.
            let before = text[..start].chars().rev().take(QUOTED + 1).count();
            let after = text[end..].chars().take(QUOTED + 1).count();
            assert_eq!(read[..lead].chars().count().min(QUOTED + 1), before);
            assert_eq!(
                read[lead + end - start..].chars().count().min(QUOTED + 1),
                after
            );
        }
        // A window within a line, of a file that has since been cut short
        // before, within or after its lead: reported as changed.
        let make: &Make<'_, ()> = &|_, _, _, _, _| Some(());
        let span = &spans[1];
        let start = usize::try_from(span.start).unwrap();
        for cut in [0, start - 100, start + 5] {
            let cut = (0..=cut)
                .rev()
                .find(|&at| text.is_char_boundary(at))
                .unwrap();
            let read = second_pass(Bytes::Text(&text[..cut]), "t.json", &passed, span, make);
            assert!(matches!(read, Err(WindowError::Io(_))), "{cut}");
        }
    }

    /// A file that changed after the first pass read it: shorter, or with
    /// other characters where an item was, is reported as changed, never
    /// read in pieces.
    #[test]
    fn a_file_changed_between_the_passes_is_reported() {
        let make: &Make<'_, ()> = &|_, _, _, _, _| Some(());
        let text = "[\r\n{\"id\": \"a\", \"title\": \"Énigme\"},\r\n{\"id\": \"b\"}\r\n]\r\n";
        let ended = Passed::default();
        first_pass(Bytes::Text(text), &ended).unwrap().unwrap();
        let span = ended.found(0).unwrap();
        let cut = text.find("b\"").unwrap();
        let shorter = &text[..cut];
        // The last line end now a character of two bytes: the first pass's
        // span ends within it.
        let accented = format!("{}é", text.trim_end_matches('\n'));
        for changed in [shorter, "", &accented] {
            let error = match second_pass(Bytes::Text(changed), "t.json", &ended, &span, make) {
                Err(WindowError::Io(error)) => error.to_string(),
                Err(_) => panic!("{changed:?}: not an input error"),
                Ok(_) => panic!("{changed:?}: read as if unchanged"),
            };
            assert_eq!(error, "t.json changed while it was read", "{changed:?}");
        }
    }
}
