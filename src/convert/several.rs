//! Several BibTeX and CSL-JSON files converted into one output as they are
//! read ([`convert_streaming_several`]), with the output and diagnostics
//! [`convert`](super::convert) gives, in memory bounded by a small record
//! a work and the works that may be merged. The inputs are read three
//! times, each time on every core:
//!
//! 1. each work's match keys (DOI, arXiv id, folded title) and own key, as
//!    hashes: works linked by shared keys, directly or through others, to
//!    a work of another input may be merged; the reading's diagnostics
//!    are reported then;
//! 2. those works, read again and merged as a library read whole merges
//!    them (nothing else can merge with them: merging needs a shared key);
//! 3. every work once more, written through the sink: a work merged into
//!    an earlier one is left out, the earlier one written merged.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::sink::{Made, Prepare, Sink};
use super::streaming::{read_works, streamed_format};
use super::{Request, Streamed};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Profile, Work};
use crate::read::bibtex::stream::{key_hash, Bytes, EntryAt, Marked, Outline, NO_KEY};
use crate::read::bibtex::windows::WindowError;
use crate::read::InputFormat;

/// One input: its path and the name diagnostics give it.
pub type Named<'a> = (&'a Path, &'a str);

/// Converts several files into one output as [`convert`](super::convert)
/// does (merging the same work read from several, unless the request
/// says not to), reading each BibTeX or CSL-JSON file as it streams.
///
/// `Ok(None)`, with nothing written or reported, when one of them cannot
/// be streamed: then read them whole and [`convert`](super::convert)
/// them.
pub fn convert_streaming_several(
    inputs: &[Named<'_>],
    request: &Request,
    out: &mut dyn Write,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<Option<Streamed>> {
    let mut formats = Vec::with_capacity(inputs.len());
    for &(path, _) in inputs {
        match streamed_format(Bytes::File(path), request.from) {
            Ok(Some(format)) => formats.push(format),
            _ => return Ok(None),
        }
    }
    // Said once every input is known to stream: until then nothing is.
    let Some(mut outlined) = outline_all(inputs, &formats)? else {
        return Ok(None);
    };
    let skipped = outlined
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .count();
    std::mem::take(&mut outlined.diagnostics)
        .into_iter()
        .for_each(&mut *report);
    let plan = merge_plan(inputs, &formats, &mut outlined, request, report)?;

    // The outline of the whole list: every input's `@preamble`s and
    // `@string`s, and the own keys of the works written.
    let mut preambles = Vec::new();
    let mut strings = Vec::new();
    for outline in &outlined.outlines {
        preambles.extend(outline.preambles.iter().cloned());
        strings.extend(outline.strings.iter().cloned());
    }
    let whole = Arc::new(Outline::of_list(preambles, strings, plan.own_keys));
    let prepare = Prepare::new(request, outlined.profile.as_ref());
    let mut sink = Sink::new(&prepare, out);
    for (input, (&(path, name), &format)) in inputs.iter().zip(&formats).enumerate() {
        let decided = &plan.decided[input];
        let make = |work: Work, _, at: EntryAt, _: Option<&Outline>, last: Option<&mut Made>| {
            let work = match decided.get(&at.offset()) {
                None => work,
                Some(None) => return None,
                Some(Some(merged)) => merged.clone(),
            };
            let own = crate::key::own_key(&work);
            let unique = own.filter(|key| whole.works_with_key(key) == 1);
            prepare.make(work, unique, at, Some(&whole), last)
        };
        let mut each = |made: Made, outline: &Arc<Outline>| {
            let locate = |at: EntryAt| (name, outline.line(at));
            sink.take(made, &whole, &locate, report);
        };
        read_again(Bytes::File(path), name, format, &make, &mut each)?;
    }
    let written = sink.finish(Some(&whole), skipped, report)?;
    Ok(Some(Streamed { written, skipped }))
}

/// What the first reading found.
struct Outlined {
    outlines: Vec<Arc<Outline>>,
    /// The owner the first list that marks one marks.
    profile: Option<Profile>,
    diagnostics: Vec<Diagnostic>,
    /// Each work, in input order: its input, where it starts, and its own
    /// key's hash ([`NO_KEY`] for none).
    works: Vec<Seen>,
    /// The works joined by their match keys, by their place in `works`.
    groups: Groups,
}

struct Seen {
    input: u32,
    offset: u64,
    own_key: u64,
}

/// Reads every input for its works' keys; `None` if one of them cannot
/// be streamed.
fn outline_all(inputs: &[Named<'_>], formats: &[InputFormat]) -> std::io::Result<Option<Outlined>> {
    let mut outlined = Outlined {
        outlines: Vec::new(),
        profile: None,
        diagnostics: Vec::new(),
        works: Vec::new(),
        groups: Groups::default(),
    };
    type Keys = Vec<(u64, u64, Vec<u64>)>;
    for (input, (&(path, name), &format)) in inputs.iter().zip(formats).enumerate() {
        let make = |work: Work, _, at: EntryAt, _: Option<&Outline>, last: Option<&mut Keys>| {
            let own = crate::key::own_key(&work).map_or(NO_KEY, |key| key_hash(&key));
            let seen = (at.offset(), own, crate::merge::match_keys(&work));
            match last {
                Some(keys) => {
                    keys.push(seen);
                    None
                }
                None => Some(vec![seen]),
            }
        };
        let mut each = |keys: Keys, _: &Arc<Outline>| {
            for (offset, own_key, match_keys) in keys {
                let work = outlined.works.len();
                outlined.groups.add(work, input, &match_keys);
                outlined.works.push(Seen {
                    input: input as u32,
                    offset,
                    own_key,
                });
            }
        };
        let (mut marking, mut entries_marked) = (None, 0);
        let mut marked = |mark: Marked| {
            entries_marked += 1;
            marking.get_or_insert(mark);
        };
        let mut report = |diagnostic| outlined.diagnostics.push(diagnostic);
        let read = read_works(
            Bytes::File(path),
            name,
            format,
            &make,
            &mut each,
            &mut marked,
            &mut report,
        );
        // The owner a list marks, noted after its other diagnostics, as
        // reading whole has it.
        if let Some(first) = marking {
            let (profile, note) = crate::read::bibtex::marked_owner(first, entries_marked);
            outlined.diagnostics.push(note);
            super::lead_profile(
                &mut outlined.profile,
                Some(profile),
                name,
                &mut outlined.diagnostics,
            );
        }
        match read {
            Ok(Some(outline)) => outlined.outlines.push(outline),
            Ok(None) => outlined.outlines.push(Arc::new(Outline::of_list(
                Vec::new(),
                Vec::new(),
                Vec::new(),
            ))),
            Err(WindowError::Io(error)) => return Err(error),
            Err(WindowError::NotUtf8(_) | WindowError::ReadWhole) => return Ok(None),
        }
    }
    Ok(Some(outlined))
}

/// Works joined when they share a match key: those of a group that spans
/// several inputs may be merged.
#[derive(Default)]
struct Groups {
    /// Each work's parent in its group, a root its own.
    parent: Vec<u32>,
    /// The first work seen with each key.
    first_with_key: HashMap<u64, u32>,
    /// Each root's input, or [`SEVERAL`] once its group spans several.
    input: Vec<u32>,
}

const SEVERAL: u32 = u32::MAX;

impl Groups {
    fn add(&mut self, work: usize, input: usize, keys: &[u64]) {
        self.parent.push(work as u32);
        self.input.push(input as u32);
        for &key in keys {
            match self.first_with_key.get(&key) {
                Some(&other) => self.join(work as u32, other),
                None => {
                    self.first_with_key.insert(key, work as u32);
                }
            }
        }
    }

    fn root(&mut self, mut work: u32) -> u32 {
        while self.parent[work as usize] != work {
            let grandparent = self.parent[self.parent[work as usize] as usize];
            self.parent[work as usize] = grandparent;
            work = grandparent;
        }
        work
    }

    fn join(&mut self, a: u32, b: u32) {
        let (a, b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        let (low, high) = (a.min(b), a.max(b));
        self.parent[high as usize] = low;
        if self.input[low as usize] != self.input[high as usize] {
            self.input[low as usize] = SEVERAL;
        }
    }

    fn may_merge(&mut self, work: usize) -> bool {
        let root = self.root(work as u32);
        self.input[root as usize] == SEVERAL
    }
}

/// What the merge decided for the works that may be merged, by input and
/// offset: `None` for a work merged into an earlier one, the merged work
/// for the one it went into; and the own keys of the works left.
struct MergePlan {
    decided: Vec<HashMap<u64, Option<Work>>>,
    own_keys: Vec<u64>,
}

fn merge_plan(
    inputs: &[Named<'_>],
    formats: &[InputFormat],
    outlined: &mut Outlined,
    request: &Request,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<MergePlan> {
    let mut own_keys: Vec<u64> = outlined.works.iter().map(|seen| seen.own_key).collect();
    let mut decided = vec![HashMap::new(); inputs.len()];
    let mut candidates: Vec<HashSet<u64>> = vec![HashSet::new(); inputs.len()];
    let mut positions = Vec::new();
    if request.merge {
        for (work, seen) in outlined.works.iter().enumerate() {
            if outlined.groups.may_merge(work) {
                candidates[seen.input as usize].insert(seen.offset);
                positions.push(work);
            }
        }
    }
    if positions.is_empty() {
        own_keys.retain(|&hash| hash != NO_KEY);
        return Ok(MergePlan { decided, own_keys });
    }
    // The works that may be merged, read again, where they were read.
    let mut works = Vec::with_capacity(positions.len());
    let mut origins = Vec::with_capacity(positions.len());
    for (input, (&(path, name), &format)) in inputs.iter().zip(formats).enumerate() {
        let wanted = &candidates[input];
        type Held = Vec<(EntryAt, Work)>;
        let make = |work: Work, _, at: EntryAt, _: Option<&Outline>, last: Option<&mut Held>| {
            if !wanted.contains(&at.offset()) {
                return None;
            }
            match last {
                Some(held) => {
                    held.push((at, work));
                    None
                }
                None => Some(vec![(at, work)]),
            }
        };
        let mut each = |held: Held, outline: &Arc<Outline>| {
            for (at, work) in held {
                origins.push((input, outline.line(at)));
                works.push(work);
            }
        };
        read_again(Bytes::File(path), name, format, &make, &mut each)?;
    }
    let names: Vec<String> = inputs.iter().map(|&(_, name)| name.to_owned()).collect();
    let (notes, kept) = crate::merge::merge_duplicates_kept(&mut works, &mut origins, &names);
    notes.into_iter().for_each(&mut *report);
    // Every work that may be merged is left out, but those kept, which
    // are written merged in their place.
    for &position in &positions {
        let seen = &outlined.works[position];
        decided[seen.input as usize].insert(seen.offset, None);
        own_keys[position] = NO_KEY;
    }
    for (merged, index) in works.into_iter().zip(kept) {
        let position = positions[index];
        let seen = &outlined.works[position];
        own_keys[position] = crate::key::own_key(&merged).map_or(NO_KEY, |key| key_hash(&key));
        decided[seen.input as usize].insert(seen.offset, Some(merged));
    }
    own_keys.retain(|&hash| hash != NO_KEY);
    Ok(MergePlan { decided, own_keys })
}

/// Reads an input again, its diagnostics said already.
fn read_again<T: Send>(
    bytes: Bytes<'_>,
    name: &str,
    format: InputFormat,
    make: &crate::read::bibtex::stream::Make<'_, T>,
    each: &mut dyn FnMut(T, &Arc<Outline>),
) -> std::io::Result<()> {
    match read_works(bytes, name, format, make, each, &mut |_| {}, &mut |_| {}) {
        Ok(_) => Ok(()),
        Err(WindowError::Io(error)) => Err(error),
        // It streamed the first time.
        Err(WindowError::NotUtf8(_) | WindowError::ReadWhole) => Err(std::io::Error::other(
            format!("{name} changed while it was read"),
        )),
    }
}
