//! The real endpoint binary uploading to the real registry over loopback: `scan --upload`, the offline spool flushed
//! when the registry comes up late, idempotent resends, keyed fingerprints, refused tokens.
//!
//! The scanner binary comes from the workspace build (`cargo test --workspace` builds it; `CREDSWEEP_BIN` overrides).
//! Every test runs on SQLite and on PostgreSQL (see `common::Db`).
#[macro_use]
mod common;

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use common::{agent, github_token, scanner_binary, setup, Db, Server, BIN};
use serde_json::Value;

on_both_backends!(
    scan_upload_spools_offline_and_flushes_when_the_registry_comes_up,
    keyed_fingerprints_are_accepted_and_correlated,
    a_read_token_cannot_upload_and_the_report_stays_queued,
);

fn scanner() -> PathBuf {
    scanner_binary().unwrap_or_else(|| {
        panic!("no credsweep binary beside {BIN}: run `cargo test --workspace` (or `cargo build -p credsweep`) first")
    })
}

fn credsweep(args: &[&str], token: &str) -> Output {
    Command::new(scanner())
        .args(args)
        .env("CREDSWEEP_REGISTRY_TOKEN", token)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A tree with one token in a `.env` file and the same token in a notes file (one credential, two findings).
fn tree(dir: &Path) -> (PathBuf, String) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let tok = github_token();
    std::fs::write(src.join(".env"), format!("GITHUB_TOKEN={tok}\n")).unwrap();
    std::fs::write(src.join("notes.txt"), format!("token {tok}\n")).unwrap();
    (src, tok)
}

fn scan_upload_spools_offline_and_flushes_when_the_registry_comes_up(db: Db) {
    let (db, up, read) = setup(db);
    let dir = tempfile::tempdir().unwrap();
    let (src, tok) = tree(dir.path());
    let spool = dir.path().join("spool");
    // A port nobody listens on yet; the registry starts there later.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let out = dir.path().join("report.json");
    let scan = |out: &Path| {
        credsweep(
            &[
                "scan",
                src.to_str().unwrap(),
                "--format",
                "json",
                "-o",
                out.to_str().unwrap(),
                "--exit-zero",
                "--no-progress",
                "--upload",
                &url,
                "--spool-dir",
                spool.to_str().unwrap(),
                "--retries",
                "0",
            ],
            &up,
        )
    };
    let o = scan(&out);
    assert!(o.status.success(), "offline is not a failure: {}", stderr(&o));
    assert!(stderr(&o).contains("queued"), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();

    let mut server = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(db.args())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = KillOnDrop(&mut server);
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed().as_secs() < 30, "registry did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = credsweep(&["upload", "--registry", &url, "--spool-dir", spool.to_str().unwrap()], &up);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("sent 1 report"), "{}", stderr(&o));

    let get = |path: &str| -> Value {
        let resp = agent().get(&format!("{url}{path}")).set("Authorization", &format!("Bearer {read}")).call().unwrap();
        serde_json::from_reader(resp.into_reader()).unwrap()
    };
    let hosts = get("/v1/hosts");
    assert_eq!(hosts["hosts"].as_array().map(Vec::len), Some(1), "{hosts}");
    let creds = get("/v1/credentials");
    let fp = report["findings"][0]["fingerprint"].as_str().unwrap();
    let row = creds["credentials"].as_array().unwrap().iter().find(|c| c["fingerprint"] == fp).expect("listed");
    assert_eq!(row["rule"], report["findings"][0]["rule"]);
    assert!(!creds.to_string().contains(&tok), "the registry never saw the raw secret");

    // The same report again (a resend after a lost answer): stored once.
    let o =
        credsweep(&["upload", out.to_str().unwrap(), "--registry", &url, "--spool-dir", spool.to_str().unwrap()], &up);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("already there"), "{}", stderr(&o));
    let host_id =
        hosts["hosts"][0]["id"].as_str().map(str::to_owned).unwrap_or_else(|| hosts["hosts"][0]["id"].to_string());
    let host = get(&format!("/v1/hosts/{host_id}"));
    assert_eq!(host["history"].as_array().map(Vec::len), Some(1), "one report in history: {host}");

    // A fresh scan with --upload goes straight in, and becomes the host's current state.
    let o = scan(&dir.path().join("report2.json"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("sent 1 report"), "{}", stderr(&o));
    let host = get(&format!("/v1/hosts/{host_id}"));
    assert_eq!(host["history"].as_array().map(Vec::len), Some(2), "{host}");
}

fn keyed_fingerprints_are_accepted_and_correlated(db: Db) {
    let (db, up, read) = setup(db);
    let dir = tempfile::tempdir().unwrap();
    let (src, tok) = tree(dir.path());
    let key = dir.path().join("org.key");
    std::fs::write(&key, "an organisation key of enough length\n").unwrap();
    let s = Server::start(&db, &[]);
    let o = credsweep(
        &[
            "scan",
            src.to_str().unwrap(),
            "--exit-zero",
            "-q",
            "--fingerprint-key-file",
            key.to_str().unwrap(),
            "--upload",
            &s.base,
            "--spool-dir",
            dir.path().join("spool").to_str().unwrap(),
        ],
        &up,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let creds = s.get("/v1/credentials", &read);
    let rows = creds["credentials"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "one credential, found twice: {creds}");
    let fp = rows[0]["fingerprint"].as_str().unwrap();
    assert!(fp.starts_with("hmac-sha256:"), "{fp}");
    assert!(!creds.to_string().contains(&tok));
    let one = s.get(&format!("/v1/credentials/{fp}"), &read);
    assert_eq!(one["fingerprint"], fp, "{one}");
}

fn a_read_token_cannot_upload_and_the_report_stays_queued(db: Db) {
    let (db, _up, read) = setup(db);
    let dir = tempfile::tempdir().unwrap();
    let (src, _) = tree(dir.path());
    let s = Server::start(&db, &[]);
    let spool = dir.path().join("spool");
    let o = credsweep(
        &["scan", src.to_str().unwrap(), "-q", "--upload", &s.base, "--spool-dir", spool.to_str().unwrap()],
        &read,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("refused the token"), "{}", stderr(&o));
    let queued = std::fs::read_dir(&spool)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().to_string_lossy().ends_with(".json.gz"))
        .count();
    assert_eq!(queued, 1);
    assert!(!stderr(&o).contains(&read), "the token is never printed");
}

struct KillOnDrop<'a>(&'a mut std::process::Child);
impl Drop for KillOnDrop<'_> {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
