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

use anyhow::{Context, Result};
use crossbeam_channel::{Receiver, Sender};
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkState};

use crate::{
    classify::FileKind,
    config::{Format, GitScope, Root, ScanConfig},
    engine::{Engine, Scratch},
    excludes,
    finding::{self, Base, Origin},
    git,
    host::{Host, User},
    limits::Limits,
    progress::Progress,
    repo_config::RepoConfig,
    report::{self, json::Output, ErrorEntry, Finding, ReferenceEntry, Report, ReportWriter, Stats},
    rules::{RuleSet, Severity},
    source::{self, Outcome, Reader, SkipReason},
    suppress, walk,
};

/// At most this many errors are listed in a report (all are counted).
const MAX_LISTED_ERRORS: usize = 10_000;
/// A worker sends its counters after this many files even without findings, for the progress line.
const FLUSH_EVERY: u64 = 256;
const SKIP_REASONS: [SkipReason; 6] = [
    SkipReason::Binary,
    SkipReason::TooLarge,
    SkipReason::Special,
    SkipReason::Symlink,
    SkipReason::PseudoFilesystem,
    SkipReason::Excluded,
];

/// Counter deltas a worker accumulates locally.
#[derive(Debug, Default, Clone, Copy)]
struct Counters {
    files_seen: u64,
    files_scanned: u64,
    bytes_scanned: u64,
    directories: u64,
    skipped: [u64; SKIP_REASONS.len()],
    suppressed: [u64; suppress::Reason::ALL.len()],
    errors: u64,
}

enum Msg {
    Findings(Vec<Finding>),
    References(Vec<ReferenceEntry>),
    Error(ErrorEntry),
    Counters(Counters),
}

/// What every worker reads and nobody writes.
struct Shared {
    engine: Engine,
    filter: suppress::Filter,
    /// Homes being scanned, longest path first: a finding under one is attributed to its user.
    homes: Vec<crate::targets::Home>,
    default_excludes: bool,
    limits: Limits,
    emit: crate::finding::Emit,
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
        Worker { shared, reader, scratch: Scratch::default(), counters: Counters::default(), unsent: 0, tx }
    }

    fn skip(&mut self, why: SkipReason) {
        let i = SKIP_REASONS.iter().position(|r| *r == why).expect("listed");
        self.counters.skipped[i] += 1;
    }

    fn error(&mut self, path: Option<&Path>, reason: String) {
        self.counters.errors += 1;
        let (path, path_raw) = path.map_or((String::new(), None), report::path_strings);
        let _ = self.tx.send(Msg::Error(ErrorEntry { path, path_raw, reason }));
    }

    /// Scan one regular file (or what claims to be one: the open descriptor decides). `shown` is the path reported.
    fn file(&mut self, path: &Path, shown: &Path, follow: bool) {
        self.counters.files_seen += 1;
        self.unsent += 1;
        // Classified once per file, from the name: decides the binary exception and which parser runs.
        let kind = crate::classify::classify(shown);
        let binary_ok = crate::classify::binary_credential_store(kind, shown);
        match self.reader.read_path_with(path, follow, binary_ok) {
            Ok(Outcome::Text(hay, meta)) => {
                self.shared.limits.add_bytes(hay.len() as u64);
                let origin = Origin { path: shown, meta: Some(meta), base: Base::default() };
                let (found, refs) =
                    scan_buffer(&self.shared, &mut self.scratch, &mut self.counters, hay, &origin, Part::Whole(kind));
                self.send(found, refs);
            }
            Ok(Outcome::Large(mut lf)) => self.stream(&mut lf, shown),
            Ok(Outcome::Skipped(why)) => self.skip(why),
            Err(e) => self.error(Some(shown), crate::reason::io_reason(&e)),
        }
        if self.unsent >= FLUSH_EVERY {
            self.flush();
        }
    }

    /// Scan a large file chunk by chunk: memory holds one chunk, and a secret across a border is whole in the
    /// chunk that owns its start.
    fn stream(&mut self, lf: &mut source::LargeFile, shown: &Path) {
        let meta = lf.meta;
        let mut base = Base::default();
        loop {
            let chunk = match self.reader.next_chunk(lf) {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return self.error(Some(shown), crate::reason::io_reason(&e)),
            };
            if chunk.first {
                if let Some(why) =
                    source::skip_reason(&chunk.data[..chunk.data.len().min(source::BINARY_SNIFF)], u64::MAX)
                {
                    return self.skip(why);
                }
            }
            self.shared.limits.add_bytes(chunk.owned_end as u64);
            let part = Part::Chunk { owned_end: chunk.owned_end, first: chunk.first };
            let origin = Origin { path: shown, meta: Some(meta), base };
            let (found, refs) =
                scan_buffer(&self.shared, &mut self.scratch, &mut self.counters, chunk.data, &origin, part);
            base = base.advance(chunk.data, chunk.owned_end);
            self.send(found, refs);
        }
    }

    /// Scan content that is already in memory (a staged git blob), with the same limits as a file.
    fn content(&mut self, shown: &Path, content: &[u8]) {
        self.counters.files_seen += 1;
        if let Some(why) = source::skip_reason(content, self.shared.max_file_size) {
            return self.skip(why);
        }
        let origin = Origin { path: shown, meta: None, base: Base::default() };
        let (found, refs) = scan_buffer(
            &self.shared,
            &mut self.scratch,
            &mut self.counters,
            content,
            &origin,
            Part::Whole(crate::classify::classify(shown)),
        );
        self.send(found, refs);
    }

    fn stdin(&mut self) {
        self.counters.files_seen += 1;
        let shown = Path::new("<stdin>");
        match self.reader.read_stdin() {
            Ok(Outcome::Text(hay, _)) => {
                let origin = Origin { path: shown, meta: None, base: Base::default() };
                let (found, refs) = scan_buffer(
                    &self.shared,
                    &mut self.scratch,
                    &mut self.counters,
                    hay,
                    &origin,
                    Part::Whole(FileKind::Generic),
                );
                self.send(found, refs);
            }
            // Standard input is read whole (up to the size limit); a large variant never comes back from it.
            Ok(Outcome::Large(mut lf)) => self.stream(&mut lf, shown),
            Ok(Outcome::Skipped(why)) => self.skip(why),
            Err(e) => self.error(Some(shown), crate::reason::io_reason(&e)),
        }
        self.flush();
    }

    /// Hand a file's results to the writer (counters first, so progress never shows findings before their file).
    fn send(&mut self, found: Vec<Finding>, refs: Vec<ReferenceEntry>) {
        if found.is_empty() && refs.is_empty() {
            return;
        }
        self.flush();
        if !refs.is_empty() {
            let _ = self.tx.send(Msg::References(refs));
        }
        if !found.is_empty() {
            let _ = self.tx.send(Msg::Findings(found));
        }
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
        if let Some(state) = self.shared.limits.check(entry.path()) {
            return state;
        }
        if ft.is_dir() {
            if !depth0 && self.shared.default_excludes && excludes::skip_dir(entry.path(), entry.file_name()) {
                self.skip(SkipReason::Excluded);
                return WalkState::Skip;
            }
            self.counters.directories += 1;
            return WalkState::Continue;
        }
        if !depth0 && self.shared.default_excludes && excludes::skip_file(entry.file_name()) {
            self.skip(SkipReason::Excluded);
            return WalkState::Continue;
        }
        if ft.is_symlink() {
            // Only reached when links are not followed (the walker resolves them otherwise).
            self.skip(SkipReason::Symlink);
        } else if ft.is_file() {
            // A path named on the command line may itself be a link: the user asked for it.
            self.file(entry.path(), entry.path(), depth0 || self.shared.follow_symlinks);
        } else {
            self.skip(SkipReason::Special);
        }
        WalkState::Continue
    }
}

/// Match, build findings, apply suppressions; counts go to `counters`.
fn scan_buffer(
    shared: &Shared,
    scratch: &mut Scratch,
    counters: &mut Counters,
    hay: &[u8],
    origin: &Origin<'_>,
    part: Part,
) -> (Vec<Finding>, Vec<ReferenceEntry>) {
    let engine = &shared.engine;
    if let Part::Whole(kind) = part {
        counters.files_scanned += 1;
        counters.bytes_scanned += hay.len() as u64;
        // Public keys are never findings: counted as scanned, not matched.
        if kind == FileKind::PublicKey {
            return (Vec::new(), Vec::new());
        }
    }
    let mut matches = engine.scan_with(hay, scratch);
    let parsed = match part {
        Part::Whole(kind) => crate::parsers::parse(kind, origin.path, hay, &|v: &[u8]| !engine.scan(v).is_empty()),
        Part::Chunk { owned_end, first } => {
            counters.files_scanned += first as u64;
            counters.bytes_scanned += owned_end as u64;
            // Each match is reported by the one chunk that owns its start (see `source::next_chunk`).
            matches.retain(|m| m.secret.start < owned_end);
            None
        }
    };
    let parsed_nothing = parsed.as_ref().is_none_or(|p| p.candidates.is_empty() && p.references.is_empty());
    if matches.is_empty() && parsed_nothing {
        return (Vec::new(), Vec::new());
    }
    let references = parsed.as_ref().map_or_else(Vec::new, |p| {
        let (path, _) = report::path_strings(origin.path.strip_prefix("./").unwrap_or(origin.path));
        p.references
            .iter()
            .map(|r| ReferenceEntry { path: path.clone(), context: r.context.clone(), reference: r.reference.clone() })
            .collect()
    });
    let mut inline = 0;
    let mut found = finding::build(engine, hay, &matches, parsed.as_ref(), origin, &shared.emit, &mut inline);
    counters.suppressed[suppress::Reason::Inline.index()] += inline;
    found.retain(|f| match shared.filter.check(f) {
        Some(r) => {
            counters.suppressed[r.index()] += 1;
            false
        }
        None => true,
    });
    if !shared.homes.is_empty() {
        for f in &mut found {
            f.user = shared.homes.iter().find(|h| Path::new(&f.path).starts_with(&h.path)).map(|h| h.user.clone());
        }
    }
    (found, references)
}

/// What part of a file a buffer is. Parsers run on whole files only (the formats they read are small).
#[derive(Debug, Clone, Copy)]
enum Part {
    /// A whole file, of this kind.
    Whole(FileKind),
    Chunk {
        owned_end: usize,
        first: bool,
    },
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

/// Where findings go as they arrive.
enum Sink {
    /// The report's writer: streamed formats write each finding at once, the others keep them for the end.
    Write(Box<dyn ReportWriter>),
    /// Kept, nothing written (baseline creation).
    Keep,
    /// A streaming write failed: only counted from then on; the error is reported at the end.
    Failed,
}

/// What the writer gathered.
struct Collected {
    stats: Stats,
    errors: Vec<ErrorEntry>,
    references: Vec<ReferenceEntry>,
    findings: Vec<Finding>,
    sink: Sink,
    write_error: Option<std::io::Error>,
    /// Highest severity seen, for `--fail-on`.
    worst: Option<Severity>,
}

/// The single writer: merges counters, keeps errors and findings (or streams them), drives progress.
fn writer(rx: Receiver<Msg>, mut sink: Sink, progress: Progress, keep_streamed: bool) -> Collected {
    let mut stats = Stats::default();
    let mut skipped = [0u64; SKIP_REASONS.len()];
    let mut suppressed = [0u64; suppress::Reason::ALL.len()];
    let mut errors = Vec::new();
    let mut references = Vec::new();
    let mut findings = Vec::new();
    let mut write_error = None;
    let mut worst = None;
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
                for (t, s) in suppressed.iter_mut().zip(c.suppressed) {
                    *t += s;
                }
            }
            Msg::Error(e) => {
                if errors.len() < MAX_LISTED_ERRORS {
                    errors.push(e);
                }
            }
            Msg::References(r) => {
                let room = MAX_LISTED_ERRORS.saturating_sub(references.len());
                references.extend(r.into_iter().take(room));
            }
            Msg::Findings(found) => {
                stats.findings += found.len() as u64;
                worst = found.iter().map(|f| f.severity).chain(worst).max();
                for f in found {
                    // Whether to keep the finding in memory: always for a collected report, and for streamed formats
                    // too with `--upload`, which sends the JSON report whatever the output format.
                    let keep = match &mut sink {
                        Sink::Keep => Ok(true),
                        Sink::Write(w) if !w.streams() => Ok(true),
                        Sink::Write(w) => w.finding(&f).map(|()| keep_streamed),
                        Sink::Failed => Ok(keep_streamed),
                    };
                    match keep {
                        Ok(true) => findings.push(f),
                        Ok(false) => {}
                        Err(e) => {
                            // Stop writing (a closed pipe, a full disk) but keep counting; reported at the end.
                            write_error.get_or_insert(e);
                            sink = Sink::Failed;
                            if keep_streamed {
                                findings.push(f);
                            }
                        }
                    }
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
    for (r, n) in suppress::Reason::ALL.iter().zip(suppressed) {
        if n > 0 {
            stats.suppressed.insert(r.as_str().to_owned(), n);
        }
    }
    Collected { stats, errors, references, findings, sink, write_error, worst }
}

/// Outcome of a scan, for the exit code and for `baseline create`.
pub struct ScanOutcome {
    /// Findings reported (after suppressions).
    pub findings: u64,
    /// True when a finding reaches the `--fail-on` severity.
    pub fail: bool,
    /// The findings themselves, sorted (only when the report format keeps them, or with `discard_report`).
    pub kept: Vec<Finding>,
    /// The whole report as JSON, when it is to be uploaded (`--upload`).
    pub report_json: Option<Vec<u8>>,
}

/// Run a scan as configured and write its report.
pub fn run(cfg: &ScanConfig) -> Result<ScanOutcome> {
    let started = std::time::SystemTime::now();
    let clock = Instant::now();

    // Repository configuration: --config, or .credsweep.toml in the first directory root.
    let first_dir = cfg.roots.iter().find_map(|r| match r {
        Root::Path(p) if p.is_dir() => Some(p.as_path()),
        _ => None,
    });
    let repo_dir = match &cfg.git {
        Some(_) => Some(git::toplevel(first_dir.unwrap_or(Path::new(".")))?),
        None => first_dir.map(Path::to_path_buf),
    };
    let repo = RepoConfig::load(cfg.config.as_deref(), repo_dir.as_deref())?;
    let mut rule_files = cfg.rule_files.clone();
    rule_files.extend(repo.rules.iter().cloned());
    let mut rules = RuleSet::load(&rule_files)?;
    rules.add_parser_rules(crate::parsers::rule_specs());
    if !cfg.enabled_rules.is_empty() {
        rules.retain_ids(&cfg.enabled_rules)?;
    }
    let rules_digest = rules.digest.clone();
    let rule_count = rules.rules.len();
    let baseline = match &cfg.baseline {
        Some(p) => crate::baseline::load(p)?,
        None => Default::default(),
    };
    let roots: Vec<PathBuf> =
        cfg.roots.iter().filter_map(|r| if let Root::Path(p) = r { Some(p.clone()) } else { None }).collect();
    let filter = suppress::Filter {
        baseline,
        fingerprints: repo.allow_fingerprints.iter().cloned().collect(),
        paths: crate::repo_config::PathAllow::new(&repo.allow_paths)?,
        roots: roots.iter().map(|r| r.strip_prefix("./").unwrap_or(r).to_path_buf()).collect(),
        min_severity: repo.min_severity,
        min_confidence: cfg.min_confidence,
    };
    let mut homes = cfg.homes.clone();
    homes.sort_by_key(|h| std::cmp::Reverse(h.path.as_os_str().len()));
    let shared = Arc::new(Shared {
        engine: Engine::new(rules),
        filter,
        homes,
        default_excludes: cfg.default_excludes,
        limits: Limits::new(cfg.max_duration, cfg.max_bytes),
        emit: crate::finding::Emit { include_secrets: cfg.include_secrets, fingerprinter: cfg.fingerprinter.clone() },
        max_file_size: cfg.max_file_size,
        follow_symlinks: cfg.follow_symlinks,
    });
    let mut excludes = cfg.excludes.clone();
    excludes.extend(repo.exclude.iter().cloned());
    let walker = if roots.is_empty() || cfg.git.is_some() { None } else { Some(walk::build(cfg, &roots, &excludes)?) };

    let sink = if cfg.discard_report {
        Sink::Keep
    } else {
        let output = Output::open(cfg.output.as_deref())?;
        Sink::Write(report::writer(cfg.format, output, shared.engine.rules()).context("cannot write the report")?)
    };
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(4096);
    let progress = Progress::new(cfg.progress);
    let keep_streamed = cfg.upload.is_some();
    let writer = std::thread::Builder::new()
        .name("credsweep-writer".into())
        .spawn(move || writer(rx, sink, progress, keep_streamed))
        .expect("spawn writer thread");

    if cfg.roots.contains(&Root::Stdin) {
        Worker::new(shared.clone(), tx.clone()).stdin();
    }
    match &cfg.git {
        Some(GitScope::Staged) => {
            let (_, files) = git::staged(repo_dir.as_deref().expect("set for git"), cfg.max_file_size)?;
            let mut w = Worker::new(shared.clone(), tx.clone());
            for (path, content) in files {
                match content {
                    Ok(c) => w.content(Path::new(&path), &c),
                    Err(_too_large) => {
                        w.counters.files_seen += 1;
                        w.skip(SkipReason::TooLarge)
                    }
                }
            }
        }
        Some(GitScope::Diff(rev)) => {
            let top = repo_dir.as_deref().expect("set for git");
            let (_, files) = git::changed_since(top, rev)?;
            let mut w = Worker::new(shared.clone(), tx.clone());
            for rel in files {
                w.file(&top.join(&rel), Path::new(&rel), false);
            }
        }
        None => {}
    }
    let mut crossed = 0;
    if let Some((walker, other_filesystems)) = walker {
        walker.visit(&mut Builder { shared: shared.clone(), tx: tx.clone() });
        crossed = other_filesystems.load(std::sync::atomic::Ordering::Relaxed);
    }
    drop(tx);
    let Collected { mut stats, errors, mut references, mut findings, sink, write_error, worst } =
        writer.join().map_err(|_| anyhow::anyhow!("the report writer stopped unexpectedly"))?;
    stats.directories += crossed;
    stats.duration_ms = clock.elapsed().as_millis() as u64;
    let stopped = shared.limits.stopped();
    findings.sort_by(|a, b| (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule)));
    references.sort_by(|a, b| (&a.path, &a.reference).cmp(&(&b.path, &b.reference)));
    let fail = worst.is_some_and(|w| cfg.fail_on.is_none_or(|min| w >= min));

    let report = Report {
        schema: report::SCHEMA,
        report_id: report::new_report_id(),
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
        complete: stopped.is_none(),
        stopped,
        tags: cfg.tags.clone(),
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
        rules: report::rule_infos(shared.engine.rules(), &findings),
        stats,
        errors,
        references,
        findings,
    };
    let mut result = write_error.map_or(Ok(()), Err);
    let output = match sink {
        // A streaming write that failed turned the sink into `Failed`: a writer here has written nothing wrong yet.
        Sink::Write(w) => {
            let (ended, out) = w.end(&report);
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
    if !cfg.quiet && cfg.format != Format::Human {
        let s = &report.stats;
        let suppressed: u64 = s.suppressed.values().sum();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "credsweep: {} finding{} in {} files ({} bytes) · {} suppressed · {} skipped · {} error{} · {:.2} s",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.files_scanned,
            s.bytes_scanned,
            suppressed,
            s.skipped.values().sum::<u64>(),
            s.errors,
            if s.errors == 1 { "" } else { "s" },
            s.duration_ms as f64 / 1000.0
        );
    }
    // The JSON report for the registry: serialized here, where the report exists, whatever `--format` was.
    // Byte for byte what `--format json` writes, so uploading that file later is recognised as the same report.
    let report_json = match cfg.upload {
        Some(_) => {
            let mut json = Vec::new();
            report::json::write_report(&mut json, &report).context("cannot serialize the report for upload")?;
            Some(json)
        }
        None => None,
    };
    Ok(ScanOutcome { findings: report.stats.findings, fail, kept: report.findings, report_json })
}
