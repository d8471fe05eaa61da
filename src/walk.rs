//! Directory walking: the `ignore` crate's parallel walker, configured for endpoints.
//!
//! Defaults differ from ripgrep's on purpose: hidden files are walked (`.env`, `.ssh`, `.aws` are the point), ignore
//! files are off unless `--respect-gitignore` (then exactly git's rules: `.gitignore` in nested directories, the
//! repository's `info/exclude` and the global excludes file, only inside git repositories), links are not followed
//! (when they are, `ignore` detects loops), and each root's filesystem is not left unless `--cross-filesystems`
//! (decided from the mount table where that is safe, see [`mounts`]).
use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

use anyhow::{Context, Result};
use ignore::{overrides::OverrideBuilder, WalkBuilder, WalkParallel};

use crate::config::ScanConfig;

mod mounts;

/// Directories of kernel pseudo-filesystems: reading their files can block, or never end.
const PSEUDO_ROOTS: &[&str] = &["/proc", "/sys", "/dev"];

/// A parallel walker over the path roots, ready to run.
pub struct Walk {
    pub walker: WalkParallel,
    /// Directories the walker left out because they are on another filesystem (counted as directories, as when the
    /// walker's own check left them unread).
    pub crossed: Arc<AtomicU64>,
}

/// Build the parallel walker over the path roots.
pub fn build(cfg: &ScanConfig, roots: &[PathBuf], excludes: &[String]) -> Result<Walk> {
    let mut b = WalkBuilder::new(&roots[0]);
    for r in &roots[1..] {
        b.add(r);
    }
    let git = cfg.respect_gitignore;
    b.standard_filters(false)
        .hidden(false)
        .ignore(false)
        .parents(git)
        .git_ignore(git)
        .git_global(git)
        .git_exclude(git)
        .require_git(true)
        .follow_links(cfg.follow_symlinks)
        .threads(cfg.threads);
    let crossed = Arc::new(AtomicU64::new(0));
    let fence = if cfg.cross_filesystems || cfg.follow_symlinks { None } else { mounts::Fence::new(roots) };
    b.same_file_system(!cfg.cross_filesystems && fence.is_none());
    if let Some(fence) = fence {
        let (crossed, default_excludes) = (crossed.clone(), cfg.default_excludes);
        b.filter_entry(move |e| {
            if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) || !fence.crosses(e.path()) {
                return true;
            }
            // The visitor skips and counts these under their own reason, as it did when the walker checked devices.
            if is_pseudo_fs(e.path()) || default_excludes && crate::excludes::skip_dir(e.path(), e.file_name()) {
                return true;
            }
            crossed.fetch_add(1, Ordering::Relaxed);
            false
        });
    }
    if !excludes.is_empty() {
        // Overrides are matched relative to each root; a "!glob" override excludes what it matches.
        let mut ob = OverrideBuilder::new("/");
        for g in excludes {
            ob.add(&format!("!{g}")).with_context(|| format!("--exclude: invalid glob '{g}'"))?;
        }
        b.overrides(ob.build().context("--exclude: invalid globs")?);
    }
    Ok(Walk { walker: b.build_parallel(), crossed })
}

/// True for `/proc`, `/sys`, `/dev` and anything below them, however the path is spelled (`./proc` from `/`,
/// `//proc`, a symlink): the path is resolved first. For a root, or a path the walker did not find itself.
pub fn is_pseudo_fs(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|canon| PSEUDO_ROOTS.iter().any(|r| canon.starts_with(r)))
}

/// [`is_pseudo_fs`] for an entry of the walk, resolving only what can be in a pseudo-filesystem when its parent is
/// not: a root (any alias, `/tmp/p -> /proc` included), an entry reached through a symlink, and a directory named
/// `proc`, `sys` or `dev`. Any other entry is not in one: its parent was walked, so it was not in one either, and
/// without a link the entry is where its parent is. Resolving every directory under a folder of those names made a
/// 2,000-level tree below `proc/` take 42 s (issue #16).
pub fn is_pseudo_fs_entry(entry: &ignore::DirEntry) -> bool {
    let ft = entry.file_type();
    let named = ft.is_some_and(|t| t.is_dir()) && matches!(entry.file_name().to_str(), Some("proc" | "sys" | "dev"));
    // A link the walker does not follow has the type of a link, and is skipped as one.
    let followed_link = entry.path_is_symlink() && !ft.is_some_and(|t| t.is_symlink());
    (entry.depth() == 0 || followed_link || named) && is_pseudo_fs(entry.path())
}

/// The path and a one-line reason of a walk error.
pub fn describe(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), describe(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => describe(err),
        ignore::Error::Loop { ancestor, child } => {
            (Some(child.clone()), format!("symlink loop (points back to {})", ancestor.display()))
        }
        // The walker only resolves a link it follows: ELOOP here is a loop, not a link left alone.
        #[cfg(unix)]
        ignore::Error::Io(e) if e.raw_os_error() == Some(libc::ELOOP) => (None, crate::reason::SYMLINK_LOOP.into()),
        ignore::Error::Io(e) => (None, crate::reason::io_reason(e)),
        ignore::Error::Partial(errs) => errs.first().map_or((None, "partial error".into()), describe),
        other => (None, other.to_string()),
    }
}
