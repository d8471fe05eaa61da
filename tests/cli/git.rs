//! Git scopes: --git-staged, --git-history (with --branch, --since, baselines, bare repositories, limits),
//! --git-diff (the lines a range added), and --respect-gitignore agreeing with git itself. Repositories are built
//! with `git` at test time, with synthetic tokens.
use std::{path::Path, process::Command};

use serde_json::Value;

use crate::common::{
    assert_schema_valid, findings, git_in, github_token, run, scan_json, sha256, tree, write, Rng, B62,
};

#[test]
fn git_staged_scans_the_staged_content_only() {
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path();
    git_in(repo, &["init", "-q"]);
    write(repo, "README", "hello\n");
    git_in(repo, &["add", "README"]);
    git_in(repo, &["commit", "-qm", "init"]);
    let staged = github_token(&mut rng);
    let f = write(repo, "app/config.py", &format!("# cfg\nT = '{staged}'\n"));
    git_in(repo, &["add", "app/config.py"]);
    // The working tree no longer has it, the index does: the commit would carry it.
    std::fs::write(&f, "# cfg\nT = os.environ['T']\n").unwrap();
    write(repo, "untracked.txt", &github_token(&mut rng));
    let r = run(&["scan", repo.to_str().unwrap(), "--git-staged", "--format", "json"]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{fs:?}");
    assert_eq!(fs[0]["path"], "app/config.py");
    assert_eq!(fs[0]["line"], 2);
    assert_eq!(fs[0]["fingerprint"], sha256(&staged));
    // Outside a repository: a clear error.
    let outside = tree();
    let r = run(&["scan", outside.path().to_str().unwrap(), "--git-staged"]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("not inside a git repository"), "{}", r.stderr());
}

#[test]
fn respect_gitignore_matches_git_for_nested_ignore_files() {
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path();
    git_in(repo, &["init", "-q"]);
    write(repo, ".gitignore", "*.env\n!keep.env\nbuild/\n");
    write(repo, "sub/.gitignore", "local/\n!/build/\n*.txt\n!important.txt\n");
    let files = [
        "a.env",
        "keep.env",
        "sub/b.env",
        "sub/keep.env",
        "build/x.cfg",
        "sub/local/y.cfg",
        "sub/z.txt",
        "sub/important.txt",
        "sub/deeper/w.txt",
        "top.txt",
    ];
    for f in files {
        write(repo, f, &github_token(&mut rng));
    }
    let v = scan_json(repo, &["--respect-gitignore"]).json();
    let mut ours: Vec<String> = findings(&v)
        .iter()
        .map(|f| Path::new(f["path"].as_str().unwrap()).strip_prefix(repo).unwrap().to_string_lossy().into_owned())
        .collect();
    ours.sort();
    let out =
        Command::new("git").arg("-C").arg(repo).args(["ls-files", "--others", "--exclude-standard"]).output().unwrap();
    let mut gits: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.ends_with(".gitignore"))
        .map(str::to_owned)
        .collect();
    gits.sort();
    assert_eq!(ours, gits, "credsweep --respect-gitignore sees exactly what git does not ignore");
    assert!(ours.len() < files.len(), "some files are ignored");
}

/// A repository built for a test: commits with a chosen author and date, on a branch called `main`.
struct Repo {
    dir: tempfile::TempDir,
}

const ALICE: &str = "Alice Example <alice@example.test>";
const BOB: &str = "Bob Example <bob@example.test>";

impl Repo {
    fn new() -> Repo {
        let r = Repo { dir: tree() };
        git_in(r.path(), &["-c", "init.defaultBranch=main", "init", "-q"]);
        r
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn arg(&self) -> &str {
        self.path().to_str().unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        write(self.path(), rel, text);
    }

    /// Commit everything in the working tree as `author` at `date` (author and committer date); the commit's id.
    fn commit(&self, message: &str, author: &str, date: &str) -> String {
        git_in(self.path(), &["add", "-A"]);
        let out = Command::new("git")
            .arg("-C")
            .arg(self.path())
            .args(["-c", "user.email=t@t.invalid", "-c", "user.name=t", "-c", "commit.gpgsign=false"])
            .args(["commit", "-q", "--allow-empty", "-m", message, "--author", author])
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .unwrap();
        assert!(out.status.success(), "git commit: {}", String::from_utf8_lossy(&out.stderr));
        self.git(&["rev-parse", "HEAD"])
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git").arg("-C").arg(self.path()).args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

/// `credsweep scan PATH --git-history --format json` plus `extra`.
fn history(path: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["scan", path, "--git-history", "--format", "json", "--no-progress"];
    args.extend_from_slice(extra);
    run(&args)
}

fn by_fingerprint<'a>(v: &'a Value, secret: &str) -> Vec<&'a Value> {
    findings(v).iter().filter(|f| f["fingerprint"] == sha256(secret)).collect()
}

#[test]
fn history_finds_a_deleted_secret_once_with_the_commit_that_added_it() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit("init", BOB, "2021-01-01T10:00:00+00:00");
    let token = github_token(&mut rng);
    repo.write("app/config.py", &format!("# settings\nTOKEN = '{token}'\n"));
    let added = repo.commit("add config", ALICE, "2021-03-04T05:06:07+02:00");
    // Two more versions of the file still hold the token (new blobs), then the file goes away.
    repo.write("app/config.py", &format!("# settings\nDEBUG = True\nTOKEN = '{token}'\n"));
    repo.commit("debug", BOB, "2021-04-01T00:00:00+00:00");
    repo.write("app/config.py", &format!("# settings!\nDEBUG = True\nTOKEN = '{token}'\n"));
    repo.commit("again", BOB, "2021-04-02T00:00:00+00:00");
    std::fs::remove_file(repo.path().join("app/config.py")).unwrap();
    repo.commit("remove the token", BOB, "2021-05-01T00:00:00+00:00");

    let r = history(repo.arg(), &[]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    assert_schema_valid(&v);
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "three versions of one file: one finding, {fs:#?}");
    let f = &fs[0];
    assert_eq!(f["path"], "app/config.py");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(2), Some(10)), "position in the first version");
    assert_eq!(f["fingerprint"], sha256(&token));
    assert_eq!(f["provenance"]["commit"], added.as_str());
    assert_eq!(f["provenance"]["author"], ALICE);
    assert_eq!(f["provenance"]["date"], "2021-03-04T03:06:07Z", "author date, in UTC");
    assert!(f["risks"].as_array().unwrap().iter().any(|r| r == "in-git-history"), "{f}");
    assert!(f.get("file").is_none(), "no file facts for a blob");
    assert_eq!(v["stats"]["git"]["commits"], 5);
    assert_eq!(v["stats"]["git"]["blobs_scanned"], 4, "README and three versions of config.py");
    assert_eq!(v["complete"], true);
    assert!(!serde_json::to_string(&v).unwrap().contains(&token), "no raw secret");

    // The working tree has nothing: a plain scan finds nothing.
    assert_eq!(scan_json(repo.path(), &[]).code(), 0);
    // The human report names the commit and says why rotating is the fix.
    let human = run(&["scan", repo.arg(), "--git-history", "--no-progress"]);
    let out = human.stdout();
    assert!(out.contains(&format!("commit {}", &added[..12])) && out.contains("Alice Example"), "{out}");
    assert!(out.contains("it is in git history"), "{out}");
    // Streaming formats get the same single finding.
    let jsonl = run(&["scan", repo.arg(), "--git-history", "--format", "jsonl", "--no-progress"]).stdout();
    assert_eq!(jsonl.matches(&sha256(&token)).count(), 1, "{jsonl}");
}

#[test]
fn history_finds_a_blob_on_two_branches_once_and_the_same_secret_at_two_paths_twice() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit("init", BOB, "2022-01-01T00:00:00Z");
    let token = github_token(&mut rng);
    let content = format!("TOKEN={token}\n");
    git_in(repo.path(), &["checkout", "-q", "-b", "feature"]);
    repo.write("deploy/token.txt", &content);
    let first = repo.commit("on feature", ALICE, "2022-02-01T00:00:00Z");
    git_in(repo.path(), &["checkout", "-q", "main"]);
    repo.write("deploy/token.txt", &content); // the same blob, committed independently later
    repo.write("copy/token.txt", &content);
    repo.commit("on main", BOB, "2022-03-01T00:00:00Z");

    let v = history(repo.arg(), &[]).json();
    let fs = by_fingerprint(&v, &token);
    let mut paths: Vec<&str> = fs.iter().map(|f| f["path"].as_str().unwrap()).collect();
    paths.sort();
    // copy/token.txt is the same blob as deploy/token.txt: a blob is scanned once, at its first path.
    assert_eq!(paths, ["deploy/token.txt"], "{fs:#?}");
    assert_eq!(fs[0]["provenance"]["commit"], first.as_str(), "the earliest commit");
    assert_eq!(v["stats"]["git"]["blobs_scanned"], 2, "README and the token file, once");

    // A different blob at a second path: another location of the same credential.
    repo.write("other/env.txt", &format!("# other\nTOKEN={token}\n"));
    repo.commit("other", BOB, "2022-04-01T00:00:00Z");
    let v = history(repo.arg(), &[]).json();
    let fs = by_fingerprint(&v, &token);
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let creds = v["credentials"].as_array().unwrap();
    assert_eq!(creds.len(), 1, "one credential, two locations: {creds:#?}");
    assert_eq!(creds[0]["locations"], 2);
}

#[test]
fn history_branch_and_since_narrow_what_is_read() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    let (old, topic, late) = (github_token(&mut rng), github_token(&mut rng), github_token(&mut rng));
    repo.write("a.txt", &format!("A={old}\n"));
    repo.commit("old", BOB, "2020-01-01T00:00:00Z");
    git_in(repo.path(), &["checkout", "-q", "-b", "topic"]);
    repo.write("b.txt", &format!("B={topic}\n"));
    repo.commit("topic", ALICE, "2023-06-01T00:00:00Z");
    git_in(repo.path(), &["checkout", "-q", "main"]);
    repo.write("c.txt", &format!("C={late}\n"));
    repo.commit("late", BOB, "2023-07-01T00:00:00Z");
    let found = |extra: &[&str]| -> Vec<String> {
        let v = history(repo.arg(), extra).json();
        let mut fps: Vec<String> = findings(&v).iter().map(|f| f["fingerprint"].as_str().unwrap().to_owned()).collect();
        fps.sort();
        fps
    };
    let sorted = |mut s: Vec<String>| {
        s.sort();
        s
    };
    assert_eq!(found(&[]), sorted(vec![sha256(&old), sha256(&topic), sha256(&late)]), "all refs");
    assert_eq!(found(&["--branch", "main"]), sorted(vec![sha256(&old), sha256(&late)]));
    assert_eq!(found(&["--branch", "topic"]), sorted(vec![sha256(&old), sha256(&topic)]));
    assert_eq!(found(&["--branch", "topic", "--branch", "main"]).len(), 3);
    // --since cuts on the committer date, in any form git log --since takes.
    assert_eq!(found(&["--since", "2023-01-01"]), sorted(vec![sha256(&topic), sha256(&late)]));
    assert_eq!(found(&["--since", "2023-06-15T00:00:00Z", "--branch", "main"]), vec![sha256(&late)]);
    assert!(found(&["--since", "2 weeks ago"]).is_empty(), "all commits are older");
    assert!(found(&["--since", "30d"]).is_empty());
    assert_eq!(found(&["--since", "1000 weeks ago"]).len(), 3);
    // --exclude matches paths inside the repository, as for files.
    assert_eq!(found(&["--exclude", "c.txt", "--exclude", "b.*"]), vec![sha256(&old)]);
    // Bad values: one line, exit 2.
    for (extra, says) in
        [(&["--since", "the day before"][..], "--since"), (&["--branch", "no-such-branch"][..], "no-such-branch")]
    {
        let r = history(repo.arg(), extra);
        assert_eq!(r.code(), 2, "{extra:?}: {}", r.stderr());
        assert!(r.stderr().contains(says) && r.stderr().trim().lines().count() == 1, "{}", r.stderr());
    }
    let r = run(&["scan", repo.arg(), "--branch", "main"]);
    assert_eq!(r.code(), 2, "--branch needs --git-history: {}", r.stderr());
}

#[test]
fn git_diff_reads_what_the_range_added_not_todays_files() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    let (before, fleeting, kept, uncommitted) =
        (github_token(&mut rng), github_token(&mut rng), github_token(&mut rng), github_token(&mut rng));
    repo.write("settings.py", &format!("A = 1\nOLD = '{before}'\n"));
    repo.commit("base", BOB, "2024-01-01T00:00:00Z");
    git_in(repo.path(), &["tag", "base"]);
    // Inside the range: a token added and removed again, and an edit next to the pre-existing token.
    repo.write("deploy.sh", &format!("#!/bin/sh\nexport GH={fleeting}\n"));
    let added = repo.commit("add", ALICE, "2024-02-01T00:00:00Z");
    repo.write("deploy.sh", "#!/bin/sh\nexport GH=$GH\n");
    repo.commit("remove", ALICE, "2024-02-02T00:00:00Z");
    repo.write("settings.py", &format!("A = 2\nOLD = '{before}'\nNEW = '{kept}'\n"));
    let edited = repo.commit("edit", BOB, "2024-02-03T00:00:00Z");
    // Not committed: not part of REV..HEAD.
    repo.write("wip.txt", &format!("{uncommitted}\n"));

    let r = run(&["scan", repo.arg(), "--git-diff", "base", "--format", "json", "--no-progress"]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    assert_schema_valid(&v);
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let f = by_fingerprint(&v, &fleeting);
    assert_eq!(f.len(), 1, "added and removed inside the range: found");
    assert_eq!((f[0]["path"].as_str(), f[0]["line"].as_u64()), (Some("deploy.sh"), Some(2)));
    assert_eq!(f[0]["provenance"]["commit"], added.as_str());
    let k = by_fingerprint(&v, &kept);
    assert_eq!((k[0]["line"].as_u64(), &k[0]["provenance"]["commit"]), (Some(3), &Value::from(edited)));
    assert!(by_fingerprint(&v, &before).is_empty(), "present before the range: not reported");
    assert!(by_fingerprint(&v, &uncommitted).is_empty(), "not committed");
    assert_eq!(v["stats"]["git"]["commits"], 3);
    // An explicit A..B range, and a range with nothing new.
    let v = run(&["scan", repo.arg(), "--git-diff", "base..HEAD~2", "--format", "json"]).json();
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(run(&["scan", repo.arg(), "--git-diff", "HEAD", "--format", "json"]).code(), 0);
    let r = run(&["scan", repo.arg(), "--git-diff", "no-such-rev"]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("no-such-rev") && r.stderr().trim().lines().count() == 1, "{}", r.stderr());
}

#[test]
fn a_history_baseline_suppresses_the_same_secrets_later_and_fingerprints_match_the_worktree() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    let (gone, stays) = (github_token(&mut rng), github_token(&mut rng));
    repo.write("old.env", &format!("GITHUB_TOKEN={gone}\n"));
    repo.write("live.txt", &format!("token {stays}\n"));
    repo.commit("one", ALICE, "2022-01-01T00:00:00Z");
    std::fs::remove_file(repo.path().join("old.env")).unwrap();
    repo.write("live.txt", &format!("the token {stays}\n"));
    repo.commit("two", BOB, "2022-02-01T00:00:00Z");

    let history_v = history(repo.arg(), &[]).json();
    assert_eq!(findings(&history_v).len(), 2);
    // The worktree's copy of the live token has the history finding's fingerprint: one credential.
    let worktree = scan_json(repo.path(), &[]).json();
    assert_eq!(findings(&worktree).len(), 1);
    assert_eq!(findings(&worktree)[0]["fingerprint"], by_fingerprint(&history_v, &stays)[0]["fingerprint"]);

    let baseline = repo.path().with_extension("baseline.json");
    let r = run(&["baseline", "create", repo.arg(), "--git-history", "-o", baseline.to_str().unwrap()]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    // Later: one more commit with a new token. Only that one is reported.
    let fresh = github_token(&mut rng);
    repo.write("new.txt", &format!("{fresh}\n"));
    repo.commit("three", BOB, "2022-03-01T00:00:00Z");
    let v = history(repo.arg(), &["--baseline", baseline.to_str().unwrap()]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["fingerprint"], sha256(&fresh));
    assert!(v["stats"]["suppressed"]["baseline"].as_u64().unwrap() >= 2, "{}", v["stats"]);
    std::fs::remove_file(baseline).ok();
}

#[test]
fn history_of_a_bare_repository_and_errors_outside_one() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    let token = github_token(&mut rng);
    repo.write("k.txt", &format!("{token}\n"));
    repo.commit("one", ALICE, "2022-01-01T00:00:00Z");
    let bare = tree();
    let bare_path = bare.path().join("mirror.git");
    git_in(bare.path(), &["clone", "-q", "--bare", repo.arg(), bare_path.to_str().unwrap()]);
    let v = history(bare_path.to_str().unwrap(), &[]).json();
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(findings(&v)[0]["fingerprint"], sha256(&token));
    assert_eq!(findings(&v)[0]["path"], "k.txt");
    // A subdirectory of a work tree finds its repository, as git does.
    std::fs::create_dir(repo.path().join("sub")).unwrap();
    assert_eq!(findings(&history(repo.path().join("sub").to_str().unwrap(), &[]).json()).len(), 1);

    let outside = tree();
    for flags in [&["--git-history"][..], &["--git-diff", "HEAD"][..]] {
        let mut args = vec!["scan", outside.path().to_str().unwrap()];
        args.extend_from_slice(flags);
        let r = run(&args);
        assert_eq!(r.code(), 2, "{flags:?}");
        let err = r.stderr();
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("not a git repository") && err.contains(outside.path().to_str().unwrap()), "{err}");
    }
    let r = run(&["scan", repo.arg(), outside.path().to_str().unwrap(), "--git-history"]);
    assert_eq!(r.code(), 2, "two paths: {}", r.stderr());
    assert!(r.stderr().contains("one repository"), "{}", r.stderr());
}

#[test]
fn a_dotenv_file_in_history_is_parsed_as_one() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    let password = rng.string(B62, 24);
    repo.write("services/api/.env", &format!("# local\nDB_HOST=db\nDB_PASSWORD={password}\nDEBUG=1\n"));
    repo.write("services/api/.env.example", "DB_PASSWORD=changeme\n");
    repo.commit("oops", ALICE, "2019-05-05T00:00:00Z");
    git_in(repo.path(), &["rm", "-q", "services/api/.env"]);
    repo.commit("remove", ALICE, "2019-05-06T00:00:00Z");
    let v = history(repo.arg(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    let f = &fs[0];
    assert_eq!(f["rule"], "dotenv-secret");
    assert_eq!(f["path"], "services/api/.env");
    assert_eq!(f["context"]["variable"], "DB_PASSWORD");
    assert_eq!(f["fingerprint"], sha256(&password));
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(3), Some(13)));
}

#[test]
fn limits_stop_a_history_scan_with_a_partial_report() {
    let mut rng = Rng::new();
    let repo = Repo::new();
    for i in 0..12 {
        repo.write(&format!("f{i}.txt"), &format!("token {}\n", github_token(&mut rng)));
        repo.commit(&format!("c{i}"), BOB, &format!("2022-01-{:02}T00:00:00Z", i + 1));
    }
    let full = history(repo.arg(), &["--max-duration", "10m"]).json();
    assert_eq!((full["complete"].as_bool(), findings(&full).len()), (Some(true), 12));
    for (flag, value, reason) in [("--max-duration", "0s", "max-duration"), ("--max-bytes", "1", "max-bytes")] {
        let r = history(repo.arg(), &[flag, value]);
        assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
        let v = r.json();
        assert_schema_valid(&v);
        assert_eq!(v["complete"], false, "{flag}");
        assert_eq!(v["stopped"]["reason"], reason);
        assert!(!v["stopped"]["not_reached"].as_array().unwrap().is_empty());
        assert!(findings(&v).len() < 12, "{flag}: stopped early");
    }
    // --max-bytes 1: the first blob is read (the limit is checked before each blob), then the scan stops.
    let v = history(repo.arg(), &["--max-bytes", "1"]).json();
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(findings(&v)[0]["path"], "f0.txt", "oldest first");
}
