//! Report ingestion: validate a credsweep JSON report, then store it in one transaction.
//!
//! Validation happens entirely before the transaction starts, so a refused report leaves no trace. The checks are
//! the ones the registry depends on (the schema id, the fields it stores and their formats, no raw secrets) rather
//! than a full JSON Schema pass: the scanner's own test suite validates its output against the schema, and a
//! registry that refused a report over a new optional field would lose data during a rolling upgrade.

use crate::current::Deltas;
use crate::error::ApiError;
use crate::store::{args, Param, Sql, Store};
use axum::http::StatusCode;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

pub const SCHEMA_ID: &str = "credsweep.report/v1";

/// Top-level fields the schema requires; a report without them is refused as a whole.
const REQUIRED: &[&str] = &[
    "schema",
    "scanner",
    "host",
    "user",
    "started_at",
    "finished_at",
    "complete",
    "tags",
    "include_secrets",
    "roots",
    "stats",
    "errors",
    "references",
    "findings",
    "credentials",
];

/// Clients whose configs hold MCP server definitions (`context.tool` values from credsweep's MCP parser).
pub const MCP_CLIENTS: &[&str] = &[
    "claude-desktop",
    "claude-code",
    "cursor",
    "vscode",
    "copilot-cli",
    "windsurf",
    "cline",
    "roo-code",
    "continue",
    "zed",
    "gemini-cli",
    "codex-cli",
    "kiro",
    "amazon-q",
    "lm-studio",
    "goose",
];

pub const SEVERITIES: &[&str] = &["info", "low", "medium", "high", "critical"];

/// Parameters per stored finding, and findings per `INSERT` statement.
const FINDING_COLUMNS: usize = 22;
const FINDINGS_PER_INSERT: usize = 32;

// The parts of a report the registry stores. Unknown fields are ignored on purpose (see the module doc).
#[derive(Deserialize)]
struct Report {
    scanner: Scanner,
    host: Host,
    user: User,
    started_at: String,
    finished_at: String,
    complete: bool,
    tags: serde_json::Map<String, serde_json::Value>,
    include_secrets: bool,
    findings: Vec<Finding>,
}

#[derive(Deserialize)]
struct Scanner {
    version: String,
    rules_digest: String,
}

#[derive(Deserialize)]
struct Host {
    hostname: String,
    os: String,
    os_version: Option<String>,
    arch: String,
    machine_id: Option<String>,
}

#[derive(Deserialize)]
struct User {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Finding {
    id: String,
    rule: String,
    rule_name: String,
    kind: String,
    severity: String,
    confidence: String,
    provider: Option<String>,
    path: String,
    line: u64,
    fingerprint: String,
    redacted: String,
    identifier: Option<String>,
    validation: String,
    key: Option<Key>,
    context: Option<Context>,
    #[serde(default)]
    risks: Vec<String>,
    user: Option<String>,
    /// Only present in reports made with `--include-secrets`; such reports are refused.
    secret: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Key {
    encrypted: bool,
}

#[derive(Deserialize)]
struct Context {
    tool: Option<String>,
}

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

/// `YYYY-MM-DDTHH:MM:SSZ`, the schema's timestamp pattern; fixed width, so strings sort chronologically.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn is_sha256(s: &str) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
}

/// A finding fingerprint: plain `sha256:<hex>`, or `hmac-sha256:<hex>` from scanners run with an organisation key
/// (`--fingerprint-key-file`), which the registry correlates just the same without being able to reverse them.
fn is_fingerprint(s: &str) -> bool {
    is_sha256(s) || s.strip_prefix("hmac-").is_some_and(is_sha256)
}

/// Parse and validate; every refusal names what is wrong.
fn validate(body: &[u8]) -> Result<Report, ApiError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
    let obj = value.as_object().ok_or_else(|| ApiError::bad_request("a report must be a JSON object"))?;
    match obj.get("schema") {
        Some(serde_json::Value::String(s)) if s == SCHEMA_ID => {}
        Some(other) => return Err(ApiError::unprocessable(format!("unknown schema {other}; expected {SCHEMA_ID:?}"))),
        None => return Err(ApiError::unprocessable(format!("missing field \"schema\"; expected {SCHEMA_ID:?}"))),
    }
    if let Some(missing) = REQUIRED.iter().find(|k| !obj.contains_key(**k)) {
        return Err(ApiError::unprocessable(format!("missing required field {missing:?}")));
    }
    let report: Report =
        serde_json::from_value(value).map_err(|e| ApiError::unprocessable(format!("invalid report: {e}")))?;
    if report.include_secrets {
        return Err(ApiError::unprocessable(
            "report was made with include_secrets: true; the registry never stores raw secrets",
        ));
    }
    for (i, f) in report.findings.iter().enumerate() {
        let bad = |what: &str| ApiError::unprocessable(format!("findings[{i}]: {what}"));
        if f.secret.is_some() {
            return Err(bad("carries a raw \"secret\"; the registry never stores raw secrets"));
        }
        if !SEVERITIES.contains(&f.severity.as_str()) {
            return Err(bad(&format!("unknown severity {:?}", f.severity)));
        }
        if !is_fingerprint(&f.fingerprint) {
            return Err(bad(&format!(
                "fingerprint {:?} is not sha256:<64 hex> or hmac-sha256:<64 hex>",
                f.fingerprint
            )));
        }
    }
    for (name, t) in [("started_at", &report.started_at), ("finished_at", &report.finished_at)] {
        if !is_timestamp(t) {
            return Err(ApiError::unprocessable(format!("{name} {t:?} is not an RFC 3339 UTC timestamp")));
        }
    }
    if report.host.hostname.is_empty() && report.host.machine_id.as_deref().unwrap_or("").is_empty() {
        return Err(ApiError::unprocessable("host has neither machine_id nor hostname"));
    }
    Ok(report)
}

/// Validate and store one report, in one write transaction committed before this returns. The caller has already
/// authenticated and decompressed; `key` is the `Idempotency-Key` header if the client sent one.
pub fn ingest(store: &Store, body: &[u8], key: Option<&str>) -> Result<(StatusCode, Outcome), ApiError> {
    let report = validate(body)?;
    let body_sha = format!("sha256:{}", hex::encode(Sha256::digest(body)));
    let report_key = key.map_or_else(|| body_sha.clone(), str::to_owned);
    // The body parsed as JSON, so it is UTF-8.
    let body_text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("body is not UTF-8"))?;
    store.write(|c| insert(c, &report, &report_key, &body_sha, body_text))
}

fn insert(
    c: &mut dyn Sql,
    report: &Report,
    report_key: &str,
    body_sha: &str,
    body_text: &str,
) -> Result<(StatusCode, Outcome), ApiError> {
    // The writer lock is held: nothing can store this key between the check and the insert.
    let existing = c.query_opt(
        "SELECT r.id, r.host_id, r.body_sha256, r.findings_count, h.latest_report_id = r.id
         FROM reports r JOIN hosts h ON h.id = r.host_id WHERE r.report_key = $1",
        args![report_key],
    )?;
    if let Some(r) = existing {
        if r.text(2)? != body_sha {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("Idempotency-Key {report_key:?} was already used for a different report"),
            ));
        }
        let outcome = Outcome {
            report_id: r.i64(0)?,
            host_id: r.i64(1)?,
            findings: r.i64(3)? as usize,
            duplicate: true,
            current: r.opt_bool(4)?.unwrap_or(false),
        };
        return Ok((StatusCode::OK, outcome));
    }

    let mut deltas = Deltas::default();
    let h = &report.host;
    let host_key = h.machine_id.as_deref().filter(|m| !m.is_empty()).unwrap_or(&h.hostname);
    let new_host = c.execute(
        "INSERT INTO hosts (host_key, hostname, machine_id, os, os_version, arch, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (host_key) DO NOTHING",
        args![
            host_key,
            &h.hostname,
            h.machine_id.as_deref(),
            &h.os,
            h.os_version.as_deref(),
            &h.arch,
            &report.finished_at
        ],
    )?;
    deltas.add("hosts", new_host as i64);
    let row = c.query_one(
        "SELECT h.id, h.latest_report_id, r.finished_at FROM hosts h LEFT JOIN reports r ON r.id = h.latest_report_id
         WHERE h.host_key = $1",
        args![host_key],
    )?;
    let (host_id, latest_id, latest_finished) = (row.i64(0)?, row.opt_i64(1)?, row.opt_text(2)?.map(str::to_owned));
    let distinct = report.findings.iter().map(|f| f.fingerprint.as_str()).collect::<BTreeSet<_>>().len();
    let report_id = c
        .query_one(
            "INSERT INTO reports (report_key, body_sha256, host_id, received_at, started_at, finished_at, user_name,
                                  scanner_version, rules_digest, complete, findings_count, tags, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            args![
                report_key,
                body_sha,
                host_id,
                &crate::store::now(),
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
        .i64(0)?;
    deltas.add("reports", 1);
    let risks: Vec<String> =
        report.findings.iter().map(|f| serde_json::to_string(&f.risks).unwrap_or_else(|_| "[]".into())).collect();
    let rows: Vec<[Param; FINDING_COLUMNS]> = report
        .findings
        .iter()
        .zip(&risks)
        .map(|(f, risks)| {
            let tool = f.context.as_ref().and_then(|c| c.tool.as_deref());
            let mcp = f.rule == "mcp-config-secret" || tool.is_some_and(|t| MCP_CLIENTS.contains(&t));
            let rank = SEVERITIES.iter().position(|s| *s == f.severity).unwrap_or(0) as i64;
            [
                Param::Int(report_id),
                Param::Int(host_id),
                Param::from(&f.id),
                Param::from(&f.fingerprint),
                Param::from(&f.rule),
                Param::from(&f.rule_name),
                Param::from(&f.kind),
                Param::from(&f.severity),
                Param::Int(rank),
                Param::from(&f.confidence),
                Param::from(f.provider.as_deref()),
                Param::from(&f.path),
                Param::Int(f.line as i64),
                Param::from(&f.redacted),
                Param::from(f.identifier.as_deref()),
                Param::from(&f.validation),
                Param::from(f.user.as_deref().or(report.user.name.as_deref())),
                Param::from(tool),
                Param::Bool(mcp),
                Param::from(f.key.as_ref().map(|k| k.encrypted)),
                Param::from(risks),
                Param::from(&report.finished_at),
            ]
        })
        .collect();
    // Several rows per statement: on PostgreSQL each statement is a round trip. At most FINDINGS_PER_INSERT
    // distinct statement shapes, each prepared once per connection.
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
    crate::current::record_history(c, report_id, &report.finished_at)?;
    // Newest scan wins; an older report uploaded late goes to history without touching the current state.
    let current = latest_finished.as_deref().is_none_or(|t| report.finished_at.as_str() >= t);
    if current {
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
                &report.finished_at,
                report.findings.len() as i64,
                distinct as i64,
            ],
        )?;
        crate::current::replace(c, latest_id, report_id, &mut deltas)?;
    } else {
        crate::current::touch(c, report_id, &mut deltas)?;
    }
    c.execute(
        "UPDATE hosts SET reports_count = reports_count + 1,
             first_seen = CASE WHEN first_seen > $2 THEN $2 ELSE first_seen END
         WHERE id = $1",
        args![host_id, &report.finished_at],
    )?;
    deltas.apply(c)?;
    let outcome = Outcome { report_id, host_id, findings: report.findings.len(), duplicate: false, current };
    Ok((StatusCode::CREATED, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2026-01-02T03:04:05Z"));
        assert!(!is_timestamp("2026-01-02 03:04:05Z"));
        assert!(!is_timestamp("2026-01-02T03:04:05+00:00"));
    }

    #[test]
    fn fingerprints() {
        assert!(is_sha256(&format!("sha256:{}", "a".repeat(64))));
        assert!(!is_sha256(&format!("sha256:{}", "A".repeat(64))));
        assert!(!is_sha256("sha256:abc"));
        assert!(is_fingerprint(&format!("hmac-sha256:{}", "a".repeat(64))));
        assert!(!is_fingerprint(&format!("hmac-md5:{}", "a".repeat(64))));
    }

    #[test]
    fn schema_errors_are_422_and_json_errors_400() {
        assert_eq!(validate(b"{").err().unwrap().status, StatusCode::BAD_REQUEST);
        assert_eq!(validate(b"[]").err().unwrap().status, StatusCode::BAD_REQUEST);
        let e = validate(br#"{"schema":"credsweep.report/v2"}"#).err().unwrap();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e.message.contains("unknown schema"), "{}", e.message);
        let e = validate(br#"{"schema":"credsweep.report/v1"}"#).err().unwrap();
        assert!(e.message.contains("missing required field \"scanner\""), "{}", e.message);
    }
}
