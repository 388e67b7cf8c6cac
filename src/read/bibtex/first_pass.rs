//! The BibTeX reader's first pass ([`super::stream`]): the `@string`s and
//! `@preamble`s, and every entry's key, offset and line, for the
//! [`Outline`]; each window is handed to the second pass once passed.
//!
//! A large file is cut, at lines that start an entry, into a part for
//! each core, read side by side. The first part is read as the start of
//! the file; each other one as if it were a file of its own, then joined
//! to those before it in order: its lines counted on from theirs, its
//! `@string`s defined after theirs. That is what one reading from the
//! start finds, unless a part used a `@string` it had not defined itself
//! (a part before it may have), or a `@comment` is open across a cut:
//! then the part is read again, from where the parts before it ended.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::stream::{newlines, spans, Bytes, Found, Input, KeyRecord, Outline, Span};
use super::syntax::{self, Block, Fields, Piece};
use super::windows::{for_each_window_of, lead_before, Ended, Start, Stretch, Window, WindowError};
use super::{names, Macros, Reader};
use crate::diagnostic::Diagnostic;
use crate::key::key_hash;

/// When a file is read in parts, and in how many (0: one a core).
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub(super) from: u64,
    pub(super) parts: usize,
}

/// Files from 1 MB on are read in parts (measured: a 1.6 MB file gains
/// a tenth, a 0.6 MB one loses one, to the thread and the cuts sought).
pub(super) const SPLIT: Split = Split {
    from: 1 << 20,
    parts: 0,
};

/// The first pass. Keeps its syntax errors and `@string` problems to be
/// reported before the entries'.
pub(super) fn outline(
    input: Input<'_>,
    found: &Found,
    split: Split,
) -> Result<(Outline, Vec<Diagnostic>), WindowError> {
    let length = input.bytes.len().unwrap_or(0);
    let parts = match split.parts {
        0 => crate::parallel::available_threads(),
        parts => parts,
    };
    let cuts = match length >= split.from && parts > 1 {
        true => cuts(input.bytes, length, parts).map_err(WindowError::Io)?,
        false => Vec::new(),
    };
    let stretch = |index: usize, line: usize| Stretch {
        start: match index {
            0 => Start::FILE,
            index => Start {
                line,
                ..cuts[index - 1]
            },
        },
        until: cuts.get(index).map(|cut| cut.offset),
    };
    let cancelled = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Parts no longer wanted (the first ran past its end, or failed)
        // stop at their next window.
        let _cancel = CancelWhenDropped(&cancelled);
        let later: Vec<_> = (1..=cuts.len())
            .map(|index| {
                let (stretch, cancelled) = (stretch(index, 1), &cancelled);
                // (A file that grew since its length was taken may have
                // its last cut past that length.)
                let part_length = stretch
                    .until
                    .unwrap_or(length)
                    .saturating_sub(stretch.start.offset);
                scope.spawn(move || {
                    let mut part = Gathered::new(part_length, true);
                    let ended = part.read(input, stretch, Passed::Kept(cancelled))?;
                    Ok((part, ended))
                })
            })
            .collect();
        let mut gathered = Gathered::new(length, false);
        let mut ended = gathered.read(input, stretch(0, 1), Passed::Published(found))?;
        for (index, part) in (1..).zip(later) {
            let Ended::AtUntil { line } = ended else {
                break;
            };
            let part = part
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            ended = match part? {
                (part, part_ended) if part.fits_after(&gathered) => {
                    gathered.append(part, part_ended, line, found)
                }
                _ => gathered.read(input, stretch(index, line), Passed::Published(found))?,
            };
        }
        gathered.finish(input)
    })
}

/// Where the parts after the first start: at the first line that starts
/// an entry after each `length / parts`-th byte (each on line 1: a part
/// counts its lines from there).
fn cuts(bytes: Bytes<'_>, length: u64, parts: usize) -> std::io::Result<Vec<Start>> {
    let mut file = bytes.open()?;
    let mut cuts: Vec<Start> = Vec::new();
    for part in 1..parts as u64 {
        let target = length * part / parts as u64;
        file.seek(SeekFrom::Start(target))?;
        let mut chunk = Vec::with_capacity(CUT_SOUGHT);
        file.by_ref()
            .take(CUT_SOUGHT as u64)
            .read_to_end(&mut chunk)?;
        // From the first whole character on, as far as the text is UTF-8
        // (what is not is the reading's to report).
        let skipped = chunk.iter().take_while(|&&b| b & 0xC0 == 0x80).count();
        let text = match std::str::from_utf8(&chunk[skipped..]) {
            Ok(text) => text,
            Err(error) => {
                let valid = &chunk[skipped..skipped + error.valid_up_to()];
                std::str::from_utf8(valid).unwrap_or_default()
            }
        };
        if let Some(at) = syntax::first_entry_line(text) {
            let cut = target + (skipped + at) as u64;
            // The blanks before it (ASCII, from its line's start) are read
            // with it, to be quoted.
            let blanks = text[..at]
                .rfind('\n')
                .map_or(at, |newline| at - newline - 1);
            if cuts.last().is_none_or(|last| cut > last.offset) {
                cuts.push(Start {
                    offset: cut,
                    line: 1,
                    column: blanks + 1,
                    lead: lead_before(text, at),
                });
            }
        }
    }
    Ok(cuts)
}

/// How far past each `length / parts`-th byte a line that starts an entry
/// is looked for; a part whose start has none that near is not cut off.
const CUT_SOUGHT: usize = 1 << 16;

/// Cancels the parts when the first pass returns, whichever way.
struct CancelWhenDropped<'c>(&'c AtomicBool);

impl Drop for CancelWhenDropped<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Where the windows a reading has passed go.
#[derive(Clone, Copy)]
enum Passed<'f> {
    /// To the second pass, now.
    Published(&'f Found),
    /// Kept, to be published when the part is joined to those before it;
    /// the reading stops once the flag is set.
    Kept(&'f AtomicBool),
}

/// What the first pass gathers, from the start of the file or of a part.
struct Gathered {
    macros: Arc<Macros<'static>>,
    /// The `@string`s of a window without entries: none (see
    /// [`Gathered::window`]).
    no_macros: Arc<Macros<'static>>,
    preambles: Vec<String>,
    strings: Vec<(String, String)>,
    /// Where each name (lower case) is in `strings`.
    string_at: foldhash::HashMap<String, usize>,
    keys: Vec<KeyRecord>,
    /// The hashes of the keys works cite by that are not their entries'
    /// own as they are (few keys hold a character BibTeX cannot take).
    cite_keys: Vec<u64>,
    diagnostics: Vec<Diagnostic>,
    owner_marked: bool,
    /// For a part: the `@string` names (lower case) it looked up before
    /// defining them, which the parts before it may define.
    from_before: Option<Vec<String>>,
    /// For a part: its windows, numbered from its own first line.
    spans: Vec<Span>,
}

/// About the fewest bytes an entry takes (`@misc{k1, title = {T 1}}` and
/// a line break are 26), for the room the first pass's lists are given:
/// room never written to takes no memory, while a list that outgrows its
/// room is copied into one twice as large (500,000 entries of 47 bytes
/// took 40 MB with room for one in 128 bytes, 30 MB with this).
const BYTES_AN_ENTRY_AT_LEAST: u64 = 32;

/// The most records room is made for at the start (a 512 MB file's worth),
/// so that the room asked for stays a small part of what a machine has.
const MAX_EXPECTED: usize = 1 << 24;

impl Gathered {
    /// Nothing gathered yet from `length` bytes, the file's start or a
    /// `part` of it.
    fn new(length: u64, part: bool) -> Gathered {
        // Room for as many records as the bytes can be expected to hold:
        // grown a doubling at a time, the lists would touch twice their
        // memory, fresh each time (page faults were a fifth of the first
        // pass's time). Room never written to takes no memory from the
        // system, and the parts joined to the first fill its room.
        let expected = usize::try_from(length / BYTES_AN_ENTRY_AT_LEAST)
            .unwrap_or(0)
            .min(MAX_EXPECTED);
        Gathered {
            macros: Arc::new(Macros::new()),
            no_macros: Arc::new(Macros::new()),
            preambles: Vec::new(),
            strings: Vec::new(),
            string_at: foldhash::HashMap::default(),
            keys: Vec::with_capacity(expected),
            cite_keys: Vec::new(),
            diagnostics: Vec::new(),
            owner_marked: false,
            from_before: part.then(Vec::new),
            spans: Vec::new(),
        }
    }

    /// Reads a stretch of the file, window by window.
    fn read(
        &mut self,
        input: Input<'_>,
        stretch: Stretch,
        passed: Passed<'_>,
    ) -> Result<Ended, WindowError> {
        let mut file = input.bytes.open().map_err(WindowError::Io)?;
        file.seek(SeekFrom::Start(stretch.start.base()))
            .map_err(WindowError::Io)?;
        // Where marks are looked for here, the entries' author lists are
        // kept.
        let fields = match input.owner_marks {
            true => Fields::Skipped,
            false => Fields::Authors,
        };
        let reader = BufReader::new(file);
        for_each_window_of(reader, stretch, super::stream::WINDOW, fields, |window| {
            self.window(input, &window, passed)
        })
    }

    /// Gathers what a window holds; false when no more is wanted.
    fn window(&mut self, input: Input<'_>, window: &Window<'_>, passed: Passed<'_>) -> bool {
        // (Where the marks are looked for, the second pass does so.)
        if !input.owner_marks && !self.owner_marked && names::may_mark_a_name(window.text) {
            self.owner_marked = self.marks_an_owner(input.name, window);
        }
        // Lines are counted on from entry to entry: a window's entries
        // come in order.
        let (mut counted, mut line) = (window.start.lead, window.start.line);
        let lines = OnceLock::new();
        let mut reader = Reader::new(input.name, window.text, window.start.anchor(), &lines);
        reader.looked_up = self.from_before.is_some().then(Vec::new);
        reader.report_syntax_errors(&window.syntax.errors);
        for block in &window.syntax.blocks {
            match block {
                Block::String(definition) => {
                    let value = reader.expand(&definition.value, &self.macros).into_owned();
                    self.note_looked_up(&mut reader);
                    self.define(definition.name, value);
                }
                Block::Preamble(value) => {
                    let value = reader.expand(value, &self.macros).into_owned();
                    self.note_looked_up(&mut reader);
                    self.preambles.push(value);
                }
                Block::Entry(entry) => {
                    let hash = key_hash(entry.key);
                    line += newlines(&window.text.as_bytes()[counted..entry.offset]);
                    counted = entry.offset;
                    let cited = crate::key::safe(entry.key);
                    let cites = !entry.kind.eq_ignore_ascii_case("xdata") && !cited.is_empty();
                    let same = cited == entry.key;
                    self.keys.push(KeyRecord {
                        hash,
                        offset: window.base() + entry.offset as u64,
                        line: line as u32,
                        cited: cites && same,
                    });
                    if cites && !same {
                        self.cite_keys.push(key_hash(&cited));
                    }
                }
                Block::Comment => {}
            }
        }
        self.diagnostics.append(&mut reader.diagnostics);
        // A window read early holds the `@string`s of its time, and the
        // next definition copies them all: a window without entries (a
        // file of abbreviations) needs none, and holding none there keeps
        // thousands of definitions from being copied window after window.
        // (Whatever an early reading takes for granted is checked.)
        let has_entries = window
            .syntax
            .blocks
            .iter()
            .any(|block| matches!(block, Block::Entry(_)));
        let macros = match has_entries {
            true => &self.macros,
            false => &self.no_macros,
        };
        match passed {
            Passed::Published(found) => spans(window)
                .into_iter()
                .all(|span| found.publish(span, Some(macros))),
            Passed::Kept(cancelled) => {
                self.spans.extend(spans(window));
                !cancelled.load(Ordering::Relaxed)
            }
        }
    }

    /// Defines a `@string`, as entries see it: a name defined again has
    /// its last value, in the place it first had.
    fn define(&mut self, name: &str, value: String) {
        match self.string_at.entry(name.to_lowercase()) {
            Entry::Occupied(at) => self.strings[*at.get()].1.clone_from(&value),
            Entry::Vacant(at) => {
                at.insert(self.strings.len());
                self.strings.push((name.to_owned(), value.clone()));
            }
        }
        Arc::make_mut(&mut self.macros).insert(name, Cow::Owned(value));
    }

    /// Moves the names the reader looked up, and this part had not
    /// defined, to those it took from before.
    fn note_looked_up(&mut self, reader: &mut Reader<'_>) {
        let (Some(from_before), Some(looked_up)) = (&mut self.from_before, &mut reader.looked_up)
        else {
            return;
        };
        let defined = &self.string_at;
        from_before.extend(
            looked_up
                .drain(..)
                .filter(|name| !defined.contains_key(name)),
        );
    }

    /// Whether an entry of the window marks a person of its author list
    /// as CV owners mark themselves, or a `@string` may (its use is not
    /// followed): the whole reading then takes that person for the owner.
    fn marks_an_owner(&mut self, name: &str, window: &Window<'_>) -> bool {
        // A `@string`'s own text: one whose value holds a mark through
        // another's has that other's window found first.
        let string_may_mark = |value: &syntax::Value<'_>| {
            value.pieces.iter().any(|piece| match piece {
                Piece::Text(text) => names::may_mark_a_name(text),
                Piece::Macro { .. } => false,
            })
        };
        let lines = OnceLock::new();
        // Its own reader: what expanding says is the second pass's to say.
        let mut reader = Reader::new(name, window.text, window.start.anchor(), &lines);
        reader.looked_up = self.from_before.is_some().then(Vec::new);
        let macros = &self.macros;
        let marks = window.syntax.blocks.iter().any(|block| match block {
            Block::String(definition) => string_may_mark(&definition.value),
            _ => false,
        }) || window.syntax.blocks.iter().any(|block| match block {
            // The first pass keeps an entry's author lists alone.
            Block::Entry(entry) => entry
                .fields
                .iter()
                .any(|field| !names::marked(&reader.expand(&field.value, macros)).is_empty()),
            _ => false,
        });
        self.note_looked_up(&mut reader);
        marks
    }

    /// Whether this part, read on its own, found what reading on from
    /// `before` finds: the `@string`s it took from before are as
    /// undefined there (or, for month names, as predefined).
    fn fits_after(&self, before: &Gathered) -> bool {
        let from_before = self.from_before.as_deref().unwrap_or_default();
        before.macros.agree(&Macros::new(), from_before)
    }

    /// Joins a part read on its own, which starts on `line`, to what was
    /// gathered before it; gives how the part's reading ended, its lines
    /// counted on.
    fn append(&mut self, part: Gathered, ended: Ended, line: usize, found: &Found) -> Ended {
        let shift = line - 1;
        for (name, value) in part.strings {
            self.define(&name, value);
        }
        self.preambles.extend(part.preambles);
        let records = part.keys.into_iter().map(|record| KeyRecord {
            // Lines are kept in 32 bits, as one reading keeps them.
            line: record.line.wrapping_add(shift as u32),
            ..record
        });
        self.keys.extend(records);
        self.cite_keys.extend(part.cite_keys);
        let diagnostics = part.diagnostics.into_iter().map(|mut diagnostic| {
            // Line 0 is about the whole file.
            if diagnostic.line > 0 {
                diagnostic.line += shift;
            }
            diagnostic
        });
        self.diagnostics.extend(diagnostics);
        self.owner_marked |= part.owner_marked;
        for span in part.spans {
            let line = span.start.line + shift;
            let start = Start { line, ..span.start };
            if !found.publish(Span { start, ..span }, None) {
                return Ended::Stopped;
            }
        }
        match ended {
            Ended::AtUntil { line } => Ended::AtUntil { line: line + shift },
            ended => ended,
        }
    }

    fn finish(mut self, input: Input<'_>) -> Result<(Outline, Vec<Diagnostic>), WindowError> {
        // A list that marks its owner (`\underline{Ada Lovelace}`) names
        // the owner every writer needs from the first work on: read whole.
        if self.owner_marked && !input.owner_marks {
            return Err(WindowError::ReadWhole);
        }
        // In the order of the file, whatever the windows: a window's
        // syntax errors are found before its `@string`s are expanded.
        self.diagnostics
            .sort_by_key(|diagnostic| (diagnostic.line, diagnostic.column));
        let library = (self.macros, self.preambles, self.strings);
        let outline = Outline::new(library, self.keys, self.cite_keys);
        Ok((outline, self.diagnostics))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::read::bibtex::windows::LEAD;
    use proptest::prelude::*;

    /// All the first pass gives for `text`: the outline (or why it
    /// failed) and its diagnostics. The windows it published (cut where
    /// parts are) must cover the text, one after the other, each given
    /// the line it starts on.
    fn first_pass_of(text: &str, owner_marks: bool, split: Split) -> String {
        let input = Input {
            bytes: Bytes::Text(text),
            name: "test.bib",
            owner_marks,
            written_with_strings: false,
        };
        let found = Found::default();
        let outcome = outline(input, &found, split);
        if outcome.is_ok() {
            let mark = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
            let mut at = mark;
            for span in found.spans() {
                assert_eq!(span.start.offset, at as u64, "{split:?}");
                let line = text[..at].matches('\n').count() + 1;
                // (A byte-order mark is no character of the text.)
                let line_start = text[..at].rfind('\n').map_or(mark, |newline| newline + 1);
                let column = text[line_start..at].chars().count() + 1;
                let lead_start = at - span.start.lead;
                assert_eq!(span.start.line, line, "{split:?} {span:?}");
                assert_eq!(span.start.column, column, "{split:?} {span:?}");
                // The text before it on its line is read along, but for
                // what is more than a quote shows.
                assert!(lead_start >= line_start, "{span:?}");
                assert!(lead_start == line_start || span.start.lead + 3 >= LEAD);
                at = span.end as usize;
            }
            assert_eq!(at, text.len(), "{split:?}");
        }
        let outcome = outcome.map(|(outline, diagnostics)| (outline.described(), diagnostics));
        format!("{outcome:?}")
    }

    const WHOLE: Split = Split {
        from: u64::MAX,
        parts: 1,
    };

    /// Pieces of `.bib` files, each a few lines, that test files are put
    /// together from: what a part may hold at its start, or ask of the
    /// parts before it.
    fn piece(choice: u8, n: usize) -> String {
        let names = [
            "Doe, Jane",
            "Müller, Jürgen",
            "\\underline{Roe, Rick}",
            "Łukasz Nowak",
        ];
        let venues = [
            "v1",
            "{Journal of Things}",
            "v2 # { Letters}",
            "undefined",
            "jan",
        ];
        match choice % 12 {
            0..=3 => format!(
                "@article{{k{},\n  author = {{{}}},\n  title = {{Paper {n}}},\n  journal = {},\n  year = 2020,\n}}\n\n",
                n % 7,
                names[n % names.len()],
                venues[n % venues.len()],
            ),
            4 => format!("@string{{v{} = {{Venue {n}}}}}\n", n % 3),
            5 => format!("@STRING{{V{} = v{} # {{ and more}}}}\n", n % 3, (n + 1) % 3),
            6 => format!("@preamble{{\"\\newcommand{{\\x{n}}}{{}}\" # v{}}}\n", n % 3),
            7 => "@comment{ left out:\n@article{gone,\n  title = {Gone},\n}\n}\n".to_owned(),
            8 => format!("@article{{broken{n},\n  title = {{Unclosed\n\n"),
            9 => format!("Some text between entries, an address: ada@example.org {n}\n% a comment line\n"),
            10 => format!("@xdata{{x{},\n  publisher = {{Press}},\n}}\n@book{{b{n}, xdata = {{x{}}}, title = {{B}}}}\n", n % 2, n % 2),
            _ => format!("@misc{{key with space {},\n  title = {{Odd key}},\n}}\n", n % 2),
        }
    }

    /// A `.bib` text of these pieces.
    pub(in crate::read::bibtex) fn text_of(pieces: &[u8], crlf: bool, bom: bool) -> String {
        let mut text: String = pieces
            .iter()
            .enumerate()
            .map(|(n, &choice)| piece(choice, n))
            .collect();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        text
    }

    proptest! {
        /// Read in parts, cut anywhere, a file gives what one reading
        /// gives: the same `@string`s, `@preamble`s, keys and lines, the
        /// same diagnostics in the same order, the same windows.
        #[test]
        fn parts_gather_what_one_reading_gathers(
            pieces in proptest::collection::vec(any::<u8>(), 0..60),
            crlf in any::<bool>(),
            bom in any::<bool>(),
            owner_marks in any::<bool>(),
        ) {
            let text = text_of(&pieces, crlf, bom);
            let whole = first_pass_of(&text, owner_marks, WHOLE);
            for parts in 2..=5 {
                let split = Split { from: 0, parts };
                prop_assert_eq!(&first_pass_of(&text, owner_marks, split), &whole);
            }
        }
    }

    #[test]
    fn every_bib_file_of_the_fixtures_and_corpus_gathers_the_same_in_parts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = root.join("../shared/corpus");
        if !corpus.is_dir() {
            eprintln!("{} is absent: only the fixtures are read", corpus.display());
        }
        let mut files = Vec::new();
        for dir in [root.join("fixtures"), corpus] {
            super::super::syntax::tests::collect_bib_files(&dir, &mut files);
        }
        assert!(!files.is_empty(), "the fixtures hold .bib files");
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let whole = first_pass_of(&text, true, WHOLE);
            let parts = first_pass_of(&text, true, Split { from: 0, parts: 3 });
            assert!(parts == whole, "{}", file.display());
        }
    }

    /// A part that starts at an entry indented further than a quote shows
    /// starts at its column all the same (`first_pass_of` checks each
    /// window's line, column and lead).
    #[test]
    fn a_part_cut_at_a_deeply_indented_entry_starts_at_its_column() {
        let indent = " ".repeat(LEAD + 100);
        let text: String = (0..200)
            .map(|n| format!("{indent}@misc{{k{n}, title = {{T {n}}}}}\n"))
            .collect();
        let whole = first_pass_of(&text, true, WHOLE);
        assert_eq!(
            first_pass_of(&text, true, Split { from: 0, parts: 3 }),
            whole
        );
    }

    /// The first part of `text` and the second, each read on its own.
    fn two_parts(text: &str) -> (Gathered, Ended, Gathered, Ended) {
        let input = Input {
            bytes: Bytes::Text(text),
            name: "test.bib",
            owner_marks: true,
            written_with_strings: false,
        };
        let cuts = cuts(input.bytes, text.len() as u64, 2).unwrap();
        assert_eq!(cuts.len(), 1, "the text is cut once");
        let found = Found::default();
        let mut first = Gathered::new(cuts[0].offset, false);
        let first_stretch = Stretch {
            until: Some(cuts[0].offset),
            ..Stretch::WHOLE
        };
        let first_ended = first
            .read(input, first_stretch, Passed::Published(&found))
            .unwrap();
        let cancelled = AtomicBool::new(false);
        let mut second = Gathered::new(text.len() as u64, true);
        let second_stretch = Stretch {
            start: cuts[0],
            until: None,
        };
        let second_ended = second
            .read(input, second_stretch, Passed::Kept(&cancelled))
            .unwrap();
        (first, first_ended, second, second_ended)
    }

    #[test]
    fn files_are_cut_where_a_line_starts_an_entry() {
        let text = text_of(&[0; 40], false, false);
        let length = text.len() as u64;
        let cuts = cuts(Bytes::Text(&text), length, 4).unwrap();
        assert_eq!(cuts.len(), 3);
        for (part, cut) in (1..).zip(&cuts) {
            let cut = cut.offset;
            assert!(cut >= length * part / 4);
            assert!(text[..cut as usize].ends_with("\n\n"));
            assert!(text[cut as usize..].starts_with("@article{"));
        }
        // A text without such a line after the middle is not cut.
        let text = format!("{}{}", text_of(&[0; 4], false, false), "x\n".repeat(200));
        assert!(super::cuts(Bytes::Text(&text), text.len() as u64, 2)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_part_that_uses_a_string_from_before_is_read_again() {
        // The second half cites `v1` in a `@string`; the first defines it.
        let entries = |count: usize| text_of(&vec![0; count], false, false);
        let text = format!(
            "@string{{v1 = {{Venue}}}}\n{}@string{{w = v1 # {{ Letters}}}}\n{}",
            entries(25),
            entries(15)
        );
        let (first, ended, second, _) = two_parts(&text);
        assert!(matches!(ended, Ended::AtUntil { .. }));
        assert!(!second.fits_after(&first));
        let parts = Split { from: 0, parts: 2 };
        assert_eq!(
            first_pass_of(&text, true, parts),
            first_pass_of(&text, true, WHOLE)
        );
        // Defined again in the second half before it is used, it fits.
        let text = text.replacen("@string{w", "@string{V1 = {Here}}\n@string{w", 1);
        let (first, _, second, _) = two_parts(&text);
        assert!(second.fits_after(&first));
        assert_eq!(
            first_pass_of(&text, true, parts),
            first_pass_of(&text, true, WHOLE)
        );
    }

    #[test]
    fn a_comment_open_across_a_cut_reads_on_to_the_end() {
        // A `@comment` holding many entries, from the first half into the
        // second: the cut falls inside it.
        let hidden = text_of(&[0; 30], false, false);
        let text = format!(
            "{}@comment{{\n{hidden}}}\n{}",
            text_of(&[0; 10], false, false),
            text_of(&[0; 10], false, false)
        );
        let (_, ended, _, _) = two_parts(&text);
        assert_eq!(ended, Ended::AtEnd);
        let parts = Split { from: 0, parts: 2 };
        assert_eq!(
            first_pass_of(&text, true, parts),
            first_pass_of(&text, true, WHOLE)
        );
    }

    #[test]
    fn a_later_part_counts_its_lines_on_from_those_before() {
        let text = text_of(&[0, 8, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0], true, false);
        let parts = Split { from: 0, parts: 3 };
        let split = first_pass_of(&text, true, parts);
        assert_eq!(split, first_pass_of(&text, true, WHOLE));
        // Both broken entries are reported, the second on its own line.
        // (Its value opens on the line after the key's.)
        let second = text[..text.rfind("@article{broken").unwrap()]
            .matches('\n')
            .count()
            + 2;
        assert!(split.contains(&format!("line: {second},")), "{split}");
    }
}
