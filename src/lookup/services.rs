//! What to ask each service about a work, and which reader reads its
//! answer.
//!
//! | service | known identifier | else a search by |
//! | --- | --- | --- |
//! | arXiv | `id_list=<arXiv id>` | `search_query=ti:"<title>" AND au:<first family name>` |
//! | Crossref | `/works/<DOI>` | `query.bibliographic=<title> <first family name> <year>` |
//! | DBLP | | `/search/publ/api?q=<title> <first family name>` |
//! | OpenAlex | `/works/doi:<DOI>` | (none: OpenAlex's title search leads with reprints) |
//!
//! Titles go into a query as words only (punctuation would be read as
//! query syntax), and names without accents.

use crate::model::person::fold;
use crate::model::{Person, Work};
use crate::read::InputFormat;

use super::Service;

impl Service {
    /// The input format the service answers in.
    pub fn reply_format(self) -> InputFormat {
        match self {
            Service::Arxiv => InputFormat::ArxivAtom,
            Service::Crossref => InputFormat::Crossref,
            Service::Dblp => InputFormat::DblpSearch,
            Service::OpenAlex => InputFormat::OpenAlex,
        }
    }
}

/// How a query names its work, which decides how an answer is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// By an identifier the work has: a candidate with it is the work.
    Identifier,
    /// By title and author: a candidate must match on title, authors and
    /// year.
    Search,
}

/// One request to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub service: Service,
    /// The path after the base URL, `/`-led and already encoded.
    pub path: String,
    /// Query parameters, not yet encoded.
    pub parameters: Vec<(&'static str, String)>,
    pub asked: Asked,
}

/// How many candidates a search asks for.
const CANDIDATES: &str = "5";

/// What to ask `service` about `work`, or `None` when the work gives
/// nothing to ask by (no title; for OpenAlex, no DOI).
pub fn query(service: Service, work: &Work) -> Option<Query> {
    let title = work
        .title
        .as_ref()
        .map(|title| words(&title.raw_string()))
        .filter(|title| !title.is_empty());
    let family = work.authors.first().map(family_words);
    let year = work.date.map(|date| date.start.year.to_string());
    let doi = work.ids.doi.as_deref();
    let (path, parameters, asked) = match service {
        Service::Arxiv => match &work.ids.arxiv {
            Some(id) => (
                "/api/query".to_owned(),
                vec![("id_list", id.clone()), ("max_results", "1".into())],
                Asked::Identifier,
            ),
            None => {
                let mut search = format!("ti:\"{}\"", title?);
                if let Some(family) = family.filter(|family| !family.is_empty()) {
                    search.push_str(&format!(" AND au:{}", family.replace(' ', "_")));
                }
                (
                    "/api/query".to_owned(),
                    vec![("search_query", search), ("max_results", CANDIDATES.into())],
                    Asked::Search,
                )
            }
        },
        Service::Crossref => match doi {
            Some(doi) => (
                format!("/works/{}", encode(doi)),
                Vec::new(),
                Asked::Identifier,
            ),
            None => {
                let bibliographic = [Some(title?), family, year]
                    .into_iter()
                    .flatten()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                (
                    "/works".to_owned(),
                    vec![
                        ("query.bibliographic", bibliographic),
                        ("rows", CANDIDATES.into()),
                    ],
                    Asked::Search,
                )
            }
        },
        Service::Dblp => {
            let mut q = title?;
            if let Some(family) = family.filter(|family| !family.is_empty()) {
                q.push(' ');
                q.push_str(&family);
            }
            (
                "/search/publ/api".to_owned(),
                vec![
                    ("q", q),
                    ("format", "json".into()),
                    ("h", CANDIDATES.into()),
                ],
                Asked::Search,
            )
        }
        Service::OpenAlex => (
            format!("/works/doi:{}", encode(doi?)),
            Vec::new(),
            Asked::Identifier,
        ),
    };
    Some(Query {
        service,
        path,
        parameters,
        asked,
    })
}

impl Query {
    /// The request in the form the cache keys it by: the service, the path
    /// and the query, without base URL or contact address.
    pub fn key(&self) -> String {
        format!("{} {}", self.service.name(), self.path_and_query())
    }

    /// The URL to request from `base`, with the contact address where the
    /// service asks for one.
    pub fn url(&self, base: &str, contact: Option<&str>) -> String {
        let mut url = format!("{base}{}", self.path_and_query());
        if let (Some(contact), Service::Crossref | Service::OpenAlex) = (contact, self.service) {
            url.push(if self.parameters.is_empty() { '?' } else { '&' });
            url.push_str("mailto=");
            url.push_str(&encode(contact));
        }
        url
    }

    fn path_and_query(&self) -> String {
        let mut text = self.path.clone();
        for (index, (name, value)) in self.parameters.iter().enumerate() {
            text.push(if index == 0 { '?' } else { '&' });
            text.push_str(name);
            text.push('=');
            text.push_str(&encode(value));
        }
        text
    }
}

/// A title as the words a search engine matches: letters and digits, no
/// accents, one space between words.
fn words(text: &str) -> String {
    deunicode::deunicode(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person's family name as search words (`van der Berg` stays three
/// words; `Müller` is `Muller`).
fn family_words(person: &Person) -> String {
    let family = person.family_name();
    let plain = words(family);
    if plain.is_empty() {
        fold(family)
    } else {
        plain
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Text};

    fn work(title: &str, author: &str) -> Work {
        Work {
            title: Some(Text::plain(title)),
            authors: vec![Person::from_display_name(author)],
            date: Some(Date::year(2025).into()),
            ..Work::default()
        }
    }

    #[test]
    fn searches_use_words_of_the_title_and_the_first_family_name() {
        let work = work(
            "Beyond Hard Sharing: Multi-Task Speech-to-Text",
            "Hojun Jin",
        );
        let arxiv = query(Service::Arxiv, &work).unwrap();
        assert_eq!(arxiv.asked, Asked::Search);
        assert_eq!(
            arxiv.key(),
            "arxiv /api/query?search_query=ti%3A%22Beyond%20Hard%20Sharing%20Multi%20Task%20Speech%20to%20Text%22%20AND%20au%3AJin&max_results=5"
        );
        let crossref = query(Service::Crossref, &work).unwrap();
        assert_eq!(
            crossref.url("http://127.0.0.1:1", Some("me@example.org")),
            "http://127.0.0.1:1/works?query.bibliographic=Beyond%20Hard%20Sharing%20Multi%20Task%20Speech%20to%20Text%20Jin%202025&rows=5&mailto=me%40example.org"
        );
        assert_eq!(query(Service::OpenAlex, &work), None, "no DOI");
        let accented = self::work("Ébauche", "Jürgen van der Müller");
        let dblp = query(Service::Dblp, &accented).unwrap();
        assert_eq!(dblp.parameters[0].1, "Ebauche Muller");
    }

    #[test]
    fn known_identifiers_are_asked_for_directly() {
        let mut work = work("A", "B C");
        work.ids.doi = Some("10.1145/3-4.5(6)".into());
        work.ids.arxiv = Some("2210.13533".into());
        assert_eq!(
            query(Service::Crossref, &work).unwrap().key(),
            "crossref /works/10.1145%2F3-4.5%286%29"
        );
        assert_eq!(
            query(Service::OpenAlex, &work)
                .unwrap()
                .url("https://api.openalex.org", None),
            "https://api.openalex.org/works/doi:10.1145%2F3-4.5%286%29"
        );
        let arxiv = query(Service::Arxiv, &work).unwrap();
        assert_eq!(
            (arxiv.asked, arxiv.key()),
            (
                Asked::Identifier,
                "arxiv /api/query?id_list=2210.13533&max_results=1".to_owned()
            )
        );
        work.title = None;
        work.ids = Default::default();
        assert_eq!(query(Service::Arxiv, &work), None);
        assert_eq!(query(Service::Crossref, &work), None);
    }
}
