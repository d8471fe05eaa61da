//! The scanner on its own: one buffer in, findings out, for each kind of input a source can give.
//!
//! Secrets are synthetic, made here with the right format (a GitHub token's CRC32) and a random body.
use std::{ffi::OsStr, path::Path, sync::OnceLock};

use super::*;
use crate::{
    finding::Base, read::FileMeta, repo_config::PathAllow, report::Provenance, rules::RuleSet, testutil::random,
};

/// The built-in rules with the parsers' rule descriptions, as a scan loads them.
fn rules() -> RuleSet {
    let mut rules = RuleSet::load(&[]).unwrap();
    rules.add_parser_rules(parsers::rule_specs());
    rules
}

fn filter(fingerprints: &[&str]) -> suppress::Filter {
    suppress::Filter {
        baseline: Default::default(),
        fingerprints: fingerprints.iter().map(|s| s.to_string()).collect(),
        paths: PathAllow::new(&[]).unwrap(),
        roots: Vec::new(),
        min_severity: None,
        min_confidence: None,
    }
}

/// One scanner for the tests that need no suppressions (building the engine is the slow part).
fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| Scanner::new(Engine::new(rules()), Emit::default(), filter(&[]), Vec::new()))
}

fn scan(input: &Input<'_>, text: &str) -> Scanned {
    scanner().scan_bytes(input, text.as_bytes(), &mut Scratch::default())
}

/// A password-like value that passes the generic rules' "looks generated" test: letters and digits (guaranteed, not
/// left to chance), a symbol, random enough.
fn password() -> String {
    format!("{}9xQ#{}", random(7), random(7))
}

/// A GitHub classic token with a valid checksum and a random body.
fn github_token() -> String {
    let body = random(30);
    let check = crate::validate::crc32_base62(body.as_bytes());
    format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
}

fn sha256(s: &str) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(s.as_bytes())))
}

fn rules_of(s: &Scanned) -> Vec<&str> {
    s.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn token_in_generic_text_with_position_fingerprint_and_checksum() {
    let token = github_token();
    let out = scan(&Input::new(Path::new("notes/todo.txt")), &format!("first line\nx = {token} trailing\n"));
    assert_eq!(rules_of(&out), ["github-pat-classic"]);
    let f = &out.findings[0];
    assert_eq!((f.path.as_str(), f.line, f.column), ("notes/todo.txt", 2, 5));
    assert_eq!(f.fingerprint, sha256(&token));
    assert_eq!(f.validation, crate::validate::Validation::ChecksumValid);
    assert_eq!(f.redacted, "ghp_…(40)");
    assert!(f.context.is_none() && f.secret.is_none() && f.file.is_none() && f.provenance.is_none());
    assert!(out.references.is_empty());
}

#[test]
fn dotenv_file_gives_parser_findings_context_and_references() {
    let token = github_token();
    let password = password();
    let text = format!("GITHUB_TOKEN={token}\nDB_PASSWORD={password}\nAPI_KEY=${{env:API}}\n");
    let out = scan(&Input::new(Path::new("./app/.env")), &text);
    assert_eq!(rules_of(&out), ["github-pat-classic", crate::parsers::DOTENV_RULE]);
    let (token_f, parser_f) = (&out.findings[0], &out.findings[1]);
    assert_eq!(token_f.path, "app/.env", "a leading ./ is not part of the reported path");
    let var = |f: &Finding| f.context.as_ref().and_then(|c| c.variable.clone());
    assert_eq!(var(token_f).as_deref(), Some("GITHUB_TOKEN"), "the token rule's finding gains the parser's context");
    assert_eq!(var(parser_f).as_deref(), Some("DB_PASSWORD"));
    assert_eq!((parser_f.line, parser_f.column), (2, 13));
    assert_eq!(parser_f.fingerprint, sha256(&password));
    assert_eq!(out.references.len(), 1);
    assert_eq!((out.references[0].path.as_str(), out.references[0].reference.as_str()), ("app/.env", "${env:API}"));
}

#[test]
fn mcp_config_names_client_server_and_field() {
    let (token, key) = (github_token(), password());
    let text = format!(
        r#"{{"mcpServers": {{"gh": {{"command": "npx", "env": {{"GITHUB_TOKEN": "{token}", "SERVICE_API_KEY": "{key}"}}}}}}}}"#
    );
    let out = scan(&Input::new(Path::new("/home/a/.cursor/mcp.json")), &text);
    assert_eq!(rules_of(&out), ["github-pat-classic", crate::parsers::MCP_RULE]);
    for (f, field) in out.findings.iter().zip(["env.GITHUB_TOKEN", "env.SERVICE_API_KEY"]) {
        let c = f.context.as_ref().expect("context");
        assert_eq!(
            (c.tool.as_deref(), c.server.as_deref(), c.field.as_deref()),
            (Some("cursor"), Some("gh"), Some(field))
        );
    }
    assert_eq!(out.findings[1].fingerprint, sha256(&key));
}

#[test]
fn a_format_parser_supersedes_the_generic_assignment_rule_on_the_same_value() {
    let line = format!("DB_PASSWORD={}\n", password());
    let generic = scan(&Input::new(Path::new("app/settings.txt")), &line);
    assert_eq!(rules_of(&generic), ["generic-password-assignment"], "no parser knows a .txt file");
    let parsed = scan(&Input::new(Path::new("app/.env")), &line);
    assert_eq!(rules_of(&parsed), [crate::parsers::DOTENV_RULE], "one finding, under the format's rule");
    assert_eq!(parsed.findings[0].fingerprint, generic.findings[0].fingerprint, "the same value");
    assert_eq!(
        (parsed.findings[0].line, parsed.findings[0].column),
        (generic.findings[0].line, generic.findings[0].column)
    );
}

#[test]
fn inline_allow_leaves_out_its_line_only_and_counts_it() {
    let (a, b) = (github_token(), github_token());
    let out = scan(&Input::new(Path::new("src/app.py")), &format!("A = '{a}'  # credsweep:allow\nB = '{b}'\n"));
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].fingerprint, sha256(&b));
    assert_eq!(out.suppressed[suppress::Reason::Inline.index()], 1);
}

#[test]
fn a_chunk_reports_what_it_owns_at_whole_file_positions() {
    let (before, owned, next) = (github_token(), github_token(), github_token());
    let text = format!("{before}\nab {owned}\nzz {next}\n");
    let (owned_start, owned_end) = (text.find("ab").unwrap(), text.find("zz").unwrap());
    let mut input = Input::new(Path::new("big.log"));
    input.part = Part::Chunk { owned_start, owned_end, first: false };
    // The chunk starts mid-line 8 of the file, 4 code points in.
    input.origin.base = Base { lines: 7, columns: 4 };
    let out = scan(&input, &text);
    assert_eq!(out.findings.len(), 1, "matches before owned_start and from owned_end on belong to other chunks");
    let f = &out.findings[0];
    assert_eq!((f.fingerprint.as_str(), f.line, f.column), (sha256(&owned).as_str(), 9, 4));
    // Parsers never run on a chunk, even of a file whose name they know.
    let mut env = Input::new(Path::new("huge.env"));
    env.part = Part::Chunk { owned_start: 0, owned_end: 40, first: true };
    assert!(scan(&env, &format!("DB_PASSWORD={}\n", password())).findings.iter().all(|f| f.rule != "dotenv-secret"));
}

#[test]
fn token_rules_only_runs_neither_generic_rules_nor_parsers() {
    let token = github_token();
    let text = format!("DB_PASSWORD={}\nGITHUB_TOKEN={token}\n", password());
    let mut input = Input::new(Path::new("app/.env"));
    input.scope.token_rules_only = true;
    let out = scan(&input, &text);
    assert_eq!(rules_of(&out), ["github-pat-classic"]);
    assert!(out.findings[0].context.is_none(), "no parser ran");
    let assignment = format!("password = {}\n", password());
    let mut generic = Input::new(Path::new("strings.txt"));
    assert_eq!(rules_of(&scan(&generic, &assignment)), ["generic-password-assignment"]);
    generic.scope.token_rules_only = true;
    assert!(scan(&generic, &assignment).findings.is_empty());
}

#[test]
fn line_scope_keeps_findings_on_those_lines_only() {
    let tokens: Vec<String> = (0..4).map(|_| github_token()).collect();
    let text: String = tokens.iter().map(|t| format!("t = {t}\n")).collect();
    let added = [2..3, 4..10];
    let mut input = Input::new(Path::new("src/a.py"));
    input.scope.lines = Some(&added);
    let out = scan(&input, &text);
    let lines: Vec<u64> = out.findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, [2, 4]);
    assert_eq!(out.findings[0].fingerprint, sha256(&tokens[1]));
}

#[cfg(unix)]
#[test]
fn virtual_path_format_name_metadata_and_provenance_reach_the_finding() {
    use std::os::unix::ffi::OsStrExt;
    // An archive member: the reported path is virtual (and not UTF-8), the member's own path decides the format.
    let shown = Path::new(OsStr::from_bytes(b"backup-\xff.tar.gz!etc/app/.env"));
    let provenance = Provenance {
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        author: Some("A U Thor <a@example.invalid>".into()),
        date: Some("2026-01-02T03:04:05Z".into()),
    };
    let mut input = Input::new(Path::new(".env"));
    input.origin.path = shown;
    input.origin.meta = Some(FileMeta { size: 40, mode: 0o644, uid: 4242, gid: 4242, mtime: 1_700_000_000 });
    input.origin.provenance = Some(&provenance);
    let out = scan(&input, &format!("SECRET_KEY={}\n", password()));
    assert_eq!(rules_of(&out), [crate::parsers::DOTENV_RULE], "classified by the member's name");
    let f = &out.findings[0];
    assert_eq!(f.path, "backup-\u{fffd}.tar.gz!etc/app/.env");
    assert!(f.path_raw.is_some(), "the exact bytes survive");
    assert_eq!(f.provenance.as_ref(), Some(&provenance));
    let file = f.file.as_ref().expect("metadata");
    assert_eq!(
        (file.mode.as_str(), file.uid, file.owner.as_deref()),
        ("0644", 4242, None),
        "not on disk: no owner looked up"
    );
    assert!(f.risks.iter().all(|r| r != "in-git-worktree" && r != "tracked"), "no git lookups off disk");
}

#[test]
fn public_key_files_are_never_findings() {
    let text = format!("ssh-ed25519 AAAA comment {}\n", github_token());
    assert!(scan(&Input::new(Path::new("/home/a/.ssh/id_ed25519.pub")), &text).findings.is_empty());
}

#[test]
fn suppressions_are_counted_and_homes_name_their_user() {
    let (kept, allowed) = (github_token(), github_token());
    let homes = vec![
        crate::targets::Home { user: "alice".into(), path: "/home/alice".into() },
        crate::targets::Home { user: "nested".into(), path: "/home/alice/shared".into() },
    ];
    let s = Scanner::new(Engine::new(rules()), Emit::default(), filter(&[&sha256(&allowed)]), homes);
    let text = format!("{kept}\n{allowed}\n");
    let out =
        s.scan_bytes(&Input::new(Path::new("/home/alice/shared/x.txt")), text.as_bytes(), &mut Scratch::default());
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.suppressed[suppress::Reason::Allowlist.index()], 1);
    assert_eq!(out.findings[0].user.as_deref(), Some("nested"), "the longest home path wins");
}

#[test]
fn include_secrets_keeps_the_raw_value_only_when_asked() {
    let token = github_token();
    let emit = Emit { include_secrets: true, ..Emit::default() };
    let s = Scanner::new(Engine::new(rules()), emit, filter(&[]), Vec::new());
    let out = s.scan_bytes(&Input::new(Path::new("a.txt")), token.as_bytes(), &mut Scratch::default());
    assert_eq!(out.findings[0].secret.as_deref(), Some(token.as_str()));
    assert!(scan(&Input::new(Path::new("a.txt")), &token).findings[0].secret.is_none());
}
