//! Inheritance between entries, by BibLaTeX's rules: `xdata` copies the
//! fields of data-only entries; `crossref` copies the parent's fields the
//! child lacks, renaming the parent's title to the child's `booktitle`
//! (or `maintitle`, `journaltitle`) as the entry types call for. The
//! child's own fields always win, and its own date keeps all the parent's
//! date fields out. Cycles and missing parents are reported, never
//! followed.

use std::collections::HashMap;

use super::RawEntry;
use crate::diagnostic::Severity;

/// Fields no entry inherits (biblatex's defaults).
const NOT_INHERITED: &[&str] = &[
    "ids",
    "crossref",
    "xref",
    "xdata",
    "entryset",
    "entrysubtype",
    "execute",
    "label",
    "options",
    "presort",
    "related",
    "relatedoptions",
    "relatedstring",
    "relatedtype",
    "shorthand",
    "shorthandintro",
    "sortkey",
    "sortname",
    "sorttitle",
    "sortyear",
    "indextitle",
    "indexsorttitle",
    "shorttitle",
];

/// The date fields: a child with any of them inherits none.
const DATE_FIELDS: &[&str] = &["date", "year", "month", "day"];

/// How deep a chain of parents may go before it is cut.
const MAX_CHAIN: usize = 16;

/// A problem with inheritance: the entry's index in its family and what
/// to say.
struct Problem {
    entry: usize,
    severity: Severity,
    message: String,
}

/// Fields naming where a work appeared: a child holding one needs
/// nothing from a missing parent (DBLP's exports give the full
/// `booktitle` and a `crossref` to proceedings they leave out).
const CONTAINER_FIELDS: &[&str] = &["booktitle", "journaltitle", "maintitle"];

/// The entry `start` and every entry it reaches through `xdata` and
/// `crossref` (as far as a chain may go), in file order: `find` gives a
/// key's entry, `parents` an entry's parent keys.
pub fn family<I: Copy + Ord + std::hash::Hash>(
    start: I,
    mut find: impl FnMut(&str) -> Option<I>,
    mut parents: impl FnMut(I) -> Vec<String>,
) -> Vec<I> {
    let mut members = vec![start];
    let mut seen = std::collections::HashSet::from([start]);
    let mut frontier = vec![start];
    for _ in 0..=MAX_CHAIN {
        let mut next = Vec::new();
        for member in frontier {
            for key in parents(member) {
                if let Some(parent) = find(&key).filter(|&parent| seen.insert(parent)) {
                    members.push(parent);
                    next.push(parent);
                }
            }
        }
        frontier = next;
    }
    members.sort_unstable();
    members
}

/// The keys an entry inherits from, by `xdata` and `crossref`, in lower
/// case.
pub fn parent_keys<'e>(entry: &'e RawEntry<'_>) -> impl Iterator<Item = String> + 'e {
    ["xdata", "crossref"]
        .into_iter()
        .filter_map(|field| entry.field(field))
        .flat_map(|value| value.split(','))
        .map(|key| key.trim().to_lowercase())
        .filter(|key| !key.is_empty())
}

/// Resolves one entry, `family[own]`, within its family (as [`family`]
/// lists it, in file order): the entry with what it inherited, and the
/// problems that are its own.
pub fn resolve_in_family<'t>(
    mut family: Vec<RawEntry<'t>>,
    own: usize,
) -> (RawEntry<'t>, Vec<(Severity, String)>) {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (index, entry) in family.iter().enumerate() {
        by_key.entry(entry.key.to_lowercase()).or_insert(index);
    }
    let mut problems = Vec::new();
    for field in ["xdata", "crossref"] {
        let mut resolved = vec![false; family.len()];
        for index in 0..family.len() {
            let mut chain = Vec::new();
            resolve_one(
                &mut family,
                &by_key,
                field,
                index,
                &mut resolved,
                &mut chain,
                &mut problems,
            );
        }
    }
    let messages = problems
        .into_iter()
        .filter(|problem| problem.entry == own)
        .map(|problem| (problem.severity, problem.message))
        .collect();
    (family.swap_remove(own), messages)
}

/// Resolves entry `index` after its parents (depth first, with the chain
/// of entries being resolved to catch cycles).
fn resolve_one(
    entries: &mut [RawEntry<'_>],
    by_key: &HashMap<String, usize>,
    field: &str,
    index: usize,
    resolved: &mut [bool],
    chain: &mut Vec<usize>,
    problems: &mut Vec<Problem>,
) {
    if resolved[index] {
        return;
    }
    let parents: Vec<String> = entries[index]
        .field(field)
        .map(|value| {
            value
                .split(',')
                .map(|key| key.trim().to_owned())
                .filter(|key| !key.is_empty())
                .collect()
        })
        .unwrap_or_default();
    chain.push(index);
    for parent_key in parents {
        let Some(&parent) = by_key.get(&parent_key.to_lowercase()) else {
            let own_container = CONTAINER_FIELDS
                .iter()
                .find(|&&name| entries[index].field(name).is_some());
            let (severity, message) = match own_container {
                Some(container) if field == "crossref" => (
                    Severity::Note,
                    format!(
                        "crossref `{parent_key}` names no entry in this file: left out of the output, as the entry's own `{container}` says where it appeared"
                    ),
                ),
                _ => (
                    Severity::Warning,
                    format!(
                        "{field} `{parent_key}` names no entry in this file; nothing was inherited, and it is left out of the output"
                    ),
                ),
            };
            problems.push(Problem {
                entry: index,
                severity,
                message,
            });
            continue;
        };
        if chain.contains(&parent) {
            let cycle: Vec<&str> = chain
                .iter()
                .chain([&parent])
                .map(|&i| entries[i].key.as_ref())
                .collect();
            problems.push(Problem {
                entry: index,
                severity: Severity::Warning,
                message: format!(
                    "{field} cycle {}; that link was not followed",
                    cycle.join(" → ")
                ),
            });
            continue;
        }
        if chain.len() >= MAX_CHAIN {
            problems.push(Problem {
                entry: index,
                severity: Severity::Warning,
                message: format!("{field} chain longer than {MAX_CHAIN} entries; `{parent_key}` was not followed"),
            });
            continue;
        }
        resolve_one(entries, by_key, field, parent, resolved, chain, problems);
        let inherited = inherited_fields(&entries[parent], &entries[index], field == "xdata");
        entries[index].fields.extend(inherited);
    }
    chain.pop();
    resolved[index] = true;
}

/// The parent's fields the child gets, renamed where the types call for it.
fn inherited_fields<'a>(
    parent: &RawEntry<'a>,
    child: &RawEntry<'a>,
    is_xdata: bool,
) -> Vec<super::RawField<'a>> {
    let child_has_date = DATE_FIELDS.iter().any(|name| child.field(name).is_some());
    let mut inherited: Vec<super::RawField<'a>> = Vec::new();
    for field in &parent.fields {
        let name = field.name.as_ref();
        if NOT_INHERITED.contains(&name) || (child_has_date && DATE_FIELDS.contains(&name)) {
            continue;
        }
        let names = if is_xdata {
            vec![name.to_owned()]
        } else {
            renamed(&parent.kind, &child.kind, name)
        };
        for name in names {
            let taken = child.field(&name).is_some() || inherited.iter().any(|f| f.name == name);
            if !taken {
                inherited.push(super::RawField {
                    name: name.into(),
                    value: field.value.clone(),
                    offset: field.offset,
                });
            }
        }
    }
    inherited
}

/// biblatex's crossref renaming: a book's title becomes the booktitle of
/// a part of it, a multi-volume work's the maintitle, a periodical's the
/// journaltitle; a book's author becomes a part's bookauthor as well as
/// its author. The names the parent's field goes to in the child.
fn renamed(parent_kind: &str, child_kind: &str, name: &str) -> Vec<String> {
    let parts = [
        "inbook",
        "bookinbook",
        "suppbook",
        "incollection",
        "suppcollection",
        "inproceedings",
        "inreference",
    ];
    let is_part = parts.contains(&child_kind);
    let multi_volume = parent_kind.starts_with("mv");
    let title_prefix = match (parent_kind, is_part, multi_volume) {
        (_, _, true) => Some("main"),
        ("periodical", _, _) if child_kind == "article" || child_kind == "suppperiodical" => {
            Some("journal")
        }
        (_, true, _) => Some("book"),
        _ => None,
    };
    let book_author = matches!(parent_kind, "book" | "mvbook")
        && matches!(child_kind, "inbook" | "bookinbook" | "suppbook" | "book");
    match (name, title_prefix) {
        ("title" | "subtitle" | "titleaddon", Some(prefix)) => vec![format!("{prefix}{name}")],
        ("author", _) if book_author => vec!["bookauthor".to_owned(), "author".to_owned()],
        _ => vec![name.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renaming_follows_the_entry_types() {
        assert_eq!(
            renamed("proceedings", "inproceedings", "title"),
            ["booktitle"]
        );
        assert_eq!(
            renamed("proceedings", "inproceedings", "subtitle"),
            ["booksubtitle"]
        );
        assert_eq!(
            renamed("proceedings", "inproceedings", "titleaddon"),
            ["booktitleaddon"]
        );
        assert_eq!(renamed("mvbook", "book", "title"), ["maintitle"]);
        assert_eq!(renamed("periodical", "article", "title"), ["journaltitle"]);
        assert_eq!(
            renamed("book", "inbook", "author"),
            ["bookauthor", "author"]
        );
        assert_eq!(renamed("book", "book", "title"), ["title"]);
        assert_eq!(
            renamed("proceedings", "inproceedings", "publisher"),
            ["publisher"]
        );
    }
}
