//! Hostile inputs end in bounded time and memory with diagnostics: no
//! panic, no stack overflow, no abort.

mod common;

use common::convert_bytes;
use pubconv::diagnostic::Severity;
use pubconv::write::OutputFormat;

fn every_format(name: &str, bytes: &[u8]) -> Vec<pubconv::convert::Conversion> {
    OutputFormat::ALL
        .iter()
        .map(|&format| convert_bytes(name, bytes.to_vec(), format))
        .collect()
}

#[test]
fn deeply_nested_braces() {
    let bib = format!(
        "@misc{{deep, title = {}x{}}}\n@misc{{ok, title = {{Fine}}}}\n",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    for conversion in every_format("deep.bib", bib.as_bytes()) {
        assert_eq!(conversion.written, 2);
    }
}

#[test]
fn an_unclosed_brace_at_the_start_of_a_large_file() {
    let mut bib = String::from("@misc{first, title = {never closed\n");
    for n in 0..5_000 {
        bib.push_str(&format!(
            "@article{{k{n}, author = {{Doe, J.}}, title = {{T {n}}}, year = 2020}}\n"
        ));
    }
    let conversion = convert_bytes("unclosed.bib", bib.into_bytes(), OutputFormat::CslJson);
    assert_eq!((conversion.written, conversion.skipped), (5_000, 1));
}

#[test]
fn cyclic_strings_crossrefs_and_xdata() {
    let bib = "@string{a = b}\n@string{b = a # a}\n@misc{x, crossref = {y}, xdata = {z}, title = a}\n@misc{y, crossref = {x}}\n@xdata{z, xdata = {z}}\n";
    let conversion = convert_bytes("cycles.bib", bib.as_bytes().to_vec(), OutputFormat::Bibtex);
    assert_eq!(conversion.written, 2);
    assert!(conversion
        .diagnostics
        .iter()
        .any(|d| d.message.contains("cycle")));
}

#[test]
fn a_fifty_megabyte_field() {
    let bib = format!(
        "@misc{{big, abstract = {{{}}}}}\n",
        "word {x} $y$ \\emph{z} ".repeat(2_400_000)
    );
    assert!(bib.len() > 50_000_000);
    let conversion = convert_bytes("big.bib", bib.into_bytes(), OutputFormat::CslJson);
    assert_eq!(conversion.written, 1);
}

#[test]
fn binary_junk_invalid_utf8_and_utf16() {
    let junk: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    for format in pubconv::read::InputFormat::ALL {
        let request_text = String::from_utf8_lossy(&junk).into_owned();
        let _ = format.read(
            pubconv::read::Source {
                name: "junk",
                text: &request_text,
            },
            &Default::default(),
        );
    }
    // Text in another encoding than UTF-8: its bytes are text, with no
    // control characters but line ends.
    let mut invalid = b"@misc{a, title = {Caf\xe9}}\n".to_vec();
    invalid.extend(
        junk[..1000]
            .iter()
            .map(|&b| if b < 0x20 { b' ' } else { b }),
    );
    let conversion = convert_bytes("invalid.bib", invalid, OutputFormat::CslJson);
    assert!(conversion.output.contains("Café"));
    // Binary data is refused whole, as what it is.
    let mut binary = b"@misc{a, title = {Caf\xe9}}\n".to_vec();
    binary.extend_from_slice(&junk[..1000]);
    let input = pubconv::convert::Input {
        name: "binary.bib".into(),
        path: None,
        bytes: binary,
    };
    let request = pubconv::convert::Request {
        from: None,
        to: OutputFormat::CslJson,
        read: Default::default(),
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    let refused = pubconv::convert::convert(&[input], &request).unwrap_err();
    assert_eq!(refused.code, "input::not-text");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "@misc{a, title = {Ü}}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    assert!(convert_bytes("utf16.bib", utf16, OutputFormat::CslJson)
        .output
        .contains('Ü'));
}

#[test]
fn a_dump_with_twenty_thousand_impossible_dates() {
    let mut dump = String::from("Jane Doe\n\n20000 Papers\n\n");
    for n in 0..20_000 {
        dump.push_str(&format!("LGFeb 30, 2023\nPaper {n}\n\nJane Doe\n\n"));
    }
    let conversion = convert_bytes("dates.txt", dump.into_bytes(), OutputFormat::Markdown);
    assert_eq!(conversion.written, 0);
    assert_eq!(
        conversion
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        20_000
    );
}

/// A file written on one line, as JSON often is, with a warning for each
/// of its 20,000 records: each quotes a stretch of the line around its
/// column, not the line (2 MB each, 40 GB in all).
#[test]
fn twenty_thousand_warnings_on_one_line() {
    let items: Vec<String> = (0..20_000)
        .map(|n| format!(r#"{{"id": "k{n}", "type": "no-such-type", "title": "Über {n}"}}"#))
        .collect();
    let csl = format!("[{}]", items.join(", "));
    let entries: Vec<String> = (0..20_000)
        .map(|n| format!("@misc{{k{n}, title = {{Über {n}}}, year = {{nineteen}}}}"))
        .collect();
    let bib = entries.join(" ");
    for (name, text, pointed_at) in [("one.json", csl, '{'), ("one.bib", bib, 'y')] {
        let conversion = convert_bytes(name, text.into_bytes(), OutputFormat::Bibtex);
        assert_eq!(conversion.written, 20_000, "{name}");
        let quoted: Vec<_> = conversion
            .diagnostics
            .iter()
            .filter(|d| d.source_line.is_some())
            .collect();
        assert!(quoted.len() >= 20_000, "{name}: {}", quoted.len());
        for diagnostic in quoted {
            let shown = diagnostic.source_line.as_deref().unwrap_or_default();
            assert!(
                shown.chars().count() <= pubconv::diagnostic::QUOTED + 2,
                "{shown}"
            );
            assert_eq!(
                shown.chars().nth(diagnostic.caret),
                Some(pointed_at),
                "{diagnostic:?}"
            );
        }
    }
}
