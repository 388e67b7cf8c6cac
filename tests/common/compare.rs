//! Comparing CSL items field by field with a peer's expected output
//! (pandoc's, citation-js's): shared by the peer-case tests.
#![allow(dead_code)]

use serde_json::Value;

/// Why pubconv deliberately writes a field differently from the peer,
/// decided by the test that compares.
pub type Intended = fn(field: &str, expected: &str, ours: &str) -> Option<&'static str>;

#[derive(Default)]
pub struct Tally {
    pub cases: usize,
    pub agreeing_cases: usize,
    pub fields: usize,
    pub agree: usize,
    pub intended: usize,
    pub differing: Vec<String>,
    pub reasons: std::collections::BTreeMap<&'static str, usize>,
}

impl Tally {
    pub fn print(&self, peer: &str) {
        eprintln!(
            "{peer} cases: {} of {} agree field by field (intended differences aside); fields: {} agree, {} differ as intended, {} differ",
            self.agreeing_cases,
            self.cases,
            self.agree,
            self.intended,
            self.differing.len()
        );
        for (reason, count) in &self.reasons {
            eprintln!("  intended ({count}): {reason}");
        }
        for line in &self.differing {
            eprintln!("  differs: {line}");
        }
    }
}

pub fn compare_case(
    name: &str,
    expected: &[Value],
    markdown: bool,
    ours: &[Value],
    intended_difference: Intended,
    tally: &mut Tally,
) {
    tally.cases += 1;
    let differing_before = tally.differing.len();
    for item in expected {
        let id = item["id"].as_str().unwrap_or_default();
        let Some(our_item) = ours.iter().find(|ours| ours["id"].as_str() == Some(id)) else {
            tally.differing.push(format!("{name} [{id}]: item missing"));
            continue;
        };
        let Some(fields) = item.as_object() else {
            continue;
        };
        for (field, value) in fields {
            if field == "id" {
                continue;
            }
            tally.fields += 1;
            let expected_text = canonical(value, markdown);
            // pandoc's YAML spells `URL`, `DOI`, `ISBN` in lower case.
            let ours = our_item
                .as_object()
                .and_then(|map| map.iter().find(|(key, _)| key.eq_ignore_ascii_case(field)));
            let our_text = ours.map_or_else(|| "∅".to_owned(), |(_, v)| canonical(v, false));
            if expected_text == our_text {
                tally.agree += 1;
            } else if let Some(reason) = intended_difference(field, &expected_text, &our_text) {
                tally.intended += 1;
                *tally.reasons.entry(reason).or_default() += 1;
            } else {
                tally.differing.push(format!(
                    "{name} [{id}] {field}: expected `{expected_text}`, pubconv `{our_text}`"
                ));
            }
        }
    }
    if tally.differing.len() == differing_before {
        tally.agreeing_cases += 1;
    }
}

pub fn yaml_to_json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::Real(text) | Yaml::String(text) => Value::String(text.clone()),
        Yaml::Integer(number) => Value::String(number.to_string()),
        Yaml::Boolean(flag) => Value::Bool(*flag),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    (
                        key.as_str().unwrap_or_default().to_owned(),
                        yaml_to_json(value),
                    )
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// A field's value as comparable text: markup, escapes and typographic
/// variants removed, dates as EDTF, names as their parts.
fn canonical(value: &Value, markdown: bool) -> String {
    let plain = |text: &str| plain(text, markdown);
    match value {
        Value::String(text) => plain(text),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| canonical(item, markdown))
            .collect::<Vec<_>>()
            .join(" & "),
        Value::Object(map) if map.contains_key("date-parts") => date_text(map),
        Value::Object(map) => {
            let part = |key: &str| {
                map.get(key)
                    .and_then(Value::as_str)
                    .map(&plain)
                    .unwrap_or_default()
            };
            let particle = [part("dropping-particle"), part("non-dropping-particle")].join("");
            format!(
                "{}|{}|{}|{}|{}",
                part("given"),
                particle,
                part("family"),
                part("suffix"),
                part("literal")
            )
        }
        Value::Null => String::new(),
    }
}

fn date_text(map: &serde_json::Map<String, Value>) -> String {
    let parts: Vec<String> = map["date-parts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parts| {
            parts
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, part)| {
                    let number = part.as_i64().unwrap_or(0);
                    let sign = if number < 0 { "-" } else { "" };
                    let digits = number.unsigned_abs();
                    if i == 0 {
                        format!("{sign}{digits:04}")
                    } else {
                        format!("{digits:02}")
                    }
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect();
    let mut text = parts.join("/");
    if let Some(raw) = map.get("raw").and_then(Value::as_str) {
        text = raw.replace("/..", "/");
    }
    if map
        .get("circa")
        .is_some_and(|circa| circa == &Value::Bool(true))
    {
        text.push('~');
    }
    text
}

/// Text without CSL HTML markup (and, for `markdown`, pandoc Markdown's),
/// with typography folded to ASCII and white space collapsed.
fn plain(text: &str, markdown: bool) -> String {
    let mut text = text.to_owned();
    for tag in [
        "<i>",
        "</i>",
        "<b>",
        "</b>",
        "<sc>",
        "</sc>",
        "<sup>",
        "</sup>",
        "<sub>",
        "</sub>",
        "<span class=\"nocase\">",
        "<span style=\"font-variant:small-caps;\">",
        "</span>",
    ] {
        text = text.replace(tag, "");
    }
    if markdown {
        for class in ["{.nocase}", "{.smallcaps}", "{.nodecor}", "{=latex}"] {
            text = text.replace(class, "");
        }
    }
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A code span's text is literal.
            '`' if markdown => {
                for c in chars.by_ref() {
                    if c == '`' {
                        break;
                    }
                    out.push(c);
                }
            }
            '\\' if markdown => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            // pandoc Markdown's emphasis, spans, superscript, subscript.
            '*' | '[' | ']' | '^' | '~' if markdown => {}
            '“' | '”' | '„' => out.push('"'),
            '‘' | '’' => out.push('\''),
            '–' => out.push_str("--"),
            '—' => out.push_str("---"),
            '…' => out.push_str("..."),
            '\u{a0}' => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
