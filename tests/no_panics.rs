//! Bad input never panics: arbitrary text, and dumps, `.bib` files,
//! DBLP XML and ORCID JSON assembled from the pieces real ones are made of,
//! go through every reader and writer.

mod common;

use proptest::prelude::*;
use pubconv::read::{InputFormat, ReadOptions, Source};
use pubconv::tex::{self, Dialect};
use pubconv::write::OutputFormat;

fn options() -> ReadOptions {
    ReadOptions {
        as_of: common::AS_OF.parse().unwrap(),
    }
}

fn write_all(text: &str) {
    for format in InputFormat::ALL {
        let reading = format.read(Source { name: "fuzz", text }, &options());
        for format in OutputFormat::ALL {
            let _ = format.write(&reading.library, &Default::default());
        }
    }
}

/// Pieces of BibTeX, whole and broken.
fn bib_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("@article{k, author = {M{\\\"u}ller, J. and others}, title = {A {DNA} $x^2$}, year = 2020}\n".to_owned()),
        Just("@string{s = {S} # s}\n".to_owned()),
        Just("@misc(p, crossref = {p}, xdata = {q})\n".to_owned()),
        Just("@xdata{q, xdata = {p}}\n".to_owned()),
        Just("@comment{ {\n".to_owned()),
        Just("%@misc{gone}\n".to_owned()),
        Just("@preamble{ \"x\" # s }\n".to_owned()),
        Just("title = {unclosed\n".to_owned()),
        Just("@misc{k, date = {2020-13/..}, month = {July 30th}, year = {x}}\n".to_owned()),
        "[@{}(),=#\"%a-z0-9 \\\\\n]{0,40}",
        any::<String>(),
    ]
}

/// Lines of the kinds a dump or a Scholar paste holds, some of them
/// broken.
fn dump_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("LGOct 24, 2022".to_owned()),
        Just("CLFeb 29".to_owned()),
        Just("IVFeb 30, 2023".to_owned()),
        Just("XXFoo 3".to_owned()),
        Just("10 Papers".to_owned()),
        Just("h-index5".to_owned()),
        Just("Taero Kim, Subeen Park, Sungjun Lim et al.".to_owned()),
        Just("Zoë Kovács-Müller".to_owned()),
        Just(r"A $\beta$-{VAE} with \emph{x} & 50% $\frac{a}{b}$ \é".to_owned()),
        // A Google Scholar paste's.
        Just("Title1–20\tCited by\tYear".to_owned()),
        Just("Citations\t4631\t3709".to_owned()),
        Just("JT Leek, RB Scharpf, É Durand, ...".to_owned()),
        Just("Nature 520 (7549), 612\t64*\t2015".to_owned()),
        Just("Proceedings of the National Academy of Sciences of the \u{a0}…\t\t".to_owned()),
        Just("arXiv preprint arXiv:2210.13533, 2022".to_owned()),
        Just("\t\t".to_owned()),
        "[A-Za-z0-9 ,.$\\\\{}%&#_^~*\\[\\]<>`é-]{0,40}",
        any::<String>(),
    ]
}

/// Pieces of DBLP person XML, whole and broken.
fn dblp_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<?xml version=\"1.0\"?>\n".to_owned()),
        Just("<dblpperson name=\"Di Xu 0001\" pid=\"95/7448-1\">".to_owned()),
        Just("</dblpperson>".to_owned()),
        Just("<r><article key=\"a\" publtype=\"informal\">".to_owned()),
        Just("</article></r>\n".to_owned()),
        Just("<r><www key=\"homepages/1\"><title>Home Page</title></www></r>".to_owned()),
        Just("<author pid=\"1/2\">José Müller 0002</author>".to_owned()),
        Just("<title>A <i>k</i>-SAT CO<sub>2</sub> <sup>x</sup><tt>.</tt>.</title>".to_owned()),
        Just("<journal>CoRR</journal><volume>abs/</volume>".to_owned()),
        Just("<ee>https://doi.org/</ee><ee>https://arxiv.org/abs/</ee>".to_owned()),
        Just("<year>99999999999</year><pages>1-</pages><number/>".to_owned()),
        Just("<!DOCTYPE dblp [<!ENTITY e \"&#xe9;\">]>&e;".to_owned()),
        "[<>/=\"a-z0-9 &;\n]{0,40}",
        any::<String>(),
    ]
}

/// A value of an ORCID work's field: real ones, odd ones, any text.
fn orcid_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2020".to_owned()),
        Just("02".to_owned()),
        Just("30".to_owned()),
        Just("99999999999".to_owned()),
        Just("journal-article".to_owned()),
        Just("DISSERTATION_THESIS".to_owned()),
        Just("part-of".to_owned()),
        Just("https://doi.org/10.1/x%2Fy".to_owned()),
        Just("arXiv:".to_owned()),
        Just("Müller, José".to_owned()),
        Just("@article{k, author = {A and B}, pages = {1--2}}".to_owned()),
        Just("<head>".to_owned()),
        Just(String::new()),
        any::<String>(),
    ]
}

/// An ORCID work object, its fields' values drawn from [`orcid_value`],
/// any of them null.
fn orcid_work() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::collection::vec(prop::option::of(orcid_value()), 14),
        any::<u64>(),
    )
        .prop_map(|(values, put_code)| {
            let v = |at: usize| values[at].clone();
            let wrapped = |at: usize| v(at).map(|value| serde_json::json!({ "value": value }));
            serde_json::json!({
                "put-code": put_code,
                "path": v(0),
                "title": {"title": wrapped(1), "subtitle": wrapped(2), "translated-title": null},
                "type": v(3),
                "publication-date": {"year": wrapped(4), "month": wrapped(5), "day": wrapped(6)},
                "external-ids": {"external-id": [{
                    "external-id-type": v(7), "external-id-value": v(8),
                    "external-id-normalized": null, "external-id-relationship": v(9)}]},
                "url": wrapped(10),
                "contributors": {"contributor": [{"credit-name": wrapped(11),
                    "contributor-attributes": {"contributor-sequence": null, "contributor-role": v(12)}}]},
                "citation": {"citation-type": "bibtex", "citation-value": v(13)},
                "journal-title": wrapped(1),
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn assembled_orcid_json_never_panics(works in prop::collection::vec(orcid_work(), 0..6), shape in 0..3u8) {
        let json = match shape {
            0 => serde_json::json!({"bulk": works.iter().map(|work| serde_json::json!({"work": work})).collect::<Vec<_>>()}),
            1 => serde_json::json!({"group": [{"work-summary": works}], "path": "/0000-0002-0613-2229/works"}),
            _ => works.first().cloned().unwrap_or_else(|| serde_json::json!({"put-code": 1})),
        };
        write_all(&serde_json::to_string_pretty(&json).unwrap());
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        write_all(&text);
        let _ = tex::parse(&text, Dialect::Bibtex);
        let _ = tex::parse(&text, Dialect::ArxivText);
        let _ = tex::math::to_unicode(&text);
    }

    #[test]
    fn assembled_dumps_never_panic(lines in prop::collection::vec(dump_line(), 0..40), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        write_all(&text);
    }

    #[test]
    fn assembled_dblp_xml_never_panics(pieces in prop::collection::vec(dblp_piece(), 0..30), crlf in any::<bool>()) {
        let text = pieces.concat();
        write_all(&if crlf { text.replace('\n', "\r\n") } else { text });
    }

    #[test]
    fn assembled_bibtex_never_panics(pieces in prop::collection::vec(bib_piece(), 0..30)) {
        write_all(&pieces.concat());
    }

    #[test]
    fn tex_like_text_never_panics(text in "[a-z{}$\\\\'\"`~^_ -]{0,60}") {
        for dialect in [Dialect::Bibtex, Dialect::ArxivText] {
            let parsed = tex::parse(&text, dialect);
            for inline in &parsed.inlines {
                if let pubconv::model::Inline::Math(math) = inline {
                    let _ = tex::math::to_unicode(math);
                }
            }
        }
    }
}
