//! Scanning blobs on worker threads while the walk goes on. The walk runs on one thread (a gix repository handle is
//! not `Sync`), so each blob's bytes are copied into a bounded channel; workers scan them, and the results are put
//! back into walk order before deduplication, so "the earliest commit" means the same as when scanning inline.
//!
//! Memory: at most `2 × workers + 1` blobs are held (the channel's capacity, one per worker, the one being read),
//! plus the results waiting for an earlier blob's, which are findings only.
use std::{collections::BTreeMap, ops::Range, path::PathBuf, sync::Arc, thread::JoinHandle};

use crossbeam_channel::{Receiver, Sender};

use super::feed::{scan_blob, Dedupe};
use crate::{
    report::Provenance,
    scanner::{Input, Scanned},
    sources::{Feed, Msg, Shared, Worker},
};

/// One blob, owned, for a worker.
pub(super) struct Job {
    /// Place in the walk.
    pub seq: u64,
    pub path: PathBuf,
    pub data: Vec<u8>,
    pub lines: Option<Vec<Range<u32>>>,
    pub provenance: Arc<Provenance>,
}

/// What a worker made of a job (`None`: skipped as binary or too large).
struct Done {
    seq: u64,
    scanned: Option<Scanned>,
}

/// Worker threads and the reordering of their results.
pub(super) struct Pool {
    jobs: Option<Sender<Job>>,
    done: Receiver<Done>,
    threads: Vec<JoinHandle<()>>,
    /// Results that arrived before an earlier blob's.
    waiting: BTreeMap<u64, Option<Scanned>>,
    /// The next blob in walk order whose result is to be forwarded.
    next: u64,
    /// Blobs that were scanned (not skipped).
    pub scanned: u64,
}

impl Pool {
    /// Start `workers` threads, each with its own [`Worker`] on the writer's channel.
    pub fn new(shared: &Arc<Shared>, tx: &Sender<Msg>, workers: usize) -> Pool {
        let (jobs, rx) = crossbeam_channel::bounded::<Job>(workers);
        let (done_tx, done) = crossbeam_channel::unbounded();
        let threads = (0..workers)
            .map(|i| {
                let (rx, done_tx) = (rx.clone(), done_tx.clone());
                let mut worker = Worker::new(shared.clone(), tx.clone());
                std::thread::Builder::new()
                    .name(format!("credsweep-git-{i}"))
                    .spawn(move || work(&mut worker.feed, &rx, &done_tx))
                    .expect("spawn git scan worker")
            })
            .collect();
        Pool { jobs: Some(jobs), done, threads, waiting: BTreeMap::new(), next: 1, scanned: 0 }
    }

    /// Hand a blob to the workers (waits while they are all busy and the channel is full), then forward whatever
    /// results are ready, in walk order.
    pub fn submit(&mut self, job: Job, dedupe: &mut Dedupe, feed: &mut Feed) {
        let _ = self.jobs.as_ref().expect("open until finish").send(job);
        while let Ok(d) = self.done.try_recv() {
            self.arrived(d, dedupe, feed);
        }
    }

    /// Wait for every job, forward the rest, and end the workers (their counters reach the writer as they end).
    /// Returns how many blobs were scanned.
    pub fn finish(mut self, dedupe: &mut Dedupe, feed: &mut Feed) -> u64 {
        self.jobs = None;
        // Ends when every worker has ended (each holds the only senders).
        while let Ok(d) = self.done.recv() {
            self.arrived(d, dedupe, feed);
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        // Only if a worker died: what the others did is still reported, in order.
        for (seq, scanned) in std::mem::take(&mut self.waiting) {
            if let Some(found) = scanned {
                self.scanned += 1;
                dedupe.forward(feed, found, seq);
            }
        }
        self.scanned
    }

    fn arrived(&mut self, d: Done, dedupe: &mut Dedupe, feed: &mut Feed) {
        self.waiting.insert(d.seq, d.scanned);
        while let Some(scanned) = self.waiting.remove(&self.next) {
            if let Some(found) = scanned {
                self.scanned += 1;
                dedupe.forward(feed, found, self.next);
            }
            self.next += 1;
        }
    }
}

/// A worker's loop: scan each job and send the result back, until the channel closes.
fn work(feed: &mut Feed, rx: &Receiver<Job>, done: &Sender<Done>) {
    for job in rx {
        let mut input = Input::new(&job.path);
        input.origin.provenance = Some(&job.provenance);
        input.scope.lines = job.lines.as_deref();
        let scanned = scan_blob(feed, &input, &job.data);
        if done.send(Done { seq: job.seq, scanned }).is_err() {
            break;
        }
    }
}
