//! Suppressions: findings left out, counted by reason in `stats.suppressed`, never lost silently, and never needing a
//! secret written down: what the project accepted (inline `credsweep:allow` comments, baseline location ids,
//! allowlisted fingerprints and paths from `.credsweep.toml`, its `min_severity`), findings below `--min-confidence`
//! (`medium` by default, so third-party code and documentation stay out), and tokens whose checksum is wrong
//! (`checksum-failed`: lookalikes and typos, which no rule reports).
use std::{collections::HashSet, path::PathBuf};

use crate::{
    repo_config::PathAllow,
    report::Finding,
    rules::{Confidence, Severity},
};

/// The marker that, anywhere on a secret's line (in any comment syntax), suppresses findings on that line.
pub const INLINE_MARKER: &[u8] = b"credsweep:allow";

/// Why a finding was suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Inline,
    Baseline,
    Allowlist,
    Severity,
    Confidence,
    /// A token of a checksummed format (GitHub, npm, GitLab) whose checksum is wrong: not a finding of any rule.
    ChecksumFailed,
}

impl Reason {
    pub const ALL: [Reason; 6] = [
        Reason::Inline,
        Reason::Baseline,
        Reason::Allowlist,
        Reason::Severity,
        Reason::Confidence,
        Reason::ChecksumFailed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Inline => "inline",
            Reason::Baseline => "baseline",
            Reason::Allowlist => "allowlist",
            Reason::Severity => "severity",
            Reason::Confidence => "confidence",
            Reason::ChecksumFailed => "checksum-failed",
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Decides, per finding, whether it is suppressed. Immutable, shared by all workers.
#[derive(Debug)]
pub struct Filter {
    pub baseline: HashSet<String>,
    pub fingerprints: HashSet<String>,
    pub paths: PathAllow,
    pub roots: Vec<PathBuf>,
    pub min_severity: Option<Severity>,
    pub min_confidence: Option<Confidence>,
}

impl Filter {
    pub fn check(&self, f: &Finding) -> Option<Reason> {
        if self.baseline.contains(&f.id) {
            return Some(Reason::Baseline);
        }
        if self.fingerprints.contains(&f.fingerprint)
            || (!self.paths.is_empty() && self.paths.matches(&f.path, &self.roots))
        {
            return Some(Reason::Allowlist);
        }
        if self.min_severity.is_some_and(|m| f.severity < m) {
            return Some(Reason::Severity);
        }
        if self.min_confidence.is_some_and(|m| f.confidence < m) {
            return Some(Reason::Confidence);
        }
        None
    }
}

/// True when the line holding byte `offset` carries the inline allow marker.
pub fn line_allows(hay: &[u8], offset: usize) -> bool {
    let start = memchr::memrchr(b'\n', &hay[..offset]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &hay[offset..]).map_or(hay.len(), |p| offset + p);
    memchr::memmem::find(&hay[start..end], INLINE_MARKER).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_marker_only_on_its_own_line() {
        let hay = b"a = 1\nkey = tok # credsweep:allow\nother = tok\n";
        let first = 12;
        let second = hay.len() - 4;
        assert!(line_allows(hay, first));
        assert!(!line_allows(hay, second));
        assert!(!line_allows(hay, 0));
    }
}
