//! The credential list's filters, search and order (issue #15): from query parameters to one SQL condition over
//! the maintained `credentials` rows and their current findings.
//!
//! Credential-level conditions (worst severity, number of hosts, first and last seen) read the credential row;
//! finding-level ones (provider, rule, kind, risk, user, host, path, agent tool and MCP server) keep a credential when
//! one of its current findings matches all of them at once (an `EXISTS` probe of the `findings_current` index). Every
//! value is a bound parameter; a value is checked (a known severity, risk label or order, a real date) and a refusal
//! names the parameter, never what was sent.

use super::{Params, QueryError};
use crate::model::{severity_rank, SEVERITIES};
use crate::store::{Backend, Param};

/// Exact-match filters on a current finding: (query parameter, column).
const EQUAL: &[(&str, &str)] = &[
    ("provider", "f.provider"),
    ("rule", "f.rule"),
    ("kind", "f.kind"),
    ("user", "f.user_name"),
    ("tool", "f.tool"),
    ("server", "f.server"),
];

/// The risk labels a finding can carry (`schema/report.schema.json`).
pub const RISKS: &[&str] = &[
    "world-readable",
    "group-readable",
    "permissions-too-open",
    "in-git-worktree",
    "tracked",
    "old",
    "expired",
    "no-expiry",
];

/// Every parameter the credential list takes besides paging.
pub const NAMES: &[&str] = &[
    "provider",
    "rule",
    "kind",
    "user",
    "tool",
    "server",
    "severity",
    "risk",
    "host",
    "path",
    "min_hosts",
    "first_seen_since",
    "first_seen_before",
    "last_seen_since",
    "last_seen_before",
    "sort",
    "order",
];

/// The orders of the credential list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Worst severity first, then most hosts (the default).
    Severity,
    /// Most hosts first.
    Hosts,
    /// Most current locations first.
    Locations,
    /// Oldest first seen first.
    FirstSeen,
    /// Most recently seen first.
    LastSeen,
    /// Standing credentials: known to exist the longest first (first seen, a file holding it last modified, a JWT
    /// issued — the earliest of them).
    Age,
}

impl Sort {
    pub const ALL: &[(&str, Sort)] = &[
        ("severity", Sort::Severity),
        ("hosts", Sort::Hosts),
        ("locations", Sort::Locations),
        ("first_seen", Sort::FirstSeen),
        ("last_seen", Sort::LastSeen),
        ("age", Sort::Age),
    ];

    pub fn name(self) -> &'static str {
        Sort::ALL.iter().find(|(_, s)| *s == self).map_or("severity", |(n, _)| n)
    }

    /// The columns, each descending when `true` (before the `order` parameter flips them); the `credentials_*` index
    /// of the same order serves each.
    fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            Sort::Severity => &[("c.worst_rank", true), ("c.hosts", true)],
            Sort::Hosts => &[("c.hosts", true), ("c.worst_rank", true)],
            Sort::Locations => &[("c.locations", true)],
            Sort::FirstSeen => &[("c.first_seen", false)],
            Sort::LastSeen => &[("c.last_seen", true)],
            Sort::Age => &[("c.known_since", false)],
        }
    }
}

/// A parsed filter and order.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub equal: Vec<(&'static str, String)>,
    /// Worst current severity, any of these ranks.
    pub severities: Vec<i64>,
    pub risk: Option<String>,
    /// The risk label as it appears in the stored JSON array (`"world-readable"`, quotes included).
    pub risk_json: Option<String>,
    pub host: Option<String>,
    /// Substring of a current finding's path (case-sensitive, as paths are).
    pub path: Option<String>,
    pub min_hosts: Option<i64>,
    /// (parameter, column, operator, timestamp).
    pub times: Vec<(&'static str, &'static str, &'static str, String)>,
    pub sort: Option<Sort>,
    /// `order=asc|desc` against the sort's own direction.
    pub flip: bool,
}

/// `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`, a real date: the stored form, so it compares as text.
fn timestamp(name: &str, v: &str) -> Result<String, QueryError> {
    let t = if v.len() == 10 { format!("{v}T00:00:00Z") } else { v.to_owned() };
    let ok = t.len() == 20 && t.ends_with('Z') && humantime::parse_rfc3339(&t).is_ok();
    ok.then_some(t).ok_or_else(|| QueryError::Invalid(format!("{name} takes a date (YYYY-MM-DD) or a UTC time")))
}

impl Filter {
    pub fn parse(params: &Params) -> Result<Filter, QueryError> {
        let bad = |m: String| QueryError::Invalid(m);
        let mut f = Filter::default();
        for (name, column) in EQUAL {
            if let Some(v) = params.get(name).filter(|v| !v.is_empty()) {
                f.equal.push((column, v.to_owned()));
            }
        }
        if let Some(v) = params.get("severity").filter(|v| !v.is_empty()) {
            for s in v.split(',') {
                if !SEVERITIES.contains(&s) {
                    return Err(bad(format!("severity takes {} (comma-separated)", SEVERITIES.join(", "))));
                }
                f.severities.push(severity_rank(s));
            }
        }
        if let Some(v) = params.get("risk").filter(|v| !v.is_empty()) {
            if !RISKS.contains(&v) {
                return Err(bad(format!("risk takes one of {}", RISKS.join(", "))));
            }
            f.risk = Some(v.to_owned());
            f.risk_json = Some(format!("\"{v}\""));
        }
        f.host = params.get("host").filter(|v| !v.is_empty()).map(str::to_owned);
        f.path = params.get("path").filter(|v| !v.is_empty()).map(str::to_owned);
        if let Some(v) = params.get("min_hosts").filter(|v| !v.is_empty()) {
            let n = v.parse::<i64>().ok().filter(|n| *n >= 1);
            f.min_hosts = Some(n.ok_or_else(|| bad("min_hosts takes a whole number from 1".into()))?);
        }
        for (name, column, op) in [
            ("first_seen_since", "c.first_seen", ">="),
            ("first_seen_before", "c.first_seen", "<"),
            ("last_seen_since", "c.last_seen", ">="),
            ("last_seen_before", "c.last_seen", "<"),
        ] {
            if let Some(v) = params.get(name).filter(|v| !v.is_empty()) {
                f.times.push((name, column, op, timestamp(name, v)?));
            }
        }
        if let Some(v) = params.get("sort").filter(|v| !v.is_empty()) {
            let sort = Sort::ALL.iter().find(|(n, _)| *n == v).map(|(_, s)| *s);
            let names: Vec<&str> = Sort::ALL.iter().map(|(n, _)| *n).collect();
            f.sort = Some(sort.ok_or_else(|| bad(format!("sort takes one of {}", names.join(", "))))?);
        }
        f.flip = match params.get("order").unwrap_or("") {
            "" => false,
            o @ ("asc" | "desc") => {
                let descending = f.sort.unwrap_or(Sort::Severity).columns()[0].1;
                (o == "desc") != descending
            }
            _ => return Err(bad("order takes asc or desc".into())),
        };
        Ok(f)
    }

    /// No condition at all (the whole current list: its total is a maintained counter).
    pub fn is_empty(&self) -> bool {
        self.equal.is_empty()
            && self.severities.is_empty()
            && self.risk.is_none()
            && self.host.is_none()
            && self.path.is_none()
            && self.min_hosts.is_none()
            && self.times.is_empty()
    }

    /// The `WHERE` condition over `credentials c`, and its parameters (numbered from `$1`).
    pub fn condition(&self, backend: Backend) -> (String, Vec<Param<'_>>) {
        let mut params: Vec<Param> = Vec::new();
        let mut c = vec!["c.hosts > 0".to_owned()];
        if let Some(n) = self.min_hosts {
            params.push(Param::Int(n));
            c.push(format!("c.hosts >= ${}", params.len()));
        }
        if !self.severities.is_empty() {
            // Ranks are integers checked against the known severities: written into the statement.
            let ranks: Vec<String> = self.severities.iter().map(i64::to_string).collect();
            c.push(format!("c.worst_rank IN ({})", ranks.join(", ")));
        }
        for (_, column, op, t) in &self.times {
            params.push(Param::Text(t));
            c.push(format!("{column} {op} ${}", params.len()));
        }
        let mut f: Vec<String> = Vec::new();
        for (column, v) in &self.equal {
            params.push(Param::Text(v));
            f.push(format!("{column} = ${}", params.len()));
        }
        if let Some(host) = &self.host {
            params.push(Param::Text(host));
            let n = params.len();
            let by_id = match host.parse::<i64>() {
                Ok(id) => {
                    params.push(Param::Int(id));
                    format!(" OR h.id = ${}", params.len())
                }
                Err(_) => String::new(),
            };
            f.push(format!(
                "f.host_id IN (SELECT h.id FROM hosts h WHERE h.host_key = ${n} OR h.hostname = ${n}{by_id})"
            ));
        }
        if let Some(path) = &self.path {
            params.push(Param::Text(path));
            f.push(contains(backend, "f.path", params.len()));
        }
        if let Some(quoted) = &self.risk_json {
            // Stored as a JSON array of labels; a label is a known word, so its quoted form is a plain substring.
            params.push(Param::Text(quoted));
            f.push(contains(backend, "f.risks", params.len()));
        }
        if !f.is_empty() {
            c.push(format!(
                "EXISTS (SELECT 1 FROM findings f WHERE f.fingerprint = c.fingerprint AND f.is_current AND {})",
                f.join(" AND ")
            ));
        }
        (c.join(" AND "), params)
    }

    /// `ORDER BY` columns, the fingerprint last (a total order, so pages never overlap).
    pub fn order_by(&self) -> String {
        let dir = |descending: bool| if descending != self.flip { "DESC" } else { "ASC" };
        let mut cols: Vec<String> =
            self.sort.unwrap_or(Sort::Severity).columns().iter().map(|(c, d)| format!("{c} {}", dir(*d))).collect();
        cols.push(format!("c.fingerprint {}", dir(false)));
        cols.join(", ")
    }

    /// The query string that selects this filter and order (for links between pages and to the export).
    pub fn query_string(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (name, column) in EQUAL {
            for (c, v) in &self.equal {
                if c == column {
                    q.append_pair(name, v);
                }
            }
        }
        if !self.severities.is_empty() {
            let names: Vec<&str> = self.severities.iter().map(|r| crate::model::severity_name(*r)).collect();
            q.append_pair("severity", &names.join(","));
        }
        for (name, v) in [("risk", &self.risk), ("host", &self.host), ("path", &self.path)] {
            if let Some(v) = v {
                q.append_pair(name, v);
            }
        }
        if let Some(n) = self.min_hosts {
            q.append_pair("min_hosts", &n.to_string());
        }
        for (name, _, _, t) in &self.times {
            q.append_pair(name, t);
        }
        if let Some(s) = self.sort {
            q.append_pair("sort", s.name());
        }
        if self.flip {
            let descending = self.sort.unwrap_or(Sort::Severity).columns()[0].1;
            q.append_pair("order", if descending { "asc" } else { "desc" });
        }
        q.finish()
    }
}

/// "`hay` contains parameter `$n`": the one place the two engines' SQL differs in a query (SQLite `instr`,
/// PostgreSQL `strpos`; both compare bytes, case-sensitively).
pub fn contains(backend: Backend, hay: &str, n: usize) -> String {
    match backend {
        Backend::Sqlite => format!("instr({hay}, ${n}) > 0"),
        Backend::Postgres => format!("strpos({hay}, ${n}) > 0"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Filter, QueryError> {
        Filter::parse(&Params::parse(Some(q)))
    }

    #[test]
    fn parameters_are_checked_and_round_trip() {
        let f = parse("rule=aws-key&severity=high,critical&risk=world-readable&host=alpha&path=.ssh&min_hosts=2&first_seen_since=2026-01-01&sort=age&order=desc").unwrap();
        assert_eq!(f.severities, vec![3, 4]);
        assert_eq!(f.times[0].3, "2026-01-01T00:00:00Z");
        assert!(f.flip, "age is oldest first; desc flips it");
        assert_eq!(f.order_by(), "c.known_since DESC, c.fingerprint DESC");
        let again = parse(&f.query_string()).unwrap();
        assert_eq!(again.query_string(), f.query_string());
        let (cond, params) = f.condition(Backend::Sqlite);
        assert!(cond.contains("EXISTS") && cond.contains("instr(f.path,") && cond.contains("c.worst_rank IN (3, 4)"));
        assert_eq!(params.len(), 6, "{cond}");
        for bad in
            ["severity=apocalyptic", "risk=<b>", "min_hosts=0", "first_seen_since=2026-02-30", "sort=x", "order=up"]
        {
            let e = parse(bad).err().unwrap();
            let QueryError::Invalid(m) = e else { panic!("{bad}") };
            assert!(!m.contains("apocalyptic") && !m.contains("<b>"), "{m}");
        }
        assert!(parse("").unwrap().is_empty());
        assert_eq!(parse("").unwrap().order_by(), "c.worst_rank DESC, c.hosts DESC, c.fingerprint ASC");
    }
}
