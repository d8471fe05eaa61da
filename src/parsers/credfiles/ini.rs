//! INI-family credential files: AWS CLI, `.pypirc`, `.my.cnf`, rclone, `.npmrc`, Hugging Face `stored_tokens`.
//!
//! One line-based reader with per-dialect rules, because the dialects differ exactly where it matters for a value's
//! bytes: Python's `configparser` (AWS, pypirc) and rclone keep `#` inside a value, MySQL and npm's `ini` package
//! start a comment there; MySQL and npm unquote and unescape, the others don't. Indented lines are read as entries
//! of their own (AWS nested `s3 =` blocks hold no secrets), not as continuations.
use std::ops::Range;

use super::super::document::json as parse_json;
use super::{b64decode, jsonfmt, lines, secret_basic, trimmed_span, Loc, Sink};

#[derive(Clone, Copy)]
struct Dialect {
    /// `key: value` as well as `key = value`.
    colon: bool,
    /// Characters that start a comment inside a value.
    inline_comment: &'static [u8],
    /// `"…"` / `'…'` around a value are removed, and escapes resolved.
    quotes: bool,
    /// Backslash escapes in the value: `\\`, `\;`, `\#` (npm), plus `\n \t \r \b \s` (MySQL).
    escapes: bool,
}

const CONFIGPARSER: Dialect = Dialect { colon: true, inline_comment: b"", quotes: false, escapes: false };
const RCLONE: Dialect = Dialect { colon: false, ..CONFIGPARSER };
const MYSQL: Dialect = Dialect { colon: false, inline_comment: b"#", quotes: true, escapes: true };
const NPM: Dialect = Dialect { colon: false, inline_comment: b";#", quotes: true, escapes: true };

pub(crate) struct Entry {
    pub section: Option<String>,
    /// As written (callers compare case-insensitively where their tool does).
    pub key: String,
    pub value: Vec<u8>,
    pub span: Range<usize>,
}

impl Entry {
    fn is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

fn entries(text: &[u8], d: Dialect) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    for (start, line) in lines(text) {
        let body = line.trim_ascii_start();
        let indent = start + line.len() - body.len();
        match body.first() {
            None | Some(b'#' | b';' | b'!') => continue,
            Some(b'[') => {
                let end = body.iter().rposition(|&b| b == b']').unwrap_or(body.len());
                section = Some(String::from_utf8_lossy(body[1..end.max(1)].trim_ascii()).into_owned());
                continue;
            }
            _ => {}
        }
        let Some(delim) = body.iter().position(|&b| b == b'=' || (d.colon && b == b':')) else { continue };
        let key = String::from_utf8_lossy(body[..delim].trim_ascii()).into_owned();
        let (value, span) = value(&body[delim + 1..], indent + delim + 1, d);
        out.push(Entry { section: section.clone(), key, value, span });
    }
    out
}

/// A raw value (after the delimiter, starting at `offset`): decoded bytes and the span of its text.
fn value(raw: &[u8], offset: usize, d: Dialect) -> (Vec<u8>, Range<usize>) {
    let span = trimmed_span(raw, offset);
    let t = &raw[span.start - offset..span.end - offset];
    if d.quotes && t.len() >= 2 && matches!(t[0], b'"' | b'\'') {
        let q = t[0];
        let mut i = 1;
        while i < t.len() && t[i] != q {
            i += if t[i] == b'\\' && q == b'"' { 2 } else { 1 };
        }
        if i < t.len() {
            let inner = &t[1..i];
            let value = if q == b'"' { unescape(inner, b"") } else { inner.to_vec() };
            return (value, span.start + 1..span.start + i);
        }
    }
    let mut end = t.len();
    let mut i = 0;
    while i < t.len() {
        if d.escapes && t[i] == b'\\' {
            i += 2;
            continue;
        }
        if d.inline_comment.contains(&t[i]) {
            end = i;
            break;
        }
        i += 1;
    }
    let kept = t[..end].trim_ascii_end();
    let value = if d.escapes { unescape(kept, d.inline_comment) } else { kept.to_vec() };
    (value, span.start..span.start + kept.len())
}

fn unescape(s: &[u8], literal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.iter().copied();
    while let Some(b) = it.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'r') => out.push(b'\r'),
            Some(b'b') => out.push(8),
            Some(b's') => out.push(b' '),
            Some(c) if c == b'\\' || c == b'"' || c == b'\'' || literal.contains(&c) => out.push(c),
            Some(c) => out.extend_from_slice(&[b'\\', c]),
            None => out.push(b'\\'),
        }
    }
    out
}

/// The value of `key` in the same section as `e`, as text.
fn sibling(all: &[Entry], e: &Entry, key: &str) -> Option<String> {
    all.iter()
        .find(|o| o.section == e.section && o.is(key) && !o.value.is_empty())
        .map(|o| String::from_utf8_lossy(&o.value).into_owned())
}

/// AWS `credentials`/`config`: `aws_secret_access_key`, `aws_session_token` (and the legacy `aws_security_token`) of
/// each profile, identified by its `aws_access_key_id`; `credential_process` is a reference; `sso_*` hold nothing.
pub(crate) fn aws(text: &[u8], sink: &mut Sink) {
    let all = entries(text, CONFIGPARSER);
    for e in &all {
        let profile = e.section.as_deref().map(|s| s.strip_prefix("profile ").map_or(s, str::trim_ascii_start));
        let key = e.key.to_ascii_lowercase();
        match key.as_str() {
            "aws_secret_access_key" | "aws_session_token" | "aws_security_token" => {
                let loc = Loc::new(profile, &key).id(sibling(&all, e, "aws_access_key_id"));
                sink.secret(e.span.clone(), e.value.clone(), loc);
            }
            "credential_process" => sink.reference(Loc::new(profile, &key), String::from_utf8_lossy(&e.value).into()),
            _ => {}
        }
    }
}

/// `.pypirc`: `password` of each index server section, identified by its `username`.
pub(crate) fn pypi(text: &[u8], sink: &mut Sink) {
    let all = entries(text, CONFIGPARSER);
    for e in all.iter().filter(|e| e.is("password")) {
        let loc = Loc::new(e.section.as_deref(), "password").id(sibling(&all, e, "username"));
        sink.secret(e.span.clone(), e.value.clone(), loc);
    }
}

/// MySQL option files: `password` (and the MFA `password1..3`) in any option group; identifier `user` of that group
/// or else of `[client]`. Option names treat `-` and `_` alike.
pub(crate) fn mysql(text: &[u8], sink: &mut Sink) {
    let all = entries(text, MYSQL);
    let client_user = all
        .iter()
        .find(|e| e.section.as_deref() == Some("client") && e.is("user"))
        .map(|e| String::from_utf8_lossy(&e.value).into_owned());
    for e in &all {
        let key = e.key.to_ascii_lowercase().replace('_', "-");
        if matches!(key.as_str(), "password" | "password1" | "password2" | "password3") {
            let user = sibling(&all, e, "user").or_else(|| client_user.clone());
            sink.secret(e.span.clone(), e.value.clone(), Loc::new(e.section.as_deref(), &key).id(user));
        }
    }
}

/// rclone remotes: passwords (stored *obscured*: reversible, so still the credential), cloud keys and OAuth `token`
/// JSON (its `access_token` and `refresh_token`), `service_account_credentials` JSON (its private key). An encrypted
/// config (`RCLONE_ENCRYPT_V0:`) holds nothing readable.
pub(crate) fn rclone(text: &[u8], sink: &mut Sink) {
    const SECRETS: &[&str] = &[
        "pass",
        "password",
        "password2",
        "secret_access_key",
        "session_token",
        "client_secret",
        "key",
        "key_pem",
        "account_key",
        "sas_url",
        "bearer_token",
        "api_key",
    ];
    let all = entries(text, RCLONE);
    for e in &all {
        let profile = e.section.as_deref();
        let key = e.key.to_ascii_lowercase();
        let id = ["user", "account", "access_key_id", "client_id", "username"].iter().find_map(|k| sibling(&all, e, k));
        if SECRETS.contains(&key.as_str()) {
            sink.secret(e.span.clone(), e.value.clone(), Loc::new(profile, &key).id(id));
        } else if key == "token" {
            match parse_json(&e.value) {
                Some(mut doc) => {
                    doc.shift(e.span.start);
                    for field in ["access_token", "refresh_token"] {
                        if let Some(s) = doc.get(field).and_then(|n| n.scalar()) {
                            let loc = Loc::new(profile, "token").field(field).id(id.clone());
                            sink.secret(s.span.clone(), s.value.clone(), loc);
                        }
                    }
                }
                None => sink.secret(e.span.clone(), e.value.clone(), Loc::new(profile, "token").id(id)),
            }
        } else if key == "service_account_credentials" {
            if let Some(mut doc) = parse_json(&e.value) {
                doc.shift(e.span.start);
                jsonfmt::gcloud_doc(&doc, sink, Some("service_account_credentials"), None);
            }
        }
    }
}

/// `.npmrc`: `//registry/path/:_authToken`, `:_auth` (base64 `user:password`), `:_password` (base64), and their
/// unscoped legacy forms (for the `registry=` of the file); identifier `username` of the same scope.
pub(crate) fn npm(text: &[u8], sink: &mut Sink) {
    let all = entries(text, NPM);
    let default_registry =
        all.iter().rev().find(|e| e.key == "registry").map(|e| String::from_utf8_lossy(&e.value).into_owned());
    let split = |key: &str| -> (Option<String>, String) {
        match key.rsplit_once(':') {
            Some((scope, name)) if scope.starts_with("//") => (Some(scope.to_owned()), name.to_owned()),
            _ => (default_registry.clone(), key.to_owned()),
        }
    };
    for e in &all {
        let (scope, name) = split(&e.key);
        let user: Option<String> = all.iter().find_map(|o| {
            (split(&o.key) == (scope.clone(), "username".into())).then(|| String::from_utf8_lossy(&o.value).into())
        });
        let loc = Loc::new(scope.as_deref(), &name).id(user);
        match name.as_str() {
            "_authToken" => sink.secret(e.span.clone(), e.value.clone(), loc),
            "_auth" => secret_basic(sink, e.span.clone(), &e.value, loc),
            "_password" => {
                let value = b64decode(&e.value).unwrap_or_else(|| e.value.clone());
                sink.secret(e.span.clone(), value, loc)
            }
            _ => {}
        }
    }
}

/// Hugging Face: `stored_tokens` is INI (`[name]` / `hf_token = …`); `token` is the token alone.
pub(crate) fn huggingface(text: &[u8], sink: &mut Sink) {
    if !lines(text).any(|(_, l)| l.trim_ascii_start().starts_with(b"[")) {
        return super::plain::whole_file(text, "token", sink);
    }
    for e in entries(text, CONFIGPARSER).iter().filter(|e| e.is("hf_token")) {
        sink.secret(e.span.clone(), e.value.clone(), Loc::new(e.section.as_deref(), "hf_token"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_differ_where_they_should() {
        let line = b"[s]\nk = \"a\\\"b\" # c\nj = x;y # z\n";
        let v = |d| entries(line, d).into_iter().map(|e| e.value).collect::<Vec<_>>();
        assert_eq!(v(CONFIGPARSER), [b"\"a\\\"b\" # c".to_vec(), b"x;y # z".to_vec()]);
        assert_eq!(v(MYSQL), [b"a\"b".to_vec(), b"x;y".to_vec()]);
        assert_eq!(v(NPM), [b"a\"b".to_vec(), b"x".to_vec()]);
        let e = &entries(line, MYSQL)[0];
        assert_eq!(&line[e.span.clone()], b"a\\\"b");
    }
}
