//! The SQLite store: opening, pragmas and versioned migrations.
//!
//! Why SQLite through `rusqlite` (bundled) rather than `sqlx`: the registry is one process with one database file,
//! writes are serialized by SQLite anyway, and a synchronous API run on tokio's blocking pool keeps every ingest a
//! plain, visible transaction (`BEGIN IMMEDIATE … COMMIT`) with no compile-time database or macro magic. `bundled`
//! pins the SQLite version, so WAL behaviour does not depend on the host's library.
//!
//! Durability: WAL mode with `synchronous = FULL` — a commit is on disk (WAL fsynced) before `COMMIT` returns, and
//! the HTTP layer only answers 2xx after that, so a `kill -9` (or power loss) never loses an acknowledged report.

use anyhow::{bail, Context as _, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// Numbered migrations, applied in order; each runs in its own transaction together with its
/// `schema_migrations` row, so a crash mid-migration leaves the previous version intact.
/// Append new files here; never edit an applied one.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_initial.sql"))];

/// Open (creating if needed) the database, set the pragmas, and bring the schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path).with_context(|| format!("cannot open database {}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("database {} cannot use WAL mode (journal_mode is {mode})", path.display());
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Apply every migration newer than the recorded version. Refuses a database written by a newer registry.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let current: i64 = conn
        .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let newest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > newest {
        bail!("database schema version {current} is newer than this registry supports ({newest})");
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql).with_context(|| format!("migration {version} failed"))?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", (version, now()))?;
        tx.commit()?;
    }
    Ok(())
}

/// Current time, RFC 3339 UTC to the second (the same format as report timestamps, so they sort together).
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        for (i, (v, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v, i as i64 + 1);
        }
    }

    #[test]
    fn open_twice_is_idempotent_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        drop(open(&path).unwrap());
        let conn = open(&path).unwrap();
        let n: i64 = conn.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(n, MIGRATIONS.len() as i64);
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let conn = open(&path).unwrap();
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'x')", []).unwrap();
        drop(conn);
        assert!(open(&path).unwrap_err().to_string().contains("newer"));
    }
}
