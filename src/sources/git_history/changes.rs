//! The blobs one commit added or modified: a tree-to-tree diff (gix-diff, no rename tracking: a renamed file keeps
//! its blob id, so it is not new content) whose delegate keeps only regular-file blobs the caller has not seen yet.
//!
//! Unchanged subtrees are skipped by id, so the cost is proportional to what the commit changed, not to the size of
//! the tree; a root commit is diffed against the empty tree and yields everything.
use std::collections::VecDeque;

use gix::{
    bstr::{BStr, BString},
    diff::tree::{visit, Visit},
    objs::tree::{EntryKind, EntryMode},
    ObjectId,
};

/// A blob that a commit added (`previous == None`) or changed (`previous` is the blob it replaced at that path).
pub(super) struct Change {
    pub path: BString,
    pub id: ObjectId,
    pub previous: Option<ObjectId>,
}

/// The tree-diff delegate. `wanted(id, previous)` decides (and remembers) whether a blob change is new to the walk.
pub(super) struct Collector<F> {
    path: BString,
    queued_paths: VecDeque<BString>,
    wanted: F,
    pub changes: Vec<Change>,
    pub symlinks: u64,
    pub submodules: u64,
}

impl<F: FnMut(ObjectId, Option<ObjectId>) -> bool> Collector<F> {
    pub fn new(wanted: F) -> Self {
        Collector {
            path: BString::default(),
            queued_paths: VecDeque::new(),
            wanted,
            changes: Vec::new(),
            symlinks: 0,
            submodules: 0,
        }
    }

    fn consider(&mut self, mode: EntryMode, id: ObjectId, previous: Option<ObjectId>) {
        match mode.kind() {
            EntryKind::Tree => {}
            EntryKind::Link => self.symlinks += 1,
            EntryKind::Commit => self.submodules += 1,
            EntryKind::Blob | EntryKind::BlobExecutable => {
                if (self.wanted)(id, previous) {
                    self.changes.push(Change { path: self.path.clone(), id, previous });
                }
            }
        }
    }

    fn push(&mut self, component: &BStr) {
        if component.is_empty() {
            return;
        }
        if !self.path.is_empty() {
            self.path.push(b'/');
        }
        self.path.extend_from_slice(component);
    }
}

impl<F: FnMut(ObjectId, Option<ObjectId>) -> bool> Visit for Collector<F> {
    fn pop_front_tracked_path_and_set_current(&mut self) {
        self.path = self.queued_paths.pop_front().unwrap_or_default();
    }

    fn push_back_tracked_path_component(&mut self, component: &BStr) {
        self.push(component);
        self.queued_paths.push_back(self.path.clone());
    }

    fn push_path_component(&mut self, component: &BStr) {
        self.push(component);
    }

    fn pop_path_component(&mut self) {
        let cut = self.path.iter().rposition(|&b| b == b'/').unwrap_or(0);
        self.path.truncate(cut);
    }

    fn visit(&mut self, change: visit::Change) -> visit::Action {
        match change {
            visit::Change::Addition { entry_mode, oid, .. } => self.consider(entry_mode, oid, None),
            visit::Change::Modification { previous_entry_mode, previous_oid, entry_mode, oid } => {
                // A symlink or submodule turned into a file: its old content is not a text this file grew from.
                let previous = previous_entry_mode.is_blob().then_some(previous_oid);
                self.consider(entry_mode, oid, previous);
            }
            visit::Change::Deletion { .. } => {}
        }
        std::ops::ControlFlow::Continue(())
    }
}
