//! Small line- and token-based formats: `.netrc`, `.pgpass`, `gradle.properties` (Java properties), Cargo
//! credentials (TOML, via [`document::toml`]), and files that are one token (`.vault-token`).
use std::ops::Range;

use super::super::document::{self, Kind, Node};
use super::{lines, trimmed_span, Loc, Sink};

/// The whole file is the token (surrounding whitespace aside); a file with more than one word is not a token file.
pub(crate) fn whole_file(text: &[u8], variable: &str, sink: &mut Sink) {
    let span = trimmed_span(text, 0);
    let token = &text[span.clone()];
    if !token.iter().any(u8::is_ascii_whitespace) {
        sink.secret(span, token.to_vec(), Loc::new(None, variable));
    }
}

/// `.netrc` tokens: whitespace-separated words, `"…"` quoting with backslash escapes, and (where a keyword is
/// expected, as in Python's reader) `#` comments to the end of the line; a value may start with `#`.
struct Words<'a> {
    s: &'a [u8],
    i: usize,
}

impl Words<'_> {
    fn next_word(&mut self, comments: bool) -> Option<(Vec<u8>, Range<usize>)> {
        loop {
            while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if !comments || self.s.get(self.i) != Some(&b'#') {
                break;
            }
            self.i = self.s[self.i..].iter().position(|&b| b == b'\n').map_or(self.s.len(), |p| self.i + p);
        }
        let start = self.i;
        if start >= self.s.len() {
            return None;
        }
        if self.s[start] == b'"' {
            let mut out = Vec::new();
            self.i += 1;
            while self.i < self.s.len() && self.s[self.i] != b'"' {
                if self.s[self.i] == b'\\' && self.i + 1 < self.s.len() {
                    self.i += 1;
                }
                out.push(self.s[self.i]);
                self.i += 1;
            }
            let end = self.i;
            self.i = (self.i + 1).min(self.s.len());
            return Some((out, start + 1..end));
        }
        while self.i < self.s.len() && !self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
        Some((self.s[start..self.i].to_vec(), start..self.i))
    }

    /// Past a `macdef` body: the lines after the current one, up to the next empty line.
    fn skip_macro(&mut self) {
        let len = self.s.len();
        let mut pos = memchr::memchr(b'\n', &self.s[self.i..]).map_or(len, |p| self.i + p + 1);
        while pos < len {
            let end = memchr::memchr(b'\n', &self.s[pos..]).map_or(len, |p| pos + p);
            if self.s[pos..end].trim_ascii().is_empty() {
                break;
            }
            pos = end + 1;
        }
        self.i = pos.min(len);
    }
}

/// `.netrc`: `machine <host> login <user> password <secret> [account <secret>]` in any layout, and `default`;
/// `macdef` bodies are skipped. Profile: the machine; identifier: the login.
pub(crate) fn netrc(text: &[u8], sink: &mut Sink) {
    let mut words = Words { s: text, i: 0 };
    let mut machine: Option<String> = None;
    let mut login: Option<String> = None;
    let mut pending: Vec<(&str, Vec<u8>, Range<usize>)> = Vec::new();
    let flush = |sink: &mut Sink, machine: &Option<String>, login: &Option<String>, pending: &mut Vec<_>| {
        for (variable, value, span) in pending.drain(..) {
            sink.secret(span, value, Loc::new(machine.as_deref(), variable).id(login.clone()));
        }
    };
    while let Some((word, _)) = words.next_word(true) {
        match word.as_slice() {
            b"machine" | b"default" => {
                flush(sink, &machine, &login, &mut pending);
                login = None;
                machine = if word == b"default" {
                    Some("default".into())
                } else {
                    words.next_word(false).map(|(w, _)| String::from_utf8_lossy(&w).into_owned())
                };
            }
            b"login" | b"user" => login = words.next_word(false).map(|(w, _)| String::from_utf8_lossy(&w).into_owned()),
            b"password" | b"passwd" | b"account" => {
                let variable = if word == b"account" { "account" } else { "password" };
                if let Some((value, span)) = words.next_word(false) {
                    pending.push((variable, value, span));
                }
            }
            b"macdef" => {
                words.next_word(false);
                words.skip_macro();
            }
            _ => {}
        }
    }
    flush(sink, &machine, &login, &mut pending);
}

/// `.pgpass`: `hostname:port:database:username:password`, `\:` and `\\` escaped; the password is the rest of the
/// line (libpq). Profile: the host; identifier: the user name.
pub(crate) fn pgpass(text: &[u8], sink: &mut Sink) {
    for (start, line) in lines(text) {
        if line.first().is_none_or(|&b| b == b'#') {
            continue;
        }
        let mut fields: Vec<Vec<u8>> = vec![Vec::new()];
        let mut i = 0;
        while i < line.len() && fields.len() < 5 {
            match line[i] {
                b'\\' if i + 1 < line.len() => {
                    if let Some(f) = fields.last_mut() {
                        f.push(line[i + 1]);
                    }
                    i += 2;
                    continue;
                }
                b':' => fields.push(Vec::new()),
                b => {
                    if let Some(f) = fields.last_mut() {
                        f.push(b);
                    }
                }
            }
            i += 1;
        }
        if fields.len() < 5 {
            continue;
        }
        let raw = &line[i..];
        let mut password = Vec::with_capacity(raw.len());
        let mut it = raw.iter();
        while let Some(&b) = it.next() {
            password.push(if b == b'\\' { it.next().copied().unwrap_or(b) } else { b });
        }
        let text_of = |f: &[u8]| Some(String::from_utf8_lossy(f).into_owned());
        let loc = Loc::new(text_of(&fields[0]).as_deref(), "password").id(text_of(&fields[3]));
        sink.secret(start + i..start + line.len(), password, loc);
    }
}

/// `gradle.properties` (Java `.properties`: `key=value`, `key: value`, `key value`, `#`/`!` comments, `\`
/// continuation lines, `\uXXXX` escapes): keys whose name says secret (`…Password`, `…Passwd`, `…Token`, `…Secret`,
/// `…Key` but not `…KeyId`/`…PublicKey`). Identifier: a sibling `<stem>Username`/`<stem>User`/`<stem>Login`
/// (`ossrhUsername` for `ossrhPassword`), `signing.keyId` for `signing.*`.
pub(crate) fn gradle(text: &[u8], sink: &mut Sink) {
    let props = properties(text);
    for (key, value, span) in &props {
        let lower = key.to_ascii_lowercase();
        let suffix = ["password", "passwd", "token", "secret", "key"].into_iter().find(|s| lower.ends_with(s));
        let Some(suffix) = suffix.filter(|_| !lower.ends_with("publickey")) else { continue };
        let stem = &lower[..lower.len() - suffix.len()];
        let find = |name: &str| props.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(name));
        let id = ["username", "user", "login"]
            .iter()
            .find_map(|u| find(&format!("{stem}{u}")))
            .or_else(|| lower.starts_with("signing.").then(|| find("signing.keyId")).flatten())
            .map(|(_, v, _)| String::from_utf8_lossy(v).into_owned());
        sink.secret(span.clone(), value.clone(), Loc::new(None, key).id(id));
    }
}

/// Java properties: (key, unescaped value, raw value span).
fn properties(text: &[u8]) -> Vec<(String, Vec<u8>, Range<usize>)> {
    let mut out = Vec::new();
    let mut it = lines(text).peekable();
    while let Some((start, line)) = it.next() {
        let body = line.trim_ascii_start();
        if body.is_empty() || matches!(body[0], b'#' | b'!') {
            continue;
        }
        let offset = start + line.len() - body.len();
        // Logical line: physical lines joined while one ends in an odd number of backslashes.
        let mut logical = body.to_vec();
        let mut map: Vec<usize> = (offset..offset + body.len()).collect();
        while logical.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1 {
            logical.pop();
            map.pop();
            let Some((s, next)) = it.next() else { break };
            let cont = next.trim_ascii_start();
            let o = s + next.len() - cont.len();
            logical.extend_from_slice(cont);
            map.extend(o..o + cont.len());
        }
        let mut i = 0;
        let mut key = Vec::new();
        while i < logical.len() && !matches!(logical[i], b'=' | b':' | b' ' | b'\t' | b'\x0c') {
            if logical[i] == b'\\' && i + 1 < logical.len() {
                i += 1;
            }
            key.push(logical[i]);
            i += 1;
        }
        while i < logical.len() && matches!(logical[i], b' ' | b'\t' | b'\x0c') {
            i += 1;
        }
        if i < logical.len() && matches!(logical[i], b'=' | b':') {
            i += 1;
        }
        while i < logical.len() && matches!(logical[i], b' ' | b'\t' | b'\x0c') {
            i += 1;
        }
        let raw = &logical[i..];
        let span = match (map.get(i), map.last()) {
            (Some(&a), Some(&z)) if !raw.is_empty() => a..z + 1,
            _ => 0..0,
        };
        out.push((String::from_utf8_lossy(&key).into_owned(), unescape_properties(raw), span));
    }
    out
}

fn unescape_properties(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' || i + 1 >= raw.len() {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        let c = raw[i + 1];
        i += 2;
        match c {
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'f' => out.push(0x0c),
            b'u' => {
                let code = raw.get(i..i + 4).and_then(|h| u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
                match code {
                    Some(code) => {
                        let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                        out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        i += 4;
                    }
                    None => out.push(b'u'),
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Cargo `credentials.toml` (or the older `credentials`): `[registry] token`, `[registries.<name>] token`, and
/// asymmetric-token `secret-key` (identifier `secret-key-subject`). Read by [`document::toml`].
pub(crate) fn cargo(text: &[u8], sink: &mut Sink) {
    let Some(doc) = document::toml(text) else { return };
    let default = doc.get("registry").map(|r| ("crates-io", r));
    let named = doc.get("registries").map(Node::entries).unwrap_or_default().iter().map(|(n, r)| (n.as_str(), r));
    for (name, reg) in default.into_iter().chain(named) {
        for variable in ["token", "secret-key"] {
            let Some(s) = reg.get(variable).and_then(Node::scalar).filter(|s| s.kind == Kind::Str) else { continue };
            let subject = reg.get("secret-key-subject").and_then(Node::scalar).filter(|s| s.kind == Kind::Str);
            let id =
                subject.map(|s| String::from_utf8_lossy(&s.value).into_owned()).filter(|_| variable == "secret-key");
            sink.secret(s.span.clone(), s.value.clone(), Loc::new(Some(name), variable).id(id));
        }
    }
}
