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
//! Which names say secret and which values are secrets is decided by [`super::judge`], as for every format; this
//! module knows the grammar and the quoting (single quotes and backticks: no `$` expansion).
use std::ops::Range;

use super::judge::{says_secret, verdict_named, Expansion::*, Verdict};
use super::{base_name, Candidate, Context, Reference};

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

/// True for file names the dotenv grammar applies to: `.env`, `.env.*` (e.g. .env.local, .env.production), `*.env`,
/// `.envrc`, `.flaskenv`, and `*.env.example`-style templates. A path is reduced to its last component.
pub fn is_dotenv_name(file_name: &str) -> bool {
    // Each of them has `env` in its name; most files' names don't (asked for every file: no allocation then).
    let base = base_name(file_name);
    if !super::contains_ignore_case(base, "env") {
        return false;
    }
    let name = base.to_ascii_lowercase();
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

/// Decide which values are secrets. `token_rule_matches(value)` runs the token rules; `template` says the file is
/// an example/sample/template. A value is reported when a token rule matches it, or when its name says secret
/// ([`says_secret`]) and [`verdict_named`] finds it a secret; references to secrets elsewhere are returned
/// separately.
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
        let expansion = if matches!(quote, Quote::Single | Quote::Backtick) { Literal } else { Shell };
        let verdict = if token_rule_matches(&a.value) {
            Verdict::Secret
        } else if says_secret(&a.key) {
            verdict_named(&a.value, expansion, template)
        } else {
            Verdict::Placeholder
        };
        match verdict {
            Verdict::Secret => found.push(Candidate { span: a.span, value: a.value, context }),
            Verdict::Reference => {
                refs.push(Reference { context, reference: String::from_utf8_lossy(&a.value).into_owned() })
            }
            Verdict::Placeholder | Verdict::Empty => {}
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
    }
}
