//! The mapping tables of `docs/formats.md` are made from the tables the
//! code walks, so the page cannot say one thing while the code does
//! another. Each table sits between `<!-- generated: NAME -->` and
//! `<!-- end of generated table -->`; this test fails when one differs from
//! what the code makes, and `PUBCONV_UPDATE_DOCS=1` writes them anew.

use std::fmt::Write as _;
use std::path::Path;

use pubconv::model::{Variable, WorkType};
use pubconv::vocab::bibtex as read_fields;
use pubconv::vocab::{bibtex as vocab, csl};
use pubconv::write::bibtex as writer;

const PAGE: &str = "docs/formats.md";
const END: &str = "<!-- end of generated table -->";

/// A Markdown table.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out
}

/// Names as code, separated by commas; nothing for none (or an empty name).
fn code(names: &[&str]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .filter(|name| !name.is_empty())
        .map(|name| format!("`{name}`"))
        .collect();
    quoted.join(", ")
}

fn field_aliases() -> String {
    let rows: Vec<Vec<String>> = vocab::FIELD_ALIASES
        .iter()
        .map(|(bibtex, biblatex)| vec![code(&[bibtex]), code(&[biblatex])])
        .collect();
    table(&["BibTeX name", "read as BibLaTeX's"], &rows)
}

fn entry_types_read() -> String {
    let rows: Vec<Vec<String>> = vocab::ENTRY_TYPES
        .iter()
        .map(|&(name, kind, genre)| {
            vec![
                code(&[&format!("@{name}")]),
                code(&[csl::type_name(kind)]),
                genre.unwrap_or_default().to_owned(),
            ]
        })
        .collect();
    table(&["entry type", "CSL type", "genre"], &rows)
}

/// The model's name for a kind of work, in words: `JournalArticle` is
/// "journal article".
fn kind_in_words(kind: WorkType) -> String {
    let name = format!("{kind:?}");
    let mut words = String::new();
    for (index, letter) in name.chars().enumerate() {
        if letter.is_uppercase() && index > 0 {
            words.push(' ');
        }
        words.push(letter.to_ascii_lowercase());
    }
    words
}

fn entry_types_written() -> String {
    let mut rows: Vec<Vec<String>> = vocab::ENTRY_TYPES_WRITTEN
        .iter()
        .map(|&(kind, bibtex, biblatex)| {
            vec![
                code(&[csl::type_name(kind)]),
                kind_in_words(kind),
                code(&[&format!("@{bibtex}")]),
                code(&[&format!("@{biblatex}")]),
            ]
        })
        .collect();
    rows.extend(
        vocab::OTHER_CSL_TYPES
            .iter()
            .map(|&(name, bibtex, biblatex)| {
                vec![
                    code(&[name]),
                    String::new(),
                    code(&[&format!("@{bibtex}")]),
                    code(&[&format!("@{biblatex}")]),
                ]
            }),
    );
    // Classic BibTeX has two thesis types; the genre tells which.
    for row in &mut rows {
        if row[2] == "`@phdthesis`" {
            row[2].push_str(" (`@mastersthesis` for a master's thesis)");
        }
    }
    table(&["CSL type", "kind of work", "BibTeX", "BibLaTeX"], &rows)
}

/// One row a variable: its CSL name, the fields it is read from, and the
/// field each dialect writes it to.
fn variables() -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut add = |name: &str, read: Vec<&str>, bibtex: &str, biblatex: &str| {
        rows.push(vec![
            code(&[name]),
            code(&read),
            code(&[bibtex]),
            code(&[biblatex]),
        ]);
    };
    // A value with no field of its own is written and read under its
    // CSL name.
    let or_csl =
        |field: &'static str, name: &'static str| if field.is_empty() { name } else { field };
    for &(variable, name) in csl::VARIABLES {
        let mut read: Vec<&str> = read_fields::VARIABLE_FIELDS
            .iter()
            .filter(|(_, read)| *read == variable)
            .map(|(field, _)| *field)
            .collect();
        let written = writer::VARIABLES
            .iter()
            .find(|(written, ..)| *written == variable);
        let (bibtex, biblatex) =
            written.map_or(("", ""), |&(_, bibtex, biblatex, _)| (bibtex, biblatex));
        // Read and written by the rules that combine fields (`number`,
        // `maintitle`): the page says so above.
        let by_rule = [
            Variable::VolumeTitle,
            Variable::Number,
            Variable::CollectionNumber,
        ];
        if by_rule.contains(&variable) {
            continue;
        }
        if bibtex.is_empty() || biblatex.is_empty() {
            read.push(name);
        }
        add(name, read, or_csl(bibtex, name), or_csl(biblatex, name));
    }
    for &(role, name) in csl::ROLES {
        let mut read: Vec<&str> = read_fields::ROLE_FIELDS
            .iter()
            .filter(|(_, read)| *read == role)
            .map(|(field, _)| *field)
            .collect();
        let written = writer::ROLES.iter().find(|(written, ..)| *written == role);
        let (bibtex, biblatex) =
            written.map_or(("", ""), |&(_, bibtex, biblatex)| (bibtex, biblatex));
        if written.is_none() {
            read.push(name);
        }
        add(name, read, or_csl(bibtex, name), or_csl(biblatex, name));
    }
    // BibLaTeX's roles CSL has no name for are among its contributors.
    for &(field, role) in read_fields::ROLE_FIELDS {
        if csl::name_of(csl::ROLES, &role).is_some() {
            continue;
        }
        let written = writer::ROLES.iter().find(|(written, ..)| *written == role);
        let (bibtex, biblatex) =
            written.map_or(("", ""), |&(_, bibtex, biblatex)| (bibtex, biblatex));
        add("contributor", vec![field], bibtex, biblatex);
    }
    for &(date, name) in csl::DATES {
        let read: Vec<&str> = read_fields::DATE_FIELDS
            .iter()
            .chain(read_fields::YEAR_FIELDS)
            .filter(|(_, read)| *read == date)
            .map(|(field, _)| *field)
            .collect();
        let written = writer::DATES.iter().find(|(written, _)| *written == date);
        let field = or_csl(written.map_or("", |&(_, field)| field), name);
        let mut read = read;
        if written.is_none() {
            read.push(name);
        }
        add(name, read, field, field);
    }
    table(
        &[
            "CSL variable",
            "read from",
            "BibTeX writes",
            "BibLaTeX writes",
        ],
        &rows,
    )
}

/// Every generated table, by the name its markers give it.
fn generated() -> Vec<(&'static str, String)> {
    vec![
        ("field-aliases", field_aliases()),
        ("entry-types-read", entry_types_read()),
        ("entry-types-written", entry_types_written()),
        ("variables", variables()),
    ]
}

/// The page with every generated table put in its place.
fn regenerate(page: &str) -> Result<String, String> {
    let mut out = page.to_owned();
    for (name, table) in generated() {
        let begin = format!("<!-- generated: {name} -->\n");
        let start = out
            .find(&begin)
            .ok_or_else(|| format!("{PAGE} has no `{}` marker", begin.trim()))?
            + begin.len();
        let end = start
            + out[start..]
                .find(END)
                .ok_or_else(|| format!("{PAGE}: `{}` is not closed by `{END}`", begin.trim()))?;
        out.replace_range(start..end, &table);
    }
    Ok(out)
}

#[test]
fn the_mapping_tables_of_the_formats_page_are_the_codes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE);
    let page = std::fs::read_to_string(&path).unwrap();
    let expected = regenerate(&page).unwrap();
    if std::env::var_os("PUBCONV_UPDATE_DOCS").is_some_and(|v| v != "0") {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    if page != expected {
        let line = page
            .lines()
            .zip(expected.lines())
            .position(|(old, new)| old != new)
            .map_or(page.lines().count().min(expected.lines().count()), |at| at);
        panic!(
            "{PAGE}:{}: a generated table differs from the code's tables:\n  page: {}\n  code: {}\n\
             Run `PUBCONV_UPDATE_DOCS=1 cargo test --test formats_doc` and review the change.",
            line + 1,
            page.lines().nth(line).unwrap_or("(end of page)"),
            expected.lines().nth(line).unwrap_or("(end of page)"),
        );
    }
}

#[test]
fn a_missing_or_unclosed_marker_is_an_error() {
    assert!(regenerate("no markers")
        .unwrap_err()
        .contains("has no `<!-- generated: field-aliases -->` marker"));
    let unclosed = "<!-- generated: field-aliases -->\n";
    assert!(regenerate(unclosed).unwrap_err().contains("is not closed"));
}

#[test]
fn every_table_row_comes_from_the_code() {
    // Spot checks that would fail if the tables were filled in by hand
    // from something else.
    assert!(entry_types_read().contains("| `@phdthesis` | `thesis` | PhD thesis |"));
    assert!(entry_types_written().contains("| `article` | preprint | `@misc` | `@online` |"));
    assert!(variables()
        .contains("| `number-of-pages` | `pagetotal`, `numpages` | `pagetotal` | `pagetotal` |"));
    assert!(field_aliases().contains("| `journal` | `journaltitle` |"));
}
