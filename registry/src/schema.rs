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
        after: Some(crate::current::rebuild),
    },
    Migration {
        version: 3,
        sqlite: include_str!("../migrations/sqlite/0003_paged_lists.sql"),
        postgres: include_str!("../migrations/postgres/0003_paged_lists.sql"),
        after: None,
    },
];

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
