//! The BibTeX and BibLaTeX reader.
//!
//! Reading goes in four steps, one module each: the syntax layer splits the
//! file into blocks with offsets and recovers after broken entries
//! ([`syntax`]); `@string`s are expanded and field names brought to their
//! BibLaTeX spelling (here); `xdata` and `crossref` are inherited
//! ([`inherit`]); each entry is mapped to a work by the tables in
//! [`fields`], with names ([`names`]) and dates ([`dates`]) parsed on the
//! way. Every entry either becomes a work or is reported as an error.

pub mod dates;
pub mod fields;
pub mod inherit;
pub mod names;
pub mod syntax;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Library;
use crate::read::{LineIndex, ReadOptions, Reading, Source};

use syntax::{Block, Piece, Value};

/// True when some line starts an entry: `@type{` or `@type(`.
pub fn recognizes(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with('@')
            && line[1..]
                .trim_start()
                .split(['{', '('])
                .next()
                .is_some_and(|kind| {
                    !kind.is_empty() && kind.trim_end().chars().all(char::is_alphanumeric)
                })
            && line.contains(['{', '('])
    })
}

/// One entry with `@string`s expanded and field names in lower-case
/// BibLaTeX spelling.
#[derive(Debug, Clone)]
pub struct RawEntry<'a> {
    /// Lower case: `inproceedings`.
    pub kind: String,
    /// Written for BibLaTeX (it uses a type or field classic BibTeX does
    /// not have), so its `publisher`, `location` and `institution` are
    /// lists separated by `and`; in classic BibTeX they are plain text
    /// ("Taylor and Francis").
    pub biblatex: bool,
    pub key: Cow<'a, str>,
    pub fields: Vec<RawField<'a>>,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct RawField<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
    pub offset: usize,
}

impl RawEntry<'_> {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|field| field.name == name)
            .map(|field| field.value.as_ref())
    }

    pub fn field_offset(&self, name: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|field| field.name == name)
            .map(|field| field.offset)
    }
}

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

/// BibTeX's predefined month macros.
const MONTH_MACROS: [(&str, &str); 12] = [
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

/// Reads a `.bib` file into a library.
pub fn read_bibtex(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let mut reader = Reader {
        file: source.name,
        lines: LineIndex::new(source.text),
        diagnostics: Vec::new(),
    };
    let parsed = syntax::parse(source.text);
    for error in &parsed.errors {
        let key = error
            .key
            .as_deref()
            .map_or(String::new(), |key| format!(" in entry `{key}`"));
        let (code, what) = match error.in_entry {
            true => ("bibtex::syntax", "entry"),
            false => ("bibtex::string-syntax", "@string or @preamble"),
        };
        let diagnostic = Diagnostic::new(Severity::Error, code, format!("{}{key}", error.message))
            .hint(format!(
                "fix the {what}; it was left out and reading went on at the next line starting with `@`"
            ));
        let diagnostic = match &error.key {
            Some(key) => diagnostic.key(key.clone()),
            None => diagnostic,
        };
        reader.report(diagnostic, error.offset);
    }
    let mut macros: HashMap<String, Cow<'_, str>> = MONTH_MACROS
        .iter()
        .map(|&(name, month)| (name.to_owned(), Cow::Borrowed(month)))
        .collect();
    let mut preambles = Vec::new();
    let mut strings = Vec::new();
    let mut entries = Vec::new();
    // @string definitions see only those before them, as in BibTeX, so no
    // definition can refer to itself; entries see all of them.
    let mut pending = Vec::new();
    for block in parsed.blocks {
        match block {
            Block::String(definition) => {
                let value = reader.expand(&definition.value, &macros);
                strings.push((definition.name.to_owned(), value.to_string()));
                macros.insert(definition.name.to_lowercase(), value);
            }
            Block::Preamble(value) => preambles.push(reader.expand(&value, &macros).into_owned()),
            Block::Entry(entry) => pending.push(entry),
            Block::Comment => {}
        }
    }
    let mut first_with_key: HashMap<String, usize> = HashMap::new();
    for entry in pending {
        let earlier = *first_with_key
            .entry(entry.key.to_lowercase())
            .or_insert(entry.offset);
        if earlier != entry.offset {
            let (line, _) = reader.lines.line_column(earlier);
            let warning = Diagnostic::new(
                Severity::Warning,
                "bibtex::duplicate-key",
                format!("the entry on line {line} has the key `{}` too; both are kept, and the output gives this one a letter suffix", entry.key),
            )
            .hint("give each entry its own key");
            reader.report(warning.key(entry.key), entry.offset);
        }
        entries.push(reader.raw_entry(entry, &macros));
    }
    for problem in inherit::resolve(&mut entries) {
        let entry = &entries[problem.entry];
        let diagnostic = Diagnostic::new(
            Severity::Warning,
            "bibtex::inheritance",
            format!("{} (entry `{}`)", problem.message, entry.key),
        );
        reader.report(diagnostic.key(entry.key.to_string()), entry.offset);
    }
    let mut works = Vec::new();
    for entry in entries.iter().filter(|entry| entry.kind != "xdata") {
        let mut notes = Vec::new();
        works.push(fields::to_work(entry, &mut notes));
        for note in notes {
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "bibtex::field",
                format!("{} (entry `{}`)", note.message, entry.key),
            );
            reader.report(diagnostic.key(entry.key.to_string()), note.offset);
        }
    }
    Reading {
        library: Library {
            profile: None,
            works,
            preambles,
            strings,
        },
        diagnostics: reader.diagnostics,
    }
}

struct Reader<'a> {
    file: &'a str,
    lines: LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn report(&mut self, diagnostic: Diagnostic, offset: usize) {
        let (line, column) = self.lines.line_column(offset);
        let text = self.lines.line_text(line);
        self.diagnostics
            .push(diagnostic.at(self.file, line, column).line_text(text));
    }

    /// Joins a value's pieces, looking `@string` names up case-insensitively.
    fn expand<'t>(
        &mut self,
        value: &Value<'t>,
        macros: &HashMap<String, Cow<'t, str>>,
    ) -> Cow<'t, str> {
        let resolve = |reader: &mut Self, piece: &Piece<'t>| -> Cow<'t, str> {
            match *piece {
                Piece::Text(text) => Cow::Borrowed(text),
                Piece::Macro { name, offset } => match macros.get(&name.to_lowercase()) {
                    Some(value) => value.clone(),
                    None => {
                        let warning = Diagnostic::new(
                            Severity::Warning,
                            "bibtex::undefined-string",
                            format!("`{name}` is no @string defined before this point; kept as the text `{name}`"),
                        )
                        .hint("define it with @string, or put the value in braces");
                        reader.report(warning, offset);
                        Cow::Borrowed(name)
                    }
                },
            }
        };
        match value.pieces.as_slice() {
            [single] => resolve(self, single),
            pieces => Cow::Owned(pieces.iter().map(|piece| resolve(self, piece)).collect()),
        }
    }

    fn raw_entry<'t>(
        &mut self,
        entry: syntax::Entry<'t>,
        macros: &HashMap<String, Cow<'t, str>>,
    ) -> RawEntry<'t> {
        let mut fields: Vec<RawField<'t>> = Vec::with_capacity(entry.fields.len());
        for field in entry.fields {
            let name = canonical_name(field.name);
            if fields.iter().any(|existing| existing.name == name) {
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "bibtex::duplicate-field",
                    format!("`{}` is given twice in entry `{}`; the first is kept, this one is left out", field.name, entry.key),
                );
                self.report(warning.key(entry.key), field.offset);
                continue;
            }
            let value = self.expand(&field.value, macros);
            fields.push(RawField {
                name,
                value,
                offset: field.offset,
            });
        }
        let kind = entry.kind.to_ascii_lowercase();
        let biblatex = BIBLATEX_TYPES.contains(&kind.as_str())
            || fields
                .iter()
                .any(|field| BIBLATEX_FIELDS.contains(&field.name.as_ref()));
        RawEntry {
            kind,
            biblatex,
            key: Cow::Borrowed(entry.key),
            fields,
            offset: entry.offset,
        }
    }
}

/// A field name in lower case, BibTeX aliases replaced by BibLaTeX names.
fn canonical_name(name: &str) -> Cow<'_, str> {
    let lower: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    match fields::FIELD_ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
    {
        Some((_, biblatex)) => Cow::Borrowed(biblatex),
        None => lower,
    }
}
