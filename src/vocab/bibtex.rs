//! The BibTeX/BibLaTeX vocabulary the BibTeX reader and writer share, as
//! tables: entry types both ways (with the genre a type implies), BibTeX's
//! field names and the BibLaTeX names they stand for, the types and fields
//! only BibLaTeX has, and the month macros. Both sides walk these rows, so
//! what the writer puts out the reader takes back as meant. What each
//! field becomes in the model is the reader's own
//! ([`crate::read::bibtex::fields`]).
//!
//! Names follow BibLaTeX; BibTeX's older names are aliases (`journal` is
//! `journaltitle`, `address` is `location`, `school` is `institution`).

use std::borrow::Cow;
use std::sync::LazyLock;

use foldhash::HashSet;

use crate::model::{DateVariable, Role, Variable, WorkType};

/// BibTeX names and the BibLaTeX names they stand for.
pub const FIELD_ALIASES: &[(&str, &str)] = &[
    ("address", "location"),
    ("annote", "annotation"),
    ("archiveprefix", "eprinttype"),
    ("journal", "journaltitle"),
    ("key", "sortkey"),
    ("pdf", "file"),
    ("primaryclass", "eprintclass"),
    ("school", "institution"),
];

/// One of 64 bits for a field name. An entry has a few fields and the
/// reader's rules ([`crate::read::bibtex::fields`]) look for a hundred
/// names: most are ruled out by their bit alone.
pub const fn name_bit(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let (first, last) = match bytes {
        [first, .., last] => (*first as u32, *last as u32),
        [only] => (*only as u32, *only as u32),
        [] => (0, 0),
    };
    let length = bytes.len() as u32;
    1 << (length
        .wrapping_mul(7)
        .wrapping_add(first * 3)
        .wrapping_add(last)
        % 64)
}

/// The bits of the aliases' names ([`name_bit`]): most names are
/// no alias by their bit alone.
const ALIAS_BITS: u64 = {
    let mut bits = 0;
    let mut index = 0;
    while index < FIELD_ALIASES.len() {
        bits |= name_bit(FIELD_ALIASES[index].0);
        index += 1;
    }
    bits
};

/// A field name in lower case, BibTeX aliases replaced by BibLaTeX names.
pub fn canonical_name(name: &str) -> Cow<'_, str> {
    let lower: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    if name_bit(&lower) & ALIAS_BITS == 0 {
        return lower;
    }
    match FIELD_ALIASES.iter().find(|(alias, _)| *alias == lower) {
        Some((_, biblatex)) => Cow::Borrowed(biblatex),
        None => lower,
    }
}

/// Fields that become a variable as they are.
pub const VARIABLE_FIELDS: &[(&str, Variable)] = &[
    ("shortjournal", Variable::ContainerTitleShort),
    ("edition", Variable::Edition),
    ("volumes", Variable::NumberOfVolumes),
    ("pagetotal", Variable::NumberOfPages),
    ("numpages", Variable::NumberOfPages),
    ("chapter", Variable::ChapterNumber),
    ("version", Variable::Version),
    ("annotation", Variable::Annote),
    ("eventtitle", Variable::EventTitle),
    ("venue", Variable::EventPlace),
    ("origtitle", Variable::OriginalTitle),
    ("origpublisher", Variable::OriginalPublisher),
    ("origlocation", Variable::OriginalPublisherPlace),
    ("library", Variable::CallNumber),
    ("pmid", Variable::Pmid),
    ("pmcid", Variable::Pmcid),
];

/// Name-list fields besides author and editor.
pub const ROLE_FIELDS: &[(&str, Role)] = &[
    ("translator", Role::Translator),
    ("bookauthor", Role::ContainerAuthor),
    ("commentator", Role::Commentator),
    ("annotator", Role::Annotator),
    ("introduction", Role::Introduction),
    ("foreword", Role::Foreword),
    ("afterword", Role::Afterword),
];

/// Date fields besides the publication date.
pub const DATE_FIELDS: &[(&str, DateVariable)] = &[
    ("urldate", DateVariable::Accessed),
    ("eventdate", DateVariable::EventDate),
    ("origdate", DateVariable::OriginalDate),
];

/// Older single-year fields for the same dates, read when the date
/// field is missing.
pub const YEAR_FIELDS: &[(&str, DateVariable)] = &[
    ("urlyear", DateVariable::Accessed),
    ("eventyear", DateVariable::EventDate),
    ("origyear", DateVariable::OriginalDate),
];

/// Fields the reader's combining rules read (titles, containers, dates,
/// numbers, publishers, eprints).
pub const COMBINED_FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "titleaddon",
    "author",
    "editor",
    "journaltitle",
    "journalsubtitle",
    "booktitle",
    "booksubtitle",
    "booktitleaddon",
    "maintitle",
    "mainsubtitle",
    "maintitleaddon",
    "date",
    "year",
    "month",
    "day",
    "number",
    "issue",
    "volume",
    "pages",
    "publisher",
    "institution",
    "organization",
    "howpublished",
    "location",
    "doi",
    "url",
    "eprint",
    "eprinttype",
    "eprintclass",
    "isbn",
    "issn",
    "note",
    "addendum",
    "abstract",
    "keywords",
    "shorttitle",
    "type",
    "pubstate",
    "langid",
    "hyphenation",
    "entrysubtype",
    "crossref",
    "xdata",
    "part",
    "issuetitle",
    "issuesubtitle",
    "series",
];

/// Every field the reader gives a meaning: the others are kept in
/// `extra`. A set, as every field of every entry is looked up in it.
static READ: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let named = VARIABLE_FIELDS.iter().map(|(name, _)| name);
    let roles = ROLE_FIELDS.iter().map(|(name, _)| name);
    let dates = DATE_FIELDS.iter().chain(YEAR_FIELDS).map(|(name, _)| name);
    COMBINED_FIELDS
        .iter()
        .chain(named)
        .chain(roles)
        .chain(dates)
        .copied()
        .collect()
});

/// Date fields the reader keeps as written when it cannot read them, and
/// the writer writes back so.
pub const DATE_FIELDS_KEPT: &[&str] = &[
    "date",
    "year",
    "month",
    "day",
    "urldate",
    "eventdate",
    "origdate",
];

/// Whether the reader gives a field of this name (lower case, BibLaTeX
/// spelling: see [`canonical_name`]) a meaning.
pub fn is_read(name: &str) -> bool {
    READ.contains(name)
}

/// Entry types: the name (BibLaTeX's and BibTeX's), the model's type, and
/// the genre it implies.
pub const ENTRY_TYPES: &[(&str, WorkType, Option<&str>)] = &[
    ("article", WorkType::JournalArticle, None),
    ("suppperiodical", WorkType::JournalArticle, None),
    ("book", WorkType::Book, None),
    ("mvbook", WorkType::Book, None),
    ("collection", WorkType::Book, None),
    ("mvcollection", WorkType::Book, None),
    ("reference", WorkType::Book, None),
    ("mvreference", WorkType::Book, None),
    ("manual", WorkType::Book, None),
    ("periodical", WorkType::JournalArticle, None),
    ("inbook", WorkType::Chapter, None),
    ("bookinbook", WorkType::Book, None),
    ("suppbook", WorkType::Chapter, None),
    ("incollection", WorkType::Chapter, None),
    ("suppcollection", WorkType::Chapter, None),
    ("inreference", WorkType::ReferenceEntry, None),
    ("inproceedings", WorkType::ConferencePaper, None),
    ("conference", WorkType::ConferencePaper, None),
    ("proceedings", WorkType::Proceedings, None),
    ("mvproceedings", WorkType::Proceedings, None),
    ("booklet", WorkType::Pamphlet, None),
    ("thesis", WorkType::Thesis, None),
    ("phdthesis", WorkType::Thesis, Some("PhD thesis")),
    ("mastersthesis", WorkType::Thesis, Some("Master's thesis")),
    ("report", WorkType::Report, None),
    ("techreport", WorkType::Report, Some("technical report")),
    ("unpublished", WorkType::Manuscript, None),
    ("online", WorkType::Webpage, None),
    ("electronic", WorkType::Webpage, None),
    ("www", WorkType::Webpage, None),
    ("dataset", WorkType::Dataset, None),
    ("software", WorkType::Software, None),
    ("patent", WorkType::Patent, None),
    ("standard", WorkType::Standard, None),
    ("video", WorkType::Video, None),
    ("movie", WorkType::Video, None),
    ("artwork", WorkType::Graphic, None),
    ("image", WorkType::Graphic, None),
    ("audio", WorkType::Song, None),
    ("music", WorkType::Song, None),
    ("letter", WorkType::PersonalCommunication, None),
    ("review", WorkType::Review, None),
    ("jurisdiction", WorkType::LegalCase, None),
    ("legislation", WorkType::Legislation, None),
    ("commentary", WorkType::Book, None),
    ("data", WorkType::Dataset, None),
    ("misc", WorkType::Misc, None),
];

/// The genre an entry type implies (`phdthesis` → "PhD thesis").
pub fn implied_genre(entry_type: &str) -> Option<&'static str> {
    ENTRY_TYPES
        .iter()
        .find(|(name, _, _)| *name == entry_type)
        .and_then(|(_, _, genre)| *genre)
}

/// The other direction, for the writer: each model type, then the BibTeX
/// and the BibLaTeX entry type it is written as.
pub const ENTRY_TYPES_WRITTEN: &[(WorkType, &str, &str)] = &[
    (WorkType::JournalArticle, "article", "article"),
    (WorkType::MagazineArticle, "article", "article"),
    (WorkType::NewspaperArticle, "article", "article"),
    (WorkType::ConferencePaper, "inproceedings", "inproceedings"),
    (WorkType::Chapter, "incollection", "incollection"),
    (WorkType::Book, "book", "book"),
    (WorkType::Proceedings, "proceedings", "proceedings"),
    (WorkType::Pamphlet, "booklet", "booklet"),
    (WorkType::ReferenceEntry, "incollection", "inreference"),
    (WorkType::Thesis, "phdthesis", "thesis"),
    (WorkType::Report, "techreport", "report"),
    (WorkType::Preprint, "misc", "online"),
    (WorkType::Manuscript, "unpublished", "unpublished"),
    (WorkType::Webpage, "misc", "online"),
    (WorkType::Dataset, "misc", "dataset"),
    (WorkType::Software, "misc", "software"),
    (WorkType::Patent, "misc", "patent"),
    (WorkType::Standard, "misc", "standard"),
    (WorkType::Speech, "unpublished", "unpublished"),
    (WorkType::Video, "misc", "video"),
    (WorkType::Graphic, "misc", "artwork"),
    (WorkType::Song, "misc", "audio"),
    (WorkType::PersonalCommunication, "misc", "letter"),
    (WorkType::Review, "article", "review"),
    (WorkType::LegalCase, "misc", "jurisdiction"),
    (WorkType::Legislation, "misc", "legislation"),
    (WorkType::Misc, "misc", "misc"),
];

/// The CSL types the model keeps by name ([`WorkType::Other`]), and the
/// closest BibTeX and BibLaTeX entry types.
pub const OTHER_CSL_TYPES: &[(&str, &str, &str)] = &[
    ("bill", "misc", "legislation"),
    ("broadcast", "misc", "video"),
    ("classic", "book", "book"),
    ("collection", "book", "collection"),
    ("entry", "incollection", "inreference"),
    ("entry-dictionary", "incollection", "inreference"),
    ("event", "misc", "misc"),
    ("figure", "misc", "image"),
    ("hearing", "misc", "jurisdiction"),
    ("interview", "misc", "misc"),
    ("map", "misc", "misc"),
    ("musical_score", "misc", "music"),
    ("performance", "misc", "performance"),
    // CSL's periodical is a whole journal; BibLaTeX's, an issue of one.
    ("periodical", "misc", "misc"),
    ("post", "misc", "online"),
    ("post-weblog", "misc", "online"),
    ("regulation", "misc", "legislation"),
    ("review-book", "article", "review"),
    ("treaty", "misc", "legislation"),
];

/// Entry types only BibLaTeX has.
const BIBLATEX_TYPES: &[&str] = &[
    "online",
    "thesis",
    "report",
    "mvbook",
    "mvcollection",
    "mvproceedings",
    "mvreference",
    "bookinbook",
    "suppbook",
    "suppcollection",
    "suppperiodical",
    "reference",
    "inreference",
    "periodical",
    "patent",
    "dataset",
    "software",
    "collection",
    "set",
    "xdata",
];

/// Fields only BibLaTeX has (after BibTeX aliases are resolved, so not
/// `location`, which `address` becomes).
const BIBLATEX_FIELDS: &[&str] = &[
    "date",
    "journaltitle",
    "langid",
    "maintitle",
    "mainsubtitle",
    "booksubtitle",
    "eventtitle",
    "eventdate",
    "urldate",
    "origdate",
    "subtitle",
    "titleaddon",
    "pubstate",
    "eprinttype",
    "xdata",
    "ids",
    "entrysubtype",
    "bookauthor",
    "editora",
    "annotation",
    "hyphenation",
    "origlocation",
    "origpublisher",
    "shortjournal",
    "pagetotal",
];

/// Whether an entry of this type (lower case) with these fields (lower
/// case, BibLaTeX names) is read as BibLaTeX: it uses a type or field
/// only BibLaTeX has. Then its `publisher`, `location` and `institution`
/// are lists.
pub fn reads_as_biblatex<'f>(kind: &str, mut fields: impl Iterator<Item = &'f str>) -> bool {
    BIBLATEX_TYPES.contains(&kind) || fields.any(|name| BIBLATEX_FIELDS.contains(&name))
}

/// BibTeX's predefined month macros.
pub const MONTH_MACROS: [(&str, &str); 12] = [
    ("jan", "January"),
    ("feb", "February"),
    ("mar", "March"),
    ("apr", "April"),
    ("may", "May"),
    ("jun", "June"),
    ("jul", "July"),
    ("aug", "August"),
    ("sep", "September"),
    ("oct", "October"),
    ("nov", "November"),
    ("dec", "December"),
];
