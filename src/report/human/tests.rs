//! The human report: what it advises for each credential, its summary, and that it is linear in the findings.
use super::*;
use crate::{
    parsers::{
        keys::{KeyFormat, KeyInfo},
        Context,
    },
    report::{
        testing::{envelope, finding, Rng},
        Stats,
    },
};

fn render(findings: &[Finding], stats: Stats) -> String {
    let options = Options { color: Color::Never };
    let mut w = Box::new(HumanWriter::new(Output::Memory(Vec::new()), options).unwrap());
    for f in findings {
        w.finding(f).unwrap();
    }
    let (r, out) = w.end(&envelope(stats, Vec::new()));
    r.unwrap();
    String::from_utf8(out.unwrap().into_memory()).unwrap()
}

fn key(path: &str, mode: &str, risks: &[&str]) -> Finding {
    let mut f = finding("private-key-openssh", path, 1, 1, 1);
    f.kind = "private-key".into();
    f.file.as_mut().unwrap().mode = mode.into();
    f.risks = risks.iter().map(|r| r.to_string()).collect();
    f.key = Some(KeyInfo {
        format: KeyFormat::OpensshV1,
        encrypted: false,
        key_type: Some("ed25519".into()),
        bits: Some(256),
        curve: None,
        comment: None,
        cipher: None,
        public_fingerprint: None,
    });
    f
}

fn fixes(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| l.starts_with("fix: ")).collect()
}

#[test]
fn a_key_copy_readable_by_others_gets_chmod_and_each_copy_a_passphrase() {
    let open = ["world-readable", "group-readable", "permissions-too-open"];
    let out =
        render(&[key("home/.ssh/id_ed25519", "0600", &[]), key("backup/id_ed25519", "0644", &open)], Stats::default());
    assert_eq!(
        fixes(&out),
        [
            "fix: add a passphrase: ssh-keygen -p -f backup/id_ed25519; ssh-keygen -p -f home/.ssh/id_ed25519",
            "fix: restrict it: chmod 600 backup/id_ed25519",
        ],
        "{out}"
    );
}

#[test]
fn a_kubeconfig_key_gets_no_ssh_keygen() {
    let mut f = key("home/.kube/config", "0600", &[]);
    f.line = 6;
    f.column = 22;
    f.context =
        Some(Context { tool: Some("kubectl".into()), variable: Some("client-key-data".into()), ..Context::default() });
    let out = render(&[f], Stats::default());
    assert!(!out.contains("ssh-keygen"), "{out}");
    assert!(out.contains("a kubeconfig cannot hold an encrypted key (home/.kube/config)"), "{out}");
    // A key written inside another file (here: a PEM string in a YAML file) is not a key file either.
    let mut f = key("deploy/values.yaml", "0600", &[]);
    f.line = 12;
    let out = render(&[f], Stats::default());
    assert!(!out.contains("ssh-keygen") && out.contains("the key is written inside deploy/values.yaml"), "{out}");
}

#[test]
fn git_advice_follows_what_is_committed() {
    let mut committed = finding("demo", "repo/app.env", 1, 1, 1);
    committed.risks = vec!["in-git-worktree".into(), "tracked".into(), "committed".into()];
    let mut uncommitted = finding("demo", "repo/new.env", 1, 1, 2);
    uncommitted.risks = vec!["in-git-worktree".into(), "tracked".into()];
    let out = render(&[committed, uncommitted], Stats::default());
    let f = fixes(&out);
    assert!(f.iter().any(|l| l.starts_with("fix: rotate it: it is in git history (repo/app.env)")), "{out}");
    let staged = "fix: not committed yet (repo/new.env): remove it from the staged change";
    assert!(f.iter().any(|l| l.starts_with(staged)), "{out}");
    assert!(!out.contains("rotating is the only fix"), "{out}");
    // From a history scan (another helper's risk name): the same advice.
    let mut old = finding("demo", "repo/old.env", 1, 1, 3);
    old.risks = vec!["in-git-history".into()];
    assert!(render(&[old], Stats::default()).contains("it is in git history (repo/old.env)"));
    // Outside git: nothing about commits.
    let loose = render(&[finding("demo", "notes.txt", 1, 1, 4)], Stats::default());
    assert!(!loose.contains("commit"), "{loose}");
}

#[test]
fn summary_shows_suppressions_and_how_to_accept_a_false_positive() {
    let mut stats = Stats { findings: 0, ..Stats::default() };
    stats.suppressed.insert("baseline".into(), 2);
    stats.suppressed.insert("inline".into(), 1);
    let out = render(&[], stats);
    assert!(
        out.starts_with("0 credentials in 0 findings") && out.contains(" · 3 suppressed (baseline 2, inline 1) · "),
        "{out}"
    );
    assert!(!out.contains("not a secret?"), "nothing to accept: {out}");
    let out = render(&[finding("demo", "a.txt", 1, 1, 1)], Stats { findings: 1, ..Stats::default() });
    assert!(!out.contains("suppressed"), "{out}");
    for how in ["credsweep:allow", "credsweep baseline create", "allow_fingerprints"] {
        assert!(out.contains(how), "{how}: {out}");
    }
}

#[test]
fn places_named_in_advice_are_bounded() {
    let fs: Vec<Finding> = (0..50)
        .map(|i| {
            let mut f = finding("demo", &format!("f{i:02}.env"), 1, 1, 1);
            f.risks = vec!["world-readable".into()];
            f
        })
        .collect();
    let out = render(&fs, Stats::default());
    assert!(out.contains("fix: restrict it: chmod 600 f00.env f01.env f02.env (and 47 more)"), "{out}");
    assert_eq!(out.lines().filter(|l| l.contains(".env:1:1")).count(), 50, "every place is listed");
}

/// 30,000 credentials of one location each and one credential in 30,000 places: each place printed once, under
/// its credential, worst first. (The grouping used to walk every finding once per credential.)
#[test]
fn many_findings_are_grouped_once() {
    let n = 30_000u64;
    let mut fs: Vec<Finding> =
        (0..n).map(|i| finding("demo", &format!("ids/{}.txt", i % 100), i + 1, 1, i + 10)).collect();
    fs.extend((0..n).map(|i| {
        let mut f = finding("demo", &format!("many/{i}.txt"), 1, 1, 1);
        f.severity = Severity::Critical;
        f
    }));
    Rng(5).shuffle(&mut fs);
    let out = render(&fs, Stats { findings: 2 * n, ..Stats::default() });
    assert!(out.starts_with("CRITICAL "), "the worst credential first");
    let headers = out.lines().filter(|l| l.starts_with("HIGH ") || l.starts_with("CRITICAL ")).count() as u64;
    assert_eq!(headers, n + 1);
    assert_eq!(out.lines().filter(|l| l.trim_start().starts_with("many/")).count() as u64, n);
    assert_eq!(out.lines().filter(|l| l.trim_start().starts_with("ids/")).count() as u64, n);
    assert!(out.contains(&format!("{} credentials in {} findings", n + 1, 2 * n)));
}
