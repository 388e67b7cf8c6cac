//! The DBLP search reader: the JSON DBLP's publication search answers
//! with (`https://dblp.org/search/publ/api?q=…&format=json`), as the
//! lookup of a work by its title gets it or as a user saves it.
//!
//! The reply is `{"result": {"query", "status", "hits": {"@total",
//! "@sent", "@first", "hit": [{"info": {…}}, …]}}}`, DBLP's XML turned
//! into JSON: a list of one is its item alone (one author, one hit), an
//! element given twice is a list (`ee`, `venue`), and `hit` is missing
//! when nothing was found.
//!
//! This module owns the reading of that JSON; the mapping of a record to
//! the model is the person XML reader's (`dblp::RecordParts`), so that
//! a work found by search is the work its person page gives: homonym
//! numbers dropped, the final `.` of titles dropped, `DBLP:` keys, CoRR
//! records as arXiv preprints, identifiers from the links, pids kept as
//! `dblp-pids`. What the search adds is its `type`, one of DBLP's
//! publication kinds in words, read by [`TYPES`] as the record element it
//! stands for; `doi`, the DOI; `url`, the record's DBLP page; `access`
//! `open`, kept as `open-access`. The people of an editorship are its
//! editors. Titles and names may hold character references (`&amp;`).
//!
//! JSON that does not parse is one error at its line and column; a
//! status other than 200 is one error naming `result.status`. A hit of
//! the wrong shape, or without a title, is a warning naming its JSON path
//! (`result.hits.hit[2]`), and is skipped. A reply that holds some of the
//! hits the query found says so in a note.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{bare_doi, Library, Work};
use crate::read::dblp::{self, RecordField, RecordParts};
use crate::read::json::{self, string_or_number, Locator, RecordNames};
use crate::read::{semantic_scholar, ReadOptions, Reading, Source};

/// How much of a file's start [`recognizes`] looks at.
const LOOK: usize = 1 << 16;

/// DBLP's publication kinds as the search names them, the record element
/// each stands for in DBLP's XML (which says the kind of work), and
/// whether the kind is informal (a preprint).
pub const TYPES: &[(&str, &str, bool)] = &[
    ("Journal Articles", "article", false),
    ("Conference and Workshop Papers", "inproceedings", false),
    ("Informal and Other Publications", "article", true),
    ("Books and Theses", "book", false),
    ("Editorship", "proceedings", false),
    ("Parts in Books or Collections", "incollection", false),
    // Encyclopedia entries: DBLP's XML has them as `incollection`.
    ("Reference Works", "incollection", false),
    ("Data and Artifacts", "data", false),
];

/// The starts of the keys of DBLP's theses, which the search counts among
/// "Books and Theses", and the record element each is.
const THESIS_KEYS: &[(&str, &str)] = &[("phd/", "phdthesis"), ("ms/", "mastersthesis")];

/// The code of a reply that holds hits.
const OK: &str = "200";

const HITS: RecordNames = RecordNames {
    code: "dblp-search::record",
    whole: "the hit",
    kind: "a DBLP search hit",
    noun: "hit",
    hint: "the other hits were read; search DBLP again for this one",
};

const HINT: &str = "save the reply of https://dblp.org/search/publ/api?q=…&format=json as it came";

/// True when the text is DBLP's search JSON: an object whose `result`
/// holds `hits`, or the `status` with its `@code`.
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let Some(inside) = text.strip_prefix('{') else {
        return false;
    };
    let inside = inside.trim_start();
    inside.starts_with("\"result\"")
        && (json::has_key(text, "hits", LOOK) || json::has_key(text, "@code", LOOK))
}

/// Reads DBLP's search JSON into a library.
pub fn read_dblp_search(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let text = source.text.trim_start_matches('\u{feff}');
    let locator = Locator::new(source.name, source.text);
    let mut reader = SearchReader {
        locator: &locator,
        diagnostics: Vec::new(),
        searches: 0,
    };
    let hits = reader.hits(text);
    let (works, offsets) = json::works_of(&locator, hits, |path, raw| reader.hit(path, raw));
    Reading {
        library: Library {
            works,
            ..Library::default()
        },
        diagnostics: reader.diagnostics,
        offsets,
    }
}

/// The reply, as far as finding its hits.
#[derive(Deserialize)]
struct Reply<'a> {
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchResult<'a> {
    #[serde(deserialize_with = "string_or_number")]
    query: Option<String>,
    #[serde(borrow)]
    status: Option<&'a RawValue>,
    #[serde(borrow)]
    hits: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Status {
    #[serde(rename = "@code", deserialize_with = "string_or_number")]
    code: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Hits<'a> {
    #[serde(rename = "@total", deserialize_with = "string_or_number")]
    total: Option<String>,
    #[serde(rename = "@first", deserialize_with = "string_or_number")]
    first: Option<String>,
    #[serde(borrow)]
    hit: Option<&'a RawValue>,
}

/// A hit: DBLP's record is its `info`; its score and ids are not read.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Hit<'a> {
    #[serde(borrow)]
    info: Option<Info<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Info<'a> {
    #[serde(borrow)]
    authors: Option<Authors<'a>>,
    #[serde(deserialize_with = "string_or_number")]
    title: Option<String>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    key: Option<Cow<'a, str>>,
    #[serde(borrow)]
    doi: Option<Cow<'a, str>>,
    #[serde(borrow)]
    access: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "string_or_number")]
    publisher: Option<String>,
    #[serde(deserialize_with = "values")]
    year: Vec<String>,
    #[serde(deserialize_with = "values")]
    venue: Vec<String>,
    #[serde(deserialize_with = "values")]
    volume: Vec<String>,
    #[serde(deserialize_with = "values")]
    number: Vec<String>,
    #[serde(deserialize_with = "values")]
    pages: Vec<String>,
    #[serde(deserialize_with = "values")]
    ee: Vec<String>,
    #[serde(deserialize_with = "values")]
    url: Vec<String>,
}

impl Info<'_> {
    /// The values of the fields the XML reader reads the same way, with
    /// their names.
    fn record_fields(&mut self) -> [(&'static str, Vec<String>); 7] {
        [
            ("year", std::mem::take(&mut self.year)),
            ("venue", std::mem::take(&mut self.venue)),
            ("volume", std::mem::take(&mut self.volume)),
            ("number", std::mem::take(&mut self.number)),
            ("pages", std::mem::take(&mut self.pages)),
            ("ee", std::mem::take(&mut self.ee)),
            ("url", std::mem::take(&mut self.url)),
        ]
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Authors<'a> {
    #[serde(borrow, deserialize_with = "one_or_many")]
    author: Vec<Author<'a>>,
}

/// A person: `{"@pid": …, "text": name}`, or the name alone, as older
/// replies give it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Author<'a> {
    Named {
        #[serde(rename = "@pid", default)]
        pid: Option<String>,
        text: String,
    },
    Bare(#[serde(borrow)] Cow<'a, str>),
}

/// A value that is one item, or a list of them when DBLP has several;
/// none for null.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    let value: Option<OneOrMany<T>> = Option::deserialize(deserializer)?;
    Ok(match value {
        None => Vec::new(),
        Some(OneOrMany::Many(items)) => items,
        Some(OneOrMany::One(item)) => vec![item],
    })
}

/// The text of a field given once or several times, each as a string, a
/// number or an object with `text` (an element with attributes); empty
/// values dropped.
fn values<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let items: Vec<Scalar> = one_or_many(deserializer)?;
    Ok(items
        .into_iter()
        .filter_map(|item| item.0)
        .filter(|text| !text.is_empty())
        .collect())
}

/// A string, a number, null or `{"text": …}` with attributes beside.
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Tagged {
            #[serde(default, deserialize_with = "string_or_number")]
            text: Option<String>,
        }

        struct Visitor;

        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or an object with `text`")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(text.trim().to_owned())))
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(number.to_string())))
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(number.to_string())))
            }

            fn visit_f64<E: de::Error>(self, number: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(number.to_string())))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
                let tagged = Tagged::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Scalar(tagged.text))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

struct SearchReader<'a> {
    locator: &'a Locator<'a>,
    diagnostics: Vec<Diagnostic>,
    /// How many wrong values were searched for: past
    /// [`json::MOST_SEARCHES`], a warning names the hit only.
    searches: usize,
}

impl SearchReader<'_> {
    fn report(&mut self, diagnostic: Diagnostic, at: &str) {
        let diagnostic = self.locator.at(diagnostic, self.locator.offset_of(at));
        self.diagnostics.push(diagnostic);
    }

    /// The hits of the reply, each with its JSON path; none after an
    /// error when the reply holds none to read.
    fn hits<'t>(&mut self, text: &'t str) -> Vec<(String, &'t str)> {
        if let Err(error) = serde_json::from_str::<&RawValue>(text) {
            let error = self
                .locator
                .not_json("dblp-search::json", text, &error, HINT);
            self.diagnostics.push(error);
            return Vec::new();
        }
        let reply = text
            .trim_start()
            .starts_with('{')
            .then(|| serde_json::from_str::<Reply>(text).ok())
            .flatten();
        let Some(result) = reply.and_then(|reply| reply.result) else {
            self.not_dblp_search(text);
            return Vec::new();
        };
        let result_raw = result.get();
        let Some(result) = self.part::<SearchResult>(result_raw, "result") else {
            return Vec::new();
        };
        if let Some(status) = result.status {
            let Some(read) = self.part::<Status>(status.get(), "result.status") else {
                return Vec::new();
            };
            if let Some(code) = read.code.filter(|code| code != OK) {
                let text = read.text.unwrap_or_else(|| "no reason given".to_owned());
                let error = Diagnostic::new(
                    Severity::Error,
                    "dblp-search::api-error",
                    format!("DBLP answered with an error at `result.status`: {code} {text}"),
                )
                .hint("correct the query (`q=`) and save DBLP's reply again; a 5xx code is DBLP's trouble, try again later");
                self.report(error, status.get());
                return Vec::new();
            }
        }
        let Some(hits_raw) = result.hits else {
            let error = Diagnostic::new(
                Severity::Error,
                "dblp-search::no-hits",
                "DBLP's reply has no `result.hits`: it holds no works",
            )
            .hint(HINT);
            self.report(error, result_raw);
            return Vec::new();
        };
        let Some(hits) = self.part::<Hits>(hits_raw.get(), "result.hits") else {
            return Vec::new();
        };
        let list = match hits.hit {
            None => Vec::new(),
            Some(hit) if hit.get().starts_with('[') => {
                match serde_json::from_str::<Vec<&RawValue>>(hit.get()) {
                    Ok(items) => items
                        .into_iter()
                        .enumerate()
                        .map(|(index, raw)| (format!("result.hits.hit[{index}]"), raw.get()))
                        .collect(),
                    Err(_) => Vec::new(),
                }
            }
            Some(hit) if hit.get() == "null" => Vec::new(),
            Some(hit) => vec![("result.hits.hit".to_owned(), hit.get())],
        };
        self.more_results(&hits, list.len(), result.query.as_deref(), hits_raw.get());
        list
    }

    /// A part of the reply read as `T`, or `None` after an error naming
    /// its path when it is of another shape.
    fn part<'t, T: Deserialize<'t>>(&mut self, raw: &'t str, path: &str) -> Option<T> {
        match serde_json::from_str::<T>(raw) {
            Ok(part) => Some(part),
            Err(error) => {
                let message = format!(
                    "`{path}` is not shaped as DBLP writes it ({}); no works were read",
                    json::without_position(&error)
                );
                let diagnostic =
                    Diagnostic::new(Severity::Error, "dblp-search::bad-reply", message).hint(HINT);
                let diagnostic = self
                    .locator
                    .at(diagnostic, self.locator.error_offset(raw, &error));
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// A note when the reply holds some of the hits the query found.
    fn more_results(&mut self, hits: &Hits<'_>, count: usize, query: Option<&str>, at: &str) {
        let number = |value: &Option<String>| value.as_deref().and_then(|n| n.parse::<u64>().ok());
        let (Some(total), first) = (number(&hits.total), number(&hits.first).unwrap_or(0)) else {
            return;
        };
        let count = count as u64;
        if total <= first + count {
            return;
        }
        let found = match query {
            Some(query) => format!("DBLP found for `{query}`"),
            None => "DBLP found".to_owned(),
        };
        let message = match count {
            0 => format!("the reply holds none of the {total} hits {found}"),
            _ => format!(
                "the reply holds hits {} to {} of the {total} {found}",
                first + 1,
                first + count
            ),
        };
        let note = Diagnostic::new(Severity::Note, "dblp-search::more-results", message)
            .hint("to read more, ask again with `h=` (up to 1000) and `f=` the first hit to send, and convert the replies together");
        self.report(note, at);
    }

    fn not_dblp_search(&mut self, text: &str) {
        let kind = json::kind_of(text);
        let error = Diagnostic::new(
            Severity::Error,
            "dblp-search::not-dblp-search",
            format!("this is not DBLP's search JSON: it is {kind}"),
        )
        .hint(HINT);
        self.report(error, text);
    }

    /// One hit, or `None` after a warning when it cannot be read.
    fn hit(&mut self, path: &str, raw: &str) -> Option<Work> {
        let parses = |text: &str| serde_json::from_str::<Hit>(text).is_ok();
        let hit = match self
            .locator
            .record::<Hit>(&HITS, path, raw, &parses, &mut self.searches)
        {
            Ok(hit) => hit,
            Err(warning) => {
                self.diagnostics.push(warning);
                return None;
            }
        };
        let mut info = hit.info.unwrap_or_default();
        let key = info
            .key
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(|key| format!("DBLP:{key}"));
        let title = info
            .title
            .as_deref()
            .map(dblp::title_of_text)
            .filter(|title| !title.is_empty());
        let Some(title) = title else {
            let mut warning = Diagnostic::new(
                Severity::Warning,
                "dblp-search::no-title",
                format!("`{path}` has no title; it was skipped"),
            )
            .hint("the other hits were read");
            if let Some(key) = &key {
                warning = warning.key(key.clone());
            }
            self.report(warning, raw);
            return None;
        };

        let kind = info.kind.as_deref().map(str::trim).unwrap_or_default();
        let row = TYPES
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(kind));
        let element = match row {
            Some((_, "book", _)) => key
                .as_deref()
                .and_then(|key| {
                    let key = key.trim_start_matches("DBLP:");
                    THESIS_KEYS.iter().find(|(start, _)| key.starts_with(start))
                })
                .map_or("book", |&(_, element)| element),
            Some(&(_, element, _)) => element,
            None => {
                if !kind.is_empty() {
                    let warning = Diagnostic::new(
                        Severity::Warning,
                        "dblp-search::unknown-type",
                        format!("`{path}`: `{kind}` is not a DBLP publication type pubconv knows; it was read as a work of no kind"),
                    );
                    self.report(warning, raw);
                }
                ""
            }
        };
        let mut parts = RecordParts::new(element, key)?;
        parts.work.title = Some(title);
        parts.informal = row.is_some_and(|&(_, _, informal)| informal);

        let editors = element == "proceedings";
        for author in info.authors.take().unwrap_or_default().author {
            let (name, pid) = match &author {
                Author::Named { pid, text } => (text.as_str(), pid.as_deref().unwrap_or_default()),
                Author::Bare(name) => (name.as_ref(), ""),
            };
            let name = dblp::plain_of_text(name);
            if !name.is_empty() {
                parts.person(&name, pid, editors);
            }
        }
        parts.work.ids.doi = info
            .doi
            .as_deref()
            .map(|doi| bare_doi(doi.trim()).to_owned())
            .filter(|doi| !doi.is_empty());
        parts.work.venue.publisher = info
            .publisher
            .as_deref()
            .map(dblp::plain_of_text)
            .filter(|publisher| !publisher.is_empty());
        for (name, values) in info.record_fields() {
            let Some(field) = RecordField::named(name) else {
                continue;
            };
            for value in values {
                parts.set(field, dblp::plain_of_text(&value));
            }
        }
        if info.access.as_deref().map(str::trim) == Some("open") {
            parts
                .work
                .extra
                .insert(semantic_scholar::OPEN_ACCESS.to_owned(), "true".to_owned());
        }
        Some(parts.into_work())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_recognized_and_other_json_is_not() {
        assert!(recognizes(
            r#"{"result":{"query":"x","hits":{"@total":"0"}}}"#
        ));
        assert!(recognizes(
            "\u{feff} {\n \"result\": {\"status\": {\"@code\": \"500\"}}}"
        ));
        assert!(!recognizes(r#"[{"result":{"hits":{}}}]"#));
        assert!(!recognizes(r#"{"id":"a","title":"result hits"}"#));
        assert!(!recognizes(r#"{"jsonrpc":"2.0","result":{"x":1}}"#));
    }

    #[test]
    fn a_status_of_another_shape_is_one_error() {
        let reading = read_dblp_search(
            Source {
                name: "r.json",
                text: r#"{"result":{"status":"OK","hits":{"hit":[{"info":{"title":"T."}}]}}}"#,
            },
            &ReadOptions::default(),
        );
        assert!(reading.library.works.is_empty());
        assert_eq!(reading.diagnostics.len(), 1);
        assert_eq!(reading.diagnostics[0].code, "dblp-search::bad-reply");
        assert!(reading.diagnostics[0]
            .message
            .starts_with("`result.status` is not shaped as DBLP writes it"));
    }

    #[test]
    fn single_items_and_lists_read_alike() {
        let one: Authors = serde_json::from_str(r#"{"author":{"@pid":"1","text":"A B"}}"#).unwrap();
        let many: Authors =
            serde_json::from_str(r#"{"author":[{"@pid":"1","text":"A B"},"C D"]}"#).unwrap();
        assert_eq!(one.author.len(), 1);
        assert_eq!(many.author.len(), 2);
        let info: Info = serde_json::from_str(
            r#"{"ee":["a",{"@type":"oa","text":"b"},null],"venue":"V","year":2020}"#,
        )
        .unwrap();
        assert_eq!(info.ee, ["a", "b"]);
        assert_eq!(info.venue, ["V"]);
        assert_eq!(info.year, ["2020"]);
    }
}
