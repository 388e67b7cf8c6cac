//! Writers: one module per output format, each turning the model into text.
//!
//! [`OutputFormat`] is the list of writers. Adding a format is one module
//! here and one variant there.

pub mod bibtex;
pub mod csl;
pub mod markdown;

use crate::model::Library;

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

    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Self::ALL
            .iter()
            .copied()
            .find(|format| format.name() == name)
    }

    pub fn write(self, library: &Library) -> String {
        match self {
            OutputFormat::Bibtex => bibtex::write(library, bibtex::Dialect::Bibtex),
            OutputFormat::Biblatex => bibtex::write(library, bibtex::Dialect::Biblatex),
            OutputFormat::CslJson => csl::write(library),
            OutputFormat::Markdown => markdown::write(library),
        }
    }
}
