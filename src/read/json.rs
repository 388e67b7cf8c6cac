//! What the readers of scholarly APIs' JSON (OpenAlex, Semantic Scholar,
//! DBLP's search) share: placing serde_json's errors in the file, finding the JSON path of
//! the value that made a record the wrong shape, identifiers written as a
//! string or a number, and naming a JSON file of another kind.
//!
//! Records are read with serde derive, borrowing strings from the text;
//! only when a record fails is it read again as a `Value` to find which of
//! its values is wrong, so that the warning can name it
//! (`results[3].title`) while the other records are read.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Work;
use crate::read::LineIndex;

/// Places diagnostics given as byte offsets of the text in the file.
pub struct Locator<'a> {
    pub file: &'a str,
    pub text: &'a str,
    lines: LineIndex<'a>,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Locator {
            file,
            text,
            lines: LineIndex::new(text),
        }
    }

    /// The diagnostic, placed at a byte offset of the text.
    pub fn at(&self, diagnostic: Diagnostic, offset: usize) -> Diagnostic {
        self.lines.place(diagnostic, self.file, offset)
    }

    /// Where `part` (a slice of the text, such as a record's raw JSON)
    /// starts, as a byte offset of the text.
    pub fn offset_of(&self, part: &str) -> usize {
        (part.as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len())
    }

    /// The offset in the text of serde_json's 1-based line and column
    /// counted in `part`.
    pub fn error_offset(&self, part: &str, error: &serde_json::Error) -> usize {
        self.offset_of(part) + offset_in(part, error.line(), error.column())
    }

    /// The error that refuses a file that is not JSON at all, at the line
    /// and column where it stops being JSON; `parsed` is the part of the
    /// text that was parsed (all of it but a byte-order mark).
    pub fn not_json(
        &self,
        code: &'static str,
        parsed: &str,
        error: &serde_json::Error,
        hint: &str,
    ) -> Diagnostic {
        let offset = self.error_offset(parsed, error);
        let message = format!("the file is not valid JSON: {}", without_position(error));
        self.at(Diagnostic::new(Severity::Error, code, message), offset)
            .hint(hint)
    }
}

/// How a reader names its records, for the warning that skips one of the
/// wrong shape.
pub struct RecordNames {
    pub code: &'static str,
    /// The record, when no value in it can be named: `the work`.
    pub whole: &'static str,
    /// What a record is: `an OpenAlex work`.
    pub kind: &'static str,
    /// One record, in `this work was skipped`.
    pub noun: &'static str,
    pub hint: &'static str,
}

impl Locator<'_> {
    /// A record, `raw` at the JSON path `path`, read as `T`; else the
    /// warning that skips it, naming the wrong value by its JSON path (see
    /// [`wrong_part`]; `parses` tells whether a text reads as `T`), at the
    /// place serde stopped.
    pub fn record<'t, T: serde::Deserialize<'t>>(
        &self,
        names: &RecordNames,
        path: &str,
        raw: &'t str,
        parses: &dyn Fn(&str) -> bool,
        searches: &mut usize,
    ) -> Result<T, Diagnostic> {
        let error = match serde_json::from_str::<T>(raw) {
            Ok(record) => return Ok(record),
            Err(error) => error,
        };
        let what = wrong_part(path, raw, parses, searches, names.whole);
        let message = format!(
            "{what} is not what {} has there ({}); this {} was skipped",
            names.kind,
            without_position(&error),
            names.noun
        );
        let warning = Diagnostic::new(Severity::Warning, names.code, message).hint(names.hint);
        Err(self.at(warning, self.error_offset(raw, &error)))
    }
}

/// The works read from a file's records, each given with its JSON path
/// (`read` gives none for a record it skipped), and where each work's
/// record starts in the text.
pub fn works_of<'t>(
    locator: &Locator<'_>,
    records: Vec<(String, &'t str)>,
    mut read: impl FnMut(&str, &'t str) -> Option<Work>,
) -> (Vec<Work>, Vec<usize>) {
    let mut works = Vec::with_capacity(records.len());
    let mut offsets = Vec::with_capacity(records.len());
    for (path, raw) in records {
        if let Some(work) = read(&path, raw) {
            works.push(work);
            offsets.push(locator.offset_of(raw));
        }
    }
    (works, offsets)
}

/// serde_json's message without the position it appends (` at line 1
/// column 71`): the diagnostic gives the position, counted in the file.
pub fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => message,
    }
}

/// The byte offset of serde_json's 1-based line and column in `text`
/// (the column counts bytes).
fn offset_in(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(at, _)| at + 1)
    };
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How many records of a file the search for a wrong value is made for
/// (each reads its record again up to `MOST_TRIES` times): past it, a
/// warning names the record only, so that a large file of broken records
/// is read in about the time of a good one.
pub const MOST_SEARCHES: usize = 50;

/// What to name in the warning about a record serde could not read:
/// `` `results[2].authorships[1].author` `` (the record's path, then the
/// value found to make it wrong), or `whole` ("the work") when neither is
/// known. The search runs for the first [`MOST_SEARCHES`] records a
/// reader counts in `searches`; past them the record's path is named.
pub fn wrong_part(
    path: &str,
    raw: &str,
    parses: &dyn Fn(&str) -> bool,
    searches: &mut usize,
    whole: &str,
) -> String {
    *searches += 1;
    let below = if *searches <= MOST_SEARCHES {
        wrong_value_path(raw, parses)
    } else {
        String::new()
    };
    let wrong = format!("{path}{below}");
    match wrong.trim_start_matches('.') {
        "" => whole.to_owned(),
        wrong => format!("`{wrong}`"),
    }
}

/// How many values the search for a wrong one tries at most, so that a
/// huge broken record costs little: past it, the path stops where it got.
const MOST_TRIES: usize = 400;

/// The JSON path, below the record, of the value that keeps `raw` from
/// being read (`.title`, `.authorships[2].author`; empty when it is the
/// record itself): the value whose removal lets `parses` accept the
/// record, narrowed down one level at a time.
pub fn wrong_value_path(raw: &str, parses: &dyn Fn(&str) -> bool) -> String {
    let Ok(mut root) = serde_json::from_str::<Value>(raw) else {
        return String::new();
    };
    let mut path: Vec<Step> = Vec::new();
    let mut tries = 0;
    'descend: while let Some(node) = node_at(&root, &path) {
        let steps: Vec<Step> = match node {
            Value::Object(map) => map.keys().cloned().map(Step::Key).collect(),
            Value::Array(items) => (0..items.len()).map(Step::Index).collect(),
            _ => break,
        };
        for step in steps {
            tries += 1;
            if tries > MOST_TRIES {
                break 'descend;
            }
            let Some(taken) = take(&mut root, &path, &step) else {
                continue;
            };
            let fixed = parses(&root.to_string());
            put_back(&mut root, &path, &step, taken);
            if fixed {
                path.push(step);
                continue 'descend;
            }
        }
        break;
    }
    path.iter().map(Step::to_string).collect()
}

enum Step {
    Key(String),
    Index(usize),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Key(key) => write!(f, ".{key}"),
            Step::Index(index) => write!(f, "[{index}]"),
        }
    }
}

fn node_at<'v>(root: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get(key),
        Step::Index(index) => node.get(index),
    })
}

fn node_at_mut<'v>(root: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get_mut(key),
        Step::Index(index) => node.get_mut(index),
    })
}

fn take(root: &mut Value, path: &[Step], step: &Step) -> Option<Value> {
    match (node_at_mut(root, path)?, step) {
        (Value::Object(map), Step::Key(key)) => map.remove(key),
        (Value::Array(items), Step::Index(index)) if *index < items.len() => {
            Some(items.remove(*index))
        }
        _ => None,
    }
}

fn put_back(root: &mut Value, path: &[Step], step: &Step, value: Value) {
    match (node_at_mut(root, path), step) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.insert(key.clone(), value);
        }
        (Some(Value::Array(items)), Step::Index(index)) => items.insert(*index, value),
        _ => {}
    }
}

/// An identifier APIs write as a string or as a number (`"mag":
/// "2747458887"` and `"mag": 2747458887` both occur; Semantic Scholar's
/// `CorpusId` is a number): its text, `None` for null or empty.
pub fn string_or_number<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Scalar;

    impl<'de> Visitor<'de> for Scalar {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            let text = text.trim();
            Ok((!text.is_empty()).then(|| text.to_owned()))
        }

        fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
            Ok(Some(number.to_string()))
        }

        fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
            Ok(Some(number.to_string()))
        }

        fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
            Ok(Some(number.to_string()))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_any(Scalar)
        }
    }

    deserializer.deserialize_any(Scalar)
}

/// What a JSON text that is not the format asked for is, in a few words,
/// with the `--from` that reads it when pubconv has one.
pub fn kind_of(text: &str) -> String {
    use crate::read::{csl, dblp_search, openalex, semantic_scholar};
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if openalex::recognizes(trimmed) {
        return "OpenAlex works JSON (read it with `--from openalex`)".to_owned();
    }
    if let Some(entity) = openalex::other_entity(trimmed) {
        return format!("an OpenAlex {entity}, not a work");
    }
    if semantic_scholar::recognizes(trimmed) {
        return "Semantic Scholar papers JSON (read it with `--from semantic-scholar`)".to_owned();
    }
    if dblp_search::recognizes(trimmed) {
        return "DBLP's search JSON (read it with `--from dblp-search`)".to_owned();
    }
    if csl::recognizes(trimmed) {
        return "CSL-JSON (read it with `--from csl-json`)".to_owned();
    }
    match csl::other_json_keys(trimmed).as_deref() {
        Some("") => "an empty JSON object".to_owned(),
        Some(keys) => format!("a JSON object with the keys {keys}"),
        None if trimmed.starts_with('[') => "a JSON array of something else".to_owned(),
        None => "JSON of another kind".to_owned(),
    }
}

/// The text's first `look` bytes, or fewer to end on a character.
pub fn head(text: &str, look: usize) -> &str {
    let mut end = text.len().min(look);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether the text has `"key"` followed by `:` (a key, not a value), in
/// its first `look` bytes.
pub fn has_key(text: &str, key: &str, look: usize) -> bool {
    let head = head(text, look);
    let quoted = format!("\"{key}\"");
    memchr::memmem::find_iter(head.as_bytes(), quoted.as_bytes())
        .any(|at| head[at + quoted.len()..].trim_start().starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Record {
        title: Option<String>,
        people: Option<Vec<Person>>,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Person {
        name: Option<String>,
    }

    fn parses(text: &str) -> bool {
        serde_json::from_str::<Record>(text).is_ok()
    }

    #[test]
    fn the_wrong_value_is_found_at_any_depth() {
        assert_eq!(wrong_value_path(r#"{"title": 3}"#, &parses), ".title");
        assert_eq!(
            wrong_value_path(
                r#"{"title": "x", "people": [{"name": "a"}, {"name": ["b"]}]}"#,
                &parses
            ),
            ".people[1].name"
        );
        assert_eq!(wrong_value_path("\"text\"", &parses), "");
    }

    #[test]
    fn keys_are_told_from_values() {
        assert!(has_key(r#"{"paperId" : "x"}"#, "paperId", 100));
        assert!(!has_key(r#"{"title": "paperId"}"#, "paperId", 100));
        assert!(!has_key(r#"{"title": "x", "paperId": 1}"#, "paperId", 12));
    }
}
