//! The current state of the fleet, kept as data by every upload rather than aggregated on every request.
//!
//! With 10,000 hosts of 50 findings, "every credential present now, worst first" is half a million current findings
//! to group and sort per request. Instead each upload maintains, inside its own transaction:
//! - `findings.is_current`: the finding belongs to its host's latest report (flipped off for the report it replaces,
//!   on for the new one);
//! - `credentials`: one row per fingerprint ever seen — history bounds (`first_seen`, `last_seen`), the current
//!   aggregates (`hosts`, `locations`, findings per kind and per risk label, unencrypted keys, MCP configs,
//!   `worst_rank`) and the worst current sighting, which describes it — so the credential list is an index range
//!   scan;
//! - `credential_rules`: every rule that ever matched a fingerprint;
//! - `fleet_counts`: the counters behind `/v1/summary`, changed by the difference each credential's new state makes.
//!
//! A host's current state is exactly its latest report, so when report `new` replaces `old` every count of a
//! credential changes by what `new` has minus what `old` had: the update reads those two reports' findings and
//! never the credential's other sightings, so a key copied onto every host of the fleet costs the same as any other.
//! Only the worst sighting is looked up again, with one seek in the `findings_current` index. [`rebuild`]
//! recomputes everything from the findings by grouping instead; it fills the tables when migrating an existing
//! database, and the tests use it as the oracle for the incremental path.

use crate::model::severity_name;
use crate::store::{args, Param, Row, Sql, StoreError};
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

    /// Add `sign` × one report's findings of this credential (`sign` -1 takes a replaced report away).
    fn add(&mut self, report: &Sightings, sign: i64) {
        self.hosts += sign;
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

/// One report's findings of one credential, counted.
#[derive(Default)]
struct Sightings {
    findings: i64,
    kinds: BTreeMap<String, i64>,
    risks: BTreeMap<String, i64>,
    unencrypted: i64,
    mcp: i64,
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
pub fn record_history(c: &mut dyn Sql, report_id: i64, scanned_at: &str) -> Result<(), StoreError> {
    // The descriptive columns of a new row are placeholders here: `update` sets them in the same transaction.
    c.execute(
        "INSERT INTO credentials (fingerprint, kind, rule, redacted, identifier, first_seen, last_seen, hosts,
             locations, worst_rank, kinds, risks, unencrypted, mcp)
         SELECT fingerprint, MIN(kind), MIN(rule), MIN(redacted), MIN(identifier), CAST($2 AS TEXT),
             CAST($2 AS TEXT), 0, 0, -1, '{}', '{}', 0, 0
         FROM findings WHERE report_id = $1 GROUP BY fingerprint
         ON CONFLICT (fingerprint) DO UPDATE SET
             first_seen = CASE WHEN excluded.first_seen < credentials.first_seen
                               THEN excluded.first_seen ELSE credentials.first_seen END,
             last_seen = CASE WHEN excluded.last_seen > credentials.last_seen
                              THEN excluded.last_seen ELSE credentials.last_seen END",
        args![report_id, scanned_at],
    )?;
    c.execute(
        "INSERT INTO credential_rules (fingerprint, rule)
         SELECT DISTINCT fingerprint, rule FROM findings WHERE report_id = $1
         ON CONFLICT (fingerprint, rule) DO NOTHING",
        args![report_id],
    )?;
    Ok(())
}

/// Each credential's findings in one report, counted.
fn sightings(c: &mut dyn Sql, report_id: i64) -> Result<BTreeMap<String, Sightings>, StoreError> {
    let mut out: BTreeMap<String, Sightings> = BTreeMap::new();
    for r in c.query(
        "SELECT fingerprint, kind, risks, key_encrypted, mcp FROM findings WHERE report_id = $1",
        args![report_id],
    )? {
        let s = out.entry(r.text(0)?.to_owned()).or_default();
        s.findings += 1;
        *s.kinds.entry(r.text(1)?.to_owned()).or_default() += 1;
        for risk in serde_json::from_str::<Vec<String>>(r.text(2)?).unwrap_or_default() {
            *s.risks.entry(risk).or_default() += 1;
        }
        s.unencrypted += i64::from(r.opt_bool(3)? == Some(false));
        s.mcp += i64::from(r.bool(4)?);
    }
    Ok(out)
}

/// `new` becomes its host's current report, replacing `old`: flip the flags, and change every credential of
/// either report by the difference.
pub fn replace(c: &mut dyn Sql, old: Option<i64>, new: i64, deltas: &mut Deltas) -> Result<(), StoreError> {
    let before = match old {
        Some(old) => {
            let n = c.execute("UPDATE findings SET is_current = FALSE WHERE report_id = $1", args![old])?;
            deltas.add("findings", -(n as i64));
            sightings(c, old)?
        }
        None => BTreeMap::new(),
    };
    let n = c.execute("UPDATE findings SET is_current = TRUE WHERE report_id = $1", args![new])?;
    deltas.add("findings", n as i64);
    let after = sightings(c, new)?;
    let mut changes: BTreeMap<&str, (Option<&Sightings>, Option<&Sightings>)> = BTreeMap::new();
    for (fp, s) in &before {
        changes.entry(fp).or_default().0 = Some(s);
    }
    for (fp, s) in &after {
        changes.entry(fp).or_default().1 = Some(s);
    }
    update(c, old, new, &changes, deltas)
}

/// A report stored as history only (an older scan uploaded late): the current state does not change, but a
/// credential resolved everywhere is described by its worst sighting ever, which this report may hold.
pub fn touch(c: &mut dyn Sql, report_id: i64, deltas: &mut Deltas) -> Result<(), StoreError> {
    let fps = sightings(c, report_id)?;
    let changes = fps.keys().map(|fp| (fp.as_str(), (None, None))).collect();
    update(c, None, report_id, &changes, deltas)
}

/// Apply `changes` (per fingerprint: the sightings taken away, the sightings added) to the credentials of reports
/// `a` and `b`, look up each one's worst current sighting, write what changed and count the difference.
fn update(
    c: &mut dyn Sql,
    a: Option<i64>,
    b: i64,
    changes: &BTreeMap<&str, (Option<&Sightings>, Option<&Sightings>)>,
    deltas: &mut Deltas,
) -> Result<(), StoreError> {
    // Each credential as stored, and its worst current sighting now (the flags are already flipped): one index
    // seek per credential, inside this one statement.
    let mut before: BTreeMap<String, Stored> = BTreeMap::new();
    for r in c.query(
        "SELECT c.fingerprint, c.hosts, c.locations, c.kinds, c.risks, c.unencrypted, c.mcp, c.worst_rank, c.kind,
                c.rule, c.redacted, c.identifier, w.severity_rank, w.kind, w.rule, w.redacted, w.identifier
         FROM credentials c
         LEFT JOIN findings w ON w.id = (
             SELECT f.id FROM findings f WHERE f.fingerprint = c.fingerprint AND f.is_current
             ORDER BY f.severity_rank DESC, f.id LIMIT 1)
         WHERE c.fingerprint IN (SELECT fingerprint FROM findings WHERE report_id IN ($1, $2))",
        args![a, b],
    )? {
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
    }
    let mut changed: Vec<(&str, State, Description)> = Vec::new();
    for (fp, (removed, added)) in changes {
        let Some(Stored { state: old, description: old_desc, worst }) = before.get(*fp) else {
            return Err(StoreError::msg(format!("credential {fp} missing from the credentials table")));
        };
        let mut new = old.clone();
        if let Some(s) = removed {
            new.add(s, -1);
        }
        if let Some(s) = added {
            new.add(s, 1);
        }
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
                args![*fp],
            )?;
            (-1, description(&r, 0)?)
        };
        new.worst_rank = worst;
        if new == *old && desc == *old_desc {
            continue;
        }
        changed.push((fp, new.clone(), desc));
        for name in old.counters() {
            deltas.add(&name, -1);
        }
        for name in new.counters() {
            deltas.add(&name, 1);
        }
    }
    write_changed(c, &changed)
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

/// Per fingerprint during [`rebuild`]: its current aggregates, its description, first and last seen.
type Rebuilt = BTreeMap<String, (State, Description, String, String)>;

/// Recompute `credentials`, `credential_rules`, `fleet_counts` and the hosts' counts from `findings` (whose
/// `is_current` flags are the truth) by grouping, independently of the incremental path. The migration to schema 2
/// runs it once; it is also the tests' oracle.
pub fn rebuild(c: &mut dyn Sql) -> Result<(), StoreError> {
    c.batch("DELETE FROM credentials; DELETE FROM credential_rules; DELETE FROM fleet_counts;")?;
    c.execute("INSERT INTO credential_rules (fingerprint, rule) SELECT DISTINCT fingerprint, rule FROM findings", &[])?;
    let mut states = history_bounds(c)?;
    current_aggregates(c, &mut states)?;
    let mut deltas = Deltas::default();
    write_rebuilt(c, &states, &mut deltas)?;
    c.execute(
        "UPDATE hosts SET reports_count = (SELECT COUNT(*) FROM reports r WHERE r.host_id = hosts.id),
             findings_count = (SELECT COUNT(*) FROM findings f WHERE f.report_id = hosts.latest_report_id),
             credentials_count =
                 (SELECT COUNT(DISTINCT fingerprint) FROM findings f WHERE f.report_id = hosts.latest_report_id)",
        &[],
    )?;
    for (name, sql) in [
        ("hosts", "SELECT COUNT(*) FROM hosts"),
        ("reports", "SELECT COUNT(*) FROM reports"),
        ("findings", "SELECT COUNT(*) FROM findings WHERE is_current"),
    ] {
        deltas.add(name, c.query_one(sql, &[])?.i64(0)?);
    }
    deltas.apply(c)
}

/// Every fingerprint ever seen, resolved (no current aggregates yet), with its history bounds and its worst
/// sighting ever (the description of a resolved credential).
fn history_bounds(c: &mut dyn Sql) -> Result<Rebuilt, StoreError> {
    let mut states = Rebuilt::new();
    for r in c.query(
        "SELECT fingerprint, kind, rule, redacted, identifier, first_seen, last_seen FROM (
             SELECT fingerprint, kind, rule, redacted, identifier,
                    MIN(scanned_at) OVER (PARTITION BY fingerprint) AS first_seen,
                    MAX(scanned_at) OVER (PARTITION BY fingerprint) AS last_seen,
                    ROW_NUMBER() OVER (PARTITION BY fingerprint ORDER BY severity_rank DESC, id) AS n
             FROM findings) AS ranked
         WHERE n = 1",
        &[],
    )? {
        let state = State { worst_rank: -1, ..State::default() };
        states
            .insert(r.text(0)?.to_owned(), (state, description(&r, 1)?, r.text(5)?.to_owned(), r.text(6)?.to_owned()));
    }
    Ok(states)
}

/// The current state, grouped: counts, findings per kind and risk label, and the worst current sighting.
fn current_aggregates(c: &mut dyn Sql, states: &mut Rebuilt) -> Result<(), StoreError> {
    for r in c.query(
        "SELECT fingerprint, COUNT(DISTINCT host_id), COUNT(*), MAX(severity_rank),
                SUM(CASE WHEN key_encrypted = FALSE THEN 1 ELSE 0 END), SUM(CASE WHEN mcp THEN 1 ELSE 0 END)
         FROM findings WHERE is_current GROUP BY fingerprint",
        &[],
    )? {
        if let Some((s, ..)) = states.get_mut(r.text(0)?) {
            s.hosts = r.i64(1)?;
            s.locations = r.i64(2)?;
            s.worst_rank = r.i64(3)?;
            s.unencrypted = r.i64(4)?;
            s.mcp = r.i64(5)?;
        }
    }
    for r in c.query("SELECT fingerprint, kind, risks FROM findings WHERE is_current", &[])? {
        if let Some((s, ..)) = states.get_mut(r.text(0)?) {
            *s.kinds.entry(r.text(1)?.to_owned()).or_default() += 1;
            for risk in serde_json::from_str::<Vec<String>>(r.text(2)?).unwrap_or_default() {
                *s.risks.entry(risk).or_default() += 1;
            }
        }
    }
    for r in c.query(
        "SELECT fingerprint, kind, rule, redacted, identifier FROM (
             SELECT fingerprint, kind, rule, redacted, identifier,
                    ROW_NUMBER() OVER (PARTITION BY fingerprint ORDER BY severity_rank DESC, id) AS n
             FROM findings WHERE is_current) AS ranked
         WHERE n = 1",
        &[],
    )? {
        if let Some((_, d, ..)) = states.get_mut(r.text(0)?) {
            *d = description(&r, 1)?;
        }
    }
    Ok(())
}

/// Insert the recomputed credentials, counting what each adds to the fleet counters.
fn write_rebuilt(c: &mut dyn Sql, states: &Rebuilt, deltas: &mut Deltas) -> Result<(), StoreError> {
    for (fp, (s, [kind, rule, redacted, identifier], first, last)) in states {
        c.execute(
            "INSERT INTO credentials (fingerprint, kind, rule, redacted, identifier, first_seen, last_seen, hosts,
                 locations, worst_rank, kinds, risks, unencrypted, mcp)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            args![
                fp,
                kind.as_deref().unwrap_or(""),
                rule.as_deref().unwrap_or(""),
                redacted.as_deref().unwrap_or(""),
                identifier.as_deref(),
                first,
                last,
                s.hosts,
                s.locations,
                s.worst_rank,
                &map_json(&s.kinds),
                &map_json(&s.risks),
                s.unencrypted,
                s.mcp,
            ],
        )?;
        for name in s.counters() {
            deltas.add(&name, 1);
        }
    }
    Ok(())
}

/// Every maintained row, for comparing the incremental path with [`rebuild`].
#[cfg(test)]
pub fn snapshot(c: &mut dyn Sql) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for (sql, cols) in [
        (
            "SELECT fingerprint, kind, rule, redacted, identifier, first_seen, last_seen, hosts, locations,
                    worst_rank, kinds, risks, unencrypted, mcp FROM credentials ORDER BY fingerprint",
            14,
        ),
        ("SELECT fingerprint, rule FROM credential_rules ORDER BY fingerprint, rule", 2),
        ("SELECT id, reports_count, findings_count, credentials_count FROM hosts ORDER BY id", 4),
        ("SELECT name, n FROM fleet_counts WHERE n <> 0 ORDER BY name", 2),
    ] {
        for r in c.query(sql, &[])? {
            out.push((0..cols).map(|i| format!("{:?}", r.0[i])).collect::<Vec<_>>().join(" "));
        }
    }
    Ok(out)
}
