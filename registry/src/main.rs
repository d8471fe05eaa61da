//! `credsweep-registry`: the central registry for credsweep reports.
//!
//! Endpoints upload their JSON inventories; security teams ask fleet-wide questions by fingerprint ("where else is
//! this key?", "which hosts have unencrypted private keys?"). Raw secrets are refused at the door: only
//! fingerprints, redacted forms and locations are ever stored. This crate is the only place in credsweep with an
//! async runtime; the scanner itself stays synchronous.

#[cfg(test)]
mod concurrency_tests;
mod current;
#[cfg(test)]
mod current_tests;
mod error;
mod export;
mod http;
mod ingest;
#[cfg(test)]
mod ingest_props;
mod model;
mod query;
mod schema;
mod scope;
#[cfg(test)]
mod scope_tests;
mod session;
mod state;
mod store;
#[cfg(test)]
mod testing;
mod tokens;
mod validate;
mod web;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use store::{Location, Options, Store};

#[derive(Parser)]
#[command(name = "credsweep-registry", version, about = "Central registry for credsweep reports")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Address to listen on (port 0 picks a free port; the bound address is printed on stderr).
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
        #[command(flatten)]
        db: DbArgs,
        /// Largest accepted request body, compressed or decompressed (`32MiB`, `512K`, `1G`, or bytes).
        #[arg(long, default_value = "32MiB", value_parser = parse_size)]
        max_body: usize,
        /// Most database connections for reads: PostgreSQL connections, or SQLite reader connections (reads run in
        /// parallel and never wait for an upload; uploads are serialized).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
        max_connections: u32,
        /// Mark the web session cookie `Secure`: set this when users reach the server over HTTPS (a TLS-terminating
        /// proxy that sends `X-Forwarded-Proto: https` has the same effect per request).
        #[arg(long)]
        secure_cookies: bool,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token; it is printed once, as the last line, and stored only as a hash.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        scope: tokens::Scope,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List tokens (names, scopes, dates; never values).
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a token by name.
    Revoke {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Where the data lives; every command takes the same two options.
#[derive(Args)]
struct DbArgs {
    /// SQLite database file (created and migrated if needed); the default store.
    #[arg(long, value_name = "PATH", default_value = "registry.sqlite")]
    db: PathBuf,
    /// PostgreSQL instead of SQLite: `postgres://USER@HOST:PORT/DBNAME` (the database must exist; its tables are
    /// created and migrated). Prefer the environment variable, or `PGPASSWORD` for the password, so no password
    /// shows in process listings.
    #[arg(
        long,
        value_name = "URL",
        env = "CREDSWEEP_REGISTRY_DATABASE",
        hide_env_values = true,
        conflicts_with = "db"
    )]
    database: Option<String>,
}

impl DbArgs {
    fn location(&self) -> Result<Location> {
        match &self.database {
            None => Ok(Location::Sqlite(self.db.clone())),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.clone()))
            }
            Some(_) => anyhow::bail!("--database takes a postgres:// URL (use --db PATH for SQLite)"),
        }
    }

    fn open(&self, options: Options) -> Result<Store> {
        schema::open(&self.location()?, options)
    }
}

/// `32MiB`, `512K`, `1G`, `1000`: binary multiples (K = KiB), case-insensitive, optional `B`/`iB` suffix.
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix("ib").or_else(|| t.strip_suffix('b')).unwrap_or(&t);
    let (num, mult) = match t.chars().last() {
        Some('k') => (&t[..t.len() - 1], 1usize << 10),
        Some('m') => (&t[..t.len() - 1], 1 << 20),
        Some('g') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let n: usize = num.trim().parse().map_err(|_| format!("invalid size {s:?} (examples: 32MiB, 512K, 1000)"))?;
    n.checked_mul(mult).filter(|n| *n > 0).ok_or_else(|| format!("invalid size {s:?}"))
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("credsweep-registry: error: {e:#}");
        std::process::exit(2);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { listen, db, max_body, max_connections, secure_cookies } => {
            let store = db.open(Options { max_connections })?;
            eprintln!("credsweep-registry: database: {}", store.describe());
            validate::warm_up();
            serve(&listen, store, state::Settings { max_body, secure_cookies })
        }
        Command::Token { command } => match command {
            TokenCommand::Create { name, scope, db } => {
                let store = db.open(Options { max_connections: 1 })?;
                let token = tokens::create(&store, &name, scope)?;
                println!("created {} token {name:?}; it is shown only now:", scope.as_str());
                println!("{token}");
                Ok(())
            }
            TokenCommand::List { db } => {
                for t in tokens::list(&db.open(Options { max_connections: 1 })?)? {
                    let state = t.revoked_at.map_or("active".to_owned(), |r| format!("revoked {r}"));
                    println!("{}\t{}\tcreated {}\t{state}", t.name, t.scope, t.created_at);
                }
                Ok(())
            }
            TokenCommand::Revoke { name, db } => {
                tokens::revoke(&db.open(Options { max_connections: 1 })?, &name)?;
                println!("revoked {name:?}");
                Ok(())
            }
        },
    }
}

fn serve(listen: &str, store: Store, settings: state::Settings) -> Result<()> {
    let active = tokens::list(&store)?.iter().filter(|t| t.revoked_at.is_none()).count();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let state = state::AppState::new(store.clone(), settings);
    rt.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        if active == 0 {
            eprintln!(
                "credsweep-registry: warning: no active tokens; create one with `credsweep-registry token create`"
            );
        }
        // Tests and scripts read this line to find the port when listening on port 0.
        eprintln!("credsweep-registry listening on http://{addr}");
        let app = http::router(state);
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    // PostgreSQL connections each own a small runtime, which must not be dropped inside the server's async
    // context: the last handle to the pool is this one, released after the server's runtime is gone.
    drop(rt);
    drop(store);
    eprintln!("credsweep-registry: stopped");
    Ok(())
}

/// Finish in-flight requests on Ctrl-C or SIGTERM (every acknowledged report is already committed either way).
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::parse_size("32MiB"), Ok(32 << 20));
        assert_eq!(super::parse_size("512K"), Ok(512 << 10));
        assert_eq!(super::parse_size("1g"), Ok(1 << 30));
        assert_eq!(super::parse_size("1000"), Ok(1000));
        assert!(super::parse_size("lots").is_err());
        assert!(super::parse_size("0").is_err());
    }
}
