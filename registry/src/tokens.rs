//! API tokens: created on the command line, stored only as SHA-256 hashes, checked on every request.
//!
//! A token is `csr_` + base64url (no padding) of 32 random bytes: 256 bits of entropy, so a plain (unsalted,
//! fast) SHA-256 is enough to make a stolen database useless for authentication, and lookups stay a single indexed
//! equality. The `csr_` prefix makes leaked registry tokens recognisable by secret scanners (credsweep included).

use anyhow::{bail, Context as _, Result};
use base64::Engine as _;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// What a token may do: `upload` may only POST reports, `read` may only query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    Upload,
    Read,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Upload => "upload",
            Scope::Read => "read",
        }
    }

    /// For messages: "an upload", "a read".
    pub fn with_article(self) -> &'static str {
        match self {
            Scope::Upload => "an upload",
            Scope::Read => "a read",
        }
    }

    fn parse(s: &str) -> Option<Scope> {
        match s {
            "upload" => Some(Scope::Upload),
            "read" => Some(Scope::Read),
            _ => None,
        }
    }
}

/// One row of `token list` (never the token itself: it is not stored).
#[derive(Debug)]
pub struct TokenInfo {
    pub name: String,
    pub scope: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Create a token and return it; this is the only moment its value is known.
pub fn create(conn: &Connection, name: &str, scope: Scope) -> Result<String> {
    if name.trim().is_empty() {
        bail!("token name must not be empty");
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let token = format!("csr_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let exists: Option<i64> =
        conn.query_row("SELECT id FROM tokens WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    if exists.is_some() {
        bail!("a token named {name:?} already exists (revoke it or choose another name)");
    }
    conn.execute(
        "INSERT INTO tokens (name, scope, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        (name, scope.as_str(), hash(&token), crate::db::now()),
    )
    .context("cannot store token")?;
    Ok(token)
}

pub fn list(conn: &Connection) -> Result<Vec<TokenInfo>> {
    let mut stmt = conn.prepare("SELECT name, scope, created_at, revoked_at FROM tokens ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(TokenInfo { name: r.get(0)?, scope: r.get(1)?, created_at: r.get(2)?, revoked_at: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revoke by name; revoked tokens stay listed (who had access, until when).
pub fn revoke(conn: &Connection, name: &str) -> Result<()> {
    let n = conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        (name, crate::db::now()),
    )?;
    if n == 0 {
        bail!("no active token named {name:?}");
    }
    Ok(())
}

/// The scope of a valid, unrevoked token; `None` for anything else.
pub fn check(conn: &Connection, token: &str) -> Result<Option<Scope>> {
    let scope: Option<String> = conn
        .query_row("SELECT scope FROM tokens WHERE hash = ?1 AND revoked_at IS NULL", [hash(token)], |r| r.get(0))
        .optional()?;
    Ok(scope.as_deref().and_then(Scope::parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_check_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("t.sqlite")).unwrap();
        let t = create(&conn, "ci", Scope::Upload).unwrap();
        assert!(t.starts_with("csr_") && t.len() == 4 + 43, "{t}");
        assert_eq!(check(&conn, &t).unwrap(), Some(Scope::Upload));
        assert_eq!(check(&conn, "csr_nope").unwrap(), None);
        assert!(create(&conn, "ci", Scope::Read).is_err());
        let stored: String = conn.query_row("SELECT hash FROM tokens", [], |r| r.get(0)).unwrap();
        assert!(!stored.contains(&t[4..]));
        revoke(&conn, "ci").unwrap();
        assert_eq!(check(&conn, &t).unwrap(), None);
        assert!(revoke(&conn, "ci").is_err());
        assert!(list(&conn).unwrap()[0].revoked_at.is_some());
    }
}
