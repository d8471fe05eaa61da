//! Storage: one row-level interface over SQLite (embedded, the default) and PostgreSQL, so ingestion, the current
//! state and every query are written once.
//!
//! Why a thin `Sql` interface rather than a repository trait with one implementation per engine: the SQL *is* the
//! logic (idempotency check, host state replacement, aggregates), and two copies of it would drift. The statements
//! are written once in the dialect both engines share — `$N` placeholders, `ON CONFLICT … DO UPDATE`, `RETURNING`,
//! `CASE`, `TRUE`/`FALSE`, partial indexes — and the engines differ only in their migration files (column types)
//! and in how a transaction starts. Values cross the interface as a small closed set ([`Param`] in, [`Cell`] out:
//! integer, text, boolean, null), which both engines map exactly; SQLite stores booleans as 0/1 and [`Row::bool`]
//! reads either form.
//!
//! Transactions are the unit of work, and they behave the same on both engines:
//! - [`Store::write`] is one writer at a time (SQLite `BEGIN IMMEDIATE`; PostgreSQL a transaction-scoped advisory
//!   lock), committed before it returns, so "check the idempotency key, then insert" and "replace the host's current
//!   state" never interleave with another upload, and an acknowledged upload is durable;
//! - [`Store::read`] is a consistent snapshot that never waits for a writer (a deferred SQLite transaction in WAL
//!   mode, on a reader connection of its own; PostgreSQL `REPEATABLE READ READ ONLY`), so the several queries behind
//!   one answer agree with each other, and a large upload holds up no page.
//!
//! Both are synchronous: the HTTP layer calls them on tokio's blocking pool.

pub mod postgres;
pub mod sqlite;

use std::fmt;
use std::path::PathBuf;

/// Where the data lives: `--db PATH` (SQLite) or `--database postgres://…`.
#[derive(Clone, Debug)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

/// A bound parameter. Integers are `BIGINT` on PostgreSQL (every integer column is), text is `TEXT`.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Bool(bool),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}
impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Bool(v)
    }
}
impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}
impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}
impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// `args![a, b, c]`: a parameter slice for [`Sql::query`] and [`Sql::execute`].
macro_rules! args {
    ($($x:expr),* $(,)?) => { &[$($crate::store::Param::from($x)),*] };
}
pub(crate) use args;

/// One value of a result row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
}

/// A result row; getters fail (rather than guess) when a column holds another type than asked for.
#[derive(Debug)]
pub struct Row(pub Vec<Cell>);

impl Row {
    fn cell(&self, i: usize) -> Result<&Cell, StoreError> {
        self.0.get(i).ok_or_else(|| StoreError::msg(format!("no column {i} in result row")))
    }

    fn mismatch(&self, i: usize, want: &str) -> StoreError {
        StoreError::msg(format!("column {i}: expected {want}, found {:?}", self.0.get(i)))
    }

    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Int(v) => Ok(Some(*v)),
            Cell::Bool(b) => Ok(Some(i64::from(*b))),
            _ => Err(self.mismatch(i, "an integer")),
        }
    }

    pub fn i64(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_i64(i)?.ok_or_else(|| self.mismatch(i, "an integer"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<&str>, StoreError> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Text(s) => Ok(Some(s)),
            _ => Err(self.mismatch(i, "text")),
        }
    }

    pub fn text(&self, i: usize) -> Result<&str, StoreError> {
        self.opt_text(i)?.ok_or_else(|| self.mismatch(i, "text"))
    }

    /// A boolean, stored as `BOOLEAN` (PostgreSQL) or 0/1 (SQLite).
    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>, StoreError> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Bool(b) => Ok(Some(*b)),
            Cell::Int(v) => Ok(Some(*v != 0)),
            _ => Err(self.mismatch(i, "a boolean")),
        }
    }

    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        self.opt_bool(i)?.ok_or_else(|| self.mismatch(i, "a boolean"))
    }
}

/// A database failure. Its message may name a table or a constraint, never a parameter value.
#[derive(Debug)]
pub struct StoreError(String);

impl StoreError {
    pub fn msg(m: impl Into<String>) -> Self {
        StoreError(m.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("SQLite: {e}"))
    }
}

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        // `Display` of a server error is only its severity and message; the detail (which key collided, which
        // column) is what an operator needs.
        match e.as_db_error() {
            Some(db) => StoreError(format!(
                "PostgreSQL: {}{}",
                db.message(),
                db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
            )),
            // Connection failures keep their cause (refused, timed out, authentication) in the error's source.
            None => match std::error::Error::source(&e) {
                Some(cause) => StoreError(format!("PostgreSQL: {e}: {cause}")),
                None => StoreError(format!("PostgreSQL: {e}")),
            },
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError(format!("PostgreSQL connection pool: {e}"))
    }
}

/// What ingestion and queries see: run a statement, get rows. Shared SQL uses `$1`, `$2`… placeholders.
pub trait Sql {
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError>;
    /// Returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError>;
    /// Run a query and hand each row to `each` as it comes, without holding the whole result (an export of every
    /// credential); `each` may stop early with an error.
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// Several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    fn backend(&self) -> Backend;

    fn query_opt(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?.ok_or_else(|| StoreError::msg("query returned no row"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The open database: cheap to clone (shared handles).
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

/// Settings for opening a store.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Most connections the server keeps for reads: PostgreSQL connections (uploads share them), or SQLite reader
    /// connections (SQLite writes go through one more connection of their own).
    pub max_connections: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_connections: 8 }
    }
}

impl Store {
    /// Connect (creating a SQLite file if needed). The schema is not touched: `schema::open` connects and then
    /// brings it up to date, which is what every command wants.
    pub fn connect(location: &Location, options: Options) -> anyhow::Result<Store> {
        Ok(match location {
            Location::Sqlite(path) => Store::Sqlite(sqlite::SqliteStore::open(path, options.max_connections)?),
            Location::Postgres(url) => Store::Postgres(postgres::PgStore::open(url, options.max_connections)?),
        })
    }

    /// For the startup message: the engine and where, without any password.
    pub fn describe(&self) -> String {
        match self {
            Store::Sqlite(s) => format!("SQLite {}", s.path.display()),
            Store::Postgres(s) => format!("PostgreSQL {}", s.description),
        }
    }

    /// Run `f` in a read-only snapshot.
    pub fn read<T, E: From<StoreError>>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        match self {
            Store::Sqlite(s) => s.read(f),
            Store::Postgres(s) => s.read(f),
        }
    }

    /// Run `f` as the only writer; committed (durably) if it returns `Ok`, rolled back otherwise.
    pub fn write<T, E: From<StoreError>>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        match self {
            Store::Sqlite(s) => s.write(f),
            Store::Postgres(s) => s.write(f),
        }
    }
}

/// Values per `IN (…)` list in [`in_chunks`]. Lists are padded to this length so each statement has one shape,
/// which PostgreSQL prepares once per connection.
const IN_CHUNK: usize = 100;

/// Run `sql` for every value in `values`, `IN_CHUNK` at a time: its `{in}` becomes a padded list of placeholders
/// (`$1` … `$100`; the last value repeated), and `each` sees every row.
pub fn in_chunks(
    c: &mut dyn Sql,
    sql: &str,
    values: &[Param<'_>],
    mut each: impl FnMut(Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let list = (1..=IN_CHUNK).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = sql.replace("{in}", &list);
    for chunk in values.chunks(IN_CHUNK) {
        let params: Vec<Param> = (0..IN_CHUNK).map(|i| chunk[i.min(chunk.len() - 1)]).collect();
        for r in c.query(&sql, &params)? {
            each(r)?;
        }
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
    fn getters_convert_booleans_and_refuse_other_types() {
        let r = Row(vec![Cell::Int(1), Cell::Bool(false), Cell::Text("x".into()), Cell::Null]);
        assert!(r.bool(0).unwrap());
        assert!(!r.bool(1).unwrap());
        assert_eq!(r.i64(1).unwrap(), 0);
        assert_eq!(r.text(2).unwrap(), "x");
        assert_eq!(r.opt_text(3).unwrap(), None);
        assert!(r.i64(2).is_err());
        assert!(r.text(0).is_err());
        assert!(r.i64(3).is_err());
        assert!(r.i64(9).is_err());
    }
}
