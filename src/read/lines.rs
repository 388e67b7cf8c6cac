//! Where a byte offset of a text is in its file: the line, the column in
//! characters, and the line's text a diagnostic quotes.

use std::sync::Mutex;

use crate::diagnostic::Diagnostic;

/// Turns byte offsets of a text into 1-based lines and columns (in
/// characters), and places diagnostics there.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Where each of the text's lines starts.
    line_starts: Vec<usize>,
    /// The file's line the text's first line is.
    first_line: usize,
    /// A place whose column is known: the text may start within a line of
    /// its file.
    anchor: Known,
    /// The place last asked about. A column is counted from the nearest
    /// known place on its line, so that the diagnostics of a file on one
    /// long line (JSON often is) do not each count from its start.
    last: Mutex<Known>,
}

/// A place of the text whose column is known.
#[derive(Debug, Clone, Copy)]
struct Known {
    /// Its line, 0-based among the text's lines.
    line: usize,
    offset: usize,
    column: usize,
}

/// A byte of a text whose line and column in its file are known: where
/// a stretch of a file read on its own starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub at: usize,
    pub line: usize,
    pub column: usize,
}

impl Anchor {
    /// The start of a text that starts a line.
    pub const fn line_start(line: usize) -> Anchor {
        Anchor {
            at: 0,
            line,
            column: 1,
        }
    }
}

impl<'a> LineIndex<'a> {
    /// The lines of a whole file.
    pub fn new(text: &'a str) -> Self {
        LineIndex::within(text, 0, 1, 1)
    }

    /// The lines of a stretch of a file, whose byte `at` is on `line` and
    /// `column` of the file.
    pub fn within(text: &'a str, at: usize, line: usize, column: usize) -> Self {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
            .collect();
        let at = at.min(text.len());
        let anchor_line = line_starts.partition_point(|&start| start <= at) - 1;
        let anchor = Known {
            line: anchor_line,
            offset: at,
            column,
        };
        LineIndex {
            text,
            line_starts,
            first_line: line.saturating_sub(anchor_line).max(1),
            anchor,
            last: Mutex::new(anchor),
        }
    }

    /// The text of a line of the file, without its line end.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(index) = line.checked_sub(self.first_line) else {
            return "";
        };
        match self.line_starts.get(index) {
            Some(_) => self.line_bounds(index).0,
            None => "",
        }
    }

    /// The 1-based line of an offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_index(offset) + self.first_line
    }

    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // The known places on the line, and its start (column 1) unless the
        // text starts within it.
        let start = Known {
            line,
            offset: self.line_starts[line],
            column: 1,
        };
        let nearest = [*last, self.anchor]
            .into_iter()
            .filter(|known| known.line == line)
            .chain((line != self.anchor.line).then_some(start))
            .min_by_key(|known| known.offset.abs_diff(offset))
            .unwrap_or(start);
        let column = match offset >= nearest.offset {
            true => nearest.column + self.characters(nearest.offset, offset),
            false => nearest
                .column
                .saturating_sub(self.characters(offset, nearest.offset)),
        };
        *last = Known {
            line,
            offset,
            column,
        };
        (line + self.first_line, column)
    }

    /// The diagnostic placed at an offset: its line and column, and the
    /// line's text quoted.
    pub fn place(&self, diagnostic: Diagnostic, file: &str, offset: usize) -> Diagnostic {
        let offset = offset.min(self.text.len());
        let (line, column) = self.line_column(offset);
        let (text, start) = self.line_bounds(line - self.first_line);
        diagnostic
            .at(file, line, column)
            .quote(text, offset - start)
    }

    /// The 0-based line of an offset among the text's lines.
    fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// A line's text without its line end, and where it starts.
    fn line_bounds(&self, index: usize) -> (&'a str, usize) {
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next);
        let text = self.text.get(start..end).unwrap_or_default();
        (text.trim_end_matches(['\n', '\r']), start)
    }

    /// How many characters there are from `from` to `to`.
    fn characters(&self, from: usize, to: usize) -> usize {
        self.text
            .get(from..to)
            .map_or(0, |between| between.chars().count())
    }
}

/// The lines of a text typed or pasted line by line (a profile page, a
/// Scholar paste), split where a line feed ends them or a carriage return
/// alone does (as old Mac OS files and some copies end lines): a CRLF
/// line keeps its carriage return, for the reader to trim. The formats
/// read as a whole syntax (BibTeX, JSON, XML) take a carriage return for
/// a blank, and count lines by line feeds.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let bytes = current.as_bytes();
        let mut from = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[from..]) {
            let at = from + found;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                from = at + 1;
                continue;
            }
            rest = Some(&current[at + 1..]);
            return Some(&current[..at]);
        }
        rest = None;
        Some(current)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line feeds, CRLF and lone carriage returns each end a line; the
    /// pieces are the text's own, so their offsets hold.
    #[test]
    fn lines_end_at_line_feeds_and_lone_carriage_returns() {
        let cases: [(&str, &[&str]); 7] = [
            ("a\nb\n", &["a", "b", ""]),
            ("a\r\nb\r\n", &["a\r", "b\r", ""]),
            ("a\rb\rc", &["a", "b", "c"]),
            ("é\r\rñ\r\n\nx", &["é", "", "ñ\r", "", "x"]),
            ("\r", &["", ""]),
            ("", &[""]),
            ("no end", &["no end"]),
        ];
        for (text, lines) in cases {
            assert_eq!(split_lines(text).collect::<Vec<_>>(), lines, "{text:?}");
            // Without a lone carriage return, as splitting at line feeds.
            if !text.replace("\r\n", "").contains('\r') {
                let by_feeds: Vec<&str> = text.split('\n').collect();
                assert_eq!(split_lines(text).collect::<Vec<_>>(), by_feeds, "{text:?}");
            }
        }
    }

    #[test]
    fn offsets_become_lines_and_columns() {
        let index = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(index.line_column(0), (1, 1));
        assert_eq!(index.line_column(3), (2, 1));
        assert_eq!(index.line_column(5), (2, 2));
        assert_eq!(index.line_column(7), (3, 1));
        assert_eq!(index.line_column(99), (4, 2));
        assert_eq!(index.line_text(2), "çd");
        assert_eq!(index.line_text(5), "");
    }

    /// Columns asked in any order, on a long line, are the ones counted
    /// from its start.
    #[test]
    fn columns_counted_from_the_last_place_are_counted_from_the_start() {
        let text = "é, x\r\n".repeat(3) + &"aé€😀 ".repeat(500) + "\nend";
        let counted = |offset: usize| {
            let line = text[..offset].matches('\n').count() + 1;
            let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            (line, text[start..offset].chars().count() + 1)
        };
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..text.len())
            .filter(|&at| text.is_char_boundary(at))
            .collect();
        // Forward, backward, and hopping about.
        let hops = (0..offsets.len()).map(|step| offsets[step * 7919 % offsets.len()]);
        for offset in offsets
            .iter()
            .copied()
            .chain(offsets.iter().rev().copied())
            .chain(hops)
        {
            assert_eq!(index.line_column(offset), counted(offset), "{offset}");
        }
    }

    /// A stretch of a file, starting within a line, numbers its lines and
    /// columns as the whole file does.
    #[test]
    fn a_stretch_numbers_as_its_file() {
        let file = "[\n{\"a\": 1}, {\"é\": 2}, {\"b\": 3},\n{\"c\": 4}\n]";
        let whole = LineIndex::new(file);
        let from = file.find("{\"é").unwrap() - 3;
        let stretch = &file[from..];
        let anchor = from + 3;
        let (line, column) = whole.line_column(anchor);
        let part = LineIndex::within(stretch, 3, line, column);
        for offset in (anchor..file.len()).filter(|&at| file.is_char_boundary(at)) {
            assert_eq!(part.line_column(offset - from), whole.line_column(offset));
            assert_eq!(part.line(offset - from), whole.line(offset));
        }
        assert_eq!(part.line_text(3), "{\"c\": 4}");
    }
}
