//! The test HTTP server of `tests/common/http_server.rs` checked with a
//! bare `TcpStream`: what it decodes, what it logs, how it answers slow,
//! panicking and malformed cases, that it stops; and the routes of
//! `tests/common/lookup_routes.rs` to the lookup fixtures.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::http_server::{HttpServer, Response};
use common::lookup_routes::lookup_route;

/// Sends `raw` as is and reads the whole answer (the server closes).
fn exchange(server: &HttpServer, raw: &str) -> String {
    let mut stream = TcpStream::connect(server.address()).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn get(server: &HttpServer, target: &str) -> String {
    exchange(
        server,
        &format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n",
            server.address()
        ),
    )
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[test]
fn answers_with_length_and_close_and_logs_the_decoded_query() {
    let server = HttpServer::start(|request, before| {
        Response::ok("text/plain", format!("{} {before}", request.path))
            .header("X-Rate-Limit-Limit", "50")
    });
    let answer = get(
        &server,
        "/api/query?search_query=ti:%22Caf%C3%A9+au+lait%22+AND+au:M%C3%BCller&max_results=5&flag",
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("\r\nContent-Length: 12\r\n"), "{answer}");
    assert!(answer.contains("\r\nConnection: close\r\n"), "{answer}");
    assert!(
        answer.contains("\r\nX-Rate-Limit-Limit: 50\r\n"),
        "{answer}"
    );
    assert_eq!(body(&answer), "/api/query 0");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.param("search_query"),
        Some("ti:\"Café au lait\" AND au:Müller")
    );
    assert_eq!(request.param("max_results"), Some("5"));
    assert_eq!(request.param("flag"), Some(""));
    assert_eq!(request.param("absent"), None);
    assert!(request.raw_target.contains("%22Caf%C3%A9+au+lait%22"));
    assert_eq!(request.header("accept-encoding"), Some("gzip"));
    assert!(server.problems().is_empty(), "{:?}", server.problems());
}

#[test]
fn decodes_a_doi_escaped_in_one_path_segment_and_counts_tries_per_path() {
    let server = HttpServer::start(|request, before| {
        Response::ok("text/plain", format!("{}|{before}", request.path))
    });
    for expected in 0..3 {
        let answer = get(&server, "/works/10.1234%2Fabc%3C1%3E?mailto=a%40b.org");
        assert_eq!(body(&answer), format!("/works/10.1234/abc<1>|{expected}"));
    }
    assert_eq!(body(&get(&server, "/works")), "/works|0");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].param("mailto"), Some("a@b.org"));
    assert_eq!(
        requests[0].raw_target,
        "/works/10.1234%2Fabc%3C1%3E?mailto=a%40b.org"
    );
    assert!(requests.windows(2).all(|pair| pair[0].at <= pair[1].at));
}

#[test]
fn a_delay_holds_the_answer_back() {
    let server = HttpServer::start(|_, _| {
        Response::ok("text/plain", "late").delayed(Duration::from_millis(300))
    });
    let started = Instant::now();
    let answer = get(&server, "/slow");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(body(&answer), "late");
}

#[test]
fn stopping_does_not_wait_for_a_long_delay() {
    let server = HttpServer::start(|_, _| Response::status(200).delayed(Duration::from_secs(600)));
    let mut stream = TcpStream::connect(server.address()).unwrap();
    stream.write_all(b"GET /never HTTP/1.1\r\n\r\n").unwrap();
    while server.requests().is_empty() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    server.stop();
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_panicking_handler_is_answered_with_500_and_kept() {
    let server = HttpServer::start(|request, _| {
        if request.path == "/boom" {
            panic!("no route for {}", request.path);
        }
        Response::status(204)
    });
    let answer = get(&server, "/boom");
    assert!(answer.starts_with("HTTP/1.1 500 "), "{answer}");
    assert!(body(&answer).contains("no route for /boom"), "{answer}");
    // The server still answers after a panic.
    assert!(get(&server, "/fine").starts_with("HTTP/1.1 204 "));
    let problems = server.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("GET /boom"), "{problems:?}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn malformed_requests_are_answered_with_400() {
    let server = HttpServer::start(|_, _| Response::status(200));
    let cases = [
        "NONSENSE\r\n\r\n",
        "GET /a HTTP/1.1 extra\r\n\r\n",
        "GET http://elsewhere/ HTTP/1.1\r\n\r\n",
        "GET /a SPDY/3\r\n\r\n",
        "GET /a%zz HTTP/1.1\r\n\r\n",
        "GET /a?q=%C3 HTTP/1.1\r\n\r\n",
        "GET /a HTTP/1.1\r\nno colon here\r\n\r\n",
        "POST /a HTTP/1.1\r\nContent-Length: many\r\n\r\n",
    ];
    for case in cases {
        let answer = exchange(&server, case);
        assert!(answer.starts_with("HTTP/1.1 400 "), "{case:?}: {answer}");
    }
    assert!(server.requests().is_empty());
    assert_eq!(server.problems().len(), cases.len());
}

#[test]
fn a_body_is_read_and_head_gets_none() {
    let server = HttpServer::start(|request, _| {
        Response::ok("text/plain", format!("{} bytes", request.body.len()))
    });
    let answer = exchange(
        &server,
        "POST /post HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert_eq!(body(&answer), "5 bytes");
    let answer = exchange(&server, "HEAD /head HTTP/1.1\r\n\r\n");
    assert!(answer.contains("Content-Length: 0\r\n"), "{answer}");
    assert_eq!(server.requests()[0].body, b"hello");
}

#[test]
fn after_stop_connecting_fails() {
    let server = HttpServer::start(|_, _| Response::status(200));
    let address = server.address();
    assert!(get(&server, "/").starts_with("HTTP/1.1 200 "));
    server.stop();
    assert!(TcpStream::connect(address).is_err());
}

#[test]
fn dropping_stops_too() {
    let address = {
        let server = HttpServer::start(|_, _| Response::status(200));
        server.address()
    };
    assert!(TcpStream::connect(address).is_err());
}

#[test]
fn a_missing_fixture_is_a_500_naming_the_file() {
    let server = HttpServer::start(|_, _| Response::from_fixture("arxiv/no-such.xml", "text/xml"));
    let answer = get(&server, "/");
    assert!(answer.starts_with("HTTP/1.1 500 "), "{answer}");
    assert!(answer.contains("no-such.xml"), "{answer}");
}

fn lookup_server() -> HttpServer {
    HttpServer::start(|request, _| lookup_route(request))
}

#[test]
fn arxiv_title_search_picks_the_feed_by_folded_title_and_family_name() {
    let server = lookup_server();
    let answer = get(
        &server,
        "/api/query?search_query=ti:%22Beyond+Hard+Sharing+Efficient+Multi+Task+Speech+to+Text+Modeling+with+Supervised+Mixture+of+Experts%22+AND+au:Jin&max_results=5",
    );
    assert!(answer.contains("application/atom+xml"), "{answer}");
    assert!(body(&answer).contains("2508.10009"), "{answer}");
    // Right title, wrong author: nothing.
    let answer = get(
        &server,
        "/api/query?search_query=ti:%22Beyond+Hard+Sharing+Efficient+Multi+Task+Speech+to+Text+Modeling+with+Supervised+Mixture+of+Experts%22+AND+au:Nobody&max_results=5",
    );
    assert!(
        body(&answer).contains(
            "<opensearch:totalResults xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">0<"
        ),
        "{answer}"
    );
    assert!(!body(&answer).contains("<entry>"), "{answer}");
}

#[test]
fn arxiv_id_list_answers_that_entry_alone() {
    let server = lookup_server();
    let answer = get(&server, "/api/query?id_list=2210.13533&max_results=1");
    let feed = body(&answer);
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    assert!(feed.contains("Sufficient Invariant Learning for Distribution Shift"));
    let answer = get(&server, "/api/query?id_list=9999.99999&max_results=1");
    assert!(!body(&answer).contains("<entry>"), "{answer}");
}

#[test]
fn crossref_and_openalex_answer_by_doi_and_404_otherwise() {
    let server = lookup_server();
    let answer = get(
        &server,
        "/works/10.1007%2F978-3-030-33843-5_16?mailto=test%40example.org",
    );
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(
        body(&answer).contains("\"message-type\":\"work\""),
        "{answer}"
    );
    let answer = get(&server, "/works/doi:10.1007/978-3-030-33843-5_16");
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(body(&answer).contains("\"doi\""), "{answer}");
    let answer = get(&server, "/works/doi:10.1007%2F978-3-030-33843-5_16");
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(get(&server, "/works/10.5555%2Fnone").starts_with("HTTP/1.1 404 "));
    assert!(get(&server, "/works/doi:10.5555/none").starts_with("HTTP/1.1 404 "));
}

#[test]
fn crossref_search_answers_the_page_or_the_work_the_query_names() {
    let server = lookup_server();
    let answer = get(
        &server,
        "/works?query.bibliographic=Flat+Posterior+Does+Matter+For+Bayesian+Model+Averaging+Lim+2024&rows=5&mailto=test%40example.org",
    );
    assert!(body(&answer).contains("10.5555/uai2025.fpbma"), "{answer}");
    let answer = get(
        &server,
        "/works?query.bibliographic=Attention+Is+All+You+Need+Vaswani+2017&rows=5",
    );
    assert!(body(&answer).contains("10.65215/nxvz2v36"), "{answer}");
    let answer = get(
        &server,
        "/works?query.bibliographic=CycleGAN+with+a+Blur+Kernel+for+Deconvolution+Microscopy+Optimal+Transport+Geometry+Lim+2019&rows=5",
    );
    let page: serde_json::Value = serde_json::from_str(body(&answer)).unwrap();
    assert_eq!(page["message-type"], "work-list");
    assert_eq!(page["message"]["items"][0]["DOI"], "10.5555/tci.2020.3006");
    let answer = get(&server, "/works?query.bibliographic=Nothing+Like+It&rows=5");
    let page: serde_json::Value = serde_json::from_str(body(&answer)).unwrap();
    assert_eq!(page["message"]["items"].as_array().map(Vec::len), Some(0));
}

#[test]
fn dblp_search_answers_the_hits_or_none_without_a_hit_key() {
    let server = lookup_server();
    let answer = get(
        &server,
        "/search/publ/api?q=Beyond+Hard+Sharing+Efficient+Multi+Task+Speech+to+Text+Modeling+with+Supervised+Mixture+of+Experts+Jin&format=json&h=5",
    );
    assert!(
        body(&answer).contains("conf/interspeech/JinHHLLC25"),
        "{answer}"
    );
    let answer = get(
        &server,
        "/search/publ/api?q=Nothing+Like+It&format=json&h=5",
    );
    let result: serde_json::Value = serde_json::from_str(body(&answer)).unwrap();
    assert_eq!(result["result"]["hits"]["@total"], "0");
    assert!(result["result"]["hits"].get("hit").is_none());
    assert!(get(&server, "/elsewhere").starts_with("HTTP/1.1 404 "));
}
