//! Report validation: parse a credsweep JSON report and check it before anything is stored, so a refused report
//! leaves no trace. Every refusal says what is wrong, as a plain domain value ([`Refusal`]); the HTTP layer decides
//! which status that is.
//!
//! In order, each check only on what passed the ones before:
//! 1. JSON, an object, and the schema id this registry stores ([`SCHEMA_ID`]);
//! 2. no raw secret by declaration: `include_secrets: true`, or any `findings[].secret`;
//! 3. no raw secret in fact: no string or key that a built-in token rule recognises ([`secrets`]);
//! 4. the report schema, unknown fields refused ([`json_schema`]);
//! 5. what the schema cannot say: scan times are real dates, not far in the future; the host has an identity.
//!
//! Messages name fields and rules, never the values: the secret checks run before anything could quote one.

mod json_schema;
pub(crate) mod secrets;

use crate::model::SCHEMA_ID;
use serde::Deserialize;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// How far a report's `started_at` and `finished_at` may be ahead of the registry's clock: a day covers any clock
/// skew worth accepting (and every time zone mistake), and refuses values such as `9999-12-31T23:59:59Z` that
/// would otherwise pin a host's current state for good. Within it, a time ahead of the registry's clock counts as
/// the time the registry received the report (see [`Report::scanned_at`]).
pub const MAX_FUTURE: Duration = Duration::from_secs(24 * 3600);

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
    pub roots: Vec<String>,
    /// Absent in reports of older scanners (see `scope.rs` for what the registry takes them as).
    #[serde(default)]
    pub scope: Option<ReportScope>,
    pub findings: Vec<Finding>,
}

/// A report's `scope`: what the scan covered (`schema/report.schema.json`). Stored with the report as sent.
#[derive(Deserialize, serde::Serialize, Default)]
pub struct ReportScope {
    pub kind: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quick: bool,
    pub roots: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub homes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toplevel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
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
    pub issued_at: Option<String>,
    pub expires_at: Option<String>,
    pub file: Option<FileInfo>,
    pub key: Option<Key>,
    pub context: Option<Context>,
    #[serde(default)]
    pub risks: Vec<String>,
    pub user: Option<String>,
}

#[derive(Deserialize)]
pub struct Key {
    pub encrypted: bool,
}

#[derive(Deserialize)]
pub struct Context {
    pub tool: Option<String>,
    pub server: Option<String>,
}

#[derive(Deserialize)]
pub struct FileInfo {
    pub modified: String,
}

impl Report {
    /// When the registry takes this scan to have happened: `finished_at`, but never later than `received_at` (the
    /// registry's clock, same format). A client's clock may be ahead; the registry never records a scan as newer
    /// than the moment it arrived, so a report stamped with a future time cannot outrank the scans received after
    /// it. An older scan uploaded late (from the offline spool) keeps its own, earlier time.
    pub fn scanned_at<'a>(&'a self, received_at: &'a str) -> &'a str {
        // Both are fixed-width `YYYY-MM-DDTHH:MM:SSZ`, so they compare as strings.
        if self.finished_at.as_str() <= received_at {
            &self.finished_at
        } else {
            received_at
        }
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

/// A scan time: a real date and time (RFC 3339, UTC, to the second, as the schema's pattern says), and not more
/// than [`MAX_FUTURE`] ahead of `now`. Only a value that has the pattern's shape (digits and separators) is quoted.
fn check_time(name: &str, t: &str, now: SystemTime) -> Result<(), Refusal> {
    if !is_timestamp(t) {
        return Err(Refusal::Invalid(format!("{name} is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)")));
    }
    let time = humantime::parse_rfc3339(t)
        .map_err(|e| Refusal::Invalid(format!("{name} {t:?} is not a valid date and time ({e})")))?;
    if time > now + MAX_FUTURE {
        return Err(Refusal::Invalid(format!(
            "{name} {t:?} is more than {} h ahead of the registry's clock ({}); check the scanning host's clock",
            MAX_FUTURE.as_secs() / 3600,
            humantime::format_rfc3339_seconds(now)
        )));
    }
    Ok(())
}

/// Parse and validate against the registry's clock; every refusal names what is wrong.
pub fn report(body: &[u8]) -> Result<Report, Refusal> {
    report_at(body, SystemTime::now())
}

/// [`report`] with the registry's clock reading `now`.
pub fn report_at(body: &[u8], now: SystemTime) -> Result<Report, Refusal> {
    let invalid = |m: String| Refusal::Invalid(m);
    let value: Value = serde_json::from_slice(body).map_err(|e| Refusal::Malformed(format!("malformed JSON: {e}")))?;
    let obj = value.as_object().ok_or_else(|| Refusal::Malformed("a report must be a JSON object".into()))?;
    match obj.get("schema") {
        Some(Value::String(s)) if s == SCHEMA_ID => {}
        Some(_) => return Err(invalid(format!("unknown schema; this registry stores {SCHEMA_ID:?}"))),
        None => return Err(invalid(format!("missing field \"schema\"; expected {SCHEMA_ID:?}"))),
    }
    declared_secrets(&value)?;
    if let Some(found) = secrets::find(&value) {
        return Err(invalid(format!(
            "{} holds a value that the built-in rule {:?} recognises as a secret; the registry never stores raw \
             secrets (only fingerprints and redacted forms)",
            found.field, found.rule
        )));
    }
    if let Some(problem) = json_schema::check(&value) {
        return Err(invalid(problem));
    }
    let report: Report = serde_json::from_value(value).map_err(|e| invalid(format!("invalid report: {e}")))?;
    for (name, t) in [("started_at", &report.started_at), ("finished_at", &report.finished_at)] {
        check_time(name, t, now)?;
    }
    if report.host.hostname.is_empty() && report.host.machine_id.as_deref().unwrap_or("").is_empty() {
        return Err(invalid("host has neither machine_id nor hostname".into()));
    }
    Ok(report)
}

/// A report that says it holds raw secrets: made with `--include-secrets`, or any finding with a `secret`.
fn declared_secrets(report: &Value) -> Result<(), Refusal> {
    if report.get("include_secrets") == Some(&Value::Bool(true)) {
        return Err(Refusal::Invalid(
            "report was made with include_secrets: true; the registry never stores raw secrets".into(),
        ));
    }
    let findings = report.get("findings").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    if let Some(i) = findings.iter().position(|f| f.get("secret").is_some()) {
        return Err(Refusal::Invalid(format!(
            "findings[{i}]: carries a raw \"secret\"; the registry never stores raw secrets"
        )));
    }
    Ok(())
}

/// Load the token rules and compile the schema now, so the first upload does not pay for it.
pub fn warm_up() {
    secrets::warm_up();
    json_schema::warm_up();
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

    /// Issue #16: `9999-99-99T99:99:99Z` had the right shape and was accepted.
    #[test]
    fn scan_times_are_real_and_not_far_in_the_future() {
        let now = humantime::parse_rfc3339("2026-06-01T12:00:00Z").unwrap();
        let check = |t: &str| check_time("finished_at", t, now);
        assert!(check("2026-06-01T12:00:00Z").is_ok());
        assert!(check("2024-02-29T23:59:59Z").is_ok(), "a leap day");
        assert!(check("2026-06-02T12:00:00Z").is_ok(), "24 h ahead: clock skew, accepted");
        for bad in [
            "9999-99-99T99:99:99Z",
            "2026-02-30T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-06-01T24:00:00Z",
            "2026-06-01T12:60:00Z",
            "2026-06-02T12:00:01Z",
            "9999-12-31T23:59:59Z",
            "2026-06-01 12:00:00Z",
            "2026-06-01T12:00:00+00:00",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_future_finish_counts_as_received() {
        let mut r: Report = serde_json::from_value(serde_json::json!({
            "scanner": { "version": "1", "rules_digest": "x" },
            "host": { "hostname": "h", "os": "linux", "arch": "x86_64" },
            "user": {}, "started_at": "", "finished_at": "2026-06-02T00:00:00Z", "complete": true, "tags": {},
            "include_secrets": false, "roots": [], "findings": []
        }))
        .unwrap();
        assert_eq!(r.scanned_at("2026-06-01T00:00:00Z"), "2026-06-01T00:00:00Z", "ahead of the registry");
        assert_eq!(r.scanned_at("2026-06-03T00:00:00Z"), "2026-06-02T00:00:00Z", "uploaded later");
        r.finished_at = "2026-06-01T00:00:00Z".into();
        assert_eq!(r.scanned_at("2026-06-01T00:00:00Z"), "2026-06-01T00:00:00Z");
    }

    #[test]
    fn schema_errors_are_invalid_and_json_errors_malformed() {
        assert!(matches!(report(b"{"), Err(Refusal::Malformed(_))));
        assert!(matches!(report(b"[]"), Err(Refusal::Malformed(_))));
        let e = report(br#"{"schema":"credsweep.report/v2"}"#).err().unwrap();
        assert!(matches!(&e, Refusal::Invalid(m) if m.contains("unknown schema")), "{e:?}");
        let e = report(br#"{"schema":"credsweep.report/v1"}"#).err().unwrap();
        assert!(matches!(&e, Refusal::Invalid(m) if m.starts_with("report: missing required field \"")), "{e:?}");
    }
}
