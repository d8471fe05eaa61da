//! Read side: the fleet questions, answered from the maintained current state (`credentials`, `fleet_counts`,
//! `findings.is_current`, see `current.rs`) and the full `findings` history.
//!
//! Answers are typed rows ([`CredentialSummary`], [`HostDetail`], [`Finding`] …): the API serializes them as they
//! are, and the web page reads their fields, so both show the same thing and a renamed column is a compile error
//! rather than an empty cell. Every list is an index range scan with a limit, and the rules of a page's credentials
//! are fetched for the whole page at once, so a page costs a few queries whatever its size, on either engine.
//!
//! Errors are domain values ([`QueryError`]); the HTTP layer decides which status each one is.

use crate::model::{severity_name, SEVERITIES};
use crate::store::{args, Param, Row, Sql, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a question has no answer.
#[derive(Debug)]
pub enum QueryError {
    /// The thing asked about does not exist.
    NotFound(String),
    /// The question itself is malformed (a paging parameter, say).
    Invalid(String),
    Store(StoreError),
}

impl From<StoreError> for QueryError {
    fn from(e: StoreError) -> Self {
        QueryError::Store(e)
    }
}

/// Risk labels as stored (a JSON array); `None` (null in the API) if the stored text is not one.
fn risk_list(text: &str) -> Option<Vec<String>> {
    serde_json::from_str(text).ok()
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

/// The exposure of a credential that is present somewhere now.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    /// The worst severity of its current findings.
    pub severity: &'static str,
    /// The union of its current findings' risk labels, sorted.
    pub risks: Vec<String>,
}

/// One credential (fingerprint): how it is described, where it is now, when it was seen.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialSummary {
    pub fingerprint: String,
    pub kind: String,
    pub rule: String,
    /// Every rule that ever matched it.
    pub rules: Vec<String>,
    pub redacted: String,
    pub identifier: Option<String>,
    /// Hosts holding it now (0: resolved everywhere), and its current findings.
    pub hosts: i64,
    pub locations: i64,
    pub first_seen: String,
    pub last_seen: String,
    /// `None` (null) once it is resolved everywhere.
    pub worst_exposure: Option<Exposure>,
}

/// One finding of a credential, on one host, in one report.
#[derive(Debug, Clone, Serialize)]
pub struct Sighting {
    pub host_id: i64,
    pub hostname: String,
    pub user: Option<String>,
    pub path: String,
    pub line: i64,
    pub rule: String,
    pub severity: String,
    pub risks: Option<Vec<String>>,
    pub scanned_at: String,
    pub report_id: i64,
    /// In its host's latest report.
    pub current: bool,
}

/// `GET /v1/credentials/{fingerprint}`: both lists are one page each (see [`Page`]).
#[derive(Debug, Serialize)]
pub struct CredentialDetail {
    #[serde(flatten)]
    pub summary: CredentialSummary,
    /// The sightings that are current, newest first.
    pub current: Vec<Sighting>,
    pub current_next_offset: Option<i64>,
    /// Every sighting, newest first.
    pub history: Vec<Sighting>,
    pub history_next_offset: Option<i64>,
}

/// Where a page of a list starts and ends.
#[derive(Debug, Serialize)]
pub struct PageInfo {
    pub total: i64,
    pub offset: u32,
    pub limit: u32,
    /// The offset of the next page; `None` (null) on the last.
    pub next_offset: Option<i64>,
}

impl PageInfo {
    fn new(total: i64, page: Page, shown: usize) -> PageInfo {
        let end = i64::from(page.offset) + shown as i64;
        PageInfo { total, offset: page.offset, limit: page.limit, next_offset: (end < total).then_some(end) }
    }
}

/// `GET /v1/credentials`.
#[derive(Debug, Serialize)]
pub struct CredentialPage {
    #[serde(flatten)]
    pub page: PageInfo,
    pub credentials: Vec<CredentialSummary>,
}

/// One host as listed.
#[derive(Debug, Clone, Serialize)]
pub struct HostSummary {
    pub id: i64,
    pub host_key: String,
    pub hostname: String,
    pub machine_id: Option<String>,
    pub os: String,
    pub os_version: Option<String>,
    pub arch: String,
    pub first_seen: String,
    pub last_seen: String,
    pub latest_report_id: Option<i64>,
    /// Reports stored; findings and distinct credentials in the latest one.
    pub reports: i64,
    pub findings: i64,
    pub credentials: i64,
}

/// `GET /v1/hosts`.
#[derive(Debug, Serialize)]
pub struct HostPage {
    #[serde(flatten)]
    pub page: PageInfo,
    pub hosts: Vec<HostSummary>,
}

/// One finding of a report, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub fingerprint: String,
    pub rule: String,
    pub rule_name: String,
    pub kind: String,
    pub severity: String,
    pub confidence: String,
    pub provider: Option<String>,
    pub path: String,
    pub line: i64,
    pub redacted: String,
    pub identifier: Option<String>,
    pub validation: String,
    pub user: Option<String>,
    pub tool: Option<String>,
    /// Private keys only: whether the key is passphrase-protected.
    pub key_encrypted: Option<bool>,
    pub risks: Option<Vec<String>>,
}

/// One stored report of a host.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub report_id: i64,
    pub started_at: String,
    pub finished_at: String,
    pub received_at: String,
    pub user: Option<String>,
    pub scanner_version: String,
    pub complete: bool,
    pub findings: i64,
    /// The report's `--tag` labels; `None` (null) if the stored text is not a JSON object.
    pub tags: Option<serde_json::Map<String, serde_json::Value>>,
    /// This is the host's current state.
    pub current: bool,
}

/// `GET /v1/hosts/{id}`: both lists are one page each (see [`Page`]).
#[derive(Debug, Serialize)]
pub struct HostDetail {
    #[serde(flatten)]
    pub host: HostSummary,
    pub latest_report: Option<ReportSummary>,
    /// The latest report's findings, worst first: one page.
    pub current_findings: Vec<Finding>,
    pub findings_next_offset: Option<i64>,
    /// Every report, newest first: one page.
    pub history: Vec<ReportSummary>,
    pub history_next_offset: Option<i64>,
}

/// `GET /v1/summary`: counts of distinct credentials (fingerprints) in the current state.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub hosts: i64,
    pub reports: i64,
    pub credentials: i64,
    pub findings: i64,
    pub by_kind: BTreeMap<String, i64>,
    pub by_severity: BTreeMap<String, i64>,
    pub unencrypted_private_keys: i64,
    pub mcp_secrets: i64,
    pub on_multiple_hosts: i64,
}

/// The columns [`credential_row`] reads.
const CREDENTIAL_COLUMNS: &str =
    "fingerprint, worst_rank, kind, rule, redacted, identifier, hosts, locations, first_seen, last_seen, risks";

/// One credential summary; `worst_exposure` is `None` once it is resolved everywhere.
fn credential_row(r: &Row, rules: &BTreeMap<String, Vec<String>>) -> Result<CredentialSummary, StoreError> {
    let fingerprint = r.text(0)?.to_owned();
    let hosts = r.i64(6)?;
    let worst_exposure = if hosts > 0 {
        // Risk labels of the current findings, counted; their union, sorted.
        let risks: BTreeMap<String, i64> = serde_json::from_str(r.text(10)?).unwrap_or_default();
        let risks = risks.into_iter().filter(|(_, n)| *n > 0).map(|(k, _)| k).collect();
        Some(Exposure { severity: severity_name(r.i64(1)?), risks })
    } else {
        None
    };
    Ok(CredentialSummary {
        rules: rules.get(&fingerprint).cloned().unwrap_or_default(),
        fingerprint,
        kind: r.text(2)?.to_owned(),
        rule: r.text(3)?.to_owned(),
        redacted: r.text(4)?.to_owned(),
        identifier: r.opt_text(5)?.map(str::to_owned),
        hosts,
        locations: r.i64(7)?,
        first_seen: r.text(8)?.to_owned(),
        last_seen: r.text(9)?.to_owned(),
        worst_exposure,
    })
}

fn credential_list(c: &mut dyn Sql, rows: Vec<Row>) -> Result<Vec<CredentialSummary>, StoreError> {
    let fps = rows.iter().map(|r| r.text(0).map(str::to_owned)).collect::<Result<Vec<_>, _>>()?;
    let rules = rules(c, &fps)?;
    rows.iter().map(|r| credential_row(r, &rules)).collect()
}

/// One page of `sql` (which ends in `LIMIT $n OFFSET $n+1`, the last two parameters, appended here), read one row
/// past its end to learn whether another page follows: the rows, and the next page's offset (`None` at the end).
fn paged<T>(
    c: &mut dyn Sql,
    sql: &str,
    params: &[Param<'_>],
    page: Page,
    row: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<(Vec<T>, Option<i64>), StoreError> {
    let mut all: Vec<Param> = params.to_vec();
    all.extend([Param::Int(i64::from(page.limit) + 1), Param::Int(i64::from(page.offset))]);
    let rows = c.query(sql, &all)?;
    let more = rows.len() > page.limit as usize;
    let out = rows.iter().take(page.limit as usize).map(row).collect::<Result<Vec<_>, _>>()?;
    Ok((out, more.then(|| i64::from(page.offset) + i64::from(page.limit))))
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
    /// Messages name the parameter but never repeat what was sent.
    pub fn parse(query: Option<&str>) -> Result<Page, QueryError> {
        let bad = |m: String| QueryError::Invalid(m);
        let mut page = Page { limit: Self::DEFAULT_LIMIT, offset: 0 };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match (k, v.parse::<u32>()) {
                ("limit", Ok(n)) if (1..=Self::MAX_LIMIT).contains(&n) => page.limit = n,
                ("limit", _) => return Err(bad(format!("limit must be an integer from 1 to {}", Self::MAX_LIMIT))),
                ("offset", Ok(n)) => page.offset = n,
                ("offset", Err(_)) => return Err(bad("offset must be a non-negative integer".into())),
                _ => return Err(bad("unknown query parameter (this list takes limit and offset)".into())),
            }
        }
        Ok(page)
    }
}

/// `GET /v1/credentials`: every credential present on at least one host now, worst first, one page at a time.
pub fn credentials(c: &mut dyn Sql, page: Page) -> Result<CredentialPage, QueryError> {
    let total = counter(c, "credentials")?;
    let rows = c.query(
        &format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE hosts > 0
             ORDER BY worst_rank DESC, hosts DESC, fingerprint LIMIT $1 OFFSET $2"
        ),
        args![i64::from(page.limit), i64::from(page.offset)],
    )?;
    let credentials = credential_list(c, rows)?;
    Ok(CredentialPage { page: PageInfo::new(total, page, credentials.len()), credentials })
}

/// The credentials on the most hosts now (at least two), most widespread first: the page's "shared" table.
pub fn shared(c: &mut dyn Sql, limit: u32) -> Result<Vec<CredentialSummary>, QueryError> {
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

fn sighting(r: &Row) -> Result<Sighting, StoreError> {
    Ok(Sighting {
        host_id: r.i64(0)?,
        hostname: r.text(1)?.to_owned(),
        user: r.opt_text(2)?.map(str::to_owned),
        path: r.text(3)?.to_owned(),
        line: r.i64(4)?,
        rule: r.text(5)?.to_owned(),
        severity: r.text(6)?.to_owned(),
        risks: risk_list(r.text(7)?),
        scanned_at: r.text(8)?.to_owned(),
        report_id: r.i64(9)?,
        current: r.bool(10)?,
    })
}

/// The columns [`sighting`] reads, and the order of a credential's sightings (newest first; the
/// `findings_fingerprint` index).
const SIGHTING_SELECT: &str = "
    SELECT f.host_id, h.hostname, f.user_name, f.path, f.line, f.rule, f.severity, f.risks, f.scanned_at,
           f.report_id, f.is_current
    FROM findings f JOIN hosts h ON h.id = f.host_id";
const SIGHTING_ORDER: &str = "f.scanned_at DESC, f.host_id, f.path, f.id";

/// `GET /v1/credentials/{fingerprint}`: where it is now, and every sighting ever (resolved ones included), each list
/// one `page`.
pub fn credential(c: &mut dyn Sql, fp: &str, page: Page) -> Result<CredentialDetail, QueryError> {
    let fp = normalize_fingerprint(fp);
    let row = c
        .query_opt(&format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE fingerprint = $1"), args![&fp])?
        .ok_or_else(|| QueryError::NotFound("no credential with this fingerprint".into()))?;
    let summary = credential_list(c, vec![row])?.remove(0);
    let (current, current_next_offset) = paged(
        c,
        &format!(
            "{SIGHTING_SELECT} WHERE f.fingerprint = $1 AND f.is_current ORDER BY {SIGHTING_ORDER} LIMIT $2 OFFSET $3"
        ),
        args![&fp],
        page,
        sighting,
    )?;
    let (history, history_next_offset) = paged(
        c,
        &format!("{SIGHTING_SELECT} WHERE f.fingerprint = $1 ORDER BY {SIGHTING_ORDER} LIMIT $2 OFFSET $3"),
        args![&fp],
        page,
        sighting,
    )?;
    Ok(CredentialDetail { summary, current, current_next_offset, history, history_next_offset })
}

const HOST_SELECT: &str = "
    SELECT h.id, h.host_key, h.hostname, h.machine_id, h.os, h.os_version, h.arch, h.first_seen, h.last_seen,
           h.latest_report_id, h.reports_count, h.findings_count, h.credentials_count
    FROM hosts h";

fn host_row(r: &Row) -> Result<HostSummary, StoreError> {
    Ok(HostSummary {
        id: r.i64(0)?,
        host_key: r.text(1)?.to_owned(),
        hostname: r.text(2)?.to_owned(),
        machine_id: r.opt_text(3)?.map(str::to_owned),
        os: r.text(4)?.to_owned(),
        os_version: r.opt_text(5)?.map(str::to_owned),
        arch: r.text(6)?.to_owned(),
        first_seen: r.text(7)?.to_owned(),
        last_seen: r.text(8)?.to_owned(),
        latest_report_id: r.opt_i64(9)?,
        reports: r.i64(10)?,
        findings: r.i64(11)?,
        credentials: r.i64(12)?,
    })
}

/// `GET /v1/hosts`: one page of hosts by hostname (a fleet of 10,000 hosts is megabytes in one answer).
pub fn hosts(c: &mut dyn Sql, page: Page) -> Result<HostPage, QueryError> {
    let total = c.query_opt("SELECT COUNT(*) FROM hosts", &[])?.map(|r| r.i64(0)).transpose()?.unwrap_or(0);
    let rows = c.query(
        &format!("{HOST_SELECT} ORDER BY h.hostname, h.id LIMIT $1 OFFSET $2"),
        args![i64::from(page.limit), i64::from(page.offset)],
    )?;
    let hosts = rows.iter().map(host_row).collect::<Result<Vec<_>, _>>()?;
    Ok(HostPage { page: PageInfo::new(total, page, hosts.len()), hosts })
}

/// The columns [`finding_row`] reads, and the order of an inventory (worst first).
const FINDING_COLUMNS: &str = "report_id, location_id, fingerprint, rule, rule_name, kind, severity, confidence,
    provider, path, line, redacted, identifier, validation, user_name, tool, key_encrypted, risks";
const FINDING_ORDER: &str = "severity_rank DESC, path, line, id";

fn finding_row(r: &Row) -> Result<Finding, StoreError> {
    let text = |i| r.text(i).map(str::to_owned);
    let opt = |i| r.opt_text(i).map(|t| t.map(str::to_owned));
    Ok(Finding {
        id: text(1)?,
        fingerprint: text(2)?,
        rule: text(3)?,
        rule_name: text(4)?,
        kind: text(5)?,
        severity: text(6)?,
        confidence: text(7)?,
        provider: opt(8)?,
        path: text(9)?,
        line: r.i64(10)?,
        redacted: text(11)?,
        identifier: opt(12)?,
        validation: text(13)?,
        user: opt(14)?,
        tool: opt(15)?,
        key_encrypted: r.opt_bool(16)?,
        risks: risk_list(r.text(17)?),
    })
}

/// One page of a report's inventory (findings, worst first; the `findings_report` index).
pub fn inventory(c: &mut dyn Sql, report_id: i64, page: Page) -> Result<(Vec<Finding>, Option<i64>), QueryError> {
    Ok(paged(
        c,
        &format!(
            "SELECT {FINDING_COLUMNS} FROM findings WHERE report_id = $1 ORDER BY {FINDING_ORDER} LIMIT $2 OFFSET $3"
        ),
        args![report_id],
        page,
        finding_row,
    )?)
}

fn report_row(r: &Row, latest: Option<i64>) -> Result<ReportSummary, StoreError> {
    let report_id = r.i64(0)?;
    Ok(ReportSummary {
        report_id,
        started_at: r.text(1)?.to_owned(),
        finished_at: r.text(2)?.to_owned(),
        received_at: r.text(3)?.to_owned(),
        user: r.opt_text(4)?.map(str::to_owned),
        scanner_version: r.text(5)?.to_owned(),
        complete: r.bool(6)?,
        findings: r.i64(7)?,
        tags: serde_json::from_str(r.text(8)?).ok(),
        current: Some(report_id) == latest,
    })
}

/// The columns [`report_row`] reads.
const REPORT_SELECT: &str = "SELECT id, started_at, finished_at, received_at, user_name, scanner_version, complete,
    findings_count, tags FROM reports";

/// `GET /v1/hosts/{id}`: `id` is the numeric id from `/v1/hosts` or the host key (machine id, else hostname). One
/// page of the current inventory (`findings`) and one of the scan history (`reports`).
pub fn host(c: &mut dyn Sql, id: &str, findings: Page, reports: Page) -> Result<HostDetail, QueryError> {
    let row = match id.parse::<i64>() {
        Ok(n) => c.query_opt(&format!("{HOST_SELECT} WHERE h.id = $1 OR h.host_key = $2"), args![n, id])?,
        Err(_) => c.query_opt(&format!("{HOST_SELECT} WHERE h.host_key = $1"), args![id])?,
    };
    let host = host_row(&row.ok_or_else(|| QueryError::NotFound("no host with this id or host key".into()))?)?;
    let latest = host.latest_report_id;
    let (current_findings, findings_next_offset) = match latest {
        Some(report) => inventory(c, report, findings)?,
        None => (Vec::new(), None),
    };
    let (history, history_next_offset) = paged(
        c,
        &format!("{REPORT_SELECT} WHERE host_id = $1 ORDER BY finished_at DESC, id DESC LIMIT $2 OFFSET $3"),
        args![host.id],
        reports,
        |r| report_row(r, latest),
    )?;
    let latest_report = match latest {
        Some(id) => c.query_opt(&format!("{REPORT_SELECT} WHERE id = $1"), args![id])?.map(|r| report_row(&r, latest)),
        None => None,
    }
    .transpose()?;
    Ok(HostDetail { host, latest_report, current_findings, findings_next_offset, history, history_next_offset })
}

/// `GET /v1/summary`: the fleet at a glance, counted in distinct credentials (fingerprints) of the current state;
/// every number is a maintained counter, so this is one small query however large the fleet.
pub fn summary(c: &mut dyn Sql) -> Result<Summary, QueryError> {
    let counts: BTreeMap<String, i64> = c
        .query("SELECT name, n FROM fleet_counts WHERE n > 0", &[])?
        .iter()
        .map(|r| Ok((r.text(0)?.to_owned(), r.i64(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let n = |name: &str| counts.get(name).copied().unwrap_or(0);
    let by_kind = counts.iter().filter_map(|(k, v)| Some((k.strip_prefix("kind:")?.to_owned(), *v))).collect();
    let by_severity =
        SEVERITIES.iter().filter_map(|s| Some((s.to_string(), *counts.get(&format!("severity:{s}"))?))).collect();
    Ok(Summary {
        hosts: n("hosts"),
        reports: n("reports"),
        credentials: n("credentials"),
        findings: n("findings"),
        by_kind,
        by_severity,
        unencrypted_private_keys: n("unencrypted_private_keys"),
        mcp_secrets: n("mcp_secrets"),
        on_multiple_hosts: n("on_multiple_hosts"),
    })
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
