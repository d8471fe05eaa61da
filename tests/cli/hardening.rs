//! What a hostile tree used to break (issue #16): many findings on one long line (positions and the inline allow
//! marker computed in one pass), an MCP config with tens of thousands of arguments, and checksum-valid tokens whose
//! random body happens to spell a placeholder word. Correctness only: speed lives in benches/ and the bench script.
use serde_json::Value;

use crate::common::{findings, github_token, scan_json, sha256, tree, write, Rng};

/// Findings of one file by fingerprint: (line, column, context field).
fn positions(v: &Value) -> std::collections::HashMap<String, (u64, u64, Option<String>)> {
    findings(v)
        .iter()
        .map(|f| {
            let field = f["context"]["field"].as_str().map(str::to_owned);
            (
                f["fingerprint"].as_str().unwrap().to_owned(),
                (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap(), field),
            )
        })
        .collect()
}

/// 40,000 tokens on one 2 MB line, then 1,000 on a line carrying the inline allow marker: every token of the first
/// line at its own column, the second line's all left out and counted.
#[test]
fn forty_thousand_tokens_on_one_line_are_found_at_their_columns() {
    let mut rng = Rng::new();
    let t = tree();
    let mut text = String::from("header line é\n");
    let mut want = Vec::new();
    for i in 0..40_000 {
        let tok = github_token(&mut rng);
        // Multi-byte characters between tokens: columns count code points, not bytes.
        text.push_str(if i % 3 == 0 { "tökén=" } else { "token=" });
        want.push((sha256(&tok), text.len() - text.rfind('\n').unwrap() - 1));
        text.push_str(&tok);
        text.push_str(" ; ");
    }
    text.push('\n');
    for _ in 0..1_000 {
        text.push_str(&format!("{} ", github_token(&mut rng)));
    }
    text.push_str("# credsweep:allow\n");
    let path = write(t.path(), "one-line.txt", &text);
    assert!(std::fs::metadata(&path).unwrap().len() > 2_000_000);
    let v = scan_json(t.path(), &[]).json();
    let got = positions(&v);
    assert_eq!(got.len(), 40_000, "every token of the long line, none of the allowed line");
    let line2 = &text[text.find('\n').unwrap() + 1..];
    for (fp, byte_col) in &want {
        let (line, col, _) = got.get(fp).unwrap_or_else(|| panic!("{fp} found"));
        let chars = line2[..*byte_col].chars().count() as u64 + 1;
        assert_eq!((*line, *col), (2, chars));
    }
    assert_eq!(v["stats"]["suppressed"]["inline"], 1_000);
}

/// An MCP client config whose one server has 20,000 arguments, each a token (the parser's and the merge's work
/// grew with the square of that): each reported once, under its own `args[i]`, at its column.
#[test]
fn an_mcp_config_with_twenty_thousand_args_reports_each_once() {
    let mut rng = Rng::new();
    let t = tree();
    let toks: Vec<String> = (0..20_000).map(|_| github_token(&mut rng)).collect();
    let args: Vec<String> = toks.iter().map(|t| format!("\"--token={t}\"")).collect();
    let text = format!("{{\"mcpServers\": {{\"s\": {{\"command\": \"npx\", \"args\": [{}]}}}}}}\n", args.join(", "));
    write(t.path(), ".cursor/mcp.json", &text);
    let v = scan_json(t.path(), &[]).json();
    let got = positions(&v);
    assert_eq!(findings(&v).len(), 20_000);
    for (i, tok) in toks.iter().enumerate() {
        let (line, col, field) = got.get(&sha256(tok)).unwrap_or_else(|| panic!("args[{i}] found"));
        assert_eq!((*line, *col), (1, text.find(tok.as_str()).unwrap() as u64 + 1));
        assert_eq!(field.as_deref(), Some(format!("args[{i}]").as_str()));
    }
}

/// A checksum-valid GitHub token whose random body happens to contain `xxxx`, `fake`, `dummy` or `sample` is a real
/// token (the placeholder filter dropped 4 in 20,000); one with a run of a single character is still a placeholder.
#[test]
fn checksum_valid_tokens_with_placeholder_words_are_found() {
    let mut rng = Rng::new();
    let t = tree();
    let token = |body: String| {
        let check = credsweep::validate::crc32_base62(body.as_bytes());
        format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
    };
    let mut text = String::new();
    let mut want = Vec::new();
    for word in ["xxxx", "fake", "dummy", "sample", "FAKE", "Sample"] {
        let tok = token(format!(
            "{}{word}{}",
            rng.string(crate::common::B62, 10),
            rng.string(crate::common::B62, 20 - word.len())
        ));
        text.push_str(&format!("GH_TOKEN={tok}\n"));
        want.push(sha256(&tok));
    }
    let repeated = token(format!("{}{}", rng.string(crate::common::B62, 10), "z".repeat(20)));
    text.push_str(&format!("OTHER={repeated}\n"));
    write(t.path(), "tokens.txt", &text);
    let v = scan_json(t.path(), &[]).json();
    let got = positions(&v);
    for fp in &want {
        assert!(got.contains_key(fp), "{fp} found: {:#?}", findings(&v));
    }
    assert!(!got.contains_key(&sha256(&repeated)), "a run of one character is a placeholder, checksum or not");
    assert_eq!(got.len(), want.len());
}

/// Issue #16: a `--fingerprint-key-file` (or `--token-file`) that does not exist was reported as "removed during
/// the scan?", before any scan had started.
#[test]
fn a_missing_key_file_is_called_missing() {
    let t = tree();
    let missing = t.path().join("no-such.key");
    let r =
        crate::common::run(&["scan", t.path().to_str().unwrap(), "--fingerprint-key-file", missing.to_str().unwrap()]);
    assert_eq!(r.code(), 2);
    let err = r.stderr();
    assert!(err.contains("--fingerprint-key-file") && err.contains("no such file"), "{err}");
    assert!(!err.contains("during the scan"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

/// Issue #16: `rules check` passed a user file that reuses a built-in rule's id (a scan with it refuses to start),
/// and spent 1 GB on a 10 MB pattern before refusing it.
#[test]
fn rules_check_refuses_built_in_ids_and_huge_patterns() {
    let t = tree();
    let rule = |id: &str, pattern: &str| {
        format!(
            "[[rules]]\nid = \"{id}\"\nname = \"x\"\nseverity = \"high\"\nkind = \"api-key\"\nkeywords = [\"tok_\"]\n\
             pattern = '{pattern}'\nexamples = [\"tok_1234\"]\nnegative_examples = [\"tok_12\"]\n"
        )
    };
    for (name, text, want) in [
        ("dup.toml", rule("github-pat-classic", "(?P<secret>tok_[0-9]{4})"), "rule 'github-pat-classic': duplicate id"),
        ("parser.toml", rule("dotenv-secret", "(?P<secret>tok_[0-9]{4})"), "rule 'dotenv-secret': duplicate id"),
        (
            "huge.toml",
            rule("huge-rule", &format!("(?P<secret>tok_{})", "1".repeat(10 << 20))),
            "more than the 16384 allowed",
        ),
    ] {
        let path = write(t.path(), name, &text);
        let r = crate::common::run(&["rules", "check", path.to_str().unwrap()]);
        assert_eq!(r.code(), 2, "{name}");
        assert!(r.stderr().contains(want), "{name}: {}", &r.stderr()[..r.stderr().len().min(500)]);
        // A scan with the same file refuses to start, for the same reason.
        let scan = crate::common::run(&["scan", t.path().to_str().unwrap(), "--rules", path.to_str().unwrap()]);
        assert_eq!(scan.code(), 2, "{name}");
    }
    let ok = write(t.path(), "ok.toml", &rule("my-tok", "(?P<secret>tok_[0-9]{4})"));
    assert_eq!(crate::common::run(&["rules", "check", ok.to_str().unwrap()]).code(), 0);
}
