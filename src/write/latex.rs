//! The LaTeX writer: the CV section for a LaTeX CV, spelled from
//! [`cv::section`].
//!
//! `\section*{Publications}`, a `\subsection*` per group, and the items in
//! `enumerate` (forward numbering continues across groups with the
//! counter; a count-down gives each item its label, `\item[12.]`) or
//! `itemize` when unnumbered. Every TeX special character in the data is
//! escaped; non-ASCII stays UTF-8, or with `--ascii` becomes TeX accents.
//! Links are `\href`: the fragment first says `\providecommand\href[2]{#2}`,
//! so that it compiles without hyperref (the link's text shows) and links
//! where hyperref is loaded, as `--standalone`'s document does.

use std::fmt::Write as _;

use crate::model::{Library, Style};
use crate::tex::symbols::to_ascii;
use crate::write::bibtex::escape;
use crate::write::cv::{self, Numbering, Piece, Section};
use crate::write::Options as WriteOptions;

/// The preamble of `--standalone`'s document: what the fragment needs
/// (UTF-8 input, T1 fonts for accented letters, links). Latin Modern,
/// where installed, gives outline fonts whose text a PDF reader can copy;
/// without bookmarks, hyperref needs no second run.
const PREAMBLE: &str = "\\documentclass{article}\n\
\\usepackage[T1]{fontenc}\n\
\\usepackage[utf8]{inputenc}\n\
\\IfFileExists{lmodern.sty}{\\usepackage{lmodern}}{}\n\
\\usepackage[bookmarks=false]{hyperref}\n\
\\begin{document}\n";

/// Writes the CV section, or with `standalone` a whole document.
pub fn write(library: &Library, options: &WriteOptions) -> String {
    let section = cv::section(library, options, spell_item);
    super::section_text(write_section, &section, options)
}

/// An item's pieces in LaTeX.
pub fn spell_item(pieces: &[Piece], options: &WriteOptions) -> String {
    let spelling = Latex {
        ascii: options.ascii,
    };
    cv::spell(&spelling, pieces)
}

/// Writes a CV section built already, or with `standalone` a document.
pub fn write_section(
    section: &Section,
    options: &WriteOptions,
    out: &mut dyn std::fmt::Write,
) -> std::fmt::Result {
    let spelling = Latex {
        ascii: options.ascii,
    };
    if options.standalone {
        out.write_str(PREAMBLE)?;
    }
    out.write_str("\\providecommand\\href[2]{#2}\n")?;
    writeln!(out, "\\section*{{{}}}", spelling.escape(&section.heading))?;
    for group in &section.groups {
        if let Some(heading) = &group.heading {
            writeln!(out, "\n\\subsection*{{{}}}", spelling.escape(heading))?;
        }
        let list = match section.numbering {
            Numbering::None => "itemize",
            _ => "enumerate",
        };
        writeln!(out, "\\begin{{{list}}}")?;
        if let Some(start) = section.forward_start(group).filter(|&start| start > 1) {
            writeln!(out, "\\setcounter{{enumi}}{{{}}}", start - 1)?;
        }
        for item in &group.items {
            let text = &item.text;
            match (section.numbering, item.number) {
                (Numbering::Reverse, Some(number)) => writeln!(out, "\\item[{number}.] {text}"),
                _ => writeln!(out, "\\item {text}"),
            }?;
        }
        writeln!(out, "\\end{{{list}}}")?;
    }
    if options.standalone {
        out.write_str("\\end{document}\n")?;
    }
    Ok(())
}

/// Pieces as LaTeX, in UTF-8 or (`ascii`) in TeX's accents.
struct Latex {
    ascii: bool,
}

impl Latex {
    fn escape(&self, text: &str) -> String {
        let escaped = escape(text);
        if self.ascii {
            to_ascii(&escaped)
        } else {
            escaped
        }
    }
}

impl cv::Spelling for Latex {
    fn text(&self, text: &str, out: &mut String) {
        out.push_str(&self.escape(text));
    }

    fn styled(&self, style: Style, inner: &[Piece], out: &mut String) {
        let command = match style {
            Style::Emphasis => "emph",
            Style::Strong => "textbf",
            Style::SmallCaps => "textsc",
            Style::Superscript => "textsuperscript",
            Style::Subscript => "textsubscript",
        };
        let _ = write!(out, "\\{command}{{{}}}", cv::spell(self, inner));
    }

    fn link(&self, url: &str, text: &[Piece], out: &mut String) {
        let _ = write!(
            out,
            "\\href{{{}}}{{{}}}",
            url_argument(url),
            cv::spell(self, text)
        );
    }

    fn math(&self, tex: &str, out: &mut String) {
        let _ = write!(out, "${tex}$");
    }
}

/// A URL as `\href`'s argument: characters TeX cannot take in an argument
/// are percent-encoded, and `%` and `#` escaped, as hyperref reads them.
fn url_argument(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '\\' => out.push_str("\\%5C"),
            '{' => out.push_str("\\%7B"),
            '}' => out.push_str("\\%7D"),
            ' ' => out.push_str("\\%20"),
            '%' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_survive_tex() {
        assert_eq!(
            url_argument("https://x.org/a b%2F#c{d}"),
            r"https://x.org/a\%20b\%2F\#c\%7Bd\%7D"
        );
    }

    #[test]
    fn specials_are_escaped_and_ascii_spells_accents() {
        let latex = Latex { ascii: true };
        assert_eq!(
            latex.escape("Müller & 5% _x_ $"),
            r#"M{\"u}ller \& 5\% \_x\_ \$"#
        );
    }
}
