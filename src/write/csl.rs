//! The CSL-JSON writer: an array of items as citeproc, pandoc and Zotero
//! read them, valid against the CSL 1.0.2 schema.
//!
//! Choices where CSL has no exact place:
//! - A preprint is type `article`; an arXiv one has `publisher: "arXiv"`,
//!   `number: "arXiv:ID"` when the id is known, and its subject classes in
//!   `categories`.
//! - A truncated author list ("et al." in the source) lists the authors
//!   known and sets `custom: {"authors-truncated": true}`: CSL has no
//!   variable for it, and a fake author named "others" would be cited.
//! - Rich text uses CSL's markup: `<i>`, `<b>`, `<span class="nocase">`;
//!   math becomes Unicode where it has a Unicode form and stays `$TeX$`
//!   otherwise.

use std::borrow::Cow;
use std::io;

use serde::{Serialize, Serializer};

use crate::key::citation_keys;
use crate::model::{Date, DateValue, Inline, Library, Person, RangeEnd, Text, Work, WorkType};
use crate::tex::math;
use crate::vocab::csl::{self, Tag};
use crate::write::{Options, OutputFormat};

/// One item, borrowing what it can from the work: only rich text is
/// rendered anew.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item<'w> {
    id: &'w str,
    #[serde(rename = "type")]
    kind: &'static str,
    citation_key: &'w str,
    #[serde(skip_serializing_if = "<[Person]>::is_empty", serialize_with = "names")]
    author: &'w [Person],
    #[serde(skip_serializing_if = "<[Person]>::is_empty", serialize_with = "names")]
    editor: &'w [Person],
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<&'w str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<&'w str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<Cow<'w, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'w str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_place: Option<&'w str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'w str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<Cow<'w, str>>,
    #[serde(rename = "ISBN", skip_serializing_if = "Option::is_none")]
    isbn: Option<&'w str>,
    #[serde(rename = "ISSN", skip_serializing_if = "Option::is_none")]
    issn: Option<&'w str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<&'w str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_text: Option<String>,
    #[serde(skip_serializing_if = "Custom::is_empty")]
    custom: Custom<'w>,
    /// The variables, roles and dates of the tables below.
    #[serde(flatten)]
    more: Entries<'w, Value<'w>>,
}

/// A value of [`Item::more`].
#[derive(Serialize)]
#[serde(untagged)]
enum Value<'w> {
    Text(String),
    Names(#[serde(serialize_with = "names")] &'w [Person]),
    /// People of several roles, written as one list.
    PersonList(#[serde(serialize_with = "person_list")] Vec<&'w Person>),
    Date(CslDate),
    /// A value a CSL source gave that the model could not hold.
    Json(serde_json::Value),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Name<'w> {
    Personal {
        family: &'w str,
        #[serde(skip_serializing_if = "Option::is_none")]
        given: Option<&'w str>,
        #[serde(
            rename = "non-dropping-particle",
            skip_serializing_if = "Option::is_none"
        )]
        particle: Option<&'w str>,
        #[serde(rename = "dropping-particle", skip_serializing_if = "Option::is_none")]
        dropping_particle: Option<&'w str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<&'w str>,
    },
    Literal {
        literal: &'w str,
    },
}

/// A CSL date: one or two sets of date parts (a range); an open range has
/// its start as parts and the whole range as `raw` EDTF.
#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<DateParts>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    circa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<String>,
}

/// Year, month, day: as many as are known.
struct DateParts {
    parts: [i32; 3],
    known: usize,
}

impl Serialize for DateParts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.parts[..self.known])
    }
}

/// Data CSL has no variable for, and fields of the source no writer knows.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Custom<'w> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    authors_truncated: bool,
    /// BibLaTeX's roles CSL counts as contributors, by name, so that
    /// reading the item back restores them.
    #[serde(flatten)]
    roles: Entries<'w, Value<'w>>,
    #[serde(flatten)]
    extra: Entries<'w, &'w str>,
}

impl Custom<'_> {
    fn is_empty(&self) -> bool {
        !self.authors_truncated && self.roles.0.is_empty() && self.extra.0.is_empty()
    }
}

/// Named values written as the members of an object, in order.
struct Entries<'w, V>(Vec<(&'w str, V)>);

impl<V: Serialize> Serialize for Entries<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

fn names<S: Serializer>(people: &&[Person], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(people.iter().map(name_of))
}

fn person_list<S: Serializer>(people: &[&Person], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(people.iter().map(|person| name_of(person)))
}

/// Writes the library as a pretty-printed CSL-JSON array, in input order.
pub fn write(library: &Library, options: &Options) -> String {
    let keys = citation_keys(&library.works, &options.key_pattern);
    let Some(mut writer) = OutputFormat::CslJson.stream_writer() else {
        return String::new();
    };
    let (mut json, mut item) = (Vec::new(), Vec::new());
    // Writing to memory cannot fail.
    for (work, key) in library.works.iter().zip(keys) {
        item.clear();
        render_item(work, key, &mut item);
        let _ = writer.push(&mut json, &item);
    }
    let _ = writer.finish(&mut json);
    // serde_json writes UTF-8 only.
    String::from_utf8(json).unwrap_or_default()
}

/// Adds one item as it stands in the array, one level in: a variable a
/// line, its value on that line (see `Layout`).
pub fn render_item(work: &Work, key: String, out: &mut Vec<u8>) {
    out.extend_from_slice(INDENT);
    let mut serializer = serde_json::Serializer::with_formatter(out, Layout::default());
    // Serialising plain structs of strings and numbers into memory cannot
    // fail.
    let _ = item(work, &key).serialize(&mut serializer);
}

/// The layout of an item: one variable a line, indented two spaces a
/// level as serde_json's pretty printer does, but each variable's value on
/// its line (`"author": [{"family": "Doe", "given": "Jane"}]`, `"issued":
/// {"date-parts": [[2022, 10, 24]]}`), not a line for every name part
/// and number. A file reads and diffs a work at a time, and is half as long.
#[derive(Default)]
struct Layout {
    depth: usize,
    has_value: bool,
}

const INDENT: &[u8] = b"  ";

/// A comma, a line end and enough spaces for the indentation of any item
/// pubconv writes: a new line, after a comma or not, is one write.
const NEW_LINE: &[u8; 34] = b",\n                                ";

impl Layout {
    fn open<W: ?Sized + std::io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        let inline = self.inline();
        self.depth -= 1;
        if self.has_value && !inline {
            self.line(out, false)?;
        }
        out.write_all(bracket)
    }

    /// Starts a line one level deeper than the depth, after a comma or not.
    fn line<W: ?Sized + std::io::Write>(&self, out: &mut W, comma: bool) -> io::Result<()> {
        let from = usize::from(!comma);
        let width = INDENT.len() * (self.depth + 1);
        match NEW_LINE.get(from..2 + width) {
            Some(line) => out.write_all(line),
            None => {
                out.write_all(&NEW_LINE[from..2])?;
                (0..=self.depth).try_for_each(|_| out.write_all(INDENT))
            }
        }
    }

    fn member<W: ?Sized + std::io::Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        match (self.inline(), first) {
            (true, true) => Ok(()),
            (true, false) => out.write_all(b", "),
            (false, first) => self.line(out, !first),
        }
    }

    /// Within a variable's value: the item is depth 1.
    fn inline(&self) -> bool {
        self.depth >= 2
    }
}

impl serde_json::ser::Formatter for Layout {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.member(out, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.member(out, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn item<'w>(work: &'w Work, key: &'w str) -> Item<'w> {
    let on_arxiv = work.kind == WorkType::Preprint && work.is_on_arxiv();
    Item {
        id: key,
        kind: csl::type_name(work.kind),
        citation_key: key,
        author: &work.authors,
        editor: &work.editors,
        title: work.title.as_ref().map(markup),
        container_title: work.venue.container_title.as_ref().map(markup),
        issued: work.date.map(date),
        volume: work.venue.volume.as_deref(),
        issue: work.venue.issue.as_deref(),
        // CSL processors format page ranges from a plain hyphen.
        page: work
            .venue
            .pages
            .as_deref()
            .map(|pages| match pages.contains('–') {
                true => Cow::Owned(hyphenated(pages)),
                false => Cow::Borrowed(pages),
            }),
        publisher: work
            .venue
            .publisher
            .as_deref()
            .or_else(|| on_arxiv.then_some("arXiv")),
        publisher_place: work.venue.place.as_deref(),
        doi: work.ids.doi.as_deref(),
        url: work.ids.url.as_deref().map(Cow::Borrowed).or_else(|| {
            work.ids
                .arxiv
                .as_ref()
                .map(|id| Cow::Owned(format!("https://arxiv.org/abs/{id}")))
        }),
        isbn: work.ids.isbn.as_deref(),
        issn: work.ids.issn.as_deref(),
        categories: work.categories.iter().map(|c| c.best()).collect(),
        keyword: (!work.keywords.is_empty()).then(|| work.keywords.join(", ")),
        abstract_text: work.abstract_text.as_ref().map(markup),
        custom: Custom {
            authors_truncated: work.authors_truncated,
            roles: Entries(
                csl::CONTRIBUTOR_ROLES
                    .iter()
                    .filter_map(|(role, name)| {
                        let people = work.contributors.get(role)?;
                        Some((*name, Value::Names(people)))
                    })
                    .collect(),
            ),
            extra: Entries(
                work.extra
                    .iter()
                    .filter(|(name, value)| !back_at_top_level(work, name, value))
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect(),
            ),
        },
        more: more(work),
    }
}

/// A page range with the hyphen CSL processors format ranges from, where
/// it stands between two numbers (`1–10` → `1-10`); an en dash elsewhere
/// (`100–`, an open range) stays, as the reader takes a hyphen there as a
/// hyphen.
fn hyphenated(pages: &str) -> String {
    let chars: Vec<char> = pages.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(at, &c)| {
            let between = at > 0
                && chars[at - 1].is_ascii_alphanumeric()
                && chars.get(at + 1).is_some_and(char::is_ascii_alphanumeric);
            if c == '–' && between {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// Whether a value the model could not hold goes back under its CSL
/// variable's name: a date CSL-JSON gave in a form the model has no room
/// for (`{"literal": "13th century"}`), names in one, where the work has
/// no value of its own there. Anything else (text under a variable's
/// name, which reading would take as the variable) goes to `custom`.
fn back_at_top_level(work: &Work, name: &str, value: &str) -> bool {
    if name == "issued" {
        return work.date.is_none();
    }
    if let Some(variable) = csl::by_name(csl::DATES, name) {
        return !work.dates.contains_key(&variable);
    }
    let names = match name {
        "author" => Some(&work.authors),
        "editor" => Some(&work.editors),
        _ => csl::by_name(csl::ROLES, name).map(|role| {
            static NOBODY: Vec<Person> = Vec::new();
            work.contributors.get(&role).unwrap_or(&NOBODY)
        }),
    };
    names.is_some_and(|people| people.is_empty() && value.starts_with('['))
}

/// The variables, roles and dates CSL names by tables, sorted by name;
/// where two give the same name, the first.
fn more(work: &Work) -> Entries<'_, Value<'_>> {
    // Room for what most works have: growing is what costs.
    let mut more = Vec::with_capacity(work.fields.len() + 2);
    for (variable, text) in &work.fields {
        if let Some(name) = csl::name_of(csl::VARIABLES, variable) {
            more.push((name, Value::Text(markup(text))));
        }
    }
    if let Some(id) = &work.ids.arxiv {
        more.push(("number", Value::Text(format!("arXiv:{id}"))));
    }
    // Roles CSL has no name for (a commentator, a foreword's writer) are
    // among its contributors.
    let mut contributors: Vec<&Person> = Vec::new();
    for (role, people) in &work.contributors {
        match csl::name_of(csl::ROLES, role) {
            Some("contributor") => contributors.extend(people),
            Some(name) => more.push((name, Value::Names(people))),
            None => contributors.extend(people),
        }
    }
    if !contributors.is_empty() {
        more.push(("contributor", Value::PersonList(contributors)));
    }
    for (variable, value) in &work.dates {
        if let Some(name) = csl::name_of(csl::DATES, variable) {
            more.push((name, Value::Date(date(*value))));
        }
    }
    // Values the model could not hold but a CSL source gave (a literal
    // date, say) go back where they came from.
    for (name, value) in &work.extra {
        if back_at_top_level(work, name, value) {
            let json = serde_json::from_str(value)
                .unwrap_or_else(|_| serde_json::Value::String(value.clone()));
            more.push((name, Value::Json(json)));
        }
    }
    // A stable sort keeps the first of a name first.
    more.sort_by_key(|&(name, _)| name);
    more.dedup_by_key(|&mut (name, _)| name);
    Entries(more)
}

fn name_of(person: &Person) -> Name<'_> {
    match person {
        Person::Literal(literal) => Name::Literal { literal },
        Person::Personal(name) => {
            let particle = name.particle.as_deref();
            Name::Personal {
                family: &name.family,
                given: name.given.as_deref(),
                particle: particle.filter(|_| !name.dropping_particle),
                dropping_particle: particle.filter(|_| name.dropping_particle),
                suffix: name.suffix.as_deref(),
            }
        }
    }
}

fn date(value: DateValue) -> CslDate {
    let parts = |date: Date| {
        let month = date.month.map(|m| i32::from(m.number()));
        let day = date.day.map(i32::from).filter(|_| month.is_some());
        DateParts {
            parts: [date.year, month.unwrap_or(0), day.unwrap_or(0)],
            known: 1 + usize::from(month.is_some()) + usize::from(day.is_some()),
        }
    };
    let mut date_parts = vec![parts(value.start)];
    if let Some(RangeEnd::Closed(end)) = value.end {
        date_parts.push(parts(end));
    }
    CslDate {
        date_parts,
        circa: value.circa,
        raw: (value.end == Some(RangeEnd::Open)).then(|| value.edtf()),
    }
}

/// Rich text in CSL's HTML-like markup.
fn markup(text: &Text) -> String {
    // Room for most titles: growing to it would copy them several times.
    let mut out = String::with_capacity(128);
    let own = render(&text.inlines, Dollars::AsTheyAre, false, &mut out);
    // Two dollars in one run of text read as math (`$…$`, as math without
    // a Unicode form is written). Where the text has dollars of its own,
    // each gets a span of its own, which ends the run: CSL processors show
    // it as a dollar, and it reads back as one.
    if own > 0 && out.bytes().filter(|&byte| byte == b'$').nth(1).is_some() {
        out.clear();
        render(&text.inlines, Dollars::Apart, false, &mut out);
    }
    out
}

/// How the text's own dollar signs (no math delimiters) are written.
#[derive(Clone, Copy, PartialEq)]
enum Dollars {
    AsTheyAre,
    Apart,
}

const DOLLAR_APART: &str = "<span class=\"nocase\">$</span>";

/// Renders `inlines` into `out`, `protected` when inside a nocase span
/// already; returns how many of the dollars written are the text's own.
fn render(inlines: &[Inline], dollars: Dollars, protected: bool, out: &mut String) -> usize {
    let mut own = 0;
    for inline in inlines {
        match inline {
            Inline::Plain(plain) | Inline::Tex(plain) => own += text(plain, dollars, out),
            // A dollar already in a span of its own.
            Inline::Protected(inner) if dollars == Dollars::Apart && is_lone_dollar(inner) => {
                out.push_str(DOLLAR_APART)
            }
            // `{{CycleGAN}}` protects once; `{"}` protects nothing, as it
            // has no letter whose case a style could change. (A dollar's
            // span keeps it from reading as math: it stays.)
            Inline::Protected(inner)
                if protected || !(has_cased_letters(inner) || has_dollar(inner)) =>
            {
                own += render(inner, dollars, protected, out)
            }
            Inline::Protected(inner) => {
                let (open, close) = Tag::NoCase.forms();
                own += wrap(out, open, inner, dollars, true, close)
            }
            Inline::Styled(style, inner) => {
                let (open, close) = Tag::Styled(*style).forms();
                own += wrap(out, open, inner, dollars, protected, close);
            }
            Inline::Math(tex) => match math::to_unicode(tex) {
                // `\$` in math is a dollar of the text's own.
                Some(unicode) => own += text(&unicode, dollars, out),
                // Math that would not read back as math (`$5 or 6$`) is
                // written as the text it is.
                None if !csl::reads_as_math(tex) => own += text(&format!("${tex}$"), dollars, out),
                None => {
                    out.push('$');
                    out.push_str(&csl::escape_markup(tex));
                    out.push('$');
                }
            },
        }
    }
    own
}

/// Writes text; returns how many dollars it has.
fn text(text: &str, dollars: Dollars, out: &mut String) -> usize {
    // Most text has none of `&`, `<` or `$`: one look settles it.
    if !text.bytes().any(|byte| matches!(byte, b'&' | b'<' | b'$')) {
        out.push_str(text);
        return 0;
    }
    let text = csl::escape_markup(text);
    let count = text.matches('$').count();
    match dollars {
        Dollars::Apart if count > 0 => out.push_str(&text.replace('$', DOLLAR_APART)),
        _ => out.push_str(&text),
    }
    count
}

/// Whether the text has a letter with case (`A`, `ß`, `α`; not `"`, `1`
/// or `漢`).
fn has_cased_letters(inlines: &[Inline]) -> bool {
    let cased = |text: &str| text.chars().any(|c| c.is_uppercase() || c.is_lowercase());
    inlines.iter().any(|inline| match inline {
        Inline::Plain(text) | Inline::Tex(text) => cased(text),
        Inline::Math(tex) => math::to_unicode(tex).map_or_else(|| cased(tex), |text| cased(&text)),
        Inline::Protected(inner) | Inline::Styled(_, inner) => has_cased_letters(inner),
    })
}

fn has_dollar(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Plain(text) | Inline::Tex(text) => text.contains('$'),
        Inline::Math(_) => true,
        Inline::Protected(inner) | Inline::Styled(_, inner) => has_dollar(inner),
    })
}

fn is_lone_dollar(inlines: &[Inline]) -> bool {
    matches!(inlines, [Inline::Plain(text)] if text == "$")
}

/// Writes `inner` between tags; an empty group (`Ph{}D` in TeX, which only
/// stops a ligature) is written as nothing, not as an empty span.
fn wrap(
    out: &mut String,
    open: &str,
    inner: &[Inline],
    dollars: Dollars,
    protected: bool,
    close: &str,
) -> usize {
    let before = out.len();
    out.push_str(open);
    let own = render(inner, dollars, protected, out);
    match out.len() == before + open.len() {
        true => out.truncate(before),
        false => out.push_str(close),
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csl::markup as read_markup;

    /// Written, read back and written again gives the same markup.
    fn stable(inlines: Vec<Inline>) -> String {
        let written = markup(&Text {
            inlines,
            casing: crate::model::Casing::Marked,
        });
        let again = markup(&read_markup(&written));
        assert_eq!(again, written);
        written
    }

    #[test]
    fn dollars_of_the_text_never_pair_into_math() {
        let plain = |text: &str| Inline::Plain(text.to_owned());
        // One dollar alone needs nothing.
        assert_eq!(stable(vec![plain("costs $5")]), "costs $5");
        // Math without a Unicode form is `$…$`; a dollar beside it is not.
        let written = stable(vec![
            plain("pay $5 for "),
            Inline::Math("\\frac{a}{b}".to_owned()),
        ]);
        assert_eq!(
            written,
            "pay <span class=\"nocase\">$</span>5 for $\\frac{a}{b}$"
        );
        // Kept TeX with dollars that would pair.
        stable(vec![
            plain("of"),
            Inline::Tex("$$\\alpha$-Helices".to_owned()),
        ]);
        // Math holding a dollar, or not reading as math, is written as
        // text.
        stable(vec![Inline::Math("x \\$ y".to_owned()), plain(" and $")]);
        stable(vec![
            Inline::Protected(vec![Inline::Math("} and".to_owned())]),
            plain("xy"),
        ]);
        stable(vec![Inline::Math("5 per a_b, for".to_owned()), plain("$5")]);
    }

    #[test]
    fn empty_groups_are_no_spans() {
        let plain = |text: &str| Inline::Plain(text.to_owned());
        let inlines = vec![
            plain("Ph"),
            Inline::Protected(Vec::new()),
            plain("D on "),
            Inline::Styled(
                crate::model::Style::Emphasis,
                vec![Inline::Protected(Vec::new())],
            ),
            Inline::Protected(vec![plain("DNA")]),
        ];
        assert_eq!(stable(inlines), "PhD on <span class=\"nocase\">DNA</span>");
    }

    #[test]
    fn entities_and_tags_of_the_text_stay_text() {
        let plain = |text: &str| Inline::Plain(text.to_owned());
        assert_eq!(
            stable(vec![plain("R&D: &amp; is <i>, a < b & c")]),
            "R&D: &amp;amp; is &lt;i>, a < b & c"
        );
        assert_eq!(
            stable(vec![Inline::Math("\\beta \\le&gt;q 1".to_owned())]),
            "$\\beta \\le&amp;gt;q 1$"
        );
        let protected = vec![Inline::Protected(vec![plain("</span>&lt;")])];
        assert_eq!(read_markup(&stable(protected.clone())).inlines, protected);
    }
}
