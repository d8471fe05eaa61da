//! Property tests of every parser (issue #16): on any input they never panic, return in time (inputs are bounded),
//! give spans inside the input (on character boundaries when the input is UTF-8, as line and column need), and
//! never quote a planted synthetic token in an error message.
//!
//! Inputs come two ways: pieces of each format's grammar in random order (so the fuzzing reaches deep into the
//! parser instead of stopping at the first byte), with synthetic tokens, multi-byte and invalid UTF-8 mixed in; and
//! the golden fixtures of `fixtures/`, mutated (bytes flipped, cut, inserted, removed; a token spliced in).
//!
//! Bounded: a fixed number of cases per property (`PROPTEST_CASES` raises it for a longer fuzzing session), inputs
//! of a few kilobytes, no timing.
use std::path::Path;

use proptest::{prelude::*, sample::Index};

use super::{classify, credfiles, document, dotenv, golden, history, keys, mcp, Candidate};

/// Cases per property; `PROPTEST_CASES` overrides it.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// A synthetic GitHub token (right checksum, random body): what the error-message property looks for.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{30}".prop_map(|body| {
        let check = crate::validate::crc32_base62(body.as_bytes());
        format!("ghp_{body}{}", std::str::from_utf8(&check).expect("base62"))
    })
}

/// Bytes every format should survive: multi-byte and invalid UTF-8, a BOM, NUL, CR, tabs.
const HOSTILE: &[&[u8]] =
    &[b"\xc3\xa9", "😀".as_bytes(), b"\xff", b"\xe2\x82", b"\xef\xbb\xbf", b"\0", b"\r", b"\r\n", b"\t", b" ", b"\n"];

/// One piece of an input: a grammar fragment, a hostile byte sequence, a planted token, or random bytes.
#[derive(Debug, Clone)]
enum Piece {
    Fragment(usize),
    Hostile(usize),
    Token,
    Bytes(Vec<u8>),
}

fn piece(fragments: usize) -> impl Strategy<Value = Piece> {
    prop_oneof![
        8 => (0..fragments).prop_map(Piece::Fragment),
        2 => (0..HOSTILE.len()).prop_map(Piece::Hostile),
        1 => Just(Piece::Token),
        1 => prop::collection::vec(any::<u8>(), 1..8).prop_map(Piece::Bytes),
    ]
}

/// An input made of `fragments` (and hostile bytes, and the token), up to 160 pieces.
fn assembled(fragments: &'static [&'static str]) -> impl Strategy<Value = (Vec<u8>, String)> {
    (prop::collection::vec(piece(fragments.len()), 0..160), token()).prop_map(move |(pieces, token)| {
        let mut text = Vec::new();
        for p in pieces {
            match p {
                Piece::Fragment(i) => text.extend_from_slice(fragments[i].as_bytes()),
                Piece::Hostile(i) => text.extend_from_slice(HOSTILE[i]),
                Piece::Token => text.extend_from_slice(token.as_bytes()),
                Piece::Bytes(b) => text.extend_from_slice(&b),
            }
        }
        (text, token)
    })
}

/// One edit of a fixture.
#[derive(Debug, Clone)]
enum Edit {
    Set(Index, u8),
    Cut(Index),
    Insert(Index, Vec<u8>),
    Remove(Index, usize),
    Token(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let special = prop::sample::select(b"\"'\\{}[]:=,#\n\r\t -$`<>/*|&;%\xff\0".to_vec());
    prop_oneof![
        4 => (any::<Index>(), prop_oneof![special, any::<u8>()]).prop_map(|(i, b)| Edit::Set(i, b)),
        1 => any::<Index>().prop_map(Edit::Cut),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..6)).prop_map(|(i, b)| Edit::Insert(i, b)),
        2 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Edit::Remove(i, n)),
        1 => any::<Index>().prop_map(Edit::Token),
    ]
}

/// `seed` with `edits` applied.
fn mutated(seed: &[u8], edits: &[Edit], token: &str) -> Vec<u8> {
    let mut t = seed.to_vec();
    for e in edits {
        let at = |i: &Index, t: &Vec<u8>| i.index(t.len() + 1);
        match e {
            Edit::Set(i, b) if !t.is_empty() => {
                let i = i.index(t.len());
                t[i] = *b;
            }
            Edit::Set(..) => {}
            Edit::Cut(i) => t.truncate(at(i, &t)),
            Edit::Insert(i, b) => {
                let i = at(i, &t);
                t.splice(i..i, b.iter().copied());
            }
            Edit::Remove(i, n) => {
                let i = at(i, &t);
                t.drain(i..(i + n).min(t.len()));
            }
            Edit::Token(i) => {
                let i = at(i, &t);
                t.splice(i..i, token.bytes());
            }
        }
    }
    t
}

/// A golden fixture of `dir`, mutated.
fn fixture_of(dir: &'static str, nested: bool) -> impl Strategy<Value = (Vec<u8>, String, String)> {
    let all = golden::fixtures(dir, nested);
    let texts: Vec<(String, Vec<u8>)> = all.into_iter().map(|f| (f.name, f.text)).collect();
    assert!(!texts.is_empty(), "fixtures/{dir} has inputs");
    (prop::sample::select(texts), prop::collection::vec(edit(), 0..6), token())
        .prop_map(|((name, text), edits, token)| (mutated(&text, &edits, &token), token, name))
}

/// A document tree, to serialize as JSON, YAML or TOML: the readers see well-formed documents of every shape (then,
/// mutated, nearly well-formed ones), not only fragments that rarely parse.
#[derive(Debug, Clone)]
enum Tree {
    Str(String),
    Num(i64),
    Bool(bool),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

/// Keys of the configurations the parsers read.
const KEYS_WORDS: &[&str] = &[
    "mcpServers",
    "servers",
    "mcp_servers",
    "env",
    "args",
    "headers",
    "url",
    "command",
    "GITHUB_TOKEN",
    "type",
    "private_key",
    "auths",
    "auth",
    "password",
    "token",
    "Authorization",
    "users",
    "user",
    "client-key-data",
    "a b",
    "é",
    "",
];

fn leaf_text(token: &str, i: usize, random: &str) -> String {
    match i {
        0 => token.to_owned(),
        1 => format!("Bearer {token}"),
        2 => format!("https://u:{token}@h.example/x"),
        3 => "${env:GITHUB_TOKEN}".into(),
        4 => "line\nbreak \"quoted\" \\ back".into(),
        5 => "😀é\u{0}\u{7f}".into(),
        _ => random.to_owned(),
    }
}

fn tree(token: String) -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        4 => (0..8usize, "\\PC{0,12}").prop_map(move |(i, r)| Tree::Str(leaf_text(&token, i, &r))),
        1 => any::<i64>().prop_map(Tree::Num),
        1 => any::<bool>().prop_map(Tree::Bool),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Tree::Seq),
            prop::collection::vec((prop::sample::select(KEYS_WORDS), inner), 0..6)
                .prop_map(|kv| Tree::Map(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

fn to_json(t: &Tree) -> serde_json::Value {
    match t {
        Tree::Str(s) => s.clone().into(),
        Tree::Num(n) => (*n).into(),
        Tree::Bool(b) => (*b).into(),
        Tree::Seq(v) => v.iter().map(to_json).collect(),
        Tree::Map(m) => serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

fn to_toml(t: &Tree) -> toml::Value {
    match t {
        Tree::Str(s) => toml::Value::String(s.clone()),
        Tree::Num(n) => toml::Value::Integer(*n),
        Tree::Bool(b) => toml::Value::Boolean(*b),
        Tree::Seq(v) => toml::Value::Array(v.iter().map(to_toml).collect()),
        Tree::Map(m) => toml::Value::Table(m.iter().map(|(k, v)| (k.clone(), to_toml(v))).collect()),
    }
}

/// Block-style YAML (strings double-quoted with JSON's escapes, which YAML shares).
fn to_yaml(t: &Tree, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match t {
        Tree::Seq(v) if !v.is_empty() => v.iter().for_each(|item| {
            out.push_str(&format!("{pad}-\n"));
            to_yaml(item, indent + 2, out);
        }),
        Tree::Map(m) if !m.is_empty() => m.iter().for_each(|(k, v)| {
            out.push_str(&format!("{pad}{}:\n", serde_json::Value::from(k.as_str())));
            to_yaml(v, indent + 2, out);
        }),
        Tree::Seq(_) => out.push_str(&format!("{pad}[]\n")),
        Tree::Map(_) => out.push_str(&format!("{pad}{{}}\n")),
        leaf => out.push_str(&format!("{pad}{}\n", to_json(leaf))),
    }
}

/// A tree as JSON (compact or pretty), YAML or TOML, then mutated a little: (text, token).
fn document_text() -> impl Strategy<Value = (Vec<u8>, String)> {
    token().prop_flat_map(|token| {
        (tree(token.clone()), 0..4usize, prop::collection::vec(edit(), 0..3), Just(token)).prop_map(
            |(tree, format, edits, token)| {
                let text = match format {
                    0 => to_json(&tree).to_string(),
                    1 => serde_json::to_string_pretty(&to_json(&tree)).expect("serializes"),
                    2 => {
                        let mut y = String::new();
                        to_yaml(&tree, 0, &mut y);
                        y
                    }
                    _ => match to_toml(&Tree::Map(vec![("root".into(), tree)])) {
                        toml::Value::Table(t) => toml::to_string(&t).unwrap_or_default(),
                        _ => unreachable!("a map is a table"),
                    },
                };
                (mutated(text.as_bytes(), &edits, &token), token)
            },
        )
    })
}

/// Spans lie inside the input, and on character boundaries when the input is UTF-8 (line and column count code
/// points from them).
fn spans_ok(text: &[u8], spans: impl IntoIterator<Item = std::ops::Range<usize>>) -> Result<(), TestCaseError> {
    let utf8 = std::str::from_utf8(text).ok();
    for s in spans {
        prop_assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} outside {} bytes", text.len());
        if let Some(u) = utf8 {
            prop_assert!(u.is_char_boundary(s.start) && u.is_char_boundary(s.end), "span {s:?} splits a character");
        }
    }
    Ok(())
}

fn candidate_spans(c: &[Candidate]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    c.iter().map(|c| c.span.clone())
}

/// Every scalar span of a document tree.
fn node_spans(node: &document::Node) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    node.walk(&mut Vec::new(), &mut |_, n| {
        if let document::Node::Scalar(s) = n {
            out.push(s.span.clone());
        }
    });
    out
}

/// The token rules, as far as these tests need them: a GitHub-token prefix.
fn token_rule(v: &[u8]) -> bool {
    memchr::memmem::find(v, b"ghp_").is_some()
}

const DOTENV: &[&str] = &[
    "DB_PASSWORD=",
    "API_TOKEN=",
    "export ",
    "KEY",
    "=",
    "\"",
    "'",
    "`",
    "#",
    " # note",
    "\\",
    "\\n",
    "${",
    "}",
    "$",
    "${HOME}",
    ":-",
    "(",
    ")",
    "<<EOF",
    "PORT=8080",
    "SECRET_KEY = ",
    "\n",
    "  ",
    "=\"",
    "\"\n",
    "https://u:",
    "@db.example:5432/x",
];

const HISTORY: &[&str] = &[
    "export ",
    "GITHUB_TOKEN=",
    "curl -H 'Authorization: Bearer ",
    "curl -u user:",
    "mysql -p",
    "-u root ",
    "psql postgres://u:",
    "@host/db",
    "'",
    "\"",
    "\n",
    ": 1700000000:0;",
    "- cmd: ",
    "  when: 1700000000\n",
    "\\",
    "|",
    ";",
    "&&",
    "$(",
    ")",
    "`",
    "--password=",
    "--token ",
    "-H ",
    "docker login -p ",
    "ssh ",
    "#",
    "sudo ",
    "git clone https://x:",
    "@github.com/a/b",
    "aws configure set aws_secret_access_key ",
    "set -x ",
    "$env:API_KEY=",
];

const JSON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\\",
    "\\u",
    "00e9",
    "\\ud83d\\ude00",
    "\\ud800",
    "//",
    "/*",
    "*/",
    "\n",
    "true",
    "null",
    "1e999",
    "-0",
    "\"mcpServers\"",
    "\"servers\"",
    "\"env\"",
    "\"args\"",
    "\"headers\"",
    "\"url\"",
    "\"command\"",
    "\"Authorization\"",
    "\"Bearer ",
    "\"GITHUB_TOKEN\"",
    "\"${env:X}\"",
    "\"https://u:",
    "@h/\"",
    "\"type\"",
    "\"service_account\"",
    "\"private_key\"",
    "\"auths\"",
    "\"auth\"",
    "\"password\"",
];

const YAML: &[&str] = &[
    "a:",
    ": ",
    "- ",
    "\n",
    "  ",
    "\"",
    "'",
    "|",
    "|-\n",
    ">",
    "&a ",
    "*a",
    "!!binary ",
    "{",
    "}",
    "[",
    "]",
    "#",
    "---\n",
    "...\n",
    "mcpServers:",
    "env:",
    "TOKEN: ",
    "? ",
    "%YAML 1.2\n",
    "kind: Config\n",
    "users:\n",
    "- name: u\n",
    "  user:\n",
    "    token: ",
    "    client-key-data: ",
    "password: ",
    "\\u00e9",
    "<<: *a\n",
];

const TOML: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "=",
    " = ",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\n",
    "a",
    ".",
    "mcp_servers",
    "env",
    "{",
    "}",
    ",",
    "\\u00e9",
    "\\U0001F600",
    "#",
    " ",
    "1979-05-27T07:32:00Z",
    "token",
    "bearer_token_env_var",
    "http_headers",
    "[registry]\n",
    "[registries.x]\n",
];

const CREDFILES: &[&str] = &[
    "[default]\n",
    "[profile prod]\n",
    "aws_access_key_id = AKIA",
    "aws_secret_access_key = ",
    "\n",
    " = ",
    "=",
    "<settings><servers><server><id>x</id>",
    "<username>u</username>",
    "<password>",
    "</password>",
    "</server>",
    "machine ",
    " login ",
    " password ",
    "https://u:",
    "@github.com\n",
    "//registry.npmjs.org/:_authToken=",
    "_auth=",
    "[distutils]\n",
    "[pypi]\n",
    "username = __token__\n",
    "password = ",
    "[client]\n",
    "user=root\n",
    "host:5432:db:user:",
    "[remote]\n",
    "type = s3\n",
    "secret_access_key = ",
    "pass = ",
    "{",
    "}",
    "\"",
    ":",
    "token: ",
    "oauth_token: ",
    "github.com:\n",
    "    ",
    "credential.helper",
    "[credential]\n",
    "[url \"",
    "systemProp.https.proxyPassword=",
    ":rubygems_api_key: ",
    "\"credentials\"",
    "\"token\"",
    "&amp;",
    "<!--",
    "-->",
];

const KEYS: &[&str] = &[
    "-----BEGIN OPENSSH PRIVATE KEY-----\n",
    "-----END OPENSSH PRIVATE KEY-----\n",
    "-----BEGIN RSA PRIVATE KEY-----\n",
    "-----END RSA PRIVATE KEY-----\n",
    "-----BEGIN PRIVATE KEY-----\n",
    "-----END PRIVATE KEY-----\n",
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n",
    "-----BEGIN EC PRIVATE KEY-----\n",
    "-----END EC PRIVATE KEY-----\n",
    "b3BlbnNzaC1rZXktdjEAAAAA",
    "AAAAC3NzaC1lZDI1NTE5",
    "MIIEowIBAAKCAQEA",
    "MIGHAgEAMBMGByqGSM49AgEG",
    "AAAA",
    "====",
    "=",
    "\n",
    "\\n",
    "Proc-Type: 4,ENCRYPTED\n",
    "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n",
    "PuTTY-User-Key-File-3: ssh-ed25519\n",
    "PuTTY-User-Key-File-2: ssh-rsa\n",
    "Encryption: none\n",
    "Comment: ",
    "Public-Lines: 1\n",
    "Private-Lines: 1\n",
    "Private-MAC: 00\n",
    "Key-Derivation: Argon2id\n",
    "  ",
];

const GRAMMARS: &[&[&str]] = &[DOTENV, HISTORY, JSON, YAML, TOML, CREDFILES, KEYS];

/// A representative path for every format a file can be classified as.
const PATHS: &[&str] = &[
    "app/.env",
    "app/.env.example",
    "home/u/.bash_history",
    "home/u/.zsh_history",
    "home/u/.local/share/fish/fish_history",
    "ConsoleHost_history.txt",
    "home/u/.psql_history",
    "home/u/.cursor/mcp.json",
    "home/u/.continue/config.yaml",
    "home/u/.codex/config.toml",
    "home/u/.aws/credentials",
    "home/u/.kube/config",
    "home/u/.docker/config.json",
    "home/u/.npmrc",
    "home/u/.netrc",
    "home/u/.git-credentials",
    "home/u/.m2/settings.xml",
    "home/u/.pgpass",
    "home/u/.config/gh/hosts.yml",
    "home/u/.config/rclone/rclone.conf",
    "Downloads/key.json",
    "deploy/cluster.yaml",
    "home/u/.config/gcloud/credentials.db",
    "home/u/.claude/projects/x/session.jsonl",
    "notes.txt",
];

proptest! {
    #![proptest_config(config(256))]

    /// Every parser, by the format its path classifies as, on inputs built from every grammar.
    #[test]
    fn every_parser_on_any_input(
        path in prop::sample::select(PATHS),
        (text, _) in prop::sample::select(GRAMMARS.to_vec()).prop_flat_map(assembled),
    ) {
        let path = Path::new(path);
        if let Some(parsed) = super::parse(classify::classify(path), path, &text, &token_rule) {
            spans_ok(&text, candidate_spans(&parsed.candidates))?;
            prop_assert!(parsed.identifiers.len() <= parsed.candidates.len());
        }
    }

    #[test]
    fn dotenv_on_fragments((text, _) in assembled(DOTENV), template in any::<bool>()) {
        let (cands, _) = dotenv::candidates(&text, template, &token_rule);
        spans_ok(&text, candidate_spans(&cands))?;
        spans_ok(&text, dotenv::parse(&text).iter().map(|a| a.span.clone()))?;
    }

    #[test]
    fn dotenv_on_mutated_fixtures((text, _, _) in fixture_of("dotenv", false)) {
        let (cands, _) = dotenv::candidates(&text, false, &token_rule);
        spans_ok(&text, candidate_spans(&cands))?;
    }

    #[test]
    fn history_on_fragments(
        (text, _) in assembled(HISTORY),
        name in prop::sample::select(vec![".bash_history", ".zsh_history", "fish_history", "ConsoleHost_history.txt",
            ".python_history", ".mysql_history", ".psql_history"]),
    ) {
        spans_ok(&text, candidate_spans(&history::candidates(name, &text)))?;
    }

    #[test]
    fn history_on_mutated_fixtures((text, _, name) in fixture_of("history", false)) {
        spans_ok(&text, candidate_spans(&history::candidates(&name, &text)))?;
    }

    /// The one document reader behind MCP configs and credential files: JSON, JSONC, YAML and TOML.
    #[test]
    fn documents_on_fragments(
        (json, _) in assembled(JSON),
        (yaml, _) in assembled(YAML),
        (toml, _) in assembled(TOML),
    ) {
        documents_ok(&json, &yaml, &toml)?;
    }

    /// Well-formed documents of every shape, and nearly well-formed ones: every reader on every text.
    #[test]
    fn documents_on_trees((text, _) in document_text()) {
        documents_ok(&text, &text, &text)?;
    }

    #[test]
    fn mcp_on_trees(
        (text, _) in document_text(),
        client in prop::sample::select(vec!["cursor", "continue", "codex-cli"]),
    ) {
        let (cands, _) = mcp::candidates(client, &text, &token_rule);
        spans_ok(&text, candidate_spans(&cands))?;
    }

    #[test]
    fn credential_files_on_trees((text, _) in document_text()) {
        for tool in credfiles::TOOLS {
            let parsed = credfiles::analyze(tool.name, &text);
            spans_ok(&text, parsed.findings.iter().map(|f| f.candidate.span.clone()))?;
        }
    }
}

/// Every document reader's scalar spans are inside its text.
fn documents_ok(json: &[u8], yaml: &[u8], toml: &[u8]) -> Result<(), TestCaseError> {
    {
        for doc in [document::json(json), document::jsonc(json)].into_iter().flatten() {
            spans_ok(json, node_spans(&doc))?;
        }
        for doc in document::yaml(yaml).docs {
            spans_ok(yaml, node_spans(&doc))?;
        }
        if let Some(doc) = document::toml(toml) {
            spans_ok(toml, node_spans(&doc))?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mcp_on_fragments(
        (text, _) in prop_oneof![assembled(JSON), assembled(YAML), assembled(TOML)],
        client in prop::sample::select(vec!["cursor", "claude-desktop", "vscode", "zed", "continue", "goose",
            "codex-cli"]),
    ) {
        let (cands, _) = mcp::candidates(client, &text, &token_rule);
        spans_ok(&text, candidate_spans(&cands))?;
    }

    #[test]
    fn mcp_on_mutated_fixtures((text, _, name) in fixture_of("mcp", true)) {
        let client = mcp::client_for_path(Path::new(&name)).unwrap_or("cursor");
        for client in [client, "continue", "codex-cli"] {
            let (cands, _) = mcp::candidates(client, &text, &token_rule);
            spans_ok(&text, candidate_spans(&cands))?;
        }
    }

    /// Every credential-file tool's parser, on inputs from every grammar a credential file may use.
    #[test]
    fn credential_files_on_fragments(
        (text, _) in prop_oneof![assembled(CREDFILES), assembled(JSON), assembled(YAML), assembled(TOML)],
    ) {
        for tool in credfiles::TOOLS {
            let parsed = credfiles::analyze(tool.name, &text);
            spans_ok(&text, parsed.findings.iter().map(|f| f.candidate.span.clone()))?;
        }
        let _ = credfiles::sniff_tool(&text);
    }

    #[test]
    fn credential_files_on_mutated_fixtures((text, _, _) in fixture_of("credfiles", true)) {
        for tool in credfiles::TOOLS {
            let parsed = credfiles::analyze(tool.name, &text);
            spans_ok(&text, parsed.findings.iter().map(|f| f.candidate.span.clone()))?;
        }
    }

    /// Private keys: errors are static descriptions, never the key's (or anything's) bytes.
    #[test]
    fn private_keys_on_fragments((text, token) in assembled(KEYS)) {
        if let Err(e) = keys::parse_private_key(&text) {
            prop_assert!(!e.to_string().contains(&token), "{e}");
        }
    }

    #[test]
    fn private_keys_on_mutated_fixtures((text, token, _) in fixture_of("keys", false)) {
        if let Err(e) = keys::parse_private_key(&text) {
            prop_assert!(!e.to_string().contains(&token), "{e}");
        }
    }
}

/// The inputs are not all rejected at the first byte: over a few hundred draws, each generator gives inputs its
/// parser finds candidates in (private keys: parses), so the properties above are about real parses.
#[test]
fn the_generators_reach_the_parsers() {
    use proptest::{strategy::ValueTree, test_runner::TestRunner};
    fn draws<T: std::fmt::Debug>(s: impl Strategy<Value = T>, f: impl Fn(&T) -> bool) -> usize {
        let mut runner = TestRunner::deterministic();
        (0..400).filter(|_| f(&s.new_tree(&mut runner).unwrap().current())).count()
    }
    let reached = [
        ("dotenv", draws(assembled(DOTENV), |(t, _)| !dotenv::candidates(t, false, &token_rule).0.is_empty())),
        ("history", draws(assembled(HISTORY), |(t, _)| !history::candidates(".bash_history", t).is_empty())),
        ("mcp", draws(fixture_of("mcp", true), |(t, _, _)| !mcp::candidates("cursor", t, &token_rule).0.is_empty())),
        ("json", draws(document_text(), |(t, _)| document::jsonc(t).is_some_and(|d| !node_spans(&d).is_empty()))),
        ("yaml", draws(document_text(), |(t, _)| document::yaml(t).docs.iter().any(|d| !node_spans(d).is_empty()))),
        ("toml", draws(document_text(), |(t, _)| document::toml(t).is_some_and(|d| !node_spans(&d).is_empty()))),
        (
            "credfiles",
            draws(fixture_of("credfiles", true), |(t, _, _)| {
                credfiles::TOOLS.iter().any(|tool| !credfiles::analyze(tool.name, t).findings.is_empty())
            }),
        ),
        ("keys", draws(fixture_of("keys", false), |(t, _, _)| keys::parse_private_key(t).is_ok())),
    ];
    for (name, n) in reached {
        assert!(n >= 20, "{name}: {n} of 400 inputs reached a parse");
    }
}
