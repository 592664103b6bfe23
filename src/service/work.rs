//! The service's heavy work, kept off the threads that serve requests (SPEC §8.10):
//! PDFs rendered by Typst on blocking threads, a few at a time, behind a short queue
//! and a cache keyed by the SHA-256 of what they are made from; and argon2, whose
//! 19 MiB per hash is computed by a bounded number of tasks at once.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use super::auth;
use crate::render::{Renderer, Standard};
use crate::report::Report;

/// Why heavy work was not done.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// Too many requests wait already: the person is asked to try again.
    #[error("kön är full")]
    Full,
    /// The work itself failed: a fault of spur.
    #[error("{0}")]
    Failed(String),
}

/// How many PDFs render at once: one per core of the machine it was sized for.
const RENDERING: usize = 2;
/// How many more may wait before a request is told to try again.
const QUEUED: usize = 16;
/// How many bytes of PDFs the cache keeps.
const CACHE_BYTES: usize = 32 * 1024 * 1024;
/// How many password hashes are computed at once.
const HASHING: usize = 2;

/// The PDF renderer, its queue and its cache.
pub struct Pdfs {
    renderer: Arc<Renderer>,
    gate: Arc<Semaphore>,
    waiting: AtomicUsize,
    cache: Mutex<Cache>,
}

/// Rendered PDFs by the hash of their data, oldest first out.
#[derive(Default)]
struct Cache {
    by_key: HashMap<[u8; 32], Arc<Vec<u8>>>,
    order: VecDeque<[u8; 32]>,
    bytes: usize,
}

impl Cache {
    fn insert(&mut self, key: [u8; 32], pdf: Arc<Vec<u8>>) {
        if self.by_key.contains_key(&key) {
            return;
        }
        self.bytes += pdf.len();
        self.by_key.insert(key, pdf);
        self.order.push_back(key);
        while self.bytes > CACHE_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.by_key.remove(&old) {
                self.bytes -= gone.len();
            }
        }
    }
}

impl Default for Pdfs {
    fn default() -> Self {
        Pdfs {
            renderer: Arc::new(Renderer::new()),
            gate: Arc::new(Semaphore::new(RENDERING)),
            waiting: AtomicUsize::new(0),
            cache: Mutex::new(Cache::default()),
        }
    }
}

/// Counts a waiting request for as long as it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Pdfs {
    /// The PDF (PDF/A-2a, as `spur render` writes by default) of the report that
    /// `report` builds, cached under `key`, the hash of what the report is made from:
    /// an unchanged inspection's PDF is neither built nor rendered again.
    pub async fn pdf(
        &self,
        key: [u8; 32],
        report: impl FnOnce() -> Result<Report, String> + Send + 'static,
    ) -> Result<Arc<Vec<u8>>, WorkError> {
        if let Some(hit) = self.lock().by_key.get(&key) {
            return Ok(hit.clone());
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= RENDERING + QUEUED {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(WorkError::Full);
        }
        let _waiting = Waiting(&self.waiting);
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|e| WorkError::Failed(e.to_string()))?;
        if let Some(hit) = self.lock().by_key.get(&key) {
            return Ok(hit.clone());
        }
        let renderer = self.renderer.clone();
        let pdf = tokio::task::spawn_blocking(move || {
            let report = report().map_err(WorkError::Failed)?;
            renderer
                .pdf(&report, Standard::default())
                .map_err(|e| WorkError::Failed(e.to_string()))
        })
        .await
        .map_err(|e| WorkError::Failed(e.to_string()))??;
        let pdf = Arc::new(pdf);
        self.lock().insert(key, pdf.clone());
        Ok(pdf)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Password hashing, a bounded number at once.
pub struct Passwords {
    gate: Semaphore,
}

impl Default for Passwords {
    fn default() -> Self {
        Passwords {
            gate: Semaphore::new(HASHING),
        }
    }
}

impl Passwords {
    /// Whether `password` matches `hash` (or, for an unknown account, the same work
    /// against no one's hash, so that the time taken does not tell).
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, WorkError> {
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|e| WorkError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(move || match hash {
            Some(hash) => auth::verify_password(&password, &hash),
            None => {
                auth::verify_password(&password, auth::dummy_hash());
                false
            }
        })
        .await
        .map_err(|e| WorkError::Failed(e.to_string()))
    }

    /// The argon2id hash of `password`.
    pub async fn hash(&self, password: String) -> Result<String, WorkError> {
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|e| WorkError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(move || auth::hash_password(&password))
            .await
            .map_err(|e| WorkError::Failed(e.to_string()))?
            .ok_or_else(|| WorkError::Failed("lösenordet kunde inte hashas".into()))
    }
}
