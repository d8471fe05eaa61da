//! Suppressions: findings left out, counted by reason in `stats.suppressed`, never lost silently, and never needing a
//! secret written down: what the project accepted (inline `credsweep:allow` comments, baseline location ids,
//! allowlisted fingerprints and paths from `.credsweep.toml`, its `min_severity`), findings below `--min-confidence`
//! (`medium` by default, so third-party code and documentation stay out), and tokens whose checksum is wrong
//! (`checksum-failed`: lookalikes and typos, which no rule reports).
use std::{collections::HashSet, path::Path, path::PathBuf};

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
    /// `path` below the deepest scan root it is under (unchanged when under none): where a file sits *in what the
    /// user asked to scan*. A project checked out in `~/examples/app` or scanned as `docs/` is the user's own.
    pub fn below_root<'p>(&self, path: &'p Path) -> &'p Path {
        self.roots.iter().filter_map(|r| path.strip_prefix(r).ok()).min_by_key(|rel| rel.iter().count()).unwrap_or(path)
    }

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

/// True when the line holding byte `offset` carries the inline allow marker. One question about one offset; for
/// the findings of a buffer, [`InlineMarks`] answers in one pass.
pub fn line_allows(hay: &[u8], offset: usize) -> bool {
    InlineMarks::default().allows(hay, offset)
}

/// [`line_allows`] over a buffer's findings in position order: each line is searched for the marker once, however
/// many findings it holds (a 2 MB line with 40,000 tokens was searched 40,000 times: issue #16).
#[derive(Debug, Default)]
pub struct InlineMarks {
    /// The line last asked about: its first byte, its newline (or the buffer's end), and whether it has the marker.
    line: Option<(usize, usize, bool)>,
}

impl InlineMarks {
    /// Whether the line holding byte `offset` of `hay` carries the marker. Offsets should increase (going back is
    /// correct, and searches back to the line's start again).
    pub fn allows(&mut self, hay: &[u8], offset: usize) -> bool {
        let from = match self.line {
            Some((start, end, allowed)) if (start..=end).contains(&offset) => return allowed,
            // The line holding `offset` starts after the newline at `end`: no need to look before it.
            Some((_, end, _)) if end < offset => end,
            _ => 0,
        };
        let start = memchr::memrchr(b'\n', &hay[from..offset]).map_or(from, |p| from + p + 1);
        let end = memchr::memchr(b'\n', &hay[offset..]).map_or(hay.len(), |p| offset + p);
        let allowed = memchr::memmem::find(&hay[start..end], INLINE_MARKER).is_some();
        self.line = Some((start, end, allowed));
        allowed
    }
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

    #[test]
    fn marks_in_one_pass_agree_with_one_question_each() {
        let hay = b"x credsweep:allow y\n\nplain line\nz\ncredsweep:allow\nlast without newline credsweep:allow";
        let each: Vec<bool> = (0..hay.len()).map(|i| line_allows(hay, i)).collect();
        // What each offset's own line says, the slow way.
        let slow = |i: usize| {
            let start = hay[..i].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let end = hay[i..].iter().position(|&b| b == b'\n').map_or(hay.len(), |p| i + p);
            hay[start..end].windows(INLINE_MARKER.len()).any(|w| w == INLINE_MARKER)
        };
        assert_eq!(each, (0..hay.len()).map(slow).collect::<Vec<_>>());
        // In order, in steps of every size, and going back.
        for step in 1..hay.len() {
            let mut marks = InlineMarks::default();
            for i in (0..hay.len()).step_by(step).chain((0..hay.len()).rev().step_by(step)) {
                assert_eq!(marks.allows(hay, i), each[i], "offset {i}, step {step}");
            }
        }
    }
}
