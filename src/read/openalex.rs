//! The OpenAlex reader: works JSON from OpenAlex's API, one work
//! (`https://api.openalex.org/works/doi:10.…`) or a page of a list
//! (`https://api.openalex.org/works?filter=author.id:A…`, which is
//! `{"meta": …, "results": [work, …]}`). A bare array of works is read too.
//!
//! This module owns the mapping from OpenAlex's work object to the model;
//! parsing is serde_json's, one record at a time, so that a work of the
//! wrong shape costs itself only (a warning names the value by its JSON
//! path, `results[3].title`). JSON that does not parse is one error at its
//! line and column, and JSON of another kind is refused as what it is.
//!
//! What OpenAlex's values become:
//! - the title (which may hold `<i>`, `<sub>`, `<sup>` markup) is rich text;
//!   the abstract is rebuilt from `abstract_inverted_index` (each word with
//!   its positions), words in position order;
//! - authors are the name as printed (`raw_author_name`) when it is in
//!   given-family order, else OpenAlex's `display_name`; list responses
//!   stop at 100 authorships, flagged `is_authors_truncated`, which the
//!   model holds as a truncated author list (as `et al.`); a list page with
//!   exactly 100 and no flag is taken as truncated too, and said;
//! - the venue is the primary location's source (journal, conference),
//!   with its ISSN-L and publisher; when that source is a repository (arXiv,
//!   a university's), the first location in a journal or conference is the
//!   venue instead; an arXiv location (or an arXiv DOI) gives the arXiv id;
//! - `type` (OpenAlex's) and `type_crossref` / the location's `raw_type`
//!   (Crossref's) are read through one table, [`TYPES`];
//! - the DOI is bare (`https://doi.org/` dropped); PubMed ids become PMID
//!   and PMCID; the OpenAlex and MAG ids, the cited-by count, the
//!   location's version and authors' ORCIDs go to the work's `extra`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{bare_doi, page_range, Date, Library, Person, Text, Variable, Work, WorkType};
use crate::read::json::{self, string_or_number, Locator};
use crate::read::{csl, scholar, semantic_scholar, ReadOptions, Reading, Source};

/// The key in a work's `extra` holding its OpenAlex id
/// (`https://openalex.org/W…`).
pub const OPENALEX_ID: &str = "openalex";
/// The key in a work's `extra` holding its Microsoft Academic Graph id.
pub const MAG_ID: &str = "mag";
/// The key in a work's `extra` holding OpenAlex's `type` when the model's
/// kind does not say it exactly (`editorial`, `letter`, `paratext`).
pub const OPENALEX_TYPE: &str = "openalex-type";
/// The key in a work's `extra` holding the primary location's version
/// (`publishedVersion`, `acceptedVersion`, `submittedVersion`).
pub const VERSION: &str = "openalex-version";
/// The key in a work's `extra` holding its authors' ORCID iDs, in order,
/// separated by `; ` (empty for an author without one).
pub const ORCIDS: &str = "orcids";
/// The key in a work's `extra` set to `true` when OpenAlex marks the work
/// as retracted.
pub const RETRACTED: &str = "retracted";

/// The most authorships a list response gives a work.
const LIST_AUTHOR_LIMIT: usize = 100;

/// How much of a file's start [`recognizes`] looks at.
const LOOK: usize = 1 << 16;

/// OpenAlex's work types and Crossref's (which OpenAlex gives as
/// `type_crossref` and a location's `raw_type`), the kind of work each is,
/// and whether that kind says it exactly (else OpenAlex's type is kept in
/// `extra`).
pub const TYPES: &[(&str, WorkType, bool)] = &[
    // OpenAlex's own.
    ("article", WorkType::JournalArticle, true),
    ("preprint", WorkType::Preprint, true),
    ("book-chapter", WorkType::Chapter, true),
    ("book", WorkType::Book, true),
    ("dataset", WorkType::Dataset, true),
    ("dissertation", WorkType::Thesis, true),
    ("report", WorkType::Report, true),
    ("standard", WorkType::Standard, true),
    ("reference-entry", WorkType::ReferenceEntry, true),
    ("peer-review", WorkType::Review, true),
    ("software", WorkType::Software, true),
    // A review article, not a review of a work (CSL's `review`).
    ("review", WorkType::JournalArticle, false),
    ("editorial", WorkType::JournalArticle, false),
    ("letter", WorkType::JournalArticle, false),
    ("erratum", WorkType::JournalArticle, false),
    ("retraction", WorkType::JournalArticle, false),
    ("paratext", WorkType::Misc, false),
    ("libguides", WorkType::Misc, false),
    ("supplementary-materials", WorkType::Misc, false),
    ("grant", WorkType::Misc, false),
    ("other", WorkType::Misc, false),
    // Crossref's.
    ("journal-article", WorkType::JournalArticle, true),
    ("proceedings-article", WorkType::ConferencePaper, true),
    ("posted-content", WorkType::Preprint, true),
    ("proceedings", WorkType::Proceedings, true),
    ("monograph", WorkType::Book, true),
    ("edited-book", WorkType::Book, true),
    ("reference-book", WorkType::Book, true),
    ("book-part", WorkType::Chapter, true),
    ("book-section", WorkType::Chapter, true),
    ("component", WorkType::Misc, false),
    ("journal-issue", WorkType::Misc, false),
];

/// Source types whose name is the container of a work in them.
const VENUE_SOURCES: &[&str] = &["journal", "conference", "book series", "ebook platform"];

/// True when the text is OpenAlex works JSON: a work object (its `id` an
/// `https://openalex.org/W…` and one of a work's own keys) or a list page
/// (`meta` with OpenAlex's `db_response_time_ms`, and `results`).
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !(text.starts_with('{') || text.starts_with('[')) {
        return false;
    }
    let work_id = json::head(text, LOOK).contains("\"https://openalex.org/W");
    let work = json::has_key(text, "id", LOOK)
        && work_id
        && ["authorships", "abstract_inverted_index", "publication_year"]
            .iter()
            .any(|key| json::has_key(text, key, LOOK));
    // A page of authors or sources has `results` too: a page of works
    // has a work's id, unless it is empty.
    let page = json::has_key(text, "results", LOOK)
        && json::has_key(text, "db_response_time_ms", LOOK)
        && (work_id || !json::head(text, LOOK).contains("\"https://openalex.org/"));
    work || page
}

/// For an OpenAlex entity that is not a work (an author, a source), what
/// it is.
pub fn other_entity(text: &str) -> Option<&'static str> {
    const ENTITIES: &[(&str, &str)] = &[
        ("A", "author"),
        ("S", "source"),
        ("I", "institution"),
        ("P", "publisher"),
        ("F", "funder"),
        ("T", "topic"),
        ("C", "concept"),
    ];
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('{') {
        return None;
    }
    #[derive(Deserialize)]
    struct Entity<'a> {
        #[serde(borrow)]
        id: Option<Cow<'a, str>>,
    }
    let entity: Entity = serde_json::from_str(text).ok()?;
    let letter = entity
        .id?
        .strip_prefix("https://openalex.org/")?
        .get(..1)?
        .to_owned();
    ENTITIES
        .iter()
        .find(|(prefix, _)| *prefix == letter)
        .map(|&(_, name)| name)
}

/// Reads OpenAlex works JSON into a library.
pub fn read_openalex(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let text = source.text.trim_start_matches('\u{feff}');
    let locator = Locator::new(source.name, source.text);
    let mut reader = OpenAlexReader {
        locator: &locator,
        diagnostics: Vec::new(),
        searches: 0,
    };
    let Some((records, in_list)) = reader.records(text) else {
        return Reading {
            diagnostics: reader.diagnostics,
            ..Reading::default()
        };
    };
    let (works, offsets) = json::works_of(&locator, records, |path, raw| {
        reader.record(path, raw, in_list)
    });
    Reading {
        library: Library {
            works,
            ..Library::default()
        },
        diagnostics: reader.diagnostics,
        offsets,
    }
}

const RECORDS: json::RecordNames = json::RecordNames {
    code: "openalex::record",
    whole: "the work",
    kind: "an OpenAlex work",
    noun: "work",
    hint: "the other works were read; fetch this one again from OpenAlex",
};

const HINT: &str = "save a work from https://api.openalex.org/works/doi:<DOI> or a list from https://api.openalex.org/works?filter=author.id:<A…>";

struct OpenAlexReader<'a> {
    locator: &'a Locator<'a>,
    diagnostics: Vec<Diagnostic>,
    /// How many wrong values were searched for: past
    /// [`json::MOST_SEARCHES`], a warning names the work only.
    searches: usize,
}

impl OpenAlexReader<'_> {
    /// The work records of the file, each with its JSON path, and whether
    /// they came from a list (whose authorships may be cut at 100); `None`
    /// after an error when the file is not OpenAlex works JSON.
    fn records<'t>(&mut self, text: &'t str) -> Option<(Vec<(String, &'t str)>, bool)> {
        let top = match top(text) {
            Ok(top) => top,
            Err(error) => {
                let error = self.locator.not_json("openalex::json", text, &error, HINT);
                self.diagnostics.push(error);
                return None;
            }
        };
        let records = match top {
            Top::Array(_)
                if !recognizes(text)
                    && (semantic_scholar::recognizes(text) || csl::recognizes(text)) =>
            {
                self.not_openalex(text);
                return None;
            }
            Top::Other => {
                self.not_openalex(text);
                return None;
            }
            Top::Page(results) => results
                .into_iter()
                .enumerate()
                .map(|(index, raw)| (format!("results[{index}]"), raw.get()))
                .collect(),
            Top::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, raw)| (format!("[{index}]"), raw.get()))
                .collect(),
            Top::Object(keys) => match keys.get("results") {
                Some(results) => {
                    let Ok(results) = serde_json::from_str::<Vec<&RawValue>>(results.get()) else {
                        let error = Diagnostic::new(
                            Severity::Error,
                            "openalex::not-openalex",
                            "`results` is not a list of works",
                        )
                        .hint(HINT);
                        let error = self
                            .locator
                            .at(error, self.locator.offset_of(results.get()));
                        self.diagnostics.push(error);
                        return None;
                    };
                    results
                        .into_iter()
                        .enumerate()
                        .map(|(index, raw)| (format!("results[{index}]"), raw.get()))
                        .collect()
                }
                None if is_work(&keys) && other_entity(text).is_none() => {
                    return Some((vec![(String::new(), text)], false));
                }
                None => {
                    self.not_openalex(text);
                    return None;
                }
            },
        };
        Some((records, true))
    }

    fn not_openalex(&mut self, text: &str) {
        let kind = json::kind_of(text);
        let error = Diagnostic::new(
            Severity::Error,
            "openalex::not-openalex",
            format!("this is not OpenAlex works JSON: it is {kind}"),
        )
        .hint(HINT);
        let error = self.locator.at(error, self.locator.offset_of(text));
        self.diagnostics.push(error);
    }

    /// One work, or `None` after a warning when it cannot be read.
    fn record(&mut self, path: &str, raw: &str, in_list: bool) -> Option<Work> {
        let offset = self.locator.offset_of(raw);
        let parses = |text: &str| serde_json::from_str::<Record>(text).is_ok();
        let record =
            match self
                .locator
                .record::<Record>(&RECORDS, path, raw, &parses, &mut self.searches)
            {
                Ok(record) => record,
                Err(warning) => {
                    self.diagnostics.push(warning);
                    return None;
                }
            };
        let mut notes = Vec::new();
        let work = record.into_work(in_list, &mut notes);
        for (severity, message) in notes {
            let named = if path.is_empty() {
                message
            } else {
                format!("{path}: {message}")
            };
            let diagnostic = Diagnostic::new(severity, "openalex::record", named);
            let diagnostic = self.locator.at(diagnostic, offset);
            self.diagnostics.push(diagnostic);
        }
        work
    }
}

/// The file's top: a list of works, or an object (a work, or a page of
/// a list), its values left unread; or other JSON.
enum Top<'a> {
    Page(Vec<&'a RawValue>),
    Array(Vec<&'a RawValue>),
    Object(HashMap<Cow<'a, str>, &'a RawValue>),
    Other,
}

/// A list page, its `results` read in the same pass as the rest.
#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    results: Vec<&'a RawValue>,
}

fn top(text: &str) -> Result<Top<'_>, serde_json::Error> {
    // Most large files are list pages: read as one in one pass, and only
    // what is not one is looked at key by key.
    if let Ok(page) = serde_json::from_str::<Page>(text) {
        return Ok(Top::Page(page.results));
    }
    match text.trim_start().as_bytes().first() {
        Some(b'[') => serde_json::from_str(text).map(Top::Array),
        Some(b'{') => serde_json::from_str(text).map(Top::Object),
        _ => serde_json::from_str::<&RawValue>(text).map(|_| Top::Other),
    }
}

/// Whether an object is a work: an OpenAlex work id, or a work's keys.
fn is_work(keys: &HashMap<Cow<'_, str>, &RawValue>) -> bool {
    let work_id = keys
        .get("id")
        .is_some_and(|id| id.get().starts_with("\"https://openalex.org/W"));
    work_id
        || [
            "authorships",
            "abstract_inverted_index",
            "publication_year",
            "primary_location",
            "display_name",
        ]
        .iter()
        .any(|key| keys.contains_key(*key))
}

/// The values of a work that are read; serde skips the others.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Record<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    doi: Option<Cow<'a, str>>,
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow)]
    display_name: Option<Cow<'a, str>>,
    publication_year: Option<i32>,
    #[serde(borrow)]
    publication_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    ids: Option<Ids<'a>>,
    #[serde(borrow)]
    language: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    type_crossref: Option<Cow<'a, str>>,
    #[serde(borrow)]
    primary_location: Option<Location<'a>>,
    #[serde(borrow)]
    best_oa_location: Option<Location<'a>>,
    #[serde(borrow)]
    locations: Option<Vec<Option<Location<'a>>>>,
    #[serde(borrow)]
    authorships: Option<Vec<Option<Authorship<'a>>>>,
    is_authors_truncated: Option<bool>,
    #[serde(borrow)]
    biblio: Option<Biblio<'a>>,
    cited_by_count: Option<u64>,
    #[serde(borrow)]
    abstract_inverted_index: Option<InvertedIndex<'a>>,
    is_retracted: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Ids<'a> {
    #[serde(borrow)]
    openalex: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "string_or_number")]
    mag: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    pmid: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    pmcid: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Location<'a> {
    #[serde(borrow)]
    landing_page_url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pdf_url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    source: Option<LocationSource<'a>>,
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    raw_type: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LocationSource<'a> {
    #[serde(borrow)]
    display_name: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    issn_l: Option<Cow<'a, str>>,
    #[serde(borrow)]
    host_organization_name: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Authorship<'a> {
    #[serde(borrow)]
    author: Option<Author<'a>>,
    #[serde(borrow)]
    raw_author_name: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Author<'a> {
    #[serde(borrow)]
    display_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    orcid: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Biblio<'a> {
    #[serde(borrow)]
    volume: Option<Cow<'a, str>>,
    #[serde(borrow)]
    issue: Option<Cow<'a, str>>,
    #[serde(borrow)]
    first_page: Option<Cow<'a, str>>,
    #[serde(borrow)]
    last_page: Option<Cow<'a, str>>,
}

/// `abstract_inverted_index`: each word with its positions, kept as
/// (position, word) pairs.
#[derive(Default)]
struct InvertedIndex<'a>(Vec<(u32, Cow<'a, str>)>);

/// A word of the index, borrowed from the text when it has no escapes.
#[derive(Deserialize)]
struct Word<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for InvertedIndex<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Index<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for Index<'a> {
            type Value = InvertedIndex<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of words, each with a list of positions")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut pairs = Vec::new();
                while let Some(Word(word)) = map.next_key::<Word<'de>>()? {
                    map.next_value_seed(Positions {
                        word,
                        pairs: &mut pairs,
                    })?;
                }
                Ok(InvertedIndex(pairs))
            }
        }

        deserializer.deserialize_map(Index(std::marker::PhantomData))
    }
}

/// A word's positions, each pushed with the word as it is read (no list
/// of its own for each word).
struct Positions<'p, 'a> {
    word: Cow<'a, str>,
    pairs: &'p mut Vec<(u32, Cow<'a, str>)>,
}

impl<'de, 'p, 'a> DeserializeSeed<'de> for Positions<'p, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, 'p, 'a> Visitor<'de> for Positions<'p, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of positions")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(position) = seq.next_element::<u32>()? {
            self.pairs.push((position, self.word.clone()));
        }
        Ok(())
    }
}

impl InvertedIndex<'_> {
    /// The text: the words in position order (a position given twice
    /// keeps its first word; missing positions are skipped).
    fn text(mut self) -> String {
        self.0.sort_by_key(|&(position, _)| position);
        self.0.dedup_by_key(|&mut (position, _)| position);
        let mut text = String::new();
        for (_, word) in &self.0 {
            let word = word.trim();
            if word.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
        }
        text
    }
}

/// A string value, trimmed, `None` when empty.
fn value(text: &Option<Cow<'_, str>>) -> Option<String> {
    let text = text.as_deref()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn kind_of(name: &str) -> Option<(WorkType, bool)> {
    TYPES
        .iter()
        .find(|(known, _, _)| known.eq_ignore_ascii_case(name))
        .map(|&(_, kind, exact)| (kind, exact))
}

/// The arXiv id of an `arxiv.org/abs/…` or `arxiv.org/pdf/…` link.
fn arxiv_of_link(link: &str) -> Option<&str> {
    let lower = link.to_ascii_lowercase();
    let at = ["arxiv.org/abs/", "arxiv.org/pdf/"]
        .iter()
        .find_map(|path| lower.find(path).map(|at| at + path.len()))?;
    let id = link.get(at..)?.trim_end_matches('/');
    let id = id.strip_suffix(".pdf").unwrap_or(id);
    (!id.is_empty()).then_some(id)
}

/// The link, unless it is only the DOI's resolver.
fn not_doi_link(link: Option<String>) -> Option<String> {
    link.filter(|link| bare_doi(link).len() == link.len())
}

type Notes = Vec<(Severity, String)>;

impl Record<'_> {
    fn into_work(self, in_list: bool, notes: &mut Notes) -> Option<Work> {
        let entity = self
            .id
            .as_deref()
            .and_then(|id| id.strip_prefix("https://openalex.org/"));
        if let Some(entity) = entity.filter(|entity| !entity.starts_with('W')) {
            let kind = other_entity(&format!("{{\"id\":\"https://openalex.org/{entity}\"}}"))
                .unwrap_or("entity");
            notes.push((
                Severity::Warning,
                format!("this is an OpenAlex {kind}, not a work; it was skipped"),
            ));
            return None;
        }
        let title = value(&self.title).or_else(|| value(&self.display_name));
        let Some(title) = title else {
            notes.push((
                Severity::Warning,
                "this work has no title; it was skipped".to_owned(),
            ));
            return None;
        };
        let mut work = Work {
            title: Some(csl::markup(&title)),
            ..Work::default()
        };
        let mut extra = Vec::new();

        // The people.
        let authorships: Vec<Authorship> = self
            .authorships
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        let mut orcids = Vec::new();
        for authorship in &authorships {
            let display = authorship
                .author
                .as_ref()
                .and_then(|author| value(&author.display_name));
            // The name as printed, unless written family name first.
            let raw = value(&authorship.raw_author_name).filter(|raw| !raw.contains(','));
            let Some(name) = raw.or(display) else {
                continue;
            };
            work.authors.push(Person::from_display_name(&name));
            let orcid = authorship
                .author
                .as_ref()
                .and_then(|author| value(&author.orcid))
                .unwrap_or_default();
            orcids.push(orcid.trim_start_matches("https://orcid.org/").to_owned());
        }
        if orcids.iter().any(|orcid| !orcid.is_empty()) {
            extra.push((ORCIDS, orcids.join("; ")));
        }
        work.authors_truncated = match self.is_authors_truncated {
            Some(flag) => flag,
            None if in_list && authorships.len() == LIST_AUTHOR_LIMIT => {
                notes.push((
                    Severity::Note,
                    format!("this work lists exactly {LIST_AUTHOR_LIMIT} authors, where OpenAlex's lists stop; the list was taken as cut short (the work's own page, https://api.openalex.org/works/<id>, has them all)"),
                ));
                true
            }
            None => false,
        };

        // The date.
        let date = self
            .publication_date
            .as_deref()
            .and_then(|date| date.parse::<Date>().ok())
            .or_else(|| self.publication_year.map(Date::year));
        work.date = date.map(Into::into);

        // The identifiers.
        work.ids.doi = value(&self.doi).map(|doi| bare_doi(&doi).to_ascii_lowercase());
        let ids = self.ids.unwrap_or_default();
        if let Some(id) = value(&self.id).or_else(|| value(&ids.openalex)) {
            extra.push((OPENALEX_ID, id));
        }
        if let Some(mag) = ids.mag {
            extra.push((MAG_ID, mag));
        }
        if let Some(pmid) = ids.pmid {
            let pmid = pmid.trim_end_matches('/');
            let pmid = pmid.rsplit('/').next().unwrap_or(pmid);
            work.fields.insert(Variable::Pmid, Text::plain(pmid));
        }
        if let Some(pmcid) = ids.pmcid {
            let pmcid = pmcid.trim_end_matches('/');
            let number = pmcid.rsplit('/').next().unwrap_or(pmcid);
            let pmcid = if number.to_ascii_uppercase().starts_with("PMC") {
                number.to_owned()
            } else {
                format!("PMC{number}")
            };
            work.fields.insert(Variable::Pmcid, Text::plain(pmcid));
        }

        // Where it is: the primary location, then the others.
        let primary = self.primary_location.unwrap_or_default();
        let others: Vec<Location> = self
            .locations
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        let best_oa = self.best_oa_location.unwrap_or_default();
        let source_type = |location: &Location| {
            location
                .source
                .as_ref()
                .and_then(|source| value(&source.kind))
                .unwrap_or_default()
        };
        let primary_type = source_type(&primary);
        let venue = std::iter::once(&primary)
            .chain(&others)
            .find(|location| VENUE_SOURCES.contains(&source_type(location).as_str()));
        if let Some(source) = venue.and_then(|location| location.source.as_ref()) {
            work.venue.container_title = value(&source.display_name).map(|name| csl::markup(&name));
            work.venue.publisher = value(&source.host_organization_name);
            work.ids.issn = value(&source.issn_l);
        }
        let venue_type = venue.map(source_type).unwrap_or_default();
        for location in std::iter::once(&primary).chain(&others).chain([&best_oa]) {
            let links = [&location.landing_page_url, &location.pdf_url];
            if let Some(id) = links
                .iter()
                .find_map(|link| link.as_deref().and_then(arxiv_of_link))
            {
                work.ids.arxiv.get_or_insert_with(|| id.to_owned());
            }
        }
        if let Some(doi) = &work.ids.doi {
            if let Some(id) = doi.strip_prefix("10.48550/arxiv.") {
                work.ids.arxiv.get_or_insert_with(|| id.to_owned());
            }
        }
        work.ids.url = not_doi_link(value(&best_oa.landing_page_url))
            .or_else(|| value(&best_oa.pdf_url))
            .or_else(|| not_doi_link(value(&primary.landing_page_url)));
        if let Some(version) = value(&primary.version) {
            extra.push((VERSION, version));
        }

        // The kind of work: OpenAlex's type, but Crossref's says when an
        // article is a conference paper.
        let openalex_type = value(&self.kind);
        let crossref_type = value(&self.type_crossref).or_else(|| value(&primary.raw_type));
        let (mut kind, exact) = match &openalex_type {
            Some(name) => kind_of(name).unwrap_or_else(|| {
                notes.push((
                    Severity::Warning,
                    format!("`{name}` is not an OpenAlex work type pubconv knows; read as a work of no particular kind"),
                ));
                (WorkType::Misc, false)
            }),
            None => crossref_type
                .as_deref()
                .and_then(kind_of)
                .unwrap_or((WorkType::Misc, true)),
        };
        if !exact {
            if let Some(name) = &openalex_type {
                extra.push((OPENALEX_TYPE, name.clone()));
            }
        }
        let crossref_kind = crossref_type
            .as_deref()
            .and_then(kind_of)
            .map(|(kind, _)| kind);
        if kind == WorkType::JournalArticle {
            if crossref_kind == Some(WorkType::ConferencePaper) || venue_type == "conference" {
                kind = WorkType::ConferencePaper;
            } else if venue.is_none() && primary_type == "repository" {
                // An article only in a repository (arXiv) is its preprint.
                kind = WorkType::Preprint;
            }
        }
        work.kind = kind;

        // Volume, issue, pages.
        let biblio = self.biblio.unwrap_or_default();
        work.venue.volume = value(&biblio.volume);
        work.venue.issue = value(&biblio.issue);
        work.venue.pages = match (value(&biblio.first_page), value(&biblio.last_page)) {
            (Some(first), Some(last)) if first != last => {
                Some(page_range(&format!("{first}-{last}")))
            }
            (Some(first), _) => Some(first),
            (None, Some(last)) => Some(last),
            (None, None) => None,
        };

        if let Some(language) = value(&self.language) {
            work.fields
                .insert(Variable::Language, Text::plain(language));
        }
        if let Some(count) = self.cited_by_count {
            extra.push((scholar::CITATIONS, count.to_string()));
        }
        if self.is_retracted == Some(true) {
            notes.push((
                Severity::Warning,
                "OpenAlex marks this work as retracted".to_owned(),
            ));
            extra.push((RETRACTED, "true".to_owned()));
        }
        work.abstract_text = self
            .abstract_inverted_index
            .map(InvertedIndex::text)
            .filter(|text| !text.is_empty())
            .map(Text::plain);
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
    fn abstracts_are_rebuilt_in_position_order() {
        let index: InvertedIndex =
            serde_json::from_str(r#"{"in":[3,6],"Despite":[0],"growing":[1],"interest":[2],"Q&A":[4],"x":[4],"\u00e9t\u00e9":[5]}"#)
                .unwrap();
        assert_eq!(index.text(), "Despite growing interest in Q&A été in");
    }

    #[test]
    fn works_and_pages_are_recognized_and_other_json_is_not() {
        assert!(recognizes(
            r#"{"id":"https://openalex.org/W1","doi":null,"authorships":[]}"#
        ));
        assert!(recognizes(
            r#"{"meta":{"count":0,"db_response_time_ms":12},"results":[]}"#
        ));
        assert!(!recognizes(
            r#"{"id":"https://openalex.org/A5083661553","display_name":"Hui Ma","works_count":3}"#
        ));
        assert!(!recognizes(
            r#"[{"id":"a","type":"article-journal","title":"x"}]"#
        ));
        assert_eq!(
            other_entity(r#"{"id":"https://openalex.org/A5083661553"}"#),
            Some("author")
        );
    }

    #[test]
    fn arxiv_links() {
        assert_eq!(
            arxiv_of_link("https://arxiv.org/abs/1706.03762"),
            Some("1706.03762")
        );
        assert_eq!(
            arxiv_of_link("http://arxiv.org/pdf/1706.03762v5.pdf"),
            Some("1706.03762v5")
        );
        assert_eq!(arxiv_of_link("https://doi.org/10.1/x"), None);
    }
}
