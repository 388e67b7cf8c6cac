//! Several BibTeX and CSL-JSON files converted into one output as they are
//! read ([`convert_streaming_several`]), with the output and diagnostics
//! [`convert`](super::convert) gives, in memory bounded by a small record
//! a work and the largest group of works that may be merged. The inputs
//! are read through three times, each time on every core:
//!
//! 1. each work's match keys (DOI, arXiv id, folded title) and own key, as
//!    hashes: works linked by shared keys, directly or through others,
//!    form groups, and only a group that spans several inputs may merge;
//!    the reading's diagnostics are reported then;
//! 2. group by group, those groups' works, each read again alone where
//!    the first reading found it, merged as a library read whole merges
//!    them; what is kept is where each merged work is and where the works
//!    merged into it are;
//! 3. every work once more, written through the sink: a work merged into
//!    an earlier one is left out, the earlier one merged again with the
//!    works merged into it, read again alone, and written so.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::sink::{Made, Prepare, Sink};
use super::streaming::{read_works, streamed_format, WorksAt};
use super::{Request, Streamed};
use crate::diagnostic::{Diagnostic, Severity};
use crate::key::key_hash;
use crate::merge::Groups;
use crate::model::{Profile, Work};
use crate::read::bibtex::stream::{Bytes, EntryAt, Marked, Outline, NO_KEY};
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
    let prepare = Prepare::new(request, outlined.profile.as_ref()).looking_up();
    let mut sink = Sink::new(&prepare, out);
    let left_out = plan.decided.iter().flat_map(HashMap::values);
    let left_out = left_out.filter(|decision| matches!(decision, Decision::LeftOut));
    sink.expect_works(outlined.works.len().saturating_sub(left_out.count()));
    let failed = Mutex::new(None);
    for (input, (&(path, name), &format)) in inputs.iter().zip(&formats).enumerate() {
        let decided = &plan.decided[input];
        let make = |work: Work, _, at: EntryAt, _: Option<&Outline>, last: Option<&mut Made>| {
            let work = match decided.get(&at.offset()) {
                None => work,
                Some(Decision::LeftOut) => return None,
                Some(Decision::Absorbs(places)) => {
                    let mut again = ReadAgain::new(inputs, &formats, &outlined.outlines);
                    match again.merged(work, places) {
                        Ok(merged) => merged,
                        // Reported once the input is read.
                        Err(error) => {
                            let mut failed = failed.lock().unwrap_or_else(|e| e.into_inner());
                            failed.get_or_insert(error);
                            return None;
                        }
                    }
                }
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
        if let Some(error) = failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(error);
        }
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
    at: EntryAt,
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
    type Keys = Vec<(EntryAt, u64, Vec<u64>)>;
    for (input, (&(path, name), &format)) in inputs.iter().zip(formats).enumerate() {
        let make = |work: Work, _, at: EntryAt, _: Option<&Outline>, last: Option<&mut Keys>| {
            let own = crate::key::own_key(&work).map_or(NO_KEY, |key| key_hash(&key));
            let seen = (at, own, crate::merge::match_keys(&work));
            match last {
                Some(keys) => {
                    keys.push(seen);
                    None
                }
                None => Some(vec![seen]),
            }
        };
        let mut each = |keys: Keys, _: &Arc<Outline>| {
            for (at, own_key, match_keys) in keys {
                outlined.groups.add(input, &match_keys);
                outlined.works.push(Seen {
                    input: input as u32,
                    at,
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

/// What the merge decided for a work of a group that may merge, when it
/// is not written as it is read.
enum Decision {
    /// Merged into an earlier work: left out.
    LeftOut,
    /// Kept, and the works merged into it, in the order they were, by
    /// input and offset: written merged with them.
    Absorbs(Box<[(u32, u64)]>),
}

/// What the merge decided, by input and offset, and the own keys of the
/// works written.
struct MergePlan {
    decided: Vec<HashMap<u64, Decision>>,
    own_keys: Vec<u64>,
}

/// Merges the groups that span several inputs one at a time, several side
/// by side, their works read again alone; reports what was merged.
fn merge_plan(
    inputs: &[Named<'_>],
    formats: &[InputFormat],
    outlined: &mut Outlined,
    request: &Request,
    report: &mut dyn FnMut(Diagnostic),
) -> std::io::Result<MergePlan> {
    let mut own_keys: Vec<u64> = outlined.works.iter().map(|seen| seen.own_key).collect();
    let mut decided: Vec<HashMap<u64, Decision>> = inputs.iter().map(|_| HashMap::new()).collect();
    let groups = std::mem::take(&mut outlined.groups);
    let members = match request.merge {
        true => groups.spanning_inputs(),
        false => Vec::new(),
    };
    // Groups are merged in batches of some works, so that the cores'
    // turns are few and each input is opened once a batch.
    let mut batches = vec![0];
    for at in 1..members.len() {
        let last = batches[batches.len() - 1];
        if at - last >= BATCH && members[at - 1].0 != members[at].0 {
            batches.push(at);
        }
    }
    batches.push(members.len());
    let batch = |index: usize| Some(*batches.get(index)?..*batches.get(index + 1)?);
    let names: Vec<String> = inputs.iter().map(|&(_, name)| name.to_owned()).collect();
    let works = &outlined.works;
    let outlines = &outlined.outlines;
    let merge = |range: std::ops::Range<usize>| {
        let mut again = ReadAgain::new(inputs, formats, outlines);
        let mut merged = Vec::new();
        for group in members[range.clone()].chunk_by(|a, b| a.0 == b.0) {
            let mut read = Vec::with_capacity(group.len());
            let mut origins = Vec::with_capacity(group.len());
            for &(_, work) in group {
                let seen = &works[work as usize];
                let input = seen.input as usize;
                read.push(again.work(input, seen.at.offset())?);
                origins.push((input, outlines[input].line(seen.at)));
            }
            merged.push(crate::merge::merge_group(read, &origins, &names));
        }
        Ok((range, merged))
    };
    let mut failure = None;
    let threads = crate::parallel::available_threads();
    crate::parallel::map_in_order_from(batch, threads, 2 * threads, merge, |merged| {
        let (range, merged) = match merged {
            Ok(merged) => merged,
            Err(error) => {
                failure = Some(error);
                return false;
            }
        };
        let groups = members[range].chunk_by(|a, b| a.0 == b.0);
        for (group, merged) in groups.zip(merged) {
            merged.notes.into_iter().for_each(&mut *report);
            let place = |at: usize| {
                let seen = &works[group[at].1 as usize];
                (seen.input, seen.at.offset())
            };
            for (at, work) in merged.works.into_iter().enumerate() {
                let (input, offset) = place(at);
                let position = group[at].1 as usize;
                let Some(work) = work else {
                    decided[input as usize].insert(offset, Decision::LeftOut);
                    own_keys[position] = NO_KEY;
                    continue;
                };
                let absorbed: Box<[(u32, u64)]> = (at + 1..group.len())
                    .filter(|&other| merged.into[other] == at)
                    .map(place)
                    .collect();
                if !absorbed.is_empty() {
                    own_keys[position] =
                        crate::key::own_key(&work).map_or(NO_KEY, |key| key_hash(&key));
                    decided[input as usize].insert(offset, Decision::Absorbs(absorbed));
                }
            }
        }
        true
    });
    if let Some(error) = failure {
        return Err(error);
    }
    own_keys.retain(|&hash| hash != NO_KEY);
    Ok(MergePlan { decided, own_keys })
}

/// How many works of the groups that may merge are merged in a batch.
const BATCH: usize = 256;

/// Reads works of the inputs again, alone, where the first reading found
/// them; each input is opened when first read.
struct ReadAgain<'a> {
    inputs: &'a [Named<'a>],
    formats: &'a [InputFormat],
    outlines: &'a [Arc<Outline>],
    opened: Vec<Option<WorksAt<'a>>>,
}

impl<'a> ReadAgain<'a> {
    fn new(
        inputs: &'a [Named<'a>],
        formats: &'a [InputFormat],
        outlines: &'a [Arc<Outline>],
    ) -> Self {
        let opened = inputs.iter().map(|_| None).collect();
        ReadAgain {
            inputs,
            formats,
            outlines,
            opened,
        }
    }

    /// `kept` merged again with the works merged into it, at `places`.
    fn merged(&mut self, kept: Work, places: &[(u32, u64)]) -> std::io::Result<Work> {
        let absorbed: std::io::Result<Vec<Work>> = places
            .iter()
            .map(|&(input, offset)| self.work(input as usize, offset))
            .collect();
        Ok(crate::merge::merge_again(kept, absorbed?))
    }

    fn work(&mut self, input: usize, offset: u64) -> std::io::Result<Work> {
        let (path, name) = self.inputs[input];
        let works = self.opened[input].get_or_insert_with(|| {
            WorksAt::new(
                Bytes::File(path),
                name,
                self.formats[input],
                &self.outlines[input],
            )
        });
        let changed = || std::io::Error::other(format!("{name} changed while it was read"));
        match works.work(offset) {
            Ok(Some(work)) => Ok(work),
            Ok(None) | Err(WindowError::NotUtf8(_) | WindowError::ReadWhole) => Err(changed()),
            Err(WindowError::Io(error)) => Err(error),
        }
    }
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
