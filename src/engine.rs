//! Confirmation: run a rule's regex only in bounded windows around its keyword hits, then filter the candidates.
//!
//! Two stages, as in Nosey Parker and kingfisher: [`crate::prefilter`] says which rules may match and where; here each
//! such rule's regex runs near its hits. A rule whose every match holds one of its keywords within a few bytes of its
//! start (its *lead*: `ghp_…` 0, `(?:^|\W)EAA…` 1, read off the pattern by [`crate::rules::compile`]) is tried at
//! those starts, anchored, and only as far as its longest match when that is bounded: most token rules read a few
//! dozen bytes per hit and stop at the first byte that cannot match. Any other rule's regex runs from [`LOOKBEHIND`]
//! bytes before a hit to `window` bytes after it (overlapping windows are merged, so dense hits never rescan text).
//! Where every match holds a byte that text rarely does (`@` of `https://user:pass@host`), a search is only run where
//! `memchr` finds it in reach ([`Required`]). Candidates then pass entropy, placeholder and validator checks. Line and
//! column are not computed here: only for real matches, by the caller.
use std::ops::Range;

use regex_automata::{util::captures::Captures, Anchored, Input};

use crate::{
    assign::{self, Assignment, Syntax},
    parsers::judge::WordStarts,
    prefilter::{Hit, Prefilter},
    rules::{
        compile::{Compiled, MAX_LEAD},
        FingerprintKind, NameKind, Rule, RuleSet,
    },
    validate::{self, Decoded, Validation},
};

/// How far before a keyword a match may start (key names in `aws_secret_access_key = …` style rules come first, but
/// a secret can also be preceded by context the pattern requires).
pub const LOOKBEHIND: usize = 256;
/// After the window ends, the regex may still read to the end of that line, up to this many bytes, so a token is not
/// cut in half by the window edge.
const LINE_TAIL: usize = 512;

/// A confirmed match of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index into the engine's rules.
    pub rule: usize,
    /// Whole regex match.
    pub span: Range<usize>,
    /// The `secret` group.
    pub secret: Range<usize>,
    /// From the `identifier` group, or decoded by the validator (JWT `iss`/`sub`). Never secret material.
    pub identifier: Option<String>,
    pub validation: Validation,
    pub expires_at: Option<i64>,
    pub issued_at: Option<i64>,
    /// For a generic assignment rule: the name the value was given to, and how.
    pub assigned: Option<Assigned>,
}

/// The name and syntax of a generic assignment ([`crate::assign`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub name: Range<usize>,
    pub syntax: Syntax,
}

/// Per-worker reusable buffers, so the hot path doesn't allocate per file.
#[derive(Default)]
pub struct Scratch {
    hits: Vec<Hit>,
    /// The hits grouped by rule (see [`group_by_rule`]), and a count per rule.
    grouped: Vec<Hit>,
    counts: Vec<u32>,
    /// Keyword spans of the assignment rules' hits, and what the assignment matcher made of them.
    assign_hits: Vec<Range<usize>>,
    assignments: Vec<Assignment>,
    /// Secrets of the last scan whose checksum is wrong (merged, sorted): see [`Scratch::checksum_failed`].
    failed: Vec<Range<usize>>,
    /// Capture slots per rule, made on a rule's first hit and kept: allocating them for every rule and buffer was
    /// most of the scan's calls to the allocator.
    locs: Vec<Option<Captures>>,
}

impl Scratch {
    /// The tokens of the last [`Engine::scan_with`] that a checksum-validated rule matched but whose checksum is
    /// wrong: lookalikes and mistyped tokens. No rule reports anything overlapping them; the scanner counts them.
    /// Sorted, disjoint.
    pub fn checksum_failed(&self) -> &[Range<usize>] {
        &self.failed
    }
}

pub struct Engine {
    rules: RuleSet,
    prefilter: Prefilter,
    now: i64,
    /// The generic assignment rule reporting each [`NameKind`], if it is in the set.
    assignment_rule: [Option<usize>; NameKind::ALL.len()],
    /// What may follow the assignment rules' keywords for a hit to matter ([`assign::may_begin_word`]).
    word_starts: WordStarts,
}

impl Engine {
    pub fn new(rules: RuleSet) -> Engine {
        let prefilter = Prefilter::new(&rules);
        let mut assignment_rule = [None; NameKind::ALL.len()];
        for (i, r) in rules.rules.iter().enumerate() {
            if let Some(kind) = r.spec.assignment {
                assignment_rule[kind.index()].get_or_insert(i);
            }
        }
        let keywords = rules.rules.iter().filter(|r| r.is_assignment()).flat_map(|r| &r.spec.keywords);
        let word_starts = WordStarts::new(keywords.map(|k| k.as_bytes()));
        Engine { rules, prefilter, now: validate::unix_now(), assignment_rule, word_starts }
    }

    /// A generic rule: an assignment rule, or a pattern validated as a generic assignment (`password = …`); the
    /// scanner lets a format parser supersede them and leaves them out of strings pulled from binaries.
    pub fn is_generic(&self, m: &Match) -> bool {
        let spec = &self.rules.rules[m.rule].spec;
        spec.assignment.is_some() || spec.validator == Some(crate::rules::Validator::Generic)
    }

    pub fn rule(&self, i: usize) -> &Rule {
        &self.rules.rules[i]
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Scan a buffer (convenience; allocates its own scratch).
    pub fn scan(&self, hay: &[u8]) -> Vec<Match> {
        self.scan_with(hay, &mut Scratch::default())
    }

    /// Scan a buffer, returning matches ordered by position.
    pub fn scan_with(&self, hay: &[u8], scratch: &mut Scratch) -> Vec<Match> {
        scratch.hits.clear();
        scratch.failed.clear();
        scratch.assign_hits.clear();
        let starts = &self.word_starts;
        let keep = |start, end| assign::may_begin_word(hay, start..end, starts);
        self.prefilter.split_hits(hay, &mut scratch.hits, &mut scratch.assign_hits, keep);
        if scratch.hits.is_empty() && scratch.assign_hits.is_empty() {
            return Vec::new();
        }
        let mut failed = std::mem::take(&mut scratch.failed);
        let mut assign_hits = std::mem::take(&mut scratch.assign_hits);
        let mut locs = std::mem::take(&mut scratch.locs);
        locs.resize_with(self.rules.rules.len(), || None);
        let hits = group_by_rule(scratch, self.rules.rules.len());
        let mut out = Vec::new();
        let mut i = 0;
        while i < hits.len() {
            let rule_idx = hits[i].rule as usize;
            let mut j = i;
            while j < hits.len() && hits[j].rule as usize == rule_idx {
                j += 1;
            }
            let caps = &mut locs[rule_idx];
            self.confirm(rule_idx, &hits[i..j], hay, caps, &mut Found { out: &mut out, failed: &mut failed });
            i = j;
        }
        if !assign_hits.is_empty() {
            self.assignments(hay, &mut assign_hits, &mut scratch.assignments, &mut out);
        }
        resolve_overlaps(&mut out, &self.rules);
        if !failed.is_empty() {
            merge_spans(&mut failed);
            drop_overlapping(&mut out, &failed);
        }
        scratch.failed = failed;
        scratch.assign_hits = assign_hits;
        scratch.locs = locs;
        out
    }

    /// Run the assignment matcher at the assignment rules' keyword hits; each assignment found is reported by the
    /// rule for its name's kind, if that rule is in the set.
    fn assignments(&self, hay: &[u8], hits: &mut Vec<Range<usize>>, found: &mut Vec<Assignment>, out: &mut Vec<Match>) {
        if !hits.is_sorted_by_key(|h| (h.start, h.end)) {
            hits.sort_unstable_by_key(|h| (h.start, h.end));
        }
        hits.dedup();
        found.clear();
        assign::find(hay, hits, found);
        for a in found.drain(..) {
            let Some(rule) = self.assignment_rule[a.class.kind.index()] else { continue };
            out.push(Match {
                rule,
                span: a.name.start..a.value.end,
                secret: a.value,
                identifier: None,
                validation: Validation::NotApplicable,
                expires_at: None,
                issued_at: None,
                assigned: Some(Assigned { name: a.name, syntax: a.syntax }),
            });
        }
    }

    /// Run one rule's regex at its hits (sorted by position).
    /// `caps`: the rule's capture slots, made (and its regex built) at its first search.
    fn confirm(&self, rule_idx: usize, hits: &[Hit], hay: &[u8], caps: &mut Option<Captures>, found: &mut Found) {
        match self.rules.rules[rule_idx].compiled().lead {
            Some(lead) if lead <= MAX_LEAD => self.confirm_at_hits(rule_idx, lead, hits, hay, caps, found),
            lead => self.confirm_windows(rule_idx, lead, hits, hay, caps, found),
        }
    }

    /// A rule whose every match holds a keyword at most `lead` bytes from its start (`ghp_…`: 0; `(?:^|\W)EAA…`: 1):
    /// an anchored search at each start that can be a match's, from `lead` bytes before each hit to the hit. Each stops
    /// as soon as the text cannot match, where an unanchored search reads the whole window for a later start. If the
    /// pattern's matches are bounded, a search sees no more than the longest match (+1 byte, for a look-around such
    /// as `\b` at the match's end). The matches are those of an unanchored search, one after the other: every start
    /// is tried in order, once, and the first that matches is the leftmost.
    fn confirm_at_hits(
        &self,
        rule_idx: usize,
        lead: usize,
        hits: &[Hit],
        hay: &[u8],
        caps: &mut Option<Captures>,
        found: &mut Found,
    ) {
        let rule = &self.rules.rules[rule_idx];
        let compiled = rule.compiled();
        let mut required = compiled.required.map(Required::new);
        // Starts before `next` are inside the last match, or were tried.
        let mut next = 0;
        for h in hits {
            let first = h.start.saturating_sub(lead).max(next);
            if first > h.start || (compiled.word_start && h.start > 0 && regex_syntax::is_word_byte(hay[h.start - 1])) {
                continue;
            }
            let end_of_search = match compiled.max_len {
                Some(_) => 0,
                None => line_end(hay, (h.end + rule.window).min(hay.len())),
            };
            // Every match from these starts ends before `reach`: without the required byte there, none can be made.
            let reach = compiled.max_len.map_or(end_of_search, |len| (h.start + len).min(hay.len()));
            if required.as_mut().is_some_and(|r| !r.within(hay, first..reach)) {
                next = h.start + 1;
                continue;
            }
            for p in first..=h.start {
                next = p + 1;
                let end = compiled.max_len.map_or(end_of_search, |len| (p + len + 1).min(hay.len()));
                let input = Input::new(&hay[..end]).span(p..end).anchored(Anchored::Yes);
                let caps = caps.get_or_insert_with(|| compiled.regex().create_captures());
                compiled.regex().search_captures(&input, caps);
                let Some(m) = caps.get_match() else { continue };
                next = next.max(m.end());
                found.take(self.accept(rule_idx, rule, compiled, hay, caps, m.range()));
                break;
            }
        }
    }

    /// Any other rule: its regex runs from [`LOOKBEHIND`] bytes (or its lead, if less) before each hit to `window`
    /// bytes after it (and on to the end of that line); overlapping windows are merged, so dense hits never rescan
    /// text.
    fn confirm_windows(
        &self,
        rule_idx: usize,
        lead: Option<usize>,
        hits: &[Hit],
        hay: &[u8],
        caps: &mut Option<Captures>,
        found: &mut Found,
    ) {
        let rule = &self.rules.rules[rule_idx];
        let compiled = rule.compiled();
        let reach = |h: &Hit| (h.end + rule.window).min(hay.len());
        let before = lead.map_or(LOOKBEHIND, |lead| lead.min(LOOKBEHIND));
        let mut required = compiled.required.map(Required::new);
        let mut k = 0;
        let mut scanned_to = 0;
        while k < hits.len() {
            let start = hits[k].start.saturating_sub(before).max(scanned_to);
            let mut end = reach(&hits[k]);
            k += 1;
            while k < hits.len() && hits[k].start.saturating_sub(before) <= end {
                end = end.max(reach(&hits[k]));
                k += 1;
            }
            let end = line_end(hay, end);
            if required.as_mut().is_some_and(|r| !r.within(hay, start..end)) {
                scanned_to = end;
                continue;
            }
            let window = &hay[..end];
            let mut pos = start;
            while pos <= end {
                let caps = caps.get_or_insert_with(|| compiled.regex().create_captures());
                compiled.regex().search_captures(&Input::new(window).span(pos..end), caps);
                let Some(m) = caps.get_match() else { break };
                pos = if m.end() > m.start() { m.end() } else { m.end() + 1 };
                found.take(self.accept(rule_idx, rule, compiled, hay, caps, m.range()));
            }
            scanned_to = end;
        }
    }

    /// The match, or why not: `Err(Some(secret))` when the rule's checksum says the secret is a lookalike,
    /// `Err(None)` for any other reason.
    fn accept(
        &self,
        rule_idx: usize,
        rule: &Rule,
        compiled: &Compiled,
        hay: &[u8],
        caps: &Captures,
        span: Range<usize>,
    ) -> Result<Match, Option<Range<usize>>> {
        let (s, e) = caps.get_group(compiled.secret_group).map(|g| (g.start, g.end)).ok_or(None)?;
        let secret = &hay[s..e];
        if secret.is_empty() {
            return Err(None);
        }
        if let Some(min) = rule.spec.min_entropy {
            if validate::shannon_entropy(secret) < min {
                return Err(None);
            }
        }
        let Some((validation, Decoded { identifier, expires_at, issued_at })) =
            validate::validate(rule.spec.validator, secret, self.now)
        else {
            return Err(validate::checks_checksum(rule.spec.validator).then_some(s..e));
        };
        // After the validator: a valid checksum outranks a placeholder word in a random body.
        if rule.spec.fingerprint == FingerprintKind::Raw && validate::is_placeholder_given(secret, validation) {
            return Err(None);
        }
        let identifier = compiled
            .identifier_group
            .and_then(|g| caps.get_group(g))
            .map(|g| String::from_utf8_lossy(&hay[g.range()]).into_owned())
            .or(identifier);
        Ok(Match { rule: rule_idx, span, secret: s..e, identifier, validation, expires_at, issued_at, assigned: None })
    }
}

/// Where a rule's required byte ([`Compiled::required`]) occurs next, so the confirm stage can skip the searches
/// that could not match. Asked about ranges in increasing order (hits are sorted), it reads each byte of the buffer
/// at most once: `memchr` from a range's start to the next occurrence, remembered for the ranges after.
struct Required {
    byte: u8,
    /// The first occurrence at or after `from` (`None`: none from there to the end of the buffer).
    from: usize,
    at: Option<usize>,
}

impl Required {
    fn new(byte: u8) -> Required {
        Required { byte, from: usize::MAX, at: None }
    }

    /// Whether the byte occurs in `range`.
    fn within(&mut self, hay: &[u8], range: Range<usize>) -> bool {
        if range.start < self.from || self.at.is_some_and(|at| at < range.start) {
            self.from = range.start;
            self.at = memchr::memchr(self.byte, &hay[range.start..]).map(|i| range.start + i);
        }
        self.at.is_some_and(|at| at < range.end)
    }
}

/// Where the confirm stage's matches go: accepted ones, and the secrets whose checksum failed.
struct Found<'a> {
    out: &'a mut Vec<Match>,
    failed: &'a mut Vec<Range<usize>>,
}

impl Found<'_> {
    fn take(&mut self, result: Result<Match, Option<Range<usize>>>) {
        match result {
            Ok(m) => self.out.push(m),
            Err(Some(secret)) => self.failed.push(secret),
            Err(None) => {}
        }
    }
}

/// A window's end moved on to the end of its line, by at most [`LINE_TAIL`] bytes, so a token is not cut in half by
/// the window's edge.
fn line_end(hay: &[u8], end: usize) -> usize {
    let limit = (end + LINE_TAIL).min(hay.len());
    memchr::memchr(b'\n', &hay[end..limit]).map_or(limit, |p| end + p + 1)
}

/// Up to this many hits, [`group_by_rule`] sorts them in place.
const SORT_DIRECTLY: usize = 256;

/// The gate's hits ordered by (rule, start, end). A counting sort by rule, because a general sort
/// of every hit was a tenth of the whole scan's extra work with all rules over 40 (text dense with `password` has a
/// hit per line); the gate reports each rule's hits in position order, nearly, so the sort within a rule is cheap.
fn group_by_rule(scratch: &mut Scratch, rules: usize) -> &[Hit] {
    let Scratch { hits, grouped, counts, .. } = scratch;
    // Most files have a few hits: a plain sort beats clearing and walking a count per rule.
    if hits.len() <= SORT_DIRECTLY {
        hits.sort_unstable();
        return hits;
    }
    counts.clear();
    counts.resize(rules + 1, 0);
    for h in hits.iter() {
        counts[h.rule as usize + 1] += 1;
    }
    for r in 1..counts.len() {
        counts[r] += counts[r - 1];
    }
    grouped.clear();
    grouped.resize(hits.len(), Hit { rule: 0, start: 0, end: 0 });
    for h in hits.iter() {
        let slot = &mut counts[h.rule as usize];
        grouped[*slot as usize] = *h;
        *slot += 1;
    }
    // counts[r] is now where rule r's hits end.
    let mut start = 0;
    for &end in &counts[..rules] {
        let bucket = &mut grouped[start..end as usize];
        if !bucket.is_sorted() {
            bucket.sort_unstable();
        }
        start = end as usize;
    }
    grouped
}

/// Sort `spans` and merge the overlapping ones.
fn merge_spans(spans: &mut Vec<Range<usize>>) {
    spans.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    *spans = merged;
}

/// Drop the matches (sorted by secret start) whose secret overlaps one of `spans` (sorted, disjoint): one pass.
fn drop_overlapping(out: &mut Vec<Match>, spans: &[Range<usize>]) {
    let mut k = 0;
    out.retain(|m| {
        while k < spans.len() && spans[k].end <= m.secret.start {
            k += 1;
        }
        !(k < spans.len() && spans[k].start < m.secret.end)
    });
}

/// When matches of different rules overlap on the secret, keep the higher-priority rule's (a GCP service-account
/// finding over the generic PKCS#8 one for the same key); equal priorities both stay. Leaves `out` sorted by position.
fn resolve_overlaps(out: &mut Vec<Match>, rules: &RuleSet) {
    out.sort_by_key(|m| (m.secret.start, m.rule));
    let prio = |m: &Match| rules.rules[m.rule].spec.priority;
    let mut drop = vec![false; out.len()];
    for i in 0..out.len() {
        for j in i + 1..out.len() {
            if out[j].secret.start >= out[i].secret.end {
                break;
            }
            if out[i].rule == out[j].rule {
                continue;
            }
            match prio(&out[i]).cmp(&prio(&out[j])) {
                std::cmp::Ordering::Less => drop[i] = true,
                std::cmp::Ordering::Greater => drop[j] = true,
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse_rule_file;

    fn engine(text: &str) -> Engine {
        Engine::new(RuleSet::compile(parse_rule_file(text, "t").unwrap()).unwrap())
    }

    const TWO_RULES: &str = r#"
[[rules]]
id = "demo-token"
name = "Demo"
severity = "high"
kind = "api-key"
keywords = ["demo_"]
pattern = '''\b(?P<secret>demo_[a-z0-9]{12})\b'''
min_entropy = 2.5
[[rules]]
id = "demo-wide"
name = "Wide"
severity = "low"
kind = "api-key"
priority = 5
keywords = ["key:"]
pattern = '''key:\s*(?P<identifier>\w+)/(?P<secret>demo_[a-z0-9]{12})'''
"#;

    #[test]
    fn finds_only_near_keywords_and_filters() {
        let e = engine(TWO_RULES);
        assert!(e.scan(b"nothing here").is_empty());
        let m = e.scan(b"x = demo_a1b2c3d4e5f6\ny = demo_aaaaaaaaaaaa\n");
        assert_eq!(m.len(), 1, "low-entropy/placeholder candidate dropped: {m:?}");
        assert_eq!(m[0].secret, 4..21);
    }

    #[test]
    fn higher_priority_rule_wins_overlap() {
        let e = engine(TWO_RULES);
        let m = e.scan(b"key: bob/demo_a1b2c3d4e5f6");
        assert_eq!(m.len(), 1);
        assert_eq!(e.rule(m[0].rule).id(), "demo-wide");
        assert_eq!(m[0].identifier.as_deref(), Some("bob"));
    }

    #[test]
    fn word_boundary_sees_text_before_window() {
        // The window starts LOOKBEHIND bytes before the hit; `\b` must still see the byte before the window.
        let e = engine(TWO_RULES);
        let mut hay = vec![b'a'; 300];
        hay.extend_from_slice(b"demo_a1b2c3d4e5f6");
        assert!(e.scan(&hay).is_empty(), "no word boundary: not a token");
    }

    #[test]
    fn a_rule_starting_at_a_word_boundary_skips_hits_inside_words_only() {
        let e = engine(TWO_RULES);
        assert!(e.rule(0).compiled().word_start && !e.rule(1).compiled().word_start);
        assert_eq!(e.scan(b"demo_a1b2c3d4e5f6").len(), 1, "at the buffer's start");
        assert_eq!(e.scan(b"x-demo_a1b2c3d4e5f6").len(), 1, "after a byte that is not a word byte");
        assert!(e.scan(b"x_demo_a1b2c3d4e5f6").is_empty(), "after `_`, a word byte");
        assert!(e.scan(b"9demo_a1b2c3d4e5f6").is_empty());
    }

    #[test]
    fn a_built_in_regex_is_built_at_its_first_search_not_its_first_hit() {
        let e = Engine::new(RuleSet::load(&[]).unwrap());
        let ionic = (0..e.rules().rules.len()).find(|&i| e.rule(i).id() == "ionic-personal-access-token").unwrap();
        assert!(e.scan(b"def function_call(): return version_x").is_empty());
        let compiled = e.rule(ionic).compiled();
        assert!(compiled.word_start && !compiled.is_regex_built(), "every hit inside a word: nothing to search");
        let found = e.scan(b"IONIC_TOKEN=ion_dN0ugtFMPwQ00Nv5giiKQhQSSxoUUuc3uDSLqApvpS\n");
        assert_eq!(found.iter().map(|m| e.rule(m.rule).id()).collect::<Vec<_>>(), ["ionic-personal-access-token"]);
        assert!(e.rule(ionic).compiled().is_regex_built());
    }

    #[test]
    fn bounded_window_still_sees_the_byte_after_the_longest_match() {
        // demo-token starts at its keyword and is at most 17 bytes long: the regex reads 18 bytes from the hit, so
        // `\b` fails on a longer run of word bytes instead of matching a cut-off token.
        let e = engine(TWO_RULES);
        assert!(e.rule(0).compiled().lead == Some(0) && e.rule(0).compiled().max_len == Some(17));
        assert!(e.scan(b"x demo_a1b2c3d4e5f6x").is_empty());
        assert_eq!(e.scan(b"x demo_a1b2c3d4e5f6").len(), 1, "at the end of the buffer");
        assert_eq!(e.scan(b"x demo_a1b2c3d4e5f6.").len(), 1);
    }

    #[test]
    fn hits_grouped_by_rule_are_fully_sorted() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut scratch = Scratch::default();
        for n in [0usize, 1, 7, 500] {
            scratch.hits = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let start = (x % 1000) as usize;
                    Hit { rule: (x >> 20) as u32 % 5, start, end: start + (x >> 40) as usize % 9 }
                })
                .collect();
            let mut expected = scratch.hits.clone();
            expected.sort_unstable();
            assert_eq!(group_by_rule(&mut scratch, 5), &expected[..]);
        }
    }

    #[test]
    fn many_hits_are_all_found_once() {
        let e = engine(TWO_RULES);
        let mut hay = Vec::new();
        for i in 0..500 {
            hay.extend_from_slice(format!("t{i} demo_{:012x}\n", 0x5a3c1b2e4d6fu64 + i * 7919).as_bytes());
        }
        let m = e.scan(&hay);
        assert_eq!(m.len(), 500);
        assert!(m.windows(2).all(|w| w[0].secret.start < w[1].secret.start));
    }

    #[test]
    fn a_required_byte_only_skips_searches_that_cannot_match() {
        let text = r#"
[[rules]]
id = "url-cred"
name = "url"
severity = "low"
kind = "password"
keywords = ["http://"]
pattern = '''\bhttp://(?P<identifier>[a-z]{1,8}):(?P<secret>[a-z0-9]{6,16})@[a-z]'''
[[rules]]
id = "cred-at"
name = "cred"
severity = "low"
kind = "password"
keywords = ["cred="]
pattern = '''[a-z]*cred=(?P<secret>[a-z0-9]{6,16})@[a-z]'''
"#;
        let with = engine(text);
        let reach = |i: usize| (with.rule(i).compiled().required, with.rule(i).compiled().lead);
        assert_eq!(reach(0), (Some(b'@'), Some(0)), "tried at its hits");
        assert_eq!(reach(1), (Some(b'@'), None), "searched in windows");
        let mut rules = RuleSet::compile(parse_rule_file(text, "t").unwrap()).unwrap();
        rules.rules.iter_mut().for_each(Rule::forget_required);
        let without = Engine::new(rules);
        let pieces: [&[u8]; 9] =
            [b"http://bob:q7w8e9r0t1", b"cred=k3j4h5g6", b"@x", b"@", b" ", b"\n", b"ab", b"/p", b"zz9"];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        let mut found = 0;
        for _ in 0..400 {
            let len = next() % 80;
            let hay: Vec<u8> = (0..len).flat_map(|_| pieces[next() % pieces.len()].iter().copied()).collect();
            let m = with.scan(&hay);
            assert_eq!(m, without.scan(&hay), "{}", String::from_utf8_lossy(&hay));
            found += m.len();
        }
        assert!(found > 100, "the texts hold matches of both rules: {found}");
    }

    #[test]
    fn token_past_window_edge_reaches_line_end() {
        let text = r#"
[[rules]]
id = "ctx"
name = "ctx"
severity = "low"
kind = "api-key"
keywords = ["token"]
window = 8
pattern = '''token\s*=\s*"(?P<secret>[a-z0-9]{24})"'''
"#;
        let e = engine(text);
        assert_eq!(e.scan(b"token = \"q1w2e3r4t5y6u7i8o9p0a1s2\"\n").len(), 1);
    }
}
