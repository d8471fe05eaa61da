//! Undoing the wrappings a credential is written in, so that a wrapped secret is fingerprinted and analysed exactly
//! like the plain one (issue #13 §2):
//!
//! * an armored private key (RFC 7468 / RFC 1421 PEM, OpenSSH, OpenPGP, PuTTY) quoted line by line in source code
//!   (`"-----BEGIN …-----\n" +`, Python's implicit concatenation, a JS array of lines), with `\n` or `\\n` escapes
//!   (JSON, env values, notebooks), or base64-encoded as a whole (`LS0tLS1CRUdJTi…`: Kubernetes Secret `data:`,
//!   CI variables, `*_B64` environment variables) — [`armored`] gives back the armored text;
//! * an HTTP Basic credential (RFC 7617, `base64(user ":" password)`) — [`basic`] gives the user and the password.
//!
//! The fingerprint ([`crate::fingerprint`]) and the key parser ([`crate::parsers::keys`]) call these on a rule's match
//! only, never on scanned text at large: the keyword gate (`BEGIN … PRIVATE KEY`, `LS0tLS1CRUdJTi…`,
//! `Authorization`) decides where they run. Everything is linear in the input and never panics.
use std::borrow::Cow;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

/// How the base64 encoding of any armored block begins: `-----BEGIN ` is 11 bytes, so these 14 characters are fixed
/// whatever label follows (RFC 4648 §4: each 3 bytes give 4 characters).
pub const BASE64_ARMOR: &str = "LS0tLS1CRUdJTi";

/// Quote characters of the languages a key is quoted in, line by line.
const QUOTES: [char; 3] = ['"', '\'', '`'];

/// Standard alphabet, padding optional, trailing bits tolerated: the text is data from anywhere, not canonical.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The armored text held by `text` in whatever wrapping it is written: base64 of the whole block decoded (when the
/// text holds no armor in the clear, from the first [`BASE64_ARMOR`] on: a YAML key or quote may come first), string
/// escapes undone (`\n`, `\\n`, `\r`, `\"`, `\/`, a backslash at a line's end), and line-by-line quoting removed (the
/// quotes and what lies between the quoted pieces: `+`, `,`, `.`, `&`, `@`, a `b`/`r`/`f`/`u` prefix). Text in no
/// wrapping comes back as it is; text that is not a key comes back in some form the key readers then reject.
pub fn armored(text: &[u8]) -> Cow<'_, str> {
    let s = String::from_utf8_lossy(text);
    if !s.contains("-----BEGIN ") {
        if let Some(decoded) = s.find(BASE64_ARMOR).and_then(|at| decode_base64_armor(&s[at..])) {
            return Cow::Owned(unquote(&decoded).into_owned());
        }
    }
    match s {
        Cow::Borrowed(b) => unquote(b),
        Cow::Owned(o) => Cow::Owned(unquote(&o).into_owned()),
    }
}

/// The armored block that base64 text starting with [`BASE64_ARMOR`] encodes. The text may be wrapped into lines
/// (`base64` writes 76 columns, `openssl base64` 64), indented (a YAML block) or carry `\n` escapes; it ends at the
/// padding or at the first character that is not base64, and whatever a pattern took after the last full quantum is
/// decoded as trailing garbage (after the END line, where no key reader looks) rather than refused.
fn decode_base64_armor(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut b64 = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            c @ (b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/') => b64.push(c),
            b'=' => {
                b64.push(b'=');
                if bytes.get(i + 1) == Some(&b'=') {
                    b64.push(b'=');
                }
                break;
            }
            c if c.is_ascii_whitespace() => {}
            b'\\' if matches!(bytes.get(i + 1), Some(b'n' | b'r')) => i += 1,
            _ => break,
        }
        i += 1;
    }
    let decoded = B64.decode(&b64).or_else(|_| B64.decode(&b64[..b64.len() - b64.len() % 4])).ok()?;
    let text = String::from_utf8_lossy(&decoded);
    text.contains("-----BEGIN ").then(|| text.into_owned())
}

/// Undo string escapes, then take each line's quoted pieces (see [`armored`]). Text without a backslash or a quote
/// is returned as it is.
fn unquote(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b == b'\\' || QUOTES.contains(&char::from(b))) {
        return Cow::Borrowed(s);
    }
    let unescaped = unescape(s);
    let mut out = String::with_capacity(unescaped.len());
    for line in unescaped.split('\n') {
        if push_line_content(&mut out, line) {
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

/// Escapes as JSON, JavaScript, Python, Java, C#, Go and shells write them, however many times a string was
/// escaped (`\\n` in a notebook's JSON of Python source): a run of backslashes before `n` is a newline, before `r`
/// nothing (CRLF and CR are line ends anyway), before a quote or `/` that character; a backslash ending a line is a
/// line continuation. Any other backslash stays.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j] == b'\\' {
            j += 1;
        }
        match b.get(j) {
            Some(b'n' | b'\n') => out.push(b'\n'),
            Some(b'r') => {}
            Some(&c @ (b'"' | b'\'' | b'`' | b'/')) => out.push(c),
            Some(b'\r') if b.get(j + 1) == Some(&b'\n') => {
                out.push(b'\n');
                j += 1;
            }
            _ => {
                out.extend_from_slice(&b[i..j]);
                i = j;
                continue;
            }
        }
        i = j + 1;
    }
    // Only ASCII bytes were removed or replaced by ASCII bytes: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// One source line's share of the armored text. A line without quotes is all content (a YAML block, a heredoc, a
/// Go raw string), and so is a line whose quotes only stand in text (`Comment: bob's key`). A line quoted as a
/// string literal has a piece between or beside its quotes that is only syntax; it is split at its quotes: the
/// pieces that are only concatenation syntax (`" +`,
/// `',`, `" .`, `" & _`, a string prefix such as Python's `b"`) are dropped, the others kept. Kept pieces are joined
/// as they stand, except that armor lines (`-----…-----`) and RFC 1421 header lines (`Proc-Type: 4,ENCRYPTED`) get a
/// line of their own, so `"-----BEGIN …-----" + "MII…" + "-----END …-----"` on one line still reads as a block.
/// Returns whether the line gave anything: a line of syntax only (`" +` after an escaped newline) is no line of the
/// key, and a blank one would shift PuTTY's counted lines.
fn push_line_content(out: &mut String, line: &str) -> bool {
    // Quotes that wrap nothing but text (`Comment: bob's key`) leave the line as it is.
    if !line.contains(QUOTES) || !line.split(QUOTES).any(is_syntax) {
        out.push_str(line);
        return true;
    }
    let mut previous: Option<&str> = None;
    for piece in line.split(QUOTES).filter(|p| !is_syntax(p)) {
        let trimmed = piece.trim();
        if let Some(before) = previous {
            let header = before.contains(':') && !before.ends_with(':');
            if before.ends_with("-----") || header || trimmed.starts_with("-----") {
                out.push('\n');
            }
        }
        out.push_str(piece);
        previous = Some(trimmed);
    }
    previous.is_some()
}

/// A piece between quotes that is only the syntax around string literals: whitespace and operators, or a string
/// prefix of one or two letters (`b`, `r`, `f`, `u`, `rb` …) after them.
fn is_syntax(piece: &str) -> bool {
    let operator = |c: char| c.is_whitespace() || "+,.&;|_@$(){}[]\\".contains(c);
    let rest = piece.trim_matches(operator);
    rest.len() <= 2 && rest.chars().all(|c| "bBrRfFuU".contains(c))
}

/// An HTTP Basic credential, decoded (RFC 7617 §2: `base64(user-id ":" password)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basic {
    pub user: String,
    pub password: Vec<u8>,
}

impl Basic {
    /// What the credential's secret is: the password; or, with an empty password, the user (an API key sent as
    /// the user name with no password, as Stripe, Mailgun-style and many other APIs take it).
    pub fn secret(&self) -> &[u8] {
        if self.password.is_empty() {
            self.user.as_bytes()
        } else {
            &self.password
        }
    }

    /// The non-secret identity: the user, unless the user is the secret.
    pub fn identifier(&self) -> Option<&str> {
        (!self.password.is_empty() && !self.user.is_empty()).then_some(self.user.as_str())
    }
}

/// Decode the token of an `Authorization: Basic` header. `None` unless it is base64 of printable UTF-8 text with a
/// colon and something secret on one side of it: random base64 (a Bearer value under the wrong scheme, binary data)
/// almost never is.
pub fn basic(token: &[u8]) -> Option<Basic> {
    let raw = B64.decode(token.trim_ascii()).ok()?;
    let text = std::str::from_utf8(&raw).ok()?;
    if text.chars().any(char::is_control) {
        return None;
    }
    let (user, password) = text.split_once(':')?;
    if user.is_empty() && password.is_empty() {
        return None;
    }
    Some(Basic { user: user.to_owned(), password: password.as_bytes().to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOwIBAAJBAMDQzvv6ZBgj77Oo06U2rGy679Ylo1WhfJSuSLJDQI1RHF6+LsgV\njfwlvz2lXoMGMuMSYT0RJt7Wu+u1UIfRVykCAwEAAQ==\n-----END RSA PRIVATE KEY-----\n";

    /// What every key reader looks at: the armor and header lines, trimmed, and the base64 between them with line
    /// breaks and whitespace removed.
    fn lines(s: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut body = false;
        for l in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let data = !l.starts_with("-----") && !l.contains(':');
            match out.last_mut() {
                Some(last) if data && body => last.push_str(l),
                _ => out.push(l.to_owned()),
            }
            body = data;
        }
        out
    }

    fn lines_of_pem() -> Vec<String> {
        lines(PEM)
    }

    #[test]
    fn plain_text_is_returned_as_is() {
        assert!(matches!(armored(PEM.as_bytes()), Cow::Borrowed(_)));
        assert_eq!(armored(PEM.as_bytes()), PEM);
    }

    #[test]
    fn every_source_wrapping_gives_the_same_lines() {
        let pem_lines: Vec<&str> = PEM.trim_end().split('\n').collect();
        let each = |f: &dyn Fn(&str) -> String| pem_lines.iter().map(|l| f(l)).collect::<Vec<_>>();
        let wrappings: Vec<(&str, String)> = vec![
            ("escaped", PEM.replace('\n', "\\n")),
            ("double escaped", PEM.replace('\n', "\\\\n")),
            ("crlf escaped", PEM.replace('\n', "\\r\\n")),
            ("python lines", each(&|l| format!("    \"{l}\\n\"")).join("\n")),
            ("python bytes", each(&|l| format!("    b'{l}\\n'")).join("\n")),
            ("java lines", each(&|l| format!("        \"{l}\\n\"")).join(" +\n")),
            ("java no escapes", each(&|l| format!("\"{l}\"")).join(" +\n")),
            ("js array", each(&|l| format!("  '{l}',")).join("\n")),
            ("php", each(&|l| format!("'{l}' . \"\\n\"")).join(" .\n")),
            ("one line", each(&|l| format!("\"{l}\"")).join(" + ")),
            ("ruby continuation", each(&|l| format!("\"{l}\\n\" \\")).join("\n")),
            ("notebook", each(&|l| format!("\"    \\\"{l}\\\\n\\\"\\n\",")).join("\n")),
        ];
        for (what, text) in wrappings {
            assert_eq!(lines(&armored(text.as_bytes())), lines_of_pem(), "{what}:\n{text}");
        }
    }

    #[test]
    fn header_lines_and_quoted_header_values_survive() {
        let pem = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: \"made by: gpg\"\nProc-Type: 4,ENCRYPTED\n\nAQID\n-----END PGP PRIVATE KEY BLOCK-----";
        let want = lines(&pem.replace('"', ""));
        assert_eq!(lines(&armored(pem.as_bytes())), want);
        let quoted: Vec<String> = pem.split('\n').map(|l| format!("\"{}\\n\"", l.replace('"', "\\\""))).collect();
        assert_eq!(lines(&armored(quoted.join(" +\n").as_bytes())), want);
        let apostrophe = pem.replace("\"made by: gpg\"", "bob's key, alice's too");
        assert_eq!(lines(&armored(apostrophe.as_bytes())), lines(&apostrophe), "quotes inside text are text");
    }

    #[test]
    fn base64_of_the_block_is_decoded_however_it_is_wrapped() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(PEM);
        assert!(b64.starts_with(BASE64_ARMOR));
        let wrapped76: Vec<String> = b64.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into()).collect();
        let variants = [
            b64.clone(),
            format!("\"{b64}\""),
            b64.trim_end_matches('=').to_owned(),
            wrapped76.join("\n    "),
            wrapped76.join("\\n"),
            format!("{b64}\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"),
        ];
        for v in variants {
            assert_eq!(lines(&armored(v.as_bytes())), lines_of_pem(), "{v}");
        }
        // Base64 of an escaped block: both layers undone.
        let escaped = base64::engine::general_purpose::STANDARD.encode(PEM.replace('\n', "\\n"));
        assert_eq!(lines(&armored(escaped.as_bytes())), lines_of_pem());
        // Not base64 of an armored block: left as it is.
        for other in [&b"LS0tLS1CRUdJTi!!!"[..], b"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K"] {
            let s = String::from_utf8_lossy(other);
            let got = armored(other);
            assert!(got == s || got.contains("-----BEGIN PUBLIC KEY"), "{got}");
        }
    }

    #[test]
    fn garbage_never_panics_and_stays_linear() {
        for input in ["", "\\", "\\\\\\", "\"", "'\\", "LS0tLS1CRUdJTi", "LS0tLS1CRUdJTi====", "\\\r", "é\\né\"é"] {
            let _ = armored(input.as_bytes());
            let _ = basic(input.as_bytes());
        }
        let _ = armored(&[0xff, 0xfe, b'\\', b'n', b'"']);
        // 2 MB of escapes and quotes: one pass each.
        let big = "\\\"a\\n'".repeat(400_000);
        assert!(armored(big.as_bytes()).len() <= big.len());
    }

    #[test]
    fn basic_credentials() {
        let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let b = basic(enc("deploy:s3cr3t:with:colons").as_bytes()).unwrap();
        assert_eq!(
            (b.user.as_str(), b.secret(), b.identifier()),
            ("deploy", &b"s3cr3t:with:colons"[..], Some("deploy"))
        );
        let key_only = basic(enc("sk_live_abc123:").as_bytes()).unwrap();
        assert_eq!((key_only.secret(), key_only.identifier()), (&b"sk_live_abc123"[..], None));
        let padless = enc("user:pw").trim_end_matches('=').to_owned();
        assert_eq!(basic(padless.as_bytes()).unwrap().password, b"pw");
        for bad in
            [enc("no colon here"), enc(":"), enc("a:b\u{7}"), "not base64!".into(), "3q2+7w==".into(), String::new()]
        {
            assert_eq!(basic(bad.as_bytes()), None, "{bad}");
        }
    }
}
