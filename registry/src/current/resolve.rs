//! A new report applied to its host's current inventory (issue #15): what it makes current, what it resolves, and
//! what it supersedes — decided by scope and coverage (`crate::scope`), not by "the newest report replaces the
//! host".
//!
//! A host's current inventory is a set of locations (a credential at a canonical path), each read from one copy of
//! content (a file, the git index, a commit) and attributed to the newest report that saw it. For a
//! report `R` scanned at `t`:
//! - each location of `R` becomes current, superseding the host's current finding at the same location and copy —
//!   unless something newer already stands there: a current finding scanned after `t`, or a newer report (of any of
//!   the host's scopes) that covered the path (an old scan uploaded late changes nothing a newer scan saw);
//! - each other current finding scanned no later than `t` is resolved when `R` covered it ([`Coverage::reaches`]):
//!   it is in a file `R` read, or in `R`'s own scope when `R` is a whole-scope scan, or under a root `R` scanned
//!   entirely, or under a known location a quick scan looked at — and only in the same copy of content.
//!
//! The work is linear in the host's current findings and the report's: each is read once, and coverage checks walk a
//! path's ancestors in hash sets.

use super::{update, Change, Deltas};
use crate::scope::{Copy, Coverage, Scope};
use crate::store::{args, in_chunks, Param, Sql, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The report being applied.
pub struct Incoming<'a> {
    pub host_id: i64,
    pub report_id: i64,
    pub scope_id: i64,
    /// When the registry takes the scan to have happened (`Report::scanned_at`).
    pub scanned_at: &'a str,
    pub scope: &'a Scope,
}

/// The host's counts once the report is applied.
pub struct Applied {
    pub findings: i64,
    pub credentials: i64,
}

/// A finding as resolution needs it.
struct Sighting {
    id: i64,
    scope_id: i64,
    fingerprint: String,
    abs_path: String,
    copy: Copy,
    scanned_at: String,
    kind: String,
    risks: String,
    key_encrypted: Option<bool>,
    mcp: bool,
}

/// A location on a host: a credential at a canonical path, in one copy of content. (Not the report's location id,
/// which hashes the path as the report shows it: a repository scan's `.env` is a home scan's `/home/a/app/.env`.)
type Place<'a> = (Copy, &'a str, &'a str);

impl Sighting {
    fn key(&self) -> Place<'_> {
        (self.copy, self.fingerprint.as_str(), self.abs_path.as_str())
    }
}

fn load(c: &mut dyn Sql, filter: &str, id: i64) -> Result<Vec<Sighting>, StoreError> {
    c.query(
        &format!(
            "SELECT id, scope_id, fingerprint, abs_path, copy, scanned_at, kind, risks, key_encrypted, mcp
             FROM findings WHERE {filter}"
        ),
        args![id],
    )?
    .iter()
    .map(|r| {
        Ok(Sighting {
            id: r.i64(0)?,
            scope_id: r.opt_i64(1)?.unwrap_or(0),
            fingerprint: r.text(2)?.to_owned(),
            abs_path: r.text(3)?.to_owned(),
            copy: Copy::parse(r.text(4)?),
            scanned_at: r.text(5)?.to_owned(),
            kind: r.text(6)?.to_owned(),
            risks: r.text(7)?.to_owned(),
            key_encrypted: r.opt_bool(8)?,
            mcp: r.bool(9)?,
        })
    })
    .collect()
}

/// What the latest reports of the host's scopes scanned after `t` covered (an old scan uploaded late must not undo
/// what they saw).
fn newer_coverage(c: &mut dyn Sql, host_id: i64, t: &str) -> Result<Vec<Coverage>, StoreError> {
    let mut out = Vec::new();
    for r in c.query(
        "SELECT s.id, r.scope, r.complete FROM scopes s JOIN reports r ON r.id = s.latest_report_id
         WHERE s.host_id = $1 AND s.latest_scanned > $2",
        args![host_id, t],
    )? {
        let scope = r.opt_text(1)?.and_then(|s| serde_json::from_str(s).ok());
        let reach = crate::scope::Reach::of(scope.as_ref(), r.bool(2)?);
        out.push(Coverage {
            scope_id: r.i64(0)?,
            copy: reach.copy,
            whole_scope: reach.whole_scope,
            prefixes: reach.prefixes.into_iter().collect(),
            read: HashSet::new(),
        });
    }
    Ok(out)
}

/// Apply the report to its host's current inventory; counts the changes into `deltas`.
pub fn apply(c: &mut dyn Sql, inc: &Incoming<'_>, deltas: &mut Deltas) -> Result<Applied, StoreError> {
    let current = load(c, "host_id = $1 AND is_current", inc.host_id)?;
    let new = load(c, "report_id = $1", inc.report_id)?;
    let newer = newer_coverage(c, inc.host_id, inc.scanned_at)?;
    let t = inc.scanned_at;
    let coverage = Coverage {
        scope_id: inc.scope_id,
        copy: inc.scope.reach.copy,
        whole_scope: inc.scope.reach.whole_scope,
        prefixes: inc.scope.reach.prefixes.iter().cloned().collect(),
        read: new.iter().map(|g| g.abs_path.clone()).collect(),
    };
    // The newest current scan time at each location and copy.
    let mut standing: HashMap<Place<'_>, &str> = HashMap::new();
    for f in &current {
        let e = standing.entry(f.key()).or_insert(&f.scanned_at);
        if f.scanned_at.as_str() > *e {
            *e = &f.scanned_at;
        }
    }
    // Each location of the report: taken (true) unless something newer stands there.
    let mut taken: HashMap<Place<'_>, bool> = HashMap::new();
    for g in &new {
        taken.entry(g.key()).or_insert_with(|| {
            standing.get(&g.key()).is_none_or(|s| *s <= t)
                && !newer.iter().any(|n| n.reaches(inc.scope_id, g.copy, &g.abs_path))
        });
    }
    let added: Vec<&Sighting> = new.iter().filter(|g| taken[&g.key()]).collect();
    let removed: Vec<&Sighting> = current
        .iter()
        .filter(|f| {
            f.scanned_at.as_str() <= t
                && match taken.get(&f.key()) {
                    Some(superseded) => *superseded,
                    None => coverage.reaches(f.scope_id, f.copy, &f.abs_path),
                }
        })
        .collect();
    flip(c, &removed, false, None)?;
    flip(c, &added, true, (added.len() == new.len()).then_some(inc.report_id))?;
    deltas.add("findings", added.len() as i64 - removed.len() as i64);
    let (changes, applied) = changes(&current, &new, &removed, &added);
    update(c, &changes, deltas)?;
    scope_counts(c, inc.host_id, &current, &removed, &added)?;
    Ok(applied)
}

/// Per credential: what was resolved or superseded, what was made current, and whether a host was gained or lost;
/// and the host's counts afterwards. Every credential of the report is listed (a late report may hold the worst
/// sighting ever of a credential resolved everywhere, which describes it).
fn changes(
    current: &[Sighting],
    new: &[Sighting],
    removed: &[&Sighting],
    added: &[&Sighting],
) -> (BTreeMap<String, Change>, Applied) {
    let mut on_host: HashMap<&str, i64> = HashMap::new();
    for f in current {
        *on_host.entry(&f.fingerprint).or_default() += 1;
    }
    let mut changes: BTreeMap<String, Change> = BTreeMap::new();
    for f in removed {
        let ch = changes.entry(f.fingerprint.clone()).or_default();
        ch.removed.count(&f.kind, &f.risks, f.key_encrypted, f.mcp);
    }
    for g in added {
        let ch = changes.entry(g.fingerprint.clone()).or_default();
        ch.added.count(&g.kind, &g.risks, g.key_encrypted, g.mcp);
    }
    for g in new {
        changes.entry(g.fingerprint.clone()).or_default();
    }
    let mut credentials = on_host.values().filter(|n| **n > 0).count() as i64;
    for (fp, ch) in changes.iter_mut() {
        let before = on_host.get(fp.as_str()).copied().unwrap_or(0);
        let after = before - ch.removed.findings + ch.added.findings;
        ch.hosts = i64::from(after > 0) - i64::from(before > 0);
        credentials += ch.hosts;
    }
    let findings = (current.len() + added.len() - removed.len()) as i64;
    (changes, Applied { findings, credentials })
}

/// Set `is_current` on these findings: by report when all of one report's findings are meant (one statement),
/// else by id, a padded list at a time.
fn flip(c: &mut dyn Sql, rows: &[&Sighting], to: bool, whole_report: Option<i64>) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    if let Some(report) = whole_report {
        c.execute("UPDATE findings SET is_current = $1 WHERE report_id = $2", args![to, report])?;
        return Ok(());
    }
    let ids: Vec<Param> = rows.iter().map(|r| Param::Int(r.id)).collect();
    let sql = if to {
        "UPDATE findings SET is_current = TRUE WHERE id IN ({in}) RETURNING id"
    } else {
        "UPDATE findings SET is_current = FALSE WHERE id IN ({in}) RETURNING id"
    };
    in_chunks(c, sql, &ids, |_| Ok(()))
}

/// The current findings attributed to each of the host's scopes, after the change.
fn scope_counts(
    c: &mut dyn Sql,
    host_id: i64,
    current: &[Sighting],
    removed: &[&Sighting],
    added: &[&Sighting],
) -> Result<(), StoreError> {
    let mut per_scope: BTreeMap<i64, i64> = BTreeMap::new();
    for f in current {
        *per_scope.entry(f.scope_id).or_default() += 1;
    }
    for f in removed {
        *per_scope.entry(f.scope_id).or_default() -= 1;
    }
    for g in added {
        *per_scope.entry(g.scope_id).or_default() += 1;
    }
    c.execute("UPDATE scopes SET findings_count = 0 WHERE host_id = $1", args![host_id])?;
    for (scope, n) in per_scope.into_iter().filter(|(_, n)| *n != 0) {
        c.execute("UPDATE scopes SET findings_count = $2 WHERE id = $1", args![scope, n])?;
    }
    Ok(())
}
