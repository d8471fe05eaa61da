//! Exposure risk: how exposed a found credential is, from facts about its file — permission bits, owner, age, whether
//! it sits in a git working tree (and is tracked there) — and, for JWTs, expiry. None of the peers look at this;
//! it is what turns a list of matches into a list of things to fix first.
//!
//! Risks (strings in `findings[].risks`):
//! * `world-readable` — mode has o+r; `group-readable` — g+r;
//! * `permissions-too-open` — a private key whose mode allows anything beyond 0600 (what `ssh` itself refuses);
//! * `in-git-worktree` — the file is inside a git working tree; `tracked` — and git tracks it (it is in the index:
//!   committed, or staged to be); `committed` — and the secret's lines are in the file's last commit (`HEAD`), so it
//!   is in history and only rotating it helps. A tracked secret that is not `committed` was just added: a pre-commit
//!   hook has caught it in time, and taking it out of the change is enough;
//! * `in-git-history` — found in a commit by `--git-history` or `--git-diff` (set by
//!   [`crate::sources::git_history::feed`], not here: there is no file to look at);
//! * `old` — unchanged for over a year: a long-lived credential nobody rotated;
//! * `expired` / `no-expiry` — JWT `exp` in the past / absent.
use std::{
    collections::HashSet,
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

/// `path` from the current directory; a relative path not found there is taken from the top of the repository the
/// current directory is in (how `--git-staged` reports paths).
fn absolute(path: &Path) -> Option<PathBuf> {
    if path.is_absolute() {
        return Some(path.to_path_buf());
    }
    let here = std::env::current_dir().ok()?.join(path);
    if here.exists() {
        return Some(here);
    }
    let top = git_worktree(&here)?;
    let from_top = top.join(path);
    Some(if from_top.exists() { from_top } else { here })
}

/// Files larger than this in `HEAD` are not read back: a secret in one counts as committed.
const MAX_HEAD_BYTES: u64 = 4 << 20;

/// A file's place in git: looked up once per file that has findings (rare), so the hot path never stats ancestors
/// or runs git.
#[derive(Debug, Default)]
pub struct GitPlace {
    worktree: bool,
    tracked: bool,
    head: Head,
}

/// What the last commit holds of the file.
#[derive(Debug, Default)]
enum Head {
    /// Not in `HEAD` (a new file, a repository without commits) or not tracked.
    #[default]
    Absent,
    /// Hashes of its lines (a trailing `\r` dropped), to tell whether a secret's lines are committed.
    Lines(HashSet<u64>),
    /// There, but too large or unreadable: any secret in it counts as committed.
    Unknown,
}

impl GitPlace {
    /// Look up `path` (a file on this machine): its working tree, whether git tracks it, and its committed lines.
    pub fn of(path: &Path) -> GitPlace {
        let Some(abs) = absolute(path) else { return GitPlace::default() };
        let Some(top) = git_worktree(&abs) else { return GitPlace::default() };
        let Some(rel) = abs.strip_prefix(&top).ok().map(Path::to_path_buf) else {
            return GitPlace { worktree: true, ..GitPlace::default() };
        };
        let rel_text = rel.to_string_lossy().into_owned();
        let tracked = tracked_paths(&top, std::slice::from_ref(&rel_text)).contains(&rel_text);
        let head = if tracked { head_lines(&top, &rel) } else { Head::Absent };
        GitPlace { worktree: true, tracked, head }
    }

    /// The git risks of a secret at `at` in `hay` (`secret`: its bytes; a value a parser decoded is not in `hay`
    /// as such, and then its line stands for it): `in-git-worktree`, `tracked`, `committed`.
    pub fn risks(&self, hay: &[u8], at: usize, secret: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        if !self.worktree {
            return out;
        }
        out.push("in-git-worktree".to_owned());
        if !self.tracked {
            return out;
        }
        out.push("tracked".to_owned());
        let committed = match &self.head {
            Head::Absent => false,
            Head::Unknown => true,
            Head::Lines(lines) => {
                let literal = hay.get(at..).is_some_and(|h| h.starts_with(secret));
                let end = if literal { at + secret.len() } else { at };
                lines_around(hay, at, end).all(|l| lines.contains(&line_hash(l)))
            }
        };
        if committed {
            out.push("committed".to_owned());
        }
        out
    }
}

/// The whole lines holding `hay[start..end]` (at least the line of `start`).
fn lines_around(hay: &[u8], start: usize, end: usize) -> impl Iterator<Item = &[u8]> {
    let start = start.min(hay.len());
    let end = end.clamp(start, hay.len());
    let first = memchr::memrchr(b'\n', &hay[..start]).map_or(0, |p| p + 1);
    let last = memchr::memchr(b'\n', &hay[end..]).map_or(hay.len(), |p| end + p);
    hay[first..last].split(|&b| b == b'\n')
}

fn line_hash(line: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    line.strip_suffix(b"\r").unwrap_or(line).hash(&mut h);
    h.finish()
}

/// The lines of `rel` (relative to `top`) in `HEAD`: `git cat-file` with the size checked first.
fn head_lines(top: &Path, rel: &Path) -> Head {
    let mut spec = std::ffi::OsString::from("HEAD:");
    spec.push(rel.as_os_str());
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(top)
            .args(args)
            .arg(&spec)
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
    };
    let size = match git(&["cat-file", "-s"]) {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().parse::<u64>().ok(),
        // Not in HEAD (a new file, no commit yet).
        Ok(_) => return Head::Absent,
        Err(_) => None,
    };
    match size {
        Some(n) if n <= MAX_HEAD_BYTES => match git(&["cat-file", "blob"]) {
            Ok(o) if o.status.success() => Head::Lines(o.stdout.split(|&b| b == b'\n').map(line_hash).collect()),
            _ => Head::Unknown,
        },
        _ => Head::Unknown,
    }
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

    /// `committed` needs the secret's lines in the last commit: a new file, or a secret added to a committed file,
    /// is only `tracked` (a pre-commit hook caught it in time).
    #[test]
    fn committed_means_the_secret_lines_are_in_head() {
        let d = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .arg("-C")
                .arg(d.path())
                .args(["-c", "user.email=t@t.invalid", "-c", "user.name=t", "-c", "commit.gpgsign=false"])
                .args(args)
                .output()
                .unwrap()
                .status
                .success();
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q"]);
        let old = d.path().join("old.env");
        std::fs::write(&old, "A=old-secret-1\r\nKEY=-----BEGIN X-----\nabc\n-----END X-----\n").unwrap();
        git(&["add", "old.env"]);
        git(&["commit", "-q", "-m", "c"]);
        let new = d.path().join("new.env");
        std::fs::write(&new, "B=new-secret-2\n").unwrap();
        git(&["add", "new.env"]);
        std::fs::write(&old, "A=old-secret-1\r\nC=added-secret-3\nKEY=-----BEGIN X-----\nabc\n-----END X-----\n")
            .unwrap();
        let text = std::fs::read(&old).unwrap();
        let at = |s: &str| memchr::memmem::find(&text, s.as_bytes()).unwrap();
        let place = GitPlace::of(&old);
        let committed = ["in-git-worktree", "tracked", "committed"];
        assert_eq!(place.risks(&text, at("old-secret-1"), b"old-secret-1"), committed);
        assert_eq!(place.risks(&text, at("added-secret-3"), b"added-secret-3"), ["in-git-worktree", "tracked"]);
        let key = "-----BEGIN X-----\nabc\n-----END X-----";
        assert_eq!(place.risks(&text, at(key), key.as_bytes()), committed, "every line of a multi-line secret");
        // A value a parser decoded is not in the file as such: its line stands for it.
        assert_eq!(place.risks(&text, at("old-secret-1"), b"decoded"), committed);
        let new_text = std::fs::read(&new).unwrap();
        assert_eq!(GitPlace::of(&new).risks(&new_text, 2, b"new-secret-2"), ["in-git-worktree", "tracked"]);
        let loose = d.path().join("loose.env");
        std::fs::write(&loose, "D=x\n").unwrap();
        assert_eq!(GitPlace::of(&loose).risks(b"D=x\n", 2, b"x"), ["in-git-worktree"]);
    }
}
