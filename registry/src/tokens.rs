//! API tokens: created on the command line, stored only as SHA-256 hashes, checked on every request.
//!
//! A token is `csr_` + base64url (no padding) of 32 random bytes: 256 bits of entropy, so a plain (unsalted,
//! fast) SHA-256 is enough to make a stolen database useless for authentication, and lookups stay a single indexed
//! equality. The `csr_` prefix makes leaked registry tokens recognisable by secret scanners (credsweep included).

use crate::store::{args, Sql, Store, StoreError};
use anyhow::{bail, Context as _, Result};
use base64::Engine as _;
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

    pub fn parse(s: &str) -> Option<Scope> {
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

/// Hex SHA-256: how tokens (and session ids) are stored.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// 32 random bytes, base64url without padding (43 characters).
pub fn random() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Create a token and return it; this is the only moment its value is known.
pub fn create(store: &Store, name: &str, scope: Scope) -> Result<String> {
    if name.trim().is_empty() {
        bail!("token name must not be empty");
    }
    let token = format!("csr_{}", random()?);
    store.write(|c| -> Result<()> {
        if c.query_opt("SELECT id FROM tokens WHERE name = $1", args![name])?.is_some() {
            bail!("a token named {name:?} already exists (revoke it or choose another name)");
        }
        c.execute(
            "INSERT INTO tokens (name, scope, hash, created_at) VALUES ($1, $2, $3, $4)",
            args![name, scope.as_str(), &hash(&token), &crate::store::now()],
        )
        .context("cannot store token")?;
        Ok(())
    })?;
    Ok(token)
}

pub fn list(store: &Store) -> Result<Vec<TokenInfo>> {
    store.read(|c| {
        c.query("SELECT name, scope, created_at, revoked_at FROM tokens ORDER BY id", &[])?
            .iter()
            .map(|r| {
                Ok(TokenInfo {
                    name: r.text(0)?.to_owned(),
                    scope: r.text(1)?.to_owned(),
                    created_at: r.text(2)?.to_owned(),
                    revoked_at: r.opt_text(3)?.map(str::to_owned),
                })
            })
            .collect()
    })
}

/// Revoke by name; revoked tokens stay listed (who had access, until when). The token's web sessions end too.
pub fn revoke(store: &Store, name: &str) -> Result<()> {
    store.write(|c| {
        let now = crate::store::now();
        let n =
            c.execute("UPDATE tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL", args![name, &now])?;
        if n == 0 {
            bail!("no active token named {name:?}");
        }
        c.execute("DELETE FROM sessions WHERE token_id IN (SELECT id FROM tokens WHERE name = $1)", args![name])?;
        Ok(())
    })
}

/// The id and scope of a valid, unrevoked token; `None` for anything else.
pub fn check(c: &mut dyn Sql, token: &str) -> Result<Option<(i64, Scope)>, StoreError> {
    let row =
        c.query_opt("SELECT id, scope FROM tokens WHERE hash = $1 AND revoked_at IS NULL", args![&hash(token)])?;
    match row {
        Some(r) => {
            let id = r.i64(0)?;
            Ok(Scope::parse(r.text(1)?).map(|s| (id, s)))
        }
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Location, Options};

    #[test]
    fn create_check_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::schema::open(&Location::Sqlite(dir.path().join("t.sqlite")), Options::default()).unwrap();
        let t = create(&store, "ci", Scope::Upload).unwrap();
        assert!(t.starts_with("csr_") && t.len() == 4 + 43, "{t}");
        let check = |t: &str| store.read(|c| check(c, t)).unwrap().map(|(_, s)| s);
        assert_eq!(check(&t), Some(Scope::Upload));
        assert_eq!(check("csr_nope"), None);
        assert!(create(&store, "ci", Scope::Read).is_err());
        let stored =
            store.read(|c| Ok::<_, StoreError>(c.query_one("SELECT hash FROM tokens", &[])?.text(0)?.to_owned()));
        assert!(!stored.unwrap().contains(&t[4..]));
        revoke(&store, "ci").unwrap();
        assert_eq!(check(&t), None);
        assert!(revoke(&store, "ci").is_err());
        assert!(list(&store).unwrap()[0].revoked_at.is_some());
    }
}
