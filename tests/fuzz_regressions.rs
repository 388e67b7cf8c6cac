//! Every input a fuzz target once failed on, run through the same check
//! again. The inputs live in `fuzz/regressions/<target>/`; the checks are
//! the fuzz crate's own (`fuzz/src/lib.rs`), included here so both run the
//! same code.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

use pubconv::read::InputFormat;

fn each_case(target: &str, check: impl Fn(&[u8])) -> usize {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(listing) = std::fs::read_dir(&folder) else {
        return 0;
    };
    let mut count = 0;
    for file in listing {
        let path = file.unwrap().path();
        eprintln!("{}", path.display());
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    count
}

#[test]
fn fuzz_cases_stay_fixed() {
    let cases = each_case("profile", |bytes| {
        checks::read_and_write(InputFormat::Profile, bytes)
    }) + each_case("scholar", |bytes| {
        checks::read_and_write(InputFormat::ScholarPaste, bytes)
    }) + each_case("dblp", |bytes| {
        checks::read_and_write(InputFormat::Dblp, bytes)
    }) + each_case("orcid", |bytes| {
        checks::read_and_write(InputFormat::Orcid, bytes)
    }) + each_case("bibtex", |bytes| {
        checks::read_and_write(InputFormat::Bibtex, bytes)
    }) + each_case("csl_json", |bytes| {
        checks::read_and_write(InputFormat::CslJson, bytes)
    }) + each_case("openalex", |bytes| {
        checks::read_and_write(InputFormat::OpenAlex, bytes)
    }) + each_case("semantic_scholar", |bytes| {
        checks::read_and_write(InputFormat::SemanticScholar, bytes)
    }) + each_case("arxiv", |bytes| {
        checks::read_and_write(InputFormat::ArxivAtom, bytes)
    }) + each_case("crossref", |bytes| {
        checks::read_and_write(InputFormat::Crossref, bytes)
    }) + each_case("dblp_search", |bytes| {
        checks::read_and_write(InputFormat::DblpSearch, bytes)
    }) + each_case("round_trip", checks::round_trip_case)
        + each_case("streaming", checks::streaming)
        + each_case("streaming", |bytes| {
            let _ = checks::streaming_tiled(bytes);
            let _ = checks::streaming_tiled_with_line_ends(bytes, b" ");
            let _ = checks::streaming_tiled_with_line_ends(bytes, b"\r");
        });
    eprintln!("{cases} fuzz regression cases pass");
    assert!(
        cases > 0,
        "fuzz/regressions/ holds no case: is the folder there?"
    );
}
