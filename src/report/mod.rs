//! The inventory report: its data model (a documented contract, see `schema/report.schema.json`) and its writers.
//!
//! Every format is a [`ReportWriter`], chosen in one place ([`writer`]) by an exhaustive match on the format: a new
//! format is a writer in its own file and one arm there, and cannot silently fall back to another format.
//!
//! Paths: `path` is the path as a UTF-8 string; a path that is not valid UTF-8 gets U+FFFD replacements there and its
//! exact bytes in `path_raw` (standard base64), so nothing is lost and JSON stays valid UTF-8.
use std::{
    collections::{BTreeMap, HashSet},
    io,
};

use serde::Serialize;

use crate::{
    config::Format,
    rules::{RuleSet, Severity},
    validate::Validation,
};

pub mod human;
pub mod json;
pub mod keep;
pub mod output;
pub mod sarif;
pub mod scope;
#[cfg(test)]
mod testing;

/// A report format's writer. Every finding is handed to [`ReportWriter::finding`] as the scan finds it; the
/// [`Report`]'s envelope (stats, errors, rules) exists only at the end. A streaming format (JSON Lines, SARIF) writes
/// each finding at once; a whole-document format (JSON, human) keeps it compactly ([`keep::Kept`]) and writes the
/// document in [`ReportWriter::end`]. Either way memory grows by a few dozen bytes per finding at most.
pub trait ReportWriter: Send {
    /// Take one finding, as it arrives.
    fn finding(&mut self, finding: &Finding) -> io::Result<()>;

    /// Write what is left once the scan is over (the document's tail, or the whole document), and give back the
    /// output for its owner to flush and move into place. No output comes back when the document could not be
    /// ended (a half-written SARIF log is not moved into place).
    fn end(self: Box<Self>, report: &Report) -> (io::Result<()>, Option<output::Output>);
}

/// How a writer presents the report (the human format's; the others ignore it).
pub type Options = human::Options;

/// The writer of `format`, writing to `out`. SARIF writes its head (every rule's descriptor) at once.
pub fn writer(
    format: Format,
    out: output::Output,
    rules: &RuleSet,
    options: Options,
) -> io::Result<Box<dyn ReportWriter>> {
    Ok(match format {
        Format::Json => Box::new(json::JsonWriter::new(out)?),
        Format::Jsonl => Box::new(json::JsonlWriter::new(out)),
        Format::Human => Box::new(human::HumanWriter::new(out, options)?),
        Format::Sarif => Box::new(sarif::SarifWriter::begin(out, rules)?),
    })
}

/// Report format identifier; bumped on any incompatible change.
pub const SCHEMA: &str = "credsweep.report/v1";

/// One place a credential was found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Location id: from fingerprint + path, not line (see [`crate::fingerprint::location_id`]).
    pub id: String,
    pub rule: String,
    pub rule_name: String,
    pub kind: String,
    pub severity: Severity,
    /// `high`, `medium` (generic patterns, name-based parser findings) or `low`; one step lower in test and
    /// vendored code.
    pub confidence: crate::rules::Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_raw: Option<String>,
    /// 1-based line of the secret's first byte.
    pub line: u64,
    /// 1-based column of the secret's first byte, in Unicode code points (invalid UTF-8 bytes count one each).
    /// In a binary file's strings: `offset + 1` (and `line` is 1).
    pub column: u64,
    /// Byte offset of the secret's first byte in the file or archive member, for a finding in a binary file's
    /// strings (where lines mean nothing); absent for text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    pub fingerprint: String,
    /// Enough to recognise, never enough to use: a fixed, public prefix and the length.
    pub redacted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    pub validation: Validation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// JWT `iat`, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileInfo>,
    /// For private keys: what was learned without a passphrase (encrypted?, type, bits, public-key fingerprint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<crate::parsers::keys::KeyInfo>,
    /// Where the value sits in its format (variable, MCP client/server/field, tool/profile), from a parser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<crate::parsers::Context>,
    /// Exposure risks (see [`crate::exposure`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<String>,
    /// The user whose home the finding is in (`--home`, `--all-users`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Where in history the content was found, for sources that read history (git: commit, author, date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// The raw value, only with `--include-secrets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Where in a history a finding's content was found: set by a source that reads history (a git blob at a commit),
/// absent for files. Every field is optional; a source fills what it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The commit (full hex id) the content was found in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The commit's author, as the history records it (`Name <email>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The commit's date, RFC 3339 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// Facts about the file a finding sits in.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// Permission bits, octal, e.g. "0600".
    pub mode: String,
    pub uid: u32,
    /// The owner's user name, where the user database has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub gid: u32,
    /// Last modification, RFC 3339 UTC.
    pub modified: String,
}

/// A file that could not be scanned, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorEntry {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_raw: Option<String>,
    pub reason: String,
}

/// A secret kept elsewhere and referenced (`${env:GITHUB_TOKEN}`): good practice, listed, never a finding.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceEntry {
    pub path: String,
    pub context: crate::parsers::Context,
    pub reference: String,
}

/// An early stop: the limit that was reached, a sample of the entries that were not scanned, and of the files whose
/// scan stopped partway (a big file is checked between chunks).
#[derive(Debug, Clone, Serialize)]
pub struct Stopped {
    pub reason: &'static str,
    pub not_reached: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cut_short: Vec<String>,
}

/// Counters of one scan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Regular files (and stdin) considered, scanned or not.
    pub files_seen: u64,
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub directories: u64,
    /// Skipped entries by reason (binary, too_large, special_file, symlink, pseudo_filesystem, excluded, executable,
    /// media).
    pub skipped: BTreeMap<String, u64>,
    /// Findings left out by reason (inline, baseline, allowlist, severity): accepted, counted, not lost.
    pub suppressed: BTreeMap<String, u64>,
    /// Files or directories that could not be read; each is listed in `errors` (up to a cap).
    pub errors: u64,
    pub findings: u64,
    pub duration_ms: u64,
    /// What a git scan read (`--git-history`, `--git-diff`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitStats>,
    /// Binary files and archive members whose printable strings were scanned (by the token rules).
    pub strings_scanned: u64,
    /// Archives opened, when there were any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archives: Option<ArchiveStats>,
}

/// What the archives of a scan gave. Every problem (limit, encrypted member, corrupt archive) is also counted in
/// `errors`; each archive lists at most a few of them in the report's `errors`, the rest are `not_listed`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchiveStats {
    /// Archive files opened (a nested archive is part of its file).
    pub opened: u64,
    /// Members scanned or skipped like files, every nesting level included (also counted in `files_seen`).
    pub members: u64,
    /// Encrypted members skipped.
    pub encrypted: u64,
    /// Corrupt, truncated or unsupported archives and members.
    pub errors: u64,
    /// Bounds that stopped something, by name (member_bytes, archive_bytes, members, ratio, depth).
    pub limits: BTreeMap<String, u64>,
    /// Problems counted here and in `errors` but not listed in the report's `errors`.
    pub not_listed: u64,
    /// Bytes decompressed, every nesting level included.
    pub decompressed_bytes: u64,
}

/// Counters of a scan of git's objects. Each blob counts in `files_seen` (and `files_scanned` when it is text) too.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GitStats {
    /// Commits whose changes were read.
    pub commits: u64,
    /// Distinct blobs met (history: blob ids; diff: changes), read or not.
    pub blobs_seen: u64,
    /// Blobs scanned: read, not excluded, not binary, within the size limit.
    pub blobs_scanned: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scanner {
    pub name: &'static str,
    pub version: &'static str,
    pub rules_digest: String,
    pub rules: usize,
}

/// The report's envelope: everything but the findings, which go to the writer as they arrive. Serialized, it is the
/// head of the JSON document (`schema/report.schema.json`); the JSON writer adds `findings`, `credentials` (findings
/// grouped by fingerprint) and `rules` after it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    /// Unique per scan (128 random bits, hex): the registry's idempotency key, so a resent report is stored once.
    pub report_id: String,
    pub scanner: Scanner,
    pub host: crate::host::Host,
    pub user: crate::host::User,
    pub started_at: String,
    pub finished_at: String,
    /// False when the scan stopped early (`--max-duration`, `--max-bytes`); what it lists is still accurate.
    pub complete: bool,
    /// Why and where the scan stopped early.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stopped>,
    /// `--tag KEY=VALUE` labels (an MDM's own device ids …).
    pub tags: BTreeMap<String, String>,
    /// True when raw values are in `findings[].secret`. Such a report must not leave the machine.
    pub include_secrets: bool,
    pub roots: Vec<String>,
    /// What was scanned and how (fleet, home, paths, git), so a registry knows what this report can resolve.
    pub scope: scope::Scope,
    pub stats: Stats,
    pub errors: Vec<ErrorEntry>,
    /// Secrets referenced rather than written down (MCP `${env:X}`, `.env` `${X}`): the good practice to copy.
    pub references: Vec<ReferenceEntry>,
    /// What the rules that fired say: provider, description, severity, how to rotate. Not part of the envelope:
    /// the JSON writer puts it after `findings` and `credentials`.
    #[serde(skip)]
    pub rules: Vec<RuleInfo>,
}

/// A fresh report id: `rpt-` and 32 hex digits from the OS's random source.
pub fn new_report_id() -> String {
    let mut b = [0u8; 16];
    // Without OS randomness (never seen on supported systems) fall back to time and pid: unique enough per host.
    if getrandom::fill(&mut b).is_err() {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        b[..12].copy_from_slice(&t.to_le_bytes()[..12]);
        b[12..].copy_from_slice(&std::process::id().to_le_bytes());
    }
    format!("rpt-{}", hex::encode(b))
}

/// Metadata of a rule that produced findings.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotate: Option<String>,
    pub references: Vec<String>,
}

/// Metadata of the rules that fired (`fired`: their ids), in rule order.
pub fn rule_infos(rules: &crate::rules::RuleSet, fired: &HashSet<String>) -> Vec<RuleInfo> {
    rules
        .specs()
        .filter(|s| fired.contains(s.id.as_str()))
        .map(|s| RuleInfo {
            id: s.id.clone(),
            name: s.name.clone(),
            kind: s.kind.clone(),
            severity: s.severity,
            provider: s.provider.clone(),
            description: s.description.clone(),
            rotate: s.rotate.clone(),
            references: s.references.clone(),
        })
        .collect()
}

/// A path as report strings: lossy UTF-8 plus the exact bytes when they are not UTF-8.
pub fn path_strings(path: &std::path::Path) -> (String, Option<String>) {
    use base64::Engine as _;
    match path.to_str() {
        Some(s) => (s.to_owned(), None),
        None => {
            let raw = path_bytes(path);
            (path.to_string_lossy().into_owned(), Some(base64::engine::general_purpose::STANDARD.encode(raw)))
        }
    }
}

/// A path's raw bytes (on Unix, exactly what the filesystem holds).
#[cfg(unix)]
pub fn path_bytes(path: &std::path::Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
pub fn path_bytes(path: &std::path::Path) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(path.to_string_lossy().into_owned().into_bytes())
}

/// RFC 3339 UTC timestamp, second precision, from Unix seconds.
pub fn rfc3339(secs: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}
