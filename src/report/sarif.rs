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
    fn streams(&self) -> bool {
        true
    }

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

/// `region` (§3.30): where the secret starts. Deliberately no `snippet`: it would hold the secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    start_column: u64,
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
                region: Some(Region { start_line: f.line.max(1), start_column: f.column.max(1) }),
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
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::{report::FileInfo, rules::parse_rule_file};

    const RULES: &str = r#"
[[rules]]
id = "demo-token"
name = "Demo service token"
severity = "high"
kind = "access-token"
provider = "Demo"
description = "A token for the Demo API; it grants full account access."
keywords = ["demo_"]
pattern = '''\b(?P<secret>demo_[a-z0-9]{12})\b'''
references = ["not a uri", "https://example.com/docs/tokens?a=1#rotate"]

[[rules]]
id = "demo-private-key"
name = "Demo private key"
severity = "critical"
kind = "private-key"
keywords = ["-----BEGIN DEMO"]
pattern = '''(?P<secret>-----BEGIN DEMO KEY-----[A-Za-z0-9+/=\s]+-----END DEMO KEY-----)'''
fingerprint = "pem"

[[rules]]
id = "demo-note"
name = "Demo low-value identifier"
severity = "low"
kind = "api-key"
keywords = ["dn_"]
pattern = '''\b(?P<secret>dn_[a-z0-9]{8})\b'''
"#;

    const RAW: &str = "RAW-SECRET-VALUE-demo_a1b2c3d4e5f6-DO-NOT-PRINT";

    fn rules() -> RuleSet {
        RuleSet::compile(parse_rule_file(RULES, "sarif-test").unwrap()).unwrap()
    }

    fn finding(rule: &str, severity: Severity, path: &str, line: u64, column: u64) -> Finding {
        Finding {
            id: format!("loc:v1:{:032x}", line),
            rule: rule.into(),
            rule_name: format!("name of {rule}"),
            kind: "access-token".into(),
            severity,
            confidence: crate::rules::Confidence::High,
            provider: Some("Demo".into()),
            path: path.into(),
            path_raw: None,
            line,
            column,
            fingerprint: format!("sha256:{:064x}", column),
            redacted: "demo_…(17)".into(),
            identifier: Some("user@example.com".into()),
            validation: Validation::ChecksumValid,
            expires_at: None,
            issued_at: None,
            file: Some(FileInfo {
                mode: "0600".into(),
                uid: 1000,
                owner: None,
                gid: 1000,
                modified: "2024-01-01T00:00:00Z".into(),
            }),
            key: None,
            context: None,
            risks: Vec::new(),
            user: None,
            provenance: None,
            secret: Some(RAW.into()),
        }
    }

    fn sample_findings() -> Vec<Finding> {
        let mut non_utf8 = finding("demo-note", Severity::Low, "dir/caf\u{FFFD}.env", 3, 1);
        non_utf8.path_raw = Some("ZGlyL2NhZoIuZW52".into()); // base64 of b"dir/caf\x82.env"
        non_utf8.identifier = None;
        vec![
            finding("demo-token", Severity::High, "src/my dir/100% #1?.env", 12, 7),
            finding("demo-private-key", Severity::Critical, "/home/zoë/.ssh/id_demo", 1, 1),
            non_utf8,
            finding("not-in-the-rule-set", Severity::Medium, "<stdin>", 2, 5),
        ]
    }

    fn sample_errors() -> Vec<ErrorEntry> {
        vec![
            ErrorEntry { path: "/root/secret dir".into(), path_raw: None, reason: "permission denied".into() },
            ErrorEntry { path: String::new(), path_raw: None, reason: "walk error without a path".into() },
        ]
    }

    fn sample_stats() -> Stats {
        Stats { files_seen: 10, files_scanned: 8, findings: 4, errors: 2, ..Stats::default() }
    }

    fn write_sample() -> Vec<u8> {
        let set = rules();
        let mut w = SarifWriter::begin(Vec::new(), &set).unwrap();
        for f in &sample_findings() {
            w.result(f).unwrap();
        }
        w.finish(&sample_stats(), &sample_errors()).unwrap()
    }

    #[test]
    fn document_structure() {
        let out = write_sample();
        let doc: Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(doc["$schema"], SCHEMA_URI);
        assert_eq!(doc["version"], "2.1.0");
        let runs = doc["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");

        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "credsweep");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["rules"].as_array().unwrap().len(), 3);

        let inv = &run["invocations"].as_array().unwrap()[0];
        assert_eq!(inv["executionSuccessful"], true);
        let notes = inv["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0]["level"], "warning");
        assert_eq!(notes[0]["message"]["text"], "permission denied");
        assert_eq!(
            notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///root/secret%20dir"
        );
        assert!(notes[1].get("locations").is_none());
        assert_eq!(run["properties"]["stats"]["files_seen"], 10);
        assert_eq!(run["properties"]["stats"]["findings"], 4);
        assert_eq!(run["properties"]["rules_digest"], rules_digest());
    }

    /// Rule descriptors: names, descriptions, help text and URI, level and security severity, tags.
    #[test]
    fn rule_descriptors() {
        let doc: Value = serde_json::from_slice(&write_sample()).expect("valid JSON");
        let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 3);
        let token = &rules[0];
        assert_eq!(token["id"], "demo-token");
        assert_eq!(token["name"], "Demo service token");
        assert_eq!(token["shortDescription"]["text"], "Demo service token");
        assert_eq!(token["fullDescription"]["text"], "A token for the Demo API; it grants full account access.");
        assert_eq!(token["helpUri"], "https://example.com/docs/tokens?a=1#rotate", "first reference that is a URI");
        assert_eq!(token["defaultConfiguration"]["level"], "error");
        assert_eq!(token["properties"]["security-severity"], "7.5");
        assert_eq!(token["properties"]["tags"], json!(["security", "secret", "access-token"]));
        assert_eq!(token["properties"]["provider"], "Demo");
        let help = token["help"]["text"].as_str().unwrap();
        assert!(help.contains("What to do: revoke or rotate") && help.contains("not a uri"), "{help}");
        let md = token["help"]["markdown"].as_str().unwrap();
        assert!(
            md.contains("**What to do:**") && md.contains("- <https://example.com/docs/tokens?a=1#rotate>"),
            "{md}"
        );
        assert!(md.contains("- not a uri") && !md.contains("<not a uri>"), "{md}");
        let key = &rules[1];
        assert_eq!(key["fullDescription"]["text"], "Demo private key", "no description: the name");
        assert!(key.get("helpUri").is_none());
        assert!(key["properties"].get("provider").is_none());
        assert_eq!(key["properties"]["security-severity"], "9.0");
        assert!(key["help"]["text"].as_str().unwrap().contains("new key pair"));
        assert_eq!(rules[2]["defaultConfiguration"]["level"], "note");
        assert_eq!(rules[2]["properties"]["security-severity"], "3.0");
    }

    /// Results: rule index and level, message, location URI and region, fingerprints, properties.
    #[test]
    fn results() {
        let doc: Value = serde_json::from_slice(&write_sample()).expect("valid JSON");
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        let r = &results[0];
        assert_eq!(r["ruleId"], "demo-token");
        assert_eq!(r["ruleIndex"], 0);
        assert_eq!(r["level"], "error");
        let fp = format!("sha256:{:064x}", 7);
        assert_eq!(r["message"]["text"], format!("name of demo-token: demo_…(17) (fingerprint {fp})"));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "src/my%20dir/100%25%20%231%3F.env");
        assert_eq!(loc["region"], json!({ "startLine": 12, "startColumn": 7 }));
        assert_eq!(r["partialFingerprints"][FINGERPRINT_KEY], fp);
        assert_eq!(r["partialFingerprints"][LOCATION_KEY], format!("loc:v1:{:032x}", 12));
        assert_eq!(
            r["properties"],
            json!({ "fingerprint": fp, "validation": "checksum-valid", "identifier": "user@example.com",
                    "redacted": "demo_…(17)" })
        );
        assert_eq!(results[1]["ruleIndex"], 1);
        assert_eq!(results[1]["level"], "error");
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///home/zo%C3%AB/.ssh/id_demo"
        );
        assert_eq!(results[2]["level"], "note");
        assert_eq!(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "dir/caf%82.env");
        assert!(results[2]["properties"].get("identifier").is_none());
        assert!(results[3].get("ruleIndex").is_none(), "unknown rule: no index");
        assert_eq!(results[3]["level"], "warning");
        assert_eq!(results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "%3Cstdin%3E");
    }

    fn rules_digest() -> String {
        rules().digest
    }

    #[test]
    fn raw_secret_never_written() {
        let out = write_sample();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("RAW-SECRET-VALUE"), "raw secret leaked:\n{text}");
        assert!(!text.contains(RAW));
        let doc: Value = serde_json::from_str(&text).unwrap();
        for r in doc["runs"][0]["results"].as_array().unwrap() {
            assert!(r.get("secret").is_none() && r["properties"].get("secret").is_none());
            assert!(r["locations"][0]["physicalLocation"]["region"].get("snippet").is_none());
        }
    }

    #[test]
    fn builtin_rules_as_descriptors() {
        let mut set = RuleSet::load(&[]).unwrap();
        set.add_parser_rules(crate::parsers::rule_specs());
        assert!(!set.parser_rules.is_empty());
        let w = SarifWriter::begin(Vec::new(), &set).unwrap();
        let doc: Value = serde_json::from_slice(&w.finish(&Stats::default(), &[]).unwrap()).unwrap();
        let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), set.specs().count(), "pattern rules and parser rules");
        assert!(set.parser_rules.iter().all(|p| rules.iter().any(|d| d["id"] == p.id.as_str())));
        for (d, r) in rules.iter().zip(set.specs()) {
            assert_eq!(d["id"], r.id.as_str());
            assert_eq!(d["defaultConfiguration"]["level"], level(r.severity));
            if let Some(uri) = d["helpUri"].as_str() {
                assert!(uri.starts_with("https://") || uri.starts_with("http://"), "{uri}");
            }
            let text = d["help"]["text"].as_str().unwrap();
            assert!(text.contains("What to do: "), "{text}");
        }
    }

    #[test]
    fn empty_run_is_valid() {
        let set = RuleSet::compile(Vec::new()).unwrap();
        let w = SarifWriter::begin(Vec::new(), &set).unwrap();
        let out = w.finish(&Stats::default(), &[]).unwrap();
        let doc: Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(doc["runs"][0]["results"], json!([]));
        assert_eq!(doc["runs"][0]["tool"]["driver"]["rules"], json!([]));
        assert_eq!(doc["runs"][0]["invocations"][0]["toolExecutionNotifications"], json!([]));
    }

    /// Counts what reached the output, to show results are written as they come, not held back.
    struct Counting(std::rc::Rc<std::cell::Cell<usize>>);
    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.set(self.0.get() + buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn results_are_streamed() {
        let written = std::rc::Rc::new(std::cell::Cell::new(0));
        let set = rules();
        let mut w = SarifWriter::begin(Counting(written.clone()), &set).unwrap();
        let f = finding("demo-token", Severity::High, "a.env", 1, 1);
        let mut last = written.get();
        assert!(last > 0, "head written by begin");
        for _ in 0..3 {
            w.result(&f).unwrap();
            assert!(written.get() > last, "result written at once");
            last = written.get();
        }
        w.finish(&Stats::default(), &[]).unwrap();
        assert!(written.get() > last);
    }

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("a/b.txt", None), "a/b.txt");
        assert_eq!(artifact_uri("../x y", None), "../x%20y");
        assert_eq!(artifact_uri("/etc/passwd", None), "file:///etc/passwd");
        assert_eq!(artifact_uri("c:d", None), "c%3Ad", "no scheme in a relative reference");
        assert_eq!(artifact_uri("a%b#c?d", None), "a%25b%23c%3Fd");
        assert_eq!(artifact_uri("/tmp/é", None), "file:///tmp/%C3%A9");
        assert_eq!(artifact_uri("x\u{FFFD}", Some("eP8=")), "x%FF", "raw bytes win");
        assert_eq!(artifact_uri("~/.aws/credentials", None), "~/.aws/credentials");
        assert!(is_absolute_uri("https://example.com/a?b#c"));
        assert!(!is_absolute_uri("not a uri") && !is_absolute_uri("example.com") && !is_absolute_uri("x:"));
        assert!(!is_absolute_uri("https://example.com/a b"));
    }

    /// Runs `$CREDSWEEP_SARIF_VALIDATE` (scripts/sarif-validate.sh: the SARIF Multitool plus a schema check) on the
    /// sample output, and on a broken copy that must fail. Skipped when the variable is unset.
    #[test]
    fn validates_with_sarif_multitool() {
        let Some(script) = std::env::var_os("CREDSWEEP_SARIF_VALIDATE").filter(|s| !s.is_empty()) else {
            eprintln!("CREDSWEEP_SARIF_VALIDATE not set: SARIF Multitool validation skipped");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("sample.sarif");
        let out = write_sample();
        std::fs::write(&good, &out).unwrap();
        let run = |files: &[&std::path::Path]| {
            let o = std::process::Command::new(&script).args(files).output().expect("run the validator script");
            (o.status, format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
        };
        let (status, log) = run(&[&good]);
        assert!(status.success(), "SARIF validation failed ({status}):\n{log}");

        // Every built-in rule's descriptor (help, helpUri from its references) must validate too.
        let builtin = dir.path().join("builtin-rules.sarif");
        let mut set = RuleSet::load(&[]).unwrap();
        set.add_parser_rules(crate::parsers::rule_specs());
        let mut w = SarifWriter::begin(Vec::new(), &set).unwrap();
        let mut f = finding(set.rules[0].id(), set.rules[0].spec.severity, "dir/file.env", 4, 2);
        f.rule_name = set.rules[0].spec.name.clone();
        w.result(&f).unwrap();
        std::fs::write(&builtin, w.finish(&sample_stats(), &sample_errors()).unwrap()).unwrap();
        let (status, log) = run(&[&builtin]);
        assert!(status.success(), "SARIF validation of the built-in rules failed ({status}):\n{log}");

        let bad = dir.path().join("broken.sarif");
        let text = String::from_utf8(out).unwrap().replacen("\"startLine\":12", "\"startLine\":0", 1);
        std::fs::write(&bad, text).unwrap();
        let (status, log) = run(&[&bad]);
        assert_eq!(status.code(), Some(1), "a broken log must fail validation:\n{log}");
    }
}
