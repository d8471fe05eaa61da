//! Fleet mode: homes and users, quick scans, unattended runs into an output directory, lower priority.
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

use crate::common::{aws_key_id, bin, findings, github_token, run, sha256, tree, write, Rng, Run};

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args).env("NO_COLOR", "1").stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run { out: cmd.output().expect("run credsweep") }
}

/// A home with secrets in known credential places and one in an ordinary document.
fn make_home(home: &Path, rng: &mut Rng) -> (String, String, String, String) {
    let ssh_key = github_token(rng); // any token will do for the key-less files
    let aws = aws_key_id(rng);
    let env_tok = github_token(rng);
    let doc_tok = github_token(rng);
    write(home, ".ssh/config", &format!("# token {ssh_key}\nHost x\n"));
    write(home, ".aws/credentials", &format!("[default]\naws_access_key_id = {aws}\n"));
    write(home, "src/webapp/.env", &format!("GITHUB_TOKEN={env_tok}\n"));
    write(home, "Documents/notes.txt", &format!("old token {doc_tok}\n"));
    (ssh_key, aws, env_tok, doc_tok)
}

#[test]
fn quick_scans_only_known_credential_locations() {
    let mut rng = Rng::new();
    let t = tree();
    let (ssh_tok, aws, env_tok, doc_tok) = make_home(t.path(), &mut rng);
    let home = t.path().to_str().unwrap();
    let quick = run_env(&["scan", "--home", "--quick", "--format", "json"], &[("HOME", home)]);
    assert_eq!(quick.code(), 1, "{}", quick.stderr());
    let v = quick.json();
    let fps: Vec<&str> = findings(&v).iter().map(|f| f["fingerprint"].as_str().unwrap()).collect();
    for s in [&ssh_tok, &aws, &env_tok] {
        assert!(fps.contains(&sha256(s).as_str()), "quick finds the known places");
    }
    assert!(!fps.contains(&sha256(&doc_tok).as_str()), "quick does not read Documents/");
    let full = run_env(&["scan", "--home", "--format", "json"], &[("HOME", home)]).json();
    let fps: Vec<&str> = findings(&full).iter().map(|f| f["fingerprint"].as_str().unwrap()).collect();
    assert!(fps.contains(&sha256(&doc_tok).as_str()), "the full scan does");
    assert!(findings(&full).len() > findings(&v).len());
}

#[test]
fn all_users_attributes_findings_to_each_home_owner() {
    use std::os::unix::fs::{chown, PermissionsExt};
    let mut rng = Rng::new();
    let t = tree();
    std::fs::set_permissions(t.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let alice = t.path().join("home/alice");
    let bob = t.path().join("home/bob");
    let svc = t.path().join("srv/svc");
    let a_tok = github_token(&mut rng);
    let b_tok = github_token(&mut rng);
    write(&alice, ".env", &format!("TOKEN={a_tok}\n"));
    write(&bob, "notes/n.txt", &format!("{b_tok}\n"));
    write(&svc, "x.txt", &github_token(&mut rng));
    let is_root = unsafe { libc::geteuid() } == 0;
    if is_root {
        // Homes owned by different uids, as on a real multi-user machine.
        for (dir, uid) in [(&alice, 1001u32), (&bob, 1002u32)] {
            for e in walk_all(dir) {
                chown(&e, Some(uid), Some(uid)).unwrap();
            }
        }
    }
    let passwd = write(
        t.path(),
        "passwd",
        &format!(
            "root:x:0:0:root:{}:/bin/bash\nalice:x:1001:1001::{}:/bin/zsh\nbob:x:1002:1002::{}:/bin/bash\nsvc:x:998:998::{}:/usr/sbin/nologin\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n",
            t.path().join("root").display(),
            alice.display(),
            bob.display(),
            svc.display()
        ),
    );
    std::fs::create_dir_all(t.path().join("root")).unwrap();
    let r =
        run_env(&["scan", "--all-users", "--format", "json"], &[("CREDSWEEP_PASSWD_FILE", passwd.to_str().unwrap())]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "system accounts' homes are not scanned: {fs:#?}");
    let by_fp = |tok: &str| fs.iter().find(|f| f["fingerprint"] == sha256(tok)).unwrap();
    assert_eq!(by_fp(&a_tok)["user"], "alice");
    assert_eq!(by_fp(&b_tok)["user"], "bob");
    if is_root {
        assert_eq!(by_fp(&a_tok)["file"]["uid"], 1001);
        assert_eq!(by_fp(&b_tok)["file"]["uid"], 1002);
    }
}

fn walk_all(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    if dir.is_dir() {
        for e in std::fs::read_dir(dir).unwrap() {
            out.extend(walk_all(&e.unwrap().path()));
        }
    }
    out
}

#[test]
fn output_dir_writes_private_timestamped_reports_rotates_and_locks() {
    use std::os::unix::{fs::PermissionsExt, io::AsRawFd};
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "src/a.txt", &github_token(&mut rng));
    let out = t.path().join("reports");
    std::fs::create_dir(&out).unwrap();
    let src = t.path().join("src");
    let args = [
        "scan",
        src.to_str().unwrap(),
        "--format",
        "json",
        "--output-dir",
        out.to_str().unwrap(),
        "--keep",
        "2",
        "--tag",
        "device=MDM-42",
    ];
    for _ in 0..3 {
        let r = run(&args);
        assert_eq!(r.code(), 1, "{}", r.stderr());
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut reports: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("credsweep-"))
        .collect();
    reports.sort();
    assert_eq!(reports.len(), 2, "the newest --keep reports remain");
    for r in &reports {
        assert_eq!(std::fs::metadata(r).unwrap().permissions().mode() & 0o777, 0o600);
        let v: Value = serde_json::from_str(&std::fs::read_to_string(r).unwrap()).unwrap();
        assert_eq!(v["tags"]["device"], "MDM-42");
    }
    // A second scan while one holds the lock fails at once, clearly.
    let lock =
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(out.join(".credsweep.lock")).unwrap();
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    let r = run(&args);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("another credsweep scan is running"), "{}", r.stderr());
    assert_eq!(run(&["scan", ".", "--tag", "novalue"]).code(), 2);
}

/// `--nice` lowers the CPU priority to nice 19 and the I/O priority to the idle class before any thread starts, so
/// every thread runs with both. Observed from outside while the scan waits on standard input: its writer thread
/// exists by then (it starts just before standard input is read, after the priority change), so every thread listed
/// in `/proc/<pid>/task` must already show the new priority. Without `--nice` the same threads keep the test's.
#[test]
fn nice_runs_at_lower_priority() {
    let own = Priority::of("/proc/thread-self/stat", 0);
    assert!(own.nice < 19 && own.io_class != IOPRIO_CLASS_IDLE, "the test itself runs at {own:?}: nothing to observe");
    let mut rng = Rng::new();
    for (nice, expected) in [(true, Priority { nice: 19, io_class: IOPRIO_CLASS_IDLE }), (false, own)] {
        let mut args = vec!["scan", "-", "--format", "json", "--no-progress"];
        if nice {
            args.push("--nice");
        }
        let mut child = Command::new(bin())
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn credsweep");
        let seen = threads_once_waiting(&mut child);
        let token = github_token(&mut rng);
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(format!("T = '{token}'\n").as_bytes()).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        for (tid, p) in &seen {
            assert_eq!(*p, expected, "--nice {nice}: thread {tid} (of {}); stderr: {stderr}", seen.len());
        }
        assert_eq!(out.status.code(), Some(1), "the scan still works: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(findings(&v)[0]["fingerprint"], sha256(&token));
    }
}

/// `ioprio_get(2)`: the scheduling class is in the bits above IOPRIO_CLASS_SHIFT.
const IOPRIO_CLASS_SHIFT: i64 = 13;
const IOPRIO_CLASS_IDLE: i64 = 3;

/// A thread's CPU and I/O priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Priority {
    nice: i64,
    io_class: i64,
}

impl Priority {
    /// From a `/proc/…/stat` file (nice is field 19, proc(5); the command name in field 2 may hold spaces and
    /// parentheses, so fields are counted after its last `)`), and `ioprio_get` for thread `tid` (0: this thread).
    fn of(stat: &str, tid: i64) -> Priority {
        let text = std::fs::read_to_string(stat).unwrap_or_else(|e| panic!("{stat}: {e}"));
        let rest = &text[text.rfind(')').expect("comm field") + 1..];
        let nice = rest.split_whitespace().nth(16).and_then(|f| f.parse().ok()).expect("nice field");
        const IOPRIO_WHO_PROCESS: i64 = 1;
        let io = unsafe { libc::syscall(libc::SYS_ioprio_get, IOPRIO_WHO_PROCESS, tid) };
        assert!(io >= 0, "ioprio_get({tid}): {}", std::io::Error::last_os_error());
        Priority { nice, io_class: io >> IOPRIO_CLASS_SHIFT }
    }
}

/// Every thread of `child` and its priority, read once the scan has started its writer thread and waits on standard
/// input (at least two threads). The deadline only guards against a hang.
fn threads_once_waiting(child: &mut std::process::Child) -> Vec<(i64, Priority)> {
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("credsweep exited ({status}) before reading standard input");
        }
        let tids: Vec<i64> = std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().parse().unwrap())
            .collect();
        if tids.len() >= 2 {
            return tids.into_iter().map(|t| (t, Priority::of(&format!("/proc/{pid}/task/{t}/stat"), t))).collect();
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("credsweep did not start its writer thread within 60 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
