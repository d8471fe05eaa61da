//! The keyword gate: one Aho-Corasick automaton over every rule's keywords.
//!
//! Most files hold no credential at all; for them the scan cost is this single pass. A rule's regex runs only near
//! an occurrence of one of its keywords (see [`crate::engine`]), so adding rules whose keywords don't occur costs
//! (almost) nothing.
//!
//! Keywords are matched ASCII-case-insensitively and with *overlapping* semantics: with leftmost-first matching a
//! keyword that overlaps another (`sk_live_` inside `rk_live_`, `ghp_` after `xghp_`) could hide it, and a rule would
//! silently never run (STYLE.md, aho-corasick notes). Identical keywords of several rules are stored once.
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::rules::RuleSet;

/// A keyword occurrence: which rule it gates, and where the keyword sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub rule: u32,
    pub start: usize,
    pub end: usize,
}

pub struct Prefilter {
    ac: AhoCorasick,
    /// For each automaton pattern, the rules it gates.
    rules_of: Vec<Vec<u32>>,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut keywords: Vec<Vec<u8>> = Vec::new();
        let mut rules_of: Vec<Vec<u32>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for (ri, rule) in rules.rules.iter().enumerate() {
            for kw in &rule.spec.keywords {
                let key = kw.as_bytes().to_ascii_lowercase();
                let slot = *index.entry(key.clone()).or_insert_with(|| {
                    keywords.push(key);
                    rules_of.push(Vec::new());
                    rules_of.len() - 1
                });
                if !rules_of[slot].contains(&(ri as u32)) {
                    rules_of[slot].push(ri as u32);
                }
            }
        }
        // A full DFA: a few hundred keywords make a small automaton, and the DFA is the fastest search when the
        // prefilter can't skip (ASCII-case-insensitive, many patterns). Measured in benches/matcher.rs.
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keywords)
            .expect("keyword automaton builds (keywords are validated non-empty)");
        Prefilter { ac, rules_of }
    }

    /// Append every (rule, keyword position) occurring in `hay` to `out`.
    pub fn hits(&self, hay: &[u8], out: &mut Vec<Hit>) {
        for m in self.ac.find_overlapping_iter(hay) {
            for &rule in &self.rules_of[m.pattern().as_usize()] {
                out.push(Hit { rule, start: m.start(), end: m.end() });
            }
        }
    }

    /// Number of distinct keywords in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.rules_of.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{parse_rule_file, RuleSet};

    fn set(text: &str) -> RuleSet {
        RuleSet::compile(parse_rule_file(text, "t").unwrap()).unwrap()
    }

    #[test]
    fn overlapping_keywords_all_reported() {
        let rs = set(r#"
[[rules]]
id = "a"
name = "a"
severity = "low"
kind = "api-key"
keywords = ["live_"]
pattern = '(?P<secret>live_)'
[[rules]]
id = "b"
name = "b"
severity = "low"
kind = "api-key"
keywords = ["sk_live_", "LIVE_"]
pattern = '(?P<secret>sk_live_)'
"#);
        let pf = Prefilter::new(&rs);
        assert_eq!(pf.keyword_count(), 2, "identical keywords (case-insensitively) are stored once");
        let mut hits = Vec::new();
        pf.hits(b"xx SK_LIVE_abc", &mut hits);
        hits.sort();
        assert_eq!(
            hits,
            vec![
                Hit { rule: 0, start: 6, end: 11 },
                Hit { rule: 1, start: 3, end: 11 },
                Hit { rule: 1, start: 6, end: 11 }
            ]
        );
    }
}
