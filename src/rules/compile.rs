//! A rule ready to run ([`Rule`]) and the set of them a scan uses ([`RuleSet`]): a pattern checked and compiled,
//! its `secret` and `identifier` groups found, and what the confirm stage needs to know of its reach (does every
//! match start at a keyword, how long can a match be).
//!
//! Built-in patterns are built on first use (see [`Rule::compiled`]); a user's are built at once,
//! so a pattern error stops the scan before it starts.
use std::{collections::HashSet, sync::OnceLock};

use anyhow::{bail, Result};
use regex_automata::meta::Regex;

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
    /// Built on first use for built-in rules (see [`Rule::compiled`]), at load time for everything else.
    compiled: OnceLock<Compiled>,
    pub window: usize,
}

/// A pattern built: the regex, its groups, and what the confirm stage needs to know of its reach.
#[derive(Debug)]
pub struct Compiled {
    /// Built on the first search ([`Compiled::regex`]).
    regex: OnceLock<Regex>,
    /// The parsed pattern, to build the regex from.
    hir: regex_syntax::hir::Hir,
    pub secret_group: usize,
    pub identifier_group: Option<usize>,
    /// `Some(n)`: every match holds one of the rule's keywords (in a spelling the gate finds) at most `n` bytes after
    /// its start, so a match starts within `n` bytes before a hit: the regex can try those starts, anchored, instead
    /// of reading from [`crate::engine::LOOKBEHIND`] bytes before the hit. `Some(0)`: matches start with a keyword.
    pub lead: Option<usize>,
    /// The longest match the pattern can make, if bounded: with a [`Compiled::lead`], a match that starts at `p` is
    /// inside `p .. p + max_len`, which is all the regex then needs to see.
    pub max_len: Option<usize>,
    /// Every match starts at a keyword (lead 0) that begins with a letter or digit, right after a `\b`: a hit that
    /// follows a word byte (`ion_` in `function_`) cannot start one, and is not tried.
    pub word_start: bool,
    /// A byte rare in text that every match contains (`@` of `https://user:pass@host`): see [`required_byte`].
    pub required: Option<u8>,
}

impl Compiled {
    /// The regex, built the first time a search needs it. What the confirm stage asks before searching (the lead,
    /// the word boundary, the required byte) comes from the parsed pattern: of the 287 rules whose keywords occur in
    /// the bench tree's text, 55 never reach a search (their hits all sit inside words or lack the required byte), and
    /// building a regex is most of what a rule costs to prepare (~150 of ~210 µs). A user's patterns are built when
    /// they are loaded ([`compile_rule`]), so this cannot fail for them; the test suite builds every built-in one.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| self.build_regex().expect("built-in patterns compile (tested)"))
    }

    fn build_regex(&self) -> Result<Regex, String> {
        let regex = build_hir(&self.hir, self.lead.is_some_and(|l| l <= MAX_LEAD))?;
        // The groups were read off the parsed pattern: the regex numbers them alike (checked for every built-in
        // pattern by the test suite, which builds them all).
        debug_assert_eq!(group_index(&regex, "secret"), Some(self.secret_group));
        debug_assert_eq!(group_index(&regex, "identifier"), self.identifier_group);
        Ok(regex)
    }

    /// Whether [`Compiled::regex`] has been built.
    pub fn is_regex_built(&self) -> bool {
        self.regex.get().is_some()
    }
}

/// A named group's index in a built regex.
fn group_index(regex: &Regex, name: &str) -> Option<usize> {
    regex.group_info().to_index(regex_automata::PatternID::ZERO, name)
}

/// A named group's index, read off the parsed pattern: the capture's own index, as the regex numbers its groups.
fn capture_index(hir: &regex_syntax::hir::Hir, name: &str) -> Option<usize> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => Some(c.index as usize),
        HirKind::Capture(c) => capture_index(&c.sub, name),
        HirKind::Repetition(r) => capture_index(&r.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().find_map(|h| capture_index(h, name)),
        _ => None,
    }
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The parsed pattern and what the confirm stage knows of it (its regex is built later, at the first search:
    /// [`Compiled::regex`]). Built-in patterns are parsed the first time one of the rule's keywords occurs, by
    /// whichever worker meets it first: most rules never fire in a given scan, and building (or even parsing) all 700
    /// at start was most of the time before the first file was read. The test suite builds every one of them
    /// (`rules::check`), so this cannot fail here. An assignment rule has no pattern: don't ask.
    pub fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| build(&self.spec).expect("built-in patterns compile (tested)"))
    }

    /// The rule without its required byte (tests compare the confirm stage with and without it).
    #[cfg(test)]
    pub fn forget_required(&mut self) {
        if let Some(compiled) = self.compiled.get_mut() {
            compiled.required = None;
        }
    }

    /// Whether the pattern has been built yet (built-in rules build it on first use).
    pub fn is_built(&self) -> bool {
        self.compiled.get().is_some()
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

/// Parse a pattern the way rules are built: ASCII classes, boundaries and case folding. Secrets are ASCII, and
/// Unicode `\b` makes the lazy DFA give up at the first non-ASCII byte and hand the window to the (much slower)
/// PikeVM, while Unicode `\s` and `(?i)` make bigger automata that take longer to build.
/// Errors are one line: what is wrong (regex-syntax's own are several, with a caret diagram).
fn parse(pattern: &str) -> Result<regex_syntax::hir::Hir, String> {
    let parsed = regex_syntax::ParserBuilder::new().utf8(false).unicode(false).build().parse(pattern);
    parsed.map_err(|e| first_line(&e.to_string()))
}

/// Up to this lead (see [`Compiled::lead`]), a rule's regex tries each start before a hit, anchored, rather than
/// reading a window: a try that fails costs about as much as reading a few dozen bytes.
pub const MAX_LEAD: usize = 16;

/// Build a regex from a parsed pattern, with only the engines the confirm stage uses.
///
/// The regex only ever runs on small windows that start at (or shortly before) a keyword: the lazy DFA finds a match
/// (with a small cache per regex and thread: the default, multiplied by every rule and thread, was most of the
/// process's memory), the PikeVM its groups within it. No one-pass DFA or bounded backtracker: their construction
/// was a third of a build, and a match of a few dozen bytes does not need them. A regex tried at a few starts,
/// anchored, needs no prefilter either; one that reads a window does (its literals let it skip to the candidates).
/// Building is paid once per rule that fires in a scan, hundreds of times on a home directory.
fn build_hir(hir: &regex_syntax::hir::Hir, anchored: bool) -> Result<Regex, String> {
    let config = regex_automata::meta::Config::new()
        .utf8_empty(false)
        .nfa_size_limit(Some(MAX_COMPILED))
        .hybrid_cache_capacity(256 << 10)
        .auto_prefilter(!anchored)
        .dfa(false)
        .onepass(false)
        .backtrack(false);
    regex_automata::meta::Builder::new().configure(config).build_from_hir(hir).map_err(|e| build_error(&e))
}

/// Build a pattern as a rule runs it (for tests and tools that want the regex alone).
pub fn build_regex(pattern: &str) -> Result<Regex> {
    let hir = parse(pattern).map_err(anyhow::Error::msg)?;
    build_hir(&hir, false).map_err(anyhow::Error::msg)
}

/// Build a rule's pattern: parse, find its groups, build; errors name the rule and say what is wrong.
fn build(spec: &RuleSpec) -> Result<Compiled> {
    let id = &spec.id;
    let hir = parse(&spec.pattern).map_err(|e| anyhow::anyhow!("rule '{id}': pattern does not compile: {e}"))?;
    let lead = keyword_lead(&hir, &spec.keywords);
    let secret_group = capture_index(&hir, "secret")
        .ok_or_else(|| anyhow::anyhow!("rule '{id}': pattern has no named group 'secret'"))?;
    let identifier_group = capture_index(&hir, "identifier");
    let max_len = hir.properties().maximum_len();
    let word_start = lead == Some(0)
        && begins_at_word_boundary(&hir)
        // Alphanumeric, not `_`: the gate finds `_` and `-` alike, and a match may start with either.
        && spec.keywords.iter().all(|k| k.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric()));
    let required = required_byte(&hir);
    let regex = OnceLock::new();
    Ok(Compiled { regex, hir, secret_group, identifier_group, lead, max_len, word_start, required })
}

/// [`build`], and the regex built at once: a user's pattern that does not build is an error at load.
fn build_now(spec: &RuleSpec) -> Result<Compiled> {
    let compiled = build(spec)?;
    let regex =
        compiled.build_regex().map_err(|e| anyhow::anyhow!("rule '{}': pattern does not compile: {e}", spec.id))?;
    compiled.regex.set(regex).expect("a new rule's regex is not built yet");
    Ok(compiled)
}

/// Bytes that are rare in text and code, rarest first (by [`required_byte`]'s measure: a missing one saves a regex
/// search, a common one saves nothing and costs a `memchr`).
const RARE_BYTES: &[u8] = b"@~^|`%!&*\\?+";

/// A byte that every match of `hir` contains and that text rarely does, if the pattern has one: the confirm stage
/// looks for it with `memchr` where the regex would search, and skips the search where it is missing. Most hits of
/// a URL rule's keywords (`https://` of every link) have no `@` in reach, and `memchr` finds that in a few
/// nanoseconds where an anchored search took ~90.
fn required_byte(hir: &regex_syntax::hir::Hir) -> Option<u8> {
    let bytes = mandatory_bytes(hir);
    RARE_BYTES.iter().copied().find(|&b| bytes[usize::from(b)])
}

/// Which bytes every match of `hir` contains: those of its literals (and one-byte classes) that no repetition or
/// alternative can leave out.
fn mandatory_bytes(hir: &regex_syntax::hir::Hir) -> [bool; 256] {
    use regex_syntax::hir::{Class, HirKind};
    let mut set = [false; 256];
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.iter().for_each(|&b| set[usize::from(b)] = true),
        HirKind::Class(Class::Bytes(c)) => {
            if let [r] = c.ranges() {
                if r.start() == r.end() {
                    set[usize::from(r.start())] = true;
                }
            }
        }
        HirKind::Capture(c) => set = mandatory_bytes(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => set = mandatory_bytes(&r.sub),
        HirKind::Concat(subs) => {
            for sub in subs {
                let sub = mandatory_bytes(sub);
                set.iter_mut().zip(sub).for_each(|(s, b)| *s |= b);
            }
        }
        HirKind::Alternation(subs) => {
            set = [true; 256];
            for sub in subs {
                let sub = mandatory_bytes(sub);
                set.iter_mut().zip(sub).for_each(|(s, b)| *s &= b);
            }
        }
        _ => {}
    }
    set
}

/// A build error and what caused it, on one line (the error alone says only "error building NFA"; its source says
/// which limit the pattern exceeds).
fn build_error(e: &regex_automata::meta::BuildError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&first_line(&cause.to_string()));
        source = cause.source();
    }
    text
}

/// Compile one rule; errors name the rule and say what is wrong.
pub fn compile_rule(spec: RuleSpec) -> Result<Rule> {
    let rule = prepare_rule(spec)?;
    if !rule.is_assignment() {
        let compiled = build_now(&rule.spec)?;
        rule.compiled.set(compiled).expect("a new rule is not built yet");
    }
    Ok(rule)
}

/// Check one rule like [`compile_rule`] except for its pattern, which is built on first use.
pub(super) fn prepare_rule(spec: RuleSpec) -> Result<Rule> {
    let id = spec.id.clone();
    if !is_kebab(&id) {
        bail!("rule '{id}': id must be kebab-case (a-z, 0-9, single '-')");
    }
    if spec.keywords.is_empty() || spec.keywords.iter().any(|k| k.len() < 2) {
        bail!("rule '{id}': needs at least one keyword, each at least 2 bytes long");
    }
    let window = spec.window.unwrap_or(DEFAULT_WINDOW);
    if spec.assignment.is_some() {
        // The assignment matcher finds name and value itself: no pattern, no groups, no window.
        if !spec.pattern.is_empty() {
            bail!("rule '{id}': an assignment rule has no pattern");
        }
        return Ok(Rule { spec, compiled: OnceLock::new(), window });
    }
    if spec.pattern.len() > MAX_PATTERN_LEN {
        bail!("rule '{id}': pattern is {} bytes long, more than the {MAX_PATTERN_LEN} allowed", spec.pattern.len());
    }
    if window == 0 || window > MAX_WINDOW {
        bail!("rule '{id}': window must be between 1 and {MAX_WINDOW}");
    }
    if let Some(e) = spec.min_entropy {
        if !(0.0..=8.0).contains(&e) {
            bail!("rule '{id}': min_entropy must be between 0 and 8 bits per byte");
        }
    }
    Ok(Rule { spec, compiled: OnceLock::new(), window })
}

/// How far into a match its first keyword can start (see [`Compiled::lead`]): 0 when the pattern's prefix literals
/// all start with a keyword; otherwise read off the pattern (`(?:^|[^A-Za-z0-9])EAA…` has a lead of 1 with the
/// keyword `EAA`). `None` when some match may hold no keyword literally, or the bytes before it are unbounded.
fn keyword_lead(hir: &regex_syntax::hir::Hir, keywords: &[String]) -> Option<usize> {
    let folded = fold_case_pairs(hir);
    let spellings: Vec<Vec<u8>> = keywords.iter().flat_map(|k| spellings(k)).collect();
    if starts_with_keyword(&folded, &spellings) {
        return Some(0);
    }
    lead_in(&folded, &spellings)
}

/// Whether every match of `hir` begins with one of the keyword `spellings`, as the keyword gate finds them: true when
/// the pattern's prefix literals are a finite set and each starts with a keyword. An infinite or trimmed set (a
/// leading class, `(?:^|[^0-9])`, an optional part) gives false, the safe answer.
fn starts_with_keyword(folded: &regex_syntax::hir::Hir, spellings: &[Vec<u8>]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // `(?i)password` has 256 case variants, more than the extractor lists: `folded` has its case pairs folded, and
    // the comparison ignores case anyway.
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(folded);
    let Some(literals) = seq.literals() else { return false };
    !literals.is_empty()
        && literals.iter().all(|lit| {
            let lit = lit.as_bytes();
            spellings.iter().any(|k| lit.len() >= k.len() && lit[..k.len()].eq_ignore_ascii_case(k))
        })
}

/// The lead of `hir` (case pairs folded): where a literal holds a keyword, its offset there; through a concatenation,
/// the longest the parts before it can be; through an alternation, the largest of its branches'.
fn lead_in(hir: &regex_syntax::hir::Hir, spellings: &[Vec<u8>]) -> Option<usize> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(lit) => {
            let lower = lit.0.to_ascii_lowercase();
            (0..lower.len()).find(|&i| spellings.iter().any(|k| lower[i..].starts_with(k)))
        }
        HirKind::Capture(c) => lead_in(&c.sub, spellings),
        HirKind::Repetition(r) if r.min >= 1 => lead_in(&r.sub, spellings),
        HirKind::Alternation(subs) => subs.iter().try_fold(0, |most, sub| Some(most.max(lead_in(sub, spellings)?))),
        HirKind::Concat(subs) => {
            let mut before = 0usize;
            for (i, sub) in subs.iter().enumerate() {
                // A keyword may span parts: `private[_-]?key` spells `private_key`, `private-key`, `privatekey`.
                let begins_keyword = |lit: &[u8]| {
                    spellings.iter().any(|k| k.len() > lit.len() && k[..lit.len()].eq_ignore_ascii_case(lit))
                };
                if matches!(sub.kind(), HirKind::Literal(lit) if begins_keyword(&lit.0))
                    && starts_with_keyword(&regex_syntax::hir::Hir::concat(subs[i..].to_vec()), spellings)
                {
                    return Some(before);
                }
                if let Some(lead) = lead_in(sub, spellings) {
                    return before.checked_add(lead);
                }
                before = before.checked_add(sub.properties().maximum_len()?)?;
            }
            None
        }
        _ => None,
    }
}

/// Whether `hir` begins with an ASCII word-boundary assertion (`\b`, `\b{start}`, `\b{start-half}`), before anything
/// else it matches: its matches start where the byte before is not a word byte, when their first byte is one.
fn begins_at_word_boundary(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Look(Look::WordAscii | Look::WordStartAscii | Look::WordStartHalfAscii) => true,
        HirKind::Capture(c) => begins_at_word_boundary(&c.sub),
        HirKind::Concat(subs) => subs.first().is_some_and(begins_at_word_boundary),
        _ => false,
    }
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

/// SHA-256 over the rule texts, in order: `base` (the built-in rules' digest, made at build time), then the rules
/// given. The built-in rules alone keep their digest.
fn digest(base: &str, rules: &[Rule]) -> String {
    use sha2::{Digest, Sha256};
    if !base.is_empty() && rules.is_empty() {
        return base.to_string();
    }
    let mut hasher = Sha256::new();
    hasher.update(base);
    for spec in rules.iter().map(|r| &r.spec) {
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
        RuleSet::compile_lazily(specs, 0, "")
    }

    /// [`RuleSet::compile`], except that the first `lazy` rules (the built-in ones, whose digest is `lazy_digest`)
    /// are only checked now, and their patterns built on first use.
    pub(super) fn compile_lazily(specs: Vec<RuleSpec>, lazy: usize, lazy_digest: &str) -> Result<RuleSet> {
        let mut seen = HashSet::new();
        let mut rules = Vec::with_capacity(specs.len());
        for spec in specs {
            if !seen.insert(spec.id.clone()) {
                bail!("rule '{}': duplicate id", spec.id);
            }
            rules.push(if rules.len() < lazy { prepare_rule(spec)? } else { compile_rule(spec)? });
        }
        let digest = digest(lazy_digest, &rules[lazy..]);
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
        self.digest = digest("", &self.rules);
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
        let built = |keywords: &[&str], pattern: &str| {
            let spec = RuleSpec {
                keywords: keywords.iter().map(|k| k.to_string()).collect(),
                pattern: pattern.into(),
                ..demo_spec()
            };
            compile_rule(spec).unwrap()
        };
        let rule = |keywords: &[&str], pattern: &str| {
            let r = built(keywords, pattern);
            (r.compiled().lead, r.compiled().max_len)
        };
        let word_start = |keywords: &[&str], pattern: &str| built(keywords, pattern).compiled().word_start;
        assert!(word_start(&["ion_"], r"\b(?P<secret>ion_[A-Za-z0-9]{42})\b"));
        assert!(word_start(&["ghp_"], r"(?P<secret>\bghp_[A-Za-z0-9]{36})"));
        assert!(!word_start(&["ion_"], r"(?P<secret>ion_[A-Za-z0-9]{42})\b"), "no boundary before");
        assert!(!word_start(&["eaa"], r"(?:^|[^A-Za-z0-9])(?P<secret>EAA[A-Za-z0-9]{100,})"), "lead 1");
        assert!(!word_start(&["$x_"], r"\b(?P<secret>\$x_[a-z]{8})"), "a keyword starting with a non-word byte");
        assert!(!word_start(&["tok"], r"\B(?P<secret>tok[a-z]{8})"), "not a boundary");
        assert!(
            !word_start(&["_ab"], r"\b(?P<secret>[_-]ab[a-z]{8})"),
            "`-ab` is a spelling of `_ab`, and no word byte"
        );
        assert_eq!(rule(&["ghp_"], r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b"), (Some(0), Some(40)));
        // Case variants of every keyword, and alternatives that each start with one.
        assert_eq!(rule(&["password", "pwd"], r"(?i)(?:password|pwd)\s*=\s*(?P<secret>\S+)"), (Some(0), None));
        assert_eq!(rule(&["api_key", "apikey"], r"(?i)api_?key=(?P<secret>\w{8})").0, Some(0));
        // A match may start before the keyword: a leading class, an optional prefix, a keyword that is not first.
        assert_eq!(rule(&["eaa"], r"(?:^|[^A-Za-z0-9])(?P<secret>EAA[A-Za-z0-9]{100,})").0, Some(1));
        assert_eq!(rule(&["tok_"], r"(?:x-)?(?P<secret>tok_\w{8})").0, Some(2));
        assert_eq!(rule(&["auth", "login"], r"(?i)\b(?:x\.login|my-auth)=(?P<secret>\w{8})").0, Some(3));
        assert_eq!(rule(&["tok-"], r"(?:ab|c)+TOK_(?P<secret>\w{8})").0, None, "unbounded before the keyword");
        // A keyword spelled across parts of the pattern: every spelling must be a keyword's.
        let across = r"(?i)[a-z0-9]{0,30}[_-]?private[_-]?key=(?P<secret>\w{8})";
        assert_eq!(rule(&["private_key", "privatekey"], across).0, Some(31));
        assert_eq!(rule(&["private_key"], across).0, None, "`privatekey` is no keyword");
        assert_eq!(rule(&["bot"], r"(?:^|[^0-9])(?P<secret>[0-9]{5,16}:A[A-Za-z0-9_-]{34})").0, None, "no keyword");
        assert_eq!(rule(&["secret"], r"(?i)\b[a-z0-9_.-]*secret=(?P<secret>\w{8})").0, None);
        assert_eq!(rule(&["apikey"], r"(?i)api_?key=(?P<secret>\w{8})").0, None, "api_key is not a keyword");
        assert_eq!(rule(&["xy"], r"(?P<secret>(?:xy)?)").0, None, "an empty match starts with nothing");
        assert_eq!(rule(&["xy"], r"(?P<secret>(?:xyz|w))").0, None, "one branch has no keyword");
    }

    #[test]
    fn required_byte_is_a_rare_one_every_match_holds() {
        let required = |pattern: &str| required_byte(&parse(pattern).unwrap());
        assert_eq!(required(r"\bhttps?://(?P<identifier>\w{1,8}):(?P<secret>\w{1,8})@\w"), Some(b'@'));
        assert_eq!(required(r"(?:a@b|c@d)x"), Some(b'@'), "in every branch");
        assert_eq!(required(r"(?:a@b|cd)x"), None, "a branch without it");
        assert_eq!(required(r"x(?:@y)?"), None, "optional");
        assert_eq!(required(r"x(?:@y)*"), None, "repeated, maybe never");
        assert_eq!(required(r"x(?P<s>@y){2,}"), Some(b'@'), "repeated at least once, in a group");
        assert_eq!(required(r"x[@]y"), Some(b'@'), "a class of one byte");
        assert_eq!(required(r"x[@~]y"), None, "a class of two");
        assert_eq!(required(r"a~b@c"), Some(b'@'), "the rarest");
        assert_eq!(required(r"(?i)key=(?P<secret>\w+)"), None, "only common bytes");
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
