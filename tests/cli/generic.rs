//! Generic assignments and the default noise level (issue #13 §1 and §4): a random value given to a credential name
//! in any syntax is found and says which name and syntax; a token whose checksum fails is reported by no rule and
//! counted; findings in third-party code, documentation and fixtures are low confidence and hidden by default; lock
//! files hold no generic assignments.
use serde_json::Value;

use crate::common::*;

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A random value of letters and digits that has both (so it looks generated, not chance-dependent).
fn value(rng: &mut Rng) -> String {
    format!("{}7q{}K", rng.string(ALNUM, 12), rng.string(ALNUM, 10))
}

fn finding_for<'a>(v: &'a Value, secret: &str) -> Option<&'a Value> {
    findings(v).iter().find(|f| f["fingerprint"] == sha256(secret))
}

/// A GitHub token with one character of its body changed: the checksum no longer matches.
fn bad_github_token(rng: &mut Rng) -> String {
    let good = github_token(rng);
    let mut b = good.into_bytes();
    b[10] = if b[10] == b'Q' { b'R' } else { b'Q' };
    String::from_utf8(b).unwrap()
}

#[test]
fn assignments_in_many_syntaxes_say_which_name_and_syntax() {
    let mut rng = Rng::new();
    let t = tree();
    // (file, line template, variable as reported, syntax)
    let cases = [
        ("app/settings.py", "STRIPE_API_KEY = '{v}'", "STRIPE_API_KEY", "assignment"),
        ("deploy/values.yaml", "  smtpPassword: {v}", "smtpPassword", "key-value"),
        ("config/client.json", "{\"client_secret\": \"{v}\"}", "client_secret", "key-value"),
        ("Dockerfile", "ENV DEPLOY_TOKEN {v}", "DEPLOY_TOKEN", "directive"),
        ("scripts/sync.sh", "./bin/syncctl --auth-token {v} --verbose", "auth-token", "flag"),
        ("Web.config", "  <add key=\"Billing.ApiKey\" value=\"{v}\" />", "Billing.ApiKey", "name-value"),
        ("src/Mailer.php", "$mail->Password = '{v}';", "Password", "assignment"),
        ("conf/app.xml", "  <sessionToken>{v}</sessionToken>", "sessionToken", "xml-element"),
    ];
    let mut planted = Vec::new();
    for (file, line, name, syntax) in cases {
        let v = value(&mut rng);
        write(t.path(), file, &format!("# settings\n{}\n", line.replace("{v}", &v)));
        planted.push((v, file, name, syntax));
    }
    let report = scan_json(t.path(), &[]).json();
    for (v, file, name, syntax) in &planted {
        let f = finding_for(&report, v).unwrap_or_else(|| panic!("{file}: not found in {report:#}"));
        assert!(f["rule"].as_str().unwrap().starts_with("generic-"), "{file}: {f}");
        assert_eq!(f["context"]["variable"], *name, "{file}");
        assert_eq!(f["context"]["field"], *syntax, "{file}");
        assert_eq!(f["confidence"], "medium", "{file}");
        assert!(!report.to_string().contains(v.as_str()), "no raw secret without --include-secrets");
    }
}

#[test]
fn names_and_values_that_are_not_credentials_are_left_alone() {
    let mut rng = Rng::new();
    let t = tree();
    let v = value(&mut rng);
    let hex: String = rng.string(b"0123456789abcdef", 40);
    let text = format!(
        "api_key_id = '{v}'\ncache_key = '{v}'\nnext_page_token = '{v}'\ncommit_sha = '{hex}'\nsignature = '{hex}'\n\
         password = os.environ['DB_PASSWORD']\ntoken = get_token()\napi_key: ${{API_KEY}}\nsecret = 'changeme'\n"
    );
    write(t.path(), "app/settings.py", &text);
    let report = scan_json(t.path(), &["--min-confidence", "low"]).json();
    assert_eq!(findings(&report).len(), 0, "{report:#}");
}

#[test]
fn a_token_whose_checksum_fails_is_reported_by_no_rule_and_counted() {
    let mut rng = Rng::new();
    let t = tree();
    let (bad1, bad2, bad3) = (bad_github_token(&mut rng), bad_github_token(&mut rng), bad_github_token(&mut rng));
    let good = github_token(&mut rng);
    // A name that says token (generic and .env rules), a URL's password (URL rule), a plain line (token rule).
    write(t.path(), ".env", &format!("GITHUB_TOKEN={bad1}\n"));
    write(t.path(), "ci/clone.sh", &format!("git clone https://ci:{bad2}@git.internal.test/acme/app.git\n"));
    write(t.path(), "notes.txt", &format!("token: {bad3}\nother: {good}\n"));
    let report = scan_json(t.path(), &["--min-confidence", "low"]).json();
    let rules: Vec<&str> = findings(&report).iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["github-pat-classic"], "only the valid token: {report:#}");
    assert!(finding_for(&report, &good).is_some());
    assert_eq!(report["stats"]["suppressed"]["checksum-failed"], 3, "{:#}", report["stats"]);
}

#[test]
fn third_party_code_and_documentation_are_low_confidence_and_hidden_by_default() {
    let mut rng = Rng::new();
    let t = tree();
    let own = github_token(&mut rng);
    let vendored = github_token(&mut rng);
    let docs = value(&mut rng);
    write(t.path(), "src/app.py", &format!("T = '{own}'\n"));
    write(t.path(), "vendor/github.com/acme/sdk/README.md", &format!("    token := \"{vendored}\" // example\n"));
    write(t.path(), "docs/setup.md", &format!("export API_TOKEN={docs}\n"));
    let default = scan_json(t.path(), &[]).json();
    assert_eq!(findings(&default).len(), 1, "{default:#}");
    assert!(finding_for(&default, &own).is_some());
    assert_eq!(default["stats"]["suppressed"]["confidence"], 2);
    let low = scan_json(t.path(), &["--min-confidence", "low"]).json();
    assert_eq!(findings(&low).len(), 3, "{low:#}");
    assert_eq!(finding_for(&low, &own).unwrap()["confidence"], "high", "the user's own file keeps its confidence");
    assert_eq!(finding_for(&low, &vendored).unwrap()["confidence"], "low");
    assert_eq!(finding_for(&low, &docs).unwrap()["confidence"], "low");
    // Only the directories below the scan root count: a project kept in ~/examples, or `docs/` scanned itself, is
    // the user's own.
    let docs_root = scan_json(&t.path().join("docs"), &[]).json();
    assert_eq!(finding_for(&docs_root, &docs).unwrap()["confidence"], "medium", "{docs_root:#}");
}

#[test]
fn lock_files_hold_no_generic_assignments_but_tokens_are_still_found() {
    let mut rng = Rng::new();
    let t = tree();
    let v = value(&mut rng);
    let token = github_token(&mut rng);
    write(t.path(), "poetry.lock", &format!("[metadata]\napi_token = \"{v}\"\ncontent-hash = \"{token}\"\n"));
    write(t.path(), "settings.toml", &format!("api_token = \"{v}\"\n"));
    let report = scan_json(t.path(), &[]).json();
    let found: Vec<(&str, &str)> =
        findings(&report).iter().map(|f| (f["path"].as_str().unwrap(), f["rule"].as_str().unwrap())).collect();
    assert_eq!(found.len(), 2, "{report:#}");
    assert!(found.iter().any(|(p, r)| p.ends_with("/poetry.lock") && *r == "github-pat-classic"), "{found:?}");
    assert!(found.iter().any(|(p, r)| p.ends_with("/settings.toml") && r.starts_with("generic-")), "{found:?}");
}

/// The shapes gitleaks writes its generated rule samples in (cmd/generate/config/utils/generate.go), with `{i}` a
/// credential name's prefix and `{s}` the secret: what other scanners' labelled examples look like.
const SAMPLE_SHAPES: &[&str] = &[
    "{i}Token=\"{s}\"",
    "{i}Token = {s}",
    "{\n    \"{i}_token\": \"{s}\"\n}",
    "{\n    \"name\": \"{i}_token\",\n    \"value\": \"{s}\"\n}",
    "<{i}Token>{s}</{i}Token>",
    "<{i}Token>\n    {s}\n</{i}Token>",
    "<entry name=\"{i}Token\" value=\"{s}\" />",
    "<entry>\n  <name>{i}Token</name>\n  <value>{s}</value>\n</entry>",
    "{i}_token: '{s}'",
    "{i}_token: |\n  {s}",
    "{i}_token: >\n  {s}",
    "char {i}_token[] = \"{s}\";",
    "string {i}Token = \"{s}\";",
    "var {i}Token string = \"{s}\"",
    "{i}Token := `{s}`",
    "config.put(\"{i}_token\", \"{s}\");",
    "${i}Token = '{s}';",
    "{i}_token = \"\"\"{s}\"\"\"",
    "let {i}_token: &str = \"{s}\";",
    "let {i}_token: String = String::from(\"{s}\");",
    "let {i}_token = r#\"{s}\"#;",
    "export {i}_token=\"{s}\"",
    "{i}_token ::= \"{s}\"",
    "{i}_token :::= \"{s}\"",
    "{i}_token ?= \"{s}\"",
    "{i}_token => \"{s}\"",
    "{i}_token : \"{s}\"",
    "{i}_token |= \"{s}\"",
    "{i}_token ||= \"{s}\"",
];

/// Every sample shape is found, by the rule that should find it: a generic name by the token assignment rule, a
/// provider's name by that provider's rule (Travis CI's token has no format of its own: only its name says whose).
#[test]
fn the_shapes_of_other_scanners_samples_are_found_by_the_right_rule() {
    let mut rng = Rng::new();
    let t = tree();
    let mut planted = Vec::new();
    for (n, shape) in SAMPLE_SHAPES.iter().enumerate() {
        for (prefix, rule, secret) in [
            ("deploy", "generic-token-assignment", value(&mut rng)),
            ("travis", "travis-ci-api-token", format!("{}Zq{}", rng.string(ALNUM, 10), rng.string(ALNUM, 10))),
        ] {
            let text = shape.replace("{i}", prefix).replace("{s}", &secret);
            let file = format!("{prefix}-{n}.txt");
            write(t.path(), &file, &format!("{text}\n"));
            planted.push((file, rule, secret));
        }
    }
    let v = scan_json(t.path(), &["--min-confidence", "low"]).json();
    let missed: Vec<String> = planted
        .iter()
        .filter(|(file, rule, secret)| {
            !findings(&v).iter().any(|f| {
                f["path"].as_str().unwrap().ends_with(&format!("/{file}"))
                    && f["rule"] == *rule
                    && f["fingerprint"] == sha256(secret)
            })
        })
        .map(|(file, rule, _)| format!("{file} ({rule}): {}", std::fs::read_to_string(t.path().join(file)).unwrap()))
        .collect();
    assert!(missed.is_empty(), "{missed:#?}");
}
