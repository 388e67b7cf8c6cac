//! Inputs seen in real bibliographies, each reduced to what went wrong:
//! every value comes through, or is reported.

mod common;

use std::process::Command;

use common::{convert_bytes, tool_available};
use pubconv::write::OutputFormat;
use serde_json::Value;

fn items(name: &str, source: &str) -> Vec<Value> {
    let conversion = convert_bytes(name, source.as_bytes().to_vec(), OutputFormat::CslJson);
    serde_json::from_str(&conversion.output).unwrap()
}

fn item(source: &str) -> Value {
    items("case.bib", source).remove(0)
}

// --- case protection -----------------------------------------------------------

/// Titles in every form of case protection, each word capitalised so that
/// a sentence-casing processor shows which it protects.
const PROTECTION: &[(&str, &str, &[&str])] = &[
    (
        "double",
        "Finding {IDF} In {BERT} With {{CycleGAN}}",
        &["IDF", "BERT", "CycleGAN"],
    ),
    ("quote", r#"Quoted {"}Inner{"} Title"#, &[]),
    ("relax", r"A {\relax Ackermann} Function", &["Ackermann"]),
    ("start", "{Deep} Learning For {T}ime Series", &["Deep", "T"]),
];

/// The texts of a CSL title's nocase spans, outermost, in order.
fn nocase_spans(title: &str) -> Vec<String> {
    const OPEN: &str = "<span class=\"nocase\">";
    let mut spans = Vec::new();
    let mut rest = title;
    while let Some(at) = rest.find(OPEN) {
        let inner = &rest[at + OPEN.len()..];
        let end = inner.find("</span>").expect("a span closes");
        assert!(!inner[..end].contains("<span"), "a span in a span: {title}");
        spans.push(inner[..end].to_owned());
        rest = &inner[end..];
    }
    spans
}

#[test]
fn a_brace_group_protects_once_and_only_letters() {
    let source: String = PROTECTION
        .iter()
        .map(|(key, title, _)| format!("@article{{{key}, title = {{{title}}}, year = 2020}}\n"))
        .collect();
    let ours = items("protection.bib", &source);
    for ((key, _, protected), item) in PROTECTION.iter().zip(&ours) {
        let title = item["title"].as_str().unwrap();
        assert_eq!(nocase_spans(title), *protected, "{key}: {title}");
    }
    // pandoc sentence-cases titles: a capital it keeps (but the first
    // word's) is one it protects, and pubconv protects the same.
    if !tool_available("pandoc") {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let bib = folder.path().join("protection.bib");
    std::fs::write(&bib, &source).unwrap();
    let output = Command::new("pandoc")
        .arg(&bib)
        .args(["-f", "biblatex", "-t", "csljson"])
        .output()
        .unwrap();
    let theirs: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    for ((key, source_title, protected), item) in PROTECTION.iter().zip(&theirs) {
        let title = item["title"].as_str().unwrap();
        // The first word keeps its capital anyway.
        let first_word = source_title.trim_start_matches('{');
        let kept: Vec<&str> = title
            .split([' ', '"'])
            .skip(1)
            .filter(|word| word.starts_with(|c: char| c.is_uppercase()))
            .collect();
        let ours: Vec<&str> = protected
            .iter()
            .map(|word| {
                kept.iter()
                    .find(|kept| kept.starts_with(word))
                    .copied()
                    .unwrap_or(word)
            })
            .filter(|word| !first_word.starts_with(*word))
            .collect();
        assert_eq!(kept, ours, "{key}: pandoc gives {title}");
    }
}

/// citation-js 0.7.21 (`citation-js -i FILE -f json -s csl`) on the same
/// titles, recorded: it drops every protection, and keeps `\relax` as
/// text, where pubconv keeps the protection and reads the command.
#[test]
fn citation_js_drops_protection_where_pubconv_keeps_it() {
    let recorded = [
        ("double", "Finding IDF In BERT With CycleGAN"),
        ("relax", r"A \relax Ackermann Function"),
    ];
    for (key, theirs) in recorded {
        let (_, title, _) = PROTECTION.iter().find(|(k, ..)| *k == key).unwrap();
        let ours = item(&format!("@article{{{key}, title = {{{title}}}}}"));
        let plain = ours["title"]
            .as_str()
            .unwrap()
            .replace("<span class=\"nocase\">", "")
            .replace("</span>", "");
        assert_eq!(plain, theirs.replace(r"\relax ", ""), "{key}");
    }
}

// --- text commands and escapes ---------------------------------------------------

#[test]
fn text_commands_become_their_characters() {
    let entry = item(
        r"@article{k, author = {O{\textquotesingle}Kane, Tim and D\'\iaz, Mar\'\ia}, title = {5\texttimes{}10 and 3 \textpm{} 1 for {\textdollar}5 at 37\textdegree}}",
    );
    assert_eq!(entry["author"][0]["family"], "O'Kane");
    assert_eq!(entry["author"][1]["family"], "Díaz");
    assert_eq!(entry["author"][1]["given"], "María");
    assert_eq!(entry["title"], "5×10 and 3 ± 1 for $5 at 37°");
    // DBLP's dollars and caret, as characters: not a hat on the C.
    let dblp =
        item(r"@article{d, title = {Bounds for {\textdollar}AC{\^{}}0{\textdollar} Circuits}}");
    let plain = dblp["title"]
        .as_str()
        .unwrap()
        .replace(r#"<span class="nocase">$</span>"#, "$");
    assert_eq!(plain, "Bounds for $AC^0$ Circuits");
}

#[test]
fn identifiers_lose_the_tex_escapes_of_exports() {
    let entry = item(
        r"@incollection{k, title = {T}, doi = {10.1007/978-3-031-39847-6\_20}, url = {https://example.org/a{\&}b?x=50\%25\#top}}",
    );
    assert_eq!(entry["DOI"], "10.1007/978-3-031-39847-6_20");
    assert_eq!(entry["URL"], "https://example.org/a&b?x=50%25#top");
}

// --- containers ------------------------------------------------------------------

#[test]
fn a_paper_with_a_booktitle_and_a_journal_appeared_in_the_book() {
    let source = "@inproceedings{k, title = {T}, booktitle = {Proceedings of X}, journal = {Journal of Y}, year = 2021}";
    let entry = item(source);
    assert_eq!(entry["container-title"], "Proceedings of X");
    let bib = convert_bytes("case.bib", source.as_bytes().to_vec(), OutputFormat::Bibtex).output;
    assert!(bib.contains("booktitle = {Proceedings of X},"), "{bib}");
    assert!(
        bib.contains("journaltitle = {Journal of Y},"),
        "the journal is kept: {bib}"
    );
}

// --- CSL-JSON --------------------------------------------------------------------

#[test]
fn json_that_is_not_csl_is_never_a_work() {
    let request = |from| pubconv::convert::Request {
        from,
        to: OutputFormat::CslJson,
        read: Default::default(),
        write: Default::default(),
        merge: true,
        lookup: Default::default(),
    };
    let orcid = r#"{"bulk": [{"work": {"title": {"title": {"value": "A paper"}}}}]}"#;
    // Told from its content, it is ORCID's, and read as such.
    let read = convert_bytes(
        "orcid.json",
        orcid.as_bytes().to_vec(),
        OutputFormat::CslJson,
    );
    assert_eq!(read.written, 1);
    // Given as CSL-JSON, it is refused.
    let input = pubconv::convert::Input {
        name: "orcid.json".into(),
        path: Some("orcid.json".into()),
        bytes: orcid.as_bytes().to_vec(),
    };
    let from = Some(pubconv::read::InputFormat::CslJson);
    let refused = pubconv::convert::convert(&[input], &request(from)).unwrap_err();
    assert!(
        refused.message.contains("not CSL-JSON") && refused.message.contains("`bulk`"),
        "{}",
        refused.message
    );
    let mixed = r#"[{"id": "a", "type": "book", "title": "A"}, {"doi": "10.1/x", "score": 3}]"#;
    let conversion = convert_bytes(
        "mixed.json",
        mixed.as_bytes().to_vec(),
        OutputFormat::CslJson,
    );
    assert_eq!((conversion.written, conversion.skipped), (1, 1));
    let error = &conversion.diagnostics[0];
    assert!(
        error.message.contains("has none of a CSL item's keys"),
        "{}",
        error.message
    );
}

#[test]
fn csl_variable_aliases_that_citeproc_reads_are_read() {
    let source = r#"[{"id": "a", "type": "paper-conference", "title": "Title: Sub", "journalAbbreviation": "J. Abbr.", "shortTitle": "Short", "event": "Conf 2020"}]"#;
    let entry = items("aliases.json", source).remove(0);
    assert_eq!(entry["container-title-short"], "J. Abbr.");
    assert_eq!(entry["title-short"], "Short");
    assert_eq!(entry["event-title"], "Conf 2020");
    assert!(entry.get("custom").is_none(), "{entry}");
    // Where an item has both, CSL's own name wins and the alias is kept.
    let both = r#"[{"id": "a", "type": "book", "title": "T", "title-short": "Own", "shortTitle": "Alias"}]"#;
    let entry = items("both.json", both).remove(0);
    assert_eq!(entry["title-short"], "Own");
    assert_eq!(entry["custom"]["shortTitle"], "Alias");
}

#[test]
fn a_key_written_twice_costs_a_warning_not_the_item() {
    let source = "[\n  {\"id\": \"a\", \"type\": \"book\",\n   \"title\": \"T\", \"type\": \"article-journal\"}\n]\n";
    let conversion = convert_bytes(
        "twice.json",
        source.as_bytes().to_vec(),
        OutputFormat::CslJson,
    );
    assert_eq!((conversion.written, conversion.skipped), (1, 0));
    let warning = &conversion.diagnostics[0];
    assert_eq!((warning.line, warning.code), (3, "csl::item"));
    assert!(
        warning.message.contains("`type` is written twice"),
        "{}",
        warning.message
    );
    let items: Vec<Value> = serde_json::from_str(&conversion.output).unwrap();
    assert_eq!(items[0]["type"], "article-journal");
}

#[test]
fn a_list_where_csl_wants_text_is_kept_where_the_schema_allows_it() {
    let source = r#"[{"id": "a", "type": "book", "title": "T", "original-title": [], "note": ["one", "two"]}]"#;
    let conversion = convert_bytes(
        "lists.json",
        source.as_bytes().to_vec(),
        OutputFormat::CslJson,
    );
    let items: Vec<Value> = serde_json::from_str(&conversion.output).unwrap();
    assert!(items[0].get("original-title").is_none() && items[0].get("note").is_none());
    assert_eq!(items[0]["custom"]["original-title"], "[]");
    assert_eq!(items[0]["custom"]["note"], r#"["one","two"]"#);
    let notes: Vec<&str> = conversion
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/csl-data.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&Value::Array(items)));
}

// --- publishers, languages, dates ---------------------------------------------------

#[test]
fn a_biblatex_publisher_list_reads_as_biblatex_prints_it() {
    let source = "@article{k, title = {T}, publisher = {Springer Science and Business Media {LLC}}, urldate = {2024-01-02}, location = {Berlin and New York}}";
    let entry = item(source);
    assert_eq!(
        entry["publisher"],
        "Springer Science and Business Media LLC"
    );
    assert_eq!(entry["publisher-place"], "Berlin; New York");
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let written = convert_bytes("case.bib", source.as_bytes().to_vec(), to).output;
        let again = convert_bytes("again.bib", written.into_bytes(), OutputFormat::CslJson).output;
        let again: Vec<Value> = serde_json::from_str(&again).unwrap();
        assert_eq!(again[0]["publisher"], entry["publisher"], "{to:?}");
    }
}

#[test]
fn a_locale_as_language_becomes_a_language_biblatex_knows() {
    let source = r"@article{k, title = {T}, language = {en\_US}}";
    assert_eq!(item(source)["language"], "en-US");
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let bib = convert_bytes("case.bib", source.as_bytes().to_vec(), to).output;
        assert!(!bib.contains("en\\_US"), "{bib}");
        assert!(bib.contains("= {american},"), "{bib}");
    }
}

#[test]
fn a_range_of_years_goes_through_classic_bibtex() {
    let source = "@book{knuth, title = {CT}, date = {1984/1986}}\n@book{old, title = {O}, year = {1915--1916}}\n@book{within, title = {W}, date = {2020-05/2020-07}}\n";
    let conversion = convert_bytes(
        "ranges.bib",
        source.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    );
    assert!(conversion.output.contains("  year = {1984--1986},"));
    assert!(conversion.output.contains("  year = {1915--1916},"));
    let lost: Vec<&str> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == "lost")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        lost,
        ["the date 2020-05/2020-07 of `within` is written as its start: classic BibTeX has no range within a year"]
    );
    let again = convert_bytes(
        "again.bib",
        conversion.output.into_bytes(),
        OutputFormat::CslJson,
    )
    .output;
    let again: Vec<Value> = serde_json::from_str(&again).unwrap();
    assert_eq!(
        again[0]["issued"]["date-parts"],
        serde_json::json!([[1984], [1986]])
    );
    assert_eq!(
        again[1]["issued"]["date-parts"],
        serde_json::json!([[1915], [1916]])
    );
}

// --- roles -----------------------------------------------------------------------

#[test]
fn biblatex_roles_without_a_csl_name_come_back_and_are_csl_contributors() {
    let source = "@book{aristotle, author = {Aristotle}, title = {Rhetoric}, commentator = {Cope, Edward Meredith}, annotator = {Sandys, John Edwin}, foreword = {Doe, Jane}, date = {1877}}";
    for to in [OutputFormat::Biblatex, OutputFormat::Bibtex] {
        let bib = convert_bytes("roles.bib", source.as_bytes().to_vec(), to).output;
        for field in [
            "commentator = {Cope, Edward Meredith},",
            "annotator = {Sandys, John Edwin},",
            "foreword = {Doe, Jane},",
        ] {
            assert!(bib.contains(field), "{to:?}: {bib}");
        }
    }
    let entry = item(source);
    let contributors: Vec<&str> = entry["contributor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| person["family"].as_str().unwrap())
        .collect();
    assert_eq!(contributors, ["Cope", "Sandys", "Doe"]);
}

/// biblatex's own examples: every commentator, annotator and writer of
/// an introduction, foreword or afterword survives a BibLaTeX round trip
/// (`aristotle:rhetoric`, `averroes/hannes`, `cicero`, `iliad`, …).
#[test]
fn biblatex_examples_keep_their_other_contributors() {
    let Some(folder) = common::corpus("biblatex") else {
        return;
    };
    let path = folder.join("biblatex-examples.bib");
    let original = std::fs::read_to_string(&path).unwrap();
    let written = convert_bytes(
        "biblatex-examples.bib",
        original.clone().into_bytes(),
        OutputFormat::Biblatex,
    )
    .output;
    let roles = [
        "commentator",
        "annotator",
        "introduction",
        "foreword",
        "afterword",
    ];
    let count = |text: &str| {
        text.lines()
            .filter(|line| {
                let name = line
                    .trim_start()
                    .split([' ', '='])
                    .next()
                    .unwrap_or_default();
                roles.contains(&name)
            })
            .count()
    };
    assert!(count(&original) >= 4, "{}", count(&original));
    assert_eq!(count(&written), count(&original));
}

// --- names marked up by their owners ---------------------------------------------

#[test]
fn a_name_in_formatting_is_the_name_and_marks_the_owner() {
    let source = "@article{a, author = {\\underline{Ada Lovelace} and \\textbf{Turing, Alan} and {\\bf Charles Babbage}}, title = {Notes}, year = 1843}\n\
                  @article{b, author = {Menabrea, Luigi and \\underline{Ada Lovelace}}, title = {Sketch}, year = 1842}\n";
    let entries = items("marked.bib", source);
    let families: Vec<&str> = entries[0]["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| person["family"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["Lovelace", "Turing", "Babbage"]);
    assert_eq!(entries[0]["author"][0]["given"], "Ada");
    let bib = convert_bytes(
        "marked.bib",
        source.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    )
    .output;
    assert!(
        bib.contains("author = {Lovelace, Ada and Turing, Alan and Babbage, Charles},"),
        "{bib}"
    );
    assert!(
        !bib.contains("\\underline") && !bib.contains("\\textbf"),
        "{bib}"
    );
    let cv = convert_bytes(
        "marked.bib",
        source.as_bytes().to_vec(),
        OutputFormat::Markdown,
    );
    assert!(
        cv.output
            .contains("2. Luigi Menabrea, **Ada Lovelace**. Sketch. 1842."),
        "{}",
        cv.output
    );
    let note = cv
        .diagnostics
        .iter()
        .find(|d| d.code == "bibtex::owner")
        .unwrap();
    assert_eq!((note.line, note.column), (1, 13));
    // A group that does not wrap the whole name is not markup.
    let partial = item("@article{c, author = {\\textbf{Ada} Lovelace}, title = {T}}");
    assert_eq!(partial["author"][0]["family"], "Lovelace");
}

#[test]
fn a_thesis_in_a_journal_keeps_it_from_one_conversion_to_the_next() {
    let source = "@phdthesis{k, author = {Doe, Jo}, title = {T}, school = {U}, journal = {ProQuest}, year = 2020}";
    let first = convert_bytes(
        "thesis.bib",
        source.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    )
    .output;
    let second = convert_bytes(
        "again.bib",
        first.clone().into_bytes(),
        OutputFormat::Bibtex,
    )
    .output;
    assert_eq!(first, second);
    assert!(
        first.contains("school = {U},") && first.contains("journal = {ProQuest},"),
        "{first}"
    );
}

#[test]
fn csl_small_capitals_in_a_span_are_small_capitals() {
    let source = r#"[{"id": "a", "type": "book", "title": "By <span style=\"font-variant:small-caps;\">Simone</span> T <span class=\"nocase\">X</span>"}]"#;
    let entry = items("caps.json", source).remove(0);
    assert_eq!(
        entry["title"],
        "By <span style=\"font-variant:small-caps;\">Simone</span> T <span class=\"nocase\">X</span>"
    );
    let bib = convert_bytes(
        "caps.json",
        source.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    )
    .output;
    assert!(
        bib.contains("title = {By \\textsc{Simone} T {X}},"),
        "{bib}"
    );
}

// --- BibTeX output that pdflatex reads ----------------------------------------------

/// Characters from CSL-JSON: those LaTeX has a form of are written in it,
/// and the output compiles with pdflatex; the others are named in a
/// warning.
#[test]
fn characters_pdflatex_cannot_read_are_written_in_latex_or_reported() {
    let readable = r#"[{"id": "a", "type": "article-journal", "title": "An α-helix 5\u2009mm long, H⁺ ions, 5×10 ± 1", "container-title": "J", "author": [{"family": "Doe", "given": "Jo"}], "issued": {"date-parts": [[2020]]}}]"#;
    let conversion = convert_bytes(
        "readable.json",
        readable.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    );
    let bib = &conversion.output;
    assert!(
        bib.contains(r"\ensuremath{\alpha}-helix 5\,mm long, H\textsuperscript{+} ions"),
        "{bib}"
    );
    assert!(
        conversion.diagnostics.is_empty(),
        "{:?}",
        conversion.diagnostics
    );
    if common::latex::tools_for(common::latex::Processor::Bibtex) {
        common::latex::compile(bib, common::latex::Processor::Bibtex, "readable characters");
    }
    let unreadable = r#"[{"id": "b", "type": "book", "title": "Sᴍᴀʟʟ ɴ caps 😀"}]"#;
    let conversion = convert_bytes(
        "unreadable.json",
        unreadable.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    );
    let warning = conversion
        .diagnostics
        .iter()
        .find(|d| d.code == "output::character")
        .expect("a warning");
    assert_eq!(warning.key.as_deref(), Some("b"));
    for named in ["`ᴍ` (U+1D0D)", "`ɴ` (U+0274)", "`😀` (U+1F600)"] {
        assert!(warning.message.contains(named), "{}", warning.message);
    }
}

// --- entry types ------------------------------------------------------------------

#[test]
fn a_type_classic_bibtex_has_not_comes_back_from_its_subtype() {
    let source = r#"[{"id": "s", "type": "software", "title": "S"}, {"id": "p", "type": "patent", "title": "P"},
        {"id": "w", "type": "webpage", "title": "W"}, {"id": "m", "type": "map", "title": "M"},
        {"id": "g", "type": "article-magazine", "title": "G", "container-title": "Mag"},
        {"id": "e", "type": "entry-encyclopedia", "title": "E", "container-title": "Enc"},
        {"id": "a", "type": "article", "title": "A", "number": "arXiv:2101.00001"}]"#;
    let types = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|item| item["type"].as_str().unwrap().to_owned())
            .collect()
    };
    let original = types(&items("types.json", source));
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let bib = convert_bytes("types.json", source.as_bytes().to_vec(), to).output;
        let again = items("again.bib", &bib);
        assert_eq!(types(&again), original, "{to:?}:\n{bib}");
    }
    let bib = convert_bytes(
        "types.json",
        source.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    )
    .output;
    assert!(
        bib.contains("@misc{s,\n  title = {S},\n  entrysubtype = {software},"),
        "{bib}"
    );
    assert!(
        bib.contains("@article{g,") && bib.contains("entrysubtype = {magazine},"),
        "{bib}"
    );
}

/// The `lost` warnings of a conversion: the value each is about.
fn lost_fields(conversion: &pubconv::convert::Conversion) -> Vec<(String, String)> {
    conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == "lost")
        .map(|d| {
            (
                d.key.clone().unwrap_or_default(),
                d.field.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn csl_types_without_an_entry_type_come_back_in_both_dialects() {
    let source = r#"[{"id": "b", "type": "post-weblog", "title": "B"},
        {"id": "c", "type": "broadcast", "title": "C"},
        {"id": "a", "type": "article", "title": "A"}]"#;
    let original: Vec<Value> = items("types.json", source);
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let bib = convert_bytes("types.json", source.as_bytes().to_vec(), to).output;
        let again = items("again.bib", &bib);
        for (before, after) in original.iter().zip(&again) {
            assert_eq!(before["type"], after["type"], "{to:?}:\n{bib}");
        }
    }
}

#[test]
fn csl_variables_without_a_bibtex_field_are_kept_under_their_csl_names() {
    let source = r#"[{"id": "k", "type": "legal_case", "title": "K v. L",
        "archive": "Bancroft Library", "archive_location": "MSS C-E 191",
        "authority": "E.D. Wisc.", "section": "456", "source": "PMC",
        "collection-editor": [{"family": "Zither", "given": "Ziggy"}],
        "composer": [{"family": "Doe", "given": "John"}],
        "submitted": {"date-parts": [[2019, 3]]},
        "jurisdiction": "US", "publisher-place": "Madison"}]"#;
    let original = items("csl.json", source).remove(0);
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let conversion = convert_bytes("csl.json", source.as_bytes().to_vec(), to);
        assert_eq!(lost_fields(&conversion), [], "{to:?}");
        assert!(
            conversion
                .output
                .contains("  archive_location = {MSS C-E 191},"),
            "{}",
            conversion.output
        );
        let again = items("again.bib", &conversion.output).remove(0);
        for variable in [
            "archive",
            "archive_location",
            "authority",
            "section",
            "source",
            "collection-editor",
            "composer",
            "submitted",
            "jurisdiction",
            "publisher-place",
        ] {
            assert_eq!(again[variable], original[variable], "{to:?}: {variable}");
        }
    }
}

#[test]
fn a_csl_key_that_bibtex_reads_otherwise_is_reported_not_written() {
    let source = r#"[{"id": "j", "type": "article-journal", "title": "T", "journal": "J",
        "issued": {"date-parts": [[2020]]}, "year": "2021", "key": "WQDG7EP5"}]"#;
    let conversion = convert_bytes(
        "keys.json",
        source.as_bytes().to_vec(),
        OutputFormat::Bibtex,
    );
    assert_eq!(
        lost_fields(&conversion),
        [
            ("j".to_owned(), "journal".to_owned()),
            ("j".to_owned(), "year".to_owned())
        ]
    );
    assert!(
        !conversion.output.contains("journal"),
        "{}",
        conversion.output
    );
    // `key` is kept: it reads back as itself.
    assert!(conversion.output.contains("  key = {WQDG7EP5},"));
}

#[test]
fn unknown_fields_keep_their_spelling() {
    let source = "@article{a, title = {T}, authorLink = {https://example.org}, key = {Knuth}}\n";
    let bib = convert_bytes("a.bib", source.into(), OutputFormat::Biblatex).output;
    assert!(
        bib.contains("  authorLink = {https://example.org},"),
        "{bib}"
    );
    assert!(bib.contains("  key = {Knuth},"), "{bib}");
}

#[test]
fn particles_and_letters_made_by_commands_keep_their_case() {
    // `{\AA}` is a capital, as BibTeX reads it; `\'{A}d\'{a}m` is a
    // particle to BibTeX (its first letter outside braces is `d`).
    let source =
        r"@article{a, title = {T}, author = {{\AA}ke Persson, Per Ola and \'{A}d\'{a}m Darvas}}";
    let authors = item(source)["author"].clone();
    assert_eq!(authors[0]["family"], "Åke Persson");
    assert_eq!(authors[1]["non-dropping-particle"], "Ádám");
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let bib = convert_bytes("a.bib", source.into(), to).output;
        assert_eq!(items("again.bib", &bib)[0]["author"], authors, "{bib}");
    }
}

#[test]
fn spellings_bibtex_would_change_are_written_so_they_read_back() {
    // A hyphen page range, a no-break space, TeX's quote ligatures.
    let source = r#"[{"id": "p", "type": "book", "title": "l'''s ``x''", "page": "114-117",
        "publisher": "Alfred A.\u00a0Knopf", "publisher-place": "Cambridge ; New York"}]"#;
    let original = items("p.json", source).remove(0);
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let bib = convert_bytes("p.json", source.as_bytes().to_vec(), to).output;
        let again = items("again.bib", &bib).remove(0);
        for variable in ["title", "page", "publisher", "publisher-place"] {
            assert_eq!(
                again[variable], original[variable],
                "{to:?} {variable}:\n{bib}"
            );
        }
    }
}

#[test]
fn a_report_of_no_kind_says_what_classic_bibtex_makes_of_it() {
    let source = "@report{r, title = {R}, institution = {I}, date = {2020}}\n";
    let conversion = convert_bytes("r.bib", source.into(), OutputFormat::Bibtex);
    assert!(conversion.output.starts_with("@techreport{r,"));
    assert_eq!(
        lost_fields(&conversion),
        [("r".to_owned(), "genre".to_owned())]
    );
    let biblatex = convert_bytes("r.bib", source.into(), OutputFormat::Biblatex);
    assert_eq!(lost_fields(&biblatex), []);
}

#[test]
fn roles_csl_has_no_name_for_come_back_from_csl_json() {
    let source = "@book{k, title = {T}, commentator = {Cope, Edward}, foreword = {Doe, Jane}, contributor = {Roe, Rita}}\n";
    let csl = convert_bytes("k.bib", source.into(), OutputFormat::CslJson).output;
    let item: Vec<Value> = serde_json::from_str(&csl).unwrap();
    assert_eq!(item[0]["contributor"].as_array().unwrap().len(), 3, "{csl}");
    assert_eq!(
        item[0]["custom"]["commentator"][0]["family"], "Cope",
        "{csl}"
    );
    let bib = convert_bytes("k.json", csl.into_bytes(), OutputFormat::Biblatex).output;
    assert!(bib.contains("  commentator = {Cope, Edward},"), "{bib}");
    assert!(bib.contains("  foreword = {Doe, Jane},"), "{bib}");
    assert!(bib.contains("  contributor = {Roe, Rita},"), "{bib}");
}

#[test]
fn csl_json_spellings_of_the_same_value_read_as_one() {
    // An open range as citeproc-js writes it, a DOI as a link, a
    // language by name, a range that ends where it starts.
    let source = r#"[{"id": "k", "type": "book", "title": "T",
        "issued": {"date-parts": [[1987], [0]]}, "accessed": {"date-parts": [[1999], [1999]]},
        "DOI": "https://doi.org/10.1000/x", "language": "italian"}]"#;
    let item = items("k.json", source).remove(0);
    assert_eq!(item["issued"]["raw"], "1987/..");
    assert_eq!(item["accessed"]["date-parts"], serde_json::json!([[1999]]));
    assert_eq!(item["DOI"], "10.1000/x");
    assert_eq!(item["language"], "it-IT");
}

#[test]
fn tex_spellings_read_as_latex_typesets_them() {
    // APS writes accented letters for both modes; `\nobreak\,` is the
    // narrow no-break space pubconv writes; an empty group is nothing.
    let source = r"@article{k, title = {1.3\nobreak\,nm \\{}}, author = {Ci\ifmmode \check{z}\else \v{z}\fi{}ek, Jakub}}";
    let item = item(source);
    assert_eq!(item["author"][0]["family"], "Cižek");
    assert_eq!(item["title"], "1.3\u{202f}nm");
}

#[test]
fn a_lost_value_is_reported_where_its_entry_is() {
    let source = "% a comment\n\n@book{first, title = {T}, date = {2020}}\n@book{k, title = {T},\n  date = {1850~}}\n";
    let conversion = convert_bytes("where.bib", source.into(), OutputFormat::Bibtex);
    let lost: Vec<_> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == "lost")
        .collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(
        (
            lost[0].file.as_str(),
            lost[0].line,
            lost[0].field.as_deref()
        ),
        ("where.bib", 4, Some("issued"))
    );
}

#[test]
fn paragraphs_of_an_abstract_stay_paragraphs() {
    let source =
        "@article{k, title = {T}, abstract = {First.\n\n   Second,\n still second.\\par Third.}}\n";
    let item = item(source);
    assert_eq!(
        item["abstract"],
        "First.\n\nSecond, still second.\n\nThird."
    );
    for to in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
        let bib = convert_bytes("k.bib", source.into(), to).output;
        assert!(
            bib.contains("{First.\\par Second, still second.\\par Third.}"),
            "{bib}"
        );
        let csl = r#"[{"id": "k", "type": "book", "title": "T", "abstract": "One.\n\nTwo."}]"#;
        let bib = convert_bytes("k.json", csl.into(), to).output;
        assert_eq!(
            items("again.bib", &bib)[0]["abstract"],
            "One.\n\nTwo.",
            "{bib}"
        );
    }
}
