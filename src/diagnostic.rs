//! Diagnostics: what readers and writers tell the user about the input.
//!
//! Every diagnostic names the file, line and column it is about and, where
//! there is something to do, says what. An [`Severity::Error`] means one
//! entry could not be converted and was left out; the rest still converts.

use std::fmt;
use std::fmt::Write as _;

use serde::Serialize;

/// The most characters of a line a diagnostic shows.
pub const QUOTED: usize = 120;

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
    /// The text of the line it points at, to show it: the whole line, or
    /// a stretch of a long one around the column, its cut ends marked `…`.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Where the caret stands under `source_line`, in characters from its
    /// start.
    #[serde(skip)]
    pub caret: usize,
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
            caret: 0,
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

    /// The line the diagnostic points at, shown under it with the caret at
    /// the column [`at`](Self::at) set. For a short line: finding the column
    /// counts the characters before it.
    pub fn line_text(self, text: &str) -> Self {
        let column = self.column.saturating_sub(1);
        let at = text
            .char_indices()
            .nth(column)
            .map_or(text.len(), |(at, _)| at);
        self.quote(text, at)
    }

    /// The line the diagnostic points at, with the caret at byte `at` of
    /// `text`. A line longer than [`QUOTED`] characters is cut to that many
    /// around `at`, or each diagnostic on a file written on one line would
    /// hold the whole file. `text` may itself be a stretch of the line, if
    /// it holds [`QUOTED`] characters more than it on each side where the
    /// line has them: what is shown is then the same.
    pub fn quote(mut self, text: &str, at: usize) -> Self {
        let text = text.trim_end_matches(['\r', '\n']);
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let (before, after) = text.split_at(at);
        // Each side counted up to one character more than could be shown.
        let before_count = before.chars().rev().take(QUOTED + 1).count();
        let after_count = after.chars().take(QUOTED + 1).count();
        let (shown, caret) = if before_count + after_count <= QUOTED {
            (text.to_owned(), before_count)
        } else {
            // At least a third of the room before the caret, where what
            // went wrong usually starts; the rest after it.
            let shown_before =
                before_count.min((QUOTED / 3).max(QUOTED.saturating_sub(after_count)));
            let shown_after = QUOTED - shown_before;
            let start = match shown_before {
                0 => at,
                shown => before
                    .char_indices()
                    .rev()
                    .nth(shown - 1)
                    .map_or(0, |(start, _)| start),
            };
            let end = after
                .char_indices()
                .nth(shown_after)
                .map_or(text.len(), |(end, _)| at + end);
            let cut_before = shown_before < before_count;
            let mut shown = String::with_capacity(end - start + 6);
            if cut_before {
                shown.push('…');
            }
            shown.push_str(&text[start..end]);
            if shown_after < after_count {
                shown.push('…');
            }
            (shown, shown_before + usize::from(cut_before))
        };
        self.source_line = Some(shown);
        self.caret = caret;
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
            let caret_at = self.caret;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(line: &str, column: usize) -> Diagnostic {
        Diagnostic::new(Severity::Warning, "test::quote", "m")
            .at("f", 1, column)
            .line_text(line)
    }

    /// Every column of short and long lines, plain and accented: at most
    /// [`QUOTED`] characters shown, the caret under the column's character,
    /// and the cut ends marked.
    #[test]
    fn long_lines_are_quoted_around_the_column() {
        let lines = [
            "short line".to_owned(),
            "x".repeat(QUOTED),
            "y".repeat(QUOTED + 1),
            "Müller, Ærø and “Ōtsuka” 😀 ".repeat(40),
            format!("{}\r\n", "crlf ".repeat(50)),
        ];
        for line in &lines {
            let whole = line.trim_end_matches(['\r', '\n']);
            let characters: Vec<char> = whole.chars().collect();
            for column in 1..=characters.len() + 1 {
                let diagnostic = quoted(line, column);
                let shown = diagnostic.source_line.as_deref().unwrap();
                let shown_characters: Vec<char> = shown.chars().collect();
                let cut_before = shown.starts_with('…') && !whole.starts_with('…');
                let cut_after = shown.ends_with('…') && shown_characters.len() > 1;
                let inner =
                    shown_characters.len() - usize::from(cut_before) - usize::from(cut_after);
                assert!(inner <= QUOTED, "{column}: {shown}");
                assert_eq!(
                    shown_characters.get(diagnostic.caret),
                    characters
                        .get(column - 1)
                        .filter(|_| diagnostic.caret < inner + usize::from(cut_before)),
                    "{column}: {shown}"
                );
                if characters.len() <= QUOTED {
                    assert_eq!(shown, whole);
                    assert_eq!(diagnostic.caret, column - 1);
                } else {
                    assert_eq!(inner, QUOTED, "{column}: {shown}");
                    let shown_before = diagnostic.caret - usize::from(cut_before);
                    assert_eq!(cut_before, column - 1 > shown_before, "{column}");
                    let text: String = shown_characters[usize::from(cut_before)..][..inner]
                        .iter()
                        .collect();
                    assert!(whole.contains(&text), "{column}: {shown}");
                }
            }
        }
    }

    /// A stretch of the line with [`QUOTED`] characters more than it on
    /// each side is quoted as the whole line is.
    #[test]
    fn a_stretch_of_the_line_is_quoted_as_the_line() {
        let line = "ab, “cd” é😀 ".repeat(100);
        let starts: Vec<usize> = line.char_indices().map(|(at, _)| at).collect();
        for (index, &at) in starts.iter().enumerate() {
            let whole = Diagnostic::new(Severity::Note, "test::quote", "m").quote(&line, at);
            let from = starts[index.saturating_sub(QUOTED + 1)];
            let to = starts
                .get(index + QUOTED + 1)
                .copied()
                .unwrap_or(line.len());
            let stretch = Diagnostic::new(Severity::Note, "test::quote", "m")
                .quote(&line[from..to], at - from);
            assert_eq!(
                (&whole.source_line, whole.caret),
                (&stretch.source_line, stretch.caret),
                "{at}"
            );
        }
    }

    #[test]
    fn the_caret_stands_under_the_column() {
        let line = format!("{}{}", "é".repeat(200), "X".repeat(200));
        let rendered = quoted(&line, 201).render(false);
        let lines: Vec<&str> = rendered.lines().collect();
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('X'), "{rendered}");
        assert_eq!(lines[1].chars().nth(caret - 1), Some('é'), "{rendered}");
    }
}
