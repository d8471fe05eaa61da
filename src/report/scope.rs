//! The report's `scope`: what a scan covered and how, computed once from the scan configuration ([`of`]).
//!
//! A registry keeps one inventory per (host, scope) and resolves a credential only when a later report that covered
//! its place no longer has it (issue #15: a repository scan uploaded from a laptop used to erase the laptop's whole
//! home inventory). So the report says which scope it is — `fleet` (`--all-users`), `home` (`--home`), `paths` (the
//! PATHs given) or `git` (a repository) — and what it covered: the canonical path of every root (finding paths keep
//! the form the roots were given in; a registry maps them through these), every known credential location a
//! `--quick` scan looked at, present or not (a location that is gone is covered too), and for a git scan the
//! repository's identity and top level. The schema is `scope` in `schema/report.schema.json`.
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{GitHistory, GitScope, Root, ScanConfig};

/// Which scope a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Fleet,
    Home,
    Paths,
    Git,
}

/// What a git scan read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitMode {
    Staged,
    Diff,
    /// `--git-history`.
    History,
}

/// The `scope` object of a report.
#[derive(Debug, Clone, Serialize)]
pub struct Scope {
    pub kind: Kind,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub quick: bool,
    /// The canonical absolute path of each of the report's `roots`, in the same order (`-` for standard input).
    pub roots: Vec<String>,
    /// fleet, home: the canonical home directories; with `--quick` on PATHs, those PATHs (taken as homes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub homes: Vec<String>,
    /// `--quick`: every known credential location looked at under each home (canonical home + location).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    /// git: the origin's URL without scheme, user or password, else the top-level path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// git: the canonical top level; a git scan's finding paths are relative to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toplevel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitMode>,
    /// git diff: the revision given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// The scope of a scan run with `cfg`; `toplevel` is the repository's top level for a git scan (the plan found it).
pub fn of(cfg: &ScanConfig, toplevel: Option<&Path>) -> Scope {
    let (git, revision) = match &cfg.git {
        Some(GitScope::Staged) => (Some(GitMode::Staged), None),
        Some(GitScope::Diff(rev)) => (Some(GitMode::Diff), Some(rev.clone())),
        Some(GitScope::History(h)) => (Some(GitMode::History), history_revision(h)),
        None => (None, None),
    };
    let kind = match () {
        _ if git.is_some() => Kind::Git,
        _ if cfg.all_users => Kind::Fleet,
        _ if !cfg.homes.is_empty() => Kind::Home,
        _ => Kind::Paths,
    };
    let roots = cfg
        .roots
        .iter()
        .map(|r| match r {
            Root::Path(p) => text(&canonical(p)),
            Root::Stdin => "-".to_owned(),
        })
        .collect();
    let homes: Vec<PathBuf> = if cfg.homes.is_empty() {
        cfg.quick_bases.iter().map(|b| canonical(b)).collect()
    } else {
        cfg.homes.iter().map(|h| canonical(&h.path)).collect()
    };
    let locations = if cfg.quick {
        homes.iter().flat_map(|base| crate::targets::QUICK_PATHS.iter().map(move |rel| text(&base.join(rel)))).collect()
    } else {
        Vec::new()
    };
    let top = toplevel.filter(|_| git.is_some()).map(canonical);
    Scope {
        kind,
        quick: cfg.quick,
        roots,
        homes: homes.iter().map(|h| text(h)).collect(),
        locations,
        repository: top.as_deref().map(|t| origin(t).unwrap_or_else(|| text(t))),
        toplevel: top.as_deref().map(text),
        git,
        revision,
    }
}

/// A history scan's `revision`: the branches given and the `--since` bound, so that a narrowed history scan is a
/// scope of its own and never resolves what only a whole-history scan covered. `None`: every ref, all of time.
fn history_revision(h: &GitHistory) -> Option<String> {
    let mut parts = h.branches.clone();
    if let Some(since) = h.since {
        parts.push(format!("--since={since}"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The path with symlinks resolved; a path that cannot be resolved (gone since the scan began) made absolute.
fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).or_else(|_| std::path::absolute(p)).unwrap_or_else(|_| p.to_path_buf())
}

fn text(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The repository's `origin` remote, normalised by [`repository_name`]; `None` without one (or without git).
fn origin(top: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["config", "--get", "remote.origin.url"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let url = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| repository_name(url.trim())).flatten()
}

/// A remote URL as a repository's name: no scheme, no user or password (a token in an HTTPS remote must never reach
/// a report), no query, no `.git`; scp-like `git@host:org/repo` becomes `host/org/repo`, so the SSH and HTTPS
/// remotes of one repository (a developer's clone, a CI runner's) give the same name.
pub fn repository_name(url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let (rest, scp) = match url.split_once("://") {
        Some((_, rest)) => (rest, false),
        None => (url, true),
    };
    // User info ends at the last '@' before the path.
    let path_start = rest.find('/').unwrap_or(rest.len());
    let rest = match rest[..path_start].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    let rest = match rest.split_once(':') {
        // `host:org/repo` (scp-like, no scheme); a `host:port/` after a scheme keeps its port.
        Some((host, path)) if scp && !host.contains('/') && !host.is_empty() => format!("{host}/{path}"),
        _ => rest.to_owned(),
    };
    let name = rest.trim_end_matches('/');
    let name = name.strip_suffix(".git").unwrap_or(name).trim_end_matches('/');
    (!name.is_empty()).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::repository_name;

    #[test]
    fn remotes_become_names_without_credentials() {
        for (url, name) in [
            ("https://github.com/org/repo.git", "github.com/org/repo"),
            ("git@github.com:org/repo.git", "github.com/org/repo"),
            ("ssh://git@github.com/org/repo", "github.com/org/repo"),
            ("https://x-access-token:tok123@github.com/org/repo.git", "github.com/org/repo"),
            ("https://user@gitlab.example:8443/group/sub/repo.git/", "gitlab.example:8443/group/sub/repo"),
            ("https://github.com/org/repo?x=1", "github.com/org/repo"),
            ("/srv/git/repo.git", "/srv/git/repo"),
            ("file:///srv/git/repo.git", "/srv/git/repo"),
        ] {
            assert_eq!(repository_name(url).as_deref(), Some(name), "{url}");
        }
        assert_eq!(repository_name(""), None);
    }
}
