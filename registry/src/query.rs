//! Read side: the fleet questions, answered from the maintained current state (`credentials`, `fleet_counts`,
//! `findings.is_current`, see `current.rs`) and the full `findings` history.
//!
//! Answers are built as `serde_json::Value` straight from rows: the API is the schema, and there is no second set
//! of structs to drift from it. Every list is an index range scan with a limit, and the rules of a page's
//! credentials are fetched for the whole page at once, so a page costs a few queries whatever its size, on either
//! engine.

use crate::error::ApiError;
use crate::ingest::SEVERITIES;
use crate::store::{args, Param, Row, Sql, StoreError};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn severity(rank: i64) -> &'static str {
    SEVERITIES.get(rank.max(0) as usize).copied().unwrap_or("info")
}

/// Fingerprints per `IN (…)` list. Lists are padded to this length so each statement has one shape, which
/// PostgreSQL prepares once per connection.
const IN_CHUNK: usize = 100;

/// Run `sql` for every value in `values`, `IN_CHUNK` at a time: its `{in}` becomes a padded list of placeholders.
fn in_chunks(
    c: &mut dyn Sql,
    sql: &str,
    values: &[Param<'_>],
    mut each: impl FnMut(Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let list = (1..=IN_CHUNK).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = sql.replace("{in}", &list);
    for chunk in values.chunks(IN_CHUNK) {
        let params: Vec<Param> = (0..IN_CHUNK).map(|i| chunk[i.min(chunk.len() - 1)]).collect();
        for r in c.query(&sql, &params)? {
            each(r)?;
        }
    }
    Ok(())
}

/// `(fingerprint, text)` rows of `sql` (see [`in_chunks`]) for the fingerprints `fps`, grouped by fingerprint.
fn per_fingerprint(c: &mut dyn Sql, sql: &str, fps: &[String]) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let params: Vec<Param> = fps.iter().map(Param::from).collect();
    in_chunks(c, sql, &params, |r| {
        out.entry(r.text(0)?.to_owned()).or_default().push(r.text(1)?.to_owned());
        Ok(())
    })?;
    Ok(out)
}

/// Every rule that ever matched each fingerprint.
fn rules(c: &mut dyn Sql, fps: &[String]) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    per_fingerprint(
        c,
        "SELECT fingerprint, rule FROM credential_rules WHERE fingerprint IN ({in}) ORDER BY fingerprint, rule",
        fps,
    )
}

/// The columns [`credential_json`] reads.
const CREDENTIAL_COLUMNS: &str =
    "fingerprint, worst_rank, kind, rule, redacted, identifier, hosts, locations, first_seen, last_seen, risks";

/// One credential summary; `worst_exposure` is null once it is resolved everywhere.
fn credential_json(r: &Row, rules: &BTreeMap<String, Vec<String>>) -> Result<Value, StoreError> {
    let fp = r.text(0)?;
    let hosts = r.i64(6)?;
    let exposure = if hosts > 0 {
        // Risk labels of the current findings, counted; their union, sorted.
        let risks: BTreeMap<String, i64> = serde_json::from_str(r.text(10)?).unwrap_or_default();
        let risks: Vec<&String> = risks.iter().filter(|(_, n)| **n > 0).map(|(k, _)| k).collect();
        json!({ "severity": severity(r.i64(1)?), "risks": risks })
    } else {
        Value::Null
    };
    Ok(json!({
        "fingerprint": fp,
        "kind": r.text(2)?,
        "rule": r.text(3)?,
        "rules": rules.get(fp).cloned().unwrap_or_default(),
        "redacted": r.text(4)?,
        "identifier": r.opt_text(5)?,
        "hosts": hosts,
        "locations": r.i64(7)?,
        "first_seen": r.text(8)?,
        "last_seen": r.text(9)?,
        "worst_exposure": exposure,
    }))
}

fn credential_list(c: &mut dyn Sql, rows: Vec<Row>) -> Result<Vec<Value>, StoreError> {
    let fps = rows.iter().map(|r| r.text(0).map(str::to_owned)).collect::<Result<Vec<_>, _>>()?;
    let rules = rules(c, &fps)?;
    rows.iter().map(|r| credential_json(r, &rules)).collect()
}

fn counter(c: &mut dyn Sql, name: &str) -> Result<i64, StoreError> {
    Ok(c.query_opt("SELECT n FROM fleet_counts WHERE name = $1", args![name])?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0))
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
pub fn credentials(c: &mut dyn Sql, page: Page) -> Result<Value, ApiError> {
    let total = counter(c, "credentials")?;
    let rows = c.query(
        &format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE hosts > 0
             ORDER BY worst_rank DESC, hosts DESC, fingerprint LIMIT $1 OFFSET $2"
        ),
        args![i64::from(page.limit), i64::from(page.offset)],
    )?;
    let out = credential_list(c, rows)?;
    let end = i64::from(page.offset) + out.len() as i64;
    let next = (end < total).then_some(end);
    Ok(json!({ "total": total, "offset": page.offset, "limit": page.limit, "next_offset": next, "credentials": out }))
}

/// The credentials on the most hosts now (at least two), most widespread first: the page's "shared" table.
pub fn shared(c: &mut dyn Sql, limit: u32) -> Result<Vec<Value>, ApiError> {
    let rows = c.query(
        &format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE hosts > 1
             ORDER BY hosts DESC, worst_rank DESC, fingerprint LIMIT $1"
        ),
        args![i64::from(limit)],
    )?;
    Ok(credential_list(c, rows)?)
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
pub fn credential(c: &mut dyn Sql, fp: &str) -> Result<Value, ApiError> {
    let fp = normalize_fingerprint(fp);
    let row = c
        .query_opt(&format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE fingerprint = $1"), args![&fp])?
        .ok_or_else(|| ApiError::not_found(format!("no credential with fingerprint {fp}")))?;
    let mut out = credential_list(c, vec![row])?.remove(0);
    let history = c
        .query(
            "SELECT f.host_id, h.hostname, f.user_name, f.path, f.line, f.rule, f.severity, f.risks, f.scanned_at,
                    f.report_id, f.is_current
             FROM findings f JOIN hosts h ON h.id = f.host_id
             WHERE f.fingerprint = $1 ORDER BY f.scanned_at DESC, f.host_id, f.path, f.id",
            args![&fp],
        )?
        .iter()
        .map(|r| -> Result<Value, StoreError> {
            Ok(json!({
                "host_id": r.i64(0)?,
                "hostname": r.text(1)?,
                "user": r.opt_text(2)?,
                "path": r.text(3)?,
                "line": r.i64(4)?,
                "rule": r.text(5)?,
                "severity": r.text(6)?,
                "risks": serde_json::from_str::<Value>(r.text(7)?).unwrap_or(Value::Null),
                "scanned_at": r.text(8)?,
                "report_id": r.i64(9)?,
                "current": r.bool(10)?,
            }))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let current: Vec<Value> = history.iter().filter(|h| h["current"] == true).cloned().collect();
    out["current"] = Value::Array(current);
    out["history"] = Value::Array(history);
    Ok(out)
}

const HOST_SELECT: &str = "
    SELECT h.id, h.host_key, h.hostname, h.machine_id, h.os, h.os_version, h.arch, h.first_seen, h.last_seen,
           h.latest_report_id, h.reports_count, h.findings_count, h.credentials_count
    FROM hosts h";

fn host_json(r: &Row) -> Result<Value, StoreError> {
    Ok(json!({
        "id": r.i64(0)?,
        "host_key": r.text(1)?,
        "hostname": r.text(2)?,
        "machine_id": r.opt_text(3)?,
        "os": r.text(4)?,
        "os_version": r.opt_text(5)?,
        "arch": r.text(6)?,
        "first_seen": r.text(7)?,
        "last_seen": r.text(8)?,
        "latest_report_id": r.opt_i64(9)?,
        "reports": r.i64(10)?,
        "findings": r.i64(11)?,
        "credentials": r.i64(12)?,
    }))
}

/// `GET /v1/hosts`: one page of hosts by hostname (a fleet of 10,000 hosts is megabytes in one answer).
pub fn hosts(c: &mut dyn Sql, page: Page) -> Result<Value, ApiError> {
    let total = c.query_opt("SELECT COUNT(*) FROM hosts", &[])?.map(|r| r.i64(0)).transpose()?.unwrap_or(0);
    let rows = c.query(
        &format!("{HOST_SELECT} ORDER BY h.hostname, h.id LIMIT $1 OFFSET $2"),
        args![i64::from(page.limit), i64::from(page.offset)],
    )?;
    let hosts = rows.iter().map(host_json).collect::<Result<Vec<_>, _>>()?;
    let end = i64::from(page.offset) + hosts.len() as i64;
    let next = (end < total).then_some(end);
    Ok(json!({ "total": total, "offset": page.offset, "limit": page.limit, "next_offset": next, "hosts": hosts }))
}

/// The columns [`finding_json`] reads, and the order of an inventory (worst first).
const FINDING_COLUMNS: &str = "report_id, location_id, fingerprint, rule, rule_name, kind, severity, confidence,
    provider, path, line, redacted, identifier, validation, user_name, tool, key_encrypted, risks";
const FINDING_ORDER: &str = "severity_rank DESC, path, line, id";

fn finding_json(r: &Row) -> Result<Value, StoreError> {
    Ok(json!({
        "id": r.text(1)?,
        "fingerprint": r.text(2)?,
        "rule": r.text(3)?,
        "rule_name": r.text(4)?,
        "kind": r.text(5)?,
        "severity": r.text(6)?,
        "confidence": r.text(7)?,
        "provider": r.opt_text(8)?,
        "path": r.text(9)?,
        "line": r.i64(10)?,
        "redacted": r.text(11)?,
        "identifier": r.opt_text(12)?,
        "validation": r.text(13)?,
        "user": r.opt_text(14)?,
        "tool": r.opt_text(15)?,
        "key_encrypted": r.opt_bool(16)?,
        "risks": serde_json::from_str::<Value>(r.text(17)?).unwrap_or(Value::Null),
    }))
}

/// The inventories (findings, worst first) of several reports at once: the web page's hosts list.
pub fn inventories(c: &mut dyn Sql, reports: &[i64]) -> Result<BTreeMap<i64, Vec<Value>>, ApiError> {
    let mut out: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    let params: Vec<Param> = reports.iter().map(|r| Param::Int(*r)).collect();
    in_chunks(
        c,
        &format!(
            "SELECT {FINDING_COLUMNS} FROM findings WHERE report_id IN ({{in}}) ORDER BY report_id, {FINDING_ORDER}"
        ),
        &params,
        |r| {
            out.entry(r.i64(0)?).or_default().push(finding_json(&r)?);
            Ok(())
        },
    )?;
    Ok(out)
}

/// `GET /v1/hosts/{id}`: `id` is the numeric id from `/v1/hosts` or the host key (machine id, else hostname).
pub fn host(c: &mut dyn Sql, id: &str) -> Result<Value, ApiError> {
    let row = match id.parse::<i64>() {
        Ok(n) => c.query_opt(&format!("{HOST_SELECT} WHERE h.id = $1 OR h.host_key = $2"), args![n, id])?,
        Err(_) => c.query_opt(&format!("{HOST_SELECT} WHERE h.host_key = $1"), args![id])?,
    };
    let mut host =
        host_json(&row.ok_or_else(|| ApiError::not_found(format!("no host with id or machine id {id:?}")))?)?;
    let host_id = host["id"].as_i64().unwrap_or(0);
    let latest = host["latest_report_id"].as_i64();

    let findings = c
        .query(
            &format!("SELECT {FINDING_COLUMNS} FROM findings WHERE report_id = $1 ORDER BY {FINDING_ORDER}"),
            args![latest],
        )?
        .iter()
        .map(finding_json)
        .collect::<Result<Vec<_>, _>>()?;

    let history = c
        .query(
            "SELECT id, started_at, finished_at, received_at, user_name, scanner_version, complete, findings_count, tags
             FROM reports WHERE host_id = $1 ORDER BY finished_at DESC, id DESC",
            args![host_id],
        )?
        .iter()
        .map(|r| -> Result<Value, StoreError> {
            let id = r.i64(0)?;
            Ok(json!({
                "report_id": id,
                "started_at": r.text(1)?,
                "finished_at": r.text(2)?,
                "received_at": r.text(3)?,
                "user": r.opt_text(4)?,
                "scanner_version": r.text(5)?,
                "complete": r.bool(6)?,
                "findings": r.i64(7)?,
                "tags": serde_json::from_str::<Value>(r.text(8)?).unwrap_or(Value::Null),
                "current": Some(id) == latest,
            }))
        })
        .collect::<Result<Vec<_>, _>>()?;
    host["latest_report"] = history.iter().find(|h| h["current"] == true).cloned().unwrap_or(Value::Null);
    host["current_findings"] = Value::Array(findings);
    host["history"] = Value::Array(history);
    Ok(host)
}

/// `GET /v1/summary`: the fleet at a glance, counted in distinct credentials (fingerprints) of the current state;
/// every number is a maintained counter, so this is one small query however large the fleet.
pub fn summary(c: &mut dyn Sql) -> Result<Value, ApiError> {
    let counts: BTreeMap<String, i64> = c
        .query("SELECT name, n FROM fleet_counts WHERE n > 0", &[])?
        .iter()
        .map(|r| Ok((r.text(0)?.to_owned(), r.i64(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let n = |name: &str| counts.get(name).copied().unwrap_or(0);
    // Most frequent kind first, then by name.
    let mut kinds: Vec<(&str, i64)> = counts.iter().filter_map(|(k, v)| Some((k.strip_prefix("kind:")?, *v))).collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let by_kind: serde_json::Map<String, Value> = kinds.into_iter().map(|(k, v)| (k.to_owned(), v.into())).collect();
    // Worst first.
    let by_severity: serde_json::Map<String, Value> = SEVERITIES
        .iter()
        .rev()
        .filter_map(|s| Some((s.to_string(), counts.get(&format!("severity:{s}"))?.to_owned().into())))
        .collect();
    Ok(json!({
        "hosts": n("hosts"),
        "reports": n("reports"),
        "credentials": n("credentials"),
        "findings": n("findings"),
        "by_kind": by_kind,
        "by_severity": by_severity,
        "unencrypted_private_keys": n("unencrypted_private_keys"),
        "mcp_secrets": n("mcp_secrets"),
        "on_multiple_hosts": n("on_multiple_hosts"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

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
