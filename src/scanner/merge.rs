//! Engine matches and parser candidates of one buffer, merged into findings.
//!
//! A parser that knows the format supersedes the generic assignment heuristics (`password = …` rules) on the same
//! value: its finding names the variable, server or profile, under the format's own rule. A parser candidate that
//! overlaps a token rule's match is not reported twice: the engine's finding (the more specific rule) keeps it and
//! gains the parser's context, identity and, where the parser decoded what the engine matched, the decoded value.
//! Candidates no match covers are reported under the parser's rule. Findings outside the source's [`Scope`] lines, or
//! on a line carrying the inline allow marker (counted), are left out. A generic assignment's finding says which name
//! the value was given to and how (`context.variable`, `context.field`). Nothing that overlaps a token whose
//! checksum failed is reported, by the engine or a parser; each such token in scope is counted.
use std::ops::Range;

use crate::{
    engine::{Engine, Match},
    finding::{FileCtx, Hit, Note},
    parsers::{Context, Parsed},
    report::Finding,
};

use super::{Input, Scanner, Scope};

/// What was left out of one buffer's findings, counted.
#[derive(Debug, Default)]
pub(super) struct Counts {
    /// Findings on a line carrying the inline allow marker.
    pub inline: u64,
    /// Tokens in scope whose checksum is wrong ([`crate::engine::Scratch::checksum_failed`]).
    pub checksum_failed: u64,
}

/// How parser candidates bear on the engine's matches, match for match, and which candidates stand alone.
struct Merge<'p> {
    notes: Vec<Note<'p>>,
    superseded: Vec<bool>,
    /// Candidates (by index) that overlap no remaining match.
    alone: Vec<usize>,
}

/// Build the findings of `matches` (sorted by secret position, as the engine returns them) and of the parser's
/// candidates, leaving out the parser's candidates that overlap `failed` (tokens whose checksum is wrong, sorted).
/// Findings on an inline-allowed line and the failed tokens in scope are counted in `counts`.
pub(super) fn findings(
    scanner: &Scanner,
    hay: &[u8],
    matches: &[Match],
    parsed: Option<&Parsed>,
    failed: &[Range<usize>],
    input: &Input<'_>,
    counts: &mut Counts,
) -> Vec<Finding> {
    let engine = &scanner.engine;
    let Merge { notes, superseded, alone } = merge(engine, hay, matches, parsed, failed);
    let mut ctx = FileCtx::new(&input.origin, &scanner.emit);
    let mut out = Vec::with_capacity(matches.len() + alone.len());
    // The failed tokens are counted in position order with the matches, so that lines are computed in one pass.
    let (mut k, mut checksum_failed) = (0, 0);
    let mut count_failed_before = |ctx: &mut FileCtx<'_>, at: usize| {
        while k < failed.len() && failed[k].start < at {
            checksum_failed += u64::from(in_scope(ctx, hay, failed[k].start, &input.scope));
            k += 1;
        }
    };
    for ((m, note), superseded) in matches.iter().zip(notes).zip(superseded) {
        count_failed_before(&mut ctx, m.secret.start);
        if superseded || !reported(&mut ctx, hay, m.secret.start, &input.scope, &mut counts.inline) {
            continue;
        }
        let hit = Hit::engine(engine.rule(m.rule), hay, m, note, &input.origin);
        out.push(ctx.finding(hay, hit));
    }
    count_failed_before(&mut ctx, usize::MAX);
    counts.checksum_failed += checksum_failed;
    let Some(parsed) = parsed else { return out };
    let Some(spec) = engine.rules().parser_rules.iter().find(|s| s.id == parsed.rule) else { return out };
    // In position order, so line, column and the inline marker are one pass over the buffer.
    let mut alone = alone;
    alone.sort_by_key(|&ci| parsed.candidates[ci].span.start);
    for ci in alone {
        let c = &parsed.candidates[ci];
        if reported(&mut ctx, hay, c.span.start, &input.scope, &mut counts.inline) {
            out.push(ctx.finding(hay, Hit::parser(spec, c, identifier(parsed, ci))));
        }
    }
    out
}

/// The context of an engine match: a generic assignment's name and syntax, in the parser's file context if any.
fn match_context(hay: &[u8], m: &Match, file_context: &Option<Context>) -> Option<Context> {
    let Some(a) = &m.assigned else { return file_context.clone() };
    let mut c = file_context.clone().unwrap_or_default();
    c.variable = Some(String::from_utf8_lossy(&hay[a.name.clone()]).into_owned());
    c.field = Some(a.syntax.as_str().to_owned());
    Some(c)
}

fn merge<'p>(
    engine: &Engine,
    hay: &[u8],
    matches: &[Match],
    parsed: Option<&'p Parsed>,
    failed: &[Range<usize>],
) -> Merge<'p> {
    // Engine findings in a file a parser recognised at least say whose file it is (e.g. an agent transcript).
    let file_context = parsed.and_then(|p| p.tool).map(|t| Context { tool: Some(t.to_owned()), ..Context::default() });
    let mut notes: Vec<Note<'p>> =
        matches.iter().map(|m| Note { context: match_context(hay, m, &file_context), ..Note::default() }).collect();
    let mut superseded = vec![false; matches.len()];
    let mut alone = Vec::new();
    let Some(p) = parsed else { return Merge { notes, superseded, alone } };
    // Matches are sorted by start, so those that can overlap a candidate are a slice found by binary search: from
    // the first whose end (or an earlier match's) reaches past the candidate's start, to the last that starts before
    // its end. Comparing every candidate with every match was quadratic (20,000 MCP args: 5.9 s, issue #16).
    debug_assert!(matches.is_sorted_by_key(|m| m.secret.start));
    let reach: Vec<usize> = matches
        .iter()
        .scan(0, |r, m| {
            *r = m.secret.end.max(*r);
            Some(*r)
        })
        .collect();
    for (ci, c) in p.candidates.iter().enumerate() {
        // `failed` is sorted and disjoint: the first span ending after the candidate starts is the only one to check.
        let f = failed.partition_point(|f| f.end <= c.span.start);
        if failed.get(f).is_some_and(|f| f.start < c.span.end) {
            continue;
        }
        let overlap = |m: &Match| m.secret.start < c.span.end && c.span.start < m.secret.end;
        let near =
            reach.partition_point(|&r| r <= c.span.start)..matches.partition_point(|m| m.secret.start < c.span.end);
        for i in near.clone() {
            if engine.is_generic(&matches[i]) && overlap(&matches[i]) {
                superseded[i] = true;
            }
        }
        match near.into_iter().find(|&i| !superseded[i] && overlap(&matches[i])) {
            Some(i) => {
                let m = &matches[i];
                notes[i].context = Some(c.context.clone());
                notes[i].identifier = identifier(p, ci);
                let covers = m.secret.start <= c.span.start && c.span.end <= m.secret.end;
                if covers && hay.get(c.span.clone()) != Some(&c.value[..]) && !c.value.is_empty() {
                    notes[i].decoded = Some(&c.value);
                }
            }
            None => alone.push(ci),
        }
    }
    Merge { notes, superseded, alone }
}

/// The non-secret identity the parser gave candidate `i` (AWS key id, user name …).
fn identifier(parsed: &Parsed, i: usize) -> Option<String> {
    parsed.identifiers.get(i).cloned().flatten()
}

/// Whether something at `at` is on one of the scope's lines (if it names lines).
fn in_scope(ctx: &mut FileCtx<'_>, hay: &[u8], at: usize, scope: &Scope<'_>) -> bool {
    let Some(lines) = scope.lines else { return true };
    // Sorted and disjoint (see `Scope::lines`): the one range that can hold the line, by binary search.
    let line = ctx.line(hay, at);
    let i = lines.partition_point(|r| u64::from(r.end) <= line);
    lines.get(i).is_some_and(|r| u64::from(r.start) <= line)
}

/// Whether a secret at `at` is reported: on one of the scope's lines (if it names lines), and not on a line that
/// carries the inline allow marker (those are counted).
fn reported(ctx: &mut FileCtx<'_>, hay: &[u8], at: usize, scope: &Scope<'_>, inline_allowed: &mut u64) -> bool {
    if !in_scope(ctx, hay, at, scope) {
        return false;
    }
    if ctx.inline_allowed(hay, at) {
        *inline_allowed += 1;
        return false;
    }
    true
}
