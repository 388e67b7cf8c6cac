//! `--lookup` against a real HTTP server on 127.0.0.1 that answers the
//! services' API paths with the recorded-shape replies under
//! `fixtures/lookup/`: the real client, cache and readers run; nothing
//! touches the internet.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::http_server::{HttpServer, Request, Response};
use common::latex::{assert_clean_log, compile, tools_for, Processor};
use common::lookup_routes::{arxiv_feed_for, crossref_work_for, lookup_route, openalex_work_for};
use pubconv::convert::{convert, Conversion, Input, Request as Conversion_};
use pubconv::diagnostic::Severity;
use pubconv::lookup::{Options, Service};
use pubconv::read::ReadOptions;
use pubconv::write::OutputFormat;

const JSON: &str = "application/json";

/// Every service's paths, answered from the fixtures.
fn services(request: &Request, _: usize) -> Response {
    lookup_route(request)
}

/// Lookups of `services` from `server`, fast: the spacing and retry waits
/// are the library's to set, the command keeps arXiv's three seconds.
fn options(server: &HttpServer, services: &[Service], cache: &Path) -> Options {
    Options {
        services: services.to_vec(),
        contact: Some("tests@example.org".into()),
        cache_dir: Some(cache.to_path_buf()),
        base_urls: Service::ALL
            .into_iter()
            .map(|service| (service, server.base_url()))
            .collect(),
        timeout: Duration::from_secs(2),
        retry_wait: Duration::from_millis(50),
        arxiv_interval: Duration::from_millis(100),
        ..Options::default()
    }
}

/// A conversion to `to` with `lookup`.
fn request(to: OutputFormat, lookup: Options) -> Conversion_ {
    Conversion_ {
        from: None,
        to,
        read: ReadOptions {
            as_of: common::AS_OF.parse().unwrap(),
        },
        write: Default::default(),
        merge: true,
        lookup,
    }
}

fn input(name: &str, bytes: &[u8]) -> Input {
    Input {
        name: name.into(),
        path: Some(name.into()),
        bytes: bytes.to_vec(),
    }
}

fn run(name: &str, bytes: &[u8], to: OutputFormat, lookup: Options) -> Conversion {
    convert(&[input(name, bytes)], &request(to, lookup)).unwrap()
}

fn dump() -> Vec<u8> {
    std::fs::read(common::fixture("profile/sungjun-lim.txt")).unwrap()
}

fn messages(conversion: &Conversion, code: &str) -> Vec<String> {
    conversion
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == code)
        .map(|diagnostic| diagnostic.message.clone())
        .collect()
}

#[test]
fn the_bundled_dump_gains_arxiv_ids_full_authors_and_published_venues() {
    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let lookup = options(&server, &[Service::Arxiv, Service::Crossref], cache.path());
    let csl = run(
        "sungjun-lim.txt",
        &dump(),
        OutputFormat::CslJson,
        lookup.clone(),
    );
    let items: serde_json::Value = serde_json::from_str(&csl.output).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(
        messages(&csl, "lookup::matched").len(),
        10 + 3,
        "{:#?}",
        csl.diagnostics
    );
    for item in items {
        let title = item["title"].as_str().unwrap();
        assert!(
            item["number"].as_str().is_some_and(|id| id.contains('.'))
                || item["URL"]
                    .as_str()
                    .is_some_and(|url| url.contains("arxiv.org/abs/")),
            "{title} has its arXiv id: {item:#}"
        );
        let authors = item["author"].as_array().unwrap();
        assert!(authors.len() > 3, "{title}: the full author list");
        assert!(
            authors
                .iter()
                .any(|a| a["family"] == "Lim" && a["given"] == "Sungjun"),
            "{title}: the owner is in the list"
        );
    }
    // The three whose arXiv entry names a published version have its venue.
    let venues: Vec<&str> = items
        .iter()
        .filter_map(|item| item["container-title"].as_str())
        .collect();
    assert_eq!(venues.len(), 3, "{venues:?}");
    let arxiv_requests = server
        .requests()
        .iter()
        .filter(|request| request.path == "/api/query")
        .count();
    assert_eq!(
        arxiv_requests,
        10,
        "{:#?}",
        server
            .requests()
            .iter()
            .map(|r| r.raw_target.clone())
            .collect::<Vec<_>>()
    );

    // The same library as BibTeX and as a CV, from the cache: no request.
    let asked = server.requests().len();
    let bibtex = run(
        "sungjun-lim.txt",
        &dump(),
        OutputFormat::Bibtex,
        lookup.clone(),
    );
    assert_eq!(
        bibtex.output.matches("\n  eprint = {").count(),
        10,
        "{}",
        bibtex.output
    );
    assert!(!bibtex.output.contains("and others"));
    let markdown = run("sungjun-lim.txt", &dump(), OutputFormat::Markdown, lookup);
    assert_eq!(server.requests().len(), asked, "answered from the cache");
    let items: Vec<&str> = markdown
        .output
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(items.len(), 10);
    for item in items {
        assert!(item.contains("**Sungjun Lim**"), "owner in bold: {item}");
        assert!(item.contains("](<https://"), "linked: {item}");
        assert!(!item.contains("et al."), "full list: {item}");
    }
}

#[test]
fn a_second_run_offline_gives_the_same_output_without_the_server() {
    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let services = [Service::Arxiv, Service::Crossref, Service::OpenAlex];
    let online = run(
        "sungjun-lim.txt",
        &dump(),
        OutputFormat::Bibtex,
        options(&server, &services, cache.path()),
    );
    let mut lookup = options(&server, &services, cache.path());
    server.stop();
    lookup.offline = true;
    let offline = run(
        "sungjun-lim.txt",
        &dump(),
        OutputFormat::Bibtex,
        lookup.clone(),
    );
    assert_eq!(offline.output, online.output);
    assert!(messages(&offline, "lookup::offline").is_empty());
    assert!(messages(&offline, "lookup::failed").is_empty());
    // An empty cache offline: nothing asked, each lookup counted.
    lookup.cache_dir = Some(cache.path().join("elsewhere"));
    let nothing = run("sungjun-lim.txt", &dump(), OutputFormat::Bibtex, lookup);
    assert_eq!(
        messages(&nothing, "lookup::offline"),
        ["20 lookups are not in the cache and were not made (--offline)"]
    );
    assert_eq!(messages(&nothing, "lookup::not-cached").len(), 20);
    assert!(nothing.output.contains("and others"));
}

#[test]
fn arxiv_requests_keep_their_spacing() {
    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let mut lookup = options(&server, &[Service::Arxiv], cache.path());
    lookup.arxiv_interval = Duration::from_millis(300);
    run("sungjun-lim.txt", &dump(), OutputFormat::CslJson, lookup);
    let times: Vec<_> = server.requests().iter().map(|request| request.at).collect();
    assert_eq!(times.len(), 10);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(290),
            "{gap:?} between requests"
        );
    }
}

/// One BibTeX entry, looked up on `services` from a server that answers
/// with `handler`.
fn look_up(
    bib: &str,
    services: &[Service],
    handler: impl Fn(&Request, usize) -> Response + Send + Sync + 'static,
) -> (Conversion, Vec<Request>) {
    let server = HttpServer::start(handler);
    let cache = tempfile::tempdir().unwrap();
    let conversion = run(
        "refs.bib",
        bib.as_bytes(),
        OutputFormat::CslJson,
        options(&server, services, cache.path()),
    );
    let requests = server.requests();
    (conversion, requests)
}

fn only_item(conversion: &Conversion) -> serde_json::Value {
    let items: serde_json::Value = serde_json::from_str(&conversion.output).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    items[0].clone()
}

#[test]
fn of_several_candidates_only_the_same_work_is_taken() {
    let bib = "@article{flat, title = {Flat Posterior Does Matter For Bayesian Model Averaging}, author = {Lim, Sungjun}, year = {2024}}";
    let (conversion, requests) = look_up(bib, &[Service::Crossref], |request, _| {
        assert_eq!(
            request.param("query.bibliographic"),
            Some("Flat Posterior Does Matter For Bayesian Model Averaging Lim 2024")
        );
        assert_eq!(request.param("mailto"), Some("tests@example.org"));
        Response::from_fixture("crossref/search-several.json", JSON)
    });
    assert_eq!(requests.len(), 1);
    let item = only_item(&conversion);
    let matched = messages(&conversion, "lookup::matched");
    assert_eq!(matched.len(), 1, "{:#?}", conversion.diagnostics);
    assert!(item["DOI"].is_string(), "{item:#}");
    assert!(item["container-title"].is_string(), "{item:#}");
    // Nothing the input said is overwritten.
    assert_eq!(item["issued"]["date-parts"][0][0], 2024);
}

#[test]
fn a_later_re_deposit_loses_to_the_original() {
    for year in ["  year = {2017},\n", ""] {
        let bib = format!(
            "@inproceedings{{v,\n  title = {{Attention Is All You Need}},\n  author = {{Vaswani, Ashish and Shazeer, Noam}},\n{year}}}\n"
        );
        let (conversion, _) = look_up(&bib, &[Service::Crossref], |_, _| {
            Response::from_fixture("crossref/search-reprint.json", JSON)
        });
        let item = only_item(&conversion);
        let doi = item["DOI"].as_str().unwrap_or_default();
        assert!(doi.starts_with("10.5555/"), "the 2017 record, not {doi}");
        assert_eq!(item["issued"]["date-parts"][0][0], 2017);
    }
}

#[test]
fn an_arxiv_error_feed_or_a_broken_reply_is_a_warning_and_is_not_cached() {
    let bib = "@misc{x, title = {Sufficient Invariant Learning for Distribution Shift}, author = {Kim, Taero}, eprint = {2210.1353}, archiveprefix = {arXiv}}";
    let (conversion, _) = look_up(bib, &[Service::Arxiv], |_, _| {
        Response::from_fixture("arxiv/error.xml", "application/atom+xml")
    });
    let warnings = messages(&conversion, "lookup::bad-reply");
    assert_eq!(warnings.len(), 1, "{:#?}", conversion.diagnostics);
    assert!(warnings[0].contains("arXiv"), "{warnings:?}");
    assert_eq!(conversion.written, 1, "the work is written as read");

    // A cut-off feed, then a whole one: the second run asks again.
    let server = HttpServer::start(|request, before| match before {
        0 => Response::from_fixture("arxiv/malformed.xml", "application/atom+xml"),
        _ => arxiv_feed_for(request),
    });
    let cache = tempfile::tempdir().unwrap();
    let bib = "@misc{x, title = {Sufficient Invariant Learning for Distribution Shift}, author = {Kim, Taero}, year = {2022}}";
    let lookup = options(&server, &[Service::Arxiv], cache.path());
    let first = run(
        "refs.bib",
        bib.as_bytes(),
        OutputFormat::CslJson,
        lookup.clone(),
    );
    assert_eq!(messages(&first, "lookup::bad-reply").len(), 1);
    let second = run("refs.bib", bib.as_bytes(), OutputFormat::CslJson, lookup);
    assert_eq!(messages(&second, "lookup::matched").len(), 1);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn too_many_requests_waits_as_long_as_retry_after_says() {
    let bib =
        "@article{c, title = {CycleGAN}, author = {Lim, Sungjun}, doi = {10.5555/tci.2020.3006}}";
    let (conversion, requests) =
        look_up(bib, &[Service::Crossref], |request, before| match before {
            0 => Response::status(429).header("Retry-After", "1"),
            _ => crossref_work_for(request),
        });
    assert_eq!(requests.len(), 2);
    assert!(requests[1].at - requests[0].at >= Duration::from_millis(990));
    assert_eq!(messages(&conversion, "lookup::matched").len(), 1);
    assert!(only_item(&conversion)["volume"].is_string());
}

#[test]
fn a_server_error_is_retried_and_a_timeout_gives_up() {
    let bib =
        "@article{c, title = {CycleGAN}, author = {Lim, Sungjun}, doi = {10.5555/tci.2020.3006}}";
    let (conversion, requests) =
        look_up(bib, &[Service::Crossref], |request, before| match before {
            0 => Response::status(500),
            _ => crossref_work_for(request),
        });
    assert_eq!(requests.len(), 2);
    assert_eq!(messages(&conversion, "lookup::matched").len(), 1);

    let (conversion, requests) = look_up(bib, &[Service::Crossref], |request, _| {
        crossref_work_for(request).delayed(Duration::from_secs(3))
    });
    assert_eq!(requests.len(), 3, "three tries in all");
    let failed = messages(&conversion, "lookup::failed");
    assert_eq!(failed.len(), 1, "{:#?}", conversion.diagnostics);
    assert!(failed[0].contains("Crossref"), "{failed:?}");
    assert_eq!(conversion.written, 1);
    assert!(conversion
        .diagnostics
        .iter()
        .all(|diagnostic| diagnostic.severity != Severity::Error));
}

#[test]
fn a_malformed_json_reply_is_a_warning() {
    let bib =
        "@article{c, title = {CycleGAN}, author = {Lim, Sungjun}, doi = {10.5555/tci.2020.3006}}";
    let (conversion, _) = look_up(
        bib,
        &[Service::Crossref, Service::OpenAlex],
        |request, _| {
            if request.path.starts_with("/works/doi:") {
                openalex_work_for(request)
            } else {
                Response::from_fixture("crossref/malformed.json", JSON)
            }
        },
    );
    assert_eq!(messages(&conversion, "lookup::bad-reply").len(), 1);
    assert_eq!(
        messages(&conversion, "lookup::matched").len(),
        1,
        "OpenAlex still answers"
    );
}

fn pubconv(args: &[&str], server: &HttpServer) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pubconv"));
    command.args(args);
    for variable in [
        "PUBCONV_ARXIV_URL",
        "PUBCONV_CROSSREF_URL",
        "PUBCONV_DBLP_URL",
        "PUBCONV_OPENALEX_URL",
    ] {
        command.env(variable, server.base_url());
    }
    command.output().unwrap()
}

#[test]
fn the_command_asks_nothing_without_lookup_and_keeps_three_seconds_between_arxiv_requests() {
    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    let dump = common::fixture("profile/sungjun-lim.txt");
    let dump = dump.to_str().unwrap();
    let plain = pubconv(&["convert", dump, "--to", "bibtex"], &server);
    assert!(plain.status.success());
    assert!(server.requests().is_empty(), "no request without --lookup");

    let two = "@misc{a, title = {Uncertainty-driven Embedding Convolution}, author = {Lim, Sungjun}, year = {2025}}\n\
               @misc{b, title = {Flat Posterior Does Matter For Bayesian Model Averaging}, author = {Lim, Sungjun}, year = {2024}}\n";
    let bib = cache.path().join("two.bib");
    std::fs::write(&bib, two).unwrap();
    let output = pubconv(
        &[
            "lookup",
            bib.to_str().unwrap(),
            "--lookup",
            "arxiv",
            "--cache-dir",
            cache_dir,
        ],
        &server,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let items: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 2, "CSL-JSON by default");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].at - requests[0].at >= Duration::from_millis(2990));
    assert!(String::from_utf8_lossy(&output.stderr).contains("lookup: matched"));
}

#[test]
fn crossref_is_asked_no_faster_than_its_rate_limit_headers_allow() {
    let bib = "@article{a, title = {CycleGAN}, author = {Lim, Sungjun}, doi = {10.5555/tci.2020.3006}}\n\
               @article{b, title = {Sufficient}, author = {Kim, Taero}, doi = {10.5555/cvpr2025.sil.04810}}\n\
               @article{c, title = {Blind}, author = {Lim, Sungjun}, doi = {10.1007/978-3-030-33843-5_16}}\n";
    let (conversion, requests) = look_up(bib, &[Service::Crossref], |request, _| {
        crossref_work_for(request)
            .header("X-Rate-Limit-Limit", "2")
            .header("X-Rate-Limit-Interval", "1s")
    });
    assert_eq!(messages(&conversion, "lookup::matched").len(), 3);
    assert_eq!(requests.len(), 3);
    for pair in requests.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(
            gap >= Duration::from_millis(490),
            "{gap:?} between requests"
        );
    }
}

#[test]
fn the_completed_dump_compiles_with_bibtex_and_biber() {
    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let lookup = options(&server, &Service::ALL, cache.path());
    for (format, processor) in [
        (OutputFormat::Bibtex, Processor::Bibtex),
        (OutputFormat::Biblatex, Processor::Biber),
    ] {
        let bib = run("sungjun-lim.txt", &dump(), format, lookup.clone()).output;
        if !tools_for(processor) {
            continue;
        }
        let log = compile(&bib, processor, "the completed dump");
        assert_clean_log(&log, processor, "the completed dump");
    }
}

#[test]
fn refresh_asks_again_what_the_cache_holds() {
    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let bib = "@misc{x, title = {Uncertainty-driven Embedding Convolution}, author = {Lim, Sungjun}, year = {2025}}";
    let mut lookup = options(&server, &[Service::Arxiv], cache.path());
    for _ in 0..2 {
        run(
            "refs.bib",
            bib.as_bytes(),
            OutputFormat::CslJson,
            lookup.clone(),
        );
    }
    assert_eq!(
        server.requests().len(),
        1,
        "the second run is answered by the cache"
    );
    lookup.refresh = true;
    let refreshed = run("refs.bib", bib.as_bytes(), OutputFormat::CslJson, lookup);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(messages(&refreshed, "lookup::matched").len(), 1);
}

#[test]
fn dblp_completes_a_paper_with_its_venue_and_a_preprint_only_with_its_own_record() {
    let title = "Beyond Hard Sharing: Efficient Multi-Task Speech-to-Text Modeling with Supervised Mixture of Experts";
    let paper = format!("@inproceedings{{s, title = {{{title}}}, author = {{Jin, Hojun and Lim, Sungjun}}, year = {{2025}}}}");
    let (conversion, requests) =
        look_up(&paper, &[Service::Dblp], |request, _| lookup_route(request));
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].param("format"), Some("json"));
    let item = only_item(&conversion);
    assert_eq!(
        messages(&conversion, "lookup::matched").len(),
        1,
        "{:#?}",
        conversion.diagnostics
    );
    assert!(item["container-title"].is_string(), "{item:#}");
    assert!(item["DOI"].is_string(), "{item:#}");

    let preprint = format!("@misc{{s, title = {{{title}}}, author = {{Jin, Hojun}}, year = {{2025}}, eprint = {{2508.10009}}, archiveprefix = {{arXiv}}}}");
    let (conversion, _) = look_up(&preprint, &[Service::Dblp], |request, _| {
        lookup_route(request)
    });
    let item = only_item(&conversion);
    assert!(item["container-title"].is_null(), "{item:#}");
    assert_eq!(
        messages(&conversion, "lookup::matched").len(),
        1,
        "{:#?}",
        conversion.diagnostics
    );
}

/// The dump in another shape, as a user's copy may come: CRLF line ends
/// and every title typed in lower case. The lookups still find each work.
#[test]
fn a_dump_with_crlf_and_lower_case_titles_is_completed_all_the_same() {
    let plain = run(
        "sungjun-lim.txt",
        &dump(),
        OutputFormat::CslJson,
        Options::default(),
    );
    let items: serde_json::Value = serde_json::from_str(&plain.output).unwrap();
    let mut text = String::from_utf8(dump()).unwrap();
    for item in items.as_array().unwrap() {
        let title = item["title"].as_str().unwrap();
        assert!(text.contains(title), "{title}");
        text = text.replace(title, &title.to_lowercase());
    }
    let text = text.replace('\n', "\r\n");

    let server = HttpServer::start(services);
    let cache = tempfile::tempdir().unwrap();
    let lookup = options(&server, &[Service::Arxiv], cache.path());
    let csl = run("copy.txt", text.as_bytes(), OutputFormat::CslJson, lookup);
    let items: serde_json::Value = serde_json::from_str(&csl.output).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(
        messages(&csl, "lookup::matched").len(),
        10,
        "{:#?}",
        csl.diagnostics
    );
    for item in items {
        let title = item["title"].as_str().unwrap();
        assert_eq!(title, title.to_lowercase(), "the input's title is kept");
        assert!(item["author"].as_array().unwrap().len() > 3, "{title}");
    }
}

/// An arXiv feed of one entry, `title` by `authors`, first posted in `year`.
fn one_entry_feed(title: &str, authors: &[&str], year: i32) -> String {
    let authors: String = authors
        .iter()
        .map(|name| format!("<author><name>{name}</name></author>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/feed</id>
  <updated>2026-11-27T00:00:00-05:00</updated>
  <entry>
    <id>http://arxiv.org/abs/{year_2}01.01234v2</id>
    <updated>{year}-01-05T10:00:00Z</updated>
    <published>{year}-01-05T10:00:00Z</published>
    <title>{title}</title>
    <summary>An abstract.</summary>
    {authors}
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="math.DS" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>"#,
        year_2 = year % 100,
    )
}

#[test]
fn accents_case_and_punctuation_do_not_stop_a_match_but_the_year_does() {
    let bib = "@article{m, title = {{\\\"U}ber die Dynamik: eine Studie},\r\n  \
               author = {M{\\\"u}ller, J{\\\"o}rg and others}, year = 2021}";
    let feed = one_entry_feed(
        "Uber die Dynamik -- Eine Studie",
        &["Jorg Muller", "Ana Beltrán Núñez"],
        2022,
    );
    let (conversion, requests) = look_up(bib, &[Service::Arxiv], move |_, _| {
        Response::ok("application/atom+xml", feed.clone())
    });
    assert_eq!(requests.len(), 1);
    assert_eq!(
        messages(&conversion, "lookup::matched").len(),
        1,
        "{:#?}",
        conversion.diagnostics
    );
    let item = only_item(&conversion);
    assert_eq!(item["author"].as_array().unwrap().len(), 2, "{item:#}");
    assert!(item["author"][1].to_string().contains("Núñez"), "{item:#}");
    assert_eq!(
        item["author"][0]["family"], "Müller",
        "the input's spelling"
    );
    assert!(item.to_string().contains("2201.01234"), "{item:#}");

    let later = one_entry_feed("Über die Dynamik: eine Studie", &["Jörg Müller"], 2024);
    let (conversion, _) = look_up(bib, &[Service::Arxiv], move |_, _| {
        Response::ok("application/atom+xml", later.clone())
    });
    assert!(messages(&conversion, "lookup::matched").is_empty());
    let rejected = messages(&conversion, "lookup::no-match");
    assert_eq!(rejected.len(), 1, "{:#?}", conversion.diagnostics);
    assert!(
        rejected[0].contains("years more than one apart"),
        "{rejected:?}"
    );
}

/// The messages of a conversion, each with its severity, sorted: a list
/// read as it streams says what it says of each work where it reads the
/// work, the whole reading says all of it after reading.
fn sorted_messages(diagnostics: &[pubconv::diagnostic::Diagnostic]) -> Vec<String> {
    let mut messages: Vec<String> = diagnostics.iter().map(|d| d.render(false)).collect();
    messages.sort();
    messages
}

/// Each input converted whole and as it streams, looked up on arXiv,
/// Crossref and OpenAlex, each conversion with its own cache: the same
/// output, the same messages, the same requests.
fn streams_as_read_whole(inputs: &[(&str, String)], to: OutputFormat, directory: &Path) {
    let server = HttpServer::start(services);
    let services = [Service::Arxiv, Service::Crossref, Service::OpenAlex];
    let caches = tempfile::tempdir().unwrap();
    let request = |cache: &str| {
        let lookup = options(&server, &services, &caches.path().join(cache));
        request(to, lookup)
    };
    let whole_inputs: Vec<Input> = inputs
        .iter()
        .map(|(name, text)| input(name, text.as_bytes()))
        .collect();
    let whole = convert(&whole_inputs, &request("whole")).unwrap();
    let asked_whole = server.requests().len();
    assert!(asked_whole > 10, "{asked_whole} requests");

    let mut output = Vec::new();
    let mut diagnostics = Vec::new();
    let mut report = |diagnostic| diagnostics.push(diagnostic);
    let streamed = match inputs {
        [(name, text)] => pubconv::convert::convert_streaming_text(
            text,
            name,
            &request("stream"),
            &mut output,
            &mut report,
        ),
        _ => {
            let paths: Vec<_> = inputs
                .iter()
                .map(|(name, text)| {
                    let path = directory.join(name);
                    std::fs::write(&path, text).unwrap();
                    path
                })
                .collect();
            let named: Vec<_> = paths
                .iter()
                .map(|path| path.as_path())
                .zip(inputs.iter().map(|(name, _)| *name))
                .collect();
            pubconv::convert::convert_streaming_several(
                &named,
                &request("stream"),
                &mut output,
                &mut report,
            )
        }
    };
    let streamed = streamed.unwrap().expect("these inputs stream");
    assert_eq!(String::from_utf8(output).unwrap(), whole.output, "{to:?}");
    assert_eq!(streamed.written, whole.written);
    assert_eq!(
        sorted_messages(&diagnostics),
        sorted_messages(&whole.diagnostics)
    );
    assert!(!messages(&whole, "lookup::matched").is_empty());
    assert_eq!(server.requests().len(), 2 * asked_whole);
}

/// The bundled dump written as `to`, without lookups, its lines ending
/// in `line_end`.
fn dump_as(to: OutputFormat, line_end: &str) -> String {
    let text = run("sungjun-lim.txt", &dump(), to, Options::default()).output;
    text.replace('\n', line_end)
}

#[test]
fn a_bib_or_csl_json_list_looked_up_as_it_streams_is_what_reading_it_whole_gives() {
    let directory = tempfile::tempdir().unwrap();
    let bib = dump_as(OutputFormat::Bibtex, "\n");
    // Other names and accents, CRLF, a work without a year: the lookups
    // that match, those that do not, and the work looked up with none.
    let varied = dump_as(OutputFormat::Bibtex, "\r\n")
        .replace("Sungjun Lim", "Sùngjun Lim")
        .replacen("year = {2024}", "note = {no year}", 1);
    let csl = dump_as(OutputFormat::CslJson, "\n");
    for (input, to) in [
        (("lim.bib", bib.clone()), OutputFormat::CslJson),
        (("lim.bib", bib.clone()), OutputFormat::Biblatex),
        (("varied.bib", varied), OutputFormat::Bibtex),
        (("lim.json", csl.clone()), OutputFormat::Bibtex),
        (("lim.json", csl.clone()), OutputFormat::Markdown),
    ] {
        streams_as_read_whole(&[input], to, directory.path());
    }
    // The same works from two files: merged first, then looked up once.
    let both = [("lim.bib", bib), ("lim.json", csl)];
    streams_as_read_whole(&both, OutputFormat::CslJson, directory.path());
}

/// A writer that takes nothing, as a pipe closed by `head`.
struct Closed;

impl std::io::Write for Closed {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn once_the_output_is_closed_nothing_more_is_looked_up() {
    let cache = tempfile::tempdir().unwrap();
    let works = 3000;
    let bib: String = (0..works)
        .map(|n| format!("@misc{{w{n}, title = {{Wörk number {n}}}, author = {{Dœ, Jane}}, year = 2020}}\r\n"))
        .collect();
    let lookup = Options {
        services: vec![Service::Crossref],
        cache_dir: Some(cache.path().to_path_buf()),
        offline: true,
        ..Options::default()
    };
    let mut asked = 0;
    let mut report = |diagnostic: pubconv::diagnostic::Diagnostic| {
        asked += usize::from(diagnostic.code == "lookup::not-cached");
    };
    let request = request(OutputFormat::CslJson, lookup);
    let streamed = pubconv::convert::convert_streaming_text(
        &bib,
        "many.bib",
        &request,
        &mut Closed,
        &mut report,
    );
    let error = streamed.expect_err("the output is closed");
    assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe);
    assert!(asked > 0, "works are looked up until the output fails");
    assert!(
        asked < works / 2,
        "{asked} of {works} looked up after the output failed"
    );
}
