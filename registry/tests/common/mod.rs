//! Shared by the end-to-end tests: a fresh database on either engine, start the real binary, make tokens, build
//! schema-valid reports.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_credsweep-registry");

/// Run each named test function (`fn name(db: Db)`) twice: `sqlite::name` on a fresh SQLite file and
/// `postgres::name` on a fresh PostgreSQL database.
///
/// Without `CREDSWEEP_TEST_POSTGRES_URL` the PostgreSQL tests are built *ignored* (`build.rs` sets the
/// `postgres_tests` cfg only when the variable, or `CREDSWEEP_REQUIRE_POSTGRES=1`, is set), so the run's summary
/// counts them as ignored, each with the reason, instead of passing them silently. `CREDSWEEP_REQUIRE_POSTGRES=1`
/// runs them anyway, and they fail without a server.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(crate::common::Db::sqlite()) } )*
        }
        mod postgres {
            $(
                #[test]
                #[cfg_attr(not(postgres_tests), ignore = "PostgreSQL half: set CREDSWEEP_TEST_POSTGRES_URL to run it")]
                fn $name() { super::$name(crate::common::Db::postgres()) }
            )*
        }
    };
}

/// The PostgreSQL server the tests may use: a URL whose role can `CREATE DATABASE` (each test makes its own).
pub const POSTGRES_URL_VAR: &str = "CREDSWEEP_TEST_POSTGRES_URL";
/// Set to 1 (CI does) to run the PostgreSQL tests even without a server configured: they fail instead of being
/// ignored.
pub const REQUIRE_POSTGRES_VAR: &str = "CREDSWEEP_REQUIRE_POSTGRES";

/// A fresh, empty database for one test; a PostgreSQL database is dropped when this is.
pub enum Db {
    Sqlite { _dir: tempfile::TempDir, path: PathBuf },
    Postgres { admin_url: String, name: String, url: String },
}

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.sqlite");
        Db::Sqlite { _dir: dir, path }
    }

    /// A new database on the server of `$CREDSWEEP_TEST_POSTGRES_URL`. Panics, naming the variable, when it is not
    /// set: a test that gets here runs on PostgreSQL or fails (see [`on_both_backends`] for how they are skipped).
    pub fn postgres() -> Db {
        let admin_url = match std::env::var(POSTGRES_URL_VAR) {
            Ok(url) if !url.is_empty() => url,
            _ => panic!(
                "{POSTGRES_URL_VAR} is not set: the PostgreSQL tests cannot run ({REQUIRE_POSTGRES_VAR}={}; see \
                 registry/README.md)",
                std::env::var(REQUIRE_POSTGRES_VAR).unwrap_or_default()
            ),
        };
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("credsweep_t_{}_{n}", std::process::id());
        let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}: {e}"));
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let url = with_dbname(&admin_url, &name);
        Db::Postgres { admin_url, name, url }
    }

    /// The command-line options that select this database.
    pub fn args(&self) -> Vec<OsString> {
        match self {
            Db::Sqlite { path, .. } => vec!["--db".into(), path.into()],
            Db::Postgres { url, .. } => vec!["--database".into(), url.into()],
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres { .. })
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Db::Postgres { admin_url, name, .. } = self {
            // An autovacuum worker (a superuser process the test role may not terminate) can hold the database for
            // a moment after a big load: retry for a few seconds before giving up.
            let drop_once = || {
                postgres::Client::connect(admin_url, postgres::NoTls)
                    .and_then(|mut admin| admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            };
            let mut dropped = drop_once();
            for _ in 0..50 {
                if dropped.is_ok() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
                dropped = drop_once();
            }
            if let Err(e) = dropped {
                let _ = std::io::stderr().write_all(format!("cannot drop test database {name}: {e:?}\n").as_bytes());
            }
        }
    }
}

/// `url` with its database name (the path) replaced.
fn with_dbname(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    match query {
        Some(q) => format!("{}/{name}?{q}", &base[..path_start]),
        None => format!("{}/{name}", &base[..path_start]),
    }
}

/// Run a `credsweep-registry` subcommand on `db` (`args` first, then the database options).
pub fn cli(db: &Db, args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).args(db.args()).output().unwrap()
}

/// An HTTP client with timeouts, so a stuck server fails a test instead of hanging it; redirects are not followed.
pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .redirects(0)
        .build()
}

/// A running server; killed (SIGKILL) on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &Db, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(db.args())
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
        let mut req = agent().request(method, &format!("{}{path}", self.base));
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

pub fn token(db: &Db, name: &str, scope: &str) -> String {
    let out = cli(db, &["token", "create", "--name", name, "--scope", scope]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().last().unwrap().to_owned()
}

/// The database with one upload and one read token.
pub fn setup(db: Db) -> (Db, String, String) {
    let up = token(&db, "uploader", "upload");
    let read = token(&db, "reader", "read");
    (db, up, read)
}

/// The scanner binary built from the workspace root, if any: `$CREDSWEEP_BIN`, else `credsweep` beside this
/// package's binary (the same target directory, so `cargo test --workspace` builds it).
pub fn scanner_binary() -> Option<PathBuf> {
    let bin = std::env::var_os("CREDSWEEP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(BIN).with_file_name(format!("credsweep{}", std::env::consts::EXE_SUFFIX)));
    bin.exists().then_some(bin)
}

/// The real scanner's JSON report of the repository's fixtures, or `None` when the scanner is not built.
pub fn fixtures_report() -> Option<Vec<u8>> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let bin = scanner_binary().filter(|_| fixtures.exists())?;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let status = Command::new(bin)
        .args(["scan", "--format", "json", "--exit-zero", "-q", "-o"])
        .arg(&out)
        .arg(&fixtures)
        .status()
        .unwrap();
    assert!(status.success());
    Some(std::fs::read(&out).unwrap())
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
        "report_id": format!("rpt-{}", "0".repeat(32)),
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
        "rules": [],
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
    conn.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
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

/// `n` random characters from `alphabet` (fresh on every call: fixtures are made at test time, never stored).
pub fn random_chars(alphabet: &[u8], n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| alphabet[*b as usize % alphabet.len()] as char).collect()
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A random token body the scanner does not take for a placeholder: about 1 in 5,000 random bodies holds a word such
/// as `fake` or `xxxx`, which the scanner's placeholder filter drops (issue #16 item 7), and a test would then plant a
/// value that nothing recognises. Such bodies are drawn again.
fn token_like(make: impl Fn() -> String) -> String {
    loop {
        let t = make();
        if !credsweep::validate::is_placeholder(t.as_bytes()) {
            return t;
        }
    }
}

/// A GitHub-style token with a valid CRC32 checksum and a random body, built here so no literal looks like a leak.
pub fn github_token() -> String {
    token_like(|| {
        let body = random_chars(BASE62, 30);
        let mut n = crc32fast::hash(body.as_bytes());
        let mut check = [b'0'; 6];
        for c in check.iter_mut().rev() {
            *c = BASE62[(n % 62) as usize];
            n /= 62;
        }
        format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
    })
}

/// Synthetic tokens of three providers that the scanner's built-in rules recognise: (rule id, token).
pub fn synthetic_tokens() -> Vec<(&'static str, String)> {
    let digits = || random_chars(b"0123456789", 12);
    vec![
        ("github-pat-classic", github_token()),
        ("stripe-secret-key", token_like(|| format!("sk_live_{}", random_chars(BASE62, 32)))),
        ("slack-bot-token", token_like(|| format!("xoxb-{}-{}-{}", digits(), digits(), random_chars(BASE62, 24)))),
    ]
}

/// An AWS access key id: the public half of a key pair, which a finding's `identifier` may hold.
pub fn aws_key_id() -> String {
    format!("AKIA{}", random_chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
}
