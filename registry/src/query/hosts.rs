//! Hosts: the list (by name, searchable by hostname or machine id), and one host's scopes, current inventory and
//! scan history.

use super::{paged, risk_list, Page, PageInfo, Params, QueryError};
use crate::store::{args, Param, Row, Sql, StoreError};
use serde::Serialize;

/// One host as listed.
#[derive(Debug, Clone, Serialize)]
pub struct HostSummary {
    pub id: i64,
    pub host_key: String,
    /// `machine`, or `repository` for reports without a machine id grouped by their git repository.
    pub kind: String,
    pub hostname: String,
    pub machine_id: Option<String>,
    pub os: String,
    pub os_version: Option<String>,
    pub arch: String,
    pub first_seen: String,
    pub last_seen: String,
    /// The host's newest report, of any scope.
    pub latest_report_id: Option<i64>,
    /// Reports stored; current findings and distinct current credentials (every scope).
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

/// One finding of a host's current inventory, as stored.
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
    /// The MCP server whose entry holds it.
    pub server: Option<String>,
    /// Private keys only: whether the key is passphrase-protected.
    pub key_encrypted: Option<bool>,
    pub risks: Option<Vec<String>>,
    /// The scope of the report it was last seen by, and that report.
    pub scope: Option<String>,
    pub report_id: i64,
    pub scanned_at: String,
}

/// One scope of a host: its latest report and its share of the current inventory.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeSummary {
    pub key: String,
    pub kind: String,
    pub label: String,
    pub latest_report_id: Option<i64>,
    pub latest_scanned: Option<String>,
    pub reports: i64,
    /// Current findings last seen by this scope's reports.
    pub findings: i64,
}

/// One stored report of a host.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub report_id: i64,
    pub scope: Option<String>,
    pub started_at: String,
    pub finished_at: String,
    pub received_at: String,
    pub user: Option<String>,
    pub scanner_version: String,
    pub complete: bool,
    pub findings: i64,
    /// The report's `--tag` labels; `None` (null) if the stored text is not a JSON object.
    pub tags: Option<serde_json::Map<String, serde_json::Value>>,
    /// This is its scope's latest report.
    pub current: bool,
}

/// `GET /v1/hosts/{id}`: both lists are one page each (see [`Page`]).
#[derive(Debug, Serialize)]
pub struct HostDetail {
    #[serde(flatten)]
    pub host: HostSummary,
    pub latest_report: Option<ReportSummary>,
    /// Every scope the host was scanned in, by label.
    pub scopes: Vec<ScopeSummary>,
    /// The current inventory (every scope), worst first: one page.
    pub current_findings: Vec<Finding>,
    pub findings_next_offset: Option<i64>,
    /// Every report, newest first: one page.
    pub history: Vec<ReportSummary>,
    pub history_next_offset: Option<i64>,
}

const HOST_SELECT: &str = "
    SELECT h.id, h.host_key, h.hostname, h.machine_id, h.os, h.os_version, h.arch, h.first_seen, h.last_seen,
           h.latest_report_id, h.reports_count, h.findings_count, h.credentials_count, h.kind
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
        kind: r.text(13)?.to_owned(),
    })
}

/// `GET /v1/hosts`: one page of hosts by hostname (a fleet of 10,000 hosts is megabytes in one answer); `q` keeps
/// the hosts whose hostname or host key (machine id) starts with it.
pub fn hosts(c: &mut dyn Sql, params: &Params) -> Result<HostPage, QueryError> {
    let page = params.page()?;
    let q = params.get("q").filter(|q| !q.is_empty());
    params.refuse_others(&["limit", "offset", "q"])?;
    let end = q.map(prefix_end);
    let (filter, args): (&str, Vec<Param>) = match (q, &end) {
        // Prefix ranges: `hosts_hostname` and the host key's unique index serve them.
        (Some(q), Some(end)) => (
            " WHERE (h.hostname >= $1 AND h.hostname < $2) OR (h.host_key >= $1 AND h.host_key < $2)",
            vec![Param::Text(q), Param::Text(end)],
        ),
        _ => ("", Vec::new()),
    };
    let total = c.query_one(&format!("SELECT COUNT(*) FROM hosts h{filter}"), &args)?.i64(0)?;
    let n = args.len();
    let (hosts, _) = paged(
        c,
        &format!("{HOST_SELECT}{filter} ORDER BY h.hostname, h.id LIMIT ${} OFFSET ${}", n + 1, n + 2),
        &args,
        page,
        host_row,
    )?;
    Ok(HostPage { page: PageInfo::new(total, page, hosts.len()), hosts })
}

/// The smallest string after every string that starts with `prefix` (the prefix with a character past any other
/// appended): `x >= prefix AND x < prefix_end(prefix)` is "starts with", as an index range.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The columns [`finding_row`] reads, and the order of an inventory (worst first).
const FINDING_SELECT: &str = "
    SELECT f.report_id, f.location_id, f.fingerprint, f.rule, f.rule_name, f.kind, f.severity, f.confidence,
           f.provider, f.path, f.line, f.redacted, f.identifier, f.validation, f.user_name, f.tool, f.key_encrypted,
           f.risks, s.label, f.server, f.scanned_at
    FROM findings f LEFT JOIN scopes s ON s.id = f.scope_id";
const FINDING_ORDER: &str = "f.severity_rank DESC, f.path, f.line, f.id";

fn finding_row(r: &Row) -> Result<Finding, StoreError> {
    let text = |i| r.text(i).map(str::to_owned);
    let opt = |i| r.opt_text(i).map(|t| t.map(str::to_owned));
    Ok(Finding {
        report_id: r.i64(0)?,
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
        scope: opt(18)?,
        server: opt(19)?,
        scanned_at: text(20)?,
    })
}

/// One page of a host's current inventory, every scope (worst first; the `findings_host_current` index).
pub fn inventory(c: &mut dyn Sql, host_id: i64, page: Page) -> Result<(Vec<Finding>, Option<i64>), QueryError> {
    Ok(paged(
        c,
        &format!("{FINDING_SELECT} WHERE f.host_id = $1 AND f.is_current ORDER BY {FINDING_ORDER} LIMIT $2 OFFSET $3"),
        args![host_id],
        page,
        finding_row,
    )?)
}

fn report_row(r: &Row) -> Result<ReportSummary, StoreError> {
    Ok(ReportSummary {
        report_id: r.i64(0)?,
        started_at: r.text(1)?.to_owned(),
        finished_at: r.text(2)?.to_owned(),
        received_at: r.text(3)?.to_owned(),
        user: r.opt_text(4)?.map(str::to_owned),
        scanner_version: r.text(5)?.to_owned(),
        complete: r.bool(6)?,
        findings: r.i64(7)?,
        tags: serde_json::from_str(r.text(8)?).ok(),
        scope: r.opt_text(9)?.map(str::to_owned),
        current: r.opt_bool(10)?.unwrap_or(false),
    })
}

/// The columns [`report_row`] reads.
const REPORT_SELECT: &str = "
    SELECT r.id, r.started_at, r.finished_at, r.received_at, r.user_name, r.scanner_version, r.complete,
           r.findings_count, r.tags, s.label, s.latest_report_id = r.id
    FROM reports r LEFT JOIN scopes s ON s.id = r.scope_id";

/// The host `id` names: its numeric id, its host key (machine id, or `repository:…`), or its hostname when exactly
/// one host has it.
fn find_host(c: &mut dyn Sql, id: &str) -> Result<HostSummary, QueryError> {
    let not_found = || QueryError::NotFound("no host with this id, host key or hostname".into());
    let row = match id.parse::<i64>() {
        Ok(n) => c.query_opt(&format!("{HOST_SELECT} WHERE h.id = $1 OR h.host_key = $2"), args![n, id])?,
        Err(_) => c.query_opt(&format!("{HOST_SELECT} WHERE h.host_key = $1"), args![id])?,
    };
    if let Some(r) = row {
        return Ok(host_row(&r)?);
    }
    let named = c.query(&format!("{HOST_SELECT} WHERE h.hostname = $1 ORDER BY h.id LIMIT 2"), args![id])?;
    match named.as_slice() {
        [one] => Ok(host_row(one)?),
        [] => Err(not_found()),
        _ => Err(QueryError::Ambiguous("several hosts have this hostname; use the id or the machine id".into())),
    }
}

/// `GET /v1/hosts/{id}`: `id` is the numeric id from `/v1/hosts`, the host key or the hostname. The host's scopes,
/// one page of its current inventory (`findings`) and one of its scan history (`reports`).
pub fn host(c: &mut dyn Sql, id: &str, findings: Page, reports: Page) -> Result<HostDetail, QueryError> {
    let host = find_host(c, id)?;
    let (current_findings, findings_next_offset) = inventory(c, host.id, findings)?;
    let (history, history_next_offset) = paged(
        c,
        &format!("{REPORT_SELECT} WHERE r.host_id = $1 ORDER BY r.finished_at DESC, r.id DESC LIMIT $2 OFFSET $3"),
        args![host.id],
        reports,
        report_row,
    )?;
    let latest_report = match host.latest_report_id {
        Some(id) => c.query_opt(&format!("{REPORT_SELECT} WHERE r.id = $1"), args![id])?.map(|r| report_row(&r)),
        None => None,
    }
    .transpose()?;
    let scopes = c
        .query(
            "SELECT scope_key, kind, label, latest_report_id, latest_scanned, reports_count, findings_count
             FROM scopes WHERE host_id = $1 ORDER BY label, id",
            args![host.id],
        )?
        .iter()
        .map(|r| {
            Ok(ScopeSummary {
                key: r.text(0)?.to_owned(),
                kind: r.text(1)?.to_owned(),
                label: r.text(2)?.to_owned(),
                latest_report_id: r.opt_i64(3)?,
                latest_scanned: r.opt_text(4)?.map(str::to_owned),
                reports: r.i64(5)?,
                findings: r.i64(6)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(HostDetail { host, latest_report, scopes, current_findings, findings_next_offset, history, history_next_offset })
}
