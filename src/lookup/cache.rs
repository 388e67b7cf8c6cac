//! The on-disk cache of answers: one small JSON file per request, named
//! by a hash of the request's normalised form (service, path and query,
//! without the base URL or the contact address), holding that form, the
//! time fetched, the status and the body.
//!
//! A file is written beside its place and renamed into it, so that a run
//! stopped at any moment (Ctrl-C) leaves each file whole or absent.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::client::Reply;

/// `$XDG_CACHE_HOME/pubconv`, else `~/.cache/pubconv` (on Windows
/// `%LOCALAPPDATA%\pubconv`); `None` when none of them is set.
pub fn default_dir() -> Option<PathBuf> {
    let from = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    from("XDG_CACHE_HOME")
        .or_else(|| from("HOME").map(|home| home.join(".cache")))
        .or_else(|| from("LOCALAPPDATA"))
        .map(|dir| dir.join("pubconv"))
}

pub struct Cache {
    dir: PathBuf,
}

/// One answer as stored.
#[derive(Serialize, Deserialize)]
struct Stored {
    request: String,
    /// Seconds since 1970 (UTC).
    fetched: u64,
    status: u16,
    body: String,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Self {
        Cache { dir }
    }

    /// The stored answer to `request`, if any (a file that does not read
    /// as one, or that holds another request, is none).
    pub fn get(&self, request: &str) -> Option<Reply> {
        let text = std::fs::read_to_string(self.path(request)).ok()?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        (stored.request == request).then_some(Reply {
            status: stored.status,
            body: stored.body,
            cached: true,
        })
    }

    /// Stores the answer to `request`.
    pub fn put(&self, request: &str, reply: &Reply) -> std::io::Result<()> {
        let path = self.path(request);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let fetched = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let stored = Stored {
            request: request.to_owned(),
            fetched,
            status: reply.status,
            body: reply.body.clone(),
        };
        let json = serde_json::to_string(&stored)?;
        let partial = path.with_extension(format!("partial{}", std::process::id()));
        std::fs::write(&partial, json)?;
        std::fs::rename(&partial, &path)
    }

    /// `<dir>/<service>/<hash>.json`, the service being the request's
    /// first word.
    fn path(&self, request: &str) -> PathBuf {
        let service = request
            .split(' ')
            .next()
            .filter(|word| word.bytes().all(|b| b.is_ascii_alphanumeric()))
            .unwrap_or("other");
        self.dir
            .join(service)
            .join(Path::new(&format!("{:016x}.json", fnv1a(request))))
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every
/// version, as file names must be (std's hashers are seeded per process).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_comes_back_for_its_request_only() {
        let dir = std::env::temp_dir().join(format!("pubconv-cache-test-{}", std::process::id()));
        let cache = Cache::new(dir.clone());
        let reply = Reply {
            status: 200,
            body: "<feed/>".into(),
            cached: false,
        };
        assert_eq!(cache.get("arxiv /api/query?id_list=1"), None);
        cache.put("arxiv /api/query?id_list=1", &reply).unwrap();
        let back = cache.get("arxiv /api/query?id_list=1").unwrap();
        assert_eq!(
            (back.status, back.body.as_str(), back.cached),
            (200, "<feed/>", true)
        );
        assert_eq!(cache.get("arxiv /api/query?id_list=2"), None);
        assert!(dir.join("arxiv").is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
