//! Report ingestion: validate a credsweep JSON report (`validate`), then store it in one write transaction.
//!
//! Validation happens entirely before the transaction starts, so a refused report leaves no trace. The outcome and
//! the errors are domain values: which HTTP status each one is, the HTTP layer decides (`error.rs`).

use crate::current::Deltas;
use crate::model::{is_mcp, severity_rank};
use crate::store::{args, Param, Sql, Store, StoreError};
use crate::validate::{Refusal, Report};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Parameters per stored finding, and findings per `INSERT` statement.
const FINDING_COLUMNS: usize = 22;
const FINDINGS_PER_INSERT: usize = 32;

/// What an accepted upload did.
#[derive(Debug, serde::Serialize)]
pub struct Outcome {
    pub report_id: i64,
    pub host_id: i64,
    pub findings: usize,
    /// The same report (same key, same body) was already stored; nothing changed.
    pub duplicate: bool,
    /// This report is now the host's current state (false when a newer scan was already stored).
    pub current: bool,
}

/// Why an upload was not stored.
#[derive(Debug)]
pub enum IngestError {
    /// The report itself was refused (see [`Refusal`]).
    Refused(Refusal),
    /// The idempotency key was already used for a different report.
    KeyReused(String),
    /// The database failed; the transaction rolled back.
    Store(StoreError),
}

impl From<StoreError> for IngestError {
    fn from(e: StoreError) -> Self {
        IngestError::Store(e)
    }
}

impl From<Refusal> for IngestError {
    fn from(r: Refusal) -> Self {
        IngestError::Refused(r)
    }
}

/// Validate and store one report, in one write transaction committed before this returns. The caller has already
/// authenticated and decompressed; `key` is the `Idempotency-Key` header if the client sent one.
pub fn ingest(store: &Store, body: &[u8], key: Option<&str>) -> Result<Outcome, IngestError> {
    let report = crate::validate::report(body)?;
    let body_sha = format!("sha256:{}", hex::encode(Sha256::digest(body)));
    let report_key = key.map_or_else(|| body_sha.clone(), str::to_owned);
    // The body parsed as JSON, so it is UTF-8.
    let body_text = std::str::from_utf8(body).map_err(|_| Refusal::Malformed("body is not UTF-8".into()))?;
    store.write(|c| {
        // The writer lock is held: nothing can store this key between the check and the insert.
        if let Some(outcome) = already_stored(c, &report_key, &body_sha)? {
            return Ok(outcome);
        }
        insert(c, &report, &report_key, &body_sha, body_text)
    })
}

/// The outcome of an earlier upload with this key; an error if that upload was a different report.
fn already_stored(c: &mut dyn Sql, report_key: &str, body_sha: &str) -> Result<Option<Outcome>, IngestError> {
    let Some(r) = c.query_opt(
        "SELECT r.id, r.host_id, r.body_sha256, r.findings_count, h.latest_report_id = r.id
         FROM reports r JOIN hosts h ON h.id = r.host_id WHERE r.report_key = $1",
        args![report_key],
    )?
    else {
        return Ok(None);
    };
    if r.text(2)? != body_sha {
        return Err(IngestError::KeyReused(format!(
            "Idempotency-Key {report_key:?} was already used for a different report"
        )));
    }
    Ok(Some(Outcome {
        report_id: r.i64(0)?,
        host_id: r.i64(1)?,
        findings: r.i64(3)? as usize,
        duplicate: true,
        current: r.opt_bool(4)?.unwrap_or(false),
    }))
}

/// The host a report belongs to, as stored before this report.
struct HostBefore {
    id: i64,
    latest_report: Option<i64>,
    /// When the latest report's scan happened, as the registry counts it ([`Report::scanned_at`]).
    latest_scanned: Option<String>,
}

fn insert(
    c: &mut dyn Sql,
    report: &Report,
    report_key: &str,
    body_sha: &str,
    body_text: &str,
) -> Result<Outcome, IngestError> {
    // Taken under the writer lock, so receive times are in commit order.
    let received_at = crate::store::now();
    let scanned_at = report.scanned_at(&received_at);
    let mut deltas = Deltas::default();
    let host = upsert_host(c, report, scanned_at, &mut deltas)?;
    let report_id = insert_report(c, report, host.id, (report_key, body_sha, body_text), &received_at)?;
    deltas.add("reports", 1);
    insert_findings(c, report, report_id, host.id, scanned_at)?;
    crate::current::record_history(c, report_id, scanned_at)?;
    // Newest scan wins (ties: the later upload); an older report uploaded late goes to history without touching the
    // current state.
    let current = host.latest_scanned.as_deref().is_none_or(|t| scanned_at >= t);
    if current {
        make_current(c, report, host.id, report_id, scanned_at)?;
        crate::current::replace(c, host.latest_report, report_id, &mut deltas)?;
    } else {
        crate::current::touch(c, report_id, &mut deltas)?;
    }
    c.execute(
        "UPDATE hosts SET reports_count = reports_count + 1,
             first_seen = CASE WHEN first_seen > $2 THEN $2 ELSE first_seen END
         WHERE id = $1",
        args![host.id, scanned_at],
    )?;
    deltas.apply(c)?;
    Ok(Outcome { report_id, host_id: host.id, findings: report.findings.len(), duplicate: false, current })
}

/// Create the report's host if it is new, and read what is stored about it.
fn upsert_host(
    c: &mut dyn Sql,
    report: &Report,
    scanned_at: &str,
    deltas: &mut Deltas,
) -> Result<HostBefore, StoreError> {
    let h = &report.host;
    let host_key = report.host_key();
    let new_host = c.execute(
        "INSERT INTO hosts (host_key, hostname, machine_id, os, os_version, arch, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (host_key) DO NOTHING",
        args![host_key, &h.hostname, h.machine_id.as_deref(), &h.os, h.os_version.as_deref(), &h.arch, scanned_at],
    )?;
    deltas.add("hosts", new_host as i64);
    // The latest report's scan time as `Report::scanned_at` computed it when it was stored.
    let row = c.query_one(
        "SELECT h.id, h.latest_report_id,
                CASE WHEN r.finished_at <= r.received_at THEN r.finished_at ELSE r.received_at END
         FROM hosts h LEFT JOIN reports r ON r.id = h.latest_report_id
         WHERE h.host_key = $1",
        args![host_key],
    )?;
    Ok(HostBefore {
        id: row.i64(0)?,
        latest_report: row.opt_i64(1)?,
        latest_scanned: row.opt_text(2)?.map(str::to_owned),
    })
}

/// Store the report itself: with its idempotency key, the SHA-256 of its body, and the body.
fn insert_report(
    c: &mut dyn Sql,
    report: &Report,
    host_id: i64,
    (report_key, body_sha, body_text): (&str, &str, &str),
    received_at: &str,
) -> Result<i64, StoreError> {
    c.query_one(
        "INSERT INTO reports (report_key, body_sha256, host_id, received_at, started_at, finished_at, user_name,
                              scanner_version, rules_digest, complete, findings_count, tags, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        args![
            report_key,
            body_sha,
            host_id,
            received_at,
            &report.started_at,
            &report.finished_at,
            report.user.name.as_deref(),
            &report.scanner.version,
            &report.scanner.rules_digest,
            report.complete,
            report.findings.len() as i64,
            &serde_json::Value::Object(report.tags.clone()).to_string(),
            body_text,
        ],
    )?
    .i64(0)
}

/// Store every finding, several rows per statement: on PostgreSQL each statement is a round trip. At most
/// `FINDINGS_PER_INSERT` distinct statement shapes, each prepared once per connection.
fn insert_findings(
    c: &mut dyn Sql,
    report: &Report,
    report_id: i64,
    host_id: i64,
    scanned_at: &str,
) -> Result<(), StoreError> {
    let risks: Vec<String> =
        report.findings.iter().map(|f| serde_json::to_string(&f.risks).unwrap_or_else(|_| "[]".into())).collect();
    let rows: Vec<[Param; FINDING_COLUMNS]> = report
        .findings
        .iter()
        .zip(&risks)
        .map(|(f, risks)| {
            let tool = f.context.as_ref().and_then(|c| c.tool.as_deref());
            [
                Param::Int(report_id),
                Param::Int(host_id),
                Param::from(&f.id),
                Param::from(&f.fingerprint),
                Param::from(&f.rule),
                Param::from(&f.rule_name),
                Param::from(&f.kind),
                Param::from(&f.severity),
                Param::Int(severity_rank(&f.severity)),
                Param::from(&f.confidence),
                Param::from(f.provider.as_deref()),
                Param::from(&f.path),
                Param::Int(f.line as i64),
                Param::from(&f.redacted),
                Param::from(f.identifier.as_deref()),
                Param::from(&f.validation),
                Param::from(f.user.as_deref().or(report.user.name.as_deref())),
                Param::from(tool),
                Param::Bool(is_mcp(&f.rule, tool)),
                Param::from(f.key.as_ref().map(|k| k.encrypted)),
                Param::from(risks),
                Param::Text(scanned_at),
            ]
        })
        .collect();
    for chunk in rows.chunks(FINDINGS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let cols: Vec<String> =
                    (1..=FINDING_COLUMNS).map(|j| format!("${}", i * FINDING_COLUMNS + j)).collect();
                format!("({}, FALSE)", cols.join(", "))
            })
            .collect();
        let params: Vec<Param> = chunk.iter().flatten().copied().collect();
        c.execute(
            &format!(
                "INSERT INTO findings (report_id, host_id, location_id, fingerprint, rule, rule_name, kind, severity,
                     severity_rank, confidence, provider, path, line, redacted, identifier, validation, user_name,
                     tool, mcp, key_encrypted, risks, scanned_at, is_current)
                 VALUES {}",
                values.join(", ")
            ),
            &params,
        )?;
    }
    Ok(())
}

/// The report becomes its host's current state: the host's facts and counts are the report's.
fn make_current(
    c: &mut dyn Sql,
    report: &Report,
    host_id: i64,
    report_id: i64,
    scanned_at: &str,
) -> Result<(), StoreError> {
    let h = &report.host;
    let distinct = report.findings.iter().map(|f| f.fingerprint.as_str()).collect::<BTreeSet<_>>().len();
    c.execute(
        "UPDATE hosts SET latest_report_id = $2, hostname = $3, machine_id = $4, os = $5, os_version = $6,
             arch = $7, last_seen = $8, findings_count = $9, credentials_count = $10 WHERE id = $1",
        args![
            host_id,
            report_id,
            &h.hostname,
            h.machine_id.as_deref(),
            &h.os,
            h.os_version.as_deref(),
            &h.arch,
            scanned_at,
            report.findings.len() as i64,
            distinct as i64,
        ],
    )?;
    Ok(())
}
