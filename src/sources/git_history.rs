//! Git history as a scanning source: every blob a repository's commits introduced, read in-process from the object
//! database with gitoxide (`gix`), so a token that was committed and later deleted is still found.
//!
//! Why in-process: spawning `git cat-file` per object costs a process per blob and a pipe copy; gix reads packs
//! (with a delta cache) and loose objects directly, honours shallow clones (`.git/shallow`), and works on bare and
//! non-bare repositories alike.
//!
//! Two modes, one walk ([`visit`]):
//!
//! * **History** (`Options::range == None`): the commits reachable from all refs and `HEAD` (or from
//!   [`Options::refs`]), optionally only those committed at or after [`Options::since`], are read parents-first
//!   (oldest first among independent commits). Each commit's tree is diffed against its first parent's tree (a root
//!   commit, or one whose parent is missing as in a shallow clone, against the empty tree), and each blob id is
//!   visited once, attributed to the first commit and path where it appears. A blob present before `--since` and
//!   unchanged after is not visited: the range only covers what the selected commits changed.
//! * **Diff** (`Options::range == Some(REV)`): the commits in `REV..HEAD` (git's revision-range meaning: reachable
//!   from HEAD, not from REV). For every blob a commit added or modified, [`Blob::added_lines`] holds the lines that
//!   commit added, from a histogram line diff against the first parent's version. For a merge, a line counts as added
//!   only if it is new relative to every parent (what `git diff --cc` shows as an evil merge), so the side branch's
//!   lines are not reported twice. A secret present before REV is not reported; one added and removed inside the
//!   range is.
//!
//! What is not visited, and is counted in [`Stats`] instead: submodule entries (gitlinks: a commit id, no content
//! here), symbolic links (their blob is a link target, not a file anyone reads for secrets), and blobs larger than
//! [`Options::max_blob_size`] (measured from the object header, never read). Binary detection is left to the scanner.
//! Deleted files are not visited: the blob was visited when it was introduced.
//!
//! Costs: the commit graph is held as ids (a few dozen bytes per commit); the seen-set holds one object id per
//! distinct blob; one blob's content is held at a time (two in diff mode). Time is linear in commits plus changed tree
//! entries plus bytes of visited blobs.
use std::{borrow::Cow, ops::ControlFlow, ops::Range, path::Path};

use anyhow::Result;

mod changes;
pub mod feed;
mod lines;
mod reader;
#[cfg(test)]
mod tests;
mod walk;

/// What to read. The defaults read the whole history of all refs with the scanner's default size limit.
#[derive(Debug, Clone)]
pub struct Options {
    /// Revisions to start from (`--branch`): branch or tag names, or anything `git rev-parse` accepts. Empty: every
    /// ref (branches, remote-tracking branches, tags, notes, stash) and `HEAD`. In diff mode, empty means `HEAD`.
    pub refs: Vec<String>,
    /// Only commits whose committer date is at or after this Unix time (`--since`; git's `log --since` also uses the
    /// committer date).
    pub since: Option<i64>,
    /// Diff mode (`--git-diff REV`): `REV` means `REV..HEAD` (or `REV..<refs>`); an explicit `A..B` is accepted too.
    pub range: Option<String>,
    /// Blobs larger than this many bytes are counted in [`Stats::too_large`] and not read.
    pub max_blob_size: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { refs: Vec::new(), since: None, range: None, max_blob_size: 32 << 20 }
    }
}

/// The commit a blob is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full commit id, lowercase hex.
    pub id: String,
    /// Author name (lossily decoded as UTF-8, trimmed).
    pub author: String,
    /// Author email (lossily decoded as UTF-8, trimmed, without the angle brackets).
    pub email: String,
    /// Author date, RFC 3339 with the author's UTC offset (`2024-05-01T12:00:00+02:00`).
    pub date: String,
    /// Author date as Unix seconds.
    pub time: i64,
}

/// One blob to scan, borrowed for the duration of the callback.
#[derive(Debug, Clone, Copy)]
pub struct Blob<'a> {
    /// Repository-relative path with `/` separators, as stored in the tree: raw bytes, may be non-UTF-8.
    pub path: &'a [u8],
    /// Blob id, lowercase hex.
    pub id: &'a str,
    /// The blob's content (at most [`Options::max_blob_size`] bytes).
    pub data: &'a [u8],
    /// The commit that introduced this blob (history mode) or whose change this is (diff mode).
    pub commit: &'a CommitInfo,
    /// Diff mode only: the lines this commit added, as 1-based half-open ranges (`3..5` is lines 3 and 4), sorted,
    /// disjoint and never empty. Lines are split after each `\n`, as git counts them. `None` in history mode, where
    /// every line is new.
    pub added_lines: Option<&'a [Range<u32>]>,
}

impl Blob<'_> {
    /// The path as a `Path` (lossless on Unix, where paths are bytes).
    pub fn path(&self) -> Cow<'_, Path> {
        gix::path::from_byte_slice(self.path).into()
    }

    /// Whether 1-based `line` was added (always true in history mode).
    pub fn is_added(&self, line: u32) -> bool {
        self.added_lines.is_none_or(|ranges| lines::contains(ranges, line))
    }
}

/// What a walk did. Problems with single objects are counted here, never abort the walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Commits whose changes were read.
    pub commits: u64,
    /// Distinct blobs met (history mode: blob ids; diff mode: distinct (previous, new) blob changes), including the
    /// too-large and unreadable ones.
    pub blobs_seen: u64,
    /// Blobs handed to the callback.
    pub blobs_visited: u64,
    /// Bytes of the blobs handed to the callback.
    pub bytes_visited: u64,
    /// Blobs over [`Options::max_blob_size`], not read.
    pub too_large: u64,
    /// Symbolic-link entries added or changed, not visited (their content is a link target).
    pub symlinks: u64,
    /// Submodule entries (gitlinks) added or changed, not visited (no content in this repository).
    pub submodules: u64,
    /// Refs that do not point at a commit (a tag of a tree or blob), left out.
    pub refs_skipped: u64,
    /// Objects that could not be read or decoded (missing, corrupt).
    pub errors: u64,
    /// The first [`MAX_ERROR_MESSAGES`] errors, one line each (object id and path, never content).
    pub error_messages: Vec<String>,
    /// The callback returned `ControlFlow::Break`.
    pub stopped: bool,
}

/// How many error messages [`Stats::error_messages`] keeps; the count goes on in [`Stats::errors`].
pub const MAX_ERROR_MESSAGES: usize = 100;

impl Stats {
    fn error(&mut self, message: String) {
        self.errors += 1;
        if self.error_messages.len() < MAX_ERROR_MESSAGES {
            self.error_messages.push(message);
        }
    }
}

/// Read the history of the repository at or above `repo` (discovered as `git` does: a work tree, a subdirectory of
/// one, a `.git` directory or a bare repository) and call `f` for each blob to scan, in commit order.
///
/// Errors (one line each): not a repository, a revision in `refs` or `range` that does not resolve to a commit, an
/// unreadable ref store. Everything after that is counted in [`Stats`]. `f` returning `ControlFlow::Break` stops the
/// walk early (`Stats::stopped`).
pub fn visit(repo: &Path, opts: &Options, f: impl FnMut(Blob<'_>) -> ControlFlow<()>) -> Result<Stats> {
    let repo = open(repo)?;
    let mut stats = Stats::default();
    let commits = walk::commits(&repo, opts, &mut stats)?;
    let mut reader = reader::Reader::new(&repo, opts, stats, f);
    for node in &commits {
        if reader.commit(node).is_break() {
            return Ok(reader.finish(true));
        }
    }
    Ok(reader.finish(false))
}

/// The working tree of the repository at or above `path`, where its `.credsweep.toml` is; `None` for a bare
/// repository. A one-line error when `path` is not in a repository.
pub fn work_dir(path: &Path) -> Result<Option<std::path::PathBuf>> {
    Ok(open(path)?.workdir().map(Path::to_path_buf))
}

/// `--since DATE` as Unix seconds: whatever `git log --since` users write — a date (`2024-05-01`), a time (ISO 8601,
/// RFC 3339, RFC 2822, Unix seconds), or a relative date (`2 weeks ago`, `3.days.ago`, `yesterday`), parsed by
/// gix as git parses it — and, for those used to durations elsewhere in credsweep, a duration (`90d`, `2w`, `1y`)
/// meaning that long ago.
pub fn parse_since(text: &str) -> Result<i64> {
    let now = gix::date::Zoned::now();
    if let Ok(t) = gix::date::parse(text.trim(), Some(now.clone())) {
        return Ok(t.seconds);
    }
    match humantime::parse_duration(text.trim()) {
        Ok(d) => Ok(now.timestamp().as_second().saturating_sub(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))),
        Err(_) => {
            anyhow::bail!("'{text}' is not a date (2024-05-01, 2024-05-01T12:00:00Z, \"2 weeks ago\", yesterday, 90d)")
        }
    }
}

/// Open the repository, isolated from the environment and from global and system git configuration: only the
/// repository's own configuration is read, so the walk does not depend on who runs it (and `GIT_DIR` does not redirect
/// it).
fn open(path: &Path) -> Result<gix::Repository> {
    use gix::discover::{upwards::Error as Up, Error};
    let mut repo =
        gix::discover_opts(path, Default::default(), gix::open::Options::isolated()).map_err(|e| match e {
            Error::Discover(
                Up::NoGitRepository { .. }
                | Up::NoGitRepositoryWithinCeiling { .. }
                | Up::NoGitRepositoryWithinFs { .. }
                | Up::InaccessibleDirectory { .. },
            ) => anyhow::anyhow!("{}: not a git repository (nor in one)", path.display()),
            e => anyhow::anyhow!("{}: cannot open the git repository: {e}", path.display()),
        })?;
    // gix installs a delta-base cache only with its `max-performance` features (which also bring its thread pool):
    // without one, every object at the end of a delta chain re-inflates the whole chain. This is the cache those
    // features install (64 entries, 96 MiB). An object cache was measured too and did not help: blobs are read once.
    repo.objects.set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::StaticLinkedList::<64>::default()));
    Ok(repo)
}
