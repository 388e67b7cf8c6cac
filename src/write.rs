//! Writers: one module per output format, each turning the model into text.
//!
//! [`OutputFormat`] is the list of writers. Adding a format is one module
//! here and one variant there.

pub mod bibtex;
pub mod csl;
pub mod markdown;

use crate::key::KeyPattern;
use crate::model::Library;

/// Settings that change how outputs are written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How keys are made for works that have none.
    pub key_pattern: KeyPattern,
    /// BibTeX and BibLaTeX in plain ASCII (`{\"o}`, `--`), for classic
    /// bibtex and old LaTeX set-ups.
    pub ascii: bool,
    /// The Markdown CV section's layout.
    pub markdown: markdown::Options,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Bibtex,
    Biblatex,
    CslJson,
    Markdown,
}

impl OutputFormat {
    pub const ALL: &'static [OutputFormat] = &[
        OutputFormat::Bibtex,
        OutputFormat::Biblatex,
        OutputFormat::CslJson,
        OutputFormat::Markdown,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Bibtex => "bibtex",
            OutputFormat::Biblatex => "biblatex",
            OutputFormat::CslJson => "csl-json",
            OutputFormat::Markdown => "markdown",
        }
    }

    /// The file extension its files take.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Bibtex | OutputFormat::Biblatex => "bib",
            OutputFormat::CslJson => "json",
            OutputFormat::Markdown => "md",
        }
    }

    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Self::ALL
            .iter()
            .copied()
            .find(|format| format.name() == name)
    }

    /// A writer taking one work at a time, for formats that need no sight
    /// of the whole library (so that any size of input can be streamed).
    pub fn stream_writer(self) -> Option<StreamWriter> {
        match self {
            OutputFormat::CslJson => Some(StreamWriter::CslJson(csl::ItemWriter::default())),
            OutputFormat::Bibtex | OutputFormat::Biblatex | OutputFormat::Markdown => None,
        }
    }

    pub fn write(self, library: &Library, options: &Options) -> String {
        match self {
            OutputFormat::Bibtex => bibtex::write(library, bibtex::Dialect::Bibtex, options),
            OutputFormat::Biblatex => bibtex::write(library, bibtex::Dialect::Biblatex, options),
            OutputFormat::CslJson => csl::write(library, options),
            OutputFormat::Markdown => markdown::write(library, options),
        }
    }
}

/// See [`OutputFormat::stream_writer`].
pub enum StreamWriter {
    CslJson(csl::ItemWriter),
}

impl StreamWriter {
    /// Appends one work, cited as `key`, to `out`.
    pub fn write(&mut self, out: &mut Vec<u8>, work: &crate::model::Work, key: String) {
        match self {
            StreamWriter::CslJson(items) => items.write(out, work, key),
        }
    }

    /// Appends what ends the output.
    pub fn finish(self, out: &mut Vec<u8>) {
        match self {
            StreamWriter::CslJson(items) => items.finish(out),
        }
    }
}
