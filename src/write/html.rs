//! The HTML writer: the CV section for a web page, spelled from
//! [`cv::section`].
//!
//! A `<section>` with an `<h2>`, an `<h3>` per group and the items in an
//! `<ol>` (`start` continues forward numbering across groups; a count-down
//! is `<ol reversed start="N">`), or a `<ul>` when unnumbered. The owner is
//! `<strong>`, links are `<a href>`, math is Unicode or, when it has none,
//! its TeX in `<code>`. `--standalone` makes it a whole page with a
//! title and a little CSS.

use std::fmt::Write as _;

use crate::model::{Library, Style};
use crate::tex::math;
use crate::write::cv::{self, Numbering, Piece, Section};
use crate::write::Options as WriteOptions;

/// The page's CSS: readable line length, quiet links.
const CSS: &str = "body { font-family: sans-serif; line-height: 1.5; max-width: 50em; margin: 2em auto; padding: 0 1em; color: #222; }\n\
li { margin-bottom: 0.5em; }\n\
a { color: #1a5fb4; }\n";

/// Writes the CV section, or with `standalone` a whole page.
pub fn write(library: &Library, options: &WriteOptions) -> String {
    let section = cv::section(library, options, spell_item);
    super::section_text(write_section, &section, options)
}

/// An item's pieces in HTML.
pub fn spell_item(pieces: &[Piece], _options: &WriteOptions) -> String {
    cv::spell(&Html, pieces)
}

/// Writes a CV section built already, or with `standalone` a page.
pub fn write_section(
    section: &Section,
    options: &WriteOptions,
    out: &mut dyn std::fmt::Write,
) -> std::fmt::Result {
    let heading = escape(&section.heading);
    if options.standalone {
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{heading}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
        )?;
    }
    writeln!(out, "<section class=\"publications\">\n<h2>{heading}</h2>")?;
    for group in &section.groups {
        if let Some(heading) = &group.heading {
            writeln!(out, "<h3>{}</h3>", escape(heading))?;
        }
        let first = group.items.first().and_then(|item| item.number);
        let (open, close) = match (section.numbering, first) {
            (Numbering::None, _) | (_, None) => ("<ul>".to_owned(), "</ul>"),
            (Numbering::Reverse, Some(start)) => {
                (format!("<ol reversed start=\"{start}\">"), "</ol>")
            }
            (Numbering::Forward, Some(1)) => ("<ol>".to_owned(), "</ol>"),
            (Numbering::Forward, Some(start)) => (format!("<ol start=\"{start}\">"), "</ol>"),
        };
        writeln!(out, "{open}")?;
        for item in &group.items {
            writeln!(out, "<li>{}</li>", item.text)?;
        }
        writeln!(out, "{close}")?;
    }
    out.write_str("</section>\n")?;
    if options.standalone {
        out.write_str("</body>\n</html>\n")?;
    }
    Ok(())
}

struct Html;

impl cv::Spelling for Html {
    fn text(&self, text: &str, out: &mut String) {
        out.push_str(&escape(text));
    }

    fn styled(&self, style: Style, inner: &[Piece], out: &mut String) {
        let (open, close) = match style {
            Style::Emphasis => ("<em>", "</em>"),
            Style::Strong => ("<strong>", "</strong>"),
            Style::SmallCaps => ("<span style=\"font-variant: small-caps\">", "</span>"),
            Style::Superscript => ("<sup>", "</sup>"),
            Style::Subscript => ("<sub>", "</sub>"),
        };
        let _ = write!(out, "{open}{}{close}", cv::spell(self, inner));
    }

    fn link(&self, url: &str, text: &[Piece], out: &mut String) {
        let _ = write!(
            out,
            "<a href=\"{}\">{}</a>",
            escape(&url.replace(' ', "%20")),
            cv::spell(self, text)
        );
    }

    fn math(&self, tex: &str, out: &mut String) {
        match math::to_unicode(tex) {
            Some(unicode) => out.push_str(&escape(&unicode)),
            None => {
                let _ = write!(out, "<code>${}$</code>", escape(tex));
            }
        }
    }
}

/// The characters HTML reads as markup, in text or in quoted attributes,
/// and their references.
const REFERENCES: &[(char, &str)] = &[
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('"', "&quot;"),
    ('\'', "&#39;"),
];

/// Escapes what HTML reads as markup, in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match REFERENCES.iter().find(|(special, _)| *special == c) {
            Some((_, reference)) => out.push_str(reference),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(
            escape(r#"a<b> & "c" 'd'"#),
            "a&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;"
        );
    }
}
