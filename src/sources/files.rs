//! Files on disk: the parallel walk over the roots (one [`Worker`] per walker thread), and each file read whole or,
//! when large, streamed in overlapping chunks through the worker's bounded [`crate::read::Reader`].
//!
//! What a file is decides where it goes: text to the scanner; an archive (by its signature, or its name when it is
//! binary and has none, see [`archive::detect`]) to the archive source, from memory when it was read whole, else
//! from the open file — also when it is over `--max-file-size`, up to `--max-archive-size`, since its members are
//! bounded one by one; any other binary file to its strings ([`super::strings`]). Text is never looked at twice:
//! the only archives without a NUL in their first 8 KiB (bzip2, zstd) are recognised by a few bytes of signature.
use std::{
    fs::File,
    io::{Seek, SeekFrom},
    path::Path,
    sync::{atomic::Ordering, Arc},
};

use crossbeam_channel::Sender;
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkState};

use super::{archive, Msg, Shared, Worker};
use crate::{
    excludes,
    finding::{Base, Origin},
    read::{self, FileMeta, LargeFile, Outcome, SkipReason},
    reason::io_reason,
    report,
    scanner::{Input, Part},
    walk::{self, Walk},
};

/// Walk the roots, one worker per walker thread. Returns the directories left out because they are on another
/// filesystem (counted as directories, as when the walker's own check left them unread).
pub fn walk(walk: Walk, shared: &Arc<Shared>, tx: &Sender<Msg>) -> u64 {
    let Walk { walker, crossed } = walk;
    walker.visit(&mut Builder { shared: shared.clone(), tx: tx.clone() });
    crossed.load(Ordering::Relaxed)
}

impl Worker {
    /// Scan one regular file (or what claims to be one: the open descriptor decides). `shown` is the path reported;
    /// `follow` allows the last component to be a symlink.
    pub fn file(&mut self, path: &Path, shown: &Path, follow: bool) {
        self.feed.counters.files_seen += 1;
        self.feed.unsent += 1;
        // Classified once per file, from the name: decides the binary exception and which parser runs.
        let mut input = Input::new(shown);
        input.origin.on_disk = true;
        // Binary files are read too: their strings are scanned, or they are archives.
        match self.reader.read_path_with(path, follow, true) {
            Ok(Outcome::Text(hay, meta)) => {
                input.origin.meta = Some(meta);
                match archive_kind(&input, hay) {
                    Some(_) if self.feed.shared.archives.is_none() => self.feed.skip_at(SkipReason::Binary, shown),
                    // What counts against --max-bytes in an archive is what its members give.
                    Some(kind) => self.feed.archive(&mut self.buffers, std::io::Cursor::new(hay), kind, &input),
                    None => {
                        self.feed.shared.limits.add_bytes(hay.len() as u64);
                        self.feed.data(&mut self.buffers, &input, hay);
                    }
                }
            }
            Ok(Outcome::Large(lf)) => self.large(lf, &mut input),
            Ok(Outcome::Skipped(SkipReason::TooLarge)) => self.oversize(path, follow, &mut input),
            Ok(Outcome::Skipped(why)) => self.feed.skip_at(why, shown),
            Err(e) => self.feed.error(Some(shown), io_reason(&e)),
        }
        self.feed.flush_if_due();
    }

    /// A file too large to read whole: an archive read from the open file, a binary file's strings or text, both in
    /// chunks.
    fn large(&mut self, mut lf: LargeFile, input: &mut Input<'_>) {
        let mut head = [0u8; read::BINARY_SNIFF];
        let n = match lf.peek(&mut head) {
            Ok(n) => n,
            Err(e) => return self.feed.error(Some(input.origin.path), io_reason(&e)),
        };
        let head = &head[..n];
        input.origin.meta = Some(lf.meta);
        if let Some(kind) = archive_kind(input, head) {
            if self.feed.shared.archives.is_none() {
                return self.feed.skip_at(SkipReason::Binary, input.origin.path);
            }
            return self.feed.archive(&mut self.buffers, lf.into_file(), kind, input);
        }
        if read::looks_binary(head) && !input.binary_store() {
            self.stream_strings(&mut lf, input, head);
        } else {
            self.stream(&mut lf, input);
        }
    }

    /// A file over `--max-file-size`: opened again and read as an archive if it is one (by its signature) of at
    /// most `--max-archive-size`; else skipped as too large.
    fn oversize(&mut self, path: &Path, follow: bool, input: &mut Input<'_>) {
        let shared = &self.feed.shared;
        if shared.archives.is_none() || shared.max_archive_size <= shared.max_file_size {
            return self.feed.skip_at(SkipReason::TooLarge, input.origin.path);
        }
        match open_archive(path, follow, shared.max_archive_size) {
            Ok(Some((file, meta, kind))) => {
                input.origin.meta = Some(meta);
                self.feed.archive(&mut self.buffers, file, kind, input);
            }
            Ok(None) => self.feed.skip_at(SkipReason::TooLarge, input.origin.path),
            Err(e) => self.feed.error(Some(input.origin.path), io_reason(&e)),
        }
    }

    /// Scan a large file chunk by chunk: memory holds one chunk, and a secret across a border is whole in the
    /// chunk that owns its start. The scan limits are checked between chunks: a file cut short is listed as such.
    pub(super) fn stream(&mut self, lf: &mut LargeFile, input: &Input<'_>) {
        let mut base = Base::default();
        loop {
            if lf.started() && !lf.at_end() && self.feed.shared.limits.cut(input.origin.path) {
                return;
            }
            let chunk = match self.reader.next_chunk(lf) {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return self.feed.error(Some(input.origin.path), io_reason(&e)),
            };
            if chunk.first {
                if let Some(why) = read::skip_reason(&chunk.data[..chunk.data.len().min(read::BINARY_SNIFF)], u64::MAX)
                {
                    return self.feed.skip_at(why, input.origin.path);
                }
            }
            self.feed.shared.limits.add_bytes(chunk.owned.len() as u64);
            let part = Part::Chunk { owned_start: chunk.owned.start, owned_end: chunk.owned.end, first: chunk.first };
            let origin = Origin { meta: Some(lf.meta), base, ..input.origin };
            self.feed.scan(&Input { origin, part, ..*input }, chunk.data);
            base = base.advance(chunk.data, chunk.next_from);
        }
    }

    fn entry(&mut self, entry: DirEntry) -> WalkState {
        let depth0 = entry.depth() == 0;
        let Some(ft) = entry.file_type() else {
            return WalkState::Continue;
        };
        if walk::is_pseudo_fs_entry(&entry) {
            self.feed.skip_at(SkipReason::PseudoFilesystem, entry.path());
            return WalkState::Skip;
        }
        if let Some(state) = self.feed.shared.limits.check(entry.path()) {
            return state;
        }
        let default_excludes = self.feed.shared.default_excludes;
        if ft.is_dir() {
            if !depth0 && default_excludes && excludes::skip_dir(entry.path(), entry.file_name()) {
                self.feed.skip_at(SkipReason::Excluded, entry.path());
                return WalkState::Skip;
            }
            self.feed.counters.directories += 1;
            return WalkState::Continue;
        }
        if !depth0 && default_excludes && excludes::skip_file(entry.file_name()) {
            self.feed.skip_at(SkipReason::Excluded, entry.path());
            return WalkState::Continue;
        }
        if ft.is_symlink() {
            // Only reached when links are not followed (the walker resolves them otherwise).
            self.feed.skip_at(SkipReason::Symlink, entry.path());
        } else if ft.is_file() {
            // A path named on the command line may itself be a link: the user asked for it.
            let follow = depth0 || self.feed.shared.follow_symlinks;
            self.file(entry.path(), entry.path(), follow);
        } else {
            self.feed.skip_at(SkipReason::Special, entry.path());
        }
        WalkState::Continue
    }
}

/// The archive format of a file starting with `head`, if it is one: binary data by its signature or, without one,
/// its name; text only by a bzip2 or zstd signature (the compressed formats that may have no NUL early on). With
/// `--no-archives` an archive is skipped (counted as binary): its strings are compressed noise.
fn archive_kind(input: &Input<'_>, head: &[u8]) -> Option<archive::Kind> {
    if read::looks_binary(head) {
        if input.binary_store() {
            return None;
        }
        return archive::detect(&report::path_bytes(input.name), &head[..head.len().min(archive::HEAD)]);
    }
    archive::by_signature(head).filter(|k| matches!(k, archive::Kind::Bzip2 | archive::Kind::Zstd))
}

/// The file at `path`, its facts and its archive format, if it is an archive (by its signature) of at most `max`
/// bytes.
fn open_archive(path: &Path, follow: bool, max: u64) -> std::io::Result<Option<(File, FileMeta, archive::Kind)>> {
    let Some((mut file, meta)) = read::open_bounded(path, follow, max)? else { return Ok(None) };
    let mut head = [0u8; archive::HEAD];
    let n = read::read_full(&mut file, &mut head)?;
    let Some(kind) = archive::by_magic(&head[..n]) else { return Ok(None) };
    file.seek(SeekFrom::Start(0))?;
    Ok(Some((file, meta, kind)))
}

impl ParallelVisitor for Worker {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(e) => self.entry(e),
            Err(err) => {
                let (path, reason) = walk::describe(&err);
                self.feed.error(path.as_deref(), reason);
                WalkState::Continue
            }
        }
    }
}

struct Builder {
    shared: Arc<Shared>,
    tx: Sender<Msg>,
}

impl<'s> ParallelVisitorBuilder<'s> for Builder {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Worker::new(self.shared.clone(), self.tx.clone()))
    }
}
