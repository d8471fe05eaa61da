//! Scan basics: what is found, how a finding and a credential are identified, exit codes, and that no raw secret
//! leaves the process unless asked.
use serde_json::Value;

use crate::common::{
    aws_key_id, findings, github_token, run, run_with, scan_json, sha256, slack_bot_token, tree, write, Rng,
};

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
fn confidence_is_lower_in_test_code_and_min_confidence_hides_it() {
    let mut rng = Rng::new();
    let t = tree();
    let live = github_token(&mut rng);
    let slack = slack_bot_token(&mut rng);
    write(t.path(), "src/app.py", &format!("T = '{live}'\n"));
    write(t.path(), "tests/data.py", &format!("T = '{slack}'\n"));
    let v = scan_json(t.path(), &[]).json();
    let conf = |tok: &str| findings(&v).iter().find(|f| f["fingerprint"] == sha256(tok)).unwrap()["confidence"].clone();
    assert_eq!(conf(&live), "high");
    assert_eq!(conf(&slack), "medium", "one step lower under tests/");
    let v = scan_json(t.path(), &["--min-confidence", "high"]).json();
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(v["stats"]["suppressed"]["confidence"], 1);
    assert_eq!(scan_json(t.path(), &["--min-confidence", "sure"]).code(), 2);
}
