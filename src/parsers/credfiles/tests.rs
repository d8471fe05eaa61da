//! Golden tests over `fixtures/credfiles/` (written by `fixtures/credfiles/generate.py`), robustness over damaged
//! inputs, and unit tests of the shared rules.
use std::path::Path;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::super::golden;
use super::*;

/// Every fixture input (not the expectations, not the generator at the top).
fn fixtures() -> Vec<golden::Fixture> {
    golden::fixtures("credfiles", true)
}

fn detect(path: &Path, text: &[u8]) -> Option<&'static str> {
    tool_for_path(path).or_else(|| sniff_tool(text))
}

/// The parser's output in the shape of the `*.expected.json` files.
fn actual(tool: Option<&str>, text: &[u8]) -> Value {
    let parsed = tool.map(|t| analyze(t, text)).unwrap_or_default();
    let findings: Vec<Value> = parsed
        .findings
        .iter()
        .map(|f| {
            let c = &f.candidate;
            assert_eq!(c.context.tool.as_deref(), tool);
            let line_start = text[..c.span.start].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let mut v = json!({
                "profile": c.context.profile,
                "variable": c.context.variable,
                "field": c.context.field,
                "identifier": f.identifier,
            });
            if c.value.len() <= 100 && c.value.iter().all(|b| (32..127).contains(b)) {
                v["value"] = json!(String::from_utf8(c.value.clone()).unwrap());
            } else {
                v["sha256"] = json!(hex::encode(Sha256::digest(&c.value)));
            }
            v["line"] = json!(text[..c.span.start].iter().filter(|&&b| b == b'\n').count() + 1);
            v["column"] = json!(c.span.start - line_start + 1);
            v["len"] = json!(c.span.len());
            v
        })
        .collect();
    let mut references: Vec<Value> = parsed
        .references
        .iter()
        .map(|r| {
            json!({"profile": r.context.profile, "variable": r.context.variable, "field": r.context.field,
                   "reference": r.reference})
        })
        .collect();
    let key = |v: &Value| {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        (s("variable"), s("profile"), s("reference"))
    };
    references.sort_by_key(key);
    json!({"tool": tool, "findings": findings, "references": references})
}

#[test]
fn golden_fixtures() {
    let all = fixtures();
    assert!(all.len() >= 40, "only {} fixtures", all.len());
    let outputs = golden::check(&all, &|f| actual(detect(&f.path, &f.text), &f.text));
    let mut covered = std::collections::BTreeSet::new();
    let mut total = 0;
    for got in &outputs {
        let found = got["findings"].as_array().unwrap().len();
        total += found;
        if found > 0 {
            covered.insert(got["tool"].as_str().unwrap().to_owned());
        }
    }
    let missing: Vec<_> = TOOLS.iter().map(|t| t.name).filter(|t| !covered.contains(*t)).collect();
    assert!(missing.is_empty(), "no fixture with findings for {missing:?}");
    assert!(total >= 90, "{total} findings");
}

#[test]
fn damaged_inputs_never_panic() {
    let mut rng = 0x2545_f491_4f6c_dd1d_u64; // xorshift64: deterministic
    let mut next = move |below: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % below.max(1) as u64) as usize
    };
    const SPECIAL: &[u8] = b"\"'\\:=#;[]{}\n\r\t %@|-";
    let all = fixtures();
    for golden::Fixture { path, text, .. } in &all {
        let tool = detect(path, text).unwrap_or("kubectl");
        let check = |input: &[u8], what: &str| {
            let run = std::panic::catch_unwind(|| {
                let parsed = analyze(tool, input);
                sniff_tool(input);
                for f in &parsed.findings {
                    assert!(f.candidate.span.end <= input.len() && f.candidate.span.start <= f.candidate.span.end);
                }
            });
            assert!(run.is_ok(), "{tool} parser panicked on {what} of {}", path.display());
        };
        for cut in (0..text.len()).step_by(text.len() / 200 + 1) {
            check(&text[..cut], "a truncation");
        }
        for _ in 0..std::env::var("CREDFILES_FUZZ_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(200) {
            let mut d = text.clone();
            for _ in 0..=next(3) {
                let at = next(d.len());
                if let Some(b) = d.get_mut(at) {
                    *b = match next(3) {
                        0 => *b ^ (1 << next(8)),
                        1 => SPECIAL[next(SPECIAL.len())],
                        _ => next(256) as u8,
                    };
                }
            }
            check(&d, "a byte flip");
        }
        // Every grammar on every other format's file: a misrouted file is parsed safely too.
        for other in TOOLS.iter().map(|t| t.name) {
            let r = std::panic::catch_unwind(|| analyze(other, text));
            assert!(r.is_ok(), "{other} parser panicked on {}", path.display());
        }
    }
}

#[test]
fn paths_name_their_tool() {
    let cases = [
        ("/home/a/.aws/credentials", Some("aws-cli")),
        ("/home/a/.aws/config", Some("aws-cli")),
        ("/home/a/.aws/cli/cache/x.json", None),
        ("/home/a/.kube/config", Some("kubectl")),
        ("/tmp/prod.kubeconfig", Some("kubectl")),
        ("/tmp/kubeconfig", Some("kubectl")),
        ("/src/kubeconfig.go", None),
        ("/repo/.git/config", Some("git")),
        ("/home/a/.config/git/config", Some("git")),
        ("/srv/git/config", None),
        ("/home/a/.config/gh/hosts.yml", Some("gh")),
        ("/home/a/.config/gh/config.yml", None),
        ("/home/a/.azure/azureProfile.json", None),
        ("/home/a/.azure/msal_token_cache.json", Some("azure-cli")),
        ("/home/a/.config/gcloud/credentials.db", Some("gcloud")),
        ("/home/a/.config/gcloud/configurations/config_default", None),
        ("/opt/apache-maven-3.9.6/conf/settings.xml", Some("maven")),
        ("/app/conf/settings.xml", None),
        ("C:/Users/a/AppData/Roaming/postgresql/pgpass.conf", Some("postgres")),
        ("/home/a/_netrc", Some("netrc")),
        ("/home/a/.local/share/gem/credentials", Some("rubygems")),
        ("/home/a/.config/op/config", Some("1password-cli")),
        ("/home/a/.config/Bitwarden CLI/data.json", Some("bitwarden-cli")),
        ("/home/a/project/data.json", None),
        ("credentials", None),
        ("", None),
    ];
    for (path, tool) in cases {
        assert_eq!(tool_for_path(Path::new(path)), tool, "{path}");
    }
    for tool in TOOLS.iter().map(|t| t.name) {
        assert_eq!(tool.to_ascii_lowercase(), tool);
    }
}

#[test]
fn url_userinfo() {
    let url = b"https://us%40er:p%3Ass@host:8443/a@b";
    let c = url_creds(url).unwrap();
    assert_eq!((c.user.as_str(), c.password.as_slice(), c.host.as_str()), ("us@er", &b"p:ss"[..], "host:8443"));
    assert_eq!(&url[c.span], b"p%3Ass");
    for no in [&b"https://user@host/"[..], b"host:pw@x", b"://a:b@c", b"https://host/a:b@c", b"%zz"] {
        assert!(url_creds(no).is_none(), "{:?}", String::from_utf8_lossy(no));
    }
    assert_eq!(percent_decode(b"%41%2x%+f%"), b"A%2x%+f%");
}

#[test]
fn shared_rules_drop_placeholders_and_empties_and_unknown_tools() {
    let text = b"[default]\naws_secret_access_key = \naws_session_token = <SESSION_TOKEN>\n";
    assert_eq!(analyze("aws-cli", text), Parsed::default());
    assert_eq!(analyze("no-such-tool", b"token"), Parsed::default());
    let huge = vec![b'a'; MAX_INPUT + 1];
    assert_eq!(analyze("vault", &huge), Parsed::default());
    assert_eq!(sniff_tool(&huge), None);
}

#[test]
fn armored_keys_are_judged_by_their_body() {
    let body = format!("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC{}BKcwggSjAgEAAoIBAQC7", "A".repeat(12));
    let key = format!("-----BEGIN PRIVATE KEY-----\n{body}\n{body}\n-----END PRIVATE KEY-----\n");
    let json = format!(r#"{{"type": "service_account", "private_key": {}}}"#, serde_json::to_string(&key).unwrap());
    assert_eq!(parse("gcp-service-account", json.as_bytes()).len(), 1);
}

#[test]
fn sniffing_is_by_shape() {
    assert_eq!(sniff_tool(br#"{"type": "service_account", "private_key": "k"}"#), Some("gcp-service-account"));
    assert_eq!(sniff_tool(br#"{"type": "authorized_user"}"#), Some("gcloud"));
    assert_eq!(sniff_tool(br#"{"auths": {}}"#), Some("docker"));
    assert_eq!(sniff_tool(br#"{"auths": "x"}"#), None);
    assert_eq!(sniff_tool(b"kind: Config\nusers:\n- name: a\n  user: {}\n"), Some("kubectl"));
    assert_eq!(sniff_tool(b"kind: Config\nusers: []\n"), None);
    assert_eq!(sniff_tool(br#"{"type": "service_account""#), None);
    assert_eq!(sniff_tool(b"plain text"), None);
}

#[test]
fn pathological_inputs_are_bounded() {
    let n = 200_000;
    let inputs: Vec<Vec<u8>> = vec![
        "[".repeat(n).into_bytes(),
        "{\"a\":".repeat(n).into_bytes(),
        "- ".repeat(n).into_bytes(),
        (0..n).map(|i| format!("{}k: v\n", " ".repeat(i % 50))).collect::<String>().into_bytes(),
        "<a>".repeat(n).into_bytes(),
        "&a;".repeat(n).into_bytes(),
        "machine m password p\n".repeat(n / 10).into_bytes(),
        format!("[s]\nk = {}\n", "\\".repeat(n)).into_bytes(),
        format!("a{}", "\\\n".repeat(n)).into_bytes(),
        "*a: &a [*a, *a]\n".repeat(n / 20).into_bytes(),
        b"SQLite format 3\0\x02\x00".iter().copied().chain(std::iter::repeat_n(0x0d, n)).collect(),
    ];
    for input in &inputs {
        let start = std::time::Instant::now();
        for tool in TOOLS.iter().map(|t| t.name) {
            analyze(tool, input);
        }
        sniff_tool(input);
        assert!(start.elapsed().as_secs() < 20, "slow on {:?}…", String::from_utf8_lossy(&input[..20]));
    }
}

/// Every row of the tool table is wired: its name is its own, and some fixture is recognised as it (by path or by
/// content) and parsed by it into at least one finding or reference.
#[test]
fn every_tool_row_recognises_and_parses_a_fixture() {
    let names: std::collections::BTreeSet<_> = TOOLS.iter().map(|t| t.name).collect();
    assert_eq!(names.len(), TOOLS.len(), "a tool name is in the table twice");
    let all = fixtures();
    for tool in TOOLS {
        let wired = all.iter().any(|f| {
            let recognised = detect(&f.path, &f.text) == Some(tool.name);
            let parsed = analyze(tool.name, &f.text);
            recognised && !(parsed.findings.is_empty() && parsed.references.is_empty())
        });
        assert!(wired, "{}: no fixture is recognised as it and parsed", tool.name);
    }
    assert!(super::reads_binary("gcloud") && !super::reads_binary("aws-cli") && !super::reads_binary("no-such-tool"));
}
