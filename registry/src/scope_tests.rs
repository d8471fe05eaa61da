//! Issue #15's sequence, on both engines: a laptop scanned by home, home, a repository scan, a quick scan and a
//! partial scan. Every credential still on disk stays current after every step; a credential really removed is
//! resolved by the step whose scope covered it, and only then.

use crate::current;
use crate::ingest::ingest;
use crate::store::{Sql, Store, StoreError};
use crate::testing::on_both_backends;
use serde_json::{json, Value};
use std::collections::BTreeSet;

on_both_backends!(
    home_home_repo_quick_partial_keeps_what_is_on_disk,
    reports_without_machine_id_are_grouped_by_repository,
    a_report_without_scope_is_the_fleet_scope
);

const HOME: &str = "/home/a";

fn fp(n: u32) -> String {
    format!("sha256:{n:064x}")
}

/// A finding of credential `n` at `path`, as a report shows it.
fn finding(n: u32, path: &str) -> Value {
    let loc = format!("loc:v1:{:032x}", u128::from(n) << 64 | u128::from(path.len() as u64) << 32 | 7);
    json!({
        "id": loc, "rule": "generic-api-key", "rule_name": "r", "kind": "secret", "severity": "high",
        "confidence": "high", "path": path, "line": 1, "column": 1, "fingerprint": fp(n), "redacted": "…",
        "validation": "not-applicable", "risks": [],
    })
}

fn scan(finished: &str, scope: Value, roots: &[&str], complete: bool, findings: Vec<Value>) -> Value {
    let mut r = crate::testing::report("laptop", "machine-1", finished, findings);
    r["scope"] = scope;
    r["roots"] = json!(roots);
    r["complete"] = json!(complete);
    r
}

fn upload(store: &Store, r: &Value) {
    ingest(store, r.to_string().as_bytes(), None).unwrap();
}

/// The credentials current anywhere, by number.
fn current_set(store: &Store) -> BTreeSet<u32> {
    let rows = store
        .read(|c: &mut dyn Sql| -> Result<Vec<String>, StoreError> {
            c.query("SELECT fingerprint FROM credentials WHERE hosts > 0", &[])?
                .iter()
                .map(|r| r.text(0).map(str::to_owned))
                .collect()
        })
        .unwrap();
    rows.iter().map(|f| u32::from_str_radix(f.trim_start_matches("sha256:"), 16).unwrap()).collect()
}

fn set(items: &[u32]) -> BTreeSet<u32> {
    items.iter().copied().collect()
}

fn home_home_repo_quick_partial_keeps_what_is_on_disk(store: Store) {
    let home = json!({ "kind": "home", "roots": [HOME], "homes": [HOME] });
    let on_disk = |ks: &[(u32, &str)]| ks.iter().map(|(n, p)| finding(*n, &format!("{HOME}/{p}"))).collect();
    // 1 SSH key, 2 AWS key, 3 in a config file, 4 an MCP secret, 5 a repository's .env, 6 a note.
    let everything = [
        (1, ".ssh/id_ed25519"),
        (2, ".aws/credentials"),
        (3, "src/app/config.py"),
        (4, ".cursor/mcp.json"),
        (5, "src/app/.env"),
        (6, "notes.txt"),
    ];
    upload(&store, &scan("2026-03-01T00:00:00Z", home.clone(), &[HOME], true, on_disk(&everything)));
    assert_eq!(current_set(&store), set(&[1, 2, 3, 4, 5, 6]));

    // The second home scan: the note was deleted. The home scope resolves it; the rest stays.
    upload(&store, &scan("2026-03-02T00:00:00Z", home.clone(), &[HOME], true, on_disk(&everything[..5])));
    assert_eq!(current_set(&store), set(&[1, 2, 3, 4, 5]), "6 resolved by the second home scan");

    // A repository scan (git diff: only the changed files) finds the .env's key and a new one: nothing else moves.
    let repo = json!({ "kind": "git", "roots": [format!("{HOME}/src/app")], "repository": "example.org/team/app",
                       "toplevel": format!("{HOME}/src/app"), "git": "diff", "revision": "origin/main" });
    let repo_scan =
        scan("2026-03-03T00:00:00Z", repo, &["."], true, vec![finding(5, ".env"), finding(7, "deploy.yaml")]);
    upload(&store, &repo_scan);
    assert_eq!(current_set(&store), set(&[1, 2, 3, 4, 5, 7]), "a repository scan erases nothing (issue #15)");

    // A quick scan: the AWS credentials file was deleted; the quick scan looked at ~/.aws, so 2 is resolved. What
    // lies outside the quick locations (3, 5, 7) is not its to resolve.
    let quick = json!({ "kind": "home", "quick": true, "homes": [HOME],
                        "roots": [format!("{HOME}/.ssh"), format!("{HOME}/.cursor/mcp.json")],
                        "locations": [format!("{HOME}/.ssh"), format!("{HOME}/.aws"), format!("{HOME}/.cursor/mcp.json")] });
    let quick_roots = [format!("{HOME}/.ssh"), format!("{HOME}/.cursor/mcp.json")];
    let roots: Vec<&str> = quick_roots.iter().map(String::as_str).collect();
    let found = on_disk(&[(1, ".ssh/id_ed25519"), (4, ".cursor/mcp.json")]);
    upload(&store, &scan("2026-03-04T00:00:00Z", quick, &roots, true, found));
    assert_eq!(current_set(&store), set(&[1, 3, 4, 5, 7]), "2 resolved by the quick scan");

    // A partial home scan (stopped by --max-duration): it read the SSH key and config.py, where 3 was replaced by 9.
    // It resolves 3 (it read that file) and nothing it did not reach (4, 5, 7).
    let found = on_disk(&[(1, ".ssh/id_ed25519"), (9, "src/app/config.py")]);
    upload(&store, &scan("2026-03-05T00:00:00Z", home, &[HOME], false, found));
    assert_eq!(current_set(&store), set(&[1, 4, 5, 7, 9]), "3 resolved by the partial scan that read its file");

    let host = store
        .read(|c: &mut dyn Sql| {
            Ok::<_, StoreError>(c.query_one("SELECT COUNT(*), MAX(findings_count) FROM hosts", &[])?.0.clone())
        })
        .unwrap();
    assert_eq!(format!("{host:?}"), "[Int(1), Int(5)]", "one host, five current locations");
    let incremental = store.read(current::snapshot).unwrap();
    store.write(current::rebuild).unwrap();
    assert_eq!(store.read(current::snapshot).unwrap(), incremental);
}

fn reports_without_machine_id_are_grouped_by_repository(store: Store) {
    let repo = json!({ "kind": "git", "roots": ["/builds/x"], "repository": "example.org/team/app",
                       "toplevel": "/builds/x", "git": "diff" });
    for (i, runner) in ["runner-7f3a", "runner-19bc"].iter().enumerate() {
        let mut r =
            scan(&format!("2026-03-0{}T00:00:00Z", i + 1), repo.clone(), &["."], true, vec![finding(1, ".env")]);
        r["host"] = json!({ "hostname": runner, "os": "linux", "arch": "x86_64" });
        upload(&store, &r);
    }
    let hosts = store
        .read(|c: &mut dyn Sql| -> Result<Vec<String>, StoreError> {
            c.query("SELECT host_key || ' ' || kind || ' ' || hostname FROM hosts", &[])?
                .iter()
                .map(|r| r.text(0).map(str::to_owned))
                .collect()
        })
        .unwrap();
    assert_eq!(hosts, ["repository:example.org/team/app repository example.org/team/app"]);
    assert_eq!(current_set(&store), set(&[1]));
}

/// An older scanner's report (no scope) is the host's fleet scope: it replaces the fleet scope's state and resolves
/// nothing in the host's other scopes.
fn a_report_without_scope_is_the_fleet_scope(store: Store) {
    let home = json!({ "kind": "home", "roots": [HOME], "homes": [HOME] });
    upload(&store, &scan("2026-03-01T00:00:00Z", home, &[HOME], true, vec![finding(1, &format!("{HOME}/.ssh/id"))]));
    let mut old = crate::testing::report("laptop", "machine-1", "2026-03-02T00:00:00Z", vec![finding(2, "/etc/x")]);
    upload(&store, &old);
    assert_eq!(current_set(&store), set(&[1, 2]));
    old["finished_at"] = json!("2026-03-03T00:00:00Z");
    old["findings"] = json!([]);
    upload(&store, &old);
    assert_eq!(current_set(&store), set(&[1]), "the next scope-less report replaces the fleet scope only");
}
