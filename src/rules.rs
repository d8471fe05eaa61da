//! Rules are data: TOML files under `rules/` (embedded at build time) plus any `--rules FILE` given at run time.
//!
//! This module turns rule text into a validated, compiled [`RuleSet`]. It knows nothing about files or matching
//! order; the keyword gate lives in [`crate::prefilter`] and the confirmation in [`crate::engine`].
//!
//! A rule file holds a `[[rules]]` array; see README.md ("Rule format") for every field. `rules check` and the test
//! suite validate rules with the same function, [`check_rules`].
use std::{collections::HashSet, fmt, path::Path, sync::OnceLock};

use anyhow::{bail, Context, Result};
use regex::bytes::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

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
    pub pattern: String,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<RuleSpec>,
}

/// Default reach of a rule's regex past its keyword; long enough for any single-line token with context.
pub const DEFAULT_WINDOW: usize = 1024;
/// Upper bound on `window`, so one rule cannot make the confirm stage scan whole files.
pub const MAX_WINDOW: usize = 64 * 1024;

/// A rule ready to run.
#[derive(Debug)]
pub struct Rule {
    pub spec: RuleSpec,
    /// Built on first use for built-in rules (see [`Rule::regex`]), at load time for everything else.
    regex: OnceLock<Regex>,
    pub secret_group: usize,
    pub identifier_group: Option<usize>,
    pub window: usize,
    /// Every match starts with one of the rule's keywords (the pattern's prefix literals all do), so the regex can
    /// start at a keyword hit instead of [`crate::engine::LOOKBEHIND`] bytes before it.
    pub starts_at_keyword: bool,
    /// The longest match the pattern can make, if bounded: with [`Rule::starts_at_keyword`], a match is inside
    /// `hit.start .. hit.start + max_len`, which is all the regex then needs to see.
    pub max_len: Option<usize>,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The compiled pattern. Built-in patterns are compiled the first time one of the rule's keywords occurs, by
    /// whichever worker meets it first: compiling all 327 at start took 48 ms before the first file was read, on one
    /// thread (a 40-rule build started in 10 ms), and most rules never fire in a given scan. Their syntax and groups
    /// are checked when the rule set loads, and the test suite compiles every one of them (`check_rules`), so the
    /// build cannot fail here.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| build_regex(&self.spec.pattern).expect("built-in patterns compile (tested)"))
    }
}

/// Every rule, compiled, in a stable order (built-ins by file then position, then user files).
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Findings that format-aware parsers report (a secret in a `.env` variable, an MCP server's `env`) carry these
    /// rule ids. They are described like other rules (`rules list`, SARIF) but have no pattern: the engine never
    /// runs them.
    pub parser_rules: Vec<RuleSpec>,
    /// SHA-256 over the rule texts, so a report says exactly which rules produced it.
    pub digest: String,
}

/// Parse one rule file's text. `origin` only labels errors.
pub fn parse_rule_file(text: &str, origin: &str) -> Result<Vec<RuleSpec>> {
    // toml's Display is multi-line with a source excerpt; report one line: origin, message, line number.
    let file: RuleFile = toml::from_str(text).map_err(|e| crate::reason::toml_error(text, origin, &e))?;
    Ok(file.rules)
}

/// Read a rule file from disk.
pub fn load_rule_file(path: &Path) -> Result<Vec<RuleSpec>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read rule file {}", path.display()))?;
    parse_rule_file(&text, &path.display().to_string())
}

/// The built-in rules, parsed.
pub fn builtin_specs() -> Result<Vec<RuleSpec>> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN_RULE_FILES {
        out.extend(parse_rule_file(text, name)?);
    }
    Ok(out)
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        // ASCII classes, boundaries and case folding: secrets are ASCII, and Unicode `\b` makes the lazy DFA give up
        // at the first non-ASCII byte and hand the window to the (much slower) PikeVM, while Unicode `\s` and
        // `(?i)` make bigger automata that take longer to build.
        .unicode(false)
        // The regex only ever runs on small windows, so a small lazy-DFA cache per regex and thread is plenty; the
        // default (or a large one) multiplied by every rule and thread was most of the process's memory.
        .dfa_size_limit(256 << 10)
        .build()
}

/// Compile one rule; errors name the rule and say what is wrong.
pub fn compile_rule(spec: RuleSpec) -> Result<Rule> {
    let rule = prepare_rule(spec)?;
    let regex = build_regex(&rule.spec.pattern).map_err(|e| {
        anyhow::anyhow!("rule '{}': pattern does not compile: {}", rule.spec.id, first_line(&e.to_string()))
    })?;
    rule.regex.set(regex).expect("a new rule has no regex yet");
    Ok(rule)
}

/// Check one rule like [`compile_rule`], but only parse its pattern: the regex is built on first use.
fn prepare_rule(spec: RuleSpec) -> Result<Rule> {
    let id = spec.id.clone();
    if !is_kebab(&id) {
        bail!("rule '{id}': id must be kebab-case (a-z, 0-9, single '-')");
    }
    if spec.keywords.is_empty() || spec.keywords.iter().any(|k| k.len() < 2) {
        bail!("rule '{id}': needs at least one keyword, each at least 2 bytes long");
    }
    // Parsed as [`build_regex`] builds it (UTF-8 and Unicode modes off), for its syntax errors and its capture groups.
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(&spec.pattern)
        .map_err(|e| anyhow::anyhow!("rule '{id}': pattern does not compile: {}", first_line(&e.to_string())))?;
    let mut groups = Vec::new();
    named_groups(&hir, &mut groups);
    let group = |name: &str| groups.iter().find(|(_, n)| n == name).map(|(i, _)| *i);
    let secret_group =
        group("secret").ok_or_else(|| anyhow::anyhow!("rule '{id}': pattern has no named group 'secret'"))?;
    let identifier_group = group("identifier");
    let window = spec.window.unwrap_or(DEFAULT_WINDOW);
    if window == 0 || window > MAX_WINDOW {
        bail!("rule '{id}': window must be between 1 and {MAX_WINDOW}");
    }
    if let Some(e) = spec.min_entropy {
        if !(0.0..=8.0).contains(&e) {
            bail!("rule '{id}': min_entropy must be between 0 and 8 bits per byte");
        }
    }
    let starts_at_keyword = starts_with_keyword(&hir, &spec.keywords);
    let max_len = hir.properties().maximum_len();
    Ok(Rule { spec, regex: OnceLock::new(), secret_group, identifier_group, window, starts_at_keyword, max_len })
}

/// Whether every match of `hir` begins with one of `keywords` (in one of its [`crate::prefilter::spellings`], as the
/// keyword gate finds them): true when the pattern's prefix literals are a finite set and each starts with a keyword. An infinite or
/// trimmed set (a leading class, `(?:^|[^0-9])`, an optional part) gives false, the safe answer.
fn starts_with_keyword(hir: &regex_syntax::hir::Hir, keywords: &[String]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // `(?i)password` has 256 case variants, more than the extractor lists; the comparison ignores case anyway.
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&fold_case_pairs(hir));
    let Some(literals) = seq.literals() else { return false };
    let spellings: Vec<Vec<u8>> = keywords.iter().flat_map(|k| crate::prefilter::spellings(k)).collect();
    !literals.is_empty()
        && literals.iter().all(|lit| {
            let lit = lit.as_bytes();
            spellings.iter().any(|k| lit.len() >= k.len() && lit[..k.len()].eq_ignore_ascii_case(k))
        })
}

/// `hir` with each class of exactly one ASCII letter in both cases (`[Pp]`, what `(?i)p` becomes) replaced by the
/// lower-case letter: the same matches up to ASCII case, with few prefix literals instead of one per case variant.
fn fold_case_pairs(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};
    match hir.kind() {
        // Unicode mode is off, so classes are byte classes.
        HirKind::Class(Class::Bytes(c)) => match c.ranges() {
            [upper, lower]
                if upper.start() == upper.end()
                    && lower.start() == lower.end()
                    && lower.start().is_ascii_lowercase()
                    && upper.start() == lower.start().to_ascii_uppercase() =>
            {
                Hir::literal([lower.start()])
            }
            _ => hir.clone(),
        },
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_case_pairs).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_case_pairs).collect()),
        HirKind::Repetition(r) => Hir::repetition(Repetition { sub: Box::new(fold_case_pairs(&r.sub)), ..r.clone() }),
        HirKind::Capture(c) => Hir::capture(Capture { sub: Box::new(fold_case_pairs(&c.sub)), ..c.clone() }),
        HirKind::Class(Class::Unicode(_)) | HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// (capture index, name) of every named group, in the numbering `Regex::capture_names` uses.
fn named_groups(hir: &regex_syntax::hir::Hir, out: &mut Vec<(usize, String)>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(name) = &c.name {
                out.push((c.index as usize, name.to_string()));
            }
            named_groups(&c.sub, out);
        }
        HirKind::Repetition(r) => named_groups(&r.sub, out),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().for_each(|h| named_groups(h, out)),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// SHA-256 over the rule texts, in order.
fn digest<'a>(specs: impl Iterator<Item = &'a RuleSpec>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for spec in specs {
        hasher.update(serde_json::to_vec(spec).expect("rule spec serializes"));
    }
    format!("sha256:{}", hex::encode(hasher.finalize()))
}

fn first_line(s: &str) -> String {
    // regex errors are multi-line with a caret diagram; the last non-empty line says what is wrong.
    s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(s).trim().to_string()
}

impl RuleSet {
    /// Compile specs into a rule set; duplicate ids are an error.
    pub fn compile(specs: Vec<RuleSpec>) -> Result<RuleSet> {
        RuleSet::compile_lazily(specs, 0)
    }

    /// [`RuleSet::compile`], except that the first `lazy` rules' patterns are only parsed now, and built on first use.
    fn compile_lazily(specs: Vec<RuleSpec>, lazy: usize) -> Result<RuleSet> {
        let mut seen = HashSet::new();
        let mut rules = Vec::with_capacity(specs.len());
        for spec in specs {
            if !seen.insert(spec.id.clone()) {
                bail!("rule '{}': duplicate id", spec.id);
            }
            rules.push(if rules.len() < lazy { prepare_rule(spec)? } else { compile_rule(spec)? });
        }
        let digest = digest(rules.iter().map(|r| &r.spec));
        Ok(RuleSet { rules, parser_rules: Vec::new(), digest })
    }

    /// Keep only the rules (pattern and parser rules) whose id is in `ids` (`--enable-rule`, as in gitleaks). An id
    /// that names no rule is an error, so a typo cannot silently turn a scan into a scan for nothing. The digest then
    /// covers the rules that remain: a report says exactly which rules produced it.
    pub fn retain_ids(&mut self, ids: &[String]) -> Result<()> {
        if let Some(unknown) = ids.iter().find(|id| !self.specs().any(|s| &s.id == *id)) {
            bail!("--enable-rule: no rule has the id '{unknown}' (see `credsweep rules list`)");
        }
        let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.rules.retain(|r| wanted.contains(r.id()));
        self.parser_rules.retain(|s| wanted.contains(s.id.as_str()));
        self.digest = digest(self.rules.iter().map(|r| &r.spec));
        Ok(())
    }

    /// Every rule's description: pattern rules, then parser rules.
    pub fn specs(&self) -> impl Iterator<Item = &RuleSpec> {
        self.rules.iter().map(|r| &r.spec).chain(self.parser_rules.iter())
    }

    /// Built-in rules plus extra rule files. Built-in patterns are compiled on first use (the test suite compiles
    /// them all); a user's are compiled now, so a pattern error stops the scan before it starts.
    pub fn load(extra: &[std::path::PathBuf]) -> Result<RuleSet> {
        let mut specs = builtin_specs()?;
        let builtin = specs.len();
        for p in extra {
            specs.extend(load_rule_file(p)?);
        }
        let mut set = RuleSet::compile_lazily(specs, builtin)?;
        set.parser_rules = crate::parsers::rule_specs();
        Ok(set)
    }
}

/// Validate rules the way the test suite validates the built-ins: ids unique and kebab-case, patterns compile with a
/// `secret` group, every example contains a keyword and yields a finding of its rule through the whole engine
/// (gate, window, entropy, placeholder filter, validator), and no negative example does.
///
/// `others` are ids that already exist (the built-ins, when checking a user file). Returns every problem found.
pub fn check_rules(specs: &[RuleSpec], others: &HashSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut compiled = Vec::new();
    for spec in specs {
        if !seen.insert(spec.id.clone()) || others.contains(&spec.id) {
            problems.push(format!("rule '{}': duplicate id", spec.id));
        }
        if spec.examples.is_empty() {
            problems.push(format!("rule '{}': has no examples", spec.id));
        }
        if spec.negative_examples.is_empty() {
            problems.push(format!("rule '{}': has no negative examples", spec.id));
        }
        for (i, ex) in spec.examples.iter().enumerate() {
            let lower = ex.to_ascii_lowercase().into_bytes();
            let spellings = spec.keywords.iter().flat_map(|k| crate::prefilter::spellings(k));
            if !spellings.into_iter().any(|k| lower.windows(k.len()).any(|w| w == &k[..])) {
                problems.push(format!("rule '{}': example {} contains none of the keywords", spec.id, i + 1));
            }
        }
        match compile_rule(spec.clone()) {
            Ok(rule) => compiled.push(rule),
            Err(e) => problems.push(e.to_string()),
        }
    }
    for rule in compiled {
        let id = rule.spec.id.clone();
        let examples = rule.spec.examples.clone();
        let negatives = rule.spec.negative_examples.clone();
        let set = RuleSet { rules: vec![rule], parser_rules: Vec::new(), digest: String::new() };
        let engine = crate::engine::Engine::new(set);
        for (i, ex) in examples.iter().enumerate() {
            if !engine.scan(ex.as_bytes()).iter().any(|m| engine.rule(m.rule).id() == id) {
                problems.push(format!("rule '{id}': example {} does not produce a finding", i + 1));
            }
        }
        for (i, ex) in negatives.iter().enumerate() {
            if engine.scan(ex.as_bytes()).iter().any(|m| engine.rule(m.rule).id() == id) {
                problems.push(format!("rule '{id}': negative example {} produces a finding", i + 1));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_pass_their_own_checks() {
        let specs = builtin_specs().expect("built-in rule files parse");
        assert!(specs.len() >= 40, "at least 40 built-in rules, have {}", specs.len());
        let problems = check_rules(&specs, &HashSet::new());
        assert!(problems.is_empty(), "rule problems:\n{}", problems.join("\n"));
        RuleSet::compile(specs).expect("the whole set compiles together");
    }

    #[test]
    fn parsed_groups_are_the_compiled_regex_groups() {
        // Built-in rules get their group indexes from the parsed pattern, before the regex exists.
        for spec in builtin_specs().unwrap() {
            let lazy = prepare_rule(spec.clone()).unwrap();
            let regex = build_regex(&spec.pattern).unwrap();
            let names: Vec<Option<&str>> = regex.capture_names().collect();
            assert_eq!(names[lazy.secret_group], Some("secret"), "{}", spec.id);
            assert_eq!(lazy.identifier_group, names.iter().position(|n| *n == Some("identifier")), "{}", spec.id);
        }
        let rules = RuleSet::load(&[]).unwrap();
        assert!(rules.rules.iter().all(|r| r.regex.get().is_none()), "built-in patterns are built on first use");
        assert!(rules.rules[0].regex().is_match(rules.rules[0].spec.examples[0].as_bytes()));
    }

    #[test]
    fn reach_of_a_rule_comes_from_its_pattern() {
        let rule = |keywords: &[&str], pattern: &str| {
            let spec = RuleSpec {
                keywords: keywords.iter().map(|k| k.to_string()).collect(),
                pattern: pattern.into(),
                ..builtin_specs().unwrap()[0].clone()
            };
            let r = prepare_rule(spec).unwrap();
            (r.starts_at_keyword, r.max_len)
        };
        assert_eq!(rule(&["ghp_"], r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b"), (true, Some(40)));
        // Case variants of every keyword, and alternatives that each start with one.
        assert_eq!(rule(&["password", "pwd"], r"(?i)(?:password|pwd)\s*=\s*(?P<secret>\S+)"), (true, None));
        assert!(rule(&["api_key", "apikey"], r"(?i)api_?key=(?P<secret>\w{8})").0);
        // A match may start before the keyword: a leading class, an optional prefix, a keyword that is not first.
        assert!(!rule(&["bot"], r"(?:^|[^0-9])(?P<secret>[0-9]{5,16}:A[A-Za-z0-9_-]{34})").0);
        assert!(!rule(&["secret"], r"(?i)\b[a-z0-9_.-]*secret=(?P<secret>\w{8})").0);
        assert!(!rule(&["tok_"], r"(?:x-)?(?P<secret>tok_\w{8})").0);
        assert!(!rule(&["apikey"], r"(?i)api_?key=(?P<secret>\w{8})").0, "api_key is not a keyword");
        assert!(!rule(&["xy"], r"(?P<secret>(?:xy)?)").0, "an empty match starts with nothing");
    }

    #[test]
    fn check_rules_reports_each_kind_of_problem() {
        let text = r#"
[[rules]]
id = "demo-token"
name = "Demo"
severity = "high"
kind = "api-key"
keywords = ["demo_"]
pattern = '''\b(?P<secret>demo_[a-z0-9]{12})\b'''
examples = ["demo_a1b2c3d4e5f6", "nokeyword"]
negative_examples = ["demo_q1w2e3r4t5y6"]

[[rules]]
id = "demo-token"
name = "Dup"
severity = "low"
kind = "api-key"
keywords = ["zz"]
pattern = '''(?P<nosecret>zz)'''
examples = ["zz"]
negative_examples = ["zz"]

[[rules]]
id = "Bad_Id"
name = "Bad"
severity = "low"
kind = "api-key"
keywords = ["qq"]
pattern = '''(?P<secret>qq'''
examples = ["qq"]
negative_examples = []
"#;
        let specs = parse_rule_file(text, "t").unwrap();
        let p = check_rules(&specs, &HashSet::new()).join("\n");
        assert!(p.contains("example 2 contains none of the keywords"), "{p}");
        assert!(p.contains("example 2 does not produce a finding"), "{p}");
        assert!(p.contains("negative example 1 produces a finding"), "{p}");
        assert!(p.contains("duplicate id"), "{p}");
        assert!(p.contains("no named group 'secret'"), "{p}");
        assert!(p.contains("kebab-case"), "{p}");
        assert!(p.contains("has no negative examples"), "{p}");
    }

    #[test]
    fn unknown_field_is_an_error_with_line() {
        let err = parse_rule_file("[[rules]]\nid = \"a\"\nbogus = 1\n", "f.toml").unwrap_err().to_string();
        assert!(err.contains("f.toml") && err.contains("bogus"), "{err}");
    }
}
