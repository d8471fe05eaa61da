//! The validated run configuration: a plain struct, one documented field per option. Built once from the command
//! line by [`crate::cli`]; everything downstream reads this and never clap.
use std::path::PathBuf;

use crate::rules::Severity;

/// What to do.
#[derive(Debug, Clone)]
pub struct Config {
    pub command: Command,
}

#[derive(Debug, Clone)]
pub enum Command {
    Scan(Box<ScanConfig>),
    /// Print every rule (built-in plus these files), sorted by id.
    RulesList {
        rule_files: Vec<PathBuf>,
        /// One JSON array instead of tab-separated lines.
        json: bool,
    },
    /// Validate one rule file.
    RulesCheck {
        file: PathBuf,
    },
    /// Scan, then write the findings' location ids as a baseline to `output`.
    BaselineCreate {
        scan: Box<ScanConfig>,
        output: PathBuf,
    },
    /// Print a shell completion script.
    Completions {
        shell: String,
    },
    /// Print the man page (roff), or write one page per command into a directory.
    Man {
        dir: Option<PathBuf>,
    },
    /// Print the default excludes.
    Excludes,
    /// Send these report files (none: only what is queued in the spool) to a registry.
    Upload {
        reports: Vec<PathBuf>,
        upload: UploadConfig,
    },
}

/// Where and how reports go to a registry (`credsweep upload`, `scan --upload`).
#[derive(Debug, Clone)]
pub struct UploadConfig {
    /// `POST` target: the registry's base URL plus `/v1/reports`.
    pub endpoint: String,
    /// Bearer token (from `--token-file` or `CREDSWEEP_REGISTRY_TOKEN`; never a command-line value).
    pub token: Token,
    /// Offline queue (0700).
    pub spool_dir: PathBuf,
    /// Extra trusted CA certificates (PEM), added to the system roots.
    pub ca_cert: Option<PathBuf>,
    /// Resends after a network error or a 5xx/429, with exponential backoff.
    pub retries: u32,
    /// First backoff delay; doubles each retry.
    pub backoff: std::time::Duration,
    /// Per-request time limit.
    pub timeout: std::time::Duration,
    /// Queue bounds: the oldest reports go first when exceeded.
    pub spool_max_reports: usize,
    pub spool_max_bytes: u64,
    /// Only errors on stderr.
    pub quiet: bool,
}

/// A registry token: its `Debug` never shows the value, so a logged config can't leak it.
#[derive(Clone)]
pub struct Token(pub String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    /// SARIF 2.1.0, streamed.
    Sarif,
}

/// When the human report uses colours (`--color`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set to something.
    #[default]
    Auto,
    Always,
    Never,
}

/// Scan what git holds rather than the files on disk: the index, a range's added lines, or the whole history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitScope {
    /// The staged versions of staged files.
    Staged,
    /// The lines the commits in `REV..HEAD` added (`A..B` as written).
    Diff(String),
    /// Every blob in the history of all refs, or of `branches`, from commits at or after `since`.
    History(GitHistory),
}

/// `--git-history` and its narrowing options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitHistory {
    /// `--branch REF` (repeatable): only the history of these revisions. Empty: every ref and `HEAD`.
    pub branches: Vec<String>,
    /// `--since DATE`, as Unix seconds: only commits whose committer date is at or after it (as `git log --since`).
    pub since: Option<i64>,
}

/// A scan root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    Path(PathBuf),
    Stdin,
}

#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Paths (files or directories) and/or standard input, in command-line order. All paths existed at start.
    pub roots: Vec<Root>,
    pub format: Format,
    /// Report destination; `None` is standard output.
    pub output: Option<PathBuf>,
    /// Worker threads (≥ 1).
    pub threads: usize,
    /// Files larger than this are skipped (checked at read time, for command-line paths too).
    pub max_file_size: u64,
    /// Gitignore-syntax globs of paths to skip.
    pub excludes: Vec<String>,
    /// Honour .gitignore / .git/info/exclude / the global git excludes file, as git does.
    pub respect_gitignore: bool,
    /// Follow symlinks (with loop detection). Off: symlinks below a root are counted and skipped.
    pub follow_symlinks: bool,
    /// Descend into other filesystems than each root's.
    pub cross_filesystems: bool,
    /// Extra rule files, after the built-ins.
    pub rule_files: Vec<PathBuf>,
    /// `--enable-rule`: run only the rules with these ids (empty: all).
    pub enabled_rules: Vec<String>,
    /// Only errors on stderr.
    pub quiet: bool,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
    /// `-v`: say on stderr what is skipped and why, file by file.
    pub verbose: bool,
    /// Colours in the human report.
    pub color: Color,
    /// Raw secret values go into the report. Nothing else ever prints them.
    pub include_secrets: bool,
    /// Exit 0 even with findings.
    pub exit_zero: bool,
    /// Exit 1 only for findings at or above this severity (`None`: any finding).
    pub fail_on: Option<Severity>,
    /// Leave out (and count) findings below this confidence.
    pub min_confidence: Option<crate::rules::Confidence>,
    /// Baseline file: findings whose location id it lists are suppressed.
    pub baseline: Option<PathBuf>,
    /// Repository config file (`None`: look for `.credsweep.toml` in the first directory root).
    pub config: Option<PathBuf>,
    /// Scan git's staged content, a range's added lines or the history instead of the files on disk.
    pub git: Option<GitScope>,
    /// Keep findings in memory and write no report (used by `baseline create`).
    pub discard_report: bool,
    /// Home directories being scanned and their users (`--home`, `--all-users`): findings under one name its user.
    pub homes: Vec<crate::targets::Home>,
    /// Only known credential locations (the roots were chosen by `--quick`).
    pub quick: bool,
    /// `--all-users`: every real user's home (the report's scope is the host's fleet scope).
    pub all_users: bool,
    /// `--quick`: the directories whose known credential locations were chosen (the homes, or the PATHs given).
    pub quick_bases: Vec<PathBuf>,
    /// Skip package caches, build outputs, VM images … ([`crate::excludes`]).
    pub default_excludes: bool,
    /// Stop cleanly after this long; the report says `complete: false`.
    pub max_duration: Option<std::time::Duration>,
    /// Stop cleanly after reading this many bytes.
    pub max_bytes: Option<u64>,
    /// Lower CPU and I/O priority.
    pub nice: bool,
    /// Unattended mode: timestamped reports in this directory, a lock, rotation.
    pub output_dir: Option<PathBuf>,
    /// Reports kept in `output_dir`.
    pub keep: usize,
    /// `--tag KEY=VALUE` labels, into the report.
    pub tags: std::collections::BTreeMap<String, String>,
    /// Plain SHA-256 or keyed HMAC-SHA256 fingerprints (`--fingerprint-key-file`).
    pub fingerprinter: crate::fingerprint::Fingerprinter,
    /// Send the report to a registry after the scan (`--upload`).
    pub upload: Option<UploadConfig>,
    /// What happens to archives and other binary files.
    pub binary: BinaryConfig,
}

/// What happens to files that are not text (issue #14): archives are opened and their members scanned like files;
/// other binary files have their printable strings scanned by the token rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BinaryConfig {
    /// Open archives and scan their members (`--no-archives` turns it off).
    pub archives: bool,
    /// Archive levels opened, the archive file being level 1 (`--archive-depth`).
    pub archive_depth: u32,
    /// Archive files are opened up to this size on disk, also over `max_file_size`: their members are bounded one
    /// by one (`--max-archive-size`).
    pub max_archive_size: u64,
    /// Scan the strings of executables, shared libraries and media files too (`--scan-binaries`).
    pub scan_binaries: bool,
}

impl Default for BinaryConfig {
    fn default() -> BinaryConfig {
        BinaryConfig { archives: true, archive_depth: 3, max_archive_size: 1 << 30, scan_binaries: false }
    }
}
