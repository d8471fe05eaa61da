//! Reading one commit: its tree diffed against its first parent's, its new blobs loaded (size checked from the object
//! header first) and handed to the callback; in diff mode with the lines the commit added.
//!
//! Problems with one object (a missing parent, an unreadable tree or blob) are counted in [`Stats`] and the walk goes
//! on. Error messages name object ids and paths, never content.
use std::{
    collections::HashSet,
    ops::{ControlFlow, Range},
};

use gix::{
    bstr::{BStr, ByteSlice},
    hashtable,
    objs::{FindExt, TreeRefIter},
    ObjectId, Repository,
};

use super::{
    changes::{Change, Collector},
    lines,
    walk::Node,
    Blob, CommitInfo, Options, Stats,
};

/// The walk's state: what has been seen, the trees of the commits read so far, reusable buffers.
pub(super) struct Reader<'r, F> {
    repo: &'r Repository,
    opts: &'r Options,
    f: F,
    /// History mode: every blob id met.
    seen_blobs: hashtable::HashSet<ObjectId>,
    /// Diff mode: every (new blob, blob it replaced) change met, so a change cherry-picked twice is read once.
    seen_changes: HashSet<(ObjectId, Option<ObjectId>)>,
    /// Commit id → tree id, for commits read (a child diffs against its parent's tree without re-reading the parent).
    trees: hashtable::HashMap<ObjectId, ObjectId>,
    diff_state: gix::diff::tree::State,
    lhs: Vec<u8>,
    rhs: Vec<u8>,
    blob: Vec<u8>,
    old: Vec<u8>,
    stats: Stats,
}

impl<'r, F: FnMut(Blob<'_>) -> ControlFlow<()>> Reader<'r, F> {
    pub fn new(repo: &'r Repository, opts: &'r Options, stats: Stats, f: F) -> Self {
        Reader {
            repo,
            opts,
            f,
            seen_blobs: Default::default(),
            seen_changes: HashSet::new(),
            trees: Default::default(),
            diff_state: Default::default(),
            lhs: Vec::new(),
            rhs: Vec::new(),
            blob: Vec::new(),
            old: Vec::new(),
            stats,
        }
    }

    pub fn finish(mut self, stopped: bool) -> Stats {
        self.stats.stopped = stopped;
        self.stats.blobs_seen = (self.seen_blobs.len() + self.seen_changes.len()) as u64;
        self.stats
    }

    /// Read one commit (its parents already read, if they are in the walk) and visit the blobs it introduced.
    pub fn commit(&mut self, node: &Node) -> ControlFlow<()> {
        let (tree, info) = match self.read_commit(node.id) {
            Ok(found) => found,
            Err(e) => {
                self.stats.error(format!("commit {}: {e}", node.id));
                return ControlFlow::Continue(());
            }
        };
        self.trees.insert(node.id, tree);
        self.stats.commits += 1;
        let parent = node.parents.first().and_then(|&p| self.tree_of(p));
        for change in self.changes(parent, tree, node.id) {
            self.emit(&change, &info, node)?;
        }
        ControlFlow::Continue(())
    }

    fn read_commit(&self, id: ObjectId) -> Result<(ObjectId, CommitInfo), String> {
        let commit = self.repo.find_commit(id).map_err(|e| e.to_string())?;
        let tree = commit.tree_id().map_err(|e| e.to_string())?.detach();
        let author = commit.author().map_err(|e| e.to_string())?.trim();
        let time = author.time().unwrap_or_else(|_| gix::date::Time::new(author.seconds(), 0));
        let info = CommitInfo {
            id: id.to_string(),
            author: author.name.to_str_lossy().into_owned(),
            email: author.email.to_str_lossy().into_owned(),
            date: time.format_or_unix(gix::date::time::format::ISO8601_STRICT),
            time: time.seconds,
        };
        Ok((tree, info))
    }

    /// The tree of `commit`, or `None` when it cannot be read: the boundary of a shallow clone (silently: that is what
    /// shallow means), or a missing or corrupt object (counted). Either way the child is read as a root commit.
    fn tree_of(&mut self, commit: ObjectId) -> Option<ObjectId> {
        if let Some(&tree) = self.trees.get(&commit) {
            return Some(tree);
        }
        let found = self.repo.find_commit(commit).map_err(|e| e.to_string());
        match found.and_then(|c| c.tree_id().map(|t| t.detach()).map_err(|e| e.to_string())) {
            Ok(tree) => {
                self.trees.insert(commit, tree);
                Some(tree)
            }
            Err(e) => {
                if !self.repo.is_shallow() {
                    self.stats.error(format!("parent commit {commit}: {e}"));
                }
                None
            }
        }
    }

    /// The blobs new to the walk that `tree` has relative to `parent` (the empty tree when `None`). A diff that fails
    /// half-way is counted, and the changes found before the failure are still returned.
    fn changes(&mut self, parent: Option<ObjectId>, tree: ObjectId, commit: ObjectId) -> Vec<Change> {
        let diff_mode = self.opts.range.is_some();
        let (blobs, changes) = (&mut self.seen_blobs, &mut self.seen_changes);
        let mut collector =
            Collector::new(|id, prev| if diff_mode { changes.insert((id, prev)) } else { blobs.insert(id) });
        let objects = &self.repo.objects;
        let lhs = match parent {
            Some(parent) => objects.find_tree_iter(&parent, &mut self.lhs).map_err(|e| e.to_string()),
            None => Ok(TreeRefIter::from_bytes(&[], self.repo.object_hash())),
        };
        let rhs = objects.find_tree_iter(&tree, &mut self.rhs).map_err(|e| e.to_string());
        let result = lhs.and_then(|lhs| {
            let rhs = rhs?;
            gix::diff::tree(lhs, rhs, &mut self.diff_state, objects, &mut collector).map_err(|e| e.to_string())
        });
        if let Err(e) = result {
            self.stats.error(format!("commit {commit}: tree diff: {e}"));
        }
        self.stats.symlinks += collector.symlinks;
        self.stats.submodules += collector.submodules;
        collector.changes
    }

    /// Load a change's blob and hand it to the callback (in diff mode only if the commit added lines to it).
    fn emit(&mut self, change: &Change, info: &CommitInfo, node: &Node) -> ControlFlow<()> {
        match self.size(change.id, change.path.as_ref()) {
            Some(size) if size > self.opts.max_blob_size => {
                self.stats.too_large += 1;
                return ControlFlow::Continue(());
            }
            Some(_) => {}
            None => return ControlFlow::Continue(()),
        }
        if let Err(e) = self.repo.objects.find_blob(&change.id, &mut self.blob) {
            self.stats.error(format!("blob {} ({}): {e}", change.id, change.path));
            return ControlFlow::Continue(());
        }
        let added = match self.opts.range {
            Some(_) => match self.added_lines(change, node) {
                ranges if ranges.is_empty() => return ControlFlow::Continue(()),
                ranges => Some(ranges),
            },
            None => None,
        };
        self.stats.blobs_visited += 1;
        self.stats.bytes_visited += self.blob.len() as u64;
        let id = change.id.to_string();
        (self.f)(Blob { path: &change.path, id: &id, data: &self.blob, commit: info, added_lines: added.as_deref() })
    }

    /// A blob's size from its header (packed or loose), without inflating its content; `None` (counted) if unreadable.
    fn size(&mut self, id: ObjectId, path: &BStr) -> Option<u64> {
        match self.repo.find_header(id) {
            Ok(header) => Some(header.size()),
            Err(e) => {
                self.stats.error(format!("blob {id} ({path}): {e}"));
                None
            }
        }
    }

    /// Diff mode: the lines of the loaded blob that this commit added: relative to the blob it replaced (all lines
    /// for a new file), and for a merge, relative to every other parent's version at the same path too.
    fn added_lines(&mut self, change: &Change, node: &Node) -> Vec<Range<u32>> {
        let mut ranges = match change.previous {
            None => lines::all(&self.blob),
            Some(previous) => self.added_since(previous, change.path.as_ref()),
        };
        for &parent in node.parents.iter().skip(1) {
            if ranges.is_empty() {
                break;
            }
            match self.blob_at(parent, change.path.as_ref()) {
                Some(id) if id == change.id => ranges.clear(),
                Some(id) => ranges = lines::intersect(&ranges, &self.added_since(id, change.path.as_ref())),
                None => {} // the path is new relative to this parent: every line is
            }
        }
        ranges
    }

    /// The loaded blob's lines that are not in blob `old`; all of them if `old` is too large or unreadable (counted),
    /// so that doubt reports rather than hides.
    fn added_since(&mut self, old: ObjectId, path: &BStr) -> Vec<Range<u32>> {
        let loaded = match self.size(old, path) {
            Some(size) if size <= self.opts.max_blob_size => match self.repo.objects.find_blob(&old, &mut self.old) {
                Ok(_) => true,
                Err(e) => {
                    self.stats.error(format!("blob {old} ({path}): {e}"));
                    false
                }
            },
            _ => false,
        };
        if loaded {
            lines::added(&self.old, &self.blob)
        } else {
            lines::all(&self.blob)
        }
    }

    /// The blob at `path` in `commit`'s tree, if there is a regular file there.
    fn blob_at(&mut self, commit: ObjectId, path: &BStr) -> Option<ObjectId> {
        let tree = self.repo.find_tree(self.tree_of(commit)?).ok()?;
        let entry = tree.lookup_entry(path.split(|&b| b == b'/')).ok()??;
        entry.mode().is_blob().then(|| entry.object_id())
    }
}
