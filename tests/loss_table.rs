//! The loss table of `docs/formats.md` against the writers: each row's
//! example, converted to each output the row names, gives exactly the
//! warning the row says (or none, where the row says nothing is lost).

mod common;

use common::{convert_bytes, loss_table};

/// The codes of warnings about values an output could not hold.
const LOSS_CODES: &[&str] = &["lost", "output::character"];

#[test]
fn every_row_of_the_loss_table_is_what_the_writers_do() {
    let rows = loss_table();
    assert!(rows.len() >= 10, "the loss table has its rows");
    let mut checked = 0;
    for row in &rows {
        let Some(example) = &row.example else {
            continue;
        };
        let name = if example.starts_with('[') {
            "example.json"
        } else {
            "example.bib"
        };
        for &output in &row.outputs {
            let conversion = convert_bytes(name, example.clone().into_bytes(), output);
            let warnings: Vec<String> = conversion
                .diagnostics
                .iter()
                .filter(|d| LOSS_CODES.contains(&d.code))
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            match &row.warning {
                Some((code, fragment)) => {
                    assert_eq!(warnings.len(), 1, "{output:?}: {}\n{warnings:?}", row.line);
                    assert!(
                        warnings[0].starts_with(&format!("{code}: "))
                            && warnings[0].contains(fragment.as_str()),
                        "{output:?}: {}\n{warnings:?}",
                        row.line
                    );
                    // The warning names the entry and the line it is on.
                    let warning = conversion
                        .diagnostics
                        .iter()
                        .find(|d| LOSS_CODES.contains(&d.code))
                        .unwrap();
                    assert_eq!(warning.key.as_deref(), Some("k"), "{}", row.line);
                    assert_eq!(warning.file, name, "{}", row.line);
                }
                None => assert!(
                    warnings.is_empty(),
                    "{output:?}: {}\n{warnings:?}",
                    row.line
                ),
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked} examples checked");
}
