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

use std::io::Write as _;

use crate::key::citation_keys;
use crate::model::{Date, DateValue, Inline, Library, Person, RangeEnd, Text, Work, WorkType};
use crate::tex::math;
use crate::vocab::csl::{self, Tag};
use crate::write::{Options, OutputFormat};

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
    // Only whole strings are written, so the bytes are UTF-8.
    String::from_utf8(json).unwrap_or_default()
}

/// Adds one item as it stands in the array, one level in: a variable a
/// line, its value on that line (`"author": [{"family": "Doe", "given":
/// "Jane"}]`, `"issued": {"date-parts": [[2022, 10, 24]]}`), not a line
/// for every name part and number. A file reads and diffs a work at a
/// time, and is half as long as serde_json's pretty printing.
///
/// The JSON is written here rather than by serde: an item is a few dozen
/// short strings, and serde_json's byte-by-byte escaping of each, with a
/// call per key, was an eighth of a BibTeX to CSL-JSON conversion.
pub fn render_item(work: &Work, key: String, out: &mut Vec<u8>) {
    let on_arxiv = work.kind == WorkType::Preprint && work.is_on_arxiv();
    let mut item = Object::item(out);
    item.member("id", key.as_str());
    item.member("type", csl::type_name(work.kind));
    item.member("citation-key", key.as_str());
    item.people("author", &work.authors);
    item.people("editor", &work.editors);
    item.optional("title", work.title.as_ref().map(markup).as_deref());
    let container_title = work.venue.container_title.as_ref().map(markup);
    item.optional("container-title", container_title.as_deref());
    item.optional("issued", work.date.map(date).as_ref());
    item.optional("volume", work.venue.volume.as_deref());
    item.optional("issue", work.venue.issue.as_deref());
    // CSL processors format page ranges from a plain hyphen.
    let page = work
        .venue
        .pages
        .as_deref()
        .map(|pages| match pages.contains('–') {
            true => Cow::Owned(hyphenated(pages)),
            false => Cow::Borrowed(pages),
        });
    item.optional("page", page.as_deref());
    let publisher = (work.venue.publisher.as_deref()).or_else(|| on_arxiv.then_some("arXiv"));
    item.optional("publisher", publisher);
    item.optional("publisher-place", work.venue.place.as_deref());
    item.optional("DOI", work.ids.doi.as_deref());
    let url = work.ids.url.as_deref().map(Cow::Borrowed).or_else(|| {
        let arxiv = work.ids.arxiv.as_ref()?;
        Some(Cow::Owned(format!("https://arxiv.org/abs/{arxiv}")))
    });
    item.optional("URL", url.as_deref());
    item.optional("ISBN", work.ids.isbn.as_deref());
    item.optional("ISSN", work.ids.issn.as_deref());
    let categories: Vec<&str> = work.categories.iter().map(|c| c.best()).collect();
    if !categories.is_empty() {
        item.member("categories", categories.as_slice());
    }
    let keywords = (!work.keywords.is_empty()).then(|| work.keywords.join(", "));
    item.optional("keyword", keywords.as_deref());
    item.optional(
        "abstract",
        work.abstract_text.as_ref().map(markup).as_deref(),
    );
    let custom = Custom::of(work);
    if !custom.is_empty() {
        item.member("custom", &custom);
    }
    for (name, value) in more(work) {
        item.member(name, &value);
    }
    item.close();
}

/// A value written as JSON, on one line.
trait Json {
    fn write(&self, out: &mut Vec<u8>);
}

impl Json for str {
    fn write(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl<T: Json + ?Sized> Json for &T {
    fn write(&self, out: &mut Vec<u8>) {
        (**self).write(out);
    }
}

impl<T: Json> Json for [T] {
    fn write(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (at, value) in self.iter().enumerate() {
            if at > 0 {
                out.extend_from_slice(b", ");
            }
            value.write(out);
        }
        out.push(b']');
    }
}

impl Json for i32 {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
    }
}

/// A name as CSL has it: its parts, or the literal name.
impl Json for Person {
    fn write(&self, out: &mut Vec<u8>) {
        let mut object = Object::open(out);
        match self {
            Person::Literal(literal) => object.member("literal", literal.as_str()),
            Person::Personal(name) => {
                let particle = name.particle.as_deref();
                let (dropping, non_dropping) = match name.dropping_particle {
                    true => (particle, None),
                    false => (None, particle),
                };
                object.member("family", name.family.as_str());
                object.optional("given", name.given.as_deref());
                object.optional("non-dropping-particle", non_dropping);
                object.optional("dropping-particle", dropping);
                object.optional("suffix", name.suffix.as_deref());
            }
        }
        object.close();
    }
}

/// A value a CSL source gave that the model could not hold, as it was.
impl Json for serde_json::Value {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            serde_json::Value::Null => out.extend_from_slice(b"null"),
            serde_json::Value::Bool(value) => {
                out.extend_from_slice(if *value { b"true" } else { b"false" })
            }
            // Writing to memory cannot fail.
            serde_json::Value::Number(number) => _ = write!(out, "{number}"),
            serde_json::Value::String(text) => string(out, text),
            serde_json::Value::Array(values) => values.as_slice().write(out),
            serde_json::Value::Object(members) => {
                let mut object = Object::open(out);
                for (name, value) in members {
                    object.member(name, value);
                }
                object.close();
            }
        }
    }
}

/// A JSON string.
fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    match needs_escape(bytes) {
        false => out.extend_from_slice(bytes),
        true => escaped(out, bytes),
    }
    out.push(b'"');
}

/// Whether a byte must be escaped: `"`, `\` or a control character.
fn needs_escape(bytes: &[u8]) -> bool {
    next_escape(bytes, 0) < bytes.len()
}

/// Where the next byte at or after `from` that must be escaped is, or the
/// length. Most text has none: eight bytes at a time are tested at once
/// (the tests of a word for a zero byte and for a byte below a bound are
/// exact).
fn next_escape(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES << 7;
    let below =
        |word: u64, bound: u8| word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGH_BITS != 0;
    let has = |word: u64, byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
    while let Some(word) = bytes.get(from..from + 8) {
        let word = u64::from_ne_bytes(word.try_into().unwrap_or_default());
        if below(word, 0x20) || has(word, b'"') || has(word, b'\\') {
            break;
        }
        from += 8;
    }
    let is_escaped = |&byte: &u8| byte < 0x20 || byte == b'"' || byte == b'\\';
    (bytes[from..].iter().position(is_escaped)).map_or(bytes.len(), |at| from + at)
}

/// The bytes with `"`, `\` and control characters escaped as serde_json
/// (and JSON's own spelling) escape them; the runs between are copied
/// whole.
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut run = 0;
    loop {
        let at = next_escape(bytes, run);
        out.extend_from_slice(&bytes[run..at]);
        let Some(&byte) = bytes.get(at) else {
            return;
        };
        run = at + 1;
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]),
        }
    }
}

/// A JSON object being written: on one line (`{"family": "Doe", "given":
/// "Jane"}`), or, for the item itself, a member a line, indented two
/// spaces a level as serde_json's pretty printer does.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    /// Before the first member, before each other, and the end.
    spacing: [&'static [u8]; 3],
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Self {
        Self::with(out, b"{", [b"", b", ", b"}"])
    }

    /// The item's object, one level into the array.
    fn item(out: &'o mut Vec<u8>) -> Self {
        Self::with(out, b"  {", [b"\n    ", b",\n    ", b"\n  }"])
    }

    fn with(out: &'o mut Vec<u8>, open: &[u8], spacing: [&'static [u8]; 3]) -> Self {
        out.extend_from_slice(open);
        Object {
            out,
            spacing,
            empty: true,
        }
    }

    fn member<V: Json + ?Sized>(&mut self, name: &str, value: &V) {
        let first = std::mem::replace(&mut self.empty, false);
        self.out
            .extend_from_slice(self.spacing[usize::from(!first)]);
        string(self.out, name);
        self.out.extend_from_slice(b": ");
        value.write(self.out);
    }

    fn optional<V: Json + ?Sized>(&mut self, name: &str, value: Option<&V>) {
        if let Some(value) = value {
            self.member(name, value);
        }
    }

    /// A name list, left out when it names nobody.
    fn people(&mut self, name: &str, people: &[Person]) {
        if !people.is_empty() {
            self.member(name, people);
        }
    }

    fn close(self) {
        self.out.extend_from_slice(self.spacing[2]);
    }
}

/// A CSL date: one or two sets of date parts (a range); an open range has
/// its start as parts and the whole range as `raw` EDTF.
struct CslDate {
    date_parts: Vec<DateParts>,
    circa: bool,
    raw: Option<String>,
}

impl Json for CslDate {
    fn write(&self, out: &mut Vec<u8>) {
        let mut object = Object::open(out);
        object.member("date-parts", self.date_parts.as_slice());
        if self.circa {
            object.member("circa", &true);
        }
        object.optional("raw", self.raw.as_deref());
        object.close();
    }
}

impl Json for bool {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

/// Year, month, day: as many as are known.
struct DateParts {
    parts: [i32; 3],
    known: usize,
}

impl Json for DateParts {
    fn write(&self, out: &mut Vec<u8>) {
        self.parts[..self.known].write(out);
    }
}

/// A value of the variables, roles and dates CSL names by tables.
enum Value<'w> {
    Text(String),
    Names(&'w [Person]),
    /// People of several roles, written as one list.
    PersonList(Vec<&'w Person>),
    Date(CslDate),
    /// A value a CSL source gave that the model could not hold.
    Json(serde_json::Value),
}

impl Json for Value<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Value::Text(text) => string(out, text),
            Value::Names(people) => people.write(out),
            Value::PersonList(people) => people.as_slice().write(out),
            Value::Date(date) => date.write(out),
            Value::Json(json) => json.write(out),
        }
    }
}

/// Data CSL has no variable for, and fields of the source no writer knows.
struct Custom<'w> {
    authors_truncated: bool,
    /// BibLaTeX's roles CSL counts as contributors, by name, so that
    /// reading the item back restores them.
    roles: Vec<(&'w str, &'w [Person])>,
    extra: Vec<(&'w str, &'w str)>,
}

impl<'w> Custom<'w> {
    fn of(work: &'w Work) -> Self {
        let roles = csl::CONTRIBUTOR_ROLES.iter().filter_map(|(role, name)| {
            let people = work.contributors.get(role)?;
            Some((*name, people.as_slice()))
        });
        let extra = (work.extra.iter())
            .filter(|(name, value)| !back_at_top_level(work, name, value))
            .map(|(name, value)| (name.as_str(), value.as_str()));
        Custom {
            authors_truncated: work.authors_truncated,
            roles: roles.collect(),
            extra: extra.collect(),
        }
    }

    fn is_empty(&self) -> bool {
        !self.authors_truncated && self.roles.is_empty() && self.extra.is_empty()
    }
}

impl Json for Custom<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        let mut object = Object::open(out);
        if self.authors_truncated {
            object.member("authors-truncated", &true);
        }
        for (name, people) in &self.roles {
            object.member(name, *people);
        }
        for (name, value) in &self.extra {
            object.member(name, *value);
        }
        object.close();
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
fn more(work: &Work) -> Vec<(&str, Value<'_>)> {
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
    more
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

    proptest::proptest! {
        /// Strings are written as serde_json writes them, escapes and all,
        /// wherever in a word the bytes to escape fall.
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(
            text in "[ -~\u{0}-\u{1f}\u{7f}é–\u{1F600}]{0,40}"
        ) {
            let mut written = Vec::new();
            string(&mut written, &text);
            let expected = serde_json::to_string(&text).unwrap_or_default();
            proptest::prop_assert_eq!(String::from_utf8_lossy(&written), expected);
        }
    }

    #[test]
    fn a_value_kept_from_csl_is_written_as_serde_json_writes_it_inline() {
        let json = r#"{"literal": "13th century", "date-parts": [[1200, -1.5e300, 0.25]], "x": [true, false, null, {}, []], "a\"b": "\u0001\n"}"#;
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let mut written = Vec::new();
        value.write(&mut written);
        let expected = serde_json::to_string(&value).unwrap_or_default();
        // serde_json's compact form has no spaces after `:` and `,`.
        let compact = String::from_utf8_lossy(&written)
            .replace(": ", ":")
            .replace(", ", ",");
        assert_eq!(compact, expected);
    }
}
