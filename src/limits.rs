//! Scan limits for unattended runs: `--max-duration` and `--max-bytes`. Checked once per walk entry (an `Instant`
//! read and a relaxed atomic load), so the scan stops cleanly between files and the report stays complete JSON,
//! saying `complete: false`, why, and a sample of what was not reached.
use std::{
    path::Path,
    sync::{
        atomic::{AtomicU64, AtomicU8, Ordering},
        Mutex,
    },
    time::Instant,
};

use ignore::WalkState;

use crate::report;

/// `--max-duration` / `--max-bytes`: checked once per walk entry (an `Instant` read and a relaxed atomic load), so
/// the scan stops cleanly between files and the report stays complete JSON.
pub struct Limits {
    deadline: Option<Instant>,
    max_bytes: Option<u64>,
    bytes: AtomicU64,
    /// 0 running, 1 stopped by time, 2 stopped by bytes.
    stopped: AtomicU8,
    /// A sample of the entries that were handed out but not scanned, for the report.
    not_reached: Mutex<Vec<String>>,
}

impl Limits {
    pub fn new(max_duration: Option<std::time::Duration>, max_bytes: Option<u64>) -> Limits {
        Limits {
            deadline: max_duration.map(|d| Instant::now() + d),
            max_bytes,
            bytes: AtomicU64::new(0),
            stopped: AtomicU8::new(0),
            not_reached: Mutex::new(Vec::new()),
        }
    }

    pub fn add_bytes(&self, n: u64) {
        if self.max_bytes.is_some() {
            self.bytes.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// `Some(Quit)` once a limit is reached; the entry is then recorded as not reached.
    pub fn check(&self, path: &Path) -> Option<WalkState> {
        if self.deadline.is_none() && self.max_bytes.is_none() {
            return None;
        }
        let mut why = self.stopped.load(Ordering::Relaxed);
        if why == 0 {
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                why = 1;
            } else if self.max_bytes.is_some_and(|m| self.bytes.load(Ordering::Relaxed) >= m) {
                why = 2;
            } else {
                return None;
            }
            self.stopped.store(why, Ordering::Relaxed);
        }
        let mut nr = self.not_reached.lock().unwrap_or_else(|e| e.into_inner());
        if nr.len() < 100 {
            nr.push(path.to_string_lossy().into_owned());
        }
        Some(WalkState::Quit)
    }

    pub fn stopped(&self) -> Option<report::Stopped> {
        let reason = match self.stopped.load(Ordering::Relaxed) {
            1 => "max-duration",
            2 => "max-bytes",
            _ => return None,
        };
        let not_reached = std::mem::take(&mut *self.not_reached.lock().unwrap_or_else(|e| e.into_inner()));
        Some(report::Stopped { reason, not_reached })
    }
}
