//! Answers to the lookup services' API paths from the fixtures under
//! `fixtures/lookup/`, picked the way the services pick: arXiv by title
//! phrase and author or by id, Crossref and OpenAlex by DOI, Crossref's
//! and DBLP's searches by the titles the query holds. Handlers of
//! [`super::http_server::HttpServer`] call these (all at once through
//! [`lookup_route`]), alone or after their own special cases.

use std::path::PathBuf;

use super::http_server::{lookup_fixture, Request, Response};

const ATOM: &str = "application/atom+xml; charset=utf-8";
const JSON: &str = "application/json";

/// The feeds under `fixtures/lookup/arxiv/` that are scenarios of their
/// own, answered only when a test asks for them by name, never picked
/// by a query.
const SCENARIO_FEEDS: &[&str] = &["error.xml", "malformed.xml"];

/// A title folded for comparison: lower case, letters and digits only,
/// words separated by one space, as the client strips a phrase before
/// sending it.
pub fn fold(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One `<entry>` of a fixture feed, with the parts the routing needs.
pub struct ArxivEntry {
    /// The entry's XML, `<entry>` to `</entry>`, as in the file.
    pub xml: String,
    /// `2210.13533v4`: the id after `abs/`.
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
}

impl ArxivEntry {
    /// The id without its version: `2210.13533`.
    pub fn base_id(&self) -> &str {
        strip_version(&self.id)
    }
}

fn strip_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(at) if at > 0 && id[at + 1..].bytes().all(|b| b.is_ascii_digit()) => &id[..at],
        _ => id,
    }
}

/// The feeds a query may be answered from: every `.xml` file under
/// `fixtures/lookup/arxiv/` but the scenarios, sorted by name.
pub fn arxiv_feed_files() -> Vec<PathBuf> {
    let folder = lookup_fixture("arxiv");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "xml")
                && !path
                    .file_name()
                    .is_some_and(|name| SCENARIO_FEEDS.iter().any(|s| name == *s))
        })
        .collect();
    files.sort();
    files
}

/// The entries of a feed's text, read by the few fixed tags the fixtures
/// use (not a general XML reader: the fixtures are ours).
pub fn arxiv_entries(feed: &str) -> Vec<ArxivEntry> {
    let mut entries = Vec::new();
    let mut rest = feed;
    while let Some(start) = rest.find("<entry>") {
        let Some(length) = rest[start..].find("</entry>") else {
            break;
        };
        let xml = &rest[start..start + length + "</entry>".len()];
        rest = &rest[start + xml.len()..];
        let id = element_texts(xml, "id")
            .first()
            .map(|id| id.rsplit("/abs/").next().unwrap_or(id).to_owned())
            .unwrap_or_default();
        let title = element_texts(xml, "title")
            .first()
            .cloned()
            .unwrap_or_default();
        entries.push(ArxivEntry {
            xml: xml.to_owned(),
            id,
            title,
            authors: element_texts(xml, "name"),
        });
    }
    entries
}

/// The unescaped texts of every `<tag>…</tag>` (no attributes) in `xml`.
fn element_texts(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut texts = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else {
            break;
        };
        texts.push(unescape(after[..end].trim()));
        rest = &after[end + close.len()..];
    }
    texts
}

fn unescape(text: &str) -> String {
    const ENTITIES: &[(&str, &str)] = &[
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        // Last, so that `&amp;lt;` stays `&lt;`.
        ("&amp;", "&"),
    ];
    ENTITIES
        .iter()
        .fold(text.to_owned(), |text, (entity, plain)| {
            text.replace(entity, plain)
        })
}

/// Every entry of every feed a query may be answered from, with its file.
pub fn arxiv_fixture_entries() -> Vec<(PathBuf, ArxivEntry)> {
    arxiv_feed_files()
        .into_iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            arxiv_entries(&text)
                .into_iter()
                .map(move |entry| (path.clone(), entry))
        })
        .collect()
}

/// arXiv's answer to `/api/query`: for `id_list=ID,…`, a feed of the
/// entries with those ids; for `search_query=ti:"PHRASE" AND au:FAMILY`,
/// the fixture feed (whole, its other entries too, as a real search
/// answers) holding an entry whose folded title is the folded phrase and
/// one of whose authors has that family name; else an empty feed.
pub fn arxiv_feed_for(request: &Request) -> Response {
    if let Some(ids) = request.param("id_list").filter(|ids| !ids.is_empty()) {
        let wanted: Vec<&str> = ids.split(',').map(str::trim).collect();
        let entries = arxiv_fixture_entries();
        let found: Vec<&str> = wanted
            .iter()
            .filter_map(|id| {
                entries
                    .iter()
                    .find(|(_, entry)| entry.id == *id || entry.base_id() == *id)
                    .map(|(_, entry)| entry.xml.as_str())
            })
            .collect();
        return Response::ok(ATOM, feed(&format!("id_list={ids}"), &found));
    }
    let query = request.param("search_query").unwrap_or_default();
    let (phrase, family) = search_terms(query);
    if phrase.is_none() && family.is_none() {
        return Response::ok(ATOM, feed(&format!("search_query={query}"), &[]));
    }
    let matches = |entry: &ArxivEntry| {
        phrase
            .as_ref()
            .is_none_or(|phrase| fold(&entry.title) == *phrase)
            && family.as_ref().is_none_or(|family| {
                entry.authors.iter().any(|name| {
                    let name = fold(name);
                    name == *family || name.ends_with(&format!(" {family}"))
                })
            })
    };
    match arxiv_fixture_entries()
        .into_iter()
        .find(|(_, entry)| matches(entry))
    {
        Some((path, _)) => Response::ok(
            ATOM,
            std::fs::read(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display())),
        ),
        None => Response::ok(ATOM, feed(&format!("search_query={query}"), &[])),
    }
}

/// The folded `ti:"…"` phrase and `au:` family name of a search query,
/// each if present (`au:` may be quoted too).
fn search_terms(query: &str) -> (Option<String>, Option<String>) {
    let term = |prefix: &str| -> Option<String> {
        let start = query.find(prefix)? + prefix.len();
        let rest = &query[start..];
        let value = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or(quoted),
            None => rest.split(' ').next().unwrap_or(rest),
        };
        Some(fold(value)).filter(|value| !value.is_empty())
    };
    (term("ti:"), term("au:"))
}

/// A feed in the shape of arXiv's answers, holding `entries` as given.
fn feed(query: &str, entries: &[&str]) -> String {
    let escaped = query
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n  \
         <title type=\"html\">ArXiv Query: {escaped}&amp;start=0</title>\n  \
         <id>http://arxiv.org/api/test-server-feed</id>\n  \
         <updated>2026-11-27T00:00:00-05:00</updated>\n  \
         <opensearch:totalResults xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">{}</opensearch:totalResults>\n  \
         <opensearch:startIndex xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">0</opensearch:startIndex>\n  \
         <opensearch:itemsPerPage xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">{}</opensearch:itemsPerPage>\n",
        entries.len(),
        entries.len()
    );
    for entry in entries {
        text.push_str("  ");
        text.push_str(entry);
        text.push('\n');
    }
    text.push_str("</feed>\n");
    text
}

/// The bytes of the JSON fixture under `fixtures/lookup/<folder>/` whose
/// work has `doi` (case-insensitive, as DOIs are), read by `doi_of`.
fn json_fixture_with_doi(
    folder: &str,
    doi: &str,
    doi_of: impl Fn(&serde_json::Value) -> Option<String>,
) -> Option<Vec<u8>> {
    json_fixtures(folder)
        .into_iter()
        .find(|(_, value)| doi_of(value).is_some_and(|found| found.eq_ignore_ascii_case(doi)))
        .map(|(bytes, _)| bytes)
}

/// Crossref's answer to `/works/{doi}`: the fixture under
/// `fixtures/lookup/crossref/` whose `message.DOI` is that DOI, else
/// Crossref's 404.
pub fn crossref_work_for(request: &Request) -> Response {
    let doi = request.path.trim_start_matches("/works/");
    let found = json_fixture_with_doi("crossref", doi, |value| {
        (value["message-type"] == "work")
            .then(|| value["message"]["DOI"].as_str().map(str::to_owned))
            .flatten()
    });
    match found {
        Some(body) => Response::ok(JSON, body),
        None => Response::ok("text/plain", "Resource not found.").with_status(404),
    }
}

/// OpenAlex's answer to `/works/doi:{doi}`: the fixture under
/// `fixtures/lookup/openalex/` whose `doi` is `https://doi.org/{doi}`,
/// else OpenAlex's 404.
pub fn openalex_work_for(request: &Request) -> Response {
    let doi = request.path.trim_start_matches("/works/doi:");
    let doi = doi
        .trim_start_matches("https://doi.org/")
        .trim_start_matches("http://doi.org/");
    let found = json_fixture_with_doi("openalex", doi, |value| {
        value["doi"]
            .as_str()
            .map(|doi| doi.trim_start_matches("https://doi.org/").to_owned())
    });
    match found {
        Some(body) => Response::ok(JSON, body),
        None => Response::ok(
            JSON,
            format!(
                "{{\"error\":\"Not Found\",\"message\":\"The requested resource doi:{doi} could not be found.\"}}"
            ),
        )
        .with_status(404),
    }
}

/// Every JSON fixture under `fixtures/lookup/<folder>/` that parses, by
/// name: its bytes, served as they are (key order and all), and its value.
fn json_fixtures(folder: &str) -> Vec<(Vec<u8>, serde_json::Value)> {
    let directory = lookup_fixture(folder);
    let Ok(listing) = std::fs::read_dir(&directory) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = listing
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter_map(|bytes| {
            let value = serde_json::from_slice(&bytes).ok()?;
            Some((bytes, value))
        })
        .collect()
}

/// Whether the folded `query` holds the folded `title` whole.
fn mentions(query: &str, title: &str) -> bool {
    let title = fold(title);
    !title.is_empty() && format!(" {} ", fold(query)).contains(&format!(" {title} "))
}

/// Crossref's answer to `/works?query.bibliographic=…` (or `query.title`):
/// the search page under `fixtures/lookup/crossref/` one of whose works'
/// titles the query holds; else a page of the one work fixture whose title
/// it holds; else a page of none.
pub fn crossref_search_for(request: &Request) -> Response {
    let query = request
        .param("query.bibliographic")
        .or_else(|| request.param("query.title"))
        .or_else(|| request.param("query"))
        .unwrap_or_default();
    let fixtures = json_fixtures("crossref");
    let title_of = |work: &serde_json::Value| work["title"][0].as_str().unwrap_or("").to_owned();
    let page = fixtures.iter().find(|(_, value)| {
        value["message-type"] == "work-list"
            && value["message"]["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|item| mentions(query, &title_of(item))))
    });
    if let Some((bytes, _)) = page {
        return Response::ok(JSON, bytes.clone());
    }
    let items: Vec<serde_json::Value> = fixtures
        .iter()
        .filter(|(_, value)| {
            value["message-type"] == "work" && mentions(query, &title_of(&value["message"]))
        })
        .map(|(_, value)| value["message"].clone())
        .take(1)
        .collect();
    let page = serde_json::json!({
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {
            "facets": {},
            "total-results": items.len(),
            "items": items,
            "items-per-page": request.param("rows").and_then(|rows| rows.parse::<u64>().ok()).unwrap_or(20),
            "query": {"start-index": 0, "search-terms": query},
        },
    });
    Response::ok(JSON, page.to_string())
}

/// DBLP's answer to `/search/publ/api?q=…&format=json`: the search under
/// `fixtures/lookup/dblp/` one of whose hits' titles (less DBLP's final
/// period) the query holds; else DBLP's answer with no hits, which has no
/// `hit` key at all.
pub fn dblp_search_for(request: &Request) -> Response {
    let query = request.param("q").unwrap_or_default();
    let found = json_fixtures("dblp").into_iter().find(|(_, value)| {
        value["result"]["hits"]["hit"]
            .as_array()
            .is_some_and(|hits| {
                hits.iter()
                    .any(|hit| mentions(query, hit["info"]["title"].as_str().unwrap_or("")))
            })
    });
    let body = found.map(|(bytes, _)| bytes).unwrap_or_else(|| {
        serde_json::json!({"result": {
            "query": query,
            "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "3.05"},
            "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
            "hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"},
        }})
        .to_string()
        .into_bytes()
    });
    Response::ok(JSON, body)
}

/// Every service's paths on one server: arXiv's `/api/query`, Crossref's
/// `/works` and `/works/{doi}`, OpenAlex's `/works/doi:{doi}` and DBLP's
/// `/search/publ/api`; 404 elsewhere.
pub fn lookup_route(request: &Request) -> Response {
    let path = request.path.as_str();
    if path == "/api/query" {
        arxiv_feed_for(request)
    } else if path == "/works" {
        crossref_search_for(request)
    } else if path.starts_with("/works/doi:") {
        openalex_work_for(request)
    } else if path.starts_with("/works/") {
        crossref_work_for(request)
    } else if path == "/search/publ/api" {
        dblp_search_for(request)
    } else {
        Response::status(404)
    }
}
