//! Endpoint intelligence: private keys parsed (type, encryption, ssh-keygen's fingerprint), keys inside JSON, and
//! exposure risks (tracked in git, old, too open).
use std::{path::Path, process::Command, time::Duration};

use crate::common::{findings, git_in, github_token, run, scan_json, ssh_keygen, tree, write, Rng};

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
