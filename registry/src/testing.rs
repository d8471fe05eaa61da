//! Test support shared by the unit tests: a fresh, migrated store on either engine, and a macro that runs a test on
//! both.
//!
//! The PostgreSQL half needs a server: `CREDSWEEP_TEST_POSTGRES_URL` names one whose role may create databases (each
//! test makes its own). Without it the PostgreSQL tests are *ignored* — built that way by `build.rs`, so the run's
//! summary counts them as ignored, each with the reason, rather than as passed. `CREDSWEEP_REQUIRE_POSTGRES=1` (CI)
//! makes them run, and fail, when no server is configured.

use crate::store::{postgres::TempDatabase, Location, Options, Store};
use serde_json::{json, Value};

/// Names the variable to set, in the test's "ignored" line.
pub const POSTGRES_IGNORED: &str = "PostgreSQL half: set CREDSWEEP_TEST_POSTGRES_URL to run it (registry/README.md)";

/// For each `fn name(store: Store)`, a test `sqlite::name` on a fresh SQLite file and a test `postgres::name` on a
/// fresh PostgreSQL database (ignored without a server, see the module doc). Once per module.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { let (store, _dir) = crate::testing::sqlite(); super::$name(store) } )*
        }
        mod postgres {
            $(
                #[test]
                #[cfg_attr(not(postgres_tests), ignore = "PostgreSQL half: set CREDSWEEP_TEST_POSTGRES_URL to run it")]
                fn $name() { let (store, _db) = crate::testing::postgres(); super::$name(store) }
            )*
        }
    };
}
pub(crate) use on_both_backends;

/// A fresh, migrated SQLite store, and the directory that must outlive it.
pub fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::schema::open(&Location::Sqlite(dir.path().join("t.sqlite")), Options::default()).unwrap();
    (store, dir)
}

/// A fresh, migrated PostgreSQL store on the server of `CREDSWEEP_TEST_POSTGRES_URL`, and the database that must
/// outlive it (dropped with it). Panics, naming the variable, without a server: a test that reaches this runs on
/// PostgreSQL or fails.
pub fn postgres() -> (Store, TempDatabase) {
    let url = match std::env::var("CREDSWEEP_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("CREDSWEEP_TEST_POSTGRES_URL is not set: the PostgreSQL tests cannot run ({POSTGRES_IGNORED})"),
    };
    let db = TempDatabase::create(&url);
    let store = crate::schema::open(&Location::Postgres(db.url.clone()), Options::default()).unwrap();
    (store, db)
}

/// A report with every field the schema requires (`schema/report.schema.json`) around `findings`.
pub fn report(hostname: &str, machine_id: &str, finished_at: &str, findings: Vec<Value>) -> Value {
    let digest = format!("sha256:{}", "d".repeat(64));
    json!({
        "schema": "credsweep.report/v1", "report_id": format!("rpt-{}", "0".repeat(32)),
        "scanner": { "name": "credsweep", "version": "0.1.0", "rules_digest": digest, "rules": 300 },
        "host": { "hostname": hostname, "os": "linux", "arch": "x86_64", "machine_id": machine_id },
        "user": { "name": "u" }, "started_at": "2026-01-01T00:00:00Z", "finished_at": finished_at,
        "complete": true, "tags": {}, "include_secrets": false, "roots": [],
        "stats": { "files_seen": 1, "files_scanned": 1, "bytes_scanned": 1, "directories": 1, "skipped": {},
                   "suppressed": {}, "errors": 0, "findings": findings.len(), "duration_ms": 1 },
        "errors": [], "references": [], "credentials": [], "rules": [], "findings": findings,
    })
}
