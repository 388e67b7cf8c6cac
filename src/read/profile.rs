//! The profile dump reader: a researcher's profile page copied as text.
//!
//! The layout is Scholar Feed's author page (see the reference dump in
//! `fixtures/profile/`): the researcher's name, their primary arXiv field as
//! a bare suffix (`LG`), metrics glued to their labels (`h-index5`,
//! `75citations`), a `10 Papers` heading, then one block per paper: the
//! category suffix glued to the date (`LGOct 24, 2022`, or `CLMay 21` for a
//! date in the capture year), the title, the authors ("First Last", a
//! trailing `et al.` when cut short) and the abstract, which may be missing.
//!
//! Line syntax is parsed with nom; the block structure (which line is the
//! title, which the authors) is positional. A block that cannot be read is
//! reported and skipped; the other papers still convert.

use nom::branch::alt;
use nom::bytes::complete::{tag_no_case, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{all_consuming, map_res, opt, recognize};
use nom::multi::many0;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use crate::arxiv;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    Category, Date, Library, Metrics, Month, Person, Profile, Text, Work, WorkType,
};
use crate::read::lines::split_lines;
use crate::read::{ReadOptions, Reading, Source};
use crate::tex::{self, Dialect};

/// True when the text has the shape of a profile dump: a paper header line
/// or a `N Papers` heading near the top.
pub fn recognizes(text: &str) -> bool {
    lines(text)
        .take(200)
        .any(|line| header_shape(line.text).is_some() || paper_list_heading(line.text).is_ok())
}

/// Reads a profile dump into a library.
pub fn read_profile(source: Source<'_>, options: &ReadOptions) -> Reading {
    let mut reader = ProfileReader {
        file: source.name,
        as_of: options.as_of,
        diagnostics: Vec::new(),
    };
    let lines: Vec<Line<'_>> = lines(source.text).collect();
    let papers_start = lines
        .iter()
        .position(|line| header_shape(line.text).is_some())
        .unwrap_or(lines.len());
    let (profile, heading) = reader.header(&lines[..papers_start]);
    let blocks = paper_blocks(&lines[papers_start..]);
    let start_of = |block: &[Line<'_>]| {
        (block[0].text.as_ptr() as usize).saturating_sub(source.text.as_ptr() as usize)
    };
    let (works, offsets): (Vec<Work>, Vec<usize>) = blocks
        .iter()
        .filter_map(|block| Some((reader.paper(block)?, start_of(block))))
        .unzip();
    if let Some((declared, line)) = heading {
        if declared != blocks.len() as u64 {
            reader.report(
                Diagnostic::new(
                    Severity::Warning,
                    "profile::paper-count",
                    format!(
                        "the heading announces {declared} papers but {} were found",
                        blocks.len()
                    ),
                )
                .at(source.name, line.number, line.indent + 1)
                .hint("the dump may have been cut short: copy the whole page again"),
            );
        }
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

/// One line of the dump, trimmed, with where it stood.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    /// Characters of leading white space that were trimmed.
    indent: usize,
    text: &'a str,
}

/// Lines without byte-order mark, line ends or surrounding spaces.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    split_lines(text).enumerate().map(|(index, raw)| {
        let end_trimmed = raw.trim_end();
        let text = end_trimmed.trim_start();
        Line {
            number: index + 1,
            indent: end_trimmed.chars().count() - text.chars().count(),
            text,
        }
    })
}

/// Splits the paper list into blocks, each starting at a paper header. The
/// line after a header is its title even if it looks like a header itself.
fn paper_blocks<'a, 'b>(lines: &'b [Line<'a>]) -> Vec<&'b [Line<'a>]> {
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut title_next = false;
    for (index, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            continue;
        }
        if title_next {
            title_next = false;
        } else if header_shape(line.text).is_some() {
            if index > start {
                blocks.push(&lines[start..index]);
            }
            start = index;
            title_next = true;
        }
    }
    if start < lines.len() {
        blocks.push(&lines[start..]);
    }
    blocks
}

struct ProfileReader<'a> {
    file: &'a str,
    as_of: Date,
    diagnostics: Vec<Diagnostic>,
}

/// A line of the profile header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    HIndex(u64),
    Papers(u64),
    Citations(u64),
    NoveltyPercent(u64),
    AiScore(u64),
}

impl ProfileReader<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn at(&self, diagnostic: Diagnostic, line: &Line<'_>, byte_offset: usize) -> Diagnostic {
        let column = line.indent + line.text[..byte_offset].chars().count() + 1;
        let shown = format!("{}{}", " ".repeat(line.indent), line.text);
        diagnostic
            .at(self.file, line.number, column)
            .line_text(&shown)
    }

    /// The lines before the first paper: name, primary field, metrics and
    /// the `N Papers` heading, with the heading's count and line.
    fn header<'l>(&mut self, lines: &[Line<'l>]) -> (Option<Profile>, Option<(u64, Line<'l>)>) {
        let mut content = lines.iter().filter(|line| !line.text.is_empty());
        let Some(name_line) = content.next() else {
            return (None, None);
        };
        let mut profile = Profile {
            name: name_line.text.to_owned(),
            ..Profile::default()
        };
        let mut heading = None;
        for line in content {
            if let Ok((_, count)) = paper_list_heading(line.text) {
                heading = Some((count, *line));
            } else if let Ok((_, metric)) = metric(line.text) {
                set_metric(&mut profile.metrics, metric);
            } else if profile.primary_field.is_none() && is_category_code(line.text) {
                profile.primary_field = Some(self.category(line.text, line, 0));
            } else {
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "profile::unknown-header-line",
                    format!("unrecognised profile header line `{}`; left out", line.text),
                )
                .hint("pubconv reads the name, the field code, metrics such as `h-index5`, and the `N Papers` heading");
                let warning = self.at(warning, line, 0);
                self.report(warning);
            }
        }
        (Some(profile), heading)
    }

    /// One paper block, or `None` after reporting why it was skipped.
    fn paper(&mut self, block: &[Line<'_>]) -> Option<Work> {
        let header = &block[0];
        let mut rest = block[1..].iter().filter(|line| !line.text.is_empty());
        let (category, date) = match self.paper_header(header) {
            Ok(parsed) => parsed,
            Err(error) => {
                self.report(error);
                return None;
            }
        };
        let Some(title) = rest.next() else {
            let error = Diagnostic::new(
                Severity::Error,
                "profile::missing-title",
                format!(
                    "the paper headed `{}` has no title; it was skipped",
                    header.text
                ),
            )
            .hint("a paper block is the header line, the title, the authors and the abstract");
            let error = self.at(error, header, header.text.len());
            self.report(error);
            return None;
        };
        let mut work = Work {
            kind: WorkType::Preprint,
            title: Some(self.rich_text(title)),
            date: date.map(Into::into),
            categories: vec![category],
            ..Work::default()
        };
        let mut abstract_lines: Vec<&str> = Vec::new();
        match rest.next() {
            Some(line) => match author_line(line.text) {
                Some((authors, truncated)) => {
                    work.authors = authors;
                    work.authors_truncated = truncated;
                }
                None => {
                    let warning = Diagnostic::new(
                        Severity::Warning,
                        "profile::missing-authors",
                        format!("expected the authors of `{}` here (names separated by commas); read this line as the abstract", title.text),
                    ).hint("the paper was converted without authors: add them to the dump if it lost them");
                    let warning = self.at(warning, line, 0);
                    self.report(warning);
                    abstract_lines.push(line.text);
                }
            },
            None => {
                let warning = Diagnostic::new(
                    Severity::Warning,
                    "profile::missing-authors",
                    format!("the paper `{}` has no author line", title.text),
                );
                let warning = self.at(warning, title, title.text.len());
                self.report(warning);
            }
        }
        abstract_lines.extend(rest.map(|line| line.text));
        if !abstract_lines.is_empty() {
            let first = block.iter().find(|line| line.text == abstract_lines[0]);
            let text = abstract_lines.join(" ");
            work.abstract_text = Some(self.rich_text(&Line {
                text: &text,
                ..*first.unwrap_or(header)
            }));
        }
        Some(work)
    }

    /// Reads arXiv text with inline TeX, noting commands kept verbatim.
    fn rich_text(&mut self, line: &Line<'_>) -> Text {
        let parsed = tex::parse(line.text, Dialect::ArxivText);
        if !parsed.unknown_commands.is_empty() {
            let note = Diagnostic::new(
                Severity::Note,
                "tex::unknown-command",
                format!(
                    "kept TeX command(s) pubconv does not know as written: {}",
                    parsed.unknown_commands.join(", ")
                ),
            );
            let note = self.at(note, line, 0);
            self.report(note);
        }
        Text {
            inlines: parsed.inlines,
            casing: crate::model::Casing::AsWritten,
        }
    }

    /// `LGOct 24, 2022` → the category and the date.
    fn paper_header(&mut self, line: &Line<'_>) -> Result<(Category, Option<Date>), Diagnostic> {
        let error = |reader: &Self, offset: usize, message: String| {
            let diagnostic = Diagnostic::new(Severity::Error, "profile::bad-paper-header", message)
                .hint("a paper header is the category code glued to the date, as in `LGOct 24, 2022` or `CLMay 21`; this paper was skipped");
            reader.at(diagnostic, line, offset)
        };
        let shape = header_shape(line.text).ok_or_else(|| {
            error(
                self,
                0,
                format!("expected a paper header, found `{}`", line.text),
            )
        })?;
        let Some((code, month)) = split_category_and_month(shape.glued) else {
            let message = format!(
                "expected a month name (Jan to Dec) at the end of `{}`, after the category code",
                shape.glued
            );
            return Err(error(self, 0, message));
        };
        let category = self.category(code, line, 0);
        let day_offset = offset_in(line.text, shape.first_number);
        let number = |text: &str| text.parse::<u16>().ok();
        let date = match (shape.first_number.len(), shape.year) {
            // `Oct 2022`: a month and a year.
            (4, None) => Date {
                year: i32::from(number(shape.first_number).unwrap_or(0)),
                month: Some(month),
                day: None,
            },
            (_, year) => {
                let day = number(shape.first_number)
                    .and_then(|day| u8::try_from(day).ok())
                    .unwrap_or(0);
                match year {
                    Some(year) => {
                        let year = i32::from(number(year).unwrap_or(0));
                        Date::from_ymd(year, month, day)
                            .map_err(|invalid| error(self, day_offset, invalid.to_string()))?
                    }
                    None => self.yearless_date(month, day, line, day_offset)?,
                }
            }
        };
        Ok((category, Some(date)))
    }

    /// A date shown without its year lies in the capture year: the latest
    /// such date not after `--as-of`.
    fn yearless_date(
        &mut self,
        month: Month,
        day: u8,
        line: &Line<'_>,
        day_offset: usize,
    ) -> Result<Date, Diagnostic> {
        let as_of = self.as_of;
        let not_after_as_of = |year: i32| {
            Date::from_ymd(year, month, day)
                .ok()
                .filter(|date| *date <= as_of)
        };
        // 29 February needs a leap year; every other real date recurs yearly.
        let Some(date) = (0..8).find_map(|back| not_after_as_of(as_of.year - back)) else {
            let invalid = Date::from_ymd(as_of.year, month, day).err();
            let message = invalid.map_or_else(
                || format!("no {} {day} before {}", month.name(), as_of.iso()),
                |invalid| format!("{} {day} is not a date: {invalid}", month.name()),
            );
            let error = Diagnostic::new(Severity::Error, "profile::invalid-date", message)
                .hint("fix the date in the dump; this paper was skipped");
            return Err(self.at(error, line, day_offset));
        };
        let mut note = Diagnostic::new(
            Severity::Note,
            "profile::yearless-date",
            format!(
                "`{}` has no year: read as {}, the latest {} {day} not after {}",
                line.text,
                date.iso(),
                month.name(),
                as_of.iso()
            ),
        );
        // A day other than today was given on purpose: nothing to suggest.
        if as_of == Date::today() {
            note = note.hint(
                "pass --as-of YYYY-MM-DD with the day the dump was captured if that was not today",
            );
        }
        let note = self.at(note, line, day_offset);
        self.report(note);
        Ok(date)
    }

    /// An arXiv category code, resolved where it names one category.
    fn category(&mut self, code: &str, line: &Line<'_>, offset: usize) -> Category {
        let (arxiv, problem) = match arxiv::lookup(code) {
            arxiv::Lookup::Unique(full) => (Some(full.to_owned()), None),
            arxiv::Lookup::Ambiguous(candidates) => (
                None,
                Some(format!(
                    "`{code}` is a subject class in several arXiv archives ({}); kept as written",
                    candidates.join(", ")
                )),
            ),
            arxiv::Lookup::Unknown => (
                None,
                Some(format!(
                    "`{code}` is not an arXiv category code; kept as written"
                )),
            ),
        };
        if let Some(message) = problem {
            let warning = Diagnostic::new(Severity::Warning, "profile::category", message);
            let warning = self.at(warning, line, offset);
            self.report(warning);
        }
        Category {
            code: code.to_owned(),
            arxiv,
        }
    }
}

fn set_metric(metrics: &mut Metrics, metric: Metric) {
    let (slot, value) = match metric {
        Metric::HIndex(value) => (&mut metrics.h_index, value),
        Metric::Papers(value) => (&mut metrics.papers, value),
        Metric::Citations(value) => (&mut metrics.citations, value),
        Metric::NoveltyPercent(value) => (&mut metrics.novelty_percent, value),
        Metric::AiScore(value) => (&mut metrics.ai_score, value),
    };
    *slot = Some(value);
}

/// Byte offset of `part` (a slice of `line`) within `line`.
fn offset_in(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

/// `1,204` → 1204.
fn number(input: &str) -> IResult<&str, u64> {
    map_res(
        recognize((digit1, many0((char(','), digit1)))),
        |digits: &str| digits.replace(',', "").parse::<u64>(),
    )
    .parse(input)
}

/// A metric with its label glued before or after the value, or spaced:
/// `h-index5`, `10papers`, `1,204 citations`, `Novelty50%`, `AI Score54`.
fn metric(line: &str) -> IResult<&str, Metric> {
    let labelled = |label: &'static str| preceded((tag_no_case(label), space0), number);
    let counted = |plural: &'static str, singular: &'static str| {
        terminated(
            number,
            (space0, alt((tag_no_case(plural), tag_no_case(singular)))),
        )
    };
    all_consuming(alt((
        labelled("h-index").map(Metric::HIndex),
        counted("papers", "paper").map(Metric::Papers),
        counted("citations", "citation").map(Metric::Citations),
        terminated(labelled("novelty"), opt(char('%'))).map(Metric::NoveltyPercent),
        labelled("ai score").map(Metric::AiScore),
    )))
    .parse(line)
}

/// The heading of the paper list: `10 Papers`, `1 Paper` (capital P and a
/// space, which tells it from the `10papers` metric).
fn paper_list_heading(line: &str) -> IResult<&str, u64> {
    all_consuming(terminated(
        number,
        (
            space1,
            alt((
                nom::bytes::complete::tag("Papers"),
                nom::bytes::complete::tag("Paper"),
            )),
        ),
    ))
    .parse(line)
}

/// A bare category code such as `LG`, `cs.LG` or `quant-ph`.
fn is_category_code(text: &str) -> bool {
    (2..=16).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '.')
}

/// The parts of a line shaped like a paper header: letters glued to a
/// month, then a day (or a year), then perhaps `, year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeaderShape<'a> {
    glued: &'a str,
    first_number: &'a str,
    year: Option<&'a str>,
}

fn header_shape(line: &str) -> Option<HeaderShape<'_>> {
    let glued = take_while1(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '.');
    let digits = |input| digit1::<&str, nom::error::Error<&str>>(input);
    let year = preceded((char(','), space0), digits);
    let (_, (glued, _, first_number, year)) = all_consuming((glued, space1, digits, opt(year)))
        .parse(line)
        .ok()?;
    // The letters end in a capitalised word (the month) after a code.
    let month_start = glued.rfind(|c: char| c.is_ascii_uppercase())?;
    let month_like = month_start >= 2
        && glued.len() - month_start >= 3
        && glued[month_start + 1..]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '.');
    (first_number.len() <= 4 && month_like).then_some(HeaderShape {
        glued,
        first_number,
        year,
    })
}

/// `LGOct` → (`LG`, October): the longest month spelling that ends the
/// letters and leaves a category code before it.
fn split_category_and_month(glued: &str) -> Option<(&str, Month)> {
    Month::spellings().find_map(|(spelling, month)| {
        let split = glued.len().checked_sub(spelling.len())?;
        let (code, tail) = (glued.get(..split)?, glued.get(split..)?);
        (tail.eq_ignore_ascii_case(spelling)
            && tail.starts_with(|c: char| c.is_uppercase())
            && code.len() >= 2)
            .then_some((code, month))
    })
}

/// Lower-case words that may stand inside a name.
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "das", "dos", "du", "la", "le",
    "bin", "ibn", "al", "el", "zu", "ten", "ter", "y", "e", "af", "av",
];

/// Suffixes a comma may set apart from the name they end: `King, Jr.`.
const NAME_SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// `Taero Kim, Subeen Park, Sungjun Lim et al.` → the people and whether
/// the list was cut short. `None` when the line does not read as names.
fn author_line(line: &str) -> Option<(Vec<Person>, bool)> {
    let (names, truncated) = strip_truncation(line);
    let mut parts: Vec<String> = Vec::new();
    for part in names
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
    {
        let part = part.trim();
        match parts.last_mut() {
            Some(previous) if NAME_SUFFIXES.contains(&part) => {
                previous.push(' ');
                previous.push_str(part);
            }
            _ if part.is_empty() => {}
            _ => parts.push(part.to_owned()),
        }
    }
    if parts.is_empty() || !parts.iter().all(|name| is_plausible_name(name)) {
        return None;
    }
    let people = parts
        .iter()
        .map(|name| Person::from_display_name(name))
        .collect();
    Some((people, truncated))
}

/// Removes a trailing `et al.`, `and others` or ellipsis.
fn strip_truncation(line: &str) -> (&str, bool) {
    let lower = line.to_lowercase();
    for marker in ["et al.", "et al", "et. al.", "and others", "…", "..."] {
        if lower.ends_with(marker) && line.is_char_boundary(line.len() - marker.len()) {
            let names = line[..line.len() - marker.len()].trim_end();
            return (names.trim_end_matches(',').trim_end(), true);
        }
    }
    (line, false)
}

fn is_plausible_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=6).contains(&words.len())
        && name.chars().count() <= 80
        && words.iter().all(|word| {
            NAME_PARTICLES.contains(word)
                || NAME_SUFFIXES.contains(word)
                || (word.starts_with(|c: char| c.is_alphabetic() && !c.is_lowercase())
                    && word
                        .chars()
                        .all(|c| c.is_alphabetic() || "-'’.‐".contains(c)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_glued_spaced_and_separated() {
        let cases = [
            ("h-index5", Metric::HIndex(5)),
            ("h-index 12", Metric::HIndex(12)),
            ("10papers", Metric::Papers(10)),
            ("1paper", Metric::Papers(1)),
            ("75citations", Metric::Citations(75)),
            ("1,204citations", Metric::Citations(1204)),
            ("1,204 citations", Metric::Citations(1204)),
            ("Novelty50%", Metric::NoveltyPercent(50)),
            ("AI Score54", Metric::AiScore(54)),
        ];
        for (line, expected) in cases {
            assert_eq!(metric(line).map(|(_, m)| m), Ok(expected), "{line}");
        }
        assert!(metric("10 Papers x").is_err());
        assert_eq!(paper_list_heading("10 Papers").map(|(_, n)| n), Ok(10));
        assert!(paper_list_heading("10papers").is_err());
    }

    #[test]
    fn paper_headers_split_category_and_month() {
        assert_eq!(
            split_category_and_month("LGOct"),
            Some(("LG", Month::new(10).unwrap()))
        );
        assert_eq!(
            split_category_and_month("CLMay"),
            Some(("CL", Month::new(5).unwrap()))
        );
        assert_eq!(
            split_category_and_month("soc-phSept"),
            Some(("soc-ph", Month::new(9).unwrap()))
        );
        assert_eq!(
            split_category_and_month("MAMar"),
            Some(("MA", Month::new(3).unwrap()))
        );
        assert_eq!(split_category_and_month("LGFoo"), None);
        assert!(header_shape("LGOct 24, 2022").is_some());
        assert!(header_shape("CLMay 21").is_some());
        assert!(header_shape("Sufficient Invariant Learning").is_none());
        assert!(header_shape("Llama 3").is_none());
    }

    #[test]
    fn author_lines_with_and_without_truncation() {
        let (people, truncated) =
            author_line("Taero Kim, Subeen Park, Sungjun Lim et al.").unwrap();
        assert!(truncated);
        let names: Vec<String> = people.iter().map(Person::display_name).collect();
        assert_eq!(names, ["Taero Kim", "Subeen Park", "Sungjun Lim"]);

        let (people, truncated) = author_line("Zoë Kovács-Müller").unwrap();
        assert!(!truncated);
        assert_eq!(people[0].family_name(), "Kovács-Müller");

        let (people, _) =
            author_line("Martin Luther King, Jr., Jean de la Fontaine, et al.").unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].display_name(), "Martin Luther King Jr.");

        assert!(author_line("We study the problem of learning, which is hard.").is_none());
        assert!(author_line("Learning robust models under distribution shifts between training and test datasets is a fundamental challenge").is_none());
    }
}
