//! The BibTeX and BibLaTeX reader.
//!
//! A file is read a window at a time ([`windows`], [`stream`]), whether it
//! is converted as it is read or read whole ([`read_bibtex`]). Each entry
//! goes through four steps, one module each: the syntax layer splits the
//! file into blocks with offsets and recovers after broken entries
//! ([`syntax`]); `@string`s are expanded and field names brought to their
//! BibLaTeX spelling (here); `xdata` and `crossref` are inherited
//! ([`inherit`]); each entry is mapped to a work by the tables in
//! [`fields`], with names ([`names`]) and dates ([`dates`]) parsed on the
//! way. Every entry either becomes a work or is reported as an error. The
//! entry types, aliases and month macros the writer shares are in
//! [`crate::vocab::bibtex`].

pub mod dates;
pub mod fields;
mod first_pass;
pub mod inherit;
pub mod names;
pub mod stream;
pub mod syntax;
pub mod windows;

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Library, Profile, Work};
use crate::read::lines::Anchor;
use crate::read::{LineIndex, ReadOptions, Reading, Source};
use crate::vocab::bibtex::{canonical_name, name_bit, reads_as_biblatex, MONTH_MACROS};

use syntax::{Lost, Piece, Value};

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
    /// The names as the source wrote them, where that differs from the
    /// field's name (`authorLink`, `key`): a field no rule reads is kept
    /// under it. Apart from the fields, as most entries have none.
    pub spellings: Vec<Cow<'a, str>>,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct RawField<'a> {
    /// Lower case, BibLaTeX's spelling.
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
    pub offset: usize,
}

impl RawEntry<'_> {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.find(name).map(|field| field.value.as_ref())
    }

    pub fn field_offset(&self, name: &str) -> Option<usize> {
        self.find(name).map(|field| field.offset)
    }

    /// A field's name as the source wrote it.
    pub fn spelling<'s>(&'s self, field: &'s RawField<'_>) -> &'s str {
        self.spellings
            .iter()
            .find(|spelled| canonical_name(spelled) == field.name)
            .map_or(field.name.as_ref(), |spelled| spelled.as_ref())
    }

    fn find(&self, name: &str) -> Option<&RawField<'_>> {
        self.fields
            .iter()
            .find(|field| same_name(&field.name, name))
    }
}

/// Whether two field names are the same. Names of one length mostly
/// differ in their first letter (`year`, `date`, `type`, `note`): that
/// settles it without a call to compare the rest.
fn same_name(one: &str, other: &str) -> bool {
    one.len() == other.len() && one.as_bytes().first() == other.as_bytes().first() && one == other
}

/// Reads a `.bib` text into a library: read as a file of any size is
/// ([`stream`]), from memory.
pub fn read_bibtex(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let input = stream::Input {
        bytes: stream::Bytes::Text(source.text),
        name: source.name,
        owner_marks: true,
        written_with_strings: false,
    };
    // A window's works, with where each starts.
    let make = |work: Work,
                _: Option<String>,
                at: stream::EntryAt,
                _: Option<&stream::Outline>,
                last: Option<&mut Vec<(Work, usize)>>| {
        let offset = usize::try_from(at.offset()).unwrap_or(usize::MAX);
        match last {
            Some(works) => {
                works.push((work, offset));
                None
            }
            None => Some(vec![(work, offset)]),
        }
    };
    let (mut works, mut offsets) = (Vec::new(), Vec::new());
    let mut each = |window: Vec<(Work, usize)>, _: &Arc<stream::Outline>| {
        for (work, offset) in window {
            works.push(work);
            offsets.push(offset);
        }
    };
    let (mut owner, mut entries_marked) = (None, 0);
    let mut marked = |mark: stream::Marked| {
        entries_marked += 1;
        owner.get_or_insert(mark);
    };
    let mut diagnostics = Vec::new();
    let mut report = |diagnostic| diagnostics.push(diagnostic);
    let read = stream::works_of(input, &make, &mut each, &mut marked, &mut report);
    let (preambles, strings) = match read {
        Ok(outline) => outline.map_or_else(Default::default, |outline| {
            (outline.preambles.clone(), outline.strings.clone())
        }),
        // Text in memory is UTF-8 and read in full: this cannot happen.
        Err(error) => {
            diagnostics.push(
                Diagnostic::new(
                    Severity::Error,
                    "bibtex::unread",
                    format!("the BibTeX reader stopped: {error:?}"),
                )
                .at(source.name, 0, 0)
                .hint("this is a fault of pubconv's: please report it with the file"),
            );
            Default::default()
        }
    };
    let (profile, note) = owner
        .map(|first| marked_owner(first, entries_marked))
        .unzip();
    diagnostics.extend(note);
    Reading {
        library: Library {
            profile,
            works,
            preambles,
            strings,
        },
        diagnostics,
        offsets,
    }
}

/// `@string` names, lower case, with their expanded values; the month
/// names are predefined.
#[derive(Clone)]
pub struct Macros<'t>(foldhash::HashMap<String, Cow<'t, str>>);

impl<'t> Macros<'t> {
    pub fn new() -> Self {
        Macros(
            MONTH_MACROS
                .iter()
                .map(|&(name, month)| (name.to_owned(), Cow::Borrowed(month)))
                .collect(),
        )
    }

    /// Whether any `@string` was defined beyond the month names as they
    /// are predefined.
    pub fn defines_any(&self) -> bool {
        self.0.len() != MONTH_MACROS.len()
            || MONTH_MACROS
                .iter()
                .any(|&(name, month)| self.0.get(name).is_none_or(|value| value != month))
    }

    pub fn insert(&mut self, name: &str, value: Cow<'t, str>) {
        self.0.insert(name.to_lowercase(), value);
    }

    /// The value of the `@string` of this name, in any case; the name,
    /// folded, goes on the `looked_up` list if there is one.
    fn get(&self, name: &str, looked_up: &mut Option<Vec<String>>) -> Option<&Cow<'t, str>> {
        // Names are nearly always lower case already (`jan`): then no
        // copy is made, and each is kept once.
        let folded = match name
            .bytes()
            .any(|byte| byte.is_ascii_uppercase() || !byte.is_ascii())
        {
            true => Cow::Owned(name.to_lowercase()),
            false => Cow::Borrowed(name),
        };
        let value = self.0.get(folded.as_ref());
        if let Some(names) = looked_up {
            if !names.iter().any(|seen| *seen == folded) {
                names.push(folded.into_owned());
            }
        }
        value
    }

    /// Whether every one of these names (folded) has the same value, or
    /// is as undefined, here and in `other`.
    pub fn agree(&self, other: &Macros<'_>, names: &[String]) -> bool {
        names
            .iter()
            .all(|name| self.0.get(name) == other.0.get(name))
    }
}

impl Default for Macros<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// The person CV owners mark in their own author lists
/// (`\underline{Ada Lovelace}`): the list's owner, as a profile's is, and
/// the note that says so, at the first list marking them (a Markdown CV
/// then sets the name in bold).
pub(crate) fn marked_owner(first: stream::Marked, entries_marked: usize) -> (Profile, Diagnostic) {
    let name = first.person.display_name();
    let mut note = first.place;
    note.message = format!(
        "{name} is set apart by formatting in {entries_marked} author list(s): read as the name, and taken as the list's owner"
    );
    note.hint = Some("a Markdown CV sets the owner in bold; --highlight names another".to_owned());
    let profile = Profile {
        name,
        primary_field: None,
        metrics: Default::default(),
    };
    (profile, note)
}

/// The owner a `.bib` file marks in its author lists, read from the file
/// as [`read_bibtex`] takes it, if it marks one; nothing is reported.
pub(crate) fn owner_of(
    bytes: stream::Bytes<'_>,
    name: &str,
) -> Result<Option<Profile>, windows::WindowError> {
    let input = stream::Input {
        bytes,
        name,
        owner_marks: true,
        written_with_strings: false,
    };
    let make = |_: Work,
                _: Option<String>,
                _: stream::EntryAt,
                _: Option<&stream::Outline>,
                _: Option<&mut ()>| None;
    let (mut owner, mut entries_marked) = (None, 0);
    let mut marked = |mark: stream::Marked| {
        entries_marked += 1;
        owner.get_or_insert(mark);
    };
    stream::works_of(input, &make, &mut |(), _| {}, &mut marked, &mut |_| {})?;
    Ok(owner.map(|first| marked_owner(first, entries_marked).0))
}

/// Reads blocks into entries and works, reporting problems as it goes.
/// It covers one text: a whole file, or a window on one; several readers
/// on one text (one per entry, side by side) share its line index.
pub struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    /// Where `text` is in the file.
    anchor: Anchor,
    /// Built at the first problem: most texts have none.
    lines: &'a OnceLock<LineIndex<'a>>,
    pub diagnostics: Vec<Diagnostic>,
    /// The `@string` names looked up (lower case, each once), when it is
    /// a list: a reader that expands with the `@string`s found so far
    /// must know later whether a redefinition changed what it read.
    pub looked_up: Option<Vec<String>>,
}

impl<'a> Reader<'a> {
    /// A reader of `text`, whose place in `file` `anchor` gives;
    /// `lines` is where the text's line index is kept once built.
    pub fn new(
        file: &'a str,
        text: &'a str,
        anchor: Anchor,
        lines: &'a OnceLock<LineIndex<'a>>,
    ) -> Self {
        Reader {
            file,
            text,
            anchor,
            lines,
            diagnostics: Vec::new(),
            looked_up: None,
        }
    }

    fn lines(&self) -> &'a LineIndex<'a> {
        let text = self.text;
        let anchor = self.anchor;
        self.lines
            .get_or_init(|| LineIndex::within(text, anchor.at, anchor.line, anchor.column))
    }

    /// The 1-based line and column of an offset in the text.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        self.lines().line_column(offset)
    }

    /// The 1-based line of an offset in the text.
    pub fn line(&self, offset: usize) -> usize {
        self.lines().line(offset)
    }

    fn report(&mut self, diagnostic: Diagnostic, offset: usize) {
        let placed = self.placed(diagnostic, offset);
        self.diagnostics.push(placed);
    }

    /// The diagnostic placed at an offset in the text, with its line.
    fn placed(&self, diagnostic: Diagnostic, offset: usize) -> Diagnostic {
        self.lines().place(diagnostic, self.file, offset)
    }

    pub fn report_syntax_errors(&mut self, errors: &[syntax::SyntaxError]) {
        const PASSED_OVER: &str = "fix the broken entry before it, or start each entry on a line of its own: reading went on at the next line starting with `@`";
        for error in errors {
            let key = error
                .key
                .as_deref()
                .map_or(String::new(), |key| format!(" in entry `{key}`"));
            let (code, message, hint) = match error.lost {
                Lost::Entry => ("bibtex::syntax", format!("{}{key}", error.message), "fix the entry; it was left out and reading went on at the next line starting with `@`"),
                Lost::Definition => ("bibtex::string-syntax", format!("{}{key}", error.message), "fix the @string or @preamble; it was left out and reading went on at the next line starting with `@`"),
                Lost::PassedOverEntry => ("bibtex::syntax", error.message.clone(), PASSED_OVER),
                Lost::PassedOverDefinition => ("bibtex::string-syntax", error.message.clone(), PASSED_OVER),
            };
            let diagnostic = Diagnostic::new(Severity::Error, code, message).hint(hint);
            let diagnostic = match &error.key {
                Some(key) => diagnostic.key(key.clone()),
                None => diagnostic,
            };
            self.report(diagnostic, error.offset);
        }
    }

    pub fn report_duplicate(&mut self, key: &str, earlier_line: usize, offset: usize) {
        let warning = Diagnostic::new(
            Severity::Warning,
            "bibtex::duplicate-key",
            format!("the entry on line {earlier_line} has the key `{key}` too; both are kept, and the output gives this one a letter suffix"),
        )
        .hint("give each entry its own key");
        self.report(warning.key(key), offset);
    }

    pub fn report_inheritance(
        &mut self,
        entry: &RawEntry<'_>,
        severity: Severity,
        message: String,
    ) {
        let diagnostic = Diagnostic::new(
            severity,
            "bibtex::inheritance",
            format!("{message} (entry `{}`)", entry.key),
        );
        self.report(diagnostic.key(entry.key.to_string()), entry.offset);
    }

    /// The entry as a work, with what the field tables noticed reported.
    pub fn work(&mut self, entry: &RawEntry<'_>) -> crate::model::Work {
        let mut notes = Vec::new();
        let work = fields::to_work(entry, &mut notes);
        for note in notes {
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                "bibtex::field",
                format!("{} (entry `{}`)", note.message, entry.key),
            );
            self.report(diagnostic.key(entry.key.to_string()), note.offset);
        }
        work
    }

    /// Joins a value's pieces, looking `@string` names up case-insensitively.
    pub fn expand<'t>(&mut self, value: &Value<'t>, macros: &Macros<'t>) -> Cow<'t, str> {
        let resolve = |reader: &mut Self, piece: &Piece<'t>| -> Cow<'t, str> {
            match *piece {
                Piece::Text(text) => Cow::Borrowed(text),
                Piece::Macro { name, offset } => match macros.get(name, &mut reader.looked_up) {
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

    pub fn raw_entry<'t>(&mut self, entry: syntax::Entry<'t>, macros: &Macros<'t>) -> RawEntry<'t> {
        let mut fields: Vec<RawField<'t>> = Vec::with_capacity(entry.fields.len());
        let mut spellings = Vec::new();
        // The bits of the names so far: a name whose bit is new is no
        // duplicate.
        let mut names = 0;
        for field in entry.fields {
            let name = canonical_name(field.name);
            let bit = name_bit(&name);
            let seen = names & bit != 0;
            names |= bit;
            if seen
                && fields
                    .iter()
                    .any(|existing| same_name(&existing.name, &name))
            {
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "bibtex::duplicate-field",
                    format!("`{}` is given twice in entry `{}`; the first is kept, this one is left out", field.name, entry.key),
                );
                self.report(warning.key(entry.key), field.offset);
                continue;
            }
            let value = self.expand(&field.value, macros);
            // Written in capitals (`ENTRYSET`), a name is shouted, not
            // spelled: it is kept in lower case.
            let shouted = !field.name.bytes().any(|b| b.is_ascii_lowercase());
            if name != field.name && !(shouted && name.eq_ignore_ascii_case(field.name)) {
                spellings.push(Cow::Borrowed(field.name));
            }
            fields.push(RawField {
                name,
                value,
                offset: field.offset,
            });
        }
        let kind = entry.kind.to_ascii_lowercase();
        let biblatex = reads_as_biblatex(&kind, fields.iter().map(|field| field.name.as_ref()));
        RawEntry {
            kind,
            biblatex,
            key: Cow::Borrowed(entry.key),
            fields,
            spellings,
            offset: entry.offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_defined_beyond_the_month_names_as_predefined() {
        let mut macros = Macros::new();
        assert!(!macros.defines_any());
        macros.insert("JAN", Cow::Borrowed("January"));
        assert!(!macros.defines_any());
        macros.insert("jan", Cow::Borrowed("Janvier"));
        assert!(macros.defines_any());
        let mut macros = Macros::new();
        macros.insert("ieee", Cow::Borrowed("IEEE"));
        assert!(macros.defines_any());
    }
}
