//! The DBLP reader: a researcher's person XML (`https://dblp.org/pid/<pid>.xml`).
//!
//! The file is one `<dblpperson name="…" pid="…">` holding the person
//! (`<person>`), their homonyms, one `<r>` per record and their coauthors.
//! Only the records are works; the root's `name` gives the [`Profile`], so
//! that a CV bolds the owner. A bare `<dblp>` root holding records (as
//! DBLP's dump and its API's XML hold them) is read the same way, without
//! an owner.
//!
//! This module owns the mapping from DBLP's records to the model
//! (`RecordParts`, which the search reader, `dblp_search`, fills from
//! its JSON too); parsing is roxmltree's. DBLP writes homonyms as
//! `Di Xu 0001`: the number is dropped from names (the `pid` attributes,
//! which tell homonyms apart, go to the work's `extra` as `dblp-pids`). Titles end in a `.` DBLP adds
//! and may hold `<i>`, `<sub>`, `<sup>` and `<tt>` markup, read as rich
//! text. A CoRR record (`journal` CoRR, `volume` `abs/ID`) or an informal
//! publication is a preprint. Of a record's `<ee>` links the first DOI and
//! arXiv links become identifiers and the first other its URL (but for
//! mirrors of the DOI and Wikidata entities).
//!
//! Each record is parsed on its own, records side by side: a record that
//! is not well-formed XML is one error at its line and column and costs
//! that record only, a file cut short keeps the records before the cut,
//! and a start that is not XML is one error and no works. A record
//! without a title is a warning and is skipped.

use roxmltree::{Document, Node, ParsingOptions};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    bare_doi, page_range, squeeze_white_space, trim_inlines, Date, Inline, Library, Month, Person,
    Profile, Style, Text, Variable, Work, WorkType,
};
use crate::read::{LineIndex, ReadOptions, Reading, Source};

/// The key in a work's `extra` holding the DBLP pids of its authors and
/// editors, in order, separated by `; ` (empty for a person without one).
pub const PIDS: &str = "dblp-pids";
/// The key in a work's `extra` holding DBLP's own page of the record
/// (`db/conf/…html#…`).
pub const DBLP_URL: &str = "dblp-url";
/// The key in a work's `extra` holding the record's `crossref`: the key of
/// the proceedings it is in.
pub const CROSSREF: &str = "dblp-crossref";

/// How many records a thread reads at a time.
const RECORDS_A_BATCH: usize = 64;

/// Hosts of `ee` links that are about a work rather than an edition of
/// it, never taken as its URL.
const NOT_EDITIONS: &[&str] = &["wikidata.org/"];

/// Record elements and the kind of work each is; `None` for `www`, which
/// is a person's homepage record, not a work. `data` is research data or
/// an artifact.
const RECORD_KINDS: &[(&str, Option<WorkType>, Option<&str>)] = &[
    ("article", Some(WorkType::JournalArticle), None),
    ("inproceedings", Some(WorkType::ConferencePaper), None),
    ("proceedings", Some(WorkType::Proceedings), None),
    ("book", Some(WorkType::Book), None),
    ("incollection", Some(WorkType::Chapter), None),
    ("phdthesis", Some(WorkType::Thesis), Some("PhD thesis")),
    (
        "mastersthesis",
        Some(WorkType::Thesis),
        Some("Master's thesis"),
    ),
    ("data", Some(WorkType::Dataset), None),
    ("www", None, None),
];

/// Title markup and the style it is read as; `tt` (typewriter) has no
/// style in the model and reads as plain text.
const TITLE_STYLES: &[(&str, Option<Style>)] = &[
    ("i", Some(Style::Emphasis)),
    ("b", Some(Style::Strong)),
    ("sub", Some(Style::Subscript)),
    ("sup", Some(Style::Superscript)),
    ("tt", None),
];

/// True when the text is DBLP XML: after an XML declaration, comments, a
/// document type and white space, the root is `<dblpperson` or `<dblp>`.
/// Other XML is not claimed.
pub fn recognizes(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    // Skip the prolog: `<?…?>`, `<!--…-->`, `<!DOCTYPE …>` (without an
    // internal subset holding `>`, which DBLP's files do not have).
    loop {
        let end = if rest.starts_with("<?") {
            rest.find("?>").map(|at| at + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|at| at + 3)
        } else if rest.starts_with("<!DOCTYPE") {
            rest.find('>').map(|at| at + 1)
        } else {
            break;
        };
        match end {
            Some(end) => rest = rest[end..].trim_start(),
            None => return false,
        }
    }
    ["<dblpperson", "<dblp"].iter().any(|root| {
        rest.strip_prefix(root)
            .and_then(|after| after.chars().next())
            .is_some_and(|c| c == '>' || c == '/' || c.is_whitespace())
    })
}

/// Reads DBLP XML into a library.
///
/// The root's children are parsed one at a time, side by side: a person
/// file is a flat list of records, and small documents keep memory low
/// and use every core. A child that is not well-formed costs that child
/// only, reported where it breaks.
pub fn read_dblp(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let index = LineIndex::new(source.text);
    let mut reader = DblpReader {
        file: source.name,
        index: &index,
        diagnostics: Vec::new(),
    };
    let layout = match Layout::of(source.text) {
        Ok(layout) => layout,
        Err(failure) => {
            reader.report_bad_xml(&failure, 0, 0);
            return Reading {
                diagnostics: reader.diagnostics,
                ..Reading::default()
            };
        }
    };
    let profile = match layout.root {
        "dblpperson" => layout
            .name
            .as_deref()
            .map(strip_homonym)
            .filter(|name| !name.is_empty())
            .map(|name| Profile {
                name: name.to_owned(),
                ..Profile::default()
            }),
        "dblp" => None,
        other => {
            let error = Diagnostic::new(
                Severity::Error,
                "dblp::not-dblp",
                format!("the root element is <{other}>, not DBLP's <dblpperson> or <dblp>"),
            );
            let error = reader.at(error, layout.root_start);
            reader.diagnostics.push(error);
            return Reading {
                diagnostics: reader.diagnostics,
                ..Reading::default()
            };
        }
    };
    let children = layout.record_children(source.text);
    let mut works = Vec::with_capacity(children.len());
    let mut offsets = Vec::with_capacity(children.len());
    // Records go to the threads in batches: one is too little work to
    // be worth handing over.
    let batches: Vec<&[(usize, usize)]> = children.chunks(RECORDS_A_BATCH).collect();
    let read_batch = |batch: &&[(usize, usize)]| {
        let mut batch_reader = DblpReader {
            file: source.name,
            index: &index,
            diagnostics: Vec::new(),
        };
        let works: Vec<(Work, usize)> = batch
            .iter()
            .filter_map(|&(start, end)| {
                batch_reader.child(&source.text[start..end], start, layout.doctype)
            })
            .collect();
        (works, batch_reader.diagnostics)
    };
    crate::parallel::map_in_order(&batches, read_batch, |(read, diagnostics)| {
        reader.diagnostics.extend(diagnostics);
        for (work, offset) in read {
            works.push(work);
            offsets.push(offset);
        }
        true
    });
    if let Some(failure) = layout.unclosed {
        reader.report_bad_xml(&failure, 0, 0);
    }
    Reading {
        library: Library {
            profile,
            works,
            ..Library::default()
        },
        diagnostics: reader.diagnostics,
        offsets,
    }
}

/// Why a piece of the file is not XML, and where (a byte offset in the
/// text that was parsed).
struct XmlFailure {
    message: String,
    offset: usize,
}

impl XmlFailure {
    fn of(error: &roxmltree::Error, parsed: &str) -> XmlFailure {
        let position = error.pos();
        // roxmltree's message ends with the position, which the
        // diagnostic says already.
        let message = error.to_string();
        let message = message
            .strip_suffix(&format!(" at {position}"))
            .unwrap_or(&message)
            .to_owned();
        XmlFailure {
            message,
            offset: offset_of(parsed, position.row as usize, position.col as usize),
        }
    }
}

/// The byte offset of a 1-based row and column (in characters).
fn offset_of(text: &str, row: usize, column: usize) -> usize {
    let line_start = if row <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(row - 2)
            .map_or(text.len(), |at| at + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(at, _)| line_start + at)
}

/// Where the parts of a DBLP file are: its root element's start tag (and
/// the attributes of it that matter), the document type a child needs to
/// be parsed with, and the root's content.
struct Layout<'t> {
    root: &'t str,
    root_start: usize,
    name: Option<String>,
    /// The `<!DOCTYPE …>` declaration, when it declares entities.
    doctype: Option<&'t str>,
    content: (usize, usize),
    /// The root's end tag is missing.
    unclosed: Option<XmlFailure>,
}

impl<'t> Layout<'t> {
    fn of(text: &'t str) -> Result<Layout<'t>, XmlFailure> {
        let failure = |message: &str, offset: usize| XmlFailure {
            message: message.to_owned(),
            offset,
        };
        let mut at = text.len() - text.trim_start_matches('\u{feff}').len();
        let mut doctype = None;
        loop {
            at += text[at..].len() - text[at..].trim_start().len();
            let rest = &text[at..];
            let (end, closer) = if rest.starts_with("<?") {
                (rest.find("?>"), 2)
            } else if rest.starts_with("<!--") {
                (rest.find("-->"), 3)
            } else if rest.starts_with("<!DOCTYPE") {
                let subset_end = rest.find(']').filter(|&end| rest[..end].contains('['));
                let end = subset_end.map_or(rest.find('>'), |close| {
                    rest[close..].find('>').map(|end| close + end)
                });
                if rest[..end.unwrap_or(0)].contains('[') {
                    doctype = end.map(|end| &rest[..=end]);
                }
                (end, 1)
            } else {
                break;
            };
            match end {
                Some(end) => at += end + closer,
                None => return Err(failure("the file ends inside its prolog", text.len())),
            }
        }
        let root_start = at;
        let rest = &text[at..];
        if !rest.starts_with('<') {
            let message = "expected the root element here, as `<dblpperson name=\"…\">`";
            return Err(failure(message, root_start));
        }
        let tag_end = start_tag_end(rest)
            .ok_or_else(|| failure("the root's start tag is not closed", root_start))?;
        let start_tag = &rest[..tag_end];
        let root = start_tag[1..]
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or_default();
        let self_closing = start_tag.ends_with("/>");
        // The start tag alone, closed, as a document: roxmltree reads its
        // attributes and their character references.
        let alone = match self_closing {
            true => start_tag.to_owned(),
            false => format!("{start_tag}</{root}>"),
        };
        let name = match Document::parse(&alone) {
            Ok(document) => document.root_element().attribute("name").map(str::to_owned),
            Err(error) => {
                let mut failure = XmlFailure::of(&error, &alone);
                failure.offset = root_start + failure.offset.min(start_tag.len());
                return Err(failure);
            }
        };
        let content_start = root_start + tag_end;
        let (content, unclosed) = match self_closing {
            true => ((content_start, content_start), None),
            false => {
                let closing = format!("</{root}");
                match text[content_start..].rfind(&closing) {
                    Some(end) => ((content_start, content_start + end), None),
                    None => (
                        (content_start, text.len()),
                        Some(failure(
                            &format!("the file ends before the root's end tag </{root}>"),
                            text.len(),
                        )),
                    ),
                }
            }
        };
        Ok(Layout {
            root,
            root_start,
            name,
            doctype,
            content,
            unclosed,
        })
    }

    /// The start and end of each child element of the root that holds a
    /// record: `<r>` in a person file, the records themselves under
    /// `<dblp>`. Comments and the person's other parts are passed by.
    fn record_children(&self, text: &str) -> Vec<(usize, usize)> {
        let (mut at, end) = self.content;
        let mut children = Vec::new();
        while let Some(found) = memchr::memchr(b'<', &text.as_bytes()[at..end]) {
            let start = at + found;
            let rest = &text[start..end];
            let skip_to = |closer: &str| {
                rest.find(closer)
                    .map_or(end, |at| start + at + closer.len())
            };
            if rest.starts_with("<!--") {
                at = skip_to("-->");
                continue;
            }
            if rest.starts_with("<?") {
                at = skip_to("?>");
                continue;
            }
            if rest.starts_with("<![CDATA[") {
                at = skip_to("]]>");
                continue;
            }
            let name = rest[1..]
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or_default();
            let child_end = match start_tag_end(rest) {
                Some(tag_end) if rest[..tag_end].ends_with("/>") => start + tag_end,
                Some(tag_end) => {
                    let closing = format!("</{name}>");
                    rest[tag_end..]
                        .find(&closing)
                        .map_or(end, |at| start + tag_end + at + closing.len())
                }
                None => end,
            };
            // The person, their homonyms and coauthors are no records.
            if name == "r" || record_kind(name).is_some() {
                children.push((start, child_end));
            }
            at = child_end;
        }
        children
    }
}

/// The length of the start tag a text opens with, through its `>`: the
/// first `>` outside quoted attribute values.
fn start_tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (at, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '>') => return Some(at + 1),
            _ => {}
        }
    }
    None
}

fn record_kind(name: &str) -> Option<(Option<WorkType>, Option<&'static str>)> {
    RECORD_KINDS
        .iter()
        .find(|(element, _, _)| *element == name)
        .map(|&(_, kind, genre)| (kind, genre))
}

struct DblpReader<'a> {
    file: &'a str,
    index: &'a LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl DblpReader<'_> {
    fn at(&self, diagnostic: Diagnostic, offset: usize) -> Diagnostic {
        self.index.place(diagnostic, self.file, offset)
    }

    /// Reports text that is not XML: `failure.offset` is in a text that
    /// starts `prefix` bytes before `base` in the file.
    fn report_bad_xml(&mut self, failure: &XmlFailure, base: usize, prefix: usize) {
        let diagnostic = Diagnostic::new(
            Severity::Error,
            "dblp::bad-xml",
            format!("the XML is not well-formed: {}", failure.message),
        )
        .hint("download the person's XML again from https://dblp.org/pid/<pid>.xml");
        let offset = base + failure.offset.saturating_sub(prefix);
        let diagnostic = self.at(diagnostic, offset);
        self.diagnostics.push(diagnostic);
    }

    /// One child of the root, `text`, starting at `base` in the file: its
    /// record as a work and where it starts, unless it is none (a `www`
    /// record) or it was reported and skipped.
    fn child(&mut self, text: &str, base: usize, doctype: Option<&str>) -> Option<(Work, usize)> {
        let options = ParsingOptions {
            // DBLP's dump declares its entities in a DTD; an internal one is
            // harmless (roxmltree limits entity expansion).
            allow_dtd: true,
            ..ParsingOptions::default()
        };
        // A document type declaring entities goes before each child, its
        // line ends made spaces so that lines in the child stay counted.
        let parsed: std::borrow::Cow<'_, str> = match doctype {
            Some(doctype) => format!("{}{text}", doctype.replace(['\r', '\n'], " ")).into(),
            None => text.into(),
        };
        let prefix = parsed.len() - text.len();
        let document = match Document::parse_with_options(&parsed, options) {
            Ok(document) => document,
            Err(error) => {
                let failure = XmlFailure::of(&error, &parsed);
                self.report_bad_xml(&failure, base, prefix);
                return None;
            }
        };
        let root = document.root_element();
        let record = match root.tag_name().name() {
            "r" => root.children().find(Node::is_element)?,
            _ => root,
        };
        let offset = base + record.range().start.saturating_sub(prefix);
        self.work(record, offset).map(|work| (work, offset))
    }

    /// The record as a work; `offset` is where it starts in the file.
    fn work(&mut self, record: Node<'_, '_>, offset: usize) -> Option<Work> {
        let element = record.tag_name().name();
        let key = record.attribute("key").map(|key| format!("DBLP:{key}"));
        let title = record
            .children()
            .find(|child| child.has_tag_name("title"))
            .map(title)
            .filter(|title| !title.is_empty());
        let mut parts = RecordParts::new(element, key)?;
        let Some(title) = title else {
            let mut warning = Diagnostic::new(
                Severity::Warning,
                "dblp::no-title",
                format!("a <{element}> record has no title; it was skipped"),
            );
            if let Some(key) = &parts.work.key {
                warning = warning.key(key.clone());
            }
            let warning = self.at(warning, offset);
            self.diagnostics.push(warning);
            return None;
        };
        parts.work.title = Some(title);
        parts.informal = record.attribute("publtype") == Some("informal");
        for child in record.children().filter(Node::is_element) {
            let value = || collapse(&text_of(child));
            match child.tag_name().name() {
                "author" | "editor" => {
                    let pid = child.attribute("pid").unwrap_or_default();
                    parts.person(&value(), pid, child.has_tag_name("editor"));
                }
                "month" => parts.month = Month::from_name(&value()),
                "publisher" | "school" => parts.work.venue.publisher = Some(value()),
                "series" => {
                    parts
                        .work
                        .fields
                        .insert(Variable::CollectionTitle, Text::plain(value()));
                }
                "isbn" => {
                    parts.work.ids.isbn.get_or_insert_with(value);
                }
                "crossref" => {
                    parts.work.extra.insert(CROSSREF.to_owned(), value());
                }
                name => {
                    if let Some(field) = RecordField::named(name) {
                        parts.set(field, value());
                    }
                }
            }
        }
        Some(parts.into_work())
    }
}

/// The fields DBLP's person XML and its search API's JSON both give a
/// record, by their names there (the same in both), read by
/// [`RecordParts::set`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordField {
    Year,
    Venue,
    Volume,
    Number,
    Pages,
    Link,
    DblpUrl,
}

/// Each [`RecordField`] and the names it goes by: the XML's elements,
/// the search JSON's keys.
const RECORD_FIELDS: &[(&str, RecordField)] = &[
    ("year", RecordField::Year),
    ("journal", RecordField::Venue),
    ("booktitle", RecordField::Venue),
    ("venue", RecordField::Venue),
    ("volume", RecordField::Volume),
    ("number", RecordField::Number),
    ("pages", RecordField::Pages),
    ("ee", RecordField::Link),
    ("url", RecordField::DblpUrl),
];

impl RecordField {
    pub(crate) fn named(name: &str) -> Option<RecordField> {
        RECORD_FIELDS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|&(_, field)| field)
    }
}

/// A DBLP record as read so far, by either DBLP reader: the work with
/// what was read straight into it, and what is settled only once the
/// whole record is read (the kind, the links, the date, the pids).
pub(crate) struct RecordParts {
    pub work: Work,
    kind: WorkType,
    pids: Vec<String>,
    links: Vec<String>,
    year: Option<i32>,
    pub month: Option<Month>,
    /// DBLP marks it informal (`publtype="informal"`; the search API's
    /// "Informal and Other Publications").
    pub informal: bool,
}

impl RecordParts {
    /// A record of the element named (`article`, `inproceedings`, …)
    /// with its key (`DBLP:…`); `None` for a `www` record, which is no
    /// work. An element DBLP may add later is kept as a work of no kind
    /// rather than dropped.
    pub(crate) fn new(element: &str, key: Option<String>) -> Option<RecordParts> {
        let (kind, genre) = record_kind(element).unwrap_or((Some(WorkType::Misc), None));
        let mut work = Work {
            key,
            ..Work::default()
        };
        if let Some(genre) = genre {
            work.fields.insert(Variable::Genre, Text::plain(genre));
        }
        Some(RecordParts {
            work,
            kind: kind?,
            pids: Vec::new(),
            links: Vec::new(),
            year: None,
            month: None,
            informal: false,
        })
    }

    /// An author, or an editor, with their DBLP pid (empty when none);
    /// the name loses its homonym number.
    pub(crate) fn person(&mut self, name: &str, pid: &str, editor: bool) {
        let person = Person::from_display_name(strip_homonym(&collapse(name)));
        self.pids.push(pid.trim().to_owned());
        if editor {
            self.work.editors.push(person);
        } else {
            self.work.authors.push(person);
        }
    }

    /// One field's value, white space squeezed; a venue, volume, number
    /// or DBLP page is its first value, a link one more.
    pub(crate) fn set(&mut self, field: RecordField, value: String) {
        let value = collapse(&value);
        if value.is_empty() {
            return;
        }
        let venue = &mut self.work.venue;
        match field {
            RecordField::Year => self.year = value.parse::<i32>().ok(),
            RecordField::Venue => {
                venue
                    .container_title
                    .get_or_insert_with(|| Text::plain(value));
            }
            RecordField::Volume => {
                venue.volume.get_or_insert(value);
            }
            RecordField::Number => {
                venue.issue.get_or_insert(value);
            }
            RecordField::Pages => venue.pages = Some(page_range(&value)),
            RecordField::Link => self.links.push(value),
            RecordField::DblpUrl => {
                self.work.extra.insert(DBLP_URL.to_owned(), value);
            }
        }
    }

    /// The work, its record read whole: identifiers from its links, its
    /// date and kind.
    pub(crate) fn into_work(self) -> Work {
        let RecordParts {
            mut work,
            mut kind,
            pids,
            links,
            year,
            month,
            informal,
            ..
        } = self;
        let mut other_links = Vec::new();
        for link in links {
            if let Some(arxiv) = arxiv_of_link(&link) {
                work.ids.arxiv.get_or_insert_with(|| arxiv.to_owned());
            } else if let Some(doi) = doi_of_link(&link) {
                work.ids.doi.get_or_insert_with(|| doi.to_owned());
            } else {
                other_links.push(link);
            }
        }
        // An arXiv DOI (`10.48550/arXiv.ID`) says the arXiv id too.
        if let Some(doi) = &work.ids.doi {
            let lower = doi.to_ascii_lowercase();
            if let Some(id) = lower.strip_prefix("10.48550/arxiv.") {
                work.ids
                    .arxiv
                    .get_or_insert_with(|| doi[doi.len() - id.len()..].to_owned());
            }
        }
        // A mirror of the DOI (`doi.ieeecomputersociety.org/10.…`) says
        // nothing the DOI does not, and a Wikidata entity is about the
        // work, not the work: neither is its URL.
        let doi = work.ids.doi.as_deref().map(str::to_ascii_lowercase);
        work.ids.url = other_links.into_iter().find(|link| {
            let link = link.to_ascii_lowercase();
            let mirror = doi.as_deref().is_some_and(|doi| link.ends_with(doi));
            !mirror && !NOT_EDITIONS.iter().any(|host| link.contains(host))
        });
        if pids.iter().any(|pid| !pid.is_empty()) {
            work.extra.insert(PIDS.to_owned(), pids.join("; "));
        }
        if let Some(year) = year {
            work.date = Some(
                Date {
                    year,
                    month,
                    day: None,
                }
                .into(),
            );
        }
        // CoRR is DBLP's name for arXiv: its `abs/ID` volume is the arXiv
        // id, not a volume, and CoRR is no journal.
        let corr = work
            .venue
            .container_title
            .as_ref()
            .is_some_and(|venue| venue.raw_string() == "CoRR");
        if corr {
            if let Some(id) = work
                .venue
                .volume
                .as_deref()
                .and_then(|v| v.strip_prefix("abs/"))
            {
                work.ids.arxiv.get_or_insert_with(|| id.to_owned());
                work.venue.volume = None;
                work.venue.container_title = None;
            }
        }
        if corr || informal {
            kind = WorkType::Preprint;
        }
        // A number is an issue only in a journal; a book's or proceedings'
        // is its number in its series.
        if kind != WorkType::JournalArticle {
            if let Some(number) = work.venue.issue.take() {
                work.fields
                    .insert(Variable::CollectionNumber, Text::plain(number));
            }
        }
        work.kind = kind;
        work
    }
}

/// A name without DBLP's homonym number: `Di Xu 0001` → `Di Xu`.
pub(crate) fn strip_homonym(name: &str) -> &str {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((rest, number)) if number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit()) => {
            rest.trim_end()
        }
        _ => name,
    }
}

/// The bare DOI of a `https://doi.org/…` link.
fn doi_of_link(link: &str) -> Option<&str> {
    let doi = bare_doi(link);
    (doi.len() != link.len() && doi.starts_with("10.")).then_some(doi)
}

/// The arXiv id of an `arxiv.org/abs/…` link, without its version.
fn arxiv_of_link(link: &str) -> Option<&str> {
    let lower = link.to_ascii_lowercase();
    let at = ["arxiv.org/abs/", "arxiv.org/pdf/"]
        .iter()
        .find_map(|path| lower.find(path).map(|at| at + path.len()))?;
    let id = link[at..].trim_end_matches('/');
    let id = id.strip_suffix(".pdf").unwrap_or(id);
    (!id.is_empty()).then_some(id)
}

/// All the text under a node, markup dropped.
fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|text| text.text())
        .collect()
}

/// White space runs as one space, none at the ends.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title as rich text, without the final `.` DBLP adds.
fn title(node: Node<'_, '_>) -> Text {
    without_final_period(inlines(node))
}

fn without_final_period(mut inlines: Vec<Inline>) -> Text {
    trim_inlines(&mut inlines);
    if let Some(Inline::Plain(last)) = inlines.last_mut() {
        // `etc..` would keep one; `...` is an ellipsis of the title's own.
        if last.ends_with('.') && !last.ends_with("..") {
            last.pop();
            let kept = last.trim_end().len();
            last.truncate(kept);
        }
    }
    inlines.retain(|inline| !matches!(inline, Inline::Plain(text) if text.is_empty()));
    Text {
        inlines,
        ..Text::default()
    }
}

/// The character references XML knows by name.
const XML_ENTITIES: &[&str] = &["amp", "lt", "gt", "quot", "apos"];

/// The names of HTML's Latin-1 entities, which DBLP's DTD declares too,
/// in the order of their characters from U+00A0 on: `&Uuml;` is `Ü`. Any
/// other `&name;` is read as the text it is.
const LATIN_1_ENTITIES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// A title given as text that may hold DBLP's title markup and character
/// references (as the search API gives it), read as the XML's title is:
/// rich text without the final `.`. A `&` or `<` that starts neither a
/// reference nor a title tag is text, and markup that does not nest is
/// read as the text it is.
pub(crate) fn title_of_text(text: &str) -> Text {
    without_final_period(inlines_of_text(text))
}

/// Text that may hold DBLP's markup and character references, as plain
/// text: the markup dropped, the references read.
pub(crate) fn plain_of_text(text: &str) -> String {
    let text = Text {
        inlines: inlines_of_text(text),
        ..Text::default()
    };
    collapse(&text.raw_string())
}

fn inlines_of_text(text: &str) -> Vec<Inline> {
    if !text.contains(['&', '<']) {
        return vec![Inline::Plain(squeeze_white_space(text))];
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    let mut from = 0;
    for at in memchr::memchr2_iter(b'&', b'<', text.as_bytes()) {
        let rest = &text[at..];
        if at < from {
            continue;
        }
        if let Some((character, length)) = latin_1_entity(rest) {
            escaped.push_str(&text[from..at]);
            escaped.push(character);
            from = at + length;
            continue;
        }
        let kept = match rest.as_bytes()[0] {
            b'&' => starts_with_reference(rest),
            _ => starts_with_title_tag(rest),
        };
        if !kept {
            escaped.push_str(&text[from..at]);
            escaped.push_str(if rest.starts_with('&') {
                "&amp;"
            } else {
                "&lt;"
            });
            from = at + 1;
        }
    }
    escaped.push_str(&text[from..]);
    match Document::parse(&format!("<title>{escaped}</title>")) {
        Ok(document) => inlines(document.root_element()),
        Err(_) => vec![Inline::Plain(squeeze_white_space(text))],
    }
}

/// Where the `;` of the reference the text starts with (`&…;`) is: a
/// name of at most [`LONGEST_REFERENCE`] bytes, so that a text of many
/// `&` is read in one pass.
fn reference_end(text: &str) -> Option<usize> {
    text.bytes()
        .take(LONGEST_REFERENCE + 2)
        .position(|b| b == b';')
}

const LONGEST_REFERENCE: usize = 10;

/// The character of the HTML Latin-1 entity the text starts with
/// (`&Uuml;`), and the entity's length.
fn latin_1_entity(text: &str) -> Option<(char, usize)> {
    let end = reference_end(text)?;
    let name = text.get(1..end)?;
    let at = LATIN_1_ENTITIES.iter().position(|known| *known == name)?;
    let character = char::from_u32(0xA0 + u32::try_from(at).ok()?)?;
    Some((character, end + 1))
}

/// Whether the text starts with an XML character reference: `&amp;`,
/// `&#233;`, `&#xE9;`.
fn starts_with_reference(text: &str) -> bool {
    let Some(name) = reference_end(text).and_then(|end| text.get(1..end)) else {
        return false;
    };
    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(decimal) = name.strip_prefix('#') {
        return !decimal.is_empty() && decimal.bytes().all(|b| b.is_ascii_digit());
    }
    XML_ENTITIES.contains(&name)
}

/// Whether the text starts with a tag of [`TITLE_STYLES`]'s, opening or
/// closing (`<i>`, `</sub>`).
fn starts_with_title_tag(text: &str) -> bool {
    let name = text[1..].strip_prefix('/').unwrap_or(&text[1..]);
    TITLE_STYLES.iter().any(|(element, _)| {
        name.strip_prefix(element)
            .is_some_and(|after| after.starts_with('>'))
    })
}

fn inlines(node: Node<'_, '_>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for child in node.children() {
        if let Some(text) = child.text().filter(|_| child.is_text()) {
            push_plain(&mut out, &squeeze_white_space(text));
        } else if child.is_element() {
            let name = child.tag_name().name();
            let style = TITLE_STYLES
                .iter()
                .find(|(element, _)| *element == name)
                .and_then(|&(_, style)| style);
            let inner = inlines(child);
            match style {
                Some(style) => out.push(Inline::Styled(style, inner)),
                // Unknown markup and `tt`: the text without the markup.
                None => {
                    for inline in inner {
                        match inline {
                            Inline::Plain(text) => push_plain(&mut out, &text),
                            other => out.push(other),
                        }
                    }
                }
            }
        }
    }
    out
}

fn push_plain(out: &mut Vec<Inline>, text: &str) {
    match out.last_mut() {
        Some(Inline::Plain(last)) => last.push_str(text),
        _ => out.push(Inline::Plain(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Reading {
        read_dblp(
            Source {
                name: "person.xml",
                text,
            },
            &ReadOptions::default(),
        )
    }

    fn person(records: &str) -> String {
        format!("<?xml version=\"1.0\"?>\n<dblpperson name=\"Ana Silva 0003\" pid=\"1/2\">\n{records}</dblpperson>\n")
    }

    #[test]
    fn homonym_numbers_are_dropped() {
        assert_eq!(strip_homonym("Di Xu 0001"), "Di Xu");
        assert_eq!(strip_homonym("Yi Liu 0069"), "Yi Liu");
        assert_eq!(strip_homonym("Henry VIII"), "Henry VIII");
        assert_eq!(strip_homonym("Agent 007"), "Agent 007");
        assert_eq!(strip_homonym("2001"), "2001");
    }

    #[test]
    fn dblp_roots_are_recognized_and_other_xml_is_not() {
        assert!(recognizes(
            "<?xml version=\"1.0\"?>\n<dblpperson name=\"x\">"
        ));
        assert!(recognizes("\u{feff}  <dblp>\n<article/>"));
        assert!(recognizes(
            "<!-- x --><!DOCTYPE dblp SYSTEM \"dblp.dtd\"><dblp>"
        ));
        assert!(!recognizes("<?xml version=\"1.0\"?><feed xmlns=\"x\"/>"));
        assert!(!recognizes("<dblpx/>"));
        assert!(!recognizes("@article{dblp, title = {<dblp>}}"));
        assert!(!recognizes("<?xml "));
    }

    #[test]
    fn links_give_identifiers() {
        assert_eq!(doi_of_link("https://doi.org/10.1/X"), Some("10.1/X"));
        assert_eq!(
            doi_of_link("https://doi.ieeecomputersociety.org/10.1/X"),
            None
        );
        assert_eq!(
            arxiv_of_link("https://arxiv.org/abs/2002.05202v2/"),
            Some("2002.05202v2")
        );
        assert_eq!(
            arxiv_of_link("http://arxiv.org/pdf/2002.05202.pdf"),
            Some("2002.05202")
        );
        assert_eq!(arxiv_of_link("https://example.org/"), None);
    }

    #[test]
    fn title_markup_is_rich_text_without_the_final_period() {
        let reading = read(&person(
            "<r><article key=\"a\"><title>On <i>k</i>-SAT and H<sub>2</sub>O<tt>x</tt>.</title></article></r>\n",
        ));
        let title = reading.library.works[0].title.clone().unwrap();
        assert_eq!(
            title.inlines,
            [
                Inline::Plain("On ".into()),
                Inline::Styled(Style::Emphasis, vec![Inline::Plain("k".into())]),
                Inline::Plain("-SAT and H".into()),
                Inline::Styled(Style::Subscript, vec![Inline::Plain("2".into())]),
                Inline::Plain("Ox".into()),
            ]
        );
    }

    #[test]
    fn titles_given_as_text_read_their_markup_and_references() {
        for (text, read) in [
            ("&Uuml;ber B&#228;ume &amp; mehr.", "Über Bäume & mehr"),
            ("a < b & c; R&D.", "a < b & c; R&D"),
            ("Unclosed <i>tag.", "Unclosed <i>tag"),
            ("&bogus; &#xZZ; &amp", "&bogus; &#xZZ; &amp"),
            ("On <i>k</i>-SAT.", "On k-SAT"),
        ] {
            assert_eq!(title_of_text(text).raw_string(), read, "{text}");
        }
        assert_eq!(plain_of_text("  Jos&eacute;  Mu&#241;oz "), "José Muñoz");
    }

    #[test]
    fn a_title_ending_in_a_question_or_ellipsis_keeps_it() {
        for (raw, kept) in [
            ("Why?", "Why?"),
            ("And so on...", "And so on..."),
            ("End.", "End"),
        ] {
            let reading = read(&person(&format!(
                "<r><article key=\"a\"><title>{raw}</title></article></r>\n"
            )));
            assert_eq!(
                reading.library.works[0]
                    .title
                    .as_ref()
                    .unwrap()
                    .raw_string(),
                kept
            );
        }
    }

    #[test]
    fn the_owner_and_keys_and_offsets() {
        let text = person("<r><inproceedings key=\"conf/x/Y20\"><title>T.</title><year>2020</year></inproceedings></r>\n");
        let reading = read(&text);
        assert_eq!(reading.library.profile.as_ref().unwrap().name, "Ana Silva");
        let work = &reading.library.works[0];
        assert_eq!(work.key.as_deref(), Some("DBLP:conf/x/Y20"));
        assert_eq!(work.kind, WorkType::ConferencePaper);
        assert!(text[reading.offsets[0]..].starts_with("<inproceedings"));
    }

    #[test]
    fn www_records_are_not_works_and_another_root_is_an_error() {
        let reading = read(&person(
            "<r><www key=\"homepages/1/2\"><title>Home Page</title></www></r>\n",
        ));
        assert!(reading.library.works.is_empty());
        assert!(reading.diagnostics.is_empty());
        let reading = read("<feed><entry/></feed>");
        assert_eq!(reading.diagnostics[0].code, "dblp::not-dblp");
    }

    #[test]
    fn a_book_number_is_its_series_number() {
        let reading = read(&person(
            "<r><proceedings key=\"p\"><editor>E. Ditor</editor><title>P.</title><series>LNCS</series><number>42</number></proceedings></r>\n",
        ));
        let work = &reading.library.works[0];
        assert_eq!(work.venue.issue, None);
        assert_eq!(work.fields[&Variable::CollectionNumber].raw_string(), "42");
        assert_eq!(work.editors.len(), 1);
    }
}
