//! The CSL-JSON reader: an array of CSL items, as Zotero, pandoc and
//! citeproc write them.
//!
//! Each item is read on its own, so one malformed item costs only itself.
//! The item is read key by key: its core variables into typed fields, the
//! rest as JSON values, walked through the shared tables in
//! [`crate::vocab::csl`]. CSL's HTML-like markup
//! (`<i>`, `<b>`, `<sc>`, `<sup>`, `<sub>`, `<span class="nocase">`)
//! becomes rich text.
//! Variables the model has no place for are kept, as their JSON, in the
//! work's `extra` map, and the CSL writer puts them back.

use std::borrow::Cow;
use std::collections::{btree_map, BTreeMap};
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    bare_doi, page_range, Casing, Category, Date, DateValue, Inline, Library, Month, Person,
    PersonalName, RangeEnd, Role, Text, Work, WorkType,
};
use crate::read::{LineIndex, ReadOptions, Reading, Source};
use crate::vocab::csl::{self, Tag};

pub mod stream;

/// True when the text is a JSON array that looks like CSL items, or one
/// item: an object with an item's `id` or `type` of its own (not only
/// deep inside, as an API's reply may have).
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mentions_item_keys = text.contains("\"type\"") || text.contains("\"id\"");
    if text.starts_with('{') {
        if let Some(keys) = top_level_keys(text) {
            return keys.iter().any(|key| key == "type" || key == "id");
        }
    }
    (text.starts_with('[') || text.starts_with('{')) && mentions_item_keys
}

/// The keys of a JSON object, when the text is one.
fn top_level_keys(text: &str) -> Option<Vec<String>> {
    let object: BTreeMap<String, serde::de::IgnoredAny> = serde_json::from_str(text).ok()?;
    Some(object.into_keys().collect())
}

/// Whether the text is a JSON object with none of a CSL item's keys (an
/// ORCID record, an API's reply): JSON, but not CSL-JSON.
pub fn is_other_json(text: &str) -> bool {
    other_json_keys(text.trim_start_matches('\u{feff}').trim()).is_some()
}

/// For [`is_other_json`]'s objects, their first keys, to name them.
pub fn other_json_keys(text: &str) -> Option<String> {
    let keys = top_level_keys(text)?;
    // An item has a type and an id, or at least a title or authors; other
    // CSL variable names (`version`, `note`) are common keys elsewhere.
    let is_item_key =
        |key: &String| ["type", "id", "title", "author", "issued"].contains(&key.as_str());
    if keys.iter().any(is_item_key) {
        return None;
    }
    let mut named: Vec<String> = keys.iter().take(5).map(|key| format!("`{key}`")).collect();
    if keys.len() > named.len() {
        named.push("…".to_owned());
    }
    Some(named.join(", "))
}

/// Reads a CSL-JSON array (or a single item) into a library.
pub fn read_csl(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let text = source.text.trim_start_matches('\u{feff}');
    let lines = LineIndex::new(source.text);
    let mut diagnostics = Vec::new();
    let mut report = |diagnostic: Diagnostic, offset: usize| {
        let offset = offset + (source.text.len() - text.len());
        diagnostics.push(lines.place(diagnostic, source.name, offset));
    };
    let items: Vec<&RawValue> = match serde_json::from_str::<Vec<&RawValue>>(text) {
        Ok(items) => items,
        Err(_) => match serde_json::from_str::<&RawValue>(text) {
            Ok(item) if item.get().trim_start().starts_with('{') => vec![item],
            Ok(_) | Err(_) => {
                let error = serde_json::from_str::<Vec<&RawValue>>(text).err();
                let (line, column) = error.as_ref().map_or((1, 1), |e| (e.line(), e.column()));
                let message =
                    error.map_or_else(|| "not a JSON array".to_owned(), |e| without_position(&e));
                let diagnostic = Diagnostic::new(
                    Severity::Error,
                    "csl::json",
                    format!("not a CSL-JSON array of items: {message}"),
                )
                .at(source.name, line, column)
                .hint("CSL-JSON is a JSON array of objects, each with an `id` and a `type`");
                return Reading {
                    library: Library::default(),
                    diagnostics: vec![diagnostic],
                    offsets: Vec::new(),
                };
            }
        },
    };
    let mut works = Vec::new();
    let mut offsets = Vec::new();
    for raw in items {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        if let Some(work) = read_item(raw.get(), offset, &mut report) {
            works.push(work);
            offsets.push(offset + (source.text.len() - text.len()));
        }
    }
    Reading {
        library: Library {
            works,
            ..Library::default()
        },
        diagnostics,
        offsets,
    }
}

/// Reads one item of the array, the JSON text `raw` found at `offset`:
/// its work, or `None` when it is none (said through `report`, with the
/// offset in the file's text of what is wrong).
pub(crate) fn read_item(
    raw: &str,
    offset: usize,
    report: &mut dyn FnMut(Diagnostic, usize),
) -> Option<Work> {
    // An object with none of an item's keys is no item, whatever else it
    // holds; asked only where the item's own reading leaves it open, as
    // asking means reading the item twice.
    let not_an_item = |report: &mut dyn FnMut(Diagnostic, usize)| {
        let keys = other_json_keys(raw.trim())?;
        let message = match keys.as_str() {
            "" => "this is an empty object, not a CSL item; it was left out".to_owned(),
            keys => format!("this object (keys {keys}) has none of a CSL item's keys (`id`, `type`, `title`, `author`, `issued`); it was left out"),
        };
        let diagnostic = Diagnostic::new(Severity::Error, "csl::item", message)
            .hint("CSL-JSON items have an `id` and a `type`; is this file CSL-JSON?");
        report(diagnostic, offset);
        Some(())
    };
    let mut read = serde_json::from_str::<Item>(raw);
    let unsure = match &read {
        Ok(item) => item.has_no_item_key(),
        Err(_) => true,
    };
    if unsure && not_an_item(report).is_some() {
        return None;
    }
    let written_twice = |key: &str| {
        let message = format!("`{key}` is written twice in this item; the last value was read");
        Diagnostic::new(Severity::Warning, "csl::item", message).hint("remove the other one")
    };
    if let Err(error) = &read {
        // A core variable written twice: read the item as JSON readers do,
        // the last value standing, and say so.
        if let Some(key) = duplicate_key(error) {
            let (line, column) = (error.line(), error.column());
            read = serde_json::from_str::<Value>(raw).and_then(serde_json::from_value::<Item>);
            if read.is_ok() {
                report(written_twice(&key), offset + offset_of(raw, line, column));
            }
        }
    }
    match read {
        Ok(mut item) => {
            // Any other variable written twice is read so as it comes.
            for key in std::mem::take(&mut item.written_twice) {
                report(written_twice(&key), offset);
            }
            let mut notes = Vec::new();
            let work = item.into_work(&mut notes);
            for note in notes {
                report(
                    Diagnostic::new(Severity::Warning, "csl::item", note),
                    offset,
                );
            }
            Some(work)
        }
        Err(error) => {
            let message = format!(
                "this item is not a CSL item ({}); it was left out",
                without_position(&error)
            );
            let diagnostic = Diagnostic::new(Severity::Error, "csl::item", message)
                .hint("fix the item; the others were read");
            report(
                diagnostic,
                offset + offset_of(raw, error.line(), error.column()),
            );
            None
        }
    }
}

/// The key of serde's "duplicate field" error.
fn duplicate_key(error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let rest = message.strip_prefix("duplicate field `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// serde_json's message without the position it appends (` at line 1
/// column 71`, counted in the item): the diagnostic gives the position,
/// counted in the file.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => message,
    }
}

/// The byte offset of serde_json's 1-based line and column in `text`.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .match_indices('\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(at, _)| at + 1);
    let line_start = if line <= 1 { 0 } else { line_start };
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A string, or a number or boolean written where CSL expects a string
/// (`"volume": 5`).
enum Scalar {
    Text(String),
    Number(serde_json::Number),
    Flag(bool),
}

/// Read by the JSON token's kind. (Derived as an untagged enum, each
/// value would be copied into serde's buffer first, to try the variants
/// on in turn.)
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(text))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(number.into()))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(number.into()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Scalar, E> {
        serde_json::Number::from_f64(number)
            .map(Scalar::Number)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(number), &self))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Scalar, E> {
        Ok(Scalar::Flag(flag))
    }
}

impl Scalar {
    fn text(self) -> String {
        match self {
            Scalar::Text(text) => text,
            Scalar::Number(number) => number.to_string(),
            Scalar::Flag(flag) => flag.to_string(),
        }
    }
}

fn text(scalar: Option<Scalar>) -> Option<String> {
    scalar.map(Scalar::text).filter(|text| !text.is_empty())
}

/// The core of a CSL item; every other variable is in `rest`.
#[derive(Default)]
struct Item {
    id: Option<Scalar>,
    kind: Option<String>,
    citation_key: Option<String>,
    title: Option<Scalar>,
    author: Option<Vec<Name>>,
    editor: Option<Vec<Name>>,
    container_title: Option<Scalar>,
    issued: Option<Value>,
    volume: Option<Scalar>,
    issue: Option<Scalar>,
    page: Option<Scalar>,
    publisher: Option<Scalar>,
    publisher_place: Option<Scalar>,
    doi: Option<Scalar>,
    url: Option<Scalar>,
    isbn: Option<Scalar>,
    issn: Option<Scalar>,
    categories: Option<Vec<String>>,
    keyword: Option<Scalar>,
    abstract_text: Option<Scalar>,
    custom: Option<serde_json::Map<String, Value>>,
    rest: BTreeMap<String, Value>,
    /// Keys of `rest` written twice: the last value stands, as a JSON
    /// reader has it, and the first is said to be lost.
    written_twice: Vec<String>,
}

/// Read key by key: a core variable into its place (written twice, it is
/// serde's "duplicate field" error, as a derived reading has it), any
/// other into `rest`. (Derived with `#[serde(flatten)]` for `rest`, each
/// item was copied into serde's buffer first and read again from there.)
impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
        deserializer.deserialize_map(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a CSL item (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut item = Item::default();
        // The core variables read so far, a bit each.
        let mut seen = 0u32;
        while let Some(ItemKey(key)) = map.next_key()? {
            let core = Core {
                map: &mut map,
                seen: &mut seen,
                key: &key,
            };
            match &*key {
                "id" => core.read(0, &mut item.id)?,
                "type" => core.read(1, &mut item.kind)?,
                "citation-key" => core.read(2, &mut item.citation_key)?,
                "title" => core.read(3, &mut item.title)?,
                "author" => core.read(4, &mut item.author)?,
                "editor" => core.read(5, &mut item.editor)?,
                "container-title" => core.read(6, &mut item.container_title)?,
                "issued" => core.read(7, &mut item.issued)?,
                "volume" => core.read(8, &mut item.volume)?,
                "issue" => core.read(9, &mut item.issue)?,
                "page" => core.read(10, &mut item.page)?,
                "publisher" => core.read(11, &mut item.publisher)?,
                "publisher-place" => core.read(12, &mut item.publisher_place)?,
                "DOI" => core.read(13, &mut item.doi)?,
                "URL" => core.read(14, &mut item.url)?,
                "ISBN" => core.read(15, &mut item.isbn)?,
                "ISSN" => core.read(16, &mut item.issn)?,
                "categories" => core.read(17, &mut item.categories)?,
                "keyword" => core.read(18, &mut item.keyword)?,
                "abstract" => core.read(19, &mut item.abstract_text)?,
                "custom" => core.read(20, &mut item.custom)?,
                _ => {
                    let value = map.next_value()?;
                    match item.rest.entry(key.into_owned()) {
                        btree_map::Entry::Vacant(place) => {
                            place.insert(value);
                        }
                        btree_map::Entry::Occupied(mut place) => {
                            item.written_twice.push(place.key().clone());
                            place.insert(value);
                        }
                    }
                }
            }
        }
        Ok(item)
    }
}

/// A core variable's value being read, and which have been.
struct Core<'r, A> {
    map: &'r mut A,
    seen: &'r mut u32,
    key: &'r str,
}

impl<'de, A: MapAccess<'de>> Core<'_, A> {
    /// The value into `slot` (`null` is `None`), the variable's `bit` in
    /// `seen` marking it read.
    fn read<T: Deserialize<'de>>(self, bit: u32, slot: &mut Option<T>) -> Result<(), A::Error> {
        if *self.seen & 1 << bit != 0 {
            // serde's own words, which `duplicate_key` reads.
            let message = format!("duplicate field `{}`", self.key);
            return Err(de::Error::custom(message));
        }
        *self.seen |= 1 << bit;
        *slot = self.map.next_value()?;
        Ok(())
    }
}

/// A key of an item, borrowed from the JSON text when it has no escapes.
struct ItemKey<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for ItemKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ItemKey<'de>, D::Error> {
        deserializer.deserialize_str(ItemKeyVisitor)
    }
}

struct ItemKeyVisitor;

impl<'de> Visitor<'de> for ItemKeyVisitor {
    type Value = ItemKey<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<ItemKey<'de>, E> {
        Ok(ItemKey(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<ItemKey<'de>, E> {
        Ok(ItemKey(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<ItemKey<'de>, E> {
        Ok(ItemKey(Cow::Owned(key)))
    }
}

impl Item {
    /// Whether none of the keys that make an object an item holds a
    /// value (the object may still name one, with `null`).
    fn has_no_item_key(&self) -> bool {
        self.id.is_none()
            && self.kind.is_none()
            && self.title.is_none()
            && self.author.is_none()
            && self.issued.is_none()
    }

    fn into_work(self, notes: &mut Vec<String>) -> Work {
        let kind = match self.kind.as_deref() {
            Some(name) => csl::work_type(name).unwrap_or_else(|| {
                notes.push(format!(
                    "`{name}` is not a CSL item type; read as `document`"
                ));
                WorkType::Misc
            }),
            None => WorkType::Misc,
        };
        let mut work = Work {
            key: self.citation_key.or(text(self.id)),
            kind,
            title: text(self.title).map(markup_owned),
            ..Work::default()
        };
        work.date = self
            .issued
            .and_then(|value| date(&value, "issued", &mut work.extra));
        let (authors, truncated) = people(self.author.unwrap_or_default(), "author", notes);
        work.authors = authors;
        work.editors = people(self.editor.unwrap_or_default(), "editor", notes).0;
        work.venue.container_title = text(self.container_title).map(markup_owned);
        work.venue.volume = text(self.volume);
        work.venue.issue = text(self.issue);
        work.venue.pages = text(self.page).map(|pages| page_range(&pages));
        work.venue.publisher = text(self.publisher);
        work.venue.place = text(self.publisher_place);
        work.ids.doi = text(self.doi).map(|doi| bare_doi(&doi).to_owned());
        work.ids.url = text(self.url);
        work.ids.isbn = text(self.isbn);
        work.ids.issn = text(self.issn);
        work.abstract_text = text(self.abstract_text).map(markup_owned);
        work.keywords = text(self.keyword)
            .map(|k| {
                k.split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        work.categories = self
            .categories
            .unwrap_or_default()
            .into_iter()
            .map(category)
            .collect();
        let custom = self.custom.unwrap_or_default();
        work.authors_truncated =
            truncated || custom.get("authors-truncated") == Some(&Value::Bool(true));
        let mut roles = Vec::new();
        for (name, value) in custom
            .into_iter()
            .filter(|(name, _)| name != "authors-truncated")
        {
            match (csl::by_name(csl::CONTRIBUTOR_ROLES, &name), value) {
                (Some(role), Value::Array(names)) => {
                    roles.push((role, people_of(&names, &name, notes)));
                }
                (_, value) => {
                    work.extra.insert(name, json_text(&value));
                }
            }
        }
        // Variables under the names citeproc-js also accepts are read as
        // CSL's own, unless the item has both.
        let mut rest = self.rest;
        for &(alias, name) in csl::ALIASES {
            if !rest.contains_key(name) {
                if let Some(value) = rest.remove(alias) {
                    rest.insert(name.to_owned(), value);
                }
            }
        }
        for (name, value) in rest {
            read_variable(&mut work, &name, value, notes);
        }
        // The contributors a role in `custom` names are that role's.
        for (role, people) in roles {
            if let Some(contributors) = work.contributors.get_mut(&Role::Contributor) {
                contributors.retain(|person| !people.contains(person));
                if contributors.is_empty() {
                    work.contributors.remove(&Role::Contributor);
                }
            }
            work.contributors.insert(role, people);
        }
        if work.kind == WorkType::Misc && work.is_on_arxiv() {
            work.kind = WorkType::Preprint;
        }
        arxiv_from_number(&mut work);
        drop_derived(&mut work);
        work
    }
}

/// One variable beyond the core, by the shared tables; anything else is
/// kept in `extra`.
fn read_variable(work: &mut Work, name: &str, value: Value, notes: &mut Vec<String>) {
    if let Some(variable) = csl::by_name(csl::VARIABLES, name) {
        if let Some(text) = scalar_text(&value) {
            // A language by its name (`italian`, as some exports write it)
            // is the model's tag, as the BibTeX reader reads it.
            let tag = (variable == crate::model::Variable::Language)
                .then(|| crate::tex::language_tag(text.trim()))
                .flatten();
            let text = match tag {
                Some(tag) => Text::plain(tag),
                None => markup_owned(text),
            };
            work.fields.insert(variable, text);
            return;
        }
        notes.push(format!(
            "`{name}` is {}, not text; it is kept in `custom`",
            json_text(&value)
        ));
    } else if let Some(role) = csl::by_name(csl::ROLES, name) {
        if let Value::Array(names) = value {
            work.contributors
                .insert(role, people_of(&names, name, notes));
            return;
        }
    } else if let Some(variable) = csl::by_name(csl::DATES, name) {
        if let Some(date) = date(&value, name, &mut work.extra) {
            work.dates.insert(variable, date);
        }
        return;
    }
    work.extra.insert(name.to_owned(), json_text(&value));
}

/// What the CSL writer derives (an arXiv preprint's publisher and URL)
/// is not data of its own: dropping it on reading keeps a round trip
/// through other formats free of fields nobody wrote.
fn drop_derived(work: &mut Work) {
    if work.kind == WorkType::Preprint
        && work.is_on_arxiv()
        && work.venue.publisher.as_deref() == Some("arXiv")
    {
        work.venue.publisher = None;
    }
    let arxiv_url = work
        .ids
        .arxiv
        .as_ref()
        .map(|id| format!("https://arxiv.org/abs/{id}"));
    if work.ids.url.is_some() && work.ids.url == arxiv_url {
        work.ids.url = None;
    }
}

/// A preprint's `number: "arXiv:2210.13533"` is its arXiv identifier.
fn arxiv_from_number(work: &mut Work) {
    let Some(number) = work.fields.get(&crate::model::Variable::Number) else {
        return;
    };
    let plain = number.raw_string();
    if let Some(id) = plain
        .strip_prefix("arXiv:")
        .filter(|_| work.ids.arxiv.is_none())
    {
        work.ids.arxiv = Some(id.to_owned());
        work.fields.remove(&crate::model::Variable::Number);
        if work.kind == WorkType::Misc {
            work.kind = WorkType::Preprint;
        }
        if work.venue.publisher.as_deref() == Some("arXiv") {
            work.venue.publisher = None;
        }
    }
}

fn category(code: String) -> Category {
    let arxiv = match crate::arxiv::lookup(&code) {
        crate::arxiv::Lookup::Unique(full) => Some(full.to_owned()),
        _ => None,
    };
    Category { code, arxiv }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// [`scalar_text`] of a value that is not kept.
fn into_scalar_text(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        value => scalar_text(&value),
    }
}

/// A value kept as it was: strings as they are, anything else as JSON.
fn json_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// CSL names, the list of `variable`; a name that is `others` or `et al.`
/// marks the list as cut short instead of becoming a person. What of a
/// name is not kept is said in `notes`.
fn people(names: Vec<Name>, variable: &str, notes: &mut Vec<String>) -> (Vec<Person>, bool) {
    let mut truncated = false;
    let mut people = Vec::new();
    for (number, name) in (1..).zip(names) {
        // Only where something is said: most names have nothing to say.
        let place = || format!("`{variable}` name {number}");
        match &name.shape {
            Shape::Object => {}
            Shape::Text => notes.push(format!(
                "{} is a string, not a CSL name object; it was read as a literal name",
                place()
            )),
            Shape::Other(json) => {
                notes.push(format!(
                    "{} is {json}, not a CSL name; it was left out",
                    place()
                ));
                continue;
            }
        }
        if !name.unread.is_empty() {
            notes.push(format!(
                "{} has {}, which pubconv does not keep; left out",
                place(),
                name.unread.join(", ")
            ));
        }
        if !name.written_twice.is_empty() {
            notes.push(format!(
                "{} has {}; the last was read",
                place(),
                name.written_twice.join(", ")
            ));
        }
        let part = |part: Option<String>| part.filter(|t| !t.is_empty());
        let person = match (part(name.literal), part(name.family)) {
            (Some(literal), _) => Person::Literal(literal),
            (None, Some(family)) => {
                let (particle, dropping_particle) = match (
                    part(name.non_dropping_particle),
                    part(name.dropping_particle),
                ) {
                    (Some(particle), _) => (Some(particle), false),
                    (None, Some(particle)) => (Some(particle), true),
                    (None, None) => (None, false),
                };
                Person::Personal(PersonalName {
                    given: part(name.given),
                    family,
                    particle,
                    suffix: part(name.suffix),
                    dropping_particle,
                })
            }
            (None, None) => match part(name.given) {
                Some(given) => Person::Literal(given),
                None => {
                    let parts = [
                        name.non_dropping_particle,
                        name.dropping_particle,
                        name.suffix,
                    ];
                    let kept = parts.into_iter().flatten().filter(|t| !t.is_empty());
                    let rest: Vec<String> = kept.collect();
                    let message = match rest.is_empty() {
                        true => format!("{} has no name in it; it was left out", place()),
                        false => format!(
                            "{} has no family, given or literal name, only `{}`; it was left out",
                            place(),
                            rest.join(" ")
                        ),
                    };
                    notes.push(message);
                    continue;
                }
            },
        };
        if matches!(
            person.display_name().as_str(),
            "others" | "et al." | "et al"
        ) {
            truncated = true;
        } else {
            people.push(person);
        }
    }
    (people, truncated)
}

/// [`people`] of names kept as JSON (a role's in `custom`, say).
fn people_of(names: &[Value], variable: &str, notes: &mut Vec<String>) -> Vec<Person> {
    people(names.iter().map(Name::of_value).collect(), variable, notes).0
}

/// The parts of a CSL name a person is made of, each a string or a
/// number, and what of it is not kept.
#[derive(Default)]
struct Name {
    literal: Option<String>,
    family: Option<String>,
    given: Option<String>,
    non_dropping_particle: Option<String>,
    dropping_particle: Option<String>,
    suffix: Option<String>,
    /// Its other keys, and parts of another type (an object, a flag).
    unread: Vec<String>,
    /// Parts written twice with different values, as said: JSON readers
    /// keep the last, so the first is lost unless told.
    written_twice: Vec<String>,
    shape: Shape,
}

/// What a name is in the JSON.
#[derive(Default)]
enum Shape {
    #[default]
    Object,
    /// A string, read as a literal name.
    Text,
    /// Any other value, as JSON: no name.
    Other(String),
}

impl Name {
    fn part(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "literal" => &mut self.literal,
            "family" => &mut self.family,
            "given" => &mut self.given,
            "non-dropping-particle" => &mut self.non_dropping_particle,
            "dropping-particle" => &mut self.dropping_particle,
            "suffix" => &mut self.suffix,
            _ => return None,
        })
    }

    /// Reads a key of the name's object and its value.
    fn read(&mut self, key: &str, value: Option<Value>) {
        if self.part(key).is_none() {
            self.unread.push(format!("`{key}`"));
            return;
        }
        let text = match value {
            Some(value @ (Value::String(_) | Value::Number(_))) => into_scalar_text(value),
            Some(Value::Null) | None => None,
            Some(value) => {
                self.unread.push(format!("`{key}` ({})", json_text(&value)));
                None
            }
        };
        let Some(part) = self.part(key) else {
            return;
        };
        let said_twice = match (part.take(), &text) {
            (Some(first), last) if last.as_ref() != Some(&first) => Some(format!(
                "`{key}` twice (`{first}`, then {})",
                last.as_ref()
                    .map_or("null".to_owned(), |last| format!("`{last}`"))
            )),
            _ => None,
        };
        *part = text;
        self.written_twice.extend(said_twice);
    }

    fn of_value(value: &Value) -> Name {
        match value {
            Value::Object(object) => {
                let mut name = Name::default();
                for (key, value) in object {
                    name.read(key, Some(value.clone()));
                }
                name
            }
            Value::String(text) => Name::of_text(text),
            other => Name::other(json_text(other)),
        }
    }

    fn of_text(text: &str) -> Name {
        Name {
            literal: Some(text.to_owned()),
            shape: Shape::Text,
            ..Name::default()
        }
    }

    fn other(json: String) -> Name {
        Name {
            shape: Shape::Other(json),
            ..Name::default()
        }
    }
}

/// Read straight from the JSON text, not first as a map of JSON values
/// (each name was a map of its own, its keys and values copied).
impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        deserializer.deserialize_any(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a CSL name")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Name, A::Error> {
        let mut name = Name::default();
        while let Some(ItemKey(key)) = map.next_key()? {
            match name.part(&key) {
                Some(_) => name.read(&key, Some(map.next_value()?)),
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                    name.read(&key, None);
                }
            }
        }
        Ok(name)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Name, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element::<Value>()? {
            values.push(value);
        }
        Ok(Name::other(Value::Array(values).to_string()))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Name, E> {
        Ok(Name::of_text(text))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Name, E> {
        Ok(Name::other(number.to_string()))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Name, E> {
        Ok(Name::other(number.to_string()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Name, E> {
        Ok(Name::other(Value::from(number).to_string()))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Name, E> {
        Ok(Name::other(flag.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Name, E> {
        Ok(Name::other("null".to_owned()))
    }
}

/// A CSL date: date-parts (one date or a range), `raw` EDTF, `circa`.
/// One the model cannot hold (a `literal`, a `season`) is kept in `extra`
/// under its variable's name.
fn date(value: &Value, name: &str, extra: &mut BTreeMap<String, String>) -> Option<DateValue> {
    let parts = value.get("date-parts").and_then(Value::as_array);
    let circa = value
        .get("circa")
        .is_some_and(|c| c.as_bool().unwrap_or(!c.is_null()));
    let raw = value.get("raw").and_then(Value::as_str);
    let parsed = match (parts, raw) {
        (Some(parts), _) => date_parts(parts).map(|(start, end)| {
            // An open range written by pubconv: date-parts hold its start,
            // `raw` says it is open.
            let raw_end = raw
                .and_then(|raw| crate::read::bibtex::dates::parse_edtf(raw).ok())
                .filter(|date| date.start == start)
                .and_then(|date| date.end);
            DateValue {
                start,
                end: end.or(raw_end),
                circa,
            }
        }),
        (None, Some(raw)) => crate::read::bibtex::dates::parse_edtf(raw).ok(),
        (None, None) => None,
    };
    let keeps_more = value.get("literal").is_some() || value.get("season").is_some();
    if parsed.is_none() || keeps_more {
        // Empty date-parts beside a literal say nothing, and CSL's schema
        // rejects them: keep the rest.
        let mut kept = value.clone();
        if let Some(object) = kept.as_object_mut() {
            let empty = object
                .get("date-parts")
                .and_then(Value::as_array)
                .is_some_and(|parts| parts.is_empty());
            if empty {
                object.remove("date-parts");
            }
        }
        extra.insert(name.to_owned(), kept.to_string());
    }
    parsed.filter(|_| !keeps_more)
}

fn date_parts(parts: &[Value]) -> Option<(Date, Option<RangeEnd>)> {
    let one = |parts: &Value| -> Option<Date> {
        // Parts may be numbers or strings; an empty string ends them.
        let numbers: Vec<i64> = parts
            .as_array()?
            .iter()
            .take_while(|part| part.as_str() != Some(""))
            .map(|part| part.as_i64().or_else(|| part.as_str()?.trim().parse().ok()))
            .collect::<Option<_>>()?;
        let year = i32::try_from(*numbers.first()?).ok()?;
        let month = numbers
            .get(1)
            .and_then(|&m| Month::new(u8::try_from(m).ok()?));
        let day = numbers.get(2).and_then(|&d| u8::try_from(d).ok());
        match (month, day) {
            (Some(month), Some(day)) => Date::from_ymd(year, month, day).ok(),
            (month, _) => Some(Date {
                year,
                month,
                day: None,
            }),
        }
    };
    let start = one(parts.first()?)?;
    let end = match parts.get(1).and_then(one) {
        // citeproc-js's way to say a range is open: `[[1987], [0]]`.
        Some(end) if end.year == 0 && end.month.is_none() => Some(RangeEnd::Open),
        // A range that ends where it starts is that date.
        Some(end) if end == start => None,
        end => end.map(RangeEnd::Closed),
    };
    Some((start, end))
}

/// [`markup`] of a text owned already: text without markup, entities or
/// math (nearly all) is kept as it is.
fn markup_owned(text: String) -> Text {
    match text.is_empty() || text.contains(['<', '&', '$']) {
        true => markup(&text),
        false => Text::plain(text),
    }
}

/// CSL's HTML-like markup as rich text. Unknown tags stay as text.
pub fn markup(text: &str) -> Text {
    let mut stack: Vec<(Option<Tag>, Vec<Inline>)> = vec![(None, Vec::new())];
    let mut rest = text;
    let mut plain = String::new();
    while !rest.is_empty() {
        let tag = rest.starts_with('<').then(|| Tag::at(rest)).flatten();
        match tag {
            Some((tag, length, opening)) => {
                flush(&mut plain, &mut stack);
                // `</span>` closes either span CSL has (small capitals
                // and nocase), whichever is open.
                let closes = |open: Tag| {
                    open == tag
                        || (rest.starts_with("</span>")
                            && open == Tag::Styled(crate::model::Style::SmallCaps))
                };
                if opening {
                    stack.push((Some(tag), Vec::new()));
                } else if stack.len() > 1
                    && stack
                        .last()
                        .is_some_and(|(open, _)| open.is_some_and(closes))
                {
                    let (open, inner) = stack.pop().unwrap_or_default();
                    let inline = wrap(open.unwrap_or(tag), inner);
                    if let Some((_, parent)) = stack.last_mut() {
                        parent.push(inline);
                    }
                } else {
                    plain.push_str(&rest[..length]);
                }
                rest = &rest[length..];
            }
            None => {
                // Text up to the next tag or entity, as it is.
                let run = match memchr::memchr2(b'<', b'&', &rest.as_bytes()[1..]) {
                    Some(at) => at + 1,
                    None => rest.len(),
                };
                let (decoded, length) = match entity(rest) {
                    Some(found) => found,
                    None => (&rest[..run], run),
                };
                plain.push_str(decoded);
                rest = &rest[length..];
            }
        }
    }
    flush(&mut plain, &mut stack);
    // Tags never closed: their text stays, unstyled.
    while stack.len() > 1 {
        let (_, inner) = stack.pop().unwrap_or_default();
        if let Some((_, parent)) = stack.last_mut() {
            for inline in inner {
                match (parent.last_mut(), inline) {
                    (Some(Inline::Plain(previous)), Inline::Plain(text)) => {
                        previous.push_str(&text)
                    }
                    (_, inline) => parent.push(inline),
                }
            }
        }
    }
    let inlines = stack.pop().map(|(_, inlines)| inlines).unwrap_or_default();
    Text {
        inlines: inlines.into_iter().flat_map(math_spans).collect(),
        casing: Casing::AsWritten,
    }
}

/// TeX math kept in CSL text as `$…$` (pandoc's way, and pubconv's for
/// math without a Unicode form) is math again, also inside markup; a lone
/// `$` is a dollar.
fn math_spans(inline: Inline) -> Vec<Inline> {
    let inner = |inlines: Vec<Inline>| inlines.into_iter().flat_map(math_spans).collect();
    let text = match inline {
        Inline::Plain(text) => text,
        Inline::Protected(inlines) => return vec![Inline::Protected(inner(inlines))],
        Inline::Styled(style, inlines) => return vec![Inline::Styled(style, inner(inlines))],
        Inline::Math(_) | Inline::Tex(_) => return vec![inline],
    };
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('$') {
        let Some(length) = rest[open + 1..].find('$') else {
            break;
        };
        let math = &rest[open + 1..open + 1 + length];
        // Not math: this `$` is a dollar, and the next may open math.
        if !crate::vocab::csl::reads_as_math(math) {
            plain.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        }
        plain.push_str(&rest[..open]);
        if !plain.is_empty() {
            out.push(Inline::Plain(std::mem::take(&mut plain)));
        }
        out.push(Inline::Math(math.to_owned()));
        rest = &rest[open + length + 2..];
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Inline::Plain(plain));
    }
    out
}

fn flush(plain: &mut String, stack: &mut [(Option<Tag>, Vec<Inline>)]) {
    if plain.is_empty() {
        return;
    }
    if let Some((_, inlines)) = stack.last_mut() {
        match inlines.last_mut() {
            Some(Inline::Plain(previous)) => previous.push_str(plain),
            _ => inlines.push(Inline::Plain(plain.clone())),
        }
    }
    plain.clear();
}

/// The character the entity `text` starts with stands for, and the
/// entity's length in bytes; `None` if it starts with none.
fn entity(text: &str) -> Option<(&'static str, usize)> {
    csl::ENTITIES
        .iter()
        .find(|(name, _)| text.starts_with(name))
        .map(|&(name, character)| (character, name.len()))
}

/// The model's inline for a tag's contents.
fn wrap(tag: Tag, inner: Vec<Inline>) -> Inline {
    match tag {
        Tag::NoCase => Inline::Protected(inner),
        Tag::Styled(style) => Inline::Styled(style, inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Style;

    proptest::proptest! {
        /// Text kept as it is when it has no markup reads as marked-up
        /// text does; markup-free text is its entities decoded.
        #[test]
        fn markup_reads_runs_of_text_as_characters_one_by_one(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "a", "é", " ", "&", "&amp;", "&lt;", "&#38;", "&am", "<", "<i>", "</i>",
                    "<span class=\"nocase\">", "</span>", "$", "$x^2$", "ü\u{300}", ">",
                ][..]),
                0..30,
            ),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(markup_owned(text.clone()), markup(&text));
            if !text.contains(['<', '$']) {
                let decoded = csl::ENTITIES
                    .iter()
                    .fold(text.clone(), |text, (name, character)| text.replace(name, character));
                // `&amp;lt;` is `&lt;` decoded once, not `<`.
                if !text.contains("&amp;") {
                    proptest::prop_assert_eq!(markup(&text).raw_string(), decoded);
                }
            }
        }
    }

    #[test]
    fn markup_becomes_rich_text() {
        let text = markup("A <i>B <b>C</b></i> <span class=\"nocase\">DNA</span> x<sup>2</sup> &amp; <u>u</u> <i>open");
        assert_eq!(
            text.inlines,
            vec![
                Inline::Plain("A ".into()),
                Inline::Styled(
                    Style::Emphasis,
                    vec![
                        Inline::Plain("B ".into()),
                        Inline::Styled(Style::Strong, vec![Inline::Plain("C".into())])
                    ]
                ),
                Inline::Plain(" ".into()),
                Inline::Protected(vec![Inline::Plain("DNA".into())]),
                Inline::Plain(" x".into()),
                Inline::Styled(Style::Superscript, vec![Inline::Plain("2".into())]),
                Inline::Plain(" & <u>u</u> open".into()),
            ]
        );
    }

    #[test]
    fn math_reads_as_math_inside_markup_too() {
        let text = markup("<i>see $\\frac{a}{b}$</i> <span class=\"nocase\">$x^2$ or $</span>");
        assert_eq!(
            text.inlines,
            vec![
                Inline::Styled(
                    Style::Emphasis,
                    vec![
                        Inline::Plain("see ".into()),
                        Inline::Math("\\frac{a}{b}".into())
                    ]
                ),
                Inline::Plain(" ".into()),
                Inline::Protected(vec![
                    Inline::Math("x^2".into()),
                    Inline::Plain(" or $".into())
                ]),
            ]
        );
    }

    #[test]
    fn dates_in_every_form() {
        let mut extra = BTreeMap::new();
        let read = |json: &str, extra: &mut BTreeMap<String, String>| {
            date(&serde_json::from_str(json).unwrap(), "issued", extra).map(|d| d.edtf())
        };
        assert_eq!(
            read(r#"{"date-parts": [[2020, 3, 15]]}"#, &mut extra).as_deref(),
            Some("2020-03-15")
        );
        assert_eq!(
            read(r#"{"date-parts": [["2019"], ["2021"]]}"#, &mut extra).as_deref(),
            Some("2019/2021")
        );
        assert_eq!(
            read(r#"{"date-parts": [[1850]], "circa": true}"#, &mut extra).as_deref(),
            Some("1850~")
        );
        assert_eq!(
            read(r#"{"raw": "2020-05/2020-07"}"#, &mut extra).as_deref(),
            Some("2020-05/2020-07")
        );
        assert!(extra.is_empty());
        assert_eq!(read(r#"{"literal": "13th century"}"#, &mut extra), None);
        assert_eq!(
            extra["issued"], r#"{"literal":"13th century"}"#,
            "kept for the writer"
        );
    }

    /// An item's keys as JSON readers take them: a core variable written
    /// twice is said and its last value read, any other's last value is
    /// kept, escapes in a key are read, and a value of the wrong kind is
    /// reported where it starts.
    #[test]
    fn items_are_read_key_by_key() {
        let read = |raw: &str| {
            let mut reported = Vec::new();
            let work = read_item(raw, 0, &mut |diagnostic, offset| {
                reported.push((diagnostic.message, offset));
            });
            (work, reported)
        };
        let (work, reported) =
            read(r#"{"id": "a", "type": "book", "title": "One", "title": "Two"}"#);
        assert_eq!(work.unwrap().title.unwrap().raw_string(), "Two");
        assert_eq!(reported.len(), 1);
        assert!(reported[0].0.starts_with("`title` is written twice"));
        // Read as null first, it was still written.
        let (work, reported) = read(r#"{"id": "b", "title": null, "title": "Két"}"#);
        assert_eq!(work.unwrap().title.unwrap().raw_string(), "Két");
        assert_eq!(reported.len(), 1);
        let (work, reported) = read(
            r#"{"id": "c", "ti\u0074le": "Escaped", "x-field": "x", "x-field": "y", "volume": 5}"#,
        );
        let work = work.unwrap();
        assert_eq!(work.title.unwrap().raw_string(), "Escaped");
        assert_eq!(work.extra.get("x-field").map(String::as_str), Some("y"));
        assert_eq!(work.venue.volume.as_deref(), Some("5"));
        // Any variable written twice is said, not only the core ones.
        let said: Vec<&str> = reported.iter().map(|(message, _)| &message[..]).collect();
        assert_eq!(
            said,
            ["`x-field` is written twice in this item; the last value was read"]
        );
        let (work, reported) =
            read("{\"id\": \"é\",\r\n \"note\": \"un\",\r\n \"note\": \"deux\", \"title-short\": 1, \"title-short\": 2}");
        assert_eq!(reported.len(), 2, "{reported:?}");
        assert!(reported[1].0.starts_with("`title-short` is written twice"));
        let note = &work.unwrap().fields[&crate::model::Variable::Note];
        assert_eq!(note.raw_string(), "deux");
        let raw = "{\"id\": \"d\",\r\n \"volume\": {\"x\": 1}}";
        let (work, reported) = read(raw);
        assert!(work.is_none());
        assert_eq!(reported.len(), 1);
        assert!(
            reported[0].0.contains("expected a string or a number"),
            "{reported:?}"
        );
        assert_eq!(reported[0].1, raw.find("{\"x\"").unwrap());
        let (work, reported) = read(r#""not an object""#);
        assert!(work.is_none());
        assert!(
            reported[0].0.contains("expected a CSL item"),
            "{reported:?}"
        );
    }

    /// A name read straight from JSON makes the person its JSON value
    /// does (a role's names in `custom` are read so), whatever its shape;
    /// only a part written twice is said of the first alone (a JSON value
    /// keeps the last and nothing else).
    #[test]
    fn names_read_from_text_as_from_values() {
        let names = [
            r#"{"family": "Doe", "given": "Jane"}"#,
            r#"{"fam\u0069ly": "Escaped", "other": [1, {"a": 2}]}"#,
            r#"{"family": "Beethoven", "non-dropping-particle": "van", "suffix": "Jr."}"#,
            r#"{"family": "Gogh", "dropping-particle": "van", "given": "Vincent"}"#,
            r#"{"literal": "World Health Organization"}"#,
            r#"{"literal": "", "given": "Solo"}"#,
            r#"{"family": 12, "given": {"x": 1}}"#,
            r#"{"family": "F", "given": 2.50, "suffix": null}"#,
            r#"{"literal": "others"}"#,
            r#""a string""#,
            "5",
            "null",
            "true",
            "[1, 2]",
            "{}",
        ];
        for json in names {
            let read: Name = serde_json::from_str(json).unwrap();
            let value: Value = serde_json::from_str(json).unwrap();
            let mut notes = (Vec::new(), Vec::new());
            let from_value = people_of(&[value], "author", &mut notes.0);
            assert_eq!(
                people(vec![read], "author", &mut notes.1).0,
                from_value,
                "{json}"
            );
            assert_eq!(notes.0, notes.1, "{json}");
        }
        let read = serde_json::from_str(r#"{"literal": "others"}"#).unwrap();
        let (people, truncated) = people(vec![read], "author", &mut Vec::new());
        assert!(people.is_empty() && truncated);
    }

    /// Whatever of a name is not kept is said: keys beyond a person's
    /// parts, parts that are no text, names that are no object.
    #[test]
    fn what_of_a_name_is_not_kept_is_said() {
        let cases = [
            (r#"{"family": "Doe", "given": "Jane"}"#, None),
            (r#"{"literal": "others"}"#, None),
            (r#"{"family": "Doe", "suffix": null}"#, None),
            (r#"{"family": "Doe", "family": "Doe"}"#, None),
            (
                r#"{"family": "Doe", "given": "Jane", "family": "Roé"}"#,
                Some("`editor` name 1 has `family` twice (`Doe`, then `Roé`); the last was read"),
            ),
            (
                r#"{"given": "Ann", "family": "Ōno", "given": 7, "family": null}"#,
                Some("`editor` name 1 has `given` twice (`Ann`, then `7`), `family` twice (`Ōno`, then null); the last was read"),
            ),
            (
                r#"{"family": "Roe", "static-ordering": true, "comma-suffix": 1}"#,
                Some("`editor` name 1 has `static-ordering`, `comma-suffix`, which pubconv does not keep; left out"),
            ),
            (
                r#"{"family": "Ōno", "given": {"x": 1}}"#,
                Some(r#"`editor` name 1 has `given` ({"x":1}), which pubconv does not keep; left out"#),
            ),
            (
                r#""Doe, Jane""#,
                Some("`editor` name 1 is a string, not a CSL name object; it was read as a literal name"),
            ),
            ("42", Some("`editor` name 1 is 42, not a CSL name; it was left out")),
            ("null", Some("`editor` name 1 is null, not a CSL name; it was left out")),
            ("[1,2]", Some("`editor` name 1 is [1,2], not a CSL name; it was left out")),
            ("{}", Some("`editor` name 1 has no name in it; it was left out")),
            (
                r#"{"suffix": "Jr.", "given": ""}"#,
                Some("`editor` name 1 has no family, given or literal name, only `Jr.`; it was left out"),
            ),
        ];
        for (json, expected) in cases {
            let item = format!(r#"{{"id": "k", "type": "book", "editor": [{json}]}}"#);
            let mut notes = Vec::new();
            read_item(&item, 0, &mut |diagnostic, _| {
                notes.push(diagnostic.message)
            });
            assert_eq!(notes.first().map(String::as_str), expected, "{json}");
            assert!(notes.len() <= 1, "{notes:?}");
        }
        // A string is kept as a literal name.
        let item = r#"{"id": "k", "author": ["World Health Organization", {"family": "Doe"}]}"#;
        let work = read_item(item, 0, &mut |_, _| {}).unwrap();
        assert_eq!(work.authors.len(), 2);
        assert_eq!(
            work.authors[0],
            Person::Literal("World Health Organization".to_owned())
        );
    }
}
