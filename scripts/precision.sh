#!/usr/bin/env bash
# Print credsweep's precision and recall on the labeled corpus the test suite generates (see
# tests/cli/rules.rs: precision_recall_on_a_labeled_corpus), with every false positive and miss listed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --quiet --test cli precision_recall_on_a_labeled_corpus -- --nocapture 2>&1 |
  grep -E "precision/recall corpus|false positive|missed"
