//! The kept findings: report order, groups, records and ids as they were added, at any count.
use super::*;
use crate::report::testing::{finding, Rng};

fn kept(findings: &[Finding]) -> Ordered {
    let mut k = Kept::new(None).unwrap();
    for f in findings {
        // The record is the finding's JSON line: any bytes do, and these are easy to check.
        k.add(f, serde_json::to_string(f).unwrap().as_bytes()).unwrap();
    }
    k.finish().unwrap()
}

#[test]
fn report_order_groups_records_and_ids() {
    let mut fs = vec![
        finding("b-rule", "src/b.txt", 3, 1, 7),
        finding("a-rule", "src/b.txt", 3, 1, 8),
        finding("a-rule", "src/a.txt", 10, 5, 7),
        finding("a-rule", "src/a.txt", 2, 9, 9),
        finding("a-rule", "src/a.txt", 2, 3, 7),
        finding("c-rule", "src/c.txt", 1, 1, 9),
    ];
    let mut sorted = fs.clone();
    sorted.sort_by(|a, b| (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule)));
    Rng(42).shuffle(&mut fs);
    let Ordered { index, mut records } = kept(&fs);
    let got: Vec<String> =
        index.entries().iter().map(|e| String::from_utf8(records.get(e).unwrap().to_vec()).unwrap()).collect();
    let want: Vec<String> = sorted.iter().map(|f| serde_json::to_string(f).unwrap()).collect();
    assert_eq!(got, want, "records come back whole, in report order");
    for (e, f) in index.entries().iter().zip(&sorted) {
        assert_eq!(index.id(e), f.id);
        assert_eq!(index.rule(e), f.rule);
        assert_eq!(index.fingerprint(e.cred), f.fingerprint);
    }
    // Credentials by first appearance in report order: secret 7 (src/a.txt:2:3), 9 (src/a.txt:2:9), 8.
    let fps: Vec<String> = index.by_appearance().iter().map(|&c| index.fingerprint(c)).collect();
    assert_eq!(fps, [7u64, 9, 8].map(|n| format!("sha256:{n:064x}")));
    let seven = index.by_appearance()[0];
    let places: Vec<(u64, u64)> = index.members(seven).map(|e| (e.line, e.column)).collect();
    assert_eq!(places, [(2, 3), (10, 5), (3, 1)]);
    assert_eq!(index.rules_of(seven), ["a-rule", "b-rule"]);
    assert_eq!(index.credentials(), 3);
}

#[test]
fn fingerprints_sort_like_their_text_and_odd_forms_survive() {
    let mut rng = Rng(7);
    let mut fs: Vec<Finding> = (0..500).map(|i| finding("r", "p", i + 1, 1, rng.next())).collect();
    let mut odd = finding("r", "p", 999, 1, 0);
    odd.fingerprint = "custom:not-hex".into();
    odd.id = "loc:v9:something-else".into();
    fs.push(odd.clone());
    odd.line = 1000;
    fs.push(odd);
    let Ordered { index, .. } = kept(&fs);
    let mut by_fp: Vec<u32> = (0..index.credentials() as u32).collect();
    by_fp.sort_by(|&a, &b| index.cmp_fingerprints(a, b));
    let texts: Vec<String> = by_fp.iter().map(|&c| index.fingerprint(c)).collect();
    let mut want = texts.clone();
    want.sort();
    assert_eq!(texts, want);
    let last = index.entries().last().unwrap();
    assert_eq!(index.id(last), "loc:v9:something-else");
    assert_eq!(index.fingerprint(last.cred), "custom:not-hex");
    assert_eq!(index.members(last.cred).count(), 2, "the same odd fingerprint is one credential");
}

/// 50,000 findings: one credential everywhere, then every finding its own credential. Grouping is a sort and a
/// counting pass, so both finish at once (a quadratic grouping would not finish this test).
#[test]
fn many_findings_group_in_one_pass() {
    let n = 50_000u64;
    let same: Vec<Finding> = (0..n).map(|i| finding("r", &format!("f{}", i % 1000), i, 1, 1)).collect();
    let Ordered { index, .. } = kept(&same);
    assert_eq!(index.credentials(), 1);
    assert_eq!(index.members(0).count() as u64, n);
    let distinct: Vec<Finding> = (0..n).map(|i| finding("r", &format!("f{}", i % 1000), i, 1, i)).collect();
    let Ordered { index, .. } = kept(&distinct);
    assert_eq!(index.credentials() as u64, n);
    assert!(index.by_appearance().iter().all(|&c| index.members(c).count() == 1));
}
