//! Added-line ranges for diff mode: which lines of a blob a commit introduced.
//!
//! Ranges are 1-based and half-open (`3..5` is lines 3 and 4), sorted and disjoint. A line ends after `\n`; a last
//! line without one still counts, as in git. The diff is imara-diff's histogram algorithm (git's `--histogram`),
//! with its line post-processing (git's slider heuristics), so the ranges match what `git diff` marks with `+`.
// A one-element list of line ranges is meant: these are sets of lines, not a range to collect.
#![allow(clippy::single_range_in_vec_init)]
use std::ops::Range;

use imara_diff::{Algorithm, Diff, InternedInput};

/// Every line of `data` (a blob new at its path).
pub(super) fn all(data: &[u8]) -> Vec<Range<u32>> {
    let newlines = memchr::memchr_iter(b'\n', data).count();
    let lines = newlines + usize::from(data.last().is_some_and(|&b| b != b'\n'));
    if lines == 0 {
        Vec::new()
    } else {
        vec![1..u32::try_from(lines).unwrap_or(u32::MAX - 1) + 1]
    }
}

/// The lines of `new` that are not in `old`.
pub(super) fn added(old: &[u8], new: &[u8]) -> Vec<Range<u32>> {
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    diff.hunks().filter(|h| !h.after.is_empty()).map(|h| h.after.start + 1..h.after.end + 1).collect()
}

/// The lines in both `a` and `b` (for a merge: added relative to each parent).
pub(super) fn intersect(a: &[Range<u32>], b: &[Range<u32>]) -> Vec<Range<u32>> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let (start, end) = (a[i].start.max(b[j].start), a[i].end.min(b[j].end));
        if start < end {
            out.push(start..end);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Whether 1-based `line` is in the sorted, disjoint `ranges`.
pub(super) fn contains(ranges: &[Range<u32>], line: u32) -> bool {
    let after = ranges.partition_point(|r| r.end <= line);
    ranges.get(after).is_some_and(|r| r.contains(&line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_counts_lines_as_git_does() {
        assert_eq!(all(b""), Vec::<Range<u32>>::new());
        assert_eq!(all(b"a"), vec![1..2]);
        assert_eq!(all(b"a\n"), vec![1..2]);
        assert_eq!(all(b"a\nb"), vec![1..3]);
        assert_eq!(all(b"\n\n"), vec![1..3]);
    }

    #[test]
    fn added_marks_inserted_and_replaced_lines_only() {
        let old = b"one\ntwo\nthree\nfour\n";
        assert_eq!(added(old, old), Vec::<Range<u32>>::new());
        assert_eq!(added(old, b"one\nNEW\ntwo\nthree\nfour\n"), vec![2..3]);
        assert_eq!(added(old, b"one\nTWO\nthree\nfour\nfive\nsix\n"), vec![2..3, 5..7]);
        assert_eq!(added(old, b"one\nfour\n"), Vec::<Range<u32>>::new(), "pure deletion adds nothing");
        assert_eq!(added(b"", b"x\ny\n"), vec![1..3]);
        assert_eq!(added(b"a\nb", b"a\nb\n"), vec![2..3], "a newline added at the end changes the last line");
    }

    #[test]
    fn intersect_keeps_common_lines() {
        assert_eq!(intersect(&[1..5, 8..10], &[3..9]), vec![3..5, 8..9]);
        assert_eq!(intersect(&[1..3], &[3..4]), Vec::<Range<u32>>::new());
        assert_eq!(intersect(&[1..10], &[2..3, 4..5, 9..12]), vec![2..3, 4..5, 9..10]);
        assert_eq!(intersect(&[], &[1..2]), Vec::<Range<u32>>::new());
    }

    #[test]
    fn contains_matches_a_linear_scan() {
        let ranges = [2..4, 7..8, 10..15];
        for line in 0..20 {
            let naive = ranges.iter().any(|r| r.contains(&line));
            assert_eq!(contains(&ranges, line), naive, "line {line}");
        }
    }
}
