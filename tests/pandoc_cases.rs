//! pandoc's own BibLaTeX/BibTeX → CSL test cases (`../shared/corpus/pandoc/`),
//! compared field by field with pubconv's CSL-JSON.
//!
//! Every field of pandoc's expected output is classified as agreeing, as an
//! intended difference (listed in [`intended_difference`], the one place
//! they are decided), or as differing. The test prints the counts and the
//! differing fields, and fails if fewer cases agree than last measured.
//! It is skipped, saying so, where the shared corpus is absent.

use std::path::{Path, PathBuf};

use pubconv::convert::{convert, Input, Request};
use pubconv::read::{InputFormat, ReadOptions};
use pubconv::write::OutputFormat;
use serde_json::Value;

/// Cases whose every field agrees or differs only as intended; raise it as
/// pubconv improves.
const AGREEING_CASES_AT_LEAST: usize = 127;

fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/pandoc");
    path.join("cases.tsv").exists().then_some(path)
}

/// Why pubconv deliberately writes a field differently from pandoc.
fn intended_difference(field: &str, expected: &str, ours: &str) -> Option<&'static str> {
    const CASED: &[&str] = &[
        "title",
        "title-short",
        "collection-title",
        "volume-title",
        "container-title",
        "event-title",
        "original-title",
    ];
    if CASED.contains(&field) && expected.to_lowercase() == ours.to_lowercase() {
        return Some("pandoc sentence-cases titles; pubconv keeps them as written");
    }
    if field == "type" && expected.is_empty() && ours == "document" {
        return Some("pandoc leaves @misc untyped; pubconv writes CSL's `document`");
    }
    if field == "title" && expected.contains('$') && !ours.contains('$') {
        return Some("pubconv writes simple math as Unicode; pandoc keeps TeX");
    }
    None
}

#[derive(Default)]
struct Tally {
    cases: usize,
    agreeing_cases: usize,
    fields: usize,
    agree: usize,
    intended: usize,
    differing: Vec<String>,
    reasons: std::collections::BTreeMap<&'static str, usize>,
}

#[test]
fn pandoc_biblatex_to_csl_cases() {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus/pandoc is absent");
        return;
    };
    let cases = std::fs::read_to_string(corpus.join("cases.tsv")).unwrap();
    let mut tally = Tally::default();
    for row in cases.lines().skip(1) {
        let columns: Vec<&str> = row.split('\t').collect();
        let [input, expected, from, to, ..] = columns[..] else {
            continue;
        };
        if !matches!(from, "biblatex" | "bibtex") || !matches!(to, "csl-yaml" | "csl-json") {
            continue;
        }
        let expected_items = expected_items(&corpus.join(expected), to);
        let ours = our_items(&corpus.join(input));
        compare_case(input, &expected_items, to == "csl-yaml", &ours, &mut tally);
    }
    eprintln!(
        "pandoc cases: {} of {} agree field by field (intended differences aside); fields: {} agree, {} differ as intended, {} differ",
        tally.agreeing_cases,
        tally.cases,
        tally.agree,
        tally.intended,
        tally.differing.len()
    );
    for (reason, count) in &tally.reasons {
        eprintln!("  intended ({count}): {reason}");
    }
    for line in &tally.differing {
        eprintln!("  differs: {line}");
    }
    assert!(
        tally.cases >= 130,
        "the corpus lists the BibLaTeX → CSL cases"
    );
    assert!(
        tally.agreeing_cases >= AGREEING_CASES_AT_LEAST,
        "fewer pandoc cases agree than before: {}",
        tally.agreeing_cases
    );
}

/// `markdown`: the expected strings are pandoc Markdown (the YAML cases),
/// not CSL's HTML-like markup.
fn compare_case(name: &str, expected: &[Value], markdown: bool, ours: &[Value], tally: &mut Tally) {
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
                    "{name} [{id}] {field}: pandoc `{expected_text}`, pubconv `{our_text}`"
                ));
            }
        }
    }
    if tally.differing.len() == differing_before {
        tally.agreeing_cases += 1;
    }
}

fn our_items(bib: &Path) -> Vec<Value> {
    let input = Input {
        name: bib.display().to_string(),
        path: Some(bib.to_owned()),
        bytes: std::fs::read(bib).unwrap(),
    };
    let request = Request {
        from: Some(InputFormat::Bibtex),
        to: OutputFormat::CslJson,
        read: ReadOptions::default(),
    };
    let conversion = convert(&[input], &request).unwrap();
    serde_json::from_str::<Vec<Value>>(&conversion.output).unwrap()
}

fn expected_items(path: &Path, format: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    if format == "csl-json" {
        return serde_json::from_str(&text).unwrap();
    }
    let documents = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let json = yaml_to_json(&documents[0]);
    json["references"].as_array().cloned().unwrap_or_default()
}

fn yaml_to_json(yaml: &yaml_rust2::Yaml) -> Value {
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
