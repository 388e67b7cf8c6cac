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
    archive, BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, ElemMeta, Entry, Formatting,
};

use crate::model::{Inline, Person, Role, Style, Text, Variable, Work, WorkType};
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

/// The names of the bundled styles, sorted.
pub fn bundled_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = archive::ArchivedStyle::all()
        .iter()
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
        let (name, style) = match choice {
            Choice::Bundled(name) => (name.clone(), bundled(name)?),
            Choice::File(path) => (path.display().to_string(), from_file(path)?),
        };
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
        Ok(CitationStyle {
            name,
            style,
            locale: LocaleCode(tag.to_owned()),
            locales,
        })
    }
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
    if let Some(date) = &work.date {
        entry.set_date(HDate {
            year: date.start.year,
            month: date.start.month.map(|month| month.number() - 1),
            day: date.start.day.map(|day| day.saturating_sub(1)),
            approximate: date.circa,
            season: None,
        });
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
        entry.set_url(QualifiedUrl::new(url, None));
    }
    if let (Some(parent_kind), Some(container)) = (parent_kind, &venue.container_title) {
        let mut parent = Entry::new(&format!("{key}-container"), parent_kind);
        parent.set_title(format_string(container));
        entry.set_parents(vec![parent]);
    }
    entry
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
        value: StringChunk::new(text, kind).into(),
        short: None,
    }
}

fn number(value: &str) -> MaybeTyped<Numeric> {
    Numeric::from_str(value)
        .map(MaybeTyped::Typed)
        .unwrap_or_else(|_| MaybeTyped::String(value.to_owned()))
}

fn person(person: &Person) -> HPerson {
    match person {
        // hayagriva's prefix is CSL's dropping particle ("Beethoven, L.
        // van"); a particle that stays with the family name ("van
        // Beethoven, L.") is part of it.
        Person::Personal(name) if !name.dropping_particle && name.particle.is_some() => HPerson {
            name: format!(
                "{} {}",
                name.particle.as_deref().unwrap_or_default(),
                name.family
            ),
            given_name: name.given.clone(),
            prefix: None,
            suffix: name.suffix.clone(),
            comma_suffix: false,
            alias: None,
        },
        Person::Personal(name) => HPerson {
            name: name.family.clone(),
            given_name: name.given.clone(),
            prefix: name.particle.clone(),
            suffix: name.suffix.clone(),
            comma_suffix: false,
            alias: None,
        },
        Person::Literal(name) => HPerson {
            name: name.clone(),
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
fn format_string(text: &Text) -> FormatString {
    let mut chunks = ChunkedString::new();
    push_chunks(&text.inlines, false, &mut chunks);
    FormatString {
        value: chunks,
        short: None,
    }
}

fn push_chunks(inlines: &[Inline], protected: bool, chunks: &mut ChunkedString) {
    let kind = |protected| match protected {
        true => ChunkKind::Verbatim,
        false => ChunkKind::Normal,
    };
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => {
                // hayagriva drops white space that opens a normal chunk
                // after a verbatim one ("{IEEE} 24th" read "IEEE24th"):
                // the space goes with the verbatim chunk.
                let after_verbatim = chunks
                    .0
                    .last()
                    .is_some_and(|chunk| chunk.kind == ChunkKind::Verbatim);
                let rest = text.trim_start();
                let space = &text[..text.len() - rest.len()];
                if after_verbatim && !protected && !space.is_empty() {
                    chunks.push_str(space, ChunkKind::Verbatim);
                    chunks.push_str(rest, ChunkKind::Normal);
                } else {
                    chunks.push_str(text, kind(protected));
                }
            }
            Inline::Protected(inner) => push_chunks(inner, true, chunks),
            Inline::Styled(_, inner) => push_chunks(inner, protected, chunks),
            Inline::Math(tex) => match math::to_unicode(tex) {
                Some(unicode) => chunks.push_str(&unicode, kind(protected)),
                None => chunks.push_str(&format!("${tex}$"), ChunkKind::Verbatim),
            },
        }
    }
}

/// Each work formatted by the style, in the order given (a CV orders its
/// items itself), as pieces; the names for which `is_owner` holds are
/// [`Style::Strong`]. A numbered style's label (`[1]`) leads its item.
pub fn render(
    works: &[&Work],
    is_owner: &dyn Fn(&Person) -> bool,
    style: &CitationStyle,
) -> Vec<Vec<Piece>> {
    let entries: Vec<Entry> = works
        .iter()
        .enumerate()
        .map(|(index, work)| entry(work, &index.to_string()))
        .collect();
    let mut driver = BibliographyDriver::new();
    for entry in &entries {
        driver.citation(CitationRequest::new(
            vec![CitationItem::with_entry(entry)],
            &style.style,
            Some(style.locale.clone()),
            &style.locales,
            None,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(
        &style.style,
        Some(style.locale.clone()),
        &style.locales,
    ));
    let mut items: Vec<Vec<Piece>> = vec![Vec::new(); works.len()];
    // The style may sort: keys bring each item back to its work.
    let by_key: HashMap<String, usize> = (0..works.len()).map(|i| (i.to_string(), i)).collect();
    for item in rendered.bibliography.map(|b| b.items).unwrap_or_default() {
        let Some(&index) = by_key.get(&item.key) else {
            continue;
        };
        let work = works[index];
        let walker = Walker { work, is_owner };
        let mut pieces = Vec::new();
        if let Some(first) = &item.first_field {
            walker.child(first, &mut pieces, false);
            pieces.push(Piece::text(" "));
        }
        walker.children(&item.content, &mut pieces, false);
        items[index] = tidy(pieces);
    }
    items
}

/// Walks hayagriva's output tree into pieces.
struct Walker<'a> {
    work: &'a Work,
    is_owner: &'a dyn Fn(&Person) -> bool,
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
                out.push(styled(&formatted.formatting, Piece::text(&formatted.text)))
            }
            ElemChild::Markup(markup) => out.push(Piece::text(markup)),
            ElemChild::Link { text, url } => out.push(Piece::Link {
                url: url.clone(),
                text: vec![styled(&text.formatting, Piece::text(&text.text))],
            }),
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

/// "Lim, S" or "S.-E": a name whose last word is a single capital.
fn ends_with_initial(name: &str) -> bool {
    let mut chars = name.chars().rev();
    let last = chars.next().is_some_and(char::is_uppercase);
    last && chars.next().is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests;
