//! Diagnostics: what readers and writers tell the user about the input.
//!
//! Every diagnostic names the file, line and column it is about and, where
//! there is something to do, says what. An [`Severity::Error`] means one
//! entry could not be converted and was left out; the rest still converts.

use std::fmt;
use std::fmt::Write as _;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was read in a way the user may want to know about.
    Note,
    /// Something looks wrong but was converted anyway.
    Warning,
    /// An entry could not be converted and was left out of the output.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier for scripts, such as `profile::invalid-date`.
    pub code: &'static str,
    /// The input's name as the user gave it (`-` is standard input).
    pub file: String,
    /// 1-based line; 0 when the diagnostic is about the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// The key of the entry it is about, when known.
    pub key: Option<String>,
    /// The value it is about, by its CSL variable name (`issued`,
    /// `jurisdiction`, `type`), when it is about one: `lost` warnings say
    /// which value an output could not hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The text of the line it points at, to show it.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            file: String::new(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            key: None,
            field: None,
            source_line: None,
        }
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The line the diagnostic points at, shown under it.
    pub fn line_text(mut self, text: &str) -> Self {
        self.source_line = Some(text.trim_end_matches(['\r', '\n']).to_owned());
        self
    }

    /// One JSON object, for `--message-format json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// For people: the location and message, the offending line with a
    /// caret under the column, and the hint; in colour when asked.
    pub fn render(&self, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_owned()
            }
        };
        let severity = match self.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
            Severity::Note => paint("1;36", "note"),
        };
        let mut out = String::new();
        match (self.file.as_str(), self.line) {
            ("", _) => {}
            (file, 0) => {
                let _ = write!(out, "{}: ", paint("1", file));
            }
            (file, line) => {
                let _ = write!(
                    out,
                    "{}: ",
                    paint("1", &format!("{file}:{line}:{}", self.column))
                );
            }
        }
        let _ = write!(out, "{severity}: {}", self.message);
        if let (Some(text), true) = (&self.source_line, self.line > 0) {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            let _ = write!(out, "\n {number} | {text}");
            let caret_at = self.column.saturating_sub(1).min(text.chars().count());
            let _ = write!(
                out,
                "\n {gutter} | {}{}",
                " ".repeat(caret_at),
                paint("1;32", "^")
            );
        }
        if let Some(hint) = &self.hint {
            let _ = write!(out, "\n  hint: {hint}");
        }
        out
    }

    pub fn at(mut self, file: &str, line: usize, column: usize) -> Self {
        self.file = file.to_owned();
        self.line = line;
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: severity: message`, then the hint on its own line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.as_str(), self.line) {
            ("", _) => {}
            (file, 0) => write!(f, "{file}: ")?,
            (file, line) => write!(f, "{file}:{line}:{}: ", self.column)?,
        }
        write!(f, "{}: {}", self.severity, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}
