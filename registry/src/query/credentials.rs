//! Credentials: the filterable, sortable list and its export, the most widely shared ones with their hosts named,
//! and one credential's sprawl (every host and path holding it now) and history.

use super::filter::{Filter, NAMES};
use super::{paged, per_fingerprint, risk_list, Page, PageInfo, Params, QueryError};
use crate::model::severity_name;
use crate::store::{args, Backend, Param, Row, Sql, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// The exposure of a credential that is present somewhere now.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    /// The worst severity of its current findings.
    pub severity: &'static str,
    /// The union of its current findings' risk labels, sorted.
    pub risks: Vec<String>,
}

/// A host, named.
#[derive(Debug, Clone, Serialize)]
pub struct HostRef {
    pub id: i64,
    pub hostname: String,
}

/// One credential (fingerprint): how it is described, where it is now, when it was seen, how old it is.
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
    /// Since when it is known to exist: the earliest of first seen, the oldest modification time of a file holding
    /// it, and a JWT's issue time (over all history).
    pub known_since: String,
    pub oldest_file_modified: Option<String>,
    pub issued_at: Option<String>,
    pub expires_at: Option<String>,
    /// `None` (null) once it is resolved everywhere.
    pub worst_exposure: Option<Exposure>,
    /// A few of the hosts holding it now (the shared list names them; empty elsewhere).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub some_hosts: Vec<HostRef>,
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
    /// The scope of the report that saw it.
    pub scope: Option<String>,
    /// In its host's current inventory.
    pub current: bool,
}

/// `GET /v1/credentials/{fingerprint}`: both lists are one page each (see [`Page`]).
#[derive(Debug, Serialize)]
pub struct CredentialDetail {
    #[serde(flatten)]
    pub summary: CredentialSummary,
    /// Its sprawl: every host and path holding it now, newest first.
    pub current: Vec<Sighting>,
    pub current_next_offset: Option<i64>,
    /// Every sighting, newest first.
    pub history: Vec<Sighting>,
    pub history_next_offset: Option<i64>,
}

/// `GET /v1/credentials`.
#[derive(Debug, Serialize)]
pub struct CredentialPage {
    #[serde(flatten)]
    pub page: PageInfo,
    pub credentials: Vec<CredentialSummary>,
}

/// The columns [`credential_row`] reads, from `credentials c`.
const CREDENTIAL_COLUMNS: &str = "c.fingerprint, c.worst_rank, c.kind, c.rule, c.redacted, c.identifier, c.hosts,
    c.locations, c.first_seen, c.last_seen, c.risks, c.known_since, c.modified_oldest, c.issued_at, c.expires_at";

/// One credential summary; `worst_exposure` is `None` once it is resolved everywhere.
fn credential_row(r: &Row, rules: Vec<String>) -> Result<CredentialSummary, StoreError> {
    let hosts = r.i64(6)?;
    let worst_exposure = if hosts > 0 {
        // Risk labels of the current findings, counted; their union, sorted.
        let risks: BTreeMap<String, i64> = serde_json::from_str(r.text(10)?).unwrap_or_default();
        let risks = risks.into_iter().filter(|(_, n)| *n > 0).map(|(k, _)| k).collect();
        Some(Exposure { severity: severity_name(r.i64(1)?), risks })
    } else {
        None
    };
    let opt = |i| r.opt_text(i).map(|t| t.map(str::to_owned));
    Ok(CredentialSummary {
        fingerprint: r.text(0)?.to_owned(),
        rules,
        kind: r.text(2)?.to_owned(),
        rule: r.text(3)?.to_owned(),
        redacted: r.text(4)?.to_owned(),
        identifier: opt(5)?,
        hosts,
        locations: r.i64(7)?,
        first_seen: r.text(8)?.to_owned(),
        last_seen: r.text(9)?.to_owned(),
        known_since: r.text(11)?.to_owned(),
        oldest_file_modified: opt(12)?,
        issued_at: opt(13)?,
        expires_at: opt(14)?,
        worst_exposure,
        some_hosts: Vec::new(),
    })
}

/// Summaries of `rows`, with every rule of each (one query for the whole page).
fn credential_list(c: &mut dyn Sql, rows: Vec<Row>) -> Result<Vec<CredentialSummary>, StoreError> {
    let fps = rows.iter().map(|r| r.text(0).map(str::to_owned)).collect::<Result<Vec<_>, _>>()?;
    let mut rules = per_fingerprint(
        c,
        "SELECT fingerprint, rule FROM credential_rules WHERE fingerprint IN ({in}) ORDER BY fingerprint, rule",
        &fps,
    )?;
    rows.iter().zip(&fps).map(|(r, fp)| credential_row(r, rules.remove(fp).unwrap_or_default())).collect()
}

/// `GET /v1/credentials`: the credentials present on at least one host now that pass the filter, in its order
/// (worst first by default), one page at a time.
pub fn credentials(c: &mut dyn Sql, params: &Params) -> Result<CredentialPage, QueryError> {
    let mut known = NAMES.to_vec();
    known.extend(["limit", "offset"]);
    params.refuse_others(&known)?;
    let (filter, page) = (Filter::parse(params)?, params.page()?);
    let (condition, args) = filter.condition(c.backend());
    let total = if filter.is_empty() {
        super::counter(c, "credentials")?
    } else {
        c.query_one(&format!("SELECT COUNT(*) FROM credentials c WHERE {condition}"), &args)?.i64(0)?
    };
    let n = args.len();
    let mut all = args.clone();
    all.extend([Param::Int(i64::from(page.limit)), Param::Int(i64::from(page.offset))]);
    let rows = c.query(
        &format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials c WHERE {condition} ORDER BY {} LIMIT ${} OFFSET ${}",
            filter.order_by(),
            n + 1,
            n + 2
        ),
        &all,
    )?;
    let credentials = credential_list(c, rows)?;
    Ok(CredentialPage { page: PageInfo::new(total, page, credentials.len()), credentials })
}

/// Every credential that passes `filter`, in its order, handed to `each` one at a time as the database returns
/// them (the export: memory does not grow with the list).
pub fn export(
    c: &mut dyn Sql,
    filter: &Filter,
    each: &mut dyn FnMut(CredentialSummary) -> Result<(), StoreError>,
) -> Result<(), QueryError> {
    let (condition, args) = filter.condition(c.backend());
    // Every rule of each credential, space-separated in rule order, from the row's own subquery.
    let rules = match c.backend() {
        Backend::Sqlite => "group_concat(rule, ' ' ORDER BY rule)",
        Backend::Postgres => "string_agg(rule, ' ' ORDER BY rule)",
    };
    let sql = format!(
        "SELECT {CREDENTIAL_COLUMNS}, (SELECT {rules} FROM credential_rules r WHERE r.fingerprint = c.fingerprint)
         FROM credentials c WHERE {condition} ORDER BY {}",
        filter.order_by()
    );
    c.query_each(&sql, &args, &mut |r| {
        let rules = r.opt_text(15)?.unwrap_or("").split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        each(credential_row(&r, rules)?)
    })?;
    Ok(())
}

/// The credentials on the most hosts now (at least two), most widespread first, each with up to `named` of its
/// hosts: the page's "most widely shared" table and `GET /v1/shared`.
pub fn shared(c: &mut dyn Sql, limit: u32, named: u32) -> Result<Vec<CredentialSummary>, QueryError> {
    let rows = c.query(
        &format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials c WHERE c.hosts > 1
             ORDER BY c.hosts DESC, c.worst_rank DESC, c.fingerprint LIMIT $1"
        ),
        args![i64::from(limit)],
    )?;
    let mut list = credential_list(c, rows)?;
    for cred in &mut list {
        // The first few hosts by id among its current findings: a walk of the `findings_current` index that stops
        // once enough distinct hosts are found.
        cred.some_hosts = c
            .query(
                "SELECT h.id, h.hostname FROM hosts h WHERE h.id IN (
                     SELECT f.host_id FROM findings f WHERE f.fingerprint = $1 AND f.is_current)
                 ORDER BY h.hostname, h.id LIMIT $2",
                args![&cred.fingerprint, i64::from(named)],
            )?
            .iter()
            .map(|r| Ok(HostRef { id: r.i64(0)?, hostname: r.text(1)?.to_owned() }))
            .collect::<Result<_, StoreError>>()?;
    }
    Ok(list)
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
        scope: r.opt_text(11)?.map(str::to_owned),
    })
}

/// The columns [`sighting`] reads, and the order of a credential's sightings (newest first; the
/// `findings_fingerprint` index).
const SIGHTING_SELECT: &str = "
    SELECT f.host_id, h.hostname, f.user_name, f.path, f.line, f.rule, f.severity, f.risks, f.scanned_at,
           f.report_id, f.is_current, s.label
    FROM findings f JOIN hosts h ON h.id = f.host_id LEFT JOIN scopes s ON s.id = f.scope_id";
const SIGHTING_ORDER: &str = "f.scanned_at DESC, f.host_id, f.path, f.id";

/// `GET /v1/credentials/{fingerprint}`: where it is now (`current`, one page) and every sighting ever (`history`,
/// resolved ones included, one page).
pub fn credential(c: &mut dyn Sql, fp: &str, current: Page, history: Page) -> Result<CredentialDetail, QueryError> {
    let fp = normalize_fingerprint(fp);
    let row = c
        .query_opt(&format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials c WHERE c.fingerprint = $1"), args![&fp])?
        .ok_or_else(|| QueryError::NotFound("no credential with this fingerprint".into()))?;
    let summary = credential_list(c, vec![row])?.remove(0);
    let (now, current_next_offset) = paged(
        c,
        &format!(
            "{SIGHTING_SELECT} WHERE f.fingerprint = $1 AND f.is_current ORDER BY {SIGHTING_ORDER} LIMIT $2 OFFSET $3"
        ),
        args![&fp],
        current,
        sighting,
    )?;
    let (history, history_next_offset) = paged(
        c,
        &format!("{SIGHTING_SELECT} WHERE f.fingerprint = $1 ORDER BY {SIGHTING_ORDER} LIMIT $2 OFFSET $3"),
        args![&fp],
        history,
        sighting,
    )?;
    Ok(CredentialDetail { summary, current: now, current_next_offset, history, history_next_offset })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprint_prefix_optional() {
        use super::normalize_fingerprint;
        assert_eq!(normalize_fingerprint("abc"), "sha256:abc");
        assert_eq!(normalize_fingerprint("sha256:abc"), "sha256:abc");
        assert_eq!(normalize_fingerprint("hmac-sha256:abc"), "hmac-sha256:abc");
    }
}
