//! Sending reports to a credsweep registry (`credsweep upload`, `credsweep scan --upload`).
//!
//! Every report goes through the [`spool`] first: it is queued (gzip, with its report id), then the whole queue is
//! flushed oldest first by the [`client`]. So the new report and everything an offline laptop saved up reach the
//! registry in the order they were made, and nothing is lost at any point:
//!
//! * registry unreachable (network, TLS, timeout, 5xx after retries): the rest stays queued, the command says so
//!   and succeeds — an MDM job must not fail over a network blip;
//! * token refused (401/403) or not a registry (404/405): queued too, but the command fails (exit 2), since
//!   nothing will pass until someone fixes the configuration;
//! * report refused (another 4xx): moved aside to `rejected/` with the reason, never retried, and reported.
//!
//! A report made with `--include-secrets` is refused before anything is queued: raw secrets never leave the machine.
pub mod client;
pub mod spool;

use std::{io::Write, path::Path};

use anyhow::{bail, Context, Result};

use crate::config::UploadConfig;
use client::{Client, Failure};
use spool::Spool;

/// Largest report file `upload` reads (a report of a whole fleet host is a few MiB).
const MAX_REPORT_BYTES: u64 = 512 * 1024 * 1024;

/// A report ready to queue: its id and gzip body.
#[derive(Debug)]
pub struct Prepared {
    pub id: String,
    pub gz: Vec<u8>,
}

/// What a delivery did.
#[derive(Debug, Default)]
pub struct Delivery {
    pub sent: usize,
    /// Sent, and the registry already had them (resends).
    pub duplicates: usize,
    /// Still queued when the run ended.
    pub queued: usize,
    /// Dropped from a full queue (oldest first).
    pub dropped: usize,
    /// Moved aside, with the registry's reason.
    pub rejected: Vec<(String, String)>,
    /// Why the queue stopped moving, if it did.
    pub stalled: Option<Failure>,
    /// Another upload was flushing the queue; ours waits in it.
    pub busy: bool,
}

impl Delivery {
    /// Whether the run failed: a configuration problem or a rejected report, not an unreachable registry.
    pub fn failed(&self) -> bool {
        !self.rejected.is_empty() || matches!(self.stalled, Some(Failure::Config(_)))
    }
}

/// Check a report (JSON bytes) and compress it for the queue. Refuses anything that isn't a credsweep JSON report,
/// and any report that carries raw secrets.
pub fn prepare(json: &[u8], name: &str) -> Result<Prepared> {
    let v: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
        anyhow::anyhow!("'{name}' is not a JSON report ({e}); upload needs `scan --format json` output")
    })?;
    if v.get("schema").and_then(|s| s.as_str()) != Some(crate::report::SCHEMA) {
        bail!("'{name}' is not a credsweep JSON report (schema {})", crate::report::SCHEMA);
    }
    let with_secrets = v.get("include_secrets").and_then(|b| b.as_bool()) != Some(false)
        || v.get("findings")
            .and_then(|f| f.as_array())
            .is_some_and(|fs| fs.iter().any(|f| f.get("secret").is_some_and(|s| !s.is_null())));
    if with_secrets {
        bail!("refusing to upload '{name}': it was made with --include-secrets and holds raw secrets");
    }
    let id = match v.get("report_id").and_then(|s| s.as_str()) {
        Some(id) if spool::valid_id(id) => id.to_owned(),
        // Reports from before report ids: the content hash is just as stable for a resend.
        _ => format!("sha256-{}", &crate::fingerprint::sha256_tag(json)["sha256:".len()..]),
    };
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(json)?;
    Ok(Prepared { id, gz: enc.finish()? })
}

/// Read and prepare a report file.
pub fn prepare_file(path: &Path) -> Result<Prepared> {
    let shown = crate::sanitize::sanitize(&path.to_string_lossy());
    let meta = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot read '{shown}': {}", crate::reason::input_file_reason(&e)))?;
    if !meta.is_file() {
        bail!("'{shown}' is not a regular file");
    }
    if meta.len() > MAX_REPORT_BYTES {
        bail!("'{shown}' is larger than {} MiB; not a credsweep report", MAX_REPORT_BYTES >> 20);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("cannot read '{shown}': {}", crate::reason::input_file_reason(&e)))?;
    prepare(&bytes, &shown)
}

/// Queue `reports`, then flush the queue oldest first.
pub fn deliver(cfg: &UploadConfig, reports: Vec<Prepared>) -> Result<Delivery> {
    let spool = Spool::open(&cfg.spool_dir)?;
    let mut d = Delivery::default();
    for r in &reports {
        spool.push(&r.id, &r.gz)?;
    }
    d.dropped = spool.bound(cfg.spool_max_reports, cfg.spool_max_bytes)?;
    // One flusher at a time: two would send the same report twice (harmless, idempotent) and race on the files.
    let Some(_lock) = crate::unattended::try_lock(spool.dir(), ".upload.lock")? else {
        d.busy = true;
        d.queued = spool.items()?.len();
        return Ok(d);
    };
    let items = spool.items()?;
    if items.is_empty() {
        return Ok(d);
    }
    let client = Client::new(cfg)?;
    for (i, item) in items.iter().enumerate() {
        let gz = match std::fs::read(&item.path) {
            Ok(gz) => gz,
            // Sent and removed by someone else in the meantime.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read queued {}", item.path.display())),
        };
        match client.send(&item.id, &gz) {
            Ok(accepted) => {
                spool.remove(item)?;
                d.sent += 1;
                d.duplicates += usize::from(accepted.duplicate);
            }
            Err(Failure::Rejected(reason)) => {
                spool.reject(item, &reason)?;
                d.rejected.push((item.id.clone(), reason));
            }
            Err(stall) => {
                d.stalled = Some(stall);
                d.queued = items.len() - i;
                break;
            }
        }
    }
    Ok(d)
}

/// Tell the user what happened, one line each (stderr; plain, for MDM logs).
pub fn describe(cfg: &UploadConfig, d: &Delivery) {
    let dir = cfg.spool_dir.display();
    if !cfg.quiet {
        if d.sent > 0 {
            let dup = if d.duplicates > 0 { format!(" ({} already there)", d.duplicates) } else { String::new() };
            eprintln!("credsweep: sent {} report{} to the registry{dup}", d.sent, plural(d.sent));
        }
        if d.dropped > 0 {
            eprintln!("credsweep: warning: the queue in {dir} was full: dropped the {} oldest report(s)", d.dropped);
        }
        if d.busy {
            eprintln!("credsweep: another upload is sending the queue; {} report(s) wait in {dir}", d.queued);
        }
        if let Some(Failure::Unreachable(why)) = &d.stalled {
            eprintln!(
                "credsweep: registry unreachable ({why}): {} report{} queued in {dir}; the next upload sends {}",
                d.queued,
                plural(d.queued),
                if d.queued == 1 { "it" } else { "them" }
            );
        }
    }
    if let Some(Failure::Config(why)) = &d.stalled {
        eprintln!("credsweep: error: {why}; {} report{} kept in {dir}", d.queued, plural(d.queued));
    }
    for (id, why) in &d.rejected {
        eprintln!("credsweep: error: report {id} refused: {why}; kept in {dir}/{}", spool::REJECTED_DIR);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(extra: &str) -> String {
        format!(
            r#"{{"schema":"credsweep.report/v1","report_id":"rpt-00112233445566778899aabbccddeeff","include_secrets":false,"findings":[{extra}]}}"#
        )
    }

    #[test]
    fn prepare_checks_schema_and_secrets() {
        let p = prepare(report("").as_bytes(), "r.json").unwrap();
        assert_eq!(p.id, "rpt-00112233445566778899aabbccddeeff");
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&p.gz[..]), &mut back).unwrap();
        assert_eq!(back, report("").as_bytes(), "the body is the report, compressed");

        let with_secret = report(r#"{"secret":"x"}"#);
        assert!(prepare(with_secret.as_bytes(), "r").unwrap_err().to_string().contains("--include-secrets"));
        let flagged = report("").replace(r#""include_secrets":false"#, r#""include_secrets":true"#);
        assert!(prepare(flagged.as_bytes(), "r").is_err());
        assert!(prepare(b"{\"schema\":\"other\"}", "r").unwrap_err().to_string().contains("not a credsweep"));
        assert!(prepare(b"<sarif/>", "r").unwrap_err().to_string().contains("not a JSON report"));
        // Without an id (older reports), the id is the content hash: stable across resends.
        let old = report("").replace(r#""report_id":"rpt-00112233445566778899aabbccddeeff","#, "");
        let a = prepare(old.as_bytes(), "r").unwrap();
        assert!(a.id.starts_with("sha256-") && spool::valid_id(&a.id));
        assert_eq!(a.id, prepare(old.as_bytes(), "r").unwrap().id);
    }
}
