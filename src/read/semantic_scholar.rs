//! The Semantic Scholar reader: papers JSON from the Graph API
//! (`https://api.semanticscholar.org/graph/v1/…`). Three shapes are read:
//! a page of a list, `{"offset": …, "next": …, "data": [paper, …]}` (an
//! author's papers, a paper search); the answer of `POST /paper/batch`, an
//! array holding a paper or `null` (an id it does not know) in the place
//! of each id asked; and one paper. An author with their papers
//! (`/author/{id}?fields=name,papers.title,…`) is read as their papers,
//! the author's name as the profile's.
//!
//! This module owns the mapping from the API's paper object to the model;
//! parsing is serde_json's, one paper at a time, so that a paper of the
//! wrong shape costs itself only (a warning names the value by its JSON
//! path, `data[3].title`). JSON that does not parse is one error at its
//! line and column; JSON of another kind is refused as what it is.
//!
//! What the API's values become:
//! - `publicationTypes` is a list, often of several (`JournalArticle` and
//!   `Conference` at once): the kind is the first of them in [`TYPES`]'s
//!   order (a conference paper before a journal article, which S2 gives
//!   proceedings papers too), unless `publicationVenue.type` says
//!   `journal` or `conference`, which settles between those two. The list
//!   is kept in `extra` when it says more than the kind does. Without a
//!   type, a paper with an arXiv id and no other venue is a preprint;
//! - the venue is `publicationVenue.name`, else `journal.name`, else
//!   `venue`; arXiv (S2's `journal` `ArXiv`, volume `abs/ID`) is no venue;
//! - pages (`journal.pages`, `" 12 -34"`) lose their stray white space;
//! - `externalIds`: the DOI (bare, lower-cased: S2 upper-cases them), the
//!   arXiv id, PubMed and PubMed Central ids go to the model; the DBLP key,
//!   ACL id, MAG id and corpus id to `extra`, with the paper id, the
//!   authors' ids and the citation count;
//! - `openAccessPdf.url` is the URL, else the paper's S2 page when it has
//!   no DOI or arXiv id;
//! - `citationStyles.bibtex` is never read: its entry type is often not
//!   BibTeX (`@['JournalArticle', 'Conference']`), and its names and years
//!   are often wrong; the writers make BibTeX from the model instead.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    bare_doi, page_range, Date, Library, Person, Profile, Text, Variable, Work, WorkType,
};
use crate::read::json::{self, string_or_number, Locator};
use crate::read::{scholar, ReadOptions, Reading, Source};

/// The key in a work's `extra` holding its Semantic Scholar paper id.
pub const PAPER_ID: &str = "s2-paper-id";
/// The key in a work's `extra` holding its Semantic Scholar corpus id.
pub const CORPUS_ID: &str = "s2-corpus-id";
/// The key in a work's `extra` holding its authors' Semantic Scholar ids,
/// in order, separated by `; ` (empty for an author without one).
pub const AUTHOR_IDS: &str = "s2-author-ids";
/// The key in a work's `extra` holding `publicationTypes` when the kind
/// does not say all of it, separated by `, `.
pub const PUBLICATION_TYPES: &str = "s2-publication-types";
/// The keys in a work's `extra` of the other identifiers, by `externalIds`
/// name.
pub const OTHER_IDS: &[(&str, &str)] = &[("DBLP", "dblp"), ("ACL", "acl"), ("MAG", "mag")];
/// The key in a work's `extra` set to `true` when S2 says the paper is
/// open access.
pub const OPEN_ACCESS: &str = "open-access";

/// How much of a file's start [`recognizes`] looks at.
const LOOK: usize = 1 << 16;

/// `publicationTypes` names, the kind of work each is, and whether the
/// kind says it exactly; in the order that picks among several.
pub const TYPES: &[(&str, WorkType, bool)] = &[
    ("Conference", WorkType::ConferencePaper, true),
    ("JournalArticle", WorkType::JournalArticle, true),
    ("BookSection", WorkType::Chapter, true),
    ("Book", WorkType::Book, true),
    ("Dataset", WorkType::Dataset, true),
    // A review article, not a review of a work (CSL's `review`).
    ("Review", WorkType::JournalArticle, false),
    ("MetaAnalysis", WorkType::JournalArticle, false),
    ("Editorial", WorkType::JournalArticle, false),
    ("LettersAndComments", WorkType::JournalArticle, false),
    ("CaseReport", WorkType::JournalArticle, false),
    ("ClinicalTrial", WorkType::JournalArticle, false),
    ("Study", WorkType::JournalArticle, false),
    ("News", WorkType::NewspaperArticle, false),
];

/// Venue names that are arXiv, which is no venue.
const ARXIV_VENUES: &[&str] = &["arxiv", "arxiv.org"];

/// True when the text is Semantic Scholar papers JSON: a paper's
/// `paperId` key, or a list page's `data` with its paging keys.
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !(text.starts_with('{') || text.starts_with('[')) {
        return false;
    }
    let paging = ["offset", "next", "total", "token"];
    json::has_key(text, "paperId", LOOK)
        || (json::has_key(text, "data", LOOK)
            && paging.iter().any(|key| json::has_key(text, key, LOOK)))
}

/// Reads Semantic Scholar papers JSON into a library.
pub fn read_semantic_scholar(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let text = source.text.trim_start_matches('\u{feff}');
    let locator = Locator::new(source.name, source.text);
    let mut reader = S2Reader {
        locator: &locator,
        diagnostics: Vec::new(),
        searches: 0,
    };
    let Some((records, profile)) = reader.records(text) else {
        return Reading {
            diagnostics: reader.diagnostics,
            ..Reading::default()
        };
    };
    let (works, offsets) = json::works_of(&locator, records, |path, raw| reader.record(path, raw));
    Reading {
        library: Library {
            profile,
            works,
            ..Library::default()
        },
        diagnostics: reader.diagnostics,
        offsets,
    }
}

const PAPERS: json::RecordNames = json::RecordNames {
    code: "semantic-scholar::record",
    whole: "the paper",
    kind: "a Semantic Scholar paper",
    noun: "paper",
    hint: "the other papers were read; fetch this one again from the API",
};

const HINT: &str = "save an author's papers from https://api.semanticscholar.org/graph/v1/author/<id>/papers?fields=title,authors,year,publicationDate,venue,publicationVenue,journal,publicationTypes,externalIds,citationCount";

struct S2Reader<'a> {
    locator: &'a Locator<'a>,
    diagnostics: Vec<Diagnostic>,
    /// How many wrong values were searched for: past
    /// [`json::MOST_SEARCHES`], a warning names the paper only.
    searches: usize,
}

/// The author of an author-with-papers answer.
#[derive(Deserialize)]
struct Owner<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

impl S2Reader<'_> {
    /// The papers of the file, each with its JSON path, and the author
    /// whose papers they are when the file says; `None` after an error
    /// when the file is not Semantic Scholar papers JSON.
    #[allow(clippy::type_complexity)]
    fn records<'t>(&mut self, text: &'t str) -> Option<(Vec<(String, &'t str)>, Option<Profile>)> {
        let parsed = match text.trim_start().as_bytes().first() {
            Some(b'[') => {
                serde_json::from_str::<Vec<&RawValue>>(text).map(|items| (Some(items), None))
            }
            Some(b'{') => serde_json::from_str::<HashMap<Cow<str>, &RawValue>>(text)
                .map(|keys| (None, Some(keys))),
            _ => serde_json::from_str::<&RawValue>(text).map(|_| (None, None)),
        };
        let (array, object) = match parsed {
            Ok(parsed) => parsed,
            Err(error) => {
                let error = self
                    .locator
                    .not_json("semantic-scholar::json", text, &error, HINT);
                self.diagnostics.push(error);
                return None;
            }
        };
        if let Some(items) = array {
            if !recognizes(text) && !items.is_empty() && items.iter().any(|raw| raw.get() != "null")
            {
                self.not_semantic_scholar(text);
                return None;
            }
            let records = items
                .into_iter()
                .enumerate()
                .map(|(index, raw)| (format!("[{index}]"), raw.get()))
                .collect();
            return Some((records, None));
        }
        let Some(keys) = object else {
            self.not_semantic_scholar(text);
            return None;
        };
        let list = ["data", "papers"]
            .iter()
            .find_map(|name| keys.get(*name).map(|raw| (*name, raw)));
        if let Some((name, list)) = list {
            let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(list.get()) else {
                let error = Diagnostic::new(
                    Severity::Error,
                    "semantic-scholar::not-semantic-scholar",
                    format!("`{name}` is not a list of papers"),
                )
                .hint(HINT);
                let error = self.locator.at(error, self.locator.offset_of(list.get()));
                self.diagnostics.push(error);
                return None;
            };
            let profile = (name == "papers")
                .then(|| serde_json::from_str::<Owner>(text).ok())
                .flatten()
                .and_then(|owner| owner.name)
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .map(|name| Profile {
                    name,
                    ..Profile::default()
                });
            let records = items
                .into_iter()
                .enumerate()
                .map(|(index, raw)| (format!("{name}[{index}]"), raw.get()))
                .collect();
            return Some((records, profile));
        }
        if keys.contains_key("paperId") {
            return Some((vec![(String::new(), text)], None));
        }
        self.not_semantic_scholar(text);
        None
    }

    fn not_semantic_scholar(&mut self, text: &str) {
        let kind = json::kind_of(text);
        let error = Diagnostic::new(
            Severity::Error,
            "semantic-scholar::not-semantic-scholar",
            format!("this is not Semantic Scholar papers JSON: it is {kind}"),
        )
        .hint(HINT);
        let error = self.locator.at(error, self.locator.offset_of(text));
        self.diagnostics.push(error);
    }

    /// One paper, or `None` after a warning when it cannot be read.
    fn record(&mut self, path: &str, raw: &str) -> Option<Work> {
        let offset = self.locator.offset_of(raw);
        let named = |message: String| {
            if path.is_empty() {
                message
            } else {
                format!("`{path}`: {message}")
            }
        };
        if raw == "null" {
            let message = named(
                "Semantic Scholar found no paper for the id asked in this place; it was skipped"
                    .to_owned(),
            );
            let warning = Diagnostic::new(Severity::Warning, "semantic-scholar::no-paper", message)
                .hint("check the id asked for in this place of the batch request");
            let warning = self.locator.at(warning, offset);
            self.diagnostics.push(warning);
            return None;
        }
        let parses = |text: &str| serde_json::from_str::<Paper>(text).is_ok();
        let paper =
            match self
                .locator
                .record::<Paper>(&PAPERS, path, raw, &parses, &mut self.searches)
            {
                Ok(paper) => paper,
                Err(warning) => {
                    self.diagnostics.push(warning);
                    return None;
                }
            };
        let mut notes = Vec::new();
        let work = paper.into_work(&mut notes);
        for message in notes {
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "semantic-scholar::record",
                named(message),
            );
            let diagnostic = self.locator.at(diagnostic, offset);
            self.diagnostics.push(diagnostic);
        }
        work
    }
}

/// The values of a paper that are read; serde skips the others (among
/// them `citationStyles`).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Paper<'a> {
    #[serde(borrow)]
    paper_id: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "string_or_number")]
    corpus_id: Option<String>,
    #[serde(borrow)]
    external_ids: Option<ExternalIds<'a>>,
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "abstract")]
    abstract_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    venue: Option<Cow<'a, str>>,
    #[serde(borrow)]
    publication_venue: Option<PublicationVenue<'a>>,
    year: Option<i32>,
    #[serde(borrow)]
    publication_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    journal: Option<Journal<'a>>,
    #[serde(borrow)]
    authors: Option<Vec<Option<Author<'a>>>>,
    #[serde(borrow)]
    publication_types: Option<Vec<Cow<'a, str>>>,
    citation_count: Option<u64>,
    is_open_access: Option<bool>,
    #[serde(borrow)]
    open_access_pdf: Option<OpenAccessPdf<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExternalIds<'a> {
    #[serde(borrow, rename = "DOI")]
    doi: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "ArXiv")]
    arxiv: Option<Cow<'a, str>>,
    #[serde(rename = "PubMed", deserialize_with = "string_or_number")]
    pubmed: Option<String>,
    #[serde(rename = "PubMedCentral", deserialize_with = "string_or_number")]
    pubmed_central: Option<String>,
    #[serde(rename = "DBLP", deserialize_with = "string_or_number")]
    dblp: Option<String>,
    #[serde(rename = "ACL", deserialize_with = "string_or_number")]
    acl: Option<String>,
    #[serde(rename = "MAG", deserialize_with = "string_or_number")]
    mag: Option<String>,
    #[serde(rename = "CorpusId", deserialize_with = "string_or_number")]
    corpus_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PublicationVenue<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Journal<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "string_or_number")]
    volume: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    pages: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Author<'a> {
    #[serde(deserialize_with = "string_or_number")]
    author_id: Option<String>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenAccessPdf<'a> {
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
}

/// A string value with its white space runs as one space, `None` when
/// empty.
fn value(text: &Option<Cow<'_, str>>) -> Option<String> {
    let text = text.as_deref()?;
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

fn is_arxiv(venue: &str) -> bool {
    ARXIV_VENUES
        .iter()
        .any(|name| name.eq_ignore_ascii_case(venue.trim()))
}

/// Pages without white space around their dash: `" 12 -34 "` → `12–34`.
fn pages(text: &str) -> Option<String> {
    let joined: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let joined = joined.replace(" -", "-").replace("- ", "-");
    (!joined.is_empty()).then(|| page_range(&joined))
}

fn type_row(name: &str) -> Option<(usize, WorkType, bool)> {
    TYPES
        .iter()
        .position(|(known, _, _)| known.eq_ignore_ascii_case(name.trim()))
        .map(|at| (at, TYPES[at].1, TYPES[at].2))
}

impl Paper<'_> {
    fn into_work(self, notes: &mut Vec<String>) -> Option<Work> {
        let Some(title) = value(&self.title) else {
            notes.push("this paper has no title; it was skipped".to_owned());
            return None;
        };
        let mut work = Work {
            title: Some(Text::plain(title)),
            ..Work::default()
        };
        let mut extra: Vec<(&str, String)> = Vec::new();

        let mut author_ids = Vec::new();
        for author in self.authors.unwrap_or_default().into_iter().flatten() {
            let Some(name) = value(&author.name) else {
                continue;
            };
            work.authors.push(Person::from_display_name(&name));
            author_ids.push(author.author_id.unwrap_or_default());
        }
        if author_ids.iter().any(|id| !id.is_empty()) {
            extra.push((AUTHOR_IDS, author_ids.join("; ")));
        }

        let date = self
            .publication_date
            .as_deref()
            .and_then(|date| date.parse::<Date>().ok())
            .or_else(|| self.year.map(Date::year));
        work.date = date.map(Into::into);

        // Identifiers.
        let ids = self.external_ids.unwrap_or_default();
        work.ids.doi = value(&ids.doi).map(|doi| bare_doi(&doi).to_ascii_lowercase());
        work.ids.arxiv = value(&ids.arxiv);
        if let Some(pmid) = ids.pubmed {
            work.fields.insert(Variable::Pmid, Text::plain(pmid));
        }
        if let Some(pmcid) = ids.pubmed_central {
            let pmcid = if pmcid.to_ascii_uppercase().starts_with("PMC") {
                pmcid
            } else {
                format!("PMC{pmcid}")
            };
            work.fields.insert(Variable::Pmcid, Text::plain(pmcid));
        }
        for ((_, key), id) in OTHER_IDS.iter().zip([ids.dblp, ids.acl, ids.mag]) {
            if let Some(id) = id {
                extra.push((key, id));
            }
        }
        if let Some(corpus) = ids.corpus_id.or(self.corpus_id) {
            extra.push((CORPUS_ID, corpus));
        }
        if let Some(id) = value(&self.paper_id) {
            extra.push((PAPER_ID, id));
        }
        // The paper's S2 page (`url`) is `https://www.semanticscholar.org/paper/`
        // and its paper id: a link of its own only when nothing else links
        // to the paper.
        let identified = work.ids.doi.is_some() || work.ids.arxiv.is_some();
        work.ids.url = self
            .open_access_pdf
            .and_then(|pdf| value(&pdf.url))
            .or_else(|| value(&self.url).filter(|_| !identified));
        if self.is_open_access == Some(true) {
            extra.push((OPEN_ACCESS, "true".to_owned()));
        }

        // The venue; arXiv is none, and its `abs/ID` volume is the id.
        let journal = self.journal.unwrap_or_default();
        let journal_name = value(&journal.name);
        let mut volume = journal
            .volume
            .map(|volume| volume.split_whitespace().collect::<Vec<_>>().join(" "));
        if journal_name.as_deref().is_some_and(is_arxiv) {
            if let Some(id) = volume.as_deref().and_then(|v| v.strip_prefix("abs/")) {
                work.ids.arxiv.get_or_insert_with(|| id.to_owned());
            }
            volume = None;
        }
        let publication_venue = self.publication_venue.unwrap_or_default();
        let venue = [
            value(&publication_venue.name),
            journal_name,
            value(&self.venue),
        ]
        .into_iter()
        .flatten()
        .find(|name| !is_arxiv(name));
        let on_arxiv_only = venue.is_none();
        work.venue.container_title = venue.map(Text::plain);
        if !on_arxiv_only {
            work.venue.volume = volume.filter(|volume| !volume.is_empty());
            work.venue.pages = journal.pages.as_deref().and_then(pages);
        }

        // The kind.
        let types: Vec<String> = self
            .publication_types
            .unwrap_or_default()
            .iter()
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .collect();
        let mut rows: Vec<(usize, WorkType, bool)> = Vec::new();
        for name in &types {
            match type_row(name) {
                Some(row) => rows.push(row),
                None => notes.push(format!("`{name}` is not a Semantic Scholar publication type pubconv knows; it was kept as written")),
            }
        }
        rows.sort_by_key(|&(at, _, _)| at);
        let venue_kind = match value(&publication_venue.kind).as_deref() {
            Some("conference") => Some(WorkType::ConferencePaper),
            Some("journal") if !on_arxiv_only => Some(WorkType::JournalArticle),
            _ => None,
        };
        let chosen = venue_kind
            .and_then(|kind| rows.iter().find(|row| row.1 == kind))
            .or(rows.first())
            .copied();
        work.kind = match chosen {
            Some((_, kind, _)) => kind,
            None if on_arxiv_only && work.ids.arxiv.is_some() => WorkType::Preprint,
            None => venue_kind.unwrap_or(WorkType::Misc),
        };
        let said_all = types.len() <= 1 && chosen.is_some_and(|(_, _, exact)| exact);
        if !types.is_empty() && !said_all {
            extra.push((PUBLICATION_TYPES, types.join(", ")));
        }
        // A proceedings paper only on arXiv so far is its preprint.
        if on_arxiv_only && work.ids.arxiv.is_some() && work.kind == WorkType::JournalArticle {
            work.kind = WorkType::Preprint;
        }

        work.abstract_text = value(&self.abstract_text).map(Text::plain);
        if let Some(count) = self.citation_count {
            extra.push((scholar::CITATIONS, count.to_string()));
        }
        work.extra = extra
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect();
        Some(work)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_lose_stray_white_space() {
        assert_eq!(pages(" 12 -34 ").as_deref(), Some("12–34"));
        assert_eq!(pages("84-91").as_deref(), Some("84–91"));
        assert_eq!(pages("  ").as_deref(), None);
        assert_eq!(pages("e123").as_deref(), Some("e123"));
    }

    #[test]
    fn papers_and_pages_are_recognized_and_other_json_is_not() {
        assert!(recognizes(r#"{"offset":0,"next":100,"data":[]}"#));
        assert!(recognizes(r#"[{"paperId":"x"},null]"#));
        assert!(recognizes(r#"{"paperId":"x","title":"T"}"#));
        assert!(!recognizes(r#"{"data":[1,2]}"#));
        assert!(!recognizes(
            r#"[{"id":"a","type":"article-journal","title":"x"}]"#
        ));
    }
}
