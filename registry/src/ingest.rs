//! Report ingestion: validate a credsweep JSON report (`validate`), then store it in one write transaction.
//!
//! Validation happens entirely before the transaction starts, so a refused report leaves no trace. The outcome and
//! the errors are domain values: which HTTP status each one is, the HTTP layer decides (`error.rs`).

use crate::current::{Deltas, Incoming};
use crate::model::{is_agent, is_mcp, severity_rank};
use crate::scope::Scope;
use crate::store::{args, Param, Sql, Store, StoreError};
use crate::validate::{Refusal, Report};
use sha2::{Digest, Sha256};

/// Parameters per stored finding, and findings per `INSERT` statement.
const FINDING_COLUMNS: usize = 30;
const FINDINGS_PER_INSERT: usize = 32;

/// What an accepted upload did.
#[derive(Debug, serde::Serialize)]
pub struct Outcome {
    pub report_id: i64,
    pub host_id: i64,
    pub findings: usize,
    /// The same report (same key, same body) was already stored; nothing changed.
    pub duplicate: bool,
    /// This report is now its scope's latest (false when a newer scan of the same scope was already stored).
    pub current: bool,
    /// The report's scope on its host (`fleet`, `home:/home/alice`, `git:github.com/org/repo:staged` …).
    pub scope: String,
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
        "SELECT r.id, r.host_id, r.body_sha256, r.findings_count, s.latest_report_id = r.id, s.scope_key
         FROM reports r JOIN scopes s ON s.id = r.scope_id WHERE r.report_key = $1",
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
        scope: r.text(5)?.to_owned(),
    }))
}

/// The host a report belongs to, as stored before this report.
struct HostBefore {
    id: i64,
    kind: String,
    /// When its newest report's scan happened ([`Report::scanned_at`]).
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
    let scope = Scope::of(report);
    let mut deltas = Deltas::default();
    let host = upsert_host(c, report, &scope, scanned_at, &mut deltas)?;
    let (scope_id, scope_latest) = upsert_scope(c, host.id, &scope)?;
    let report_id = insert_report(c, report, (host.id, scope_id), (report_key, body_sha, body_text), &received_at)?;
    deltas.add("reports", 1);
    insert_findings(c, report, &scope, (report_id, host.id, scope_id), scanned_at)?;
    crate::current::record_history(c, report_id, scanned_at)?;
    // The scope's newest scan (ties: the later upload) is its latest report; what the report changes in the host's
    // current inventory, `current::apply` decides finding by finding.
    let current = scope_latest.as_deref().is_none_or(|t| scanned_at >= t);
    let incoming = Incoming { host_id: host.id, report_id, scope_id, scanned_at, scope: &scope };
    let applied = crate::current::apply(c, &incoming, &mut deltas)?;
    c.execute(
        "UPDATE scopes SET reports_count = reports_count + 1,
             latest_report_id = CASE WHEN $2 THEN $3 ELSE latest_report_id END,
             latest_scanned = CASE WHEN $2 THEN $4 ELSE latest_scanned END,
             label = CASE WHEN $2 THEN $5 ELSE label END
         WHERE id = $1",
        args![scope_id, current, report_id, scanned_at, &scope.label],
    )?;
    c.execute(
        "UPDATE hosts SET reports_count = reports_count + 1, findings_count = $3, credentials_count = $4,
             first_seen = CASE WHEN first_seen > $2 THEN $2 ELSE first_seen END
         WHERE id = $1",
        args![host.id, scanned_at, applied.findings, applied.credentials],
    )?;
    if host.latest_scanned.as_deref().is_none_or(|t| scanned_at >= t) {
        newest_of_host(c, report, &host, report_id, scanned_at)?;
    }
    deltas.apply(c)?;
    Ok(Outcome {
        report_id,
        host_id: host.id,
        findings: report.findings.len(),
        duplicate: false,
        current,
        scope: scope.key,
    })
}

/// Create the report's host if it is new, and read what is stored about it.
fn upsert_host(
    c: &mut dyn Sql,
    report: &Report,
    scope: &Scope,
    scanned_at: &str,
    deltas: &mut Deltas,
) -> Result<HostBefore, StoreError> {
    let h = &report.host;
    let (host_key, kind, name) = scope.host_identity(report);
    let new_host = c.execute(
        "INSERT INTO hosts (host_key, kind, hostname, machine_id, os, os_version, arch, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (host_key) DO NOTHING",
        args![&host_key, kind, &name, h.machine_id.as_deref(), &h.os, h.os_version.as_deref(), &h.arch, scanned_at],
    )?;
    deltas.add("hosts", new_host as i64);
    // The newest report's scan time as `Report::scanned_at` computed it when it was stored.
    let row = c.query_one(
        "SELECT h.id, h.kind, CASE WHEN r.finished_at <= r.received_at THEN r.finished_at ELSE r.received_at END
         FROM hosts h LEFT JOIN reports r ON r.id = h.latest_report_id
         WHERE h.host_key = $1",
        args![&host_key],
    )?;
    Ok(HostBefore {
        id: row.i64(0)?,
        kind: row.text(1)?.to_owned(),
        latest_scanned: row.opt_text(2)?.map(str::to_owned),
    })
}

/// Create the report's scope on its host if it is new: its id, and its latest report's scan time.
fn upsert_scope(c: &mut dyn Sql, host_id: i64, scope: &Scope) -> Result<(i64, Option<String>), StoreError> {
    c.execute(
        "INSERT INTO scopes (host_id, scope_key, kind, label) VALUES ($1, $2, $3, $4)
         ON CONFLICT (host_id, scope_key) DO NOTHING",
        args![host_id, &scope.key, scope.kind, &scope.label],
    )?;
    let row = c.query_one(
        "SELECT id, latest_scanned FROM scopes WHERE host_id = $1 AND scope_key = $2",
        args![host_id, &scope.key],
    )?;
    Ok((row.i64(0)?, row.opt_text(1)?.map(str::to_owned)))
}

/// Store the report itself: with its idempotency key, the SHA-256 of its body, its scope, and the body.
fn insert_report(
    c: &mut dyn Sql,
    report: &Report,
    (host_id, scope_id): (i64, i64),
    (report_key, body_sha, body_text): (&str, &str, &str),
    received_at: &str,
) -> Result<i64, StoreError> {
    let scope = report.scope.as_ref().map(|s| serde_json::to_string(s).unwrap_or_else(|_| "null".into()));
    c.query_one(
        "INSERT INTO reports (report_key, body_sha256, host_id, scope_id, scope, received_at, started_at, finished_at,
                              user_name, scanner_version, rules_digest, complete, findings_count, tags, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        args![
            report_key,
            body_sha,
            host_id,
            scope_id,
            scope.as_deref(),
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
    scope: &Scope,
    (report_id, host_id, scope_id): (i64, i64, i64),
    scanned_at: &str,
) -> Result<(), StoreError> {
    let texts: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (serde_json::to_string(&f.risks).unwrap_or_else(|_| "[]".into()), scope.abs_path(&f.path)))
        .collect();
    let rows: Vec<[Param; FINDING_COLUMNS]> = report
        .findings
        .iter()
        .zip(&texts)
        .map(|(f, (risks, abs_path))| {
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
                Param::Int(scope_id),
                Param::from(abs_path),
                Param::Text(scope.reach.copy.as_str()),
                Param::from(f.context.as_ref().and_then(|c| c.server.as_deref())),
                Param::Bool(is_agent(&f.rule, tool)),
                Param::from(f.file.as_ref().map(|m| m.modified.as_str())),
                Param::from(f.issued_at.as_deref()),
                Param::from(f.expires_at.as_deref()),
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
                     tool, mcp, key_encrypted, risks, scanned_at, scope_id, abs_path, copy, server, agent,
                     file_modified, issued_at, expires_at, is_current)
                 VALUES {}",
                values.join(", ")
            ),
            &params,
        )?;
    }
    Ok(())
}

/// The report is its host's newest: the host's facts are the report's (a repository keeps its name: the hostname
/// of a CI runner or a container is new every run).
fn newest_of_host(
    c: &mut dyn Sql,
    report: &Report,
    host: &HostBefore,
    report_id: i64,
    scanned_at: &str,
) -> Result<(), StoreError> {
    let h = &report.host;
    let hostname = (host.kind != "repository").then_some(h.hostname.as_str());
    c.execute(
        "UPDATE hosts SET latest_report_id = $2, hostname = COALESCE($3, hostname), machine_id = $4, os = $5,
             os_version = $6, arch = $7, last_seen = $8 WHERE id = $1",
        args![
            host.id,
            report_id,
            hostname,
            h.machine_id.as_deref(),
            &h.os,
            h.os_version.as_deref(),
            &h.arch,
            scanned_at
        ],
    )?;
    Ok(())
}
