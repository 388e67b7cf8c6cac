//! HTTP, politely: one blocking client (ureq, rustls) for every service,
//! with a least time between two requests to the same service, timeouts,
//! and a bounded number of retries that heed `Retry-After`.
//!
//! Crossref says how fast it may be asked in `x-rate-limit-limit` and
//! `x-rate-limit-interval` (50 per `1s`): the spacing follows what it last
//! said. A `429 Too Many Requests` or `503` waits as long as `Retry-After`
//! asks (at most a minute, else the request is given up); other server
//! errors and failed connections wait twice as long each time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{Options, Service};

/// An answer, from the service or from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// Whether it came from the cache.
    pub cached: bool,
}

/// How many times one request is tried in all.
const ATTEMPTS: u32 = 3;

/// The longest `Retry-After` waited for; a service asking for more is
/// given up on for this request.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// The largest answer read (an arXiv feed of five entries is some 20 kB).
const LARGEST_BODY: u64 = 16 << 20;

pub struct Client {
    agent: ureq::Agent,
    intervals: HashMap<Service, Duration>,
    last_request: HashMap<Service, Instant>,
    retry_wait: Duration,
}

impl Client {
    pub fn new(options: &Options) -> Self {
        let user_agent = match &options.contact {
            Some(contact) => format!("pubconv/{} (mailto:{contact})", env!("CARGO_PKG_VERSION")),
            None => format!("pubconv/{}", env!("CARGO_PKG_VERSION")),
        };
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            .user_agent(user_agent)
            .build()
            .into();
        let intervals = Service::ALL
            .into_iter()
            .map(|service| match service {
                Service::Arxiv => (service, options.arxiv_interval),
                _ => (service, service.default_interval()),
            })
            .collect();
        Client {
            agent,
            intervals,
            last_request: HashMap::new(),
            retry_wait: options.retry_wait,
        }
    }

    /// GETs `url`, retrying as the module comment says. Any status the
    /// service settles on is a reply (404: it does not know the work); an
    /// error is a message that says what went wrong.
    pub fn get(&mut self, service: Service, url: &str) -> Result<Reply, String> {
        let mut wait = self.retry_wait;
        let mut last_problem = String::new();
        for attempt in 1..=ATTEMPTS {
            self.keep_spacing(service);
            let outcome = self.agent.get(url).call();
            self.last_request.insert(service, Instant::now());
            let retry_after = match outcome {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let header = |name: &str| {
                        response
                            .headers()
                            .get(name)
                            .and_then(|value| value.to_str().ok())
                            .map(str::to_owned)
                    };
                    if let Some(interval) = rate_limit(
                        header("x-rate-limit-limit").as_deref(),
                        header("x-rate-limit-interval").as_deref(),
                    ) {
                        self.intervals.insert(service, interval);
                    }
                    let retry_after = header("retry-after");
                    if status == 429 || status >= 500 {
                        last_problem = format!("{url} answered {status}");
                        retry_after.as_deref().and_then(seconds)
                    } else {
                        let body = response
                            .body_mut()
                            .with_config()
                            .limit(LARGEST_BODY)
                            .read_to_string()
                            .map_err(|error| format!("{url}: {error}"))?;
                        return Ok(Reply {
                            status,
                            body,
                            cached: false,
                        });
                    }
                }
                Err(error) => {
                    last_problem = format!("{url}: {error}");
                    None
                }
            };
            if attempt == ATTEMPTS {
                break;
            }
            let pause = match retry_after {
                Some(asked) if asked > LONGEST_WAIT => {
                    return Err(format!(
                        "{last_problem}, asking to wait {} s",
                        asked.as_secs()
                    ))
                }
                Some(asked) => asked,
                None => wait,
            };
            std::thread::sleep(pause);
            wait *= 2;
        }
        Err(format!("{last_problem} (tried {ATTEMPTS} times)"))
    }

    /// Sleeps until the service's least interval has passed since the last
    /// request to it.
    fn keep_spacing(&self, service: Service) {
        let (Some(last), Some(interval)) = (
            self.last_request.get(&service),
            self.intervals.get(&service),
        ) else {
            return;
        };
        let next = *last + *interval;
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by these
/// services, and is treated as absent).
fn seconds(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Crossref's `x-rate-limit-limit: 50` and `x-rate-limit-interval: 1s` →
/// one request every 20 ms.
fn rate_limit(limit: Option<&str>, interval: Option<&str>) -> Option<Duration> {
    let limit: u32 = limit?.trim().parse().ok().filter(|&limit| limit > 0)?;
    let interval = interval?.trim();
    let seconds: u64 = interval
        .strip_suffix('s')
        .unwrap_or(interval)
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds) / limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossref_rate_limit_headers_set_the_spacing() {
        assert_eq!(
            rate_limit(Some("50"), Some("1s")),
            Some(Duration::from_millis(20))
        );
        assert_eq!(rate_limit(Some("0"), Some("1s")), None);
        assert_eq!(rate_limit(Some("x"), Some("1s")), None);
        assert_eq!(rate_limit(None, Some("1s")), None);
        assert_eq!(seconds(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(seconds("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
