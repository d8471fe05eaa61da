//! The judgements every format shares, made once: does this *name* say secret ([`says_secret`]), and is this
//! *value* a secret, a reference to one kept elsewhere, a placeholder or empty ([`verdict`], [`verdict_named`]);
//! and the user-info of a URL ([`userinfo`]).
//!
//! Why one module: a parser knows where a value sits, not what a secret looks like. When each format kept its own
//! copy, the copies disagreed (`SSH_PUBLIC_KEY` was a secret in credential files and not in `.env` files; `$X` was a
//! reference in one and a password in another), so the same value got a different answer depending on the file it
//! was found in. Here a value gets one verdict for the same evidence wherever it comes from; `parsers::tests` pins
//! that with one table, run through every format's parser.
//!
//! Evidence comes in two strengths. A *field* of a tool's credential file (`aws_secret_access_key`, a `.netrc`
//! `password`, a URL's password) is a credential by the format's definition: every value but an empty one, a
//! reference or a placeholder is reported ([`verdict`]; a URL's password also spares a development default on a
//! local host, [`url_password`]). A *name* alone (`DB_PASSWORD=` in `.env`, `--api-key` on a
//! command line, an MCP server's `env`) is weaker: the value must also look like a secret — long enough, not a
//! boolean, number, path, variable name or development default ([`verdict_named`]).
//!
//! References follow the syntaxes of the tools that expand them: POSIX shell parameter expansion and command
//! substitution (<https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_06>), dotenv-expand,
//! VS Code's `${input:x}`/`${env:X}`, Windows `%X%`, Jinja/Helm `{{ x }}`, 1Password `op://` secret references. URL
//! user-info follows RFC 3986 §3.2.1.
use std::ops::Range;

use crate::validate::{is_placeholder, shannon_entropy};

mod assigned;
mod names;
mod shape;

pub use assigned::{assigned_value, may_be_assigned};
pub use names::{name_class, name_class_of, says_secret, NameClass, WordStarts};

/// What a value is, as a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Report it.
    Secret,
    /// A reference to a secret kept elsewhere (`${VAR}`, `$VAR`, `%VAR%`, `{{ var }}`, `$(cmd)`, `op://…`): listed
    /// in the report as good practice, never a finding.
    Reference,
    /// A stand-in, not a secret: placeholder text (`changeme`, `<token>`, `your-key-here`, `****`), and — when only a
    /// name vouches for the value — booleans, numbers, paths, variable names, development defaults, short values.
    Placeholder,
    /// Nothing but whitespace.
    Empty,
}

/// Which references a value can hold: what expands `$` where the value sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expansion {
    /// A shell-like context (an unquoted or double-quoted `.env` value, a shell word): `$VAR`, `${VAR}`, `$(cmd)`
    /// and backticks expand anywhere in the value.
    Shell,
    /// Single quotes: no `$` expansion; only templating done before the file is read (`{{ x }}`, `%X%`) applies.
    Literal,
    /// A configuration value (JSON, YAML, TOML, INI, a credential file's field): a whole value written as a
    /// reference (`${X}`, `$X`, `$(cmd)`, `%X%`, `{{ x }}`, `{env:X}`, `op://…`) is one.
    Config,
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/// Shorter values are reported on a name alone only when a token rule vouches for them.
const MIN_LEN: usize = 8;
const PLACEHOLDER_WORDS: &str = "\
    changeme secret password todo tbd none null nil xxx undefined n/a replaceme replace_me fixme notset not_set \
    unset empty placeholder";
/// Local and development defaults: as a plain value, or as the password of a URL to a local host.
const DEV_DEFAULTS: &str = "\
    localhost 127.0.0.1 ::1 0.0.0.0 dev test admin root postgres example development testing local guest mysql \
    redis pass password secret changeme mypassword mysecret passw0rd p@ssw0rd password1 password123 user docker \
    toor";

/// `word` is one of the space-separated words of `list`.
fn listed(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|w| w == word)
}

fn lower(v: &[u8]) -> String {
    String::from_utf8_lossy(v).to_ascii_lowercase()
}

fn ident(v: &[u8]) -> bool {
    v.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && v.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

fn upper_ident(v: &[u8]) -> bool {
    ident(v) && !v.iter().any(u8::is_ascii_lowercase)
}

/// The value of a credential field: empty, a reference, a placeholder, or (anything else) a secret.
pub fn verdict(v: &[u8]) -> Verdict {
    verdict_in(v, Expansion::Config)
}

/// [`verdict`] for a value where `expansion` decides which references it can hold.
pub fn verdict_in(v: &[u8], expansion: Expansion) -> Verdict {
    if v.iter().all(u8::is_ascii_whitespace) {
        Verdict::Empty
    } else if is_reference(v, expansion) {
        Verdict::Reference
    } else if placeholder(v) {
        Verdict::Placeholder
    } else {
        Verdict::Secret
    }
}

/// A value that only its *name* says is secret: [`verdict_in`], then it must look like one — not a boolean, a number,
/// a development default, a path, an environment variable's name, short or nearly constant; a URL is judged by its
/// password ([`url_password`]) or a token-like user name. `template`: the file is an example, so only random-looking
/// values count.
pub fn verdict_named(v: &[u8], expansion: Expansion, template: bool) -> Verdict {
    match verdict_in(v, expansion) {
        Verdict::Secret => {}
        other => return other,
    }
    if dull(v) {
        return Verdict::Placeholder;
    }
    if let Some(u) = userinfo(v) {
        let secret = match u.password {
            Some(pw) if !pw.is_empty() => url_password(&v[u.host], &v[pw], expansion, template) == Verdict::Secret,
            _ => token_like(&v[u.user]),
        };
        return if secret { Verdict::Secret } else { Verdict::Placeholder };
    }
    let var_name = upper_ident(v) && v.contains(&b'_');
    if v.len() < MIN_LEN || is_path(v) || var_name || shannon_entropy(v) < 2.0 || (template && !random(v)) {
        return Verdict::Placeholder;
    }
    Verdict::Secret
}

/// A URL's password (the URL itself says it is one): a secret unless empty, a reference, a placeholder, or a
/// development default on a local host (`postgres:postgres@localhost`; `admin` is a real password on a remote one).
pub fn url_password(host: &[u8], password: &[u8], expansion: Expansion, template: bool) -> Verdict {
    match verdict_in(password, expansion) {
        Verdict::Secret if local_default(host, password) || (template && !random(password)) => Verdict::Placeholder,
        v => v,
    }
}

/// Placeholder text: [`is_placeholder`] (markers like `example`, `<…>`, `xxxx`, runs of one character), the words
/// `changeme`, `todo`, `none` …, anything starting with `your`, `replace me` or a word of only `x` in it, or only
/// mask characters (`****`, `xxxx-xxxx`). An
/// armored key (`-----BEGIN …-----`) is judged by its body alone: real keys' base64 often has runs like `AAAAAAAA`.
pub fn placeholder(v: &[u8]) -> bool {
    if let Some(armored) = armored_placeholder(v) {
        return armored;
    }
    let l = lower(v);
    let x_word = l.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w.len() >= 3 && w.bytes().all(|c| c == b'x'));
    is_placeholder(v)
        || listed(PLACEHOLDER_WORDS, &l)
        || l.starts_with("your")
        || ["replaceme", "replace_me", "replace-me"].iter().any(|m| l.contains(m))
        || x_word
        || v.iter().all(|c| b"xX*._-#".contains(c))
}

/// An armored key is a placeholder unless its body is base64 of some length. `None`: not armored.
fn armored_placeholder(value: &[u8]) -> Option<bool> {
    let begin = memchr::memmem::find(value, b"-----BEGIN ")?;
    let body_start = begin + memchr::memchr(b'\n', &value[begin..])? + 1;
    let end = body_start + memchr::memmem::find(&value[body_start..], b"-----END ")?;
    // RFC 1421 headers (`Proc-Type:`, `DEK-Info:`) are not part of the base64 body.
    let body: Vec<u8> = value[body_start..end]
        .split(|&b| b == b'\n')
        .filter(|l| !l.contains(&b':'))
        .flat_map(|l| l.iter().copied().filter(|b| !b.is_ascii_whitespace()))
        .collect();
    Some(body.len() < 64 || !body.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
}

/// Long and random enough to be a real secret even in a template file.
pub fn random(v: &[u8]) -> bool {
    v.len() >= 16 && shannon_entropy(v) >= 3.5 && !placeholder(v)
}

/// A URL user name that is really a token (`https://<token>@github.com`, a Sentry DSN key): long, mixing letters
/// and digits, and random at least as hex is (32 random hex digits often score only ~3.3 bits).
pub fn token_like(v: &[u8]) -> bool {
    v.len() >= 16
        && shannon_entropy(v) >= 3.0
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && !placeholder(v)
}

/// A development default password on a local host (`postgres:postgres@localhost`).
pub fn local_default(host: &[u8], password: &[u8]) -> bool {
    let h = lower(host);
    let local = matches!(h.as_str(), "localhost" | "[::1]" | "0.0.0.0" | "host.docker.internal")
        || h.starts_with("127.")
        || h.ends_with(".localhost");
    local && listed(DEV_DEFAULTS, &lower(password))
}

/// A reference to a secret kept elsewhere, as `expansion` allows (see [`Expansion`]).
pub fn is_reference(v: &[u8], expansion: Expansion) -> bool {
    let v = v.trim_ascii();
    let find = |needle: &[u8]| memchr::memmem::find(v, needle);
    let percent = v.len() > 2 && v[0] == b'%' && v[v.len() - 1] == b'%' && ident(&v[1..v.len() - 1]);
    // `#{Name}`: Octopus Deploy and Azure Pipelines token replacement, Ruby interpolation.
    let hash_brace = v.len() > 3 && v.starts_with(b"#{") && v.ends_with(b"}") && !v[2..v.len() - 1].contains(&b'}');
    if find(b"{{").is_some_and(|p| memchr::memmem::find(&v[p..], b"}}").is_some()) || percent || hash_brace {
        return true;
    }
    match expansion {
        Expansion::Literal => false,
        Expansion::Config => whole_reference(v),
        Expansion::Shell => whole_reference(v) || (v.first() == Some(&b'$') && ident(&v[1..])) || shell_expands(v),
    }
}

/// A whole value written as a reference: `${…}` (one, not `${a}b}`), `$(…)`, `$UPPER_NAME`, `{env:X}`, `op://…`, GitHub Copilot's
/// `COPILOT_MCP_*` secret names.
fn whole_reference(v: &[u8]) -> bool {
    let inner =
        |open: &[u8], close: &[u8]| v.len() > open.len() + close.len() && v.starts_with(open) && v.ends_with(close);
    (inner(b"${", b"}") && !v[2..v.len() - 1].contains(&b'}'))
        || inner(b"$(", b")")
        || inner(b"{env:", b"}")
        || (v.first() == Some(&b'$') && upper_ident(&v[1..]))
        || v.starts_with(b"op://")
        || (v.starts_with(b"COPILOT_MCP_") && ident(v))
}

/// A shell expansion anywhere in the value: `${…}`, `$(…)`, two backticks, PowerShell's `$env:X`, or an embedded
/// `$UPPER_VAR` (two or more characters, not after a letter or digit: `pa$$word` and `tok$EN` stay literal).
fn shell_expands(v: &[u8]) -> bool {
    let find = |needle: &[u8]| memchr::memmem::find(v, needle);
    if lower(v).contains("$env:") || v.iter().filter(|&&c| c == b'`').count() >= 2 {
        return true;
    }
    if find(b"${").is_some_and(|p| v[p..].contains(&b'}')) || find(b"$(").is_some() {
        return true;
    }
    (0..v.len()).any(|i| {
        v[i] == b'$'
            && (i == 0 || !v[i - 1].is_ascii_alphanumeric())
            && v.get(i + 1).is_some_and(|c| !c.is_ascii_digit())
            && v[i + 1..].iter().take_while(|c| c.is_ascii_uppercase() || **c == b'_' || c.is_ascii_digit()).count()
                >= 2
    })
}

fn is_number(v: &[u8]) -> bool {
    std::str::from_utf8(v).is_ok_and(|s| s.parse::<f64>().is_ok())
}

/// Boolean, number or development default: never a secret on a name alone.
fn dull(v: &[u8]) -> bool {
    let l = lower(v);
    matches!(l.as_str(), "true" | "false" | "yes" | "no" | "on" | "off") || is_number(v) || listed(DEV_DEFAULTS, &l)
}

/// A file path (`/etc/…`, `./…`, `~/…`, `C:\…`, `file:…`): the secret is in that file, not here. A leading `/` alone
/// is not enough (base64 secrets may start with it); it needs a `.` or a well-known top directory.
fn is_path(v: &[u8]) -> bool {
    let roots: [&[u8]; 10] =
        [b"/etc/", b"/home/", b"/Users/", b"/var/", b"/opt/", b"/run/", b"/tmp/", b"/usr/", b"/srv/", b"/root/"];
    let starts: [&[u8]; 6] = [b"./", b"../", b"~/", b"~\\", b"\\\\", b"file:"];
    starts.iter().any(|s| v.starts_with(s))
        || (v.len() > 2 && v[0].is_ascii_alphabetic() && v[1] == b':' && (v[2] == b'\\' || v[2] == b'/'))
        || (v.starts_with(b"/") && (v.contains(&b'.') || roots.iter().any(|r| v.starts_with(r))))
}

// ---------------------------------------------------------------------------------------------------------------
// URLs

/// The user-info and host of a `scheme://[user[:password]@]host[:port]` URL, as ranges of the URL (not decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub user: Range<usize>,
    pub password: Option<Range<usize>>,
    /// The host alone (an IPv6 literal with its brackets).
    pub host: Range<usize>,
    /// Host and port, as written.
    pub host_port: Range<usize>,
}

/// Split a URL's authority (RFC 3986 §3.2). `None` when `v` does not start with `scheme://` (letters first, then
/// letters, digits, `+.-`, and `:` so that `jdbc:postgresql://` counts). The authority ends at `/`, `?`, `#` or
/// whitespace; the user-info at its last `@`, the user name at its first `:`.
pub fn userinfo(v: &[u8]) -> Option<UserInfo> {
    let sep = memchr::memmem::find(v, b"://")?;
    let scheme_ok = |c: &u8| c.is_ascii_alphanumeric() || b"+.-:".contains(c);
    if sep == 0 || !v[0].is_ascii_alphabetic() || !v[..sep].iter().all(scheme_ok) {
        return None;
    }
    let start = sep + 3;
    let end =
        v[start..].iter().position(|c| b"/?#".contains(c) || c.is_ascii_whitespace()).map_or(v.len(), |p| start + p);
    let (user, password, host_start) = match v[start..end].iter().rposition(|&c| c == b'@') {
        None => (start..start, None, start),
        Some(at) => match v[start..start + at].iter().position(|&c| c == b':') {
            Some(c) => (start..start + c, Some(start + c + 1..start + at), start + at + 1),
            None => (start..start + at, None, start + at + 1),
        },
    };
    let h = &v[host_start..end];
    let host_end = if h.starts_with(b"[") {
        h.iter().position(|&c| c == b']').map_or(end, |p| host_start + p + 1)
    } else {
        h.iter().position(|&c| c == b':').map_or(end, |p| host_start + p)
    };
    Some(UserInfo { user, password, host: host_start..host_end, host_port: host_start..end })
}

/// `%XX` escapes decoded (RFC 3986 §2.1); a `%` not followed by two hex digits stays as written.
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let hex = s
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (s[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Verdict::{Placeholder as P, Reference as R, Secret as S};
    use super::*;

    #[test]
    fn templates_and_expansions() {
        // In a template only random values count; `$x` expands only where a shell would expand it.
        assert_eq!(verdict_named(b"supersecretjwtkey", Expansion::Shell, true), P);
        assert_eq!(verdict_named(b"he37ak1aSJARa7717tzNlIrTtfkbSh2C", Expansion::Shell, true), S);
        let dollar = [(Expansion::Shell, R), (Expansion::Config, S), (Expansion::Literal, S)];
        for (expansion, want) in dollar {
            assert_eq!(verdict_in(b"$ecretPa55", expansion), want, "{expansion:?}");
        }
        assert_eq!(verdict_in(b"pre-${X}-post", Expansion::Shell), R);
        assert_eq!(verdict_in(b"pre-${X}-post", Expansion::Config), P);
        assert_eq!(verdict_in(b"'{{ x }}'", Expansion::Literal), R);
    }

    #[test]
    fn references() {
        let yes = ["${NPM_TOKEN}", "${env.PASS}", "$GITHUB_TOKEN", "%APPDATA_PASS%", "$(pass show npm)", " ${X} "];
        for r in yes.into_iter().chain([
            "op://v/i/f",
            "${input:token}",
            "${{ secrets.X }}",
            "{env:X}",
            "COPILOT_MCP_X",
            "#{Password}",
        ]) {
            assert!(is_reference(r.as_bytes(), Expansion::Config), "{r}");
        }
        for s in ["$ecretPa55", "${a}b}", "%", "%%", "p%ss%", "$", "tok$EN", "$1abc", "pa$$word"] {
            assert!(!is_reference(s.as_bytes(), Expansion::Config), "{s}");
        }
        for r in ["$lower", "x-$UPPER", "a`cmd`b", "$env:TOKEN", "${A:-b}c"] {
            assert!(is_reference(r.as_bytes(), Expansion::Shell), "{r}");
        }
        for s in ["tok$EN", "$1abc", "pa$$word", "ab$c"] {
            assert!(!is_reference(s.as_bytes(), Expansion::Shell), "{s}");
        }
    }

    #[test]
    fn armored_keys_are_judged_by_their_body() {
        let body = format!("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC{}BKcwggSjAgEAAoIBAQC7", "A".repeat(12));
        let key = format!("-----BEGIN PRIVATE KEY-----\n{body}\n{body}\n-----END PRIVATE KEY-----\n");
        assert!(!placeholder(key.as_bytes()));
        let template = "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----\n";
        assert!(placeholder(template.as_bytes()));
        let short = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----";
        assert!(placeholder(short.as_bytes()));
        assert!(placeholder(b"AAAAAAAAAAAA"));
    }

    #[test]
    fn url_userinfo() {
        let url = b"jdbc:postgresql://us%40er:p%3Ass@[::1]:5432/db?x=@";
        let u = userinfo(url).unwrap();
        let part = |r: Range<usize>| std::str::from_utf8(&url[r]).unwrap();
        assert_eq!((part(u.user), part(u.password.unwrap())), ("us%40er", "p%3Ass"));
        assert_eq!((part(u.host), part(u.host_port)), ("[::1]", "[::1]:5432"));
        let u = userinfo(b"https://host/a:b@c").unwrap();
        assert_eq!((u.user.len(), u.password), (0, None));
        for no in [&b"host:pw@x"[..], b"://a:b@c", b"1x://a:b@c", b"%zz", b"https//x"] {
            assert!(userinfo(no).is_none(), "{:?}", String::from_utf8_lossy(no));
        }
        assert_eq!(percent_decode(b"%41%2x%+f%"), b"A%2x%+f%");
    }
}
