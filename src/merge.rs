//! The same work read from several inputs, merged into one.
//!
//! Two works from different inputs are the same when they share a DOI or an
//! arXiv identifier, or when their titles match with case, accents and
//! punctuation folded, their years are within three of each other (a
//! preprint is often years older than its venue) and their first authors
//! match. The merged work keeps the union of what both know, by one rule:
//!
//! - the *primary* is the richer record: the one that says where it
//!   appeared (a journal, proceedings or publisher), then the one with a
//!   DOI (curated lists such as DBLP and ORCID have them, a Scholar paste
//!   never), then the one whose author list is whole, else the one read
//!   first; its type, title, key, venue and date stand;
//! - a full author list replaces a truncated one, and a list of the same
//!   people with fuller names (`Mahsa T. Pourazad` for `MT Pourazad`)
//!   replaces one of initials;
//! - any field the primary lacks (abstract, identifiers, categories, …) is
//!   filled from the other;
//! - when the other is a preprint with a different date, that date is kept
//!   as the submitted date (the arXiv date beside the venue year).
//!
//! Each merge is reported as a note.
//!
//! A work completed from a web service ([`complete`], for `--lookup`) is
//! merged by a stricter rule: the input leads whatever the service
//! knows, and only gaps are filled.

use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::person::fold;
use crate::model::{
    arxiv_without_version, bare_doi, DateVariable, Person, Text, Variable, Work, WorkType,
};
// The one reader-made mark the merge heeds: a venue cut short is no
// fuller name for one another source abbreviates.
use crate::read::scholar::VENUE_TRUNCATED;

/// Merges duplicates among `works`, where `origins[i]` is the input work
/// `i` came from and its line there (0 if not known); only works from
/// different inputs merge. Returns the notes that say what was merged,
/// group by group (works joined by shared match keys), in the order of
/// each group's first work.
pub fn merge_duplicates(
    works: &mut Vec<Work>,
    origins: &mut Vec<(usize, usize)>,
    input_names: &[String],
) -> Vec<Diagnostic> {
    let mut groups = Groups::default();
    for (work, origin) in works.iter().zip(origins.iter()) {
        groups.add(origin.0, &match_keys(work));
    }
    let mut notes = Vec::new();
    let mut gone = vec![false; works.len()];
    for members in groups.spanning_inputs().chunk_by(|a, b| a.0 == b.0) {
        let members: Vec<usize> = members.iter().map(|&(_, work)| work as usize).collect();
        let taken = members.iter().map(|&at| std::mem::take(&mut works[at]));
        let group_origins: Vec<_> = members.iter().map(|&at| origins[at]).collect();
        let merged = merge_group(taken.collect(), &group_origins, input_names);
        notes.extend(merged.notes);
        for (&at, work) in members.iter().zip(merged.works) {
            match work {
                Some(work) => works[at] = work,
                None => gone[at] = true,
            }
        }
    }
    // A work without an origin (or an origin without a work) is in no
    // group, and stays.
    let (mut work, mut origin) = (0, 0);
    works.retain(|_| {
        work += 1;
        !gone.get(work - 1).copied().unwrap_or(false)
    });
    origins.retain(|_| {
        origin += 1;
        !gone.get(origin - 1).copied().unwrap_or(false)
    });
    notes
}

/// Works joined when they share a match key, directly or through others:
/// only works of one group can be the same ([`same_work`] needs a shared
/// key, and a merged work's keys are its members'), so groups are merged
/// one at a time, each apart from the others.
#[derive(Default)]
pub(crate) struct Groups {
    /// Each work's parent in its group, a root its own; a root is its
    /// group's first work.
    parent: Vec<u32>,
    /// The first work seen with each key.
    first_with_key: HashMap<u64, u32>,
    /// Each root's input, or [`SEVERAL`] once its group spans several.
    input: Vec<u32>,
}

const SEVERAL: u32 = u32::MAX;

impl Groups {
    /// Adds the next work, read from `input`, with its [`match_keys`].
    pub(crate) fn add(&mut self, input: usize, keys: &[u64]) {
        let work = self.parent.len() as u32;
        self.parent.push(work);
        self.input.push(input as u32);
        for &key in keys {
            match self.first_with_key.get(&key) {
                Some(&other) => self.join(work, other),
                None => {
                    self.first_with_key.insert(key, work);
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

    /// The works of the groups that span several inputs, the only ones
    /// that may merge, as (group's first work, work): group by group in
    /// the order of their first works, each group's works in order.
    pub(crate) fn spanning_inputs(mut self) -> Vec<(u32, u32)> {
        self.first_with_key = HashMap::new();
        let mut members = Vec::new();
        for work in 0..self.parent.len() as u32 {
            let root = self.root(work);
            if self.input[root as usize] == SEVERAL {
                members.push((root, work));
            }
        }
        members.sort_unstable();
        members
    }
}

/// What merging one group did.
pub(crate) struct GroupMerged {
    pub(crate) notes: Vec<Diagnostic>,
    /// For each work given, the place among them of the work it went
    /// into: its own place for a work kept.
    pub(crate) into: Vec<usize>,
    /// The works kept, merged, each at its place; `None` at the others.
    pub(crate) works: Vec<Option<Work>>,
}

/// Merges one group's works, in input order, where `origins[i]` is the
/// input work `i` came from and its line there: each is merged into the
/// first kept before it that is the same work from another input.
pub(crate) fn merge_group(
    works: Vec<Work>,
    origins: &[(usize, usize)],
    input_names: &[String],
) -> GroupMerged {
    let mut notes = Vec::new();
    let mut into = Vec::with_capacity(works.len());
    let mut kept: Vec<Option<(Work, Likeness)>> = Vec::with_capacity(works.len());
    // The places of the works kept by each of their match keys, in order:
    // a work can only be the same as one that shares a key with it, so
    // only those are compared, not every work kept before it (a group of
    // thousands sharing a title took a time growing with their square).
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
    for (position, (work, &origin)) in works.into_iter().zip(origins).enumerate() {
        let likeness = Likeness::of(&work);
        let keys = match_keys(&work);
        // The first work kept before it that is the same and from
        // another input: the first such in each key's list, the earliest
        // of those.
        let same_as = |at: &usize| {
            let (other, other_likeness) = kept[*at].as_ref()?;
            (origins[*at].0 != origin.0)
                .then(|| same_work((other, other_likeness), (&work, &likeness)))
                .flatten()
                .map(|reason| (*at, reason))
        };
        let found = keys
            .iter()
            .filter_map(|key| by_key.get(key)?.iter().find_map(same_as))
            .min_by_key(|&(at, _)| at);
        match found {
            Some((at, reason)) => {
                let (earlier, _) = kept[at].take().unwrap_or_default();
                notes.push(merge_note(
                    (&earlier, origins[at]),
                    (&work, origin),
                    reason,
                    input_names,
                ));
                let merged = merged(earlier, work);
                // Merged, it may have keys neither had alone.
                for key in match_keys(&merged) {
                    let places = by_key.entry(key).or_default();
                    if let Err(place) = places.binary_search(&at) {
                        places.insert(place, at);
                    }
                }
                let likeness = Likeness::of(&merged);
                kept[at] = Some((merged, likeness));
                kept.push(None);
                into.push(at);
            }
            None => {
                for key in keys {
                    by_key.entry(key).or_default().push(position);
                }
                kept.push(Some((work, likeness)));
                into.push(position);
            }
        }
    }
    let kept = kept.into_iter().map(|kept| kept.map(|(work, _)| work));
    GroupMerged {
        notes,
        into,
        works: kept.collect(),
    }
}

/// A kept work with the works [`merge_group`] merged into it, in the
/// order it merged them: the same merged work again.
pub(crate) fn merge_again(kept: Work, merged_into: impl IntoIterator<Item = Work>) -> Work {
    merged_into.into_iter().fold(kept, merged)
}

fn merge_note(
    earlier: (&Work, (usize, usize)),
    later: (&Work, (usize, usize)),
    reason: &str,
    input_names: &[String],
) -> Diagnostic {
    let input = |origin: usize| input_names.get(origin).map_or("?", String::as_str);
    let describe = |(work, (origin, line)): (&Work, (usize, usize))| {
        let title = work
            .title
            .as_ref()
            .map(|t| t.raw_string())
            .unwrap_or_default();
        match line {
            0 => format!("“{title}” ({})", input(origin)),
            line => format!("“{title}” ({}:{line})", input(origin)),
        }
    };
    Diagnostic::new(
        Severity::Note,
        "merge::duplicate",
        format!(
            "merged {} with {}: same {reason}",
            describe(earlier),
            describe(later)
        ),
    )
    .at(
        input_names.get(later.1 .0).map_or("", String::as_str),
        later.1 .1,
        usize::from(later.1 .1 > 0),
    )
    .hint("pass --no-merge to keep both")
}

/// The keys two works that [`same_work`] calls the same share at least one
/// of: DOI, arXiv id, folded title. They are kept as 64-bit hashes, so
/// that the index takes a few bytes a work whatever its title: two keys
/// of one hash only add a candidate that [`same_work`] turns down.
pub(crate) fn match_keys(work: &Work) -> Vec<u64> {
    let hash = |kind: &str, key: &str| {
        foldhash::quality::FixedState::with_seed(MATCH_KEY_SEED).hash_one((kind, key))
    };
    let mut keys = Vec::with_capacity(3);
    if let Some(doi) = &work.ids.doi {
        keys.push(hash("doi", &doi.to_ascii_lowercase()));
    }
    if let Some(id) = &work.ids.arxiv {
        keys.push(hash("arxiv", arxiv_without_version(id)));
    }
    if let Some(title) = work.title.as_ref().map(|t| fold(&t.raw_string())) {
        if !title.is_empty() {
            keys.push(hash("title", &title));
        }
    }
    keys
}

/// Any number: the seed of [`match_keys`]' hashes, fixed so that merging
/// is the same in every run.
const MATCH_KEY_SEED: u64 = 0x6d65_7267_6520_6b65;

/// What [`same_work`] compares of a work, worked out once for it.
#[derive(Default)]
struct Likeness {
    doi: Option<String>,
    arxiv: Option<String>,
    title: Option<String>,
}

impl Likeness {
    fn of(work: &Work) -> Likeness {
        Likeness {
            doi: work.ids.doi.as_ref().map(|doi| doi.to_ascii_lowercase()),
            arxiv: (work.ids.arxiv.as_deref()).map(|id| arxiv_without_version(id).to_owned()),
            title: (work.title.as_ref())
                .map(|title| fold(&title.raw_string()))
                .filter(|title| !title.is_empty()),
        }
    }
}

/// Why two works are the same, or `None`; each with its [`Likeness`].
/// The names, dearest to compare, are compared only once the titles and
/// years agree.
fn same_work(a: (&Work, &Likeness), b: (&Work, &Likeness)) -> Option<&'static str> {
    let ((a, a_is), (b, b_is)) = (a, b);
    if a_is.doi.is_some() && a_is.doi == b_is.doi {
        return Some("DOI");
    }
    if a_is.arxiv.is_some() && a_is.arxiv == b_is.arxiv {
        return Some("arXiv id");
    }
    if a_is.title.is_none() || a_is.title != b_is.title {
        return None;
    }
    let years_close = match (a.date, b.date) {
        (Some(x), Some(y)) => (x.start.year - y.start.year).abs() <= 3,
        _ => true,
    };
    let first_authors_match = || match (a.authors.first(), b.authors.first()) {
        (Some(x), Some(y)) => x.matches(&y.display_name()) || y.matches(&x.display_name()),
        _ => true,
    };
    (years_close && first_authors_match()).then_some("title")
}

fn says_where(work: &Work) -> bool {
    work.venue.container_title.is_some()
        || (work.venue.publisher.is_some() && work.kind != WorkType::Preprint)
}

/// How rich a record is, compared in order: the larger leads a merge.
fn richness(work: &Work) -> (bool, bool, bool) {
    (
        says_where(work),
        work.ids.doi.is_some(),
        !work.authors_truncated,
    )
}

/// Whether `fuller` names the same people as `names`, in order, with
/// more of their given names written out.
fn has_fuller_names(fuller: &[Person], names: &[Person]) -> bool {
    let letters = |people: &[Person]| -> usize { people.iter().map(given_letters).sum() };
    fuller.len() == names.len()
        && letters(fuller) > letters(names)
        && fuller
            .iter()
            .zip(names)
            .all(|(full, short)| full.matches(&short.display_name()))
}

/// How many letters of a person's given names are written out.
fn given_letters(person: &Person) -> usize {
    match person {
        Person::Personal(name) => name.given.as_deref().map_or(0, |given| {
            given.chars().filter(|c| c.is_alphabetic()).count()
        }),
        Person::Literal(_) => 0,
    }
}

/// Whether `short` is an abbreviation of the longer `long`: each of its
/// words begins a word of `long`, in order (`IEEE Trans. Vis. Comput.
/// Graph.`), or it is one word of their initials (`ICTAI`). DBLP names
/// venues so; a CV is better with the name in full.
fn abbreviates(short: &str, long: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(fold)
            .collect()
    };
    let (short_words, long_words) = (words(short), words(long));
    if short_words.is_empty() || short.len() >= long.len() || short_words == long_words {
        return false;
    }
    let mut rest = long_words.iter();
    let prefixes = short_words
        .iter()
        .all(|word| rest.any(|long_word| long_word.starts_with(word.as_str())));
    let acronym = match short_words.as_slice() {
        [word] if word.len() >= 2 && short.trim().chars().all(|c| c.is_ascii_uppercase()) => {
            let mut initials = long_words.iter().filter_map(|w| w.chars().next());
            word.chars()
                .all(|letter| initials.any(|initial| initial == letter))
        }
        _ => false,
    };
    prefixes || acronym
}

/// A single value of a work that merging and completing fill where it is
/// missing, with its name in reports.
type Slot = (&'static str, fn(&mut Work) -> &mut Option<String>);

const SLOTS: [Slot; 10] = [
    ("DOI", |work| &mut work.ids.doi),
    ("arXiv id", |work| &mut work.ids.arxiv),
    ("URL", |work| &mut work.ids.url),
    ("ISBN", |work| &mut work.ids.isbn),
    ("ISSN", |work| &mut work.ids.issn),
    ("publisher", |work| &mut work.venue.publisher),
    ("place", |work| &mut work.venue.place),
    ("volume", |work| &mut work.venue.volume),
    ("issue", |work| &mut work.venue.issue),
    ("pages", |work| &mut work.venue.pages),
];

/// Completes `work` with what a service's record of it (`found`) knows,
/// never overwriting what the work has, except a truncated author list
/// that the found one continues. A preprint that says nowhere else it
/// appeared becomes the published version found for it: its type, venue
/// and date, the preprint's date kept as the submitted date (as when
/// two inputs merge). Returns the
/// values on which the two disagree, in words, for the report.
pub fn complete(work: &mut Work, mut found: Work) -> Vec<String> {
    let mut conflicts = Vec::new();
    let continues = |full: &[Person], start: &[Person]| {
        full.len() >= start.len()
            && full
                .iter()
                .zip(start)
                .all(|(full, short)| full.matches(&short.display_name()))
    };
    if work.authors.is_empty()
        || (work.authors_truncated
            && !found.authors_truncated
            && continues(&found.authors, &work.authors))
    {
        if !found.authors.is_empty() {
            let mut authors = std::mem::take(&mut found.authors);
            // The input's own spelling of the people it names (accents a
            // service may drop) stays, unless the service writes more of
            // their given names.
            for (theirs, mine) in authors.iter_mut().zip(work.authors.drain(..)) {
                if given_letters(theirs) <= given_letters(&mine) {
                    *theirs = mine;
                }
            }
            work.authors = authors;
            work.authors_truncated = found.authors_truncated;
        }
    } else if !found.authors.is_empty()
        && !(continues(&found.authors, &work.authors)
            && (found.authors.len() == work.authors.len() || work.authors_truncated))
    {
        let names = |people: &[Person]| {
            people
                .iter()
                .map(Person::display_name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        conflicts.push(format!(
            "authors differ: it lists {}",
            names(&found.authors)
        ));
    }
    let published = found.venue.container_title.is_some() && found.kind != WorkType::Preprint;
    let becomes_published =
        work.kind == WorkType::Preprint && work.venue.container_title.is_none() && published;
    if becomes_published {
        // The preprint's date is when it was posted; the published
        // version's is the one a citation gives. Both are kept.
        if let (Some(posted), Some(issued)) = (work.date, found.date.take()) {
            if posted != issued {
                work.dates.entry(DateVariable::Submitted).or_insert(posted);
            }
            work.date = Some(issued);
        }
    }
    if work.kind == WorkType::Misc || becomes_published {
        work.kind = found.kind;
    }
    fill_keyed(work, &mut found);
    for (name, slot) in SLOTS {
        let theirs = slot(&mut found).take();
        let mine = slot(work);
        match (mine.as_deref(), theirs) {
            (None, theirs) => *mine = theirs,
            (Some(mine), Some(theirs))
                if name != "URL" && fold(bare_doi(mine)) != fold(bare_doi(&theirs)) =>
            {
                conflicts.push(format!("{name} differs: it gives {theirs}"));
            }
            _ => {}
        }
    }
    let differ = |mine: &Option<Text>, theirs: &Text| {
        mine.as_ref().is_some_and(|mine| {
            let (mine, theirs) = (mine.raw_string(), theirs.raw_string());
            fold(&mine) != fold(&theirs)
                && !abbreviates(&mine, &theirs)
                && !abbreviates(&theirs, &mine)
        })
    };
    if let Some(theirs) = found.venue.container_title.take() {
        if differ(&work.venue.container_title, &theirs) {
            conflicts.push(format!("venue differs: it gives {}", theirs.raw_string()));
        }
        work.venue.container_title.get_or_insert(theirs);
    }
    if let Some(theirs) = found.title.take() {
        if differ(&work.title, &theirs) {
            conflicts.push(format!("title differs: it gives '{}'", theirs.raw_string()));
        }
        work.title.get_or_insert(theirs);
    }
    if let Some(theirs) = found.date {
        match work.date {
            None => work.date = Some(theirs),
            Some(mine) if mine.start.year != theirs.start.year => {
                conflicts.push(format!("year differs: it gives {}", theirs.start.year));
            }
            Some(_) => {}
        }
    }
    if work.abstract_text.is_none() {
        work.abstract_text = found.abstract_text;
    }
    if work.editors.is_empty() {
        work.editors = found.editors;
    }
    if work.keywords.is_empty() {
        work.keywords = found.keywords;
    }
    for category in found.categories {
        if !work
            .categories
            .iter()
            .any(|mine| mine.best() == category.best())
        {
            work.categories.push(category);
        }
    }
    conflicts
}

/// Adds the variables, dates, roles and source fields of `other` that
/// `work` lacks.
fn fill_keyed(work: &mut Work, other: &mut Work) {
    for (variable, text) in std::mem::take(&mut other.fields) {
        work.fields.entry(variable).or_insert(text);
    }
    for (variable, date) in std::mem::take(&mut other.dates) {
        work.dates.entry(variable).or_insert(date);
    }
    for (role, people) in std::mem::take(&mut other.contributors) {
        work.contributors.entry(role).or_insert(people);
    }
    for (name, value) in std::mem::take(&mut other.extra) {
        work.extra.entry(name).or_insert(value);
    }
}

/// The union of two records of one work (the rule in the module comment).
fn merged(first: Work, second: Work) -> Work {
    let (mut primary, other) = if richness(&second) > richness(&first) {
        (second, first)
    } else {
        (first, second)
    };
    if primary.authors_truncated && !other.authors_truncated && !other.authors.is_empty()
        || (primary.authors_truncated == other.authors_truncated
            && other.authors.len() > primary.authors.len())
        || has_fuller_names(&other.authors, &primary.authors)
    {
        primary.authors = other.authors.clone();
        primary.authors_truncated = other.authors_truncated;
    }
    if primary.kind == WorkType::Misc {
        primary.kind = other.kind;
    }
    if other.kind == WorkType::Preprint
        && primary.kind != WorkType::Preprint
        && other.date != primary.date
    {
        if let Some(date) = other.date {
            primary.dates.entry(DateVariable::Submitted).or_insert(date);
        }
    }
    let mut other = other;
    fill_keyed(&mut primary, &mut other);
    if primary.key.is_none() {
        primary.key = other.key.take();
    }
    for (_, slot) in SLOTS {
        let mine = slot(&mut primary);
        if mine.is_none() {
            *mine = slot(&mut other).take();
        }
    }
    if primary.title.is_none() {
        primary.title = other.title;
    }
    match (&primary.venue.container_title, other.venue.container_title) {
        (None, theirs) => primary.venue.container_title = theirs,
        (Some(mine), Some(theirs))
            if !other.extra.contains_key(VENUE_TRUNCATED)
                && abbreviates(&mine.raw_string(), &theirs.raw_string()) =>
        {
            let short = primary.venue.container_title.replace(theirs);
            if let Some(short) = short {
                primary
                    .fields
                    .entry(Variable::ContainerTitleShort)
                    .or_insert(short);
            }
        }
        _ => {}
    }
    if primary.abstract_text.is_none() {
        primary.abstract_text = other.abstract_text;
    }
    if primary.date.is_none() {
        primary.date = other.date;
    }
    if primary.editors.is_empty() {
        primary.editors = other.editors;
    }
    for category in other.categories {
        if !primary.categories.contains(&category) {
            primary.categories.push(category);
        }
    }
    for keyword in other.keywords {
        if !primary.keywords.contains(&keyword) {
            primary.keywords.push(keyword);
        }
    }
    primary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Text};

    fn same(a: &Work, b: &Work) -> Option<&'static str> {
        same_work((a, &Likeness::of(a)), (b, &Likeness::of(b)))
    }

    fn work(title: &str, year: i32, author: &str) -> Work {
        Work {
            title: Some(Text::plain(title)),
            date: Some(Date::year(year).into()),
            authors: vec![Person::from_display_name(author)],
            ..Work::default()
        }
    }

    #[test]
    fn duplicates_match_by_identifier_or_folded_title() {
        let mut a = work("Sufficient Invariant Learning", 2022, "Taero Kim");
        let mut b = work("SUFFICIENT invariant learning!", 2025, "T. Kim");
        assert_eq!(same(&a, &b), Some("title"));
        b.date = Some(Date::year(2030).into());
        assert_eq!(same(&a, &b), None, "years too far apart");
        a.ids.arxiv = Some("2210.13533v4".into());
        b.ids.arxiv = Some("2210.13533".into());
        assert_eq!(same(&a, &b), Some("arXiv id"));
        let c = work("Sufficient Invariant Learning", 2022, "Someone Else");
        assert_eq!(
            same(
                &work("Sufficient Invariant Learning", 2022, "Taero Kim"),
                &c
            ),
            None
        );
    }

    /// Each work merges into the earliest kept work it is the same as,
    /// also by a key that work gained in an earlier merge, and never into
    /// one of its own input or one merged away.
    #[test]
    fn a_group_merges_into_the_earliest_same_work() {
        let mut titled = work("Ünïcode Titles", 2020, "Zoë Müller");
        titled.ids.doi = Some("10.1000/ABC".into());
        let renamed = {
            let mut renamed = work("Another Name Entirely", 2020, "Z. Muller");
            renamed.ids.doi = Some("10.1000/abc".into());
            renamed
        };
        let works = vec![
            work("Unicode titles", 2019, "Zoe Muller"),
            work("Unicode titles", 2019, "Zoe Muller"),
            titled,
            renamed,
            work("Unicode Titles", 2021, "Someone Else"),
        ];
        let origins = [(0, 1), (0, 2), (1, 1), (2, 1), (3, 1)];
        let names = ["a".into(), "b".into(), "c".into(), "d".into()];
        let merged = merge_group(works, &origins, &names);
        // The third goes into the first (by title), the fourth into that
        // merged work by the DOI it took from the third; the second stays
        // (same input as the first), as does the fifth (another author).
        assert_eq!(merged.into, [0, 1, 0, 0, 4]);
        let kept: Vec<bool> = merged.works.iter().map(Option::is_some).collect();
        assert_eq!(kept, [true, true, false, false, true]);
        let reasons: Vec<&str> = merged.notes.iter().map(|note| &note.message[..]).collect();
        assert!(reasons[0].ends_with("same title"), "{reasons:?}");
        assert!(reasons[1].ends_with("same DOI"), "{reasons:?}");
        assert_eq!(reasons.len(), 2);
    }

    #[test]
    fn only_works_from_different_inputs_merge() {
        let same = work("A Title", 2020, "Jane Doe");
        let mut works = vec![same.clone(), same.clone()];
        assert!(merge_duplicates(&mut works, &mut vec![(0, 1), (0, 2)], &["a".into()]).is_empty());
        assert_eq!(works.len(), 2);
        let notes = merge_duplicates(
            &mut works,
            &mut vec![(0, 3), (1, 0)],
            &["a".into(), "b".into()],
        );
        assert_eq!((works.len(), notes.len()), (1, 1));
        // Origins and works of different lengths: those unpaired stay.
        let mut works = vec![same.clone(), same.clone(), same.clone()];
        let mut origins = vec![(0, 1), (1, 1)];
        let notes = merge_duplicates(&mut works, &mut origins, &["a".into(), "b".into()]);
        assert_eq!((works.len(), origins.len(), notes.len()), (2, 1, 1));
        let mut works = vec![same.clone()];
        let mut origins = vec![(0, 1), (1, 1), (1, 2)];
        assert!(merge_duplicates(&mut works, &mut origins, &["a".into(), "b".into()]).is_empty());
        assert_eq!((works.len(), origins.len()), (1, 3));
    }

    /// Works linked by shared keys are merged as a set: what is kept, and
    /// in which place, is what merging them one by one in input order
    /// gives; the notes come set by set, in the order of each set's first
    /// work, and merging a set again from its record gives the same work.
    #[test]
    fn duplicates_merge_set_by_set() {
        let x = work("Rivers of Sand", 2020, "Jane Doe");
        let y = work("Önly Here", 2019, "Max Roe");
        let mut x_again = work("rivers of sand", 2021, "J. Doe");
        x_again.ids.doi = Some("10.5/rivers".into());
        let mut x_renamed = work("Another Name", 2021, "Jane Doe");
        x_renamed.ids.doi = Some("10.5/RIVERS".into());
        let lone = work("Alone", 2019, "Ada Lovelace");
        let y_again = work("Only here", 2019, "Max Roe");
        let mut works = vec![
            x.clone(),
            y.clone(),
            lone.clone(),
            y_again.clone(),
            x_again.clone(),
            x_renamed.clone(),
        ];
        let mut origins = vec![(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (2, 1)];
        let names = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let notes = merge_duplicates(&mut works, &mut origins, &names);
        let said: Vec<&str> = notes.iter().map(|note| note.message.as_str()).collect();
        assert_eq!(
            said,
            [
                "merged “Rivers of Sand” (a:1) with “rivers of sand” (b:2): same title",
                // The merged work leads with the record that has a DOI.
                "merged “rivers of sand” (a:1) with “Another Name” (c:1): same DOI",
                "merged “Önly Here” (a:2) with “Only here” (b:1): same title",
            ]
        );
        assert_eq!(origins, [(0, 1), (0, 2), (0, 3)]);
        assert_eq!(works[2], lone);
        let rivers = merge_group(
            vec![x.clone(), x_again.clone(), x_renamed.clone()],
            &[(0, 1), (1, 2), (2, 1)],
            &names,
        );
        assert_eq!(rivers.into, [0, 0, 0]);
        let again = merge_again(x, [x_again, x_renamed]);
        assert_eq!(rivers.works[0].as_ref(), Some(&again));
        assert_eq!(works[0], again);
        assert_eq!(works[0].ids.doi.as_deref(), Some("10.5/rivers"));
    }

    #[test]
    fn completing_fills_gaps_and_continues_a_truncated_author_list() {
        let mut dump = work("Sufficient Invariant Learning", 2022, "Taero Kim");
        dump.kind = WorkType::Preprint;
        dump.authors_truncated = true;
        dump.ids.arxiv = Some("2210.13533".into());
        let mut published = work("Sufficient Invariant Learning", 2025, "T. Kim");
        for name in ["Subeen Park", "Sungjun Lim"] {
            published.authors.push(Person::from_display_name(name));
        }
        published.kind = WorkType::ConferencePaper;
        published.venue.container_title = Some(Text::plain("CVPR"));
        published.ids.arxiv = Some("2210.99999".into());
        published.ids.doi = Some("10.5555/x".into());
        let conflicts = complete(&mut dump, published.clone());
        assert_eq!(conflicts, ["arXiv id differs: it gives 2210.99999"]);
        assert_eq!(dump.authors.len(), 3);
        assert_eq!(dump.authors[0].display_name(), "Taero Kim", "not T. Kim");
        assert!(!dump.authors_truncated);
        assert_eq!(dump.kind, WorkType::ConferencePaper);
        assert_eq!(dump.date.unwrap().start.year, 2025);
        assert_eq!(dump.dates[&DateVariable::Submitted].start.year, 2022);
        assert_eq!(dump.ids.doi.as_deref(), Some("10.5555/x"));
        assert_eq!(dump.ids.arxiv.as_deref(), Some("2210.13533"));

        // A whole list is kept, and a different one said.
        let mut whole = work("A Title", 2020, "Jane Doe");
        let other = work("A Title", 2020, "Max Roe");
        let conflicts = complete(&mut whole, other);
        assert_eq!(conflicts, ["authors differ: it lists Max Roe"]);
        assert_eq!(whole.authors[0].display_name(), "Jane Doe");
    }

    #[test]
    fn abbreviated_venues_are_told() {
        for (short, long, abbreviates_it) in [
            (
                "IEEE Trans. Vis. Comput. Graph.",
                "IEEE Transactions on Visualization and Computer Graphics",
                true,
            ),
            (
                "ICTAI",
                "IEEE International Conference on Tools with Artificial Intelligence",
                true,
            ),
            ("Nature", "Nature Reviews Genetics", true),
            ("Nature", "Physical Review B", false),
            ("ICTAI", "International Conference on Learning", false),
            ("Opt. Express", "Optics Express", true),
            ("Optics Express", "Optics Express", false),
            ("Revista Española", "Revista Espanola de Cardiologia", true),
        ] {
            assert_eq!(abbreviates(short, long), abbreviates_it, "{short} / {long}");
        }
    }

    #[test]
    fn the_richer_record_leads_and_fuller_names_replace_initials() {
        let mut scholar = work("Correction of clipped pixels", 2010, "D Xu");
        scholar
            .authors
            .push(Person::from_display_name("MT Pourazad"));
        scholar.venue.container_title = Some(Text::plain(
            "IEEE Transactions on Visualization and Computer Graphics",
        ));
        let mut dblp = work("Correction of Clipped Pixels", 2011, "Di Xu");
        dblp.authors
            .push(Person::from_display_name("Mahsa T. Pourazad"));
        dblp.venue.container_title = Some(Text::plain("IEEE Trans. Vis. Comput. Graph."));
        dblp.ids.doi = Some("10.1109/TVCG.2010.63".into());
        let mut works = vec![scholar, dblp];
        let notes = merge_duplicates(
            &mut works,
            &mut vec![(0, 1), (1, 1)],
            &["scholar.txt".into(), "xu.xml".into()],
        );
        assert_eq!((works.len(), notes.len()), (1, 1));
        let merged = &works[0];
        assert_eq!(merged.date.unwrap().start.year, 2011);
        assert_eq!(
            merged.title.as_ref().unwrap().raw_string(),
            "Correction of Clipped Pixels"
        );
        let names: Vec<String> = merged.authors.iter().map(Person::display_name).collect();
        assert_eq!(names, ["Di Xu", "Mahsa T. Pourazad"]);
        assert_eq!(
            merged.venue.container_title.as_ref().unwrap().raw_string(),
            "IEEE Transactions on Visualization and Computer Graphics"
        );
        assert_eq!(
            merged.fields[&Variable::ContainerTitleShort].raw_string(),
            "IEEE Trans. Vis. Comput. Graph."
        );
    }
}
