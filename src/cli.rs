//! Command-line definition (clap). Nothing outside this module sees clap types: [`Cli::into_config`] validates the
//! arguments once and produces a [`Config`].
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Command, Config, Format, Root, ScanConfig};

#[derive(Parser, Debug)]
#[command(name = "credsweep", version, about = "Find and inventory credentials on endpoints: SSH keys, API tokens, secrets in configs", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: CliCommand,
}

#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Scan files and directories for credentials.
    Scan(ScanArgs),
    /// List or check detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// One line per rule: id, name, severity.
    List {
        /// Also load rules from this TOML file (repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
    },
    /// Validate a rule file exactly as the test suite validates the built-in rules.
    Check {
        /// Rule file (TOML).
        file: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CliFormat {
    Human,
    Json,
    Jsonl,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = CliFormat::Human)]
    pub format: CliFormat,
    /// Write the report to FILE (atomically, mode 0600) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Skip files larger than SIZE (e.g. 512K, 32MiB, 1G).
    #[arg(long, value_name = "SIZE", default_value = "32MiB")]
    pub max_file_size: String,
    /// Skip paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Honour .gitignore files (off by default: git-ignored .env files are what we look for).
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
    /// Print nothing on stderr but errors; no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Put raw secret values in the report. The only way a secret reaches any output.
    #[arg(long)]
    pub include_secrets: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
}

impl Cli {
    /// Validate the arguments once into a [`Config`]. Errors are one line, for exit code 2.
    pub fn into_config(self) -> anyhow::Result<Config> {
        let command = match self.command {
            CliCommand::Rules(RulesCommand::List { rules }) => {
                Command::RulesList { rule_files: rules }
            }
            CliCommand::Rules(RulesCommand::Check { file }) => Command::RulesCheck { file },
            CliCommand::Scan(a) => Command::Scan(Box::new(scan_config(a)?)),
        };
        Ok(Config { command })
    }
}

fn scan_config(a: ScanArgs) -> anyhow::Result<ScanConfig> {
    use anyhow::bail;
    let max_file_size = crate::source::parse_size(&a.max_file_size)
        .map_err(|e| anyhow::anyhow!("--max-file-size: {e}"))?;
    let threads = match a.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let mut roots = Vec::new();
    let mut stdin_seen = false;
    for p in a.paths {
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
                crate::io_reason(&e)
            };
            bail!(
                "cannot scan '{}': {why}",
                crate::report::human::sanitize(&p.to_string_lossy())
            );
        }
        roots.push(Root::Path(p));
    }
    for p in &a.rules {
        if !p.is_file() {
            bail!("--rules: '{}' is not a readable file", p.display());
        }
    }
    if let Some(o) = &a.output {
        if o.is_dir() {
            bail!("--output: '{}' is a directory", o.display());
        }
        let parent = o
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        if !parent.is_dir() {
            bail!("--output: directory '{}' does not exist", parent.display());
        }
    }
    let format = match a.format {
        CliFormat::Human => Format::Human,
        CliFormat::Json => Format::Json,
        CliFormat::Jsonl => Format::Jsonl,
    };
    Ok(ScanConfig {
        roots,
        format,
        output: a.output,
        threads,
        max_file_size,
        excludes: a.exclude,
        respect_gitignore: a.respect_gitignore,
        follow_symlinks: a.follow_symlinks,
        cross_filesystems: a.cross_filesystems,
        rule_files: a.rules,
        quiet: a.quiet,
        progress: !a.quiet && !a.no_progress,
        include_secrets: a.include_secrets,
        exit_zero: a.exit_zero,
    })
}
