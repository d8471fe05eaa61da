//! `credsweep-registry`: the central registry for credsweep reports.
//!
//! Endpoints upload their JSON inventories; security teams ask fleet-wide questions by fingerprint ("where else is
//! this key?", "which hosts have unencrypted private keys?"). Raw secrets are refused at the door: only
//! fingerprints, redacted forms and locations are ever stored. This crate is the only place in credsweep with an
//! async runtime; the scanner itself stays synchronous.

mod db;
mod error;
mod http;
mod ingest;
mod query;
mod tokens;
mod web;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
        /// SQLite database file (created and migrated if needed).
        #[arg(long, default_value = "registry.sqlite")]
        db: PathBuf,
        /// Largest accepted request body, compressed or decompressed (`32MiB`, `512K`, `1G`, or bytes).
        #[arg(long, default_value = "32MiB", value_parser = parse_size)]
        max_body: usize,
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
        #[arg(long, default_value = "registry.sqlite")]
        db: PathBuf,
    },
    /// List tokens (names, scopes, dates; never values).
    List {
        #[arg(long, default_value = "registry.sqlite")]
        db: PathBuf,
    },
    /// Revoke a token by name.
    Revoke {
        name: String,
        #[arg(long, default_value = "registry.sqlite")]
        db: PathBuf,
    },
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
        Command::Serve { listen, db, max_body } => serve(&listen, &db, max_body),
        Command::Token { command } => match command {
            TokenCommand::Create { name, scope, db } => {
                let conn = db::open(&db)?;
                let token = tokens::create(&conn, &name, scope)?;
                println!("created {} token {name:?}; it is shown only now:", scope.as_str());
                println!("{token}");
                Ok(())
            }
            TokenCommand::List { db } => {
                let conn = db::open(&db)?;
                for t in tokens::list(&conn)? {
                    let state = t.revoked_at.map_or("active".to_owned(), |r| format!("revoked {r}"));
                    println!("{}\t{}\tcreated {}\t{state}", t.name, t.scope, t.created_at);
                }
                Ok(())
            }
            TokenCommand::Revoke { name, db } => {
                tokens::revoke(&db::open(&db)?, &name)?;
                println!("revoked {name:?}");
                Ok(())
            }
        },
    }
}

fn serve(listen: &str, db_path: &std::path::Path, max_body: usize) -> Result<()> {
    let conn = db::open(db_path)?;
    let active = tokens::list(&conn)?.iter().filter(|t| t.revoked_at.is_none()).count();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
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
        let app = http::router(http::AppState::new(conn, max_body));
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
        Ok::<_, anyhow::Error>(())
    })?;
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
