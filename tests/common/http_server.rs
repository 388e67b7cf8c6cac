//! A real HTTP/1.1 server on 127.0.0.1 that tests of web lookups point
//! the client at instead of the internet: it owns the listening socket,
//! the parsing of requests (path and query percent-decoded), the log of
//! what arrived, and answering with what a test's handler returns.
//!
//! Standard library only, so that it cannot disagree with the client by
//! sharing its HTTP code. Every answer carries `Content-Length` and
//! `Connection: close` and the connection is closed after it, whatever
//! the client asked for: keep-alive and compression are the client's
//! business to do without, and a server that closes is one less thing to
//! go wrong in a test. A handler that panics is answered with 500 and the
//! panic is kept (see [`HttpServer::problems`]), so that a test fails on
//! its assertion instead of hanging on a socket nobody answers.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest request head (request line and headers) read before the
/// request is refused: a test client never comes near it, and a bound
/// keeps a confused one from filling memory.
const MAX_HEAD: usize = 64 * 1024;
/// Longest request body read.
const MAX_BODY: usize = 1024 * 1024;
/// How long a connection may stay silent before its request is given up:
/// long enough for a loaded machine, short enough that a stuck client
/// cannot hold a test for long.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The step in which a delayed answer sleeps, so that stopping the server
/// does not wait for a long delay to run out.
const DELAY_STEP: Duration = Duration::from_millis(10);

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The target's path, percent-decoded: `/works/10.1234/abc` for
    /// `/works/10.1234%2Fabc`.
    pub path: String,
    /// The query's pairs in order, `+` read as a space and then
    /// percent-decoded; a name without `=` has an empty value.
    pub query: Vec<(String, String)>,
    /// The request target exactly as sent, for tests about encoding.
    pub raw_target: String,
    /// When the request's head had been read.
    pub at: Instant,
    /// Header names and values as sent, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of the query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of the header `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What a handler answers with.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    /// Sent as given, except `Content-Length` and `Connection`, which the
    /// server always writes itself.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// How long to wait before answering, for tests of timeouts.
    pub delay: Duration,
}

impl Response {
    /// 200 with a body of the given type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::status(200)
            .header("Content-Type", content_type)
            .with_body(body)
    }

    /// A status with an empty body.
    pub fn status(code: u16) -> Response {
        Response {
            status: code,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Response {
        self.body = body.into();
        self
    }

    pub fn with_status(mut self, status: u16) -> Response {
        self.status = status;
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Response {
        self.delay = delay;
        self
    }

    /// 200 with the bytes of `fixtures/lookup/<relative>`. A missing file
    /// panics with its path, which the server answers with 500 and keeps
    /// among its problems, so that the test names the file.
    pub fn from_fixture(relative: &str, content_type: &str) -> Response {
        let path = lookup_fixture(relative);
        let body = std::fs::read(&path)
            .unwrap_or_else(|error| panic!("cannot read fixture {}: {error}", path.display()));
        Response::ok(content_type, body)
    }
}

/// `fixtures/lookup/<relative>` in this checkout.
pub fn lookup_fixture(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/lookup")
        .join(relative)
}

type Handler = dyn Fn(&Request, usize) -> Response + Send + Sync;

/// What the accepting thread and the connections share with the owner.
struct Shared {
    handler: Box<Handler>,
    log: Mutex<Vec<Request>>,
    /// Requests so far per decoded path.
    counts: Mutex<HashMap<String, usize>>,
    /// Panics of the handler and refused requests, described.
    problems: Mutex<Vec<String>>,
    stopping: AtomicBool,
    /// Every connection's stream (to cut it on stop) and thread.
    connections: Mutex<Vec<(TcpStream, JoinHandle<()>)>>,
}

/// A server answering on `127.0.0.1` at a port the system chose, until
/// stopped or dropped.
pub struct HttpServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Starts answering every request with `handler`, which is also told
    /// how many requests to the same path came before this one (0 for
    /// the first), for answers that change between tries.
    pub fn start(
        handler: impl Fn(&Request, usize) -> Response + Send + Sync + 'static,
    ) -> HttpServer {
        let listener =
            TcpListener::bind("127.0.0.1:0").expect("a test server can listen on 127.0.0.1");
        let address = listener
            .local_addr()
            .expect("a bound socket has an address");
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            log: Mutex::new(Vec::new()),
            counts: Mutex::new(HashMap::new()),
            problems: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            connections: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("http-server-accept".into())
                .spawn(move || accept(listener, shared))
                .expect("a thread can start")
        };
        HttpServer {
            address,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every request parsed so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.log).clone()
    }

    /// The handler's panics and the requests refused as malformed, each
    /// described in a line; empty when all went well.
    pub fn problems(&self) -> Vec<String> {
        lock(&self.shared.problems).clone()
    }

    /// Stops accepting, cuts open connections and waits for every thread.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // `accept` blocks: a connection of our own wakes it to see the flag.
        let _ = TcpStream::connect(self.address);
        let _ = acceptor.join();
        let connections = std::mem::take(&mut *lock(&self.shared.connections));
        for (stream, thread) in connections {
            let _ = stream.shutdown(Shutdown::Both);
            let _ = thread.join();
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// A lock even when a thread panicked holding it: the data behind these
/// locks (logs, counts) stay meaningful whatever went wrong.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            continue;
        };
        let Ok(kept) = stream.try_clone() else {
            continue;
        };
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("http-server-connection".into())
                .spawn(move || serve(stream, &shared))
        };
        if let Ok(thread) = thread {
            let mut connections = lock(&shared.connections);
            // Connections answered already are let go, their sockets with them.
            connections.retain(|(_, thread)| !thread.is_finished());
            connections.push((kept, thread));
        }
    }
    // The listener closes here, so that connecting after a stop fails.
}

/// Answers the one request of a connection, then closes it.
fn serve(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let mut reader = BufReader::new(&stream);
    let response = match read_request(&mut reader) {
        Ok(None) => return,
        Ok(Some(request)) => answer(request, shared),
        Err(reason) => {
            lock(&shared.problems).push(format!("refused a malformed request: {reason}"));
            Response::ok("text/plain; charset=utf-8", format!("{reason}\n")).with_status(400)
        }
    };
    let mut slept = Duration::ZERO;
    while slept < response.delay && !shared.stopping.load(Ordering::SeqCst) {
        let step = DELAY_STEP.min(response.delay - slept);
        std::thread::sleep(step);
        slept += step;
    }
    if shared.stopping.load(Ordering::SeqCst) && !response.delay.is_zero() {
        return;
    }
    let mut writer = &stream;
    let _ = writer.write_all(&encode(&response));
    let _ = writer.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

/// Logs the request, then asks the handler, turning a panic into 500.
fn answer(request: Request, shared: &Shared) -> Response {
    let before = {
        let mut counts = lock(&shared.counts);
        let count = counts.entry(request.path.clone()).or_insert(0);
        *count += 1;
        *count - 1
    };
    lock(&shared.log).push(request.clone());
    match catch_unwind(AssertUnwindSafe(|| (shared.handler)(&request, before))) {
        Ok(response) => {
            if request.method == "HEAD" {
                response.with_body(Vec::new())
            } else {
                response
            }
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            lock(&shared.problems).push(format!(
                "the handler panicked on {} {}: {message}",
                request.method, request.raw_target
            ));
            Response::ok(
                "text/plain; charset=utf-8",
                format!("the test's handler panicked: {message}\n"),
            )
            .with_status(500)
        }
    }
}

fn encode(response: &Response) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    bytes
}

/// The reason phrases of the statuses the lookup tests answer with.
fn reason(status: u16) -> &'static str {
    const REASONS: &[(u16, &str)] = &[
        (200, "OK"),
        (301, "Moved Permanently"),
        (302, "Found"),
        (400, "Bad Request"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
    ];
    REASONS
        .iter()
        .find(|(code, _)| *code == status)
        .map_or("Status", |(_, reason)| reason)
}

/// Reads one request; `None` when the client closed without sending one
/// (as the server's own wake-up connection does).
fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, String> {
    let mut head_size = 0;
    let Some(request_line) = read_line(reader, &mut head_size)? else {
        return Ok(None);
    };
    let at = Instant::now();
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(format!(
            "the request line {request_line:?} is not `METHOD TARGET HTTP/1.1`"
        ));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("the method {method:?} is not a method"));
    }
    if !version.starts_with("HTTP/1.") {
        return Err(format!("the version {version:?} is not HTTP/1.x"));
    }
    if !target.starts_with('/') {
        return Err(format!("the target {target:?} does not start with `/`"));
    }
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(reader, &mut head_size)? else {
            return Err("the connection closed inside the headers".to_owned());
        };
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("the header line {line:?} has no `:`"));
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("the header name {name:?} is not a name"));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let path = percent_decode(raw_path).map_err(|why| format!("the path {raw_path:?} {why}"))?;
    let mut query = Vec::new();
    for pair in raw_query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |part: &str| {
            percent_decode(&part.replace('+', " "))
                .map_err(|why| format!("the query part {part:?} {why}"))
        };
        query.push((decode(name)?, decode(value)?));
    }
    let mut request = Request {
        method: method.to_owned(),
        path,
        query,
        raw_target: target.to_owned(),
        at,
        headers,
        body: Vec::new(),
    };
    if request.header("transfer-encoding").is_some() {
        return Err("a chunked body is not supported by the test server".to_owned());
    }
    if let Some(length) = request.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| format!("the Content-Length {length:?} is not a number"))?;
        if length > MAX_BODY {
            return Err(format!("the body of {length} bytes is too long"));
        }
        let mut body = vec![0; length];
        reader
            .read_exact(&mut body)
            .map_err(|error| format!("the body ended early: {error}"))?;
        request.body = body;
    }
    Ok(Some(request))
}

/// One line of the head without its line end; `None` at the end of the
/// stream before any byte.
fn read_line(reader: &mut impl BufRead, head_size: &mut usize) -> Result<Option<String>, String> {
    let mut line = Vec::new();
    let limit = (MAX_HEAD - *head_size + 1) as u64;
    let read = reader
        .take(limit)
        .read_until(b'\n', &mut line)
        .map_err(|error| format!("reading the request failed: {error}"))?;
    if read == 0 {
        return Ok(None);
    }
    *head_size += read;
    if *head_size > MAX_HEAD {
        return Err(format!("the request head is longer than {MAX_HEAD} bytes"));
    }
    if line.pop() != Some(b'\n') {
        return Err("the connection closed inside a line of the head".to_owned());
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| "a line of the request head is not UTF-8".to_owned())
}

/// `%XX` escapes decoded to bytes, the result read as UTF-8.
pub fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = bytes
                .get(at + 1..at + 3)
                .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| format!("has a broken escape at byte {at}"))?;
            decoded.push(hex);
            at += 3;
        } else {
            decoded.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| "is not UTF-8 once decoded".to_owned())
}
