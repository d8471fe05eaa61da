//! git: the credential store (`.git-credentials`: one `https://user:password@host` URL a line) and config files
//! (`.gitconfig`, `.git/config`): URLs with a password in any value (`remote.*.url`, `http.proxy`) or in a `[url
//! "…"]` section name, and `http[.<url>].extraHeader` authorization headers.
//!
//! A config file always starts its variables under a `[section]`; the store never has one. So a file with a section
//! header is read as config, any other as the store. The config reader follows git-config(1): `"` quoting anywhere
//! in a value, `\"` `\\` `\n` `\t` `\b` escapes, `\` at line end continues the value, `#`/`;` outside quotes start a
//! comment, section and variable names are case-insensitive, subsection names are case-sensitive.
use std::ops::Range;

use super::super::judge::says_secret;
use super::{lines, secret_basic, url_creds, Loc, Sink};

pub(crate) fn git(text: &[u8], sink: &mut Sink) {
    if lines(text).any(|(_, l)| l.trim_ascii_start().starts_with(b"[")) {
        config(text, sink);
    } else {
        store(text, sink);
    }
}

fn store(text: &[u8], sink: &mut Sink) {
    for (start, line) in lines(text) {
        let t = line.trim_ascii();
        let offset = start + (line.len() - line.trim_ascii_start().len());
        if let Some(c) = url_creds(t) {
            let span = offset + c.span.start..offset + c.span.end;
            sink.secret(span, c.password, Loc::new(Some(&c.host), "password").id(Some(c.user)));
        }
    }
}

/// One `name = value` of a config file.
struct Var {
    section: String,
    subsection: Option<(Vec<u8>, Range<usize>)>,
    name: String,
    value: Vec<u8>,
    /// From the value's first to its last byte (quotes included).
    span: Range<usize>,
}

/// Where `decoded` (a part of a value) lies in the file: exact when the raw text contains it unchanged, else the
/// whole raw span.
fn locate(text: &[u8], raw: &Range<usize>, decoded: &[u8], part: &Range<usize>) -> Range<usize> {
    let piece = &decoded[part.clone()];
    match memchr::memmem::find(&text[raw.clone()], decoded) {
        Some(at) => raw.start + at + part.start..raw.start + at + part.end,
        None => match memchr::memmem::find(&text[raw.clone()], piece).filter(|_| !piece.is_empty()) {
            Some(at) => raw.start + at..raw.start + at + piece.len(),
            None => raw.clone(),
        },
    }
}

fn config(text: &[u8], sink: &mut Sink) {
    let vars = parse_config(text);
    for v in &vars {
        let host = v.subsection.as_ref().and_then(|(s, _)| url_creds(s).map(|c| c.host).or_else(|| host_of(s)));
        if let Some((sub, raw)) = &v.subsection {
            // `[url "https://user:password@host/"]`: the secret is the section name itself.
            if v.section == "url" {
                if let Some(c) = url_creds(sub) {
                    let span = locate(text, raw, sub, &c.span);
                    sink.secret(span, c.password, Loc::new(Some(&c.host), "url").field("section").id(Some(c.user)));
                }
            }
        }
        let variable = match &v.subsection {
            Some((sub, _)) if !sub.contains(&b'@') => {
                format!("{}.{}.{}", v.section, String::from_utf8_lossy(sub), v.name)
            }
            _ => format!("{}.{}", v.section, v.name),
        };
        if let Some(c) = url_creds(v.value.trim_ascii()) {
            let lead = v.value.len() - v.value.trim_ascii_start().len();
            let part = lead + c.span.start..lead + c.span.end;
            let span = locate(text, &v.span, &v.value, &part);
            sink.secret(span, c.password, Loc::new(Some(&c.host), &variable).id(Some(c.user)));
        } else if v.section == "http" && v.name == "extraheader" {
            header(text, v, &variable, host.as_deref(), sink);
        }
    }
}

fn host_of(url: &[u8]) -> Option<String> {
    let rest = &url[memchr::memmem::find(url, b"://")? + 3..];
    let end = rest.iter().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// `Authorization: Basic <base64 user:password>` / `Bearer <token>` / `token <token>`, or a header whose name says
/// it carries a secret (`PRIVATE-TOKEN: …`).
fn header(text: &[u8], v: &Var, variable: &str, host: Option<&str>, sink: &mut Sink) {
    let Some(colon) = v.value.iter().position(|&b| b == b':') else { return };
    let name = String::from_utf8_lossy(v.value[..colon].trim_ascii()).to_ascii_lowercase();
    let rest = v.value[colon + 1..].trim_ascii();
    let (scheme, cred) = match rest.iter().position(u8::is_ascii_whitespace) {
        Some(sp) if name == "authorization" => (rest[..sp].to_ascii_lowercase(), rest[sp..].trim_ascii()),
        _ => (Vec::new(), rest),
    };
    if name != "authorization" && !says_secret(&name) {
        return;
    }
    // `cred` is a slice of `v.value`: its offset there.
    let start = cred.as_ptr() as usize - v.value.as_ptr() as usize;
    let span = locate(text, &v.span, &v.value, &(start..start + cred.len()));
    let loc = Loc::new(host, variable).field(name);
    if scheme == b"basic" {
        secret_basic(sink, span, cred, loc);
    } else {
        sink.secret(span, cred.to_vec(), loc);
    }
}

fn parse_config(text: &[u8]) -> Vec<Var> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut subsection = None;
    let mut i = 0;
    while i < text.len() {
        while i < text.len() && text[i].is_ascii_whitespace() {
            i += 1;
        }
        match text.get(i) {
            None => break,
            Some(b'#' | b';') => i = line_end(text, i),
            Some(b'[') => {
                let mut j = i + 1;
                while j < text.len() && !matches!(text[j], b']' | b'"' | b'\n') {
                    j += 1;
                }
                let name = &text[i + 1..j];
                subsection = None;
                if text.get(j) == Some(&b'"') {
                    let (sub, span) = quoted_subsection(text, j + 1);
                    j = span.end + 1;
                    subsection = Some((sub, span));
                }
                let end = text[j.min(text.len())..]
                    .iter()
                    .position(|&b| b == b']' || b == b'\n')
                    .map_or(text.len(), |p| j + p);
                let name = match name.iter().position(|&b| b == b'.') {
                    Some(d) if subsection.is_none() => {
                        subsection = Some((name[d + 1..].to_vec(), i + 1 + d + 1..j));
                        &name[..d]
                    }
                    _ => name,
                };
                section = String::from_utf8_lossy(name.trim_ascii()).to_ascii_lowercase();
                i = end + 1;
            }
            Some(_) => {
                let name_end = text[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
                    .map_or(text.len(), |p| i + p);
                let name = String::from_utf8_lossy(&text[i..name_end]).to_ascii_lowercase();
                let mut j = name_end;
                while j < text.len() && matches!(text[j], b' ' | b'\t') {
                    j += 1;
                }
                if name.is_empty() || text.get(j) != Some(&b'=') {
                    i = line_end(text, i.max(j));
                    continue;
                }
                let (value, span, next) = config_value(text, j + 1);
                out.push(Var { section: section.clone(), subsection: subsection.clone(), name, value, span });
                i = next;
            }
        }
    }
    out
}

fn line_end(text: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &text[from.min(text.len())..]).map_or(text.len(), |p| from + p + 1)
}

/// `[section "sub"]` from just after the opening quote: the unescaped name and its raw span.
fn quoted_subsection(text: &[u8], start: usize) -> (Vec<u8>, Range<usize>) {
    let mut out = Vec::new();
    let mut i = start;
    while i < text.len() && !matches!(text[i], b'"' | b'\n') {
        if text[i] == b'\\' && i + 1 < text.len() {
            i += 1;
        }
        out.push(text[i]);
        i += 1;
    }
    (out, start..i.min(text.len()))
}

/// A value from just after `=`: decoded bytes, the raw span, and where parsing goes on.
fn config_value(text: &[u8], start: usize) -> (Vec<u8>, Range<usize>, usize) {
    let mut out = Vec::new();
    let mut quoted = false;
    let (mut first, mut last) = (None, start);
    let mut trailing_ws = 0;
    let mut i = start;
    while i < text.len() {
        let at = i;
        match text[i] {
            b'\n' => break,
            b'\r' if text.get(i + 1) == Some(&b'\n') => break,
            b'#' | b';' if !quoted => {
                i = line_end(text, i) - 1;
                break;
            }
            b'"' => {
                quoted = !quoted;
                trailing_ws = 0;
            }
            b'\\' => {
                i += 1;
                match text.get(i) {
                    Some(b'\n') => {}
                    Some(b'\r') if text.get(i + 1) == Some(&b'\n') => i += 1,
                    Some(&c) => out.push(match c {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'b' => 8,
                        _ => c,
                    }),
                    None => break,
                }
                trailing_ws = 0;
            }
            b @ (b' ' | b'\t') if !quoted => {
                if first.is_some() {
                    out.push(b);
                    trailing_ws += 1;
                }
                i += 1;
                continue;
            }
            b => {
                out.push(b);
                trailing_ws = 0;
            }
        }
        first.get_or_insert(at);
        i += 1;
        last = i.min(text.len());
    }
    out.truncate(out.len() - trailing_ws.min(out.len()));
    let first = first.unwrap_or(start).min(last);
    (out, first..last, i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values_follow_git_config() {
        let text = b"[Remote \"origin\"]\n\turl = \"https://a b\"\\\n c # comment\n[http.https://h/] x = 1\n";
        let vars = parse_config(text);
        assert_eq!(vars.len(), 2);
        assert_eq!((vars[0].section.as_str(), vars[0].name.as_str()), ("remote", "url"));
        assert_eq!(vars[0].value, b"https://a b c");
        assert_eq!(vars[0].subsection.as_ref().unwrap().0, b"origin");
        assert_eq!(vars[1].subsection.as_ref().unwrap().0, b"https://h/");
    }
}
