//! The scan pipeline: plan → sources (workers, one per thread) → a channel → exactly one writer → the report.
//!
//! [`run`] reads like the pipeline: the [`ScanPlan`] loads everything once; the sink (the report's writer) starts on
//! its own thread; the sources feed the shared scanner through their workers (standard input, then git's files,
//! then the parallel walk); the writer's gatherings become the [`Report`], which the sink ends. Workers share only
//! immutable state; the writer alone touches the output, the progress bar and the counters.
use std::{io::Write, time::Instant};

use anyhow::Result;
use crossbeam_channel::Sender;

use crate::{
    config::{Format, GitScope, Root, ScanConfig},
    host::{Host, User},
    plan::ScanPlan,
    progress::Progress,
    report::{self, Finding, GitStats, Report, Stats},
    sink::{self, Collected},
    sources::{self, git_history, Msg},
    walk::Walk,
};

/// Outcome of a scan, for the exit code and for `baseline create`.
pub struct ScanOutcome {
    /// Findings reported (after suppressions).
    pub findings: u64,
    /// True when a finding reaches the `--fail-on` severity.
    pub fail: bool,
    /// The findings themselves (only with `discard_report`, for `baseline create`).
    pub kept: Vec<Finding>,
    /// The whole report as JSON, when it is to be uploaded (`--upload`).
    pub report_json: Option<Vec<u8>>,
}

/// Run a scan as configured and write its report.
///
/// The plan (rules with their compiled patterns, the baseline, the parsers' tables) is not freed: the command ends
/// right after, and freeing the few hundred regexes a scan of a home directory builds took ~20 ms of CPU on the main
/// thread, after the report was written, on every run. One plan per process: each command runs one scan.
pub fn run(cfg: &ScanConfig) -> Result<ScanOutcome> {
    let started = std::time::SystemTime::now();
    let clock = Instant::now();
    let plan = ScanPlan::new(cfg)?;
    let walk = plan.walker()?;
    let (tx, writer) = sink::start(plan.sink()?, Progress::new(cfg.progress), cfg.upload.is_some())?;
    let (crossed, git) = feed(&plan, walk, tx)?;
    let mut collected = writer.join()?;
    collected.stats.directories += crossed;
    collected.stats.git = git;
    collected.stats.duration_ms = clock.elapsed().as_millis() as u64;
    let fail = collected.worst.is_some_and(|w| cfg.fail_on.is_none_or(|min| w >= min));
    let (report, kept, upload) = assemble(&plan, &mut collected, started);
    // The JSON report for the registry, whatever `--format` was: byte for byte what `--format json` writes, so
    // uploading that file later is recognised as the same report.
    let report_json = upload.map(|json| sink::upload_json(json, &report)).transpose()?;
    collected.sink.finish(collected.write_error, &report)?;
    if !cfg.quiet && cfg.format != Format::Human {
        summary(&report.stats);
    }
    std::mem::forget(plan);
    Ok(ScanOutcome { findings: report.stats.findings, fail, kept, report_json })
}

/// Run every source: standard input, then git's objects (a git scope), then the walk over the path roots. Returns
/// the directories the walk left out on other filesystems and what a git scan read. The writer ends when `tx` and
/// the workers' copies are gone.
fn feed(plan: &ScanPlan<'_>, walk: Option<Walk>, tx: Sender<Msg>) -> Result<(u64, Option<GitStats>)> {
    let cfg = plan.config();
    if cfg.roots.contains(&Root::Stdin) {
        plan.worker(&tx).stdin();
    }
    let git = match &cfg.git {
        Some(GitScope::Staged) => {
            let top = plan.repo_dir().expect("set for git");
            sources::git::scan_staged(&mut plan.worker(&tx), top, cfg.max_file_size)?;
            None
        }
        Some(scope) => Some(git_history::feed::scan(plan.shared(), &tx, &plan.git_request(scope))?),
        None => None,
    };
    Ok((walk.map_or(0, |w| sources::files::walk(w, plan.shared(), &tx)), git))
}

/// The report's envelope from what the writer gathered (references sorted, the rules that fired described), the
/// findings kept for a baseline, and the upload's JSON writer.
fn assemble(
    plan: &ScanPlan<'_>,
    collected: &mut Collected,
    started: std::time::SystemTime,
) -> (Report, Vec<Finding>, Option<Box<report::json::JsonWriter>>) {
    let cfg = plan.config();
    let stopped = plan.shared().limits.stopped();
    let mut references = std::mem::take(&mut collected.references);
    references.sort_by(|a, b| (&a.path, &a.reference).cmp(&(&b.path, &b.reference)));
    let rules = plan.scanner().rules();
    let report = Report {
        schema: report::SCHEMA,
        report_id: report::new_report_id(),
        scanner: report::Scanner {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            rules_digest: rules.digest.clone(),
            rules: rules.rules.len(),
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
                Root::Stdin => sources::stdin::STDIN_PATH.to_owned(),
            })
            .collect(),
        scope: report::scope::of(cfg, plan.repo_dir()),
        rules: report::rule_infos(rules, &collected.fired),
        stats: std::mem::take(&mut collected.stats),
        errors: std::mem::take(&mut collected.errors),
        references,
    };
    (report, std::mem::take(&mut collected.findings), collected.upload.take())
}

/// The one-line summary on stderr (the human format has its own).
fn summary(s: &Stats) {
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
