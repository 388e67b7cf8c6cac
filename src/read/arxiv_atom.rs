//! The arXiv reader: the Atom feed arXiv's API answers a query with
//! (`http://export.arxiv.org/api/query?…`, or a registered author's
//! `https://arxiv.org/a/<id>.atom`).
//!
//! The feed is one Atom `<feed>` holding OpenSearch counts
//! (`opensearch:totalResults`) and one `<entry>` per paper. This module
//! owns the mapping from an entry to the model; parsing is roxmltree's.
//! Each entry is a preprint:
//!
//! - `<title>` and `<summary>`: white space (arXiv wraps lines) runs as
//!   one space; the TeX in them (`$p$-adic`, `\"o`) is read as the profile
//!   reader reads arXiv text.
//! - `<author><name>`: the authors in order, a collaboration's name whole;
//!   their `arxiv:affiliation`s go to `extra` as `affiliations`, one line
//!   per author who has any (`Name: First; Second`).
//! - `<id>` (`http://arxiv.org/abs/ID` + `vN`): the arXiv id; the version
//!   goes to `extra` as `arxiv-version`.
//! - `<published>` (the first version's date) is the work's date;
//!   `<updated>` (the returned version's) goes to `extra` as
//!   `arxiv-updated` when it is another day.
//! - `arxiv:doi`: the DOI (of the published version, which its authors
//!   gave arXiv).
//! - `arxiv:journal_ref`: where it was published, as free text
//!   (`J. Classif. 25, 27-42 (2008)`). It is kept as written in `note`,
//!   never parsed into a journal, volume and pages that would be guesses.
//! - `arxiv:primary_category` and the `<category>` terms: the subject
//!   classes, primary first (ACM and MSC codes among them as written).
//! - `arxiv:comment` goes to `extra` as `arxiv-comment`.
//! - Links: the abstract page, the PDF and the DOI link say nothing the id,
//!   version and DOI do not; a link that does go to `extra` as
//!   `arxiv-links`.
//!
//! arXiv reports a bad query as a feed of one entry titled `Error` whose
//! id is `http://arxiv.org/api/errors#…` (with HTTP status 200): that
//! entry is an error diagnostic carrying its summary, not a work. A feed
//! with no entries (`opensearch:totalResults` 0) is an empty list. XML
//! that does not parse is one error with its line and column; an entry
//! without a title or an arXiv id is a warning and is skipped.

use roxmltree::{Document, Node};

use crate::arxiv;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{bare_doi, Category, Date, Library, Person, Text, Variable, Work, WorkType};
use crate::read::{LineIndex, ReadOptions, Reading, Source};
use crate::tex::{self, Dialect};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const ARXIV: &str = "http://arxiv.org/schemas/atom";
const OPENSEARCH: &str = "http://a9.com/-/spec/opensearch/1.1/";

/// The key in a work's `extra` holding the version the feed returned (`v2`).
pub const VERSION: &str = "arxiv-version";
/// The key in a work's `extra` holding the returned version's date, when
/// it is not the first version's.
pub const UPDATED: &str = "arxiv-updated";
/// The key in a work's `extra` holding the authors' comment (`13 pages, 8
/// figures`).
pub const COMMENT: &str = "arxiv-comment";
/// The key in a work's `extra` holding the authors' affiliations.
pub const AFFILIATIONS: &str = "affiliations";
/// The key in a work's `extra` holding links other than the ones the id,
/// version and DOI make.
pub const LINKS: &str = "arxiv-links";

/// The start of the id of the entry arXiv reports an error in.
const ERROR_ID: &str = "arxiv.org/api/errors";

/// How to get the file, for hints.
const HOW_TO_GET: &str = "save the answer of http://export.arxiv.org/api/query?search_query=…";

/// True when the text is an Atom feed from arXiv: its root is `<feed>`
/// and its start names arXiv's Atom namespace or API. Other feeds are
/// not claimed.
pub fn recognizes(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let Some(root) = root_start(head) else {
        return false;
    };
    let is_feed = root
        .strip_prefix("<feed")
        .and_then(|after| after.chars().next())
        .is_some_and(|c| c == '>' || c.is_whitespace());
    is_feed && head.contains(ATOM) && (head.contains(ARXIV) || head.contains("arxiv.org/api"))
}

/// The text from the root element on, after the XML declaration,
/// comments and white space.
fn root_start(text: &str) -> Option<&str> {
    let mut rest = text.trim_start();
    loop {
        let end = if rest.starts_with("<?") {
            rest.find("?>").map(|at| at + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|at| at + 3)
        } else {
            return Some(rest);
        };
        rest = rest[end?..].trim_start();
    }
}

/// Reads an arXiv API feed into a library.
pub fn read_arxiv(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let document = match Document::parse(source.text) {
        Ok(document) => document,
        Err(error) => {
            let position = error.pos();
            // roxmltree's message ends with the position, which the
            // diagnostic already says.
            let message = error.to_string();
            let message = message
                .strip_suffix(&format!(" at {position}"))
                .unwrap_or(&message);
            let diagnostic = Diagnostic::new(
                Severity::Error,
                "arxiv::bad-xml",
                format!("the file is not well-formed XML: {message}"),
            )
            .at(source.name, position.row as usize, position.col as usize)
            .line_text(LineIndex::new(source.text).line_text(position.row as usize))
            .hint(format!("{HOW_TO_GET} again"));
            return Reading {
                diagnostics: vec![diagnostic],
                ..Reading::default()
            };
        }
    };
    let mut reader = ArxivReader {
        file: source.name,
        index: LineIndex::new(source.text),
        diagnostics: Vec::new(),
    };
    let root = document.root_element();
    if !(root.has_tag_name((ATOM, "feed"))) {
        let error = Diagnostic::new(
            Severity::Error,
            "arxiv::not-arxiv",
            format!(
                "the root element is <{}>, not the Atom <feed> arXiv's API answers with",
                root.tag_name().name()
            ),
        )
        .hint(format!(
            "this is not an arXiv feed: {HOW_TO_GET}, or name the file's format with --from"
        ));
        let error = reader.at(error, root.range().start);
        reader.diagnostics.push(error);
        return Reading {
            diagnostics: reader.diagnostics,
            ..Reading::default()
        };
    }
    let entries: Vec<Node<'_, '_>> = root
        .children()
        .filter(|child| child.has_tag_name((ATOM, "entry")))
        .collect();
    let mut works = Vec::with_capacity(entries.len());
    let mut offsets = Vec::with_capacity(entries.len());
    for &entry in &entries {
        if let Some(work) = reader.entry(entry) {
            works.push(work);
            offsets.push(entry.range().start);
        }
    }
    reader.more_results(root, entries.len());
    Reading {
        library: Library {
            works,
            ..Library::default()
        },
        diagnostics: reader.diagnostics,
        offsets,
    }
}

struct ArxivReader<'a> {
    file: &'a str,
    index: LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl ArxivReader<'_> {
    fn at(&self, diagnostic: Diagnostic, offset: usize) -> Diagnostic {
        self.index.place(diagnostic, self.file, offset)
    }

    fn push(&mut self, diagnostic: Diagnostic, node: Node<'_, '_>) {
        let diagnostic = self.at(diagnostic, node.range().start);
        self.diagnostics.push(diagnostic);
    }

    /// A note when the feed is one page of more results: the rest is in
    /// other pages (`start=`), which the file does not hold.
    fn more_results(&mut self, root: Node<'_, '_>, entries: usize) {
        let count = |name: &str| {
            child(root, (OPENSEARCH, name)).and_then(|node| collapse(node).parse::<usize>().ok())
        };
        let (Some(total), start) = (count("totalResults"), count("startIndex").unwrap_or(0)) else {
            return;
        };
        if total > start + entries && entries > 0 {
            let note = Diagnostic::new(
                Severity::Note,
                "arxiv::more-results",
                format!(
                    "the feed holds results {} to {} of the {total} the query found",
                    start + 1,
                    start + entries
                ),
            )
            .hint("to read them all, fetch the other pages (`start=`, `max_results=`) and convert them together");
            self.push(note, root);
        }
    }

    fn entry(&mut self, entry: Node<'_, '_>) -> Option<Work> {
        let id = child(entry, (ATOM, "id")).map(collapse).unwrap_or_default();
        if id.contains(ERROR_ID) {
            let message = child(entry, (ATOM, "summary"))
                .map(collapse)
                .filter(|message| !message.is_empty())
                .unwrap_or_else(|| "no message".to_owned());
            let error = Diagnostic::new(
                Severity::Error,
                "arxiv::api-error",
                format!("arXiv's API refused the query: {message}"),
            )
            .hint("correct the query (see https://info.arxiv.org/help/api/user-manual.html) and save its answer again");
            self.push(error, entry);
            return None;
        }
        let Some((arxiv_id, version)) = arxiv_id(&id) else {
            let what = match id.as_str() {
                "" => "has no <id>".to_owned(),
                id => format!("has the id `{id}`, not an arXiv abstract page"),
            };
            let warning = Diagnostic::new(
                Severity::Warning,
                "arxiv::no-id",
                format!("an entry {what}; it was skipped"),
            )
            .hint("an arXiv entry's <id> is http://arxiv.org/abs/ID followed by its version");
            self.push(warning, entry);
            return None;
        };
        let title = child(entry, (ATOM, "title"))
            .map(|node| self.rich_text(node))
            .filter(|title| !title.is_empty());
        let Some(title) = title else {
            let warning = Diagnostic::new(
                Severity::Warning,
                "arxiv::no-title",
                format!("the entry arXiv:{arxiv_id} has no title; it was skipped"),
            )
            .key(format!("arXiv:{arxiv_id}"));
            self.push(warning, entry);
            return None;
        };
        let mut work = Work {
            kind: WorkType::Preprint,
            title: Some(title),
            ..Work::default()
        };
        if let Some(version) = version {
            work.extra.insert(VERSION.to_owned(), version.to_owned());
        }
        let mut affiliations = Vec::new();
        let mut primary = None;
        let mut categories: Vec<String> = Vec::new();
        let mut links = Vec::new();
        let (mut published, mut updated) = (None, None);
        for node in entry.children().filter(Node::is_element) {
            let namespace = node.tag_name().namespace();
            match (namespace, node.tag_name().name()) {
                (Some(ATOM), "summary") => {
                    work.abstract_text = Some(self.rich_text(node)).filter(|text| !text.is_empty());
                }
                (Some(ATOM), "author") => {
                    let name = child(node, (ATOM, "name"))
                        .map(collapse)
                        .unwrap_or_default();
                    if name.is_empty() {
                        let warning = Diagnostic::new(
                            Severity::Warning,
                            "arxiv::no-author-name",
                            format!("an author of arXiv:{arxiv_id} has no name; left out"),
                        );
                        self.push(warning, node);
                        continue;
                    }
                    let places: Vec<String> = node
                        .children()
                        .filter(|child| child.has_tag_name((ARXIV, "affiliation")))
                        .map(collapse)
                        .filter(|place| !place.is_empty())
                        .collect();
                    if !places.is_empty() {
                        affiliations.push(format!("{name}: {}", places.join("; ")));
                    }
                    work.authors.push(person(&name));
                }
                (Some(ATOM), "published") => published = Some(node),
                (Some(ATOM), "updated") => updated = Some(collapse(node)),
                (Some(ATOM), "category") => {
                    categories.extend(node.attribute("term").map(str::to_owned));
                }
                (Some(ATOM), "link") => links.push(node),
                (Some(ARXIV), "primary_category") => {
                    primary = node.attribute("term").map(str::to_owned);
                }
                (Some(ARXIV), "doi") => {
                    let doi = collapse(node);
                    let doi = bare_doi(&doi);
                    if !doi.is_empty() {
                        work.ids.doi.get_or_insert_with(|| doi.to_owned());
                    }
                }
                (Some(ARXIV), "journal_ref") => {
                    let reference = collapse(node);
                    if !reference.is_empty() {
                        work.fields.insert(Variable::Note, Text::plain(reference));
                    }
                }
                (Some(ARXIV), "comment") => {
                    let comment = collapse(node);
                    if !comment.is_empty() {
                        work.extra.insert(COMMENT.to_owned(), comment);
                    }
                }
                _ => {}
            }
        }
        if let Some(node) = published {
            work.date = self.date(node, &arxiv_id).map(Into::into);
        }
        let published = published.map(collapse).unwrap_or_default();
        if let Some(updated) = updated.filter(|updated| updated.get(..10) != published.get(..10)) {
            let day = updated.get(..10).unwrap_or(&updated).to_owned();
            work.extra.insert(UPDATED.to_owned(), day);
        }
        // The primary class first, each class once.
        for term in primary.into_iter().chain(categories) {
            if !work.categories.iter().any(|known| known.code == term) {
                work.categories.push(category(term));
            }
        }
        if !affiliations.is_empty() {
            work.extra
                .insert(AFFILIATIONS.to_owned(), affiliations.join("\n"));
        }
        let other_links: Vec<&str> = links
            .iter()
            .filter_map(|link| link.attribute("href"))
            .filter(|href| !says_nothing_new(href, &arxiv_id, version, work.ids.doi.as_deref()))
            .collect();
        if !other_links.is_empty() {
            work.extra.insert(LINKS.to_owned(), other_links.join(" "));
        }
        work.ids.arxiv = Some(arxiv_id);
        Some(work)
    }

    /// `2007-07-24T12:45:39Z` → its day.
    fn date(&mut self, node: Node<'_, '_>, arxiv_id: &str) -> Option<Date> {
        let text = collapse(node);
        match text.get(..10).map(str::parse::<Date>) {
            Some(Ok(date)) => Some(date),
            _ => {
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "arxiv::bad-date",
                    format!("the date `{text}` of arXiv:{arxiv_id} is not an Atom date; the work has no date"),
                )
                .hint("an Atom date starts YYYY-MM-DD, as in 2007-07-24T12:45:39Z");
                self.push(warning, node);
                None
            }
        }
    }

    /// arXiv text with inline TeX, white space collapsed, noting commands
    /// kept verbatim.
    fn rich_text(&mut self, node: Node<'_, '_>) -> Text {
        let text = collapse(node);
        let parsed = tex::parse(&text, Dialect::ArxivText);
        if !parsed.unknown_commands.is_empty() {
            let note = Diagnostic::new(
                Severity::Note,
                "tex::unknown-command",
                format!(
                    "kept TeX command(s) pubconv does not know as written: {}",
                    parsed.unknown_commands.join(", ")
                ),
            );
            self.push(note, node);
        }
        Text {
            inlines: parsed.inlines,
            ..Text::default()
        }
    }
}

/// The first child element of a name.
fn child<'a, 'input>(node: Node<'a, 'input>, name: (&str, &str)) -> Option<Node<'a, 'input>> {
    node.children().find(|child| child.has_tag_name(name))
}

/// A node's text, white space runs as one space, none at the ends.
fn collapse(node: Node<'_, '_>) -> String {
    // An element of text alone (as arXiv's are) is read in place.
    let single = node
        .first_child()
        .filter(|child| child.is_text() && child.next_sibling().is_none());
    let joined;
    let text = match single {
        Some(child) => child.text().unwrap_or_default(),
        None => {
            joined = node
                .descendants()
                .filter(Node::is_text)
                .filter_map(|part| part.text())
                .collect::<String>();
            &joined
        }
    };
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `http://arxiv.org/abs/0707.3536v1` → (`0707.3536`, `v1`); old ids keep
/// their archive (`hep-ex/0307015`).
fn arxiv_id(id: &str) -> Option<(String, Option<&str>)> {
    let lower = id.to_ascii_lowercase();
    let at = ["arxiv.org/abs/"]
        .iter()
        .find_map(|path| lower.find(path).map(|at| at + path.len()))?;
    let id = id[at..].trim_end_matches('/');
    let (bare, version) = split_version(id);
    (!bare.is_empty()).then(|| (bare.to_owned(), version))
}

/// An id and its version suffix (`v12`), if it has one.
fn split_version(id: &str) -> (&str, Option<&str>) {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let at = id.len() - digits;
    match id[..at].strip_suffix('v') {
        Some(bare) if digits > 0 && !bare.is_empty() => (bare, Some(&id[at - 1..])),
        _ => (id, None),
    }
}

/// Whether a link is the abstract page, the PDF or the DOI link, which
/// the id, version and DOI say.
fn says_nothing_new(href: &str, id: &str, version: Option<&str>, doi: Option<&str>) -> bool {
    let lower = href.to_ascii_lowercase();
    let path = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let path = path.strip_prefix("export.").unwrap_or(path);
    let versioned = format!("{}{}", id, version.unwrap_or_default()).to_ascii_lowercase();
    let own = |kind: &str| {
        path.strip_prefix("arxiv.org/")
            .and_then(|rest| rest.strip_prefix(kind))
            .is_some_and(|rest| {
                let rest = rest.strip_suffix(".pdf").unwrap_or(rest);
                rest == versioned || rest == id.to_ascii_lowercase()
            })
    };
    let doi_link = doi.is_some_and(|doi| {
        let bare = bare_doi(href);
        bare.len() != href.len() && bare.eq_ignore_ascii_case(doi)
    });
    own("abs/") || own("pdf/") || doi_link
}

/// An author as arXiv writes them: a collaboration's name whole, anyone
/// else's split given names first.
fn person(name: &str) -> Person {
    let collective = name
        .split_whitespace()
        .any(|word| crate::read::scholar::COLLECTIVE_WORDS.contains(&word.to_lowercase().as_str()));
    match collective {
        true => Person::Literal(name.to_owned()),
        false => Person::from_display_name(name),
    }
}

/// A subject class as written, with its arXiv category where the code is one.
fn category(code: String) -> Category {
    let arxiv = match arxiv::lookup(&code) {
        // Only a full code names its category: a bare suffix in a feed is
        // some other scheme's code.
        arxiv::Lookup::Unique(full) if full == code => Some(full.to_owned()),
        _ => None,
    };
    Category { code, arxiv }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_their_url_and_keep_their_version_apart() {
        assert_eq!(
            arxiv_id("http://arxiv.org/abs/0707.3536v1"),
            Some(("0707.3536".to_owned(), Some("v1")))
        );
        assert_eq!(
            arxiv_id("https://arxiv.org/abs/hep-ex/0307015v12"),
            Some(("hep-ex/0307015".to_owned(), Some("v12")))
        );
        assert_eq!(
            arxiv_id("http://arxiv.org/abs/2101.00001"),
            Some(("2101.00001".to_owned(), None))
        );
        assert_eq!(arxiv_id("http://arxiv.org/api/errors#x"), None);
        assert_eq!(arxiv_id("http://arxiv.org/abs/"), None);
    }

    #[test]
    fn only_arxivs_feeds_are_recognized() {
        let feed = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>http://arxiv.org/api/x</id>";
        assert!(recognizes(feed));
        assert!(recognizes(
            "\u{feff}<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">"
        ));
        assert!(!recognizes(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:x</id>"
        ));
        assert!(!recognizes("<dblpperson name=\"x\">"));
        assert!(!recognizes(
            "<feedx xmlns=\"http://www.w3.org/2005/Atom\">arxiv.org/api"
        ));
        // A character across the end of the part looked at.
        let long = format!("<feed xmlns=\"{ATOM}\">{}é", "x".repeat(4095 - 42));
        assert!(!long.is_char_boundary(4096));
        assert!(!recognizes(&long));
    }

    #[test]
    fn derivable_links_say_nothing_new() {
        let id = "0707.3536";
        let doi = Some("10.1007/s00357-008-9009-5");
        for link in [
            "http://arxiv.org/abs/0707.3536v1",
            "http://arxiv.org/pdf/0707.3536v1",
            "https://arxiv.org/pdf/0707.3536v1.pdf",
            "http://dx.doi.org/10.1007/s00357-008-9009-5",
        ] {
            assert!(says_nothing_new(link, id, Some("v1"), doi), "{link}");
        }
        assert!(!says_nothing_new(
            "https://github.com/x/y",
            id,
            Some("v1"),
            doi
        ));
        assert!(!says_nothing_new(
            "http://dx.doi.org/10.1/other",
            id,
            Some("v1"),
            doi
        ));
    }
}
