//! Web sessions: what the page's login form trades a read token for.
//!
//! The cookie holds a random session id, never the read token itself, because:
//! - a read token is a long-lived credential that also opens the JSON API from anywhere; a cookie is written to the
//!   browser profile on disk and sent on every request, so keeping the token there would widen where it can leak,
//!   and "log out" could not take it back;
//! - a session id is short-lived ([`LIFETIME`]), only good for the HTML pages (the `/v1` API accepts bearer tokens
//!   only, so it needs no CSRF defence), ends server-side on logout — a copied cookie stops working at once — and
//!   ends when its token is revoked (the check joins `tokens`);
//! - like tokens, only its SHA-256 is stored, so a copy of the database does not hold live sessions.
//!
//! The cookie is `HttpOnly` (no script can read it, so an injection in the page could not steal it),
//! `SameSite=Strict` (never sent on cross-site requests: no cross-site form post or link carries the session) and
//! `Path=/`. It is `Secure` when the server is told it is reached over HTTPS (`--secure-cookies`, or a reverse
//! proxy's `X-Forwarded-Proto: https`); on plain-HTTP loopback a `Secure` cookie would not be sent back at all.

use crate::store::{args, Sql, StoreError};
use crate::tokens::{self, Scope};
use std::time::{Duration, SystemTime};

/// The cookie's name.
pub const COOKIE: &str = "credsweep_session";

/// How long a login lasts (absolute, not sliding).
pub const LIFETIME: Duration = Duration::from_secs(12 * 3600);

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Unknown, malformed or revoked token.
    Invalid,
    /// A valid upload token: the page needs a read token.
    WrongScope,
}

/// Trade a read token for a new session id (the cookie's value). Expired sessions are swept here, so the table
/// stays as small as the number of people logged in.
pub fn login(c: &mut dyn Sql, token: &str) -> Result<Result<String, Refused>, StoreError> {
    let token_id = match tokens::check(c, token.trim())? {
        None => return Ok(Err(Refused::Invalid)),
        Some((_, Scope::Upload)) => return Ok(Err(Refused::WrongScope)),
        Some((id, Scope::Read)) => id,
    };
    let now = SystemTime::now();
    c.execute("DELETE FROM sessions WHERE expires_at <= $1", args![&rfc3339(now)])?;
    let id = tokens::random().map_err(|e| StoreError::msg(e.to_string()))?;
    c.execute(
        "INSERT INTO sessions (id_hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        args![&tokens::hash(&id), token_id, &rfc3339(now), &rfc3339(now + LIFETIME)],
    )?;
    Ok(Ok(id))
}

/// Is this cookie value a live session of an unrevoked read token?
pub fn check(c: &mut dyn Sql, id: &str) -> Result<bool, StoreError> {
    let row = c.query_opt(
        "SELECT t.scope FROM sessions s JOIN tokens t ON t.id = s.token_id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND t.revoked_at IS NULL",
        args![&tokens::hash(id), &rfc3339(SystemTime::now())],
    )?;
    Ok(row.is_some_and(|r| r.text(0).ok() == Some("read")))
}

/// End a session (logout). Unknown ids are fine: the result is the same.
pub fn logout(c: &mut dyn Sql, id: &str) -> Result<(), StoreError> {
    c.execute("DELETE FROM sessions WHERE id_hash = $1", args![&tokens::hash(id)])?;
    Ok(())
}

/// The session id from a `Cookie` header, if any.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').map(str::trim).find_map(|kv| kv.strip_prefix(COOKIE)?.strip_prefix('=')).filter(|v| !v.is_empty())
}

/// `Set-Cookie` value for a new session.
pub fn set_cookie(id: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        LIFETIME.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` value that deletes the cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Location, Options};

    #[test]
    fn cookie_parsing() {
        assert_eq!(from_cookie_header("a=b; credsweep_session=xyz; c=d"), Some("xyz"));
        assert_eq!(from_cookie_header("credsweep_session="), None);
        assert_eq!(from_cookie_header("credsweep_sessionx=1"), None);
        assert!(set_cookie("x", false).contains("HttpOnly; SameSite=Strict; Path=/"));
        assert!(set_cookie("x", true).ends_with("; Secure"));
    }

    #[test]
    fn login_check_logout_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::schema::open(&Location::Sqlite(dir.path().join("s.sqlite")), Options::default()).unwrap();
        let read = tokens::create(&store, "reader", Scope::Read).unwrap();
        let up = tokens::create(&store, "uploader", Scope::Upload).unwrap();
        assert_eq!(store.write(|c| login(c, "csr_nope")).unwrap(), Err(Refused::Invalid));
        assert_eq!(store.write(|c| login(c, &up)).unwrap(), Err(Refused::WrongScope));
        let id = store.write(|c| login(c, &read)).unwrap().unwrap();
        assert!(store.read(|c| check(c, &id)).unwrap());
        assert!(!store.read(|c| check(c, &read)).unwrap(), "the token is not a session id");
        let stored =
            store.read(|c| Ok::<_, StoreError>(c.query_one("SELECT id_hash FROM sessions", &[])?.text(0)?.to_owned()));
        assert_ne!(stored.unwrap(), id, "only the hash is stored");
        store.write(|c| logout(c, &id)).unwrap();
        assert!(!store.read(|c| check(c, &id)).unwrap());
        let id = store.write(|c| login(c, &read)).unwrap().unwrap();
        tokens::revoke(&store, "reader").unwrap();
        assert!(!store.read(|c| check(c, &id)).unwrap(), "revoking the token ends its sessions");
    }
}
