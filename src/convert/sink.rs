//! The writing half of every conversion, whichever reader read the works:
//! a file read as a stream ([`super::convert_streaming`]) or a library read
//! whole, merged and looked up ([`super::convert`]).
//!
//! [`Prepare`] turns each work into its output where it is read (side by
//! side, on any thread): CSL-JSON rendered, `.bib` entries written, a CV
//! item drafted. A [`Sink`] then takes them in order: it writes them out,
//! gives the few works without a key of their own theirs, places what the
//! writer could not keep where the work was read, and gathers a CV
//! section, written at the end.

use std::io::{BufWriter, Write};
use std::sync::{Arc, Mutex, OnceLock};

use super::{nothing_written, Request};
use crate::diagnostic::Diagnostic;
use crate::key::KeyAssigner;
use crate::lookup;
use crate::model::{Library, Profile, Work};
use crate::read::bibtex::stream::{EntryAt, Outline};
use crate::write::{self, bibtex, OutputFormat};

/// How an output takes works.
enum Output<'r> {
    /// Each rendered on its own, joined by fixed text (CSL-JSON).
    SideBySide(write::StreamWriter),
    /// `.bib` entries in order, after the file's `@preamble`s and
    /// `@string`s.
    InOrder(bibtex::Dialect),
    /// A CV section: each work drafted, the section sorted, grouped and
    /// written at the end.
    Section {
        drafter: write::cv::Drafter<'r>,
        write: write::WriteSection,
    },
    /// A CV section in a citation style, which renders the list as a whole
    /// (its numbers and year suffixes depend on the others): the works are
    /// kept.
    Whole,
}

/// What an output makes of each work where it is read, side by side.
pub(super) struct Prepare<'r> {
    request: &'r Request,
    output: Output<'r>,
    /// The CV owner's spellings (BibLaTeX marks them), and their profile.
    owner: Vec<String>,
    profile: Option<&'r Profile>,
    /// The `.bib` writer with the file's `@string`s, once they are known.
    bib: OnceLock<bibtex::Writer>,
    /// The `.bib` writer for a file without `@string`s: an entry read
    /// before they are known is written with it (the reader makes it again
    /// if the file turns out to have some).
    no_strings: Option<bibtex::Writer>,
    /// Buffers already written out, for later works: memory touched once
    /// is cheaper to write than fresh memory.
    spare: Mutex<Vec<Vec<u8>>>,
    /// Whether works are looked up first: then they are made in order,
    /// by the sink, once looked up.
    look_up: bool,
}

impl<'r> Prepare<'r> {
    /// For the output `request` asks for, of a CV owned by `profile` when
    /// `--highlight` names no one.
    pub(super) fn new(request: &'r Request, profile: Option<&'r Profile>) -> Prepare<'r> {
        let options = &request.write;
        let highlight = &options.markdown.highlight;
        let owner: Vec<String> = match highlight.is_empty() {
            false => highlight.clone(),
            true => profile.iter().map(|profile| profile.name.clone()).collect(),
        };
        let section = request.to.section_writer();
        let output = match (request.to.stream_writer(), request.to, section) {
            (Some(writer), _, _) => Output::SideBySide(writer),
            (None, OutputFormat::Bibtex, _) => Output::InOrder(bibtex::Dialect::Bibtex),
            (None, OutputFormat::Biblatex, _) => Output::InOrder(bibtex::Dialect::Biblatex),
            (None, _, Some(section)) if options.style.is_none() => Output::Section {
                drafter: write::cv::Drafter::new(options, section.spell_item, owner.clone()),
                write: section.write,
            },
            (None, _, _) => Output::Whole,
        };
        let no_strings = match output {
            Output::InOrder(dialect) => {
                Some(bibtex::Writer::new(dialect, options, owner.clone(), &[]))
            }
            _ => None,
        };
        Prepare {
            request,
            output,
            owner,
            profile,
            bib: OnceLock::new(),
            no_strings,
            spare: Mutex::new(Vec::new()),
            look_up: false,
        }
    }

    /// Whether what is made is written with the file's `@string`s.
    pub(super) fn writes_with_strings(&self) -> bool {
        matches!(self.output, Output::InOrder(_))
    }

    /// The same, for works not looked up yet: those the request asks to
    /// look up are, one at a time, as the sink takes them.
    pub(super) fn looking_up(self) -> Prepare<'r> {
        let look_up = !self.request.lookup.services.is_empty();
        Prepare { look_up, ..self }
    }

    /// What the output makes of `work`: it gets the work's own key when no
    /// other work has it, where the work was read, the outline once the
    /// reader knows it, and what was made of the work before in the same
    /// window, to add this one to (then it returns `None`).
    ///
    /// A work to be looked up first is kept as it is: lookups go one at a
    /// time, in order, and the sink makes the work once it is looked up.
    pub(super) fn make(
        &self,
        work: Work,
        unique_key: Option<String>,
        at: EntryAt,
        outline: Option<&Outline>,
        last: Option<&mut Made>,
    ) -> Option<Made> {
        if !self.look_up {
            return self.make_now(work, unique_key, at, outline, last);
        }
        let unmade = Unmade {
            work,
            unique_key,
            at,
        };
        match last {
            Some(Made::ToLookUp(works)) => {
                works.push(unmade);
                None
            }
            _ => Some(Made::ToLookUp(vec![unmade])),
        }
    }

    /// [`Prepare::make`], the work looked up if it was to be.
    fn make_now(
        &self,
        work: Work,
        unique_key: Option<String>,
        at: EntryAt,
        outline: Option<&Outline>,
        last: Option<&mut Made>,
    ) -> Option<Made> {
        match &self.output {
            Output::SideBySide(writer) => match (unique_key, last) {
                (Some(key), Some(Made::Rendered(rendered))) => {
                    rendered.bytes.extend_from_slice(writer.separator);
                    (writer.render)(&work, key, &mut rendered.bytes);
                    rendered.works += 1;
                    None
                }
                (Some(key), _) => {
                    let mut bytes = self.take_spare();
                    (writer.render)(&work, key, &mut bytes);
                    Some(Made::Rendered(Rendered::new(bytes, 1)))
                }
                // Rare: a work whose key is another's too waits for its key.
                (None, _) => Some(Made::Work(Box::new(work))),
            },
            Output::InOrder(dialect) => {
                self.make_entry(*dialect, work, unique_key, at, outline, last)
            }
            Output::Section { drafter, .. } => {
                Some(match drafter.draft(&work, unique_key.as_deref()) {
                    Some(draft) => Made::Drafted(draft),
                    None => Made::Entry(Box::new(Entry {
                        work,
                        unique_key,
                        at,
                    })),
                })
            }
            Output::Whole => Some(Made::Work(Box::new(work))),
        }
    }

    /// A `.bib` entry with a key of its own: written next to the entries
    /// before it in its window, with the file's `@string`s once they are
    /// known, before that as if the file had none (the reader makes it
    /// again if it has some). One whose key is shared waits for its key.
    fn make_entry(
        &self,
        dialect: bibtex::Dialect,
        work: Work,
        unique_key: Option<String>,
        at: EntryAt,
        outline: Option<&Outline>,
        last: Option<&mut Made>,
    ) -> Option<Made> {
        let writer = match outline {
            Some(outline) => Some(self.bib_writer(dialect, outline)),
            None => self.no_strings.as_ref(),
        };
        let (Some(writer), Some(key)) = (writer, &unique_key) else {
            return Some(Made::Entry(Box::new(Entry {
                work,
                unique_key,
                at,
            })));
        };
        let mut fresh = None;
        let entries = match last {
            Some(Made::Entries(entries)) => {
                entries.text.push('\n');
                entries
            }
            // A spare buffer is empty, so it is text.
            _ => fresh.insert(Entries {
                text: String::from_utf8(self.take_spare()).unwrap_or_default(),
                ..Entries::default()
            }),
        };
        entries.add(writer, &work, key, at);
        fresh.map(Made::Entries)
    }

    /// The `.bib` writer with the `@string`s of `outline` (the first pass
    /// has ended, so they are all known).
    fn bib_writer(&self, dialect: bibtex::Dialect, outline: &Outline) -> &bibtex::Writer {
        self.bib.get_or_init(|| {
            let options = &self.request.write;
            bibtex::Writer::new(dialect, options, self.owner.clone(), &outline.strings)
        })
    }

    fn take_spare(&self) -> Vec<u8> {
        let spare = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        spare.unwrap_or_default()
    }

    /// Keeps a written buffer for later works. One grown far past the
    /// usual room (a huge entry) is let go: memory stays bounded by the
    /// largest entry, not a multiple.
    fn give_back(&self, mut bytes: Vec<u8>) {
        let usual = (RENDERED_CAPACITY / 4..=2 * RENDERED_CAPACITY).contains(&bytes.capacity());
        if let (true, Ok(mut spare)) = (usual, self.spare.lock()) {
            if spare.len() < SPARE_BUFFERS {
                bytes.clear();
                spare.push(bytes);
            }
        }
    }
}

/// Where a work was read, for what the writer says of it: the input's
/// name and the line (0 if not known).
pub(super) type Locate<'l> = dyn Fn(EntryAt) -> (&'l str, usize) + 'l;

/// Takes what [`Prepare`] made, in input order, and writes the output.
pub(super) struct Sink<'p, 'r, 'o> {
    prepare: &'p Prepare<'r>,
    state: State<'p, 'r>,
    /// For works whose own key another work has too (or that have none).
    keys: Option<KeyAssigner<'r>>,
    /// The lookups, when the request asks for them.
    lookups: Option<lookup::Lookups<'r>>,
    out: BufWriter<&'o mut dyn Write>,
    written: usize,
    /// The first error writing out; the rest of the works are let go.
    failure: Option<std::io::Error>,
}

/// What a [`Sink`] keeps between works.
enum State<'p, 'r> {
    SideBySide(write::StreamWriter),
    InOrder {
        dialect: bibtex::Dialect,
        /// Whether the `@preamble`s and `@string`s were written.
        opened: bool,
        /// Whether anything was written yet.
        after: bool,
    },
    Section(write::cv::Collector<'p, 'r>, write::WriteSection),
    Whole(Vec<Work>),
}

impl<'p, 'r, 'o> Sink<'p, 'r, 'o> {
    pub(super) fn new(prepare: &'p Prepare<'r>, out: &'o mut dyn Write) -> Self {
        let state = match &prepare.output {
            Output::SideBySide(writer) => State::SideBySide(*writer),
            Output::InOrder(dialect) => State::InOrder {
                dialect: *dialect,
                opened: false,
                after: false,
            },
            Output::Section { drafter, write } => {
                let fallback = prepare
                    .profile
                    .filter(|_| prepare.request.write.markdown.highlight.is_empty())
                    .map(|profile| profile.name.clone());
                State::Section(write::cv::Collector::new(drafter, fallback), *write)
            }
            Output::Whole => State::Whole(Vec::new()),
        };
        Sink {
            prepare,
            state,
            keys: None,
            lookups: match prepare.look_up {
                true => lookup::Lookups::new(&prepare.request.lookup),
                false => None,
            },
            out: BufWriter::with_capacity(1 << 16, out),
            written: 0,
            failure: None,
        }
    }

    /// Takes the next work or works made; `outline` gives the keys of the
    /// others and the `@preamble`s and `@string`s, `locate` where a work
    /// was read.
    pub(super) fn take(
        &mut self,
        made: Made,
        outline: &Arc<Outline>,
        locate: &Locate<'_>,
        report: &mut dyn FnMut(Diagnostic),
    ) {
        if let Made::ToLookUp(works) = made {
            self.look_up(works, outline, locate, report);
            return;
        }
        let request = self.prepare.request;
        let mut key_of = |work: &Work, unique_key: Option<String>| {
            unique_key.unwrap_or_else(|| {
                let keys = self.keys.get_or_insert_with(|| {
                    let outline = outline.clone();
                    let own = move |folded: &str| outline.works_with_key(folded);
                    KeyAssigner::new(&request.write.key_pattern, Box::new(own))
                });
                keys.next(work)
            })
        };
        let rendered = match (made, &mut self.state) {
            (Made::Drafted(draft), State::Section(collector, _)) => {
                collector.add_draft(draft);
                return;
            }
            (Made::Entry(entry), State::Section(collector, _)) => {
                let key = key_of(&entry.work, entry.unique_key);
                collector.add(&entry.work, &key);
                return;
            }
            (Made::Work(work), State::Whole(works)) => {
                works.push(*work);
                return;
            }
            (Made::Rendered(rendered), _) => rendered,
            (Made::Work(work), State::SideBySide(writer)) => {
                let mut bytes = Vec::new();
                (writer.render)(&work, key_of(&work, None), &mut bytes);
                Rendered::new(bytes, 1)
            }
            (
                Made::Entries(entries),
                State::InOrder {
                    dialect,
                    opened,
                    after,
                },
            ) => {
                let writer = self.prepare.bib_writer(*dialect, outline);
                let mut lost = Vec::new();
                let before = start_entry(writer, outline, opened, after, &mut lost);
                lost.into_iter().for_each(&mut *report);
                for (at, diagnostic) in entries.lost {
                    report(place(diagnostic, locate(at)));
                }
                Rendered {
                    before,
                    bytes: entries.text.into_bytes(),
                    works: entries.works,
                }
            }
            (
                Made::Entry(entry),
                State::InOrder {
                    dialect,
                    opened,
                    after,
                },
            ) => {
                let Entry {
                    work,
                    unique_key,
                    at,
                } = *entry;
                let writer = self.prepare.bib_writer(*dialect, outline);
                let mut lost = Vec::new();
                let before = start_entry(writer, outline, opened, after, &mut lost);
                let key = key_of(&work, unique_key);
                let (mut text, mut entry_lost) =
                    (String::with_capacity(ENTRY_CAPACITY), Vec::new());
                writer.entry(&work, &key, false, &mut text, &mut entry_lost);
                let located = locate(at);
                for diagnostic in lost.into_iter().chain(entry_lost) {
                    report(place(diagnostic, located));
                }
                Rendered {
                    before,
                    bytes: text.into_bytes(),
                    works: 1,
                }
            }
            (Made::ToLookUp(_), _) => unreachable!("looked up above"),
            (Made::Work(_), State::InOrder { .. } | State::Section(..))
            | (Made::Entry(_), State::SideBySide(_) | State::Whole(_))
            | (Made::Drafted(_), State::SideBySide(_) | State::InOrder { .. } | State::Whole(_))
            | (Made::Entries(_), State::SideBySide(_) | State::Section(..) | State::Whole(_)) => {
                unreachable!("`Prepare::make` makes what the sink takes")
            }
        };
        self.written += rendered.works;
        let out = &mut self.out;
        let pushed = match &mut self.state {
            State::SideBySide(writer) => writer.push(out, &rendered.bytes),
            _ => out
                .write_all(&rendered.before)
                .and_then(|()| out.write_all(&rendered.bytes)),
        };
        if let Err(error) = pushed {
            self.failure.get_or_insert(error);
        }
        self.prepare.give_back(rendered.bytes);
    }

    /// Says how many works there are to take, for the lookups' progress,
    /// where the outline does not tell (a list put together from others).
    pub(super) fn expect_works(&mut self, total: usize) {
        if let Some(lookups) = &mut self.lookups {
            lookups.expect(total);
        }
    }

    /// Looks each work up, in order, then takes what is made of it; once
    /// the output has failed (a pipe closed by `head`), nothing more is
    /// looked up: it would be asked of the services for nothing.
    fn look_up(
        &mut self,
        works: Vec<Unmade>,
        outline: &Arc<Outline>,
        locate: &Locate<'_>,
        report: &mut dyn FnMut(Diagnostic),
    ) {
        for Unmade {
            mut work,
            unique_key,
            at,
        } in works
        {
            if self.failure.is_some() {
                return;
            }
            if let Some(lookups) = &mut self.lookups {
                if outline.entries() > 0 {
                    lookups.expect(outline.entries());
                }
                lookups
                    .complete(&mut work)
                    .into_iter()
                    .for_each(&mut *report);
            }
            let prepare = self.prepare;
            if let Some(made) = prepare.make_now(work, unique_key, at, Some(outline), None) {
                self.take(made, outline, locate, report);
            }
        }
    }

    /// Ends the output, saying when it holds no work (`skipped` entries
    /// had errors); returns how many works it holds. `outline` is `None`
    /// when the input held no windows.
    pub(super) fn finish(
        mut self,
        outline: Option<&Outline>,
        skipped: usize,
        report: &mut dyn FnMut(Diagnostic),
    ) -> std::io::Result<usize> {
        if let Some(error) = self.failure {
            return Err(error);
        }
        if let Some(note) = self.lookups.take().and_then(lookup::Lookups::finish) {
            report(note);
        }
        let request = self.prepare.request;
        // A CV section counts the works it shows; the others, the works taken.
        let shown = match self.state {
            State::SideBySide(writer) => {
                writer.finish(&mut self.out)?;
                None
            }
            // An input without works still has its preambles and strings.
            State::InOrder {
                dialect,
                opened: false,
                ..
            } => {
                if let Some(outline) = outline {
                    let writer = self.prepare.bib_writer(dialect, outline);
                    let mut lost = Vec::new();
                    let header = writer.header(&outline.preambles, &mut lost);
                    self.out.write_all(header.as_bytes())?;
                    lost.into_iter().for_each(&mut *report);
                }
                None
            }
            State::InOrder { .. } => None,
            State::Section(collector, write) => {
                // Said before the section.
                let (read, shown) = collector.counts();
                if shown == 0 {
                    report(nothing_written(read, skipped, request));
                }
                // Written group by group: the section's texts are not
                // copied into one more text.
                let mut text = IoText {
                    out: &mut self.out,
                    error: None,
                };
                if write(&collector.section(), &request.write, &mut text).is_err() {
                    return Err(text
                        .error
                        .unwrap_or_else(|| std::io::Error::other("formatting failed")));
                }
                Some(shown)
            }
            State::Whole(works) => {
                let library = Library {
                    works,
                    profile: self.prepare.profile.cloned(),
                    ..Library::default()
                };
                let shown = request.to.works_written(&library, &request.write);
                if shown == 0 {
                    report(nothing_written(library.works.len(), skipped, request));
                }
                let text = request.to.write(&library, &request.write);
                self.out.write_all(text.as_bytes())?;
                Some(shown)
            }
        };
        self.out.flush()?;
        let written = shown.unwrap_or(self.written);
        if shown.is_none() && written == 0 {
            report(nothing_written(0, skipped, request));
        }
        Ok(written)
    }
}

/// What goes before an entry's `.bib` text: the file's
/// `@preamble`s and `@string`s before the first, a blank line between two.
fn start_entry(
    writer: &bibtex::Writer,
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

/// Works as [`Prepare::make`] hands them on.
pub(super) enum Made {
    Rendered(Rendered),
    /// Still to get its key; or, for a whole list, to be kept.
    Work(Box<Work>),
    /// To be written in order, or to get its key first.
    Entry(Box<Entry>),
    /// Ready for a CV section.
    Drafted(write::cv::Draft),
    /// Entries written with the file's `@string`s, one after another.
    Entries(Entries),
    /// Works to be looked up, then made.
    ToLookUp(Vec<Unmade>),
}

/// A work as read, to be looked up before it is made.
pub(super) struct Unmade {
    work: Work,
    unique_key: Option<String>,
    at: EntryAt,
}

/// A work to be written in order, once its key is known: its own key if
/// no other work has it, and where it is read.
pub(super) struct Entry {
    work: Work,
    unique_key: Option<String>,
    at: EntryAt,
}

/// `.bib` entries written one after another, with what they could not
/// hold and where each entry is.
#[derive(Default)]
pub(super) struct Entries {
    text: String,
    works: usize,
    lost: Vec<(EntryAt, Diagnostic)>,
}

impl Entries {
    fn add(&mut self, writer: &bibtex::Writer, work: &Work, key: &str, at: EntryAt) {
        let mut lost = Vec::new();
        writer.entry(work, key, false, &mut self.text, &mut lost);
        self.lost
            .extend(lost.into_iter().map(|diagnostic| (at, diagnostic)));
        self.works += 1;
    }
}

/// What the `.bib` writer said of an entry, placed where the entry was
/// read (what it said of the preamble and strings, or of a parent read
/// from elsewhere, is placed already).
fn place(diagnostic: Diagnostic, (name, line): (&str, usize)) -> Diagnostic {
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
pub(super) struct Rendered {
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

/// The room a `.bib` entry written alone starts with: most take less
/// (grown from nothing, one would be copied six or seven times).
const ENTRY_CAPACITY: usize = 512;

/// How many written buffers (of a quarter to twice [`RENDERED_CAPACITY`])
/// wait to be used again.
const SPARE_BUFFERS: usize = 8;
