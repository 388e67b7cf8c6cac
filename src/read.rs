//! Readers: one module per input format, each turning text into the model.
//!
//! [`InputFormat`] is the list of readers. Adding a format is one module
//! here and one variant there.

pub mod bibtex;
pub mod profile;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Date, Library};

/// One input as text, with the name diagnostics call it by.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Settings that change how inputs are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The date a profile dump was captured: dates without a year are read
    /// as the latest such date not after it.
    pub as_of: Date,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            as_of: Date::today(),
        }
    }
}

/// What a reader made of one input.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A researcher's profile page copied as text (Scholar Feed layout).
    Profile,
}

impl InputFormat {
    pub const ALL: &'static [InputFormat] = &[InputFormat::Profile];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Profile => "profile",
        }
    }

    pub fn from_name(name: &str) -> Option<InputFormat> {
        Self::ALL
            .iter()
            .copied()
            .find(|format| format.name() == name)
    }

    /// Guesses the format from the file's extension, then from its content.
    pub fn detect(path: Option<&Path>, text: &str) -> Option<InputFormat> {
        let extension = path
            .and_then(Path::extension)
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        let by_extension = Self::ALL.iter().copied().find(|format| {
            extension
                .as_deref()
                .is_some_and(|extension| format.extensions().contains(&extension))
                && format.recognizes(text)
        });
        by_extension.or_else(|| {
            Self::ALL
                .iter()
                .copied()
                .find(|format| format.recognizes(text))
        })
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            InputFormat::Profile => &["txt", "text"],
        }
    }

    fn recognizes(self, text: &str) -> bool {
        match self {
            InputFormat::Profile => profile::recognizes(text),
        }
    }

    pub fn read(self, source: Source<'_>, options: &ReadOptions) -> Reading {
        match self {
            InputFormat::Profile => profile::read_profile(source, options),
        }
    }
}

/// Decodes an input's bytes: UTF-8 with or without a byte-order mark. Bytes
/// that are not UTF-8 are replaced (U+FFFD) and reported.
pub fn decode(bytes: &[u8], name: &str) -> (String, Option<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(error) => {
            let (line, column) = line_column(bytes, error.valid_up_to());
            let warning = Diagnostic::new(
                Severity::Warning,
                "input::not-utf8",
                "the file is not valid UTF-8; undecodable bytes were replaced by U+FFFD",
            )
            .at(name, line, column)
            .hint("save the file as UTF-8");
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}
