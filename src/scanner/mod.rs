//! The scanner: everything that happens to one buffer of bytes, whatever source it came from.
//!
//! [`Scanner::scan_bytes`] runs the engine (keyword gate, regex confirm, validators) and, on a whole file whose format
//! a parser knows, that parser; merges the two ([`merge`]); turns what is left into findings (position, fingerprint,
//! redaction, exposure, see [`crate::finding`]); drops findings on a line carrying the inline allow marker and those
//! the project accepted ([`crate::suppress`]); and names the user whose home a finding is in. It reads nothing but
//! its input — except, for a file on disk that has findings, what lies beside it (`KEY.pub`, git) — so every source
//! (files, standard input, staged blobs, and next archive members and git history) gets the same findings for the
//! same content, and it is tested here on its own.
//!
//! What a source says about a buffer is an [`Input`]: the path to report and the path that decides the format (they
//! differ for an archive member), file metadata if any, provenance (a commit) that must reach the finding, which
//! part of the file the buffer is (whole, or a chunk of a streamed file), and a [`Scope`] (token rules only, or
//! only some lines).
use std::{ops::Range, path::Path};

pub use crate::parsers::classify::FileKind;
use crate::{
    engine::{self, Engine},
    finding::{Emit, Origin},
    parsers::{self, classify},
    report::{self, Finding, ReferenceEntry},
    rules::RuleSet,
    suppress,
    targets::Home,
};

mod merge;
mod place;
#[cfg(test)]
mod tests;

/// Everything a scan does to one buffer. Immutable and shared by every worker thread.
pub struct Scanner {
    engine: Engine,
    emit: Emit,
    filter: suppress::Filter,
    /// Homes being scanned, longest path first: a finding under one is attributed to its user.
    homes: Vec<Home>,
}

/// One buffer as a source describes it. `Copy`: a streamed file's chunks share one, with their own [`Part`] and base.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What reaches the findings: the path as reported, metadata, whether it is a file on this machine, where the
    /// buffer starts, provenance.
    pub origin: Origin<'a>,
    /// The path that decides the format (which parser runs): the reported path for a file, the member's own path
    /// inside an archive (`etc/app/.env` of `backup.tar.gz!etc/app/.env`), a repository path for a git blob.
    pub name: &'a Path,
    /// The format of `name` ([`Input::new`] classifies it).
    pub kind: FileKind,
    pub part: Part,
    pub scope: Scope<'a>,
}

/// What part of its file a buffer is. Parsers run on whole files only (the formats they read are small).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// A chunk of a streamed file (see [`crate::read::Reader::next_chunk`]): a match is reported by the one chunk that
    /// owns its secret's start, the bytes `owned_start..owned_end`.
    Chunk {
        owned_start: usize,
        owned_end: usize,
        first: bool,
    },
}

/// What a source wants reported from a buffer (everything, by default).
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// Only token rules: neither the generic assignment heuristics ([`Engine::is_generic`]) nor
    /// the parsers. For text that is not a file's own text — strings pulled out of a binary — where `password=` in
    /// a string table says nothing about a secret.
    pub token_rules_only: bool,
    /// Only findings on these lines: 1-based, half-open (`3..5` is lines 3 and 4), sorted and disjoint, as a history
    /// reader gives a commit's added lines. `None`: every line.
    pub lines: Option<&'a [Range<u32>]>,
}

/// What one buffer gave.
#[derive(Debug, Default)]
pub struct Scanned {
    pub findings: Vec<Finding>,
    /// Secrets referenced rather than written down (`${env:X}`), from the parser.
    pub references: Vec<ReferenceEntry>,
    /// Findings left out, counted by [`suppress::Reason::index`].
    pub suppressed: [u64; suppress::Reason::ALL.len()],
}

/// Per-worker reusable buffers, so the hot path doesn't allocate per file.
#[derive(Default)]
pub struct Scratch {
    engine: engine::Scratch,
}

impl<'a> Input<'a> {
    /// A whole buffer known by `path` (reported, and deciding the format), classified from it; no metadata, not a
    /// file on disk, no provenance. Sources set the other fields.
    pub fn new(path: &'a Path) -> Input<'a> {
        Input::of_kind(path, classify::classify(path))
    }

    /// [`Input::new`] with the format already known.
    pub fn of_kind(path: &'a Path, kind: FileKind) -> Input<'a> {
        Input { origin: Origin::new(path), name: path, kind, part: Part::Whole, scope: Scope::default() }
    }

    /// A binary file a parser reads (gcloud's SQLite credential stores): read despite the binary check.
    pub fn binary_store(&self) -> bool {
        classify::binary_credential_store(self.kind, self.name)
    }
}

impl Scanner {
    pub fn new(engine: Engine, emit: Emit, filter: suppress::Filter, mut homes: Vec<Home>) -> Scanner {
        homes.sort_by_key(|h| std::cmp::Reverse(h.path.as_os_str().len()));
        Scanner { engine, emit, filter, homes }
    }

    pub fn rules(&self) -> &RuleSet {
        self.engine.rules()
    }

    /// Findings, references and suppression counts of one buffer. `scratch` is the calling thread's own.
    pub fn scan_bytes(&self, input: &Input<'_>, hay: &[u8], scratch: &mut Scratch) -> Scanned {
        let mut out = Scanned::default();
        // Public keys are never findings: counted as scanned (by the source), not matched.
        if input.part == Part::Whole && input.kind == FileKind::PublicKey {
            return out;
        }
        let mut matches = self.engine.scan_with(hay, &mut scratch.engine);
        let mut failed = scratch.engine.checksum_failed().to_vec();
        // Generic assignments need a file's own text (not strings pulled from a binary), and never come from a lock
        // file: its hex and base64 are integrity hashes, whatever the field is called.
        if matches.iter().any(|m| self.engine.is_generic(m))
            && (input.scope.token_rules_only || place::lock_file(input.name))
        {
            matches.retain(|m| !self.engine.is_generic(m));
        }
        let parsed = match input.part {
            Part::Whole if !input.scope.token_rules_only => {
                parsers::parse(input.kind, input.name, hay, &|v: &[u8]| !self.engine.scan(v).is_empty())
            }
            Part::Whole => None,
            Part::Chunk { owned_start, owned_end, .. } => {
                matches.retain(|m| (owned_start..owned_end).contains(&m.secret.start));
                failed.retain(|f| (owned_start..owned_end).contains(&f.start));
                None
            }
        };
        let parsed_nothing = parsed.as_ref().is_none_or(|p| p.candidates.is_empty() && p.references.is_empty());
        if matches.is_empty() && parsed_nothing && failed.is_empty() {
            return out;
        }
        if let Some(p) = &parsed {
            out.references = references(p, input.origin.path);
        }
        let mut counts = merge::Counts::default();
        let mut found = merge::findings(self, hay, &matches, parsed.as_ref(), &failed, input, &mut counts);
        out.suppressed[suppress::Reason::Inline.index()] += counts.inline;
        out.suppressed[suppress::Reason::ChecksumFailed.index()] += counts.checksum_failed;
        // Judged only for a buffer with findings: most have none, and the path is split into its parts here.
        if !found.is_empty()
            && (place::third_party(self.filter.below_root(input.origin.path))
                || place::third_party(self.filter.below_root(input.name)))
        {
            // Vendored packages, documentation and test fixtures: their findings are examples far more often than
            // live credentials of this machine's user (issue #13 §4).
            found.iter_mut().for_each(|f| f.confidence = crate::rules::Confidence::Low);
        }
        found.retain(|f| match self.filter.check(f) {
            Some(r) => {
                out.suppressed[r.index()] += 1;
                false
            }
            None => true,
        });
        if !self.homes.is_empty() {
            for f in &mut found {
                f.user = self.homes.iter().find(|h| Path::new(&f.path).starts_with(&h.path)).map(|h| h.user.clone());
            }
        }
        out.findings = found;
        out
    }
}

/// The parser's references, under the path as reported (without a leading `./`, like findings).
fn references(parsed: &parsers::Parsed, path: &Path) -> Vec<ReferenceEntry> {
    if parsed.references.is_empty() {
        return Vec::new();
    }
    let (path, _) = report::path_strings(path.strip_prefix("./").unwrap_or(path));
    parsed
        .references
        .iter()
        .map(|r| ReferenceEntry { path: path.clone(), context: r.context.clone(), reference: r.reference.clone() })
        .collect()
}
