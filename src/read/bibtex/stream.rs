//! The BibTeX reader: works come out one at a time, and memory is bounded
//! by the largest entry and its `crossref`/`xdata` family, plus a small
//! record per entry, not by the file's text. A file is read so as it is
//! converted; a text in memory (a file read whole) is read the same way
//! by [`read_bibtex`](super::read_bibtex), which gathers the works.
//!
//! It reads the file twice, a window at a time
//! ([`windows`](super::windows)). The first pass
//! (`first_pass`, a large file in parts side by
//! side) gathers what any entry may need from anywhere in the file: the
//! `@string`s (entries see all of them, also later ones) and, for every
//! entry, its key (as a 64-bit hash), offset and line: 24 bytes an entry,
//! so that duplicate keys are found and parents fetched by seeking. The
//! second pass reads the same windows again, several side by side, and
//! turns each entry into a work (by the steps [`super`] describes), the
//! entry's parents read back from the file by offset.
//!
//! The passes overlap: the second starts on a window as soon as the first
//! has passed it, with the `@string`s found so far. What it takes for
//! granted there (that no later `@string` changes a value it used, that
//! its entries' keys come first in the file, that a work's own key is no
//! other work's) is checked once the first pass has ended, and a window
//! for which it does not hold is read again. Nothing is handed on before
//! that, and a window with `crossref` or `xdata` waits for the end.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::key::key_hash;
use crate::parallel::{Relay, Started, StopRelayWhenPanicking};

use super::first_pass::{self, Split};
use super::syntax::{self, Block};
use super::windows::{first_block, Start, Window, WindowError};
use super::{inherit, names};
use super::{Macros, RawEntry, RawField, Reader};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Work;
use crate::read::lines::Anchor;

/// What the first pass found: everything but the entries themselves.
pub struct Outline {
    macros: Arc<Macros<'static>>,
    /// The `@preamble`s, in file order, as the whole reading's library
    /// has them (a `.bib` output writes them first).
    pub preambles: Vec<String>,
    /// The `@string`s as entries see them (what a `.bib` output writes):
    /// a name defined again has its last value, in the order names first
    /// appear. A file of many bibliographies pasted together, each with
    /// the same `@string`s, keeps one of each.
    pub strings: Vec<(String, String)>,
    /// Every entry's key, sorted by hash, then by offset.
    keys: ByHash<KeyRecord>,
    /// Hashes of the keys works will cite by (BibTeX-safe, lower case)
    /// where those are not their entries' keys as they are, sorted.
    cite_keys: ByHash<u64>,
    /// The hashes more than [`CROWDED`] entries have, sorted, and how many
    /// of those cite by it: a key that thousands of entries share (a
    /// placeholder an export gave them all) is counted once, not again
    /// for each of them, which took a time growing with their square.
    crowded: Vec<(u64, usize)>,
    /// The hashes more than one record has, in `keys` and `cite_keys`
    /// together, sorted: few or none. A key outside it is its entry's
    /// alone, which answers the two questions asked of every entry (is it
    /// the first with its key, does its work alone cite by it) from this
    /// short list, not from a record far away in the large table (those
    /// looks were a twentieth of a large file's conversion).
    shared: Vec<u64>,
}

/// How many entries with one key are counted one by one when asked.
const CROWDED: usize = 16;

/// A list sorted by hash, and where each run of hashes that share their
/// first bits starts in it: a lookup reads a few neighbouring records
/// rather than a binary search's many far apart (on a large file those
/// searches were a tenth of the conversion's time, waiting for memory).
struct ByHash<T> {
    sorted: Vec<T>,
    /// Where the run of each value of the first bits starts, and the
    /// list's length last.
    starts: Vec<usize>,
    /// The bits a hash is shifted right by to give its run.
    shift: u32,
}

impl<T> ByHash<T> {
    /// `items`, in any order, sorted by hash and, among equal hashes, by
    /// `then`; four records a run, on average. Each record is moved into
    /// its run, in place (the runs' places are counted first), then each
    /// run of a few is sorted alone: a tenth of what sorting the whole
    /// list cost, and no second list (on a large file, the records are
    /// most of the memory).
    fn new<K: Ord>(
        mut items: Vec<T>,
        hash: impl Fn(&T) -> u64,
        then: impl Fn(&T) -> K,
    ) -> ByHash<T> {
        let bits = (items.len() / 4).checked_ilog2().unwrap_or(0).min(24);
        let shift = 64 - bits;
        let run = |item: &T| hash(item).checked_shr(shift).unwrap_or(0) as usize;
        let mut starts = vec![0; (1 << bits) + 1];
        for item in &items {
            starts[run(item) + 1] += 1;
        }
        for at in 1..starts.len() {
            starts[at] += starts[at - 1];
        }
        // Where the next record of each run goes: a record found in
        // another run's place is swapped into its own.
        let mut next = starts.clone();
        for current in 0..starts.len() - 1 {
            while next[current] < starts[current + 1] {
                let at = next[current];
                let belongs = run(&items[at]);
                if belongs != current {
                    items.swap(at, next[belongs]);
                }
                next[belongs] += 1;
            }
        }
        for pair in starts.windows(2) {
            items[pair[0]..pair[1]].sort_unstable_by_key(|item| (hash(item), then(item)));
        }
        ByHash {
            sorted: items,
            starts,
            shift,
        }
    }

    /// The records whose hashes start as this one does: those with this
    /// hash among them, in order.
    fn near(&self, hash: u64) -> &[T] {
        let run = hash.checked_shr(self.shift).unwrap_or(0) as usize;
        &self.sorted[self.starts[run]..self.starts[run + 1]]
    }
}

/// What is read: a file, or a text in memory (a file read whole, with
/// its encoding made UTF-8), read as the file would be.
#[derive(Clone, Copy)]
pub(crate) enum Bytes<'a> {
    File(&'a Path),
    Text(&'a str),
}

impl<'a> Bytes<'a> {
    pub(crate) fn open(self) -> std::io::Result<Opened<'a>> {
        Ok(match self {
            Bytes::File(path) => Box::new(File::open(path)?),
            Bytes::Text(text) => Box::new(Cursor::new(text.as_bytes())),
        })
    }

    /// `opened`, opened if it is not yet, at `offset`: for reading again
    /// at offset after offset.
    pub(crate) fn at<'o>(
        self,
        opened: &'o mut Option<Opened<'a>>,
        offset: u64,
    ) -> Result<&'o mut Opened<'a>, WindowError> {
        let file = match opened {
            Some(file) => file,
            None => opened.insert(self.open().map_err(WindowError::Io)?),
        };
        file.seek(SeekFrom::Start(offset))
            .map_err(WindowError::Io)?;
        Ok(file)
    }

    pub(crate) fn len(self) -> std::io::Result<u64> {
        match self {
            Bytes::File(path) => std::fs::metadata(path).map(|metadata| metadata.len()),
            Bytes::Text(text) => Ok(text.len() as u64),
        }
    }
}

/// [`Bytes`] opened, to read from any offset. A trait object rather than
/// an enum of the two: reading through it reaches `File`'s own way of
/// reading into memory not yet written, where an enum's `read` would have
/// that memory zeroed first on every read.
pub(crate) type Opened<'a> = Box<dyn ReadSeek + Send + 'a>;

/// [`Read`] and [`Seek`], for [`Opened`].
pub(crate) trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// What a reading reads: the bytes, their name in diagnostics, and
/// whether entries that mark the list's owner are looked for (else such
/// a list is refused, to be read whole).
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    pub(crate) bytes: Bytes<'a>,
    pub(crate) name: &'a str,
    pub(crate) owner_marks: bool,
    /// What `make` makes depends on all the file's `@string`s (a `.bib`
    /// written with them): a window is made before the first pass ends
    /// only while the file has shown none, and made again if it turns out
    /// to have some.
    pub(crate) written_with_strings: bool,
}

/// A window of the file: where its blocks start and end.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) start: Start,
    pub(super) end: u64,
}

/// An entry's key, where the entry starts and its line.
#[derive(Clone, Copy)]
pub(crate) struct KeyRecord {
    /// Of the key in lower case (BibTeX compares keys so); in an outline
    /// of works alone, [`NO_KEY`] for a work without one.
    pub(crate) hash: u64,
    pub(crate) offset: u64,
    pub(crate) line: u32,
    /// Whether the work cites by this key, as it is BibTeX-safe (those
    /// cited by another are in [`Outline`]'s `cite_keys`; an `@xdata`
    /// entry cites by none).
    pub(crate) cited: bool,
}

/// The hash a work without a key of its own is recorded with. (A key
/// whose hash this is would count as none: one in 2^64.)
pub(crate) const NO_KEY: u64 = 0;

impl Outline {
    /// The first entry with this key, if any.
    fn first(&self, key: &str) -> Option<KeyRecord> {
        self.first_with_hash(key_hash(key))
    }

    /// Whether no record but one has this hash: an entry's key outside
    /// [`Outline::shared`] is the first with it.
    fn alone(&self, hash: u64) -> bool {
        self.shared.binary_search(&hash).is_err()
    }

    /// Whether only one work cites by this own key, which a work the
    /// outline counts has (the first pass found its key as the second
    /// pass makes it).
    pub(crate) fn cited_once(&self, hash: u64) -> bool {
        self.alone(hash) || self.works_with_key_hash(hash) == 1
    }

    fn first_with_hash(&self, hash: u64) -> Option<KeyRecord> {
        let near = self.keys.near(hash);
        let at = near.partition_point(|record| record.hash < hash);
        near.get(at).filter(|record| record.hash == hash).copied()
    }

    /// How many works have this own key (made BibTeX-safe, as
    /// [`crate::key`] has it; in any case, as keys are compared).
    pub fn works_with_key(&self, key: &str) -> usize {
        self.works_with_key_hash(key_hash(key))
    }

    pub(crate) fn works_with_key_hash(&self, hash: u64) -> usize {
        let near = self.keys.near(hash);
        let from = near.partition_point(|record| record.hash < hash);
        let same = &near[from..];
        let same = &same[..same.partition_point(|record| record.hash == hash)];
        let own = match same.len() > CROWDED {
            true => self
                .crowded
                .binary_search_by_key(&hash, |&(crowded, _)| crowded)
                .map_or(0, |at| self.crowded[at].1),
            false => same.iter().filter(|record| record.cited).count(),
        };
        let others = self.cite_keys.near(hash);
        let from = others.partition_point(|&other| other < hash);
        own + others[from..].partition_point(|&other| other == hash)
    }

    /// The work's own key if no other work has it; `entry` is the key it
    /// was read with, and that key's hash.
    fn unique_key(&self, work: &Work, entry: (&str, u64)) -> Option<String> {
        let key = crate::key::own_key(work)?;
        self.cited_once(hash_again(&key, entry)).then_some(key)
    }

    /// The first entry with this key if the entry at `offset` is not it.
    fn earlier(&self, hash: u64, offset: u64) -> Option<KeyRecord> {
        match self.alone(hash) {
            true => None,
            false => self
                .first_with_hash(hash)
                .filter(|first| first.offset != offset),
        }
    }
}

/// The hash of `key`: `known`'s, when it is `known`'s key, as most own keys
/// are the keys they were read with (hashing is dearer than comparing).
fn hash_again(key: &str, known: (&str, u64)) -> u64 {
    match key == known.0 {
        true => known.1,
        false => key_hash(key),
    }
}

/// Reads the file in two overlapping passes and calls `each`, in file
/// order, with what `make` turned the works into; `make` gets the work's
/// own key when no other work has it, and what it made of the work before
/// in the same window, to add this one to (then it returns `None`).
/// `each` also gets the outline, for the keys of the others. The first
/// pass's problems are reported before the entries'. `WindowError::NotUtf8` means the file is not UTF-8:
/// then nothing was handed on or reported. The outline is returned at the
/// end (`None` if reading stopped).
pub fn works<T: Send>(
    path: &Path,
    name: &str,
    make: &Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    let input = Input {
        bytes: Bytes::File(path),
        name,
        owner_marks: false,
        written_with_strings: false,
    };
    works_of(input, make, each, &mut |_| {}, report)
}

/// [`works`] of any input; with `input.owner_marks`, a list that marks
/// its owner is read (not refused), each entry marking one calling
/// `marked`.
pub(crate) fn works_of<T: Send>(
    input: Input<'_>,
    make: &Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
    marked: &mut dyn FnMut(Marked),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    works_split(input, first_pass::SPLIT, make, each, marked, report)
}

/// [`works_of`], a file as large as `split` says read in parts by the
/// first pass.
fn works_split<T: Send>(
    input: Input<'_>,
    split: Split,
    make: &Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
    marked: &mut dyn FnMut(Marked),
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    let found = Found::default();
    let first_pass = || {
        // A panic stops the second pass, which would otherwise wait for
        // windows that never come; it is passed on when the first pass is
        // joined.
        let _stop = StopRelayWhenPanicking(&found.0);
        let outcome = first_pass::outline(input, &found, split)
            .map(|(outline, diagnostics)| (Arc::new(outline), diagnostics));
        found.end(outcome.as_ref().ok().map(|(outline, _)| outline.clone()));
        outcome
    };
    // A file of one window is read on this thread, one pass after the
    // other: threads would not pay for themselves.
    let small = input
        .bytes
        .len()
        .is_ok_and(|length| length <= WINDOW as u64);
    let threads = match small {
        true => 1,
        false => crate::parallel::available_threads(),
    };
    std::thread::scope(|scope| {
        let mut first_pass = Some(Started::new(scope, !small, first_pass));
        let mut outline = None;
        let mut result = Ok(());
        crate::parallel::map_in_order_from(
            |index| found.window(index),
            threads,
            AHEAD.max(2 * threads),
            |window| second_pass(input, &found, window, make),
            |read| {
                if outline.is_none() {
                    match end_first_pass(&mut first_pass, report) {
                        Ok(ended) => outline = ended,
                        // Not UTF-8, say: nothing is handed on.
                        Err(error) => {
                            result = Err(error);
                            found.stop();
                            return false;
                        }
                    }
                }
                let Some(outline) = &outline else {
                    found.stop();
                    return false;
                };
                let events = match read {
                    Ok(works) if works.assumed.holds(outline) => works.events,
                    Ok(works) => match final_pass(input, outline, works.span, make) {
                        Ok(works) => works.events,
                        Err(error) => return stop(&found, &mut result, input.name, error),
                    },
                    Err(error) => return stop(&found, &mut result, input.name, error),
                };
                for event in events {
                    match event {
                        Event::Made(made) => each(made, outline),
                        Event::Reported(diagnostic) => report(diagnostic),
                        Event::Marked(marking) => marked(marking),
                    }
                }
                true
            },
        );
        // A file without windows: the first pass is still to be ended.
        if result.is_ok() && outline.is_none() {
            outline = end_first_pass(&mut first_pass, report)?;
        }
        result.map(|()| outline)
    })
}

/// What the first pass gives.
type Outcome = Result<(Arc<Outline>, Vec<Diagnostic>), WindowError>;

/// Waits for the first pass, reports its problems and gives its outline;
/// `Ok(None)` if it was ended before.
fn end_first_pass(
    first_pass: &mut Option<Started<'_, Outcome>>,
    report: &mut dyn FnMut(Diagnostic),
) -> Result<Option<Arc<Outline>>, WindowError> {
    let Some(first_pass) = first_pass.take() else {
        return Ok(None);
    };
    let outcome = first_pass.join();
    let (outline, diagnostics) = outcome?;
    diagnostics.into_iter().for_each(report);
    Ok(Some(outline))
}

/// What the caller turns each work into, given the work's own key when no
/// other work has it and what it made just before in the window: it may
/// add the work to that (and return `None`), for fewer, larger pieces to
/// hand on between threads.
/// `make` also gets where the entry is, for [`Outline::line`], and the
/// outline if the first pass has ended.
pub(crate) type Make<'m, T> = dyn Fn(Work, Option<String>, EntryAt, Option<&Outline>, Option<&mut T>) -> Option<T>
    + Sync
    + 'm;

/// Where an entry is: its key's hash and its offset, which the outline
/// turns into its line when asked.
#[derive(Debug, Clone, Copy)]
pub struct EntryAt {
    hash: u64,
    offset: u64,
}

impl EntryAt {
    /// The work whose own key has this [`key_hash`] (0 for none), at
    /// this offset.
    pub(crate) fn new(hash: u64, offset: u64) -> EntryAt {
        EntryAt { hash, offset }
    }

    /// Where the entry starts in the file.
    pub(crate) fn offset(self) -> u64 {
        self.offset
    }
}

impl Outline {
    /// The outline of a file of works alone, as a CSL-JSON array is: for
    /// each work, the [`key_hash`] of its own key (BibTeX-safe, and
    /// cited by), or [`NO_KEY`], where it starts and its line.
    pub(crate) fn of_works(keys: Vec<KeyRecord>) -> Outline {
        let library = (Arc::new(Macros::new()), Vec::new(), Vec::new());
        Outline::new(library, keys, Vec::new())
    }

    /// The outline of a list put together from others: its `@preamble`s
    /// and `@string`s, for a `.bib` output, and the [`key_hash`]es of its
    /// works' own keys (none for a library whose works have their keys).
    pub(crate) fn of_list(
        preambles: Vec<String>,
        strings: Vec<(String, String)>,
        cite_keys: Vec<u64>,
    ) -> Outline {
        let library = (Arc::new(Macros::new()), preambles, strings);
        Outline::new(library, Vec::new(), cite_keys)
    }

    /// The outline of the file's `@string`s and `@preamble`s (`library`)
    /// and its entries' keys, in any order.
    pub(super) fn new(
        library: (Arc<Macros<'static>>, Vec<String>, Vec<(String, String)>),
        keys: Vec<KeyRecord>,
        cite_keys: Vec<u64>,
    ) -> Outline {
        let (macros, preambles, strings) = library;
        // Offsets differ, so no two records compare equal: the one order.
        let keys = ByHash::new(keys, |record| record.hash, |record| record.offset);
        let crowded = keys
            .sorted
            .chunk_by(|a, b| a.hash == b.hash)
            .filter(|same| same.len() > CROWDED)
            .map(|same| {
                (
                    same[0].hash,
                    same.iter().filter(|record| record.cited).count(),
                )
            })
            .collect();
        let cite_keys = ByHash::new(cite_keys, |&hash| hash, |_| ());
        let shared = shared(&keys, &cite_keys);
        Outline {
            macros,
            preambles,
            strings,
            keys,
            cite_keys,
            crowded,
            shared,
        }
    }

    /// All the outline holds, in order, for tests to compare.
    #[cfg(test)]
    pub(super) fn described(&self) -> String {
        let keys: Vec<_> = self
            .keys
            .sorted
            .iter()
            .map(|record| (record.hash, record.offset, record.line, record.cited))
            .collect();
        format!(
            "{:?}\n{:?}\n{keys:?}\n{:?}",
            self.preambles, self.strings, self.cite_keys.sorted
        )
    }

    /// How many entries the file holds (0 for a list put together from
    /// others).
    pub fn entries(&self) -> usize {
        self.keys.sorted.len()
    }

    /// The line the entry starts on.
    pub fn line(&self, at: EntryAt) -> usize {
        let near = self.keys.near(at.hash);
        let from = near.partition_point(|r| (r.hash, r.offset) < (at.hash, at.offset));
        near.get(from).map_or(0, |record| record.line as usize)
    }
}

/// The hashes more than one of `keys` and `cite_keys` have, sorted.
fn shared(keys: &ByHash<KeyRecord>, cite_keys: &ByHash<u64>) -> Vec<u64> {
    let mut shared: Vec<u64> = keys
        .sorted
        .chunk_by(|a, b| a.hash == b.hash)
        .filter(|same| same.len() > 1)
        .map(|same| same[0].hash)
        .collect();
    // Few works cite by a key other than their entry's.
    for same in cite_keys.sorted.chunk_by(|a, b| a == b) {
        let hash = same[0];
        let entries = keys.near(hash).iter().filter(|record| record.hash == hash);
        if same.len() + entries.count() > 1 {
            shared.push(hash);
        }
    }
    shared.sort_unstable();
    shared.dedup();
    shared
}

/// Hands a work to `make`, next to what it made just before, if anything.
fn push_made<T>(
    events: &mut Vec<Event<T>>,
    make: &Make<'_, T>,
    work: Work,
    key: Option<String>,
    at: EntryAt,
    outline: Option<&Outline>,
) {
    let last = match events.last_mut() {
        Some(Event::Made(last)) => Some(last),
        _ => None,
    };
    if let Some(made) = make(work, key, at, outline, last) {
        events.push(Event::Made(made));
    }
}

/// How many windows the second pass may read ahead of those handed on:
/// while the first pass runs, nothing is handed on, so this is how far
/// the passes overlap (4 MB of a file in windows of 64 kB).
const AHEAD: usize = 64;

/// Ends the second pass on an error. Text the first pass read as UTF-8
/// and the second does not means the file changed in between.
fn stop(
    found: &Found,
    result: &mut Result<(), WindowError>,
    name: &str,
    error: WindowError,
) -> bool {
    *result = Err(match error {
        WindowError::NotUtf8(offset) => WindowError::Io(std::io::Error::other(format!(
            "{name} changed while it was read (not UTF-8 at byte {offset})"
        ))),
        error => error,
    });
    found.stop();
    false
}

/// What the first pass has found so far, shared with the second: the
/// windows it has passed, and the outline once it has ended (`None` in it
/// if that failed).
#[derive(Default)]
pub(super) struct Found(Relay<Published, Option<Arc<Outline>>>);

/// A window the first pass has passed, with the `@string`s defined up to
/// its end if it may be read before the first pass ends.
#[derive(Clone)]
struct Published {
    span: Span,
    macros: Option<Arc<Macros<'static>>>,
}

impl Found {
    /// Adds a window, with the `@string`s defined up to its end if known;
    /// false when the second pass wants no more.
    pub(super) fn publish(&self, span: Span, macros: Option<&Arc<Macros<'static>>>) -> bool {
        // Until the first pass ends nothing is handed on, so the second
        // reads no further than this: only these windows keep the
        // `@string`s of their time, and memory stays bounded.
        self.0.publish_with(|published| Published {
            span,
            macros: macros.filter(|_| published < AHEAD).cloned(),
        })
    }

    fn end(&self, outline: Option<Arc<Outline>>) {
        self.0.end(outline);
    }

    fn stop(&self) {
        self.0.stop();
    }

    /// Window `index`, once the first pass has passed it; `None` when
    /// there is no such window or no more are wanted.
    fn window(&self, index: usize) -> Option<Published> {
        self.0.found(index)
    }

    /// The windows published so far.
    #[cfg(test)]
    pub(super) fn spans(&self) -> Vec<Span> {
        let windows = self.0.found_so_far();
        windows.into_iter().map(|window| window.span).collect()
    }

    /// The outline if the first pass has ended well, without waiting.
    fn outline_now(&self) -> Option<Arc<Outline>> {
        self.0.outcome_now().flatten()
    }

    /// The outline, once the first pass has ended; `None` if it failed or
    /// no more is wanted.
    fn outline(&self) -> Option<Arc<Outline>> {
        self.0.outcome().flatten()
    }
}

/// What the second pass found in a window, in order.
enum Event<T> {
    Made(T),
    Reported(Diagnostic),
    Marked(Marked),
}

/// An entry whose author list marks a person as CV owners mark
/// themselves (`\underline{Ada Lovelace}`): the first person so marked,
/// and the note on the list's owner placed at the entry's author list
/// (its text is [`super::marked_owner`]'s to write).
pub(crate) struct Marked {
    pub(crate) person: crate::model::Person,
    pub(crate) place: Diagnostic,
}

/// A window's works, and what was taken for granted in reading them.
struct WindowWorks<T> {
    span: Span,
    events: Vec<Event<T>>,
    assumed: Assumed,
}

/// What a window read before the first pass ended took for granted.
#[derive(Default)]
struct Assumed {
    /// The `@string`s it was read with, if not the outline's.
    macros: Option<Arc<Macros<'static>>>,
    /// The `@string` names it looked up.
    looked_up: Vec<String>,
    /// Its entries' keys (hashed) and offsets: each the first with its key.
    first_keys: Vec<(u64, u64)>,
    /// The own keys (hashed) its works were given as no other work's.
    unique_keys: Vec<u64>,
    /// Its works were made as if the file had no `@string`s.
    no_strings: bool,
}

impl Assumed {
    fn holds(&self, outline: &Outline) -> bool {
        let Some(macros) = &self.macros else {
            return true;
        };
        macros.agree(&outline.macros, &self.looked_up)
            && (!self.no_strings || outline.strings.is_empty())
            && self
                .first_keys
                .iter()
                .all(|&(hash, offset)| outline.earlier(hash, offset).is_none())
            && self
                .unique_keys
                .iter()
                .all(|&hash| outline.cited_once(hash))
    }
}

/// The second pass on one window: with the outline if the first pass has
/// ended, else with what it has found so far (or, for a window whose
/// entries have parents, once it has ended).
fn second_pass<T>(
    input: Input<'_>,
    found: &Found,
    window: Published,
    make: &Make<'_, T>,
) -> Result<WindowWorks<T>, WindowError> {
    if let Some(outline) = found.outline_now() {
        return final_pass(input, &outline, window.span, make);
    }
    let early = match &window.macros {
        Some(macros) => early_pass(input, window.span, macros, make)?,
        None => None,
    };
    match early {
        Some(works) => Ok(works),
        None => match found.outline() {
            Some(outline) => final_pass(input, &outline, window.span, make),
            // The first pass failed: that is what is reported.
            None => Ok(WindowWorks {
                span: window.span,
                events: Vec::new(),
                assumed: Assumed::default(),
            }),
        },
    }
}

/// A window's entries with their fields, read one at a time.
fn parse_span(text: &str, span: Span) -> impl Iterator<Item = syntax::Entry<'_>> {
    let from = span.start.lead;
    let limit = usize::try_from(span.end - span.start.offset)
        .unwrap_or(usize::MAX)
        .saturating_add(from);
    // The span ends where the first pass found a block to start, so no
    // block before it runs on: the span reads as a text of its own.
    syntax::entries_of_part(text, from, limit, true)
}

/// The works of one window, read with the full outline.
fn final_pass<T>(
    input: Input<'_>,
    outline: &Outline,
    span: Span,
    make: &Make<'_, T>,
) -> Result<WindowWorks<T>, WindowError> {
    let name = input.name;
    let text = read_span(input.bytes, span)?;
    let mut parents = EntriesAt::new(input, outline);
    let lines = OnceLock::new();
    let mut events = Vec::new();
    let look_for_marks = input.owner_marks && names::may_mark_a_name(&text);
    for entry in parse_span(&text, span) {
        let mut reader = Reader::new(name, &text, span.start.anchor(), &lines);
        let offset = span.start.base() + entry.offset as u64;
        let key = (entry.key, key_hash(entry.key));
        if let Some(first) = outline.earlier(key.1, offset) {
            reader.report_duplicate(entry.key, first.line as usize, entry.offset);
        }
        let raw = reader.raw_entry(entry, &outline.macros);
        let resolved = parents.family(raw, offset)?;
        for (severity, message) in resolved.problems {
            reader.report_inheritance(&resolved.entry, severity, message);
        }
        if look_for_marks {
            events.extend(owner_mark(&resolved.entry, &reader).map(Event::Marked));
        }
        let work = (resolved.entry.kind != "xdata").then(|| reader.work(&resolved.entry));
        events.extend(reader.diagnostics.into_iter().map(Event::Reported));
        if let Some(work) = work {
            let unique = outline.unique_key(&work, key);
            let at = EntryAt {
                hash: key.1,
                offset,
            };
            push_made(&mut events, make, work, unique, at, Some(outline));
        }
    }
    let assumed = Assumed::default();
    Ok(WindowWorks {
        span,
        events,
        assumed,
    })
}

/// The works of one window read before the first pass ended, with the
/// `@string`s defined up to its end, and what that takes for granted;
/// `None` when an entry has parents, which may come later in the file, or
/// when the file has `@string`s and what is made is written with them.
fn early_pass<T>(
    input: Input<'_>,
    span: Span,
    macros: &Arc<Macros<'static>>,
    make: &Make<'_, T>,
) -> Result<Option<WindowWorks<T>>, WindowError> {
    // The file has `@string`s: the works would be made again.
    if input.written_with_strings && macros.defines_any() {
        return Ok(None);
    }
    let name = input.name;
    let text = read_span(input.bytes, span)?;
    let lines = OnceLock::new();
    let mut events = Vec::new();
    let mut assumed = Assumed {
        macros: Some(macros.clone()),
        no_strings: input.written_with_strings,
        ..Assumed::default()
    };
    let look_for_marks = input.owner_marks && names::may_mark_a_name(&text);
    for entry in parse_span(&text, span) {
        let mut reader = Reader::new(name, &text, span.start.anchor(), &lines);
        // One list for the window: each name is kept once.
        reader.looked_up = Some(std::mem::take(&mut assumed.looked_up));
        let offset = span.start.base() + entry.offset as u64;
        let key = (entry.key, key_hash(entry.key));
        assumed.first_keys.push((key.1, offset));
        let raw = reader.raw_entry(entry, macros);
        if inherit::parent_keys(&raw).next().is_some() {
            return Ok(None);
        }
        assumed.looked_up = reader.looked_up.take().unwrap_or_default();
        if look_for_marks {
            events.extend(owner_mark(&raw, &reader).map(Event::Marked));
        }
        let work = (raw.kind != "xdata").then(|| reader.work(&raw));
        events.extend(reader.diagnostics.into_iter().map(Event::Reported));
        if let Some(work) = work {
            let own = crate::key::own_key(&work);
            let own_hash = own.as_deref().map(|own| hash_again(own, key));
            assumed.unique_keys.extend(own_hash);
            let at = EntryAt {
                hash: key.1,
                offset,
            };
            push_made(&mut events, make, work, own, at, None);
        }
    }
    Ok(Some(WindowWorks {
        span,
        events,
        assumed,
    }))
}

/// The first person the entry's author list marks as the list's owner,
/// if any.
fn owner_mark(entry: &RawEntry<'_>, reader: &Reader<'_>) -> Option<Marked> {
    let author = entry.find("author")?;
    let person = names::marked(&author.value).into_iter().next()?;
    let note = Diagnostic::new(Severity::Note, "bibtex::owner", String::new());
    Some(Marked {
        person,
        place: reader.placed(note, author.offset),
    })
}

/// The spans the second pass reads a window in: the window itself, or,
/// when it grew long (a long `@comment` that never closed holds it open),
/// pieces of it cut where an entry starts a line, so that the second pass
/// holds no more of it at once.
pub(super) fn spans(window: &Window<'_>) -> Vec<Span> {
    let whole = Span {
        start: window.start,
        end: window.end,
    };
    let from = window.start.lead;
    let length = usize::try_from(window.end - window.start.offset).unwrap_or(usize::MAX);
    if length <= 4 * WINDOW {
        return vec![whole];
    }
    let text = window.text.as_bytes();
    let end = from.saturating_add(length);
    // Only blanks back to a line end or the start: on a file of one long
    // line, reading back to the line's start would read it once an entry.
    let starts_line = |at: usize| {
        let blanks = text[..at]
            .iter()
            .rev()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r'))
            .count();
        at == blanks || text[at - blanks - 1] == b'\n'
    };
    let mut spans = Vec::new();
    let mut start = window.start;
    let mut at = from;
    for block in &window.syntax.blocks {
        let Block::Entry(entry) = block else {
            continue;
        };
        if entry.offset >= at + WINDOW && entry.offset < end && starts_line(entry.offset) {
            let next = start.moved_to(window.text, at, entry.offset);
            spans.push(Span {
                start,
                end: next.offset,
            });
            (start, at) = (next, entry.offset);
        }
    }
    spans.push(Span {
        start,
        end: window.end,
    });
    spans
}

/// How many line ends `bytes` holds. Counted in bytes, 255 at most at a
/// time, which the compiler turns into vector instructions: faster than
/// finding each line end in turn.
pub(super) fn newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let ends = chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
            usize::from(ends)
        })
        .sum()
}

/// A span's text as the first pass saw it: its lead, its bytes and what
/// follows them on their last line ([`tail_length`]).
fn read_span(bytes: Bytes<'_>, span: Span) -> Result<Cow<'_, str>, WindowError> {
    let base = span.start.base();
    let size = usize::try_from(span.end - base).unwrap_or(usize::MAX);
    // A text in memory is read where it is.
    if let Bytes::Text(text) = bytes {
        let start = usize::try_from(base).unwrap_or(usize::MAX).min(text.len());
        let end = start.saturating_add(size).min(text.len());
        let mut tail_end = end + tail_length(&text.as_bytes()[end..], true).unwrap_or(0);
        while !text.is_char_boundary(tail_end) {
            tail_end -= 1;
        }
        return text
            .get(start..tail_end)
            .map(Cow::Borrowed)
            .ok_or(WindowError::NotUtf8(base));
    }
    let mut file = bytes.open().map_err(WindowError::Io)?;
    file.seek(SeekFrom::Start(base)).map_err(WindowError::Io)?;
    // The span and what follows it, which is short, read in one go: a
    // read for the tail would cost as much as the span's.
    let mut bytes = Vec::with_capacity(size.saturating_add(LINE_REST));
    let mut wanted = size;
    loop {
        wanted = wanted.saturating_add(LINE_REST);
        let more = wanted - bytes.len();
        file.by_ref()
            .take(more as u64)
            .read_to_end(&mut bytes)
            .map_err(WindowError::Io)?;
        let after = bytes.get(size..).unwrap_or_default();
        if let Some(tail) = tail_length(after, bytes.len() < wanted) {
            bytes.truncate(size.saturating_add(tail));
            break;
        }
    }
    let not_utf8 =
        |error: std::str::Utf8Error| WindowError::NotUtf8(base + error.valid_up_to() as u64);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Owned(text)),
        // A tail cut within a character ends before it.
        Err(error)
            if error.utf8_error().error_len().is_none()
                && error.utf8_error().valid_up_to() >= size =>
        {
            let valid = error.utf8_error().valid_up_to();
            let mut bytes = error.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes)
                .map(Cow::Owned)
                .map_err(|error| not_utf8(error.utf8_error()))
        }
        Err(error) => Err(not_utf8(error.utf8_error())),
    }
}

/// How much of what follows a span is read with it: the rest of its last
/// line, where the next entry starts, as far as the name of its type and
/// [`LINE_REST`] bytes more (a value left open before it must see that
/// `@type{` starts an entry, and a quote shows the text after a problem);
/// `None` when `after` is too short to tell and the file goes on.
fn tail_length(after: &[u8], at_end: bool) -> Option<usize> {
    let head = match after.first() {
        Some(b'@') => syntax::identifier_end(after, 1).unwrap_or(1),
        _ => 0,
    };
    let bound = head + LINE_REST;
    match memchr::memchr(b'\n', &after[..after.len().min(bound)]) {
        Some(newline) => Some(newline + 1),
        None if after.len() >= bound => Some(bound),
        None if at_end => Some(after.len()),
        None => None,
    }
}

/// How much of the line a span ends in is read with it, past the name
/// of the entry type there.
const LINE_REST: usize = 1024;

/// An entry with what it inherited, and the problems doing so.
struct Resolved<'t> {
    entry: RawEntry<'t>,
    problems: Vec<(Severity, String)>,
}

/// Entries read again from the file by offset: parents, a few kept for
/// the next child that shares them, and works read again alone.
pub(crate) struct EntriesAt<'o> {
    bytes: Bytes<'o>,
    /// Opened for the first parent: most windows have none.
    file: Option<Opened<'o>>,
    name: String,
    outline: &'o Outline,
    cache: HashMap<u64, RawEntry<'static>>,
}

/// How much of the file a window holds at least: large enough that
/// windows are few, small enough not to matter.
pub(super) const WINDOW: usize = 1 << 16;

/// How much is read at first of an entry read again alone (a parent, or
/// a work to merge): most entries are shorter; a longer one is read on.
const ENTRY_WINDOW: usize = 1 << 11;

/// How many parents are kept: enough for the children near each other in
/// a file, few enough to stay small.
const CACHED_PARENTS: usize = 256;

impl<'o> EntriesAt<'o> {
    pub(crate) fn new(input: Input<'o>, outline: &'o Outline) -> Self {
        EntriesAt {
            bytes: input.bytes,
            file: None,
            name: input.name.to_owned(),
            outline,
            cache: HashMap::new(),
        }
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

    /// The work of the entry at `offset`, read again alone as the second
    /// pass reads it (its parents fetched too), its problems not reported
    /// again: they were where it was first read. `None` for `@xdata`.
    pub(crate) fn work(&mut self, offset: u64) -> Result<Option<Work>, WindowError> {
        let entry = self.read(offset)?;
        let resolved = self.family(entry, offset)?;
        if resolved.entry.kind == "xdata" {
            return Ok(None);
        }
        let lines = OnceLock::new();
        let mut reader = Reader::new(&self.name, "", Anchor::line_start(1), &lines);
        Ok(Some(reader.work(&resolved.entry)))
    }

    /// The entry at `offset`, read from the file (problems in it are
    /// reported where it is read as an entry of its own).
    fn fetch<'t>(&mut self, offset: u64) -> Result<RawEntry<'t>, WindowError> {
        if let Some(entry) = self.cache.get(&offset) {
            return Ok(entry.clone());
        }
        let entry = self.read(offset)?;
        if self.cache.len() >= CACHED_PARENTS {
            self.cache.clear();
        }
        self.cache.insert(offset, entry.clone());
        Ok(entry)
    }

    /// The entry at `offset`, read from the file.
    fn read(&mut self, offset: u64) -> Result<RawEntry<'static>, WindowError> {
        let file = self.bytes.at(&mut self.file, offset)?;
        let name = &self.name;
        let macros = &self.outline.macros;
        let found = first_block(file, offset, ENTRY_WINDOW, |window| {
            let lines = OnceLock::new();
            let mut reader = Reader::new(name, window.text, window.start.anchor(), &lines);
            match window.syntax.blocks.into_iter().next() {
                Some(Block::Entry(entry)) => Some(owned(reader.raw_entry(entry, macros))),
                _ => None,
            }
        })?;
        found.ok_or(WindowError::Io(std::io::Error::other(format!(
            "{} changed while it was read",
            self.name
        ))))
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
        spellings: entry
            .spellings
            .into_iter()
            .map(|name| name.into_owned().into())
            .collect(),
        offset: FETCHED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys many entries share are counted as keys few share are: the
    /// entries that cite by them, and the others' keys made the same.
    #[test]
    fn works_sharing_a_key_are_counted_however_many() {
        let record = |hash, offset: u64| KeyRecord {
            hash,
            offset,
            line: offset as u32,
            cited: offset % 3 != 0,
        };
        for many in [0, 1, 2, CROWDED, CROWDED + 1, 1000] {
            let mut keys: Vec<_> = (0..many as u64).map(|at| record(7 << 40, at)).collect();
            keys.extend((0..50).map(|at| record(at << 40 | 1, 10_000 + at)));
            let cite_keys = vec![7 << 40; many / 2];
            let library = (Arc::new(Macros::new()), Vec::new(), Vec::new());
            let outline = Outline::new(library, keys.clone(), cite_keys);
            let cited = keys.iter().filter(|r| r.hash == 7 << 40 && r.cited).count();
            assert_eq!(
                outline.works_with_key_hash(7 << 40),
                cited + many / 2,
                "{many}"
            );
            assert_eq!(outline.works_with_key_hash(3 << 40 | 1), 1, "{many}");
            assert_eq!(outline.works_with_key_hash(8 << 40), 0, "{many}");
        }
    }

    proptest::proptest! {
        /// Every hash's records are among those near it, as a scan of the
        /// whole list finds them, for lists of any length (repeated
        /// hashes, the smallest and largest hashes among them).
        #[test]
        fn records_near_a_hash_hold_all_of_that_hash(
            mut hashes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u64>(),
                    0..4u64,
                    (u64::MAX - 3)..=u64::MAX,
                ],
                0..300,
            ),
            others in proptest::collection::vec(proptest::prelude::any::<u64>(), 8),
        ) {
            let probes: Vec<u64> = hashes.iter().chain(&others).copied().collect();
            let index = ByHash::new(hashes.clone(), |&hash| hash, |_| ());
            // Equal hashes in the order of a second key, given backwards.
            let mut pairs: Vec<(u64, usize)> =
                hashes.iter().copied().zip(0..hashes.len()).rev().collect();
            let by_pairs = ByHash::new(pairs.clone(), |pair| pair.0, |pair| pair.1);
            pairs.sort_unstable();
            proptest::prop_assert_eq!(&by_pairs.sorted, &pairs);
            hashes.sort_unstable();
            proptest::prop_assert_eq!(&index.sorted, &hashes);
            for probe in probes {
                let near = index.near(probe);
                let count = |list: &[u64]| list.iter().filter(|&&hash| hash == probe).count();
                proptest::prop_assert_eq!(count(near), count(&hashes));
                proptest::prop_assert!(near.is_sorted());
            }
        }

        /// A hash is shared when more than one record has it, in the
        /// entries' keys and the cited keys together, as a plain count
        /// of both lists says (few hashes, so that many repeat); a work's
        /// own key is cited once when the count of works citing by it says
        /// so.
        #[test]
        fn shared_hashes_are_those_more_than_one_record_has(
            key_hashes in proptest::collection::vec((0..40u64, proptest::prelude::any::<bool>()), 0..60),
            cite_keys in proptest::collection::vec(0..40u64, 0..20),
        ) {
            let keys: Vec<_> = key_hashes
                .iter()
                .zip(0..)
                .map(|(&(hash, cited), offset)| KeyRecord { hash: hash << 58, offset, line: 1, cited })
                .collect();
            let cite_keys: Vec<u64> = cite_keys.iter().map(|hash| hash << 58).collect();
            let library = (Arc::new(Macros::new()), Vec::new(), Vec::new());
            let outline = Outline::new(library, keys.clone(), cite_keys.clone());
            for hash in (0..41u64).map(|hash| hash << 58) {
                let cited = keys.iter().filter(|r| r.hash == hash && r.cited).count()
                    + cite_keys.iter().filter(|&&other| other == hash).count();
                let records = keys.iter().filter(|record| record.hash == hash).count()
                    + cite_keys.iter().filter(|&&other| other == hash).count();
                proptest::prop_assert_eq!(outline.alone(hash), records <= 1, "{}", hash >> 58);
                if cited > 0 {
                    proptest::prop_assert_eq!(outline.cited_once(hash), cited == 1);
                }
            }
            proptest::prop_assert!(outline.shared.is_sorted());
        }
    }

    /// Every window of `text` read early, with the `@string`s the first
    /// pass had found by its end, and read with the whole outline: how
    /// many early readings hold, and how many do not (or wait). Where one
    /// holds, it must give just what the whole outline gives.
    fn early_and_final(text: &str) -> (usize, usize) {
        let (held, failed, _) = early_and_final_marks(text);
        (held, failed)
    }

    /// [`early_and_final`], owner marks looked for, with how many marks
    /// the early readings that held found.
    fn early_and_final_marks(text: &str) -> (usize, usize, usize) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let input = Input {
            bytes: Bytes::File(file.path()),
            name: "test.bib",
            owner_marks: true,
            written_with_strings: false,
        };
        let found = Found::default();
        let (outline, _) = first_pass::outline(input, &found, first_pass::SPLIT).unwrap();
        let make =
            |work: Work,
             key: Option<String>,
             _: EntryAt,
             _: Option<&Outline>,
             _: Option<&mut String>| { Some(format!("{work:?} {key:?}")) };
        let events = |works: WindowWorks<String>| -> Vec<String> {
            let show = |event: Event<String>| match event {
                Event::Made(made) => made,
                Event::Reported(diagnostic) => format!("{diagnostic:?}"),
                Event::Marked(marked) => format!("{:?} {:?}", marked.person, marked.place),
            };
            works.events.into_iter().map(show).collect()
        };
        let windows = found.0.found_so_far();
        assert!(windows.len() >= 3, "the test text spans several windows");
        let (mut held, mut failed, mut marks) = (0, 0, 0);
        for window in windows {
            let whole = final_pass(input, &outline, window.span, &make).unwrap();
            let macros = window.macros.expect("few windows are all read early");
            match early_pass(input, window.span, &macros, &make).unwrap() {
                Some(early) if early.assumed.holds(&outline) => {
                    held += 1;
                    let early = events(early);
                    marks += early
                        .iter()
                        .filter(|event| event.starts_with("Personal"))
                        .count();
                    assert_eq!(early, events(whole));
                }
                _ => failed += 1,
            }
        }
        (held, failed, marks)
    }

    /// Entries enough for several windows, the first citing `@string`
    /// `venue` and the last with key `last`.
    fn entries(count: usize) -> String {
        let mut text = String::new();
        for n in 0..count {
            let key = if n + 1 == count {
                "last".to_owned()
            } else {
                format!("k{n}")
            };
            let venue = if n == 0 {
                "venue"
            } else {
                "{Some Journal of Things}"
            };
            text += &format!(
                "@article{{{key},\n  author = {{Doe, Jane and Roe, Rick}},\n  title = {{Paper number {n} on things}},\n  journal = {venue},\n  year = {{2020}}, month = jan,\n}}\n\n"
            );
        }
        text
    }

    #[test]
    fn a_window_read_early_holds_when_nothing_later_changes_it() {
        let text = format!("@string{{venue = {{Early}}}}\n{}", entries(2000));
        let (held, failed) = early_and_final(&text);
        assert_eq!(failed, 0);
        assert!(held >= 3);
    }

    #[test]
    fn owner_marks_read_early_are_those_read_with_the_outline() {
        let text = format!("@string{{venue = {{Early}}}}\n{}", entries(2000)).replace(
            "{Doe, Jane and Roe, Rick}",
            "{\\underline{Doe, Jane} and Roe, Rick}",
        );
        let (held, failed, marks) = early_and_final_marks(&text);
        assert_eq!(failed, 0);
        assert!(held >= 3);
        // Every entry marks its first author, and every window held.
        assert_eq!(marks, 2000);
    }

    #[test]
    fn a_string_defined_or_redefined_later_is_read_again() {
        for text in [
            format!("{}@string{{venue = {{Late}}}}\n", entries(2000)),
            format!(
                "@string{{venue = {{Early}}}}\n{}@string{{VENUE = {{Late}}}}\n",
                entries(2000)
            ),
        ] {
            let (held, failed) = early_and_final(&text);
            // The first window cites it; the others do not.
            assert_eq!(failed, 1, "{}", &text[text.len() - 40..]);
            assert!(held >= 2);
        }
    }

    #[test]
    fn a_key_given_again_later_is_read_again() {
        // The first entry's key comes back at the end: the first window
        // took its own key as unique, the last holds a duplicate.
        let text = entries(2000).replacen("@article{last,", "@article{K0,", 1);
        let (held, failed) = early_and_final(&text);
        assert_eq!(failed, 2);
        assert!(held >= 1);
        // An own key made BibTeX-safe the same way as another's.
        let text = entries(2000)
            .replacen("@article{k0,", "@article{a_b,", 1)
            .replacen("@article{last,", "@article{a#b,", 1);
        assert_eq!(early_and_final(&text).1, 2);
    }

    /// Everything a reading of `text` hands on, in order: the works made,
    /// with their lines, the diagnostics and the owner marks.
    fn read_with(bytes: Bytes<'_>, split: Split) -> Vec<String> {
        let input = Input {
            bytes,
            name: "test.bib",
            owner_marks: true,
            written_with_strings: false,
        };
        let make = |work: Work,
                    key: Option<String>,
                    at: EntryAt,
                    _: Option<&Outline>,
                    _: Option<&mut (String, EntryAt)>| {
            Some((format!("{work:?} {key:?}"), at))
        };
        let handed_on = std::cell::RefCell::new(Vec::new());
        let mut each = |(made, at): (String, EntryAt), outline: &Arc<Outline>| {
            handed_on
                .borrow_mut()
                .push(format!("{made} line {}", outline.line(at)));
        };
        let mut marked = |mark: Marked| {
            handed_on
                .borrow_mut()
                .push(format!("{:?} {:?}", mark.person, mark.place));
        };
        let mut report =
            |diagnostic: Diagnostic| handed_on.borrow_mut().push(format!("{diagnostic:?}"));
        let outline = works_split(input, split, &make, &mut each, &mut marked, &mut report);
        let mut handed_on = handed_on.into_inner();
        handed_on.push(format!(
            "{:?}",
            outline.map(|outline| outline.map(|o| o.described()))
        ));
        handed_on
    }

    #[test]
    fn a_file_read_in_parts_gives_what_one_reading_gives() {
        use super::first_pass::tests::text_of;
        let whole = Split {
            from: u64::MAX,
            parts: 1,
        };
        // Pieces of every kind, many times over: windows enough for the
        // second pass to read side by side.
        let pieces: Vec<u8> = (0..6000u32).map(|n| (n * 7 % 13) as u8).collect();
        let texts = [
            text_of(&pieces, false, false),
            text_of(&pieces[..3000], true, true),
            format!(
                "{}{}",
                entries(1500),
                text_of(&pieces[..2000], false, false)
            ),
        ];
        for text in &texts {
            let file = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(file.path(), text).unwrap();
            let expected = read_with(Bytes::Text(text), whole);
            assert!(expected.len() > 3000);
            for parts in [2, 3, 7] {
                let split = Split { from: 0, parts };
                assert!(
                    read_with(Bytes::Text(text), split) == expected,
                    "{parts} parts"
                );
                assert!(
                    read_with(Bytes::File(file.path()), split) == expected,
                    "{parts} parts"
                );
            }
        }
    }

    #[test]
    fn a_window_with_parents_waits_for_the_outline() {
        let text = entries(2000).replacen("year = {2020},", "crossref = {last},", 1);
        let (_, failed) = early_and_final(&text);
        assert_eq!(failed, 1);
    }
}
