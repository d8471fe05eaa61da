//! Property tests of what an upload must get past (issue #16): arbitrary and mutated reports never panic the
//! validation or the ingest, a report is accepted only when it is valid, and no raw token planted anywhere in a
//! report ever reaches the database.
//!
//! Each case starts from a schema-valid report and applies one to four random mutations: a field set to an
//! arbitrary string or JSON value, a field removed, an unknown field added, a synthetic token planted in any string
//! field (or as a key), a scan time built from arbitrary digits, or the serialized bytes truncated or overwritten.
//! "Valid" is judged by oracles independent of the registry's own checks: the schema through `jsonschema` directly,
//! scan times through `humantime`, and the planted tokens by their presence in the body.
//!
//! Bounded: a fixed number of cases per run (`PROPTEST_CASES` raises it for a longer fuzzing session), no timing.

use crate::store::{Location, Options};
use crate::validate::{self, Refusal};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::time::SystemTime;

/// String fields a token may be planted in (JSON pointers into [`base`]).
const STRING_FIELDS: &[&str] = &[
    "/host/hostname",
    "/host/os",
    "/host/machine_id",
    "/user/name",
    "/tags/team",
    "/roots/0",
    "/scanner/version",
    "/errors/0/path",
    "/errors/0/reason",
    "/references/0/path",
    "/references/0/reference",
    "/references/0/context/variable",
    "/findings/0/path",
    "/findings/0/redacted",
    "/findings/0/identifier",
    "/findings/0/rule_name",
    "/findings/0/kind",
    "/findings/0/provider",
    "/findings/0/user",
    "/findings/0/context/tool",
    "/findings/0/context/field",
    "/findings/1/path",
    "/findings/1/key/comment",
    "/credentials/0/redacted",
];

/// Any field at all, for replacement and removal: the string fields and every structured one.
const ANY_FIELDS: &[&str] = &[
    "/schema",
    "/report_id",
    "/scanner",
    "/scanner/rules_digest",
    "/host",
    "/started_at",
    "/finished_at",
    "/complete",
    "/tags",
    "/include_secrets",
    "/stats",
    "/stats/files_seen",
    "/findings",
    "/findings/0",
    "/findings/0/fingerprint",
    "/findings/0/severity",
    "/findings/0/line",
    "/findings/0/id",
    "/findings/0/rule",
    "/findings/1/key",
    "/findings/1/key/encrypted",
    "/findings/0/secret",
    "/credentials/0/secret",
    "/references/0/secret",
    "/rules",
];

/// Objects an unknown field may be added to.
const OBJECTS: &[&str] = &["", "/host", "/user", "/scanner", "/stats", "/findings/0", "/findings/0/context", "/tags"];

/// The starting point: a report that the schema accepts, with one of every list.
fn base() -> Value {
    let finding = |i: u32| {
        json!({
            "id": format!("loc:v1:{i:032x}"), "rule": "private-key-openssh", "rule_name": "OpenSSH private key",
            "kind": "private-key", "severity": "high", "confidence": "high", "provider": "OpenSSH",
            "path": format!("/home/u/.ssh/id_{i}"), "line": 1, "column": 1,
            "fingerprint": format!("sha256:{:064x}", i + 1), "redacted": "-----BEGIN OPENSSH PRIVATE KEY-----…",
            "identifier": "u@laptop", "validation": "not-applicable", "user": "u",
            "context": { "tool": "ssh", "field": "key" },
            "key": { "format": "openssh-v1", "encrypted": false, "comment": "u@laptop" }, "risks": ["world-readable"],
        })
    };
    let mut r = crate::testing::report("laptop", "machine-1", "2026-01-02T00:00:00Z", vec![finding(0), finding(1)]);
    r["tags"] = json!({ "team": "platform" });
    r["roots"] = json!(["/home/u"]);
    r["errors"] = json!([{ "path": "/home/u/private", "reason": "permission denied" }]);
    r["references"] = json!([{ "path": "/home/u/.cursor/mcp.json", "context": { "variable": "GITHUB_TOKEN" },
                                "reference": "${env:GITHUB_TOKEN}" }]);
    r["credentials"] = json!([{ "fingerprint": format!("sha256:{:064x}", 1), "kind": "private-key",
        "rules": ["private-key-openssh"], "severity": "high", "redacted": "-----BEGIN OPENSSH PRIVATE KEY-----…",
        "locations": 1, "finding_ids": [format!("loc:v1:{:032x}", 0)] }]);
    r
}

/// splitmix64: a well-mixed stream from any seed (0 included), so a shrunk seed still gives a random-looking token.
fn stream(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A synthetic token of one of three providers, from a seed: a checksum-valid GitHub token, a Stripe live key, a
/// Slack bot token. Candidates the scanner would not report — a random body that happens to hold a placeholder word
/// such as `fake` (1 in a few thousand), or too little entropy — are skipped, so every planted token is one the
/// built-in rules recognise on its own (`planted_tokens_are_refused_alone` checks each provider).
fn token(kind: u8, seed: u64) -> String {
    let mut next = stream(seed);
    loop {
        let t = candidate(kind, &mut next);
        if crate::validate::secrets::find(&json!(t)).is_some() {
            return t;
        }
    }
}

fn candidate(kind: u8, next: &mut impl FnMut() -> u64) -> String {
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut chars = |n: usize, alphabet: &[u8]| -> String {
        (0..n).map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char).collect()
    };
    match kind % 3 {
        0 => {
            let body = chars(30, B62);
            let mut n = crc32fast::hash(body.as_bytes());
            let mut check = [b'0'; 6];
            for c in check.iter_mut().rev() {
                *c = B62[(n % 62) as usize];
                n /= 62;
            }
            format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
        }
        1 => format!("sk_live_{}", chars(32, B62)),
        _ => format!("xoxb-{}-{}-{}", chars(12, b"0123456789"), chars(12, b"0123456789"), chars(24, B62)),
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    SetString(usize, String),
    SetValue(usize, Value),
    Remove(usize),
    AddUnknown(usize, String, Value),
    /// A token in a string field (between words, as it would sit in text), or as a tag's key.
    PlantToken {
        field: usize,
        kind: u8,
        seed: u64,
        before: String,
        after: String,
        as_key: bool,
    },
    Time {
        finished: bool,
        digits: [u16; 6],
    },
    Truncate(usize),
    Overwrite(usize, u8),
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Mutations, weighted so that most cases stay parseable JSON and some still pass every check: byte edits almost
/// always break the JSON, so they are one case in twenty.
fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (0..STRING_FIELDS.len(), ".{0,40}").prop_map(|(f, s)| Mutation::SetString(f, s)),
        3 => (0..ANY_FIELDS.len(), json_value()).prop_map(|(f, v)| Mutation::SetValue(f, v)),
        2 => (0..ANY_FIELDS.len()).prop_map(Mutation::Remove),
        2 => (0..OBJECTS.len(), "[a-z_]{1,12}", json_value()).prop_map(|(o, k, v)| Mutation::AddUnknown(o, k, v)),
        4 => (0..STRING_FIELDS.len(), any::<u8>(), any::<u64>(), "[a-z ]{0,8}", "[a-z ]{0,8}", 0..4u8).prop_map(
            |(field, kind, seed, before, after, k)| Mutation::PlantToken { field, kind, seed, before, after, as_key: k == 0 }
        ),
        2 => (any::<bool>(), [0u16..10000, 0..20, 0..40, 0..30, 0..70, 0..70]).prop_map(|(finished, digits)| {
            Mutation::Time { finished, digits }
        }),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Overwrite(i, b)),
    ]
}

/// Set the value at `pointer`, creating it in its parent object (or replacing an array element) if the parent
/// exists; nothing otherwise.
fn set(r: &mut Value, pointer: &str, v: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match r.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(key.to_owned(), v);
        }
        Some(Value::Array(items)) => {
            if let Some(slot) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = v;
            }
        }
        _ => {}
    }
}

fn remove(r: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    if let Some(Value::Object(map)) = r.pointer_mut(parent) {
        map.remove(key);
    }
}

/// Apply the mutations; the body to upload, and the tokens planted in it.
fn mutate(mutations: &[Mutation]) -> (Vec<u8>, Vec<String>) {
    let mut r = base();
    let mut tokens = Vec::new();
    let mut bytes_edits = Vec::new();
    for m in mutations {
        match m {
            Mutation::SetString(f, s) => set(&mut r, STRING_FIELDS[*f], json!(s)),
            Mutation::SetValue(f, v) => set(&mut r, ANY_FIELDS[*f], v.clone()),
            Mutation::Remove(f) => remove(&mut r, ANY_FIELDS[*f]),
            Mutation::AddUnknown(o, k, v) => set(&mut r, &format!("{}/{k}", OBJECTS[*o]), v.clone()),
            Mutation::PlantToken { field, kind, seed, before, after, as_key } => {
                let t = token(*kind, *seed);
                if *as_key {
                    set(&mut r, &format!("/tags/{t}"), json!("x"));
                } else {
                    set(&mut r, STRING_FIELDS[*field], json!(format!("{before} {t} {after}")));
                }
                tokens.push(t);
            }
            Mutation::Time { finished, digits: [y, mo, d, h, mi, s] } => {
                let t = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
                set(&mut r, if *finished { "/finished_at" } else { "/started_at" }, json!(t));
            }
            Mutation::Truncate(_) | Mutation::Overwrite(..) => bytes_edits.push(m.clone()),
        }
    }
    let mut body = serde_json::to_vec(&r).unwrap();
    for m in bytes_edits {
        match m {
            Mutation::Truncate(at) => body.truncate(at % (body.len() + 1)),
            Mutation::Overwrite(at, b) if !body.is_empty() => {
                let i = at % body.len();
                body[i] = b;
            }
            _ => {}
        }
    }
    // A planted token that a byte edit cut or overwrote is no longer in the body, and need not be refused.
    tokens.retain(|t| contains(&body, t.as_bytes()));
    (body, tokens)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The oracle: is this body a report the registry may accept? Judged without the registry's own checks.
fn valid(body: &[u8], now: SystemTime) -> bool {
    static SCHEMA: std::sync::LazyLock<jsonschema::Validator> = std::sync::LazyLock::new(|| {
        let schema = serde_json::from_str(include_str!("../../schema/report.schema.json")).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    });
    let Ok(v) = serde_json::from_slice::<Value>(body) else { return false };
    let time_ok = |name: &str| {
        v[name].as_str().and_then(|t| humantime::parse_rfc3339(t).ok()).is_some_and(|t| t <= now + validate::MAX_FUTURE)
    };
    let no_secrets = v["include_secrets"] == json!(false)
        && v["findings"].as_array().is_some_and(|f| f.iter().all(|f| f.get("secret").is_none()));
    let identity = v["host"]["hostname"].as_str().is_some_and(|h| !h.is_empty())
        || v["host"]["machine_id"].as_str().is_some_and(|m| !m.is_empty());
    SCHEMA.is_valid(&v) && time_ok("started_at") && time_ok("finished_at") && no_secrets && identity
}

/// `cases` per run unless `PROPTEST_CASES` says otherwise (a longer fuzzing session). No regression files are
/// written into the source tree; a failure prints its minimal input.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(400))]

    /// Validation never panics; it accepts only valid reports and never one holding a planted token; whatever it
    /// refuses, the message quotes no planted token.
    #[test]
    fn validation_accepts_only_valid_reports_without_tokens(mutations in prop::collection::vec(mutation(), 1..4)) {
        let (body, tokens) = mutate(&mutations);
        let now = SystemTime::now();
        match validate::report_at(&body, now) {
            Ok(_) => {
                prop_assert!(valid(&body, now), "accepted an invalid report: {}", String::from_utf8_lossy(&body));
                prop_assert!(tokens.is_empty(), "accepted a report holding {tokens:?}");
            }
            Err(Refusal::Malformed(m) | Refusal::Invalid(m)) => {
                for t in &tokens {
                    prop_assert!(!m.contains(t.as_str()), "the refusal quotes a token: {m}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// End to end on a fresh database: ingest never panics, agrees with validation, and no planted token is ever
    /// in the database file or its log, whether the report was stored or refused.
    #[test]
    fn no_planted_token_reaches_the_database(mutations in prop::collection::vec(mutation(), 1..4)) {
        let (body, tokens) = mutate(&mutations);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite");
        let store = crate::schema::open(&Location::Sqlite(path.clone()), Options::default()).unwrap();
        let accepted = crate::ingest::ingest(&store, &body, None).is_ok();
        prop_assert_eq!(accepted, validate::report(&body).is_ok());
        drop(store);
        for file in ["p.sqlite", "p.sqlite-wal"] {
            let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
            for t in &tokens {
                prop_assert!(!contains(&bytes, t.as_bytes()), "{t} in {file} (accepted: {accepted})");
            }
        }
    }
}

/// The generator's tokens are tokens: each provider's is recognised in a report, and rarely needs a second try
/// (so the generator is not quietly dropping a provider's tokens).
#[test]
fn planted_tokens_are_refused_alone() {
    for kind in 0..3 {
        let mut next = stream(7);
        let recognised =
            (0..200).filter(|_| crate::validate::secrets::find(&json!(candidate(kind, &mut next))).is_some());
        assert!(recognised.count() >= 195, "provider {kind}");
        for seed in [0, 1, u64::MAX] {
            let mut r = base();
            r["tags"]["team"] = json!(token(kind, seed));
            let body = serde_json::to_vec(&r).unwrap();
            assert!(valid(&serde_json::to_vec(&base()).unwrap(), SystemTime::now()));
            assert!(validate::report(&body).is_err(), "{}", token(kind, seed));
        }
    }
}
