//! Command dispatch: one validated [`Config`] in, an exit code out. Each command is one function; `main` only parses,
//! calls [`run`] and prints an error on one line.
//!
//! Exit codes (README.md): 0 clean, 1 findings (at or above `--fail-on`), 2 error. Per-file problems are not errors:
//! they are counted in the report and the scan goes on; an error here means the command could not do its job.
use std::{io::Write, path::Path};

use crate::{
    baseline,
    config::{Command, Config, ScanConfig, UploadConfig},
    excludes, host, plan, report, rules, scan, unattended, upload,
};

/// Process exit codes, documented in README.md.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const ERROR: u8 = 2;
}

/// Run a command; returns the exit code. Errors (exit 2) are returned for `main` to print on one line.
pub fn run(cfg: &Config) -> anyhow::Result<u8> {
    match &cfg.command {
        Command::Scan(scan_cfg) => scan_command(scan_cfg),
        Command::Upload { reports, upload } => upload_command(reports, upload),
        Command::BaselineCreate { scan, output } => baseline_create(scan, output),
        Command::Completions { shell } => completions(shell),
        Command::Excludes => {
            print!("{}", excludes::describe());
            Ok(exit::CLEAN)
        }
        Command::Man { dir } => man(dir.as_deref()),
        Command::RulesList { rule_files, json } => rules_list(rule_files, *json),
        Command::RulesCheck { file } => rules_check(file),
    }
}

/// `credsweep scan`: the scan, in unattended mode under a lock with rotation, then the optional upload.
fn scan_command(scan_cfg: &ScanConfig) -> anyhow::Result<u8> {
    if scan_cfg.nice {
        if let Err(e) = host::lower_priority() {
            eprintln!("credsweep: warning: {e}");
        }
    }
    let outcome = match &scan_cfg.output_dir {
        None => scan::run(scan_cfg)?,
        Some(dir) => {
            let _lock = unattended::lock(dir)?;
            let mut cfg = scan_cfg.clone();
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

/// `credsweep upload`: send report files (and whatever is queued).
fn upload_command(reports: &[std::path::PathBuf], up: &UploadConfig) -> anyhow::Result<u8> {
    // Every file is checked before anything is queued: one bad argument sends nothing.
    let prepared = reports.iter().map(|p| upload::prepare_file(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let delivery = upload::deliver(up, prepared)?;
    upload::describe(up, &delivery);
    if !up.quiet && delivery.sent == 0 && delivery.stalled.is_none() && !delivery.busy && delivery.rejected.is_empty() {
        eprintln!("credsweep: nothing to send");
    }
    Ok(if delivery.failed() { exit::ERROR } else { exit::CLEAN })
}

/// `credsweep baseline create`: scan, keep the findings, write their location ids.
fn baseline_create(scan_cfg: &ScanConfig, output: &Path) -> anyhow::Result<u8> {
    let outcome = scan::run(scan_cfg)?;
    let entries = baseline::entries(&outcome.kept);
    let mut out = report::output::Output::open(Some(output))?;
    baseline::write(&mut out, &entries)?;
    out.finish()?;
    if !scan_cfg.quiet {
        eprintln!("credsweep: baseline of {} entries written to {}", entries.len(), output.display());
    }
    Ok(exit::CLEAN)
}

fn completions(shell: &str) -> anyhow::Result<u8> {
    use clap::CommandFactory;
    let shell: clap_complete::Shell =
        shell.parse().map_err(|_| anyhow::anyhow!("unknown shell '{shell}' (bash, zsh, fish, elvish, powershell)"))?;
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "credsweep", &mut std::io::stdout());
    Ok(exit::CLEAN)
}

/// `credsweep man`: the top-level page on standard output, or with `--dir` one page per command, as `man` expects
/// them (`credsweep.1`, `credsweep-scan.1`, `credsweep-rules-list.1` …): every option of every command is in one.
fn man(dir: Option<&Path>) -> anyhow::Result<u8> {
    use clap::CommandFactory;
    let cmd = crate::cli::Cli::command();
    match dir {
        None => clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?,
        Some(d) => clap_mangen::generate_to(cmd, d)
            .map_err(|e| anyhow::anyhow!("cannot write man pages to {}: {e}", d.display()))?,
    }
    Ok(exit::CLEAN)
}

/// One rule in `rules list --format json`.
#[derive(serde::Serialize)]
struct ListedRule<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    severity: rules::Severity,
    confidence: rules::Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rotate: Option<&'a str>,
    references: &'a [String],
}

/// `credsweep rules list`: every rule a scan with these rule files would describe (pattern rules and parser rules),
/// sorted by id; tab-separated lines, or one JSON array.
fn rules_list(rule_files: &[std::path::PathBuf], json: bool) -> anyhow::Result<u8> {
    let set = plan::load_rules(rule_files, &[])?;
    let mut specs: Vec<&rules::RuleSpec> = set.specs().collect();
    specs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = std::io::stdout().lock();
    let written = if json {
        let listed: Vec<ListedRule> = specs
            .iter()
            .map(|r| ListedRule {
                id: &r.id,
                name: &r.name,
                kind: &r.kind,
                severity: r.severity,
                confidence: r.confidence,
                provider: r.provider.as_deref(),
                description: r.description.as_deref(),
                rotate: r.rotate.as_deref(),
                references: &r.references,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &listed).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        specs.iter().try_for_each(|r| writeln!(out, "{}\t{}\t{}", r.id, r.name, r.severity))
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write the rule list"))
        }
        _ => Ok(exit::CLEAN),
    }
}

/// `credsweep rules check FILE`: the checks the suite runs on the built-ins, on one file.
fn rules_check(file: &Path) -> anyhow::Result<u8> {
    let specs = rules::load_rule_file(file)?;
    // A built-in file checked by path is compared with the other built-ins, not with itself.
    let mut others = rules::check::taken_ids(&specs)?;
    others.extend(crate::parsers::rule_specs().into_iter().map(|s| s.id));
    let problems = rules::check::check_rules(&specs, &others);
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
