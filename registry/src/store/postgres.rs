//! The PostgreSQL engine: `--database postgres://user@host:port/dbname`.
//!
//! Why the synchronous `postgres` crate behind an `r2d2` pool, on tokio's blocking pool: it is `tokio-postgres` (the
//! mature driver) with a blocking face, so the shared ingestion and query code — which is synchronous because
//! `rusqlite` is — runs unchanged on either engine inside `spawn_blocking`, and a PostgreSQL transaction is exactly
//! as visible as a SQLite one. Each pooled connection keeps its own prepared statements.
//!
//! Writers are serialized by a transaction-scoped advisory lock, mirroring SQLite's single writer: the idempotency
//! check and the insert, and the replacement of a host's current state, then see every earlier upload, with no
//! serialization failures to retry. Readers run beside writers (MVCC). `synchronous_commit` is PostgreSQL's default
//! (`on`): `COMMIT` returns once the WAL is flushed, and the HTTP answer comes after it.
//!
//! TLS to the database is not built in (`NoTls`): reach PostgreSQL over a Unix socket
//! (`postgres://user@%2Fvar%2Frun%2Fpostgresql/db`), loopback, or a tunnel. A password may come from the URL or,
//! to keep it out of process listings, from `PGPASSWORD`.

use super::{Backend, Cell, Param, Row, Sql, StoreError};
use ::postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use ::postgres::{Client, Config, NoTls, Statement};
use anyhow::Context as _;
use bytes::BytesMut;
use std::collections::HashMap;
use std::error::Error;
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The advisory lock every writer holds until its transaction ends ("csreg" in ASCII).
const WRITER_LOCK: i64 = 0x63_73_72_65_67;

#[derive(Clone)]
pub struct PgStore {
    pool: r2d2::Pool<Manager>,
    /// This process's writers queue here, before taking a connection: uploads waiting for the writer lock would
    /// otherwise hold every pooled connection and starve the readers.
    writers: Arc<Mutex<()>>,
    /// The URL without its password.
    pub description: String,
}

/// The URL as the user gave it, minus any password: for messages.
pub fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            ::postgres::config::Host::Tcp(s) => s.clone(),
            #[cfg(unix)]
            ::postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .collect();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{}:{port}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

/// Parse a `postgres://` URL (or `key=value` string) and fill in what the registry needs by default.
pub fn config(url: &str) -> anyhow::Result<Config> {
    let mut config = Config::from_str(url).map_err(|e| anyhow::anyhow!("invalid PostgreSQL URL: {e}"))?;
    if config.get_password().is_none() {
        if let Some(pw) = std::env::var_os("PGPASSWORD") {
            config.password(pw.as_encoded_bytes());
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("credsweep-registry");
    }
    Ok(config)
}

impl PgStore {
    /// Connect once (so a wrong URL or password fails now, with PostgreSQL's message), then start the pool.
    pub fn open(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let config = config(url)?;
        let description = describe(&config);
        let manager = Manager { config };
        drop(
            r2d2::ManageConnection::connect(&manager)
                .map_err(StoreError::from)
                .with_context(|| format!("cannot connect to {description}"))?,
        );
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(30))
            .error_handler(Box::new(PrintErrors))
            .build_unchecked(manager);
        Ok(PgStore { pool, writers: Arc::new(Mutex::new(())), description })
    }

    fn run<T, E: From<StoreError>>(&self, begin: &str, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.pool.get().map_err(StoreError::from)?;
        conn.client.batch_execute(begin).map_err(StoreError::from)?;
        let mut tx = Tx { conn: &mut conn, open: true };
        let out = f(&mut tx)?;
        tx.conn.client.batch_execute("COMMIT").map_err(StoreError::from)?;
        tx.open = false;
        Ok(out)
    }

    pub fn read<T, E: From<StoreError>>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        self.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", f)
    }

    /// The advisory lock serializes writers across processes (servers, `token create`); the mutex within this one.
    pub fn write<T, E: From<StoreError>>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T, E>) -> Result<T, E> {
        let _turn = self.writers.lock().unwrap_or_else(|p| p.into_inner());
        self.run(&format!("BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"), f)
    }
}

/// A pooled connection and the statements prepared on it.
pub struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

pub struct Manager {
    config: Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = ::postgres::Error;

    fn connect(&self) -> Result<PgConn, ::postgres::Error> {
        Ok(PgConn { client: self.config.connect(NoTls)?, statements: HashMap::new() })
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<(), ::postgres::Error> {
        conn.client.simple_query("").map(drop)
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.client.is_closed()
    }
}

#[derive(Debug)]
struct PrintErrors;

impl r2d2::HandleError<::postgres::Error> for PrintErrors {
    fn handle_error(&self, e: ::postgres::Error) {
        eprintln!("credsweep-registry: PostgreSQL connection error: {}", StoreError::from(e));
    }
}

/// An open transaction; rolled back if dropped before commit (an error, or a panic unwinding), so a connection
/// never goes back to the pool in the middle of one.
struct Tx<'a> {
    conn: &'a mut PgConn,
    open: bool,
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.client.batch_execute("ROLLBACK");
        }
    }
}

impl Tx<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.conn.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.conn.client.prepare(sql)?;
        self.conn.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Param::Text(s) => s.to_sql(ty, out),
            Param::Bool(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::INT2 | Type::INT4 | Type::INT8 | Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::BOOL)
    }

    to_sql_checked!();
}

fn cells(row: &::postgres::Row) -> Result<Row, StoreError> {
    let mut out = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let cell = match *col.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
            Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(|v| Cell::Int(v.into())),
            Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(|v| Cell::Int(v.into())),
            Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(Cell::Bool),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Cell::Float),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i)?.map(Cell::Text)
            }
            ref other => {
                return Err(StoreError::msg(format!("column {:?}: unsupported PostgreSQL type {other}", col.name())))
            }
        };
        out.push(cell.unwrap_or(Cell::Null));
    }
    Ok(Row(out))
}

fn bind<'a>(params: &'a [Param<'_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for Tx<'_> {
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(sql)?;
        self.conn.client.query(&stmt, &bind(params))?.iter().map(cells).collect()
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use ::postgres::fallible_iterator::FallibleIterator as _;
        let stmt = self.statement(sql)?;
        let mut rows = self.conn.client.query_raw(&stmt, bind(params))?;
        while let Some(r) = rows.next()? {
            each(cells(&r)?)?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let stmt = self.statement(sql)?;
        Ok(self.conn.client.execute(&stmt, &bind(params))?)
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        // A schema change may invalidate prepared statements' result types.
        self.conn.statements.clear();
        Ok(self.conn.client.batch_execute(sql)?)
    }

    fn backend(&self) -> Backend {
        Backend::Postgres
    }
}

#[cfg(test)]
/// `url` with its database name replaced (the path of a `postgres://` URL).
pub fn with_dbname(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// For tests: a database of its own, created on the server of `admin_url` (whose role needs CREATEDB), dropped
/// when this is dropped.
#[cfg(test)]
pub struct TempDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

#[cfg(test)]
impl TempDatabase {
    pub fn create(admin_url: &str) -> TempDatabase {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("credsweep_unit_{}_{n}", std::process::id());
        let mut admin = config(admin_url).unwrap().connect(NoTls).expect("connect to CREDSWEEP_TEST_POSTGRES_URL");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        TempDatabase { admin_url: admin_url.to_owned(), url: with_dbname(admin_url, &name), name }
    }
}

#[cfg(test)]
impl Drop for TempDatabase {
    fn drop(&mut self) {
        // Retried: an autovacuum worker the test role may not terminate can hold the database for a moment.
        for _ in 0..50 {
            if let Ok(mut admin) = config(&self.admin_url).and_then(|c| Ok(c.connect(NoTls)?)) {
                if admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).is_ok() {
                    return;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_replaced() {
        use super::with_dbname;
        assert_eq!(with_dbname("postgres://u@h:5432/a", "b"), "postgres://u@h:5432/b");
        assert_eq!(with_dbname("postgres://u@h/a?sslmode=disable", "b"), "postgres://u@h/b?sslmode=disable");
        assert_eq!(with_dbname("postgresql://u@h", "b"), "postgresql://u@h/b");
    }

    #[test]
    fn description_never_shows_the_password() {
        let c = super::config(&format!("postgres://reg:{}@db.internal:6543/fleet", "pw-not-shown")).unwrap();
        let d = super::describe(&c);
        assert_eq!(d, "postgres://reg@db.internal:6543/fleet");
        assert!(super::config("mysql://x").is_err());
    }
}
