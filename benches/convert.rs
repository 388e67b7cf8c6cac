//! Throughput of each reader and writer, and of every reader × writer
//! pair through `convert`: `cargo bench`. The BibTeX files
//! are the large ones in `../shared/corpus/large/` (skipped, saying so,
//! where absent); the profile dump, the DBLP person file, the ORCID bulk
//! reply, the OpenAlex and Semantic Scholar pages, the arXiv feed and the
//! Crossref page are generated: 10,000 works each, in the real files'
//! shapes.

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
    pubconv::allocator::configure();
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

/// A DBLP person file of `records` records in the reference file's shape:
/// homonym numbers, pids, title markup, several links.
fn dblp_person(records: usize) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<dblpperson name=\"Di Xu 0001\" pid=\"95/7448-1\" n=\"10000\">\n\
         <person key=\"homepages/95/7448-1\" mdate=\"2019-11-26\"><author pid=\"95/7448-1\">Di Xu 0001</author></person>\n",
    );
    for n in 0..records {
        let (kind, venue) = match n % 2 {
            0 => ("inproceedings", "<booktitle>ICTAI</booktitle>"),
            _ => ("article", "<journal>IEEE Trans. Vis. Comput. Graph.</journal><volume>17</volume><number>3</number>"),
        };
        text.push_str(&format!(
            "<r><{kind} key=\"conf/x/Xu{n}\" mdate=\"2023-03-24\">\n\
             <author pid=\"55/6295\">Mahsa T. Pourazad</author>\n<author pid=\"95/7448-1\">Di Xu 0001</author>\n\
             <author pid=\"55/3871\">Zoë Kovács-Müller</author>\n\
             <title>Random Forests for <i>Multiview</i> TV<sup>2</sup> Number {n}.</title>\n\
             <pages>367-372</pages>\n<year>20{:02}</year>\n{venue}\n\
             <ee>https://doi.org/10.1109/ICTAI.2012.{n}</ee>\n<ee>https://arxiv.org/abs/2101.{n:05}</ee>\n\
             <url>db/conf/ictai/ictai2012.html#Xu{n}</url>\n</{kind}>\n</r>\n",
            n % 25
        ));
    }
    text.push_str("</dblpperson>\n");
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
        lookup: Default::default(),
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

#[divan::bench]
fn read_dblp_person_10000_records(bencher: Bencher) {
    let text = dblp_person(10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::Dblp, &text));
}

/// An ORCID bulk reply of `works` full works in the real replies' shape:
/// contributors without a sequence, external ids of each relationship,
/// and an embedded citation that is BibTeX for a third of them, an HTML
/// page for a fifth.
fn orcid_bulk(works: usize) -> String {
    let mut entries = Vec::with_capacity(works);
    for n in 0..works {
        let citation = if n % 3 == 0 {
            format!("{{\"citation-type\": \"bibtex\", \"citation-value\": \"@article{{Doe_{n},\\n\\tdoi = {{10.1000/bench.{n}}},\\n\\tyear = 2021,\\n\\tmonth = {{mar}},\\n\\tpublisher = {{The Optical Society}},\\n\\tvolume = {{29}},\\n\\tnumber = {{6}},\\n\\tpages = {{8542}},\\n\\tauthor = {{Jane Doe and Zo{{\\\\\\\"e}} Kov{{\\\\'a}}cs-M{{\\\\\\\"u}}ller}},\\n\\ttitle = {{A Study of Things Number {n}}},\\n\\tjournal = {{Optics Express}}\\n}}\"}}")
        } else if n % 5 == 0 {
            "{\"citation-type\": \"bibtex\", \"citation-value\": \"<head>\\n<META HTTP-EQUIV=\\\"Refresh\\\" CONTENT=\\\"0;URL=/servlet/useragent\\\">\\n</head>\\n\"}".to_owned()
        } else {
            "null".to_owned()
        };
        let contributors = ["Jane Doe", "Zoë Kovács-Müller", "Sang-Eun Lee", "Ana María de la Cruz"]
            .iter()
            .take(1 + n % 4)
            .map(|name| format!("{{\"contributor-orcid\": null, \"credit-name\": {{\"value\": \"{name}\"}}, \"contributor-email\": null, \"contributor-attributes\": {{\"contributor-sequence\": null, \"contributor-role\": \"author\"}}}}"))
            .collect::<Vec<_>>()
            .join(",\n      ");
        entries.push(format!(
            "  {{\"work\": {{\"created-date\": {{\"value\": 1614900258303}}, \"last-modified-date\": {{\"value\": 1659733982465}},\n\
             \"source\": {{\"source-orcid\": null, \"source-client-id\": {{\"path\": \"0000-0001-9884-1913\"}}, \"source-name\": {{\"value\": \"Crossref\"}}}},\n\
             \"put-code\": {put_code}, \"path\": \"/0000-0002-0613-2229/work/{put_code}\",\n\
             \"title\": {{\"title\": {{\"value\": \"A Study of Things Number {n}\"}}, \"subtitle\": null, \"translated-title\": null}},\n\
             \"journal-title\": {{\"value\": \"Optics Express\"}}, \"short-description\": null,\n\
             \"citation\": {citation},\n\
             \"type\": \"{kind}\",\n\
             \"publication-date\": {{\"year\": {{\"value\": \"20{year:02}\"}}, \"month\": {{\"value\": \"{month:02}\"}}, \"day\": null}},\n\
             \"external-ids\": {{\"external-id\": [{{\"external-id-type\": \"doi\", \"external-id-value\": \"10.1000/bench.{n}\",\n\
               \"external-id-normalized\": {{\"value\": \"10.1000/bench.{n}\", \"transient\": true}}, \"external-id-normalized-error\": null,\n\
               \"external-id-url\": {{\"value\": \"https://doi.org/10.1000/bench.{n}\"}}, \"external-id-relationship\": \"self\"}},\n\
               {{\"external-id-type\": \"issn\", \"external-id-value\": \"1094-4087\", \"external-id-normalized\": null, \"external-id-url\": null, \"external-id-relationship\": \"part-of\"}}]}},\n\
             \"url\": {{\"value\": \"https://doi.org/10.1000/bench.{n}\"}},\n\
             \"contributors\": {{\"contributor\": [\n      {contributors}]}},\n\
             \"language-code\": \"en\", \"country\": null, \"visibility\": \"public\"}}}}",
            put_code = 70_000_000 + n,
            kind = ["journal-article", "conference-paper", "book-chapter", "preprint"][n % 4],
            year = n % 25,
            month = n % 12 + 1,
        ));
    }
    format!("{{\"bulk\": [\n{}\n]}}\n", entries.join(",\n"))
}

#[divan::bench]
fn read_orcid_bulk_10000_works(bencher: Bencher) {
    let text = orcid_bulk(10_000);
    assert_eq!(read(InputFormat::Orcid, &text).works.len(), 10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::Orcid, &text));
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

/// An OpenAlex list page of `works` works in the shape of
/// `fixtures/openalex/works.json`'s first: every work's full record, its
/// abstract as an inverted index.
fn openalex_page(works: usize) -> String {
    let abstract_index = (0..120)
        .map(|n| format!("\"word{n}\":[{n},{}]", n + 120))
        .collect::<Vec<_>>()
        .join(",");
    let results: Vec<String> = (0..works)
        .map(|n| {
            format!(
                r#"{{"id":"https://openalex.org/W{n}","doi":"https://doi.org/10.1109/taes.2017.{n}","title":"Maritime Moving Target Indication Number {n}","display_name":"Maritime Moving Target Indication Number {n}","publication_year":2017,"publication_date":"2017-08-14","ids":{{"openalex":"https://openalex.org/W{n}","doi":"https://doi.org/10.1109/taes.2017.{n}","mag":"{n}"}},"language":"en","primary_location":{{"id":"doi:10.1109/taes.2017.{n}","is_oa":false,"landing_page_url":"https://doi.org/10.1109/taes.2017.{n}","pdf_url":null,"source":{{"id":"https://openalex.org/S193624734","display_name":"IEEE Transactions on Aerospace and Electronic Systems","issn_l":"0018-9251","issn":["0018-9251","1557-9603"],"is_oa":false,"host_organization":"https://openalex.org/P4310319808","host_organization_name":"Institute of Electrical and Electronics Engineers","type":"journal"}},"license":null,"version":"publishedVersion","is_accepted":true,"is_published":true,"raw_type":"journal-article"}},"type":"article","type_crossref":"journal-article","open_access":{{"is_oa":true,"oa_status":"green","oa_url":"http://hdl.handle.net/11573/{n}"}},"authorships":[{{"author_position":"first","author":{{"id":"https://openalex.org/A1","display_name":"Hui Ma","orcid":"https://orcid.org/0000-0002-2502-3933"}},"institutions":[{{"id":"https://openalex.org/I1","display_name":"Xidian University","ror":"https://ror.org/05s92vm98","country_code":"CN","type":"education"}}],"countries":["CN"],"is_corresponding":false,"raw_author_name":"Hui Ma","raw_affiliation_strings":["Xidian University, Xi'an, China"]}},{{"author_position":"last","author":{{"id":"https://openalex.org/A2","display_name":"Débora Pastina","orcid":null}},"institutions":[],"countries":["IT"],"is_corresponding":true,"raw_author_name":"Débora Pastina","raw_affiliation_strings":[]}}],"cited_by_count":{n},"biblio":{{"volume":"54","issue":"1","first_page":"115","last_page":"130"}},"is_retracted":false,"is_paratext":false,"primary_topic":{{"id":"https://openalex.org/T11020","display_name":"Radar Systems and Signal Processing","score":0.99}},"locations_count":2,"locations":[{{"is_oa":true,"landing_page_url":"http://hdl.handle.net/11573/{n}","pdf_url":null,"source":{{"display_name":"IRIS","type":"repository"}},"version":"submittedVersion"}}],"best_oa_location":{{"is_oa":true,"landing_page_url":"http://hdl.handle.net/11573/{n}","pdf_url":null,"version":"submittedVersion"}},"referenced_works":["https://openalex.org/W1964141474","https://openalex.org/W1981416024"],"abstract_inverted_index":{{{abstract_index}}},"updated_date":"2025-11-20T08:12:36.102934","created_date":"2017-08-31"}}"#
            )
        })
        .collect();
    format!(
        "{{\"meta\":{{\"count\":{works},\"db_response_time_ms\":38,\"page\":1,\"per_page\":{works}}},\"results\":[\n{}\n]}}\n",
        results.join(",\n")
    )
}

/// A Semantic Scholar author-papers page of `papers` papers in the shape
/// of `fixtures/semantic-scholar/papers.json`'s first.
fn semantic_scholar_page(papers: usize) -> String {
    let data: Vec<String> = (0..papers)
        .map(|n| {
            format!(
                r#"{{"paperId":"5c5751d45e298cea054f32b392c12c61027d{n:05}","externalIds":{{"MAG":"30154{n}","DBLP":"conf/acl/LoWNKW{n}","DOI":"10.18653/V1/2020.ACL-MAIN.{n}","CorpusId":{n}}},"url":"https://www.semanticscholar.org/paper/5c5751d45e298cea054f32b392c12c61027d{n:05}","title":"Construction of the Literature Graph Number {n}","abstract":"We describe a deployed scalable system for organizing published scientific literature into a heterogeneous graph to facilitate algorithmic manipulation and discovery. The resulting literature graph consists of more than 280M nodes, representing papers, authors, entities and various interactions between them.","venue":"Annual Meeting of the Association for Computational Linguistics","publicationVenue":{{"id":"1e33b3be-b2ab-46e9-96e8-d4eb4bad6e44","name":"Annual Meeting of the Association for Computational Linguistics","type":"conference","alternate_names":["ACL","Meet Assoc Comput Linguistics"],"url":"https://www.aclweb.org/anthology/venues/acl/"}},"year":2018,"citationCount":{n},"isOpenAccess":true,"openAccessPdf":{{"url":"https://aclanthology.org/N18-3011.pdf","status":"HYBRID"}},"publicationTypes":["JournalArticle","Conference"],"publicationDate":"2018-06-01","journal":{{"name":"","pages":"84-91"}},"citationStyles":{{"bibtex":"@['JournalArticle', 'Conference']{{Ammar2018ConstructionOT,\n author = {{Waleed Ammar and Dirk Groeneveld}},\n title = {{Construction}},\n year = {{2018}}\n}}\n"}},"authors":[{{"authorId":"145585097","name":"Waleed Ammar"}},{{"authorId":"3458736","name":"Dirk Groeneveld"}},{{"authorId":"1741101","name":"Oren Etzioni"}},{{"authorId":null,"name":"Zoë Kovács-Müller"}}]}}"#
            )
        })
        .collect();
    format!(
        "{{\"offset\":0,\"next\":{papers},\"data\":[\n{}\n]}}\n",
        data.join(",\n")
    )
}

#[divan::bench]
fn read_openalex_10000_works(bencher: Bencher) {
    let text = openalex_page(10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::OpenAlex, &text));
}

#[divan::bench]
fn read_semantic_scholar_10000_papers(bencher: Bencher) {
    let text = semantic_scholar_page(10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::SemanticScholar, &text));
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

/// A Google Scholar profile page pasted as text, with `works` works in the
/// shape of `fixtures/scholar/leek.txt`: title, cut author list, venue
/// with citations and year.
fn scholar_paste(works: usize) -> String {
    let mut text = String::from(
        "Jane Doe\nProfessor of Things, Some University\nVerified email at example.org - Homepage\n\
         Statistics, Genomics\nCited by\tVIEW ALL\nAll\tSince 2012\nCitations\t4631\t3709\n\
         h-index\t24\t24\ni10-index\t37\t37\nTitle1–20\tCited by\tYear\n",
    );
    for n in 0..works {
        text.push_str(&format!(
            "A Study of Things Number {n}: Zoë's Müller–Lee Effects\n\
             J Doe, Z Kovács-Müller, SE Lee, AM de la Cruz, ...\n\
             Nature Reviews Genetics {} ({}), {}-{}\t{}\t20{:02}\n",
            n % 30,
            n % 12,
            n,
            n + 9,
            n % 700,
            n % 25
        ));
    }
    text.push_str("Show more\n");
    text
}

/// A DBLP search reply of `hits` hits, each one of `fixtures/dblp/search.json`'s
/// with its own key and title.
fn dblp_search(hits: usize) -> String {
    let mut reply: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/dblp/search.json")).unwrap();
    let samples = reply["result"]["hits"]["hit"].as_array().unwrap().clone();
    let many: Vec<serde_json::Value> = (0..hits)
        .map(|n| {
            let mut hit = samples[n % samples.len()].clone();
            hit["@id"] = n.to_string().into();
            let info = &mut hit["info"];
            info["key"] = format!("conf/bench/Doe{n}").into();
            info["title"] = format!("Attention Is All You Need, Part {n}.").into();
            hit
        })
        .collect();
    reply["result"]["hits"]["@total"] = hits.to_string().into();
    reply["result"]["hits"]["hit"] = many.into();
    serde_json::to_string(&reply).unwrap()
}

#[divan::bench]
fn read_scholar_paste_10000_works(bencher: Bencher) {
    let text = scholar_paste(10_000);
    assert_eq!(read(InputFormat::ScholarPaste, &text).works.len(), 10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::ScholarPaste, &text));
}

#[divan::bench]
fn read_dblp_search_10000_hits(bencher: Bencher) {
    let text = dblp_search(10_000);
    assert_eq!(read(InputFormat::DblpSearch, &text).works.len(), 10_000);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| read(InputFormat::DblpSearch, &text));
}

/// The inputs of [`convert_pair`]: the corpus's rfc.bib and its CSL-JSON,
/// and 10,000 generated works of each other reader's format.
const PAIR_INPUTS: &[&str] = &[
    "bibtex",
    "csl-json",
    "profile",
    "dblp",
    "orcid",
    "openalex",
    "semantic-scholar",
    "arxiv",
    "crossref",
    "scholar",
    "dblp-search",
];

fn pairs() -> Vec<String> {
    PAIR_INPUTS
        .iter()
        .flat_map(|input| {
            OutputFormat::ALL
                .iter()
                .map(move |output| format!("{input} → {}", output.name()))
        })
        .collect()
}

fn pair_input(name: &str) -> Option<(InputFormat, String)> {
    let rfc = || corpus(LARGE[0]);
    Some(match name {
        "bibtex" => (InputFormat::Bibtex, rfc()?),
        "csl-json" => {
            let library = read(InputFormat::Bibtex, &rfc()?);
            let json = OutputFormat::CslJson.write(&library, &Options::default());
            (InputFormat::CslJson, json)
        }
        "profile" => (InputFormat::Profile, dump(10_000)),
        "dblp" => (InputFormat::Dblp, dblp_person(10_000)),
        "orcid" => (InputFormat::Orcid, orcid_bulk(10_000)),
        "openalex" => (InputFormat::OpenAlex, openalex_page(10_000)),
        "semantic-scholar" => (InputFormat::SemanticScholar, semantic_scholar_page(10_000)),
        "arxiv" => (InputFormat::ArxivAtom, arxiv_feed(10_000)),
        "crossref" => (InputFormat::Crossref, crossref_page(10_000)),
        "scholar" => (InputFormat::ScholarPaste, scholar_paste(10_000)),
        "dblp-search" => (InputFormat::DblpSearch, dblp_search(10_000)),
        _ => return None,
    })
}

/// Every reader × writer pair as `pubconv convert` runs it on an input
/// held in memory (the whole reading: [`bibtex_file_to_csl_json_streaming`]
/// measures the stream), the output as a string.
#[divan::bench(args = pairs())]
fn convert_pair(bencher: Bencher, pair: &str) {
    let (input, output) = pair.split_once(" → ").unwrap();
    let Some((format, text)) = pair_input(input) else {
        return;
    };
    let request = pubconv::convert::Request {
        from: Some(format),
        to: OutputFormat::from_name(output).unwrap(),
        read: ReadOptions {
            as_of: "2026-11-27".parse().unwrap(),
        },
        write: Options::default(),
        merge: false,
        lookup: Default::default(),
    };
    let inputs = [pubconv::convert::Input {
        name: "bench".into(),
        path: None,
        bytes: text.into_bytes(),
    }];
    bencher
        .counter(BytesCount::new(inputs[0].bytes.len()))
        .bench(|| pubconv::convert::convert(&inputs, &request).map_or(0, |done| done.output.len()));
}

/// The pairs `pubconv convert FILE` streams: rfc.bib and its CSL-JSON, as
/// files, to every output.
fn streamed_pairs() -> Vec<String> {
    ["bibtex", "csl-json"]
        .iter()
        .flat_map(|input| {
            OutputFormat::ALL
                .iter()
                .map(move |output| format!("{input} → {}", output.name()))
        })
        .collect()
}

/// What `pubconv convert FILE --to FORMAT` does for a streamed pair: the
/// file read from disk as it is converted, the output in memory.
#[divan::bench(args = streamed_pairs())]
fn convert_file_streaming(bencher: Bencher, pair: &str) {
    let (input, output) = pair.split_once(" → ").unwrap();
    let Some((_, text)) = pair_input(input) else {
        return;
    };
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &text).unwrap();
    let request = pubconv::convert::Request {
        from: None,
        to: OutputFormat::from_name(output).unwrap(),
        read: ReadOptions::default(),
        write: Options::default(),
        merge: true,
        lookup: Default::default(),
    };
    let name = match input {
        "bibtex" => "rfc.bib",
        _ => "rfc.json",
    };
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        let mut out = Vec::with_capacity(text.len() * 2);
        pubconv::convert::convert_streaming(file.path(), name, &request, &mut out, &mut |_| {})
            .unwrap()
            .map(|streamed| (streamed, out.len()))
    });
}
