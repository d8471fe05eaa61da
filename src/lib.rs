//! credsweep: endpoint credential discovery.
//!
//! The binary is a thin shell around [`run`]: `main` parses the command line ([`cli`]), turns it once into a
//! validated [`config::Config`], and maps the result to an exit code (0 clean, 1 findings, 2 error).
//!
//! Pipeline (see README.md): [`walk`] → [`source`] (safe bounded reads) → [`prefilter`] (keyword gate)
//! → [`engine`] (regex confirm in windows, [`validate`]) → [`finding`] ([`fingerprint`]) → [`report`].
#[path = "sources/archive.rs"]
pub mod archive;
pub mod baseline;
pub mod classify;
pub mod cli;
pub mod config;
pub mod engine;
pub mod excludes;
pub mod exposure;
pub mod finding;
pub mod fingerprint;
pub mod git;
pub mod host;
pub mod limits;
pub mod parsers;
pub mod prefilter;
pub mod progress;
pub mod repo_config;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
#[path = "sources/strings.rs"]
pub mod strings;
pub mod suppress;
pub mod targets;
pub mod unattended;
pub mod upload;
pub mod validate;
pub mod walk;

use std::{collections::HashSet, io::Write};

use config::{Command, Config};

/// Process exit codes, documented in README.md.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const ERROR: u8 = 2;
}

/// Run a command; returns the exit code. Errors (exit 2) are returned for `main` to print on one line.
pub fn run(cfg: &Config) -> anyhow::Result<u8> {
    match &cfg.command {
        Command::Scan(scan_cfg) => {
            if scan_cfg.nice {
                if let Err(e) = host::lower_priority() {
                    eprintln!("credsweep: warning: {e}");
                }
            }
            let outcome = match &scan_cfg.output_dir {
                None => scan::run(scan_cfg)?,
                Some(dir) => {
                    let _lock = unattended::lock(dir)?;
                    let mut cfg = (**scan_cfg).clone();
                    let path = unattended::report_path(dir, cfg.format, &host::Host::current().hostname);
                    cfg.output = Some(path.clone());
                    let outcome = scan::run(&cfg)?;
                    unattended::rotate(dir, cfg.keep)?;
                    if !cfg.quiet {
                        eprintln!("credsweep: report written to {}", path.display());
                    }
                    outcome
                }
            };
            if let (Some(up), Some(json)) = (&scan_cfg.upload, &outcome.report_json) {
                let prepared = upload::prepare(json, "the scan report")?;
                let delivery = upload::deliver(up, vec![prepared])?;
                upload::describe(up, &delivery);
                if delivery.failed() {
                    return Ok(exit::ERROR);
                }
            }
            Ok(if outcome.fail && !scan_cfg.exit_zero { exit::FINDINGS } else { exit::CLEAN })
        }
        Command::Upload { reports, upload: up } => {
            // Every file is checked before anything is queued: one bad argument sends nothing.
            let prepared = reports.iter().map(|p| upload::prepare_file(p)).collect::<anyhow::Result<Vec<_>>>()?;
            let delivery = upload::deliver(up, prepared)?;
            upload::describe(up, &delivery);
            if !up.quiet
                && delivery.sent == 0
                && delivery.stalled.is_none()
                && !delivery.busy
                && delivery.rejected.is_empty()
            {
                eprintln!("credsweep: nothing to send");
            }
            Ok(if delivery.failed() { exit::ERROR } else { exit::CLEAN })
        }
        Command::BaselineCreate { scan: scan_cfg, output } => {
            let outcome = scan::run(scan_cfg)?;
            let entries = baseline::entries(&outcome.kept);
            let mut out = report::json::Output::open(Some(output))?;
            baseline::write(&mut out, &entries)?;
            out.finish()?;
            if !scan_cfg.quiet {
                eprintln!("credsweep: baseline of {} entries written to {}", entries.len(), output.display());
            }
            Ok(exit::CLEAN)
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let shell: clap_complete::Shell = shell
                .parse()
                .map_err(|_| anyhow::anyhow!("unknown shell '{shell}' (bash, zsh, fish, elvish, powershell)"))?;
            clap_complete::generate(shell, &mut cli::Cli::command(), "credsweep", &mut std::io::stdout());
            Ok(exit::CLEAN)
        }
        Command::Excludes => {
            print!("{}", excludes::describe());
            Ok(exit::CLEAN)
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(cli::Cli::command()).render(&mut std::io::stdout())?;
            Ok(exit::CLEAN)
        }
        Command::RulesList { rule_files } => {
            let set = rules::RuleSet::load(rule_files)?;
            let mut out = std::io::stdout().lock();
            for r in set.specs() {
                if writeln!(out, "{}\t{}\t{}", r.id, r.name, r.severity).is_err() {
                    break;
                }
            }
            Ok(exit::CLEAN)
        }
        Command::RulesCheck { file } => {
            let specs = rules::load_rule_file(file)?;
            let builtin: HashSet<String> = rules::builtin_specs()?.into_iter().map(|s| s.id).collect();
            // A built-in file checked by path is compared with the other built-ins, not with itself.
            let own: HashSet<&str> = specs.iter().map(|s| s.id.as_str()).collect();
            let is_builtin_file = !own.is_empty() && own.iter().all(|id| builtin.contains(*id));
            let others = if is_builtin_file { HashSet::new() } else { builtin };
            let problems = rules::check_rules(&specs, &others);
            if problems.is_empty() {
                println!("{}: {} rules OK", file.display(), specs.len());
                Ok(exit::CLEAN)
            } else {
                for p in &problems {
                    eprintln!("{}: {p}", file.display());
                }
                anyhow::bail!("{} problem(s) in {}", problems.len(), file.display())
            }
        }
    }
}

/// A short, stable reason for an I/O error, for the report's error list.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "is a symbolic link (not followed)".into();
    }
    match e.kind() {
        NotFound => "not found (removed during the scan?)".into(),
        PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
