//! The integration test binary: drives the real `credsweep` executable over temporary trees.
//!
//! Secrets here are synthetic, built at test time with the right format and checksum and a random body, so no
//! literal in this file looks like a leaked credential.
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

/// Registry upload: spool, retries, rejections, keyed fingerprints (against a scripted HTTP server).
#[path = "cli/upload.rs"]
mod upload;

/// House rules on the sources: no import cycles, no function over 80 lines.
#[path = "cli/architecture.rs"]
mod architecture;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_credsweep"))
}

/// A small xorshift generator: tests need random-looking bodies, not cryptographic ones.
struct Rng(u64);
impl Rng {
    fn new() -> Rng {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
        Rng(seed | 1)
    }
    /// Fixed seed: for measurements that must be the same on every run.
    fn seeded(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char).collect()
    }
}

const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A GitHub classic token with a valid checksum and a random body.
fn github_token(rng: &mut Rng) -> String {
    let body = rng.string(B62, 30);
    let check = credsweep::validate::crc32_base62(body.as_bytes());
    format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
}

fn aws_key_id(rng: &mut Rng) -> String {
    format!("AKIA{}", rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
}

fn slack_bot_token(rng: &mut Rng) -> String {
    let d = b"0123456789";
    format!("xoxb-{}-{}-{}", rng.string(d, 12), rng.string(d, 13), rng.string(&B62[10..], 24))
}

fn sha256(s: &str) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(s.as_bytes())))
}

struct Run {
    out: Output,
}
impl Run {
    fn code(&self) -> i32 {
        self.out.status.code().expect("exited, not killed")
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout()))
    }
}

/// Run credsweep with a hard deadline: a hang is a test failure, never a stuck CI job.
fn run_with(args: &[&str], stdin: Option<&[u8]>, wrap: Option<&[&str]>) -> Run {
    run_full(args, stdin, wrap, &[])
}

/// [`run_with`] plus environment variables.
fn run_full(args: &[&str], stdin: Option<&[u8]>, wrap: Option<&[&str]>, env: &[(&str, &str)]) -> Run {
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

fn run(args: &[&str]) -> Run {
    run_with(args, None, None)
}

fn scan_json(dir: &Path, extra: &[&str]) -> Run {
    let d = dir.to_str().unwrap();
    let mut args = vec!["scan", d, "--format", "json", "--no-progress"];
    args.extend_from_slice(extra);
    run(&args)
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().expect("findings array")
}

fn tree() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn finds_tokens_with_fingerprint_position_and_checksum() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    write(t.path(), "app/config.py", &format!("# settings\n\nGITHUB = \"{gh}\"\n"));
    let r = scan_json(t.path(), &[]);
    assert_eq!(r.code(), 1, "findings exit 1; stderr: {}", r.stderr());
    let v = r.json();
    let f = findings(&v).iter().find(|f| f["rule"] == "github-pat-classic").expect("github finding");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 11);
    assert_eq!(f["fingerprint"], sha256(&gh), "fingerprint is sha256 of the exact secret bytes");
    assert_eq!(f["validation"], "checksum-valid");
    assert_eq!(f["redacted"], "ghp_…(40)");
    assert!(f["id"].as_str().unwrap().starts_with("loc:v1:"));
}

#[test]
fn wrong_checksum_and_placeholders_are_not_reported() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let mut bad = gh.clone().into_bytes();
    bad[8] = if bad[8] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    write(
        t.path(),
        "docs.md",
        &format!("token: {bad}\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\nGITHUB_TOKEN=${{GITHUB_TOKEN}}\nslack: xoxb-your-token-here\n"),
    );
    let r = scan_json(t.path(), &[]);
    assert_eq!(r.code(), 0, "nothing real: exit 0; got {}", r.stdout());
    assert!(findings(&r.json()).is_empty());
}

#[test]
fn same_secret_in_two_files_is_one_credential() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let key = aws_key_id(&mut rng);
    write(t.path(), "a/.env", &format!("TOKEN={gh}\n"));
    write(t.path(), "b/notes.txt", &format!("old token {gh}\naws key {key}\n"));
    let v = scan_json(t.path(), &[]).json();
    let creds = v["credentials"].as_array().unwrap();
    let c = creds.iter().find(|c| c["fingerprint"] == sha256(&gh)).expect("credential");
    assert_eq!(c["locations"], 2);
    assert_eq!(c["finding_ids"].as_array().unwrap().len(), 2, "different paths, different location ids");
    let aws = findings(&v).iter().find(|f| f["rule"] == "aws-access-key-id").expect("aws key id");
    // The AWS account is decoded from the key id, offline.
    match credsweep::validate::aws_account_id(key.as_bytes()) {
        Some(account) => assert_eq!(aws["identifier"], format!("aws-account:{account}")),
        None => assert!(aws.get("identifier").is_none()),
    }
}

#[test]
fn location_id_survives_edits_above_the_secret() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let p = write(t.path(), "f.txt", &format!("{gh}\n"));
    let id1 = findings(&scan_json(t.path(), &[]).json())[0]["id"].clone();
    std::fs::write(&p, format!("new line\nanother\n{gh}\n")).unwrap();
    let v = scan_json(t.path(), &[]).json();
    assert_eq!(findings(&v)[0]["line"], 3);
    assert_eq!(findings(&v)[0]["id"], id1);
}

#[test]
fn no_raw_secret_anywhere_without_include_secrets() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let slack = slack_bot_token(&mut rng);
    write(t.path(), "s.txt", &format!("a {gh}\nb {slack}\n"));
    let out = t.path().join("report.json");
    let o = out.to_str().unwrap();
    for format in ["json", "jsonl", "human"] {
        let r = run(&["scan", t.path().to_str().unwrap(), "--format", format, "--no-progress"]);
        assert_eq!(r.code(), 1);
        for s in [&gh, &slack] {
            assert!(!r.stdout().contains(s.as_str()), "{format} stdout leaks a secret");
            assert!(!r.stderr().contains(s.as_str()), "{format} stderr leaks a secret");
        }
        let r = run(&["scan", t.path().to_str().unwrap(), "--format", format, "-o", o, "--no-progress"]);
        assert_eq!(r.code(), 1);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(!text.contains(&gh) && !text.contains(&slack), "{format} report file leaks a secret");
        std::fs::remove_file(&out).unwrap();
    }
    let r = scan_json(t.path(), &["--include-secrets"]);
    let v = r.json();
    assert_eq!(v["include_secrets"], true);
    // On failure, say what was found instead (synthetic tokens: printing them is harmless and tells what went wrong).
    let got: Vec<(&Value, &Value, &Value)> =
        findings(&v).iter().map(|f| (&f["rule"], &f["secret"], &f["line"])).collect();
    assert!(
        findings(&v).iter().any(|f| f["secret"] == gh.as_str()),
        "asked for: the raw value is there; token {gh}, found {got:?}, stats {}",
        v["stats"]
    );
}

#[test]
fn report_file_is_0600_and_complete() {
    use std::os::unix::fs::PermissionsExt;
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "x/k.txt", &github_token(&mut rng));
    let out = t.path().join("out").join("r.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let r = run(&["scan", t.path().join("x").to_str().unwrap(), "--format", "json", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code(), 1);
    assert!(r.stdout().is_empty(), "report goes to the file, not stdout");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(findings(&v).len(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left beside the report");
}

#[test]
fn report_validates_against_the_json_schema() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "a.txt", &format!("{}\n{}\n", github_token(&mut rng), aws_key_id(&mut rng)));
    write(t.path(), "bin.dat", "\0\0binary");
    std::fs::create_dir(t.path().join("locked")).unwrap();
    ssh_keygen(&["-q", "-t", "ed25519", "-N", "", "-f", t.path().join("id_ed25519").to_str().unwrap()]);
    // Parser output too: a variable context and a reference.
    write(t.path(), "app/.env", &format!("DB_PASSWORD={}\nAPI_KEY=${{VAULT_KEY}}\n", rng.string(B62, 20)));
    let v = scan_json(t.path(), &[]).json();
    assert!(findings(&v).iter().any(|f| f.get("context").is_some() && f.get("key").is_none()));
    assert!(findings(&v).iter().any(|f| f.get("key").is_some()));
    assert!(!v["references"].as_array().unwrap().is_empty());
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
    // The schema must be able to fail: a finding without a fingerprint is rejected.
    let mut broken = v.clone();
    broken["findings"][0].as_object_mut().unwrap().remove("fingerprint");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn jsonl_is_one_finding_per_line() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "a.txt", &format!("{}\n{}\n", github_token(&mut rng), slack_bot_token(&mut rng)));
    let r = run(&["scan", t.path().to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(r.code(), 1);
    let lines: Vec<Value> = r.stdout().lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["fingerprint"].as_str().unwrap().starts_with("sha256:")));
}

#[test]
fn stdin_is_scanned() {
    let mut rng = Rng::new();
    let gh = github_token(&mut rng);
    let r = run_with(&["scan", "-", "--format", "json"], Some(format!("x\n{gh}\n").as_bytes()), None);
    assert_eq!(r.code(), 1);
    let v = r.json();
    assert_eq!(findings(&v)[0]["path"], "<stdin>");
    assert_eq!(findings(&v)[0]["line"], 2);
}

#[test]
fn exit_codes() {
    let t = tree();
    write(t.path(), "clean.txt", "nothing to see\n");
    assert_eq!(scan_json(t.path(), &[]).code(), 0, "clean tree");
    let mut rng = Rng::new();
    write(t.path(), "dirty.txt", &github_token(&mut rng));
    assert_eq!(scan_json(t.path(), &[]).code(), 1, "findings");
    assert_eq!(scan_json(t.path(), &["--exit-zero"]).code(), 0, "--exit-zero");
    let missing = run(&["scan", "/definitely/not/here"]);
    assert_eq!(missing.code(), 2);
    assert_eq!(missing.stderr().lines().count(), 1, "one-line error: {}", missing.stderr());
    assert!(missing.stderr().contains("/definitely/not/here"));
    assert_eq!(run(&["scan", ".", "--max-file-size", "lots"]).code(), 2);
    assert_eq!(run(&["scan", ".", "--threads", "0"]).code(), 2);
    assert_eq!(run(&["scan", ".", "--no-such-flag"]).code(), 2);
    assert_eq!(run(&["scan", ".", "--format", "xml"]).code(), 2);
    let out_dir = run(&["scan", t.path().to_str().unwrap(), "-o", t.path().to_str().unwrap()]);
    assert_eq!(out_dir.code(), 2, "output path is a directory");
}

#[test]
fn binary_and_oversized_files_are_skipped_and_counted() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let mut bin = b"\x7fELF\0\0".to_vec();
    bin.extend_from_slice(gh.as_bytes());
    std::fs::write(t.path().join("prog.so"), &bin).unwrap();
    let big = write(t.path(), "big.log", &format!("{}{gh}\n", "x".repeat(4096)));
    let r = scan_json(t.path(), &["--max-file-size", "2K"]);
    assert_eq!(r.code(), 0);
    let v = r.json();
    assert_eq!(v["stats"]["skipped"]["binary"], 1);
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

#[test]
fn rules_list_and_check() {
    let r = run(&["rules", "list"]);
    assert_eq!(r.code(), 0);
    let lines: Vec<&str> = r
        .out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    assert!(lines.len() >= 40, "at least 40 rules");
    assert!(lines.iter().any(|l| l.starts_with("github-pat-classic\t")));
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for e in std::fs::read_dir(&rules_dir).unwrap() {
        let p = e.unwrap().path();
        let r = run(&["rules", "check", p.to_str().unwrap()]);
        assert_eq!(r.code(), 0, "{}: {}", p.display(), r.stderr());
    }
    let t = tree();
    let bad = write(
        t.path(),
        "bad.toml",
        "[[rules]]\nid = \"my-rule\"\nname = \"x\"\nseverity = \"high\"\nkind = \"api-key\"\nkeywords = [\"tok_\"]\npattern = '(?P<secret>tok_[0-9]{4})'\nexamples = [\"tok_12\"]\nnegative_examples = [\"tok_1234\"]\n",
    );
    let r = run(&["rules", "check", bad.to_str().unwrap()]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("example 1 does not produce a finding"), "{}", r.stderr());
    assert!(r.stderr().contains("negative example 1 produces a finding"), "{}", r.stderr());
}

#[test]
fn extra_rules_file_adds_rules() {
    let t = tree();
    let rules = write(
        t.path(),
        "r.toml",
        "[[rules]]\nid = \"acme-key\"\nname = \"ACME key\"\nseverity = \"low\"\nkind = \"api-key\"\nkeywords = [\"acme_\"]\npattern = '(?P<secret>acme_[0-9a-f]{16})'\nexamples = [\"acme_0f1e2d3c4b5a6978\"]\nnegative_examples = [\"acme_zz\"]\n",
    );
    write(t.path(), "src/x.txt", "k = acme_9a8b7c6d5e4f3a2b\n");
    let src = t.path().join("src");
    let r = scan_json(&src, &["--rules", rules.to_str().unwrap()]);
    assert_eq!(r.code(), 1);
    assert_eq!(findings(&r.json())[0]["rule"], "acme-key");
}

#[test]
fn enable_rule_runs_only_the_named_rules() {
    let mut rng = Rng::new();
    let t = tree();
    let (pw, gh, aws) = (rng.string(B62, 24), github_token(&mut rng), aws_key_id(&mut rng));
    write(t.path(), "app/.env", &format!("DB_PASSWORD=\"{pw}\"\nGITHUB_TOKEN={gh}\n"));
    write(t.path(), "app/deploy.sh", &format!("export AWS_ACCESS_KEY_ID={aws}\n"));
    let rules_of = |r: &Run| {
        let mut v: Vec<String> = findings(&r.json()).iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
        v.sort();
        v
    };
    let all = scan_json(t.path(), &[]);
    assert_eq!(rules_of(&all), ["aws-access-key-id", "dotenv-secret", "github-pat-classic"]);

    let only = scan_json(t.path(), &["--enable-rule", "github-pat-classic"]);
    assert_eq!(only.code(), 1);
    assert_eq!(rules_of(&only), ["github-pat-classic"], "a parser rule not named is off too");
    let digest = |r: &Run| r.json()["scanner"]["rules_digest"].as_str().map(str::to_owned);
    assert_ne!(digest(&only), digest(&all), "the digest names the rules that ran");

    // Repeatable and comma-separated; a parser rule named is on.
    let two = scan_json(t.path(), &["--enable-rule", "dotenv-secret,aws-access-key-id", "--enable-rule", "jwt"]);
    let two_rules = rules_of(&two);
    assert!(two_rules.iter().all(|r| r == "dotenv-secret" || r == "aws-access-key-id"), "{two_rules:?}");
    let fs = two.json();
    assert!(findings(&fs).iter().any(|f| f["fingerprint"] == sha256(&pw)));
    assert!(findings(&fs).iter().any(|f| f["fingerprint"] == sha256(&aws)));

    let bad = scan_json(t.path(), &["--enable-rule", "github-pat-clasic"]);
    assert_eq!(bad.code(), 2);
    assert_eq!(bad.stderr().trim().lines().count(), 1, "{}", bad.stderr());
    assert!(bad.stderr().contains("no rule has the id 'github-pat-clasic'"), "{}", bad.stderr());
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "a.txt", &github_token(&mut rng));
    let r = run(&["scan", t.path().to_str().unwrap(), "--format", "json"]);
    assert!(!r.stderr().contains('\x1b') && !r.stderr().contains('\r'), "no progress drawing: {:?}", r.stderr());
    let q = run(&["scan", t.path().to_str().unwrap(), "--format", "json", "--quiet"]);
    assert!(q.stderr().is_empty(), "--quiet: {:?}", q.stderr());
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

// ---------------------------------------------------------------------------------------------------------------
// CI gate: SARIF, baselines, inline allow, repo config, --fail-on, git scopes, completions.

fn git_in(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@t.invalid", "-c", "user.name=t", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn sarif_output_is_valid_and_has_no_raw_secret() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let slack = slack_bot_token(&mut rng);
    write(t.path(), "src/app config.py", &format!("A = '{gh}'\n\nB = '{slack}'\n"));
    let out = t.path().join("results.sarif");
    let r = run(&["scan", t.path().join("src").to_str().unwrap(), "--format", "sarif", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains(&gh) && !text.contains(&slack), "no raw secret in SARIF");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let gh_result = results.iter().find(|r| r["ruleId"] == "github-pat-classic").unwrap();
    assert_eq!(gh_result["partialFingerprints"]["credsweep/fingerprint/v1"], sha256(&gh));
    assert_eq!(gh_result["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 40);
    // Microsoft's SARIF Multitool must accept it (the script installs the tool from npm when missing).
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sarif-validate.sh");
    let v = Command::new("bash").arg(&script).arg(&out).output().expect("run sarif-validate.sh");
    assert!(
        v.status.success(),
        "SARIF Multitool rejected the output:\n{}\n{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn baseline_reports_only_new_secrets_even_after_edits() {
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path().join("repo");
    let old1 = github_token(&mut rng);
    let old2 = slack_bot_token(&mut rng);
    let f = write(&repo, "app/settings.py", &format!("A = '{old1}'\nB = '{old2}'\n"));
    let baseline = t.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let r = run(&["baseline", "create", "-o", b, repo.to_str().unwrap()]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let first = std::fs::read(&baseline).unwrap();
    assert!(!String::from_utf8_lossy(&first).contains(&old1), "no secret in a baseline");
    // Stable and sorted: regenerating gives the same bytes.
    run(&["baseline", "create", "-o", b, repo.to_str().unwrap()]);
    assert_eq!(std::fs::read(&baseline).unwrap(), first);
    assert_eq!(scan_json(&repo, &["--baseline", b]).code(), 0, "everything is in the baseline");
    // Insert lines above, move a secret, and add a new secret on a line that held an allowed one.
    let new = github_token(&mut rng);
    std::fs::write(&f, format!("# header\n# more\nB = '{old2}'\n\nA = '{new}'\nC = '{old1}'\n")).unwrap();
    let r = scan_json(&repo, &["--baseline", b]);
    assert_eq!(r.code(), 1);
    let v = r.json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "only the new secret: {fs:?}");
    assert_eq!(fs[0]["fingerprint"], sha256(&new));
    assert_eq!(fs[0]["line"], 5);
    assert_eq!(v["stats"]["suppressed"]["baseline"], 2);
}

#[test]
fn inline_allow_suppresses_only_its_line_and_is_counted() {
    let mut rng = Rng::new();
    let t = tree();
    let keep = github_token(&mut rng);
    write(
        t.path(),
        "a.js",
        &format!("const a = '{}'; // credsweep:allow\nconst b = '{keep}';\n", github_token(&mut rng)),
    );
    write(t.path(), "b.sql", &format!("-- credsweep:allow\nselect '{}';\n", github_token(&mut rng)));
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "the marker covers only its own line");
    assert!(fs.iter().any(|f| f["fingerprint"] == sha256(&keep)));
    assert_eq!(v["stats"]["suppressed"]["inline"], 1);
}

#[test]
fn repo_config_allowlists_excludes_and_min_severity() {
    let mut rng = Rng::new();
    let t = tree();
    let known = github_token(&mut rng);
    let fresh = github_token(&mut rng);
    write(t.path(), "src/a.txt", &format!("{known}\n{fresh}\n"));
    write(t.path(), "tests/fixtures/f.txt", &github_token(&mut rng));
    write(t.path(), "vendor/lib.txt", &github_token(&mut rng));
    write(t.path(), "src/ids.txt", &aws_key_id(&mut rng));
    write(t.path(), "extra/acme.toml", "[[rules]]\nid = \"acme-key\"\nname = \"ACME\"\nseverity = \"high\"\nkind = \"api-key\"\nkeywords = [\"acme_\"]\npattern = '(?P<secret>acme_[0-9a-f]{16})'\nexamples = [\"acme_0f1e2d3c4b5a6978\"]\nnegative_examples = [\"acme_z\"]\n");
    write(t.path(), "src/acme.txt", "acme_9a8b7c6d5e4f3a2b\n");
    write(
        t.path(),
        ".credsweep.toml",
        &format!(
            "exclude = [\"vendor/\", \"extra/\"]\nrules = [\"extra/acme.toml\"]\nallow_paths = [\"tests/fixtures\"]\nallow_fingerprints = [\"{}\"]\nmin_severity = \"high\"\n",
            sha256(&known)
        ),
    );
    let v = scan_json(t.path(), &[]).json();
    let mut got: Vec<String> = findings(&v).iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
    got.sort();
    assert_eq!(got, vec!["acme-key", "github-pat-classic"], "{v}");
    assert_eq!(findings(&v).iter().find(|f| f["rule"] == "github-pat-classic").unwrap()["fingerprint"], sha256(&fresh));
    assert_eq!(v["stats"]["suppressed"]["allowlist"], 2);
    assert_eq!(v["stats"]["suppressed"]["severity"], 1, "the medium AWS key id is below min_severity");
}

#[test]
fn config_errors_name_the_key_and_line() {
    let t = tree();
    write(t.path(), ".credsweep.toml", "exclude = []\n\nallowlist = [\"x\"]\n");
    let r = scan_json(t.path(), &[]);
    assert_eq!(r.code(), 2);
    let e = r.stderr();
    assert!(e.contains("allowlist") && e.contains("line 3") && e.lines().count() == 1, "{e}");
    let cfg = write(t.path(), "other.toml", "min_severity = \"urgent\"\n");
    let r = scan_json(t.path(), &["--config", cfg.to_str().unwrap()]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("urgent"), "{}", r.stderr());
}

#[test]
fn fail_on_sets_the_exit_threshold() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "ids.txt", &aws_key_id(&mut rng));
    assert_eq!(scan_json(t.path(), &[]).code(), 1, "default: any finding fails");
    let r = scan_json(t.path(), &["--fail-on", "high"]);
    assert_eq!(r.code(), 0, "a medium finding does not reach --fail-on high");
    assert_eq!(findings(&r.json()).len(), 1, "but it is still reported");
    assert_eq!(scan_json(t.path(), &["--fail-on", "medium"]).code(), 1);
    assert_eq!(scan_json(t.path(), &["--fail-on", "severe"]).code(), 2);
}

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

#[test]
fn completions_and_man_page() {
    let r = run(&["completions", "bash"]);
    assert_eq!(r.code(), 0);
    assert!(r.stdout().contains("credsweep") && r.stdout().contains("--git-staged"));
    assert_eq!(run(&["completions", "tcsh-nope"]).code(), 2);
    let m = run(&["man"]);
    assert_eq!(m.code(), 0);
    assert!(
        m.stdout().starts_with(".ie") || m.stdout().contains(".TH credsweep"),
        "{}",
        &m.stdout()[..200.min(m.stdout().len())]
    );
}

#[test]
fn pre_commit_hook_definition_runs() {
    let hooks = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("id: credsweep") && hooks.contains("entry: credsweep"));
    // pre-commit passes the changed files as arguments: the same entry, with files, must work.
    let mut rng = Rng::new();
    let t = tree();
    let a = write(t.path(), "a.py", &github_token(&mut rng));
    let b = write(t.path(), "b.py", "clean\n");
    let entry_line = hooks.lines().find(|l| l.trim_start().starts_with("entry: credsweep scan")).expect("scan entry");
    let args: Vec<&str> = entry_line.trim_start().trim_start_matches("entry: credsweep").split_whitespace().collect();
    let mut all = args.clone();
    all.extend([a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(run(&all).code(), 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoint intelligence: private keys parsed, exposure risks.

fn ssh_keygen(args: &[&str]) {
    let out = Command::new("ssh-keygen").args(args).output().expect("ssh-keygen is installed (openssh-client)");
    assert!(out.status.success(), "ssh-keygen {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn keygen_fingerprint(pub_path: &Path) -> String {
    let out = Command::new("ssh-keygen").arg("-lf").arg(pub_path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).split_whitespace().nth(1).unwrap().to_owned()
}

#[test]
fn ssh_keys_report_encryption_type_and_ssh_keygen_fingerprint() {
    use std::os::unix::fs::PermissionsExt;
    let t = tree();
    let ssh = t.path().join(".ssh");
    std::fs::create_dir(&ssh).unwrap();
    let bare = ssh.join("id_ed25519");
    let locked = ssh.join("id_rsa");
    let pem = ssh.join("legacy_ecdsa");
    ssh_keygen(&["-q", "-t", "ed25519", "-N", "", "-C", "dev@laptop", "-f", bare.to_str().unwrap()]);
    ssh_keygen(&["-q", "-t", "rsa", "-b", "2048", "-N", "credsweep-test", "-f", locked.to_str().unwrap()]);
    ssh_keygen(&["-q", "-t", "ecdsa", "-b", "384", "-m", "PEM", "-N", "", "-f", pem.to_str().unwrap()]);
    std::fs::set_permissions(&bare, std::fs::Permissions::from_mode(0o644)).unwrap();
    write(&ssh, "authorized_keys", &std::fs::read_to_string(ssh.join("id_ed25519.pub")).unwrap());
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 3, "three private keys; .pub and authorized_keys are never findings: {fs:#?}");
    let by_path =
        |p: &Path| fs.iter().find(|f| f["path"] == p.to_str().unwrap()).unwrap_or_else(|| panic!("{}", p.display()));

    let f = by_path(&bare);
    assert_eq!(f["key"]["encrypted"], false);
    assert_eq!(f["key"]["key_type"], "ed25519");
    assert_eq!(f["key"]["comment"], "dev@laptop");
    assert_eq!(f["key"]["public_fingerprint"], keygen_fingerprint(&ssh.join("id_ed25519.pub")));
    assert_eq!(f["severity"], "high");
    let risks: Vec<&str> = f["risks"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(risks.contains(&"world-readable") && risks.contains(&"permissions-too-open"), "{risks:?}");

    let f = by_path(&locked);
    assert_eq!(f["key"]["encrypted"], true, "decided without the passphrase");
    assert_eq!(f["key"]["key_type"], "rsa");
    assert_eq!(f["key"]["bits"], 2048);
    assert_eq!(f["key"]["public_fingerprint"], keygen_fingerprint(&ssh.join("id_rsa.pub")));
    assert_eq!(f["severity"], "low", "an encrypted key is inventoried as low");
    assert!(f.get("risks").is_none(), "0600, new, not in git: no risk");

    let f = by_path(&pem);
    assert_eq!(f["key"]["format"], "pem-ec");
    assert_eq!(f["key"]["curve"], "nistp384");
    assert_eq!(f["key"]["public_fingerprint"], keygen_fingerprint(&ssh.join("legacy_ecdsa.pub")));

    let human = run(&["scan", t.path().to_str().unwrap(), "--no-progress"]).stdout();
    assert!(human.contains(&format!("ssh-keygen -p -f {}", bare.display())), "remediation hint: {human}");
}

#[test]
fn key_inside_json_with_escapes_has_the_same_fingerprint_as_the_pem() {
    let t = tree();
    let pem_path = t.path().join("k.pem");
    let out = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out"])
        .arg(&pem_path)
        .output()
        .expect("openssl is installed");
    assert!(out.status.success());
    let pem = std::fs::read_to_string(&pem_path).unwrap();
    let mut rng = Rng::new();
    // The field order of a real service-account key file (serde_json's json! would sort the keys).
    let sa = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo-project\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": {},\n  \"client_email\": \"builder@demo-project.iam.gserviceaccount.com\",\n  \"client_id\": \"1234\"\n}}\n",
        rng.string(b"0123456789abcdef", 40),
        serde_json::to_string(&pem).unwrap()
    );
    write(t.path(), "sa/key.json", &sa);
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    let plain = fs.iter().find(|f| f["path"].as_str().unwrap().ends_with("k.pem")).expect("plain PEM");
    let embedded = fs.iter().find(|f| f["path"].as_str().unwrap().ends_with("key.json")).expect("embedded key");
    assert_eq!(plain["fingerprint"], embedded["fingerprint"], "escapes don't change the fingerprint");
    assert_eq!(embedded["rule"], "gcp-service-account");
    assert_eq!(embedded["identifier"], "builder@demo-project.iam.gserviceaccount.com");
    assert_eq!(embedded["key"]["encrypted"], false);
    assert_eq!(embedded["key"]["bits"], 2048);
    assert_eq!(embedded["key"]["public_fingerprint"], plain["key"]["public_fingerprint"]);
    assert_eq!(v["credentials"].as_array().unwrap().len(), 1, "one key, two places");
}

#[test]
fn exposure_risks_git_tracked_and_old() {
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git_in(&repo, &["init", "-q"]);
    let tracked = write(&repo, "config/prod.env", &format!("TOKEN={}\n", github_token(&mut rng)));
    let untracked = write(&repo, "scratch.txt", &github_token(&mut rng));
    git_in(&repo, &["add", "config/prod.env"]);
    git_in(&repo, &["commit", "-qm", "oops"]);
    let outside = write(t.path(), "old-notes.txt", &github_token(&mut rng));
    let two_years = std::time::SystemTime::now() - Duration::from_secs(2 * 366 * 24 * 3600);
    std::fs::File::options().write(true).open(&outside).unwrap().set_modified(two_years).unwrap();
    let v = scan_json(t.path(), &[]).json();
    let risks = |p: &Path| -> Vec<String> {
        let f = findings(&v).iter().find(|f| f["path"] == p.to_str().unwrap()).unwrap();
        f["risks"].as_array().map(|a| a.iter().map(|r| r.as_str().unwrap().to_owned()).collect()).unwrap_or_default()
    };
    let r = risks(&tracked);
    assert!(r.contains(&"in-git-worktree".to_owned()) && r.contains(&"tracked".to_owned()), "{r:?}");
    let r = risks(&untracked);
    assert!(r.contains(&"in-git-worktree".to_owned()) && !r.contains(&"tracked".to_owned()), "{r:?}");
    let r = risks(&outside);
    assert!(r.contains(&"old".to_owned()) && !r.contains(&"in-git-worktree".to_owned()), "{r:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Fleet mode: homes and users, quick scans, default excludes, limits, streaming, unattended runs.

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
    let all = scan_json(t.path(), &["--no-default-excludes"]).json();
    assert_eq!(findings(&all).len(), 6);
    let ex = run(&["excludes"]);
    assert_eq!(ex.code(), 0);
    assert!(ex.stdout().contains("node_modules") && ex.stdout().contains("huggingface"));
}

#[test]
fn max_duration_and_max_bytes_give_a_valid_partial_report() {
    let mut rng = Rng::new();
    let t = tree();
    for i in 0..300 {
        write(t.path(), &format!("d{}/f{i}.txt", i % 7), &format!("x {}\n", github_token(&mut rng)));
    }
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (flag, value, reason) in [("--max-duration", "0s", "max-duration"), ("--max-bytes", "1", "max-bytes")] {
        let r = scan_json(t.path(), &[flag, value, "--threads", "1"]);
        assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
        let v = r.json();
        assert!(validator.is_valid(&v), "partial report is valid");
        assert_eq!(v["complete"], false, "{flag}");
        assert_eq!(v["stopped"]["reason"], reason);
        assert!(!v["stopped"]["not_reached"].as_array().unwrap().is_empty());
        assert!(findings(&v).len() < 300, "{flag}: stopped early");
    }
    let full = scan_json(t.path(), &["--max-duration", "10m"]).json();
    assert_eq!(full["complete"], true);
    assert_eq!(findings(&full).len(), 300);
}

#[test]
fn secrets_across_chunk_borders_of_a_big_file_are_found_once_with_positions() {
    let mut rng = Rng::new();
    let t = tree();
    let chunk = 4usize << 20;
    let overlap = 128usize << 10;
    // Owner boundaries of the streamed chunks: k * (chunk - overlap).
    let borders = [chunk - overlap, 2 * (chunk - overlap)];
    let line = "the quick brown fox jumps over the lazy dog 0123 ".repeat(2) + "\n";
    let mut text = String::new();
    let mut planted = Vec::new();
    let mut next = 0;
    while text.len() < 3 * chunk {
        if next < borders.len() && text.len() + 200 > borders[next] {
            // Put a token so that it straddles the border (starts 10 bytes before it).
            let pad = borders[next] - 10 - text.len();
            text.push_str(&"y".repeat(pad.saturating_sub(1)));
            text.push(' ');
            let tok = github_token(&mut rng);
            let lines_before = text.matches('\n').count() as u64;
            let col = (text.len() - text.rfind('\n').map_or(0, |p| p + 1)) as u64 + 1;
            planted.push((tok.clone(), lines_before + 1, col));
            text.push_str(&tok);
            text.push('\n');
            next += 1;
        } else {
            text.push_str(&line);
        }
    }
    // One more near the end, and a private-key block across the second border region is covered by the tokens.
    let tail = github_token(&mut rng);
    let lines_before = text.matches('\n').count() as u64;
    planted.push((tail.clone(), lines_before + 1, 1));
    text.push_str(&tail);
    text.push('\n');
    write(t.path(), "big.log", &text);
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), planted.len(), "each secret exactly once: {fs:#?}");
    for (tok, line, col) in &planted {
        let f = fs.iter().find(|f| f["fingerprint"] == sha256(tok)).expect("found");
        assert_eq!((f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()), (*line, *col));
    }
    assert_eq!(v["stats"]["files_scanned"], 1);
    assert_eq!(v["stats"]["bytes_scanned"], text.len() as u64, "every byte counted once");
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

#[test]
fn nice_runs_at_lower_priority() {
    let t = tree();
    write(t.path(), "a.txt", "nothing\n");
    let r = run(&["scan", t.path().to_str().unwrap(), "--nice", "--format", "json"]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
}

#[test]
fn mcp_configs_report_client_server_field_and_list_references() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let pw = rng.string(B62, 20);
    let cfg = format!(
        r#"{{
  "mcpServers": {{
    "github": {{
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {{ "GITHUB_PERSONAL_ACCESS_TOKEN": "{gh}" }}
    }},
    "postgres": {{
      "command": "mcp-postgres",
      "env": {{ "DB_PASSWORD": "{pw}", "API_TOKEN": "${{env:API_TOKEN}}" }}
    }}
  }}
}}
"#
    );
    write(t.path(), ".config/Claude/claude_desktop_config.json", &cfg);
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let tok = fs.iter().find(|f| f["fingerprint"] == sha256(&gh)).unwrap();
    assert_eq!(tok["rule"], "github-pat-classic", "the specific token rule keeps the finding");
    assert_eq!(tok["context"]["tool"], "claude-desktop");
    assert_eq!(tok["context"]["server"], "github");
    assert_eq!(tok["line"], 6);
    let p = fs.iter().find(|f| f["fingerprint"] == sha256(&pw)).unwrap();
    assert_eq!(p["rule"], "mcp-config-secret");
    assert_eq!(p["context"]["server"], "postgres");
    assert_eq!(p["context"]["variable"], "DB_PASSWORD");
    assert_eq!(p["line"], 10);
    let refs = v["references"].as_array().unwrap();
    assert!(
        refs.iter().any(|r| r["reference"] == "${env:API_TOKEN}" && r["context"]["server"] == "postgres"),
        "{refs:?}"
    );
    let text = serde_json::to_string(&v).unwrap();
    assert!(!text.contains(&pw) && !text.contains(&gh), "no raw secret");
}

#[test]
fn dotenv_files_report_variables_and_skip_placeholders_and_references() {
    let mut rng = Rng::new();
    let t = tree();
    let pw = rng.string(B62, 24);
    let gh = github_token(&mut rng);
    write(
        t.path(),
        "app/.env",
        &format!(
            "# settings\nexport DB_PASSWORD=\"{pw}\"\nGITHUB_TOKEN={gh}\nAPI_KEY=${{VAULT_API_KEY}}\nDEBUG=true\nPORT=8080\nSECRET_KEY=changeme\n"
        ),
    );
    write(t.path(), "app/.env.example", &format!("DB_PASSWORD=your-password-here\nSESSION_SECRET={}\n", "x".repeat(3)));
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let p = fs.iter().find(|f| f["fingerprint"] == sha256(&pw)).expect("name-based secret");
    assert_eq!(p["rule"], "dotenv-secret");
    assert_eq!(p["context"]["variable"], "DB_PASSWORD");
    assert_eq!((p["line"].as_u64(), p["column"].as_u64()), (Some(2), Some(21)));
    let g = fs.iter().find(|f| f["fingerprint"] == sha256(&gh)).expect("token");
    assert_eq!(g["rule"], "github-pat-classic");
    assert_eq!(g["context"]["variable"], "GITHUB_TOKEN");
    assert!(v["references"].as_array().unwrap().iter().any(|r| r["context"]["variable"] == "API_KEY"));
}

#[test]
fn shell_history_commands_with_secrets() {
    let mut rng = Rng::new();
    let t = tree();
    let bearer = rng.string(B62, 32);
    let mysql_pw = rng.string(B62, 16);
    write(
        t.path(),
        ".bash_history",
        &format!("ls -la\ncurl -H 'Authorization: Bearer {bearer}' https://api.example.net/v1\nmysql -u app -p{mysql_pw} prod\nexport TOKEN=$OTHER\n"),
    );
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    let b = fs.iter().find(|f| f["fingerprint"] == sha256(&bearer)).expect("bearer token in curl");
    assert_eq!(b["rule"], "shell-history-secret");
    assert_eq!(b["line"], 2);
    assert!(fs.iter().any(|f| f["fingerprint"] == sha256(&mysql_pw)), "mysql -p password");
    assert_eq!(fs.len(), 2, "{fs:#?}");
}

#[test]
fn credential_files_are_parsed_with_tool_profile_and_identifier() {
    use base64::Engine as _;
    let mut rng = Rng::new();
    let t = tree();
    let key_id = aws_key_id(&mut rng);
    let secret = rng.string(B62, 40);
    write(
        t.path(),
        ".aws/credentials",
        &format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\n[ci]\ncredential_process = /usr/bin/get-creds\n"),
    );
    let docker_pw = rng.string(B62, 20);
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("deploy:{docker_pw}"));
    write(
        t.path(),
        ".docker/config.json",
        &format!("{{\n  \"auths\": {{\n    \"registry.example.net\": {{ \"auth\": \"{auth}\" }}\n  }}\n}}\n"),
    );
    let pem_path = t.path().join("client.key");
    let out = Command::new("openssl")
        .args(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out"])
        .arg(&pem_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let pem = std::fs::read(&pem_path).unwrap();
    std::fs::remove_file(&pem_path).unwrap();
    let key_data = base64::engine::general_purpose::STANDARD.encode(&pem);
    write(
        t.path(),
        ".kube/config",
        &format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: admin@prod\n  user:\n    client-key-data: {key_data}\n"
        ),
    );
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    let s = fs.iter().find(|f| f["fingerprint"] == sha256(&secret)).expect("AWS secret key");
    assert_eq!(s["identifier"], key_id.as_str(), "the profile's key id is the identity");
    assert_eq!(s["context"]["tool"], "aws-cli");
    assert_eq!(s["context"]["profile"], "default");
    let d = fs.iter().find(|f| f["fingerprint"] == sha256(&docker_pw)).expect("docker auth decoded");
    assert_eq!(d["identifier"], "deploy");
    assert_eq!(d["context"]["tool"], "docker");
    assert_eq!(d["line"], 3);
    let k = fs.iter().find(|f| f["kind"] == "private-key").expect("kubeconfig client key");
    assert_eq!(k["context"]["tool"], "kubectl");
    assert_eq!(k["key"]["curve"], "nistp256");
    assert_eq!(k["key"]["encrypted"], false);
}

#[test]
fn confidence_is_lower_in_test_code_and_min_confidence_hides_it() {
    let mut rng = Rng::new();
    let t = tree();
    let live = github_token(&mut rng);
    let slack = slack_bot_token(&mut rng);
    write(t.path(), "src/app.py", &format!("T = '{live}'\n"));
    write(t.path(), "tests/fixtures/data.py", &format!("T = '{slack}'\n"));
    let v = scan_json(t.path(), &[]).json();
    let conf = |tok: &str| findings(&v).iter().find(|f| f["fingerprint"] == sha256(tok)).unwrap()["confidence"].clone();
    assert_eq!(conf(&live), "high");
    assert_eq!(conf(&slack), "medium", "one step lower under tests/");
    let v = scan_json(t.path(), &["--min-confidence", "high"]).json();
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(v["stats"]["suppressed"]["confidence"], 1);
    assert_eq!(scan_json(t.path(), &["--min-confidence", "sure"]).code(), 2);
}

/// Precision and recall on a labeled corpus generated here: positives are every built-in rule's examples plus
/// generated secrets; hard negatives are every rule's negative examples plus lookalikes with wrong checksums,
/// documented example keys, placeholders and references, UUIDs, digests and lock-file lines, minified JS, base64
/// images and word-like passwords. The suite enforces the thresholds; `scripts/precision.sh` prints the figures.
#[test]
fn precision_recall_on_a_labeled_corpus() {
    use credsweep::{engine::Engine, rules::RuleSet};
    let set = RuleSet::load(&[]).unwrap();
    let mut positives: Vec<(String, String)> = Vec::new(); // (rule id, document)
                                                           // A rule's negative examples are negatives *for that rule* (a too-short `sk-proj-…` is still a literal value
                                                           // in an API_KEY assignment for the generic rule); the generated hard negatives below are negatives for all.
    let mut rule_negatives: Vec<(String, String)> = Vec::new();
    let mut negatives: Vec<(&'static str, String)> = Vec::new(); // (class, document)
    for r in set.rules.iter() {
        for ex in &r.spec.examples {
            positives.push((r.spec.id.clone(), ex.clone()));
        }
        for ex in &r.spec.negative_examples {
            rule_negatives.push((r.spec.id.clone(), ex.clone()));
        }
    }
    let mut rng = Rng::seeded(0x5eed_c0de);
    let hex = b"0123456789abcdef";
    let b64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for _ in 0..50 {
        let gh = github_token(&mut rng);
        positives.push(("github-pat-classic".into(), format!("token: {gh}")));
        positives.push(("aws-access-key-id".into(), format!("AWS_ACCESS_KEY_ID={}", aws_key_id(&mut rng))));
        positives.push(("slack-bot-token".into(), format!("SLACK={}", slack_bot_token(&mut rng))));
        let pw = format!("{}{}", rng.string(B62, 14), rng.string(b"0123456789", 2));
        positives.push(("generic-password-assignment".into(), format!("db_password = \"{pw}\"")));
        // Lookalikes: a GitHub token with a broken checksum.
        let mut bad = gh.clone().into_bytes();
        bad[12] = if bad[12] == b'Q' { b'R' } else { b'Q' };
        negatives.push(("wrong checksum", format!("token: {}", String::from_utf8(bad).unwrap())));
        let uuid = format!(
            "{}-{}-{}-{}-{}",
            rng.string(hex, 8),
            rng.string(hex, 4),
            rng.string(hex, 4),
            rng.string(hex, 4),
            rng.string(hex, 12)
        );
        negatives.push(("uuid", format!("request_id: {uuid}\napi_key_id = \"{uuid}\"")));
        negatives.push((
            "digest",
            format!("checksum = \"{}\"\nsecret_sha256 = \"{}\"", rng.string(hex, 64), rng.string(hex, 64)),
        ));
        negatives.push((
            "lock file",
            format!("\"node_modules/left-pad\": {{\n  \"integrity\": \"sha512-{}==\"\n}}", rng.string(b64, 86)),
        ));
        negatives.push((
            "base64 image",
            format!("background: url(data:image/png;base64,iVBORw0KGgo{});", rng.string(b64, 400)),
        ));
        negatives.push((
            "minified js",
            format!(
                "var a={},b=function(t){{return t.{}}};window.{}=b;",
                rng.string(&B62[10..], 12),
                rng.string(&B62[10..], 8),
                rng.string(&B62[10..], 6)
            ),
        ));
    }
    for (class, doc) in [
        ("documented example", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("documented example", "Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA"),
        ("documented example", "stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\""),
        ("placeholder", "password = \"changeme\"\napi_key: <YOUR_API_KEY>\ntoken = xxxxxxxxxxxxxxxxxxxx"),
        ("reference", "password: ${DB_PASSWORD}\napi_key = os.environ[\"API_KEY\"]\nsecret = process.env.SECRET"),
        ("word-like password", "password = \"correcthorsebatterystaple\"\nadmin_password: SuperSecurePassword"),
        ("identifier", "pub const USER_PASSWORD: CERT_OBJECTID = 153i32;\nctx.load(password=getpass_unicode)"),
        ("bad jwt", "eyJhbGciOiJub3Rqc29u.eyJub3QganNvbg.c2lnbmF0dXJlc2lnbmF0dXJl"),
    ] {
        negatives.push((class, doc.to_owned()));
    }
    let engine = Engine::new(set);
    let (mut tp, mut fn_) = (0usize, Vec::new());
    for (rule, doc) in &positives {
        // Found: the labeled rule reports it, or a more specific rule claims the same secret (a GitHub token in an
        // .npmrc line is reported as the GitHub token).
        let m = engine.scan(doc.as_bytes());
        let found = m.iter().any(|m| engine.rule(m.rule).id() == rule) || !m.is_empty();
        if found {
            tp += 1;
        } else {
            fn_.push(format!("{rule}: {doc}"));
        }
    }
    let mut fp = Vec::new();
    for (rule, doc) in &rule_negatives {
        if engine.scan(doc.as_bytes()).iter().any(|m| engine.rule(m.rule).id() == rule) {
            fp.push(format!("negative example of {rule}: {}", doc.chars().take(100).collect::<String>()));
        }
    }
    for (class, doc) in &negatives {
        let m = engine.scan(doc.as_bytes());
        if let Some(m) = m.first() {
            fp.push(format!("{class} → {}: {}", engine.rule(m.rule).id(), doc.chars().take(100).collect::<String>()));
        }
    }
    let precision = tp as f64 / (tp + fp.len()) as f64;
    let recall = tp as f64 / positives.len() as f64;
    println!(
        "precision/recall corpus: {} positives, {} rule negatives, {} hard negatives; precision {:.4}, recall {:.4} ({} true positives, {} false positives, {} missed)",
        positives.len(),
        rule_negatives.len(),
        negatives.len(),
        precision,
        recall,
        tp,
        fp.len(),
        fn_.len()
    );
    for f in &fp {
        println!("  false positive: {f}");
    }
    for f in &fn_ {
        println!("  missed: {f}");
    }
    assert!(precision >= 0.99, "precision {precision:.4} below 0.99");
    assert!(recall >= 0.99, "recall {recall:.4} below 0.99");
}

/// `-o /dev/null` (or any existing non-regular file) is written in place: renaming the atomic temporary file over
/// it would replace the device node with a regular file. Tested on a FIFO so a regression cannot damage the machine.
#[test]
fn output_to_a_special_file_writes_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "src/a.txt", &github_token(&mut rng));
    let fifo = t.path().join("report.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = run(&["scan", t.path().join("src").to_str().unwrap(), "--format", "json", "-o", fifo.to_str().unwrap()]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let text = reader.join().unwrap();
    let v: Value = serde_json::from_str(&text).expect("the report came through the FIFO");
    assert_eq!(findings(&v).len(), 1);
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO, not replaced");
    assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 2, "no temporary file left behind");
}
