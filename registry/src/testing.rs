//! Test support shared by the unit tests: a fresh, migrated store on either engine, and a macro that runs a test on
//! both.
//!
//! The PostgreSQL half needs a server: `CREDSWEEP_TEST_POSTGRES_URL` names one whose role may create databases (each
//! test makes its own). Without it the PostgreSQL tests are *ignored* — built that way by `build.rs`, so the run's
//! summary counts them as ignored, each with the reason, rather than as passed. `CREDSWEEP_REQUIRE_POSTGRES=1` (CI)
//! makes them run, and fail, when no server is configured.

use crate::store::{postgres::TempDatabase, Location, Options, Store};

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
