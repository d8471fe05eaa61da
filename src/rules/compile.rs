//! A rule ready to run ([`Rule`]) and the set of them a scan uses ([`RuleSet`]): a pattern checked and compiled,
//! its `secret` and `identifier` groups found, and what the confirm stage needs to know of its reach (does every
//! match start at a keyword, how long can a match be).
//!
//! Built-in patterns are only parsed here and built on first use (see [`Rule::regex`]); a user's are built at once,
//! so a pattern error stops the scan before it starts.
use std::{collections::HashSet, sync::OnceLock};

use anyhow::{bail, Result};
use regex::bytes::{Regex, RegexBuilder};

use super::model::{spellings, RuleSpec};

/// Default reach of a rule's regex past its keyword; long enough for any single-line token with context.
pub const DEFAULT_WINDOW: usize = 1024;
/// Upper bound on `window`, so one rule cannot make the confirm stage scan whole files.
pub const MAX_WINDOW: usize = 64 * 1024;
/// Upper bound on a pattern's length, checked before it is parsed: parsing costs about 100 bytes of memory per
/// pattern byte, and a 10 MB pattern took 1 GB before the compiled-size limit refused it (issue #16). The longest
/// built-in pattern is under 2,400 bytes.
pub const MAX_PATTERN_LEN: usize = 16 << 10;
/// Upper bound on a compiled pattern (the regex crate's `size_limit`; its default is 10 MiB). Every built-in
/// compiles within 1 MiB.
const MAX_COMPILED: usize = 4 << 20;

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
    /// are checked when the rule set loads, and the test suite compiles every one of them (`rules::check`), so the
    /// build cannot fail here.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| build_regex(&self.spec.pattern).expect("built-in patterns compile (tested)"))
    }

    /// Whether the pattern has been built yet (built-in rules build it on first use).
    pub fn is_built(&self) -> bool {
        self.regex.get().is_some()
    }

    /// A generic assignment rule: the assignment matcher, not a regex, confirms its keyword hits.
    pub fn is_assignment(&self) -> bool {
        self.spec.assignment.is_some()
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

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        // ASCII classes, boundaries and case folding: secrets are ASCII, and Unicode `\b` makes the lazy DFA give up
        // at the first non-ASCII byte and hand the window to the (much slower) PikeVM, while Unicode `\s` and
        // `(?i)` make bigger automata that take longer to build.
        .unicode(false)
        // The regex only ever runs on small windows, so a small lazy-DFA cache per regex and thread is plenty; the
        // default (or a large one) multiplied by every rule and thread was most of the process's memory.
        .dfa_size_limit(256 << 10)
        .size_limit(MAX_COMPILED)
        .build()
}

/// Compile one rule; errors name the rule and say what is wrong.
pub fn compile_rule(spec: RuleSpec) -> Result<Rule> {
    let rule = prepare_rule(spec)?;
    if rule.is_assignment() {
        return Ok(rule);
    }
    let regex = build_regex(&rule.spec.pattern).map_err(|e| {
        anyhow::anyhow!("rule '{}': pattern does not compile: {}", rule.spec.id, first_line(&e.to_string()))
    })?;
    rule.regex.set(regex).expect("a new rule has no regex yet");
    Ok(rule)
}

/// Check one rule like [`compile_rule`], but only parse its pattern: the regex is built on first use.
pub(super) fn prepare_rule(spec: RuleSpec) -> Result<Rule> {
    let id = spec.id.clone();
    if !is_kebab(&id) {
        bail!("rule '{id}': id must be kebab-case (a-z, 0-9, single '-')");
    }
    if spec.keywords.is_empty() || spec.keywords.iter().any(|k| k.len() < 2) {
        bail!("rule '{id}': needs at least one keyword, each at least 2 bytes long");
    }
    if spec.assignment.is_some() {
        // The assignment matcher finds name and value itself: no pattern, no groups, no window.
        if !spec.pattern.is_empty() {
            bail!("rule '{id}': an assignment rule has no pattern");
        }
        let window = spec.window.unwrap_or(DEFAULT_WINDOW);
        let regex = OnceLock::new();
        return Ok(Rule {
            spec,
            regex,
            secret_group: 0,
            identifier_group: None,
            window,
            starts_at_keyword: false,
            max_len: None,
        });
    }
    if spec.pattern.len() > MAX_PATTERN_LEN {
        bail!("rule '{id}': pattern is {} bytes long, more than the {MAX_PATTERN_LEN} allowed", spec.pattern.len());
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

/// Whether every match of `hir` begins with one of `keywords` (in one of its [`spellings`], as the keyword gate
/// finds them): true when the pattern's prefix literals are a finite set and each starts with a keyword. An infinite or
/// trimmed set (a leading class, `(?:^|[^0-9])`, an optional part) gives false, the safe answer.
fn starts_with_keyword(hir: &regex_syntax::hir::Hir, keywords: &[String]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // `(?i)password` has 256 case variants, more than the extractor lists; the comparison ignores case anyway.
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&fold_case_pairs(hir));
    let Some(literals) = seq.literals() else { return false };
    let spellings: Vec<Vec<u8>> = keywords.iter().flat_map(|k| spellings(k)).collect();
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
    pub(super) fn compile_lazily(specs: Vec<RuleSpec>, lazy: usize) -> Result<RuleSet> {
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

    /// Describe the rules that format-aware parsers report under (`crate::parsers::rule_specs`), after the pattern
    /// rules. The caller adds them (the scan plan, `rules list`): the rules model knows nothing of parsers.
    pub fn add_parser_rules(&mut self, specs: Vec<RuleSpec>) {
        self.parser_rules.extend(specs);
    }

    /// Every rule's description: pattern rules, then parser rules.
    pub fn specs(&self) -> impl Iterator<Item = &RuleSpec> {
        self.rules.iter().map(|r| &r.spec).chain(self.parser_rules.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_spec() -> RuleSpec {
        RuleSpec {
            id: "demo".into(),
            name: "Demo".into(),
            severity: super::super::model::Severity::High,
            kind: "api-key".into(),
            provider: None,
            description: None,
            keywords: vec!["demo_".into()],
            pattern: r"(?P<secret>demo_\w+)".into(),
            assignment: None,
            min_entropy: None,
            validator: None,
            fingerprint: Default::default(),
            window: None,
            priority: 0,
            confidence: Default::default(),
            references: Vec::new(),
            rotate: None,
            examples: Vec::new(),
            negative_examples: Vec::new(),
        }
    }

    #[test]
    fn reach_of_a_rule_comes_from_its_pattern() {
        let rule = |keywords: &[&str], pattern: &str| {
            let spec = RuleSpec {
                keywords: keywords.iter().map(|k| k.to_string()).collect(),
                pattern: pattern.into(),
                ..demo_spec()
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
    fn compile_errors_name_the_rule() {
        let bad = |f: &dyn Fn(&mut RuleSpec)| {
            let mut s = demo_spec();
            f(&mut s);
            compile_rule(s).unwrap_err().to_string()
        };
        assert!(bad(&|s| s.pattern = "(?P<secret>demo_[".into()).contains("rule 'demo': pattern does not compile"));
        assert!(bad(&|s| s.pattern = "demo_\\w+".into()).contains("no named group 'secret'"));
        assert!(bad(&|s| s.id = "Demo_Id".into()).contains("kebab-case"));
        assert!(bad(&|s| s.window = Some(0)).contains("window must be between"));
        let dup = RuleSet::compile(vec![demo_spec(), demo_spec()]).unwrap_err().to_string();
        assert!(dup.contains("duplicate id"), "{dup}");
    }

    #[test]
    fn parser_rules_are_described_after_pattern_rules_and_kept_by_retain() {
        let mut set = RuleSet::compile(vec![demo_spec()]).unwrap();
        let digest = set.digest.clone();
        set.add_parser_rules(vec![RuleSpec { id: "parser-secret".into(), pattern: String::new(), ..demo_spec() }]);
        let ids: Vec<&str> = set.specs().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["demo", "parser-secret"]);
        assert_eq!(set.digest, digest, "the digest covers pattern rules only");
        set.retain_ids(&["parser-secret".into()]).unwrap();
        assert!(set.rules.is_empty() && set.parser_rules.len() == 1);
        assert!(set.retain_ids(&["nope".into()]).is_err());
    }
}
