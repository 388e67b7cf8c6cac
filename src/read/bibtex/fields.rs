//! What each BibTeX/BibLaTeX field becomes in the model. The entry types
//! and field aliases, which the writer shares, are in
//! [`crate::vocab::bibtex`]; by the time an entry gets here its field
//! names are BibLaTeX's.
//!
//! Fields that map one to one are in tables; the rules that combine
//! fields (title parts, containers, dates, numbers, publishers, eprints)
//! follow them, one function each. A field no rule reads is kept in the
//! work's `extra` map under its name, so the BibTeX writer can write it
//! back.

use std::borrow::Cow;

use crate::model::{
    bare_doi, page_range, Casing, Category, DateValue, DateVariable, Inline, Person, Text,
    Variable, Work, WorkType,
};
use crate::tex::{self, Dialect};
use crate::vocab::bibtex::{
    is_read, name_bit, DATE_FIELDS, DATE_FIELDS_KEPT, ENTRY_TYPES, ENTRY_TYPES_WRITTEN,
    OTHER_CSL_TYPES, ROLE_FIELDS, VARIABLE_FIELDS, YEAR_FIELDS,
};
use crate::vocab::{self, csl};

use super::{dates, names, RawEntry, RawField};

/// The bits ([`name_bit`]) of a table's names, in its order, worked out
/// when compiling: a table walked for every entry skips a name at the
/// cost of one test. (A table of more than 64 rows fails to compile.)
const fn bits_of<T>(table: &[(&str, T)]) -> [u64; 64] {
    let mut bits = [0; 64];
    let mut index = 0;
    while index < table.len() {
        bits[index] = name_bit(table[index].0);
        index += 1;
    }
    bits
}

const VARIABLE_BITS: [u64; 64] = bits_of(VARIABLE_FIELDS);
const ROLE_BITS: [u64; 64] = bits_of(ROLE_FIELDS);
const DATE_BITS: [u64; 64] = bits_of(DATE_FIELDS);
const YEAR_BITS: [u64; 64] = bits_of(YEAR_FIELDS);

/// The kind of work the BibTeX writer writes as `@entry_type` with this
/// `entrysubtype` (`@misc` with `software`; `@misc` with `map`), if any.
fn written_as(entry_type: &str, subtype: &str) -> Option<WorkType> {
    // A preprint is written without one (its eprint fields say it).
    let of_model = ENTRY_TYPES_WRITTEN
        .iter()
        .filter(|(kind, _, _)| *kind != WorkType::Preprint)
        .find(|(_, bibtex, biblatex)| {
            *bibtex == entry_type && *biblatex == subtype && bibtex != biblatex
        })
        .map(|&(kind, _, _)| kind);
    let of_csl = || {
        OTHER_CSL_TYPES
            .iter()
            .find(|(csl, bibtex, biblatex)| {
                *csl == subtype && (*bibtex == entry_type || *biblatex == entry_type)
            })
            .map(|&(csl, _, _)| WorkType::Other(csl))
    };
    of_model.or_else(of_csl)
}

/// A problem found while mapping one entry: the field's offset and what
/// to say.
pub struct Note {
    pub offset: usize,
    pub message: String,
}

/// Maps one entry (aliases resolved, inheritance done) to a work.
pub fn to_work(entry: &RawEntry<'_>, notes: &mut Vec<Note>) -> Work {
    let mut builder = Builder {
        entry,
        names: entry
            .fields
            .iter()
            .fold(0, |names, field| names | name_bit(&field.name)),
        notes,
        unknown_commands: Vec::new(),
    };
    builder.build()
}

struct Builder<'e, 'a> {
    entry: &'e RawEntry<'a>,
    /// The bits of the entry's field names ([`name_bit`]).
    names: u64,
    notes: &'e mut Vec<Note>,
    unknown_commands: Vec<String>,
}

impl<'e> Builder<'e, '_> {
    /// The value of the field of this name, if the entry has one. Inlined,
    /// as are the lookups built on it, so that the bit of a name written
    /// in the code is worked out when compiling: the rules look for a
    /// hundred names an entry and find a few.
    #[inline(always)]
    fn field(&self, name: &str) -> Option<&'e str> {
        self.field_with_bit(name, name_bit(name))
    }

    /// [`Self::field`] for a name whose bit is known.
    #[inline(always)]
    fn field_with_bit(&self, name: &str, bit: u64) -> Option<&'e str> {
        match self.names & bit {
            0 => None,
            _ => self.entry.field(name),
        }
    }

    fn build(&mut self) -> Work {
        let (mut kind, genre) = self.kind();
        // A `@misc` naming a journal is an article filed loosely (arXiv's
        // and Google Scholar's exports): its `number` is the issue.
        if kind == WorkType::Misc && self.field("journaltitle").is_some() {
            kind = WorkType::JournalArticle;
        }
        let mut work = Work {
            key: Some(self.entry.key.to_string()),
            kind,
            ..Work::default()
        };
        self.titles(&mut work);
        self.people(&mut work);
        self.dates(&mut work);
        self.venue(&mut work);
        self.identifiers(&mut work);
        self.variables(&mut work, genre);
        work.abstract_text = self.rich("abstract");
        work.keywords = self
            .plain("keywords")
            .map(|keywords| {
                keywords
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        self.extra(&mut work);
        self.arxiv_as_journal(&mut work);
        self.conference_as_journal(&mut work);
        // A `@misc` with an arXiv id (and no journal) is a preprint.
        if work.kind == WorkType::Misc && work.ids.arxiv.is_some() {
            work.kind = WorkType::Preprint;
        }
        let has_event = ["eventdate", "eventtitle", "venue"]
            .iter()
            .any(|name| self.field(name).is_some());
        if work.kind == WorkType::Manuscript && has_event {
            work.kind = WorkType::Speech;
        }
        if !self.unknown_commands.is_empty() {
            self.unknown_commands.sort();
            self.unknown_commands.dedup();
            let message = format!(
                "kept TeX command(s) pubconv does not know as written: {}",
                self.unknown_commands.join(", ")
            );
            self.notes.push(Note {
                offset: self.entry.offset,
                message,
            });
        }
        work
    }

    /// Google Scholar (and exports copied from it) files a preprint as
    /// an article in the journal `arXiv preprint arXiv:2210.07506`: read
    /// as the preprint it is, with its identifier, and said.
    fn arxiv_as_journal(&mut self, work: &mut Work) {
        let Some(journal) = work.venue.container_title.as_ref() else {
            return;
        };
        let journal = tex::plain_text(&journal.inlines);
        let id = journal
            .trim()
            .strip_prefix("arXiv preprint")
            .map(|rest| rest.trim().trim_start_matches("arXiv:").trim())
            .filter(|id| looks_like_arxiv(id));
        let Some(id) = id.map(str::to_owned) else {
            return;
        };
        if work.ids.arxiv.as_ref().is_some_and(|known| *known != id) {
            return;
        }
        work.ids.arxiv = Some(id.clone());
        work.venue.container_title = None;
        if matches!(work.kind, WorkType::JournalArticle | WorkType::Misc) {
            work.kind = WorkType::Preprint;
        }
        self.note(
            "journaltitle",
            format!("the journal `{journal}` is arXiv: read as the preprint arXiv:{id}"),
        );
    }

    /// Google Scholar types most of its exports `@article`, conference
    /// papers too (`journal={Computer Vision-ECCV 2004}`): an article of
    /// an entry in Scholar's shape whose journal is named as a
    /// conference's is read as the conference paper it is, and said. Only
    /// Scholar's shape is repaired (its `<name><year><word>` key, the
    /// title first, no DOI or URL): elsewhere the type is the author's.
    fn conference_as_journal(&mut self, work: &mut Work) {
        if self.entry.kind != "article" || work.kind != WorkType::JournalArticle {
            return;
        }
        let scholar_shaped = is_scholar_key(&self.entry.key)
            && self
                .entry
                .fields
                .first()
                .is_some_and(|field| field.name == "title")
            && self.field("doi").is_none()
            && self.field("url").is_none();
        let Some(journal) = work.venue.container_title.as_ref() else {
            return;
        };
        let journal = tex::plain_text(&journal.inlines);
        if !scholar_shaped || !vocab::scholar::is_conference(&journal) {
            return;
        }
        work.kind = WorkType::ConferencePaper;
        self.note(
            "journaltitle",
            format!(
                "the journal `{journal}` is a conference's (Google Scholar's export types conference papers as articles): read as a conference paper"
            ),
        );
    }

    fn note(&mut self, field: &str, message: String) {
        let offset = self.entry.field_offset(field).unwrap_or(self.entry.offset);
        self.notes.push(Note { offset, message });
    }

    fn kind(&mut self) -> (WorkType, Option<&'static str>) {
        let found = ENTRY_TYPES
            .iter()
            .find(|(name, _, _)| *name == self.entry.kind);
        let (mut kind, genre) = match found {
            Some(&(_, kind, genre)) => (kind, genre),
            None => {
                let message = format!("unknown entry type `@{}`; read as @misc", self.entry.kind);
                self.notes.push(Note {
                    offset: self.entry.offset,
                    message,
                });
                (WorkType::Misc, None)
            }
        };
        let subtype = self.field("entrysubtype").map(str::trim);
        match (kind, subtype) {
            (WorkType::JournalArticle, Some("magazine")) => kind = WorkType::MagazineArticle,
            (WorkType::JournalArticle, Some("newspaper")) => kind = WorkType::NewspaperArticle,
            (WorkType::Webpage | WorkType::Misc, Some("preprint")) => kind = WorkType::Preprint,
            // What the BibTeX writer keeps of a type classic BibTeX has
            // not: the BibLaTeX or CSL type, beside the type it fell back to.
            (_, Some(subtype)) => {
                if let Some(written) = written_as(&self.entry.kind, subtype) {
                    kind = written;
                }
            }
            _ => {}
        }
        (kind, genre)
    }

    /// A field's TeX as rich text.
    #[inline(always)]
    fn rich(&mut self, name: &str) -> Option<Text> {
        let value = self.field(name)?;
        self.rich_value(value)
    }

    fn rich_value(&mut self, value: &str) -> Option<Text> {
        let value = &*unmangled_math(value);
        let parsed = tex::parse(value, Dialect::Bibtex);
        self.unknown_commands.extend(parsed.unknown_commands);
        let text = Text {
            inlines: trim(parsed.inlines),
            casing: Casing::Marked,
        };
        (!text.is_empty()).then_some(text)
    }

    /// A field's TeX as plain text.
    #[inline(always)]
    fn plain(&mut self, name: &str) -> Option<String> {
        let value = self.field(name)?;
        self.plain_value(value)
    }

    fn plain_value(&mut self, value: &str) -> Option<String> {
        if tex::is_plain(value) {
            let value = value.trim();
            return (!value.is_empty()).then(|| value.to_owned());
        }
        let text = self.rich_value(value)?;
        // Blank once its braces are gone (`{{ }}`) is blank as written.
        let plain = untied(tex::plain_text(&text.inlines));
        let plain = plain.trim();
        (!plain.is_empty()).then(|| plain.to_owned())
    }

    /// A BibLaTeX list field (`publisher`, `location`): items joined by `; `.
    /// In a classic BibTeX entry it is one item, `and` and all.
    /// A list field (`publisher`, `location`) as text, its items joined
    /// by `separator`.
    fn list(&mut self, name: &str, separator: &str) -> Option<String> {
        let value = self.field(name)?;
        let items = match self.entry.biblatex {
            true => names::split_list(value),
            // Most often a single plain name: nothing to split or read.
            false if tex::is_plain(value.trim()) => {
                let value = value.trim();
                return (!value.is_empty()).then(|| value.to_owned());
            }
            false => vec![value.trim()],
        };
        let items: Vec<String> = items
            .into_iter()
            .map(|item| {
                if tex::is_plain(item) {
                    return item.trim().to_owned();
                }
                let parsed = tex::parse(item, Dialect::Bibtex);
                self.unknown_commands.extend(parsed.unknown_commands);
                untied(tex::plain_text(&parsed.inlines)).trim().to_owned()
            })
            .filter(|item| !item.is_empty())
            .collect();
        (!items.is_empty()).then(|| items.join(separator))
    }

    /// `title: subtitle. titleaddon`, from the fields with these names.
    #[inline(always)]
    fn title_parts(&mut self, title: &str, subtitle: &str, addon: &str) -> Option<Text> {
        let mut text = self.rich(title)?;
        for (name, separator) in [(subtitle, ": "), (addon, ". ")] {
            if let Some(part) = self.rich(name) {
                // After a title that ends in punctuation, a space will do.
                let ends_in_punctuation =
                    tex::plain_text(&text.inlines).ends_with(['!', '?', '.', ',', ':', ';']);
                let separator = if ends_in_punctuation { " " } else { separator };
                text.inlines.push(Inline::Plain(separator.to_owned()));
                text.inlines.extend(part.inlines);
            }
        }
        Some(text)
    }

    fn titles(&mut self, work: &mut Work) {
        let title = self.title_parts("title", "subtitle", "titleaddon");
        let main = self.title_parts("maintitle", "mainsubtitle", "maintitleaddon");
        let book = self.title_parts("booktitle", "booksubtitle", "booktitleaddon");
        let journal = self.title_parts("journaltitle", "journalsubtitle", "");
        // A book in a book is a book, but its titles read like a part's.
        let is_part = matches!(
            work.kind,
            WorkType::Chapter | WorkType::ConferencePaper | WorkType::ReferenceEntry
        ) || self.entry.kind == "bookinbook";
        // A volume of a multi-volume work: the volume's own title becomes
        // the volume title under the main title.
        // A book's own `booktitle` (a collection gives one for the parts
        // that crossref it) is no container: it is kept as written.
        let book = match is_part || work.kind == WorkType::Misc || self.entry.kind == "misc" {
            true => book,
            false => {
                for name in ["booktitle", "booksubtitle", "booktitleaddon"] {
                    if let Some(value) = self.field(name) {
                        work.extra.insert(name.to_owned(), value.to_owned());
                    }
                }
                None
            }
        };
        // A part (a paper in proceedings) with both a `booktitle` and a
        // `journal` appeared in the book; the journal is kept as written.
        let journal = if is_part && book.is_some() && journal.is_some() {
            if let Some(value) = self.field("journaltitle") {
                work.extra
                    .insert("journaltitle".to_owned(), value.to_owned());
            }
            None
        } else {
            journal
        };
        let (title, volume_title, container) = match (is_part, main) {
            (false, Some(main)) => (Some(main), title, journal.or(book)),
            (true, Some(main)) => (title, book, Some(main)),
            (_, None) => (title, None, journal.or(book)),
        };
        // A periodical's own title is the journal; an issue title is its title.
        let (title, container) = match self.entry.kind.as_str() {
            "periodical" => (self.title_parts("issuetitle", "issuesubtitle", ""), title),
            _ => (title, container),
        };
        let has_main = volume_title.is_some() && !is_part;
        work.title = title;
        work.venue.container_title = container;
        if let Some(volume_title) = volume_title {
            work.fields.insert(Variable::VolumeTitle, volume_title);
        }
        if let Some(short) = self.short_title(has_main) {
            work.fields.insert(Variable::TitleShort, short);
        }
    }

    /// `shorttitle`, except where a main title took the title's place.
    fn short_title(&mut self, has_main: bool) -> Option<Text> {
        self.rich("shorttitle").filter(|_| !has_main)
    }

    fn people(&mut self, work: &mut Work) {
        if let Some(value) = self.field("author") {
            (work.authors, work.authors_truncated) = names::parse_names(value);
        }
        if let Some(value) = self.field("editor") {
            work.editors = names::parse_names(value).0;
        }
        for (&(name, role), bit) in ROLE_FIELDS.iter().zip(&ROLE_BITS) {
            if let Some(value) = self.field_with_bit(name, *bit) {
                let people: Vec<Person> = names::parse_names(value).0;
                work.contributors.entry(role).or_default().extend(people);
            }
        }
    }

    fn dates(&mut self, work: &mut Work) {
        work.date = match (self.field("date"), self.field("year")) {
            (Some(date), _) => self.date("date", dates::parse_edtf(&self.text_of(date))),
            (None, Some(year)) => {
                let month = self.field("month").map(|m| self.text_of(m));
                let day = self.field("day").map(|d| self.text_of(d));
                let year = self.text_of(year);
                match dates::from_parts(&year, month.as_deref(), day.as_deref()) {
                    Ok(date) => Some(date),
                    // A month or day that cannot be read costs only itself.
                    Err(why) if dates::from_parts(&year, None, None).is_ok() => {
                        let message = format!("cannot read the month or day: {why}; kept the year");
                        self.note("month", message);
                        dates::from_parts(&year, None, None).ok()
                    }
                    Err(why) => self.date("year", Err(why)),
                }
            }
            (None, None) => None,
        };
        let bits = DATE_BITS[..DATE_FIELDS.len()].iter().chain(&YEAR_BITS);
        for (&(name, variable), bit) in DATE_FIELDS.iter().chain(YEAR_FIELDS).zip(bits) {
            if work.dates.contains_key(&variable) {
                continue;
            }
            if let Some(value) = self.field_with_bit(name, *bit) {
                let parsed = dates::parse_edtf(&self.text_of(value));
                if let Some(date) = self.date(name, parsed) {
                    work.dates.insert(variable, date);
                }
            }
        }
    }

    /// A date, or a warning that keeps the text in `extra`.
    fn date(&mut self, field: &str, parsed: Result<DateValue, String>) -> Option<DateValue> {
        match parsed {
            Ok(date) => Some(date),
            Err(why) => {
                self.note(
                    field,
                    format!("cannot read the date in `{field}`: {why}; kept as written"),
                );
                None
            }
        }
    }

    /// A value read as data (dates): braces and comments dropped, and no
    /// TeX ligatures, so that EDTF's `~` stays "circa".
    fn text_of<'v>(&self, value: &'v str) -> Cow<'v, str> {
        if !value.bytes().any(|byte| matches!(byte, b'{' | b'}' | b'%')) {
            return Cow::Borrowed(value.trim());
        }
        let value = names::without_comments(value);
        let text: String = value.chars().filter(|&c| c != '{' && c != '}').collect();
        Cow::Owned(text.trim().to_owned())
    }

    fn venue(&mut self, work: &mut Work) {
        let is_serial = matches!(
            work.kind,
            WorkType::JournalArticle | WorkType::MagazineArticle | WorkType::NewspaperArticle
        ) || self.entry.kind == "periodical";
        let is_book_like = matches!(
            work.kind,
            WorkType::Book
                | WorkType::Chapter
                | WorkType::ConferencePaper
                | WorkType::Proceedings
                | WorkType::ReferenceEntry
        );
        let number = self.plain("number");
        let issue = self.plain("issue");
        let number_text = self.rich("number");
        match (is_serial, number, issue) {
            (true, Some(number), Some(issue)) => {
                work.venue.issue = Some(format!("{number}, {issue}"));
            }
            (true, number, issue) => work.venue.issue = number.or(issue),
            (false, number, issue) => {
                work.venue.issue = issue;
                if let Some(number) = number_text.filter(|_| number.is_some()) {
                    let variable = if is_book_like {
                        Variable::CollectionNumber
                    } else {
                        Variable::Number
                    };
                    work.fields.insert(variable, number);
                }
            }
        }
        work.venue.volume = match (self.plain("volume"), self.plain("part")) {
            (Some(volume), Some(part)) => Some(format!("{volume}.{part}")),
            (volume, part) => volume.or(part),
        };
        work.venue.pages = self.plain("pages").map(|pages| page_range(&pages));
        let mut publishers: Vec<String> =
            ["institution", "organization", "howpublished", "publisher"]
                .into_iter()
                .filter_map(|name| match name {
                    // A bare `\url{…}` is the work's address, read below.
                    "howpublished" if self.howpublished_is_url() => None,
                    // The note pubconv writes for classic styles; the eprint
                    // fields say it all.
                    "howpublished" if self.is_arxiv_note() => None,
                    // Said again for classic styles, which print it.
                    "howpublished" if self.plain("howpublished") == self.plain("booktitle") => None,
                    "howpublished" => self.plain(name),
                    // biblatex prints a list of publishers joined by
                    // "and" ("Springer Science and Business Media LLC"),
                    // and so does CSL's one publisher variable.
                    _ => self.list(name, " and "),
                })
                .collect();
        work.venue.publisher = match publishers.len() {
            0 | 1 => publishers.pop(),
            _ => Some(publishers.join("; ")),
        };
        let place = self.list("location", "; ");
        if work.kind == WorkType::Patent {
            // A patent's location is the countries it holds in.
            if let Some(place) = place {
                let countries: Vec<String> = place.split("; ").map(bibstring).collect();
                work.fields
                    .insert(Variable::Jurisdiction, Text::plain(countries.join("; ")));
            }
        } else {
            work.venue.place = place;
        }
        if let Some(series) = self.rich("series") {
            work.fields
                .insert(Variable::CollectionTitle, series_text(series));
        }
    }

    /// True when `howpublished` only says "arXiv preprint" of an entry whose
    /// eprint fields say where it is.
    fn is_arxiv_note(&self) -> bool {
        let on_arxiv = self
            .field("eprinttype")
            .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("arxiv"));
        (self.field("eprint").is_some() || on_arxiv)
            && self
                .field("howpublished")
                .is_some_and(|value| value.trim_start().starts_with("arXiv preprint"))
    }

    /// True when `howpublished` is nothing but `\url{…}`.
    fn howpublished_is_url(&self) -> bool {
        self.field("howpublished").is_some_and(|value| {
            let value = value.trim();
            value.starts_with("\\url{")
                && value.ends_with('}')
                && value[5..value.len() - 1].find(['{', '}']).is_none()
        })
    }

    fn identifiers(&mut self, work: &mut Work) {
        let raw = |name: &str| {
            self.field(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        work.ids.doi = raw("doi")
            .map(|doi| bare_doi(&unescaped(&doi)).to_owned())
            .filter(|doi| !doi.is_empty());
        // `howpublished = {\url{…}}` is how BibTeX styles without a url
        // field were given one.
        let howpublished_url = self
            .howpublished_is_url()
            .then(|| raw("howpublished"))
            .flatten()
            .map(|value| value["\\url{".len()..value.len() - 1].to_owned());
        work.ids.url = raw("url").or(howpublished_url).map(|url| unescaped(&url));
        work.ids.isbn = raw("isbn");
        work.ids.issn = raw("issn");
        let eprint_type = raw("eprinttype").map(|t| t.to_ascii_lowercase());
        let eprint = raw("eprint");
        match (eprint_type.as_deref(), eprint) {
            (Some("arxiv"), Some(id)) | (None, Some(id))
                if looks_like_arxiv(&id) || eprint_type.is_some() =>
            {
                work.ids.arxiv = Some(id.trim_start_matches("arXiv:").to_owned());
                work.categories
                    .extend(raw("eprintclass").map(arxiv_category));
            }
            (Some("pubmed"), Some(id)) => {
                work.fields.insert(Variable::Pmid, Text::plain(id));
            }
            (Some("doi"), Some(id)) if work.ids.doi.is_none() => {
                work.ids.doi = Some(bare_doi(&id).to_owned()).filter(|doi| !doi.is_empty())
            }
            (_, Some(id)) => {
                work.extra.insert("eprint".to_owned(), id);
                if let Some(kind) = raw("eprinttype") {
                    work.extra.insert("eprinttype".to_owned(), kind);
                }
                if let Some(class) = raw("eprintclass") {
                    work.extra.insert("eprintclass".to_owned(), class);
                }
            }
            // On arXiv, its class known but not its number (as a profile
            // dump without the number is written).
            (Some("arxiv"), None) => {
                work.categories
                    .extend(raw("eprintclass").map(arxiv_category));
            }
            (_, None) => {}
        }
    }

    fn variables(&mut self, work: &mut Work, genre: Option<&'static str>) {
        for (&(name, variable), bit) in VARIABLE_FIELDS.iter().zip(&VARIABLE_BITS) {
            if let Some(text) = self
                .field_with_bit(name, *bit)
                .and_then(|value| self.rich_value(value))
            {
                work.fields.insert(variable, text);
            }
        }
        let genre = self
            .plain("type")
            .map(|t| bibstring(&t))
            .or(genre.map(str::to_owned));
        if let Some(genre) = genre {
            work.fields.insert(Variable::Genre, Text::plain(genre));
        }
        if let Some(status) = self.plain("pubstate") {
            work.fields
                .insert(Variable::Status, Text::plain(bibstring(&status)));
        }
        // `language` names the languages of the work; it stands in for
        // the entry's language only when it is one known language.
        let language = ["langid", "hyphenation"]
            .into_iter()
            .find_map(|name| self.plain(name))
            .map(|name| language_tag(&name))
            .or_else(|| {
                let named = self.plain("language")?;
                // `en_US` is a locale's way of writing the tag `en-US`.
                let named = named.trim().trim_start_matches("lang").replace('_', "-");
                let named = named.as_str();
                let is_tag = |text: &str| {
                    let mut parts = text.split('-');
                    let language = parts.next().unwrap_or_default();
                    (2..=3).contains(&language.len())
                        && language.bytes().all(|b| b.is_ascii_lowercase())
                        && parts.all(|part| {
                            (2..=8).contains(&part.len())
                                && part.bytes().all(|b| b.is_ascii_alphanumeric())
                        })
                };
                tex::language_tag(named)
                    .map(str::to_owned)
                    .or_else(|| is_tag(named).then(|| named.to_owned()))
            });
        if let Some(language) = language {
            work.fields
                .insert(Variable::Language, Text::plain(language));
        }
        let notes: Vec<Text> = ["note", "addendum"]
            .into_iter()
            .filter_map(|name| self.rich(name))
            .collect();
        if let Some(note) = join_texts(notes, ". ") {
            work.fields.insert(Variable::Note, note);
        }
    }

    /// A field named as a CSL variable (`archive_location`, `composer`,
    /// `submitted`), as pubconv writes a value BibTeX has no field for,
    /// read into its place if the work has none there yet.
    fn csl_variable(&mut self, field: &RawField<'_>, work: &mut Work) -> bool {
        let name = field.name.as_ref();
        if let Some(variable) = csl::by_name(csl::VARIABLES, name) {
            if work.fields.contains_key(&variable) {
                return false;
            }
            let Some(text) = self.rich_value(&field.value) else {
                return false;
            };
            work.fields.insert(variable, text);
        } else if let Some(role) = csl::by_name(csl::ROLES, name) {
            if work.contributors.contains_key(&role) {
                return false;
            }
            work.contributors
                .insert(role, names::parse_names(&field.value).0);
        } else if let Some(variable) = csl::by_name(csl::DATES, name) {
            if work.dates.contains_key(&variable) {
                return false;
            }
            let Ok(date) = dates::parse_edtf(&self.text_of(&field.value)) else {
                return false;
            };
            work.dates.insert(variable, date);
        } else {
            return false;
        }
        true
    }

    /// Every field no rule read goes to `extra`, as written.
    fn extra(&mut self, work: &mut Work) {
        // A `language` read as the work's language (no `langid` said it)
        // is written back from the model, by name (`american`).
        let language_read = self.field("langid").is_none()
            && self.field("hyphenation").is_none()
            && work.fields.contains_key(&Variable::Language);
        let read_as_language = |field: &RawField<'_>| field.name == "language" && language_read;
        for field in &self.entry.fields {
            if is_read(field.name.as_ref())
                || work.extra.contains_key(field.name.as_ref())
                || read_as_language(field)
                || self.csl_variable(field, work)
            {
                continue;
            }
            let name = self.entry.spelling(field);
            work.extra.insert(name.to_owned(), field.value.to_string());
        }
        // A date that could not be read is kept as written.
        for &name in DATE_FIELDS_KEPT {
            let unread = match name {
                "date" | "year" | "month" | "day" => work.date.is_none(),
                "urldate" => !work.dates.contains_key(&DateVariable::Accessed),
                "eventdate" => !work.dates.contains_key(&DateVariable::EventDate),
                _ => !work.dates.contains_key(&DateVariable::OriginalDate),
            };
            if let (true, Some(value)) = (unread, self.field(name)) {
                work.extra.insert(name.to_owned(), value.to_owned());
            }
        }
    }
}

/// A series that is a number reads "3rd series"; a localisation key
/// (`newseries`) its words.
fn series_text(series: Text) -> Text {
    let plain = tex::plain_text(&series.inlines);
    let plain = plain.trim();
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()) {
        let suffix = match (
            plain.parse::<u32>().unwrap_or(0) % 100,
            plain.parse::<u32>().unwrap_or(0) % 10,
        ) {
            (11..=13, _) => "th",
            (_, 1) => "st",
            (_, 2) => "nd",
            (_, 3) => "rd",
            _ => "th",
        };
        return Text::plain(format!("{plain}{suffix} series"));
    }
    match tex::bibstring(plain) {
        Some(words) => Text::plain(words),
        None => series,
    }
}

/// Plain text with its line ends as spaces, and no two spaces in a row,
/// as TeX reads them: `s ~a` reads as `s a`, as `s  a`, `s {} a` and `s`
/// and `a` on two lines do. A tie (`~`, a no-break space) between two
/// words is kept.
fn untied(text: String) -> String {
    const SPACES: [char; 5] = [' ', '\u{a0}', '\n', '\r', '\t'];
    if !text.contains(&SPACES[1..]) && !text.contains("  ") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_space = chars.peek().is_some_and(|next| SPACES.contains(next));
        let c = match c {
            '\u{a0}' if !out.ends_with(' ') && !next_is_space => c,
            c if SPACES.contains(&c) => ' ',
            c => c,
        };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// An arXiv class as written, with its full name where it names one.
fn arxiv_category(code: String) -> Category {
    let arxiv = match crate::arxiv::lookup(&code) {
        crate::arxiv::Lookup::Unique(full) => Some(full.to_owned()),
        _ => None,
    };
    Category { code, arxiv }
}

/// Drops leading and trailing white space from rich text.
fn trim(mut inlines: Vec<Inline>) -> Vec<Inline> {
    // TeX's spaces; a no-break space is a character.
    if let Some(Inline::Plain(first)) = inlines.first_mut() {
        let blank = first.len() - first.trim_ascii_start().len();
        first.drain(..blank);
    }
    if let Some(Inline::Plain(last)) = inlines.last_mut() {
        last.truncate(last.trim_ascii_end().len());
    }
    inlines.retain(|inline| !matches!(inline, Inline::Plain(text) if text.is_empty()));
    inlines
}

fn join_texts(texts: Vec<Text>, separator: &str) -> Option<Text> {
    let mut texts = texts.into_iter();
    let mut joined = texts.next()?;
    for text in texts {
        joined.inlines.push(Inline::Plain(separator.to_owned()));
        joined.inlines.extend(text.inlines);
    }
    Some(joined)
}

/// A BibLaTeX localisation key's English text, or the value as it is.
fn bibstring(value: &str) -> String {
    tex::bibstring(value.trim()).map_or_else(|| value.to_owned(), str::to_owned)
}

fn language_tag(name: &str) -> String {
    tex::language_tag(name.trim()).map_or_else(|| name.to_owned(), str::to_owned)
}

/// `https://doi.org/10.1/x`, `doi:10.1/x` → `10.1/x`. Prefixes are taken
/// off as long as there are any, so that what is left has none and reads
/// the same the next time.
/// A DOI or URL as it is, without the TeX escapes exports put in
/// (`10.1007/978-3-031-39847-6\_20`, `a{\&}b`, `50\%`): the
/// characters are part of the identifier, and the fields are verbatim.
fn unescaped(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('\\') {
        let escaped = rest[at + 1..]
            .chars()
            .next()
            .filter(|c| "_&%#$~".contains(*c));
        let Some(character) = escaped else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        };
        // `{\&}`: the group around an escape goes with it.
        let before = &rest[..at];
        let after = &rest[at + 2..];
        let (before, after) = match (before.strip_suffix('{'), after.strip_prefix('}')) {
            (Some(before), Some(after)) => (before, after),
            _ => (before, after),
        };
        out.push_str(before);
        out.push(character);
        // `\~{}`: the empty group only ends the command.
        rest = match character {
            '~' => after.strip_prefix("{}").unwrap_or(after),
            _ => after,
        };
    }
    out.push_str(rest);
    out
}

/// New-style (`2210.13533`, `2210.13533v2`) and old-style
/// (`hep-th/9901001`) arXiv identifiers.
/// Math as Google Scholar's BibTeX export escapes it, as the TeX it was:
/// `$$\\backslash$ell\\_ $\\{$1$\\}$ $` is `$\\ell_{1}$`. Each escape is a
/// one-character formula of its own, which no one writes by hand.
fn unmangled_math(value: &str) -> Cow<'_, str> {
    const ESCAPES: [(&str, &str); 3] = [("$\\backslash$", "\\"), ("$\\{$", "{"), ("$\\}$", "}")];
    if !value.contains(ESCAPES[0].0) {
        return Cow::Borrowed(value);
    }
    let mut text = value.to_owned();
    for (escaped, tex) in ESCAPES {
        text = text.replace(escaped, tex);
    }
    // Inside the math the export escaped `_` and padded the delimiters.
    let mut out = String::with_capacity(text.len());
    let mut in_math = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => {
                if in_math {
                    let trimmed = out.trim_end().len();
                    out.truncate(trimmed);
                }
                out.push('$');
                in_math = !in_math;
                if in_math {
                    while chars.next_if(|c| *c == ' ').is_some() {}
                }
            }
            '\\' if in_math && chars.peek() == Some(&'_') => {}
            ' ' if in_math && matches!(chars.peek(), Some('{' | '_' | '^')) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Google Scholar's keys: the first author's family name, the year and
/// the title's first word, in lower case (`he2016deep`).
fn is_scholar_key(key: &str) -> bool {
    let name = key.trim_start_matches(|c: char| c.is_ascii_lowercase());
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    name.len() < key.len()
        && name.len() - rest.len() == 4
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

fn looks_like_arxiv(id: &str) -> bool {
    let id = id.trim_start_matches("arXiv:");
    let new_style = |id: &str| {
        let (yymm, rest) = id.split_once('.').unwrap_or(("", ""));
        let number = rest.split('v').next().unwrap_or("");
        yymm.len() == 4
            && yymm.bytes().all(|b| b.is_ascii_digit())
            && (4..=5).contains(&number.len())
            && number.bytes().all(|b| b.is_ascii_digit())
    };
    let old_style = |id: &str| {
        id.split_once('/').is_some_and(|(archive, number)| {
            archive
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'.')
                && number.len() >= 7
                && number.bytes().take(7).all(|b| b.is_ascii_digit())
        })
    };
    new_style(id) || old_style(id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn identifiers_lose_the_tex_escapes_of_exports() {
        use super::unescaped;
        assert_eq!(
            unescaped(r"10.1007/978-3-031-39847-6\_20"),
            "10.1007/978-3-031-39847-6_20"
        );
        assert_eq!(
            unescaped(r"https://x.org/a{\&}b?q=1\%2F\#top"),
            "https://x.org/a&b?q=1%2F#top"
        );
        assert_eq!(unescaped(r"https://x.org/\~{}me"), "https://x.org/~me");
        assert_eq!(unescaped(r"C:\path\to"), r"C:\path\to");
        assert_eq!(unescaped("trailing\\"), "trailing\\");
    }

    use super::*;

    #[test]
    fn dois_lose_their_prefixes() {
        assert_eq!(bare_doi("https://doi.org/10.1000/x_y"), "10.1000/x_y");
        assert_eq!(bare_doi("DOI:10.1000/x"), "10.1000/x");
        assert_eq!(bare_doi("10.1000/x"), "10.1000/x");
        assert_eq!(bare_doi("https://doi.org/ doi:10.1000/x"), "10.1000/x");
        assert_eq!(bare_doi("https://doi.org/http://doi.org/"), "");
    }

    #[test]
    fn arxiv_identifiers_old_and_new() {
        for id in [
            "2210.13533",
            "2210.13533v4",
            "arXiv:1501.00001",
            "hep-th/9901001",
            "math.GT/0309136",
        ] {
            assert!(looks_like_arxiv(id), "{id}");
        }
        for id in ["10.1000/x", "12345", "PMC12345"] {
            assert!(!looks_like_arxiv(id), "{id}");
        }
    }
}
