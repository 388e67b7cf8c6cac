//! The Markdown writer: a CV section a researcher pastes as it is.
//!
//! `## Publications`, then one `### YEAR` group per year, newest first, and a
//! numbered item per work counting on across the groups: authors (the
//! profile's owner in bold), title, where it appeared, date. Every
//! character of the data renders as written: CommonMark specials are
//! escaped and TeX becomes Unicode or emphasis.

use std::fmt::Write as _;

use crate::model::{Inline, Library, Person, Style, Text, Work, WorkType};
use crate::tex::math;

/// Writes the CV section, works ordered by date, newest first.
pub fn write(library: &Library) -> String {
    let owner = library
        .profile
        .as_ref()
        .map(|profile| profile.name.as_str());
    let mut works: Vec<&Work> = library.works.iter().collect();
    // Newest first and undated last (`None` sorts below any date); the sort
    // is stable, so works of one date keep their input order.
    works.sort_by_key(|work| std::cmp::Reverse(work.date));

    let mut out = String::from("## Publications\n");
    let mut current_group = None;
    for (number, work) in (1..).zip(works) {
        let group = work.date.map(|date| date.start.year);
        if current_group != Some(group) {
            current_group = Some(group);
            let heading = group.map_or_else(|| "Undated".to_owned(), |year| year.to_string());
            let _ = write!(out, "\n### {heading}\n\n");
        }
        let _ = writeln!(out, "{number}. {}", item(work, owner));
    }
    out
}

/// One list item: `Authors. Title. *Venue*, Date.`
fn item(work: &Work, owner: Option<&str>) -> String {
    let mut parts = Vec::new();
    let authors = authors(work, owner);
    if !authors.is_empty() {
        parts.push(authors);
    }
    if let Some(title) = &work.title {
        parts.push(rich(title));
    }
    let venue = venue(work);
    let date = work.date.map(|date| date.to_string());
    match (venue, date) {
        (Some(venue), Some(date)) => parts.push(format!("*{venue}*, {date}")),
        (Some(venue), None) => parts.push(format!("*{venue}*")),
        (None, Some(date)) => parts.push(date),
        (None, None) => {}
    }
    let mut line = String::new();
    for part in parts {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&part);
        if !part.ends_with(['.', '?', '!']) {
            line.push('.');
        }
    }
    escape_list_marker(&line)
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

/// `**Sungjun Lim**, Heedong Kim, et al.`; when the owner is hidden behind
/// "et al.", the item still names them: `…, et al. (incl. **Sungjun Lim**)`.
fn authors(work: &Work, owner: Option<&str>) -> String {
    let is_owner =
        |person: &Person| owner.is_some_and(|owner| same_name(&person.display_name(), owner));
    let mut names: Vec<String> = work
        .authors
        .iter()
        .map(|person| {
            let name = escape(&person.display_name());
            if is_owner(person) {
                format!("**{name}**")
            } else {
                name
            }
        })
        .collect();
    if work.authors_truncated {
        names.push("et al.".to_owned());
    }
    let mut line = names.join(", ");
    if let Some(owner) = owner {
        if work.authors_truncated && !work.authors.iter().any(is_owner) {
            let _ = write!(line, " (incl. **{}**)", escape(owner));
        }
    }
    line
}

/// Two spellings of one name: case, accents, hyphens and spacing aside.
fn same_name(a: &str, b: &str) -> bool {
    let fold = |name: &str| -> String {
        deunicode::deunicode(name)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    fold(a) == fold(b)
}

/// The journal or proceedings; for an arXiv preprint, `arXiv preprint`
/// and its primary category.
fn venue(work: &Work) -> Option<String> {
    if let Some(container) = &work.venue.container_title {
        return Some(rich(container));
    }
    if let Some(publisher) = &work.venue.publisher {
        return Some(escape(publisher));
    }
    if work.kind == WorkType::Preprint && work.is_on_arxiv() {
        let mut venue = "arXiv preprint".to_owned();
        if let Some(id) = &work.ids.arxiv {
            let _ = write!(venue, " arXiv:{}", escape(id));
        }
        if let Some(category) = work.categories.first() {
            let _ = write!(venue, " ({})", escape(category.best()));
        }
        return Some(venue);
    }
    None
}

/// Rich text as CommonMark: emphasis as `*…*`, math as Unicode or, when it
/// has no Unicode form, as a code span with its TeX.
fn rich(text: &Text) -> String {
    let mut out = String::new();
    render(&text.inlines, &mut out);
    out
}

fn render(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => out.push_str(&escape(text)),
            Inline::Protected(inner) => render(inner, out),
            Inline::Styled(Style::Emphasis, inner) => delimit(out, "*", inner),
            Inline::Styled(Style::Strong, inner) => delimit(out, "**", inner),
            // CommonMark has no small capitals, superscript or subscript
            // without raw HTML; the text stays, plain.
            Inline::Styled(_, inner) => render(inner, out),
            Inline::Math(tex) => match math::to_unicode(tex) {
                Some(unicode) => out.push_str(&escape(&unicode)),
                None => code_span(out, &format!("${tex}$")),
            },
        }
    }
}

/// Emphasis delimiters must touch the text, so surrounding spaces go outside.
fn delimit(out: &mut String, delimiter: &str, inner: &[Inline]) {
    let mut text = String::new();
    render(inner, &mut text);
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
    fn names_match_across_accents_hyphens_and_case() {
        assert!(same_name("Kovacs-Muller Zoe", "Kovács-Müller Zoë"));
        assert!(same_name("SUNGJUN LIM", "Sungjun Lim"));
        assert!(!same_name("Sungjun Lim", "Sungjun Kim"));
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
}
