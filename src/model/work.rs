//! Works: the papers, books and theses of a publication list.

use std::collections::BTreeMap;

use super::{DateValue, Person, Text};

/// One publication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Work {
    /// The citation key the input gave it, if any. Writers generate one
    /// where this is missing.
    pub key: Option<String>,
    pub kind: WorkType,
    pub title: Option<Text>,
    pub authors: Vec<Person>,
    /// The source listed only the first authors ("et al."): more exist.
    pub authors_truncated: bool,
    pub editors: Vec<Person>,
    /// People in other roles: translators, series editors, ….
    pub contributors: BTreeMap<Role, Vec<Person>>,
    /// When the work was published ("issued").
    pub date: Option<DateValue>,
    /// Other dates: accessed, event, original publication.
    pub dates: BTreeMap<DateVariable, DateValue>,
    /// arXiv subject classes, primary first.
    pub categories: Vec<Category>,
    pub abstract_text: Option<Text>,
    pub ids: Identifiers,
    pub venue: Venue,
    pub keywords: Vec<String>,
    /// Further bibliographic data, by what it means.
    pub fields: BTreeMap<Variable, Text>,
    /// Fields of the source that no writer knows, by their source name, so
    /// that later readers lose nothing.
    pub extra: BTreeMap<String, String>,
}

/// What kind of work it is, in terms every output format can map.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum WorkType {
    JournalArticle,
    MagazineArticle,
    NewspaperArticle,
    ConferencePaper,
    Chapter,
    Book,
    Proceedings,
    /// A small printed work without a publisher (BibTeX's `booklet`).
    Pamphlet,
    /// An entry in a dictionary or encyclopedia.
    ReferenceEntry,
    Thesis,
    Report,
    /// A paper posted to a preprint server such as arXiv.
    Preprint,
    Manuscript,
    Webpage,
    Dataset,
    Software,
    Patent,
    Standard,
    /// A talk or presentation.
    Speech,
    Video,
    Graphic,
    Song,
    PersonalCommunication,
    Review,
    LegalCase,
    Legislation,
    #[default]
    Misc,
    /// A CSL item type the model has no name for (`map`, `post-weblog`),
    /// kept so that CSL-JSON comes back as it went in.
    Other(&'static str),
}

/// The groups of a CV, by the names `--type` and `--group-by type` use,
/// each with the work types listed in it; a type in none is `other`.
const CV_GROUPS: &[(&str, &[WorkType])] = &[
    (
        "article",
        &[
            WorkType::JournalArticle,
            WorkType::MagazineArticle,
            WorkType::NewspaperArticle,
            WorkType::Review,
        ],
    ),
    ("conference", &[WorkType::ConferencePaper, WorkType::Speech]),
    ("chapter", &[WorkType::Chapter, WorkType::ReferenceEntry]),
    (
        "book",
        &[WorkType::Book, WorkType::Proceedings, WorkType::Pamphlet],
    ),
    ("thesis", &[WorkType::Thesis]),
    ("report", &[WorkType::Report, WorkType::Standard]),
    ("preprint", &[WorkType::Preprint, WorkType::Manuscript]),
];

impl WorkType {
    /// The CV group a work of this type is listed in (`article`,
    /// `conference`, `preprint`, `thesis`, …, `other`): the names of
    /// Markdown's kinds, and the keyword BibLaTeX output files it under.
    pub fn cv_group(self) -> &'static str {
        CV_GROUPS
            .iter()
            .find(|(_, types)| types.contains(&self))
            .map_or("other", |&(name, _)| name)
    }
}

/// Bibliographic data beyond the core of [`Work`], named after the CSL
/// variable it corresponds to (CSL has the richest common vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variable {
    TitleShort,
    ContainerTitleShort,
    /// The series a book belongs to.
    CollectionTitle,
    CollectionNumber,
    /// The title of the multi-volume work a volume belongs to.
    VolumeTitle,
    Edition,
    NumberOfVolumes,
    NumberOfPages,
    /// A report, patent or standard number.
    Number,
    ChapterNumber,
    /// The kind of work in words: "PhD thesis", "Technical report".
    Genre,
    /// Publication status: "in press", "submitted".
    Status,
    Version,
    Medium,
    Language,
    Note,
    Annote,
    EventTitle,
    EventPlace,
    Authority,
    /// The country or court a patent or case belongs to.
    Jurisdiction,
    Archive,
    ArchiveLocation,
    OriginalTitle,
    OriginalPublisher,
    OriginalPublisherPlace,
    Pmid,
    Pmcid,
    CallNumber,
    Section,
    Source,
    ArchiveCollection,
    ArchivePlace,
    CitationLabel,
    CitationNumber,
    Dimensions,
    Division,
    FirstReferenceNoteNumber,
    Locator,
    PageFirst,
    Part,
    PartTitle,
    Printing,
    References,
    ReviewedGenre,
    ReviewedTitle,
    Scale,
    Supplement,
    VolumeTitleShort,
    YearSuffix,
}

/// Roles people have besides author and editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Translator,
    /// The author of the book a chapter is in.
    ContainerAuthor,
    CollectionEditor,
    EditorialDirector,
    Compiler,
    Contributor,
    Director,
    Illustrator,
    Interviewer,
    Recipient,
    Reviewed,
    OriginalAuthor,
    Organizer,
    Guest,
    Host,
    Chair,
    Composer,
    Curator,
    ExecutiveProducer,
    Narrator,
    Performer,
    Producer,
    ScriptWriter,
    SeriesCreator,
    /// BibLaTeX's roles of a book's other contributors, which CSL counts
    /// as contributors.
    Commentator,
    Annotator,
    /// The writer of an introduction, a foreword, an afterword.
    Introduction,
    Foreword,
    Afterword,
}

/// Dates besides the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateVariable {
    Accessed,
    EventDate,
    OriginalDate,
    Submitted,
    AvailableDate,
}

/// An arXiv subject class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The code as the source wrote it: `LG`, or `cs.LG`.
    pub code: String,
    /// The full arXiv category (`cs.LG`) when the code names exactly one.
    pub arxiv: Option<String>,
}

impl Category {
    /// The full category if known, else the code as written.
    pub fn best(&self) -> &str {
        self.arxiv.as_deref().unwrap_or(&self.code)
    }
}

/// Identifiers that locate a work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identifiers {
    /// A bare DOI (`10.1000/xyz`), never a URL.
    pub doi: Option<String>,
    /// A bare arXiv identifier (`2210.13533`), without `arXiv:`.
    pub arxiv: Option<String>,
    pub url: Option<String>,
    pub isbn: Option<String>,
    pub issn: Option<String>,
}

/// Where a work appeared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Venue {
    /// The journal, proceedings or book the work is part of.
    pub container_title: Option<Text>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
}

impl Work {
    /// True when the work is on arXiv as far as the source tells: it has an
    /// arXiv identifier or arXiv subject classes.
    pub fn is_on_arxiv(&self) -> bool {
        self.ids.arxiv.is_some() || !self.categories.is_empty()
    }
}

/// Pages as the model holds them: a range with the en dash, whichever
/// dash the source wrote (`1-10`, BibTeX's `1--10`) → `1–10`, so that
/// every reader gives the same value.
pub fn page_range(pages: &str) -> String {
    let bytes = pages.as_bytes();
    pages
        .char_indices()
        .map(|(at, c)| {
            let between = at > 0
                && bytes[at - 1].is_ascii_alphanumeric()
                && bytes.get(at + 1).is_some_and(u8::is_ascii_alphanumeric);
            if c == '-' && between {
                '–'
            } else {
                c
            }
        })
        .collect()
}

/// `2210.13533v4` → `2210.13533`: the paper, whatever its version.
pub fn arxiv_without_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(at)
            if at > 0 && at + 1 < id.len() && id[at + 1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            &id[..at]
        }
        _ => id,
    }
}

/// A DOI as the model holds it, bare: without `https://doi.org/`,
/// `doi:` or the like, as sources write it.
pub fn bare_doi(mut doi: &str) -> &str {
    let prefixes = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ];
    while let Some(prefix) = prefixes.iter().find(|prefix| {
        doi.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    }) {
        doi = doi[prefix.len()..].trim();
    }
    doi
}
