//! Git scopes: --git-staged, --git-diff, and --respect-gitignore agreeing with git itself.
use std::{path::Path, process::Command};

use crate::common::{findings, git_in, github_token, run, scan_json, sha256, tree, write, Rng};

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
fn git_diff_scans_files_changed_since_a_revision() {
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path();
    git_in(repo, &["init", "-q"]);
    write(repo, "old.txt", &github_token(&mut rng));
    git_in(repo, &["add", "."]);
    git_in(repo, &["commit", "-qm", "base"]);
    let changed = github_token(&mut rng);
    write(repo, "new.txt", &changed);
    git_in(repo, &["add", "new.txt"]);
    git_in(repo, &["commit", "-qm", "second"]);
    let r = run(&["scan", repo.to_str().unwrap(), "--git-diff", "HEAD~1", "--format", "json"]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(findings(&v)[0]["path"], "new.txt");
    let r = run(&["scan", repo.to_str().unwrap(), "--git-diff", "no-such-rev"]);
    assert_eq!(r.code(), 2);
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
