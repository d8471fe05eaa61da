//! Repositories built with the `git` CLI in temporary directories, read back through [`visit`]. Secrets are
//! synthetic (a random body generated per run), so a test can only pass by finding the bytes it planted.
// A one-element list of line ranges is meant: these are sets of lines, not a range to collect.
#![allow(clippy::single_range_in_vec_init)]
use std::{
    cell::Cell,
    ops::{ControlFlow, Range},
    path::{Path, PathBuf},
    process::Command,
};

use super::*;

/// A token-shaped synthetic secret: a known prefix and a random body.
fn secret() -> String {
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes).unwrap();
    format!("ghp_{}", hex::encode(bytes))
}

/// A repository under construction; commit dates advance by a minute per commit from 2021-01-01.
struct Repo {
    _dir: tempfile::TempDir,
    path: PathBuf,
    clock: Cell<i64>,
}

const START: i64 = 1_609_459_200; // 2021-01-01T00:00:00Z

fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada Tester")
        .env("GIT_AUTHOR_EMAIL", "ada@example.test")
        .env("GIT_COMMITTER_NAME", "Ada Tester")
        .env("GIT_COMMITTER_EMAIL", "ada@example.test")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

impl Repo {
    fn init() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("repo");
        std::fs::create_dir(&path).unwrap();
        git_in(&path, &["init", "-q", "-b", "main"]);
        Repo { _dir: dir, path, clock: Cell::new(START) }
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(&self.path, args)
    }

    fn write(&self, rel: &str, content: &str) {
        let file = self.path.join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path.join(rel)).unwrap();
    }

    /// Commit everything in the work tree; returns the commit id.
    fn commit(&self, message: &str) -> String {
        let when = self.tick();
        self.git(&["add", "-A"]);
        let date = format!("@{when} +0000");
        let out = Command::new("git")
            .args(["-c", "user.name=Ada Tester", "-c", "user.email=ada@example.test"])
            .args(["commit", "-q", "--allow-empty", "-m", message])
            .current_dir(&self.path)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(out.status.success(), "commit: {}", String::from_utf8_lossy(&out.stderr));
        self.git(&["rev-parse", "HEAD"])
    }

    fn tick(&self) -> i64 {
        self.clock.set(self.clock.get() + 60);
        self.clock.get()
    }
}

/// What the callback saw, copied out of the borrow.
#[derive(Debug, Clone)]
struct Seen {
    path: Vec<u8>,
    id: String,
    data: Vec<u8>,
    commit: CommitInfo,
    added: Option<Vec<Range<u32>>>,
}

impl Seen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }

    /// The 1-based lines of this blob that were reported as added (every line in history mode).
    fn added_text(&self) -> Vec<String> {
        let text = self.text();
        let lines = text.lines().enumerate();
        lines
            .filter(|(i, _)| self.added.as_ref().is_none_or(|r| lines::contains(r, *i as u32 + 1)))
            .map(|(_, l)| l.to_owned())
            .collect()
    }
}

fn run(path: &Path, opts: &Options) -> (Vec<Seen>, Stats) {
    let mut seen = Vec::new();
    let stats = visit(path, opts, |b| {
        seen.push(Seen {
            path: b.path.to_vec(),
            id: b.id.to_owned(),
            data: b.data.to_vec(),
            commit: b.commit.clone(),
            added: b.added_lines.map(<[_]>::to_vec),
        });
        ControlFlow::Continue(())
    })
    .unwrap();
    (seen, stats)
}

fn history(path: &Path) -> (Vec<Seen>, Stats) {
    run(path, &Options::default())
}

fn diff(path: &Path, rev: &str) -> (Vec<Seen>, Stats) {
    run(path, &Options { range: Some(rev.to_owned()), ..Options::default() })
}

fn containing<'a>(seen: &'a [Seen], needle: &str) -> Vec<&'a Seen> {
    seen.iter().filter(|s| s.text().contains(needle)).collect()
}

#[test]
fn a_secret_added_then_deleted_is_visited_once_with_the_commit_that_introduced_it() {
    let repo = Repo::init();
    let token = secret();
    repo.write("README.md", "hello\n");
    repo.commit("readme");
    repo.write(".env", &format!("GITHUB_TOKEN={token}\n"));
    let introduced = repo.commit("add env");
    repo.remove(".env");
    repo.commit("oops, remove env");
    repo.write("README.md", "hello again\n");
    repo.commit("readme 2");
    assert!(!repo.path.join(".env").exists(), "the secret is only in history");

    let (seen, stats) = history(&repo.path);
    let hits = containing(&seen, &token);
    assert_eq!(hits.len(), 1, "{seen:#?}");
    let hit = hits[0];
    assert_eq!(hit.path, b".env");
    assert_eq!(hit.commit.id, introduced);
    assert_eq!(hit.commit.author, "Ada Tester");
    assert_eq!(hit.commit.email, "ada@example.test");
    assert_eq!(hit.commit.time, START + 120);
    assert_eq!(hit.commit.date, "2021-01-01T00:02:00+00:00");
    assert_eq!(hit.id, repo.git(&["rev-parse", &format!("{introduced}:.env")]));
    assert_eq!(hit.added, None, "history mode scans whole blobs");
    assert_eq!((stats.commits, stats.blobs_seen, stats.blobs_visited), (4, 3, 3));
    assert_eq!((stats.errors, stats.too_large, stats.stopped), (0, 0, false), "{stats:?}");
    assert_eq!(stats.bytes_visited, seen.iter().map(|s| s.data.len() as u64).sum::<u64>());
}

#[test]
fn the_author_date_keeps_its_offset() {
    let repo = Repo::init();
    repo.write("a.txt", "a\n");
    repo.git(&["add", "-A"]);
    let out = Command::new("git")
        .args(["-c", "user.name=Bo", "-c", "user.email=bo@example.test", "commit", "-q", "-m", "m"])
        .current_dir(&repo.path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bø Ünicode")
        .env("GIT_AUTHOR_EMAIL", "bo@example.test")
        .env("GIT_AUTHOR_DATE", "2022-06-30T23:15:00+05:30")
        .output()
        .unwrap();
    assert!(out.status.success());
    let (seen, _) = history(&repo.path);
    assert_eq!(seen[0].commit.date, "2022-06-30T23:15:00+05:30");
    assert_eq!(seen[0].commit.author, "Bø Ünicode");
}

#[test]
fn a_blob_on_several_paths_and_branches_is_visited_once_at_its_first_commit() {
    let repo = Repo::init();
    let token = secret();
    let content = format!("api_key = \"{token}\"\n");
    repo.write("README.md", "base\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("a/config.toml", &content);
    let first = repo.commit("feature adds config");
    repo.write("b/copy.toml", &content);
    repo.commit("feature copies it");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("c/again.toml", &content);
    repo.commit("main adds the same content later");
    repo.git(&["merge", "-q", "--no-edit", "feature"]);

    let (seen, stats) = history(&repo.path);
    let hits = containing(&seen, &token);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!((hits[0].path.as_slice(), hits[0].commit.id.as_str()), (&b"a/config.toml"[..], first.as_str()));
    let mut ids: Vec<&str> = seen.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), seen.len(), "no blob id is visited twice");
    assert_eq!(stats.commits, 5);
}

#[test]
fn branch_and_since_narrow_the_walk() {
    let repo = Repo::init();
    let (old, on_main, on_side) = (secret(), secret(), secret());
    repo.write("old.env", &format!("T={old}\n"));
    repo.commit("old");
    let cutoff = repo.clock.get() + 30;
    repo.write("main.env", &format!("T={on_main}\n"));
    repo.commit("main");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("side.env", &format!("T={on_side}\n"));
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);

    repo.git(&["tag", "tree-tag", "HEAD^{tree}"]); // a ref that leads to no commit
    let (all, stats) = history(&repo.path);
    assert_eq!((stats.refs_skipped, stats.errors), (1, 0), "{stats:?}");
    assert!([&old, &on_main, &on_side].iter().all(|t| containing(&all, t).len() == 1));

    let (main_only, _) = run(&repo.path, &Options { refs: vec!["main".into()], ..Options::default() });
    assert_eq!(containing(&main_only, &on_main).len(), 1);
    assert_eq!(containing(&main_only, &old).len(), 1);
    assert!(containing(&main_only, &on_side).is_empty(), "side is not reachable from main");

    let (recent, stats) = run(&repo.path, &Options { since: Some(cutoff), ..Options::default() });
    assert_eq!(stats.commits, 2);
    assert!(containing(&recent, &old).is_empty(), "the old commit is before --since");
    assert_eq!(containing(&recent, &on_main).len(), 1);
    assert_eq!(containing(&recent, &on_side).len(), 1);
    assert!(recent.iter().all(|s| s.commit.time >= cutoff));

    let err = visit(&repo.path, &Options { refs: vec!["no-such-branch".into()], ..Options::default() }, |_| {
        ControlFlow::Continue(())
    })
    .unwrap_err();
    assert!(format!("{err:#}").contains("unknown revision 'no-such-branch'"), "{err:#}");
}

#[test]
fn diff_mode_reports_lines_added_in_the_range_only() {
    let repo = Repo::init();
    let (before, in_range, transient) = (secret(), secret(), secret());
    repo.write("app.env", &format!("OLD={before}\nNAME=app\n"));
    let base = repo.commit("base");
    repo.write("app.env", &format!("OLD={before}\nNAME=app\nNEW={in_range}\n"));
    repo.commit("add a line");
    repo.write("tmp.env", &format!("X={transient}\n"));
    repo.commit("add a temporary file");
    repo.remove("tmp.env");
    repo.write("app.env", &format!("OLD={before}\nNAME=app2\n"));
    repo.commit("remove both");

    let (seen, stats) = diff(&repo.path, &base);
    assert_eq!(stats.commits, 3, "REV itself is not in REV..HEAD");
    let added: Vec<String> = seen.iter().flat_map(Seen::added_text).collect();
    assert!(added.contains(&format!("NEW={in_range}")), "{added:?}");
    assert!(added.contains(&format!("X={transient}")), "added and removed inside the range is found");
    assert!(added.contains(&"NAME=app2".to_owned()));
    assert!(!added.iter().any(|l| l.contains(&before)), "a secret older than REV is not an added line: {added:?}");
    // The old secret is in the blobs (they are whole files) but never on an added line.
    assert!(!containing(&seen, &before).is_empty());
    let new_line = seen.iter().find(|s| s.text().contains(&in_range)).unwrap();
    assert_eq!(new_line.added, Some(vec![3..4]));

    let explicit = diff(&repo.path, &format!("{base}..HEAD")).0;
    assert_eq!(explicit.iter().map(|s| &s.id).collect::<Vec<_>>(), seen.iter().map(|s| &s.id).collect::<Vec<_>>());
    let symmetric = Options { range: Some(format!("{base}...HEAD")), ..Options::default() };
    let err = visit(&repo.path, &symmetric, |_| ControlFlow::Continue(())).unwrap_err();
    assert!(format!("{err:#}").contains("not supported"), "{err:#}");

    let (nothing, stats) = diff(&repo.path, "HEAD");
    assert!(nothing.is_empty() && stats.commits == 0, "HEAD..HEAD is empty");
}

#[test]
fn diff_mode_does_not_report_a_merged_side_branch_twice() {
    let repo = Repo::init();
    let token = secret();
    repo.write("f.txt", "one\ntwo\nthree\n");
    repo.write("g.txt", "g\n");
    let base = repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("f.txt", &format!("one\ntwo\nthree\nkey={token}\n"));
    let side = repo.commit("side adds a key");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("f.txt", "ONE\ntwo\nthree\n");
    repo.commit("main edits the first line");
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    // An evil merge: a line that is in neither parent.
    let evil = secret();
    repo.write("g.txt", &format!("g\nevil={evil}\n"));
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "--no-edit"]);

    let (seen, _) = diff(&repo.path, &base);
    let with_token: Vec<&Seen> = seen.iter().filter(|s| s.added_text().iter().any(|l| l.contains(&token))).collect();
    assert_eq!(with_token.len(), 1, "{with_token:#?}");
    assert_eq!(with_token[0].commit.id, side);
    let added: Vec<String> = seen.iter().flat_map(Seen::added_text).collect();
    assert!(added.contains(&format!("evil={evil}")), "a line new to every parent of a merge is added: {added:?}");
    assert!(added.contains(&"ONE".to_owned()));
}

#[test]
fn packed_and_loose_objects_read_the_same() {
    let repo = Repo::init();
    let token = secret();
    for i in 0..5 {
        repo.write("notes.txt", &format!("version {i}\n{}\n", "filler line\n".repeat(50)));
        if i == 2 {
            repo.write("creds.env", &format!("TOKEN={token}\n"));
        }
        repo.commit(&format!("c{i}"));
    }
    repo.remove("creds.env");
    repo.commit("remove");
    let loose_count = repo.git(&["count-objects", "-v"]);
    assert!(loose_count.contains("in-pack: 0"), "{loose_count}");
    let (loose, loose_stats) = history(&repo.path);

    repo.git(&["gc", "-q", "--aggressive", "--prune=now"]);
    let packed_count = repo.git(&["count-objects", "-v"]);
    assert!(packed_count.starts_with("count: 0\n"), "everything is packed now: {packed_count}");
    let (packed, packed_stats) = history(&repo.path);

    let key = |s: &Seen| (s.id.clone(), s.path.clone(), s.commit.id.clone(), s.data.clone());
    let mut a: Vec<_> = loose.iter().map(key).collect();
    let mut b: Vec<_> = packed.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(loose_stats, packed_stats);
    assert_eq!(containing(&packed, &token).len(), 1);
    assert!(packed.iter().any(|s| s.text().starts_with("version 3")), "deltified versions are reconstructed");
}

#[test]
fn a_shallow_clone_reads_its_own_commits_and_starts_at_the_boundary() {
    let repo = Repo::init();
    let token = secret();
    repo.write("a.txt", "a\n");
    repo.commit("1");
    repo.write("old.env", &format!("T={token}\n"));
    repo.commit("2");
    repo.remove("old.env");
    repo.commit("3");
    repo.write("b.txt", "b\n");
    repo.commit("4");
    repo.write("c.txt", "c\n");
    let head = repo.commit("5");

    let url = format!("file://{}", repo.path.display());
    let clones = tempfile::tempdir().unwrap();
    git_in(clones.path(), &["clone", "-q", "--depth", "2", &url, "shallow"]);
    let shallow = clones.path().join("shallow");
    assert_eq!(git_in(&shallow, &["rev-parse", "--is-shallow-repository"]), "true");
    let (seen, stats) = history(&shallow);
    assert_eq!(stats.commits, 2, "{stats:?}");
    assert_eq!(stats.errors, 0, "a missing parent at the shallow boundary is not an error: {stats:?}");
    assert!(containing(&seen, &token).is_empty(), "the secret's commit was not fetched");
    let mut paths: Vec<&[u8]> = seen.iter().map(|s| s.path.as_slice()).collect();
    paths.sort_unstable();
    assert_eq!(paths, [&b"a.txt"[..], b"b.txt", b"c.txt"], "the boundary commit is read as a root");
    assert!(seen.iter().any(|s| s.commit.id == head));

    git_in(clones.path(), &["clone", "-q", "--depth", "4", &url, "deeper"]);
    let (seen, _) = history(&clones.path().join("deeper"));
    assert_eq!(containing(&seen, &token).len(), 1);
}

#[test]
fn a_bare_repository_reads_like_its_source() {
    let repo = Repo::init();
    let token = secret();
    repo.write("x.env", &format!("T={token}\n"));
    repo.commit("x");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("y.txt", "y\n");
    repo.commit("y");
    let clones = tempfile::tempdir().unwrap();
    git_in(clones.path(), &["clone", "-q", "--bare", repo.path.to_str().unwrap(), "bare.git"]);
    let bare = clones.path().join("bare.git");
    assert_eq!(git_in(&bare, &["rev-parse", "--is-bare-repository"]), "true");

    let ids = |seen: Vec<Seen>| {
        let mut ids: Vec<String> = seen.into_iter().map(|s| s.id).collect();
        ids.sort();
        ids
    };
    let (bare_seen, _) = history(&bare);
    assert_eq!(containing(&bare_seen, &token).len(), 1);
    assert_eq!(ids(bare_seen), ids(history(&repo.path).0));
    // A `.git` directory given directly works too.
    assert_eq!(containing(&history(&repo.path.join(".git")).0, &token).len(), 1);
}

#[cfg(unix)]
#[test]
fn a_non_utf8_path_survives() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Repo::init();
    let token = secret();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\x01.env");
    std::fs::write(repo.path.join(name), format!("T={token}\n")).unwrap();
    repo.commit("latin-1 name");
    let (seen, _) = history(&repo.path);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, b"caf\xe9-\x01.env");
    let blob = Blob { path: &seen[0].path, id: "", data: &[], commit: &seen[0].commit, added_lines: None };
    assert_eq!(blob.path().as_os_str(), name);
    assert!(blob.is_added(1));
}

#[test]
fn a_path_that_is_not_a_repository_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    for path in [dir.path().to_path_buf(), dir.path().join("missing")] {
        let err = visit(&path, &Options::default(), |_| ControlFlow::Continue(())).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("not a git repository"), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }
}

#[test]
fn an_empty_repository_has_nothing_to_read() {
    let repo = Repo::init();
    let (seen, stats) = history(&repo.path);
    assert!(seen.is_empty());
    assert_eq!(stats, Stats::default());
}

#[cfg(unix)]
#[test]
fn symlinks_submodules_and_large_blobs_are_counted_not_visited() {
    let repo = Repo::init();
    repo.write("small.txt", "small\n");
    repo.write("large.bin", &"x".repeat(4096));
    std::os::unix::fs::symlink("small.txt", repo.path.join("link")).unwrap();
    repo.git(&["add", "-A"]);
    let gitlink = "1234567890123456789012345678901234567890";
    repo.git(&["update-index", "--add", "--cacheinfo", &format!("160000,{gitlink},vendor/sub")]);
    std::fs::create_dir_all(repo.path.join("vendor/sub")).unwrap(); // an unpopulated submodule, as after a clone
    repo.commit("mixed");

    let (seen, stats) = run(&repo.path, &Options { max_blob_size: 1024, ..Options::default() });
    let paths: Vec<&[u8]> = seen.iter().map(|s| s.path.as_slice()).collect();
    assert_eq!(paths, [&b"small.txt"[..]]);
    assert_eq!((stats.symlinks, stats.submodules, stats.too_large, stats.errors), (1, 1, 1, 0), "{stats:?}");
    assert_eq!(stats.blobs_seen, 2, "small.txt and large.bin");
}

#[test]
fn the_callback_can_stop_the_walk() {
    let repo = Repo::init();
    for i in 0..3 {
        repo.write(&format!("f{i}.txt"), "x\n");
        repo.write(&format!("g{i}.txt"), &format!("{i}\n"));
        repo.commit(&format!("{i}"));
    }
    let mut calls = 0;
    let stats = visit(&repo.path, &Options::default(), |_| {
        calls += 1;
        ControlFlow::Break(())
    })
    .unwrap();
    assert_eq!((calls, stats.blobs_visited, stats.stopped), (1, 1, true));
}

#[test]
fn a_missing_object_is_counted_and_the_walk_goes_on() {
    let repo = Repo::init();
    let token = secret();
    repo.write("keep.env", &format!("T={token}\n"));
    repo.write("lost.txt", "this blob will be deleted from the object store\n");
    repo.commit("two files");
    let lost = repo.git(&["rev-parse", "HEAD:lost.txt"]);
    std::fs::remove_file(repo.path.join(".git/objects").join(&lost[..2]).join(&lost[2..])).unwrap();

    let (seen, stats) = history(&repo.path);
    assert_eq!(containing(&seen, &token).len(), 1);
    assert_eq!(stats.errors, 1, "{stats:?}");
    assert!(stats.error_messages[0].contains(&lost) && stats.error_messages[0].contains("lost.txt"), "{stats:?}");
}

#[test]
fn a_repository_owned_by_another_user_is_read() {
    // Root scanning a user's clone is the endpoint case; git itself would refuse without safe.directory.
    let repo = Repo::init();
    let token = secret();
    repo.write("k.env", &format!("T={token}\n"));
    repo.commit("k");
    let status = Command::new("chown").args(["-R", "nobody:nogroup"]).arg(&repo.path).status();
    if !status.is_ok_and(|s| s.success()) {
        return; // not root: nothing to show
    }
    let (seen, stats) = history(&repo.path);
    assert_eq!(containing(&seen, &token).len(), 1, "{stats:?}");
}

#[test]
fn since_takes_what_git_log_since_takes_and_durations() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert_eq!(parse_since("2024-05-01").unwrap(), 1_714_521_600);
    assert_eq!(parse_since("2024-05-01T12:00:00Z").unwrap(), 1_714_564_800);
    assert_eq!(parse_since("2024-05-01T12:00:00+02:00").unwrap(), 1_714_557_600);
    assert_eq!(parse_since("Wed, 01 May 2024 12:00:00 +0000").unwrap(), 1_714_564_800);
    assert_eq!(parse_since("1714564800").unwrap(), 1_714_564_800);
    let about = |text: &str, ago: i64| {
        let t = parse_since(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!((now - ago - t).abs() < 120, "{text}: {t} is not about {ago} s before {now}");
    };
    about("2 weeks ago", 14 * 86_400);
    about("3.days.ago", 3 * 86_400);
    about("yesterday", 86_400);
    about("90d", 90 * 86_400);
    about("2w", 14 * 86_400);
    for bad in ["", "the day before", "2024-13-45", "soon"] {
        let e = parse_since(bad).unwrap_err().to_string();
        assert!(e.contains("is not a date") && !e.contains('\n'), "{bad}: {e}");
    }
}
