//! From engine matches to report findings: position (line, column), fingerprint, location id, redaction.
//!
//! This is the only place that sees a secret's bytes after the engine, and it keeps them only when the user asked
//! with `--include-secrets`.
use std::path::Path;

use crate::{
    engine::{Engine, Match},
    exposure, fingerprint,
    parsers::{self, Context, Parsed},
    report::{self, FileInfo, Finding},
    rules::{Confidence, FingerprintKind, Rule, RuleSpec, Severity, Validator},
    source::FileMeta,
    suppress,
    validate::Validation,
};

/// Where the findings of one buffer come from.
pub struct Origin<'a> {
    /// The path as reported (`<stdin>` for standard input).
    pub path: &'a Path,
    pub meta: Option<FileMeta>,
    /// Where the buffer starts in the file (a chunk of a streamed file), for line and column.
    pub base: Base,
}

/// How findings are emitted: the same for every file of a scan.
#[derive(Debug, Clone, Default)]
pub struct Emit {
    /// Keep the raw value in `Finding::secret` (`--include-secrets`).
    pub include_secrets: bool,
    /// Plain or keyed fingerprints (`--fingerprint-key-file`).
    pub fingerprinter: fingerprint::Fingerprinter,
}

/// Build findings for `matches` (sorted by secret position, as the engine returns them) and for parser
/// `candidates` (reported under `parser_rule`). A parser candidate that overlaps an engine match is not reported
/// twice: the engine's finding (the more specific rule) keeps it and gains the parser's context (variable, MCP
/// server …). Findings on a line carrying the inline allow marker are left out and counted in `inline_allowed`.
pub fn build(
    engine: &Engine,
    hay: &[u8],
    matches: &[Match],
    parsed: Option<&Parsed>,
    origin: &Origin<'_>,
    emit: &Emit,
    inline_allowed: &mut u64,
) -> Vec<Finding> {
    let mut ctx = FileCtx::new(origin, emit);
    // Engine findings in a file a parser recognised at least say whose file it is (e.g. an agent transcript).
    let file_context = parsed.and_then(|p| p.tool).map(|t| Context { tool: Some(t.to_owned()), ..Context::default() });
    let mut contexts: Vec<Option<Context>> = vec![file_context; matches.len()];
    let candidates = parsed.map_or(&[][..], |p| &p.candidates[..]);
    let parser_rule = parsed.and_then(|p| engine.rules().parser_rules.iter().find(|s| s.id == p.rule));
    let identifier_of = |i: usize| parsed.and_then(|p| p.identifiers.get(i).cloned().flatten());
    let mut identifiers: Vec<Option<String>> = vec![None; matches.len()];
    // Where the parser decoded what the engine matched (a Docker `auth` blob → the password; an escaped JSON
    // string → its text), the decoded value is the secret: its fingerprint is the one that matches elsewhere.
    let mut decoded: Vec<Option<&[u8]>> = vec![None; matches.len()];
    let mut rest = Vec::new();
    // A parser that knows the format supersedes the generic assignment heuristics (`password = …` rules) on the
    // same value: its finding names the variable, server or profile, under the format's own rule.
    let generic = |m: &Match| engine.rule(m.rule).spec.validator == Some(Validator::Generic);
    let mut superseded = vec![false; matches.len()];
    for (ci, c) in candidates.iter().enumerate() {
        let overlap = |m: &Match| m.secret.start < c.span.end && c.span.start < m.secret.end;
        for (i, m) in matches.iter().enumerate() {
            if generic(m) && overlap(m) {
                superseded[i] = true;
            }
        }
        match matches.iter().enumerate().position(|(i, m)| !superseded[i] && overlap(m)) {
            Some(i) => {
                let m = &matches[i];
                contexts[i] = Some(c.context.clone());
                identifiers[i] = identifier_of(ci);
                let covers = m.secret.start <= c.span.start && c.span.end <= m.secret.end;
                if covers && hay.get(c.span.clone()) != Some(&c.value[..]) && !c.value.is_empty() {
                    decoded[i] = Some(&c.value);
                }
            }
            None => rest.push((ci, c)),
        }
    }
    let mut out = Vec::with_capacity(matches.len() + rest.len());
    for ((((m, context), parser_identifier), decoded), superseded) in
        matches.iter().zip(contexts).zip(identifiers).zip(decoded).zip(superseded)
    {
        if superseded {
            continue;
        }
        if suppress::line_allows(hay, m.secret.start) {
            *inline_allowed += 1;
            continue;
        }
        let rule = engine.rule(m.rule);
        let secret = decoded.unwrap_or(&hay[m.secret.clone()]);
        // A parser's identity (the user in a decoded `user:password`) is more precise than the pattern's.
        let (first, second) = if decoded.is_some() {
            (parser_identifier, m.identifier.clone())
        } else {
            (m.identifier.clone(), parser_identifier)
        };
        let key = is_key(rule).then(|| parsers::keys::parse_private_key(secret).ok()).flatten().map(|mut k| {
            if k.public_fingerprint.is_none() && ctx.meta.is_some() {
                k.public_fingerprint = sibling_pub_fingerprint(origin.path);
            }
            k
        });
        let hit = Hit {
            spec: &rule.spec,
            secret,
            at: m.secret.start,
            identifier: first.or(second),
            validation: m.validation,
            expires_at: m.expires_at,
            issued_at: m.issued_at,
            redacted: redact(rule, secret),
            key,
            context,
        };
        out.push(ctx.finding(hay, hit));
    }
    if let Some(spec) = parser_rule {
        for (ci, c) in rest {
            if suppress::line_allows(hay, c.span.start) {
                *inline_allowed += 1;
                continue;
            }
            // A parser may hand over a decoded private key (kubeconfig client-key-data, a service-account
            // private_key): fingerprint and describe it like any private key, so the same key matches everywhere.
            let armored = c.value.trim_ascii_start().starts_with(b"-----BEGIN ")
                && c.value.windows(11).any(|w| w == b"PRIVATE KEY");
            let key_spec;
            let spec = if armored {
                key_spec = RuleSpec { kind: "private-key".into(), fingerprint: FingerprintKind::Pem, ..spec.clone() };
                &key_spec
            } else {
                spec
            };
            let key = armored.then(|| parsers::keys::parse_private_key(&c.value).ok()).flatten();
            let redacted = if armored {
                let first = c.value.trim_ascii_start().split(|&b| b == b'\n').next().unwrap_or_default();
                format!("{}…({})", String::from_utf8_lossy(first).trim_end(), c.value.len())
            } else {
                format!("…({})", c.value.len())
            };
            let hit = Hit {
                spec,
                secret: &c.value,
                at: c.span.start,
                identifier: identifier_of(ci),
                validation: Validation::NotApplicable,
                expires_at: None,
                issued_at: None,
                redacted,
                key,
                context: Some(c.context.clone()),
            };
            out.push(ctx.finding(hay, hit));
        }
    }
    out
}

/// One thing to report, before positions and file facts are added.
struct Hit<'a> {
    spec: &'a RuleSpec,
    secret: &'a [u8],
    /// Offset of the secret in the file (for line and column, and the inline allow marker).
    at: usize,
    identifier: Option<String>,
    validation: Validation,
    expires_at: Option<i64>,
    issued_at: Option<i64>,
    redacted: String,
    key: Option<parsers::keys::KeyInfo>,
    context: Option<Context>,
}

/// What every finding of one file shares, computed once.
struct FileCtx<'a> {
    origin: &'a Origin<'a>,
    path: String,
    path_raw: Option<String>,
    path_bytes: Vec<u8>,
    meta: Option<FileMeta>,
    file: Option<FileInfo>,
    /// Facts about the file's place in git: computed on first use, and only for a file on disk.
    git_risks: Option<Vec<String>>,
    now: i64,
    pos: LinePos,
    emit: &'a Emit,
    /// The path runs through test, fixture, example or vendored code.
    test_or_vendored: bool,
}

impl<'a> FileCtx<'a> {
    fn new(origin: &'a Origin<'a>, emit: &'a Emit) -> FileCtx<'a> {
        // `./src/x` and `src/x` are the same file: report the shorter, so location ids don't depend on how the root
        // was spelled (`credsweep scan` vs `credsweep scan .`).
        let shown = origin.path.strip_prefix("./").unwrap_or(origin.path);
        let (path, path_raw) = report::path_strings(shown);
        let meta = origin.meta.filter(|m| m.mode != 0 || m.mtime != 0);
        let file = meta.map(|m| FileInfo {
            mode: format!("{:04o}", m.mode),
            uid: m.uid,
            owner: owner_name(m.uid),
            gid: m.gid,
            modified: report::rfc3339(m.mtime),
        });
        FileCtx {
            origin,
            path,
            path_raw,
            path_bytes: report::path_bytes(shown).into_owned(),
            meta,
            file,
            git_risks: None,
            now: crate::validate::unix_now(),
            pos: LinePos::new(origin.base),
            emit,
            test_or_vendored: test_or_vendored(shown),
        }
    }

    fn finding(&mut self, hay: &[u8], h: Hit<'_>) -> Finding {
        let (line, column) = self.pos.advance(hay, h.at);
        let fp = self.emit.fingerprinter.fingerprint(h.spec.fingerprint, h.secret);
        // An encrypted key is inventoried, not alarming: without its passphrase it is not usable.
        let severity = if h.key.as_ref().is_some_and(|k| k.encrypted) { Severity::Low } else { h.spec.severity };
        let mut risks = exposure::risks(&h.spec.kind, self.meta.as_ref(), h.validation, self.now);
        if self.meta.is_some() {
            let origin = self.origin;
            risks.extend(self.git_risks.get_or_insert_with(|| exposure::git_risks(origin.path)).iter().cloned());
        }
        let mut confidence =
            if h.validation == Validation::ChecksumValid { Confidence::High } else { h.spec.confidence };
        if self.test_or_vendored {
            confidence = confidence.lower();
        }
        Finding {
            id: fingerprint::location_id(&fp, &self.path_bytes),
            confidence,
            rule: h.spec.id.clone(),
            rule_name: h.spec.name.clone(),
            kind: h.spec.kind.clone(),
            severity,
            provider: h.spec.provider.clone(),
            path: self.path.clone(),
            path_raw: self.path_raw.clone(),
            line,
            column,
            fingerprint: fp,
            redacted: h.redacted,
            identifier: h.identifier,
            validation: h.validation,
            expires_at: h.expires_at.map(report::rfc3339),
            issued_at: h.issued_at.map(report::rfc3339),
            file: self.file.clone(),
            key: h.key,
            context: h.context,
            risks,
            user: None,
            secret: self.emit.include_secrets.then(|| String::from_utf8_lossy(h.secret).into_owned()),
        }
    }
}

/// Directory names of test, fixture, example and vendored code: findings there are less likely to be live secrets.
const TEST_OR_VENDORED: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test_data",
    "testing",
    "__tests__",
    "spec",
    "specs",
    "fixtures",
    "__fixtures__",
    "mocks",
    "__mocks__",
    "examples",
    "example",
    "samples",
    "vendor",
    "third_party",
    "thirdparty",
    "node_modules",
    "site-packages",
    "dist-packages",
    "bower_components",
];

fn test_or_vendored(path: &Path) -> bool {
    let parent = path.parent().unwrap_or(Path::new(""));
    parent.iter().any(|c| c.to_str().is_some_and(|c| TEST_OR_VENDORED.iter().any(|t| t.eq_ignore_ascii_case(c))))
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

/// Where a buffer starts in its file: 0 lines and 0 columns for a whole file; for a chunk of a streamed file, the
/// lines before it and the code points of the line it starts in the middle of.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    pub lines: u64,
    pub columns: u64,
}

impl Base {
    /// The base of the buffer that starts at `hay[to]`, given this buffer's base.
    pub fn advance(self, hay: &[u8], to: usize) -> Base {
        let seg = &hay[..to];
        match memchr::memrchr(b'\n', seg) {
            Some(nl) => Base {
                lines: self.lines + memchr::memchr_iter(b'\n', seg).count() as u64,
                columns: code_points(&seg[nl + 1..]),
            },
            None => Base { lines: self.lines, columns: self.columns + code_points(seg) },
        }
    }
}

/// Code points: bytes that are not UTF-8 continuation bytes.
fn code_points(s: &[u8]) -> u64 {
    s.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64
}

/// Incremental line/column computation over increasing offsets: each byte is looked at once per buffer.
#[derive(Default)]
struct LinePos {
    base: Base,
    offset: usize,
    line: u64,
    /// `None` while no newline has been seen in this buffer (the line began before it: add `base.columns`).
    line_start: Option<usize>,
}

impl LinePos {
    fn new(base: Base) -> LinePos {
        LinePos { base, ..LinePos::default() }
    }

    fn advance(&mut self, hay: &[u8], to: usize) -> (u64, u64) {
        if to < self.offset {
            // Matches are sorted, but stay correct if not.
            *self = LinePos::new(self.base);
        }
        let seg = &hay[self.offset..to];
        self.line += memchr::memchr_iter(b'\n', seg).count() as u64;
        if let Some(nl) = memchr::memrchr(b'\n', seg) {
            self.line_start = Some(self.offset + nl + 1);
        }
        self.offset = to;
        let col = match self.line_start {
            Some(start) => code_points(&hay[start..to]) + 1,
            None => self.base.columns + code_points(&hay[..to]) + 1,
        };
        (self.base.lines + self.line + 1, col)
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
    fn chunk_bases_give_whole_file_positions() {
        let text = "ab\ncdé xyz\n\nq long line continues here";
        let hay = text.as_bytes();
        let whole: Vec<(u64, u64)> = (0..hay.len()).map(|i| LinePos::default().advance(hay, i)).collect();
        for cut in 1..hay.len() {
            let base = Base::default().advance(hay, cut);
            for (i, want) in whole.iter().enumerate().skip(cut) {
                assert_eq!(LinePos::new(base).advance(&hay[cut..], i - cut), *want, "cut {cut}, offset {i}");
            }
        }
    }

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
