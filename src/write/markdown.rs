//! The Markdown writer: a CV section a researcher pastes as it is.
//!
//! By default `## Publications`, then one `### YEAR` group per year, newest
//! first, and a numbered item per work counting on across the groups:
//! authors (the owner in bold), title, where it appeared, date, and links
//! to the DOI, arXiv and URL. Options choose the grouping, order,
//! numbering, which works, the heading and how many authors show; the
//! owner always stays visible. Every character of the data renders as
//! written: CommonMark specials are escaped, TeX becomes Unicode or
//! emphasis, and no raw LaTeX or HTML is left.

use std::fmt::Write as _;

use crate::key::citation_keys;
use crate::model::{Inline, Library, Style, Text, Work};
use crate::tex::math;
use crate::write::cv::{self, Owner, Piece, Section};
use crate::write::site::{slug, yaml_string, Slugs};
use crate::write::Options as WriteOptions;

// The CV options are every CV output's; Markdown was their first.
pub use crate::write::cv::{chosen, GroupBy, Kind, Numbering, Options, Order};

/// Writes the CV section.
pub fn write(library: &Library, options: &WriteOptions) -> String {
    let section = cv::section(library, options, spell_item);
    super::section_text(write_section, &section, options)
}

/// An item's pieces as a list item's text.
pub fn spell_item(pieces: &[Piece], _options: &WriteOptions) -> String {
    escape_list_marker(&cv::spell(&Markdown, pieces))
}

/// Writes a CV section built already.
pub fn write_section(
    section: &Section,
    _options: &WriteOptions,
    out: &mut dyn std::fmt::Write,
) -> std::fmt::Result {
    writeln!(out, "## {}", escape(&section.heading))?;
    for group in &section.groups {
        if let Some(heading) = &group.heading {
            write!(out, "\n### {heading}\n")?;
        }
        out.write_char('\n')?;
        for item in &group.items {
            let text = &item.text;
            match (section.numbering, item.number) {
                // CommonMark renumbers an ordered list upwards from its start,
                // so a count-down is written as labels.
                (Numbering::Forward, Some(number)) => writeln!(out, "{number}. {text}"),
                (_, Some(number)) => writeln!(out, "- \\[{number}\\] {text}"),
                (_, None) => writeln!(out, "- {text}"),
            }?;
        }
    }
    Ok(())
}

/// One Markdown file per work, named by a slug of its key, with YAML front
/// matter and the item as body: `--per-file` without `--site`, for any
/// static-site generator (Jekyll, Hugo).
pub fn per_file(library: &Library, options: &WriteOptions) -> Vec<(String, String)> {
    let owner = cv::owner(library, &options.markdown);
    let keys = citation_keys(&library.works, &options.key_pattern);
    let mut slugs = Slugs::default();
    let mut files = Vec::new();
    for index in chosen(library, options) {
        let (work, key) = (&library.works[index], &keys[index]);
        let name = format!("{}.md", slugs.take(&slug(key)));
        files.push((name, front_matter(work, key, &owner, &options.markdown)));
    }
    files
}

/// Pieces as CommonMark, for front matter that holds Markdown.
pub(crate) fn spell(pieces: &[Piece]) -> String {
    cv::spell(&Markdown, pieces)
}

/// A link, its text already spelled, whose destination may hold
/// parentheses or spaces: CommonMark's `<…>` form, with `<`, `>` and
/// spaces encoded.
fn link(text: &str, url: &str) -> String {
    let destination = url
        .replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E");
    format!("[{text}](<{destination}>)")
}

/// A YAML document for a static-site generator, then the item.
fn front_matter(work: &Work, key: &str, owner: &Owner, options: &Options) -> String {
    let mut out = String::from("---\n");
    let mut field = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            let _ = writeln!(out, "{name}: {}", yaml_string(&value));
        }
    };
    field("title", work.title.as_ref().map(plain));
    field("date", work.date.map(|date| date.start.iso()));
    let venue = cv::venue_pieces(work).map(|venue| strip_markup(&cv::spell(&Markdown, &venue)));
    field("venue", venue);
    field("doi", work.ids.doi.clone());
    field("arxiv", work.ids.arxiv.clone());
    field("url", work.ids.url.clone());
    field("citation_key", Some(key.to_owned()));
    field("abstract", work.abstract_text.as_ref().map(plain));
    if !work.authors.is_empty() {
        out.push_str("authors:\n");
        for person in &work.authors {
            let _ = writeln!(out, "  - {}", yaml_string(&person.display_name()));
        }
    }
    out.push_str("---\n\n");
    let item = cv::item_pieces(work, owner, options);
    out.push_str(&escape_list_marker(&cv::spell(&Markdown, &item)));
    out.push('\n');
    out
}

/// Rich text as plain Unicode, for front matter.
pub(crate) fn plain(text: &Text) -> String {
    let mut out = String::new();
    plain_into(&text.inlines, &mut out);
    out
}

fn plain_into(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => out.push_str(text),
            Inline::Protected(inner) | Inline::Styled(_, inner) => plain_into(inner, out),
            Inline::Math(tex) => {
                out.push_str(&math::to_unicode(tex).unwrap_or_else(|| format!("${tex}$")))
            }
        }
    }
}

/// Markdown back to its text: escapes and emphasis marks removed.
fn strip_markup(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => {}
            c => out.push(c),
        }
    }
    out
}

/// Text that opens a list item must not itself read as a list marker
/// (`2. …`, `- …`, `+ …`), or it would nest a list.
fn escape_list_marker(line: &str) -> String {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = &line[digits..];
    let followed_by_space = |rest: &str| rest.is_empty() || rest.starts_with(' ');
    if digits > 0 && marker.starts_with(['.', ')']) && followed_by_space(&marker[1..]) {
        format!("{}\\{}", &line[..digits], marker)
    } else if digits == 0 && line.starts_with(['-', '+']) && followed_by_space(&line[1..]) {
        format!("\\{line}")
    } else {
        line.to_owned()
    }
}

/// Pieces as CommonMark: emphasis as `*…*`, math as Unicode or, when it
/// has no Unicode form, as a code span with its TeX.
struct Markdown;

impl cv::Spelling for Markdown {
    fn text(&self, text: &str, out: &mut String) {
        out.push_str(&escape(text));
    }

    fn styled(&self, style: Style, inner: &[Piece], out: &mut String) {
        match style {
            Style::Emphasis => delimit(out, "*", inner),
            Style::Strong => delimit(out, "**", inner),
            // CommonMark has no small capitals, superscript or subscript
            // without raw HTML; the text stays, plain.
            _ => cv::spell_into(self, inner, out),
        }
    }

    fn link(&self, url: &str, text: &[Piece], out: &mut String) {
        out.push_str(&link(&cv::spell(self, text), url));
    }

    fn math(&self, tex: &str, out: &mut String) {
        match math::to_unicode(tex) {
            Some(unicode) => out.push_str(&escape(&unicode)),
            None => code_span(out, &format!("${tex}$")),
        }
    }
}

/// Emphasis delimiters must touch the text, so surrounding spaces go outside.
fn delimit(out: &mut String, delimiter: &str, inner: &[Piece]) {
    let text = cv::spell(&Markdown, inner);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        out.push_str(&text);
        return;
    }
    let leading = &text[..text.len() - text.trim_start().len()];
    let trailing = &text[text.trim_end().len()..];
    let _ = write!(out, "{leading}{delimiter}{trimmed}{delimiter}{trailing}");
}

/// A code span long enough not to be closed by backticks inside it.
fn code_span(out: &mut String, code: &str) {
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    let _ = write!(out, "{fence}{pad}{code}{pad}{fence}");
}

/// Escapes every ASCII character CommonMark (or GitHub's extensions) could
/// read as markup, so the text renders exactly as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]{}<>#&~|$!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(
            escape("a*b_c [x](y) <t> #1 & $5"),
            r"a\*b\_c \[x\](y) \<t\> \#1 \& \$5"
        );
    }

    #[test]
    fn item_text_never_opens_a_nested_list() {
        assert_eq!(escape_list_marker("2. Title"), r"2\. Title");
        assert_eq!(escape_list_marker("- x"), r"\- x");
        assert_eq!(escape_list_marker("2.5 GHz"), "2.5 GHz");
        assert_eq!(escape_list_marker("-x"), "-x");
    }

    #[test]
    fn code_spans_survive_backticks() {
        let mut out = String::new();
        code_span(&mut out, "a`b");
        assert_eq!(out, "``a`b``");
    }

    #[test]
    fn links_take_any_url() {
        assert_eq!(
            link(&escape("doi:10.1/(x)"), "https://doi.org/10.1/(x) y"),
            r"[doi:10.1/(x)](<https://doi.org/10.1/(x)%20y>)"
        );
    }
}
