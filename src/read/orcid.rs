//! The ORCID reader: a researcher's works as ORCID's public API v3.0 gives
//! them in JSON (`Accept: application/vnd.orcid+json`).
//!
//! Three shapes are read, told apart by their keys:
//!
//! - `/v3.0/<orcid>/works`: `{"group": [{"work-summary": […]}]}`, the
//!   works as summaries (no people), grouped: the summaries of one group
//!   are the same work as several sources gave it. The first summary is
//!   the work (ORCID puts the preferred one first); the others add their
//!   identifiers and their put-codes, kept under `orcid-other-put-codes`.
//! - `/v3.0/<orcid>/works/<put-code>,<put-code>,…`: `{"bulk": [{"work":
//!   …}, {"error": …}]}`, full works (with contributors and the embedded
//!   citation); an `error` entry is ORCID's answer for a put-code it could
//!   not give, and is said with its JSON path, not read as a work.
//! - `/v3.0/<orcid>/work/<put-code>`: one full work object.
//! - `/v3.0/<orcid>/record` and `…/activities`: the `/works` reply under
//!   `activities-summary.works` or `works`; a record also names the
//!   person, who becomes the [`Profile`] (so that a CV bolds them).
//!
//! This module owns the mapping from ORCID's work JSON to the model;
//! parsing is serde's. Types map through one table ([`WORK_TYPES`]),
//! external identifiers through three: a `self` identifier is the work's
//! own (`OWN_IDS`); of a `part-of` one, the journal's ISSN and the book's
//! ISBN are what CSL and BibTeX call the work's (`CONTAINER_IDS`), and any
//! other (the journal's other ISSN, a `version-of` one, another version's)
//! is kept in `extra` under its relationship (`RELATIONSHIPS`), never
//! given to the work. Contributors keep the array's order (ORCID's
//! `contributor-sequence` is mostly null), their ORCID iDs go to
//! `orcid-contributors`. The embedded `citation` is used only where it is
//! BibTeX that parses (read with the BibTeX reader), and then only to fill
//! what ORCID's own fields leave empty: real ones are often empty, or an
//! HTML page a publisher answered with.
//!
//! Short of a record, ORCID says nothing of the person but their iD, in
//! each work's `path` (`/0000-0002-1825-0097/work/123`): the model's
//! profile has no place for an identifier, so it is kept on each work as
//! `orcid-owner`, with the put-code and the path.
//!
//! JSON that does not parse is one error at its line and column, and no
//! works; a record of the wrong shape (no title, a value of the wrong
//! type) is a warning naming its JSON path (`bulk[3].work.title`), and
//! costs that record only.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    bare_doi, Date, DateValue, Library, Month, Person, PersonalName, Profile, Role, Text, Variable,
    Work, WorkType,
};
use crate::read::csl::{markup, offset_of, without_position};
use crate::read::{bibtex, LineIndex, ReadOptions, Reading, Source};

/// The key in a work's `extra` holding its ORCID put-code.
pub const PUT_CODE: &str = "orcid-put-code";
/// The key in a work's `extra` holding its ORCID API path
/// (`/0000-0002-1825-0097/work/123`).
pub const PATH: &str = "orcid-path";
/// The key in a work's `extra` holding the ORCID iD of the record it was
/// read from.
pub const OWNER: &str = "orcid-owner";
/// The key in a work's `extra` holding the put-codes of the group's other
/// summaries: the same work from other sources.
pub const OTHER_PUT_CODES: &str = "orcid-other-put-codes";
/// The key in a work's `extra` holding the ORCID iDs of its contributors,
/// in order, separated by `; ` (empty for a person without one).
pub const CONTRIBUTORS: &str = "orcid-contributors";
/// The key in a work's `extra` holding the ORCID roles the model has no
/// place for, as `name: role` separated by `; `.
pub const ROLES: &str = "orcid-contributor-roles";
/// The key in a work's `extra` holding its own identifiers of types the
/// model has no place for, as `type:value` separated by `; `.
pub const OTHER_IDS: &str = "orcid-other-ids";
/// The key holding the translated title, as `language: title`.
pub const TRANSLATED_TITLE: &str = "orcid-translated-title";
/// The key holding the country of publication (ISO 3166 code).
pub const COUNTRY: &str = "orcid-country";
/// The key holding a type that is none of ORCID's, as written.
pub const TYPE: &str = "orcid-type";
/// The key holding a publication date the model cannot hold, as written.
pub const DATE: &str = "orcid-publication-date";

/// ORCID's work types (`WorkType` of ORCID's model, and those the 2023
/// revision added), the model's type for each, and the genre that says
/// what it is where the model's type is only the nearest. Types are
/// compared after lower-casing and `_` → `-` (version 2.0 of the API
/// wrote `JOURNAL_ARTICLE`).
pub const WORK_TYPES: &[(&str, WorkType, Option<&str>)] = &[
    ("annotation", WorkType::Misc, Some("Annotation")),
    ("artistic-performance", WorkType::Other("performance"), None),
    ("blog-post", WorkType::Other("post-weblog"), None),
    ("book", WorkType::Book, None),
    ("book-chapter", WorkType::Chapter, None),
    ("book-review", WorkType::Other("review-book"), None),
    ("cartographic-material", WorkType::Other("map"), None),
    ("clinical-study", WorkType::Misc, Some("Clinical study")),
    (
        "conference-abstract",
        WorkType::ConferencePaper,
        Some("Conference abstract"),
    ),
    ("conference-output", WorkType::ConferencePaper, None),
    ("conference-paper", WorkType::ConferencePaper, None),
    ("conference-poster", WorkType::Speech, Some("Poster")),
    ("conference-presentation", WorkType::Speech, None),
    ("conference-proceedings", WorkType::Proceedings, None),
    (
        "data-management-plan",
        WorkType::Misc,
        Some("Data management plan"),
    ),
    ("data-set", WorkType::Dataset, None),
    ("design", WorkType::Graphic, Some("Design")),
    (
        "dictionary-entry",
        WorkType::Other("entry-dictionary"),
        None,
    ),
    ("disclosure", WorkType::Misc, Some("Invention disclosure")),
    // Version 2.0's name of `dissertation-thesis`.
    ("dissertation", WorkType::Thesis, None),
    ("dissertation-thesis", WorkType::Thesis, None),
    ("edited-book", WorkType::Book, None),
    ("encyclopedia-entry", WorkType::ReferenceEntry, None),
    ("image", WorkType::Graphic, None),
    (
        "interactive-resource",
        WorkType::Webpage,
        Some("Interactive resource"),
    ),
    ("invention", WorkType::Misc, Some("Invention")),
    ("journal-article", WorkType::JournalArticle, None),
    ("journal-issue", WorkType::Other("periodical"), None),
    ("learning-object", WorkType::Misc, Some("Teaching material")),
    ("lecture-speech", WorkType::Speech, None),
    ("license", WorkType::Misc, Some("License")),
    ("magazine-article", WorkType::MagazineArticle, None),
    ("manual", WorkType::Book, Some("Manual")),
    ("moving-image", WorkType::Video, None),
    (
        "musical-composition",
        WorkType::Other("musical_score"),
        None,
    ),
    (
        "newsletter-article",
        WorkType::MagazineArticle,
        Some("Newsletter article"),
    ),
    ("newspaper-article", WorkType::NewspaperArticle, None),
    ("online-resource", WorkType::Webpage, None),
    ("other", WorkType::Misc, None),
    ("patent", WorkType::Patent, None),
    ("physical-object", WorkType::Misc, Some("Physical object")),
    ("preprint", WorkType::Preprint, None),
    ("public-speech", WorkType::Speech, None),
    (
        "registered-copyright",
        WorkType::Misc,
        Some("Registered copyright"),
    ),
    ("report", WorkType::Report, None),
    (
        "research-technique",
        WorkType::Misc,
        Some("Research technique"),
    ),
    ("research-tool", WorkType::Misc, Some("Research tool")),
    ("review", WorkType::Review, None),
    ("software", WorkType::Software, None),
    ("sound", WorkType::Song, None),
    ("spin-off-company", WorkType::Misc, Some("Spin-off company")),
    ("standards-and-policy", WorkType::Standard, None),
    (
        "supervised-student-publication",
        WorkType::Misc,
        Some("Supervised student publication"),
    ),
    ("technical-standard", WorkType::Standard, None),
    ("test", WorkType::Misc, Some("Test")),
    ("trademark", WorkType::Misc, Some("Trademark")),
    ("transcription", WorkType::Misc, Some("Transcription")),
    ("translation", WorkType::Misc, Some("Translation")),
    ("undefined", WorkType::Misc, None),
    ("website", WorkType::Webpage, None),
    ("working-paper", WorkType::Report, Some("Working paper")),
];

/// Where a work's own identifier of a type goes.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Doi,
    Arxiv,
    Isbn,
    Issn,
    Url,
    Field(Variable),
}

/// The `self` identifier types the model has a place for; others go to
/// [`OTHER_IDS`].
const OWN_IDS: &[(&str, Slot)] = &[
    ("doi", Slot::Doi),
    ("arxiv", Slot::Arxiv),
    ("isbn", Slot::Isbn),
    ("issn", Slot::Issn),
    ("uri", Slot::Url),
    ("pmid", Slot::Field(Variable::Pmid)),
    ("pmc", Slot::Field(Variable::Pmcid)),
    ("pat", Slot::Field(Variable::Number)),
];

/// The `part-of` identifier types the model has a place for: the
/// journal's ISSN and the book's ISBN are what a work's ISSN and ISBN
/// are in CSL and BibTeX (an article's `issn` is its journal's, a
/// chapter's `isbn` its book's), as Crossref and OpenAlex give them too.
const CONTAINER_IDS: &[(&str, Slot)] = &[("isbn", Slot::Isbn), ("issn", Slot::Issn)];

/// `external-id-relationship` values other than `self` (and a missing
/// one, read as `self`), and the `extra` key their identifiers are kept
/// under: they identify another thing than the work.
const RELATIONSHIPS: &[(&str, &str)] = &[
    ("part-of", "orcid-part-of"),
    ("version-of", "orcid-version-of"),
    ("funded-by", "orcid-funded-by"),
];

/// What a `contributor-role` makes of a person.
#[derive(Debug, Clone, Copy)]
enum Place {
    Author,
    Editor,
    /// A role the model has no name for: a contributor, the role kept
    /// under [`ROLES`].
    Other,
}

/// ORCID's contributor roles. A missing role is an author; inventors are
/// a patent's authors.
const CONTRIBUTOR_ROLES: &[(&str, Place)] = &[
    ("author", Place::Author),
    ("editor", Place::Editor),
    ("co-inventor", Place::Author),
    ("other-inventor", Place::Author),
    ("assignee", Place::Other),
    ("chair-or-translator", Place::Other),
    ("co-investigator", Place::Other),
    ("graduate-student", Place::Other),
    ("principal-investigator", Place::Other),
    ("postdoctoral-researcher", Place::Other),
    ("support-staff", Place::Other),
];

/// True when the text is ORCID works JSON: an object with a `put-code`
/// key somewhere (every work and summary has one), a `work-summary`, or
/// `bulk` as its first key (a bulk reply of only errors). Looks at the
/// text only, so that a file's start is enough.
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let Some(inside) = text.strip_prefix('{') else {
        return false;
    };
    let has = |key: &str| memchr::memmem::find(text.as_bytes(), key.as_bytes()).is_some();
    inside.trim_start().starts_with("\"bulk\"") || has("\"put-code\"") || has("\"work-summary\"")
}

/// The top-level keys that tell the shape.
#[derive(Deserialize)]
#[serde(expecting = "an ORCID reply: an object with `bulk`, `group` or `put-code`")]
struct Response<'a> {
    #[serde(borrow, default)]
    bulk: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    group: Option<Vec<&'a RawValue>>,
    #[serde(rename = "put-code", default)]
    put_code: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    path: Option<String>,
    /// `/activities`: the works reply under `works`.
    #[serde(borrow, default)]
    works: Option<WorksJson<'a>>,
    /// `/record`: the works reply under `activities-summary`, with the
    /// person's iD and name.
    #[serde(rename = "activities-summary", borrow, default)]
    activities_summary: Option<ActivitiesJson<'a>>,
    #[serde(rename = "orcid-identifier", default)]
    orcid_identifier: Option<ContributorOrcid>,
    #[serde(default)]
    person: Option<PersonJson>,
}

#[derive(Deserialize)]
#[serde(expecting = "a works reply: `{\"group\": […]}`")]
struct WorksJson<'a> {
    #[serde(borrow, default)]
    group: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    path: Option<String>,
}

#[derive(Deserialize)]
#[serde(expecting = "an activities summary")]
struct ActivitiesJson<'a> {
    #[serde(borrow, default)]
    works: Option<WorksJson<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default, expecting = "a person object")]
struct PersonJson {
    name: Option<NameJson>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default, expecting = "a name object")]
struct NameJson {
    given_names: Option<ValueJson>,
    family_name: Option<ValueJson>,
    credit_name: Option<ValueJson>,
}

/// A bulk reply whose entries are read in the same pass.
#[derive(Deserialize)]
struct FastBulk<'a> {
    #[serde(borrow)]
    bulk: Vec<BulkEntry<'a>>,
}

#[derive(Deserialize)]
#[serde(expecting = "a bulk entry: `{\"work\": …}` or `{\"error\": …}`")]
struct BulkEntry<'a> {
    #[serde(borrow, default)]
    work: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<ErrorJson>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "ORCID's error object")]
struct ErrorJson {
    response_code: Option<serde_json::Value>,
    user_message: Option<String>,
    developer_message: Option<String>,
}

#[derive(Deserialize)]
#[serde(expecting = "a group of work summaries")]
struct Group<'a> {
    #[serde(rename = "work-summary", borrow, default)]
    work_summary: Option<Vec<&'a RawValue>>,
}

/// A full work or a summary: a summary has a subset of the keys.
#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "an ORCID work object")]
struct WorkJson {
    put_code: Option<u64>,
    path: Option<String>,
    title: Option<TitleJson>,
    journal_title: Option<ValueJson>,
    short_description: Option<String>,
    citation: Option<CitationJson>,
    #[serde(rename = "type")]
    kind: Option<String>,
    publication_date: Option<DateJson>,
    external_ids: Option<ExternalIds>,
    url: Option<ValueJson>,
    contributors: Option<Contributors>,
    language_code: Option<String>,
    country: Option<ValueJson>,
}

/// ORCID's `{"value": "…"}`.
#[derive(Deserialize, Default)]
#[serde(default)]
#[serde(expecting = "`{\"value\": …}`")]
struct ValueJson {
    value: Option<String>,
}

impl ValueJson {
    fn text(this: &Option<ValueJson>) -> Option<&str> {
        this.as_ref()?
            .value
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "a title object")]
struct TitleJson {
    title: Option<ValueJson>,
    subtitle: Option<ValueJson>,
    translated_title: Option<TranslatedTitle>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "a translated title object")]
struct TranslatedTitle {
    value: Option<String>,
    language_code: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "a citation object")]
struct CitationJson {
    citation_type: Option<String>,
    citation_value: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[serde(expecting = "a publication date object")]
struct DateJson {
    year: Option<ValueJson>,
    month: Option<ValueJson>,
    day: Option<ValueJson>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "`{\"external-id\": […]}`")]
struct ExternalIds {
    external_id: Option<Vec<ExternalId>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "an external id object")]
struct ExternalId {
    external_id_type: Option<String>,
    external_id_value: Option<String>,
    external_id_normalized: Option<ValueJson>,
    external_id_url: Option<ValueJson>,
    external_id_relationship: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[serde(expecting = "`{\"contributor\": […]}`")]
struct Contributors {
    contributor: Option<Vec<Contributor>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "a contributor object")]
struct Contributor {
    contributor_orcid: Option<ContributorOrcid>,
    credit_name: Option<ValueJson>,
    contributor_attributes: Option<Attributes>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[serde(expecting = "a contributor ORCID object")]
struct ContributorOrcid {
    path: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", default)]
#[serde(expecting = "a contributor attributes object")]
struct Attributes {
    contributor_role: Option<String>,
}

/// Reads ORCID works JSON into a library.
pub fn read_orcid(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let text = source.text.trim_start_matches('\u{feff}');
    let mut reader = OrcidReader {
        file: source.name,
        text: source.text,
        index: None,
        diagnostics: Vec::new(),
        profile: None,
        works: Vec::new(),
        offsets: Vec::new(),
    };
    let object = text.trim_start().starts_with('{');
    // A bulk reply's entries are read in the reply's pass when each is a
    // work: one pass over the text fewer. Else each entry is read on its
    // own, to say which is wrong.
    let bulk_first = object && text.trim_start()[1..].trim_start().starts_with("\"bulk\"");
    if bulk_first {
        let works = serde_json::from_str::<FastBulk<'_>>(text)
            .ok()
            .and_then(|fast| {
                fast.bulk
                    .into_iter()
                    .map(|entry| entry.work.filter(|_| entry.error.is_none()))
                    .collect::<Option<Vec<_>>>()
            });
        if let Some(works) = works {
            for (index, work) in works.into_iter().enumerate() {
                reader.bulk_work(work, index, None);
            }
            return reader.finish();
        }
    }
    // serde reads a struct from an array too: JSON that is no object is
    // said as such, unless it does not parse.
    let parsed = if object {
        serde_json::from_str::<Response<'_>>(text)
    } else {
        serde_json::from_str::<serde::de::IgnoredAny>(text).and_then(|_| {
            Err(serde::de::Error::custom(
                "ORCID's replies are objects, with `bulk`, `group` or `put-code`",
            ))
        })
    };
    let response = match parsed {
        Ok(response) => response,
        Err(error) => {
            let start = source.text.len() - text.len();
            let at = start + offset_of(text, error.line(), error.column());
            let diagnostic = if error.is_data() {
                Diagnostic::new(
                    Severity::Error,
                    "orcid::not-works",
                    format!(
                        "this JSON is not ORCID's works: {}",
                        without_position(&error)
                    ),
                )
                .hint("save https://pub.orcid.org/v3.0/<ORCID iD>/works (or /works/<put-codes>) with `Accept: application/json`")
            } else {
                Diagnostic::new(
                    Severity::Error,
                    "orcid::bad-json",
                    format!(
                        "the file is not well-formed JSON: {}",
                        without_position(&error)
                    ),
                )
                .hint("download the works again from https://pub.orcid.org/v3.0/<ORCID iD>/works")
            };
            reader.report(diagnostic, at);
            return reader.finish();
        }
    };
    // A record's works are its activities' works, and an activities
    // reply's its `works`: read as a works reply, with the path named.
    let (works, prefix) = match (response.works, response.activities_summary) {
        (Some(works), _) => (Some(works), "works."),
        (None, Some(activities)) => (activities.works, "activities-summary.works."),
        (None, None) => (None, ""),
    };
    let record_owner = response.orcid_identifier.and_then(|id| id.path);
    let works_path = works.as_ref().and_then(|works| works.path.clone());
    let owner = response
        .path
        .as_deref()
        .or(works_path.as_deref())
        .and_then(owner_of)
        .or(record_owner.as_deref().and_then(owner_of));
    reader.profile = response
        .person
        .and_then(|person| person.name)
        .and_then(|name| {
            let credit = ValueJson::text(&name.credit_name).map(collapse);
            let parts = [&name.given_names, &name.family_name]
                .into_iter()
                .filter_map(ValueJson::text)
                .collect::<Vec<_>>()
                .join(" ");
            let name = credit.unwrap_or_else(|| collapse(&parts));
            (!name.is_empty()).then(|| Profile {
                name,
                ..Profile::default()
            })
        });
    let group = response.group.or(works.and_then(|works| works.group));
    if let Some(entries) = response.bulk {
        for (index, entry) in entries.iter().enumerate() {
            reader.bulk_entry(entry, index, owner);
        }
    } else if let Some(groups) = group {
        for (index, group) in groups.iter().enumerate() {
            reader.group(group, &format!("{prefix}group[{index}]"), owner);
        }
    } else if response.put_code.is_some() {
        match serde_json::from_str::<WorkJson>(text) {
            Ok(json) => {
                let start = source.text.len() - text.len();
                reader.add(json, "", start, Vec::new(), owner);
            }
            Err(error) => reader.bad_record(text, "the work", &error),
        }
    } else {
        let diagnostic = Diagnostic::new(
            Severity::Error,
            "orcid::not-works",
            "this JSON has none of ORCID's `bulk`, `group` or `put-code`: it holds no works",
        )
        .hint("save https://pub.orcid.org/v3.0/<ORCID iD>/works (or /works/<put-codes>) with `Accept: application/json`");
        reader.report(diagnostic, source.text.len() - text.len());
    }
    reader.finish()
}

struct OrcidReader<'a> {
    file: &'a str,
    text: &'a str,
    /// Made when a diagnostic first needs a line.
    index: Option<LineIndex<'a>>,
    diagnostics: Vec<Diagnostic>,
    /// The person, when the reply is a whole record.
    profile: Option<Profile>,
    works: Vec<Work>,
    offsets: Vec<usize>,
}

impl<'a> OrcidReader<'a> {
    fn finish(self) -> Reading {
        Reading {
            library: Library {
                profile: self.profile,
                works: self.works,
                ..Library::default()
            },
            diagnostics: self.diagnostics,
            offsets: self.offsets,
        }
    }

    /// The byte offset of a slice of the text (a raw value serde
    /// borrowed), in the whole text.
    fn offset(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn report(&mut self, diagnostic: Diagnostic, offset: usize) {
        let index = self.index.get_or_insert_with(|| LineIndex::new(self.text));
        let diagnostic = index.place(diagnostic, self.file, offset);
        self.diagnostics.push(diagnostic);
    }

    /// A record serde could not read as a work: said at the place it
    /// stopped, the record skipped.
    fn bad_record(&mut self, raw: &str, path: &str, error: &serde_json::Error) {
        let at = self.offset(raw) + offset_of(raw, error.line(), error.column());
        let diagnostic = Diagnostic::new(
            Severity::Warning,
            "orcid::bad-work",
            format!(
                "{path} has the wrong shape ({}); it was skipped",
                without_position(error)
            ),
        )
        .hint("the other works were read; download this one again, or leave it out");
        self.report(diagnostic, at);
    }

    fn bulk_entry(&mut self, raw: &RawValue, index: usize, owner: Option<&str>) {
        let path = format!("bulk[{index}]");
        let entry = match serde_json::from_str::<BulkEntry<'_>>(raw.get()) {
            Ok(entry) => entry,
            Err(error) => return self.bad_record(raw.get(), &path, &error),
        };
        if let Some(error) = entry.error {
            let what = error
                .user_message
                .or(error.developer_message)
                .unwrap_or_else(|| "no message".to_owned());
            let code = error
                .response_code
                .map(|code| format!(" ({code})"))
                .unwrap_or_default();
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "orcid::error-entry",
                format!("{path} is ORCID's error for a work it could not give{code}: {what}; no work was read from it"),
            )
            .hint("ask ORCID for that put-code again, or check that the work is public");
            let at = self.offset(raw.get());
            self.report(diagnostic, at);
            return;
        }
        let Some(work) = entry.work else {
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "orcid::bad-work",
                format!("{path} has neither a `work` nor an `error`; it was skipped"),
            )
            .hint("each entry of a bulk reply is `{\"work\": …}` or `{\"error\": …}`");
            let at = self.offset(raw.get());
            self.report(diagnostic, at);
            return;
        };
        self.bulk_work(work, index, owner);
    }

    fn bulk_work(&mut self, work: &RawValue, index: usize, owner: Option<&str>) {
        let path = format!("bulk[{index}].work");
        match serde_json::from_str::<WorkJson>(work.get()) {
            Ok(json) => {
                let at = self.offset(work.get());
                self.add(json, &path, at, Vec::new(), owner);
            }
            Err(error) => self.bad_record(work.get(), &path, &error),
        }
    }

    fn group(&mut self, raw: &RawValue, path: &str, owner: Option<&str>) {
        let group = match serde_json::from_str::<Group<'_>>(raw.get()) {
            Ok(group) => group,
            Err(error) => return self.bad_record(raw.get(), path, &error),
        };
        let summaries = group.work_summary.unwrap_or_default();
        let Some((first, others)) = summaries.split_first() else {
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "orcid::bad-work",
                format!("{path} has no `work-summary`; it was skipped"),
            )
            .hint("each group of a works reply holds the summaries of one work");
            let at = self.offset(raw.get());
            self.report(diagnostic, at);
            return;
        };
        let first_path = format!("{path}.work-summary[0]");
        let json = match serde_json::from_str::<WorkJson>(first.get()) {
            Ok(json) => json,
            Err(error) => return self.bad_record(first.get(), &first_path, &error),
        };
        // The other summaries are the same work from other sources: their
        // identifiers and put-codes are kept, the rest is the first's.
        let mut more = Vec::new();
        for (at, other) in others.iter().enumerate() {
            match serde_json::from_str::<WorkJson>(other.get()) {
                Ok(other) => more.push(other),
                Err(error) => self.bad_record(
                    other.get(),
                    &format!("{path}.work-summary[{}]", at + 1),
                    &error,
                ),
            }
        }
        let at = self.offset(first.get());
        self.add(json, &first_path, at, more, owner);
    }

    /// Maps one work (with the group's other summaries of it) and adds it.
    fn add(
        &mut self,
        json: WorkJson,
        path: &str,
        offset: usize,
        others: Vec<WorkJson>,
        owner: Option<&str>,
    ) {
        let title_json = json.title.as_ref();
        let Some(title) = title_json.and_then(|title| ValueJson::text(&title.title)) else {
            let field = if path.is_empty() {
                "title".to_owned()
            } else {
                format!("{path}.title")
            };
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "orcid::no-title",
                format!("{field} is missing: a work without a title was skipped"),
            )
            .hint("give the work a title on ORCID; the other works were read");
            self.report(diagnostic, offset);
            return;
        };
        let mut text = collapse(title);
        if let Some(subtitle) = title_json.and_then(|title| ValueJson::text(&title.subtitle)) {
            let joiner = if text.ends_with([':', '?', '!', '.']) {
                " "
            } else {
                ": "
            };
            text.push_str(joiner);
            text.push_str(&collapse(subtitle));
        }
        let mut work = Work {
            title: Some(markup(&text)),
            ..Work::default()
        };
        if let Some(translated) = title_json.and_then(|title| title.translated_title.as_ref()) {
            if let Some(value) = translated.value.as_deref().map(str::trim) {
                let value = match translated.language_code.as_deref() {
                    Some(language) if !value.is_empty() => format!("{language}: {value}"),
                    _ => value.to_owned(),
                };
                if !value.is_empty() {
                    work.extra.insert(TRANSLATED_TITLE.to_owned(), value);
                }
            }
        }
        let kind_given = json.kind.as_deref().is_some_and(|kind| !kind.is_empty());
        if let Some(kind) = json.kind.as_deref().filter(|kind| !kind.is_empty()) {
            self.kind(&mut work, kind, path, offset);
        }
        if let Some(journal) = ValueJson::text(&json.journal_title) {
            work.venue.container_title = Some(markup(&collapse(journal)));
        }
        if let Some(description) = json.short_description.as_deref().map(str::trim) {
            if !description.is_empty() {
                work.abstract_text = Some(Text::plain(description));
            }
        }
        if let Some(language) = json.language_code.as_deref().map(str::trim) {
            if !language.is_empty() {
                work.fields
                    .insert(Variable::Language, Text::plain(language));
            }
        }
        if let Some(country) = ValueJson::text(&json.country) {
            work.extra.insert(COUNTRY.to_owned(), country.to_owned());
        }
        if let Some(date) = &json.publication_date {
            self.date(&mut work, date, path, offset);
        }
        let mut ids = IdLists::default();
        ids.take(&mut work, json.external_ids.as_ref());
        for other in &others {
            ids.take(&mut work, other.external_ids.as_ref());
        }
        ids.keep(&mut work);
        if let Some(url) = ValueJson::text(&json.url) {
            work.ids.url.get_or_insert_with(|| url.to_owned());
        }
        if let Some(contributors) = json.contributors.and_then(|c| c.contributor) {
            contributors_of(&mut work, contributors);
        }
        if let Some(citation) = &json.citation {
            if let Some(from_citation) = self.citation(citation, path, offset) {
                fill_gaps(&mut work, from_citation, kind_given);
            }
        }
        // A URL that is only the DOI's link, or the arXiv abstract's,
        // says nothing the identifier does not.
        if let Some(url) = &work.ids.url {
            let doi_link = work
                .ids
                .doi
                .as_deref()
                .is_some_and(|doi| is_doi_link(url, doi));
            let arxiv_link = work
                .ids
                .arxiv
                .as_deref()
                .is_some_and(|id| url != id && bare_arxiv(url) == id);
            if doi_link || arxiv_link {
                work.ids.url = None;
            }
        }
        if let Some(put_code) = json.put_code {
            work.extra.insert(PUT_CODE.to_owned(), put_code.to_string());
        }
        let other_codes: Vec<String> = others
            .iter()
            .filter_map(|other| other.put_code)
            .map(|code| code.to_string())
            .collect();
        if !other_codes.is_empty() {
            work.extra
                .insert(OTHER_PUT_CODES.to_owned(), other_codes.join("; "));
        }
        let work_path = json.path.as_deref().filter(|path| !path.is_empty());
        if let Some(owner) = work_path.and_then(owner_of).or(owner) {
            work.extra.insert(OWNER.to_owned(), owner.to_owned());
        }
        if let Some(work_path) = work_path {
            work.extra.insert(PATH.to_owned(), work_path.to_owned());
        }
        self.works.push(work);
        self.offsets.push(offset);
    }

    fn kind(&mut self, work: &mut Work, kind: &str, path: &str, offset: usize) {
        let name = kind.trim().to_ascii_lowercase().replace('_', "-");
        match WORK_TYPES.iter().find(|(orcid, _, _)| *orcid == name) {
            Some(&(_, kind, genre)) => {
                work.kind = kind;
                if let Some(genre) = genre {
                    work.fields.insert(Variable::Genre, Text::plain(genre));
                }
            }
            None => {
                work.extra.insert(TYPE.to_owned(), kind.to_owned());
                let field = if path.is_empty() {
                    "type".to_owned()
                } else {
                    format!("{path}.type")
                };
                let diagnostic = Diagnostic::new(
                    Severity::Note,
                    "orcid::unknown-type",
                    format!("{field} `{kind}` is none of ORCID's work types; the work was read as a document, its type kept as `{TYPE}`"),
                );
                self.report(diagnostic, offset);
            }
        }
    }

    /// `publication-date`: year, month and day each null or `{"value": "…"}`.
    fn date(&mut self, work: &mut Work, date: &DateJson, path: &str, offset: usize) {
        let year = ValueJson::text(&date.year);
        let month = ValueJson::text(&date.month);
        let day = ValueJson::text(&date.day);
        if year.is_none() && month.is_none() && day.is_none() {
            return;
        }
        let written = [year, month, day]
            .iter()
            .map(|part| part.unwrap_or(""))
            .collect::<Vec<_>>()
            .join("-");
        let field = if path.is_empty() {
            "publication-date".to_owned()
        } else {
            format!("{path}.publication-date")
        };
        let mut problem = None;
        let year_number = year.and_then(|year| year.parse::<i32>().ok());
        let Some(year_number) = year_number else {
            work.extra.insert(DATE.to_owned(), written.clone());
            problem = Some(match year {
                None => format!("{field} has no year (`{written}`); it was kept as written, as `{DATE}`"),
                Some(year) => format!("{field} has the year `{year}`, which is not a number; the date was kept as written, as `{DATE}`"),
            });
            self.date_warning(problem, offset);
            return;
        };
        let mut value = Date::year(year_number);
        if let Some(month) = month {
            match month.parse::<u8>().ok().and_then(Month::new) {
                Some(month_value) => {
                    value.month = Some(month_value);
                    if let Some(day) = day {
                        match day
                            .parse::<u8>()
                            .ok()
                            .map(|day| Date::from_ymd(year_number, month_value, day))
                        {
                            Some(Ok(full)) => value = full,
                            Some(Err(invalid)) => {
                                problem = Some(format!("{field}: {invalid}; the year and month were read, the date kept as written, as `{DATE}`"));
                            }
                            None => {
                                problem = Some(format!("{field} has the day `{day}`, which is not a day; the year and month were read, the date kept as written, as `{DATE}`"));
                            }
                        }
                    }
                }
                None => {
                    problem = Some(format!("{field} has the month `{month}`, which is not a month; the year was read, the date kept as written, as `{DATE}`"));
                }
            }
        } else if day.is_some() {
            problem = Some(format!(
                "{field} has a day but no month; the year was read, the date kept as written, as `{DATE}`"
            ));
        }
        if problem.is_some() {
            work.extra.insert(DATE.to_owned(), written);
        }
        work.date = Some(DateValue::from(value));
        self.date_warning(problem, offset);
    }

    fn date_warning(&mut self, problem: Option<String>, offset: usize) {
        if let Some(message) = problem {
            let diagnostic = Diagnostic::new(Severity::Warning, "orcid::bad-date", message)
                .hint("correct the publication date on ORCID");
            self.report(diagnostic, offset);
        }
    }

    /// The work of the embedded citation, when it is BibTeX that parses
    /// as one entry.
    fn citation(&mut self, citation: &CitationJson, path: &str, offset: usize) -> Option<Work> {
        let kind = citation.citation_type.as_deref()?;
        if !kind.trim().eq_ignore_ascii_case("bibtex") {
            return None;
        }
        let value = citation.citation_value.as_deref()?.trim();
        if value.is_empty() {
            return None;
        }
        let field = if path.is_empty() {
            "citation".to_owned()
        } else {
            format!("{path}.citation")
        };
        if value.starts_with('<') {
            let diagnostic = Diagnostic::new(
                Severity::Note,
                "orcid::citation-not-bibtex",
                format!("{field} is an HTML page, not BibTeX; it was ignored"),
            )
            .hint("the work was read from ORCID's own fields");
            self.report(diagnostic, offset);
            return None;
        }
        let reading = bibtex::read_bibtex(
            Source {
                name: self.file,
                text: value,
            },
            &ReadOptions::default(),
        );
        let clean = !reading
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error);
        let mut works = reading.library.works;
        if clean && works.len() == 1 {
            return works.pop();
        }
        let diagnostic = Diagnostic::new(
            Severity::Note,
            "orcid::citation-not-bibtex",
            format!("{field} is not one BibTeX entry that parses; it was ignored"),
        )
        .hint("the work was read from ORCID's own fields");
        self.report(diagnostic, offset);
        None
    }
}

/// The identifiers of a work and of the other summaries of it, first
/// come first served.
#[derive(Default)]
struct IdLists {
    /// `type:value` of own identifiers with no place in the model.
    other: Vec<String>,
    /// By relationship key: `type:value`.
    related: Vec<(&'static str, String)>,
}

impl IdLists {
    fn take(&mut self, work: &mut Work, ids: Option<&ExternalIds>) {
        let Some(ids) = ids.and_then(|ids| ids.external_id.as_ref()) else {
            return;
        };
        for id in ids {
            let kind = id
                .external_id_type
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
                .replace('_', "-");
            let value = id
                .external_id_value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .or_else(|| ValueJson::text(&id.external_id_normalized))
                .or_else(|| ValueJson::text(&id.external_id_url));
            let Some(value) = value else { continue };
            if kind.is_empty() {
                continue;
            }
            let relationship = id
                .external_id_relationship
                .as_deref()
                .unwrap_or("self")
                .trim()
                .to_ascii_lowercase()
                .replace('_', "-");
            let slots = match relationship.as_str() {
                "self" => OWN_IDS,
                "part-of" => CONTAINER_IDS,
                _ => &[],
            };
            let slot = slots.iter().find(|(name, _)| *name == kind);
            if slot.is_some_and(|&(_, slot)| place(work, slot, value)) {
                continue;
            }
            let entry = format!("{kind}:{value}");
            if relationship == "self" {
                if !self.other.contains(&entry) {
                    self.other.push(entry);
                }
                continue;
            }
            let key = RELATIONSHIPS
                .iter()
                .find(|(name, _)| *name == relationship)
                .map_or(OTHER_IDS, |&(_, key)| key);
            let entry = (key, entry);
            if !self.related.contains(&entry) {
                self.related.push(entry);
            }
        }
    }

    /// Puts what had no place in the work's `extra`.
    fn keep(self, work: &mut Work) {
        if !self.other.is_empty() {
            work.extra
                .insert(OTHER_IDS.to_owned(), self.other.join("; "));
        }
        for (key, value) in self.related {
            work.extra
                .entry(key.to_owned())
                .and_modify(|kept| {
                    kept.push_str("; ");
                    kept.push_str(&value);
                })
                .or_insert(value);
        }
    }
}

/// Puts an identifier in its slot of the work, if free; true when the
/// slot now holds it (it was free, or held it already).
fn place(work: &mut Work, slot: Slot, value: &str) -> bool {
    match slot {
        Slot::Doi => fill(&mut work.ids.doi, bare_doi(value)),
        Slot::Arxiv => fill(&mut work.ids.arxiv, bare_arxiv(value)),
        Slot::Isbn => fill(&mut work.ids.isbn, value),
        Slot::Issn => fill(&mut work.ids.issn, value),
        Slot::Url => fill(&mut work.ids.url, value),
        Slot::Field(variable) => {
            let free = !work.fields.contains_key(&variable);
            if free {
                work.fields.insert(variable, Text::plain(value));
            }
            free || work.fields[&variable].raw_string() == value
        }
    }
}

/// Sets an empty slot; true when the slot now holds the value (it was
/// empty, or held it already, in any case).
fn fill(slot: &mut Option<String>, value: &str) -> bool {
    match slot {
        None => {
            *slot = Some(value.to_owned());
            true
        }
        Some(held) => held.eq_ignore_ascii_case(value),
    }
}

/// An arXiv id without `arXiv:` or the abstract page's address.
fn bare_arxiv(id: &str) -> &str {
    let lower = id.to_ascii_lowercase();
    for prefix in [
        "https://arxiv.org/abs/",
        "http://arxiv.org/abs/",
        "arxiv.org/abs/",
        "arxiv:",
    ] {
        if lower.starts_with(prefix) {
            return id[prefix.len()..].trim();
        }
    }
    id
}

/// Whether a URL is the link of the DOI (`https://doi.org/10.1/X`, with
/// the `%2F` Crossref writes for the slash).
fn is_doi_link(url: &str, doi: &str) -> bool {
    let url = url.replace("%2F", "/").replace("%2f", "/");
    let linked = bare_doi(&url);
    linked.len() != url.len() && linked.eq_ignore_ascii_case(doi)
}

/// The ORCID iD at the start of an API path (`/0000-0002-1825-0097/work/1`).
fn owner_of(path: &str) -> Option<&str> {
    let id = path.trim_start_matches('/').split('/').next()?;
    let bytes = id.as_bytes();
    let shaped = bytes.len() == 19
        && bytes.iter().enumerate().all(|(at, &b)| match at {
            4 | 9 | 14 => b == b'-',
            18 => b.is_ascii_digit() || b == b'X',
            _ => b.is_ascii_digit(),
        });
    shaped.then_some(id)
}

/// The contributors in the array's order, by role.
fn contributors_of(work: &mut Work, contributors: Vec<Contributor>) {
    let mut ids = Vec::new();
    let mut roles = Vec::new();
    for contributor in contributors {
        let Some(name) = ValueJson::text(&contributor.credit_name) else {
            continue;
        };
        let person = person(name);
        let role = contributor
            .contributor_attributes
            .and_then(|attributes| attributes.contributor_role)
            .map(|role| role.trim().to_ascii_lowercase().replace('_', "-"))
            .filter(|role| !role.is_empty());
        let place = match &role {
            None => Place::Author,
            Some(role) => CONTRIBUTOR_ROLES
                .iter()
                .find(|(name, _)| name == role)
                .map_or(Place::Other, |&(_, place)| place),
        };
        ids.push(
            contributor
                .contributor_orcid
                .and_then(|orcid| orcid.path)
                .unwrap_or_default(),
        );
        match place {
            Place::Author => work.authors.push(person),
            Place::Editor => work.editors.push(person),
            Place::Other => {
                roles.push(format!(
                    "{}: {}",
                    person.display_name(),
                    role.unwrap_or_default()
                ));
                work.contributors
                    .entry(Role::Contributor)
                    .or_default()
                    .push(person);
            }
        }
    }
    if ids.iter().any(|id| !id.is_empty()) {
        work.extra.insert(CONTRIBUTORS.to_owned(), ids.join("; "));
    }
    if !roles.is_empty() {
        work.extra.insert(ROLES.to_owned(), roles.join("; "));
    }
}

/// A credit name: `Given Family` as ORCID shows names, or `Family, Given`
/// as some sources write them.
fn person(name: &str) -> Person {
    let name = collapse(name);
    match name.split_once(',') {
        Some((family, given)) if !family.trim().is_empty() && !given.trim().is_empty() => {
            Person::Personal(PersonalName {
                given: Some(given.trim().to_owned()),
                family: family.trim().to_owned(),
                ..PersonalName::default()
            })
        }
        _ => Person::from_display_name(&name),
    }
}

/// Fills what ORCID's fields left empty from the embedded BibTeX's work.
/// The BibTeX's ISSN is its journal's, not the work's, and so is its
/// ISBN but for a book.
fn fill_gaps(work: &mut Work, from: Work, kind_given: bool) {
    if !kind_given {
        work.kind = from.kind;
    }
    if work.authors.is_empty() {
        work.authors = from.authors;
        work.authors_truncated = from.authors_truncated;
    }
    if work.editors.is_empty() {
        work.editors = from.editors;
    }
    for (role, people) in from.contributors {
        work.contributors.entry(role).or_insert(people);
    }
    if work.date.is_none() {
        work.date = from.date;
    }
    for (variable, date) in from.dates {
        work.dates.entry(variable).or_insert(date);
    }
    if work.abstract_text.is_none() {
        work.abstract_text = from.abstract_text;
    }
    if work.categories.is_empty() {
        work.categories = from.categories;
    }
    if work.keywords.is_empty() {
        work.keywords = from.keywords;
    }
    let ids = &mut work.ids;
    ids.doi = ids.doi.take().or(from.ids.doi);
    ids.arxiv = ids.arxiv.take().or(from.ids.arxiv);
    ids.url = ids.url.take().or(from.ids.url);
    if work.kind == WorkType::Book {
        ids.isbn = ids.isbn.take().or(from.ids.isbn);
    }
    let venue = &mut work.venue;
    let theirs = from.venue;
    venue.container_title = venue.container_title.take().or(theirs.container_title);
    venue.publisher = venue.publisher.take().or(theirs.publisher);
    venue.place = venue.place.take().or(theirs.place);
    venue.volume = venue.volume.take().or(theirs.volume);
    venue.issue = venue.issue.take().or(theirs.issue);
    venue.pages = venue.pages.take().or(theirs.pages);
    for (variable, value) in from.fields {
        work.fields.entry(variable).or_insert(value);
    }
    for (name, value) in from.extra {
        work.extra.entry(name).or_insert(value);
    }
}

/// White space runs as one space, none at the ends.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_work_type_is_in_the_table_once() {
        for (at, (name, _, _)) in WORK_TYPES.iter().enumerate() {
            assert!(
                !WORK_TYPES[at + 1..]
                    .iter()
                    .any(|(other, _, _)| other == name),
                "{name} twice"
            );
        }
        assert!(WORK_TYPES.len() >= 45);
    }

    #[test]
    fn owners_are_orcid_ids() {
        assert_eq!(
            owner_of("/0000-0002-0613-2229/work/89975745"),
            Some("0000-0002-0613-2229")
        );
        assert_eq!(
            owner_of("/0000-0002-1694-233X/works"),
            Some("0000-0002-1694-233X")
        );
        assert_eq!(owner_of("/works"), None);
        assert_eq!(owner_of(""), None);
        assert_eq!(owner_of("/0000-0002-0613-22291/work/1"), None);
    }

    #[test]
    fn doi_links_and_arxiv_ids() {
        assert!(is_doi_link(
            "https://doi.org/10.1364%2Foe.413844",
            "10.1364/OE.413844"
        ));
        assert!(!is_doi_link("https://example.org/10.1/x", "10.1/x"));
        assert_eq!(bare_arxiv("arXiv:2101.00001v2"), "2101.00001v2");
        assert_eq!(bare_arxiv("https://arxiv.org/abs/2101.00001"), "2101.00001");
        assert_eq!(bare_arxiv("2101.00001"), "2101.00001");
    }

    #[test]
    fn recognized_by_its_keys() {
        assert!(recognizes("{\"bulk\": [{\"error\": {}}]}"));
        assert!(recognizes("\u{feff} {\"group\": [{\"work-summary\": []}]}"));
        assert!(recognizes("{\"created-date\": null, \"put-code\": 1}"));
        assert!(!recognizes("[{\"id\": \"a\", \"type\": \"book\"}]"));
        assert!(!recognizes(
            "{\"id\": \"a\", \"note\": \"\\\"put-code\\\"\"}"
        ));
        assert!(!recognizes("@article{k, title = {\"put-code\"}}"));
    }

    #[test]
    fn names_in_either_order() {
        assert_eq!(person("Xu, Di").display_name(), "Di Xu");
        assert_eq!(person("Ana  María de la Cruz").family_name(), "Cruz");
        assert_eq!(person("Zoë Ōtsuka").family_name(), "Ōtsuka");
    }
}
