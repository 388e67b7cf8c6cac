//! The Crossref reader: the JSON of Crossref's REST API, as
//! `https://api.crossref.org/works/{doi}` answers (`{"status":"ok",
//! "message-type":"work","message":{…}}`), as a search or filter answers
//! (`"message-type":"work-list"`, the works in `message.items`), or a
//! work object alone (or an array of them) taken out of either.
//!
//! This module owns the mapping from Crossref's own JSON to the model;
//! parsing is serde's, borrowing the text where it can. Crossref's
//! "CSL-JSON" (content negotiation) is not valid CSL, and is not what
//! this reads; its keys are Crossref's, so it is read here as well.
//!
//! - `title` (+ `subtitle`), `container-title`, `short-container-title`,
//!   `ISSN` and `ISBN` are arrays: the first title is the title, the
//!   others go to `extra`; so do the ISSNs and ISBNs after the first.
//!   A chapter's or paper's two container titles are its series and its
//!   book, in that order.
//!   Titles may hold markup (`<i>`, `<sub>`) and entities (`&amp;`).
//! - `abstract` is JATS XML (`<jats:p>`, `<jats:italic>`, …), read as
//!   rich text; its `Abstract` heading is dropped. An abstract that is not
//!   well-formed XML is kept as written, with a warning.
//! - `author`, `editor`, `chair`, `translator`: people in the order of the
//!   array (`sequence` is not trusted over it); `name` alone is an
//!   organisation. ORCIDs (as `https://orcid.org/…`) go to `extra` as
//!   `author-orcids`, in author order; affiliations as `affiliations`.
//! - The date: a journal article's is `published-print` (the issue's
//!   date, which citations use), else `issued`; a posted preprint's is
//!   `posted`; any other's `issued`. A `published-online` date that
//!   differs from the date chosen is the available date. `date-parts` may
//!   stop at the year or month, or be `[[null]]` (no date).
//! - `type` by [`TYPES`] (`posted-content` by its `subtype`); a type not
//!   there is read as CSL names it, else as a work of no kind, kept in
//!   `extra` as `crossref-type`.
//! - `volume`, `issue`, `page`, `article-number` (as `number`),
//!   `publisher`, `publisher-location`, `DOI`, `URL` (unless it is the
//!   DOI's link), `language`, `event`.
//! - `is-referenced-by-count` goes to `extra` as `citations`, as the
//!   Scholar reader keeps a cited-by count; the version relations of
//!   [`RELATIONS`] (`is-preprint-of`, `has-preprint`, …) go to `extra`
//!   under their names, holding the related DOIs; the license's URL as
//!   `license`. References, funders, links and the rest are not read.
//!
//! JSON that does not parse is one error with its line and column. A
//! record of the wrong shape, or without a title, is a warning naming
//! its JSON path (`message.items[3]`) at its line, and is skipped.

use std::borrow::Cow;
use std::collections::BTreeMap;

use roxmltree::{Document, Node};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    bare_doi, page_range, squeeze_white_space, trim_inlines, Date, DateValue, DateVariable, Inline,
    Library, Month, Person, PersonalName, RangeEnd, Role, Style, Text, Variable, Work, WorkType,
};
use crate::read::{scholar, LineIndex, ReadOptions, Reading, Source};
use crate::vocab::csl;

/// The key in a work's `extra` holding its authors' ORCIDs in author
/// order, separated by `; ` (empty for an author without one).
pub const ORCIDS: &str = "author-orcids";
/// The key in a work's `extra` holding its authors' affiliations, one
/// line per author who has any (`Name: First; Second`).
pub const AFFILIATIONS: &str = "affiliations";
/// The key in a work's `extra` holding its license's URL.
pub const LICENSE: &str = "license";
/// The key in a work's `extra` holding a Crossref type pubconv does not know.
pub const TYPE: &str = "crossref-type";

/// Crossref's types, the kind of work each is, and the genre it says.
pub const TYPES: &[(&str, WorkType, Option<&str>)] = &[
    ("journal-article", WorkType::JournalArticle, None),
    ("proceedings-article", WorkType::ConferencePaper, None),
    ("posted-content", WorkType::Preprint, None),
    ("book-chapter", WorkType::Chapter, None),
    ("book-section", WorkType::Chapter, None),
    ("book-part", WorkType::Chapter, None),
    ("book-track", WorkType::Chapter, None),
    ("reference-entry", WorkType::ReferenceEntry, None),
    ("book", WorkType::Book, None),
    ("monograph", WorkType::Book, None),
    ("edited-book", WorkType::Book, None),
    ("reference-book", WorkType::Book, None),
    ("book-set", WorkType::Book, None),
    ("book-series", WorkType::Book, None),
    ("proceedings", WorkType::Proceedings, None),
    ("proceedings-series", WorkType::Proceedings, None),
    ("dissertation", WorkType::Thesis, None),
    ("report", WorkType::Report, None),
    ("report-component", WorkType::Report, None),
    ("report-series", WorkType::Report, None),
    ("dataset", WorkType::Dataset, None),
    ("database", WorkType::Dataset, None),
    ("standard", WorkType::Standard, None),
    ("standard-series", WorkType::Standard, None),
    ("peer-review", WorkType::Review, Some("Peer review")),
    ("component", WorkType::Misc, None),
    ("journal-issue", WorkType::Misc, Some("Journal issue")),
    ("journal-volume", WorkType::Misc, Some("Journal volume")),
    ("journal", WorkType::Misc, Some("Journal")),
    ("grant", WorkType::Misc, Some("Grant")),
    ("other", WorkType::Misc, None),
];

/// `posted-content`'s subtypes, where they are not a preprint.
const POSTED_SUBTYPES: &[(&str, WorkType, Option<&str>)] = &[
    ("preprint", WorkType::Preprint, None),
    ("working_paper", WorkType::Report, Some("Working paper")),
    ("report", WorkType::Report, None),
    ("dissertation", WorkType::Thesis, None),
    ("letter", WorkType::Manuscript, None),
    ("review", WorkType::Review, None),
    ("other", WorkType::Manuscript, None),
];

/// The relations between versions of a work kept in `extra`, by name.
pub const RELATIONS: &[&str] = &[
    "is-preprint-of",
    "has-preprint",
    "is-version-of",
    "has-version",
    "is-identical-to",
    "is-same-as",
];

/// Keys only Crossref's works have (a CSL item has none of them): with a
/// `DOI`, any one tells a work object.
const DISTINCTIVE_KEYS: &[&str] = &[
    "is-referenced-by-count",
    "reference-count",
    "references-count",
    "deposited",
    "indexed",
    "content-domain",
    "published-print",
    "published-online",
    "short-container-title",
];

/// JATS and HTML markup in abstracts and titles, and the style each is.
const STYLES: &[(&str, Style)] = &[
    ("italic", Style::Emphasis),
    ("i", Style::Emphasis),
    ("em", Style::Emphasis),
    ("bold", Style::Strong),
    ("b", Style::Strong),
    ("strong", Style::Strong),
    ("sub", Style::Subscript),
    ("sup", Style::Superscript),
    ("sc", Style::SmallCaps),
    ("scp", Style::SmallCaps),
];

/// Headings that only say the text is an abstract.
const ABSTRACT_HEADINGS: &[&str] = &["abstract", "summary", "a b s t r a c t"];

/// The namespaces Crossref's markup uses, declared around a fragment so
/// that it parses.
const FRAGMENT_START: &str = "<r xmlns:jats=\"http://www.ncbi.nlm.nih.gov/JATS1\" xmlns:mml=\"http://www.w3.org/1998/Math/MathML\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:ali=\"http://www.niso.org/schemas/ali/1.0/\">";

const HOW_TO_GET: &str =
    "save the answer of https://api.crossref.org/works/{doi} (or of a /works query) as it came";

/// True when the text is Crossref's JSON: an answer of its API
/// (`message-type` and `message`), or works with a `DOI` and a key only
/// Crossref writes (`is-referenced-by-count`, `indexed`, `deposited`, …).
/// Looks at the start of the text, so that broken JSON is still told.
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with(['{', '[']) {
        return false;
    }
    let mut end = text.len().min(1 << 16);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    (has_key(head, "message-type") && has_key(head, "message"))
        || (has_key(head, "DOI") && DISTINCTIVE_KEYS.iter().any(|key| has_key(head, key)))
}

/// Whether `"key"` followed by a colon is in the text.
fn has_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted)
        .any(|(at, _)| text[at + quoted.len()..].trim_start().starts_with(':'))
}

/// Reads Crossref JSON into a library.
pub fn read_crossref(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let mut reader = CrossrefReader {
        file: source.name,
        text: source.text,
        index: LineIndex::new(source.text),
        diagnostics: Vec::new(),
    };
    let text = source.text.trim_start_matches('\u{feff}');
    let top: &RawValue = match serde_json::from_str(text) {
        Ok(top) => top,
        Err(error) => {
            let (line, column) = (error.line(), error.column());
            let diagnostic = Diagnostic::new(
                Severity::Error,
                "crossref::bad-json",
                format!("the file is not valid JSON: {}", without_position(&error)),
            )
            .at(source.name, line, column)
            .hint(format!("{HOW_TO_GET}; the file may have been cut short"));
            let diagnostic = match line {
                0 => diagnostic,
                line => diagnostic.line_text(reader.index.line_text(line)),
            };
            return Reading {
                diagnostics: vec![diagnostic],
                ..Reading::default()
            };
        }
    };
    if !recognizes(text) {
        let what = match top.get().trim_start().as_bytes().first() {
            Some(b'{' | b'[') if super::csl::recognizes(text) => {
                "it looks like CSL-JSON (read it with --from csl-json)"
            }
            Some(b'{' | b'[') => "none of its objects has a `DOI` and Crossref's own keys",
            _ => "it is neither an object nor an array",
        };
        let error = Diagnostic::new(
            Severity::Error,
            "crossref::not-crossref",
            format!("this JSON is not Crossref's: {what}"),
        )
        .hint(format!(
            "{HOW_TO_GET}; a Crossref answer has `message-type` and `message`"
        ));
        reader.report(error, top.get());
        return Reading {
            diagnostics: reader.diagnostics,
            ..Reading::default()
        };
    }
    let records = reader.records(top);
    let mut works = Vec::new();
    let mut offsets = Vec::new();
    for (raw, path) in records {
        if let Some(work) = reader.record(raw, &path) {
            works.push(work);
            offsets.push(reader.offset(raw.get()));
        }
    }
    Reading {
        library: Library {
            works,
            ..Library::default()
        },
        diagnostics: reader.diagnostics,
        offsets,
    }
}

/// A serde error's message without the position the diagnostic gives.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message.strip_suffix(&suffix).unwrap_or(&message).to_owned()
}

/// An answer of Crossref's API, as far as telling what it holds.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    status: Option<&'a RawValue>,
    #[serde(rename = "message-type", borrow, default)]
    message_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    message: Option<&'a RawValue>,
    #[serde(rename = "DOI", default)]
    doi: Option<de::IgnoredAny>,
}

/// A `work-list` answer's message.
#[derive(Deserialize)]
struct WorkList<'a> {
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
    #[serde(rename = "total-results", default)]
    total_results: Option<u64>,
    #[serde(default)]
    query: Option<Query>,
}

#[derive(Deserialize)]
struct Query {
    #[serde(rename = "start-index", default)]
    start_index: u64,
}

/// An error answer's message: text, or a list of `{"message": …}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorMessage {
    Text(String),
    List(Vec<ErrorItem>),
}

#[derive(Deserialize)]
struct ErrorItem {
    #[serde(default)]
    message: Option<String>,
}

/// One work as Crossref writes it: the fields this reader maps, the rest
/// skipped unread.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct RawWork<'a> {
    #[serde(borrow)]
    title: Strings<'a>,
    #[serde(borrow)]
    subtitle: Strings<'a>,
    #[serde(borrow)]
    short_title: Strings<'a>,
    #[serde(borrow)]
    original_title: Strings<'a>,
    #[serde(borrow)]
    container_title: Strings<'a>,
    #[serde(borrow)]
    short_container_title: Strings<'a>,
    #[serde(rename = "ISSN", borrow)]
    issn: Strings<'a>,
    #[serde(rename = "ISBN", borrow)]
    isbn: Strings<'a>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subtype: Option<Cow<'a, str>>,
    #[serde(rename = "abstract", borrow)]
    abstract_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    author: Vec<Contributor<'a>>,
    #[serde(borrow)]
    editor: Vec<Contributor<'a>>,
    #[serde(borrow)]
    chair: Vec<Contributor<'a>>,
    #[serde(borrow)]
    translator: Vec<Contributor<'a>>,
    published_print: Option<DateField>,
    published_online: Option<DateField>,
    published: Option<DateField>,
    issued: Option<DateField>,
    posted: Option<DateField>,
    created: Option<DateField>,
    #[serde(borrow)]
    volume: Option<Cow<'a, str>>,
    #[serde(borrow)]
    issue: Option<Cow<'a, str>>,
    #[serde(borrow)]
    page: Option<Cow<'a, str>>,
    #[serde(borrow)]
    article_number: Option<Cow<'a, str>>,
    #[serde(borrow)]
    publisher: Option<Cow<'a, str>>,
    #[serde(borrow)]
    publisher_location: Option<Cow<'a, str>>,
    #[serde(borrow)]
    language: Option<Cow<'a, str>>,
    #[serde(rename = "DOI", borrow)]
    doi: Option<Cow<'a, str>>,
    #[serde(rename = "URL", borrow)]
    url: Option<Cow<'a, str>>,
    is_referenced_by_count: Option<u64>,
    #[serde(borrow)]
    relation: BTreeMap<Cow<'a, str>, Related<'a>>,
    #[serde(borrow)]
    license: Vec<License<'a>>,
    #[serde(borrow)]
    event: Option<Event<'a>>,
    #[serde(borrow)]
    institution: Vec<Named<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Contributor<'a> {
    #[serde(borrow)]
    given: Option<Cow<'a, str>>,
    #[serde(borrow)]
    family: Option<Cow<'a, str>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    suffix: Option<Cow<'a, str>>,
    #[serde(rename = "ORCID", borrow)]
    orcid: Option<Cow<'a, str>>,
    #[serde(borrow)]
    affiliation: Vec<Named<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Named<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct License<'a> {
    #[serde(rename = "URL", borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(rename = "content-version", borrow)]
    content_version: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Event<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    location: Option<Cow<'a, str>>,
    start: Option<DateField>,
    end: Option<DateField>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RelatedItem<'a> {
    #[serde(rename = "id-type", borrow)]
    id_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
}

/// A relation's related items: an array, or one object.
#[derive(Default)]
struct Related<'a>(Vec<RelatedItem<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Related<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany<'a> {
            #[serde(borrow)]
            Many(Vec<RelatedItem<'a>>),
            #[serde(borrow)]
            One(RelatedItem<'a>),
        }
        Ok(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::Many(items) => Related(items),
            OneOrMany::One(item) => Related(vec![item]),
        })
    }
}

/// `{"date-parts": [[2019, 8, 1]]}`: parts may stop early or be null,
/// and a second list ends a range.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct DateField {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<serde_json::Value>>,
}

/// Crossref's lists of strings; a lone string (as its content-negotiated
/// CSL writes titles) or null read as well.
#[derive(Default)]
struct Strings<'a>(Vec<Cow<'a, str>>);

impl<'a> Strings<'a> {
    fn first(&self) -> Option<&str> {
        self.0
            .iter()
            .map(|text| text.trim())
            .find(|text| !text.is_empty())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Strings<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringsVisitor;
        impl<'de> Visitor<'de> for StringsVisitor {
            type Value = Strings<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Strings(vec![Cow::Borrowed(text)]))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Strings(vec![Cow::Owned(text.to_owned())]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Strings::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Strings::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Option<Cow<'de, str>>>()? {
                    out.extend(item);
                }
                Ok(Strings(out))
            }
        }
        deserializer.deserialize_any(StringsVisitor)
    }
}

struct CrossrefReader<'a> {
    file: &'a str,
    text: &'a str,
    index: LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> CrossrefReader<'a> {
    /// Where a slice of the text starts in it.
    fn offset(&self, slice: &str) -> usize {
        (slice.as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len())
    }

    fn report_at(&mut self, diagnostic: Diagnostic, offset: usize) {
        let diagnostic = self.index.place(diagnostic, self.file, offset);
        self.diagnostics.push(diagnostic);
    }

    /// Reports a diagnostic at the start of a slice of the text.
    fn report(&mut self, diagnostic: Diagnostic, at: &str) {
        let offset = self.offset(at);
        self.report_at(diagnostic, offset);
    }

    /// The work records of the file, each with its JSON path.
    fn records(&mut self, top: &'a RawValue) -> Vec<(&'a RawValue, String)> {
        let raw = top.get();
        if raw.trim_start().starts_with('[') {
            return match serde_json::from_str::<Vec<&RawValue>>(raw) {
                Ok(items) => with_paths(items, ""),
                Err(error) => {
                    self.bad_shape("the file", raw, &error);
                    Vec::new()
                }
            };
        }
        let envelope = match serde_json::from_str::<Envelope<'_>>(raw) {
            Ok(envelope) => envelope,
            Err(error) => {
                self.bad_shape("the file", raw, &error);
                return Vec::new();
            }
        };
        let is_answer = envelope.message_type.is_some()
            || (envelope.message.is_some() && envelope.doi.is_none());
        if !is_answer {
            return vec![(top, "the work".to_owned())];
        }
        let status = envelope.status.map(|status| status.get().trim());
        if let Some(status) = status.filter(|&status| status != "\"ok\"") {
            let message = envelope
                .message
                .and_then(|message| serde_json::from_str::<ErrorMessage>(message.get()).ok())
                .map(|message| match message {
                    ErrorMessage::Text(text) => text,
                    ErrorMessage::List(items) => items
                        .into_iter()
                        .filter_map(|item| item.message)
                        .collect::<Vec<_>>()
                        .join("; "),
                })
                .filter(|message| !message.is_empty())
                .unwrap_or_else(|| "no message".to_owned());
            let error = Diagnostic::new(
                Severity::Error,
                "crossref::api-error",
                format!("Crossref answered with an error (status {status}): {message}"),
            )
            .hint("correct the request (the DOI, the query's filters) and save its answer again");
            self.report(error, raw);
            return Vec::new();
        }
        let Some(message) = envelope.message else {
            let error = Diagnostic::new(
                Severity::Error,
                "crossref::no-message",
                "Crossref's answer has no `message`: it holds no works",
            )
            .hint(HOW_TO_GET);
            self.report(error, raw);
            return Vec::new();
        };
        match envelope.message_type.as_deref().unwrap_or("work") {
            "work" => vec![(message, "message".to_owned())],
            "work-list" => match serde_json::from_str::<WorkList<'_>>(message.get()) {
                Ok(list) => {
                    self.more_results(&list, message.get());
                    with_paths(list.items, "message.items")
                }
                Err(error) => {
                    self.bad_shape("message", message.get(), &error);
                    Vec::new()
                }
            },
            other => {
                let error = Diagnostic::new(
                    Severity::Error,
                    "crossref::not-works",
                    format!("this is Crossref's answer about a `{other}`, not works"),
                )
                .hint("ask /works/{doi} or /works?… (or /members/{id}/works) for works");
                self.report(error, raw);
                Vec::new()
            }
        }
    }

    /// A note when a list page holds some of the works the query found.
    fn more_results(&mut self, list: &WorkList<'_>, at: &str) {
        let start = list.query.as_ref().map_or(0, |query| query.start_index);
        let count = list.items.len() as u64;
        let Some(total) = list.total_results else {
            return;
        };
        if total > start + count && count > 0 {
            let note = Diagnostic::new(
                Severity::Note,
                "crossref::more-results",
                format!(
                    "the page holds works {} to {} of the {total} the query found",
                    start + 1,
                    start + count
                ),
            )
            .hint("to read them all, fetch the other pages (`cursor=*`, then each `next-cursor`) and convert them together");
            self.report(note, at);
        }
    }

    /// A warning that a value is not of the shape Crossref gives it, at
    /// the place serde stopped.
    fn bad_shape(&mut self, path: &str, raw: &str, error: &serde_json::Error) {
        let warning = Diagnostic::new(
            Severity::Warning,
            "crossref::bad-record",
            format!(
                "{path} is not shaped as Crossref writes it: {}; it was skipped",
                without_position(error)
            ),
        )
        .hint(format!("{HOW_TO_GET}, without editing it"));
        let offset = self.offset(raw) + offset_in(raw, error.line(), error.column());
        self.report_at(warning, offset);
    }

    fn record(&mut self, raw: &'a RawValue, path: &str) -> Option<Work> {
        let work: RawWork<'a> = match serde_json::from_str(raw.get()) {
            Ok(work) => work,
            Err(error) => {
                self.bad_shape(path, raw.get(), &error);
                return None;
            }
        };
        self.work(work, path, raw.get())
    }

    fn work(&mut self, raw: RawWork<'a>, path: &str, at: &str) -> Option<Work> {
        let doi = raw
            .doi
            .as_deref()
            .map(bare_doi)
            .filter(|doi| !doi.is_empty());
        let Some(title) = raw.title.first() else {
            let what = doi.map_or_else(String::new, |doi| format!(" ({doi})"));
            let mut warning = Diagnostic::new(
                Severity::Warning,
                "crossref::no-title",
                format!("{path}{what} has no title; it was skipped"),
            );
            if let Some(doi) = doi {
                warning = warning.key(doi);
            }
            self.report(warning, at);
            return None;
        };
        let mut work = Work {
            title: Some(title_with_subtitle(title, raw.subtitle.first())),
            ..Work::default()
        };
        // Titles in other languages.
        let others: Vec<&str> = raw.title.0.iter().skip(1).map(|t| t.trim()).collect();
        if !others.is_empty() {
            work.extra
                .insert("other-titles".to_owned(), others.join("; "));
        }
        let (kind, genre) = self.kind(&raw, path, at, &mut work);
        work.kind = kind;
        if let Some(genre) = genre {
            work.fields.insert(Variable::Genre, Text::plain(genre));
        }
        for (variable, strings) in [
            (Variable::TitleShort, &raw.short_title),
            (Variable::OriginalTitle, &raw.original_title),
        ] {
            if let Some(text) = strings.first() {
                work.fields.insert(variable, markup_text(text));
            }
        }
        let containers: Vec<&str> = raw
            .container_title
            .0
            .iter()
            .map(|title| title.trim())
            .filter(|title| !title.is_empty())
            .collect();
        match (work.kind, containers.as_slice()) {
            // A chapter or paper in a book of a series: Crossref names
            // the series first, then the book.
            (WorkType::Chapter | WorkType::ConferencePaper, [series, book]) => {
                work.venue.container_title = Some(markup_text(book));
                work.fields
                    .insert(Variable::CollectionTitle, markup_text(series));
            }
            (_, [container, others @ ..]) => {
                work.venue.container_title = Some(markup_text(container));
                if !others.is_empty() {
                    work.extra
                        .insert("other-container-titles".to_owned(), others.join("; "));
                }
            }
            (_, []) => {}
        }
        if let Some(short) = raw.short_container_title.first() {
            if Some(short) != raw.container_title.first() {
                work.fields
                    .insert(Variable::ContainerTitleShort, markup_text(short));
            }
        }
        self.people(&raw, path, at, &mut work);
        self.dates(&raw, path, at, &mut work);
        let text = |value: &Option<Cow<'_, str>>| {
            value
                .as_deref()
                .map(collapse_spaces)
                .filter(|value| !value.is_empty())
        };
        work.venue.volume = text(&raw.volume);
        work.venue.issue = text(&raw.issue);
        work.venue.pages = text(&raw.page).map(|pages| page_range(&pages));
        work.venue.publisher = text(&raw.publisher);
        work.venue.place = text(&raw.publisher_location);
        if let Some(number) = text(&raw.article_number) {
            work.fields.insert(Variable::Number, Text::plain(number));
        }
        if let Some(language) = text(&raw.language) {
            work.fields
                .insert(Variable::Language, Text::plain(language));
        }
        if let Some(institution) = raw.institution.iter().find_map(|i| text(&i.name)) {
            match work.kind {
                WorkType::Thesis | WorkType::Report if work.venue.publisher.is_none() => {
                    work.venue.publisher = Some(institution);
                }
                // A preprint server (`bioRxiv`) is where a preprint is.
                WorkType::Preprint if work.venue.container_title.is_none() => {
                    work.venue.container_title = Some(Text::plain(institution));
                }
                _ => {
                    work.extra.insert("institution".to_owned(), institution);
                }
            }
        }
        if let Some(event) = &raw.event {
            // An event named as its proceedings says nothing more.
            let container = work.venue.container_title.as_ref().map(Text::raw_string);
            if let Some(name) = text(&event.name).filter(|name| Some(name) != container.as_ref()) {
                work.fields.insert(Variable::EventTitle, Text::plain(name));
            }
            if let Some(place) = text(&event.location) {
                work.fields.insert(Variable::EventPlace, Text::plain(place));
            }
            let start = event
                .start
                .as_ref()
                .and_then(|start| self.date(start, &format!("{path}.event.start"), at));
            if let Some(mut start) = start {
                if start.end.is_none() {
                    let end = event
                        .end
                        .as_ref()
                        .and_then(|end| self.date(end, &format!("{path}.event.end"), at))
                        .filter(|end| end.start != start.start);
                    start.end = end.map(|end| RangeEnd::Closed(end.start));
                }
                work.dates.insert(DateVariable::EventDate, start);
            }
        }
        if let Some(doi) = doi {
            // An arXiv DOI (`10.48550/arXiv.ID`) says the arXiv id too.
            if let Some(id) = doi
                .get(..15)
                .filter(|prefix| prefix.eq_ignore_ascii_case("10.48550/arxiv."))
                .map(|_| &doi[15..])
            {
                work.ids.arxiv = Some(id.to_owned()).filter(|id| !id.is_empty());
            }
            work.ids.doi = Some(doi.to_owned());
        }
        work.ids.url = text(&raw.url).filter(|url| {
            let linked = bare_doi(url);
            !(linked.len() != url.len() && Some(linked) == doi)
        });
        // The first ISSN or ISBN (the print one, as Crossref lists them)
        // is the work's; the others (electronic) go to `extra`.
        for (strings, id, others) in [
            (&raw.issn, &mut work.ids.issn, "other-issns"),
            (&raw.isbn, &mut work.ids.isbn, "other-isbns"),
        ] {
            let all: Vec<&str> = strings
                .0
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if let [first, rest @ ..] = all.as_slice() {
                *id = Some((*first).to_owned());
                if !rest.is_empty() {
                    work.extra.insert(others.to_owned(), rest.join(", "));
                }
            }
        }
        if let Some(count) = raw.is_referenced_by_count {
            work.extra
                .insert(scholar::CITATIONS.to_owned(), count.to_string());
        }
        for (name, related) in &raw.relation {
            let Some(&name) = RELATIONS.iter().find(|known| **known == name.as_ref()) else {
                continue;
            };
            let ids: Vec<String> = related
                .0
                .iter()
                .filter_map(|item| {
                    let id = item.id.as_deref()?.trim();
                    match item.id_type.as_deref() {
                        Some("doi") | None => Some(bare_doi(id).to_owned()),
                        Some(kind) => Some(format!("{kind}:{id}")),
                    }
                })
                .filter(|id| !id.is_empty())
                .collect();
            if !ids.is_empty() {
                work.extra.insert(name.to_owned(), ids.join("; "));
            }
        }
        // The version of record's license, else the first.
        let license = raw
            .license
            .iter()
            .find(|license| license.content_version.as_deref() == Some("vor"))
            .or(raw.license.first())
            .and_then(|license| text(&license.url));
        if let Some(license) = license {
            work.extra.insert(LICENSE.to_owned(), license);
        }
        if let Some(abstract_text) = raw.abstract_text.as_deref() {
            work.abstract_text = self.abstract_text(abstract_text, path, at);
        }
        Some(work)
    }

    /// The kind of work and the genre it says, by Crossref's type.
    fn kind(
        &mut self,
        raw: &RawWork<'_>,
        path: &str,
        at: &str,
        work: &mut Work,
    ) -> (WorkType, Option<&'static str>) {
        let Some(name) = raw.kind.as_deref().map(str::trim) else {
            return (WorkType::Misc, None);
        };
        let lookup = |table: &[(&str, WorkType, Option<&'static str>)], name: &str| {
            table
                .iter()
                .find(|(known, _, _)| *known == name)
                .map(|&(_, kind, genre)| (kind, genre))
        };
        if name == "posted-content" {
            let subtype = raw.subtype.as_deref().unwrap_or("preprint");
            return lookup(POSTED_SUBTYPES, subtype).unwrap_or((WorkType::Preprint, None));
        }
        if let Some(found) = lookup(TYPES, name) {
            return found;
        }
        // Crossref's content-negotiated "CSL" names types as CSL does.
        if let Some(kind) = csl::work_type(name) {
            return (kind, None);
        }
        work.extra.insert(TYPE.to_owned(), name.to_owned());
        let note = Diagnostic::new(
            Severity::Note,
            "crossref::unknown-type",
            format!("{path} has the type `{name}`, which pubconv does not know; read as a work of no particular kind"),
        );
        self.report(note, at);
        (WorkType::Misc, None)
    }

    fn people(&mut self, raw: &RawWork<'_>, path: &str, at: &str, work: &mut Work) {
        let mut orcids = Vec::new();
        let mut affiliations = Vec::new();
        for (role, people) in [
            ("author", &raw.author),
            ("editor", &raw.editor),
            ("chair", &raw.chair),
            ("translator", &raw.translator),
        ] {
            for (number, contributor) in people.iter().enumerate() {
                let Some(person) = person(contributor) else {
                    let warning = Diagnostic::new(
                        Severity::Warning,
                        "crossref::nameless-person",
                        format!("{path}.{role}[{number}] has no name; left out"),
                    );
                    self.report(warning, at);
                    continue;
                };
                if role == "author" {
                    orcids.push(contributor.orcid.as_deref().map(orcid).unwrap_or_default());
                    let places: Vec<&str> = contributor
                        .affiliation
                        .iter()
                        .filter_map(|place| place.name.as_deref().map(str::trim))
                        .filter(|place| !place.is_empty())
                        .collect();
                    if !places.is_empty() {
                        affiliations.push(format!(
                            "{}: {}",
                            person.display_name(),
                            places.join("; ")
                        ));
                    }
                }
                match role {
                    "author" => work.authors.push(person),
                    "editor" => work.editors.push(person),
                    "chair" => work
                        .contributors
                        .entry(Role::Chair)
                        .or_default()
                        .push(person),
                    _ => work
                        .contributors
                        .entry(Role::Translator)
                        .or_default()
                        .push(person),
                }
            }
        }
        if orcids.iter().any(|orcid| !orcid.is_empty()) {
            work.extra.insert(ORCIDS.to_owned(), orcids.join("; "));
        }
        if !affiliations.is_empty() {
            work.extra
                .insert(AFFILIATIONS.to_owned(), affiliations.join("\n"));
        }
    }

    /// The work's date by its kind (see the module's documentation), and
    /// the online date where it differs.
    fn dates(&mut self, raw: &RawWork<'_>, path: &str, at: &str, work: &mut Work) {
        let fields: [(&str, &Option<DateField>); 6] = [
            ("published-print", &raw.published_print),
            ("issued", &raw.issued),
            ("posted", &raw.posted),
            ("published", &raw.published),
            ("published-online", &raw.published_online),
            ("created", &raw.created),
        ];
        let order: &[&str] = match work.kind {
            WorkType::JournalArticle => {
                &["published-print", "issued", "published", "published-online"]
            }
            WorkType::Preprint => &[
                "posted",
                "issued",
                "published",
                "published-online",
                "published-print",
            ],
            _ => &[
                "issued",
                "published",
                "published-print",
                "published-online",
                "posted",
            ],
        };
        let mut chosen = None;
        for name in order {
            let Some((_, Some(field))) = fields.iter().find(|(known, _)| known == name) else {
                continue;
            };
            if let Some(date) = self.date(field, &format!("{path}.{name}"), at) {
                chosen = Some((*name, date));
                break;
            }
        }
        let Some((name, date)) = chosen else {
            // The deposit date is no publication date, but it is all
            // there is.
            let path = format!("{path}.created");
            if let Some(created) = raw
                .created
                .as_ref()
                .and_then(|created| self.date(created, &path, at))
            {
                work.extra
                    .insert("crossref-created".to_owned(), created.edtf());
            }
            return;
        };
        work.date = Some(date);
        if name != "published-online" {
            let online = raw
                .published_online
                .as_ref()
                .and_then(|online| self.date(online, &format!("{path}.published-online"), at));
            if let Some(online) = online.filter(|online| *online != date) {
                work.dates.insert(DateVariable::AvailableDate, online);
            }
        }
    }

    /// A `date-parts` date; `None` when it is null or empty, with a
    /// warning when it is not a date.
    fn date(&mut self, field: &DateField, path: &str, at: &str) -> Option<DateValue> {
        let start = field.date_parts.first()?;
        let start = self.date_parts(start, path, at)?;
        let end = field
            .date_parts
            .get(1)
            .and_then(|end| self.date_parts(end, path, at))
            .filter(|end| *end != start);
        Some(DateValue {
            start,
            end: end.map(RangeEnd::Closed),
            circa: false,
        })
    }

    fn date_parts(&mut self, parts: &[serde_json::Value], path: &str, at: &str) -> Option<Date> {
        let number = |part: Option<&serde_json::Value>| match part? {
            serde_json::Value::Number(number) => number.as_i64(),
            serde_json::Value::String(text) => text.trim().parse::<i64>().ok(),
            _ => None,
        };
        let year = number(parts.first()).and_then(|year| i32::try_from(year).ok())?;
        let month = number(parts.get(1));
        let day = number(parts.get(2));
        let written = || {
            parts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(month) = month else {
            return Some(Date::year(year));
        };
        let Some(valid_month) = u8::try_from(month).ok().and_then(Month::new) else {
            let warning = Diagnostic::new(
                Severity::Warning,
                "crossref::bad-date",
                format!(
                    "{path} is [{}]: there is no month {month}; read as the year {year}",
                    written()
                ),
            );
            self.report(warning, at);
            return Some(Date::year(year));
        };
        let Some(day) = day else {
            return Some(Date {
                year,
                month: Some(valid_month),
                day: None,
            });
        };
        match u8::try_from(day)
            .map_err(|_| ())
            .and_then(|day| Date::from_ymd(year, valid_month, day).map_err(|_| ()))
        {
            Ok(date) => Some(date),
            Err(()) => {
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "crossref::bad-date",
                    format!(
                        "{path} is [{}]: {} {year} has no day {day}; read as the month",
                        written(),
                        valid_month.name()
                    ),
                );
                self.report(warning, at);
                Some(Date {
                    year,
                    month: Some(valid_month),
                    day: None,
                })
            }
        }
    }

    /// A JATS abstract as rich text; as written (white space collapsed)
    /// when it is not well-formed XML.
    fn abstract_text(&mut self, jats: &str, path: &str, at: &str) -> Option<Text> {
        match markup(jats) {
            Ok(inlines) => {
                let text = Text {
                    inlines,
                    ..Text::default()
                };
                (!text.is_empty()).then_some(text)
            }
            Err(error) => {
                // roxmltree's position is in the abstract wrapped, which
                // says nothing to the user.
                let message = error.to_string();
                let message = message
                    .strip_suffix(&format!(" at {}", error.pos()))
                    .unwrap_or(&message);
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "crossref::bad-abstract",
                    format!("the abstract of {path} is not well-formed JATS XML ({message}); kept as plain text, markup and all"),
                )
                .hint("the abstract is as Crossref holds it: its markup is the publisher's");
                self.report(warning, at);
                let plain = collapse_spaces(jats);
                (!plain.is_empty()).then(|| Text::plain(plain))
            }
        }
    }
}

/// Each raw item with its JSON path (`message.items[3]`).
fn with_paths<'a>(items: Vec<&'a RawValue>, path: &str) -> Vec<(&'a RawValue, String)> {
    items
        .into_iter()
        .enumerate()
        .map(|(number, item)| (item, format!("{path}[{number}]")))
        .collect()
}

/// The byte offset in `raw` of serde's 1-based line and column (in bytes).
fn offset_in(raw: &str, line: usize, column: usize) -> usize {
    let line_start = match line {
        0 | 1 => 0,
        line => memchr::memchr_iter(b'\n', raw.as_bytes())
            .nth(line - 2)
            .map_or(raw.len(), |at| at + 1),
    };
    let mut offset = (line_start + column.saturating_sub(1)).min(raw.len());
    while !raw.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A title and its subtitle, joined as titles are: `Title: Subtitle`, or
/// after the title's own question or exclamation mark.
fn title_with_subtitle(title: &str, subtitle: Option<&str>) -> Text {
    let mut text = markup_text(title);
    let Some(subtitle) = subtitle else {
        return text;
    };
    let raw = text.raw_string();
    if raw.ends_with(subtitle) {
        return text;
    }
    let separator = match raw.ends_with(['?', '!', ':', '.']) {
        true => " ",
        false => ": ",
    };
    push_plain(&mut text.inlines, separator);
    let subtitle = markup_text(subtitle);
    for inline in subtitle.inlines {
        match inline {
            Inline::Plain(plain) => push_plain(&mut text.inlines, &plain),
            other => text.inlines.push(other),
        }
    }
    text
}

/// A title or container title: markup and entities read where it has
/// any; as written where they do not parse (a bare `<` is text).
fn markup_text(text: &str) -> Text {
    let inlines = match text.contains(['<', '&']) {
        true => markup(text).ok(),
        false => None,
    };
    Text {
        inlines: inlines.unwrap_or_else(|| vec![Inline::Plain(collapse_spaces(text))]),
        ..Text::default()
    }
}

/// An XML fragment (JATS, or the HTML of titles) as rich text.
fn markup(fragment: &str) -> Result<Vec<Inline>, roxmltree::Error> {
    let wrapped = format!("{FRAGMENT_START}{fragment}</r>");
    let document = Document::parse(&wrapped)?;
    let mut inlines = Vec::new();
    walk(document.root_element(), &mut inlines);
    trim_inlines(&mut inlines);
    Ok(inlines)
}

fn walk(node: Node<'_, '_>, out: &mut Vec<Inline>) {
    let mut first = true;
    for child in node.children() {
        if child.is_text() {
            push_plain(out, &squeeze_white_space(child.text().unwrap_or_default()));
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child.tag_name().name();
        let was_first = std::mem::replace(&mut first, false);
        if let Some(&(_, style)) = STYLES.iter().find(|(element, _)| *element == name) {
            let mut inner = Vec::new();
            walk(child, &mut inner);
            out.push(Inline::Styled(style, inner));
            continue;
        }
        match name {
            "title" => {
                let heading: String = child
                    .descendants()
                    .filter(Node::is_text)
                    .filter_map(|text| text.text())
                    .collect();
                let heading = collapse_spaces(&heading);
                let says_abstract = ABSTRACT_HEADINGS
                    .contains(&heading.to_lowercase().trim_end_matches([':', '.']));
                let dropped = heading.is_empty() || (was_first && says_abstract);
                if !dropped {
                    let mut inner = Vec::new();
                    walk(child, &mut inner);
                    trim_inlines(&mut inner);
                    out.push(Inline::Styled(Style::Strong, inner));
                    push_plain(out, " ");
                }
            }
            // MathML: its TeX where the publisher gave it, else its text.
            "math" => match child.attribute("alttext") {
                Some(tex) => out.push(Inline::Math(strip_math_delimiters(tex).to_owned())),
                None => walk(child, out),
            },
            "tex-math" => {
                let tex: String = child
                    .descendants()
                    .filter_map(|n| n.text().filter(|_| n.is_text()))
                    .collect();
                out.push(Inline::Math(strip_math_delimiters(&tex).to_owned()));
            }
            // One form of a formula, the TeX one where there is one.
            "alternatives" => {
                let form = child
                    .children()
                    .find(|form| form.tag_name().name() == "tex-math")
                    .or_else(|| child.children().find(Node::is_element));
                if let Some(form) = form {
                    let mut inner = Vec::new();
                    walk_one(form, &mut inner);
                    out.extend(inner);
                }
            }
            // Blocks: their text, apart from what follows.
            "p" | "sec" | "list" | "list-item" | "disp-quote" | "def-list" => {
                push_plain(out, " ");
                walk(child, out);
                push_plain(out, " ");
            }
            _ => walk(child, out),
        }
    }
}

/// [`walk`] of a node itself rather than its children.
fn walk_one(node: Node<'_, '_>, out: &mut Vec<Inline>) {
    match node.tag_name().name() {
        "tex-math" => {
            let tex: String = node
                .descendants()
                .filter_map(|n| n.text().filter(|_| n.is_text()))
                .collect();
            out.push(Inline::Math(strip_math_delimiters(&tex).to_owned()));
        }
        "math" if node.attribute("alttext").is_some() => {
            let tex = node.attribute("alttext").unwrap_or_default();
            out.push(Inline::Math(strip_math_delimiters(tex).to_owned()));
        }
        _ => walk(node, out),
    }
}

/// TeX without its `$…$`, `\(…\)` or `\[…\]`.
fn strip_math_delimiters(tex: &str) -> &str {
    let tex = tex.trim();
    for (open, close) in [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")] {
        if let Some(inner) = tex.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return inner.trim();
        }
    }
    tex
}

/// Appends text, one space where two would meet.
fn push_plain(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Plain(last)) => {
            let text = match last.ends_with(' ') || last.is_empty() {
                true => text.trim_start_matches(' '),
                false => text,
            };
            last.push_str(text);
        }
        Some(_) => out.push(Inline::Plain(text.to_owned())),
        None => out.push(Inline::Plain(text.trim_start_matches(' ').to_owned())),
    }
}

/// White space runs as one space, none at the ends.
fn collapse_spaces(text: &str) -> String {
    squeeze_white_space(text).trim().to_owned()
}

/// A contributor as a person: `family` (and `given`) a person's name,
/// `name` alone an organisation's.
fn person(contributor: &Contributor<'_>) -> Option<Person> {
    let part = |value: &Option<Cow<'_, str>>| {
        value
            .as_deref()
            .map(collapse_spaces)
            .filter(|value| !value.is_empty())
    };
    let given = part(&contributor.given);
    match (part(&contributor.family), part(&contributor.name)) {
        (Some(family), _) => Some(Person::Personal(PersonalName {
            given,
            family,
            suffix: part(&contributor.suffix),
            ..PersonalName::default()
        })),
        (None, Some(name)) => Some(Person::Literal(name)),
        (None, None) => given.map(|given| Person::from_display_name(&given)),
    }
}

/// An ORCID as its URL, whichever form it was written in
/// (`http://orcid.org/0000-…`, the bare id).
fn orcid(written: &str) -> String {
    let written = written.trim();
    let lower = written.to_ascii_lowercase();
    let id = ["https://orcid.org/", "http://orcid.org/", "orcid.org/"]
        .iter()
        .find(|prefix| lower.starts_with(*prefix))
        .map_or(written, |prefix| &written[prefix.len()..]);
    let id = id.trim_end_matches('/');
    match id.is_empty() {
        true => String::new(),
        false => format!("https://orcid.org/{}", id.to_ascii_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Inline {
        Inline::Plain(text.to_owned())
    }

    #[test]
    fn crossref_json_is_told_by_its_keys() {
        assert!(recognizes(
            r#"{"status":"ok","message-type":"work","message":{}}"#
        ));
        assert!(recognizes(
            r#"{"DOI":"10.1/x","title":["T"],"is-referenced-by-count":3}"#
        ));
        assert!(recognizes(r#"[{"DOI" : "10.1/x", "indexed" : {}}]"#));
        // Broken, but plainly Crossref's.
        assert!(recognizes(
            r#"{"status":"ok","message-type":"work","message":{"DOI":"#
        ));
        assert!(!recognizes(
            r#"[{"id":"x","type":"article-journal","DOI":"10.1/x"}]"#
        ));
        assert!(!recognizes(
            r#"[{"id":"x","title":"\"indexed\" and \"DOI\""}]"#
        ));
        assert!(!recognizes("<feed/>"));
    }

    #[test]
    fn jats_is_rich_text_without_its_abstract_heading() {
        let inlines = markup(
            "<jats:title>Abstract</jats:title>\n <jats:p>We study <jats:italic>k</jats:italic>-SAT in H<jats:sub>2</jats:sub>O &amp; more.</jats:p>\n<jats:p>Second.</jats:p>",
        )
        .unwrap();
        assert_eq!(
            inlines,
            [
                plain("We study "),
                Inline::Styled(Style::Emphasis, vec![plain("k")]),
                plain("-SAT in H"),
                Inline::Styled(Style::Subscript, vec![plain("2")]),
                plain("O & more. Second."),
            ]
        );
        assert!(markup("<jats:p>unclosed").is_err());
    }

    #[test]
    fn other_headings_stay_as_strong_text() {
        let inlines =
            markup("<jats:sec><jats:title>Background</jats:title><jats:p>B.</jats:p></jats:sec>")
                .unwrap();
        assert_eq!(
            inlines,
            [
                Inline::Styled(Style::Strong, vec![plain("Background")]),
                plain(" B."),
            ]
        );
    }

    #[test]
    fn orcids_become_urls() {
        for written in [
            "http://orcid.org/0000-0002-1825-009x",
            "https://orcid.org/0000-0002-1825-009X",
            "0000-0002-1825-009X",
        ] {
            assert_eq!(orcid(written), "https://orcid.org/0000-0002-1825-009X");
        }
    }

    #[test]
    fn subtitles_join_titles() {
        let joined = |title, subtitle| title_with_subtitle(title, subtitle).raw_string();
        assert_eq!(
            joined("Deep Learning", Some("A Survey")),
            "Deep Learning: A Survey"
        );
        assert_eq!(joined("Why?", Some("Because")), "Why? Because");
        assert_eq!(joined("T: S", Some("S")), "T: S");
        assert_eq!(joined("T", None), "T");
    }

    #[test]
    fn serde_positions_become_offsets() {
        let raw = "{\n  \"a\": 1,\n  \"b\": x\n}";
        assert_eq!(&raw[offset_in(raw, 3, 8)..], "x\n}");
        assert_eq!(offset_in(raw, 1, 1), 0);
    }
}
