//! The round-trip matrix: every `.bib` and CSL-JSON file of the corpus
//! (`../shared/corpus/`) and of the fixtures, written in every format
//! pubconv also reads and read back. Each value of each work comes back
//! as it was, or the writer reported it with a `lost` warning naming the
//! work and the value. Prints, per pair, the works, values compared, kept
//! and reported; fails on any difference no warning explains.

mod common;

use common::loss_table;

use std::collections::BTreeMap;
use std::path::PathBuf;

use pubconv::diagnostic::Diagnostic;
use pubconv::model::{Casing, DateValue, Inline, Library, Person, PersonalName, Style, Text, Work};
use pubconv::read::{InputFormat, ReadOptions, Source};
use pubconv::tex::math;
use pubconv::vocab::csl;
use pubconv::write::{Options, OutputFormat};

/// The formats written and read back.
const TARGETS: &[(OutputFormat, InputFormat)] = &[
    (OutputFormat::Bibtex, InputFormat::Bibtex),
    (OutputFormat::Biblatex, InputFormat::Bibtex),
    (OutputFormat::CslJson, InputFormat::CslJson),
];

/// A work as a flat map from value names (CSL variable names where CSL
/// has one) to what they hold, for comparing two readings.
fn values(work: &Work) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    let mut put = |name: &str, value: String| {
        if !value.is_empty() {
            values.insert(name.to_owned(), value);
        }
    };
    put("type", csl::type_name(work.kind).to_owned());
    let texts = [
        ("title", &work.title),
        ("abstract", &work.abstract_text),
        ("container-title", &work.venue.container_title),
    ];
    for (name, text) in texts {
        put(name, text.as_ref().map(text_form).unwrap_or_default());
    }
    let mut authors = people(&work.authors);
    if work.authors_truncated {
        authors.push_str(" et al.");
    }
    put("author", authors);
    put("editor", people(&work.editors));
    for (role, persons) in &work.contributors {
        let name = csl::name_of(csl::ROLES, role).unwrap_or("contributor");
        put(&format!("{role:?}:{name}"), people(persons));
    }
    put(
        "issued",
        work.date.map(|d| date_form(&d)).unwrap_or_default(),
    );
    for (variable, date) in &work.dates {
        put(
            csl::name_of(csl::DATES, variable).unwrap_or("date"),
            date_form(date),
        );
    }
    put(
        "categories",
        work.categories
            .iter()
            .map(|c| c.best().to_owned())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let ids = &work.ids;
    for (name, value) in [
        ("DOI", &ids.doi),
        ("arxiv", &ids.arxiv),
        ("URL", &ids.url),
        ("ISBN", &ids.isbn),
        ("ISSN", &ids.issn),
        ("publisher", &work.venue.publisher),
        ("publisher-place", &work.venue.place),
        ("volume", &work.venue.volume),
        ("issue", &work.venue.issue),
        ("page", &work.venue.pages),
    ] {
        put(name, value.clone().unwrap_or_default());
    }
    put("keyword", work.keywords.join(", "));
    for (variable, text) in &work.fields {
        let name = csl::name_of(csl::VARIABLES, variable).unwrap_or("?");
        put(name, text_form(text));
    }
    for (name, value) in &work.extra {
        put(&format!("extra:{name}"), value.clone());
    }
    values
}

fn people(persons: &[Person]) -> String {
    persons
        .iter()
        .map(|person| match person {
            Person::Literal(name) => format!("{{{name}}}"),
            // A name of one part is the same whether a literal or a
            // family name.
            Person::Personal(PersonalName {
                given: None,
                family,
                particle: None,
                suffix: None,
                ..
            }) => format!("{{{family}}}"),
            Person::Personal(name) => format!(
                "{}|{}|{}|{}",
                name.particle.as_deref().unwrap_or_default(),
                name.family,
                name.given.as_deref().unwrap_or_default(),
                name.suffix.as_deref().unwrap_or_default()
            ),
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

fn date_form(date: &DateValue) -> String {
    date.edtf()
}

/// Marks case protection in [`text_form`], and text whose protection is
/// marked by its source.
const PROTECTED: (char, char) = ('\u{2}', '\u{3}');
const MARKED: char = '\u{1}';

/// Rich text with its markup shown, runs of white space as one space but
/// for paragraph breaks.
/// Case protection is compared only between texts whose source marked it
/// (BibTeX braces): a writer may protect what the source left to style
/// (BibTeX writers protect the acronyms of CSL-JSON titles).
fn text_form(text: &Text) -> String {
    let mut out = String::new();
    if text.casing == Casing::Marked {
        out.push(MARKED);
    }
    inline_form(&text.inlines, &mut out);
    // Paragraphs are kept apart; within one, any white space is a space.
    out.split("\n\n")
        .map(|paragraph| {
            paragraph
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" ¶ ")
}

/// Whether two values are the same, as [`text_form`] says.
fn same(before: Option<&String>, after: Option<&String>) -> bool {
    let (Some(before), Some(after)) = (before, after) else {
        return before == after;
    };
    if before == after {
        return true;
    }
    let both_marked = before.starts_with(MARKED) && after.starts_with(MARKED);
    let loose = |text: &str| -> String {
        text.chars()
            .filter(|&c| c != MARKED && c != PROTECTED.0 && c != PROTECTED.1)
            .collect()
    };
    !both_marked && loose(before) == loose(after)
}

fn inline_form(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) => out.push_str(text),
            // Math with a Unicode form is that text (CSL-JSON writes it so).
            Inline::Math(tex) => match math::to_unicode(tex) {
                Some(text) => out.push_str(&text),
                None => {
                    out.push('$');
                    out.push_str(tex);
                    out.push('$');
                }
            },
            Inline::Tex(tex) => out.push_str(tex),
            Inline::Protected(inner) => {
                out.push(PROTECTED.0);
                inline_form(inner, out);
                out.push(PROTECTED.1);
            }
            Inline::Styled(style, inner) => {
                let tag = match style {
                    Style::Emphasis => "i",
                    Style::Strong => "b",
                    Style::SmallCaps => "sc",
                    Style::Superscript => "sup",
                    Style::Subscript => "sub",
                };
                out.push_str(&format!("<{tag}>"));
                inline_form(inner, out);
                out.push_str(&format!("</{tag}>"));
            }
        }
    }
}

#[derive(Default)]
struct Count {
    files: usize,
    works: usize,
    compared: usize,
    kept: usize,
    reported: usize,
    unreported: Vec<String>,
    /// Unreported differences by value name, for the summary.
    by_value: BTreeMap<String, usize>,
}

fn read(format: InputFormat, name: &str, text: &str) -> Library {
    let options = ReadOptions {
        as_of: common::AS_OF.parse().unwrap(),
    };
    format.read(Source { name, text }, &options).library
}

fn round_trip(
    name: &str,
    source: &Library,
    target: OutputFormat,
    back: InputFormat,
    count: &mut Count,
) {
    let mut lost: Vec<Diagnostic> = Vec::new();
    let written = target.write_reporting(source, &Options::default(), &mut lost);
    // BibLaTeX and CSL-JSON lose only what the loss table says they do.
    if target != OutputFormat::Bibtex {
        let listed = loss_table();
        for warning in lost.iter().filter(|d| d.code == "lost") {
            let in_table = listed.iter().any(|row| {
                row.outputs.contains(&target)
                    && row
                        .warning
                        .as_ref()
                        .is_some_and(|(_, fragment)| warning.message.contains(fragment.as_str()))
            });
            if !in_table {
                count.unreported.push(format!(
                    "{} {name}: a warning the loss table does not list: {}",
                    target.name(),
                    warning.message
                ));
            }
        }
    }
    let returned = read(back, "written", &written);
    count.files += 1;
    count.works += source.works.len();
    if returned.works.len() != source.works.len() {
        count.unreported.push(format!(
            "{name}: {} works written, {} read back",
            source.works.len(),
            returned.works.len()
        ));
        return;
    }
    for (before, after) in source.works.iter().zip(&returned.works) {
        let key = after.key.clone().unwrap_or_default();
        let (before, after) = (values(before), values(&after.clone()));
        let names: std::collections::BTreeSet<&String> =
            before.keys().chain(after.keys()).collect();
        for value in names {
            count.compared += 1;
            if same(before.get(value), after.get(value)) {
                count.kept += 1;
                continue;
            }
            let plain = value.rsplit(':').next().unwrap_or(value);
            // A warning names the value it is about, or says where the
            // value went instead (a date BibTeX cannot read, in `note`).
            let reported = lost.iter().any(|d| {
                d.code == "lost"
                    && d.key.as_deref() == Some(&key)
                    && (d.field.as_deref() == Some(plain)
                        || d.message.contains(&format!("written in `{plain}`")))
            });
            if reported {
                count.reported += 1;
            } else {
                *count.by_value.entry(value.clone()).or_default() += 1;
                count.unreported.push(format!(
                    "{} {name} [{key}] {value}: {:?} → {:?}",
                    target.name(),
                    before.get(value).map(String::as_str).unwrap_or("(none)"),
                    after.get(value).map(String::as_str).unwrap_or("(none)")
                ));
            }
        }
    }
}

/// The arrays of CSL items anywhere in a JSON value: arrays of objects
/// that each have a `type`.
fn item_arrays(json: &serde_json::Value) -> Vec<&serde_json::Value> {
    let mut found = Vec::new();
    let mut pending = vec![json];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Array(items)
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|item| item.get("type").is_some_and(|t| t.is_string())) =>
            {
                found.push(value);
            }
            serde_json::Value::Array(values) => pending.extend(values),
            serde_json::Value::Object(members) => pending.extend(members.values()),
            _ => {}
        }
    }
    found
}

/// Every input of the matrix, with its format: the corpus's `.bib` files,
/// pandoc's expected CSL-JSON, citeproc's inputs, and the fixtures.
fn inputs() -> Vec<(String, InputFormat, String)> {
    let bib = |path: &PathBuf| {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        (path.display().to_string(), InputFormat::Bibtex, text)
    };
    let mut inputs: Vec<_> = common::bib_files(&common::fixture(""))
        .iter()
        .map(bib)
        .collect();
    let zotero = common::fixture("csl/zotero.json");
    let text = std::fs::read_to_string(&zotero).unwrap();
    inputs.push((zotero.display().to_string(), InputFormat::CslJson, text));
    if let Some(corpus) = common::corpus("") {
        inputs.extend(common::bib_files(&corpus).iter().map(bib));
        // pandoc's expected items, and the items in citation-js's test
        // cases.
        for folder in ["pandoc", "pandoc/csl-to-bib", "citation-js"] {
            let files: Vec<PathBuf> = std::fs::read_dir(corpus.join(folder))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".json"))
                .collect();
            for path in files {
                let text = std::fs::read_to_string(&path).unwrap();
                let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                for (at, items) in item_arrays(&json).into_iter().enumerate() {
                    let name = format!("{} #{at}", path.display());
                    inputs.push((name, InputFormat::CslJson, items.to_string()));
                }
            }
        }
        if let Some(citeproc) = common::corpus("citeproc") {
            for (name, text) in common::citeproc_inputs(&citeproc) {
                inputs.push((name, InputFormat::CslJson, text));
            }
        }
    }
    inputs
}

#[test]
fn every_value_comes_back_or_is_reported() {
    let inputs = inputs();
    let mut counts: BTreeMap<(&str, &str), Count> = BTreeMap::new();
    for (name, format, text) in &inputs {
        let source = read(*format, name, text);
        for (target, back) in TARGETS {
            let count = counts.entry((format.name(), target.name())).or_default();
            round_trip(name, &source, *target, *back, count);
        }
    }
    let mut failures = 0;
    for ((from, to), count) in &counts {
        eprintln!(
            "{from} → {to} → back: {} files, {} works, {} values compared, {} kept, {} reported lost, {} differ unreported",
            count.files,
            count.works,
            count.compared,
            count.kept,
            count.reported,
            count.unreported.len()
        );
        for (value, n) in &count.by_value {
            eprintln!("    {value}: {n}");
        }
        for line in count.unreported.iter().take(100_000) {
            eprintln!("  {line}");
        }
        failures += count.unreported.len();
    }
    assert_eq!(failures, 0, "differences no `lost` warning explains");
}
