//! Rules: `rules list` and `rules check`, extra rule files, --enable-rule, and precision and recall of the built-in
//! rules on a labeled corpus.
use std::path::Path;

use crate::common::{
    aws_key_id, findings, github_token, run, scan_json, sha256, slack_bot_token, tree, write, Rng, Run, B62,
};

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

/// The built-in rule files are named by topic (`cloud`, `payments` …), not by when they were added (`more-cloud`),
/// and one provider's rules are all in one file, so a provider's new format goes next to its others (issue #12).
#[test]
fn rule_files_are_topics_and_each_provider_lives_in_one_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&p).unwrap();
        files.push((name.clone(), credsweep::rules::parse_rule_file(&text, &name).unwrap()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(files.len() >= 10, "{} rule files", files.len());
    let problems = topic_problems(&files);
    assert!(problems.is_empty(), "{problems:#?}");

    // The check can fail: a file named by its date of addition, holding one of another file's providers.
    let (name, specs) = files.iter().find(|(_, s)| s.iter().any(|r| r.provider.as_deref() == Some("AWS"))).unwrap();
    let (name, aws) = (name.clone(), specs.iter().find(|r| r.provider.as_deref() == Some("AWS")).unwrap().clone());
    files.push(("more-cloud.toml".to_owned(), vec![aws]));
    let problems = topic_problems(&files);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("more-cloud.toml: not a topic name"), "{problems:#?}");
    assert!(problems[1].contains(&format!("provider 'AWS' has rules in {name} and more-cloud.toml")), "{problems:#?}");
}

/// The README's Rules section names every topic file and says how many regex rules they hold: checked here, so it
/// stays true as rules are added.
#[test]
fn readme_names_every_rule_file_and_counts_the_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut count = 0;
    for e in std::fs::read_dir(root.join("rules")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let topic = name.strip_suffix(".toml").unwrap();
        assert!(readme.contains(&format!("`{topic}`")), "README's Rules section does not name `{topic}`");
        count += credsweep::rules::parse_rule_file(&std::fs::read_to_string(&p).unwrap(), &name).unwrap().len();
    }
    let said = format!("({count} regex rules in these files");
    assert!(readme.contains(&said), "README should say {said}");
}

/// Problems with rule files' names and where their providers live: a name must be a kebab-case topic, not a batch
/// (`more-…`, `new-…`, `extra-…`, `misc…`, a number), and a provider (compared without case) must have one file.
fn topic_problems(files: &[(String, Vec<credsweep::rules::RuleSpec>)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut home: std::collections::BTreeMap<String, &str> = Default::default();
    for (name, specs) in files {
        let stem = name.strip_suffix(".toml").unwrap_or(name);
        let kebab =
            !stem.is_empty() && stem.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()));
        let batch =
            ["more", "new", "extra", "additional", "misc", "other"].iter().any(|w| stem.split('-').next() == Some(w));
        if !name.ends_with(".toml") || !kebab || batch {
            problems.push(format!("{name}: not a topic name (kebab-case words, not more-/new-/extra-/misc)"));
        }
        for provider in specs.iter().filter_map(|r| r.provider.as_deref()) {
            let first = *home.entry(provider.to_ascii_lowercase()).or_insert(name);
            let msg = format!("provider '{provider}' has rules in {first} and {name}");
            if first != name && !problems.contains(&msg) {
                problems.push(msg);
            }
        }
    }
    problems
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
        // Found only when the labeled rule reports it: another rule's finding on the document (a more specific rule
        // winning the overlap, or a match elsewhere in it) is not this rule's recall.
        let found = engine.scan(doc.as_bytes()).iter().any(|m| engine.rule(m.rule).id() == rule);
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
