//! The scan pipeline: parallel walk → one [`Worker`] per thread → a channel → exactly one writer.
//!
//! Workers share only the immutable [`Engine`]; each owns its read buffer, scratch space and counters, and sends
//! findings, errors and (batched) counter deltas to the writer thread. The writer is the only thing that touches the
//! output, the progress bar and the accumulated report, so lines never interleave and the hot path holds no lock.
use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::Arc,
    time::Instant,
};

use anyhow::Result;
use crossbeam_channel::{Receiver, Sender};
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkState};

use crate::{
    config::{Format, Root, ScanConfig},
    engine::{Engine, Scratch},
    finding::{self, Origin},
    host::{Host, User},
    progress::Progress,
    report::{self, json::Output, ErrorEntry, Finding, Report, Stats},
    rules::RuleSet,
    source::{Outcome, Reader, SkipReason},
    walk,
};

/// At most this many errors are listed in a report (all are counted).
const MAX_LISTED_ERRORS: usize = 10_000;
/// A worker sends its counters after this many files even without findings, for the progress line.
const FLUSH_EVERY: u64 = 256;
const SKIP_REASONS: [SkipReason; 5] = [
    SkipReason::Binary,
    SkipReason::TooLarge,
    SkipReason::Special,
    SkipReason::Symlink,
    SkipReason::PseudoFilesystem,
];

/// Counter deltas a worker accumulates locally.
#[derive(Debug, Default, Clone, Copy)]
struct Counters {
    files_seen: u64,
    files_scanned: u64,
    bytes_scanned: u64,
    directories: u64,
    skipped: [u64; SKIP_REASONS.len()],
    errors: u64,
}

enum Msg {
    Findings(Vec<Finding>),
    Error(ErrorEntry),
    Counters(Counters),
}

/// What every worker reads and nobody writes.
struct Shared {
    engine: Engine,
    include_secrets: bool,
    max_file_size: u64,
    follow_symlinks: bool,
}

struct Worker {
    shared: Arc<Shared>,
    reader: Reader,
    scratch: Scratch,
    counters: Counters,
    unsent: u64,
    tx: Sender<Msg>,
}

impl Worker {
    fn new(shared: Arc<Shared>, tx: Sender<Msg>) -> Worker {
        let reader = Reader::new(shared.max_file_size);
        Worker {
            shared,
            reader,
            scratch: Scratch::default(),
            counters: Counters::default(),
            unsent: 0,
            tx,
        }
    }

    fn skip(&mut self, why: SkipReason) {
        let i = SKIP_REASONS.iter().position(|r| *r == why).expect("listed");
        self.counters.skipped[i] += 1;
    }

    fn error(&mut self, path: Option<&Path>, reason: String) {
        self.counters.errors += 1;
        let (path, path_raw) = path.map_or((String::new(), None), report::path_strings);
        let _ = self.tx.send(Msg::Error(ErrorEntry {
            path,
            path_raw,
            reason,
        }));
    }

    /// Scan one regular file (or what claims to be one: the open descriptor decides).
    fn file(&mut self, path: &Path, follow: bool) {
        self.counters.files_seen += 1;
        self.unsent += 1;
        match self.reader.read_path(path, follow) {
            Ok(Outcome::Text(hay, meta)) => {
                self.counters.files_scanned += 1;
                self.counters.bytes_scanned += hay.len() as u64;
                let matches = self.shared.engine.scan_with(hay, &mut self.scratch);
                if !matches.is_empty() {
                    let origin = Origin {
                        path,
                        meta: Some(meta),
                    };
                    let found = finding::build(
                        &self.shared.engine,
                        hay,
                        &matches,
                        &origin,
                        self.shared.include_secrets,
                    );
                    self.flush();
                    let _ = self.tx.send(Msg::Findings(found));
                }
            }
            Ok(Outcome::Skipped(why)) => self.skip(why),
            Err(e) => self.error(Some(path), crate::io_reason(&e)),
        }
        if self.unsent >= FLUSH_EVERY {
            self.flush();
        }
    }

    fn stdin(&mut self) {
        self.counters.files_seen += 1;
        match self.reader.read_stdin() {
            Ok(Outcome::Text(hay, _)) => {
                self.counters.files_scanned += 1;
                self.counters.bytes_scanned += hay.len() as u64;
                let matches = self.shared.engine.scan_with(hay, &mut self.scratch);
                let origin = Origin {
                    path: Path::new("<stdin>"),
                    meta: None,
                };
                let found = finding::build(
                    &self.shared.engine,
                    hay,
                    &matches,
                    &origin,
                    self.shared.include_secrets,
                );
                if !found.is_empty() {
                    let _ = self.tx.send(Msg::Findings(found));
                }
            }
            Ok(Outcome::Skipped(why)) => self.skip(why),
            Err(e) => self.error(Some(Path::new("<stdin>")), crate::io_reason(&e)),
        }
        self.flush();
    }

    fn flush(&mut self) {
        let c = std::mem::take(&mut self.counters);
        self.unsent = 0;
        let _ = self.tx.send(Msg::Counters(c));
    }

    fn entry(&mut self, entry: DirEntry) -> WalkState {
        let depth0 = entry.depth() == 0;
        let Some(ft) = entry.file_type() else {
            return WalkState::Continue;
        };
        if (depth0 || ft.is_dir()) && walk::is_pseudo_fs(entry.path()) {
            self.skip(SkipReason::PseudoFilesystem);
            return WalkState::Skip;
        }
        if ft.is_dir() {
            self.counters.directories += 1;
            return WalkState::Continue;
        }
        if ft.is_symlink() {
            // Only reached when links are not followed (the walker resolves them otherwise).
            self.skip(SkipReason::Symlink);
        } else if ft.is_file() {
            // A path named on the command line may itself be a link: the user asked for it.
            self.file(entry.path(), depth0 || self.shared.follow_symlinks);
        } else {
            self.skip(SkipReason::Special);
        }
        WalkState::Continue
    }
}

impl ParallelVisitor for Worker {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(e) => self.entry(e),
            Err(err) => {
                let (path, reason) = walk::describe(&err);
                self.error(path.as_deref(), reason);
                WalkState::Continue
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.flush();
    }
}

struct Builder {
    shared: Arc<Shared>,
    tx: Sender<Msg>,
}

impl<'s> ParallelVisitorBuilder<'s> for Builder {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Worker::new(self.shared.clone(), self.tx.clone()))
    }
}

/// What the writer gathered.
struct Collected {
    stats: Stats,
    errors: Vec<ErrorEntry>,
    findings: Vec<Finding>,
    output: Output,
    write_error: Option<std::io::Error>,
}

/// The single writer: merges counters, keeps errors and findings (or streams findings for `jsonl`), drives progress.
fn writer(rx: Receiver<Msg>, mut output: Output, format: Format, progress: Progress) -> Collected {
    let mut stats = Stats::default();
    let mut skipped = [0u64; SKIP_REASONS.len()];
    let mut errors = Vec::new();
    let mut findings = Vec::new();
    let mut write_error = None;
    for msg in rx {
        match msg {
            Msg::Counters(c) => {
                stats.files_seen += c.files_seen;
                stats.files_scanned += c.files_scanned;
                stats.bytes_scanned += c.bytes_scanned;
                stats.directories += c.directories;
                stats.errors += c.errors;
                for (t, s) in skipped.iter_mut().zip(c.skipped) {
                    *t += s;
                }
            }
            Msg::Error(e) => {
                if errors.len() < MAX_LISTED_ERRORS {
                    errors.push(e);
                }
            }
            Msg::Findings(found) => {
                stats.findings += found.len() as u64;
                if format == Format::Jsonl {
                    for f in &found {
                        if write_error.is_none() {
                            if let Err(e) = report::json::write_finding_line(&mut output, f) {
                                write_error = Some(e);
                            }
                        }
                    }
                } else {
                    findings.extend(found);
                }
            }
        }
        progress.update(&stats);
    }
    progress.finish();
    for (r, n) in SKIP_REASONS.iter().zip(skipped) {
        if n > 0 {
            stats.skipped.insert(r.as_str().to_owned(), n);
        }
    }
    Collected {
        stats,
        errors,
        findings,
        output,
        write_error,
    }
}

/// Outcome of a scan, for the exit code.
pub struct ScanOutcome {
    pub findings: u64,
}

/// Run a scan as configured and write its report.
pub fn run(cfg: &ScanConfig) -> Result<ScanOutcome> {
    let started = std::time::SystemTime::now();
    let clock = Instant::now();
    let rules = RuleSet::load(&cfg.rule_files)?;
    let rules_digest = rules.digest.clone();
    let rule_count = rules.rules.len();
    let shared = Arc::new(Shared {
        engine: Engine::new(rules),
        include_secrets: cfg.include_secrets,
        max_file_size: cfg.max_file_size,
        follow_symlinks: cfg.follow_symlinks,
    });
    let paths: Vec<PathBuf> = cfg
        .roots
        .iter()
        .filter_map(|r| {
            if let Root::Path(p) = r {
                Some(p.clone())
            } else {
                None
            }
        })
        .collect();
    let walker = if paths.is_empty() {
        None
    } else {
        Some(walk::build(cfg, &paths)?)
    };
    let output = Output::open(cfg.output.as_deref())?;

    let (tx, rx) = crossbeam_channel::bounded::<Msg>(4096);
    let progress = Progress::new(cfg.progress);
    let format = cfg.format;
    let writer = std::thread::Builder::new()
        .name("credsweep-writer".into())
        .spawn(move || writer(rx, output, format, progress))
        .expect("spawn writer thread");

    if cfg.roots.contains(&Root::Stdin) {
        Worker::new(shared.clone(), tx.clone()).stdin();
    }
    if let Some(walker) = walker {
        walker.visit(&mut Builder {
            shared: shared.clone(),
            tx: tx.clone(),
        });
    }
    drop(tx);
    let Collected {
        mut stats,
        errors,
        mut findings,
        mut output,
        write_error,
    } = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the report writer stopped unexpectedly"))?;
    stats.duration_ms = clock.elapsed().as_millis() as u64;

    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule))
    });
    let report = Report {
        schema: report::SCHEMA,
        scanner: report::Scanner {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            rules_digest,
            rules: rule_count,
        },
        host: Host::current(),
        user: User::current(),
        started_at: humantime::format_rfc3339_seconds(started).to_string(),
        finished_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        complete: true,
        include_secrets: cfg.include_secrets,
        roots: cfg
            .roots
            .iter()
            .map(|r| match r {
                Root::Path(p) => p.to_string_lossy().into_owned(),
                Root::Stdin => "<stdin>".to_owned(),
            })
            .collect(),
        credentials: report::group_credentials(&findings),
        stats,
        errors,
        findings,
    };
    let written = match format {
        Format::Json => report::json::write_report(&mut output, &report),
        Format::Human => {
            let color = report::human::want_color(output.is_terminal());
            report::human::write_report(&mut output, &report, color)
        }
        Format::Jsonl => Ok(()),
    };
    match write_error.map_or(written, Err) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(anyhow::Error::new(e).context("cannot write the report")),
        Ok(()) => {}
    }
    output.finish()?;
    if !cfg.quiet && format != Format::Human {
        let s = &report.stats;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "credsweep: {} finding{} in {} files ({} bytes) · {} skipped · {} error{} · {:.2} s",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.files_scanned,
            s.bytes_scanned,
            s.skipped.values().sum::<u64>(),
            s.errors,
            if s.errors == 1 { "" } else { "s" },
            s.duration_ms as f64 / 1000.0
        );
    }
    Ok(ScanOutcome {
        findings: report.stats.findings,
    })
}
