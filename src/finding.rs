//! From engine matches to report findings: position (line, column), fingerprint, location id, redaction.
//!
//! This is the only place that sees a secret's bytes after the engine, and it keeps them only when the user asked
//! with `--include-secrets`.
use std::path::Path;

use crate::{
    engine::{Engine, Match},
    exposure, fingerprint, parsers,
    report::{self, FileInfo, Finding},
    rules::Severity,
    rules::{FingerprintKind, Rule},
    source::FileMeta,
    suppress,
};

/// Where the findings of one buffer come from.
pub struct Origin<'a> {
    /// The path as reported (`<stdin>` for standard input).
    pub path: &'a Path,
    pub meta: Option<FileMeta>,
}

/// Build findings for `matches` (sorted by secret position, as the engine returns them). Matches on a line carrying
/// the inline allow marker are left out and counted in `inline_allowed`.
pub fn build(
    engine: &Engine,
    hay: &[u8],
    matches: &[Match],
    origin: &Origin<'_>,
    include_secrets: bool,
    inline_allowed: &mut u64,
) -> Vec<Finding> {
    // `./src/x` and `src/x` are the same file: report the shorter, so location ids don't depend on how the root was
    // spelled (`credsweep scan` vs `credsweep scan .`).
    let shown = origin.path.strip_prefix("./").unwrap_or(origin.path);
    let (path, path_raw) = report::path_strings(shown);
    let path_bytes = report::path_bytes(shown);
    let meta = origin.meta.filter(|m| m.mode != 0 || m.mtime != 0);
    let file = meta.map(|m| FileInfo {
        mode: format!("{:04o}", m.mode),
        uid: m.uid,
        owner: owner_name(m.uid),
        gid: m.gid,
        modified: report::rfc3339(m.mtime),
    });
    // Facts about the file's place in git: once per file, and only for a file on disk.
    let mut git_risks: Option<Vec<String>> = None;
    let now = crate::validate::unix_now();
    let mut pos = LinePos::default();
    matches
        .iter()
        .filter(|m| {
            let allowed = suppress::line_allows(hay, m.secret.start);
            *inline_allowed += allowed as u64;
            !allowed
        })
        .map(|m| {
            let rule = engine.rule(m.rule);
            let secret = &hay[m.secret.clone()];
            let (line, column) = pos.advance(hay, m.secret.start);
            let fp = fingerprint::fingerprint(rule.spec.fingerprint, secret);
            let key = is_key(rule).then(|| parsers::keys::parse_private_key(secret).ok()).flatten();
            let key = key.map(|mut k| {
                if k.public_fingerprint.is_none() && meta.is_some() {
                    k.public_fingerprint = sibling_pub_fingerprint(origin.path);
                }
                k
            });
            // An encrypted key is inventoried, not alarming: without its passphrase it is not usable.
            let severity = if key.as_ref().is_some_and(|k| k.encrypted) { Severity::Low } else { rule.spec.severity };
            let mut risks = exposure::risks(&rule.spec.kind, meta.as_ref(), m.validation, now);
            if meta.is_some() {
                risks.extend(git_risks.get_or_insert_with(|| exposure::git_risks(origin.path)).iter().cloned());
            }
            Finding {
                id: fingerprint::location_id(&fp, &path_bytes),
                rule: rule.spec.id.clone(),
                rule_name: rule.spec.name.clone(),
                kind: rule.spec.kind.clone(),
                severity,
                provider: rule.spec.provider.clone(),
                path: path.clone(),
                path_raw: path_raw.clone(),
                line,
                column,
                fingerprint: fp,
                redacted: redact(rule, secret),
                identifier: m.identifier.clone(),
                validation: m.validation,
                expires_at: m.expires_at.map(report::rfc3339),
                file: file.clone(),
                key,
                risks,
                secret: include_secrets.then(|| String::from_utf8_lossy(secret).into_owned()),
            }
        })
        .collect()
}

fn is_key(rule: &Rule) -> bool {
    rule.spec.kind == "private-key" || rule.spec.fingerprint != FingerprintKind::Raw
}

/// The fingerprint from `KEY.pub` beside `KEY` (what `ssh-keygen` writes), for keys whose public half is not in the
/// clear (encrypted PEM and PKCS#8).
fn sibling_pub_fingerprint(path: &Path) -> Option<String> {
    let mut name = path.file_name()?.to_os_string();
    name.push(".pub");
    let text = std::fs::read_to_string(path.with_file_name(name)).ok()?;
    text.lines().find_map(parsers::keys::public_key_line_fingerprint)
}

#[cfg(unix)]
fn owner_name(uid: u32) -> Option<String> {
    crate::host::user_name(uid)
}

#[cfg(not(unix))]
fn owner_name(_uid: u32) -> Option<String> {
    None
}

/// Incremental line/column computation over increasing offsets: each byte is looked at once per buffer.
#[derive(Default)]
struct LinePos {
    offset: usize,
    line: u64,
    line_start: usize,
}

impl LinePos {
    fn advance(&mut self, hay: &[u8], to: usize) -> (u64, u64) {
        if to < self.offset {
            // Matches are sorted, but stay correct if not.
            *self = LinePos::default();
        }
        let seg = &hay[self.offset..to];
        self.line += memchr::memchr_iter(b'\n', seg).count() as u64;
        if let Some(nl) = memchr::memrchr(b'\n', seg) {
            self.line_start = self.offset + nl + 1;
        }
        self.offset = to;
        // Code points: count bytes that are not UTF-8 continuation bytes.
        let col = hay[self.line_start..to].iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64 + 1;
        (self.line + 1, col)
    }
}

/// A recognisable, unusable form: the public prefix a keyword gives (`ghp_`, `AKIA`, a PEM `BEGIN` line) and the
/// length. Never more than a third of the value.
pub fn redact(rule: &Rule, secret: &[u8]) -> String {
    let len = secret.len();
    if rule.spec.fingerprint == FingerprintKind::Pem {
        let first = secret.split(|&b| b == b'\n' || b == b'\\').next().unwrap_or_default();
        if first.starts_with(b"-----BEGIN") && first.len() <= 80 {
            return format!("{}…({len})", String::from_utf8_lossy(first).trim_end());
        }
    }
    let prefix = rule
        .spec
        .keywords
        .iter()
        .filter(|k| {
            k.len() <= len / 3 && secret.len() >= k.len() && secret[..k.len()].eq_ignore_ascii_case(k.as_bytes())
        })
        .map(|k| &secret[..k.len()])
        .max_by_key(|p| p.len());
    match prefix {
        Some(p) => format!("{}…({len})", String::from_utf8_lossy(p)),
        None => format!("…({len})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let hay = "ab\ncdé xyz\n\nq".as_bytes();
        let mut p = LinePos::default();
        assert_eq!(p.advance(hay, 0), (1, 1));
        assert_eq!(p.advance(hay, 1), (1, 2));
        let x = hay.iter().position(|&b| b == b'x').unwrap();
        assert_eq!(p.advance(hay, x), (2, 5), "é counts as one column");
        let q = hay.len() - 1;
        assert_eq!(p.advance(hay, q), (4, 1));
    }
}
