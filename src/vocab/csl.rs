//! The CSL-JSON vocabulary the CSL reader and writer share: item types,
//! and the model's variables, name roles and dates by their CSL names.
//! One row per entry; each side walks the same tables, in opposite
//! directions.

use std::borrow::Cow;

use crate::model::{DateVariable, Role, Style, Variable, WorkType};

/// CSL types: the model's type and its CSL `type`.
pub const ITEM_TYPES: &[(WorkType, &str)] = &[
    (WorkType::JournalArticle, "article-journal"),
    (WorkType::MagazineArticle, "article-magazine"),
    (WorkType::NewspaperArticle, "article-newspaper"),
    (WorkType::ConferencePaper, "paper-conference"),
    (WorkType::Chapter, "chapter"),
    (WorkType::Book, "book"),
    (WorkType::Proceedings, "book"),
    (WorkType::Pamphlet, "pamphlet"),
    (WorkType::ReferenceEntry, "entry-encyclopedia"),
    (WorkType::Thesis, "thesis"),
    (WorkType::Report, "report"),
    (WorkType::Preprint, "article"),
    (WorkType::Manuscript, "manuscript"),
    (WorkType::Webpage, "webpage"),
    (WorkType::Dataset, "dataset"),
    (WorkType::Software, "software"),
    (WorkType::Patent, "patent"),
    (WorkType::Standard, "standard"),
    (WorkType::Speech, "speech"),
    (WorkType::Video, "motion_picture"),
    (WorkType::Graphic, "graphic"),
    (WorkType::Song, "song"),
    (WorkType::PersonalCommunication, "personal_communication"),
    (WorkType::Review, "review"),
    (WorkType::LegalCase, "legal_case"),
    (WorkType::Legislation, "legislation"),
    (WorkType::Misc, "document"),
];

/// Every CSL 1.0.2 item type; those the model has no type for are kept as
/// [`WorkType::Other`].
pub const ALL_TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

/// The model's further variables and their CSL names.
pub const VARIABLES: &[(Variable, &str)] = &[
    (Variable::TitleShort, "title-short"),
    (Variable::ContainerTitleShort, "container-title-short"),
    (Variable::CollectionTitle, "collection-title"),
    (Variable::CollectionNumber, "collection-number"),
    (Variable::VolumeTitle, "volume-title"),
    (Variable::Edition, "edition"),
    (Variable::NumberOfVolumes, "number-of-volumes"),
    (Variable::NumberOfPages, "number-of-pages"),
    (Variable::Number, "number"),
    (Variable::ChapterNumber, "chapter-number"),
    (Variable::Genre, "genre"),
    (Variable::Status, "status"),
    (Variable::Version, "version"),
    (Variable::Medium, "medium"),
    (Variable::Language, "language"),
    (Variable::Note, "note"),
    (Variable::Annote, "annote"),
    (Variable::EventTitle, "event-title"),
    (Variable::EventPlace, "event-place"),
    (Variable::Authority, "authority"),
    (Variable::Jurisdiction, "jurisdiction"),
    (Variable::Archive, "archive"),
    (Variable::ArchiveLocation, "archive_location"),
    (Variable::OriginalTitle, "original-title"),
    (Variable::OriginalPublisher, "original-publisher"),
    (Variable::OriginalPublisherPlace, "original-publisher-place"),
    (Variable::Pmid, "PMID"),
    (Variable::Pmcid, "PMCID"),
    (Variable::CallNumber, "call-number"),
    (Variable::Section, "section"),
    (Variable::Source, "source"),
    (Variable::ArchiveCollection, "archive_collection"),
    (Variable::ArchivePlace, "archive-place"),
    (Variable::CitationLabel, "citation-label"),
    (Variable::CitationNumber, "citation-number"),
    (Variable::Dimensions, "dimensions"),
    (Variable::Division, "division"),
    (
        Variable::FirstReferenceNoteNumber,
        "first-reference-note-number",
    ),
    (Variable::Locator, "locator"),
    (Variable::PageFirst, "page-first"),
    (Variable::Part, "part"),
    (Variable::PartTitle, "part-title"),
    (Variable::Printing, "printing"),
    (Variable::References, "references"),
    (Variable::ReviewedGenre, "reviewed-genre"),
    (Variable::ReviewedTitle, "reviewed-title"),
    (Variable::Scale, "scale"),
    (Variable::Supplement, "supplement"),
    (Variable::VolumeTitleShort, "volume-title-short"),
    (Variable::YearSuffix, "year-suffix"),
];

/// Roles and their CSL name variables.
pub const ROLES: &[(Role, &str)] = &[
    (Role::Translator, "translator"),
    (Role::ContainerAuthor, "container-author"),
    (Role::CollectionEditor, "collection-editor"),
    (Role::EditorialDirector, "editorial-director"),
    (Role::Compiler, "compiler"),
    (Role::Contributor, "contributor"),
    (Role::Director, "director"),
    (Role::Illustrator, "illustrator"),
    (Role::Interviewer, "interviewer"),
    (Role::Recipient, "recipient"),
    (Role::Reviewed, "reviewed-author"),
    (Role::OriginalAuthor, "original-author"),
    (Role::Organizer, "organizer"),
    (Role::Guest, "guest"),
    (Role::Host, "host"),
    (Role::Chair, "chair"),
    (Role::Composer, "composer"),
    (Role::Curator, "curator"),
    (Role::ExecutiveProducer, "executive-producer"),
    (Role::Narrator, "narrator"),
    (Role::Performer, "performer"),
    (Role::Producer, "producer"),
    (Role::ScriptWriter, "script-writer"),
    (Role::SeriesCreator, "series-creator"),
];

/// BibLaTeX's roles CSL has no name for: written as contributors, and
/// kept by these names in `custom` so that reading restores them.
pub const CONTRIBUTOR_ROLES: &[(Role, &str)] = &[
    (Role::Commentator, "commentator"),
    (Role::Annotator, "annotator"),
    (Role::Introduction, "introduction"),
    (Role::Foreword, "foreword"),
    (Role::Afterword, "afterword"),
];

/// Further dates and their CSL date variables.
pub const DATES: &[(DateVariable, &str)] = &[
    (DateVariable::Accessed, "accessed"),
    (DateVariable::EventDate, "event-date"),
    (DateVariable::OriginalDate, "original-date"),
    (DateVariable::Submitted, "submitted"),
    (DateVariable::AvailableDate, "available-date"),
];

/// Other names for CSL variables that citeproc-js reads (Zotero and older
/// exports write them), and the variable each stands for.
pub const ALIASES: &[(&str, &str)] = &[
    ("journalAbbreviation", "container-title-short"),
    ("shortTitle", "title-short"),
    ("event", "event-title"),
];

/// The CSL type of a model type.
pub fn type_name(kind: WorkType) -> &'static str {
    match kind {
        WorkType::Other(name) => name,
        kind => ITEM_TYPES
            .iter()
            .find(|(model, _)| *model == kind)
            .map_or("document", |(_, name)| name),
    }
}

/// The model type of a CSL type; `None` for a name CSL does not have.
pub fn work_type(name: &str) -> Option<WorkType> {
    ITEM_TYPES
        .iter()
        .find(|(_, csl)| *csl == name)
        .map(|(kind, _)| *kind)
        .or_else(|| {
            ALL_TYPES
                .iter()
                .find(|csl| **csl == name)
                .map(|csl| WorkType::Other(csl))
        })
}

/// The variables the writer's item struct names itself.
pub const CORE_VARIABLES: &[&str] = &[
    "id",
    "type",
    "citation-key",
    "author",
    "editor",
    "title",
    "container-title",
    "issued",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher-place",
    "number",
    "DOI",
    "URL",
    "ISBN",
    "ISSN",
    "categories",
    "keyword",
    "abstract",
    "custom",
];

/// True when `name` is a CSL variable (of the core or the tables), so a
/// value kept under it goes back to the item's top level.
pub fn is_variable(name: &str) -> bool {
    CORE_VARIABLES.contains(&name)
        || VARIABLES.iter().any(|(_, csl)| *csl == name)
        || ROLES.iter().any(|(_, csl)| *csl == name)
        || DATES.iter().any(|(_, csl)| *csl == name)
}

/// Looks a CSL name up in one of the tables above.
pub fn by_name<T: Copy>(table: &[(T, &str)], name: &str) -> Option<T> {
    table
        .iter()
        .find(|(_, csl)| *csl == name)
        .map(|(value, _)| *value)
}

/// The CSL name of a model value in one of the tables above.
pub fn name_of<T: PartialEq>(table: &[(T, &'static str)], value: &T) -> Option<&'static str> {
    table
        .iter()
        .find(|(model, _)| model == value)
        .map(|(_, name)| *name)
}

/// True when `$tex$` in CSL text is read as math: TeX-like (a command, a
/// sub- or superscript), not padded with spaces (`$5 and $6` is money).
/// The writer writes math so only when it reads back so.
pub fn reads_as_math(tex: &str) -> bool {
    tex.contains(['\\', '^', '_'])
        && !tex.starts_with(' ')
        && !tex.ends_with(' ')
        && !tex.contains('$')
}

/// The markup tags CSL defines in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    NoCase,
    Styled(Style),
}

/// Each tag's opening and closing form; the first row of a tag is the
/// form written, the others are read too (`<sc>`, citeproc-js's).
pub const TAGS: &[(&str, &str, Tag)] = &[
    ("<i>", "</i>", Tag::Styled(Style::Emphasis)),
    ("<b>", "</b>", Tag::Styled(Style::Strong)),
    (
        "<span style=\"font-variant:small-caps;\">",
        "</span>",
        Tag::Styled(Style::SmallCaps),
    ),
    ("<sc>", "</sc>", Tag::Styled(Style::SmallCaps)),
    ("<sup>", "</sup>", Tag::Styled(Style::Superscript)),
    ("<sub>", "</sub>", Tag::Styled(Style::Subscript)),
    ("<span class=\"nocase\">", "</span>", Tag::NoCase),
];

/// The character entities read in CSL text, and what they stand for.
pub const ENTITIES: &[(&str, &str)] = &[
    ("&amp;", "&"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#38;", "&"),
];

impl Tag {
    /// The opening and closing form this tag is written in.
    pub fn forms(self) -> (&'static str, &'static str) {
        TAGS.iter()
            .find(|(_, _, tag)| *tag == self)
            .map_or(("", ""), |&(open, close, _)| (open, close))
    }

    /// The tag at the start of `text`: which, its length, and whether it
    /// opens. `</span>` closes whichever span is open.
    pub fn at(text: &str) -> Option<(Tag, usize, bool)> {
        TAGS.iter()
            .find_map(|&(open, close, tag)| {
                if text.starts_with(open) {
                    Some((tag, open.len(), true))
                } else if text.starts_with(close) && close != "</span>" {
                    Some((tag, close.len(), false))
                } else {
                    None
                }
            })
            .or_else(|| {
                text.starts_with("</span>")
                    .then_some((Tag::NoCase, "</span>".len(), false))
            })
    }
}

/// Text as written into CSL markup: a `&` that would read as an entity
/// and a `<` that would read as a tag are escaped, so that the text reads
/// back as itself. Any other `&` or `<` is left as it is, as CSL
/// processors show it.
pub fn escape_markup(text: &str) -> Cow<'_, str> {
    let needs = |at: usize| {
        let rest = &text[at..];
        match rest.as_bytes()[0] {
            b'&' => ENTITIES.iter().any(|(name, _)| rest.starts_with(name)),
            _ => Tag::at(rest).is_some(),
        }
    };
    let mut marks = memchr::memchr2_iter(b'&', b'<', text.as_bytes()).filter(|&at| needs(at));
    let Some(first) = marks.next() else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut from = 0;
    for at in std::iter::once(first).chain(marks) {
        out.push_str(&text[from..at]);
        out.push_str(match text.as_bytes()[at] {
            b'&' => "&amp;",
            _ => "&lt;",
        });
        from = at + 1;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tag the writer writes reads back as that tag, opening and
    /// closing.
    #[test]
    fn each_tag_reads_back_as_written() {
        let styles = [
            Style::Emphasis,
            Style::Strong,
            Style::SmallCaps,
            Style::Superscript,
            Style::Subscript,
        ];
        for tag in styles.map(Tag::Styled).into_iter().chain([Tag::NoCase]) {
            let (open, close) = tag.forms();
            assert_eq!(Tag::at(open), Some((tag, open.len(), true)), "{tag:?}");
            let (closing, length, opens) = Tag::at(close).expect("a closing tag");
            assert_eq!((length, opens), (close.len(), false), "{tag:?}");
            // `</span>` closes whichever span is open.
            assert!(closing == tag || close == "</span>", "{tag:?}");
        }
    }
}
