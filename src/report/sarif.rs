//! SARIF 2.1.0 output (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>), written as a stream.
//!
//! Why streaming: a fleet-wide or home-directory scan can produce any number of findings, and a SARIF writer that
//! builds the whole log in memory first is a known pitfall of other scanners. [`SarifWriter`] writes the document
//! head (tool, rules) in [`SarifWriter::begin`], each result the moment it arrives in [`SarifWriter::result`], and
//! the tail (invocation, scan errors, stats) in [`SarifWriter::finish`]. It keeps only a rule-id → index map.
//!
//! What never appears: the raw secret. A result carries the rule, the redacted form and the fingerprint; there is no
//! `region.snippet` (another scanner leaked raw secrets through SARIF snippets), and `Finding::secret` is never read
//! here, even when `--include-secrets` filled it in.
//!
//! Columns count Unicode code points (see [`Finding::column`]), so the run declares
//! `"columnKind": "unicodeCodePoints"` (§3.14.17) instead of SARIF's UTF-16 default.
//!
//! Paths become URIs (§3.10.2, RFC 3986): an absolute path a `file:///…` URI, a relative one a relative reference
//! resolved against the directory the scan ran in. Every byte outside the RFC 3986 unreserved set and `/` is
//! percent-encoded, taken from the exact path bytes (`path_raw`) when the name is not UTF-8.
use std::{
    collections::HashMap,
    io::{self, Write},
};

use serde::Serialize;

use super::{output::Output, ErrorEntry, Finding, Report, ReportWriter, Stats};
use crate::{
    rules::{RuleSet, RuleSpec, Severity},
    validate::Validation,
};

/// The JSON Schema a SARIF 2.1.0 log names (§3.13.3).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// SARIF version written.
pub const VERSION: &str = "2.1.0";
/// `partialFingerprints` key of the content fingerprint: the same secret anywhere has the same value.
pub const FINGERPRINT_KEY: &str = "credsweep/fingerprint/v1";
/// `partialFingerprints` key of the location id (fingerprint + path, no line): stable across edits above a secret.
pub const LOCATION_KEY: &str = "credsweep/location/v1";

/// A SARIF log being written: one run, results streamed between [`begin`](Self::begin) and
/// [`finish`](Self::finish). Dropping it without `finish` leaves an incomplete document.
pub struct SarifWriter<W: Write> {
    out: W,
    /// Rule id → position in `tool.driver.rules`, for `result.ruleIndex`.
    rule_index: HashMap<String, usize>,
    rules_digest: String,
    results: u64,
}

impl<W: Write> SarifWriter<W> {
    /// Writes the document head: `$schema`, `version`, one run whose `tool.driver` describes credsweep and every
    /// rule of `rules` (a `reportingDescriptor` each, in rule-set order), `columnKind`, and opens `results`.
    pub fn begin(mut out: W, rules: &RuleSet) -> io::Result<Self> {
        let tool = Tool {
            driver: Driver {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
                semantic_version: env!("CARGO_PKG_VERSION"),
                information_uri: information_uri(),
                rules: rules.specs().map(descriptor).collect(),
            },
        };
        out.write_all(b"{\"$schema\":")?;
        serde_json::to_writer(&mut out, SCHEMA_URI)?;
        out.write_all(b",\"version\":")?;
        serde_json::to_writer(&mut out, VERSION)?;
        out.write_all(b",\"runs\":[{\"tool\":")?;
        serde_json::to_writer(&mut out, &tool)?;
        out.write_all(b",\"columnKind\":\"unicodeCodePoints\",\"results\":[")?;
        let rule_index = rules.specs().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        Ok(SarifWriter { out, rule_index, rules_digest: rules.digest.clone(), results: 0 })
    }

    /// Writes one result for `finding` at once. Never includes `finding.secret`.
    pub fn result(&mut self, finding: &Finding) -> io::Result<()> {
        let result = result(finding, self.rule_index.get(&finding.rule).copied());
        self.out.write_all(if self.results == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, &result)?;
        self.results += 1;
        Ok(())
    }

    /// Closes `results`, writes `invocations[0]` (the scan completed; each file that could not be read is a
    /// warning-level `toolExecutionNotification`) and the run's `properties` (stats, rules digest), closes the
    /// document and returns the output (not flushed: the caller owns it).
    pub fn finish(mut self, stats: &Stats, errors: &[ErrorEntry]) -> io::Result<W> {
        let invocation = Invocation {
            execution_successful: true,
            tool_execution_notifications: errors.iter().map(notification).collect(),
        };
        let properties = RunProperties { stats, rules_digest: &self.rules_digest };
        self.out.write_all(if self.results == 0 { b"]" } else { b"\n]" })?;
        self.out.write_all(b",\"invocations\":")?;
        serde_json::to_writer(&mut self.out, &[invocation])?;
        self.out.write_all(b",\"properties\":")?;
        serde_json::to_writer(&mut self.out, &properties)?;
        self.out.write_all(b"}]}\n")?;
        Ok(self.out)
    }
}

/// `--format sarif`: results streamed as they arrive, the tail (stats, errors) at the end.
impl ReportWriter for SarifWriter<Output> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.result(finding)
    }

    fn end(self: Box<Self>, report: &Report) -> (io::Result<()>, Option<Output>) {
        match self.finish(&report.stats, &report.errors) {
            Ok(out) => (Ok(()), Some(out)),
            Err(e) => (Err(e), None),
        }
    }
}

/// `defaultConfiguration.level` / `result.level` (§3.27.10) of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The `security-severity` property GitHub code scanning ranks by (≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
/// below 4.0 low).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.0",
        Severity::High => "7.5",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

// The SARIF objects written, in the spec's property names. Field order is output order.

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

/// `toolComponent` (§3.19).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor<'a>>,
}

/// `reportingDescriptor` (§3.49).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

/// `multiformatMessageString` (§3.12).
#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    /// Unique (SARIF requires it): the kind is added only when it is not already one of the fixed tags.
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
}

/// `result` (§3.27).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    partial_fingerprints: PartialFingerprints<'a>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

/// `location` (§3.28) holding only a `physicalLocation` (§3.29).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

/// `region` (§3.30): where the secret starts. Deliberately no `snippet`: it would hold the secret. A finding in a
/// binary file's strings also has `byteOffset` (§3.30.16); its line and column read the file as one line of bytes,
/// so both describe the same place (§3.30.1 allows both).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    start_column: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<u64>,
}

/// Keys are [`FINGERPRINT_KEY`] and [`LOCATION_KEY`] (serde needs them as literals; a test pins them).
#[derive(Serialize)]
struct PartialFingerprints<'a> {
    #[serde(rename = "credsweep/fingerprint/v1")]
    fingerprint: &'a str,
    #[serde(rename = "credsweep/location/v1")]
    location: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    fingerprint: &'a str,
    validation: Validation,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<&'a str>,
    redacted: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<&'a str>,
}

/// `invocation` (§3.20).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

/// `notification` (§3.58).
#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    stats: &'a Stats,
    rules_digest: &'a str,
}

/// Where to learn about credsweep: the package's `repository`, else its `homepage`, from Cargo.toml. Omitted when
/// neither is set (SARIF makes `informationUri` optional; the SARIF Multitool then warns SARIF2005).
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")].into_iter().find(|u| is_absolute_uri(u))
}

/// One rule as a `reportingDescriptor`: descriptions, help with a rotation hint, level and GitHub's severity.
fn descriptor(s: &RuleSpec) -> Descriptor<'_> {
    let description = s.description.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let hint = rotation_hint(&s.kind);
    let provider = s.provider.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
    let mut text = format!("{}{provider}: a credential of kind {} was found on disk.", s.name, s.kind);
    let mut markdown = format!("**{}**{provider}: a credential of kind `{}` was found on disk.", s.name, s.kind);
    if let Some(d) = description {
        text.push_str(&format!("\n\n{d}"));
        markdown.push_str(&format!("\n\n{d}"));
    }
    text.push_str(&format!("\n\nWhat to do: {hint}"));
    markdown.push_str(&format!("\n\n**What to do:** {hint}"));
    if !s.references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References:**\n");
        for r in &s.references {
            text.push_str(&format!("\n- {r}"));
            if is_absolute_uri(r.trim()) {
                markdown.push_str(&format!("\n- <{}>", r.trim()));
            } else {
                markdown.push_str(&format!("\n- {r}"));
            }
        }
    }
    if let Some(r) = s.rotate.as_deref().map(str::trim).filter(|r| is_absolute_uri(r)) {
        text.push_str(&format!("\n\nHow to rotate: {r}"));
        markdown.push_str(&format!("\n\n**How to rotate:** <{r}>"));
    }
    Descriptor {
        id: &s.id,
        name: &s.name,
        short_description: Text { text: &s.name },
        full_description: Text { text: description.unwrap_or(&s.name) },
        help: Help { text, markdown },
        // helpUri must be an absolute URI (§3.49.12); a reference that is not one stays in the help text only.
        help_uri: s.references.iter().map(|r| r.trim()).find(|r| is_absolute_uri(r)),
        default_configuration: Configuration { level: level(s.severity) },
        properties: DescriptorProperties {
            security_severity: security_severity(s.severity),
            tags: if s.kind == "secret" || s.kind == "security" {
                vec!["security", "secret"]
            } else {
                vec!["security", "secret", s.kind.as_str()]
            },
            provider: s.provider.as_deref(),
        },
    }
}

/// A generic remediation hint for a credential kind.
fn rotation_hint(kind: &str) -> &'static str {
    match kind {
        "private-key" => {
            "generate a new key pair, install the new public key wherever the old one was authorised (authorized_keys, \
             Git hosts, servers, certificate authorities), remove the old public key there, then delete this file or \
             move the key into an agent, keychain or hardware token protected by a passphrase."
        }
        "access-key-id" | "secret-key" => {
            "create a new key pair with the provider, switch every user of the key to it, deactivate and delete the \
             old key, then review the provider's access logs for use you do not recognise. Keep keys in the \
             provider's credential store or a secret manager, not in files."
        }
        "refresh-token" | "oauth-token" => {
            "revoke the token or the application grant at the provider (this signs out sessions that used it), sign \
             in again to obtain a new one, and check the provider's audit log for use you do not recognise."
        }
        "service-account" => {
            "create a new key for the service account, update every workload that uses it, delete the old key, and \
             prefer workload identity or short-lived credentials over key files."
        }
        "jwt" => {
            "treat the token as valid until its expiry: revoke the session or rotate the signing key at the issuer if \
             it has not expired, find out how it was written to disk, and stop storing tokens in files or logs."
        }
        "webhook" => {
            "regenerate or delete the webhook URL in the service that issued it (anyone holding the URL can post \
             through it), update the integrations that use it, and keep the new URL in a secret manager."
        }
        "connection-string" | "password" => {
            "change the password on the server or service, update every client that uses it, and move the \
             credential into a secret manager or environment-specific configuration kept out of files and history."
        }
        _ => {
            "revoke or rotate the credential with its provider, update every place that uses it, and review the \
             provider's logs for use you do not recognise. Then remove it from this file (and its history: backups, \
             shell history, Git commits) and keep it in a secret manager instead."
        }
    }
}

/// One finding as a `result`. Built from named fields only: `f.secret` is never read.
fn result(f: &Finding, rule_index: Option<usize>) -> SarifResult<'_> {
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        level: level(f.severity),
        message: Message { text: format!("{}: {} (fingerprint {})", f.rule_name, f.redacted, f.fingerprint) },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: artifact_uri(&f.path, f.path_raw.as_deref()) },
                region: Some(Region {
                    start_line: f.line.max(1),
                    start_column: f.column.max(1),
                    byte_offset: f.offset,
                }),
            },
        }],
        partial_fingerprints: PartialFingerprints { fingerprint: &f.fingerprint, location: &f.id },
        properties: ResultProperties {
            fingerprint: &f.fingerprint,
            validation: f.validation,
            identifier: f.identifier.as_deref(),
            redacted: &f.redacted,
            expires_at: f.expires_at.as_deref(),
        },
    }
}

/// A file that could not be scanned, as a warning notification with its path when there is one.
fn notification(e: &ErrorEntry) -> Notification {
    let locations = if e.path.is_empty() && e.path_raw.is_none() {
        Vec::new()
    } else {
        vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: artifact_uri(&e.path, e.path_raw.as_deref()) },
                region: None,
            },
        }]
    };
    Notification { level: "warning", message: Message { text: e.reason.clone() }, locations }
}

/// A report path as a URI: `file:///…` when absolute, a relative reference otherwise. `raw` is `path_raw` (standard
/// base64 of the exact bytes, present when the name is not UTF-8): the URI then encodes those bytes, not the U+FFFD
/// replacements of `path`.
pub fn artifact_uri(path: &str, raw: Option<&str>) -> String {
    use base64::Engine as _;
    let decoded = raw.and_then(|r| base64::engine::general_purpose::STANDARD.decode(r).ok());
    let bytes: &[u8] = decoded.as_deref().unwrap_or(path.as_bytes());
    if cfg!(windows) {
        // `C:\x\y` → `file:///C:/x/y`; `a\b` → `a/b`.
        let slashed: Vec<u8> = bytes.iter().map(|&b| if b == b'\\' { b'/' } else { b }).collect();
        if slashed.len() >= 3 && slashed[0].is_ascii_alphabetic() && slashed[1] == b':' && slashed[2] == b'/' {
            return format!("file:///{}:{}", slashed[0] as char, percent_encode(&slashed[2..]));
        }
        return percent_encode(&slashed);
    }
    if bytes.first() == Some(&b'/') {
        format!("file://{}", percent_encode(bytes))
    } else {
        percent_encode(bytes)
    }
}

/// Percent-encode every byte but RFC 3986 unreserved characters and `/`. Encoding `:` too keeps a relative path
/// like `a:b` from reading as a URI with scheme `a`.
fn percent_encode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// A plausible absolute URI (RFC 3986 §3: scheme `:` rest, no characters a URI cannot hold), for `helpUri` and
/// `informationUri`, which SARIF requires to be absolute.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else { return false };
    let mut sc = scheme.bytes();
    sc.next().is_some_and(|b| b.is_ascii_alphabetic())
        && sc.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && rest.bytes().all(|b| {
            b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`')
        })
}

#[cfg(test)]
mod tests;
