//! The maintained current state (`current.rs`) against its oracle: whatever sequence of uploads, replacements, late
//! uploads and resends arrives, the incrementally maintained tables equal a full recomputation
//! ([`current::rebuild`]), on both engines; and a version-1 database migrates to the same state.

use crate::current;
use crate::ingest::ingest;
use crate::model::SEVERITIES;
use crate::store::{Location, Options, Store};
use crate::testing::on_both_backends;
use serde_json::json;

on_both_backends!(incremental_updates_match_a_rebuild);

/// A small deterministic generator (the tests must not depend on a random crate or on the clock).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A random report; with `scoped`, a random scope too (none, fleet, a home full or quick, a paths scan of one
/// directory, a git staged scan; complete or partial), so resolution by coverage is exercised.
fn random_report(g: &mut Lcg, scoped: bool) -> serde_json::Value {
    const RULES: [&str; 3] = ["aws-key", "github-pat", "mcp-config-secret"];
    const KINDS: [&str; 3] = ["secret", "private-key", "access-token"];
    let host = g.next(6);
    let findings: Vec<_> = (0..g.next(6))
        .map(|i| {
            let fp = g.next(12);
            let (rule, kind, severity) =
                (RULES[g.next(3) as usize], KINDS[g.next(3) as usize], SEVERITIES[g.next(5) as usize]);
            let identifier = (g.next(2) != 0).then(|| format!("id{fp}"));
            let key = match g.next(3) {
                0 => Some(json!({ "format": "openssh-v1", "encrypted": false })),
                1 => Some(json!({ "format": "openssh-v1", "encrypted": true })),
                _ => None,
            };
            let context = match g.next(5) {
                0 => json!({ "tool": "cursor", "server": format!("s{}", g.next(2)) }),
                1 => json!({ "tool": "claude-code-transcript" }),
                _ => json!({}),
            };
            let path = g.next(4);
            let risks = match g.next(3) {
                0 => json!(["world-readable"]),
                1 => json!(["old"]),
                _ => json!([]),
            };
            let mut f = json!({
                "id": format!("loc:v1:{:032x}", fp * 16 + path), "rule": rule, "rule_name": "r", "kind": kind,
                "severity": severity, "confidence": "high", "path": format!("/p/{path}/f{}", i % 2),
                "line": g.next(50) + 1, "column": 1, "fingerprint": format!("sha256:{fp:064x}"),
                "redacted": format!("…({fp})"), "validation": "not-applicable", "context": context, "risks": risks,
            });
            if let Some(id) = identifier {
                f["identifier"] = json!(id);
            }
            if let Some(key) = key {
                f["key"] = key;
            }
            if g.next(2) == 0 {
                f["file"] = json!({ "mode": "0600", "uid": 1, "gid": 1,
                                    "modified": format!("2025-{:02}-01T00:00:00Z", 1 + g.next(12)) });
            }
            if g.next(4) == 0 {
                f["issued_at"] = json!(format!("2024-{:02}-01T00:00:00Z", 1 + fp % 12));
                f["expires_at"] = json!(format!("2027-{:02}-01T00:00:00Z", 1 + fp % 12));
            }
            f
        })
        .collect();
    let finished_at = format!("2026-01-{:02}T00:00:00Z", 1 + g.next(9));
    let mut r = crate::testing::report(&format!("h{host}"), &format!("m{host}"), &finished_at, findings);
    if scoped {
        let dir = format!("/p/{}", g.next(4));
        let scope = match g.next(6) {
            0 => None,
            1 => Some(json!({ "kind": "fleet", "roots": ["/p"], "homes": ["/p"] })),
            2 => Some(json!({ "kind": "home", "roots": ["/p"], "homes": ["/p"] })),
            3 => Some(json!({ "kind": "home", "quick": true, "roots": [&dir], "homes": ["/p"],
                              "locations": [&dir, "/p/9"] })),
            4 => Some(json!({ "kind": "paths", "roots": [&dir] })),
            _ => Some(json!({ "kind": "git", "roots": ["/p"], "repository": "example.org/r", "toplevel": "/p",
                              "git": "staged" })),
        };
        if let Some(scope) = scope {
            let roots = scope["roots"].clone();
            r["scope"] = scope;
            r["roots"] = roots;
        }
        r["complete"] = json!(g.next(4) != 0);
    }
    r
}

/// The incremental maintenance done by each upload (replacements, late uploads, resends, resolutions) ends
/// in exactly the state a full recomputation gives.
fn incremental_updates_match_a_rebuild(store: Store) {
    let mut g = Lcg(7);
    let mut sent: Vec<String> = Vec::new();
    for i in 0..200 {
        let body = if i % 9 == 8 {
            sent[g.next(sent.len() as u64) as usize].clone()
        } else {
            random_report(&mut g, true).to_string()
        };
        ingest(&store, body.as_bytes(), None).unwrap();
        sent.push(body);
    }
    let incremental = store.read(current::snapshot).unwrap();
    assert!(incremental.iter().any(|l| l.contains("\"on_multiple_hosts\"")), "{incremental:#?}");
    store.write(current::rebuild).unwrap();
    let rebuilt = store.read(current::snapshot).unwrap();
    assert_eq!(incremental, rebuilt, "{:?}", store.describe());
}

/// A database written by schema version 1 (no maintained state, no scopes) migrates to the same state as if its
/// reports had been uploaded to this version (they have no scope: each host's state is its fleet scope either way),
/// the age columns filled from the stored bodies.
#[test]
fn version_1_sqlite_database_migrates_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let (new_path, old_path) = (dir.path().join("new.sqlite"), dir.path().join("old.sqlite"));
    let fresh = crate::schema::open(&Location::Sqlite(new_path.clone()), Options::default()).unwrap();
    let mut g = Lcg(11);
    for _ in 0..40 {
        ingest(&fresh, random_report(&mut g, false).to_string().as_bytes(), None).unwrap();
    }
    let expected = fresh.read(current::snapshot).unwrap();
    drop(fresh);

    // The same rows in a version-1 file.
    let old = rusqlite::Connection::open(&old_path).unwrap();
    old.execute_batch(include_str!("../migrations/sqlite/0001_initial.sql")).unwrap();
    old.execute_batch(&format!(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
         INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00Z');
         ATTACH '{}' AS n;
         INSERT INTO hosts SELECT id, host_key, hostname, machine_id, os, os_version, arch, first_seen, last_seen,
             latest_report_id FROM n.hosts;
         INSERT INTO reports SELECT id, report_key, body_sha256, host_id, received_at, started_at, finished_at,
             user_name, scanner_version, rules_digest, complete, findings_count, tags, body FROM n.reports;
         INSERT INTO findings SELECT id, report_id, host_id, location_id, fingerprint, rule, rule_name, kind,
             severity, severity_rank, confidence, provider, path, line, redacted, identifier, validation,
             user_name, tool, mcp, key_encrypted, risks, scanned_at FROM n.findings;
         DETACH n;",
        new_path.display()
    ))
    .unwrap();
    drop(old);
    let migrated = crate::schema::open(&Location::Sqlite(old_path), Options::default()).unwrap();
    assert_eq!(migrated.read(current::snapshot).unwrap(), expected);
}
