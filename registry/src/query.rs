//! Read side: the fleet questions, answered from the `current_findings` view (each host's latest report) and the
//! full `findings` history.
//!
//! Answers are built as `serde_json::Value` straight from rows: the API is the schema, and there is no second set
//! of structs to drift from it. Aggregation that SQLite does well (grouping, counting) stays in SQL; the union of
//! risk labels is merged in Rust so it comes out sorted and stable.

use crate::error::ApiError;
use crate::ingest::SEVERITIES;
use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn severity(rank: i64) -> &'static str {
    SEVERITIES.get(rank as usize).copied().unwrap_or("info")
}

/// Union of JSON-array risk columns, sorted.
fn merge_risks<'a>(lists: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut set = BTreeSet::new();
    for l in lists {
        set.extend(serde_json::from_str::<Vec<String>>(l).unwrap_or_default());
    }
    set.into_iter().collect()
}

fn risks_of(conn: &Connection, fingerprint: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT risks FROM current_findings WHERE fingerprint = ?1")?;
    let lists = stmt.query_map([fingerprint], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(merge_risks(lists.iter().map(String::as_str)))
}

/// Per-fingerprint summary row. SQLite's documented bare-column rule makes `kind`, `rule`, `redacted`,
/// `identifier` come from the row holding `MAX(severity_rank)`: the worst sighting describes the credential.
const CREDENTIAL_SELECT: &str = "
    SELECT fingerprint, MAX(severity_rank), kind, rule, redacted, identifier,
           COUNT(DISTINCT host_id), COUNT(*),
           (SELECT MIN(scanned_at) FROM findings h WHERE h.fingerprint = c.fingerprint),
           (SELECT MAX(scanned_at) FROM findings h WHERE h.fingerprint = c.fingerprint),
           (SELECT json_group_array(DISTINCT rule) FROM findings h WHERE h.fingerprint = c.fingerprint)
    FROM current_findings c";

fn credential_row(conn: &Connection, r: &Row) -> Result<Value, ApiError> {
    let fingerprint: String = r.get(0)?;
    let rules: String = r.get(10)?;
    Ok(json!({
        "fingerprint": fingerprint,
        "kind": r.get::<_, String>(2)?,
        "rule": r.get::<_, String>(3)?,
        "rules": serde_json::from_str::<Value>(&rules).unwrap_or(Value::Null),
        "redacted": r.get::<_, String>(4)?,
        "identifier": r.get::<_, Option<String>>(5)?,
        "hosts": r.get::<_, i64>(6)?,
        "locations": r.get::<_, i64>(7)?,
        "first_seen": r.get::<_, String>(8)?,
        "last_seen": r.get::<_, String>(9)?,
        "worst_exposure": { "severity": severity(r.get(1)?), "risks": risks_of(conn, &fingerprint)? },
    }))
}

/// Paging for list endpoints: a fleet can hold far more credentials than one response should carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Page {
    pub const DEFAULT_LIMIT: u32 = 1000;
    pub const MAX_LIMIT: u32 = 10_000;

    /// From a raw query string (`limit=…&offset=…`); other parameters are refused so typos do not pass silently.
    pub fn parse(query: Option<&str>) -> Result<Page, ApiError> {
        let mut page = Page { limit: Self::DEFAULT_LIMIT, offset: 0 };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let n: u32 = v
                .parse()
                .map_err(|_| ApiError::bad_request(format!("{k} must be a non-negative integer, not {v:?}")))?;
            match k {
                "limit" if (1..=Self::MAX_LIMIT).contains(&n) => page.limit = n,
                "limit" => return Err(ApiError::bad_request(format!("limit must be 1 to {}", Self::MAX_LIMIT))),
                "offset" => page.offset = n,
                _ => return Err(ApiError::bad_request(format!("unknown query parameter {k:?} (limit, offset)"))),
            }
        }
        Ok(page)
    }
}

/// `GET /v1/credentials`: every credential present on at least one host now, worst first, one page at a time.
pub fn credentials(conn: &Connection, page: Page) -> Result<Value, ApiError> {
    let total: i64 = conn.query_row("SELECT COUNT(DISTINCT fingerprint) FROM current_findings", [], |r| r.get(0))?;
    let sql = format!(
        "{CREDENTIAL_SELECT} GROUP BY fingerprint
         ORDER BY MAX(severity_rank) DESC, COUNT(DISTINCT host_id) DESC, fingerprint LIMIT ?1 OFFSET ?2"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([page.limit, page.offset])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(credential_row(conn, r)?);
    }
    let end = page.offset as i64 + out.len() as i64;
    let next = (end < total).then_some(end);
    Ok(json!({ "total": total, "offset": page.offset, "limit": page.limit, "next_offset": next, "credentials": out }))
}

/// Accept the fingerprint with or without its `sha256:` prefix (people paste `sha256sum` output); keyed
/// `hmac-sha256:` fingerprints as they are.
fn normalize_fingerprint(fp: &str) -> String {
    if fp.starts_with("sha256:") || fp.starts_with("hmac-sha256:") {
        fp.to_owned()
    } else {
        format!("sha256:{fp}")
    }
}

/// `GET /v1/credentials/{fingerprint}`: where it is now, and every sighting ever (resolved ones included).
pub fn credential(conn: &Connection, fp: &str) -> Result<Value, ApiError> {
    let fp = normalize_fingerprint(fp);
    let mut history_stmt = conn.prepare(
        "SELECT f.host_id, h.hostname, f.user_name, f.path, f.line, f.rule, f.severity, f.risks, f.scanned_at,
                f.report_id, f.report_id = h.latest_report_id
         FROM findings f JOIN hosts h ON h.id = f.host_id
         WHERE f.fingerprint = ?1 ORDER BY f.scanned_at DESC, f.host_id, f.path",
    )?;
    let history = history_stmt
        .query_map([&fp], |r| {
            Ok(json!({
                "host_id": r.get::<_, i64>(0)?,
                "hostname": r.get::<_, String>(1)?,
                "user": r.get::<_, Option<String>>(2)?,
                "path": r.get::<_, String>(3)?,
                "line": r.get::<_, i64>(4)?,
                "rule": r.get::<_, String>(5)?,
                "severity": r.get::<_, String>(6)?,
                "risks": serde_json::from_str::<Value>(&r.get::<_, String>(7)?).unwrap_or(Value::Null),
                "scanned_at": r.get::<_, String>(8)?,
                "report_id": r.get::<_, i64>(9)?,
                "current": r.get::<_, bool>(10)?,
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    if history.is_empty() {
        return Err(ApiError::not_found(format!("no credential with fingerprint {fp}")));
    }
    let sql = format!("{CREDENTIAL_SELECT} WHERE fingerprint = ?1 GROUP BY fingerprint");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([&fp])?;
    let mut out = match rows.next()? {
        Some(r) => credential_row(conn, r)?,
        // Resolved everywhere: describe it from history.
        None => conn.query_row(
            "SELECT kind, rule, redacted, identifier, MIN(scanned_at), MAX(scanned_at), json_group_array(DISTINCT rule)
             FROM (SELECT * FROM findings WHERE fingerprint = ?1 ORDER BY severity_rank DESC)",
            [&fp],
            |r| {
                Ok(json!({
                    "fingerprint": fp,
                    "kind": r.get::<_, String>(0)?,
                    "rule": r.get::<_, String>(1)?,
                    "rules": serde_json::from_str::<Value>(&r.get::<_, String>(6)?).unwrap_or(Value::Null),
                    "redacted": r.get::<_, String>(2)?,
                    "identifier": r.get::<_, Option<String>>(3)?,
                    "hosts": 0,
                    "locations": 0,
                    "first_seen": r.get::<_, String>(4)?,
                    "last_seen": r.get::<_, String>(5)?,
                    "worst_exposure": Value::Null,
                }))
            },
        )?,
    };
    let current: Vec<Value> = history.iter().filter(|h| h["current"] == true).cloned().collect();
    out["current"] = Value::Array(current);
    out["history"] = Value::Array(history);
    Ok(out)
}

const HOST_SELECT: &str = "
    SELECT h.id, h.host_key, h.hostname, h.machine_id, h.os, h.os_version, h.arch, h.first_seen, h.last_seen,
           h.latest_report_id,
           (SELECT COUNT(*) FROM reports r WHERE r.host_id = h.id),
           (SELECT COUNT(*) FROM findings f WHERE f.report_id = h.latest_report_id),
           (SELECT COUNT(DISTINCT fingerprint) FROM findings f WHERE f.report_id = h.latest_report_id)
    FROM hosts h";

fn host_row(r: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "host_key": r.get::<_, String>(1)?,
        "hostname": r.get::<_, String>(2)?,
        "machine_id": r.get::<_, Option<String>>(3)?,
        "os": r.get::<_, String>(4)?,
        "os_version": r.get::<_, Option<String>>(5)?,
        "arch": r.get::<_, String>(6)?,
        "first_seen": r.get::<_, String>(7)?,
        "last_seen": r.get::<_, String>(8)?,
        "latest_report_id": r.get::<_, Option<i64>>(9)?,
        "reports": r.get::<_, i64>(10)?,
        "findings": r.get::<_, i64>(11)?,
        "credentials": r.get::<_, i64>(12)?,
    }))
}

/// `GET /v1/hosts`.
pub fn hosts(conn: &Connection) -> Result<Value, ApiError> {
    let mut stmt = conn.prepare(&format!("{HOST_SELECT} ORDER BY h.hostname, h.id"))?;
    let hosts = stmt.query_map([], host_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "hosts": hosts }))
}

/// `GET /v1/hosts/{id}`: `id` is the numeric id from `/v1/hosts` or the host key (machine id, else hostname).
pub fn host(conn: &Connection, id: &str) -> Result<Value, ApiError> {
    let mut stmt = conn.prepare(&format!("{HOST_SELECT} WHERE h.host_key = ?1 OR CAST(h.id AS TEXT) = ?1"))?;
    let mut host = stmt
        .query_row([id], host_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found(format!("no host with id or machine id {id:?}")))?;
    let host_id = host["id"].as_i64().unwrap_or(0);
    let latest = host["latest_report_id"].as_i64();

    let mut stmt = conn.prepare(
        "SELECT id, location_id, fingerprint, rule, rule_name, kind, severity, confidence, provider, path, line,
                redacted, identifier, validation, user_name, tool, key_encrypted, risks
         FROM findings WHERE report_id = ?1 ORDER BY severity_rank DESC, path, line",
    )?;
    let findings = stmt
        .query_map([latest], |r| {
            Ok(json!({
                "id": r.get::<_, String>(1)?,
                "fingerprint": r.get::<_, String>(2)?,
                "rule": r.get::<_, String>(3)?,
                "rule_name": r.get::<_, String>(4)?,
                "kind": r.get::<_, String>(5)?,
                "severity": r.get::<_, String>(6)?,
                "confidence": r.get::<_, String>(7)?,
                "provider": r.get::<_, Option<String>>(8)?,
                "path": r.get::<_, String>(9)?,
                "line": r.get::<_, i64>(10)?,
                "redacted": r.get::<_, String>(11)?,
                "identifier": r.get::<_, Option<String>>(12)?,
                "validation": r.get::<_, String>(13)?,
                "user": r.get::<_, Option<String>>(14)?,
                "tool": r.get::<_, Option<String>>(15)?,
                "key_encrypted": r.get::<_, Option<bool>>(16)?,
                "risks": serde_json::from_str::<Value>(&r.get::<_, String>(17)?).unwrap_or(Value::Null),
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;

    let mut stmt = conn.prepare(
        "SELECT id, started_at, finished_at, received_at, user_name, scanner_version, complete, findings_count, tags
         FROM reports WHERE host_id = ?1 ORDER BY finished_at DESC, id DESC",
    )?;
    let history = stmt
        .query_map([host_id], |r| {
            let id: i64 = r.get(0)?;
            Ok(json!({
                "report_id": id,
                "started_at": r.get::<_, String>(1)?,
                "finished_at": r.get::<_, String>(2)?,
                "received_at": r.get::<_, String>(3)?,
                "user": r.get::<_, Option<String>>(4)?,
                "scanner_version": r.get::<_, String>(5)?,
                "complete": r.get::<_, bool>(6)?,
                "findings": r.get::<_, i64>(7)?,
                "tags": serde_json::from_str::<Value>(&r.get::<_, String>(8)?).unwrap_or(Value::Null),
                "current": Some(id) == latest,
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    host["latest_report"] = history.iter().find(|h| h["current"] == true).cloned().unwrap_or(Value::Null);
    host["current_findings"] = Value::Array(findings);
    host["history"] = Value::Array(history);
    Ok(host)
}

/// `GET /v1/summary`: the fleet at a glance, counted in distinct credentials (fingerprints) of the current state.
pub fn summary(conn: &Connection) -> Result<Value, ApiError> {
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let mut by_kind = serde_json::Map::new();
    let mut stmt = conn.prepare(
        "SELECT kind, COUNT(DISTINCT fingerprint) FROM current_findings GROUP BY kind ORDER BY 2 DESC, kind",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (k, n) = row?;
        by_kind.insert(k, n.into());
    }
    let mut by_severity = serde_json::Map::new();
    let mut stmt = conn.prepare(
        "SELECT worst, COUNT(*) FROM (SELECT MAX(severity_rank) AS worst FROM current_findings GROUP BY fingerprint)
         GROUP BY worst ORDER BY worst DESC",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (rank, n) = row?;
        by_severity.insert(severity(rank).into(), n.into());
    }
    Ok(json!({
        "hosts": count("SELECT COUNT(*) FROM hosts")?,
        "reports": count("SELECT COUNT(*) FROM reports")?,
        "credentials": count("SELECT COUNT(DISTINCT fingerprint) FROM current_findings")?,
        "findings": count("SELECT COUNT(*) FROM current_findings")?,
        "by_kind": by_kind,
        "by_severity": by_severity,
        "unencrypted_private_keys":
            count("SELECT COUNT(DISTINCT fingerprint) FROM current_findings WHERE key_encrypted = 0")?,
        "mcp_secrets": count("SELECT COUNT(DISTINCT fingerprint) FROM current_findings WHERE mcp = 1")?,
        "on_multiple_hosts": count(
            "SELECT COUNT(*) FROM (SELECT fingerprint FROM current_findings GROUP BY fingerprint
             HAVING COUNT(DISTINCT host_id) > 1)"
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risks_union_sorted() {
        assert_eq!(
            merge_risks([r#"["old","tracked"]"#, r#"["group-readable","old"]"#, "[]"]),
            ["group-readable", "old", "tracked"]
        );
    }

    #[test]
    fn paging_parameters() {
        assert_eq!(Page::parse(None).unwrap(), Page { limit: Page::DEFAULT_LIMIT, offset: 0 });
        assert_eq!(Page::parse(Some("limit=5&offset=10")).unwrap(), Page { limit: 5, offset: 10 });
        for bad in ["limit=0", "limit=100000", "offset=-1", "limit=x", "page=2"] {
            assert!(Page::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn fingerprint_prefix_optional() {
        assert_eq!(normalize_fingerprint("abc"), "sha256:abc");
        assert_eq!(normalize_fingerprint("sha256:abc"), "sha256:abc");
        assert_eq!(normalize_fingerprint("hmac-sha256:abc"), "hmac-sha256:abc");
    }
}
