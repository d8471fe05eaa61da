//! The maintained state recomputed from the findings by grouping ([`rebuild`]), independently of the incremental
//! path: the migrations that add maintained columns run it once, and the tests use it as the oracle ([`snapshot`]).

use super::{description, map_json, Deltas, Description, State, KNOWN_SINCE};
use crate::store::{args, Sql, StoreError};
use std::collections::BTreeMap;

/// One credential while rebuilding: its current aggregates, its description, first and last seen.
type Rebuilt = BTreeMap<String, (State, Description, String, String)>;

/// Recompute `credentials`, `credential_rules`, `fleet_counts` and the hosts' and scopes' counts from `findings`
/// (whose `is_current` flags are the truth) by grouping.
pub fn rebuild(c: &mut dyn Sql) -> Result<(), StoreError> {
    c.batch("DELETE FROM credentials; DELETE FROM credential_rules; DELETE FROM fleet_counts;")?;
    c.execute("INSERT INTO credential_rules (fingerprint, rule) SELECT DISTINCT fingerprint, rule FROM findings", &[])?;
    let mut states = history_bounds(c)?;
    current_aggregates(c, &mut states)?;
    let mut deltas = Deltas::default();
    write_rebuilt(c, &states, &mut deltas)?;
    // The age columns: extremes over all history, then the earliest of them.
    c.execute(
        "UPDATE credentials SET
             modified_oldest = (SELECT MIN(file_modified) FROM findings f WHERE f.fingerprint = credentials.fingerprint),
             issued_at = (SELECT MIN(issued_at) FROM findings f WHERE f.fingerprint = credentials.fingerprint),
             expires_at = (SELECT MAX(expires_at) FROM findings f WHERE f.fingerprint = credentials.fingerprint)",
        &[],
    )?;
    c.execute(&format!("UPDATE credentials SET known_since = {KNOWN_SINCE}"), &[])?;
    c.execute(
        "UPDATE hosts SET reports_count = (SELECT COUNT(*) FROM reports r WHERE r.host_id = hosts.id),
             findings_count = (SELECT COUNT(*) FROM findings f WHERE f.host_id = hosts.id AND f.is_current),
             credentials_count = (SELECT COUNT(DISTINCT fingerprint) FROM findings f
                                  WHERE f.host_id = hosts.id AND f.is_current)",
        &[],
    )?;
    c.execute(
        "UPDATE scopes SET reports_count = (SELECT COUNT(*) FROM reports r WHERE r.scope_id = scopes.id),
             findings_count = (SELECT COUNT(*) FROM findings f WHERE f.scope_id = scopes.id AND f.is_current)",
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
                 locations, worst_rank, kinds, risks, unencrypted, mcp, known_since)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $6)",
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
                    worst_rank, kinds, risks, unencrypted, mcp, known_since, modified_oldest, issued_at, expires_at
             FROM credentials ORDER BY fingerprint",
            18,
        ),
        ("SELECT fingerprint, rule FROM credential_rules ORDER BY fingerprint, rule", 2),
        ("SELECT id, reports_count, findings_count, credentials_count FROM hosts ORDER BY id", 4),
        ("SELECT id, reports_count, findings_count FROM scopes ORDER BY id", 3),
        ("SELECT name, n FROM fleet_counts WHERE n <> 0 ORDER BY name", 2),
    ] {
        for r in c.query(sql, &[])? {
            out.push((0..cols).map(|i| format!("{:?}", r.0[i])).collect::<Vec<_>>().join(" "));
        }
    }
    Ok(out)
}
