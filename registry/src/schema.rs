//! The database schema's versions, and bringing a database up to date when it is opened.
//!
//! A version is the same tables on both engines, in each engine's column types (`migrations/{sqlite,postgres}/`),
//! plus an optional step in Rust that runs in the same transaction after the SQL. The steps are domain code (version
//! 2 fills the maintained current state with [`crate::current::rebuild`]), which is why the list lives here, above
//! both `store` and `current`, rather than inside the storage layer.

use crate::store::{args, Backend, Location, Options, Sql, Store, StoreError};

/// One schema version.
struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
    after: Option<Step>,
}

/// A migration's step in Rust.
type Step = fn(&mut dyn Sql) -> Result<(), StoreError>;

/// Applied in order, each in its own transaction together with its `schema_migrations` row, so a crash
/// mid-migration leaves the previous version intact. Append new versions; never edit an applied one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sqlite: include_str!("../migrations/sqlite/0001_initial.sql"),
        postgres: include_str!("../migrations/postgres/0001_initial.sql"),
        after: None,
    },
    Migration {
        version: 2,
        sqlite: include_str!("../migrations/sqlite/0002_current_state.sql"),
        postgres: include_str!("../migrations/postgres/0002_current_state.sql"),
        // The maintained state is filled by version 4's step, which rebuilds it with the columns of every version
        // (a database is served only once every migration has run).
        after: None,
    },
    Migration {
        version: 3,
        sqlite: include_str!("../migrations/sqlite/0003_paged_lists.sql"),
        postgres: include_str!("../migrations/postgres/0003_paged_lists.sql"),
        after: None,
    },
    Migration {
        version: 4,
        sqlite: include_str!("../migrations/sqlite/0004_scopes.sql"),
        postgres: include_str!("../migrations/postgres/0004_scopes.sql"),
        after: Some(backfill_and_rebuild),
    },
];

/// Version 4's step: the new finding columns (MCP server, agent, file modification time, JWT issue and expiry)
/// filled from the stored report bodies, one report at a time, then the maintained state recomputed.
fn backfill_and_rebuild(c: &mut dyn Sql) -> Result<(), StoreError> {
    let reports: Vec<i64> =
        c.query("SELECT id FROM reports ORDER BY id", &[])?.iter().map(|r| r.i64(0)).collect::<Result<_, _>>()?;
    for report in reports {
        let body = c.query_one("SELECT body FROM reports WHERE id = $1", args![report])?.text(0)?.to_owned();
        let findings = match serde_json::from_str::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(mut o)) => match o.remove("findings") {
                Some(serde_json::Value::Array(a)) => a,
                _ => continue,
            },
            _ => continue,
        };
        // Findings were stored in the report's order, one multi-row insert after another: ids ascend with it.
        let ids = c.query("SELECT id, rule, tool FROM findings WHERE report_id = $1 ORDER BY id", args![report])?;
        for (row, f) in ids.iter().zip(&findings) {
            let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
            let (server, modified) = (text(&f["context"]["server"]), text(&f["file"]["modified"]));
            let (issued, expires) = (text(&f["issued_at"]), text(&f["expires_at"]));
            let agent = crate::model::is_agent(row.text(1)?, row.opt_text(2)?);
            if server.is_none() && modified.is_none() && issued.is_none() && expires.is_none() && !agent {
                continue;
            }
            c.execute(
                "UPDATE findings SET server = $2, agent = $3, file_modified = $4, issued_at = $5, expires_at = $6
                 WHERE id = $1",
                args![
                    row.i64(0)?,
                    server.as_deref(),
                    agent,
                    modified.as_deref(),
                    issued.as_deref(),
                    expires.as_deref()
                ],
            )?;
        }
    }
    crate::current::rebuild(c)
}

/// The schema version this build writes.
pub fn version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Open the database (creating a SQLite file if needed) and bring its schema up to date.
pub fn open(location: &Location, options: Options) -> anyhow::Result<Store> {
    let store = Store::connect(location, options)?;
    migrate(&store)?;
    Ok(store)
}

/// Apply every migration newer than the recorded version. Refuses a database written by a newer registry.
fn migrate(store: &Store) -> anyhow::Result<()> {
    let newest = version();
    for m in MIGRATIONS {
        // Each step re-reads the version under the writer lock, so two processes migrating at once (a server and
        // `token create`) apply every version exactly once.
        store.write(|c| -> anyhow::Result<()> {
            c.batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
            )?;
            let current = c.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])?.i64(0)?;
            if current > newest {
                anyhow::bail!("database schema version {current} is newer than this registry supports ({newest})");
            }
            if current >= m.version {
                return Ok(());
            }
            let sql = match c.backend() {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            c.batch(sql).map_err(|e| anyhow::anyhow!("migration {} failed: {e}", m.version))?;
            if let Some(after) = m.after {
                after(c).map_err(|e| anyhow::anyhow!("migration {} failed: {e}", m.version))?;
            }
            c.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                args![m.version, &crate::store::now()],
            )?;
            Ok(())
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
    }

    #[test]
    fn open_twice_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let loc = Location::Sqlite(dir.path().join("r.sqlite"));
        drop(open(&loc, Options::default()).unwrap());
        let store = open(&loc, Options::default()).unwrap();
        let n = store.read(|c| c.query_one("SELECT COUNT(*) FROM schema_migrations", &[])?.i64(0)).unwrap();
        assert_eq!(n, version());
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let loc = Location::Sqlite(dir.path().join("r.sqlite"));
        let store = open(&loc, Options::default()).unwrap();
        store.write(|c| c.execute("INSERT INTO schema_migrations VALUES ($1, 'x')", args![999i64])).unwrap();
        drop(store);
        let err = open(&loc, Options::default()).err().unwrap();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
