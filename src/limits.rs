//! Scan limits for unattended runs: `--max-duration` and `--max-bytes`. Checked once per walk entry and between the
//! chunks of a streamed file (an `Instant` read and a relaxed atomic load), so the scan stops cleanly between files
//! or inside a big one, and the report stays complete JSON, saying `complete: false`, why, a sample of what was not
//! reached, and which files were cut short.
//!
//! A file read whole (at most [`crate::read::WHOLE_FILE_MAX`]) is scanned to its end once started: the scan of one
//! buffer is linear in its size, so the overrun is bounded by one buffer's work. A streamed file stops between
//! chunks (a `--max-duration 1s` scan once ran for 4.4 s inside one file and said `complete: true`: issue #16).
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

/// Paths kept per list of the report (`not_reached`, `cut_short`): a sample, not an inventory.
const SAMPLE: usize = 100;

/// `--max-duration` / `--max-bytes`: checked once per walk entry and between chunks (an `Instant` read and a relaxed
/// atomic load), so the scan stops cleanly and the report stays complete JSON.
pub struct Limits {
    deadline: Option<Instant>,
    max_bytes: Option<u64>,
    bytes: AtomicU64,
    /// 0 running, 1 stopped by time, 2 stopped by bytes.
    stopped: AtomicU8,
    /// A sample of the entries that were handed out but not scanned, for the report.
    not_reached: Mutex<Vec<String>>,
    /// A sample of the files whose scan stopped partway, for the report.
    cut_short: Mutex<Vec<String>>,
}

impl Limits {
    pub fn new(max_duration: Option<std::time::Duration>, max_bytes: Option<u64>) -> Limits {
        Limits {
            deadline: max_duration.map(|d| Instant::now() + d),
            max_bytes,
            bytes: AtomicU64::new(0),
            stopped: AtomicU8::new(0),
            not_reached: Mutex::new(Vec::new()),
            cut_short: Mutex::new(Vec::new()),
        }
    }

    pub fn add_bytes(&self, n: u64) {
        if self.max_bytes.is_some() {
            self.bytes.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// True once a limit is reached (and from then on).
    pub fn reached(&self) -> bool {
        if self.deadline.is_none() && self.max_bytes.is_none() {
            return false;
        }
        if self.stopped.load(Ordering::Relaxed) != 0 {
            return true;
        }
        let why = if self.deadline.is_some_and(|d| Instant::now() >= d) {
            1
        } else if self.max_bytes.is_some_and(|m| self.bytes.load(Ordering::Relaxed) >= m) {
            2
        } else {
            return false;
        };
        // The first limit reached is the reason, whichever thread saw it first.
        let _ = self.stopped.compare_exchange(0, why, Ordering::Relaxed, Ordering::Relaxed);
        true
    }

    /// `Some(Quit)` once a limit is reached; the entry is then recorded as not reached.
    pub fn check(&self, path: &Path) -> Option<WalkState> {
        if !self.reached() {
            return None;
        }
        sample(&self.not_reached, path);
        Some(WalkState::Quit)
    }

    /// Between two parts of one file: true when a limit is reached, and the file is then recorded as cut short.
    pub fn cut(&self, path: &Path) -> bool {
        if !self.reached() {
            return false;
        }
        sample(&self.cut_short, path);
        true
    }

    pub fn stopped(&self) -> Option<report::Stopped> {
        let reason = match self.stopped.load(Ordering::Relaxed) {
            1 => "max-duration",
            2 => "max-bytes",
            _ => return None,
        };
        let take = |m: &Mutex<Vec<String>>| std::mem::take(&mut *m.lock().unwrap_or_else(|e| e.into_inner()));
        Some(report::Stopped { reason, not_reached: take(&self.not_reached), cut_short: take(&self.cut_short) })
    }
}

/// Add `path` to a sample list, up to [`SAMPLE`] entries.
fn sample(list: &Mutex<Vec<String>>, path: &Path) {
    let mut l = list.lock().unwrap_or_else(|e| e.into_inner());
    if l.len() < SAMPLE {
        l.push(path.to_string_lossy().into_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn no_limits_never_stop() {
        let l = Limits::new(None, None);
        l.add_bytes(u64::MAX);
        assert!(!l.reached() && l.check(Path::new("a")).is_none() && !l.cut(Path::new("b")));
        assert!(l.stopped().is_none());
    }

    #[test]
    fn bytes_stop_and_the_report_lists_what_was_cut_and_not_reached() {
        let l = Limits::new(Some(Duration::from_secs(3600)), Some(10));
        l.add_bytes(9);
        assert!(!l.cut(Path::new("big")), "under the limit");
        l.add_bytes(1);
        assert!(l.cut(Path::new("big")));
        assert!(matches!(l.check(Path::new("next")), Some(WalkState::Quit)));
        let s = l.stopped().unwrap();
        assert_eq!((s.reason, s.cut_short, s.not_reached), ("max-bytes", vec!["big".into()], vec!["next".into()]));
    }

    #[test]
    fn a_passed_deadline_is_the_reason_and_lists_are_samples() {
        let l = Limits::new(Some(Duration::ZERO), Some(10));
        l.add_bytes(100);
        for i in 0..2 * SAMPLE {
            assert!(l.cut(Path::new(&format!("f{i}"))));
        }
        let s = l.stopped().unwrap();
        assert_eq!(s.reason, "max-duration", "checked first");
        assert_eq!(s.cut_short.len(), SAMPLE);
    }
}
