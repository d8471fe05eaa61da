//! Report validation: parse a credsweep JSON report and check it before anything is stored, so a refused report
//! leaves no trace. Every refusal says what is wrong, as a plain domain value ([`Refusal`]); the HTTP layer decides
//! which status that is.

use crate::model::{SCHEMA_ID, SEVERITIES};
use serde::Deserialize;

/// Top-level fields the schema requires; a report without them is refused as a whole.
const REQUIRED: &[&str] = &[
    "schema",
    "scanner",
    "host",
    "user",
    "started_at",
    "finished_at",
    "complete",
    "tags",
    "include_secrets",
    "roots",
    "stats",
    "errors",
    "references",
    "findings",
    "credentials",
];

/// Why a report was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a JSON object at all (or not UTF-8).
    Malformed(String),
    /// JSON, but not a report this registry stores: wrong schema, missing or invalid fields, raw secrets.
    Invalid(String),
}

// The parts of a report the registry stores.
#[derive(Deserialize)]
pub struct Report {
    pub scanner: Scanner,
    pub host: Host,
    pub user: User,
    pub started_at: String,
    pub finished_at: String,
    pub complete: bool,
    pub tags: serde_json::Map<String, serde_json::Value>,
    pub include_secrets: bool,
    pub findings: Vec<Finding>,
}

#[derive(Deserialize)]
pub struct Scanner {
    pub version: String,
    pub rules_digest: String,
}

#[derive(Deserialize)]
pub struct Host {
    pub hostname: String,
    pub os: String,
    pub os_version: Option<String>,
    pub arch: String,
    pub machine_id: Option<String>,
}

#[derive(Deserialize)]
pub struct User {
    pub name: Option<String>,
}

#[derive(Deserialize)]
pub struct Finding {
    pub id: String,
    pub rule: String,
    pub rule_name: String,
    pub kind: String,
    pub severity: String,
    pub confidence: String,
    pub provider: Option<String>,
    pub path: String,
    pub line: u64,
    pub fingerprint: String,
    pub redacted: String,
    pub identifier: Option<String>,
    pub validation: String,
    pub key: Option<Key>,
    pub context: Option<Context>,
    #[serde(default)]
    pub risks: Vec<String>,
    pub user: Option<String>,
    /// Only present in reports made with `--include-secrets`; such reports are refused.
    pub secret: Option<serde_json::Value>,
}

#[derive(Deserialize)]
pub struct Key {
    pub encrypted: bool,
}

#[derive(Deserialize)]
pub struct Context {
    pub tool: Option<String>,
}

impl Report {
    /// The host's identity: its machine id, else its hostname.
    pub fn host_key(&self) -> &str {
        self.host.machine_id.as_deref().filter(|m| !m.is_empty()).unwrap_or(&self.host.hostname)
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the schema's timestamp pattern; fixed width, so strings sort chronologically.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn is_sha256(s: &str) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
}

/// A finding fingerprint: plain `sha256:<hex>`, or `hmac-sha256:<hex>` from scanners run with an organisation key
/// (`--fingerprint-key-file`), which the registry correlates just the same without being able to reverse them.
fn is_fingerprint(s: &str) -> bool {
    is_sha256(s) || s.strip_prefix("hmac-").is_some_and(is_sha256)
}

/// Parse and validate; every refusal names what is wrong.
pub fn report(body: &[u8]) -> Result<Report, Refusal> {
    let invalid = |m: String| Refusal::Invalid(m);
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Refusal::Malformed(format!("malformed JSON: {e}")))?;
    let obj = value.as_object().ok_or_else(|| Refusal::Malformed("a report must be a JSON object".into()))?;
    match obj.get("schema") {
        Some(serde_json::Value::String(s)) if s == SCHEMA_ID => {}
        Some(other) => return Err(invalid(format!("unknown schema {other}; expected {SCHEMA_ID:?}"))),
        None => return Err(invalid(format!("missing field \"schema\"; expected {SCHEMA_ID:?}"))),
    }
    if let Some(missing) = REQUIRED.iter().find(|k| !obj.contains_key(**k)) {
        return Err(invalid(format!("missing required field {missing:?}")));
    }
    let report: Report = serde_json::from_value(value).map_err(|e| invalid(format!("invalid report: {e}")))?;
    if report.include_secrets {
        return Err(invalid(
            "report was made with include_secrets: true; the registry never stores raw secrets".into(),
        ));
    }
    for (i, f) in report.findings.iter().enumerate() {
        let bad = |what: &str| invalid(format!("findings[{i}]: {what}"));
        if f.secret.is_some() {
            return Err(bad("carries a raw \"secret\"; the registry never stores raw secrets"));
        }
        if !SEVERITIES.contains(&f.severity.as_str()) {
            return Err(bad(&format!("unknown severity {:?}", f.severity)));
        }
        if !is_fingerprint(&f.fingerprint) {
            return Err(bad(&format!(
                "fingerprint {:?} is not sha256:<64 hex> or hmac-sha256:<64 hex>",
                f.fingerprint
            )));
        }
    }
    for (name, t) in [("started_at", &report.started_at), ("finished_at", &report.finished_at)] {
        if !is_timestamp(t) {
            return Err(invalid(format!("{name} {t:?} is not an RFC 3339 UTC timestamp")));
        }
    }
    if report.host.hostname.is_empty() && report.host.machine_id.as_deref().unwrap_or("").is_empty() {
        return Err(invalid("host has neither machine_id nor hostname".into()));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2026-01-02T03:04:05Z"));
        assert!(!is_timestamp("2026-01-02 03:04:05Z"));
        assert!(!is_timestamp("2026-01-02T03:04:05+00:00"));
    }

    #[test]
    fn fingerprints() {
        assert!(is_sha256(&format!("sha256:{}", "a".repeat(64))));
        assert!(!is_sha256(&format!("sha256:{}", "A".repeat(64))));
        assert!(!is_sha256("sha256:abc"));
        assert!(is_fingerprint(&format!("hmac-sha256:{}", "a".repeat(64))));
        assert!(!is_fingerprint(&format!("hmac-md5:{}", "a".repeat(64))));
    }

    #[test]
    fn schema_errors_are_invalid_and_json_errors_malformed() {
        assert!(matches!(report(b"{"), Err(Refusal::Malformed(_))));
        assert!(matches!(report(b"[]"), Err(Refusal::Malformed(_))));
        let e = report(br#"{"schema":"credsweep.report/v2"}"#).err().unwrap();
        assert!(matches!(&e, Refusal::Invalid(m) if m.contains("unknown schema")), "{e:?}");
        let e = report(br#"{"schema":"credsweep.report/v1"}"#).err().unwrap();
        assert!(matches!(&e, Refusal::Invalid(m) if m.contains("missing required field \"scanner\"")), "{e:?}");
    }
}
