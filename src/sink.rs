//! The single writer: the one thread that owns the output, the progress bar and the accumulated report.
//!
//! Workers send [`Msg`]s over a bounded channel; the writer merges counter batches, keeps errors (up to a cap) and
//! references, hands every finding to the [`ReportWriter`] as it arrives (which writes it at once or keeps it
//! compactly, see [`crate::report::keep`]), and drives the progress line. Nothing else touches the output, so lines
//! never interleave and the hot path holds no lock (ripgrep's and Nosey Parker's single writer). When the scan is
//! over, [`Sink::finish`] ends the report.
use std::{collections::HashSet, thread::JoinHandle};

use anyhow::Result;
use crossbeam_channel::{Receiver, Sender};

use crate::{
    progress::Progress,
    read::SkipReason,
    report::{json::JsonWriter, output::Output, ErrorEntry, Finding, ReferenceEntry, Report, ReportWriter, Stats},
    rules::Severity,
    sources::{Counters, Msg, SKIP_REASONS},
    suppress,
};

/// At most this many errors (and references) are listed in a report (all errors are counted).
const MAX_LISTED: usize = 10_000;
/// Messages in flight between the workers and the writer: counter batches, and findings in batches of at most
/// [`crate::sources`]' 256, so a writer slower than the scan holds back the workers instead of letting findings pile
/// up (at most about 64 × 256 findings wait).
const CHANNEL: usize = 64;

/// Where findings go as they arrive.
pub enum Sink {
    /// The report's writer: streamed formats write each finding at once, the others keep them compactly.
    Write(Box<dyn ReportWriter>),
    /// Kept whole, nothing written (baseline creation).
    Keep,
    /// A streaming write failed: only counted from then on; the error is reported at the end.
    Failed,
}

/// What the writer gathered.
pub struct Collected {
    pub stats: Stats,
    pub errors: Vec<ErrorEntry>,
    pub references: Vec<ReferenceEntry>,
    /// The findings themselves, only for [`Sink::Keep`].
    pub findings: Vec<Finding>,
    /// The ids of the rules that fired.
    pub fired: HashSet<String>,
    pub sink: Sink,
    /// The JSON report for `--upload`, written beside the report whatever its format.
    pub upload: Option<Box<JsonWriter>>,
    /// The first streaming write that failed (a closed pipe, a full disk).
    pub write_error: Option<std::io::Error>,
    /// Highest severity seen, for `--fail-on`.
    pub worst: Option<Severity>,
}

/// The writer thread, running.
pub struct Writer(JoinHandle<Collected>);

/// Start the writer on `sink`. `upload`: also write the JSON report, in memory, for `--upload` (it sends the JSON
/// report whatever the output format). The writer ends when every sender is dropped.
pub fn start(sink: Sink, progress: Progress, upload: bool) -> Result<(Sender<Msg>, Writer)> {
    let upload = match upload {
        true => Some(Box::new(JsonWriter::new(Output::Memory(Vec::new()))?)),
        false => None,
    };
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(CHANNEL);
    let handle = std::thread::Builder::new()
        .name("credsweep-writer".into())
        .spawn(move || collect(rx, sink, progress, upload))
        .expect("spawn writer thread");
    Ok((tx, Writer(handle)))
}

impl Writer {
    /// Wait for the writer to drain the channel (every sender dropped).
    pub fn join(self) -> Result<Collected> {
        self.0.join().map_err(|_| anyhow::anyhow!("the report writer stopped unexpectedly"))
    }
}

/// Why an entry was skipped, for `-v`.
fn skip_explained(why: SkipReason) -> &'static str {
    match why {
        SkipReason::Binary => "binary (a NUL byte near its start)",
        SkipReason::TooLarge => "larger than --max-file-size",
        SkipReason::Special => "not a regular file (a FIFO, socket or device)",
        SkipReason::Symlink => "a symbolic link (followed only with --follow-symlinks)",
        SkipReason::PseudoFilesystem => "a pseudo-filesystem (/proc, /sys, /dev)",
        SkipReason::Excluded => "a default exclude (`credsweep excludes` lists them; --no-default-excludes)",
        SkipReason::Executable => "an executable or shared library (its strings scanned with --scan-binaries)",
        SkipReason::Media => "an image, audio, video, font, PDF or unopened archive format (--scan-binaries)",
    }
}

/// Counters by reason, merged from every batch.
#[derive(Default)]
struct Tally {
    skipped: [u64; SKIP_REASONS.len()],
    suppressed: [u64; suppress::Reason::ALL.len()],
    archives: crate::sources::archive::Counts,
}

fn collect(rx: Receiver<Msg>, sink: Sink, progress: Progress, upload: Option<Box<JsonWriter>>) -> Collected {
    let mut c = Collected {
        stats: Stats::default(),
        errors: Vec::new(),
        references: Vec::new(),
        findings: Vec::new(),
        fired: HashSet::new(),
        sink,
        upload,
        write_error: None,
        worst: None,
    };
    let mut tally = Tally::default();
    for msg in rx {
        match msg {
            Msg::Counters(n) => tally.add(&mut c.stats, n),
            Msg::Error(e) => {
                if c.errors.len() < MAX_LISTED {
                    c.errors.push(e);
                }
            }
            Msg::References(r) => {
                let room = MAX_LISTED.saturating_sub(c.references.len());
                c.references.extend(r.into_iter().take(room));
            }
            Msg::Findings(found) => c.take(found),
            Msg::Skipped(path, why) => progress.say(&format!(
                "credsweep: skipped {}: {}",
                crate::sanitize::sanitize(&path.to_string_lossy()),
                skip_explained(why)
            )),
        }
        progress.update(&c.stats);
    }
    progress.finish();
    tally.into_stats(&mut c.stats);
    c
}

impl Tally {
    fn add(&mut self, stats: &mut Stats, c: Counters) {
        stats.files_seen += c.files_seen;
        stats.files_scanned += c.files_scanned;
        stats.bytes_scanned += c.bytes_scanned;
        stats.directories += c.directories;
        stats.errors += c.errors;
        stats.strings_scanned += c.strings_scanned;
        self.archives.add(&c.archives);
        for (t, s) in self.skipped.iter_mut().zip(c.skipped) {
            *t += s;
        }
        for (t, s) in self.suppressed.iter_mut().zip(c.suppressed) {
            *t += s;
        }
    }

    /// The non-zero counts, by name.
    fn into_stats(self, stats: &mut Stats) {
        stats.archives = self.archives.stats();
        for (r, n) in SKIP_REASONS.iter().zip(self.skipped) {
            if n > 0 {
                stats.skipped.insert(r.as_str().to_owned(), n);
            }
        }
        for (r, n) in suppress::Reason::ALL.iter().zip(self.suppressed) {
            if n > 0 {
                stats.suppressed.insert(r.as_str().to_owned(), n);
            }
        }
    }
}

impl Collected {
    /// Count findings and hand each to the writer (and to the upload's JSON writer), or keep it for the baseline.
    fn take(&mut self, found: Vec<Finding>) {
        self.stats.findings += found.len() as u64;
        self.worst = found.iter().map(|f| f.severity).chain(self.worst).max();
        for f in found {
            if !self.fired.contains(&f.rule) {
                self.fired.insert(f.rule.clone());
            }
            let written = match &mut self.sink {
                Sink::Write(w) => w.finding(&f),
                Sink::Keep | Sink::Failed => Ok(()),
            };
            if let Err(e) = written {
                // Stop writing (a closed pipe, a full disk) but keep counting; reported at the end.
                self.write_error.get_or_insert(e);
                self.sink = Sink::Failed;
            }
            if let Some(json) = &mut self.upload {
                if let Err(e) = json.finding(&f) {
                    self.write_error.get_or_insert(e);
                    self.upload = None;
                }
            }
            if matches!(self.sink, Sink::Keep) {
                self.findings.push(f);
            }
        }
    }
}

/// End the upload's JSON report: its bytes, exactly what `--format json` writes for the same report.
pub fn upload_json(json: Box<JsonWriter>, report: &Report) -> Result<Vec<u8>> {
    let (ended, out) = json.end(report);
    ended.map_err(|e| anyhow::Error::new(e).context("cannot serialize the report for upload"))?;
    Ok(out.map(Output::into_memory).unwrap_or_default())
}

impl Sink {
    /// End the report: let the writer write what is left, then flush the output and move it into place. A closed
    /// pipe (`credsweep scan | head`) is not an error; `write_error` is the first failed streaming write.
    pub fn finish(self, write_error: Option<std::io::Error>, report: &Report) -> Result<()> {
        let mut result = write_error.map_or(Ok(()), Err);
        let output = match self {
            // A streaming write that failed turned the sink into `Failed`: a writer here has written nothing wrong.
            Sink::Write(w) => {
                let (ended, out) = w.end(report);
                result = result.and(ended);
                out
            }
            Sink::Keep | Sink::Failed => None,
        };
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(anyhow::Error::new(e).context("cannot write the report")),
            Ok(()) => {}
        }
        if let Some(out) = output {
            out.finish()?;
        }
        Ok(())
    }
}
