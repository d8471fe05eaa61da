#!/usr/bin/env python3
"""Score secret scanners' reports against the corpus labels and print them side by side.

    python3 scripts/corpus/score.py OUT/labels.jsonl OUT/tree \\
        --report credsweep=credsweep:cs.json --report "credsweep low=credsweep-low:cs-low.json" \\
        --report gitleaks=gitleaks:gl.json --report betterleaks=betterleaks:bl.json \\
        --report kingfisher=kingfisher:kf.jsonl [--rules rules.txt] [--misses 40] [--json summary.json]

A report is NAME=FORMAT:FILE, FORMAT one of credsweep, credsweep-low (a credsweep run at --min-confidence low),
gitleaks, betterleaks, kingfisher.

Matching. A finding *covers* a label when it is in the label's file, its line range meets the label's, and its
secret (or match) overlaps the labelled value: after dropping quotes, whitespace and `\\n` escapes one contains the
other (the shorter at least 16 characters, or all of the value) or, for long values, they share a 32-character
run. A label's `alts` (a key's base64 body, a decoded Basic password) count as the value too.
  * credsweep: a positive is found only when a covering finding has an expected rule (`expect`, globs allowed),
    or, for labels with accept_provider, names the same provider, or has the expected kind (`expect_kind`).
    "any rule" recall is printed too.
  * peers: a positive is found when any finding covers it (they share no rule ids with us).
  * A hard negative covered by a finding is a false positive (negatives with low_ok are not counted for a
    credsweep-low run: documented examples and third-party code are expected there, at low confidence).
  * precision = findings covering a positive / all findings, after merging findings with the same file, line and
    value (several rules reporting one secret count once).

--json writes {NAME: {positives, found, recall, recall_<class>, recall_any_rule, fp_negatives, negatives, precision,
findings_tp, findings_fp}, ...} and, with --rules, "rules_without_positive": [rule ids] (tests/cli/corpus.rs reads it).
"""
import argparse
import fnmatch
import json
import os
import re
import sys
from collections import Counter, defaultdict

CATEGORIES = [("provider", "provider tokens"), ("generic", "generic assignments"), ("wrapped", "wrapped keys/tokens"),
              ("credfile", "credential files"), ("rule", "every rule, example shapes")]
ESCAPES = re.compile(r"\\+[nrt]")
DROP = re.compile(r"[\s\"'`,\\]")


def norm(s: str) -> str:
    return DROP.sub("", ESCAPES.sub("", s or ""))


def overlap(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in long_ and len(short) >= min(16, len(long_)):
        return True
    if len(short) >= 32:
        return any(short[i:i + 32] in long_ for i in range(0, len(short) - 31, 8))
    return False


class Finding:
    __slots__ = ("file", "line", "end", "values", "rule", "provider", "kind", "confidence")

    def __init__(self, file, line, end, values, rule, provider=None, kind=None, confidence=None):
        self.file, self.line, self.end = file, int(line or 0), int(end or line or 0)
        self.values = [norm(x) for x in values if x]
        self.rule, self.provider, self.kind, self.confidence = rule, provider, kind, confidence


def rel(path: str, tree: str) -> str:
    p = path.replace("\\", "/")
    t = os.path.abspath(tree).replace("\\", "/").rstrip("/") + "/"
    if p.startswith(t):
        return p[len(t):]
    p = p[2:] if p.startswith("./") else p
    for marker in ("tree/",):
        if marker in p:
            return p.split(marker, 1)[1]
    return p


def load(fmt: str, path: str, tree: str):
    out = []
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return out
    if fmt.startswith("credsweep"):
        doc = json.load(open(path, encoding="utf-8"))
        for f in doc.get("findings", []):
            sec = f.get("secret") or ""
            out.append(Finding(rel(f["path"], tree), f.get("line"), (f.get("line") or 0) + sec.count("\n"), [sec],
                               f.get("rule"), f.get("provider"), f.get("kind"), f.get("confidence")))
    elif fmt == "gitleaks":
        for f in json.load(open(path, encoding="utf-8")) or []:
            out.append(Finding(rel(f["File"], tree), f["StartLine"], f["EndLine"], [f.get("Secret"), f.get("Match")],
                               f.get("RuleID")))
    elif fmt == "betterleaks":
        doc = json.load(open(path, encoding="utf-8"))
        for f in doc.get("findings", []) if isinstance(doc, dict) else doc:
            parts = [f] + [c for cs in f.get("component_sets", []) for c in cs.get("components", [])]
            for p in parts:
                loc, m = p.get("location", {}), p.get("match", {})
                out.append(Finding(rel(loc.get("path", ""), tree), loc.get("start_line"), loc.get("end_line"),
                                   [m.get("value"), m.get("full")], p.get("rule_id")))
    elif fmt == "kingfisher":
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if not line.startswith("{"):
                continue
            rec = json.loads(line)
            f = rec.get("finding")
            if not f:
                continue
            snip = f.get("snippet") or ""
            vals = [snip] + list((f.get("dependent_captures") or {}).values())
            out.append(Finding(rel(f.get("path", ""), tree), f.get("line"), (f.get("line") or 0) + snip.count("\n"), vals,
                               rec.get("rule", {}).get("id")))
    else:
        raise SystemExit("unknown report format " + fmt)
    return out


def covers(f: Finding, lab: dict) -> bool:
    if f.end < lab["line"] or f.line > lab["end_line"]:
        return False
    targets = [norm(lab["secret"])] + [norm(a) for a in lab.get("alts", [])]
    return any(overlap(v, t) for v in f.values for t in targets)


def pkey(s):
    return re.sub(r"[^a-z0-9]", "", (s or "").lower())


def expected(f: Finding, lab: dict) -> bool:
    if any(fnmatch.fnmatchcase(f.rule or "", g) for g in lab.get("expect", [])):
        return True
    if lab.get("accept_provider") and f.provider and lab.get("provider"):
        a, b = pkey(f.provider), pkey(lab["provider"])
        if a and b and (a in b or b in a):
            return True
    return bool(lab.get("expect_kind")) and f.kind == lab["expect_kind"]


def score(labels, findings, strict: bool, low: bool):
    """Per label: found (expected rule for strict tools, any for peers), found by any rule; FP negatives; precision."""
    by_file = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    res = {"found": set(), "any": set(), "other_rule": Counter(), "fp_neg": set(), "ignored_neg": set()}
    matched = set()
    for lab in labels:
        cov = [f for f in by_file.get(lab["file"], []) if covers(f, lab)]
        if lab["label"] == "negative":
            if cov and low and lab.get("low_ok"):
                res["ignored_neg"].add(lab["id"])
                matched.update(id(f) for f in cov)
            elif cov:
                res["fp_neg"].add(lab["id"])
            continue
        matched.update(id(f) for f in cov)
        if cov:
            res["any"].add(lab["id"])
        if cov and (not strict or any(expected(f, lab) for f in cov)):
            res["found"].add(lab["id"])
        elif cov:
            for f in cov:
                res["other_rule"][f.rule] += 1
    pos_ids = {id(f) for lab in labels if lab["label"] == "positive"
               for f in by_file.get(lab["file"], []) if covers(f, lab)}
    ignored = {id(f) for f in findings if id(f) in matched and id(f) not in pos_ids}
    uniq_tp, uniq_fp = set(), set()
    for f in findings:
        if id(f) in ignored and id(f) not in pos_ids:
            continue
        key = (f.file, f.line, f.values[0] if f.values else "")
        (uniq_tp if id(f) in pos_ids else uniq_fp).add(key)
    uniq_fp -= uniq_tp
    res["tp"], res["fp"] = len(uniq_tp), len(uniq_fp)
    res["fp_examples"] = sorted(uniq_fp)[:5]
    return res


def fmt_rate(n, d):
    return "%5d/%-5d %.3f" % (n, d, n / d) if d else "    -"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels")
    ap.add_argument("tree")
    ap.add_argument("--report", action="append", default=[], help="NAME=FORMAT:FILE")
    ap.add_argument("--rules", help="`credsweep rules list` output: rules with no positive are listed")
    ap.add_argument("--misses", type=int, default=60, help="groups of credsweep misses to print")
    ap.add_argument("--json", help="write the figures as JSON here")
    args = ap.parse_args()
    labels = [json.loads(line) for line in open(args.labels, encoding="utf-8")]
    pos = [lab for lab in labels if lab["label"] == "positive"]
    neg = [lab for lab in labels if lab["label"] == "negative"]
    results, names = {}, []
    for spec in args.report:
        name, rest = spec.split("=", 1)
        fmt, path = rest.split(":", 1)
        fs = load(fmt, path, args.tree)
        results[name] = (fmt, score(labels, fs, fmt.startswith("credsweep"), fmt == "credsweep-low"), len(fs))
        names.append(name)
    print_table(names, results, pos, neg)
    summary = {n: summarize(results[n][1], pos, neg) for n in names}
    for n in names:
        if results[n][0] == "credsweep":
            print_misses(n, results[n][1], pos, args.misses)
    if args.rules:
        rules = [ln.split("\t")[0] for ln in open(args.rules) if ln.strip()]
        used = {g for lab in pos for g in lab.get("expect", [])}
        missing = [r for r in rules if not any(fnmatch.fnmatchcase(r, g) for g in used)]
        print("\ncredsweep rules with no positive in the corpus (%d): %s" % (len(missing), " ".join(missing) or "-"))
        summary["rules_without_positive"] = missing
    if args.json:
        json.dump(summary, open(args.json, "w"), indent=1, sort_keys=True)
    return 0


def summarize(r, pos, neg):
    out = {"positives": len(pos), "found": len(r["found"]),
           "recall": len(r["found"]) / max(1, len(pos)), "recall_any_rule": len(r["any"]) / max(1, len(pos)),
           "fp_negatives": len(r["fp_neg"]), "negatives": len(neg) - len(r["ignored_neg"]),
           "precision": r["tp"] / max(1, r["tp"] + r["fp"]), "findings_tp": r["tp"], "findings_fp": r["fp"]}
    for cat, _ in CATEGORIES:
        ids = {lab["id"] for lab in pos if lab["category"] == cat}
        out["recall_" + cat] = len(ids & r["found"]) / max(1, len(ids))
    return out


def print_table(names, results, pos, neg):
    w = 22
    print("%-34s" % "" + "".join("%*s" % (w, n) for n in names))
    rows = [("recall, all (%d)" % len(pos), lambda r: fmt_rate(len(r["found"]), len(pos)))]
    for cat, title in CATEGORIES:
        ids = {lab["id"] for lab in pos if lab["category"] == cat}
        rows.append(("  %s (%d)" % (title, len(ids)), lambda r, ids=ids: fmt_rate(len(ids & r["found"]), len(ids))))
    for src in ["credsweep-rule", "issue-13", "peers"]:
        ids = {lab["id"] for lab in pos if lab.get("source") == src}
        rows.append(("    providers from %s (%d)" % (src, len(ids)), lambda r, ids=ids: fmt_rate(len(ids & r["found"]), len(ids))))
    rows.append(("recall, any rule covers it", lambda r: fmt_rate(len(r["any"]), len(pos))))
    rows.append(("FP on hard negatives (%d)" % len(neg), lambda r: fmt_rate(len(r["fp_neg"]), len(neg) - len(r["ignored_neg"]))))
    rows.append(("precision (distinct findings)", lambda r: fmt_rate(r["tp"], r["tp"] + r["fp"])))
    for title, fn in rows:
        print("%-34s" % title + "".join("%*s" % (w, fn(results[n][1])) for n in names))
    whys = sorted(Counter(lab["why"] for lab in neg).items())
    print("\nfalse positives on hard negatives, by why:")
    print("%-34s" % "" + "".join("%*s" % (w, n) for n in names))
    for why, total in whys:
        ids = {lab["id"] for lab in neg if lab["why"] == why}
        print("%-34s" % ("  %s (%d)" % (why, total)) + "".join("%*d" % (w, len(ids & results[n][1]["fp_neg"])) for n in names))


def group_key(lab):
    if lab["category"] == "generic":
        g = lab["generic"]
        return "generic syntax=%s" % g["syntax"]
    return "%s %s [%s]" % (lab["category"], " ".join(lab["expect"][:2]), lab.get("provider") or "-")


def print_misses(name, r, pos, limit):
    missed = [lab for lab in pos if lab["id"] not in r["found"]]
    print("\n%s misses: %d of %d positives (the detection to-do list), grouped:" % (name, len(missed), len(pos)))
    groups = defaultdict(list)
    for lab in missed:
        groups[group_key(lab)].append(lab)
    for key, labs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]:
        ex = labs[0]
        print("  %4d  %-70s e.g. %s:%d" % (len(labs), key[:70], ex["file"], ex["line"]))
    if len(groups) > limit:
        print("  ... %d more groups" % (len(groups) - limit))
    gen = [lab for lab in missed if lab["category"] == "generic"]
    allgen = [lab for lab in pos if lab["category"] == "generic"]
    for dim in ("base_name", "value_kind", "style"):
        tot = Counter(lab["generic"][dim] for lab in allgen)
        c = Counter(lab["generic"][dim] for lab in gen)
        print("  generic misses by %s: %s" % (dim, ", ".join("%s %d/%d" % (k, c[k], tot[k]) for k in sorted(tot, key=lambda k: -c[k]))))
    if r["other_rule"]:
        print("  covered only by another rule: %s" % ", ".join("%s %d" % kv for kv in r["other_rule"].most_common(12)))


if __name__ == "__main__":
    sys.exit(main())
