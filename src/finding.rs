//! From one match to one report finding: position (line, column), fingerprint, location id, redaction, exposure.
//!
//! This is the only place that sees a secret's bytes after the engine and the parsers, and it keeps them only when
//! the user asked with `--include-secrets`. Which engine matches and parser candidates become findings, and with
//! what context, is decided by [`crate::scanner`]; here each one becomes a [`Finding`].
use std::{borrow::Cow, path::Path};

use crate::{
    engine::Match,
    exposure, fingerprint,
    parsers::{self, Candidate, Context},
    read::FileMeta,
    report::{self, FileInfo, Finding, Provenance},
    rules::{Confidence, FingerprintKind, Rule, RuleSpec, Severity},
    suppress,
    validate::Validation,
};

/// Where the findings of one buffer come from: everything about the place that reaches a finding.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The path as reported: a file on disk, `<stdin>`, or a virtual path a source made up (an archive member
    /// `backup.tar.gz!etc/app/.env`, a repository path at a commit). Any bytes: a path that is not UTF-8 keeps its
    /// exact bytes in the finding's `path_raw`.
    pub path: &'a Path,
    /// Facts about the file (mode, owner, times), when the source has them.
    pub meta: Option<FileMeta>,
    /// `path` names a file on this machine, so facts may be looked up beside it: its owner's name in this system's
    /// user database, the public half of a key in `KEY.pub`, its place in a git working tree (for a staged blob,
    /// the file it is staged for). False for standard input, archive members and history blobs, even when they come
    /// with metadata.
    pub on_disk: bool,
    /// Where the buffer starts in the file (a chunk of a streamed file), for line and column.
    pub base: Base,
    /// Where the content was found in history (git: commit, author, date), copied into every finding.
    pub provenance: Option<&'a Provenance>,
    /// The buffer is the printable strings of binary data: findings are placed by byte offset, not line and column.
    pub binary: Option<BinaryText<'a>>,
}

/// Where the strings extracted from binary data came from (see [`crate::sources::strings`]). Lines and columns mean
/// nothing there, so a finding gets the byte `offset` of its secret in the file or archive member, and reads it as
/// one line of bytes: line 1, column `offset + 1` (every consumer that needs a line still gets a valid one).
#[derive(Clone, Copy)]
pub struct BinaryText<'a> {
    /// Offset in the file of the buffer's first byte (a chunk of a streamed file starts past 0).
    pub start: u64,
    /// Maps an offset in the buffer to the offset in the binary data it came from.
    pub offsets: &'a dyn SourceOffsets,
}

/// Text made from other bytes, which knows where each of its bytes came from.
pub trait SourceOffsets {
    /// The offset in the source of the text's byte at `at`.
    fn source_offset(&self, at: usize) -> usize;
}

impl std::fmt::Debug for BinaryText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinaryText").field("start", &self.start).finish_non_exhaustive()
    }
}

impl<'a> Origin<'a> {
    /// Content known only by its reported path: no metadata, not on disk, from the start, no provenance.
    pub fn new(path: &'a Path) -> Origin<'a> {
        Origin { path, meta: None, on_disk: false, base: Base::default(), provenance: None, binary: None }
    }
}

/// How findings are emitted: the same for every file of a scan.
#[derive(Debug, Clone, Default)]
pub struct Emit {
    /// Keep the raw value in `Finding::secret` (`--include-secrets`).
    pub include_secrets: bool,
    /// Plain or keyed fingerprints (`--fingerprint-key-file`).
    pub fingerprinter: fingerprint::Fingerprinter,
}

/// What a parser knew about a value the engine matched (see [`crate::scanner`]): its context, its identity, and its
/// decoded form.
#[derive(Debug, Default)]
pub struct Note<'a> {
    pub context: Option<Context>,
    pub identifier: Option<String>,
    /// The parser decoded what the engine matched (a Docker `auth` blob → the password; an escaped JSON string → its
    /// text): the decoded value is the secret, and its fingerprint is the one that matches elsewhere.
    pub decoded: Option<&'a [u8]>,
}

/// One thing to report, before positions and file facts are added.
pub struct Hit<'a> {
    spec: Cow<'a, RuleSpec>,
    secret: &'a [u8],
    /// Offset of the secret in the buffer (for line and column, and the inline allow marker).
    at: usize,
    identifier: Option<String>,
    validation: Validation,
    expires_at: Option<i64>,
    issued_at: Option<i64>,
    redacted: String,
    key: Option<parsers::keys::KeyInfo>,
    context: Option<Context>,
}

impl<'a> Hit<'a> {
    /// An engine match of `rule` in `hay`, with what a parser knew about the same value.
    pub fn engine(rule: &'a Rule, hay: &'a [u8], m: &Match, note: Note<'a>, origin: &Origin<'_>) -> Hit<'a> {
        let secret = note.decoded.unwrap_or(&hay[m.secret.clone()]);
        // A parser's identity (the user in a decoded `user:password`) is more precise than the pattern's.
        let (first, second) = if note.decoded.is_some() {
            (note.identifier, m.identifier.clone())
        } else {
            (m.identifier.clone(), note.identifier)
        };
        let key = is_key(rule).then(|| parsers::keys::parse_private_key(secret).ok()).flatten().map(|mut k| {
            if k.public_fingerprint.is_none() && origin.on_disk {
                k.public_fingerprint = sibling_pub_fingerprint(origin.path);
            }
            k
        });
        Hit {
            spec: Cow::Borrowed(&rule.spec),
            secret,
            at: m.secret.start,
            identifier: first.or(second),
            validation: m.validation,
            expires_at: m.expires_at,
            issued_at: m.issued_at,
            redacted: redact(rule, secret),
            key,
            context: note.context,
        }
    }

    /// A parser candidate no engine match covers, reported under its parser's rule (`spec`).
    pub fn parser(spec: &'a RuleSpec, c: &'a Candidate, identifier: Option<String>) -> Hit<'a> {
        // A parser may hand over a decoded private key (kubeconfig client-key-data, a service-account private_key):
        // fingerprint and describe it like any private key, so the same key matches everywhere.
        let armored =
            c.value.trim_ascii_start().starts_with(b"-----BEGIN ") && c.value.windows(11).any(|w| w == b"PRIVATE KEY");
        let spec = if armored {
            Cow::Owned(RuleSpec { kind: "private-key".into(), fingerprint: FingerprintKind::Pem, ..spec.clone() })
        } else {
            Cow::Borrowed(spec)
        };
        let key = armored.then(|| parsers::keys::parse_private_key(&c.value).ok()).flatten();
        let redacted = if armored {
            let first = c.value.trim_ascii_start().split(|&b| b == b'\n').next().unwrap_or_default();
            format!("{}…({})", String::from_utf8_lossy(first).trim_end(), c.value.len())
        } else {
            format!("…({})", c.value.len())
        };
        Hit {
            spec,
            secret: &c.value,
            at: c.span.start,
            identifier,
            validation: Validation::NotApplicable,
            expires_at: None,
            issued_at: None,
            redacted,
            key,
            context: Some(c.context.clone()),
        }
    }
}

/// What every finding of one buffer shares, computed once (and only for a buffer that has findings).
pub struct FileCtx<'a> {
    origin: &'a Origin<'a>,
    path: String,
    path_raw: Option<String>,
    path_bytes: Vec<u8>,
    meta: Option<FileMeta>,
    file: Option<FileInfo>,
    /// The file's place in git: looked up on first use, and only for a file on disk.
    git: Option<exposure::GitPlace>,
    now: i64,
    pos: LinePos,
    /// Which findings' lines carry the inline allow marker.
    marks: suppress::InlineMarks,
    emit: &'a Emit,
    /// The path runs through test, fixture, example or vendored code.
    test_or_vendored: bool,
}

impl<'a> FileCtx<'a> {
    pub fn new(origin: &'a Origin<'a>, emit: &'a Emit) -> FileCtx<'a> {
        // `./src/x` and `src/x` are the same file: report the shorter, so location ids don't depend on how the root
        // was spelled (`credsweep scan` vs `credsweep scan .`).
        let shown = origin.path.strip_prefix("./").unwrap_or(origin.path);
        let (path, path_raw) = report::path_strings(shown);
        let meta = origin.meta.filter(|m| m.mode != 0 || m.mtime != 0);
        let file = meta.map(|m| FileInfo {
            mode: format!("{:04o}", m.mode),
            uid: m.uid,
            // Another machine's uid (an archive member's) names nobody here.
            owner: if origin.on_disk { owner_name(m.uid) } else { None },
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
            git: None,
            now: crate::validate::unix_now(),
            pos: LinePos::new(origin.base),
            marks: suppress::InlineMarks::default(),
            emit,
            test_or_vendored: test_or_vendored(shown, !origin.on_disk),
        }
    }

    /// The 1-based line of byte `at` (offsets should come in increasing order: each byte is looked at once).
    pub fn line(&mut self, hay: &[u8], at: usize) -> u64 {
        self.pos.advance(hay, at).0
    }

    /// Whether the line holding byte `at` carries the inline allow marker (offsets in increasing order: each line
    /// is searched once).
    pub fn inline_allowed(&mut self, hay: &[u8], at: usize) -> bool {
        self.marks.allows(hay, at)
    }

    /// The finding for `h`, found in `hay`.
    pub fn finding(&mut self, hay: &[u8], h: Hit<'_>) -> Finding {
        let (line, column, offset) = match self.origin.binary {
            Some(b) => {
                let offset = b.start + b.offsets.source_offset(h.at) as u64;
                (1, offset + 1, Some(offset))
            }
            None => {
                let (line, column) = self.pos.advance(hay, h.at);
                (line, column, None)
            }
        };
        let fp = self.emit.fingerprinter.fingerprint(h.spec.fingerprint, h.secret);
        // An encrypted key is inventoried, not alarming: without its passphrase it is not usable.
        let severity = if h.key.as_ref().is_some_and(|k| k.encrypted) { Severity::Low } else { h.spec.severity };
        let mut risks = exposure::risks(&h.spec.kind, self.meta.as_ref(), h.validation, self.now);
        if self.origin.on_disk {
            let origin = self.origin;
            risks
                .extend(self.git.get_or_insert_with(|| exposure::GitPlace::of(origin.path)).risks(hay, h.at, h.secret));
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
            offset,
            fingerprint: fp,
            redacted: h.redacted,
            identifier: public_identifier(h.identifier, h.secret),
            validation: h.validation,
            expires_at: h.expires_at.map(report::rfc3339),
            issued_at: h.issued_at.map(report::rfc3339),
            file: self.file.clone(),
            key: h.key,
            context: h.context,
            risks,
            user: None,
            provenance: self.origin.provenance.cloned(),
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

/// Whether a directory of `path` is a test, fixture, example or vendored one. A `virtual_path` (not a file on this
/// disk) may name an archive member, `outer.zip!tests/x.env`: its `!` separates components too, so the member's own
/// directories are judged as well as the archive's.
fn test_or_vendored(path: &Path, virtual_path: bool) -> bool {
    let parent = path.parent().unwrap_or(Path::new(""));
    let listed = |c: &str| TEST_OR_VENDORED.iter().any(|t| t.eq_ignore_ascii_case(c));
    parent.iter().any(|c| c.to_str().is_some_and(|c| if virtual_path { c.split('!').any(listed) } else { listed(c) }))
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

/// The owner's user name, remembered per thread for the last owner asked about: every file with a finding asks, a
/// home's files share an owner, and each `getpwuid_r` reads the user database.
#[cfg(unix)]
fn owner_name(uid: u32) -> Option<String> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(u32, Option<String>)>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((u, name)) if *u == uid => name.clone(),
        _ => last.insert((uid, crate::host::user_name(uid))).1.clone(),
    })
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

/// Incremental line/column computation over increasing offsets: each byte is looked at once per buffer, however
/// many findings share a line (40,000 tokens on one 2 MB line once took 18 s, each column counted from the line's
/// start: issue #16).
#[derive(Default)]
struct LinePos {
    base: Base,
    /// Bytes before this offset are counted.
    offset: usize,
    /// Newlines in `hay[..offset]`.
    line: u64,
    /// Code points from the start of the line holding `offset` to `offset` (from the file's line: `base.columns`
    /// included while no newline has been seen in this buffer).
    column: u64,
}

impl LinePos {
    fn new(base: Base) -> LinePos {
        LinePos { base, column: base.columns, ..LinePos::default() }
    }

    /// Line and column (1-based) of `hay[to]`. Offsets should increase: going back starts over from the buffer's
    /// start (still correct, one more pass).
    fn advance(&mut self, hay: &[u8], to: usize) -> (u64, u64) {
        if to < self.offset {
            *self = LinePos::new(self.base);
        }
        let seg = &hay[self.offset..to];
        match memchr::memrchr(b'\n', seg) {
            Some(nl) => {
                self.line += memchr::memchr_iter(b'\n', seg).count() as u64;
                self.column = code_points(&seg[nl + 1..]);
            }
            None => self.column += code_points(seg),
        }
        self.offset = to;
        (self.base.lines + self.line + 1, self.column + 1)
    }
}

/// One rule for identifiers, whatever rule, parser or file format gave one: an identifier names whom a credential
/// belongs to and never shows more of a credential than that credential's own finding does. An AWS access key id
/// (reported as a finding of its own, redacted there) becomes the account it encodes, `aws-account:<12 digits>`, as
/// the key id's own finding has it, so a key pair's two halves carry the same identifier in `.aws/credentials`, a
/// `.env` or source code; one that encodes no account names nothing. An identifier holding the secret itself (a
/// pattern whose identifier group is its secret group) is dropped.
pub fn public_identifier(identifier: Option<String>, secret: &[u8]) -> Option<String> {
    let id = identifier?;
    let b = id.as_bytes();
    let aws_key_id = b.len() == 20
        && (b.starts_with(b"AKIA") || b.starts_with(b"ASIA"))
        && b[4..].iter().all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(c));
    if aws_key_id {
        return crate::validate::aws_account_id(b).map(|a| format!("aws-account:{a}"));
    }
    let holds_secret = secret.len() >= 8 && memchr::memmem::find(b, secret).is_some();
    (!holds_secret).then_some(id)
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
    fn identifiers_never_show_a_credential() {
        // A key id becomes its account (the one `aws sts get-access-key-info` gives for this id).
        let key_id = Some("ASIAY34FZKBOKMUTVV7A".to_owned());
        assert_eq!(public_identifier(key_id, b"some-secret-access-key"), Some("aws-account:609629065308".into()));
        assert_eq!(
            public_identifier(Some("user@example.com".into()), b"hunter2-but-longer"),
            Some("user@example.com".into())
        );
        assert_eq!(
            public_identifier(Some("LTAI5tAbCdEfGhIjKlMn".into()), b"LTAI5tAbCdEfGhIjKlMn"),
            None,
            "the secret itself"
        );
        assert_eq!(public_identifier(None, b"x"), None);
    }

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
    fn one_pass_over_offsets_gives_each_offsets_position() {
        let hay = "ab\ncdé xyz\n\nq long line ü continues here\nlast".as_bytes();
        let base = Base { lines: 3, columns: 7 };
        let each: Vec<(u64, u64)> = (0..hay.len()).map(|i| LinePos::new(base).advance(hay, i)).collect();
        for step in 1..hay.len() {
            let mut p = LinePos::new(base);
            for i in (0..hay.len()).step_by(step).chain((0..hay.len()).rev().step_by(step)) {
                assert_eq!(p.advance(hay, i), each[i], "offset {i}, step {step}");
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
