//! Shared helpers: the binary, synthetic secrets, running credsweep with a deadline, temporary trees.
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_credsweep"))
}

/// A small xorshift generator: tests need random-looking bodies, not cryptographic ones.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new() -> Rng {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
        Rng(seed | 1)
    }
    /// Fixed seed: for measurements that must be the same on every run.
    pub(crate) fn seeded(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char).collect()
    }
}

pub(crate) const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A GitHub classic token with a valid checksum and a random body.
pub(crate) fn github_token(rng: &mut Rng) -> String {
    let body = rng.string(B62, 30);
    let check = credsweep::validate::crc32_base62(body.as_bytes());
    format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
}

pub(crate) fn aws_key_id(rng: &mut Rng) -> String {
    format!("AKIA{}", rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
}

pub(crate) fn slack_bot_token(rng: &mut Rng) -> String {
    let d = b"0123456789";
    format!("xoxb-{}-{}-{}", rng.string(d, 12), rng.string(d, 13), rng.string(&B62[10..], 24))
}

pub(crate) fn sha256(s: &str) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(s.as_bytes())))
}

pub(crate) struct Run {
    pub(crate) out: Output,
}

impl Run {
    pub(crate) fn code(&self) -> i32 {
        self.out.status.code().expect("exited, not killed")
    }
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    /// Standard output as JSON; a credsweep report is also checked against `schema/report.schema.json`, so every
    /// test that reads a report checks the schema too (a new risk or stat the schema lacks fails everywhere).
    pub(crate) fn json(&self) -> Value {
        let v: Value = serde_json::from_slice(&self.out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout()));
        if v["schema"] == "credsweep.report/v1" {
            assert_schema_valid(&v);
        }
        v
    }
}

/// Fails unless `v` is valid against `schema/report.schema.json`.
pub(crate) fn assert_schema_valid(v: &Value) {
    static SCHEMA: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&schema).expect("schema compiles")
    });
    let errors: Vec<String> = validator.iter_errors(v).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

/// Run credsweep with a hard deadline: a hang is a test failure, never a stuck CI job.
pub(crate) fn run_with(args: &[&str], stdin: Option<&[u8]>, wrap: Option<&[&str]>) -> Run {
    run_full(args, stdin, wrap, &[])
}

/// [`run_with`] plus environment variables.
pub(crate) fn run_full(args: &[&str], stdin: Option<&[u8]>, wrap: Option<&[&str]>, env: &[(&str, &str)]) -> Run {
    let mut cmd = match wrap {
        Some(w) => {
            let mut c = Command::new(w[0]);
            c.args(&w[1..]).arg(bin());
            c
        }
        None => Command::new(bin()),
    };
    cmd.args(args).env("NO_COLOR", "1").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn credsweep");
    let mut input = child.stdin.take().unwrap();
    if let Some(data) = stdin {
        input.write_all(data).unwrap();
    }
    drop(input);
    // Drain stdout and stderr while waiting: a report larger than a pipe buffer must not block the child.
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            r.read_to_end(&mut v).ok();
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("credsweep {args:?} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run { out: Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() } }
}

pub(crate) fn run(args: &[&str]) -> Run {
    run_with(args, None, None)
}

pub(crate) fn scan_json(dir: &Path, extra: &[&str]) -> Run {
    let d = dir.to_str().unwrap();
    let mut args = vec!["scan", d, "--format", "json", "--no-progress"];
    args.extend_from_slice(extra);
    run(&args)
}

pub(crate) fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().expect("findings array")
}

pub(crate) fn tree() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub(crate) fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

pub(crate) fn git_in(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@t.invalid", "-c", "user.name=t", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

pub(crate) fn ssh_keygen(args: &[&str]) {
    let out = Command::new("ssh-keygen").args(args).output().expect("ssh-keygen is installed (openssh-client)");
    assert!(out.status.success(), "ssh-keygen {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}
