//! Command-line definition (clap). Nothing outside this module sees clap types: [`Cli::into_config`] validates the
//! arguments once and produces a [`Config`].
use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
    config::{
        BinaryConfig, Color, Command, Config, Format, GitHistory, GitScope, Root, ScanConfig, Token, UploadConfig,
    },
    rules::Severity,
    targets::{self, Home},
};

#[derive(Parser, Debug)]
#[command(
    name = "credsweep",
    version,
    about = "Find and inventory credentials on endpoints: SSH keys, API tokens, secrets in configs",
    after_help = "Exit codes: 0 no findings, 1 findings, 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: CliCommand,
}

#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Scan files and directories for credentials.
    Scan(Box<ScanArgs>),
    /// List or check detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Record the current findings so later scans report only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// Target shell.
        shell: String,
    },
    /// Print the man page (roff) generated from these definitions; with --dir, write one page per command.
    Man {
        /// Write credsweep.1 and a page per subcommand (credsweep-scan.1, credsweep-rules-list.1 …) into DIR, e.g.
        /// /usr/local/share/man/man1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// List the default endpoint excludes and their exceptions.
    Excludes,
    /// Send reports to a credsweep registry; with no REPORT, send only what is queued from earlier runs.
    Upload(Box<UploadArgs>),
}

/// How to reach a registry: shared by `upload` and `scan --upload`.
#[derive(Args, Debug)]
pub struct RegistryArgs {
    /// File holding the registry upload token (else the CREDSWEEP_REGISTRY_TOKEN environment variable).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Queue for reports the registry could not take yet, sent first next time (default: the user's state
    /// directory, e.g. ~/.local/state/credsweep/spool).
    #[arg(long, value_name = "DIR")]
    pub spool_dir: Option<PathBuf>,
    /// Also trust this CA certificate (PEM), e.g. a private CA, besides the system's roots.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Resends after a network error, a 5xx or a 429, with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// First wait before a resend; doubles each time (capped at 60 s).
    #[arg(long, value_name = "DURATION", default_value = "2s")]
    pub retry_delay: String,
    /// Time limit for one request.
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub timeout: String,
    /// Most reports the queue keeps (the oldest go first).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub spool_max_reports: usize,
    /// Most bytes the queue keeps (compressed; the oldest go first).
    #[arg(long, value_name = "SIZE", default_value = "256MiB")]
    pub spool_max_size: String,
}

#[derive(Args, Debug)]
pub struct UploadArgs {
    /// JSON report files (`scan --format json`). None: only flush the queue.
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    /// The registry's base URL (https://…; plain http only to a loopback address).
    #[arg(long, value_name = "URL")]
    pub registry: String,
    #[command(flatten)]
    pub conn: RegistryArgs,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Every rule, sorted by id: one line each (id, name, severity), or a JSON array.
    List {
        /// Also load rules from this TOML file (repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Validate a rule file exactly as the test suite validates the built-in rules.
    Check {
        /// Rule file (TOML).
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum BaselineCommand {
    /// Scan and write every finding's location id (never a secret) to a baseline file.
    Create {
        /// Baseline file to write (sorted, one entry per line).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        walk: Box<WalkArgs>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CliFormat {
    Human,
    Json,
    Jsonl,
    Sarif,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    /// Tab-separated: id, name, severity.
    Text,
    /// A JSON array of rule objects.
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CliColor {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CliSeverity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<CliSeverity> for Severity {
    fn from(s: CliSeverity) -> Severity {
        match s {
            CliSeverity::Info => Severity::Info,
            CliSeverity::Low => Severity::Low,
            CliSeverity::Medium => Severity::Medium,
            CliSeverity::High => Severity::High,
            CliSeverity::Critical => Severity::Critical,
        }
    }
}

/// What to read and how: shared by `scan` and `baseline create`.
#[derive(Args, Debug)]
pub struct WalkArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Worker threads (default: number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Skip files larger than SIZE (e.g. 512K, 32MiB, 1G).
    #[arg(long, value_name = "SIZE", default_value = "32MiB")]
    pub max_file_size: String,
    /// Skip paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Honour .gitignore files as git does (off by default: git-ignored .env files are what we look for).
    #[arg(long)]
    pub respect_gitignore: bool,
    /// Follow symbolic links (loops are detected).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Descend into other filesystems (default: stay on each root's filesystem).
    #[arg(long)]
    pub cross_filesystems: bool,
    /// Load extra rules from a TOML file (repeatable).
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Run only these rules (ids from `credsweep rules list`; repeatable or comma-separated).
    #[arg(long = "enable-rule", value_name = "ID", value_delimiter = ',')]
    pub enable_rule: Vec<String>,
    /// Repository config file (default: .credsweep.toml in the scanned directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Scan only the staged versions of staged files (for a pre-commit hook).
    #[arg(long, conflicts_with = "git_diff")]
    pub git_staged: bool,
    /// Scan only the lines the commits in REV..HEAD added, secrets added and removed again included (A..B is
    /// accepted too). Uncommitted changes are not read: see --git-staged.
    #[arg(long, value_name = "REV")]
    pub git_diff: Option<String>,
    /// Scan the git history of the repository at PATH: every blob reachable from any ref, once, each finding with
    /// the commit that introduced it. The working tree is not read.
    #[arg(long, conflicts_with_all = ["git_staged", "git_diff"])]
    pub git_history: bool,
    /// With --git-history: only the history of REF (a branch, tag or any revision; repeatable).
    #[arg(long, value_name = "REF", requires = "git_history")]
    pub branch: Vec<String>,
    /// With --git-history: only commits since DATE, by committer date as `git log --since` (2024-05-01,
    /// 2024-05-01T12:00:00Z, "2 weeks ago", yesterday, 90d).
    #[arg(long, value_name = "DATE", requires = "git_history")]
    pub since: Option<String>,
    /// Scan the invoking user's home directory.
    #[arg(long, conflicts_with = "all_users")]
    pub home: bool,
    /// Scan every real user's home (from the OS user database) and root's; findings name the home's user.
    #[arg(long)]
    pub all_users: bool,
    /// Only the known credential locations (SSH, cloud/dev-tool credential files, MCP configs, histories, project
    /// .env files) of each home. Implies --home unless --all-users or paths are given.
    #[arg(long)]
    pub quick: bool,
    /// Do not skip package caches, build outputs, VM images … (see `credsweep excludes`).
    #[arg(long)]
    pub no_default_excludes: bool,
    #[command(flatten)]
    pub binary: BinaryArgs,
    /// Stop cleanly after this long (e.g. 90s, 10m, 1h); the report says complete: false.
    #[arg(long, value_name = "DURATION")]
    pub max_duration: Option<String>,
    /// Stop cleanly after reading this many bytes (e.g. 10G); the report says complete: false.
    #[arg(long, value_name = "SIZE")]
    pub max_bytes: Option<String>,
    /// Lower CPU and I/O priority (nice 19, idle I/O class where the OS has one).
    #[arg(long)]
    pub nice: bool,
    /// Keyed fingerprints: HMAC-SHA256 with the organisation key in FILE (`hmac-sha256:…`), so a stolen report
    /// can't be brute-forced for weak passwords while the registry still correlates hosts.
    #[arg(long, value_name = "FILE")]
    pub fingerprint_key_file: Option<PathBuf>,
    /// Print nothing on stderr but errors; no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// No progress bar (the rest of stderr stays).
    #[arg(long)]
    pub no_progress: bool,
    /// Say on stderr what is skipped and why, file by file.
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
}

/// Archives and binary files.
#[derive(Args, Debug)]
pub struct BinaryArgs {
    /// Do not open archives (zip, jar, whl …, tar, .gz, .bz2, .xz, .zst); by default their members are scanned like
    /// files, reported as ARCHIVE!MEMBER.
    #[arg(long)]
    pub no_archives: bool,
    /// How deep to open archives inside archives (the archive file is level 1); deeper ones are listed, not opened.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub archive_depth: u32,
    /// Open archive files up to SIZE on disk, also over --max-file-size (members are bounded one by one).
    #[arg(long, value_name = "SIZE", default_value = "1GiB")]
    pub max_archive_size: String,
    /// Also scan the strings of executables, shared libraries and media files (skipped by default; the strings of
    /// other binary files are always scanned by the token rules).
    #[arg(long)]
    pub scan_binaries: bool,
}

/// The most `--archive-depth` allows: each level may hold one zip member in memory.
const MAX_ARCHIVE_DEPTH: u32 = 8;

fn binary_config(a: &BinaryArgs) -> anyhow::Result<BinaryConfig> {
    if !(1..=MAX_ARCHIVE_DEPTH).contains(&a.archive_depth) {
        bail!("--archive-depth must be between 1 and {MAX_ARCHIVE_DEPTH} (--no-archives turns archives off)");
    }
    let max_archive_size =
        crate::read::parse_size(&a.max_archive_size).map_err(|e| anyhow::anyhow!("--max-archive-size: {e}"))?;
    Ok(BinaryConfig {
        archives: !a.no_archives,
        archive_depth: a.archive_depth,
        max_archive_size,
        scan_binaries: a.scan_binaries,
    })
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Report format [default: human; json with --output-dir].
    #[arg(long, value_enum)]
    pub format: Option<CliFormat>,
    /// Colours in the human report: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = CliColor::Auto)]
    pub color: CliColor,
    /// Write the report to FILE (atomically, mode 0600) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report only findings not listed in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Exit 1 only for findings of at least this severity (default: any finding).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<CliSeverity>,
    /// Leave out findings below this confidence (low, medium, high; default medium: findings in third-party code,
    /// documentation and test fixtures are low); they are counted as suppressed.
    #[arg(long, value_name = "LEVEL")]
    pub min_confidence: Option<String>,
    /// Put raw secret values in the report. The only way a secret reaches any output.
    #[arg(long)]
    pub include_secrets: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Write a timestamped report (JSON unless --format says otherwise, mode 0600) into DIR (created 0700 if
    /// missing), keep the newest --keep, and refuse to run twice at once.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub output_dir: Option<PathBuf>,
    /// With --output-dir: how many reports to keep.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub keep: usize,
    /// A label for the report (e.g. an MDM's device id): KEY=VALUE, repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    pub tag: Vec<String>,
    /// After the scan, send the JSON report (whatever --format) to the registry at URL; queued when offline.
    #[arg(long, value_name = "URL")]
    pub upload: Option<String>,
    #[command(flatten)]
    pub conn: RegistryArgs,
}

impl Cli {
    /// Validate the arguments once into a [`Config`]. Errors are one line, for exit code 2.
    pub fn into_config(self) -> anyhow::Result<Config> {
        let command = match self.command {
            CliCommand::Rules(RulesCommand::List { rules, format }) => {
                Command::RulesList { rule_files: rules, json: format == ListFormat::Json }
            }
            CliCommand::Rules(RulesCommand::Check { file }) => Command::RulesCheck { file },
            CliCommand::Completions { shell } => Command::Completions { shell },
            CliCommand::Man { dir } => {
                if let Some(d) = &dir {
                    if !d.is_dir() {
                        bail!("--dir: '{}' is not a directory", d.display());
                    }
                }
                Command::Man { dir }
            }
            CliCommand::Excludes => Command::Excludes,
            CliCommand::Upload(a) => {
                let a = *a;
                Command::Upload { upload: upload_config(&a.registry, a.conn, a.quiet)?, reports: a.reports }
            }
            CliCommand::Scan(a) => Command::Scan(Box::new(scan_config(*a)?)),
            CliCommand::Baseline(BaselineCommand::Create { output, walk }) => {
                check_output(&output)?;
                let mut cfg = walk_config(*walk)?;
                cfg.discard_report = true;
                cfg.format = Format::Json;
                Command::BaselineCreate { scan: Box::new(cfg), output }
            }
        };
        Ok(Config { command })
    }
}

/// `scan`: the walk's configuration plus the report's, checked.
fn scan_config(a: ScanArgs) -> anyhow::Result<ScanConfig> {
    let mut cfg = walk_config(a.walk)?;
    // A report directory is for machines (MDM, systemd): JSON unless asked otherwise.
    let default = if a.output_dir.is_some() { CliFormat::Json } else { CliFormat::Human };
    cfg.format = match a.format.unwrap_or(default) {
        CliFormat::Human => Format::Human,
        CliFormat::Json => Format::Json,
        CliFormat::Jsonl => Format::Jsonl,
        CliFormat::Sarif => Format::Sarif,
    };
    cfg.color = match a.color {
        CliColor::Auto => Color::Auto,
        CliColor::Always => Color::Always,
        CliColor::Never => Color::Never,
    };
    if let Some(o) = &a.output {
        check_output(o)?;
    }
    if let Some(b) = &a.baseline {
        if !b.is_file() {
            bail!("--baseline: '{}' is not a readable file", b.display());
        }
    }
    if let Some(d) = &a.output_dir {
        // A missing directory is created (0700) when the scan takes its lock.
        if d.exists() && !d.is_dir() {
            bail!("--output-dir: '{}' is not a directory", d.display());
        }
        if a.keep == 0 {
            bail!("--keep must be at least 1");
        }
    }
    for t in &a.tag {
        match t.split_once('=') {
            Some((k, v)) if !k.is_empty() && !k.contains(char::is_whitespace) => {
                cfg.tags.insert(k.to_owned(), v.to_owned());
            }
            _ => bail!("--tag: '{t}' is not KEY=VALUE"),
        }
    }
    cfg.output_dir = a.output_dir;
    cfg.keep = a.keep;
    cfg.output = a.output;
    cfg.baseline = a.baseline;
    cfg.fail_on = a.fail_on.map(Severity::from);
    cfg.min_confidence = Some(match &a.min_confidence {
        Some(c) => c.parse().map_err(|e| anyhow::anyhow!("--min-confidence: {e}"))?,
        None => crate::rules::Confidence::Medium,
    });
    cfg.include_secrets = a.include_secrets;
    cfg.exit_zero = a.exit_zero;
    if let Some(url) = &a.upload {
        if a.include_secrets {
            bail!("--upload cannot be combined with --include-secrets: raw secrets never leave the machine");
        }
        cfg.upload = Some(upload_config(url, a.conn, cfg.quiet)?);
    }
    Ok(cfg)
}

/// The environment variable a registry token may come from (never a command-line value: those show in `ps`).
pub const TOKEN_ENV: &str = "CREDSWEEP_REGISTRY_TOKEN";

fn upload_config(url: &str, a: RegistryArgs, quiet: bool) -> anyhow::Result<UploadConfig> {
    let endpoint = registry_endpoint(url)?;
    let token = match &a.token_file {
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| {
                anyhow::anyhow!("--token-file: cannot read '{}': {}", f.display(), crate::reason::input_file_reason(&e))
            })?;
            text.trim().to_owned()
        }
        None => std::env::var(TOKEN_ENV).map(|t| t.trim().to_owned()).unwrap_or_default(),
    };
    if token.is_empty() {
        bail!("no registry token: give --token-file FILE or set {TOKEN_ENV}");
    }
    // Checked here so a malformed token is a clear error, not an HTTP library's complaint about a header.
    if token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        bail!("the registry token must be printable ASCII without spaces");
    }
    let spool_dir = match a.spool_dir {
        Some(d) => d,
        None => crate::upload::spool::default_dir()
            .ok_or_else(|| anyhow::anyhow!("no state directory (HOME unset): give --spool-dir DIR"))?,
    };
    let duration =
        |flag: &str, v: &str| humantime::parse_duration(v).map_err(|e| anyhow::anyhow!("--{flag}: '{v}': {e}"));
    let timeout = duration("timeout", &a.timeout)?;
    if timeout.is_zero() {
        bail!("--timeout must be more than 0");
    }
    if let Some(c) = &a.ca_cert {
        if !c.is_file() {
            bail!("--ca-cert: '{}' is not a readable file", c.display());
        }
    }
    if a.spool_max_reports == 0 {
        bail!("--spool-max-reports must be at least 1");
    }
    Ok(UploadConfig {
        endpoint,
        token: Token(token),
        spool_dir,
        ca_cert: a.ca_cert,
        retries: a.retries,
        backoff: duration("retry-delay", &a.retry_delay)?,
        timeout,
        spool_max_reports: a.spool_max_reports,
        spool_max_bytes: crate::read::parse_size(&a.spool_max_size)
            .map_err(|e| anyhow::anyhow!("--spool-max-size: {e}"))?,
        quiet,
    })
}

/// `POST` URL for reports from a registry's base URL. https, or plain http to a loopback address only: the token
/// and the inventory must not cross a network in the clear.
fn registry_endpoint(url: &str) -> anyhow::Result<String> {
    let uri: ureq::http::Uri = url.parse().map_err(|_| anyhow::anyhow!("--registry/--upload: '{url}' is not a URL"))?;
    let host = uri.host().ok_or_else(|| anyhow::anyhow!("--registry/--upload: '{url}' has no host"))?;
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") => {
            let h = host.trim_start_matches('[').trim_end_matches(']');
            let loopback =
                h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                bail!("--registry/--upload: plain http is only allowed to a loopback address; use https://");
            }
        }
        _ => bail!("--registry/--upload: '{url}' must start with https:// (or http:// to a loopback address)"),
    }
    if uri.query().is_some() {
        bail!("--registry/--upload: give the registry's base URL, without a query");
    }
    let base = url.trim_end_matches('/');
    Ok(if base.ends_with("/v1/reports") { base.to_owned() } else { format!("{base}/v1/reports") })
}

fn check_output(o: &Path) -> anyhow::Result<()> {
    if o.is_dir() {
        bail!("--output: '{}' is a directory", o.display());
    }
    let parent = o.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        bail!("--output: directory '{}' does not exist", parent.display());
    }
    Ok(())
}

fn walk_config(a: WalkArgs) -> anyhow::Result<ScanConfig> {
    let max_file_size =
        crate::read::parse_size(&a.max_file_size).map_err(|e| anyhow::anyhow!("--max-file-size: {e}"))?;
    let threads = match a.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let (homes, paths, quick_bases) = targets_of(&a)?;
    let max_duration = match &a.max_duration {
        Some(d) => Some(humantime::parse_duration(d).map_err(|e| anyhow::anyhow!("--max-duration: '{d}': {e}"))?),
        None => None,
    };
    let max_bytes = match &a.max_bytes {
        Some(s) => Some(crate::read::parse_size(s).map_err(|e| anyhow::anyhow!("--max-bytes: {e}"))?),
        None => None,
    };
    let roots = roots_of(paths)?;
    for p in &a.rules {
        if !p.is_file() {
            bail!("--rules: '{}' is not a readable file", p.display());
        }
    }
    if let Some(c) = &a.config {
        if !c.is_file() {
            bail!("--config: '{}' is not a readable file", c.display());
        }
    }
    let fingerprinter = match &a.fingerprint_key_file {
        Some(f) => crate::fingerprint::Fingerprinter::from_key_file(f)?,
        None => crate::fingerprint::Fingerprinter::default(),
    };
    let git = git_scope(&a, &roots)?;
    Ok(ScanConfig {
        roots,
        format: Format::Human,
        output: None,
        threads,
        max_file_size,
        excludes: a.exclude,
        respect_gitignore: a.respect_gitignore,
        follow_symlinks: a.follow_symlinks,
        cross_filesystems: a.cross_filesystems,
        rule_files: a.rules,
        enabled_rules: a.enable_rule,
        quiet: a.quiet,
        progress: !a.quiet && !a.no_progress,
        verbose: a.verbose,
        color: Color::Auto,
        include_secrets: false,
        exit_zero: false,
        fail_on: None,
        min_confidence: None,
        baseline: None,
        config: a.config,
        git,
        discard_report: false,
        homes,
        quick: a.quick,
        all_users: a.all_users,
        quick_bases,
        default_excludes: !a.no_default_excludes,
        max_duration,
        max_bytes,
        nice: a.nice,
        output_dir: None,
        keep: 10,
        tags: Default::default(),
        fingerprinter,
        upload: None,
        binary: binary_config(&a.binary)?,
    })
}

/// `--git-staged`, `--git-diff REV` or `--git-history` (with `--branch`, `--since`). The last two read one
/// repository: the one PATH given (default `.`).
fn git_scope(a: &WalkArgs, roots: &[Root]) -> anyhow::Result<Option<GitScope>> {
    let git = if a.git_staged {
        Some(GitScope::Staged)
    } else if let Some(rev) = &a.git_diff {
        Some(GitScope::Diff(rev.clone()))
    } else if a.git_history {
        let since = match &a.since {
            Some(d) => Some(crate::sources::git_history::parse_since(d).map_err(|e| anyhow::anyhow!("--since: {e}"))?),
            None => None,
        };
        Some(GitScope::History(GitHistory { branches: a.branch.clone(), since }))
    } else {
        None
    };
    if git.is_some() && roots.contains(&Root::Stdin) {
        bail!("--git-staged/--git-diff/--git-history cannot be combined with '-' (standard input)");
    }
    let one_repo = matches!(git, Some(GitScope::Diff(_) | GitScope::History(_)));
    if one_repo && (a.home || a.all_users || a.quick || roots.len() != 1) {
        bail!("--git-diff/--git-history read one repository: give one PATH (default: the current directory)");
    }
    Ok(git)
}

/// The homes being scanned (`--home`, `--all-users`, `--quick`) and the paths to scan: the homes themselves, their
/// known credential locations with `--quick`, or the PATHs given; and with `--quick`, the directories whose known
/// locations those are.
fn targets_of(a: &WalkArgs) -> anyhow::Result<(Vec<Home>, Vec<PathBuf>, Vec<PathBuf>)> {
    let explicit_paths = !(a.paths.len() == 1 && a.paths[0] == Path::new("."));
    let homes: Vec<Home> = if a.all_users {
        targets::users()
    } else if a.home || (a.quick && !explicit_paths) {
        vec![targets::current_home().ok_or_else(|| anyhow::anyhow!("--home: cannot find the home directory"))?]
    } else {
        Vec::new()
    };
    if (a.home || a.all_users) && explicit_paths {
        bail!("--home/--all-users choose the paths themselves: give no PATH");
    }
    let mut paths = if homes.is_empty() { a.paths.clone() } else { homes.iter().map(|h| h.path.clone()).collect() };
    let mut bases = Vec::new();
    if a.quick {
        // Known credential locations of each home (a PATH given with --quick is taken as a home).
        bases = std::mem::take(&mut paths);
        paths = bases.iter().flat_map(|h| targets::quick_targets(h)).collect();
    }
    Ok((homes, paths, bases))
}

/// Scan roots from paths: `-` is standard input (once); every other path must exist now.
fn roots_of(paths: Vec<PathBuf>) -> anyhow::Result<Vec<Root>> {
    let mut roots = Vec::new();
    let mut stdin_seen = false;
    for p in paths {
        if p.as_os_str() == "-" {
            if stdin_seen {
                bail!("standard input ('-') given twice");
            }
            stdin_seen = true;
            roots.push(Root::Stdin);
            continue;
        }
        if let Err(e) = std::fs::symlink_metadata(&p) {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no such file or directory".into()
            } else {
                crate::reason::io_reason(&e)
            };
            bail!("cannot scan '{}': {why}", crate::sanitize::sanitize(&p.to_string_lossy()));
        }
        roots.push(Root::Path(p));
    }
    Ok(roots)
}
