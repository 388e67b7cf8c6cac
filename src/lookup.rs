//! Completing works from the services that know them: arXiv, Crossref,
//! DBLP and OpenAlex. The only code in pubconv that touches the network,
//! and only when the user names services (`--lookup`).
//!
//! A reply from a service is just another input: [`services`] says what to
//! ask of each service for a work and which reader parses the reply,
//! [`client`] asks it (politely: per-service spacing, bounded retries,
//! timeouts), [`cache`] keeps every answer on disk so that a second run
//! asks nothing, [`matching`] decides which candidate, if any, is the same
//! work, and [`crate::merge::complete`] fills the work from it. Every
//! acceptance, rejection and failure is reported.
//!
//! Services are asked in one order whatever order the user names them in:
//! arXiv first (it gives the full author list and the DOI of the published
//! version), then Crossref (by that DOI: venue, volume, pages), DBLP and
//! OpenAlex.

pub mod cache;
pub mod client;
pub mod matching;
pub mod services;

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Work;
use crate::read::{ReadOptions, Source};

use cache::Cache;
use client::{Client, Reply};
use matching::Choice;
use services::Query;

/// A service pubconv can look works up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    Arxiv,
    Crossref,
    Dblp,
    OpenAlex,
}

impl Service {
    /// Every service, in the order they are asked.
    pub const ALL: [Service; 4] = [
        Service::Arxiv,
        Service::Crossref,
        Service::Dblp,
        Service::OpenAlex,
    ];

    /// The name on the command line and in the cache.
    pub fn name(self) -> &'static str {
        match self {
            Service::Arxiv => "arxiv",
            Service::Crossref => "crossref",
            Service::Dblp => "dblp",
            Service::OpenAlex => "openalex",
        }
    }

    /// The name in messages.
    pub fn title(self) -> &'static str {
        match self {
            Service::Arxiv => "arXiv",
            Service::Crossref => "Crossref",
            Service::Dblp => "DBLP",
            Service::OpenAlex => "OpenAlex",
        }
    }

    /// The service's public address, used unless another base URL is given.
    pub fn default_url(self) -> &'static str {
        match self {
            Service::Arxiv => "https://export.arxiv.org",
            Service::Crossref => "https://api.crossref.org",
            Service::Dblp => "https://dblp.org",
            Service::OpenAlex => "https://api.openalex.org",
        }
    }

    /// The least time between two requests to the service, before it says
    /// otherwise: arXiv asks for one request every three seconds; DBLP
    /// publishes no limit and is a small academic service; Crossref and
    /// OpenAlex allow several a second (Crossref's headers then tell).
    pub fn default_interval(self) -> Duration {
        match self {
            Service::Arxiv => Duration::from_secs(3),
            Service::Dblp => Duration::from_secs(1),
            Service::Crossref | Service::OpenAlex => Duration::from_millis(100),
        }
    }

    /// `arxiv,crossref` or `all` → the services, in the order they are
    /// asked.
    pub fn parse_list(list: &str) -> Result<Vec<Service>, String> {
        let mut services = Vec::new();
        for name in list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            if name.eq_ignore_ascii_case("all") {
                services.extend(Service::ALL);
                continue;
            }
            let service = Service::ALL
                .into_iter()
                .find(|service| service.name().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    format!("no service `{name}`: name arxiv, crossref, dblp, openalex or all")
                })?;
            services.push(service);
        }
        services.sort_unstable();
        services.dedup();
        Ok(services)
    }
}

/// What to look up, where, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The services to ask; none means no lookup and no network.
    pub services: Vec<Service>,
    /// An e-mail address sent with every request (Crossref's and
    /// OpenAlex's polite pools ask for one).
    pub contact: Option<String>,
    /// Where answers are kept; `None` keeps none.
    pub cache_dir: Option<PathBuf>,
    /// Answer from the cache only.
    pub offline: bool,
    /// Ask again even what the cache holds.
    pub refresh: bool,
    /// Each service's base URL, for mirrors and tests: `None` for the
    /// public one.
    pub base_urls: Vec<(Service, String)>,
    /// How long one request may take, in all.
    pub timeout: Duration,
    /// The first wait before a retry; each retry waits twice the last.
    pub retry_wait: Duration,
    /// The least time between two requests to arXiv.
    pub arxiv_interval: Duration,
    /// Told how many works are looked up so far, after each.
    pub progress: Option<Progress>,
}

/// Called with how many works are looked up so far, and how many there
/// are when that is known (a run may take minutes: arXiv is asked once
/// every 3 s).
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(usize, Option<usize>) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Progress")
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            services: Vec::new(),
            contact: None,
            cache_dir: cache::default_dir(),
            offline: false,
            refresh: false,
            base_urls: Vec::new(),
            timeout: Duration::from_secs(30),
            retry_wait: Duration::from_secs(2),
            arxiv_interval: Service::Arxiv.default_interval(),
            progress: None,
        }
    }
}

impl Options {
    /// The base URL requests to `service` go to.
    pub fn base_url(&self, service: Service) -> &str {
        self.base_urls
            .iter()
            .rev()
            .find(|(named, _)| *named == service)
            .map_or(service.default_url(), |(_, url)| url.as_str())
            .trim_end_matches('/')
    }
}

/// Completes each work from the services `options` names. Returns what
/// was matched, rejected, filled and what failed.
pub fn complete(works: &mut [Work], options: &Options) -> Vec<Diagnostic> {
    let Some(mut lookups) = Lookups::new(options) else {
        return Vec::new();
    };
    lookups.expect(works.len());
    let mut diagnostics = Vec::new();
    for work in works.iter_mut() {
        diagnostics.extend(lookups.complete(work));
    }
    diagnostics.extend(lookups.finish());
    diagnostics
}

/// Lookups made one work at a time, as the works come (a list read whole
/// or a stream): the cache, the client that keeps each service's
/// spacing, and how many lookups the cache could not answer.
pub struct Lookups<'o> {
    options: &'o Options,
    cache: Option<Cache>,
    client: Client,
    unanswered: usize,
    done: usize,
    total: Option<usize>,
}

impl<'o> Lookups<'o> {
    /// `None` when `options` names no service: then nothing is looked up.
    pub fn new(options: &'o Options) -> Option<Self> {
        if options.services.is_empty() {
            return None;
        }
        Some(Lookups {
            options,
            cache: options.cache_dir.clone().map(Cache::new),
            client: Client::new(options),
            unanswered: 0,
            done: 0,
            total: None,
        })
    }

    /// Says how many works there are to look up, for the progress shown.
    pub fn expect(&mut self, total: usize) {
        self.total = Some(total);
    }

    /// Completes `work` from each service in turn; says what was matched,
    /// rejected, filled and what failed.
    pub fn complete(&mut self, work: &mut Work) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let options = self.options;
        for &service in &options.services {
            let Some(query) = services::query(service, work) else {
                continue;
            };
            match answer(&query, options, self.cache.as_ref(), &mut self.client) {
                Answer::Reply(reply) => {
                    diagnostics.extend(use_reply(work, &query, &reply, self.cache.as_ref()));
                }
                Answer::NotCached => {
                    self.unanswered += 1;
                    diagnostics.push(Diagnostic::new(
                        Severity::Note,
                        "lookup::not-cached",
                        format!(
                            "lookup: {} not looked up on {}: its answer is not in the cache",
                            describe(work),
                            service.title()
                        ),
                    ));
                }
                Answer::Failed(message) => diagnostics.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "lookup::failed",
                        format!(
                            "could not look up {} on {}: {message}",
                            describe(work),
                            service.title()
                        ),
                    )
                    .hint("the work is written as read; run again later, or without this service"),
                ),
            }
        }
        self.done += 1;
        if let Some(progress) = &options.progress {
            progress.0(self.done, self.total);
        }
        diagnostics
    }

    /// What is left to say once every work is looked up: how many lookups
    /// `--offline` kept from being made.
    pub fn finish(self) -> Option<Diagnostic> {
        let message = match self.unanswered {
            0 => return None,
            1 => "1 lookup is not in the cache and was not made (--offline)".to_owned(),
            n => format!("{n} lookups are not in the cache and were not made (--offline)"),
        };
        Some(
            Diagnostic::new(Severity::Warning, "lookup::offline", message)
                .hint("run once without --offline to fetch them"),
        )
    }
}

/// Where an answer came from.
enum Answer {
    Reply(Reply),
    /// Offline, and the cache does not have it.
    NotCached,
    Failed(String),
}

/// The answer to `query`: from the cache unless told to refresh, else
/// from the service unless offline.
fn answer(query: &Query, options: &Options, cache: Option<&Cache>, client: &mut Client) -> Answer {
    if !options.refresh {
        if let Some(reply) = cache.and_then(|cache| cache.get(&query.key())) {
            return Answer::Reply(reply);
        }
    }
    if options.offline {
        return Answer::NotCached;
    }
    let url = query.url(options.base_url(query.service), options.contact.as_deref());
    match client.get(query.service, &url) {
        Ok(reply) => Answer::Reply(reply),
        Err(message) => Answer::Failed(message),
    }
}

/// Reads a reply with the reader of its format, picks the candidate that
/// is the same work and fills the work from it. A reply that reads
/// cleanly is kept in the cache.
fn use_reply(
    work: &mut Work,
    query: &Query,
    reply: &Reply,
    cache: Option<&Cache>,
) -> Vec<Diagnostic> {
    let service = query.service;
    let mut diagnostics = Vec::new();
    let candidates = if reply.status == 404 {
        Vec::new()
    } else {
        let source = Source {
            name: &query.key(),
            text: &reply.body,
        };
        let reading = service.reply_format().read(source, &ReadOptions::default());
        let errors: Vec<&Diagnostic> = reading
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
            .collect();
        if let Some(error) = errors.first() {
            diagnostics.push(
                Diagnostic::new(
                    Severity::Warning,
                    "lookup::bad-reply",
                    format!(
                        "{}'s answer about {} could not be read: {}",
                        service.title(),
                        describe(work),
                        error.message
                    ),
                )
                .hint("the work is written as read; run again later (the answer was not cached)"),
            );
            return diagnostics;
        }
        reading.library.works
    };
    if !reply.cached {
        if let Some(cache) = cache {
            if let Err(error) = cache.put(&query.key(), reply) {
                diagnostics.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "lookup::cache",
                        format!(
                            "could not keep {}'s answer in the cache: {error}",
                            service.title()
                        ),
                    )
                    .hint("check that the cache directory (--cache-dir) is writable"),
                );
            }
        }
    }
    match matching::choose(work, &candidates, query) {
        Choice::Match { index, passed_over } => {
            let found = candidates.into_iter().nth(index).unwrap_or_default();
            let what = found_name(&found, service);
            let mut message = format!("lookup: matched {} to {what}", describe(work));
            if passed_over > 0 {
                message.push_str(&format!(
                    " (before {passed_over} later record{} of the same work)",
                    if passed_over == 1 { "" } else { "s" }
                ));
            }
            diagnostics.push(Diagnostic::new(Severity::Note, "lookup::matched", message));
            for conflict in crate::merge::complete(work, found) {
                diagnostics.push(
                    Diagnostic::new(
                        Severity::Note,
                        "lookup::conflict",
                        format!("{} on {}: {conflict}", describe(work), service.title()),
                    )
                    .hint("the input's value is kept"),
                );
            }
        }
        Choice::None(reason) => diagnostics.push(Diagnostic::new(
            Severity::Note,
            "lookup::no-match",
            format!(
                "lookup: no match for {} on {}: {reason}",
                describe(work),
                service.title()
            ),
        )),
    }
    diagnostics
}

/// `'Title'` for messages.
fn describe(work: &Work) -> String {
    let title = work
        .title
        .as_ref()
        .map(|title| title.raw_string())
        .unwrap_or_default();
    format!("'{title}'")
}

/// The found record as messages name it: `arXiv:2210.13533`,
/// `doi:10.1145/…`, else the service.
fn found_name(found: &Work, service: Service) -> String {
    match (service, &found.ids.arxiv, &found.ids.doi) {
        (Service::Arxiv, Some(id), _) => format!("arXiv:{id}"),
        (_, _, Some(doi)) => format!("doi:{doi} ({})", service.title()),
        (_, Some(id), None) => format!("arXiv:{id} ({})", service.title()),
        _ => format!("a {} record", service.title()),
    }
}
