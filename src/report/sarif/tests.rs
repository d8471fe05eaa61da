//! The SARIF writer's tests: document structure, descriptors, results, URIs, streaming, and validation with the
//! SARIF multitool when it is installed.
use serde_json::{json, Value};

use super::*;
use crate::rules::parse_rule_file;

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
        severity,
        fingerprint: format!("sha256:{:064x}", column),
        identifier: Some("user@example.com".into()),
        validation: Validation::ChecksumValid,
        secret: Some(RAW.into()),
        ..crate::report::testing::finding(rule, path, line, column, 0)
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
    // The Multitool warns (SARIF2005) without it: the package's repository, from Cargo.toml.
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(driver["rules"].as_array().unwrap().len(), 3);

    let inv = &run["invocations"].as_array().unwrap()[0];
    assert_eq!(inv["executionSuccessful"], true);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["level"], "warning");
    assert_eq!(notes[0]["message"]["text"], "permission denied");
    assert_eq!(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "file:///root/secret%20dir");
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
    assert!(md.contains("**What to do:**") && md.contains("- <https://example.com/docs/tokens?a=1#rotate>"), "{md}");
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
