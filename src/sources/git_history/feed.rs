//! Git blobs into the scanner: `--git-history` (every blob of the history, once) and `--git-diff REV` (the lines the
//! commits in `REV..HEAD` added), read by [`super::visit`] and scanned by the same [`Scanner`] as files, so a `.env`
//! committed years ago is parsed as a `.env`.
//!
//! Each blob becomes an [`Input`] named by its repository path (which decides the format), with the commit that
//! introduced it as provenance and, in diff mode, its added lines as the scope. Its findings are then deduplicated:
//! a secret that stays in a file across many commits is in many blobs, and is one finding at that path, attributed
//! to the earliest commit (the reader visits commits parents first, so the first blob that yields a location id is
//! the earliest). Memory: one location id per distinct finding. Every finding gets the `in-git-history` risk:
//! deleting the file does not remove it from the clones.
//!
//! Blobs are scanned on the walking thread, one at a time. Handing them to worker threads (the walk cannot be
//! shared: a gix repository handle is not `Sync`) means copying each blob into a bounded channel and putting the
//! results back in walk order. That variant was built and measured against this one (it is in the history of
//! `src/sources/git_history/pool.rs`) on generated repositories, 2 threads on a loaded 2-core machine: 5,252 commits
//! (7,260 blobs, 11 MB): CPU 0.16 s inline vs 0.21–0.24 s, median wall 0.80 vs 0.96–1.20 s; 3,147 commits of 60 KB
//! files (281 MB): CPU 0.89 vs 0.94–0.96 s, median wall 2.46 vs 2.83–3.74 s; 105k commits (140k blobs, 244 MB): CPU
//! 6.6–6.9 vs 9.0–9.1 s, wall 25–31 vs 36–45 s. Reading (tree diffs, inflating) is most of the work and stays on one
//! thread either way; the scanner's share is small, so the copies and the synchronisation cost more than the
//! overlap gains, and inline keeps memory at one blob.
//!
//! [`Scanner`]: crate::scanner::Scanner
use std::{
    collections::{hash_map::Entry, HashMap, HashSet},
    ops::ControlFlow,
    path::Path,
    sync::Arc,
};

use anyhow::{Context, Result};
use crossbeam_channel::Sender;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{CommitInfo, Options, Stats};
use crate::{
    read::{self, SkipReason},
    report::{Finding, GitStats, Provenance, ReferenceEntry},
    scanner::{Input, Scanned},
    sources::{Feed, Msg, Shared, Worker},
};

/// The risk every finding from git gets: it is in a commit, so in every clone, whatever the working tree says now.
pub const IN_GIT_HISTORY: &str = "in-git-history";

/// What a git scan reads, besides what every source shares.
pub struct Request<'a> {
    /// The repository (its work tree, a directory in it, its `.git`, or a bare repository).
    pub repo: &'a Path,
    /// History or diff mode, refs, `--since`; `max_blob_size` is the scan's `--max-file-size`.
    pub options: Options,
    /// `--exclude` and the repository configuration's `exclude`: gitignore globs matched on repository paths.
    pub excludes: &'a [String],
}

/// Scan the blobs of `req` and send their findings, deduplicated, to the writer. Errors: the repository or a
/// revision cannot be found (one line); problems with single objects are listed in the report's `errors`.
pub fn scan(shared: &Arc<Shared>, tx: &Sender<Msg>, req: &Request<'_>) -> Result<GitStats> {
    let excludes = excludes(req.excludes)?;
    let mut worker = Worker::new(shared.clone(), tx.clone());
    let mut dedupe = Dedupe::default();
    let mut commit = Commit::default();
    // Blobs in visiting order (parents first): which blob a finding came from.
    let (mut seq, mut scanned) = (0u64, 0u64);
    let stats = super::visit(req.repo, &req.options, |blob| {
        let path = blob.path();
        if shared.limits.check(&path).is_some() {
            return ControlFlow::Break(());
        }
        if excludes.matched_path_or_any_parents(&path, false).is_ignore() {
            worker.feed.skip_file(SkipReason::Excluded);
            return ControlFlow::Continue(());
        }
        shared.limits.add_bytes(blob.data.len() as u64);
        seq += 1;
        let mut input = Input::new(&path);
        input.origin.provenance = Some(commit.of(blob.commit));
        input.scope.lines = blob.added_lines;
        if let Some(found) = scan_blob(&mut worker.feed, &input, blob.data) {
            scanned += 1;
            dedupe.forward(&mut worker.feed, found, seq);
        }
        ControlFlow::Continue(())
    })?;
    Ok(finish(&mut worker.feed, req.repo, &stats, scanned))
}

/// Count one blob and scan it, with the size and binary checks a file gets. `None` when it was skipped.
fn scan_blob(feed: &mut Feed, input: &Input<'_>, data: &[u8]) -> Option<Scanned> {
    feed.counters.files_seen += 1;
    feed.unsent += 1;
    match read::skip_reason(data, feed.shared.max_file_size) {
        // A credential store a parser reads despite its binary content (as for a file on disk).
        Some(SkipReason::Binary) if input.binary_store() => {}
        Some(why) => {
            feed.skip(why);
            feed.flush_if_due();
            return None;
        }
        None => {}
    }
    feed.counters.files_scanned += 1;
    feed.counters.bytes_scanned += data.len() as u64;
    let scanned = feed.shared.scanner.scan_bytes(input, data, &mut feed.scratch);
    for (t, n) in feed.counters.suppressed.iter_mut().zip(scanned.suppressed) {
        *t += n;
    }
    feed.flush_if_due();
    Some(scanned)
}

/// The findings already sent, by location id, with the blob (its place in the walk) that gave them: a later blob's
/// finding with the same id is the same secret at the same path in a later version, and is dropped. References
/// likewise, by path and reference.
#[derive(Default)]
struct Dedupe {
    findings: HashMap<String, u64>,
    references: HashSet<(String, String)>,
}

impl Dedupe {
    /// Send what is new in `found` (from blob `key`) to the writer.
    fn forward(&mut self, feed: &mut Feed, found: Scanned, blob: u64) {
        let Scanned { mut findings, mut references, .. } = found;
        findings.retain(|f| match self.findings.entry(f.id.clone()) {
            // The same secret twice in one blob: two places in that version, both reported, as for a file.
            Entry::Occupied(e) => *e.get() == blob,
            Entry::Vacant(e) => {
                e.insert(blob);
                true
            }
        });
        references.retain(|r| self.references.insert((r.path.clone(), r.reference.clone())));
        for f in &mut findings {
            mark(f);
        }
        send(feed, findings, references);
    }
}

/// Add the `in-git-history` risk.
fn mark(f: &mut Finding) {
    if !f.risks.iter().any(|r| r == IN_GIT_HISTORY) {
        f.risks.push(IN_GIT_HISTORY.to_owned());
    }
}

/// Hand findings and references to the writer, counters first (as [`Feed::scan`] does).
fn send(feed: &mut Feed, findings: Vec<Finding>, references: Vec<ReferenceEntry>) {
    if findings.is_empty() && references.is_empty() {
        return;
    }
    feed.flush();
    if !references.is_empty() {
        let _ = feed.tx.send(Msg::References(references));
    }
    if !findings.is_empty() {
        let _ = feed.tx.send(Msg::Findings(findings));
    }
}

/// The provenance of the commit being read, built once per commit (blobs arrive commit by commit).
#[derive(Default)]
struct Commit {
    current: Option<Provenance>,
}

impl Commit {
    fn of(&mut self, c: &CommitInfo) -> &Provenance {
        if self.current.as_ref().is_none_or(|p| p.commit.as_deref() != Some(c.id.as_str())) {
            self.current = Some(provenance(c));
        }
        self.current.as_ref().expect("just set")
    }
}

/// A commit as report provenance: full id, `Name <email>`, the author date in UTC.
pub fn provenance(c: &CommitInfo) -> Provenance {
    let author = match (c.author.is_empty(), c.email.is_empty()) {
        (_, true) => c.author.clone(),
        (true, false) => format!("<{}>", c.email),
        (false, false) => format!("{} <{}>", c.author, c.email),
    };
    Provenance { commit: Some(c.id.clone()), author: Some(author), date: Some(crate::report::rfc3339(c.time)) }
}

/// The exclude globs as a gitignore matcher over repository paths (a directory glob covers what is below it).
fn excludes(globs: &[String]) -> Result<Gitignore> {
    let mut b = GitignoreBuilder::new("");
    // As the walk's overrides do: `a[` is a mistake to report, not a literal.
    b.allow_unclosed_class(false);
    for g in globs {
        b.add_line(None, g).with_context(|| format!("--exclude: invalid glob '{g}'"))?;
    }
    b.build().context("--exclude: invalid globs")
}

/// Fold the reader's counts into the report: blobs over the size limit and symbolic links as skipped files, object
/// errors as listed errors (under the repository's path; the message names the object and its path).
fn finish(feed: &mut Feed, repo: &Path, stats: &Stats, scanned: u64) -> GitStats {
    for _ in 0..stats.too_large {
        feed.skip_file(SkipReason::TooLarge);
    }
    for _ in 0..stats.symlinks {
        feed.skip_file(SkipReason::Symlink);
    }
    for m in &stats.error_messages {
        feed.error(Some(repo), m.clone());
    }
    feed.counters.errors += stats.errors.saturating_sub(stats.error_messages.len() as u64);
    feed.flush();
    GitStats { commits: stats.commits, blobs_seen: stats.blobs_seen, blobs_scanned: scanned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_names_the_author_with_email_and_the_date_in_utc() {
        let c = CommitInfo {
            id: "a".repeat(40),
            author: "Ada Tester".into(),
            email: "ada@example.test".into(),
            date: "2021-03-04T05:06:07+02:00".into(),
            time: 1_614_827_167,
        };
        let p = provenance(&c);
        assert_eq!(p.commit.as_deref(), Some(c.id.as_str()));
        assert_eq!(p.author.as_deref(), Some("Ada Tester <ada@example.test>"));
        assert_eq!(p.date.as_deref(), Some("2021-03-04T03:06:07Z"));
        let p = provenance(&CommitInfo { email: String::new(), ..c.clone() });
        assert_eq!(p.author.as_deref(), Some("Ada Tester"));
        let p = provenance(&CommitInfo { author: String::new(), ..c });
        assert_eq!(p.author.as_deref(), Some("<ada@example.test>"));
    }

    #[test]
    fn excludes_match_repository_paths_and_what_is_below_a_directory() {
        let ex = excludes(&["vendor/".into(), "*.min.js".into(), "/docs/secret.txt".into()]).unwrap();
        let hit = |p: &str| ex.matched_path_or_any_parents(p, false).is_ignore();
        assert!(hit("vendor/lib/a.py") && hit("src/vendor/x") && hit("web/app.min.js") && hit("docs/secret.txt"));
        assert!(!hit("src/app.js") && !hit("vendored.txt") && !hit("sub/docs/secret.txt"));
        assert!(excludes(&["a[".into()]).is_err(), "an invalid glob is an error");
        assert!(!excludes(&[]).unwrap().matched_path_or_any_parents("x", false).is_ignore());
    }
}
