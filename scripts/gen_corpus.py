#!/usr/bin/env python3
"""Generate the labelled secret-scanning corpus of issue #13 section 5 into OUT.

    scripts/gen_corpus.py OUT [--seed N]

Writes OUT/tree/ (the files to scan: realistic source, config, credential files, notebooks ... with synthetic
secrets and hard negatives) and OUT/labels.jsonl (one JSON object per planted value: file and line under
OUT/tree, the value as written, positive or negative, category, kind, provider, the credsweep rules expected to
report it, and for generic assignments the name, syntax and value kind; for negatives why it is not a secret).
The same seed gives byte-identical output. Python 3.11+ standard library only (tomllib reads rules/*.toml: every
rule gets a positive); runs in a few seconds.

scripts/compare-peers.sh scans OUT/tree with credsweep and its peers and scores them with scripts/corpus/score.py.
"""
import argparse
import os
import shutil
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import credfiles, generic, negatives, providers, rulecover, wrapped  # noqa: E402
from corpus.langs import write_items  # noqa: E402
from corpus.layout import Corpus  # noqa: E402
from corpus.values import Values  # noqa: E402

DEFAULT_SEED = 13


def generate(out: str, seed: int):
    corpus = Corpus(Values(seed))
    # Planted lines of every module share files, so a file holds secrets of several kinds and hard negatives.
    items = generic.build(corpus) + providers.build(corpus, seed) + wrapped.build(corpus) + negatives.build(corpus)
    credfiles.build(corpus)
    # Then a positive for every rule none of the above plants under its own id, from the rule's examples.
    items += rulecover.build(corpus, seed, covered_rules(corpus, items))
    corpus.rng.shuffle(items)
    write_items(corpus, items)
    tree = os.path.join(out, "tree")
    if os.path.exists(tree):
        shutil.rmtree(tree)
    os.makedirs(out, exist_ok=True)
    return corpus.write(out)


def covered_rules(corpus, items) -> set:
    """Rule ids some positive expects by name (not by a glob), in `items` or already in the corpus's files."""
    labels = [lab for it in items for _, lab in it["marks"]]
    labels += [lab for doc in corpus.docs.values() for _, _, lab in doc.marks]
    return {r for lab in labels if lab["label"] == "positive" for r in lab["expect"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output directory (OUT/tree is replaced)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    labels = generate(args.out, args.seed)
    if not args.quiet:
        c = Counter((r["label"], r["category"]) for r in labels)
        files = len({r["file"] for r in labels})
        print("corpus: %s (seed %d): %d labels in %d files: %s" % (
            args.out, args.seed, len(labels), files, ", ".join("%s/%s %d" % (a, b, n) for (a, b), n in sorted(c.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
