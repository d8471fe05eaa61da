//! Offline checks on a candidate secret: randomness, placeholders, checksums and decodable structure.
//!
//! These run only on regex matches (never on whole files), so clarity beats micro-optimisation here. No check ever
//! contacts a service: credsweep runs unattended on endpoints and must not send a secret anywhere to test it.
use std::sync::OnceLock;

use base64::Engine as _;
use serde::Serialize;

use crate::rules::Validator;

/// What an offline check could tell about a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validation {
    /// The format has no offline check.
    NotApplicable,
    /// The embedded checksum is right: almost certainly a real token of this kind, not a lookalike.
    ChecksumValid,
    /// The structure decodes as the format demands (e.g. a JWT's header and payload are JSON).
    StructureValid,
    /// A JWT whose `exp` lies in the past.
    Expired,
    /// A JWT with an `exp` in the future.
    NotExpired,
    /// A JWT without `exp`: it never expires by itself.
    NoExpiry,
}

/// Facts a validator learned beyond pass/fail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    /// A non-secret identity (JWT `iss`/`sub`).
    pub identifier: Option<String>,
    /// Expiry as seconds since the Unix epoch (JWT `exp`).
    pub expires_at: Option<i64>,
    /// Issue time as seconds since the Unix epoch (JWT `iat`).
    pub issued_at: Option<i64>,
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let n = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Substrings that mark documentation values, templates and redactions rather than live secrets.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "placeholder",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "changeme",
    "change_me",
    "dummy",
    "redacted",
    "sample",
    "fake",
    "xxxx",
    "****",
    "<",
    ">",
    "${",
    "{{",
    "%s",
    "...",
    "0123456789",
    "abcdefghij",
];

/// Values published in specifications and vendor documentation as examples; anything containing one is not a
/// live secret: RFC 6749 tokens and codes, RFC 6455's sample nonce, Stripe's documented test keys (API reference and
/// tutorials), GitHub's documentation token, RFC 4122's (and Wikipedia's) example UUID, jwt.io's example token (its
/// signature), the Google Cloud SDK's OAuth client secret (public by design: an installed application's), the MD5, SHA-1 and SHA-256
/// digests of empty input, CoinMarketCap's public sandbox key, Docker's swarm join token from
/// `docker swarm init`'s documentation, Azurite's (the Azure Storage emulator's) well-known account key, and the 20
/// accounts Hardhat and Anvil (Foundry) fund on every local chain (`npx hardhat node`, `anvil`).
const KNOWN_EXAMPLES: &[&str] = &[
    "2YotnFZFEjr1zCsicMWpAA",
    "tGzv3JOkF0XG5Qx2TlKWIA",
    "SplxlOBeZQQYbYS6WxSbIA",
    "mF_9.B5f-4.1JqM",
    "dGhlIHNhbXBsZSBub25jZQ==",
    "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "sk_test_26PHem9AhJZvU623DfE1x4sd",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvb",
    "123e4567-e89b-12d3-a456-426614174000",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "d-FL95Q19q7MQmFpd7hHD0Ty",
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "b54bcf4d-1bca-4e8e-9a24-22ff2c3d462c",
    "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
    "f214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897",
    "701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82",
    "a267530f49f8280200edf313ee7af6b827f2a8bce2897751d06a843f644967b1",
    "47c99abed3324a2707c28affff1267e45918ec8c3f20b8aa892e8b065d2942dd",
    "c526ee95bf44d8fc405a158bb884d9d1238d99f0612e9f33d006bb0789009aaa",
    "8166f546bab6da521a8369cab06c5d2b9e46670292d85c875ee9ec20e84ffb61",
    "ea6c44ac03bff858b476bba40716402b03e41b8e97e276d1baec7c37d42484a0",
    "689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd",
    "de9be858da4a475276426320d5e9262ecfc3ba460bfac56360bfa6c4c28b4ee0",
    "df57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e",
    // wg(8)'s example configuration's PrivateKey, copied into countless tutorials and tests.
    "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
];

/// True when the value is a placeholder, a template reference or a redaction (`AKIAIOSFODNN7EXAMPLE`,
/// `your_token_here`, `${VAR}`, `<TOKEN>`, `xxxxxxxx`), a documented example value, or holds a run of 8+ identical
/// characters outside the fixed fields of its format ([`random_part`]).
pub fn is_placeholder(secret: &[u8]) -> bool {
    markers().0.is_match(secret) || is_published_or_repetitive(secret)
}

/// One automaton per list, built once: placeholder markers case-insensitively, published examples exactly.
fn markers() -> &'static (aho_corasick::AhoCorasick, aho_corasick::AhoCorasick) {
    static AUTOMATA: OnceLock<(aho_corasick::AhoCorasick, aho_corasick::AhoCorasick)> = OnceLock::new();
    AUTOMATA.get_or_init(|| {
        let build = |pats: &[&str], nocase: bool| {
            aho_corasick::AhoCorasick::builder().ascii_case_insensitive(nocase).build(pats).expect("literal patterns")
        };
        (build(PLACEHOLDER_MARKERS, true), build(KNOWN_EXAMPLES, false))
    })
}

/// [`is_placeholder`] for a value its validator has judged. A checksum-valid token is a placeholder only when it is
/// a published example or has a run of one character: a placeholder *word* in its random body (`xxxx`, `fake`,
/// `dummy`, `sample` turn up in 4 of 20,000 random GitHub tokens) is chance, and the checksum outranks it (#16).
pub fn is_placeholder_given(secret: &[u8], validation: Validation) -> bool {
    match validation {
        Validation::ChecksumValid => is_published_or_repetitive(secret),
        _ => is_placeholder(secret),
    }
}

/// Contains one of [`KNOWN_EXAMPLES`], or a run of 8+ identical characters.
fn is_published_or_repetitive(secret: &[u8]) -> bool {
    if markers().1.is_match(secret) {
        return true;
    }
    let (random, padding) = random_part(secret);
    long_run(random, padding)
}

/// A run of 8 or more identical bytes (runs of `padding` excepted).
fn long_run(s: &[u8], padding: Option<u8>) -> bool {
    let mut run = 1;
    for w in s.windows(2) {
        if w[0] == w[1] && Some(w[0]) != padding {
            run += 1;
            if run >= 8 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// The random part of a token whose format has fixed, zero-filled fields (runs of `A`: base64 of zero bytes), which
/// are no sign of a placeholder, and the padding byte its runs may hold:
/// * Microsoft's common annotated security keys ("CASK": Azure DevOps PATs, 84 or 88 characters with the `JQQJ9`
///   signature at offset 52): only the first 52 characters are random; a reserved field after them is usually
///   `AAAAAAAAAAAA` (<https://github.com/microsoft/security-utilities>);
/// * X (Twitter) app-only bearer tokens: base64 of a structure that starts with zero bytes (a run of 20 or more
///   `A`s) and has more zero padding after the app id: what follows the leading run, runs of `A` allowed;
/// * Dropbox long-lived access tokens: 11 characters, ten `A`s, 43 characters.
///
/// Any other value is random as a whole, without padding.
fn random_part(secret: &[u8]) -> (&[u8], Option<u8>) {
    if matches!(secret.len(), 84 | 88) && secret.get(52..57) == Some(b"JQQJ9") {
        return (&secret[..52], None);
    }
    let leading_a = secret.iter().take_while(|&&b| b == b'A').count();
    if leading_a >= 20 && secret.len() >= leading_a + 30 {
        return (&secret[leading_a..], Some(b'A'));
    }
    if secret.len() == 64 && secret[11..21].iter().all(|&b| b == b'A') && secret[21] != b'A' {
        return (secret, Some(b'A'));
    }
    (secret, None)
}

/// Validators that check a checksum: a candidate they reject is a lookalike or a mistyped token, not a credential,
/// and no other rule may report it (issue #13 §4).
pub fn checks_checksum(validator: Option<Validator>) -> bool {
    matches!(validator, Some(Validator::GithubCrc32 | Validator::NpmCrc32 | Validator::GitlabRoutable))
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Base62 of a CRC32, left-padded with '0' to 6 characters (GitHub's and npm's token checksum encoding).
pub fn crc32_base62(data: &[u8]) -> [u8; 6] {
    let mut n = crc32fast::hash(data) as u64;
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// GitHub (`ghp_…`) and npm (`npm_…`) tokens: a 4-byte prefix, 30 random base62 characters, then the base62 CRC32
/// of those 30 characters. <https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/>
fn prefixed_crc32_ok(token: &[u8]) -> bool {
    if token.len() != 40 {
        return false;
    }
    let (body, check) = token[4..].split_at(30);
    crc32_base62(body) == check
}

fn b64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    let trimmed: Vec<u8> = s.iter().copied().filter(|&b| b != b'=').collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed).ok()
}

/// JWT (RFC 7519): header and payload are base64url JSON objects and the header names an `alg`.
fn check_jwt(token: &[u8], now: i64) -> Option<(Validation, Decoded)> {
    let mut parts = token.split(|&b| b == b'.');
    let (h, p) = (parts.next()?, parts.next()?);
    let header: serde_json::Value = serde_json::from_slice(&b64url_decode(h)?).ok()?;
    header.as_object()?.get("alg")?.as_str()?;
    let payload: serde_json::Value = serde_json::from_slice(&b64url_decode(p)?).ok()?;
    let payload = payload.as_object()?;
    let claim = |k: &str| payload.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let identifier = match (claim("iss"), claim("sub")) {
        (Some(i), Some(s)) => Some(format!("iss={i} sub={s}")),
        (Some(i), None) => Some(format!("iss={i}")),
        (None, Some(s)) => Some(format!("sub={s}")),
        (None, None) => None,
    };
    let exp = payload.get("exp").and_then(|v| v.as_f64()).map(|f| f as i64);
    let iat = payload.get("iat").and_then(|v| v.as_f64()).map(|f| f as i64);
    let validation = match exp {
        None => Validation::NoExpiry,
        Some(e) if e <= now => Validation::Expired,
        Some(_) => Validation::NotExpired,
    };
    Some((validation, Decoded { identifier, expires_at: exp, issued_at: iat }))
}

/// The AWS account id encoded in an access key id (`AKIA…`/`ASIA…`): base32-decode the 16 characters after the
/// prefix, take the first 6 bytes, mask `0x7fffffffff80` and shift right by 7. Documented by security researchers
/// (Tal Be'ery, 2023) and matching `aws sts get-access-key-info`. Keys from before the encoding change decode to a
/// meaningless number, so only 12-digit results are returned.
pub fn aws_account_id(key_id: &[u8]) -> Option<String> {
    let body = key_id.get(4..20)?;
    let bytes = data_encoding::BASE32_NOPAD.decode(body).ok()?;
    let mut six = [0u8; 8];
    six[2..].copy_from_slice(bytes.get(..6)?);
    let z = u64::from_be_bytes(six);
    let account = (z & 0x7fff_ffff_ff80) >> 7;
    let s = format!("{account:012}");
    (s.len() == 12).then_some(s)
}

/// Common words of config values and prose, for the word-likeness check of generic assignments.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "admin",
    "user",
    "test",
    "demo",
    "default",
    "example",
    "sample",
    "local",
    "develop",
    "development",
    "production",
    "staging",
    "config",
    "value",
    "change",
    "please",
    "insert",
    "replace",
    "here",
    "your",
    "mine",
    "key",
    "api",
    "access",
    "auth",
    "login",
    "root",
    "guest",
    "letmein",
    "welcome",
    "hello",
    "world",
    "qwerty",
    "monkey",
    "dragon",
    "master",
    "shadow",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "correct",
    "horse",
    "battery",
    "staple",
    "super",
    "strong",
    "secure",
    "none",
    "null",
    "undefined",
    "true",
    "false",
    "string",
    "foo",
    "bar",
    "baz",
    "dummy",
    "fake",
    "mock",
    "stub",
    "todo",
    "fixme",
    "private",
    "public",
    "service",
    "account",
    "database",
    "server",
    "client",
    "session",
    "cookie",
    "random",
    "generated",
    "environment",
    "variable",
    "setting",
];

/// True when a value assigned to a secret-sounding name looks machine-generated rather than like a word, an
/// identifier, an expression or a hash: long enough; random enough for its length (Shannon entropy); mixing
/// character classes; not a UUID or a bare hex digest (lock-file and checksum material); not an expression
/// (`config.password`, `get_secret()`, `os.environ[...]`); and not mostly dictionary words ("token efficiency":
/// text that a handful of common words covers is written by a person).
pub fn looks_generated(value: &[u8]) -> bool {
    let Ok(v) = std::str::from_utf8(value) else { return false };
    let n = v.chars().count();
    if !(10..=200).contains(&n) || is_placeholder(value) || is_dummy_password(value) {
        return false;
    }
    // Expressions and references, not values.
    if v.contains("()") || v.contains('(') || v.starts_with("process.") || v.starts_with("os.") || v.contains("::") {
        return false;
    }
    let dotted_identifier = v.split('.').count() > 1
        && v.split('.').all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        });
    if dotted_identifier && !v.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // Generated values mix letters and digits; names and type names (getpass_unicode, WIN_HTTP_FLAGS,
    // PWLX_CHANGE_PASSWORD_NOTIFY_EX) rarely carry digits, and snake-case words with a few digits are still names.
    if !v.chars().any(|c| c.is_ascii_digit()) || !v.chars().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let identifier = v.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    // Snake-case names are words in one case (or capitalised) with few digits; base64url's `_` separates mixed-case
    // runs (`AbmE21MCNvScDLTcYVp_ieBqkgJ7`), which are no name.
    let word_like = |seg: &str| {
        let letters = seg.trim_start_matches(|c: char| c.is_ascii_uppercase());
        seg.chars().filter(|c| c.is_ascii_digit()).count() <= 3
            && (!seg.chars().any(|c| c.is_ascii_lowercase())
                || (seg.len() - letters.len() <= 1 && !letters.chars().any(|c| c.is_ascii_uppercase())))
    };
    if identifier && v.contains('_') && v.split('_').all(word_like) {
        return false;
    }
    let hex = v.chars().all(|c| c.is_ascii_hexdigit());
    if hex && matches!(n, 32 | 40 | 56 | 64 | 96 | 128) {
        return false; // md5/sha1/sha2 digests: checksums, lock files, commit ids
    }
    let uuid = n == 36
        && v.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
    if uuid {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    if classes < 2 {
        return false;
    }
    // A random alphanumeric string falls below these 0.1–1% of the time (below 3.4 at 16 characters: 1.7%).
    let min_entropy = if n < 16 {
        3.0
    } else if n < 24 {
        3.2
    } else {
        3.7
    };
    if shannon_entropy(value) < min_entropy {
        return false;
    }
    !mostly_words(&v.to_ascii_lowercase())
}

/// Word-likeness: at least half of `lower`'s characters (lower-case) are covered by common words — text a person
/// wrote ("token efficiency", `SuperSecurePassword`), not a generated value.
///
/// Every occurrence of each word counts, as `str::match_indices` finds them (left to right, not overlapping
/// itself), through one automaton of all the words: searching for each word in turn built ~80 searchers per value,
/// and the assignment rules judge tens of thousands of values in a home directory.
pub fn mostly_words(lower: &str) -> bool {
    static WORDS: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<usize>)> = std::sync::OnceLock::new();
    let (automaton, lens) = WORDS.get_or_init(|| {
        let words: Vec<&str> = COMMON_WORDS.iter().copied().filter(|w| w.len() >= 3).collect();
        let automaton = aho_corasick::AhoCorasick::new(&words).expect("a few short words");
        (automaton, words.iter().map(|w| w.len()).collect())
    });
    let mut covered = vec![false; lower.len()];
    // Where each word's last counted occurrence ends: an occurrence overlapping it is not counted (as in
    // `match_indices`), one of another word is.
    let mut free_from = vec![0usize; lens.len()];
    for m in automaton.find_overlapping_iter(lower) {
        let (w, start) = (m.pattern().as_usize(), m.start());
        if start >= free_from[w] {
            free_from[w] = start + lens[w];
            covered[start..start + lens[w]].iter_mut().for_each(|c| *c = true);
        }
    }
    let covered = covered.iter().filter(|&&c| c).count();
    covered * 2 >= lower.len()
}

fn base36(mut n: u64) -> String {
    const A: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(A[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

/// GitLab routable tokens: `<prefix><base64url payload>.<2 base36 version>.<2 base36 payload length><7 base36
/// CRC32>` (older: without the version), the CRC over every byte before it, prefix included (gitlab-org/gitlab
/// `lib/authn/token_field/generator/routable_token.rb`). `NotApplicable` for the legacy 20-character form (no
/// checksum); `None` when a routable token's checksum or length field is wrong.
fn gitlab_routable(token: &[u8]) -> Option<Validation> {
    let t = std::str::from_utf8(token).ok()?;
    let dash = t.find('-')?;
    let Some(dot) = t.find('.') else { return Some(Validation::NotApplicable) };
    if t.len() < dot + 10 {
        return None;
    }
    let (signed, crc) = t.split_at(t.len() - 7);
    let want = format!("{:0>7}", base36(crc32fast::hash(signed.as_bytes()) as u64));
    let length = u64::from_str_radix(&signed[signed.len() - 2..], 36).ok()?;
    let payload_len = (dot - dash - 1) as u64;
    (want == crc && length == payload_len).then_some(Validation::ChecksumValid)
}

/// PyPI tokens are macaroons (v2 binary format, `pypi-` + base64url): version byte 2, then fields `(type varint,
/// length varint, data)` — location, identifier, caveats — and a 32-byte signature field (type 6) at the end.
fn pypi_macaroon(token: &[u8]) -> bool {
    let Some(body) = token.strip_prefix(b"pypi-") else { return false };
    let Some(bytes) = b64url_decode(body) else { return false };
    if bytes.first() != Some(&2) {
        return false;
    }
    let varint = |b: &[u8], i: &mut usize| -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..63).step_by(7) {
            let byte = *b.get(*i)?;
            *i += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    let mut i = 1;
    let mut saw_identifier = false;
    while i < bytes.len() {
        let Some(kind) = varint(&bytes, &mut i) else { return false };
        if kind == 0 {
            continue; // end of a section
        }
        let Some(len) = varint(&bytes, &mut i) else { return false };
        let end = i.saturating_add(len as usize);
        if end > bytes.len() {
            return false;
        }
        match kind {
            2 => saw_identifier = true,
            6 => return saw_identifier && len == 32 && end == bytes.len(),
            _ => {}
        }
        i = end;
    }
    false
}

/// Structural markers of AI provider keys: OpenAI keys embed `T3BlbkFJ` (base64 of "OpenAI"); Anthropic API and
/// admin keys end in `AA`.
fn provider_marker(token: &[u8]) -> bool {
    if token.starts_with(b"sk-ant-") {
        return token.ends_with(b"AA");
    }
    memchr::memmem::find(token, b"T3BlbkFJ").is_some()
}

/// Documentation and tutorial passwords: values starting with `pass` or `secret`, or with `my` and a word that makes
/// it one (`myPassword`, `mySecretKey`, `MyAppToken`), in any case (`password123`, `Passw0rd!`, `secret123`). A
/// random value that merely starts with `my` (`MYH6q8cK…`) is not one.
pub fn is_dummy_password(secret: &[u8]) -> bool {
    const AFTER_MY: &[&str] = &[
        "pass", "pwd", "secret", "token", "key", "api", "app", "db", "data", "user", "admin", "root", "test", "demo",
        "example", "sample", "own", "new", "strong", "super", "site", "service", "access", "auth", "login", "word",
        "cred", "private", "sql", "project", "account", "client",
    ];
    let lower = secret.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix(b"my") {
        return AFTER_MY.iter().any(|w| rest.starts_with(w.as_bytes()));
    }
    [&b"pass"[..], b"secret"].iter().any(|p| lower.starts_with(p))
}

/// Run a rule's validator; `None` means the candidate is not a token of this kind and must not be reported as one.
pub fn validate(validator: Option<Validator>, secret: &[u8], now: i64) -> Option<(Validation, Decoded)> {
    match validator {
        None => Some((Validation::NotApplicable, Decoded::default())),
        Some(Validator::GithubCrc32) | Some(Validator::NpmCrc32) => {
            prefixed_crc32_ok(secret).then(|| (Validation::ChecksumValid, Decoded::default()))
        }
        Some(Validator::Jwt) => check_jwt(secret, now),
        Some(Validator::AwsKeyId) => Some((
            Validation::NotApplicable,
            Decoded { identifier: aws_account_id(secret).map(|a| format!("aws-account:{a}")), ..Decoded::default() },
        )),
        Some(Validator::GitlabRoutable) => gitlab_routable(secret).map(|v| (v, Decoded::default())),
        Some(Validator::PypiMacaroon) => {
            pypi_macaroon(secret).then(|| (Validation::StructureValid, Decoded::default()))
        }
        Some(Validator::ProviderMarker) => {
            provider_marker(secret).then(|| (Validation::StructureValid, Decoded::default()))
        }
        Some(Validator::Generic) => looks_generated(secret).then(|| (Validation::NotApplicable, Decoded::default())),
        Some(Validator::Password) => {
            (!is_dummy_password(secret)).then(|| (Validation::NotApplicable, Decoded::default()))
        }
        Some(Validator::BasicAuth) => basic_auth(secret),
        Some(Validator::HeaderToken) => header_token(secret).then(|| (Validation::NotApplicable, Decoded::default())),
    }
}

/// `Authorization: Basic` (RFC 7617): the token decodes to `user:password` ([`crate::wrapping::basic`]), and the
/// secret in it is no placeholder, documentation dummy (`user:password`, RFC 7617's `Aladdin:open sesame`) or the user
/// name repeated (`admin:admin`, a default written down in docs). The user is the identifier.
fn basic_auth(secret: &[u8]) -> Option<(Validation, Decoded)> {
    let basic = crate::wrapping::basic(secret)?;
    let value = basic.secret();
    let documented = [("Aladdin", "open sesame"), ("test", "123\u{a3}")];
    let doc = documented.iter().any(|(u, p)| basic.user == *u && value == p.as_bytes());
    let weak = value.len() < 4 || basic.password == basic.user.as_bytes();
    if doc || weak || is_placeholder(value) || is_dummy_password(value) {
        return None;
    }
    let identifier = basic.identifier().map(str::to_owned);
    Some((Validation::StructureValid, Decoded { identifier, ..Decoded::default() }))
}

/// An opaque token in an `Authorization` header: [`looks_generated`]; or a hex string or UUID of 32+ characters;
/// or 20+ characters mixing letters and digits at 4 bits of entropy per character (base64url with an `_` or two,
/// which [`looks_generated`] may take for a snake-case name). Assigned to a name such values may be digests, ids or
/// names; sent as a credential they are credentials (an old GitHub OAuth token is 40 hex, a Django REST Framework
/// token too), and a header value is no identifier.
fn header_token(secret: &[u8]) -> bool {
    if looks_generated(secret) {
        return true;
    }
    if is_placeholder(secret) || !secret.iter().any(u8::is_ascii_digit) || !secret.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let entropy = shannon_entropy(secret);
    let hex_or_dash = secret.iter().all(|b| b.is_ascii_hexdigit() || *b == b'-');
    (hex_or_dash && secret.len() >= 32 && entropy >= 3.0) || (secret.len() >= 20 && entropy >= 4.0)
}

/// Seconds since the Unix epoch, for JWT expiry decisions.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64url(s: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    proptest::proptest! {
        /// One automaton finds the words as searching for each in turn did.
        #[test]
        fn word_coverage_is_each_words_matches(parts in proptest::collection::vec((0usize..200, "[a-z0-9]{0,3}"), 0..8)) {
            // Words that overlap themselves (`testest`, `examplexample`) count once per `match_indices` match.
            let text: String = parts
                .iter()
                .map(|(w, filler)| match COMMON_WORDS.get(*w) {
                    Some(word) if w % 3 == 0 => format!("{word}{}{filler}", &word[1..]),
                    Some(word) => format!("{word}{filler}"),
                    None => filler.clone(),
                })
                .collect();
            let reference = {
                let mut covered = vec![false; text.len()];
                for w in COMMON_WORDS.iter().filter(|w| w.len() >= 3) {
                    for (i, _) in text.match_indices(w) {
                        covered[i..i + w.len()].iter_mut().for_each(|c| *c = true);
                    }
                }
                covered.iter().filter(|&&c| c).count() * 2 >= text.len()
            };
            proptest::prop_assert_eq!(mostly_words(&text), reference, "{}", text);
        }
    }

    #[test]
    fn entropy_bounds() {
        assert_eq!(shannon_entropy(b""), 0.0);
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "2YotnFZFEjr1zCsicMWpAA",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "your_token_here",
            "${GITHUB_TOKEN}",
            "<TOKEN>",
            "xxxxxxxxxxxx",
            "ghp_aaaaaaaaaaaa",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in ["ghp_R4nd0mB0dyQ9", "sk_live_51HxYz8Kq2"] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    /// Random checksum-valid GitHub tokens with a placeholder word planted in the body are still tokens; published
    /// examples and runs of one character stay placeholders however valid their checksum.
    #[test]
    fn a_valid_checksum_outranks_a_placeholder_word() {
        let token = |body: &str| {
            assert_eq!(body.len(), 30);
            let check = crc32_base62(body.as_bytes());
            format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
        };
        for word in ["xxxx", "fake", "Dummy", "SAMPLE", "example", "0123456789"] {
            let body = format!("Zx8Kq2{word}{}", &"LmN4pR7sT1vW3yA5bC6dE9fGhJ"[..24 - word.len()]);
            let t = token(&body);
            let (validation, _) = validate(Some(Validator::GithubCrc32), t.as_bytes(), 0).unwrap();
            assert_eq!(validation, Validation::ChecksumValid, "{t}");
            assert!(is_placeholder(t.as_bytes()), "the word alone would drop it: {t}");
            assert!(!is_placeholder_given(t.as_bytes(), validation), "{t}");
            assert!(is_placeholder_given(t.as_bytes(), Validation::NotApplicable), "{t}");
        }
        for body in ["a".repeat(30), format!("Zx8Kq2{}", "b".repeat(24))] {
            let t = token(&body);
            assert!(is_placeholder_given(t.as_bytes(), Validation::ChecksumValid), "{t}");
        }
        let published = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        assert!(is_placeholder_given(published.as_bytes(), Validation::ChecksumValid));
    }

    #[test]
    fn documented_examples_are_placeholders() {
        for p in [
            "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
            "b54bcf4d-1bca-4e8e-9a24-22ff2c3d462c",
            "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx",
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "df57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
    }

    #[test]
    fn fixed_zero_fields_are_not_placeholder_runs() {
        // A CASK key (Azure DevOps PAT): 52 random characters, JQQJ9, then fields; the reserved one zero-filled.
        let random = "JLPpazzACSU5ZzMBHFnEXuCJTjnmPkgvTjq8kK63J46Vaiadv8zI";
        let cask = format!("{random}JQQJ99BF{}s7FJAZDOWyUU", "A".repeat(12));
        assert_eq!(cask.len(), 84);
        assert!(!is_placeholder(cask.as_bytes()));
        let run_in_random = format!("{}JQQJ99BF{}s7FJAZDOWyUU", "A".repeat(52), "A".repeat(12));
        assert!(is_placeholder(run_in_random.as_bytes()), "the random part is still judged");
        // X (Twitter) app bearer token: a leading run of A, more zero padding inside.
        let bearer =
            format!("{}MLheAAAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9", "A".repeat(22));
        assert!(!is_placeholder(bearer.as_bytes()));
        assert!(is_placeholder(format!("{}{}", "A".repeat(22), "x".repeat(40)).as_bytes()));
        // Dropbox long-lived token: 11 characters, ten A, 43 characters.
        let dropbox = format!("k3Jd9Qx7Lm2{}bwyXwmmHCJ7DdnSOEgSFcFMC5-ZUxz6_FHrSiKwsTyZ", "A".repeat(10));
        assert_eq!(dropbox.len(), 64);
        assert!(!is_placeholder(dropbox.as_bytes()));
    }

    #[test]
    fn github_checksum_round_trip() {
        let body = "Zx8Kq2LmN4pR7sT1vW3yA5bC6dE9fG";
        assert_eq!(body.len(), 30);
        let check = crc32_base62(body.as_bytes());
        let token = format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap());
        assert_eq!(validate(Some(Validator::GithubCrc32), token.as_bytes(), 0).unwrap().0, Validation::ChecksumValid);
        let mut bad = token.into_bytes();
        bad[10] = if bad[10] == b'a' { b'b' } else { b'a' };
        assert!(validate(Some(Validator::GithubCrc32), &bad, 0).is_none());
    }

    #[test]
    fn crc32_base62_matches_python_zlib() {
        // Reference values from Python: zlib.crc32 + base62 (0-9A-Za-z), zero-padded to 6.
        assert_eq!(&crc32_base62(b"hello"), b"0zNvy2");
        assert_eq!(&crc32_base62(b"a"), b"4GEHKN");
        assert_eq!(&crc32_base62(b""), b"000000");
    }

    #[test]
    fn aws_account_from_key_id() {
        // Reference: Python `base64.b32decode` + the same mask and shift, on a synthetic key id.
        assert_eq!(aws_account_id(b"ASIAY34FZKBOKMUTVV7A").as_deref(), Some("609629065308"));
        assert!(aws_account_id(b"AKIA").is_none());
        assert!(aws_account_id(b"AKIA0000000000000000").is_none(), "not base32");
    }

    #[test]
    fn generated_values_versus_words_hashes_and_expressions() {
        for v in [
            "q8Vt2mZr4LkPp9xY",
            "Zm9vYmFyLXNlY3JldC0xMjM0NTY3",
            "a7F!k2@Lm9#pQ4",
            "3c4f1e9a-QW8z-77Kd-pp0X",
            "AbmE21MCNvScDLTcYVp_ieBqkgJ7UGhtWOzcCG0Bh2X",
            "MYH6q8cKaAxlReFz7pSQDlbGeS4uJPqI",
        ] {
            assert!(looks_generated(v.as_bytes()), "{v}");
        }
        for v in [
            "correcthorsebatterystaple",
            "SuperSecurePassword2024",
            "config.database.password",
            "os.environ['DB_PASSWORD']",
            "get_secret()",
            "d41d8cd98f00b204e9800998ecf8427e",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "123e4567-e89b-12d3-a456-426614174000",
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "d-FL95Q19q7MQmFpd7hHD0Ty",
            "aaaaaaaabbbbbbbb",
            "short1A",
            "alllowercaseletters",
            "${DB_PASSWORD}",
            "getpass_unicode",
            "WIN_HTTP_CREATE_URL_FLAGS",
            "PKCS_12_PROTECTED_PASSWORD",
        ] {
            assert!(!looks_generated(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn gitlab_routable_checksum() {
        // Built like GitLab's generator (scripts/synth_tokens.py): synthetic payload, real CRC scheme.
        let good = b"glpat-bzoxanYKdTo0ZzJrpU3KGCUwux1tEyze1iN7LhA.01.131wqnv8q";
        assert_eq!(gitlab_routable(good), Some(Validation::ChecksumValid));
        assert_eq!(gitlab_routable(b"glpat-bzoxanYKdTo0ZzJrpU3KGCUwux1tEyze1iN7LhA.01.131wqnv8a"), None);
        assert_eq!(gitlab_routable(b"glpat-17MKkyJzyhwMcGM-zExl"), Some(Validation::NotApplicable));
    }

    #[test]
    fn pypi_macaroon_structure() {
        // version 2, location "pypi.org", identifier, end of header, end of caveats, 32-byte signature.
        let mut m = vec![2u8, 1, 8];
        m.extend_from_slice(b"pypi.org");
        m.extend_from_slice(&[2, 4, b'a', b'b', b'c', b'd', 0, 0, 6, 32]);
        m.extend_from_slice(&[7u8; 32]);
        let tok = format!("pypi-{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&m));
        assert!(tok.starts_with("pypi-AgEIcHlwaS5vcmc"));
        assert!(pypi_macaroon(tok.as_bytes()));
        let truncated = &tok[..tok.len() - 4];
        assert!(!pypi_macaroon(truncated.as_bytes()));
        assert!(!pypi_macaroon(b"pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAw"));
    }

    #[test]
    fn provider_markers() {
        assert!(provider_marker(b"sk-proj-abcT3BlbkFJxyz"));
        assert!(!provider_marker(b"sk-proj-abcdefxyz"));
        assert!(provider_marker(b"sk-ant-api03-xyzAA"));
        assert!(!provider_marker(b"sk-ant-api03-xyzAB"));
    }

    #[test]
    fn dummy_passwords() {
        for p in ["myPassword", "password123", "Passw0rd!", "SECRET123", "pass"] {
            assert!(validate(Some(Validator::Password), p.as_bytes(), 0).is_none(), "{p}");
        }
        assert!(validate(Some(Validator::Password), b"q8Vt2mZr4Lk", 0).is_some());
        assert!(validate(Some(Validator::Password), b"MYH6q8cKaAxlReFz7pSQ", 0).is_some(), "random, starting with my");
        assert!(validate(Some(Validator::Password), b"mySecretKey9", 0).is_none());
    }

    #[test]
    fn jwt_expiry_and_identity() {
        let h = b64url(r#"{"alg":"HS256","typ":"JWT"}"#);
        let expired = format!("{h}.{}.sig", b64url(r#"{"sub":"alice","exp":1000}"#));
        let (v, d) = validate(Some(Validator::Jwt), expired.as_bytes(), 2000).unwrap();
        assert_eq!(v, Validation::Expired);
        assert_eq!(d.identifier.as_deref(), Some("sub=alice"));
        assert_eq!(d.expires_at, Some(1000));
        let live = format!("{h}.{}.sig", b64url(r#"{"iss":"acme","exp":3000,"iat":1500}"#));
        let (v, d) = validate(Some(Validator::Jwt), live.as_bytes(), 2000).unwrap();
        assert_eq!(v, Validation::NotExpired);
        assert_eq!(d.issued_at, Some(1500));
        let forever = format!("{h}.{}.sig", b64url(r#"{"iss":"acme"}"#));
        assert_eq!(validate(Some(Validator::Jwt), forever.as_bytes(), 2000).unwrap().0, Validation::NoExpiry);
        let no_alg = format!("{}.{}.sig", b64url(r#"{"typ":"JWT"}"#), b64url("{}"));
        assert!(validate(Some(Validator::Jwt), no_alg.as_bytes(), 0).is_none());
        assert!(validate(Some(Validator::Jwt), b"eyJhbGciOi.eyJzdWIi.sig", 0).is_none());
    }
}
