//! The JSON document is byte for byte what serializing the whole report at once gives, whatever order findings
//! arrive in (`scan --upload` sends these bytes and the registry recognises a resent file by them).
use std::collections::BTreeMap;

use super::*;
use crate::report::{
    testing::{envelope, finding, Rng},
    RuleInfo, Stats,
};

/// The document as one `serde_json::to_writer_pretty` of everything: envelope, sorted findings, credentials grouped
/// the straightforward way, rules.
#[derive(Serialize)]
struct Whole<'a> {
    #[serde(flatten)]
    envelope: &'a Report,
    findings: &'a [Finding],
    credentials: Vec<WholeCredential>,
    rules: &'a [RuleInfo],
}

#[derive(Serialize)]
struct WholeCredential {
    fingerprint: String,
    kind: String,
    rules: Vec<String>,
    severity: Severity,
    redacted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    locations: u64,
    finding_ids: Vec<String>,
}

fn group(findings: &[Finding]) -> Vec<WholeCredential> {
    let mut order: Vec<String> = Vec::new();
    let mut by_fp: BTreeMap<String, WholeCredential> = BTreeMap::new();
    for f in findings {
        let c = by_fp.entry(f.fingerprint.clone()).or_insert_with(|| {
            order.push(f.fingerprint.clone());
            WholeCredential {
                fingerprint: f.fingerprint.clone(),
                kind: f.kind.clone(),
                rules: Vec::new(),
                severity: f.severity,
                redacted: f.redacted.clone(),
                identifier: None,
                locations: 0,
                finding_ids: Vec::new(),
            }
        });
        c.locations += 1;
        c.severity = c.severity.max(f.severity);
        if !c.rules.contains(&f.rule) {
            c.rules.push(f.rule.clone());
        }
        if c.identifier.is_none() {
            c.identifier = f.identifier.clone();
        }
        if !c.finding_ids.contains(&f.id) {
            c.finding_ids.push(f.id.clone());
        }
    }
    order.iter().map(|fp| by_fp.remove(fp).unwrap()).collect()
}

fn written(report: &Report, arrivals: &[Finding]) -> String {
    let mut w = Box::new(JsonWriter::new(Output::Memory(Vec::new())).unwrap());
    for f in arrivals {
        w.finding(f).unwrap();
    }
    let (r, out) = w.end(report);
    r.unwrap();
    String::from_utf8(out.unwrap().into_memory()).unwrap()
}

fn sample() -> Vec<Finding> {
    let mut fs = Vec::new();
    for i in 0..60u64 {
        let mut f = finding(
            ["a-rule", "b-rule"][(i % 2) as usize],
            &format!("dir/f{}.env", i % 7),
            i % 5 + 1,
            i % 3 + 1,
            i % 11,
        );
        f.severity = [Severity::Low, Severity::High, Severity::Medium][(i % 3) as usize];
        f.identifier = (i % 4 == 3).then(|| format!("user{i}@example.com"));
        f.redacted = format!("demo_…({})", 10 + i % 11);
        f.risks = if i % 5 == 0 { vec!["world-readable".into()] } else { Vec::new() };
        // Quotes, a backslash, a line break and non-ASCII in strings: escapes must survive the re-indenting.
        if i == 13 {
            f.path = "dir/we\"ird\\na\nme ü.env".into();
        }
        fs.push(f);
    }
    fs
}

#[test]
fn document_is_the_whole_report_serialized_at_once() {
    let rules = vec![RuleInfo {
        id: "a-rule".into(),
        name: "A".into(),
        kind: "access-token".into(),
        severity: Severity::High,
        provider: None,
        description: Some("two\nlines".into()),
        rotate: None,
        references: vec!["https://example.com".into()],
    }];
    let report = envelope(Stats { findings: 60, ..Stats::default() }, rules.clone());
    let mut sorted = sample();
    sorted.sort_by(|a, b| (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule)));
    let whole = Whole { envelope: &report, findings: &sorted, credentials: group(&sorted), rules: &rules };
    let want = serde_json::to_string_pretty(&whole).unwrap() + "\n";
    let mut arrivals = sample();
    for seed in [1, 2, 3] {
        Rng(seed).shuffle(&mut arrivals);
        assert_eq!(written(&report, &arrivals), want, "arrival order {seed}");
    }
}

#[test]
fn empty_report_has_empty_lists() {
    let report = envelope(Stats::default(), Vec::new());
    let whole = Whole { envelope: &report, findings: &[], credentials: Vec::new(), rules: &[] };
    assert_eq!(written(&report, &[]), serde_json::to_string_pretty(&whole).unwrap() + "\n");
}
