//! The fleet at a glance ([`summary`]) and AI-agent exposure ([`agents`]): which agent tools — MCP clients'
//! configs, agents' transcripts — hold which secrets, on how many hosts.

use super::{Page, PageInfo, QueryError};
use crate::model::{agent_label, SEVERITIES};
use crate::store::{in_chunks, Param, Sql, StoreError};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};

/// Counts in a fixed order, serialized as one JSON object with its keys in that order (worst severity first; the
/// most common kind first), not sorted by name.
#[derive(Debug, Default)]
pub struct Ordered(pub Vec<(String, i64)>);

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `GET /v1/summary`: counts of distinct credentials (fingerprints) in the current state.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub hosts: i64,
    pub reports: i64,
    pub credentials: i64,
    pub findings: i64,
    /// Most credentials first (ties by name).
    pub by_kind: Ordered,
    /// Worst first: critical, high, medium, low, info.
    pub by_severity: Ordered,
    pub unencrypted_private_keys: i64,
    pub mcp_secrets: i64,
    pub on_multiple_hosts: i64,
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
    let mut by_kind: Vec<(String, i64)> =
        counts.iter().filter_map(|(k, v)| Some((k.strip_prefix("kind:")?.to_owned(), *v))).collect();
    by_kind.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let by_severity =
        SEVERITIES.iter().rev().filter_map(|s| Some((s.to_string(), *counts.get(&format!("severity:{s}"))?))).collect();
    Ok(Summary {
        hosts: n("hosts"),
        reports: n("reports"),
        credentials: n("credentials"),
        findings: n("findings"),
        by_kind: Ordered(by_kind),
        by_severity: Ordered(by_severity),
        unencrypted_private_keys: n("unencrypted_private_keys"),
        mcp_secrets: n("mcp_secrets"),
        on_multiple_hosts: n("on_multiple_hosts"),
    })
}

/// One secret an agent tool holds.
#[derive(Debug, Clone, Serialize)]
pub struct AgentSecret {
    pub fingerprint: String,
    pub rule: String,
    pub kind: String,
    pub redacted: String,
    pub severity: String,
    /// Hosts where this tool (and server) holds it.
    pub hosts: i64,
}

/// One agent tool and MCP server (none for a transcript, or a config value outside a server entry).
#[derive(Debug, Clone, Serialize)]
pub struct AgentGroup {
    pub tool: String,
    /// The tool's name as people know it (Claude Desktop, Cursor, VS Code …).
    pub client: String,
    pub server: Option<String>,
    /// Distinct credentials, hosts, and current findings.
    pub credentials: i64,
    pub hosts: i64,
    pub findings: i64,
    /// The secrets on the most hosts, at most [`SECRETS_PER_GROUP`].
    pub secrets: Vec<AgentSecret>,
}

/// A group being counted, and its secrets so far: (fingerprint, hosts).
type Counting = (AgentGroup, Vec<(String, i64)>);

/// Secrets listed per group (the credential list filtered by `tool` and `server` has them all).
pub const SECRETS_PER_GROUP: usize = 10;

/// `GET /v1/agents`: fleet-wide totals and one page of groups.
#[derive(Debug, Serialize)]
pub struct Agents {
    /// Distinct credentials and hosts held by any agent tool.
    pub credentials: i64,
    pub hosts: i64,
    #[serde(flatten)]
    pub page: PageInfo,
    /// By tool, then server.
    pub groups: Vec<AgentGroup>,
}

/// AI-agent exposure, grouped by tool and MCP server, from the current findings an agent holds (MCP client configs
/// and agent transcripts; the `findings_agent` index). The work is linear in those findings, which are a small part
/// of an inventory; the answer is one page of groups, each with its most widespread secrets.
pub fn agents(c: &mut dyn Sql, page: Page) -> Result<Agents, QueryError> {
    let totals = c.query_one(
        "SELECT COUNT(DISTINCT fingerprint), COUNT(DISTINCT host_id) FROM findings WHERE is_current AND agent",
        &[],
    )?;
    // Per (tool, server, fingerprint): hosts and findings, streamed; groups add up, each keeps its top secrets.
    let mut groups: BTreeMap<(String, String), Counting> = BTreeMap::new();
    c.query_each(
        "SELECT COALESCE(tool, ''), COALESCE(server, ''), fingerprint, COUNT(DISTINCT host_id), COUNT(*)
         FROM findings WHERE is_current AND agent GROUP BY tool, server, fingerprint",
        &[],
        &mut |r| {
            let (tool, server) = (r.text(0)?.to_owned(), r.text(1)?.to_owned());
            let (hosts, findings) = (r.i64(3)?, r.i64(4)?);
            let (g, top) = groups.entry((tool.clone(), server.clone())).or_insert_with(|| {
                let group = AgentGroup {
                    client: agent_label(&tool).to_owned(),
                    tool,
                    server: (!server.is_empty()).then_some(server),
                    credentials: 0,
                    hosts: 0,
                    findings: 0,
                    secrets: Vec::new(),
                };
                (group, Vec::new())
            });
            g.credentials += 1;
            g.findings += findings;
            top.push((r.text(2)?.to_owned(), hosts));
            // Bounded: keep the most widespread, sorted, once the list doubles.
            if top.len() >= 2 * SECRETS_PER_GROUP {
                top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                top.truncate(SECRETS_PER_GROUP);
            }
            Ok(())
        },
    )?;
    let total = groups.len() as i64;
    let mut shown: Vec<Counting> = groups.into_values().skip(page.offset as usize).take(page.limit as usize).collect();
    group_hosts(c, &mut shown)?;
    describe(c, &mut shown)?;
    let groups: Vec<AgentGroup> = shown.into_iter().map(|(g, _)| g).collect();
    Ok(Agents {
        credentials: totals.i64(0)?,
        hosts: totals.i64(1)?,
        page: PageInfo::new(total, page, groups.len()),
        groups,
    })
}

/// Each shown group's distinct hosts (not the sum over its secrets: one host may hold several).
fn group_hosts(c: &mut dyn Sql, shown: &mut [Counting]) -> Result<(), StoreError> {
    for (g, _) in shown.iter_mut() {
        g.hosts = c
            .query_one(
                "SELECT COUNT(DISTINCT host_id) FROM findings
                 WHERE is_current AND agent AND COALESCE(tool, '') = $1 AND COALESCE(server, '') = $2",
                &[Param::Text(&g.tool), Param::Text(g.server.as_deref().unwrap_or(""))],
            )?
            .i64(0)?;
    }
    Ok(())
}

/// The shown groups' top secrets, described from their credential rows (one query per hundred).
fn describe(c: &mut dyn Sql, shown: &mut [Counting]) -> Result<(), StoreError> {
    for (_, top) in shown.iter_mut() {
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(SECRETS_PER_GROUP);
    }
    let fps: Vec<Param> = shown.iter().flat_map(|(_, top)| top.iter().map(|(fp, _)| Param::Text(fp))).collect();
    let mut described: HashMap<String, [String; 4]> = HashMap::new();
    in_chunks(
        c,
        "SELECT fingerprint, rule, kind, redacted, worst_rank FROM credentials WHERE fingerprint IN ({in})",
        &fps,
        |r| {
            let severity = crate::model::severity_name(r.i64(4)?).to_owned();
            let d = [r.text(1)?.to_owned(), r.text(2)?.to_owned(), r.text(3)?.to_owned(), severity];
            described.insert(r.text(0)?.to_owned(), d);
            Ok(())
        },
    )?;
    for (g, top) in shown.iter_mut() {
        g.secrets = top
            .iter()
            .filter_map(|(fp, hosts)| {
                let [rule, kind, redacted, severity] = described.get(fp)?.clone();
                Some(AgentSecret { fingerprint: fp.clone(), rule, kind, redacted, severity, hosts: *hosts })
            })
            .collect();
    }
    Ok(())
}
