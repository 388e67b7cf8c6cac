//! The BibTeX reader on files that break other converters
//! (`fixtures/bibtex/traps.bib`) and on a CV's worth of entry types
//! (`fixtures/bibtex/cv.bib`), in every output format.

mod common;

use common::{convert_bytes, convert_fixture, fixture};
use pubconv::diagnostic::Severity;
use pubconv::write::OutputFormat;
use serde_json::Value;

fn traps_json() -> (Vec<Value>, pubconv::convert::Conversion) {
    let conversion = convert_fixture(&fixture("bibtex/traps.bib"), OutputFormat::CslJson);
    let items = serde_json::from_str(&conversion.output).expect("valid JSON");
    (items, conversion)
}

fn item<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|item| item["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

#[test]
fn one_broken_entry_costs_only_itself() {
    let (items, conversion) = traps_json();
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|item| item["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "paren2020",
            "concat2021",
            "cycleA",
            "cycleB",
            "child2019",
            "parent2018",
            "arxiv2301"
        ]
    );
    assert_eq!(
        (
            conversion.written,
            conversion.skipped,
            conversion.exit_status()
        ),
        (7, 1, 1)
    );
    let error = conversion
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .unwrap();
    assert_eq!((error.line, error.column), (32, 19));
    assert!(error.message.contains("`broken2022`"), "{}", error.message);
}

#[test]
fn parenthesised_entries_accents_math_and_protection() {
    let (items, _) = traps_json();
    let paren = item(&items, "paren2020");
    let families: Vec<&str> = paren["author"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["family"].as_str())
        .collect();
    assert_eq!(families, ["Müller", "Østergaard", "García"]);
    assert_eq!(paren["author"][2]["given"], "José");
    assert_eq!(
        paren["custom"]["authors-truncated"], true,
        "`and others` is a flag, not a person"
    );
    assert_eq!(
        paren["title"],
        "The <span class=\"nocase\">DNA</span> of α-Helices in <i>Escherichia coli</i> – a “Study”"
    );
    assert_eq!(
        paren["issued"]["date-parts"],
        serde_json::json!([[2020, 9]]),
        "`Sept.` is September"
    );
    assert_eq!(paren["DOI"], "10.1000/xyz_123");
    assert_eq!(paren["page"], "100-110");
}

#[test]
fn strings_concatenate_case_insensitively_and_and_splits_in_any_case() {
    let (items, _) = traps_json();
    let concat = item(&items, "concat2021");
    assert_eq!(
        concat["container-title"],
        "Proceedings of the Conference on Things"
    );
    assert_eq!(concat["publisher"], "Association for Computing Machinery");
    assert_eq!(concat["author"].as_array().map(Vec::len), Some(2));
}

#[test]
fn crossref_keeps_the_childs_date_and_cycles_are_reported() {
    let (items, conversion) = traps_json();
    let child = item(&items, "child2019");
    assert_eq!(child["issued"]["date-parts"], serde_json::json!([[2019]]));
    assert_eq!(child["container-title"], "Proceedings of Things");
    assert_eq!(child["publisher-place"], "Paris");
    assert_eq!(child["editor"][0]["family"], "Editor");
    assert!(
        conversion
            .diagnostics
            .iter()
            .any(|d| d.code == "bibtex::inheritance"
                && d.message.contains("cycleA → cycleB → cycleA"))
    );
}

#[test]
fn eprints_math_without_unicode_and_commented_entries() {
    let (items, conversion) = traps_json();
    let preprint = item(&items, "arxiv2301");
    assert_eq!(preprint["type"], "article");
    assert_eq!(preprint["number"], "arXiv:2301.00001");
    assert_eq!(preprint["categories"], serde_json::json!(["cs.LG"]));
    assert_eq!(
        preprint["title"],
        "A Preprint with 50% of the <b>Math</b>: $\\frac{a}{b}$"
    );
    assert!(!conversion.output.contains("removed") && !conversion.output.contains("ghost"));
}

#[test]
fn the_bibtex_output_keeps_the_preamble_and_converts_again_to_the_same_bytes() {
    for name in ["bibtex/traps.bib", "bibtex/cv.bib"] {
        for format in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
            let first = convert_fixture(&fixture(name), format).output;
            let second = convert_bytes("first.bib", first.clone().into_bytes(), format);
            let third = convert_bytes("second.bib", second.output.clone().into_bytes(), format);
            assert_eq!(
                first, second.output,
                "{name} as {format:?} reads back as written"
            );
            assert_eq!(
                second.output, third.output,
                "{name} as {format:?} is stable"
            );
            assert_eq!(
                second.skipped, 0,
                "{name}: pubconv's own output reads back without errors"
            );
        }
    }
    let bib = convert_fixture(&fixture("bibtex/traps.bib"), OutputFormat::Bibtex).output;
    assert!(
        bib.starts_with("@preamble{{\\providecommand{\\noopsort}[1]{}}}"),
        "{bib}"
    );
}

/// The cases `../shared/notes/crates.md` measured the biblatex crate
/// failing on, each read the way BibTeX and biber read it.
#[test]
fn what_the_biblatex_crate_gets_wrong_pubconv_gets_right() {
    let bib = concat!(
        "@string{self = self # {x}}\n",
        "@string{Macro = {Defined}}\n",
        "@misc{a, title = {A}, note = self # MACRO # undefined, month = 0, year = 2020}\n",
        "@misc{b, title = {B}, xdata = {c}}\n",
        "@xdata{c, xdata = {b}, publisher = {P}}\n",
        "@misc{a, title = {Second A}, year = 2021}\n",
        "@misc{d, title = {{\\\"O}sterreich}, author = {Doe, J.~R. AND Roe, A. and others}}\n",
    );
    let conversion = convert_bytes("crate.bib", bib.as_bytes().to_vec(), OutputFormat::CslJson);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).unwrap();
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|item| item["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["a", "b", "aa", "d"],
        "xdata entries are data; a repeated key gets a suffix"
    );
    let codes: Vec<&str> = conversion.diagnostics.iter().map(|d| d.code).collect();
    for code in [
        "bibtex::undefined-string",
        "bibtex::inheritance",
        "bibtex::duplicate-key",
        "bibtex::field",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    // A self-referring @string is undefined where it is used: no overflow.
    assert_eq!(items[0]["note"], "selfxDefinedundefined");
    assert_eq!(
        items[0]["issued"]["date-parts"],
        serde_json::json!([[2020]]),
        "month 0 costs only the month"
    );
    assert_eq!(items[1]["publisher"], "P");
    assert_eq!(
        items[3]["title"], "Österreich",
        "an accent group is not case protection"
    );
    assert_eq!(items[3]["author"][0]["given"], "J. R.");
    assert_eq!(items[3]["author"].as_array().map(Vec::len), Some(2));
    assert_eq!(conversion.exit_status(), 0, "warnings only");
}

#[test]
fn legacy_encodings_decode() {
    let text = "@article{k, author = {Müller, Jörg}, title = {Über – “x”}, year = 2020}\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'ü' => 0xFC,
            'ö' => 0xF6,
            'Ü' => 0xDC,
            '–' => 0x96,
            '“' => 0x93,
            '”' => 0x94,
            c => c as u8,
        })
        .collect();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for (bytes, warns) in [(cp1252, true), (utf16, false)] {
        let conversion = convert_bytes("legacy.bib", bytes, OutputFormat::CslJson);
        assert!(
            conversion.output.contains("\"Müller\""),
            "{}",
            conversion.output
        );
        assert!(conversion.output.contains("Über – “x”"));
        assert_eq!(
            conversion
                .diagnostics
                .iter()
                .any(|d| d.code == "input::not-utf8"),
            warns
        );
    }
}

#[test]
fn cv_entries_in_every_format() {
    let path = fixture("bibtex/cv.bib");
    let bibtex = convert_fixture(&path, OutputFormat::Bibtex);
    assert_eq!((bibtex.written, bibtex.skipped), (5, 0));
    insta::assert_snapshot!("cv.bib", bibtex.output);
    insta::assert_snapshot!(
        "cv.biblatex.bib",
        convert_fixture(&path, OutputFormat::Biblatex).output
    );
    insta::assert_snapshot!(
        "cv.csl.json",
        convert_fixture(&path, OutputFormat::CslJson).output
    );
    insta::assert_snapshot!(
        "cv.md",
        convert_fixture(&path, OutputFormat::Markdown).output
    );
}

#[test]
fn a_miscs_booktitle_is_its_container_and_howpublished_its_publisher() {
    let bib = "@misc{venue, title = {T}, booktitle = {Blog of Things}, publisher = {Things Inc.}}\n\
               @misc{how, title = {T}, howpublished = {Blog of Things}, publisher = {Things Inc.}}\n";
    let conversion = convert_bytes("misc.bib", bib.into(), OutputFormat::CslJson);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).expect("valid JSON");
    let venue = item(&items, "venue");
    assert_eq!(venue["container-title"], "Blog of Things");
    assert_eq!(venue["publisher"], "Things Inc.");
    // As pandoc reads it.
    let how = item(&items, "how");
    assert_eq!(how.get("container-title"), None);
    assert_eq!(how["publisher"], "Blog of Things; Things Inc.");
    // Written back as classic BibTeX, each reads as it was; the
    // container is said again in `howpublished`, which classic styles
    // print.
    let bibtex = convert_bytes("misc.bib", bib.into(), OutputFormat::Bibtex).output;
    assert!(
        bibtex.contains(
            "booktitle = {Blog of Things},\n  howpublished = {Blog of Things},\n  publisher = {Things Inc.},"
        ),
        "{bibtex}"
    );
    let again = convert_bytes(
        "again.bib",
        bibtex.clone().into_bytes(),
        OutputFormat::CslJson,
    );
    let again: Vec<Value> = serde_json::from_str(&again.output).expect("valid JSON");
    assert_eq!(item(&again, "venue")["publisher"], "Things Inc.");
    assert_eq!(
        item(&again, "how")["publisher"],
        "Blog of Things; Things Inc."
    );
    assert!(
        bibtex.contains("howpublished = {Blog of Things; Things Inc.},\n}"),
        "{bibtex}"
    );
}

#[test]
fn a_preprints_container_and_arxiv_note_both_come_back() {
    let bib = "@misc{pre, title = {T}, booktitle = {Workshop on Things}, eprint = {2301.00001}, archivePrefix = {arXiv}}\n";
    let bibtex = convert_bytes("pre.bib", bib.into(), OutputFormat::Bibtex).output;
    assert!(
        bibtex.contains("booktitle = {Workshop on Things},"),
        "{bibtex}"
    );
    assert!(
        bibtex.contains("howpublished = {arXiv preprint arXiv:2301.00001},"),
        "{bibtex}"
    );
    let again = convert_bytes(
        "again.bib",
        bibtex.clone().into_bytes(),
        OutputFormat::CslJson,
    );
    let items: Vec<Value> = serde_json::from_str(&again.output).expect("valid JSON");
    let pre = item(&items, "pre");
    assert_eq!(pre["type"], "article");
    assert_eq!(pre["container-title"], "Workshop on Things");
    // The note is read as what it says, not as a publisher named by it.
    assert_eq!(pre["publisher"], "arXiv");
}

#[test]
fn plain_fields_read_spaces_as_tex_does_and_hyphens_stay_hyphens() {
    let bib = "@misc{a, publisher = {One {} Two\n\tThree}}\n\
               @misc{b, publisher = {{ }}, howpublished = {{}}}\n\
               @misc{c, publisher = {X-{}-Y $--$}, pages = {3--9}}\n";
    let conversion = convert_bytes("plain.bib", bib.into(), OutputFormat::CslJson);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).expect("valid JSON");
    assert_eq!(item(&items, "a")["publisher"], "One Two Three");
    assert_eq!(item(&items, "b").get("publisher"), None, "blank is absent");
    assert_eq!(item(&items, "c")["publisher"], "X--Y --");
    // Written back, two hyphens that are hyphens are kept apart; a page
    // range is a dash on purpose.
    let bibtex = convert_bytes("plain.bib", bib.into(), OutputFormat::Bibtex).output;
    assert!(bibtex.contains("howpublished = {X-{}-Y -{}-},"), "{bibtex}");
    assert!(bibtex.contains("pages = {3--9},"), "{bibtex}");
}

/// Google Scholar's BibTeX export files a preprint as an article in the
/// journal "arXiv preprint arXiv:ID" and escapes math character by
/// character: both are read as what they were.
#[test]
fn google_scholar_exports_are_repaired_on_reading() {
    let bib = r"@article{kim2022sufficient, title={Sufficient conditions for $$\backslash$ell\_ $\{$1$\}$ $ recovery}, author={Kim, Taero}, journal={arXiv preprint arXiv:2210.07506}, year={2022}}
@article{old, title={Old style}, journal={arXiv preprint math/0501001}, year={2005}}
@article{versioned, title={$\backslash$alpha is not math here}, journal={arXiv preprint arXiv:1706.03762v5}, year={2017}}
@article{journal, title={A journal paper}, journal={arXiv preprint: a journal of its own}, year={2017}}
";
    let conversion = convert_bytes("scholar.bib", bib.into(), OutputFormat::CslJson);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).expect("valid JSON");
    let kim = item(&items, "kim2022sufficient");
    assert_eq!(kim["type"], "article");
    assert_eq!(kim["number"], "arXiv:2210.07506");
    assert_eq!(kim.get("container-title"), None);
    assert_eq!(kim["title"], "Sufficient conditions for ℓ₁ recovery");
    assert_eq!(item(&items, "old")["number"], "arXiv:math/0501001");
    let versioned = item(&items, "versioned");
    assert_eq!(versioned["number"], "arXiv:1706.03762v5");
    // An escape outside math is the backslash it says.
    assert_eq!(versioned["title"], r"\alpha is not math here");
    let journal = item(&items, "journal");
    assert_eq!(journal["type"], "article-journal");
    assert_eq!(
        journal["container-title"],
        "arXiv preprint: a journal of its own"
    );
    let repairs = conversion
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("is arXiv: read as the preprint"))
        .count();
    assert_eq!(repairs, 3);
    // Written back, each stays a preprint with its identifier.
    let bibtex = convert_bytes("scholar.bib", bib.into(), OutputFormat::Bibtex).output;
    assert!(
        bibtex.contains("title = {Sufficient conditions for $\\ell_{1}$ recovery},"),
        "{bibtex}"
    );
    let again = convert_bytes("again.bib", bibtex.into_bytes(), OutputFormat::CslJson);
    let again: Vec<Value> = serde_json::from_str(&again.output).expect("valid JSON");
    assert_eq!(
        item(&again, "kim2022sufficient")["number"],
        "arXiv:2210.07506"
    );
    assert_eq!(item(&again, "old")["type"], "article");
}

/// Google Scholar's export types conference papers `@article` with the
/// conference in `journal`: in Scholar's shape (its key, the title first,
/// no DOI or URL) such an article is read as a conference paper and said;
/// elsewhere, and for journals named "Proceedings of …", the type stays.
#[test]
fn google_scholar_conference_articles_are_conference_papers() {
    let bib = "@article{brox2004high,\r\n  title={High accuracy optical flow estimation},\r\n  author={Brox, Thomas and Bruhn, Andr{\\'e}s},\r\n  journal={Computer Vision-ECCV 2004},\r\n  pages={25--36},\r\n  year={2004},\r\n  publisher={Springer}\r\n}\r\n\
@article{vaswani2017attention, title={Attention is all you need}, author={Vaswani, Ashish}, journal={Advances in neural information processing systems}, volume={30}, year={2017}}
@article{muller2019workshop, title={Über Werkstätten}, author={Müller, Zoë}, journal={Proceedings of the 3rd International Workshop on Things}, year={2019}}
@article{lee2015proceedings, title={A national paper}, author={Lee, Sang-Eun}, journal={Proceedings of the National Academy of Sciences}, volume={112}, year={2015}}
@article{kim2020nature, title={In a journal}, author={Kim, Taero}, journal={Nature}, year={2020}}
@article{smith2018doi, title={Has a DOI}, author={Smith, Jo}, journal={Proceedings of the Conference on X}, doi={10.1/x}, year={2018}}
@article{MyKey, title={Not Scholar's key}, author={Smith, Jo}, journal={Proceedings of the Conference on X}, year={2018}}
@article{smith2018titlelast, author={Smith, Jo}, journal={Proceedings of the Conference on X}, year={2018}, title={Title last}}
";
    let conversion = convert_bytes("scholar.bib", bib.into(), OutputFormat::CslJson);
    let items: Vec<Value> = serde_json::from_str(&conversion.output).expect("valid JSON");
    for (key, kind) in [
        ("brox2004high", "paper-conference"),
        ("vaswani2017attention", "paper-conference"),
        ("muller2019workshop", "paper-conference"),
        ("lee2015proceedings", "article-journal"),
        ("kim2020nature", "article-journal"),
        ("smith2018doi", "article-journal"),
        ("MyKey", "article-journal"),
        ("smith2018titlelast", "article-journal"),
    ] {
        assert_eq!(item(&items, key)["type"], kind, "{key}");
    }
    assert_eq!(
        item(&items, "brox2004high")["container-title"],
        "Computer Vision-ECCV 2004"
    );
    let repairs: Vec<_> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("read as a conference paper"))
        .collect();
    assert_eq!(repairs.len(), 3, "{repairs:?}");
    assert_eq!(repairs[0].line, 4, "{:?}", repairs[0]);
    // Written back as BibTeX, the conference is the booktitle.
    let bibtex = convert_bytes("scholar.bib", bib.into(), OutputFormat::Bibtex).output;
    assert!(bibtex.contains("@inproceedings{brox2004high,"), "{bibtex}");
    assert!(
        bibtex.contains("booktitle = {Computer Vision-ECCV 2004},"),
        "{bibtex}"
    );
}

/// A long list (many windows, read side by side) whose owner marks
/// themselves here and there, through a `@string` defined late and
/// through a `crossref`: read whole, the first marked person is the
/// owner, every marked author list is counted once, and the note points
/// at the first, whatever the names and line ends.
#[test]
fn an_owner_marked_across_a_long_list_is_found_in_every_window() {
    use pubconv::read::{bibtex::read_bibtex, ReadOptions, Source};
    let owners = [
        ("Ada Lovelace", "Lovelace, Ada"),
        ("Zoë Ñúñez-Öberg", "Ñúñez-Öberg, Zoë"),
    ];
    for ((owner, inverted), line_end) in owners.into_iter().zip(["\n", "\r\n"]) {
        let mut text = String::new();
        let mut marked = 0;
        let mut first_line = None;
        let mut line = 1;
        for n in 0..4000 {
            let author = match n % 700 {
                // Marked three ways, in entries far apart.
                350 => format!("\\underline{{{owner}}} and Max Roe"),
                0 if n > 0 => format!("Roe, Max and {{\\bf {inverted}}}"),
                500 => "me # { and Max Roe}".to_owned(),
                _ => "Roe, Max and Doe, Jane".to_owned(),
            };
            let marks =
                author.contains(owner) || author.contains(inverted) || author.starts_with("me");
            if marks {
                marked += 1;
                first_line.get_or_insert(line);
            }
            let value = match author.starts_with("me") {
                true => author,
                false => format!("{{{author}}}"),
            };
            text.push_str(&format!("@article{{k{n},{line_end}  author = {value},{line_end}  title = {{Paper {n}}}}}{line_end}"));
            line += 3;
        }
        // A child inherits its marked author from a parent after it.
        text.push_str(&format!(
            "@inproceedings{{child, crossref = {{parent}}, title = {{Talk}}}}{line_end}"
        ));
        text.push_str(&format!("@proceedings{{parent, author = {{\\textbf{{{owner}}}}}, title = {{Proceedings}}}}{line_end}"));
        marked += 2;
        // Defined after the entries that use it: entries see every `@string`.
        text.push_str(&format!(
            "@string{{me = {{\\underline{{{owner}}}}}}}{line_end}"
        ));

        let reading = read_bibtex(
            Source {
                name: "long.bib",
                text: &text,
            },
            &ReadOptions::default(),
        );
        assert_eq!(reading.library.works.len(), 4002);
        let profile = reading.library.profile.expect("an owner");
        assert_eq!(profile.name, owner);
        let notes: Vec<_> = reading
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.code == "bibtex::owner")
            .collect();
        assert_eq!(notes.len(), 1, "{:?}", reading.diagnostics);
        let expected = format!("in {marked} author list(s)");
        assert!(notes[0].message.contains(&expected), "{}", notes[0].message);
        // The author field is on the line after the entry's first.
        assert_eq!(notes[0].line, first_line.unwrap() + 1, "{owner}");
    }
}
