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

use std::collections::BTreeMap;

use serde::Serialize;

use crate::csl;
use crate::key::citation_keys;
use crate::model::{
    Date, DateValue, Inline, Library, Person, RangeEnd, Style, Text, Work, WorkType,
};
use crate::tex::math;
use crate::write::{Options, OutputFormat};

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    citation_key: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editor: Vec<Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_place: Option<String>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "ISBN", skip_serializing_if = "Option::is_none")]
    isbn: Option<String>,
    #[serde(rename = "ISSN", skip_serializing_if = "Option::is_none")]
    issn: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_text: Option<String>,
    #[serde(skip_serializing_if = "Custom::is_empty")]
    custom: Custom,
    /// The variables, roles and dates of the tables below.
    #[serde(flatten)]
    more: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Name {
    Personal {
        family: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        given: Option<String>,
        #[serde(
            rename = "non-dropping-particle",
            skip_serializing_if = "Option::is_none"
        )]
        particle: Option<String>,
        #[serde(rename = "dropping-particle", skip_serializing_if = "Option::is_none")]
        dropping_particle: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<String>,
    },
    Literal {
        literal: String,
    },
}

/// A CSL date: one or two sets of date parts (a range); an open range has
/// its start as parts and the whole range as `raw` EDTF.
#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<i32>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    circa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<String>,
}

/// Data CSL has no variable for, and fields of the source no writer knows.
#[derive(Serialize, Default)]
#[serde(rename_all = "kebab-case")]
struct Custom {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    authors_truncated: bool,
    #[serde(flatten)]
    extra: std::collections::BTreeMap<String, String>,
}

impl Custom {
    fn is_empty(&self) -> bool {
        !self.authors_truncated && self.extra.is_empty()
    }
}

/// Writes the library as a pretty-printed CSL-JSON array, in input order.
pub fn write(library: &Library, options: &Options) -> String {
    let keys = citation_keys(&library.works, &options.key_pattern);
    let Some(mut writer) = OutputFormat::CslJson.stream_writer() else {
        return String::new();
    };
    let mut json = Vec::new();
    // Writing to memory cannot fail.
    for (work, key) in library.works.iter().zip(keys) {
        let _ = writer.push(&mut json, &render_item(work, key));
    }
    let _ = writer.finish(&mut json);
    // serde_json writes UTF-8 only.
    String::from_utf8(json).unwrap_or_default()
}

/// One item as it stands in the array: laid out as
/// `serde_json::to_string_pretty` lays out the whole array, one level in.
pub fn render_item(work: &Work, key: String) -> Vec<u8> {
    // Serialising plain structs of strings and numbers cannot fail.
    let json = serde_json::to_vec_pretty(&item(work, key)).unwrap_or_default();
    let mut out = Vec::with_capacity(json.len() + json.len() / 8);
    // A JSON string holds no raw line break.
    for (index, line) in json.split(|&byte| byte == b'\n').enumerate() {
        out.extend_from_slice(if index == 0 { b"  " } else { b"\n  " });
        out.extend_from_slice(line);
    }
    out
}

fn item(work: &Work, key: String) -> Item {
    let on_arxiv = work.kind == WorkType::Preprint && work.is_on_arxiv();
    Item {
        id: key.clone(),
        kind: csl::type_name(work.kind),
        citation_key: key,
        author: work.authors.iter().map(name_of).collect(),
        editor: work.editors.iter().map(name_of).collect(),
        title: work.title.as_ref().map(markup),
        container_title: work.venue.container_title.as_ref().map(markup),
        issued: work.date.map(date),
        volume: work.venue.volume.clone(),
        issue: work.venue.issue.clone(),
        // CSL processors format page ranges from a plain hyphen.
        page: work
            .venue
            .pages
            .as_ref()
            .map(|pages| pages.replace('–', "-")),
        publisher: work
            .venue
            .publisher
            .clone()
            .or_else(|| on_arxiv.then(|| "arXiv".to_owned())),
        publisher_place: work.venue.place.clone(),
        doi: work.ids.doi.clone(),
        url: work.ids.url.clone().or_else(|| {
            work.ids
                .arxiv
                .as_ref()
                .map(|id| format!("https://arxiv.org/abs/{id}"))
        }),
        isbn: work.ids.isbn.clone(),
        issn: work.ids.issn.clone(),
        categories: work
            .categories
            .iter()
            .map(|c| c.best().to_owned())
            .collect(),
        keyword: (!work.keywords.is_empty()).then(|| work.keywords.join(", ")),
        abstract_text: work.abstract_text.as_ref().map(markup),
        custom: Custom {
            authors_truncated: work.authors_truncated,
            extra: work
                .extra
                .iter()
                .filter(|(name, _)| !csl::is_variable(name))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
        },
        more: more(work),
    }
}

/// The variables, roles and dates CSL names by tables.
fn more(work: &Work) -> BTreeMap<String, serde_json::Value> {
    let mut more = BTreeMap::new();
    let mut put = |name: &str, value: serde_json::Value| {
        more.entry(name.to_owned()).or_insert(value);
    };
    for (variable, text) in &work.fields {
        if let Some(name) = csl::name_of(csl::VARIABLES, variable) {
            put(name, serde_json::Value::String(markup(text)));
        }
    }
    // A short title, where the source gave none, is the title before its
    // colon, as reference managers make it.
    if let Some(short) = work.title.as_ref().and_then(Text::before_colon) {
        put("title-short", serde_json::Value::String(markup(&short)));
    }
    if let Some(id) = &work.ids.arxiv {
        put("number", serde_json::Value::String(format!("arXiv:{id}")));
    }
    for (role, people) in &work.contributors {
        if let Some(name) = csl::name_of(csl::ROLES, role) {
            let names: Vec<Name> = people.iter().map(name_of).collect();
            put(name, serde_json::to_value(names).unwrap_or_default());
        }
    }
    for (variable, value) in &work.dates {
        if let Some(name) = csl::name_of(csl::DATES, variable) {
            put(name, serde_json::to_value(date(*value)).unwrap_or_default());
        }
    }
    // Values the model could not hold but a CSL source gave (a literal
    // date, say) go back where they came from.
    for (name, value) in &work.extra {
        if csl::is_variable(name) {
            let json = serde_json::from_str(value)
                .unwrap_or_else(|_| serde_json::Value::String(value.clone()));
            put(name, json);
        }
    }
    more
}

fn name_of(person: &Person) -> Name {
    match person {
        Person::Literal(literal) => Name::Literal {
            literal: literal.clone(),
        },
        Person::Personal(name) => Name::Personal {
            family: name.family.clone(),
            given: name.given.clone(),
            particle: name.particle.clone().filter(|_| !name.dropping_particle),
            dropping_particle: name.particle.clone().filter(|_| name.dropping_particle),
            suffix: name.suffix.clone(),
        },
    }
}

fn date(value: DateValue) -> CslDate {
    let parts = |date: Date| -> Vec<i32> {
        let parts = [
            Some(date.year),
            date.month.map(|m| i32::from(m.number())),
            date.day.map(i32::from),
        ];
        parts.into_iter().map_while(|part| part).collect()
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
    let mut out = String::new();
    render(&text.inlines, &mut out);
    out
}

fn render(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => out.push_str(text),
            Inline::Protected(inner) => wrap(out, "<span class=\"nocase\">", inner, "</span>"),
            Inline::Styled(style, inner) => {
                let (open, close) = match style {
                    Style::Emphasis => ("<i>", "</i>"),
                    Style::Strong => ("<b>", "</b>"),
                    Style::SmallCaps => ("<span style=\"font-variant:small-caps;\">", "</span>"),
                    Style::Superscript => ("<sup>", "</sup>"),
                    Style::Subscript => ("<sub>", "</sub>"),
                };
                wrap(out, open, inner, close);
            }
            Inline::Math(tex) => match math::to_unicode(tex) {
                Some(unicode) => out.push_str(&unicode),
                None => {
                    out.push('$');
                    out.push_str(tex);
                    out.push('$');
                }
            },
        }
    }
}

fn wrap(out: &mut String, open: &str, inner: &[Inline], close: &str) {
    out.push_str(open);
    render(inner, out);
    out.push_str(close);
}
