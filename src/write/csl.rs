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

use serde::Serialize;

use crate::key::citation_keys;
use crate::model::{Date, DateValue, Inline, Library, Person, RangeEnd, Text, Work, WorkType};
use crate::tex::math;

/// CSL types: the model's type and its CSL `type`.
const ITEM_TYPES: &[(WorkType, &str)] = &[
    (WorkType::JournalArticle, "article-journal"),
    (WorkType::ConferencePaper, "paper-conference"),
    (WorkType::Chapter, "chapter"),
    (WorkType::Book, "book"),
    (WorkType::Proceedings, "book"),
    (WorkType::Thesis, "thesis"),
    (WorkType::Report, "report"),
    (WorkType::Preprint, "article"),
    (WorkType::Manuscript, "manuscript"),
    (WorkType::Webpage, "webpage"),
    (WorkType::Dataset, "dataset"),
    (WorkType::Software, "software"),
    (WorkType::Misc, "document"),
];

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
    issued: Option<DateVariable>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
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
struct DateVariable {
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
pub fn write(library: &Library) -> String {
    let keys = citation_keys(&library.works);
    let items: Vec<Item> = library
        .works
        .iter()
        .zip(keys)
        .map(|(work, key)| item(work, key))
        .collect();
    // Serialising plain structs of strings and numbers cannot fail.
    let mut json = serde_json::to_string_pretty(&items).unwrap_or_default();
    json.push('\n');
    json
}

fn item(work: &Work, key: String) -> Item {
    let on_arxiv = work.kind == WorkType::Preprint && work.is_on_arxiv();
    Item {
        id: key.clone(),
        kind: ITEM_TYPES
            .iter()
            .find(|(kind, _)| *kind == work.kind)
            .map_or("document", |(_, name)| name),
        citation_key: key,
        author: work.authors.iter().map(name).collect(),
        editor: work.editors.iter().map(name).collect(),
        title: work.title.as_ref().map(markup),
        container_title: work.venue.container_title.as_ref().map(markup),
        issued: work.date.map(date),
        volume: work.venue.volume.clone(),
        issue: work.venue.issue.clone(),
        page: work.venue.pages.clone(),
        publisher: work
            .venue
            .publisher
            .clone()
            .or_else(|| on_arxiv.then(|| "arXiv".to_owned())),
        publisher_place: work.venue.place.clone(),
        number: work.ids.arxiv.as_ref().map(|id| format!("arXiv:{id}")),
        doi: work.ids.doi.clone(),
        url: work.ids.url.clone(),
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
            extra: work.extra.clone(),
        },
    }
}

fn name(person: &Person) -> Name {
    match person {
        Person::Literal(literal) => Name::Literal {
            literal: literal.clone(),
        },
        Person::Personal(name) => Name::Personal {
            family: name.family.clone(),
            given: name.given.clone(),
            particle: name.particle.clone(),
            suffix: name.suffix.clone(),
        },
    }
}

fn date(value: DateValue) -> DateVariable {
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
    DateVariable {
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
            Inline::Emphasis(inner) => wrap(out, "<i>", inner, "</i>"),
            Inline::Strong(inner) => wrap(out, "<b>", inner, "</b>"),
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
