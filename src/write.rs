//! Writers: one module per output format, each turning the model into text.
//!
//! [`OutputFormat`] is the list of writers. Adding a format is one module
//! here and one variant there.

pub mod bibtex;
pub mod csl;
pub mod cv;
pub mod html;
pub mod latex;
pub mod markdown;
pub mod site;

use std::io::Write;

use crate::diagnostic::Diagnostic;
use crate::key::KeyPattern;
use crate::model::Library;

/// Settings that change how outputs are written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How keys are made for works that have none.
    pub key_pattern: KeyPattern,
    /// BibTeX, BibLaTeX and LaTeX in plain ASCII (`{\"o}`, `--`), for
    /// classic bibtex and old LaTeX set-ups.
    pub ascii: bool,
    /// The CV section's layout and choice of works, for every CV output
    /// (Markdown, LaTeX, HTML).
    pub markdown: markdown::Options,
    /// LaTeX and HTML: a whole document rather than a section to paste.
    pub standalone: bool,
    /// The citation style CV items are formatted in (`--style`); `None`
    /// keeps the default layout. Loaded once, shared by every output.
    pub style: Option<std::sync::Arc<crate::style::CitationStyle>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Bibtex,
    Biblatex,
    CslJson,
    Markdown,
    Latex,
    Html,
}

impl OutputFormat {
    pub const ALL: &'static [OutputFormat] = &[
        OutputFormat::Bibtex,
        OutputFormat::Biblatex,
        OutputFormat::CslJson,
        OutputFormat::Markdown,
        OutputFormat::Latex,
        OutputFormat::Html,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Bibtex => "bibtex",
            OutputFormat::Biblatex => "biblatex",
            OutputFormat::CslJson => "csl-json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Latex => "latex",
            OutputFormat::Html => "html",
        }
    }

    /// The file extension its files take.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Bibtex | OutputFormat::Biblatex => "bib",
            OutputFormat::CslJson => "json",
            OutputFormat::Markdown => "md",
            OutputFormat::Latex => "tex",
            OutputFormat::Html => "html",
        }
    }

    /// Whether it is a CV section, which the CV options shape.
    pub fn is_cv(self) -> bool {
        matches!(
            self,
            OutputFormat::Markdown | OutputFormat::Latex | OutputFormat::Html
        )
    }

    /// The format of a name as given on the command line, in any case.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Self::ALL
            .iter()
            .copied()
            .find(|format| format.name().eq_ignore_ascii_case(name))
    }

    /// The formats a file of this extension can hold (`.bib`: BibTeX and
    /// BibLaTeX), the usual first.
    pub fn for_extension(extension: &str) -> &'static [OutputFormat] {
        match extension.to_ascii_lowercase().as_str() {
            "bib" => &[OutputFormat::Biblatex, OutputFormat::Bibtex],
            "json" => &[OutputFormat::CslJson],
            "md" | "markdown" => &[OutputFormat::Markdown],
            "tex" => &[OutputFormat::Latex],
            "html" | "htm" => &[OutputFormat::Html],
            _ => &[],
        }
    }

    /// What it is, in a few words.
    pub fn description(self) -> &'static str {
        match self {
            OutputFormat::Bibtex => "classic BibTeX, for bibtex and natbib",
            OutputFormat::Biblatex => "BibLaTeX, for biber",
            OutputFormat::CslJson => "CSL-JSON items, for pandoc, Zotero and citeproc",
            OutputFormat::Markdown => "a Markdown CV section",
            OutputFormat::Latex => "a LaTeX CV section, or a document with --standalone",
            OutputFormat::Html => "an HTML CV section, or a page with --standalone",
        }
    }

    /// How many of the library's works the output holds: all of them, but
    /// for a CV, whose options choose some.
    pub fn works_written(self, library: &Library, options: &Options) -> usize {
        match self {
            format if format.is_cv() => cv::chosen(library, options).len(),
            _ => library.works.len(),
        }
    }

    /// A writer taking one work at a time, for formats that need no sight
    /// of the whole library (so that any size of input can be streamed).
    pub fn stream_writer(self) -> Option<StreamWriter> {
        match self {
            OutputFormat::CslJson => Some(StreamWriter {
                render: csl::render_item,
                open: b"[\n",
                separator: b",\n",
                close: b"\n]\n",
                empty: b"[]\n",
                started: false,
            }),
            _ => None,
        }
    }

    /// For the CV outputs, the writer of a section built work by work
    /// ([`cv::Collector`]), for works read as a stream.
    pub fn section_writer(self) -> Option<SectionWriter> {
        let (spell_item, write): (cv::SpellItem, WriteSection) = match self {
            OutputFormat::Markdown => (markdown::spell_item, markdown::write_section),
            OutputFormat::Latex => (latex::spell_item, latex::write_section),
            OutputFormat::Html => (html::spell_item, html::write_section),
            _ => return None,
        };
        Some(SectionWriter { spell_item, write })
    }

    /// The library in this format; [`Self::write_reporting`] also says
    /// what the format could not hold.
    pub fn write(self, library: &Library, options: &Options) -> String {
        self.write_reporting(library, options, &mut Vec::new())
    }

    /// The library in this format, with a `lost` warning in `lost` for
    /// each value the format cannot hold as it was.
    pub fn write_reporting(
        self,
        library: &Library,
        options: &Options,
        lost: &mut Vec<Diagnostic>,
    ) -> String {
        match self {
            OutputFormat::Bibtex => bibtex::write(library, bibtex::Dialect::Bibtex, options, lost),
            OutputFormat::Biblatex => {
                bibtex::write(library, bibtex::Dialect::Biblatex, options, lost)
            }
            OutputFormat::CslJson => csl::write(library, options),
            OutputFormat::Markdown => markdown::write(library, options),
            OutputFormat::Latex => latex::write(library, options),
            OutputFormat::Html => html::write(library, options),
        }
    }
}

/// See [`OutputFormat::section_writer`]: how a CV output spells an item,
/// and the section of items spelt so.
#[derive(Clone, Copy)]
pub struct SectionWriter {
    pub spell_item: cv::SpellItem,
    pub write: WriteSection,
}

/// Writes a CV section in an output's markup, group by group, to `out`.
pub type WriteSection = fn(&cv::Section, &Options, &mut dyn std::fmt::Write) -> std::fmt::Result;

/// A CV section written as one text.
pub fn section_text(write: WriteSection, section: &cv::Section, options: &Options) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write(section, options, &mut text);
    text
}

/// See [`OutputFormat::stream_writer`]: an output that is its works, each
/// rendered on its own, joined by fixed text.
#[derive(Clone, Copy)]
pub struct StreamWriter {
    /// Adds one work, cited by the key given, as it stands in the output:
    /// a plain function, so that works can be rendered side by side.
    pub render: fn(&crate::model::Work, String, &mut Vec<u8>),
    /// Before the first work, between two, after the last; and the whole
    /// output when there is no work.
    pub open: &'static [u8],
    pub separator: &'static [u8],
    pub close: &'static [u8],
    pub empty: &'static [u8],
    started: bool,
}

impl StreamWriter {
    /// Writes a rendered work, or works rendered one after another with
    /// the separator between them.
    pub fn push(&mut self, out: &mut dyn Write, rendered: &[u8]) -> std::io::Result<()> {
        out.write_all(if self.started {
            self.separator
        } else {
            self.open
        })?;
        self.started = true;
        out.write_all(rendered)
    }

    /// Writes what ends the output.
    pub fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(if self.started { self.close } else { self.empty })
    }
}
