//! Findings for the writers' tests.
use super::{FileInfo, Finding};
use crate::{
    rules::{Confidence, Severity},
    validate::Validation,
};

/// A finding of `rule` at `path:line:column` whose secret is number `secret` (its fingerprint and location id follow
/// from it, as the scanner's would).
pub(crate) fn finding(rule: &str, path: &str, line: u64, column: u64, secret: u64) -> Finding {
    let fingerprint = format!("sha256:{secret:064x}");
    Finding {
        id: crate::fingerprint::location_id(&fingerprint, path.as_bytes()),
        rule: rule.into(),
        rule_name: format!("name of {rule}"),
        kind: "access-token".into(),
        severity: Severity::High,
        confidence: Confidence::High,
        provider: Some("Demo".into()),
        path: path.into(),
        path_raw: None,
        line,
        column,
        offset: None,
        fingerprint,
        redacted: "demo_…(17)".into(),
        identifier: None,
        validation: Validation::NotApplicable,
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
        secret: None,
    }
}

/// A report envelope with `stats` and `rules`; the rest as a scan of nothing would fill it.
pub(crate) fn envelope(stats: super::Stats, rules: Vec<super::RuleInfo>) -> super::Report {
    super::Report {
        schema: super::SCHEMA,
        report_id: "rpt-00000000000000000000000000000000".into(),
        scanner: super::Scanner { name: "credsweep", version: "0", rules_digest: "sha256:0".into(), rules: 1 },
        host: crate::host::Host::current(),
        user: crate::host::User::current(),
        started_at: "2026-01-01T00:00:00Z".into(),
        finished_at: "2026-01-01T00:00:01Z".into(),
        complete: true,
        stopped: None,
        tags: Default::default(),
        include_secrets: false,
        roots: vec![".".into()],
        scope: super::scope::Scope {
            kind: super::scope::Kind::Paths,
            quick: false,
            roots: vec!["/".into()],
            homes: Vec::new(),
            locations: Vec::new(),
            repository: None,
            toplevel: None,
            git: None,
            revision: None,
        },
        stats,
        errors: Vec::new(),
        references: Vec::new(),
        rules,
    }
}

/// A tiny xorshift generator: shuffled arrival orders, reproducible.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, (self.next() % (i as u64 + 1)) as usize);
        }
    }
}
