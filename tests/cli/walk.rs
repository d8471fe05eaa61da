//! What is read and what is skipped: binary and oversized files, special files, symlinks, non-UTF-8 names, excludes
//! and .gitignore, unreadable files, pseudo-filesystems, default excludes.
use std::process::Command;

use crate::common::{findings, github_token, run, run_with, scan_json, sha256, tree, write, Rng};

#[test]
fn binary_and_oversized_files_are_skipped_and_counted() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    // A shared library (ELF, e_type ET_DYN): skipped whole; the strings of other binary files are scanned
    // (tests/cli/archives.rs).
    let mut bin = b"\x7fELF\x02\x01\x01".to_vec();
    bin.resize(16, 0);
    bin.extend_from_slice(b"\x03\0\0");
    bin.extend_from_slice(gh.as_bytes());
    std::fs::write(t.path().join("prog.so"), &bin).unwrap();
    let big = write(t.path(), "big.log", &format!("{}{gh}\n", "x".repeat(4096)));
    let r = scan_json(t.path(), &["--max-file-size", "2K"]);
    assert_eq!(r.code(), 0);
    let v = r.json();
    assert_eq!(v["stats"]["skipped"]["executable"], 1);
    assert_eq!(v["stats"]["skipped"]["too_large"], 1);
    // The limit also holds for a path named on the command line.
    let r = run(&["scan", big.to_str().unwrap(), "--max-file-size", "2K", "--format", "json"]);
    assert_eq!(r.code(), 0);
    assert_eq!(r.json()["stats"]["skipped"]["too_large"], 1);
    // Invalid UTF-8 text is still scanned as bytes.
    std::fs::write(t.path().join("latin1.txt"), [b"caf\xe9 ".as_slice(), gh.as_bytes()].concat()).unwrap();
    assert_eq!(findings(&scan_json(t.path(), &["--max-file-size", "2K"]).json()).len(), 1);
}

#[test]
fn special_files_never_hang_or_get_opened() {
    let mut rng = Rng::new();
    let t = tree();
    let fifo = t.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let _sock = std::os::unix::net::UnixListener::bind(t.path().join("sock")).unwrap();
    write(t.path(), "real.txt", &github_token(&mut rng));
    let r = scan_json(t.path(), &[]);
    assert_eq!(r.code(), 1);
    let v = r.json();
    assert_eq!(v["stats"]["skipped"]["special_file"], 2);
    assert_eq!(findings(&v).len(), 1);
    // A FIFO named explicitly is refused too, without blocking.
    let r = run(&["scan", fifo.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code(), 0);
    assert_eq!(r.json()["stats"]["skipped"]["special_file"], 1);
}

#[test]
fn symlinks_not_followed_by_default_and_loops_are_safe() {
    let mut rng = Rng::new();
    let t = tree();
    let outside = tree();
    write(outside.path(), "secret.txt", &github_token(&mut rng));
    std::os::unix::fs::symlink(outside.path(), t.path().join("link")).unwrap();
    std::os::unix::fs::symlink(t.path(), t.path().join("loop")).unwrap();
    let r = scan_json(t.path(), &[]);
    assert_eq!(r.code(), 0, "links not followed");
    assert_eq!(r.json()["stats"]["skipped"]["symlink"], 2);
    let r = scan_json(t.path(), &["--follow-symlinks"]);
    assert_eq!(r.code(), 1, "followed: the secret behind the link is found");
    let v = r.json();
    assert!(v["errors"].as_array().unwrap().iter().any(|e| e["reason"].as_str().unwrap().contains("loop")), "{v}");
}

#[test]
fn non_utf8_file_names_survive_exactly_and_are_sanitized_on_terminal_output() {
    use base64::Engine as _;
    use std::os::unix::ffi::OsStrExt;
    let mut rng = Rng::new();
    let t = tree();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\x1b[31mred.txt");
    std::fs::write(t.path().join(name), github_token(&mut rng)).unwrap();
    let v = scan_json(t.path(), &[]).json();
    let f = &findings(&v)[0];
    let raw = base64::engine::general_purpose::STANDARD.decode(f["path_raw"].as_str().unwrap()).unwrap();
    assert_eq!(raw, t.path().join(name).as_os_str().as_bytes());
    let human = run(&["scan", t.path().to_str().unwrap(), "--no-progress"]);
    assert!(!human.stdout().contains('\x1b'), "no raw escape reaches the terminal");
    assert!(human.stdout().contains("\\u{1b}[31mred.txt"));
}

#[test]
fn excludes_and_gitignore() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "keep/a.txt", &github_token(&mut rng));
    write(t.path(), "skipme/b.txt", &github_token(&mut rng));
    write(t.path(), "x.log", &github_token(&mut rng));
    std::fs::create_dir(t.path().join(".git")).unwrap();
    write(t.path(), ".gitignore", "keep/\n");
    let n = |extra: &[&str]| findings(&scan_json(t.path(), extra).json()).len();
    assert_eq!(n(&[]), 3, "gitignore is not honoured by default");
    assert_eq!(n(&["--exclude", "skipme", "--exclude", "*.log"]), 1);
    assert_eq!(n(&["--respect-gitignore"]), 2);
}

/// Root reads mode-000 files anyway, so this runs the binary as `nobody` (when the test runs as root and `setpriv`
/// exists; otherwise as the current unprivileged user, which proves the same).
#[test]
fn unreadable_file_and_dir_are_listed_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let mut rng = Rng::new();
    let t = tree();
    std::fs::set_permissions(t.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let gh = github_token(&mut rng);
    write(t.path(), "ok/a.txt", &gh);
    let locked_file = write(t.path(), "ok/locked.txt", &github_token(&mut rng));
    let locked_dir = t.path().join("closed");
    write(t.path(), "closed/inner.txt", &github_token(&mut rng));
    for d in [t.path().join("ok"), t.path().join("closed")] {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(t.path().join("ok/a.txt"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&locked_file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = unsafe { libc::geteuid() } == 0;
    let wrap: Option<Vec<&str>> = if is_root {
        if Command::new("setpriv").arg("--version").output().is_err() {
            panic!("running as root without setpriv: cannot test permissions honestly");
        }
        Some(vec!["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"])
    } else {
        None
    };
    let r = run_with(&["scan", t.path().to_str().unwrap(), "--format", "json"], None, wrap.as_deref());
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(r.code(), 1, "per-file errors don't change the exit code; stderr: {}", r.stderr());
    let v = r.json();
    assert_eq!(findings(&v).len(), 1, "the readable secret is still found");
    assert_eq!(v["stats"]["errors"], 2);
    let errors = v["errors"].as_array().unwrap();
    for p in [&locked_file, &locked_dir] {
        let e = errors
            .iter()
            .find(|e| e["path"] == p.to_str().unwrap())
            .unwrap_or_else(|| panic!("{} listed: {v}", p.display()));
        assert_eq!(e["reason"], "permission denied");
    }
}

#[test]
fn pseudo_filesystems_are_not_read() {
    let r = run(&["scan", "/proc/self", "--format", "json"]);
    assert_eq!(r.code(), 0);
    let v = r.json();
    assert_eq!(v["stats"]["files_scanned"], 0);
    assert_eq!(v["stats"]["skipped"]["pseudo_filesystem"], 1);
}

#[test]
fn default_excludes_skip_caches_but_keep_known_exceptions() {
    let mut rng = Rng::new();
    let t = tree();
    let hf = github_token(&mut rng);
    write(t.path(), ".cache/huggingface/token", &format!("{hf}\n"));
    write(t.path(), ".cache/huggingface/hub/models--x/blob.txt", &github_token(&mut rng));
    write(t.path(), ".cache/pip/http/x.txt", &github_token(&mut rng));
    write(t.path(), "app/node_modules/pkg/test/key.txt", &github_token(&mut rng));
    write(t.path(), "rust/target/CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n");
    write(t.path(), "rust/target/debug/out.txt", &github_token(&mut rng));
    write(t.path(), "vm/disk.qcow2", &github_token(&mut rng));
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["fingerprint"], sha256(&hf), "the Hugging Face token under ~/.cache is an exception");
    assert!(v["stats"]["skipped"]["excluded"].as_u64().unwrap() >= 5);
    // node_modules is third-party code: its finding is low confidence, shown at --min-confidence low.
    let all = scan_json(t.path(), &["--no-default-excludes", "--min-confidence", "low"]).json();
    assert_eq!(findings(&all).len(), 6);
    let ex = run(&["excludes"]);
    assert_eq!(ex.code(), 0);
    assert!(ex.stdout().contains("node_modules") && ex.stdout().contains("huggingface"));
}

/// Issue #16: a symlink to `/proc` or `/sys` given as a root was walked (the check looked at the path as spelled),
/// and so was one below a root with `--follow-symlinks`.
#[test]
fn aliases_of_pseudo_filesystems_are_not_read() {
    let mut rng = Rng::new();
    let t = tree();
    for (name, target) in [("p", "/proc"), ("s", "/sys/kernel"), ("self", "/proc/self")] {
        let alias = t.path().join(name);
        std::os::unix::fs::symlink(target, &alias).unwrap();
        let r = run(&["scan", alias.to_str().unwrap(), "--format", "json", "--no-progress"]);
        assert_eq!(r.code(), 0, "{name}: {}", r.stderr());
        let v = r.json();
        assert_eq!(
            (v["stats"]["files_scanned"].as_u64(), v["stats"]["directories"].as_u64()),
            (Some(0), Some(0)),
            "{name}"
        );
        assert_eq!(v["stats"]["skipped"]["pseudo_filesystem"], 1, "{name}");
    }
    write(t.path(), "real/secret.txt", &github_token(&mut rng));
    let r = scan_json(t.path(), &["--follow-symlinks"]);
    let v = r.json();
    assert_eq!(v["stats"]["files_scanned"], 1, "only the tree's own file: {}", v["stats"]);
    assert_eq!(v["stats"]["skipped"]["pseudo_filesystem"], 3);
    assert_eq!(findings(&v).len(), 1);
}

/// Issue #16: every directory below a folder named `proc`, `sys` or `dev` was resolved to its real path (a 2,000-level
/// tree took 42 s). Such folders outside the pseudo-filesystems are ordinary: walked, deep trees under them too.
#[test]
fn ordinary_folders_named_proc_sys_or_dev_are_walked_to_any_depth() {
    let mut rng = Rng::new();
    let t = tree();
    let mut deep = t.path().join("proc");
    for i in 0..1_500 {
        deep.push(if i == 700 { "dev" } else { "a" });
    }
    std::fs::create_dir_all(&deep).unwrap();
    let tok = github_token(&mut rng);
    std::fs::write(deep.join("k.txt"), &tok).unwrap();
    write(t.path(), "sys/etc/app.txt", &github_token(&mut rng));
    let v = scan_json(t.path(), &[]).json();
    assert_eq!(v["stats"]["directories"], 1 + 1_501 + 2, "{}", v["stats"]);
    assert!(v["stats"]["skipped"].get("pseudo_filesystem").is_none());
    assert_eq!(findings(&v).len(), 2);
    assert!(findings(&v).iter().any(|f| f["fingerprint"] == sha256(&tok)));
}

/// Issue #16: a loop of symlinks that was followed (`--follow-symlinks`, or a root) was reported as "not followed".
#[test]
fn followed_symlink_loops_are_called_loops() {
    let t = tree();
    std::os::unix::fs::symlink("b", t.path().join("a")).unwrap();
    std::os::unix::fs::symlink("a", t.path().join("b")).unwrap();
    write(t.path(), "f.txt", "nothing here\n");
    let reasons = |v: &serde_json::Value| -> Vec<String> {
        v["errors"].as_array().unwrap().iter().map(|e| e["reason"].as_str().unwrap().to_owned()).collect()
    };
    let v = scan_json(t.path(), &["--follow-symlinks"]).json();
    let r = reasons(&v);
    assert_eq!(r.len(), 2, "{r:?}");
    assert!(r.iter().all(|r| r.starts_with("symlink loop")), "{r:?}");
    // A root is followed even without the flag.
    let v = run(&["scan", t.path().join("a").to_str().unwrap(), "--format", "json"]).json();
    assert!(reasons(&v).iter().all(|r| r.starts_with("symlink loop")), "{:?}", reasons(&v));
    // Not followed: skipped as links, no error.
    let v = scan_json(t.path(), &[]).json();
    assert_eq!((v["stats"]["skipped"]["symlink"].as_u64(), v["errors"].as_array().unwrap().len()), (Some(2), 0));
}
