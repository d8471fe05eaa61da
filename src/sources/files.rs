//! Files on disk: the parallel walk over the roots (one [`Worker`] per walker thread), and each file read whole or,
//! when large, streamed in overlapping chunks through the worker's bounded [`crate::read::Reader`].
use std::{
    path::Path,
    sync::{atomic::Ordering, Arc},
};

use crossbeam_channel::Sender;
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkState};

use super::{Msg, Shared, Worker};
use crate::{
    excludes,
    finding::{Base, Origin},
    read::{self, LargeFile, Outcome, SkipReason},
    reason::io_reason,
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
        match self.reader.read_path_with(path, follow, input.binary_store()) {
            Ok(Outcome::Text(hay, meta)) => {
                self.feed.shared.limits.add_bytes(hay.len() as u64);
                input.origin.meta = Some(meta);
                self.feed.scan(&input, hay);
            }
            Ok(Outcome::Large(mut lf)) => self.stream(&mut lf, &input),
            // Binary files: where strings extraction would plug in (scanned with `Scope::token_rules_only`).
            Ok(Outcome::Skipped(why)) => self.feed.skip_at(why, shown),
            Err(e) => self.feed.error(Some(shown), io_reason(&e)),
        }
        self.feed.flush_if_due();
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
