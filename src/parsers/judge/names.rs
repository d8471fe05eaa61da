//! Which names say "secret", and what kind: one table for every format and for the generic assignment rules.
//!
//! A name is split into words the way people write them (`dbPassword`, `DB_PASSWORD`, `db-password`, `db.password`,
//! `X-Db-Password`, and run together: `dbpassword`, `secretkeybase`), and its *last credential word* decides
//! ([`name_class`]): `password`, `passwd`, `pass`, `pwd`, `passphrase`, `credential(s)` say password; `token`,
//! `auth`, `bearer`, `session`, `cookie` a token; `secret`, `sig`, `signature` a secret; `key` an API key or, after
//! `secret`, `private`, `signing`, `encryption`, `master` …, a secret. Words after it that only qualify it
//! (`_PROD`, `_2`, `_B64`, `_VALUE`) are skipped; a word that makes the name metadata *about* a secret (`_ID`,
//! `_URL`, `_PATH`, `_TYPE`, `_NAME` …) or says digest (`hash`, `sha`, `checksum`, `integrity`, `etag`, `commit`,
//! `uuid`, `nonce`: the last word) rejects it, and so do public material (`PUBLIC`, `PUBLISHABLE`, `*_SITE_KEY`,
//! `NEXT_PUBLIC_*` …), keys that are not credentials (`cache_key`, `sort_key`, `primary_key` …), tokens that are not
//! (`page_token`, `csrf_token`, `pad_token` …) and `PWD`, the shell's working directory.
//!
//! The class also says how specific the name is: under a specific name (`*_api_key`, `*_token`, `*_secret`,
//! `client_secret`, `license_key`, `*password`) a bare hex string or a UUID is a credential; under a vague one
//! (`auth`, `session`, `cookie`, `signature`, `credentials`, a bare `key` or an unknown `*_key`) only a value that
//! looks generated is.
use std::sync::OnceLock;

use foldhash::HashSet;

use crate::rules::NameKind;

/// What a credential name says about its value (see [`name_class`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameClass {
    pub kind: NameKind,
    /// A specific credential name: a hex digest or a UUID under it is a credential, not an id or a checksum.
    pub specific: bool,
}

/// Client-side prefixes: bundlers publish these variables to browsers, so their names say "not secret".
const PUBLIC_PREFIXES: &[&str] =
    &["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "PUBLIC_", "GATSBY_", "VUE_APP_"];
/// A last word that makes the variable metadata *about* a secret (`_KEY_ID`, `_TOKEN_URL`, `_KEY_FILE` …).
const NOT_SECRET_LAST: &str = "\
    ID IDS PATH FILE FILES DIR URL URI ENDPOINT HOST HOSTNAME DOMAIN PORT SERVER NAME NAMES TYPE MODE METHOD \
    PROVIDER ENABLED DISABLED ENABLE REQUIRED EXPIRY EXPIRES EXPIRATION TTL LIFETIME TIMEOUT LENGTH LEN SIZE HEADER \
    ALGORITHM ALG REGION USER USERNAME LOGIN EMAIL ISSUER AUDIENCE SCOPE SCOPES VERSION CALLBACK REDIRECT PREFIX \
    FORMAT ENV STDIN FD CMD COMMAND PROMPT HELPER POLICY COUNT LIMIT DRIVER STORE LABEL HINT FIELD PARAM REF ARN \
    PATTERN REGEX RULE RULES MIN MAX RESET SECURE DAYS HOURS SECONDS INTERVAL AGE MESSAGE TEXT DESCRIPTION TITLE \
    ENCODING CHARSET BITS KIND CLASS HANDLER MANAGER STATUS STATE FLAG FLAGS OPTIONS CONFIG SETTINGS LOCATION \
    SOURCE STRENGTH ROTATION ATTEMPTS RETRIES STRATEGY SCHEME DATE TIME";
/// Words anywhere in a name that say it holds a digest or an identifier, never a credential.
const DIGEST_WORDS: &str = "\
    HASH HASHED SHA SHA1 SHA224 SHA256 SHA384 SHA512 MD5 DIGEST CHECKSUM INTEGRITY ETAG COMMIT UUID GUID NONCE \
    FINGERPRINT";
/// Trailing words that only qualify the credential word before them (`API_KEY_PROD`, `TOKEN_B64`).
const QUALIFIERS: &str = "\
    PROD PRODUCTION DEV DEVELOPMENT STAGING STAGE TEST TESTING QA UAT LIVE SANDBOX LOCAL VALUE VAL B64 BASE64 HEX \
    RAW OLD NEW PRIMARY SECONDARY BACKUP DEFAULT STRING STR";
/// Words before `KEY` that make it a secret key rather than an API key (`SECRET_KEY`, `signingKey`).
const SECRET_KEY_WORDS: &str = "\
    SECRET PRIVATE SIGNING SIGN ENCRYPTION ENCRYPT DECRYPTION DECRYPT MASTER HMAC JWT AES CRYPTO CIPHER SHARED \
    PRESHARED SYMMETRIC SESSION COOKIE";
/// Words before `KEY` that make it a specific credential name (`API_KEY`, `licenseKey`, `client-key`).
const API_KEY_WORDS: &str = "\
    API ACCESS APP APPLICATION CLIENT LICENSE LICENCE SERVICE ACCOUNT ADMIN AUTH SECURITY SUBSCRIPTION DEVELOPER \
    INTEGRATION INGEST WRITE READ PROJECT SERVER BOT WEBHOOK PARTNER MERCHANT CONSUMER SDK STORAGE ROOT";
/// Words before `KEY` that make it a lookup key, not a credential (`cache_key`, `sort_key`, `primaryKey`).
const NOT_CREDENTIAL_KEY: &str = "\
    CACHE SORT PRIMARY FOREIGN PARTITION OBJECT ROUTING LOOKUP MAP DICT RANGE SHARD GROUP INDEX QUERY EVENT FIELD \
    METRIC SETTING HOT SHORTCUT UNIQUE COMPOSITE CLUSTER DEDUP IDEMPOTENCY TRANSLATION I18N LOCALE ROW COLUMN \
    TABLE GPG PGP CSR CERT CERTIFICATE SITE ITEM ENTRY RECORD DOCUMENT PROPERTY ATTRIBUTE ATTR JSON CONTEXT \
    REQUEST RESPONSE CURSOR NEXT PAGE PARENT CHILD REGISTRY MESSAGE STATE LOCK CONFIG WEBSOCKET";
/// Words before `TOKEN` that make it a position, a form nonce or a tokenizer symbol (`page_token`, `csrfToken`).
const NOT_CREDENTIAL_TOKEN: &str = "\
    PAGE NEXT PREV PREVIOUS CONTINUATION CANCEL CANCELLATION PAGINATION SYNC CURSOR RESUME CSRF XSRF IDEMPOTENCY \
    PAD EOS BOS UNK SEP CLS MASK SPECIAL LOCK CHANGE REQUEST STARTING ACTION";
/// Other words that credential names are made of, so that a run-together name (`licensekey`, `dbpass`) splits.
const MODIFIERS: &str = "\
    REFRESH BEARER ID DB DATABASE SMTP MAIL EMAIL LDAP FTP SFTP SSH PROXY REDIS MYSQL POSTGRES PG MONGO DEPLOY CI \
    REGISTRY USER KEYSTORE TRUSTSTORE STORE BASIC OAUTH X BASE HTTP";

/// The credential words: (word, kind, specific).
const CORE: &[(&str, NameKind, bool)] = &[
    ("PASSWORD", NameKind::Password, true),
    ("PASSWD", NameKind::Password, true),
    ("PASSPHRASE", NameKind::Password, true),
    ("PASSCODE", NameKind::Password, true),
    ("PASS", NameKind::Password, true),
    ("PWD", NameKind::Password, true),
    ("CREDENTIAL", NameKind::Password, false),
    ("CREDENTIALS", NameKind::Password, false),
    ("CREDS", NameKind::Password, false),
    ("SECRET", NameKind::Secret, true),
    ("SECRETS", NameKind::Secret, true),
    ("TOKEN", NameKind::Token, true),
    ("PAT", NameKind::Token, true),
    ("AUTH", NameKind::Token, false),
    ("AUTHORIZATION", NameKind::Token, false),
    ("BEARER", NameKind::Token, false),
    ("SESSION", NameKind::Token, false),
    ("COOKIE", NameKind::Token, false),
    ("SIG", NameKind::Secret, false),
    ("SIGNATURE", NameKind::Secret, false),
    ("KEY", NameKind::ApiKey, false),
];
/// English words that end in a credential word but are none (`monkey`, `bypass`, `profession`): a run-together name
/// is split into words only when it is not one of them.
const LOOKALIKES: &str = "\
    MONKEY DONKEY TURKEY HOCKEY JOCKEY WHISKEY LACKEY HOTKEY BYPASS COMPASS SURPASS TRESPASS OVERPASS UNDERPASS \
    ENCOMPASS CONFESSION PROFESSION OBSESSION POSSESSION SUCCESSION CONCESSION RECESSION PROCESSION ACCESSION \
    PALLBEARER";

/// The word lists above, by name, for [`listed`].
#[derive(Clone, Copy)]
enum List {
    NotSecretLast,
    Digest,
    Qualifiers,
    SecretKey,
    ApiKey,
    NotCredentialKey,
    NotCredentialToken,
    Lookalikes,
}

/// `word` is one of the words of `list`. Sets built once: the assignment rules ask this for every name they meet,
/// and scanning a list's text each time was a tenth of a scan of source code.
fn listed(list: List, word: &str) -> bool {
    static SETS: OnceLock<Vec<HashSet<&'static str>>> = OnceLock::new();
    SETS.get_or_init(|| {
        [
            NOT_SECRET_LAST,
            DIGEST_WORDS,
            QUALIFIERS,
            SECRET_KEY_WORDS,
            API_KEY_WORDS,
            NOT_CREDENTIAL_KEY,
            NOT_CREDENTIAL_TOKEN,
            LOOKALIKES,
        ]
        .iter()
        .map(|l| l.split_ascii_whitespace().collect())
        .collect()
    })[list as usize]
        .contains(word)
}

fn core(word: &str) -> Option<&'static (&'static str, NameKind, bool)> {
    CORE.iter().find(|c| c.0 == word)
}

/// The words run-together names are made of (see [`split_run`]): the credential words and the word lists.
fn known_words() -> impl Iterator<Item = &'static str> {
    let lists = [MODIFIERS, SECRET_KEY_WORDS, API_KEY_WORDS, QUALIFIERS, NOT_SECRET_LAST];
    CORE.iter().map(|c| c.0).chain(lists.into_iter().flat_map(str::split_ascii_whitespace))
}

/// A word run-together names are made of (see [`split_run`]).
fn known(word: &str) -> bool {
    static KNOWN: OnceLock<HashSet<&'static str>> = OnceLock::new();
    KNOWN.get_or_init(|| known_words().collect()).contains(word)
}

/// Whether `part` ends with the last two bytes of a known word (or is one byte long): one table lookup that rules out
/// most parts, where looking each of its last 14 suffixes up in [`known`] was most of [`name_class`]'s time.
fn ends_like_known(part: &str) -> bool {
    static ENDS: OnceLock<Box<[bool]>> = OnceLock::new();
    let ends = ENDS.get_or_init(|| {
        let mut ends = vec![false; 1 << 16];
        for w in known_words().map(str::as_bytes) {
            match w {
                [.., a, b] => ends[usize::from(*a) << 8 | usize::from(*b)] = true,
                _ => ends.iter_mut().for_each(|e| *e = true), // a one-letter word: every part may end with it
            }
        }
        ends.into_boxed_slice()
    });
    match part.as_bytes() {
        [.., a, b] => ends[usize::from(*a) << 8 | usize::from(*b)],
        _ => true,
    }
}

/// `dbPassword` → `DB_PASSWORD`, `x-api-key` → `X_API_KEY`, `--api.key` → `API_KEY`: camelCase split, every other
/// non-alphanumeric character a `_`, upper case, no `_` at either end.
pub(super) fn normalize_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' });
    }
    let end = out.trim_end_matches('_').len();
    out.truncate(end);
    let lead = out.len() - out.trim_start_matches('_').len();
    out.drain(..lead);
    out
}

/// A run-together part (`SECRETKEYBASE`, `LICENSEKEY`, `GITHUBTOKEN`) as the words it is made of: the longest tail
/// made of known words, and what is left before it (at least two letters) as one word; otherwise, and for English
/// words that only end like a credential word ([`LOOKALIKES`]), the part itself. Dynamic programming over the part's
/// suffixes; parts over 40 bytes are left whole. The words are appended to `words` (one vector for all of a name's
/// parts: a vector per part was most of [`name_class`]'s allocations).
fn split_run<'a>(part: &'a str, words: &mut Vec<&'a str>) {
    let n = part.len();
    // Most parts are a word of their own or end in no known word (`GITHUB`): no split to look for.
    if n > MAX_RUN
        || !part.is_ascii()
        || known(part)
        || !ends_like_known(part)
        || !(n.saturating_sub(14)..n).any(|j| known(&part[j..]))
        || listed(List::Lookalikes, part)
    {
        words.push(part);
        return;
    }
    // next[j]: where the first word of a split of part[j..] ends.
    let mut next = [None; MAX_RUN + 1];
    next[n] = Some(n);
    for j in (0..n).rev() {
        next[j] = (j + 1..=(j + 14).min(n)).rev().find(|&k| next[k].is_some() && known(&part[j..k]));
    }
    let Some(start) = (0..n).find(|&j| next[j].is_some() && (j == 0 || j >= 2)) else {
        words.push(part);
        return;
    };
    if start > 0 {
        words.push(&part[..start]);
    }
    let mut j = start;
    while j < n {
        let k = next[j].expect("split found");
        words.push(&part[j..k]);
        j = k;
    }
}

/// The longest run-together part [`split_run`] splits.
const MAX_RUN: usize = 40;

/// What `name` says about its value, or `None` when it says nothing secret. See the module documentation.
pub fn name_class(name: &str) -> Option<NameClass> {
    let norm = normalize_name(name);
    if norm.is_empty() || norm == "PWD" || PUBLIC_PREFIXES.iter().any(|p| norm.starts_with(p)) {
        return None;
    }
    let mut words: Vec<&str> = Vec::with_capacity(8);
    norm.split('_').filter(|p| !p.is_empty()).for_each(|p| split_run(p, &mut words));
    if norm.contains("PUBLIC") || norm.contains("PUBLISHABLE") {
        return None; // also inside a run-together name: `nextpublicstripekey`, `wgpublickey`
    }
    let ends = |tail: &[&str]| words.ends_with(tail);
    if ends(&["DATABASE", "URL"]) || ends(&["DATABASE", "URI"]) || ends(&["CONNECTION", "STRING"]) || ends(&["DSN"]) {
        return Some(NameClass { kind: NameKind::Secret, specific: true });
    }
    while words.len() > 1 {
        let last = words[words.len() - 1];
        let qualifier = listed(List::Qualifiers, last) || last.bytes().all(|b| b.is_ascii_digit()) || version(last);
        if !(qualifier || (last == "BASE" && words[words.len() - 2] == "KEY")) {
            break;
        }
        words.pop();
    }
    let last = *words.last()?;
    // A digest word last (`PASSWORD_HASH`, `API_KEY_SHA256`): the value is a digest of the credential. (Before the
    // credential word it says what the secret is for: `HASH_SECRET`, `HMAC_KEY`.)
    if listed(List::NotSecretLast, last) || listed(List::Digest, last) {
        return None;
    }
    let before = words.len().checked_sub(2).map(|i| words[i]);
    if let Some(class) = last_word(last, before, &words) {
        return class;
    }
    fallback(&words)
}

/// How many names [`name_class_of`] remembers per thread (a power of two), and the longest it remembers.
const REMEMBERED_NAMES: usize = 2048;
const REMEMBERED_LEN: usize = 48;

/// One remembered name: its bytes (up to [`REMEMBERED_LEN`]), length and class, in one cache line.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Remembered {
    len: u8,
    name: [u8; REMEMBERED_LEN],
    class: Option<NameClass>,
}

/// [`name_class`] of a name's raw bytes, remembered per thread. The assignment matcher asks at every keyword hit that
/// is followed by a value, and code sets the same few names over and over: the 100k questions a home directory's
/// text asks cost 4k instructions each, a tenth of the scan, and most were asked before. The memory is a table
/// indexed by the name's hash, each slot holding the name itself (a later name with the same slot takes it over), so
/// a question asked before costs a hash and one cache line; a hash map of boxed names cost two or three misses.
pub fn name_class_of(name: &[u8]) -> Option<NameClass> {
    use std::hash::BuildHasher;
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<Remembered>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if name.len() > REMEMBERED_LEN {
        return name_class(&String::from_utf8_lossy(name));
    }
    let slot = foldhash::fast::FixedState::default().hash_one(name) as usize & (REMEMBERED_NAMES - 1);
    SEEN.with_borrow_mut(|seen| {
        if seen.is_empty() {
            seen.resize(REMEMBERED_NAMES, Remembered { len: u8::MAX, name: [0; REMEMBERED_LEN], class: None });
        }
        let r = &mut seen[slot];
        if usize::from(r.len) == name.len() && &r.name[..name.len()] == name {
            return r.class;
        }
        let class = name_class(&String::from_utf8_lossy(name));
        r.len = name.len() as u8;
        r.name[..name.len()].copy_from_slice(name);
        r.class = class;
        class
    })
}

/// `V2`, `V10`: a version suffix.
fn version(word: &str) -> bool {
    word.len() > 1 && word.starts_with('V') && word[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The class the last word gives: `Some(None)` when it is a credential word that the word before it makes no
/// credential (`cache_key`); `None` when it is no credential word (then [`fallback`] decides).
fn last_word(last: &str, before: Option<&str>, words: &[&str]) -> Option<Option<NameClass>> {
    let &(word, mut kind, mut specific) = core(last)?;
    match word {
        "KEY" => match before {
            None => {}
            Some(b) if listed(List::NotCredentialKey, b) => return Some(None),
            Some(_) if words.iter().any(|w| matches!(*w, "SECRET" | "PRIVATE")) => {
                (kind, specific) = (NameKind::Secret, true)
            }
            Some(b) if listed(List::SecretKey, b) => (kind, specific) = (NameKind::Secret, true),
            Some(b) if listed(List::ApiKey, b) => specific = true,
            Some(_) => {}
        },
        "TOKEN" if before.is_some_and(|b| listed(List::NotCredentialToken, b)) => return Some(None),
        _ => {}
    }
    Some(Some(NameClass { kind, specific }))
}

/// Names whose last word is no credential word but that hold one anywhere: `*PASSWORD*`, `*PASSPHRASE*`,
/// `*CREDENTIAL*`, `PRIVATE KEY`, `API KEY`, `ACCESS KEY`, `SECRET*` and `*AUTH*` parts (`DB_PASSWORD_ENCRYPTED`,
/// `SECRET_ACCESS`, `AUTH_GUARD`). Vague: only a generated-looking value counts.
fn fallback(words: &[&str]) -> Option<NameClass> {
    if words.iter().any(|w| listed(List::Digest, w)) {
        return None;
    }
    let pair = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
    let kind = if words.iter().any(|w| matches!(*w, "PASSWORD" | "PASSWD" | "PASSPHRASE" | "CREDENTIAL")) {
        NameKind::Password
    } else if pair("PRIVATE", "KEY") || words.first() == Some(&"SECRET") {
        NameKind::Secret
    } else if pair("API", "KEY") || pair("ACCESS", "KEY") {
        NameKind::ApiKey
    } else if words.iter().any(|w| matches!(*w, "AUTH" | "AUTHORIZATION")) {
        NameKind::Token
    } else {
        return None;
    };
    Some(NameClass { kind, specific: false })
}

/// Which letters may follow a keyword of the generic assignment rules, in the same part of a name, for the keyword
/// to begin a word that [`name_class`] reads as a credential word (`key` in `apiKey`, `pass` in `password`).
///
/// Why: a name has a class only through a credential word (`KEY`, `PASSWORD`, `SIG` …), and each built-in keyword
/// begins one, so a keyword hit followed by letters that cannot continue it into words (`unsigned`, `signal`,
/// `keyboard`, `passed`, `tokens`) can only lead the matcher to a name whose class another hit finds, or to none.
/// The keyword gate asks this while the hit's bytes are in cache (asked later, in the matcher, a big file's hits had
/// left the cache), and two fifths of the hits in the bench tree's text end there. What is kept is a superset
/// of what can matter: the keyword is a word of its own if the letters after it are words [`split_run`] knows, and
/// only their first letters are checked; or it begins a longer credential word (`WORD` after `pass`). A keyword that
/// begins no credential word (a user's rule may have any) keeps all its hits.
pub struct WordStarts {
    /// 3-letter starts of the known words (A–Z folded to 0–25, 26³ bits).
    three: Bits,
    /// Known words of 1 and 2 letters (`X`, `DB`), by [`short_index`].
    short: Bits,
    /// Whole rests of 1 to 3 letters made of known words (`DEV`, `XDB`), by [`short_index`].
    whole: Bits,
    /// For each keyword, by [`keyword_slot`]: the rests of the credential words it begins (`WORD`, `WD`, `PHRASE`,
    /// `CODE` for `pass`; `S` for `secret`).
    rests: Vec<Vec<Box<[u8]>>>,
    /// Slots of keywords that begin no credential word (a user's rule may give any: `apik`, `x-token`): their hits are
    /// all kept, since the credential word may begin before the keyword ends.
    unchecked: Vec<bool>,
}

/// A set of small numbers, one bit each: [`WordStarts`]'s tables are asked at every keyword hit, in between the
/// gate's own tables, and as bits they take 2.3 KiB of the cache instead of 18 KiB.
struct Bits(Box<[u64]>);

impl Bits {
    fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)].into_boxed_slice())
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    #[inline]
    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

/// A string of 1 to 3 letters (A–Z) as an index below 26 + 26² + 26³.
fn short_index(letters: &[u8]) -> usize {
    let base = [0, 0, 26, 26 + 26 * 26];
    base[letters.len()] + letters.iter().fold(0, |acc, &l| acc * 26 + usize::from(l.to_ascii_uppercase() - b'A'))
}

/// A keyword's slot in [`WordStarts::rests`]: its length (up to 15) and first letter. Keywords that share one share
/// their rests, which only keeps more hits.
fn keyword_slot(keyword: &[u8]) -> Option<usize> {
    let first = keyword.first().filter(|b| b.is_ascii_alphabetic())?;
    Some(keyword.len().min(15) * 26 + usize::from(first.to_ascii_lowercase() - b'a'))
}

impl WordStarts {
    /// For the generic assignment rules' `keywords` (any case).
    pub fn new<'k>(keywords: impl IntoIterator<Item = &'k [u8]>) -> WordStarts {
        let known: Vec<&str> = known_words().collect();
        let letters = |w: &str| w.bytes().all(|b| b.is_ascii_uppercase());
        let mut starts = WordStarts {
            three: Bits::new(26 * 26 * 26),
            short: Bits::new(26 + 26 * 26),
            whole: Bits::new(26 + 26 * 26 + 26 * 26 * 26),
            rests: vec![Vec::new(); 16 * 26],
            unchecked: vec![false; 16 * 26],
        };
        for w in &known {
            let head = w.bytes().take_while(u8::is_ascii_uppercase).count();
            if head >= 3 {
                let i = short_index(&w.as_bytes()[..3]) - short_index(b"AAA");
                starts.three.set(i);
            } else if head == w.len() {
                starts.short.set(short_index(w.as_bytes()));
            }
        }
        // Whole short rests: up to three known words of 3 letters in all.
        let small: Vec<&str> = known.iter().copied().filter(|w| w.len() <= 3 && letters(w)).collect();
        for a in &small {
            starts.whole.set(short_index(a.as_bytes()));
            for b in small.iter().filter(|b| a.len() + b.len() <= 3) {
                starts.whole.set(short_index(format!("{a}{b}").as_bytes()));
                for c in small.iter().filter(|c| a.len() + b.len() + c.len() <= 3) {
                    starts.whole.set(short_index(format!("{a}{b}{c}").as_bytes()));
                }
            }
        }
        for keyword in keywords {
            let Some(slot) = keyword_slot(keyword) else { continue };
            let upper = String::from_utf8_lossy(keyword).to_ascii_uppercase();
            if !CORE.iter().any(|c| c.0.starts_with(upper.as_str())) {
                starts.unchecked[slot] = true;
            }
            for rest in CORE.iter().filter_map(|c| c.0.strip_prefix(upper.as_str())).filter(|r| !r.is_empty()) {
                starts.rests[slot].push(rest.as_bytes().into());
            }
        }
        starts
    }

    /// Whether the letters after `keyword` may continue it into credential words. `rest`: the letters that follow it
    /// in the same part of the name (upper case), up to 4; 4 means "4 or more".
    #[inline]
    pub fn allows(&self, keyword: &[u8], rest: &[u8]) -> bool {
        let known = match rest.len() {
            0 => return true,
            1..=3 => self.whole.get(short_index(rest)),
            _ => {
                let i = short_index(&rest[..3]) - short_index(b"AAA");
                self.three.get(i) || self.short.get(short_index(&rest[..1])) || self.short.get(short_index(&rest[..2]))
            }
        };
        known
            || keyword_slot(keyword).is_none_or(|slot| {
                self.unchecked[slot]
                    || self.rests[slot].iter().any(|r| {
                        // A whole rest is the word's rest and known words after it; a longer one agrees with it as far
                        // as both go.
                        let n = r.len().min(rest.len());
                        if rest.len() < 4 {
                            rest.starts_with(r)
                        } else {
                            r[..n] == rest[..n]
                        }
                    })
            })
    }
}

/// True when a variable, key, flag or header name says its value is a secret ([`name_class`] has a class for it).
/// A bare `key` is one: Google's APIs take their key as `?key=`, and MCP servers as `"key"`; its value must still
/// look like a secret (a key *file* is a path, and is not one).
pub fn says_secret(name: &str) -> bool {
    name_class(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_classes_are_the_classes() {
        let long = "the_configuration_of_the_primary_database_cluster_password"; // longer than REMEMBERED_LEN
        let names =
            ["DB_PASSWORD", "apiKey", "cache_key", "monkey", "page_token", "x-api-key", "PWD", "secretkeybase", long];
        for round in 0..2 {
            for n in names {
                assert_eq!(name_class_of(n.as_bytes()), name_class(n), "{n}, round {round}");
            }
        }
        assert!(long.len() > REMEMBERED_LEN);
        // More names than slots: a slot another name took answers for that name only.
        for i in 0..REMEMBERED_NAMES + 10 {
            let n = format!("name{i}_token");
            assert_eq!(name_class_of(n.as_bytes()), name_class(&n), "{n}");
        }
        assert_eq!(name_class_of(b"\xff_password"), name_class("\u{fffd}_password"), "not UTF-8: read lossily");
    }

    #[test]
    fn run_together_names_split_into_known_words() {
        let split_run = |part| {
            let mut words = Vec::new();
            super::split_run(part, &mut words);
            words
        };
        assert_eq!(split_run("SECRETKEYBASE"), ["SECRET", "KEY", "BASE"]);
        assert_eq!(split_run("LICENSEKEY"), ["LICENSE", "KEY"]);
        assert_eq!(split_run("APIKEYID"), ["API", "KEY", "ID"]);
        assert_eq!(split_run("MONKEY"), ["MONKEY"]);
        assert_eq!(split_run("BYPASS"), ["BYPASS"]);
        assert_eq!(split_run("GITHUBTOKEN"), ["GITHUB", "TOKEN"]);
        assert_eq!(split_run("BACKENDLICENSEKEY"), ["BACKEND", "LICENSE", "KEY"]);
        assert_eq!(split_run("KEYBOARD"), ["KEYBOARD"]);
        assert_eq!(split_run("QKEY"), ["QKEY"], "a word before it is at least two letters");
        assert_eq!(split_run("PASSWORD"), ["PASSWORD"]);
    }
}
