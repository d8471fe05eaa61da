//! The progress line on stderr: files, bytes, findings so far and the read rate. Drawn only when stderr is a
//! terminal and neither `--quiet` nor `--no-progress` is given; updated by the single writer thread only, so
//! workers never touch it.
use std::{io::IsTerminal, time::Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::Stats;

pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(8));
            pb.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("static template"));
            pb.enable_steady_tick(std::time::Duration::from_millis(125));
            pb
        });
        Progress { bar, start: Instant::now() }
    }

    pub fn update(&self, s: &Stats) {
        if let Some(bar) = &self.bar {
            let secs = self.start.elapsed().as_secs_f64().max(1e-3);
            // Only counts go here: never a path or a value from a file.
            bar.set_message(format!(
                "{} files · {:.1} MiB · {} findings · {:.1} MiB/s",
                s.files_scanned,
                s.bytes_scanned as f64 / 1048576.0,
                s.findings,
                s.bytes_scanned as f64 / 1048576.0 / secs
            ));
        }
    }

    /// A line on stderr, above the progress line when there is one.
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
