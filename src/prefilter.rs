//! The keyword gate: every occurrence of every rule keyword, in one pass whose per-byte cost does not depend on the
//! number of keywords.
//!
//! Most files hold no credential at all; for them the scan cost is this single pass. A rule's regex runs only near
//! an occurrence of one of its keywords (see [`crate::engine`]), so adding rules whose keywords don't occur costs
//! (almost) nothing.
//!
//! Keywords are matched ASCII-case-insensitively, with `_` and `-` interchangeable ([`crate::rules::spellings`]), and with
//! *overlapping* semantics: every (keyword, position) is
//! reported, so a keyword that overlaps another (`sk_live_` inside `rk_live_`, `ghp_` after `xghp_`) can never hide
//! it and leave a rule silently unrun (STYLE.md, aho-corasick notes). Identical keywords of several rules are stored
//! once. The result is exactly what an overlapping, ASCII-case-insensitive Aho-Corasick search reports (a property
//! test compares the two on the built-in rules), in a different order.
//!
//! Why not one Aho-Corasick DFA, as before: each DFA step is a table load that depends on the previous step's load,
//! so the search runs at the latency of a load per byte whatever the CPU's width, and ~570 keywords make an automaton
//! whose hot states spill out of L1. It was a third of a whole scan's perf samples, and on real text it slowed as
//! rules were added. The gate in [`anchor`] tests every position independently of the last (the CPU overlaps them)
//! against a table that stays in cache. Same run, one thread, 4 MiB of text sampled from the 1.1 GB bench tree, 40 /
//! all 327 / 10× rules: the DFA 593 / 518 / 501 MiB/s; this gate 1905 / 1493 / 1482 MiB/s with AVX2, 891 MiB/s
//! (all rules) without. On the matcher bench's synthetic code: DFA ~600 MiB/s, gate 1802 / 2055 / 2091 MiB/s. Since
//! anchors are picked by English 4-gram frequency and tested with two (hashed) Bloom bits, the matcher
//! bench's keyword gate group gives 2.37 / 2.10 / 2.07 GiB/s (40 / all / 10× rules) on code, and 2.16 / 1.65 / 1.59
//! GiB/s on this repository's own sources, and 300 MB of the bench tree's text runs through the gate at ~1.9 GB/s
//! with all rules. Now (733 rules, 2,209 keyword spellings; anchors that know code; 16 positions per gather with
//! AVX-512): 2.83 / 3.35 / 3.44 GiB/s on code, and the 946 MB of the 1.1 GB bench tree's text in ~0.5 s. The filter's
//! key is now exact (the low 5 bits of each byte: no multiplications; see [`anchor`]).
use std::ops::Range;

use crate::rules::{spellings, RuleSet};

mod anchor;

/// A keyword occurrence: which rule it gates, and where the keyword sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub rule: u32,
    pub start: usize,
    pub end: usize,
}

pub struct Prefilter {
    gate: anchor::Gate,
    /// For each keyword (ASCII-lowercased, distinct), the rules it gates.
    rules_of: Vec<Vec<u32>>,
    /// For each keyword, the rules it gates that take their hits one by one (not the assignment rules: a range of
    /// `own_rules`), and whether it gates an assignment rule: see [`Prefilter::split_hits`]. One flat table, so a hit
    /// reads one place (there are millions of hits in a home directory's text).
    own_of: Vec<Own>,
    own_rules: Vec<u32>,
}

/// See [`Prefilter::own_of`].
#[derive(Debug, Clone, Copy)]
struct Own {
    start: u32,
    end: u32,
    gates_assignments: bool,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut keywords: Vec<Vec<u8>> = Vec::new();
        let mut rules_of: Vec<Vec<u32>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for (ri, rule) in rules.rules.iter().enumerate() {
            for key in rule.spec.keywords.iter().flat_map(|k| spellings(k)) {
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
        let assignment = |r: &u32| rules.rules[*r as usize].is_assignment();
        let mut own_rules = Vec::new();
        let mut own_of = Vec::with_capacity(rules_of.len());
        for rs in &rules_of {
            let start = own_rules.len() as u32;
            own_rules.extend(rs.iter().copied().filter(|r| !assignment(r)));
            own_of.push(Own { start, end: own_rules.len() as u32, gates_assignments: rs.iter().any(assignment) });
        }
        Prefilter { gate: anchor::Gate::new(keywords), rules_of, own_of, own_rules }
    }

    /// Append every (rule, keyword position) occurring in `hay` to `out`, in no particular order.
    pub fn hits(&self, hay: &[u8], out: &mut Vec<Hit>) {
        self.gate.find(hay, |keyword, start, end| {
            for &rule in &self.rules_of[keyword as usize] {
                out.push(Hit { rule, start, end });
            }
        });
    }

    /// [`Prefilter::hits`], except that the assignment rules' hits go to `assignments` as keyword spans, once per
    /// keyword occurrence however many of them it gates: they all read the same text around it
    /// ([`crate::assign`]), and `key`, `pass`, `sig`, `token` are most of the hits in code. Only the occurrences
    /// (start, end) that `keep` accepts are handed over (asked here, while the bytes around them are in cache). Both in no
    /// particular order.
    pub fn split_hits(
        &self,
        hay: &[u8],
        out: &mut Vec<Hit>,
        assignments: &mut Vec<Range<usize>>,
        keep: impl Fn(usize, usize) -> bool,
    ) {
        self.gate.find(hay, |keyword, start, end| {
            let k = keyword as usize;
            let own = self.own_of[k];
            if own.gates_assignments && keep(start, end) {
                assignments.push(start..end);
            }
            for &rule in &self.own_rules[own.start as usize..own.end as usize] {
                out.push(Hit { rule, start, end });
            }
        });
    }

    /// The same gate testing at most `lanes` positions at a time (tests compare every path with the reference).
    #[cfg(test)]
    fn narrowed(self, lanes: usize) -> Prefilter {
        Prefilter { gate: self.gate.narrowed(lanes), ..self }
    }

    /// Number of distinct keywords.
    pub fn keyword_count(&self) -> usize {
        self.rules_of.len()
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};

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
        // live_ and live-; sk_live_, sk-live_, sk_live-, sk-live-: LIVE_ is live_ again.
        assert_eq!(pf.keyword_count(), 6, "identical spellings (case-insensitively) are stored once");
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
        hits.clear();
        pf.hits(b"sk-Live_", &mut hits);
        hits.sort();
        let want = [(0, 3), (1, 0), (1, 3)].map(|(rule, start)| Hit { rule, start, end: 8 });
        assert_eq!(hits, want, "sk-live_ and Live_ found through their other spellings");
    }

    /// The gate this one replaced, kept as the reference: one overlapping, ASCII-case-insensitive Aho-Corasick
    /// automaton over the distinct lowercased keywords.
    struct Reference {
        ac: aho_corasick::AhoCorasick,
        rules_of: Vec<Vec<u32>>,
    }

    impl Reference {
        fn new(rules: &RuleSet) -> Reference {
            let mut keywords: Vec<Vec<u8>> = Vec::new();
            let mut rules_of: Vec<Vec<u32>> = Vec::new();
            for (ri, rule) in rules.rules.iter().enumerate() {
                for key in rule.spec.keywords.iter().flat_map(|k| spellings(k)) {
                    let slot = keywords.iter().position(|k| *k == key).unwrap_or_else(|| {
                        keywords.push(key);
                        rules_of.push(Vec::new());
                        keywords.len() - 1
                    });
                    if !rules_of[slot].contains(&(ri as u32)) {
                        rules_of[slot].push(ri as u32);
                    }
                }
            }
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&keywords)
                .unwrap();
            Reference { ac, rules_of }
        }

        fn hits(&self, hay: &[u8]) -> Vec<Hit> {
            let mut out = Vec::new();
            for m in self.ac.find_overlapping_iter(hay) {
                for &rule in &self.rules_of[m.pattern().as_usize()] {
                    out.push(Hit { rule, start: m.start(), end: m.end() });
                }
            }
            out.sort_unstable();
            out
        }
    }

    /// xorshift64: deterministic, no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A haystack built from keywords: whole (in random case), cut short, run into each other so they overlap,
    /// separated by text, punctuation, bytes that only differ from keyword bytes in bit 0x20 (`@` `[` `^` DEL, CR
    /// and `-`), and non-ASCII; sometimes starting or ending exactly on a keyword.
    fn haystack(rng: &mut Rng, keywords: &[Vec<u8>], max_pieces: usize) -> Vec<u8> {
        const FILLER: &[u8] = b"etaoin shrdlu_-.:/=\"'\n\r\t@[\\]^`{|}~\x7f\x00\x0d\x2d\xc3\xa9\xe2\x80\x94 0123456789";
        let mut hay = Vec::new();
        let pieces = rng.below(max_pieces);
        for _ in 0..pieces {
            let kw = &keywords[rng.below(keywords.len())];
            let mut piece: Vec<u8> = kw
                .iter()
                .map(|&b| match rng.below(3) {
                    0 => b.to_ascii_uppercase(),
                    1 if b.is_ascii_alphabetic() => b ^ 0x20,
                    _ => b,
                })
                .collect();
            match rng.below(8) {
                // Cut short: a prefix or suffix only.
                0 => piece.truncate(rng.below(piece.len())),
                1 => {
                    piece.drain(..rng.below(piece.len()));
                }
                // Overlap with the previous piece: drop bytes the previous piece already ends with.
                2 => {
                    let shared = (1..piece.len().min(hay.len()))
                        .rev()
                        .find(|&k| hay[hay.len() - k..].eq_ignore_ascii_case(&piece[..k]))
                        .unwrap_or(0);
                    piece.drain(..shared);
                }
                _ => {}
            }
            hay.extend_from_slice(&piece);
            for _ in 0..rng.below(4) {
                hay.push(FILLER[rng.below(FILLER.len())]);
            }
        }
        if rng.below(4) == 0 {
            hay.extend_from_slice(&keywords[rng.below(keywords.len())]);
        }
        hay
    }

    fn keywords_of(rules: &RuleSet) -> Vec<Vec<u8>> {
        rules.rules.iter().flat_map(|r| r.spec.keywords.iter().flat_map(|k| spellings(k))).collect()
    }

    fn sorted_hits(gate: &Prefilter, hay: &[u8]) -> Vec<Hit> {
        let mut got = Vec::new();
        gate.hits(hay, &mut got);
        got.sort_unstable();
        got
    }

    /// The gate (with each of its vector paths this CPU has, and without) against the reference, on `rounds`
    /// haystacks made from the rules' keywords, each also cut short at both ends.
    fn assert_same_as_reference(rules: &RuleSet, seed: u64, rounds: usize) {
        let gates = [16, 8, 1].map(|lanes| Prefilter::new(rules).narrowed(lanes));
        let reference = Reference::new(rules);
        let keywords = keywords_of(rules);
        let mut rng = Rng(seed);
        let mut total = 0;
        for round in 0..rounds {
            // Mostly short haystacks; every 50th a long one, dense enough to fill the vector path's candidate buffer.
            let long = round % 100 == 0;
            let hay = haystack(&mut rng, &keywords, if long { 3000 } else { 12 });
            let want = reference.hits(&hay);
            total += want.len();
            for gate in &gates {
                assert_eq!(
                    sorted_hits(gate, &hay),
                    want,
                    "round {round}, haystack {:?}",
                    String::from_utf8_lossy(&hay)
                );
                // Keywords at both buffer ends, and buffers shorter than an anchor or a vector load.
                for cut in [1, 2, 3, 4, 5, 9, 17].into_iter().filter(|_| !long) {
                    for part in [&hay[hay.len().min(cut)..], &hay[..hay.len().saturating_sub(cut)]] {
                        let (got, want) = (sorted_hits(gate, part), reference.hits(part));
                        assert_eq!(got, want, "round {round} cut {cut}: {:?}", String::from_utf8_lossy(part));
                    }
                }
            }
        }
        assert!(total > rounds, "the haystacks hold keywords ({total} hits in {rounds} rounds)");
    }

    #[test]
    fn same_hits_as_aho_corasick_on_builtin_rules() {
        let rules = RuleSet::load(&[]).expect("built-in rules");
        assert_same_as_reference(&rules, 0x5eed_cafe_f00d_0001, 4000);
    }

    /// `split_hits` is `hits` with the assignment rules' hits folded into one span per keyword occurrence.
    #[test]
    fn split_hits_are_the_hits_with_assignment_keywords_once() {
        let rules = RuleSet::load(&[]).expect("built-in rules");
        let gate = Prefilter::new(&rules);
        let assignment = |h: &Hit| rules.rules[h.rule as usize].is_assignment();
        let mut rng = Rng(0x5eed_0002);
        let keywords = keywords_of(&rules);
        let mut folded = 0;
        for _ in 0..400 {
            let hay = haystack(&mut rng, &keywords, 40);
            let all = sorted_hits(&gate, &hay);
            let (mut own, mut spans) = (Vec::new(), Vec::new());
            gate.split_hits(&hay, &mut own, &mut spans, |_, _| true);
            own.sort_unstable();
            spans.sort_unstable_by_key(|r| (r.start, r.end));
            assert_eq!(own, all.iter().copied().filter(|h| !assignment(h)).collect::<Vec<_>>());
            let mut want: Vec<_> = all.iter().filter(|h| assignment(h)).map(|h| h.start..h.end).collect();
            let per_rule = want.len();
            want.sort_unstable_by_key(|r| (r.start, r.end));
            want.dedup();
            folded += per_rule - want.len();
            assert_eq!(spans, want, "each assignment keyword occurrence once");
        }
        assert!(folded > 0, "some keywords gate several assignment rules (`key`)");
    }

    #[test]
    fn same_hits_as_aho_corasick_on_short_and_odd_keywords() {
        // Two- and three-byte keywords take other paths than the anchored ones; keywords sharing anchors, contained
        // in each other, repeating themselves, and made of bytes the 0x20 fold merges.
        let mut text = String::new();
        let keywords = [
            "q~",
            "ab",
            "~q",
            "aa",
            "a@",
            "@a",
            "_-",
            "8q",
            "bot",
            "bo",
            "abc",
            "[a]",
            "aaa",
            "aaaa",
            "aaaaaaa",
            "ab_ab_ab",
            "b_ab",
            "^_^",
            "\u{e9}t\u{e9}",
            "keyword",
            "keywords",
            "yword",
            "x-api-key",
            "api_key",
            "ghp_",
        ];
        for (i, kw) in keywords.iter().enumerate() {
            text.push_str(&format!(
                "[[rules]]\nid = \"r{i}\"\nname = \"r\"\nseverity = \"low\"\nkind = \"api-key\"\nkeywords = [{kw:?}]\n\
                 pattern = '(?P<secret>x)'\n"
            ));
        }
        // One rule gated by several keywords, some equal to another rule's.
        text.push_str(
            "[[rules]]\nid = \"multi\"\nname = \"m\"\nseverity = \"low\"\nkind = \"api-key\"\n\
             keywords = [\"AB\", \"Bot\", \"keyWORD\", \"zz\"]\npattern = '(?P<secret>x)'\n",
        );
        assert_same_as_reference(&set(&text), 7, 6000);
    }
}
