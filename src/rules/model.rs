//! What a rule file says: the data model of one rule ([`RuleSpec`]) and the vocabulary its fields use (severity,
//! confidence, validator, fingerprint kind), and how a keyword is spelled in text ([`spellings`]).
//!
//! Pure data: nothing here compiles a pattern, reads a file or scans text. Every stage reads these types — the keyword
//! gate ([`crate::prefilter`]), the confirm stage ([`crate::engine`]), the validators ([`crate::validate`]), the
//! parsers and the report — so they sit at the bottom of the crate and depend on nothing in it.
use std::fmt;

use serde::{Deserialize, Serialize};

/// What `{assign}` in a rule's pattern stands for: the operator between a provider-named setting and its value, in
/// every syntax credsweep reads (`NAME=v`, `name: v`, `"name": "v"`, `name := v`, `::=`, `|=`, `=>`, `ENV['NAME'] =`,
/// `define('NAME', 'v')`, `<name>v</name>`, `<add key="NAME" value="v"/>`, Kubernetes `name:`/`value:`, `<name>` and
/// `<value>` elements, notebook-escaped `\"NAME\"`, Go's `var name string =`, Rust's `: &str =` and
/// `String::from("v")`, raw and triple-quoted strings, YAML block scalars), up to the value's opening quote. One
/// definition, so a new syntax reaches every provider rule at once; `scripts/check_rules.py` reads it from here.
pub const ASSIGN: &str = r##"\\?["']?(?:\[\])?\]?(?:\s+(?:string|String|str)\b)?\s*(?::{1,3}=|\|\|?=|\?=|=>|[:=,>]|(?i:value)\s*[:=]|(?i:</(?:name|key)>\s*<value>))(?:\s*["']?(?i:value)["']?\s*[:=])?\s*(?:[|>][-+]?\s*)?(?:&?'?\w+\s*=\s*)?(?:String::from\(\\?["']|r#*"|\\?["'`]{0,3})"##;

/// A pattern with its `{assign}` placeholders expanded.
pub fn expand_pattern(pattern: &str) -> String {
    pattern.replace("{assign}", ASSIGN)
}

/// How bad a leaked credential of this kind is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!("unknown severity '{s}' (expected info, low, medium, high or critical)")),
        }
    }
}

/// How sure a finding is to be a real, live credential (lower for generic patterns and for test/vendored code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    #[default]
    High,
}

impl Confidence {
    /// One step lower (for findings in test or vendored code).
    pub fn lower(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

impl std::str::FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            _ => Err(format!("unknown confidence '{s}' (expected low, medium or high)")),
        }
    }
}

/// Offline check of a candidate's structure (checksums, decodable payloads). See [`crate::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// GitHub classic tokens: CRC32 of the 30 random characters, base62, in the last 6.
    GithubCrc32,
    /// npm tokens: the same scheme as GitHub's.
    NpmCrc32,
    /// JSON Web Token: header and payload decode to JSON objects; `exp` decides expired or not.
    Jwt,
    /// A password in a URL or config: not one of the documentation dummies (`myPassword`, `password123`,
    /// `secret…`) that survive an entropy threshold.
    Password,
    /// An AWS access key id: its AWS account id is decoded from it (offline) as the identifier.
    AwsKeyId,
    /// GitLab routable tokens (`glpat-<payload>.<version>.<length><crc>`): base36 CRC32 over everything before it;
    /// the legacy 20-character form has no checksum.
    GitlabRoutable,
    /// PyPI API tokens: `pypi-` + a base64url macaroon (v2 binary format) that must decode and parse.
    PypiMacaroon,
    /// OpenAI keys carry the `T3BlbkFJ` marker (base64 of "OpenAI"); Anthropic API keys end in `AA`.
    ProviderMarker,
    /// A value assigned to a secret-sounding name (`password = …`, `api_key: …`): reported only when it looks
    /// machine-generated. See [`crate::validate::looks_generated`].
    Generic,
    /// An HTTP `Authorization: Basic` token (RFC 7617): base64 of `user:password` with a password that is no
    /// placeholder or documentation dummy; the user is the identifier.
    BasicAuth,
    /// An opaque token in an `Authorization` header (`Bearer`, `Token` …): random-looking, or a hex string or UUID,
    /// which in that place is a credential rather than a digest or an id.
    HeaderToken,
}

/// What a credential name says its value is, for the generic assignment rules: the name's last credential word
/// decides (`db_password` a password, `stripe_api_key` an API key, `refresh_token` a token, `client_secret` or
/// `signing_key` another secret). See `parsers::judge::name_class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameKind {
    Password,
    ApiKey,
    Token,
    Secret,
}

impl NameKind {
    pub const ALL: [NameKind; 4] = [NameKind::Password, NameKind::ApiKey, NameKind::Token, NameKind::Secret];
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What bytes the fingerprint is computed over. See [`crate::fingerprint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FingerprintKind {
    /// The secret's exact bytes.
    #[default]
    Raw,
    /// An armored block (RFC 7468): the base64-decoded body, so re-wrapping, CRLF or `\n` escapes don't matter.
    Pem,
    /// A PuTTY key file: the base64-decoded private lines.
    Putty,
    /// An HTTP Basic credential, `base64(user:password)` (RFC 7617): the password, so it matches the same password
    /// found anywhere else (the user name when the password is empty: an API key sent as the user).
    BasicAuth,
}

/// One rule as written in a rule file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub kind: String,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub keywords: Vec<String>,
    /// The regex; empty for an assignment rule.
    #[serde(default)]
    pub pattern: String,
    /// A generic assignment rule (`name = value` in any syntax): no pattern; the built-in assignment matcher
    /// (`crate::assign`) runs at the rule's keywords and reports names of this kind under this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<NameKind>,
    #[serde(default)]
    pub min_entropy: Option<f64>,
    #[serde(default)]
    pub validator: Option<Validator>,
    #[serde(default)]
    pub fingerprint: FingerprintKind,
    /// Bytes after a keyword hit that the regex may reach.
    #[serde(default)]
    pub window: Option<usize>,
    /// When two rules report the same secret at the same place, the higher priority wins.
    #[serde(default)]
    pub priority: i32,
    /// How sure a match of this rule is (default high; generic patterns say medium).
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default)]
    pub references: Vec<String>,
    /// Where the provider documents revoking and rotating this credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// Every spelling of `keyword` that a rule means, as the keyword gate looks for them: ASCII-lowercased (the search ignores ASCII case), and
/// with each `_` or `-` in either form, because one name is written both ways (`HEX_API_KEY` in an environment,
/// `hex-api-key` in a header or YAML) and patterns accept both (`hex[_-]?api`). A keyword with more than
/// [`MAX_SEPARATORS`] separators is taken as written.
pub fn spellings(keyword: &str) -> Vec<Vec<u8>> {
    let base = keyword.as_bytes().to_ascii_lowercase();
    let seps: Vec<usize> = (0..base.len()).filter(|&i| base[i] == b'_' || base[i] == b'-').collect();
    if seps.is_empty() || seps.len() > MAX_SEPARATORS {
        return vec![base];
    }
    (0..1u32 << seps.len())
        .map(|mask| {
            let mut k = base.clone();
            for (bit, &i) in seps.iter().enumerate() {
                k[i] = if mask >> bit & 1 == 1 { b'-' } else { b'_' };
            }
            k
        })
        .collect()
}

/// See [`spellings`]: up to 16 of them per keyword.
const MAX_SEPARATORS: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_swap_separators_and_ignore_case() {
        assert_eq!(spellings("AKIA"), vec![b"akia".to_vec()]);
        let mut s = spellings("Hex_API-key");
        s.sort();
        assert_eq!(
            s,
            vec![b"hex-api-key".to_vec(), b"hex-api_key".to_vec(), b"hex_api-key".to_vec(), b"hex_api_key".to_vec()]
        );
        assert_eq!(spellings("a_b_c_d_e_f"), vec![b"a_b_c_d_e_f".to_vec()], "too many separators: as written");
    }
}
