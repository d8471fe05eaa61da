#!/usr/bin/env python3
"""Checks of the corpus generator and the scorer themselves (no scanner needed).

    python3 scripts/corpus/selftest.py [--seed N]

* the same seed gives byte-identical trees and labels, another seed a different corpus;
* every label's value is in its file at the lines it names, and no positive value is a placeholder or repeats;
* every positive has an expected rule, every negative a why;
* every rule of rules/*.toml, and every rule id the parsers report, is the expected rule (by id, not a glob) of a
  positive;
* a perfect credsweep report built from the labels scores recall 1 and precision 1 with no false positive, a report
  of the right values under the wrong rules scores recall 0 (but "any rule" 1), and a report that covers every
  hard negative counts each of them as a false positive.
Exit status 0 when all hold; each failure is printed.
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from corpus import rulecover, score  # noqa: E402
from corpus.values import is_placeholder  # noqa: E402
import gen_corpus  # noqa: E402

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)


def digest(root):
    h = hashlib.sha256()
    for dirpath, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            h.update(os.path.relpath(p, root).encode() + b"\0" + open(p, "rb").read())
    return h.hexdigest()


def check_labels(out, labels):
    seen = set()
    for lab in labels:
        lines = open(os.path.join(out, "tree", lab["file"]), encoding="utf-8").read().split("\n")
        span = "\n".join(lines[lab["line"] - 1:lab["end_line"]])
        check(lab["secret"] in span, "%s: value not at %s:%d" % (lab["id"], lab["file"], lab["line"]))
        if lab["label"] == "positive":
            check(bool(lab.get("expect")), lab["id"] + ": no expected rule")
            check(lab["secret"] not in seen, lab["id"] + ": value repeats")
            seen.add(lab["secret"])
            if lab["category"] in ("provider", "generic"):
                check(not is_placeholder(lab["secret"]), lab["id"] + ": positive looks like a placeholder")
        else:
            check(bool(lab.get("why")), lab["id"] + ": negative without why")


def check_rules_covered(labels):
    named = {r for lab in labels if lab["label"] == "positive" for r in lab["expect"]}
    for rid in rulecover.rule_ids() + rulecover.PARSER_RULES:
        check(rid in named, "rule %s: no positive expects it" % rid)


def fake_report(path, labels, which, rule_of):
    findings = []
    for lab in labels:
        if lab["label"] != which:
            continue
        rule = rule_of(lab)
        findings.append({"rule": rule, "path": "tree/" + lab["file"], "line": lab["line"], "secret": lab["secret"],
                         "provider": lab.get("provider"), "kind": lab.get("expect_kind") or lab.get("kind")})
    json.dump({"findings": findings}, open(path, "w"))


def check_scorer(out, labels):
    pos = [lab for lab in labels if lab["label"] == "positive"]
    neg = [lab for lab in labels if lab["label"] == "negative"]
    good = lambda lab: lab["expect"][0].replace("*", "x")  # noqa: E731  (a glob's match)
    for name, which, rule_of in [("perfect", "positive", good), ("wrong-rule", "positive", lambda lab: "zz-other"),
                                 ("negatives", "negative", lambda lab: "zz-other")]:
        path = os.path.join(out, name + ".json")
        fake_report(path, labels, which, rule_of)
        r = score.score(labels, score.load("credsweep", path, os.path.join(out, "tree")), True, False)
        if name == "perfect":
            check(len(r["found"]) == len(pos), "perfect report: found %d of %d" % (len(r["found"]), len(pos)))
            check(r["fp"] == 0 and not r["fp_neg"], "perfect report: %d false positives" % r["fp"])
        elif name == "wrong-rule":
            unexpected = [lab for lab in pos if not lab.get("accept_provider") and not lab.get("expect_kind")]
            check(not ({lab["id"] for lab in unexpected} & r["found"]), "wrong rules counted as found")
            check(len(r["any"]) == len(pos), "wrong-rule report: any-rule recall below 1")
        else:
            check(len(r["fp_neg"]) == len(neg), "negatives report: %d of %d negatives counted" % (len(r["fp_neg"]), len(neg)))
            check(r["tp"] == 0, "negatives report: a negative counted as a true positive")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=gen_corpus.DEFAULT_SEED)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        a, b, c = (os.path.join(tmp, x) for x in "abc")
        labels = gen_corpus.generate(a, args.seed)
        gen_corpus.generate(b, args.seed)
        gen_corpus.generate(c, args.seed + 1)
        check(digest(a) == digest(b), "same seed, different output")
        check(digest(a) != digest(c), "different seeds, same output")
        check_labels(a, labels)
        check_rules_covered(labels)
        check_scorer(a, labels)
    for f in FAILS[:50]:
        print("FAIL", f)
    print("corpus selftest: %d labels, %d failures" % (len(labels), len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
