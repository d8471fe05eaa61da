//! A report's scope as the registry uses it (issue #15): which earlier reports of its host it replaces, which
//! current findings it may resolve, where its findings are, and which host it belongs to.
//!
//! A host's current inventory is a set of locations, each attributed to the newest report that saw it. A report
//! resolves a current finding only where it really looked — see [`Coverage::reaches`]:
//! - every file it has a finding in (it read that file: a secret gone from it is resolved, even by a partial scan);
//! - its own scope, whatever the path (a full home scan replaces the previous home scan, a deleted user's home
//!   included) — not for `--quick`, partial or git staged/diff scans, which read only part of their scope;
//! - every canonical path under a root it scanned entirely (a fleet scan contains a home scan; a paths scan of
//!   `/home/a` contains one of `/home/a/src`), or under a known location a `--quick` scan looked at;
//! - and only the same *copy* of content: a file on disk, the git index (staged), or a commit (history) are
//!   different copies, so a working-tree scan never resolves what the index or a commit holds.
//!
//! A partial report (`complete: false`) covers only the files it has findings in. A report without `scope` (an
//! older scanner) is taken as the host's `fleet` scope — as every report replaced its host's state before scopes —
//! and covers nothing else: it replaces the fleet scope's inventory and resolves nothing in any other scope.
//!
//! Paths are compared canonically: a finding's path is mapped through its report's roots (`scope.roots[i]` is the
//! canonical form of `roots[i]`, the prefix its finding paths carry; git paths are relative to `scope.toplevel`),
//! and containment is by whole path components (`/` and an archive member's `!`).

use crate::validate::{Report, ReportScope};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Which copy of content a finding was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Copy {
    /// A file on disk (every scan but git's staged and history modes).
    File,
    /// The git index (`--git-staged`).
    Index,
    /// A commit (`--git-history`).
    History,
}

impl Copy {
    pub fn as_str(self) -> &'static str {
        match self {
            Copy::File => "file",
            Copy::Index => "index",
            Copy::History => "history",
        }
    }

    pub fn parse(s: &str) -> Copy {
        match s {
            "index" => Copy::Index,
            "history" => Copy::History,
            _ => Copy::File,
        }
    }
}

/// Scope keys longer than this are stored as a hash (a paths scan may name many roots).
const MAX_KEY: usize = 200;

/// A report's scope, read from its `scope` field (or taken as `fleet` without one).
#[derive(Debug)]
pub struct Scope {
    /// The scope's identity on its host: `fleet`, `home:/home/a`, `paths:/srv`, `git:github.com/o/r:staged`.
    pub key: String,
    /// `fleet`, `home`, `paths` or `git`.
    pub kind: &'static str,
    /// For people: `home /home/alice (quick)`.
    pub label: String,
    /// What the scan covered.
    pub reach: Reach,
    /// git: the repository (groups reports without a machine id).
    pub repository: Option<String>,
    /// Each root as finding paths show it → its canonical path.
    roots: HashMap<String, String>,
    /// git: the top level that git finding paths are relative to.
    toplevel: Option<String>,
}

impl Scope {
    pub fn of(report: &Report) -> Scope {
        match &report.scope {
            Some(s) => Self::from_field(report, s),
            None => Scope {
                key: "fleet".into(),
                kind: "fleet",
                label: "fleet (report without scope)".into(),
                reach: Reach::of(None, report.complete),
                repository: None,
                roots: HashMap::new(),
                toplevel: None,
            },
        }
    }

    fn from_field(report: &Report, s: &ReportScope) -> Scope {
        let canonical: Vec<String> = s.roots.iter().filter(|r| *r != "-").map(|r| trim(r).to_owned()).collect();
        let roots = report
            .roots
            .iter()
            .zip(&s.roots)
            .filter(|(_, c)| *c != "-")
            .map(|(shown, c)| (trim(shown).to_owned(), trim(c).to_owned()))
            .collect();
        let kind = kind_of(s);
        let (key, label) = key_and_label(kind, s, &canonical);
        Scope {
            key,
            kind,
            label,
            reach: Reach::of(Some(s), report.complete),
            repository: s.repository.clone().filter(|r| !r.is_empty()),
            roots,
            toplevel: s.toplevel.as_deref().map(|t| trim(t).to_owned()),
        }
    }

    /// A finding's path made canonical: through the root it lies under (the longest one), or the git top level.
    pub fn abs_path(&self, path: &str) -> String {
        if let Some(top) = &self.toplevel {
            if !path.starts_with('/') {
                return format!("{top}/{}", path.trim_start_matches("./"));
            }
        }
        for prefix in ancestors(path) {
            if let Some(canonical) = self.roots.get(prefix) {
                return format!("{canonical}{}", &path[prefix.len()..]);
            }
        }
        path.to_owned()
    }

    /// The host a report belongs to: (host key, host kind, name). The machine id when there is one; else, for a git
    /// scan, the repository (a CI runner or a container has a new hostname every run); else the hostname.
    pub fn host_identity(&self, report: &Report) -> (String, &'static str, String) {
        let h = &report.host;
        match (h.machine_id.as_deref().filter(|m| !m.is_empty()), &self.repository) {
            (Some(m), _) => (m.to_owned(), "machine", h.hostname.clone()),
            (None, Some(repo)) if self.kind == "git" => (format!("repository:{repo}"), "repository", repo.clone()),
            _ => (h.hostname.clone(), "machine", h.hostname.clone()),
        }
    }
}

fn kind_of(s: &ReportScope) -> &'static str {
    match s.kind.as_str() {
        "fleet" => "fleet",
        "home" => "home",
        "git" => "git",
        _ => "paths",
    }
}

/// What a report covered: which copy of content it read, whether it replaces its whole scope, and the canonical
/// paths under which it read everything. From the report's scope object alone (and whether it is complete), so it
/// can be worked out again from a stored report.
#[derive(Debug)]
pub struct Reach {
    pub copy: Copy,
    /// Resolves in its own scope whatever the path (a complete scan of the whole scope).
    pub whole_scope: bool,
    /// Canonical paths under which the scan read everything.
    pub prefixes: Vec<String>,
}

impl Reach {
    pub fn of(scope: Option<&ReportScope>, complete: bool) -> Reach {
        let Some(s) = scope else {
            // An older scanner's report: the fleet scope, replaced whole; no paths it can be said to cover.
            return Reach { copy: Copy::File, whole_scope: complete, prefixes: Vec::new() };
        };
        let kind = kind_of(s);
        let git = s.git.as_deref().unwrap_or("");
        let copy = match (kind, git) {
            ("git", "staged") => Copy::Index,
            ("git", "history") => Copy::History,
            _ => Copy::File,
        };
        let mut prefixes = Vec::new();
        if complete && kind != "git" {
            prefixes.extend(s.roots.iter().filter(|r| *r != "-").map(|r| trim(r).to_owned()));
            if s.quick {
                prefixes.extend(s.locations.iter().map(|l| trim(l).to_owned()));
            }
        }
        let whole_scope = complete && !s.quick && (kind != "git" || git == "history");
        Reach { copy, whole_scope, prefixes }
    }
}

/// The scope's key and label.
fn key_and_label(kind: &'static str, s: &ReportScope, canonical: &[String]) -> (String, String) {
    let quick = if s.quick { " (quick)" } else { "" };
    let list = |items: &[String]| {
        let mut sorted: Vec<&str> = items.iter().map(|i| trim(i)).collect();
        sorted.sort_unstable();
        sorted.dedup();
        sorted.join("\n")
    };
    let short = |items: &[String]| match items {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
    };
    let (key, label) = match kind {
        "fleet" => ("fleet".to_owned(), format!("fleet{quick}")),
        "home" => (format!("home:{}", list(&s.homes)), format!("home {}{quick}", short(&s.homes))),
        "git" => {
            let repo = s.repository.as_deref().or(s.toplevel.as_deref()).unwrap_or("");
            let mode = s.git.as_deref().unwrap_or("staged");
            let key = match (mode, &s.revision) {
                ("history", Some(rev)) => format!("git:{repo}:history:{rev}"),
                _ => format!("git:{repo}:{mode}"),
            };
            (key, format!("git {repo} {mode}"))
        }
        _ if s.quick => (format!("paths:{}", list(&s.homes)), format!("paths {}{quick}", short(&s.homes))),
        _ => (format!("paths:{}", list(canonical)), format!("paths {}", short(canonical))),
    };
    let key = if key.len() > MAX_KEY {
        let (head, _) = key.split_once(':').unwrap_or((&key, ""));
        format!("{head}:sha256:{}", hex::encode(Sha256::digest(key.as_bytes())))
    } else {
        key
    };
    (key, label)
}

/// A path without a trailing `/` (but `/` itself stays).
fn trim(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() && p.starts_with('/') {
        "/"
    } else {
        t
    }
}

/// The path and each of its ancestors, longest first: cut before every `/` and every `!` (an archive member's
/// separator). `/` itself is an ancestor of every absolute path.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let cuts = path.char_indices().filter(|(i, c)| (*c == '/' || *c == '!') && *i > 0).map(|(i, _)| i);
    let mut cuts: Vec<usize> = cuts.collect();
    cuts.reverse();
    let root = path.starts_with('/').then_some("/");
    std::iter::once(path).chain(cuts.into_iter().map(move |i| &path[..i])).chain(root)
}

/// Is `path`, or one of its ancestors, in `set`?
pub fn covered(set: &HashSet<String>, path: &str) -> bool {
    !set.is_empty() && ancestors(path).any(|a| set.contains(a))
}

/// What one report can resolve: its scope's coverage, and the files it read (those it has findings in).
pub struct Coverage {
    pub scope_id: i64,
    pub copy: Copy,
    pub whole_scope: bool,
    pub prefixes: HashSet<String>,
    pub read: HashSet<String>,
}

impl Coverage {
    /// Could this report have seen a finding of scope `scope_id`, read from `copy`, at canonical `path`?
    pub fn reaches(&self, scope_id: i64, copy: Copy, path: &str) -> bool {
        copy == self.copy
            && ((self.whole_scope && scope_id == self.scope_id)
                || self.read.contains(path)
                || covered(&self.prefixes, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(scope: serde_json::Value, roots: &[&str], complete: bool) -> Report {
        let mut r = crate::testing::report("h", "m", "2026-01-01T00:00:00Z", vec![]);
        r["roots"] = serde_json::json!(roots);
        r["complete"] = serde_json::json!(complete);
        if !scope.is_null() {
            r["scope"] = scope;
        }
        serde_json::from_value(r).unwrap()
    }

    #[test]
    fn ancestors_cut_at_components_and_archive_members() {
        let a: Vec<&str> = ancestors("/home/a/b.tgz!etc/x").collect();
        assert_eq!(a, ["/home/a/b.tgz!etc/x", "/home/a/b.tgz!etc", "/home/a/b.tgz", "/home/a", "/home", "/"]);
        assert_eq!(ancestors("./x").collect::<Vec<_>>(), ["./x", "."]);
        let set: HashSet<String> = ["/home/a".to_owned()].into();
        assert!(covered(&set, "/home/a") && covered(&set, "/home/a/.ssh/id") && !covered(&set, "/home/ab/x"));
    }

    #[test]
    fn paths_become_canonical_through_their_root() {
        let r = report(
            serde_json::json!({ "kind": "paths", "roots": ["/work/app", "/etc/hosts"] }),
            &[".", "/etc/hosts/"],
            true,
        );
        let s = Scope::of(&r);
        assert_eq!(s.abs_path("./src/.env"), "/work/app/src/.env");
        assert_eq!(s.abs_path("/etc/hosts"), "/etc/hosts");
        assert_eq!(s.abs_path("elsewhere/x"), "elsewhere/x");
        assert_eq!((s.key.as_str(), s.reach.whole_scope), ("paths:/etc/hosts\n/work/app", true));
        let git = serde_json::json!({ "kind": "git", "roots": ["/r"], "repository": "github.com/o/r",
                                      "toplevel": "/r", "git": "staged" });
        let s = Scope::of(&report(git, &["."], true));
        assert_eq!(
            (s.abs_path("src/a.env"), s.reach.copy, s.reach.whole_scope),
            ("/r/src/a.env".to_owned(), Copy::Index, false)
        );
        assert_eq!(s.key, "git:github.com/o/r:staged");
        assert!(s.reach.prefixes.is_empty(), "a staged scan reads only what is staged");
    }

    #[test]
    fn quick_partial_and_scopeless_reports_cover_less() {
        let quick = serde_json::json!({ "kind": "home", "quick": true, "roots": ["/h/.ssh"], "homes": ["/h"],
                                        "locations": ["/h/.ssh", "/h/.aws"] });
        let s = Scope::of(&report(quick.clone(), &["/h/.ssh"], true));
        assert_eq!((s.key.as_str(), s.reach.whole_scope), ("home:/h", false));
        let p = &s.reach.prefixes;
        assert!(p.contains(&"/h/.aws".to_owned()) && !p.contains(&"/h".to_owned()));
        let partial = Scope::of(&report(quick, &["/h/.ssh"], false));
        assert!(partial.reach.prefixes.is_empty() && !partial.reach.whole_scope);
        let legacy = Scope::of(&report(serde_json::Value::Null, &["."], true));
        assert_eq!((legacy.key.as_str(), legacy.reach.whole_scope, legacy.reach.prefixes.len()), ("fleet", true, 0));
    }
}
