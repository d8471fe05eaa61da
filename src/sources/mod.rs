//! Sources: what is scanned. Each source turns something — the files under the roots, standard input, git's staged
//! blobs or changed files — into buffers, each described by an [`Input`] (the path to report, the path that decides
//! the format, metadata, provenance, scope), and hands them to the one [`Scanner`] through a [`Worker`].
//!
//! A worker is one per thread: it owns a [`Reader`] (the bounded, safe file reads of [`crate::read`]) and a [`Feed`]
//! (the scanner's scratch space, local counters, and the channel to the single writer, see [`crate::sink`]).
//! Workers share only immutable state ([`Shared`]) and the scan limits' atomics, so the hot path takes no lock.
//!
//! Adding a source (git history blobs): produce `(Input, bytes)` and call [`Feed::content`] for content that is in
//! memory and still needs the size and binary checks (a staged blob: binary content skipped), [`Feed::data`] for
//! bytes read like a file's (an archive member: binary content has its strings scanned), or [`Feed::scan`] for a
//! buffer that is already what should be scanned (strings extracted from a binary, with
//! [`Scope::token_rules_only`](crate::scanner::Scope)). A virtual path (`backup.tar.gz!etc/app/.env`) goes in
//! `input.origin.path`, the member's own path in `input.name`, a commit in `input.origin.provenance`.
//!
//! Files that are not text (issue #14) go one of two ways: archives ([`archive`]) are opened and each member is fed
//! like a file, and other binary files ([`strings`]) have their printable strings scanned by the token rules.
use std::{borrow::Cow, path::Path, sync::Arc};

use crossbeam_channel::Sender;

use crate::{
    limits::Limits,
    read::{self, Reader, SkipReason},
    report::{self, ErrorEntry, Finding, ReferenceEntry},
    scanner::{Input, Part, Scanner, Scratch},
    suppress,
};

pub mod archive;
#[cfg(test)]
mod cut_tests;
pub mod files;
pub mod git;
pub mod git_history;
pub mod stdin;
pub mod strings;

/// Every skip reason, in the order [`Counters::skipped`] counts them.
pub const SKIP_REASONS: [SkipReason; 8] = [
    SkipReason::Binary,
    SkipReason::TooLarge,
    SkipReason::Special,
    SkipReason::Symlink,
    SkipReason::PseudoFilesystem,
    SkipReason::Excluded,
    SkipReason::Executable,
    SkipReason::Media,
];
/// A worker sends its counters after this many files even without findings, for the progress line.
const FLUSH_EVERY: u64 = 256;
/// Findings go to the writer in batches of at most this many, so the bounded channel bounds the findings in flight
/// too (a file of 40,000 AWS key ids is many messages, each waiting for room, not one that bypasses the bound).
const FINDINGS_BATCH: usize = 256;

/// What every worker reads and nobody writes (the limits' counters are atomics).
pub struct Shared {
    pub scanner: Scanner,
    /// `--max-duration`, `--max-bytes`.
    pub limits: Limits,
    /// Files larger than this are skipped (checked at read time, for command-line paths too).
    pub max_file_size: u64,
    /// Follow symlinks below the roots.
    pub follow_symlinks: bool,
    /// Skip package caches, build outputs, VM images … ([`crate::excludes`]).
    pub default_excludes: bool,
    /// `-v`: name each skipped entry to the writer (which says why on stderr).
    pub verbose: bool,
    /// Archives are opened with these bounds; `None` with `--no-archives`.
    pub archives: Option<archive::Limits>,
    /// An archive file is opened up to this size on disk, even over `max_file_size` (its members are bounded one by
    /// one, and the bytes decompressed in all).
    pub max_archive_size: u64,
    /// What happens to binary files that are not archives: strings scanned, executables and media skipped or not.
    pub binaries: strings::BinaryPolicy,
}

/// What a worker sends to the writer.
pub enum Msg {
    Findings(Vec<Finding>),
    References(Vec<ReferenceEntry>),
    Error(ErrorEntry),
    Counters(Counters),
    /// An entry skipped, and why (only with `-v`).
    Skipped(std::path::PathBuf, SkipReason),
}

/// Counter deltas a worker accumulates locally and sends in batches.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counters {
    pub files_seen: u64,
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub directories: u64,
    /// By [`SKIP_REASONS`] position.
    pub skipped: [u64; SKIP_REASONS.len()],
    /// By [`suppress::Reason::index`].
    pub suppressed: [u64; suppress::Reason::ALL.len()],
    pub errors: u64,
    /// Archives opened, their members and problems.
    pub archives: archive::Counts,
    /// Binary files and members whose printable strings were scanned.
    pub strings_scanned: u64,
}

/// One scanning thread: a reader for files, and the feed to the scanner and the writer.
pub struct Worker {
    reader: Reader,
    feed: Feed,
    buffers: Buffers,
}

/// A worker's buffers for what is not a file's own text, reused from file to file: the printable strings of binary
/// data, and a chunk of an archive member too big to hold whole.
#[derive(Default)]
pub struct Buffers {
    strings: strings::Strings,
    chunk: Vec<u8>,
}

/// The scanning half of a worker: the scanner's scratch space, counters, and the channel to the writer. Apart from
/// the [`Reader`], so a buffer borrowed from the reader can be fed while the reader is borrowed.
pub struct Feed {
    shared: Arc<Shared>,
    scratch: Scratch,
    counters: Counters,
    /// Files counted since the last flush.
    unsent: u64,
    tx: Sender<Msg>,
}

impl Worker {
    pub fn new(shared: Arc<Shared>, tx: Sender<Msg>) -> Worker {
        let reader = Reader::new(shared.max_file_size);
        Worker {
            reader,
            feed: Feed { shared, scratch: Scratch::default(), counters: Counters::default(), unsent: 0, tx },
            buffers: Buffers::default(),
        }
    }
}

impl Feed {
    /// Count a skipped entry.
    pub fn skip(&mut self, why: SkipReason) {
        let i = SKIP_REASONS.iter().position(|r| *r == why).expect("listed");
        self.counters.skipped[i] += 1;
    }

    /// Count a skipped entry at `path`, and with `-v` name it to the writer.
    pub fn skip_at(&mut self, why: SkipReason, path: &Path) {
        self.skip(why);
        if self.shared.verbose {
            let _ = self.tx.send(Msg::Skipped(path.to_path_buf(), why));
        }
    }

    /// Count a file that was seen and skipped without being read (a staged blob over the size limit).
    pub fn skip_file(&mut self, why: SkipReason) {
        self.counters.files_seen += 1;
        self.skip(why);
    }

    /// Count and list an entry that could not be read; the scan goes on.
    pub fn error(&mut self, path: Option<&Path>, reason: String) {
        self.counters.errors += 1;
        self.list_error(path, reason);
    }

    /// List an error already counted.
    fn list_error(&mut self, path: Option<&Path>, reason: String) {
        let (path, path_raw) = path.map_or((String::new(), None), report::path_strings);
        let _ = self.tx.send(Msg::Error(ErrorEntry { path, path_raw, reason }));
    }

    /// Scan content that is already in memory (a staged blob), with the same size limit as a file; binary content
    /// is skipped.
    pub fn content(&mut self, input: &Input<'_>, bytes: &[u8]) {
        self.counters.files_seen += 1;
        if let Some(why) = read::skip_reason(bytes, self.shared.max_file_size) {
            return self.skip_at(why, input.origin.path);
        }
        self.scan(input, bytes);
    }

    /// Scan bytes in memory that were read as a file or an archive member: a binary's strings (see
    /// [`Feed::binary`]), or text as it is. A binary credential store (a SQLite file a parser reads) is read as is.
    pub fn data(&mut self, buffers: &mut Buffers, input: &Input<'_>, bytes: &[u8]) {
        if read::looks_binary(bytes) && !input.binary_store() {
            self.binary(buffers, input, bytes);
        } else {
            self.scan(input, bytes);
        }
    }

    /// Scan one buffer as it is (counted as scanned: a whole file, or a chunk's own bytes) and send what it gave.
    pub fn scan(&mut self, input: &Input<'_>, bytes: &[u8]) {
        match input.part {
            Part::Whole => {
                self.counters.files_scanned += 1;
                self.counters.bytes_scanned += bytes.len() as u64;
            }
            Part::Chunk { owned_start, owned_end, first } => {
                self.counters.files_scanned += first as u64;
                self.counters.bytes_scanned += (owned_end - owned_start) as u64;
            }
        }
        let scanned = self.shared.scanner.scan_bytes(input, bytes, &mut self.scratch);
        for (t, n) in self.counters.suppressed.iter_mut().zip(scanned.suppressed) {
            *t += n;
        }
        self.send(scanned.findings, scanned.references);
    }

    /// Hand a buffer's results to the writer (counters first, so progress never shows findings before their file).
    fn send(&mut self, found: Vec<Finding>, refs: Vec<ReferenceEntry>) {
        if found.is_empty() && refs.is_empty() {
            return;
        }
        self.flush();
        if !refs.is_empty() {
            let _ = self.tx.send(Msg::References(refs));
        }
        let mut found = found.into_iter().peekable();
        while found.peek().is_some() {
            let _ = self.tx.send(Msg::Findings(found.by_ref().take(FINDINGS_BATCH).collect()));
        }
    }

    /// Send the counters when enough files were counted since the last time.
    fn flush_if_due(&mut self) {
        if self.unsent >= FLUSH_EVERY {
            self.flush();
        }
    }

    /// Send the counters accumulated so far.
    pub fn flush(&mut self) {
        let c = std::mem::take(&mut self.counters);
        self.unsent = 0;
        let _ = self.tx.send(Msg::Counters(c));
    }
}

/// A path made of bytes (an archive member's `outer.tar.gz!etc/app/.env`): the bytes as they are on Unix, where
/// paths are bytes; elsewhere, lossily as UTF-8.
pub fn bytes_path(bytes: &[u8]) -> Cow<'_, Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(Path::new(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        Cow::Owned(std::path::PathBuf::from(String::from_utf8_lossy(bytes).into_owned()))
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.flush();
    }
}
