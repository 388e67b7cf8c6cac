//! The Scholar paste reader: a Google Scholar profile page copied as text.
//!
//! A browser copies the page's table of articles as three lines a row,
//! the row's cells separated by TABs (`\t` below):
//!
//! ```text
//! Statistics: P values are just the tip of the iceberg
//! JT Leek, RD Peng
//! Nature 520 (7549), 612\t64\t2015
//! ```
//!
//! the title, the authors (`Initials Family`, cut short with `, ...`), and
//! the venue followed by the cited-by and year cells, either of which may
//! be empty (cited-by may end in `*`: Scholar merged several versions of
//! the paper). In the narrow (phone) layout there are no cells: the year
//! is glued to the venue as `, 2015`. Before the list, a "Select all"
//! copy brings the page's header: the researcher's name, affiliation,
//! `Verified email at …`, interests, the metrics table (`Citations`,
//! `h-index`, `i10-index`, all and recent), the citation histogram and the
//! table's own header (`Title1–20\tCited by\tYear`); after it, `Show more`
//! and a disclaimer. The header gives the [`Profile`] (the name, and the
//! citations and h-index where the metrics table has them); the rest of
//! the page is skipped.
//!
//! Scholar says no type: each work's is guessed from its venue (arXiv →
//! preprint; Proceedings, Conference, Workshop or Symposium → conference
//! paper, but for journals named "Proceedings of …"; else a journal
//! article) and a note says how many were guessed. The venue reads as
//! container title, volume, issue and pages (`Nature 520 (7549), 612`),
//! or as an arXiv identifier; a venue Scholar cut short (`…`) is kept as
//! it stands, never completed, with `scholar-venue-truncated` in the
//! work's `extra` and a note. The model has no field for a citation
//! count, so the cited-by cell goes to `extra` as `citations` (and
//! `citations-merged` for a `*`), which CSL-JSON writes in `custom` and
//! BibTeX as fields of those names.
//!
//! Line syntax is parsed with nom; rows are positional. In the wide
//! layout a row ends at its venue line, which its cells make plain, so a
//! row that cannot be read (a title with no author line) costs only
//! itself; in the narrow layout rows are read three lines at a time, each
//! checked by its author line, and reading starts again past a row that
//! cannot be read.

use nom::branch::alt;
use nom::bytes::complete::{tag_no_case, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{all_consuming, map_res, opt, recognize};
use nom::multi::many0;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    page_range, Date, Library, Metrics, Person, PersonalName, Profile, Text, Venue, Work, WorkType,
};
use crate::read::lines::split_lines;
use crate::read::{ReadOptions, Reading, Source};
use crate::vocab;

/// The key in a work's `extra` that holds its cited-by count.
pub const CITATIONS: &str = "citations";
/// The key in a work's `extra` that says the count includes merged
/// versions of the paper (Scholar's `*`).
pub const CITATIONS_MERGED: &str = "citations-merged";
/// The key in a work's `extra` that says Scholar cut the venue short.
pub const VENUE_TRUNCATED: &str = "scholar-venue-truncated";

/// True when the text has the shape of a Scholar paste: the table's
/// header line (`Title…\tCited by\tYear`), a row whose venue line ends in
/// the cited-by and year cells after a title and an author line without
/// cells, or the metrics table's `h-index` and `Citations` lines.
pub fn recognizes(text: &str) -> bool {
    let mut metrics = (false, false);
    let mut plain_before = 0;
    for line in lines(text).take(200) {
        if is_table_header(line.raw) {
            return true;
        }
        // Both columns, as only Scholar's table has them.
        if let Some((metric, _, Some(_))) = metric_line(line.text()) {
            match metric {
                Metric::HIndex => metrics.0 = true,
                Metric::Citations => metrics.1 = true,
                Metric::I10Index => {}
            }
            if metrics == (true, true) {
                return true;
            }
        }
        if line.is_blank() {
            continue;
        }
        match cells(line.raw) {
            Some(cells) if plain_before >= 2 && cells.year.is_some() => return true,
            Some(_) => plain_before = 0,
            None if line.raw.contains('\t') => plain_before = 0,
            None => plain_before += 1,
        }
    }
    false
}

/// Reads a Scholar paste into a library.
pub fn read_scholar(source: Source<'_>, _options: &ReadOptions) -> Reading {
    let mut reader = ScholarReader {
        file: source.name,
        diagnostics: Vec::new(),
    };
    let lines: Vec<Line<'_>> = lines(source.text).collect();
    let header_end = header_end(&lines);
    let profile = reader.header(&lines[..header_end]);
    let list: Vec<&Line<'_>> = lines[header_end..]
        .iter()
        .filter(|line| !line.is_blank() && !is_footer(line.text()) && !is_table_header(line.raw))
        .collect();
    let rows = if list.iter().any(|line| cells(line.raw).is_some()) {
        reader.wide_rows(&list)
    } else {
        reader.narrow_rows(&list)
    };
    let (works, offsets): (Vec<Work>, Vec<usize>) = rows
        .iter()
        .filter_map(|row| Some((reader.work(row)?, row.title.offset)))
        .unzip();
    reader.say_guessed_types(&works);
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

/// One line of the paste, without its line end, with where it stood.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// 1-based.
    number: usize,
    /// Byte offset of its start in the source text.
    offset: usize,
    /// The line as pasted, TABs and spaces kept: an empty cell is a TAB.
    raw: &'a str,
}

impl<'a> Line<'a> {
    fn text(&self) -> &'a str {
        self.raw.trim()
    }

    /// Nothing on it, and no cells: `\t\t` is a row's venue line whose
    /// venue, count and year are all empty.
    fn is_blank(&self) -> bool {
        self.raw.trim().is_empty() && self.raw.matches('\t').count() < 2
    }
}

/// The lines of the text, without byte-order mark or line ends.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    split_lines(&text[start..])
        .enumerate()
        .scan(start, |offset, (index, raw)| {
            let line = Line {
                number: index + 1,
                offset: *offset,
                raw: raw.strip_suffix('\r').unwrap_or(raw),
            };
            *offset += raw.len() + 1;
            Some(line)
        })
}

/// Where the list starts: after the table's header line; without one,
/// after the last line of the page header (the metrics table, the
/// histogram, `Verified email at …`) that comes before the first row's
/// cells. A paste with neither is all rows.
fn header_end(lines: &[Line<'_>]) -> usize {
    if let Some(at) = lines.iter().position(|line| is_table_header(line.raw)) {
        return at + 1;
    }
    let first_cells = lines
        .iter()
        .position(|line| !line.is_blank() && cells(line.raw).is_some())
        .unwrap_or(lines.len());
    lines[..first_cells]
        .iter()
        .rposition(|line| is_header_line(line.text()))
        .map_or(0, |at| at + 1)
}

/// A row as three lines.
#[derive(Debug, Clone, Copy)]
struct Row<'a> {
    title: Line<'a>,
    authors: Line<'a>,
    venue: Line<'a>,
}

/// What a row's last line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VenueLine<'a> {
    venue: &'a str,
    citations: Option<Citations>,
    year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Citations {
    count: u64,
    /// Scholar's `*`: the count includes merged versions of the paper.
    merged: bool,
}

struct ScholarReader<'a> {
    file: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl ScholarReader<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Places a diagnostic at a byte offset of a line. TABs are shown as
    /// spaces, so that the caret stands under the column it names.
    fn at(&self, diagnostic: Diagnostic, line: &Line<'_>, byte_offset: usize) -> Diagnostic {
        let column = line
            .raw
            .get(..byte_offset)
            .map_or(1, |before| before.chars().count() + 1);
        diagnostic
            .at(self.file, line.number, column)
            .line_text(&line.raw.replace('\t', " "))
    }

    /// At the first character of a line's text.
    fn at_text(&self, diagnostic: Diagnostic, line: &Line<'_>) -> Diagnostic {
        let indent = line.raw.len() - line.raw.trim_start().len();
        self.at(diagnostic, line, indent)
    }

    /// The researcher the page is about: the header's first line, unless
    /// it is part of the page around it or of the metrics table.
    fn header(&self, lines: &[Line<'_>]) -> Option<Profile> {
        let content: Vec<&str> = lines
            .iter()
            .filter(|line| !line.is_blank())
            .map(Line::text)
            .filter(|text| !is_page_chrome(text))
            .collect();
        let name = content
            .first()
            .filter(|text| !is_header_line(text) && !is_table_header(text))?;
        let mut metrics = Metrics::default();
        for (metric, all, _) in content.iter().filter_map(|text| metric_line(text)) {
            match metric {
                Metric::Citations => metrics.citations = Some(all),
                Metric::HIndex => metrics.h_index = Some(all),
                // The model has no place for it.
                Metric::I10Index => {}
            }
        }
        Some(Profile {
            name: (*name).to_owned(),
            metrics,
            ..Profile::default()
        })
    }

    /// Rows told by their venue lines: the two lines before each are its
    /// title and authors; lines left over before them, or after the last,
    /// are reported as rows that cannot be read.
    fn wide_rows<'l>(&mut self, list: &[&Line<'l>]) -> Vec<Row<'l>> {
        let mut rows = Vec::new();
        let mut pending: Vec<Line<'l>> = Vec::new();
        for &&line in list {
            if cells(line.raw).is_none() {
                pending.push(line);
                continue;
            }
            match pending.as_slice() {
                [] => {
                    let error = Diagnostic::new(
                        Severity::Error,
                        "scholar::missing-title",
                        "this venue line has no title and author line before it; the row was skipped",
                    )
                    .hint(ROW_HINT);
                    let error = self.at_text(error, &line);
                    self.report(error);
                }
                [only] => self.two_line_row(only),
                [leftover @ .., title, authors] => {
                    if let Some(first) = leftover.first() {
                        self.unreadable(first, leftover.len());
                    }
                    rows.push(Row {
                        title: *title,
                        authors: *authors,
                        venue: line,
                    });
                }
            }
            pending.clear();
        }
        if let Some(first) = pending.first() {
            self.unreadable(first, pending.len());
        }
        rows
    }

    /// Rows three lines at a time, checked by their author line: where it
    /// reads as no names, the row is reported and reading starts again on
    /// the next line (or past a venue line that stands where the authors
    /// should: a title with no author line). A row whose venue line is
    /// missing is told by the next row's lines standing one line early.
    fn narrow_rows<'l>(&mut self, list: &[&Line<'l>]) -> Vec<Row<'l>> {
        let mut rows = Vec::new();
        let mut at = 0;
        while at < list.len() {
            let title = *list[at];
            let (Some(&&authors), Some(&&venue)) = (list.get(at + 1), list.get(at + 2)) else {
                self.unreadable(&title, list.len() - at);
                break;
            };
            // A row that lost its venue line: the next row's title stands
            // where the venue should, its authors and venue after it.
            let venue_is_a_title = || {
                glued_year(venue.text()).1.is_none()
                    && list.get(at + 3).is_some_and(|next| {
                        looks_like_scholar_authors(next.text())
                            && author_list(next.text()).is_some()
                    })
                    && list
                        .get(at + 4)
                        .is_some_and(|next| glued_year(next.text()).1.is_some())
            };
            if author_list(authors.text()).is_none() {
                if glued_year(authors.text()).1.is_some() {
                    self.two_line_row(&title);
                    at += 2;
                } else {
                    self.unreadable(&title, 1);
                    at += 1;
                }
            } else if venue_is_a_title() {
                self.unreadable(&title, 2);
                at += 2;
            } else {
                rows.push(Row {
                    title,
                    authors,
                    venue,
                });
                at += 3;
            }
        }
        rows
    }

    /// A row of a title (or an author line) and a venue line only.
    fn two_line_row(&mut self, line: &Line<'_>) {
        let message = match author_list(line.text()) {
            Some(_) if looks_like_scholar_authors(line.text()) => format!(
                "the row of `{}` has no title line; it was skipped",
                line.text()
            ),
            _ => format!("`{}` has no author line; the row was skipped", line.text()),
        };
        let error =
            Diagnostic::new(Severity::Error, "scholar::missing-authors", message).hint(ROW_HINT);
        let error = self.at_text(error, line);
        self.report(error);
    }

    /// Lines that begin no row that can be read.
    fn unreadable(&mut self, first: &Line<'_>, count: usize) {
        let lines = match count {
            1 => "this line".to_owned(),
            count => format!("these {count} lines"),
        };
        let error = Diagnostic::new(
            Severity::Error,
            "scholar::unreadable-row",
            format!(
                "{lines}, from `{}`, make no row that can be read; skipped",
                first.text()
            ),
        )
        .hint(ROW_HINT);
        let error = self.at_text(error, first);
        self.report(error);
    }

    /// One row, or `None` after reporting why it was skipped.
    fn work(&mut self, row: &Row<'_>) -> Option<Work> {
        let Some((authors, truncated)) = author_list(row.authors.text()) else {
            let error = Diagnostic::new(
                Severity::Error,
                "scholar::bad-authors",
                format!(
                    "expected the authors of `{}` here, as names separated by commas (`JT Leek, RD Peng`); the row was skipped",
                    row.title.text()
                ),
            )
            .hint(ROW_HINT);
            let error = self.at_text(error, &row.authors);
            self.report(error);
            return None;
        };
        let line = venue_line(row.venue.raw);
        let parts = venue_parts(line.venue);
        let kind = guess_type(line.venue, parts.arxiv.is_some());
        let mut work = Work {
            kind,
            title: Some(Text::plain(row.title.text())),
            authors,
            authors_truncated: truncated,
            date: line.year.map(|year| Date::year(year).into()),
            venue: Venue {
                container_title: parts.container.map(Text::plain),
                volume: parts.volume.map(str::to_owned),
                issue: parts.issue.map(str::to_owned),
                pages: parts.pages.map(page_range),
                ..Venue::default()
            },
            ..Work::default()
        };
        work.ids.arxiv = parts.arxiv.map(str::to_owned);
        if let Some(citations) = line.citations {
            work.extra
                .insert(CITATIONS.to_owned(), citations.count.to_string());
            if citations.merged {
                work.extra
                    .insert(CITATIONS_MERGED.to_owned(), "true".to_owned());
            }
        }
        if parts.truncated {
            work.extra
                .insert(VENUE_TRUNCATED.to_owned(), "true".to_owned());
            let note = Diagnostic::new(
                Severity::Note,
                "scholar::truncated-venue",
                format!(
                    "Scholar cut the venue of `{}` short; kept as `{}`",
                    row.title.text(),
                    parts.container.unwrap_or_default()
                ),
            )
            .hint("the rest is not in the paste: complete it from the paper's page on Scholar");
            let venue = line.venue.trim_end();
            let ellipsis = venue.len() - ellipsis_length(venue);
            let note = self.at(note, &row.venue, offset_in(row.venue.raw, venue) + ellipsis);
            self.report(note);
        }
        Some(work)
    }

    /// Says once how the types were guessed, by kind.
    fn say_guessed_types(&mut self, works: &[Work]) {
        if works.is_empty() {
            return;
        }
        let counts: Vec<String> = GUESSED_KINDS
            .iter()
            .filter_map(|&(kind, one, many)| {
                let count = works.iter().filter(|work| work.kind == kind).count();
                match count {
                    0 => None,
                    1 => Some(format!("1 {one}")),
                    count => Some(format!("{count} {many}")),
                }
            })
            .collect();
        let works = match works.len() {
            1 => "the one work".to_owned(),
            count => format!("all {count} works"),
        };
        let note = Diagnostic::new(
            Severity::Note,
            "scholar::guessed-type",
            format!(
                "Scholar gives no types: the type of {works} was guessed from the venue ({})",
                counts.join(", ")
            ),
        )
        .hint("a book, chapter or thesis reads as a journal article: check the types in the output")
        .at(self.file, 0, 0);
        self.report(note);
    }
}

/// What every row error suggests.
const ROW_HINT: &str = "a row is three lines: the title, the authors, and the venue followed by TAB, the cited-by count, TAB and the year (or `, YEAR` in the narrow layout)";

/// The kinds a guess gives, as a note names them.
const GUESSED_KINDS: &[(WorkType, &str, &str)] = &[
    (
        WorkType::JournalArticle,
        "journal article",
        "journal articles",
    ),
    (
        WorkType::ConferencePaper,
        "conference paper",
        "conference papers",
    ),
    (WorkType::Preprint, "preprint", "preprints"),
];

/// The type Scholar's venue suggests.
fn guess_type(venue: &str, arxiv: bool) -> WorkType {
    if arxiv || venue.to_lowercase().contains("arxiv") {
        return WorkType::Preprint;
    }
    let name = venue_parts(venue).container.unwrap_or(venue);
    if vocab::scholar::is_conference(name) {
        WorkType::ConferencePaper
    } else {
        WorkType::JournalArticle
    }
}

/// The parts of a venue, as slices of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct VenueParts<'a> {
    container: Option<&'a str>,
    volume: Option<&'a str>,
    issue: Option<&'a str>,
    pages: Option<&'a str>,
    arxiv: Option<&'a str>,
    /// It ended in an ellipsis: Scholar cut it short.
    truncated: bool,
}

/// `Journal 12 (3), 45-67`, `Biostatistics, kxt007`, `Nature 520 (7549),
/// 612`, `arXiv preprint arXiv:2210.13533`; a venue cut short (`… of ...`)
/// is kept whole, since what looks like a volume there may be the start
/// of a word that was cut.
fn venue_parts(venue: &str) -> VenueParts<'_> {
    let venue = venue.trim();
    if let Some(cut) = strip_ellipsis(venue) {
        let container = cut.trim_end_matches([',', ';', ':']).trim_end();
        return VenueParts {
            container: (!container.is_empty()).then_some(container),
            truncated: true,
            ..VenueParts::default()
        };
    }
    if let Ok((_, id)) = arxiv_venue(venue) {
        return VenueParts {
            arxiv: Some(id),
            ..VenueParts::default()
        };
    }
    let (head, pages) = match venue.rsplit_once(',') {
        Some((head, tail)) if is_pages(tail.trim()) => (head.trim_end(), Some(tail.trim())),
        _ => (venue, None),
    };
    // An issue has a digit and follows a volume: `(CVPR)` and `(ICML
    // 2015)` end a conference's name.
    let (head, issue) = match head
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
    {
        Some((before, inside))
            if inside.contains(|c: char| c.is_ascii_digit())
                && !inside.contains(')')
                && before.split_whitespace().next_back().is_some_and(is_volume) =>
        {
            (before.trim_end(), Some(inside.trim()))
        }
        _ => (head, None),
    };
    let (name, last) = match head.rsplit_once(' ') {
        Some((name, last)) => (name.trim_end(), last),
        None => ("", head),
    };
    // A year after a name with no issue is part of the name: `Computer
    // Vision–ECCV 2004`.
    let volume = is_volume(last) && !(issue.is_none() && is_year(last) && !name.is_empty());
    let (container, volume) = if volume {
        (name, Some(last))
    } else {
        (head, None)
    };
    VenueParts {
        container: (!container.is_empty()).then_some(container),
        volume,
        issue,
        pages,
        ..VenueParts::default()
    }
}

/// `arXiv preprint arXiv:2210.13533`, `arXiv:2210.13533v2`, `arXiv
/// preprint math/0501001` → the identifier.
fn arxiv_venue(venue: &str) -> IResult<&str, &str> {
    let new_style = recognize((digit1, char('.'), digit1, opt((char('v'), digit1))));
    let old_style = recognize((
        take_while1(|c: char| c.is_ascii_lowercase() || c == '-'),
        opt((
            char('.'),
            take_while1(|c: char| c.is_ascii_alphabetic() || c == '-'),
        )),
        char('/'),
        digit1,
        opt((char('v'), digit1)),
    ));
    all_consuming(preceded(
        (
            opt((tag_no_case("arxiv preprint"), space1)),
            opt((tag_no_case("arxiv:"), space0)),
        ),
        alt((new_style, old_style)),
    ))
    .parse(venue)
}

/// Pages or an article number: `45-67`, `612`, `kxt007`, `e161`,
/// `1163-1175. e12`; a digit at least, and no words.
fn is_pages(text: &str) -> bool {
    let mut previous = ' ';
    let spaced_right = text.chars().all(|c| {
        let ok = !c.is_whitespace() || matches!(previous, '.' | ',');
        previous = c;
        ok
    });
    !text.is_empty()
        && text.len() <= 40
        && text.contains(|c: char| c.is_ascii_digit())
        && !text.contains(['(', ')'])
        && spaced_right
}

/// `12`, `12A`, `1-2`.
fn is_volume(text: &str) -> bool {
    let volume = recognize((
        digit1::<&str, nom::error::Error<&str>>,
        opt(alt((
            take_while1(|c: char| c.is_ascii_alphabetic()),
            recognize((char('-'), digit1)),
        ))),
    ));
    all_consuming(volume).parse(text).is_ok() && text.len() <= 12
}

fn is_year(text: &str) -> bool {
    text.len() == 4 && (text.starts_with("19") || text.starts_with("20")) && is_digits(text)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The text before a trailing ellipsis (`...` or `…`), if it has one.
fn strip_ellipsis(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let cut = text
        .strip_suffix("...")
        .or_else(|| text.strip_suffix('…'))?;
    Some(cut.trim_end())
}

fn ellipsis_length(text: &str) -> usize {
    if text.ends_with('…') {
        '…'.len_utf8()
    } else {
        3
    }
}

/// The venue, cited-by count and year of a row's last line, in either
/// layout.
fn venue_line(raw: &str) -> VenueLine<'_> {
    match cells(raw) {
        Some(cells) => {
            // The narrow layout's year, copied where a page's styles were
            // not applied: taken off when the year cell says the same.
            let venue = match glued_year(cells.venue) {
                (venue, Some(year)) if Some(year) == cells.year => venue,
                _ => cells.venue,
            };
            VenueLine { venue, ..cells }
        }
        None => {
            let (venue, year) = glued_year(raw.trim());
            VenueLine {
                venue,
                citations: None,
                year,
            }
        }
    }
}

/// `Nature 520 (7549), 612, 2015` → the venue and 2015.
fn glued_year(venue: &str) -> (&str, Option<i32>) {
    let venue = venue.trim();
    let (head, year) = venue.rsplit_once(',').unwrap_or((&venue[..0], venue));
    let year = year.trim();
    if year.len() == 4 && is_digits(year) {
        (head.trim_end(), year.parse().ok())
    } else {
        (venue, None)
    }
}

/// A venue line's cells: the venue, then TAB, the cited-by count, TAB and
/// the year, each may be empty. `None` for a line of another shape,
/// such as the metrics table's `Citations\t4631\t3709` or a histogram
/// copied with TABs.
fn cells(raw: &str) -> Option<VenueLine<'_>> {
    let mut parts = raw.rsplitn(3, '\t');
    let (year, citations, venue) = (parts.next()?, parts.next()?, parts.next()?);
    let (year, citations) = (year.trim(), citations.trim());
    let year = match year {
        "" => None,
        year if year.len() == 4 && is_digits(year) => year.parse().ok(),
        _ => return None,
    };
    let citations = match citations {
        "" => None,
        text => Some(cited_by(text).ok()?.1),
    };
    let venue = venue.trim();
    let words = venue.contains(|c: char| !c.is_ascii_digit() && !c.is_whitespace());
    if (!venue.is_empty() && !words) || metric_line(raw.trim()).is_some() {
        return None;
    }
    Some(VenueLine {
        venue,
        citations,
        year,
    })
}

/// `658`, `1,204`, `42*`.
fn cited_by(text: &str) -> IResult<&str, Citations> {
    all_consuming((count, space0, opt(char('*'))))
        .map(|(count, _, star)| Citations {
            count,
            merged: star.is_some(),
        })
        .parse(text)
}

/// `4631`, `1,204`.
fn count(input: &str) -> IResult<&str, u64> {
    map_res(
        recognize((digit1, many0((char(','), digit1)))),
        |digits: &str| digits.replace(',', "").parse::<u64>(),
    )
    .parse(input)
}

/// A row of the metrics table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    Citations,
    HIndex,
    I10Index,
}

/// `Citations\t4631\t3709` → the metric, its all-time value and its
/// recent one (a row may have lost its second column).
fn metric_line(text: &str) -> Option<(Metric, u64, Option<u64>)> {
    let label = alt((
        tag_no_case("citations").map(|_| Metric::Citations),
        tag_no_case("h-index").map(|_| Metric::HIndex),
        tag_no_case("i10-index").map(|_| Metric::I10Index),
    ));
    let (_, (metric, _, all, since)) =
        all_consuming((label, space1, count, opt(preceded(space1, count))))
            .parse(text)
            .ok()?;
    Some((metric, all, since))
}

/// The table's header: `Title1–20\tCited by\tYear`, its first cell
/// `Title` and what rows it shows, or a sort menu's name: no paper's
/// title is followed by those two cells.
fn is_table_header(raw: &str) -> bool {
    let mut cells = raw.rsplitn(3, '\t').map(str::trim);
    let (year, cited_by, first) = (cells.next(), cells.next(), cells.next());
    year.is_some_and(|year| year.eq_ignore_ascii_case("year"))
        && cited_by.is_some_and(|cited_by| cited_by.eq_ignore_ascii_case("cited by"))
        && first.is_some_and(|first| first.chars().count() <= 30)
}

/// A line only the page's header has: the metrics table's rows and
/// heading, the citation histogram, the email line.
fn is_header_line(text: &str) -> bool {
    let histogram = text.split_whitespace().count() >= 2 && text.split_whitespace().all(is_digits);
    metric_line(text).is_some() || histogram || metrics_heading(text).is_ok()
}

/// `Cited by`, `Cited by\tVIEW ALL`, `All\tSince 2012`, `Verified email at
/// jhu.edu - Homepage`.
fn metrics_heading(text: &str) -> IResult<&str, &str> {
    let cited_by = recognize(all_consuming((
        tag_no_case("cited by"),
        opt((space1, tag_no_case("view all"))),
    )));
    let since = recognize(all_consuming((
        tag_no_case("all"),
        space1,
        tag_no_case("since"),
        space1,
        digit1,
    )));
    let email = alt((
        tag_no_case("verified email at"),
        all_consuming(tag_no_case("no verified email")),
    ));
    alt((cited_by, since, email)).parse(text)
}

/// Lines of the page around the header that a "Select all" copy brings
/// before the researcher's name: links and buttons.
const PAGE_CHROME: &[&str] = &[
    "google scholar",
    "sign in",
    "get my own profile",
    "my profile",
    "my library",
    "follow",
    "following",
];

fn is_page_chrome(text: &str) -> bool {
    PAGE_CHROME.contains(&text.to_lowercase().as_str())
}

/// Lines under the list: the button, the disclaimer, the page's footer
/// links. Only whole lines are matched, so no title is taken for one.
const FOOTER_LINES: &[&str] = &[
    "show more",
    "dates and citation counts are estimated and are determined automatically by a computer program.",
    "help privacy terms",
    "help privacy terms provide feedback",
];

fn is_footer(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    FOOTER_LINES.contains(&words.join(" ").to_lowercase().as_str())
}

/// `JT Leek, RB Scharpf, ...` → the people and whether the list was cut
/// short. `None` when the line does not read as names.
fn author_list(line: &str) -> Option<(Vec<Person>, bool)> {
    let (names, truncated) = match strip_ellipsis(line) {
        Some(cut) => (cut.trim_end_matches(',').trim_end(), true),
        None => (line.trim(), false),
    };
    let parts: Vec<&str> = names
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() || !parts.iter().all(|name| is_plausible_name(name)) {
        return None;
    }
    Some((parts.iter().map(|name| person(name)).collect(), truncated))
}

fn is_plausible_name(name: &str) -> bool {
    (1..=8).contains(&name.split_whitespace().count())
        && name.chars().count() <= 100
        && !name.contains(|c: char| c.is_ascii_digit() || "\t:;?!()[]{}\"".contains(c))
}

/// True when every name starts with initials, as Scholar writes them:
/// what tells an author line from a title.
fn looks_like_scholar_authors(line: &str) -> bool {
    let names = strip_ellipsis(line).unwrap_or(line);
    names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .all(|name| {
            let mut words = name.split_whitespace();
            words.next().is_some_and(is_initials) && words.next().is_some()
        })
}

/// Words that make a name an organisation's: `ENCODE Project Consortium`.
pub(crate) const COLLECTIVE_WORDS: &[&str] = &[
    "consortium",
    "collaboration",
    "group",
    "project",
    "network",
    "team",
    "committee",
    "initiative",
    "investigators",
    "association",
    "society",
];

/// Generational suffixes that end a name.
const SUFFIXES: &[&str] = &["Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"];

/// `JT Leek` → given `JT` (the initials as Scholar writes them, without
/// periods), family `Leek`; `M van der Laan` keeps `van der` as the
/// particle; an organisation stays whole. A name not led by initials is
/// split as any display name.
fn person(name: &str) -> Person {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if words
        .iter()
        .any(|word| COLLECTIVE_WORDS.contains(&word.to_lowercase().as_str()))
    {
        return Person::Literal(words.join(" "));
    }
    let suffix = match words.as_slice() {
        [_, _, .., last] if SUFFIXES.contains(last) => words.pop(),
        _ => None,
    };
    match words.split_first() {
        Some((given, rest)) if is_initials(given) && !rest.is_empty() => {
            // Lower-case words before the family name are its particle;
            // the last word is the family name whatever its case.
            let particle_words = rest[..rest.len() - 1]
                .iter()
                .take_while(|word| word.starts_with(char::is_lowercase))
                .count();
            let (particle, family) = rest.split_at(particle_words);
            Person::Personal(PersonalName {
                given: Some((*given).to_owned()),
                family: family.join(" "),
                particle: (!particle.is_empty()).then(|| particle.join(" ")),
                suffix: suffix.map(str::to_owned),
                dropping_particle: false,
            })
        }
        _ => Person::from_display_name(name),
    }
}

/// `JT`, `É`, `J-P`: capitals (and hyphens or periods), as Scholar writes a
/// given name.
fn is_initials(word: &str) -> bool {
    word.chars().count() <= 4
        && word.starts_with(char::is_uppercase)
        && word
            .chars()
            .all(|c| c.is_uppercase() || c == '-' || c == '.')
}

/// Byte offset of `part` (a slice of `line`) within `line`.
fn offset_in(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(venue: &str) -> VenueParts<'_> {
        venue_parts(venue)
    }

    #[test]
    fn journal_volume_issue_and_pages() {
        assert_eq!(
            parts("Journal 12 (3), 45-67"),
            VenueParts {
                container: Some("Journal"),
                volume: Some("12"),
                issue: Some("3"),
                pages: Some("45-67"),
                ..VenueParts::default()
            }
        );
        assert_eq!(
            parts("Nature Reviews Genetics 11 (10), 733-739"),
            VenueParts {
                container: Some("Nature Reviews Genetics"),
                volume: Some("11"),
                issue: Some("10"),
                pages: Some("733-739"),
                ..VenueParts::default()
            }
        );
    }

    #[test]
    fn single_pages_and_article_numbers() {
        assert_eq!(
            parts("Nature 520 (7549), 612"),
            VenueParts {
                container: Some("Nature"),
                volume: Some("520"),
                issue: Some("7549"),
                pages: Some("612"),
                ..VenueParts::default()
            }
        );
        assert_eq!(
            parts("Biostatistics, kxt007"),
            VenueParts {
                container: Some("Biostatistics"),
                pages: Some("kxt007"),
                ..VenueParts::default()
            }
        );
        assert_eq!(parts("PLoS Genet 3 (9), e161").pages, Some("e161"));
        assert_eq!(
            parts("Genome biology 11 (8), R83").container,
            Some("Genome biology")
        );
    }

    #[test]
    fn odd_pages_stay_whole() {
        assert_eq!(
            parts("Cell 166 (5), 1163-1175. e12"),
            VenueParts {
                container: Some("Cell"),
                volume: Some("166"),
                issue: Some("5"),
                pages: Some("1163-1175. e12"),
                ..VenueParts::default()
            }
        );
        assert_eq!(page_range("1163-1175. e12"), "1163–1175. e12");
    }

    #[test]
    fn missing_parts() {
        assert_eq!(
            parts("Statistical applications in genetics and molecular biology 6 (1)"),
            VenueParts {
                container: Some("Statistical applications in genetics and molecular biology"),
                volume: Some("6"),
                issue: Some("1"),
                ..VenueParts::default()
            }
        );
        assert_eq!(
            parts("Bioinformatics 28, 882-883"),
            VenueParts {
                container: Some("Bioinformatics"),
                volume: Some("28"),
                pages: Some("882-883"),
                ..VenueParts::default()
            }
        );
        assert_eq!(
            parts("Springer, Berlin, Heidelberg"),
            VenueParts {
                container: Some("Springer, Berlin, Heidelberg"),
                ..VenueParts::default()
            }
        );
        // A year in a conference's name is no volume.
        assert_eq!(
            parts("Computer Vision–ECCV 2004, 25-36"),
            VenueParts {
                container: Some("Computer Vision–ECCV 2004"),
                pages: Some("25-36"),
                ..VenueParts::default()
            }
        );
        assert_eq!(parts(""), VenueParts::default());
    }

    #[test]
    fn truncated_venues_are_kept_as_they_stand() {
        assert_eq!(
            parts("Proceedings of the National Academy of Sciences of the United States of ..."),
            VenueParts {
                container: Some(
                    "Proceedings of the National Academy of Sciences of the United States of"
                ),
                truncated: true,
                ..VenueParts::default()
            }
        );
        // Scholar's newer pages: a no-break space and the ellipsis
        // character; the `8` is the start of what was cut, no volume.
        assert_eq!(
            parts("Machine Learning and Knowledge Extraction: Second IFIP TC 5, TC 8/WG 8.4, 8\u{a0}…"),
            VenueParts {
                container: Some(
                    "Machine Learning and Knowledge Extraction: Second IFIP TC 5, TC 8/WG 8.4, 8"
                ),
                truncated: true,
                ..VenueParts::default()
            }
        );
    }

    #[test]
    fn arxiv_identifiers() {
        for (venue, id) in [
            ("arXiv preprint arXiv:2210.13533", "2210.13533"),
            ("arXiv preprint arXiv:1706.03762v5", "1706.03762v5"),
            ("arXiv:2210.13533", "2210.13533"),
            ("arXiv preprint math/0501001", "math/0501001"),
            (
                "arXiv preprint cond-mat.stat-mech/0501001",
                "cond-mat.stat-mech/0501001",
            ),
        ] {
            assert_eq!(parts(venue).arxiv, Some(id), "{venue}");
            assert_eq!(parts(venue).container, None, "{venue}");
        }
        assert_eq!(parts("arXiv preprint").arxiv, None);
        assert_eq!(parts("arXiv preprint").container, Some("arXiv preprint"));
    }

    #[test]
    fn types_guessed_from_the_venue() {
        for (venue, kind) in [
            ("arXiv preprint arXiv:2210.13533", WorkType::Preprint),
            (
                "Proceedings of the IEEE conference on computer vision and pattern recognition, 770-778",
                WorkType::ConferencePaper,
            ),
            ("International Workshop on X", WorkType::ConferencePaper),
            ("ACM SYMPOSIUM ON THEORY OF COMPUTING", WorkType::ConferencePaper),
            ("Proceedings of ACL", WorkType::ConferencePaper),
            ("Nature 520 (7549), 612", WorkType::JournalArticle),
            (
                "Proceedings of the National Academy of Sciences 102 (43), 15545-15550",
                WorkType::JournalArticle,
            ),
            (
                "Proceedings of the National Academy of Sciences of the United States of ...",
                WorkType::JournalArticle,
            ),
            ("Proceedings of the IEEE 104 (1), 148-175", WorkType::JournalArticle),
            (
                "Proceedings of the IEEE/CVF international conference on computer vision",
                WorkType::ConferencePaper,
            ),
            ("Proceedings of the IEEE/CVF …", WorkType::ConferencePaper),
        ] {
            assert_eq!(guess_type(venue, false), kind, "{venue}");
        }
    }

    #[test]
    fn venue_lines_in_both_layouts() {
        let line = venue_line("Nature 520 (7549), 612\t64\t2015");
        assert_eq!(line.venue, "Nature 520 (7549), 612");
        assert_eq!(
            line.citations,
            Some(Citations {
                count: 64,
                merged: false
            })
        );
        assert_eq!(line.year, Some(2015));
        let line = venue_line("Nature 520 (7549), 612, 2015");
        assert_eq!(
            (line.venue, line.citations, line.year),
            ("Nature 520 (7549), 612", None, Some(2015))
        );
        let line = venue_line("Cell 166 (5), 1163-1175. e12\t245*\t");
        assert_eq!(
            (line.citations, line.year),
            (
                Some(Citations {
                    count: 245,
                    merged: true
                }),
                None
            )
        );
        let line = venue_line("\t\t");
        assert_eq!((line.venue, line.citations, line.year), ("", None, None));
        let line = venue_line("Biostatistics, kxt007, 2013\t60\t2013");
        assert_eq!(line.venue, "Biostatistics, kxt007");
        assert!(cells("Citations\t4631\t3709").is_none());
        assert!(cells("2009\t2010\t2011\t2012").is_none());
        assert!(cells("Title1–20\tCited by\tYear").is_none());
        assert!(cells("Nature\tmany\t2015").is_none());
    }

    #[test]
    fn header_lines() {
        assert_eq!(
            metric_line("Citations\t4631\t3709"),
            Some((Metric::Citations, 4631, Some(3709)))
        );
        assert_eq!(
            metric_line("h-index\t24\t24"),
            Some((Metric::HIndex, 24, Some(24)))
        );
        assert_eq!(
            metric_line("i10-index 37"),
            Some((Metric::I10Index, 37, None))
        );
        assert_eq!(metric_line("Citations of X"), None);
        for line in [
            "Cited by\tVIEW ALL",
            "Cited by",
            "All\tSince 2012",
            "2009 2010 2011 2012 2013 2014 2015 2016",
            "119 188 254 380 512 690 801 910",
            "Verified email at jhu.edu - Homepage",
        ] {
            assert!(is_header_line(line), "{line}");
        }
        for line in [
            "Jeffrey T. Leek",
            "Statistics, Genomics, Data Science",
            "1984",
        ] {
            assert!(!is_header_line(line), "{line}");
        }
        assert!(is_table_header("Title1–20\tCited by\tYear"));
        assert!(is_table_header("Title\tCited by\tYear"));
        assert!(is_table_header("Sort\tCited by\tYear"));
        assert!(!is_table_header("Title of a paper cited by year"));
        assert!(is_footer("Show more"));
        assert!(!is_footer("Show more of the data"));
    }

    #[test]
    fn scholar_names() {
        let (people, truncated) =
            author_list("JT Leek, RB Scharpf, HC Bravo, D Simcha, B Langmead, WE Johnson, ...")
                .unwrap();
        assert!(truncated);
        assert_eq!(people.len(), 6);
        assert_eq!(
            people[0],
            Person::Personal(PersonalName {
                given: Some("JT".into()),
                family: "Leek".into(),
                ..PersonalName::default()
            })
        );
        let (people, truncated) =
            author_list("É Durand, J Müller, M van der Laan, A De Vos …").unwrap();
        assert!(truncated);
        let names: Vec<String> = people.iter().map(Person::display_name).collect();
        assert_eq!(
            names,
            ["É Durand", "J Müller", "M van der Laan", "A De Vos"]
        );
        let Person::Personal(laan) = &people[2] else {
            panic!("a personal name")
        };
        assert_eq!(
            (laan.particle.as_deref(), laan.family.as_str()),
            (Some("van der"), "Laan")
        );
        let Person::Personal(de_vos) = &people[3] else {
            panic!("a personal name")
        };
        assert_eq!(de_vos.family, "De Vos");
        let (people, _) = author_list("ENCODE Project Consortium, ML King Jr").unwrap();
        assert_eq!(
            people[0],
            Person::Literal("ENCODE Project Consortium".into())
        );
        let Person::Personal(king) = &people[1] else {
            panic!("a personal name")
        };
        assert_eq!(
            (king.family.as_str(), king.suffix.as_deref()),
            ("King", Some("Jr"))
        );
        assert!(author_list("Nature 520 (7549), 612, 2015").is_none());
        assert!(author_list("Statistics: P values are just the tip of the iceberg").is_none());
        assert!(looks_like_scholar_authors("JT Leek, RD Peng"));
        assert!(!looks_like_scholar_authors("Significance analysis"));
    }

    #[test]
    fn recognised_by_shape() {
        let fixture = include_str!("../../fixtures/scholar/leek.txt");
        assert!(recognizes(fixture));
        assert!(recognizes("A title\nJT Leek\nNature 520, 612\t64\t2015\n"));
        assert!(recognizes("Title1–20\tCited by\tYear\n"));
        // The metrics table's two columns, as a narrow window shows them.
        assert!(recognizes("Jane Doe\nCitations 4631 3709\nh-index 24 24\n"));
        assert!(!recognizes("Jane Doe\nCitations 75\nh-index 5\n"));
        // TAB-separated values are not rows: a row's first two lines have
        // no cells.
        assert!(!recognizes("name\tcount\tyear\nx\t12\t2015\ny\t3\t2016\n"));
        assert!(!recognizes("Some notes\nabout nothing in particular.\n"));
        assert!(!recognizes("@article{a, title = {T}, year = 2020}\n"));
        assert!(!recognizes(include_str!(
            "../../fixtures/profile/sungjun-lim.txt"
        )));
    }
}
