//! Is a literal assigned to a credential name in code or configuration a credential? The generic assignment rules'
//! value judgement ([`assigned_value`]).
//!
//! A name in arbitrary code is weaker evidence than a variable in a `.env` file (where [`super::verdict_named`]
//! decides), because code assigns credential-named variables all day: expressions, lookups, identifiers, labels,
//! digests. So here the value must *look* like a credential: generated-looking (the randomness validator,
//! [`crate::validate::looks_generated`]); or, under a specific name (`*_api_key`, `*_token`, `*_secret`,
//! `*password`), a bare hex string of 32 characters or more or a UUID (API keys and tokens often are; under a vague
//! name — `auth`, `session`, `signature`, a bare `key` — they are ids and digests); or, under a password name, a
//! password a person chose (`Summer1999!X`: letters, digits and a symbol, not a dictionary word in disguise).
use crate::{
    rules::NameKind,
    validate::{is_dummy_password, looks_generated, shannon_entropy},
};

use super::{dull, is_path, listed, shape, verdict_in, Expansion, NameClass, Verdict, DEV_DEFAULTS};

/// Longer values under a generic name are blobs (certificates, ciphertext, images), not typed credentials.
const MAX_LEN: usize = 200;
/// Values that name or wrap a secret rather than being one: digests with their algorithm, cloud references,
/// encrypted values (sops, ansible-vault, KMS ciphertext); and publishable keys (Stripe's and Clerk's `pk_`).
const NOT_LITERAL_PREFIXES: &[&str] = &[
    "sha1:",
    "sha256:",
    "sha384:",
    "sha512:",
    "sha1-",
    "sha256-",
    "sha384-",
    "sha512-",
    "md5:",
    "h1:",
    "zh:",
    "arn:",
    "ENC[",
    "vault:",
    "$ANSIBLE_VAULT",
    "!vault",
    "AQICAH",
    "data:",
    "file:",
    "env:",
    "secret:",
    "ref+",
    // `-----BEGIN` in base64: an armored block, judged by the armored-key rules (which decode it), not by its name.
    "LS0tLS1CRUdJTi",
    "pk_live_",
    "pk_test_",
];

/// A literal assigned to a name of `class` (see the module documentation). `v` is the value as written, unquoted.
pub fn assigned_value(class: NameClass, v: &[u8]) -> bool {
    if let Some(decoded) = shape::percent_decoded(v) {
        return assigned_value(class, &decoded);
    }
    // A cookie or setting pair: its value is what may be a credential.
    if let Some(value) = shape::pair_value(v) {
        return assigned_value(class, value);
    }
    if !plain_may_qualify(v) {
        return false;
    }
    if verdict_in(v, Expansion::Shell) != Verdict::Secret || dull(v) || is_path(v) || expression(v) {
        return false;
    }
    if let Some(long_hex) = hex_or_uuid(v) {
        return class.specific && long_hex;
    }
    // Numbers, dates, file names, code references … (see `shape`).
    if shape::not_a_credential(v) {
        return false;
    }
    // A name made of words is no generated value; a person may still have chosen one as a password (`Shadow1975.H`).
    let generated = looks_generated(v) && !shape::names_a_thing(v);
    generated || (class.kind == NameKind::Password && chosen_password(v))
}

/// Whether [`assigned_value`] may accept `v` under some name: `false` only when it accepts it under none. Asked
/// before the name is classified (most literals after a credential-ish name in code are short words and identifiers,
/// `key: "createIterator"`, and classifying a name the matcher has not met before costs more than this).
pub fn may_be_assigned(v: &[u8]) -> bool {
    // Decoding `%XX` and taking a pair's value only shorten a value; either may turn it into one that qualifies.
    v.len() >= 8 && (memchr::memchr2(b'%', b'=', v).is_some() || plain_may_qualify(v))
}

/// The cheap conditions [`assigned_value`] puts on a value that is neither percent-encoded nor a pair.
fn plain_may_qualify(v: &[u8]) -> bool {
    (8..=MAX_LEN).contains(&v.len()) && v.iter().all(|c| c.is_ascii_graphic()) && may_qualify(v)
}

/// What every value this judgement accepts has, checked in one pass before the costlier judgements (most values
/// assigned to `key` or `token` in code are words and expressions): letters and digits together (generated values,
/// chosen passwords) or only hex digits and dashes (long hex, UUIDs).
fn may_qualify(v: &[u8]) -> bool {
    let (mut digit, mut letter, mut hex) = (false, false, true);
    for &c in v {
        digit |= c.is_ascii_digit();
        letter |= c.is_ascii_alphabetic();
        hex &= c.is_ascii_hexdigit() || c == b'-';
    }
    (digit && letter) || hex
}

/// Code, templates, URLs and wrapped values, not a literal credential.
fn expression(v: &[u8]) -> bool {
    let s = String::from_utf8_lossy(v);
    NOT_LITERAL_PREFIXES.iter().any(|p| s.starts_with(p))
        || s.contains("://")
        || s.contains("::")
        || s.contains("->")
        || v.iter().any(|c| b"()[]{}<>\\\"'`;,".contains(c))
}

/// `Some(true)` for hex of 32 characters or more and UUIDs (8-4-4-4-12 hex), `Some(false)` for shorter hex (ids,
/// colours, short commit ids, GPG key ids), `None` for anything else.
fn hex_or_uuid(v: &[u8]) -> Option<bool> {
    let uuid = v.len() == 36
        && v.iter()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() });
    if uuid {
        return Some(true);
    }
    v.iter().all(u8::is_ascii_hexdigit).then_some(v.len() >= 32)
}

/// Symbols people put in passwords (not the separators of identifiers, paths and versions).
const PASSWORD_SYMBOLS: &[u8] = b"!@#$%^&*+=?~|";
/// Words that make a password a stand-in for one (documentation, tutorials, defaults), once letter swaps are undone.
const STAND_IN_WORDS: &[&str] = &[
    "password", "passwd", "pass", "secret", "changeme", "change", "admin", "test", "demo", "example", "sample",
    "default", "your", "qwerty", "letmein", "welcome", "hello", "dummy", "fake", "user", "root", "guest", "login",
    "temp", "foobar", "abc", "xyz",
];

/// A password a person chose (`Dragon2011!`, `Shadow1975.H`): 8 to 64 characters with letters, digits and a symbol
/// (or a `.` or `-` with both letter cases; words joined by `_` are an identifier: `MI_UserCredentials_0`), not a
/// development default or a documentation dummy, and not mostly
/// stand-in words once the usual letter swaps are undone (`P@ssw0rd!`, `Welcome1!`, `Admin@123`).
fn chosen_password(v: &[u8]) -> bool {
    let mixed_case = v.iter().any(u8::is_ascii_uppercase) && v.iter().any(u8::is_ascii_lowercase);
    let symbol = v.iter().any(|c| PASSWORD_SYMBOLS.contains(c)) || (mixed_case && v.iter().any(|c| b".-".contains(c)));
    let ok = v.len() <= 64
        && v.iter().any(u8::is_ascii_alphabetic)
        && v.iter().any(u8::is_ascii_digit)
        && symbol
        && !is_dummy_password(v)
        && shannon_entropy(v) >= 2.5;
    if !ok {
        return false;
    }
    let unleet: String = v
        .iter()
        .map(|&c| match c.to_ascii_lowercase() {
            b'@' | b'4' => 'a',
            b'0' => 'o',
            b'1' | b'!' => 'i',
            b'3' => 'e',
            b'$' | b'5' => 's',
            b'7' => 't',
            c => c as char,
        })
        .collect();
    let mut covered = vec![false; unleet.len()];
    for w in STAND_IN_WORDS {
        for (i, _) in unleet.match_indices(w) {
            covered[i..i + w.len()].iter_mut().for_each(|c| *c = true);
        }
    }
    let stand_in = covered.iter().filter(|&&c| c).count() * 2 >= unleet.len();
    !listed(DEV_DEFAULTS, &unleet) && !stand_in
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECIFIC: NameClass = NameClass { kind: NameKind::ApiKey, specific: true };
    const VAGUE: NameClass = NameClass { kind: NameKind::Token, specific: false };
    const PASSWORD: NameClass = NameClass { kind: NameKind::Password, specific: true };

    /// (value, under a specific API-key name, under a vague name, under a password name)
    const TABLE: &[(&str, bool, bool, bool)] = &[
        ("q8Vt2mZr4LkPp9xY", true, true, true),
        ("Zm9vYmFyLXNlY3JldC0xMjM0NTY3", true, true, true),
        ("4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e", true, false, true),
        ("4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e4f9c2a7e", true, false, true),
        ("3f2b8c1e-9a4d-4e7f-b6c5-0d1a2e3f4b5c", true, false, true),
        ("3AA5C34371567BD2", false, false, false),
        ("Summer1999!X", true, true, true),
        ("Coffee2000!A", false, false, true),
        ("Shadow1975.H", false, false, true),
        ("Monkey1996*E", false, false, true),
        ("Admin@123", false, false, false),
        ("MI_UserCredentials_0", false, false, false),
        ("print-memory-usage-1", false, false, false),
        ("indirect5a", false, false, false),
        ("Tr0ub4dor&3x", true, true, true),
        ("P@ssw0rd!", false, false, false),
        ("Welcome1!", false, false, false),
        ("Password123!", false, false, false),
        ("changeme", false, false, false),
        ("${API_KEY}", false, false, false),
        ("os.environ.get", false, false, false),
        ("get_api_key()", false, false, false),
        ("settings.API_KEY", false, false, false),
        ("https://user:x8Kq2mZ7@host", false, false, false),
        ("sha256:4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e", false, false, false),
        ("ENC[AES256_GCM,data:abc]", false, false, false),
        ("/etc/app/secret.key", false, false, false),
        ("1234567890", false, false, false),
        ("true", false, false, false),
        ("x-api-key", false, false, false),
        ("bearer token here", false, false, false),
        ("AKIAIOSFODNN7EXAMPLE", false, false, false),
    ];

    #[test]
    fn values_by_name_class() {
        for &(v, specific, vague, password) in TABLE {
            assert_eq!(assigned_value(SPECIFIC, v.as_bytes()), specific, "{v} under a specific name");
            assert_eq!(assigned_value(VAGUE, v.as_bytes()), vague, "{v} under a vague name");
            assert_eq!(assigned_value(PASSWORD, v.as_bytes()), password, "{v} under a password name");
        }
    }

    /// The pre-screen lets through every value some class accepts, those that only qualify once decoded or taken
    /// out of a pair among them, and turns away short, spaced and word-only ones.
    #[test]
    fn the_pre_screen_keeps_every_value_a_class_accepts() {
        // Over the length limit as written, within it once decoded or taken out of its pair.
        let body = crate::testutil::random(196);
        let (escaped, pair) = (format!("%2B{body}%3D"), format!("session={body}"));
        let wrapped = ["n%2BEalOV6q8Vt2mZr4L%3D", "sid=q8Vt2mZr4LkPp9xY", escaped.as_str(), pair.as_str()];
        for v in TABLE.iter().map(|t| t.0).chain(wrapped) {
            let accepted = [SPECIFIC, VAGUE, PASSWORD].iter().any(|&c| assigned_value(c, v.as_bytes()));
            assert!(!accepted || may_be_assigned(v.as_bytes()), "{v}");
        }
        for v in wrapped {
            assert!(assigned_value(SPECIFIC, v.as_bytes()), "{v}");
        }
        assert!(!plain_may_qualify(escaped.as_bytes()) && !plain_may_qualify(pair.as_bytes()));
        for v in ["q8Vt2mZ", "createIterator", "two words 1", "self._value", "CFStringRef"] {
            assert!(!may_be_assigned(v.as_bytes()), "{v}");
        }
    }
}

/// Any bytes under any name class: the value judgement (with its shapes, its decoding and its pairs) never panics,
/// and what it accepts is printable ASCII of a credential's length.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    fn class() -> impl Strategy<Value = NameClass> {
        (0usize..NameKind::ALL.len(), any::<bool>())
            .prop_map(|(k, specific)| NameClass { kind: NameKind::ALL[k], specific })
    }

    /// Bytes that reach the deep branches: printable ASCII with the characters the shapes look at, percent escapes,
    /// `=`, `/`, `.`, and now and then anything.
    fn value() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            "[A-Za-z0-9_./:=&%+@#!$*-]{0,80}".prop_map(String::into_bytes),
            "(%[0-9a-fA-F]{2}|[a-z0-9]){0,40}".prop_map(String::into_bytes),
            proptest::collection::vec(any::<u8>(), 0..120),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_value_under_any_name_is_judged_without_panic(class in class(), v in value()) {
            if assigned_value(class, &v) {
                prop_assert!(v.iter().all(u8::is_ascii_graphic) || v.contains(&b'%'), "{:?}", String::from_utf8_lossy(&v));
                prop_assert!(v.len() >= 8);
                prop_assert!(may_be_assigned(&v), "{:?}", String::from_utf8_lossy(&v));
            }
        }

        /// Values shaped like credentials (often accepted), bare, percent-escaped or in a pair: the pre-screen keeps
        /// every one some class accepts.
        #[test]
        fn the_pre_screen_keeps_what_any_class_accepts(
            class in class(),
            v in "([a-z]{1,6}=)?([A-Za-z0-9]|%[0-9A-F]{2}|[!@#._-]){6,48}",
        ) {
            if assigned_value(class, v.as_bytes()) {
                prop_assert!(may_be_assigned(v.as_bytes()), "{v}");
            }
        }
    }
}
