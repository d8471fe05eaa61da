//! The CI gate: baselines, inline allow markers, the repository config file, --fail-on, the pre-commit hook, shell
//! completions and the man page.
use std::path::Path;

use crate::common::{aws_key_id, findings, github_token, run, scan_json, sha256, slack_bot_token, tree, write, Rng};

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
