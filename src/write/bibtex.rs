//! The BibTeX and BibLaTeX writers.
//!
//! Both dialects share the entry layout: fields in a fixed order, one per
//! line, two-space indent, values in braces. They differ in entry types
//! (from [`crate::vocab::bibtex`], which the reader shares) and a few field
//! names (`journal`/`journaltitle`, `year`+`month`/`date`,
//! `archivePrefix`/`eprinttype`), which the tables below hold. BibLaTeX
//! output of a list with an owner also carries what a CV's document uses
//! (see `cv_fields`).

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::key::citation_keys;
use crate::model::person::is_owner;
use crate::model::{
    Casing, DateValue, DateVariable, Inline, Library, Person, RangeEnd, Role, Style, Text,
    Variable, Work, WorkType,
};
use crate::tex::{self, math};
use crate::vocab::bibtex::{
    canonical_name, is_read, reads_as_biblatex, DATE_FIELDS_KEPT,
    ENTRY_TYPES_WRITTEN as ENTRY_TYPES, OTHER_CSL_TYPES,
};
use crate::vocab::csl;
use crate::write::Options;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Classic BibTeX, as the standard `.bst` styles read it.
    Bibtex,
    /// BibLaTeX's data model, as biber reads it.
    Biblatex,
}

/// A field value: braced text, or a bare macro name such as `oct`.
enum Value {
    Braced(String),
    Macro(Name),
}

/// A field or macro name: nearly always one of the tables' own, which
/// needs no copy (an entry has a dozen).
type Name = Cow<'static, str>;

/// Writes the library as a `.bib` file, works in input order; what the
/// file cannot hold as it was is reported to `lost`.
pub fn write(
    library: &Library,
    dialect: Dialect,
    options: &Options,
    lost: &mut Vec<Diagnostic>,
) -> String {
    let keys = citation_keys(&library.works, &options.key_pattern);
    // Classic bibtex reads neither annotations nor keywords: its output
    // stays as the works are.
    let owner = library.owner_spellings(&options.markdown.highlight);
    let writer = Writer::new(dialect, options, owner, &library.strings);
    let mut out = writer.header(&library.preambles, lost);
    for (work, key) in library.works.iter().zip(&keys) {
        writer.entry(work, key, !out.is_empty(), &mut out, lost);
    }
    out
}

/// What every entry of one `.bib` file is written with: the dialect, the
/// options, the owner's spellings and the file's `@string`s.
pub struct Writer {
    dialect: Dialect,
    ascii: bool,
    owner: Vec<String>,
    /// The `@string`s as entries see them, in order.
    strings: Vec<(String, String)>,
    /// A value that is exactly an input's @string is written as its name
    /// (the first such).
    abbreviations: foldhash::HashMap<String, String>,
}

impl Writer {
    /// `owner` is the spellings of the CV owner's name (BibLaTeX marks
    /// them); `strings` the input's `@string`s in file order.
    pub fn new(
        dialect: Dialect,
        options: &Options,
        owner: Vec<String>,
        strings: &[(String, String)],
    ) -> Writer {
        let strings: Vec<(String, String)> = effective_strings(strings)
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let abbreviations = strings
            .iter()
            .rev()
            .map(|(name, value)| (value.clone(), name.clone()))
            .collect();
        Writer {
            dialect,
            ascii: options.ascii,
            owner: match dialect {
                Dialect::Biblatex => owner,
                Dialect::Bibtex => Vec::new(),
            },
            strings,
            abbreviations,
        }
    }

    /// What the file opens with: its `@preamble`s and `@string`s.
    pub fn header(&self, preambles: &[String], lost: &mut Vec<Diagnostic>) -> String {
        let mut out = String::new();
        for preamble in preambles {
            let _ = writeln!(out, "@preamble{{{{{}}}}}", source_text(preamble));
        }
        for (name, value) in &self.strings {
            let _ = writeln!(out, "@string{{{name} = {{{}}}}}", source_text(value));
        }
        self.finish(out, "", lost)
    }

    /// Adds the work as an entry cited by `key`, after a blank line when
    /// `after` something.
    pub fn entry(
        &self,
        work: &Work,
        key: &str,
        after: bool,
        out: &mut String,
        lost: &mut Vec<Diagnostic>,
    ) {
        let start = out.len();
        if after {
            out.push('\n');
        }
        write_entry(
            out,
            work,
            key,
            self.dialect,
            &self.owner,
            &self.abbreviations,
            lost,
        );
        if self.ascii {
            let entry = out.split_off(start);
            out.push_str(&self.finish(entry, key, lost));
        } else {
            report_unreadable_characters(&out[start..], key, lost);
        }
    }

    /// Text in `--ascii` where asked, with a warning for the characters
    /// pdflatex cannot read.
    fn finish(&self, text: String, key: &str, lost: &mut Vec<Diagnostic>) -> String {
        let text = match self.ascii {
            true => tex::to_ascii(&text),
            false => text,
        };
        report_unreadable_characters(&text, key, lost);
        text
    }
}

/// Warns, entry by entry, of the characters left in the output that
/// pdflatex's UTF-8 input cannot read (those with a LaTeX form were
/// written in it): a file with them needs xelatex or lualatex.
fn report_unreadable_characters(text: &str, key: &str, lost: &mut Vec<Diagnostic>) {
    if text.is_ascii() {
        return;
    }
    let mut found: Vec<char> = Vec::new();
    for c in text.chars().filter(|&c| !pdflatex_reads(c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    if found.is_empty() {
        return;
    }
    let named: Vec<String> = found
        .iter()
        .map(|c| format!("`{c}` (U+{:04X})", u32::from(*c)))
        .collect();
    let where_ = match key {
        "" => "the file's preamble or strings".to_owned(),
        key => format!("`{key}`"),
    };
    lost.push(
        Diagnostic::new(
            Severity::Warning,
            "output::character",
            format!(
                "{where_} has {}, which pdflatex cannot read and LaTeX has no form of here: kept as written",
                named.join(", ")
            ),
        )
        .key(key)
        .hint("compile with xelatex or lualatex, or replace the character"),
    );
}

/// Whether LaTeX's UTF-8 input (with its standard T1 and TS1 fonts) has
/// the character: Latin letters of Western and Central European
/// languages, and the punctuation and symbols text fonts have.
fn pdflatex_reads(c: char) -> bool {
    const SYMBOLS: &str = "ˆˇ˘˙˚˛˜˝–—‖‘’‚“”„†‡•…‰‹›€№℗℠™Ω℧℮←↑→↓−√◦◯♪";
    c.is_ascii()
        || ('\u{a0}'..='\u{17f}').contains(&c)
        || ('\u{218}'..='\u{21b}').contains(&c)
        || SYMBOLS.contains(c)
}

/// The `@string`s as entries see them: a name defined again has its last
/// value (names compared in any case), in the order names first appear.
fn effective_strings(strings: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut effective: Vec<(&str, &str)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (name, value) in strings {
        match index.entry(name.to_lowercase()) {
            Entry::Occupied(at) => effective[*at.get()].1 = value,
            Entry::Vacant(at) => {
                at.insert(effective.len());
                effective.push((name, value));
            }
        }
    }
    effective
}

fn write_entry(
    out: &mut String,
    work: &Work,
    key: &str,
    dialect: Dialect,
    owner: &[String],
    abbreviations: &foldhash::HashMap<String, String>,
    lost: &mut Vec<Diagnostic>,
) {
    let written_type = entry_type(work, dialect);
    for piece in ["@", written_type, "{", key, ",\n"] {
        out.push_str(piece);
    }
    let mut fields = fields_of(work, key, dialect, owner, lost);
    if dialect == Dialect::Bibtex {
        classic_date_losses(work, key, lost);
    }
    let implied = crate::vocab::bibtex::implied_genre(written_type);
    if let (Some(genre), None) = (implied, work.fields.get(&Variable::Genre)) {
        let message = format!(
            "`{key}` is written as @{written_type}, which says \"{genre}\": classic BibTeX has no type for a {} of no kind",
            csl::type_name(work.kind)
        );
        lost.push(
            Diagnostic::new(Severity::Warning, "lost", message)
                .key(key)
                .field("genre"),
        );
    }
    for (name, value) in unread_dates(work, key, dialect, lost) {
        match fields.iter().position(|(other, _)| *other == name) {
            Some(at) => fields[at].1 = value,
            None => {
                // Where the field table puts a date: after the titles.
                let titles = [
                    "author",
                    "editor",
                    "title",
                    "maintitle",
                    "journal",
                    "journaltitle",
                    "booktitle",
                    "howpublished",
                ];
                let at = fields
                    .iter()
                    .rposition(|(other, _)| titles.contains(&other.as_ref()))
                    .map_or(fields.len(), |at| at + 1);
                let at = if name == "note" { fields.len() } else { at };
                fields.insert(at, (name, value));
            }
        }
    }
    for (name, value) in fields {
        let value = match value {
            Value::Braced(text) => match abbreviations.get(text.as_str()) {
                Some(string) => Value::Macro(Cow::Owned(string.clone())),
                None => Value::Braced(text),
            },
            macro_name => macro_name,
        };
        // Pieces pushed one by one: this is the hottest loop of a `.bib`
        // output, where `write!` costs a tenth of the time.
        let (open, value, close) = match &value {
            Value::Braced(text) => (" = {", text.as_str(), "},\n"),
            Value::Macro(name_of_macro) => (" = ", name_of_macro.as_ref(), ",\n"),
        };
        for piece in ["  ", &name, open, value, close] {
            out.push_str(piece);
        }
    }
    out.push_str("}\n");
}

fn entry_type(work: &Work, dialect: Dialect) -> &'static str {
    // Classic BibTeX has two thesis types; the genre tells which.
    if work.kind == WorkType::Thesis && dialect == Dialect::Bibtex {
        let genre = work.fields.get(&Variable::Genre).map(Text::raw_string);
        if genre.is_some_and(|genre| genre.to_lowercase().contains("master")) {
            return "mastersthesis";
        }
    }
    let types = match work.kind {
        WorkType::Other(csl) => OTHER_CSL_TYPES
            .iter()
            .find(|(name, _, _)| *name == csl)
            .map(|&(_, bibtex, biblatex)| (bibtex, biblatex)),
        kind => ENTRY_TYPES
            .iter()
            .find(|(work_type, _, _)| *work_type == kind)
            .map(|&(_, bibtex, biblatex)| (bibtex, biblatex)),
    };
    let (bibtex, biblatex) = types.unwrap_or(("misc", "misc"));
    match dialect {
        Dialect::Bibtex => bibtex,
        Dialect::Biblatex => biblatex,
    }
}

/// The kind of work an entry type cannot say, kept in `entrysubtype` so
/// that reading it back restores it: biblatex's `magazine` and
/// `newspaper` articles, a preprint that is no arXiv one, the BibLaTeX
/// type of a work classic BibTeX writes as another (`@misc` for
/// `@software`, `@incollection` for `@inreference`), a CSL type no entry
/// type is (`map`, `post-weblog`).
fn subtype(work: &Work, dialect: Dialect) -> Option<&'static str> {
    match work.kind {
        WorkType::MagazineArticle => return Some("magazine"),
        WorkType::NewspaperArticle => return Some("newspaper"),
        // An `@online` entry is a web page unless it says it is a
        // preprint; a classic `@misc` with an arXiv eprint is one already.
        WorkType::Preprint => {
            let said = dialect == Dialect::Bibtex && work.is_on_arxiv();
            return (!said).then_some("preprint");
        }
        // Read back as what they are from their own fields.
        WorkType::Thesis | WorkType::Report => return None,
        // A CSL type no entry type has, by its CSL name.
        WorkType::Other(csl) => return Some(csl),
        _ => {}
    }
    let written = entry_type(work, dialect);
    let biblatex = entry_type(work, Dialect::Biblatex);
    (biblatex != written).then_some(biblatex)
}

/// Reads one field's value from a work.
type Getter = fn(&Work, Dialect) -> Option<Value>;

/// The fields, in the order they are written: the BibTeX name, the
/// BibLaTeX name (empty where a dialect has no such field), the value.
const FIELDS: &[(&str, &str, Getter)] = &[
    ("author", "author", |w, _| {
        names(&w.authors, w.authors_truncated).map(Value::Braced)
    }),
    ("editor", "editor", |w, _| {
        names(&w.editors, false).map(Value::Braced)
    }),
    ("title", "title", |w, _| {
        // A volume of a multi-volume book: its own title is the title, the
        // whole work's the maintitle.
        let volume = w
            .fields
            .get(&Variable::VolumeTitle)
            .filter(|_| !is_part(w) && has_main_title(w));
        title(volume.or(w.title.as_ref()))
    }),
    ("maintitle", "maintitle", |w, _| {
        w.fields.get(&Variable::VolumeTitle)?;
        if !has_main_title(w) {
            return None;
        }
        title(if is_part(w) {
            w.venue.container_title.as_ref()
        } else {
            w.title.as_ref()
        })
    }),
    ("journal", "journaltitle", |w, d| {
        container(w, d, ContainerField::Journal)
    }),
    ("booktitle", "booktitle", |w, d| {
        container(w, d, ContainerField::Booktitle)
    }),
    ("howpublished", "howpublished", |w, d| {
        container(w, d, ContainerField::Howpublished)
    }),
    ("year", "", |w, _| {
        w.date.map(|date| Value::Braced(classic_year(&date)))
    }),
    // A range of years has no month or day in classic BibTeX.
    ("month", "", |w, _| {
        w.date
            .filter(|date| !spans_years(date))?
            .start
            .month
            .map(|month| Value::Macro(Cow::Borrowed(month.bibtex_macro())))
    }),
    // Classic styles print no day, but biblatex and reference managers
    // read it, so it is kept.
    ("day", "", |w, _| {
        w.date
            .filter(|date| !spans_years(date))?
            .start
            .day
            .map(|day| Value::Braced(day.to_string()))
    }),
    ("", "date", |w, _| {
        w.date.map(|date| Value::Braced(date.edtf()))
    }),
    ("volume", "volume", |w, _| plain(&w.venue.volume)),
    ("number", "number", |w, _| match number_variable(w) {
        Some(variable) => Some(Value::Braced(rich(&w.fields[&variable], false))),
        None if is_serial(w) => plain(&w.venue.issue),
        None => None,
    }),
    // Classic styles know no issue but a journal's (its `number`); the
    // reader takes it back all the same.
    ("issue", "issue", |w, _| {
        plain(&w.venue.issue).filter(|_| !is_serial(w))
    }),
    ("pages", "pages", |w, _| {
        // BibTeX styles typeset `--` as the range dash.
        w.venue
            .pages
            .as_ref()
            .map(|pages| Value::Braced(page_range(&escape(pages))))
    }),
    ("school", "", |w, _| {
        plain(&w.venue.publisher).filter(|_| w.kind == WorkType::Thesis)
    }),
    ("institution", "institution", |w, d| {
        let holder = matches!(
            (w.kind, d),
            (WorkType::Report, _) | (WorkType::Thesis, Dialect::Biblatex)
        );
        list(&w.venue.publisher, d, None).filter(|_| holder)
    }),
    ("publisher", "publisher", |w, d| {
        let elsewhere = matches!(w.kind, WorkType::Thesis | WorkType::Report)
            || howpublished_is_publisher(w, d);
        list(&w.venue.publisher, d, None).filter(|_| !elsewhere)
    }),
    ("address", "location", |w, d| {
        list(&w.venue.place, d, Some("; "))
    }),
    ("doi", "doi", |w, _| verbatim(&w.ids.doi)),
    ("url", "url", |w, _| verbatim(&w.ids.url)),
    ("eprint", "eprint", |w, _| verbatim(&w.ids.arxiv)),
    ("archivePrefix", "", |w, _| {
        w.is_on_arxiv().then(|| Value::Braced("arXiv".into()))
    }),
    ("", "eprinttype", |w, _| {
        w.is_on_arxiv().then(|| Value::Braced("arxiv".into()))
    }),
    ("primaryClass", "eprintclass", |w, _| {
        w.categories
            .first()
            .map(|c| Value::Braced(source_text(c.best())))
    }),
    ("entrysubtype", "entrysubtype", |w, d| {
        subtype(w, d).map(|name| Value::Braced(name.to_owned()))
    }),
    ("isbn", "isbn", |w, _| verbatim(&w.ids.isbn)),
    ("issn", "issn", |w, _| verbatim(&w.ids.issn)),
    ("keywords", "keywords", |w, _| {
        (!w.keywords.is_empty()).then(|| Value::Braced(escape(&w.keywords.join(", "))))
    }),
    ("abstract", "abstract", |w, _| {
        w.abstract_text
            .as_ref()
            .map(|text| Value::Braced(rich(text, false)))
    }),
];

/// Further variables: BibTeX's field name, BibLaTeX's, and whether the
/// text is a title (case-protected from a plain-text source).
pub const VARIABLES: &[(Variable, &str, &str, bool)] = &[
    (Variable::TitleShort, "shorttitle", "shorttitle", true),
    (
        Variable::ContainerTitleShort,
        "shortjournal",
        "shortjournal",
        true,
    ),
    (Variable::CollectionTitle, "series", "series", true),
    (Variable::Edition, "edition", "edition", false),
    (Variable::NumberOfVolumes, "volumes", "volumes", false),
    (Variable::NumberOfPages, "pagetotal", "pagetotal", false),
    (Variable::ChapterNumber, "chapter", "chapter", false),
    (Variable::Genre, "type", "type", false),
    (Variable::Status, "pubstate", "pubstate", false),
    (Variable::Version, "version", "version", false),
    (Variable::Language, "language", "langid", false),
    (Variable::Note, "note", "note", false),
    (Variable::Annote, "annote", "annotation", false),
    (Variable::EventTitle, "eventtitle", "eventtitle", true),
    (Variable::EventPlace, "venue", "venue", false),
    (Variable::OriginalTitle, "origtitle", "origtitle", true),
    (
        Variable::OriginalPublisher,
        "origpublisher",
        "origpublisher",
        false,
    ),
    (
        Variable::OriginalPublisherPlace,
        "origlocation",
        "origlocation",
        false,
    ),
    // A patent's countries; classic BibTeX has no @patent.
    (Variable::Jurisdiction, "", "location", false),
    (Variable::CallNumber, "library", "library", false),
    (Variable::Pmid, "pmid", "pmid", false),
    (Variable::Pmcid, "pmcid", "pmcid", false),
];

/// Roles: BibTeX's and BibLaTeX's name-list field.
pub const ROLES: &[(Role, &str, &str)] = &[
    (Role::Translator, "translator", "translator"),
    (Role::ContainerAuthor, "bookauthor", "bookauthor"),
    // Classic styles ignore these, but keep them for readers that take
    // them back.
    (Role::Commentator, "commentator", "commentator"),
    (Role::Annotator, "annotator", "annotator"),
    (Role::Introduction, "introduction", "introduction"),
    (Role::Foreword, "foreword", "foreword"),
    (Role::Afterword, "afterword", "afterword"),
];

/// Further dates and their field, the same in both dialects.
pub const DATES: &[(DateVariable, &str)] = &[
    (DateVariable::Accessed, "urldate"),
    (DateVariable::EventDate, "eventdate"),
    (DateVariable::OriginalDate, "origdate"),
];

/// The fields of one entry, in the order they are written; fields the
/// source had that no writer knows come last, in name order.
///
/// A name is written once. A variable, role or date whose field is taken
/// (or which has none in this dialect) is written under its CSL name
/// (`jurisdiction`, `collection-editor`, `submitted`), which the reader
/// takes back; what still finds no place is reported to `lost`.
fn fields_of(
    work: &Work,
    key: &str,
    dialect: Dialect,
    owner: &[String],
    lost: &mut Vec<Diagnostic>,
) -> Vec<(Name, Value)> {
    let implied_genre = crate::vocab::bibtex::implied_genre(entry_type(work, dialect));
    let pick = |bibtex: &'static str, biblatex: &'static str| match dialect {
        Dialect::Bibtex => bibtex,
        Dialect::Biblatex => biblatex,
    };
    let mut fields = Placed {
        written: Vec::new(),
        key,
        lost,
    };
    for &(bibtex, biblatex, value) in FIELDS {
        let name = pick(bibtex, biblatex);
        if let Some(value) = (!name.is_empty()).then(|| value(work, dialect)).flatten() {
            fields.written.push((Cow::Borrowed(name), value));
        }
    }
    let annotated = match owner.is_empty() {
        true => Vec::new(),
        false => cv_fields(work, owner, &mut fields.written),
    };
    let in_number = number_variable(work);
    for (&variable, text) in &work.fields {
        let csl_name = csl::name_of(csl::VARIABLES, &variable).unwrap_or_default();
        // Written by the rows above: the volume's title, `number`.
        let in_titles = variable == Variable::VolumeTitle && has_main_title(work);
        if in_titles || Some(variable) == in_number {
            continue;
        }
        let row = VARIABLES.iter().find(|row| row.0 == variable);
        let (name, is_title) = row.map_or(("", false), |&(_, bibtex, biblatex, is_title)| {
            (pick(bibtex, biblatex), is_title)
        });
        // A patent's countries are its `location` in BibLaTeX; any other
        // jurisdiction (a court's) has a field of its own.
        let name = match variable {
            Variable::Jurisdiction if work.kind != WorkType::Patent => "",
            _ => name,
        };
        // `@phdthesis` says "PhD thesis" already.
        if variable == Variable::Genre
            && implied_genre.is_some_and(|genre| genre == text.raw_string())
        {
            continue;
        }
        let value = match (variable, dialect) {
            (Variable::Genre | Variable::Status, Dialect::Biblatex) => bibstring_key(text),
            // Both dialects' `language` fields are read by biblatex
            // (and babel-aware styles) as language names.
            (Variable::Language, _) => babel_name(text),
            _ => rich(text, is_title),
        };
        fields.place(name, csl_name, Value::Braced(value));
    }
    for (role, people) in &work.contributors {
        let csl_name = csl::name_of(csl::ROLES, role).unwrap_or_default();
        let name = ROLES
            .iter()
            .find(|row| row.0 == *role)
            .map_or("", |&(_, bibtex, biblatex)| pick(bibtex, biblatex));
        if let Some(names) = names(people, false) {
            fields.place(name, csl_name, Value::Braced(names));
        }
    }
    for (variable, date) in &work.dates {
        let csl_name = csl::name_of(csl::DATES, variable).unwrap_or_default();
        let name = DATES
            .iter()
            .find(|row| row.0 == *variable)
            .map_or("", |&(_, name)| name);
        fields.place(name, csl_name, Value::Braced(date.edtf()));
    }
    for (name, value) in &work.extra {
        if unread_date(name, value).is_none() && !annotated.contains(name) {
            fields.place_extra(name, value);
        }
    }
    let mut written = fields.written;
    // An entry with no BibLaTeX-only type or field is read back as
    // classic BibTeX, where lists are plain text: so they are written.
    let names = written.iter().map(|(name, _)| name.as_ref());
    if dialect == Dialect::Biblatex && !reads_as_biblatex(entry_type(work, dialect), names) {
        for (name, value) in &mut written {
            let items = match name.as_ref() {
                "publisher" | "institution" => &work.venue.publisher,
                "location" => &work.venue.place,
                _ => continue,
            };
            if let Some(plain) = list(items, Dialect::Bibtex, None) {
                *value = plain;
            }
        }
    }
    written
}

/// Reads one name list from a work.
type People = fn(&Work) -> &[Person];

/// The name lists whose owner BibLaTeX output annotates, by field.
const ANNOTATED_LISTS: &[(&str, People)] =
    &[("author", |w| &w.authors), ("editor", |w| &w.editors)];

/// What makes a BibLaTeX file a CV's (see `docs/cv-example`): the owner's
/// names annotated `highlight` (`author+an = {2=highlight}`, for
/// `\ifitemannotation{highlight}`), each right after its list, and the
/// work's CV group among its `keywords`, for
/// `\printbibliography[keyword=article]`. Returns the annotation fields
/// the source had that are merged here, so they are not written twice.
fn cv_fields(work: &Work, owner: &[String], written: &mut Vec<(Name, Value)>) -> Vec<String> {
    let mut merged = Vec::new();
    for &(list, people) in ANNOTATED_LISTS {
        let positions: Vec<usize> = people(work)
            .iter()
            .enumerate()
            .filter(|(_, person)| is_owner(person, owner))
            .map(|(at, _)| at + 1)
            .collect();
        let Some(at) = written.iter().position(|(name, _)| name == list) else {
            continue;
        };
        if positions.is_empty() {
            continue;
        }
        let field = format!("{list}+an");
        let source = work
            .extra
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&field));
        let value = annotate(source.map_or("", |(_, value)| value), &positions);
        written.insert(at + 1, (Cow::Owned(field), Value::Braced(value)));
        merged.extend(source.map(|(name, _)| name.clone()));
    }
    let group = work.kind.cv_group();
    let filed = work
        .keywords
        .iter()
        .any(|keyword| keyword.trim().eq_ignore_ascii_case(group));
    if !filed {
        let mut keywords = work.keywords.clone();
        keywords.push(group.to_owned());
        let value = Value::Braced(escape(&keywords.join(", ")));
        match written.iter().position(|(name, _)| name == "keywords") {
            Some(at) => written[at].1 = value,
            // Where the field table puts keywords: before the abstract.
            None => {
                let at = written
                    .iter()
                    .position(|(name, _)| name == "abstract")
                    .unwrap_or(written.len());
                written.insert(at, (Cow::Borrowed("keywords"), value));
            }
        }
    }
    merged
}

/// A name list's annotations (`1=corresponding; 3=equal`) with
/// `highlight` added for the names at `positions` (1-based), the source's
/// items kept as they were unless they gain it.
fn annotate(source: &str, positions: &[usize]) -> String {
    let mut items: Vec<String> = source
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect();
    for position in positions {
        let name = position.to_string();
        let item = items.iter_mut().find(|item| {
            item.split_once('=')
                .is_some_and(|(target, _)| target.trim() == name)
        });
        match item {
            Some(item) => {
                let has = item.split_once('=').is_some_and(|(_, annotations)| {
                    annotations.split(',').any(|a| a.trim() == "highlight")
                });
                if !has {
                    item.push_str(",highlight");
                }
            }
            None => items.push(format!("{name}=highlight")),
        }
    }
    items.join(";")
}

/// Whether a volume title is written as the title (or a part's
/// booktitle) under a `maintitle`: there must be a whole work's title.
fn has_main_title(work: &Work) -> bool {
    match is_part(work) {
        true => work.venue.container_title.is_some(),
        false => work.title.is_some(),
    }
}

/// The variable `number` holds, where it holds one: a serial's number is
/// its issue.
fn number_variable(work: &Work) -> Option<Variable> {
    if is_serial(work) {
        return None;
    }
    [Variable::CollectionNumber, Variable::Number]
        .into_iter()
        .find(|variable| work.fields.contains_key(variable))
}

/// An entry's fields as they are placed, each name once.
struct Placed<'l> {
    written: Vec<(Name, Value)>,
    key: &'l str,
    lost: &'l mut Vec<Diagnostic>,
}

impl Placed<'_> {
    fn is_free(&self, name: &str) -> bool {
        !name.is_empty()
            && !self
                .written
                .iter()
                .any(|(existing, _)| existing.eq_ignore_ascii_case(name))
    }

    /// A value under its field `name`, else under its CSL name (which the
    /// reader maps back), else reported.
    fn place(&mut self, name: &'static str, csl_name: &'static str, value: Value) {
        let field = [name, csl_name]
            .into_iter()
            .find(|name| self.is_free(name) && is_safe_field_name(name));
        match field {
            Some(field) => self.written.push((Cow::Borrowed(field), value)),
            None => {
                let fields = match name {
                    "" => format!("`{csl_name}`"),
                    name if name == csl_name => format!("`{name}`"),
                    name => format!("`{name}` and `{csl_name}`"),
                };
                let message = format!(
                    "`{csl_name}` of `{}` is left out: its field {fields} holds another value",
                    self.key
                );
                self.report(csl_name, message);
            }
        }
    }

    /// A field the source had that no writer knows, under its own name,
    /// unless BibTeX would read that name as something else (a CSL-JSON
    /// key `journal`, `year`).
    fn place_extra(&mut self, name: &str, value: &str) {
        let canonical = canonical_name(name);
        let problem = if !balanced(value) {
            // Written escaped, it reads back as the escapes.
            Some("its braces do not pair, and a field's must".to_owned())
        } else if !is_safe_field_name(name) {
            Some("it is no name BibTeX can read".to_owned())
        } else if !self.is_free(name) {
            Some(format!("`{name}` is written with another value"))
        } else if is_read(&canonical)
            && !KEPT_AS_WRITTEN.contains(&name)
            && !DATE_FIELDS_KEPT.contains(&name)
        {
            Some(format!("BibTeX reads `{name}` as a field of its own"))
        } else {
            None
        };
        match problem {
            None => self.written.push((
                Cow::Owned(name.to_owned()),
                Value::Braced(source_text(value)),
            )),
            Some(why) => self.report(
                name,
                format!(
                    "the value `{name}` = `{value}` of `{}` is left out: {why}",
                    self.key
                ),
            ),
        }
    }

    fn report(&mut self, field: &str, message: String) {
        self.lost.push(
            Diagnostic::new(Severity::Warning, "lost", message)
                .key(self.key)
                .field(field),
        );
    }
}

/// Fields BibTeX reads but the reader keeps as written where they say
/// nothing it can use (a book's own `booktitle`, an eprint on no known
/// server), and dates it cannot read ([`DATE_FIELDS_KEPT`]): written back
/// as they were.
const KEPT_AS_WRITTEN: &[&str] = &[
    "booktitle",
    "booksubtitle",
    "booktitleaddon",
    "journaltitle",
    "eprint",
    "eprinttype",
    "eprintclass",
];

/// A value kept as its source wrote it: as it is when its braces balance
/// (TeX from a `.bib` file), escaped otherwise.
fn source_text(value: &str) -> String {
    if balanced(value) {
        value.to_owned()
    } else {
        escape(value)
    }
}

/// BibLaTeX reads `type` and `pubstate` best as localisation keys.
fn bibstring_key(text: &Text) -> String {
    let plain = text.raw_string();
    tex::BIBSTRINGS
        .iter()
        .find(|(_, words)| *words == plain)
        .map_or_else(|| rich(text, false), |(key, _)| (*key).to_owned())
}

/// BibLaTeX's `langid` wants a babel language name, not a BCP 47 tag.
fn babel_name(text: &Text) -> String {
    let tag = text.raw_string();
    tex::babel_name(&tag).map_or_else(|| escape(&tag), str::to_owned)
}

fn title(title: Option<&Text>) -> Option<Value> {
    title.map(|text| Value::Braced(rich(text, true)))
}

/// DOIs, URLs, eprint ids, ISBNs and ISSNs are verbatim fields: biblatex
/// and `\\url` read them as written, so TeX escapes would end up in the
/// link (and the reader takes them as written too).
fn verbatim(text: &Option<String>) -> Option<Value> {
    text.as_deref().map(|text| Value::Braced(source_text(text)))
}

/// `publisher`, `location` and `institution` are lists in BibLaTeX: the
/// model's `; `-separated items are joined with `and`, and an item that
/// holds an "and" of its own is braced.
/// A list field (`publisher`, `location`) from text whose items are
/// joined by `separator` (`None`: one item, as a publisher is, whose
/// "and" the reader joined the list's items with).
fn list(text: &Option<String>, dialect: Dialect, separator: Option<&str>) -> Option<Value> {
    let text = text.as_deref()?;
    if dialect == Dialect::Bibtex {
        // A plain value in classic BibTeX, but biber reads it as a list:
        // a braced `{and}` reads the same to both.
        let escaped = escape(text);
        if !has_and_word(&escaped) {
            return Some(Value::Braced(escaped));
        }
        let words: Vec<String> = escaped
            .split(' ')
            .map(|word| {
                if word.eq_ignore_ascii_case("and") {
                    format!("{{{word}}}")
                } else {
                    word.to_owned()
                }
            })
            .collect();
        return Some(Value::Braced(words.join(" ")));
    }
    let items: Vec<&str> = match separator {
        Some(separator) => split_items(text, separator),
        None => vec![text],
    };
    let mut written = String::with_capacity(text.len() + 2);
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            written.push_str(" and ");
        }
        let item = escaped(item);
        let has_and = item
            .split_whitespace()
            .any(|word| word.eq_ignore_ascii_case("and"));
        push_braced(&mut written, &item, has_and);
    }
    Some(Value::Braced(written))
}

/// The items of a list the model joined with `separator`; a separator
/// after a space (`Cambridge ; New York`, as a source wrote it) is text.
fn split_items<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let mut items = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices(separator) {
        if at > start && !text[..at].ends_with(' ') {
            items.push(&text[start..at]);
            start = at + separator.len();
        }
    }
    items.push(&text[start..]);
    items
}

/// Text with no TeX in it, every special character escaped.
fn plain(text: &Option<String>) -> Option<Value> {
    text.as_deref().map(|text| Value::Braced(escape(text)))
}

/// The three fields a container title can go to, by entry type.
#[derive(PartialEq, Eq)]
enum ContainerField {
    Journal,
    Booktitle,
    Howpublished,
}

/// The journal, proceedings or book title, in the field the work's type
/// calls for, where the reader takes it back from. Classic styles print a
/// `@misc`'s `howpublished`: there it is said again (or, without one, the
/// arXiv note or the publisher).
fn container(work: &Work, dialect: Dialect, field: ContainerField) -> Option<Value> {
    // In a volume of a multi-volume work, the book title is the volume's.
    let volume = work
        .fields
        .get(&Variable::VolumeTitle)
        .filter(|_| is_part(work) && has_main_title(work));
    let title = volume.or(work.venue.container_title.as_ref());
    let misc = entry_type(work, dialect) == "misc";
    let wanted = match work.kind {
        _ if is_serial(work) => ContainerField::Journal,
        _ if is_part(work) || misc => ContainerField::Booktitle,
        _ => ContainerField::Journal,
    };
    if field == ContainerField::Howpublished {
        if !misc || dialect == Dialect::Biblatex {
            return None;
        }
        let publisher = work
            .venue
            .publisher
            .as_deref()
            .filter(|_| howpublished_is_publisher(work, dialect));
        return preprint_note(work, dialect)
            .or_else(|| title.map(|text| rich(text, true)))
            .or_else(|| publisher.map(escape))
            .map(Value::Braced);
    }
    title
        .filter(|_| field == wanted)
        .map(|text| Value::Braced(rich(text, true)))
}

/// `1–10` as `1--10`, the range dash BibTeX styles expect (but beside
/// a hyphen, where `---` would read as an em dash).
fn page_range(pages: &str) -> String {
    if pages.contains("–-") || pages.contains("-–") {
        return pages.to_owned();
    }
    pages.replace('–', "--")
}

/// Classic BibTeX's `@misc` has no publisher: styles print `howpublished`.
fn howpublished_is_publisher(work: &Work, dialect: Dialect) -> bool {
    dialect == Dialect::Bibtex
        && entry_type(work, dialect) == "misc"
        && work.venue.container_title.is_none()
}

/// Works whose container is a journal, magazine or newspaper.
fn is_serial(work: &Work) -> bool {
    matches!(
        work.kind,
        WorkType::JournalArticle
            | WorkType::MagazineArticle
            | WorkType::NewspaperArticle
            | WorkType::Review
    )
}

/// Works that are part of a book.
fn is_part(work: &Work) -> bool {
    matches!(
        work.kind,
        WorkType::Chapter | WorkType::ConferencePaper | WorkType::ReferenceEntry
    )
}

/// Where a preprint appeared, for classic styles that show no eprint
/// fields: `arXiv preprint arXiv:2210.13533`, or `arXiv preprint`.
fn preprint_note(work: &Work, dialect: Dialect) -> Option<String> {
    // Any @misc on arXiv, since that is what it reads back as.
    if dialect == Dialect::Biblatex || entry_type(work, dialect) != "misc" || !work.is_on_arxiv() {
        return None;
    }
    Some(match &work.ids.arxiv {
        Some(id) => format!("arXiv preprint arXiv:{}", escape(id)),
        None => "arXiv preprint".to_owned(),
    })
}

/// The `year` of classic BibTeX: one year, or a range of years
/// (`1984--1986`, `1998--` with no end), which the BibTeX reader reads
/// back as a range.
fn classic_year(date: &DateValue) -> String {
    let start = date.start.year;
    match date.end {
        Some(RangeEnd::Closed(end)) if spans_years(date) => format!("{start}--{}", end.year),
        Some(RangeEnd::Open) if spans_years(date) => format!("{start}--"),
        _ => start.to_string(),
    }
}

/// Whether the date is written as a range of years: one that runs
/// forward from a year after year zero (`-877--866` reads as no year).
fn spans_years(date: &DateValue) -> bool {
    let start = date.start.year;
    match date.end {
        Some(RangeEnd::Closed(end)) => start > 0 && end.year > start,
        Some(RangeEnd::Open) => start > 0,
        None => false,
    }
}

/// What classic BibTeX's `year`, `month` and `day` cannot say of the
/// publication date, reported: the months and days of a range, the end of
/// a range within a year, "circa".
fn classic_date_losses(work: &Work, key: &str, lost: &mut Vec<Diagnostic>) {
    let Some(date) = work.date else {
        return;
    };
    let written = classic_year(&date);
    let what = match date.end {
        Some(RangeEnd::Closed(end))
            if spans_years(&date) && (end.month.is_some() || date.start.month.is_some()) =>
        {
            Some(format!(
                "written as the years {written}: classic BibTeX has no months in a range"
            ))
        }
        Some(RangeEnd::Closed(end)) if !spans_years(&date) && end.year == date.start.year && end != date.start => {
            Some("written as its start: classic BibTeX has no range within a year".to_owned())
        }
        Some(RangeEnd::Open) if spans_years(&date) && date.start.month.is_some() => Some(format!(
            "written as the years {written}: classic BibTeX has no months in a range"
        )),
        Some(_) if !spans_years(&date) && !matches!(date.end, Some(RangeEnd::Closed(end)) if end == date.start) => Some(format!(
            "written as its first year {written}: classic BibTeX has no range that runs backwards or before year 1"
        )),
        _ if date.circa => Some(format!(
            "written as {written}, without \"circa\": classic BibTeX has no approximate dates"
        )),
        _ => None,
    };
    if let Some(what) = what {
        lost.push(
            Diagnostic::new(
                Severity::Warning,
                "lost",
                format!("the date {} of `{key}` is {what}", date.edtf()),
            )
            .key(key)
            .field("issued"),
        );
    }
}

/// A CSL date its reader could not read into a date (`{"raw": "Spring
/// 2020"}`, `{"literal": "13th century"}`), kept as its JSON under its
/// variable's name: its text.
fn unread_date(name: &str, value: &str) -> Option<String> {
    let is_date = name == "issued" || csl::DATES.iter().any(|(_, csl)| *csl == name);
    if !is_date {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(value).ok()?;
    let object = json.as_object()?;
    let text = ["raw", "literal"]
        .iter()
        .find_map(|key| object.get(*key)?.as_str())
        .map(str::to_owned);
    let season = object.get("season").map(|season| match season.as_str() {
        Some(text) => text.to_owned(),
        None => season.to_string(),
    });
    // Date-parts that are not numbers (`[["twenty"]]`): their words.
    let parts = object.get("date-parts").map(|parts| {
        let mut words = Vec::new();
        let mut pending = vec![parts];
        while let Some(value) = pending.pop() {
            match value {
                serde_json::Value::Array(items) => pending.extend(items.iter().rev()),
                serde_json::Value::String(text) => words.push(text.clone()),
                serde_json::Value::Number(number) => words.push(number.to_string()),
                _ => {}
            }
        }
        words.join(" ")
    });
    let text = text.or(parts).unwrap_or_default();
    Some(match season {
        Some(season) if !text.contains(&season) => format!("{season} {text}").trim().to_owned(),
        _ => text,
    })
}

/// The first year in a text (`Spring 2020` → 2020): four digits on their
/// own, from 1000 to 2999.
fn year_in(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|at| {
        let digits = &bytes[at..at + 4];
        let alone = (at == 0 || !bytes[at - 1].is_ascii_digit())
            && bytes.get(at + 4).is_none_or(|b| !b.is_ascii_digit());
        let year: i32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        (alone && digits.iter().all(u8::is_ascii_digit) && (1000..3000).contains(&year))
            .then_some(year)
    })
}

/// Fields for the dates the work holds only as text: the publication
/// year where one can be found, the rest in `note`; each reported, since
/// BibTeX has no field for a date it cannot read.
fn unread_dates(
    work: &Work,
    key: &str,
    dialect: Dialect,
    lost: &mut Vec<Diagnostic>,
) -> Vec<(Name, Value)> {
    let mut fields = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (name, value) in &work.extra {
        let Some(text) = unread_date(name, value) else {
            continue;
        };
        let year = year_in(&text).filter(|_| name == "issued" && work.date.is_none());
        let what = match year {
            Some(year) => {
                let field = match dialect {
                    Dialect::Bibtex => "year",
                    Dialect::Biblatex => "date",
                };
                fields.push((Cow::Borrowed(field), Value::Braced(year.to_string())));
                if text == year.to_string() {
                    continue;
                }
                format!("written as the year {year}")
            }
            None if text.is_empty() => "left out: it holds no date".to_owned(),
            None => {
                notes.push(if name == "issued" {
                    escape(&text)
                } else {
                    format!("{name}: {}", escape(&text))
                });
                "written in `note`".to_owned()
            }
        };
        lost.push(
            Diagnostic::new(
                Severity::Warning,
                "lost",
                format!("the date `{name}` of `{key}` is `{text}`, which BibTeX cannot read as a date: {what}"),
            )
            .key(key)
            .field(name),
        );
    }
    if !notes.is_empty() {
        let own = work
            .fields
            .get(&Variable::Note)
            .map(|note| rich(note, false));
        let note = own.into_iter().chain(notes).collect::<Vec<_>>().join("; ");
        fields.push((Cow::Borrowed("note"), Value::Braced(note)));
    }
    fields
}

/// A name BibTeX and biber read as a field name: no digit first, none
/// of the characters that end a name.
fn is_safe_field_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_graphic() && !"\"#%'(),={}".contains(c))
}

/// `Kim, Taero and van Beethoven, Ludwig and others`.
fn names(people: &[Person], truncated: bool) -> Option<String> {
    if people.is_empty() {
        return None;
    }
    let mut written = String::with_capacity(24 * people.len());
    for (index, person) in people.iter().enumerate() {
        if index > 0 {
            written.push_str(" and ");
        }
        push_name(person, &mut written);
    }
    if truncated {
        written.push_str(" and others");
    }
    Some(written)
}

/// One name as `von Last, Jr, First`; a literal name in braces.
fn push_name(person: &Person, out: &mut String) {
    match person {
        Person::Literal(literal) => push_braced(out, &escaped(literal), true),
        Person::Personal(name) => {
            if let Some(particle) = &name.particle {
                out.push_str(&particle_text(particle));
                out.push(' ');
            }
            // A family name with spaces or "and" must stay one token.
            let family = escaped(&name.family);
            push_braced(out, &family, family.contains([' ', ',']));
            // A comma in a part would start the next part, and the word
            // `and` the next name: braced, the part stays whole.
            let push_part = |out: &mut String, text: &str| {
                let text = escaped(text);
                push_braced(out, &text, text.contains(',') || has_and_word(&text));
            };
            if let Some(suffix) = &name.suffix {
                out.push_str(", ");
                push_part(out, suffix);
            }
            match (&name.suffix, &name.given) {
                (_, Some(given)) => {
                    out.push_str(", ");
                    push_part(out, given);
                }
                // An empty group as the given name keeps the suffix a
                // suffix: `Last, Jr` reads it as the given name, and
                // `Last, Jr,` is an error to BibTeX.
                (Some(_), None) => out.push_str(", {}"),
                (None, None) => {}
            }
        }
    }
}

/// Adds `text`, in braces if `braced`.
fn push_braced(out: &mut String, text: &str, braced: bool) {
    match braced {
        true => {
            out.push('{');
            out.push_str(text);
            out.push('}');
        }
        false => out.push_str(text),
    }
}

/// A particle as BibTeX reads one back: it needs a word that starts in
/// lower case, so a capital first letter (`Ádám` of `\'{A}d\'{a}m
/// Darvas`, which BibTeX reads as a particle) is set in a group after
/// `\relax`, where BibTeX's case test does not look.
fn particle_text(particle: &str) -> String {
    let escaped = escape(particle);
    let has_lowercase_word = particle.split(' ').any(|word| {
        word.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase)
    });
    if has_lowercase_word {
        return escaped;
    }
    let first_length = match escaped.strip_prefix('{') {
        Some(_) => escaped.find('}').map_or(escaped.len(), |end| end + 1),
        None => escaped.chars().next().map_or(0, char::len_utf8),
    };
    let (first, rest) = escaped.split_at(first_length);
    let rest_has_letter = rest
        .split(' ')
        .next()
        .is_some_and(|word| word.chars().any(char::is_lowercase));
    match rest_has_letter {
        true => format!("\\relax{{{first}}}{rest}"),
        false => escaped,
    }
}

/// Whether `text` has the word `and`, in any case, which in a name list
/// separates two names.
fn has_and_word(text: &str) -> bool {
    text.split_ascii_whitespace()
        .any(|word| word.eq_ignore_ascii_case("and"))
}

/// Rich text as TeX. `protect_case` adds braces around acronyms and words
/// with inner capitals when the source had no case protection of its own.
fn rich(text: &Text, protect_case: bool) -> String {
    // Room for most values at once: grown from nothing, a title is copied
    // several times over.
    let mut out = String::with_capacity(RICH_CAPACITY);
    let auto_protect = protect_case && text.casing == Casing::AsWritten;
    render(&text.inlines, auto_protect, &mut out);
    // Math and TeX kept as written can carry a stray brace (a pasted
    // abstract), which would end the field early: then the text goes out
    // plain, every brace escaped.
    if balanced(&out) {
        out
    } else {
        escape(&text.raw_string())
    }
}

/// The room [`rich`] starts with: more than most titles take.
const RICH_CAPACITY: usize = 128;

/// True when braces pair up as BibTeX counts them (escaped ones too).
fn balanced(value: &str) -> bool {
    let mut depth = 0usize;
    for byte in value.bytes() {
        match byte {
            b'{' => depth += 1,
            b'}' if depth == 0 => return false,
            b'}' => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

fn render(inlines: &[Inline], auto_protect: bool, out: &mut String) {
    for (index, inline) in inlines.iter().enumerate() {
        match inline {
            Inline::Plain(text) if auto_protect => protect_words(text, out),
            Inline::Plain(text) => out.push_str(&escaped(text)),
            Inline::Protected(inner) => {
                let start = out.len();
                out.push('{');
                render(inner, false, out);
                // `{\…}` reads as a BibTeX special character, not as case
                // protection: a group around it is.
                let special = out[start + 1..].starts_with('\\');
                if special {
                    out.insert(start, '{');
                }
                out.push_str(if special { "}}" } else { "}" });
            }
            Inline::Styled(style, inner) => {
                wrap(out, style_command(*style), inner, auto_protect, "}")
            }
            // Math in a title is protected, or sentence-casing styles would
            // lower-case its letters.
            Inline::Math(math) if auto_protect => {
                let _ = write!(out, "{{${math}$}}");
            }
            Inline::Math(math) => {
                let _ = write!(out, "${math}$");
            }
            // A command kept as written takes what follows it as its
            // arguments (`\\qty{1}{\\K}{,}`): set apart, unless a space ends it.
            Inline::Tex(raw) => {
                let followed = inlines.get(index + 1).is_some() && !raw.ends_with(' ');
                if followed {
                    let _ = write!(out, "{{{raw}}}");
                } else {
                    out.push_str(raw);
                }
            }
        }
    }
}

/// The LaTeX command that sets a style, with its opening brace.
fn style_command(style: Style) -> &'static str {
    match style {
        Style::Emphasis => "\\emph{",
        Style::Strong => "\\textbf{",
        Style::SmallCaps => "\\textsc{",
        Style::Superscript => "\\textsuperscript{",
        Style::Subscript => "\\textsubscript{",
    }
}

fn wrap(out: &mut String, open: &str, inner: &[Inline], auto_protect: bool, close: &str) {
    out.push_str(open);
    render(inner, auto_protect, out);
    out.push_str(close);
}

/// Escapes each word, bracing those whose capitals must survive a style's
/// re-casing: acronyms (CNN), inner capitals (CycleGAN, S-MoE, 8B).
fn protect_words(text: &str, out: &mut String) {
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let core_start = word.find(char::is_alphanumeric).unwrap_or(word.len());
        let core_end = word.rfind(char::is_alphanumeric).map_or(core_start, |i| {
            i + word[i..].chars().next().map_or(1, char::len_utf8)
        });
        let core = &word[core_start..core_end.max(core_start)];
        if has_inner_capital(core) {
            out.push_str(&escaped(&word[..core_start]));
            push_braced(out, &escaped(core), true);
            out.push_str(&escaped(&word[core_end..]));
        } else {
            out.push_str(&escaped(word));
        }
    }
}

fn has_inner_capital(word: &str) -> bool {
    word.chars()
        .zip(word.chars().skip(1))
        .any(|(before, c)| c.is_uppercase() && before.is_alphanumeric())
}

/// Escapes the characters TeX would read as commands; braces become
/// commands too, since BibTeX counts even escaped braces.
pub fn escape(text: &str) -> String {
    escaped(text).into_owned()
}

/// [`escape`], borrowing text that needs no escape (nearly all).
fn escaped(text: &str) -> Cow<'_, str> {
    match is_plain_for_tex(text) {
        true => Cow::Borrowed(text),
        false => Cow::Owned(escape_each(text)),
    }
}

/// [`escape`], character by character.
fn escape_each(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut marked = false;
    for (index, &c) in chars.iter().enumerate() {
        // A combining accent after a letter or digit with no precomposed
        // form (`2̄`, from `\=2`): pdflatex knows the accent command, not
        // the mark.
        if std::mem::take(&mut marked) {
            continue;
        }
        let accent = chars
            .get(index + 1)
            .filter(|mark| ('\u{300}'..='\u{36f}').contains(*mark))
            .and_then(|&mark| crate::tex::symbols::accent_command(mark));
        if let (Some(command), true) = (accent, c.is_ascii_alphanumeric()) {
            let _ = write!(out, "{{\\{command}{{{c}}}}}");
            marked = true;
            continue;
        }
        match c {
            // A paragraph break; a line end alone is a space.
            '\n' if index > 0 && chars[index - 1] == '\n' => {}
            '\n' if chars.get(index + 1) == Some(&'\n') => out.push_str("\\par "),
            '\n' => out.push(' '),
            '&' | '%' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            // Spaces of other widths, as TeX writes them.
            '\u{2009}' | '\u{2006}' => out.push_str("\\,"),
            '\u{202f}' => out.push_str("\\nobreak\\,"),
            '\u{2002}' => out.push_str("\\enspace{}"),
            '\u{2003}' => out.push_str("\\quad{}"),
            '⁺' | '⁻' => {
                out.push_str("\\textsuperscript{");
                out.push(if c == '⁺' { '+' } else { '-' });
                out.push('}');
            }
            // Two hyphens are TeX's en dash: hyphens that are hyphens are
            // kept apart.
            '-' if chars.get(index + 1) == Some(&'-') => out.push_str("-{}"),
            // So are quotes that TeX would join into a double quote.
            '\'' | '`' if chars.get(index + 1) == Some(&c) => {
                out.push(c);
                out.push_str("{}");
            }
            // Latin letters LaTeX's UTF-8 input lacks (`ẗ`, `ḍ`, Vietnamese
            // `ế`) as accent commands on their letter.
            c if ('\u{1e00}'..='\u{1eff}').contains(&c) => {
                let accented = crate::tex::symbols::to_ascii(c.encode_utf8(&mut [0; 4]));
                match accented.is_ascii() {
                    true => out.push_str(&accented),
                    false => out.push(c),
                }
            }
            // LaTeX's UTF-8 input covers Latin scripts; a math symbol beyond
            // them (α, ≤, ℓ, ₁) standing alone is written as math. A letter
            // inside a word of another script (Greek text) stays text.
            c if u32::from(c) >= 0x370 => {
                let in_word = |i: Option<&char>| {
                    i.is_some_and(|n| n.is_alphabetic() && u32::from(*n) >= 0x370)
                };
                let alone = !in_word(index.checked_sub(1).and_then(|i| chars.get(i)))
                    && !in_word(chars.get(index + 1));
                match math::tex_for(c).filter(|_| alone || !c.is_alphabetic()) {
                    Some(tex) => {
                        out.push_str("\\ensuremath{");
                        out.push_str(&tex);
                        out.push('}');
                    }
                    None => out.push(c),
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether [`escape`] leaves the text as it is, as it does most titles,
/// names and venues: ASCII without a character TeX reads as markup, and
/// without two hyphens or quotes TeX would join.
fn is_plain_for_tex(text: &str) -> bool {
    // One look a byte, at a table: this runs on every value written.
    let mut previous = 0;
    for &byte in text.as_bytes() {
        match TEX_BYTES[usize::from(byte)] {
            MARKUP => return false,
            JOINED if byte == previous => return false,
            _ => previous = byte,
        }
    }
    true
}

/// What each byte is to [`is_plain_for_tex`]: [`MARKUP`] (or part of a
/// character that is not ASCII), [`JOINED`] (TeX joins two of them into
/// one sign: `--`, `''`, ``` `` ```), else plain.
const TEX_BYTES: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < table.len() {
        table[byte] = match byte as u8 {
            b'\n' | b'&' | b'%' | b'#' | b'_' | b'$' | b'~' | b'^' | b'\\' | b'{' | b'}' => MARKUP,
            0x80.. => MARKUP,
            b'-' | b'\'' | b'`' => JOINED,
            _ => 0,
        };
        byte += 1;
    }
    table
};
const MARKUP: u8 = 1;
const JOINED: u8 = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonalName;
    use crate::tex::{self, Dialect as TexDialect};

    proptest::proptest! {
        /// Text taken as plain is what escaping it character by character
        /// gives; other text is escaped so.
        #[test]
        fn plain_text_is_escaped_as_it_is(text in "[ -~\n]{0,40}|[a-z&%#_$~^{}\\ '`-]{0,12}") {
            if is_plain_for_tex(&text) {
                proptest::prop_assert_eq!(escape_each(&text), text.clone());
            }
            proptest::prop_assert_eq!(escape(&text), escape_each(&text));
        }
    }

    fn arxiv_title(text: &str) -> String {
        let parsed = tex::parse(text, TexDialect::ArxivText);
        rich(
            &Text {
                inlines: parsed.inlines,
                casing: Casing::AsWritten,
            },
            true,
        )
    }

    #[test]
    fn combining_accents_become_accent_commands() {
        assert_eq!(
            escape("(112\u{304}2) (0001\u{304})"),
            r"(11{\={2}}2) (000{\={1}})"
        );
        assert_eq!(escape("n\u{303}o"), r"{\~{n}}o");
        assert_eq!(escape("\u{1e97}itle ḍ"), r#"{\"t}itle {\d{d}}"#);
        assert_eq!(
            escape("\u{304}x"),
            "\u{304}x",
            "a mark with nothing before it stays"
        );
    }

    #[test]
    fn a_string_defined_again_is_written_with_its_last_value() {
        let reading = crate::read::bibtex::read_bibtex(
            crate::read::Source {
                name: "t.bib",
                text: "@string{ACM = {First}}\n@string{acm = {Last}}\n@string{IEEE = {Last}}\n\
                       @book{a, publisher = ACM, title = {First}}\n",
            },
            &crate::read::ReadOptions::default(),
        );
        let out = write(
            &reading.library,
            Dialect::Bibtex,
            &Options::default(),
            &mut Vec::new(),
        );
        // Entries see the last value; the name first defined with it stands
        // for it, and a value no longer any name's is written out.
        assert!(
            out.starts_with("@string{ACM = {Last}}\n@string{IEEE = {Last}}\n"),
            "{out}"
        );
        assert!(out.contains("publisher = ACM,"), "{out}");
        assert!(out.contains("title = {First}"), "{out}");
    }

    #[test]
    fn acronyms_and_inner_capitals_are_protected() {
        assert_eq!(
            arxiv_title("CycleGAN with a Blur Kernel (CNN) for S-MoE on Llama3-8B"),
            "{CycleGAN} with a Blur Kernel ({CNN}) for {S-MoE} on {Llama3-8B}"
        );
        assert_eq!(
            arxiv_title("Speech-to-Text for All"),
            "Speech-to-Text for All"
        );
        assert_eq!(arxiv_title(r"The $\beta$-VAE"), r"The {$\beta$}-{VAE}");
    }

    #[test]
    fn tex_specials_are_escaped_outside_math() {
        assert_eq!(
            arxiv_title(r"50% of R&D_x #1 costs $5 ~ {a} \emph{b}"),
            r"50\% of R\&D\_x \#1 costs \$5 \textasciitilde{} {a} \emph{b}"
        );
    }

    #[test]
    fn every_csl_type_has_an_entry_type() {
        for name in crate::vocab::csl::ALL_TYPES {
            let kind = crate::vocab::csl::work_type(name).unwrap();
            let known = ENTRY_TYPES.iter().any(|(k, _, _)| *k == kind)
                || OTHER_CSL_TYPES.iter().any(|(csl, _, _)| csl == name);
            assert!(known, "{name} has no row");
        }
    }

    #[test]
    fn math_symbols_alone_become_math_and_greek_words_stay_text() {
        assert_eq!(
            escape("α-helix, β ≤ 1"),
            r"\ensuremath{\alpha}-helix, \ensuremath{\beta} \ensuremath{\leq} 1"
        );
        assert_eq!(escape("Ο Καρυωτάκης"), "Ο Καρυωτάκης");
    }

    #[test]
    fn hyphens_that_are_hyphens_are_no_dash() {
        // `--` is TeX's en dash; a page range is one on purpose.
        assert_eq!(escape("a--b---c"), "a-{}-b-{}-{}-c");
        assert_eq!(page_range(&escape("1–10")), "1--10");
        // The model's ranges have the en dash (its readers see to it).
        assert_eq!(page_range(&escape("e1–e9")), "e1--e9");
        assert_eq!(page_range("271–-297"), "271–-297");
        assert_eq!(escape("l'''"), "l'{}'{}'");
    }

    #[test]
    fn names_in_von_last_jr_first_form() {
        let people: Vec<Person> = ["Ludwig van Beethoven", "Martin Luther King Jr.", "Plato"]
            .iter()
            .map(|n| Person::from_display_name(n))
            .chain([Person::Literal("R&D Team".into())])
            .collect();
        assert_eq!(
            names(&people, true).unwrap(),
            r"van Beethoven, Ludwig and King, Jr., Martin Luther and Plato and {R\&D Team} and others"
        );
    }

    #[test]
    fn name_parts_keep_their_places() {
        let person = |family: &str, suffix: Option<&str>, given: Option<&str>| {
            Person::Personal(PersonalName {
                family: family.into(),
                suffix: suffix.map(Into::into),
                given: given.map(Into::into),
                ..PersonalName::default()
            })
        };
        let cases = [
            // A suffix without a given name.
            (person("Kovacs", Some("Jr."), None), "Kovacs, Jr., {}"),
            // The word `and` in a part, which would split the name.
            (
                person("Kovacs", Some("Zoe"), Some("and others")),
                "Kovacs, Zoe, {and others}",
            ),
            (
                person("Kovacs", None, Some("Ann AND Bob")),
                "Kovacs, {Ann AND Bob}",
            ),
            (person("Kovacs", None, Some("Andrea")), "Kovacs, Andrea"),
        ];
        for (person, written) in cases {
            assert_eq!(
                names(std::slice::from_ref(&person), false).unwrap(),
                written
            );
            let list = format!("{written} and Doe, Jane");
            let (read, _) = crate::read::bibtex::names::parse_names(&list);
            assert_eq!(
                read,
                [person, Person::from_display_name("Jane Doe")],
                "{list}"
            );
        }
    }
}
