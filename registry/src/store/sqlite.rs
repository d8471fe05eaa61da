//! The SQLite engine (the embedded default): one file, WAL mode, one writer connection and a pool of readers.
//!
//! Why `rusqlite` (bundled) rather than `sqlx`: the registry is one process with one database file, writes are
//! serialized by SQLite anyway, and a synchronous API run on tokio's blocking pool keeps every ingest a plain,
//! visible transaction (`BEGIN IMMEDIATE … COMMIT`) with no compile-time database or macro magic. `bundled` pins the
//! SQLite version, so WAL behaviour does not depend on the host's library.
//!
//! Durability: WAL mode with `synchronous = FULL` — a commit is on disk (WAL fsynced) before `COMMIT` returns, and
//! the HTTP layer only answers 2xx after that, so a `kill -9` (or power loss) never loses an acknowledged report.
//!
//! Writes go through one connection behind a mutex (SQLite has one writer at a time anyway). Reads do not: each read
//! transaction takes a connection of its own from a pool, and in WAL mode a reader works from the last committed
//! state while a writer appends to the log, so a page or `/v1/summary` never waits behind a large upload (issue #16:
//! with one shared connection, a read waited for a whole 85,000-finding ingest).

use super::{Backend, Cell, Param, Row, Sql, StoreError};
use anyhow::{bail, Context as _};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a statement waits for a lock another process holds (a `token create` beside the server).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    readers: r2d2::Pool<Readers>,
    pub path: PathBuf,
}

impl SqliteStore {
    /// Open (creating if needed) the file and set the pragmas; the caller migrates. At most `max_readers` read
    /// connections are open at once.
    pub fn open(path: &Path, max_readers: u32) -> anyhow::Result<Self> {
        create_private(path)?;
        let conn = Connection::open(path).with_context(|| format!("cannot open database {}", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            bail!("database {} cannot use WAL mode (journal_mode is {mode})", path.display());
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let readers = r2d2::Pool::builder()
            .max_size(max_readers.max(1))
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(30))
            .build_unchecked(Readers { path: path.to_owned() });
        Ok(SqliteStore { writer: Arc::new(Mutex::new(conn)), readers, path: path.to_owned() })
    }

    fn run<T, E: From<StoreError>>(
        conn: &mut Connection,
        behavior: TransactionBehavior,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = conn.transaction_with_behavior(behavior).map_err(StoreError::from)?;
        let out = f(&mut SqliteSql(&tx))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// A read transaction on a reader connection of its own: a consistent snapshot of the last commit, taken at its
    /// first statement, that neither waits for nor blocks the writer.
    pub fn read<T, E: From<StoreError>>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.readers.get().map_err(|e| StoreError::msg(format!("SQLite reader pool: {e}")))?;
        Self::run(&mut conn, TransactionBehavior::Deferred, f)
    }

    /// `BEGIN IMMEDIATE`: the write lock is taken up front, so a check-then-insert cannot interleave with another
    /// writer (a second process on the same file, such as `token create`).
    pub fn write<T, E: From<StoreError>>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        // A panic in an earlier holder poisons nothing that matters: its unfinished transaction rolled back when
        // it was dropped, so the connection is consistent and the lock is reclaimed.
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        Self::run(&mut conn, TransactionBehavior::Immediate, f)
    }
}

/// Opens read connections: `query_only`, so a read transaction cannot write even by mistake.
struct Readers {
    path: PathBuf,
}

impl r2d2::ManageConnection for Readers {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<Connection, rusqlite::Error> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), rusqlite::Error> {
        conn.execute_batch("")
    }

    fn has_broken(&self, _: &mut Connection) -> bool {
        false
    }
}

/// Create the database file readable by its owner only (0600), if it does not exist yet: it holds every host's
/// inventory and the token and session hashes. SQLite gives the `-wal` and `-shm` files it creates beside it the
/// database file's permissions. An existing file keeps the permissions its owner gave it.
fn create_private(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create database {}", path.display())),
    }
}

struct SqliteSql<'a>(&'a Connection);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(v)),
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Param::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(b))),
        })
    }
}

/// The shared SQL writes PostgreSQL's `$N`; SQLite reads `$1` as a *named* parameter numbered by first appearance,
/// so it becomes `?N`, which SQLite numbers explicitly.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl Sql for SqliteSql<'_> {
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let mut out = Vec::new();
        self.query_each(sql, params, &mut |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.0.prepare_cached(&placeholders(sql))?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                cells.push(match r.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Real(v) => Cell::Float(v),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => return Err(StoreError::msg(format!("column {i}: unexpected blob"))),
                });
            }
            each(Row(cells))?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let mut stmt = self.0.prepare_cached(&placeholders(sql))?;
        Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{args, Location, Options, Store};

    #[test]
    fn placeholders_are_renumbered_explicitly() {
        assert_eq!(placeholders("SELECT $2, $1, $10 FROM t WHERE a = '$'"), "SELECT ?2, ?1, ?10 FROM t WHERE a = '$'");
    }

    #[test]
    fn uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&Location::Sqlite(dir.path().join("r.sqlite")), Options::default()).unwrap();
        let mode = store.read(|c| Ok::<_, StoreError>(c.query_one("PRAGMA journal_mode", &[])?.text(0)?.to_owned()));
        assert_eq!(mode.unwrap(), "wal");
    }

    /// Issue #16: the database (and the WAL files beside it) were created 0644, readable by every local user.
    #[cfg(unix)]
    #[test]
    fn database_files_are_created_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let store = Store::connect(&Location::Sqlite(path.clone()), Options::default()).unwrap();
        store.write(|c| c.batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)")).unwrap();
        for name in ["r.sqlite", "r.sqlite-wal", "r.sqlite-shm"] {
            let mode = std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name}: {mode:o}");
        }
    }

    #[test]
    fn failed_write_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&Location::Sqlite(dir.path().join("r.sqlite")), Options::default()).unwrap();
        store.write(|c| c.batch("CREATE TABLE t (n INTEGER)")).unwrap();
        let r: Result<(), StoreError> = store.write(|c| {
            c.execute("INSERT INTO t (n) VALUES ($1)", args![1i64])?;
            Err(StoreError::msg("refused"))
        });
        assert!(r.is_err());
        let n = store.read(|c| c.query_one("SELECT COUNT(*) FROM t", &[])?.i64(0)).unwrap();
        assert_eq!(n, 0);
    }
}
