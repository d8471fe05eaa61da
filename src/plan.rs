//! The scan plan: a validated [`ScanConfig`] turned, once, into what a scan runs with (ripgrep's `HiArgs`).
//!
//! [`ScanPlan::new`] finds the repository directory, loads its `.credsweep.toml`, the rules (built-in, `--rules`,
//! the config's, the parsers' descriptions, `--enable-rule`) and the baseline, and builds the [`Scanner`] every
//! worker shares. Its factories make the rest: [`ScanPlan::worker`], [`ScanPlan::walker`], [`ScanPlan::sink`].
//! Nothing below this module reads the configuration: the scanner, the sources and the writer get what they need
//! from here.
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::{Context, Result};
use crossbeam_channel::Sender;

use crate::{
    config::{GitScope, Root, ScanConfig},
    engine::Engine,
    finding::Emit,
    limits::Limits,
    parsers,
    repo_config::{PathAllow, RepoConfig},
    report::{self, output::Output},
    rules::RuleSet,
    scanner::Scanner,
    sink::Sink,
    sources::{self, git_history, Msg, Shared, Worker},
    suppress,
    walk::{self, Walk},
};

/// Everything a scan needs, loaded and checked once.
pub struct ScanPlan<'c> {
    cfg: &'c ScanConfig,
    /// Where the repository configuration was looked for: the repository's top level for a git scope, else the
    /// first directory root.
    repo_dir: Option<PathBuf>,
    /// The path roots, in command-line order.
    roots: Vec<PathBuf>,
    /// `--exclude` and the repository configuration's `exclude`.
    excludes: Vec<String>,
    shared: Arc<Shared>,
}

impl<'c> ScanPlan<'c> {
    /// Load the repository configuration, rules and baseline, and build the scanner. Errors are the user's to fix
    /// (a config key, a rule pattern, a baseline file), so they stop the scan before it starts.
    pub fn new(cfg: &'c ScanConfig) -> Result<ScanPlan<'c>> {
        let repo_dir = repo_dir(cfg)?;
        let repo = RepoConfig::load(cfg.config.as_deref(), repo_dir.as_deref())?;
        let rule_files: Vec<PathBuf> = cfg.rule_files.iter().chain(&repo.rules).cloned().collect();
        let rules = load_rules(&rule_files, &cfg.enabled_rules)?;
        let baseline = match &cfg.baseline {
            Some(p) => crate::baseline::load(p)?,
            None => Default::default(),
        };
        let roots: Vec<PathBuf> =
            cfg.roots.iter().filter_map(|r| if let Root::Path(p) = r { Some(p.clone()) } else { None }).collect();
        let filter = suppress::Filter {
            baseline,
            fingerprints: repo.allow_fingerprints.iter().cloned().collect(),
            paths: PathAllow::new(&repo.allow_paths)?,
            roots: roots.iter().map(|r| r.strip_prefix("./").unwrap_or(r).to_path_buf()).collect(),
            min_severity: repo.min_severity,
            min_confidence: cfg.min_confidence,
        };
        let emit = Emit { include_secrets: cfg.include_secrets, fingerprinter: cfg.fingerprinter.clone() };
        let shared = Arc::new(Shared {
            scanner: Scanner::new(Engine::new(rules), emit, filter, cfg.homes.clone()),
            limits: Limits::new(cfg.max_duration, cfg.max_bytes),
            max_file_size: cfg.max_file_size,
            follow_symlinks: cfg.follow_symlinks,
            default_excludes: cfg.default_excludes,
            verbose: cfg.verbose,
            archives: archive_limits(cfg),
            max_archive_size: cfg.binary.max_archive_size,
            binaries: if cfg.binary.scan_binaries {
                sources::strings::BinaryPolicy::ScanExecutables
            } else {
                sources::strings::BinaryPolicy::SkipExecutables
            },
        });
        let excludes = cfg.excludes.iter().chain(&repo.exclude).cloned().collect();
        Ok(ScanPlan { cfg, repo_dir, roots, excludes, shared })
    }

    pub fn config(&self) -> &ScanConfig {
        self.cfg
    }

    /// The scanner every source feeds. Built once in [`ScanPlan::new`] (its engine compiles the rule set), shared
    /// read-only by every worker thread.
    pub fn scanner(&self) -> &Scanner {
        &self.shared.scanner
    }

    /// What workers share (the scanner, the limits, the read policy).
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// The repository's top level, for a git scope (`--git-staged`, `--git-diff`, `--git-history`; none for a bare
    /// repository).
    pub fn repo_dir(&self) -> Option<&Path> {
        self.repo_dir.as_deref()
    }

    /// What a git scan of `scope` (`--git-diff`, `--git-history`) reads: the one repository root, the mode, the
    /// size limit for blobs, the excludes.
    pub fn git_request(&self, scope: &GitScope) -> git_history::feed::Request<'_> {
        let mut options = git_history::Options { max_blob_size: self.cfg.max_file_size, ..Default::default() };
        match scope {
            GitScope::Diff(rev) => options.range = Some(rev.clone()),
            GitScope::History(h) => {
                options.refs = h.branches.clone();
                options.since = h.since;
            }
            GitScope::Staged => {}
        }
        let repo = self.roots.first().map_or(Path::new("."), PathBuf::as_path);
        git_history::feed::Request { repo, options, excludes: &self.excludes }
    }

    /// A worker for a source that runs on this thread (standard input, git).
    pub fn worker(&self, tx: &Sender<Msg>) -> Worker {
        Worker::new(self.shared.clone(), tx.clone())
    }

    /// The parallel walk over the path roots; `None` when there are none or git chooses the files.
    pub fn walker(&self) -> Result<Option<Walk>> {
        if self.roots.is_empty() || self.cfg.git.is_some() {
            return Ok(None);
        }
        walk::build(self.cfg, &self.roots, &self.excludes).map(Some)
    }

    /// Where findings go: the format's writer on the output (opened now: a file is created in its directory and
    /// moved into place at the end), or nowhere for `baseline create`.
    pub fn sink(&self) -> Result<Sink> {
        if self.cfg.discard_report {
            return Ok(Sink::Keep);
        }
        let output = Output::open(self.cfg.output.as_deref())?;
        let options = report::Options { color: self.cfg.color };
        let writer = report::writer(self.cfg.format, output, self.scanner().rules(), options)
            .context("cannot write the report")?;
        Ok(Sink::Write(writer))
    }
}

/// The rules a scan (or `rules list`) uses: the built-ins and `files`, the parsers' rule descriptions, and with
/// `enabled` (`--enable-rule`) only those ids.
pub fn load_rules(files: &[PathBuf], enabled: &[String]) -> Result<RuleSet> {
    let mut rules = RuleSet::load(files)?;
    let parser_rules = parsers::rule_specs();
    if let Some(r) = rules.rules.iter().find(|r| parser_rules.iter().any(|p| p.id == r.id())) {
        anyhow::bail!("rule '{}': duplicate id (a format-aware parser reports under it)", r.id());
    }
    rules.add_parser_rules(parser_rules);
    if !enabled.is_empty() {
        rules.retain_ids(enabled)?;
    }
    Ok(rules)
}

/// The bounds of an archive visit: each member up to `--max-file-size` (held whole up to the size a file is read
/// whole), `--archive-depth` levels; `None` with `--no-archives`.
fn archive_limits(cfg: &ScanConfig) -> Option<sources::archive::Limits> {
    cfg.binary.archives.then(|| sources::archive::Limits {
        max_depth: cfg.binary.archive_depth,
        max_held_bytes: crate::read::WHOLE_FILE_MAX,
        ..sources::archive::Limits::with_max_file_size(cfg.max_file_size)
    })
}

/// `--config`, or `.credsweep.toml` in: the repository's top level for a git scope, else the first directory root.
fn repo_dir(cfg: &ScanConfig) -> Result<Option<PathBuf>> {
    let first_dir = cfg.roots.iter().find_map(|r| match r {
        Root::Path(p) if p.is_dir() => Some(p.as_path()),
        _ => None,
    });
    Ok(match &cfg.git {
        Some(GitScope::Staged) => Some(sources::git::toplevel(first_dir.unwrap_or(Path::new(".")))?),
        // The one repository given; none for a bare repository (use --config).
        Some(_) => {
            let first = cfg.roots.iter().find_map(|r| if let Root::Path(p) = r { Some(p.as_path()) } else { None });
            git_history::work_dir(first.unwrap_or(Path::new(".")))?
        }
        None => first_dir.map(Path::to_path_buf),
    })
}
