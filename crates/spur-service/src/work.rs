//! The service's heavy work, kept off the threads that serve requests (SPEC §8.10):
//! PDFs rendered by Typst on a thread of their own, one at a time, behind a short queue
//! and a cache keyed by the SHA-256 of what they are made from; and argon2, whose
//! 19 MiB per hash is computed by a bounded number of tasks at once.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::Semaphore;

use super::auth;
use spur_report::Report;
use spur_report::render::{Renderer, Standard};

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

/// How many PDFs may wait for the renderer before a request is told to try again.
const QUEUED: usize = 16;
/// How many bytes of PDFs the cache keeps: fifty reports or so.
const CACHE_BYTES: usize = 8 * 1024 * 1024;
/// How many password hashes are computed at once.
const HASHING: usize = 2;
/// The renderer thread's stack: Typst's layout recurses with the document.
const RENDER_STACK: usize = 16 * 1024 * 1024;

/// A report to render, and where its PDF goes.
type Job = Box<dyn FnOnce(&Renderer) + Send>;

/// The PDF renderer — one thread, fonts loaded once, rendering one PDF at a time — its
/// queue and its cache. One thread, because a render takes about 45 MiB for its tenth
/// of a second and the allocator keeps a heap per thread: renders spread over many
/// threads would each leave theirs behind. The other core is left to the pages.
pub struct Pdfs {
    jobs: mpsc::SyncSender<Job>,
    cache: Arc<Mutex<Cache>>,
}

/// Rendered PDFs by the hash of what they are made from, oldest first out.
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

fn lock(cache: &Mutex<Cache>) -> std::sync::MutexGuard<'_, Cache> {
    cache.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pdfs {
    /// Starts the renderer thread.
    pub fn start() -> Result<Pdfs, String> {
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUED);
        std::thread::Builder::new()
            .name("spur-typst".into())
            .stack_size(RENDER_STACK)
            .spawn(move || {
                let renderer = Renderer::new();
                for job in queue {
                    job(&renderer);
                }
            })
            .map_err(|e| format!("PDF-tråden kunde inte starta: {e}"))?;
        Ok(Pdfs {
            jobs,
            cache: Arc::new(Mutex::new(Cache::default())),
        })
    }

    /// The PDF (PDF/A-2a, as `spur render` writes by default) of the report that
    /// `report` builds, cached under `key`, the hash of what the report is made from:
    /// an unchanged inspection's PDF is neither built nor rendered again.
    pub async fn pdf(
        &self,
        key: [u8; 32],
        report: impl FnOnce() -> Result<Report, String> + Send + 'static,
    ) -> Result<Arc<Vec<u8>>, WorkError> {
        if let Some(hit) = lock(&self.cache).by_key.get(&key) {
            return Ok(hit.clone());
        }
        let (answer, answered) = tokio::sync::oneshot::channel();
        let cache = self.cache.clone();
        let job: Job = Box::new(move |renderer| {
            let found = lock(&cache).by_key.get(&key).cloned();
            let pdf = match found {
                Some(hit) => Ok(hit),
                None => report().and_then(|report| {
                    let pdf = Arc::new(
                        renderer
                            .pdf(&report, Standard::default())
                            .map_err(|e| e.to_string())?,
                    );
                    lock(&cache).insert(key, pdf.clone());
                    Ok(pdf)
                }),
            };
            // A request that went away meanwhile finds its PDF in the cache next time.
            if answer.send(pdf).is_err() {
                eprintln!("spur serve: en PDF blev klar efter att begäran avbrutits");
            }
        });
        self.jobs.try_send(job).map_err(|e| match e {
            mpsc::TrySendError::Full(_) => WorkError::Full,
            mpsc::TrySendError::Disconnected(_) => {
                WorkError::Failed("PDF-tråden har stannat".into())
            }
        })?;
        answered
            .await
            .map_err(|_| WorkError::Failed("PDF-tråden svarade inte".into()))?
            .map_err(WorkError::Failed)
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
