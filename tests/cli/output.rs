//! Report formats and report files: JSON (against its schema), JSONL, SARIF, private report files, special output
//! files, progress output.
use std::{path::Path, process::Command};

use serde_json::Value;

use crate::common::{
    aws_key_id, findings, github_token, run, scan_json, sha256, slack_bot_token, ssh_keygen, tree, write, Rng, B62,
};

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
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "a.txt", &github_token(&mut rng));
    let r = run(&["scan", t.path().to_str().unwrap(), "--format", "json"]);
    assert!(!r.stderr().contains('\x1b') && !r.stderr().contains('\r'), "no progress drawing: {:?}", r.stderr());
    let q = run(&["scan", t.path().to_str().unwrap(), "--format", "json", "--quiet"]);
    assert!(q.stderr().is_empty(), "--quiet: {:?}", q.stderr());
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
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(said.contains("0 error(s), 0 warning(s)"), "not even a warning (SARIF2005: informationUri): {said}");
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
