//! Throughput of each reader and writer: `cargo bench`. The BibTeX files
//! are the large ones in `../shared/corpus/large/` (skipped, saying so,
//! where absent); the profile dump is generated: 10,000 papers in the
//! reference dump's shape; the arXiv feed and the Crossref page are
//! generated in the shape of their fixtures, 10,000 works each.

use std::path::Path;

use divan::counter::BytesCount;
use divan::Bencher;
use pubconv::model::Library;
use pubconv::read::{InputFormat, ReadOptions, Source};
use pubconv::write::{Options, OutputFormat};

// The binary's allocator, so that the numbers are the command line's.
#[global_allocator]
static ALLOCATOR: pubconv::allocator::Allocator = pubconv::allocator::Allocator;

fn main() {
    divan::main();
}

/// The large corpus files, by name.
const LARGE: &[&str] = &[
    "rfc-bib/rfc.bib",
    "lvilnis-BibtexParser-inputs/domain-decomp.bib",
];

fn corpus(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/large")
        .join(name);
    let bytes = std::fs::read(&path).ok();
    if bytes.is_none() {
        eprintln!("skipped: {} is absent", path.display());
    }
    bytes.map(|bytes| pubconv::read::decode(&bytes, name).0)
}

fn dump(papers: usize) -> String {
    let mut text = String::from("Jane Doe\n\nLG\nh-index5\n\n10000 Papers\n\n");
    for n in 0..papers {
        text.push_str(&format!(
            "LGOct {}, 20{:02}\nA Study of $\\beta$-Things Number {n}\n\nJane Doe, Zoë Kovács-Müller, Sang-Eun Lee et al.\n\nWe study things with \\emph{{care}}, at 50% of the cost.\n\n",
            n % 28 + 1,
            n % 25
        ));
    }
    text
}

fn read(format: InputFormat, text: &str) -> Library {
    let options = ReadOptions {
        as_of: "2026-11-27".parse().unwrap(),
    };
    format
        .read(
            Source {
                name: "bench",
                text,
            },
            &options,
        )
        .library
}

#[divan::bench(args = LARGE)]
fn read_bibtex(bencher: Bencher, name: &str) {
    let Some(text) = corpus(name) else { return };
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::Bibtex, &text));
}

#[divan::bench(args = LARGE)]
fn bibtex_to_csl_json(bencher: Bencher, name: &str) {
    let Some(text) = corpus(name) else { return };
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        OutputFormat::CslJson.write(&read(InputFormat::Bibtex, &text), &Options::default())
    });
}

/// What `pubconv convert FILE.bib --to csl-json` does: the file streamed
/// from disk, entries converted side by side, the output in memory.
#[divan::bench(args = LARGE)]
fn bibtex_file_to_csl_json_streaming(bencher: Bencher, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/large")
        .join(name);
    let Ok(size) = std::fs::metadata(&path).map(|meta| meta.len() as usize) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let request = pubconv::convert::Request {
        from: None,
        to: OutputFormat::CslJson,
        read: ReadOptions::default(),
        write: Options::default(),
        merge: true,
    };
    bencher.counter(BytesCount::new(size)).bench(|| {
        let mut out = Vec::with_capacity(size * 2);
        pubconv::convert::convert_streaming(&path, name, &request, &mut out, &mut |_| {})
            .unwrap()
            .map(|streamed| (streamed, out.len()))
    });
}

#[divan::bench]
fn read_profile_dump_10000_papers(bencher: Bencher) {
    let text = dump(10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::Profile, &text));
}

#[divan::bench(args = ["bibtex", "biblatex", "csl-json", "markdown"])]
fn write_rfc(bencher: Bencher, format: &str) {
    let Some(text) = corpus(LARGE[0]) else { return };
    let library = read(InputFormat::Bibtex, &text);
    let format = OutputFormat::from_name(format).unwrap();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| format.write(&library, &Options::default()));
}

#[divan::bench]
fn read_csl_json(bencher: Bencher) {
    let Some(text) = corpus(LARGE[0]) else { return };
    let json = OutputFormat::CslJson.write(&read(InputFormat::Bibtex, &text), &Options::default());
    bencher
        .counter(BytesCount::of_str(&json))
        .bench(|| read(InputFormat::CslJson, &json));
}

/// An arXiv API feed of `entries` entries in the shape of
/// `fixtures/arxiv/variations.xml`'s first: TeX, accents, affiliations.
fn arxiv_feed(entries: usize) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n  <id>https://arxiv.org/api/bench</id>\n",
    );
    text.push_str(&format!(
        "  <opensearch:totalResults>{entries}</opensearch:totalResults>\n  <opensearch:startIndex>0</opensearch:startIndex>\n"
    ));
    for n in 0..entries {
        text.push_str(&format!(
            "  <entry>\n    <id>http://arxiv.org/abs/24{:02}.{n:05}v2</id>\n    <updated>2024-06-02T17:01:44Z</updated>\n    <published>2024-03-02T09:15:00Z</published>\n    <title>Sparse Sums of the M\\\"obius Function for $\\alpha$-Stable Processes,\n  Part {n}</title>\n    <summary>  We bound sparse sums of the M\\\"obius function in $O(n \\log n)$ time, and\nshow that the bound is tight for $\\alpha &lt; 2$ -- up to constants, in {n} cases.\n</summary>\n    <author>\n      <name>José Müller</name>\n      <arxiv:affiliation>Universität Zürich</arxiv:affiliation>\n    </author>\n    <author>\n      <name>Zoë Kovács-Müller</name>\n    </author>\n    <author>\n      <name>Sang-Eun Lee</name>\n    </author>\n    <arxiv:doi>10.1000/bench.{n}</arxiv:doi>\n    <link href=\"http://arxiv.org/abs/24{:02}.{n:05}v2\" rel=\"alternate\" type=\"text/html\"/>\n    <link title=\"pdf\" href=\"http://arxiv.org/pdf/24{:02}.{n:05}v2\" rel=\"related\" type=\"application/pdf\"/>\n    <arxiv:comment>12 pages, 3 figures</arxiv:comment>\n    <arxiv:journal_ref>J. Classif. 25, 27-42 (2008)</arxiv:journal_ref>\n    <arxiv:primary_category term=\"stat.ML\" scheme=\"http://arxiv.org/schemas/atom\"/>\n    <category term=\"stat.ML\" scheme=\"http://arxiv.org/schemas/atom\"/>\n    <category term=\"cs.LG\" scheme=\"http://arxiv.org/schemas/atom\"/>\n  </entry>\n",
            n % 12 + 1,
            n % 12 + 1,
            n % 12 + 1,
        ));
    }
    text.push_str("</feed>\n");
    text
}

/// A Crossref `/works` page of `works` works, each `fixtures/crossref/work.json`'s
/// with its own DOI, one line as Crossref serves it.
fn crossref_page(works: usize) -> String {
    let answer: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/crossref/work.json")).unwrap();
    let work = serde_json::to_string(&answer["message"]).unwrap();
    let items: Vec<String> = (0..works)
        .map(|n| {
            work.replace(
                "10.1007/s00357-008-9009-5",
                &format!("10.1007/s00357-008-{n:04}-5"),
            )
        })
        .collect();
    format!(
        "{{\"status\":\"ok\",\"message-type\":\"work-list\",\"message-version\":\"1.0.0\",\"message\":{{\"facets\":{{}},\"total-results\":{works},\"items\":[{}],\"items-per-page\":{works},\"query\":{{\"start-index\":0,\"search-terms\":null}}}}}}",
        items.join(",")
    )
}

#[divan::bench]
fn read_arxiv_feed_10000_works(bencher: Bencher) {
    let text = arxiv_feed(10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::ArxivAtom, &text));
}

#[divan::bench]
fn read_crossref_page_10000_works(bencher: Bencher) {
    let text = crossref_page(10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::Crossref, &text));
}
