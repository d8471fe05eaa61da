//! The assignment matcher on one line (or two) per syntax: which name, which value, which syntax — and the lines
//! that look like assignments but are not.
use super::*;

const KEYWORDS: &[&str] =
    &["pass", "pwd", "credential", "creds", "key", "token", "auth", "bearer", "session", "cookie", "secret", "sig"];

/// Every occurrence of the generic rules' keywords in `text` (ASCII case-insensitive, like the gate), sorted.
fn keyword_hits(text: &str) -> Vec<Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let mut hits: Vec<Range<usize>> =
        KEYWORDS.iter().flat_map(|k| lower.match_indices(k).map(|(i, _)| i..i + k.len()).collect::<Vec<_>>()).collect();
    hits.sort_by_key(|h| (h.start, h.end));
    hits
}

fn word_starts() -> judge::WordStarts {
    judge::WordStarts::new(KEYWORDS.iter().map(|k| k.as_bytes()))
}

/// The assignments in `text`, found from the keyword hits the gate hands over ([`may_begin_word`]); the same as
/// from every hit (asserted).
fn scan(text: &str) -> Vec<(String, String, &'static str)> {
    let hits = keyword_hits(text);
    let starts = word_starts();
    let kept: Vec<Range<usize>> =
        hits.iter().filter(|h| may_begin_word(text.as_bytes(), (*h).clone(), &starts)).cloned().collect();
    let (mut out, mut all) = (Vec::new(), Vec::new());
    find(text.as_bytes(), &kept, &mut out);
    find(text.as_bytes(), &hits, &mut all);
    assert_eq!(out, all, "the hits left out change what is found in {text:?}");
    out.iter().map(|a| (text[a.name.clone()].to_owned(), text[a.value.clone()].to_owned(), a.syntax.as_str())).collect()
}

const V: &str = "q8Vt2mZr4LkPp9xYw3Nc";

/// (line with `{v}` for the value, name, syntax)
const FOUND: &[(&str, &str, &str)] = &[
    ("api_key = '{v}'", "api_key", "assignment"),
    ("const apiKey = \"{v}\";", "apiKey", "assignment"),
    ("export const apiKey: string = '{v}';", "apiKey", "assignment"),
    ("    const API_KEY: &'static str = \"{v}\";", "API_KEY", "assignment"),
    ("password: str = \"{v}\"", "password", "assignment"),
    ("\ttoken := \"{v}\"", "token", "assignment"),
    ("AUTH_TOKEN ?= {v}", "AUTH_TOKEN", "assignment"),
    ("db.password = {v}", "db.password", "assignment"),
    ("  client_secret: {v}", "client_secret", "key-value"),
    ("  \"clientSecret\": \"{v}\",", "clientSecret", "key-value"),
    ("X-Api-Key: {v}", "X-Api-Key", "key-value"),
    ("curl -H \"X-Auth-Token: {v}\" https://api.internal.test", "X-Auth-Token", "key-value"),
    ("client = Client.new(api_token: '{v}')", "api_token", "key-value"),
    ("$config = ['api_key' => '{v}'];", "api_key", "map"),
    ("my %cfg = ( secret => '{v}' );", "secret", "map"),
    ("val opts = mapOf(\"session_token\" to \"{v}\")", "session_token", "map"),
    ("setenv(\"DB_PASSWORD\", \"{v}\", 1);", "DB_PASSWORD", "argument"),
    ("System.setProperty(\"api.key\", \"{v}\");", "api.key", "argument"),
    ("./bin/ctl login --api-key {v} --region eu", "api-key", "flag"),
    ("cli sync --auth-token={v}", "auth-token", "flag"),
    ("& .\\Tool.exe -ApiKey '{v}' -Verbose", "ApiKey", "flag"),
    ("wmic /node:h /user:u /password:{v} process list", "password", "key-value"),
    ("ENV APP_SECRET {v}", "APP_SECRET", "directive"),
    ("setenv SMTP_PASSWORD {v}", "SMTP_PASSWORD", "directive"),
    ("#define API_TOKEN \"{v}\"", "API_TOKEN", "directive"),
    ("proxy_set_header X-Api-Key \"{v}\";", "X-Api-Key", "directive"),
    ("  <password>{v}</password>", "password", "xml-element"),
    ("  <connection host=\"db\" apiKey=\"{v}\" />", "apiKey", "assignment"),
    ("    <add key=\"DbPassword\" value=\"{v}\" />", "DbPassword", "name-value"),
    ("    <property name=\"secretKey\" value=\"{v}\"/>", "secretKey", "name-value"),
    ("            - name: DB_PASSWORD\n              value: \"{v}\"", "DB_PASSWORD", "name-value"),
    ("const u = `https://x.internal.test/export?api_key={v}&format=csv`;", "api_key", "url-query"),
    ("$db_password = \"{v}\";", "db_password", "assignment"),
    ("[string]$ApiKey = '{v}'", "ApiKey", "assignment"),
    ("os.environ[\"API_TOKEN\"] = \"{v}\"", "API_TOKEN", "assignment"),
    ("ENV['API_TOKEN'] = '{v}'", "API_TOKEN", "assignment"),
    ("$env:API_TOKEN = \"{v}\"", "API_TOKEN", "assignment"),
    ("process.env.API_TOKEN = '{v}';", "process.env.API_TOKEN", "assignment"),
    ("docker run -e APP_SECRET={v} img", "APP_SECRET", "assignment"),
    // The shapes of gitleaks' generated rule samples (cmd/generate/config/utils): C arrays, Go's typed `var`,
    // Rust's wrappers and raw strings, Python's triple quotes, Clojure's `def`, more operators, XML on its own
    // line and as name/value elements, YAML block scalars.
    ("char api_token[] = \"{v}\";", "api_token", "assignment"),
    ("var apiToken string = \"{v}\"", "apiToken", "assignment"),
    ("let api_token: String = String::from(\"{v}\");", "api_token", "assignment"),
    ("let api_token = r#\"{v}\"#;", "api_token", "assignment"),
    ("api_token = \"\"\"{v}\"\"\"", "api_token", "assignment"),
    ("(def api-token \"{v}\")", "api-token", "directive"),
    ("api_token ::= \"{v}\"", "api_token", "assignment"),
    ("api_token :::= \"{v}\"", "api_token", "assignment"),
    ("api_token |= \"{v}\"", "api_token", "assignment"),
    ("api_token ||= \"{v}\"", "api_token", "assignment"),
    ("<apiToken>\n    {v}\n</apiToken>", "apiToken", "xml-element"),
    ("<entry>\n  <name>apiToken</name>\n  <value>{v}</value>\n</entry>", "apiToken", "name-value"),
    ("api_token: |\n  {v}", "api_token", "key-value"),
    ("api_token: >-\n  {v}", "api_token", "key-value"),
    ("terraform apply -var 'api_key={v}'", "api_key", "assignment"),
    ("    \"api_key = \\\"{v}\\\"\\n\",", "api_key", "assignment"),
    ("    \"os.environ[\\\"API_KEY\\\"] = \\\"{v}\\\"\\n\",", "API_KEY", "assignment"),
    ("var d = new Dictionary<string, string> { [\"apiKey\"] = \"{v}\" };", "apiKey", "assignment"),
    ("jdbc:sqlserver://h:1433;user=app;password={v};", "password", "assignment"),
    ("$mail->Password = '{v}';", "Password", "assignment"),
    ("secretkeybase = {v}", "secretkeybase", "assignment"),
];

#[test]
fn every_syntax_names_its_name_and_value() {
    for &(line, name, syntax) in FOUND {
        let text = line.replace("{v}", V);
        let found = scan(&text);
        assert_eq!(found, [(name.to_owned(), V.to_owned(), syntax)], "{text}");
    }
}

/// Lines with credential names that assign no literal credential.
const NOT_FOUND: &[&str] = &[
    "api_key = get_api_key()",
    "api_key = os.environ[\"API_KEY\"]",
    "password = request.form['password']",
    "def login(password: str) -> bool:",
    "if password == \"q8Vt2mZr4LkPp9xYw3Nc\":",
    "token_type = \"bearer\"",
    "api_key_id = \"q8Vt2mZr4LkPp9xYw3Nc\"",
    "cache_key = \"q8Vt2mZr4LkPp9xYw3Nc\"",
    "next_page_token = \"q8Vt2mZr4LkPp9xYw3Nc\"",
    "keyboard = \"q8Vt2mZr4LkPp9xYw3Nc\"",
    "monkey = \"q8Vt2mZr4LkPp9xYw3Nc\"",
    "commit_sha = \"4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e4f9c2a7e\"",
    "session_id: 3f2b8c1e-9a4d-4e7f-b6c5-0d1a2e3f4b5c",
    "signature: 4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e",
    "The token is q8Vt2mZr4LkPp9xYw3Nc.",
    "password: ${DB_PASSWORD}",
    "api_key: \"{{ .Values.apiKey }}\"",
    "authorization: Bearer",
    "pass",
    "secret = 'q8Vt2mZr4LkPp9xYw3Nc",
    "api_token: |\n\nnext: 1",
    "<apiToken>\n</apiToken>",
    "api_token ::= get_token()",
    "if apiToken string == \"q8Vt2mZr4LkPp9xYw3Nc\" {",
    "<name>apiToken</name>\n\n\n<value>q8Vt2mZr4LkPp9xYw3Nc</value>",
];

#[test]
fn code_that_only_mentions_credentials_is_not_an_assignment() {
    for &text in NOT_FOUND {
        assert_eq!(scan(text), [], "{text}");
    }
}

#[test]
fn hex_and_uuids_count_under_specific_names_only() {
    let hex = "4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e";
    assert_eq!(scan(&format!("STRIPE_API_KEY={hex}")).len(), 1);
    assert_eq!(scan(&format!("refresh_token: {hex}")).len(), 1);
    assert_eq!(scan(&format!("auth: {hex}")), []);
    assert_eq!(scan(&format!("key = \"{hex}\"")), []);
}

#[test]
fn names_longer_than_a_name_and_keywords_inside_values_are_skipped() {
    let blob = format!("{}token{} = \"{V}\"", "a".repeat(100), "b".repeat(10));
    assert_eq!(scan(&blob), []);
    // The keyword `key` inside the value is not a second assignment.
    let found = scan("password = \"Xk3keyQ9zT8mWv2Lr7Np\"");
    assert_eq!(found.len(), 1);
}

#[test]
fn truncated_input_never_panics() {
    for &(line, _, _) in FOUND {
        let text = line.replace("{v}", V);
        for cut in 0..=text.len() {
            if text.is_char_boundary(cut) {
                scan(&text[..cut]);
            }
        }
    }
}

/// Which keyword hits the gate hands over: those that may begin a credential word of their name.
#[test]
fn hits_that_cannot_begin_a_credential_word_are_left_out() {
    let starts = word_starts();
    // (text, the keyword at its first occurrence, kept)
    let table: &[(&str, &str, bool)] = &[
        ("api_key =", "key", true),
        ("apiKey =", "key", true),
        ("APIKEY=", "key", true),
        ("apiKeyValue =", "key", true),   // camelCase: a new part
        ("apikeyvalue =", "key", true),   // run together: VALUE is a word
        ("secretkeybase =", "key", true), // BASE
        ("api_key1 =", "key", true),      // a digit: left to the name's judgement
        ("keyboard =", "key", false),
        ("KEYBOARD =", "key", false),
        ("keys =", "key", false),
        ("keyword =", "key", false),
        ("password =", "pass", true),
        ("PASSWD=", "pass", true),
        ("passphrase:", "pass", true),
        ("passcode:", "pass", true),
        ("dbpass =", "pass", true),
        ("passed =", "pass", false),
        ("passing =", "pass", false),
        ("sig =", "sig", true),
        ("apiSig =", "sig", true),
        ("signature =", "sig", true),
        ("sigV4 =", "sig", true),
        ("unsigned x =", "sig", false),
        ("signal =", "sig", false),
        ("signed =", "sig", false),
        ("secrets:", "secret", true),
        ("authorization:", "auth", true),
        ("auth_token:", "auth", true),
        ("author =", "auth", false),
        ("tokens =", "token", false),
        ("tokenizer =", "token", false),
        ("token_dev =", "token", true),
        ("tokendev =", "token", true), // DEV, a qualifier
        ("tokenx =", "token", true),   // X, a word of names (`x-api-key`)
        ("key", "key", true),          // the buffer's end
    ];
    for &(text, keyword, kept) in table {
        let start = text.to_ascii_lowercase().find(keyword).expect("keyword in text");
        let got = may_begin_word(text.as_bytes(), start..start + keyword.len(), &starts);
        assert_eq!(got, kept, "{keyword} in {text:?}");
    }
}

/// A keyword that begins no credential word (a user's assignment rule may have any) keeps all its hits: the
/// credential word may begin inside it (`KEY` in `apikey`).
#[test]
fn hits_of_other_keywords_are_all_kept() {
    let starts = judge::WordStarts::new([b"apik".as_slice(), b"key"]);
    assert!(may_begin_word(b"apikey =", 0..4, &starts));
    assert!(may_begin_word(b"apikeyboard =", 0..4, &starts));
    assert!(!may_begin_word(b"keyboard =", 0..3, &starts), "`key` is still checked");
}

proptest::proptest! {
    /// A name with a class keeps at least one of its keyword hits, whatever its words, case and separators: leaving
    /// hits out never loses a finding.
    #[test]
    fn a_name_with_a_class_keeps_a_hit(
        parts in proptest::collection::vec((0usize..WORDS.len(), 0u8..4), 1..5),
        join in 0u8..3,
        tail in 0u8..5,
    ) {
        let mut name = String::new();
        for (i, &(w, case)) in parts.iter().enumerate() {
            let word = WORDS[w];
            let word = match case {
                0 => word.to_ascii_lowercase(),
                1 => word.to_ascii_uppercase(),
                2 => format!("{}{}", &word[..1].to_ascii_uppercase(), word[1..].to_ascii_lowercase()),
                _ => word.to_owned(),
            };
            if i > 0 {
                name.push_str(["_", "", "-"][usize::from(join)]);
            }
            name.push_str(&word);
        }
        let text = format!("{name}{}", [" = 'v'", "", ":", "1 =", "x"][usize::from(tail)]);
        let starts = word_starts();
        if judge::name_class(&name).is_some() {
            let kept = keyword_hits(&text).into_iter().any(|h| may_begin_word(text.as_bytes(), h, &starts));
            proptest::prop_assert!(kept, "{:?}", text);
        }
    }
}

/// Pieces of names for the property test: credential words, the words names are made of, words that begin like
/// credential words, and letters.
const WORDS: &[&str] = &[
    "key",
    "Key",
    "KEYS",
    "keyboard",
    "pass",
    "password",
    "passwd",
    "passphrase",
    "passcode",
    "passed",
    "pwd",
    "sig",
    "signature",
    "signal",
    "sign",
    "signing",
    "unsigned",
    "token",
    "tokens",
    "tokenizer",
    "auth",
    "author",
    "authorization",
    "bearer",
    "session",
    "sessions",
    "cookie",
    "cookies",
    "secret",
    "secrets",
    "credential",
    "credentials",
    "creds",
    "api",
    "access",
    "private",
    "client",
    "db",
    "x",
    "id",
    "value",
    "dev",
    "prod",
    "base",
    "url",
    "name",
    "store",
    "hash",
    "b64",
    "v2",
    "github",
    "my",
    "a",
    "s",
    "o",
    "e",
    "ed",
    "word",
    "nature",
];
