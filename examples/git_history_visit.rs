//! Drive the git-history reader alone and print what it read, for `scripts/bench-git-history.sh` until
//! `credsweep scan --git-history` is wired: the figure measures the real work (every blob inflated and handed over),
//! and `--needles-file` proves the bytes were looked at.
//!
//!   cargo run --release --example git_history_visit -- REPO [--branch REF]... [--since UNIX] [--diff REV]
//!                                                      [--max-blob-size BYTES] [--needles-file FILE]
//!
//! `--needles-file` holds one string per line (the planted secrets); the output says how many distinct ones occur in
//! at least one visited blob.
use std::{ops::ControlFlow, path::PathBuf, process::ExitCode, time::Instant};

use credsweep::sources::git_history::{visit, Options};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("git_history_visit: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut repo, mut opts, mut needles) = (None::<PathBuf>, Options::default(), Vec::<String>::new());
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{arg} needs a value"));
        match arg.as_str() {
            "--branch" => opts.refs.push(value()?),
            "--since" => opts.since = Some(value()?.parse()?),
            "--diff" => opts.range = Some(value()?),
            "--max-blob-size" => opts.max_blob_size = value()?.parse()?,
            "--needles-file" => needles = std::fs::read_to_string(value()?)?.lines().map(str::to_owned).collect(),
            _ if repo.is_none() && !arg.starts_with("--") => repo = Some(arg.into()),
            _ => anyhow::bail!("unexpected argument {arg}"),
        }
    }
    let repo = repo.unwrap_or_else(|| ".".into());
    needles.retain(|n| !n.is_empty());
    let matcher = aho_corasick::AhoCorasick::new(&needles)?;
    let mut found = vec![false; needles.len()];
    let (mut lines, mut visits, mut peak_anon) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    let stats = visit(&repo, &opts, |blob| {
        lines += memchr::memchr_iter(b'\n', blob.data).count() as u64;
        visits += 1;
        if visits % 4096 == 0 {
            peak_anon = peak_anon.max(rss_anon_kib());
        }
        matcher.find_iter(blob.data).for_each(|m| found[m.pattern().as_usize()] = true);
        ControlFlow::Continue(())
    })?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "commits={} blobs_seen={} blobs_visited={} bytes={} lines={} needles_found={}/{} too_large={} symlinks={} \
         submodules={} errors={} seconds={secs:.3} peak_rss_anon_kib={}",
        stats.commits,
        stats.blobs_seen,
        stats.blobs_visited,
        stats.bytes_visited,
        lines,
        found.iter().filter(|&&f| f).count(),
        needles.len(),
        stats.too_large,
        stats.symlinks,
        stats.submodules,
        stats.errors,
        peak_anon.max(rss_anon_kib()),
    );
    for message in &stats.error_messages {
        eprintln!("git_history_visit: {message}");
    }
    Ok(())
}

/// Anonymous resident memory (heap, not the mapped pack files) from /proc/self/status; 0 where there is none.
fn rss_anon_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("RssAnon:")).unwrap_or_default();
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0)
}
