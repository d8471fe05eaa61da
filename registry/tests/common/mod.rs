//! Shared by the end-to-end tests: start the real binary, make tokens, build schema-valid reports.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_credsweep-registry");

/// A running server; killed (SIGKILL) on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn server");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("server exited before listening").unwrap();
            if let Some(addr) = line.strip_prefix("credsweep-registry listening on ") {
                break addr.to_owned();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, base }
    }

    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// (status, JSON body) for any request; 4xx/5xx are answers, not errors.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> (u16, Value) {
        let mut req = ureq::request(method, &format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let res = match body {
            Some(b) => req.send_bytes(b),
            None => req.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let status = resp.status();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut resp.into_reader(), &mut text).unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {path}: not JSON: {text:?}")))
    }

    pub fn get(&self, path: &str, token: &str) -> Value {
        let (status, v) = self.call("GET", path, Some(token), &[], None);
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }

    pub fn upload(&self, token: &str, report: &Value) -> (u16, Value) {
        self.call("POST", "/v1/reports", Some(token), &[], Some(report.to_string().as_bytes()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn token(db: &Path, name: &str, scope: &str) -> String {
    let out =
        Command::new(BIN).args(["token", "create", "--name", name, "--scope", scope, "--db"]).arg(db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().last().unwrap().to_owned()
}

/// A fresh database with one upload and one read token.
pub fn setup() -> (tempfile::TempDir, PathBuf, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let up = token(&db, "uploader", "upload");
    let read = token(&db, "reader", "read");
    (dir, db, up, read)
}

pub fn fp(c: char) -> String {
    format!("sha256:{}", c.to_string().repeat(64))
}

/// A finding with every field the schema requires; `extra` is merged in.
pub fn finding(fp_char: char, rule: &str, kind: &str, severity: &str, path: &str, extra: Value) -> Value {
    let mut f = json!({
        "id": format!("loc:v1:{}", fp_char.to_string().repeat(32)),
        "rule": rule, "rule_name": rule, "kind": kind, "severity": severity, "confidence": "high",
        "path": path, "line": 1, "column": 1, "fingerprint": fp(fp_char), "redacted": "xxx…(40)",
        "validation": "not-applicable",
        "file": { "mode": "0600", "uid": 1000, "gid": 1000, "modified": "2026-01-01T00:00:00Z" },
        "risks": []
    });
    f.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    f
}

/// A report with every field the schema requires (see schema/report.schema.json).
pub fn report(machine_id: &str, hostname: &str, finished_at: &str, findings: Vec<Value>) -> Value {
    json!({
        "schema": "credsweep.report/v1",
        "scanner": { "name": "credsweep", "version": "0.1.0", "rules_digest": fp('d'), "rules": 100 },
        "host": { "hostname": hostname, "os": "linux", "os_version": "6.1", "arch": "x86_64", "machine_id": machine_id },
        "user": { "name": "alice", "uid": 1000 },
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": finished_at,
        "complete": true,
        "tags": { "mdm_id": "42" },
        "include_secrets": false,
        "roots": ["/home/alice"],
        "stats": { "files_seen": 10, "files_scanned": 9, "bytes_scanned": 1000, "directories": 3, "skipped": {},
                   "suppressed": {}, "errors": 0, "findings": findings.len(), "duration_ms": 5 },
        "errors": [],
        "references": [],
        "credentials": [],
        "findings": findings,
    })
}

/// Host A: an unencrypted SSH key (shared with host B), an MCP secret, an encrypted key.
pub fn report_a(finished_at: &str) -> Value {
    report(
        "machine-a",
        "alpha",
        finished_at,
        vec![
            finding(
                '1',
                "private-key-openssh",
                "private-key",
                "high",
                "/home/alice/.ssh/id_ed25519",
                json!({ "key": { "format": "openssh-v1", "encrypted": false }, "risks": ["permissions-too-open"] }),
            ),
            finding(
                '2',
                "github-pat-classic",
                "access-token",
                "high",
                "/home/alice/.cursor/mcp.json",
                json!({ "context": { "tool": "cursor", "server": "github", "field": "env.GITHUB_TOKEN" } }),
            ),
            finding(
                '3',
                "private-key-openssh",
                "private-key",
                "low",
                "/home/alice/.ssh/id_rsa",
                json!({ "key": { "format": "openssh-v1", "encrypted": true } }),
            ),
        ],
    )
}

pub fn report_b() -> Value {
    report(
        "machine-b",
        "bravo",
        "2026-01-02T00:00:00Z",
        vec![
            finding(
                '1',
                "private-key-openssh",
                "private-key",
                "high",
                "/home/bob/.ssh/id_ed25519",
                json!({ "key": { "format": "openssh-v1", "encrypted": false }, "risks": ["world-readable"], "user": "bob" }),
            ),
            finding('4', "mcp-config-secret", "password", "medium", "/home/bob/.claude.json", json!({})),
        ],
    )
}

pub fn cred(list: &Value, c: char) -> Option<&Value> {
    list["credentials"].as_array().unwrap().iter().find(|x| x["fingerprint"] == fp(c))
}

/// Send raw bytes, return the whole response (the request must say `Connection: close`).
pub fn raw(s: &Server, request: &[u8]) -> String {
    use std::io::Read;
    let mut conn = std::net::TcpStream::connect(s.base.strip_prefix("http://").unwrap()).unwrap();
    conn.write_all(request).unwrap();
    let mut resp = String::new();
    conn.read_to_string(&mut resp).unwrap();
    resp
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}
