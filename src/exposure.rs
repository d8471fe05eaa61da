//! Exposure risk: how exposed a found credential is, from facts about its file — permission bits, owner, age, whether
//! it sits in a git working tree (and is tracked there) — and, for JWTs, expiry. None of the peers look at this;
//! it is what turns a list of matches into a list of things to fix first.
//!
//! Risks (strings in `findings[].risks`):
//! * `world-readable` — mode has o+r; `group-readable` — g+r;
//! * `permissions-too-open` — a private key whose mode allows anything beyond 0600 (what `ssh` itself refuses);
//! * `in-git-worktree` — the file is inside a git working tree; `tracked` — and git tracks it (it is in history);
//! * `in-git-history` — found in a commit by `--git-history` or `--git-diff` (set by
//!   [`crate::sources::git_history::feed`], not here: there is no file to look at);
//! * `old` — unchanged for over a year: a long-lived credential nobody rotated;
//! * `expired` / `no-expiry` — JWT `exp` in the past / absent.
use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::{read::FileMeta, validate::Validation};

const YEAR: i64 = 365 * 24 * 3600;

/// Risks that follow from the file's metadata and the finding's validation (no I/O).
pub fn risks(kind: &str, meta: Option<&FileMeta>, validation: Validation, now: i64) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = meta.filter(|m| m.mode != 0) {
        if m.mode & 0o004 != 0 {
            out.push("world-readable".to_owned());
        }
        if m.mode & 0o040 != 0 {
            out.push("group-readable".to_owned());
        }
        if kind == "private-key" && m.mode & 0o077 != 0 {
            out.push("permissions-too-open".to_owned());
        }
    }
    if let Some(m) = meta.filter(|m| m.mtime != 0) {
        if now - m.mtime > YEAR {
            out.push("old".to_owned());
        }
    }
    match validation {
        Validation::Expired => out.push("expired".to_owned()),
        Validation::NoExpiry => out.push("no-expiry".to_owned()),
        _ => {}
    }
    out
}

/// The working tree a path sits in: the nearest ancestor holding `.git` (a directory, or a file for worktrees and
/// submodules).
pub fn git_worktree(path: &Path) -> Option<PathBuf> {
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    abs.ancestors().skip(1).find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// `in-git-worktree`, plus `tracked` when git tracks the file. Runs only for files that have findings (rare), so the
/// hot path never stats ancestors or runs git.
pub fn git_risks(path: &Path) -> Vec<String> {
    let Some(top) = git_worktree(path) else { return Vec::new() };
    let mut out = vec!["in-git-worktree".to_owned()];
    let abs =
        if path.is_absolute() { Some(path.to_path_buf()) } else { std::env::current_dir().ok().map(|d| d.join(path)) };
    if let Some(rel) = abs.as_deref().and_then(|a| a.strip_prefix(&top).ok()) {
        let rel = rel.to_string_lossy().into_owned();
        if tracked_paths(&top, std::slice::from_ref(&rel)).contains(&rel) {
            out.push("tracked".to_owned());
        }
    }
    out
}

/// Which of these paths (relative to `top`) git tracks. Empty when git is missing or fails: absence of proof.
fn tracked_paths(top: &Path, rel: &[String]) -> Vec<String> {
    if rel.is_empty() {
        return Vec::new();
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["ls-files", "-z", "--"])
        .args(rel.iter().map(|r| format!(":(literal){r}")))
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => o
            .stdout
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(mode: u32, mtime: i64) -> FileMeta {
        FileMeta { size: 1, mode, uid: 0, gid: 0, mtime }
    }

    #[test]
    fn permission_and_age_risks() {
        let now = 10 * YEAR;
        let r = risks("private-key", Some(&meta(0o644, now - 2 * YEAR)), Validation::NotApplicable, now);
        assert_eq!(r, ["world-readable", "group-readable", "permissions-too-open", "old"]);
        assert!(risks("private-key", Some(&meta(0o600, now)), Validation::NotApplicable, now).is_empty());
        let r = risks("private-key", Some(&meta(0o620, now)), Validation::NotApplicable, now);
        assert_eq!(r, ["permissions-too-open"], "group write is too open for ssh, though not readable");
        assert_eq!(risks("access-token", Some(&meta(0o640, now)), Validation::NotApplicable, now), ["group-readable"]);
        assert_eq!(risks("jwt", None, Validation::Expired, now), ["expired"]);
        assert_eq!(risks("jwt", None, Validation::NoExpiry, now), ["no-expiry"]);
    }
}
