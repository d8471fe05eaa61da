//! `.env` files: the dotenv grammar, and which of its values are secrets.
//!
//! Why a parser and not only the token rules: in a `.env` file the variable name is the strongest evidence there
//! is (`DB_PASSWORD=` holds a password whatever it looks like), and a value's quoting decides what it means (`'$X'`
//! is literal, `"$X"` a reference to another variable). Most such values match no token rule at all.
//!
//! Grammar: motdotla/dotenv's rules (<https://github.com/motdotla/dotenv#what-rules-does-the-parsing-engine-follow>)
//! — `KEY=value`, optional `export `, spaces around `=`, full-line `#` comments, single quotes literal, double quotes
//! with escapes, backticks, values in any quotes may span lines, CRLF — with dotenvy's and the shell's inline comment
//! rule (<https://hexdocs.pm/dotenvy/dotenvy.html>): in an unquoted value `#` starts a comment only after whitespace,
//! so `KEY=abc#123` keeps its `#`. Line ends inside quoted values are normalised to `\n` (as motdotla does), so a
//! value has one fingerprint whatever the file's line ends. An unclosed quote makes the rest of its line an unquoted
//! value (quote included). Lines that are not assignments (direnv's `layout python`, garbage) are skipped.
//!
//! The value rules ([`secret_name`], `judge`) are shared with the shell-history parser.
use std::ops::Range;

use super::{Candidate, Context, Reference};
use crate::validate::{is_placeholder, shannon_entropy};

/// One parsed assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub key: String,
    /// The value after unquoting and unescaping.
    pub value: Vec<u8>,
    /// The value's bytes in the file, quotes excluded.
    pub span: Range<usize>,
}

/// Name suffixes (after the last `.`) of example files.
const TEMPLATE_WORDS: &[&str] =
    &["example", "examples", "sample", "samples", "template", "tmpl", "tpl", "dist", "default", "defaults"];

/// The last component of a path, `/` or `\` separated.
pub(crate) fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// True for file names the dotenv grammar applies to: `.env`, `.env.*` (e.g. .env.local, .env.production), `*.env`,
/// `.envrc`, `.flaskenv`, and `*.env.example`-style templates. A path is reduced to its last component.
pub fn is_dotenv_name(file_name: &str) -> bool {
    let name = base_name(file_name).to_ascii_lowercase();
    matches!(name.as_str(), ".env" | ".envrc" | ".flaskenv")
        || (name.starts_with(".env.") && name.len() > 5)
        || name.ends_with(".env")
        || TEMPLATE_WORDS.iter().any(|t| name.strip_suffix(t).is_some_and(|s| s.ends_with(".env.")))
}

/// True for template files: `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `*.env.example`,
/// `example.env` …: a dotenv name with a template word among its `.`-separated parts.
pub fn is_template_name(file_name: &str) -> bool {
    let name = base_name(file_name).to_ascii_lowercase();
    is_dotenv_name(&name) && name.split('.').any(|part| TEMPLATE_WORDS.contains(&part))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
    Backtick,
}

/// Parse the dotenv grammar (see the module doc). Never panics; skips garbage lines.
pub fn parse(text: &[u8]) -> Vec<Assignment> {
    parse_quoted(text).into_iter().map(|(a, _)| a).collect()
}

fn parse_quoted(text: &[u8]) -> Vec<(Assignment, Quote)> {
    let mut out = Vec::new();
    let mut unclosed = Unclosed::default();
    let mut i = if text.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    while i < text.len() {
        let eol = memchr::memchr(b'\n', &text[i..]).map_or(text.len(), |p| i + p);
        match assignment(text, i, eol, &mut unclosed) {
            Some((a, quote, next)) => {
                out.push((a, quote));
                i = next;
            }
            None => i = eol + 1,
        }
    }
    out
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn skip_blanks(text: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_blank(text[i]) {
        i += 1;
    }
    i
}

fn take_key(text: &[u8], start: usize, end: usize) -> usize {
    let mut i = start;
    while i < end && (text[i].is_ascii_alphanumeric() || b"_.-".contains(&text[i])) {
        i += 1;
    }
    i
}

/// The assignment on the line `start..eol`, and where parsing continues (a quoted value may end lines later).
fn assignment(text: &[u8], start: usize, eol: usize, unclosed: &mut Unclosed) -> Option<(Assignment, Quote, usize)> {
    let k = skip_blanks(text, start, eol);
    let mut key_end = take_key(text, k, eol);
    let mut key = k..key_end;
    if &text[key.clone()] == b"export" && key_end < eol && is_blank(text[key_end]) {
        let k2 = skip_blanks(text, key_end, eol);
        let end2 = take_key(text, k2, eol);
        if end2 > k2 {
            (key, key_end) = (k2..end2, end2);
        }
    }
    let eq = skip_blanks(text, key_end, eol);
    if key.is_empty() || text.get(eq) != Some(&b'=') {
        return None;
    }
    let key = String::from_utf8_lossy(&text[key]).into_owned();
    let v = skip_blanks(text, eq + 1, eol);
    let quote = match text.get(v) {
        Some(b'\'') => Quote::Single,
        Some(b'"') => Quote::Double,
        Some(b'`') => Quote::Backtick,
        _ => Quote::None,
    };
    if quote != Quote::None {
        if let Some(close) = unclosed.closing_quote(text, v) {
            let next = memchr::memchr(b'\n', &text[close..]).map_or(text.len(), |p| close + p + 1);
            let value = unquote(&text[v + 1..close], quote == Quote::Double);
            return Some((Assignment { key, value, span: v + 1..close }, quote, next));
        }
    }
    let mut end = eol;
    if let Some(p) = (v + 1..eol).find(|&p| text[p] == b'#' && is_blank(text[p - 1])) {
        end = p;
    }
    while end > v && (is_blank(text[end - 1]) || text[end - 1] == b'\r') {
        end -= 1;
    }
    let end = end.max(v);
    Some((Assignment { key, value: text[v..end].to_vec(), span: v..end }, Quote::None, eol + 1))
}

/// For each quote character, the earliest opening quote known to have no closing one: a later one has none
/// either, so a file of unclosed quotes is not searched to its end once per line.
#[derive(Default)]
struct Unclosed([Option<usize>; 3]);

impl Unclosed {
    /// Index of the quote closing the one at `open` (double quotes: not escaped by a backslash).
    fn closing_quote(&mut self, text: &[u8], open: usize) -> Option<usize> {
        let q = text[open];
        let slot = &mut self.0[match q {
            b'\'' => 0,
            b'"' => 1,
            _ => 2,
        }];
        if slot.is_some_and(|s| s < open) {
            return None;
        }
        let mut i = open + 1;
        while i < text.len() {
            match text[i] {
                b'\\' if q == b'"' => i += 2,
                c if c == q => return Some(i),
                _ => i += 1,
            }
        }
        *slot = Some(open);
        None
    }
}

/// A quoted value's bytes: CRLF → LF; in double quotes `\n \r \t \" \\ \$ \'` are escapes.
fn unquote(raw: &[u8], escapes: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        let next = raw.get(i + 1).copied();
        if c == b'\r' && next == Some(b'\n') {
            i += 1;
            continue;
        }
        if escapes && c == b'\\' {
            let unescaped = match next {
                Some(b'n') => Some(b'\n'),
                Some(b'r') => Some(b'\r'),
                Some(b't') => Some(b'\t'),
                Some(e @ (b'"' | b'\\' | b'$' | b'\'')) => Some(e),
                _ => None,
            };
            if let Some(u) = unescaped {
                out.push(u);
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Client-side prefixes: bundlers publish these variables to browsers, so their names say "not secret".
const PUBLIC_PREFIXES: &[&str] =
    &["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "PUBLIC_", "GATSBY_", "VUE_APP_"];
/// A last name part that makes the variable metadata *about* a secret (`_KEY_ID`, `_TOKEN_URL`, `_KEY_FILE` …).
const NOT_SECRET_LAST: &str = "\
    ID IDS PATH FILE FILES DIR URL URI ENDPOINT HOST HOSTNAME DOMAIN PORT SERVER NAME TYPE MODE METHOD PROVIDER \
    ENABLED DISABLED ENABLE REQUIRED EXPIRY EXPIRES EXPIRATION TTL LIFETIME TIMEOUT LENGTH SIZE HEADER ALGORITHM \
    ALG REGION USER USERNAME LOGIN EMAIL ISSUER AUDIENCE SCOPE SCOPES VERSION CALLBACK REDIRECT PREFIX FORMAT ENV \
    STDIN FD CMD COMMAND PROMPT HELPER POLICY COUNT LIMIT";
/// Name parts meaning the value is authentication material (`*_AUTH*`, but not `GIT_AUTHOR_DATE`).
const AUTH_PARTS: &[&str] = &["AUTH", "AUTHTOKEN", "AUTHKEY", "AUTHORIZATION"];

/// `dbPassword` → `DB_PASSWORD`, `x-api-key` → `X_API_KEY`.
fn normalize_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(match c {
            '-' | '.' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        });
    }
    out
}

/// True when a variable (or flag, or header) name says its value is a secret: `*_KEY`, `*_SECRET`, `*_TOKEN`,
/// `*PASSWORD*`, `*PASSWD*`, `*_PASS`, `*_PWD`, `*CREDENTIAL*`, `*_AUTH*`, `*_DSN`, `DATABASE_URL`, `*_DATABASE_URL`,
/// `*_CONNECTION_STRING`, `*PRIVATE_KEY*`, `*API_KEY*`, `*ACCESS_KEY*`, `SECRET*` (case-insensitive, camelCase and
/// `-` split into `_` parts) — but not metadata names (`*_KEY_ID`, `*_KEY_PATH`, `*_KEY_FILE`, `*_TOKEN_URL`,
/// `*_AUTH_DOMAIN` …), public keys (`PUBLIC_KEY`, `*_PUBLIC_KEY`, `*_PUBLISHABLE_KEY`, `*_SITE_KEY`) or client-side
/// public prefixes (`NEXT_PUBLIC_*`, `VITE_*` …).
pub fn secret_name(key: &str) -> bool {
    let name = normalize_name(key);
    let name = name.trim_matches('_');
    // `name` is `part` or ends with `_part`.
    let is_or_ends = |part: &str| name.strip_suffix(part).is_some_and(|rest| rest.is_empty() || rest.ends_with('_'));
    if PUBLIC_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return false;
    }
    if ["DATABASE_URL", "DATABASE_URI", "CONNECTION_STRING", "DSN"].into_iter().any(is_or_ends) {
        return true;
    }
    let last = name.rsplit('_').next().unwrap_or_default();
    if listed(NOT_SECRET_LAST, last) || ["PUBLIC_KEY", "PUBLISHABLE_KEY", "SITE_KEY"].into_iter().any(is_or_ends) {
        return false;
    }
    let suffixes = ["_KEY", "_SECRET", "_TOKEN", "_PASS", "_PWD"];
    let contains = ["PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE_KEY", "API_KEY", "APIKEY", "ACCESS_KEY"];
    suffixes.iter().any(|s| name.ends_with(s))
        || contains.iter().any(|s| name.contains(s))
        || name.starts_with("SECRET")
        || name.split('_').any(|part| AUTH_PARTS.contains(&part))
        || matches!(name, "TOKEN" | "PASS" | "SSHPASS")
}

/// What a secret-named value turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Secret,
    /// A reference to a secret kept elsewhere (`${VAR}`, `$VAR`, `%VAR%`, `{{ var }}`, `$(cmd)`).
    Reference,
    Skip,
}

/// Shorter values are only reported when a token rule vouches for them.
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

/// `validate::is_placeholder`, the words above, `your…`, or only mask characters (`****`, `xxxx-xxxx`).
pub(crate) fn placeholder(v: &[u8]) -> bool {
    let l = lower(v);
    is_placeholder(v)
        || listed(PLACEHOLDER_WORDS, &l)
        || l.starts_with("your")
        || v.iter().all(|c| b"xX*._-#".contains(c))
}

/// Long and random enough to be a real secret even in a template file.
pub(crate) fn random(v: &[u8]) -> bool {
    v.len() >= 16 && shannon_entropy(v) >= 3.5 && !placeholder(v)
}

/// A URL user name that is really a token (`https://<token>@github.com`, a Sentry DSN key): long, mixing letters
/// and digits, and random at least as hex is (32 random hex digits often score only ~3.3 bits).
pub(crate) fn token_like(v: &[u8]) -> bool {
    v.len() >= 16
        && shannon_entropy(v) >= 3.0
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && !placeholder(v)
}

fn ident(v: &[u8]) -> bool {
    v.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && v.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `${VAR}`, `${VAR:-default}`, `$(cmd)`, `` `cmd` ``, a whole `$VAR`, an embedded `$UPPER_VAR`, PowerShell's
/// `$env:VAR`, `%VAR%`, `{{ var }}`. `literal` (single quotes) means no `$` or backtick expansion happens.
fn is_reference(v: &[u8], literal: bool) -> bool {
    let find = |needle: &[u8]| memchr::memmem::find(v, needle);
    if find(b"{{").is_some_and(|p| memchr::memmem::find(&v[p..], b"}}").is_some()) {
        return true;
    }
    if v.len() > 2 && v[0] == b'%' && v[v.len() - 1] == b'%' && ident(&v[1..v.len() - 1]) {
        return true;
    }
    if literal {
        return false;
    }
    let whole = v.len() > 1 && v[0] == b'$' && ident(&v[1..]);
    if whole || lower(v).contains("$env:") || v.iter().filter(|&&c| c == b'`').count() >= 2 {
        return true;
    }
    if find(b"${").is_some_and(|p| v[p..].contains(&b'}')) || find(b"$(").is_some() {
        return true;
    }
    (0..v.len()).any(|i| {
        v[i] == b'$'
            && match v.get(i + 1) {
                Some(b'{' | b'(') => false,
                _ => {
                    let name =
                        v[i + 1..].iter().take_while(|c| c.is_ascii_uppercase() || **c == b'_' || c.is_ascii_digit());
                    (i == 0 || !v[i - 1].is_ascii_alphanumeric())
                        && v.get(i + 1).is_some_and(|c| !c.is_ascii_digit())
                        && name.count() >= 2
                }
            }
    })
}

fn is_number(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"-").or_else(|| v.strip_prefix(b"+")).unwrap_or(v);
    let mut parts = v.splitn(2, |&c| c == b'.');
    let digits = |p: &[u8]| !p.is_empty() && p.iter().all(u8::is_ascii_digit);
    parts.next().is_some_and(digits) && parts.next().is_none_or(digits)
}

/// Placeholder, boolean, number or development default: never a secret.
fn dull(v: &[u8]) -> bool {
    let l = lower(v);
    placeholder(v)
        || matches!(l.as_str(), "true" | "false" | "yes" | "no" | "on" | "off")
        || is_number(v)
        || listed(DEV_DEFAULTS, &l)
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

/// A `scheme://user:password@host` URL's parts, as ranges of the value.
pub(crate) struct UrlParts {
    pub user: Range<usize>,
    pub password: Option<Range<usize>>,
    pub host: Range<usize>,
}

/// Split a URL's authority (`scheme://[user[:password]@]host[:port]`); `None` when `v` is not `scheme://…`.
pub(crate) fn url_parts(v: &[u8]) -> Option<UrlParts> {
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
    Some(UrlParts { user, password, host: host_start..host_end })
}

/// A development default password on a local host (`postgres:postgres@localhost`).
pub(crate) fn local_default(host: &[u8], password: &[u8]) -> bool {
    let h = lower(host);
    let local = matches!(h.as_str(), "localhost" | "[::1]" | "0.0.0.0" | "host.docker.internal")
        || h.starts_with("127.")
        || h.ends_with(".localhost");
    local && listed(DEV_DEFAULTS, &lower(password))
}

/// Decide a value whose *name* says secret. `literal`: no `$` expansion applies (single quotes); `template`: the
/// file is an example, so only random-looking values count.
pub(crate) fn judge(v: &[u8], literal: bool, template: bool) -> Verdict {
    if v.iter().all(u8::is_ascii_whitespace) {
        return Verdict::Skip;
    }
    if is_reference(v, literal) {
        return Verdict::Reference;
    }
    if dull(v) {
        return Verdict::Skip;
    }
    if let Some(u) = url_parts(v) {
        // The URL is reported whole, but only for a password that is not a placeholder, and not a development
        // default on a local host (`admin` is a real password on a remote one); or for a long random user name (a
        // token used as user, a Sentry DSN key).
        let secret = match u.password {
            Some(pw) if !pw.is_empty() => {
                let pw = &v[pw];
                !placeholder(pw) && !local_default(&v[u.host], pw) && (!template || random(pw))
            }
            _ => token_like(&v[u.user]),
        };
        return if secret { Verdict::Secret } else { Verdict::Skip };
    }
    if v.len() < MIN_LEN || is_path(v) || (template && !random(v)) {
        return Verdict::Skip;
    }
    Verdict::Secret
}

/// Decide which values are secrets. `token_rule_matches(value)` runs the token rules; `template` says the file is
/// an example/sample/template. A value is reported when a token rule matches it, or when its name says secret
/// ([`secret_name`]) and it is not empty, a placeholder, a boolean, a number, a development default, a path or
/// too short; references to secrets elsewhere are returned separately.
pub fn candidates(
    text: &[u8],
    template: bool,
    token_rule_matches: &dyn Fn(&[u8]) -> bool,
) -> (Vec<Candidate>, Vec<Reference>) {
    let (mut found, mut refs) = (Vec::new(), Vec::new());
    for (a, quote) in parse_quoted(text) {
        if a.value.is_empty() {
            continue;
        }
        let context = Context { tool: Some("dotenv".into()), variable: Some(a.key.clone()), ..Context::default() };
        let verdict = if token_rule_matches(&a.value) {
            Verdict::Secret
        } else if secret_name(&a.key) {
            judge(&a.value, matches!(quote, Quote::Single | Quote::Backtick), template)
        } else {
            Verdict::Skip
        };
        match verdict {
            Verdict::Secret => found.push(Candidate { span: a.span, value: a.value, context }),
            Verdict::Reference => {
                refs.push(Reference { context, reference: String::from_utf8_lossy(&a.value).into_owned() })
            }
            Verdict::Skip => {}
        }
    }
    (found, refs)
}

#[cfg(test)]
mod tests {
    use super::super::golden;
    use super::*;
    use serde_json::{json, Value};

    fn engine() -> crate::engine::Engine {
        crate::engine::Engine::new(crate::rules::RuleSet::load(&[]).unwrap())
    }

    fn run(name: &str, text: &[u8], engine: &crate::engine::Engine) -> Value {
        let matches = |v: &[u8]| !engine.scan(v).is_empty();
        let (found, refs) = candidates(text, is_template_name(name), &matches);
        let found: Vec<Value> = found.iter().map(|c| golden::candidate(text, c)).collect();
        json!({ "candidates": found, "references": refs })
    }

    #[test]
    fn golden_files() {
        let engine = engine();
        let all = golden::fixtures("dotenv", false);
        assert!(all.len() >= 4);
        golden::check(&all, &|f| {
            assert!(is_dotenv_name(&f.name), "{}", f.name);
            run(&f.name, &f.text, &engine)
        });
    }

    #[test]
    fn truncations_never_panic() {
        let never = |_: &[u8]| false;
        for golden::Fixture { name, text, .. } in golden::fixtures("dotenv", false) {
            for cut in 0..=text.len() {
                let t = &text[..cut];
                for a in parse(t) {
                    assert!(a.span.start <= a.span.end && a.span.end <= t.len(), "{name} cut at {cut}");
                }
                candidates(t, cut % 2 == 0, &never);
            }
        }
    }

    #[test]
    fn grammar_details() {
        let one = |t: &str| parse(t.as_bytes()).into_iter().map(|a| (a.key, String::from_utf8(a.value).unwrap()));
        let got: Vec<_> =
            one("\u{feff}A=1\nexport=x\nexport  B = 2 # c\nC=a#b\nD='x'y\nE=\"\\q\\n\"\n=z\nF\n").collect();
        let want = [("A", "1"), ("export", "x"), ("B", "2"), ("C", "a#b"), ("D", "x"), ("E", "\\q\n")];
        assert_eq!(got, want.map(|(k, v)| (k.to_string(), v.to_string())));
        // An unclosed quote: the rest of the line, quote included; the next line is parsed on its own.
        let got: Vec<_> = one("A=\"abc\nB=2\n").collect();
        assert_eq!(got, [("A".into(), "\"abc".into()), ("B".into(), "2".into())]);
    }

    #[test]
    fn names() {
        for n in [".env", ".env.local", "dir/.env.production", "prod.env", ".envrc", ".flaskenv", "x.env.example"] {
            assert!(is_dotenv_name(n), "{n}");
        }
        for n in [".environment", "env", ".env.", "envrc", "my.envx", ".bashrc"] {
            assert!(!is_dotenv_name(n), "{n}");
        }
        for n in [".env.example", ".env.sample", ".env.template", ".env.dist", "prod.env.example", "example.env"] {
            assert!(is_template_name(n), "{n}");
        }
        for n in [".env", ".env.local", "config.example", ".env.production"] {
            assert!(!is_template_name(n), "{n}");
        }
        let secret = "\
            API_KEY stripeSecretKey db-password GITHUB_TOKEN TOKEN DB_PASS MYSQL_PWD AWS_CREDENTIALS REDIS_AUTH \
            NGROK_AUTHTOKEN SENTRY_DSN DATABASE_URL REPLICA_DATABASE_URL SECRET_KEY_BASE AZURE_CONNECTION_STRING \
            SSH_PRIVATE_KEY_B64 X-Api-Key AWS_SECRET_ACCESS_KEY SSHPASS";
        for n in secret.split_ascii_whitespace() {
            assert!(secret_name(n), "{n}");
        }
        let not_secret = "\
            AWS_ACCESS_KEY_ID SSL_KEY_PATH TLS_KEY_FILE OAUTH_TOKEN_URL OKTA_AUTH_URL AUTH0_AUTH_DOMAIN PUBLIC_KEY \
            JWT_PUBLIC_KEY STRIPE_PUBLISHABLE_KEY NEXT_PUBLIC_API_KEY VITE_SECRET PWD GIT_AUTHOR_DATE KEY MONKEY \
            PASSPORT HOME SECRET_NAME PASSWORD_STDIN";
        for n in not_secret.split_ascii_whitespace() {
            assert!(!secret_name(n), "{n}");
        }
    }
}
