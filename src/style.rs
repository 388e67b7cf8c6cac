//! Citation styles: CV items formatted by a CSL 1.0.2 style through the
//! hayagriva processor.
//!
//! This module owns three things: loading a style ([`CitationStyle`], from
//! a name hayagriva bundles or a `.csl` file) with its locale; building
//! hayagriva's entries from the model (by a type table, never through
//! hayagriva's BibLaTeX reader, so nothing the model knows is re-parsed);
//! and walking hayagriva's output tree into [`Piece`]s, with the owner's
//! names in bold. Each CV writer then spells the pieces in its markup.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use hayagriva::citationberg::taxonomy::NameVariable;
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode, Style as CslStyle,
    VerticalAlign,
};
use hayagriva::types::{
    ChunkKind, ChunkedString, Date as HDate, EntryType, FormatString, MaybeTyped, Numeric,
    PageRanges, Person as HPerson, PersonRole, PersonsWithRoles, Publisher, QualifiedUrl,
    StringChunk,
};
use hayagriva::{
    archive, BibliographyDriver, BibliographyItem, BibliographyRequest, CitationItem,
    CitationRequest, ElemChild, ElemChildren, ElemMeta, Entry, Formatting,
};

use crate::model::{
    DateValue, DateVariable, Inline, Person, Role, Style, Text, Variable, Work, WorkType,
};
use crate::tex::math;
use crate::write::cv::Piece;

/// Where a style comes from, as the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// A style hayagriva bundles: `apa`, `ieee`, ….
    Bundled(String),
    /// A CSL 1.0.2 style file.
    File(std::path::PathBuf),
}

impl Choice {
    /// `NAME` or `FILE.csl`: a value ending in `.csl`, or naming a file
    /// that exists, is a file.
    pub fn parse(value: &str) -> Choice {
        let path = Path::new(value);
        let is_csl = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("csl"));
        if is_csl || path.is_file() {
            Choice::File(path.to_owned())
        } else {
            Choice::Bundled(value.to_owned())
        }
    }
}

/// A style ready to render, with the locale its terms come from.
pub struct CitationStyle {
    /// What the user named, for messages.
    pub name: String,
    style: IndependentStyle,
    locale: LocaleCode,
    locales: Vec<Locale>,
    /// Whether the locale puts a comma or period before a closing quote.
    punctuation_in_quote: bool,
    /// Whether the style reads the archive place from the entry's
    /// abstract (see `steer::archive_place_carried`).
    archive_place_carried: bool,
    /// The locale's quotation marks, for quotes inside titles.
    quotes: quotes::Quotes,
}

impl fmt::Debug for CitationStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CitationStyle")
            .field("name", &self.name)
            .field("locale", &self.locale.0)
            .finish_non_exhaustive()
    }
}

/// The locale styles use unless told otherwise.
pub const DEFAULT_LOCALE: &str = "en-US";

/// Why a style could not be loaded; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleError(pub String);

impl fmt::Display for StyleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StyleError {}

/// The names of the bundled styles that can set a CV, sorted: those
/// with a bibliography (`alphanumeric`, a citation style only, has none).
pub fn bundled_names() -> Vec<&'static str> {
    let sets_a_bibliography = |style: &archive::ArchivedStyle| match style.get() {
        CslStyle::Independent(style) => check::problem(&style).is_none(),
        CslStyle::Dependent(_) => true,
    };
    let mut names: Vec<&str> = archive::ArchivedStyle::all()
        .iter()
        .filter(|style| sets_a_bibliography(style))
        .flat_map(|style| style.names().iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The tags of the bundled locales, sorted.
pub fn bundled_locales() -> Vec<String> {
    let mut tags: Vec<String> = archive::locales()
        .into_iter()
        .filter_map(|locale| locale.lang.map(|lang| lang.0))
        .collect();
    tags.sort_unstable();
    tags
}

impl CitationStyle {
    /// Loads a style and checks the locale (`None`: en-US) is bundled.
    pub fn load(choice: &Choice, locale: Option<&str>) -> Result<CitationStyle, StyleError> {
        let (name, mut style) = match choice {
            Choice::Bundled(name) => (name.clone(), bundled(name)?),
            Choice::File(path) => (path.display().to_string(), from_file(path)?),
        };
        if let Some(problem) = check::problem(&style) {
            return Err(StyleError(format!("{name}: {problem}")));
        }
        let locales = archive::locales();
        let tag = locale.unwrap_or(DEFAULT_LOCALE);
        let known = locales
            .iter()
            .filter_map(|locale| locale.lang.as_ref())
            .any(|lang| lang.0.eq_ignore_ascii_case(tag) || primary(&lang.0) == tag);
        if !known {
            return Err(StyleError(format!(
                "unknown locale `{tag}`: give one of {}",
                bundled_locales().join(", ")
            )));
        }
        steer::steer(&mut style);
        let archive_place_carried = steer::archive_place_carried(&mut style);
        let punctuation_in_quote = punctuation_in_quote(&style, &locales, tag);
        let quotes = quotes::Quotes::of(&style, &locales, tag);
        Ok(CitationStyle {
            name,
            style,
            locale: LocaleCode(tag.to_owned()),
            locales,
            punctuation_in_quote,
            quotes,
            archive_place_carried,
        })
    }
}

/// The locale's `punctuation-in-quote`.
fn punctuation_in_quote(style: &IndependentStyle, bundled: &[Locale], tag: &str) -> bool {
    from_locales(style, bundled, tag, |locale| {
        locale.style_options.as_ref()?.punctuation_in_quote
    })
    .unwrap_or(false)
}

/// The first answer `find` gives in the locales a style reads: the
/// style's own locale sections first, then the bundled locale of the tag
/// or of its language.
fn from_locales<'a, R>(
    style: &'a IndependentStyle,
    bundled: &'a [Locale],
    tag: &str,
    find: impl Fn(&'a Locale) -> Option<R>,
) -> Option<R> {
    let matches = |locale: &&Locale, exact: bool| match &locale.lang {
        Some(lang) if exact => lang.0.eq_ignore_ascii_case(tag),
        Some(lang) => primary(&lang.0).eq_ignore_ascii_case(primary(tag)),
        None => !exact,
    };
    [true, false]
        .into_iter()
        .flat_map(|exact| style.locale.iter().filter(move |l| matches(l, exact)))
        .chain([true, false].into_iter().flat_map(|exact| {
            bundled
                .iter()
                .filter(move |l| matches(l, exact) && l.lang.is_some())
        }))
        .find_map(find)
}

/// `de` of `de-DE`.
fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

fn bundled(name: &str) -> Result<IndependentStyle, StyleError> {
    let Some(archived) = archive::ArchivedStyle::by_name(name) else {
        return Err(StyleError(format!(
            "unknown style `{name}`: give a `.csl` file or one of the bundled styles: {}",
            bundled_names().join(", ")
        )));
    };
    match archived.get() {
        CslStyle::Independent(style) => Ok(style),
        // The archive holds independent styles only; a dependent one
        // would name its parent, which is bundled too.
        CslStyle::Dependent(_) => Err(StyleError(format!(
            "the bundled style `{name}` depends on another style: give that style's name"
        ))),
    }
}

fn from_file(path: &Path) -> Result<IndependentStyle, StyleError> {
    let shown = path.display();
    let xml = std::fs::read_to_string(path)
        .map_err(|error| StyleError(format!("{shown}: cannot read the style: {error}")))?;
    if let Some(problem) = check::nesting_problem(&xml) {
        return Err(StyleError(format!("{shown}: {problem}")));
    }
    match CslStyle::from_xml(&xml) {
        Ok(CslStyle::Independent(style)) => Ok(style),
        Ok(CslStyle::Dependent(dependent)) => {
            // A dependent style only renames its parent: use the parent if
            // it is bundled (its id ends in the style's name).
            let parent = dependent.parent_link.href.to_string();
            let parent_name = parent.rsplit('/').next().unwrap_or_default();
            bundled(parent_name).map_err(|_| {
                StyleError(format!(
                    "{shown}: a dependent style whose parent `{parent}` is not bundled: \
                     give the parent's .csl file instead"
                ))
            })
        }
        Err(error) => Err(StyleError(format!(
            "{shown}: not a CSL 1.0.2 style hayagriva can read: {error}"
        ))),
    }
}

/// How each work type becomes a hayagriva entry: its type, and the type of
/// the parent that holds the container (journal, proceedings, book), if any.
/// hayagriva decides the CSL type from the pair (an article in a periodical
/// is `article-journal`, in proceedings `paper-conference`).
const TYPES: &[(WorkType, EntryType, Option<EntryType>)] = &[
    (
        WorkType::JournalArticle,
        EntryType::Article,
        Some(EntryType::Periodical),
    ),
    (
        WorkType::MagazineArticle,
        EntryType::Article,
        Some(EntryType::Periodical),
    ),
    (
        WorkType::NewspaperArticle,
        EntryType::Article,
        Some(EntryType::Newspaper),
    ),
    (
        WorkType::Review,
        EntryType::Article,
        Some(EntryType::Periodical),
    ),
    (
        WorkType::ConferencePaper,
        EntryType::Article,
        Some(EntryType::Proceedings),
    ),
    (WorkType::Chapter, EntryType::Chapter, Some(EntryType::Book)),
    (
        WorkType::ReferenceEntry,
        EntryType::Entry,
        Some(EntryType::Reference),
    ),
    (WorkType::Book, EntryType::Book, None),
    (WorkType::Pamphlet, EntryType::Book, None),
    (WorkType::Proceedings, EntryType::Proceedings, None),
    (WorkType::Thesis, EntryType::Thesis, None),
    (WorkType::Report, EntryType::Report, None),
    (WorkType::Standard, EntryType::Report, None),
    (WorkType::Preprint, EntryType::Article, None),
    (WorkType::Manuscript, EntryType::Manuscript, None),
    (WorkType::Webpage, EntryType::Web, None),
    (WorkType::Software, EntryType::Repository, None),
    (WorkType::Patent, EntryType::Patent, None),
    (WorkType::Video, EntryType::Video, None),
    (WorkType::Song, EntryType::Audio, None),
    (WorkType::Graphic, EntryType::Artwork, None),
    (WorkType::LegalCase, EntryType::Case, None),
    (WorkType::Legislation, EntryType::Legislation, None),
];

/// Roles hayagriva has a name for besides author and editor.
const ROLES: &[(Role, PersonRole)] = &[
    (Role::Translator, PersonRole::Translator),
    (Role::Afterword, PersonRole::Afterword),
    (Role::Foreword, PersonRole::Foreword),
    (Role::Introduction, PersonRole::Introduction),
    (Role::Annotator, PersonRole::Annotator),
    (Role::Commentator, PersonRole::Commentator),
    (Role::Compiler, PersonRole::Compiler),
    (Role::Organizer, PersonRole::Organizer),
    (Role::Composer, PersonRole::Composer),
    (Role::Producer, PersonRole::Producer),
    (Role::ExecutiveProducer, PersonRole::ExecutiveProducer),
];

/// Text variables of the model set on the entry itself, by setter.
type TextSetter = fn(&mut Entry, FormatString);
const TEXT_FIELDS: &[(Variable, TextSetter)] = &[
    (Variable::Genre, Entry::set_genre),
    (Variable::Note, Entry::set_note),
    (Variable::Archive, Entry::set_archive),
    (Variable::ArchiveLocation, Entry::set_archive_location),
    (Variable::CallNumber, Entry::set_call_number),
];

/// Number variables of the model set on the entry itself, by setter.
type NumberSetter = fn(&mut Entry, MaybeTyped<Numeric>);
const NUMBER_FIELDS: &[(Variable, NumberSetter)] = &[
    (Variable::Edition, Entry::set_edition),
    (Variable::ChapterNumber, Entry::set_chapter),
];

/// Counts of the model set on the entry itself, by setter.
type TotalSetter = fn(&mut Entry, Numeric);
const TOTAL_FIELDS: &[(Variable, TotalSetter)] = &[
    (Variable::NumberOfVolumes, Entry::set_volume_total),
    (Variable::NumberOfPages, Entry::set_page_total),
];

/// The work as a hayagriva entry under `key`.
pub fn entry(work: &Work, key: &str) -> Entry {
    let (kind, parent_kind) = TYPES
        .iter()
        .find(|(ours, ..)| *ours == work.kind)
        .map_or((EntryType::Misc, None), |(_, kind, parent)| {
            (*kind, *parent)
        });
    let mut entry = Entry::new(key, kind);
    if let Some(title) = &work.title {
        entry.set_title(format_string(title));
    }
    if !work.authors.is_empty() {
        entry.set_authors(work.authors.iter().map(person).collect());
    }
    if !work.editors.is_empty() {
        entry.set_editors(work.editors.iter().map(person).collect());
    }
    let affiliated: Vec<PersonsWithRoles> = ROLES
        .iter()
        .filter_map(|(ours, theirs)| {
            let people = work.contributors.get(ours)?;
            Some(PersonsWithRoles::new(
                people.iter().map(person).collect(),
                theirs.clone(),
            ))
        })
        .collect();
    if !affiliated.is_empty() {
        entry.set_affiliated(affiliated);
    }
    if let Some(issued) = &work.date {
        entry.set_date(date(issued));
    }
    let venue = &work.venue;
    if let Some(volume) = &venue.volume {
        entry.set_volume(number(volume));
    }
    if let Some(issue) = &venue.issue {
        entry.set_issue(number(issue));
    }
    if let Some(pages) = &venue.pages {
        entry.set_page_range(
            // hayagriva reads ranges with a hyphen; the model's en dash
            // would leave them unread, and unprinted by some styles.
            PageRanges::from_str(&pages.replace('–', "-"))
                .map(MaybeTyped::Typed)
                .unwrap_or_else(|_| MaybeTyped::String(pages.clone())),
        );
    }
    // An arXiv preprint is published by arXiv, numbered by its id, and
    // found at its abstract page, as the CSL-JSON writer says too.
    let on_arxiv = work.kind == WorkType::Preprint && work.is_on_arxiv();
    let publisher = venue
        .publisher
        .clone()
        .or_else(|| on_arxiv.then(|| "arXiv".to_owned()));
    if publisher.is_some() || venue.place.is_some() {
        let plain = |text: Option<String>| text.map(|text| name_string(&text));
        entry.set_publisher(Publisher::new(plain(publisher), plain(venue.place.clone())));
    }
    for (variable, set) in TEXT_FIELDS {
        if let Some(text) = work.fields.get(variable) {
            set(&mut entry, format_string(text));
        }
    }
    if let Some(language) = work.fields.get(&Variable::Language) {
        entry.set_language(item_language(&plain_text(language)).unwrap_or_default());
    }
    for (variable, set) in NUMBER_FIELDS {
        if let Some(text) = work.fields.get(variable) {
            set(
                &mut entry,
                number(&crate::write::cv::plain(&crate::write::cv::pieces(text))),
            );
        }
    }
    let number = work
        .fields
        .get(&Variable::Number)
        .map(plain_text)
        .or_else(|| {
            let id = work.ids.arxiv.as_ref()?;
            Some(format!("arXiv:{id}"))
        });
    if let Some(number) = number {
        let first_word = number.split_whitespace().next().unwrap_or_default();
        let number = match first_word.chars().skip(1).any(char::is_uppercase) {
            true => format!("{WORD_JOINER}{number}"),
            false => number,
        };
        entry.set_keyed_serial_number("serial", number);
    }
    let ids = &work.ids;
    if let Some(doi) = &ids.doi {
        entry.set_doi(doi.clone());
    }
    if let Some(arxiv) = &ids.arxiv {
        entry.set_arxiv(arxiv.clone());
    }
    if let Some(isbn) = &ids.isbn {
        entry.set_isbn(isbn.clone());
    }
    if let Some(issn) = &ids.issn {
        entry.set_issn(issn.clone());
    }
    // A URL hayagriva cannot parse is left out rather than failing the item.
    let arxiv_page = ids
        .arxiv
        .as_ref()
        .map(|id| format!("https://arxiv.org/abs/{id}"));
    if let Some(url) = ids
        .url
        .as_deref()
        .or(arxiv_page.as_deref())
        .and_then(|url| url.parse().ok())
    {
        let accessed = work.dates.get(&DateVariable::Accessed).map(date);
        entry.set_url(QualifiedUrl::new(url, accessed));
    }
    for (variable, set) in TOTAL_FIELDS {
        if let Some(total) = work.fields.get(variable).map(plain_text) {
            if let Ok(total) = Numeric::from_str(&total) {
                set(&mut entry, total);
            }
        }
    }
    if let Some(short) = work.fields.get(&Variable::TitleShort) {
        if let Some(mut title) = entry.title().cloned() {
            title.short = Some(Box::new(format_string(short).value));
            entry.set_title(title);
        }
    }
    // The series: hayagriva finds it as a parent of the same type as the
    // book (or proceedings) that holds it.
    let series = work.fields.get(&Variable::CollectionTitle).map(|title| {
        (
            title,
            work.fields.get(&Variable::CollectionNumber).map(plain_text),
        )
    });
    let series_entry = |kind: EntryType| {
        series.map(|(title, number)| {
            let mut series = Entry::new(&format!("{key}-series"), kind);
            series.set_title(format_string(title));
            if let Some(number) = number {
                series.set_volume(self::number(&number));
            }
            series
        })
    };
    match (parent_kind, &venue.container_title) {
        (Some(parent_kind), Some(container)) => {
            let mut parent = Entry::new(&format!("{key}-container"), parent_kind);
            let mut title = format_string(container);
            title.short = work
                .fields
                .get(&Variable::ContainerTitleShort)
                .map(|short| Box::new(format_string(short).value));
            parent.set_title(title);
            parent.set_parents(series_entry(parent_kind).into_iter().collect());
            entry.set_parents(vec![parent]);
        }
        // hayagriva knows an article's CSL type (`article-journal`,
        // `paper-conference`) only from its parent: an article whose
        // journal is not named still has one, without a title, or it
        // reads as a preprint ("Preprint" in chicago-author-date).
        (Some(parent_kind), None) if kind == EntryType::Article => {
            let parent = Entry::new(&format!("{key}-container"), parent_kind);
            entry.set_parents(vec![parent]);
        }
        _ if matches!(kind, EntryType::Book | EntryType::Proceedings) => {
            entry.set_parents(series_entry(kind).into_iter().collect());
        }
        _ => {}
    }
    entry
}

/// The language of an item by its primary subtag ("fr" of "fr-CA" or
/// "FR"); none ("undetermined") where the text starts with no language
/// code ("french language").
///
/// CSL changes the case of titles in English only, and so does hayagriva
/// when it knows the item's language: a French title keeps its case
/// ("Étude des réseaux"). Only the primary subtag is read, as CSL
/// processors read "en--comments" as English.
fn item_language<T: FromStr>(text: &str) -> Option<T> {
    let primary = text
        .trim()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    primary.to_ascii_lowercase().parse().ok()
}

/// A model date as hayagriva's, which counts months and days from zero,
/// and years before 1 AD from zero too (CSL's `-44`, 44 BC, is its `-43`).
fn date(value: &DateValue) -> HDate {
    let year = value.start.year;
    HDate {
        year: if year < 0 { year + 1 } else { year },
        month: value.start.month.map(|month| month.number() - 1),
        day: value.start.day.map(|day| day.saturating_sub(1)),
        approximate: value.circa,
        season: None,
    }
}

/// A name as hayagriva's string: one with capitals inside a word
/// ("arXiv", "bioRxiv") is kept as written, as CSL processors leave such
/// words alone when they change case.
fn name_string(text: &str) -> FormatString {
    let inner_capital = text
        .split_whitespace()
        .any(|word| word.chars().skip(1).any(char::is_uppercase));
    let kind = match inner_capital {
        true => ChunkKind::Verbatim,
        false => ChunkKind::Normal,
    };
    FormatString {
        value: StringChunk::new(typographic_apostrophes(text), kind).into(),
        short: None,
    }
}

fn number(value: &str) -> MaybeTyped<Numeric> {
    Numeric::from_str(value)
        .map(MaybeTyped::Typed)
        .unwrap_or_else(|_| MaybeTyped::String(value.to_owned()))
}

fn person(person: &Person) -> HPerson {
    let mut person = written_person(person);
    // A name holds no quotes: each `'` is an apostrophe, also at the
    // start of a word ("’t Hooft"), as CSL processors print it.
    let typographic = |text: &mut String| *text = text.replace('\'', "’");
    typographic(&mut person.name);
    person.given_name = person
        .given_name
        .as_deref()
        .map(|given| kept_abbreviations(&spaced_initials(given)));
    person.given_name.as_mut().map(typographic);
    person.prefix.as_mut().map(typographic);
    person
}

/// Initials run together ("M.E", "J.R.R.") as separate words ("M. E",
/// "J. R. R."): CSL reads a period inside a given name as the end of an
/// initial, hayagriva only white space, so it made "M.E" one initial.
fn spaced_initials(given: &str) -> String {
    let mut out = String::with_capacity(given.len() + 4);
    let mut chars = given.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' && chars.peek().is_some_and(|next| next.is_alphabetic()) {
            out.push(' ');
        }
    }
    out
}

/// Given names with each abbreviation of more than one letter ("Ph.",
/// "Chr.", "ME.") kept whole: CSL takes a part of a given name that ends in
/// a period for an initial already, and prints it as written where the
/// style initializes ("Ph. J."), where hayagriva takes its first letter
/// ("P. J."). hayagriva initializes a part to its first grapheme, so the
/// letters after the first are passed as marks that join it
/// ([`hidden_letters`]) and the walk spells them again.
fn kept_abbreviations(given: &str) -> String {
    let mut out = String::with_capacity(given.len());
    for (i, word) in given.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for (j, part) in word.split('-').enumerate() {
            if j > 0 {
                out.push('-');
            }
            out.push_str(&kept_abbreviation(part));
        }
    }
    out
}

/// One part of a given name, its letters after the first hidden when it is
/// a capitalized abbreviation of more than one letter.
fn kept_abbreviation(part: &str) -> std::borrow::Cow<'_, str> {
    let Some(letters) = part.strip_suffix('.') else {
        return part.into();
    };
    let mut chars = letters.chars();
    match chars.next() {
        Some(first) if first.is_uppercase() && !chars.as_str().is_empty() => {
            format!("{first}{}.", hidden_letters(chars.as_str())).into()
        }
        _ => part.into(),
    }
}

/// Marks that hide a letter inside the grapheme before them: each
/// letter's code point as hexadecimal digits, written as variation
/// selectors, and a cancel tag; both join the grapheme before them.
const HEX_DIGIT: char = '\u{FE00}';
/// The mark that ends each hidden letter (see [`HEX_DIGIT`]).
const HIDDEN_END: char = '\u{E007F}';

/// Text as marks that join the grapheme before it (see [`HEX_DIGIT`]).
fn hidden_letters(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        for digit in format!("{:x}", u32::from(c)).chars() {
            let value = digit.to_digit(16).unwrap_or_default();
            out.push(char::from_u32(u32::from(HEX_DIGIT) + value).unwrap_or(HEX_DIGIT));
        }
        out.push(HIDDEN_END);
    }
    out
}

/// Text with the letters hidden by [`hidden_letters`] spelled again;
/// variation selectors that no cancel tag ends are left as they are.
fn shown_letters(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(HIDDEN_END) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    for c in text.chars() {
        let offset = u32::from(c).wrapping_sub(u32::from(HEX_DIGIT));
        if offset < 16 {
            digits.push(c);
        } else if c == HIDDEN_END && !digits.is_empty() {
            let code = digits.chars().fold(0u32, |code, digit| {
                code.wrapping_mul(16)
                    .wrapping_add(u32::from(digit) - u32::from(HEX_DIGIT))
            });
            out.extend(char::from_u32(code));
            digits.clear();
        } else {
            out.push_str(&digits);
            digits.clear();
            out.push(c);
        }
    }
    out.push_str(&digits);
    out.into()
}

/// The work's archive place in the entry's abstract, where the style was
/// steered to read it there: hayagriva's entries have no archive place.
fn carry_archive_place(entry: &mut Entry, work: &Work) {
    if let Some(place) = work.fields.get(&Variable::ArchivePlace) {
        entry.set_abstract_(format_string(place));
    }
}

/// A family name after its particle: CSL joins a particle that ends in an
/// apostrophe or hyphen without a space ("d’Alembert", "al-Aswānī").
fn with_particle(particle: &str, family: &str) -> String {
    match particle.ends_with(['\'', '’', '-']) {
        true => format!("{particle}{family}"),
        false => format!("{particle} {family}"),
    }
}

/// The model's name as hayagriva's, as written.
fn written_person(person: &Person) -> HPerson {
    match person {
        // hayagriva's prefix is CSL's dropping particle ("Beethoven, L.
        // van"); a particle that stays with the family name ("van
        // Beethoven, L.") is part of it.
        Person::Personal(name) if !name.dropping_particle && name.particle.is_some() => HPerson {
            name: with_particle(name.particle.as_deref().unwrap_or_default(), &name.family),
            given_name: name.given.clone(),
            prefix: None,
            suffix: name.suffix.clone(),
            comma_suffix: false,
            alias: None,
        },
        Person::Personal(name) => HPerson {
            name: family_name(&name.family),
            given_name: name.given.clone(),
            prefix: name.particle.clone(),
            suffix: name.suffix.clone(),
            comma_suffix: false,
            alias: None,
        },
        Person::Literal(name) => HPerson {
            name: name.replace(' ', &FAMILY_SPACE.to_string()),
            given_name: None,
            prefix: None,
            suffix: None,
            comma_suffix: false,
            alias: None,
        },
    }
}

fn plain_text(text: &Text) -> String {
    crate::write::cv::plain(&crate::write::cv::pieces(text))
}

/// Rich text as hayagriva's string: case-protected spans stay verbatim so
/// a style's title or sentence case leaves them alone; math reads as its
/// Unicode where it has one.
///
/// hayagriva's title case also changes what CSL leaves alone, so those
/// words are made verbatim too: a word with a capital after its first
/// letter ("CycleGAN", "BERT", "arXiv"), and a capitalised last word
/// ("Book A"). Straight apostrophes become typographic ones, as CSL
/// processors print them ("O’Neil"), and quotes are marked to be spelled
/// as the locale's once rendered.
fn format_string(text: &Text) -> FormatString {
    let mut plain = String::new();
    collect_plain(&text.inlines, &mut plain);
    // CSL never lowers the last word: its place, counted in words as the
    // chunks go, if it starts with a capital.
    let mut words_of_text = plain.split_whitespace();
    let last_word = words_of_text
        .next_back()
        .filter(|word| word.starts_with(char::is_uppercase))
        .map(|_| words_of_text.count() + 1);
    let mut chunks = ChunkedString::new();
    let mut words = Words::default();
    push_chunks(&text.inlines, false, last_word, &mut words, &mut chunks);
    quotes::mark(&mut chunks);
    FormatString {
        value: chunks,
        short: None,
    }
}

/// Where the chunks are in the string's words.
#[derive(Default)]
struct Words {
    /// Words begun so far.
    begun: usize,
    /// Whether the text so far ends inside a word.
    inside: bool,
    /// Whether the last word ended a sentence or opened a subtitle
    /// (`:`, `?`, `!`, `.`).
    after_stop: bool,
}

fn collect_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) | Inline::Math(text) => out.push_str(text),
            Inline::Protected(inner) | Inline::Styled(_, inner) => collect_plain(inner, out),
        }
    }
}

fn push_chunks(
    inlines: &[Inline],
    protected: bool,
    last_word: Option<usize>,
    words: &mut Words,
    chunks: &mut ChunkedString,
) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => push_words(
                &typographic_apostrophes(text),
                protected,
                last_word,
                words,
                chunks,
            ),
            Inline::Protected(inner) => push_chunks(inner, true, last_word, words, chunks),
            Inline::Styled(_, inner) => push_chunks(inner, protected, last_word, words, chunks),
            Inline::Math(tex) => {
                let parts = tex.split_whitespace().count();
                if parts > 0 {
                    // The first part may go on the word before.
                    words.begun += parts - usize::from(words.inside);
                    words.inside = !tex.ends_with(char::is_whitespace);
                }
                // A formula's letters are symbols: title case leaves
                // "α-stable" alone, as CSL processors do.
                match math::to_unicode(tex) {
                    Some(unicode) => chunks.push_str(&unicode, ChunkKind::Verbatim),
                    None => chunks.push_str(&format!("${tex}$"), ChunkKind::Verbatim),
                }
            }
        }
    }
}

/// An invisible character that steers hayagriva's case changes where
/// chunk kinds cannot; the walk removes it. Put before white space that
/// opens a normal chunk after a verbatim one, as hayagriva drops such
/// white space ("{IEEE} 24th" read "IEEE24th"), and white space inside the
/// verbatim chunk would make it take the next word as going on ("ACSM’s
/// resource" in title case). Put before a number whose first word has a
/// capital inside, which CSL's capitalize-first leaves alone ("arXiv:…").
const WORD_JOINER: char = '\u{2060}';

/// Stands for a space inside a family name that starts with a capital
/// ("La Fontaine", "Da Silva") or a literal name: hayagriva takes a
/// leading word it knows as a particle ("la", "da") in any case for a
/// non-dropping one, and with `demote-non-dropping-particle` moves it after
/// the given name ("Fontaine, Jean de La"); CSL processors take only
/// lowercase words for particles ("van Gogh") and keep such names whole.
/// The walk puts the space back.
const FAMILY_SPACE: char = '\u{E000}';

/// A family name as hayagriva should read it: spaces kept where it may
/// start with a particle (a lowercase word), else [`FAMILY_SPACE`]s.
fn family_name(family: &str) -> String {
    if family.starts_with(char::is_lowercase) {
        return family.to_owned();
    }
    family.replace(' ', &FAMILY_SPACE.to_string())
}

/// Text as hayagriva printed it, without the characters that steered it.
fn unsteered(text: &str) -> String {
    shown_letters(text)
        .chars()
        .filter(|&c| c != WORD_JOINER)
        .map(|c| if c == FAMILY_SPACE { ' ' } else { c })
        .collect()
}

/// Text word by word, each normal or verbatim.
fn push_words(
    text: &str,
    protected: bool,
    last_word: Option<usize>,
    words: &mut Words,
    chunks: &mut ChunkedString,
) {
    let last_kind = |chunks: &ChunkedString| {
        chunks
            .0
            .last()
            .map_or(ChunkKind::Normal, |chunk| chunk.kind)
    };
    for token in text.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        let space = &token[word.len()..];
        if !word.is_empty() {
            if !words.inside {
                words.begun += 1;
            }
            let opens_sentence = words.begun == 1 || words.after_stop;
            let keeps_case = protected
                || word.chars().skip(1).any(char::is_uppercase)
                || last_word == Some(words.begun)
                || title_case_keeps(word, opens_sentence);
            words.after_stop = word.ends_with([':', '?', '!', '.']);
            let kind = match keeps_case {
                true => ChunkKind::Verbatim,
                false => ChunkKind::Normal,
            };
            chunks.push_str(word, kind);
        }
        words.inside = space.is_empty();
        if !space.is_empty() {
            let after_verbatim = last_kind(chunks) == ChunkKind::Verbatim;
            match protected {
                true => chunks.push_str(space, ChunkKind::Verbatim),
                false if after_verbatim => {
                    chunks.push_str(&format!("{WORD_JOINER}{space}"), ChunkKind::Normal)
                }
                false => chunks.push_str(space, ChunkKind::Normal),
            }
        }
    }
}

/// Stop words CSL processors leave in lowercase in title case: CSL
/// 1.0.2's, and "about", which citeproc-js and pandoc add.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor",
    "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
];

/// The words hayagriva writes in lowercase in title case, whatever their
/// case in the title.
const LOWERED_BY_HAYAGRIVA: &[&str] = &[
    "a",
    "above",
    "across",
    "against",
    "among",
    "an",
    "and",
    "around",
    "as",
    "at",
    "behind",
    "below",
    "beneath",
    "beside",
    "between",
    "but",
    "by",
    "down",
    "during",
    "for",
    "from",
    "front",
    "in",
    "inside",
    "into",
    "near",
    "nor",
    "of",
    "on",
    "onto",
    "or",
    "over",
    "since",
    "so",
    "the",
    "till",
    "to",
    "toward",
    "under",
    "underneath",
    "until",
    "up",
    "via",
    "with",
    "within",
    "yet",
];

/// Whether a word keeps its case in title case where hayagriva would
/// change it. CSL processors capitalize lowercase words other than stop
/// words and leave the rest as written; hayagriva also lowers capitalized
/// words on its own list ("Matter For Bayesian") and capitalizes stop
/// words after a comma ("Translation, And Comprehension") and "about". A
/// lowercase stop word that opens a sentence or subtitle is capitalized
/// by both.
fn title_case_keeps(word: &str, opens_sentence: bool) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    let mut chars = core.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest_lower = chars.all(char::is_lowercase);
    let lower = core.to_lowercase();
    match first.is_uppercase() {
        true => rest_lower && LOWERED_BY_HAYAGRIVA.contains(&lower.as_str()),
        false => !opens_sentence && rest_lower && STOP_WORDS.contains(&core),
    }
}

/// `'` after a letter as `’`.
fn typographic_apostrophes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\'') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut previous = None;
    for c in text.chars() {
        match c {
            '\'' if previous.is_some_and(char::is_alphabetic) => out.push('’'),
            _ => out.push(c),
        }
        previous = Some(c);
    }
    out.into()
}

/// Which of a style's labels lead their items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Every label, numbers too (`[1]`): the list numbers nothing itself.
    All,
    /// Labels other than numbers (`[Lim20]`): where the list numbers its
    /// items itself (or shows one item alone), a style's number would say
    /// again what the list says, or, counting down, contradict it.
    ButNumbers,
}

/// Each work formatted by the style, in the order given (a CV orders its
/// items itself), as pieces; the names for which `is_owner` holds are
/// [`Style::Strong`]. A label the style gives (`[1]`, `[Lim20]`) leads its
/// item as `labels` says.
pub fn render(
    works: &[&Work],
    is_owner: &dyn Fn(&Person) -> bool,
    style: &CitationStyle,
    labels: Labels,
) -> Vec<Vec<Piece>> {
    let entries: Vec<Entry> = works
        .iter()
        .enumerate()
        .map(|(index, work)| {
            let mut entry = entry(work, &index.to_string());
            if style.archive_place_carried {
                carry_archive_place(&mut entry, work);
            }
            entry
        })
        .collect();
    let by_key: HashMap<String, usize> = (0..works.len()).map(|i| (i.to_string(), i)).collect();
    // hayagriva renders a bibliography item whose citations it told apart
    // by adding names with the citation's names ("Lim, Park, et al."),
    // where CSL keeps the bibliography's. So the list is rendered twice:
    // once without disambiguation, which also gives the style's order, and
    // once with it, cited in that order so that year suffixes run down the
    // list (`2019a` before `2019b`). An item whose names the second pass
    // changed is taken from the first.
    let mut undisambiguated = style.style.clone();
    let citation = &mut undisambiguated.citation;
    citation.disambiguate_add_names = false;
    citation.disambiguate_add_givenname = false;
    citation.disambiguate_add_year_suffix = false;
    let plain = bibliography(entries.iter(), &undisambiguated, style);
    let in_style_order = plain
        .iter()
        .filter_map(|item| by_key.get(&item.key).map(|&index| &entries[index]));
    let stand_in = dated_stand_in(&style.style);
    let disambiguated = bibliography(in_style_order.chain(&stand_in), &style.style, style);
    let plain: HashMap<&str, &BibliographyItem> =
        plain.iter().map(|item| (item.key.as_str(), item)).collect();
    let mut items: Vec<Vec<Piece>> = vec![Vec::new(); works.len()];
    for item in &disambiguated {
        let Some(&index) = by_key.get(&item.key) else {
            continue;
        };
        let item = match plain.get(item.key.as_str()) {
            Some(plain) if names_text(&plain.content) != names_text(&item.content) => plain,
            _ => item,
        };
        let walker = Walker {
            work: works[index],
            is_owner,
            url: url_as_written(works[index], &entries[index]),
        };
        let mut pieces = Vec::new();
        if let Some(first) = &item.first_field {
            let mut label = Vec::new();
            walker.child(first, &mut label, false);
            let a_number = !crate::write::cv::plain(&label)
                .chars()
                .any(char::is_alphabetic);
            if labels == Labels::All || !a_number {
                pieces.extend(label);
                pieces.push(Piece::text(" "));
            }
        }
        walker.children(&item.content, &mut pieces, false);
        let mut pieces = tidy(pieces);
        labels::pick(&mut pieces, &entries[index]);
        steer::drop_empty_dates(&mut pieces);
        style.quotes.spell(&mut pieces);
        punctuate(&mut pieces, style.punctuation_in_quote, &mut String::new());
        items[index] = pieces;
    }
    items
}

/// An entry cited after the list, and never shown, that makes hayagriva
/// add year suffixes to works without a date too.
///
/// CSL gives ambiguous citations year suffixes whether or not they
/// print a date (`n.d.-a`, `n.d.-b`, wherever the style places the
/// `year-suffix` variable). hayagriva adds them only when some citation of
/// the document prints a date, so a list of undated works is never told
/// apart. A cited work that prints a date, whose title no work shares (a
/// private-use character), lets its rule run on the others; it is not
/// ambiguous with any of them, so it changes no one's suffix. Styles that
/// add no year suffixes (numeric ones) get no such entry.
fn dated_stand_in(csl: &IndependentStyle) -> Option<Entry> {
    if !csl.citation.disambiguate_add_year_suffix {
        return None;
    }
    let mut entry = Entry::new(STAND_IN_KEY, EntryType::Misc);
    entry.set_title(FormatString {
        value: StringChunk::verbatim("\u{F8FF}").into(),
        short: None,
    });
    entry.set_date(HDate::from_year(1));
    Some(entry)
}

/// The key of [`dated_stand_in`]; the works' keys are numbers.
const STAND_IN_KEY: &str = "dated-stand-in";

/// The entries cited once each, in the order given, and rendered as the
/// style's bibliography.
fn bibliography<'a>(
    entries: impl Iterator<Item = &'a Entry>,
    csl: &IndependentStyle,
    style: &CitationStyle,
) -> Vec<BibliographyItem> {
    let mut driver = BibliographyDriver::new();
    for entry in entries {
        driver.citation(CitationRequest::new(
            vec![CitationItem::with_entry(entry)],
            csl,
            Some(style.locale.clone()),
            &style.locales,
            None,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(
        csl,
        Some(style.locale.clone()),
        &style.locales,
    ));
    rendered.bibliography.map(|b| b.items).unwrap_or_default()
}

/// The text of every name list in an item, to tell whether two renderings
/// name the people alike.
fn names_text(children: &ElemChildren) -> String {
    let mut text = String::new();
    for child in &children.0 {
        if let ElemChild::Elem(elem) = child {
            if matches!(elem.meta, Some(ElemMeta::Names(_))) {
                text.push_str(&format!("{:?}|", elem.children));
            } else {
                text.push_str(&names_text(&elem.children));
            }
        }
    }
    text
}

/// The work's URL as hayagriva prints it and as written, where they
/// differ: hayagriva prints a URL as its parser normalised it
/// (`http://example.com` with a slash added), CSL processors as written.
fn url_as_written<'a>(work: &'a Work, entry: &Entry) -> Option<(String, &'a str)> {
    let written = work.ids.url.as_deref()?;
    let printed = entry.url()?.value.to_string();
    (printed != written).then_some((printed, written))
}

/// Walks hayagriva's output tree into pieces.
struct Walker<'a> {
    work: &'a Work,
    is_owner: &'a dyn Fn(&Person) -> bool,
    /// The work's URL as hayagriva prints it, and as written.
    url: Option<(String, &'a str)>,
}

impl Walker<'_> {
    fn children(&self, children: &ElemChildren, out: &mut Vec<Piece>, strong: bool) {
        for child in &children.0 {
            self.child(child, out, strong);
        }
    }

    fn child(&self, child: &ElemChild, out: &mut Vec<Piece>, strong: bool) {
        match child {
            ElemChild::Text(formatted) => {
                let text = unsteered(&formatted.text);
                out.push(styled(&formatted.formatting, Piece::text(&text)))
            }
            ElemChild::Markup(markup) => out.push(Piece::text(markup)),
            ElemChild::Link { text, url } => {
                let shown = match &self.url {
                    Some((printed, written)) if *printed == text.text => written.to_string(),
                    _ => unsteered(&text.text),
                };
                out.push(Piece::Link {
                    url: url.clone(),
                    text: vec![styled(&text.formatting, Piece::text(shown))],
                })
            }
            ElemChild::Transparent { .. } => {}
            ElemChild::Elem(elem) => {
                // A single name: bold when it is one of the owner's, found by
                // its place in the work's list, so that a style's initials
                // ("Lim, S.") need no matching.
                let owner = match &elem.meta {
                    Some(ElemMeta::Name(variable, index)) => self
                        .people(variable)
                        .and_then(|people| people.get(*index))
                        .is_some_and(|person| (self.is_owner)(person)),
                    _ => false,
                };
                if owner && !strong {
                    let mut inner = Vec::new();
                    self.children(&elem.children, &mut inner, true);
                    out.push(Piece::Styled(Style::Strong, inner));
                } else {
                    self.children(&elem.children, out, strong);
                }
            }
        }
    }

    /// The work's people behind a CSL name variable.
    fn people(&self, variable: &NameVariable) -> Option<&[Person]> {
        let role = match variable {
            NameVariable::Author => return Some(&self.work.authors),
            NameVariable::Editor => return Some(&self.work.editors),
            NameVariable::Translator => Role::Translator,
            NameVariable::Compiler => Role::Compiler,
            NameVariable::Composer => Role::Composer,
            NameVariable::Organizer => Role::Organizer,
            NameVariable::Producer => Role::Producer,
            NameVariable::ExecutiveProducer => Role::ExecutiveProducer,
            _ => return None,
        };
        self.work.contributors.get(&role).map(Vec::as_slice)
    }
}

/// Text in hayagriva's formatting as nested styled pieces.
fn styled(formatting: &Formatting, piece: Piece) -> Piece {
    let layers = [
        (formatting.font_style == FontStyle::Italic, Style::Emphasis),
        (formatting.font_weight == FontWeight::Bold, Style::Strong),
        (
            formatting.font_variant == FontVariant::SmallCaps,
            Style::SmallCaps,
        ),
        (
            formatting.vertical_align == VerticalAlign::Sup,
            Style::Superscript,
        ),
        (
            formatting.vertical_align == VerticalAlign::Sub,
            Style::Subscript,
        ),
    ];
    layers
        .into_iter()
        .filter(|(on, _)| *on)
        .fold(piece, |piece, (_, style)| Piece::Styled(style, vec![piece]))
}

/// Joins neighbouring text and neighbouring pieces of one style, and drops
/// empty text, so writers see as few pieces as the item needs.
fn tidy(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let piece = match piece {
            Piece::Styled(style, inner) => Piece::Styled(style, tidy(inner)),
            Piece::Link { url, text } => Piece::Link {
                url,
                text: tidy(text),
            },
            other => other,
        };
        match (out.last_mut(), piece) {
            (_, Piece::Text(text)) if text.is_empty() => {}
            // hayagriva closes an abbreviated name's last initial after
            // the name's element: the period belongs in the bold name.
            (Some(Piece::Styled(Style::Strong, name)), Piece::Text(text))
                if text.starts_with('.') && ends_with_initial(&crate::write::cv::plain(name)) =>
            {
                name.push(Piece::text("."));
                *name = tidy(std::mem::take(name));
                out.push(Piece::text(&text[1..]));
                out.retain(|piece| !matches!(piece, Piece::Text(text) if text.is_empty()));
            }
            (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
            (Some(Piece::Styled(last_style, last)), Piece::Styled(style, mut inner))
                if *last_style == style =>
            {
                last.append(&mut inner);
                let joined = tidy(std::mem::take(last));
                *last = joined;
            }
            (_, piece) => out.push(piece),
        }
    }
    out
}

/// Punctuation as CSL processors leave it where hayagriva does not: no
/// period or comma after a `?`, `!` or a word's period ("Tabular
/// Data?.", "REM Sleep.."), also across a closing quote, and, where the
/// locale says so, a period or comma moved inside a closing quote (`”,`
/// → `,”`). `before` is the text before the pieces.
fn punctuate(pieces: &mut [Piece], in_quote: bool, before: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                let start = before.len();
                let mut chars = text.chars().peekable();
                while let Some(c) = chars.next() {
                    push_punctuated(before, start, c, chars.peek().copied(), in_quote);
                }
                *text = before[start..].to_owned();
            }
            Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => {
                punctuate(inner, in_quote, before)
            }
            Piece::Math(_) => before.clear(),
        }
    }
}

/// Adds `c`, followed by `next`, to `out`, changing nothing before `start`
/// (earlier pieces).
fn push_punctuated(out: &mut String, start: usize, c: char, next: Option<char>, in_quote: bool) {
    if c == '”' {
        // A comma or period hayagriva moved inside after the title's own
        // stop ("Sleep.,”").
        let mut last = out[start..].chars().rev();
        let doubled = matches!(last.next(), Some('.' | ','))
            && match last.next() {
                Some('?' | '!') => true,
                // A word's period, not an ellipsis.
                Some('.') => last.next().is_some_and(char::is_alphanumeric),
                _ => false,
            };
        if doubled {
            out.pop();
        }
    }
    if !matches!(c, '.' | ',') {
        out.push(c);
        return;
    }
    let mut last = out.chars().rev();
    let (quoted, ends) = match last.next() {
        Some('”') => (true, last.next()),
        other => (false, other),
    };
    let after_stop = match ends {
        Some('?' | '!') => true,
        // A word's period ("Sleep."), not an ellipsis.
        Some('.') => last.next().is_some_and(char::is_alphanumeric),
        _ => false,
    };
    let ellipsis = c == '.' && next == Some('.');
    if after_stop && !ellipsis && (quoted || c == '.' || ends != Some('.')) {
        return;
    }
    if quoted && in_quote && out.len() - '”'.len_utf8() >= start {
        out.truncate(out.len() - '”'.len_utf8());
        out.push(c);
        out.push('”');
    } else {
        out.push(c);
    }
}

/// "Lim, S" or "S.-E": a name whose last word is a single capital.
fn ends_with_initial(name: &str) -> bool {
    let mut chars = name.chars().rev();
    let last = chars.next().is_some_and(char::is_uppercase);
    last && chars.next().is_none_or(|c| !c.is_alphanumeric())
}

mod check;
mod labels;
mod quotes;
mod steer;
#[cfg(test)]
mod tests;
