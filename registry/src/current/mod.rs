//! The current state of the fleet, kept as data by every upload rather than aggregated on every request.
//!
//! With 10,000 hosts of 50 findings, "every credential present now, worst first" is half a million current findings
//! to group and sort per request. Instead each upload maintains, inside its own transaction:
//! - `findings.is_current`: the finding is in its host's current inventory (see [`resolve`]: a host's current
//!   inventory is a set of locations, each attributed to the newest report that saw it, and a report resolves only
//!   what its scope covered);
//! - `credentials`: one row per fingerprint ever seen — history bounds (`first_seen`, `last_seen`, and its age:
//!   `known_since`, the oldest file modification, JWT issue and expiry), the current aggregates (`hosts`,
//!   `locations`, findings per kind and per risk label, unencrypted keys, MCP configs, `worst_rank`) and the worst
//!   current sighting, which describes it — so the credential list is an index range scan;
//! - `credential_rules`: every rule that ever matched a fingerprint;
//! - `fleet_counts`: the counters behind `/v1/summary`, changed by the difference each credential's new state makes.
//!
//! An upload changes every count of a credential by what it made current minus what it resolved or superseded on
//! its host: the update reads the host's current findings and the report's, never the credential's sightings on
//! other hosts, so a key copied onto every host of the fleet costs the same as any other. Only the worst sighting is
//! looked up again, with one seek in the `findings_current` index. [`rebuild`] recomputes everything from the
//! findings by grouping instead; it fills the tables when migrating an existing database, and the tests use it as
//! the oracle for the incremental path.

mod rebuild;
mod resolve;

pub use rebuild::rebuild;
#[cfg(test)]
pub use rebuild::snapshot;
pub use resolve::{apply, Incoming};

use crate::model::severity_name;
use crate::store::{args, in_chunks, Param, Row, Sql, StoreError};
use std::collections::BTreeMap;

/// The current aggregates of one credential (zero and empty once resolved everywhere).
#[derive(Clone, Debug, Default, PartialEq)]
struct State {
    hosts: i64,
    locations: i64,
    /// Current findings per kind, and per risk label (labels of every current finding).
    kinds: BTreeMap<String, i64>,
    risks: BTreeMap<String, i64>,
    /// Current findings that are unencrypted private keys; that are in MCP configs.
    unencrypted: i64,
    mcp: i64,
    /// Highest current `severity_rank`, -1 when resolved.
    worst_rank: i64,
}

impl State {
    /// The `fleet_counts` rows this credential adds one to.
    fn counters(&self) -> Vec<String> {
        if self.hosts <= 0 {
            return Vec::new();
        }
        let severity = severity_name(self.worst_rank);
        let mut out = vec!["credentials".to_owned(), format!("severity:{severity}")];
        out.extend(self.kinds.iter().filter(|(_, n)| **n > 0).map(|(k, _)| format!("kind:{k}")));
        for (flag, name) in [
            (self.hosts > 1, "on_multiple_hosts"),
            (self.unencrypted > 0, "unencrypted_private_keys"),
            (self.mcp > 0, "mcp_secrets"),
        ] {
            if flag {
                out.push(name.to_owned());
            }
        }
        out
    }

    /// Add `sign` × some findings of this credential (`sign` -1 takes resolved or superseded ones away).
    fn add(&mut self, report: &Sightings, sign: i64) {
        self.locations += sign * report.findings;
        self.unencrypted += sign * report.unencrypted;
        self.mcp += sign * report.mcp;
        for (map, from) in [(&mut self.kinds, &report.kinds), (&mut self.risks, &report.risks)] {
            for (k, n) in from {
                *map.entry(k.clone()).or_default() += sign * n;
            }
            map.retain(|_, n| *n != 0);
        }
    }
}

/// Some findings of one credential, counted.
#[derive(Default)]
struct Sightings {
    findings: i64,
    kinds: BTreeMap<String, i64>,
    risks: BTreeMap<String, i64>,
    unencrypted: i64,
    mcp: i64,
}

impl Sightings {
    /// Count one finding: its kind, its risk labels (a JSON array), whether it is an unencrypted key, an MCP secret.
    fn count(&mut self, kind: &str, risks: &str, key_encrypted: Option<bool>, mcp: bool) {
        self.findings += 1;
        *self.kinds.entry(kind.to_owned()).or_default() += 1;
        for risk in serde_json::from_str::<Vec<String>>(risks).unwrap_or_default() {
            *self.risks.entry(risk).or_default() += 1;
        }
        self.unencrypted += i64::from(key_encrypted == Some(false));
        self.mcp += i64::from(mcp);
    }
}

/// What one upload changes of one credential: the current findings it resolved or superseded, the ones it made
/// current, and the change in the number of hosts holding it (-1, 0 or 1).
#[derive(Default)]
pub(crate) struct Change {
    removed: Sightings,
    added: Sightings,
    hosts: i64,
}

/// How a credential is described: its worst sighting's kind, rule, redacted form and identifier.
type Description = [Option<String>; 4];

fn description(r: &Row, from: usize) -> Result<Description, StoreError> {
    let text = |i| r.opt_text(from + i).map(|t| t.map(str::to_owned));
    Ok([text(0)?, text(1)?, text(2)?, text(3)?])
}

fn json_map(text: &str) -> BTreeMap<String, i64> {
    serde_json::from_str(text).unwrap_or_default()
}

fn map_json(map: &BTreeMap<String, i64>) -> String {
    serde_json::to_string(map).unwrap_or_else(|_| "{}".into())
}

/// A credential as stored, and its worst current sighting as found now.
struct Stored {
    state: State,
    description: Description,
    worst: Option<(i64, Description)>,
}

/// Counter changes accumulated during one transaction, written once at the end.
#[derive(Default)]
pub struct Deltas(BTreeMap<String, i64>);

impl Deltas {
    pub fn add(&mut self, name: &str, n: i64) {
        *self.0.entry(name.to_owned()).or_default() += n;
    }

    /// Write the non-zero changes, in one statement (in name order: a fixed lock order, should writers ever run
    /// concurrently).
    pub fn apply(self, c: &mut dyn Sql) -> Result<(), StoreError> {
        let changes: Vec<(String, i64)> = self.0.into_iter().filter(|(_, n)| *n != 0).collect();
        if changes.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = (0..changes.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
        let params: Vec<Param> = changes.iter().flat_map(|(name, n)| [Param::Text(name), Param::Int(*n)]).collect();
        c.execute(
            &format!(
                "INSERT INTO fleet_counts (name, n) VALUES {}
                 ON CONFLICT (name) DO UPDATE SET n = fleet_counts.n + excluded.n",
                values.join(", ")
            ),
            &params,
        )?;
        Ok(())
    }
}

/// A stored report's history side: its fingerprints exist in `credentials` (with first/last seen widened to its
/// scan time) and its rules in `credential_rules`. Runs for every stored report, current or not.
/// A stored report's history side: its fingerprints exist in `credentials` (with first/last seen widened to its
/// scan time, and the age columns to its files' modification times and its JWTs' issue and expiry) and its rules in
/// `credential_rules`. Runs for every stored report, current or not. Every column here is a minimum or maximum over
/// all history, so it only ever widens.
pub fn record_history(c: &mut dyn Sql, report_id: i64, scanned_at: &str) -> Result<(), StoreError> {
    // The descriptive columns of a new row are placeholders here: `update` sets them in the same transaction.
    c.execute(
        "INSERT INTO credentials (fingerprint, kind, rule, redacted, identifier, first_seen, last_seen, hosts,
             locations, worst_rank, kinds, risks, unencrypted, mcp, known_since, modified_oldest, issued_at,
             expires_at)
         SELECT fingerprint, MIN(kind), MIN(rule), MIN(redacted), MIN(identifier), CAST($2 AS TEXT),
             CAST($2 AS TEXT), 0, 0, -1, '{}', '{}', 0, 0, CAST($2 AS TEXT), MIN(file_modified), MIN(issued_at),
             MAX(expires_at)
         FROM findings WHERE report_id = $1 GROUP BY fingerprint
         ON CONFLICT (fingerprint) DO UPDATE SET
             first_seen = CASE WHEN excluded.first_seen < credentials.first_seen
                               THEN excluded.first_seen ELSE credentials.first_seen END,
             last_seen = CASE WHEN excluded.last_seen > credentials.last_seen
                              THEN excluded.last_seen ELSE credentials.last_seen END,
             modified_oldest = CASE WHEN credentials.modified_oldest IS NULL
                                         OR excluded.modified_oldest < credentials.modified_oldest
                                    THEN excluded.modified_oldest ELSE credentials.modified_oldest END,
             issued_at = CASE WHEN credentials.issued_at IS NULL OR excluded.issued_at < credentials.issued_at
                              THEN excluded.issued_at ELSE credentials.issued_at END,
             expires_at = CASE WHEN credentials.expires_at IS NULL OR excluded.expires_at > credentials.expires_at
                               THEN excluded.expires_at ELSE credentials.expires_at END",
        args![report_id, scanned_at],
    )?;
    // Known since: the earliest of first seen, a file holding it last modified, a JWT issued.
    c.execute(
        &format!(
            "UPDATE credentials SET known_since = {KNOWN_SINCE}
             WHERE fingerprint IN (SELECT fingerprint FROM findings WHERE report_id = $1)"
        ),
        args![report_id],
    )?;
    c.execute(
        "INSERT INTO credential_rules (fingerprint, rule)
         SELECT DISTINCT fingerprint, rule FROM findings WHERE report_id = $1
         ON CONFLICT (fingerprint, rule) DO NOTHING",
        args![report_id],
    )?;
    Ok(())
}

/// The earliest of a credential row's `first_seen`, `modified_oldest` and `issued_at` (the last two may be NULL;
/// timestamps are fixed-width RFC 3339, so they compare as text).
const KNOWN_SINCE: &str = "CASE
    WHEN modified_oldest IS NOT NULL AND modified_oldest < first_seen
         AND (issued_at IS NULL OR modified_oldest <= issued_at) THEN modified_oldest
    WHEN issued_at IS NOT NULL AND issued_at < first_seen THEN issued_at
    ELSE first_seen END";

/// Apply `changes` (per fingerprint) to the stored credentials: look up each one's worst current sighting (the flags
/// are already flipped), write what changed and count the difference in the fleet counters.
fn update(c: &mut dyn Sql, changes: &BTreeMap<String, Change>, deltas: &mut Deltas) -> Result<(), StoreError> {
    let before = stored(c, changes)?;
    let mut changed: Vec<(&str, State, Description)> = Vec::new();
    for (fp, change) in changes {
        let Some(Stored { state: old, description: old_desc, worst }) = before.get(fp) else {
            return Err(StoreError::msg(format!("credential {fp} missing from the credentials table")));
        };
        let mut new = old.clone();
        new.add(&change.removed, -1);
        new.add(&change.added, 1);
        new.hosts += change.hosts;
        let (worst, desc) = if new.hosts > 0 {
            // The worst current sighting (ties: the first stored).
            worst
                .clone()
                .ok_or_else(|| StoreError::msg(format!("credential {fp}: counted current, no current finding")))?
        } else {
            // Resolved everywhere (now, or already before a late upload): described by its worst sighting ever.
            let r = c.query_one(
                "SELECT kind, rule, redacted, identifier FROM findings WHERE fingerprint = $1
                 ORDER BY severity_rank DESC, id LIMIT 1",
                args![fp],
            )?;
            (-1, description(&r, 0)?)
        };
        new.worst_rank = worst;
        if new == *old && desc == *old_desc {
            continue;
        }
        for name in old.counters() {
            deltas.add(&name, -1);
        }
        for name in new.counters() {
            deltas.add(&name, 1);
        }
        changed.push((fp, new, desc));
    }
    write_changed(c, &changed)
}

/// Each changed credential as stored, and its worst current sighting now: one index seek per credential, inside the
/// statement.
fn stored(c: &mut dyn Sql, changes: &BTreeMap<String, Change>) -> Result<BTreeMap<String, Stored>, StoreError> {
    let fps: Vec<Param> = changes.keys().map(Param::from).collect();
    let mut before: BTreeMap<String, Stored> = BTreeMap::new();
    in_chunks(
        c,
        "SELECT c.fingerprint, c.hosts, c.locations, c.kinds, c.risks, c.unencrypted, c.mcp, c.worst_rank, c.kind,
                c.rule, c.redacted, c.identifier, w.severity_rank, w.kind, w.rule, w.redacted, w.identifier
         FROM credentials c
         LEFT JOIN findings w ON w.id = (
             SELECT f.id FROM findings f WHERE f.fingerprint = c.fingerprint AND f.is_current
             ORDER BY f.severity_rank DESC, f.id LIMIT 1)
         WHERE c.fingerprint IN ({in})",
        &fps,
        |r| {
            let state = State {
                hosts: r.i64(1)?,
                locations: r.i64(2)?,
                kinds: json_map(r.text(3)?),
                risks: json_map(r.text(4)?),
                unencrypted: r.i64(5)?,
                mcp: r.i64(6)?,
                worst_rank: r.i64(7)?,
            };
            let worst = match r.opt_i64(12)? {
                Some(rank) => Some((rank, description(&r, 13)?)),
                None => None,
            };
            before.insert(r.text(0)?.to_owned(), Stored { state, description: description(&r, 8)?, worst });
            Ok(())
        },
    )?;
    Ok(before)
}

/// Credentials per statement when writing changed rows.
const ROWS_PER_STATEMENT: usize = 32;

/// Write the new state of changed credentials, several per statement (each statement is a round trip on
/// PostgreSQL). Every row exists already (`record_history`), so the insert always takes the update path and the
/// history columns it would insert are never used.
fn write_changed(c: &mut dyn Sql, changed: &[(&str, State, Description)]) -> Result<(), StoreError> {
    const COLUMNS: usize = 12;
    let texts: Vec<(String, String)> =
        changed.iter().map(|(_, s, _)| (map_json(&s.kinds), map_json(&s.risks))).collect();
    for (chunk, texts) in changed.chunks(ROWS_PER_STATEMENT).zip(texts.chunks(ROWS_PER_STATEMENT)) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=COLUMNS).map(|j| format!("${}", i * COLUMNS + j)).collect();
                format!("({}, '', '')", p.join(", "))
            })
            .collect();
        let mut params: Vec<Param> = Vec::with_capacity(chunk.len() * COLUMNS);
        for ((fp, s, [kind, rule, redacted, identifier]), (kinds, risks)) in chunk.iter().zip(texts) {
            params.extend([
                Param::Text(fp),
                Param::Int(s.hosts),
                Param::Int(s.locations),
                Param::Text(kinds),
                Param::Text(risks),
                Param::Int(s.unencrypted),
                Param::Int(s.mcp),
                Param::Int(s.worst_rank),
                Param::Text(kind.as_deref().unwrap_or("")),
                Param::Text(rule.as_deref().unwrap_or("")),
                Param::Text(redacted.as_deref().unwrap_or("")),
                Param::from(identifier.as_deref()),
            ]);
        }
        c.execute(
            &format!(
                "INSERT INTO credentials (fingerprint, hosts, locations, kinds, risks, unencrypted, mcp, worst_rank,
                     kind, rule, redacted, identifier, first_seen, last_seen)
                 VALUES {}
                 ON CONFLICT (fingerprint) DO UPDATE SET hosts = excluded.hosts, locations = excluded.locations,
                     kinds = excluded.kinds, risks = excluded.risks, unencrypted = excluded.unencrypted,
                     mcp = excluded.mcp, worst_rank = excluded.worst_rank, kind = excluded.kind, rule = excluded.rule,
                     redacted = excluded.redacted, identifier = excluded.identifier",
                values.join(", ")
            ),
            &params,
        )?;
    }
    Ok(())
}
